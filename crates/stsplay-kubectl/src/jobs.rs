//! Commands that wait on the cluster, run the browser's way ([`Terminal::interactive`]): `kubectl get -w`
//! and a watching `kubectl rollout status` do not move virtual time themselves. They start a [`Job`] that
//! prints as the clock moves ([`Terminal::poll_job`]) until it finishes or the learner presses Ctrl-C
//! ([`Terminal::interrupt`]).
//!
//! A job prints exactly what the same command prints in a script: each row and status line is computed from
//! the watch event that caused it (as of that event's moment), so how often the page polls changes nothing.
//! Jobs never write to the cluster, so a recorded session replays without them.

use crate::output::Output;
use crate::rollout::statefulset_status;
use crate::terminal::Terminal;
use crate::watch::Watch;
use stsplay_cluster::WatchType;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::StatefulSet;
use stsplay_model::time::SimTime;

/// A command still running.
#[derive(Clone, Debug)]
pub enum Job {
    /// `kubectl get ... -w`: runs until Ctrl-C, as kubectl does.
    Watch(Box<Watch>),
    /// `kubectl rollout status` (watching): ends when the rollout is complete, the object is deleted, or
    /// `--timeout` passes.
    RolloutStatus(Box<RolloutStatusJob>),
}

impl Job {
    /// The words the page shows while the job runs (what the terminal is waiting for).
    pub fn describe(&self) -> &'static str {
        match self {
            Job::Watch(_) => "watching",
            Job::RolloutStatus(_) => "waiting for the rollout",
        }
    }
}

/// The state of a watching `kubectl rollout status` between polls.
#[derive(Clone, Debug)]
pub struct RolloutStatusJob {
    ns: String,
    name: String,
    /// When kubectl has started and makes its first evaluation (see `rollout::status`).
    start_at: SimTime,
    /// `--timeout`, counted from the first evaluation; 0 waits for ever.
    timeout_ms: i64,
    /// The object as of the last change read (None until the first evaluation, or once deleted).
    seen: Option<StatefulSet>,
    started: bool,
    /// resourceVersion read up to.
    rv: u64,
    hinted_idle: bool,
}

impl RolloutStatusJob {
    pub fn new(ns: String, name: String, start_at: SimTime, timeout_ms: i64) -> RolloutStatusJob {
        RolloutStatusJob { ns, name, start_at, timeout_ms, seen: None, started: false, rv: 0, hinted_idle: false }
    }

    fn is_target(&self, o: &Object) -> bool {
        o.kind() == Kind::StatefulSet && o.meta().namespace == self.ns && o.meta().name == self.name
    }

    /// Prints what happened up to the world's present; returns true when the command ended.
    fn poll(&mut self, t: &Terminal, out: &mut Output) -> bool {
        let w = &t.world;
        if w.now < self.start_at {
            return false;
        }
        if !self.started {
            // The first evaluation sees the object as it was at `start_at`: the current object rolled back
            // over the changes made after that moment (the clock may have run past it before this poll).
            self.started = true;
            let current = w.get_sts(&self.ns, &self.name).cloned();
            let mut at_start: Option<StatefulSet> = None;
            let mut found_later = false;
            // Walk the log newest first: the newest change at or before start_at is the state then.
            for e in w.store.watch_since(0).collect::<Vec<_>>().into_iter().rev() {
                if !self.is_target(&e.object) {
                    continue;
                }
                if e.at <= self.start_at {
                    if e.type_ != WatchType::Deleted {
                        if let Object::StatefulSet(s) = &*e.object {
                            at_start = Some(s.clone());
                        }
                    }
                    break;
                }
                found_later = true;
                self.rv = e.rv - 1;
            }
            if !found_later {
                at_start = current.clone();
                self.rv = w.store.resource_version();
            }
            let Some(sts) = at_start else {
                out.fail("error: object has been deleted");
                return true;
            };
            match statefulset_status(&sts) {
                Err(e) => {
                    out.fail(format!("error: {e}"));
                    return true;
                }
                Ok((line, done)) => {
                    out.outln(line);
                    if done {
                        return true;
                    }
                }
            }
            self.seen = Some(sts);
        }
        let deadline = (self.timeout_ms > 0).then(|| self.start_at.plus_millis(self.timeout_ms));
        let events: Vec<_> = w
            .store
            .watch_since(self.rv)
            .filter(|e| self.is_target(&e.object) && deadline.is_none_or(|d| e.at <= d))
            .map(|e| (e.rv, e.type_, e.object.clone()))
            .collect();
        for (rv, ty, o) in events {
            self.rv = rv;
            if ty == WatchType::Deleted {
                out.fail("error: object has been deleted");
                return true;
            }
            let Object::StatefulSet(s) = &*o else { continue };
            match statefulset_status(s) {
                Err(e) => {
                    out.fail(format!("error: {e}"));
                    return true;
                }
                Ok((line, done)) => {
                    out.outln(line);
                    if done {
                        return true;
                    }
                }
            }
            self.seen = Some(s.clone());
        }
        if let Some(d) = deadline {
            if w.now >= d {
                out.fail("error: timed out waiting for the condition");
                return true;
            }
            self.rv = w.store.resource_version();
            return false;
        }
        self.rv = self.rv.max(w.store.resource_version());
        if !self.hinted_idle && w.pending_actions() == 0 {
            self.hinted_idle = true;
            out.hint("the rollout cannot finish: nothing more is scheduled in the cluster (Ctrl-C stops waiting)");
        }
        false
    }
}

impl Terminal {
    /// Prints what the running job has to say about the cluster's changes so far. Returns the output and
    /// whether the job ended (it is then gone). Nothing running: empty output, `true`.
    pub fn poll_job(&mut self) -> (Output, bool) {
        let mut out = Output::default();
        let Some(mut job) = self.job.take() else { return (out, true) };
        let done = match &mut job {
            Job::Watch(watch) => {
                out.out(watch.poll(&self.world));
                false
            }
            Job::RolloutStatus(r) => r.poll(self, &mut out),
        };
        if !done {
            self.job = Some(job);
        }
        (out, done)
    }

    /// Ctrl-C: prints what the job has left to print, then stops it. Returns whether a job was running.
    pub fn interrupt(&mut self) -> (Output, bool) {
        if self.job.is_none() {
            return (Output::default(), false);
        }
        let (mut out, _) = self.poll_job();
        self.job = None;
        // kubectl dies by SIGINT: the shell reports 130.
        out.exit = 130;
        (out, true)
    }
}

#[cfg(test)]
mod tests {
    use crate::terminal::{MemoryFiles, Terminal};
    use std::collections::BTreeMap;

    const MANIFEST: &str = "apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
";

    fn files() -> MemoryFiles {
        let mut m = BTreeMap::new();
        m.insert("web.yaml".to_string(), MANIFEST.to_string());
        MemoryFiles(m)
    }

    /// The same commands, once in a script and once the browser's way polled after every step, print the
    /// same text.
    fn both_ways(cmd: &str) -> (String, String) {
        let f = files();
        let mut script = Terminal::new(7);
        script.run("kubectl apply -f web.yaml", &f);
        let a = script.run(cmd, &f).text();

        let mut page = Terminal::new(7);
        page.interactive = true;
        page.run("kubectl apply -f web.yaml", &f);
        let mut b = page.run(cmd, &f).text();
        assert!(page.job.is_some(), "{cmd} should run as a job");
        let before = page.world.store.resource_version();
        let _ = before;
        for _ in 0..10_000 {
            if !page.world.step() {
                break;
            }
            let (o, done) = page.poll_job();
            b.push_str(&o.text());
            if done {
                break;
            }
        }
        (a, b)
    }

    #[test]
    fn rollout_status_prints_the_same_polled_per_step() {
        let (a, b) = both_ways("kubectl rollout status sts/web");
        assert!(a.contains("partitioned roll out complete") || a.contains("roll out complete"), "{a}");
        assert_eq!(a, b);
    }

    #[test]
    fn rollout_status_polled_rarely_prints_the_same() {
        let f = files();
        let mut script = Terminal::new(3);
        script.run("kubectl apply -f web.yaml", &f);
        let a = script.run("kubectl rollout status sts/web", &f).text();
        let mut page = Terminal::new(3);
        page.interactive = true;
        page.run("kubectl apply -f web.yaml", &f);
        let mut b = page.run("kubectl rollout status sts/web", &f).text();
        // One big jump of the clock, then one poll.
        page.world.run_for(10 * 60 * 1000);
        let (o, done) = page.poll_job();
        b.push_str(&o.text());
        assert!(done);
        assert_eq!(a, b);
    }

    #[test]
    fn watch_runs_until_interrupted_and_changes_nothing() {
        let f = files();
        let mut page = Terminal::new(5);
        page.interactive = true;
        page.run("kubectl apply -f web.yaml", &f);
        let start = page.run("kubectl get pods -w", &f);
        assert!(page.job.is_some());
        let steps = page.world.steps;
        let (o, done) = page.poll_job();
        assert!(!done);
        assert_eq!(page.world.steps, steps, "polling never moves the cluster");
        page.world.run_for(60_000);
        let (o2, _) = page.poll_job();
        assert!(o2.text().contains("web-0"), "{}{}{}", start.text(), o.text(), o2.text());
        let (_, was) = page.interrupt();
        assert!(was);
        assert!(page.job.is_none());
    }

    #[test]
    fn waiting_commands_in_pipelines_still_block() {
        let f = files();
        let mut page = Terminal::new(5);
        page.interactive = true;
        page.run("kubectl apply -f web.yaml", &f);
        let out = page.run("kubectl get pods -w | grep web-1", &f);
        assert!(page.job.is_none());
        assert!(out.text().contains("web-1"));
        assert!(page.interactive, "interactive mode is restored after the command");
    }

    #[test]
    fn rollout_status_timeout_ends_the_job() {
        let f = files();
        let mut page = Terminal::new(5);
        page.interactive = true;
        page.run("kubectl apply -f web.yaml", &f);
        page.run("sim image break nginx:9.9", &f);
        page.run("kubectl set image sts/web nginx=nginx:9.9", &f);
        let mut text = page.run("kubectl rollout status sts/web --timeout=20s", &f).text();
        page.world.run_for(60_000);
        let (o, done) = page.poll_job();
        text.push_str(&o.text());
        assert!(done, "{text}");
        assert!(text.contains("timed out waiting for the condition"), "{text}");
    }
}
