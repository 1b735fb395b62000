//! The garbage collector: dependents whose owners are all gone are deleted (background propagation);
//! owners being deleted in the foreground wait for their blocking dependents; the `orphan` finalizer
//! strips owner references first. Also pod GC: pods bound to a node that no longer exists are removed.

use crate::api::{Propagation, FOREGROUND_DELETION, ORPHAN_FINALIZER};
use crate::store::ObjKey;
use crate::world::World;
use stsplay_model::kinds::{Kind, Object, ALL_KINDS};

pub fn gc_pass(w: &mut World) {
    orphan_finalizers(w);
    foreground(w);
    background(w);
    pod_gc(w);
}

fn all_objects(w: &World) -> Vec<Object> {
    ALL_KINDS
        .iter()
        .filter(|k| **k != Kind::Event)
        .flat_map(|k| w.store.list(*k, None).cloned().collect::<Vec<_>>())
        .collect()
}

/// Owners with the `orphan` finalizer: remove their references from dependents, then the finalizer.
fn orphan_finalizers(w: &mut World) {
    let owners: Vec<Object> = all_objects(w)
        .into_iter()
        .filter(|o| o.meta().is_terminating() && o.meta().finalizers.iter().any(|f| f == ORPHAN_FINALIZER))
        .collect();
    for owner in owners {
        let uid = owner.meta().uid.clone();
        for mut dep in all_objects(w) {
            if dep.meta().owner_references.iter().any(|r| r.uid == uid) {
                dep.meta_mut().owner_references.retain(|r| r.uid != uid);
                w.write(dep);
            }
        }
        w.remove_finalizer(&ObjKey::of(&owner), ORPHAN_FINALIZER);
    }
}

/// Owners deleted in the foreground: delete dependents; drop the finalizer once none block.
fn foreground(w: &mut World) {
    let owners: Vec<Object> = all_objects(w)
        .into_iter()
        .filter(|o| o.meta().is_terminating() && o.meta().finalizers.iter().any(|f| f == FOREGROUND_DELETION))
        .collect();
    for owner in owners {
        let uid = owner.meta().uid.clone();
        let deps: Vec<Object> =
            all_objects(w).into_iter().filter(|d| d.meta().owner_references.iter().any(|r| r.uid == uid)).collect();
        let mut blocking = false;
        for d in &deps {
            let blocks = d.meta().owner_references.iter().any(|r| r.uid == uid && r.block_owner_deletion == Some(true));
            blocking |= blocks;
            if !d.meta().is_terminating() {
                let m = d.meta();
                let _ = w.api_delete(
                    d.kind(),
                    &m.namespace.clone(),
                    &m.name.clone(),
                    crate::api::DeleteOptions { grace_period_seconds: None, propagation: Propagation::Foreground },
                );
            }
        }
        if !blocking {
            w.remove_finalizer(&ObjKey::of(&owner), FOREGROUND_DELETION);
        }
    }
}

/// Dependents whose every owner is gone are deleted.
fn background(w: &mut World) {
    let victims: Vec<Object> = all_objects(w)
        .into_iter()
        .filter(|o| {
            let refs = &o.meta().owner_references;
            !refs.is_empty() && !o.meta().is_terminating() && refs.iter().all(|r| !w.store.exists_uid(&r.uid))
        })
        .collect();
    for v in victims {
        let m = v.meta();
        w.trace("garbage-collector", format!("delete {} {} (owner is gone)", v.kind().name(), m.name));
        let _ = w.api_delete(v.kind(), &m.namespace.clone(), &m.name.clone(), Default::default());
    }
}

/// PodGC: pods bound to nodes that do not exist are force-deleted.
fn pod_gc(w: &mut World) {
    let orphans: Vec<ObjKey> = w
        .store
        .list(Kind::Pod, None)
        .filter_map(|o| o.as_pod())
        .filter(|p| !p.spec.node_name.is_empty() && w.store.get_by(Kind::Node, "", &p.spec.node_name).is_none())
        .map(|p| ObjKey::new(Kind::Pod, &p.metadata.namespace, &p.metadata.name))
        .collect();
    for key in orphans {
        w.trace("pod-garbage-collector", format!("force delete pod {} (its node is gone)", key.name));
        w.finalize_delete(&key);
    }
}
