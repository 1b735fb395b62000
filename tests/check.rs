//! Invariants checked after every simulated step (reference §3): OrderedReady creation order, claims
//! before pods, at most one pod per identity (ordinal and claim), rolling updates from the highest
//! ordinal down, one healthy pod at a time, partition boundaries, scale-down from the highest ordinal,
//! claims deleted only as the retention policy says (Retain never deletes one), and, once settled,
//! status counts that equal the pods.

use std::collections::{BTreeMap, BTreeSet};
use stsplay_cluster::statefulset::utils::{ordinal, parent_and_ordinal};
use stsplay_cluster::{WatchType, World};
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::StatefulSet;

#[derive(Default)]
pub struct Checker {
    rv: u64,
    trace: usize,
    /// PVCs a user deleted on purpose (not violations).
    pub user_deleted_claims: Vec<String>,
    /// The last retention policy seen per StatefulSet (`whenDeleted`, `whenScaled`): a set's claims may be
    /// deleted after the set itself is gone.
    pub policies: BTreeMap<String, (String, String)>,
    /// Every claim ever created (what Retain must keep).
    pub claims_seen: BTreeSet<String>,
}

fn set_of<'a>(w: &'a World, ns: &str, pod_name: &str) -> Option<&'a StatefulSet> {
    let (parent, _) = parent_and_ordinal(pod_name)?;
    w.get_sts(ns, parent)
}

impl Checker {
    pub fn new(w: &World) -> Checker {
        let mut c = Checker { rv: w.store.resource_version(), trace: w.trace.len(), ..Default::default() };
        c.note_sets(w);
        c.claims_seen.extend(w.store.list(Kind::PersistentVolumeClaim, None).map(|o| o.meta().name.clone()));
        c
    }

    fn note_sets(&mut self, w: &World) {
        for o in w.store.list(Kind::StatefulSet, None) {
            if let Some(s) = o.as_sts() {
                let (d, sc) = s.retention();
                self.policies.insert(s.metadata.name.clone(), (d.to_string(), sc.to_string()));
            }
        }
    }

    /// At most one pod per identity: one pod per ordinal (names are unique in the store, so this is about
    /// claims) and no claim mounted by two pods at once.
    fn one_pod_per_identity(w: &World) -> Result<(), String> {
        let mut users: BTreeMap<&str, &str> = BTreeMap::new();
        for p in w.pods("default") {
            if p.metadata.controller_ref().is_none_or(|r| r.kind != "StatefulSet") {
                continue;
            }
            for v in &p.spec.volumes {
                let Some(c) = &v.persistent_volume_claim else { continue };
                if let Some(other) = users.insert(&c.claim_name, &p.metadata.name) {
                    return Err(format!(
                        "identity violated at {}: claim {} used by both {other} and {}",
                        w.now, c.claim_name, p.metadata.name
                    ));
                }
            }
        }
        Ok(())
    }

    /// Checks what happened since the last call. Returns a description of the first violation.
    pub fn check(&mut self, w: &World) -> Result<(), String> {
        let events: Vec<_> = w.store.watch_since(self.rv).cloned().collect();
        self.rv = w.store.resource_version();
        for e in &events {
            match (&e.type_, &*e.object) {
                (WatchType::Added, Object::Pod(p)) => {
                    let ns = &p.metadata.namespace;
                    let Some(set) = set_of(w, ns, &p.metadata.name) else { continue };
                    if p.metadata.controller_ref().is_none_or(|r| r.uid != set.metadata.uid) {
                        continue;
                    }
                    // Claims before pods.
                    for v in &p.spec.volumes {
                        if let Some(c) = &v.persistent_volume_claim {
                            if w.get_pvc(ns, &c.claim_name).is_none()
                                && !w.store.watch_since(0).any(|x| {
                                    x.object.kind() == Kind::PersistentVolumeClaim
                                        && x.object.meta().name == c.claim_name
                                })
                            {
                                return Err(format!(
                                    "pod {} created before its claim {}",
                                    p.metadata.name, c.claim_name
                                ));
                            }
                        }
                    }
                    if set.is_parallel() {
                        continue;
                    }
                    let n = ordinal(p);
                    let start = set.start_ordinal();
                    for m in start..n {
                        let name = format!("{}-{m}", set.metadata.name);
                        let ok = w
                            .get_pod(ns, &name)
                            .is_some_and(|q| q.is_running_and_ready() && q.metadata.deletion_timestamp.is_none());
                        if !ok && m < start + set.replicas() {
                            return Err(format!(
                                "OrderedReady violated at {}: {} created while {name} is not Running and Ready",
                                w.now, p.metadata.name
                            ));
                        }
                    }
                }
                (WatchType::Added, Object::PersistentVolumeClaim(c)) => {
                    self.claims_seen.insert(c.metadata.name.clone());
                }
                (WatchType::Deleted, Object::PersistentVolumeClaim(c)) => {
                    if self.user_deleted_claims.iter().any(|u| u == "*" || *u == c.metadata.name) {
                        continue;
                    }
                    // Only the retention policy deletes a claim: `whenDeleted: Delete` makes the set its
                    // owner, `whenScaled: Delete` makes the condemned pod its owner; the GC does the rest.
                    let mut allowed = false;
                    for r in &c.metadata.owner_references {
                        let set = match r.kind.as_str() {
                            "StatefulSet" => Some(r.name.as_str()),
                            "Pod" => parent_and_ordinal(&r.name).map(|(p, _)| p),
                            _ => None,
                        };
                        let Some(policy) = set.and_then(|s| self.policies.get(s)) else { continue };
                        let wanted = if r.kind == "StatefulSet" { &policy.0 } else { &policy.1 };
                        allowed |= wanted == "Delete";
                    }
                    if !allowed {
                        return Err(format!(
                            "claim {} was deleted although the retention policy keeps it (owners {:?})",
                            c.metadata.name,
                            c.metadata
                                .owner_references
                                .iter()
                                .map(|r| format!("{}/{}", r.kind, r.name))
                                .collect::<Vec<_>>()
                        ));
                    }
                }
                _ => {}
            }
        }
        self.note_sets(w);
        Self::one_pod_per_identity(w)?;
        for t in &w.trace[self.trace..] {
            if t.component != "statefulset-controller" {
                continue;
            }
            let Some(rest) = t.message.strip_prefix("delete Pod ") else { continue };
            let Some((pod, why)) = rest.split_once(' ') else { continue };
            let Some((parent, n)) = parent_and_ordinal(pod) else { continue };
            let Some(set) = w.get_sts("default", parent) else { continue };
            if why.contains("rolling update") {
                let partition = set.spec.update_strategy.rolling_update.as_ref().and_then(|r| r.partition).unwrap_or(0);
                if n < set.start_ordinal() + partition {
                    return Err(format!("partition {partition} violated at {}: {pod} deleted for update", t.at));
                }
                if set.is_on_delete() {
                    return Err(format!("OnDelete violated at {}: {pod} deleted for update", t.at));
                }
                // Upstream updates from the highest ordinal down, one at a time: every higher ordinal of
                // the set is already at the update revision and Running and Ready.
                if !w.gates.max_unavailable_stateful_set {
                    for m in n + 1..set.start_ordinal() + set.replicas() {
                        let name = format!("{parent}-{m}");
                        let ok = w.get_pod("default", &name).is_some_and(|q| {
                            q.is_running_and_ready()
                                && q.metadata.deletion_timestamp.is_none()
                                && q.metadata.labels.get("controller-revision-hash")
                                    == Some(&set.status.update_revision)
                        });
                        if !ok {
                            return Err(format!(
                                "update order violated at {}: {pod} deleted for update while {name} is not updated, Running and Ready",
                                t.at
                            ));
                        }
                    }
                }
            }
            if why.contains("scale down") && !set.is_parallel() {
                let higher = w
                    .pods("default")
                    .filter(|p| {
                        parent_and_ordinal(&p.metadata.name)
                            .is_some_and(|(pp, m)| pp == parent && m > n && m >= set.start_ordinal() + set.replicas())
                    })
                    .filter(|p| p.metadata.deletion_timestamp.is_none())
                    .count();
                if higher > 0 {
                    return Err(format!("scale-down order violated at {}: {pod} deleted before higher ordinals", t.at));
                }
            }
        }
        self.trace = w.trace.len();
        Ok(())
    }

    /// Once nothing is scheduled: status counts equal the pods.
    pub fn check_settled(&self, w: &World) -> Result<(), String> {
        for o in w.store.list(Kind::StatefulSet, None) {
            let Some(s) = o.as_sts() else { continue };
            let pods: Vec<_> = w
                .pods(&s.metadata.namespace)
                .filter(|p| p.metadata.controller_ref().is_some_and(|r| r.uid == s.metadata.uid))
                .collect();
            let ready = pods.iter().filter(|p| p.is_running_and_ready()).count() as i32;
            if s.status.replicas != pods.len() as i32 {
                return Err(format!(
                    "{}: status.replicas {} but {} pods",
                    s.metadata.name,
                    s.status.replicas,
                    pods.len()
                ));
            }
            if s.status.ready_replicas != ready {
                return Err(format!(
                    "{}: status.readyReplicas {} but {ready} ready pods",
                    s.metadata.name, s.status.ready_replicas
                ));
            }
            let updated = pods
                .iter()
                .filter(|p| {
                    p.metadata.deletion_timestamp.is_none()
                        && p.metadata.labels.get("controller-revision-hash") == Some(&s.status.update_revision)
                })
                .count() as i32;
            let current = pods
                .iter()
                .filter(|p| {
                    p.metadata.deletion_timestamp.is_none()
                        && p.metadata.labels.get("controller-revision-hash") == Some(&s.status.current_revision)
                })
                .count() as i32;
            if s.status.current_replicas != current {
                return Err(format!(
                    "{}: status.currentReplicas {} but {current} pods at the current revision",
                    s.metadata.name, s.status.current_replicas
                ));
            }
            if s.status.updated_replicas != updated {
                return Err(format!(
                    "{}: status.updatedReplicas {} but {updated} pods at the update revision",
                    s.metadata.name, s.status.updated_replicas
                ));
            }
        }
        Ok(())
    }
}
