//! The store's incremental index of a StatefulSet's pods: pods named `<set>-<ordinal>` of one namespace,
//! with the facts a sync asks about (revision, created, terminating, Running and Ready, whether the pod
//! needs the controller's attention at all) and aggregates over them (status counts, present ordinals).
//!
//! Why: upstream's sync is level-triggered and walks every pod of the set on every sync. Doing that
//! literally costs O(pods) per sync, and a rollout of n pods needs O(n) syncs, so O(n²) in all (minutes for
//! 10,000 replicas). The store updates this index on every pod write (O(log n)), and `control` uses it to
//! visit only the pods where the walk would do or say something; it produces exactly what the full walk
//! produces (`World::reference_sync` runs the full walk, and the tests compare the two).

use super::utils::{identity_matches, is_created, is_failed, is_pending, is_running_and_ready, is_succeeded};
use super::utils::{is_terminating, pod_revision};
use super::utils::{parent_and_ordinal, storage_matches};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::rc::Rc;
use stsplay_model::kinds::Object;
use stsplay_model::labels::Selector;
use stsplay_model::objects::{LabelSelector, ObjectMeta, PersistentVolumeClaim, StatefulSet, StatefulSetSpec};

/// A pod in its group: ordinal, then name (two names can parse to one ordinal: `web-1`, `web-01`).
pub type Key = (i32, Rc<str>);

/// What the facts that depend on the StatefulSet (ownership, selector, storage) are computed against.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupContext {
    owner_uid: String,
    selector: Option<LabelSelector>,
    matcher: Selector,
    /// The set reduced to what identity and storage checks read: name, namespace, claim template names.
    set: StatefulSet,
}

impl GroupContext {
    pub fn of(set: &StatefulSet, matcher: &Selector) -> GroupContext {
        let templates = set
            .spec
            .volume_claim_templates
            .iter()
            .map(|t| PersistentVolumeClaim {
                metadata: ObjectMeta { name: t.metadata.name.clone(), ..Default::default() },
                ..Default::default()
            })
            .collect();
        let mut reduced = StatefulSet {
            metadata: ObjectMeta {
                name: set.metadata.name.clone(),
                namespace: set.metadata.namespace.clone(),
                ..Default::default()
            },
            spec: StatefulSetSpec { volume_claim_templates: templates, ..Default::default() },
            ..Default::default()
        };
        reduced.spec.selector = None;
        GroupContext {
            owner_uid: set.metadata.uid.clone(),
            selector: set.spec.selector.clone(),
            matcher: matcher.clone(),
            set: reduced,
        }
    }

    /// Whether this context describes `set` as it is now (no allocation: syncs ask every time).
    pub fn is_for(&self, set: &StatefulSet) -> bool {
        self.owner_uid == set.metadata.uid
            && self.selector == set.spec.selector
            && self.set.metadata.name == set.metadata.name
            && self.set.metadata.namespace == set.metadata.namespace
            && self.set.spec.volume_claim_templates.len() == set.spec.volume_claim_templates.len()
            && self
                .set
                .spec
                .volume_claim_templates
                .iter()
                .zip(&set.spec.volume_claim_templates)
                .all(|(a, b)| a.metadata.name == b.metadata.name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Owner {
    /// Controlled by the context's StatefulSet.
    Owned,
    /// No controller: the set may adopt it.
    Orphan,
    /// Controlled by something else (or no context yet).
    Foreign,
}

#[derive(Clone, Debug)]
pub struct Facts {
    pub obj: Rc<Object>,
    pub revision: Rc<str>,
    owner: Owner,
    matched: bool,
    pub(crate) created: bool,
    pub(crate) terminating: bool,
    pub(crate) running_ready: bool,
    /// Running and Ready, not terminating, identity and storage as the set wants: a sync's walk passes it
    /// by without doing or saying anything.
    clean: bool,
    /// Not `quiet`: a Parallel walk would do something about this pod (see `add`).
    busy: bool,
}

#[derive(Clone, Debug, Default)]
pub struct PodGroup {
    pub(crate) ctx: Option<Rc<GroupContext>>,
    pub(crate) pods: BTreeMap<Key, Facts>,
    ordinals: BTreeMap<i32, u32>,
    /// Maximal runs of present ordinals: start → end (inclusive). Finds missing slots in O(log n).
    runs: BTreeMap<i32, i32>,
    dups: usize,
    orphans: usize,
    foreign: usize,
    unmatched: usize,
    pub created: i32,
    pub running_ready: i32,
    /// Created and not terminating, by revision (status currentReplicas / updatedReplicas).
    rev_counts: BTreeMap<Rc<str>, i32>,
    pub(crate) by_rev: BTreeMap<Rc<str>, BTreeSet<Key>>,
    /// Pods that are not `clean` (what an OrderedReady walk stops at).
    pub(crate) attention: BTreeSet<Key>,
    /// Pods a Parallel walk acts on (a subset of `attention`). Without it, every sync of a Parallel set
    /// visits every pod that is not Ready yet only to do nothing: O(n²) while n pods start.
    pub(crate) busy: BTreeSet<Key>,
    /// Pods that are not Running and Ready, or are terminating.
    pub(crate) unhealthy: BTreeSet<Key>,
    /// Pods that are not terminating.
    pub(crate) live: BTreeSet<Key>,
}

impl PodGroup {
    /// The same pods, with their facts computed against a new context.
    pub(crate) fn rebuilt(old: &PodGroup, ctx: GroupContext) -> PodGroup {
        let mut g = PodGroup { ctx: Some(Rc::new(ctx)), ..Default::default() };
        for f in old.pods.values() {
            g.add(f.obj.clone());
        }
        g
    }

    pub(crate) fn add(&mut self, obj: Rc<Object>) {
        let Object::Pod(p) = &*obj else { return };
        let Some((_, ordinal)) = parent_and_ordinal(&p.metadata.name) else { return };
        let owner = match (p.metadata.controller_ref(), &self.ctx) {
            (None, _) => Owner::Orphan,
            (Some(r), Some(c)) if r.uid == c.owner_uid => Owner::Owned,
            _ => Owner::Foreign,
        };
        let matched = self.ctx.as_ref().is_some_and(|c| c.matcher.matches(&p.metadata.labels));
        let (created, terminating, running_ready) = (is_created(p), is_terminating(p), is_running_and_ready(p));
        let clean = running_ready
            && !terminating
            && self.ctx.as_ref().is_some_and(|c| identity_matches(&c.set, p) && storage_matches(&c.set, p));
        // `process_replica` without OrderedReady's waits does nothing for a created pod that has not failed
        // or succeeded, whose identity and storage match, and which is not Pending with claims to check
        // (claim references need no fixing either: the fast path runs only while no claim has owners).
        let quiet = created
            && !is_failed(p)
            && !is_succeeded(p)
            && self.ctx.as_ref().is_some_and(|c| {
                (c.set.spec.volume_claim_templates.is_empty() || !is_pending(p))
                    && identity_matches(&c.set, p)
                    && storage_matches(&c.set, p)
            });
        let revision: Rc<str> = Rc::from(pod_revision(p));
        let key: Key = (ordinal, Rc::from(p.metadata.name.as_str()));
        let f = Facts {
            obj: obj.clone(),
            revision,
            owner,
            matched,
            created,
            terminating,
            running_ready,
            clean,
            busy: !quiet,
        };
        self.account(&key, &f, true);
        self.pods.insert(key, f);
    }

    pub(crate) fn remove(&mut self, name: &str) {
        let Some((_, ordinal)) = parent_and_ordinal(name) else { return };
        let key: Key = (ordinal, Rc::from(name));
        if let Some(f) = self.pods.remove(&key) {
            self.account(&key, &f, false);
        }
    }

    fn account(&mut self, key: &Key, f: &Facts, add: bool) {
        let d: i32 = if add { 1 } else { -1 };
        let bump = |n: &mut usize, on: bool| {
            if on {
                *n = if add { *n + 1 } else { *n - 1 };
            }
        };
        bump(&mut self.orphans, f.owner == Owner::Orphan);
        bump(&mut self.foreign, f.owner == Owner::Foreign);
        bump(&mut self.unmatched, f.owner == Owner::Owned && !f.matched);
        self.created += f.created as i32 * d;
        self.running_ready += f.running_ready as i32 * d;
        if f.created && !f.terminating {
            let c = self.rev_counts.entry(f.revision.clone()).or_default();
            *c += d;
            if *c == 0 {
                self.rev_counts.remove(&f.revision);
            }
        }
        if add {
            self.by_rev.entry(f.revision.clone()).or_default().insert(key.clone());
        } else if let Some(s) = self.by_rev.get_mut(&f.revision) {
            s.remove(key);
            if s.is_empty() {
                self.by_rev.remove(&f.revision);
            }
        }
        let toggle = |s: &mut BTreeSet<Key>, on: bool| {
            if on {
                if add {
                    s.insert(key.clone());
                } else {
                    s.remove(key);
                }
            }
        };
        toggle(&mut self.attention, !f.clean);
        toggle(&mut self.busy, f.busy);
        toggle(&mut self.unhealthy, !f.running_ready || f.terminating);
        toggle(&mut self.live, !f.terminating);
        let o = key.0;
        if add {
            let m = self.ordinals.entry(o).or_default();
            *m += 1;
            match *m {
                1 => self.run_insert(o),
                2 => self.dups += 1,
                _ => {}
            }
        } else if let Some(m) = self.ordinals.get_mut(&o) {
            *m -= 1;
            match *m {
                0 => {
                    self.ordinals.remove(&o);
                    self.run_remove(o);
                }
                1 => self.dups -= 1,
                _ => {}
            }
        }
    }

    fn run_insert(&mut self, o: i32) {
        let (mut s, mut e) = (o, o);
        if let Some(next_end) = o.checked_add(1).and_then(|n| self.runs.remove(&n)) {
            e = next_end;
        }
        if let Some((&ps, &pe)) = self.runs.range(..o).next_back() {
            if pe.checked_add(1) == Some(o) {
                s = ps;
            }
        }
        self.runs.insert(s, e);
    }

    fn run_remove(&mut self, o: i32) {
        let Some((&s, &e)) = self.runs.range(..=o).next_back() else { return };
        if e < o {
            return;
        }
        self.runs.remove(&s);
        if s < o {
            self.runs.insert(s, o - 1);
        }
        if o < e {
            self.runs.insert(o + 1, e);
        }
    }

    /// The first ordinal in `[from, to]` with no pod.
    pub fn first_gap(&self, from: i64, to: i64) -> Option<i64> {
        if from > to {
            return None;
        }
        let mut c = from;
        if let Ok(f) = i32::try_from(from) {
            if let Some((_, &e)) = self.runs.range(..=f).next_back() {
                if e as i64 >= from {
                    c = e as i64 + 1;
                }
            }
        }
        (c <= to).then_some(c)
    }

    /// Whether every fact the fast sync needs is kept for this set: the context is the set's, and every
    /// member is owned by it, matches its selector and has an ordinal of its own.
    pub fn usable_for(&self, set: &StatefulSet) -> bool {
        self.ctx.as_deref().is_some_and(|c| c.is_for(set))
            && self.dups == 0
            && self.orphans == 0
            && self.foreign == 0
            && self.unmatched == 0
    }

    pub fn rev_count(&self, rev: &str) -> i32 {
        self.rev_counts.get(rev).copied().unwrap_or(0)
    }

    /// The pod with this ordinal (the group has no duplicate ordinals when it is usable).
    pub fn get(&self, ordinal: i64) -> Option<&Rc<Object>> {
        self.facts(ordinal).map(|f| &f.obj)
    }

    /// The pod with this ordinal, with its facts.
    pub fn facts(&self, ordinal: i64) -> Option<&Facts> {
        let (lo, hi) = bounds(ordinal, ordinal)?;
        self.pods.range((lo, hi)).next().map(|(_, f)| f)
    }

    /// Whether any pod has an ordinal in `[from, to]`.
    pub fn any_in(&self, from: i64, to: i64) -> bool {
        bounds(from, to).is_some_and(|b| self.pods.range(b).next().is_some())
    }

    /// Ordinals of pods in `[from, to]` that are in `set` (one of the group's key sets), ascending.
    pub fn in_range<'a>(set: &'a BTreeSet<Key>, from: i64, to: i64) -> impl DoubleEndedIterator<Item = i64> + 'a {
        bounds(from, to).map(|b| set.range(b)).into_iter().flatten().map(|k| k.0 as i64)
    }

    /// Ordinals of pods in `[from, to]`, ascending.
    pub fn pods_in(&self, from: i64, to: i64) -> impl DoubleEndedIterator<Item = (i64, &Facts)> + '_ {
        bounds(from, to).map(|b| self.pods.range(b)).into_iter().flatten().map(|(k, f)| (k.0 as i64, f))
    }

    /// Revisions of all pods.
    pub fn revisions(&self) -> impl Iterator<Item = &str> {
        self.by_rev.keys().map(|r| &**r)
    }
}

/// Key bounds for ordinals `[from, to]` (None when empty).
fn bounds(from: i64, to: i64) -> Option<(Bound<Key>, Bound<Key>)> {
    let from = from.max(i32::MIN as i64);
    let to = to.min(i32::MAX as i64);
    if from > to {
        return None;
    }
    // One shared empty name: bounds are built on every lookup, and `Rc::from("")` allocates each time.
    thread_local!(static EMPTY: Rc<str> = Rc::from(""));
    let empty = EMPTY.with(Rc::clone);
    let lo = Bound::Included((from as i32, empty.clone()));
    let hi = if to == i32::MAX as i64 { Bound::Unbounded } else { Bound::Excluded((to as i32 + 1, empty)) };
    Some((lo, hi))
}
