//! The engine compiled to wasm and driven from node (`wasm-bindgen --target nodejs`): it exists so the same
//! scenarios run natively and as wasm and their outputs and timings can be compared. Not shipped to the page.
//!
//! It exports the benchmark scenarios of `stsplay_cluster::bench` (node times each phase; this side reports
//! what the phase did and the heap it needed) and `transcript`, which runs a golden session script exactly
//! as `tests/lib.rs` does natively, with the scenario folder's files handed over from node.

use std::collections::BTreeMap;
use stsplay_cluster::bench::{Bench, Policy};
use stsplay_kubectl::shell;
use stsplay_kubectl::{FileSource, Terminal};
use wasm_bindgen::prelude::*;

#[global_allocator]
static ALLOC: stsplay_cluster::bench::CountingAlloc = stsplay_cluster::bench::CountingAlloc;

/// Starts a new peak-heap measurement; returns the bytes live now (the baseline to subtract).
#[wasm_bindgen]
pub fn reset_peak_heap() -> f64 {
    stsplay_cluster::bench::reset_peak_heap() as f64
}

/// Highest live heap bytes since `reset_peak_heap`.
#[wasm_bindgen]
pub fn peak_heap() -> f64 {
    stsplay_cluster::bench::peak_heap() as f64
}

/// The size of the wasm linear memory (it never shrinks: the high-water mark of the whole process).
#[wasm_bindgen]
pub fn memory_bytes() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        (core::arch::wasm32::memory_size(0) * 65536) as f64
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// One benchmark scenario (`stsplay_cluster::bench::Bench`): node calls `run_phase` for each of
/// `create`, `rollout`, `scale-to-0` and times the calls.
#[wasm_bindgen]
pub struct WasmBench {
    inner: Bench,
}

#[wasm_bindgen]
impl WasmBench {
    #[wasm_bindgen(constructor)]
    pub fn new(policy: &str, replicas: i32) -> Result<WasmBench, JsError> {
        let policy = Policy::parse(policy).ok_or_else(|| JsError::new("policy: Parallel or OrderedReady"))?;
        Ok(WasmBench { inner: Bench::new(policy, replicas) })
    }

    /// Runs a phase; returns `{"phase","steps","virtual_ms","ok"}` as JSON.
    pub fn run_phase(&mut self, phase: &str) -> Result<String, JsError> {
        let s = self.inner.run_phase(phase).ok_or_else(|| JsError::new("unknown phase"))?;
        Ok(serde_json::json!({"phase": s.phase, "steps": s.steps, "virtual_ms": s.virtual_ms, "ok": s.ok}).to_string())
    }

    /// The run's fingerprint (equal to the native run's when both simulated the same thing).
    pub fn digest(&self) -> String {
        self.inner.digest()
    }
}

/// Files of a scenario folder handed over from node: relative path → content, or null for a directory.
struct MapFiles(BTreeMap<String, Option<String>>);

impl FileSource for MapFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        // What `std::fs::read` reports natively (tests/lib.rs passes the io error's text through).
        match self.0.get(normalize(path).as_str()) {
            Some(Some(text)) => Ok(text.clone()),
            Some(None) => Err("Is a directory (os error 21)".into()),
            None => Err("No such file or directory (os error 2)".into()),
        }
    }
}

/// `a/./b//c` → `a/b/c`, `x/../y` → `y` (paths are relative to the scenario folder).
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Runs `script` on a fresh cluster with `seed` and returns the transcript exactly as `tests/lib.rs`'s
/// `transcript` does: `$ ` and each command, then everything it printed. `files_json` maps the scenario
/// folder's relative paths to their contents (null for folders).
#[wasm_bindgen]
pub fn transcript(seed: &str, script: &str, files_json: &str) -> Result<String, JsError> {
    let seed: u64 = seed.trim().parse().map_err(|_| JsError::new("seed: an unsigned integer"))?;
    let files: BTreeMap<String, Option<String>> =
        serde_json::from_str(files_json).map_err(|e| JsError::new(&format!("files_json: {e}")))?;
    let files = MapFiles(files.into_iter().map(|(k, v)| (normalize(&k), v)).collect());
    let mut term = Terminal::new(seed);
    let mut out = String::new();
    for cmd in shell::split_script(script) {
        let o = term.run_script_command(&cmd, &files);
        out.push_str(&format!("$ {}\n", cmd.text));
        out.push_str(&o.text());
    }
    Ok(out)
}
