//! What runs inside a simulated container: a small POSIX shell (`sh -c`, `bash -c`, a script on stdin)
//! and the programs a learner reaches for — `echo`, `cat`, `ls`, `touch`, `rm`, `mkdir`, `hostname`,
//! `env`, `nslookup` (busybox 1.28), `wget` (busybox), `curl` — over the container's filesystem
//! (`stsplay_cluster::exec`: files under a volumeMount live on the PV, the rest in the writable layer).
//!
//! Which programs exist, and how their errors read, depends on the image (`exec::userland`): busybox and
//! Alpine images have busybox ash (`sh: foo: not found`) and applets (`nslookup`, `wget`); Debian-based
//! images (nginx) have dash as `sh` (`sh: 1: foo: not found`), `bash` and GNU coreutils, and `curl` where
//! the image installs it.
//!
//! The shell reuses the terminal's tokenizer (`crate::shell`): quotes, `$VAR`, `;` `&&` `||` `|`, `>`
//! `>>` `<` `2>&1` `2>/dev/null`, heredocs. It adds `$(...)`/backtick command substitution and `*`/`?`
//! globbing. Compound commands (`if`, `for`, `while`, `case`, functions) are not simulated and say so.
//!
//! Everything is bounded: output ([`MAX_OUTPUT_BYTES`]), simple commands per exec ([`MAX_STEPS`]), nesting
//! of `sh -c` and substitutions ([`MAX_DEPTH`]), file sizes and counts (`exec::MAX_FILE_BYTES`,
//! `exec::MAX_FILES`). Nothing here panics or recurses without a bound.

use crate::output::{Output, Stream};
use crate::shell::{self, Connector, RedirectOp, SimpleCommand, Word};
use stsplay_cluster::dns;
use stsplay_cluster::exec::{self as fs, FsError, HttpResult, Node, Userland};
use stsplay_cluster::World;
use stsplay_model::objects::Pod;

/// The most a single exec prints (stdout and stderr together).
pub const MAX_OUTPUT_BYTES: usize = 256 * 1024;
/// The most simple commands one exec runs.
pub const MAX_STEPS: usize = 2000;
/// How deeply `sh -c`, `$(...)` and scripts may nest.
pub const MAX_DEPTH: usize = 6;
/// The longest script the shell accepts.
pub const MAX_SCRIPT_BYTES: usize = 64 * 1024;

/// The busybox version of `busybox:1.28` (the version the Kubernetes DNS docs pin).
pub const BUSYBOX_BANNER: &str = "BusyBox v1.28.4 (2018-05-22 17:00:17 UTC) multi-call binary.";

/// Where a command runs.
#[derive(Clone, Debug)]
pub struct Place {
    /// The namespace (DNS search path, Services).
    pub ns: String,
    /// The pod and the container's index; `None` for the terminal's stand-in for a debug pod, which has no
    /// filesystem of its own (a plain `nslookup`/`curl`/`wget` typed at the prompt).
    pub pod: Option<(Pod, usize)>,
    /// The container's image (which programs exist).
    pub image: String,
    /// Whether the process's stdout is a terminal (`kubectl exec -t`): `ls` prints columns, `curl` shows
    /// no progress meter.
    pub tty: bool,
}

impl Place {
    /// The terminal's stand-in for `kubectl run -it --rm --image=busybox:1.28 ...` in `ns` (with `curl`).
    pub fn debug(ns: &str) -> Place {
        Place { ns: ns.to_string(), pod: None, image: "busybox:1.28".into(), tty: true }
    }

    /// Container `i` of `pod`.
    pub fn container(pod: &Pod, i: usize, tty: bool) -> Place {
        let image = pod.spec.containers.get(i).map(|c| c.image.clone()).unwrap_or_default();
        Place { ns: pod.metadata.namespace.clone(), pod: Some((pod.clone(), i)), image, tty }
    }

    fn userland(&self) -> Userland {
        fs::userland(&self.image)
    }

    fn has(&self, program: &str) -> bool {
        if self.pod.is_none() {
            // The terminal's debug pod: busybox applets, plus curl for convenience.
            let name = program.rsplit('/').next().unwrap_or(program);
            return name == "curl" || fs::has_program(&self.image, program);
        }
        fs::has_program(&self.image, program)
    }
}

/// What an exec did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exit {
    /// What the process printed (stdout and stderr, in order) and its exit status.
    pub out: Output,
    /// The runtime could not start the process: its message (`exec: "foo": executable file not found in
    /// $PATH`).
    pub start_error: Option<String>,
    /// The process was an interactive shell waiting for input (nothing ran).
    pub interactive: bool,
}

/// Runs `argv` as a new process in the container (what `kubectl exec` and a pod's command do).
pub fn exec(w: &mut World, place: &Place, argv: &[String], stdin: Option<&str>) -> Exit {
    let Some(program) = argv.first() else {
        return Exit {
            start_error: Some("exec: \"\": executable file not found in $PATH".into()),
            ..Default::default()
        };
    };
    if !place.has(program) {
        let msg = if program.contains('/') {
            format!("exec: {program:?}: stat {program}: no such file or directory")
        } else {
            format!("exec: {program:?}: executable file not found in $PATH")
        };
        return Exit { start_error: Some(msg), ..Default::default() };
    }
    let env = match &place.pod {
        Some((pod, i)) => fs::container_env(w, pod, *i),
        None => vec![
            ("PATH".into(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()),
            ("HOSTNAME".into(), "dns-test".into()),
            ("HOME".into(), "/root".into()),
        ],
    };
    let mut sh = Sh::new(w, place, env);
    let out = sh.program(argv, stdin.map(String::from));
    let interactive = sh.interactive;
    let mut out = out;
    if sh.truncated {
        out.errln(format!("stsplay: output truncated after {MAX_OUTPUT_BYTES} bytes"));
    }
    Exit { out, start_error: None, interactive }
}

/// Which shell interprets a script (they word their errors differently).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavor {
    /// busybox ash: `sh: foo: not found`
    Ash,
    /// dash: `sh: 1: foo: not found`
    Dash,
    /// bash: `bash: line 1: foo: command not found`
    Bash,
}

/// Where a file descriptor points while one simple command runs.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// The process's stdout/stderr (what kubectl shows).
    Std(Stream),
    /// A file in the container (created or truncated when the redirection was set up).
    File(String),
    Null,
    /// The next command of a pipeline.
    Pipe,
}

struct Sh<'a> {
    w: &'a mut World,
    place: &'a Place,
    /// Variables (all exported, in definition order).
    env: Vec<(String, String)>,
    cwd: String,
    steps: usize,
    depth: usize,
    bytes: usize,
    truncated: bool,
    interactive: bool,
    /// Set by `exit`: stop running the current script.
    exit_requested: Option<i32>,
    last: i32,
    /// The shell running the current script and its name as invoked (`sh`, `/bin/sh`, `bash`).
    flavor: Flavor,
    arg0: String,
}

fn s(v: &str) -> String {
    v.to_string()
}

impl<'a> Sh<'a> {
    fn new(w: &'a mut World, place: &'a Place, env: Vec<(String, String)>) -> Sh<'a> {
        let flavor = if place.userland().is_busybox() { Flavor::Ash } else { Flavor::Dash };
        Sh {
            w,
            place,
            env,
            cwd: "/".into(),
            steps: 0,
            depth: 0,
            bytes: 0,
            truncated: false,
            interactive: false,
            exit_requested: None,
            last: 0,
            flavor,
            arg0: "sh".into(),
        }
    }

    fn bb(&self) -> bool {
        self.place.userland().is_busybox()
    }

    fn var(&self, k: &str) -> Option<String> {
        match k {
            "?" => Some(self.last.to_string()),
            "$" => Some("1".into()),
            "0" => Some(self.arg0.clone()),
            "#" => Some("0".into()),
            "PWD" => Some(self.cwd.clone()),
            _ => self.env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()),
        }
    }

    fn set_var(&mut self, k: &str, v: String) {
        if let Some(e) = self.env.iter_mut().find(|(n, _)| n == k) {
            e.1 = v;
        } else if self.env.len() < 512 {
            self.env.push((k.to_string(), v));
        }
    }

    /// The prefix of the shell's own error messages.
    fn sh_prefix(&self) -> String {
        match self.flavor {
            Flavor::Ash => format!("{}: ", self.arg0),
            Flavor::Dash => format!("{}: 1: ", self.arg0),
            Flavor::Bash => format!("{}: line 1: ", self.arg0),
        }
    }

    fn path(&self, p: &str) -> String {
        fs::normalize(&self.cwd, p)
    }

    fn pod(&self) -> Option<(&Pod, usize)> {
        self.place.pod.as_ref().map(|(p, i)| (p, *i))
    }

    fn stat(&self, path: &str) -> Option<Node> {
        let (pod, i) = self.pod()?;
        fs::stat(self.w, pod, i, path)
    }

    fn read(&self, path: &str) -> Result<String, FsError> {
        match self.pod() {
            Some((pod, i)) => fs::read(self.w, pod, i, path),
            None => Err(FsError::NotFound),
        }
    }

    fn write(&mut self, path: &str, content: &str, append: bool) -> Result<(), FsError> {
        let Some((pod, i)) = self.place.pod.as_ref().map(|(p, i)| (p, *i)) else { return Err(FsError::NotRunning) };
        fs::write(self.w, pod, i, path, content, append)
    }

    /// Accounts for output; false once the limit is reached.
    fn budget(&mut self, n: usize) -> bool {
        self.bytes = self.bytes.saturating_add(n);
        if self.bytes > MAX_OUTPUT_BYTES {
            self.truncated = true;
            return false;
        }
        true
    }

    // ------------------------------------------------------------------------------------- scripts

    /// Runs a script (the argument of `sh -c`, a script file, or stdin) and returns what it printed.
    fn script(&mut self, text: &str, stdin: Option<String>) -> Output {
        let mut out = Output::default();
        if self.depth >= MAX_DEPTH {
            out.errln(format!("{}stsplay: too many nested shells", self.sh_prefix()));
            out.exit = 2;
            return out;
        }
        if text.len() > MAX_SCRIPT_BYTES {
            out.errln(format!("{}stsplay: the script is longer than {MAX_SCRIPT_BYTES} bytes", self.sh_prefix()));
            out.exit = 2;
            return out;
        }
        self.depth += 1;
        let parsed = {
            let env = self.env.clone();
            let (last, cwd, arg0) = (self.last, self.cwd.clone(), self.arg0.clone());
            shell::parse_with_env(text, move |k| lookup(&env, last, &cwd, &arg0, k))
        };
        let mut list = match parsed {
            Ok(l) => l,
            Err(e) => {
                out.errln(self.syntax_error(&e));
                out.exit = 2;
                self.depth -= 1;
                return out;
            }
        };
        let mut stdin = stdin;
        let mut status = 0;
        let mut last_ok = true;
        let mut idx = 0;
        while idx < list.items.len() {
            let item = list.items[idx].clone();
            idx += 1;
            let run = match item.connector {
                Connector::Seq => true,
                Connector::And => last_ok,
                Connector::Or => !last_ok,
            };
            if !run {
                continue;
            }
            let (env_before, cwd_before, last_before) = (self.env.clone(), self.cwd.clone(), self.last);
            let o = self.pipeline(&item.pipeline, stdin.take());
            let mut code = o.exit;
            if item.pipeline.negated {
                code = i32::from(code == 0);
            }
            out.chunks.extend(o.chunks);
            status = code;
            self.last = code;
            last_ok = code == 0;
            if let Some(c) = self.exit_requested {
                status = c;
                break;
            }
            if self.steps >= MAX_STEPS {
                out.errln(format!("{}stsplay: stopped after {MAX_STEPS} commands", self.sh_prefix()));
                status = 2;
                break;
            }
            // Later commands see new variables and `$?` (the shell expands each command when it runs).
            let changed = self.env != env_before || self.cwd != cwd_before || self.last != last_before;
            if !changed || !(text.contains('$') || text.contains('~')) {
                continue;
            }
            let env = self.env.clone();
            let (last, cwd, arg0) = (self.last, self.cwd.clone(), self.arg0.clone());
            match shell::parse_with_env(text, move |k| lookup(&env, last, &cwd, &arg0, k)) {
                Ok(l) if l.items.len() == list.items.len() => list = l,
                // Going on with the old expansions would run commands with stale values.
                Err(e @ shell::ShellError::TooLarge) => {
                    out.errln(self.syntax_error(&e));
                    status = 2;
                    break;
                }
                _ => {}
            }
        }
        self.depth -= 1;
        out.exit = status;
        out
    }

    fn syntax_error(&self, e: &shell::ShellError) -> String {
        let p = self.sh_prefix();
        match (self.flavor, e) {
            (Flavor::Bash, _) => e.to_string().replacen("bash: ", &p, 1),
            (Flavor::Ash, shell::ShellError::UnterminatedQuote(_)) => {
                format!("{p}syntax error: unterminated quoted string")
            }
            (Flavor::Dash, shell::ShellError::UnterminatedQuote(_)) => {
                format!("{p}Syntax error: Unterminated quoted string")
            }
            (Flavor::Ash, shell::ShellError::UnexpectedToken(t)) => format!("{p}syntax error: unexpected \"{t}\""),
            (Flavor::Dash, shell::ShellError::UnexpectedToken(t)) => format!("{p}Syntax error: \"{t}\" unexpected"),
            (Flavor::Ash, shell::ShellError::UnexpectedEof) => format!("{p}syntax error: unexpected end of file"),
            (Flavor::Dash, shell::ShellError::UnexpectedEof) => format!("{p}Syntax error: end of file unexpected"),
            (_, shell::ShellError::BadSubstitution(x)) => format!("{p}syntax error: bad substitution: {x}"),
            (_, shell::ShellError::TooLarge) => format!("{p}{}", e.to_string().replacen("bash: ", "", 1)),
        }
    }

    fn pipeline(&mut self, p: &shell::Pipeline, stdin: Option<String>) -> Output {
        let mut out = Output::default();
        let mut input = stdin;
        let n = p.commands.len();
        for (k, c) in p.commands.iter().enumerate() {
            let last = k + 1 == n;
            let o = self.simple(c, input.take(), !last);
            let mut piped = String::new();
            for (st, text) in o.chunks {
                match st {
                    Stream::Stdout if !last => {
                        if piped.len() + text.len() <= MAX_OUTPUT_BYTES {
                            piped.push_str(&text);
                        }
                    }
                    _ => out.chunks.push((st, text)),
                }
            }
            out.exit = o.exit;
            if !last {
                input = Some(piped);
            }
            if self.exit_requested.is_some() {
                break;
            }
        }
        out
    }

    /// One simple command with its redirections; `to_pipe`: its stdout feeds the next command.
    fn simple(&mut self, c: &SimpleCommand, stdin: Option<String>, to_pipe: bool) -> Output {
        let mut out = Output::default();
        self.steps += 1;
        if self.steps > MAX_STEPS {
            out.exit = 2;
            return out;
        }
        // Words: command substitution, then globbing.
        let mut argv: Vec<String> = Vec::new();
        for word in &c.words {
            let text = self.substitute(word, &mut out);
            if !word.quoted && (text.contains('*') || text.contains('?')) && !text.starts_with('-') {
                let matches = self.glob(&text);
                if matches.is_empty() {
                    argv.push(text);
                } else {
                    argv.extend(matches);
                }
            } else {
                argv.push(text);
            }
            if argv.len() > 4096 {
                break;
            }
        }
        let assignments: Vec<(String, String)> =
            c.assignments.iter().map(|(k, v)| (k.clone(), self.substitute_text(v, &mut out))).collect();
        if argv.is_empty() {
            for (k, v) in assignments {
                self.set_var(&k, v);
            }
            out.exit = 0;
            return out;
        }
        // Redirections, left to right.
        let mut fd1 = if to_pipe { Target::Pipe } else { Target::Std(Stream::Stdout) };
        let mut fd2 = Target::Std(Stream::Stderr);
        let mut input = stdin;
        let mut files: Vec<(String, String)> = Vec::new();
        for r in &c.redirects {
            let target = self.substitute(&r.target, &mut out);
            let fd = r.fd.unwrap_or(match r.op {
                RedirectOp::In
                | RedirectOp::DupIn
                | RedirectOp::Heredoc
                | RedirectOp::HereString
                | RedirectOp::ReadWrite => 0,
                _ => 1,
            });
            match r.op {
                RedirectOp::Heredoc | RedirectOp::HereString => {
                    input = c.stdin();
                }
                RedirectOp::In | RedirectOp::ReadWrite => {
                    let p = self.path(&target);
                    match self.read(&p) {
                        Ok(t) => input = Some(t),
                        Err(e) => {
                            out.errln(self.open_error(&target, e, false));
                            out.exit = if self.flavor == Flavor::Dash { 2 } else { 1 };
                            return out;
                        }
                    }
                }
                RedirectOp::DupIn => {}
                RedirectOp::DupOut => {
                    let t = match target.as_str() {
                        "1" => fd1.clone(),
                        "2" => fd2.clone(),
                        "-" => Target::Null,
                        _ => match self.open_for_write(&target, false, &mut files) {
                            Ok(t) => {
                                fd2 = t.clone();
                                t
                            }
                            Err(m) => {
                                out.errln(m);
                                out.exit = if self.flavor == Flavor::Dash { 2 } else { 1 };
                                return out;
                            }
                        },
                    };
                    if fd == 2 {
                        fd2 = t;
                    } else if fd == 1 {
                        fd1 = t;
                    }
                }
                RedirectOp::Out | RedirectOp::Append | RedirectOp::OutErr | RedirectOp::AppendOutErr => {
                    let append = matches!(r.op, RedirectOp::Append | RedirectOp::AppendOutErr);
                    let t = match self.open_for_write(&target, append, &mut files) {
                        Ok(t) => t,
                        Err(m) => {
                            out.errln(m);
                            out.exit = if self.flavor == Flavor::Dash { 2 } else { 1 };
                            return out;
                        }
                    };
                    match r.op {
                        RedirectOp::OutErr | RedirectOp::AppendOutErr => {
                            fd1 = t.clone();
                            fd2 = t;
                        }
                        _ if fd == 2 => fd2 = t,
                        _ if fd == 1 => fd1 = t,
                        _ => {}
                    }
                }
            }
        }
        // Assignments before a command apply to it only.
        let saved: Vec<(String, Option<String>)> = assignments.iter().map(|(k, _)| (k.clone(), self.var(k))).collect();
        for (k, v) in &assignments {
            self.set_var(k, v.clone());
        }
        let o = self.command(&argv, input);
        for (k, old) in saved {
            match old {
                Some(v) => self.set_var(&k, v),
                None => self.env.retain(|(n, _)| *n != k),
            }
        }
        // Route what the command printed.
        for (st, text) in o.chunks {
            let t = if st == Stream::Stdout { &fd1 } else { &fd2 };
            match t {
                Target::Std(s) => {
                    if self.budget(text.len()) {
                        out.chunks.push((*s, text));
                    }
                }
                Target::Pipe => out.chunks.push((Stream::Stdout, text)),
                Target::Null => {}
                Target::File(p) => {
                    if let Some(f) = files.iter_mut().find(|(fp, _)| fp == p) {
                        if f.1.len() + text.len() <= fs::MAX_FILE_BYTES {
                            f.1.push_str(&text);
                        } else {
                            out.errln(format!("{}write error: No space left on device", self.sh_prefix()));
                        }
                    }
                }
            }
        }
        for (p, content) in files {
            if !content.is_empty() {
                if let Err(e) = self.write(&p, &content, true) {
                    out.errln(format!("{}write error: {}", self.sh_prefix(), e.text()));
                }
            }
        }
        out.exit = o.exit;
        out
    }

    /// Opens a redirection target for writing (creating or truncating it now, as the shell does).
    fn open_for_write(
        &mut self,
        target: &str,
        append: bool,
        files: &mut Vec<(String, String)>,
    ) -> Result<Target, String> {
        if target == "/dev/null" {
            return Ok(Target::Null);
        }
        if target == "/dev/stdout" {
            return Ok(Target::Std(Stream::Stdout));
        }
        if target == "/dev/stderr" {
            return Ok(Target::Std(Stream::Stderr));
        }
        let p = self.path(target);
        if self.pod().is_none() {
            return Err(format!("{}can't create {target}: Read-only file system", self.sh_prefix()));
        }
        let r = if append {
            match self.stat(&p) {
                Some(Node::File) => Ok(()),
                _ => self.write(&p, "", false),
            }
        } else {
            self.write(&p, "", false)
        };
        match r {
            Ok(()) => {
                if !files.iter().any(|(fp, _)| *fp == p) {
                    files.push((p.clone(), String::new()));
                }
                Ok(Target::File(p))
            }
            Err(e) => Err(self.open_error(target, e, true)),
        }
    }

    fn open_error(&self, target: &str, e: FsError, create: bool) -> String {
        let p = self.sh_prefix();
        match self.flavor {
            Flavor::Ash => {
                let what = match e {
                    FsError::NotFound if create => "nonexistent directory",
                    e => e.text(),
                };
                if create {
                    format!("{p}can't create {target}: {what}")
                } else {
                    format!("{p}can't open '{target}': {what}")
                }
            }
            Flavor::Dash => {
                let what = match e {
                    FsError::NotFound if create => "Directory nonexistent",
                    FsError::NotFound => "No such file",
                    e => e.text(),
                };
                if create {
                    format!("{p}cannot create {target}: {what}")
                } else {
                    format!("{p}cannot open {target}: {what}")
                }
            }
            Flavor::Bash => format!("{p}{target}: {}", e.text()),
        }
    }

    // -------------------------------------------------------------------------------- expansion

    /// `$(...)` and backticks in a word, unless they were single-quoted.
    fn substitute(&mut self, word: &Word, out: &mut Output) -> String {
        if !(word.text.contains("$(") || word.text.contains('`')) || !unquoted_substitution(&word.raw) {
            return word.text.clone();
        }
        self.substitute_text(&word.text, out)
    }

    fn substitute_text(&mut self, text: &str, out: &mut Output) -> String {
        if !(text.contains("$(") || text.contains('`')) {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let mut res = String::new();
        let mut i = 0;
        let mut rounds = 0;
        while i < chars.len() {
            let (inner, end) = if chars[i] == '$' && chars.get(i + 1) == Some(&'(') {
                match matching_paren(&chars, i + 2) {
                    Some(end) => (chars[i + 2..end].iter().collect::<String>(), end + 1),
                    None => {
                        res.push(chars[i]);
                        i += 1;
                        continue;
                    }
                }
            } else if chars[i] == '`' {
                match chars[i + 1..].iter().position(|c| *c == '`') {
                    Some(off) => (chars[i + 1..i + 1 + off].iter().collect::<String>(), i + 2 + off),
                    None => {
                        res.push(chars[i]);
                        i += 1;
                        continue;
                    }
                }
            } else {
                res.push(chars[i]);
                i += 1;
                continue;
            };
            rounds += 1;
            if rounds > 16 || inner.starts_with('(') {
                // `$((...))` arithmetic is not simulated; keep the text.
                res.extend(&chars[i..end.min(chars.len())]);
                i = end;
                continue;
            }
            let saved = (self.cwd.clone(), self.exit_requested.take());
            let o = self.script(&inner, None);
            self.cwd = saved.0;
            self.exit_requested = saved.1;
            for (st, t) in &o.chunks {
                if *st == Stream::Stderr && self.budget(t.len()) {
                    out.chunks.push((Stream::Stderr, t.clone()));
                }
            }
            self.last = o.exit;
            res.push_str(o.stdout().trim_end_matches('\n'));
            i = end;
        }
        res
    }

    /// Pathname expansion of a word with `*`/`?` (sorted matches; none → the word stays as typed).
    fn glob(&self, pattern: &str) -> Vec<String> {
        let Some((pod, i)) = self.pod() else { return vec![] };
        let absolute = pattern.starts_with('/');
        let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
        let mut current: Vec<String> = vec![if absolute { "/".into() } else { String::new() }];
        for (k, part) in parts.iter().enumerate() {
            let last = k + 1 == parts.len();
            let mut next = Vec::new();
            for base in &current {
                let dir = if base.is_empty() { self.cwd.clone() } else { self.path(base) };
                let join = |name: &str| -> String {
                    if base.is_empty() {
                        name.to_string()
                    } else if base.ends_with('/') {
                        format!("{base}{name}")
                    } else {
                        format!("{base}/{name}")
                    }
                };
                if part.len() > 255 {
                    continue;
                }
                if part.contains('*') || part.contains('?') {
                    let Ok(entries) = fs::list_dir(self.w, pod, i, &dir) else { continue };
                    for (name, node) in entries {
                        if name.starts_with('.') && !part.starts_with('.') {
                            continue;
                        }
                        if wildcard(part, &name) && (last || node == Node::Dir) {
                            next.push(join(&name));
                        }
                    }
                } else {
                    next.push(join(part));
                }
                if next.len() > 1024 {
                    break;
                }
            }
            current = next;
        }
        current.retain(|p| self.stat(&self.path(p)).is_some());
        current.sort();
        current
    }

    // ----------------------------------------------------------------------------------- commands

    /// A command name: a builtin, a program of the image, or `not found`.
    fn command(&mut self, argv: &[String], stdin: Option<String>) -> Output {
        let Some(name) = argv.first() else { return Output::default() };
        let mut out = Output::default();
        match name.as_str() {
            "if" | "then" | "else" | "elif" | "fi" | "for" | "while" | "until" | "do" | "done" | "case" | "esac"
            | "function" | "{" | "}" | "select" => {
                out.errln(format!(
                    "hint (stsplay): `{name}` (compound commands: if, for, while, case, functions) is not simulated in this container shell; run the commands one by one"
                ));
                out.exit = 2;
                return out;
            }
            "cd" => return self.cd(argv),
            "exit" => {
                let code =
                    argv.get(1).and_then(|a| a.parse::<i64>().ok()).map(|c| (c & 0xff) as i32).unwrap_or(self.last);
                self.exit_requested = Some(code);
                out.exit = code;
                return out;
            }
            "export" => {
                for a in &argv[1..] {
                    if let Some((k, v)) = a.split_once('=') {
                        self.set_var(k, v.to_string());
                    }
                }
                return out;
            }
            "unset" => {
                for a in &argv[1..] {
                    self.env.retain(|(k, _)| k != a);
                }
                return out;
            }
            "set" | ":" | "shift" | "trap" | "umask" | "wait" => return out,
            "source" | "." => {
                let Some(f) = argv.get(1) else { return out };
                let p = self.path(f);
                return match self.read(&p) {
                    Ok(t) => self.script(&t, stdin),
                    Err(e) => {
                        out.errln(format!("{}{}: {f}: {}", self.sh_prefix(), name, e.text()));
                        out.exit = if self.flavor == Flavor::Bash { 1 } else { 2 };
                        out
                    }
                };
            }
            _ => {}
        }
        let builtin = matches!(name.as_str(), "echo" | "printf" | "pwd" | "true" | "false" | "test" | "[");
        if !builtin && !self.place.has(name) {
            match self.flavor {
                Flavor::Ash => out.errln(format!("{}{name}: not found", self.sh_prefix())),
                Flavor::Dash => out.errln(format!("{}{name}: not found", self.sh_prefix())),
                Flavor::Bash => out.errln(format!("{}{name}: command not found", self.sh_prefix())),
            }
            if matches!(name.as_str(), "kubectl" | "k" | "sim") {
                out.hint("you are inside a container: kubectl and sim run at the playground's prompt, not in pods");
            }
            out.exit = 127;
            return out;
        }
        self.program(argv, stdin)
    }

    /// Runs a program (by name or path) with its arguments.
    fn program(&mut self, argv: &[String], stdin: Option<String>) -> Output {
        let Some(first) = argv.first() else { return Output::default() };
        let name = first.rsplit('/').next().unwrap_or(first).to_string();
        let args = &argv[1..];
        match name.as_str() {
            "sh" | "ash" | "bash" | "dash" => self.shell(first, &name, args, stdin),
            "echo" => self.echo(args),
            "printf" => self.printf(args),
            "cat" => self.cat(args, stdin),
            "ls" => self.ls(args),
            "touch" => self.touch(args),
            "rm" => self.rm(args),
            "rmdir" => self.rmdir(args),
            "mkdir" => self.mkdir(args),
            "cp" | "mv" => self.copy(&name, args),
            "hostname" => self.hostname(args),
            "env" | "printenv" => self.env_cmd(&name, args, stdin),
            "pwd" => {
                let mut o = Output::default();
                o.outln(&self.cwd);
                o
            }
            "true" => Output::default(),
            "false" => Output { chunks: vec![], exit: 1 },
            "test" | "[" => self.test(&name, args),
            "sleep" => self.sleep(args),
            "date" => {
                let mut o = Output::default();
                o.outln(date_string(self.w.now));
                o
            }
            "whoami" => {
                let mut o = Output::default();
                o.outln("root");
                o
            }
            "id" => {
                let mut o = Output::default();
                o.outln(if self.bb() {
                    "uid=0(root) gid=0(root) groups=0(root),10(wheel)"
                } else {
                    "uid=0(root) gid=0(root) groups=0(root)"
                });
                o
            }
            "uname" => self.uname(args),
            "grep" | "head" | "tail" | "wc" | "sort" => self.filter(&name, args, stdin),
            "nslookup" => self.nslookup(args),
            "wget" => self.wget(args),
            "curl" => self.curl(args),
            other => {
                let mut o = Output::default();
                o.errln(format!("hint (stsplay): `{other}` is not simulated"));
                o.exit = 127;
                o
            }
        }
    }

    fn shell(&mut self, arg0: &str, name: &str, args: &[String], stdin: Option<String>) -> Output {
        let saved = (self.flavor, self.arg0.clone(), self.cwd.clone(), self.env.clone());
        self.flavor = match name {
            "bash" => Flavor::Bash,
            _ if self.bb() => Flavor::Ash,
            _ => Flavor::Dash,
        };
        self.arg0 = arg0.to_string();
        let mut i = 0;
        let mut command: Option<String> = None;
        let mut file: Option<String> = None;
        while i < args.len() {
            let a = &args[i];
            if a == "-c" {
                command = args.get(i + 1).cloned();
                if command.is_none() {
                    let mut o = Output::default();
                    o.errln(match self.flavor {
                        Flavor::Ash => format!("{arg0}: -c requires an argument"),
                        Flavor::Dash => format!("{arg0}: 0: -c requires an argument"),
                        Flavor::Bash => format!("{arg0}: -c: option requires an argument"),
                    });
                    o.exit = 2;
                    self.restore_shell(saved);
                    return o;
                }
                break;
            } else if a.starts_with('-') && a.len() > 1 && !a.starts_with("--") {
                // -e, -x, -i, -l ...: accepted, not simulated (`-lc` carries the command too)
                if a.contains('c') {
                    command = args.get(i + 1).cloned();
                    break;
                }
                i += 1;
            } else if a.starts_with("--") {
                i += 1;
            } else {
                file = Some(a.clone());
                break;
            }
        }
        let out = match (command, file) {
            (Some(c), _) => self.script(&c, stdin),
            (None, Some(f)) => {
                let p = self.path(&f);
                match self.read(&p) {
                    Ok(t) => self.script(&t, stdin),
                    Err(e) => {
                        let mut o = Output::default();
                        o.errln(match self.flavor {
                            Flavor::Ash => format!("{arg0}: can't open '{f}': {}", e.text()),
                            Flavor::Dash => format!("{arg0}: 0: cannot open {f}: No such file"),
                            Flavor::Bash => format!("{arg0}: {f}: {}", e.text()),
                        });
                        o.exit = if self.flavor == Flavor::Bash { 127 } else { 2 };
                        o
                    }
                }
            }
            (None, None) => match stdin {
                Some(text) => self.script(&text, None),
                None => {
                    self.interactive = true;
                    Output::default()
                }
            },
        };
        self.restore_shell(saved);
        // A script's `exit` ends that shell only.
        self.exit_requested = None;
        out
    }

    fn restore_shell(&mut self, saved: (Flavor, String, String, Vec<(String, String)>)) {
        self.flavor = saved.0;
        self.arg0 = saved.1;
        self.cwd = saved.2;
        self.env = saved.3;
    }

    fn cd(&mut self, argv: &[String]) -> Output {
        let mut out = Output::default();
        let target = argv.get(1).cloned().or_else(|| self.var("HOME")).unwrap_or_else(|| "/".into());
        let p = self.path(&target);
        match self.stat(&p) {
            Some(Node::Dir) => self.cwd = p,
            other => {
                let why = if other == Some(Node::File) { "Not a directory" } else { "No such file or directory" };
                out.errln(match self.flavor {
                    Flavor::Ash => format!("{}cd: can't cd to {target}: {why}", self.sh_prefix()),
                    Flavor::Dash => format!("{}cd: can't cd to {target}", self.sh_prefix()),
                    Flavor::Bash => format!("{}cd: {target}: {why}", self.sh_prefix()),
                });
                out.exit = if self.flavor == Flavor::Dash { 2 } else { 1 };
            }
        }
        out
    }

    fn echo(&self, args: &[String]) -> Output {
        let mut out = Output::default();
        let mut newline = true;
        let mut escapes = self.flavor == Flavor::Dash;
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            let is_opt = a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E'));
            if !is_opt || (self.flavor == Flavor::Dash && a != "-n") {
                break;
            }
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = self.flavor == Flavor::Dash,
                }
            }
            i += 1;
        }
        let mut text = args[i..].join(" ");
        if escapes {
            let (t, stop) = unescape(&text);
            text = t;
            if stop {
                newline = false;
            }
        }
        if newline {
            text.push('\n');
        }
        out.out(text);
        out
    }

    fn printf(&self, args: &[String]) -> Output {
        let mut out = Output::default();
        let Some(fmt) = args.first() else {
            out.errln(if self.bb() {
                "printf: usage: printf FORMAT [ARGUMENT...]"
            } else {
                "printf: usage: printf format [arguments]"
            });
            out.exit = if self.bb() { 1 } else { 2 };
            return out;
        };
        let mut rest = args[1..].iter();
        let mut text = String::new();
        let mut rounds = 0;
        loop {
            let mut consumed = false;
            let chars: Vec<char> = fmt.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i];
                if c == '%' {
                    match chars.get(i + 1) {
                        Some('%') => text.push('%'),
                        Some('s') | Some('b') => {
                            consumed = true;
                            text.push_str(rest.next().map(String::as_str).unwrap_or(""));
                        }
                        Some('d') | Some('i') => {
                            consumed = true;
                            let v = rest.next().map(String::as_str).unwrap_or("0");
                            text.push_str(&v.trim().parse::<i64>().unwrap_or(0).to_string());
                        }
                        Some(o) => {
                            text.push('%');
                            text.push(*o);
                        }
                        None => text.push('%'),
                    }
                    i += 2;
                } else if c == '\\' {
                    let (t, _) = unescape(&chars[i..(i + 2).min(chars.len())].iter().collect::<String>());
                    text.push_str(&t);
                    i += 2;
                } else {
                    text.push(c);
                    i += 1;
                }
            }
            rounds += 1;
            if !consumed || rest.len() == 0 || rounds > 1000 || text.len() > MAX_OUTPUT_BYTES {
                break;
            }
        }
        out.out(text);
        out
    }

    fn cat(&mut self, args: &[String], stdin: Option<String>) -> Output {
        let mut out = Output::default();
        let files: Vec<&String> = args.iter().filter(|a| !(a.starts_with('-') && a.len() > 1)).collect();
        if files.is_empty() {
            out.out(stdin.unwrap_or_default());
            return out;
        }
        let mut total = 0usize;
        for f in files {
            if total > MAX_OUTPUT_BYTES {
                out.errln(format!("cat: stsplay: output truncated after {MAX_OUTPUT_BYTES} bytes"));
                out.exit = 1;
                break;
            }
            if f == "-" {
                let t = stdin.clone().unwrap_or_default();
                total += t.len();
                out.out(t);
                continue;
            }
            let p = self.path(f);
            match self.read(&p) {
                Ok(t) => {
                    total += t.len();
                    out.out(t)
                }
                Err(e) => {
                    out.errln(match (self.bb(), e) {
                        (true, FsError::IsDir) => "cat: read error: Is a directory".to_string(),
                        (true, e) => format!("cat: can't open '{f}': {}", e.text()),
                        (false, e) => format!("cat: {f}: {}", e.text()),
                    });
                    out.exit = 1;
                }
            }
        }
        out
    }

    fn ls(&mut self, args: &[String]) -> Output {
        let mut out = Output::default();
        let (mut long, mut all, mut almost, mut one, mut dir_only) = (false, false, false, false, false);
        let mut paths: Vec<String> = Vec::new();
        for a in args {
            if a.starts_with('-') && a.len() > 1 {
                for c in a[1..].chars() {
                    match c {
                        'l' => long = true,
                        'a' => all = true,
                        'A' => almost = true,
                        '1' => one = true,
                        'd' => dir_only = true,
                        _ => {}
                    }
                }
            } else {
                paths.push(a.clone());
            }
        }
        if paths.is_empty() {
            paths.push(".".into());
        }
        let Some((pod, i)) = self.pod().map(|(p, i)| (p.clone(), i)) else {
            out.exit = 1;
            return out;
        };
        let mtime = self
            .w
            .runtimes
            .get(&pod.metadata.uid)
            .and_then(|r| r.containers.get(i))
            .and_then(|c| c.started_at)
            .unwrap_or(self.w.now);
        let mut file_args: Vec<(String, Node, usize)> = Vec::new();
        let mut dir_args: Vec<String> = Vec::new();
        for p in &paths {
            let abs = self.path(p);
            match fs::stat(self.w, &pod, i, &abs) {
                None => {
                    out.errln(if self.bb() {
                        format!("ls: {p}: No such file or directory")
                    } else {
                        format!("ls: cannot access '{p}': No such file or directory")
                    });
                    out.exit = if self.bb() { 1 } else { 2 };
                }
                Some(Node::Dir) if !dir_only => dir_args.push(p.clone()),
                Some(n) => {
                    let size = if n == Node::File {
                        fs::read(self.w, &pod, i, &abs).map(|t| t.len()).unwrap_or(0)
                    } else {
                        4096
                    };
                    file_args.push((p.clone(), n, size));
                }
            }
        }
        let columns = self.place.tty && !one && !long;
        let mut text = String::new();
        if !file_args.is_empty() {
            text.push_str(&self.ls_format(&file_args, long, columns, mtime, false));
        }
        let multiple = dir_args.len() + file_args.len() > 1;
        for (k, d) in dir_args.iter().enumerate() {
            let abs = self.path(d);
            let Ok(entries) = fs::list_dir(self.w, &pod, i, &abs) else { continue };
            let mut rows: Vec<(String, Node, usize)> = Vec::new();
            if all {
                rows.push((".".into(), Node::Dir, 4096));
                rows.push(("..".into(), Node::Dir, 4096));
            }
            for (name, node) in entries {
                if name.starts_with('.') && !all && !almost {
                    continue;
                }
                let size = match node {
                    Node::File => fs::read(self.w, &pod, i, &fs::normalize(&abs, &name)).map(|t| t.len()).unwrap_or(0),
                    Node::Dir => 4096,
                };
                rows.push((name, node, size));
            }
            if multiple {
                if k > 0 || !file_args.is_empty() {
                    text.push('\n');
                }
                text.push_str(&format!("{d}:\n"));
            }
            text.push_str(&self.ls_format(&rows, long, columns, mtime, true));
        }
        out.chunks.insert(0, (Stream::Stdout, text));
        out.chunks.retain(|(_, t)| !t.is_empty());
        out
    }

    fn ls_format(
        &self,
        rows: &[(String, Node, usize)],
        long: bool,
        columns: bool,
        mtime: stsplay_model::SimTime,
        total: bool,
    ) -> String {
        let mut text = String::new();
        if long {
            let date = ls_date(mtime);
            if !self.bb() && total {
                let blocks: usize =
                    rows.iter().map(|(_, n, sz)| if *n == Node::Dir { 4 } else { sz.div_ceil(4096) * 4 }).sum();
                text.push_str(&format!("total {blocks}\n"));
            }
            let size_w = rows.iter().map(|(_, _, sz)| sz.to_string().len()).max().unwrap_or(1);
            for (name, node, size) in rows {
                let (mode, links) = match node {
                    Node::Dir => ("drwxr-xr-x", 2),
                    Node::File => ("-rw-r--r--", 1),
                };
                if self.bb() {
                    text.push_str(&format!("{mode} {links:>4} root     root     {size:>9} {date} {name}\n"));
                } else {
                    text.push_str(&format!("{mode} {links} root root {size:>size_w$} {date} {name}\n"));
                }
            }
            return text;
        }
        let names: Vec<&str> = rows.iter().map(|(n, _, _)| n.as_str()).collect();
        if !columns || names.is_empty() {
            for n in names {
                text.push_str(n);
                text.push('\n');
            }
            return text;
        }
        let n = names.len();
        if self.bb() {
            // busybox: every column as wide as the longest name + 2, as many as fit in 80, column-major.
            let width = names.iter().map(|s| s.chars().count()).max().unwrap_or(0) + 2;
            let cols = (80 / width).max(1);
            let rows = n.div_ceil(cols);
            for r in 0..rows {
                let mut line = String::new();
                for c in 0..cols {
                    let Some(name) = names.get(c * rows + r) else { continue };
                    if !line.is_empty() {
                        let pad = (c * width).saturating_sub(line.chars().count());
                        line.push_str(&" ".repeat(pad));
                    }
                    line.push_str(name);
                }
                text.push_str(&line);
                text.push('\n');
            }
            return text;
        }
        // GNU: column-major, each column as wide as its longest name + 2, the most columns that fit in 80.
        let mut best_rows = n;
        for cols in (1..=n).rev() {
            let rows_needed = n.div_ceil(cols);
            let mut width = 0;
            for c in 0..cols {
                let col_w = (0..rows_needed)
                    .filter_map(|r| names.get(c * rows_needed + r))
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(0);
                width += col_w + if c + 1 < cols { 2 } else { 0 };
            }
            if width < 80 {
                best_rows = rows_needed;
                break;
            }
        }
        let cols = n.div_ceil(best_rows);
        let col_w: Vec<usize> = (0..cols)
            .map(|c| {
                (0..best_rows)
                    .filter_map(|r| names.get(c * best_rows + r))
                    .map(|s| s.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for r in 0..best_rows {
            let mut line = String::new();
            for c in 0..cols {
                let Some(name) = names.get(c * best_rows + r) else { continue };
                let is_last = (c + 1..cols).all(|c2| names.get(c2 * best_rows + r).is_none());
                line.push_str(name);
                if !is_last {
                    let pad = col_w.get(c).copied().unwrap_or(0).saturating_sub(name.chars().count()) + 2;
                    line.push_str(&" ".repeat(pad));
                }
            }
            text.push_str(line.trim_end());
            text.push('\n');
        }
        text
    }

    fn touch(&mut self, args: &[String]) -> Output {
        let mut out = Output::default();
        let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if files.is_empty() {
            out.errln(if self.bb() {
                s("touch: missing operand")
            } else {
                s("touch: missing file operand\nTry 'touch --help' for more information.")
            });
            out.exit = 1;
            return out;
        }
        for f in files {
            let p = self.path(f);
            if self.stat(&p).is_some() {
                continue;
            }
            if let Err(e) = self.write(&p, "", false) {
                out.errln(if self.bb() {
                    format!("touch: {f}: {}", e.text())
                } else {
                    format!("touch: cannot touch '{f}': {}", e.text())
                });
                out.exit = 1;
            }
        }
        out
    }

    fn rm(&mut self, args: &[String]) -> Output {
        let mut out = Output::default();
        let (mut force, mut recursive) = (false, false);
        let mut files: Vec<&String> = Vec::new();
        for a in args {
            if a.starts_with('-') && a.len() > 1 {
                for c in a[1..].chars() {
                    match c {
                        'f' => force = true,
                        'r' | 'R' => recursive = true,
                        _ => {}
                    }
                }
            } else {
                files.push(a);
            }
        }
        if files.is_empty() && !force {
            out.errln(if self.bb() {
                s("rm: missing operand")
            } else {
                s("rm: missing operand\nTry 'rm --help' for more information.")
            });
            out.exit = 1;
            return out;
        }
        let Some((pod, i)) = self.pod().map(|(p, i)| (p.clone(), i)) else { return out };
        for f in files {
            let p = self.path(f);
            match fs::remove(self.w, &pod, i, &p, recursive, false) {
                Ok(()) => {}
                Err(FsError::NotFound) if force => {}
                Err(e) => {
                    out.errln(match (self.bb(), e) {
                        (true, FsError::IsDir) => format!("rm: '{f}' is a directory"),
                        (true, e) => format!("rm: can't remove '{f}': {}", e.text()),
                        (false, FsError::Busy) => format!("rm: cannot remove '{f}': Device or resource busy"),
                        (false, e) => format!("rm: cannot remove '{f}': {}", e.text()),
                    });
                    out.exit = 1;
                }
            }
        }
        out
    }

    fn rmdir(&mut self, args: &[String]) -> Output {
        let mut out = Output::default();
        let Some((pod, i)) = self.pod().map(|(p, i)| (p.clone(), i)) else { return out };
        for f in args.iter().filter(|a| !a.starts_with('-')) {
            let p = self.path(f);
            if let Err(e) = fs::remove(self.w, &pod, i, &p, false, true) {
                let e = if e == FsError::Busy { "Device or resource busy" } else { e.text() };
                out.errln(if self.bb() {
                    format!("rmdir: '{f}': {e}")
                } else {
                    format!("rmdir: failed to remove '{f}': {e}")
                });
                out.exit = 1;
            }
        }
        out
    }

    fn mkdir(&mut self, args: &[String]) -> Output {
        let mut out = Output::default();
        let parents = args.iter().any(|a| a.starts_with('-') && a.contains('p'));
        let dirs: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        if dirs.is_empty() {
            out.errln(if self.bb() {
                s("mkdir: missing operand")
            } else {
                s("mkdir: missing operand\nTry 'mkdir --help' for more information.")
            });
            out.exit = 1;
            return out;
        }
        let Some((pod, i)) = self.pod().map(|(p, i)| (p.clone(), i)) else { return out };
        for d in dirs {
            let p = self.path(d);
            if let Err(e) = fs::mkdir(self.w, &pod, i, &p, parents) {
                out.errln(if self.bb() {
                    format!("mkdir: can't create directory '{d}': {}", e.text())
                } else {
                    format!("mkdir: cannot create directory '{d}': {}", e.text())
                });
                out.exit = 1;
            }
        }
        out
    }

    fn copy(&mut self, name: &str, args: &[String]) -> Output {
        let mut out = Output::default();
        let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let (Some(src), Some(dst)) = (operands.first(), operands.get(1)) else {
            out.errln(if self.bb() {
                format!("{name}: missing operand")
            } else {
                format!("{name}: missing file operand\nTry '{name} --help' for more information.")
            });
            out.exit = 1;
            return out;
        };
        let sp = self.path(src);
        let content = match self.read(&sp) {
            Ok(c) => c,
            Err(e) => {
                let e = if e == FsError::IsDir { "omitting directory" } else { e.text() };
                out.errln(if self.bb() {
                    format!("{name}: can't stat '{src}': {e}")
                } else {
                    format!("{name}: cannot stat '{src}': {e}")
                });
                out.exit = 1;
                return out;
            }
        };
        let mut dp = self.path(dst);
        if self.stat(&dp) == Some(Node::Dir) {
            let base = sp.rsplit('/').next().unwrap_or("").to_string();
            dp = fs::normalize(&dp, &base);
        }
        if let Err(e) = self.write(&dp, &content, false) {
            out.errln(if self.bb() {
                format!("{name}: can't create '{dst}': {}", e.text())
            } else {
                format!("{name}: cannot create regular file '{dst}': {}", e.text())
            });
            out.exit = 1;
            return out;
        }
        if name == "mv" {
            if let Some((pod, i)) = self.pod().map(|(p, i)| (p.clone(), i)) {
                let _ = fs::remove(self.w, &pod, i, &sp, false, false);
            }
        }
        out
    }

    fn hostname(&self, args: &[String]) -> Output {
        let mut out = Output::default();
        let (host, fqdn, ip) = match self.pod() {
            Some((pod, _)) => (fs::hostname(pod), fs::fqdn(pod), pod.status.pod_ip.clone().unwrap_or_default()),
            None => ("dns-test".to_string(), None, String::new()),
        };
        match args.first().map(String::as_str) {
            None | Some("-s") | Some("--short") => out.outln(&host),
            Some("-f") | Some("--fqdn") | Some("--long") => out.outln(fqdn.as_deref().unwrap_or(&host)),
            Some("-d") | Some("--domain") => {
                let d = fqdn.as_deref().and_then(|f| f.split_once('.')).map(|(_, d)| d.to_string()).unwrap_or_default();
                if !d.is_empty() || !self.bb() {
                    out.outln(d);
                }
            }
            Some("-i") | Some("--ip-address") => out.outln(&ip),
            Some("-I") | Some("--all-ip-addresses") => out.outln(format!("{ip} ")),
            Some(a) if a.starts_with('-') => {
                out.errln(format!("hostname: invalid option -- '{}'", a.trim_start_matches('-')));
                out.exit = 1;
            }
            Some(_) => {
                out.errln(if self.bb() {
                    s("hostname: sethostname: Operation not permitted")
                } else {
                    s("hostname: you must be root to change the host name")
                });
                out.exit = 1;
            }
        }
        out
    }

    fn env_cmd(&mut self, name: &str, args: &[String], stdin: Option<String>) -> Output {
        let mut out = Output::default();
        if name == "printenv" && !args.is_empty() {
            let mut missing = false;
            for a in args {
                match self.var(a).filter(|_| self.env.iter().any(|(k, _)| k == a)) {
                    Some(v) => out.outln(v),
                    None => missing = true,
                }
            }
            out.exit = i32::from(missing);
            return out;
        }
        if name == "env" && !args.is_empty() {
            // env VAR=value ... command
            let mut k = 0;
            let saved = self.env.clone();
            while let Some((n, v)) = args.get(k).and_then(|a| a.split_once('=')) {
                self.set_var(n, v.to_string());
                k += 1;
            }
            let rest = &args[k..];
            if self.depth >= MAX_DEPTH {
                out.errln("env: stsplay: too deeply nested");
                out.exit = 126;
                self.env = saved;
                return out;
            }
            self.depth += 1;
            let o = if rest.is_empty() { self.env_cmd("env", &[], stdin) } else { self.command(rest, stdin) };
            self.depth -= 1;
            self.env = saved;
            return o;
        }
        let mut text = String::new();
        for (k, v) in &self.env {
            text.push_str(&format!("{k}={v}\n"));
        }
        out.out(text);
        out
    }

    fn test(&self, name: &str, args: &[String]) -> Output {
        let mut out = Output::default();
        let mut a: Vec<&str> = args.iter().map(String::as_str).collect();
        if name == "[" {
            if a.last() != Some(&"]") {
                out.errln(format!("{}[: missing ]", self.sh_prefix()));
                out.exit = 2;
                return out;
            }
            a.pop();
        }
        let mut negate = false;
        if a.first() == Some(&"!") {
            negate = true;
            a.remove(0);
        }
        let exists = |p: &str| self.stat(&self.path(p));
        let r = match a.as_slice() {
            [] => false,
            [x] => !x.is_empty(),
            ["-n", x] => !x.is_empty(),
            ["-z", x] => x.is_empty(),
            ["-e", p] => exists(p).is_some(),
            ["-f", p] => exists(p) == Some(Node::File),
            ["-d", p] => exists(p) == Some(Node::Dir),
            ["-s", p] => self.read(&self.path(p)).is_ok_and(|t| !t.is_empty()),
            ["-r" | "-w", p] => exists(p).is_some(),
            ["-x", p] => exists(p) == Some(Node::Dir),
            [x, "=" | "==", y] => x == y,
            [x, "!=", y] => x != y,
            [x, op @ ("-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge"), y] => {
                let (Ok(x), Ok(y)) = (x.trim().parse::<i64>(), y.trim().parse::<i64>()) else {
                    out.errln(format!(
                        "{}{name}: {}: integer expression expected",
                        self.sh_prefix(),
                        if x.trim().parse::<i64>().is_err() { x } else { y }
                    ));
                    out.exit = 2;
                    return out;
                };
                match *op {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    _ => x >= y,
                }
            }
            _ => false,
        };
        out.exit = i32::from(r == negate);
        out
    }

    fn sleep(&self, args: &[String]) -> Output {
        let mut out = Output::default();
        match args.first() {
            None => {
                out.errln(if self.bb() {
                    s("sleep: missing operand")
                } else {
                    s("sleep: missing operand\nTry 'sleep --help' for more information.")
                });
                out.exit = 1;
            }
            Some(a) if a.trim_end_matches(['s', 'm', 'h', 'd']).parse::<f64>().is_err() && a != "infinity" => {
                out.errln(if self.bb() {
                    format!("sleep: invalid number '{a}'")
                } else {
                    format!("sleep: invalid time interval '{a}'\nTry 'sleep --help' for more information.")
                });
                out.exit = 1;
            }
            // Virtual time does not move inside a command; the sleep ends at once.
            Some(_) => {}
        }
        out
    }

    fn uname(&self, args: &[String]) -> Output {
        let mut out = Output::default();
        let kernel = "6.8.0-1021-gcp";
        let host = self.pod().map(|(p, _)| fs::hostname(p)).unwrap_or_else(|| "dns-test".into());
        let parts: Vec<String> = match args.first().map(String::as_str) {
            None | Some("-s") => vec![s("Linux")],
            Some("-r") => vec![s(kernel)],
            Some("-n") => vec![host],
            Some("-m") => vec![s("x86_64")],
            Some("-a") => {
                let mut v = vec![
                    s("Linux"),
                    host,
                    s(kernel),
                    s("#21~22.04.1-Ubuntu SMP Fri Jan 17 15:16:58 UTC 2025"),
                    s("x86_64"),
                ];
                if !self.bb() {
                    v.push(s("GNU/Linux"));
                }
                v
            }
            Some(_) => vec![s("Linux")],
        };
        out.outln(parts.join(" "));
        out
    }

    /// grep, head, tail, wc, sort: over files named in the arguments, or stdin.
    fn filter(&mut self, name: &str, args: &[String], stdin: Option<String>) -> Output {
        let mut opts: Vec<String> = vec![name.to_string()];
        let mut files: Vec<String> = Vec::new();
        let mut pattern_seen = false;
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a.starts_with('-') && a.len() > 1 {
                opts.push(a.clone());
                if matches!(a.as_str(), "-n" | "-A" | "-B" | "-C" | "-e") {
                    if let Some(v) = args.get(i + 1) {
                        opts.push(v.clone());
                        i += 1;
                        if a == "-e" {
                            pattern_seen = true;
                        }
                    }
                }
            } else if name == "grep" && !pattern_seen {
                opts.push(a.clone());
                pattern_seen = true;
            } else {
                files.push(a.clone());
            }
            i += 1;
        }
        let mut err = Output::default();
        let input = if files.is_empty() {
            stdin.unwrap_or_default()
        } else {
            let mut t = String::new();
            for f in &files {
                match self.read(&self.path(f)) {
                    Ok(c) if t.len() + c.len() <= MAX_OUTPUT_BYTES => t.push_str(&c),
                    Ok(_) => {}
                    Err(e) => {
                        err.errln(if self.bb() {
                            format!("{name}: {f}: {}", e.text())
                        } else if name == "head" || name == "tail" {
                            format!("{name}: cannot open '{f}' for reading: {}", e.text())
                        } else {
                            format!("{name}: {f}: {}", e.text())
                        });
                        err.exit = if name == "grep" { 2 } else { 1 };
                    }
                }
            }
            t
        };
        let words: Vec<Word> = opts.into_iter().map(|t| Word { raw: t.clone(), text: t, quoted: true }).collect();
        let cmd = SimpleCommand { words, ..Default::default() };
        let mut o = crate::filters::apply(&cmd, Output { chunks: vec![(Stream::Stdout, input)], exit: 0 });
        if err.exit != 0 {
            o.chunks.extend(err.chunks);
            o.exit = err.exit;
        }
        o
    }

    // ------------------------------------------------------------------------------------ network

    /// The addresses for a name as the C library sees them from here: `/etc/hosts` of this pod, then DNS.
    fn resolve(&self, name: &str) -> Option<Vec<String>> {
        if dns::is_ipv4(name) {
            return Some(vec![name.to_string()]);
        }
        if name == "localhost" {
            return Some(vec!["127.0.0.1".into()]);
        }
        if let Some((pod, _)) = self.pod() {
            let hosts = fs::hosts_file(pod);
            let hits: Vec<String> = hosts
                .lines()
                .filter(|l| !l.starts_with('#') && !l.contains(':'))
                .filter_map(|l| {
                    let mut f = l.split_whitespace();
                    let ip = f.next()?;
                    f.any(|n| n.eq_ignore_ascii_case(name)).then(|| ip.to_string())
                })
                .filter(|ip| ip != "127.0.0.1")
                .collect();
            if !hits.is_empty() {
                return Some(hits);
            }
        }
        dns::resolve(self.w, &self.place.ns, name).map(|a| a.addresses.into_iter().map(|(ip, _)| ip).collect())
    }

    /// The name for an address (`getnameinfo`): `/etc/hosts` of this pod, then a PTR query.
    fn reverse(&self, ip: &str) -> Option<String> {
        if let Some((pod, _)) = self.pod() {
            let hosts = fs::hosts_file(pod);
            for l in hosts.lines().filter(|l| !l.starts_with('#')) {
                let mut f = l.split_whitespace();
                if f.next() == Some(ip) {
                    if let Some(n) = f.next() {
                        return Some(n.to_string());
                    }
                }
            }
        }
        dns::reverse(self.w, ip)
    }

    fn nslookup(&self, args: &[String]) -> Output {
        let mut out = Output::default();
        let names: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let Some(name) = names.first() else {
            out.errln(format!(
                "{BUSYBOX_BANNER}\n\nUsage: nslookup [HOST] [SERVER]\n\nQuery the nameserver for the IP address of the given HOST\noptionally using a specified DNS server"
            ));
            out.exit = 1;
            return out;
        };
        let server = dns::DNS_SERVER;
        let server_name = dns::reverse(self.w, server).map(|n| format!(" {n}")).unwrap_or_default();
        out.out(format!("Server:    {server}\nAddress 1: {server}{server_name}\n\n"));
        let addrs = if dns::is_ipv4(name) {
            // A reverse lookup: the name is the address itself.
            Some(vec![name.to_string()])
        } else {
            self.resolve(name)
        };
        match addrs.filter(|a| !a.is_empty()) {
            Some(addrs) => {
                let mut text = format!("Name:      {name}\n");
                for (k, ip) in addrs.iter().take(64).enumerate() {
                    match self.reverse(ip) {
                        Some(n) => text.push_str(&format!("Address {}: {ip} {n}\n", k + 1)),
                        None => text.push_str(&format!("Address {}: {ip}\n", k + 1)),
                    }
                }
                out.out(text);
            }
            None => {
                out.errln(format!("nslookup: can't resolve '{name}'"));
                out.exit = 1;
            }
        }
        out
    }

    /// Connects to `host:port` and GETs `path`: the server's answer, or why there is none.
    fn http(&self, host: &str, port: u16, path: &str) -> Fetch {
        let Some(addrs) = self.resolve(host) else { return Fetch::NoHost };
        let Some(ip) = addrs.first().cloned() else { return Fetch::NoHost };
        if ip.starts_with("127.") {
            return match self.pod() {
                Some((pod, _)) => Fetch::from(ip, fs::http_get(self.w, pod, port, path), self.pod_image(pod)),
                None => Fetch::Refused(ip),
            };
        }
        match dns::target_of(self.w, &ip) {
            dns::Target::Pod(ns, name) => match self.w.get_pod(&ns, &name) {
                Some(pod) => Fetch::from(ip, fs::http_get(self.w, pod, port, path), self.pod_image(pod)),
                None => Fetch::Unreachable(ip),
            },
            dns::Target::Service(ns, name) => match dns::service_backend(self.w, &ns, &name, port) {
                Some((pod_name, tport)) => match self.w.get_pod(&ns, &pod_name) {
                    Some(pod) => Fetch::from(ip, fs::http_get(self.w, pod, tport, path), self.pod_image(pod)),
                    None => Fetch::Refused(ip),
                },
                None => Fetch::Refused(ip),
            },
            dns::Target::Nothing => Fetch::Unreachable(ip),
        }
    }

    fn pod_image(&self, pod: &Pod) -> String {
        let i = fs::web_container(self.w, pod, 80).unwrap_or(0);
        pod.spec.containers.get(i).map(|c| c.image.clone()).unwrap_or_default()
    }

    fn wget(&mut self, args: &[String]) -> Output {
        let mut out = Output::default();
        let (mut quiet, mut output, mut spider) = (false, None::<String>, false);
        let mut urls: Vec<String> = Vec::new();
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            match a {
                "-q" | "--quiet" => quiet = true,
                "--spider" => spider = true,
                "-O" | "--output-document" => {
                    output = args.get(i + 1).cloned();
                    i += 1;
                }
                "-T" | "--timeout" | "-U" | "--user-agent" | "--header" | "-Y" => i += 1,
                _ if a.starts_with("--") => {}
                _ if a.starts_with('-') && a.len() > 1 => {
                    let flags = &a[1..];
                    if flags.contains('q') {
                        quiet = true;
                    }
                    if let Some(at) = flags.find('O') {
                        let rest = &flags[at + 1..];
                        if rest.is_empty() {
                            output = args.get(i + 1).cloned();
                            i += 1;
                        } else {
                            output = Some(rest.to_string());
                        }
                    }
                }
                _ => urls.push(a.to_string()),
            }
            i += 1;
        }
        let Some(url) = urls.first() else {
            out.errln(format!("{BUSYBOX_BANNER}\n\nUsage: wget [-c|--continue] [--spider] [-q|--quiet] [-O|--output-document FILE]\n\t[--header 'header: value'] [-Y|--proxy on/off] [-P DIR]\n\t[-S|--server-response] [-U|--user-agent AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP"));
            out.exit = 1;
            return out;
        };
        let Some(u) = Url::parse(url) else {
            out.errln(format!("wget: not an http or ftp url: {url}"));
            out.exit = 1;
            return out;
        };
        let mut path = u.path.clone();
        let mut redirects = 0;
        loop {
            let f = self.http(&u.host, u.port, &path);
            match f {
                Fetch::NoHost => {
                    out.errln(format!("wget: bad address '{}'", u.host));
                    out.exit = 1;
                    return out;
                }
                Fetch::Refused(ip) => {
                    if !quiet {
                        out.errln(format!("Connecting to {} ({ip}:{})", u.host, u.port));
                    }
                    out.errln(format!("wget: can't connect to remote host ({ip}): Connection refused"));
                    out.exit = 1;
                    return out;
                }
                Fetch::Unreachable(ip) => {
                    if !quiet {
                        out.errln(format!("Connecting to {} ({ip}:{})", u.host, u.port));
                    }
                    out.errln(format!("wget: can't connect to remote host ({ip}): No route to host"));
                    out.exit = 1;
                    return out;
                }
                Fetch::Response { ip, status, reason, body, .. } => {
                    if !quiet {
                        out.errln(format!("Connecting to {} ({ip}:{})", u.host, u.port));
                    }
                    if status == 301 && redirects < 5 {
                        redirects += 1;
                        path.push('/');
                        continue;
                    }
                    if status >= 400 {
                        out.errln(format!("wget: server returned error: HTTP/1.1 {status} {reason}"));
                        out.exit = 1;
                        return out;
                    }
                    if spider {
                        return out;
                    }
                    let target = output.clone().unwrap_or_else(|| {
                        let base = path.rsplit('/').next().unwrap_or("");
                        if base.is_empty() {
                            "index.html".to_string()
                        } else {
                            base.to_string()
                        }
                    });
                    if target == "-" {
                        out.out(body.clone());
                        if !quiet {
                            out.errln(progress_bar("-", body.len()));
                        }
                        return out;
                    }
                    let p = self.path(&target);
                    if output.is_none() && self.stat(&p).is_some() {
                        out.errln(format!("wget: can't open '{target}': File exists"));
                        out.exit = 1;
                        return out;
                    }
                    if self.pod().is_none() {
                        out.errln(format!("wget: can't open '{target}': {}", FsError::ReadOnly.text()));
                        out.hint("the terminal's debug pod has no files; use -O- (or -qO-) to print the page");
                        out.exit = 1;
                        return out;
                    }
                    if let Err(e) = self.write(&p, &body, false) {
                        out.errln(format!("wget: can't open '{target}': {}", e.text()));
                        out.exit = 1;
                        return out;
                    }
                    if !quiet {
                        out.errln(format!("saving to '{target}'"));
                        out.errln(progress_bar(&target, body.len()));
                        out.errln(format!("'{target}' saved"));
                    }
                    return out;
                }
            }
        }
    }

    fn curl(&mut self, args: &[String]) -> Output {
        let mut out = Output::default();
        let (mut silent, mut show_error, mut fail, mut include, mut head, mut follow) =
            (false, false, false, false, false, false);
        let mut output: Option<String> = None;
        let mut remote_name = false;
        let mut urls: Vec<String> = Vec::new();
        let mut i = 0;
        let unknown = |o: &str| -> Output {
            let mut out = Output::default();
            out.errln(format!(
                "curl: option {o}: is unknown\ncurl: try 'curl --help' or 'curl --manual' for more information"
            ));
            out.exit = 2;
            out
        };
        while i < args.len() {
            let a = args[i].as_str();
            match a {
                "--silent" => silent = true,
                "--show-error" => show_error = true,
                "--fail" => fail = true,
                "--include" => include = true,
                "--head" => head = true,
                "--location" => follow = true,
                "--remote-name" => remote_name = true,
                "--output" => {
                    output = args.get(i + 1).cloned();
                    i += 1;
                }
                "--max-time" | "--connect-timeout" | "--header" | "--request" | "--user-agent" | "--retry" => i += 1,
                "--verbose" | "--insecure" | "--compressed" | "--http1.1" => {}
                _ if a.starts_with("--") => return unknown(a),
                _ if a.starts_with('-') && a.len() > 1 => {
                    let chars: Vec<char> = a[1..].chars().collect();
                    for (k, c) in chars.iter().enumerate() {
                        match c {
                            's' => silent = true,
                            'S' => show_error = true,
                            'f' => fail = true,
                            'i' => include = true,
                            'I' => head = true,
                            'L' => follow = true,
                            'O' => remote_name = true,
                            'v' | 'k' | '4' => {}
                            'o' | 'm' | 'H' | 'X' | 'A' => {
                                let rest: String = chars[k + 1..].iter().collect();
                                let v = if rest.is_empty() {
                                    i += 1;
                                    args.get(i).cloned()
                                } else {
                                    Some(rest)
                                };
                                if *c == 'o' {
                                    output = v;
                                }
                                break;
                            }
                            other => return unknown(&format!("-{other}")),
                        }
                    }
                }
                _ => urls.push(a.to_string()),
            }
            i += 1;
        }
        let Some(url) = urls.first() else {
            out.errln("curl: try 'curl --help' or 'curl --manual' for more information");
            out.exit = 2;
            return out;
        };
        let errors = !silent || show_error;
        let Some(u) = Url::parse(url) else {
            if errors {
                let scheme = url.split("://").next().unwrap_or("");
                out.errln(format!("curl: (1) Protocol \"{scheme}\" not supported"));
            }
            out.exit = 1;
            return out;
        };
        let mut path = u.path.clone();
        let mut redirects = 0;
        let (status, reason, body, image) = loop {
            match self.http(&u.host, u.port, &path) {
                Fetch::NoHost => {
                    if errors {
                        out.errln(format!("curl: (6) Could not resolve host: {}", u.host));
                    }
                    out.exit = 6;
                    return out;
                }
                Fetch::Refused(_) | Fetch::Unreachable(_) => {
                    if errors {
                        out.errln(format!(
                            "curl: (7) Failed to connect to {} port {} after 0 ms: Couldn't connect to server",
                            u.host, u.port
                        ));
                    }
                    out.exit = 7;
                    return out;
                }
                Fetch::Response { status, reason, body, image, .. } => {
                    if status == 301 && follow && redirects < 5 {
                        redirects += 1;
                        path.push('/');
                        continue;
                    }
                    break (status, reason, body, image);
                }
            }
        };
        if fail && status >= 400 {
            if errors {
                out.errln(format!("curl: (22) The requested URL returned error: {status}"));
            }
            out.exit = 22;
            return out;
        }
        let mut text = String::new();
        if include || head {
            text.push_str(&http_headers(self.w.now, status, reason, &image, body.len()));
        }
        if !head {
            text.push_str(&body);
        }
        let target = match (output, remote_name) {
            (Some(o), _) if o != "-" => Some(o),
            (None, true) => Some(path.rsplit('/').next().unwrap_or("").to_string()),
            _ => None,
        };
        let meter = !silent && (!self.place.tty || target.is_some());
        match target {
            Some(t) => {
                let p = self.path(&t);
                let written = if t.is_empty() {
                    Err(FsError::NotFound)
                } else if self.pod().is_none() {
                    Err(FsError::ReadOnly)
                } else {
                    self.write(&p, &text, false)
                };
                if let Err(e) = written {
                    if errors {
                        out.errln(format!("Warning: Failed to open the file {t}: {}", e.text()));
                        out.errln("curl: (23) Failure writing output to destination");
                    }
                    if self.pod().is_none() {
                        out.hint("the terminal's debug pod has no files; leave out -o to print the page");
                    }
                    out.exit = 23;
                    return out;
                }
                if meter {
                    out.err(PROGRESS_HEADER);
                }
            }
            None => {
                if meter {
                    out.err(PROGRESS_HEADER);
                }
                out.out(text)
            }
        }
        if meter {
            out.errln(progress_line(body.len()));
        }
        out
    }
}

/// What an HTTP request got.
enum Fetch {
    NoHost,
    /// Nothing listens at the address (port closed, Service without ready endpoints).
    Refused(String),
    /// Nothing has the address (a deleted pod's old IP).
    Unreachable(String),
    Response {
        ip: String,
        status: u16,
        reason: &'static str,
        body: String,
        image: String,
    },
}

impl Fetch {
    fn from(ip: String, r: HttpResult, image: String) -> Fetch {
        match r {
            HttpResult::Refused => Fetch::Refused(ip),
            HttpResult::Response { status, reason, body } => Fetch::Response { ip, status, reason, body, image },
        }
    }
}

/// An `http://host[:port]/path` URL (the scheme may be left out).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Url {
    host: String,
    port: u16,
    path: String,
}

impl Url {
    fn parse(url: &str) -> Option<Url> {
        let (scheme, rest) = match url.split_once("://") {
            Some((s, r)) => (s.to_ascii_lowercase(), r),
            None => ("http".to_string(), url),
        };
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], rest[i..].to_string()),
            None => (rest, "/".to_string()),
        };
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().ok()?),
            None => (authority, default_port),
        };
        if host.is_empty() {
            return None;
        }
        Some(Url { host: host.to_string(), port, path })
    }
}

const PROGRESS_HEADER: &str = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";

/// curl's `max5data`: a number in five columns (`  612`, ` 597k`, ` 1234M`).
fn max5(n: u64) -> String {
    if n < 100_000 {
        format!("{n:>5}")
    } else if n < 10_000 * 1024 {
        format!("{:>4}k", n / 1024)
    } else if n < 100 * 1024 * 1024 {
        let m = n * 10 / (1024 * 1024);
        format!("{:>2}.{}M", m / 10, m % 10)
    } else {
        format!("{:>4}M", n / (1024 * 1024))
    }
}

/// The final line of curl's progress meter for a transfer of `size` bytes that took about a millisecond
/// (as an in-cluster request does); what the terminal shows once the meter stops updating.
fn progress_line(size: usize) -> String {
    let size = size as u64;
    let speed = size.saturating_mul(1000);
    format!(
        "100 {}  100 {}    0     0  {}      0 --:--:-- --:--:-- --:--:-- {}",
        max5(size),
        max5(size),
        max5(speed),
        max5(speed)
    )
}

/// busybox wget's progress bar after a complete transfer (80-column terminal).
fn progress_bar(name: &str, size: usize) -> String {
    let short: String = name.chars().take(20).collect();
    format!("{short:<20} 100% |{}| {size:>5}  0:00:00 ETA", "*".repeat(31))
}

/// The response headers nginx sends (`curl -i`/`-I`).
fn http_headers(now: stsplay_model::SimTime, status: u16, reason: &str, image: &str, len: usize) -> String {
    let server = match fs::nginx_version(image) {
        Some(v) => format!("nginx/{v}"),
        None => "nginx".to_string(),
    };
    let date = now.rfc1123z().replace("+0000", "GMT");
    let mut h = format!("HTTP/1.1 {status} {reason}\r\nServer: {server}\r\nDate: {date}\r\nContent-Type: text/html\r\nContent-Length: {len}\r\n");
    if status == 200 {
        h.push_str(&format!(
            "Last-Modified: {date}\r\nConnection: keep-alive\r\nETag: \"{:x}-{len:x}\"\r\nAccept-Ranges: bytes\r\n",
            now.unix_seconds()
        ));
    } else {
        h.push_str("Connection: keep-alive\r\n");
    }
    h.push_str("\r\n");
    h
}

/// `date`'s default format: `Tue Mar  4 10:00:05 UTC 2025`.
fn date_string(now: stsplay_model::SimTime) -> String {
    // rfc1123z: "Tue, 04 Mar 2025 10:00:05 +0000"
    let r = now.rfc1123z();
    let f: Vec<&str> = r.split_whitespace().collect();
    match f.as_slice() {
        [wd, d, mon, y, t, _] => {
            let day: u32 = d.parse().unwrap_or(1);
            format!("{} {mon} {day:>2} {t} UTC {y}", wd.trim_end_matches(','))
        }
        _ => r,
    }
}

/// `ls -l`'s date column: `Mar  4 10:00`.
fn ls_date(t: stsplay_model::SimTime) -> String {
    let r = t.rfc1123z();
    let f: Vec<&str> = r.split_whitespace().collect();
    match f.as_slice() {
        [_, d, mon, _, time, _] => {
            let day: u32 = d.parse().unwrap_or(1);
            format!("{mon} {day:>2} {}", time.get(..5).unwrap_or(time))
        }
        _ => r,
    }
}

/// The value of a variable for the tokenizer.
fn lookup(env: &[(String, String)], last: i32, cwd: &str, arg0: &str, k: &str) -> Option<String> {
    match k {
        "?" => Some(last.to_string()),
        "$" => Some("1".into()),
        "0" => Some(arg0.to_string()),
        "#" => Some("0".into()),
        "PWD" => Some(cwd.to_string()),
        _ => env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()),
    }
}

/// Whether the raw word has a `$(` or a backtick outside single quotes.
fn unquoted_substitution(raw: &str) -> bool {
    let mut in_single = false;
    let mut prev_backslash = false;
    let chars: Vec<char> = raw.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        match c {
            '\'' if !prev_backslash => in_single = !in_single,
            '$' if !in_single && !prev_backslash && chars.get(i + 1) == Some(&'(') => return true,
            '`' if !in_single && !prev_backslash => return true,
            _ => {}
        }
        prev_backslash = *c == '\\' && !prev_backslash;
    }
    false
}

/// The index of the `)` closing a `$(` whose content starts at `from`.
fn matching_paren(chars: &[char], from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut i = from;
    let mut quote: Option<char> = None;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// Shell wildcard matching (`*`, `?`), iterative.
fn wildcard(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut pi, mut ni) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// `echo -e` / dash `echo` escapes; the flag is true at `\c` (stop, no newline).
fn unescape(s: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some('a') => out.push('\u{7}'),
            Some('b') => out.push('\u{8}'),
            Some('e') => out.push('\u{1b}'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut v = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            v = v * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.extend(char::from_u32(v));
            }
            Some(o) => {
                out.push('\\');
                out.push(o);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard("*.html", "index.html"));
        assert!(wildcard("*", "a"));
        assert!(!wildcard("*.html", "index.htm"));
        assert!(wildcard("w?b-*", "web-0"));
        assert!(wildcard("**a**", "xxa"));
        assert!(!wildcard("a", ""));
        let long = "*".repeat(1000) + "b";
        assert!(!wildcard(&long, &"a".repeat(1000)));
    }

    #[test]
    fn urls() {
        assert_eq!(Url::parse("web-0.nginx"), Some(Url { host: "web-0.nginx".into(), port: 80, path: "/".into() }));
        assert_eq!(
            Url::parse("http://nginx:8080/a/b.html"),
            Some(Url { host: "nginx".into(), port: 8080, path: "/a/b.html".into() })
        );
        assert_eq!(Url::parse("https://x").map(|u| u.port), Some(443));
        assert_eq!(Url::parse("ftp://x"), None);
        assert_eq!(Url::parse("http://:80/"), None);
        assert_eq!(Url::parse("http://x:99999/"), None);
    }

    #[test]
    fn curl_meter_numbers() {
        assert_eq!(max5(6), "    6");
        assert_eq!(max5(612_000), " 597k");
        assert_eq!(
            progress_line(612),
            "100   612  100   612    0     0   597k      0 --:--:-- --:--:-- --:--:--  597k"
        );
    }

    #[test]
    fn escapes_and_substitution_scanning() {
        assert_eq!(unescape("a\\nb\\c ignored"), ("a\nb".to_string(), true));
        assert_eq!(unescape("\\0101"), ("A".to_string(), false));
        assert!(unquoted_substitution("\"$(hostname)\""));
        assert!(!unquoted_substitution("'$(hostname)'"));
        assert!(unquoted_substitution("`hostname`"));
        let chars: Vec<char> = "$(echo (a) ')' x) tail".chars().collect();
        assert_eq!(matching_paren(&chars, 2), Some(16));
    }

    /// A cluster with a busybox pod (`box-0`, ash) and an nginx pod (`deb-0`, dash/bash), settled.
    fn world() -> World {
        let mut t = crate::terminal::Terminal::new(2);
        let manifest = |name: &str, image: &str| {
            format!(
                "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  clusterIP: None\n  selector:\n    app: {name}\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: {name}\nspec:\n  serviceName: {name}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: c\n        image: {image}\n{}",
                if image.starts_with("busybox") { "        command: [sh, -c, sleep 3600]\n" } else { "" }
            )
        };
        let files = crate::terminal::MemoryFiles(
            [
                ("box.yaml".to_string(), manifest("box", "busybox:1.28")),
                ("deb.yaml".to_string(), manifest("deb", "nginx:1.25")),
            ]
            .into(),
        );
        for line in ["kubectl apply -f box.yaml", "kubectl apply -f deb.yaml", "sim settle"] {
            let o = t.run(line, &files);
            assert_eq!(o.exit, 0, "{}", o.text());
        }
        t.world
    }

    fn sh(w: &mut World, pod: &str, script: &str) -> Output {
        let p = w.get_pod("default", pod).cloned().unwrap();
        let place = Place::container(&p, 0, false);
        exec(w, &place, &["sh".to_string(), "-c".to_string(), script.to_string()], None).out
    }

    #[test]
    fn shell_lists_redirections_and_quotes() {
        let mut w = world();
        let o = sh(&mut w, "box-0", "echo -n a; echo 'b  c' \"d\" && false || echo e; echo $?");
        assert_eq!(o.stdout(), "ab  c d\ne\n0\n");
        let o = sh(&mut w, "box-0", "echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f; cat < /tmp/f | wc -l");
        assert_eq!(o.stdout(), "one\ntwo\n2\n");
        let o = sh(&mut w, "box-0", "cat /nope 2>/dev/null || echo failed $?; cat /nope 2>&1 | grep -c open");
        assert_eq!(o.stdout(), "failed 1\n1\n");
        let o = sh(&mut w, "box-0", "X=1; export Y=2; echo $X$Y ${HOSTNAME}; Z=3 env | grep Z=; echo \"[$Z]\"");
        assert_eq!(o.stdout(), "12 box-0\nZ=3\n[]\n");
        let o = sh(&mut w, "box-0", "echo \"$(hostname)-`echo x`\" '$(hostname)'");
        assert_eq!(o.stdout(), "box-0-x $(hostname)\n");
        let o = sh(&mut w, "box-0", "cd /etc && pwd && ls h* && cd /nope");
        assert_eq!(o.stdout(), "/etc\nhostname\nhosts\n");
        assert_eq!(o.stderr(), "sh: cd: can't cd to /nope: No such file or directory\n");
        assert_eq!(o.exit, 1);
        let o = sh(&mut w, "box-0", "exit 4; echo not here");
        assert_eq!((o.stdout().as_str(), o.exit), ("", 4));
    }

    /// Found by the hostile corpus (`exec-doubling-string`): 40 doublings of a variable are a terabyte;
    /// the shell stops with a message once expansions pass 256 KiB instead of hanging or running on
    /// with stale values.
    #[test]
    fn doubling_a_variable_stops_with_a_message() {
        let mut w = world();
        let script = format!("x=ab{}; echo ${{#x}}", "; x=$x$x".repeat(40));
        let o = sh(&mut w, "box-0", &script);
        assert!(o.stderr().contains("sh: stsplay: expansion too large"), "{}", o.text());
        assert_eq!(o.exit, 2);
    }

    #[test]
    fn shells_word_their_errors() {
        let mut w = world();
        let o = sh(&mut w, "box-0", "nope");
        assert_eq!((o.stderr().as_str(), o.exit), ("sh: nope: not found\n", 127));
        let o = sh(&mut w, "deb-0", "nope");
        assert_eq!((o.stderr().as_str(), o.exit), ("sh: 1: nope: not found\n", 127));
        let p = w.get_pod("default", "deb-0").cloned().unwrap();
        let place = Place::container(&p, 0, false);
        let argv = ["bash", "-c", "nope"].map(String::from);
        let o = exec(&mut w, &place, &argv, None).out;
        assert_eq!((o.stderr().as_str(), o.exit), ("bash: line 1: nope: command not found\n", 127));
        assert_eq!(sh(&mut w, "box-0", "echo x > /a/b").stderr(), "sh: can't create /a/b: nonexistent directory\n");
        assert_eq!(sh(&mut w, "deb-0", "echo x > /a/b").stderr(), "sh: 1: cannot create /a/b: Directory nonexistent\n");
        assert_eq!(sh(&mut w, "box-0", "cat /x").stderr(), "cat: can't open '/x': No such file or directory\n");
        assert_eq!(sh(&mut w, "deb-0", "cat /x").stderr(), "cat: /x: No such file or directory\n");
        assert_eq!(sh(&mut w, "box-0", "ls /x").stderr(), "ls: /x: No such file or directory\n");
        assert_eq!(sh(&mut w, "deb-0", "ls /x").exit, 2);
        assert_eq!(sh(&mut w, "box-0", "rm /x").stderr(), "rm: can't remove '/x': No such file or directory\n");
        assert_eq!(sh(&mut w, "box-0", "rm -f /x").exit, 0);
        assert_eq!(sh(&mut w, "deb-0", "mkdir /tmp").stderr(), "mkdir: cannot create directory '/tmp': File exists\n");
        assert!(sh(&mut w, "box-0", "for i in 1 2; do echo $i; done").stderr().contains("not simulated"));
        assert_eq!(sh(&mut w, "box-0", "echo 'open").stderr(), "sh: syntax error: unterminated quoted string\n");
        // Programs the image does not have.
        assert_eq!(sh(&mut w, "box-0", "curl x").stderr(), "sh: curl: not found\n");
        assert_eq!(sh(&mut w, "deb-0", "wget x").stderr(), "sh: 1: wget: not found\n");
        let p = w.get_pod("default", "box-0").cloned().unwrap();
        let place = Place::container(&p, 0, false);
        let r = exec(&mut w, &place, &["bash".to_string()], None);
        assert_eq!(r.start_error.as_deref(), Some("exec: \"bash\": executable file not found in $PATH"));
        let r = exec(&mut w, &place, &["/bin/bash".to_string()], None);
        assert_eq!(r.start_error.as_deref(), Some("exec: \"/bin/bash\": stat /bin/bash: no such file or directory"));
    }

    #[test]
    fn files_directories_and_globs() {
        let mut w = world();
        let o = sh(&mut w, "box-0", "mkdir -p /srv/a/b && touch /srv/a/x.txt /srv/a/y.txt && ls /srv/a && ls /srv/a/*.txt && rm /srv/a/*.txt && ls /srv/a");
        assert_eq!(o.stdout(), "b\nx.txt\ny.txt\n/srv/a/x.txt\n/srv/a/y.txt\nb\n", "{}", o.text());
        let o = sh(&mut w, "box-0", "rm /srv/a; rm -r /srv/a; ls /srv");
        assert_eq!(o.stderr(), "rm: '/srv/a' is a directory\n");
        assert_eq!(o.stdout(), "");
        let o = sh(&mut w, "deb-0", "echo hi > /tmp/a && ls -l /tmp");
        assert_eq!(o.stdout(), "total 4\n-rw-r--r-- 1 root root 3 Mar  4 10:00 a\n");
        let o = sh(&mut w, "box-0", "echo hi > /tmp/a && ls -l /tmp");
        assert_eq!(o.stdout(), "-rw-r--r--    1 root     root             3 Mar  4 10:00 a\n");
        let o = sh(
            &mut w,
            "box-0",
            "cp /tmp/a /tmp/b; mv /tmp/b /tmp/c; cat /tmp/c; test -f /tmp/b || echo moved; [ -d /tmp ] && echo dir",
        );
        assert_eq!(o.stdout(), "hi\nmoved\ndir\n");
        let o = sh(&mut w, "box-0", "hostname; hostname -f; hostname -i | grep -c 10.244");
        assert_eq!(o.stdout(), "box-0\nbox-0.box.default.svc.cluster.local\n1\n");
        let o = sh(&mut w, "box-0", "printenv HOSTNAME NOPE");
        assert_eq!((o.stdout().as_str(), o.exit), ("box-0\n", 1));
        let o = sh(&mut w, "box-0", "printf '%s=%d\\n' a 1 b 2");
        assert_eq!(o.stdout(), "a=1\nb=2\n");
        // Columns with a TTY.
        let p = w.get_pod("default", "box-0").cloned().unwrap();
        let place = Place::container(&p, 0, true);
        let o = exec(&mut w, &place, &["ls".to_string(), "/".to_string()], None).out;
        assert_eq!(o.stdout(), "bin   dev   etc   home  proc  root  srv   sys   tmp   usr   var\n");
    }

    #[test]
    fn network_programs_inside_pods() {
        let mut w = world();
        let o = sh(&mut w, "box-0", "nslookup deb-0.deb");
        assert!(o.stdout().contains("Name:      deb-0.deb\nAddress 1: 10."), "{}", o.text());
        assert!(o.stdout().ends_with(" deb-0.deb.default.svc.cluster.local\n"), "{}", o.text());
        // busybox finds the pod's own names in /etc/hosts first
        let o = sh(&mut w, "box-0", "nslookup box-0");
        assert!(o.stdout().ends_with(" box-0.box.default.svc.cluster.local\n"), "{}", o.text());
        let o = sh(&mut w, "box-0", "nslookup");
        assert!(o.stderr().starts_with(BUSYBOX_BANNER), "{}", o.text());
        let o = sh(&mut w, "box-0", "wget -qO- deb-0.deb");
        assert!(o.stdout().contains("<h1>Welcome to nginx!</h1>"), "{}", o.text());
        let o = sh(&mut w, "box-0", "wget -q -O /tmp/page deb-0.deb && grep -c nginx /tmp/page");
        assert_eq!(o.stdout(), "2\n");
        let o = sh(&mut w, "box-0", "cd /tmp && wget -q deb-0.deb && ls index.html && wget -q deb-0.deb");
        assert_eq!(o.stdout(), "index.html\n");
        assert_eq!(o.stderr(), "wget: can't open 'index.html': File exists\n");
        let o = sh(&mut w, "box-0", "wget -q box-0.box");
        assert!(o.stderr().starts_with("wget: can't connect to remote host (10."), "{}", o.text());
        assert!(o.stderr().ends_with("): Connection refused\n"));
        let o = sh(&mut w, "deb-0", "curl -s localhost/nope");
        assert!(o.stdout().contains("404 Not Found"));
        let o = sh(&mut w, "deb-0", "curl -sf localhost/nope");
        assert_eq!((o.text().as_str(), o.exit), ("", 22));
        let o = sh(&mut w, "deb-0", "curl -f localhost/nope");
        assert!(o.stderr().ends_with("curl: (22) The requested URL returned error: 404\n"), "{}", o.text());
        let o = sh(&mut w, "deb-0", "curl -sI localhost");
        assert!(o.stdout().starts_with("HTTP/1.1 200 OK\r\nServer: nginx/1.25.5\r\nDate: "), "{}", o.text());
        let o = sh(&mut w, "deb-0", "curl --nope x");
        assert_eq!(o.exit, 2);
        let o = sh(&mut w, "deb-0", "curl ftp://x");
        assert_eq!(o.stderr(), "curl: (1) Protocol \"ftp\" not supported\n");
    }

    #[test]
    fn random_scripts_never_panic() {
        let mut w = world();
        let tokens = [
            "echo",
            "cat",
            "ls",
            "-la",
            "rm",
            "-rf",
            "mkdir",
            "-p",
            "touch",
            "cd",
            "..",
            "/",
            "/tmp",
            "/etc/hosts",
            "/usr/share",
            "*",
            "?",
            "a*",
            ";",
            "&&",
            "||",
            "|",
            ">",
            ">>",
            "<",
            "2>&1",
            "2>/dev/null",
            "'",
            "\"",
            "$(",
            ")",
            "`",
            "$X",
            "${X:-y}",
            "X=1",
            "export",
            "exit",
            "1",
            "sh",
            "-c",
            "bash",
            "nslookup",
            "wget",
            "-qO-",
            "curl",
            "-s",
            "box-0.box",
            "deb-0.deb",
            "localhost",
            "hostname",
            "-f",
            "env",
            "printf",
            "%s",
            "test",
            "[",
            "]",
            "-d",
            "grep",
            "head",
            "-n",
            "wc",
            "-l",
            "sort",
            "cp",
            "mv",
            "x",
            "/tmp/x",
            "\\",
            "\n",
            "#",
            "if",
            "$?",
        ];
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..400 {
            let n = (next() % 14) as usize + 1;
            let script: Vec<&str> = (0..n).map(|_| tokens[(next() % tokens.len() as u64) as usize]).collect();
            let pod = if next() % 2 == 0 { "box-0" } else { "deb-0" };
            let o = sh(&mut w, pod, &script.join(" "));
            assert!(o.text().len() <= MAX_OUTPUT_BYTES + 4096);
        }
        // The terminal's debug pod has no files.
        let place = Place::debug("default");
        for argv in
            [vec!["curl", "-o", "f", "deb-0.deb"], vec!["wget", "deb-0.deb"], vec!["nslookup", ""], vec!["curl"]]
        {
            let argv: Vec<String> = argv.into_iter().map(String::from).collect();
            let _ = exec(&mut w, &place, &argv, None);
        }
    }

    #[test]
    fn dates() {
        assert_eq!(date_string(stsplay_model::SimTime(5000)), "Tue Mar  4 10:00:05 UTC 2025");
        assert_eq!(ls_date(stsplay_model::SimTime(0)), "Mar  4 10:00");
    }
}
