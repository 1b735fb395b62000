//! The kubelet: each pod's lifecycle as timed steps drawn from the stages table — sandbox and volumes,
//! image pulls (with a node image cache, failures and back-off), container start, readiness (exec probes
//! read the container's files), graceful termination. A kubelet whose node is down does nothing.

use crate::scheduler::set_condition;
use crate::store::ObjKey;
use crate::world::{Action, Files, World};
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::*;
use stsplay_model::time::{SimTime, Time};

const COMPONENT: &str = "kubelet";

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// A pod bound to this node without the scheduler (`spec.nodeName` set at creation).
    Admit,
    SandboxReady,
    Pull(usize),
    RetryPull(usize),
    PullDone(usize),
    Start(usize),
    Probe(usize),
    /// The container's process exited (its command ends).
    Exited(usize),
    /// The kubelet restarts an exited container (restartPolicy Always), after its back-off.
    Restart(usize),
    Stopped,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerRuntime {
    pub name: String,
    pub image: String,
    pub started_at: Option<SimTime>,
    pub ready: bool,
    pub pulling: bool,
    pub pull_started: Option<SimTime>,
    pub pull_failures: u32,
    pub probe_successes: i32,
    pub probe_failures: i32,
    pub restart_count: i32,
    /// The container's writable layer (lost when the container or pod goes away).
    pub files: Files,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PodRuntime {
    pub node: String,
    pub containers: Vec<ContainerRuntime>,
    pub ip: Option<String>,
    pub stopping: bool,
}

impl PodRuntime {
    pub fn started_any(&self) -> bool {
        self.containers.iter().any(|c| c.started_at.is_some())
    }
}

fn pod_by_uid(w: &World, uid: &str) -> Option<Pod> {
    w.store.get_uid(uid).and_then(|o| o.as_pod()).cloned()
}

fn node_up(w: &World, node: &str) -> bool {
    w.nodes.get(node).is_some_and(|n| n.kubelet_up)
}

/// The kubelet on the pod's node takes the pod: status Pending/ContainerCreating, sandbox next.
pub fn admit(w: &mut World, uid: &str) {
    let Some(mut pod) = pod_by_uid(w, uid) else { return };
    if !node_up(w, &pod.spec.node_name) || w.runtimes.contains_key(uid) {
        return;
    }
    let node_ip = w
        .store
        .get_by(Kind::Node, "", &pod.spec.node_name)
        .and_then(|o| o.as_node())
        .and_then(|n| n.status.addresses.first())
        .and_then(|a| a.get("address"))
        .and_then(|a| a.as_str())
        .unwrap_or("")
        .to_string();
    let rt = PodRuntime {
        node: pod.spec.node_name.clone(),
        containers: pod
            .spec
            .containers
            .iter()
            .map(|c| ContainerRuntime { name: c.name.clone(), image: c.image.clone(), ..Default::default() })
            .collect(),
        ip: None,
        stopping: false,
    };
    w.runtimes.insert(uid.to_string(), rt);
    let now = w.now;
    pod.status.phase = "Pending".into();
    pod.status.host_ip = Some(node_ip.clone());
    pod.status.host_ips = vec![PodIP { ip: node_ip.clone() }];
    pod.status.start_time = Some(Time(now));
    set_condition(&mut pod, "PodReadyToStartContainers", "False", None, None, now);
    set_condition(&mut pod, "Initialized", "True", None, None, now);
    refresh_readiness(w, &mut pod);
    pod.status.container_statuses = pod
        .spec
        .containers
        .iter()
        .map(|c| ContainerStatus {
            name: c.name.clone(),
            state: ContainerState {
                waiting: Some(ContainerStateWaiting { reason: Some("ContainerCreating".into()), message: None }),
                ..Default::default()
            },
            ready: false,
            restart_count: 0,
            image: qualified_image(&c.image),
            image_id: String::new(),
            started: Some(false),
            ..Default::default()
        })
        .collect();
    w.write(Object::Pod(pod));
    let d = w.delay(w.stages.kubelet.sandbox);
    w.schedule(d, Action::Kubelet(uid.to_string(), Step::SandboxReady));
}

pub fn run(w: &mut World, uid: &str, step: Step) {
    if step == Step::Admit {
        admit(w, uid);
        return;
    }
    let Some(pod) = pod_by_uid(w, uid) else { return };
    if !node_up(w, &pod.spec.node_name) {
        return; // The kubelet is down: nothing happens on this node until it comes back (see resync).
    }
    if !w.runtimes.contains_key(uid) {
        return;
    }
    if pod.metadata.deletion_timestamp.is_some() && step != Step::Stopped {
        return;
    }
    match step {
        Step::Admit => {}
        Step::SandboxReady => sandbox_ready(w, pod),
        Step::Pull(i) | Step::RetryPull(i) => pull(w, pod, i),
        Step::PullDone(i) => pull_done(w, pod, i),
        Step::Start(i) => start(w, pod, i),
        Step::Probe(i) => probe(w, pod, i),
        Step::Exited(i) => exited(w, pod, i),
        Step::Restart(i) => {
            if let Some(r) = w.runtimes.get_mut(&pod.metadata.uid).and_then(|r| r.containers.get_mut(i)) {
                r.restart_count += 1;
            }
            w.record_event_about(
                Kind::Pod,
                &pod.metadata,
                "Normal",
                "Pulled",
                &format!(
                    "Container image {:?} already present on machine",
                    pod.spec.containers.get(i).map(|c| c.image.as_str()).unwrap_or("")
                ),
                COMPONENT,
            );
            start(w, pod, i)
        }
        Step::Stopped => stopped(w, pod),
    }
}

fn sandbox_ready(w: &mut World, mut pod: Pod) {
    let uid = pod.metadata.uid.clone();
    let Some(rt) = w.runtimes.get(&uid).cloned() else { return };
    let ip = match rt.ip.clone() {
        Some(ip) => ip,
        None => {
            let Some(n) = w.nodes.get_mut(&rt.node) else { return };
            let host = n.next_host;
            n.next_host = if n.next_host >= 254 { 2 } else { n.next_host + 1 };
            format!("10.244.{}.{}", n.subnet, host)
        }
    };
    if let Some(r) = w.runtimes.get_mut(&uid) {
        r.ip = Some(ip.clone());
    }
    pod.status.pod_ip = Some(ip.clone());
    pod.status.pod_ips = vec![PodIP { ip }];
    set_condition(&mut pod, "PodReadyToStartContainers", "True", None, None, w.now);
    w.write(Object::Pod(pod));
    w.schedule(0, Action::Kubelet(uid, Step::Pull(0)));
}

/// Whether pulls of this image fail (`sim image break`): matched on the full reference or the repository.
pub fn image_broken(w: &World, image: &str) -> bool {
    w.broken_images.contains(image) || w.broken_images.contains(crate::stages::image_repository(image))
}

fn pull(w: &mut World, pod: Pod, i: usize) {
    let uid = pod.metadata.uid.clone();
    let Some(c) = pod.spec.containers.get(i).cloned() else { return };
    let node = pod.spec.node_name.clone();
    let cached = w.nodes.get(&node).is_some_and(|n| n.images.contains(&c.image));
    let policy = c.image_pull_policy.clone().unwrap_or_default();
    if cached && policy != "Always" {
        w.record_event_about(
            Kind::Pod,
            &pod.metadata,
            "Normal",
            "Pulled",
            &format!("Container image {:?} already present on machine", c.image),
            COMPONENT,
        );
        let d = w.delay(w.stages.kubelet.container_create);
        w.schedule(d, Action::Kubelet(uid, Step::Start(i)));
        return;
    }
    if policy == "Never" {
        set_waiting(w, &pod, i, "ErrImageNeverPull", None);
        w.record_event_about(
            Kind::Pod,
            &pod.metadata,
            "Warning",
            "ErrImageNeverPull",
            &format!("Container image {:?} is not present with pull policy of Never", c.image),
            COMPONENT,
        );
        return;
    }
    w.record_event_about(
        Kind::Pod,
        &pod.metadata,
        "Normal",
        "Pulling",
        &format!("Pulling image {:?}", c.image),
        COMPONENT,
    );
    let now = w.now;
    if let Some(r) = w.runtimes.get_mut(&uid).and_then(|r| r.containers.get_mut(i)) {
        r.pulling = true;
        r.pull_started = Some(now);
    }
    let d = if image_broken(w, &c.image) {
        w.delay(w.stages.kubelet.image_pull_failure)
    } else {
        w.delay(w.stages.kubelet.image_pull)
    };
    w.schedule(d, Action::Kubelet(uid, Step::PullDone(i)));
}

fn pull_done(w: &mut World, pod: Pod, i: usize) {
    let uid = pod.metadata.uid.clone();
    let Some(c) = pod.spec.containers.get(i).cloned() else { return };
    if image_broken(w, &c.image) {
        let failures = {
            let Some(r) = w.runtimes.get_mut(&uid).and_then(|r| r.containers.get_mut(i)) else { return };
            r.pulling = false;
            r.pull_failures += 1;
            r.pull_failures
        };
        let q = qualified_image(&c.image);
        let detail = format!(
            "rpc error: code = NotFound desc = failed to pull and unpack image {q:?}: failed to resolve reference {q:?}: {q}: not found"
        );
        w.record_event_about(
            Kind::Pod,
            &pod.metadata,
            "Warning",
            "Failed",
            &format!("Failed to pull image {:?}: {detail}", c.image),
            COMPONENT,
        );
        w.record_event_about(Kind::Pod, &pod.metadata, "Warning", "Failed", "Error: ErrImagePull", COMPONENT);
        set_waiting(w, &pod, i, "ErrImagePull", Some(&detail));
        // Back-off: the status shows ImagePullBackOff until the next attempt.
        let [lo, hi] = w.stages.kubelet.image_pull_back_off;
        let backoff = (lo << (failures.saturating_sub(1)).min(20)).min(hi);
        w.record_event_about(
            Kind::Pod,
            &pod.metadata,
            "Normal",
            "BackOff",
            &format!("Back-off pulling image {:?}", c.image),
            COMPONENT,
        );
        w.record_event_about(Kind::Pod, &pod.metadata, "Warning", "Failed", "Error: ImagePullBackOff", COMPONENT);
        if let Some(p) = pod_by_uid(w, &uid) {
            set_waiting(
                w,
                &p,
                i,
                "ImagePullBackOff",
                Some(&format!("Back-off pulling image {:?}: ErrImagePull: {detail}", c.image)),
            );
        }
        w.schedule(backoff, Action::Kubelet(uid, Step::RetryPull(i)));
        return;
    }
    let now = w.now;
    let took = {
        let Some(r) = w.runtimes.get_mut(&uid).and_then(|r| r.containers.get_mut(i)) else { return };
        r.pulling = false;
        r.pull_failures = 0;
        r.pull_started.map(|t| now.0 - t.0).unwrap_or(0)
    };
    let size = w.stages.image(&c.image).map(|i| i.size).unwrap_or(42_000_000);
    let d = go_duration_ms(took);
    w.record_event_about(
        Kind::Pod,
        &pod.metadata,
        "Normal",
        "Pulled",
        &format!("Successfully pulled image {:?} in {d} ({d} including waiting). Image size: {size} bytes.", c.image),
        COMPONENT,
    );
    let node = pod.spec.node_name.clone();
    if let Some(n) = w.nodes.get_mut(&node) {
        n.images.insert(c.image.clone());
    }
    let d = w.delay(w.stages.kubelet.container_create);
    w.schedule(d, Action::Kubelet(uid, Step::Start(i)));
}

/// `docker.io/library/nginx:1.25` style qualification used in containerd's messages.
fn qualify(image: &str) -> String {
    let repo = crate::stages::image_repository(image);
    let with_library = if repo.contains('/') { image.to_string() } else { format!("library/{image}") };
    if with_library.contains(':') || with_library.contains('@') {
        with_library
    } else {
        format!("{with_library}:latest")
    }
}

/// Go's `time.Duration.String()` for a millisecond-truncated duration.
pub fn go_duration_ms(ms: i64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let (h, rem) = (ms / 3_600_000, ms % 3_600_000);
    let (m, rem) = (rem / 60_000, rem % 60_000);
    let (s, frac) = (rem / 1000, rem % 1000);
    let mut secs = s.to_string();
    if frac > 0 {
        secs = format!("{s}.{}", format!("{frac:03}").trim_end_matches('0'));
    }
    match (h, m) {
        (0, 0) => format!("{secs}s"),
        (0, m) => format!("{m}m{secs}s"),
        (h, m) => format!("{h}h{m}m{secs}s"),
    }
}

fn set_waiting(w: &mut World, pod: &Pod, i: usize, reason: &str, message: Option<&str>) {
    let mut p = pod.clone();
    if let Some(cs) = p.status.container_statuses.get_mut(i) {
        cs.state = ContainerState {
            waiting: Some(ContainerStateWaiting { reason: Some(reason.into()), message: message.map(String::from) }),
            ..Default::default()
        };
        cs.ready = false;
    }
    w.write(Object::Pod(p));
}

fn start(w: &mut World, mut pod: Pod, i: usize) {
    let uid = pod.metadata.uid.clone();
    let Some(c) = pod.spec.containers.get(i).cloned() else { return };
    let now = w.now;
    w.record_event_about(
        Kind::Pod,
        &pod.metadata,
        "Normal",
        "Created",
        &format!("Created container: {}", c.name),
        COMPONENT,
    );
    w.record_event_about(
        Kind::Pod,
        &pod.metadata,
        "Normal",
        "Started",
        &format!("Started container {}", c.name),
        COMPONENT,
    );
    let image_files = image_files(w, &c.image);
    if let Some(r) = w.runtimes.get_mut(&uid).and_then(|r| r.containers.get_mut(i)) {
        r.started_at = Some(now);
        r.files = image_files;
        // A process that exits at once is gone before the kubelet reports it ready.
        r.ready = c.readiness_probe.is_none() && exit_code(&c).is_none();
    }
    if let Some(cs) = pod.status.container_statuses.get_mut(i) {
        cs.state = ContainerState {
            running: Some(ContainerStateRunning { started_at: Some(Time(now)) }),
            ..Default::default()
        };
        cs.started = Some(true);
        cs.ready = c.readiness_probe.is_none() && exit_code(&c).is_none();
        cs.restart_count = w.runtimes.get(&uid).and_then(|r| r.containers.get(i)).map(|r| r.restart_count).unwrap_or(0);
        cs.image_id = image_id(&c.image);
        cs.container_id = Some(format!(
            "containerd://{:016x}{:016x}{:016x}{:016x}",
            w.rng.next_u64(),
            w.rng.next_u64(),
            w.rng.next_u64(),
            w.rng.next_u64()
        ));
    }
    let all_started = w.runtimes.get(&uid).is_some_and(|r| r.containers.iter().all(|c| c.started_at.is_some()));
    if all_started {
        pod.status.phase = "Running".into();
    }
    refresh_readiness(w, &mut pod);
    let line = format!("{}: container {} started on {}", pod.metadata.name, c.name, pod.spec.node_name);
    let containers = pod.spec.containers.len();
    w.write(Object::Pod(pod));
    w.trace(COMPONENT, line);
    if let Some(p) = &c.readiness_probe {
        let delay = p.initial_delay_seconds.unwrap_or(0).max(0) as i64 * 1000;
        w.schedule(delay, Action::Kubelet(uid.clone(), Step::Probe(i)));
    }
    if exit_code(&c).is_some() {
        let d = w.delay(w.stages.kubelet.container_create);
        w.schedule(d, Action::Kubelet(uid.clone(), Step::Exited(i)));
    }
    let restarted = w.runtimes.get(&uid).and_then(|r| r.containers.get(i)).is_some_and(|r| r.restart_count > 0);
    if i + 1 < containers && !restarted {
        w.schedule(0, Action::Kubelet(uid, Step::Pull(i + 1)));
    }
}

/// The exit code of a container whose command ends on its own (`false`, `sh -c "...; exit 3"`, `true`),
/// or None for a server that keeps running.
pub fn exit_code(c: &Container) -> Option<i32> {
    let argv: Vec<&str> = c.command.iter().chain(c.args.iter()).map(String::as_str).collect();
    match argv.as_slice() {
        ["false"] | ["/bin/false"] => Some(1),
        ["true"] | ["/bin/true"] => Some(0),
        ["sh" | "/bin/sh" | "bash" | "/bin/bash", "-c", script] => {
            let last = script.rsplit([';', '&', '\n']).find(|s| !s.trim().is_empty())?.trim();
            match last.split_whitespace().collect::<Vec<_>>().as_slice() {
                ["exit", n] => n.parse().ok(),
                ["exit"] | ["true"] => Some(0),
                ["false"] => Some(1),
                _ => None,
            }
        }
        _ => None,
    }
}

/// A container's process ended: record it, and restart it after the kubelet's back-off (10s, 20s, ... 5m;
/// the first restart is immediate).
fn exited(w: &mut World, mut pod: Pod, i: usize) {
    let uid = pod.metadata.uid.clone();
    let Some(c) = pod.spec.containers.get(i).cloned() else { return };
    let code = exit_code(&c).unwrap_or(1);
    let now = w.now;
    let restarts = {
        let Some(r) = w.runtimes.get_mut(&uid).and_then(|r| r.containers.get_mut(i)) else { return };
        r.started_at = None;
        r.ready = false;
        r.files.clear();
        r.restart_count
    };
    let [lo, hi] = w.stages.kubelet.crash_loop_back_off;
    let backoff = if restarts == 0 { 0 } else { (lo << (restarts - 1).min(20)).min(hi) };
    let reason = if code == 0 { "Completed" } else { "Error" };
    if let Some(cs) = pod.status.container_statuses.get_mut(i) {
        let started = cs.state.running.as_ref().and_then(|r| r.started_at);
        let term = ContainerStateTerminated {
            exit_code: code,
            reason: Some(reason.into()),
            started_at: started,
            finished_at: Some(Time(now)),
        };
        cs.last_state = Some(ContainerState { terminated: Some(term.clone()), ..Default::default() });
        cs.state = if backoff == 0 {
            ContainerState { terminated: Some(term), ..Default::default() }
        } else {
            ContainerState {
                waiting: Some(ContainerStateWaiting {
                    reason: Some("CrashLoopBackOff".into()),
                    message: Some(format!(
                        "back-off {} restarting failed container={} pod={}_{}({uid})",
                        go_duration_ms(backoff),
                        c.name,
                        pod.metadata.name,
                        pod.metadata.namespace
                    )),
                }),
                ..Default::default()
            }
        };
        cs.ready = false;
        cs.started = Some(false);
    }
    refresh_readiness(w, &mut pod);
    let meta = pod.metadata.clone();
    w.write(Object::Pod(pod));
    if backoff > 0 {
        let pod = Pod { metadata: meta, ..Default::default() };
        w.record_event_about(
            Kind::Pod,
            &pod.metadata,
            "Warning",
            "BackOff",
            &format!(
                "Back-off restarting failed container {} in pod {}_{}({uid})",
                c.name, pod.metadata.name, pod.metadata.namespace
            ),
            COMPONENT,
        );
    }
    let d = backoff + w.delay(w.stages.kubelet.container_create);
    w.schedule(d, Action::Kubelet(uid, Step::Restart(i)));
}

/// The image as containerd reports it in `containerStatuses[].image` (`docker.io/library/nginx:1.25`).
pub fn qualified_image(image: &str) -> String {
    let first = image.split('/').next().unwrap_or("");
    let has_registry = image.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    if has_registry {
        return image.to_string();
    }
    format!("docker.io/{}", qualify(image))
}

/// A stable digest-style imageID derived from the image name (64 hex characters).
fn image_id(image: &str) -> String {
    let q = qualified_image(image);
    let repo = crate::stages::image_repository(&q).to_string();
    let mut hex = String::new();
    let mut seed = crate::statefulset::utils::fnv32(q.as_bytes());
    while hex.len() < 64 {
        seed = crate::statefulset::utils::fnv32(&seed.to_le_bytes()) ^ seed.rotate_left(7);
        hex.push_str(&format!("{seed:08x}"));
    }
    format!("{repo}@sha256:{}", &hex[..64])
}

/// What an image brings in its filesystem: the web root's index page for the web servers we know.
fn image_files(w: &World, image: &str) -> Files {
    let mut f = Files::new();
    if let Some(info) = w.stages.image(image) {
        if let (Some(root), Some(index)) = (&info.web_root, &info.index) {
            let tag = image.rsplit_once(':').map(|(_, t)| t).filter(|t| !t.contains('/')).unwrap_or("latest");
            f.insert(format!("{root}/index.html"), format!("{}\n", index.replace("{tag}", tag)));
        }
    }
    f
}

fn probe(w: &mut World, pod: Pod, i: usize) {
    let uid = pod.metadata.uid.clone();
    let Some(c) = pod.spec.containers.get(i).cloned() else { return };
    let Some(p) = c.readiness_probe.clone() else { return };
    let ok = match &p.exec {
        Some(exec) => crate::exec::probe_command(w, &pod, i, &exec.command).is_ok(),
        None => true, // httpGet/tcpSocket/grpc against our simulated servers succeed once started.
    };
    let (success_threshold, failure_threshold) = (p.success_threshold.unwrap_or(1), p.failure_threshold.unwrap_or(3));
    let mut changed = false;
    let mut failed_event = None;
    if let Some(r) = w.runtimes.get_mut(&uid).and_then(|r| r.containers.get_mut(i)) {
        if ok {
            r.probe_failures = 0;
            r.probe_successes += 1;
            if !r.ready && r.probe_successes >= success_threshold {
                r.ready = true;
                changed = true;
            }
        } else {
            r.probe_successes = 0;
            r.probe_failures += 1;
            failed_event = Some(());
            if r.ready && r.probe_failures >= failure_threshold {
                r.ready = false;
                changed = true;
            }
        }
    }
    if failed_event.is_some() {
        let out = match &p.exec {
            Some(exec) => crate::exec::probe_command(w, &pod, i, &exec.command).err().unwrap_or_default(),
            None => String::new(),
        };
        w.record_event_about(
            Kind::Pod,
            &pod.metadata,
            "Warning",
            "Unhealthy",
            &format!("Readiness probe failed: {out}"),
            COMPONENT,
        );
    }
    if changed {
        let mut p2 = pod.clone();
        let ready = w.runtimes.get(&uid).and_then(|r| r.containers.get(i)).is_some_and(|c| c.ready);
        if let Some(cs) = p2.status.container_statuses.get_mut(i) {
            cs.ready = ready;
        }
        refresh_readiness(w, &mut p2);
        w.write(Object::Pod(p2));
    }
    let period = p.period_seconds.unwrap_or(10).max(1) as i64 * 1000;
    w.schedule(period, Action::Kubelet(uid, Step::Probe(i)));
}

/// Pod conditions Ready/ContainersReady from the containers' readiness.
pub fn refresh_readiness(w: &World, pod: &mut Pod) {
    let uid = pod.metadata.uid.clone();
    let unready: Vec<String> = match w.runtimes.get(&uid) {
        Some(r) => r.containers.iter().filter(|c| !c.ready || c.started_at.is_none()).map(|c| c.name.clone()).collect(),
        None => pod.spec.containers.iter().map(|c| c.name.clone()).collect(),
    };
    let now = w.now;
    if unready.is_empty() {
        set_condition(pod, "Ready", "True", None, None, now);
        set_condition(pod, "ContainersReady", "True", None, None, now);
    } else {
        let msg = format!("containers with unready status: [{}]", unready.join(" "));
        set_condition(pod, "Ready", "False", Some("ContainersNotReady"), Some(&msg), now);
        set_condition(pod, "ContainersReady", "False", Some("ContainersNotReady"), Some(&msg), now);
    }
}

/// A pod got a deletionTimestamp: stop its containers (if the kubelet is up) within the grace period.
pub fn on_pod_deletion(w: &mut World, key: &ObjKey) {
    let Some(pod) = w.store.get(key).and_then(|o| o.as_pod()).cloned() else { return };
    let uid = pod.metadata.uid.clone();
    if node_up(w, &pod.spec.node_name) {
        begin_stop(w, &pod);
    } else if pod.spec.node_name.is_empty() {
        w.runtimes.remove(&uid);
    }
}

fn begin_stop(w: &mut World, pod: &Pod) {
    let uid = pod.metadata.uid.clone();
    let grace_ms = pod.metadata.deletion_grace_period_seconds.unwrap_or(30).max(0) * 1000;
    let Some(rt) = w.runtimes.get_mut(&uid) else {
        // Never started here: nothing to stop.
        w.schedule(0, Action::Kubelet(uid, Step::Stopped));
        return;
    };
    if rt.stopping {
        return;
    }
    rt.stopping = true;
    let started: Vec<(String, String)> =
        rt.containers.iter().filter(|c| c.started_at.is_some()).map(|c| (c.name.clone(), c.image.clone())).collect();
    let mut stop = 0i64;
    for (name, image) in &started {
        w.record_event_about(
            Kind::Pod,
            &pod.metadata,
            "Normal",
            "Killing",
            &format!("Stopping container {name}"),
            COMPONENT,
        );
        let ignores = w.stages.image(image).is_some_and(|i| i.ignores_sigterm);
        let d = if ignores { grace_ms } else { w.delay(w.stages.kubelet.stop_container).min(grace_ms) };
        stop = stop.max(d);
    }
    w.schedule(stop, Action::Kubelet(uid, Step::Stopped));
}

fn stopped(w: &mut World, pod: Pod) {
    let key = ObjKey::new(Kind::Pod, &pod.metadata.namespace, &pod.metadata.name);
    if let Some(rt) = w.runtimes.get_mut(&pod.metadata.uid) {
        for c in &mut rt.containers {
            c.started_at = None;
            c.ready = false;
        }
    }
    w.trace(COMPONENT, format!("{}: containers stopped", pod.metadata.name));
    // The kubelet reports the terminated containers (and a terminal phase) before it removes the pod, so a
    // watch shows `0/1 Completed` (or `Error` when a container had to be killed) just before the deletion.
    if let Some(mut p) = w.store.get(&key).and_then(|o| o.as_pod()).cloned() {
        if !p.status.container_statuses.is_empty() && !matches!(p.status.phase.as_str(), "Failed" | "Succeeded") {
            let now = w.now;
            let mut all_zero = true;
            for (i, cs) in p.status.container_statuses.iter_mut().enumerate() {
                let Some(started) = cs.state.running.as_ref().map(|r| r.started_at) else { continue };
                let image = pod.spec.containers.get(i).map(|c| c.image.as_str()).unwrap_or("");
                let killed = w.stages.image(image).is_some_and(|info| info.ignores_sigterm);
                let (code, reason) = if killed { (137, "Error") } else { (0, "Completed") };
                all_zero &= code == 0;
                cs.state = ContainerState {
                    terminated: Some(ContainerStateTerminated {
                        exit_code: code,
                        reason: Some(reason.into()),
                        started_at: started,
                        finished_at: Some(Time(now)),
                    }),
                    ..Default::default()
                };
                cs.ready = false;
                cs.started = Some(false);
            }
            p.status.phase = if all_zero { "Succeeded".into() } else { "Failed".into() };
            refresh_readiness(w, &mut p);
            w.write(Object::Pod(p));
        }
    }
    if pod.metadata.finalizers.is_empty() {
        w.finalize_delete(&key);
    }
}

/// The node's kubelet came back: report real state again and finish what it had to do.
pub fn resync_node(w: &mut World, node: &str) {
    let pods: Vec<Pod> = w
        .store
        .list(Kind::Pod, None)
        .filter_map(|o| o.as_pod())
        .filter(|p| p.spec.node_name == node)
        .cloned()
        .collect();
    for mut pod in pods {
        let uid = pod.metadata.uid.clone();
        if pod.metadata.deletion_timestamp.is_some() {
            // Whatever was scheduled while the kubelet was away was lost: start stopping again.
            w.runtimes.entry(uid.clone()).or_default().stopping = false;
            begin_stop(w, &pod);
            continue;
        }
        match w.runtimes.get(&uid).cloned() {
            None => admit(w, &uid),
            Some(rt) => {
                if matches!(pod.status.phase.as_str(), "Failed" | "Succeeded") {
                    continue;
                }
                if let Some(i) = rt.containers.iter().position(|c| c.started_at.is_none()) {
                    if rt.ip.is_none() {
                        w.schedule(0, Action::Kubelet(uid.clone(), Step::SandboxReady));
                    } else {
                        w.schedule(0, Action::Kubelet(uid.clone(), Step::Pull(i)));
                    }
                }
                for (i, c) in pod.spec.containers.iter().enumerate() {
                    if c.readiness_probe.is_some() && rt.containers.get(i).is_some_and(|c| c.started_at.is_some()) {
                        w.schedule(0, Action::Kubelet(uid.clone(), Step::Probe(i)));
                    }
                }
                for (i, cs) in pod.status.container_statuses.iter_mut().enumerate() {
                    cs.ready = rt.containers.get(i).is_some_and(|c| c.ready);
                }
                refresh_readiness(w, &mut pod);
                w.write(Object::Pod(pod));
            }
        }
    }
}

/// `sim pod fail`: every container exits, the pod phase becomes Failed.
pub fn fail_pod(w: &mut World, ns: &str, name: &str) -> Result<(), String> {
    let Some(mut pod) = w.get_pod(ns, name).cloned() else {
        return Err(format!("pods {name:?} not found"));
    };
    if pod.spec.node_name.is_empty() {
        return Err(format!("pod {name} is not running on a node yet"));
    }
    let now = w.now;
    if let Some(rt) = w.runtimes.get_mut(&pod.metadata.uid) {
        for c in &mut rt.containers {
            c.started_at = None;
            c.ready = false;
            c.files.clear();
        }
    }
    for cs in &mut pod.status.container_statuses {
        let started = cs.state.running.as_ref().and_then(|r| r.started_at);
        cs.state = ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code: 137,
                reason: Some("Error".into()),
                started_at: started,
                finished_at: Some(Time(now)),
            }),
            ..Default::default()
        };
        cs.ready = false;
        cs.started = Some(false);
    }
    pod.status.phase = "Failed".into();
    refresh_readiness(w, &mut pod);
    w.write(Object::Pod(pod));
    w.trace("sim", format!("{name}: containers exited, phase Failed"));
    Ok(())
}
