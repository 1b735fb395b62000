//! `stsplay [--seed N] [SCRIPT ...]`: runs session scripts on a fresh default cluster and prints a
//! transcript — `$ ` and each command, then everything it printed (stdout and stderr, in order).
//!
//! It is the native, headless face of the playground (tests, docs, bug reports); it is not the browser app.

use std::io::{BufRead, IsTerminal, Read, Write};
use stsplay_kubectl::shell;
use stsplay_kubectl::{FileSource, Terminal};

/// `-f PATH` reads from the current directory.
struct Disk;

impl FileSource for Disk {
    fn read(&self, path: &str) -> Result<String, String> {
        let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

const USAGE: &str = "usage: stsplay [--seed N] [SCRIPT ...]\n\nRuns session scripts (or standard input) on a fresh simulated cluster and prints a transcript.\nEach non-blank line not starting with # is a command: kubectl ..., sim ..., help.\n";

fn main() {
    let mut seed: u64 = 1;
    let mut scripts: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seed" => match args.next().and_then(|v| v.parse().ok()) {
                Some(s) => seed = s,
                None => {
                    eprintln!("stsplay: --seed needs a number\n\n{USAGE}");
                    std::process::exit(2);
                }
            },
            s if s.starts_with("--seed=") => match s["--seed=".len()..].parse() {
                Ok(v) => seed = v,
                Err(_) => {
                    eprintln!("stsplay: --seed needs a number\n\n{USAGE}");
                    std::process::exit(2);
                }
            },
            "-h" | "--help" => {
                print!("{USAGE}");
                return;
            }
            _ => scripts.push(a),
        }
    }
    let mut texts = Vec::new();
    if scripts.is_empty() && std::io::stdin().is_terminal() {
        interactive(seed);
        return;
    }
    if scripts.is_empty() {
        let mut s = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut s) {
            eprintln!("stsplay: reading standard input: {e}");
            std::process::exit(2);
        }
        texts.push(String::from_utf8_lossy(&s).into_owned());
    } else {
        for path in &scripts {
            match std::fs::read(path) {
                Ok(b) => texts.push(String::from_utf8_lossy(&b).into_owned()),
                Err(e) => {
                    eprintln!("stsplay: {path}: {e}");
                    std::process::exit(2);
                }
            }
        }
    }
    let mut term = Terminal::new(seed);
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    for text in texts {
        for cmd in shell::split_script(&text) {
            let out = term.run_script_command(&cmd, &Disk);
            let _ = writeln!(lock, "$ {}", cmd.text);
            let _ = lock.write_all(out.text().as_bytes());
        }
    }
}

/// A terminal session on the simulated cluster (when standard input is a terminal).
fn interactive(seed: u64) {
    let mut term = Terminal::new(seed);
    println!("StatefulSet Playground (seed {seed}): kubectl and sim commands; `help` lists them, Ctrl-D quits.");
    let stdin = std::io::stdin();
    let mut pending = String::new();
    loop {
        print!("{}", if pending.is_empty() { "$ " } else { "> " });
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        pending.push_str(&line);
        if shell::continuation_needed(&pending) {
            continue;
        }
        let text = std::mem::take(&mut pending);
        for cmd in shell::split_script(&text) {
            let out = term.run_script_command(&cmd, &Disk);
            print!("{}", out.text());
        }
    }
    println!();
}
