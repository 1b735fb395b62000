//! The page's state and its reducer: every click, key and timer tick is a [`UiAction`]; [`App::reduce`] applies
//! it and says what the shell must do next ([`Effect`]). The Yew shell owns no logic: it draws [`App`] and
//! dispatches actions, so everything here is tested natively.

use crate::editor::{self, ProblemView};
use crate::i18n::Lang;
use crate::lessons::{self, Lesson};
use crate::player::Player;
use crate::session::{EditorFile, Session, MAX_FILES, MAX_FILE_BYTES, MAX_FILE_NAME};
use crate::view::ClusterView;
use std::collections::BTreeMap;
use std::rc::Rc;
use stsplay_model::kinds::Kind;

/// Speeds offered by the slider (virtual seconds per real second).
pub const SPEEDS: [f64; 9] = [0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 20.0];
/// The most actions one frame may process while playing at first (beyond it the clock slows down and the
/// page stays responsive). The shell tunes it to the machine with [`App::tune_budget`].
pub const FRAME_BUDGET: usize = 400;
/// Real time a frame may spend simulating (the rest of a 16 ms frame is drawing).
pub const FRAME_SIM_MS: f64 = 7.0;
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
    /// Opens lesson `n` (index into the built-in lessons) at step `step` on a fresh session prepared for it.
    OpenLesson(usize, usize),
    CloseLesson,
    /// Moves to the next / previous step of the open lesson.
    LessonNext,
    LessonBack,
    /// The learner's prediction for the current step (index of the choice).
    Predict(usize),
    ToggleHint,
    /// Runs the current step's command in the terminal (the lesson's "Run" button).
    RunLessonCommand,
    /// Whether lessons ask their "predict, then observe" questions.
    SetPredictMode(bool),
    /// Presenter view: large type, high contrast.
    SetClassroom(bool),
    /// ← in classroom mode: back to the moment before the last Step.
    StepBack,
    ToggleHelp,
}

/// The open lesson and where the learner is in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonState {
    /// Index into [`App::lessons`].
    pub lesson: usize,
    pub step: usize,
    /// Steps whose check has passed (sticky: a later action may undo what a check looked at).
    pub passed: Vec<bool>,
    /// The prediction made for the current step.
    pub predicted: Option<usize>,
    pub show_hint: bool,
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
    /// The built-in lessons (parsed once).
    pub lessons: Rc<Vec<Lesson>>,
    pub lesson: Option<LessonState>,
    /// Steps done per lesson id (survives reloads through the shell's storage).
    pub progress: BTreeMap<String, usize>,
    pub predict_mode: bool,
    pub classroom: bool,
    pub show_help: bool,
    /// Virtual times before each Step (← goes back to them).
    back_stack: Vec<i64>,
    ticks: u64,
    /// Actions one Tick may process (see [`App::tune_budget`]).
    pub frame_budget: usize,
    /// Changes whenever what the editor shows changes (files, problems, language): the editor redraws only then.
    pub editor_rev: u64,
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
            lessons: Rc::new(lessons::builtin()),
            lesson: None,
            progress: BTreeMap::new(),
            predict_mode: true,
            classroom: false,
            show_help: false,
            back_stack: Vec::new(),
            ticks: 0,
            frame_budget: FRAME_BUDGET,
            editor_rev: 0,
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

    /// The shell measured that the last Tick took `elapsed_ms` of real time for `actions` actions: fit the
    /// budget so a frame spends about [`FRAME_SIM_MS`] simulating, whatever the machine's speed.
    pub fn tune_budget(&mut self, elapsed_ms: f64, actions: u64) {
        if !elapsed_ms.is_finite() || actions == 0 || elapsed_ms <= 0.0 {
            return;
        }
        let per_action = elapsed_ms / actions as f64;
        let fit = (FRAME_SIM_MS / per_action).clamp(10.0, 20_000.0) as usize;
        // Move halfway towards the fit: one slow frame (a garbage collection) must not swing it.
        self.frame_budget = (self.frame_budget + fit) / 2;
    }

    fn analyze(&mut self) {
        self.editor_rev += 1;
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
        let before: BTreeMap<&str, bool> = self.announced.iter().map(|(n, r)| (n.as_str(), *r)).collect();
        let newly: Vec<&str> = now
            .iter()
            .filter(|(name, ready)| *ready && before.get(name.as_str()) != Some(&true))
            .map(|(name, _)| name.as_str())
            .collect();
        // A screen reader hears a few names, or a count when many pods became Ready at once.
        match newly.len() {
            0 => {}
            1..=3 => {
                for name in &newly {
                    fx.announce.push(match self.lang {
                        Lang::En => format!("{name} is Ready"),
                        Lang::Zh => format!("{name} 已就绪"),
                    });
                }
            }
            n => fx.announce.push(match self.lang {
                Lang::En => format!("{n} pods became Ready"),
                Lang::Zh => format!("{n} 个 Pod 已就绪"),
            }),
        }
        self.announced = now;
        fx.render = true;
    }

    pub fn reduce(&mut self, action: UiAction) -> Effect {
        let mut fx = Effect::default();
        let action_kind = if matches!(action, UiAction::Tick(_)) { Kind0::Tick } else { Kind0::Other };
        match action.clone() {
            UiAction::Tick(real_ms) => {
                if !self.playing {
                    return fx;
                }
                let real = if real_ms.is_finite() { real_ms.clamp(0.0, MAX_FRAME_MS) } else { 0.0 };
                let virt = (real * SPEEDS[self.speed.min(SPEEDS.len() - 1)]).round() as i64;
                let before = self.player.moment();
                let o = self.player.tick(virt, self.frame_budget);
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
                self.ticks += 1;
                // Checks cost a little: judge every few frames that changed something, and when play stops.
                if (o.changed && self.ticks.is_multiple_of(4)) || !self.playing {
                    self.check_lesson(&mut fx);
                }
            }
            UiAction::Step => {
                self.playing = false;
                self.back_stack.push(self.player.now().0);
                if self.back_stack.len() > 500 {
                    self.back_stack.remove(0);
                }
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
                        self.editor_rev += 1;
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
                self.editor_rev += 1;
                fx.render = true;
            }
            UiAction::SetTheme(t) => {
                self.theme = t;
                fx.render = true;
            }
            UiAction::Load(s) => {
                let (lang, theme, loaded) = (self.lang, self.theme, self.descriptions_loaded);
                let (progress, classroom, predict) = (self.progress.clone(), self.classroom, self.predict_mode);
                *self = App::new(*s);
                self.lang = lang;
                self.theme = theme;
                self.descriptions_loaded = loaded;
                self.progress = progress;
                self.classroom = classroom;
                self.predict_mode = predict;
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
            UiAction::OpenLesson(n, step) => self.open_lesson(n, step, &mut fx),
            UiAction::CloseLesson => {
                self.lesson = None;
                fx.render = true;
            }
            UiAction::LessonNext | UiAction::LessonBack => {
                let lessons = self.lessons.clone();
                if let Some(l) = &mut self.lesson {
                    let count = lessons.get(l.lesson).map(|x| x.steps.len()).unwrap_or(0);
                    if action == UiAction::LessonNext && l.step + 1 < count {
                        l.step += 1;
                    } else if action == UiAction::LessonBack && l.step > 0 {
                        l.step -= 1;
                    }
                    l.predicted = None;
                    l.show_hint = false;
                }
                self.check_lesson(&mut fx);
                fx.render = true;
            }
            UiAction::Predict(i) => {
                if let Some(l) = &mut self.lesson {
                    l.predicted = Some(i);
                }
                fx.render = true;
            }
            UiAction::ToggleHint => {
                if let Some(l) = &mut self.lesson {
                    l.show_hint = !l.show_hint;
                }
                fx.render = true;
            }
            UiAction::RunLessonCommand => {
                if let Some(lessons::ActionView::Command(c)) = self.current_step().map(|s| s.action()) {
                    self.run_command(&c, &mut fx);
                }
            }
            UiAction::SetPredictMode(on) => {
                self.predict_mode = on;
                fx.render = true;
            }
            UiAction::SetClassroom(on) => {
                self.classroom = on;
                fx.render = true;
            }
            UiAction::StepBack => {
                let target = self.back_stack.pop().unwrap_or_else(|| (self.player.now().0 - 1_000).max(0));
                self.playing = false;
                self.player.seek(target);
                self.refresh(&mut fx);
                fx.save = true;
            }
            UiAction::ToggleHelp => {
                self.show_help = !self.show_help;
                fx.render = true;
            }
        }
        if !matches!(action_kind, Kind0::Tick) {
            self.check_lesson(&mut fx);
        }
        fx
    }

    /// The step of the open lesson the learner is on.
    pub fn current_step(&self) -> Option<&lessons::Step> {
        let l = self.lesson.as_ref()?;
        self.lessons.get(l.lesson)?.steps.get(l.step)
    }

    pub fn current_lesson(&self) -> Option<&Lesson> {
        self.lessons.get(self.lesson.as_ref()?.lesson)
    }

    /// Starts lesson `n` at `step` on a fresh session: the lesson's files, then the commands that bring the
    /// cluster to that step (they appear in the terminal, so the learner sees how it got there).
    fn open_lesson(&mut self, n: usize, step: usize, fx: &mut Effect) {
        let Some(lesson) = self.lessons.get(n).cloned() else {
            self.notice = Some(format!("There is no lesson {}.", n + 1));
            fx.render = true;
            return;
        };
        let step = step.min(lesson.steps.len().saturating_sub(1));
        let prep = lessons::prepare(&lesson, step);
        let mut files: Vec<EditorFile> = Vec::new();
        for (name, _) in lessons::default_files() {
            if let Some(text) = prep.files.get(&name) {
                files.push(EditorFile { name: name.clone(), text: text.clone() });
            }
        }
        for (name, text) in &prep.files {
            if !files.iter().any(|f| &f.name == name) {
                files.push(EditorFile { name: name.clone(), text: text.clone() });
            }
        }
        let mut session = Session::new(lessons::DEFAULT_SEED, files);
        session.history = self.player.session.history.clone();
        self.player = Player::new(session);
        for c in &prep.commands {
            self.player.run_command(c);
        }
        if let Some(f) = lesson.steps.get(step).and_then(|s| s.file()) {
            if let Some(i) = self.player.session.files.iter().position(|x| x.name == f) {
                self.player.session.active_file = i;
            }
        }
        self.playing = false;
        self.selected = None;
        self.back_stack.clear();
        let mut passed = vec![false; lesson.steps.len()];
        for p in passed.iter_mut().take(step) {
            *p = true;
        }
        self.lesson = Some(LessonState { lesson: n, step, passed, predicted: None, show_hint: false });
        self.refresh(fx);
        self.analyze();
        fx.save = true;
        fx.render = true;
    }

    /// Judges the current step from the engine's state (never from what was typed).
    fn check_lesson(&mut self, fx: &mut Effect) {
        let Some(l) = self.lesson.clone() else { return };
        let Some(lesson) = self.lessons.get(l.lesson).cloned() else { return };
        if l.passed.get(l.step).copied().unwrap_or(true) {
            return;
        }
        let Some(step) = lesson.steps.get(l.step) else { return };
        if step.predict.is_some() && self.predict_mode && l.predicted.is_none() {
            // Predict first, then observe: the step counts once a prediction was made.
            return;
        }
        let files: BTreeMap<String, String> =
            self.player.session.files.iter().map(|f| (f.name.clone(), f.text.clone())).collect();
        let was = self.player.term.interactive;
        self.player.term.interactive = false;
        let ok = lessons::check(&lesson, l.step, &mut self.player.term, &files);
        self.player.term.interactive = was;
        if ok {
            if let Some(st) = &mut self.lesson {
                st.passed[l.step] = true;
            }
            let done = self.progress.entry(lesson.id.clone()).or_insert(0);
            *done = (*done).max(l.step + 1);
            fx.announce.push(match self.lang {
                Lang::En => format!("Step {} done.", l.step + 1),
                Lang::Zh => format!("第 {} 步完成。", l.step + 1),
            });
            fx.render = true;
            fx.save = true;
        }
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
        text.len() <= MAX_FILE_BYTES
    }
}

/// Ticks are frequent: lesson checks run on other actions, and on every few ticks that changed the cluster.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind0 {
    Tick,
    Other,
}

/// Whether a command line uses `kubectl explain` (its texts load on first use).
pub fn needs_descriptions(line: &str) -> bool {
    let mut words = line.split_whitespace();
    while let Some(w) = words.next() {
        if (w == "kubectl" || w == "k") && words.next() == Some("explain") {
            return true;
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

#[cfg(test)]
mod lesson_tests {
    use super::*;

    fn app() -> App {
        let files = lessons::default_files().into_iter().map(|(name, text)| EditorFile { name, text }).collect();
        App::new(Session::new(1, files))
    }

    #[test]
    fn a_deep_link_opens_lesson_six_ready_for_its_step() {
        let mut a = app();
        let n = a.lessons.iter().position(|l| l.number == 6).unwrap();
        a.reduce(UiAction::OpenLesson(n, 1));
        let l = a.lesson.clone().unwrap();
        assert_eq!(l.step, 1);
        assert!(l.passed[0] && !l.passed[1]);
        // Five pods are up (the lesson's setup ran, visibly, in the terminal).
        assert_eq!(a.view.pods().len(), 5);
        assert!(a.player.blocks.iter().any(|b| b.command.contains("sim settle")));
        // The step passes only once its command ran: judged from the cluster, not the text.
        a.reduce(UiAction::RunCommand("kubectl get pods".into()));
        assert!(!a.lesson.as_ref().unwrap().passed[1]);
        a.reduce(UiAction::RunLessonCommand);
        assert!(a.lesson.as_ref().unwrap().passed[1], "partition patched");
        assert_eq!(a.progress.get("partition"), Some(&2));
    }

    #[test]
    fn predictions_come_before_observations() {
        let mut a = app();
        let n = a.lessons.iter().position(|l| l.number == 2).unwrap();
        let lesson = a.lessons[n].clone();
        let Some(k) = lesson.steps.iter().position(|s| s.predict.is_some()) else { return };
        a.reduce(UiAction::OpenLesson(n, k));
        // Do the step's action without predicting: not done yet.
        let files: BTreeMap<String, String> =
            a.player.session.files.iter().map(|f| (f.name.clone(), f.text.clone())).collect();
        let mut files2 = files.clone();
        lessons::perform(&lesson, k, &mut a.player.term, &mut files2);
        a.reduce(UiAction::Analyze);
        assert!(!a.lesson.as_ref().unwrap().passed[k]);
        a.reduce(UiAction::Predict(0));
        a.reduce(UiAction::Analyze);
        assert!(a.lesson.as_ref().unwrap().passed[k]);
    }

    #[test]
    fn step_back_returns_to_the_moment_before_the_step() {
        let mut a = app();
        a.reduce(UiAction::SelectFile(2));
        a.reduce(UiAction::Apply);
        a.reduce(UiAction::Step);
        a.reduce(UiAction::Step);
        let t1 = a.player.now().0;
        a.reduce(UiAction::Step);
        assert!(a.player.now().0 >= t1);
        a.reduce(UiAction::StepBack);
        assert_eq!(a.player.now().0, t1);
    }
}
