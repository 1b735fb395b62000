//! More kubectl commands: `label` / `annotate` (kubectl `pkg/cmd/label`, `pkg/cmd/annotate`), `cordon` /
//! `uncordon` / `drain` (`pkg/cmd/drain`, `pkg/drain`), `api-resources`, `api-versions`, `logs`, the
//! template printers of `get` (`-o jsonpath=`, `-o jsonpath-as-json=`, `-o custom-columns=`, simple
//! `--template` / `-o go-template=`), `get --sort-by` (kubectl `pkg/cmd/get/sorter.go`, with Go's own
//! `sort.Sort` so ties come out in Go's order), and Tab completion for the browser terminal.
//!
//! Writes go through the API (`World::api_update`, `World::api_delete`), so controllers react exactly as
//! they do to any other client: removing `app` from a StatefulSet pod makes the controller release it.

use crate::flags::{self, flag, FlagSpec, Parsed};
use crate::kubectl::{resolve_resource, Res, DELETE_WAIT_CAP_MS};
use crate::output::Output;
use crate::terminal::Terminal;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use stsplay_cluster::api::{ApiError, DeleteOptions};
use stsplay_model::kinds::{Kind, Object, ALL_KINDS};
use stsplay_model::labels::Selector;
use stsplay_model::objects::Pod;
use stsplay_model::time::SimTime;

fn parse_or_fail(args: &[String], specs: &[FlagSpec], cmd: &str, out: &mut Output) -> Option<Parsed> {
    match flags::parse(args, specs) {
        Ok(p) => Some(p),
        Err(e) => {
            out.fail(format!("error: {e}\nSee 'kubectl {cmd} --help' for usage."));
            None
        }
    }
}

/// cobra's `UsageErrorf`: the message, then where to find help.
fn usage_error(cmd: &str, msg: &str) -> String {
    let msg = if msg.starts_with("error: ") { msg.to_string() } else { format!("error: {msg}") };
    format!("{msg}\nSee 'kubectl {cmd} -h' for help and examples")
}

/// `--dry-run`: None (a real write), or the suffix kubectl prints after the operation.
fn dry_run(p: &Parsed) -> Result<Option<&'static str>, String> {
    match p.get("dry-run") {
        None | Some("none") | Some("false") => Ok(None),
        // A bare `--dry-run` (deprecated) means client.
        Some("client") | Some("unchanged") | Some("true") => Ok(Some(" (dry run)")),
        Some("server") => Ok(Some(" (server dry run)")),
        Some(other) => {
            Err(format!("error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."))
        }
    }
}

/// An error collected while visiting objects (kubectl's ContinueOnError builder): API errors print as
/// the server's status, client errors get `error: ` when they are the only one.
enum VisitError {
    Api(String),
    Client(String),
}

/// kubectl's `CheckErr` on the aggregate of visit errors.
fn report(errors: Vec<VisitError>, out: &mut Output) {
    match errors.len() {
        0 => {}
        1 => match errors.into_iter().next() {
            Some(VisitError::Api(m)) => out.fail(m),
            Some(VisitError::Client(m)) => out.fail(format!("error: {m}")),
            None => {}
        },
        _ => {
            let mut s = String::new();
            for e in errors {
                match e {
                    VisitError::Api(m) | VisitError::Client(m) => {
                        s.push_str(&m);
                        s.push('\n');
                    }
                }
            }
            out.err(s);
            out.exit = 1;
        }
    }
}

fn unknown_type(arg: &str) -> String {
    format!("error: the server doesn't have a resource type {arg:?}")
}

fn not_found_text(kind: Kind, name: &str) -> String {
    ApiError::not_found(kind, name).kubectl_text()
}

const NAME_FORM_ERROR: &str = "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'";

/// Objects named on the command line the way the resource builder reads `ResourceTypeOrNameArgs`
/// with `-l` / `--all`: (kind, namespace, name) in visit order, errors for the missing ones, and
/// whether a single item was implied (one name, no selector).
struct Targets {
    items: Vec<(Kind, String, String)>,
    errors: Vec<VisitError>,
    single: bool,
}

fn kind_of(r: Res, arg: &str) -> Result<Kind, String> {
    match r {
        Res::Kind(k) => Ok(k),
        Res::Endpoints => Err(format!(
            "stsplay: {arg}: Endpoints are computed from Services and their pods in this playground; change the Service instead"
        )),
    }
}

fn resolve_targets(t: &Terminal, resources: &[String], p: &Parsed) -> Result<Targets, String> {
    let ns = p.namespace();
    let all_ns = p.bool("all-namespaces");
    let selector = match p.get("selector") {
        Some(s) => Some(Selector::parse(s).map_err(|e| format!("error: {e}"))?),
        None => None,
    };
    let all = p.bool("all");
    let mut out = Targets { items: Vec::new(), errors: Vec::new(), single: false };
    let Some(first) = resources.first() else { return Ok(out) };
    let mut named: Vec<(Kind, String)> = Vec::new();
    let mut types: Vec<Kind> = Vec::new();
    if first.contains('/') {
        for r in resources {
            let Some((ty, name)) = r.split_once('/') else { return Err(NAME_FORM_ERROR.into()) };
            let res = resolve_resource(ty).ok_or_else(|| unknown_type(ty))?;
            named.push((kind_of(res, ty)?, name.to_string()));
        }
    } else {
        for ty in first.split(',').filter(|s| !s.is_empty()) {
            let res = resolve_resource(ty).ok_or_else(|| unknown_type(ty))?;
            types.push(kind_of(res, ty)?);
        }
        if resources.len() > 1 {
            if resources[1..].iter().any(|r| r.contains('/')) {
                return Err(NAME_FORM_ERROR.into());
            }
            if types.len() != 1 {
                return Err("error: you must specify only one resource".into());
            }
            for n in &resources[1..] {
                named.push((types[0], n.clone()));
            }
            types.clear();
        }
    }
    if !named.is_empty() {
        if selector.is_some() {
            return Err("error: name cannot be provided when a selector is specified".into());
        }
        out.single = named.len() == 1;
        for (k, name) in named {
            let kns = if k.namespaced() { ns.clone() } else { String::new() };
            if t.world.store.get_by(k, &kns, &name).is_some() {
                out.items.push((k, kns, name));
            } else {
                out.errors.push(VisitError::Api(not_found_text(k, &name)));
            }
        }
        return Ok(out);
    }
    if selector.is_none() && !all {
        return Err("error: resource(s) were provided, but no name was specified".into());
    }
    for k in types {
        let list_ns = if all_ns || !k.namespaced() { None } else { Some(ns.as_str()) };
        for o in t.world.store.list(k, list_ns) {
            if selector.as_ref().is_none_or(|s| s.matches(&o.meta().labels)) {
                out.items.push((k, o.meta().namespace.clone(), o.meta().name.clone()));
            }
        }
    }
    Ok(out)
}

/// `cmdutil.GetResourcesAndPairs`: resources first, then `key=value` / `key-` pairs.
fn resources_and_pairs(args: &[String], pair_type: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let mut resources = Vec::new();
    let mut pairs = Vec::new();
    let mut found_pair = false;
    for s in args {
        let non_resource = (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-");
        match (found_pair, non_resource) {
            (_, true) => {
                found_pair = true;
                pairs.push(s.clone());
            }
            (false, false) => resources.push(s.clone()),
            (true, false) => return Err(format!("all resources must be specified before {pair_type} changes: {s}")),
        }
    }
    Ok((resources, pairs))
}

/// `validation.IsValidLabelValue`.
fn label_value_errors(v: &str) -> Vec<&'static str> {
    let mut errs = Vec::new();
    if v.len() > 63 {
        errs.push("must be no more than 63 characters");
    }
    let b = v.as_bytes();
    let ok = v.is_empty()
        || (b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
            && b.first().is_some_and(|c| c.is_ascii_alphanumeric())
            && b.last().is_some_and(|c| c.is_ascii_alphanumeric()));
    if !ok {
        errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
    }
    errs
}

/// label.go `parseLabels`.
fn parse_labels(spec: &[String]) -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    for s in spec {
        if s.contains('=') {
            let parts: Vec<&str> = s.split('=').collect();
            if parts.len() != 2 {
                return Err(format!("invalid label spec: {s}"));
            }
            let errs = label_value_errors(parts[1]);
            if !errs.is_empty() {
                return Err(format!("invalid label value: {s:?}: {}", errs.join(";")));
            }
            set.insert(parts[0].to_string(), parts[1].to_string());
        } else if let Some(k) = s.strip_suffix('-') {
            remove.push(k.to_string());
        } else {
            return Err(format!("unknown label spec: {s}"));
        }
    }
    if remove.iter().any(|r| set.contains_key(r)) {
        return Err("can not both modify and remove a label in the same command".into());
    }
    Ok((set, remove))
}

/// `cmdutil.ParsePairs(args, "annotation", true)`.
fn parse_annotations(spec: &[String]) -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    let mut invalid: Vec<&str> = Vec::new();
    for s in spec {
        if s.contains('=') && !s.starts_with('=') {
            let (k, v) = s.split_once('=').unwrap_or((s, ""));
            set.insert(k.to_string(), v.to_string());
        } else if s.ends_with('-') && s != "-" {
            remove.push(s[..s.len() - 1].to_string());
        } else {
            invalid.push(s);
        }
    }
    if !invalid.is_empty() {
        return Err(format!("invalid annotation format: {}", invalid.join(", ")));
    }
    let both: Vec<&str> = remove.iter().filter(|r| set.contains_key(*r)).map(String::as_str).collect();
    if !both.is_empty() {
        return Err(format!(
            "can not both modify and remove the following annotation(s) in the same command: {}",
            both.join(", ")
        ));
    }
    Ok((set, remove))
}

const META_FLAGS: &[FlagSpec] = &[
    flag("overwrite", None, false),
    flag("list", None, false),
    flag("local", None, false),
    flag("selector", Some('l'), true),
    flag("field-selector", None, true),
    flag("all", None, false),
    flag("resource-version", None, true),
    flag("filename", Some('f'), true),
    flag("recursive", Some('R'), false),
    flag("kustomize", Some('k'), true),
    flag("dry-run", None, true),
    flag("field-manager", None, true),
    flag("output", Some('o'), true),
    flag("record", None, false),
    flag("template", None, true),
    flag("allow-missing-template-keys", None, true),
    flag("show-managed-fields", None, false),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum MetaKind {
    Labels,
    Annotations,
}

/// `kubectl label`.
pub fn label(t: &mut Terminal, args: &[String], out: &mut Output) {
    update_metadata(t, args, out, MetaKind::Labels)
}

/// `kubectl annotate`.
pub fn annotate(t: &mut Terminal, args: &[String], out: &mut Output) {
    update_metadata(t, args, out, MetaKind::Annotations)
}

fn update_metadata(t: &mut Terminal, args: &[String], out: &mut Output, what: MetaKind) {
    let (cmd, pair_type) = match what {
        MetaKind::Labels => ("label", "label"),
        MetaKind::Annotations => ("annotate", "annotation"),
    };
    let Some(p) = parse_or_fail(args, META_FLAGS, cmd, out) else { return };
    let dry = match dry_run(&p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    let output = p.get("output").unwrap_or("").to_string();
    if !matches!(output.as_str(), "" | "name" | "yaml" | "json") {
        return out.fail(format!(
            "error: unable to match a printer suitable for the output format {output:?}, allowed formats are: json,name,yaml"
        ));
    }
    let (resources, pairs) = match resources_and_pairs(&p.positional, pair_type) {
        Ok(x) => x,
        Err(e) => return out.fail(format!("error: {e}")),
    };
    let parsed = match what {
        MetaKind::Labels => parse_labels(&pairs),
        MetaKind::Annotations => parse_annotations(&pairs),
    };
    let (set, remove) = match parsed {
        Ok(x) => x,
        Err(e) => return out.fail(format!("error: {e}")),
    };
    let list = p.bool("list");
    if list && !output.is_empty() {
        return out.fail("error: --list and --output may not be specified together");
    }
    if p.bool("all") && p.has("selector") {
        return out.fail("error: cannot set --all and --selector at the same time");
    }
    if p.bool("all") && p.has("field-selector") {
        return out.fail("error: cannot set --all and --field-selector at the same time");
    }
    if p.has("filename") || p.has("kustomize") {
        return out.fail(format!(
            "stsplay: kubectl {cmd} -f is not available in this playground; name the objects (TYPE NAME or TYPE/NAME)"
        ));
    }
    if p.bool("local") {
        return out.fail("error: one or more files must be specified as -f rsrc.yaml or --filename=rsrc.json");
    }
    if resources.is_empty() {
        return out.fail("error: one or more resources must be specified as <resource> <name> or <resource>/<name>");
    }
    if set.is_empty() && remove.is_empty() && !list {
        return out.fail(format!("error: at least one {pair_type} update is required"));
    }
    if p.has("field-selector") {
        return out
            .fail(format!("stsplay: kubectl {cmd} --field-selector is not available in this playground; use -l"));
    }
    let targets = match resolve_targets(t, &resources, &p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    if !targets.single && p.has("resource-version") {
        return out.fail("error: --resource-version may only be used with a single resource");
    }
    let mut errors = targets.errors;
    let overwrite = p.bool("overwrite");
    for (kind, ns, name) in targets.items {
        let Some(current) = t.world.store.get_by(kind, &ns, &name).cloned() else {
            errors.push(VisitError::Api(not_found_text(kind, &name)));
            continue;
        };
        if let Some(rv) = p.get("resource-version") {
            if rv != current.meta().resource_version {
                errors.push(VisitError::Api(format!(
                    "Error from server (Conflict): Operation cannot be fulfilled on {} {name:?}: the object has been modified; please apply your changes to the latest version and try again",
                    kind.qualified_plural()
                )));
                continue;
            }
        }
        let old: BTreeMap<String, String> = match what {
            MetaKind::Labels => current.meta().labels.clone().into_iter().collect(),
            MetaKind::Annotations => current.meta().annotations.clone().into_iter().collect(),
        };
        // --overwrite is false: keys that would change value are refused (the same value is fine).
        if !overwrite {
            let clashes: Vec<(&String, &String)> = set
                .iter()
                .filter(|(k, _)| what == MetaKind::Labels || k.as_str() != "kubernetes.io/change-cause")
                .filter_map(|(k, v)| old.get(k).filter(|cur| *cur != v).map(|cur| (k, cur)))
                .collect();
            if !clashes.is_empty() {
                match what {
                    MetaKind::Labels => {
                        for (k, cur) in clashes {
                            errors.push(VisitError::Client(format!(
                                "'{k}' already has a value ({cur}), and --overwrite is false"
                            )));
                        }
                    }
                    MetaKind::Annotations => {
                        let list: Vec<String> =
                            clashes.iter().map(|(k, cur)| format!("'{k}' already has a value ({cur})")).collect();
                        errors.push(VisitError::Client(format!(
                            "--overwrite is false but found the following declared annotation(s): {}",
                            list.join("; ")
                        )));
                    }
                }
                continue;
            }
        }
        if what == MetaKind::Labels && !list && dry.is_none() {
            for r in &remove {
                if !old.contains_key(r) {
                    out.outln(format!("label {r:?} not found."));
                }
            }
        }
        let mut new = old.clone();
        for (k, v) in &set {
            new.insert(k.clone(), v.clone());
        }
        for r in &remove {
            new.remove(r);
        }
        let mut obj = current.clone();
        match what {
            MetaKind::Labels => obj.meta_mut().labels = new.clone().into_iter().collect(),
            MetaKind::Annotations => obj.meta_mut().annotations = new.clone().into_iter().collect(),
        }
        let written = if list || dry.is_some() {
            obj
        } else {
            match t.world.api_update(obj) {
                Ok((o, _)) => o,
                Err(e) => {
                    errors.push(VisitError::Api(e.kubectl_text()));
                    continue;
                }
            }
        };
        if list {
            let map = match what {
                MetaKind::Labels => &written.meta().labels,
                MetaKind::Annotations => &written.meta().annotations,
            };
            let mut indent = "";
            if !targets.single {
                indent = " ";
                let group = kind.group();
                out.outln(format!("Listing {} for {}.{group}/{name}:", pair_type_plural(what), kind.name()));
            }
            for (k, v) in map {
                out.outln(format!("{indent}{k}={v}"));
            }
            continue;
        }
        match output.as_str() {
            "yaml" => out.out(crate::yamlout::to_yaml(&written.to_json())),
            "json" => out.out(crate::jsonout::to_json_pretty(&written.to_json())),
            // `-o name` is the name printer's short form: no operation.
            "name" => out.outln(format!("{}/{name}", kind.qualified_singular())),
            _ => {
                let op = match what {
                    MetaKind::Annotations => "annotated",
                    MetaKind::Labels => label_change_message(&old, &new),
                };
                out.outln(format!("{}/{name} {op}{}", kind.qualified_singular(), dry.unwrap_or("")));
            }
        }
    }
    report(errors, out);
}

fn pair_type_plural(what: MetaKind) -> &'static str {
    match what {
        MetaKind::Labels => "labels",
        MetaKind::Annotations => "annotations",
    }
}

/// label.go `updateDataChangeMsg`.
fn label_change_message(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> &'static str {
    let unlabeled = old.keys().any(|k| !new.contains_key(k));
    let labeled =
        old.iter().any(|(k, v)| new.get(k).is_some_and(|n| n != v)) || new.keys().any(|k| !old.contains_key(k));
    match (labeled, unlabeled) {
        (true, true) => "label(s) changed",
        (true, false) => "labeled",
        (false, true) => "unlabeled",
        (false, false) => "not labeled",
    }
}

// ------------------------------------------------------------------------------ cordon / drain

const CORDON_FLAGS: &[FlagSpec] = &[flag("selector", Some('l'), true), flag("dry-run", None, true)];

const DRAIN_FLAGS: &[FlagSpec] = &[
    flag("force", None, false),
    flag("ignore-daemonsets", None, false),
    flag("delete-local-data", None, false),
    flag("delete-emptydir-data", None, false),
    flag("grace-period", None, true),
    flag("timeout", None, true),
    flag("selector", Some('l'), true),
    flag("pod-selector", None, true),
    flag("disable-eviction", None, false),
    flag("skip-wait-for-delete-timeout", None, true),
    flag("chunk-size", None, true),
    flag("dry-run", None, true),
];

/// The nodes a cordon/drain names: by name, or by `--selector`. Errors end the command (kubectl's
/// `Complete` stops at the first one).
fn select_nodes(t: &Terminal, p: &Parsed, cmd: &str) -> Result<Vec<String>, String> {
    let sel = p.get("selector").filter(|s| !s.is_empty());
    if p.positional.is_empty() && sel.is_none() {
        return Err(usage_error(cmd, &format!("USAGE: {cmd} NODE [flags]")));
    }
    if !p.positional.is_empty() && sel.is_some() {
        return Err(usage_error(cmd, "error: cannot specify both a node name and a --selector option"));
    }
    if let Some(s) = sel {
        let selector = Selector::parse(s).map_err(|e| format!("error: {e}"))?;
        return Ok(t
            .world
            .store
            .list(Kind::Node, None)
            .filter(|o| selector.matches(&o.meta().labels))
            .map(|o| o.meta().name.clone())
            .collect());
    }
    let mut names = Vec::new();
    for a in &p.positional {
        let name = match a.split_once('/') {
            Some((ty, n)) => match resolve_resource(ty) {
                Some(Res::Kind(Kind::Node)) => n.to_string(),
                Some(Res::Kind(k)) => {
                    return Err(format!("error: error: expected resource of type node, got {:?}", k.plural()))
                }
                Some(Res::Endpoints) => {
                    return Err("error: error: expected resource of type node, got \"endpoints\"".into())
                }
                None => return Err(unknown_type(ty)),
            },
            None => a.clone(),
        };
        if t.world.store.get_by(Kind::Node, "", &name).is_none() {
            return Err(not_found_text(Kind::Node, &name));
        }
        names.push(name);
    }
    Ok(names)
}

/// `RunCordonOrUncordon`: sets spec.unschedulable through the API, prints `node/N cordoned`.
fn cordon_nodes(t: &mut Terminal, nodes: &[String], desired: bool, dry: Option<&str>, out: &mut Output) {
    let verb = if desired { "cordon" } else { "uncordon" };
    for name in nodes {
        let Some(node) = t.world.store.get_by(Kind::Node, "", name).and_then(|o| o.as_node()).cloned() else {
            out.errln(format!("error: unable to {verb} node {name:?}: {}", ApiError::not_found(Kind::Node, name)));
            continue;
        };
        if node.spec.unschedulable == desired {
            out.outln(format!("node/{name} already {verb}ed{}", dry.unwrap_or("")));
            continue;
        }
        if dry.is_none() {
            let mut n = node.clone();
            n.spec.unschedulable = desired;
            if let Err(e) = t.world.api_update(Object::Node(n)) {
                out.errln(format!("error: unable to {verb} node {name:?}: {}", e.message));
                continue;
            }
        }
        out.outln(format!("node/{name} {verb}ed{}", dry.unwrap_or("")));
    }
}

/// `kubectl cordon`.
pub fn cordon(t: &mut Terminal, args: &[String], out: &mut Output) {
    cordon_cmd(t, args, out, true)
}

/// `kubectl uncordon`.
pub fn uncordon(t: &mut Terminal, args: &[String], out: &mut Output) {
    cordon_cmd(t, args, out, false)
}

fn cordon_cmd(t: &mut Terminal, args: &[String], out: &mut Output, desired: bool) {
    let cmd = if desired { "cordon" } else { "uncordon" };
    let Some(p) = parse_or_fail(args, CORDON_FLAGS, cmd, out) else { return };
    let dry = match dry_run(&p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    let nodes = match select_nodes(t, &p, cmd) {
        Ok(n) => n,
        Err(e) => return out.fail(e),
    };
    cordon_nodes(t, &nodes, desired, dry, out);
}

/// Go `time.ParseDuration` for the units kubectl users type (`0`, `90s`, `5m`, `1h30m`, `500ms`).
fn parse_go_duration(s: &str) -> Option<i64> {
    if s == "0" {
        return Some(0);
    }
    let t = s.strip_prefix('+').unwrap_or(s);
    let mut total: f64 = 0.0;
    let b = t.as_bytes();
    let mut i = 0;
    if b.is_empty() {
        return None;
    }
    while i < b.len() {
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        let num: f64 = t.get(start..i)?.parse().ok()?;
        let ustart = i;
        while i < b.len() && !(b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        let ms = match t.get(ustart..i)? {
            "ns" => num / 1e6,
            "us" | "µs" => num / 1e3,
            "ms" => num,
            "s" => num * 1e3,
            "m" => num * 60e3,
            "h" => num * 3600e3,
            _ => return None,
        };
        total += ms;
        if !total.is_finite() || total > 9.2e15 {
            return None;
        }
    }
    Some(total.ceil() as i64)
}

/// What drain decides for one pod (`pkg/drain/filters.go`).
enum PodVerdict {
    Delete,
    DeleteWithWarning(&'static str),
    Skip,
    Error(&'static str),
}

const LOCAL_STORAGE_FATAL: &str = "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
// kubectl 1.34 still repeats "cannot delete" for this one (kubernetes/kubectl#1808): the constant
// starts with it and `errors()` prefixes it again.
const UNMANAGED_FATAL: &str = "cannot delete Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";
const MIRROR_ANNOTATION: &str = "kubernetes.io/config.mirror";

struct DrainOpts {
    force: bool,
    delete_emptydir: bool,
}

fn finished(p: &Pod) -> bool {
    matches!(p.status.phase.as_str(), "Succeeded" | "Failed")
}

/// The filters in kubectl's order (daemonSet, mirror, localStorage, unreplicated); the last
/// warning wins, the first refusal stops.
fn drain_verdict(p: &Pod, o: &DrainOpts) -> PodVerdict {
    // DaemonSets do not exist in this playground, so the daemonSet filter always passes.
    if p.metadata.annotations.contains_key(MIRROR_ANNOTATION) {
        return PodVerdict::Skip;
    }
    let mut verdict = PodVerdict::Delete;
    let has_empty_dir = p.spec.volumes.iter().any(|v| v.extra.contains_key("emptyDir"));
    if has_empty_dir && !finished(p) {
        if !o.delete_emptydir {
            return PodVerdict::Error(LOCAL_STORAGE_FATAL);
        }
        verdict = PodVerdict::DeleteWithWarning(LOCAL_STORAGE_WARNING);
    }
    if finished(p) || p.metadata.controller_ref().is_some() {
        // unreplicatedFilter returns Okay, which replaces an earlier warning.
        return if matches!(verdict, PodVerdict::DeleteWithWarning(_)) && !finished(p) {
            PodVerdict::Delete
        } else {
            verdict
        };
    }
    if o.force {
        return PodVerdict::DeleteWithWarning(UNMANAGED_WARNING);
    }
    PodVerdict::Error(UNMANAGED_FATAL)
}

/// `GetPodsForDeletion`: the pods to evict, the warning text, the errors (already formatted).
fn pods_for_deletion(
    t: &Terminal,
    node: &str,
    pod_selector: Option<&Selector>,
    o: &DrainOpts,
) -> (Vec<Pod>, String, Vec<String>) {
    let mut delete = Vec::new();
    let mut warnings: Vec<(&'static str, Vec<String>)> = Vec::new();
    let mut errors: Vec<(&'static str, Vec<String>)> = Vec::new();
    let pods: Vec<Pod> = t
        .world
        .store
        .list(Kind::Pod, None)
        .filter_map(|o| o.as_pod())
        .filter(|p| p.spec.node_name == node)
        .filter(|p| pod_selector.is_none_or(|s| s.matches(&p.metadata.labels)))
        .cloned()
        .collect();
    for p in pods {
        let id = format!("{}/{}", p.metadata.namespace, p.metadata.name);
        match drain_verdict(&p, o) {
            PodVerdict::Delete => delete.push(p),
            PodVerdict::DeleteWithWarning(w) => {
                match warnings.iter_mut().find(|(m, _)| *m == w) {
                    Some((_, v)) => v.push(id),
                    None => warnings.push((w, vec![id])),
                }
                delete.push(p);
            }
            PodVerdict::Skip => {}
            PodVerdict::Error(e) => match errors.iter_mut().find(|(m, _)| *m == e) {
                Some((_, v)) => v.push(id),
                None => errors.push((e, vec![id])),
            },
        }
    }
    let warning = warnings.iter().map(|(m, pods)| format!("{m}: {}", pods.join(", "))).collect::<Vec<_>>().join("; ");
    let errors = errors.iter().map(|(m, pods)| format!("cannot delete {m}: {}", pods.join(", "))).collect();
    (delete, warning, errors)
}

/// Go's `%v` of an aggregate error: the message, or `[a, b]`.
fn aggregate_text(errs: &[String]) -> String {
    if errs.len() == 1 {
        errs[0].clone()
    } else {
        format!("[{}]", errs.join(", "))
    }
}

/// `kubectl drain`.
pub fn drain(t: &mut Terminal, args: &[String], out: &mut Output) {
    let Some(p) = parse_or_fail(args, DRAIN_FLAGS, "drain", out) else { return };
    if p.has("delete-local-data") {
        out.errln("Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. Use --delete-emptydir-data.");
    }
    let dry = match dry_run(&p) {
        Ok(d) => d,
        Err(e) => return out.fail(e),
    };
    let grace: i64 = match p.get("grace-period") {
        None => -1,
        Some(g) => match g.parse::<i64>() {
            Ok(v) if (i32::MIN as i64..=i32::MAX as i64).contains(&v) => v,
            _ => {
                return out.fail(format!("error: invalid argument {g:?} for \"--grace-period\" flag: strconv.ParseInt: parsing {g:?}: invalid syntax\nSee 'kubectl drain --help' for usage."))
            }
        },
    };
    let timeout_ms: i64 = match p.get("timeout") {
        None => 0,
        Some(v) => match parse_go_duration(v) {
            Some(ms) => ms,
            None => {
                return out.fail(format!(
                    "error: invalid argument {v:?} for \"--timeout\" flag: time: invalid duration {v:?}\nSee 'kubectl drain --help' for usage."
                ))
            }
        },
    };
    let pod_selector = match p.get("pod-selector").filter(|s| !s.is_empty()) {
        Some(s) => match Selector::parse(s) {
            Ok(sel) => Some(sel),
            Err(_) => return out.fail("error: --pod-selector=<pod_selector> must be a valid label selector"),
        },
        None => None,
    };
    let nodes = match select_nodes(t, &p, "drain") {
        Ok(n) => n,
        Err(e) => return out.fail(e),
    };
    let opts = DrainOpts {
        force: p.bool("force"),
        delete_emptydir: p.bool("delete-emptydir-data") || p.bool("delete-local-data"),
    };
    let use_eviction = !p.bool("disable-eviction");
    cordon_nodes(t, &nodes, true, dry, out);
    let mut fatal: Vec<(Vec<String>, bool)> = Vec::new();
    let mut remaining: Vec<String> = Vec::new();
    for node in &nodes {
        match drain_node(t, node, pod_selector.as_ref(), &opts, grace, timeout_ms, use_eviction, dry, out) {
            DrainResult::Drained => out.outln(format!("node/{node} drained{}", dry.unwrap_or(""))),
            DrainResult::Failed(errs, single) => {
                out.errln(format!(
                    "error: unable to drain node {node:?} due to error: {}, continuing command...",
                    aggregate_text(&errs)
                ));
                fatal.push((errs, single));
                remaining.push(node.clone());
            }
            DrainResult::StoppedWaiting => {
                out.exit = 1;
                return;
            }
        }
    }
    if !remaining.is_empty() {
        let mut s = String::from("There are pending nodes to be drained:\n");
        for n in &remaining {
            s.push_str(&format!(" {n}\n"));
        }
        out.err(s);
    }
    // CheckErr on the aggregate: one node's aggregate prints one error per line (a plain error gets
    // `error: `); several nodes' print one line each, `[...]` for an aggregate.
    match fatal.len() {
        0 => {}
        1 => {
            let (errs, single) = &fatal[0];
            let mut s = String::new();
            for e in errs {
                if *single {
                    s.push_str("error: ");
                }
                s.push_str(e);
                s.push('\n');
            }
            out.err(s);
            out.exit = 1;
        }
        _ => {
            let mut s = String::new();
            for (errs, _) in &fatal {
                s.push_str(&aggregate_text(errs));
                s.push('\n');
            }
            out.err(s);
            out.exit = 1;
        }
    }
}

enum DrainResult {
    Drained,
    /// The errors, and whether kubectl holds them as one plain error (not an aggregate).
    Failed(Vec<String>, bool),
    StoppedWaiting,
}

#[allow(clippy::too_many_arguments)]
fn drain_node(
    t: &mut Terminal,
    node: &str,
    pod_selector: Option<&Selector>,
    opts: &DrainOpts,
    grace: i64,
    timeout_ms: i64,
    use_eviction: bool,
    dry: Option<&str>,
    out: &mut Output,
) -> DrainResult {
    let (pods, warning, errors) = pods_for_deletion(t, node, pod_selector, opts);
    if !errors.is_empty() {
        return DrainResult::Failed(errors, false);
    }
    if !warning.is_empty() {
        out.errln(format!("Warning: {warning}"));
    }
    if dry == Some(" (dry run)") {
        for pod in &pods {
            out.outln(format!("evicting pod {}/{} (dry run)", pod.metadata.namespace, pod.metadata.name));
        }
        return DrainResult::Drained;
    }
    if pods.is_empty() {
        return DrainResult::Drained;
    }
    let delete_opts =
        DeleteOptions { grace_period_seconds: if grace >= 0 { Some(grace) } else { None }, ..Default::default() };
    let mut waiting: Vec<(String, String, String)> = Vec::new();
    let mut errs: Vec<String> = Vec::new();
    let mut single_error = false;
    for pod in &pods {
        let (ns, name) = (pod.metadata.namespace.clone(), pod.metadata.name.clone());
        if dry.is_some() {
            out.outln(format!("evicting pod {ns}/{name} (server dry run)"));
            continue;
        }
        if use_eviction {
            out.outln(format!("evicting pod {ns}/{name}"));
        }
        match t.world.api_delete(Kind::Pod, &ns, &name, delete_opts) {
            Ok(_) => waiting.push((ns, name, pod.metadata.uid.clone())),
            // Already gone: nothing to wait for (and nothing printed).
            Err(e) if e.reason == stsplay_cluster::api::StatusReason::NotFound => {}
            Err(e) => {
                if use_eviction {
                    errs.push(format!("error when evicting pods/{name:?} -n {ns:?}: {}", e.message));
                } else {
                    // deletePods stops at the first failed delete and returns it as is.
                    errs.push(e.message);
                    single_error = true;
                    waiting.clear();
                    break;
                }
            }
        }
    }
    if dry.is_some() {
        return DrainResult::Drained;
    }
    let verb = if use_eviction { "evicted" } else { "deleted" };
    // kubectl polls every second (the first look is immediate) until each pod is gone or replaced
    // by a new pod with the same name (another UID).
    let start = t.world.now;
    // A --timeout within the playground's cap ends like kubectl's; otherwise stop at the cap.
    let real_timeout = timeout_ms > 0 && timeout_ms <= DELETE_WAIT_CAP_MS;
    let cap = if real_timeout { timeout_ms } else { DELETE_WAIT_CAP_MS };
    let mut tick: i64 = 0;
    loop {
        let mut still = Vec::new();
        for (ns, name, uid) in waiting {
            let gone = t.world.get_pod(&ns, &name).is_none_or(|p| p.metadata.uid != uid);
            if gone {
                out.outln(format!("pod/{name} {verb}"));
            } else {
                still.push((ns, name, uid));
            }
        }
        waiting = still;
        if waiting.is_empty() {
            break;
        }
        if tick + 1000 > cap {
            if real_timeout {
                t.world.run_until(start.plus_millis(timeout_ms));
                if use_eviction {
                    for (ns, name, _) in &waiting {
                        errs.push(format!(
                            "error when waiting for pod {name:?} in namespace {ns:?} to terminate: context deadline exceeded"
                        ));
                    }
                } else {
                    // deletePods waits for all pods at once and returns the poll's own error.
                    errs.push("context deadline exceeded".to_string());
                    single_error = true;
                }
                break;
            }
            let names: Vec<String> = waiting.iter().map(|(_, n, _)| format!("pods/{n}")).collect();
            out.hint(format!(
                "stopped waiting after {} of virtual time: {} still terminating (kubectl drain would keep waiting; Ctrl-C)",
                crate::duration::human_duration(DELETE_WAIT_CAP_MS),
                names.join(", ")
            ));
            return DrainResult::StoppedWaiting;
        }
        tick += 1000;
        t.world.run_until(SimTime(start.0 + tick));
    }
    if errs.is_empty() {
        return DrainResult::Drained;
    }
    let (pending, _, _) = pods_for_deletion(t, node, pod_selector, opts);
    if !pending.is_empty() {
        let mut s =
            format!("There are pending pods in node {node:?} when an error occurred: {}\n", aggregate_text(&errs));
        for p in &pending {
            s.push_str(&format!("pod/{}\n", p.metadata.name));
        }
        out.err(s);
    }
    DrainResult::Failed(errs, single_error)
}

// ---------------------------------------------------------------------------- api-resources

/// (name, shortnames, group version, namespaced, kind) as discovery reports them, in discovery order.
fn api_resource_rows() -> Vec<(&'static str, String, &'static str, bool, &'static str, &'static str)> {
    let mut rows: Vec<(&'static str, String, &'static str, bool, &'static str, &'static str)> = Vec::new();
    rows.push(("endpoints", "ep".into(), "v1", true, "Endpoints", ""));
    for k in ALL_KINDS {
        rows.push((k.plural(), k.short_names().join(","), k.api_version(), k.namespaced(), k.name(), k.group()));
    }
    rows
}

const API_RESOURCES_FLAGS: &[FlagSpec] = &[
    flag("no-headers", None, false),
    flag("output", Some('o'), true),
    flag("api-group", None, true),
    flag("namespaced", None, false),
    flag("verbs", None, true),
    flag("sort-by", None, true),
    flag("cached", None, false),
    flag("categories", None, true),
];

const VERBS: &[&str] = &["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

/// `kubectl api-resources`: the resources this playground serves, in kubectl's columns.
pub fn api_resources(_t: &mut Terminal, args: &[String], out: &mut Output) {
    let Some(p) = parse_or_fail(args, API_RESOURCES_FLAGS, "api-resources", out) else { return };
    if !p.positional.is_empty() {
        return out.fail(usage_error("api-resources", &format!("unexpected arguments: [{}]", p.positional.join(" "))));
    }
    let output = p.get("output").unwrap_or("");
    if !matches!(output, "" | "wide" | "name") {
        return out.fail(format!("error: --output {output} is not available"));
    }
    let sort_by = p.get("sort-by").unwrap_or("");
    if !matches!(sort_by, "" | "name" | "kind") {
        return out.fail("error: --sort-by accepts only name or kind");
    }
    let verbs: Vec<String> =
        p.all("verbs").iter().flat_map(|v| v.split(',').map(String::from).collect::<Vec<_>>()).collect();
    let mut rows = api_resource_rows();
    rows.retain(|r| {
        p.get("api-group").is_none_or(|g| g == r.5)
            && (!p.has("namespaced") || p.bool("namespaced") == r.3)
            && verbs.iter().all(|v| VERBS.contains(&v.as_str()))
    });
    // sort.Stable by group (or name/kind), then name.
    rows.sort_by(|a, b| {
        let (x, y) = match sort_by {
            "name" => (a.0, b.0),
            "kind" => (a.4, b.4),
            _ => (a.5, b.5),
        };
        x.cmp(y).then(a.0.cmp(b.0))
    });
    if output == "name" {
        for r in &rows {
            if r.5.is_empty() {
                out.outln(r.0);
            } else {
                out.outln(format!("{}.{}", r.0, r.5));
            }
        }
        return;
    }
    let mut table: Vec<Vec<String>> = Vec::new();
    if !p.bool("no-headers") {
        let mut h: Vec<String> =
            ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"].iter().map(|s| s.to_string()).collect();
        if output == "wide" {
            h.push("VERBS".into());
        }
        table.push(h);
    }
    for r in &rows {
        let mut row = vec![r.0.to_string(), r.1.clone(), r.2.to_string(), r.3.to_string(), r.4.to_string()];
        if output == "wide" {
            row.push(format!("[{}]", VERBS.join(" ")));
        }
        table.push(row);
    }
    out.out(crate::tabwriter::kubectl_rows(&table));
}

/// `kubectl api-versions`.
pub fn api_versions(_t: &mut Terminal, args: &[String], out: &mut Output) {
    let Some(p) = parse_or_fail(args, &[], "api-versions", out) else { return };
    if !p.positional.is_empty() {
        return out.fail(usage_error("api-versions", &format!("unexpected arguments: [{}]", p.positional.join(" "))));
    }
    let mut versions: Vec<&str> = ALL_KINDS.iter().map(|k| k.api_version()).collect();
    versions.sort();
    versions.dedup();
    for v in versions {
        out.outln(v);
    }
}

// ------------------------------------------------------------------------------------------ logs

const LOGS_FLAGS: &[FlagSpec] = &[
    flag("container", Some('c'), true),
    flag("follow", Some('f'), false),
    flag("previous", Some('p'), false),
    flag("tail", None, true),
    flag("timestamps", None, false),
    flag("since", None, true),
    flag("since-time", None, true),
    flag("limit-bytes", None, true),
    flag("all-containers", None, false),
    flag("all-pods", None, false),
    flag("selector", Some('l'), true),
    flag("prefix", None, false),
    flag("max-log-requests", None, true),
    flag("ignore-errors", None, false),
    flag("pod-running-timeout", None, true),
    flag("insecure-skip-tls-verify-backend", None, false),
];

/// podutils `ByLogging`: which pod `kubectl logs sts/web` reads.
fn by_logging_less(a: &Pod, b: &Pod) -> bool {
    let (an, bn) = (&a.spec.node_name, &b.spec.node_name);
    if an != bn && (an.is_empty() || bn.is_empty()) {
        return !an.is_empty();
    }
    let ord = |p: &Pod| match p.status.phase.as_str() {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };
    if a.status.phase != b.status.phase {
        return ord(a) > ord(b);
    }
    if a.is_ready() != b.is_ready() {
        return a.is_ready();
    }
    if a.is_ready() && b.is_ready() {
        let rt = |p: &Pod| {
            p.status.conditions.iter().find(|c| c.type_ == "Ready").and_then(|c| c.last_transition_time).map(|t| t.0 .0)
        };
        let (x, y) = (rt(a), rt(b));
        if x != y {
            // afterOrZero(t2, t1): t1 is earlier, or t2 is unset.
            return match (x, y) {
                (_, None) => true,
                (None, _) => false,
                (Some(x), Some(y)) => x < y,
            };
        }
    }
    let restarts = |p: &Pod| p.status.container_statuses.iter().map(|c| c.restart_count).max().unwrap_or(0);
    if restarts(a) != restarts(b) {
        return restarts(a) > restarts(b);
    }
    let (x, y) = (a.metadata.creation_timestamp.map(|t| t.0 .0), b.metadata.creation_timestamp.map(|t| t.0 .0));
    if x != y {
        return match (x, y) {
            (_, None) => true,
            (None, _) => false,
            (Some(x), Some(y)) => x < y,
        };
    }
    false
}

/// The kubelet's `validateContainerLogStatus`: None when there are logs to read.
fn container_log_error(p: &Pod, container: &str, previous: bool) -> Option<String> {
    let pod = &p.metadata.name;
    let Some(cs) = p.status.container_statuses.iter().find(|c| c.name == container) else {
        return Some(format!("container {container:?} in pod {pod:?} is not available"));
    };
    let last_terminated = cs.last_state.as_ref().and_then(|s| s.terminated.as_ref());
    if previous {
        return match last_terminated {
            Some(_) => None,
            None => Some(format!("previous terminated container {container:?} in pod {pod:?} not found")),
        };
    }
    if cs.state.running.is_some() {
        return None;
    }
    if cs.state.terminated.is_some() || last_terminated.is_some() {
        return if cs.container_id.is_some() || last_terminated.is_some() {
            None
        } else {
            Some(format!("container {container:?} in pod {pod:?} is terminated"))
        };
    }
    if let Some(w) = &cs.state.waiting {
        let reason = w.reason.clone().unwrap_or_default();
        return Some(match reason.as_str() {
            "ErrImagePull" => {
                format!("container {container:?} in pod {pod:?} is waiting to start: image can't be pulled")
            }
            "ImagePullBackOff" => {
                format!("container {container:?} in pod {pod:?} is waiting to start: trying and failing to pull image")
            }
            _ => format!("container {container:?} in pod {pod:?} is waiting to start: {reason}"),
        });
    }
    Some(format!("container {container:?} in pod {pod:?} is waiting to start - no logs yet"))
}

/// `kubectl logs`: the simulated containers write no log lines, so a running container prints
/// nothing; everything else gets the API server's and kubelet's errors.
pub fn logs(t: &mut Terminal, args: &[String], out: &mut Output) {
    let Some(p) = parse_or_fail(args, LOGS_FLAGS, "logs", out) else { return };
    let ns = p.namespace();
    let selector = match p.get("selector") {
        Some(s) => match Selector::parse(s) {
            Ok(sel) => Some(sel),
            Err(e) => return out.fail(format!("error: {e}")),
        },
        None => None,
    };
    let mut pods: Vec<Pod> = Vec::new();
    let mut container = p.get("container").map(String::from);
    match (p.positional.as_slice(), &selector) {
        ([], None) => {
            return out.fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
        }
        ([], Some(sel)) => {
            pods = t.world.pods(&ns).filter(|p| sel.matches(&p.metadata.labels)).cloned().collect();
            if pods.is_empty() {
                out.errln(format!("No resources found in {ns} namespace."));
                return;
            }
        }
        (_, Some(_)) => {
            return out.fail("error: only one of selector or a resource can be specified\nSee 'kubectl logs -h' for help and examples");
        }
        ([first, rest @ ..], None) => {
            if rest.len() > 1 {
                return out.fail("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
            }
            if let Some(c) = rest.first() {
                if container.is_some() {
                    return out.fail("error: only one of -c or an inline [CONTAINER] arg is allowed\nSee 'kubectl logs -h' for help and examples");
                }
                container = Some(c.clone());
            }
            let (kind, name) =
                match first.split_once('/') {
                    None => (Kind::Pod, first.clone()),
                    Some((ty, n)) => match resolve_resource(ty) {
                        Some(Res::Kind(k)) => (k, n.to_string()),
                        Some(Res::Endpoints) => return out.fail(
                            "error: cannot get the logs from *v1.Endpoints: selector for *v1.Endpoints not implemented",
                        ),
                        None => return out.fail(unknown_type(ty)),
                    },
                };
            match kind {
                Kind::Pod => match t.world.get_pod(&ns, &name) {
                    Some(pod) => pods.push(pod.clone()),
                    None => return out.fail(not_found_text(Kind::Pod, &name)),
                },
                Kind::StatefulSet => {
                    let Some(sts) = t.world.get_sts(&ns, &name).cloned() else {
                        return out.fail(not_found_text(kind, &name));
                    };
                    let sel = sts.spec.selector.as_ref().and_then(Selector::from_label_selector);
                    let mut matching: Vec<Pod> = t
                        .world
                        .pods(&ns)
                        .filter(|p| sel.as_ref().is_some_and(|s| s.matches(&p.metadata.labels)))
                        .cloned()
                        .collect();
                    if matching.is_empty() {
                        return out.fail("error: timed out waiting for the condition");
                    }
                    go_sort(&mut matching, &by_logging_less);
                    if matching.len() > 1 {
                        out.errln(format!("Found {} pods, using pod/{}", matching.len(), matching[0].metadata.name));
                    }
                    pods.push(matching.swap_remove(0));
                }
                other => {
                    return out.fail(format!(
                        "error: cannot get the logs from *v1.{}: selector for *v1.{} not implemented",
                        other.name(),
                        other.name()
                    ))
                }
            }
        }
    }
    let multi = pods.len() > 1;
    let mut errors = Vec::new();
    for pod in &pods {
        let names: Vec<String> = pod.spec.containers.iter().map(|c| c.name.clone()).collect();
        let chosen: Vec<String> = if p.bool("all-containers") {
            names.clone()
        } else if let Some(c) = &container {
            if !names.contains(c) && !pod.spec.init_containers.iter().any(|i| &i.name == c) {
                errors.push(format!(
                    "Error from server (BadRequest): container {c} is not valid for pod {}",
                    pod.metadata.name
                ));
                continue;
            }
            vec![c.clone()]
        } else {
            if names.len() > 1 && !multi {
                let mut all: Vec<String> = names.clone();
                all.extend(pod.spec.init_containers.iter().map(|c| format!("{} (init)", c.name)));
                out.errln(format!("Defaulted container {:?} out of: {}", names[0], all.join(", ")));
            }
            names.first().cloned().into_iter().collect()
        };
        if !pod.spec.node_name.is_empty() {
            let kubelet_up = t.world.nodes.get(&pod.spec.node_name).is_none_or(|n| n.kubelet_up);
            if !kubelet_up {
                let ip = node_internal_ip(t, &pod.spec.node_name);
                errors.push(format!(
                    "Error from server: Get \"https://{ip}:10250/containerLogs/{}/{}/{}\": dial tcp {ip}:10250: connect: no route to host",
                    pod.metadata.namespace,
                    pod.metadata.name,
                    chosen.first().cloned().unwrap_or_default()
                ));
                continue;
            }
            for c in &chosen {
                if let Some(e) = container_log_error(pod, c, p.bool("previous")) {
                    errors.push(format!("Error from server (BadRequest): {e}"));
                }
            }
        }
        // An unscheduled pod has no log location: the API server returns an empty stream.
    }
    if errors.is_empty() && p.bool("follow") {
        out.hint("the simulated containers write no log lines; kubectl logs -f would keep waiting for more (Ctrl-C)");
    }
    for e in errors {
        out.fail(e);
    }
}

fn node_internal_ip(t: &Terminal, node: &str) -> String {
    t.world
        .store
        .get_by(Kind::Node, "", node)
        .and_then(|o| o.as_node())
        .and_then(|n| {
            n.status
                .addresses
                .iter()
                .find(|a| a.get("type").and_then(|v| v.as_str()) == Some("InternalIP"))
                .and_then(|a| a.get("address").and_then(|v| v.as_str()).map(String::from))
        })
        .unwrap_or_else(|| node.to_string())
}

// --------------------------------------------------------------- get: template printers, sort-by

/// `--template` without `-o` means `-o go-template` (kubectl's print flags).
pub fn template_format(p: &Parsed, fmt: String) -> String {
    if fmt.is_empty() && p.get("template").is_some_and(|t| !t.is_empty()) {
        "go-template".to_string()
    } else {
        fmt
    }
}

fn fail_multiline(out: &mut Output, msg: String) {
    let mut m = msg;
    if !m.ends_with('\n') {
        m.push('\n');
    }
    out.err(m);
    out.exit = 1;
}

/// `kubectl get -o jsonpath=... | jsonpath-as-json=... | custom-columns=... | go-template=...`.
/// `objs` are the objects found (as the API returns them); `single` when exactly one name was asked
/// for (kubectl then applies the template to that object instead of a List).
pub fn print_templated(fmt: &str, p: &Parsed, objs: Vec<Value>, single: bool, has_errors: bool, out: &mut Output) {
    let (base, inline) = match fmt.split_once('=') {
        Some((b, v)) => (b, Some(v.to_string())),
        None => (fmt, None),
    };
    let template = inline.or_else(|| p.get("template").map(String::from)).unwrap_or_default();
    if objs.is_empty() && has_errors {
        return;
    }
    let allow_missing = p.get("allow-missing-template-keys").is_none_or(|v| v != "false");
    let data = if single && objs.len() == 1 {
        objs[0].clone()
    } else {
        json!({"apiVersion": "v1", "items": objs.clone(), "kind": "List", "metadata": {"resourceVersion": ""}})
    };
    match base {
        "jsonpath" | "jsonpath-as-json" => {
            if template.is_empty() {
                return out.fail("error: template format specified but no template given");
            }
            match crate::jsonpath::kubectl_jsonpath(&template, &data, allow_missing, base == "jsonpath-as-json") {
                Ok(s) => out.out(s),
                Err(e) => fail_multiline(out, format!("error: {e}")),
            }
        }
        "custom-columns" => {
            let cols = match crate::jsonpath::parse_custom_columns_spec(&template) {
                Ok(c) => c,
                Err(e) => return out.fail(format!("error: {e}")),
            };
            match crate::jsonpath::render_custom_columns(&cols, &objs, p.bool("no-headers")) {
                Ok(s) => out.out(s),
                Err(e) => out.fail(format!("error: {e}")),
            }
        }
        _ => {
            if template.is_empty() {
                return out.fail("error: template format specified but no template given");
            }
            match go_template(&template, &data, allow_missing) {
                Ok(s) => out.out(s),
                Err(GoTemplateError::Parse(e)) => {
                    fail_multiline(out, format!("error: error parsing template {template}, {e}"))
                }
                Err(GoTemplateError::Exec(partial, e)) => {
                    // kubectl's GoTemplatePrinter writes what it has, then a debugging dump, to stdout.
                    out.out(partial);
                    out.out(format!(
                        "Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\traw data was:\n\t\t{}\n\tobject given to template engine was:\n\t\t{}\n\n",
                        crate::jsonout::to_json_compact(&data),
                        go_template_value(&data)
                    ));
                    fail_multiline(out, format!("error: error executing template {template:?}: {e}"))
                }
                Err(GoTemplateError::Unsupported(what)) => {
                    out.fail(format!(
                        "stsplay: go-template {what:?} is not supported in this playground: only field references like {{{{.status.podIP}}}} and \"text\" literals"
                    ));
                    out.hint("use -o jsonpath='{range .items[*]}{.metadata.name}{\"\\n\"}{end}' for loops and filters");
                }
            }
        }
    }
}

enum GoTemplateError {
    Parse(String),
    /// What was written before the failing action, and the error.
    Exec(String, String),
    Unsupported(String),
}

/// A Go `text/template` limited to text, `{{.field.path}}`, `{{.}}` and `{{"literal"}}` actions (with
/// `{{-`/`-}}` trimming), over the object as kubectl hands it to templates (JSON numbers are float64).
fn go_template(template: &str, data: &Value, allow_missing: bool) -> Result<String, GoTemplateError> {
    enum Piece {
        Text(String),
        Field(usize, Vec<String>),
        Literal(String),
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut rest = template;
    let mut offset = 0usize;
    while let Some(open) = rest.find("{{") {
        let mut text = rest[..open].to_string();
        let mut inner_start = open + 2;
        if rest[inner_start..].starts_with("- ")
            || rest[inner_start..].starts_with("-\t")
            || rest[inner_start..].starts_with("-\n")
        {
            text = text.trim_end().to_string();
            inner_start += 1;
        }
        pieces.push(Piece::Text(text));
        let Some(close_rel) = rest[inner_start..].find("}}") else {
            let line = 1 + template[..offset + open].matches('\n').count();
            return Err(GoTemplateError::Parse(format!("template: output:{line}: unclosed action")));
        };
        let mut inner = &rest[inner_start..inner_start + close_rel];
        let mut trim_after = false;
        if inner.ends_with(" -") || inner.ends_with("\t-") || inner.ends_with("\n-") {
            inner = &inner[..inner.len() - 1];
            trim_after = true;
        }
        let action = inner.trim();
        let pos = offset + inner_start + (inner.len() - inner.trim_start().len());
        if action == "." {
            pieces.push(Piece::Field(pos, vec![]));
        } else if action.starts_with('.')
            && action[1..].split('.').all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_'))
        {
            pieces.push(Piece::Field(pos, action[1..].split('.').map(String::from).collect()));
        } else if action.len() >= 2 && action.starts_with('"') && action.ends_with('"') {
            let lit: String =
                serde_json::from_str(action).map_err(|_| GoTemplateError::Unsupported(action.to_string()))?;
            pieces.push(Piece::Literal(lit));
        } else if action.is_empty() {
            let line = 1 + template[..offset + open].matches('\n').count();
            return Err(GoTemplateError::Parse(format!("template: output:{line}: missing value for command")));
        } else {
            return Err(GoTemplateError::Unsupported(format!("{{{{{action}}}}}")));
        }
        let consumed = inner_start + close_rel + 2;
        offset += consumed;
        rest = &rest[consumed..];
        if trim_after {
            let trimmed = rest.trim_start();
            offset += rest.len() - trimmed.len();
            rest = trimmed;
        }
    }
    pieces.push(Piece::Text(rest.to_string()));
    let mut outs = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(s) | Piece::Literal(s) => outs.push_str(&s),
            Piece::Field(pos, path) => {
                // Go's evalField: a missing map key yields an invalid value, which later fields pass
                // through; a JSON null is a nil interface, which cannot have fields.
                let fail = |msg: String| {
                    Err(GoTemplateError::Exec(
                        outs.clone(),
                        format!("template: output:1:{pos}: executing \"output\" at <.{}>: {msg}", path.join(".")),
                    ))
                };
                let mut cur: Option<&Value> = Some(data);
                for seg in &path {
                    match cur {
                        None => {
                            if !allow_missing {
                                return fail(format!("nil data; no entry for key {seg:?}"));
                            }
                        }
                        Some(Value::Object(m)) => match m.get(seg) {
                            Some(v) => cur = Some(v),
                            None => {
                                if !allow_missing {
                                    return fail(format!("map has no entry for key {seg:?}"));
                                }
                                cur = None;
                            }
                        },
                        Some(Value::Null) => return fail(format!("nil pointer evaluating interface {{}}.{seg}")),
                        Some(_) => return fail(format!("can't evaluate field {seg} in type interface {{}}")),
                    }
                }
                match cur {
                    None => outs.push_str("<no value>"),
                    Some(v) => outs.push_str(&go_template_value(v)),
                }
            }
        }
    }
    Ok(outs)
}

/// `fmt.Sprint` of a JSON value decoded by `encoding/json` into `interface{}` (numbers are float64).
fn go_template_value(v: &Value) -> String {
    fn floats(v: &Value) -> Value {
        match v {
            Value::Number(n) => {
                n.as_f64().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or(Value::Null)
            }
            Value::Array(a) => Value::Array(a.iter().map(floats).collect()),
            Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), floats(v))).collect()),
            other => other.clone(),
        }
    }
    match v {
        Value::Number(n) => crate::jsonout::format_float(n.as_f64().unwrap_or(0.0), 'g'),
        Value::Null => "<nil>".to_string(),
        _ => crate::jsonpath::go_fmt_v(&floats(v)),
    }
}

/// A sort key: the first JSONPath result of an object.
#[derive(Clone, Debug)]
enum SortKey {
    Missing,
    Null,
    Str(String),
    Int(i64),
    Float(f64),
    Other(&'static str),
}

/// fvbommel/sortorder `NaturalLess` (what kubectl compares strings with).
pub fn natural_less(s1: &str, s2: &str) -> bool {
    let (a, b) = (s1.as_bytes(), s2.as_bytes());
    let (mut i, mut j) = (0usize, 0usize);
    while i < a.len() && j < b.len() {
        let (c1, c2) = (a[i], b[j]);
        let (d1, d2) = (c1.is_ascii_digit(), c2.is_ascii_digit());
        if d1 != d2 {
            return d1;
        }
        if !d1 {
            if c1 != c2 {
                return c1 < c2;
            }
            i += 1;
            j += 1;
            continue;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let (nz1, nz2) = (i, j);
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        let (l1, l2) = (i - nz1, j - nz2);
        if l1 != l2 {
            return l1 < l2;
        }
        let (n1, n2) = (&a[nz1..i], &b[nz2..j]);
        if n1 != n2 {
            return n1 < n2;
        }
        if nz1 != nz2 {
            return nz1 < nz2;
        }
    }
    a.len() < b.len()
}

/// sorter.go `isLess` for unstructured values (reflect.Interface): nil first, numbers by value,
/// strings as quantities when both parse, else naturally.
fn key_less(x: &SortKey, y: &SortKey) -> Result<bool, String> {
    Ok(match (x, y) {
        (SortKey::Missing, _) => true,
        (_, SortKey::Missing) => false,
        (SortKey::Null, SortKey::Null) => false,
        (SortKey::Null, _) => true,
        (_, SortKey::Null) => false,
        (SortKey::Int(a), SortKey::Int(b)) => a < b,
        (SortKey::Float(a), SortKey::Float(b)) => a < b,
        (SortKey::Str(a), SortKey::Str(b)) => {
            use stsplay_model::quantity::Quantity;
            match (Quantity::parse(a), Quantity::parse(b)) {
                (Some(qa), Some(qb)) if looks_like_quantity(a) && looks_like_quantity(b) => qa.milli < qb.milli,
                _ => natural_less(a, b),
            }
        }
        (SortKey::Other(t), _) => return Err(format!("unsortable type: {t}")),
        (SortKey::Str(_), _) => return Err("unsortable interface: interface".into()),
        (SortKey::Int(_), _) | (SortKey::Float(_), _) => false,
    })
}

/// `resource.ParseQuantity` is stricter than a trimmed parse: no surrounding spaces.
fn looks_like_quantity(s: &str) -> bool {
    !s.is_empty() && s.trim() == s
}

fn sort_key(jp: &crate::jsonpath::JsonPath, obj: &Value) -> SortKey {
    match jp.find_values(obj, true) {
        Ok(groups) => match groups.first().and_then(|g| g.first()) {
            None => SortKey::Missing,
            Some(Value::Null) => SortKey::Null,
            Some(Value::String(s)) => SortKey::Str(s.clone()),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => SortKey::Int(i),
                None => SortKey::Float(n.as_f64().unwrap_or(0.0)),
            },
            Some(Value::Bool(_)) => SortKey::Other("bool"),
            Some(Value::Array(_)) => SortKey::Other("[]interface {}"),
            Some(Value::Object(_)) => SortKey::Other("map[string]interface {}"),
        },
        Err(_) => SortKey::Missing,
    }
}

/// `kubectl get --sort-by=FIELD`: sorts one table's objects like kubectl's TableSorter (Go's
/// unstable `sort.Sort`, so equal keys keep Go's order). Fewer than two objects are left alone.
pub fn sort_objects(field: &str, objs: &mut Vec<Object>) -> Result<(), String> {
    if objs.len() < 2 {
        return Ok(());
    }
    let parsed = crate::jsonpath::relaxed_jsonpath_expression(field).unwrap_or_else(|_| field.to_string());
    let jp = crate::jsonpath::parse(&parsed).map_err(|e| format!("error: sorting error: {e}"))?;
    let mut keyed: Vec<(SortKey, Object)> =
        std::mem::take(objs).into_iter().map(|o| (sort_key(&jp, &o.to_json()), o)).collect();
    if keyed.iter().all(|(k, _)| matches!(k, SortKey::Missing)) {
        *objs = keyed.into_iter().map(|(_, o)| o).collect();
        return Err(format!("error: couldn't find any field with path {parsed:?} in the list of objects"));
    }
    let mut failure: Option<String> = None;
    {
        let less = |a: &(SortKey, Object), b: &(SortKey, Object)| match key_less(&a.0, &b.0) {
            Ok(l) => l,
            Err(e) => {
                if failure.is_none() {
                    failure = Some(e);
                }
                false
            }
        };
        let cell = std::cell::RefCell::new(less);
        go_sort(&mut keyed, &|a, b| (cell.borrow_mut())(a, b));
    }
    *objs = keyed.into_iter().map(|(_, o)| o).collect();
    match failure {
        Some(e) => Err(format!("error: Field {parsed} in *v1.Table is an unsortable type: interface, err: {e}")),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------- Go's sort.Sort

/// Go's `sort.Sort` (pattern-defeating quicksort since Go 1.19), element for element: equal keys end
/// up where Go puts them, which is what kubectl prints.
pub fn go_sort<T>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool) {
    let n = v.len();
    if n <= 1 {
        return;
    }
    let limit = (usize::BITS - n.leading_zeros()) as usize;
    pdqsort(v, less, 0, n, limit);
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Hint {
    Unknown,
    Increasing,
    Decreasing,
}

fn insertion_sort<T>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool, a: usize, b: usize) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn sift_down<T>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool, lo: usize, hi: usize, first: usize) {
    let mut root = lo;
    loop {
        let mut child = 2 * root + 1;
        if child >= hi {
            return;
        }
        if child + 1 < hi && less(&v[first + child], &v[first + child + 1]) {
            child += 1;
        }
        if !less(&v[first + root], &v[first + child]) {
            return;
        }
        v.swap(first + root, first + child);
        root = child;
    }
}

fn heap_sort<T>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool, a: usize, b: usize) {
    let first = a;
    let hi = b - a;
    if hi == 0 {
        return;
    }
    for i in (0..=(hi - 1) / 2).rev() {
        sift_down(v, less, i, hi, first);
    }
    for i in (0..hi).rev() {
        v.swap(first, first + i);
        sift_down(v, less, 0, i, first);
    }
}

fn pdqsort<T>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool, mut a: usize, mut b: usize, mut limit: usize) {
    const MAX_INSERTION: usize = 12;
    let mut was_balanced = true;
    let mut was_partitioned = true;
    loop {
        let length = b - a;
        if length <= MAX_INSERTION {
            insertion_sort(v, less, a, b);
            return;
        }
        if limit == 0 {
            heap_sort(v, less, a, b);
            return;
        }
        if !was_balanced {
            break_patterns(v, a, b);
            limit -= 1;
        }
        let (mut pivot, mut hint) = choose_pivot(v, less, a, b);
        if hint == Hint::Decreasing {
            reverse_range(v, a, b);
            pivot = (b - 1) - (pivot - a);
            hint = Hint::Increasing;
        }
        if was_balanced && was_partitioned && hint == Hint::Increasing && partial_insertion_sort(v, less, a, b) {
            return;
        }
        if a > 0 && !less(&v[a - 1], &v[pivot]) {
            a = partition_equal(v, less, a, b, pivot);
            continue;
        }
        let (mid, already) = partition(v, less, a, b, pivot);
        was_partitioned = already;
        let (left, right) = (mid - a, b - mid);
        let balance = length / 8;
        if left < right {
            was_balanced = left >= balance;
            pdqsort(v, less, a, mid, limit);
            a = mid + 1;
        } else {
            was_balanced = right >= balance;
            pdqsort(v, less, mid + 1, b, limit);
            b = mid;
        }
    }
}

fn partition<T>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool, a: usize, b: usize, pivot: usize) -> (usize, bool) {
    v.swap(a, pivot);
    let (mut i, mut j) = (a + 1, b - 1);
    while i <= j && less(&v[i], &v[a]) {
        i += 1;
    }
    while i <= j && !less(&v[j], &v[a]) {
        j -= 1;
    }
    if i > j {
        v.swap(j, a);
        return (j, true);
    }
    v.swap(i, j);
    i += 1;
    j -= 1;
    loop {
        while i <= j && less(&v[i], &v[a]) {
            i += 1;
        }
        while i <= j && !less(&v[j], &v[a]) {
            j -= 1;
        }
        if i > j {
            break;
        }
        v.swap(i, j);
        i += 1;
        j -= 1;
    }
    v.swap(j, a);
    (j, false)
}

fn partition_equal<T>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool, a: usize, b: usize, pivot: usize) -> usize {
    v.swap(a, pivot);
    let (mut i, mut j) = (a + 1, b - 1);
    loop {
        while i <= j && !less(&v[a], &v[i]) {
            i += 1;
        }
        while i <= j && less(&v[a], &v[j]) {
            j -= 1;
        }
        if i > j {
            break;
        }
        v.swap(i, j);
        i += 1;
        j -= 1;
    }
    i
}

fn partial_insertion_sort<T>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool, a: usize, b: usize) -> bool {
    const MAX_STEPS: usize = 5;
    const SHORTEST_SHIFTING: usize = 50;
    let mut i = a + 1;
    for _ in 0..MAX_STEPS {
        while i < b && !less(&v[i], &v[i - 1]) {
            i += 1;
        }
        if i == b {
            return true;
        }
        if b - a < SHORTEST_SHIFTING {
            return false;
        }
        v.swap(i, i - 1);
        if i - a >= 2 {
            let mut j = i - 1;
            while j >= 1 {
                if !less(&v[j], &v[j - 1]) {
                    break;
                }
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        if b - i >= 2 {
            let mut j = i + 1;
            while j < b {
                if !less(&v[j], &v[j - 1]) {
                    break;
                }
                v.swap(j, j - 1);
                j += 1;
            }
        }
    }
    false
}

fn break_patterns<T>(v: &mut [T], a: usize, b: usize) {
    let length = b - a;
    if length >= 8 {
        let mut random = length as u64;
        let modulus = 1usize << (usize::BITS - length.leading_zeros());
        let mid = a + (length / 4) * 2;
        for idx in mid - 1..=mid + 1 {
            random ^= random << 13;
            random ^= random >> 7;
            random ^= random << 17;
            let mut other = (random as usize) & (modulus - 1);
            if other >= length {
                other -= length;
            }
            v.swap(idx, a + other);
        }
    }
}

fn choose_pivot<T>(v: &mut [T], less: &dyn Fn(&T, &T) -> bool, a: usize, b: usize) -> (usize, Hint) {
    const SHORTEST_NINTHER: usize = 50;
    const MAX_SWAPS: usize = 4 * 3;
    let l = b - a;
    let mut swaps = 0usize;
    let mut i = a + l / 4;
    let mut j = a + l / 4 * 2;
    let mut k = a + l / 4 * 3;
    if l >= 8 {
        if l >= SHORTEST_NINTHER {
            i = median(v, less, i - 1, i, i + 1, &mut swaps);
            j = median(v, less, j - 1, j, j + 1, &mut swaps);
            k = median(v, less, k - 1, k, k + 1, &mut swaps);
        }
        j = median(v, less, i, j, k, &mut swaps);
    }
    match swaps {
        0 => (j, Hint::Increasing),
        MAX_SWAPS => (j, Hint::Decreasing),
        _ => (j, Hint::Unknown),
    }
}

fn order2<T>(v: &[T], less: &dyn Fn(&T, &T) -> bool, a: usize, b: usize, swaps: &mut usize) -> (usize, usize) {
    if less(&v[b], &v[a]) {
        *swaps += 1;
        (b, a)
    } else {
        (a, b)
    }
}

fn median<T>(v: &[T], less: &dyn Fn(&T, &T) -> bool, a: usize, b: usize, c: usize, swaps: &mut usize) -> usize {
    let (a, b) = order2(v, less, a, b, swaps);
    let (b, _c) = order2(v, less, b, c, swaps);
    let (_a, b) = order2(v, less, a, b, swaps);
    b
}

fn reverse_range<T>(v: &mut [T], a: usize, b: usize) {
    let (mut i, mut j) = (a, b - 1);
    while i < j {
        v.swap(i, j);
        i += 1;
        j -= 1;
    }
}

// ----------------------------------------------------------------------------------- completion

const SHELL_COMMANDS: &[&str] = &["clear", "echo", "export", "help", "k", "kubectl", "sim"];

/// The kubectl subcommands this terminal runs.
const KUBECTL_COMMANDS: &[&str] = &[
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "cordon",
    "create",
    "delete",
    "describe",
    "drain",
    "exec",
    "explain",
    "get",
    "label",
    "logs",
    "patch",
    "rollout",
    "run",
    "scale",
    "set",
    "uncordon",
    "version",
];

const SIM_COMMANDS: &[&str] = &["help", "image", "lint", "node", "pod", "reset", "run", "settle", "step", "time"];

const OUTPUT_FORMATS: &[&str] =
    &["custom-columns=", "go-template=", "json", "jsonpath-as-json=", "jsonpath=", "name", "wide", "yaml"];

/// Long flags per subcommand (global ones are added to every list).
fn command_flags(cmd: &str) -> &'static [&'static str] {
    match cmd {
        "get" => &[
            "--all-namespaces",
            "--field-selector",
            "--ignore-not-found",
            "--label-columns",
            "--no-headers",
            "--output",
            "--selector",
            "--show-kind",
            "--show-labels",
            "--sort-by",
            "--template",
            "--watch",
        ],
        "describe" => &["--all-namespaces", "--selector", "--show-events"],
        "apply" | "create" => &["--dry-run", "--filename", "--server-side", "--validate"],
        "delete" => &[
            "--all",
            "--cascade",
            "--field-selector",
            "--filename",
            "--force",
            "--grace-period",
            "--ignore-not-found",
            "--now",
            "--selector",
            "--timeout",
            "--wait",
        ],
        "scale" => &["--current-replicas", "--replicas", "--resource-version", "--selector"],
        "patch" => &["--patch", "--patch-file", "--type"],
        "set" => &["--all", "--selector"],
        "label" | "annotate" => {
            &["--all", "--dry-run", "--list", "--output", "--overwrite", "--resource-version", "--selector"]
        }
        "cordon" | "uncordon" => &["--dry-run", "--selector"],
        "drain" => &[
            "--delete-emptydir-data",
            "--disable-eviction",
            "--dry-run",
            "--force",
            "--grace-period",
            "--ignore-daemonsets",
            "--pod-selector",
            "--selector",
            "--timeout",
        ],
        "logs" => {
            &["--all-containers", "--container", "--follow", "--previous", "--selector", "--tail", "--timestamps"]
        }
        "api-resources" => &["--api-group", "--namespaced", "--no-headers", "--output", "--sort-by", "--verbs"],
        "explain" => &["--recursive"],
        _ => &[],
    }
}

const GLOBAL_FLAGS: &[&str] = &["--help", "--namespace"];

/// Flags that take the next word as their value (so it is not a positional argument).
fn takes_value(flag: &str, cmd: &str) -> bool {
    match flag {
        "-n" | "--namespace" | "-o" | "--output" | "-l" | "--selector" | "-f" | "--filename" | "-c" | "--container"
        | "-L" | "--label-columns" | "--field-selector" | "--sort-by" | "--template" | "--replicas" | "--type"
        | "--patch" | "--grace-period" | "--timeout" | "--cascade" | "--validate" | "--context" | "--tail"
        | "--pod-selector" | "--api-group" | "--dry-run" | "--resource-version" | "--patch-file" => true,
        "-p" => cmd == "patch",
        _ => false,
    }
}

/// Candidates for the browser terminal's Tab key: the words that may replace the word ending at
/// `cursor` (counted in characters), filtered by what is typed so far, sorted and unique.
/// Commands, kubectl subcommands and flags, resource types, object names from the cluster
/// (`TYPE/NAME` too), output formats, namespaces, nodes, and the simulator's commands.
pub fn completions(t: &Terminal, line: &str, cursor: usize) -> Vec<String> {
    let prefix: String = line.chars().take(cursor.min(crate::terminal::MAX_LINE_BYTES)).collect();
    // The command being typed starts after the last `;`, `|` or `&`.
    let seg = match prefix.rfind([';', '|', '&']) {
        Some(i) => &prefix[i + 1..],
        None => prefix.as_str(),
    };
    let words: Vec<&str> = seg.split_whitespace().collect();
    let typing_new = seg.is_empty() || seg.ends_with(char::is_whitespace);
    let (before, current) = if typing_new || words.is_empty() {
        (&words[..], "")
    } else {
        (&words[..words.len() - 1], words[words.len() - 1])
    };
    let current_clean = current.trim_start_matches(['\'', '"']);
    let mut cands = match before.first() {
        None => SHELL_COMMANDS.iter().map(|s| s.to_string()).collect(),
        Some(&"kubectl") | Some(&"k") => kubectl_candidates(t, &before[1..], current_clean),
        Some(&"sim") => sim_candidates(t, &before[1..]),
        Some(_) => Vec::new(),
    };
    cands.retain(|c| c.starts_with(current_clean));
    cands.sort();
    cands.dedup();
    cands
}

fn namespace_in(args: &[&str]) -> Option<String> {
    let mut ns = None;
    for (i, a) in args.iter().enumerate() {
        if *a == "-n" || *a == "--namespace" {
            ns = args.get(i + 1).map(|s| s.to_string());
        } else if let Some(v) = a.strip_prefix("--namespace=") {
            ns = Some(v.to_string());
        } else if let Some(v) = a.strip_prefix("-n").filter(|v| !v.is_empty() && !a.starts_with("--")) {
            ns = Some(v.trim_start_matches('=').to_string());
        }
    }
    if args.iter().any(|a| *a == "-A" || *a == "--all-namespaces") {
        return None;
    }
    Some(ns.unwrap_or_else(|| "default".to_string()))
}

fn resource_type_names(with_all: bool) -> Vec<String> {
    let mut v: Vec<String> = ALL_KINDS.iter().map(|k| k.plural().to_string()).collect();
    v.push("endpoints".into());
    if with_all {
        v.push("all".into());
    }
    v
}

fn object_names(t: &Terminal, kind: Kind, ns: Option<&str>) -> Vec<String> {
    let list_ns = if kind.namespaced() { ns } else { None };
    t.world.store.list(kind, list_ns).map(|o| o.meta().name.clone()).take(1000).collect()
}

fn kubectl_candidates(t: &Terminal, args: &[&str], current: &str) -> Vec<String> {
    // Split into positional words and flags.
    let mut positional: Vec<&str> = Vec::new();
    let mut sub = "";
    let mut expecting_value_for: Option<&str> = None;
    for a in args {
        if expecting_value_for.take().is_some() {
            continue;
        }
        if a.starts_with('-') && a.len() > 1 {
            if !a.contains('=') && takes_value(a, sub) {
                expecting_value_for = Some(a);
            }
            continue;
        }
        if sub.is_empty() {
            sub = a;
        } else {
            positional.push(a);
        }
    }
    let ns = namespace_in(args);
    if let Some(flag) = expecting_value_for {
        return flag_values(t, flag, sub, &positional, ns.as_deref());
    }
    if let Some((flag, _)) = current.split_once('=').filter(|(f, _)| f.starts_with("--")) {
        return flag_values(t, flag, sub, &positional, ns.as_deref())
            .into_iter()
            .map(|v| format!("{flag}={v}"))
            .collect();
    }
    if current.starts_with('-') {
        let mut v: Vec<String> = command_flags(sub).iter().map(|s| s.to_string()).collect();
        v.extend(GLOBAL_FLAGS.iter().map(|s| s.to_string()));
        return v;
    }
    if sub.is_empty() {
        return KUBECTL_COMMANDS.iter().map(|s| s.to_string()).collect();
    }
    match sub {
        "get" | "describe" | "delete" | "label" | "annotate" | "patch" | "scale" | "explain" => {
            if let Some((ty, _)) = current.split_once('/') {
                return match resolve_resource(ty) {
                    Some(Res::Kind(k)) => {
                        object_names(t, k, ns.as_deref()).into_iter().map(|n| format!("{ty}/{n}")).collect()
                    }
                    Some(Res::Endpoints) => {
                        object_names(t, Kind::Service, ns.as_deref()).into_iter().map(|n| format!("{ty}/{n}")).collect()
                    }
                    None => Vec::new(),
                };
            }
            match positional.first() {
                None => {
                    if sub == "scale" {
                        vec!["statefulset".into(), "sts".into()]
                    } else {
                        resource_type_names(sub == "get")
                    }
                }
                Some(first) if sub != "explain" && !first.contains('/') && !first.contains(',') => {
                    match resolve_resource(first) {
                        Some(Res::Kind(k)) => {
                            let typed: Vec<&str> = positional[1..].to_vec();
                            object_names(t, k, ns.as_deref())
                                .into_iter()
                                .filter(|n| !typed.contains(&n.as_str()))
                                .collect()
                        }
                        Some(Res::Endpoints) => object_names(t, Kind::Service, ns.as_deref()),
                        None => Vec::new(),
                    }
                }
                _ => Vec::new(),
            }
        }
        "set" => match positional.first() {
            None => vec!["image".into()],
            Some(_) if positional.len() == 1 => {
                let mut v = vec!["statefulset".to_string(), "pod".to_string()];
                for n in object_names(t, Kind::StatefulSet, ns.as_deref()) {
                    v.push(format!("statefulset/{n}"));
                }
                v
            }
            _ => Vec::new(),
        },
        "cordon" | "uncordon" | "drain" => {
            let typed: Vec<&str> = positional.clone();
            object_names(t, Kind::Node, None).into_iter().filter(|n| !typed.contains(&n.as_str())).collect()
        }
        "logs" => {
            if positional.is_empty() {
                let mut v = object_names(t, Kind::Pod, ns.as_deref());
                v.extend(
                    object_names(t, Kind::StatefulSet, ns.as_deref()).into_iter().map(|n| format!("statefulset/{n}")),
                );
                v
            } else if positional.len() == 1 {
                containers_of(t, positional[0], ns.as_deref())
            } else {
                Vec::new()
            }
        }
        "apply" | "create" => vec!["-f".into()],
        _ => Vec::new(),
    }
}

fn containers_of(t: &Terminal, pod: &str, ns: Option<&str>) -> Vec<String> {
    t.world
        .get_pod(ns.unwrap_or("default"), pod)
        .map(|p| p.spec.containers.iter().chain(p.spec.init_containers.iter()).map(|c| c.name.clone()).collect())
        .unwrap_or_default()
}

fn flag_values(t: &Terminal, flag: &str, sub: &str, positional: &[&str], ns: Option<&str>) -> Vec<String> {
    match flag {
        "-n" | "--namespace" => {
            let mut v: Vec<String> = vec!["default".into()];
            for k in ALL_KINDS.iter().filter(|k| k.namespaced()) {
                v.extend(t.world.store.list(*k, None).map(|o| o.meta().namespace.clone()).take(1000));
            }
            v
        }
        "-o" | "--output" => {
            if sub == "api-resources" {
                vec!["name".into(), "wide".into()]
            } else {
                OUTPUT_FORMATS.iter().map(|s| s.to_string()).collect()
            }
        }
        "-l" | "--selector" | "--pod-selector" => {
            let mut v = Vec::new();
            for o in t.world.store.list(Kind::Pod, ns) {
                v.extend(o.meta().labels.iter().map(|(k, val)| format!("{k}={val}")));
            }
            v
        }
        "--cascade" => vec!["background".into(), "foreground".into(), "orphan".into()],
        "--type" => vec!["json".into(), "merge".into(), "strategic".into()],
        "--validate" => vec!["ignore".into(), "strict".into(), "warn".into()],
        "--dry-run" => vec!["client".into(), "none".into(), "server".into()],
        "-c" | "--container" => positional.first().map(|p| containers_of(t, p, ns)).unwrap_or_default(),
        "--sort-by" => vec![
            ".metadata.creationTimestamp".into(),
            ".metadata.name".into(),
            ".lastTimestamp".into(),
            ".status.podIP".into(),
            ".spec.nodeName".into(),
        ],
        "-L" | "--label-columns" => {
            let mut v = Vec::new();
            for o in t.world.store.list(Kind::Pod, ns) {
                v.extend(o.meta().labels.keys().cloned());
            }
            v
        }
        _ => Vec::new(),
    }
}

fn sim_candidates(t: &Terminal, args: &[&str]) -> Vec<String> {
    let nodes = || object_names(t, Kind::Node, None);
    match args {
        [] => SIM_COMMANDS.iter().map(|s| s.to_string()).collect(),
        ["node"] => vec!["fail".into(), "recover".into()],
        ["node", "fail" | "recover"] => nodes(),
        ["pod"] => vec!["fail".into()],
        ["pod", "fail"] => object_names(t, Kind::Pod, Some("default")),
        ["image"] => vec!["break".into(), "fix".into()],
        ["image", "break"] => {
            let mut v: Vec<String> = Vec::new();
            for o in t.world.store.list(Kind::StatefulSet, None) {
                if let Some(s) = o.as_sts() {
                    v.extend(s.spec.template.spec.containers.iter().map(|c| c.image.clone()));
                }
            }
            for o in t.world.store.list(Kind::Pod, None) {
                if let Some(p) = o.as_pod() {
                    v.extend(p.spec.containers.iter().map(|c| c.image.clone()));
                }
            }
            v
        }
        ["image", "fix"] => t.world.broken_images.iter().cloned().collect(),
        ["run"] => vec!["10s".into(), "1m".into(), "30s".into(), "5m".into()],
        ["step"] => vec!["1".into(), "10".into()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminal::NoFiles;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn natural_order() {
        assert!(natural_less("web-2", "web-10"));
        assert!(!natural_less("web-10", "web-2"));
        assert!(natural_less("a", "b"));
        assert!(natural_less("1", "a"));
        assert!(natural_less("web-01", "web-001"));
        assert!(!natural_less("a01", "a1") && natural_less("a1", "a01"));
        assert!(!natural_less("same", "same"));
        assert!(natural_less("abc", "abcd"));
    }

    #[test]
    fn go_sort_matches_a_sorted_order_and_is_deterministic() {
        for n in [0usize, 1, 2, 5, 12, 13, 40, 51, 200, 1000] {
            let mut v: Vec<u64> = (0..n as u64).map(|i| (i * 7919 + 13) % 97).collect();
            go_sort(&mut v, &|a, b| a < b);
            assert!(v.windows(2).all(|w| w[0] <= w[1]), "n={n}");
            let mut rev: Vec<u64> = (0..n as u64).rev().collect();
            go_sort(&mut rev, &|a, b| a < b);
            assert!(rev.windows(2).all(|w| w[0] < w[1]));
        }
        // Small inputs use insertion sort: stable for ties, like Go.
        let mut pairs = vec![(1, 'a'), (0, 'b'), (1, 'c'), (0, 'd')];
        go_sort(&mut pairs, &|a, b| a.0 < b.0);
        assert_eq!(pairs, vec![(0, 'b'), (0, 'd'), (1, 'a'), (1, 'c')]);
    }

    fn gen(n: usize, m: usize, mul: usize, add: usize) -> Vec<usize> {
        (0..n).map(|i| (i * mul + add) % m).collect()
    }

    #[test]
    fn go_sort_ties_follow_go() {
        // The original positions, in the order Go's sort.Sort leaves items with these keys (a Go
        // program sorting `struct{k, i int}` by k and printing i, with the pdqsort of go1.19 and the
        // xorshift constants 13/7/17 that Go uses since 1.22; kubectl 1.34 is built with go1.24).
        let expected = [
            "7,1,19,16,4,13,10,5,8,11,14,17,2,9,6,12,0,15,3,18",
            "15,59,55,3,51,47,43,7,39,35,31,11,27,23,19,30,10,58,18,14,2,54,22,50,46,6,26,42,38,34,49,45,1,33,29,9,17,37,57,21,53,41,13,25,5,28,52,44,48,16,12,4,24,40,8,20,56,0,36,32",
            "64,9,299,294,289,284,279,274,269,264,259,254,249,244,14,239,234,229,224,19,219,214,209,204,24,199,194,189,184,29,179,174,169,164,34,159,154,4,149,39,144,139,134,129,44,124,119,114,109,49,104,99,94,89,54,84,79,74,69,59,150,120,0,295,60,65,5,290,10,285,70,280,275,270,265,75,260,255,250,245,80,240,15,235,55,85,230,225,220,20,90,215,210,205,200,95,25,195,190,185,100,180,30,175,50,105,170,165,160,35,110,155,145,40,140,115,135,130,125,45,46,101,296,66,61,291,126,286,1,281,71,131,6,276,11,116,136,271,266,41,261,141,76,256,251,246,146,56,241,81,236,151,16,231,36,111,156,86,226,221,216,161,91,21,211,121,166,206,201,96,106,171,196,26,31,191,176,186,51,181,92,2,182,62,297,122,177,187,292,27,67,287,192,127,282,97,172,197,117,32,52,132,202,277,72,42,167,207,272,22,107,137,212,102,267,162,57,217,7,262,47,142,222,12,257,87,77,227,252,17,157,247,232,112,152,147,37,237,242,82,73,168,238,243,38,83,233,153,248,8,78,113,228,253,3,158,143,18,258,223,48,88,53,263,218,108,138,163,148,268,13,33,208,273,93,23,133,203,278,213,198,43,173,283,128,58,193,103,288,68,98,118,188,293,123,63,178,28,298,183",
            "47,53,59,65,71,0,6,12,18,24,30,36,42,48,54,60,66,72,1,7,13,19,25,31,37,43,49,55,61,67,73,2,8,14,20,26,32,38,44,50,56,62,68,74,3,9,15,21,27,33,39,45,51,57,63,69,75,4,10,16,22,28,34,40,46,52,58,64,70,76,5,11,17,23,29,35,41",
            "45,129,126,3,123,120,6,117,114,9,111,108,12,105,102,15,99,96,18,93,90,21,87,84,24,81,78,27,75,72,30,69,66,33,0,63,36,60,57,39,54,51,42,48,64,22,46,1,43,49,127,124,52,4,40,55,121,118,58,7,37,61,115,112,34,10,109,67,106,31,70,13,103,73,100,28,76,16,97,79,94,25,82,19,91,85,88,65,11,89,20,23,92,83,80,95,17,26,98,77,74,101,14,29,104,71,68,107,86,32,110,44,35,113,8,62,116,59,38,119,5,56,122,53,41,125,2,50,128,47",
            "63,62,61,60,59,58,57,56,53,55,54,50,51,52,47,49,48,44,46,45,43,42,41,40,39,38,35,37,36,33,32,34,29,31,30,28,27,26,25,24,23,20,22,21,18,19,17,14,16,15,11,12,13,8,10,9,7,6,5,4,3,2,0,1",
        ];
        let cases: Vec<Vec<usize>> = vec![
            vec![3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1],
            gen(60, 4, 7, 3),
            gen(300, 5, 31, 11),
            gen(77, 77, 13, 5),
            gen(130, 3, 1, 0),
            (0..64).map(|i| (64 - i) / 3).collect(),
        ];
        for (keys, want) in cases.iter().zip(expected) {
            let mut v: Vec<(usize, usize)> = keys.iter().copied().zip(0..).collect();
            go_sort(&mut v, &|a, b| a.0 < b.0);
            let got: Vec<String> = v.iter().map(|x| x.1.to_string()).collect();
            assert_eq!(got.join(","), want);
        }
    }

    #[test]
    fn label_parsing() {
        let (set, rm) = parse_labels(&s(&["a=b", "c-"])).unwrap();
        assert_eq!(set.get("a").map(String::as_str), Some("b"));
        assert_eq!(rm, vec!["c"]);
        assert_eq!(parse_labels(&s(&["a=b=c"])).unwrap_err(), "invalid label spec: a=b=c");
        assert!(parse_labels(&s(&["a=b c"])).unwrap_err().starts_with("invalid label value: \"a=b c\": a valid label"));
        assert_eq!(
            parse_labels(&s(&["a=b", "a-"])).unwrap_err(),
            "can not both modify and remove a label in the same command"
        );
        let (set, _) = parse_annotations(&s(&["d=x=y"])).unwrap();
        assert_eq!(set.get("d").map(String::as_str), Some("x=y"));
        assert_eq!(parse_annotations(&s(&["=x"])).unwrap_err(), "invalid annotation format: =x");
        assert_eq!(
            resources_and_pairs(&s(&["pods", "a=b", "web-0"]), "label").unwrap_err(),
            "all resources must be specified before label changes: web-0"
        );
    }

    #[test]
    fn label_messages() {
        let m = |a: &[(&str, &str)]| a.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>();
        assert_eq!(label_change_message(&m(&[("a", "1")]), &m(&[("a", "1")])), "not labeled");
        assert_eq!(label_change_message(&m(&[("a", "1")]), &m(&[("a", "2")])), "labeled");
        assert_eq!(label_change_message(&m(&[("a", "1")]), &m(&[])), "unlabeled");
        assert_eq!(label_change_message(&m(&[("a", "1")]), &m(&[("b", "1")])), "label(s) changed");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_go_duration("0"), Some(0));
        assert_eq!(parse_go_duration("90s"), Some(90_000));
        assert_eq!(parse_go_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_go_duration("10"), None);
        assert_eq!(parse_go_duration("x"), None);
        assert_eq!(parse_go_duration(""), None);
    }

    #[test]
    fn go_templates() {
        let data = json!({"status": {"podIP": "10.244.1.5", "n": 1000000, "m": {"a": 1}}, "spec": {}});
        assert_eq!(go_template("{{.status.podIP}}", &data, true).ok(), Some("10.244.1.5".into()));
        assert_eq!(go_template("ip={{ .status.podIP }}{{\"\\n\"}}", &data, true).ok(), Some("ip=10.244.1.5\n".into()));
        assert_eq!(go_template("{{.status.n}}", &data, true).ok(), Some("1e+06".into()));
        assert_eq!(go_template("{{.status.m}}", &data, true).ok(), Some("map[a:1]".into()));
        assert_eq!(go_template("{{.status.nope}}", &data, true).ok(), Some("<no value>".into()));
        assert_eq!(go_template("{{.spec.x.y}}", &data, true).ok(), Some("<no value>".into()));
        let nulls = json!({"a": null, "s": "x"});
        assert!(
            matches!(go_template("{{.a.b}}", &nulls, true), Err(GoTemplateError::Exec(_, e)) if e.ends_with("nil pointer evaluating interface {}.b"))
        );
        assert!(
            matches!(go_template("-{{.s.b}}", &nulls, true), Err(GoTemplateError::Exec(p, e)) if p == "-" && e == "template: output:1:3: executing \"output\" at <.s.b>: can't evaluate field b in type interface {}")
        );
        assert!(
            matches!(go_template("{{.x.y}}", &nulls, false), Err(GoTemplateError::Exec(_, e)) if e.ends_with("map has no entry for key \"x\""))
        );
        assert_eq!(go_template("{{.a}}", &nulls, true).ok(), Some("<nil>".into()));
        assert!(matches!(go_template("{{range .items}}x{{end}}", &data, true), Err(GoTemplateError::Unsupported(_))));
        assert!(matches!(go_template("{{.a", &data, true), Err(GoTemplateError::Parse(_))));
    }

    #[test]
    fn completion_words() {
        let mut t = Terminal::new(1);
        let c = completions(&t, "kub", 3);
        assert_eq!(c, vec!["kubectl"]);
        assert_eq!(completions(&t, "kubectl rollo", 13), vec!["rollout"]);
        assert_eq!(completions(&t, "kubectl ex", 10), vec!["exec", "explain"]);
        let c = completions(&t, "kubectl ge", 10);
        assert_eq!(c, vec!["get"]);
        let c = completions(&t, "kubectl get st", 14);
        assert_eq!(c, vec!["statefulsets", "storageclasses"]);
        let c = completions(&t, "kubectl cordon ", 15);
        assert!(c.contains(&"kind-worker".to_string()));
        let c = completions(&t, "kubectl get pods -o j", 21);
        assert_eq!(c, vec!["json", "jsonpath-as-json=", "jsonpath="]);
        let c = completions(&t, "kubectl get pods --sh", 21);
        assert_eq!(c, vec!["--show-kind", "--show-labels"]);
        let c = completions(&t, "sim node fail kind-w", 20);
        assert_eq!(c, vec!["kind-worker", "kind-worker2", "kind-worker3"]);
        let c = completions(&t, "kubectl get nodes | grep x; kubectl get no/kind-c", 100);
        assert_eq!(c, vec!["no/kind-control-plane"]);
        let manifest =
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
        let o = t.run(&format!("kubectl apply -f - <<EOF\n{manifest}EOF"), &NoFiles);
        assert_eq!(o.exit, 0, "{}", o.text());
        assert_eq!(completions(&t, "kubectl logs so", 15), vec!["solo"]);
        assert_eq!(completions(&t, "kubectl label pod s", 19), vec!["solo"]);
        assert_eq!(completions(&t, "kubectl get pod/", 16), vec!["pod/solo"]);
        // Never panics on odd input.
        for line in ["", " ", "é", "kubectl 'get", "kubectl -n", "kubectl get -o=", "sim image break ", "||;&"] {
            for cur in [0, 1, 3, 100, usize::MAX] {
                let _ = completions(&t, line, cur);
            }
        }
    }

    #[test]
    fn commands_never_panic_on_odd_arguments() {
        let mut t = Terminal::new(1);
        let lines = [
            "kubectl label",
            "kubectl label pods",
            "kubectl label pods --all",
            "kubectl label pods --all a=b -l x=y",
            "kubectl label nodes kind-worker a=b",
            "kubectl label node/kind-worker a- b-",
            "kubectl annotate node kind-worker --list",
            "kubectl label endpoints x a=b",
            "kubectl cordon",
            "kubectl cordon nope",
            "kubectl drain kind-worker --timeout=x",
            "kubectl drain kind-worker --grace-period=abc",
            "kubectl drain -l nope=x",
            "kubectl logs",
            "kubectl logs nope",
            "kubectl logs sts/nope",
            "kubectl api-resources x",
            "kubectl api-resources -o yaml",
            "kubectl get nodes --sort-by=.metadata.name -o jsonpath='{.items[*].metadata.name}'",
            "kubectl get nodes --sort-by={{ -o name",
            "kubectl get nodes -o go-template='{{range .items}}{{end}}'",
            "kubectl get nodes -o custom-columns=",
            "kubectl get nodes -o jsonpath=",
            "kubectl get node kind-worker --template='{{.metadata.name'",
        ];
        for l in lines {
            let _ = t.run(l, &NoFiles);
        }
        assert_eq!(
            t.run("kubectl cordon kind-worker", &NoFiles).text(),
            "node/kind-worker cordoned\n",
            "the drains above stopped before cordoning"
        );
    }

    #[test]
    fn cordon_and_uncordon() {
        let mut t = Terminal::new(1);
        assert_eq!(t.run("kubectl cordon kind-worker2", &NoFiles).text(), "node/kind-worker2 cordoned\n");
        assert_eq!(t.run("kubectl cordon kind-worker2", &NoFiles).text(), "node/kind-worker2 already cordoned\n");
        let o = t.run("kubectl get nodes kind-worker2", &NoFiles).text();
        assert!(o.contains("Ready,SchedulingDisabled"), "{o}");
        assert_eq!(t.run("kubectl uncordon kind-worker2", &NoFiles).text(), "node/kind-worker2 uncordoned\n");
        let o = t.run("kubectl cordon", &NoFiles);
        assert_eq!(o.text(), "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n");
        assert_eq!(o.exit, 1);
        assert_eq!(
            t.run("kubectl uncordon nope", &NoFiles).text(),
            "Error from server (NotFound): nodes \"nope\" not found\n"
        );
    }

    /// A pod without a controller, scheduled and running; returns its node.
    fn bare_pod(t: &mut Terminal) -> String {
        let o = t.run(
            "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n  - name: c\n    image: nginx\nEOF",
            &NoFiles,
        );
        assert_eq!(o.exit, 0, "{}", o.text());
        t.run("sim settle", &NoFiles);
        let pod = t.world.get_pod("default", "solo").cloned().unwrap_or_default();
        assert_eq!(pod.status.phase, "Running");
        pod.spec.node_name
    }

    #[test]
    fn drain_timeout_on_a_dead_node() {
        let mut t = Terminal::new(1);
        let node = bare_pod(&mut t);
        // Whichever worker the scheduler chose (the RNG decides), that node fails.
        t.run(&format!("sim node fail {node}"), &NoFiles);
        let o = t.run(&format!("kubectl drain {node} --force --timeout=20s"), &NoFiles);
        assert_eq!(o.exit, 1);
        assert_eq!(o.stdout(), format!("node/{node} cordoned\nevicting pod default/solo\n"));
        let wait_err =
            "error when waiting for pod \"solo\" in namespace \"default\" to terminate: context deadline exceeded";
        assert_eq!(
            o.stderr(),
            format!(
                "Warning: deleting Pods that declare no controller: default/solo\n\
                 There are pending pods in node \"{node}\" when an error occurred: {wait_err}\npod/solo\n\
                 error: unable to drain node \"{node}\" due to error: {wait_err}, continuing command...\n\
                 There are pending nodes to be drained:\n {node}\n{wait_err}\n"
            )
        );
        // Without --timeout kubectl would wait forever: the playground stops at its cap.
        let o = t.run(&format!("kubectl drain {node} --force"), &NoFiles);
        assert_eq!(o.exit, 1);
        assert!(o.stdout().starts_with(&format!("node/{node} already cordoned\nevicting pod default/solo\n")));
        assert!(
            o.stderr().contains("hint (stsplay): stopped waiting after 10m of virtual time: pods/solo"),
            "{}",
            o.text()
        );
    }

    #[test]
    fn drain_refuses_unmanaged_pods_and_deletes_without_eviction() {
        let mut t = Terminal::new(1);
        let node = bare_pod(&mut t);
        let o = t.run(&format!("kubectl drain {node} --dry-run=client"), &NoFiles);
        assert_eq!(o.stdout(), format!("node/{node} cordoned (dry run)\n"));
        assert_eq!(o.exit, 1);
        let o = t.run(&format!("kubectl drain {node}"), &NoFiles);
        assert_eq!(o.stdout(), format!("node/{node} cordoned\n"), "the dry run changed nothing");
        assert_eq!(o.exit, 1);
        assert!(o.stderr().ends_with(
            "cannot delete cannot delete Pods that declare no controller (use --force to override): default/solo\n"
        ));
        let o = t.run(&format!("kubectl drain {node} --force --disable-eviction --grace-period=0"), &NoFiles);
        assert_eq!(
            o.text(),
            format!("node/{node} already cordoned\nWarning: deleting Pods that declare no controller: default/solo\npod/solo deleted\nnode/{node} drained\n")
        );
        assert!(t.world.get_pod("default", "solo").is_none());
    }

    #[test]
    fn logs_of_a_pod_on_a_dead_node_and_sort_by_errors() {
        let mut t = Terminal::new(1);
        let node = bare_pod(&mut t);
        assert_eq!(t.run("kubectl logs solo", &NoFiles).text(), "");
        t.run(&format!("sim node fail {node}"), &NoFiles);
        let o = t.run("kubectl logs solo", &NoFiles);
        assert!(o.text().starts_with("Error from server: Get \"https://"), "{}", o.text());
        assert!(o.text().contains(":10250/containerLogs/default/solo/c\": dial tcp "), "{}", o.text());
        assert!(o.text().ends_with(":10250: connect: no route to host\n"), "{}", o.text());
        let o = t.run("kubectl get nodes --sort-by=.metadata.labels", &NoFiles);
        assert_eq!(o.exit, 1);
        assert!(o.text().contains("unsortable type: map[string]interface {}"), "{}", o.text());
        let o = t.run("kubectl get nodes --sort-by=.metadata.name -o jsonpath='{.items[*].metadata.name}'", &NoFiles);
        assert_eq!(o.text(), "kind-control-plane kind-worker kind-worker2 kind-worker3");
    }

    #[test]
    fn api_resources_table() {
        let mut t = Terminal::new(1);
        let o = t.run("kubectl api-resources", &NoFiles).stdout();
        let first: Vec<&str> = o.lines().take(2).collect();
        assert_eq!(first[0], "NAME                     SHORTNAMES   APIVERSION          NAMESPACED   KIND");
        assert_eq!(first[1], "endpoints                ep           v1                  true         Endpoints");
        assert!(o.contains("statefulsets             sts          apps/v1             true         StatefulSet\n"));
        assert_eq!(t.run("kubectl api-versions", &NoFiles).text(), "apps/v1\nstorage.k8s.io/v1\nv1\n");
    }
}
