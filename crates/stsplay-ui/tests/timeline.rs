//! The pod timeline tells the StatefulSet story the chart draws: OrderedReady's staircase, a rollout from the
//! highest ordinal down that stops at the partition, and a pod name that keeps its lane when the pod is
//! deleted and recreated. Built from real sessions, the way a learner drives the playground.

use stsplay_cluster::World;
use stsplay_ui::player::Player;
use stsplay_ui::session::{EditorFile, Session};
use stsplay_ui::timeline::{pod_timeline, Lane, Timeline};
use stsplay_ui::view::{ClusterView, Tone};

const DEMO: &str = include_str!("../../stsplay-model/data/fixtures/stateful-demo-fixed.yaml");

fn player() -> Player {
    Player::new(Session::new(5, vec![EditorFile { name: "stateful-demo.yaml".into(), text: DEMO.into() }]))
}

fn run(p: &mut Player, cmd: &str) {
    p.run_command(cmd);
    // Commands that start a job (a watch, rollout status) must not hold the prompt.
    p.interrupt();
}

/// Lets virtual time pass, one second at a time, until `done` or `max_s` seconds.
fn play_until(p: &mut Player, max_s: i64, done: impl Fn(&ClusterView) -> bool) {
    for _ in 0..max_s {
        p.tick(1_000, usize::MAX);
        if done(&ClusterView::build(&p.term.world)) {
            // A few more seconds so the last change is a segment, not an instant.
            p.tick(3_000, usize::MAX);
            return;
        }
    }
    panic!("not reached in {max_s}s:\n{:#?}", ClusterView::build(&p.term.world).pods());
}

fn all_ready(n: usize) -> impl Fn(&ClusterView) -> bool {
    move |v| v.pods().len() == n && v.pods().iter().all(|c| c.ready && !c.terminating)
}

fn timeline(p: &Player) -> Timeline {
    pod_timeline(&p.term.world, 0, p.now().0)
}

fn lane<'a>(t: &'a Timeline, name: &str) -> &'a Lane {
    t.lanes.iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no lane {name}: {t:#?}"))
}

/// A healthy StatefulSet of five pods, scaled from the fixture's three.
fn five() -> Player {
    let mut p = player();
    run(&mut p, "kubectl apply -f stateful-demo.yaml");
    play_until(&mut p, 300, all_ready(3));
    run(&mut p, "kubectl scale sts myapp --replicas=5");
    play_until(&mut p, 300, all_ready(5));
    p
}

/// The first moment a lane shows revision `rev`.
fn first_with_revision(l: &Lane, rev: &str) -> Option<i64> {
    l.segments.iter().find(|s| s.revision == rev).map(|s| s.from_ms)
}

#[test]
fn ordered_ready_is_a_staircase() {
    let p = five();
    let t = timeline(&p);
    let names: Vec<&str> = t.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["myapp-0", "myapp-1", "myapp-2", "myapp-3", "myapp-4"], "lanes by ordinal");
    assert!(!t.truncated && t.more_lanes == 0);
    assert_eq!(t.revisions.len(), 1, "{:?}", t.revisions);
    for w in t.lanes.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        let a_ready = a.first_ready().expect("ready");
        let b_ready = b.first_ready().expect("ready");
        assert!(b_ready > a_ready, "{} ready at {b_ready}, before {} at {a_ready}", b.name, a.name);
        // OrderedReady: the next pod is not even created before its predecessor is Ready.
        assert!(
            b.segments[0].from_ms >= a_ready,
            "{} created at {}, {} ready at {a_ready}",
            b.name,
            b.segments[0].from_ms,
            a.name
        );
        assert_eq!(b.ordinal, Some(a.ordinal.unwrap() + 1));
        assert_eq!(b.owner.as_deref(), Some("myapp"));
    }
    for l in &t.lanes {
        // Segments are ordered, non-empty, inside the window, and merged (no two touching identical ones).
        for s in &l.segments {
            assert!(s.from_ms < s.to_ms && s.from_ms >= t.start_ms && s.to_ms <= t.end_ms, "{l:#?}");
            assert_eq!(s.revision_index, Some(0));
        }
        for w in l.segments.windows(2) {
            assert!(w[0].to_ms <= w[1].from_ms, "{l:#?}");
            let same = w[0].status == w[1].status && w[0].ready == w[1].ready && w[0].revision == w[1].revision;
            assert!(!(same && w[0].to_ms == w[1].from_ms && w[0].incarnation == w[1].incarnation), "unmerged: {l:#?}");
        }
        assert!(l.segments.iter().any(|s| s.status != "Running"), "starts Pending/ContainerCreating: {l:#?}");
        assert!(l.deletions.is_empty());
    }
}

#[test]
fn the_last_segment_is_what_the_map_shows() {
    let p = five();
    let t = timeline(&p);
    let v = ClusterView::build(&p.term.world);
    for c in v.pods() {
        let last = lane(&t, &c.name).segments.last().expect("a segment");
        assert_eq!(last.to_ms, t.end_ms, "still running at the end");
        assert_eq!((&last.status, last.ready, &last.revision, last.tone), (&c.status, c.ready, &c.revision, c.tone()));
    }
}

#[test]
fn a_rollout_goes_from_the_highest_ordinal_down_and_stops_at_the_partition() {
    let mut p = five();
    let old = lane(&timeline(&p), "myapp-0").segments[0].revision.clone();
    let patched = p.now().0;
    run(&mut p, r#"kubectl patch sts myapp -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":2}}}}'"#);
    run(&mut p, "kubectl set image sts/myapp myapp=ikubernetes/myapp:v2");
    play_until(&mut p, 600, |v| all_ready(5)(v) && v.pods().iter().filter(|c| c.updated).count() == 3);
    let t = timeline(&p);
    assert_eq!(t.revisions.len(), 2, "{:?}", t.revisions);
    assert_eq!(t.revisions[0], old, "the old revision appeared first");
    let new = t.revisions[1].clone();

    // Updated from the highest ordinal down: 4 before 3 before 2, and each deletion in the same order.
    let firsts: Vec<i64> = ["myapp-4", "myapp-3", "myapp-2"]
        .iter()
        .map(|n| first_with_revision(lane(&t, n), &new).unwrap_or_else(|| panic!("{n} updated: {t:#?}")))
        .collect();
    assert!(firsts.windows(2).all(|w| w[0] < w[1]), "{firsts:?}");
    let dels: Vec<i64> = ["myapp-4", "myapp-3", "myapp-2"].iter().map(|n| lane(&t, n).deletions[0]).collect();
    assert!(dels.windows(2).all(|w| w[0] < w[1]) && dels[0] >= patched, "{dels:?}");
    for n in ["myapp-4", "myapp-3", "myapp-2"] {
        let l = lane(&t, n);
        assert_eq!(l.segments.last().unwrap().revision, new);
        assert_eq!(l.segments.last().unwrap().revision_index, Some(1));
        assert!(l.segments.last().unwrap().incarnation >= 1, "recreated: {l:#?}");
    }
    // Below the partition: the old revision all along, never deleted.
    for n in ["myapp-0", "myapp-1"] {
        let l = lane(&t, n);
        assert!(l.segments.iter().all(|s| s.revision == old), "{l:#?}");
        assert!(l.deletions.is_empty() && l.segments.iter().all(|s| s.incarnation == 0));
    }
    // The partition is known from the StatefulSet's watch events, from the patch on.
    let span = t.partitions.iter().find(|s| s.set == "myapp").expect("a partition span");
    assert_eq!(span.partition, 2);
    assert!(span.from_ms >= patched && span.to_ms == t.end_ms, "{span:?}");
    // ←/→ stop at every change, in order.
    let b = t.boundaries();
    assert!(b.windows(2).all(|w| w[0] < w[1]));
    assert!(b.contains(&firsts[0]) && b.contains(&span.from_ms));
    assert_eq!(t.next_boundary(span.from_ms, false).map(|x| x < span.from_ms), Some(true));
    assert_eq!(t.next_boundary(t.end_ms, true), None);
    assert_eq!(t.next_boundary(-1, true), b.first().copied());
}

#[test]
fn a_recreated_pod_stays_on_its_lane() {
    let mut p = five();
    let before = p.now().0;
    run(&mut p, "kubectl delete pod myapp-1 --wait=false");
    play_until(&mut p, 300, |v| all_ready(5)(v) && v.pods().iter().any(|c| c.name == "myapp-1"));
    // Make sure it really was a new pod object that came back.
    let t = timeline(&p);
    assert_eq!(t.lanes.iter().filter(|l| l.name == "myapp-1").count(), 1);
    assert_eq!(t.lanes.len(), 5);
    let l = lane(&t, "myapp-1");
    assert_eq!(l.deletions.len(), 1, "{l:#?}");
    assert!(l.deletions[0] >= before);
    let first_new = l.segments.iter().position(|s| s.incarnation == 1).unwrap_or_else(|| panic!("recreated: {l:#?}"));
    let old = &l.segments[first_new - 1];
    let new = &l.segments[first_new];
    // Between the two pod objects: the old one Terminating, or time with no pod at all.
    let gap = old.to_ms < new.from_ms;
    let terminating = l.segments[..first_new].iter().any(|s| s.status == "Terminating" && s.tone == Tone::Leaving);
    assert!(gap || terminating, "{l:#?}");
    if gap {
        assert!(l.gaps(t.start_ms, t.end_ms).contains(&(old.to_ms, new.from_ms)), "{l:#?}");
    }
    assert!(new.from_ms >= l.deletions[0]);
    assert!(l.segments.last().unwrap().ready);
}

#[test]
fn windows_clip_and_nothing_panics() {
    // An empty world, and any window at all.
    let w = World::new(1);
    for (a, b) in [(0, 0), (0, 1_000), (5_000, 0), (-10, -5), (i64::MIN, i64::MAX), (i64::MAX, i64::MAX)] {
        let t = pod_timeline(&w, a, b);
        assert!(t.lanes.is_empty() && t.revisions.is_empty() && t.partitions.is_empty(), "{t:#?}");
        assert!(t.end_ms >= t.start_ms);
        assert_eq!(t.next_boundary(0, true), None);
    }
    // A real world, through odd windows.
    let p = five();
    let end = p.now().0;
    for (a, b) in
        [(0, end), (end / 3, end / 2), (end, end), (end + 10, end + 20), (-100, 0), (0, i64::MAX), (i64::MIN, i64::MAX)]
    {
        let t = pod_timeline(&p.term.world, a, b);
        for l in &t.lanes {
            assert!(!l.segments.is_empty() || !l.deletions.is_empty());
            for s in &l.segments {
                assert!(s.from_ms >= t.start_ms && s.to_ms <= t.end_ms && s.from_ms < s.to_ms, "{a}..{b}: {l:#?}");
            }
        }
    }
    // A middle window starts every pod that existed then at the window's start.
    let t = pod_timeline(&p.term.world, end / 2, end);
    assert!(t.lanes.iter().filter(|l| !l.segments.is_empty()).all(|l| l.segments[0].from_ms >= end / 2));
}

#[test]
fn the_time_axis_is_round_and_covers_the_range() {
    use stsplay_ui::timeline::{time_ticks, MAX_TICKS};
    for (lo, hi) in
        [(0, 0), (0, 9_999), (0, 61_000), (3_000, 125_000), (0, 3_600_000), (7, 400 * 3_600_000), (5_000, 0)]
    {
        let (x0, step, n) = time_ticks(lo, hi);
        assert!(x0 <= lo && x0 + step * n >= hi && (1..=MAX_TICKS).contains(&n), "{lo}..{hi}: {x0} {step} {n}");
        assert_eq!(x0 % step, 0, "{lo}..{hi}: round labels");
    }
    assert_eq!(time_ticks(0, 60_000), (0, 10_000, 6));
    // Hostile numbers do not panic.
    for (lo, hi) in [(i64::MIN, i64::MAX), (i64::MAX, i64::MIN), (i64::MAX - 5, i64::MAX), (-1, 1)] {
        let (_, step, n) = time_ticks(lo, hi);
        assert!(step > 0 && n >= 1);
    }
}

#[test]
fn a_long_session_keeps_the_recent_past_and_says_so() {
    // Enough churn to push the oldest changes out of the watch log (it keeps the last 50,000 events). A bare
    // terminal, not a Player: its checkpoints would copy the full log hundreds of times.
    use stsplay_kubectl::terminal::{MemoryFiles, Terminal};
    let files = MemoryFiles([("demo.yaml".to_string(), DEMO.to_string())].into());
    let mut term = Terminal::new(5);
    term.run("kubectl apply -f demo.yaml", &files);
    term.run("kubectl scale sts myapp --replicas=5", &files);
    term.world.run_for(60_000);
    let mut i = 0;
    while term.world.store.oldest_watch_rv().is_some_and(|rv| rv <= 1) {
        i += 1;
        assert!(i < 2_000, "the log never filled: rv {}", term.world.store.resource_version());
        term.run(&format!("kubectl set image sts/myapp myapp=ikubernetes/myapp:v{}", i % 3 + 1), &files);
        term.world.run_for(25_000);
    }
    term.world.run_for(60_000);
    let t = pod_timeline(&term.world, 0, term.world.now.0);
    assert!(t.truncated && t.since_ms > 0, "{} {}", t.truncated, t.since_ms);
    let v = ClusterView::build(&term.world);
    assert_eq!(t.lanes.len(), v.pods().len());
    for c in v.pods() {
        let l = lane(&t, &c.name);
        assert!(l.segments.iter().all(|s| s.from_ms >= t.since_ms), "{l:#?}");
        let last = l.segments.last().expect("a segment");
        assert_eq!((&last.status, last.ready, &last.revision), (&c.status, c.ready, &c.revision));
    }
    assert!(t.revisions.len() <= 3 + 1, "{:?}", t.revisions);
}
