//! Mirrors `stateful_pod_control.go`: create claims before the pod, delete and update pods, keep claim
//! owner references in line with the retention policy, and record upstream's Events.

use super::utils::*;
use crate::api::ApiError;
use crate::world::World;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::*;

const COMPONENT: &str = "statefulset-controller";

/// `recordPodEvent`.
fn record_pod_event(w: &mut World, verb: &str, set: &StatefulSet, pod: &Pod, err: Option<&str>) {
    let verb_title = format!("{}{}", &verb[..1].to_uppercase(), &verb[1..]);
    match err {
        None => w.record_event_about(
            Kind::StatefulSet,
            &set.metadata,
            "Normal",
            &format!("Successful{verb_title}"),
            &format!("{verb} Pod {} in StatefulSet {} successful", pod.metadata.name, set.metadata.name),
            COMPONENT,
        ),
        Some(e) => w.record_event_about(
            Kind::StatefulSet,
            &set.metadata,
            "Warning",
            &format!("Failed{verb_title}"),
            &format!("{verb} Pod {} in StatefulSet {} failed error: {e}", pod.metadata.name, set.metadata.name),
            COMPONENT,
        ),
    }
}

/// `recordClaimEvent`.
fn record_claim_event(w: &mut World, verb: &str, set: &StatefulSet, pod: &Pod, claim: &str, err: Option<&str>) {
    let verb_title = format!("{}{}", &verb[..1].to_uppercase(), &verb[1..]);
    match err {
        None => w.record_event_about(
            Kind::StatefulSet,
            &set.metadata,
            "Normal",
            &format!("Successful{verb_title}"),
            &format!("{verb} Claim {claim} Pod {} in StatefulSet {} success", pod.metadata.name, set.metadata.name),
            COMPONENT,
        ),
        Some(e) => w.record_event_about(
            Kind::StatefulSet,
            &set.metadata,
            "Warning",
            &format!("Failed{verb_title}"),
            &format!(
                "{verb} Claim {claim} for Pod {} in StatefulSet {} failed error: {e}",
                pod.metadata.name, set.metadata.name
            ),
            COMPONENT,
        ),
    }
}

/// `errors.NewAggregate(errs).Error()`.
fn aggregate(errs: &[String]) -> Option<String> {
    match errs.len() {
        0 => None,
        1 => Some(errs[0].clone()),
        _ => Some(format!("[{}]", errs.join(", "))),
    }
}

/// `createPersistentVolumeClaims`: create missing claims; a claim being deleted is an error.
pub fn create_persistent_volume_claims(w: &mut World, set: &StatefulSet, pod: &Pod) -> Result<(), String> {
    let mut errs = Vec::new();
    for claim in persistent_volume_claims(set, pod) {
        match w.get_pvc(&claim.metadata.namespace, &claim.metadata.name).cloned() {
            None => {
                let name = claim.metadata.name.clone();
                match w.create(Object::PersistentVolumeClaim(claim)) {
                    Ok(_) => {
                        w.trace(COMPONENT, format!("create Claim {name} for Pod {}", pod.metadata.name));
                        record_claim_event(w, "create", set, pod, &name, None);
                    }
                    Err(e) => {
                        let msg = format!("failed to create PVC {name}: {}", e.message);
                        record_claim_event(w, "create", set, pod, &name, Some(&e.message));
                        errs.push(msg);
                    }
                }
            }
            Some(existing) => {
                if existing.metadata.deletion_timestamp.is_some() {
                    errs.push(format!("pvc {} is being deleted", existing.metadata.name));
                }
            }
        }
    }
    aggregate(&errs).map_or(Ok(()), Err)
}

/// `CreateStatefulPod`: claims first, then the pod.
pub fn create_stateful_pod(w: &mut World, set: &StatefulSet, pod: &Pod) -> Result<(), String> {
    if let Err(e) = create_persistent_volume_claims(w, set, pod) {
        record_pod_event(w, "create", set, pod, Some(&e));
        return Err(e);
    }
    match w.create(Object::Pod(pod.clone())) {
        Ok(created) => {
            let created = created.as_pod().unwrap_or(pod);
            update_pod_claim_for_retention_policy(w, set, created);
            w.trace(COMPONENT, format!("create Pod {} (revision {})", pod.metadata.name, pod_revision(pod)));
            record_pod_event(w, "create", set, pod, None);
            Ok(())
        }
        Err(ApiError { reason: crate::api::StatusReason::AlreadyExists, message, .. }) => Err(message),
        Err(e) => {
            record_pod_event(w, "create", set, pod, Some(&e.message));
            w.trace(COMPONENT, format!("create Pod {} failed: {}", pod.metadata.name, e.message));
            Err(e.message)
        }
    }
}

/// `DeleteStatefulPod`.
pub fn delete_stateful_pod(w: &mut World, set: &StatefulSet, pod: &Pod, why: &str) -> Result<(), String> {
    match w.delete(Kind::Pod, &pod.metadata.namespace, &pod.metadata.name, Default::default()) {
        Ok(_) => {
            w.trace(COMPONENT, format!("delete Pod {} ({why})", pod.metadata.name));
            record_pod_event(w, "delete", set, pod, None);
            Ok(())
        }
        Err(e) => {
            if e.reason != crate::api::StatusReason::NotFound {
                record_pod_event(w, "delete", set, pod, Some(&e.message));
            }
            Err(e.message)
        }
    }
}

/// `ClaimsMatchRetentionPolicy`.
pub fn claims_match_retention_policy(w: &World, set: &StatefulSet, pod: &Pod) -> bool {
    let o = ordinal(pod);
    for t in &set.spec.volume_claim_templates {
        let name = claim_name(&t.metadata.name, set, o);
        if let Some(existing) = w.get_pvc(&set.metadata.namespace, &name) {
            // Default policy and no references: nothing to scrub (the common case; skip the copy).
            if set.retention() == ("Retain", "Retain") && existing.metadata.owner_references.is_empty() {
                continue;
            }
            let mut copy = existing.clone();
            if has_unexpected_controller(&copy, set, pod) {
                continue;
            }
            if update_claim_owner_refs(&mut copy, set, pod) {
                return false;
            }
        }
    }
    true
}

/// `UpdatePodClaimForRetentionPolicy`.
pub fn update_pod_claim_for_retention_policy(w: &mut World, set: &StatefulSet, pod: &Pod) {
    for claim in persistent_volume_claims(set, pod) {
        let Some(existing) = w.get_pvc(&claim.metadata.namespace, &claim.metadata.name).cloned() else {
            continue;
        };
        if has_unexpected_controller(&existing, set, pod) {
            w.record_event_about(
                Kind::StatefulSet, &set.metadata,
                "Warning",
                "ConflictingController",
                &format!(
                    "PersistentVolumeClaim {} has a conflicting OwnerReference that acts as a manging controller, the retention policy is ignored for this claim",
                    existing.metadata.name
                ),
                COMPONENT,
            );
            continue;
        }
        let mut updated = existing.clone();
        if update_claim_owner_refs(&mut updated, set, pod) {
            w.write(Object::PersistentVolumeClaim(updated));
        }
    }
}

/// `PodClaimIsStale`: with whenScaled=Delete, a claim still owned by an earlier pod of this name.
pub fn pod_claim_is_stale(w: &World, set: &StatefulSet, pod: &Pod) -> bool {
    if set.retention().1 == "Retain" {
        return false;
    }
    persistent_volume_claims(set, pod).iter().any(|c| {
        w.get_pvc(&c.metadata.namespace, &c.metadata.name).is_some_and(|existing| has_stale_owner_ref(existing, pod))
    })
}

/// `UpdateStatefulPod`: repair identity, storage and claim refs.
pub fn update_stateful_pod(w: &mut World, set: &StatefulSet, pod: &Pod) -> Result<(), String> {
    let mut p = pod.clone();
    let mut consistent = true;
    if !identity_matches(set, &p) {
        update_identity(set, &mut p);
        consistent = false;
    }
    if !storage_matches(set, &p) {
        update_storage(set, &mut p);
        consistent = false;
        if let Err(e) = create_persistent_volume_claims(w, set, &p) {
            record_pod_event(w, "update", set, &p, Some(&e));
            return Err(e);
        }
    }
    if !claims_match_retention_policy(w, set, &p) {
        update_pod_claim_for_retention_policy(w, set, &p);
        consistent = false;
    }
    if consistent {
        return Ok(());
    }
    w.write(Object::Pod(p.clone()));
    record_pod_event(w, "update", set, &p, None);
    Ok(())
}
