//! A recorded session: everything that determines what the playground shows. The cluster is a pure function
//! of (seed, the commands with the moment each ran, the moment being viewed): the files a command read are
//! recorded with it, so later edits in the editor cannot change the past. This is what is saved in the
//! browser, put in share links, and replayed natively in tests.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A moment of the cluster, exactly: how many scheduled actions were processed, and the virtual clock
/// (milliseconds since the playground's epoch). Several actions can happen at one instant, so the clock alone
/// cannot say whether a command ran before or after one of them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Moment {
    pub steps: u64,
    pub at: i64,
}

/// One file of the editor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorFile {
    pub name: String,
    pub text: String,
}

/// What the learner did at a moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Input {
    /// A command line, with the files it read (`-f NAME`), as they were then.
    Command {
        text: String,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        reads: BTreeMap<String, String>,
    },
    /// Ctrl-C: stops the running watch or `rollout status`.
    Interrupt,
}

/// An input stamped with the moment it happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub moment: Moment,
    #[serde(flatten)]
    pub input: Input,
}

/// The whole session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub seed: u64,
    pub files: Vec<EditorFile>,
    #[serde(default)]
    pub active_file: usize,
    /// Inputs in the order they happened (their moments never decrease).
    pub entries: Vec<Entry>,
    /// The moment being viewed (it may lie before some entries: those are the recorded future, replayed
    /// when the clock reaches them, dropped when the learner acts from the past).
    pub position: Moment,
    /// The furthest virtual time reached: the end of the timeline.
    #[serde(default)]
    pub horizon: i64,
    /// Command lines typed, oldest first, for ↑/↓ (kept across forks and resets, like a shell's history).
    #[serde(default)]
    pub history: Vec<String>,
    /// Terminal lines before this entry index are hidden (Ctrl-L / `clear`).
    #[serde(default)]
    pub cleared_before: usize,
}

/// Limits on what a session may hold: a share link or saved state is untrusted input.
pub const MAX_FILES: usize = 32;
pub const MAX_FILE_NAME: usize = 128;
/// An editor file may hold a paste larger than the playground applies (the editor says "too large"; the text is
/// kept, not lost), up to this.
pub const MAX_FILE_BYTES: usize = 12 * 1024 * 1024;
pub const MAX_ENTRIES: usize = 5_000;
pub const MAX_HISTORY: usize = 500;
/// A session may not ask for more virtual time than this (a year): replaying it must end.
pub const MAX_AT_MS: i64 = 365 * 24 * 3_600_000;
/// Nor more processed actions than this.
pub const MAX_STEPS: u64 = 5_000_000;

impl Session {
    pub fn new(seed: u64, files: Vec<EditorFile>) -> Session {
        Session {
            seed,
            files,
            active_file: 0,
            entries: Vec::new(),
            position: Moment::default(),
            horizon: 0,
            history: Vec::new(),
            cleared_before: 0,
        }
    }

    /// Checks a session that came from outside (storage, a link): sizes, names, order of moments. The error
    /// says what is wrong in words a learner can act on.
    pub fn validate(&self) -> Result<(), String> {
        if self.files.len() > MAX_FILES {
            return Err(format!("it has {} files; the playground keeps at most {MAX_FILES}", self.files.len()));
        }
        let mut names = std::collections::BTreeSet::new();
        for f in &self.files {
            if f.name.is_empty()
                || f.name.len() > MAX_FILE_NAME
                || f.name.contains('/')
                || f.name.chars().any(char::is_control)
            {
                return Err(format!("it has a file with an unusable name ({} characters)", f.name.chars().count()));
            }
            if !names.insert(f.name.as_str()) {
                return Err(format!("it has two files named {:?}", f.name));
            }
            if f.text.len() > MAX_FILE_BYTES {
                return Err(format!("the file {:?} is larger than {} MB", f.name, MAX_FILE_BYTES / (1024 * 1024)));
            }
        }
        if self.entries.len() > MAX_ENTRIES {
            return Err(format!(
                "it has {} commands; the playground replays at most {MAX_ENTRIES}",
                self.entries.len()
            ));
        }
        let mut last = Moment::default();
        for e in &self.entries {
            if e.moment < last && e.moment.steps != 0 {
                // `sim reset` starts the count again; otherwise moments never go back.
                return Err("its commands are out of order".to_string());
            }
            last = e.moment;
            if let Input::Command { text, reads } = &e.input {
                if text.len() > stsplay_kubectl::terminal::MAX_LINE_BYTES {
                    return Err("it has a command line that is too long".to_string());
                }
                if reads.values().any(|t| t.len() > MAX_FILE_BYTES) || reads.len() > MAX_FILES {
                    return Err("a command in it read files that are too large".to_string());
                }
            }
        }
        for m in self.entries.iter().map(|e| e.moment).chain([self.position]) {
            if m.at < 0 || m.at > MAX_AT_MS || m.steps > MAX_STEPS {
                return Err("it points at a moment the playground cannot reach".to_string());
            }
        }
        if self.horizon < 0 || self.horizon > MAX_AT_MS {
            return Err("its timeline is longer than the playground can replay".to_string());
        }
        if self.history.len() > MAX_HISTORY * 2
            || self.history.iter().any(|h| h.len() > stsplay_kubectl::terminal::MAX_LINE_BYTES)
        {
            return Err("its command history is too large".to_string());
        }
        Ok(())
    }

    pub fn file(&self, name: &str) -> Option<&EditorFile> {
        self.files.iter().find(|f| f.name == name)
    }

    /// Pushes a line onto the history (no immediate repeats, bounded).
    pub fn remember(&mut self, line: &str) {
        let line = line.trim_end_matches('\n');
        if line.trim().is_empty() || self.history.last().is_some_and(|l| l == line) {
            return;
        }
        self.history.push(line.to_string());
        if self.history.len() > MAX_HISTORY {
            let extra = self.history.len() - MAX_HISTORY;
            self.history.drain(..extra);
        }
    }
}
