//! Invariants checked after every simulated step (reference §3): OrderedReady creation order, claims
//! before pods, partition boundaries, scale-down from the highest ordinal, Retain never deletes a claim,
//! and, once settled, status counts that equal what `kubectl get pods` shows.

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
}

fn set_of<'a>(w: &'a World, ns: &str, pod_name: &str) -> Option<&'a StatefulSet> {
    let (parent, _) = parent_and_ordinal(pod_name)?;
    w.get_sts(ns, parent)
}

impl Checker {
    pub fn new(w: &World) -> Checker {
        Checker { rv: w.store.resource_version(), trace: w.trace.len(), user_deleted_claims: Vec::new() }
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
                (WatchType::Deleted, Object::PersistentVolumeClaim(c)) => {
                    if self.user_deleted_claims.contains(&c.metadata.name) {
                        continue;
                    }
                    let owner_sts =
                        c.metadata.owner_references.iter().any(|r| r.kind == "StatefulSet" || r.kind == "Pod");
                    if !owner_sts {
                        return Err(format!(
                            "claim {} was deleted although nothing owned it (Retain)",
                            c.metadata.name
                        ));
                    }
                }
                _ => {}
            }
        }
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
