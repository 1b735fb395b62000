//! kubectl's table printers for the supported kinds (kubernetes `pkg/printers/internalversion/printers.go`):
//! columns, `-o wide`, `--show-labels`, `-L`, and the `kind/name` prefix when several types are printed.

use crate::duration::human_duration;
use stsplay_cluster::dns;
use stsplay_cluster::World;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::labels::format_labels;
use stsplay_model::objects::*;
use stsplay_model::time::Time;

#[derive(Clone, Debug, Default)]
pub struct PrintOpts {
    pub wide: bool,
    pub show_labels: bool,
    pub label_columns: Vec<String>,
    pub kind_prefix: bool,
    pub namespace_column: bool,
}

pub fn age(w: &World, t: Option<Time>) -> String {
    match t {
        Some(t) => human_duration(w.now.0 - t.0 .0),
        None => "<unknown>".into(),
    }
}

fn headers(kind: Kind, o: &PrintOpts) -> Vec<&'static str> {
    let mut h: Vec<&'static str> = match kind {
        Kind::StatefulSet => vec!["NAME", "READY", "AGE"],
        Kind::Pod => vec!["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
        Kind::PersistentVolumeClaim => {
            vec!["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"]
        }
        Kind::PersistentVolume => vec![
            "NAME",
            "CAPACITY",
            "ACCESS MODES",
            "RECLAIM POLICY",
            "STATUS",
            "CLAIM",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "REASON",
            "AGE",
        ],
        Kind::Service => vec!["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        Kind::StorageClass => {
            vec!["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"]
        }
        Kind::Node => vec!["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
        Kind::Event => vec!["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
        Kind::ControllerRevision => vec!["NAME", "CONTROLLER", "REVISION", "AGE"],
    };
    if o.wide {
        match kind {
            Kind::StatefulSet => h.extend(["CONTAINERS", "IMAGES"]),
            Kind::Pod => h.extend(["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]),
            Kind::PersistentVolumeClaim | Kind::PersistentVolume => h.push("VOLUMEMODE"),
            Kind::Service => h.push("SELECTOR"),
            Kind::Node => h.extend(["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"]),
            Kind::Event => {
                h = vec![
                    "LAST SEEN",
                    "TYPE",
                    "REASON",
                    "OBJECT",
                    "SUBOBJECT",
                    "SOURCE",
                    "MESSAGE",
                    "FIRST SEEN",
                    "COUNT",
                    "NAME",
                ]
            }
            Kind::ControllerRevision => h.extend(["CONTAINERS", "IMAGES"]),
            Kind::StorageClass => {}
        }
    }
    h
}

/// The Endpoints table (a derived kind: computed from Services and pods).
pub fn endpoints_table(w: &World, svcs: &[&Service], o: &PrintOpts) -> String {
    let mut rows = Vec::new();
    let mut head = vec!["NAME".to_string(), "ENDPOINTS".into(), "AGE".into()];
    if o.namespace_column {
        head.insert(0, "NAMESPACE".into());
    }
    rows.push(head);
    for s in svcs {
        let ports: Vec<i32> = s.spec.ports.iter().map(target_port).collect();
        let mut addrs = Vec::new();
        for e in dns::endpoints(w, s).into_iter().filter(|e| e.ready || s.spec.publish_not_ready_addresses) {
            if ports.is_empty() {
                addrs.push(e.ip.clone());
            }
            for p in &ports {
                addrs.push(format!("{}:{p}", e.ip));
            }
        }
        let text = if addrs.is_empty() {
            "<none>".to_string()
        } else if addrs.len() > 3 {
            format!("{} + {} more...", addrs[..3].join(","), addrs.len() - 3)
        } else {
            addrs.join(",")
        };
        let name = if o.kind_prefix { format!("endpoints/{}", s.metadata.name) } else { s.metadata.name.clone() };
        let mut row = vec![name, text, age(w, s.metadata.creation_timestamp)];
        if o.namespace_column {
            row.insert(0, s.metadata.namespace.clone());
        }
        rows.push(row);
    }
    crate::tabwriter::kubectl_rows(&rows)
}

fn target_port(p: &ServicePort) -> i32 {
    match &p.target_port {
        Some(serde_json::Value::Number(n)) => n.as_i64().unwrap_or(p.port as i64) as i32,
        _ => p.port,
    }
}

/// A full table for objects of one kind.
pub fn table(w: &World, kind: Kind, objs: &[&Object], o: &PrintOpts) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head: Vec<String> = headers(kind, o).into_iter().map(String::from).collect();
    for l in &o.label_columns {
        head.push(label_column_header(l));
    }
    if o.show_labels {
        head.push("LABELS".into());
    }
    if o.namespace_column && kind.namespaced() {
        head.insert(0, "NAMESPACE".into());
    }
    rows.push(head);
    for obj in objs {
        rows.push(row(w, obj, o));
    }
    crate::tabwriter::kubectl_rows(&rows)
}

/// `-L controller-revision-hash` → `CONTROLLER-REVISION-HASH` (last path segment, upper-cased).
fn label_column_header(l: &str) -> String {
    l.rsplit('/').next().unwrap_or(l).to_uppercase()
}

pub fn row(w: &World, obj: &Object, o: &PrintOpts) -> Vec<String> {
    let kind = obj.kind();
    let m = obj.meta();
    let name = if o.kind_prefix { format!("{}/{}", kind.qualified_singular(), m.name) } else { m.name.clone() };
    let mut cells = match obj {
        Object::StatefulSet(s) => {
            let mut c =
                vec![name, format!("{}/{}", s.status.ready_replicas, s.replicas()), age(w, m.creation_timestamp)];
            if o.wide {
                let cs = &s.spec.template.spec.containers;
                c.push(cs.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(","));
                c.push(cs.iter().map(|c| c.image.as_str()).collect::<Vec<_>>().join(","));
            }
            c
        }
        Object::Pod(p) => pod_row(w, p, name, o.wide),
        Object::PersistentVolumeClaim(c) => {
            let status = if m.deletion_timestamp.is_some() { "Terminating".to_string() } else { c.phase().to_string() };
            let st = c.status.clone().unwrap_or_default();
            let mut cells = vec![
                name,
                status,
                c.spec.volume_name.clone().unwrap_or_default(),
                st.capacity.get("storage").cloned().unwrap_or_default(),
                access_modes(&st.access_modes),
                c.spec.storage_class_name.clone().unwrap_or_default(),
                "<unset>".into(),
                age(w, m.creation_timestamp),
            ];
            if o.wide {
                cells.push(c.spec.volume_mode.clone().unwrap_or_default());
            }
            cells
        }
        Object::PersistentVolume(v) => {
            let status =
                if m.deletion_timestamp.is_some() { "Terminating".to_string() } else { v.status.phase.clone() };
            let claim = v.spec.claim_ref.as_ref().map(|r| format!("{}/{}", r.namespace, r.name)).unwrap_or_default();
            let mut cells = vec![
                name,
                v.spec.capacity.get("storage").cloned().unwrap_or_default(),
                access_modes(&v.spec.access_modes),
                v.spec.persistent_volume_reclaim_policy.clone().unwrap_or_default(),
                status,
                claim,
                v.spec.storage_class_name.clone().unwrap_or_default(),
                "<unset>".into(),
                v.status.reason.clone().unwrap_or_default(),
                age(w, m.creation_timestamp),
            ];
            if o.wide {
                cells.push(v.spec.volume_mode.clone().unwrap_or_default());
            }
            cells
        }
        Object::Service(s) => {
            let ports: Vec<String> = s
                .spec
                .ports
                .iter()
                .map(|p| {
                    let np =
                        p.extra.get("nodePort").and_then(|v| v.as_i64()).map(|n| format!(":{n}")).unwrap_or_default();
                    format!("{}{np}/{}", p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into()))
                })
                .collect();
            let mut cells = vec![
                name,
                s.spec.type_.clone().unwrap_or_else(|| "ClusterIP".into()),
                s.spec.cluster_ip.clone().unwrap_or_default(),
                "<none>".into(),
                if ports.is_empty() { "<none>".into() } else { ports.join(",") },
                age(w, m.creation_timestamp),
            ];
            if o.wide {
                cells.push(match &s.spec.selector {
                    Some(sel) if !sel.is_empty() => format_labels(sel),
                    _ => "<none>".into(),
                });
            }
            cells
        }
        Object::StorageClass(sc) => {
            let n = if sc.is_default() { format!("{name} (default)") } else { name };
            vec![
                n,
                sc.provisioner.clone(),
                sc.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()),
                sc.volume_binding_mode.clone().unwrap_or_else(|| "Immediate".into()),
                sc.allow_volume_expansion.unwrap_or(false).to_string(),
                age(w, m.creation_timestamp),
            ]
        }
        Object::Node(n) => {
            let mut status = if n.is_ready() { "Ready".to_string() } else { "NotReady".to_string() };
            if n.spec.unschedulable {
                status.push_str(",SchedulingDisabled");
            }
            let roles: Vec<String> = n
                .metadata
                .labels
                .keys()
                .filter_map(|k| k.strip_prefix("node-role.kubernetes.io/").map(String::from))
                .collect();
            let info = n.status.node_info.clone().unwrap_or_default();
            let s = |k: &str| info.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let mut cells = vec![
                name,
                status,
                if roles.is_empty() { "<none>".into() } else { roles.join(",") },
                age(w, m.creation_timestamp),
                s("kubeletVersion"),
            ];
            if o.wide {
                let ip = n
                    .status
                    .addresses
                    .iter()
                    .find(|a| a.get("type").and_then(|t| t.as_str()) == Some("InternalIP"))
                    .and_then(|a| a.get("address").and_then(|v| v.as_str()))
                    .unwrap_or("<none>")
                    .to_string();
                cells.extend([ip, "<none>".into(), s("osImage"), s("kernelVersion"), s("containerRuntimeVersion")]);
            }
            cells
        }
        Object::Event(e) => {
            let last = age(w, e.last_timestamp);
            let target = format!("{}/{}", e.involved_object.kind.to_lowercase(), e.involved_object.name);
            if o.wide {
                vec![
                    last,
                    e.type_.clone(),
                    e.reason.clone(),
                    target,
                    e.involved_object.field_path.clone(),
                    e.source.component.clone(),
                    e.message.trim().to_string(),
                    age(w, e.first_timestamp),
                    e.count.to_string(),
                    m.name.clone(),
                ]
            } else {
                vec![last, e.type_.clone(), e.reason.clone(), target, e.message.trim().to_string()]
            }
        }
        Object::ControllerRevision(r) => {
            let controller = r
                .metadata
                .controller_ref()
                .map(|c| {
                    let k = Kind::from_kind_name(&c.kind)
                        .map(|k| k.qualified_singular())
                        .unwrap_or_else(|| c.kind.to_lowercase());
                    format!("{k}/{}", c.name)
                })
                .unwrap_or_else(|| "<none>".into());
            let mut cells = vec![name, controller, r.revision.to_string(), age(w, m.creation_timestamp)];
            if o.wide {
                let t = r
                    .data
                    .get("spec")
                    .and_then(|s| s.get("template"))
                    .and_then(|t| t.get("spec"))
                    .and_then(|s| s.get("containers"));
                let list = t.and_then(|v| v.as_array()).cloned().unwrap_or_default();
                let names: Vec<&str> = list.iter().filter_map(|c| c.get("name")?.as_str()).collect();
                let images: Vec<&str> = list.iter().filter_map(|c| c.get("image")?.as_str()).collect();
                cells.push(names.join(","));
                cells.push(images.join(","));
            }
            cells
        }
    };
    for l in &o.label_columns {
        cells.push(m.labels.get(l).cloned().unwrap_or_default());
    }
    if o.show_labels {
        cells.push(format_labels(&m.labels));
    }
    if o.namespace_column && kind.namespaced() {
        cells.insert(0, m.namespace.clone());
    }
    cells
}

/// `RWO,RWX` from access modes.
pub fn access_modes(modes: &[String]) -> String {
    let mut out = Vec::new();
    for (full, short) in
        [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
    {
        if modes.iter().any(|m| m == full) {
            out.push(short);
        }
    }
    out.join(",")
}

/// The STATUS column of `kubectl get pods` (printPod).
pub fn pod_status(p: &Pod) -> String {
    let mut reason = p.status.phase.clone();
    if let Some(r) = p.status.reason.as_ref().filter(|r| !r.is_empty()) {
        reason = r.clone();
    }
    let mut has_running = false;
    for c in p.status.container_statuses.iter().rev() {
        if let Some(wr) = c.state.waiting.as_ref().and_then(|w| w.reason.clone()).filter(|r| !r.is_empty()) {
            reason = wr;
        } else if let Some(t) = &c.state.terminated {
            reason = match t.reason.as_ref().filter(|r| !r.is_empty()) {
                Some(r) => r.clone(),
                None => format!("ExitCode:{}", t.exit_code),
            };
        } else if c.ready && c.state.running.is_some() {
            has_running = true;
        }
    }
    if reason == "Completed" && has_running {
        reason = if p.is_ready() { "Running".into() } else { "NotReady".into() };
    }
    if p.metadata.deletion_timestamp.is_some() && p.status.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".into();
    } else if p.metadata.deletion_timestamp.is_some() && !matches!(p.status.phase.as_str(), "Failed" | "Succeeded") {
        reason = "Terminating".into();
    }
    reason
}

pub fn pod_ready(p: &Pod) -> String {
    let ready = p.status.container_statuses.iter().filter(|c| c.ready && c.state.running.is_some()).count();
    format!("{}/{}", ready, p.spec.containers.len())
}

fn pod_row(w: &World, p: &Pod, name: String, wide: bool) -> Vec<String> {
    let restarts: i32 = p.status.container_statuses.iter().map(|c| c.restart_count).sum();
    // `3 (45s ago)`: the latest lastState.terminated.finishedAt among containers.
    let last = p
        .status
        .container_statuses
        .iter()
        .filter_map(|c| c.last_state.as_ref()?.terminated.as_ref()?.finished_at)
        .max();
    let restarts = match last {
        Some(t) if restarts != 0 => format!("{restarts} ({} ago)", age(w, Some(t))),
        _ => restarts.to_string(),
    };
    let mut cells = vec![name, pod_ready(p), pod_status(p), restarts, age(w, p.metadata.creation_timestamp)];
    if wide {
        let ip = p.status.pod_ips.first().map(|i| i.ip.clone()).unwrap_or_else(|| "<none>".into());
        let node = if p.spec.node_name.is_empty() { "<none>".into() } else { p.spec.node_name.clone() };
        cells.extend([ip, node, "<none>".into(), "<none>".into()]);
    }
    cells
}
