//! Native engine benchmark (not a timed test): the scenarios of `stsplay_cluster::bench` — create → all
//! Ready, full rolling update, scale to 0 — for Parallel and OrderedReady StatefulSets.
//!
//! `cargo bench -p stsplay-cluster --bench rollout [-- [--policy P] [--json] N...]` (default 100 1000 10000,
//! both policies). One line per scenario: wall time, actions processed (`World::steps`), virtual time and
//! peak heap per phase; with `--json`, one JSON object per line for `scripts/bench.sh`.
//! Peak heap comes from a counting global allocator (live bytes, high-water mark), the same measure the
//! wasm build reports, so the two are comparable.

use std::time::Instant;
use stsplay_cluster::bench::{peak_heap, reset_peak_heap, Bench, CountingAlloc, Policy, PHASES};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

fn run(policy: Policy, replicas: i32, json: bool) {
    let base = reset_peak_heap();
    let mut b = Bench::new(policy, replicas);
    let mut phases = Vec::new();
    for phase in PHASES {
        let t = Instant::now();
        let s = b.run_phase(phase).expect("known phase");
        phases.push((s, t.elapsed().as_secs_f64()));
    }
    let peak = peak_heap() - base;
    let digest = b.digest();
    if json {
        let ph: Vec<serde_json::Value> = phases
            .iter()
            .map(|(s, secs)| {
                serde_json::json!({"phase": s.phase, "seconds": secs, "steps": s.steps,
                    "virtual_ms": s.virtual_ms, "ok": s.ok})
            })
            .collect();
        let line = serde_json::json!({"target": "native", "policy": policy.as_str(), "replicas": replicas,
            "phases": ph, "peak_heap_bytes": peak, "digest": digest});
        println!("{line}");
    } else {
        let parts: Vec<String> = phases
            .iter()
            .map(|(s, secs)| {
                format!(
                    "{} {:.3}s {} steps {:.0}s virtual{}",
                    s.phase,
                    secs,
                    s.steps,
                    s.virtual_ms as f64 / 1000.0,
                    if s.ok { "" } else { " NOT REACHED" }
                )
            })
            .collect();
        println!(
            "{:<12} {:>6}: {} | peak heap {:.1} MB | digest {digest}",
            policy.as_str(),
            replicas,
            parts.join(" | "),
            peak as f64 / 1e6
        );
    }
}

fn main() {
    let mut sizes = Vec::new();
    let mut policies = Vec::new();
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--json" => json = true,
            "--policy" => policies.extend(args.next().as_deref().and_then(Policy::parse)),
            // `cargo bench` passes `--bench` to the harness.
            _ => sizes.extend(a.parse::<i32>().ok()),
        }
    }
    if sizes.is_empty() {
        sizes = vec![100, 1000, 10000];
    }
    if policies.is_empty() {
        policies = vec![Policy::Parallel, Policy::OrderedReady];
    }
    for n in sizes {
        for &p in &policies {
            run(p, n, json);
        }
    }
}
