//! The `kubectl` commands of the terminal: get, apply, create, delete, scale, patch, set image — each
//! printing what kubectl 1.34 prints, with its exit code.

use crate::flags::{self, flag, FlagSpec, Parsed};
use crate::output::Output;
use crate::printers::{self, PrintOpts};
use crate::terminal::{FileSource, Terminal};
use serde_json::{json, Value};
use stsplay_cluster::api::{ApiError, DeleteOptions, Propagation, StatusReason};
use stsplay_cluster::World;
use stsplay_model::decode::{self, DecodeError, FieldValidation};
use stsplay_model::kinds::{Kind, Object, MANIFEST_KINDS};
use stsplay_model::labels::Selector;
use stsplay_model::yaml;

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// What a resource argument names: a stored kind, or Endpoints (derived from Services and pods).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Res {
    Kind(Kind),
    Endpoints,
}

impl Res {
    fn qualified_singular(self) -> String {
        match self {
            Res::Kind(k) => k.qualified_singular(),
            Res::Endpoints => "endpoints".into(),
        }
    }
}

pub fn resolve_resource(arg: &str) -> Option<Res> {
    match arg.to_ascii_lowercase().as_str() {
        "endpoints" | "ep" | "endpoint" => Some(Res::Endpoints),
        _ => Kind::from_resource(arg).map(Res::Kind),
    }
}

fn unknown_type(arg: &str) -> String {
    format!("error: the server doesn't have a resource type {arg:?}")
}

/// Resource types to list, and (type, name) pairs to fetch.
type ResourceArgs = (Vec<Res>, Vec<(Res, String)>);

/// `TYPE[,TYPE] [NAME...]` or `TYPE/NAME ...` → types to list or (type, name) pairs.
fn resource_args(pos: &[String], allow_all: bool) -> Result<ResourceArgs, String> {
    if pos.is_empty() {
        return Ok((vec![], vec![]));
    }
    if pos[0].contains('/') {
        let mut named = Vec::new();
        for p in pos {
            let Some((t, n)) = p.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
            };
            let r = resolve_resource(t).ok_or_else(|| unknown_type(t))?;
            named.push((r, n.to_string()));
        }
        return Ok((vec![], named));
    }
    let mut types = Vec::new();
    for t in pos[0].split(',').filter(|t| !t.is_empty()) {
        if allow_all && t == "all" {
            types.extend([Res::Kind(Kind::Pod), Res::Kind(Kind::Service), Res::Kind(Kind::StatefulSet)]);
            continue;
        }
        types.push(resolve_resource(t).ok_or_else(|| unknown_type(t))?);
    }
    if pos.len() > 1 {
        if pos[1..].iter().any(|p| p.contains('/')) {
            return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
        }
        if types.len() != 1 {
            return Err("error: you must specify only one resource".into());
        }
        let named = pos[1..].iter().map(|n| (types[0], n.clone())).collect();
        return Ok((vec![], named));
    }
    Ok((types, vec![]))
}

fn not_found(r: Res, name: &str) -> String {
    match r {
        Res::Kind(k) => ApiError::not_found(k, name).kubectl_text(),
        Res::Endpoints => format!("Error from server (NotFound): endpoints {name:?} not found"),
    }
}

fn parse_or_fail(args: &[String], specs: &[FlagSpec], cmd: &str, out: &mut Output) -> Option<Parsed> {
    match flags::parse(args, specs) {
        Ok(p) => Some(p),
        Err(e) => {
            out.fail(format!("error: {e}\nSee 'kubectl {cmd} --help' for usage."));
            None
        }
    }
}

// ------------------------------------------------------------------------------------------- get

const GET_FLAGS: &[FlagSpec] = &[
    flag("output", Some('o'), true),
    flag("selector", Some('l'), true),
    flag("show-labels", None, false),
    flag("label-columns", Some('L'), true),
    flag("watch", Some('w'), false),
    flag("watch-only", None, false),
    flag("field-selector", None, true),
    flag("sort-by", None, true),
    flag("no-headers", None, false),
    flag("ignore-not-found", None, false),
    flag("filename", Some('f'), true),
    flag("chunk-size", None, true),
    flag("show-kind", None, false),
    flag("output-watch-events", None, false),
    flag("template", None, true),
    flag("allow-missing-template-keys", None, true),
];

fn output_format(p: &Parsed) -> Result<String, String> {
    let o = p.get("output").unwrap_or("").to_string();
    let base = o.split('=').next().unwrap_or("");
    match base {
        "" | "wide" | "yaml" | "json" | "name" | "jsonpath" | "custom-columns" | "go-template" | "jsonpath-as-json" => Ok(o),
        _ => Err(format!(
            "error: unable to match a printer suitable for the output format {o:?}, allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
        )),
    }
}

pub fn get(t: &mut Terminal, args: &[String], out: &mut Output) {
    let Some(p) = parse_or_fail(args, GET_FLAGS, "get", out) else { return };
    let fmt = match output_format(&p) {
        Ok(f) => crate::more::template_format(&p, f),
        Err(e) => return out.fail(e),
    };
    if p.positional.is_empty() {
        out.fail("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples");
        return;
    }
    let (types, named) = match resource_args(&p.positional, true) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    if p.bool("watch") || p.bool("watch-only") {
        return crate::watch::get(t, &p, &fmt, &types, &named, out);
    }
    let ns = p.namespace();
    let all_ns = p.bool("all-namespaces");
    let selector = match p.get("selector").map(Selector::parse) {
        Some(Err(e)) => return out.fail(format!("error: {e}")),
        Some(Ok(s)) => Some(s),
        None => None,
    };
    let fields = match p.get("field-selector").map(parse_field_selector) {
        Some(Err(e)) => return out.fail(e),
        Some(Ok(f)) => f,
        None => Vec::new(),
    };
    let w = &t.world;
    let mut groups: Vec<(Res, Vec<Object>)> = Vec::new();
    let mut errors = Vec::new();
    if !named.is_empty() {
        for (r, name) in &named {
            match lookup(w, *r, &ns, name) {
                Some(o) => match groups.iter_mut().find(|(gr, _)| gr == r) {
                    Some((_, v)) => v.push(o),
                    None => groups.push((*r, vec![o])),
                },
                None => {
                    if !p.bool("ignore-not-found") {
                        errors.push(not_found(*r, name));
                    }
                }
            }
        }
    } else {
        for r in &types {
            let mut list = list_objects(w, *r, if all_ns { None } else { Some(&ns) }, selector.as_ref());
            if !fields.is_empty() {
                list.retain(|o| field_selector_matches(&fields, &o.to_json()));
            }
            groups.push((*r, list));
        }
    }
    // ---- --sort-by: sort each table's objects by the JSONPath value (crate::more) ----
    if let Some(field) = p.get("sort-by") {
        for (_, v) in groups.iter_mut() {
            if let Err(e) = crate::more::sort_objects(field, v) {
                return out.fail(e);
            }
        }
    }
    // ---- end --sort-by ----
    let multi_type =
        types.len() > 1 || groups.len() > 1 || (named.len() > 1 && named.iter().any(|(r, _)| *r != named[0].0));
    let single_named = named.len() == 1;
    let base = fmt.split('=').next().unwrap_or("").to_string();
    match base.as_str() {
        "yaml" | "json" => {
            let objs: Vec<Value> =
                groups.iter().flat_map(|(r, v)| v.iter().map(move |o| object_json(w, *r, o))).collect();
            if objs.is_empty() && errors.is_empty() && !single_named {
                // kubectl prints an empty List.
            }
            if objs.is_empty() && !errors.is_empty() {
                // nothing to print
            } else {
                let v = if single_named && objs.len() == 1 {
                    objs[0].clone()
                } else {
                    json!({"apiVersion": "v1", "items": objs, "kind": "List", "metadata": {"resourceVersion": ""}})
                };
                if base == "yaml" {
                    out.out(crate::yamlout::to_yaml(&v));
                } else {
                    out.out(crate::jsonout::to_json_pretty(&v));
                }
            }
        }
        "name" => {
            for (r, v) in &groups {
                for o in v {
                    out.outln(format!("{}/{}", r.qualified_singular(), o.meta().name));
                }
            }
        }
        "jsonpath" | "jsonpath-as-json" | "custom-columns" | "go-template" => {
            let objs: Vec<Value> =
                groups.iter().flat_map(|(r, v)| v.iter().map(move |o| object_json(w, *r, o))).collect();
            crate::more::print_templated(&fmt, &p, objs, single_named, !errors.is_empty(), out);
        }
        _ => {
            let opts = PrintOpts {
                wide: base == "wide",
                show_labels: p.bool("show-labels"),
                label_columns: p
                    .all("label-columns")
                    .iter()
                    .flat_map(|s| s.split(',').map(String::from).collect::<Vec<_>>())
                    .collect(),
                kind_prefix: multi_type,
                namespace_column: all_ns,
            };
            let mut printed_any = false;
            let mut first = true;
            for (r, v) in &groups {
                if v.is_empty() {
                    continue;
                }
                if !first {
                    out.out("\n");
                }
                first = false;
                printed_any = true;
                let text = match r {
                    Res::Endpoints => {
                        let svcs: Vec<&stsplay_model::objects::Service> =
                            v.iter().filter_map(|o| o.as_service()).collect();
                        out.errln(
                            "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice",
                        );
                        printers::endpoints_table(w, &svcs, &opts)
                    }
                    Res::Kind(k) => printers::table(w, *k, &v.iter().collect::<Vec<_>>(), &opts),
                };
                let text = if p.bool("no-headers") {
                    text.split_once('\n').map(|(_, r)| r.to_string()).unwrap_or_default()
                } else {
                    text
                };
                out.out(text);
            }
            if !printed_any && named.is_empty() {
                let cluster_scoped = types.iter().all(|r| matches!(r, Res::Kind(k) if !k.namespaced()));
                if all_ns || cluster_scoped {
                    out.errln("No resources found");
                } else {
                    out.errln(format!("No resources found in {ns} namespace."));
                }
            }
        }
    }
    for e in errors {
        out.fail(e);
    }
}

/// `--field-selector a=b,c!=d` (the fields the API server supports for the kinds we serve).
pub(crate) fn parse_field_selector(s: &str) -> Result<Vec<(String, bool, String)>, String> {
    let mut out = Vec::new();
    for part in s.split(',').filter(|p| !p.is_empty()) {
        let (k, neg, v) = if let Some((k, v)) = part.split_once("!=") {
            (k, true, v)
        } else if let Some((k, v)) = part.split_once("==") {
            (k, false, v)
        } else if let Some((k, v)) = part.split_once('=') {
            (k, false, v)
        } else {
            return Err(format!("error: invalid selector: '{s}'; can't understand '{part}'"));
        };
        out.push((k.trim().to_string(), neg, v.trim().to_string()));
    }
    Ok(out)
}

pub(crate) fn field_selector_matches(fields: &[(String, bool, String)], v: &Value) -> bool {
    fields.iter().all(|(k, neg, want)| {
        let mut cur = v;
        for seg in k.split('.') {
            cur = cur.get(seg).unwrap_or(&Value::Null);
        }
        let got = match cur {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        (got == *want) != *neg
    })
}

fn object_json(w: &World, r: Res, o: &Object) -> Value {
    match r {
        Res::Endpoints => endpoints_json(w, o),
        Res::Kind(_) => o.to_json(),
    }
}

fn endpoints_json(w: &World, o: &Object) -> Value {
    let Some(s) = o.as_service() else { return Value::Null };
    let eps = stsplay_cluster::dns::endpoints(w, s);
    let addr = |ready: bool| -> Vec<Value> {
        eps.iter()
            .filter(|e| e.ready == ready || (s.spec.publish_not_ready_addresses && ready))
            .map(|e| {
                let mut a =
                    json!({"ip": e.ip, "targetRef": {"kind": "Pod", "name": e.pod, "namespace": s.metadata.namespace}});
                if let Some(h) = &e.hostname {
                    a["hostname"] = json!(h);
                }
                a
            })
            .collect()
    };
    let ports: Vec<Value> =
        s.spec.ports.iter().map(|p| json!({"name": p.name, "port": p.port, "protocol": p.protocol})).collect();
    let mut subset = serde_json::Map::new();
    let ready = addr(true);
    let not_ready = if s.spec.publish_not_ready_addresses { vec![] } else { addr(false) };
    if !ready.is_empty() {
        subset.insert("addresses".into(), Value::Array(ready));
    }
    if !not_ready.is_empty() {
        subset.insert("notReadyAddresses".into(), Value::Array(not_ready));
    }
    subset.insert("ports".into(), Value::Array(ports));
    let mut labels = s.metadata.labels.clone();
    if s.is_headless() {
        labels.insert("service.kubernetes.io/headless".into(), String::new());
    }
    json!({
        "apiVersion": "v1", "kind": "Endpoints",
        "metadata": {"name": s.metadata.name, "namespace": s.metadata.namespace, "labels": labels,
                      "creationTimestamp": s.metadata.creation_timestamp},
        "subsets": if subset.len() > 1 { vec![Value::Object(subset)] } else { vec![] }
    })
}

fn lookup(w: &World, r: Res, ns: &str, name: &str) -> Option<Object> {
    match r {
        Res::Kind(k) => w.store.get_by(k, ns, name).cloned(),
        Res::Endpoints => w.store.get_by(Kind::Service, ns, name).cloned(),
    }
}

fn list_objects(w: &World, r: Res, ns: Option<&str>, sel: Option<&Selector>) -> Vec<Object> {
    let kind = match r {
        Res::Kind(k) => k,
        Res::Endpoints => Kind::Service,
    };
    w.store.list(kind, ns).filter(|o| sel.is_none_or(|s| s.matches(&o.meta().labels))).cloned().collect()
}

// ------------------------------------------------------------------------------- apply / create

const APPLY_FLAGS: &[FlagSpec] = &[
    flag("filename", Some('f'), true),
    flag("validate", None, true),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
    flag("server-side", None, false),
    flag("force-conflicts", None, false),
    flag("field-manager", None, true),
    flag("recursive", Some('R'), false),
    flag("prune", None, false),
    flag("selector", Some('l'), true),
    flag("overwrite", None, false),
    flag("wait", None, false),
    flag("save-config", None, false),
    flag("record", None, false),
];

/// One object read from a manifest file.
struct Info {
    source: String,
    kind: Kind,
    name: String,
    namespace: String,
    body: Value,
}

fn validation_level(p: &Parsed) -> Result<FieldValidation, String> {
    match p.get("validate").unwrap_or("strict") {
        "strict" | "true" => Ok(FieldValidation::Strict),
        "warn" => Ok(FieldValidation::Warn),
        "ignore" | "false" => Ok(FieldValidation::Ignore),
        other => Err(format!(
            "error: invalid - validate option {other:?}; must be one of: strict (or true), warn, ignore (or false)"
        )),
    }
}

/// Reads documents like kubectl's resource builder with ContinueOnError: objects of good documents,
/// plus errors (a YAML error stops reading that file).
fn load(text: &str, source: &str, ns_flag: Option<&str>, errors: &mut Vec<String>) -> Vec<Info> {
    let mut infos = Vec::new();
    for chunk in yaml::split_documents(text) {
        let node = match yaml::parse_document(&chunk) {
            Ok(Some(n)) => n,
            Ok(None) => {
                if let Some(e) = &chunk.separator_error {
                    errors.push(e.kubectl_message(source));
                    break;
                }
                continue;
            }
            Err(e) => {
                errors.push(e.kubectl_message(source));
                break;
            }
        };
        let body = node.to_json();
        if body.is_null() {
            if let Some(e) = &chunk.separator_error {
                errors.push(e.kubectl_message(source));
                break;
            }
            continue;
        }
        let compact = serde_json::to_string(&body).unwrap_or_default();
        let Value::Object(map) = &body else {
            errors.push(format!("error validating {source:?}: error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false"));
            continue;
        };
        let api_version = map.get("apiVersion").and_then(|v| v.as_str()).unwrap_or("").to_string();
        let kind_name = map.get("kind").and_then(|v| v.as_str()).unwrap_or("").to_string();
        let meta = map.get("metadata");
        let name = meta.and_then(|m| m.get("name")).and_then(|v| v.as_str()).unwrap_or("").to_string();
        let file_ns = meta.and_then(|m| m.get("namespace")).and_then(|v| v.as_str()).unwrap_or("").to_string();
        if kind_name.is_empty() {
            errors.push(format!("unable to decode {source:?}: Object 'Kind' is missing in '{compact}'"));
            continue;
        }
        let Some(kind) = Kind::from_api(&api_version, &kind_name) else {
            let known =
                stsplay_model::kinds::ALL_KINDS.iter().any(|k| k.name() == kind_name && k.api_version() == api_version);
            if !known && is_real_kind(&api_version, &kind_name) {
                errors.push(format!(
                    "stsplay: kind {kind_name:?} ({api_version}) is not supported in this playground; supported kinds: {}",
                    MANIFEST_KINDS.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
                ));
            } else {
                errors.push(format!(
                    "resource mapping not found for name: {name:?} namespace: {file_ns:?} from {source:?}: no matches for kind {kind_name:?} in version {api_version:?}\nensure CRDs are installed first"
                ));
            }
            continue;
        };
        if !MANIFEST_KINDS.contains(&kind) {
            errors.push(format!(
                "stsplay: {} objects are made by the cluster itself in this playground; supported kinds: {}",
                kind.name(),
                MANIFEST_KINDS.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
            ));
            continue;
        }
        let namespace = if kind.namespaced() {
            match (file_ns.as_str(), ns_flag) {
                ("", Some(n)) => n.to_string(),
                ("", None) => "default".to_string(),
                (f, Some(n)) if f != n => {
                    errors.push(format!("the namespace from the provided object {f:?} does not match the namespace {n:?}. You must pass '--namespace={f}' to perform this operation."));
                    continue;
                }
                (f, _) => f.to_string(),
            }
        } else {
            String::new()
        };
        infos.push(Info { source: source.to_string(), kind, name, namespace, body });
    }
    infos
}

/// Kinds a real 1.34 cluster serves (so an honest "not supported here" beats a fake mapping error).
fn is_real_kind(api_version: &str, kind: &str) -> bool {
    matches!(
        (api_version, kind),
        ("apps/v1", "Deployment" | "ReplicaSet" | "DaemonSet")
            | (
                "v1",
                "ConfigMap"
                    | "Secret"
                    | "Namespace"
                    | "ServiceAccount"
                    | "ReplicationController"
                    | "Endpoints"
                    | "LimitRange"
                    | "ResourceQuota"
            )
            | ("batch/v1", "Job" | "CronJob")
            | ("networking.k8s.io/v1", "Ingress" | "NetworkPolicy")
            | ("policy/v1", "PodDisruptionBudget")
            | ("rbac.authorization.k8s.io/v1", "Role" | "RoleBinding" | "ClusterRole" | "ClusterRoleBinding")
            | ("autoscaling/v2", "HorizontalPodAutoscaler")
    )
}

/// `<Kind> in version "<v>" cannot be handled as a <Kind>: <detail>`.
fn cannot_handle(kind: Kind, detail: &str) -> String {
    let version = kind.api_version().rsplit('/').next().unwrap_or("v1");
    format!("{} in version {version:?} cannot be handled as a {}: {detail}", kind.name(), kind.name())
}

/// A failure collected while applying (printed at the end, like kubectl's aggregate).
enum Failure {
    Api(ApiError, String),
    Client(String),
}

fn read_sources(
    p: &Parsed,
    stdin: Option<&str>,
    files: &dyn FileSource,
    out: &mut Output,
) -> Option<Vec<(String, String)>> {
    let names = p.all("filename");
    if names.is_empty() {
        out.fail("error: must specify one of -f and -k");
        return None;
    }
    let mut sources = Vec::new();
    for f in names {
        if f == "-" {
            sources.push(("STDIN".to_string(), stdin.unwrap_or("").to_string()));
        } else {
            match files.read(&f) {
                Ok(text) => sources.push((f.clone(), text)),
                Err(_) => {
                    out.fail(format!("error: the path {f:?} does not exist"));
                    return None;
                }
            }
        }
    }
    Some(sources)
}

pub fn apply(
    t: &mut Terminal,
    args: &[String],
    stdin: Option<&str>,
    files: &dyn FileSource,
    out: &mut Output,
    create: bool,
) {
    let cmd = if create { "create" } else { "apply" };
    let Some(p) = parse_or_fail(args, APPLY_FLAGS, cmd, out) else { return };
    let level = match validation_level(&p) {
        Ok(l) => l,
        Err(e) => return out.fail(e),
    };
    if !p.positional.is_empty() {
        return out
            .fail(format!("error: Unexpected args: {:?}\nSee 'kubectl {cmd} -h' for help and examples", p.positional));
    }
    let Some(sources) = read_sources(&p, stdin, files, out) else { return };
    let ns_flag = p.get("namespace").map(String::from);
    let mut failures: Vec<Failure> = Vec::new();
    let mut load_errors = Vec::new();
    let mut infos = Vec::new();
    for (source, text) in &sources {
        if text.len() > crate::terminal::MAX_MANIFEST_BYTES {
            load_errors.push(format!(
                "stsplay: {source} is {} bytes; this playground reads manifests up to {} bytes",
                text.len(),
                crate::terminal::MAX_MANIFEST_BYTES
            ));
            continue;
        }
        infos.extend(load(text, source, ns_flag.as_deref(), &mut load_errors));
    }
    failures.extend(load_errors.into_iter().map(Failure::Client));
    if infos.is_empty() && failures.is_empty() {
        return out.fail("error: no objects passed to apply");
    }
    let server_side = p.bool("server-side");
    let dry_run = matches!(p.get("dry-run"), Some("client" | "server" | "unchanged"));
    for info in infos {
        if let Err(f) = apply_one(t, &info, level, create, server_side, dry_run, out) {
            failures.push(f);
        }
    }
    report_failures(failures, out);
}

fn report_failures(failures: Vec<Failure>, out: &mut Output) {
    match failures.len() {
        0 => {}
        1 => {
            let msg = match failures.into_iter().next() {
                Some(Failure::Api(e, prefix)) => match e.reason {
                    StatusReason::Invalid => e.kubectl_text(),
                    _ => format!("Error from server ({}): {prefix}{}", e.reason.as_str(), e.message),
                },
                Some(Failure::Client(m)) => format!("error: {m}"),
                None => String::new(),
            };
            out.fail(msg);
        }
        _ => {
            let mut s = String::new();
            for f in failures {
                match f {
                    Failure::Api(e, prefix) => {
                        s.push_str(&format!("Error from server ({}): {prefix}{}\n", e.reason.as_str(), e.message))
                    }
                    Failure::Client(m) => s.push_str(&format!("{m}\n")),
                }
            }
            out.err(s);
            out.exit = 1;
        }
    }
}

fn last_applied(info: &Info) -> String {
    let mut body = info.body.clone();
    if let Some(meta) = body.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        let ann = meta.entry("annotations").or_insert_with(|| json!({}));
        if let Some(a) = ann.as_object_mut() {
            a.remove(LAST_APPLIED);
        }
        if info.kind.namespaced() {
            meta.insert("namespace".into(), json!(info.namespace));
        }
    }
    format!("{}\n", crate::jsonout::to_json_compact(&body))
}

fn apply_one(
    t: &mut Terminal,
    info: &Info,
    level: FieldValidation,
    create: bool,
    server_side: bool,
    dry_run: bool,
    out: &mut Output,
) -> Result<(), Failure> {
    let kind = info.kind;
    let existing = t.world.store.get_by(kind, &info.namespace, &info.name).cloned();
    let creating_prefix = format!("error when creating {:?}: ", info.source);
    let decoded = match decode::decode(kind.api_version(), kind.name(), &info.body, level) {
        Ok(d) => d,
        Err(DecodeError::NoKind { message }) => return Err(Failure::Client(message)),
        Err(e) => {
            let err = ApiError::bad_request(cannot_handle(kind, e.message()));
            return Err(Failure::Api(
                err,
                if existing.is_some() && !create { patch_prefix(info) } else { creating_prefix },
            ));
        }
    };
    for w in &decoded.warnings {
        out.errln(format!("Warning: {w}"));
    }
    let mut obj = match Object::from_json(kind, &decoded.value) {
        Ok(o) => o,
        Err(e) => return Err(Failure::Api(ApiError::bad_request(cannot_handle(kind, &e)), creating_prefix)),
    };
    obj.meta_mut().namespace = info.namespace.clone();
    let label = format!("{}/{}", kind.qualified_singular(), info.name);
    if info.name.is_empty() {
        return Err(Failure::Client(format!(
            "error when retrieving current configuration of:\nResource: \"{}, Resource={}\", GroupVersionKind: \"{}, Kind={}\"\nName: \"\", Namespace: {:?}\nfrom server for: {:?}: resource name may not be empty",
            kind.api_version(), kind.plural(), kind.api_version(), kind.name(), info.namespace, info.source
        )));
    }
    let suffix = if dry_run { " (dry run)" } else { "" };
    match existing {
        None => {
            if !create && !server_side {
                obj.meta_mut().annotations.insert(LAST_APPLIED.into(), last_applied(info));
            }
            if dry_run {
                out.outln(format!("{label} created{suffix}"));
                return Ok(());
            }
            match t.world.api_create(obj) {
                Ok(_) => {
                    out.outln(format!("{label} {}", if server_side { "serverside-applied" } else { "created" }));
                    Ok(())
                }
                Err(e) => Err(Failure::Api(e, creating_prefix)),
            }
        }
        Some(current) => {
            if create {
                return Err(Failure::Api(ApiError::already_exists(kind, &info.name), creating_prefix));
            }
            let current_json = current.to_json();
            let original =
                current.meta().annotations.get(LAST_APPLIED).and_then(|s| serde_json::from_str::<Value>(s).ok());
            let mut modified = decoded.value.clone();
            if let Some(meta) = modified.get_mut("metadata").and_then(|m| m.as_object_mut()) {
                let ann = meta.entry("annotations").or_insert_with(|| json!({}));
                if let Some(a) = ann.as_object_mut() {
                    a.insert(LAST_APPLIED.into(), json!(last_applied(info)));
                }
            }
            let patch = three_way_patch(original.as_ref(), &modified);
            let merged = match crate::patch::strategic_merge(&current_json, &patch, kind == Kind::Service) {
                Ok(v) => v,
                Err(e) => return Err(Failure::Client(e)),
            };
            let new_obj = match Object::from_json(kind, &merged) {
                Ok(o) => o,
                Err(e) => return Err(Failure::Api(ApiError::bad_request(cannot_handle(kind, &e)), patch_prefix(info))),
            };
            if dry_run {
                out.outln(format!("{label} configured{suffix}"));
                return Ok(());
            }
            match t.world.api_update(new_obj) {
                Ok((_, true)) => {
                    out.outln(format!("{label} {}", if server_side { "serverside-applied" } else { "configured" }));
                    Ok(())
                }
                Ok((_, false)) => {
                    out.outln(format!("{label} {}", if server_side { "serverside-applied" } else { "unchanged" }));
                    Ok(())
                }
                Err(e) => Err(Failure::Api(e, patch_prefix(info))),
            }
        }
    }
}

fn patch_prefix(info: &Info) -> String {
    let k = info.kind;
    format!(
        "error when applying patch:\n\nto:\nResource: \"{}, Resource={}\", GroupVersionKind: \"{}, Kind={}\"\nName: {:?}, Namespace: {:?}\nfor: {:?}: error when patching {:?}: ",
        k.api_version(), k.plural(), k.api_version(), k.name(), info.name, info.namespace, info.source, info.source
    )
}

/// The client-side apply patch: what `modified` sets, plus deletions of what `original` had and
/// `modified` dropped (fields → null; merge-keyed list items → `$patch: delete`).
pub fn three_way_patch(original: Option<&Value>, modified: &Value) -> Value {
    match (original, modified) {
        (Some(Value::Object(o)), Value::Object(m)) => {
            let mut out = serde_json::Map::new();
            for (k, mv) in m {
                let ov = o.get(k);
                out.insert(k.clone(), three_way_patch(ov, mv));
            }
            for k in o.keys() {
                if !m.contains_key(k) {
                    out.insert(k.clone(), Value::Null);
                }
            }
            Value::Object(out)
        }
        (Some(Value::Array(o)), Value::Array(m)) => {
            // Items identified by "name" that disappeared are deleted; others are merged by the patcher.
            let mut items: Vec<Value> = m.clone();
            for item in o {
                if let Some(name) = item.get("name") {
                    if !m.iter().any(|x| x.get("name") == Some(name)) {
                        items.push(json!({"name": name, "$patch": "delete"}));
                    }
                }
            }
            Value::Array(items)
        }
        (_, v) => v.clone(),
    }
}

// ------------------------------------------------------------------------------------------ delete

const DELETE_FLAGS: &[FlagSpec] = &[
    flag("filename", Some('f'), true),
    flag("selector", Some('l'), true),
    flag("all", None, false),
    flag("cascade", None, true),
    flag("force", None, false),
    flag("grace-period", None, true),
    flag("wait", None, false),
    flag("now", None, false),
    flag("ignore-not-found", None, false),
    flag("timeout", None, true),
    flag("output", Some('o'), true),
    flag("dry-run", None, true),
    flag("recursive", Some('R'), false),
    flag("field-selector", None, true),
];

/// Virtual time `kubectl delete` waits at most for objects to disappear.
pub const DELETE_WAIT_CAP_MS: i64 = 10 * 60 * 1000;

pub fn delete(t: &mut Terminal, args: &[String], stdin: Option<&str>, files: &dyn FileSource, out: &mut Output) {
    let Some(p) = parse_or_fail(args, DELETE_FLAGS, "delete", out) else { return };
    let propagation = match p.get("cascade").unwrap_or("background") {
        "background" | "true" => Propagation::Background,
        "foreground" => Propagation::Foreground,
        "orphan" | "false" => Propagation::Orphan,
        other => {
            return out.fail(format!(
                "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            ))
        }
    };
    if matches!(p.get("cascade"), Some("false") | Some("true")) {
        let v = p.get("cascade").unwrap_or("");
        out.errln(format!(
            "warning: --cascade={v} is deprecated (boolean value) and can be replaced with --cascade={}.",
            if v == "false" { "orphan" } else { "background" }
        ));
    }
    let force = p.bool("force");
    let mut grace: Option<i64> = match p.get("grace-period") {
        Some(g) => match g.parse::<i64>() {
            Ok(v) if v >= 0 => Some(v),
            Ok(_) => None,
            Err(_) => return out.fail(format!("error: invalid argument {g:?} for \"--grace-period\" flag: strconv.ParseInt: parsing {g:?}: invalid syntax\nSee 'kubectl delete --help' for usage.")),
        },
        None => None,
    };
    if p.bool("now") {
        grace = Some(1);
    }
    if grace == Some(0) && !force {
        // kubectl turns --grace-period=0 into 1 unless --force is given, to avoid accidental data loss.
        grace = Some(1);
    }
    if force && grace.is_none() {
        grace = Some(0);
    }
    let ns = p.namespace();
    // Targets.
    let mut targets: Vec<(Kind, String, String)> = Vec::new();
    let mut errors = Vec::new();
    if p.has("filename") {
        let Some(sources) = read_sources(&p, stdin, files, out) else { return };
        let mut load_errors = Vec::new();
        for (source, text) in &sources {
            for info in load(text, source, p.get("namespace"), &mut load_errors) {
                if t.world.store.get_by(info.kind, &info.namespace, &info.name).is_some() {
                    targets.push((info.kind, info.namespace.clone(), info.name.clone()));
                } else if !p.bool("ignore-not-found") {
                    errors.push(format!(
                        "Error from server (NotFound): error when deleting {:?}: {} {:?} not found",
                        info.source,
                        info.kind.qualified_plural(),
                        info.name
                    ));
                }
            }
        }
        errors.extend(load_errors.into_iter().map(|e| format!("error: {e}")));
    } else {
        let (types, named) = match resource_args(&p.positional, false) {
            Ok(x) => x,
            Err(e) => return out.fail(e),
        };
        if p.positional.is_empty() {
            return out.fail("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'");
        }
        for (r, name) in named {
            let Res::Kind(k) = r else {
                errors.push(not_found(r, &name));
                continue;
            };
            if t.world.store.get_by(k, &ns, &name).is_some() {
                targets.push((k, if k.namespaced() { ns.clone() } else { String::new() }, name));
            } else if !p.bool("ignore-not-found") {
                errors.push(not_found(r, &name));
            }
        }
        if !types.is_empty() {
            let selector = match p.get("selector").map(Selector::parse) {
                Some(Err(e)) => return out.fail(format!("error: {e}")),
                Some(Ok(s)) => Some(s),
                None => None,
            };
            let fields = match p.get("field-selector").map(parse_field_selector) {
                Some(Err(e)) => return out.fail(e),
                Some(Ok(f)) => f,
                None => Vec::new(),
            };
            if selector.is_none() && fields.is_empty() && !p.bool("all") {
                return out.fail("error: resource(s) were provided, but no name was specified");
            }
            for r in types {
                let Res::Kind(k) = r else { continue };
                for o in list_objects(&t.world, r, Some(&ns), selector.as_ref()) {
                    if !fields.is_empty() && !field_selector_matches(&fields, &o.to_json()) {
                        continue;
                    }
                    targets.push((k, o.meta().namespace.clone(), o.meta().name.clone()));
                }
            }
            if targets.is_empty() && errors.is_empty() {
                out.errln("No resources found");
                return;
            }
        }
    }
    let mut waiting: Vec<(Kind, String, String, String)> = Vec::new();
    if force && grace == Some(0) && !targets.is_empty() {
        out.errln("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    for (k, tns, name) in targets {
        let opts = DeleteOptions { grace_period_seconds: grace, propagation };
        match t.world.api_delete(k, &tns, &name, opts) {
            Ok(obj) => {
                let verb = if force && grace == Some(0) { "force deleted" } else { "deleted" };
                if k.namespaced() {
                    out.outln(format!("{} {name:?} {verb} from {tns} namespace", k.qualified_singular()));
                } else {
                    out.outln(format!("{} {name:?} {verb}", k.qualified_singular()));
                }
                waiting.push((k, tns, name, obj.meta().uid.clone()));
            }
            Err(e) => errors.push(e.kubectl_text()),
        }
    }
    let wait = p.get("wait").is_none_or(|v| v == "true");
    if wait && !waiting.is_empty() {
        let limit = t.world.now.plus_millis(DELETE_WAIT_CAP_MS);
        loop {
            let still: Vec<&(Kind, String, String, String)> =
                waiting.iter().filter(|(_, _, _, uid)| t.world.store.exists_uid(uid)).collect();
            if still.is_empty() {
                break;
            }
            match t.world.next_due() {
                Some(due) if due <= limit => {
                    t.world.step();
                }
                _ => {
                    let names: Vec<String> = still.iter().map(|(k, _, n, _)| format!("{}/{n}", k.plural())).collect();
                    if t.world.next_due().is_some() {
                        t.world.run_until(limit);
                    }
                    out.hint(format!(
                        "stopped waiting after {} of virtual time: {} still terminating (kubectl would keep waiting; Ctrl-C)",
                        crate::duration::human_duration(DELETE_WAIT_CAP_MS),
                        names.join(", ")
                    ));
                    break;
                }
            }
        }
    }
    for e in errors {
        out.fail(e);
    }
}

// ------------------------------------------------------------------------------------------- scale

const SCALE_FLAGS: &[FlagSpec] = &[
    flag("replicas", None, true),
    flag("current-replicas", None, true),
    flag("resource-version", None, true),
    flag("filename", Some('f'), true),
    flag("timeout", None, true),
    flag("selector", Some('l'), true),
    flag("all", None, false),
    flag("output", Some('o'), true),
    flag("dry-run", None, true),
];

pub fn scale(t: &mut Terminal, args: &[String], out: &mut Output) {
    let Some(p) = parse_or_fail(args, SCALE_FLAGS, "scale", out) else { return };
    let Some(replicas) = p.get("replicas") else {
        return out.fail("error: required flag(s) \"replicas\" not set");
    };
    let replicas: i64 = match replicas.parse() {
        Ok(v) => v,
        Err(_) => return out.fail(format!("error: invalid argument {replicas:?} for \"--replicas\" flag: strconv.ParseInt: parsing {replicas:?}: invalid syntax\nSee 'kubectl scale --help' for usage.")),
    };
    if replicas < 0 {
        return out.fail("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    }
    let (_, named) = match resource_args(&p.positional, false) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    if named.is_empty() {
        return out.fail("error: resource(s) were provided, but no name was specified");
    }
    let ns = p.namespace();
    for (r, name) in named {
        let Res::Kind(Kind::StatefulSet) = r else {
            let kind = match r {
                Res::Kind(k) => k.qualified_plural(),
                Res::Endpoints => "endpoints".into(),
            };
            out.fail(format!(
                "error: no objects passed to scale {kind} {name:?} (this playground scales StatefulSets)"
            ));
            continue;
        };
        let Some(mut sts) = t.world.get_sts(&ns, &name).cloned() else {
            out.fail(not_found(r, &name));
            continue;
        };
        if let Some(cur) = p.get("current-replicas") {
            if cur.parse::<i32>().ok() != Some(sts.replicas()) {
                out.fail(format!("error: Expected replicas to be {cur}, was {}", sts.replicas()));
                continue;
            }
        }
        if replicas > i32::MAX as i64 {
            out.fail(format!("The StatefulSet {name:?} is invalid: spec.replicas: Invalid value: {replicas}: must be less than or equal to 2147483647"));
            continue;
        }
        sts.spec.replicas = Some(replicas as i32);
        match t.world.api_update(Object::StatefulSet(sts)) {
            Ok(_) => out.outln(format!("statefulset.apps/{name} scaled")),
            Err(e) => out.fail(e.kubectl_text()),
        }
    }
}

// ------------------------------------------------------------------------------------------- patch

const PATCH_FLAGS: &[FlagSpec] = &[
    flag("patch", Some('p'), true),
    flag("patch-file", None, true),
    flag("type", None, true),
    flag("filename", Some('f'), true),
    flag("output", Some('o'), true),
    flag("dry-run", None, true),
    flag("local", None, false),
    flag("subresource", None, true),
    flag("record", None, false),
];

pub fn patch(t: &mut Terminal, args: &[String], files: &dyn FileSource, out: &mut Output) {
    let Some(p) = parse_or_fail(args, PATCH_FLAGS, "patch", out) else { return };
    let patch_text = match (p.get("patch"), p.get("patch-file")) {
        (Some(s), _) => s.to_string(),
        (None, Some(f)) => match files.read(f) {
            Ok(s) => s,
            Err(_) => {
                return out.fail(format!("error: unable to read patch file: open {f}: no such file or directory"))
            }
        },
        (None, None) => {
            return out.fail("error: must specify --patch or --patch-file containing the contents of the patch")
        }
    };
    let ptype = p.get("type").unwrap_or("strategic").to_string();
    if !matches!(ptype.as_str(), "strategic" | "merge" | "json") {
        return out.fail(format!("error: --type must be one of [json merge strategic], not {ptype:?}"));
    }
    let (_, named) = match resource_args(&p.positional, false) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    if named.is_empty() {
        return out.fail("error: must specify one of -f and -k");
    }
    if patch_text.trim().is_empty() {
        return out.fail("error: unable to parse \"\": unexpected end of JSON input");
    }
    // kubectl converts YAML to JSON unless the text already looks like JSON (then the server parses it).
    let trimmed = patch_text.trim_start();
    let patch_json: Result<Value, String> = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        crate::gojson::check(&patch_text)
            .map_err(|e| format!("Error from server (BadRequest): error decoding patch: {e}"))
            .and_then(|_| serde_json::from_str(&patch_text).map_err(|e| format!("error: {e}")))
    } else {
        let chunk = yaml::DocChunk::from_text(&patch_text);
        match yaml::parse_document(&chunk) {
            Ok(Some(n)) => Ok(n.to_json()),
            Ok(None) => Ok(Value::Null),
            Err(e) => Err(format!("error: unable to parse {patch_text:?}: {}", e.message)),
        }
    };
    let patch_json = match patch_json {
        Ok(v) => v,
        Err(e) => {
            out.fail(e);
            if patch_text.starts_with('{') && !patch_text.contains('"') && patch_text.contains(':') {
                out.hint("the shell removed the double quotes inside \"...\"; wrap the JSON in single quotes: -p '{\"spec\":{\"replicas\":5}}'");
            }
            return;
        }
    };
    let ns = p.namespace();
    for (r, name) in named {
        let Res::Kind(kind) = r else {
            out.fail(not_found(r, &name));
            continue;
        };
        let Some(current) = t.world.store.get_by(kind, &ns, &name).cloned() else {
            out.fail(not_found(r, &name));
            continue;
        };
        let cur = current.to_json();
        let patched = match ptype.as_str() {
            "json" => crate::patch::json_patch(&cur, &patch_json).map_err(|e| format!("error: {e}")),
            "merge" => {
                if !patch_json.is_object() {
                    Err("Error from server (BadRequest): json: cannot unmarshal array into Go value of type map[string]interface {}".into())
                } else {
                    Ok(crate::patch::merge_patch(&cur, &patch_json))
                }
            }
            _ => {
                if !patch_json.is_object() {
                    Err(format!(
                        "Error from server (BadRequest): json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                        json_kind(&patch_json)
                    ))
                } else {
                    crate::patch::strategic_merge(&cur, &patch_json, kind == Kind::Service)
                        .map_err(|e| format!("error: {e}"))
                }
            }
        };
        let patched = match patched {
            Ok(v) => v,
            Err(e) => {
                out.fail(e);
                continue;
            }
        };
        let decoded = match decode::decode(kind.api_version(), kind.name(), &patched, FieldValidation::Warn) {
            Ok(d) => d,
            Err(e) => {
                out.fail(format!("Error from server (BadRequest): {}", e.message()));
                continue;
            }
        };
        for w in &decoded.warnings {
            out.errln(format!("Warning: {w}"));
        }
        let label = format!("{}/{name}", kind.qualified_singular());
        let new_obj = match Object::from_json(kind, &decoded.value) {
            Ok(o) => o,
            Err(e) => {
                out.fail(format!("Error from server (BadRequest): {}", cannot_handle(kind, &e)));
                continue;
            }
        };
        match t.world.api_update(new_obj) {
            Ok((_, true)) => out.outln(format!("{label} patched")),
            Ok((_, false)) => out.outln(format!("{label} patched (no change)")),
            Err(e) => out.fail(e.kubectl_text()),
        }
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Array(_) => "array",
        Value::String(_) => "string",
        Value::Number(_) => "number",
        Value::Bool(_) => "bool",
        Value::Null => "null",
        Value::Object(_) => "object",
    }
}

// -------------------------------------------------------------------------------------- set image

const SET_IMAGE_FLAGS: &[FlagSpec] = &[
    flag("filename", Some('f'), true),
    flag("all", None, false),
    flag("selector", Some('l'), true),
    flag("local", None, false),
    flag("output", Some('o'), true),
    flag("dry-run", None, true),
    flag("record", None, false),
];

pub fn set(t: &mut Terminal, args: &[String], out: &mut Output) {
    match args.first().map(String::as_str) {
        Some("image") => set_image(t, &args[1..], out),
        Some(other) => out.fail(format!("error: unknown command {other:?} for \"kubectl set\"")),
        None => out.fail("error: Required resource not specified.\nSee 'kubectl set -h' for help and examples"),
    }
}

fn set_image(t: &mut Terminal, args: &[String], out: &mut Output) {
    let Some(p) = parse_or_fail(args, SET_IMAGE_FLAGS, "set image", out) else { return };
    let (res, pairs): (Vec<String>, Vec<String>) = p.positional.iter().cloned().partition(|a| !a.contains('='));
    if pairs.is_empty() {
        return out
            .fail("error: at least one image update is required\nSee 'kubectl set image -h' for help and examples");
    }
    let (_, named) = match resource_args(&res, false) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    if named.is_empty() {
        return out.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    let ns = p.namespace();
    for (r, name) in named {
        let Res::Kind(kind) = r else { continue };
        let Some(current) = t.world.store.get_by(kind, &ns, &name).cloned() else {
            out.fail(not_found(r, &name));
            continue;
        };
        let mut obj = current.clone();
        let containers = match &mut obj {
            Object::StatefulSet(s) => &mut s.spec.template.spec.containers,
            Object::Pod(pod) => &mut pod.spec.containers,
            _ => {
                out.fail(format!("error: {}/{name} has no containers to update", kind.qualified_singular()));
                continue;
            }
        };
        let mut ok = true;
        for pair in &pairs {
            let (cname, image) = pair.split_once('=').unwrap_or((pair, ""));
            if cname == "*" {
                for c in containers.iter_mut() {
                    c.image = image.to_string();
                }
                continue;
            }
            match containers.iter_mut().find(|c| c.name == cname) {
                Some(c) => c.image = image.to_string(),
                None => {
                    out.fail(format!("error: unable to find container named {cname:?}"));
                    ok = false;
                }
            }
        }
        if !ok {
            continue;
        }
        if obj == current {
            continue; // empty patch: kubectl prints nothing
        }
        match t.world.api_update(obj) {
            Ok(_) => out.outln(format!("{}/{name} image updated", kind.qualified_singular())),
            Err(e) => out.fail(e.kubectl_text()),
        }
    }
}
