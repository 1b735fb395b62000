//! Node faults and the node lifecycle controller (reference §8): a node whose kubelet stops posting status
//! becomes NotReady after node-monitor-grace-period, is tainted unreachable, its pods are marked not Ready
//! (kubectl still prints `1/1 Running`), and after the default 300 s toleration they are evicted into a
//! Terminating state that only ends when the node returns, the Node is deleted or the pod is force-deleted.

use crate::world::{Action, World};
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::*;
use stsplay_model::time::Time;

const UNREACHABLE: &str = "node.kubernetes.io/unreachable";

/// `sim node fail NODE`.
pub fn fail(w: &mut World, node: &str) -> Result<(), String> {
    let now = w.now;
    let rt = w.nodes.get_mut(node).ok_or_else(|| format!("nodes {node:?} not found"))?;
    if !rt.kubelet_up {
        return Err(format!("node {node} is already failed"));
    }
    rt.kubelet_up = false;
    rt.down_since = Some(now);
    let grace = w.stages.node_lifecycle.node_monitor_grace_period;
    w.schedule(grace, Action::NodeMonitor(node.to_string()));
    w.trace("sim", format!("node {node}: kubelet stopped (no more status updates)"));
    Ok(())
}

/// `sim node recover NODE`.
pub fn recover(w: &mut World, node: &str) -> Result<(), String> {
    let rt = w.nodes.get_mut(node).ok_or_else(|| format!("nodes {node:?} not found"))?;
    if rt.kubelet_up {
        return Err(format!("node {node} is not failed"));
    }
    rt.kubelet_up = true;
    rt.down_since = None;
    if let Some(mut n) = w.store.get_by(Kind::Node, "", node).and_then(|o| o.as_node()).cloned() {
        n.spec.taints.retain(|t| t.key != UNREACHABLE);
        set_ready(&mut n, "True", "KubeletReady", "kubelet is posting ready status", w.now);
        w.write(Object::Node(n.clone()));
        w.record_event(
            &Object::Node(n),
            "Normal",
            "NodeReady",
            &format!("Node {node} status is now: NodeReady"),
            "kubelet",
        );
    }
    w.trace("sim", format!("node {node}: kubelet is back"));
    crate::kubelet::resync_node(w, node);
    Ok(())
}

fn set_ready(n: &mut Node, status: &str, reason: &str, message: &str, now: stsplay_model::SimTime) {
    if let Some(c) = n.status.conditions.iter_mut().find(|c| c.type_ == "Ready") {
        if c.status != status {
            c.last_transition_time = Some(Time(now));
        }
        c.status = status.into();
        c.reason = Some(reason.into());
        c.message = Some(message.into());
        c.last_heartbeat_time = Some(Time(now));
    }
}

/// TaintNodesByCondition: a cordoned node carries `node.kubernetes.io/unschedulable:NoSchedule`.
pub fn sync_taints(w: &mut World, node: &str) {
    const KEY: &str = "node.kubernetes.io/unschedulable";
    let Some(mut n) = w.store.get_by(Kind::Node, "", node).and_then(|o| o.as_node()).cloned() else { return };
    let has = n.spec.taints.iter().any(|t| t.key == KEY);
    if n.spec.unschedulable == has {
        return;
    }
    if n.spec.unschedulable {
        n.spec.taints.push(Taint {
            key: KEY.into(),
            value: None,
            effect: "NoSchedule".into(),
            time_added: Some(Time(w.now)),
        });
    } else {
        n.spec.taints.retain(|t| t.key != KEY);
    }
    let status = if n.spec.unschedulable { "NodeNotSchedulable" } else { "NodeSchedulable" };
    w.write(Object::Node(n.clone()));
    w.record_event(&Object::Node(n), "Normal", status, &format!("Node {node} status is now: {status}"), "kubelet");
}

/// The node lifecycle controller notices a silent kubelet.
pub fn monitor(w: &mut World, node: &str) {
    let Some(rt) = w.nodes.get(node) else { return };
    if rt.kubelet_up {
        return;
    }
    let Some(mut n) = w.store.get_by(Kind::Node, "", node).and_then(|o| o.as_node()).cloned() else { return };
    let now = w.now;
    set_ready(&mut n, "Unknown", "NodeStatusUnknown", "Kubelet stopped posting node status.", now);
    for effect in ["NoSchedule", "NoExecute"] {
        if !n.spec.taints.iter().any(|t| t.key == UNREACHABLE && t.effect == effect) {
            n.spec.taints.push(Taint {
                key: UNREACHABLE.into(),
                value: None,
                effect: effect.into(),
                time_added: if effect == "NoExecute" { Some(Time(now)) } else { None },
            });
        }
    }
    w.write(Object::Node(n.clone()));
    w.record_event(
        &Object::Node(n),
        "Normal",
        "NodeNotReady",
        &format!("Node {node} status is now: NodeNotReady"),
        "node-controller",
    );
    w.trace(
        "node-lifecycle-controller",
        format!("node {node} is NotReady (unreachable); its pods are marked not Ready"),
    );
    // MarkPodsNotReady: only the Ready condition; the kubelet cannot report container readiness.
    let pods: Vec<Pod> = w
        .store
        .list(Kind::Pod, None)
        .filter_map(|o| o.as_pod())
        .filter(|p| p.spec.node_name == node)
        .cloned()
        .collect();
    let mut next_eviction: Option<i64> = None;
    for mut p in pods {
        if let Some(c) = p.status.conditions.iter_mut().find(|c| c.type_ == "Ready") {
            if c.status != "False" {
                c.status = "False".into();
                c.last_transition_time = Some(Time(now));
                c.reason = None;
                c.message = None;
            }
        }
        w.write(Object::Pod(p.clone()));
        w.record_event_about(Kind::Pod, &p.metadata, "Warning", "NodeNotReady", "Node is not ready", "node-controller");
        let secs = toleration_seconds(&p).unwrap_or(0);
        next_eviction = Some(next_eviction.map_or(secs, |n: i64| n.min(secs)));
    }
    if let Some(s) = next_eviction {
        w.schedule(s.max(0) * 1000, Action::TaintEviction(node.to_string()));
    }
}

/// How long a pod tolerates the unreachable NoExecute taint (None = forever).
fn toleration_seconds(p: &Pod) -> Option<i64> {
    let t = p.spec.tolerations.iter().find(|t| {
        (t.key.as_deref() == Some(UNREACHABLE) || (t.key.is_none() && t.operator.as_deref() == Some("Exists")))
            && t.effect.as_deref().is_none_or(|e| e == "NoExecute")
    });
    match t {
        None => Some(0),
        Some(t) => t.toleration_seconds,
    }
}

/// The taint-eviction controller deletes pods whose toleration of the unreachable taint ran out.
pub fn evict(w: &mut World, node: &str) {
    let Some(n) = w.store.get_by(Kind::Node, "", node).and_then(|o| o.as_node()).cloned() else { return };
    let Some(added) =
        n.spec.taints.iter().find(|t| t.key == UNREACHABLE && t.effect == "NoExecute").and_then(|t| t.time_added)
    else {
        return;
    };
    let now = w.now;
    let pods: Vec<Pod> = w
        .store
        .list(Kind::Pod, None)
        .filter_map(|o| o.as_pod())
        .filter(|p| p.spec.node_name == node && p.metadata.deletion_timestamp.is_none())
        .cloned()
        .collect();
    let mut later: Option<i64> = None;
    for p in pods {
        let Some(secs) = toleration_seconds(&p) else { continue };
        let due = added.0.plus_secs(secs);
        if due > now {
            let wait = due.0 - now.0;
            later = Some(later.map_or(wait, |l: i64| l.min(wait)));
            continue;
        }
        w.record_event_about(
            Kind::Pod,
            &p.metadata,
            "Normal",
            "TaintManagerEviction",
            &format!("Marking for deletion Pod {}/{}", p.metadata.namespace, p.metadata.name),
            "taint-eviction-controller",
        );
        w.trace("taint-eviction-controller", format!("evict {} from unreachable node {node}", p.metadata.name));
        let _ = w.delete(Kind::Pod, &p.metadata.namespace, &p.metadata.name, Default::default());
    }
    if let Some(ms) = later {
        w.schedule(ms, Action::TaintEviction(node.to_string()));
    }
}
