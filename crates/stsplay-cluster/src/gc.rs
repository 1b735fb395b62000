//! The garbage collector: dependents whose owners are all gone are deleted (background propagation);
//! owners being deleted in the foreground wait for their blocking dependents; the `orphan` finalizer
//! strips owner references first. Also pod GC: pods bound to a node that no longer exists are removed.
//!
//! Like upstream's graph builder it works from changes: `World::react` queues the uids of objects that
//! were deleted or started terminating (and their owners); the owner index finds their dependents.

use crate::api::{Propagation, FOREGROUND_DELETION, ORPHAN_FINALIZER};
use crate::store::ObjKey;
use crate::world::World;
use stsplay_model::kinds::{Kind, Object};

pub fn gc_pass(w: &mut World) {
    let queue = std::mem::take(&mut w.gc_queue);
    for uid in queue {
        match w.store.get_uid(&uid).cloned() {
            Some(owner) => {
                let m = owner.meta();
                if !m.is_terminating() {
                    continue;
                }
                if m.finalizers.iter().any(|f| f == ORPHAN_FINALIZER) {
                    orphan(w, &owner);
                } else if m.finalizers.iter().any(|f| f == FOREGROUND_DELETION) {
                    foreground(w, &owner);
                }
            }
            None => background(w, &uid),
        }
    }
}

fn dependents(w: &World, uid: &str) -> Vec<Object> {
    w.store.dependents(uid).iter().filter_map(|k| w.store.get(k).cloned()).collect()
}

/// The `orphan` finalizer: remove references to the owner from its dependents, then the finalizer.
fn orphan(w: &mut World, owner: &Object) {
    let uid = owner.meta().uid.clone();
    for mut dep in dependents(w, &uid) {
        dep.meta_mut().owner_references.retain(|r| r.uid != uid);
        w.write(dep);
    }
    w.remove_finalizer(&ObjKey::of(owner), ORPHAN_FINALIZER);
}

/// Foreground deletion: delete the dependents; drop the finalizer once none block.
fn foreground(w: &mut World, owner: &Object) {
    let uid = owner.meta().uid.clone();
    let mut blocking = false;
    for d in dependents(w, &uid) {
        blocking |= d.meta().owner_references.iter().any(|r| r.uid == uid && r.block_owner_deletion == Some(true));
        if !d.meta().is_terminating() {
            let m = d.meta();
            let opts = crate::api::DeleteOptions { grace_period_seconds: None, propagation: Propagation::Foreground };
            let _ = w.delete(d.kind(), &m.namespace.clone(), &m.name.clone(), opts);
        }
    }
    if !blocking {
        w.remove_finalizer(&ObjKey::of(owner), FOREGROUND_DELETION);
    }
}

/// Background: dependents whose every owner is gone are deleted.
fn background(w: &mut World, uid: &str) {
    for d in dependents(w, uid) {
        let m = d.meta();
        if m.is_terminating() || !m.owner_references.iter().all(|r| !w.store.exists_uid(&r.uid)) {
            continue;
        }
        w.trace("garbage-collector", format!("delete {} {} (owner is gone)", d.kind().name(), m.name));
        let _ = w.delete(d.kind(), &m.namespace.clone(), &m.name.clone(), Default::default());
    }
}

/// PodGC: pods bound to nodes that do not exist are marked Failed (DisruptionTarget `DeletionByPodGC`)
/// and force-deleted.
pub fn pod_gc(w: &mut World) {
    let orphans: Vec<ObjKey> = w
        .store
        .list(Kind::Pod, None)
        .filter_map(|o| o.as_pod())
        .filter(|p| !p.spec.node_name.is_empty() && w.store.get_by(Kind::Node, "", &p.spec.node_name).is_none())
        .map(|p| ObjKey::new(Kind::Pod, &p.metadata.namespace, &p.metadata.name))
        .collect();
    for key in orphans {
        if let Some(mut p) = w.store.get(&key).and_then(|o| o.as_pod()).cloned() {
            if !matches!(p.status.phase.as_str(), "Failed" | "Succeeded") {
                p.status.phase = "Failed".into();
                crate::scheduler::set_condition(
                    &mut p,
                    "DisruptionTarget",
                    "True",
                    Some("DeletionByPodGC"),
                    Some("PodGC: node no longer exists"),
                    w.now,
                );
                w.write(Object::Pod(p));
            }
        }
        w.trace("pod-garbage-collector", format!("force delete pod {} (its node is gone)", key.name));
        w.finalize_delete(&key);
    }
}
