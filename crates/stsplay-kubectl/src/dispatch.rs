//! `kubectl` itself: subcommand dispatch, global flags, `version`, and cobra's unknown-command errors.

use crate::output::Output;
use crate::terminal::{FileSource, Terminal};

const COMMANDS: &[&str] = &[
    "annotate",
    "api-resources",
    "api-versions",
    "apply",
    "attach",
    "auth",
    "autoscale",
    "certificate",
    "cluster-info",
    "completion",
    "config",
    "cordon",
    "cp",
    "create",
    "debug",
    "delete",
    "describe",
    "diff",
    "drain",
    "edit",
    "events",
    "exec",
    "explain",
    "expose",
    "get",
    "kustomize",
    "label",
    "logs",
    "options",
    "patch",
    "plugin",
    "port-forward",
    "proxy",
    "replace",
    "rollout",
    "run",
    "scale",
    "set",
    "taint",
    "top",
    "uncordon",
    "version",
    "wait",
];

/// Levenshtein distance (cobra suggests commands within distance 2, or by prefix).
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

pub fn kubectl(t: &mut Terminal, args: &[String], stdin: Option<&str>, files: &dyn FileSource, out: &mut Output) {
    // Global flags may come before the subcommand (`kubectl -n default get pods`).
    let mut i = 0;
    let mut pre: Vec<String> = Vec::new();
    while i < args.len() && args[i].starts_with('-') {
        let a = &args[i];
        pre.push(a.clone());
        if matches!(a.as_str(), "-n" | "--namespace" | "--context" | "--kubeconfig") {
            if let Some(v) = args.get(i + 1) {
                pre.push(v.clone());
                i += 1;
            }
        }
        i += 1;
    }
    let Some(sub) = args.get(i) else {
        out.out("kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n");
        return;
    };
    let mut rest: Vec<String> = args[i + 1..].to_vec();
    rest.extend(pre);
    match sub.as_str() {
        "get" => crate::kubectl::get(t, &rest, out),
        "apply" => crate::kubectl::apply(t, &rest, stdin, files, out, false),
        "create" => crate::kubectl::apply(t, &rest, stdin, files, out, true),
        "delete" => crate::kubectl::delete(t, &rest, stdin, files, out),
        "scale" => crate::kubectl::scale(t, &rest, out),
        "patch" => crate::kubectl::patch(t, &rest, files, out),
        "set" => crate::kubectl::set(t, &rest, out),
        "describe" => crate::describe::describe(t, &rest, out),
        "explain" => crate::explain::explain(t, &rest, out),
        "rollout" => crate::rollout::rollout(t, &rest, out),
        "label" => crate::more::label(t, &rest, out),
        "annotate" => crate::more::annotate(t, &rest, out),
        "cordon" => crate::more::cordon(t, &rest, out),
        "uncordon" => crate::more::uncordon(t, &rest, out),
        "drain" => crate::more::drain(t, &rest, out),
        "api-resources" => crate::more::api_resources(t, &rest, out),
        "api-versions" => crate::more::api_versions(t, &rest, out),
        "logs" => crate::more::logs(t, &rest, out),
        "exec" | "run" => {
            // Global flags typed before the subcommand (`kubectl -n ns exec ...`) go before `--`.
            let (own, global) = rest.split_at((args.len() - i - 1).min(rest.len()));
            let a: Vec<String> = global.iter().chain(own.iter()).cloned().collect();
            if sub == "exec" {
                crate::exec_cmd::exec(t, &a, stdin, out)
            } else {
                crate::exec_cmd::run(t, &a, stdin, out)
            }
        }
        "version" => out.out("Client Version: v1.34.0\nKustomize Version: v5.7.1\nServer Version: v1.34.0\n"),
        other if COMMANDS.contains(&other) => {
            out.fail(format!("stsplay: \"kubectl {other}\" is not available in this playground yet"));
            out.hint("type help for what this terminal runs");
        }
        other => {
            let mut suggestions: Vec<&str> =
                COMMANDS.iter().copied().filter(|c| distance(other, c) <= 2 || c.starts_with(other)).collect();
            suggestions.sort();
            let mut msg = format!("error: unknown command {other:?} for \"kubectl\"");
            if !suggestions.is_empty() {
                msg.push_str("\n\nDid you mean this?\n");
                for s in suggestions {
                    msg.push_str(&format!("\t{s}\n"));
                }
                msg.pop();
            }
            msg.push_str("\n\nRun 'kubectl --help' for usage.");
            out.fail(msg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn levenshtein() {
        assert_eq!(distance("gett", "get"), 1);
        assert_eq!(distance("aply", "apply"), 1);
        assert_eq!(distance("", "abc"), 3);
    }
}
