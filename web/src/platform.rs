//! The few browser services the page uses: storage, the URL fragment, the clipboard, the monotonic clock,
//! fetching the lazily loaded explain texts. Every call tolerates a browser that refuses (private mode,
//! blocked storage, no clipboard permission): failures come back as values, never as panics.

use wasm_bindgen::JsCast;

pub const STORAGE_KEY: &str = "stsplay.session.v1";
pub const PREFS_KEY: &str = "stsplay.prefs.v1";

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// Milliseconds from a monotonic clock (only ever used to measure how much real time passed).
pub fn now_ms() -> f64 {
    window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

pub fn storage_get(key: &str) -> Option<String> {
    window()?.local_storage().ok()??.get_item(key).ok()?
}

/// Stores a value; Err with a sentence when the browser refuses (quota, private mode).
pub fn storage_set(key: &str, value: &str) -> Result<(), String> {
    let s = window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or("This browser does not let the page save your work (storage is disabled).")?;
    s.set_item(key, value).map_err(|_| "Your work could not be saved: the browser's storage is full.".to_string())
}

/// The URL fragment without `#`.
pub fn fragment() -> String {
    window().and_then(|w| w.location().hash().ok()).map(|h| h.trim_start_matches('#').to_string()).unwrap_or_default()
}

/// Removes the fragment from the address bar (after a share link was opened, a reload keeps the learner's own
/// progress instead of reopening the link).
pub fn clear_fragment() {
    if let Some(w) = window() {
        let loc = w.location();
        let url = format!("{}{}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default());
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// The page's address without its fragment (share links are built on it).
pub fn base_url() -> String {
    window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// A URL query parameter (`?lang=zh`).
pub fn query_param(name: &str) -> Option<String> {
    let search = window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name)
}

pub fn browser_language() -> String {
    window().and_then(|w| w.navigator().language()).unwrap_or_default()
}

pub fn prefers_dark() -> bool {
    window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}

/// Copies text; the promise's outcome is ignored (the page also shows the text for manual copying).
pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// Fetches a file next to the page (same origin) as text.
pub async fn fetch_text(path: &str) -> Result<String, String> {
    let w = window().ok_or("no window")?;
    let resp = wasm_bindgen_futures::JsFuture::from(w.fetch_with_str(path))
        .await
        .map_err(|_| format!("could not load {path}"))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "not a response".to_string())?;
    if !resp.ok() {
        return Err(format!("could not load {path} (HTTP {})", resp.status()));
    }
    let text = wasm_bindgen_futures::JsFuture::from(resp.text().map_err(|_| "no body".to_string())?)
        .await
        .map_err(|_| format!("could not read {path}"))?;
    text.as_string().ok_or_else(|| format!("{path} is not text"))
}

/// Logs to the browser console (development aid; the page never relies on it).
pub fn log(msg: &str) {
    web_sys::console::log_1(&msg.into());
}

/// Embedded in an iframe: tells the host page the playground's height (`{type: "stsplay:height", height}`),
/// so the host can size the frame. Sent only when it changed.
pub fn post_height() {
    thread_local! {
        static LAST: std::cell::Cell<i32> = const { std::cell::Cell::new(-1) };
    }
    let Some(w) = window() else { return };
    let Some(doc) = w.document() else { return };
    let Some(el) = doc.document_element() else { return };
    let h = el.scroll_height();
    if LAST.with(|l| l.replace(h)) == h {
        return;
    }
    let Ok(Some(parent)) = w.parent() else { return };
    let msg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&msg, &"type".into(), &"stsplay:height".into());
    let _ = js_sys::Reflect::set(&msg, &"height".into(), &h.into());
    // Only a number leaves the frame, so any host may read it.
    let _ = parent.post_message(&msg, "*");
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, text: &str) {
    let Some(doc) = window().and_then(|w| w.document()) else { return };
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/x-shellscript;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = doc.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
