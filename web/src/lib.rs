//! The browser playground: a thin Yew shell that draws `stsplay-ui`'s [`App`] and turns clicks, keys and
//! timer ticks into its [`UiAction`]s. It holds no simulation logic: the reducer, the player (time, rewind,
//! recording) and the view models are in `stsplay-ui`, tested natively. What lives here: components, the
//! clock (an interval that sends `Tick` with the real time that passed), persistence (localStorage, share
//! links) and the lazily loaded explain texts.

pub mod editor;
pub mod events;
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
            app.reduce(action)
        };
        self.shell.handle(&fx);
        if fx.render || !fx.announce.is_empty() {
            Rc::new(Model { app: self.app.clone(), rev: self.rev.wrapping_add(1), shell: self.shell.clone() })
        } else {
            self
        }
    }
}

/// The files a first visit starts with: the seed tutorial's manifest as written (typos included), a sample
/// of static PersistentVolumes, and a corrected manifest.
fn default_files() -> Vec<EditorFile> {
    stsplay_ui::lessons::default_files().into_iter().map(|(name, text)| EditorFile { name, text }).collect()
}

/// The session to open: a share link in the address, else the saved one, else a fresh one.
fn initial_session() -> (Session, Option<String>) {
    let frag = platform::fragment();
    if !frag.is_empty() && (frag.starts_with(share::PREFIX) || frag.starts_with("s=") || frag.starts_with('s')) {
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
    let text = platform::storage_get(platform::STORAGE_KEY)?;
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
    Model { app: Rc::new(RefCell::new(app)), rev: 0, shell: Rc::new(Shell::default()) }
}

fn save(app: &App) {
    let link = share::encode(app.session());
    if let Err(e) = platform::storage_set(platform::STORAGE_KEY, &link) {
        platform::log(&e);
    }
    let prefs = format!(
        "lang={};theme={}",
        if app.lang == Lang::Zh { "zh" } else { "en" },
        if app.theme == Theme::Dark { "dark" } else { "light" }
    );
    let _ = platform::storage_set(platform::PREFS_KEY, &prefs);
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
            move || {
                drop(clock);
                drop(saver);
            }
        });
    }

    let app = model.app.borrow();
    let lang = app.lang;
    let theme_class = if app.theme == Theme::Dark { "app dark" } else { "app light" };
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
                    <button onclick={on_share}>{ tr(lang, "Share") }</button>
                </div>
            </header>
            { for notice }
            <main class="grid">
                <section class="pane editor-pane" aria-label={tr(lang, "Editor panel")}>
                    <editor::EditorPane model={model.clone()} />
                </section>
                <section class="pane map-pane" aria-label={tr(lang, "Cluster map")}>
                    <timebar::TimeBar model={model.clone()} />
                    <map::MapPane view={view} lang={lang} dispatch={dispatcher.to_callback()} />
                </section>
                <section class="pane term-pane" aria-label={tr(lang, "Terminal panel")}>
                    <terminal::TerminalPane model={model.clone()} />
                </section>
                <section class="pane events-pane" aria-label={tr(lang, "Events panel")}>
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
