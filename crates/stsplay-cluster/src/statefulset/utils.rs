//! Mirrors kubernetes `pkg/controller/statefulset/stateful_set_utils.go`: names, ordinals, identity,
//! storage, predicates, revisions and retention-policy owner references.

use serde_json::{json, Value};
use stsplay_model::objects::*;
use stsplay_model::time::SimTime;

pub const STATEFUL_SET_REVISION_LABEL: &str = "controller-revision-hash";
pub const STATEFUL_SET_POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
pub const CONTROLLER_REVISION_HASH_LABEL: &str = "controller.kubernetes.io/hash";

/// `getParentNameAndOrdinal`: `(.*)-([0-9]+)$`; None when the name does not parse.
pub fn parent_and_ordinal(name: &str) -> Option<(&str, i32)> {
    let (parent, ord) = name.rsplit_once('-')?;
    if ord.is_empty() || !ord.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: i32 = ord.parse().ok()?;
    Some((parent, n))
}

/// `getOrdinal`: -1 when the name does not parse.
pub fn ordinal(pod: &Pod) -> i32 {
    parent_and_ordinal(&pod.metadata.name).map(|(_, o)| o).unwrap_or(-1)
}

pub fn pod_name(set: &StatefulSet, ordinal: i32) -> String {
    format!("{}-{}", set.metadata.name, ordinal)
}

pub fn claim_name(template: &str, set: &StatefulSet, ordinal: i32) -> String {
    format!("{}-{}-{}", template, set.metadata.name, ordinal)
}

pub fn is_member_of(set: &StatefulSet, pod: &Pod) -> bool {
    parent_and_ordinal(&pod.metadata.name).is_some_and(|(p, _)| p == set.metadata.name)
}

pub fn start_ordinal(set: &StatefulSet) -> i32 {
    set.start_ordinal()
}

pub fn end_ordinal(set: &StatefulSet) -> i32 {
    set.start_ordinal().saturating_add(set.replicas()).saturating_sub(1)
}

pub fn pod_in_ordinal_range(pod: &Pod, set: &StatefulSet) -> bool {
    let o = ordinal(pod);
    o >= start_ordinal(set) && o <= end_ordinal(set)
}

pub fn identity_matches(set: &StatefulSet, pod: &Pod) -> bool {
    match parent_and_ordinal(&pod.metadata.name) {
        Some((parent, o)) => {
            o >= 0
                && parent == set.metadata.name
                && is_pod_name(&pod.metadata.name, set, o)
                && pod.metadata.namespace == set.metadata.namespace
                && pod.metadata.labels.get(STATEFUL_SET_POD_NAME_LABEL) == Some(&pod.metadata.name)
        }
        None => false,
    }
}

/// `name == pod_name(set, ordinal)` without building the string (syncs check every pod).
fn is_pod_name(name: &str, set: &StatefulSet, ordinal: i32) -> bool {
    name.strip_prefix(set.metadata.name.as_str())
        .and_then(|r| r.strip_prefix('-'))
        .is_some_and(|n| n.parse::<i32>().ok() == Some(ordinal) && !(n.len() > 1 && n.starts_with('0')))
}

/// `name == claim_name(template, set, ordinal)` without building the string.
fn is_claim_name(name: &str, template: &str, set: &StatefulSet, ordinal: i32) -> bool {
    name.strip_prefix(template).and_then(|r| r.strip_prefix('-')).is_some_and(|r| is_pod_name(r, set, ordinal))
}

pub fn storage_matches(set: &StatefulSet, pod: &Pod) -> bool {
    let o = ordinal(pod);
    if o < 0 {
        return false;
    }
    set.spec.volume_claim_templates.iter().all(|t| {
        pod.spec.volumes.iter().any(|v| {
            v.name == t.metadata.name
                && v.persistent_volume_claim
                    .as_ref()
                    .is_some_and(|c| is_claim_name(&c.claim_name, &t.metadata.name, set, o))
        })
    })
}

/// The claims a pod of this set uses, built from the volumeClaimTemplates (`getPersistentVolumeClaims`).
pub fn persistent_volume_claims(set: &StatefulSet, pod: &Pod) -> Vec<PersistentVolumeClaim> {
    let o = ordinal(pod);
    let selector_labels = set.spec.selector.as_ref().map(|s| s.match_labels.clone()).unwrap_or_default();
    set.spec
        .volume_claim_templates
        .iter()
        .map(|t| {
            let mut claim = PersistentVolumeClaim {
                api_version: None,
                kind: None,
                metadata: ObjectMeta {
                    name: claim_name(&t.metadata.name, set, o),
                    namespace: set.metadata.namespace.clone(),
                    labels: t.metadata.labels.clone(),
                    annotations: t.metadata.annotations.clone(),
                    ..Default::default()
                },
                spec: t.spec.clone(),
                status: None,
            };
            for (k, v) in &selector_labels {
                claim.metadata.labels.insert(k.clone(), v.clone());
            }
            claim
        })
        .collect()
}

pub fn update_identity(set: &StatefulSet, pod: &mut Pod) {
    let o = ordinal(pod);
    pod.metadata.name = pod_name(set, o);
    pod.metadata.namespace = set.metadata.namespace.clone();
    pod.metadata.labels.insert(STATEFUL_SET_POD_NAME_LABEL.into(), pod.metadata.name.clone());
    pod.metadata.labels.insert(POD_INDEX_LABEL.into(), o.to_string());
}

fn init_identity(set: &StatefulSet, pod: &mut Pod) {
    update_identity(set, pod);
    pod.spec.hostname = pod.metadata.name.clone();
    if !set.spec.service_name.is_empty() {
        pod.spec.subdomain = set.spec.service_name.clone();
    }
}

/// Claim volumes first (in template order), then the template's other volumes (`updateStorage`).
pub fn update_storage(set: &StatefulSet, pod: &mut Pod) {
    let claims = persistent_volume_claims(set, pod);
    let templates: Vec<String> = set.spec.volume_claim_templates.iter().map(|t| t.metadata.name.clone()).collect();
    let mut volumes: Vec<Volume> = templates
        .iter()
        .zip(claims.iter())
        .map(|(t, c)| Volume {
            name: t.clone(),
            persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                claim_name: c.metadata.name.clone(),
                read_only: None,
            }),
            extra: Extra::new(),
        })
        .collect();
    for v in std::mem::take(&mut pod.spec.volumes) {
        if !templates.contains(&v.name) {
            volumes.push(v);
        }
    }
    pod.spec.volumes = volumes;
}

pub fn controller_ref(set: &StatefulSet) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "StatefulSet".into(),
        name: set.metadata.name.clone(),
        uid: set.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// `newStatefulSetPod`: the pod for an ordinal, from the set's template.
pub fn new_stateful_set_pod(set: &StatefulSet, ordinal: i32) -> Pod {
    let t = &set.spec.template;
    let mut pod = Pod {
        metadata: ObjectMeta {
            generate_name: format!("{}-", set.metadata.name),
            labels: t.metadata.labels.clone(),
            annotations: t.metadata.annotations.clone(),
            finalizers: t.metadata.finalizers.clone(),
            owner_references: vec![controller_ref(set)],
            ..Default::default()
        },
        spec: t.spec.clone(),
        status: PodStatus::default(),
    };
    pod.metadata.name = pod_name(set, ordinal);
    init_identity(set, &mut pod);
    update_storage(set, &mut pod);
    pod
}

/// `newVersionedStatefulSetPod`, including upstream's operator precedence.
pub fn new_versioned_pod(
    current_set: &StatefulSet,
    update_set: &StatefulSet,
    current_revision: &str,
    update_revision: &str,
    ordinal: i32,
) -> Pod {
    let us = &current_set.spec.update_strategy;
    let start = start_ordinal(current_set);
    let use_current = (us.type_ == "RollingUpdate"
        && us.rolling_update.is_none()
        && ordinal < start.saturating_add(current_set.status.current_replicas))
        || us.rolling_update.as_ref().is_some_and(|ru| ordinal < start.saturating_add(ru.partition.unwrap_or(0)));
    let (set, rev) = if use_current { (current_set, current_revision) } else { (update_set, update_revision) };
    let mut pod = new_stateful_set_pod(set, ordinal);
    pod.metadata.labels.insert(STATEFUL_SET_REVISION_LABEL.into(), rev.to_string());
    pod
}

pub fn pod_revision(pod: &Pod) -> &str {
    pod.metadata.labels.get(STATEFUL_SET_REVISION_LABEL).map(String::as_str).unwrap_or("")
}

pub fn is_created(pod: &Pod) -> bool {
    !pod.status.phase.is_empty()
}
pub fn is_pending(pod: &Pod) -> bool {
    pod.status.phase == "Pending"
}
pub fn is_failed(pod: &Pod) -> bool {
    pod.status.phase == "Failed"
}
pub fn is_succeeded(pod: &Pod) -> bool {
    pod.status.phase == "Succeeded"
}
pub fn is_terminating(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}
pub fn is_running_and_ready(pod: &Pod) -> bool {
    pod.is_running_and_ready()
}
/// Ready for at least minReadySeconds (Ready condition's lastTransitionTime).
pub fn is_running_and_available(pod: &Pod, min_ready_seconds: i32, now: SimTime) -> bool {
    if !is_running_and_ready(pod) {
        return false;
    }
    if min_ready_seconds <= 0 {
        return true;
    }
    pod.condition("Ready")
        .and_then(|c| c.last_transition_time)
        .is_some_and(|t| t.0.plus_secs(min_ready_seconds as i64) <= now)
}
pub fn is_healthy(pod: &Pod) -> bool {
    is_running_and_ready(pod) && !is_terminating(pod)
}

// ----------------------------------------------------------------------------------- revisions

/// `getPatch`: the revision's data, `{"spec":{"template":{..., "$patch":"replace"}}}`.
pub fn revision_data(set: &StatefulSet) -> Value {
    let mut template = serde_json::to_value(&set.spec.template).unwrap_or_else(|_| json!({}));
    if let Value::Object(m) = &mut template {
        m.insert("$patch".into(), json!("replace"));
    }
    json!({"spec": {"template": template}})
}

/// FNV-1 (32-bit), as Go's `hash/fnv.New32`.
pub fn fnv32(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in bytes {
        h = h.wrapping_mul(0x0100_0193);
        h ^= *b as u32;
    }
    h
}

/// apimachinery `rand.SafeEncodeString`.
pub fn safe_encode(s: &str) -> String {
    const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    s.bytes().map(|c| ALPHANUMS[c as usize % ALPHANUMS.len()] as char).collect()
}

/// Go's `json.Marshal` of the data (compact, map keys sorted, HTML-escaped).
pub fn go_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    s.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// `HashControllerRevision`.
pub fn hash_revision(data: &Value, collision_count: Option<i32>) -> String {
    hash_revision_json(&go_json(data), collision_count)
}

/// `hash_revision` of data whose `go_json` is known.
pub fn hash_revision_json(json: &str, collision_count: Option<i32>) -> String {
    let mut bytes = json.as_bytes().to_vec();
    if let Some(c) = collision_count {
        bytes.extend_from_slice(c.to_string().as_bytes());
    }
    safe_encode(&fnv32(&bytes).to_string())
}

/// `newRevision`: a ControllerRevision for the set's current template.
pub fn new_revision(set: &StatefulSet, revision: i64, collision_count: i32) -> ControllerRevision {
    let data = revision_data(set);
    let json = go_json(&data);
    new_revision_of(set, revision, collision_count, data, &json)
}

/// `new_revision` with the set's `revision_data` and its `go_json` already computed.
pub fn new_revision_of(
    set: &StatefulSet,
    revision: i64,
    collision_count: i32,
    data: Value,
    json: &str,
) -> ControllerRevision {
    let hash = hash_revision_json(json, Some(collision_count));
    let mut labels = set.spec.template.metadata.labels.clone();
    labels.insert(CONTROLLER_REVISION_HASH_LABEL.into(), hash.clone());
    ControllerRevision {
        metadata: ObjectMeta {
            name: format!("{}-{}", set.metadata.name, hash),
            namespace: set.metadata.namespace.clone(),
            labels,
            annotations: set.metadata.annotations.clone(),
            owner_references: vec![controller_ref(set)],
            ..Default::default()
        },
        data,
        revision,
    }
}

/// `ApplyRevision`: the set with its template replaced by the revision's.
pub fn apply_revision(set: &StatefulSet, revision: &ControllerRevision) -> StatefulSet {
    apply_template(set, revision_template(revision).as_ref())
}

/// The template a revision holds (None when its data has none or does not parse: the set's is kept).
pub fn revision_template(revision: &ControllerRevision) -> Option<PodTemplateSpec> {
    let mut t = revision.data.get("spec").and_then(|s| s.get("template"))?.clone();
    if let Value::Object(m) = &mut t {
        m.remove("$patch");
    }
    serde_json::from_value::<PodTemplateSpec>(t).ok()
}

/// `apply_revision` with the revision's template already parsed (`revision_template`).
pub fn apply_template(set: &StatefulSet, template: Option<&PodTemplateSpec>) -> StatefulSet {
    let mut clone = set.clone();
    if let Some(t) = template {
        clone.spec.template = t.clone();
    }
    clone
}

/// `completeRollingUpdate`.
pub fn complete_rolling_update(set: &StatefulSet, status: &mut StatefulSetStatus) {
    let r = set.replicas();
    if set.spec.update_strategy.type_ == "RollingUpdate"
        && status.updated_replicas == r
        && status.ready_replicas == r
        && status.replicas == r
    {
        status.current_revision = status.update_revision.clone();
        status.current_replicas = status.updated_replicas;
    }
}

/// `inconsistentStatus`: whether the computed status must be written.
pub fn inconsistent_status(set: &StatefulSet, status: &StatefulSetStatus) -> bool {
    let s = &set.status;
    status.observed_generation > s.observed_generation
        || status.replicas != s.replicas
        || status.current_replicas != s.current_replicas
        || status.ready_replicas != s.ready_replicas
        || status.updated_replicas != s.updated_replicas
        || status.current_revision != s.current_revision
        || status.available_replicas != s.available_replicas
        || status.update_revision != s.update_revision
}

// ------------------------------------------------------------------------ PVC retention refs

fn matches_ref(r: &OwnerReference, uid: &str, kind: &str) -> bool {
    r.uid == uid && r.kind == kind
}

fn set_owner_ref(claim: &mut PersistentVolumeClaim, r: OwnerReference) -> bool {
    if claim.metadata.owner_references.iter().any(|x| x.uid == r.uid) {
        return false;
    }
    claim.metadata.owner_references.push(r);
    true
}

fn remove_owner_ref(claim: &mut PersistentVolumeClaim, uid: &str, kind: &str) -> bool {
    let before = claim.metadata.owner_references.len();
    claim.metadata.owner_references.retain(|r| !matches_ref(r, uid, kind));
    before != claim.metadata.owner_references.len()
}

pub fn pod_owner_ref(pod: &Pod) -> OwnerReference {
    OwnerReference {
        api_version: "v1".into(),
        kind: "Pod".into(),
        name: pod.metadata.name.clone(),
        uid: pod.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// `updateClaimOwnerRefForSetAndPod`: make the claim's refs follow the retention policy; true if changed.
pub fn update_claim_owner_refs(claim: &mut PersistentVolumeClaim, set: &StatefulSet, pod: &Pod) -> bool {
    let (when_deleted, when_scaled) = set.retention();
    let set_uid = set.metadata.uid.clone();
    let pod_uid = pod.metadata.uid.clone();
    let scaled_down = !pod_in_ordinal_range(pod, set);
    let mut changed = false;
    match (when_scaled, when_deleted) {
        ("Retain", "Delete") => {
            changed |= set_owner_ref(claim, controller_ref(set));
            changed |= remove_owner_ref(claim, &pod_uid, "Pod");
        }
        ("Delete", "Retain") => {
            changed |= remove_owner_ref(claim, &set_uid, "StatefulSet");
            if scaled_down && !pod_uid.is_empty() {
                changed |= set_owner_ref(claim, pod_owner_ref(pod));
            } else {
                changed |= remove_owner_ref(claim, &pod_uid, "Pod");
            }
        }
        ("Delete", "Delete") => {
            if scaled_down && !pod_uid.is_empty() {
                changed |= remove_owner_ref(claim, &set_uid, "StatefulSet");
                changed |= set_owner_ref(claim, pod_owner_ref(pod));
            } else {
                changed |= set_owner_ref(claim, controller_ref(set));
                changed |= remove_owner_ref(claim, &pod_uid, "Pod");
            }
        }
        _ => {
            changed |= remove_owner_ref(claim, &set_uid, "StatefulSet");
            changed |= remove_owner_ref(claim, &pod_uid, "Pod");
        }
    }
    changed
}

/// `hasUnexpectedController`: a controller ref that is neither this set nor this pod.
pub fn has_unexpected_controller(claim: &PersistentVolumeClaim, set: &StatefulSet, pod: &Pod) -> bool {
    claim.metadata.owner_references.iter().any(|r| {
        r.controller == Some(true) && r.uid != set.metadata.uid && !(r.kind == "Pod" && r.name == pod.metadata.name)
    })
}

/// `hasStaleOwnerRef`: the claim is owned by an earlier pod of this name.
pub fn has_stale_owner_ref(claim: &PersistentVolumeClaim, pod: &Pod) -> bool {
    claim
        .metadata
        .owner_references
        .iter()
        .any(|r| r.kind == "Pod" && r.name == pod.metadata.name && r.uid != pod.metadata.uid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        assert_eq!(parent_and_ordinal("web-0"), Some(("web", 0)));
        assert_eq!(parent_and_ordinal("my-app-12"), Some(("my-app", 12)));
        assert_eq!(parent_and_ordinal("web"), None);
        assert_eq!(parent_and_ordinal("web-"), None);
        assert_eq!(parent_and_ordinal("web-x1"), None);
        assert_eq!(parent_and_ordinal("web-99999999999999"), None);
    }

    #[test]
    fn safe_encode_digits() {
        // Digits 0..9 map to 4 5 6 7 8 9 b c d f (reference §2.4).
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
    }

    #[test]
    fn fnv1_known_values() {
        assert_eq!(fnv32(b""), 0x811c9dc5);
        assert_eq!(fnv32(b"a"), 0x050c5d7e);
    }

    #[test]
    fn revision_hash_is_stable_and_template_only() {
        let mut set = StatefulSet::default();
        set.metadata.name = "web".into();
        set.spec.template.spec.containers.push(Container {
            name: "c".into(),
            image: "nginx:1".into(),
            ..Default::default()
        });
        let a = new_revision(&set, 1, 0);
        set.spec.replicas = Some(7);
        let b = new_revision(&set, 2, 0);
        assert_eq!(a.metadata.name, b.metadata.name);
        set.spec.template.spec.containers[0].image = "nginx:2".into();
        let c = new_revision(&set, 3, 0);
        assert_ne!(a.metadata.name, c.metadata.name);
        let hash = a.metadata.name.trim_start_matches("web-");
        assert!(hash.chars().all(|ch| "456789bcdf".contains(ch)), "{hash}");
    }
}
