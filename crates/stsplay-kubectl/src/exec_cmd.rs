//! `kubectl exec`, `kubectl run` (the debug pod of the DNS tutorials) and the terminal's own `nslookup`,
//! `curl` and `wget`, with kubectl 1.34's texts (`staging/src/k8s.io/kubectl/pkg/cmd/{exec,run,attach}`).
//!
//! How kubectl 1.34 reports what goes wrong, with a 1.34 API server (kubectl talks WebSockets to the API
//! server, which translates to SPDY towards the kubelet, so runtime errors arrive wrapped once more as
//! `Internal error occurred`):
//! * usage: `exec POD CMD` without `--` → `error: exec [POD] [COMMAND] is not supported anymore. Use exec
//!   [POD] -- [COMMAND] instead` (+ `See 'kubectl exec -h' for help and examples`); no command → `error:
//!   you must specify at least one command for the container`;
//! * the pod: `Error from server (NotFound): pods "x" not found`; Succeeded/Failed → `error: cannot exec
//!   into a container in a completed pod; current phase is Failed`; `-c` naming no container →
//!   `Error from server (BadRequest): container foo is not valid for pod web-0`; not scheduled →
//!   `Error from server (BadRequest): pod web-0 does not have a host assigned`; container not (yet or any
//!   more) running → `error: Internal error occurred: unable to upgrade connection: container not found
//!   ("nginx")`;
//! * the process: an executable the image lacks → `error: Internal error occurred: Internal error occurred:
//!   error executing command in container: failed to exec in container: failed to start exec "<id>": OCI
//!   runtime exec failed: exec failed: unable to start container process: exec: "foo": executable file not
//!   found in $PATH: unknown` (kubectl exits 1); a non-zero exit → `command terminated with exit code N`
//!   and kubectl exits N.
//!
//! `kubectl run` creates the pod for real (it is scheduled, pulls its image and starts, in virtual time,
//! as `kubectl delete` waits), then, attached (`-i`), prints `If you don't see a command prompt, try
//! pressing enter.`, runs the command in the container, records the container's exit (phase Succeeded or
//! Failed) and with `--rm` deletes the pod (`pod "dns-test" deleted from default namespace`).
//! Without `-i` the pod is created (`pod/dns-test created`) and keeps running: the simulator does not run
//! a detached pod's command. An interactive shell (`-it` with no command, or `-- sh`) cannot be simulated
//! in this line-based terminal: it ends at once, with a hint.
//!
//! The terminal's plain `nslookup NAME`, `curl URL` and `wget URL` run as if inside such a debug pod in
//! namespace `default` (busybox 1.28's `nslookup`, plus `curl`), without creating one: a convenience of the
//! playground, listed in `help`.

use crate::container::{self, Place};
use crate::flags::{self, flag, FlagSpec, Parsed};
use crate::output::{Output, Stream};
use crate::terminal::Terminal;
use stsplay_cluster::api::{ApiError, DeleteOptions};
use stsplay_cluster::World;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::labels::Selector;
use stsplay_model::objects::*;

const EXEC_FLAGS: &[FlagSpec] = &[
    flag("container", Some('c'), true),
    flag("stdin", Some('i'), false),
    flag("tty", Some('t'), false),
    flag("quiet", Some('q'), false),
    flag("pod-running-timeout", None, true),
    flag("filename", Some('f'), true),
];

/// How long `kubectl run` waits for its pod (`--pod-running-timeout`, default 1m0s), in virtual time.
const RUN_TIMEOUT_MS: i64 = 60_000;
/// The most simulated steps one `kubectl run` may take while it waits.
const MAX_WAIT_STEPS: usize = 100_000;

fn parse(args: &[String], specs: &[FlagSpec], cmd: &str, out: &mut Output) -> Option<Parsed> {
    match flags::parse(args, specs) {
        Ok(p) => Some(p),
        Err(e) => {
            out.fail(format!("error: {e}\nSee 'kubectl {cmd} --help' for usage."));
            None
        }
    }
}

/// A 64-hex-digit id (containerd's exec ids), derived from its inputs so transcripts repeat.
fn hex_id(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0u8]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    let mut s = String::new();
    for k in 0..4u64 {
        h ^= k.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        h = h.wrapping_mul(0x0000_0100_0000_01b3) ^ (h >> 29);
        s.push_str(&format!("{h:016x}"));
    }
    s
}

/// The pod a `POD` or `TYPE/NAME` argument names (kubectl's `AttachablePodForObject`: for a workload or
/// Service, its first pod).
fn find_pod(w: &World, ns: &str, arg: &str) -> Result<Pod, String> {
    let (kind, name) = match arg.split_once('/') {
        Some((t, n)) => match Kind::from_resource(t) {
            Some(k) => (k, n),
            None => return Err(format!("error: the server doesn't have a resource type {t:?}")),
        },
        None => (Kind::Pod, arg),
    };
    let Some(obj) = w.store.get_by(kind, ns, name) else {
        return Err(ApiError::not_found(kind, name).kubectl_text());
    };
    let selector: Option<Selector> = match obj {
        Object::Pod(p) => return Ok(p.clone()),
        Object::StatefulSet(s) => s.spec.selector.as_ref().and_then(Selector::from_label_selector),
        Object::Service(s) => s.spec.selector.as_ref().map(|sel| {
            Selector(
                sel.iter().map(|(k, v)| stsplay_model::labels::Requirement::Equals(k.clone(), v.clone())).collect(),
            )
        }),
        _ => None,
    };
    let Some(selector) = selector else {
        return Err(format!("error: cannot attach to {}: not implemented", kind.qualified_singular()));
    };
    // podutils.ByLogging: scheduled, running and ready pods first, then the older.
    let mut pods: Vec<&Pod> = w.pods(ns).filter(|p| selector.matches(&p.metadata.labels)).collect();
    pods.sort_by_key(|p| {
        (
            p.spec.node_name.is_empty(),
            p.status.phase != "Running",
            !p.is_ready(),
            p.metadata.creation_timestamp,
            p.metadata.name.clone(),
        )
    });
    match pods.first() {
        Some(p) => Ok((*p).clone()),
        None => Err("error: timed out waiting for the condition".into()),
    }
}

/// `podcmd.FindOrDefaultContainerByName` without a name: the default-container annotation or the first,
/// with kubectl's notice when there was a choice.
fn default_container(pod: &Pod, quiet: bool, out: &mut Output) -> usize {
    let mut i = 0;
    if let Some(name) = pod.metadata.annotations.get("kubectl.kubernetes.io/default-container") {
        match pod.spec.containers.iter().position(|c| &c.name == name) {
            Some(k) => return k,
            None => {
                out.errln(format!("Warning: default container name {name:?} not found in pod {}", pod.metadata.name));
            }
        }
    }
    if !quiet && (pod.spec.containers.len() > 1 || !pod.spec.init_containers.is_empty()) {
        let mut names: Vec<String> = pod.spec.containers.iter().map(|c| c.name.clone()).collect();
        names.extend(pod.spec.init_containers.iter().map(|c| format!("{} (init)", c.name)));
        let first = pod.spec.containers.first().map(|c| c.name.as_str()).unwrap_or("");
        out.errln(format!("Defaulted container {first:?} out of: {}", names.join(", ")));
        i = 0;
    }
    i
}

/// `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]`.
pub fn exec(t: &mut Terminal, args: &[String], stdin: Option<&str>, out: &mut Output) {
    let Some(p) = parse(args, EXEC_FLAGS, "exec", out) else { return };
    if !p.saw_dash && (p.positional.len() > 1 || (!p.positional.is_empty() && p.has("filename"))) {
        out.fail("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
        return;
    }
    let resource = p.positional.first().cloned().unwrap_or_default();
    if resource.is_empty() && !p.has("filename") {
        out.fail("error: pod, type/name or --filename must be specified");
        return;
    }
    let command: Vec<String> = p.after_dash.clone();
    if command.is_empty() {
        out.fail("error: you must specify at least one command for the container");
        return;
    }
    if p.has("filename") {
        out.fail("stsplay: kubectl exec -f is not simulated; name the pod");
        return;
    }
    let ns = p.namespace();
    let pod = match find_pod(&t.world, &ns, &resource) {
        Ok(pod) => pod,
        Err(e) => return out.fail(e),
    };
    if matches!(pod.status.phase.as_str(), "Succeeded" | "Failed") {
        out.fail(format!(
            "error: cannot exec into a container in a completed pod; current phase is {}",
            pod.status.phase
        ));
        return;
    }
    let quiet = p.bool("quiet");
    let i = match p.get("container").filter(|c| !c.is_empty()) {
        Some(name) => {
            match pod.spec.containers.iter().position(|c| c.name == name) {
                Some(i) => i,
                None => {
                    let reason = if pod.spec.init_containers.iter().any(|c| c.name == name) {
                        // An init container of a running pod has finished.
                        format!("error: Internal error occurred: unable to upgrade connection: container not found ({name:?})")
                    } else {
                        format!(
                            "Error from server (BadRequest): container {name} is not valid for pod {}",
                            pod.metadata.name
                        )
                    };
                    return out.fail(reason);
                }
            }
        }
        None => default_container(&pod, quiet, out),
    };
    let cname = pod.spec.containers.get(i).map(|c| c.name.clone()).unwrap_or_default();
    if pod.spec.node_name.is_empty() {
        out.fail(format!("Error from server (BadRequest): pod {} does not have a host assigned", pod.metadata.name));
        return;
    }
    let kubelet_up = t.world.nodes.get(&pod.spec.node_name).is_some_and(|n| n.kubelet_up);
    if !kubelet_up {
        let ip = pod.status.host_ip.clone().unwrap_or_default();
        out.fail(format!(
            "error: Internal error occurred: error dialing backend: dial tcp {ip}:10250: connect: connection refused"
        ));
        return;
    }
    let running = t
        .world
        .runtimes
        .get(&pod.metadata.uid)
        .and_then(|r| r.containers.get(i))
        .is_some_and(|c| c.started_at.is_some());
    if !running {
        out.fail(format!(
            "error: Internal error occurred: unable to upgrade connection: container not found ({cname:?})"
        ));
        return;
    }
    let interactive = p.bool("stdin");
    let tty = interactive && p.bool("tty");
    let place = Place::container(&pod, i, tty);
    let input = if interactive { stdin } else { None };
    let r = container::exec(&mut t.world, &place, &command, input);
    if let Some(msg) = r.start_error {
        let id = hex_id(&[&pod.metadata.uid, &command.join("\u{0}"), &t.world.now.0.to_string()]);
        out.fail(format!(
            "error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec {id:?}: OCI runtime exec failed: exec failed: unable to start container process: {msg}: unknown"
        ));
        return;
    }
    for (st, text) in r.out.chunks {
        // With a TTY the container's stderr comes through the terminal too.
        out.chunks.push((if tty { Stream::Stdout } else { st }, text));
    }
    if r.interactive && interactive && stdin.is_none() {
        out.hint(format!(
            "an interactive shell cannot be simulated here: it ended at once. Run commands directly: kubectl exec {} -- sh -c 'hostname; ls /'",
            pod.metadata.name
        ));
    }
    if r.out.exit != 0 {
        out.errln(format!("command terminated with exit code {}", r.out.exit));
    }
    out.exit = r.out.exit;
}

// ------------------------------------------------------------------------------------------------ run

const RUN_FLAGS: &[FlagSpec] = &[
    flag("image", None, true),
    flag("restart", None, true),
    flag("rm", None, false),
    flag("stdin", Some('i'), false),
    flag("tty", Some('t'), false),
    flag("attach", None, false),
    flag("command", None, false),
    flag("env", None, true),
    flag("labels", Some('l'), true),
    flag("port", None, true),
    flag("quiet", Some('q'), false),
    flag("image-pull-policy", None, true),
    flag("pod-running-timeout", None, true),
    flag("leave-stdin-open", None, false),
    flag("dry-run", None, true),
    flag("annotations", None, true),
    flag("expose", None, false),
    flag("privileged", None, false),
    flag("output", Some('o'), true),
    flag("overrides", None, true),
    flag("override-type", None, true),
    flag("field-manager", None, true),
    flag("save-config", None, false),
];

/// A `--image` value the image reference grammar accepts (lowercase repository, optional tag/digest).
fn valid_image(image: &str) -> bool {
    let repo = stsplay_cluster::stages::image_repository(image);
    !image.is_empty()
        && !image.chars().any(|c| c.is_whitespace())
        && !repo.chars().any(|c| c.is_ascii_uppercase())
        && !repo.starts_with(['/', '.', '-', ':'])
        && !repo.ends_with(['/', '.', '-'])
}

/// `kubectl run NAME --image=IMAGE [--restart=Never] [-i] [-t] [--rm] [--command] -- [COMMAND] [args...]`.
pub fn run(t: &mut Terminal, args: &[String], stdin: Option<&str>, out: &mut Output) {
    let Some(p) = parse(args, RUN_FLAGS, "run", out) else { return };
    let args_at_dash = if p.saw_dash { Some(p.positional.len()) } else { None };
    if p.positional.is_empty() || args_at_dash == Some(0) {
        out.fail("error: NAME is required for run");
        return;
    }
    let name = p.positional[0].clone();
    let mut rest: Vec<String> = p.positional[1..].to_vec();
    rest.extend(p.after_dash.iter().cloned());
    let image = p.get("image").unwrap_or("").to_string();
    if image.is_empty() {
        out.fail("error: --image is required");
        return;
    }
    if !valid_image(&image) {
        out.fail(format!("error: Invalid image name {image:?}: invalid reference format"));
        return;
    }
    let interactive = p.bool("stdin");
    let tty_flag = p.bool("tty");
    if tty_flag && !interactive {
        out.fail("error: -i/--stdin is required for containers with -t/--tty=true");
        return;
    }
    let restart = match p.get("restart").unwrap_or("") {
        "" if interactive => "OnFailure",
        "" => "Always",
        r @ ("Always" | "OnFailure" | "Never") => r,
        other => return out.fail(format!("error: invalid restart policy: {other}")),
    };
    let attach = p.bool("attach") || (interactive && !p.has("attach"));
    let remove = p.bool("rm");
    if !attach && remove {
        out.fail("error: --rm should only be used for attached containers");
        return;
    }
    let dry_run = p.get("dry-run").is_some_and(|d| d != "none" && d != "false");
    if attach && dry_run {
        out.fail("error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
        return;
    }
    if let Some(policy) = p.get("image-pull-policy").filter(|v| !matches!(*v, "" | "Always" | "IfNotPresent" | "Never"))
    {
        out.fail(format!("error: invalid image pull policy: {policy}"));
        return;
    }
    let ns = p.namespace();
    // The pod kubectl's BasicPod generator builds.
    let mut pod = Pod::default();
    pod.metadata.name = name.clone();
    pod.metadata.namespace = ns.clone();
    match p.get("labels") {
        Some(l) => {
            for kv in l.split(',') {
                if let Some((k, v)) = kv.split_once('=') {
                    pod.metadata.labels.insert(k.to_string(), v.to_string());
                }
            }
        }
        None => {
            pod.metadata.labels.insert("run".into(), name.clone());
        }
    }
    let mut c = Container { name: name.clone(), image: image.clone(), ..Default::default() };
    if p.bool("command") {
        c.command = rest.clone();
    } else {
        c.args = rest.clone();
    }
    for e in p.all("env") {
        let (k, v) = e.split_once('=').unwrap_or((e.as_str(), ""));
        c.env.push(EnvVar { name: k.to_string(), value: Some(v.to_string()), ..Default::default() });
    }
    if let Some(port) = p.get("port").and_then(|v| v.parse::<i32>().ok()) {
        c.ports.push(ContainerPort { container_port: port, ..Default::default() });
    }
    if let Some(policy) = p.get("image-pull-policy").filter(|v| !v.is_empty()) {
        c.image_pull_policy = Some(policy.to_string());
    }
    if interactive {
        c.extra.insert("stdin".into(), serde_json::json!(true));
        if !p.bool("leave-stdin-open") {
            c.extra.insert("stdinOnce".into(), serde_json::json!(true));
        }
    }
    if tty_flag {
        c.extra.insert("tty".into(), serde_json::json!(true));
    }
    pod.spec.containers.push(c);
    pod.spec.restart_policy = Some(restart.to_string());
    if dry_run {
        out.outln(format!("pod/{name} created (dry run)"));
        return;
    }
    if let Err(e) = t.world.api_create(Object::Pod(pod)) {
        out.fail(e.kubectl_text());
        return;
    }
    if !attach {
        out.outln(format!("pod/{name} created"));
        if !rest.is_empty() {
            out.hint("the simulator does not run the command of a pod started without -i: it stays Running; use kubectl run -i --rm ... to see its output");
        }
        return;
    }
    let quiet = p.bool("quiet");
    let code = attach_and_run(t, &ns, &name, &image, &rest, interactive, tty_flag, stdin, quiet, restart, out);
    if remove {
        match t.world.api_delete(Kind::Pod, &ns, &name, DeleteOptions::default()) {
            Ok(_) => out.outln(format!("pod {name:?} deleted from {ns} namespace")),
            Err(e) if e.reason == stsplay_cluster::StatusReason::NotFound => {}
            Err(e) => out.errln(e.kubectl_text()),
        }
    }
    match code {
        RunEnd::Done(0) | RunEnd::Detached => {}
        RunEnd::Done(rc) => {
            out.errln(format!("pod {ns}/{name} terminated (Error)"));
            out.exit = rc;
        }
        RunEnd::StartError(msg) => {
            out.errln(format!("pod {ns}/{name} terminated (StartError)\nfailed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: {msg}: unknown"));
            out.exit = 128;
        }
        RunEnd::Error(msg) => out.fail(msg),
    }
}

enum RunEnd {
    /// The command ran to its end with this exit code.
    Done(i32),
    /// The container could not start its process.
    StartError(String),
    /// kubectl returned after attaching without waiting for the exit (restartPolicy Always).
    Detached,
    /// kubectl's own error (`timed out waiting for the condition`).
    Error(String),
}

/// Waits (in virtual time) for the pod to run, attaches, runs its command, records the exit.
#[allow(clippy::too_many_arguments)]
fn attach_and_run(
    t: &mut Terminal,
    ns: &str,
    name: &str,
    image: &str,
    rest: &[String],
    interactive: bool,
    tty: bool,
    stdin: Option<&str>,
    quiet: bool,
    restart: &str,
    out: &mut Output,
) -> RunEnd {
    // What the container runs: the arguments, or the image's default command.
    let argv: Vec<String> = if rest.is_empty() {
        match stsplay_cluster::exec::userland(image) {
            stsplay_cluster::exec::Userland::Debian if stsplay_cluster::exec::nginx_version(image).is_some() => vec![],
            _ => vec!["sh".to_string()],
        }
    } else {
        rest.to_vec()
    };
    // podRunningAndReady, in virtual time.
    let limit = t.world.now.plus_millis(RUN_TIMEOUT_MS);
    let mut steps = 0;
    loop {
        let Some(pod) = t.world.get_pod(ns, name) else {
            return RunEnd::Error(format!("Error from server (NotFound): pods {name:?} not found"));
        };
        if pod.is_running_and_ready() || matches!(pod.status.phase.as_str(), "Succeeded" | "Failed") {
            break;
        }
        if steps >= MAX_WAIT_STEPS {
            return RunEnd::Error("error: timed out waiting for the condition".into());
        }
        match t.world.next_due() {
            Some(due) if due <= limit => {
                t.world.step();
                steps += 1;
            }
            _ => {
                t.world.run_until(limit);
                return RunEnd::Error("error: timed out waiting for the condition".into());
            }
        }
    }
    let Some(pod) = t.world.get_pod(ns, name).cloned() else {
        return RunEnd::Error(format!("Error from server (NotFound): pods {name:?} not found"));
    };
    if argv.is_empty() {
        // A server (nginx): attached, its logs would stream until Ctrl-C.
        if !quiet {
            out.errln("If you don't see a command prompt, try pressing enter.");
        }
        out.hint("the container runs a server that does not exit; kubectl stays attached until Ctrl-C (not simulated)");
        return RunEnd::Detached;
    }
    let place = Place::container(&pod, 0, tty);
    let r = container::exec(&mut t.world, &place, &argv, if interactive { stdin } else { None });
    if let Some(msg) = r.start_error {
        let _ = stsplay_cluster::exec::complete_pod(&mut t.world, ns, name, 128);
        return RunEnd::StartError(msg);
    }
    if !quiet {
        out.errln("If you don't see a command prompt, try pressing enter.");
    }
    for (st, text) in r.out.chunks {
        out.chunks.push((if tty { Stream::Stdout } else { st }, text));
    }
    if r.interactive && stdin.is_none() {
        out.hint(format!(
            "an interactive shell cannot be simulated here: it ended at once. Pass the command after --: kubectl run -i --tty --image {image} {name} --restart=Never --rm -- nslookup web-0.nginx"
        ));
    }
    let code = r.out.exit;
    if restart == "Always" {
        if interactive && tty {
            out.outln(format!(
                "Session ended, resume using 'kubectl attach {name} -c {name} -i -t' command when the pod is running"
            ));
        }
        return RunEnd::Detached;
    }
    if restart == "OnFailure" && code != 0 {
        // The kubelet restarts the container and kubectl waits for Succeeded, which never comes, until
        // --pod-running-timeout. (The simulator does not re-run the command; the pod keeps running.)
        let until = t.world.now.plus_millis(RUN_TIMEOUT_MS);
        t.world.run_until(until);
        return RunEnd::Error("error: timed out waiting for the condition".into());
    }
    let _ = stsplay_cluster::exec::complete_pod(&mut t.world, ns, name, code);
    RunEnd::Done(code)
}

// --------------------------------------------------------------------------------- terminal programs

/// `nslookup`, `curl`, `wget` typed at the terminal's prompt: run as if inside a busybox:1.28 debug pod in
/// namespace `default` (with `curl` added).
pub fn terminal_program(t: &mut Terminal, argv: &[String], stdin: Option<&str>, out: &mut Output) {
    let place = Place::debug("default");
    let r = container::exec(&mut t.world, &place, argv, stdin);
    out.chunks.extend(r.out.chunks);
    out.exit = r.out.exit;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminal::NoFiles;

    fn run(t: &mut Terminal, line: &str) -> Output {
        t.run(line, &NoFiles)
    }

    const WEB: &str = "kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: nginx
  ports:
  - port: 80
    name: web
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
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
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
EOF";

    fn cluster() -> Terminal {
        let mut t = Terminal::new(1);
        let o = run(&mut t, WEB);
        assert_eq!(o.exit, 0, "{}", o.text());
        run(&mut t, "sim settle");
        t
    }

    #[test]
    fn exec_usage_errors() {
        let mut t = cluster();
        let o = run(&mut t, "kubectl exec web-0 ls");
        assert_eq!(o.stderr(), "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n");
        assert_eq!(
            run(&mut t, "kubectl exec web-0").stderr(),
            "error: you must specify at least one command for the container\n"
        );
        assert_eq!(
            run(&mut t, "kubectl exec web-0 --").stderr(),
            "error: you must specify at least one command for the container\n"
        );
        assert_eq!(run(&mut t, "kubectl exec").stderr(), "error: pod, type/name or --filename must be specified\n");
        assert_eq!(
            run(&mut t, "kubectl exec web-9 -- ls").stderr(),
            "Error from server (NotFound): pods \"web-9\" not found\n"
        );
        assert_eq!(
            run(&mut t, "kubectl exec web-0 -c nope -- ls").stderr(),
            "Error from server (BadRequest): container nope is not valid for pod web-0\n"
        );
        assert_eq!(
            run(&mut t, "kubectl exec web-0 ls -l").stderr(),
            "error: unknown shorthand flag: 'l' in -l\nSee 'kubectl exec --help' for usage.\n"
        );
    }

    #[test]
    fn exec_runs_in_the_container() {
        let mut t = cluster();
        let o = run(&mut t, "kubectl exec web-0 -- hostname");
        assert_eq!((o.stdout().as_str(), o.exit), ("web-0\n", 0));
        assert_eq!(
            run(&mut t, "kubectl exec web-1 -- hostname -f").stdout(),
            "web-1.nginx.default.svc.cluster.local\n"
        );
        let o = run(&mut t, "kubectl exec web-0 -- cat /etc/hosts");
        assert!(o.stdout().starts_with("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"), "{}", o.text());
        assert!(o.stdout().ends_with("\tweb-0.nginx.default.svc.cluster.local\tweb-0\n"), "{}", o.text());
        let o = run(&mut t, "kubectl exec web-0 -- sh -c 'exit 3'");
        assert_eq!((o.stderr().as_str(), o.exit), ("command terminated with exit code 3\n", 3));
        let o = run(&mut t, "kubectl exec web-0 -- sh -c 'foo'");
        assert_eq!(o.stderr(), "sh: 1: foo: not found\ncommand terminated with exit code 127\n");
        let o = run(&mut t, "kubectl exec web-0 -- foo");
        assert!(o.stderr().starts_with("error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \""), "{}", o.text());
        assert!(o.stderr().ends_with("OCI runtime exec failed: exec failed: unable to start container process: exec: \"foo\": executable file not found in $PATH: unknown\n"));
        assert_eq!(o.exit, 1);
    }

    #[test]
    fn storage_survives_the_pod_and_the_layer_does_not() {
        let mut t = cluster();
        let o = run(
            &mut t,
            "kubectl exec web-0 -- sh -c 'echo \"$(hostname)\" > /usr/share/nginx/html/index.html; echo tmp > /tmp/x'",
        );
        assert_eq!(o.exit, 0, "{}", o.text());
        assert_eq!(run(&mut t, "curl web-0.nginx").stdout(), "web-0\n");
        assert_eq!(run(&mut t, "kubectl exec web-0 -- cat /tmp/x").stdout(), "tmp\n");
        run(&mut t, "kubectl delete pod web-0");
        run(&mut t, "sim settle");
        assert_eq!(run(&mut t, "kubectl exec web-0 -- cat /usr/share/nginx/html/index.html").stdout(), "web-0\n");
        let o = run(&mut t, "kubectl exec web-0 -- cat /tmp/x");
        assert_eq!(o.stderr(), "cat: /tmp/x: No such file or directory\ncommand terminated with exit code 1\n");
        // An empty web root: nginx's 403.
        let o = run(&mut t, "curl -s web-1.nginx");
        assert!(o.stdout().contains("<title>403 Forbidden</title>"), "{}", o.text());
        let o = run(&mut t, "wget -qO- web-1.nginx");
        assert_eq!((o.stderr().as_str(), o.exit), ("wget: server returned error: HTTP/1.1 403 Forbidden\n", 1));
    }

    #[test]
    fn dns_from_the_terminal() {
        let mut t = cluster();
        let o = run(&mut t, "nslookup web-0.nginx");
        let ip = t.world.get_pod("default", "web-0").and_then(|p| p.status.pod_ip.clone()).unwrap_or_default();
        assert_eq!(
            o.stdout(),
            format!("Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web-0.nginx\nAddress 1: {ip} web-0.nginx.default.svc.cluster.local\n")
        );
        let o = run(&mut t, "nslookup web-5.nginx");
        assert_eq!((o.stderr().as_str(), o.exit), ("nslookup: can't resolve 'web-5.nginx'\n", 1));
        let o = run(&mut t, "nslookup kubernetes.default");
        assert!(o.stdout().ends_with("Address 1: 10.96.0.1 kubernetes.default.svc.cluster.local\n"), "{}", o.text());
        let o = run(&mut t, "curl nowhere");
        assert_eq!((o.stderr().as_str(), o.exit), ("curl: (6) Could not resolve host: nowhere\n", 6));
    }

    #[test]
    fn run_creates_and_removes_the_debug_pod() {
        let mut t = cluster();
        let o = run(
            &mut t,
            "kubectl run -i --tty --image busybox:1.28 dns-test --restart=Never --rm -- nslookup web-1.nginx",
        );
        assert_eq!(o.exit, 0, "{}", o.text());
        assert!(o.stderr().starts_with("If you don't see a command prompt, try pressing enter.\n"), "{}", o.text());
        assert!(o.stdout().contains("Name:      web-1.nginx\n"), "{}", o.text());
        assert!(o.stdout().ends_with("pod \"dns-test\" deleted from default namespace\n"), "{}", o.text());
        assert!(t.world.get_pod("default", "dns-test").is_none());
        let o = run(&mut t, "kubectl run -it --image busybox:1.28 dns-test --restart=Never --rm -- nslookup nope");
        assert_eq!(o.exit, 1);
        assert!(
            o.text().ends_with(
                "pod \"dns-test\" deleted from default namespace\npod default/dns-test terminated (Error)\n"
            ),
            "{}",
            o.text()
        );
        let o = run(&mut t, "kubectl run dns-test --image=busybox:1.28 --rm -- true");
        assert_eq!(o.stderr(), "error: --rm should only be used for attached containers\n");
        let o = run(&mut t, "kubectl run dns-test --image=busybox:1.28 -t");
        assert_eq!(o.stderr(), "error: -i/--stdin is required for containers with -t/--tty=true\n");
        let o = run(&mut t, "kubectl run dns-test --image=busybox:1.28 --restart=Never -- sleep 3600");
        assert_eq!(o.stdout(), "pod/dns-test created\n");
    }

    #[test]
    fn hostile_inputs_stay_bounded() {
        let mut t = cluster();
        for line in [
            "kubectl exec web-0 -- sh -c 'echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo x)))))))'",
            "kubectl exec web-0 -- sh -c 'cat /etc/hosts /etc/hosts > /tmp/a; cat /tmp/a /tmp/a /tmp/a > /tmp/b'",
            "kubectl exec web-0 -- sh -c 'mkdir -p /a/b/c/d/e/f/g/h; ls -la /a/b; rm -rf /a; ls /a'",
            "kubectl exec web-0 -- sh -c 'rm -rf /'",
            "kubectl exec web-0 -- sh -c 'for i in 1 2; do echo $i; done'",
            "kubectl exec web-0 -- sh -c 'echo \"unterminated'",
            "kubectl exec web-0 -- sh -c 'ls /usr/share/nginx/html/*; cat /no/*'",
            "kubectl exec web-0 -- sh -c '`'",
            "kubectl exec -i web-0 -- sh <<< 'sh -c \"sh -c \\\"sh -c hostname\\\"\"'",
        ] {
            let _ = run(&mut t, line);
        }
        let big = "x".repeat(70_000);
        let o = run(&mut t, &format!("kubectl exec web-0 -- sh -c 'echo {big} > /tmp/big'"));
        assert_ne!(o.exit, 0);
        let mut script = String::from("kubectl exec web-0 -- sh -c '");
        for k in 0..600 {
            script.push_str(&format!("touch /tmp/f{k};"));
        }
        script.push('\'');
        let o = run(&mut t, &script);
        assert!(o.stderr().contains("No space left on device"), "{}", o.text());
    }
}
