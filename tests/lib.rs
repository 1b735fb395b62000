//! Helpers for the workspace-level tests: run a session script the way `stsplay` does, with files read
//! from a scenario folder, and check cluster invariants after every simulated step.

pub mod check;

use std::path::{Path, PathBuf};
use stsplay_kubectl::shell;
use stsplay_kubectl::{FileSource, Terminal};

/// Reads `-f PATH` relative to a folder.
pub struct DirFiles(pub PathBuf);

impl FileSource for DirFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let p = self.0.join(path);
        std::fs::read(&p).map(|b| String::from_utf8_lossy(&b).into_owned()).map_err(|e| e.to_string())
    }
}

/// Runs `script` on a fresh cluster and returns the transcript exactly as `stsplay` prints it.
pub fn transcript(seed: u64, script: &str, dir: &Path) -> String {
    let mut term = Terminal::new(seed);
    transcript_on(&mut term, script, dir)
}

pub fn transcript_on(term: &mut Terminal, script: &str, dir: &Path) -> String {
    let files = DirFiles(dir.to_path_buf());
    let mut out = String::new();
    for cmd in shell::split_script(script) {
        let o = term.run_script_command(&cmd, &files);
        out.push_str(&format!("$ {}\n", cmd.text));
        out.push_str(&o.text());
    }
    out
}

/// The scenarios folder.
pub fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}
