//! The simulated behaviour as data (`data/stages.yaml`): delays, back-offs and image facts.
//!
//! Parsed with serde_yaml, so a teacher can read and change the numbers without touching the controller code.

use serde::Deserialize;

pub const DEFAULT_STAGES_YAML: &str = include_str!("../data/stages.yaml");

/// A delay range in milliseconds, `[min, max]`.
pub type Range = [i64; 2];

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Controllers {
    pub statefulset_sync: Range,
    pub garbage_collector: Range,
    pub scheduler: Range,
    pub scheduler_retry: Range,
    pub pv_binder: Range,
    pub provisioning: Range,
    pub recycle: Range,
    pub delete_volume: Range,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Kubelet {
    pub sandbox: Range,
    pub image_pull: Range,
    pub image_pull_failure: Range,
    pub container_create: Range,
    pub readiness_after_start: Range,
    pub stop_container: Range,
    pub image_pull_back_off: Range,
    pub crash_loop_back_off: Range,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeLifecycle {
    pub node_monitor_grace_period: i64,
    pub default_toleration_seconds: i64,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ImageInfo {
    pub name: String,
    pub size: u64,
    #[serde(default)]
    pub web_root: Option<String>,
    #[serde(default)]
    pub index: Option<String>,
    #[serde(default)]
    pub ignores_sigterm: bool,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Stages {
    pub controllers: Controllers,
    pub kubelet: Kubelet,
    pub node_lifecycle: NodeLifecycle,
    pub images: Vec<ImageInfo>,
}

impl Stages {
    pub fn parse(text: &str) -> Result<Stages, String> {
        serde_yaml::from_str(text).map_err(|e| format!("stages: {e}"))
    }

    /// The table shipped with the playground.
    pub fn builtin() -> Stages {
        // The file is part of the crate and covered by a test, so this cannot fail at run time; fall back to
        // zero delays anyway rather than panic.
        Stages::parse(DEFAULT_STAGES_YAML).unwrap_or_else(|_| Stages::zero())
    }

    fn zero() -> Stages {
        let z = [0, 0];
        Stages {
            controllers: Controllers {
                statefulset_sync: z,
                garbage_collector: z,
                scheduler: z,
                scheduler_retry: [1000, 1000],
                pv_binder: z,
                provisioning: z,
                recycle: z,
                delete_volume: z,
            },
            kubelet: Kubelet {
                sandbox: z,
                image_pull: z,
                image_pull_failure: z,
                container_create: z,
                readiness_after_start: z,
                stop_container: z,
                image_pull_back_off: [10000, 300000],
                crash_loop_back_off: [10000, 300000],
            },
            node_lifecycle: NodeLifecycle { node_monitor_grace_period: 50000, default_toleration_seconds: 300 },
            images: Vec::new(),
        }
    }

    /// Facts about an image reference (`nginx:1.25` → the `nginx` entry), matched on the repository part.
    pub fn image(&self, image: &str) -> Option<&ImageInfo> {
        let repo = image_repository(image);
        let repo = repo.strip_prefix("docker.io/").unwrap_or(repo);
        let repo = repo.strip_prefix("library/").unwrap_or(repo);
        self.images.iter().find(|i| i.name == repo)
    }
}

/// The repository part of an image reference (without tag or digest).
pub fn image_repository(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    match no_digest.rfind(':') {
        Some(i) if !no_digest[i..].contains('/') => &no_digest[..i],
        _ => no_digest,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_parses() {
        let s = Stages::parse(DEFAULT_STAGES_YAML).expect("stages.yaml must parse");
        assert_eq!(s.node_lifecycle.node_monitor_grace_period, 50000);
        assert!(s.image("ikubernetes/myapp:v2").is_some());
        assert!(s.image("docker.io/library/nginx:1.25").is_some());
        assert!(s.image("unknown/thing").is_none());
    }

    #[test]
    fn repository() {
        assert_eq!(image_repository("localhost:5000/app:v1"), "localhost:5000/app");
        assert_eq!(image_repository("localhost:5000/app"), "localhost:5000/app");
        assert_eq!(image_repository("nginx@sha256:ab"), "nginx");
    }
}
