//! The terminal: a tiny bash (quoting, heredocs, `;` `&&` `||`, pipes into grep/head/tail/wc) in front
//! of `kubectl` and the simulator's own `sim` commands. The same code serves the native `stsplay` CLI
//! and the browser terminal.

use crate::output::Output;
use crate::shell::{self, Connector, ScriptCommand};
use std::collections::BTreeMap;
use stsplay_cluster::World;

/// The largest manifest the playground reads (a 10 MB paste gets a clear message instead of a freeze).
pub const MAX_MANIFEST_BYTES: usize = 2 * 1024 * 1024;
/// The longest command line the terminal accepts.
pub const MAX_LINE_BYTES: usize = 256 * 1024;

/// Where `-f PATH` reads from: the file system for the CLI, the editor's files in the browser.
pub trait FileSource {
    fn read(&self, path: &str) -> Result<String, String>;
}

/// No files at all (only `-f -`).
pub struct NoFiles;

impl FileSource for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!("{path}: not found"))
    }
}

/// Files held in memory (the browser's editor tabs; tests).
#[derive(Clone, Debug, Default)]
pub struct MemoryFiles(pub BTreeMap<String, String>);

impl FileSource for MemoryFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let p = path.strip_prefix("./").unwrap_or(path);
        self.0.get(p).cloned().ok_or_else(|| format!("{path}: not found"))
    }
}

#[derive(Clone, Debug)]
pub struct Terminal {
    pub world: World,
    pub env: BTreeMap<String, String>,
    /// The browser's mode: a command that waits on the cluster (`kubectl get -w`, `kubectl rollout status`)
    /// does not move virtual time itself; it becomes the running [`Job`] that prints as the clock moves,
    /// until it finishes or Ctrl-C ([`Terminal::interrupt`]). Off (the CLI and scripts): such commands let the
    /// cluster run until they are done, as a script must go on.
    pub interactive: bool,
    /// The command still running in interactive mode.
    pub job: Option<crate::jobs::Job>,
}

impl Terminal {
    pub fn new(seed: u64) -> Terminal {
        let mut env = BTreeMap::new();
        env.insert("HOME".to_string(), "/home/learner".to_string());
        env.insert("USER".to_string(), "learner".to_string());
        Terminal { world: World::new(seed), env, interactive: false, job: None }
    }

    /// Runs one command as typed (it may carry heredoc lines after the first line).
    pub fn run(&mut self, text: &str, files: &dyn FileSource) -> Output {
        if text.len() > MAX_LINE_BYTES {
            let mut out = Output::default();
            out.fail(format!(
                "stsplay: the command is {} bytes; the terminal accepts up to {MAX_LINE_BYTES}",
                text.len()
            ));
            return out;
        }
        let mut out = Output::default();
        for cmd in shell::split_script(text) {
            let o = self.run_script_command(&cmd, files);
            out.append(o);
        }
        out
    }

    /// Runs one command of a session script.
    pub fn run_script_command(&mut self, cmd: &ScriptCommand, files: &dyn FileSource) -> Output {
        let mut out = Output::default();
        for w in cmd.warnings() {
            out.errln(w);
        }
        let env = self.env.clone();
        let mut list = match cmd.parse_with_env(|k| env.get(k).cloned()) {
            Ok(l) => l,
            Err(e) => {
                out.errln(e.to_string());
                out.exit = 2;
                return out;
            }
        };
        // A waiting command becomes a job only when it is the whole command line: in `kubectl get -w | grep x`
        // or `kubectl rollout status sts/web; echo done` what follows needs the command to have ended.
        let interactive = self.interactive;
        self.interactive =
            interactive && list.items.len() == 1 && list.items.iter().all(|i| i.pipeline.commands.len() == 1);
        let mut last_ok = true;
        let mut i = 0;
        while i < list.items.len() {
            let item = list.items[i].clone();
            i += 1;
            let run = match item.connector {
                Connector::Seq => true,
                Connector::And => last_ok,
                Connector::Or => !last_ok,
            };
            if !run {
                continue;
            }
            let env_before = self.env.clone();
            let o = self.run_pipeline(&item.pipeline, files);
            let mut code = o.exit;
            if item.pipeline.negated {
                code = if code == 0 { 1 } else { 0 };
            }
            last_ok = code == 0;
            out.chunks.extend(o.chunks);
            out.exit = code;
            if self.env != env_before {
                // Bash expands each command when it runs: later commands see the new variables.
                let env = self.env.clone();
                match cmd.parse_with_env(|k| env.get(k).cloned()) {
                    Ok(l) if l.items.len() == list.items.len() => list = l,
                    // Going on with the old expansions would run commands with stale values.
                    Err(e @ shell::ShellError::TooLarge) => {
                        out.errln(e.to_string());
                        out.exit = 2;
                        return out;
                    }
                    _ => {}
                }
            }
        }
        self.interactive = interactive;
        out
    }

    fn run_pipeline(&mut self, p: &shell::Pipeline, files: &dyn FileSource) -> Output {
        let Some(first) = p.commands.first() else { return Output::default() };
        for (k, v) in &first.assignments {
            if first.words.is_empty() {
                self.env.insert(k.clone(), v.clone());
            }
        }
        let mut out = self.run_simple(first, files);
        for filter in &p.commands[1..] {
            out = crate::filters::apply(filter, out);
        }
        out
    }

    fn run_simple(&mut self, c: &shell::SimpleCommand, files: &dyn FileSource) -> Output {
        let mut out = Output::default();
        let argv = c.argv();
        if let Some(r) = c.redirects.iter().find(|r| {
            !matches!(r.op, shell::RedirectOp::Heredoc | shell::RedirectOp::HereString | shell::RedirectOp::DupOut)
        }) {
            out.fail(format!(
                "stsplay: redirection {:?} is not supported in this terminal (try the editor for files)",
                r.target.text
            ));
            return out;
        }
        let stdin = c.stdin();
        let Some(cmd) = argv.first() else { return out };
        let args = &argv[1..];
        match cmd.as_str() {
            "kubectl" | "k" => crate::dispatch::kubectl(self, args, stdin.as_deref(), files, &mut out),
            "sim" => crate::sim::sim_with_files(self, args, files, &mut out),
            "echo" => out.outln(args.join(" ")),
            "nslookup" | "curl" | "wget" => crate::exec_cmd::terminal_program(self, &argv, stdin.as_deref(), &mut out),
            "clear" => {}
            "help" => out.out(crate::sim::TERMINAL_HELP),
            "export" => {
                for a in args {
                    if let Some((k, v)) = a.split_once('=') {
                        self.env.insert(k.to_string(), v.to_string());
                    }
                }
            }
            "true" => {}
            "false" => out.exit = 1,
            "grep" | "head" | "tail" | "wc" | "sort" => {
                out.fail(format!("stsplay: {cmd} only works after a pipe here (kubectl get pods | {cmd} ...)"));
            }
            other => {
                out.errln(format!("bash: {other}: command not found"));
                out.exit = 127;
                out.hint("this terminal runs kubectl and sim commands; type help");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the hostile corpus: a variable that doubles at every assignment grew without bound (and
    /// after the shell's expansion limit, later commands ran with stale values). Now the command stops.
    #[test]
    fn doubling_variables_stop_with_a_message() {
        let mut t = Terminal::new(1);
        t.env.insert("X".into(), "y".repeat(30_000));
        let out = t.run("export X=$X$X; export X=$X$X; echo ok", &NoFiles);
        assert!(out.text().contains("bash: stsplay: expansion too large"), "{}", out.text());
        assert!(!out.text().contains("ok\n"), "{}", out.text());
        assert_eq!(out.exit, 2);
        // The terminal still works.
        assert_eq!(t.run("echo fine", &NoFiles).text(), "fine\n");
    }
}
