//! `kubectl describe`: the describers of kubectl 1.34 (`k8s.io/kubectl/pkg/describe/describe.go`) for the
//! kinds the playground serves — StatefulSet, Pod, PersistentVolumeClaim, PersistentVolume, Service, Node,
//! StorageClass, Endpoints — and the generic (unstructured) describer for ControllerRevision and Event.
//!
//! Layout follows upstream's `PrefixWriter` (two spaces per level) written through Go's `text/tabwriter`
//! with the `tabbedString` parameters `(0, 8, 2, ' ', 0)`. Name-prefix matching, `-l`, `-A`,
//! `--show-events` and the command's error texts follow `pkg/cmd/describe`.

use crate::duration::translate_timestamp_since;
use crate::flags::{self, flag, FlagSpec, Parsed};
use crate::output::Output;
use crate::printers::access_modes;
use crate::tabwriter::TabWriter;
use crate::terminal::Terminal;
use serde_json::Value;
use std::collections::BTreeMap;
use stsplay_cluster::api::ApiError;
use stsplay_cluster::World;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::labels::{format_labels, Labels, Selector};
use stsplay_model::objects::*;
use stsplay_model::quantity::{canonicalize, Quantity};
use stsplay_model::time::{SimTime, Time};

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// `maxAnnotationLen` in describe.go.
const MAX_ANNOTATION_LEN: usize = 140;
/// What Go prints for a zero `time.Time` formatted as RFC1123Z.
const ZERO_TIME_RFC1123Z: &str = "Mon, 01 Jan 0001 00:00:00 +0000";

const DESCRIBE_FLAGS: &[FlagSpec] = &[
    flag("selector", Some('l'), true),
    flag("show-events", None, false),
    flag("filename", Some('f'), true),
    flag("recursive", Some('R'), false),
    flag("kustomize", Some('k'), true),
    flag("chunk-size", None, true),
];

const COMBINED_ARGS_ERROR: &str = "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'";

/// What a resource argument names: a stored kind, or Endpoints (derived from Services and pods).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Res {
    Kind(Kind),
    Endpoints,
}

impl Res {
    fn store_kind(self) -> Kind {
        match self {
            Res::Kind(k) => k,
            Res::Endpoints => Kind::Service,
        }
    }
}

fn resolve(arg: &str) -> Option<Res> {
    match arg.to_ascii_lowercase().as_str() {
        "endpoints" | "ep" | "endpoint" => Some(Res::Endpoints),
        _ => Kind::from_resource(arg).map(Res::Kind),
    }
}

fn resolve_types(arg: &str) -> Result<Vec<Res>, String> {
    let mut out = Vec::new();
    for t in arg.split(',').filter(|t| !t.is_empty()) {
        if t.eq_ignore_ascii_case("all") {
            // The `all` category, in discovery order, restricted to what the playground serves.
            out.extend([Res::Kind(Kind::Pod), Res::Kind(Kind::Service), Res::Kind(Kind::StatefulSet)]);
            continue;
        }
        match resolve(t) {
            Some(r) => out.push(r),
            None => return Err(format!("error: the server doesn't have a resource type {t:?}")),
        }
    }
    if out.is_empty() {
        return Err(format!("error: the server doesn't have a resource type {arg:?}"));
    }
    Ok(out)
}

fn not_found(r: Res, name: &str) -> String {
    match r {
        Res::Kind(k) => ApiError::not_found(k, name).kubectl_text(),
        Res::Endpoints => format!("Error from server (NotFound): endpoints {name:?} not found"),
    }
}

/// One object to describe (the builder's `Info`).
#[derive(Clone, Debug)]
struct Info {
    res: Res,
    obj: Object,
}

fn lookup(w: &World, r: Res, ns: &str, name: &str) -> Option<Object> {
    w.store.get_by(r.store_kind(), ns, name).cloned()
}

fn list(w: &World, r: Res, ns: Option<&str>, sel: Option<&Selector>) -> Vec<Object> {
    w.store.list(r.store_kind(), ns).filter(|o| sel.is_none_or(|s| s.matches(&o.meta().labels))).cloned().collect()
}

/// `kubectl describe (TYPE [NAME_PREFIX] | TYPE/NAME) [-l sel] [-n ns] [-A] [--show-events=false]`.
pub fn describe(t: &mut Terminal, args: &[String], out: &mut Output) {
    let p: Parsed = match flags::parse(args, DESCRIBE_FLAGS) {
        Ok(p) => p,
        Err(e) => return out.fail(format!("error: {e}\nSee 'kubectl describe --help' for usage.")),
    };
    if p.has("filename") || p.has("kustomize") {
        out.fail("stsplay: \"kubectl describe -f\" is not available in this playground yet");
        out.hint("name the objects instead: kubectl describe sts/myapp, kubectl describe pods -l app=myapp");
        return;
    }
    let show_events = !p.has("show-events") || p.bool("show-events");
    let all_ns = p.bool("all-namespaces");
    let ns = p.namespace();
    let pos = p.positional.clone();
    if pos.is_empty() {
        out.errln("error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.");
        out.exit = 1;
        return;
    }
    let selector = match p.get("selector") {
        Some(s) => match Selector::parse(s) {
            Ok(sel) => Some(sel),
            Err(e) => return out.fail(format!("error: {e}")),
        },
        None => None,
    };

    // ResourceTypeOrNameArgs: TYPE/NAME ... or TYPE[,TYPE] [NAME ...].
    let combined = pos.iter().filter(|a| a.contains('/')).count();
    let mut named: Vec<(Res, String)> = Vec::new();
    let mut types: Vec<Res> = Vec::new();
    if combined > 0 {
        if combined != pos.len() {
            return out.fail(COMBINED_ARGS_ERROR);
        }
        for a in &pos {
            let (ty, name) = a.split_once('/').unwrap_or((a.as_str(), ""));
            let r = match resolve_types(ty) {
                Ok(v) if v.len() == 1 => v[0],
                Ok(_) => return out.fail("error: you must specify only one resource"),
                Err(e) => return out.fail(e),
            };
            if name.is_empty() {
                return out.fail("error: arguments in resource/name form must have a single resource and name");
            }
            named.push((r, name.to_string()));
        }
    } else {
        types = match resolve_types(&pos[0]) {
            Ok(v) => v,
            Err(e) => return out.fail(e),
        };
        if pos.len() > 1 {
            if types.len() != 1 {
                return out.fail("error: you must specify only one resource");
            }
            named = pos[1..].iter().map(|n| (types[0], n.clone())).collect();
        }
    }
    if !named.is_empty() && selector.is_some() {
        return out.fail("error: name cannot be provided when a selector is specified");
    }
    if !named.is_empty() && all_ns {
        return out.fail("error: a resource cannot be retrieved by name across all namespaces");
    }

    let w = &t.world;
    let settings = Settings { show_events };
    let mut infos: Vec<Info> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    let mut not_found_seen = false;
    if named.is_empty() {
        for r in &types {
            let scope = if all_ns { None } else { Some(ns.as_str()) };
            for obj in list(w, *r, scope, selector.as_ref()) {
                infos.push(Info { res: *r, obj });
            }
        }
    } else {
        for (r, name) in &named {
            match lookup(w, *r, &ns, name) {
                Some(obj) => infos.push(Info { res: *r, obj }),
                None => {
                    not_found_seen = true;
                    errors.push(not_found(*r, name));
                }
            }
        }
    }

    // `kubectl describe TYPE PREFIX`: when the name is not found, describe every object whose name starts with it.
    if not_found_seen && pos.len() == 2 {
        describe_matching(w, &pos[0], &pos[1], &ns, &settings, errors, out);
        return;
    }

    let mut first = true;
    let mut warned_endpoints = false;
    for info in &infos {
        if info.res == Res::Endpoints && !warned_endpoints {
            warned_endpoints = true;
            out.errln("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice");
        }
        let s = describe_object(w, info.res, &info.obj, &settings);
        if first {
            first = false;
            out.out(s);
        } else {
            out.out(format!("\n\n{s}"));
        }
    }
    if infos.is_empty() && errors.is_empty() {
        if all_ns {
            out.errln("No resources found");
        } else {
            out.errln(format!("No resources found in {ns} namespace."));
        }
    }
    for e in errors {
        out.fail(e);
    }
}

/// `DescribeMatchingResources`: every object of `resource` in the namespace whose name starts with `prefix`,
/// each followed by a blank line; the original error when none matches.
fn describe_matching(
    w: &World,
    resource: &str,
    prefix: &str,
    ns: &str,
    settings: &Settings,
    original: Vec<String>,
    out: &mut Output,
) {
    let mut candidates: Vec<(Res, Object)> = Vec::new();
    if let Some((ty, name)) = resource.split_once('/') {
        let Ok(types) = resolve_types(ty) else { return fail_all(original, out) };
        let Some(r) = types.first().copied() else { return fail_all(original, out) };
        match lookup(w, r, ns, name) {
            Some(o) => candidates.push((r, o)),
            None => return out.fail(not_found(r, name)),
        }
    } else {
        let Ok(types) = resolve_types(resource) else { return fail_all(original, out) };
        if types.len() != 1 {
            return fail_all(original, out);
        }
        for o in list(w, types[0], Some(ns), None) {
            candidates.push((types[0], o));
        }
    }
    let mut found = false;
    for (r, o) in &candidates {
        if o.meta().name.starts_with(prefix) {
            if !found && *r == Res::Endpoints {
                out.errln("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice");
            }
            found = true;
            out.out(format!("{}\n", describe_object(w, *r, o, settings)));
        }
    }
    if !found {
        fail_all(original, out);
    }
}

fn fail_all(errors: Vec<String>, out: &mut Output) {
    for e in errors {
        out.fail(e);
    }
}

#[derive(Clone, Copy, Debug)]
struct Settings {
    show_events: bool,
}

/// The describer for one object (its `Describe` output, ending with a newline).
fn describe_object(w: &World, r: Res, obj: &Object, s: &Settings) -> String {
    if r == Res::Endpoints {
        if let Object::Service(svc) = obj {
            return describe_endpoints(w, svc, s);
        }
    }
    match obj {
        Object::StatefulSet(sts) => describe_statefulset(w, sts, s),
        Object::Pod(p) => describe_pod(w, p, s),
        Object::PersistentVolumeClaim(c) => describe_pvc(w, c, s),
        Object::PersistentVolume(v) => describe_pv(w, v, s),
        Object::Service(svc) => describe_service(w, svc, s),
        Object::Node(n) => describe_node(w, n, s),
        Object::StorageClass(sc) => describe_storage_class(w, sc, s),
        Object::ControllerRevision(_) | Object::Event(_) => describe_generic(w, obj, s),
    }
}

// ------------------------------------------------------------------------------------- PrefixWriter

/// describe.go's `prefixWriter` over `tabbedString`'s tabwriter `(0, 8, 2, ' ', 0)`, or (`raw`) straight into
/// a buffer, tabs and all, as `kubectl rollout history --revision` writes a pod template.
struct Pw {
    tw: TabWriter,
    raw: Option<String>,
}

impl Pw {
    fn new() -> Pw {
        Pw { tw: TabWriter::describe(), raw: None }
    }
    fn raw() -> Pw {
        Pw { tw: TabWriter::describe(), raw: Some(String::new()) }
    }
    fn put(&mut self, s: &str) {
        match &mut self.raw {
            Some(buf) => buf.push_str(&escape_terminal(s)),
            None => self.tw.write_str(&escape_terminal(s)),
        }
    }
    /// `Write(level, ...)`: the text prefixed by two spaces per level.
    fn w(&mut self, level: usize, text: &str) {
        let mut s = "  ".repeat(level);
        s.push_str(text);
        self.put(&s);
    }
    /// `WriteLine(a)`: the text and a newline, no indentation.
    fn line(&mut self, text: &str) {
        self.put(&format!("{text}\n"));
    }
    fn flush(&mut self) {
        self.tw.flush();
    }
    fn finish(mut self) -> String {
        if let Some(buf) = self.raw.take() {
            return buf;
        }
        self.tw.flush();
        self.tw.take_output()
    }
}

/// `describe.DescribePodTemplate` through a bare `NewPrefixWriter` (no tabwriter: cells stay separated by
/// raw tabs), as `kubectl rollout history --revision=N` and `rollout undo --dry-run` print a template.
pub fn pod_template_text(t: &PodTemplateSpec) -> String {
    let mut pw = Pw::raw();
    describe_pod_template(&mut pw, t);
    pw.finish()
}

/// cli-runtime `printers.EscapeTerminal`.
fn escape_terminal(s: &str) -> String {
    if !s.contains(['\u{1b}', '\r']) {
        return s.to_string();
    }
    s.replace('\u{1b}', "^[").replace('\r', "\\r")
}

// ---------------------------------------------------------------------------------- shared helpers

fn rfc1123z(t: Option<Time>) -> String {
    match t {
        Some(t) => t.0.rfc1123z(),
        None => ZERO_TIME_RFC1123Z.to_string(),
    }
}

fn since(w: &World, t: Option<Time>) -> String {
    translate_timestamp_since(w.now.millis(), t.map(|t| t.0.millis()))
}

/// Go's `%v` of a `[]string`.
fn go_slice(v: &[String]) -> String {
    format!("[{}]", v.join(" "))
}

fn print_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

/// `printLabelsMultilineWithIndent`.
fn labels_multiline_indent(pw: &mut Pw, initial: &str, title: &str, inner: &str, labels: &Labels) {
    pw.w(0, &format!("{initial}{title}:{inner}"));
    if labels.is_empty() {
        pw.line("<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            pw.w(0, initial);
            pw.w(0, inner);
        }
        pw.w(0, &format!("{k}={v}\n"));
    }
}

fn labels_multiline(pw: &mut Pw, title: &str, labels: &Labels) {
    labels_multiline_indent(pw, "", title, "\t", labels);
}

/// Cuts `s` to at most `max` bytes on a character boundary.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `printAnnotationsMultiline`: last-applied-configuration hidden, long or multi-line values on their own lines.
fn annotations_multiline(pw: &mut Pw, title: &str, annotations: &Labels) {
    pw.w(0, &format!("{title}:\t"));
    let keys: Vec<&String> = annotations.keys().filter(|k| k.as_str() != LAST_APPLIED).collect();
    if keys.is_empty() {
        pw.line("<none>");
        return;
    }
    let indent = "\t";
    for (i, key) in keys.iter().enumerate() {
        if i != 0 {
            pw.w(0, indent);
        }
        let raw = annotations.get(*key).map(String::as_str).unwrap_or("");
        let value = raw.strip_suffix('\n').unwrap_or(raw);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            pw.w(0, &format!("{key}:\n"));
            for s in value.split('\n') {
                let shown = if s.len() > MAX_ANNOTATION_LEN - 2 {
                    format!("{}...", cut(s, MAX_ANNOTATION_LEN - 2))
                } else {
                    s.to_string()
                };
                pw.w(0, &format!("{indent}  {shown}\n"));
            }
        } else {
            pw.w(0, &format!("{key}: {value}\n"));
        }
    }
}

/// `printPodTolerationsMultiline` / `printTolerationsMultilineWithIndent`.
fn tolerations_multiline(pw: &mut Pw, title: &str, tolerations: &[Toleration]) {
    pw.w(0, &format!("{title}:\t"));
    if tolerations.is_empty() {
        pw.line("<none>");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    sorted.sort_by(|a, b| a.key.as_deref().unwrap_or("").cmp(b.key.as_deref().unwrap_or("")));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            pw.w(0, "\t");
        }
        let key = t.key.as_deref().unwrap_or("");
        let value = t.value.as_deref().unwrap_or("");
        let effect = t.effect.as_deref().unwrap_or("");
        let mut s = key.to_string();
        if !value.is_empty() {
            s.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            s.push_str(&format!(":{effect}"));
        }
        if t.operator.as_deref() == Some("Exists") && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                s.push_str(" op=Exists");
            } else {
                s.push_str("op=Exists");
            }
        }
        if let Some(secs) = t.toleration_seconds {
            s.push_str(&format!(" for {secs}s"));
        }
        s.push('\n');
        pw.w(0, &s);
    }
}

/// `Taint.ToString()`.
fn taint_string(t: &Taint) -> String {
    match t.value.as_deref() {
        Some(v) if !v.is_empty() => format!("{}={v}:{}", t.key, t.effect),
        _ if t.effect.is_empty() => t.key.clone(),
        _ => format!("{}:{}", t.key, t.effect),
    }
}

/// `metav1.LabelSelectorAsSelector(sel).String()`.
fn selector_string(sel: Option<&LabelSelector>) -> String {
    let Some(sel) = sel else { return String::new() };
    let mut reqs: Vec<(String, String)> = Vec::new();
    for (k, v) in &sel.match_labels {
        reqs.push((k.clone(), format!("{k}={v}")));
    }
    for e in &sel.match_expressions {
        let mut vals = e.values.clone();
        vals.sort();
        let set = if vals.len() == 1 { vals.join("") } else { vals.join(",") };
        let s = match e.operator.as_str() {
            "In" => format!("{} in ({set})", e.key),
            "NotIn" => format!("{} notin ({set})", e.key),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            _ => return String::new(),
        };
        reqs.push((e.key.clone(), s));
    }
    reqs.sort_by(|a, b| a.0.cmp(&b.0));
    reqs.into_iter().map(|(_, s)| s).collect::<Vec<_>>().join(",")
}

fn json_str<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn json_bool(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// Go's `%v` of a decoded JSON value (numbers as Go prints int64 / float64).
fn go_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => s.clone(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.to_string()
            } else if let Some(u) = n.as_u64() {
                u.to_string()
            } else {
                go_float(n.as_f64().unwrap_or(0.0))
            }
        }
        Value::Array(a) => format!("[{}]", a.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            format!("map[{}]", m.iter().map(|(k, v)| format!("{k}:{}", go_v(v))).collect::<Vec<_>>().join(" "))
        }
    }
}

/// Go's `%v` for a float64 (`%g` with the shortest representation).
fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return "0".into();
    }
    let e = format!("{f:e}");
    let (mant, exp) = e.split_once('e').unwrap_or((e.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mant}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}

/// Pod requests and limits: containers summed, init containers as a maximum (`resourcehelper.PodRequestsAndLimits`).
fn pod_requests_limits(p: &Pod) -> (BTreeMap<String, i128>, BTreeMap<String, i128>) {
    fn add(into: &mut BTreeMap<String, i128>, m: Option<&Value>) {
        if let Some(Value::Object(m)) = m {
            for (k, v) in m {
                if let Some(q) = v.as_str().and_then(Quantity::parse) {
                    let e = into.entry(k.clone()).or_insert(0);
                    *e = e.saturating_add(q.milli);
                }
            }
        }
    }
    let mut req = BTreeMap::new();
    let mut lim = BTreeMap::new();
    for c in &p.spec.containers {
        let r = c.resources.as_ref();
        add(&mut req, r.and_then(|r| r.get("requests")));
        add(&mut lim, r.and_then(|r| r.get("limits")));
    }
    for c in &p.spec.init_containers {
        let mut ir = BTreeMap::new();
        let mut il = BTreeMap::new();
        let r = c.resources.as_ref();
        add(&mut ir, r.and_then(|r| r.get("requests")));
        add(&mut il, r.and_then(|r| r.get("limits")));
        for (k, v) in ir {
            let e = req.entry(k).or_insert(0);
            *e = (*e).max(v);
        }
        for (k, v) in il {
            let e = lim.entry(k).or_insert(0);
            *e = (*e).max(v);
        }
    }
    (req, lim)
}

fn quantity_string(milli: i128, binary: bool) -> String {
    Quantity { milli, binary }.canonical()
}

/// `qos.GetPodQOS`: the status field when set, else computed from the containers' resources.
fn pod_qos(p: &Pod) -> String {
    if let Some(q) = p.status.qos_class.as_ref().filter(|q| !q.is_empty()) {
        return q.clone();
    }
    let mut requests: BTreeMap<String, i128> = BTreeMap::new();
    let mut limits: BTreeMap<String, i128> = BTreeMap::new();
    let mut guaranteed = true;
    for c in p.spec.containers.iter().chain(p.spec.init_containers.iter()) {
        let res = c.resources.as_ref();
        let get = |which: &str| -> BTreeMap<String, i128> {
            let mut m = BTreeMap::new();
            if let Some(Value::Object(o)) = res.and_then(|r| r.get(which)) {
                for name in ["cpu", "memory"] {
                    if let Some(q) = o.get(name).and_then(Value::as_str).and_then(Quantity::parse) {
                        if q.milli != 0 {
                            m.insert(name.to_string(), q.milli);
                        }
                    }
                }
            }
            m
        };
        for (k, v) in get("requests") {
            {
                let e = requests.entry(k).or_insert(0);
                *e = e.saturating_add(v);
            }
        }
        let l = get("limits");
        if l.len() < 2 {
            guaranteed = false;
        }
        for (k, v) in l {
            {
                let e = limits.entry(k).or_insert(0);
                *e = e.saturating_add(v);
            }
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort".into();
    }
    if guaranteed && requests.iter().all(|(k, v)| limits.get(k) == Some(v)) && limits.len() == 2 {
        return "Guaranteed".into();
    }
    "Burstable".into()
}

// ------------------------------------------------------------------------------------------ events

/// Events about an object (by uid, plus `extra_uids` such as a node's name), in the API's list order.
fn search_events(w: &World, uids: &[&str]) -> Vec<Event> {
    let mut v: Vec<Event> = Vec::new();
    for uid in uids.iter().filter(|u| !u.is_empty()) {
        let mut part: Vec<Event> = w.events_for(uid).into_iter().cloned().collect();
        part.sort_by(|a, b| (&a.metadata.namespace, &a.metadata.name).cmp(&(&b.metadata.namespace, &b.metadata.name)));
        v.extend(part);
    }
    v
}

/// `DescribeEvents`.
fn describe_events(pw: &mut Pw, w: &World, events: Option<Vec<Event>>) {
    let Some(mut events) = events else { return };
    if events.is_empty() {
        pw.w(0, "Events:\t<none>\n");
        return;
    }
    pw.flush();
    // event.SortableEvents: by lastTimestamp (stable here; Go's sort is stable for short lists).
    events.sort_by_key(|e| e.last_timestamp.map(|t| t.0).unwrap_or(SimTime(i64::MIN)));
    pw.w(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    pw.w(1, "----\t------\t----\t----\t-------\n");
    for e in &events {
        let first = since(w, e.first_timestamp);
        let interval =
            if e.count > 1 { format!("{} (x{} over {first})", since(w, e.last_timestamp), e.count) } else { first };
        let source = if e.source.component.is_empty() {
            e.reporting_component.clone().unwrap_or_default()
        } else {
            e.source.component.clone()
        };
        pw.w(1, &format!("{}\t{}\t{interval}\t{source}\t{}\n", e.type_, e.reason, e.message.trim()));
    }
}

fn events_if(w: &World, s: &Settings, uids: &[&str]) -> Option<Vec<Event>> {
    s.show_events.then(|| search_events(w, uids))
}

// ------------------------------------------------------------------------------------- StatefulSet

fn describe_statefulset(w: &World, sts: &StatefulSet, s: &Settings) -> String {
    let m = &sts.metadata;
    let (running, waiting, succeeded, failed) =
        pod_status_for_controller(w, &m.namespace, sts.spec.selector.as_ref(), &m.uid);
    let mut pw = Pw::new();
    pw.w(0, &format!("Name:\t{}\n", m.name));
    pw.w(0, &format!("Namespace:\t{}\n", m.namespace));
    pw.w(0, &format!("CreationTimestamp:\t{}\n", rfc1123z(m.creation_timestamp)));
    pw.w(0, &format!("Selector:\t{}\n", selector_string(sts.spec.selector.as_ref())));
    labels_multiline(&mut pw, "Labels", &m.labels);
    annotations_multiline(&mut pw, "Annotations", &m.annotations);
    pw.w(0, &format!("Replicas:\t{} desired | {} total\n", sts.replicas(), sts.status.replicas));
    pw.w(0, &format!("Update Strategy:\t{}\n", sts.spec.update_strategy.type_));
    if let Some(ru) = &sts.spec.update_strategy.rolling_update {
        if let Some(partition) = ru.partition {
            pw.w(1, &format!("Partition:\t{partition}\n"));
            if let Some(mu) = &ru.max_unavailable {
                pw.w(1, &format!("MaxUnavailable:\t{}\n", go_v(mu)));
            }
        }
    }
    pw.w(
        0,
        &format!("Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"),
    );
    describe_pod_template(&mut pw, &sts.spec.template);
    describe_volume_claim_templates(&mut pw, &sts.spec.volume_claim_templates);
    describe_events(&mut pw, w, events_if(w, s, &[&m.uid]));
    pw.finish()
}

/// `getPodStatusForController`: pods matching the selector and controlled by `uid`, counted by phase.
fn pod_status_for_controller(
    w: &World,
    ns: &str,
    sel: Option<&LabelSelector>,
    uid: &str,
) -> (usize, usize, usize, usize) {
    let Some(selector) = sel.and_then(Selector::from_label_selector) else { return (0, 0, 0, 0) };
    let (mut r, mut wt, mut su, mut f) = (0, 0, 0, 0);
    for p in w.pods(ns) {
        if !selector.matches(&p.metadata.labels) {
            continue;
        }
        if p.metadata.controller_ref().is_none_or(|c| c.uid != uid) {
            continue;
        }
        match p.status.phase.as_str() {
            "Running" => r += 1,
            "Pending" => wt += 1,
            "Succeeded" => su += 1,
            "Failed" => f += 1,
            _ => {}
        }
    }
    (r, wt, su, f)
}

/// `DescribePodTemplate`.
fn describe_pod_template(pw: &mut Pw, t: &PodTemplateSpec) {
    pw.w(0, "Pod Template:\n");
    labels_multiline(pw, "  Labels", &t.metadata.labels);
    if !t.metadata.annotations.is_empty() {
        annotations_multiline(pw, "  Annotations", &t.metadata.annotations);
    }
    let spec_json = serde_json::to_value(&t.spec).unwrap_or(Value::Null);
    let sa = json_str(&spec_json, "serviceAccountName");
    if !sa.is_empty() {
        pw.w(1, &format!("Service Account:\t{sa}\n"));
    }
    if !t.spec.init_containers.is_empty() {
        describe_containers(pw, "Init Containers", &t.spec.init_containers, None, "  ");
    }
    describe_containers(pw, "Containers", &t.spec.containers, None, "  ");
    describe_volumes(pw, &t.spec.volumes, "  ");
    describe_topology_spread(pw, &spec_json, "  ");
    let pc = json_str(&spec_json, "priorityClassName");
    if !pc.is_empty() {
        pw.w(1, &format!("Priority Class Name:\t{pc}\n"));
    }
    labels_multiline(pw, "  Node-Selectors", &t.spec.node_selector);
    tolerations_multiline(pw, "  Tolerations", &t.spec.tolerations);
}

/// `describeVolumeClaimTemplates`.
fn describe_volume_claim_templates(pw: &mut Pw, templates: &[PersistentVolumeClaim]) {
    if templates.is_empty() {
        pw.w(0, "Volume Claims:\t<none>\n");
        return;
    }
    pw.w(0, "Volume Claims:\n");
    for c in templates {
        pw.w(1, &format!("Name:\t{}\n", c.metadata.name));
        pw.w(1, &format!("StorageClass:\t{}\n", claim_class(c)));
        labels_multiline_indent(pw, "  ", "Labels", "\t", &c.metadata.labels);
        labels_multiline_indent(pw, "  ", "Annotations", "\t", &c.metadata.annotations);
        match c.spec.resources.requests.get("storage") {
            Some(q) => pw.w(1, &format!("Capacity:\t{}\n", canonicalize(q))),
            None => pw.w(1, "Capacity:\t<default>\n"),
        }
        pw.w(1, &format!("Access Modes:\t{}\n", go_slice(&c.spec.access_modes)));
    }
}

/// `storageutil.GetPersistentVolumeClaimClass`.
fn claim_class(c: &PersistentVolumeClaim) -> String {
    if let Some(class) = c.metadata.annotations.get("volume.beta.kubernetes.io/storage-class") {
        return class.clone();
    }
    c.spec.storage_class_name.clone().unwrap_or_default()
}

// ------------------------------------------------------------------------------------- containers

/// `describeContainers`; `statuses` is None for templates.
fn describe_containers(pw: &mut Pw, label: &str, containers: &[Container], pod: Option<&Pod>, space: &str) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    pw.w(0, &format!("{space}{label}:{none}\n"));
    let statuses: &[ContainerStatus] = match pod {
        Some(p) => &p.status.container_statuses,
        None => &[],
    };
    for c in containers {
        let status = statuses.iter().find(|s| s.name == c.name);
        let cj = serde_json::to_value(c).unwrap_or(Value::Null);
        let name_indent = if space.is_empty() { "" } else { " " };
        pw.w(1, &format!("{name_indent}{}:\n", c.name));
        if let Some(st) = status {
            pw.w(2, &format!("Container ID:\t{}\n", st.container_id.as_deref().unwrap_or("")));
        }
        pw.w(2, &format!("Image:\t{}\n", c.image));
        if let Some(st) = status {
            pw.w(2, &format!("Image ID:\t{}\n", st.image_id));
        }
        let proto = |p: &ContainerPort| p.protocol.clone().unwrap_or_default();
        let ports: Vec<String> = c.ports.iter().map(|p| format!("{}/{}", p.container_port, proto(p))).collect();
        let ports = ports.join(", ");
        if ports.contains(',') {
            pw.w(2, &format!("Ports:\t{ports}\n"));
        } else {
            pw.w(2, &format!("Port:\t{}\n", if ports.is_empty() { "<none>" } else { &ports }));
        }
        let host_ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| format!("{}/{}", p.extra.get("hostPort").and_then(Value::as_i64).unwrap_or(0), proto(p)))
            .collect();
        let host_ports = host_ports.join(", ");
        if host_ports.contains(',') {
            pw.w(2, &format!("Host Ports:\t{host_ports}\n"));
        } else {
            pw.w(2, &format!("Host Port:\t{}\n", if host_ports.is_empty() { "<none>" } else { &host_ports }));
        }
        if let Some(sp) = cj.get("securityContext").and_then(|s| s.get("seccompProfile")) {
            let ty = json_str(sp, "type");
            pw.w(2, &format!("SeccompProfile:\t{ty}\n"));
            if ty == "Localhost" {
                pw.w(3, &format!("LocalhostProfile:\t{}\n", json_str(sp, "localhostProfile")));
            }
        }
        if !c.command.is_empty() {
            pw.w(2, "Command:\n");
            for cmd in &c.command {
                for s in cmd.split('\n') {
                    pw.w(3, &format!("{s}\n"));
                }
            }
        }
        if !c.args.is_empty() {
            pw.w(2, "Args:\n");
            for a in &c.args {
                for s in a.split('\n') {
                    pw.w(3, &format!("{s}\n"));
                }
            }
        }
        if let Some(st) = status {
            describe_status(pw, "State", &st.state);
            if let Some(last) = st.last_state.as_ref().filter(|l| l.terminated.is_some()) {
                describe_status(pw, "Last State", last);
            }
            pw.w(2, &format!("Ready:\t{}\n", print_bool(st.ready)));
            pw.w(2, &format!("Restart Count:\t{}\n", st.restart_count));
        }
        describe_resources(pw, c.resources.as_ref(), 2);
        for (field, title) in
            [("livenessProbe", "Liveness"), ("readinessProbe", "Readiness"), ("startupProbe", "Startup")]
        {
            if let Some(probe) = cj.get(field).filter(|p| p.is_object()) {
                pw.w(2, &format!("{title}:\t{}\n", describe_probe(probe)));
            }
        }
        if let Some(Value::Array(env_from)) = cj.get("envFrom") {
            if !env_from.is_empty() {
                describe_env_from(pw, env_from);
            }
        }
        describe_env(pw, c, pod);
        describe_container_volumes(pw, c, &cj);
    }
}

/// `describeStatus`.
fn describe_status(pw: &mut Pw, name: &str, state: &ContainerState) {
    if let Some(r) = &state.running {
        pw.w(2, &format!("{name}:\tRunning\n"));
        pw.w(3, &format!("Started:\t{}\n", rfc1123z(r.started_at)));
    } else if let Some(wt) = &state.waiting {
        pw.w(2, &format!("{name}:\tWaiting\n"));
        if let Some(r) = wt.reason.as_ref().filter(|r| !r.is_empty()) {
            pw.w(3, &format!("Reason:\t{r}\n"));
        }
    } else if let Some(t) = &state.terminated {
        pw.w(2, &format!("{name}:\tTerminated\n"));
        if let Some(r) = t.reason.as_ref().filter(|r| !r.is_empty()) {
            pw.w(3, &format!("Reason:\t{r}\n"));
        }
        pw.w(3, &format!("Exit Code:\t{}\n", t.exit_code));
        pw.w(3, &format!("Started:\t{}\n", rfc1123z(t.started_at)));
        pw.w(3, &format!("Finished:\t{}\n", rfc1123z(t.finished_at)));
    } else {
        pw.w(2, &format!("{name}:\tWaiting\n"));
    }
}

/// `describeResources`.
fn describe_resources(pw: &mut Pw, res: Option<&Value>, level: usize) {
    let Some(res) = res else { return };
    for (key, title) in [("limits", "Limits"), ("requests", "Requests")] {
        if let Some(Value::Object(m)) = res.get(key) {
            if !m.is_empty() {
                pw.w(level, &format!("{title}:\n"));
            }
            for (name, q) in m {
                pw.w(level + 1, &format!("{name}:\t{}\n", canonicalize(&go_v(q))));
            }
        }
    }
}

/// `DescribeProbe`.
fn describe_probe(p: &Value) -> String {
    let num = |k: &str| p.get(k).and_then(Value::as_i64).unwrap_or(0);
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        num("initialDelaySeconds"),
        num("timeoutSeconds"),
        num("periodSeconds"),
        num("successThreshold"),
        num("failureThreshold")
    );
    let port_string = |v: Option<&Value>| -> String { v.map(go_v).unwrap_or_default() };
    if let Some(exec) = p.get("exec") {
        let cmd: Vec<String> =
            exec.get("command").and_then(Value::as_array).map(|a| a.iter().map(go_v).collect()).unwrap_or_default();
        return format!("exec {} {attrs}", go_slice(&cmd));
    }
    if let Some(h) = p.get("httpGet") {
        let scheme = json_str(h, "scheme").to_ascii_lowercase();
        let host = json_str(h, "host");
        let port = port_string(h.get("port"));
        let host_port = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = json_str(h, "path");
        let mut url = String::new();
        if !scheme.is_empty() {
            url.push_str(&scheme);
            url.push(':');
        }
        if !scheme.is_empty() || !host_port.is_empty() {
            url.push_str("//");
            url.push_str(&host_port);
        }
        if !path.is_empty() && !path.starts_with('/') && !host_port.is_empty() {
            url.push('/');
        }
        url.push_str(path);
        return format!("http-get {url} {attrs}");
    }
    if let Some(tcp) = p.get("tcpSocket") {
        return format!("tcp-socket {}:{} {attrs}", json_str(tcp, "host"), port_string(tcp.get("port")));
    }
    if let Some(g) = p.get("grpc") {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            g.get("port").and_then(Value::as_i64).unwrap_or(0),
            json_str(g, "service")
        );
    }
    format!("unknown {attrs}")
}

fn describe_env_from(pw: &mut Pw, env_from: &[Value]) {
    pw.w(2, "Environment Variables from:\n");
    for e in env_from {
        let (from, r) = if let Some(r) = e.get("configMapRef") {
            ("ConfigMap", r)
        } else if let Some(r) = e.get("secretRef") {
            ("Secret", r)
        } else {
            ("", &Value::Null)
        };
        let name = json_str(r, "name");
        let optional = json_bool(r, "optional");
        let prefix = json_str(e, "prefix");
        if prefix.is_empty() {
            pw.w(3, &format!("{name}\t{from}\tOptional: {optional}\n"));
        } else {
            pw.w(3, &format!("{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"));
        }
    }
}

/// `describeContainerEnvVars` with `EnvValueRetriever` for pods (templates resolve nothing).
fn describe_env(pw: &mut Pw, c: &Container, pod: Option<&Pod>) {
    let none = if c.env.is_empty() { "\t<none>" } else { "" };
    pw.w(2, &format!("Environment:{none}\n"));
    for e in &c.env {
        let Some(from) = e.extra.get("valueFrom").filter(|v| v.is_object()) else {
            for (i, s) in e.value.as_deref().unwrap_or("").split('\n').enumerate() {
                if i == 0 {
                    pw.w(3, &format!("{}:\t{s}\n", e.name));
                } else {
                    pw.w(3, &format!("\t{s}\n"));
                }
            }
            continue;
        };
        if let Some(fr) = from.get("fieldRef") {
            let path = json_str(fr, "fieldPath");
            let value = pod.map(|p| pod_field(p, path)).unwrap_or_default();
            pw.w(3, &format!("{}:\t{value} ({}:{path})\n", e.name, json_str(fr, "apiVersion")));
        } else if let Some(rr) = from.get("resourceFieldRef") {
            let resource = json_str(rr, "resource");
            let mut value = container_resource_value(c, resource);
            if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                value = "node allocatable".into();
            }
            pw.w(3, &format!("{}:\t{value} ({resource})\n", e.name));
        } else if let Some(sk) = from.get("secretKeyRef") {
            pw.w(
                3,
                &format!(
                    "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    e.name,
                    json_str(sk, "key"),
                    json_str(sk, "name"),
                    json_bool(sk, "optional")
                ),
            );
        } else if let Some(ck) = from.get("configMapKeyRef") {
            pw.w(
                3,
                &format!(
                    "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    e.name,
                    json_str(ck, "key"),
                    json_str(ck, "name"),
                    json_bool(ck, "optional")
                ),
            );
        }
    }
}

/// The downward API value of a pod field (`fieldpath.ExtractFieldPathAsString`).
fn pod_field(p: &Pod, path: &str) -> String {
    let m = &p.metadata;
    let bracket = |prefix: &str, map: &Labels| -> Option<String> {
        let rest = path.strip_prefix(prefix)?;
        let key = rest.strip_prefix("['")?.strip_suffix("']")?;
        Some(map.get(key).cloned().unwrap_or_default())
    };
    if let Some(v) = bracket("metadata.labels", &m.labels) {
        return v;
    }
    if let Some(v) = bracket("metadata.annotations", &m.annotations) {
        return v;
    }
    let spec = serde_json::to_value(&p.spec).unwrap_or(Value::Null);
    match path {
        "metadata.name" => m.name.clone(),
        "metadata.namespace" => m.namespace.clone(),
        "metadata.uid" => m.uid.clone(),
        "metadata.labels" => m.labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect::<Vec<_>>().join("\n"),
        "metadata.annotations" => {
            m.annotations.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect::<Vec<_>>().join("\n")
        }
        "spec.nodeName" => p.spec.node_name.clone(),
        "spec.serviceAccountName" => json_str(&spec, "serviceAccountName").to_string(),
        "status.hostIP" => p.status.host_ip.clone().unwrap_or_default(),
        "status.hostIPs" => p.status.host_ips.iter().map(|i| i.ip.clone()).collect::<Vec<_>>().join(","),
        "status.podIP" => p.status.pod_ip.clone().unwrap_or_default(),
        "status.podIPs" => p.status.pod_ips.iter().map(|i| i.ip.clone()).collect::<Vec<_>>().join(","),
        _ => String::new(),
    }
}

/// `resourcehelper.ExtractContainerResourceValue` with the default divisor.
fn container_resource_value(c: &Container, resource: &str) -> String {
    let Some((which, name)) = resource.split_once('.') else { return String::new() };
    let q = c
        .resources
        .as_ref()
        .and_then(|r| r.get(which))
        .and_then(|m| m.get(name))
        .and_then(Value::as_str)
        .and_then(Quantity::parse);
    let milli = q.map(|q| q.milli).unwrap_or(0);
    // ceil(cores) for cpu, bytes for memory and storage
    milli.saturating_add(999).div_euclid(1000).to_string()
}

/// `describeContainerVolumes`.
fn describe_container_volumes(pw: &mut Pw, c: &Container, cj: &Value) {
    let none = if c.volume_mounts.is_empty() { "\t<none>" } else { "" };
    pw.w(2, &format!("Mounts:{none}\n"));
    let mut mounts: Vec<&VolumeMount> = c.volume_mounts.iter().collect();
    mounts.sort_by(|a, b| a.mount_path.cmp(&b.mount_path));
    for m in mounts {
        let mut flags = vec![if m.read_only.unwrap_or(false) { "ro".to_string() } else { "rw".to_string() }];
        if let Some(sp) = m.sub_path.as_ref().filter(|s| !s.is_empty()) {
            flags.push(format!("path={sp:?}"));
        }
        pw.w(3, &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")));
    }
    if let Some(Value::Array(devices)) = cj.get("volumeDevices") {
        if !devices.is_empty() {
            pw.w(2, &format!("Devices:{none}\n"));
            let mut d: Vec<&Value> = devices.iter().collect();
            d.sort_by(|a, b| json_str(a, "devicePath").cmp(json_str(b, "devicePath")));
            for dev in d {
                pw.w(3, &format!("{} from {}\n", json_str(dev, "devicePath"), json_str(dev, "name")));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------- volumes

/// `describeVolumes`.
fn describe_volumes(pw: &mut Pw, volumes: &[Volume], space: &str) {
    if volumes.is_empty() {
        pw.w(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    pw.w(0, &format!("{space}Volumes:\n"));
    for v in volumes {
        let name_indent = if space.is_empty() { "" } else { " " };
        pw.w(1, &format!("{name_indent}{}:\n", v.name));
        let vj = serde_json::to_value(v).unwrap_or(Value::Null);
        volume_source(pw, &vj, false);
    }
}

/// The volume source printers shared by pod volumes and PersistentVolumes (`pv` selects the PV variants).
fn volume_source(pw: &mut Pw, v: &Value, pv: bool) {
    let b = |o: &Value, k: &str| json_bool(o, k).to_string();
    if let Some(hp) = v.get("hostPath") {
        let ty = hp.get("type").and_then(Value::as_str).unwrap_or("<none>");
        pw.w(
            2,
            &format!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{ty}\n",
                json_str(hp, "path")
            ),
        );
    } else if let Some(ed) = v.get("emptyDir") {
        let limit = ed
            .get("sizeLimit")
            .and_then(Value::as_str)
            .and_then(Quantity::parse)
            .filter(|q| q.milli > 0)
            .map(|q| q.canonical())
            .unwrap_or_else(|| "<unset>".into());
        pw.w(
            2,
            &format!(
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{limit}\n",
                json_str(ed, "medium")
            ),
        );
    } else if let Some(s) = v.get("secret") {
        pw.w(
            2,
            &format!(
                "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                json_str(s, "secretName"),
                b(s, "optional")
            ),
        );
    } else if let Some(cm) = v.get("configMap") {
        pw.w(
            2,
            &format!(
                "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                json_str(cm, "name"),
                b(cm, "optional")
            ),
        );
    } else if let Some(nfs) = v.get("nfs") {
        pw.w(
            2,
            &format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                json_str(nfs, "server"),
                json_str(nfs, "path"),
                b(nfs, "readOnly")
            ),
        );
    } else if let Some(g) = v.get("glusterfs") {
        if pv {
            let ns = g.get("endpointsNamespace").and_then(Value::as_str).unwrap_or("<unset>");
            pw.w(
                2,
                &format!(
                    "Type:\tGlusterfs (a Glusterfs mount on the host that shares a pod's lifetime)\n    EndpointsName:\t{}\n    EndpointsNamespace:\t{ns}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                    json_str(g, "endpoints"),
                    json_str(g, "path"),
                    b(g, "readOnly")
                ),
            );
        } else {
            pw.w(
                2,
                &format!(
                    "Type:\tGlusterfs (a Glusterfs mount on the host that shares a pod's lifetime)\n    EndpointsName:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                    json_str(g, "endpoints"),
                    json_str(g, "path"),
                    b(g, "readOnly")
                ),
            );
        }
    } else if let Some(c) = v.get("persistentVolumeClaim").filter(|_| !pv) {
        pw.w(
            2,
            &format!(
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                json_str(c, "claimName"),
                b(c, "readOnly")
            ),
        );
    } else if let Some(d) = v.get("downwardAPI").filter(|_| !pv) {
        pw.w(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n");
        for item in d.get("items").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(fr) = item.get("fieldRef") {
                pw.w(3, &format!("{} -> {}\n", json_str(fr, "fieldPath"), json_str(item, "path")));
            }
            if let Some(rr) = item.get("resourceFieldRef") {
                pw.w(3, &format!("{} -> {}\n", json_str(rr, "resource"), json_str(item, "path")));
            }
        }
    } else if let Some(pj) = v.get("projected").filter(|_| !pv) {
        pw.w(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n");
        for src in pj.get("sources").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]) {
            if let Some(s) = src.get("secret") {
                pw.w(2, &format!("SecretName:\t{}\n    Optional:\t{}\n", json_str(s, "name"), b(s, "optional")));
            } else if src.get("downwardAPI").is_some() {
                pw.w(2, "DownwardAPI:\ttrue\n");
            } else if let Some(cm) = src.get("configMap") {
                pw.w(2, &format!("ConfigMapName:\t{}\n    Optional:\t{}\n", json_str(cm, "name"), b(cm, "optional")));
            } else if let Some(t) = src.get("serviceAccountToken") {
                pw.w(
                    2,
                    &format!(
                        "TokenExpirationSeconds:\t{}\n",
                        t.get("expirationSeconds").and_then(Value::as_i64).unwrap_or(0)
                    ),
                );
            }
        }
    } else if let Some(l) = v.get("local").filter(|_| pv) {
        pw.w(
            2,
            &format!(
                "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
                json_str(l, "path")
            ),
        );
    } else if let Some(csi) = v.get("csi") {
        if pv {
            pw.w(
                2,
                &format!(
                    "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    VolumeHandle:\t{}\n    ReadOnly:\t{}\n",
                    json_str(csi, "driver"),
                    json_str(csi, "fsType"),
                    json_str(csi, "volumeHandle"),
                    b(csi, "readOnly")
                ),
            );
        } else {
            pw.w(
                2,
                &format!(
                    "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                    json_str(csi, "driver"),
                    json_str(csi, "fsType"),
                    b(csi, "readOnly")
                ),
            );
        }
        let attrs: Labels = csi
            .get("volumeAttributes")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), go_v(v))).collect())
            .unwrap_or_default();
        pw.w(2, "VolumeAttributes:\t");
        if attrs.is_empty() {
            pw.line("<none>");
        } else {
            for (i, (k, val)) in attrs.iter().enumerate() {
                if i != 0 {
                    pw.w(2, "");
                    pw.w(2, "\t");
                }
                let line = format!("{k}={val}");
                if line.len() > MAX_ANNOTATION_LEN {
                    pw.w(2, &format!("{}...\n", cut(&line, MAX_ANNOTATION_LEN)));
                } else {
                    pw.w(2, &format!("{line}\n"));
                }
            }
        }
    } else if let Some(img) = v.get("image").filter(|_| !pv) {
        pw.w(
            2,
            &format!(
                "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
                json_str(img, "reference"),
                json_str(img, "pullPolicy")
            ),
        );
    } else {
        pw.w(1, "<unknown>\n");
    }
}

/// `describeTopologySpreadConstraints`.
fn describe_topology_spread(pw: &mut Pw, spec: &Value, space: &str) {
    let Some(Value::Array(tscs)) = spec.get("topologySpreadConstraints") else { return };
    if tscs.is_empty() {
        return;
    }
    let mut sorted: Vec<&Value> = tscs.iter().collect();
    sorted.sort_by(|a, b| json_str(a, "topologyKey").cmp(json_str(b, "topologyKey")));
    pw.w(0, &format!("{space}Topology Spread Constraints:\t"));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            pw.w(0, space);
            pw.w(0, "\t");
        }
        let mut s = format!(
            "{}:{} when max skew {} is exceeded",
            json_str(t, "topologyKey"),
            json_str(t, "whenUnsatisfiable"),
            t.get("maxSkew").and_then(Value::as_i64).unwrap_or(0)
        );
        if let Some(ls) = t.get("labelSelector") {
            let sel: Option<LabelSelector> = serde_json::from_value(ls.clone()).ok();
            s.push_str(&format!(" for selector {}", format_label_selector(sel.as_ref())));
        }
        s.push('\n');
        pw.w(0, &s);
    }
}

/// `metav1.FormatLabelSelector`: `<none>` for an empty selector.
fn format_label_selector(sel: Option<&LabelSelector>) -> String {
    let s = selector_string(sel);
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

// --------------------------------------------------------------------------------------------- Pod

fn describe_pod(w: &World, p: &Pod, s: &Settings) -> String {
    let m = &p.metadata;
    let spec = serde_json::to_value(&p.spec).unwrap_or(Value::Null);
    let mut pw = Pw::new();
    pw.w(0, &format!("Name:\t{}\n", m.name));
    pw.w(0, &format!("Namespace:\t{}\n", m.namespace));
    if let Some(prio) = spec.get("priority").and_then(Value::as_i64) {
        pw.w(0, &format!("Priority:\t{prio}\n"));
    }
    let pcn = json_str(&spec, "priorityClassName");
    if !pcn.is_empty() {
        pw.w(0, &format!("Priority Class Name:\t{pcn}\n"));
    }
    let rcn = json_str(&spec, "runtimeClassName");
    if !rcn.is_empty() {
        pw.w(0, &format!("Runtime Class Name:\t{rcn}\n"));
    }
    let sa = json_str(&spec, "serviceAccountName");
    if !sa.is_empty() {
        pw.w(0, &format!("Service Account:\t{sa}\n"));
    }
    if p.spec.node_name.is_empty() {
        pw.w(0, "Node:\t<none>\n");
    } else {
        pw.w(0, &format!("Node:\t{}/{}\n", p.spec.node_name, p.status.host_ip.as_deref().unwrap_or("")));
    }
    if let Some(st) = p.status.start_time {
        pw.w(0, &format!("Start Time:\t{}\n", st.0.rfc1123z()));
    }
    labels_multiline(&mut pw, "Labels", &m.labels);
    annotations_multiline(&mut pw, "Annotations", &m.annotations);
    if m.deletion_timestamp.is_some() && p.status.phase != "Failed" && p.status.phase != "Succeeded" {
        pw.w(0, &format!("Status:\tTerminating (lasts {})\n", since(w, m.deletion_timestamp)));
        pw.w(0, &format!("Termination Grace Period:\t{}s\n", m.deletion_grace_period_seconds.unwrap_or(0)));
    } else {
        pw.w(0, &format!("Status:\t{}\n", p.status.phase));
    }
    if let Some(r) = p.status.reason.as_ref().filter(|r| !r.is_empty()) {
        pw.w(0, &format!("Reason:\t{r}\n"));
    }
    if let Some(msg) = p.status.message.as_ref().filter(|r| !r.is_empty()) {
        pw.w(0, &format!("Message:\t{msg}\n"));
    }
    if let Some(sp) = spec.get("securityContext").and_then(|s| s.get("seccompProfile")) {
        let ty = json_str(sp, "type");
        pw.w(0, &format!("SeccompProfile:\t{ty}\n"));
        if ty == "Localhost" {
            pw.w(0, &format!("LocalhostProfile:\t{}\n", json_str(sp, "localhostProfile")));
        }
    }
    pw.w(0, &format!("IP:\t{}\n", p.status.pod_ip.as_deref().unwrap_or("")));
    if p.status.pod_ips.is_empty() {
        pw.w(0, "IPs:\t<none>\n");
    } else {
        pw.w(0, "IPs:\n");
        for ip in &p.status.pod_ips {
            pw.w(1, &format!("IP:\t{}\n", ip.ip));
        }
    }
    if let Some(c) = m.controller_ref() {
        pw.w(0, &format!("Controlled By:\t{}/{}\n", c.kind, c.name));
    }
    if !p.spec.init_containers.is_empty() {
        describe_containers(&mut pw, "Init Containers", &p.spec.init_containers, Some(p), "");
    }
    describe_containers(&mut pw, "Containers", &p.spec.containers, Some(p), "");
    if !p.status.conditions.is_empty() {
        pw.w(0, "Conditions:\n  Type\tStatus\n");
        for c in &p.status.conditions {
            pw.w(1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    describe_volumes(&mut pw, &p.spec.volumes, "");
    pw.w(0, &format!("QoS Class:\t{}\n", pod_qos(p)));
    labels_multiline(&mut pw, "Node-Selectors", &p.spec.node_selector);
    tolerations_multiline(&mut pw, "Tolerations", &p.spec.tolerations);
    describe_topology_spread(&mut pw, &spec, "");
    describe_events(&mut pw, w, events_if(w, s, &[&m.uid]));
    pw.finish()
}

// --------------------------------------------------------------------------------------------- PVC

fn describe_pvc(w: &World, c: &PersistentVolumeClaim, s: &Settings) -> String {
    let m = &c.metadata;
    let mut pw = Pw::new();
    pw.w(0, &format!("Name:\t{}\n", m.name));
    pw.w(0, &format!("Namespace:\t{}\n", m.namespace));
    pw.w(0, &format!("StorageClass:\t{}\n", claim_class(c)));
    if m.deletion_timestamp.is_some() {
        pw.w(0, &format!("Status:\tTerminating (lasts {})\n", since(w, m.deletion_timestamp)));
    } else {
        pw.w(0, &format!("Status:\t{}\n", c.phase()));
    }
    let volume = c.spec.volume_name.clone().unwrap_or_default();
    pw.w(0, &format!("Volume:\t{volume}\n"));
    labels_multiline(&mut pw, "Labels", &m.labels);
    annotations_multiline(&mut pw, "Annotations", &m.annotations);
    pw.w(0, &format!("Finalizers:\t{}\n", go_slice(&m.finalizers)));
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        let st = c.status.clone().unwrap_or_default();
        let cap = st.capacity.get("storage").map(|q| canonicalize(q)).unwrap_or_else(|| "0".into());
        (cap, access_modes(&st.access_modes))
    };
    pw.w(0, &format!("Capacity:\t{capacity}\n"));
    pw.w(0, &format!("Access Modes:\t{modes}\n"));
    if let Some(vm) = &c.spec.volume_mode {
        pw.w(0, &format!("VolumeMode:\t{vm}\n"));
    }
    if let Some(ds) = c.spec.extra.get("dataSource").filter(|v| v.is_object()) {
        pw.w(0, "DataSource:\n");
        if let Some(g) = ds.get("apiGroup").and_then(Value::as_str) {
            pw.w(1, &format!("APIGroup:\t{g}\n"));
        }
        pw.w(1, &format!("Kind:\t{}\n", json_str(ds, "kind")));
        pw.w(1, &format!("Name:\t{}\n", json_str(ds, "name")));
    }
    // Used By: pods mounting the claim, then pods owning it.
    let ns_pods: Vec<&Pod> = w.pods(&m.namespace).collect();
    let mut users: Vec<&Pod> = Vec::new();
    for p in &ns_pods {
        for v in &p.spec.volumes {
            if v.persistent_volume_claim.as_ref().is_some_and(|pvc| pvc.claim_name == m.name) {
                users.push(p);
            }
        }
    }
    for r in m.owner_references.iter().filter(|r| r.kind == "Pod") {
        if let Some(p) = ns_pods.iter().find(|p| p.metadata.uid == r.uid) {
            if !users.iter().any(|u| u.metadata.uid == p.metadata.uid) {
                users.push(p);
            }
        }
    }
    users.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    pw.w(0, "Used By:\t");
    if users.is_empty() {
        pw.line("<none>");
    } else {
        for (i, u) in users.iter().enumerate() {
            if i != 0 {
                pw.w(0, "\t");
            }
            pw.w(0, &format!("{}\n", u.metadata.name));
        }
    }
    describe_events(&mut pw, w, events_if(w, s, &[&m.uid]));
    pw.finish()
}

// ---------------------------------------------------------------------------------------------- PV

fn describe_pv(w: &World, v: &PersistentVolume, s: &Settings) -> String {
    let m = &v.metadata;
    let mut pw = Pw::new();
    pw.w(0, &format!("Name:\t{}\n", m.name));
    labels_multiline(&mut pw, "Labels", &m.labels);
    annotations_multiline(&mut pw, "Annotations", &m.annotations);
    pw.w(0, &format!("Finalizers:\t{}\n", go_slice(&m.finalizers)));
    let class = m
        .annotations
        .get("volume.beta.kubernetes.io/storage-class")
        .cloned()
        .unwrap_or_else(|| v.spec.storage_class_name.clone().unwrap_or_default());
    pw.w(0, &format!("StorageClass:\t{class}\n"));
    if m.deletion_timestamp.is_some() {
        pw.w(0, &format!("Status:\tTerminating (lasts {})\n", since(w, m.deletion_timestamp)));
    } else {
        pw.w(0, &format!("Status:\t{}\n", v.status.phase));
    }
    match &v.spec.claim_ref {
        Some(r) => pw.w(0, &format!("Claim:\t{}/{}\n", r.namespace, r.name)),
        None => pw.w(0, "Claim:\t\n"),
    }
    pw.w(0, &format!("Reclaim Policy:\t{}\n", v.spec.persistent_volume_reclaim_policy.as_deref().unwrap_or("")));
    pw.w(0, &format!("Access Modes:\t{}\n", access_modes(&v.spec.access_modes)));
    if let Some(vm) = &v.spec.volume_mode {
        pw.w(0, &format!("VolumeMode:\t{vm}\n"));
    }
    let cap = v.spec.capacity.get("storage").map(|q| canonicalize(q)).unwrap_or_else(|| "0".into());
    pw.w(0, &format!("Capacity:\t{cap}\n"));
    pw.w(0, "Node Affinity:\t");
    match v.spec.extra.get("nodeAffinity").and_then(|a| a.get("required")) {
        None => pw.line("<none>"),
        Some(req) => {
            pw.line("");
            pw.w(1, "Required Terms:\t");
            let terms = req.get("nodeSelectorTerms").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
            if terms.is_empty() {
                pw.line("<none>");
            } else {
                pw.line("");
                for (i, term) in terms.iter().enumerate() {
                    pw.w(2, &format!("Term {i}:\t"));
                    let exprs =
                        term.get("matchExpressions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
                    if exprs.is_empty() {
                        pw.line("<none>");
                        continue;
                    }
                    for (j, e) in exprs.iter().enumerate() {
                        if j != 0 {
                            pw.w(2, "\t");
                        }
                        let mut expr = format!("{} {}", json_str(e, "key"), json_str(e, "operator").to_lowercase());
                        let vals: Vec<String> = e
                            .get("values")
                            .and_then(Value::as_array)
                            .map(|a| a.iter().map(go_v).collect())
                            .unwrap_or_default();
                        if !vals.is_empty() {
                            expr = format!("{expr} [{}]", vals.join(", "));
                        }
                        pw.w(0, &format!("{expr}\n"));
                    }
                }
            }
        }
    }
    pw.w(0, &format!("Message:\t{}\n", v.status.message.as_deref().unwrap_or("")));
    pw.w(0, "Source:\n");
    let spec = serde_json::to_value(&v.spec).unwrap_or(Value::Null);
    volume_source(&mut pw, &spec, true);
    describe_events(&mut pw, w, events_if(w, s, &[&m.uid]));
    pw.finish()
}

// ----------------------------------------------------------------------------------------- Service

fn describe_service(w: &World, svc: &Service, s: &Settings) -> String {
    let m = &svc.metadata;
    let spec = serde_json::to_value(&svc.spec).unwrap_or(Value::Null);
    let mut pw = Pw::new();
    pw.w(0, &format!("Name:\t{}\n", m.name));
    pw.w(0, &format!("Namespace:\t{}\n", m.namespace));
    labels_multiline(&mut pw, "Labels", &m.labels);
    annotations_multiline(&mut pw, "Annotations", &m.annotations);
    let selector = svc.spec.selector.clone().unwrap_or_default();
    pw.w(0, &format!("Selector:\t{}\n", format_labels(&selector)));
    pw.w(0, &format!("Type:\t{}\n", svc.spec.type_.as_deref().unwrap_or("")));
    if let Some(pol) = spec.get("ipFamilyPolicy").and_then(Value::as_str) {
        pw.w(0, &format!("IP Family Policy:\t{pol}\n"));
    }
    let families: Vec<String> =
        spec.get("ipFamilies").and_then(Value::as_array).map(|a| a.iter().map(go_v).collect()).unwrap_or_default();
    if families.is_empty() {
        pw.w(0, "IP Families:\t<none>\n");
    } else {
        pw.w(0, &format!("IP Families:\t{}\n", families.join(",")));
    }
    pw.w(0, &format!("IP:\t{}\n", svc.spec.cluster_ip.as_deref().unwrap_or("")));
    if svc.spec.cluster_ips.is_empty() {
        pw.w(0, "IPs:\t<none>\n");
    } else {
        pw.w(0, &format!("IPs:\t{}\n", svc.spec.cluster_ips.join(",")));
    }
    let strings = |k: &str| -> Vec<String> {
        spec.get(k).and_then(Value::as_array).map(|a| a.iter().map(go_v).collect()).unwrap_or_default()
    };
    let external = strings("externalIPs");
    if !external.is_empty() {
        pw.w(0, &format!("External IPs:\t{}\n", external.join(",")));
    }
    let lb_ip = json_str(&spec, "loadBalancerIP");
    if !lb_ip.is_empty() {
        pw.w(0, &format!("Desired LoadBalancer IP:\t{lb_ip}\n"));
    }
    let ext_name = json_str(&spec, "externalName");
    if !ext_name.is_empty() {
        pw.w(0, &format!("External Name:\t{ext_name}\n"));
    }
    let eps = stsplay_cluster::dns::endpoints(w, svc);
    let has_slice = svc.spec.selector.as_ref().is_some_and(|s| !s.is_empty());
    for sp in &svc.spec.ports {
        let proto = sp.protocol.clone().unwrap_or_default();
        let name = sp.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
        pw.w(0, &format!("Port:\t{name}\t{}/{proto}\n", sp.port));
        match &sp.target_port {
            Some(Value::String(tp)) => pw.w(0, &format!("TargetPort:\t{tp}/{proto}\n")),
            Some(v) => pw.w(0, &format!("TargetPort:\t{}/{proto}\n", v.as_i64().unwrap_or(0))),
            None => pw.w(0, &format!("TargetPort:\t0/{proto}\n")),
        }
        if let Some(np) = sp.extra.get("nodePort").and_then(Value::as_i64).filter(|n| *n != 0) {
            pw.w(0, &format!("NodePort:\t{name}\t{np}/{proto}\n"));
        }
        pw.w(0, &format!("Endpoints:\t{}\n", format_endpoints(svc, &eps, has_slice, Some(sp))));
    }
    pw.w(0, &format!("Session Affinity:\t{}\n", json_str(&spec, "sessionAffinity")));
    let etp = json_str(&spec, "externalTrafficPolicy");
    if !etp.is_empty() {
        pw.w(0, &format!("External Traffic Policy:\t{etp}\n"));
    }
    if let Some(itp) = spec.get("internalTrafficPolicy").and_then(Value::as_str) {
        pw.w(0, &format!("Internal Traffic Policy:\t{itp}\n"));
    }
    if let Some(hc) = spec.get("healthCheckNodePort").and_then(Value::as_i64).filter(|n| *n != 0) {
        pw.w(0, &format!("HealthCheck NodePort:\t{hc}\n"));
    }
    let ranges = strings("loadBalancerSourceRanges");
    if !ranges.is_empty() {
        pw.w(0, &format!("LoadBalancer Source Ranges:\t{}\n", ranges.join(",")));
    }
    let td = json_str(&spec, "trafficDistribution");
    if !td.is_empty() {
        pw.w(0, &format!("Traffic Distribution:\t{td}\n"));
    }
    describe_events(&mut pw, w, events_if(w, s, &[&m.uid]));
    pw.finish()
}

/// `formatEndpointSlices` over the one EndpointSlice the controller keeps for a selector Service.
fn format_endpoints(
    svc: &Service,
    eps: &[stsplay_cluster::dns::Endpoint],
    has_slice: bool,
    port: Option<&ServicePort>,
) -> String {
    if !has_slice {
        return "<none>".into();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0usize;
    let ready = |e: &stsplay_cluster::dns::Endpoint| e.ready || svc.spec.publish_not_ready_addresses;
    if svc.spec.ports.is_empty() {
        for e in eps {
            if list.len() == MAX {
                more = true;
            }
            if !ready(e) {
                continue;
            }
            if !more {
                list.push(e.ip.clone());
            }
            count += 1;
        }
    } else if let Some(sp) = port {
        let target = match &sp.target_port {
            Some(Value::Number(n)) => n.as_i64().unwrap_or(sp.port as i64),
            _ => sp.port as i64,
        };
        for e in eps {
            if list.len() == MAX {
                more = true;
            }
            if !ready(e) {
                continue;
            }
            if !more {
                let host = if e.ip.contains(':') { format!("[{}]", e.ip) } else { e.ip.clone() };
                list.push(format!("{host}:{target}"));
            }
            count += 1;
        }
    }
    let ret = list.join(",");
    if more {
        return format!("{ret} + {} more...", count.saturating_sub(MAX));
    }
    ret
}

// --------------------------------------------------------------------------------------- Endpoints

fn describe_endpoints(w: &World, svc: &Service, s: &Settings) -> String {
    let m = &svc.metadata;
    let eps = stsplay_cluster::dns::endpoints(w, svc);
    let mut labels = m.labels.clone();
    if svc.is_headless() {
        labels.insert("service.kubernetes.io/headless".into(), String::new());
    }
    let mut pw = Pw::new();
    pw.w(0, &format!("Name:\t{}\n", m.name));
    pw.w(0, &format!("Namespace:\t{}\n", m.namespace));
    labels_multiline(&mut pw, "Labels", &labels);
    annotations_multiline(&mut pw, "Annotations", &Labels::new());
    pw.w(0, "Subsets:\n");
    let publish = svc.spec.publish_not_ready_addresses;
    let ready: Vec<&str> = eps.iter().filter(|e| e.ready || publish).map(|e| e.ip.as_str()).collect();
    let not_ready: Vec<&str> = eps.iter().filter(|e| !(e.ready || publish)).map(|e| e.ip.as_str()).collect();
    if !eps.is_empty() {
        let or_none = |v: &[&str]| if v.is_empty() { "<none>".to_string() } else { v.join(",") };
        pw.w(1, &format!("Addresses:\t{}\n", or_none(&ready)));
        pw.w(1, &format!("NotReadyAddresses:\t{}\n", or_none(&not_ready)));
        if !svc.spec.ports.is_empty() {
            pw.w(1, "Ports:\n");
            pw.w(2, "Name\tPort\tProtocol\n");
            pw.w(2, "----\t----\t--------\n");
            for sp in &svc.spec.ports {
                let name = sp.name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| "<unset>".into());
                let target = match &sp.target_port {
                    Some(Value::Number(n)) => n.as_i64().unwrap_or(sp.port as i64),
                    _ => sp.port as i64,
                };
                pw.w(2, &format!("{name}\t{target}\t{}\n", sp.protocol.as_deref().unwrap_or("TCP")));
            }
        }
        pw.w(0, "\n");
    }
    describe_events(&mut pw, w, events_if(w, s, &[]));
    pw.finish()
}

// -------------------------------------------------------------------------------------------- Node

fn describe_node(w: &World, n: &Node, s: &Settings) -> String {
    let m = &n.metadata;
    let mut pw = Pw::new();
    pw.w(0, &format!("Name:\t{}\n", m.name));
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in &m.labels {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    roles.sort();
    roles.dedup();
    pw.w(0, &format!("Roles:\t{}\n", if roles.is_empty() { "<none>".to_string() } else { roles.join(",") }));
    labels_multiline(&mut pw, "Labels", &m.labels);
    annotations_multiline(&mut pw, "Annotations", &m.annotations);
    pw.w(0, &format!("CreationTimestamp:\t{}\n", rfc1123z(m.creation_timestamp)));
    pw.w(0, "Taints:\t");
    if n.spec.taints.is_empty() {
        pw.line("<none>");
    } else {
        let mut taints: Vec<&Taint> = n.spec.taints.iter().collect();
        taints.sort_by(|a, b| format!("{},{}", a.effect, a.key).cmp(&format!("{},{}", b.effect, b.key)));
        for (i, t) in taints.iter().enumerate() {
            if i != 0 {
                pw.w(0, "\t");
            }
            pw.w(0, &format!("{}\n", taint_string(t)));
        }
    }
    pw.w(0, &format!("Unschedulable:\t{}\n", n.spec.unschedulable));
    // The node's Lease (kube-node-lease): renewed with the kubelet's heartbeat.
    let ready = n.status.conditions.iter().find(|c| c.type_ == "Ready");
    pw.w(0, "Lease:\n");
    pw.w(1, &format!("HolderIdentity:\t{}\n", m.name));
    pw.w(1, "AcquireTime:\t<unset>\n");
    match ready.and_then(|c| c.last_heartbeat_time) {
        Some(t) => pw.w(1, &format!("RenewTime:\t{}\n", t.0.rfc1123z())),
        None => pw.w(1, "RenewTime:\t<unset>\n"),
    }
    if !n.status.conditions.is_empty() {
        pw.w(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n");
        pw.w(1, "----\t------\t-----------------\t------------------\t------\t-------\n");
        for c in &n.status.conditions {
            pw.w(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    c.type_,
                    c.status,
                    rfc1123z(c.last_heartbeat_time),
                    rfc1123z(c.last_transition_time),
                    c.reason.as_deref().unwrap_or(""),
                    c.message.as_deref().unwrap_or("")
                ),
            );
        }
    }
    pw.w(0, "Addresses:\n");
    for a in &n.status.addresses {
        pw.w(1, &format!("{}:\t{}\n", json_str(a, "type"), json_str(a, "address")));
    }
    let node_json = Object::Node(n.clone()).to_json();
    let status = node_json.get("status").cloned().unwrap_or(Value::Null);
    let resource_list = |pw: &mut Pw, v: Option<&Value>| {
        if let Some(Value::Object(m)) = v {
            for (k, q) in m {
                pw.w(0, &format!("  {k}:\t{}\n", canonicalize(&go_v(q))));
            }
        }
    };
    let capacity = status.get("capacity").filter(|c| c.as_object().is_some_and(|m| !m.is_empty()));
    let allocatable = status.get("allocatable").filter(|c| c.as_object().is_some_and(|m| !m.is_empty()));
    if capacity.is_some() {
        pw.w(0, "Capacity:\n");
        resource_list(&mut pw, capacity);
    }
    if allocatable.is_some() {
        pw.w(0, "Allocatable:\n");
        resource_list(&mut pw, allocatable);
    }
    let info = n.status.node_info.clone().unwrap_or(Value::Null);
    pw.w(0, "System Info:\n");
    for (title, key) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
        ("Kube-Proxy Version", "kubeProxyVersion"),
    ] {
        pw.w(0, &format!("  {title}:\t{}\n", json_str(&info, key)));
    }
    if let Some(cidr) = n.spec.pod_cidr.as_ref().filter(|c| !c.is_empty()) {
        pw.w(0, &format!("PodCIDR:\t{cidr}\n"));
        pw.w(0, &format!("PodCIDRs:\t{cidr}\n"));
    }
    // Non-terminated pods on the node.
    let alloc = allocatable.or(capacity);
    let alloc_of = |k: &str| -> i128 {
        alloc.and_then(|a| a.get(k)).and_then(Value::as_str).and_then(Quantity::parse).map(|q| q.milli).unwrap_or(0)
    };
    let pct = |v: i128, of: i128| -> i128 {
        if of == 0 {
            0
        } else {
            v.saturating_mul(100) / of
        }
    };
    let pods: Vec<&Pod> = w
        .store
        .list(Kind::Pod, None)
        .filter_map(|o| o.as_pod())
        .filter(|p| p.spec.node_name == m.name && p.status.phase != "Succeeded" && p.status.phase != "Failed")
        .collect();
    pw.w(0, &format!("Non-terminated Pods:\t({} in total)\n", pods.len()));
    pw.w(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n");
    pw.w(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n");
    let mut total_req: BTreeMap<String, i128> = BTreeMap::new();
    let mut total_lim: BTreeMap<String, i128> = BTreeMap::new();
    for p in &pods {
        let (req, lim) = pod_requests_limits(p);
        let g = |m: &BTreeMap<String, i128>, k: &str| m.get(k).copied().unwrap_or(0);
        let (cr, cl, mr, ml) = (g(&req, "cpu"), g(&lim, "cpu"), g(&req, "memory"), g(&lim, "memory"));
        pw.w(
            1,
            &format!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                p.metadata.namespace,
                p.metadata.name,
                quantity_string(cr, false),
                pct(cr, alloc_of("cpu")),
                quantity_string(cl, false),
                pct(cl, alloc_of("cpu")),
                quantity_string(mr, true),
                pct(mr, alloc_of("memory")),
                quantity_string(ml, true),
                pct(ml, alloc_of("memory")),
                since(w, p.metadata.creation_timestamp)
            ),
        );
        for (k, v) in req {
            {
                let e = total_req.entry(k).or_insert(0);
                *e = e.saturating_add(v);
            }
        }
        for (k, v) in lim {
            {
                let e = total_lim.entry(k).or_insert(0);
                *e = e.saturating_add(v);
            }
        }
    }
    pw.w(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n");
    pw.w(1, "Resource\tRequests\tLimits\n");
    pw.w(1, "--------\t--------\t------\n");
    for (res, binary) in [("cpu", false), ("memory", true), ("ephemeral-storage", true)] {
        let r = total_req.get(res).copied().unwrap_or(0);
        let l = total_lim.get(res).copied().unwrap_or(0);
        pw.w(
            1,
            &format!(
                "{res}\t{} ({}%)\t{} ({}%)\n",
                quantity_string(r, binary),
                pct(r, alloc_of(res)),
                quantity_string(l, binary),
                pct(l, alloc_of(res))
            ),
        );
    }
    describe_events(&mut pw, w, events_if(w, s, &[&m.uid, &m.name]));
    pw.finish()
}

// ------------------------------------------------------------------------------------ StorageClass

fn describe_storage_class(w: &World, sc: &StorageClass, s: &Settings) -> String {
    let m = &sc.metadata;
    let is_default =
        ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"]
            .iter()
            .any(|k| m.annotations.get(*k).map(String::as_str) == Some("true"));
    let mut pw = Pw::new();
    pw.w(0, &format!("Name:\t{}\n", m.name));
    pw.w(0, &format!("IsDefaultClass:\t{}\n", if is_default { "Yes" } else { "No" }));
    pw.w(0, &format!("Annotations:\t{}\n", format_labels(&m.annotations)));
    pw.w(0, &format!("Provisioner:\t{}\n", sc.provisioner));
    pw.w(0, &format!("Parameters:\t{}\n", format_labels(&sc.parameters)));
    let expansion = match sc.allow_volume_expansion {
        Some(b) => print_bool(b),
        None => "<unset>",
    };
    pw.w(0, &format!("AllowVolumeExpansion:\t{expansion}\n"));
    let opts: Vec<String> = sc
        .extra
        .get("mountOptions")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(go_v).collect())
        .unwrap_or_default();
    if opts.is_empty() {
        pw.w(0, "MountOptions:\t<none>\n");
    } else {
        pw.w(0, "MountOptions:\n");
        for o in opts {
            pw.w(1, &format!("{o}\n"));
        }
    }
    if let Some(rp) = &sc.reclaim_policy {
        pw.w(0, &format!("ReclaimPolicy:\t{rp}\n"));
    }
    if let Some(bm) = &sc.volume_binding_mode {
        pw.w(0, &format!("VolumeBindingMode:\t{bm}\n"));
    }
    if let Some(Value::Array(topologies)) = sc.extra.get("allowedTopologies") {
        pw.w(0, "AllowedTopologies:\t");
        if topologies.is_empty() {
            pw.line("<none>");
        } else {
            pw.line("");
            for (i, term) in topologies.iter().enumerate() {
                pw.w(1, &format!("Term {i}:\t"));
                let reqs =
                    term.get("matchLabelExpressions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
                if reqs.is_empty() {
                    pw.line("<none>");
                    continue;
                }
                for (j, r) in reqs.iter().enumerate() {
                    if j != 0 {
                        pw.w(1, "\t");
                    }
                    let vals: Vec<String> = r
                        .get("values")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().map(go_v).collect())
                        .unwrap_or_default();
                    let mut expr = format!("{} in", json_str(r, "key"));
                    if !vals.is_empty() {
                        expr = format!("{expr} [{}]", vals.join(", "));
                    }
                    pw.w(0, &format!("{expr}\n"));
                }
            }
        }
    }
    describe_events(&mut pw, w, events_if(w, s, &[&m.uid]));
    pw.finish()
}

// ----------------------------------------------------------------------------------------- generic

/// `genericDescriber` (kinds without a dedicated describer: ControllerRevision, Event).
fn describe_generic(w: &World, obj: &Object, s: &Settings) -> String {
    let m = obj.meta();
    let content = obj.to_json();
    let mut pw = Pw::new();
    pw.w(0, &format!("Name:\t{}\n", m.name));
    pw.w(0, &format!("Namespace:\t{}\n", m.namespace));
    labels_multiline(&mut pw, "Labels", &m.labels);
    annotations_multiline(&mut pw, "Annotations", &m.annotations);
    if let Value::Object(map) = &content {
        print_unstructured(
            &mut pw,
            0,
            map,
            "",
            &[
                ".metadata.managedFields",
                ".metadata.name",
                ".metadata.namespace",
                ".metadata.labels",
                ".metadata.annotations",
            ],
            0,
        );
    }
    describe_events(&mut pw, w, events_if(w, s, &[&m.uid]));
    pw.finish()
}

/// `printUnstructuredContent`.
fn print_unstructured(
    pw: &mut Pw,
    level: usize,
    content: &serde_json::Map<String, Value>,
    skip_prefix: &str,
    skip: &[&str],
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    let mut fields: Vec<(&String, &Value)> = content.iter().collect();
    fields.sort_by(|a, b| a.0.cmp(b.0));
    for (field, value) in fields {
        let skip_expr = format!("{skip_prefix}.{field}");
        if skip.contains(&skip_expr.as_str()) {
            continue;
        }
        match value {
            Value::Object(m) => {
                pw.w(level, &format!("{}:\n", smart_label(field)));
                print_unstructured(pw, level + 1, m, &skip_expr, skip, depth + 1);
            }
            Value::Array(items) => {
                pw.w(level, &format!("{}:\n", smart_label(field)));
                for child in items {
                    match child {
                        Value::Object(m) => print_unstructured(pw, level + 1, m, &skip_expr, skip, depth + 1),
                        other => pw.w(level + 1, &format!("{}\n", go_v(other))),
                    }
                }
            }
            other => pw.w(level, &format!("{}:\t{}\n", smart_label(field), go_v(other))),
        }
    }
}

/// `smartLabelFor`: `apiVersion` → `API Version`, `creationTimestamp` → `Creation Timestamp`.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    const ACRONYMS: [&str; 5] = ["API", "URL", "UID", "OSB", "GUID"];
    camelcase_split(field)
        .into_iter()
        .filter(|p| p != "_")
        .map(|part| {
            let upper = part.to_uppercase();
            if ACRONYMS.contains(&upper.as_str()) {
                upper
            } else {
                go_title(&part)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `strings.Title`: upper-cases the first letter of each word (words split at non-letter, non-digit runes).
fn go_title(s: &str) -> String {
    let mut out = String::new();
    let mut prev_sep = true;
    for c in s.chars() {
        if prev_sep {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        prev_sep = !(c.is_alphanumeric() || c == '_');
    }
    out
}

/// `github.com/fatih/camelcase.Split`.
fn camelcase_split(s: &str) -> Vec<String> {
    fn class(c: char) -> u8 {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    }
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0u8;
    for c in s.chars() {
        let cl = class(c);
        match runs.last_mut() {
            Some(run) if cl == last => run.push(c),
            _ => runs.push(vec![c]),
        }
        last = cl;
    }
    for i in 0..runs.len().saturating_sub(1) {
        let upper_then_lower =
            runs[i].first().is_some_and(|c| c.is_uppercase()) && runs[i + 1].first().is_some_and(|c| c.is_lowercase());
        if upper_then_lower {
            if let Some(c) = runs[i].pop() {
                runs[i + 1].insert(0, c);
            }
        }
    }
    runs.into_iter().filter(|r| !r.is_empty()).map(|r| r.into_iter().collect()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminal::MemoryFiles;
    use stsplay_cluster::world::SETTLE_CAP_MS;

    /// The seed tutorial's StatefulSet with its typos fixed (tests/scenarios/seed-tutorial).
    const MANIFEST: &str = "apiVersion: v1
kind: Service
metadata:
  name: myapp
  labels:
    app: myapp
spec:
  ports:
  - port: 80
    name: web
  clusterIP: None
  selector:
    app: myapp-pod
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: myapp
spec:
  serviceName: myapp
  replicas: 3
  selector:
    matchLabels:
      app: myapp-pod
  template:
    metadata:
      labels:
        app: myapp-pod
    spec:
      containers:
      - name: myapp
        image: ikubernetes/myapp:v1
        ports:
        - containerPort: 80
          name: web
        volumeMounts:
        - name: myappdata
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: myappdata
    spec:
      accessModes: [ \"ReadWriteOnce\" ]
      storageClassName: \"gluster-dynamic\"
      resources:
        requests:
          storage: 2Gi
";

    fn files() -> MemoryFiles {
        let mut f = MemoryFiles::default();
        f.0.insert("m.yaml".into(), MANIFEST.into());
        f
    }

    fn settled() -> Terminal {
        let mut t = Terminal::new(1);
        let o = t.run("kubectl apply -f m.yaml", &files());
        assert_eq!(o.exit, 0, "{}", o.text());
        t.world.settle(SETTLE_CAP_MS);
        t
    }

    fn run(t: &mut Terminal, cmd: &str) -> Output {
        t.run(cmd, &files())
    }

    fn ok(t: &mut Terminal, cmd: &str) -> String {
        let o = run(t, cmd);
        assert_eq!(o.exit, 0, "{cmd}: {}", o.stderr());
        o.stdout()
    }

    /// Event rows (`Type`, `Reason`, `Age`, `From`, `Message`) split on the tabwriter's padding.
    fn event_rows(s: &str) -> Vec<Vec<String>> {
        let Some((_, events)) = s.split_once("\nEvents:\n") else { return vec![] };
        events
            .lines()
            .skip(2)
            .take_while(|l| l.starts_with("  ") && !l.trim().is_empty())
            .map(|l| l.trim().split("  ").map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect())
            .collect()
    }

    // Reference §4.15 layout for `kubectl describe sts` (names from the seed manifest), §3.11 event order.
    #[test]
    fn describe_sts_after_settle() {
        let mut t = settled();
        let s = ok(&mut t, "kubectl describe sts");
        let want_head = "Name:               myapp
Namespace:          default
CreationTimestamp:  Tue, 04 Mar 2025 10:00:00 +0000
Selector:           app=myapp-pod
Labels:             <none>
Annotations:        <none>
Replicas:           3 desired | 3 total
Update Strategy:    RollingUpdate
  Partition:        0
Pods Status:        3 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=myapp-pod
  Containers:
   myapp:
    Image:        ikubernetes/myapp:v1
    Port:         80/TCP
    Host Port:    0/TCP
    Environment:  <none>
    Mounts:
      /usr/share/nginx/html from myappdata (rw)
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Volume Claims:
  Name:          myappdata
  StorageClass:  gluster-dynamic
  Labels:        <none>
  Annotations:   <none>
  Capacity:      2Gi
  Access Modes:  [ReadWriteOnce]
Events:
  Type    Reason            Age   From                    Message
  ----    ------            ----  ----                    -------
";
        assert!(s.starts_with(want_head), "{s}");
        let rows = event_rows(&s);
        let want_msgs = [
            "create Claim myappdata-myapp-0 Pod myapp-0 in StatefulSet myapp success",
            "create Pod myapp-0 in StatefulSet myapp successful",
            "create Claim myappdata-myapp-1 Pod myapp-1 in StatefulSet myapp success",
            "create Pod myapp-1 in StatefulSet myapp successful",
            "create Claim myappdata-myapp-2 Pod myapp-2 in StatefulSet myapp success",
            "create Pod myapp-2 in StatefulSet myapp successful",
        ];
        assert_eq!(rows.len(), want_msgs.len(), "{s}");
        for (row, msg) in rows.iter().zip(want_msgs) {
            assert_eq!(row.len(), 5, "{row:?}");
            assert_eq!(row[0], "Normal");
            assert_eq!(row[1], "SuccessfulCreate");
            assert!(row[2].ends_with('s') && row[2].trim_end_matches('s').parse::<u32>().is_ok(), "{row:?}");
            assert_eq!(row[3], "statefulset-controller");
            assert_eq!(row[4], msg);
        }
        // Same object by TYPE/NAME and by full name; --show-events=false drops the section.
        assert_eq!(ok(&mut t, "kubectl describe sts/myapp"), s);
        assert_eq!(ok(&mut t, "kubectl describe statefulset.apps myapp"), s);
        let quiet = ok(&mut t, "kubectl describe sts myapp --show-events=false");
        assert!(quiet.ends_with("  Access Modes:  [ReadWriteOnce]\n"), "{quiet}");
    }

    // describe.go DescribeEvents: `<last> (x<count> over <first>)`, reference §4.15 example `2m (x3 over 5m)`.
    #[test]
    fn repeated_events_aggregate() {
        let mut t = settled();
        let sts = t.world.store.get_by(Kind::StatefulSet, "default", "myapp").cloned().unwrap();
        let msg = "create Pod myapp-3 in StatefulSet myapp failed error: quota";
        t.world.record_event(&sts, "Warning", "FailedCreate", msg, "statefulset-controller");
        t.world.run_for(60_000);
        t.world.record_event(&sts, "Warning", "FailedCreate", msg, "statefulset-controller");
        t.world.run_for(120_000);
        t.world.record_event(&sts, "Warning", "FailedCreate", msg, "statefulset-controller");
        t.world.run_for(120_000);
        let s = ok(&mut t, "kubectl describe sts myapp");
        let rows = event_rows(&s);
        let last = rows.last().unwrap();
        assert_eq!(last, &["Warning", "FailedCreate", "2m (x3 over 5m)", "statefulset-controller", msg]);
    }

    #[test]
    fn events_none_and_annotations() {
        let mut t = Terminal::new(1);
        assert_eq!(run(&mut t, "kubectl apply -f m.yaml").exit, 0);
        // No sync yet: no events; last-applied-configuration is hidden from Annotations.
        let s = ok(&mut t, "kubectl describe sts myapp");
        assert!(s.contains("\nAnnotations:        <none>\n"), "{s}");
        assert!(!s.contains("last-applied"), "{s}");
        assert!(s.ends_with("  Access Modes:  [ReadWriteOnce]\nEvents:          <none>\n"), "{s}");
        let svc = ok(&mut t, "kubectl describe svc myapp");
        assert!(svc.ends_with("Events:                   <none>\n"), "{svc}");
    }

    #[test]
    fn describe_pod_fields() {
        let mut t = settled();
        let s = ok(&mut t, "kubectl describe pod myapp-0");
        let lines: Vec<&str> = s.lines().collect();
        let field = |name: &str| -> String {
            lines
                .iter()
                .find(|l| l.starts_with(&format!("{name}:")))
                .map(|l| l[name.len() + 1..].trim().to_string())
                .unwrap_or_else(|| panic!("no {name} in\n{s}"))
        };
        assert_eq!(field("Name"), "myapp-0");
        assert_eq!(field("Namespace"), "default");
        assert_eq!(field("Service Account"), "default");
        assert_eq!(field("Status"), "Running");
        assert_eq!(field("Controlled By"), "StatefulSet/myapp");
        assert_eq!(field("QoS Class"), "BestEffort");
        assert_eq!(field("Node-Selectors"), "<none>");
        let pod = t.world.get_pod("default", "myapp-0").cloned().unwrap();
        let ip = pod.status.pod_ip.clone().unwrap();
        assert_eq!(field("IP"), ip);
        assert!(s.contains(&format!("\nIPs:\n  IP:           {ip}\nControlled By:  StatefulSet/myapp\n")), "{s}");
        assert!(field("Node").starts_with(&format!("{}/", pod.spec.node_name)));
        assert!(
            s.contains("\nLabels:           app=myapp-pod\n                  apps.kubernetes.io/pod-index=0\n"),
            "{s}"
        );
        for want in [
            "\nContainers:\n  myapp:\n    Container ID:   containerd://",
            "\n    State:          Running\n      Started:      ",
            "\n    Ready:          True\n    Restart Count:  0\n",
            "\n      /usr/share/nginx/html from myappdata (rw)\n",
            "\nConditions:\n  Type                        Status\n  PodReadyToStartContainers   True \n",
            "\n  Ready                       True \n",
            "\nVolumes:\n  myappdata:\n    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:  myappdata-myapp-0\n    ReadOnly:   false\n",
            "\nTolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n",
        ] {
            assert!(s.contains(want), "missing {want:?} in\n{s}");
        }
        let reasons: Vec<String> = event_rows(&s).into_iter().map(|r| r[1].clone()).collect();
        for r in ["Scheduled", "Pulled", "Created", "Started"] {
            assert!(reasons.iter().any(|x| x == r), "{reasons:?}");
        }
    }

    #[test]
    fn describe_storage_objects() {
        let mut t = settled();
        let pvc = ok(&mut t, "kubectl describe pvc myappdata-myapp-0");
        let volume = t.world.get_pvc("default", "myappdata-myapp-0").and_then(|c| c.spec.volume_name.clone()).unwrap();
        for want in [
            "Name:          myappdata-myapp-0\nNamespace:     default\nStorageClass:  gluster-dynamic\nStatus:        Bound\n",
            &format!("Volume:        {volume}\n"),
            "Finalizers:    [kubernetes.io/pvc-protection]\nCapacity:      2Gi\nAccess Modes:  RWO\nVolumeMode:    Filesystem\nUsed By:       myapp-0\n",
        ] {
            assert!(pvc.contains(want), "missing {want:?} in\n{pvc}");
        }
        let pv = ok(&mut t, &format!("kubectl describe pv {volume}"));
        for want in [
            format!("Name:            {volume}\n"),
            "Finalizers:      [kubernetes.io/pv-protection]\nStorageClass:    gluster-dynamic\nStatus:          Bound\nClaim:           default/myappdata-myapp-0\nReclaim Policy:  Delete\nAccess Modes:    RWO\nVolumeMode:      Filesystem\nCapacity:        2Gi\nNode Affinity:   <none>\n".to_string(),
            "Source:\n    Type:                Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)\n    EndpointsName:       glusterfs-cluster\n".to_string(),
        ] {
            assert!(pv.contains(&want), "missing {want:?} in\n{pv}");
        }
        let sc = ok(&mut t, "kubectl describe sc standard");
        assert_eq!(
            sc,
            "Name:                  standard\nIsDefaultClass:        Yes\nAnnotations:           storageclass.kubernetes.io/is-default-class=true\nProvisioner:           rancher.io/local-path\nParameters:            <none>\nAllowVolumeExpansion:  <unset>\nMountOptions:          <none>\nReclaimPolicy:         Delete\nVolumeBindingMode:     WaitForFirstConsumer\nEvents:                <none>\n"
        );
    }

    #[test]
    fn describe_service_and_node() {
        let mut t = settled();
        let svc = ok(&mut t, "kubectl describe svc myapp");
        for want in [
            "Selector:                 app=myapp-pod\nType:                     ClusterIP\nIP Family Policy:         SingleStack\nIP Families:              IPv4\nIP:                       None\nIPs:                      None\nPort:                     web  80/TCP\nTargetPort:               80/TCP\nEndpoints:                ",
            "\nSession Affinity:         None\nInternal Traffic Policy:  Cluster\n",
        ] {
            assert!(svc.contains(want), "missing {want:?} in\n{svc}");
        }
        let node = ok(&mut t, "kubectl describe node kind-control-plane");
        for want in [
            "Name:               kind-control-plane\nRoles:              control-plane\n",
            "\nTaints:             node-role.kubernetes.io/control-plane:NoSchedule\nUnschedulable:      false\n",
            "\nConditions:\n  Type    Status  LastHeartbeatTime ",
            "\nAddresses:\n  InternalIP:  172.18.0.2\n  Hostname:    kind-control-plane\n",
            "\nNon-terminated Pods:          (0 in total)\n",
            "\nAllocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
        ] {
            assert!(node.contains(want), "missing {want:?} in\n{node}");
        }
    }

    // pkg/cmd/describe: prefix matching, separators, errors.
    #[test]
    fn command_behaviour_table() {
        let mut t = settled();
        let cases: &[(&str, i32, &str)] = &[
            ("kubectl describe pod nope", 1, "Error from server (NotFound): pods \"nope\" not found\n"),
            ("kubectl describe sts nope", 1, "Error from server (NotFound): statefulsets.apps \"nope\" not found\n"),
            ("kubectl describe foo", 1, "error: the server doesn't have a resource type \"foo\"\n"),
            ("kubectl describe foo/bar", 1, "error: the server doesn't have a resource type \"foo\"\n"),
            ("kubectl describe pods -l app=none", 0, "No resources found in default namespace.\n"),
            ("kubectl describe pods -n other", 0, "No resources found in other namespace.\n"),
            (
                "kubectl describe",
                1,
                "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n",
            ),
            ("kubectl describe pod x -l a=b", 1, "error: name cannot be provided when a selector is specified\n"),
            ("kubectl describe --bogus", 1, "error: unknown flag: --bogus\nSee 'kubectl describe --help' for usage.\n"),
            ("kubectl describe pod myapp-0 nope", 1, "Error from server (NotFound): pods \"nope\" not found\n"),
        ];
        for (cmd, code, err) in cases {
            let o = run(&mut t, cmd);
            assert_eq!(o.exit, *code, "{cmd}");
            assert_eq!(o.stderr(), *err, "{cmd}");
        }
        // Prefix: every pod named myapp*, each followed by a blank line.
        let s = ok(&mut t, "kubectl describe pod myapp");
        let names: Vec<&str> = s.lines().filter(|l| l.starts_with("Name:")).collect();
        assert_eq!(names.len(), 3, "{s}");
        assert!(s.ends_with("\n\n") && s.contains("\n\nName:             myapp-1\n"), "{s}");
        // A list: objects separated by a blank line, no trailing one.
        let s = ok(&mut t, "kubectl describe pods");
        assert_eq!(s.matches("\n\n\nName:").count(), 2, "{s}");
        assert!(!s.ends_with("\n\n"));
        let s = ok(&mut t, "kubectl describe pods -l app=myapp-pod --show-events=false");
        assert_eq!(s.matches("Name:             myapp-").count(), 3);
        assert!(!s.contains("Events:"));
        // Several named objects: found ones described, missing ones reported after.
        let o = run(&mut t, "kubectl describe pod myapp-0 nope");
        assert!(o.stdout().starts_with("Name:             myapp-0\n"));
        // Generic describer for a ControllerRevision.
        let s = ok(&mut t, "kubectl describe controllerrevisions");
        assert!(s.contains("\nAPI Version:  apps/v1\nData:\n  Spec:\n    Template:\n      $patch:  replace\n"), "{s}");
        assert!(s.contains("\nKind:") && s.contains("\nRevision:") && s.contains("  Owner References:\n"), "{s}");
    }

    #[test]
    fn helper_tables() {
        for (f, want) in
            [(1.0, "1"), (1.5, "1.5"), (1e6, "1e+06"), (123456.0, "123456"), (1.5e-5, "1.5e-05"), (0.0001, "0.0001")]
        {
            assert_eq!(go_float(f), want, "{f}");
        }
        for (field, want) in [
            ("apiVersion", "API Version"),
            ("creationTimestamp", "Creation Timestamp"),
            ("uid", "UID"),
            ("ownerReferences", "Owner References"),
            ("$patch", "$patch"),
            ("fieldsV1", "fieldsV1"),
            ("HTTPServer", "HTTP Server"),
            ("app", "App"),
        ] {
            assert_eq!(smart_label(field), want, "{field}");
        }
        let sel = LabelSelector {
            match_labels: [("b".to_string(), "2".to_string()), ("a".to_string(), "1".to_string())].into(),
            match_expressions: vec![LabelSelectorRequirement {
                key: "c".into(),
                operator: "In".into(),
                values: vec!["y".into(), "x".into()],
            }],
        };
        assert_eq!(selector_string(Some(&sel)), "a=1,b=2,c in (x,y)");
        assert_eq!(
            taint_string(&Taint {
                key: "k".into(),
                value: Some("v".into()),
                effect: "NoSchedule".into(),
                time_added: None
            }),
            "k=v:NoSchedule"
        );
        assert_eq!(escape_terminal("a\u{1b}[31mb\r"), "a^[[31mb\\r");
        let mut pw = Pw::new();
        let mut ann = Labels::new();
        ann.insert(LAST_APPLIED.into(), "{}".into());
        ann.insert("a".into(), "x".repeat(200));
        ann.insert("b".into(), "one\ntwo\n".into());
        ann.insert("c".into(), "short".into());
        annotations_multiline(&mut pw, "Annotations", &ann);
        let text = pw.finish();
        assert_eq!(text, format!("Annotations:  a:\n                {}...\n              b:\n                one\n                two\n              c: short\n", "x".repeat(138)));
    }

    #[test]
    fn never_panics_on_odd_input() {
        let mut t = settled();
        for cmd in [
            "kubectl describe /",
            "kubectl describe pod/",
            "kubectl describe /x",
            "kubectl describe ,",
            "kubectl describe pod,sts x",
            "kubectl describe pod/a pod/b",
            "kubectl describe pod/myapp-0 pod/b",
            "kubectl describe all",
            "kubectl describe all -A",
            "kubectl describe ep",
            "kubectl describe ev",
            "kubectl describe nodes",
            "kubectl describe pv,pvc,sc,svc,sts,po,controllerrevision -A",
            "kubectl describe pods -l 'a in (b'",
            "kubectl describe ☃ ☃",
        ] {
            let _ = run(&mut t, cmd);
        }
    }
}
