//! The default scheduler, reduced to what StatefulSets meet: node readiness, cordons, taints and
//! tolerations, nodeSelector, volume binding (immediate claims must be bound; WaitForFirstConsumer claims
//! are provisioned on the chosen node; local volumes pin pods to their node) and spreading.

use crate::world::{Action, World};
use std::collections::BTreeMap;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::*;
use stsplay_model::time::Time;

const COMPONENT: &str = "default-scheduler";
pub const SELECTED_NODE_ANNOTATION: &str = "volume.kubernetes.io/selected-node";

pub fn schedule_pass(w: &mut World) {
    let now = w.now;
    let candidates: Vec<Pod> = w
        .store
        .unscheduled_pods()
        .filter_map(|k| w.store.get(k).and_then(|o| o.as_pod()))
        .filter(|p| p.spec.scheduler_name.as_deref().unwrap_or("default-scheduler") == "default-scheduler")
        .filter(|p| w.schedule_after.get(&p.metadata.uid).is_none_or(|t| *t <= now))
        .cloned()
        .collect();
    for pod in candidates {
        schedule_one(w, pod);
    }
    // Pods backing off are retried when their back-off ends (a pass may run earlier and skip them).
    let now = w.now;
    let next = w
        .store
        .unscheduled_pods()
        .filter_map(|k| w.store.get(k).and_then(|o| o.as_pod()))
        .filter_map(|p| w.schedule_after.get(&p.metadata.uid).copied())
        .filter(|t| *t > now)
        .min();
    if let Some(t) = next {
        w.schedule(t.0 - now.0, Action::Schedule);
    }
}

fn tolerates(pod: &Pod, taint: &Taint) -> bool {
    pod.spec.tolerations.iter().any(|t| {
        let key_ok = match t.key.as_deref() {
            None | Some("") => t.operator.as_deref() == Some("Exists"),
            Some(k) => k == taint.key,
        };
        let value_ok = t.operator.as_deref() == Some("Exists")
            || t.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("");
        let effect_ok = t.effect.as_deref().is_none_or(|e| e.is_empty() || e == taint.effect);
        key_ok && value_ok && effect_ok
    })
}

/// The node a PersistentVolume is pinned to by `spec.nodeAffinity` (local volumes), if any.
pub fn pv_node(pv: &PersistentVolume) -> Option<String> {
    let terms = pv.spec.extra.get("nodeAffinity")?.get("required")?.get("nodeSelectorTerms")?.as_array()?;
    for t in terms {
        for e in t.get("matchExpressions")?.as_array()? {
            if e.get("key")?.as_str()? == "kubernetes.io/hostname" {
                return e.get("values")?.as_array()?.first()?.as_str().map(String::from);
            }
        }
    }
    None
}

fn schedule_one(w: &mut World, pod: Pod) {
    let ns = pod.metadata.namespace.clone();
    // Shared handles, not copies: this runs once per pod to schedule.
    let stored_nodes = w.store.list_rc(Kind::Node, None);
    let nodes: Vec<&Node> = stored_nodes.iter().filter_map(|o| o.as_node()).collect();
    let total = nodes.len();
    // Volume constraints.
    let mut pinned: Option<String> = None;
    let mut wffc_claims: Vec<PersistentVolumeClaim> = Vec::new();
    for v in &pod.spec.volumes {
        let Some(src) = &v.persistent_volume_claim else { continue };
        let Some(pvc) = w.get_pvc(&ns, &src.claim_name).cloned() else {
            return unschedulable(w, &pod, format!("0/{total} nodes are available: persistentvolumeclaim \"{}\" not found. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.", src.claim_name));
        };
        if pvc.metadata.deletion_timestamp.is_some() {
            return unschedulable(w, &pod, format!("0/{total} nodes are available: persistentvolumeclaim \"{}\" is being deleted. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.", src.claim_name));
        }
        if pvc.phase() == "Bound" {
            if let Some(pv) = pvc.spec.volume_name.as_deref().and_then(|n| w.get_pv(n)) {
                if let Some(n) = pv_node(pv) {
                    pinned = Some(n);
                }
            }
            continue;
        }
        let class = pvc.spec.storage_class_name.clone().unwrap_or_default();
        let wffc = w
            .store
            .get_by(Kind::StorageClass, "", &class)
            .and_then(|o| o.as_storage_class())
            .is_some_and(|sc| sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer"));
        if wffc {
            wffc_claims.push(pvc);
        } else {
            return unschedulable(w, &pod, format!("0/{total} nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling."));
        }
    }
    // Filter nodes, counting why each one was rejected.
    let mut rejected: BTreeMap<String, usize> = BTreeMap::new();
    let mut feasible: Vec<String> = Vec::new();
    for n in &nodes {
        let name = &n.metadata.name;
        if n.spec.unschedulable
            && !tolerates(
                &pod,
                &Taint {
                    key: "node.kubernetes.io/unschedulable".into(),
                    value: None,
                    effect: "NoSchedule".into(),
                    time_added: None,
                },
            )
        {
            *rejected.entry("node(s) were unschedulable".into()).or_default() += 1;
            continue;
        }
        if let Some(t) =
            n.spec.taints.iter().find(|t| (t.effect == "NoSchedule" || t.effect == "NoExecute") && !tolerates(&pod, t))
        {
            let value = t.value.clone().unwrap_or_default();
            *rejected.entry(format!("node(s) had untolerated taint {{{}: {}}}", t.key, value)).or_default() += 1;
            continue;
        }
        if !pod.spec.node_selector.iter().all(|(k, v)| n.metadata.labels.get(k) == Some(v)) {
            *rejected.entry("node(s) didn't match Pod's node affinity/selector".into()).or_default() += 1;
            continue;
        }
        if pinned.as_ref().is_some_and(|p| p != name) {
            *rejected.entry("node(s) had volume node affinity conflict".into()).or_default() += 1;
            continue;
        }
        feasible.push(name.clone());
    }
    if feasible.is_empty() {
        let reasons: Vec<String> = rejected.iter().map(|(r, c)| format!("{c} {r}")).collect();
        return unschedulable(
            w,
            &pod,
            format!(
                "0/{total} nodes are available: {}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.",
                reasons.join(", ")
            ),
        );
    }
    // A pod already assumed on a node (waiting for its volumes there) keeps that node.
    let assumed = w.assumed.get(&pod.metadata.uid).filter(|n| feasible.contains(n)).cloned();
    let pick = match assumed {
        Some(n) => n,
        None => {
            // Score: fewest pods first (bound or assumed: spreading), ties broken by the seeded RNG.
            let mut load: BTreeMap<String, usize> =
                feasible.iter().map(|n| (n.clone(), w.store.pods_on_node(n))).collect();
            for n in w.assumed.values() {
                if let Some(c) = load.get_mut(n) {
                    *c += 1;
                }
            }
            let min = load.values().copied().min().unwrap_or(0);
            let best: Vec<String> = load.iter().filter(|(_, c)| **c == min).map(|(n, _)| n.clone()).collect();
            best[w.rng.range(0, best.len() as i64 - 1) as usize].clone()
        }
    };

    // WaitForFirstConsumer: ask the provisioner for volumes on this node; bind the pod once they are bound.
    if !wffc_claims.is_empty() {
        for mut c in wffc_claims {
            if !c.metadata.annotations.contains_key(SELECTED_NODE_ANNOTATION) {
                c.metadata.annotations.insert(SELECTED_NODE_ANNOTATION.into(), pick.clone());
                w.write(Object::PersistentVolumeClaim(c));
            }
        }
        w.assumed.insert(pod.metadata.uid.clone(), pick);
        let retry = w.stages.controllers.scheduler_retry[0];
        w.schedule_after.insert(pod.metadata.uid.clone(), w.now.plus_millis(retry));
        w.schedule(retry, Action::Schedule);
        return;
    }
    bind(w, pod, &pick);
}

fn bind(w: &mut World, mut pod: Pod, node: &str) {
    pod.spec.node_name = node.to_string();
    set_condition(&mut pod, "PodScheduled", "True", None, None, w.now);
    w.schedule_after.remove(&pod.metadata.uid);
    w.schedule_attempts.remove(&pod.metadata.uid);
    w.assumed.remove(&pod.metadata.uid);
    let msg = format!("Successfully assigned {}/{} to {node}", pod.metadata.namespace, pod.metadata.name);
    // The Event names the pod as it was before this write; keep just its metadata, not a whole copy.
    let meta = pod.metadata.clone();
    w.write(Object::Pod(pod));
    w.trace(COMPONENT, format!("bind {} to {node}", meta.name));
    w.record_event_about(Kind::Pod, &meta, "Normal", "Scheduled", &msg, COMPONENT);
    crate::kubelet::admit(w, &meta.uid);
}

fn unschedulable(w: &mut World, pod: &Pod, message: String) {
    let mut p = pod.clone();
    set_condition(&mut p, "PodScheduled", "False", Some("Unschedulable"), Some(&message), w.now);
    let meta = p.metadata.clone();
    w.write(Object::Pod(p));
    w.record_event_about(Kind::Pod, &meta, "Warning", "FailedScheduling", &message, COMPONENT);
    let attempts = w.schedule_attempts.entry(pod.metadata.uid.clone()).or_insert(0);
    *attempts = (*attempts + 1).min(16);
    let [lo, hi] = w.stages.controllers.scheduler_retry;
    let retry = (lo << (*attempts - 1).min(16)).min(hi.max(lo));
    w.schedule_after.insert(pod.metadata.uid.clone(), w.now.plus_millis(retry));
    w.schedule(retry, Action::Schedule);
}

/// Sets a pod condition; lastTransitionTime moves only when the status changes.
pub fn set_condition(
    pod: &mut Pod,
    type_: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    now: stsplay_model::SimTime,
) {
    let probe = serde_json::Value::Null;
    if let Some(c) = pod.status.conditions.iter_mut().find(|c| c.type_ == type_) {
        if c.status != status {
            c.last_transition_time = Some(Time(now));
        }
        c.status = status.into();
        c.reason = reason.map(String::from);
        c.message = message.map(String::from);
        return;
    }
    pod.status.conditions.push(PodCondition {
        type_: type_.into(),
        status: status.into(),
        last_probe_time: Some(probe),
        last_transition_time: Some(Time(now)),
        reason: reason.map(String::from),
        message: message.map(String::from),
    });
    // kubectl -o yaml lists conditions in the kubelet's order.
    const ORDER: [&str; 5] = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"];
    pod.status.conditions.sort_by_key(|c| ORDER.iter().position(|o| *o == c.type_).unwrap_or(ORDER.len()));
}
