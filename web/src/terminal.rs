//! The terminal: scrollback of the recorded commands and what they printed (selectable text), a prompt with
//! history (↑/↓), Tab completion from the engine, Ctrl-C (stops a watch or `rollout status`), Ctrl-L.
//! Commands in the recorded future (after a rewind) are shown dimmed until the clock replays them.

use stsplay_kubectl::output::Stream;
use stsplay_ui::app::UiAction;
use stsplay_ui::i18n::tr;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: crate::Shared,
    /// What the terminal shows (see `terminal_key`): it redraws only when that changed.
    pub key_: (usize, usize, usize, usize, bool, bool),
}

/// The longest common prefix of the candidates (what Tab can fill in when several match).
fn common_prefix(c: &[String]) -> String {
    let Some(first) = c.first() else { return String::new() };
    let mut end = first.len();
    for s in &c[1..] {
        end = end.min(s.len());
        while end > 0 && (!first.is_char_boundary(end) || !s.is_char_boundary(end) || first[..end] != s[..end]) {
            end -= 1;
        }
    }
    first[..end].to_string()
}

#[component]
pub fn TerminalPane(props: &Props) -> Html {
    let model = &props.model;
    let app = model.app.borrow();
    let lang = app.lang;
    let d = model.dispatcher();
    let input = use_node_ref();
    let log = use_node_ref();
    let line = use_state(String::new);
    // Position in the history while browsing with ↑/↓ (None: editing a new line).
    let hist_pos = use_mut_ref(|| None::<usize>);
    let cands = use_state(Vec::<String>::new);

    // Keep the newest output in view.
    {
        let log = log.clone();
        let rev = props.key_;
        use_effect_with(rev, move |_| {
            if let Some(el) = log.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }

    let history = app.session().history.clone();
    let onkeydown = {
        let d = d.clone();
        let line = line.clone();
        let hist_pos = hist_pos.clone();
        let cands = cands.clone();
        let model = model.clone();
        Callback::from(move |e: KeyboardEvent| {
            let el: web_sys::HtmlInputElement = e.target_unchecked_into();
            let key = e.key();
            let ctrl = e.ctrl_key() || e.meta_key();
            match key.as_str() {
                "Enter" => {
                    e.prevent_default();
                    let v = el.value();
                    el.set_value("");
                    line.set(String::new());
                    *hist_pos.borrow_mut() = None;
                    cands.set(Vec::new());
                    d.dispatch(UiAction::RunCommand(v));
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    if history.is_empty() {
                        return;
                    }
                    let mut pos = hist_pos.borrow_mut();
                    let next = match (key.as_str(), *pos) {
                        ("ArrowUp", None) => Some(history.len() - 1),
                        ("ArrowUp", Some(0)) => Some(0),
                        ("ArrowUp", Some(i)) => Some(i - 1),
                        ("ArrowDown", Some(i)) if i + 1 < history.len() => Some(i + 1),
                        _ => None,
                    };
                    *pos = next;
                    let v = next.map(|i| history[i].clone()).unwrap_or_default();
                    el.set_value(&v);
                    line.set(v);
                }
                "Tab" => {
                    let v = el.value();
                    if v.is_empty() {
                        // An empty prompt lets Tab move focus on (keyboard users are never trapped).
                        return;
                    }
                    e.prevent_default();
                    let cursor = el.selection_start().ok().flatten().unwrap_or(v.len() as u32) as usize;
                    let cursor_chars = v.encode_utf16().take(cursor).count();
                    let byte_cursor = v.char_indices().nth(cursor_chars).map(|(b, _)| b).unwrap_or(v.len());
                    let before = &v[..byte_cursor];
                    let c = match model.app.try_borrow() {
                        Ok(a) => stsplay_kubectl::more::completions(&a.player.term, before, before.chars().count()),
                        Err(_) => return,
                    };
                    let word_start = before
                        .rfind(|ch: char| ch.is_whitespace() || ch == '|' || ch == ';')
                        .map(|i| i + 1)
                        .unwrap_or(0);
                    let word = &before[word_start..];
                    let fill = if c.len() == 1 { format!("{} ", c[0]) } else { common_prefix(&c) };
                    if fill.len() > word.len() && fill.starts_with(word.trim_start_matches(['\'', '"'])) {
                        let nv = format!("{}{}{}", &v[..word_start], fill, &v[byte_cursor..]);
                        el.set_value(&nv);
                        line.set(nv);
                    }
                    cands.set(if c.len() > 1 { c.into_iter().take(60).collect() } else { Vec::new() });
                }
                "c" | "C" if ctrl => {
                    let has_sel = el.selection_start().ok().flatten() != el.selection_end().ok().flatten();
                    if has_sel {
                        return; // copy, as usual
                    }
                    e.prevent_default();
                    el.set_value("");
                    line.set(String::new());
                    cands.set(Vec::new());
                    d.dispatch(UiAction::Interrupt);
                }
                "l" | "L" if ctrl => {
                    e.prevent_default();
                    d.dispatch(UiAction::ClearTerminal);
                }
                _ => {}
            }
        })
    };
    // Pasting several lines runs them as a script, in order (as a terminal would run them one by one).
    let onpaste = {
        let d = d.clone();
        let line = line.clone();
        Callback::from(move |e: Event| {
            let Some(ev) = wasm_bindgen::JsCast::dyn_ref::<web_sys::ClipboardEvent>(&e) else { return };
            let text = ev.clipboard_data().and_then(|c| c.get_data("text/plain").ok()).unwrap_or_default();
            if text.contains('\n') {
                e.prevent_default();
                let el: web_sys::HtmlInputElement = e.target_unchecked_into();
                let script = format!("{}{}", el.value(), text);
                el.set_value("");
                line.set(String::new());
                d.dispatch(UiAction::RunCommand(script));
            }
        })
    };
    let oninput = {
        let line = line.clone();
        Callback::from(move |e: InputEvent| {
            line.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value());
        })
    };
    let focus_input = {
        let input = input.clone();
        Callback::from(move |_: MouseEvent| {
            // Clicking the terminal focuses the prompt, unless the learner is selecting text to copy.
            let selecting = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .map(|s| !s.is_collapsed())
                .unwrap_or(false);
            if !selecting {
                if let Some(i) = input.cast::<web_sys::HtmlInputElement>() {
                    let _ = i.focus();
                }
            }
        })
    };

    let next = app.player.next_entry();
    let blocks = app.player.visible_blocks().map(|b| {
        let future = !b.done && b.entry >= next;
        let out = b.output.iter().map(|(s, t)| (*s, t.clone())).chain(b.stream.iter().map(|(_, s, t)| (*s, t.clone())));
        html! {
            <div class={classes!("block", future.then_some("future"))} key={b.entry}>
                <div class="cmd"><span class="prompt" aria-hidden="true">{ "$ " }</span>{ b.command.clone() }</div>
                if !future {
                    { for out.map(|(s, t)| html! { <span class={if s == Stream::Stderr { "stderr" } else { "stdout" }}>{ t }</span> }) }
                }
            </div>
        }
    });
    let running = app.player.job_running();
    let future_count = app.session().entries.len().saturating_sub(next);
    let prompt_hint = tr(lang, "Type a command, e.g. kubectl get pods (Tab completes, ↑/↓ history, Ctrl-C stops)");
    html! {
        <div class="terminal" onclick={focus_input}>
            <div class="log" ref={log} role="log" aria-label={tr(lang, "Terminal output")} tabindex="0" aria-live="off">
                { for blocks }
                if future_count > 0 {
                    <div class="future-note">{ format!("⏵ {} ({future_count})", tr(lang, "Recorded commands ahead (replayed when time reaches them; acting now discards them)")) }</div>
                }
            </div>
            if !cands.is_empty() {
                <div class="completions" aria-live="polite">{ cands.join("  ") }</div>
            }
            <div class={classes!("prompt-line", running.then_some("busy"))}>
                <span class="prompt" aria-hidden="true">{ if running { "… " } else { "$ " } }</span>
                <input ref={input} class="term-input" aria-label={tr(lang, "Terminal")} placeholder={prompt_hint}
                    autocomplete="off" autocapitalize="off" spellcheck="false" value={(*line).clone()}
                    onkeydown={onkeydown} oninput={oninput} onpaste={onpaste} />
                if running {
                    <span class="busy-note">{ "Ctrl-C" }</span>
                }
            </div>
        </div>
    }
}
