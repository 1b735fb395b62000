//! API-server semantics on top of the store: errors with kubectl's wording, defaulting, admission
//! (default StorageClass, default tolerations, service account volume, protection finalizers),
//! validation, graceful deletion and delete propagation.

use crate::store::ObjKey;
use crate::world::World;
use serde_json::json;
use stsplay_model::defaults;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::*;
use stsplay_model::time::Time;
use stsplay_model::validation::{self, FieldError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusReason {
    NotFound,
    AlreadyExists,
    Invalid,
    BadRequest,
    Conflict,
    Forbidden,
}

impl StatusReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusReason::NotFound => "NotFound",
            StatusReason::AlreadyExists => "AlreadyExists",
            StatusReason::Invalid => "Invalid",
            StatusReason::BadRequest => "BadRequest",
            StatusReason::Conflict => "Conflict",
            StatusReason::Forbidden => "Forbidden",
        }
    }
}

/// A `metav1.Status` failure.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub reason: StatusReason,
    /// The server's `metav1.Status.message`.
    pub message: String,
    pub causes: Vec<FieldError>,
    /// For Invalid: the kind and name kubectl names in `The StatefulSet "web" is invalid: ...`.
    pub details: Option<(Kind, String)>,
}

impl ApiError {
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: StatusReason::NotFound,
            message: format!("{} {:?} not found", kind.qualified_plural(), name),
            causes: vec![],
            details: None,
        }
    }
    pub fn already_exists(kind: Kind, name: &str) -> ApiError {
        ApiError {
            reason: StatusReason::AlreadyExists,
            message: format!("{} {:?} already exists", kind.qualified_plural(), name),
            causes: vec![],
            details: None,
        }
    }
    /// `errors.NewInvalid`: message `StatefulSet.apps "web" is invalid: <aggregate>`.
    pub fn invalid(kind: Kind, name: &str, causes: Vec<FieldError>) -> ApiError {
        let qualified = match kind.group() {
            "" => kind.name().to_string(),
            g => format!("{}.{g}", kind.name()),
        };
        let agg = if causes.len() == 1 {
            causes[0].to_string()
        } else {
            format!("[{}]", causes.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", "))
        };
        ApiError {
            reason: StatusReason::Invalid,
            message: format!("{qualified} {name:?} is invalid: {agg}"),
            causes,
            details: Some((kind, name.to_string())),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError { reason: StatusReason::BadRequest, message: message.into(), causes: vec![], details: None }
    }
    /// How kubectl prints it (`helpers.go` CheckErr): Invalid errors are rebuilt from their causes.
    pub fn kubectl_text(&self) -> String {
        match (&self.reason, &self.details) {
            (StatusReason::Invalid, Some((kind, name))) => validation::invalid_message(*kind, name, &self.causes),
            (r, _) => format!("Error from server ({}): {}", r.as_str(), self.message),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// `DeleteOptions.propagationPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Propagation {
    #[default]
    Background,
    Foreground,
    Orphan,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeleteOptions {
    /// `--grace-period`; None = the object's own default.
    pub grace_period_seconds: Option<i64>,
    pub propagation: Propagation,
}

pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";
pub const FOREGROUND_DELETION: &str = "foregroundDeletion";
pub const ORPHAN_FINALIZER: &str = "orphan";

impl World {
    /// Creates an object as the API server would: defaulting, admission, validation, then storage.
    pub fn api_create(&mut self, obj: Object) -> Result<Object, ApiError> {
        self.create(obj).map(|stored| (*stored).clone())
    }

    /// `api_create` returning the stored object shared with the store (controllers create often and
    /// mostly ignore the result: no copy).
    pub(crate) fn create(&mut self, mut obj: Object) -> Result<std::rc::Rc<Object>, ApiError> {
        let kind = obj.kind();
        if kind.namespaced() && obj.meta().namespace.is_empty() {
            obj.meta_mut().namespace = "default".into();
        }
        if !kind.namespaced() {
            obj.meta_mut().namespace.clear();
        }
        if obj.meta().name.is_empty() && !obj.meta().generate_name.is_empty() {
            let name = format!("{}{}", obj.meta().generate_name, self.rng.k8s_suffix(5));
            obj.meta_mut().name = name;
        }
        self.apply_defaults(&mut obj);
        self.admit(&mut obj);
        let errs = validation::validate_create(&obj);
        if !errs.is_empty() {
            return Err(ApiError::invalid(kind, &obj.meta().name.clone(), errs));
        }
        let key = ObjKey::of(&obj);
        if self.store.get(&key).is_some() {
            return Err(ApiError::already_exists(kind, &key.name));
        }
        // The playground's own quota: a browser tab cannot hold an unbounded cluster. Like a ResourceQuota,
        // creations beyond it are refused (the StatefulSet controller reports FailedCreate and backs off).
        if let Some(limit) = object_limit(kind, self.max_pods) {
            if self.store.count(kind) >= limit {
                return Err(ApiError {
                    reason: StatusReason::Forbidden,
                    message: format!(
                        "{} {:?} is forbidden: exceeded quota: stsplay, this playground simulates at most {limit} {}",
                        kind.plural(),
                        key.name,
                        kind.plural()
                    ),
                    causes: vec![],
                    details: None,
                });
            }
        }
        // Server-owned metadata never comes from the client.
        let m = obj.meta_mut();
        m.uid = String::new();
        m.resource_version.clear();
        m.deletion_timestamp = None;
        m.deletion_grace_period_seconds = None;
        m.uid = self.rng.uuid();
        self.allocate(&mut obj);
        let stored = self.store.insert(obj, self.now);
        self.changed();
        Ok(stored)
    }

    /// Replaces an object (PUT): defaulting, validation of the update, then storage.
    /// Returns the stored object and whether anything changed.
    pub fn api_update(&mut self, mut obj: Object) -> Result<(Object, bool), ApiError> {
        let kind = obj.kind();
        if kind.namespaced() && obj.meta().namespace.is_empty() {
            obj.meta_mut().namespace = "default".into();
        }
        let key = ObjKey::of(&obj);
        let Some(old) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(kind, &key.name));
        };
        self.apply_defaults(&mut obj);
        // Status is not writable through the main resource; metadata the server owns is kept.
        preserve_server_fields(&mut obj, &old);
        {
            let (m, om) = (obj.meta_mut(), old.meta());
            m.deletion_timestamp = om.deletion_timestamp;
            m.deletion_grace_period_seconds = om.deletion_grace_period_seconds;
        }
        let errs = validation::validate_update(&obj, &old);
        if !errs.is_empty() {
            return Err(ApiError::invalid(kind, &key.name, errs));
        }
        let changed = self.store.replace_with(obj, self.now, true);
        if changed {
            self.changed();
        }
        Ok((self.store.get(&key).cloned().unwrap_or(old), changed))
    }

    /// A controller's or kubelet's write (status or metadata), no validation.
    pub fn write(&mut self, obj: Object) -> bool {
        let changed = self.store.replace(obj, self.now);
        if changed {
            self.changed();
        }
        changed
    }

    /// DELETE: graceful for pods, finalizers respected, propagation as requested.
    pub fn api_delete(&mut self, kind: Kind, ns: &str, name: &str, opts: DeleteOptions) -> Result<Object, ApiError> {
        self.delete_impl(kind, ns, name, opts, true).map(|o| o.expect("asked for the object"))
    }

    /// `api_delete` for controllers, which ignore the object it returns (no copies made for it).
    pub(crate) fn delete(&mut self, kind: Kind, ns: &str, name: &str, opts: DeleteOptions) -> Result<(), ApiError> {
        self.delete_impl(kind, ns, name, opts, false).map(|_| ())
    }

    /// DELETE; returns the object as `api_delete` describes it only when `want` is set.
    fn delete_impl(
        &mut self,
        kind: Kind,
        ns: &str,
        name: &str,
        opts: DeleteOptions,
        want: bool,
    ) -> Result<Option<Object>, ApiError> {
        let key = ObjKey::new(kind, ns, name);
        let Some(mut obj) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(kind, name));
        };
        let now = Time(self.now);
        // Propagation: orphan and foreground are finalizers on the owner; background is the GC's job.
        match opts.propagation {
            Propagation::Orphan => {
                if !obj.meta().finalizers.iter().any(|f| f == ORPHAN_FINALIZER) {
                    obj.meta_mut().finalizers.push(ORPHAN_FINALIZER.into());
                }
            }
            Propagation::Foreground => {
                if !obj.meta().finalizers.iter().any(|f| f == FOREGROUND_DELETION) {
                    obj.meta_mut().finalizers.push(FOREGROUND_DELETION.into());
                }
            }
            Propagation::Background => {}
        }
        let grace = match &obj {
            Object::Pod(p) => {
                let unscheduled = p.spec.node_name.is_empty();
                let finished = matches!(p.status.phase.as_str(), "Failed" | "Succeeded");
                if unscheduled || finished {
                    0
                } else {
                    opts.grace_period_seconds.unwrap_or(p.spec.termination_grace_period_seconds.unwrap_or(30)).max(0)
                }
            }
            _ => 0,
        };
        let force = matches!(obj, Object::Pod(_)) && opts.grace_period_seconds == Some(0);
        if obj.meta().is_terminating() {
            // Already terminating: a shorter grace period (force) may finish it; otherwise nothing changes.
            if force || grace == 0 && obj.meta().finalizers.is_empty() {
                self.finalize_delete(&key);
            }
            return Ok(Some(obj));
        }
        let needs_wait = !obj.meta().finalizers.is_empty() || grace > 0;
        if needs_wait && !force {
            let m = obj.meta_mut();
            m.deletion_timestamp = Some(Time(now.0.plus_secs(grace)));
            m.deletion_grace_period_seconds = Some(grace);
            let copy = want.then(|| obj.clone());
            self.store.replace(obj, self.now);
            self.changed();
            self.on_deletion_started(&key);
            return Ok(copy.map(|obj| self.store.get(&key).cloned().unwrap_or(obj)));
        }
        if force && !obj.meta().finalizers.is_empty() {
            // Force skips the grace period, never finalizers.
            let m = obj.meta_mut();
            m.deletion_timestamp = Some(now);
            m.deletion_grace_period_seconds = Some(0);
            let copy = want.then(|| obj.clone());
            self.store.replace(obj, self.now);
            self.changed();
            self.on_deletion_started(&key);
            return Ok(copy);
        }
        self.finalize_delete(&key);
        Ok(Some(obj))
    }

    /// Removes the object now (grace period over or forced; finalizers already gone).
    pub fn finalize_delete(&mut self, key: &ObjKey) {
        if let Some(obj) = self.store.remove(key, self.now) {
            self.on_removed(&obj);
            self.changed();
        }
    }

    /// Removes one finalizer; deletes the object if it was terminating and none are left.
    pub fn remove_finalizer(&mut self, key: &ObjKey, finalizer: &str) {
        let Some(mut obj) = self.store.get(key).cloned() else { return };
        let before = obj.meta().finalizers.len();
        obj.meta_mut().finalizers.retain(|f| f != finalizer);
        if obj.meta().finalizers.len() == before {
            return;
        }
        let done = obj.meta().is_terminating() && obj.meta().finalizers.is_empty();
        let grace_left = match &obj {
            Object::Pod(p) => !p.spec.node_name.is_empty() && self.pod_still_running(p),
            _ => false,
        };
        self.write(obj);
        if done && !grace_left {
            self.finalize_delete(key);
        }
    }

    fn apply_defaults(&self, obj: &mut Object) {
        match obj {
            Object::StatefulSet(s) => defaults::default_stateful_set(s, self.gates),
            Object::Pod(p) => defaults::default_pod(p),
            Object::PersistentVolumeClaim(c) => defaults::default_pvc_spec(&mut c.spec),
            Object::PersistentVolume(v) => defaults::default_pv(v),
            Object::StorageClass(c) => defaults::default_storage_class(c),
            Object::Service(s) => defaults::default_service(s),
            _ => {}
        }
    }

    /// Mutating admission plugins that a kind/minikube cluster runs by default.
    fn admit(&mut self, obj: &mut Object) {
        match obj {
            Object::PersistentVolumeClaim(c) => {
                // DefaultStorageClass: only when the field is absent (an explicit "" means "no class").
                if c.spec.storage_class_name.is_none() {
                    if let Some(sc) = self.default_storage_class() {
                        c.spec.storage_class_name = Some(sc);
                    }
                }
                if !c.metadata.finalizers.iter().any(|f| f == PVC_PROTECTION) {
                    c.metadata.finalizers.push(PVC_PROTECTION.into());
                }
                c.status = Some(PersistentVolumeClaimStatus { phase: "Pending".into(), ..Default::default() });
            }
            Object::PersistentVolume(v) => {
                if !v.metadata.finalizers.iter().any(|f| f == PV_PROTECTION) {
                    v.metadata.finalizers.push(PV_PROTECTION.into());
                }
                v.status = PersistentVolumeStatus { phase: "Pending".into(), ..Default::default() };
            }
            Object::Pod(p) => self.admit_pod(p),
            _ => {}
        }
    }

    fn admit_pod(&mut self, p: &mut Pod) {
        let secs = self.stages.node_lifecycle.default_toleration_seconds;
        for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
            let has = p
                .spec
                .tolerations
                .iter()
                .any(|t| t.key.as_deref() == Some(key) && t.effect.as_deref().is_none_or(|e| e == "NoExecute"));
            if !has {
                p.spec.tolerations.push(Toleration {
                    key: Some(key.into()),
                    operator: Some("Exists".into()),
                    value: None,
                    effect: Some("NoExecute".into()),
                    toleration_seconds: Some(secs),
                });
            }
        }
        p.spec.extra.entry("serviceAccountName".into()).or_insert(json!("default"));
        p.spec.extra.entry("serviceAccount".into()).or_insert(json!("default"));
        p.spec.extra.entry("priority".into()).or_insert(json!(0));
        p.spec.extra.entry("preemptionPolicy".into()).or_insert(json!("PreemptLowerPriority"));
        if !p.spec.volumes.iter().any(|v| v.name.starts_with("kube-api-access-")) {
            let name = format!("kube-api-access-{}", self.rng.k8s_suffix(5));
            let mut extra = Extra::new();
            extra.insert(
                "projected".into(),
                json!({
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                        {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}]}}
                    ]
                }),
            );
            p.spec.volumes.push(Volume { name: name.clone(), persistent_volume_claim: None, extra });
            for c in p.spec.containers.iter_mut().chain(p.spec.init_containers.iter_mut()) {
                c.volume_mounts.push(VolumeMount {
                    name: name.clone(),
                    mount_path: "/var/run/secrets/kubernetes.io/serviceaccount".into(),
                    read_only: Some(true),
                    sub_path: None,
                    extra: Extra::new(),
                });
            }
        }
        p.status.phase = "Pending".into();
        p.status.qos_class = Some("BestEffort".into());
    }

    /// Server-side allocation after validation: Service ClusterIPs.
    fn allocate(&mut self, obj: &mut Object) {
        if let Object::Service(s) = obj {
            let ip = match s.spec.cluster_ip.as_deref() {
                Some(ip) if !ip.is_empty() => ip.to_string(),
                _ => {
                    self.next_service_ip += 1;
                    let n = self.next_service_ip;
                    format!("10.96.{}.{}", (n / 250) % 256, n % 250 + 2)
                }
            };
            s.spec.cluster_ip = Some(ip.clone());
            s.spec.cluster_ips = vec![ip];
        }
    }

    pub fn default_storage_class(&self) -> Option<String> {
        self.store
            .list(Kind::StorageClass, None)
            .filter_map(|o| o.as_storage_class())
            .find(|sc| sc.is_default())
            .map(|sc| sc.metadata.name.clone())
    }
}

/// Most pods (and claims, volumes) the playground keeps by default (`World::max_pods`).
pub const MAX_PODS: usize = 20_000;

fn object_limit(kind: Kind, max_pods: usize) -> Option<usize> {
    match kind {
        Kind::Pod | Kind::PersistentVolumeClaim | Kind::PersistentVolume => Some(max_pods),
        Kind::ControllerRevision | Kind::Service | Kind::StatefulSet | Kind::StorageClass => Some(1_000),
        Kind::Node | Kind::Event => None,
    }
}

/// On update, status and server-owned metadata come from the stored object.
fn preserve_server_fields(obj: &mut Object, old: &Object) {
    match (obj, old) {
        (Object::StatefulSet(n), Object::StatefulSet(o)) => n.status = o.status.clone(),
        (Object::Pod(n), Object::Pod(o)) => {
            n.status = o.status.clone();
            if n.spec.node_name.is_empty() {
                n.spec.node_name = o.spec.node_name.clone();
            }
        }
        (Object::PersistentVolumeClaim(n), Object::PersistentVolumeClaim(o)) => {
            n.status = o.status.clone();
            if n.spec.volume_name.is_none() {
                n.spec.volume_name = o.spec.volume_name.clone();
            }
            if n.spec.storage_class_name.is_none() {
                n.spec.storage_class_name = o.spec.storage_class_name.clone();
            }
        }
        (Object::PersistentVolume(n), Object::PersistentVolume(o)) => n.status = o.status.clone(),
        (Object::Service(n), Object::Service(o)) => {
            n.status = o.status.clone();
            if n.spec.cluster_ip.is_none() {
                n.spec.cluster_ip = o.spec.cluster_ip.clone();
                n.spec.cluster_ips = o.spec.cluster_ips.clone();
            }
        }
        (Object::Node(n), Object::Node(o)) => n.status = o.status.clone(),
        _ => {}
    }
}
