//! Benchmark (not a timed test): Parallel create→Ready, then a full rolling update, for N replicas.
//! `cargo bench -p stsplay-cluster --bench rollout [-- 1000 10000]` prints one line per size:
//! wall time, events processed and virtual time reached.

use std::time::Instant;
use stsplay_cluster::World;
use stsplay_model::kinds::Object;
use stsplay_model::objects::StatefulSet;

fn sts(replicas: i32) -> StatefulSet {
    let v = serde_json::json!({
        "metadata": {"name": "web"},
        "spec": {
            "serviceName": "nginx", "replicas": replicas, "podManagementPolicy": "Parallel",
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"labels": {"app": "nginx"}},
                "spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"}]}}
        }
    });
    serde_json::from_value(v).expect("valid")
}

fn steps_until_settled(w: &mut World) -> u64 {
    let mut n = 0;
    while w.next_due().is_some() {
        w.step();
        n += 1;
    }
    n
}

fn run(replicas: i32) {
    let mut w = World::new(1);
    let t0 = Instant::now();
    if let Err(e) = w.api_create(Object::StatefulSet(sts(replicas))) {
        eprintln!("create failed: {e}");
        return;
    }
    let create_events = steps_until_settled(&mut w);
    let create = t0.elapsed();
    let ready = w.get_sts("default", "web").map(|s| s.status.ready_replicas).unwrap_or(0);
    let t1 = Instant::now();
    let mut s = w.get_sts("default", "web").cloned().expect("sts");
    s.spec.template.spec.containers[0].image = "registry.k8s.io/nginx-slim:0.27".into();
    if let Err(e) = w.api_update(Object::StatefulSet(s)) {
        eprintln!("update failed: {e}");
        return;
    }
    let update_events = steps_until_settled(&mut w);
    let update = t1.elapsed();
    let s = w.get_sts("default", "web").expect("sts");
    println!(
        "replicas={replicas} create→ready: {:.3}s ({create_events} events, {ready} ready) | rolling update: {:.3}s ({update_events} events, {} updated) | total {:.3}s | virtual {}",
        create.as_secs_f64(),
        update.as_secs_f64(),
        s.status.updated_replicas,
        (create + update).as_secs_f64(),
        w.now
    );
}

fn main() {
    let sizes: Vec<i32> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![100, 1000, 10000] } else { sizes };
    for n in sizes {
        run(n);
    }
}
