//! The StatefulSet controller's indexed sync (the store's pod index, visiting only pods that matter) must
//! behave exactly like the literal walk over every pod that upstream does (`World::reference_sync`).
//! Each script below runs twice, once each way, and everything observable is compared after every step:
//! the trace, the controller's reasons (`sim why`), the store's resourceVersion and the pods.

use stsplay_cluster::World;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::*;

fn sts(policy: &str, replicas: i32, claims: bool) -> StatefulSet {
    let mut v = serde_json::json!({
        "metadata": {"name": "web"},
        "spec": {
            "serviceName": "nginx", "replicas": replicas, "podManagementPolicy": policy,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {"metadata": {"labels": {"app": "nginx"}},
                "spec": {"containers": [{"name": "nginx", "image": "registry.k8s.io/nginx-slim:0.24"}]}}
        }
    });
    if claims {
        v["spec"]["volumeClaimTemplates"] = serde_json::json!([{"metadata": {"name": "www"},
            "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]);
    }
    serde_json::from_value(v).expect("valid")
}

type Op = Box<dyn Fn(&mut World)>;

fn update(f: impl Fn(&mut StatefulSet) + 'static) -> Op {
    Box::new(move |w: &mut World| {
        if let Some(mut s) = w.get_sts("default", "web").cloned() {
            f(&mut s);
            let _ = w.api_update(Object::StatefulSet(s));
        }
    })
}

fn pod(f: impl Fn(&mut World, &Pod) + 'static, name: &'static str) -> Op {
    Box::new(move |w: &mut World| {
        if let Some(p) = w.get_pod("default", name).cloned() {
            f(w, &p);
        }
    })
}

fn observe(w: &World) -> String {
    let pods: Vec<String> = w
        .pods("default")
        .map(|p| {
            format!(
                "{} {} {:?} {}",
                p.metadata.name, p.status.phase, p.metadata.deletion_timestamp, p.metadata.resource_version
            )
        })
        .collect();
    format!(
        "now={} steps={} rv={} trace={} last={:?} why={:?} pods={pods:?} sts={:?}",
        w.now,
        w.steps,
        w.store.resource_version(),
        w.trace.len(),
        w.trace.last(),
        w.why,
        w.get_sts("default", "web").map(|s| &s.status)
    )
}

/// Runs `ops` (each followed by `ms` of virtual time, step by step) both ways and compares.
fn same_both_ways(name: &str, ops: Vec<(Op, i64)>) {
    let mut fast = World::new(7);
    let mut reference = World::new(7);
    reference.reference_sync = true;
    for (i, (op, ms)) in ops.iter().enumerate() {
        op(&mut fast);
        op(&mut reference);
        let until = fast.now.plus_millis(*ms);
        loop {
            assert_eq!(observe(&fast), observe(&reference), "{name}: op {i}, after step {}", fast.steps);
            match fast.next_due() {
                Some(t) if t <= until => {
                    fast.step();
                    reference.next_due();
                    reference.step();
                }
                _ => break,
            }
        }
        fast.run_until(until);
        reference.run_until(until);
    }
    assert_eq!(fast.trace, reference.trace, "{name}: trace");
}

fn script(policy: &'static str, claims: bool) -> Vec<(Op, i64)> {
    let create: Op = Box::new(move |w: &mut World| {
        w.api_create(Object::StatefulSet(sts(policy, 5, claims))).expect("create");
    });
    vec![
        (create, 40_000),
        (update(|s| s.spec.replicas = Some(8)), 30_000),
        (update(|s| s.spec.template.spec.containers[0].image = "registry.k8s.io/nginx-slim:0.27".into()), 5_000),
        // Mid-rollout: a pod fails, another is deleted by hand, the set scales down.
        (pod(|w, p| drop(stsplay_cluster::kubelet::fail_pod(w, "default", &p.metadata.name)), "web-2"), 3_000),
        (pod(|w, p| drop(w.api_delete(Kind::Pod, "default", &p.metadata.name, Default::default())), "web-6"), 2_000),
        (update(|s| s.spec.replicas = Some(6)), 60_000),
        // A pod released by relabelling (orphan), then a partitioned rollout.
        (
            pod(
                |w, p| {
                    let mut p = p.clone();
                    p.metadata.labels.insert("app".into(), "other".into());
                    let _ = w.api_update(Object::Pod(p));
                },
                "web-1",
            ),
            5_000,
        ),
        (
            update(|s| {
                s.spec.update_strategy.rolling_update =
                    Some(RollingUpdateStatefulSetStrategy { partition: Some(3), ..Default::default() });
                s.spec.template.spec.containers[0].image = "registry.k8s.io/nginx-slim:0.24".into();
            }),
            60_000,
        ),
        // Relabel back (adoption), OnDelete with a new image, then a failing image and scale to 0.
        (
            pod(
                |w, p| {
                    let mut p = p.clone();
                    p.metadata.labels.insert("app".into(), "nginx".into());
                    let _ = w.api_update(Object::Pod(p));
                },
                "web-1",
            ),
            5_000,
        ),
        (
            update(|s| {
                s.spec.update_strategy.type_ = "OnDelete".into();
                s.spec.update_strategy.rolling_update = None;
                s.spec.template.spec.containers[0].image = "nginx:1.25".into();
            }),
            20_000,
        ),
        (
            update(|s| {
                s.spec.update_strategy.type_ = "RollingUpdate".into();
                s.spec.template.spec.containers[0].image = "registry.k8s.io/nginx-slim:0.27".into();
            }),
            90_000,
        ),
        (update(|s| s.spec.replicas = Some(0)), 120_000),
        (update(|s| s.spec.replicas = Some(3)), 60_000),
        (Box::new(|w: &mut World| drop(w.api_delete(Kind::StatefulSet, "default", "web", Default::default()))), 60_000),
    ]
}

#[test]
fn parallel_indexed_sync_equals_the_full_walk() {
    same_both_ways("Parallel", script("Parallel", false));
}

#[test]
fn ordered_indexed_sync_equals_the_full_walk() {
    same_both_ways("OrderedReady", script("OrderedReady", false));
}

#[test]
fn with_claims_indexed_sync_equals_the_full_walk() {
    same_both_ways("Parallel+claims", script("Parallel", true));
    same_both_ways("OrderedReady+claims", script("OrderedReady", true));
}
