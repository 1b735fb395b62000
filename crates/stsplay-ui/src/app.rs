//! The page's state and its reducer: every click, key and timer tick is a [`UiAction`]; [`App::reduce`] applies
//! it and says what the shell must do next ([`Effect`]). The Yew shell owns no logic: it draws [`App`] and
//! dispatches actions, so everything here is tested natively.

use crate::editor::{self, ProblemView};
use crate::i18n::Lang;
use crate::player::Player;
use crate::session::{EditorFile, Session, MAX_FILES, MAX_FILE_BYTES, MAX_FILE_NAME};
use crate::view::ClusterView;
use stsplay_model::kinds::Kind;

/// Speeds offered by the slider (virtual seconds per real second).
pub const SPEEDS: [f64; 9] = [0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 20.0];
/// The most actions one frame may process while playing (beyond it the clock slows down, the page stays
/// responsive).
pub const FRAME_BUDGET: usize = 1_500;
/// A real frame longer than this is treated as this long (a background tab must not jump hours ahead).
pub const MAX_FRAME_MS: f64 = 250.0;

/// An object the learner clicked (the inspector shows its YAML and events).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjRef {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjRef {
    /// The `kubectl get` argument: `pod/myapp-0`.
    pub fn arg(&self) -> String {
        format!("{}/{}", self.kind.name().to_ascii_lowercase(), self.name)
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// Every input the page can send.
#[derive(Clone, Debug, PartialEq)]
pub enum UiAction {
    /// The page's clock: `real_ms` of wall time passed since the last tick.
    Tick(f64),
    Step,
    TogglePlay,
    Pause,
    /// Index into [`SPEEDS`].
    SetSpeed(usize),
    Reset,
    Seek(i64),
    RunCommand(String),
    /// Runs a command that needs the explain texts once they are loaded.
    DescriptionsLoaded(String),
    Interrupt,
    ClearTerminal,
    EditFile(usize, String),
    SelectFile(usize),
    NewFile,
    CloseFile(usize),
    /// Recomputes the problems of the active file (the shell sends it after typing pauses).
    Analyze,
    /// Applies the fix of problem `n` of the active file.
    ApplyFix(usize),
    /// Runs `kubectl apply -f <active file>` in the terminal.
    Apply,
    Select(Option<ObjRef>),
    SetEventsFilter(String),
    SetLang(Lang),
    SetTheme(Theme),
    /// A session from a share link or storage replaces the current one.
    Load(Box<Session>),
    /// A message for the learner (the shell reports failures it met: storage full, bad link).
    Notice(String),
    DismissNotice,
}

/// What the shell must do after an action.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effect {
    /// Something visible changed: redraw.
    pub render: bool,
    /// The session changed: save it (debounced by the shell).
    pub save: bool,
    /// The editor text changed: schedule an `Analyze` after typing pauses.
    pub analyze_later: bool,
    /// The command needs the explain texts: fetch them, then send `DescriptionsLoaded(command)`.
    pub load_descriptions: Option<String>,
    /// Say this through the polite live region (screen readers).
    pub announce: Vec<String>,
}

pub struct App {
    pub player: Player,
    pub playing: bool,
    pub speed: usize,
    pub problems: Vec<ProblemView>,
    /// The problems are older than the text (typing has not paused yet).
    pub problems_stale: bool,
    pub selected: Option<ObjRef>,
    pub events_filter: String,
    pub lang: Lang,
    pub theme: Theme,
    pub notice: Option<String>,
    /// Whether `kubectl explain`'s texts are loaded (the shell loads them on first use).
    pub descriptions_loaded: bool,
    /// The map as of the last change (rebuilt when the cluster changes).
    pub view: ClusterView,
    /// Pod readiness as of the last announcement (to announce "myapp-1 is Ready" once).
    announced: Vec<(String, bool)>,
}

impl App {
    pub fn new(session: Session) -> App {
        let player = Player::new(session);
        let view = ClusterView::build(&player.term.world);
        let mut app = App {
            player,
            playing: false,
            speed: 2,
            problems: Vec::new(),
            problems_stale: true,
            selected: None,
            events_filter: String::new(),
            lang: Lang::En,
            theme: Theme::Light,
            notice: None,
            descriptions_loaded: false,
            view,
            announced: Vec::new(),
        };
        app.announced = app.readiness();
        app.analyze();
        app
    }

    pub fn session(&self) -> &Session {
        &self.player.session
    }

    pub fn active_file(&self) -> Option<&EditorFile> {
        self.player.session.files.get(self.player.session.active_file)
    }

    fn analyze(&mut self) {
        let ctx = editor::context(&self.player.term.world);
        self.problems = self.active_file().map(|f| editor::problems(&f.text, &ctx)).unwrap_or_default();
        self.problems_stale = false;
    }

    fn readiness(&self) -> Vec<(String, bool)> {
        self.view.pods().iter().map(|p| (p.name.clone(), p.ready)).collect()
    }

    /// Rebuilds the map and says what became Ready / went away.
    fn refresh(&mut self, fx: &mut Effect) {
        self.view = ClusterView::build(&self.player.term.world);
        let now = self.readiness();
        for (name, ready) in &now {
            let before = self.announced.iter().find(|(n, _)| n == name).map(|(_, r)| *r);
            if *ready && before != Some(true) {
                fx.announce.push(match self.lang {
                    Lang::En => format!("{name} is Ready"),
                    Lang::Zh => format!("{name} 已就绪"),
                });
            }
        }
        self.announced = now;
        fx.render = true;
    }

    pub fn reduce(&mut self, action: UiAction) -> Effect {
        let mut fx = Effect::default();
        match action {
            UiAction::Tick(real_ms) => {
                if !self.playing {
                    return fx;
                }
                let real = if real_ms.is_finite() { real_ms.clamp(0.0, MAX_FRAME_MS) } else { 0.0 };
                let virt = (real * SPEEDS[self.speed.min(SPEEDS.len() - 1)]).round() as i64;
                let before = self.player.moment();
                let o = self.player.tick(virt, FRAME_BUDGET);
                if o.changed {
                    self.refresh(&mut fx);
                }
                if self.player.moment() != before {
                    fx.render = true;
                }
                if self.player.idle() {
                    // The cluster has settled and nothing recorded is ahead: stop the clock, as a learner
                    // would, so "Play" means "play until something to look at happened".
                    self.playing = false;
                    fx.render = true;
                    fx.save = true;
                }
            }
            UiAction::Step => {
                self.playing = false;
                let o = self.player.step();
                if o.changed {
                    self.refresh(&mut fx);
                } else {
                    self.notice = Some(self.t_nothing_to_step());
                }
                fx.render = true;
                fx.save = true;
            }
            UiAction::TogglePlay => {
                self.playing = !self.playing;
                fx.render = true;
                fx.save = true;
            }
            UiAction::Pause => {
                if self.playing {
                    self.playing = false;
                    fx.render = true;
                    fx.save = true;
                }
            }
            UiAction::SetSpeed(i) => {
                self.speed = i.min(SPEEDS.len() - 1);
                fx.render = true;
            }
            UiAction::Reset => {
                self.playing = false;
                self.player.reset();
                self.selected = None;
                self.refresh(&mut fx);
                self.analyze();
                fx.save = true;
            }
            UiAction::Seek(at) => {
                self.playing = false;
                self.player.seek(at);
                self.refresh(&mut fx);
                fx.save = true;
            }
            UiAction::RunCommand(line) => {
                if needs_descriptions(&line) && !self.descriptions_loaded {
                    fx.load_descriptions = Some(line);
                    return fx;
                }
                self.run_command(&line, &mut fx);
            }
            UiAction::DescriptionsLoaded(line) => {
                self.descriptions_loaded = true;
                self.run_command(&line, &mut fx);
            }
            UiAction::Interrupt => {
                if self.player.interrupt() {
                    self.refresh(&mut fx);
                    fx.save = true;
                }
                fx.render = true;
            }
            UiAction::ClearTerminal => {
                self.player.session.cleared_before = self.player.next_entry();
                fx.render = true;
                fx.save = true;
            }
            UiAction::EditFile(i, text) => {
                if let Some(f) = self.player.session.files.get_mut(i) {
                    if f.text != text {
                        f.text = text;
                        self.problems_stale = true;
                        fx.analyze_later = true;
                        fx.save = true;
                        fx.render = true;
                    }
                }
            }
            UiAction::SelectFile(i) => {
                if i < self.player.session.files.len() && i != self.player.session.active_file {
                    self.player.session.active_file = i;
                    self.analyze();
                    fx.render = true;
                    fx.save = true;
                }
            }
            UiAction::NewFile => {
                let files = &mut self.player.session.files;
                if files.len() >= MAX_FILES {
                    self.notice = Some(format!("The editor holds at most {MAX_FILES} files."));
                } else {
                    let mut n = 1;
                    while files.iter().any(|f| f.name == format!("new-{n}.yaml")) {
                        n += 1;
                    }
                    files.push(EditorFile { name: format!("new-{n}.yaml"), text: String::new() });
                    self.player.session.active_file = files.len() - 1;
                    self.analyze();
                    fx.save = true;
                }
                fx.render = true;
            }
            UiAction::CloseFile(i) => {
                let s = &mut self.player.session;
                if i < s.files.len() && s.files.len() > 1 {
                    s.files.remove(i);
                    if s.active_file >= s.files.len() || s.active_file > i {
                        s.active_file = s.active_file.saturating_sub(1);
                    }
                    self.analyze();
                    fx.save = true;
                    fx.render = true;
                }
            }
            UiAction::Analyze => {
                self.analyze();
                fx.render = true;
            }
            UiAction::ApplyFix(n) => {
                let Some(fix) = self.problems.get(n).and_then(|p| p.fix.clone()) else { return fx };
                let i = self.player.session.active_file;
                let Some(file) = self.player.session.files.get_mut(i) else { return fx };
                match editor::apply_fix(&file.text, &fix) {
                    Some(t) => {
                        file.text = t;
                        fx.announce.push(format!("{}: {}", self.t_fixed(), fix.title));
                    }
                    None => self.notice = Some("The file changed since the problems were computed; try again.".into()),
                }
                self.analyze();
                fx.save = true;
                fx.render = true;
            }
            UiAction::Apply => {
                if let Some(f) = self.active_file() {
                    let line = format!("kubectl apply -f {}", shell_word(&f.name));
                    self.run_command(&line, &mut fx);
                }
            }
            UiAction::Select(o) => {
                self.selected = o;
                fx.render = true;
            }
            UiAction::SetEventsFilter(f) => {
                self.events_filter = f.chars().take(200).collect();
                fx.render = true;
            }
            UiAction::SetLang(l) => {
                self.lang = l;
                fx.render = true;
            }
            UiAction::SetTheme(t) => {
                self.theme = t;
                fx.render = true;
            }
            UiAction::Load(s) => {
                let (lang, theme, loaded) = (self.lang, self.theme, self.descriptions_loaded);
                *self = App::new(*s);
                self.lang = lang;
                self.theme = theme;
                self.descriptions_loaded = loaded;
                fx.render = true;
                fx.save = true;
            }
            UiAction::Notice(m) => {
                self.notice = Some(m);
                fx.render = true;
            }
            UiAction::DismissNotice => {
                self.notice = None;
                fx.render = true;
            }
        }
        fx
    }

    fn run_command(&mut self, line: &str, fx: &mut Effect) {
        let o = self.player.run_command(line);
        if self.player.job_running() {
            // A waiting command (watch, rollout status) needs the clock to run, as on a real cluster.
            self.playing = true;
        }
        let _ = o;
        self.refresh(fx);
        self.analyze();
        fx.save = true;
    }

    fn t_nothing_to_step(&self) -> String {
        match self.lang {
            Lang::En => "Nothing to step: the cluster is idle. Run a command, or edit and Apply a manifest.".into(),
            Lang::Zh => "没有可以单步执行的事件：集群处于空闲状态。请运行一条命令，或编辑清单后点击“应用”。".into(),
        }
    }

    fn t_fixed(&self) -> &'static str {
        match self.lang {
            Lang::En => "Fixed",
            Lang::Zh => "已修复",
        }
    }

    /// A name for a new file is usable (the editor's rename box checks it).
    pub fn file_name_ok(name: &str) -> bool {
        !name.is_empty() && name.len() <= MAX_FILE_NAME && !name.contains('/') && !name.chars().any(char::is_control)
    }

    /// The text fits in the editor.
    pub fn text_fits(text: &str) -> bool {
        text.len() <= MAX_FILE_BYTES * 5
    }
}

/// Whether a command line uses `kubectl explain` (its texts load on first use).
pub fn needs_descriptions(line: &str) -> bool {
    let mut words = line.split_whitespace();
    while let Some(w) = words.next() {
        if w == "kubectl" || w == "k" {
            if words.next() == Some("explain") {
                return true;
            }
        }
    }
    false
}

/// Quotes a file name for the command line when it needs it.
pub fn shell_word(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        let seed = include_str!("../../stsplay-model/data/fixtures/stateful-demo.yaml");
        App::new(Session::new(1, vec![EditorFile { name: "stateful-demo.yaml".into(), text: seed.into() }]))
    }

    #[test]
    fn fix_everything_apply_and_watch_the_set_come_up() {
        let mut a = app();
        assert!(a.problems.iter().any(|p| p.error));
        for _ in 0..40 {
            let Some(n) = a.problems.iter().position(|p| p.error && p.fix.is_some()) else { break };
            a.reduce(UiAction::ApplyFix(n));
        }
        assert!(!a.problems.iter().any(|p| p.error), "{:?}", a.problems);
        a.reduce(UiAction::Apply);
        assert!(a.player.blocks.last().unwrap().text().contains("statefulset.apps/myapp created"));
        a.reduce(UiAction::TogglePlay);
        for _ in 0..2000 {
            a.reduce(UiAction::Tick(100.0));
            if !a.playing {
                break;
            }
        }
        assert!(!a.playing, "play stops once the cluster settled");
        let pods = a.view.pods();
        assert!(pods.len() >= 2, "{pods:?}");
        assert_eq!(pods[0].label, "Pod myapp-0, Running, Ready");
    }

    #[test]
    fn ticks_do_nothing_while_paused_and_ignore_garbage() {
        let mut a = app();
        let m = a.player.moment();
        a.reduce(UiAction::Tick(1000.0));
        assert_eq!(a.player.moment(), m);
        a.playing = true;
        a.reduce(UiAction::Tick(f64::NAN));
        a.reduce(UiAction::Tick(-5.0));
        a.reduce(UiAction::Tick(1e300));
        assert!(a.player.moment().at <= m.at + (MAX_FRAME_MS * 20.0) as i64);
    }

    #[test]
    fn explain_asks_for_the_texts_first() {
        let mut a = app();
        let fx = a.reduce(UiAction::RunCommand("kubectl explain sts.spec".into()));
        assert_eq!(fx.load_descriptions.as_deref(), Some("kubectl explain sts.spec"));
        assert!(a.player.blocks.is_empty());
        assert!(needs_descriptions("k explain pod"));
        assert!(!needs_descriptions("kubectl get pods # explain"));
    }

    #[test]
    fn files_new_select_close() {
        let mut a = app();
        a.reduce(UiAction::NewFile);
        assert_eq!(a.session().files.len(), 2);
        assert_eq!(a.active_file().unwrap().name, "new-1.yaml");
        a.reduce(UiAction::EditFile(1, "kind: Nope\n".into()));
        a.reduce(UiAction::Analyze);
        assert!(!a.problems.is_empty());
        a.reduce(UiAction::CloseFile(1));
        assert_eq!(a.session().files.len(), 1);
        a.reduce(UiAction::CloseFile(0));
        assert_eq!(a.session().files.len(), 1, "the last file stays");
        assert_eq!(shell_word("my file.yaml"), "'my file.yaml'");
    }
}
