//! `kubectl rollout` for StatefulSets, as kubectl 1.34 does it (`pkg/cmd/rollout/*`,
//! `pkg/polymorphichelpers/{rollout_status,history,rollback,objectrestarter,objectpauser,objectresumer}.go`):
//!
//! * `status` evaluates upstream's decision order on the StatefulSet once for the initial list and again
//!   on every watch event of the object (every write to it in the store), printing each evaluation's line —
//!   duplicates included, as kubectl does. Virtual time runs (`World::step`) until the rollout is done, the
//!   object is deleted, `--timeout` (virtual) expires, or — since kubectl's default is to wait forever and a
//!   terminal must return — 30 minutes of virtual time passed or nothing more is scheduled; those last two
//!   end with a `hint (stsplay):` line and exit code 1.
//! * `history` lists the ControllerRevisions the set controls (`REVISION  CHANGE-CAUSE`, tabwriter padding 2)
//!   or, with `--revision=N`, the revision's pod template (`describe.DescribePodTemplate` written straight
//!   through a prefix writer: raw tabs, no alignment).
//! * `undo` patches the set with the revision's data (a strategic merge patch replacing `spec.template`);
//!   the controller then renumbers the reused revision itself.
//! * `restart` sets the template annotation `kubectl.kubernetes.io/restartedAt` to the virtual time.
//! * `pause` / `resume` refuse StatefulSets with kubectl's errors (only Deployments can be paused).
//!
//! Errors for other kinds follow the polymorphic helpers: `no status viewer has been implemented for Pod`,
//! `no history viewer has been implemented for "Pod"`, `error retrieving history for "Service", no visitor
//! method exists for { Service}`, `pods "web-0" restarting is not supported`, ...

use crate::flags::{self, flag, FlagSpec, Parsed};
use crate::kubectl::{resolve_resource, Res};
use crate::output::Output;
use crate::terminal::Terminal;
use stsplay_cluster::statefulset::utils::{apply_revision, revision_data};
use stsplay_cluster::{ApiError, WatchType, World};
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::labels::Selector;
use stsplay_model::objects::{ControllerRevision, StatefulSet};

/// The annotation `kubectl rollout history` shows as CHANGE-CAUSE.
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
/// The template annotation `kubectl rollout restart` sets.
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
/// How long `rollout status` waits in virtual time when kubectl would wait forever (`--timeout=0`).
pub const STATUS_WAIT_CAP_MS: i64 = 30 * 60 * 1000;
/// The longest `--timeout` honoured (virtual time).
pub const STATUS_TIMEOUT_MAX_MS: i64 = 24 * 3_600_000;

const ROLLOUT_HELP: &str = "\
Manage the rollout of one or many resources.

 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets

Examples:
  # Rollback to the previous deployment
  kubectl rollout undo deployment/abc
  
  # Check the rollout status of a daemonset
  kubectl rollout status daemonset/foo
  
  # Restart a deployment
  kubectl rollout restart deployment/abc
  
  # Restart deployments with the 'app=nginx' label
  kubectl rollout restart deployment --selector=app=nginx

Available Commands:
  history       View rollout history
  pause         Mark the provided resource as paused
  restart       Restart a resource
  resume        Resume a paused resource
  status        Show the status of the rollout
  undo          Undo a previous rollout

Usage:
  kubectl rollout SUBCOMMAND [options]

Use \"kubectl rollout <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";

const COMMON_FLAGS: [FlagSpec; 4] = [
    flag("filename", Some('f'), true),
    flag("kustomize", Some('k'), true),
    flag("recursive", Some('R'), false),
    flag("selector", Some('l'), true),
];

const STATUS_FLAGS: &[FlagSpec] = &[
    COMMON_FLAGS[0],
    COMMON_FLAGS[1],
    COMMON_FLAGS[2],
    COMMON_FLAGS[3],
    flag("watch", Some('w'), false),
    flag("revision", None, true),
    flag("timeout", None, true),
];

const HISTORY_FLAGS: &[FlagSpec] = &[
    COMMON_FLAGS[0],
    COMMON_FLAGS[1],
    COMMON_FLAGS[2],
    COMMON_FLAGS[3],
    flag("revision", None, true),
    flag("output", Some('o'), true),
    flag("show-managed-fields", None, false),
    flag("allow-missing-template-keys", None, true),
    flag("template", None, true),
];

const UNDO_FLAGS: &[FlagSpec] = &[
    COMMON_FLAGS[0],
    COMMON_FLAGS[1],
    COMMON_FLAGS[2],
    COMMON_FLAGS[3],
    flag("to-revision", None, true),
    flag("dry-run", None, true),
    flag("output", Some('o'), true),
    flag("show-managed-fields", None, false),
    flag("allow-missing-template-keys", None, true),
    flag("template", None, true),
];

const PATCHING_FLAGS: &[FlagSpec] = &[
    COMMON_FLAGS[0],
    COMMON_FLAGS[1],
    COMMON_FLAGS[2],
    COMMON_FLAGS[3],
    flag("output", Some('o'), true),
    flag("field-manager", None, true),
    flag("show-managed-fields", None, false),
    flag("allow-missing-template-keys", None, true),
    flag("template", None, true),
];

/// `kubectl rollout ...` (args after `rollout`).
pub fn rollout(t: &mut Terminal, args: &[String], out: &mut Output) {
    // cobra finds the subcommand among the arguments; flags may come before it.
    let mut sub_at = None;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" {
            break;
        }
        if a.starts_with('-') && a.len() > 1 {
            if matches!(a, "-n" | "--namespace" | "--context" | "--kubeconfig" | "--request-timeout" | "-v") {
                i += 1;
            }
            i += 1;
            continue;
        }
        sub_at = Some(i);
        break;
    }
    let Some(at) = sub_at else {
        out.out(ROLLOUT_HELP);
        if !args.iter().any(|a| a == "-h" || a == "--help") {
            out.exit = 1;
        }
        return;
    };
    let mut rest: Vec<String> = args[..at].to_vec();
    rest.extend_from_slice(&args[at + 1..]);
    let sub = args[at].as_str();
    let specs = match sub {
        "status" => STATUS_FLAGS,
        "history" => HISTORY_FLAGS,
        "undo" => UNDO_FLAGS,
        "restart" | "pause" | "resume" => PATCHING_FLAGS,
        other => {
            out.fail(format!("error: unknown command {other:?}\nSee 'kubectl rollout -h' for help and examples"));
            return;
        }
    };
    let p = match flags::parse(&rest, specs) {
        Ok(p) => p,
        Err(e) => return out.fail(format!("error: {e}\nSee 'kubectl rollout {sub} --help' for usage.")),
    };
    if p.bool("help") {
        out.outln(format!("Usage:\n  kubectl rollout {sub} (TYPE NAME | TYPE/NAME) [flags] [options]"));
        return;
    }
    if p.positional.is_empty() && !p.has("filename") && !p.has("kustomize") {
        return out.fail("error: required resource not specified");
    }
    if p.has("filename") || p.has("kustomize") {
        out.fail(format!(
            "stsplay: `kubectl rollout {sub} -f` is not available in this playground; name the resource (sts/NAME)"
        ));
        return;
    }
    match sub {
        "status" => status(t, &p, out),
        "history" => history(t, &p, out),
        "undo" => undo(t, &p, out),
        "restart" => restart(t, &p, out),
        _ => refuse(t, &p, sub, out),
    }
}

// ------------------------------------------------------------------------------------ resources

/// The API group, Kind and plural resource of what an argument names.
fn gvk(r: Res) -> (&'static str, &'static str, &'static str) {
    match r {
        Res::Kind(k) => (k.group(), k.name(), k.plural()),
        Res::Endpoints => ("", "Endpoints", "endpoints"),
    }
}

/// `schema.GroupKind.String()`: `Pod`, `StorageClass.storage.k8s.io`.
fn group_kind(r: Res) -> String {
    match gvk(r) {
        ("", kind, _) => kind.to_string(),
        (group, kind, _) => format!("{kind}.{group}"),
    }
}

/// `%v` of kubectl's `apps.GroupKindElement` (a struct without a String method): `{ Service}`.
fn group_kind_element(r: Res) -> String {
    let (group, kind, _) = gvk(r);
    format!("{{{group} {kind}}}")
}

/// `statefulsets.apps`, `pods`: the resource string of the patching commands' errors.
fn resource_string(r: Res) -> String {
    match gvk(r) {
        ("", _, plural) => plural.to_string(),
        (group, _, plural) => format!("{plural}.{group}"),
    }
}

fn not_found(r: Res, name: &str) -> String {
    match r {
        Res::Kind(k) => ApiError::not_found(k, name).kubectl_text(),
        Res::Endpoints => format!("Error from server (NotFound): endpoints {name:?} not found"),
    }
}

const SEPARATE_TYPE_ERROR: &str = "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'";

/// Types to list and (type, name) pairs to fetch.
type ResourceArgs = (Vec<Res>, Vec<(Res, String)>);
/// The objects found (with the type they were named by) and the errors met finding them.
type Targets = (Vec<(Res, Object)>, Vec<String>);

/// The resource builder's `ResourceTypeOrNameArgs(true, ...)`: `TYPE/NAME ...`, `TYPE NAME ...` or `TYPE`.
/// Returns the types to list and the (type, name) pairs to fetch.
fn parse_args(pos: &[String]) -> Result<ResourceArgs, String> {
    let unknown = |t: &str| format!("error: the server doesn't have a resource type {t:?}");
    let Some(first) = pos.first() else { return Ok((vec![], vec![])) };
    if first.contains('/') {
        let mut named = Vec::new();
        for a in pos {
            let Some((ty, name)) = a.split_once('/') else { return Err(SEPARATE_TYPE_ERROR.into()) };
            let r = resolve_resource(ty).ok_or_else(|| unknown(ty))?;
            named.push((r, name.to_string()));
        }
        return Ok((vec![], named));
    }
    let mut types = Vec::new();
    for ty in first.split(',').filter(|s| !s.is_empty()) {
        types.push(resolve_resource(ty).ok_or_else(|| unknown(ty))?);
    }
    if pos.len() == 1 {
        return Ok((types, vec![]));
    }
    if pos[1..].iter().any(|a| a.contains('/')) {
        return Err(SEPARATE_TYPE_ERROR.into());
    }
    if types.len() != 1 {
        return Err("error: you must specify only one resource".into());
    }
    Ok((vec![], pos[1..].iter().map(|n| (types[0], n.clone())).collect()))
}

fn store_kind(r: Res) -> Kind {
    match r {
        Res::Kind(k) => k,
        Res::Endpoints => Kind::Service,
    }
}

/// The objects the arguments name (in argument order; lists in name order) and the errors met.
fn targets(w: &World, p: &Parsed) -> Result<Targets, String> {
    let (types, named) = parse_args(&p.positional)?;
    let ns = p.namespace();
    let selector = match p.get("selector").map(Selector::parse) {
        Some(Err(e)) => return Err(format!("error: {e}")),
        Some(Ok(s)) => Some(s),
        None => None,
    };
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for (r, name) in named {
        match w.store.get_by(store_kind(r), &ns, &name) {
            Some(o) => found.push((r, o.clone())),
            None => errors.push(not_found(r, &name)),
        }
    }
    for r in types {
        let kind = store_kind(r);
        let ns_filter = if kind.namespaced() { Some(ns.as_str()) } else { None };
        for o in w.store.list(kind, ns_filter) {
            if selector.as_ref().is_none_or(|s| s.matches(&o.meta().labels)) {
                found.push((r, o.clone()));
            }
        }
    }
    Ok((found, errors))
}

fn is_sts(r: Res) -> bool {
    r == Res::Kind(Kind::StatefulSet)
}

/// How kubectl's CheckErr prints the errors a command collected (an aggregate of one is unwrapped and
/// gets the `error: ` prefix; several are printed as they are, one per line).
fn report(errors: Vec<String>, out: &mut Output) {
    match errors.len() {
        0 => {}
        1 => {
            let e = &errors[0];
            if e.starts_with("error: ") || e.starts_with("Error from server") {
                out.fail(e);
            } else {
                out.fail(format!("error: {e}"));
            }
        }
        _ => {
            for e in &errors {
                out.errln(e);
            }
            out.exit = 1;
        }
    }
}

/// pflag's int64 flag value.
fn int_flag(p: &Parsed, name: &str, sub: &str) -> Result<i64, String> {
    match p.get(name) {
        None => Ok(0),
        Some(v) => v.parse::<i64>().map_err(|_| {
            format!(
                "error: invalid argument {v:?} for \"--{name}\" flag: strconv.ParseInt: parsing {v:?}: invalid syntax\nSee 'kubectl rollout {sub} --help' for usage."
            )
        }),
    }
}

/// Go's `time.ParseDuration` for the units a person types (`0`, `500ms`, `30s`, `2m`, `1h30m`, `-1s`).
pub fn parse_go_duration(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if body == "0" {
        return Some(0);
    }
    let mut total: f64 = 0.0;
    let mut rest = body;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if num_len == 0 {
            return None;
        }
        let value: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "ns" => 1e-6,
            "us" | "µs" | "μs" => 1e-3,
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += value * factor;
        if !total.is_finite() || total > 9.2e15 {
            return None;
        }
    }
    let ms = total as i64;
    Some(if neg { -ms } else { ms })
}

// ---------------------------------------------------------------------------------------- status

/// `StatefulSetStatusViewer.Status`: the line (without its newline) and whether the rollout is done, or
/// the error that ends `rollout status`.
pub fn statefulset_status(s: &StatefulSet) -> Result<(String, bool), String> {
    if s.spec.update_strategy.type_ != "RollingUpdate" {
        return Err("rollout status is only available for RollingUpdate strategy type".into());
    }
    let st = &s.status;
    if st.observed_generation == 0 || s.metadata.generation > st.observed_generation {
        return Ok(("Waiting for statefulset spec update to be observed...".into(), false));
    }
    let replicas = s.spec.replicas.map(i64::from);
    if let Some(r) = replicas {
        if i64::from(st.ready_replicas) < r {
            return Ok((format!("Waiting for {} pods to be ready...", r - i64::from(st.ready_replicas)), false));
        }
    }
    if let Some(ru) = &s.spec.update_strategy.rolling_update {
        if let (Some(r), Some(partition)) = (replicas, ru.partition) {
            let want = r - i64::from(partition);
            if i64::from(st.updated_replicas) < want {
                return Ok((
                    format!(
                        "Waiting for partitioned roll out to finish: {} out of {want} new pods have been updated...",
                        st.updated_replicas
                    ),
                    false,
                ));
            }
        }
        return Ok((
            format!("partitioned roll out complete: {} new pods have been updated...", st.updated_replicas),
            true,
        ));
    }
    if st.update_revision != st.current_revision {
        return Ok((
            format!(
                "waiting for statefulset rolling update to complete {} pods at revision {}...",
                st.updated_replicas, st.update_revision
            ),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {}...",
            st.current_replicas, st.current_revision
        ),
        true,
    ))
}

/// Virtual time a watching `kubectl rollout status` takes to start before its first evaluation.
const KUBECTL_STARTUP_MS: i64 = 100;

fn status(t: &mut Terminal, p: &Parsed, out: &mut Output) {
    let revision = match int_flag(p, "revision", "status") {
        Ok(v) => v,
        Err(e) => return out.fail(e),
    };
    let timeout_ms = match p.get("timeout") {
        None => 0,
        Some(v) => match parse_go_duration(v) {
            Some(ms) => ms.max(0),
            None => {
                return out.fail(format!(
                    "error: invalid argument {v:?} for \"--timeout\" flag: time: invalid duration {v:?}\nSee 'kubectl rollout status --help' for usage."
                ))
            }
        },
    };
    if revision < 0 {
        return out.fail(format!("error: revision must be a positive integer: {revision}"));
    }
    let watch = !matches!(p.get("watch"), Some("false"));
    let (found, errors) = match targets(&t.world, p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    if let Some(e) = errors.into_iter().next() {
        return out.fail(e);
    }
    if found.len() != 1 {
        return out.fail(format!(
            "error: rollout status is only supported on individual resources and resource collections - {} resources were found",
            found.len()
        ));
    }
    let (r, obj) = &found[0];
    let Object::StatefulSet(sts) = obj else {
        return out.fail(format!("error: no status viewer has been implemented for {}", group_kind(*r)));
    };
    let (ns, name) = (sts.metadata.namespace.clone(), sts.metadata.name.clone());
    // A watching kubectl takes a moment to start (config, discovery) before its first list: by then the
    // controller has usually observed a change just applied, as on a real cluster.
    let already_done = matches!(statefulset_status(sts), Ok((_, true)));
    if watch && !already_done && t.interactive {
        // The browser: the same first evaluation after the same startup delay, made by the job as the clock
        // moves (see `jobs::Job::RolloutStatus`).
        let start_at = t.world.now.plus_millis(KUBECTL_STARTUP_MS);
        t.job = Some(crate::jobs::Job::RolloutStatus(Box::new(crate::jobs::RolloutStatusJob::new(
            ns, name, start_at, timeout_ms,
        ))));
        return;
    }
    let sts = if watch && !already_done {
        t.world.run_for(KUBECTL_STARTUP_MS);
        match t.world.get_sts(&ns, &name) {
            Some(s) => s.clone(),
            None => return out.fail("error: object has been deleted"),
        }
    } else {
        sts.clone()
    };
    // The informer's initial list: one evaluation of the object as it is now.
    match statefulset_status(&sts) {
        Err(e) => return out.fail(format!("error: {e}")),
        Ok((line, done)) => {
            out.outln(line);
            if done || !watch {
                return;
            }
        }
    }
    let w = &mut t.world;
    let mut rv = w.store.resource_version();
    let user_timeout = timeout_ms > 0;
    let wait_ms = if user_timeout { timeout_ms.min(STATUS_TIMEOUT_MAX_MS) } else { STATUS_WAIT_CAP_MS };
    let deadline = w.now.plus_millis(wait_ms);
    loop {
        match w.next_due() {
            Some(due) if due <= deadline => {
                w.step();
            }
            None if !user_timeout => {
                out.hint(
                    "the rollout cannot finish: nothing more is scheduled in the cluster (kubectl would keep waiting; Ctrl-C)",
                );
                out.exit = 1;
                return;
            }
            _ => {
                w.run_until(deadline);
                if user_timeout {
                    out.fail("error: timed out waiting for the condition");
                } else {
                    out.hint(format!(
                        "stopped waiting after {} of virtual time; the rollout is not complete (kubectl would keep waiting; Ctrl-C)",
                        crate::duration::human_duration(STATUS_WAIT_CAP_MS)
                    ));
                    out.exit = 1;
                }
                return;
            }
        }
        let events: Vec<(WatchType, Object)> = w
            .store
            .watch_since(rv)
            .filter(|e| {
                e.object.kind() == Kind::StatefulSet && e.object.meta().namespace == ns && e.object.meta().name == name
            })
            .map(|e| (e.type_, (*e.object).clone()))
            .collect();
        rv = w.store.resource_version();
        for (ty, o) in events {
            if ty == WatchType::Deleted {
                return out.fail("error: object has been deleted");
            }
            let Object::StatefulSet(s) = &o else { continue };
            match statefulset_status(s) {
                Err(e) => return out.fail(format!("error: {e}")),
                Ok((line, done)) => {
                    out.outln(line);
                    if done {
                        return;
                    }
                }
            }
        }
    }
}

// --------------------------------------------------------------------------------------- history

/// `controlledHistoryV1`: the ControllerRevisions in the set's namespace that its selector selects and
/// that it controls, in name order (the API's list order).
pub fn controlled_history<'a>(w: &'a World, sts: &StatefulSet) -> Vec<&'a ControllerRevision> {
    let Some(selector) = sts.spec.selector.as_ref().and_then(Selector::from_label_selector) else {
        return Vec::new();
    };
    w.store
        .list(Kind::ControllerRevision, Some(&sts.metadata.namespace))
        .filter_map(|o| o.as_revision())
        .filter(|r| selector.matches(&r.metadata.labels))
        .filter(|r| r.metadata.controller_ref().is_some_and(|c| c.uid == sts.metadata.uid))
        .collect()
}

/// `StatefulSetHistoryViewer.ViewHistory` (through `printHistory`).
pub fn view_history(w: &World, sts: &StatefulSet, revision: i64) -> Result<String, String> {
    let mut by_revision: std::collections::BTreeMap<i64, &ControllerRevision> = std::collections::BTreeMap::new();
    for r in controlled_history(w, sts) {
        by_revision.insert(r.revision, r);
    }
    if by_revision.is_empty() {
        return Ok("No rollout history found.".into());
    }
    if revision > 0 {
        let Some(rev) = by_revision.get(&revision) else {
            return Err("unable to find the specified revision".into());
        };
        let applied = apply_revision(sts, rev);
        return Ok(crate::describe::pod_template_text(&applied.spec.template));
    }
    let mut text = String::from("REVISION\tCHANGE-CAUSE\n");
    for (n, r) in &by_revision {
        let cause = r.metadata.annotations.get(CHANGE_CAUSE).filter(|c| !c.is_empty()).map(String::as_str);
        text.push_str(&format!("{n}\t{}\n", cause.unwrap_or("<none>")));
    }
    Ok(crate::tabwriter::describe_table(&text))
}

fn history(t: &mut Terminal, p: &Parsed, out: &mut Output) {
    let revision = match int_flag(p, "revision", "history") {
        Ok(v) => v,
        Err(e) => return out.fail(e),
    };
    if revision < 0 {
        return out.fail(format!("error: revision must be a positive integer: {revision}"));
    }
    if let Some(o) = p.get("output") {
        return out.fail(format!("stsplay: `kubectl rollout history -o {o}` is not available in this playground yet"));
    }
    let (found, mut errors) = match targets(&t.world, p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    for (r, obj) in &found {
        let Object::StatefulSet(sts) = obj else {
            if *r == Res::Kind(Kind::Pod) {
                errors.push(format!("no history viewer has been implemented for {:?}", group_kind(*r)));
            } else {
                errors.push(format!(
                    "error retrieving history for {:?}, no visitor method exists for {}",
                    group_kind(*r),
                    group_kind_element(*r)
                ));
            }
            continue;
        };
        match view_history(&t.world, sts, revision) {
            Ok(text) => {
                let with = if revision > 0 { format!("with revision #{revision}") } else { String::new() };
                out.out(format!("statefulset.apps/{} {with}\n{text}\n", sts.metadata.name));
            }
            Err(e) => errors.push(e),
        }
    }
    report(errors, out);
}

// ------------------------------------------------------------------------------------------ undo

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DryRun {
    None,
    Client,
    Server,
}

/// `StatefulSetRollbacker.Rollback`: the operation kubectl prints after the name, or the error.
fn rollback(w: &mut World, sts: &StatefulSet, to: i64, dry: DryRun) -> Result<String, String> {
    let not_found = |r: i64| format!("unable to find specified revision {r} in history");
    if to < 0 {
        return Err(not_found(to));
    }
    let mut history: Vec<ControllerRevision> = controlled_history(w, sts).into_iter().cloned().collect();
    if to == 0 && history.len() <= 1 {
        return Err("no last revision to roll back to".into());
    }
    let target = if to == 0 {
        history.sort_by_key(|r| r.revision);
        history.len().checked_sub(2).and_then(|i| history.get(i)).cloned()
    } else {
        history.iter().find(|r| r.revision == to).cloned()
    };
    let Some(rev) = target else { return Err(not_found(to)) };
    if dry == DryRun::Client {
        let applied = apply_revision(sts, &rev);
        return Ok(format!("will roll back to {}", crate::describe::pod_template_text(&applied.spec.template)));
    }
    if revision_data(sts) == rev.data {
        return Ok(format!("skipped rollback (current template already matches revision {to})"));
    }
    if dry == DryRun::Server {
        return Ok("rolled back".into());
    }
    let current = Object::StatefulSet(sts.clone()).to_json();
    let patched = crate::patch::strategic_merge(&current, &rev.data, false)
        .map_err(|e| format!("failed restoring revision {to}: {e}"))?;
    let obj =
        Object::from_json(Kind::StatefulSet, &patched).map_err(|e| format!("failed restoring revision {to}: {e}"))?;
    w.api_update(obj).map_err(|e| format!("failed restoring revision {to}: {}", e.message))?;
    Ok("rolled back".into())
}

fn undo(t: &mut Terminal, p: &Parsed, out: &mut Output) {
    let to = match int_flag(p, "to-revision", "undo") {
        Ok(v) => v,
        Err(e) => return out.fail(e),
    };
    let dry = match p.get("dry-run") {
        None | Some("none") => DryRun::None,
        Some("client") | Some("unchanged") => DryRun::Client,
        Some("server") => DryRun::Server,
        Some(other) => {
            return out
                .fail(format!("error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."))
        }
    };
    let suffix = match dry {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    };
    let (found, mut errors) = match targets(&t.world, p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    for (r, obj) in &found {
        let Object::StatefulSet(sts) = obj else {
            if *r == Res::Kind(Kind::Pod) {
                errors.push(format!("no rollbacker has been implemented for {:?}", group_kind(*r)));
            } else {
                errors.push(format!(
                    "error retrieving rollbacker for {:?}, no visitor method exists for {}",
                    group_kind(*r),
                    group_kind_element(*r)
                ));
            }
            continue;
        };
        match rollback(&mut t.world, sts, to, dry) {
            Ok(op) => out.outln(format!("statefulset.apps/{} {op}{suffix}", sts.metadata.name)),
            Err(e) => errors.push(e),
        }
    }
    report(errors, out);
}

// --------------------------------------------------------------------------------------- restart

fn restart(t: &mut Terminal, p: &Parsed, out: &mut Output) {
    let (found, mut errors) = match targets(&t.world, p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    let at = t.world.now.rfc3339();
    // kubectl computes every patch first, then sends them.
    let mut patches = Vec::new();
    for (r, obj) in found {
        let name = obj.meta().name.clone();
        let Object::StatefulSet(sts) = obj else {
            errors.push(format!("error: {} {name:?} restarting is not supported", resource_string(r)));
            continue;
        };
        let mut updated = sts.clone();
        updated.spec.template.metadata.annotations.insert(RESTARTED_AT.into(), at.clone());
        patches.push((updated != sts, updated));
    }
    for (changed, sts) in patches {
        let name = sts.metadata.name.clone();
        if !changed {
            // Restarted twice in the same second: the two-way patch is empty. kubectl notes it and still
            // sends the (empty) patch.
            errors.push(format!("failed to create patch for {name}: empty patch"));
        } else if let Err(e) = t.world.api_update(Object::StatefulSet(sts)) {
            errors.push(format!("failed to patch: {}", e.message));
            continue;
        }
        out.outln(format!("statefulset.apps/{name} restarted"));
    }
    report(errors, out);
}

// -------------------------------------------------------------------------------- pause / resume

/// `rollout pause` / `rollout resume`: only Deployments can be paused, so every target is refused.
fn refuse(t: &mut Terminal, p: &Parsed, sub: &str, out: &mut Output) {
    let (found, mut errors) = match targets(&t.world, p) {
        Ok(x) => x,
        Err(e) => return out.fail(e),
    };
    let what = if sub == "pause" { "pausing" } else { "resuming" };
    for (r, obj) in &found {
        errors.push(format!("error: {} {:?} {what} is not supported", resource_string(*r), obj.meta().name));
    }
    let any_sts = found.iter().any(|(r, _)| is_sts(*r));
    report(errors, out);
    if any_sts && sub == "pause" {
        out.hint("only Deployments can be paused; to stage a StatefulSet update, set spec.updateStrategy.rollingUpdate.partition");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminal::MemoryFiles;
    use stsplay_model::objects::RollingUpdateStatefulSetStrategy;

    const WEB: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
        ports:
        - containerPort: 80
          name: web
";

    fn files() -> MemoryFiles {
        MemoryFiles([("web.yaml".to_string(), WEB.to_string())].into())
    }

    fn run(t: &mut Terminal, cmd: &str) -> Output {
        t.run(cmd, &files())
    }

    fn sts(generation: i64, observed: i64, replicas: i32, ready: i32, updated: i32) -> StatefulSet {
        let mut s = StatefulSet::default();
        s.metadata.generation = generation;
        s.spec.replicas = Some(replicas);
        s.spec.update_strategy.type_ = "RollingUpdate".into();
        s.spec.update_strategy.rolling_update =
            Some(RollingUpdateStatefulSetStrategy { partition: Some(0), ..Default::default() });
        s.status.observed_generation = observed;
        s.status.ready_replicas = ready;
        s.status.updated_replicas = updated;
        s
    }

    #[test]
    fn status_decision_order() {
        let line = |s: &StatefulSet| statefulset_status(s).map(|(l, d)| format!("{l}|{d}"));
        assert_eq!(line(&sts(1, 0, 3, 0, 0)).unwrap(), "Waiting for statefulset spec update to be observed...|false");
        assert_eq!(line(&sts(2, 1, 3, 3, 3)).unwrap(), "Waiting for statefulset spec update to be observed...|false");
        assert_eq!(line(&sts(1, 1, 3, 1, 1)).unwrap(), "Waiting for 2 pods to be ready...|false");
        assert_eq!(
            line(&sts(1, 1, 3, 3, 1)).unwrap(),
            "Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...|false"
        );
        assert_eq!(
            line(&sts(1, 1, 3, 3, 3)).unwrap(),
            "partitioned roll out complete: 3 new pods have been updated...|true"
        );
        let mut p2 = sts(1, 1, 3, 3, 1);
        p2.spec.update_strategy.rolling_update =
            Some(RollingUpdateStatefulSetStrategy { partition: Some(2), ..Default::default() });
        assert_eq!(line(&p2).unwrap(), "partitioned roll out complete: 1 new pods have been updated...|true");
        let mut plain = sts(1, 1, 3, 3, 1);
        plain.spec.update_strategy.rolling_update = None;
        plain.status.current_revision = "web-1".into();
        plain.status.update_revision = "web-2".into();
        assert_eq!(
            line(&plain).unwrap(),
            "waiting for statefulset rolling update to complete 1 pods at revision web-2...|false"
        );
        plain.status.current_revision = "web-2".into();
        plain.status.current_replicas = 3;
        assert_eq!(line(&plain).unwrap(), "statefulset rolling update complete 3 pods at revision web-2...|true");
        let mut ondelete = sts(1, 1, 3, 3, 3);
        ondelete.spec.update_strategy.type_ = "OnDelete".into();
        assert_eq!(line(&ondelete).unwrap_err(), "rollout status is only available for RollingUpdate strategy type");
        // extreme values do not overflow
        let mut huge = sts(1, 1, i32::MAX, i32::MIN, 0);
        huge.spec.update_strategy.rolling_update =
            Some(RollingUpdateStatefulSetStrategy { partition: Some(i32::MIN), ..Default::default() });
        assert!(line(&huge).is_ok());
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("0"), Some(0));
        assert_eq!(parse_go_duration("30s"), Some(30_000));
        assert_eq!(parse_go_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_go_duration("1.5s"), Some(1500));
        assert_eq!(parse_go_duration("-1s"), Some(-1000));
        for bad in ["", "10", "s", "1x", "-", "1e400s", "99999999999999999999h"] {
            assert_eq!(parse_go_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn status_after_apply_runs_to_completion() {
        let mut t = Terminal::new(1);
        assert_eq!(run(&mut t, "kubectl apply -f web.yaml").exit, 0);
        let o = run(&mut t, "kubectl rollout status sts/web");
        assert_eq!(o.exit, 0, "{}", o.text());
        let text = o.stdout();
        // kubectl starts after the controller observed the new set (reference §4.9's common output).
        assert!(text.starts_with("Waiting for 3 pods to be ready...\n"), "{text}");
        assert!(text.ends_with("partitioned roll out complete: 3 new pods have been updated...\n"), "{text}");
        // done now: one line, no time passes
        let now = t.world.now;
        assert_eq!(
            run(&mut t, "kubectl rollout status statefulset web").stdout(),
            "partitioned roll out complete: 3 new pods have been updated...\n"
        );
        assert_eq!(t.world.now, now);
    }

    #[test]
    fn status_errors() {
        let mut t = Terminal::new(1);
        run(&mut t, "kubectl apply -f web.yaml");
        let o = run(&mut t, "kubectl rollout status sts/nope");
        assert_eq!(
            (o.exit, o.stderr()),
            (1, "Error from server (NotFound): statefulsets.apps \"nope\" not found\n".into())
        );
        let o = run(&mut t, "kubectl rollout status");
        assert_eq!(o.stderr(), "error: required resource not specified\n");
        run(&mut t, "sim settle");
        let o = run(&mut t, "kubectl rollout status pod/web-0");
        assert_eq!(o.stderr(), "error: no status viewer has been implemented for Pod\n");
        let o = run(&mut t, "kubectl rollout status sts/web --timeout=abc");
        assert!(o.stderr().starts_with("error: invalid argument \"abc\" for \"--timeout\" flag"), "{}", o.stderr());
        run(&mut t, "kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.27");
        let o = run(&mut t, "kubectl rollout status sts/web -w=false");
        assert_eq!((o.exit, o.stdout()), (0, "Waiting for statefulset spec update to be observed...\n".into()));
        let o = run(&mut t, "kubectl rollout status sts/web --timeout=1s");
        assert_eq!(o.exit, 1);
        assert!(o.stderr().ends_with("error: timed out waiting for the condition\n"), "{}", o.text());
        let o = run(&mut t, "kubectl patch sts web --type merge -p '{\"spec\":{\"updateStrategy\":{\"type\":\"OnDelete\",\"rollingUpdate\":null}}}'");
        assert_eq!(o.exit, 0, "{}", o.text());
        let o = run(&mut t, "kubectl rollout status sts/web");
        assert_eq!(o.stderr(), "error: rollout status is only available for RollingUpdate strategy type\n");
    }

    #[test]
    fn history_undo_restart() {
        let mut t = Terminal::new(1);
        run(&mut t, "kubectl apply -f web.yaml");
        let o = run(&mut t, "kubectl rollout history sts/web");
        assert_eq!(o.stdout(), "statefulset.apps/web \nNo rollout history found.\n");
        run(&mut t, "sim settle");
        assert_eq!(
            run(&mut t, "kubectl rollout history sts/web").stdout(),
            "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
        );
        assert_eq!(run(&mut t, "kubectl rollout undo sts/web").stderr(), "error: no last revision to roll back to\n");
        let o = run(&mut t, "kubectl rollout history sts/web --revision=1");
        assert!(
            o.stdout().starts_with("statefulset.apps/web with revision #1\nPod Template:\n  Labels:\tapp=nginx\n"),
            "{}",
            o.stdout()
        );
        assert!(
            o.stdout().contains("    Image:\tregistry.k8s.io/nginx-slim:0.24\n    Port:\t80/TCP\n"),
            "{}",
            o.stdout()
        );
        assert!(o.stdout().ends_with("  Tolerations:\t<none>\n\n"), "{:?}", o.stdout());
        assert_eq!(
            run(&mut t, "kubectl rollout history sts/web --revision=9").stderr(),
            "error: unable to find the specified revision\n"
        );
        run(&mut t, "kubectl set image sts/web nginx=registry.k8s.io/nginx-slim:0.27");
        run(&mut t, "sim settle");
        assert_eq!(
            run(&mut t, "kubectl rollout undo sts/web --to-revision=2").stdout(),
            "statefulset.apps/web skipped rollback (current template already matches revision 2)\n"
        );
        assert_eq!(
            run(&mut t, "kubectl rollout undo sts/web --to-revision=7").stderr(),
            "error: unable to find specified revision 7 in history\n"
        );
        let o = run(&mut t, "kubectl rollout undo sts/web --dry-run=client");
        assert!(o.stdout().starts_with("statefulset.apps/web will roll back to Pod Template:\n"), "{}", o.stdout());
        assert!(o.stdout().ends_with("\n (dry run)\n"), "{:?}", o.stdout());
        assert_eq!(run(&mut t, "kubectl rollout undo sts/web").stdout(), "statefulset.apps/web rolled back\n");
        // before the controller renumbered: the previous revision is the current template now
        assert_eq!(
            run(&mut t, "kubectl rollout undo sts/web").stdout(),
            "statefulset.apps/web skipped rollback (current template already matches revision 0)\n"
        );
        run(&mut t, "sim settle");
        assert_eq!(
            run(&mut t, "kubectl rollout history sts/web").stdout(),
            "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
        );
        let image =
            |t: &Terminal| t.world.get_sts("default", "web").map(|s| s.spec.template.spec.containers[0].image.clone());
        assert_eq!(image(&t).as_deref(), Some("registry.k8s.io/nginx-slim:0.24"));
        assert_eq!(run(&mut t, "kubectl rollout restart sts/web").stdout(), "statefulset.apps/web restarted\n");
        let at = t
            .world
            .get_sts("default", "web")
            .and_then(|s| s.spec.template.metadata.annotations.get(RESTARTED_AT).cloned());
        assert_eq!(at, Some(t.world.now.rfc3339()));
        let o = run(&mut t, "kubectl rollout restart sts/web");
        assert_eq!(
            (o.exit, o.stdout(), o.stderr()),
            (
                1,
                "statefulset.apps/web restarted\n".into(),
                "error: failed to create patch for web: empty patch\n".into()
            )
        );
    }

    #[test]
    fn unsupported_kinds_and_subcommands() {
        let mut t = Terminal::new(1);
        run(&mut t, "kubectl apply -f web.yaml");
        run(&mut t, "sim settle");
        let err = |t: &mut Terminal, c: &str| run(t, c).stderr();
        assert_eq!(
            err(&mut t, "kubectl rollout pause sts/web").lines().next(),
            Some("error: statefulsets.apps \"web\" pausing is not supported")
        );
        assert_eq!(
            err(&mut t, "kubectl rollout resume sts/web").lines().next(),
            Some("error: statefulsets.apps \"web\" resuming is not supported")
        );
        assert_eq!(
            err(&mut t, "kubectl rollout restart pod/web-0"),
            "error: pods \"web-0\" restarting is not supported\n"
        );
        assert_eq!(
            err(&mut t, "kubectl rollout history po web-0"),
            "error: no history viewer has been implemented for \"Pod\"\n"
        );
        assert_eq!(
            err(&mut t, "kubectl rollout history storageclass standard"),
            "error: error retrieving history for \"StorageClass.storage.k8s.io\", no visitor method exists for {storage.k8s.io StorageClass}\n"
        );
        assert_eq!(
            err(&mut t, "kubectl rollout undo pod/web-0"),
            "error: no rollbacker has been implemented for \"Pod\"\n"
        );
        assert_eq!(
            err(&mut t, "kubectl rollout undo node/kind-worker"),
            "error: error retrieving rollbacker for \"Node\", no visitor method exists for { Node}\n"
        );
        assert_eq!(
            err(&mut t, "kubectl rollout frob sts/web"),
            "error: unknown command \"frob\"\nSee 'kubectl rollout -h' for help and examples\n"
        );
        assert_eq!(
            err(&mut t, "kubectl rollout history sts/web --nope"),
            "error: unknown flag: --nope\nSee 'kubectl rollout history --help' for usage.\n"
        );
        assert_eq!(
            err(&mut t, "kubectl rollout history web"),
            "error: the server doesn't have a resource type \"web\"\n"
        );
        let o = run(&mut t, "kubectl rollout");
        assert_eq!(o.exit, 1);
        assert!(o.stdout().starts_with("Manage the rollout of one or many resources."));
        // many odd inputs never panic
        for c in [
            "kubectl rollout status sts/",
            "kubectl rollout status /web",
            "kubectl rollout undo sts/web --to-revision=-1",
            "kubectl rollout undo sts/web --to-revision=99999999999999999999",
            "kubectl rollout history sts/web --revision=-3",
            "kubectl rollout status sts/web --timeout=-5s",
            "kubectl rollout status sts web other",
            "kubectl rollout status sts,po web",
            "kubectl rollout undo sts -l app=nginx",
            "kubectl rollout restart sts -l 'a in (b'",
            "kubectl rollout history sts",
        ] {
            let _ = run(&mut t, c);
        }
    }
}
