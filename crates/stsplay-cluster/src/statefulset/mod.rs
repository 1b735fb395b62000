//! The StatefulSet controller, split like upstream's `pkg/controller/statefulset/`:
//! `sync` (stateful_set.go: adoption, requeue), `control` (stateful_set_control.go: the reconcile),
//! `pod_control` (stateful_pod_control.go: claims, pods, events) and `utils` (stateful_set_utils.go).

pub mod control;
pub mod index;
pub mod pod_control;
pub mod utils;

use crate::world::{Action, World};
use std::rc::Rc;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::labels::Selector;
use stsplay_model::objects::{ControllerRevision, PodTemplateSpec, StatefulSet};

/// Results of pure functions every sync recomputes from inputs that rarely change: the revision data of a
/// template (serialised and hashed on every sync) and the template parsed back from a revision (twice per
/// sync). Keyed by the whole input (the template; the revision's uid and resourceVersion, which change on
/// any write), so a hit returns exactly what the computation would. A few entries: one per live template.
#[derive(Clone, Debug, Default)]
pub struct SyncMemo {
    data: Vec<Rc<(PodTemplateSpec, serde_json::Value, String)>>,
    parsed: Vec<(String, String, Rc<Option<PodTemplateSpec>>)>,
}

const MEMO_ENTRIES: usize = 8;

impl SyncMemo {
    /// `revision_data` of a set with this template, and its `go_json`.
    pub fn revision_data(&mut self, set: &StatefulSet) -> Rc<(PodTemplateSpec, serde_json::Value, String)> {
        if let Some(e) = self.data.iter().find(|e| e.0 == set.spec.template) {
            return e.clone();
        }
        let data = utils::revision_data(set);
        let json = utils::go_json(&data);
        let e = Rc::new((set.spec.template.clone(), data, json));
        if self.data.len() >= MEMO_ENTRIES {
            self.data.remove(0);
        }
        self.data.push(e.clone());
        e
    }

    /// `revision_template` of a stored revision.
    pub fn template(&mut self, rev: &ControllerRevision) -> Rc<Option<PodTemplateSpec>> {
        let (uid, rv) = (&rev.metadata.uid, &rev.metadata.resource_version);
        if uid.is_empty() || rv.is_empty() {
            // Not stored: no key that pins its data.
            return Rc::new(utils::revision_template(rev));
        }
        if let Some((_, _, t)) = self.parsed.iter().find(|(u, r, _)| u == uid && r == rv) {
            return t.clone();
        }
        let t = Rc::new(utils::revision_template(rev));
        if self.parsed.len() >= MEMO_ENTRIES {
            self.parsed.remove(0);
        }
        self.parsed.push((uid.clone(), rv.clone(), t.clone()));
        t
    }
}

/// `syncStatefulSet` for one key: adopt/release pods, reconcile, requeue on error or for minReadySeconds.
pub fn sync(w: &mut World, ns: &str, name: &str) {
    let Some(set) = w.get_sts(ns, name).cloned() else {
        w.why.remove(&format!("{ns}/{name}"));
        return;
    };
    let key = format!("{ns}/{name}");
    let selector = set.spec.selector.as_ref().and_then(Selector::from_label_selector);
    let Some(selector) = selector.filter(|s| !s.is_empty()) else { return };
    w.store.set_group_context(&set, &selector);
    claim_pods(w, &set, &selector);
    let result = control::update_stateful_set_of(w, &set);
    match result {
        Err(_) => {
            // Rate-limited requeue: 5ms doubling up to 1000s (client-go's default controller rate limiter).
            let n = w.sync_failures.entry(key).or_insert(0);
            *n = (*n + 1).min(40);
            let delay = (5i64 << (*n - 1).min(30)).min(1_000_000);
            w.schedule(delay, Action::RetrySync(ns.to_string(), name.to_string()));
        }
        Ok(status) => {
            w.sync_failures.remove(&key);
            if let Some(set) = w.get_sts(ns, name) {
                if set.spec.min_ready_seconds > 0 && status.is_some_and(|s| s.available_replicas != set.replicas()) {
                    let d = set.spec.min_ready_seconds as i64 * 1000;
                    w.schedule(d, Action::SyncStatefulSet(ns.to_string(), name.to_string()));
                }
            }
        }
    }
}

/// `getPodsForStatefulSet` + ControllerRefManager: adopt orphans that match, release owned pods that don't.
fn claim_pods(w: &mut World, set: &stsplay_model::objects::StatefulSet, selector: &Selector) {
    let uid = set.metadata.uid.clone();
    let deleting = set.metadata.deletion_timestamp.is_some();
    let mut writes = Vec::new();
    // The index knows when no member is an orphan or fails the selector: then there is nothing to adopt
    // or release, and the walk over every pod of the namespace can be skipped.
    let settled = match w.store.pod_group(&set.metadata.namespace, &set.metadata.name) {
        None => true,
        Some(g) => g.usable_for(set) && !w.reference_sync,
    };
    let pods = if settled { None } else { Some(w.pods(&set.metadata.namespace)) };
    for pod in pods.into_iter().flatten() {
        if !utils::is_member_of(set, pod) {
            continue;
        }
        let matches = selector.matches(&pod.metadata.labels);
        match pod.metadata.controller_ref() {
            Some(r) if r.uid == uid => {
                if !matches {
                    let mut p = pod.clone();
                    p.metadata.owner_references.retain(|r| r.uid != uid);
                    writes.push(p);
                }
            }
            Some(_) => {}
            None => {
                if matches && !deleting && pod.metadata.deletion_timestamp.is_none() {
                    let mut p = pod.clone();
                    p.metadata.owner_references.push(utils::controller_ref(set));
                    writes.push(p);
                }
            }
        }
    }
    for p in writes {
        w.write(Object::Pod(p));
    }
    // Orphaned ControllerRevisions matching the selector are adopted too (`adoptOrphanRevisions`).
    let revs: Vec<_> = w
        .store
        .list(Kind::ControllerRevision, Some(&set.metadata.namespace))
        .filter_map(|o| o.as_revision())
        .filter(|r| r.metadata.controller_ref().is_none() && selector.matches(&r.metadata.labels))
        .filter(|r| r.metadata.name.starts_with(&format!("{}-", set.metadata.name)))
        .cloned()
        .collect();
    for mut r in revs {
        r.metadata.owner_references.push(utils::controller_ref(set));
        w.write(Object::ControllerRevision(r));
    }
}
