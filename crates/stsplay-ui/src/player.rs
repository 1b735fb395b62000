//! The player: a [`Session`] and the cluster at its position. It moves the clock (step, play, seek), runs
//! commands (recording them), and rewinds by restoring a checkpoint and replaying the recording forward.
//!
//! Rules of the timeline, as a video recorder's: moving back and forth replays what was recorded (commands
//! run again when the clock reaches their moment); acting from a past moment (a command, Ctrl-C) forks:
//! the recorded future is dropped and the new input is recorded. Replaying gives exactly the same cluster as
//! living it, because the engine is deterministic and every input carries its exact [`Moment`].

use crate::session::{EditorFile, Entry, Input, Moment, Session, MAX_AT_MS};
use std::cell::RefCell;
use std::collections::BTreeMap;
use stsplay_kubectl::output::Stream;
use stsplay_kubectl::terminal::{FileSource, MemoryFiles, Terminal};
use stsplay_model::time::SimTime;

/// What one command printed in the terminal, and what its job printed afterwards.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Index of the entry in the session.
    pub entry: usize,
    pub command: String,
    pub output: Vec<(Stream, String)>,
    pub exit: i32,
    /// Output of the job the command started, with the moment each piece was printed (rewinding drops the
    /// pieces printed after the new position).
    pub stream: Vec<(Moment, Stream, String)>,
    /// Whether the command has run at the current position (false: it is in the recorded future; its
    /// output, if shown, is from an earlier pass).
    pub done: bool,
    /// The job it started is still running.
    pub running: bool,
}

impl Block {
    /// All the text of the block's output, as a terminal shows it.
    pub fn text(&self) -> String {
        let mut s: String = self.output.iter().map(|(_, t)| t.as_str()).collect();
        for (_, _, t) in &self.stream {
            s.push_str(t);
        }
        s
    }
}

/// A saved state of the cluster and where in the recording it was taken.
#[derive(Clone, Debug)]
struct Checkpoint {
    /// Entries before this index had run.
    next_entry: usize,
    moment: Moment,
    term: Terminal,
}

/// Actions processed between automatic checkpoints.
const CHECKPOINT_EVERY_STEPS: u64 = 400;
/// Checkpoints kept (when there are more, every other one is dropped: rewinding further back replays more).
const MAX_CHECKPOINTS: usize = 48;
/// The most actions one "Step" processes while looking for a visible change.
const STEP_SEARCH_LIMIT: usize = 10_000;

/// Reads files for a command and remembers what it read (the entry keeps the contents).
struct Recording<'a> {
    files: &'a [EditorFile],
    read: RefCell<BTreeMap<String, String>>,
}

impl FileSource for Recording<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        let p = path.strip_prefix("./").unwrap_or(path);
        match self.files.iter().find(|f| f.name == p) {
            Some(f) => {
                self.read.borrow_mut().insert(p.to_string(), f.text.clone());
                Ok(f.text.clone())
            }
            None => Err(format!("{path}: not found")),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Player {
    pub session: Session,
    pub term: Terminal,
    /// Entries before this index have run at the current position.
    next_entry: usize,
    /// One block per entry that is a command (Ctrl-C entries add to the block of the job they stopped).
    pub blocks: Vec<Block>,
    checkpoints: Vec<Checkpoint>,
    /// Whether the last `tick` hit its action budget (the page shows that the simulation is catching up).
    pub lagging: bool,
}

/// What the page needs to know after an action.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The cluster changed (redraw the map).
    pub changed: bool,
    /// A job finished (the prompt is back).
    pub job_ended: bool,
}

impl Player {
    /// A fresh cluster for the session's seed, replayed to the session's position.
    pub fn new(session: Session) -> Player {
        let mut term = Terminal::new(session.seed);
        term.interactive = true;
        let position = session.position;
        let mut p = Player {
            term: term.clone(),
            session,
            next_entry: 0,
            blocks: Vec::new(),
            checkpoints: vec![Checkpoint { next_entry: 0, moment: Moment { steps: 0, at: term.world.now.0 }, term }],
            lagging: false,
        };
        p.rebuild_blocks();
        p.advance(position, usize::MAX);
        p.session.position = p.moment();
        p
    }

    pub fn moment(&self) -> Moment {
        Moment { steps: self.term.world.steps, at: self.term.world.now.0 }
    }

    pub fn now(&self) -> SimTime {
        self.term.world.now
    }

    /// Index of the first entry that has not run yet (entries from here on are the recorded future).
    pub fn next_entry(&self) -> usize {
        self.next_entry
    }

    pub fn job_running(&self) -> bool {
        self.term.job.is_some()
    }

    /// Whether the cluster has nothing left to do and nothing recorded is ahead (Play stops here).
    pub fn idle(&mut self) -> bool {
        self.term.job.is_none() && self.next_entry >= self.session.entries.len() && self.term.world.is_quiet()
    }

    fn rebuild_blocks(&mut self) {
        self.blocks.clear();
        for (i, e) in self.session.entries.iter().enumerate() {
            if let Input::Command { text, .. } = &e.input {
                self.blocks.push(Block {
                    entry: i,
                    command: text.clone(),
                    output: Vec::new(),
                    exit: 0,
                    stream: Vec::new(),
                    done: false,
                    running: false,
                });
            }
        }
    }

    fn block_of_entry(&mut self, entry: usize) -> Option<&mut Block> {
        self.blocks.iter_mut().find(|b| b.entry == entry)
    }

    /// The block whose job is running.
    fn running_block(&mut self) -> Option<&mut Block> {
        self.blocks.iter_mut().rev().find(|b| b.running)
    }

    /// Runs entry `next_entry` now (the clock is set to its moment first).
    fn run_next_entry(&mut self) {
        let i = self.next_entry;
        let Some(entry) = self.session.entries.get(i).cloned() else { return };
        self.next_entry += 1;
        if entry.moment.at > self.term.world.now.0 {
            self.term.world.now = SimTime(entry.moment.at);
        }
        self.poll_job();
        match entry.input {
            Input::Interrupt => {
                let (out, _) = self.term.interrupt();
                let m = self.moment();
                if let Some(b) = self.running_block() {
                    for (s, t) in out.chunks {
                        b.stream.push((m, s, t));
                    }
                    b.stream.push((m, Stream::Stdout, "^C\n".to_string()));
                    b.running = false;
                    b.exit = 130;
                }
            }
            Input::Command { text, reads } => {
                // A new command while a job runs: the job is stopped first (the page records Ctrl-C for it).
                if self.term.job.is_some() {
                    self.term.interrupt();
                    if let Some(b) = self.running_block() {
                        b.running = false;
                    }
                }
                let out = self.term.run(&text, &MemoryFiles(reads));
                let running = self.term.job.is_some();
                if let Some(b) = self.block_of_entry(i) {
                    b.output = out.chunks;
                    b.exit = out.exit;
                    b.stream.clear();
                    b.done = true;
                    b.running = running;
                }
            }
        }
    }

    /// Prints what the running job has to say now.
    fn poll_job(&mut self) -> bool {
        if self.term.job.is_none() {
            return false;
        }
        let (out, done) = self.term.poll_job();
        let m = self.moment();
        if let Some(b) = self.running_block() {
            for (s, t) in out.chunks {
                b.stream.push((m, s, t));
            }
            if done {
                b.running = false;
                b.exit = out.exit;
            }
        }
        done
    }

    fn entry_due(&self, limit: Moment) -> bool {
        match self.session.entries.get(self.next_entry) {
            // The recording says the command ran when exactly this many actions had been processed.
            Some(e) => e.moment.steps <= self.term.world.steps && e.moment.at <= limit.at,
            None => false,
        }
    }

    /// Moves forward to `target` (processing every action due up to its time, and running recorded entries
    /// at their moments), processing at most `budget` actions. Returns whether the cluster changed; sets
    /// `lagging` when the budget ran out first (the clock then stops at the last action processed).
    fn advance(&mut self, target: Moment, budget: usize) -> bool {
        let target = Moment { steps: target.steps, at: target.at.clamp(0, MAX_AT_MS) };
        let rv_before = self.term.world.store.resource_version();
        let mut used = 0usize;
        self.lagging = false;
        loop {
            if self.entry_due(target) {
                self.run_next_entry();
                continue;
            }
            let w = &mut self.term.world;
            if w.steps >= target.steps {
                break;
            }
            match w.next_due() {
                Some(due) if due.0 <= target.at => {
                    if used >= budget {
                        self.lagging = true;
                        self.poll_job();
                        self.checkpoint_if_due();
                        return self.term.world.store.resource_version() != rv_before;
                    }
                    w.step();
                    used += 1;
                    if self.term.job.is_some() && self.poll_job() {
                        // the job ended; keep going
                    }
                    self.checkpoint_if_due();
                }
                _ => break,
            }
        }
        // Time passes without events too (the clock ran on while nothing was due).
        if self.term.world.now.0 < target.at {
            self.term.world.now = SimTime(target.at);
        }
        self.poll_job();
        self.term.world.store.resource_version() != rv_before
    }

    fn checkpoint_if_due(&mut self) {
        let last = self.checkpoints.last().map(|c| c.moment.steps).unwrap_or(0);
        if self.term.world.steps >= last + CHECKPOINT_EVERY_STEPS {
            self.push_checkpoint();
        }
    }

    fn push_checkpoint(&mut self) {
        let m = self.moment();
        if self.checkpoints.last().is_some_and(|c| c.moment >= m) {
            return;
        }
        self.checkpoints.push(Checkpoint { next_entry: self.next_entry, moment: m, term: self.term.clone() });
        if self.checkpoints.len() > MAX_CHECKPOINTS {
            // Keep the first (the fresh cluster) and every other one after it.
            let mut i = 0;
            self.checkpoints.retain(|_| {
                i += 1;
                i == 1 || i % 2 == 0
            });
        }
    }

    fn touch_horizon(&mut self) {
        let m = self.moment();
        self.session.position = m;
        self.session.horizon = self.session.horizon.max(m.at);
    }

    /// Play: lets `ms` of virtual time pass, processing at most `budget` actions (the page's frame budget).
    pub fn tick(&mut self, ms: i64, budget: usize) -> Outcome {
        let had_job = self.term.job.is_some();
        let target = Moment { steps: u64::MAX, at: self.term.world.now.0.saturating_add(ms.max(0)) };
        let changed = self.advance(target, budget);
        self.touch_horizon();
        Outcome { changed, job_ended: had_job && self.term.job.is_none() }
    }

    /// Step: runs the next recorded command if it is due, otherwise processes actions until the cluster
    /// visibly changes (an object is written) or nothing is scheduled. Returns false when there was nothing
    /// to do.
    pub fn step(&mut self) -> Outcome {
        let had_job = self.term.job.is_some();
        if let Some(e) = self.session.entries.get(self.next_entry) {
            if e.moment.steps <= self.term.world.steps {
                self.run_next_entry();
                self.touch_horizon();
                return Outcome { changed: true, job_ended: had_job && self.term.job.is_none() };
            }
        }
        let rv = self.term.world.store.resource_version();
        let mut any = false;
        for _ in 0..STEP_SEARCH_LIMIT {
            if let Some(e) = self.session.entries.get(self.next_entry) {
                if e.moment.steps <= self.term.world.steps {
                    break;
                }
            }
            if !self.term.world.step() {
                break;
            }
            any = true;
            self.poll_job();
            self.checkpoint_if_due();
            if self.term.world.store.resource_version() != rv {
                break;
            }
        }
        self.touch_horizon();
        Outcome { changed: any, job_ended: had_job && self.term.job.is_none() }
    }

    /// Moves the view to virtual time `at` (back or forth): restores the latest checkpoint before it and
    /// replays the recording up to it.
    pub fn seek(&mut self, at: i64) -> Outcome {
        let at = at.clamp(0, MAX_AT_MS);
        let target = Moment { steps: u64::MAX, at };
        if at < self.term.world.now.0 {
            let Some(cp) = self.checkpoints.iter().rev().find(|c| c.moment.at <= at).cloned() else {
                return Outcome::default();
            };
            self.restore(cp);
        }
        let changed = self.advance(target, usize::MAX);
        self.session.position = self.moment();
        let _ = changed;
        Outcome { changed: true, job_ended: false }
    }

    fn restore(&mut self, cp: Checkpoint) {
        self.term = cp.term;
        self.next_entry = cp.next_entry;
        let m = cp.moment;
        let running = self.term.job.is_some();
        let next = self.next_entry;
        let mut last_done: Option<usize> = None;
        for (i, b) in self.blocks.iter_mut().enumerate() {
            b.stream.retain(|(at, _, _)| *at <= m);
            if b.entry >= next {
                b.done = false;
                b.running = false;
            } else {
                b.done = true;
                b.running = false;
                last_done = Some(i);
            }
        }
        // The job of the last command that had run is running again if the checkpoint says so.
        if running {
            if let Some(i) = last_done {
                self.blocks[i].running = true;
            }
        }
    }

    /// Acting from a past moment drops the recorded future (and the checkpoints taken in it).
    fn fork(&mut self) {
        let m = self.moment();
        let keep = self.next_entry;
        if self.session.entries.len() > keep {
            self.session.entries.truncate(keep);
            self.blocks.retain(|b| b.entry < keep);
        }
        self.checkpoints.retain(|c| c.moment <= m && c.next_entry <= keep);
        self.session.horizon = m.at;
    }

    /// Runs a command line typed by the learner (or the Apply button), recording it.
    pub fn run_command(&mut self, text: &str) -> Outcome {
        let text = text.trim_end_matches(['\n', '\r']).to_string();
        self.session.remember(&text);
        if text.trim().is_empty() {
            return Outcome::default();
        }
        let had_job = self.term.job.is_some();
        if had_job {
            self.interrupt();
        }
        if text.trim() == "sim reset" {
            // The page's Reset: a fresh cluster and an empty recording (the editor and history stay).
            self.reset();
            return Outcome { changed: true, job_ended: had_job };
        }
        if matches!(text.trim(), "clear" | "reset") {
            self.fork();
            self.session.cleared_before = self.session.entries.len();
            return Outcome::default();
        }
        self.fork();
        let rec = Recording { files: &self.session.files, read: RefCell::new(BTreeMap::new()) };
        // Run it through the recording file source first to learn what it reads; the entry keeps it.
        let rv = self.term.world.store.resource_version();
        let moment = self.moment();
        let out = self.term.run(&text, &rec);
        let reads = rec.read.into_inner();
        let entry = self.session.entries.len();
        self.session.entries.push(Entry { moment, input: Input::Command { text: text.clone(), reads } });
        self.next_entry = self.session.entries.len();
        let running = self.term.job.is_some();
        self.blocks.push(Block {
            entry,
            command: text,
            output: out.chunks,
            exit: out.exit,
            stream: Vec::new(),
            done: true,
            running,
        });
        self.touch_horizon();
        Outcome { changed: self.term.world.store.resource_version() != rv || moment != self.moment(), job_ended: false }
    }

    /// Ctrl-C. Returns whether a job was running (otherwise the page just prints a fresh prompt).
    pub fn interrupt(&mut self) -> bool {
        if self.term.job.is_none() {
            return false;
        }
        self.fork();
        let moment = self.moment();
        self.session.entries.push(Entry { moment, input: Input::Interrupt });
        self.run_next_entry_at_end();
        true
    }

    fn run_next_entry_at_end(&mut self) {
        self.next_entry = self.session.entries.len() - 1;
        self.run_next_entry();
    }

    /// A fresh cluster with the same seed and files; the recording is emptied.
    pub fn reset(&mut self) {
        let mut s = self.session.clone();
        s.entries.clear();
        s.position = Moment::default();
        s.horizon = 0;
        s.cleared_before = 0;
        *self = Player::new(s);
    }

    /// The latest output line count etc. are derived by the page from `blocks`.
    pub fn visible_blocks(&self) -> impl Iterator<Item = &Block> {
        let from = self.session.cleared_before;
        self.blocks.iter().filter(move |b| b.entry >= from)
    }
}
