//! What runs inside a simulated container: its filesystem (image files, the writable layer, and mounted
//! volumes whose files live on the PV) and the commands readiness probes use.

use crate::world::World;
use stsplay_model::objects::*;

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
                let rel = path[len..].trim_start_matches('/').to_string();
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

pub fn read_file(w: &World, pod: &Pod, i: usize, path: &str) -> Option<String> {
    match locate(w, pod, i, path) {
        Location::Volume(pv, rel) => w.volumes.get(&pv)?.get(&rel).cloned(),
        Location::Container(p) => {
            let rt = w.runtimes.get(&pod.metadata.uid)?.containers.get(i)?;
            let f = rt.files.get(&p)?;
            (!under_mount(pod, i, &p) || rt.files.contains_key(&format!("\u{0}written:{p}"))).then(|| f.clone())
        }
    }
}

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
            rt.files.insert(format!("\u{0}written:{p}"), String::new());
            rt.files.insert(p, content);
            Ok(())
        }
    }
}

/// Runs a probe's exec command: `Ok` for exit status 0, `Err(output)` otherwise.
pub fn probe_command(w: &World, pod: &Pod, i: usize, argv: &[String]) -> Result<(), String> {
    let args: Vec<&str> = argv.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["sh" | "/bin/sh" | "bash" | "/bin/bash", "-c", script] => {
            let words: Vec<String> =
                script.split_whitespace().map(|s| s.trim_matches(|c| c == '\'' || c == '"').to_string()).collect();
            probe_command(w, pod, i, &words)
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
