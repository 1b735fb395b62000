//! "Seeing why": each rule that makes the StatefulSet controller hold back records its reason in
//! `World::why` (what `sim why` prints and the page shows under "Why is it waiting?"). Every test below
//! drives a World step by step, stops at the sync where the rule holds, checks that the reason is there and
//! that the cluster agrees (the controller really did hold back), then lets the rule stop holding and checks
//! that the reason is gone or has changed. Each test runs with both sync paths (the indexed one and the
//! literal walk, `World::reference_sync`), which must give the same reasons.

use stsplay_cluster::{DeleteOptions, Propagation, World};
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::*;

const NS: &str = "default";
const KEY: &str = "default/myapp";
const V1: &str = "ikubernetes/myapp:v1";
const V2: &str = "ikubernetes/myapp:v2";
/// Generous caps of virtual time for a phase (the tests stop as soon as their condition holds).
const CAP: i64 = 600_000;

fn sts(replicas: i32, extra: serde_json::Value) -> StatefulSet {
    let mut v = serde_json::json!({
        "metadata": {"name": "myapp"},
        "spec": {
            "serviceName": "myapp", "replicas": replicas,
            "selector": {"matchLabels": {"app": "myapp-pod"}},
            "template": {"metadata": {"labels": {"app": "myapp-pod"}},
                "spec": {"containers": [{"name": "myapp", "image": V1}]}}
        }
    });
    if let serde_json::Value::Object(extra) = extra {
        for (k, val) in extra {
            v["spec"][k] = val;
        }
    }
    serde_json::from_value(v).expect("valid StatefulSet")
}

/// Runs `test` once with the indexed sync and once with the literal walk.
fn both_ways(test: impl Fn(&mut World)) {
    for reference in [false, true] {
        let mut w = World::new(11);
        w.reference_sync = reference;
        test(&mut w);
    }
}

fn create(w: &mut World, set: StatefulSet) {
    w.api_create(Object::StatefulSet(set)).expect("create StatefulSet");
}

/// Creates the set and runs until it has settled with every pod Running and Ready.
fn create_settled(w: &mut World, set: StatefulSet) {
    let n = set.spec.replicas.unwrap_or(1) as usize;
    create(w, set);
    assert!(w.settle(CAP), "did not settle");
    assert_eq!(ready_count(w), n, "pods: {:?}", pod_names(w));
    assert!(reasons(w).is_empty(), "a settled set has nothing to wait for: {:?}", reasons(w));
}

fn update(w: &mut World, f: impl FnOnce(&mut StatefulSet)) {
    let mut s = w.get_sts(NS, "myapp").expect("set exists").clone();
    f(&mut s);
    w.api_update(Object::StatefulSet(s)).expect("update StatefulSet");
}

fn delete_pod(w: &mut World, name: &str) {
    w.api_delete(Kind::Pod, NS, name, DeleteOptions::default()).expect("delete pod");
}

fn reasons(w: &World) -> Vec<String> {
    w.why.get(KEY).map(|r| r.reasons.clone()).unwrap_or_default()
}

/// Whether one of the reasons of the last sync contains `needle`.
fn why_has(w: &World, needle: &str) -> bool {
    reasons(w).iter().any(|r| r.contains(needle))
}

/// The reason containing `needle` (panics with every reason when there is none).
fn why_line(w: &World, needle: &str) -> String {
    reasons(w)
        .into_iter()
        .find(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("no reason contains {needle:?}: {:?}", reasons(w)))
}

/// Steps the world (one action at a time) until `pred` holds; false when `cap_ms` of virtual time passed
/// or nothing more is scheduled first.
fn step_until(w: &mut World, cap_ms: i64, pred: impl Fn(&World) -> bool) -> bool {
    let limit = w.now.plus_millis(cap_ms);
    loop {
        if pred(w) {
            return true;
        }
        match w.next_due() {
            Some(t) if t <= limit => {
                w.step();
            }
            _ => return false,
        }
    }
}

/// Steps until the last sync gave a reason containing `needle` and `state` holds, and checks that the
/// reason was written by a sync that ran just now.
fn until_why(w: &mut World, needle: &str, state: impl Fn(&World) -> bool) {
    let ok = step_until(w, CAP, |w| why_has(w, needle) && state(w));
    assert!(ok, "never saw {needle:?} with the expected state; last reasons {:?}, pods {:?}", reasons(w), pods(w));
    assert_eq!(w.why[KEY].at, w.now, "the reason comes from the sync that just ran");
}

fn pod<'a>(w: &'a World, name: &str) -> Option<&'a Pod> {
    w.get_pod(NS, name)
}

fn exists(w: &World, name: &str) -> bool {
    pod(w, name).is_some()
}

fn terminating(w: &World, name: &str) -> bool {
    pod(w, name).is_some_and(|p| p.metadata.deletion_timestamp.is_some())
}

fn running_ready(w: &World, name: &str) -> bool {
    pod(w, name).is_some_and(|p| p.status.phase == "Running" && p.is_ready())
}

fn revision(w: &World, name: &str) -> String {
    pod(w, name).and_then(|p| p.metadata.labels.get("controller-revision-hash").cloned()).unwrap_or_default()
}

fn set(w: &World) -> &StatefulSet {
    w.get_sts(NS, "myapp").expect("set exists")
}

fn pod_names(w: &World) -> Vec<String> {
    w.pods(NS).map(|p| p.metadata.name.clone()).collect()
}

fn ready_count(w: &World) -> usize {
    w.pods(NS).filter(|p| p.status.phase == "Running" && p.is_ready()).count()
}

fn pods(w: &World) -> Vec<String> {
    w.pods(NS)
        .map(|p| {
            format!(
                "{} {} ready={} deleting={} rev={}",
                p.metadata.name,
                p.status.phase,
                p.is_ready(),
                p.metadata.deletion_timestamp.is_some(),
                p.metadata.labels.get("controller-revision-hash").cloned().unwrap_or_default()
            )
        })
        .collect()
}

// ------------------------------------------------------------------------------------------ OrderedReady

#[test]
fn ordered_ready_creation_waits_for_the_predecessor() {
    both_ways(|w| {
        create(w, sts(3, serde_json::json!({})));
        // The sync that creates myapp-1 stops there.
        until_why(w, "created myapp-1; OrderedReady waits for it to be Running and Ready", |w| exists(w, "myapp-1"));
        assert!(!exists(w, "myapp-2"));
        // Later syncs, while myapp-1 is not Running and Ready yet, say so and still do not create myapp-2.
        until_why(w, "myapp-1 is not Running and Ready (", |w| !running_ready(w, "myapp-1"));
        assert!(why_line(w, "myapp-1 is not Running and Ready")
            .contains("OrderedReady creates, removes and updates nothing until it is"));
        assert!(!exists(w, "myapp-2"), "myapp-2 is created only once myapp-1 is Ready");
        // Once myapp-1 is Ready the reason moves on to myapp-2.
        assert!(step_until(w, CAP, |w| exists(w, "myapp-2")));
        assert!(running_ready(w, "myapp-1"));
        assert!(!why_has(w, "myapp-1"), "{:?}", reasons(w));
        assert!(why_has(w, "created myapp-2; OrderedReady waits"), "{:?}", reasons(w));
        assert!(w.settle(CAP));
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

#[test]
fn ordered_ready_names_why_the_predecessor_is_not_ready() {
    both_ways(|w| {
        create(w, sts(2, serde_json::json!({})));
        // Pending without a node: the reason says it is not scheduled yet, or which state it waits in.
        until_why(w, "myapp-0 is not Running and Ready (it is", |w| !exists(w, "myapp-1"));
        let line = why_line(w, "myapp-0 is not Running and Ready");
        assert!(line.contains("not scheduled yet") || line.contains("it is waiting: "), "{line}");
        assert!(w.settle(CAP));
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

#[test]
fn terminating_pod_blocks_ordered_ready() {
    both_ways(|w| {
        create_settled(w, sts(3, serde_json::json!({})));
        // myapp-1 is deleted and the set grows: nothing above myapp-1 happens while it terminates.
        delete_pod(w, "myapp-1");
        update(w, |s| s.spec.replicas = Some(4));
        until_why(w, "myapp-1 is terminating: OrderedReady waits for it to be gone, then recreates it", |w| {
            terminating(w, "myapp-1")
        });
        assert!(!exists(w, "myapp-3"), "myapp-3 waits for myapp-1");
        // myapp-1 gone: the controller recreates it and the reason changes.
        assert!(step_until(w, CAP, |w| exists(w, "myapp-1") && !terminating(w, "myapp-1")));
        assert!(!why_has(w, "is terminating"), "{:?}", reasons(w));
        assert!(why_has(w, "myapp-1"), "{:?}", reasons(w));
        assert!(w.settle(CAP));
        assert!(running_ready(w, "myapp-3"));
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

#[test]
fn failed_pod_is_deleted_and_recreated() {
    both_ways(|w| {
        create_settled(w, sts(3, serde_json::json!({})));
        stsplay_cluster::kubelet::fail_pod(w, NS, "myapp-1").expect("fail pod");
        until_why(w, "myapp-1 is Failed: it was deleted and will be recreated once it is gone", |w| {
            terminating(w, "myapp-1") || !exists(w, "myapp-1")
        });
        assert!(w.settle(CAP));
        assert!(running_ready(w, "myapp-1"));
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

// ------------------------------------------------------------------------------------------- scale-down

#[test]
fn scale_down_waits_for_the_terminating_pod() {
    both_ways(|w| {
        create_settled(w, sts(3, serde_json::json!({})));
        update(w, |s| s.spec.replicas = Some(1));
        until_why(w, "deleted myapp-2 for scale-down; the next one waits until it is gone", |w| {
            terminating(w, "myapp-2")
        });
        assert!(!terminating(w, "myapp-1"));
        until_why(w, "myapp-2 is terminating: scale-down waits for it to be gone", |w| terminating(w, "myapp-2"));
        assert!(!terminating(w, "myapp-1"), "myapp-1 is deleted only after myapp-2 is gone");
        // myapp-2 gone: the next sync deletes myapp-1 and says so.
        assert!(step_until(w, CAP, |w| terminating(w, "myapp-1")));
        assert!(!exists(w, "myapp-2"));
        assert!(!why_has(w, "myapp-2"), "{:?}", reasons(w));
        assert!(why_has(w, "deleted myapp-1 for scale-down"), "{:?}", reasons(w));
        assert!(w.settle(CAP));
        assert_eq!(pod_names(w), ["myapp-0"]);
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

#[test]
fn scale_down_is_blocked_by_an_unhealthy_pod() {
    both_ways(|w| {
        create_settled(w, sts(4, serde_json::json!({})));
        // Two pods above the new size are unhealthy: only the lowest of them (the first unhealthy pod) may
        // be removed, and OrderedReady removes from the top, so the highest blocks.
        stsplay_cluster::kubelet::fail_pod(w, NS, "myapp-2").expect("fail pod");
        stsplay_cluster::kubelet::fail_pod(w, NS, "myapp-3").expect("fail pod");
        update(w, |s| s.spec.replicas = Some(2));
        let needle =
            "myapp-3 is not Running and Ready and is not the first unhealthy pod: scale-down is blocked (OrderedReady)";
        until_why(w, needle, |_| true);
        assert!(exists(w, "myapp-3") && !terminating(w, "myapp-3"));
        assert!(exists(w, "myapp-2") && !terminating(w, "myapp-2"));
        // It stays blocked.
        w.run_for(120_000);
        assert!(why_has(w, needle), "{:?}", reasons(w));
        assert!(!terminating(w, "myapp-3") && !terminating(w, "myapp-2"), "{:?}", pods(w));
        // Deleting myapp-3 by hand unblocks it: the reason goes, and myapp-2 is removed next.
        delete_pod(w, "myapp-3");
        assert!(step_until(w, CAP, |w| terminating(w, "myapp-2") || !exists(w, "myapp-2")));
        assert!(!why_has(w, "first unhealthy"), "{:?}", reasons(w));
        assert!(w.settle(CAP));
        assert_eq!(pod_names(w), ["myapp-0", "myapp-1"]);
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

// ---------------------------------------------------------------------------------------- minReadySeconds

#[test]
fn min_ready_seconds_holds_creation_and_scale_down() {
    both_ways(|w| {
        create(w, sts(2, serde_json::json!({"minReadySeconds": 20})));
        until_why(w, "myapp-0 is Ready but not yet available (minReadySeconds: 20)", |w| running_ready(w, "myapp-0"));
        assert!(!exists(w, "myapp-1"), "myapp-1 waits until myapp-0 is available");
        let ready_at = pod(w, "myapp-0").and_then(|p| p.condition("Ready")).and_then(|c| c.last_transition_time);
        let ready_at = ready_at.expect("Ready condition has a transition time").0;
        assert!(step_until(w, CAP, |w| exists(w, "myapp-1")));
        assert!(w.now >= ready_at.plus_secs(20), "created at {} though myapp-0 was Ready at {ready_at}", w.now);
        assert!(!why_has(w, "myapp-0"), "{:?}", reasons(w));
        // myapp-1 is Ready but not available yet when the set scales back to 1: scale-down waits for it.
        until_why(w, "myapp-1 is Ready but not yet available (minReadySeconds: 20)", |w| running_ready(w, "myapp-1"));
        update(w, |s| s.spec.replicas = Some(1));
        until_why(w, "myapp-1 is not available yet (minReadySeconds): scale-down waits", |w| {
            running_ready(w, "myapp-1")
        });
        assert!(!terminating(w, "myapp-1"));
        // Once myapp-1 has been Ready for 20s, the next sync deletes it. (Nothing requeues this sync by
        // itself: like upstream, the minReadySeconds requeue only fires while availableReplicas differs from
        // spec.replicas, and here the available myapp-0 already makes 1 == 1. A touch of the set syncs it.)
        w.run_for(25_000);
        update(w, |s| {
            s.metadata.annotations.insert("why-test/nudge".into(), "1".into());
        });
        assert!(step_until(w, CAP, |w| terminating(w, "myapp-1")));
        assert!(!why_has(w, "minReadySeconds"), "{:?}", reasons(w));
        assert!(why_has(w, "deleted myapp-1 for scale-down"), "{:?}", reasons(w));
        assert!(w.settle(CAP));
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

// ------------------------------------------------------------------------------------------------ updates

#[test]
fn partition_keeps_lower_ordinals_on_the_old_revision() {
    both_ways(|w| {
        create_settled(w, sts(3, serde_json::json!({})));
        let old = set(w).status.current_revision.clone();
        update(w, |s| {
            s.spec.template.spec.containers[0].image = V2.into();
            s.spec.update_strategy.rolling_update.get_or_insert_with(Default::default).partition = Some(2);
        });
        assert!(w.settle(CAP));
        let new = set(w).status.update_revision.clone();
        assert_ne!(old, new);
        assert_eq!(reasons(w), [format!("partition is 2: myapp-0, myapp-1 keep revision {old}")]);
        assert_eq!(
            [revision(w, "myapp-0"), revision(w, "myapp-1"), revision(w, "myapp-2")],
            [old.clone(), old.clone(), new.clone()]
        );
        // Lowering the partition releases myapp-1: the reason now names myapp-0 only.
        update(w, |s| s.spec.update_strategy.rolling_update.as_mut().expect("rollingUpdate").partition = Some(1));
        assert!(w.settle(CAP));
        assert_eq!(reasons(w), [format!("partition is 1: myapp-0 keeps revision {old}")]);
        assert_eq!(revision(w, "myapp-1"), new);
        update(w, |s| s.spec.update_strategy.rolling_update.as_mut().expect("rollingUpdate").partition = Some(0));
        assert!(w.settle(CAP));
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
        assert_eq!(revision(w, "myapp-0"), new);
    });
}

#[test]
fn rolling_update_waits_for_the_updated_pod_ordered_ready() {
    both_ways(|w| {
        create_settled(w, sts(3, serde_json::json!({})));
        update(w, |s| s.spec.template.spec.containers[0].image = V2.into());
        until_why(w, "rolling update: deleted myapp-2 to recreate it at ", |w| terminating(w, "myapp-2"));
        let new = set(w).status.update_revision.clone();
        assert!(why_line(w, "rolling update: deleted myapp-2").ends_with(&new));
        // The recreated myapp-2 is not Ready yet: OrderedReady holds everything, myapp-1 keeps its revision.
        until_why(w, "myapp-2 is not Running and Ready (", |w| {
            revision(w, "myapp-2") == new && !running_ready(w, "myapp-2")
        });
        assert!(!terminating(w, "myapp-1"));
        assert_ne!(revision(w, "myapp-1"), new);
        // myapp-2 Ready at the new revision: the update moves on to myapp-1.
        assert!(step_until(w, CAP, |w| terminating(w, "myapp-1")));
        assert!(running_ready(w, "myapp-2"));
        assert!(!why_has(w, "myapp-2"), "{:?}", reasons(w));
        assert!(why_has(w, "rolling update: deleted myapp-1"), "{:?}", reasons(w));
        assert!(w.settle(CAP));
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

#[test]
fn rolling_update_waits_for_the_updated_pod_parallel() {
    both_ways(|w| {
        create_settled(w, sts(3, serde_json::json!({"podManagementPolicy": "Parallel"})));
        update(w, |s| s.spec.template.spec.containers[0].image = V2.into());
        until_why(w, "rolling update waits for myapp-2 to be Running and Ready", |w| {
            let new = &w.get_sts(NS, "myapp").expect("set").status.update_revision;
            revision(w, "myapp-2") == *new && !running_ready(w, "myapp-2")
        });
        assert!(!terminating(w, "myapp-1"), "myapp-1 waits for the updated myapp-2");
        assert_ne!(revision(w, "myapp-1"), set(w).status.update_revision);
        assert!(step_until(w, CAP, |w| terminating(w, "myapp-1")));
        assert!(running_ready(w, "myapp-2"));
        assert!(!why_has(w, "myapp-2"), "{:?}", reasons(w));
        assert!(why_has(w, "rolling update: deleted myapp-1"), "{:?}", reasons(w));
        assert!(w.settle(CAP));
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

#[test]
fn stuck_rollout_names_the_pod_that_never_becomes_ready() {
    both_ways(|w| {
        create_settled(w, sts(5, serde_json::json!({})));
        let good = set(w).status.current_revision.clone();
        // `sim image break ikubernetes/myapp:v2`, then a rollout to it.
        w.broken_images.insert(V2.to_string());
        update(w, |s| s.spec.template.spec.containers[0].image = V2.into());
        until_why(w, "myapp-4 is not Running and Ready (it is waiting: ", |w| {
            let new = &w.get_sts(NS, "myapp").expect("set").status.update_revision;
            revision(w, "myapp-4") == *new
        });
        let bad = set(w).status.update_revision.clone();
        // Minutes later it is still stuck on myapp-4, and nothing else was touched.
        w.run_for(300_000);
        let line = why_line(w, "myapp-4 is not Running and Ready");
        assert!(line.contains("ImagePullBackOff") || line.contains("ErrImagePull"), "{line}");
        assert!(!line.contains("outdated revision"), "myapp-4 runs the update revision: {line}");
        assert!(!running_ready(w, "myapp-4"));
        assert_eq!(revision(w, "myapp-3"), good);
        assert!(!terminating(w, "myapp-3"));
        // `kubectl rollout undo`: the template is the good one again, but the controller waits for the broken
        // myapp-4 to become Ready before it would replace it, which never happens: the reason says to delete it.
        update(w, |s| s.spec.template.spec.containers[0].image = V1.into());
        let undo = "it runs an outdated revision and is not replaced while it is not Ready (reverting the template does not help): delete it to recreate it from the current template";
        until_why(w, undo, |w| w.get_sts(NS, "myapp").expect("set").status.update_revision == good);
        assert!(why_line(w, undo).starts_with("myapp-4 is not Running and Ready"));
        w.run_for(300_000);
        assert!(why_has(w, undo), "{:?}", reasons(w));
        assert_eq!(revision(w, "myapp-4"), bad, "undo did not replace myapp-4");
        assert!(!running_ready(w, "myapp-4"));
        // Deleting it recreates it from the current (good) template.
        delete_pod(w, "myapp-4");
        assert!(w.settle(CAP));
        assert!(running_ready(w, "myapp-4"));
        assert_eq!(revision(w, "myapp-4"), good);
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

#[test]
fn on_delete_does_not_replace_pods() {
    both_ways(|w| {
        create_settled(w, sts(3, serde_json::json!({"updateStrategy": {"type": "OnDelete"}})));
        let old = set(w).status.current_revision.clone();
        update(w, |s| s.spec.template.spec.containers[0].image = V2.into());
        assert!(w.settle(CAP));
        assert_eq!(
            reasons(w),
            ["updateStrategy is OnDelete: myapp-0, myapp-1, myapp-2 keep the old revision until you delete them"]
        );
        assert!(["myapp-0", "myapp-1", "myapp-2"].iter().all(|p| revision(w, p) == old && running_ready(w, p)));
        delete_pod(w, "myapp-1");
        assert!(w.settle(CAP));
        assert_eq!(
            reasons(w),
            ["updateStrategy is OnDelete: myapp-0, myapp-2 keep the old revision until you delete them"]
        );
        assert_eq!(revision(w, "myapp-1"), set(w).status.update_revision);
        delete_pod(w, "myapp-0");
        delete_pod(w, "myapp-2");
        assert!(w.settle(CAP));
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

// ------------------------------------------------------------------------------------------ the set itself

#[test]
fn a_set_being_deleted_only_updates_its_status() {
    both_ways(|w| {
        create_settled(w, sts(3, serde_json::json!({})));
        let uids: Vec<String> = w.pods(NS).map(|p| p.metadata.uid.clone()).collect();
        // A pod goes missing while the set is deleted (foreground: the set stays until its pods are gone).
        delete_pod(w, "myapp-1");
        let opts = DeleteOptions { propagation: Propagation::Foreground, ..Default::default() };
        w.api_delete(Kind::StatefulSet, NS, "myapp", opts).expect("delete set");
        until_why(w, "StatefulSet myapp is being deleted: only its status is updated", |w| {
            w.get_sts(NS, "myapp").is_some_and(|s| s.metadata.deletion_timestamp.is_some())
        });
        // Nothing is recreated while it goes.
        assert!(step_until(w, CAP, |w| {
            assert!(w.pods(NS).all(|p| uids.contains(&p.metadata.uid)), "a pod was created: {:?}", pods(w));
            w.get_sts(NS, "myapp").is_none()
        }));
        // The set is gone: a sync of its key forgets its reasons.
        stsplay_cluster::statefulset::sync(w, NS, "myapp");
        assert!(!w.why.contains_key(KEY), "a deleted set has no reasons: {:?}", w.why);
    });
}

#[test]
fn parallel_does_not_wait() {
    both_ways(|w| {
        create(w, sts(3, serde_json::json!({"podManagementPolicy": "Parallel"})));
        // One sync creates every pod, none of them Ready. Nothing holds creation back: the only reason is
        // the update loop's (which, as upstream, stops at the highest pod that is not Ready yet).
        assert!(step_until(w, CAP, |w| w.why.contains_key(KEY)));
        assert_eq!(pod_names(w), ["myapp-0", "myapp-1", "myapp-2"]);
        assert_eq!(ready_count(w), 0);
        assert_eq!(reasons(w), ["rolling update waits for myapp-2 to be Running and Ready"]);
        // Later syncs, while the pods start, never wait for one pod before creating or starting another.
        assert!(step_until(w, CAP, |w| {
            assert!(!why_has(w, "OrderedReady") && !why_has(w, "created "), "{:?}", reasons(w));
            ready_count(w) == 3
        }));
        assert!(w.settle(CAP));
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
        // Scale-down removes all condemned pods at once, without waiting for each to go.
        update(w, |s| s.spec.replicas = Some(0));
        assert!(step_until(w, CAP, |w| w.pods(NS).all(|p| p.metadata.deletion_timestamp.is_some())));
        assert_eq!(pod_names(w).len(), 3, "all three terminate together");
        assert!(reasons(w).is_empty(), "{:?}", reasons(w));
    });
}

#[test]
fn ordered_ready_first_sync_creates_only_the_first_pod() {
    both_ways(|w| {
        create(w, sts(3, serde_json::json!({})));
        assert!(step_until(w, CAP, |w| w.why.contains_key(KEY)));
        assert_eq!(pod_names(w), ["myapp-0"]);
        assert_eq!(reasons(w), ["created myapp-0; OrderedReady waits for it to be Running and Ready"]);
    });
}
