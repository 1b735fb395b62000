//! The simulator's own commands (`sim ...`): move virtual time, inject faults, reset.

use crate::output::Output;
use crate::terminal::Terminal;
use stsplay_cluster::world::{Action, SETTLE_CAP_MS};
use stsplay_cluster::{WatchType, World};
use stsplay_model::kinds::{Kind, Object};

pub const SIM_HELP: &str = "\
Simulator commands (virtual time only moves when you say so):
  sim step [N]              process the next N scheduled events (default 1), one line per change
  sim run DURATION          advance virtual time (500ms, 10s, 2m, 1h)
  sim settle                run until nothing more is scheduled (at most 30m of virtual time)
  sim time                  show the virtual clock
  sim reset                 a fresh default cluster (same seed)
  sim node fail NODE        the node's kubelet stops (NotReady after 50s, evictions after 300s)
  sim node recover NODE     the node's kubelet comes back
  sim pod fail POD          the pod's containers exit; its phase becomes Failed
  sim image break IMAGE     pulls of IMAGE fail (ErrImagePull, ImagePullBackOff)
  sim image fix IMAGE       pulls of IMAGE succeed again
  sim why [STATEFULSET]     what the controller's last sync held back, and why (the rule that holds it)
  sim gate NAME=true|false  a feature gate (MaxUnavailableStatefulSet: off by default in 1.34)
  sim lint FILE             the editor's problems for a manifest: errors, warnings, did-you-mean, fixes
  sim help                  this text
";

pub const TERMINAL_HELP: &str = "\
This terminal speaks kubectl (as kubectl 1.34 prints it) and the simulator's sim commands.
kubectl: apply, create, get (-o wide|yaml|json|name|jsonpath|custom-columns, -w, --sort-by), describe,
         explain, delete, scale, patch, set image, rollout status|history|undo|restart, exec, run, logs,
         label, annotate, cordon, uncordon, drain, api-resources, api-versions, version.
sim:     step, run, settle, time, reset, why, gate, lint, node fail|recover, pod fail, image break|fix
         (sim help). Virtual time moves only with sim commands and with commands that wait
         (delete, drain, rollout status, get -w: they run until done or the cluster settles).
DNS/web: nslookup NAME, curl URL, wget -qO- URL run as if in a busybox:1.28 debug pod in namespace default
Shell:   'single' and \"double\" quotes, \\ escapes, $VAR, ; && ||, heredocs (<<EOF),
         pipes into grep, head, tail, wc -l, sort. Not supported: redirection to files, other programs.
";

/// Parses `500ms`, `10s`, `2m`, `1h`, `1m30s` into milliseconds.
pub fn parse_duration(s: &str) -> Option<i64> {
    let mut total: i64 = 0;
    let mut num = String::new();
    let b = s.as_bytes();
    let mut i = 0;
    if s.is_empty() {
        return None;
    }
    while i < b.len() {
        let c = b[i] as char;
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            i += 1;
            continue;
        }
        let unit: String = s[i..].chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        i += unit.len();
        let v: f64 = num.parse().ok()?;
        num.clear();
        let ms = match unit.as_str() {
            "ms" => v,
            "s" => v * 1000.0,
            "m" => v * 60_000.0,
            "h" => v * 3_600_000.0,
            _ => return None,
        };
        if !ms.is_finite() || ms > 1e13 {
            return None;
        }
        total = total.checked_add(ms as i64)?;
    }
    if !num.is_empty() {
        return None;
    }
    Some(total)
}

fn describe_action(w: &World, a: &Action) -> String {
    match a {
        Action::Kubelet(uid, step) => {
            let name = w.store.get_uid(uid).map(|o| o.meta().name.clone()).unwrap_or_else(|| uid.clone());
            format!("kubelet: {step:?} for pod {name}")
        }
        Action::Provision(uid) => {
            let name = w.store.get_uid(uid).map(|o| o.meta().name.clone()).unwrap_or_else(|| uid.clone());
            format!("provisioner: provision a volume for claim {name}")
        }
        other => other.describe(),
    }
}

/// A one-line summary of an object's state for change lines.
fn summary(o: &Object) -> String {
    match o {
        Object::Pod(p) => {
            let mut s = format!("{} {}", crate::printers::pod_status(p), crate::printers::pod_ready(p));
            if !p.spec.node_name.is_empty() {
                s.push_str(&format!(" on {}", p.spec.node_name));
            }
            if let Some(ip) = &p.status.pod_ip {
                s.push_str(&format!(" ip {ip}"));
            }
            s
        }
        Object::PersistentVolumeClaim(c) => match &c.spec.volume_name {
            Some(v) => format!("{} {v}", c.phase()),
            None => c.phase().to_string(),
        },
        Object::PersistentVolume(v) => {
            let claim = v.spec.claim_ref.as_ref().map(|r| format!(" {}/{}", r.namespace, r.name)).unwrap_or_default();
            format!("{}{claim}", v.status.phase)
        }
        Object::StatefulSet(s) => format!(
            "ready {}/{} current {} updated {}",
            s.status.ready_replicas,
            s.replicas(),
            s.status.current_replicas,
            s.status.updated_replicas
        ),
        Object::ControllerRevision(r) => format!("revision {}", r.revision),
        Object::Node(n) => {
            if n.is_ready() {
                "Ready".into()
            } else {
                "NotReady".into()
            }
        }
        _ => String::new(),
    }
}

/// Lines for what happened since (rv, trace index): controller decisions and object changes, in order.
fn changes(w: &World, since_rv: u64, since_trace: usize, with_objects: bool) -> Vec<String> {
    let mut lines: Vec<(u64, usize, String)> = Vec::new();
    for (i, t) in w.trace.iter().enumerate().skip(since_trace) {
        lines.push((t.rv, i, format!("[{}] {}: {}", t.at, t.component, t.message)));
    }
    if with_objects {
        for (i, e) in w.store.watch_since(since_rv).enumerate() {
            if e.object.kind() == Kind::Event {
                continue;
            }
            let kind = e.object.kind().singular();
            let verb = match e.type_ {
                WatchType::Added => "added",
                WatchType::Modified => "changed",
                WatchType::Deleted => "deleted",
            };
            let s = summary(&e.object);
            let line = if s.is_empty() || e.type_ == WatchType::Deleted {
                format!("[{}]   {verb} {kind}/{}", e.at, e.object.meta().name)
            } else {
                format!("[{}]   {verb} {kind}/{}: {s}", e.at, e.object.meta().name)
            };
            lines.push((e.rv, usize::MAX - 1_000_000 + i, line));
        }
    }
    lines.sort_by_key(|(rv, i, _)| (*rv, *i));
    lines.into_iter().map(|(_, _, l)| l).collect()
}

/// `sim lint FILE`: the problems list the editor shows, judged against this cluster.
fn lint(t: &Terminal, path: &str, files: &dyn crate::terminal::FileSource, out: &mut Output) {
    let text = match files.read(path) {
        Ok(t) => t,
        Err(_) => return out.fail(format!("sim: {path}: no such file")),
    };
    let kinds = [Kind::StorageClass, Kind::PersistentVolume, Kind::Service, Kind::Pod];
    let objects: Vec<&Object> = kinds.iter().flat_map(|k| t.world.store.list(*k, None)).collect();
    let ctx = stsplay_model::lint::ClusterContext::from_objects(objects);
    let problems = stsplay_model::lint::problems(&text, &ctx);
    if problems.is_empty() {
        out.outln(format!("{path}: no problems"));
        return;
    }
    for p in &problems {
        let sev = match p.severity {
            stsplay_model::problems::Severity::Error => "Error",
            stsplay_model::problems::Severity::Warning => "Warning",
        };
        let path_txt = if p.path.is_empty() { String::new() } else { format!(" {}:", p.path) };
        out.outln(format!("{path}:{}:{}: {sev}:{path_txt} {}", p.line, p.column, p.message));
        if let Some(d) = &p.did_you_mean {
            out.outln(format!("    did you mean: {d}"));
        }
        if let Some(f) = &p.fix {
            out.outln(format!("    fix: {}", f.title));
        }
    }
    let errors = problems.iter().filter(|p| p.severity == stsplay_model::problems::Severity::Error).count();
    out.outln(format!("{errors} error(s), {} warning(s)", problems.len() - errors));
    if errors > 0 {
        out.exit = 1;
    }
}

pub fn sim(t: &mut Terminal, args: &[String], out: &mut Output) {
    sim_with_files(t, args, &crate::terminal::NoFiles, out)
}

pub fn sim_with_files(t: &mut Terminal, args: &[String], files: &dyn crate::terminal::FileSource, out: &mut Output) {
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    match a.as_slice() {
        [] | ["help"] | ["--help"] | ["-h"] => out.out(SIM_HELP),
        ["lint", path] => lint(t, path, files, out),
        ["why"] | ["why", _] => {
            let w = &t.world;
            let wanted = a.get(1).map(|n| n.trim_start_matches("sts/").trim_start_matches("statefulset/"));
            let mut any = false;
            for (key, r) in &w.why {
                let name = key.split_once('/').map(|(_, n)| n).unwrap_or(key);
                if wanted.is_some_and(|wn| wn != name) {
                    continue;
                }
                any = true;
                if r.reasons.is_empty() {
                    out.outln(format!("statefulset/{name} (synced at {}): nothing is held back", r.at));
                } else {
                    out.outln(format!("statefulset/{name} (synced at {}):", r.at));
                    for reason in &r.reasons {
                        out.outln(format!("  {reason}"));
                    }
                }
            }
            if !any {
                match wanted {
                    Some(n) => out.fail(format!("sim: no StatefulSet {n:?} has been synced")),
                    None => out.outln("no StatefulSet has been synced yet"),
                }
            }
        }
        ["gate"] => out.outln(format!("MaxUnavailableStatefulSet={}", t.world.gates.max_unavailable_stateful_set)),
        ["gate", spec] => match spec.split_once('=') {
            Some(("MaxUnavailableStatefulSet", v @ ("true" | "false"))) => {
                t.world.gates.max_unavailable_stateful_set = v == "true";
                out.outln(format!("feature gate MaxUnavailableStatefulSet={v}"));
            }
            _ => out.fail(format!(
                "sim: unknown feature gate setting {spec:?}; known: MaxUnavailableStatefulSet=true|false"
            )),
        },
        ["step"] | ["step", _] => {
            let n: usize = match a.get(1) {
                None => 1,
                Some(v) => match v.parse() {
                    Ok(n) if n > 0 && n <= 100_000 => n,
                    _ => return out.fail(format!("sim: step count must be a number from 1 to 100000, not {v:?}")),
                },
            };
            for _ in 0..n {
                let w = &mut t.world;
                let Some(action) = w.peek_action().cloned() else {
                    out.outln(format!("[{}] nothing is scheduled", w.now));
                    break;
                };
                let desc = describe_action(w, &action);
                let (rv, tr) = (w.store.resource_version(), w.trace.len());
                w.step();
                let lines = changes(w, rv, tr, true);
                if lines.is_empty() {
                    out.outln(format!("[{}] {desc}: no change", w.now));
                } else {
                    for l in lines {
                        out.outln(l);
                    }
                }
            }
        }
        ["run", d] => {
            let Some(ms) = parse_duration(d) else {
                return out.fail(format!("sim: invalid duration {d:?} (examples: 500ms, 10s, 2m, 1h)"));
            };
            if ms > 24 * 3_600_000 {
                return out.fail("sim: run at most 24h at a time");
            }
            let w = &mut t.world;
            let tr = w.trace.len();
            w.run_for(ms);
            for l in changes(w, u64::MAX, tr, false) {
                out.outln(l);
            }
            out.outln(format!("[{}] ran {d}", w.now));
        }
        ["settle"] => {
            let w = &mut t.world;
            let tr = w.trace.len();
            let settled = w.settle(SETTLE_CAP_MS);
            for l in changes(w, u64::MAX, tr, false) {
                out.outln(l);
            }
            if settled {
                out.outln(format!("[{}] settled", w.now));
            } else {
                out.outln(format!(
                    "[{}] still busy after 30m of virtual time ({} events pending); stopped",
                    w.now,
                    w.pending_actions()
                ));
            }
        }
        ["time"] => {
            let w = &t.world;
            out.outln(format!("{} ({})", w.now, w.now.rfc3339()));
        }
        ["reset"] => {
            let seed = t.world.seed;
            t.world = World::new(seed);
            out.outln(format!("cluster reset (seed {seed})"));
        }
        ["node", "fail", n] => match stsplay_cluster::nodes::fail(&mut t.world, n) {
            Ok(()) => out.outln(format!("node {n}: kubelet stopped")),
            Err(e) => out.fail(format!("sim: {e}")),
        },
        ["node", "recover", n] => match stsplay_cluster::nodes::recover(&mut t.world, n) {
            Ok(()) => out.outln(format!("node {n}: kubelet is back")),
            Err(e) => out.fail(format!("sim: {e}")),
        },
        ["pod", "fail", p] => {
            let ns = "default";
            match stsplay_cluster::kubelet::fail_pod(&mut t.world, ns, p) {
                Ok(()) => out.outln(format!("pod {p}: containers exited, phase Failed")),
                Err(e) => out.fail(format!("sim: {e}")),
            }
        }
        ["image", "break", img] => {
            t.world.broken_images.insert(img.to_string());
            out.outln(format!("pulls of {img} now fail"));
        }
        ["image", "fix", img] => {
            if t.world.broken_images.remove(*img) {
                out.outln(format!("pulls of {img} succeed again"));
            } else {
                out.fail(format!("sim: {img} is not broken"));
            }
        }
        _ => {
            out.fail(format!("sim: unknown command {:?}", args.join(" ")));
            out.hint("type `sim help` for the simulator's commands");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Some(500));
        assert_eq!(parse_duration("10s"), Some(10_000));
        assert_eq!(parse_duration("2m"), Some(120_000));
        assert_eq!(parse_duration("1h"), Some(3_600_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000));
        assert_eq!(parse_duration("1.5s"), Some(1500));
        for bad in ["", "10", "x", "10x", "s", "99999999999999h"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
