//! Component tests in headless Chromium (wasm-bindgen-test): the page mounts, shows the seed's problems,
//! Apply runs in the terminal, the map draws pods with their accessible names, the time bar's buttons work.

use std::rc::Rc;
use stsplay_ui::app::UiAction;
use stsplay_ui::view::ClusterView;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn host() -> web_sys::Element {
    let d = document();
    let el = d.create_element("div").unwrap();
    d.body().unwrap().append_child(&el).unwrap();
    el
}

/// Yew renders asynchronously: give it a few turns of the event loop.
async fn settle() {
    for _ in 0..5 {
        gloo_timers::future::TimeoutFuture::new(20).await;
    }
}

/// The element with this accessible name that is a control or list (sections carry other names).
fn by_label(root: &web_sys::Element, label: &str) -> Option<web_sys::Element> {
    root.query_selector(&format!(
        "textarea[aria-label=\"{label}\"], input[aria-label=\"{label}\"], button[aria-label=\"{label}\"], ul[aria-label=\"{label}\"], [role][aria-label=\"{label}\"]"
    ))
    .unwrap()
}

fn click(el: &web_sys::Element) {
    el.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
}

#[wasm_bindgen_test]
async fn the_page_shows_the_seed_and_applies_it() {
    // A fresh start: no saved session from an earlier test.
    if let Some(s) = web_sys::window().unwrap().local_storage().unwrap() {
        let _ = s.clear();
    }
    let root = host();
    let _app = stsplay_web::mount(root.clone());
    settle().await;
    let editor = by_label(&root, "Manifest editor").expect("the editor textbox");
    let text = editor.dyn_ref::<web_sys::HtmlTextAreaElement>().unwrap().value();
    assert!(text.contains("volumeClaimTemolates"), "the seed exactly as written, typos included");
    let problems = by_label(&root, "Problems").expect("the problems list");
    let items = problems.query_selector_all("li").unwrap();
    assert!(items.length() >= 2, "the seed's errors are listed");
    let first = items.item(0).unwrap().text_content().unwrap();
    assert!(first.starts_with("Error line "), "{first}");
    assert!(
        problems.query_selector("button[aria-label^=\"Fix\"]").unwrap().is_some(),
        "fixable problems have a Fix button"
    );

    // Apply the corrected file from its tab.
    let tabs = root.query_selector_all("[role=tab]").unwrap();
    let fixed = (0..tabs.length())
        .filter_map(|i| tabs.item(i))
        .find(|t| t.text_content().unwrap_or_default().contains("stateful-demo-fixed.yaml"))
        .expect("the corrected example's tab");
    click(fixed.unchecked_ref());
    settle().await;
    click(&by_label(&root, "Apply").unwrap());
    settle().await;
    let log = by_label(&root, "Terminal output").unwrap().text_content().unwrap();
    assert!(log.contains("kubectl apply -f stateful-demo-fixed.yaml"), "{log}");
    assert!(log.contains("statefulset.apps/myapp created"), "{log}");

    // Step: a pod appears in the Pods list, named for screen readers.
    for _ in 0..20 {
        click(&by_label(&root, "Step").unwrap());
        settle().await;
        let pods = by_label(&root, "Pods").unwrap().query_selector_all("li").unwrap();
        if pods.length() > 0 {
            let name =
                pods.item(0).unwrap().dyn_into::<web_sys::Element>().unwrap().get_attribute("aria-label").unwrap();
            assert!(name.starts_with("Pod myapp-0, "), "{name}");
            return;
        }
    }
    panic!("no pod after 20 steps");
}

#[wasm_bindgen_test]
async fn the_map_draws_cards_from_a_view() {
    let files = stsplay_ui::lessons::default_files()
        .into_iter()
        .map(|(name, text)| stsplay_ui::session::EditorFile { name, text })
        .collect();
    let mut app = stsplay_ui::app::App::new(stsplay_ui::session::Session::new(3, files));
    app.reduce(UiAction::SelectFile(2));
    app.reduce(UiAction::Apply);
    app.player.term.world.run_for(120_000);
    let view = Rc::new(ClusterView::build(&app.player.term.world));
    let root = host();
    let props = stsplay_web::map::Props { view, lang: stsplay_ui::i18n::Lang::En, dispatch: yew::Callback::noop() };
    let _h = yew::Renderer::<stsplay_web::map::MapPane>::with_root_and_props(root.clone(), props).render();
    settle().await;
    let pods = by_label(&root, "Pods").unwrap().query_selector_all("li").unwrap();
    assert_eq!(pods.length(), 3);
    let names: Vec<String> = (0..pods.length())
        .map(|i| pods.item(i).unwrap().dyn_into::<web_sys::Element>().unwrap().get_attribute("aria-label").unwrap())
        .collect();
    assert_eq!(names, ["Pod myapp-0, Running, Ready", "Pod myapp-1, Running, Ready", "Pod myapp-2, Running, Ready"]);
    let claims = by_label(&root, "PersistentVolumeClaims").unwrap().query_selector_all("li").unwrap();
    assert_eq!(claims.length(), 3);
    // Status is never colour alone: each card carries a glyph and the status word.
    let card = pods.item(0).unwrap().text_content().unwrap();
    assert!(card.contains("Running") && card.contains('●'), "{card}");
}

#[wasm_bindgen_test]
async fn user_text_is_never_html() {
    let root = host();
    let _app = stsplay_web::mount(root.clone());
    settle().await;
    let editor = by_label(&root, "Manifest editor").unwrap();
    let ta: web_sys::HtmlTextAreaElement = editor.dyn_into().unwrap();
    ta.set_value("metadata:\n  name: <img src=x onerror=alert(1)><script>alert(2)</script>\n");
    let ev = web_sys::InputEvent::new("input").unwrap();
    ta.dispatch_event(&ev).unwrap();
    settle().await;
    assert!(root.query_selector("img").unwrap().is_none(), "no element was made from the text");
    assert!(root.query_selector(".overlay script").unwrap().is_none());
    let overlay = root.query_selector(".overlay").unwrap().unwrap().text_content().unwrap();
    assert!(overlay.contains("<img src=x onerror=alert(1)>"), "the text is shown as text");
}
