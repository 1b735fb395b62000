//! The Events panel (Kubernetes Events and, on request, the simulator's trace; newest first, filterable by
//! object) and the inspector of the object the learner clicked (its YAML as `kubectl get -o yaml` prints it,
//! and its events).

use crate::timebar::clock;
use crate::Model;
use stsplay_kubectl::terminal::NoFiles;
use stsplay_ui::app::UiAction;
use stsplay_ui::i18n::tr;
use stsplay_ui::view;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: UseReducerHandle<Model>,
}

const SHOWN: usize = 200;

/// The events shown: (store resourceVersion, filter, trace) they were built for, when, and the lines.
type EventsCache = Option<(u64, String, bool, f64, std::rc::Rc<Vec<view::EventLine>>)>;

thread_local! {
    static EVENTS: std::cell::RefCell<EventsCache> = const { std::cell::RefCell::new(None) };
}

/// The Events list, rebuilt when the cluster changed, but at most every second of real time while playing
/// (sorting thousands of Events every frame would cost the animation its smoothness).
fn cached_events(app: &stsplay_ui::app::App, filter: &str, trace: bool) -> std::rc::Rc<Vec<view::EventLine>> {
    let rv = app.player.term.world.store.resource_version();
    let now = crate::platform::now_ms();
    EVENTS.with(|c| {
        let mut c = c.borrow_mut();
        if let Some((r, f, t, built, lines)) = &*c {
            let same_query = f == filter && *t == trace;
            if same_query && (*r == rv || (app.playing && now - built < 1000.0)) {
                return lines.clone();
            }
        }
        let lines = std::rc::Rc::new(view::events(&app.player.term.world, filter, SHOWN, trace));
        *c = Some((rv, filter.to_string(), trace, now, lines.clone()));
        lines
    })
}

#[component]
pub fn EventsPane(props: &Props) -> Html {
    let model = &props.model;
    let d = model.dispatcher();
    let trace = use_state(|| false);
    let mut app = match model.app.try_borrow_mut() {
        Ok(a) => a,
        Err(_) => return html! {},
    };
    let lang = app.lang;
    let selected = app.selected.clone();
    let filter = match &selected {
        Some(s) if app.events_filter.is_empty() => s.arg(),
        _ => app.events_filter.clone(),
    };
    let lines = cached_events(&app, &filter, *trace);

    // The inspector's YAML comes from the terminal's own printer (a read-only `kubectl get`).
    let inspector = selected.map(|s| {
        let term = &mut app.player.term;
        let was = term.interactive;
        term.interactive = false;
        let out = term.run(
            &format!(
                "kubectl get {} -n {} -o yaml",
                s.arg(),
                if s.namespace.is_empty() { "default" } else { &s.namespace }
            ),
            &NoFiles,
        );
        term.interactive = was;
        let d = d.clone();
        let close = Callback::from(move |_| d.dispatch(UiAction::Select(None)));
        html! {
            <div class="inspector" role="region" aria-label={format!("{} {}", tr(lang, "Details"), s.arg())}>
                <div class="inspector-head">
                    <h2>{ s.arg() }</h2>
                    <button onclick={close} aria-label={tr(lang, "Close")}>{ "×" }</button>
                </div>
                <pre class="yaml">{ out.text() }</pre>
            </div>
        }
    });
    let on_filter = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            d.dispatch(UiAction::SetEventsFilter(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()));
        })
    };
    let on_trace = {
        let trace = trace.clone();
        Callback::from(move |_| trace.set(!*trace))
    };
    let items = lines.iter().map(|e| {
        let class = match e.type_.as_str() {
            "Warning" => "ev warning",
            "sim" => "ev sim",
            _ => "ev normal",
        };
        html! {
            <li class={class}>
                <span class="ev-time">{ clock(e.at) }</span>
                <span class="ev-type">{ e.type_.clone() }</span>
                if !e.reason.is_empty() { <span class="ev-reason">{ e.reason.clone() }</span> }
                <span class="ev-object">{ e.object.clone() }</span>
                <span class="ev-msg">{ e.message.clone() }</span>
                if e.count > 1 { <span class="ev-count">{ format!("×{}", e.count) }</span> }
            </li>
        }
    });
    html! {
        <div class="events">
            { for inspector }
            <div class="events-head">
                <h2>{ tr(lang, "Events") }</h2>
                <input type="search" aria-label={tr(lang, "Filter events by object")} placeholder="pod/myapp-0"
                    value={app.events_filter.clone()} oninput={on_filter} />
                <label class="trace-toggle">
                    <input type="checkbox" checked={*trace} onchange={on_trace} />{ " " }{ tr(lang, "Show simulator trace") }
                </label>
            </div>
            <ul class="event-list" aria-label={tr(lang, "Events")} tabindex="0">{ for items }</ul>
            if lines.is_empty() { <p class="empty">{ tr(lang, "No events yet.") }</p> }
        </div>
    }
}
