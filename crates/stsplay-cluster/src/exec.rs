//! What runs inside a simulated container: its filesystem (image files, the writable layer, and mounted
//! volumes whose files live on the PV), the files the kubelet writes into every pod (`/etc/hosts`,
//! `/etc/resolv.conf`, `/etc/hostname`), its environment, which programs its image ships, the web server
//! some images run, and the commands readiness probes use.
//!
//! Where files live:
//! * under a `volumeMount` whose claim is bound: on the PersistentVolume (`World::volumes`, paths relative
//!   to the mount). They survive pod deletion and scale-down/up; the reclaim policies erase them.
//! * anywhere else: the container's writable layer (`ContainerRuntime::files`), which starts as the image's
//!   files and is lost when the pod (or the container) is recreated.
//!
//! Directories are implied by the files below them, or recorded with a key ending in `/` (`mkdir`). Every
//! write is bounded ([`MAX_FILE_BYTES`], [`MAX_FILES`]); nothing here recurses or panics on any input.

use crate::world::{Files, World};
use stsplay_model::kinds::Object;
use stsplay_model::objects::*;
use stsplay_model::time::Time;

/// The largest file a container may hold (a bigger write fails with "No space left on device").
pub const MAX_FILE_BYTES: usize = 64 * 1024;
/// The most files (and directories) one filesystem — a volume or a writable layer — may hold.
pub const MAX_FILES: usize = 512;
/// The longest path the filesystem accepts.
pub const MAX_PATH_BYTES: usize = 1024;

/// Marks a container-layer path the container wrote itself (so it shows through a mount that hides the
/// image's files).
fn written_marker(p: &str) -> String {
    format!("\u{0}written:{p}")
}

/// Where a path in a container lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// On a PersistentVolume (name), at the path relative to the mount.
    Volume(String, String),
    /// In a volume that is not backed by a bound PV (emptyDir, configMap...): kept with the container.
    Container(String),
}

/// Resolves `path` for container `i` of a pod through its volumeMounts (longest mount path wins).
pub fn locate(w: &World, pod: &Pod, i: usize, path: &str) -> Location {
    let Some(c) = pod.spec.containers.get(i) else { return Location::Container(path.to_string()) };
    let mut best: Option<(&VolumeMount, usize)> = None;
    for m in &c.volume_mounts {
        let mp = m.mount_path.trim_end_matches('/');
        if (path == mp || path.starts_with(&format!("{mp}/"))) && best.is_none_or(|(_, l)| mp.len() > l) {
            best = Some((m, mp.len()));
        }
    }
    if let Some((m, len)) = best {
        let vol = pod.spec.volumes.iter().find(|v| v.name == m.name);
        if let Some(claim) = vol.and_then(|v| v.persistent_volume_claim.as_ref()) {
            if let Some(pv) = crate::volumes::pv_for_claim(w, &pod.metadata.namespace, &claim.claim_name) {
                let rel = path.get(len..).unwrap_or("").trim_start_matches('/').to_string();
                return Location::Volume(pv, rel);
            }
        }
    }
    Location::Container(path.to_string())
}

/// Whether `path` is at or under a mount point (so the image's files there are hidden by the volume).
fn under_mount(pod: &Pod, i: usize, path: &str) -> bool {
    pod.spec.containers.get(i).is_some_and(|c| {
        c.volume_mounts.iter().any(|m| {
            let mp = m.mount_path.trim_end_matches('/');
            path == mp || path.starts_with(&format!("{mp}/"))
        })
    })
}

/// A file's content (volume or writable layer; not the kubelet-managed files, see [`read`]).
pub fn read_file(w: &World, pod: &Pod, i: usize, path: &str) -> Option<String> {
    match locate(w, pod, i, path) {
        Location::Volume(pv, rel) => w.volumes.get(&pv)?.get(&rel).cloned(),
        Location::Container(p) => {
            let rt = w.runtimes.get(&pod.metadata.uid)?.containers.get(i)?;
            let f = rt.files.get(&p)?;
            (!under_mount(pod, i, &p) || rt.files.contains_key(&written_marker(&p))).then(|| f.clone())
        }
    }
}

/// Stores a file as is (no checks: see [`write`] for what a program's write goes through).
pub fn write_file(w: &mut World, pod: &Pod, i: usize, path: &str, content: String) -> Result<(), String> {
    match locate(w, pod, i, path) {
        Location::Volume(pv, rel) => {
            w.volumes.entry(pv).or_default().insert(rel, content);
            Ok(())
        }
        Location::Container(p) => {
            let rt = w
                .runtimes
                .get_mut(&pod.metadata.uid)
                .and_then(|r| r.containers.get_mut(i))
                .ok_or_else(|| "container not running".to_string())?;
            rt.files.insert(written_marker(&p), String::new());
            rt.files.insert(p, content);
            Ok(())
        }
    }
}

/// Runs a probe's exec command: `Ok` for exit status 0, `Err(output)` otherwise.
pub fn probe_command(w: &World, pod: &Pod, i: usize, argv: &[String]) -> Result<(), String> {
    probe_inner(w, pod, i, argv, 0)
}

fn probe_inner(w: &World, pod: &Pod, i: usize, argv: &[String], depth: usize) -> Result<(), String> {
    let args: Vec<&str> = argv.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["sh" | "/bin/sh" | "bash" | "/bin/bash", "-c", script] if depth < 2 => {
            let words: Vec<String> =
                script.split_whitespace().map(|s| s.trim_matches(|c| c == '\'' || c == '"').to_string()).collect();
            probe_inner(w, pod, i, &words, depth + 1)
        }
        ["true"] => Ok(()),
        ["false"] => Err(String::new()),
        ["cat", path] => read_file(w, pod, i, path)
            .map(|_| ())
            .ok_or_else(|| format!("cat: can't open '{path}': No such file or directory")),
        ["test" | "[", "-f" | "-e", path, ..] | ["ls", path] => {
            read_file(w, pod, i, path).map(|_| ()).ok_or_else(String::new)
        }
        [] => Err(String::new()),
        [cmd, ..] => Err(format!("exec: \"{cmd}\": executable file not found in $PATH")),
    }
}

// ------------------------------------------------------------------------------------------ identity

/// The pod's hostname: `spec.hostname`, else the pod name (the kubelet truncates it to 63 characters).
pub fn hostname(pod: &Pod) -> String {
    let h = if pod.spec.hostname.is_empty() { &pod.metadata.name } else { &pod.spec.hostname };
    let mut h: String = h.chars().take(63).collect();
    // The kubelet trims a trailing '-' or '.' left by truncation.
    while h.ends_with('-') || h.ends_with('.') {
        h.pop();
    }
    h
}

/// `<hostname>.<subdomain>.<namespace>.svc.cluster.local` when the pod has a subdomain (a StatefulSet's
/// pods have `serviceName`), whether or not that Service exists.
pub fn fqdn(pod: &Pod) -> Option<String> {
    (!pod.spec.subdomain.is_empty()).then(|| {
        format!(
            "{}.{}.{}.svc.{}",
            hostname(pod),
            pod.spec.subdomain,
            pod.metadata.namespace,
            crate::dns::CLUSTER_DOMAIN
        )
    })
}

/// The `/etc/hosts` the kubelet writes (`managedHostsFileContent`): the localhost lines, the pod's IPs
/// with its FQDN and hostname, and `hostAliases`.
pub fn hosts_file(pod: &Pod) -> String {
    let host_network = pod.spec.extra.get("hostNetwork").and_then(|v| v.as_bool()).unwrap_or(false);
    let mut s = String::from(if host_network {
        "# Kubernetes-managed hosts file (host network).\n"
    } else {
        "# Kubernetes-managed hosts file.\n"
    });
    s.push_str("127.0.0.1\tlocalhost\n");
    s.push_str("::1\tlocalhost ip6-localhost ip6-loopback\n");
    s.push_str("fe00::0\tip6-localnet\n");
    s.push_str("fe00::0\tip6-mcastprefix\n");
    s.push_str("fe00::1\tip6-allnodes\n");
    s.push_str("fe00::2\tip6-allrouters\n");
    let host = hostname(pod);
    let mut ips: Vec<String> = pod.status.pod_ips.iter().map(|p| p.ip.clone()).collect();
    if ips.is_empty() {
        ips.extend(pod.status.pod_ip.clone());
    }
    for ip in ips {
        match fqdn(pod) {
            Some(f) => s.push_str(&format!("{ip}\t{f}\t{host}\n")),
            None => s.push_str(&format!("{ip}\t{host}\n")),
        }
    }
    if let Some(aliases) = pod.spec.extra.get("hostAliases").and_then(|v| v.as_array()) {
        if !aliases.is_empty() {
            s.push_str("\n# Entries added by HostAliases.\n");
            for a in aliases.iter().take(64) {
                let ip = a.get("ip").and_then(|v| v.as_str()).unwrap_or("");
                let names: Vec<&str> = a
                    .get("hostnames")
                    .and_then(|v| v.as_array())
                    .map(|v| v.iter().take(64).filter_map(|n| n.as_str()).collect())
                    .unwrap_or_default();
                s.push_str(&format!("{ip}\t{}\n", names.join("\t")));
            }
        }
    }
    s
}

/// `/etc/resolv.conf` as containerd writes it from the kubelet's DNS config (dnsPolicy ClusterFirst: the
/// namespace's search path, the cluster DNS Service, `ndots:5`).
pub fn resolv_conf(pod: &Pod) -> String {
    let ns = &pod.metadata.namespace;
    let d = crate::dns::CLUSTER_DOMAIN;
    match pod.spec.dns_policy.as_deref() {
        // The node's resolver (kind nodes use the Docker network's embedded DNS).
        Some("Default") => "nameserver 172.18.0.1\noptions ndots:0\n".to_string(),
        Some("None") => {
            let cfg = pod.spec.extra.get("dnsConfig");
            let list = |k: &str| -> Vec<String> {
                cfg.and_then(|c| c.get(k))
                    .and_then(|v| v.as_array())
                    .map(|a| a.iter().take(32).filter_map(|s| s.as_str().map(String::from)).collect())
                    .unwrap_or_default()
            };
            let mut s = String::new();
            let search = list("searches");
            if !search.is_empty() {
                s.push_str(&format!("search {}\n", search.join(" ")));
            }
            for n in list("nameservers") {
                s.push_str(&format!("nameserver {n}\n"));
            }
            s
        }
        _ => format!("search {ns}.svc.{d} svc.{d} {d}\nnameserver {}\noptions ndots:5\n", crate::dns::DNS_SERVER),
    }
}

/// The kubelet-managed files every container sees (bind mounts from the pod's directory).
pub const MANAGED_FILES: [&str; 3] = ["/etc/hosts", "/etc/resolv.conf", "/etc/hostname"];

fn managed_file(pod: &Pod, path: &str) -> Option<String> {
    match path {
        "/etc/hosts" => Some(hosts_file(pod)),
        "/etc/resolv.conf" => Some(resolv_conf(pod)),
        "/etc/hostname" => Some(format!("{}\n", hostname(pod))),
        _ => None,
    }
}

/// The environment of container `i` as the runtime starts its processes: the image's `PATH`, `HOSTNAME`,
/// the container's `env` (values and the downward-API fields a pod can know), the Kubernetes service
/// variables (`KUBERNETES_*` always; with `enableServiceLinks`, those of the namespace's Services that
/// have a cluster IP and existed when the container started) and `HOME`.
///
/// The kubelet builds this list from Go maps, so the real order varies; here it is deterministic.
pub fn container_env(w: &World, pod: &Pod, i: usize) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = vec![
        ("PATH".into(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()),
        ("HOSTNAME".into(), hostname(pod)),
    ];
    let set = |env: &mut Vec<(String, String)>, k: String, v: String| {
        if let Some(e) = env.iter_mut().find(|(n, _)| *n == k) {
            e.1 = v;
        } else {
            env.push((k, v));
        }
    };
    let mut services: Vec<(String, String)> = kubernetes_service_env();
    let links = pod.spec.extra.get("enableServiceLinks").and_then(|v| v.as_bool()).unwrap_or(true);
    let started =
        w.runtimes.get(&pod.metadata.uid).and_then(|r| r.containers.get(i)).and_then(|c| c.started_at).unwrap_or(w.now);
    if links {
        let mut svcs: Vec<&Service> = w
            .store
            .list(stsplay_model::kinds::Kind::Service, Some(&pod.metadata.namespace))
            .filter_map(|o| o.as_service())
            .filter(|s| s.metadata.creation_timestamp.is_none_or(|t| t.0 <= started))
            .collect();
        svcs.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
        for s in svcs.into_iter().take(64) {
            let Some(ip) = s.spec.cluster_ip.clone().filter(|ip| !ip.is_empty() && ip != "None") else { continue };
            if s.metadata.name == "kubernetes" && s.metadata.namespace == "default" {
                continue;
            }
            let ports: Vec<(Option<String>, i32, String)> = s
                .spec
                .ports
                .iter()
                .map(|p| (p.name.clone(), p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
                .collect();
            services.extend(service_env(&s.metadata.name, &ip, &ports));
        }
    }
    for e in pod.spec.containers.get(i).map(|c| c.env.as_slice()).unwrap_or(&[]).iter().take(256) {
        let value = match &e.value {
            Some(v) => expand_env_refs(v, &env),
            None => field_ref(pod, e).unwrap_or_default(),
        };
        set(&mut env, e.name.clone(), value);
    }
    services.sort();
    for (k, v) in services {
        if !env.iter().any(|(n, _)| *n == k) {
            env.push((k, v));
        }
    }
    if !env.iter().any(|(n, _)| n == "HOME") {
        env.push(("HOME".into(), "/root".into()));
    }
    env
}

/// `$(VAR)` references in an env value, resolved against the variables defined before it.
fn expand_env_refs(v: &str, env: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(at) = rest.find("$(") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find(')') {
            Some(end) => {
                let name = &after[..end];
                match env.iter().find(|(k, _)| k == name) {
                    Some((_, val)) => out.push_str(val),
                    None => out.push_str(&format!("$({name})")),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[at..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// `valueFrom.fieldRef` for the fields the downward API offers as env.
fn field_ref(pod: &Pod, e: &EnvVar) -> Option<String> {
    let path = e.extra.get("valueFrom")?.get("fieldRef")?.get("fieldPath")?.as_str()?;
    Some(match path {
        "metadata.name" => pod.metadata.name.clone(),
        "metadata.namespace" => pod.metadata.namespace.clone(),
        "metadata.uid" => pod.metadata.uid.clone(),
        "spec.nodeName" => pod.spec.node_name.clone(),
        "spec.serviceAccountName" => "default".into(),
        "status.podIP" => pod.status.pod_ip.clone().unwrap_or_default(),
        "status.hostIP" => pod.status.host_ip.clone().unwrap_or_default(),
        p => {
            if let Some(k) = p.strip_prefix("metadata.labels['").and_then(|k| k.strip_suffix("']")) {
                pod.metadata.labels.get(k).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        }
    })
}

fn kubernetes_service_env() -> Vec<(String, String)> {
    service_env("kubernetes", crate::dns::KUBERNETES_SERVICE_IP, &[(Some("https".into()), 443, "TCP".into())])
}

/// The docker-links style variables the kubelet sets for a Service (`envvars.FromServices`).
fn service_env(name: &str, ip: &str, ports: &[(Option<String>, i32, String)]) -> Vec<(String, String)> {
    let base = name.to_ascii_uppercase().replace('-', "_");
    let mut v = vec![(format!("{base}_SERVICE_HOST"), ip.to_string())];
    let Some((_, first_port, first_proto)) = ports.first() else { return v };
    v.push((format!("{base}_SERVICE_PORT"), first_port.to_string()));
    for (pname, port, _) in ports {
        if let Some(n) = pname.as_deref().filter(|n| !n.is_empty()) {
            v.push((format!("{base}_SERVICE_PORT_{}", n.to_ascii_uppercase().replace('-', "_")), port.to_string()));
        }
    }
    v.push((format!("{base}_PORT"), format!("{}://{ip}:{first_port}", first_proto.to_ascii_lowercase())));
    for (_, port, proto) in ports {
        let p = proto.to_ascii_lowercase();
        let prefix = format!("{base}_PORT_{port}_{}", proto.to_ascii_uppercase());
        v.push((prefix.clone(), format!("{p}://{ip}:{port}")));
        v.push((format!("{prefix}_PROTO"), p));
        v.push((format!("{prefix}_PORT"), port.to_string()));
        v.push((format!("{prefix}_ADDR"), ip.to_string()));
    }
    v
}

// -------------------------------------------------------------------------------------------- images

/// The userland an image ships: which shell `sh` is and which programs exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Userland {
    /// `busybox` itself: busybox ash and applets (`nslookup`, `wget`), no `curl`, no `bash`.
    Busybox,
    /// Alpine-based images (`ikubernetes/myapp`, `*-alpine`): busybox ash and applets.
    Alpine,
    /// Debian-based images (`nginx`, `nginx-slim`, and images we know nothing about): dash as `sh`, `bash`,
    /// GNU coreutils; `curl` only where the image installs it.
    Debian,
}

impl Userland {
    /// Busybox's applets (ash's messages: `sh: foo: not found`) rather than dash/bash and GNU coreutils.
    pub fn is_busybox(self) -> bool {
        matches!(self, Userland::Busybox | Userland::Alpine)
    }
}

fn repo_of(image: &str) -> &str {
    let r = crate::stages::image_repository(image);
    let r = r.strip_prefix("docker.io/").unwrap_or(r);
    r.strip_prefix("library/").unwrap_or(r)
}

fn tag_of(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    match no_digest.rfind(':') {
        Some(i) if !no_digest[i..].contains('/') => &no_digest[i + 1..],
        _ => "latest",
    }
}

pub fn userland(image: &str) -> Userland {
    let repo = repo_of(image);
    let tag = tag_of(image);
    match repo {
        "busybox" => Userland::Busybox,
        "ikubernetes/myapp" | "alpine" | "curlimages/curl" => Userland::Alpine,
        _ if tag.contains("alpine") || repo.contains("alpine") => Userland::Alpine,
        _ => Userland::Debian,
    }
}

/// Programs every userland has (coreutils or busybox applets) that the simulated shell implements.
const COMMON_PROGRAMS: &[&str] = &[
    "sh", "cat", "cp", "date", "echo", "env", "false", "grep", "head", "hostname", "id", "ls", "mkdir", "mv",
    "printenv", "printf", "pwd", "rm", "rmdir", "sleep", "sort", "tail", "test", "[", "touch", "true", "uname", "wc",
    "whoami",
];

/// Whether the image ships `program` (a name, or a path in one of the usual bin directories).
pub fn has_program(image: &str, program: &str) -> bool {
    let name = match program.rsplit_once('/') {
        Some((dir, n)) => {
            if !matches!(dir, "/bin" | "/usr/bin" | "/sbin" | "/usr/sbin" | "/usr/local/bin") {
                return false;
            }
            n
        }
        None => program,
    };
    if COMMON_PROGRAMS.contains(&name) {
        return true;
    }
    let repo = repo_of(image);
    match userland(image) {
        Userland::Busybox => matches!(name, "ash" | "nslookup" | "wget"),
        Userland::Alpine => {
            matches!(name, "ash" | "nslookup" | "wget") || (name == "curl" && repo != "ikubernetes/myapp")
        }
        Userland::Debian => {
            name == "bash"
                || (name == "curl" && matches!(repo, "nginx" | "registry.k8s.io/nginx-slim" | "k8s.gcr.io/nginx-slim"))
        }
    }
}

/// The top-level directories of the image's root filesystem.
pub fn root_dirs(image: &str) -> &'static [&'static str] {
    match userland(image) {
        Userland::Busybox => &["bin", "dev", "etc", "home", "proc", "root", "sys", "tmp", "usr", "var"],
        Userland::Alpine => &[
            "bin", "dev", "etc", "home", "lib", "media", "mnt", "opt", "proc", "root", "run", "sbin", "srv", "sys",
            "tmp", "usr", "var",
        ],
        Userland::Debian => &[
            "bin", "boot", "dev", "etc", "home", "lib", "lib64", "media", "mnt", "opt", "proc", "root", "run", "sbin",
            "srv", "sys", "tmp", "usr", "var",
        ],
    }
}

/// A few more directories every image has.
const SYSTEM_SUBDIRS: &[&str] = &["/usr/bin", "/usr/sbin", "/usr/local", "/usr/share", "/var/log", "/var/tmp"];

/// The nginx version an image's server reports (`Server:` header, error pages), when we know it.
pub fn nginx_version(image: &str) -> Option<String> {
    let repo = repo_of(image);
    let tag = tag_of(image);
    match repo {
        "ikubernetes/myapp" => Some("1.12.2".into()),
        "nginx" => {
            let t = tag.split('-').next().unwrap_or("");
            let parts: Vec<&str> = t.split('.').collect();
            let numeric =
                !parts.is_empty() && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
            match (numeric, parts.len()) {
                (true, 3) => Some(t.to_string()),
                (true, 2) => Some(
                    match t {
                        "1.21" => "1.21.6",
                        "1.22" => "1.22.1",
                        "1.23" => "1.23.4",
                        "1.24" => "1.24.0",
                        "1.25" => "1.25.5",
                        "1.26" => "1.26.3",
                        "1.27" => "1.27.5",
                        "1.28" => "1.28.0",
                        "1.29" => "1.29.1",
                        _ => return Some(format!("{t}.0")),
                    }
                    .to_string(),
                ),
                _ if tag == "latest" || tag == "mainline" || tag == "alpine" => Some("1.29.1".into()),
                _ if tag == "stable" => Some("1.28.0".into()),
                _ => None,
            }
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------- filesystem

/// What a path is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    File,
    Dir,
}

/// Why a filesystem operation failed (each program words it its own way).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FsError {
    /// ENOENT
    NotFound,
    /// EEXIST
    Exists,
    /// ENOTDIR: a parent is a file
    NotDir,
    /// EISDIR
    IsDir,
    /// EBUSY: a mount point, a kubelet-managed file or a system directory
    Busy,
    /// ENOSPC: the simulation's size limits
    NoSpace,
    /// ENOTEMPTY (rmdir)
    NotEmpty,
    /// The container is not running.
    NotRunning,
    /// EROFS
    ReadOnly,
}

impl FsError {
    /// The C library's text for the error.
    pub fn text(self) -> &'static str {
        match self {
            FsError::NotFound => "No such file or directory",
            FsError::Exists => "File exists",
            FsError::NotDir => "Not a directory",
            FsError::IsDir => "Is a directory",
            FsError::Busy => "Resource busy",
            FsError::NoSpace => "No space left on device",
            FsError::NotEmpty => "Directory not empty",
            FsError::NotRunning => "No such process",
            FsError::ReadOnly => "Read-only file system",
        }
    }
}

/// An absolute, normalized path: `cwd` joined with `path`, `.` and `..` resolved, no trailing `/`.
pub fn normalize(cwd: &str, path: &str) -> String {
    let joined = if path.starts_with('/') { path.to_string() } else { format!("{cwd}/{path}") };
    let mut parts: Vec<&str> = Vec::new();
    for c in joined.split('/').take(256) {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let mut s = format!("/{}", parts.join("/"));
    if s.len() > MAX_PATH_BYTES {
        let mut cut = MAX_PATH_BYTES;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

/// The parent directory of a normalized path (`/` for top-level entries).
pub fn parent(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => &path[..i],
    }
}

fn mount_paths(pod: &Pod, i: usize) -> Vec<String> {
    pod.spec
        .containers
        .get(i)
        .map(|c| {
            c.volume_mounts
                .iter()
                .map(|m| {
                    let p = m.mount_path.trim_end_matches('/');
                    if p.is_empty() {
                        "/".to_string()
                    } else {
                        p.to_string()
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `path` is `base` or lies below it.
fn at_or_below(path: &str, base: &str) -> bool {
    base == "/" || path == base || (path.starts_with(base) && path.as_bytes().get(base.len()) == Some(&b'/'))
}

/// The child of `dir` on the way to `path` (`path` strictly below `dir`).
fn child_toward<'a>(dir: &str, path: &'a str) -> Option<&'a str> {
    if path == dir || !at_or_below(path, dir) {
        return None;
    }
    let rest = if dir == "/" { path.strip_prefix('/')? } else { path.get(dir.len() + 1..)? };
    rest.split('/').next().filter(|c| !c.is_empty())
}

/// Directories that exist in every container of this image, with their ancestors.
fn system_dirs(image: &str) -> Vec<String> {
    let mut v: Vec<String> = root_dirs(image).iter().map(|d| format!("/{d}")).collect();
    v.extend(SYSTEM_SUBDIRS.iter().map(|s| s.to_string()));
    v
}

fn container_files<'a>(w: &'a World, pod: &Pod, i: usize) -> Option<&'a Files> {
    w.runtimes.get(&pod.metadata.uid)?.containers.get(i).map(|c| &c.files)
}

fn container_image(pod: &Pod, i: usize) -> &str {
    pod.spec.containers.get(i).map(|c| c.image.as_str()).unwrap_or("")
}

/// Whether a container-layer key is visible (image files under a mount are hidden unless written there).
fn visible(pod: &Pod, i: usize, files: &Files, key: &str) -> bool {
    let p = key.trim_end_matches('/');
    !under_mount(pod, i, p) || files.contains_key(&written_marker(key))
}

/// What `path` (normalized) is in container `i`, if anything.
pub fn stat(w: &World, pod: &Pod, i: usize, path: &str) -> Option<Node> {
    if path == "/" {
        return Some(Node::Dir);
    }
    if MANAGED_FILES.contains(&path) {
        return Some(Node::File);
    }
    let mounts = mount_paths(pod, i);
    if mounts.iter().any(|m| at_or_below(m, path)) {
        return Some(Node::Dir);
    }
    match locate(w, pod, i, path) {
        Location::Volume(pv, rel) => {
            if rel.is_empty() {
                return Some(Node::Dir);
            }
            let files = w.volumes.get(&pv)?;
            if files.contains_key(&rel) {
                return Some(Node::File);
            }
            let prefix = format!("{rel}/");
            if files.range(prefix.clone()..).next().is_some_and(|(k, _)| k.starts_with(&prefix)) {
                return Some(Node::Dir);
            }
            None
        }
        Location::Container(p) => {
            if system_dirs(container_image(pod, i)).iter().any(|d| at_or_below(d, &p)) {
                return Some(Node::Dir);
            }
            let files = container_files(w, pod, i)?;
            if files.contains_key(&p) && visible(pod, i, files, &p) {
                return Some(Node::File);
            }
            let prefix = format!("{p}/");
            let below = files
                .range(prefix.clone()..)
                .take_while(|(k, _)| k.starts_with(&prefix))
                .take(MAX_FILES * 2)
                .any(|(k, _)| visible(pod, i, files, k));
            below.then_some(Node::Dir)
        }
    }
}

/// A file's content as a program reads it: the kubelet-managed files, the volume, the writable layer.
pub fn read(w: &World, pod: &Pod, i: usize, path: &str) -> Result<String, FsError> {
    if let Some(c) = read_file(w, pod, i, path) {
        return Ok(c);
    }
    if let Some(c) = managed_file(pod, path) {
        return Ok(c);
    }
    match stat(w, pod, i, path) {
        Some(Node::Dir) => Err(FsError::IsDir),
        Some(Node::File) => Ok(String::new()),
        None => Err(match stat(w, pod, i, parent(path)) {
            Some(Node::File) => FsError::NotDir,
            _ => FsError::NotFound,
        }),
    }
}

fn file_count(w: &World, pod: &Pod, i: usize, loc: &Location) -> usize {
    match loc {
        Location::Volume(pv, _) => w.volumes.get(pv).map(|f| f.len()).unwrap_or(0),
        Location::Container(_) => container_files(w, pod, i).map(|f| f.len() / 2).unwrap_or(0),
    }
}

/// Writes (or appends to) a file the way a program's `open(O_CREAT)` + `write` would.
pub fn write(w: &mut World, pod: &Pod, i: usize, path: &str, content: &str, append: bool) -> Result<(), FsError> {
    if container_files(w, pod, i).is_none() {
        return Err(FsError::NotRunning);
    }
    let existing = match stat(w, pod, i, path) {
        Some(Node::Dir) => return Err(FsError::IsDir),
        Some(Node::File) => Some(read(w, pod, i, path).unwrap_or_default()),
        None => {
            match stat(w, pod, i, parent(path)) {
                Some(Node::Dir) => {}
                Some(Node::File) => return Err(FsError::NotDir),
                None => return Err(FsError::NotFound),
            }
            None
        }
    };
    let new = match (append, existing) {
        (true, Some(old)) => {
            if old.len().saturating_add(content.len()) > MAX_FILE_BYTES {
                return Err(FsError::NoSpace);
            }
            old + content
        }
        _ => {
            if content.len() > MAX_FILE_BYTES {
                return Err(FsError::NoSpace);
            }
            content.to_string()
        }
    };
    let loc = locate(w, pod, i, path);
    if stat(w, pod, i, path).is_none() && file_count(w, pod, i, &loc) >= MAX_FILES {
        return Err(FsError::NoSpace);
    }
    write_file(w, pod, i, path, new).map_err(|_| FsError::NotRunning)
}

/// The entries of a directory, sorted by name.
pub fn list_dir(w: &World, pod: &Pod, i: usize, path: &str) -> Result<Vec<(String, Node)>, FsError> {
    match stat(w, pod, i, path) {
        Some(Node::Dir) => {}
        Some(Node::File) => return Err(FsError::NotDir),
        None => return Err(FsError::NotFound),
    }
    let mut entries: std::collections::BTreeMap<String, Node> = std::collections::BTreeMap::new();
    let image = container_image(pod, i);
    for d in system_dirs(image).iter().chain(mount_paths(pod, i).iter()) {
        if let Some(c) = child_toward(path, d) {
            entries.insert(c.to_string(), Node::Dir);
        }
    }
    for f in MANAGED_FILES {
        if let Some(c) = child_toward(path, f) {
            entries.insert(c.to_string(), if parent(f) == path { Node::File } else { Node::Dir });
        }
    }
    let add = |entries: &mut std::collections::BTreeMap<String, Node>, rest: &str| {
        let (name, more) = match rest.split_once('/') {
            Some((n, m)) => (n, Some(m)),
            None => (rest, None),
        };
        if name.is_empty() || entries.len() >= MAX_FILES {
            return;
        }
        let kind = if more.is_some() { Node::Dir } else { Node::File };
        let e = entries.entry(name.to_string()).or_insert(kind);
        if kind == Node::Dir {
            *e = Node::Dir;
        }
    };
    match locate(w, pod, i, path) {
        Location::Volume(pv, rel) => {
            if let Some(files) = w.volumes.get(&pv) {
                let prefix = if rel.is_empty() { String::new() } else { format!("{rel}/") };
                for (k, _) in files.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)).take(MAX_FILES)
                {
                    add(&mut entries, &k[prefix.len()..]);
                }
            }
        }
        Location::Container(p) => {
            if let Some(files) = container_files(w, pod, i) {
                let prefix = if p == "/" { "/".to_string() } else { format!("{p}/") };
                for (k, _) in
                    files.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)).take(MAX_FILES * 2)
                {
                    if visible(pod, i, files, k) {
                        add(&mut entries, &k[prefix.len()..]);
                    }
                }
            }
        }
    }
    Ok(entries.into_iter().collect())
}

fn protected(pod: &Pod, i: usize, path: &str) -> bool {
    path == "/"
        || MANAGED_FILES.contains(&path)
        || mount_paths(pod, i).iter().any(|m| at_or_below(m, path))
        || system_dirs(container_image(pod, i)).iter().any(|d| d == path)
        || ["/proc", "/sys", "/dev"].iter().any(|d| at_or_below(path, d))
}

/// `mkdir` (with `-p`: parents too, and an existing directory is fine).
pub fn mkdir(w: &mut World, pod: &Pod, i: usize, path: &str, parents: bool) -> Result<(), FsError> {
    if container_files(w, pod, i).is_none() {
        return Err(FsError::NotRunning);
    }
    match stat(w, pod, i, path) {
        Some(Node::Dir) if parents => return Ok(()),
        Some(_) => return Err(FsError::Exists),
        None => {}
    }
    // The missing directories, top-down.
    let mut missing: Vec<String> = vec![path.to_string()];
    let mut p = parent(path).to_string();
    loop {
        match stat(w, pod, i, &p) {
            Some(Node::Dir) => break,
            Some(Node::File) => return Err(FsError::NotDir),
            None if parents && missing.len() < 64 => {
                missing.push(p.clone());
                p = parent(&p).to_string();
            }
            None => return Err(FsError::NotFound),
        }
    }
    for d in missing.iter().rev() {
        let loc = locate(w, pod, i, d);
        if file_count(w, pod, i, &loc) >= MAX_FILES {
            return Err(FsError::NoSpace);
        }
        match loc {
            Location::Volume(pv, rel) => {
                w.volumes.entry(pv).or_default().insert(format!("{rel}/"), String::new());
            }
            Location::Container(p) => {
                let Some(files) = w.runtimes.get_mut(&pod.metadata.uid).and_then(|r| r.containers.get_mut(i)) else {
                    return Err(FsError::NotRunning);
                };
                let key = format!("{p}/");
                files.files.insert(written_marker(&key), String::new());
                files.files.insert(key, String::new());
            }
        }
    }
    Ok(())
}

/// `rm` (`recursive`: `-r`) and `rmdir` (`dir_only`: an empty directory only).
pub fn remove(w: &mut World, pod: &Pod, i: usize, path: &str, recursive: bool, dir_only: bool) -> Result<(), FsError> {
    let node = stat(w, pod, i, path).ok_or(FsError::NotFound)?;
    if dir_only && node == Node::File {
        return Err(FsError::NotDir);
    }
    if node == Node::Dir && !recursive && !dir_only {
        return Err(FsError::IsDir);
    }
    if dir_only && !list_dir(w, pod, i, path)?.is_empty() {
        return Err(FsError::NotEmpty);
    }
    if protected(pod, i, path) {
        return Err(FsError::Busy);
    }
    match locate(w, pod, i, path) {
        Location::Volume(pv, rel) => {
            if let Some(files) = w.volumes.get_mut(&pv) {
                let prefix = format!("{rel}/");
                files.retain(|k, _| *k != rel && !k.starts_with(&prefix));
            }
        }
        Location::Container(p) => {
            let Some(rt) = w.runtimes.get_mut(&pod.metadata.uid).and_then(|r| r.containers.get_mut(i)) else {
                return Err(FsError::NotRunning);
            };
            let prefix = format!("{p}/");
            let (m_file, m_prefix) = (written_marker(&p), written_marker(&prefix));
            rt.files.retain(|k, _| *k != p && !k.starts_with(&prefix) && *k != m_file && !k.starts_with(&m_prefix));
        }
    }
    Ok(())
}

// ------------------------------------------------------------------------------------------- web server

/// What a web server answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpResult {
    /// Nothing listens there (container not running, no web server in the image, another port).
    Refused,
    Response {
        status: u16,
        reason: &'static str,
        body: String,
    },
}

/// The index of the container that serves HTTP on `port`, if one runs.
pub fn web_container(w: &World, pod: &Pod, port: u16) -> Option<usize> {
    if port != 80 {
        return None;
    }
    let rt = w.runtimes.get(&pod.metadata.uid)?;
    pod.spec.containers.iter().enumerate().find_map(|(i, c)| {
        let serves = w.stages.image(&c.image).is_some_and(|info| info.web_root.is_some());
        let running = rt.containers.get(i).is_some_and(|r| r.started_at.is_some());
        (serves && running && c.command.is_empty()).then_some(i)
    })
}

/// nginx's built-in error page.
pub fn nginx_error_page(image: &str, status: u16, reason: &str) -> String {
    let version = nginx_version(image);
    let old = version.as_deref().is_some_and(|v| {
        let n: Vec<u32> = v.split('.').filter_map(|p| p.parse().ok()).collect();
        n.first() == Some(&1) && n.get(1).is_some_and(|m| *m < 17)
    });
    let body = if old { "<body bgcolor=\"white\">" } else { "<body>" };
    let server = match version {
        Some(v) => format!("nginx/{v}"),
        None => "nginx".to_string(),
    };
    format!(
        "<html>\r\n<head><title>{status} {reason}</title></head>\r\n{body}\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>{server}</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// A GET of `path` on the pod's web server (nginx: `index.html` for directories, 403 for a directory
/// without one — e.g. an empty volume mounted over the web root — 404 for nothing, 301 for a directory
/// named without its trailing slash).
pub fn http_get(w: &World, pod: &Pod, port: u16, path: &str) -> HttpResult {
    let Some(i) = web_container(w, pod, port) else { return HttpResult::Refused };
    let image = container_image(pod, i).to_string();
    let Some(root) = w.stages.image(&image).and_then(|info| info.web_root.clone()) else {
        return HttpResult::Refused;
    };
    let raw = path.split(['?', '#']).next().unwrap_or("/");
    let raw = if raw.is_empty() { "/" } else { raw };
    let wants_dir = raw.ends_with('/');
    let rel = normalize("/", raw);
    let fs_path = if rel == "/" { root.clone() } else { format!("{root}{rel}") };
    let error = |status: u16, reason: &'static str| HttpResult::Response {
        status,
        reason,
        body: nginx_error_page(&image, status, reason),
    };
    match stat(w, pod, i, &fs_path) {
        Some(Node::File) if !wants_dir => match read(w, pod, i, &fs_path) {
            Ok(body) => HttpResult::Response { status: 200, reason: "OK", body },
            Err(_) => error(403, "Forbidden"),
        },
        Some(Node::File) => error(404, "Not Found"),
        Some(Node::Dir) if !wants_dir => error(301, "Moved Permanently"),
        Some(Node::Dir) => {
            let index = format!("{}/index.html", fs_path.trim_end_matches('/'));
            match stat(w, pod, i, &index) {
                Some(Node::File) => match read(w, pod, i, &index) {
                    Ok(body) => HttpResult::Response { status: 200, reason: "OK", body },
                    Err(_) => error(403, "Forbidden"),
                },
                _ => error(403, "Forbidden"),
            }
        }
        None => error(404, "Not Found"),
    }
}

// --------------------------------------------------------------------------------------- pod lifecycle

/// The pod's containers exited on their own with `exit_code` (a `kubectl run` pod whose command finished,
/// restartPolicy Never/OnFailure): every container terminated, phase Succeeded or Failed.
pub fn complete_pod(w: &mut World, ns: &str, name: &str, exit_code: i32) -> Result<(), String> {
    let Some(mut pod) = w.get_pod(ns, name).cloned() else {
        return Err(format!("pods {name:?} not found"));
    };
    let now = w.now;
    if let Some(rt) = w.runtimes.get_mut(&pod.metadata.uid) {
        for c in &mut rt.containers {
            c.started_at = None;
            c.ready = false;
        }
    }
    let reason = if exit_code == 0 { "Completed" } else { "Error" };
    for cs in &mut pod.status.container_statuses {
        let started = cs.state.running.as_ref().and_then(|r| r.started_at);
        cs.state = ContainerState {
            terminated: Some(ContainerStateTerminated {
                exit_code,
                reason: Some(reason.into()),
                started_at: started,
                finished_at: Some(Time(now)),
            }),
            ..Default::default()
        };
        cs.ready = false;
        cs.started = Some(false);
    }
    pod.status.phase = if exit_code == 0 { "Succeeded" } else { "Failed" }.into();
    for t in ["Ready", "ContainersReady"] {
        crate::scheduler::set_condition(&mut pod, t, "False", Some("PodCompleted"), None, now);
    }
    crate::scheduler::set_condition(&mut pod, "PodReadyToStartContainers", "False", None, None, now);
    w.write(Object::Pod(pod));
    w.trace(
        "kubelet",
        format!(
            "{name}: container exited with code {exit_code}, phase {}",
            if exit_code == 0 { "Succeeded" } else { "Failed" }
        ),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use stsplay_model::kinds::Kind;

    fn set(name: &str, service: &str, image: &str, volume: bool) -> Object {
        let mut spec = serde_json::json!({
            "serviceName": service, "replicas": 1,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "c", "image": image,
                    "env": [{"name": "GREETING", "value": "hi $(HOSTNAME)"},
                            {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}]}]}},
        });
        if volume {
            spec["template"]["spec"]["containers"][0]["volumeMounts"] =
                serde_json::json!([{"name": "www", "mountPath": "/usr/share/nginx/html"}]);
            spec["volumeClaimTemplates"] = serde_json::json!([{"metadata": {"name": "www"},
                "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]);
        }
        let v = serde_json::json!({"metadata": {"name": name}, "spec": spec});
        Object::StatefulSet(serde_json::from_value(v).unwrap())
    }

    fn service(name: &str, headless: bool) -> Object {
        let mut v = serde_json::json!({"metadata": {"name": name},
            "spec": {"selector": {"app": name}, "ports": [{"port": 80, "name": "http-web"}]}});
        if headless {
            v["spec"]["clusterIP"] = serde_json::json!("None");
        }
        Object::Service(serde_json::from_value(v).unwrap())
    }

    fn world() -> World {
        let mut w = World::new(3);
        w.api_create(service("front", false)).unwrap();
        w.api_create(service("web", true)).unwrap();
        w.api_create(set("web", "web", "registry.k8s.io/nginx-slim:0.24", true)).unwrap();
        w.api_create(set("plain", "", "nginx:1.25", false)).unwrap();
        assert!(w.settle(600_000));
        w
    }

    fn pod(w: &World, name: &str) -> Pod {
        w.get_pod("default", name).cloned().unwrap()
    }

    #[test]
    fn identity_files() {
        let w = world();
        let p = pod(&w, "web-0");
        let ip = p.status.pod_ip.clone().unwrap();
        assert_eq!(hostname(&p), "web-0");
        assert_eq!(fqdn(&p).as_deref(), Some("web-0.web.default.svc.cluster.local"));
        assert_eq!(
            hosts_file(&p),
            format!("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n{ip}\tweb-0.web.default.svc.cluster.local\tweb-0\n")
        );
        let plain = pod(&w, "plain-0");
        assert_eq!(fqdn(&plain), None);
        assert!(hosts_file(&plain).ends_with(&format!("{}\tplain-0\n", plain.status.pod_ip.clone().unwrap())));
        assert_eq!(
            resolv_conf(&p),
            "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
        );
        let mut aliased = plain.clone();
        aliased.spec.extra.insert(
            "hostAliases".into(),
            serde_json::json!([{"ip": "10.1.2.3", "hostnames": ["foo.remote", "bar.remote"]}]),
        );
        assert!(
            hosts_file(&aliased).ends_with("\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.remote\tbar.remote\n")
        );
        let mut long = plain.clone();
        long.metadata.name = format!("{}-x", "a".repeat(62));
        long.spec.hostname.clear();
        assert_eq!(hostname(&long), "a".repeat(62));
    }

    #[test]
    fn environment() {
        let w = world();
        let p = pod(&w, "web-0");
        let env = container_env(&w, &p, 0);
        let get = |k: &str| env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        assert_eq!(get("HOSTNAME").as_deref(), Some("web-0"));
        assert_eq!(get("GREETING").as_deref(), Some("hi web-0"));
        assert_eq!(get("POD_IP"), p.status.pod_ip.clone());
        assert_eq!(get("KUBERNETES_SERVICE_HOST").as_deref(), Some("10.96.0.1"));
        assert_eq!(get("KUBERNETES_PORT_443_TCP").as_deref(), Some("tcp://10.96.0.1:443"));
        // A ClusterIP Service that existed when the container started; headless ones get no variables.
        let front = w.store.get_by(Kind::Service, "default", "front").and_then(|o| o.as_service()).unwrap();
        let ip = front.spec.cluster_ip.clone().unwrap();
        assert_eq!(get("FRONT_SERVICE_HOST"), Some(ip.clone()));
        assert_eq!(get("FRONT_SERVICE_PORT_HTTP_WEB").as_deref(), Some("80"));
        assert_eq!(get("FRONT_PORT_80_TCP_ADDR"), Some(ip));
        assert_eq!(get("WEB_SERVICE_HOST"), None);
        assert_eq!(env.first().map(|e| e.0.as_str()), Some("PATH"));
        assert_eq!(env.last().map(|e| e.0.as_str()), Some("HOME"));
    }

    #[test]
    fn filesystem_volume_and_layer() {
        let mut w = world();
        let p = pod(&w, "web-0");
        // The empty volume hides the image's index page; the directory itself is there.
        assert_eq!(stat(&w, &p, 0, "/usr/share/nginx/html"), Some(Node::Dir));
        assert_eq!(stat(&w, &p, 0, "/usr/share/nginx/html/index.html"), None);
        assert_eq!(list_dir(&w, &p, 0, "/usr/share/nginx").unwrap(), vec![("html".to_string(), Node::Dir)]);
        assert!(matches!(http_get(&w, &p, 80, "/"), HttpResult::Response { status: 403, .. }));
        assert_eq!(http_get(&w, &p, 8080, "/"), HttpResult::Refused);
        write(&mut w, &p, 0, "/usr/share/nginx/html/index.html", "web-0\n", false).unwrap();
        write(&mut w, &p, 0, "/usr/share/nginx/html/index.html", "more\n", true).unwrap();
        assert!(
            matches!(locate(&w, &p, 0, "/usr/share/nginx/html/index.html"), Location::Volume(_, r) if r == "index.html")
        );
        assert_eq!(
            http_get(&w, &p, 80, "/"),
            HttpResult::Response { status: 200, reason: "OK", body: "web-0\nmore\n".into() }
        );
        assert!(matches!(http_get(&w, &p, 80, "/nope"), HttpResult::Response { status: 404, .. }));
        // The writable layer.
        assert_eq!(write(&mut w, &p, 0, "/nope/x", "", false), Err(FsError::NotFound));
        assert_eq!(write(&mut w, &p, 0, "/tmp", "", false), Err(FsError::IsDir));
        mkdir(&mut w, &p, 0, "/data/a/b", true).unwrap();
        assert_eq!(mkdir(&mut w, &p, 0, "/data/a", false), Err(FsError::Exists));
        assert_eq!(mkdir(&mut w, &p, 0, "/x/y", false), Err(FsError::NotFound));
        write(&mut w, &p, 0, "/data/a/b/f", "1", false).unwrap();
        assert_eq!(remove(&mut w, &p, 0, "/data", false, false), Err(FsError::IsDir));
        assert_eq!(remove(&mut w, &p, 0, "/data/a", false, true), Err(FsError::NotEmpty));
        remove(&mut w, &p, 0, "/data", true, false).unwrap();
        assert_eq!(stat(&w, &p, 0, "/data/a/b/f"), None);
        assert_eq!(remove(&mut w, &p, 0, "/usr/share/nginx/html", true, false), Err(FsError::Busy));
        assert_eq!(remove(&mut w, &p, 0, "/etc/hosts", false, false), Err(FsError::Busy));
        assert_eq!(read(&w, &p, 0, "/etc/hostname"), Ok("web-0\n".into()));
        write(&mut w, &p, 0, "/etc/hosts", "mine\n", false).unwrap();
        assert_eq!(read(&w, &p, 0, "/etc/hosts"), Ok("mine\n".into()));
        // Limits.
        let big = "x".repeat(MAX_FILE_BYTES + 1);
        assert_eq!(write(&mut w, &p, 0, "/tmp/big", &big, false), Err(FsError::NoSpace));
        let mut full = None;
        for k in 0..MAX_FILES + 10 {
            if let Err(e) = write(&mut w, &p, 0, &format!("/usr/share/nginx/html/f{k}"), "", false) {
                full = Some(e);
                break;
            }
        }
        assert_eq!(full, Some(FsError::NoSpace));
        // Without a volume the image's page is served.
        let plain = pod(&w, "plain-0");
        match http_get(&w, &plain, 80, "/index.html") {
            HttpResult::Response { status: 200, body, .. } => assert!(body.contains("Welcome to nginx!")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn paths_and_images() {
        assert_eq!(normalize("/usr/share", "../lib/./x//y/"), "/usr/lib/x/y");
        assert_eq!(normalize("/", "../../.."), "/");
        assert!(normalize("/", &"a/".repeat(10_000)).len() <= MAX_PATH_BYTES);
        assert_eq!(parent("/a"), "/");
        assert_eq!(parent("/a/b"), "/a");
        assert_eq!(userland("busybox:1.28"), Userland::Busybox);
        assert_eq!(userland("ikubernetes/myapp:v1"), Userland::Alpine);
        assert_eq!(userland("nginx:1.25-alpine"), Userland::Alpine);
        assert_eq!(userland("registry.k8s.io/nginx-slim:0.24"), Userland::Debian);
        assert!(has_program("busybox:1.28", "nslookup"));
        assert!(!has_program("busybox:1.28", "bash"));
        assert!(!has_program("busybox:1.28", "curl"));
        assert!(has_program("nginx:1.25", "/usr/bin/curl"));
        assert!(!has_program("nginx:1.25", "nslookup"));
        assert!(!has_program("nginx:1.25", "/opt/sh"));
        assert_eq!(nginx_version("nginx:1.25").as_deref(), Some("1.25.5"));
        assert_eq!(nginx_version("nginx:1.27.3-alpine").as_deref(), Some("1.27.3"));
        assert_eq!(nginx_version("ikubernetes/myapp:v2").as_deref(), Some("1.12.2"));
        assert!(nginx_error_page("ikubernetes/myapp:v1", 403, "Forbidden").contains("<body bgcolor=\"white\">\r\n"));
        assert_eq!(
            nginx_error_page("nginx:1.25", 404, "Not Found"),
            "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.25.5</center>\r\n</body>\r\n</html>\r\n"
        );
    }

    #[test]
    fn completed_pod() {
        let mut w = world();
        complete_pod(&mut w, "default", "plain-0", 2).unwrap();
        let p = pod(&w, "plain-0");
        assert_eq!(p.status.phase, "Failed");
        let t = p.status.container_statuses[0].state.terminated.clone().unwrap();
        assert_eq!((t.exit_code, t.reason.as_deref()), (2, Some("Error")));
        assert!(!p.is_ready());
        assert!(complete_pod(&mut w, "default", "nope", 0).is_err());
    }
}
