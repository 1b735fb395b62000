//! The editor's complete problems list: structural problems, the semantic errors the API server
//! would return on create, and learner warnings about what will go wrong in the cluster.
//!
//! [`problems`] returns, for a whole manifest:
//!
//! 1. everything [`structural_problems`] finds (YAML syntax, apiVersion/kind, type errors,
//!    unknown fields, duplicate keys);
//! 2. for every document that decodes (unknown fields are dropped, as with
//!    `--validate=ignore`, so a typo elsewhere does not hide anything), the `422 Invalid` errors of
//!    [`validation::validate_create`] after API-server defaulting, each positioned at its field
//!    path, with a learner sentence, the exact kubectl text, and a did-you-mean / fix where safe;
//! 3. warnings ([`Severity::Warning`]) for manifests the API accepts but that will not work as the
//!    learner expects, each naming the consequence they will see:
//!    * `spec.serviceName` empty, naming no Service, or naming a Service that is not headless
//!      (per-pod DNS names such as `web-0.nginx` do not resolve, reference §6);
//!    * a Service whose selector matches no pod template, and a StatefulSet whose governing
//!      Service does not select its pods (no endpoints, names do not resolve);
//!    * claims (volume claim templates and PVCs) that can neither be provisioned (no such
//!      StorageClass, or one without a provisioner) nor bound to a static PersistentVolume
//!      (claims and pods stay Pending, OrderedReady creates nothing after the first pod, §7.3);
//!    * pod templates that are not valid pods (e.g. a volumeMount naming no volume): the
//!      StatefulSet is accepted but every pod creation fails with `FailedCreate` (§5.1).
//!
//! What the cluster already has is described by a [`ClusterContext`]; an empty one means "judge
//! the file alone" (an unknown cluster).
//!
//! Every fix is checked before it is offered: its document must re-parse and the edited fields
//! must hold the intended values. Positions are 1-based lines/columns (columns in characters),
//! problems are sorted by document, line and column, and the function never panics.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value as Json;

use crate::decode::{self, FieldValidation};
use crate::defaults::{self, FeatureGates};
use crate::kinds::{Kind, Object};
use crate::labels::Selector;
use crate::objects::*;
use crate::problems::{
    apply_edits, did_you_mean, parse_manifest, problem_at_path, structural_problems, Fix, ParsedDoc, Problem, Severity,
    TextEdit, MAX_PROBLEMS,
};
use crate::quantity::Quantity;
use crate::schema::{self, FieldType};
use crate::validation::{self, ErrorType, FieldError};
use crate::yaml::{self, DocChunk, Node, Style, Value};

/// The StorageClasses of the default playground cluster: (name, is default, has a working provisioner).
pub const PLAYGROUND_STORAGE_CLASSES: [(&str, bool, bool); 2] =
    [("standard", true, true), ("gluster-dynamic", false, true)];

const NO_PROVISIONER: &str = "kubernetes.io/no-provisioner";
const DEFAULT_NS: &str = "default";
/// Bytes of document text that fix verification may re-parse per call (beyond it no more fixes).
const FIX_CHECK_BUDGET: usize = 4 << 20;
/// How many pod errors a FailedCreate event quoted in a warning shows.
const MAX_QUOTED_ERRORS: usize = 3;
/// How many type errors may be cut out of a document to read what it defines.
const MAX_PRUNES: usize = 32;
/// Nesting limit of the JSON normalisation walk.
const MAX_NORMALIZE_DEPTH: usize = 256;

/// A PersistentVolume that already exists in the cluster.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PvInfo {
    pub name: String,
    /// `spec.storageClassName`; "" = no class.
    pub storage_class: String,
    pub access_modes: Vec<String>,
    /// `spec.capacity.storage`, e.g. `5Gi`.
    pub capacity: String,
    /// `spec.volumeMode`; "" = Filesystem.
    pub volume_mode: String,
    pub labels: BTreeMap<String, String>,
    /// `status.phase`: Available, Bound, Released, Failed ("" = Available).
    pub phase: String,
    /// `namespace/name` of the claim in `spec.claimRef` (bound or pre-bound), "" if none.
    pub claim: String,
}

/// A Service that already exists in the cluster.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServiceInfo {
    pub name: String,
    pub namespace: String,
    /// `clusterIP: None`.
    pub headless: bool,
    /// `spec.selector` (empty = no selector).
    pub selector: BTreeMap<String, String>,
}

/// Labels of pods (or pod templates of StatefulSets) that already exist in the cluster, so that a
/// Service in the file selecting them is not reported as selecting nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodLabelsInfo {
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
}

/// What the cluster already has, so warnings can take it into account (empty = judge the file alone).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClusterContext {
    /// (name, is default, has a working provisioner).
    pub storage_classes: Vec<(String, bool, bool)>,
    pub persistent_volumes: Vec<PvInfo>,
    pub services: Vec<ServiceInfo>,
    pub pod_labels: Vec<PodLabelsInfo>,
}

impl ClusterContext {
    /// Nothing known about the cluster.
    pub fn is_empty(&self) -> bool {
        self.storage_classes.is_empty()
            && self.persistent_volumes.is_empty()
            && self.services.is_empty()
            && self.pod_labels.is_empty()
    }

    /// The freshly started default playground cluster (StorageClasses `standard` and `gluster-dynamic`).
    pub fn default_cluster() -> ClusterContext {
        ClusterContext {
            storage_classes: PLAYGROUND_STORAGE_CLASSES.iter().map(|(n, d, p)| (n.to_string(), *d, *p)).collect(),
            ..Default::default()
        }
    }

    /// Builds the context from the objects of a cluster (StorageClasses, PersistentVolumes,
    /// Services, StatefulSets and Pods are used; other kinds are ignored).
    pub fn from_objects<'a, I: IntoIterator<Item = &'a Object>>(objects: I) -> ClusterContext {
        let mut ctx = ClusterContext::default();
        for o in objects {
            match o {
                Object::StorageClass(sc) => ctx.storage_classes.push((
                    sc.metadata.name.clone(),
                    sc.is_default(),
                    provisioner_works(&sc.provisioner),
                )),
                Object::PersistentVolume(pv) => ctx.persistent_volumes.push(PvInfo {
                    name: pv.metadata.name.clone(),
                    storage_class: pv.spec.storage_class_name.clone().unwrap_or_default(),
                    access_modes: pv.spec.access_modes.clone(),
                    capacity: pv.spec.capacity.get("storage").cloned().unwrap_or_default(),
                    volume_mode: pv.spec.volume_mode.clone().unwrap_or_default(),
                    labels: pv.metadata.labels.clone(),
                    phase: pv.status.phase.clone(),
                    claim: pv.spec.claim_ref.as_ref().map(claim_ref_key).unwrap_or_default(),
                }),
                Object::Service(s) => ctx.services.push(ServiceInfo {
                    name: s.metadata.name.clone(),
                    namespace: ns_or_default(&s.metadata.namespace),
                    headless: s.is_headless(),
                    selector: s.spec.selector.clone().unwrap_or_default(),
                }),
                Object::StatefulSet(s) => ctx.pod_labels.push(PodLabelsInfo {
                    namespace: ns_or_default(&s.metadata.namespace),
                    labels: s.spec.template.metadata.labels.clone(),
                }),
                Object::Pod(p) => ctx.pod_labels.push(PodLabelsInfo {
                    namespace: ns_or_default(&p.metadata.namespace),
                    labels: p.metadata.labels.clone(),
                }),
                _ => {}
            }
        }
        ctx
    }
}

fn claim_ref_key(r: &ObjectReference) -> String {
    format!("{}/{}", ns_or_default(&r.namespace), r.name)
}

fn ns_or_default(ns: &str) -> String {
    if ns.is_empty() {
        DEFAULT_NS.to_string()
    } else {
        ns.to_string()
    }
}

fn provisioner_works(p: &str) -> bool {
    !p.is_empty() && p != NO_PROVISIONER
}

/// All problems of a manifest text: structural ones, the API server's semantic errors and the
/// learner warnings, sorted by (document, line, column).
pub fn problems(text: &str, ctx: &ClusterContext) -> Vec<Problem> {
    let structural = structural_problems(text);
    let docs = parse_manifest(text);
    let mut linter = Linter {
        ctx,
        fixer: Fixer { text, budget: FIX_CHECK_BUDGET, nl: if text.contains("\r\n") { "\r\n" } else { "\n" } },
        out: Vec::new(),
    };
    let objs: Vec<DocObj> = docs.iter().filter_map(decode_doc).collect();
    // Documents that say something but could not be read at all: what they define is unknown,
    // so warnings about something missing are not given.
    let indexed: HashSet<usize> = objs.iter().map(|o| o.doc.chunk.index).collect();
    let incomplete = docs.iter().any(|d| match &d.result {
        Err(_) => true,
        Ok(Some(_)) => !indexed.contains(&d.chunk.index),
        Ok(None) => false,
    });
    linter.run(&objs, incomplete, &|d| structural.partition_point(|p| p.document <= d));
    let seen: HashSet<(usize, u32, u32, String)> =
        structural.iter().map(|p| (p.document, p.line, p.column, p.path.clone())).collect();
    let mut out = structural;
    let mut added = HashSet::new();
    for p in linter.out {
        let key = (p.document, p.line, p.column, p.path.clone());
        if seen.contains(&key) || !added.insert((key, p.message.clone())) {
            continue;
        }
        out.push(p);
    }
    out.sort_by_key(|p| (p.document, p.line, p.column));
    out.truncate(MAX_PROBLEMS);
    out
}

// ------------------------------------------------------------------------------------------ decoding

/// A document that decoded into a typed object (defaulted as the API server does).
struct DocObj<'d> {
    doc: &'d ParsedDoc,
    root: &'d Node,
    obj: Object,
    ns: String,
    /// The object is what the API server would decode. False when type errors had to be cut out
    /// to read it: then it only tells the other documents what it defines (names, labels, ...).
    exact: bool,
}

fn decode_doc(doc: &ParsedDoc) -> Option<DocObj<'_>> {
    let root = doc.root()?;
    let kd = doc.kind()?;
    let kind = Kind::from_api(&kd.api_version, &kd.kind)?;
    let mut body = root.to_json();
    let mut exact = true;
    let mut decoded = None;
    for _ in 0..MAX_PRUNES {
        match decode::decode(&kd.api_version, &kd.kind, &body, FieldValidation::Ignore) {
            Ok(d) => {
                decoded = Some(d);
                break;
            }
            Err(decode::DecodeError::Type { path, .. }) => {
                exact = false;
                if !remove_path(&mut body, &path) {
                    return None;
                }
            }
            Err(_) => return None,
        }
    }
    let decoded = decoded?;
    let mut value = decoded.value;
    normalize(&mut value, &FieldType::Object(kd.type_key.clone()), 0);
    let mut obj = Object::from_json(kind, &value).ok()?;
    match &mut obj {
        Object::StatefulSet(s) => defaults::default_stateful_set(s, FeatureGates::default()),
        Object::Pod(p) => defaults::default_pod(p),
        Object::Service(s) => defaults::default_service(s),
        Object::PersistentVolume(v) => defaults::default_pv(v),
        Object::PersistentVolumeClaim(c) => defaults::default_pvc_spec(&mut c.spec),
        Object::StorageClass(c) => defaults::default_storage_class(c),
        _ => {}
    }
    let ns = if kind.namespaced() { ns_or_default(&obj.meta().namespace) } else { String::new() };
    Some(DocObj { doc, root, obj, ns, exact })
}

/// Removes the value at a decode error path (`spec.template.spec.containers`,
/// `spec.x[0].limits[memory]`); list items become null. False when there is nothing to remove.
fn remove_path(body: &mut Json, path: &str) -> bool {
    let segs = yaml::parse_path(path);
    let Some((last, parents)) = segs.split_last() else { return false };
    let mut cur = body;
    for seg in parents {
        let next = match (seg, cur) {
            (yaml::PathSeg::Field(f) | yaml::PathSeg::MapKey(f), Json::Object(m)) => m.get_mut(f.as_str()),
            (yaml::PathSeg::Index(i), Json::Array(a)) => a.get_mut(*i),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return false,
        }
    }
    match (last, cur) {
        (yaml::PathSeg::Field(f) | yaml::PathSeg::MapKey(f), Json::Object(m)) => m.remove(f.as_str()).is_some(),
        (yaml::PathSeg::Index(i), Json::Array(a)) => match a.get_mut(*i) {
            Some(x) if !x.is_null() => {
                *x = Json::Null;
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// Makes a decoded body acceptable to the typed structs the way Go's decoder treats it: `null`
/// means "not set", missing required scalars are their zero values, and numeric quantities are
/// strings.
fn normalize(v: &mut Json, ty: &FieldType, depth: usize) {
    if depth > MAX_NORMALIZE_DEPTH {
        return;
    }
    match (ty, v) {
        (FieldType::Object(key), Json::Object(m)) => {
            m.retain(|_, x| !x.is_null());
            let Some(td) = schema::schema().type_def(key) else {
                return;
            };
            for (k, x) in m.iter_mut() {
                if let Some(f) = td.field(k) {
                    normalize(x, &f.ty, depth + 1);
                }
            }
            for f in &td.fields {
                if f.required && !m.contains_key(&f.name) {
                    if let Some(z) = zero_scalar(&f.ty) {
                        m.insert(f.name.clone(), z);
                    }
                }
            }
        }
        (FieldType::Array(inner), Json::Array(items)) => {
            for it in items {
                if it.is_null() {
                    if let Some(z) = zero_value(inner) {
                        *it = z;
                    }
                }
                normalize(it, inner, depth + 1);
            }
        }
        (FieldType::Map { value, .. }, Json::Object(m)) => {
            for x in m.values_mut() {
                if x.is_null() {
                    if let Some(z) = zero_value(value) {
                        *x = z;
                    }
                }
                normalize(x, value, depth + 1);
            }
        }
        (FieldType::Quantity, x) => {
            if let Json::Number(n) = x {
                *x = Json::String(n.to_string());
            }
        }
        _ => {}
    }
}

fn zero_scalar(ty: &FieldType) -> Option<Json> {
    match ty {
        FieldType::String { .. } => Some(Json::String(String::new())),
        FieldType::Int32 | FieldType::Int64 => Some(Json::from(0)),
        FieldType::Bool => Some(Json::Bool(false)),
        _ => None,
    }
}

fn zero_value(ty: &FieldType) -> Option<Json> {
    match ty {
        FieldType::Object(_) | FieldType::Map { .. } => Some(Json::Object(serde_json::Map::new())),
        FieldType::Array(_) => Some(Json::Array(Vec::new())),
        FieldType::Quantity => Some(Json::String("0".into())),
        other => zero_scalar(other),
    }
}

// ------------------------------------------------------------------------------------------ fixes

/// A value to insert into YAML text.
#[derive(Clone, Debug)]
enum Yv {
    S(String),
    M(Vec<(String, Yv)>),
}

impl Yv {
    fn map(m: &BTreeMap<String, String>) -> Yv {
        Yv::M(m.iter().map(|(k, v)| (k.clone(), Yv::S(v.clone()))).collect())
    }
}

/// A scalar as YAML text: plain when that reads back as the same string, else double-quoted.
fn yaml_scalar(s: &str) -> String {
    let plain_ok = !s.is_empty()
        && s.len() <= 256
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
        && s.as_bytes()[0].is_ascii_alphabetic()
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | ".inf" | ".nan"
        );
    if plain_ok {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
    }
}

fn render_flow(v: &Yv) -> String {
    match v {
        Yv::S(s) => yaml_scalar(s),
        Yv::M(entries) => {
            let items: Vec<String> =
                entries.iter().map(|(k, v)| format!("{}: {}", yaml_scalar(k), render_flow(v))).collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

fn render_block(key: &str, v: &Yv, indent: usize, lines: &mut Vec<String>) {
    let pad = " ".repeat(indent);
    match v {
        Yv::S(s) => lines.push(format!("{pad}{}: {}", yaml_scalar(key), yaml_scalar(s))),
        Yv::M(entries) if entries.is_empty() => lines.push(format!("{pad}{}: {{}}", yaml_scalar(key))),
        Yv::M(entries) => {
            lines.push(format!("{pad}{}:", yaml_scalar(key)));
            for (k, v) in entries {
                render_block(k, v, indent + 2, lines);
            }
        }
    }
}

/// Builds and checks text edits.
struct Fixer<'t> {
    text: &'t str,
    budget: usize,
    nl: &'static str,
}

impl Fixer<'_> {
    /// Offers `edits` as a fix only if the document still parses afterwards and every `(path,
    /// value)` of `expect` holds in it (None = the path must not exist).
    fn check(
        &mut self,
        doc: &ParsedDoc,
        title: String,
        edits: Vec<TextEdit>,
        expect: &[(&str, Option<Json>)],
    ) -> Option<Fix> {
        let (start, end) = (doc.chunk.start_offset, doc.chunk.end_offset);
        if edits.is_empty() || edits.iter().any(|e| e.start < start || e.end > end || e.start > e.end) {
            return None;
        }
        let original = self.text.get(start..end)?;
        if self.budget < original.len() {
            return None;
        }
        self.budget -= original.len();
        let shifted: Vec<TextEdit> = edits
            .iter()
            .map(|e| TextEdit { start: e.start - start, end: e.end - start, new_text: e.new_text.clone() })
            .collect();
        let fixed = apply_edits(original, &shifted).ok()?;
        let root = yaml::parse_document(&DocChunk::from_text(&fixed)).ok()??;
        for (path, want) in expect {
            if yaml::locate(&root, path).map(Node::to_json) != *want {
                return None;
            }
        }
        Some(Fix { title, edits })
    }

    /// Replaces a single-line scalar with `new_value`, keeping its quoting style.
    fn replace_scalar(&self, node: &Node, new_value: &str) -> Option<TextEdit> {
        if node.from_alias
            || node.start.line != node.end.line
            || node.end.offset <= node.start.offset
            || !matches!(node.value, Value::Str(_) | Value::Int(_) | Value::Float(_) | Value::Bool(_))
        {
            return None;
        }
        let new_text = match node.style {
            Style::DoubleQuoted => serde_json::to_string(new_value).ok()?,
            Style::SingleQuoted => format!("'{}'", new_value.replace('\'', "''")),
            Style::Plain => yaml_scalar(new_value),
            _ => return None,
        };
        self.text.get(node.start.offset..node.end.offset)?;
        Some(TextEdit { start: node.start.offset, end: node.end.offset, new_text })
    }

    /// Inserts entries into an existing mapping (block: before its first key, same indentation;
    /// flow: right after `{`).
    fn insert_entries(&self, map: &Node, entries: &[(String, Yv)]) -> Option<TextEdit> {
        let Value::Map(existing) = &map.value else {
            return None;
        };
        if map.from_alias || entries.is_empty() || existing.iter().any(|(k, _)| k.synthetic) {
            return None;
        }
        if map.flow {
            let at = map.start.offset;
            if self.text.get(at..at + 1) != Some("{") {
                return None;
            }
            let items: Vec<String> =
                entries.iter().map(|(k, v)| format!("{}: {}", yaml_scalar(k), render_flow(v))).collect();
            let mut new_text = items.join(", ");
            if !existing.is_empty() {
                new_text.push_str(", ");
            }
            return Some(TextEdit { start: at + 1, end: at + 1, new_text });
        }
        let first = existing.iter().map(|(k, _)| k).min_by_key(|k| k.start.offset)?;
        let indent = first.start.column.checked_sub(1)? as usize;
        let mut lines = Vec::new();
        for (k, v) in entries {
            render_block(k, v, 0, &mut lines);
        }
        let pad = " ".repeat(indent);
        let mut new_text = String::new();
        for l in lines {
            new_text.push_str(&l);
            new_text.push_str(self.nl);
            new_text.push_str(&pad);
        }
        self.text.get(first.start.offset..first.start.offset)?;
        Some(TextEdit { start: first.start.offset, end: first.start.offset, new_text })
    }

    /// Inserts `leaf` at the field path `segs`, creating the missing intermediate mappings. None
    /// when the whole path already exists or its deepest existing node is not a mapping.
    fn insert_path(&self, root: &Node, segs: &[&str], leaf: Yv) -> Option<TextEdit> {
        let mut cur = root;
        let mut i = 0;
        while i < segs.len() {
            match cur.get(segs[i]) {
                Some(n) => {
                    cur = n;
                    i += 1;
                }
                None => break,
            }
        }
        if i == segs.len() {
            return None;
        }
        let mut v = leaf;
        for s in segs[i + 1..].iter().rev() {
            v = Yv::M(vec![(s.to_string(), v)]);
        }
        self.insert_entries(cur, &[(segs[i].to_string(), v)])
    }

    /// Deletes a whole-line `key: value` entry of a block mapping (when that is all its line holds).
    fn delete_entry_line(&self, root: &Node, path: &str) -> Option<TextEdit> {
        let (key, node) = yaml::locate_entry(root, path)?;
        let key = key?;
        if key.synthetic || node.from_alias || node.end.line != key.start.line || node.flow {
            return None;
        }
        // Keep the mapping non-empty (an emptied block mapping would turn into null).
        let parent = match path.rsplit_once('.') {
            Some((parent, _)) => yaml::locate(root, parent)?,
            None => root,
        };
        if parent.flow || parent.effective_entries().len() < 2 {
            return None;
        }
        let line_start = self.text.get(..key.start.offset)?.rfind('\n').map(|i| i + 1).unwrap_or(0);
        if !self.text.get(line_start..key.start.offset)?.chars().all(|c| c == ' ') {
            return None;
        }
        let rest = self.text.get(node.end.offset..)?;
        let line_end = rest.find('\n').map(|i| node.end.offset + i + 1).unwrap_or(self.text.len());
        let tail = self.text.get(node.end.offset..line_end)?.trim();
        if !(tail.is_empty() || tail.starts_with('#')) {
            return None;
        }
        Some(TextEdit { start: line_start, end: line_end, new_text: String::new() })
    }
}

// ------------------------------------------------------------------------------------------ helpers

fn unquote(v: &str) -> String {
    serde_json::from_str::<String>(v).unwrap_or_else(|_| v.trim_matches('"').to_string())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn fmt_labels(m: &BTreeMap<String, String>) -> String {
    if m.is_empty() {
        return "(none)".into();
    }
    m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

fn selects(selector: &BTreeMap<String, String>, labels: &BTreeMap<String, String>) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn quantity_bytes(q: Option<&String>) -> i128 {
    q.and_then(|q| Quantity::parse(q)).map(|q| q.value()).unwrap_or(0)
}

/// Lowercases and replaces what a DNS name may not contain; None when that does not give a valid name.
fn sanitize_name(name: &str, rule: &str) -> Option<String> {
    let subdomain = rule == validation::DNS1123_SUBDOMAIN_MSG;
    let mut s: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() || (subdomain && c == '.') { c } else { '-' })
        .collect();
    while s.contains("--") {
        s = s.replace("--", "-");
    }
    let s = s.trim_matches(|c| c == '-' || c == '.').to_string();
    let ok = if rule == validation::DNS1123_LABEL_MSG {
        validation::is_dns1123_label(&s)
    } else if rule == validation::DNS1035_LABEL_MSG {
        validation::is_dns1035_label(&s)
    } else if subdomain {
        validation::is_dns1123_subdomain(&s)
    } else {
        false
    };
    (ok && s != name).then_some(s)
}

fn is_name_rule(detail: &str) -> bool {
    detail == validation::DNS1123_LABEL_MSG
        || detail == validation::DNS1123_SUBDOMAIN_MSG
        || detail == validation::DNS1035_LABEL_MSG
}

/// The last field name of a path (`spec.containers[0].name` → `name`,
/// `spec.resources[storage]` → `resources`).
fn last_field(path: &str) -> String {
    yaml::parse_path(path)
        .into_iter()
        .rev()
        .find_map(|s| match s {
            yaml::PathSeg::Field(f) => Some(f),
            _ => None,
        })
        .unwrap_or_default()
}

/// One sentence saying, in learner terms, what is wrong.
fn explain(kind: Kind, e: &FieldError) -> String {
    let p = e.path.as_str();
    let field_owned = last_field(p);
    let field = field_owned.as_str();
    let value = match &e.kind {
        ErrorType::Invalid { value }
        | ErrorType::Unsupported { value, .. }
        | ErrorType::NotFound { value }
        | ErrorType::Duplicate { value } => unquote(value),
        _ => String::new(),
    };
    let d = e.detail.as_str();
    match &e.kind {
        ErrorType::Required if p == "metadata.name" => "Every object needs a name: set `metadata.name`.".into(),
        ErrorType::Invalid { .. } if p == "metadata.name" || p.ends_with(".metadata.name") || field == "serviceName" || (field == "name" && is_name_rule(d)) => {
            let what = if p == "metadata.name" {
                format!("a {} name", kind.name())
            } else if field == "serviceName" {
                "a serviceName".to_string()
            } else if p.contains("volumeClaimTemplates[") {
                "a volume claim template name".to_string()
            } else if p.contains("ontainers[") && !p.contains("ports[") {
                "a container name".to_string()
            } else if p.contains("volumes[") {
                "a volume name".to_string()
            } else if p.contains("ports[") {
                "a port name".to_string()
            } else {
                format!("a `{field}` here")
            };
            let why = if p == "metadata.name" && kind == Kind::StatefulSet {
                format!(", because pod names (`{value}-0`) and DNS names are built from it")
            } else if field == "serviceName" {
                ", because it becomes part of each pod's DNS name (`<pod>.<serviceName>`)".to_string()
            } else {
                String::new()
            };
            let rule = if d == validation::DNS1123_SUBDOMAIN_MSG {
                "lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters"
            } else if d == validation::DNS1035_LABEL_MSG {
                "lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, at most 63 characters"
            } else {
                "lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters"
            };
            format!("`{value}` is not valid as {what}: use only {rule}{why}.")
        }
        ErrorType::Invalid { .. } if d.contains("does not match template `labels`") => "The pod template's labels do not match `spec.selector`: a StatefulSet must be able to find the pods it creates, so `spec.template.metadata.labels` must contain every `spec.selector.matchLabels` entry.".into(),
        ErrorType::Required if p == "spec.selector" => "A StatefulSet needs `spec.selector` (required in apps/v1) whose `matchLabels` equal the pod template's labels.".into(),
        ErrorType::Invalid { .. } if p == "spec.selector" && d.starts_with("empty selector") => "An empty selector is not allowed: give `spec.selector.matchLabels` the pod template's labels.".into(),
        ErrorType::Invalid { .. } if d.starts_with("name part must") => format!("`{value}` is not a valid label key: use letters, digits, '-', '_' and '.', starting and ending with a letter or digit (optionally with a DNS prefix such as `app.kubernetes.io/`)."),
        ErrorType::Invalid { .. } if d.starts_with("a valid label must") => format!("`{value}` is not a valid label value: use letters, digits, '-', '_' and '.', starting and ending with a letter or digit (at most 63 characters)."),
        ErrorType::Invalid { .. } if d == "must be no more than 63 characters" => format!("`{field}` is too long: at most 63 characters."),
        _ if p == "spec.podManagementPolicy" => "`podManagementPolicy` must be `OrderedReady` (the default: one pod at a time, in order) or `Parallel` (all at once).".into(),
        _ if p == "spec.updateStrategy" => "`updateStrategy.type` must be `RollingUpdate` (the default) or `OnDelete`.".into(),
        _ if p == "spec.updateStrategy.rollingUpdate" => "`rollingUpdate` settings only apply to `type: RollingUpdate`: remove them or change the type.".into(),
        _ if field == "maxUnavailable" => "`maxUnavailable` must be at least 1 (or a percentage from 1% to 100%).".into(),
        _ if p.starts_with("spec.persistentVolumeClaimRetentionPolicy") => format!("`{field}` must be `Retain` (the default: keep the PVCs) or `Delete`."),
        ErrorType::Invalid { .. } if d == "must be greater than or equal to 0" => format!("`{field}` cannot be negative."),
        ErrorType::Unsupported { .. } if p == "spec.template.spec.restartPolicy" => "StatefulSet pods are always restarted: `restartPolicy` can only be `Always` (the default, so you can also leave it out).".into(),
        ErrorType::Unsupported { .. } if field == "restartPolicy" => "`restartPolicy` must be `Always`, `OnFailure` or `Never`.".into(),
        ErrorType::Forbidden if field == "activeDeadlineSeconds" => "StatefulSet pods run until they are deleted: `activeDeadlineSeconds` is not allowed in a StatefulSet's pod template.".into(),
        ErrorType::Required if field == "accessModes" => "A volume claim needs `accessModes` (usually `[\"ReadWriteOnce\"]`).".into(),
        ErrorType::Unsupported { .. } if field == "accessModes" => format!("`{value}` is not an access mode: use ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod (spelled exactly like that)."),
        ErrorType::Forbidden if field == "accessModes" => "ReadWriteOncePod cannot be combined with other access modes.".into(),
        ErrorType::Required if p.ends_with("resources[storage]") => "A volume claim must request a size: `resources.requests.storage` (for example `1Gi`).".into(),
        ErrorType::Invalid { .. } if p.ends_with("[storage]") => format!("`{value}` is not a usable storage size: write a quantity greater than zero such as `1Gi` or `500Mi`."),
        _ if field == "volumeMode" => "`volumeMode` must be `Filesystem` (the default) or `Block`.".into(),
        ErrorType::Required if kind == Kind::PersistentVolume && p == "spec" => "A PersistentVolume needs a volume source, for example `hostPath: {path: /data/pv1}`.".into(),
        ErrorType::Forbidden if kind == Kind::PersistentVolume && p == "spec" => "A PersistentVolume may have only one volume source (hostPath, nfs, local, csi, ...).".into(),
        _ if kind == Kind::PersistentVolume && field == "capacity" => "A PersistentVolume needs a size: `capacity.storage` (for example `5Gi`).".into(),
        _ if field == "persistentVolumeReclaimPolicy" => "`persistentVolumeReclaimPolicy` must be `Retain`, `Delete` or `Recycle`.".into(),
        ErrorType::Required if p == "spec.ports" => "A Service that is not headless (`clusterIP: None`) needs at least one port.".into(),
        ErrorType::Required if p.starts_with("spec.ports[") => "When a Service has several ports, every port needs a `name`.".into(),
        ErrorType::Duplicate { .. } if p.starts_with("spec.ports[") => format!("Two ports are named `{value}`: port names must be unique."),
        _ if field == "port" || field == "containerPort" => format!("`{field}` must be between 1 and 65535."),
        _ if kind == Kind::Service && p == "spec.type" => "`type` must be ClusterIP, NodePort, LoadBalancer or ExternalName.".into(),
        ErrorType::Required if p == "provisioner" => "A StorageClass needs a `provisioner` (use `kubernetes.io/no-provisioner` for manually created volumes).".into(),
        _ if p == "reclaimPolicy" => "`reclaimPolicy` must be `Delete` (the default) or `Retain`.".into(),
        _ if p == "volumeBindingMode" => "`volumeBindingMode` must be `Immediate` (the default) or `WaitForFirstConsumer`.".into(),
        ErrorType::Required if field == "containers" => "A pod needs at least one container.".into(),
        ErrorType::Required if field == "image" => "Every container needs an `image`.".into(),
        ErrorType::Required if field == "name" => "This entry needs a `name`.".into(),
        ErrorType::Duplicate { .. } if field == "name" => format!("The name `{value}` is used twice: names must be unique here."),
        ErrorType::NotFound { .. } if p.contains("volumeMounts") => format!("The container mounts volume `{value}`, but the pod has no volume with that name."),
        ErrorType::Required if field == "mountPath" => "Every volumeMount needs a `mountPath`.".into(),
        ErrorType::Invalid { .. } if field == "mountPath" => format!("Two volumeMounts of this container use the mount path `{value}`."),
        _ => "The API server rejects this value.".into(),
    }
}

// ------------------------------------------------------------------------------------------ linter

struct Linter<'a, 't> {
    ctx: &'a ClusterContext,
    fixer: Fixer<'t>,
    out: Vec<Problem>,
}

/// A Service known from the file or the cluster.
struct Svc<'o> {
    name: String,
    ns: String,
    headless: bool,
    selector: BTreeMap<String, String>,
    /// The file document defining it.
    file: Option<&'o DocObj<'o>>,
}

/// A pod template (or pod) whose labels a Service may select.
struct Tmpl<'o> {
    ns: String,
    labels: BTreeMap<String, String>,
    /// The StatefulSet in the file it belongs to.
    sts: Option<&'o StatefulSet>,
}

/// A StorageClass known from the file or the cluster.
struct Class {
    name: String,
    default: bool,
    works: bool,
    provisioner: Option<String>,
}

/// A PersistentVolume known from the file or the cluster.
struct Pv {
    class: String,
    modes: Vec<String>,
    bytes: i128,
    volume_mode: String,
    labels: BTreeMap<String, String>,
    phase: String,
    claim: String,
}

struct Index<'o> {
    services: Vec<Svc<'o>>,
    templates: Vec<Tmpl<'o>>,
    classes: Vec<Class>,
    pvs: Vec<Pv>,
    unknown_cluster: bool,
    /// The file defines pod templates or pods (or the cluster is known).
    any_templates: bool,
    /// Some document could not be read: nothing can be said to be missing.
    incomplete: bool,
}

impl<'o> Index<'o> {
    fn build(objs: &'o [DocObj<'o>], ctx: &ClusterContext) -> Index<'o> {
        let mut services = Vec::new();
        let mut templates = Vec::new();
        let mut classes = Vec::new();
        let mut pvs = Vec::new();
        for o in objs {
            match &o.obj {
                Object::Service(s) => services.push(Svc {
                    name: s.metadata.name.clone(),
                    ns: o.ns.clone(),
                    headless: s.is_headless(),
                    selector: s.spec.selector.clone().unwrap_or_default(),
                    file: Some(o),
                }),
                Object::StatefulSet(s) => {
                    templates.push(Tmpl { ns: o.ns.clone(), labels: intended_labels(s).0, sts: Some(s) })
                }
                Object::Pod(p) => {
                    templates.push(Tmpl { ns: o.ns.clone(), labels: p.metadata.labels.clone(), sts: None })
                }
                Object::StorageClass(c) => classes.push(Class {
                    name: c.metadata.name.clone(),
                    default: c.is_default(),
                    works: provisioner_works(&c.provisioner),
                    provisioner: Some(c.provisioner.clone()),
                }),
                Object::PersistentVolume(v) => pvs.push(Pv {
                    class: v.spec.storage_class_name.clone().unwrap_or_default(),
                    modes: v.spec.access_modes.clone(),
                    bytes: quantity_bytes(v.spec.capacity.get("storage")),
                    volume_mode: v.spec.volume_mode.clone().unwrap_or_default(),
                    labels: v.metadata.labels.clone(),
                    phase: String::new(),
                    claim: v.spec.claim_ref.as_ref().map(claim_ref_key).unwrap_or_default(),
                }),
                _ => {}
            }
        }
        let file_svcs: HashSet<(String, String)> = services.iter().map(|s| (s.ns.clone(), s.name.clone())).collect();
        for s in &ctx.services {
            let ns = ns_or_default(&s.namespace);
            if !file_svcs.contains(&(ns.clone(), s.name.clone())) {
                services.push(Svc {
                    name: s.name.clone(),
                    ns,
                    headless: s.headless,
                    selector: s.selector.clone(),
                    file: None,
                });
            }
        }
        let any_templates = !templates.is_empty() || !ctx.is_empty();
        for p in &ctx.pod_labels {
            templates.push(Tmpl { ns: ns_or_default(&p.namespace), labels: p.labels.clone(), sts: None });
        }
        let file_classes: HashSet<String> = classes.iter().map(|c| c.name.clone()).collect();
        for (name, default, works) in &ctx.storage_classes {
            if !file_classes.contains(name) {
                classes.push(Class { name: name.clone(), default: *default, works: *works, provisioner: None });
            }
        }
        for v in &ctx.persistent_volumes {
            pvs.push(Pv {
                class: v.storage_class.clone(),
                modes: v.access_modes.clone(),
                bytes: quantity_bytes(Some(&v.capacity)),
                volume_mode: v.volume_mode.clone(),
                labels: v.labels.clone(),
                phase: v.phase.clone(),
                claim: v.claim.clone(),
            });
        }
        Index { services, templates, classes, pvs, unknown_cluster: ctx.is_empty(), any_templates, incomplete: false }
    }

    fn class(&self, name: &str) -> Option<&Class> {
        self.classes.iter().find(|c| c.name == name)
    }

    /// How many known PVs could bind one of `claims` (all with the same spec).
    fn fitting_pvs(&self, class: &str, spec: &PersistentVolumeClaimSpec, claims: &[String]) -> usize {
        let request = quantity_bytes(spec.resources.requests.get("storage"));
        let mode = spec.volume_mode.as_deref().filter(|m| !m.is_empty()).unwrap_or("Filesystem");
        let selector = spec.selector.as_ref().map(Selector::from_label_selector);
        self.pvs
            .iter()
            .filter(|pv| {
                let free = match pv.phase.as_str() {
                    "" | "Available" | "Pending" => pv.claim.is_empty() || claims.contains(&pv.claim),
                    "Bound" => claims.contains(&pv.claim),
                    _ => false,
                };
                free && pv.class == class
                    && spec.access_modes.iter().all(|m| pv.modes.contains(m))
                    && pv.bytes >= request
                    && (if pv.volume_mode.is_empty() { "Filesystem" } else { pv.volume_mode.as_str() }) == mode
                    && match &selector {
                        None => true,
                        Some(Some(s)) => s.matches(&pv.labels),
                        Some(None) => false,
                    }
            })
            .count()
    }

    fn known_class_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.classes.iter().map(|c| c.name.clone()).collect();
        if self.unknown_cluster {
            for (n, _, _) in PLAYGROUND_STORAGE_CLASSES {
                if !names.iter().any(|x| x == n) {
                    names.push(n.to_string());
                }
            }
        }
        for pv in &self.pvs {
            if !pv.class.is_empty() && !names.contains(&pv.class) {
                names.push(pv.class.clone());
            }
        }
        names
    }
}

/// Who uses a claim: a StatefulSet's claim template or a stand-alone PVC.
enum Consumer<'s> {
    Sts { sts: &'s StatefulSet, template: &'s str },
    Pvc { name: &'s str },
}

impl Linter<'_, '_> {
    /// Errors and warnings of every exact document, in document order. `structural_upto(d)` is
    /// the number of structural problems in documents `0..=d`: once that plus ours reaches
    /// [`MAX_PROBLEMS`], later documents would be cut off the sorted list anyway.
    fn run(&mut self, objs: &[DocObj], incomplete: bool, structural_upto: &dyn Fn(usize) -> usize) {
        let mut index = Index::build(objs, self.ctx);
        index.incomplete = incomplete;
        for o in objs.iter().filter(|o| o.exact) {
            if self.out.len() + structural_upto(o.doc.chunk.index) >= MAX_PROBLEMS {
                return;
            }
            self.semantic_errors(o);
            match &o.obj {
                Object::StatefulSet(s) => {
                    self.service_name_warnings(o, s, &index);
                    for (i, t) in s.spec.volume_claim_templates.iter().enumerate() {
                        let prefix = format!("spec.volumeClaimTemplates[{i}].spec");
                        self.storage_warning(
                            o,
                            &prefix,
                            &t.spec,
                            Consumer::Sts { sts: s, template: &t.metadata.name },
                            &index,
                        );
                    }
                    self.pod_template_warnings(o, s);
                }
                Object::Service(s) => self.service_selector_warning(o, s, &index),
                Object::PersistentVolumeClaim(c) => {
                    self.storage_warning(o, "spec", &c.spec, Consumer::Pvc { name: &c.metadata.name }, &index)
                }
                _ => {}
            }
        }
    }

    fn push(&mut self, p: Problem) {
        self.out.push(p);
    }

    // -------------------------------------------------------------------------------- errors

    fn semantic_errors(&mut self, o: &DocObj) {
        let errs = validation::validate_create(&o.obj);
        let kind = o.obj.kind();
        let name = o.obj.meta().name.clone();
        let n = errs.len();
        for e in &errs {
            let kubectl = validation::invalid_message(kind, &name, std::slice::from_ref(e));
            let mut message = format!("{} kubectl apply fails with: {kubectl}", explain(kind, e));
            if n > 1 {
                message.push_str(&format!(
                    " (kubectl lists it together with this object's {} in one message.)",
                    plural(n - 1, "other error")
                ));
            }
            let (pos_path, did_you_mean, fix) = self.refine_error(o, e);
            let mut p = problem_at_path(o.doc, &pos_path, Severity::Error, message);
            p.path = e.path.clone();
            p.did_you_mean = did_you_mean;
            p.fix = fix;
            self.push(p);
        }
    }

    /// Where to put an error exactly, and its did-you-mean and fix.
    fn refine_error(&mut self, o: &DocObj, e: &FieldError) -> (String, Option<String>, Option<Fix>) {
        let p = e.path.as_str();
        let root = o.root;
        let none = (p.to_string(), None, None);
        match &e.kind {
            ErrorType::Invalid { value }
                if is_name_rule(&e.detail)
                    || (e.detail == "must be no more than 63 characters"
                        && !p.contains("labels")
                        && p != "spec.selector") =>
            {
                let v = unquote(value);
                let Some(node) = yaml::locate(root, p).filter(|n| n.as_str() == Some(v.as_str())) else {
                    return none;
                };
                let Some(new) = sanitize_name(&v, &e.detail) else { return none };
                let fix = self.fixer.replace_scalar(node, &new).and_then(|edit| {
                    self.fixer.check(
                        o.doc,
                        format!("Rename to {new}"),
                        vec![edit],
                        &[(p, Some(Json::String(new.clone())))],
                    )
                });
                (p.to_string(), Some(new), fix)
            }
            ErrorType::Invalid { .. } if e.detail.contains("does not match template `labels`") => {
                match (&o.obj, self.labels_fix(o)) {
                    (Object::StatefulSet(_), Some((fix, dym))) => (p.to_string(), dym, Some(fix)),
                    _ => none,
                }
            }
            ErrorType::Invalid { value }
                if (p.ends_with("labels") || p.ends_with("matchLabels") || p == "spec.selector")
                    && !e.detail.starts_with("empty selector") =>
            {
                // Point at the offending entry of the map.
                let v = unquote(value);
                let entry = yaml::locate(root, p).and_then(|m| {
                    m.effective_entries()
                        .into_iter()
                        .find(|(k, n)| k.name == v || n.as_str() == Some(v.as_str()))
                        .map(|(k, _)| k.name.clone())
                });
                match entry {
                    Some(k) => (format!("{p}[{k}]"), None, None),
                    None => none,
                }
            }
            ErrorType::Required if p == "spec.selector" => (p.to_string(), None, self.selector_fix(o, false)),
            ErrorType::Invalid { .. } if p == "spec.selector" && e.detail.starts_with("empty selector") => {
                (p.to_string(), None, self.selector_fix(o, true))
            }
            ErrorType::Unsupported { value, supported } => {
                let v = unquote(value);
                let suggestion = if supported.len() == 1 {
                    supported.first().cloned()
                } else {
                    did_you_mean(&v, supported.iter().map(String::as_str)).map(str::to_string)
                };
                let Some(node) = yaml::locate(root, p) else { return none };
                let (pos_path, target) = match &node.value {
                    Value::Seq(items) => match items.iter().position(|n| n.as_str() == Some(v.as_str())) {
                        Some(i) => (format!("{p}[{i}]"), items.get(i)),
                        None => (p.to_string(), None),
                    },
                    _ if node.as_str() == Some(v.as_str()) => (p.to_string(), Some(node)),
                    _ => (p.to_string(), None),
                };
                let fix = match (&suggestion, target) {
                    (Some(s), Some(t)) => self.fixer.replace_scalar(t, s).and_then(|edit| {
                        self.fixer.check(
                            o.doc,
                            format!("Change to {s}"),
                            vec![edit],
                            &[(pos_path.as_str(), Some(Json::String(s.clone())))],
                        )
                    }),
                    _ => None,
                };
                (pos_path, suggestion, fix)
            }
            ErrorType::Invalid { value } if p == "spec.podManagementPolicy" => {
                let v = unquote(value);
                let suggestion = did_you_mean(&v, ["OrderedReady", "Parallel"]).map(str::to_string);
                let fix = suggestion.as_ref().and_then(|s| {
                    let node = yaml::locate(root, p)?;
                    let edit = self.fixer.replace_scalar(node, s)?;
                    self.fixer.check(o.doc, format!("Change to {s}"), vec![edit], &[(p, Some(Json::String(s.clone())))])
                });
                (p.to_string(), suggestion, fix)
            }
            ErrorType::Invalid { .. } if p == "spec.updateStrategy" => {
                let tp = "spec.updateStrategy.type";
                let Some(node) = yaml::locate(root, tp) else { return none };
                let suggestion =
                    node.as_str().and_then(|v| did_you_mean(v, ["RollingUpdate", "OnDelete"])).map(str::to_string);
                let fix = suggestion.as_ref().and_then(|s| {
                    let edit = self.fixer.replace_scalar(node, s)?;
                    self.fixer.check(
                        o.doc,
                        format!("Change to {s}"),
                        vec![edit],
                        &[(tp, Some(Json::String(s.clone())))],
                    )
                });
                (tp.to_string(), suggestion, fix)
            }
            ErrorType::Forbidden if p == "spec.template.spec.activeDeadlineSeconds" => {
                let fix = self.fixer.delete_entry_line(root, p).and_then(|edit| {
                    self.fixer.check(o.doc, "Remove activeDeadlineSeconds".into(), vec![edit], &[(p, None)])
                });
                (p.to_string(), None, fix)
            }
            ErrorType::Required if p.ends_with(".accessModes") || p == "spec.accessModes" => {
                let parent = p.strip_suffix(".accessModes").unwrap_or("spec");
                let fix = yaml::locate(root, parent).and_then(|spec| {
                    let edit = self.fixer.insert_entries(spec, &[("accessModes".into(), Yv::S(String::new()))])?;
                    // Render as a flow list: replace the placeholder value.
                    let edit = TextEdit {
                        new_text: edit.new_text.replacen("accessModes: \"\"", "accessModes: [\"ReadWriteOnce\"]", 1),
                        ..edit
                    };
                    self.fixer.check(
                        o.doc,
                        "Add accessModes: [\"ReadWriteOnce\"]".into(),
                        vec![edit],
                        &[(p, Some(serde_json::json!(["ReadWriteOnce"])))],
                    )
                });
                (p.to_string(), None, fix)
            }
            ErrorType::NotFound { value } if p.contains("volumeMounts") && p.ends_with(".name") => {
                // A bare Pod: the volumes are the pod's own.
                let Object::Pod(pod) = &o.obj else { return none };
                let names: Vec<String> = pod.spec.volumes.iter().map(|v| v.name.clone()).collect();
                let (dym, fix) = self.mount_rename(o, p, &unquote(value), &names, &mount_names_of(&pod.spec, p));
                (p.to_string(), dym, fix)
            }
            _ => none,
        }
    }

    /// Template labels → selector labels (copy when the template has none, else rename/add entries).
    fn labels_fix(&mut self, o: &DocObj) -> Option<(Fix, Option<String>)> {
        let Object::StatefulSet(sts) = &o.obj else { return None };
        let sel = sts.spec.selector.as_ref()?;
        if sel.match_labels.is_empty() {
            return None;
        }
        let mut want = sts.spec.template.metadata.labels.clone();
        for (k, v) in &sel.match_labels {
            want.insert(k.clone(), v.clone());
        }
        if !Selector::from_label_selector(sel)?.matches(&want) {
            return None;
        }
        let path = "spec.template.metadata.labels";
        let labels_node = yaml::locate(o.root, path);
        let mut edits = Vec::new();
        let mut renamed = Vec::new();
        let copy_title =
            format!("Copy the selector's labels ({}) into the pod template", fmt_labels(&sel.match_labels));
        let title = match labels_node {
            Some(n) if matches!(&n.value, Value::Map(e) if !e.is_empty()) => {
                let mut missing = Vec::new();
                for (k, v) in &sel.match_labels {
                    match n.get(k) {
                        Some(vn) if vn.as_str() == Some(v.as_str()) => {}
                        Some(vn) => {
                            edits.push(self.fixer.replace_scalar(vn, v)?);
                            renamed.push(format!("{k}: {v}"));
                        }
                        None => missing.push((k.clone(), Yv::S(v.clone()))),
                    }
                }
                if !missing.is_empty() {
                    edits.push(self.fixer.insert_entries(n, &missing)?);
                }
                if missing.is_empty() && renamed.len() == 1 {
                    format!("Change the template label to {}", renamed[0])
                } else {
                    format!("Make the template labels match the selector ({})", fmt_labels(&sel.match_labels))
                }
            }
            Some(n) if matches!(&n.value, Value::Map(_)) => {
                let entries: Vec<(String, Yv)> =
                    sel.match_labels.iter().map(|(k, v)| (k.clone(), Yv::S(v.clone()))).collect();
                edits.push(self.fixer.insert_entries(n, &entries)?);
                copy_title
            }
            Some(_) => return None,
            None => {
                edits.push(self.fixer.insert_path(
                    o.root,
                    &["spec", "template", "metadata", "labels"],
                    Yv::map(&sel.match_labels),
                )?);
                copy_title
            }
        };
        let want_json = serde_json::to_value(&want).ok()?;
        let fix = self.fixer.check(o.doc, title, edits, &[(path, Some(want_json))])?;
        let dym = if renamed.len() == 1 { renamed.pop() } else { None };
        Some((fix, dym))
    }

    /// A missing (or empty) `spec.selector` → the template's labels as `matchLabels`.
    fn selector_fix(&mut self, o: &DocObj, empty: bool) -> Option<Fix> {
        let Object::StatefulSet(sts) = &o.obj else { return None };
        let labels = &sts.spec.template.metadata.labels;
        if labels.is_empty() {
            return None;
        }
        let edit = if empty {
            match yaml::locate(o.root, "spec.selector.matchLabels") {
                Some(ml) if matches!(&ml.value, Value::Map(e) if e.is_empty()) => {
                    let entries: Vec<(String, Yv)> =
                        labels.iter().map(|(k, v)| (k.clone(), Yv::S(v.clone()))).collect();
                    self.fixer.insert_entries(ml, &entries)?
                }
                Some(_) => return None,
                None => {
                    let sel = yaml::locate(o.root, "spec.selector")?;
                    self.fixer.insert_entries(sel, &[("matchLabels".into(), Yv::map(labels))])?
                }
            }
        } else {
            self.fixer.insert_path(o.root, &["spec", "selector", "matchLabels"], Yv::map(labels))?
        };
        let want = serde_json::to_value(labels).ok()?;
        self.fixer.check(
            o.doc,
            format!("Select the pod template's labels ({})", fmt_labels(labels)),
            vec![edit],
            &[("spec.selector.matchLabels", Some(want))],
        )
    }

    // -------------------------------------------------------------------------------- warnings

    fn warn(&mut self, o: &DocObj, pos_path: &str, path: &str, message: String, dym: Option<String>, fix: Option<Fix>) {
        let mut p = problem_at_path(o.doc, pos_path, Severity::Warning, message);
        p.path = path.to_string();
        p.did_you_mean = dym;
        p.fix = fix;
        self.push(p);
    }

    /// Warning 1 (serviceName) and the governing Service not selecting the pods.
    fn service_name_warnings(&mut self, o: &DocObj, sts: &StatefulSet, index: &Index) {
        let sn = sts.spec.service_name.as_str();
        let path = "spec.serviceName";
        let (intended, mismatch) = intended_labels(sts);
        let labels = &intended;
        let pod0 = format!("{}-{}", sts.metadata.name, sts.start_ordinal());
        let where_ = if index.unknown_cluster { "in this file" } else { "in this file or in the cluster" };
        // Headless Services of this namespace that select the pods: the likely intended one.
        let selecting: Vec<&Svc> =
            index.services.iter().filter(|s| s.ns == o.ns && s.headless && selects(&s.selector, labels)).collect();
        if sn.is_empty() {
            let mut message = format!(
                "`spec.serviceName` is not set: the StatefulSet works and its pods run, but they get no DNS subdomain, so per-pod names such as `{pod0}.<service>` never resolve. Set it to the name of a headless Service (`clusterIP: None`) that selects the pods."
            );
            let mut dym = None;
            let mut fix = None;
            if let [svc] = selecting.as_slice() {
                message.push_str(&format!(" Service `{}` fits.", svc.name));
                dym = Some(svc.name.clone());
                let edit = match yaml::locate(o.root, path) {
                    Some(n) => self.fixer.replace_scalar(n, &svc.name),
                    None => yaml::locate(o.root, "spec").and_then(|spec| {
                        self.fixer.insert_entries(spec, &[("serviceName".into(), Yv::S(svc.name.clone()))])
                    }),
                };
                fix = edit.and_then(|e| {
                    self.fixer.check(
                        o.doc,
                        format!("Set serviceName: {}", svc.name),
                        vec![e],
                        &[(path, Some(Json::String(svc.name.clone())))],
                    )
                });
            }
            self.warn(o, path, path, message, dym, fix);
            return;
        }
        if !validation::is_dns1123_label(sn) {
            return; // already an error
        }
        let pod_dns = format!("{pod0}.{sn}");
        match index.services.iter().find(|s| s.ns == o.ns && s.name == sn) {
            None if index.incomplete => {}
            None => {
                let names: Vec<&str> =
                    index.services.iter().filter(|s| s.ns == o.ns).map(|s| s.name.as_str()).collect();
                let suggestion = match selecting.as_slice() {
                    [svc] => Some(svc.name.clone()),
                    _ => did_you_mean(sn, names.iter().copied()).map(str::to_string),
                };
                let mut message = format!(
                    "No Service named `{sn}` {where_}: Kubernetes accepts the StatefulSet and its pods run, but their per-pod DNS names do not resolve (`nslookup {pod_dns}` fails with `can't resolve '{pod_dns}'`). Create a headless Service (`clusterIP: None`) named `{sn}` that selects the pod labels ({}).",
                    fmt_labels(labels)
                );
                let mut fix = None;
                if let Some(s) = &suggestion {
                    message.push_str(&format!(" Did you mean `{s}`?"));
                    fix = yaml::locate(o.root, path).and_then(|n| self.fixer.replace_scalar(n, s)).and_then(|e| {
                        self.fixer.check(
                            o.doc,
                            format!("Change serviceName to {s}"),
                            vec![e],
                            &[(path, Some(Json::String(s.clone())))],
                        )
                    });
                }
                self.warn(o, path, path, message, suggestion, fix);
            }
            Some(svc) => {
                if !svc.headless {
                    let message = format!(
                        "Service `{sn}` is not headless (it has no `clusterIP: None`): it gets a virtual IP and `{sn}` resolves to that, but per-pod names such as `{pod_dns}` are only published for headless Services and will not resolve. Add `clusterIP: None` to the Service{}.",
                        if svc.file.is_some() { "" } else { " (clusterIP cannot be changed on an existing Service: delete and re-create it)" }
                    );
                    let fix = svc.file.and_then(|f| self.headless_fix(f));
                    self.warn(o, path, path, message, None, fix);
                }
                if !mismatch && !selects(&svc.selector, labels) {
                    let lp = "spec.template.metadata.labels";
                    let why = if svc.selector.is_empty() {
                        format!("Service `{sn}` (this StatefulSet's serviceName) has no selector, so Kubernetes creates no endpoints for it")
                    } else {
                        format!(
                            "Service `{sn}` (this StatefulSet's serviceName) selects {} but the pod template's labels are {}",
                            fmt_labels(&svc.selector),
                            fmt_labels(labels)
                        )
                    };
                    let message = format!(
                        "{why}: the Service gets no endpoints for these pods, so `{pod_dns}` and `{sn}` do not resolve although the pods run."
                    );
                    self.warn(o, lp, lp, message, None, None);
                }
            }
        }
    }

    /// `clusterIP: None` for a Service in the file.
    fn headless_fix(&mut self, svc: &DocObj) -> Option<Fix> {
        let path = "spec.clusterIP";
        let edit = match yaml::locate(svc.root, path) {
            Some(n) => self.fixer.replace_scalar(n, "None")?,
            None => {
                let spec = yaml::locate(svc.root, "spec")?;
                self.fixer.insert_entries(spec, &[("clusterIP".into(), Yv::S("None".into()))])?
            }
        };
        self.fixer.check(
            svc.doc,
            "Make the Service headless (clusterIP: None)".into(),
            vec![edit],
            &[(path, Some(Json::String("None".into())))],
        )
    }

    /// Warning 2: a Service in the file whose selector matches no pod template.
    fn service_selector_warning(&mut self, o: &DocObj, svc: &Service, index: &Index) {
        let Some(selector) = svc.spec.selector.as_ref().filter(|s| !s.is_empty()) else { return };
        if !index.any_templates || index.incomplete {
            return;
        }
        let candidates: Vec<&Tmpl> = index.templates.iter().filter(|t| t.ns == o.ns).collect();
        if candidates.iter().any(|t| selects(selector, &t.labels)) {
            return;
        }
        let name = svc.metadata.name.as_str();
        // The intended pods: a StatefulSet governed by this Service, else a template whose labels
        // are close to the selector.
        let intended = candidates.iter().find(|t| t.sts.is_some_and(|s| s.spec.service_name == name)).or_else(|| {
            let close: Vec<&&Tmpl> = candidates
                .iter()
                .filter(|t| {
                    selector.iter().all(|(k, v)| {
                        t.labels.get(k).is_some_and(|w| w == v || did_you_mean(v, [w.as_str()]).is_some())
                    })
                })
                .collect();
            match close.as_slice() {
                [one] => Some(*one),
                _ => None,
            }
        });
        let example = candidates
            .iter()
            .find_map(|t| t.sts.filter(|s| s.spec.service_name == name))
            .map(|s| format!(" and per-pod names such as `{}-{}.{name}` do", s.metadata.name, s.start_ordinal()))
            .unwrap_or_else(|| " does".into());
        let where_ = if index.unknown_cluster { "in this file" } else { "in this file or in the cluster" };
        let mut message = format!(
            "This Service selects pods labelled {}, but no pod template {where_} has these labels: the Service gets no endpoints, so `{name}`{example} not resolve.",
            fmt_labels(selector)
        );
        let path = "spec.selector";
        let mut dym = None;
        let mut fix = None;
        if let Some(t) = intended {
            if selector.keys().all(|k| t.labels.contains_key(k)) {
                let mut edits = Vec::new();
                let mut want = selector.clone();
                let mut ok = true;
                for (k, v) in selector {
                    let w = &t.labels[k];
                    if w != v {
                        match yaml::locate(o.root, &format!("{path}[{k}]"))
                            .and_then(|n| self.fixer.replace_scalar(n, w))
                        {
                            Some(e) => edits.push(e),
                            None => ok = false,
                        }
                        want.insert(k.clone(), w.clone());
                    }
                }
                let suggestion = fmt_labels(&want);
                message.push_str(&format!(" Did you mean {suggestion}?"));
                dym = Some(suggestion.clone());
                if ok {
                    if let Ok(want_json) = serde_json::to_value(&want) {
                        fix =
                            self.fixer.check(o.doc, format!("Select {suggestion}"), edits, &[(path, Some(want_json))]);
                    }
                }
            }
        }
        self.warn(o, path, path, message, dym, fix);
    }

    /// Warning 3: a claim that can neither be provisioned nor bound.
    fn storage_warning(
        &mut self,
        o: &DocObj,
        prefix: &str,
        spec: &PersistentVolumeClaimSpec,
        who: Consumer,
        index: &Index,
    ) {
        if index.incomplete {
            return;
        }
        let path = format!("{prefix}.storageClassName");
        let claims: Vec<String> = match &who {
            Consumer::Sts { sts, template } => {
                let n = sts.replicas().max(0);
                if n == 0 {
                    return;
                }
                let start = sts.start_ordinal();
                (0..n.min(10_000))
                    .map(|i| format!("{}/{template}-{}-{}", o.ns, sts.metadata.name, start.saturating_add(i)))
                    .collect()
            }
            Consumer::Pvc { name } => vec![format!("{}/{name}", o.ns)],
        };
        let requested = spec.storage_class_name.as_deref();
        // The class the claim ends up with (admission gives class-less claims the default one).
        let (class, defaulted) = match requested {
            Some(c) => (c.to_string(), false),
            None if index.unknown_cluster => return,
            None => match index.classes.iter().find(|c| c.default) {
                Some(d) => (d.name.clone(), true),
                None => (String::new(), true),
            },
        };
        enum Why<'c> {
            Missing,
            Unknown,
            NoProvisioner(&'c Class),
            NoClass,
        }
        let why = if class.is_empty() {
            Why::NoClass
        } else {
            match index.class(&class) {
                Some(c) if c.works => return,
                Some(c) => Why::NoProvisioner(c),
                None if index.unknown_cluster => Why::Unknown,
                None => Why::Missing,
            }
        };
        let fits = index.fitting_pvs(&class, spec, &claims);
        if fits >= claims.len() {
            return;
        }
        let modes =
            if spec.access_modes.is_empty() { "no access mode".to_string() } else { spec.access_modes.join(",") };
        let size = spec.resources.requests.get("storage").cloned().unwrap_or_else(|| "no size".into());
        let shape = format!("{modes}, at least {size}");
        let class_txt = if class.is_empty() { "without a class".to_string() } else { format!("of class `{class}`") };
        let pv_where = if index.unknown_cluster { "in this file" } else { "in this file or in the cluster" };
        let event = match &why {
            Why::Missing | Why::Unknown => {
                format!("Warning ProvisioningFailed: storageclass.storage.k8s.io \"{class}\" not found")
            }
            Why::NoClass => {
                "Normal FailedBinding: no persistent volumes available for this claim and no storage class is set"
                    .into()
            }
            Why::NoProvisioner(_) => {
                "Normal WaitForFirstConsumer / FailedBinding, and no volume is ever created".into()
            }
        };
        // Which claim/pod is the first one stuck, and what happens after it.
        let consequence = match &who {
            Consumer::Sts { sts, template } => {
                let ord = sts.start_ordinal().saturating_add(fits as i32);
                let claim = format!("{template}-{}-{ord}", sts.metadata.name);
                let pod = format!("{}-{ord}", sts.metadata.name);
                let after = if sts.is_parallel() {
                    format!("with podManagementPolicy Parallel, every pod from `{pod}` on stays Pending")
                } else {
                    format!("with OrderedReady (the default) the StatefulSet creates no pod or claim after `{pod}`")
                };
                let sched = "0/N nodes are available: pod has unbound immediate PersistentVolumeClaims";
                format!("claim `{claim}` stays Pending ({event}), so pod `{pod}` stays Pending (FailedScheduling: {sched}); {after}.")
            }
            Consumer::Pvc { name } => {
                format!("claim `{name}` stays Pending ({event}), and every pod that uses it stays Pending.")
            }
        };
        let partial = if fits > 0 {
            format!(
                "Only {} {class_txt} {pv_where} fit{} these claims ({shape}) but {} needed: ",
                plural(fits, "PersistentVolume"),
                if fits == 1 { "s" } else { "" },
                plural(claims.len(), "claim is").replace("claims is", "claims are")
            )
        } else {
            String::new()
        };
        let lead = match &why {
            Why::Missing => {
                let known: Vec<String> = index.classes.iter().map(|c| if c.default { format!("{} (default)", c.name) } else { c.name.clone() }).collect();
                format!(
                    "StorageClass `{class}` does not exist (known classes: {}), and {}",
                    if known.is_empty() { "none".into() } else { known.join(", ") },
                    if fits > 0 { "no provisioner can create the rest. ".to_string() } else { format!("no PersistentVolume {class_txt} {pv_where} fits this claim ({shape}). ") }
                )
            }
            Why::Unknown => format!(
                "StorageClass `{class}` is not defined in this file{}. If the cluster has no class `{class}`, ",
                if fits > 0 { String::new() } else { format!(" and no PersistentVolume {class_txt} in this file fits this claim ({shape})") }
            ),
            Why::NoProvisioner(c) => format!(
                "StorageClass `{class}` has no provisioner{}, so no volume is created automatically, and {}",
                c.provisioner.as_deref().map(|p| format!(" ({p})")).unwrap_or_default(),
                if fits > 0 { "the remaining claims cannot bind. ".to_string() } else { format!("no PersistentVolume {class_txt} {pv_where} fits this claim ({shape}). ") }
            ),
            Why::NoClass if defaulted => format!(
                "There is no default StorageClass, so this claim gets no class and can only bind a PersistentVolume without a class{}. ",
                if fits > 0 { String::new() } else { format!(", and none {pv_where} fits ({shape})") }
            ),
            Why::NoClass => format!(
                "`storageClassName: \"\"` turns dynamic provisioning off: the claim can only bind an existing PersistentVolume without a class{}. ",
                if fits > 0 { String::new() } else { format!(", and none {pv_where} fits ({shape})") }
            ),
        };
        let mut message = if matches!(why, Why::Unknown) {
            format!("{partial}{lead}{consequence}")
        } else {
            format!("{partial}{lead}The API accepts it, but {consequence}")
        };
        if matches!(why, Why::Unknown) {
            if PLAYGROUND_STORAGE_CLASSES.iter().any(|(n, _, _)| *n == class) {
                message.push_str(" The default playground cluster has `standard` (the default) and `gluster-dynamic`, so it works there.");
            } else {
                message.push_str(
                    " The default playground cluster only has `standard` (the default) and `gluster-dynamic`.",
                );
            }
        }
        // did-you-mean: a known class with a similar name; for "" the default class.
        let mut dym = None;
        let mut fix = None;
        if requested.is_some_and(|r| !r.is_empty()) {
            let names = index.known_class_names();
            if let Some(s) = did_you_mean(&class, names.iter().map(String::as_str)) {
                let s = s.to_string();
                message.push_str(&format!(" Did you mean `{s}`?"));
                fix = yaml::locate(o.root, &path).and_then(|n| self.fixer.replace_scalar(n, &s)).and_then(|e| {
                    self.fixer.check(
                        o.doc,
                        format!("Use StorageClass {s}"),
                        vec![e],
                        &[(path.as_str(), Some(Json::String(s.clone())))],
                    )
                });
                dym = Some(s);
            }
        } else if requested == Some("") && fits == 0 {
            let default = if index.unknown_cluster {
                Some("standard".to_string())
            } else {
                index.classes.iter().find(|c| c.default && c.works).map(|c| c.name.clone())
            };
            if let Some(d) = default {
                message.push_str(&format!(" Leave `storageClassName` out to use the default StorageClass (`{d}`)."));
                fix = self.fixer.delete_entry_line(o.root, &path).and_then(|e| {
                    self.fixer.check(
                        o.doc,
                        "Remove storageClassName (use the default StorageClass)".into(),
                        vec![e],
                        &[(path.as_str(), None)],
                    )
                });
            }
        }
        self.warn(o, &path, &path, message, dym, fix);
    }

    /// Warning 4: the pod built from the template is invalid, so every pod creation fails.
    fn pod_template_warnings(&mut self, o: &DocObj, sts: &StatefulSet) {
        let templates: Vec<String> = sts.spec.volume_claim_templates.iter().map(|t| t.metadata.name.clone()).collect();
        // The pod's volumes as the controller builds them: claims first, then the template's others.
        let mut origin: Vec<String> = Vec::new();
        let mut spec = sts.spec.template.spec.clone();
        let mut volumes = Vec::new();
        for (j, t) in templates.iter().enumerate() {
            volumes.push(Volume {
                name: t.clone(),
                persistent_volume_claim: Some(PersistentVolumeClaimVolumeSource {
                    claim_name: format!("{t}-{}-{}", sts.metadata.name, sts.start_ordinal()),
                    read_only: None,
                }),
                extra: Default::default(),
            });
            origin.push(format!("spec.volumeClaimTemplates[{j}].metadata.name"));
        }
        for (i, v) in std::mem::take(&mut spec.volumes).into_iter().enumerate() {
            if !templates.contains(&v.name) {
                volumes.push(v);
                origin.push(format!("spec.template.spec.volumes[{i}]"));
            }
        }
        spec.volumes = volumes;
        let mut errs = Vec::new();
        validation::validate_pod_spec("spec", &spec, &mut errs);
        // restartPolicy is checked by the StatefulSet validation itself.
        errs.retain(|e| !e.path.ends_with("restartPolicy"));
        if errs.is_empty() {
            return;
        }
        let pod = format!("{}-{}", sts.metadata.name, sts.start_ordinal());
        // The event lists every error; quote at most a few of them in each message.
        let mut list: Vec<String> = errs.iter().take(MAX_QUOTED_ERRORS).map(|e| e.to_string()).collect();
        if errs.len() > MAX_QUOTED_ERRORS {
            list.push(format!("... ({} more)", errs.len() - MAX_QUOTED_ERRORS));
        }
        let invalid = if errs.len() == 1 {
            format!("Pod \"{pod}\" is invalid: {}", list.join(""))
        } else {
            format!("Pod \"{pod}\" is invalid: [{}]", list.join(", "))
        };
        let event = format!(
            "Warning FailedCreate ... create Pod {pod} in StatefulSet {} failed error: {invalid}",
            sts.metadata.name
        );
        let names_under_unknown = names_under_unknown_spec_fields(o.root);
        let all_names: Vec<String> = spec.volumes.iter().map(|v| v.name.clone()).collect();
        for e in &errs {
            let file_path = match e.path.strip_prefix("spec.volumes[") {
                Some(rest) => {
                    let (idx, tail) = rest.split_once(']').unwrap_or((rest, ""));
                    match idx.parse::<usize>().ok().and_then(|i| origin.get(i)) {
                        Some(orig) if orig.starts_with("spec.volumeClaimTemplates") => orig.clone(),
                        Some(orig) => format!("{orig}{tail}"),
                        None => "spec.template.spec.volumes".to_string(),
                    }
                }
                None => match e.path.strip_prefix("spec.") {
                    Some(rest) => format!("spec.template.spec.{rest}"),
                    None => "spec.template.spec".to_string(),
                },
            };
            let mut message = format!(
                "{} Kubernetes accepts the StatefulSet (it does not validate the pod template), but every pod creation fails: `kubectl describe sts {}` shows {event} and no pod appears (READY 0/{}).",
                explain(Kind::Pod, e),
                sts.metadata.name,
                sts.replicas().max(0)
            );
            let mut dym = None;
            let mut fix = None;
            match &e.kind {
                ErrorType::NotFound { value } if file_path.contains("volumeMounts") && file_path.ends_with(".name") => {
                    let v = unquote(value);
                    if let Some(field) = names_under_unknown.iter().find(|(n, _)| *n == v).map(|(_, f)| f.clone()) {
                        message.push_str(&format!(
                            " `{v}` is only defined under the unknown field `spec.{field}` (see the error there): kubectl's default --validate=strict rejects the StatefulSet because of it, and with --validate=warn or ignore the field is dropped and you get exactly this failure."
                        ));
                    } else {
                        let used = mount_names_of(&spec, &e.path);
                        let (d, f) = self.mount_rename(o, &file_path, &v, &all_names, &used);
                        if let Some(s) = &d {
                            message.push_str(&format!(" Did you mean `{s}`?"));
                        } else if all_names.is_empty() {
                            message.push_str(" Add a volume under `spec.template.spec.volumes` or a `spec.volumeClaimTemplates` entry with this name.");
                        }
                        dym = d;
                        fix = f;
                    }
                }
                ErrorType::Invalid { value }
                    if is_name_rule(&e.detail) && !file_path.starts_with("spec.volumeClaimTemplates") =>
                {
                    let v = unquote(value);
                    if let (Some(new), Some(node)) = (sanitize_name(&v, &e.detail), yaml::locate(o.root, &file_path)) {
                        if node.as_str() == Some(v.as_str()) {
                            fix = self.fixer.replace_scalar(node, &new).and_then(|edit| {
                                self.fixer.check(
                                    o.doc,
                                    format!("Rename to {new}"),
                                    vec![edit],
                                    &[(file_path.as_str(), Some(Json::String(new.clone())))],
                                )
                            });
                            dym = Some(new);
                        }
                    }
                }
                _ => {}
            }
            self.warn(o, &file_path, &file_path, message, dym, fix);
        }
    }

    /// did-you-mean and rename fix for a volumeMount naming no volume.
    fn mount_rename(
        &mut self,
        o: &DocObj,
        path: &str,
        name: &str,
        volumes: &[String],
        used: &[String],
    ) -> (Option<String>, Option<Fix>) {
        let suggestion = did_you_mean(name, volumes.iter().map(String::as_str)).map(str::to_string).or_else(|| {
            // The only volume this container does not mount yet.
            let unused: Vec<&String> = volumes.iter().filter(|v| !used.contains(v)).collect();
            match unused.as_slice() {
                [one] => Some((*one).clone()),
                _ => None,
            }
        });
        let fix = suggestion.as_ref().and_then(|s| {
            let node = yaml::locate(o.root, path).filter(|n| n.as_str() == Some(name))?;
            let edit = self.fixer.replace_scalar(node, s)?;
            self.fixer.check(o.doc, format!("Mount volume {s}"), vec![edit], &[(path, Some(Json::String(s.clone())))])
        });
        (suggestion, fix)
    }
}

/// The labels the pods will have once the StatefulSet is valid: the template's, with the
/// selector's `matchLabels` laid over them when they do not match (that is an error of its own,
/// and the fix offered for it). The flag says whether they did not match.
fn intended_labels(sts: &StatefulSet) -> (BTreeMap<String, String>, bool) {
    let mut labels = sts.spec.template.metadata.labels.clone();
    let Some(sel) = sts.spec.selector.as_ref() else { return (labels, false) };
    let matches = Selector::from_label_selector(sel).is_some_and(|s| !s.is_empty() && s.matches(&labels));
    if matches {
        return (labels, false);
    }
    for (k, v) in &sel.match_labels {
        labels.insert(k.clone(), v.clone());
    }
    (labels, true)
}

/// The mount names of the container that `mount_path` (`spec.containers[0].volumeMounts[1].name`) belongs to.
fn mount_names_of(spec: &PodSpec, mount_path: &str) -> Vec<String> {
    let rest = mount_path.strip_prefix("spec.").unwrap_or(mount_path);
    let (list, rest) = if let Some(r) = rest.strip_prefix("containers[") {
        (&spec.containers, r)
    } else if let Some(r) = rest.strip_prefix("initContainers[") {
        (&spec.init_containers, r)
    } else {
        return Vec::new();
    };
    let idx = rest.split(']').next().and_then(|i| i.parse::<usize>().ok());
    idx.and_then(|i| list.get(i)).map(|c| c.volume_mounts.iter().map(|m| m.name.clone()).collect()).unwrap_or_default()
}

/// `metadata.name`s found under unknown fields of a StatefulSet's `spec` (e.g. a misspelled
/// `volumeClaimTemolates`): (name, field).
fn names_under_unknown_spec_fields(root: &Node) -> Vec<(String, String)> {
    let Some(spec) = root.get("spec") else { return Vec::new() };
    let Some(td) = schema::schema().type_def("apps.v1.StatefulSetSpec") else { return Vec::new() };
    let mut out = Vec::new();
    for (k, v) in spec.effective_entries() {
        if td.field(&k.name).is_some() {
            continue;
        }
        let items: Vec<&Node> = match &v.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![v],
        };
        for it in items {
            if let Some(n) = it.get("metadata").and_then(|m| m.get("name")).and_then(Node::as_str) {
                out.push((n.to_string(), k.name.clone()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problems::apply_all_fixes;

    const SEED: &str = include_str!("../data/fixtures/stateful-demo.yaml");
    const FIXED: &str = include_str!("../data/fixtures/stateful-demo-fixed.yaml");

    fn dflt() -> ClusterContext {
        ClusterContext::default_cluster()
    }

    fn empty() -> ClusterContext {
        ClusterContext::default()
    }

    /// Runs the linter and checks the invariants every result must have: sorted, positioned,
    /// no duplicates, and every fix applies and keeps the YAML parsable.
    fn lint(text: &str, ctx: &ClusterContext) -> Vec<Problem> {
        let ps = problems(text, ctx);
        for w in ps.windows(2) {
            assert!((w[0].document, w[0].line, w[0].column) <= (w[1].document, w[1].line, w[1].column), "{ps:#?}");
        }
        let parses = parse_manifest(text).iter().all(|d| d.result.is_ok());
        let mut seen = HashSet::new();
        for p in &ps {
            assert!(p.line >= 1 && p.column >= 1, "{p:#?}");
            assert!((p.end_line, p.end_column) >= (p.line, p.column), "{p:#?}");
            assert!(seen.insert((p.document, p.line, p.column, p.path.clone(), p.message.clone())), "dup {p:#?}");
            if let Some(f) = &p.fix {
                let t = apply_edits(text, &f.edits).unwrap_or_else(|e| panic!("{e}: {p:#?}"));
                if parses {
                    assert!(
                        parse_manifest(&t).iter().all(|d| d.result.is_ok()),
                        "fix {:?} broke\n{text}\n---->\n{t}",
                        f.title
                    );
                }
            }
        }
        ps
    }

    fn find<'p>(ps: &'p [Problem], path: &str) -> &'p Problem {
        ps.iter().find(|p| p.path == path).unwrap_or_else(|| panic!("no problem at {path}: {ps:#?}"))
    }

    fn pos(p: &Problem) -> (u32, u32) {
        (p.line, p.column)
    }

    fn summary(ps: &[Problem]) -> Vec<(Severity, &str)> {
        ps.iter().map(|p| (p.severity, p.path.as_str())).collect()
    }

    /// Applies a problem's fix.
    fn apply(text: &str, p: &Problem) -> String {
        let f = p.fix.as_ref().unwrap_or_else(|| panic!("no fix: {p:#?}"));
        apply_edits(text, &f.edits).unwrap()
    }

    // ------------------------------------------------------------------------------- fixtures

    #[test]
    fn seed_fixture_has_exactly_the_structural_problems() {
        for ctx in [dflt(), empty()] {
            let ps = lint(SEED, &ctx);
            assert_eq!(ps, structural_problems(SEED));
            assert_eq!(
                summary(&ps),
                vec![
                    (Severity::Error, "spec.template.spec.containers"),
                    (Severity::Error, "spec.volumeClaimTemolates")
                ]
            );
            assert_eq!(pos(&ps[0]), (30, 7));
            assert_eq!(pos(&ps[1]), (39, 3));
        }
        let fixed = apply_all_fixes(SEED, &problems(SEED, &dflt()));
        assert!(lint(&fixed, &dflt()).is_empty(), "{:#?}", problems(&fixed, &dflt()));
        let json =
            |t: &str| -> Vec<Json> { parse_manifest(t).iter().filter_map(|d| d.root().map(Node::to_json)).collect() };
        assert_eq!(json(&fixed), json(FIXED));
        // The same through the cluster's own objects.
        let objs = [Object::StorageClass(StorageClass {
            metadata: ObjectMeta { name: "gluster-dynamic".into(), ..Default::default() },
            provisioner: "playground.local/glusterfs".into(),
            ..Default::default()
        })];
        assert!(lint(&fixed, &ClusterContext::from_objects(&objs)).is_empty());
    }

    #[test]
    fn fixed_fixture_with_an_unknown_cluster() {
        assert!(lint(FIXED, &dflt()).is_empty());
        let ps = lint(FIXED, &empty());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        let p = &ps[0];
        assert_eq!(p.severity, Severity::Warning);
        assert_eq!(p.document, 1);
        assert_eq!((p.line, p.column, p.end_line, p.end_column), (44, 7, 44, 23));
        assert_eq!(p.path, "spec.volumeClaimTemplates[0].spec.storageClassName");
        assert!(p.message.contains("StorageClass `gluster-dynamic` is not defined in this file"), "{}", p.message);
        assert!(p.message.contains("claim `myappdata-myapp-0` stays Pending"));
        assert!(p.message.contains("storageclass.storage.k8s.io \"gluster-dynamic\" not found"));
        assert!(p.message.contains("the StatefulSet creates no pod or claim after `myapp-0`"));
        assert!(p.message.contains("default playground cluster has `standard` (the default) and `gluster-dynamic`"));
        assert!(p.fix.is_none());
    }

    #[test]
    fn half_fixed_seed_explains_the_missing_claim_template() {
        // Only the containers fix applied: the misspelled field is dropped by --validate=warn.
        let seed = structural_problems(SEED);
        let half = apply(SEED, &seed[0]);
        let ps = lint(&half, &dflt());
        assert_eq!(
            summary(&ps),
            vec![
                (Severity::Warning, "spec.template.spec.containers[0].volumeMounts[0].name"),
                (Severity::Error, "spec.volumeClaimTemolates"),
            ]
        );
        let w = &ps[0];
        assert_eq!(pos(w), (37, 13));
        assert!(w.message.contains("FailedCreate ... create Pod myapp-0 in StatefulSet myapp failed error: Pod \"myapp-0\" is invalid: spec.containers[0].volumeMounts[0].name: Not found: \"myappdata\""), "{}", w.message);
        assert!(w.message.contains("only defined under the unknown field `spec.volumeClaimTemolates`"));
        assert!(w.fix.is_none());
        assert!(lint(&apply(&half, &ps[1]), &dflt()).is_empty());
    }

    // ------------------------------------------------------------------------- semantic errors

    const BAD_STS: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: Web
spec:
  serviceName: web
  replicas: -1
  podManagementPolicy: parallel
  updateStrategy:
    type: Rollingupdate
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: nginx
    spec:
      restartPolicy: Never
      activeDeadlineSeconds: 30
      containers:
      - name: web
        image: nginx:1.25
        volumeMounts:
        - name: data
          mountPath: /data
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      resources:
        requests:
          storage: 1Gi
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector:
    app: web
";

    #[test]
    fn statefulset_validation_errors() {
        let ps = lint(BAD_STS, &dflt());
        assert_eq!(
            summary(&ps),
            vec![
                (Severity::Error, "metadata.name"),
                (Severity::Error, "spec.replicas"),
                (Severity::Error, "spec.podManagementPolicy"),
                (Severity::Error, "spec.updateStrategy"),
                (Severity::Error, "spec.template.metadata.labels"),
                (Severity::Error, "spec.template.spec.restartPolicy"),
                (Severity::Error, "spec.template.spec.activeDeadlineSeconds"),
                (Severity::Error, "spec.volumeClaimTemplates[0].spec.accessModes"),
            ]
        );
        let name = find(&ps, "metadata.name");
        assert_eq!((name.line, name.column, name.end_column), (4, 3, 7));
        assert!(name.message.contains("`Web` is not valid as a StatefulSet name"));
        assert!(name.message.contains(&format!(
            "kubectl apply fails with: The StatefulSet \"Web\" is invalid: metadata.name: Invalid value: \"Web\": {}",
            validation::DNS1123_LABEL_MSG
        )));
        assert!(name.message.contains("7 other errors"));
        assert_eq!(name.did_you_mean.as_deref(), Some("web"));
        assert!(apply(BAD_STS, name).contains("  name: web\nspec:"));

        let r = find(&ps, "spec.replicas");
        assert_eq!(pos(r), (7, 3));
        assert!(r.message.contains(
            "The StatefulSet \"Web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        ));
        assert!(r.fix.is_none());

        let pmp = find(&ps, "spec.podManagementPolicy");
        assert_eq!(pos(pmp), (8, 3));
        assert!(pmp
            .message
            .contains("spec.podManagementPolicy: Invalid value: \"parallel\": must be 'OrderedReady' or 'Parallel'"));
        assert_eq!(pmp.did_you_mean.as_deref(), Some("Parallel"));
        assert!(apply(BAD_STS, pmp).contains("podManagementPolicy: Parallel\n"));

        let us = find(&ps, "spec.updateStrategy");
        assert_eq!(pos(us), (10, 5), "placed on the type key");
        assert!(us
            .message
            .contains("spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:\"Rollingupdate\""));
        assert_eq!(us.did_you_mean.as_deref(), Some("RollingUpdate"));

        let labels = find(&ps, "spec.template.metadata.labels");
        assert_eq!((labels.line, labels.column, labels.end_column), (16, 7, 13));
        assert!(labels.message.contains("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"nginx\"}: `selector` does not match template `labels`"));
        assert_eq!(labels.did_you_mean.as_deref(), Some("app: web"));
        assert!(apply(BAD_STS, labels).contains("      labels:\n        app: web\n"));

        let rp = find(&ps, "spec.template.spec.restartPolicy");
        assert_eq!(pos(rp), (19, 7));
        assert!(rp
            .message
            .contains("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""));
        assert_eq!(rp.did_you_mean.as_deref(), Some("Always"));
        assert!(apply(BAD_STS, rp).contains("restartPolicy: Always\n"));

        let ads = find(&ps, "spec.template.spec.activeDeadlineSeconds");
        assert_eq!(pos(ads), (20, 7));
        assert!(ads.message.contains("Forbidden: activeDeadlineSeconds in StatefulSet is not Supported"));
        assert!(!apply(BAD_STS, ads).contains("activeDeadlineSeconds"));

        let am = find(&ps, "spec.volumeClaimTemplates[0].spec.accessModes");
        assert_eq!(pos(am), (30, 5), "missing field: on its parent's key");
        assert!(am.message.contains("Required value: at least 1 access mode is required"));
        assert!(apply(BAD_STS, am).contains("    spec:\n      accessModes: [\"ReadWriteOnce\"]\n      resources:"));

        // All fixes together leave only the negative replicas (no fix for that).
        let all = apply_all_fixes(BAD_STS, &ps);
        assert_eq!(summary(&lint(&all, &dflt())), vec![(Severity::Error, "spec.replicas")], "{all}");
        let good = all.replace("replicas: -1", "replicas: 2");
        assert!(lint(&good, &dflt()).is_empty(), "{good}");
    }

    #[test]
    fn labels_and_selector_fixes() {
        // Template without labels: the selector's labels are copied in.
        let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n      tier: db\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";
        let ps = lint(text, &empty());
        let l = find(&ps, "spec.template.metadata.labels");
        assert_eq!(pos(l), (10, 3), "on `template`, the nearest existing ancestor");
        assert_eq!(l.severity, Severity::Error);
        let fixed = apply(text, l);
        assert!(
            fixed
                .contains("  template:\n    metadata:\n      labels:\n        app: web\n        tier: db\n    spec:\n"),
            "{fixed}"
        );
        assert!(lint(&fixed, &empty()).iter().all(|p| p.severity == Severity::Warning));

        // Flow-style labels: rename the value and add the missing key.
        let text2 = text.replace("  template:\n", "  template:\n    metadata: {labels: {app: nginx}}\n");
        let ps = lint(&text2, &empty());
        let fixed = apply(&text2, find(&ps, "spec.template.metadata.labels"));
        assert!(fixed.contains("metadata: {labels: {tier: db, app: web}}"), "{fixed}");

        // Missing selector: the template's labels become matchLabels.
        let text3 = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";
        let ps = lint(text3, &empty());
        assert_eq!(
            summary(&ps),
            vec![
                (Severity::Error, "spec.selector"),
                (Severity::Warning, "spec.serviceName"),
                (Severity::Error, "spec.template.metadata.labels")
            ]
        );
        let sel = find(&ps, "spec.selector");
        assert_eq!(pos(sel), (5, 1));
        assert!(sel.message.contains("The StatefulSet \"web\" is invalid: spec.selector: Required value"));
        assert!(sel.message.contains("1 other error"));
        let fixed = apply(text3, sel);
        assert!(
            fixed.contains("spec:\n  selector:\n    matchLabels:\n      app: web\n  serviceName: web\n"),
            "{fixed}"
        );
        assert!(lint(&fixed, &empty()).iter().all(|p| p.severity == Severity::Warning));

        // Empty selector.
        let text4 = text3.replace("  serviceName: web\n", "  serviceName: web\n  selector: {}\n");
        let ps = lint(&text4, &empty());
        let sel = find(&ps, "spec.selector");
        assert!(sel.message.contains("empty selector is invalid for statefulset"));
        assert!(apply(&text4, sel).contains("selector: {matchLabels: {app: web}}"));
    }

    #[test]
    fn other_kinds_validation_errors() {
        let text = "apiVersion: v1
kind: Service
metadata:
  name: My_Svc
spec:
  ports:
  - port: 80
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  labels:
    tier: -bad
spec:
  accessModes: [ReadWriteOnce, ReadWriteOne]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  restartPolicy: never
  containers:
  - name: c
    image: busybox
    volumeMounts:
    - name: cache
      mountPath: /cache
  volumes:
  - name: cache-vol
    emptyDir: {}
";
        let ps = lint(text, &dflt());
        assert_eq!(
            summary(&ps),
            vec![
                (Severity::Error, "metadata.name"),
                (Severity::Error, "metadata.labels"),
                (Severity::Error, "spec.accessModes"),
                (Severity::Error, "spec.restartPolicy"),
                (Severity::Error, "spec.containers[0].volumeMounts[0].name"),
            ]
        );
        let svc = &ps[0];
        assert_eq!((svc.document, svc.line, svc.column), (0, 4, 3));
        assert!(svc.message.contains(&format!(
            "The Service \"My_Svc\" is invalid: metadata.name: Invalid value: \"My_Svc\": {}",
            validation::DNS1035_LABEL_MSG
        )));
        assert_eq!(svc.did_you_mean.as_deref(), Some("my-svc"));
        assert!(apply(text, svc).contains("  name: my-svc\n"));
        let lbl = &ps[1];
        assert_eq!((lbl.document, lbl.line, lbl.column), (1, 14, 5), "on the offending entry");
        assert!(lbl.message.contains("metadata.labels: Invalid value: \"-bad\""));
        let am = &ps[2];
        assert_eq!((am.line, am.column), (16, 32), "on the offending list item");
        assert!(am.message.contains("spec.accessModes: Unsupported value: \"ReadWriteOne\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\""));
        assert_eq!(am.did_you_mean.as_deref(), Some("ReadWriteOnce"));
        let rp = &ps[3];
        assert_eq!((rp.document, rp.line, rp.column), (2, 26, 3));
        assert_eq!(rp.did_you_mean.as_deref(), Some("Never"));
        assert!(rp.message.contains("The Pod \"p\" is invalid: spec.restartPolicy: Unsupported value: \"never\""));
        let vm = &ps[4];
        assert_eq!((vm.line, vm.column), (31, 7));
        assert!(vm.message.contains("spec.containers[0].volumeMounts[0].name: Not found: \"cache\""));
        assert_eq!(vm.did_you_mean.as_deref(), Some("cache-vol"));
        assert!(apply(text, vm).contains("    - name: cache-vol\n      mountPath: /cache"));
        let all = apply_all_fixes(text, &ps);
        assert_eq!(summary(&lint(&all, &dflt())), vec![(Severity::Error, "metadata.labels")]);
    }

    #[test]
    fn typos_elsewhere_do_not_hide_semantic_errors() {
        let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  repplicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: nginx}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n";
        let ps = lint(text, &empty());
        assert_eq!(
            summary(&ps),
            vec![
                (Severity::Warning, "spec.serviceName"),
                (Severity::Error, "spec.repplicas"),
                (Severity::Error, "spec.template.metadata.labels"),
            ]
        );
    }

    // -------------------------------------------------------------------------------- warnings

    const HEADLESS: &str = "apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
---
";

    fn sts(extra_spec: &str, labels: &str) -> String {
        format!(
            "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
{extra_spec}  replicas: 2
  selector:
    matchLabels:
      app: {labels}
  template:
    metadata:
      labels:
        app: {labels}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
"
        )
    }

    #[test]
    fn warning_service_name_names_no_service() {
        let text = format!("{HEADLESS}{}", sts("  serviceName: nginx-svc\n", "nginx"));
        let ps = lint(&text, &dflt());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        let w = &ps[0];
        assert_eq!((w.severity, w.document, w.line, w.column, w.end_column), (Severity::Warning, 1, 15, 3, 14));
        assert_eq!(w.path, "spec.serviceName");
        assert!(w.message.contains("No Service named `nginx-svc` in this file or in the cluster"));
        assert!(w.message.contains("`nslookup web-0.nginx-svc` fails"));
        assert_eq!(w.did_you_mean.as_deref(), Some("nginx"));
        let fixed = apply(&text, w);
        assert!(fixed.contains("  serviceName: nginx\n"));
        assert!(lint(&fixed, &dflt()).is_empty());
        // Judged alone, a Service that is not in the file is missing too...
        let alone = sts("  serviceName: nginx\n", "nginx");
        let ps = lint(&alone, &empty());
        assert_eq!(summary(&ps), vec![(Severity::Warning, "spec.serviceName")]);
        assert!(ps[0].message.contains("No Service named `nginx` in this file:"));
        // ...but not when the cluster has it.
        let ctx = ClusterContext {
            services: vec![ServiceInfo {
                name: "nginx".into(),
                namespace: "default".into(),
                headless: true,
                selector: [("app".to_string(), "nginx".to_string())].into(),
            }],
            ..dflt()
        };
        assert!(lint(&alone, &ctx).is_empty());
        // A cluster Service in another namespace does not count.
        let mut other = ctx.clone();
        other.services[0].namespace = "prod".into();
        assert_eq!(summary(&lint(&alone, &other)), vec![(Severity::Warning, "spec.serviceName")]);
    }

    #[test]
    fn warning_service_name_empty() {
        let text = format!("{HEADLESS}{}", sts("", "nginx"));
        let ps = lint(&text, &dflt());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        let w = &ps[0];
        assert_eq!((w.severity, w.document, w.line, w.column), (Severity::Warning, 1, 14, 1), "on `spec`");
        assert_eq!(w.path, "spec.serviceName");
        assert!(w.message.contains("`spec.serviceName` is not set"));
        assert!(w.message.contains("`web-0.<service>` never resolve"));
        assert_eq!(w.did_you_mean.as_deref(), Some("nginx"));
        let fixed = apply(&text, w);
        assert!(fixed.contains("spec:\n  serviceName: nginx\n  replicas: 2\n"), "{fixed}");
        assert!(lint(&fixed, &dflt()).is_empty());
        // `serviceName: ""` is the same.
        let text = format!("{HEADLESS}{}", sts("  serviceName: \"\"\n", "nginx"));
        let ps = lint(&text, &dflt());
        assert_eq!((ps[0].line, ps[0].column), (15, 3));
        assert!(apply(&text, &ps[0]).contains("  serviceName: \"nginx\"\n"));
    }

    #[test]
    fn warning_service_not_headless() {
        let text = format!(
            "{}{}",
            HEADLESS.replace("  clusterIP: None\n", "  ports:\n  - port: 80\n"),
            sts("  serviceName: nginx\n", "nginx")
        );
        let ps = lint(&text, &dflt());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        let w = &ps[0];
        assert_eq!((w.severity, w.document, w.line, w.column), (Severity::Warning, 1, 16, 3));
        assert!(w.message.contains("Service `nginx` is not headless"));
        assert!(w.message.contains("`web-0.nginx` are only published for headless Services"));
        let fixed = apply(&text, w);
        assert!(
            fixed.starts_with(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  clusterIP: None\n  ports:\n"
            ),
            "{fixed}"
        );
        assert!(lint(&fixed, &dflt()).is_empty());
        // An explicit ClusterIP value is replaced.
        let text2 = text.replace("spec:\n  ports:", "spec:\n  clusterIP: 10.96.0.20\n  ports:");
        assert_ne!(text2, text);
        assert!(lint(&apply(&text2, &lint(&text2, &dflt())[0]), &dflt()).is_empty());
        // Existing in the cluster: no fix, and the message says why.
        let ctx = ClusterContext {
            services: vec![ServiceInfo {
                name: "nginx".into(),
                namespace: "default".into(),
                headless: false,
                selector: [("app".to_string(), "nginx".to_string())].into(),
            }],
            ..dflt()
        };
        let ps = lint(&sts("  serviceName: nginx\n", "nginx"), &ctx);
        assert_eq!(ps.len(), 1);
        assert!(ps[0].fix.is_none());
        assert!(ps[0].message.contains("delete and re-create it"));
    }

    #[test]
    fn warning_service_selects_nothing() {
        let text =
            format!("{}{}", HEADLESS.replace("app: nginx", "app: ngnix"), sts("  serviceName: nginx\n", "nginx"));
        let ps = lint(&text, &dflt());
        assert_eq!(
            summary(&ps),
            vec![(Severity::Warning, "spec.selector"), (Severity::Warning, "spec.template.metadata.labels")]
        );
        let w = &ps[0];
        assert_eq!((w.document, w.line, w.column, w.end_column), (0, 7, 3, 11));
        assert!(w.message.contains("This Service selects pods labelled app=ngnix, but no pod template in this file or in the cluster has these labels"));
        assert!(w.message.contains("`nginx` and per-pod names such as `web-0.nginx` do not resolve"));
        assert_eq!(w.did_you_mean.as_deref(), Some("app=nginx"));
        let g = &ps[1];
        assert_eq!((g.document, g.line, g.column), (1, 22, 7));
        assert!(g.message.contains("Service `nginx` (this StatefulSet's serviceName) selects app=ngnix but the pod template's labels are app=nginx"));
        let fixed = apply(&text, w);
        assert!(fixed.contains("  selector:\n    app: nginx\n"));
        assert!(lint(&fixed, &dflt()).is_empty());
        // Pods already in the cluster count as selected.
        let svc_only = HEADLESS.replace("app: nginx", "app: ngnix");
        assert_eq!(summary(&lint(&svc_only, &dflt())), vec![(Severity::Warning, "spec.selector")]);
        let ctx = ClusterContext {
            pod_labels: vec![PodLabelsInfo {
                namespace: "default".into(),
                labels: [("app".to_string(), "ngnix".to_string())].into(),
            }],
            ..dflt()
        };
        assert!(lint(&svc_only, &ctx).is_empty());
        // A file with only a Service, judged alone: nothing to compare with, no warning.
        assert!(lint(&svc_only, &empty()).is_empty());
        // A Service without selector: endpoints are managed by hand, no warning about it...
        let no_sel = format!(
            "{}{}",
            HEADLESS.replace("  selector:\n    app: nginx\n", ""),
            sts("  serviceName: nginx\n", "nginx")
        );
        let ps = lint(&no_sel, &dflt());
        // ...but the StatefulSet learns that its Service has no endpoints.
        assert_eq!(summary(&ps), vec![(Severity::Warning, "spec.template.metadata.labels")]);
        assert!(ps[0].message.contains("has no selector"));
    }

    const CLAIM: &str = "  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      storageClassName: CLASS
      resources:
        requests:
          storage: 1Gi
";

    fn sts_with_claim(class_line: &str) -> String {
        let mut t = format!("{HEADLESS}{}", sts("  serviceName: nginx\n", "nginx"));
        t.push_str(&CLAIM.replace("      storageClassName: CLASS\n", class_line));
        t
    }

    #[test]
    fn warning_storage_class_missing() {
        let text = sts_with_claim("      storageClassName: glusterdynamic\n");
        let ps = lint(&text, &dflt());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        let w = &ps[0];
        assert_eq!((w.severity, w.document, w.line, w.column, w.end_column), (Severity::Warning, 1, 33, 7, 23));
        assert_eq!(w.path, "spec.volumeClaimTemplates[0].spec.storageClassName");
        assert!(
            w.message.contains(
                "StorageClass `glusterdynamic` does not exist (known classes: standard (default), gluster-dynamic)"
            ),
            "{}",
            w.message
        );
        assert!(w.message.contains("claim `www-web-0` stays Pending"));
        assert!(w.message.contains("pod `web-0` stays Pending"));
        assert!(w
            .message
            .contains("with OrderedReady (the default) the StatefulSet creates no pod or claim after `web-0`"));
        assert_eq!(w.did_you_mean.as_deref(), Some("gluster-dynamic"));
        assert!(lint(&apply(&text, w), &dflt()).is_empty());
        // No class field: the default class.
        assert!(lint(&sts_with_claim(""), &dflt()).is_empty());
        assert!(lint(&sts_with_claim(""), &empty()).is_empty());
        // Unknown cluster: every class not in the file is worth a word.
        let ps = lint(&sts_with_claim("      storageClassName: fast\n"), &empty());
        assert_eq!(ps.len(), 1);
        assert!(ps[0].message.contains("If the cluster has no class `fast`"));
        assert!(ps[0]
            .message
            .contains("The default playground cluster only has `standard` (the default) and `gluster-dynamic`."));
        // Defined in the file: fine.
        let sc = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: fast\nprovisioner: rancher.io/local-path\n---\n";
        assert!(lint(&format!("{sc}{}", sts_with_claim("      storageClassName: fast\n")), &empty()).is_empty());
        // Parallel: all pods wait.
        let par = sts_with_claim("      storageClassName: fast\n")
            .replace("  replicas: 2\n", "  replicas: 2\n  podManagementPolicy: Parallel\n");
        assert!(lint(&par, &dflt())[0]
            .message
            .contains("with podManagementPolicy Parallel, every pod from `web-0` on stays Pending"));
        // No default class in the cluster: a class-less claim needs a class-less PV.
        let ctx =
            ClusterContext { storage_classes: vec![("gluster-dynamic".into(), false, true)], ..Default::default() };
        let ps = lint(&sts_with_claim(""), &ctx);
        assert_eq!(ps.len(), 1);
        assert_eq!((ps[0].line, ps[0].column), (31, 5), "on the claim's spec");
        assert!(ps[0].message.contains("There is no default StorageClass"));
    }

    #[test]
    fn warning_storage_class_empty_string() {
        let text = sts_with_claim("      storageClassName: \"\"\n");
        let ps = lint(&text, &dflt());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        let w = &ps[0];
        assert_eq!((w.line, w.column), (33, 7));
        assert!(w.message.contains("`storageClassName: \"\"` turns dynamic provisioning off"));
        assert!(w.message.contains("no persistent volumes available for this claim and no storage class is set"));
        let fixed = apply(&text, w);
        assert!(!fixed.contains("storageClassName"));
        assert!(lint(&fixed, &dflt()).is_empty());
        // A class-less PV that fits each claim: fine.
        let pv = |n: u32| {
            format!("apiVersion: v1\nkind: PersistentVolume\nmetadata:\n  name: pv{n}\nspec:\n  capacity: {{storage: 1Gi}}\n  accessModes: [ReadWriteOnce]\n  hostPath: {{path: /data/pv{n}}}\n---\n")
        };
        assert!(lint(&format!("{}{}{text}", pv(1), pv(2)), &dflt()).is_empty());
    }

    #[test]
    fn warning_storage_class_without_provisioner_and_too_few_pvs() {
        let sc = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: local\nprovisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: WaitForFirstConsumer\n---\n";
        let text = format!("{sc}{}", sts_with_claim("      storageClassName: local\n"));
        let ps = lint(&text, &dflt());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        assert_eq!((ps[0].document, ps[0].line, ps[0].column), (2, 40, 7));
        assert!(ps[0].message.contains("StorageClass `local` has no provisioner (kubernetes.io/no-provisioner)"));
        // One PV in the cluster, two replicas: web-1 waits.
        let pv = PvInfo {
            name: "pv1".into(),
            storage_class: "local".into(),
            access_modes: vec!["ReadWriteOnce".into()],
            capacity: "5Gi".into(),
            phase: "Available".into(),
            ..Default::default()
        };
        let ctx = ClusterContext { persistent_volumes: vec![pv.clone()], ..dflt() };
        let ps = lint(&text, &ctx);
        assert_eq!(ps.len(), 1);
        assert!(
            ps[0].message.starts_with(
                "Only 1 PersistentVolume of class `local` in this file or in the cluster fits these claims"
            ),
            "{}",
            ps[0].message
        );
        assert!(ps[0].message.contains("claim `www-web-1` stays Pending"));
        // Two available PVs: fine. A PV bound to another claim does not count; one bound to this claim does.
        let mut bound = pv.clone();
        bound.phase = "Bound".into();
        bound.claim = "default/other".into();
        let ctx2 = ClusterContext { persistent_volumes: vec![pv.clone(), bound.clone()], ..dflt() };
        assert_eq!(lint(&text, &ctx2).len(), 1);
        bound.claim = "default/www-web-1".into();
        let ctx3 = ClusterContext { persistent_volumes: vec![pv.clone(), bound], ..dflt() };
        assert!(lint(&text, &ctx3).is_empty());
        // Too small or wrong access mode: does not fit.
        let mut small = pv.clone();
        small.capacity = "500Mi".into();
        let mut rox = pv.clone();
        rox.access_modes = vec!["ReadOnlyMany".into()];
        let ctx4 = ClusterContext { persistent_volumes: vec![pv, small, rox], ..dflt() };
        assert_eq!(lint(&text, &ctx4).len(), 1);
    }

    #[test]
    fn warning_standalone_claim() {
        let text = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\nspec:\n  accessModes: [ReadWriteOnce]\n  storageClassName: slow\n  resources:\n    requests:\n      storage: 1Gi\n";
        let ps = lint(text, &dflt());
        assert_eq!(ps.len(), 1);
        assert_eq!((ps[0].line, ps[0].column, ps[0].path.as_str()), (7, 3, "spec.storageClassName"));
        assert!(ps[0].message.contains("claim `data` stays Pending"));
        assert!(ps[0].message.contains("every pod that uses it stays Pending"));
    }

    /// Static PVs (hostPath, classes) like the tutorial's pv-demo.yaml.
    const PV_DEMO: &str = "apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv001
  labels:
    name: pv001
spec:
  nfs:
    path: /data/volumes/v1
    server: node2
  accessModes: [\"ReadWriteMany\", \"ReadWriteOnce\"]
  capacity:
    storage: 2Gi
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv002
spec:
  hostPath:
    path: /data/pv002
  accessModes: [\"ReadWriteOnce\"]
  storageClassName: manual
  capacity:
    storage: 5Gi
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv003
spec:
  hostPath:
    path: /data/pv003
  accessModes: [\"ReadWriteOnce\"]
  storageClassName: manual
  capacity:
    storage: 5Gi
---
";

    #[test]
    fn pv_demo_with_matching_and_non_matching_classes() {
        let ok = format!("{PV_DEMO}{}", sts_with_claim("      storageClassName: manual\n"));
        assert!(lint(&ok, &dflt()).is_empty(), "{:#?}", problems(&ok, &dflt()));
        assert!(lint(&ok, &empty()).is_empty());
        // pv001 has no class: a `""` claim binds it, but only one of the two replicas.
        let empty_class = format!("{PV_DEMO}{}", sts_with_claim("      storageClassName: \"\"\n"));
        let ps = lint(&empty_class, &dflt());
        assert_eq!(ps.len(), 1);
        assert!(ps[0].message.contains("Only 1 PersistentVolume without a class"), "{}", ps[0].message);
        let bad = format!("{PV_DEMO}{}", sts_with_claim("      storageClassName: manaul\n"));
        let ps = lint(&bad, &dflt());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        let w = &ps[0];
        assert_eq!((w.severity, w.document, w.line, w.column), (Severity::Warning, 4, 71, 7));
        assert_eq!(w.path, "spec.volumeClaimTemplates[0].spec.storageClassName");
        assert!(w.message.contains("no PersistentVolume of class `manaul` in this file or in the cluster fits this claim (ReadWriteOnce, at least 1Gi)"));
        assert_eq!(w.did_you_mean.as_deref(), Some("manual"));
        assert!(lint(&apply(&bad, w), &dflt()).is_empty());
        // Matching class but too big a request.
        let big = ok.replace("storage: 1Gi", "storage: 10Gi");
        let ps = lint(&big, &dflt());
        assert_eq!(ps.len(), 1);
        assert!(ps[0].message.contains("StorageClass `manual` does not exist"));
        assert!(ps[0].message.contains("(ReadWriteOnce, at least 10Gi)"));
    }

    #[test]
    fn warning_volume_mount_names_nothing() {
        let text = format!(
            "{HEADLESS}{}        volumeMounts:\n        - name: wwww\n          mountPath: /usr/share/nginx/html\n{}",
            sts("  serviceName: nginx\n", "nginx"),
            CLAIM.replace("      storageClassName: CLASS\n", "")
        );
        let ps = lint(&text, &dflt());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        let w = &ps[0];
        assert_eq!((w.severity, w.document, w.line, w.column, w.end_column), (Severity::Warning, 1, 29, 11, 15));
        assert_eq!(w.path, "spec.template.spec.containers[0].volumeMounts[0].name");
        assert!(w.message.contains("Kubernetes accepts the StatefulSet"));
        assert!(w.message.contains("Warning FailedCreate ... create Pod web-0 in StatefulSet web failed error: Pod \"web-0\" is invalid: spec.containers[0].volumeMounts[0].name: Not found: \"wwww\""));
        assert!(w.message.contains("no pod appears (READY 0/2)"));
        assert_eq!(w.did_you_mean.as_deref(), Some("www"));
        let fixed = apply(&text, w);
        assert!(fixed.contains("        - name: www\n"));
        assert!(lint(&fixed, &dflt()).is_empty());
        // Pod volumes count, and other pod-level mistakes are reported the same way.
        let text2 = text.replace("      - name: nginx\n", "      volumes:\n      - name: cache\n        emptyDir: {}\n      initContainers:\n      - name: Init\n        image: busybox\n        volumeMounts:\n        - name: cache\n          mountPath: /c\n      containers:\n      - name: nginx\n").replacen("      containers:\n      volumes:", "      volumes:", 1);
        let ps = lint(&text2, &dflt());
        assert_eq!(
            summary(&ps),
            vec![
                (Severity::Warning, "spec.template.spec.initContainers[0].name"),
                (Severity::Warning, "spec.template.spec.containers[0].volumeMounts[0].name"),
            ],
            "{text2}"
        );
        assert!(ps[0].message.contains("is invalid: [spec.initContainers[0].name: Invalid value: \"Init\""));
        assert_eq!(ps[0].did_you_mean.as_deref(), Some("init"));
        assert_eq!(ps[1].did_you_mean.as_deref(), Some("www"));
        assert!(lint(&apply_all_fixes(&text2, &ps), &dflt()).is_empty());
    }

    #[test]
    fn broken_documents_make_no_missing_warnings() {
        // The Service cannot be read (YAML error): the StatefulSet may not be told it is missing.
        let text = format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\n labels: {{}}\n---\n{}",
            sts("  serviceName: nginx\n", "nginx")
        );
        let ps = lint(&text, &dflt());
        assert_eq!(ps.len(), 1, "{ps:#?}");
        assert_eq!(ps[0].document, 0);
        // A type error in the StatefulSet: still known to select the Service's pods.
        let text = format!(
            "{HEADLESS}{}",
            sts("  serviceName: nginx\n", "nginx").replace("  replicas: 2\n", "  replicas: \"2\"\n")
        );
        let ps = lint(&text, &dflt());
        assert_eq!(summary(&ps), vec![(Severity::Error, "spec.replicas")]);
    }

    #[test]
    fn crlf_and_namespaces() {
        let text = format!("{HEADLESS}{}", sts("", "nginx")).replace('\n', "\r\n");
        let ps = lint(&text, &dflt());
        assert_eq!(ps.len(), 1);
        let fixed = apply(&text, &ps[0]);
        assert!(fixed.contains("spec:\r\n  serviceName: nginx\r\n  replicas: 2\r\n"));
        assert!(lint(&fixed, &dflt()).is_empty());
        // A Service in another namespace does not serve the StatefulSet.
        let text = format!(
            "{}{}",
            HEADLESS.replace("  name: nginx\n", "  name: nginx\n  namespace: prod\n"),
            sts("  serviceName: nginx\n", "nginx")
        );
        assert_eq!(
            summary(&lint(&text, &dflt())),
            vec![(Severity::Warning, "spec.selector"), (Severity::Warning, "spec.serviceName")]
        );
    }

    #[test]
    fn context_from_cluster_objects() {
        let mut sc = StorageClass { provisioner: NO_PROVISIONER.into(), ..Default::default() };
        sc.metadata.name = "local".into();
        let mut pv = PersistentVolume::default();
        pv.metadata.name = "pv1".into();
        pv.spec.storage_class_name = Some("local".into());
        pv.spec.capacity.insert("storage".into(), "1Gi".into());
        pv.spec.claim_ref = Some(ObjectReference { name: "c".into(), ..Default::default() });
        pv.status.phase = "Bound".into();
        let mut svc = Service::default();
        svc.metadata.name = "nginx".into();
        svc.spec.cluster_ip = Some("None".into());
        let ctx = ClusterContext::from_objects(&[
            Object::StorageClass(sc),
            Object::PersistentVolume(pv),
            Object::Service(svc),
        ]);
        assert_eq!(ctx.storage_classes, vec![("local".to_string(), false, false)]);
        assert_eq!(ctx.persistent_volumes[0].claim, "default/c");
        assert_eq!(ctx.persistent_volumes[0].capacity, "1Gi");
        assert!(ctx.services[0].headless);
        assert_eq!(ctx.services[0].namespace, "default");
        assert!(!ctx.is_empty() && empty().is_empty());
    }

    // ------------------------------------------------------------------------ robustness

    fn mutate(base: &str, next: &mut impl FnMut() -> usize) -> String {
        let alphabet: Vec<char> = " \n\t-:[]{},#&*!|>'\"%@`?<=~.0aZ9\u{1}\u{feff}é\r".chars().collect();
        let mut t: Vec<char> = base.chars().collect();
        for _ in 0..(1 + next() % 4) {
            let at = next() % (t.len() + 1);
            match next() % 4 {
                0 => t.insert(at, alphabet[next() % alphabet.len()]),
                1 if at < t.len() => {
                    t.remove(at);
                }
                2 if at < t.len() => {
                    // swap a character for a nearby one (typos in names and values)
                    t[at] = alphabet[next() % alphabet.len()];
                }
                _ => {
                    let c = alphabet[next() % alphabet.len()];
                    for _ in 0..(next() % 5) {
                        t.insert(at.min(t.len()), c);
                    }
                }
            }
        }
        t.into_iter().collect()
    }

    /// Replaces a random scalar with a token, or drops / duplicates a line: mistakes a learner
    /// makes, which mostly keep the YAML valid and so reach the semantic checks.
    fn mutate_values(base: &str, next: &mut impl FnMut() -> usize) -> String {
        const TOKENS: [&str; 28] = [
            "\"\"",
            "None",
            "-1",
            "0",
            "Web",
            "x",
            "null",
            "[]",
            "{}",
            "ReadWriteOnce",
            "standard",
            "gluster-dynamic",
            "nginx",
            "myapp-pod",
            "2Gi",
            "0Gi",
            "Never",
            "OnDelete",
            "Parallel",
            "manual",
            "a/b",
            "9999999999",
            "{app: web}",
            "[ReadWriteOnce]",
            "kubernetes.io/no-provisioner",
            "-bad",
            "1.5",
            "data",
        ];
        let mut text = base.to_string();
        for _ in 0..(1 + next() % 3) {
            match next() % 4 {
                0 | 1 => {
                    let mut spans = Vec::new();
                    for d in parse_manifest(&text) {
                        fn walk(n: &Node, out: &mut Vec<(usize, usize)>) {
                            match &n.value {
                                Value::Seq(items) => items.iter().for_each(|i| walk(i, out)),
                                Value::Map(entries) => entries.iter().for_each(|(_, v)| walk(v, out)),
                                _ if !n.from_alias && n.end.offset > n.start.offset => {
                                    out.push((n.start.offset, n.end.offset))
                                }
                                _ => {}
                            }
                        }
                        if let Some(r) = d.root() {
                            walk(r, &mut spans);
                        }
                    }
                    if let Some(&(a, b)) = spans.get(next() % spans.len().max(1)) {
                        if text.is_char_boundary(a) && text.is_char_boundary(b) {
                            text.replace_range(a..b, TOKENS[next() % TOKENS.len()]);
                        }
                    }
                }
                2 => {
                    let lines: Vec<&str> = text.split_inclusive('\n').collect();
                    let i = next() % lines.len().max(1);
                    text = lines.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, l)| *l).collect();
                }
                _ => {
                    let lines: Vec<&str> = text.split_inclusive('\n').collect();
                    let i = next() % lines.len().max(1);
                    let mut out = String::new();
                    for (j, l) in lines.iter().enumerate() {
                        out.push_str(l);
                        if j == i {
                            out.push_str(l);
                        }
                    }
                    text = out;
                }
            }
        }
        text
    }

    /// Deterministic mutation fuzzing of the fixtures: never panics, invariants hold, every fix
    /// applies and keeps parsable input parsable.
    #[test]
    fn mutation_fuzz() {
        let mut seed: u64 = 0x11a7;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let iters: usize = std::env::var("STSPLAY_FUZZ_ITERS").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
        let bases = [
            SEED.to_string(),
            FIXED.to_string(),
            BAD_STS.to_string(),
            format!("{PV_DEMO}{}", sts_with_claim("      storageClassName: manual\n")),
        ];
        let ctxs = [dflt(), empty()];
        for i in 0..iters {
            let base = &bases[i % bases.len()];
            let text = if i % 3 == 0 { mutate(base, &mut next) } else { mutate_values(base, &mut next) };
            let ctx = &ctxs[i % 2];
            let before_ok = parse_manifest(&text).iter().all(|d| d.result.is_ok());
            let ps = problems(&text, ctx);
            for w in ps.windows(2) {
                assert!((w[0].document, w[0].line, w[0].column) <= (w[1].document, w[1].line, w[1].column));
            }
            for p in &ps {
                if let Some(f) = &p.fix {
                    let fixed = apply_edits(&text, &f.edits).expect("fix edits apply");
                    if before_ok {
                        assert!(
                            parse_manifest(&fixed).iter().all(|d| d.result.is_ok()),
                            "fix {:?} broke\n{text}\n---->\n{fixed}",
                            f.title
                        );
                    }
                    let _ = problems(&fixed, ctx);
                }
            }
        }
    }

    #[test]
    fn odd_inputs_never_panic() {
        for t in [
            "",
            "---\n---\n",
            "apiVersion: apps/v1\nkind: StatefulSet\n",
            "apiVersion: apps/v1\nkind: StatefulSet\nspec: null\n",
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\nspec: {template: {spec: {containers: [null, {name: null}]}}, volumeClaimTemplates: [null]}\n",
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\nspec: {replicas: 2147483647, ordinals: {start: 2147483647}, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i, volumeMounts: [{name: v}]}]}}, volumeClaimTemplates: [{metadata: {name: v}, spec: {accessModes: [ReadWriteOnce], storageClassName: zz, resources: {requests: {storage: 1}}}}]}\n",
            "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\nspec: {capacity: {storage: 5}, accessModes: [ReadWriteOnce], hostPath: {path: /x}}\n",
            "apiVersion: v1\nkind: Service\nspec: &a {selector: *a}\n",
            "apiVersion: v1\nkind: Pod\nb: &b {x: 1}\nspec:\n  <<: *b\n  containers: {<<: *b}\n",
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\nspec:\n  selector: {matchExpressions: [{key: a, operator: Foo}]}\n",
        ] {
            for ctx in [dflt(), empty()] {
                let ps = lint(t, &ctx);
                let _ = apply_all_fixes(t, &ps);
            }
        }
        let big_ordinal = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: x}\nspec: {replicas: 2147483647, ordinals: {start: 2147483647}, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: i}]}}, volumeClaimTemplates: [{metadata: {name: v}, spec: {accessModes: [ReadWriteOnce], storageClassName: \"\", resources: {requests: {storage: 1Gi}}}}]}\n";
        let ps = lint(big_ordinal, &dflt());
        assert!(ps.iter().any(|p| p.message.contains("v-x-2147483647")), "{ps:#?}");
    }

    /// A 1 MB paste: many copies of the fixtures (with every kind of problem), one call.
    fn big_paste() -> String {
        let mut text = String::new();
        let mut i = 0;
        while text.len() < 1 << 20 {
            let doc = match i % 4 {
                0 => FIXED.replace("myapp", &format!("myapp{i}")),
                1 => SEED.replace("myapp", &format!("myapp{i}")),
                2 => BAD_STS.replace("web", &format!("web{i}")),
                _ => format!("{PV_DEMO}{}", sts_with_claim("      storageClassName: manaul\n"))
                    .replace("pv00", &format!("pv{i}-")),
            };
            text.push_str(&doc);
            text.push_str("\n---\n");
            i += 1;
        }
        text
    }

    /// One StatefulSet of about 1 MB: thousands of containers with a mistake each.
    fn huge_document() -> String {
        let mut text = sts("  serviceName: nginx\n", "nginx")
            .replace("      containers:\n      - name: nginx\n        image: nginx:1.25\n", "      containers:\n");
        let mut i = 0;
        while text.len() < 1 << 20 {
            text.push_str(&format!("      - name: C{i}\n        image: nginx\n        volumeMounts:\n        - name: data{i}\n          mountPath: /d\n"));
            i += 1;
        }
        text
    }

    #[test]
    fn one_megabyte_document() {
        let text = huge_document();
        let t0 = std::time::Instant::now();
        let ps = problems(&text, &dflt());
        eprintln!("{} bytes in one document: {} problems in {:?}", text.len(), ps.len(), t0.elapsed());
        assert_eq!(ps.len(), MAX_PROBLEMS);
        assert!(ps.iter().all(|p| p.message.len() < 4000));
    }

    #[test]
    fn one_megabyte_paste() {
        let text = big_paste();
        let t0 = std::time::Instant::now();
        let ps = problems(&text, &dflt());
        let total = t0.elapsed();
        let t1 = std::time::Instant::now();
        let structural = structural_problems(&text).len();
        eprintln!(
            "{} bytes: {} problems in {total:?} (structural_problems alone: {structural} in {:?})",
            text.len(),
            ps.len(),
            t1.elapsed()
        );
        assert!(!ps.is_empty() && ps.len() <= MAX_PROBLEMS);
        // The common case: a big file without problems.
        let mut clean = String::new();
        let mut i = 0;
        while clean.len() < 1 << 20 {
            clean.push_str(&FIXED.replace("myapp", &format!("myapp{i}")));
            clean.push_str("\n---\n");
            i += 1;
        }
        let t1 = std::time::Instant::now();
        assert!(problems(&clean, &dflt()).is_empty());
        eprintln!("{} bytes without problems ({i} Service + StatefulSet pairs): {:?}", clean.len(), t1.elapsed());
        for w in ps.windows(2) {
            assert!((w[0].document, w[0].line, w[0].column) <= (w[1].document, w[1].line, w[1].column));
        }
    }
}
