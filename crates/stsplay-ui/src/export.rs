//! Export to a real cluster: the session's manifests and commands as one shell script that runs on kind or
//! minikube. The files each `kubectl apply -f` read are written out first (as they were when applied), the
//! commands follow in order, and the simulator's own commands become comments saying what they did here.

use crate::session::{Input, Session};
use std::collections::BTreeMap;

/// The script's first lines: what it is and what the simulation does not model.
const HEADER: &str = r#"#!/usr/bin/env bash
# StatefulSet Playground session, exported to run on a real cluster (kind or minikube).
#
#   kind create cluster          # or: minikube start
#   bash this-script.sh
#
# Notes on what the playground simulates and a real cluster does differently:
#   - Timing: the playground's virtual clock runs as fast as you let it; a real cluster takes real time.
#     Where time passed in the playground, this script waits with `kubectl wait` / `rollout status`
#     or a short sleep, and says so in a comment.
#   - Storage: the playground's StorageClasses `standard` and `gluster-dynamic` provision volumes at once.
#     kind has `standard` only (and minikube `standard`); claims naming `gluster-dynamic` stay Pending
#     unless you create such a class or use the static PersistentVolumes of pv-demo.yaml.
#   - `sim ...` commands (node failures, broken images, stepping time) exist only in the playground;
#     they are kept below as comments.
#   - Not modelled: kube-system pods, node capacity and resource requests, DNS caching, init containers'
#     own lifecycle. Pod IPs, UIDs and volume names will differ.
set -euo pipefail
cd "$(mktemp -d)"
echo "working in $PWD"
"#;

/// The shell script for `session`.
pub fn script(session: &Session) -> String {
    let mut out = String::from(HEADER);
    // Every version of every file a command read, written once each (name.yaml, name.2.yaml, ...).
    let mut written: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut last_at = 0i64;
    for e in &session.entries {
        let Input::Command { text, reads } = &e.input else { continue };
        let gap = e.moment.at - last_at;
        last_at = e.moment.at;
        if gap >= 1_000 {
            out.push_str(&format!(
                "\n# {} of virtual time passed here in the playground.\nsleep {}\n",
                human(gap),
                (gap / 1000).min(30)
            ));
        }
        let mut line = text.clone();
        for (name, content) in reads {
            let versions = written.entry(name.clone()).or_default();
            let file = match versions.iter().position(|v| v == content) {
                Some(0) => name.clone(),
                Some(i) => versioned(name, i + 1),
                None => {
                    versions.push(content.clone());
                    let n = versions.len();
                    let file = if n == 1 { name.clone() } else { versioned(name, n) };
                    out.push_str(&format!("\ncat > {} <<'STSPLAY_EOF'\n{}", shell_quote(&file), content));
                    if !content.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str("STSPLAY_EOF\n");
                    file
                }
            };
            if file != *name {
                line = line.replace(name.as_str(), &file);
            }
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("sim ") || trimmed == "sim" {
            out.push_str(&format!("# playground only: {}\n", line.replace('\n', "\n# ")));
        } else if trimmed.contains(" -w") || trimmed.contains("--watch") {
            out.push_str(&format!("timeout 60 {line} || true   # a watch: stopped after 60 s\n"));
        } else {
            out.push_str(&line);
            if !line.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    out
}

fn versioned(name: &str, n: usize) -> String {
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{n}.{ext}"),
        None => format!("{name}.{n}"),
    }
}

fn shell_quote(s: &str) -> String {
    crate::app::shell_word(s)
}

fn human(ms: i64) -> String {
    stsplay_kubectl::duration::human_duration(ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::player::Player;
    use crate::session::EditorFile;

    #[test]
    fn a_session_becomes_a_script_with_its_files() {
        let mut p = Player::new(Session::new(
            1,
            vec![EditorFile {
                name: "web.yaml".into(),
                text: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n".into(),
            }],
        ));
        p.run_command("kubectl apply -f web.yaml");
        p.tick(5_000, usize::MAX);
        p.session.files[0].text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n".into();
        p.run_command("kubectl apply -f web.yaml");
        p.run_command("sim node fail kind-worker");
        let s = script(&p.session);
        assert!(s.starts_with("#!/usr/bin/env bash"));
        assert!(s.contains("cat > web.yaml <<'STSPLAY_EOF'\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"));
        assert!(s.contains("cat > web.2.yaml <<'STSPLAY_EOF'"));
        assert!(s.contains("kubectl apply -f web.2.yaml"));
        assert!(s.contains("# playground only: sim node fail kind-worker"));
        assert!(s.contains("sleep 5"));
    }
}
