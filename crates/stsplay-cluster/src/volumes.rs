//! The PersistentVolume controller and the simulated provisioners: static binding (class, access modes,
//! size, volume mode, selector; smallest fit), dynamic provisioning (Immediate and WaitForFirstConsumer),
//! phases, protection finalizers and reclaim (Retain / Recycle / Delete). Volume contents live here too:
//! files written into a pod's volume are kept on its PV.

use crate::scheduler::{pv_node, SELECTED_NODE_ANNOTATION};
use crate::store::ObjKey;
use crate::world::{Action, World};
use serde_json::json;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::labels::Selector;
use stsplay_model::objects::*;
use stsplay_model::quantity::Quantity;
use stsplay_model::time::Time;

const COMPONENT: &str = "persistentvolume-controller";
pub const BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
pub const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
pub const PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";

fn storage_bytes(map: &StringMap) -> i128 {
    map.get("storage").and_then(|q| Quantity::parse(q)).map(|q| q.value()).unwrap_or(0)
}

fn class_of_claim(c: &PersistentVolumeClaim) -> String {
    c.spec.storage_class_name.clone().unwrap_or_default()
}

fn class_of_pv(v: &PersistentVolume) -> String {
    v.spec.storage_class_name.clone().unwrap_or_default()
}

/// Whether a PV can satisfy a claim (static binding rules, reference §7.2).
pub fn pv_matches(pv: &PersistentVolume, claim: &PersistentVolumeClaim) -> bool {
    if class_of_pv(pv) != class_of_claim(claim) {
        return false;
    }
    if !claim.spec.access_modes.iter().all(|m| pv.spec.access_modes.contains(m)) {
        return false;
    }
    if storage_bytes(&pv.spec.capacity) < storage_bytes(&claim.spec.resources.requests) {
        return false;
    }
    if pv.spec.volume_mode.as_deref().unwrap_or("Filesystem")
        != claim.spec.volume_mode.as_deref().unwrap_or("Filesystem")
    {
        return false;
    }
    if let Some(sel) = &claim.spec.selector {
        match Selector::from_label_selector(sel) {
            Some(s) if s.matches(&pv.metadata.labels) => {}
            _ => return false,
        }
    }
    true
}

/// One pass over the claims and volumes that changed (`World::react` queues them; a new volume or class
/// queues every pending claim, since any of them may now bind).
pub fn binder_pass(w: &mut World) {
    let mut keys = std::mem::take(&mut w.bind_queue);
    if std::mem::take(&mut w.bind_all) {
        keys.extend(
            w.store
                .list(Kind::PersistentVolumeClaim, None)
                .filter(|o| o.as_pvc().is_some_and(|c| c.phase() != "Bound"))
                .map(ObjKey::of),
        );
        keys.extend(w.store.list(Kind::PersistentVolume, None).map(ObjKey::of));
    }
    // Volumes first: Available/Pending become Available; Bound ones whose claim is gone are Released.
    for k in keys.iter().filter(|k| k.kind == Kind::PersistentVolume) {
        if let Some(pv) = w.store.get(k).and_then(|o| o.as_pv()).cloned() {
            sync_volume(w, pv);
        }
    }
    for k in keys.iter().filter(|k| k.kind == Kind::PersistentVolumeClaim) {
        let Some(c) = w.store.get(k).and_then(|o| o.as_pvc()).cloned() else { continue };
        if c.metadata.deletion_timestamp.is_some() {
            protect_claim(w, &c);
        } else {
            sync_claim(w, c);
        }
    }
    protect_volumes(w, &keys);
}

fn sync_volume(w: &mut World, mut pv: PersistentVolume) {
    let now = Time(w.now);
    let set_phase = |pv: &mut PersistentVolume, phase: &str| {
        if pv.status.phase != phase {
            pv.status.phase = phase.into();
            pv.status.last_phase_transition_time = Some(now);
            true
        } else {
            false
        }
    };
    let claim_ref = pv.spec.claim_ref.clone();
    let changed = match &claim_ref {
        None => set_phase(&mut pv, "Available"),
        Some(r) => {
            let claim = w.get_pvc(&r.namespace, &r.name);
            let bound_to_it = claim.is_some_and(|c| r.uid.is_empty() || c.metadata.uid == r.uid);
            if r.uid.is_empty() {
                // Pre-bound by the user to a claim name: available to that claim only.
                set_phase(&mut pv, "Available")
            } else if bound_to_it {
                set_phase(&mut pv, "Bound")
            } else if pv.status.phase == "Bound" || pv.status.phase == "Pending" || pv.status.phase.is_empty() {
                let changed = set_phase(&mut pv, "Released");
                if changed {
                    w.trace(
                        COMPONENT,
                        format!("volume {} released (claim {}/{} is gone)", pv.metadata.name, r.namespace, r.name),
                    );
                    let d = match pv.spec.persistent_volume_reclaim_policy.as_deref() {
                        Some("Recycle") => Some(w.delay(w.stages.controllers.recycle)),
                        Some("Delete") => Some(w.delay(w.stages.controllers.delete_volume)),
                        _ => None,
                    };
                    if let Some(d) = d {
                        w.schedule(d, Action::Reclaim(pv.metadata.name.clone()));
                    }
                }
                changed
            } else {
                false
            }
        }
    };
    if changed {
        w.write(Object::PersistentVolume(pv));
    }
}

fn sync_claim(w: &mut World, claim: PersistentVolumeClaim) {
    let ns = claim.metadata.namespace.clone();
    if let Some(vn) = claim.spec.volume_name.clone().filter(|_| claim.phase() == "Bound") {
        if w.get_pv(&vn).is_none() {
            let mut c = claim.clone();
            if let Some(s) = c.status.as_mut() {
                s.phase = "Lost".into();
            }
            w.write(Object::PersistentVolumeClaim(c.clone()));
            w.record_event(
                &Object::PersistentVolumeClaim(c),
                "Warning",
                "ClaimLost",
                "Bound claim has lost its PersistentVolume. Data on the volume is lost!",
                COMPONENT,
            );
        }
        return;
    }
    if claim.phase() == "Lost" {
        return;
    }
    // A claim naming a volume binds to exactly that one.
    if let Some(vn) = claim.spec.volume_name.clone() {
        if let Some(pv) = w.get_pv(&vn).cloned() {
            let free = pv.spec.claim_ref.as_ref().is_none_or(|r| r.name == claim.metadata.name && r.namespace == ns);
            if free && pv.metadata.deletion_timestamp.is_none() {
                bind(w, pv, claim);
            }
        }
        return;
    }
    let class = class_of_claim(&claim);
    // Static binding: PVs pre-bound to this claim first, then the smallest fitting Available one.
    let pvs: Vec<PersistentVolume> =
        w.store.list(Kind::PersistentVolume, None).filter_map(|o| o.as_pv()).cloned().collect();
    let prebound = pvs.iter().find(|pv| {
        pv.spec
            .claim_ref
            .as_ref()
            .is_some_and(|r| r.name == claim.metadata.name && r.namespace == ns && r.uid.is_empty())
            && pv_matches(pv, &claim)
    });
    let chosen = prebound.cloned().or_else(|| {
        let mut fits: Vec<&PersistentVolume> = pvs
            .iter()
            .filter(|pv| {
                pv.spec.claim_ref.is_none()
                    && pv.status.phase == "Available"
                    && pv.metadata.deletion_timestamp.is_none()
            })
            .filter(|pv| pv_matches(pv, &claim))
            .collect();
        fits.sort_by_key(|pv| (storage_bytes(&pv.spec.capacity), pv.metadata.name.clone()));
        fits.first().map(|pv| (*pv).clone())
    });
    if let Some(pv) = chosen {
        bind(w, pv, claim);
        return;
    }
    let obj = Object::PersistentVolumeClaim(claim.clone());
    if class.is_empty() {
        w.record_event(
            &obj,
            "Normal",
            "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set",
            COMPONENT,
        );
        return;
    }
    let Some(sc) = w.store.get_by(Kind::StorageClass, "", &class).and_then(|o| o.as_storage_class()).cloned() else {
        w.record_event(
            &obj,
            "Warning",
            "ProvisioningFailed",
            &format!("storageclass.storage.k8s.io {class:?} not found"),
            COMPONENT,
        );
        return;
    };
    if sc.provisioner == "kubernetes.io/no-provisioner" {
        let msg = if sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer") {
            "waiting for first consumer to be created before binding"
        } else {
            "no persistent volumes available for this claim and no storage class is set"
        };
        w.record_event(
            &obj,
            "Normal",
            if msg.starts_with("waiting") { "WaitForFirstConsumer" } else { "FailedBinding" },
            msg,
            COMPONENT,
        );
        return;
    }
    let wffc = sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer");
    let selected = claim.metadata.annotations.get(SELECTED_NODE_ANNOTATION).cloned();
    if wffc && selected.is_none() {
        w.record_event(
            &obj,
            "Normal",
            "WaitForFirstConsumer",
            "waiting for first consumer to be created before binding",
            COMPONENT,
        );
        return;
    }
    if w.provisioning.contains(&claim.metadata.uid) {
        return;
    }
    w.provisioning.insert(claim.metadata.uid.clone());
    // The PV controller names the provisioner on the claim (both the beta and the GA annotation).
    let mut annotated = claim.clone();
    for key in ["volume.beta.kubernetes.io/storage-provisioner", "volume.kubernetes.io/storage-provisioner"] {
        annotated.metadata.annotations.insert(key.into(), sc.provisioner.clone());
    }
    w.write(Object::PersistentVolumeClaim(annotated));
    w.record_event(
        &obj,
        "Normal",
        "ExternalProvisioning",
        &format!("Waiting for a volume to be created either by the external provisioner '{}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.", sc.provisioner),
        COMPONENT,
    );
    let source = provisioner_identity(&sc.provisioner);
    w.record_event(
        &obj,
        "Normal",
        "Provisioning",
        &format!("External provisioner is provisioning volume for claim \"{}/{}\"", ns, claim.metadata.name),
        &source,
    );
    let d = w.delay(w.stages.controllers.provisioning);
    w.schedule(d, Action::Provision(claim.metadata.uid.clone()));
}

/// The `From` of an external provisioner's events: `<provisioner>_<pod>_<uid>`.
fn provisioner_identity(provisioner: &str) -> String {
    match provisioner {
        "rancher.io/local-path" => {
            "rancher.io/local-path_local-path-provisioner-7dc846544d-4wh9p_0b3ffd0e-5b9f-4ea2-9d8f-3f6d1b1a2c41".into()
        }
        p => format!("{p}_provisioner-0_6f1d8e0a-2b7c-4d1e-9a51-0c2f3b4d5e6f"),
    }
}

/// A provisioner creates `pvc-<claim uid>` and binds it.
pub fn provision(w: &mut World, claim_uid: &str) {
    w.provisioning.remove(claim_uid);
    let Some(claim) = w.store.get_uid(claim_uid).and_then(|o| o.as_pvc()).cloned() else { return };
    if claim.phase() == "Bound" || claim.metadata.deletion_timestamp.is_some() {
        return;
    }
    let class = class_of_claim(&claim);
    let Some(sc) = w.store.get_by(Kind::StorageClass, "", &class).and_then(|o| o.as_storage_class()).cloned() else {
        return;
    };
    let mut pv = PersistentVolume::default();
    pv.metadata.name = format!("pvc-{claim_uid}");
    pv.metadata.annotations.insert(PROVISIONED_BY.into(), sc.provisioner.clone());
    pv.spec.capacity = claim
        .spec
        .resources
        .requests
        .iter()
        .filter(|(k, _)| *k == "storage")
        .map(|(k, v)| (k.clone(), stsplay_model::quantity::canonicalize(v)))
        .collect();
    pv.spec.access_modes = claim.spec.access_modes.clone();
    pv.spec.persistent_volume_reclaim_policy = Some(sc.reclaim_policy.clone().unwrap_or_else(|| "Delete".into()));
    pv.spec.storage_class_name = Some(class.clone());
    pv.spec.volume_mode = claim.spec.volume_mode.clone();
    if sc.provisioner == "rancher.io/local-path" {
        let node = claim.metadata.annotations.get(SELECTED_NODE_ANNOTATION).cloned().unwrap_or_default();
        pv.metadata.annotations.insert("local.path.provisioner/selected-node".into(), node.clone());
        pv.spec.extra.insert(
            "hostPath".into(),
            json!({"path": format!("/var/local-path-provisioner/pvc-{claim_uid}_{}_{}", claim.metadata.namespace, claim.metadata.name), "type": "DirectoryOrCreate"}),
        );
        pv.spec.extra.insert(
            "nodeAffinity".into(),
            json!({"required": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}}),
        );
    } else {
        pv.spec.extra.insert(
            "glusterfs".into(),
            json!({"endpoints": "glusterfs-cluster", "path": format!("vol_{}", &claim_uid[..8.min(claim_uid.len())])}),
        );
    }
    pv.spec.claim_ref = Some(claim_ref(&claim));
    let Ok(created) = w.api_create(Object::PersistentVolume(pv)) else { return };
    let Some(pv) = created.as_pv().cloned() else { return };
    w.volumes.insert(pv.metadata.name.clone(), Default::default());
    w.trace(&sc.provisioner, format!("provisioned {} for claim {}", pv.metadata.name, claim.metadata.name));
    let source = provisioner_identity(&sc.provisioner);
    w.record_event(
        &Object::PersistentVolumeClaim(claim.clone()),
        "Normal",
        "ProvisioningSucceeded",
        &format!("Successfully provisioned volume {}", pv.metadata.name),
        &source,
    );
    bind(w, pv, claim);
}

fn claim_ref(claim: &PersistentVolumeClaim) -> ObjectReference {
    ObjectReference {
        api_version: "v1".into(),
        kind: "PersistentVolumeClaim".into(),
        namespace: claim.metadata.namespace.clone(),
        name: claim.metadata.name.clone(),
        uid: claim.metadata.uid.clone(),
        resource_version: claim.metadata.resource_version.clone(),
        field_path: String::new(),
    }
}

fn bind(w: &mut World, mut pv: PersistentVolume, mut claim: PersistentVolumeClaim) {
    let now = Time(w.now);
    if pv.spec.claim_ref.as_ref().is_none_or(|r| r.uid.is_empty()) {
        pv.metadata.annotations.insert(BOUND_BY_CONTROLLER.into(), "yes".into());
    }
    pv.spec.claim_ref = Some(claim_ref(&claim));
    if pv.status.phase != "Bound" {
        pv.status.phase = "Bound".into();
        pv.status.last_phase_transition_time = Some(now);
    }
    let pv_name = pv.metadata.name.clone();
    let capacity = pv.spec.capacity.clone();
    let modes = pv.spec.access_modes.clone();
    w.write(Object::PersistentVolume(pv));
    claim.spec.volume_name = Some(pv_name.clone());
    claim.metadata.annotations.insert(BIND_COMPLETED.into(), "yes".into());
    claim.metadata.annotations.insert(BOUND_BY_CONTROLLER.into(), "yes".into());
    claim.status = Some(PersistentVolumeClaimStatus { phase: "Bound".into(), access_modes: modes, capacity });
    let name = claim.metadata.name.clone();
    let ns = claim.metadata.namespace.clone();
    w.write(Object::PersistentVolumeClaim(claim));
    // The scheduler's unschedulable queue moves pods waiting on this claim back at once.
    let waiting: Vec<String> = w
        .pods(&ns)
        .filter(|p| {
            p.spec.volumes.iter().any(|v| v.persistent_volume_claim.as_ref().is_some_and(|c| c.claim_name == name))
        })
        .map(|p| p.metadata.uid.clone())
        .collect();
    for uid in waiting {
        w.schedule_after.remove(&uid);
    }
    w.volumes.entry(pv_name.clone()).or_default();
    w.trace(COMPONENT, format!("bound claim {name} to volume {pv_name}"));
}

/// Reclaim a Released volume by its policy.
pub fn reclaim(w: &mut World, pv_name: &str) {
    let Some(pv) = w.get_pv(pv_name).cloned() else { return };
    if pv.status.phase != "Released" {
        return;
    }
    match pv.spec.persistent_volume_reclaim_policy.as_deref() {
        Some("Recycle") => {
            let mut pv = pv;
            w.volumes.insert(pv_name.to_string(), Default::default());
            pv.spec.claim_ref = None;
            pv.metadata.annotations.remove(BOUND_BY_CONTROLLER);
            pv.status.phase = "Available".into();
            pv.status.last_phase_transition_time = Some(Time(w.now));
            w.write(Object::PersistentVolume(pv.clone()));
            w.record_event(&Object::PersistentVolume(pv), "Normal", "VolumeRecycled", "Volume recycled", COMPONENT);
            w.trace(COMPONENT, format!("volume {pv_name} recycled (rm -rf /thevolume/*), Available again"));
        }
        Some("Delete") => {
            let dynamic = pv.metadata.annotations.contains_key(PROVISIONED_BY);
            let host_path =
                pv.spec.extra.get("hostPath").and_then(|h| h.get("path")).and_then(|p| p.as_str()).map(String::from);
            let deletable = dynamic || host_path.as_deref().is_some_and(|p| p.starts_with("/tmp/"));
            if deletable {
                w.volumes.remove(pv_name);
                let key = ObjKey::new(Kind::PersistentVolume, "", pv_name);
                let _ = w.delete(Kind::PersistentVolume, "", pv_name, Default::default());
                w.remove_finalizer(&key, crate::api::PV_PROTECTION);
                w.trace(COMPONENT, format!("volume {pv_name} deleted (reclaim policy Delete)"));
            } else {
                let mut pv = pv;
                pv.status.phase = "Failed".into();
                let msg = match &host_path {
                    Some(p) => format!("host_path deleter only supports /tmp/.+ but received provided {p}"),
                    None => {
                        "error getting deleter volume plugin for volume: no deletable volume plugin matched".to_string()
                    }
                };
                pv.status.message = Some(msg.clone());
                pv.status.last_phase_transition_time = Some(Time(w.now));
                w.write(Object::PersistentVolume(pv.clone()));
                w.record_event(&Object::PersistentVolume(pv), "Warning", "VolumeFailedDelete", &msg, COMPONENT);
            }
        }
        _ => {}
    }
}

/// The pvc-protection controller: a terminating claim goes once no running pod uses it.
fn protect_claim(w: &mut World, c: &PersistentVolumeClaim) {
    let in_use = w.pods(&c.metadata.namespace).any(|p| {
        !matches!(p.status.phase.as_str(), "Succeeded" | "Failed")
            && p.spec
                .volumes
                .iter()
                .any(|v| v.persistent_volume_claim.as_ref().is_some_and(|s| s.claim_name == c.metadata.name))
    });
    if !in_use {
        let key = ObjKey::new(Kind::PersistentVolumeClaim, &c.metadata.namespace, &c.metadata.name);
        w.remove_finalizer(&key, crate::api::PVC_PROTECTION);
    }
}

/// The pv-protection controller: a terminating volume goes once it is not bound.
fn protect_volumes(w: &mut World, keys: &std::collections::BTreeSet<ObjKey>) {
    for k in keys.iter().filter(|k| k.kind == Kind::PersistentVolume) {
        let Some(v) = w.store.get(k).and_then(|o| o.as_pv()).cloned() else { continue };
        if v.metadata.deletion_timestamp.is_some() && v.status.phase != "Bound" {
            w.volumes.remove(&v.metadata.name);
            w.remove_finalizer(k, crate::api::PV_PROTECTION);
        }
    }
}

/// The PV behind a pod's claim volume, if bound.
pub fn pv_for_claim(w: &World, ns: &str, claim: &str) -> Option<String> {
    let c = w.get_pvc(ns, claim)?;
    if c.phase() != "Bound" {
        return None;
    }
    c.spec.volume_name.clone()
}

/// The node a claim's volume lives on, for local volumes.
pub fn claim_node(w: &World, ns: &str, claim: &str) -> Option<String> {
    let pv = w.get_pv(&pv_for_claim(w, ns, claim)?)?;
    pv_node(pv)
}
