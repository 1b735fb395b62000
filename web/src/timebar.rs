//! Time control: the virtual clock, Step / Play-Pause / speed / Reset, and the timeline the learner scrubs
//! to rewind (marks show where commands ran). Real time only decides how fast virtual time runs.

use crate::Model;
use stsplay_model::time::SimTime;
use stsplay_ui::app::{UiAction, SPEEDS};
use stsplay_ui::i18n::tr;
use stsplay_ui::session::Input;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: UseReducerHandle<Model>,
}

/// `1:02:03` / `2:03` (virtual time since the session started).
pub fn clock(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (h, m, sec) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{sec:02}")
    } else {
        format!("{m}:{sec:02}")
    }
}

fn speed_label(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}×")
    } else {
        format!("{x}×")
    }
}

#[component]
pub fn TimeBar(props: &Props) -> Html {
    let model = &props.model;
    let app = model.app.borrow();
    let lang = app.lang;
    let d = model.dispatcher();
    let now = app.player.now().0;
    let horizon = app.session().horizon.max(now).max(1);
    let step = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(UiAction::Step))
    };
    let play = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(UiAction::TogglePlay))
    };
    let reset = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(UiAction::Reset))
    };
    let on_speed = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            if let Ok(i) = v.parse::<usize>() {
                d.dispatch(UiAction::SetSpeed(i));
            }
        })
    };
    let on_seek = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<web_sys::HtmlInputElement>().value();
            if let Ok(ms) = v.parse::<f64>() {
                d.dispatch(UiAction::Seek(ms as i64));
            }
        })
    };
    let playing = app.playing;
    let play_name = if playing { tr(lang, "Pause") } else { tr(lang, "Play") };
    // Marks where commands ran, drawn in SVG (positions are attributes, not inline styles: see the CSP).
    let marks = app.session().entries.iter().filter_map(|e| match &e.input {
        Input::Command { text, .. } => {
            let x = (e.moment.at as f64 / horizon as f64 * 1000.0).clamp(0.0, 1000.0);
            let d = d.clone();
            let at = e.moment.at;
            let onclick = Callback::from(move |_| d.dispatch(UiAction::Seek(at)));
            Some(html! {
                <rect class="mark" x={format!("{:.1}", x - 2.0)} y="0" width="4" height="10" data-at={at.to_string()} onclick={onclick}>
                    <title>{ format!("{} — {}", clock(at), text) }</title>
                </rect>
            })
        }
        Input::Interrupt => None,
    });
    let rfc = SimTime(now).rfc3339();
    let status = if app.player.lagging {
        tr(lang, "catching up")
    } else if playing {
        tr(lang, "Running")
    } else {
        tr(lang, "Paused")
    };
    html! {
        <div class="timebar">
            <div class="clock" role="timer" aria-label={tr(lang, "Virtual time")} aria-live="off" title={rfc}>
                <span class="t">{ clock(now) }</span>
                <span class="state">{ status }</span>
            </div>
            <div class="controls">
                <button onclick={step} aria-label={tr(lang, "Step")} title="→">{ "→ " }{ tr(lang, "Step") }</button>
                <button onclick={play} aria-label={play_name} class={classes!("play", playing.then_some("on"))} title="Space">
                    { if playing { "❚❚ " } else { "▶ " } }{ play_name }
                </button>
                <label class="speed">
                    <span aria-hidden="true">{ tr(lang, "Speed") }</span>
                    <input type="range" min="0" max={(SPEEDS.len() - 1).to_string()} step="1" value={app.speed.to_string()}
                        aria-label={tr(lang, "Speed")} aria-valuetext={speed_label(SPEEDS[app.speed])} oninput={on_speed} />
                    <output>{ speed_label(SPEEDS[app.speed]) }</output>
                </label>
                <button onclick={reset} aria-label={tr(lang, "Reset")} title="R">{ "↺ " }{ tr(lang, "Reset") }</button>
            </div>
            <div class="timeline">
                <input type="range" min="0" max={horizon.to_string()} step="100" value={now.to_string()}
                    aria-label={tr(lang, "Timeline")} aria-valuetext={clock(now)} oninput={on_seek} />
                <svg class="marks" viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true">{ for marks }</svg>
            </div>
        </div>
    }
}
