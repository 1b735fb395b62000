//! The pod timeline: what every pod was doing over virtual time, one lane per pod name, rebuilt from the
//! store's watch log. A StatefulSet's pods keep their names across deletion and recreation, so a lane is a
//! pod *identity*, not a pod object: OrderedReady's staircase, a rollout walking down from the highest
//! ordinal and the partition boundary all show up as shapes across lanes.
//!
//! Pure and O(events): one pass over the watch log (at most [`WATCH_LOG_CAPACITY`] events), a map lookup per
//! pod or StatefulSet event. The output is bounded: at most [`MAX_LANES`] lanes, and segments only where the
//! drawn state changed.
//!
//! [`WATCH_LOG_CAPACITY`]: stsplay_cluster::store::WATCH_LOG_CAPACITY

use crate::view::Tone;
use std::collections::{BTreeMap, BTreeSet};
use stsplay_cluster::store::{WatchEvent, WatchType};
use stsplay_cluster::World;
use stsplay_kubectl::printers;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::{Pod, StatefulSet};

/// Lanes kept (the rest are counted in [`Timeline::more_lanes`]): a chart with more rows is unreadable, and
/// the cap keeps the page's work bounded whatever the learner scales to.
pub const MAX_LANES: usize = 200;

/// A stretch of time during which a pod looked the same.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub from_ms: i64,
    /// Exclusive. The last segment of a pod that still exists ends at the timeline's end.
    pub to_ms: i64,
    /// kubectl's STATUS word (`Pending`, `ContainerCreating`, `Running`, `Terminating`, ...).
    pub status: String,
    pub ready: bool,
    /// The `controller-revision-hash` label (empty for pods without one).
    pub revision: String,
    /// Index of `revision` in [`Timeline::revisions`] (None when the label is missing).
    pub revision_index: Option<usize>,
    pub tone: Tone,
    /// Which pod object of the lane this is (0 for the first one seen, +1 for every recreation), so the
    /// chart can mark where one incarnation ended and the next began even without a gap.
    pub incarnation: u32,
}

/// One pod name over time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    pub name: String,
    pub namespace: String,
    /// The controlling StatefulSet (of the latest pod object seen).
    pub owner: Option<String>,
    /// The ordinal in `owner` (parsed from the name `<owner>-<n>`).
    pub ordinal: Option<i64>,
    /// In time order, non-overlapping; a gap between two segments is time when no pod of this name existed.
    pub segments: Vec<Segment>,
    /// When deletion was requested (the moment a pod's deletionTimestamp first appeared), in time order.
    pub deletions: Vec<i64>,
}

impl Lane {
    /// The stretches (from, to) inside `[start, end)` when no pod of this name existed.
    pub fn gaps(&self, start_ms: i64, end_ms: i64) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        let mut t = start_ms;
        for s in &self.segments {
            if s.from_ms > t {
                out.push((t, s.from_ms));
            }
            t = t.max(s.to_ms);
        }
        if t < end_ms {
            out.push((t, end_ms));
        }
        out
    }

    /// The first moment a pod of this name was Ready (None if never, in the window).
    pub fn first_ready(&self) -> Option<i64> {
        self.segments.iter().find(|s| s.ready).map(|s| s.from_ms)
    }
}

/// The partition of a StatefulSet's rolling update over a stretch of time (pods with an ordinal below it
/// keep the current revision). Only stretches with a partition above 0 are kept: 0 draws no boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartitionSpan {
    pub namespace: String,
    pub set: String,
    pub from_ms: i64,
    pub to_ms: i64,
    pub partition: i32,
}

/// Everything the pod chart draws.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    /// The window asked for (segments are clipped to it).
    pub start_ms: i64,
    pub end_ms: i64,
    /// Ordered by namespace, then StatefulSet, then ordinal; pods without a StatefulSet last.
    pub lanes: Vec<Lane>,
    /// Lanes left out beyond [`MAX_LANES`].
    pub more_lanes: usize,
    /// Distinct `controller-revision-hash` values in order of first appearance (the chart gives each a
    /// pattern, so colour is not the only signal).
    pub revisions: Vec<String>,
    pub partitions: Vec<PartitionSpan>,
    /// Older watch events were dropped: lanes start at `since_ms`, what happened before is unknown.
    pub truncated: bool,
    /// The time of the oldest watch event kept (0 when nothing was dropped).
    pub since_ms: i64,
}

impl Timeline {
    /// Index of a revision in [`Timeline::revisions`].
    pub fn revision_index(&self, rev: &str) -> Option<usize> {
        self.revisions.iter().position(|r| r == rev)
    }

    /// Every moment something on the chart changes (segment edges, deletion requests, partition changes),
    /// sorted and distinct, inside the window: where ←/→ move the seek.
    pub fn boundaries(&self) -> Vec<i64> {
        let mut set = BTreeSet::new();
        for l in &self.lanes {
            for s in &l.segments {
                set.insert(s.from_ms);
                set.insert(s.to_ms);
            }
            set.extend(l.deletions.iter().copied());
        }
        for p in &self.partitions {
            set.insert(p.from_ms);
            set.insert(p.to_ms);
        }
        set.into_iter().filter(|t| (self.start_ms..=self.end_ms).contains(t)).collect()
    }

    /// The nearest boundary after (`forward`) or before `now_ms`.
    pub fn next_boundary(&self, now_ms: i64, forward: bool) -> Option<i64> {
        let b = self.boundaries();
        if forward {
            b.into_iter().find(|&t| t > now_ms)
        } else {
            b.into_iter().rev().find(|&t| t < now_ms)
        }
    }

    /// Distinct pod names drawn plus those left out.
    pub fn pod_count(&self) -> usize {
        self.lanes.len() + self.more_lanes
    }
}

/// What a segment shows; a new segment starts when it changes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Look {
    status: String,
    ready: bool,
    revision: String,
    tone: Tone,
}

/// The same rule as [`crate::view::PodCard::tone`], so the chart and the map agree on a pod's colour.
fn tone_of(status: &str, ready: bool, terminating: bool) -> Tone {
    if terminating {
        return Tone::Leaving;
    }
    match status {
        "Running" if ready => Tone::Good,
        "Running" => Tone::Waiting,
        "Pending" | "ContainerCreating" | "PodInitializing" => Tone::Waiting,
        "Completed" | "Succeeded" => Tone::Idle,
        s if s.starts_with("Init:") => Tone::Waiting,
        _ => Tone::Bad,
    }
}

fn look(p: &Pod) -> Look {
    let status = printers::pod_status(p);
    let ready = p.is_ready();
    let tone = tone_of(&status, ready, p.metadata.deletion_timestamp.is_some());
    Look {
        status,
        ready,
        revision: p.metadata.labels.get("controller-revision-hash").cloned().unwrap_or_default(),
        tone,
    }
}

fn owner_of(p: &Pod) -> Option<&str> {
    p.metadata
        .owner_references
        .iter()
        .find(|r| r.kind == "StatefulSet" && r.controller == Some(true))
        .map(|r| r.name.as_str())
}

fn ordinal_of(name: &str, owner: &str) -> Option<i64> {
    name.strip_prefix(owner).and_then(|r| r.strip_prefix('-')).and_then(|n| n.parse::<i64>().ok())
}

/// A lane while the log is read.
#[derive(Default)]
struct LaneBuild {
    owner: Option<String>,
    /// Closed segments (unclipped).
    segments: Vec<Segment>,
    /// The segment still running: (from, look, incarnation).
    open: Option<(i64, Look, u32)>,
    uid: String,
    incarnations: u32,
    /// Whether the current pod object already had its deletion request recorded.
    deleting: bool,
    deletions: Vec<i64>,
}

impl LaneBuild {
    fn close(&mut self, at: i64) {
        let Some((from, l, inc)) = self.open.take() else { return };
        if at <= from {
            // Nothing lasted: a later state at the same instant replaces it.
            return;
        }
        match self.segments.last_mut() {
            // Merge with an identical, touching segment of the same pod object.
            Some(s) if s.to_ms == from && s.incarnation == inc && same_look(s, &l) => s.to_ms = at,
            _ => self.segments.push(Segment {
                from_ms: from,
                to_ms: at,
                status: l.status,
                ready: l.ready,
                revision: l.revision,
                revision_index: None,
                tone: l.tone,
                incarnation: inc,
            }),
        }
    }

    /// The pod is now `l` (from `at` on).
    fn set(&mut self, at: i64, l: Look, inc: u32) {
        if let Some((_, cur, ci)) = &self.open {
            if *cur == l && *ci == inc {
                return;
            }
        }
        self.close(at);
        self.open = Some((at, l, inc));
    }
}

fn same_look(s: &Segment, l: &Look) -> bool {
    s.status == l.status && s.ready == l.ready && s.revision == l.revision && s.tone == l.tone
}

/// Builders by namespace, then name: looked up with borrowed `&str`s, so the common case (an event for a
/// pod already seen) allocates no key.
type ByName<V> = BTreeMap<String, BTreeMap<String, V>>;

fn slot<'a, V: Default>(m: &'a mut ByName<V>, ns: &str, name: &str) -> &'a mut V {
    if !m.contains_key(ns) {
        m.insert(ns.to_string(), BTreeMap::new());
    }
    let inner = m.get_mut(ns).expect("inserted above");
    if !inner.contains_key(name) {
        inner.insert(name.to_string(), V::default());
    }
    inner.get_mut(name).expect("inserted above")
}

/// What the log says about one StatefulSet's partition.
#[derive(Default)]
struct SetBuild {
    open: Option<(i64, i32)>,
    spans: Vec<(i64, i64, i32)>,
}

impl SetBuild {
    fn set(&mut self, at: i64, partition: Option<i32>) {
        if self.open.map(|(_, p)| p) == partition {
            return;
        }
        if let Some((from, p)) = self.open.take() {
            if at > from {
                match self.spans.last_mut() {
                    Some(s) if s.1 == from && s.2 == p => s.1 = at,
                    _ => self.spans.push((from, at, p)),
                }
            }
        }
        self.open = partition.map(|p| (at, p));
    }
}

/// The rolling update's partition, when the strategy has one above 0.
fn partition_of(s: &StatefulSet) -> Option<i32> {
    if s.is_on_delete() {
        return None;
    }
    s.spec.update_strategy.rolling_update.as_ref().and_then(|r| r.partition).filter(|p| *p > 0)
}

/// The pod timeline of the window `[start_ms, end_ms)` (pass `0` and the world's `now` for "everything so
/// far"). Only what the watch log holds can be drawn: the log is the past of *this* world, so a world that
/// was rewound shows nothing after its own `now`.
pub fn pod_timeline(w: &World, start_ms: i64, end_ms: i64) -> Timeline {
    let end_ms = end_ms.max(start_ms);
    let store = &w.store;
    // resourceVersions are contiguous from 1 and every write is logged, so a first kept rv above 1 means
    // older events were dropped.
    let first = store.watch_since(0).next();
    let truncated = store.oldest_watch_rv().is_some_and(|rv| rv > 1);
    let since_ms = if truncated { first.map(|e| e.at.0).unwrap_or(0) } else { 0 };

    let mut lanes: ByName<LaneBuild> = BTreeMap::new();
    let mut sets: ByName<SetBuild> = BTreeMap::new();
    let mut revisions: Vec<String> = Vec::new();
    let mut seen_revs: BTreeSet<String> = BTreeSet::new();

    for WatchEvent { at, type_, object, .. } in store.watch_since(0) {
        let at = at.0;
        if at >= end_ms {
            // The log is in time order: nothing later can matter for the window.
            break;
        }
        match &**object {
            Object::Pod(p) => {
                let lane = slot(&mut lanes, &p.metadata.namespace, &p.metadata.name);
                if *type_ == WatchType::Deleted {
                    if !lane.deleting && lane.uid == p.metadata.uid {
                        // Removed without a graceful phase (force delete): the request and removal coincide.
                        lane.deletions.push(at);
                    }
                    lane.close(at);
                    lane.deleting = false;
                    lane.uid.clear();
                    continue;
                }
                if lane.uid != p.metadata.uid {
                    // A new pod object under the same name: same lane, next incarnation.
                    if !lane.uid.is_empty() {
                        lane.close(at);
                    }
                    if lane.open.is_some() || !lane.segments.is_empty() {
                        lane.incarnations += 1;
                    }
                    lane.uid = p.metadata.uid.clone();
                    lane.deleting = false;
                }
                let owner = owner_of(p);
                if lane.owner.as_deref() != owner {
                    lane.owner = owner.map(str::to_string);
                }
                if p.metadata.deletion_timestamp.is_some() && !lane.deleting {
                    lane.deleting = true;
                    lane.deletions.push(at);
                }
                let l = look(p);
                if !l.revision.is_empty() && seen_revs.insert(l.revision.clone()) {
                    revisions.push(l.revision.clone());
                }
                let inc = lane.incarnations;
                lane.set(at, l, inc);
            }
            Object::StatefulSet(s) => {
                let p = if *type_ == WatchType::Deleted { None } else { partition_of(s) };
                slot(&mut sets, &s.metadata.namespace, &s.metadata.name).set(at, p);
            }
            _ => {}
        }
    }

    if truncated {
        // Objects unchanged since before the oldest kept event have no event at all: they looked then as they
        // look now (an object with any event in the log already has its lane).
        for o in store.list(Kind::Pod, None) {
            let Object::Pod(p) = o else { continue };
            if lanes.get(&p.metadata.namespace).is_some_and(|m| m.contains_key(&p.metadata.name)) {
                continue;
            }
            let l = look(p);
            if !l.revision.is_empty() && seen_revs.insert(l.revision.clone()) {
                revisions.push(l.revision.clone());
            }
            let lane = slot(&mut lanes, &p.metadata.namespace, &p.metadata.name);
            lane.owner = owner_of(p).map(str::to_string);
            lane.uid = p.metadata.uid.clone();
            lane.deleting = p.metadata.deletion_timestamp.is_some();
            lane.set(since_ms, l, 0);
        }
        for o in store.list(Kind::StatefulSet, None) {
            let Object::StatefulSet(s) = o else { continue };
            if !sets.get(&s.metadata.namespace).is_some_and(|m| m.contains_key(&s.metadata.name)) {
                slot(&mut sets, &s.metadata.namespace, &s.metadata.name).set(since_ms, partition_of(s));
            }
        }
    }

    let mut out: Vec<Lane> = lanes
        .into_iter()
        .flat_map(|(ns, m)| m.into_iter().map(move |(name, b)| (ns.clone(), name, b)))
        .filter_map(|(namespace, name, mut b)| {
            b.close(end_ms);
            let ordinal = b.owner.as_deref().and_then(|o| ordinal_of(&name, o));
            let segments: Vec<Segment> = b
                .segments
                .into_iter()
                .filter(|s| s.to_ms > start_ms && s.from_ms < end_ms)
                .map(|mut s| {
                    s.from_ms = s.from_ms.max(start_ms);
                    s.to_ms = s.to_ms.min(end_ms);
                    // `revisions` is short (a handful per set): a linear search per segment is fine.
                    s.revision_index = revisions.iter().position(|r| *r == s.revision);
                    s
                })
                .collect();
            let deletions: Vec<i64> = b.deletions.into_iter().filter(|t| (start_ms..end_ms).contains(t)).collect();
            if segments.is_empty() && deletions.is_empty() {
                return None;
            }
            Some(Lane { name, namespace, owner: b.owner, ordinal, segments, deletions })
        })
        .collect();
    out.sort_by(|a, b| {
        (&a.namespace, a.owner.is_none(), &a.owner, a.ordinal.unwrap_or(i64::MAX), &a.name).cmp(&(
            &b.namespace,
            b.owner.is_none(),
            &b.owner,
            b.ordinal.unwrap_or(i64::MAX),
            &b.name,
        ))
    });
    let more_lanes = out.len().saturating_sub(MAX_LANES);
    out.truncate(MAX_LANES);

    let partitions = sets
        .into_iter()
        .flat_map(|(ns, m)| m.into_iter().map(move |(set, b)| (ns.clone(), set, b)))
        .flat_map(|(namespace, set, mut b)| {
            b.set(end_ms, None);
            b.spans.into_iter().filter(|&(from, to, _)| to > start_ms && from < end_ms).map(
                move |(from, to, partition)| PartitionSpan {
                    namespace: namespace.clone(),
                    set: set.clone(),
                    from_ms: from.max(start_ms),
                    to_ms: to.min(end_ms),
                    partition,
                },
            )
        })
        .collect();

    Timeline { start_ms, end_ms, lanes: out, more_lanes, revisions, partitions, truncated, since_ms }
}

/// Round tick steps for the chart's time axis, from 1 s to 6 h.
const TICK_STEPS: [i64; 16] = [
    1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
    7_200_000, 10_800_000, 21_600_000,
];
/// The most tick intervals the axis has (the page lays them out as that many equal columns).
pub const MAX_TICKS: i64 = 8;

/// The chart's time axis for the range `[lo, hi]`: `(x0, step, n)`, the axis spans `[x0, x0 + n * step]`
/// with a label every `step` (a round duration), `x0 <= lo`, `1 <= n <= MAX_TICKS`. Round labels at
/// evenly spaced positions let the page lay them out with CSS alone (no computed inline positions).
pub fn time_ticks(lo: i64, hi: i64) -> (i64, i64, i64) {
    // Ten seconds at least, so a fresh cluster's first second is not stretched across the page.
    let hi = hi.max(lo.saturating_add(10_000));
    let lo = lo.min(hi);
    let span = hi.saturating_sub(lo);
    // Beyond the largest round step, grow the step so MAX_TICKS of them still cover the range.
    let big = TICK_STEPS[TICK_STEPS.len() - 1];
    let steps =
        TICK_STEPS.into_iter().chain(std::iter::once(big.saturating_mul(span / big.saturating_mul(MAX_TICKS - 1) + 1)));
    for step in steps {
        let x0 = lo.div_euclid(step).saturating_mul(step);
        let n = hi.saturating_sub(x0).saturating_add(step - 1) / step;
        if n <= MAX_TICKS {
            return (x0, step, n.max(1));
        }
    }
    (lo, span.max(1), 1)
}
