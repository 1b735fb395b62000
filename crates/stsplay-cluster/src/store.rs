//! The in-memory API store: typed objects keyed by kind/namespace/name, resourceVersions, UIDs and a watch
//! log. It stores; it does not decide (defaulting, admission and validation happen in `api`).

use crate::statefulset::index::{GroupContext, PodGroup};
use std::collections::BTreeMap;
use std::rc::Rc;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::labels::Selector;
use stsplay_model::objects::StatefulSet;
use stsplay_model::time::{SimTime, Time};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjKey {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjKey {
    pub fn new(kind: Kind, namespace: &str, name: &str) -> ObjKey {
        ObjKey {
            kind,
            namespace: if kind.namespaced() { namespace.to_string() } else { String::new() },
            name: name.to_string(),
        }
    }
    pub fn of(obj: &Object) -> ObjKey {
        ObjKey::new(obj.kind(), &obj.meta().namespace, &obj.meta().name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchType {
    Added,
    Modified,
    Deleted,
}

impl WatchType {
    pub fn as_str(self) -> &'static str {
        match self {
            WatchType::Added => "ADDED",
            WatchType::Modified => "MODIFIED",
            WatchType::Deleted => "DELETED",
        }
    }
}

/// One change to the store (a watch event), with the object as it was right after the change.
#[derive(Clone, Debug, PartialEq)]
pub struct WatchEvent {
    pub rv: u64,
    pub at: SimTime,
    pub type_: WatchType,
    /// Shared with the store (objects are immutable once stored; writes replace them).
    pub object: Rc<Object>,
}

/// How many watch events are kept (older ones are dropped; a watch only needs recent history).
pub const WATCH_LOG_CAPACITY: usize = 50_000;

#[derive(Clone, Debug, Default)]
pub struct Store {
    objects: BTreeMap<ObjKey, Rc<Object>>,
    uids: BTreeMap<String, ObjKey>,
    rv: u64,
    watch: std::collections::VecDeque<WatchEvent>,
    /// Bumped on every write; controllers compare it to know whether anything changed.
    pub writes: u64,
    dependents: BTreeMap<String, std::collections::BTreeSet<ObjKey>>,
    unscheduled: std::collections::BTreeSet<ObjKey>,
    node_pods: BTreeMap<String, usize>,
    counts: BTreeMap<Kind, usize>,
    /// Pods by namespace, then parent, for names `<parent>-<ordinal>`: what a StatefulSet named `parent`
    /// syncs. (Nested so a lookup by `&str` needs no allocation: syncs look their group up often.)
    groups: BTreeMap<String, BTreeMap<String, PodGroup>>,
    /// Claims with ownerReferences (while there are none, the default retention policy has nothing to fix).
    owned_claims: usize,
}

impl Store {
    pub fn resource_version(&self) -> u64 {
        self.rv
    }

    pub fn get(&self, key: &ObjKey) -> Option<&Object> {
        self.objects.get(key).map(|o| &**o)
    }

    pub fn get_by(&self, kind: Kind, ns: &str, name: &str) -> Option<&Object> {
        self.objects.get(&ObjKey::new(kind, ns, name)).map(|o| &**o)
    }

    pub fn get_uid(&self, uid: &str) -> Option<&Object> {
        self.uids.get(uid).and_then(|k| self.objects.get(k)).map(|o| &**o)
    }

    pub fn exists_uid(&self, uid: &str) -> bool {
        self.uids.contains_key(uid)
    }

    /// All objects of a kind (in a namespace when given), in name order.
    pub fn list(&self, kind: Kind, ns: Option<&str>) -> impl Iterator<Item = &Object> {
        let ns = ns.map(|s| if kind.namespaced() { s.to_string() } else { String::new() });
        let lo = ObjKey { kind, namespace: ns.clone().unwrap_or_default(), name: String::new() };
        self.objects
            .range(lo..)
            .take_while(move |(k, _)| k.kind == kind && ns.as_ref().is_none_or(|n| &k.namespace == n))
            .map(|(_, v)| &**v)
    }

    /// Like `list`, but shared handles (cheap to keep while the store changes).
    pub fn list_rc(&self, kind: Kind, ns: Option<&str>) -> Vec<Rc<Object>> {
        let ns = ns.map(|s| if kind.namespaced() { s.to_string() } else { String::new() });
        let lo = ObjKey { kind, namespace: ns.clone().unwrap_or_default(), name: String::new() };
        self.objects
            .range(lo..)
            .take_while(move |(k, _)| k.kind == kind && ns.as_ref().is_none_or(|n| &k.namespace == n))
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn keys(&self, kind: Kind) -> Vec<ObjKey> {
        self.list(kind, None).map(ObjKey::of).collect()
    }

    /// Events are not watched by controllers, so they do not count as writes that wake them up.
    fn bump(&mut self, kind: Kind) -> u64 {
        self.rv += 1;
        if kind != Kind::Event {
            self.writes += 1;
        }
        self.rv
    }

    fn log(&mut self, at: SimTime, type_: WatchType, object: Rc<Object>) {
        if self.watch.len() >= WATCH_LOG_CAPACITY {
            self.watch.pop_front();
        }
        self.watch.push_back(WatchEvent { rv: self.rv, at, type_, object });
    }

    /// Inserts a new object: sets resourceVersion, creationTimestamp and generation (uid must be set).
    /// Returns the stored object (shared: most callers only look at it, so no copy is made).
    pub fn insert(&mut self, mut obj: Object, now: SimTime) -> Rc<Object> {
        let rv = self.bump(obj.kind());
        let m = obj.meta_mut();
        m.resource_version = rv.to_string();
        m.creation_timestamp = Some(Time(now));
        if has_generation(obj.kind()) {
            obj.meta_mut().generation = 1;
        }
        let key = ObjKey::of(&obj);
        self.uids.insert(obj.meta().uid.clone(), key.clone());
        self.index(&key, None, Some(&obj));
        *self.counts.entry(key.kind).or_default() += 1;
        let rc = Rc::new(obj);
        self.objects.insert(key.clone(), rc.clone());
        self.index_group(&key, false, Some(rc.clone()));
        self.log(now, WatchType::Added, rc.clone());
        rc
    }

    /// Replaces an existing object. With `spec_update` (a client's update of the main resource, not a
    /// status write or a binding), generation is bumped when the spec changed.
    /// Returns false (and writes nothing) when the object is byte-identical to the stored one.
    pub fn replace(&mut self, obj: Object, now: SimTime) -> bool {
        self.replace_with(obj, now, false)
    }

    pub fn replace_with(&mut self, mut obj: Object, now: SimTime, spec_update: bool) -> bool {
        let key = ObjKey::of(&obj);
        let Some(old) = self.objects.get(&key).cloned() else { return false };
        {
            let om = old.meta();
            let m = obj.meta_mut();
            m.uid = om.uid.clone();
            m.creation_timestamp = om.creation_timestamp;
            m.resource_version = om.resource_version.clone();
            m.generation = om.generation;
        }
        if obj == *old {
            return false;
        }
        if spec_update && has_generation(obj.kind()) && spec_of(&obj) != spec_of(&old) {
            obj.meta_mut().generation = old.meta().generation + 1;
        }
        let rv = self.bump(obj.kind());
        obj.meta_mut().resource_version = rv.to_string();
        self.index(&key, Some(&old), Some(&obj));
        let rc = Rc::new(obj);
        self.objects.insert(key.clone(), rc.clone());
        self.index_group(&key, true, Some(rc.clone()));
        self.log(now, WatchType::Modified, rc);
        true
    }

    /// Removes an object for good (after finalizers and grace periods are done). Returns it as the watch
    /// log's DELETED event has it (shared, not copied).
    pub fn remove(&mut self, key: &ObjKey, now: SimTime) -> Option<Rc<Object>> {
        let obj = self.objects.remove(key)?;
        self.uids.remove(&obj.meta().uid);
        self.index(key, Some(&obj), None);
        self.index_group(key, true, None);
        if let Some(c) = self.counts.get_mut(&key.kind) {
            *c = c.saturating_sub(1);
        }
        self.bump(obj.kind());
        // The DELETED event carries the final resourceVersion. `make_mut` copies only when the object is
        // still shared (the watch log keeps its earlier versions); otherwise it is updated in place.
        let mut last = obj;
        Rc::make_mut(&mut last).meta_mut().resource_version = self.rv.to_string();
        self.log(now, WatchType::Deleted, last.clone());
        Some(last)
    }

    /// Watch events after resourceVersion `since`.
    pub fn watch_since(&self, since: u64) -> impl Iterator<Item = &WatchEvent> {
        // resourceVersions only grow, so the log is sorted: skip to the first newer event.
        let start = self.watch.partition_point(|e| e.rv <= since);
        self.watch.range(start..)
    }

    /// The oldest resourceVersion still in the watch log (older changes were dropped).
    pub fn oldest_watch_rv(&self) -> Option<u64> {
        self.watch.front().map(|e| e.rv)
    }

    /// Objects whose ownerReferences name `owner_uid`.
    pub fn dependents(&self, owner_uid: &str) -> Vec<ObjKey> {
        self.dependents.get(owner_uid).map(|s| s.iter().cloned().collect()).unwrap_or_default()
    }

    /// How many objects of a kind are stored.
    pub fn count(&self, kind: Kind) -> usize {
        self.counts.get(&kind).copied().unwrap_or(0)
    }

    /// How many pods are bound to a node (the scheduler's spreading score).
    pub fn pods_on_node(&self, node: &str) -> usize {
        self.node_pods.get(node).copied().unwrap_or(0)
    }

    /// Pods not bound to a node and not being deleted (the scheduler's queue).
    pub fn unscheduled_pods(&self) -> impl Iterator<Item = &ObjKey> {
        self.unscheduled.iter()
    }

    /// The pods named `<parent>-<ordinal>` in a namespace, with the facts a StatefulSet sync asks about.
    pub fn pod_group(&self, ns: &str, parent: &str) -> Option<&PodGroup> {
        self.groups.get(ns)?.get(parent)
    }

    /// Tells the index which StatefulSet owns the group `(ns, parent)`, so it can keep the set-dependent
    /// facts (owned, selector match, storage) too. Costs O(pods of the group) only when the context changes.
    pub fn set_group_context(&mut self, set: &StatefulSet, matcher: &Selector) {
        let (ns, parent) = (&set.metadata.namespace, &set.metadata.name);
        if self.pod_group(ns, parent).is_some_and(|g| g.ctx.as_deref().is_some_and(|c| c.is_for(set))) {
            return;
        }
        let ctx = GroupContext::of(set, matcher);
        let g = self.groups.entry(ns.to_string()).or_default().entry(parent.to_string()).or_default();
        *g = PodGroup::rebuilt(g, ctx);
    }

    /// Keeps the pod groups in step with a write (after the object map holds the new version).
    fn index_group(&mut self, key: &ObjKey, had_old: bool, new: Option<Rc<Object>>) {
        if key.kind != Kind::Pod {
            return;
        }
        let Some((parent, _)) = crate::statefulset::utils::parent_and_ordinal(&key.name) else { return };
        if had_old {
            if let Some(g) = self.groups.get_mut(&key.namespace).and_then(|n| n.get_mut(parent)) {
                g.remove(&key.name);
            }
        }
        match new {
            Some(rc) => {
                let ns = match self.groups.get_mut(&key.namespace) {
                    Some(ns) => ns,
                    None => self.groups.entry(key.namespace.clone()).or_default(),
                };
                match ns.get_mut(parent) {
                    Some(g) => g.add(rc),
                    None => ns.entry(parent.to_string()).or_default().add(rc),
                }
            }
            None => {
                let Some(ns) = self.groups.get_mut(&key.namespace) else { return };
                if ns.get(parent).is_some_and(|g| g.pods.is_empty() && g.ctx.is_none()) {
                    ns.remove(parent);
                    if ns.is_empty() {
                        self.groups.remove(&key.namespace);
                    }
                }
            }
        }
    }

    /// How many claims have ownerReferences.
    pub fn claims_with_owners(&self) -> usize {
        self.owned_claims
    }

    /// Keeps the secondary indexes (owners, unscheduled pods, pod groups) in step with a write.
    fn index(&mut self, key: &ObjKey, old: Option<&Object>, new: Option<&Object>) {
        if key.kind == Kind::PersistentVolumeClaim {
            let owned = |o: Option<&Object>| o.is_some_and(|o| !o.meta().owner_references.is_empty());
            self.owned_claims = self.owned_claims + owned(new) as usize - owned(old) as usize;
        }
        if let Some(o) = old {
            for r in &o.meta().owner_references {
                if let Some(set) = self.dependents.get_mut(&r.uid) {
                    set.remove(key);
                    if set.is_empty() {
                        self.dependents.remove(&r.uid);
                    }
                }
            }
        }
        if let Some(n) = new {
            for r in &n.meta().owner_references {
                self.dependents.entry(r.uid.clone()).or_default().insert(key.clone());
            }
        }
        if key.kind == Kind::Pod {
            let node_of = |o: Option<&Object>| {
                o.and_then(|o| o.as_pod()).map(|p| p.spec.node_name.clone()).filter(|n| !n.is_empty())
            };
            if let Some(n) = node_of(old) {
                if let Some(c) = self.node_pods.get_mut(&n) {
                    *c = c.saturating_sub(1);
                }
            }
            if let Some(n) = node_of(new) {
                *self.node_pods.entry(n).or_default() += 1;
            }
            let unscheduled = new
                .and_then(|o| o.as_pod())
                .is_some_and(|p| p.spec.node_name.is_empty() && p.metadata.deletion_timestamp.is_none());
            if unscheduled {
                self.unscheduled.insert(key.clone());
            } else {
                self.unscheduled.remove(key);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.objects.len()
    }

    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

/// Kinds whose `metadata.generation` tracks spec changes.
fn has_generation(kind: Kind) -> bool {
    matches!(kind, Kind::StatefulSet | Kind::Pod)
}

fn spec_of(obj: &Object) -> serde_json::Value {
    match obj {
        Object::StatefulSet(s) => serde_json::to_value(&s.spec).unwrap_or_default(),
        Object::Pod(p) => serde_json::to_value(&p.spec).unwrap_or_default(),
        _ => serde_json::Value::Null,
    }
}
