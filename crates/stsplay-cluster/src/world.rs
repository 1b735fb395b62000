//! The simulated cluster: one virtual clock, one ordered queue of scheduled actions, one seeded RNG, the
//! API store and the runtime state that lives outside the API (kubelet containers, node image caches,
//! volume contents). `step`/`run_until`/`settle` are the only ways time moves.

use crate::rng::Rng;
use crate::stages::Stages;
use crate::store::{ObjKey, Store};
use std::collections::{BTreeMap, BTreeSet};
use stsplay_model::defaults::FeatureGates;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::*;
use stsplay_model::time::{SimTime, Time};

/// Something scheduled to happen at a virtual time.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// The statefulset-controller syncs one StatefulSet (namespace, name).
    SyncStatefulSet(String, String),
    /// The same, requeued with back-off after a failed sync (a retry for `settle`).
    RetrySync(String, String),
    /// The scheduler looks at unscheduled pods.
    Schedule,
    /// The PersistentVolume controller binds, provisions and reclaims.
    BindVolumes,
    /// A provisioner finishes creating a volume for a claim (claim uid).
    Provision(String),
    /// A Released volume is reclaimed (PV name).
    Reclaim(String),
    /// The garbage collector looks for dependents of deleted owners.
    GarbageCollect,
    /// The kubelet advances a pod (pod uid).
    Kubelet(String, crate::kubelet::Step),
    /// The node lifecycle controller checks a node's heartbeat (node name).
    NodeMonitor(String),
    /// The taint-eviction controller evicts pods from an unreachable node (node name).
    TaintEviction(String),
    /// The node lifecycle controller keeps the `unschedulable` taint in step with cordoning (node name).
    NodeTaints(String),
    /// Pod GC force-deletes pods bound to Nodes that no longer exist (after its 40 s quarantine).
    PodGc,
}

impl Action {
    /// What this action is, in the words of the component that does it.
    pub fn describe(&self) -> String {
        match self {
            Action::SyncStatefulSet(ns, n) => format!("statefulset-controller: sync {ns}/{n}"),
            Action::RetrySync(ns, n) => format!("statefulset-controller: retry sync {ns}/{n}"),
            Action::Schedule => "default-scheduler: scheduling pass".into(),
            Action::BindVolumes => "persistentvolume-controller: binding pass".into(),
            Action::Provision(uid) => format!("provisioner: provision volume for claim {uid}"),
            Action::Reclaim(pv) => format!("persistentvolume-controller: reclaim {pv}"),
            Action::GarbageCollect => "garbage-collector: pass".into(),
            Action::Kubelet(uid, step) => format!("kubelet: {step:?} for pod {uid}"),
            Action::NodeMonitor(n) => format!("node-lifecycle-controller: check node {n}"),
            Action::TaintEviction(n) => format!("taint-eviction-controller: check node {n}"),
            Action::NodeTaints(n) => format!("node-lifecycle-controller: taints of node {n}"),
            Action::PodGc => "pod-garbage-collector: pass".into(),
        }
    }

    /// Retries repeat a failed attempt; `settle` stops when only retries that keep failing remain.
    /// (Scheduling passes, image pull retries and readiness probes repeat for as long as something waits.)
    /// A crash-looping container restarts forever by design: `settle` does not wait for it.
    fn is_endless(&self) -> bool {
        matches!(
            self,
            Action::Kubelet(_, crate::kubelet::Step::Exited(_)) | Action::Kubelet(_, crate::kubelet::Step::Restart(_))
        )
    }

    fn is_retry(&self) -> bool {
        matches!(
            self,
            Action::Schedule
                | Action::RetrySync(..)
                | Action::Kubelet(_, crate::kubelet::Step::RetryPull(_))
                | Action::Kubelet(_, crate::kubelet::Step::Probe(_))
        )
    }
}

/// A line of the simulator's own log (not a Kubernetes Event).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEntry {
    pub at: SimTime,
    /// The store's resourceVersion when this was written (orders trace lines among watch events).
    pub rv: u64,
    pub component: String,
    pub message: String,
}

/// Per-node state the API does not hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeRuntime {
    pub kubelet_up: bool,
    pub images: BTreeSet<String>,
    pub subnet: u32,
    pub next_host: u32,
    /// When the kubelet last posted status (None while it is down).
    pub down_since: Option<SimTime>,
}

/// Files of one filesystem (a volume, or a container's writable layer): path → content.
pub type Files = BTreeMap<String, String>;

/// What the controller decided and why it held back, per StatefulSet, from its last sync.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReasons {
    pub at: SimTime,
    pub reasons: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct World {
    pub now: SimTime,
    /// How many scheduled actions have been processed since the world was made. With `now`, it pins a
    /// moment exactly (several actions can share one instant), so a session can be replayed to it.
    pub steps: u64,
    seq: u64,
    queue: BTreeMap<(SimTime, u64), Action>,
    /// De-duplicated controller passes: when each is due (an earlier request moves it earlier).
    pending: BTreeMap<Action, (SimTime, u64)>,
    pub rng: Rng,
    pub seed: u64,
    pub store: Store,
    pub stages: Stages,
    pub gates: FeatureGates,
    /// The playground's quota on pods, claims and volumes (see `api::MAX_PODS`).
    pub max_pods: usize,
    pub trace: Vec<TraceEntry>,
    /// Makes the StatefulSet controller walk every pod on every sync, literally as upstream does, instead
    /// of using the store's pod index. The two must behave identically; tests compare them.
    #[doc(hidden)]
    pub reference_sync: bool,
    pub nodes: BTreeMap<String, NodeRuntime>,
    pub runtimes: BTreeMap<String, crate::kubelet::PodRuntime>,
    pub volumes: BTreeMap<String, Files>,
    pub broken_images: BTreeSet<String>,
    pub why: BTreeMap<String, SyncReasons>,
    pub(crate) sync_failures: BTreeMap<String, u32>,
    pub(crate) schedule_after: BTreeMap<String, SimTime>,
    /// Failed scheduling attempts per pod (back-off 1s, 2s, 4s, ... 10s, like the scheduler's queue).
    pub(crate) schedule_attempts: BTreeMap<String, u32>,
    pub(crate) next_service_ip: u32,
    /// The store's resourceVersion when the action being processed started.
    action_rv: Option<u64>,
    /// Pods the scheduler placed on a node while their WaitForFirstConsumer volumes are provisioned.
    pub(crate) assumed: BTreeMap<String, String>,
    /// resourceVersion up to which `react` has looked at changes.
    react_rv: u64,
    /// Owners (uids) the garbage collector must look at.
    pub(crate) gc_queue: BTreeSet<String>,
    /// Claims and volumes the PersistentVolume controller must look at.
    pub(crate) bind_queue: BTreeSet<ObjKey>,
    /// Every pending claim must be looked at (a volume or class appeared).
    pub(crate) bind_all: bool,
    /// Claims a provisioner is working on (claim uid).
    pub(crate) provisioning: BTreeSet<String>,
    dirty: bool,
    retry_quiet: BTreeSet<Action>,
    event_seq: u64,
    /// Caches of the StatefulSet controller (pure results; see `SyncMemo`).
    pub(crate) sync_memo: crate::statefulset::SyncMemo,
    /// Aggregation index of the event recorder: (involved uid, type, reason, component, message) → event.
    /// Nested by involved uid, then message (then a short list), so a lookup needs no allocation: recording
    /// is frequent and the key is five strings.
    event_index: BTreeMap<String, BTreeMap<String, Vec<EventIndexEntry>>>,
}

/// One aggregated Event of an involved object and message: (type, reason, component) → the Event.
#[derive(Clone, Debug)]
struct EventIndexEntry {
    type_: String,
    reason: String,
    component: String,
    event: ObjKey,
}

impl EventIndexEntry {
    fn is(&self, type_: &str, reason: &str, component: &str) -> bool {
        self.type_ == type_ && self.reason == reason && self.component == component
    }
}

/// The name of the namespace everything lives in unless told otherwise.
pub const DEFAULT_NS: &str = "default";

/// Upper bound for `settle`: virtual time it may advance in one call.
pub const SETTLE_CAP_MS: i64 = 30 * 60 * 1000;

impl World {
    /// The default cluster: a control-plane node, three workers, StorageClasses `standard` (default) and
    /// `gluster-dynamic`, both with a simulated provisioner.
    pub fn new(seed: u64) -> World {
        let mut w = World::empty(seed, Stages::builtin());
        w.bootstrap();
        w
    }

    pub fn empty(seed: u64, stages: Stages) -> World {
        World {
            now: SimTime::ZERO,
            seq: 0,
            queue: BTreeMap::new(),
            pending: BTreeMap::new(),
            rng: Rng::seed_from_u64(seed),
            seed,
            store: Store::default(),
            stages,
            gates: FeatureGates::default(),
            max_pods: crate::api::MAX_PODS,
            trace: Vec::new(),
            reference_sync: false,
            nodes: BTreeMap::new(),
            runtimes: BTreeMap::new(),
            volumes: BTreeMap::new(),
            broken_images: BTreeSet::new(),
            why: BTreeMap::new(),
            sync_failures: BTreeMap::new(),
            schedule_after: BTreeMap::new(),
            schedule_attempts: BTreeMap::new(),
            next_service_ip: 0,
            provisioning: BTreeSet::new(),
            react_rv: 0,
            gc_queue: BTreeSet::new(),
            bind_queue: BTreeSet::new(),
            bind_all: false,
            assumed: BTreeMap::new(),
            action_rv: None,
            dirty: false,
            steps: 0,
            retry_quiet: BTreeSet::new(),
            event_seq: 0,
            event_index: BTreeMap::new(),
            sync_memo: Default::default(),
        }
    }

    /// The default cluster was created ten minutes before the session starts (so nodes have an age).
    fn bootstrap(&mut self) {
        self.now = SimTime(-10 * 60 * 1000);
        for (i, name) in ["kind-control-plane", "kind-worker", "kind-worker2", "kind-worker3"].iter().enumerate() {
            self.add_node(name, i == 0);
        }
        for (name, provisioner, default, mode) in [
            ("standard", "rancher.io/local-path", true, "WaitForFirstConsumer"),
            ("gluster-dynamic", "playground.local/glusterfs", false, "Immediate"),
        ] {
            let mut sc = StorageClass {
                provisioner: provisioner.into(),
                reclaim_policy: Some("Delete".into()),
                volume_binding_mode: Some(mode.into()),
                ..Default::default()
            };
            sc.metadata.name = name.into();
            if default {
                sc.metadata.annotations.insert("storageclass.kubernetes.io/is-default-class".into(), "true".into());
            }
            let _ = self.api_create(Object::StorageClass(sc));
        }
        self.dirty = false;
        self.queue.clear();
        self.pending.clear();
        self.react_rv = self.store.resource_version();
        self.now = SimTime::ZERO;
    }

    /// Adds a Ready node (`control_plane` nodes carry the NoSchedule control-plane taint).
    pub fn add_node(&mut self, name: &str, control_plane: bool) {
        let subnet = self.nodes.len() as u32;
        let mut node = Node::default();
        node.metadata.name = name.into();
        node.metadata.labels = [
            ("beta.kubernetes.io/arch".to_string(), "amd64".to_string()),
            ("beta.kubernetes.io/os".to_string(), "linux".to_string()),
            ("kubernetes.io/arch".to_string(), "amd64".to_string()),
            ("kubernetes.io/hostname".to_string(), name.to_string()),
            ("kubernetes.io/os".to_string(), "linux".to_string()),
        ]
        .into();
        if control_plane {
            node.metadata.labels.insert("node-role.kubernetes.io/control-plane".into(), String::new());
            node.spec.taints.push(Taint {
                key: "node-role.kubernetes.io/control-plane".into(),
                value: None,
                effect: "NoSchedule".into(),
                time_added: None,
            });
        }
        node.spec.pod_cidr = Some(format!("10.244.{subnet}.0/24"));
        node.status.conditions = vec![NodeCondition {
            type_: "Ready".into(),
            status: "True".into(),
            reason: Some("KubeletReady".into()),
            message: Some("kubelet is posting ready status".into()),
            last_heartbeat_time: Some(Time(self.now)),
            last_transition_time: Some(Time(self.now)),
        }];
        node.status.addresses = vec![
            serde_json::json!({"address": format!("172.18.0.{}", subnet + 2), "type": "InternalIP"}),
            serde_json::json!({"address": name, "type": "Hostname"}),
        ];
        node.status.node_info = Some(serde_json::json!({
            "architecture": "amd64", "containerRuntimeVersion": "containerd://2.1.3",
            "kernelVersion": "6.8.0-1021-gcp", "kubeProxyVersion": "", "kubeletVersion": "v1.34.0",
            "operatingSystem": "linux", "osImage": "Debian GNU/Linux 12 (bookworm)"
        }));
        if self.api_create(Object::Node(node)).is_ok() {
            self.nodes.insert(
                name.to_string(),
                NodeRuntime { kubelet_up: true, images: BTreeSet::new(), subnet, next_host: 2, down_since: None },
            );
        }
    }

    // ------------------------------------------------------------------------------------ the clock

    /// Schedules an action `delay_ms` from now. Controller passes are de-duplicated.
    pub fn schedule(&mut self, delay_ms: i64, action: Action) {
        let dedup = matches!(
            action,
            Action::SyncStatefulSet(..)
                | Action::RetrySync(..)
                | Action::Schedule
                | Action::BindVolumes
                | Action::GarbageCollect
                | Action::NodeTaints(..)
                | Action::PodGc
        );
        let at = self.now.plus_millis(delay_ms.max(0));
        self.seq += 1;
        if dedup {
            if let Some(&(t, seq)) = self.pending.get(&action) {
                if t <= at {
                    return;
                }
                self.queue.remove(&(t, seq));
            }
            self.pending.insert(action.clone(), (at, self.seq));
        }
        self.queue.insert((at, self.seq), action);
    }

    /// A delay drawn from a `[min, max]` range of the stages table.
    pub fn delay(&mut self, range: [i64; 2]) -> i64 {
        self.rng.range(range[0], range[1])
    }

    /// Something in the store changed: controllers will look again.
    pub fn changed(&mut self) {
        self.dirty = true;
    }

    /// When the next action is due, if any (after letting controllers see changes made from outside).
    pub fn next_due(&mut self) -> Option<SimTime> {
        self.react();
        self.drop_stale();
        self.peek_due()
    }

    fn peek_due(&self) -> Option<SimTime> {
        self.queue.keys().next().map(|(t, _)| *t)
    }

    pub fn pending_actions(&self) -> usize {
        self.queue.len()
    }

    /// The next action due, if any.
    pub fn peek_action(&mut self) -> Option<&Action> {
        self.react();
        self.drop_stale();
        self.queue.values().next()
    }

    /// An action about an object that no longer exists does nothing; it is dropped without moving time.
    fn is_stale(&self, a: &Action) -> bool {
        match a {
            Action::Kubelet(uid, _) | Action::Provision(uid) => !self.store.exists_uid(uid),
            Action::NodeMonitor(n) | Action::TaintEviction(n) => self.store.get_by(Kind::Node, "", n).is_none(),
            _ => false,
        }
    }

    fn drop_stale(&mut self) {
        while let Some((&k, a)) = self.queue.iter().next() {
            if !self.is_stale(a) {
                break;
            }
            self.queue.remove(&k);
        }
    }

    /// Processes the next scheduled action. Returns false when nothing is scheduled.
    pub fn step(&mut self) -> bool {
        self.react();
        self.drop_stale();
        let Some((&(at, seq), _)) = self.queue.iter().next() else { return false };
        let Some(action) = self.queue.remove(&(at, seq)) else { return false };
        self.pending.remove(&action);
        self.steps += 1;
        if at > self.now {
            self.now = at;
        }
        let writes_before = self.store.writes;
        self.action_rv = Some(self.store.resource_version());
        self.dispatch(action.clone());
        self.action_rv = None;
        self.react();
        if self.store.writes != writes_before {
            self.retry_quiet.clear();
        } else if action.is_retry() {
            self.retry_quiet.insert(action);
        }
        true
    }

    /// Advances virtual time to `until`, processing everything due on the way.
    pub fn run_until(&mut self, until: SimTime) {
        self.react();
        while let Some(t) = self.next_due() {
            if t > until {
                break;
            }
            self.step();
        }
        if until > self.now {
            self.now = until;
        }
    }

    pub fn run_for(&mut self, ms: i64) {
        let until = self.now.plus_millis(ms);
        self.run_until(until);
    }

    /// Runs until nothing more is scheduled, only failing retries remain, or `cap_ms` of virtual time passed.
    /// Returns true when the cluster settled (false when the cap was hit).
    pub fn settle(&mut self, cap_ms: i64) -> bool {
        let limit = self.now.plus_millis(cap_ms);
        self.retry_quiet.clear();
        self.react();
        loop {
            let Some(t) = self.next_due() else { return true };
            if self.queue.values().all(|a| a.is_endless() || (a.is_retry() && self.retry_quiet.contains(a))) {
                return true;
            }
            if t > limit {
                self.now = limit;
                return false;
            }
            self.step();
        }
    }

    /// Whether the cluster has settled as `settle` judges it: nothing scheduled but endless loops and retries
    /// that failed without writing anything since the last write. The page pauses its clock here.
    pub fn is_quiet(&self) -> bool {
        !self.dirty && self.queue.values().all(|a| a.is_endless() || (a.is_retry() && self.retry_quiet.contains(a)))
    }

    /// After an action: let every controller that watches the store look again.
    pub fn react(&mut self) {
        if !self.dirty {
            return;
        }
        self.dirty = false;
        let since = self.react_rv;
        self.react_rv = self.store.resource_version();
        // Like informers: look only at what changed since the last look. If the watch log no longer
        // reaches back that far, wake every controller (they are level-triggered, so that is safe).
        let complete = self.store.oldest_watch_rv().is_none_or(|o| o <= since + 1);
        let mut sets: BTreeSet<(String, String)> = BTreeSet::new();
        let (mut schedule, mut bind, mut gc) = (false, false, false);
        if !complete {
            sets = self
                .store
                .list(Kind::StatefulSet, None)
                .map(|o| (o.meta().namespace.clone(), o.meta().name.clone()))
                .collect();
            schedule = true;
            bind = true;
            gc = true;
            self.bind_all = true;
            self.schedule(40_000, Action::PodGc);
        } else {
            let mut gc_uids: Vec<String> = Vec::new();
            let mut admit: Vec<String> = Vec::new();
            let mut node_taints: Vec<String> = Vec::new();
            let mut pod_gc = false;
            let mut bind_keys: Vec<ObjKey> = Vec::new();
            for e in self.store.watch_since(since) {
                let m = e.object.meta();
                let deleted = e.type_ == crate::store::WatchType::Deleted;
                if deleted || m.deletion_timestamp.is_some() {
                    gc_uids.push(m.uid.clone());
                    gc_uids.extend(m.owner_references.iter().map(|r| r.uid.clone()));
                }
                match &*e.object {
                    Object::Event(_) => {}
                    Object::StatefulSet(s) => {
                        sets.insert((s.metadata.namespace.clone(), s.metadata.name.clone()));
                    }
                    Object::Pod(p) => {
                        if let Some(r) = p.metadata.controller_ref().filter(|r| r.kind == "StatefulSet") {
                            sets.insert((p.metadata.namespace.clone(), r.name.clone()));
                        } else if let Some((parent, _)) =
                            crate::statefulset::utils::parent_and_ordinal(&p.metadata.name)
                        {
                            // An orphan the set may adopt.
                            sets.insert((p.metadata.namespace.clone(), parent.to_string()));
                        }
                        if p.spec.node_name.is_empty() {
                            schedule = true;
                        } else if !deleted
                            && !self.runtimes.contains_key(&p.metadata.uid)
                            && p.metadata.deletion_timestamp.is_none()
                        {
                            // Bound at creation (spec.nodeName set): the node's kubelet picks it up directly.
                            admit.push(p.metadata.uid.clone());
                        }
                        let finished = deleted || matches!(p.status.phase.as_str(), "Failed" | "Succeeded");
                        if finished {
                            for v in &p.spec.volumes {
                                if let Some(c) = &v.persistent_volume_claim {
                                    bind_keys.push(ObjKey::new(
                                        Kind::PersistentVolumeClaim,
                                        &p.metadata.namespace,
                                        &c.claim_name,
                                    ));
                                }
                            }
                        }
                    }
                    Object::PersistentVolumeClaim(c) => {
                        schedule = true;
                        bind_keys.push(ObjKey::of(&e.object));
                        if let Some(v) = &c.spec.volume_name {
                            bind_keys.push(ObjKey::new(Kind::PersistentVolume, "", v));
                        }
                    }
                    Object::PersistentVolume(_) => {
                        bind_keys.push(ObjKey::of(&e.object));
                        // A volume that becomes available may bind any pending claim.
                        self.bind_all = true;
                    }
                    Object::StorageClass(_) => self.bind_all = true,
                    Object::Node(n) => {
                        schedule = true;
                        if deleted {
                            pod_gc = true;
                        } else {
                            node_taints.push(n.metadata.name.clone());
                        }
                    }
                    Object::ControllerRevision(r) => {
                        if let Some(o) = r.metadata.controller_ref() {
                            sets.insert((r.metadata.namespace.clone(), o.name.clone()));
                        }
                    }
                    Object::Service(_) => {}
                }
            }
            if !gc_uids.is_empty() {
                gc = true;
                self.gc_queue.extend(gc_uids);
            }
            for n in node_taints {
                self.schedule(5, Action::NodeTaints(n));
            }
            if pod_gc {
                // Upstream's PodGC waits 40 s (quarantine) before it deletes pods of a vanished Node.
                self.schedule(40_000, Action::PodGc);
            }
            for uid in admit {
                self.schedule(0, Action::Kubelet(uid, crate::kubelet::Step::Admit));
            }
            if !bind_keys.is_empty() || self.bind_all {
                bind = true;
                self.bind_queue.extend(bind_keys);
            }
        }
        let c = self.stages.controllers.clone();
        for (ns, name) in sets {
            if self.store.get_by(Kind::StatefulSet, &ns, &name).is_some() {
                let d = self.delay(c.statefulset_sync);
                self.schedule(d, Action::SyncStatefulSet(ns, name));
            }
        }
        if schedule {
            let d = self.delay(c.scheduler);
            self.schedule(d, Action::Schedule);
        }
        if bind {
            let d = self.delay(c.pv_binder);
            self.schedule(d, Action::BindVolumes);
        }
        if gc {
            let d = self.delay(c.garbage_collector);
            self.schedule(d, Action::GarbageCollect);
        }
    }

    fn dispatch(&mut self, action: Action) {
        match action {
            Action::SyncStatefulSet(ns, name) | Action::RetrySync(ns, name) => {
                crate::statefulset::sync(self, &ns, &name)
            }
            Action::Schedule => crate::scheduler::schedule_pass(self),
            Action::BindVolumes => crate::volumes::binder_pass(self),
            Action::Provision(uid) => crate::volumes::provision(self, &uid),
            Action::Reclaim(pv) => crate::volumes::reclaim(self, &pv),
            Action::GarbageCollect => crate::gc::gc_pass(self),
            Action::Kubelet(uid, step) => crate::kubelet::run(self, &uid, step),
            Action::NodeMonitor(node) => crate::nodes::monitor(self, &node),
            Action::TaintEviction(node) => crate::nodes::evict(self, &node),
            Action::NodeTaints(node) => crate::nodes::sync_taints(self, &node),
            Action::PodGc => crate::gc::pod_gc(self),
        }
    }

    // ------------------------------------------------------------------------------- observation

    pub fn trace(&mut self, component: &str, message: impl Into<String>) {
        // Decisions sort before the changes of the action that made them.
        let rv = self.action_rv.unwrap_or_else(|| self.store.resource_version());
        self.trace.push(TraceEntry { at: self.now, rv, component: component.to_string(), message: message.into() });
    }

    /// Records a Kubernetes Event, aggregating repeats like the event recorder (count, lastTimestamp).
    pub fn record_event(&mut self, involved: &Object, type_: &str, reason: &str, message: &str, component: &str) {
        self.record_event_about(involved.kind(), involved.meta(), type_, reason, message, component)
    }

    /// `record_event` for an object known by its kind and metadata (all an Event refers to), so callers
    /// need not build (copy) a whole object just to name it.
    pub fn record_event_about(
        &mut self,
        kind: Kind,
        m: &ObjectMeta,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
    ) {
        let ns = if kind.namespaced() { m.namespace.clone() } else { DEFAULT_NS.to_string() };
        let existing = self
            .event_index
            .get(&m.uid)
            .and_then(|by_message| by_message.get(message))
            .and_then(|v| v.iter().find(|e| e.is(type_, reason, component)))
            .and_then(|e| self.store.get(&e.event))
            .and_then(|o| o.as_event())
            .cloned();
        let now = Time(self.now);
        if let Some(mut e) = existing {
            e.count += 1;
            e.last_timestamp = Some(now);
            self.store.replace(Object::Event(e), self.now);
            return;
        }
        self.event_seq += 1;
        let mut ev = Event {
            involved_object: ObjectReference {
                api_version: kind.api_version().into(),
                kind: kind.name().into(),
                namespace: if kind.namespaced() { m.namespace.clone() } else { String::new() },
                name: m.name.clone(),
                uid: m.uid.clone(),
                resource_version: m.resource_version.clone(),
                field_path: String::new(),
            },
            reason: reason.into(),
            message: message.into(),
            source: EventSource { component: component.into(), host: String::new() },
            first_timestamp: Some(now),
            last_timestamp: Some(now),
            count: 1,
            type_: type_.into(),
            reporting_component: Some(component.into()),
            reporting_instance: Some(String::new()),
            ..Default::default()
        };
        let nanos = (stsplay_model::time::EPOCH_UNIX_SECONDS as u128 * 1_000_000_000)
            + (self.now.0.max(0) as u128 * 1_000_000)
            + self.event_seq as u128;
        ev.metadata.name = format!("{}.{:x}", m.name, nanos);
        ev.metadata.namespace = ns;
        ev.metadata.uid = self.rng.uuid();
        let stored = self.store.insert(Object::Event(ev), self.now);
        let entries = self.event_index.entry(m.uid.clone()).or_default().entry(message.to_string()).or_default();
        let event = ObjKey::of(&stored);
        match entries.iter_mut().find(|e| e.is(type_, reason, component)) {
            Some(e) => e.event = event,
            None => entries.push(EventIndexEntry {
                type_: type_.into(),
                reason: reason.into(),
                component: component.into(),
                event,
            }),
        }
    }

    /// Events about one object, oldest first.
    pub fn events_for(&self, uid: &str) -> Vec<&Event> {
        let mut v: Vec<&Event> = self
            .store
            .list(Kind::Event, None)
            .filter_map(|o| o.as_event())
            .filter(|e| e.involved_object.uid == uid)
            .collect();
        v.sort_by_key(|e| (e.first_timestamp, e.metadata.name.clone()));
        v
    }

    // ------------------------------------------------------------------------- lifecycle hooks

    /// Called when an object got a deletionTimestamp.
    pub(crate) fn on_deletion_started(&mut self, key: &ObjKey) {
        if key.kind == Kind::Pod {
            crate::kubelet::on_pod_deletion(self, key);
        }
    }

    /// Called when an object left the store.
    pub(crate) fn on_removed(&mut self, obj: &Object) {
        if let Object::Pod(p) = obj {
            self.runtimes.remove(&p.metadata.uid);
            self.schedule_after.remove(&p.metadata.uid);
            self.schedule_attempts.remove(&p.metadata.uid);
            self.assumed.remove(&p.metadata.uid);
        }
    }

    /// Whether the pod's containers may still be running (its kubelet has not confirmed termination).
    pub(crate) fn pod_still_running(&self, p: &Pod) -> bool {
        self.runtimes.get(&p.metadata.uid).is_some_and(|r| r.started_any())
    }

    pub fn pods(&self, ns: &str) -> impl Iterator<Item = &Pod> {
        self.store.list(Kind::Pod, Some(ns)).filter_map(|o| o.as_pod())
    }

    pub fn get_pod(&self, ns: &str, name: &str) -> Option<&Pod> {
        self.store.get_by(Kind::Pod, ns, name).and_then(|o| o.as_pod())
    }

    pub fn get_sts(&self, ns: &str, name: &str) -> Option<&StatefulSet> {
        self.store.get_by(Kind::StatefulSet, ns, name).and_then(|o| o.as_sts())
    }

    pub fn get_pvc(&self, ns: &str, name: &str) -> Option<&PersistentVolumeClaim> {
        self.store.get_by(Kind::PersistentVolumeClaim, ns, name).and_then(|o| o.as_pvc())
    }

    pub fn get_pv(&self, name: &str) -> Option<&PersistentVolume> {
        self.store.get_by(Kind::PersistentVolume, "", name).and_then(|o| o.as_pv())
    }
}
