//! The browser playground: a thin Yew shell that draws `stsplay-ui`'s [`App`] and turns clicks, keys and
//! timer ticks into its [`UiAction`]s. It holds no simulation logic: the reducer, the player (time, rewind,
//! recording) and the view models are in `stsplay-ui`, tested natively. What lives here: components, the
//! clock (an interval that sends `Tick` with the real time that passed), persistence (localStorage, share
//! links) and the lazily loaded explain texts.

pub mod chart;
pub mod editor;
pub mod events;
pub mod lesson;
pub mod map;
pub mod platform;
pub mod terminal;
pub mod timebar;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use stsplay_ui::app::{App, Effect, Theme, UiAction};
use stsplay_ui::i18n::{tr, Lang};
use stsplay_ui::session::{EditorFile, Session};
use stsplay_ui::share;
use yew::prelude::*;

/// Side effects of the reducer that need the browser (timers, storage, the live region).
#[derive(Default)]
pub struct Shell {
    dispatch: RefCell<Option<Callback<UiAction>>>,
    analyze_timer: RefCell<Option<gloo_timers::callback::Timeout>>,
    save_pending: Cell<bool>,
    announce: RefCell<String>,
}

impl Shell {
    fn handle(&self, fx: &Effect) {
        if fx.save {
            self.save_pending.set(true);
        }
        if fx.analyze_later {
            let d = self.dispatch.borrow().clone();
            // Typing never waits on the checks: they run once typing pauses for 300 ms.
            *self.analyze_timer.borrow_mut() =
                d.map(|d| gloo_timers::callback::Timeout::new(300, move || d.emit(UiAction::Analyze)));
        }
        if !fx.announce.is_empty() {
            *self.announce.borrow_mut() = fx.announce.join(". ");
        }
        if let Some(line) = fx.load_descriptions.clone() {
            let d = self.dispatch.borrow().clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = platform::fetch_text("descriptions.json")
                    .await
                    .and_then(|t| stsplay_kubectl::explain::set_descriptions(&t));
                if let Some(d) = d {
                    if let Err(e) = result {
                        d.emit(UiAction::Notice(format!("kubectl explain: {e}")));
                    }
                    // Run it either way: without the texts explain still prints the fields.
                    d.emit(UiAction::DescriptionsLoaded(line));
                }
            });
        }
    }
}

/// The reducer's state as Yew sees it: the app behind a shared cell, and a revision that changes whenever
/// something visible changed (a new `Rc` makes Yew redraw).
pub struct Model {
    pub app: Rc<RefCell<App>>,
    pub rev: u64,
    pub shell: Rc<Shell>,
}

impl PartialEq for Model {
    fn eq(&self, other: &Self) -> bool {
        self.rev == other.rev && Rc::ptr_eq(&self.app, &other.app)
    }
}

impl Reducible for Model {
    type Action = UiAction;
    fn reduce(self: Rc<Self>, action: UiAction) -> Rc<Self> {
        let fx = {
            let Ok(mut app) = self.app.try_borrow_mut() else { return self };
            if matches!(action, UiAction::Tick(_)) && app.playing {
                let (t0, s0) = (platform::now_ms(), app.player.term.world.steps);
                let fx = app.reduce(action);
                let actions = app.player.term.world.steps.saturating_sub(s0);
                app.tune_budget(platform::now_ms() - t0, actions);
                fx
            } else {
                app.reduce(action)
            }
        };
        self.shell.handle(&fx);
        if fx.render || !fx.announce.is_empty() {
            Rc::new(Model { app: self.app.clone(), rev: self.rev.wrapping_add(1), shell: self.shell.clone() })
        } else {
            self
        }
    }
}

/// The model handle as a prop that never compares unequal: a component that takes it redraws only when its
/// other props (a revision key of what it shows) change. It still reads the latest state through the shared
/// app cell.
#[derive(Clone)]
pub struct Shared(pub UseReducerHandle<Model>);

impl PartialEq for Shared {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::ops::Deref for Shared {
    type Target = UseReducerHandle<Model>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// What the terminal shows changes only with these: commands, job output, the position, language.
fn terminal_key(app: &App) -> (usize, usize, usize, usize, bool, bool) {
    let p = &app.player;
    let streamed = p.blocks.iter().map(|b| b.stream.len()).sum();
    (p.blocks.len(), streamed, p.next_entry(), app.session().cleared_before, p.job_running(), app.lang == Lang::Zh)
}

/// The files a first visit starts with: the seed tutorial's manifest as written (typos included), a sample
/// of static PersistentVolumes, and a corrected manifest.
fn default_files() -> Vec<EditorFile> {
    stsplay_ui::lessons::default_files().into_iter().map(|(name, text)| EditorFile { name, text }).collect()
}

/// How the page is shown, from its URL (`?embed=1&compact=1&readonly=1&files=a.yaml,b.yaml&id=demo1&lesson=6&step=3&lang=zh&theme=dark&classroom=1`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageOptions {
    pub embed: bool,
    pub compact: bool,
    pub readonly: bool,
    /// Only these editor files are shown (all when empty).
    pub files: Vec<String>,
    /// Where this page keeps its state: embedded playgrounds on one page must not share it.
    pub storage_key: String,
    pub lesson: Option<String>,
    pub step: Option<usize>,
    pub classroom: bool,
}

impl PageOptions {
    pub fn from_url() -> PageOptions {
        let flag = |k: &str| platform::query_param(k).is_some_and(|v| v != "0" && v != "false");
        let embed = flag("embed");
        let id: String = platform::query_param("id")
            .unwrap_or_default()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(64)
            .collect();
        let storage_key = match (embed, id.is_empty()) {
            (false, true) => platform::STORAGE_KEY.to_string(),
            (false, false) => format!("{}.{id}", platform::STORAGE_KEY),
            // An embed without an id keeps nothing: two anonymous embeds could not tell their states apart.
            (true, true) => String::new(),
            (true, false) => format!("{}.embed.{id}", platform::STORAGE_KEY),
        };
        PageOptions {
            embed,
            compact: flag("compact"),
            readonly: flag("readonly"),
            files: platform::query_param("files")
                .map(|f| f.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).take(32).collect())
                .unwrap_or_default(),
            storage_key,
            lesson: platform::query_param("lesson"),
            step: platform::query_param("step").and_then(|s| s.parse::<usize>().ok()),
            classroom: flag("classroom"),
        }
    }
}

thread_local! {
    static OPTIONS: std::cell::OnceCell<PageOptions> = const { std::cell::OnceCell::new() };
}

/// The page's options (read from the URL once).
pub fn options() -> PageOptions {
    OPTIONS.with(|o| o.get_or_init(PageOptions::from_url).clone())
}

/// The session to open: a share link in the address, else the saved one, else a fresh one.
fn initial_session() -> (Session, Option<String>) {
    let frag = platform::fragment();
    // Only fragments shaped like share links (`s1.…`, `s=…`, or another version `s2.…`) are decoded; other
    // anchors open the page normally.
    let looks_shared = frag.starts_with("s=")
        || (frag.len() > 2
            && frag.starts_with('s')
            && frag[1..].split('.').next().is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit())));
    if looks_shared {
        platform::clear_fragment();
        match share::decode(&frag) {
            Ok(s) => return (s, None),
            Err(e) => {
                let fallback = saved_session().unwrap_or_else(|| Session::new(1, default_files()));
                return (fallback, Some(e));
            }
        }
    }
    match saved_session() {
        Some(s) => (s, None),
        None => (Session::new(1, default_files()), None),
    }
}

fn saved_session() -> Option<Session> {
    let key = options().storage_key;
    if key.is_empty() || options().lesson.is_some() {
        return None;
    }
    let text = platform::storage_get(&key)?;
    share::decode(&text).ok()
}

fn initial_model() -> Model {
    let (session, problem) = initial_session();
    let mut app = App::new(session);
    let prefs = platform::storage_get(platform::PREFS_KEY).unwrap_or_default();
    app.lang = match platform::query_param("lang") {
        Some(l) => Lang::from_tag(&l),
        None if prefs.contains("lang=zh") => Lang::Zh,
        None if prefs.contains("lang=en") => Lang::En,
        None => Lang::from_tag(&platform::browser_language()),
    };
    app.theme = match platform::query_param("theme").as_deref() {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ if prefs.contains("theme=dark") => Theme::Dark,
        _ if prefs.contains("theme=light") => Theme::Light,
        _ if platform::prefers_dark() => Theme::Dark,
        _ => Theme::Light,
    };
    if let Some(p) = problem {
        app.notice = Some(p);
    }
    let opts = options();
    app.classroom = opts.classroom || prefs.contains("classroom=1");
    app.predict_mode = !prefs.contains("predict=0");
    for part in prefs.split(';') {
        if let Some(rest) = part.strip_prefix("done:") {
            if let Some((id, n)) = rest.split_once('=') {
                if let Ok(n) = n.parse::<usize>() {
                    app.progress.insert(id.to_string(), n);
                }
            }
        }
    }
    if let Some(l) = &opts.lesson {
        // A lesson by number (`lesson=6`) or id (`lesson=partition`); steps are counted from 1 in links.
        let found = app.lessons.iter().position(|x| x.id == *l || x.number.to_string() == *l);
        match found {
            Some(n) => {
                let step = opts.step.unwrap_or(1).saturating_sub(1);
                app.reduce(UiAction::OpenLesson(n, step));
            }
            None => {
                app.notice = Some(format!("There is no lesson {l:?} (try lesson=1 to lesson={}).", app.lessons.len()))
            }
        }
    }
    Model { app: Rc::new(RefCell::new(app)), rev: 0, shell: Rc::new(Shell::default()) }
}

/// The most editor text a saved session holds (see `save`).
const MAX_SAVED_BYTES: usize = 4 * 1024 * 1024;

fn save(app: &App) {
    let key = options().storage_key;
    if key.is_empty() {
        return;
    }
    // Browsers keep about 5 MB per site: a session holding a huge paste is not saved (it stays in the page);
    // compressing it on every change would also stall typing.
    let bytes: usize = app.session().files.iter().map(|f| f.text.len()).sum();
    if bytes > MAX_SAVED_BYTES {
        platform::log("stsplay: the editor holds more than 4 MB; the session is not saved in this browser");
        return;
    }
    let link = share::encode(app.session());
    if let Err(e) = platform::storage_set(&key, &link) {
        platform::log(&e);
    }
    let mut prefs = format!(
        "lang={};theme={};classroom={};predict={}",
        if app.lang == Lang::Zh { "zh" } else { "en" },
        if app.theme == Theme::Dark { "dark" } else { "light" },
        u8::from(app.classroom),
        u8::from(app.predict_mode),
    );
    for (id, n) in &app.progress {
        prefs.push_str(&format!(";done:{id}={n}"));
    }
    // An embedded playground follows its host's URL for language and theme; it leaves the learner's own
    // preferences alone.
    if !options().embed {
        let _ = platform::storage_set(platform::PREFS_KEY, &prefs);
    }
}

/// Global keys (ignored while typing in a field): Space play/pause, → step, ← step back, R reset, ? help.
fn shortcut(e: &web_sys::KeyboardEvent) -> Option<UiAction> {
    use wasm_bindgen::JsCast;
    if e.ctrl_key() || e.meta_key() || e.alt_key() {
        return None;
    }
    let typing = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|el| {
            let tag = el.tag_name().to_ascii_lowercase();
            matches!(tag.as_str(), "input" | "textarea" | "select")
                || el.closest("[contenteditable]").ok().flatten().is_some()
        })
        .unwrap_or(false);
    if typing {
        return None;
    }
    match e.key().as_str() {
        " " => Some(UiAction::TogglePlay),
        "ArrowRight" => Some(UiAction::Step),
        "ArrowLeft" => Some(UiAction::StepBack),
        "r" | "R" => Some(UiAction::Reset),
        "?" => Some(UiAction::ToggleHelp),
        "Escape" => Some(UiAction::Select(None)),
        _ => None,
    }
}

#[component]
pub fn Root() -> Html {
    let model = use_reducer(initial_model);
    let dispatcher = model.dispatcher();

    // The clock and the saver: set up once; they only send actions / read the shared app.
    {
        let shell = model.shell.clone();
        let app = model.app.clone();
        let d = dispatcher.clone();
        use_effect_with((), move |_| {
            *shell.dispatch.borrow_mut() = Some(d.to_callback());
            let last = Rc::new(Cell::new(platform::now_ms()));
            let d2 = d.clone();
            let clock = gloo_timers::callback::Interval::new(33, move || {
                let now = platform::now_ms();
                let dt = now - last.get();
                last.set(now);
                d2.dispatch(UiAction::Tick(dt));
            });
            let shell2 = shell.clone();
            let saver = gloo_timers::callback::Interval::new(700, move || {
                if shell2.save_pending.replace(false) {
                    if let Ok(a) = app.try_borrow() {
                        save(&a);
                    }
                }
            });
            let d3 = d.clone();
            let keys = gloo_events_listener(move |e: web_sys::KeyboardEvent| {
                if let Some(a) = shortcut(&e) {
                    // Buttons and links keep their own Space/Enter.
                    let on_button = e
                        .target()
                        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                        .map(|el| matches!(el.tag_name().to_ascii_lowercase().as_str(), "button" | "a" | "summary"))
                        .unwrap_or(false);
                    if on_button && e.key() == " " {
                        return;
                    }
                    e.prevent_default();
                    d3.dispatch(a);
                }
            });
            move || {
                drop(clock);
                drop(saver);
                drop(keys);
            }
        });
    }
    // Embedded: tell the host page how tall the playground is, after every render (auto-height iframes).
    {
        let rev = model.rev;
        use_effect_with(rev, move |_| {
            if options().embed {
                platform::post_height();
            }
        });
    }

    let app = model.app.borrow();
    let lang = app.lang;
    let opts = options();
    let theme_class = classes!(
        "app",
        if app.theme == Theme::Dark { "dark" } else { "light" },
        app.classroom.then_some("classroom"),
        opts.embed.then_some("embed"),
        opts.compact.then_some("compact"),
    );
    let on_share = {
        let app_rc = model.app.clone();
        let d = dispatcher.clone();
        Callback::from(move |_| {
            let link = match app_rc.try_borrow() {
                Ok(a) => {
                    save(&a);
                    format!("{}#{}", platform::base_url(), share::encode(a.session()))
                }
                Err(_) => return,
            };
            platform::copy_to_clipboard(&link);
            d.dispatch(UiAction::Notice(format!("share:{link}")));
        })
    };
    let on_lang = {
        let d = dispatcher.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            d.dispatch(UiAction::SetLang(Lang::from_tag(&v)));
        })
    };
    let on_theme = {
        let d = dispatcher.clone();
        let dark = app.theme == Theme::Dark;
        Callback::from(move |_| d.dispatch(UiAction::SetTheme(if dark { Theme::Light } else { Theme::Dark })))
    };
    let on_classroom = {
        let d = dispatcher.clone();
        let on = app.classroom;
        Callback::from(move |_| d.dispatch(UiAction::SetClassroom(!on)))
    };
    let on_predict = {
        let d = dispatcher.clone();
        let on = app.predict_mode;
        Callback::from(move |_| d.dispatch(UiAction::SetPredictMode(!on)))
    };
    let on_help = {
        let d = dispatcher.clone();
        Callback::from(move |_| d.dispatch(UiAction::ToggleHelp))
    };
    let on_export = {
        let app_rc = model.app.clone();
        Callback::from(move |_| {
            if let Ok(a) = app_rc.try_borrow() {
                platform::download("stsplay-session.sh", &stsplay_ui::export::script(a.session()));
            }
        })
    };
    let notice = app.notice.clone().map(|n| {
        let d = dispatcher.clone();
        let dismiss = Callback::from(move |_| d.dispatch(UiAction::DismissNotice));
        let body = match n.strip_prefix("share:") {
            Some(link) => html! {
                <>
                    <span>{ tr(lang, "Copy the link below to share this exact session.") }</span>
                    <input class="share-link" readonly=true aria-label={tr(lang, "Share link")} value={link.to_string()} />
                </>
            },
            None => html! { <span>{ n }</span> },
        };
        html! {
            <div class="notice" role="status">
                { body }
                <button class="dismiss" onclick={dismiss} aria-label={tr(lang, "Dismiss")}>{ "×" }</button>
            </div>
        }
    });
    let announce = model.shell.announce.borrow().clone();
    let view = Rc::new(app.view.clone());
    html! {
        <div class={theme_class} lang={lang.tag()}>
            <header class="top">
                <h1>{ tr(lang, "StatefulSet Playground") }</h1>
                <div class="top-actions">
                    <label class="lang">
                        <span class="sr-only">{ tr(lang, "Language") }</span>
                        <select onchange={on_lang} aria-label={tr(lang, "Language")}>
                            <option value="en" selected={lang == Lang::En}>{ "English" }</option>
                            <option value="zh" selected={lang == Lang::Zh}>{ "简体中文" }</option>
                        </select>
                    </label>
                    <button onclick={on_theme} aria-pressed={if app.theme == Theme::Dark { "true" } else { "false" }}>
                        { tr(lang, "Dark") }
                    </button>
                    <button onclick={on_classroom} aria-pressed={if app.classroom { "true" } else { "false" }}>{ tr(lang, "Presenter") }</button>
                    <button onclick={on_predict} aria-pressed={if app.predict_mode { "true" } else { "false" }}>{ tr(lang, "Predict first") }</button>
                    <button onclick={on_export} title={tr(lang, "Download a script that replays this session on kind or minikube")}>{ tr(lang, "Export") }</button>
                    <button onclick={on_help} aria-label={tr(lang, "Help")} aria-expanded={if app.show_help { "true" } else { "false" }}>{ "?" }</button>
                    <button onclick={on_share}>{ tr(lang, "Share") }</button>
                </div>
            </header>
            if app.show_help { { help(lang, dispatcher.clone()) } }
            { for notice }
            <main class="grid">
                <section class="pane editor-pane" aria-label={tr(lang, "Editor panel")}>
                    <editor::EditorPane model={Shared(model.clone())} rev={app.editor_rev} />
                </section>
                <section class="pane map-pane" aria-label={tr(lang, "Cluster map")}>
                    <timebar::TimeBar model={model.clone()} />
                    <details class="chart-box" open=true>
                        <summary>{ tr(lang, "Pod timeline") }</summary>
                        <chart::PodChart timeline={chart_timeline(&app)} now_ms={app.player.now().0} lang={lang}
                            on_seek={ { let d = dispatcher.clone(); Callback::from(move |t: i64| d.dispatch(UiAction::Seek(t))) } } />
                    </details>
                    <map::MapPane view={view} lang={lang} dispatch={dispatcher.to_callback()} />
                </section>
                <section class="pane term-pane" aria-label={tr(lang, "Terminal panel")}>
                    <terminal::TerminalPane model={Shared(model.clone())} key_={terminal_key(&app)} />
                </section>
                <section class="pane events-pane" aria-label={tr(lang, "Events panel")}>
                    <lesson::LessonPanel model={model.clone()} />
                    <events::EventsPane model={model.clone()} />
                </section>
            </main>
            <div class="sr-only" aria-live="polite" role="status">{ announce }</div>
        </div>
    }
}

/// Mounts the playground on the page's body.
pub fn run() {
    std::panic::set_hook(Box::new(|info| {
        platform::log(&format!("stsplay: internal error: {info}"));
    }));
    yew::Renderer::<Root>::new().render();
}

/// Mounts the playground inside `host` (component tests mount it in a fresh element of their own).
pub fn mount(host: web_sys::Element) -> yew::AppHandle<Root> {
    yew::Renderer::<Root>::with_root(host).render()
}

/// A document-level keydown listener that lives as long as the returned guard.
fn gloo_events_listener(f: impl Fn(web_sys::KeyboardEvent) + 'static) -> Option<KeyGuard> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()?.document()?;
    let cb = Closure::<dyn Fn(web_sys::Event)>::new(move |e: web_sys::Event| {
        if let Ok(k) = e.dyn_into::<web_sys::KeyboardEvent>() {
            f(k);
        }
    });
    doc.add_event_listener_with_callback("keydown", cb.as_ref().unchecked_ref()).ok()?;
    Some(KeyGuard { doc, cb })
}

/// Removes the listener when dropped.
pub struct KeyGuard {
    doc: web_sys::Document,
    cb: wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>,
}

impl Drop for KeyGuard {
    fn drop(&mut self) {
        use wasm_bindgen::JsCast;
        let _ = self.doc.remove_event_listener_with_callback("keydown", self.cb.as_ref().unchecked_ref());
    }
}

/// The keyboard help (opened with ? or the ? button).
fn help(lang: Lang, d: UseReducerDispatcher<Model>) -> Html {
    let close = Callback::from(move |_| d.dispatch(UiAction::ToggleHelp));
    let rows: [(&str, &str); 6] = [
        ("Space", tr(lang, "Play / Pause")),
        ("→", tr(lang, "Step to the next change")),
        ("←", tr(lang, "Step back")),
        ("R", tr(lang, "Reset the cluster")),
        ("?", tr(lang, "Show or hide this help")),
        ("Ctrl-C / Ctrl-L", tr(lang, "In the terminal: stop a watch / clear")),
    ];
    html! {
        <div class="help" role="dialog" aria-label={tr(lang, "Keyboard shortcuts")}>
            <h2>{ tr(lang, "Keyboard shortcuts") }</h2>
            <dl>{ for rows.iter().map(|(k, v)| html! { <><dt><kbd>{ *k }</kbd></dt><dd>{ *v }</dd></> }) }</dl>
            <button onclick={close}>{ tr(lang, "Close") }</button>
        </div>
    }
}

/// The chart's timeline as last built: (store resourceVersion, horizon, when built, timeline).
type ChartCache = Option<(u64, i64, f64, Rc<stsplay_ui::timeline::Timeline>)>;

thread_local! {
    static CHART: RefCell<ChartCache> = const { RefCell::new(None) };
}

/// The pod timeline for the chart. Built from the world's watch log at the live edge only (after a rewind the
/// chart keeps showing the recorded future, so clicking can seek forward again), and at most every 1.5 s of
/// real time while the cluster keeps changing (building it walks the whole log).
fn chart_timeline(app: &App) -> Rc<stsplay_ui::timeline::Timeline> {
    let w = &app.player.term.world;
    let (rv, hz) = (w.store.resource_version(), app.session().horizon);
    let live = app.player.now().0 >= hz;
    let now = platform::now_ms();
    CHART.with(|c| {
        let mut c = c.borrow_mut();
        match &*c {
            Some((_, h, _, t)) if !live && *h == hz => t.clone(),
            Some((r, _, _, t)) if *r == rv => t.clone(),
            Some((_, h, built, t)) if *h == hz && now - built < 1500.0 && app.playing => t.clone(),
            _ => {
                let t = Rc::new(stsplay_ui::timeline::pod_timeline(w, 0, app.player.now().0));
                *c = Some((rv, hz, now, t.clone()));
                t
            }
        }
    })
}
