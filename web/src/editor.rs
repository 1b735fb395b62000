//! The editor: file tabs, a textarea over a coloured copy of its text (line numbers, problem markers at
//! their line and column), the Apply button and the Problems list with its Fix buttons. The coloured copy is
//! built from text nodes, so nothing typed is ever interpreted as HTML.

use stsplay_ui::app::UiAction;
use stsplay_ui::editor::{highlight_line, offset_of, ProblemView, Token, MAX_HIGHLIGHT_BYTES};
use stsplay_ui::i18n::{tr, Lang};
use yew::prelude::*;

/// Problems listed at most.
const MAX_LISTED_PROBLEMS: usize = 200;

/// Line numbers drawn at most (beyond, the gutter ends with "…"; the text itself is all there).
const MAX_NUMBERED_LINES: usize = 20_000;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: crate::Shared,
    /// `App::editor_rev`: the editor redraws only when what it shows changed.
    pub rev: u64,
}

/// Which problem (if any) covers each character of a line: 0 none, 1 warning, 2 error.
fn marks_for_line(line_no: u32, len: usize, problems: &[ProblemView]) -> Vec<u8> {
    let mut marks = vec![0u8; len];
    for p in problems {
        if line_no < p.line || line_no > p.end_line.max(p.line) {
            continue;
        }
        let start = if line_no == p.line { p.column.saturating_sub(1) as usize } else { 0 };
        let mut end =
            if line_no == p.end_line && p.end_line >= p.line { p.end_column.saturating_sub(1) as usize } else { len };
        if end <= start {
            end = (start + 1).min(len.max(start + 1));
        }
        let level = if p.error { 2 } else { 1 };
        for m in marks.iter_mut().take(end.min(len)).skip(start.min(len)) {
            *m = (*m).max(level);
        }
        if len == 0 || start >= len {
            // A problem at the end of a line (or an empty line): the whole line carries the mark.
            for m in marks.iter_mut() {
                *m = (*m).max(level);
            }
        }
    }
    marks
}

fn line_html(line: &str, line_no: u32, problems: &[ProblemView]) -> Html {
    let chars: Vec<char> = line.chars().collect();
    let marks = marks_for_line(line_no, chars.len(), problems);
    // Token class per character.
    let mut classes: Vec<Token> = Vec::with_capacity(chars.len());
    for (tok, piece) in highlight_line(line) {
        classes.extend(std::iter::repeat_n(tok, piece.chars().count()));
    }
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (t, m) = (classes.get(i).copied().unwrap_or(Token::Plain), marks[i]);
        let mut j = i + 1;
        while j < chars.len() && classes.get(j).copied().unwrap_or(Token::Plain) == t && marks[j] == m {
            j += 1;
        }
        let text: String = chars[i..j].iter().collect();
        let class = match m {
            2 => classes!(t.class(), "squiggle-error"),
            1 => classes!(t.class(), "squiggle-warning"),
            _ => classes!(t.class()),
        };
        spans.push(html! { <span class={class}>{ text }</span> });
        i = j;
    }
    html! { <div class="hl-line">{ for spans }{ "\u{200b}" }</div> }
}

#[component]
pub fn EditorPane(props: &Props) -> Html {
    let model = &props.model;
    let app = model.app.borrow();
    let lang = app.lang;
    let d = model.0.dispatcher();
    let textarea = use_node_ref();
    let overlay = use_node_ref();
    let gutter = use_node_ref();

    let session = app.session();
    let active = session.active_file;
    // Embedded pages may be read-only and may show only some files (see `PageOptions`).
    let opts = crate::options();
    let ro = opts.readonly;
    let text = app.active_file().map(|f| f.text.clone()).unwrap_or_default();
    let problems = app.problems.clone();

    let tabs =
        session.files.iter().enumerate().filter(|(_, f)| opts.files.is_empty() || opts.files.contains(&f.name)).map(
            |(i, f)| {
                let d = d.clone();
                let select = Callback::from(move |_| d.dispatch(UiAction::SelectFile(i)));
                let errors = if i == active { problems.iter().filter(|p| p.error).count() } else { 0 };
                html! {
                    <button role="tab" class={classes!("tab", (i == active).then_some("active"))}
                        aria-selected={if i == active { "true" } else { "false" }} onclick={select}>
                        { f.name.clone() }
                        if errors > 0 { <span class="tab-badge" aria-hidden="true">{ errors }</span> }
                    </button>
                }
            },
        );
    let close = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(UiAction::CloseFile(active)))
    };
    let new_file = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(UiAction::NewFile))
    };
    let oninput = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value();
            d.dispatch(UiAction::EditFile(active, v));
        })
    };
    let onscroll = {
        let (ta, ov, gu) = (textarea.clone(), overlay.clone(), gutter.clone());
        Callback::from(move |_: Event| {
            if let Some(t) = ta.cast::<web_sys::HtmlTextAreaElement>() {
                if let Some(o) = ov.cast::<web_sys::HtmlElement>() {
                    o.set_scroll_top(t.scroll_top());
                    o.set_scroll_left(t.scroll_left());
                }
                if let Some(g) = gu.cast::<web_sys::HtmlElement>() {
                    g.set_scroll_top(t.scroll_top());
                }
            }
        })
    };
    let apply = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(UiAction::Apply))
    };

    let lines: Vec<&str> = text.split('\n').collect();
    let highlight = text.len() <= MAX_HIGHLIGHT_BYTES;
    // A huge paste must not become hundreds of thousands of DOM nodes: number the first lines only.
    let numbered = lines.len().min(MAX_NUMBERED_LINES);
    let gutter_html = lines.iter().take(numbered).enumerate().map(|(i, _)| {
        let n = i as u32 + 1;
        let worst = problems.iter().filter(|p| p.line == n).map(|p| if p.error { 2 } else { 1 }).max();
        let (class, glyph, title) = match worst {
            Some(2) => {
                ("gutter-line error", "✕", problems.iter().find(|p| p.line == n && p.error).map(|p| p.message.clone()))
            }
            Some(_) => ("gutter-line warning", "!", problems.iter().find(|p| p.line == n).map(|p| p.message.clone())),
            None => ("gutter-line", "", None),
        };
        html! { <div class={class} title={title}><span class="mark" aria-hidden="true">{ glyph }</span>{ n }</div> }
    });
    // Past the colouring limit the textarea shows its own text (laying out megabytes twice would freeze the
    // page); the overlay stays empty.
    let overlay_html = if highlight {
        html! { <>{ for lines.iter().enumerate().map(|(i, l)| line_html(l, i as u32 + 1, &problems)) }</> }
    } else {
        html! {}
    };

    let ta_for_items = textarea.clone();
    // A file with thousands of problems lists the first ones (the count says how many there are).
    let items: Vec<Html> = problems.iter().enumerate().take(MAX_LISTED_PROBLEMS).map(|(n, p)| {
        let sev = if p.error { tr(lang, "Error") } else { tr(lang, "Warning") };
        let sev_en = p.severity();
        let mut body = format!("{sev_en} line {}, column {}", p.line, p.column);
        if lang == Lang::Zh {
            body = format!("{sev}（{sev_en}）第 {} 行（line {}），第 {} 列", p.line, p.line, p.column);
        }
        let path = (!p.path.is_empty()).then(|| html! { <code class="path">{ p.path.clone() }</code> });
        let dym = p.did_you_mean.clone().map(|s| {
            html! { <span class="dym">{ format!("{} {s}?", tr(lang, "Did you mean")) }</span> }
        });
        let fix = p.fix.clone().filter(|_| !ro).map(|f| {
            let d = d.clone();
            let onclick = Callback::from(move |_| d.dispatch(UiAction::ApplyFix(n)));
            let name = format!("{}: {}", tr(lang, "Fix"), f.title);
            let name = if lang == Lang::Zh { format!("Fix {name}") } else { name };
            html! { <button class="fix" onclick={onclick} aria-label={name.clone()} title={name}>{ tr(lang, "Fix") }</button> }
        });
        let goto = {
            let ta = ta_for_items.clone();
            let t = text.clone();
            let (line, col) = (p.line, p.column);
            Callback::from(move |_| {
                if let Some(el) = ta.cast::<web_sys::HtmlTextAreaElement>() {
                    let off = offset_of(&t, line, col);
                    let utf16 = t[..off].encode_utf16().count() as u32;
                    let _ = el.focus();
                    let _ = el.set_selection_range(utf16, utf16);
                }
            })
        };
        html! {
            <li class={classes!("problem", if p.error { "error" } else { "warning" })}>
                <button class="goto" onclick={goto}>
                    <span class="sev">{ body }</span>{ ": " }
                    { for path }{ " " }
                    <span class="msg">{ p.message.clone() }</span>{ " " }
                    { for dym }
                </button>
                { for fix }
            </li>
        }
    }).collect();
    let summary = if app.problems_stale {
        tr(lang, "Checking…").to_string()
    } else {
        let e = problems.iter().filter(|p| p.error).count();
        let w = problems.len() - e;
        match lang {
            Lang::En => format!("{e} errors, {w} warnings"),
            Lang::Zh => format!("{e} 个错误，{w} 个警告"),
        }
    };
    // Tab keeps moving focus (keyboard users must be able to leave the editor); Ctrl/⌘-Enter applies.
    let apply_key = {
        let d = d.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                d.dispatch(UiAction::Apply);
            }
        })
    };
    html! {
        <div class="editor">
            <div class="tabs">
                <div class="tablist" role="tablist" aria-label={tr(lang, "Files")}>{ for tabs }</div>
                if !ro {
                    <button class="tab-action" onclick={new_file} title={tr(lang, "New file")} aria-label={tr(lang, "New file")}>{ "+" }</button>
                }
                if session.files.len() > 1 && !ro {
                    <button class="tab-action" onclick={close} title={tr(lang, "Close file")} aria-label={tr(lang, "Close file")}>{ "×" }</button>
                }
                <span class="spacer" />
                <button class="apply primary" onclick={apply} aria-label={tr(lang, "Apply")} title="kubectl apply -f (Ctrl-Enter)">{ tr(lang, "Apply") }</button>
            </div>
            <div class="code">
                <div class="gutter" ref={gutter} aria-hidden="true">
                    { for gutter_html }
                    if lines.len() > numbered { <div class="gutter-line">{ "…" }</div> }
                </div>
                <div class="code-body">
                    <div class="overlay" ref={overlay} aria-hidden="true">{ overlay_html }</div>
                    <textarea ref={textarea} class={classes!("input", (!highlight).then_some("plain"))} spellcheck="false" autocomplete="off"
                        aria-label={tr(lang, "Manifest editor")} value={text.clone()} oninput={oninput} readonly={ro}
                        onscroll={onscroll} onkeydown={apply_key} wrap="off" />
                </div>
            </div>
            <div class="problems-head">
                <h2 id="problems-title">{ tr(lang, "Problems") }</h2>
                <span class="summary">{ summary }</span>
            </div>
            <ul class="problems" aria-label={tr(lang, "Problems")}>
                { for items }
            </ul>
            if problems.is_empty() && !app.problems_stale {
                <p class="empty">{ tr(lang, "No problems in this file.") }</p>
            }
        </div>
    }
}
