//! Hostile inputs: nothing a user types, pastes or opens as a link may panic the core (in wasm a panic
//! kills the page) or run unbounded, and each must end with a clear message. The cases are data
//! (`tests/hostile/cases.json`, format in `tests/hostile/README.md`) so the browser page can run the same
//! corpus. Elapsed time per case is printed, never asserted: the machine is shared and noisy.

use serde_json::Value;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};
use stsplay_kubectl::{MemoryFiles, Terminal};

/// Output larger than this is itself a problem (the page would freeze rendering it).
const MAX_OUTPUT_BYTES: usize = 4_000_000;

struct Case {
    id: String,
    kind: String,
    expect: String,
    lint_expect: Option<String>,
    bytes: Vec<u8>,
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex")).collect()
}

/// Expands a `parts` generator: each part is `text` or `hex`, repeated `times`, with `number` (if
/// given) replaced by the repetition's index.
fn expand(parts: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        let times = p.get("times").and_then(Value::as_u64).unwrap_or(1);
        let number = p.get("number").and_then(Value::as_str);
        let unit: Vec<u8> = match (p.get("text").and_then(Value::as_str), p.get("hex").and_then(Value::as_str)) {
            (Some(t), None) => t.as_bytes().to_vec(),
            (None, Some(h)) => hex(h),
            _ => panic!("a part needs exactly one of text/hex: {p}"),
        };
        for i in 0..times {
            match number {
                Some(ph) => {
                    out.extend(String::from_utf8_lossy(&unit).replace(ph, &i.to_string()).into_bytes());
                }
                None => out.extend_from_slice(&unit),
            }
        }
    }
    out
}

/// A share link built the way the page builds one: `prefix` + base64url(raw deflate(bytes)), minus the
/// last `cut` characters (a link cut short).
fn deflate_link(d: &Value) -> Vec<u8> {
    let bytes = expand(d["parts"].as_array().expect("deflate.parts"));
    let packed = miniz_oxide::deflate::compress_to_vec(&bytes, 9);
    let mut link = format!(
        "{}{}",
        d.get("prefix").and_then(Value::as_str).unwrap_or(""),
        stsplay_ui::share::base64url_encode(&packed)
    );
    let cut = d.get("cut").and_then(Value::as_u64).unwrap_or(0) as usize;
    link.truncate(link.len().saturating_sub(cut));
    link.into_bytes()
}

fn load_cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("hostile/cases.json");
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("cases.json")).expect("cases.json: JSON");
    let mut out = Vec::new();
    for c in v["cases"].as_array().expect("cases: array") {
        let s = |k: &str| c.get(k).and_then(Value::as_str).map(str::to_string);
        let id = s("id").expect("id");
        let bytes = match (c.get("input"), c.get("parts"), c.get("deflate")) {
            (Some(Value::String(t)), None, None) => t.as_bytes().to_vec(),
            (None, Some(Value::Array(parts)), None) => expand(parts),
            (None, None, Some(d)) => deflate_link(d),
            _ => panic!("{id}: exactly one of input/parts/deflate"),
        };
        out.push(Case {
            kind: s("kind").expect("kind"),
            expect: s("expect").unwrap_or_default(),
            lint_expect: s("lint_expect"),
            id,
            bytes,
        });
    }
    out
}

/// The terminal every case starts from: the seed tutorial's fixed manifest applied and settled.
fn base() -> (Terminal, MemoryFiles) {
    let mut f = MemoryFiles::default();
    let seed = std::fs::read_to_string(stsplay_tests::scenarios_dir().join("seed-tutorial/stateful-demo-fixed.yaml"))
        .expect("fixture");
    f.0.insert("ok.yaml".into(), seed);
    let mut t = Terminal::new(1);
    // A smaller pod quota keeps `replicas: 2147483647` quick; the rule is the same at the default.
    t.world.max_pods = 60;
    let out = t.run("kubectl apply -f ok.yaml", &f);
    assert_eq!(out.exit, 0, "{}", out.text());
    t.run("sim settle", &f);
    (t, f)
}

/// Runs one case on a copy of the base terminal; returns (main output, lint output, elapsed).
fn run_case(base: &(Terminal, MemoryFiles), c: &Case) -> (String, String, Duration) {
    let (mut t, mut files) = (base.0.clone(), base.1.clone());
    // Files and the terminal see text; bytes that are not UTF-8 arrive as U+FFFD, as the CLI reads them.
    let text = String::from_utf8_lossy(&c.bytes).into_owned();
    let start = Instant::now();
    let (main, lint) = match c.kind.as_str() {
        "manifest" => {
            files.0.insert("case.yaml".into(), text);
            let out = t.run("kubectl apply -f case.yaml", &files).text();
            let lint = t.run("sim lint case.yaml", &files).text();
            (out, lint)
        }
        "command" => (t.run(&text, &files).text(), String::new()),
        // The page's decoder: every hostile link must be refused with a sentence, never a panic.
        "share-link" => match stsplay_ui::share::decode(&text) {
            Ok(_) => ("decoded".to_string(), String::new()),
            Err(e) => (e, String::new()),
        },
        other => panic!("{}: unknown kind {other}", c.id),
    };
    let elapsed = start.elapsed();
    // The terminal is still usable afterwards.
    let after = t.run("sim time", &files).text();
    assert!(after.contains('s'), "{}: terminal unusable afterwards: {after}", c.id);
    (main, lint, elapsed)
}

#[test]
fn hostile_corpus_ends_cleanly_with_clear_messages() {
    let cases = load_cases();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    let base = base();
    let only = std::env::var("STSPLAY_HOSTILE_CASE").ok();
    let mut failures = Vec::new();
    let mut times = Vec::new();
    for c in &cases {
        if only.as_deref().is_some_and(|o| o != c.id) {
            continue;
        }
        let r = catch_unwind(AssertUnwindSafe(|| run_case(&base, c)));
        let (main, lint, elapsed) = match r {
            Ok(x) => x,
            Err(e) => {
                let msg = e
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: PANIC {msg}", c.id));
                continue;
            }
        };
        times.push((elapsed, c.id.clone()));
        if std::env::var_os("STSPLAY_HOSTILE_PRINT").is_some() {
            let cut = |s: &str| s.chars().take(600).collect::<String>();
            println!("== {} ({:?})\n{}\n-- lint\n{}", c.id, elapsed, cut(&main), cut(&lint));
        }
        if main.trim().is_empty() {
            failures.push(format!("{}: no output", c.id));
        }
        if main.len() + lint.len() > MAX_OUTPUT_BYTES {
            failures.push(format!("{}: {} bytes of output", c.id, main.len() + lint.len()));
        }
        if c.expect.is_empty() || !main.contains(&c.expect) {
            failures.push(format!(
                "{}: expected {:?} in:\n{}",
                c.id,
                c.expect,
                main.chars().take(2000).collect::<String>()
            ));
        }
        if let Some(le) = &c.lint_expect {
            if !lint.contains(le.as_str()) {
                failures.push(format!("{}: expected {le:?} in the lint output:\n{lint}", c.id));
            }
        }
    }
    times.sort();
    let total: Duration = times.iter().map(|(d, _)| *d).sum();
    println!("hostile corpus: {} cases run, total {total:?}", times.len());
    println!("slowest cases:");
    for (d, id) in times.iter().rev().take(10) {
        println!("  {:>10.1} ms  {id}", d.as_secs_f64() * 1000.0);
    }
    assert!(failures.is_empty(), "{} failing case(s):\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn a_huge_parallel_set_is_capped_by_the_playground_quota() {
    let mut f = MemoryFiles::default();
    let seed = std::fs::read_to_string(stsplay_tests::scenarios_dir().join("seed-tutorial/stateful-demo-fixed.yaml"))
        .expect("fixture");
    f.0.insert(
        "parallel-huge.yaml".into(),
        seed.replace("replicas: 3", "replicas: 2147483647\n  podManagementPolicy: Parallel"),
    );
    let mut t = Terminal::new(1);
    // A small quota keeps the test quick; the rule is the same at the default 20,000.
    t.world.max_pods = 40;
    let out = t.run("kubectl apply -f parallel-huge.yaml", &f);
    assert_eq!(out.exit, 0, "{}", out.text());
    t.world.run_for(2_000);
    let pods = t.world.store.count(stsplay_model::kinds::Kind::Pod);
    assert!(pods <= 40, "{pods} pods");
    let ev = t.run("kubectl get events --field-selector reason=FailedCreate", &f).text();
    assert!(ev.contains("exceeded quota: stsplay"), "{ev}");
}
