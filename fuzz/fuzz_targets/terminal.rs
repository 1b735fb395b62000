//! Commands typed into the terminal, run against a seeded cluster (the seed tutorial's fixed manifest,
//! applied and settled): kubectl, sim, exec, pipes. Every command the terminal offers is bounded in
//! virtual time (settle/watch/delete caps, `sim run` ≤ 24h, `sim step` ≤ 100,000), so a slow input is a
//! bug. The pod quota is lowered so `replicas: 2147483647` stays cheap per execution; the rule is the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stsplay_kubectl::{shell, MemoryFiles, Terminal};

/// At most this many commands per input: throughput over depth (the corpus carries the depth).
const MAX_COMMANDS: usize = 8;

fn files() -> MemoryFiles {
    let mut f = MemoryFiles::default();
    for (name, text) in [
        ("stateful-demo.yaml", include_str!("../../crates/stsplay-model/data/fixtures/stateful-demo.yaml")),
        ("stateful-demo-fixed.yaml", include_str!("../../crates/stsplay-model/data/fixtures/stateful-demo-fixed.yaml")),
        ("web.yaml", include_str!("../../tests/scenarios/rolling-update/web.yaml")),
        ("web-parallel.yaml", include_str!("../../tests/scenarios/parallel/web-parallel.yaml")),
        ("invalid.yaml", include_str!("../../tests/scenarios/errors/invalid.yaml")),
        ("mistakes.yaml", include_str!("../../tests/scenarios/lint/mistakes.yaml")),
        ("pv-demo.yaml", include_str!("../../tests/scenarios/reclaim-policies/pv-demo.yaml")),
        ("peers.yaml", include_str!("../../tests/scenarios/exec-dns/peers.yaml")),
    ] {
        f.0.insert(name.to_string(), text.to_string());
    }
    f
}

thread_local! {
    // The settled seed cluster, built once per process (World holds `Rc`s, so not a `static`).
    static BASE: (Terminal, MemoryFiles) = {
        let files = files();
        let mut t = Terminal::new(7);
        t.world.max_pods = 40;
        let _ = t.run("kubectl apply -f stateful-demo-fixed.yaml", &files);
        let _ = t.run("sim settle", &files);
        (t, files)
    };
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    BASE.with(|(t, files)| {
        let mut t = t.clone();
        for cmd in shell::split_script(&text).iter().take(MAX_COMMANDS) {
            let out = t.run_script_command(cmd, files);
            let _ = out.text();
        }
    });
});
