//! Determinism: the same seed and script give the same transcript; running `a+b` of virtual time equals
//! running `a` then `b`; different seeds give different (but valid) timings.

use stsplay_kubectl::{MemoryFiles, Terminal};
use stsplay_tests::{scenarios_dir, transcript};

fn seed_script() -> (String, std::path::PathBuf) {
    let dir = scenarios_dir().join("seed-tutorial");
    (std::fs::read_to_string(dir.join("commands")).expect("seed-tutorial scenario"), dir)
}

#[test]
fn same_seed_same_transcript() {
    let (script, dir) = seed_script();
    for seed in [1, 7, 12345] {
        assert_eq!(transcript(seed, &script, &dir), transcript(seed, &script, &dir), "seed {seed}");
    }
    assert_ne!(transcript(1, &script, &dir), transcript(2, &script, &dir));
}

#[test]
fn run_a_plus_b_equals_run_a_then_b() {
    let (_, dir) = seed_script();
    let manifest = std::fs::read_to_string(dir.join("stateful-demo-fixed.yaml")).expect("fixture");
    let mut files = MemoryFiles::default();
    files.0.insert("m.yaml".into(), manifest);
    for (a, b) in [(1_000, 2_500), (7_000, 13), (333, 30_000)] {
        let mut t1 = Terminal::new(3);
        let mut t2 = Terminal::new(3);
        t1.run("kubectl apply -f m.yaml", &files);
        t2.run("kubectl apply -f m.yaml", &files);
        t1.world.run_for(a + b);
        t2.world.run_for(a);
        t2.world.run_for(b);
        let o1 = t1.run("kubectl get sts,pods,pvc,pv -o wide", &files).text();
        let o2 = t2.run("kubectl get sts,pods,pvc,pv -o wide", &files).text();
        assert_eq!(o1, o2, "run({a}+{b}) vs run({a}); run({b})");
        let y1 = t1.run("kubectl get pods -o yaml", &files).text();
        let y2 = t2.run("kubectl get pods -o yaml", &files).text();
        assert_eq!(y1, y2);
    }
}
