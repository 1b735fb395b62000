//! Regenerates `crates/stsplay-model/data/schema.json` (compact structural schema, bundled
//! into the wasm build) and `crates/stsplay-model/data/descriptions.json` (field documentation
//! for `kubectl explain`, loaded lazily) from the `k8s-openapi` crate (feature `v1_34`).
//!
//! Usage: `cargo run --release -- <output dir>` (default: `../../crates/stsplay-model/data`).
//!
//! What comes from where:
//! * types, properties, JSON names, `required` lists, integer formats, descriptions: the
//!   schemars schemas that k8s-openapi generates from the Kubernetes OpenAPI document;
//! * Go type names for structs (`v1.Container`): the last two segments of the OpenAPI
//!   definition name (`io.k8s.api.core.v1.Container`);
//! * Go named string/map types (`v1.PullPolicy`, `v1.ResourceList`, `types.UID`) and enum
//!   values: NOT present in k8s-openapi's schemas (it strips the `enum` lists and the
//!   "Possible enum values" paragraphs), so they come from the curated table `GO_NAMED` below,
//!   transcribed from the `+enum` markers and type declarations in k8s.io/api v0.34 types.go.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use k8s_openapi::api::apps::v1::{ControllerRevision, StatefulSet};
use k8s_openapi::api::core::v1::{
    Event, Node, PersistentVolume, PersistentVolumeClaim, Pod, Service,
};
use k8s_openapi::api::storage::v1::StorageClass;
use k8s_openapi::{NamespaceResourceScope, Resource};
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

/// (type key, field) -> (Go type of the field's scalar/element, enum values).
/// For arrays the Go name is that of the element; for maps it is the map type itself.
const GO_NAMED: &[(&str, &str, &str, &[&str])] = &[
    // apps/v1
    (
        "apps.v1.StatefulSetSpec",
        "podManagementPolicy",
        "v1.PodManagementPolicyType",
        &["OrderedReady", "Parallel"],
    ),
    (
        "apps.v1.StatefulSetUpdateStrategy",
        "type",
        "v1.StatefulSetUpdateStrategyType",
        &["OnDelete", "RollingUpdate"],
    ),
    (
        "apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy",
        "whenDeleted",
        "v1.PersistentVolumeClaimRetentionPolicyType",
        &["Delete", "Retain"],
    ),
    (
        "apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy",
        "whenScaled",
        "v1.PersistentVolumeClaimRetentionPolicyType",
        &["Delete", "Retain"],
    ),
    (
        "apps.v1.StatefulSetCondition",
        "type",
        "v1.StatefulSetConditionType",
        &[],
    ),
    (
        "apps.v1.StatefulSetCondition",
        "status",
        "v1.ConditionStatus",
        &[],
    ),
    // meta/v1
    ("meta.v1.ObjectMeta", "uid", "types.UID", &[]),
    ("meta.v1.OwnerReference", "uid", "types.UID", &[]),
    (
        "meta.v1.LabelSelectorRequirement",
        "operator",
        "v1.LabelSelectorOperator",
        &[],
    ),
    (
        "meta.v1.ManagedFieldsEntry",
        "operation",
        "v1.ManagedFieldsOperationType",
        &[],
    ),
    ("meta.v1.Condition", "status", "v1.ConditionStatus", &[]),
    // core/v1 containers
    (
        "core.v1.Container",
        "imagePullPolicy",
        "v1.PullPolicy",
        &["Always", "IfNotPresent", "Never"],
    ),
    (
        "core.v1.Container",
        "terminationMessagePolicy",
        "v1.TerminationMessagePolicy",
        &["FallbackToLogsOnError", "File"],
    ),
    (
        "core.v1.Container",
        "restartPolicy",
        "v1.ContainerRestartPolicy",
        &[],
    ),
    (
        "core.v1.EphemeralContainer",
        "imagePullPolicy",
        "v1.PullPolicy",
        &["Always", "IfNotPresent", "Never"],
    ),
    (
        "core.v1.EphemeralContainer",
        "terminationMessagePolicy",
        "v1.TerminationMessagePolicy",
        &["FallbackToLogsOnError", "File"],
    ),
    (
        "core.v1.EphemeralContainer",
        "restartPolicy",
        "v1.ContainerRestartPolicy",
        &[],
    ),
    (
        "core.v1.ContainerPort",
        "protocol",
        "v1.Protocol",
        &["SCTP", "TCP", "UDP"],
    ),
    (
        "core.v1.ServicePort",
        "protocol",
        "v1.Protocol",
        &["SCTP", "TCP", "UDP"],
    ),
    (
        "core.v1.PortStatus",
        "protocol",
        "v1.Protocol",
        &["SCTP", "TCP", "UDP"],
    ),
    (
        "core.v1.ContainerResizePolicy",
        "resourceName",
        "v1.ResourceName",
        &[],
    ),
    (
        "core.v1.ContainerResizePolicy",
        "restartPolicy",
        "v1.ResourceResizeRestartPolicy",
        &["NotRequired", "RestartContainer"],
    ),
    (
        "core.v1.SecurityContext",
        "procMount",
        "v1.ProcMountType",
        &["Default", "Unmasked"],
    ),
    ("core.v1.Capabilities", "add", "v1.Capability", &[]),
    ("core.v1.Capabilities", "drop", "v1.Capability", &[]),
    (
        "core.v1.SeccompProfile",
        "type",
        "v1.SeccompProfileType",
        &["Localhost", "RuntimeDefault", "Unconfined"],
    ),
    (
        "core.v1.AppArmorProfile",
        "type",
        "v1.AppArmorProfileType",
        &["Localhost", "RuntimeDefault", "Unconfined"],
    ),
    (
        "core.v1.VolumeMount",
        "mountPropagation",
        "v1.MountPropagationMode",
        &["Bidirectional", "HostToContainer", "None"],
    ),
    (
        "core.v1.VolumeMount",
        "recursiveReadOnly",
        "v1.RecursiveReadOnlyMode",
        &["Disabled", "Enabled", "IfPossible"],
    ),
    (
        "core.v1.HTTPGetAction",
        "scheme",
        "v1.URIScheme",
        &["HTTP", "HTTPS"],
    ),
    ("core.v1.Lifecycle", "stopSignal", "v1.Signal", &[]),
    (
        "core.v1.ResourceRequirements",
        "limits",
        "v1.ResourceList",
        &[],
    ),
    (
        "core.v1.ResourceRequirements",
        "requests",
        "v1.ResourceList",
        &[],
    ),
    (
        "core.v1.VolumeResourceRequirements",
        "limits",
        "v1.ResourceList",
        &[],
    ),
    (
        "core.v1.VolumeResourceRequirements",
        "requests",
        "v1.ResourceList",
        &[],
    ),
    // core/v1 pod spec
    (
        "core.v1.PodSpec",
        "restartPolicy",
        "v1.RestartPolicy",
        &["Always", "Never", "OnFailure"],
    ),
    (
        "core.v1.PodSpec",
        "dnsPolicy",
        "v1.DNSPolicy",
        &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
    ),
    (
        "core.v1.PodSpec",
        "preemptionPolicy",
        "v1.PreemptionPolicy",
        &["Never", "PreemptLowerPriority"],
    ),
    ("core.v1.PodSpec", "overhead", "v1.ResourceList", &[]),
    ("core.v1.PodOS", "name", "v1.OSName", &["linux", "windows"]),
    (
        "core.v1.Toleration",
        "operator",
        "v1.TolerationOperator",
        &["Equal", "Exists"],
    ),
    (
        "core.v1.Toleration",
        "effect",
        "v1.TaintEffect",
        &["NoExecute", "NoSchedule", "PreferNoSchedule"],
    ),
    (
        "core.v1.Taint",
        "effect",
        "v1.TaintEffect",
        &["NoExecute", "NoSchedule", "PreferNoSchedule"],
    ),
    (
        "core.v1.TopologySpreadConstraint",
        "whenUnsatisfiable",
        "v1.UnsatisfiableConstraintAction",
        &["DoNotSchedule", "ScheduleAnyway"],
    ),
    (
        "core.v1.TopologySpreadConstraint",
        "nodeAffinityPolicy",
        "v1.NodeInclusionPolicy",
        &["Honor", "Ignore"],
    ),
    (
        "core.v1.TopologySpreadConstraint",
        "nodeTaintsPolicy",
        "v1.NodeInclusionPolicy",
        &["Honor", "Ignore"],
    ),
    (
        "core.v1.NodeSelectorRequirement",
        "operator",
        "v1.NodeSelectorOperator",
        &["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"],
    ),
    (
        "core.v1.PodSecurityContext",
        "fsGroupChangePolicy",
        "v1.PodFSGroupChangePolicy",
        &["Always", "OnRootMismatch"],
    ),
    (
        "core.v1.PodSecurityContext",
        "seLinuxChangePolicy",
        "v1.PodSELinuxChangePolicy",
        &[],
    ),
    (
        "core.v1.PodSecurityContext",
        "supplementalGroupsPolicy",
        "v1.SupplementalGroupsPolicy",
        &["Merge", "Strict"],
    ),
    (
        "core.v1.PodReadinessGate",
        "conditionType",
        "v1.PodConditionType",
        &[],
    ),
    (
        "core.v1.PodStatus",
        "phase",
        "v1.PodPhase",
        &["Failed", "Pending", "Running", "Succeeded", "Unknown"],
    ),
    (
        "core.v1.PodStatus",
        "qosClass",
        "v1.PodQOSClass",
        &["BestEffort", "Burstable", "Guaranteed"],
    ),
    ("core.v1.PodStatus", "resize", "v1.PodResizeStatus", &[]),
    ("core.v1.PodCondition", "type", "v1.PodConditionType", &[]),
    ("core.v1.PodCondition", "status", "v1.ConditionStatus", &[]),
    (
        "core.v1.ContainerStatus",
        "allocatedResources",
        "v1.ResourceList",
        &[],
    ),
    (
        "core.v1.HostPathVolumeSource",
        "type",
        "v1.HostPathType",
        &[
            "",
            "BlockDevice",
            "CharDevice",
            "Directory",
            "DirectoryOrCreate",
            "File",
            "FileOrCreate",
            "Socket",
        ],
    ),
    (
        "core.v1.EmptyDirVolumeSource",
        "medium",
        "v1.StorageMedium",
        &[],
    ),
    (
        "core.v1.AzureDiskVolumeSource",
        "cachingMode",
        "v1.AzureDataDiskCachingMode",
        &[],
    ),
    (
        "core.v1.AzureDiskVolumeSource",
        "kind",
        "v1.AzureDataDiskKind",
        &[],
    ),
    // core/v1 storage
    (
        "core.v1.PersistentVolumeClaimSpec",
        "accessModes",
        "v1.PersistentVolumeAccessMode",
        &[
            "ReadOnlyMany",
            "ReadWriteMany",
            "ReadWriteOnce",
            "ReadWriteOncePod",
        ],
    ),
    (
        "core.v1.PersistentVolumeClaimSpec",
        "volumeMode",
        "v1.PersistentVolumeMode",
        &["Block", "Filesystem"],
    ),
    (
        "core.v1.PersistentVolumeClaimStatus",
        "accessModes",
        "v1.PersistentVolumeAccessMode",
        &[
            "ReadOnlyMany",
            "ReadWriteMany",
            "ReadWriteOnce",
            "ReadWriteOncePod",
        ],
    ),
    (
        "core.v1.PersistentVolumeClaimStatus",
        "phase",
        "v1.PersistentVolumeClaimPhase",
        &["Bound", "Lost", "Pending"],
    ),
    (
        "core.v1.PersistentVolumeClaimStatus",
        "capacity",
        "v1.ResourceList",
        &[],
    ),
    (
        "core.v1.PersistentVolumeClaimStatus",
        "allocatedResources",
        "v1.ResourceList",
        &[],
    ),
    (
        "core.v1.PersistentVolumeClaimCondition",
        "type",
        "v1.PersistentVolumeClaimConditionType",
        &[],
    ),
    (
        "core.v1.PersistentVolumeClaimCondition",
        "status",
        "v1.ConditionStatus",
        &[],
    ),
    (
        "core.v1.PersistentVolumeSpec",
        "accessModes",
        "v1.PersistentVolumeAccessMode",
        &[
            "ReadOnlyMany",
            "ReadWriteMany",
            "ReadWriteOnce",
            "ReadWriteOncePod",
        ],
    ),
    (
        "core.v1.PersistentVolumeSpec",
        "volumeMode",
        "v1.PersistentVolumeMode",
        &["Block", "Filesystem"],
    ),
    (
        "core.v1.PersistentVolumeSpec",
        "persistentVolumeReclaimPolicy",
        "v1.PersistentVolumeReclaimPolicy",
        &["Delete", "Recycle", "Retain"],
    ),
    (
        "core.v1.PersistentVolumeSpec",
        "capacity",
        "v1.ResourceList",
        &[],
    ),
    (
        "core.v1.PersistentVolumeStatus",
        "phase",
        "v1.PersistentVolumePhase",
        &["Available", "Bound", "Failed", "Pending", "Released"],
    ),
    // core/v1 service
    (
        "core.v1.ServiceSpec",
        "type",
        "v1.ServiceType",
        &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
    ),
    (
        "core.v1.ServiceSpec",
        "sessionAffinity",
        "v1.ServiceAffinity",
        &["ClientIP", "None"],
    ),
    (
        "core.v1.ServiceSpec",
        "externalTrafficPolicy",
        "v1.ServiceExternalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "core.v1.ServiceSpec",
        "internalTrafficPolicy",
        "v1.ServiceInternalTrafficPolicy",
        &["Cluster", "Local"],
    ),
    (
        "core.v1.ServiceSpec",
        "ipFamilies",
        "v1.IPFamily",
        &["", "IPv4", "IPv6"],
    ),
    (
        "core.v1.ServiceSpec",
        "ipFamilyPolicy",
        "v1.IPFamilyPolicy",
        &["PreferDualStack", "RequireDualStack", "SingleStack"],
    ),
    // core/v1 node
    (
        "core.v1.NodeStatus",
        "phase",
        "v1.NodePhase",
        &["Pending", "Running", "Terminated"],
    ),
    ("core.v1.NodeStatus", "capacity", "v1.ResourceList", &[]),
    ("core.v1.NodeStatus", "allocatable", "v1.ResourceList", &[]),
    (
        "core.v1.NodeStatus",
        "volumesInUse",
        "v1.UniqueVolumeName",
        &[],
    ),
    ("core.v1.AttachedVolume", "name", "v1.UniqueVolumeName", &[]),
    ("core.v1.NodeCondition", "type", "v1.NodeConditionType", &[]),
    ("core.v1.NodeCondition", "status", "v1.ConditionStatus", &[]),
    ("core.v1.NodeAddress", "type", "v1.NodeAddressType", &[]),
    // storage/v1
    (
        "storage.v1.StorageClass",
        "reclaimPolicy",
        "v1.PersistentVolumeReclaimPolicy",
        &["Delete", "Recycle", "Retain"],
    ),
    (
        "storage.v1.StorageClass",
        "volumeBindingMode",
        "v1.VolumeBindingMode",
        &["Immediate", "WaitForFirstConsumer"],
    ),
];

/// Definitions with custom JSON unmarshalling in Go, mapped to our scalar type names.
fn special(def: &str) -> Option<&'static str> {
    Some(match def {
        "io.k8s.apimachinery.pkg.api.resource.Quantity" => "quantity",
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => "intstr",
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time" => "time",
        "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" => "microtime",
        "io.k8s.apimachinery.pkg.runtime.RawExtension" => "any",
        "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1" => "any",
        _ => return None,
    })
}

/// `io.k8s.api.core.v1.Container` -> `core.v1.Container`,
/// `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` -> `meta.v1.ObjectMeta`.
fn short_key(def: &str) -> String {
    if let Some(rest) = def.strip_prefix("io.k8s.api.") {
        return rest.to_string();
    }
    if let Some(rest) = def.strip_prefix("io.k8s.apimachinery.pkg.apis.") {
        return rest.to_string();
    }
    if let Some(rest) = def.strip_prefix("io.k8s.apimachinery.pkg.") {
        return rest.to_string();
    }
    def.to_string()
}

struct Gen {
    defs: Map<String, Value>,
    types: BTreeMap<String, Value>,
    descriptions: BTreeMap<String, BTreeMap<String, String>>,
    named: BTreeMap<(String, String), (String, Vec<String>)>,
    used_named: BTreeSet<(String, String)>,
}

impl Gen {
    fn ref_name(schema: &Value) -> Option<String> {
        let r = schema.get("$ref")?.as_str()?;
        Some(r.rsplit('/').next()?.to_string())
    }

    /// Type expression of a property schema.
    fn type_expr(&mut self, owner: &str, field: &str, schema: &Value) -> String {
        if let Some(def) = Self::ref_name(schema) {
            if let Some(s) = special(&def) {
                return s.to_string();
            }
            self.visit(&def);
            return format!("@{}", short_key(&def));
        }
        let ty = schema.get("type").and_then(Value::as_str).unwrap_or("");
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        let named = self
            .named
            .get(&(owner.to_string(), field.to_string()))
            .cloned();
        if named.is_some() {
            self.used_named
                .insert((owner.to_string(), field.to_string()));
        }
        match ty {
            "array" => {
                let items = schema.get("items").cloned().unwrap_or(Value::Null);
                let inner = self.type_expr(owner, field, &items);
                format!("[]{inner}")
            }
            "object" => match schema.get("additionalProperties") {
                Some(ap) if ap.is_object() => {
                    let inner = self.type_expr("", "", ap);
                    match named {
                        Some((go, _)) => format!("{{{go}}}{inner}"),
                        None => format!("{{}}{inner}"),
                    }
                }
                _ => "any".to_string(),
            },
            _ => {
                let base = match (ty, format) {
                    ("string", "byte") => "bytes",
                    ("string", "date-time") => "time",
                    ("string", _) => "string",
                    ("integer", "int32") => "int32",
                    ("integer", "int64") => "int64",
                    ("integer", f) => {
                        panic!("integer without known format {f:?} at {owner}.{field}")
                    }
                    ("number", _) => "float64",
                    ("boolean", _) => "bool",
                    (t, f) => {
                        panic!("unhandled schema type {t:?}/{f:?} at {owner}.{field}: {schema}")
                    }
                };
                let mut out = base.to_string();
                if let Some((go, enums)) = named {
                    out.push(':');
                    out.push_str(&go);
                    if !enums.is_empty() {
                        out.push('|');
                        out.push_str(&enums.join(","));
                    }
                }
                out
            }
        }
    }

    fn visit(&mut self, def: &str) {
        let key = short_key(def);
        if self.types.contains_key(&key) {
            return;
        }
        // placeholder against cycles (JSONSchemaProps is not reachable, but be safe)
        self.types.insert(key.clone(), Value::Null);
        let schema = self
            .defs
            .get(def)
            .cloned()
            .unwrap_or_else(|| panic!("definition {def} missing"));
        let mut descs = BTreeMap::new();
        if let Some(d) = schema.get("description").and_then(Value::as_str) {
            descs.insert(String::new(), d.to_string());
        }
        let mut fields = Map::new();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            let mut names: Vec<&String> = props.keys().collect();
            names.sort();
            for name in names {
                let p = &props[name];
                let expr = self.type_expr(&key, name, p);
                fields.insert(name.clone(), Value::String(expr));
                if let Some(d) = p.get("description").and_then(Value::as_str) {
                    descs.insert(name.clone(), d.to_string());
                }
            }
        }
        let mut t = Map::new();
        t.insert("f".into(), Value::Object(fields));
        if let Some(req) = schema.get("required").and_then(Value::as_array) {
            let mut r: Vec<String> = req
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            r.sort();
            if !r.is_empty() {
                t.insert("r".into(), json!(r));
            }
        }
        self.types.insert(key.clone(), Value::Object(t));
        self.descriptions.insert(key, descs);
    }
}

struct KindInfo {
    api_version: &'static str,
    kind: &'static str,
    plural: &'static str,
    namespaced: bool,
    def: String,
}

fn kind_info<T: Resource + JsonSchema + 'static>(g: &mut schemars::SchemaGenerator) -> KindInfo
where
    T::Scope: 'static,
{
    let _ = g.subschema_for::<T>();
    KindInfo {
        api_version: T::API_VERSION,
        kind: T::KIND,
        plural: T::URL_PATH_SEGMENT,
        namespaced: std::any::TypeId::of::<T::Scope>()
            == std::any::TypeId::of::<NamespaceResourceScope>(),
        def: T::schema_name().into_owned(),
    }
}

fn main() {
    let out_dir: PathBuf = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../../crates/stsplay-model/data"));

    let mut g = schemars::generate::SchemaSettings::default().into_generator();
    let kinds = vec![
        kind_info::<Service>(&mut g),
        kind_info::<Pod>(&mut g),
        kind_info::<PersistentVolume>(&mut g),
        kind_info::<PersistentVolumeClaim>(&mut g),
        kind_info::<StatefulSet>(&mut g),
        kind_info::<ControllerRevision>(&mut g),
        kind_info::<StorageClass>(&mut g),
        kind_info::<Node>(&mut g),
        kind_info::<Event>(&mut g),
    ];
    let defs = g.take_definitions(true);

    let mut named = BTreeMap::new();
    for (owner, field, go, enums) in GO_NAMED {
        named.insert(
            (owner.to_string(), field.to_string()),
            (
                go.to_string(),
                enums.iter().map(|s| s.to_string()).collect(),
            ),
        );
    }
    let mut gen = Gen {
        defs,
        types: BTreeMap::new(),
        descriptions: BTreeMap::new(),
        named,
        used_named: BTreeSet::new(),
    };
    for k in &kinds {
        gen.visit(&k.def);
    }
    for key in gen.named.keys() {
        if !gen.used_named.contains(key) {
            // A table row whose (type, field) does not exist or is not a string/array/map
            // field: the curated table is out of date with k8s-openapi.
            let owner_known = gen.types.contains_key(&key.0);
            eprintln!(
                "warning: GO_NAMED entry {}.{} not used (type {})",
                key.0,
                key.1,
                if owner_known {
                    "exists"
                } else {
                    "not reachable"
                }
            );
        }
    }

    let kinds_json: Vec<Value> = kinds
        .iter()
        .map(|k| {
            json!({
                "apiVersion": k.api_version,
                "kind": k.kind,
                "plural": k.plural,
                "namespaced": k.namespaced,
                "type": short_key(&k.def),
            })
        })
        .collect();
    let schema = json!({
        "source": "k8s-openapi 0.29 (Kubernetes v1.34) via tools/schema-gen",
        "kinds": kinds_json,
        "types": gen.types,
    });
    let descriptions = json!({
        "source": "k8s-openapi 0.29 (Kubernetes v1.34) via tools/schema-gen",
        "types": gen.descriptions,
    });

    std::fs::create_dir_all(&out_dir).expect("create output dir");
    let schema_text = serde_json::to_string(&schema).expect("serialize schema");
    let desc_text = serde_json::to_string(&descriptions).expect("serialize descriptions");
    std::fs::write(out_dir.join("schema.json"), format!("{schema_text}\n"))
        .expect("write schema.json");
    std::fs::write(out_dir.join("descriptions.json"), format!("{desc_text}\n"))
        .expect("write descriptions.json");
    eprintln!(
        "wrote {} types; schema.json {} bytes, descriptions.json {} bytes",
        gen.types.len(),
        schema_text.len() + 1,
        desc_text.len() + 1
    );
}
