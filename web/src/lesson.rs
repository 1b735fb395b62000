//! The lesson panel: the list of guided lessons with progress, and the open lesson's current step —
//! instruction, "predict, then observe" question, the action to take (a command with a Run button, a button
//! to press, an edit), whether the engine judges it done, a hint, and the explanation once it passed.

use crate::Model;
use stsplay_ui::app::UiAction;
use stsplay_ui::i18n::{tr, Lang};
use stsplay_ui::lessons::ActionView;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: UseReducerHandle<Model>,
}

fn words(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    if lang == Lang::Zh {
        zh
    } else {
        en
    }
}

#[component]
pub fn LessonPanel(props: &Props) -> Html {
    let model = &props.model;
    let app = model.app.borrow();
    let lang = app.lang;
    let d = model.dispatcher();

    let Some(state) = app.lesson.clone() else {
        let items = app.lessons.iter().enumerate().map(|(i, l)| {
            let d = d.clone();
            let open = Callback::from(move |_| d.dispatch(UiAction::OpenLesson(i, 0)));
            let done = app.progress.get(&l.id).copied().unwrap_or(0);
            let total = l.steps.len();
            html! {
                <li>
                    <button class="lesson-open" onclick={open} title={l.summary.get(lang).to_string()}>
                        <span class="lesson-num">{ l.number }</span>
                        <span class="lesson-title">{ l.title.get(lang).to_string() }</span>
                        <span class="lesson-progress" aria-label={format!("{done}/{total}")}>
                            { if done >= total { "✓".to_string() } else if done > 0 { format!("{done}/{total}") } else { String::new() } }
                        </span>
                    </button>
                </li>
            }
        });
        return html! {
            <details class="lessons" open=true>
                <summary><h2>{ tr(lang, "Lessons") }</h2></summary>
                <ul class="lesson-list" aria-label={tr(lang, "Lessons")}>{ for items }</ul>
            </details>
        };
    };
    let Some(lesson) = app.lessons.get(state.lesson) else { return html! {} };
    let Some(step) = lesson.steps.get(state.step) else { return html! {} };
    let passed = state.passed.get(state.step).copied().unwrap_or(false);
    let total = lesson.steps.len();

    let predict = step.predict.as_ref().filter(|_| app.predict_mode).map(|p| {
        let choices = p.choices.iter().enumerate().map(|(i, c)| {
            let d = d.clone();
            let chosen = state.predicted == Some(i);
            let onclick = Callback::from(move |_| d.dispatch(UiAction::Predict(i)));
            let verdict = if passed && chosen {
                if i == p.answer {
                    words(lang, " ✓ right", " ✓ 猜对了")
                } else {
                    words(lang, " ✗ not this time", " ✗ 这次没猜中")
                }
            } else {
                ""
            };
            html! {
                <li>
                    <button class={classes!("choice", chosen.then_some("chosen"))} aria-pressed={if chosen { "true" } else { "false" }}
                        onclick={onclick} disabled={state.predicted.is_some() && !chosen}>
                        { c.get(lang).to_string() }{ verdict }
                    </button>
                </li>
            }
        });
        let answer = (passed && state.predicted.is_some())
            .then(|| p.choices.get(p.answer).map(|c| c.get(lang).to_string()).unwrap_or_default());
        html! {
            <div class="predict" role="group" aria-label={words(lang, "Predict", "预测")}>
                <p class="question"><strong>{ words(lang, "Predict first: ", "先预测：") }</strong>{ p.question.get(lang).to_string() }</p>
                <ul class="choices">{ for choices }</ul>
                if state.predicted.is_none() {
                    <p class="muted">{ words(lang, "Choose an answer, then act and watch.", "先选一个答案，再动手观察。") }</p>
                }
                if let Some(a) = answer { <p class="answer">{ format!("{} {a}", words(lang, "Answer:", "答案：")) }</p> }
            </div>
        }
    });
    let action = match step.action() {
        ActionView::Command(c) => {
            let d = d.clone();
            let run = Callback::from(move |_| d.dispatch(UiAction::RunLessonCommand));
            html! {
                <div class="lesson-action">
                    <code class="cmd">{ c }</code>
                    <button class="primary" onclick={run}>{ words(lang, "Run", "运行") }</button>
                </div>
            }
        }
        ActionView::Click(b) => {
            let label = match b.as_str() {
                "Step" => tr(lang, "Step"),
                "Play" => tr(lang, "Play"),
                "Fix" => tr(lang, "Fix"),
                "Apply" => tr(lang, "Apply"),
                _ => "",
            };
            html! { <p class="lesson-action">{ words(lang, "Press ", "请点击 ") }<kbd>{ label }</kbd></p> }
        }
        ActionView::Edit(t) => {
            html! { <p class="lesson-action">{ words(lang, "In the editor: ", "在编辑器中：") }{ t.get(lang).to_string() }</p> }
        }
    };
    let (hint_toggle, next, back, close) = {
        let (d1, d2, d3, d4) = (d.clone(), d.clone(), d.clone(), d.clone());
        (
            Callback::from(move |_| d1.dispatch(UiAction::ToggleHint)),
            Callback::from(move |_| d2.dispatch(UiAction::LessonNext)),
            Callback::from(move |_| d3.dispatch(UiAction::LessonBack)),
            Callback::from(move |_| d4.dispatch(UiAction::CloseLesson)),
        )
    };
    let status = if passed {
        html! { <p class="lesson-status done" role="status">{ words(lang, "✓ Done — the cluster shows it.", "✓ 完成：集群的状态证实了这一点。") }</p> }
    } else {
        html! { <p class="lesson-status waiting">{ words(lang, "… Waiting for this to happen in the cluster.", "… 等待集群中出现这个结果。") }</p> }
    };
    html! {
        <div class="lesson" role="region" aria-label={format!("{} {}", tr(lang, "Lessons"), lesson.number)}
            data-observe={if step.observe { "true" } else { "false" }} data-passed={if passed { "true" } else { "false" }}>
            <div class="lesson-head">
                <h2>{ format!("{} {} · {}", words(lang, "Lesson", "第"), lesson.number, lesson.title.get(lang)) }</h2>
                <button onclick={close} aria-label={tr(lang, "Close")}>{ "×" }</button>
            </div>
            <p class="lesson-stepno">{ format!("{} {}/{}", words(lang, "Step", "步骤"), state.step + 1, total) }</p>
            <ol class="lesson-dots" aria-hidden="true">
                { for state.passed.iter().enumerate().map(|(i, p)| html! {
                    <li class={classes!(if *p { "dot done" } else { "dot" }, (i == state.step).then_some("current"))} />
                }) }
            </ol>
            <p class="instruction">{ step.instruction.get(lang).to_string() }</p>
            { for predict }
            { action }
            { status }
            if passed {
                if let Some(e) = &step.explain { <p class="explain">{ e.get(lang).to_string() }</p> }
            }
            <div class="lesson-nav">
                <button onclick={back} disabled={state.step == 0}>{ words(lang, "← Back", "← 上一步") }</button>
                <button onclick={hint_toggle} aria-expanded={if state.show_hint { "true" } else { "false" }}>{ words(lang, "Hint", "提示") }</button>
                <button class={classes!(passed.then_some("primary"))} onclick={next} disabled={state.step + 1 >= total}>{ words(lang, "Next →", "下一步 →") }</button>
            </div>
            if state.show_hint { <p class="hint">{ step.hint.get(lang).to_string() }</p> }
        </div>
    }
}
