//! View models: what the page draws, computed from the cluster at the current moment. Plain values that
//! compare equal when nothing visible changed, so components redraw only what moved. Status words are
//! kubectl's (the STATUS and READY columns), so the map and the terminal never disagree.

use std::collections::BTreeMap;
use stsplay_cluster::World;
use stsplay_kubectl::printers;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::{Pod, StatefulSet};

/// A pod card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodCard {
    pub name: String,
    pub namespace: String,
    /// The ordinal when a StatefulSet owns it.
    pub ordinal: Option<i64>,
    pub owner: Option<String>,
    /// kubectl's STATUS column (`Running`, `ContainerCreating`, `Terminating`, `ImagePullBackOff`, ...).
    pub status: String,
    /// kubectl's READY column (`1/1`).
    pub ready_text: String,
    pub ready: bool,
    pub image: String,
    /// The `controller-revision-hash` label (the revision the pod was made from).
    pub revision: String,
    /// Whether that is the set's update revision (false while a rolling update has not reached it).
    pub updated: bool,
    pub ip: String,
    pub node: String,
    pub restarts: i32,
    pub terminating: bool,
    /// The claims it mounts.
    pub claims: Vec<String>,
    /// A learner-facing summary for screen readers: "Pod myapp-0, Running, Ready".
    pub label: String,
}

impl PodCard {
    /// The shape/colour family of the status (colour is never the only signal).
    pub fn tone(&self) -> Tone {
        if self.terminating {
            return Tone::Leaving;
        }
        match self.status.as_str() {
            "Running" if self.ready => Tone::Good,
            "Running" => Tone::Waiting,
            "Pending" | "ContainerCreating" | "PodInitializing" => Tone::Waiting,
            "Completed" | "Succeeded" => Tone::Idle,
            s if s.starts_with("Init:") => Tone::Waiting,
            _ => Tone::Bad,
        }
    }
}

/// How a status reads at a glance (each has a colour *and* a glyph in the page).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Good,
    Waiting,
    Bad,
    Leaving,
    Idle,
}

impl Tone {
    pub fn class(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Waiting => "waiting",
            Tone::Bad => "bad",
            Tone::Leaving => "leaving",
            Tone::Idle => "idle",
        }
    }
    /// A glyph that carries the meaning without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            Tone::Good => "●",
            Tone::Waiting => "◔",
            Tone::Bad => "✕",
            Tone::Leaving => "◌",
            Tone::Idle => "○",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NodeLane {
    pub name: String,
    pub ready: bool,
    pub schedulable: bool,
    pub control_plane: bool,
    pub pods: Vec<PodCard>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimView {
    pub name: String,
    pub namespace: String,
    pub phase: String,
    pub volume: String,
    pub class: String,
    pub capacity: String,
    pub terminating: bool,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeView {
    pub name: String,
    pub phase: String,
    pub claim: String,
    pub class: String,
    pub capacity: String,
    pub reclaim_policy: String,
    /// Files kept on the volume (their number): data that survives pods.
    pub files: usize,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceView {
    pub name: String,
    pub namespace: String,
    pub headless: bool,
    pub cluster_ip: String,
    /// DNS records the cluster's DNS would answer: (name, address), ready endpoints only.
    pub records: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetView {
    pub name: String,
    pub namespace: String,
    pub replicas: i32,
    pub ready: i32,
    pub current: i32,
    pub updated: i32,
    pub current_revision: String,
    pub update_revision: String,
    pub partition: i32,
    pub policy: String,
    pub strategy: String,
    pub service: String,
    /// Why the controller held back in its last sync (recorded by the controller itself).
    pub why: Vec<String>,
}

/// The whole map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterView {
    pub nodes: Vec<NodeLane>,
    /// Pods no node has taken yet.
    pub unscheduled: Vec<PodCard>,
    pub claims: Vec<ClaimView>,
    pub volumes: Vec<VolumeView>,
    pub services: Vec<ServiceView>,
    pub sets: Vec<SetView>,
}

impl ClusterView {
    /// All pods, in the order of the "Pods" list: by owner, then ordinal, then name.
    pub fn pods(&self) -> Vec<&PodCard> {
        let mut v: Vec<&PodCard> =
            self.nodes.iter().flat_map(|n| n.pods.iter()).chain(self.unscheduled.iter()).collect();
        v.sort_by(|a, b| {
            (a.namespace.as_str(), a.owner.as_deref().unwrap_or(""), a.ordinal.unwrap_or(i64::MAX), a.name.as_str())
                .cmp(&(
                    b.namespace.as_str(),
                    b.owner.as_deref().unwrap_or(""),
                    b.ordinal.unwrap_or(i64::MAX),
                    b.name.as_str(),
                ))
        });
        v
    }

    pub fn build(w: &World) -> ClusterView {
        let sets: BTreeMap<(String, String), &StatefulSet> = w
            .store
            .list(Kind::StatefulSet, None)
            .filter_map(|o| match o {
                Object::StatefulSet(s) => Some(((s.metadata.namespace.clone(), s.metadata.name.clone()), s)),
                _ => None,
            })
            .collect();
        let mut nodes: Vec<NodeLane> = w
            .store
            .list(Kind::Node, None)
            .filter_map(|o| match o {
                Object::Node(n) => Some(NodeLane {
                    name: n.metadata.name.clone(),
                    ready: n.is_ready(),
                    schedulable: !n.spec.unschedulable,
                    control_plane: n.metadata.labels.contains_key("node-role.kubernetes.io/control-plane"),
                    pods: Vec::new(),
                }),
                _ => None,
            })
            .collect();
        let mut unscheduled = Vec::new();
        for o in w.store.list(Kind::Pod, None) {
            let Object::Pod(p) = o else { continue };
            let card = pod_card(w, p, &sets);
            match nodes.iter_mut().find(|n| n.name == p.spec.node_name) {
                Some(n) if !p.spec.node_name.is_empty() => n.pods.push(card),
                _ => unscheduled.push(card),
            }
        }
        for n in &mut nodes {
            n.pods.sort_by(|a, b| (a.ordinal, &a.name).cmp(&(b.ordinal, &b.name)));
        }
        let claims = w
            .store
            .list(Kind::PersistentVolumeClaim, None)
            .filter_map(|o| match o {
                Object::PersistentVolumeClaim(c) => {
                    let phase = c.phase().to_string();
                    let volume = c.spec.volume_name.clone().unwrap_or_default();
                    let terminating = c.metadata.deletion_timestamp.is_some();
                    let label = format!(
                        "PersistentVolumeClaim {}, {}{}",
                        c.metadata.name,
                        if terminating { "Terminating" } else { phase.as_str() },
                        if volume.is_empty() { String::new() } else { format!(", volume {volume}") }
                    );
                    Some(ClaimView {
                        name: c.metadata.name.clone(),
                        namespace: c.metadata.namespace.clone(),
                        phase,
                        volume,
                        class: c.spec.storage_class_name.clone().unwrap_or_default(),
                        capacity: c
                            .status
                            .as_ref()
                            .and_then(|s| s.capacity.get("storage").cloned())
                            .or_else(|| c.spec.resources.requests.get("storage").cloned())
                            .unwrap_or_default(),
                        terminating,
                        label,
                    })
                }
                _ => None,
            })
            .collect();
        let volumes = w
            .store
            .list(Kind::PersistentVolume, None)
            .filter_map(|o| match o {
                Object::PersistentVolume(v) => {
                    let claim = v
                        .spec
                        .claim_ref
                        .as_ref()
                        .map(|r| {
                            format!("{}/{}", if r.namespace.is_empty() { "default" } else { &r.namespace }, r.name)
                        })
                        .unwrap_or_default();
                    let reclaim = v.spec.persistent_volume_reclaim_policy.clone().unwrap_or_else(|| "Retain".into());
                    let phase = v.status.phase.clone();
                    Some(VolumeView {
                        label: format!("PersistentVolume {}, {}, {}", v.metadata.name, phase, reclaim),
                        name: v.metadata.name.clone(),
                        phase,
                        claim,
                        class: v.spec.storage_class_name.clone().unwrap_or_default(),
                        capacity: v.spec.capacity.get("storage").cloned().unwrap_or_default(),
                        reclaim_policy: reclaim,
                        files: w.volumes.get(&v.metadata.name).map(|f| f.len()).unwrap_or(0),
                    })
                }
                _ => None,
            })
            .collect();
        let services = w
            .store
            .list(Kind::Service, None)
            .filter_map(|o| match o {
                Object::Service(s) => {
                    let ns = if s.metadata.namespace.is_empty() { "default" } else { &s.metadata.namespace };
                    let base = format!("{}.{}.svc.cluster.local", s.metadata.name, ns);
                    let mut records = Vec::new();
                    if s.is_headless() {
                        for e in stsplay_cluster::dns::published(w, s) {
                            if let Some(h) = &e.hostname {
                                records.push((format!("{h}.{base}"), e.ip.clone()));
                            }
                            records.push((base.clone(), e.ip));
                        }
                    } else if let Some(ip) = &s.spec.cluster_ip {
                        records.push((base.clone(), ip.clone()));
                    }
                    Some(ServiceView {
                        name: s.metadata.name.clone(),
                        namespace: ns.to_string(),
                        headless: s.is_headless(),
                        cluster_ip: s.spec.cluster_ip.clone().unwrap_or_default(),
                        records,
                    })
                }
                _ => None,
            })
            .collect();
        let sets = sets
            .values()
            .map(|s| {
                let key = format!("{}/{}", s.metadata.namespace, s.metadata.name);
                SetView {
                    name: s.metadata.name.clone(),
                    namespace: s.metadata.namespace.clone(),
                    replicas: s.replicas(),
                    ready: s.status.ready_replicas,
                    current: s.status.current_replicas,
                    updated: s.status.updated_replicas,
                    current_revision: s.status.current_revision.clone(),
                    update_revision: s.status.update_revision.clone(),
                    partition: s.spec.update_strategy.rolling_update.as_ref().and_then(|r| r.partition).unwrap_or(0),
                    policy: if s.is_parallel() { "Parallel".into() } else { "OrderedReady".into() },
                    strategy: if s.is_on_delete() { "OnDelete".into() } else { "RollingUpdate".into() },
                    service: s.spec.service_name.clone(),
                    why: w.why.get(&key).map(|r| r.reasons.clone()).unwrap_or_default(),
                }
            })
            .collect();
        ClusterView { nodes, unscheduled, claims, volumes, services, sets }
    }
}

fn pod_card(w: &World, p: &Pod, sets: &BTreeMap<(String, String), &StatefulSet>) -> PodCard {
    let owner = p
        .metadata
        .owner_references
        .iter()
        .find(|r| r.kind == "StatefulSet" && r.controller == Some(true))
        .map(|r| r.name.clone());
    let ordinal = owner.as_ref().and_then(|o| {
        p.metadata.name.strip_prefix(o.as_str()).and_then(|r| r.strip_prefix('-')).and_then(|n| n.parse::<i64>().ok())
    });
    let status = printers::pod_status(p);
    let ready = p.is_ready();
    let revision = p.metadata.labels.get("controller-revision-hash").cloned().unwrap_or_default();
    let updated = owner
        .as_ref()
        .and_then(|o| sets.get(&(p.metadata.namespace.clone(), o.clone())))
        .is_some_and(|s| !revision.is_empty() && s.status.update_revision == revision);
    let terminating = p.metadata.deletion_timestamp.is_some();
    let label = format!("Pod {}, {}, {}", p.metadata.name, status, if ready { "Ready" } else { "Not ready" });
    let _ = w;
    PodCard {
        name: p.metadata.name.clone(),
        namespace: p.metadata.namespace.clone(),
        ordinal,
        owner,
        status,
        ready_text: printers::pod_ready(p),
        ready,
        image: p.spec.containers.first().map(|c| c.image.clone()).unwrap_or_default(),
        revision,
        updated,
        ip: p.status.pod_ip.clone().unwrap_or_default(),
        node: p.spec.node_name.clone(),
        restarts: p.status.container_statuses.iter().map(|c| c.restart_count).sum(),
        terminating,
        claims: p
            .spec
            .volumes
            .iter()
            .filter_map(|v| v.persistent_volume_claim.as_ref().map(|c| c.claim_name.clone()))
            .collect(),
        label,
    }
}

/// A line of the Events panel: a Kubernetes Event or a line of the simulator's trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventLine {
    pub at: i64,
    /// `Normal`, `Warning`, or `sim` for the trace.
    pub type_: String,
    pub reason: String,
    /// `pod/myapp-0`, or the simulator component for trace lines.
    pub object: String,
    pub message: String,
    pub count: i32,
}

/// Newest first, at most `limit` lines, only those whose object contains `filter` (if any).
pub fn events(w: &World, filter: &str, limit: usize, include_trace: bool) -> Vec<EventLine> {
    let mut v: Vec<EventLine> = w
        .store
        .list(Kind::Event, None)
        .filter_map(|o| match o {
            Object::Event(e) => Some(EventLine {
                at: e.last_timestamp.or(e.first_timestamp).map(|t| t.0 .0).unwrap_or(0),
                type_: e.type_.clone(),
                reason: e.reason.clone(),
                object: format!("{}/{}", e.involved_object.kind.to_ascii_lowercase(), e.involved_object.name),
                message: e.message.clone(),
                count: e.count,
            }),
            _ => None,
        })
        .collect();
    if include_trace {
        let start = w.trace.len().saturating_sub(limit);
        v.extend(w.trace[start..].iter().map(|t| EventLine {
            at: t.at.0,
            type_: "sim".to_string(),
            reason: String::new(),
            object: t.component.clone(),
            message: t.message.clone(),
            count: 1,
        }));
    }
    let f = filter.trim().to_ascii_lowercase();
    if !f.is_empty() {
        v.retain(|e| e.object.to_ascii_lowercase().contains(&f) || e.message.to_ascii_lowercase().contains(&f));
    }
    // Stable: equal times keep store order (creation order).
    v.sort_by_key(|e| std::cmp::Reverse(e.at));
    v.truncate(limit);
    v
}
