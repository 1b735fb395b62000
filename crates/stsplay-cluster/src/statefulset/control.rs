//! Mirrors `stateful_set_control.go`: one reconcile of a StatefulSet (UpdateStatefulSet → performUpdate →
//! updateStatefulSet), status computation and revision history. Every place where upstream holds back also
//! records why, so the UI can say which rule is waiting on what.

use super::index::PodGroup;
use super::pod_control::*;
use super::utils::*;
use crate::world::{SyncReasons, World};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::labels::Selector;
use stsplay_model::objects::*;

/// A pod as the controller sees it: a cheap shared handle to the stored object (syncs run often and
/// must not copy every pod), or a pod built in memory that is not created yet — with the facts every
/// sync asks about computed once (ordinal, revision, health), since the loops visit every pod.
#[derive(Clone, Debug)]
pub struct PodRef {
    obj: Rc<Object>,
    pub ordinal: i32,
    pub revision: Rc<str>,
    pub created: bool,
    pub terminating: bool,
    pub running_ready: bool,
    pub ready_since: Option<stsplay_model::SimTime>,
}

impl PodRef {
    pub fn new(p: Pod) -> PodRef {
        PodRef::from_rc(Rc::new(Object::Pod(p)))
    }

    /// A slot with no pod yet: only its name and ordinal are known.
    fn placeholder(name: String, ordinal: i32) -> PodRef {
        let mut p = Pod::default();
        p.metadata.name = name;
        let mut r = PodRef::new(p);
        r.ordinal = ordinal;
        r
    }

    fn from_rc(obj: Rc<Object>) -> PodRef {
        let (ordinal, revision, created, terminating, running_ready, ready_since) = match &*obj {
            Object::Pod(p) => (
                ordinal(p),
                Rc::from(pod_revision(p)),
                is_created(p),
                is_terminating(p),
                is_running_and_ready(p),
                p.condition("Ready").and_then(|c| c.last_transition_time).map(|t| t.0),
            ),
            _ => (-1, Rc::from(""), false, false, false, None),
        };
        PodRef { obj, ordinal, revision, created, terminating, running_ready, ready_since }
    }

    /// The same as `from_rc(f.obj.clone())`, reusing what the index already computed.
    fn from_facts(f: &super::index::Facts, ordinal: i64) -> PodRef {
        let ready_since = match &*f.obj {
            Object::Pod(p) => p.condition("Ready").and_then(|c| c.last_transition_time).map(|t| t.0),
            _ => None,
        };
        PodRef {
            obj: f.obj.clone(),
            ordinal: ordinal as i32,
            revision: f.revision.clone(),
            created: f.created,
            terminating: f.terminating,
            running_ready: f.running_ready,
            ready_since,
        }
    }

    fn healthy(&self) -> bool {
        self.running_ready && !self.terminating
    }

    /// `isRunningAndAvailable` from the cached facts.
    fn available(&self, min_ready_seconds: i32, now: stsplay_model::SimTime) -> bool {
        self.running_ready
            && (min_ready_seconds <= 0
                || self.ready_since.is_some_and(|t| t.plus_secs(min_ready_seconds as i64) <= now))
    }
}

fn empty_pod() -> &'static Pod {
    static EMPTY: std::sync::OnceLock<Pod> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Pod::default)
}

impl std::ops::Deref for PodRef {
    type Target = Pod;
    fn deref(&self) -> &Pod {
        match &*self.obj {
            Object::Pod(p) => p,
            _ => empty_pod(),
        }
    }
}

/// The reconcile. Returns the status it computed, or an error (the caller requeues with back-off).
pub fn update_stateful_set(w: &mut World, ns: &str, name: &str) -> Result<Option<StatefulSetStatus>, String> {
    let Some(set) = w.get_sts(ns, name).cloned() else { return Ok(None) };
    update_stateful_set_of(w, &set)
}

/// `update_stateful_set` with the set as stored now (the caller has just read it: no second copy).
pub(crate) fn update_stateful_set_of(w: &mut World, set: &StatefulSet) -> Result<Option<StatefulSetStatus>, String> {
    let (ns, name) = (set.metadata.namespace.as_str(), set.metadata.name.as_str());
    let mut reasons = Vec::new();
    let mut revisions = list_revisions(w, set);
    let (current, update, collision_count) = get_stateful_set_revisions(w, set, &mut revisions)?;
    let result = if fast_path_applies(w, set) {
        update_pods_fast(w, set, &current, &update, collision_count, &mut reasons)
    } else {
        let pods = list_pods(w, set);
        update_pods(w, set, &current, &update, collision_count, &pods, &mut reasons)
    };
    let (status, err) = match result {
        Ok(s) => (s, None),
        Err((s, e)) => (s, Some(e)),
    };
    let status_err = update_stateful_set_status(w, set, status.clone()).err();
    let limit = set.spec.revision_history_limit.unwrap_or(10).max(0) as usize;
    if revisions.len() > limit {
        // Pods as they are after this sync decide which revisions are live.
        let live = pod_revisions(w, set);
        truncate_history(w, set, &live, &revisions, &current, &update);
    }
    // A pod held back by a stale claim is created only after the GC deletes the claim, and no event of this
    // controller follows that deletion (upstream: processReplica returns (true, nil), and the set is synced
    // again by the informers' periodic resync). Retry the sync with the failed-sync back-off meanwhile.
    let err = err.or(status_err).or_else(|| reasons.iter().find(|r| r.contains(STALE_CLAIM_WAIT)).cloned());
    w.why.insert(format!("{ns}/{name}"), SyncReasons { at: w.now, reasons });
    match err {
        Some(e) => Err(e),
        None => Ok(Some(status)),
    }
}

/// Why a pod waits for a stale claim (its reason, and the sync's error).
const STALE_CLAIM_WAIT: &str = "its PersistentVolumeClaim still belongs to an earlier";

fn list_revisions(w: &World, set: &StatefulSet) -> Vec<ControllerRevision> {
    let selector = set.spec.selector.as_ref().and_then(Selector::from_label_selector).unwrap_or_default();
    let mut revs: Vec<ControllerRevision> = w
        .store
        .list(Kind::ControllerRevision, Some(&set.metadata.namespace))
        .filter_map(|o| o.as_revision())
        .filter(|r| r.metadata.controller_ref().is_some_and(|c| c.uid == set.metadata.uid))
        .filter(|r| selector.matches(&r.metadata.labels))
        .cloned()
        .collect();
    sort_revisions(&mut revs);
    revs
}

/// `history.SortControllerRevisions`: by revision, then creation time, then name.
fn sort_revisions(revs: &mut [ControllerRevision]) {
    revs.sort_by(|a, b| {
        (a.revision, a.metadata.creation_timestamp, &a.metadata.name).cmp(&(
            b.revision,
            b.metadata.creation_timestamp,
            &b.metadata.name,
        ))
    });
}

/// Pods that belong to this set (owned by it, name parses as `<set>-<n>`), sorted by ordinal.
pub fn list_pods(w: &World, set: &StatefulSet) -> Vec<PodRef> {
    let mut pods: Vec<PodRef> = w
        .store
        .list_rc(Kind::Pod, Some(&set.metadata.namespace))
        .into_iter()
        .filter(|o| matches!(**o, Object::Pod(_)))
        .map(PodRef::from_rc)
        .filter(|p| p.metadata.controller_ref().is_some_and(|r| r.uid == set.metadata.uid))
        .filter(|p| is_member_of(set, p))
        .collect();
    pods.sort_by_key(|p| p.ordinal);
    pods
}

fn equal_revision(a: &ControllerRevision, b: &ControllerRevision) -> bool {
    a.data == b.data
        && a.metadata.labels.get(CONTROLLER_REVISION_HASH_LABEL)
            == b.metadata.labels.get(CONTROLLER_REVISION_HASH_LABEL)
}

/// `getStatefulSetRevisions`: find or create the update revision (bumping an equal older one on rollback).
fn get_stateful_set_revisions(
    w: &mut World,
    set: &StatefulSet,
    revisions: &mut Vec<ControllerRevision>,
) -> Result<(ControllerRevision, ControllerRevision, i32), String> {
    let mut collision_count = set.status.collision_count.unwrap_or(0);
    let next = revisions.last().map(|r| r.revision + 1).unwrap_or(1);
    let memo = w.sync_memo.revision_data(set);
    let candidate = new_revision_of(set, next, collision_count, memo.1.clone(), &memo.2);
    let equal: Vec<usize> =
        revisions.iter().enumerate().filter(|(_, r)| r.data == candidate.data).map(|(i, _)| i).collect();
    let update = if let Some(&last_equal) = equal.last() {
        if last_equal == revisions.len() - 1 {
            revisions[last_equal].clone()
        } else {
            // Rollback: the equal old revision gets the next number; its old number disappears.
            let mut r = revisions[last_equal].clone();
            r.revision = next;
            w.write(Object::ControllerRevision(r.clone()));
            w.trace("statefulset-controller", format!("revision {} is revision {} again", r.metadata.name, r.revision));
            revisions[last_equal] = r.clone();
            sort_revisions(revisions);
            r
        }
    } else {
        // CreateControllerRevision: on a name clash with different data, bump collisionCount and retry.
        let mut attempt = candidate;
        loop {
            match w.store.get_by(Kind::ControllerRevision, &set.metadata.namespace, &attempt.metadata.name) {
                Some(Object::ControllerRevision(existing)) if equal_revision(existing, &attempt) => {
                    break existing.clone();
                }
                Some(_) => {
                    collision_count += 1;
                    if collision_count > 1000 {
                        return Err("too many revision hash collisions".into());
                    }
                    attempt = new_revision_of(set, next, collision_count, memo.1.clone(), &memo.2);
                }
                None => {
                    let created = w.create(Object::ControllerRevision(attempt.clone())).map_err(|e| e.message)?;
                    let created = created.as_revision().cloned().unwrap_or(attempt);
                    w.trace(
                        "statefulset-controller",
                        format!("create ControllerRevision {} (revision {})", created.metadata.name, created.revision),
                    );
                    revisions.push(created.clone());
                    break created;
                }
            }
        }
    };
    let current = revisions
        .iter()
        .find(|r| r.metadata.name == set.status.current_revision)
        .cloned()
        .unwrap_or_else(|| update.clone());
    Ok((current, update, collision_count))
}

/// `computeReplicaStatus` over the given pods.
fn count_status(
    status: &mut StatefulSetStatus,
    min_ready: i32,
    now: stsplay_model::SimTime,
    current: &str,
    update: &str,
    pods: &[&PodRef],
) {
    status.replicas = 0;
    status.ready_replicas = 0;
    status.available_replicas = 0;
    status.current_replicas = 0;
    status.updated_replicas = 0;
    for p in pods {
        if p.created {
            status.replicas += 1;
        }
        if p.running_ready {
            status.ready_replicas += 1;
            if p.available(min_ready, now) {
                status.available_replicas += 1;
            }
        }
        if p.created && !p.terminating {
            let rev: &str = &p.revision;
            if rev == current {
                status.current_replicas += 1;
            }
            if rev == update {
                status.updated_replicas += 1;
            }
        }
    }
}

type SyncResult = Result<StatefulSetStatus, (StatefulSetStatus, String)>;

/// `updateStatefulSet`: creation, repair, scale-down and rolling update.
fn update_pods(
    w: &mut World,
    set: &StatefulSet,
    current_rev: &ControllerRevision,
    update_rev: &ControllerRevision,
    collision_count: i32,
    pods: &[PodRef],
    reasons: &mut Vec<String>,
) -> SyncResult {
    let current_set = apply_template(set, w.sync_memo.template(current_rev).as_ref().as_ref());
    let update_set = apply_template(set, w.sync_memo.template(update_rev).as_ref().as_ref());
    let (cur, upd) = (current_rev.metadata.name.clone(), update_rev.metadata.name.clone());
    let min_ready = set.spec.min_ready_seconds;
    let mut status = StatefulSetStatus {
        observed_generation: set.metadata.generation,
        current_revision: cur.clone(),
        update_revision: upd.clone(),
        collision_count: Some(collision_count),
        ..Default::default()
    };
    let now = w.now;
    count_status(&mut status, min_ready, now, &cur, &upd, &pods.iter().collect::<Vec<_>>());

    let start = start_ordinal(set);
    // Slots beyond the playground's pod quota could never be filled (creation is refused): do not allocate
    // them (a set may ask for 2147483647 replicas).
    let replica_count = (set.replicas().max(0) as usize).min(w.max_pods + 1);
    let mut replicas: Vec<Option<PodRef>> = vec![None; replica_count];
    let mut condemned: Vec<PodRef> = Vec::new();
    let end = end_ordinal(set);
    for p in pods {
        if p.ordinal >= start && p.ordinal <= end {
            let idx = (p.ordinal - start) as usize;
            if idx < replicas.len() {
                replicas[idx] = Some(p.clone());
            }
        } else if p.ordinal >= 0 {
            condemned.push(p.clone());
        }
    }
    let mut replicas: Vec<PodRef> = replicas
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            // Missing pods are built when their slot is processed (a monotonic sync stops at the first one).
            p.unwrap_or_else(|| PodRef::placeholder(pod_name(set, start + i as i32), start + i as i32))
        })
        .collect();
    condemned.sort_by_key(|p| std::cmp::Reverse(p.ordinal));

    let mut first_unhealthy: Option<String> = None;
    for p in &replicas {
        if !p.healthy() && first_unhealthy.is_none() {
            first_unhealthy = Some(p.metadata.name.clone());
        }
    }
    for p in condemned.iter().rev() {
        if !p.healthy() && first_unhealthy.is_none() {
            first_unhealthy = Some(p.metadata.name.clone());
        }
    }

    let finish = |status: &mut StatefulSetStatus, replicas: &[PodRef], condemned: &[PodRef]| {
        let all: Vec<&PodRef> = replicas.iter().chain(condemned.iter()).collect();
        count_status(status, min_ready, now, &cur, &upd, &all);
    };

    if set.metadata.deletion_timestamp.is_some() {
        reasons.push(format!("StatefulSet {} is being deleted: only its status is updated", set.metadata.name));
        return Ok(status);
    }
    let monotonic = !set.is_parallel();

    // 1. Each replica slot, in ascending order.
    for i in 0..replicas.len() {
        let versions = Versions { current_set: &current_set, update_set: &update_set, cur: &cur, upd: &upd };
        match process_replica(w, set, &versions, monotonic, &mut replicas[i], reasons) {
            Ok(false) => {}
            Ok(true) => {
                if monotonic {
                    finish(&mut status, &replicas, &condemned);
                    return Ok(status);
                }
            }
            Err(e) => {
                finish(&mut status, &replicas, &condemned);
                return Err((status, e));
            }
        }
    }

    // 2. Claim owner references of condemned pods follow the retention policy.
    for p in &condemned {
        if !claims_match_retention_policy(w, &update_set, p) {
            update_pod_claim_for_retention_policy(w, &update_set, p);
        }
    }

    // 3. Scale down: highest ordinal first.
    for i in 0..condemned.len() {
        let p = condemned[i].clone();
        if p.terminating {
            if monotonic {
                reasons.push(format!("{} is terminating: scale-down waits for it to be gone", p.metadata.name));
                finish(&mut status, &replicas, &condemned);
                return Ok(status);
            }
            continue;
        }
        let is_first_unhealthy = first_unhealthy.as_deref() == Some(p.metadata.name.as_str());
        if monotonic && !p.running_ready && !is_first_unhealthy {
            reasons.push(format!(
                "{} is not Running and Ready and is not the first unhealthy pod: scale-down is blocked (OrderedReady)",
                p.metadata.name
            ));
            finish(&mut status, &replicas, &condemned);
            return Ok(status);
        }
        if monotonic && !p.available(min_ready, now) && !is_first_unhealthy {
            reasons.push(format!("{} is not available yet (minReadySeconds): scale-down waits", p.metadata.name));
            finish(&mut status, &replicas, &condemned);
            return Ok(status);
        }
        let res = delete_stateful_pod(w, set, &p, "scale down");
        if let Some(updated) = w.get_pod(&p.metadata.namespace, &p.metadata.name) {
            condemned[i] = PodRef::new(updated.clone());
        }
        if let Err(e) = res {
            finish(&mut status, &replicas, &condemned);
            return Err((status, e));
        }
        if monotonic {
            reasons.push(format!("deleted {} for scale-down; the next one waits until it is gone", p.metadata.name));
            finish(&mut status, &replicas, &condemned);
            return Ok(status);
        }
    }

    finish(&mut status, &replicas, &condemned);

    // 4. Updates.
    if set.is_on_delete() {
        let outdated: Vec<&str> =
            replicas.iter().filter(|p| *p.revision != *upd).map(|p| p.metadata.name.as_str()).collect();
        if !outdated.is_empty() {
            reasons.push(format!(
                "updateStrategy is OnDelete: {} keep the old revision until you delete them",
                outdated.join(", ")
            ));
        }
        return Ok(status);
    }
    if w.gates.max_unavailable_stateful_set {
        return update_with_max_unavailable(w, set, &upd, &replicas, status, reasons);
    }
    let update_min =
        set.spec.update_strategy.rolling_update.as_ref().and_then(|r| r.partition).unwrap_or(0).max(0) as usize;
    let mut target = replicas.len();
    while target > update_min {
        target -= 1;
        let p = replicas[target].clone();
        if *p.revision != *upd && !p.terminating {
            match delete_stateful_pod(w, set, &p, "rolling update") {
                Ok(()) => {}
                Err(e) if w.get_pod(&p.metadata.namespace, &p.metadata.name).is_none() => {
                    let _ = e;
                }
                Err(e) => return Err((status, e)),
            }
            status.current_replicas -= 1;
            reasons.push(format!("rolling update: deleted {} to recreate it at {upd}", p.metadata.name));
            return Ok(status);
        }
        if !p.healthy() || !p.available(min_ready, now) {
            reasons.push(format!(
                "rolling update waits for {} to be Running and Ready{}",
                p.metadata.name,
                if min_ready > 0 { " and available" } else { "" }
            ));
            return Ok(status);
        }
    }
    if update_min > 0 {
        let kept: Vec<&str> = replicas
            .iter()
            .take(update_min.min(replicas.len()))
            .filter(|p| *p.revision != *upd)
            .map(|p| p.metadata.name.as_str())
            .collect();
        if !kept.is_empty() {
            reasons.push(format!(
                "partition is {update_min}: {} keep{} revision {cur}",
                kept.join(", "),
                if kept.len() == 1 { "s" } else { "" }
            ));
        }
    }
    Ok(status)
}

/// The two revisions of a sync: the set at each, and their names.
struct Versions<'a> {
    current_set: &'a StatefulSet,
    update_set: &'a StatefulSet,
    cur: &'a str,
    upd: &'a str,
}

/// `processReplica`. Returns Ok(true) when this slot blocks (monotonic) or made a change it must wait for.
fn process_replica(
    w: &mut World,
    set: &StatefulSet,
    versions: &Versions,
    monotonic: bool,
    slot: &mut PodRef,
    reasons: &mut Vec<String>,
) -> Result<bool, String> {
    let pod = slot.clone();
    let name = pod.metadata.name.clone();
    if is_failed(&pod) || is_succeeded(&pod) {
        if !pod.terminating {
            delete_stateful_pod(w, set, &pod, &format!("pod phase is {}", pod.status.phase))?;
        }
        reasons.push(format!("{name} is {}: it was deleted and will be recreated once it is gone", pod.status.phase));
        return Ok(true);
    }
    let (update_set, upd) = (versions.update_set, versions.upd);
    if !is_created(&pod) {
        let ordinal = pod.ordinal;
        let pod = PodRef::new(new_versioned_pod(versions.current_set, update_set, versions.cur, upd, ordinal));
        if pod_claim_is_stale(w, set, &pod) {
            reasons.push(format!(
                "{name} is not created: {STALE_CLAIM_WAIT} {name} (whenScaled: Delete); waiting for the garbage collector"
            ));
            // Upstream keeps the versioned pod it built in `replicas[i]`: the rolling update sees its revision.
            *slot = pod;
            return Ok(true);
        }
        create_stateful_pod(w, set, &pod)?;
        if let Some(created) = w.get_pod(&pod.metadata.namespace, &name) {
            // Upstream keeps its in-memory copy (phase unset) for this sync's status counts.
            let mut p = created.clone();
            p.status.phase.clear();
            *slot = PodRef::new(p);
        }
        if monotonic {
            reasons.push(format!("created {name}; OrderedReady waits for it to be Running and Ready"));
            return Ok(true);
        }
        return Ok(false);
    }
    if is_pending(&pod) {
        create_persistent_volume_claims(w, set, &pod)?;
    }
    if pod.terminating && monotonic {
        reasons.push(format!("{name} is terminating: OrderedReady waits for it to be gone, then recreates it"));
        return Ok(true);
    }
    if !pod.running_ready && monotonic {
        let mut reason = format!(
            "{name} is not Running and Ready ({}): OrderedReady creates, removes and updates nothing until it is",
            describe_not_ready(&pod)
        );
        if *pod.revision != *upd {
            reason.push_str(
                "; it runs an outdated revision and is not replaced while it is not Ready (reverting the template does not help): delete it to recreate it from the current template",
            );
        }
        reasons.push(reason);
        return Ok(true);
    }
    if !pod.available(set.spec.min_ready_seconds, w.now) && monotonic {
        reasons
            .push(format!("{name} is Ready but not yet available (minReadySeconds: {})", set.spec.min_ready_seconds));
        return Ok(true);
    }
    let retention_match = claims_match_retention_policy(w, update_set, &pod);
    if identity_matches(set, &pod) && storage_matches(set, &pod) && retention_match {
        return Ok(false);
    }
    update_stateful_pod(w, update_set, &pod)?;
    Ok(false)
}

fn describe_not_ready(pod: &Pod) -> String {
    if pod.status.phase == "Pending" && pod.spec.node_name.is_empty() {
        return "it is Pending: not scheduled yet".into();
    }
    if let Some(reason) = pod.status.container_statuses.iter().find_map(|c| c.state.waiting.as_ref()?.reason.clone()) {
        return format!("it is waiting: {reason}");
    }
    format!("phase {}, Ready {}", pod.status.phase, if pod.is_ready() { "True" } else { "False" })
}

// ------------------------------------------------------------------------------- the indexed walk

/// Whether `update_pods_fast` may stand in for `update_pods`: the store's pod index holds every fact the
/// walk would read (see `index`), and no rule whose outcome depends on more than the pod itself is in play
/// (minReadySeconds depends on the clock, the MaxUnavailable path counts every pod, claims with owner
/// references need the retention policy checked claim by claim). Otherwise the literal walk runs.
fn fast_path_applies(w: &World, set: &StatefulSet) -> bool {
    if w.reference_sync || set.spec.min_ready_seconds > 0 || w.gates.max_unavailable_stateful_set {
        return false;
    }
    let replicas = set.replicas();
    if replicas < 0 || replicas as usize > w.max_pods || start_ordinal(set) as i64 + replicas as i64 > i32::MAX as i64 {
        return false;
    }
    if !set.spec.volume_claim_templates.is_empty()
        && (set.retention() != ("Retain", "Retain") || w.store.claims_with_owners() > 0)
    {
        return false;
    }
    w.store.pod_group(&set.metadata.namespace, &set.metadata.name).is_some_and(|g| g.usable_for(set))
}

fn group<'a>(w: &'a World, set: &StatefulSet) -> &'a PodGroup {
    w.store.pod_group(&set.metadata.namespace, &set.metadata.name).expect("fast_path_applies checked the group")
}

/// The slot's pod as the walk sees it: the stored pod, or a placeholder when there is none.
fn slot_from_index(w: &World, set: &StatefulSet, ordinal: i64) -> PodRef {
    match group(w, set).facts(ordinal) {
        Some(f) => PodRef::from_facts(f, ordinal),
        None => PodRef::placeholder(pod_name(set, ordinal as i32), ordinal as i32),
    }
}

/// `computeReplicaStatus` kept as running sums (available = ready: the fast path has minReadySeconds 0).
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    replicas: i32,
    ready: i32,
    current: i32,
    updated: i32,
}

impl Counts {
    fn add(&mut self, p: &PodRef, cur: &str, upd: &str, d: i32) {
        self.replicas += p.created as i32 * d;
        self.ready += p.running_ready as i32 * d;
        if p.created && !p.terminating {
            if *p.revision == *cur {
                self.current += d;
            }
            if *p.revision == *upd {
                self.updated += d;
            }
        }
    }

    /// A slot's pod changed in the walk's memory (created, or re-read after a delete).
    fn replace(&mut self, before: &PodRef, after: &PodRef, cur: &str, upd: &str) {
        self.add(before, cur, upd, -1);
        self.add(after, cur, upd, 1);
    }

    fn write(&self, s: &mut StatefulSetStatus) {
        s.replicas = self.replicas;
        s.ready_replicas = self.ready;
        s.available_replicas = self.ready;
        s.current_replicas = self.current;
        s.updated_replicas = self.updated;
    }
}

fn earliest(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// `update_pods` with the same decisions, writes, Events, trace and reasons, visiting only the slots where
/// the literal walk does or says something: missing pods and pods that are not `clean` (step 1), the first
/// condemned pod or the non-terminating ones (step 3), and the highest pod that is outdated or unhealthy
/// (step 4). Every other slot holds a clean pod, for which each step of the walk does nothing.
/// Writes during the walk only touch the slot being processed, so the index answers for every slot ahead
/// as the list taken at the start would; slots already processed are read from `seen`, the walk's memory.
fn update_pods_fast(
    w: &mut World,
    set: &StatefulSet,
    current_rev: &ControllerRevision,
    update_rev: &ControllerRevision,
    collision_count: i32,
    reasons: &mut Vec<String>,
) -> SyncResult {
    let current_set = apply_template(set, w.sync_memo.template(current_rev).as_ref().as_ref());
    let update_set = apply_template(set, w.sync_memo.template(update_rev).as_ref().as_ref());
    let (cur, upd) = (current_rev.metadata.name.clone(), update_rev.metadata.name.clone());
    let mut status = StatefulSetStatus {
        observed_generation: set.metadata.generation,
        current_revision: cur.clone(),
        update_revision: upd.clone(),
        collision_count: Some(collision_count),
        ..Default::default()
    };
    let (lo_all, hi_all) = (i32::MIN as i64, i32::MAX as i64);
    let start = start_ordinal(set) as i64;
    let end = start + set.replicas().max(0) as i64 - 1;
    let monotonic = !set.is_parallel();
    let mut counts = {
        let g = group(w, set);
        Counts { replicas: g.created, ready: g.running_ready, current: g.rev_count(&cur), updated: g.rev_count(&upd) }
    };
    counts.write(&mut status);

    // The first unhealthy pod (slots ascending, then condemned ascending); only scale-down asks.
    let first_unhealthy: Option<String> = {
        let g = group(w, set);
        let slot = earliest(g.first_gap(start, end), PodGroup::in_range(&g.unhealthy, start, end).next());
        let condemned = || {
            PodGroup::in_range(&g.unhealthy, lo_all, start - 1)
                .next()
                .or_else(|| PodGroup::in_range(&g.unhealthy, end + 1, hi_all).next())
        };
        match slot {
            Some(o) => Some(g.get(o).map_or_else(|| pod_name(set, o as i32), |p| p.meta().name.clone())),
            None => condemned().and_then(|o| g.get(o)).map(|p| p.meta().name.clone()),
        }
    };

    if set.metadata.deletion_timestamp.is_some() {
        reasons.push(format!("StatefulSet {} is being deleted: only its status is updated", set.metadata.name));
        return Ok(status);
    }

    // 1. Each slot that is missing its pod or whose pod is not clean (Parallel: that the walk acts on; it
    // passes the others by, as it does clean pods), in ascending order.
    let mut seen: BTreeMap<i64, PodRef> = BTreeMap::new();
    let versions = Versions { current_set: &current_set, update_set: &update_set, cur: &cur, upd: &upd };
    let mut cursor = start;
    while cursor <= end {
        let next = {
            let g = group(w, set);
            let visit = if monotonic { &g.attention } else { &g.busy };
            earliest(g.first_gap(cursor, end), PodGroup::in_range(visit, cursor, end).next())
        };
        let Some(o) = next else { break };
        let before = slot_from_index(w, set, o);
        let mut slot = before.clone();
        let result = process_replica(w, set, &versions, monotonic, &mut slot, reasons);
        counts.replace(&before, &slot, &cur, &upd);
        seen.insert(o, slot);
        match result {
            Ok(false) => {}
            Ok(true) => {
                if monotonic {
                    counts.write(&mut status);
                    return Ok(status);
                }
            }
            Err(e) => {
                counts.write(&mut status);
                return Err((status, e));
            }
        }
        cursor = o + 1;
    }

    // 2. Claim owner references of condemned pods already follow the retention policy (fast_path_applies).

    // 3. Scale down: highest ordinal first.
    let ns = set.metadata.namespace.clone();
    let condemned: Vec<Rc<Object>> = {
        let g = group(w, set);
        if monotonic {
            // OrderedReady looks at the highest condemned pod only, whatever it finds there.
            let above = g.pods_in(end + 1, hi_all).next_back();
            above.or_else(|| g.pods_in(lo_all, start - 1).next_back()).map(|(_, f)| f.obj.clone()).into_iter().collect()
        } else {
            // Parallel passes terminating pods by and deletes the others.
            let above = PodGroup::in_range(&g.live, end + 1, hi_all).rev();
            let below = PodGroup::in_range(&g.live, lo_all, start - 1).rev();
            above.chain(below).filter_map(|o| g.get(o).cloned()).collect()
        }
    };
    for rc in condemned {
        let p = PodRef::from_rc(rc);
        if p.terminating {
            reasons.push(format!("{} is terminating: scale-down waits for it to be gone", p.metadata.name));
            counts.write(&mut status);
            return Ok(status);
        }
        let is_first_unhealthy = first_unhealthy.as_deref() == Some(p.metadata.name.as_str());
        if monotonic && !p.running_ready && !is_first_unhealthy {
            reasons.push(format!(
                "{} is not Running and Ready and is not the first unhealthy pod: scale-down is blocked (OrderedReady)",
                p.metadata.name
            ));
            counts.write(&mut status);
            return Ok(status);
        }
        let res = delete_stateful_pod(w, set, &p, "scale down");
        if let Some(updated) = w.get_pod(&ns, &p.metadata.name) {
            counts.replace(&p, &PodRef::new(updated.clone()), &cur, &upd);
        }
        if let Err(e) = res {
            counts.write(&mut status);
            return Err((status, e));
        }
        if monotonic {
            reasons.push(format!("deleted {} for scale-down; the next one waits until it is gone", p.metadata.name));
            counts.write(&mut status);
            return Ok(status);
        }
    }
    counts.write(&mut status);

    // Slots in [from, to] whose pod (in the walk's memory) runs another revision than the update's, in
    // ordinal order. After step 1 every slot has a pod or was processed.
    let outdated = |w: &World, from: i64, to: i64, seen: &BTreeMap<i64, PodRef>| -> Vec<String> {
        let g = group(w, set);
        let mut names: BTreeMap<i64, String> = BTreeMap::new();
        for (rev, keys) in &g.by_rev {
            if **rev != *upd {
                for o in PodGroup::in_range(keys, from, to).filter(|o| !seen.contains_key(o)) {
                    names.extend(g.get(o).map(|p| (o, p.meta().name.clone())));
                }
            }
        }
        if from <= to {
            for (o, p) in seen.range(from..=to) {
                if *p.revision != *upd {
                    names.insert(*o, p.metadata.name.clone());
                }
            }
        }
        names.into_values().collect()
    };

    // 4. Updates.
    if set.is_on_delete() {
        let outdated = outdated(w, start, end, &seen);
        if !outdated.is_empty() {
            reasons.push(format!(
                "updateStrategy is OnDelete: {} keep the old revision until you delete them",
                outdated.join(", ")
            ));
        }
        return Ok(status);
    }
    let update_min =
        set.spec.update_strategy.rolling_update.as_ref().and_then(|r| r.partition).unwrap_or(0).max(0) as i64;
    // The highest slot at or above the partition that is outdated or unhealthy: where the walk from the
    // top stops (every slot above it is updated and healthy).
    let target = {
        let g = group(w, set);
        let lo = start + update_min;
        let mut best: Option<i64> = None;
        let mut consider = |o: Option<i64>| best = best.max(o);
        for (rev, keys) in &g.by_rev {
            if **rev != *upd {
                consider(PodGroup::in_range(keys, lo, end).rev().find(|o| !seen.contains_key(o)));
            }
        }
        consider(PodGroup::in_range(&g.unhealthy, lo, end).rev().find(|o| !seen.contains_key(o)));
        if lo <= end {
            consider(seen.range(lo..=end).rev().find(|(_, p)| *p.revision != *upd || !p.healthy()).map(|(o, _)| *o));
        }
        best
    };
    if let Some(t) = target {
        let p = seen.get(&t).cloned().unwrap_or_else(|| slot_from_index(w, set, t));
        if *p.revision != *upd && !p.terminating {
            match delete_stateful_pod(w, set, &p, "rolling update") {
                Ok(()) => {}
                Err(e) if w.get_pod(&p.metadata.namespace, &p.metadata.name).is_none() => {
                    let _ = e;
                }
                Err(e) => return Err((status, e)),
            }
            status.current_replicas -= 1;
            reasons.push(format!("rolling update: deleted {} to recreate it at {upd}", p.metadata.name));
            return Ok(status);
        }
        reasons.push(format!("rolling update waits for {} to be Running and Ready", p.metadata.name));
        return Ok(status);
    }
    if update_min > 0 {
        let kept = outdated(w, start, (start + update_min - 1).min(end), &seen);
        if !kept.is_empty() {
            reasons.push(format!(
                "partition is {update_min}: {} keep{} revision {cur}",
                kept.join(", "),
                if kept.len() == 1 { "s" } else { "" }
            ));
        }
    }
    Ok(status)
}

/// Revisions of the set's pods as they are now (which revisions are live for history truncation).
fn pod_revisions(w: &World, set: &StatefulSet) -> BTreeSet<String> {
    match w.store.pod_group(&set.metadata.namespace, &set.metadata.name) {
        Some(g) if g.usable_for(set) && !w.reference_sync => g.revisions().map(String::from).collect(),
        _ => list_pods(w, set).iter().map(|p| p.revision.to_string()).collect(),
    }
}

/// The MaxUnavailableStatefulSet path (feature gate on): delete up to maxUnavailable outdated pods at once.
fn update_with_max_unavailable(
    w: &mut World,
    set: &StatefulSet,
    upd: &str,
    replicas: &[PodRef],
    mut status: StatefulSetStatus,
    reasons: &mut Vec<String>,
) -> SyncResult {
    let ru = set.spec.update_strategy.rolling_update.clone().unwrap_or_default();
    let update_min = ru.partition.unwrap_or(0).max(0) as usize;
    let r = set.replicas().max(0) as i64;
    let max_unavailable = match &ru.max_unavailable {
        Some(serde_json::Value::Number(n)) => n.as_i64().unwrap_or(1),
        Some(serde_json::Value::String(s)) => s.trim_end_matches('%').parse::<i64>().map(|p| r * p / 100).unwrap_or(1),
        _ => 1,
    }
    .max(1);
    let now = w.now;
    let unavailable =
        replicas.iter().filter(|p| !p.healthy() || !p.available(set.spec.min_ready_seconds, now)).count() as i64;
    if unavailable >= max_unavailable {
        reasons.push(format!("rolling update: {unavailable} pods unavailable, maxUnavailable is {max_unavailable}"));
        return Ok(status);
    }
    let mut budget = max_unavailable - unavailable;
    let mut target = replicas.len();
    while target > update_min && budget > 0 {
        target -= 1;
        let p = &replicas[target];
        if *p.revision != *upd && !p.terminating {
            if let Err(e) = delete_stateful_pod(w, set, p, "rolling update") {
                return Err((status, e));
            }
            status.current_replicas -= 1;
            budget -= 1;
        }
    }
    Ok(status)
}

/// `updateStatefulSetStatus`: completeRollingUpdate, then write only if something changed. The API server's
/// `ValidateStatefulSetStatus` refuses negative counts (the rolling update's `currentReplicas--` reaches -1
/// when it deletes a pod of neither revision): the write fails and so does the sync, which is retried.
fn update_stateful_set_status(w: &mut World, set: &StatefulSet, mut status: StatefulSetStatus) -> Result<(), String> {
    complete_rolling_update(set, &mut status);
    let Some(stored) = w.get_sts(&set.metadata.namespace, &set.metadata.name) else { return Ok(()) };
    if !inconsistent_status(stored, &status) {
        return Ok(());
    }
    let counts = [
        ("replicas", status.replicas),
        ("readyReplicas", status.ready_replicas),
        ("currentReplicas", status.current_replicas),
        ("updatedReplicas", status.updated_replicas),
        ("availableReplicas", status.available_replicas),
    ];
    if let Some((field, v)) = counts.into_iter().find(|(_, v)| *v < 0) {
        return Err(format!(
            "StatefulSet.apps \"{}\" is invalid: status.{field}: Invalid value: {v}: must be greater than or equal to 0",
            set.metadata.name
        ));
    }
    let mut s = stored.clone();
    s.status = status;
    w.write(Object::StatefulSet(s));
    Ok(())
}

/// `truncateHistory`: delete non-live revisions beyond revisionHistoryLimit, oldest first.
fn truncate_history(
    w: &mut World,
    set: &StatefulSet,
    pod_revisions: &BTreeSet<String>,
    revisions: &[ControllerRevision],
    current: &ControllerRevision,
    update: &ControllerRevision,
) {
    let mut live: BTreeSet<&str> = [current.metadata.name.as_str(), update.metadata.name.as_str()].into();
    live.extend(pod_revisions.iter().map(String::as_str));
    let history: Vec<&ControllerRevision> =
        revisions.iter().filter(|r| !live.contains(r.metadata.name.as_str())).collect();
    let limit = set.spec.revision_history_limit.unwrap_or(10).max(0) as usize;
    if history.len() <= limit {
        return;
    }
    let excess = history.len() - limit;
    let names: Vec<String> = history.iter().take(excess).map(|r| r.metadata.name.clone()).collect();
    for n in names {
        let _ = w.delete(Kind::ControllerRevision, &set.metadata.namespace, &n, Default::default());
    }
}
