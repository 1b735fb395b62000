//! Semantic validation as the API server does it after decoding (kubernetes
//! `pkg/apis/{apps,core,storage}/validation`), producing `field.Error`s with upstream's exact texts.

use crate::kinds::{Kind, Object};
use crate::objects::*;
use crate::quantity::Quantity;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorType {
    /// `Invalid value: <value>: <detail>`; `value` is already rendered the way Go prints it.
    Invalid {
        value: String,
    },
    Required,
    Forbidden,
    /// `Unsupported value: <value>: supported values: <list>`.
    Unsupported {
        value: String,
        supported: Vec<String>,
    },
    NotFound {
        value: String,
    },
    Duplicate {
        value: String,
    },
    TooLong {
        max: usize,
    },
}

/// One `field.Error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub path: String,
    pub kind: ErrorType,
    pub detail: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.path)?;
        match &self.kind {
            ErrorType::Invalid { value } => {
                write!(f, "Invalid value: {value}")?;
                if !self.detail.is_empty() {
                    write!(f, ": {}", self.detail)?;
                }
                Ok(())
            }
            ErrorType::Required => {
                f.write_str("Required value")?;
                if !self.detail.is_empty() {
                    write!(f, ": {}", self.detail)?;
                }
                Ok(())
            }
            ErrorType::Forbidden => write!(f, "Forbidden: {}", self.detail),
            ErrorType::Unsupported { value, supported } => {
                write!(f, "Unsupported value: {value}")?;
                if !supported.is_empty() {
                    let list: Vec<String> = supported.iter().map(|s| format!("{s:?}")).collect();
                    write!(f, ": supported values: {}", list.join(", "))?;
                }
                Ok(())
            }
            ErrorType::NotFound { value } => write!(f, "Not found: {value}"),
            ErrorType::Duplicate { value } => write!(f, "Duplicate value: {value}"),
            ErrorType::TooLong { max } => write!(f, "Too long: may not be more than {max} bytes"),
        }
    }
}

fn invalid(path: impl Into<String>, value: String, detail: impl Into<String>) -> FieldError {
    FieldError { path: path.into(), kind: ErrorType::Invalid { value }, detail: detail.into() }
}
fn required(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
    FieldError { path: path.into(), kind: ErrorType::Required, detail: detail.into() }
}
fn forbidden(path: impl Into<String>, detail: impl Into<String>) -> FieldError {
    FieldError { path: path.into(), kind: ErrorType::Forbidden, detail: detail.into() }
}
fn unsupported(path: impl Into<String>, value: &str, supported: &[&str]) -> FieldError {
    FieldError {
        path: path.into(),
        kind: ErrorType::Unsupported {
            value: quote(value),
            supported: supported.iter().map(|s| s.to_string()).collect(),
        },
        detail: String::new(),
    }
}

/// Go's `%q` for the strings we print (ASCII escapes are enough for names and values).
pub fn quote(s: &str) -> String {
    format!("{s:?}")
}

/// Go's `%#v` of a `map[string]string`.
pub fn go_map(m: &BTreeMap<String, String>) -> String {
    if m.is_empty() {
        return "map[string]string(nil)".to_string();
    }
    let items: Vec<String> = m.iter().map(|(k, v)| format!("{}:{}", quote(k), quote(v))).collect();
    format!("map[string]string{{{}}}", items.join(", "))
}

const LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
pub const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
pub const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
pub const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QUALIFIED_NAME_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

pub fn is_dns1123_label(s: &str) -> bool {
    let _ = LABEL_FMT;
    !s.is_empty()
        && s.len() <= 63
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !p.starts_with('-')
                && !p.ends_with('-')
        })
}

pub fn is_dns1035_label(s: &str) -> bool {
    is_dns1123_label(s) && s.as_bytes()[0].is_ascii_lowercase()
}

fn is_label_value(v: &str) -> bool {
    v.is_empty()
        || (v.len() <= 63
            && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
            && v.as_bytes()[0].is_ascii_alphanumeric()
            && v.as_bytes()[v.len() - 1].is_ascii_alphanumeric())
}

fn validate_dns_label_name(path: &str, name: &str, errs: &mut Vec<FieldError>) {
    if !is_dns1123_label(name) {
        if name.len() > 63 {
            errs.push(invalid(path, quote(name), "must be no more than 63 characters"));
        } else {
            errs.push(invalid(path, quote(name), DNS1123_LABEL_MSG));
        }
    }
}

/// Label keys and values (`ValidateLabels`).
pub fn validate_labels(path: &str, labels: &BTreeMap<String, String>, errs: &mut Vec<FieldError>) {
    for (k, v) in labels {
        let name = k.rsplit('/').next().unwrap_or(k);
        let prefix_ok = match k.rsplit_once('/') {
            Some((p, _)) => is_dns1123_subdomain(p),
            None => true,
        };
        if !prefix_ok || !is_label_value(name) || name.is_empty() {
            errs.push(invalid(path, quote(k), QUALIFIED_NAME_MSG));
        }
        if !is_label_value(v) {
            if v.len() > 63 {
                errs.push(invalid(path, quote(v), "must be no more than 63 characters"));
            } else {
                errs.push(invalid(path, quote(v), LABEL_VALUE_MSG));
            }
        }
    }
}

fn validate_meta(meta: &ObjectMeta, name_rule: NameRule, errs: &mut Vec<FieldError>) {
    if meta.name.is_empty() && meta.generate_name.is_empty() {
        errs.push(required("metadata.name", "name or generateName is required"));
    } else if !meta.name.is_empty() {
        match name_rule {
            NameRule::Label => validate_dns_label_name("metadata.name", &meta.name, errs),
            NameRule::Dns1035 => {
                if !is_dns1035_label(&meta.name) {
                    errs.push(invalid("metadata.name", quote(&meta.name), DNS1035_LABEL_MSG));
                }
            }
            NameRule::Subdomain => {
                if !is_dns1123_subdomain(&meta.name) {
                    errs.push(invalid("metadata.name", quote(&meta.name), DNS1123_SUBDOMAIN_MSG));
                }
            }
        }
    }
    validate_labels("metadata.labels", &meta.labels, errs);
}

#[derive(Clone, Copy)]
enum NameRule {
    Label,
    Dns1035,
    Subdomain,
}

fn non_negative(path: &str, v: i64, errs: &mut Vec<FieldError>) {
    if v < 0 {
        errs.push(invalid(path, v.to_string(), "must be greater than or equal to 0"));
    }
}

/// Validation on create for any supported kind.
pub fn validate_create(obj: &Object) -> Vec<FieldError> {
    let mut errs = Vec::new();
    match obj {
        Object::StatefulSet(s) => {
            validate_meta(&s.metadata, NameRule::Label, &mut errs);
            validate_sts_spec(s, &mut errs);
        }
        Object::Pod(p) => {
            validate_meta(&p.metadata, NameRule::Subdomain, &mut errs);
            validate_pod_spec("spec", &p.spec, &mut errs);
        }
        Object::Service(s) => {
            validate_meta(&s.metadata, NameRule::Dns1035, &mut errs);
            validate_service(s, &mut errs);
        }
        Object::PersistentVolumeClaim(c) => {
            validate_meta(&c.metadata, NameRule::Subdomain, &mut errs);
            validate_pvc_spec("spec", &c.spec, &mut errs);
        }
        Object::PersistentVolume(v) => {
            validate_meta(&v.metadata, NameRule::Subdomain, &mut errs);
            validate_pv(v, &mut errs);
        }
        Object::StorageClass(c) => {
            validate_meta(&c.metadata, NameRule::Subdomain, &mut errs);
            if c.provisioner.is_empty() {
                errs.push(required("provisioner", ""));
            }
            if let Some(p) = &c.reclaim_policy {
                if p != "Delete" && p != "Retain" {
                    errs.push(unsupported("reclaimPolicy", p, &["Delete", "Retain"]));
                }
            }
            if let Some(m) = &c.volume_binding_mode {
                if m != "Immediate" && m != "WaitForFirstConsumer" {
                    errs.push(unsupported("volumeBindingMode", m, &["Immediate", "WaitForFirstConsumer"]));
                }
            }
        }
        Object::ControllerRevision(_) | Object::Node(_) | Object::Event(_) => {}
    }
    errs
}

fn validate_sts_spec(s: &StatefulSet, errs: &mut Vec<FieldError>) {
    let spec = &s.spec;
    match spec.pod_management_policy.as_str() {
        "OrderedReady" | "Parallel" => {}
        other => errs.push(invalid("spec.podManagementPolicy", quote(other), "must be 'OrderedReady' or 'Parallel'")),
    }
    let us = &spec.update_strategy;
    match us.type_.as_str() {
        "RollingUpdate" => {
            if let Some(ru) = &us.rolling_update {
                if let Some(p) = ru.partition {
                    non_negative("spec.updateStrategy.rollingUpdate.partition", p as i64, errs);
                }
                if let Some(mu) = &ru.max_unavailable {
                    validate_max_unavailable(mu, errs);
                }
            }
        }
        "OnDelete" => {
            if us.rolling_update.is_some() {
                errs.push(invalid(
                    "spec.updateStrategy.rollingUpdate",
                    go_rolling_update(us.rolling_update.as_ref()),
                    "only allowed for updateStrategy 'RollingUpdate'",
                ));
            }
        }
        other => errs.push(invalid(
            "spec.updateStrategy",
            format!(
                "apps.StatefulSetUpdateStrategy{{Type:{}, RollingUpdate:{}}}",
                quote(other),
                if us.rolling_update.is_some() {
                    "(*apps.RollingUpdateStatefulSetStrategy)(0xc000a1b2c0)"
                } else {
                    "(*apps.RollingUpdateStatefulSetStrategy)(nil)"
                }
            ),
            "must be 'RollingUpdate' or 'OnDelete'",
        )),
    }
    if let Some(p) = &spec.persistent_volume_claim_retention_policy {
        for (field, v) in [("whenDeleted", &p.when_deleted), ("whenScaled", &p.when_scaled)] {
            if v != "Retain" && v != "Delete" {
                errs.push(unsupported(
                    format!("spec.persistentVolumeClaimRetentionPolicy.{field}"),
                    v,
                    &["Retain", "Delete"],
                ));
            }
        }
    }
    if let Some(o) = &spec.ordinals {
        non_negative("spec.ordinals.start", o.start as i64, errs);
    }
    if !spec.service_name.is_empty() {
        validate_dns_label_name("spec.serviceName", &spec.service_name, errs);
    }
    non_negative("spec.replicas", spec.replicas.unwrap_or(1) as i64, errs);
    non_negative("spec.minReadySeconds", spec.min_ready_seconds as i64, errs);
    if let Some(l) = spec.revision_history_limit {
        non_negative("spec.revisionHistoryLimit", l as i64, errs);
    }
    match &spec.selector {
        None => errs.push(required("spec.selector", "")),
        Some(sel) if sel.match_labels.is_empty() && sel.match_expressions.is_empty() => {
            errs.push(invalid("spec.selector", go_label_selector(sel), "empty selector is invalid for statefulset"))
        }
        Some(sel) => {
            for (i, e) in sel.match_expressions.iter().enumerate() {
                let p = format!("spec.selector.matchExpressions[{i}]");
                match e.operator.as_str() {
                    "In" | "NotIn" if e.values.is_empty() => errs
                        .push(required(format!("{p}.values"), "must be specified when `operator` is 'In' or 'NotIn'")),
                    "Exists" | "DoesNotExist" if !e.values.is_empty() => errs.push(forbidden(
                        format!("{p}.values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    )),
                    "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
                    op => errs.push(invalid(format!("{p}.operator"), quote(op), "not a valid selector operator")),
                }
            }
            validate_labels("spec.selector.matchLabels", &sel.match_labels, errs);
        }
    }
    let labels = &spec.template.metadata.labels;
    let matches = spec
        .selector
        .as_ref()
        .and_then(crate::labels::Selector::from_label_selector)
        .map(|s| !s.is_empty() && s.matches(labels))
        .unwrap_or(false);
    if !matches {
        errs.push(invalid(
            "spec.template.metadata.labels",
            go_map(labels),
            "`selector` does not match template `labels`",
        ));
    }
    validate_labels("spec.template.metadata.labels", labels, errs);
    match spec.template.spec.restart_policy.as_deref() {
        Some("Always") | None => {}
        Some(other) => errs.push(unsupported("spec.template.spec.restartPolicy", other, &["Always"])),
    }
    if spec.template.spec.active_deadline_seconds.is_some() {
        errs.push(forbidden(
            "spec.template.spec.activeDeadlineSeconds",
            "activeDeadlineSeconds in StatefulSet is not Supported",
        ));
    }
    for (i, t) in spec.volume_claim_templates.iter().enumerate() {
        let p = format!("spec.volumeClaimTemplates[{i}]");
        if t.metadata.name.is_empty() {
            errs.push(required(format!("{p}.metadata.name"), "name or generateName is required"));
        } else if !is_dns1123_subdomain(&t.metadata.name) {
            errs.push(invalid(format!("{p}.metadata.name"), quote(&t.metadata.name), DNS1123_SUBDOMAIN_MSG));
        }
        validate_pvc_spec(&format!("{p}.spec"), &t.spec, errs);
    }
}

fn validate_max_unavailable(mu: &serde_json::Value, errs: &mut Vec<FieldError>) {
    let path = "spec.updateStrategy.rollingUpdate.maxUnavailable";
    match mu {
        serde_json::Value::Number(n) => {
            let v = n.as_i64().unwrap_or(0);
            if v < 0 {
                errs.push(invalid(path, v.to_string(), "must be greater than or equal to 0"));
            } else if v == 0 {
                errs.push(invalid(path, v.to_string(), "cannot be 0"));
            }
        }
        serde_json::Value::String(s) => match s.strip_suffix('%').and_then(|p| p.parse::<i64>().ok()) {
            Some(p) if p > 100 => errs.push(invalid(path, quote(s), "must not be greater than 100%")),
            Some(0) => errs.push(invalid(path, quote(s), "cannot be 0")),
            Some(p) if p < 0 => errs.push(invalid(path, quote(s), "must be greater than or equal to 0")),
            Some(_) => {}
            None => errs.push(invalid(path, quote(s), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")),
        },
        _ => {}
    }
}

fn go_rolling_update(ru: Option<&RollingUpdateStatefulSetStrategy>) -> String {
    match ru {
        None => "null".into(),
        Some(ru) => format!(
            "apps.RollingUpdateStatefulSetStrategy{{Partition:{}, MaxUnavailable:{}}}",
            ru.partition.unwrap_or(0),
            if ru.max_unavailable.is_some() {
                "(*intstr.IntOrString)(0xc000a1b2d0)"
            } else {
                "(*intstr.IntOrString)(nil)"
            }
        ),
    }
}

/// Go's `%#v` of a `metav1.LabelSelector`.
fn go_label_selector(sel: &LabelSelector) -> String {
    let ml = if sel.match_labels.is_empty() { "map[string]string(nil)".to_string() } else { go_map(&sel.match_labels) };
    let me = if sel.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        "[]v1.LabelSelectorRequirement{...}".to_string()
    };
    format!("v1.LabelSelector{{MatchLabels:{ml}, MatchExpressions:{me}}}")
}

const ACCESS_MODES: [&str; 4] = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"];

fn validate_access_modes(path: &str, modes: &[String], errs: &mut Vec<FieldError>) {
    if modes.is_empty() {
        errs.push(required(path, "at least 1 access mode is required"));
    }
    for m in modes {
        if !ACCESS_MODES.contains(&m.as_str()) {
            errs.push(unsupported(path, m, &ACCESS_MODES));
        }
    }
    if modes.iter().any(|m| m == "ReadWriteOncePod") && modes.len() > 1 {
        errs.push(forbidden(path, "may not use ReadWriteOncePod with other access modes"));
    }
}

pub fn validate_pvc_spec(path: &str, spec: &PersistentVolumeClaimSpec, errs: &mut Vec<FieldError>) {
    validate_access_modes(&format!("{path}.accessModes"), &spec.access_modes, errs);
    match spec.resources.requests.get("storage") {
        None => errs.push(required(format!("{path}.resources[storage]"), "")),
        Some(q) => match Quantity::parse(q) {
            Some(v) if v.milli <= 0 => {
                errs.push(invalid(format!("{path}.resources.requests[storage]"), quote(q), "must be greater than zero"))
            }
            Some(_) => {}
            None => errs.push(invalid(
                format!("{path}.resources.requests[storage]"),
                quote(q),
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
            )),
        },
    }
    if let Some(m) = &spec.volume_mode {
        if m != "Filesystem" && m != "Block" {
            errs.push(unsupported(format!("{path}.volumeMode"), m, &["Block", "Filesystem"]));
        }
    }
}

fn validate_pv(pv: &PersistentVolume, errs: &mut Vec<FieldError>) {
    let spec = &pv.spec;
    validate_access_modes("spec.accessModes", &spec.access_modes, errs);
    match spec.capacity.get("storage") {
        None => errs.push(required("spec.capacity", "")),
        Some(q) if Quantity::parse(q).is_none_or(|v| v.milli <= 0) => {
            errs.push(invalid("spec.capacity[storage]", quote(q), "must be greater than zero"))
        }
        Some(_) => {}
    }
    const SOURCES: [&str; 8] = ["hostPath", "nfs", "local", "csi", "iscsi", "fc", "cephfs", "rbd"];
    let n = SOURCES.iter().filter(|s| spec.extra.contains_key(**s)).count()
        + spec
            .extra
            .keys()
            .filter(|k| k.ends_with("Disk") || k.ends_with("Volume") || k.as_str() == "glusterfs")
            .count();
    if n == 0 {
        errs.push(required("spec", "must specify a volume type"));
    } else if n > 1 {
        errs.push(forbidden("spec", "may not specify more than 1 volume type"));
    }
    if let Some(p) = &spec.persistent_volume_reclaim_policy {
        if !["Delete", "Recycle", "Retain"].contains(&p.as_str()) {
            errs.push(unsupported("spec.persistentVolumeReclaimPolicy", p, &["Delete", "Recycle", "Retain"]));
        }
    }
}

fn validate_service(svc: &Service, errs: &mut Vec<FieldError>) {
    let spec = &svc.spec;
    if spec.ports.is_empty() && !svc.is_headless() {
        errs.push(required("spec.ports", ""));
    }
    let mut names = BTreeSet::new();
    for (i, p) in spec.ports.iter().enumerate() {
        let path = format!("spec.ports[{i}]");
        if spec.ports.len() > 1 && p.name.as_deref().unwrap_or("").is_empty() {
            errs.push(required(format!("{path}.name"), ""));
        }
        if let Some(n) = p.name.as_deref().filter(|n| !n.is_empty()) {
            if !is_dns1123_label(n) {
                errs.push(invalid(format!("{path}.name"), quote(n), DNS1123_LABEL_MSG));
            }
            if !names.insert(n.to_string()) {
                errs.push(FieldError {
                    path: format!("{path}.name"),
                    kind: ErrorType::Duplicate { value: quote(n) },
                    detail: String::new(),
                });
            }
        }
        if !(1..=65535).contains(&p.port) {
            errs.push(invalid(format!("{path}.port"), p.port.to_string(), "must be between 1 and 65535, inclusive"));
        }
    }
    if let Some(t) = &spec.type_ {
        if !["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"].contains(&t.as_str()) {
            errs.push(unsupported("spec.type", t, &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]));
        }
    }
    if let Some(sel) = &spec.selector {
        validate_labels("spec.selector", sel, errs);
    }
}

/// Pod spec validation (used for Pods and, at pod-creation time, for StatefulSet templates).
pub fn validate_pod_spec(path: &str, spec: &PodSpec, errs: &mut Vec<FieldError>) {
    let mut volumes = BTreeSet::new();
    for (i, v) in spec.volumes.iter().enumerate() {
        let p = format!("{path}.volumes[{i}].name");
        if v.name.is_empty() {
            errs.push(required(&p, ""));
        } else if !is_dns1123_label(&v.name) {
            errs.push(invalid(&p, quote(&v.name), DNS1123_LABEL_MSG));
        } else if !volumes.insert(v.name.clone()) {
            errs.push(FieldError {
                path: p,
                kind: ErrorType::Duplicate { value: quote(&v.name) },
                detail: String::new(),
            });
        }
    }
    if spec.containers.is_empty() {
        errs.push(required(format!("{path}.containers"), ""));
    }
    let mut names = BTreeSet::new();
    for (field, list) in [("initContainers", &spec.init_containers), ("containers", &spec.containers)] {
        for (i, c) in list.iter().enumerate() {
            let p = format!("{path}.{field}[{i}]");
            if c.name.is_empty() {
                errs.push(required(format!("{p}.name"), ""));
            } else if !is_dns1123_label(&c.name) {
                errs.push(invalid(format!("{p}.name"), quote(&c.name), DNS1123_LABEL_MSG));
            } else if !names.insert(c.name.clone()) {
                errs.push(FieldError {
                    path: format!("{p}.name"),
                    kind: ErrorType::Duplicate { value: quote(&c.name) },
                    detail: String::new(),
                });
            }
            if c.image.trim().is_empty() {
                errs.push(required(format!("{p}.image"), ""));
            }
            for (j, port) in c.ports.iter().enumerate() {
                if !(1..=65535).contains(&port.container_port) {
                    errs.push(invalid(
                        format!("{p}.ports[{j}].containerPort"),
                        port.container_port.to_string(),
                        "must be between 1 and 65535, inclusive",
                    ));
                }
            }
            let mut mount_paths = BTreeSet::new();
            for (j, m) in c.volume_mounts.iter().enumerate() {
                let mp = format!("{p}.volumeMounts[{j}]");
                if m.name.is_empty() {
                    errs.push(required(format!("{mp}.name"), ""));
                } else if !volumes.contains(&m.name) {
                    errs.push(FieldError {
                        path: format!("{mp}.name"),
                        kind: ErrorType::NotFound { value: quote(&m.name) },
                        detail: String::new(),
                    });
                }
                if m.mount_path.is_empty() {
                    errs.push(required(format!("{mp}.mountPath"), ""));
                } else if !mount_paths.insert(m.mount_path.clone()) {
                    errs.push(invalid(format!("{mp}.mountPath"), quote(&m.mount_path), "must be unique"));
                }
            }
        }
    }
    if let Some(rp) = &spec.restart_policy {
        if !["Always", "OnFailure", "Never"].contains(&rp.as_str()) {
            errs.push(unsupported(format!("{path}.restartPolicy"), rp, &["Always", "OnFailure", "Never"]));
        }
    }
}

/// The fields of a StatefulSet spec that may change on update (reference §1.4).
pub const STS_UPDATABLE_MSG: &str = "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";

/// Validation on update: the create rules plus immutability (`ValidateStatefulSetUpdate`, etc.).
pub fn validate_update(new: &Object, old: &Object) -> Vec<FieldError> {
    let mut errs = validate_create(new);
    match (new, old) {
        (Object::StatefulSet(n), Object::StatefulSet(o)) => {
            let mut a = n.spec.clone();
            let b = &o.spec;
            a.replicas = b.replicas;
            a.ordinals = b.ordinals.clone();
            a.template = b.template.clone();
            a.update_strategy = b.update_strategy.clone();
            a.revision_history_limit = b.revision_history_limit;
            a.persistent_volume_claim_retention_policy = b.persistent_volume_claim_retention_policy.clone();
            a.min_ready_seconds = b.min_ready_seconds;
            if &a != b {
                errs.push(forbidden("spec", STS_UPDATABLE_MSG));
            }
        }
        (Object::PersistentVolumeClaim(n), Object::PersistentVolumeClaim(o)) => {
            let mut a = n.spec.clone();
            a.resources = o.spec.resources.clone();
            if o.spec.volume_name.is_some() && a.volume_name.is_none() {
                a.volume_name = o.spec.volume_name.clone();
            }
            if a != o.spec {
                errs.push(forbidden(
                    "spec",
                    "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
                ));
            }
        }
        (Object::Pod(n), Object::Pod(o)) => {
            let mut a = n.spec.clone();
            for (c, oc) in a.containers.iter_mut().zip(o.spec.containers.iter()) {
                c.image = oc.image.clone();
            }
            a.active_deadline_seconds = o.spec.active_deadline_seconds;
            a.tolerations = o.spec.tolerations.clone();
            if a != o.spec {
                errs.push(forbidden(
                    "spec",
                    "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
                ));
            }
        }
        (Object::StorageClass(n), Object::StorageClass(o)) => {
            if n.provisioner != o.provisioner {
                errs.push(forbidden("provisioner", "updates to provisioner are forbidden."));
            }
            if n.parameters != o.parameters {
                errs.push(forbidden("parameters", "updates to parameters are forbidden."));
            }
            if n.reclaim_policy != o.reclaim_policy {
                errs.push(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
            }
            if n.volume_binding_mode != o.volume_binding_mode {
                errs.push(forbidden("volumeBindingMode", "field is immutable"));
            }
        }
        (Object::Service(n), Object::Service(o))
            if o.spec.cluster_ip.is_some() && n.spec.cluster_ip.is_some() && n.spec.cluster_ip != o.spec.cluster_ip =>
        {
            errs.push(invalid(
                "spec.clusterIPs[0]",
                quote(n.spec.cluster_ip.as_deref().unwrap_or("")),
                "may not change once set",
            ));
        }
        _ => {}
    }
    errs
}

/// `The StatefulSet "web" is invalid: ...` as kubectl prints a 422 (reference §4.0).
pub fn invalid_message(kind: Kind, name: &str, errs: &[FieldError]) -> String {
    if errs.len() == 1 {
        format!("The {} {:?} is invalid: {}", kind.name(), name, errs[0])
    } else {
        let mut s = format!("The {} {:?} is invalid: ", kind.name(), name);
        for e in errs {
            s.push_str(&format!("\n* {e}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::defaults::{default_stateful_set, FeatureGates};

    fn sts() -> StatefulSet {
        let mut s = StatefulSet::default();
        s.metadata.name = "web".into();
        s.spec.selector = Some(LabelSelector {
            match_labels: [("app".to_string(), "nginx".to_string())].into(),
            ..Default::default()
        });
        s.spec.template.metadata.labels = [("app".to_string(), "nginx".to_string())].into();
        s.spec.template.spec.containers =
            vec![Container { name: "nginx".into(), image: "nginx:1.25".into(), ..Default::default() }];
        default_stateful_set(&mut s, FeatureGates::default());
        s
    }

    fn msgs(s: &StatefulSet) -> Vec<String> {
        validate_create(&Object::StatefulSet(s.clone())).iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn valid_sts_has_no_errors() {
        assert!(msgs(&sts()).is_empty(), "{:?}", msgs(&sts()));
    }

    #[test]
    fn upstream_messages() {
        let mut s = sts();
        s.metadata.name = "Web".into();
        s.spec.replicas = Some(-1);
        s.spec.pod_management_policy = "Foo".into();
        let m = msgs(&s);
        assert!(m.contains(&format!("metadata.name: Invalid value: \"Web\": {DNS1123_LABEL_MSG}")));
        assert!(m.contains(&"spec.replicas: Invalid value: -1: must be greater than or equal to 0".to_string()));
        assert!(m.contains(
            &"spec.podManagementPolicy: Invalid value: \"Foo\": must be 'OrderedReady' or 'Parallel'".to_string()
        ));
    }

    #[test]
    fn selector_mismatch_and_missing() {
        let mut s = sts();
        s.spec.template.metadata.labels = [("app".to_string(), "web".to_string())].into();
        assert_eq!(
            msgs(&s),
            vec!["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"]
        );
        let mut s = sts();
        s.spec.selector = None;
        let m = msgs(&s);
        assert_eq!(m[0], "spec.selector: Required value");
        assert!(m[1].starts_with("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"nginx\"}"));
        let text = invalid_message(Kind::StatefulSet, "myapp", &validate_create(&Object::StatefulSet(s)));
        assert!(text.starts_with("The StatefulSet \"myapp\" is invalid: \n* spec.selector: Required value\n* "));
    }

    #[test]
    fn restart_policy_and_claims() {
        let mut s = sts();
        s.spec.template.spec.restart_policy = Some("Never".into());
        s.spec.volume_claim_templates.push(PersistentVolumeClaim {
            metadata: ObjectMeta { name: "data".into(), ..Default::default() },
            ..Default::default()
        });
        let m = msgs(&s);
        assert!(m.contains(
            &"spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"".to_string()
        ));
        assert!(m.contains(
            &"spec.volumeClaimTemplates[0].spec.accessModes: Required value: at least 1 access mode is required"
                .to_string()
        ));
        assert!(m.contains(&"spec.volumeClaimTemplates[0].spec.resources[storage]: Required value".to_string()));
    }

    #[test]
    fn immutable_fields() {
        let old = sts();
        let mut new = old.clone();
        new.spec.replicas = Some(5);
        new.spec.template.spec.containers[0].image = "nginx:1.26".into();
        assert!(validate_update(&Object::StatefulSet(new.clone()), &Object::StatefulSet(old.clone())).is_empty());
        new.spec.service_name = "other".into();
        let errs = validate_update(&Object::StatefulSet(new), &Object::StatefulSet(old));
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].to_string(), format!("spec: Forbidden: {STS_UPDATABLE_MSG}"));
    }

    #[test]
    fn pod_mounts_must_name_volumes() {
        let mut spec = PodSpec::default();
        spec.containers.push(Container {
            name: "myapp".into(),
            image: "x".into(),
            volume_mounts: vec![VolumeMount { name: "data".into(), mount_path: "/d".into(), ..Default::default() }],
            ..Default::default()
        });
        let mut errs = Vec::new();
        validate_pod_spec("spec", &spec, &mut errs);
        assert_eq!(errs[0].to_string(), "spec.containers[0].volumeMounts[0].name: Not found: \"data\"");
    }
}
