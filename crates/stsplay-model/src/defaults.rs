//! Defaulting as the API server does it (kubernetes `pkg/apis/*/v1/defaults.go`), so `-o yaml` shows the
//! same fields a real cluster shows. Admission-time additions (default StorageClass, tolerations, service
//! account volume) live in the cluster crate because they depend on cluster state.

use crate::objects::*;
use serde_json::{json, Value};

/// Whether the `MaxUnavailableStatefulSet` feature gate is on (off by default in 1.34; reference §0.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FeatureGates {
    pub max_unavailable_stateful_set: bool,
}

/// `SetDefaults_StatefulSet` plus the nested pod template and claim templates.
pub fn default_stateful_set(sts: &mut StatefulSet, gates: FeatureGates) {
    let spec = &mut sts.spec;
    if spec.pod_management_policy.is_empty() {
        spec.pod_management_policy = "OrderedReady".into();
    }
    if spec.update_strategy.type_.is_empty() {
        spec.update_strategy.type_ = "RollingUpdate".into();
        if spec.update_strategy.rolling_update.is_none() {
            spec.update_strategy.rolling_update = Some(RollingUpdateStatefulSetStrategy::default());
        }
    }
    if spec.update_strategy.type_ == "RollingUpdate" {
        if let Some(ru) = spec.update_strategy.rolling_update.as_mut() {
            if ru.partition.is_none() {
                ru.partition = Some(0);
            }
            if gates.max_unavailable_stateful_set && ru.max_unavailable.is_none() {
                ru.max_unavailable = Some(json!(1));
            }
        }
    }
    if spec.replicas.is_none() {
        spec.replicas = Some(1);
    }
    if spec.revision_history_limit.is_none() {
        spec.revision_history_limit = Some(10);
    }
    let policy = spec.persistent_volume_claim_retention_policy.get_or_insert_with(Default::default);
    if policy.when_deleted.is_empty() {
        policy.when_deleted = "Retain".into();
    }
    if policy.when_scaled.is_empty() {
        policy.when_scaled = "Retain".into();
    }
    default_template_meta(&mut spec.template.metadata);
    default_pod_spec(&mut spec.template.spec);
    for t in &mut spec.volume_claim_templates {
        t.api_version = Some("v1".into());
        t.kind = Some("PersistentVolumeClaim".into());
        default_template_meta(&mut t.metadata);
        default_pvc_spec(&mut t.spec);
        t.status = Some(PersistentVolumeClaimStatus { phase: "Pending".into(), ..Default::default() });
    }
}

/// Embedded object metadata serializes `creationTimestamp: null` (metav1.Time is a struct, not omitted).
fn default_template_meta(meta: &mut ObjectMeta) {
    meta.extra.entry("creationTimestamp".into()).or_insert(Value::Null);
}

/// `SetDefaults_PodSpec` and the per-container defaults.
pub fn default_pod_spec(spec: &mut PodSpec) {
    if spec.restart_policy.is_none() {
        spec.restart_policy = Some("Always".into());
    }
    if spec.dns_policy.is_none() {
        spec.dns_policy = Some("ClusterFirst".into());
    }
    if spec.scheduler_name.is_none() {
        spec.scheduler_name = Some("default-scheduler".into());
    }
    if spec.termination_grace_period_seconds.is_none() {
        spec.termination_grace_period_seconds = Some(30);
    }
    spec.extra.entry("securityContext".into()).or_insert_with(|| json!({}));
    for c in spec.init_containers.iter_mut().chain(spec.containers.iter_mut()) {
        default_container(c);
    }
    for v in &mut spec.volumes {
        default_volume(v);
    }
}

fn default_volume(v: &mut Volume) {
    // Volume sources with defaulted fields that show up in -o yaml.
    if let Some(Value::Object(cm)) = v.extra.get_mut("configMap") {
        cm.entry("defaultMode").or_insert(json!(420));
    }
    if let Some(Value::Object(s)) = v.extra.get_mut("secret") {
        s.entry("defaultMode").or_insert(json!(420));
    }
    if let Some(Value::Object(hp)) = v.extra.get_mut("hostPath") {
        hp.entry("type").or_insert(json!(""));
    }
}

/// The image's tag, or None when the reference has no tag (digests count as tags for pull policy).
pub fn image_tag(image: &str) -> Option<&str> {
    if image.contains('@') {
        return Some("@digest");
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, t)| t)
}

fn default_container(c: &mut Container) {
    if c.image_pull_policy.is_none() {
        let tag = image_tag(&c.image);
        c.image_pull_policy =
            Some(if tag.is_none() || tag == Some("latest") { "Always" } else { "IfNotPresent" }.into());
    }
    if c.termination_message_path.is_none() {
        c.termination_message_path = Some("/dev/termination-log".into());
    }
    if c.termination_message_policy.is_none() {
        c.termination_message_policy = Some("File".into());
    }
    if c.resources.is_none() {
        c.resources = Some(json!({}));
    }
    for p in &mut c.ports {
        if p.protocol.is_none() {
            p.protocol = Some("TCP".into());
        }
    }
    for probe in [c.readiness_probe.as_mut(), c.liveness_probe.as_mut()].into_iter().flatten() {
        default_probe(probe);
    }
    if let Some(Value::Object(p)) = c.extra.get_mut("startupProbe") {
        for (k, v) in [("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3)] {
            p.entry(k).or_insert(json!(v));
        }
    }
    for e in &mut c.env {
        if let Some(Value::Object(from)) = e.extra.get_mut("valueFrom") {
            if let Some(Value::Object(fr)) = from.get_mut("fieldRef") {
                fr.entry("apiVersion").or_insert(json!("v1"));
            }
        }
    }
}

fn default_probe(p: &mut Probe) {
    p.timeout_seconds.get_or_insert(1);
    p.period_seconds.get_or_insert(10);
    p.success_threshold.get_or_insert(1);
    p.failure_threshold.get_or_insert(3);
    if let Some(Value::Object(h)) = p.extra.get_mut("httpGet") {
        h.entry("scheme").or_insert(json!("HTTP"));
    }
}

pub fn default_pvc_spec(spec: &mut PersistentVolumeClaimSpec) {
    if spec.volume_mode.is_none() {
        spec.volume_mode = Some("Filesystem".into());
    }
}

pub fn default_pv(pv: &mut PersistentVolume) {
    if pv.spec.persistent_volume_reclaim_policy.is_none() {
        pv.spec.persistent_volume_reclaim_policy = Some("Retain".into());
    }
    if pv.spec.volume_mode.is_none() {
        pv.spec.volume_mode = Some("Filesystem".into());
    }
    if let Some(Value::Object(hp)) = pv.spec.extra.get_mut("hostPath") {
        hp.entry("type").or_insert(json!(""));
    }
}

pub fn default_storage_class(sc: &mut StorageClass) {
    if sc.reclaim_policy.is_none() {
        sc.reclaim_policy = Some("Delete".into());
    }
    if sc.volume_binding_mode.is_none() {
        sc.volume_binding_mode = Some("Immediate".into());
    }
}

/// `SetDefaults_Service` and friends (the ClusterIP itself is allocated by the cluster).
pub fn default_service(svc: &mut Service) {
    let spec = &mut svc.spec;
    if spec.type_.is_none() {
        spec.type_ = Some("ClusterIP".into());
    }
    spec.extra.entry("sessionAffinity".into()).or_insert(json!("None"));
    spec.extra.entry("internalTrafficPolicy".into()).or_insert(json!("Cluster"));
    spec.extra.entry("ipFamilies".into()).or_insert(json!(["IPv4"]));
    spec.extra.entry("ipFamilyPolicy".into()).or_insert(json!("SingleStack"));
    for p in &mut spec.ports {
        if p.protocol.is_none() {
            p.protocol = Some("TCP".into());
        }
        if p.target_port.is_none() {
            p.target_port = Some(json!(p.port));
        }
    }
    if svc.status.is_null() {
        svc.status = json!({"loadBalancer": {}});
    }
}

/// `SetDefaults_Pod` on top of the pod spec defaults.
pub fn default_pod(pod: &mut Pod) {
    default_pod_spec(&mut pod.spec);
    pod.spec.extra.entry("enableServiceLinks".into()).or_insert(json!(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sts_defaults_like_the_api_server() {
        let mut sts = StatefulSet::default();
        default_stateful_set(&mut sts, FeatureGates::default());
        assert_eq!(sts.spec.replicas, Some(1));
        assert_eq!(sts.spec.pod_management_policy, "OrderedReady");
        assert_eq!(sts.spec.update_strategy.type_, "RollingUpdate");
        assert_eq!(sts.spec.update_strategy.rolling_update.as_ref().unwrap().partition, Some(0));
        assert_eq!(sts.spec.update_strategy.rolling_update.as_ref().unwrap().max_unavailable, None);
        assert_eq!(sts.spec.revision_history_limit, Some(10));
        assert_eq!(sts.retention(), ("Retain", "Retain"));
    }

    #[test]
    fn explicit_rolling_update_type_keeps_rolling_update_nil() {
        let mut sts = StatefulSet::default();
        sts.spec.update_strategy.type_ = "RollingUpdate".into();
        default_stateful_set(&mut sts, FeatureGates::default());
        assert!(sts.spec.update_strategy.rolling_update.is_none());
    }

    #[test]
    fn max_unavailable_defaulted_only_with_gate() {
        let mut sts = StatefulSet::default();
        default_stateful_set(&mut sts, FeatureGates { max_unavailable_stateful_set: true });
        assert_eq!(sts.spec.update_strategy.rolling_update.unwrap().max_unavailable, Some(json!(1)));
    }

    #[test]
    fn pull_policy() {
        for (image, want) in [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.25", "IfNotPresent"),
            ("ikubernetes/myapp:v1", "IfNotPresent"),
            ("localhost:5000/app", "Always"),
            ("nginx@sha256:abc", "IfNotPresent"),
        ] {
            let mut c = Container { name: "c".into(), image: image.into(), ..Default::default() };
            default_container(&mut c);
            assert_eq!(c.image_pull_policy.as_deref(), Some(want), "{image}");
        }
    }
}
