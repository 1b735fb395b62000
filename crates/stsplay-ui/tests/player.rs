//! The player's promises: a recorded session replays to exactly the same cluster; rewinding and playing
//! forward again gives the same cluster; acting from the past forks; share links carry all of it.

use stsplay_kubectl::terminal::NoFiles;
use stsplay_ui::player::Player;
use stsplay_ui::session::{EditorFile, Input, Session};
use stsplay_ui::{share, view::ClusterView};

const DEMO: &str = include_str!("../../stsplay-model/data/fixtures/stateful-demo-fixed.yaml");

fn session() -> Session {
    Session::new(
        11,
        vec![
            EditorFile { name: "stateful-demo.yaml".into(), text: DEMO.into() },
            EditorFile { name: "notes.txt".into(), text: "x".into() },
        ],
    )
}

/// Everything visible about the cluster, as text.
fn fingerprint(p: &mut Player) -> String {
    let mut t = p.term.clone();
    t.interactive = false;
    let pods = t.run("kubectl get pods,pvc,pv,sts -o wide", &NoFiles).text();
    format!(
        "steps={} now={} rv={}\n{pods}",
        p.term.world.steps,
        p.term.world.now.0,
        p.term.world.store.resource_version()
    )
}

/// A session lived the way a learner does: apply, step, play, scale, patch, set image, watch, Ctrl-C.
fn live() -> Player {
    let mut p = Player::new(session());
    p.run_command("kubectl apply -f stateful-demo.yaml");
    for _ in 0..5 {
        p.step();
    }
    p.tick(20_000, usize::MAX);
    p.run_command("kubectl scale sts myapp --replicas=5");
    for _ in 0..40 {
        p.tick(1_000, 50);
    }
    p.run_command("kubectl get pods -w");
    p.tick(3_000, usize::MAX);
    p.interrupt();
    p.run_command(r#"kubectl patch sts myapp -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":4}}}}'"#);
    p.run_command("kubectl set image sts/myapp myapp=ikubernetes/myapp:v2");
    p.run_command("kubectl rollout status sts/myapp");
    for _ in 0..120 {
        p.tick(1_000, usize::MAX);
    }
    p
}

#[test]
fn replaying_a_session_gives_the_same_cluster_and_output() {
    let mut a = live();
    let mut b = Player::new(a.session.clone());
    assert_eq!(fingerprint(&mut a), fingerprint(&mut b));
    let ta: Vec<String> = a.blocks.iter().map(|x| x.text()).collect();
    let tb: Vec<String> = b.blocks.iter().map(|x| x.text()).collect();
    assert_eq!(ta, tb, "terminal output replays identically");
    assert!(ta.iter().any(|t| t.contains("myapp-4")), "{ta:?}");
}

#[test]
fn partition_update_only_changes_the_highest_pod() {
    let mut p = live();
    let v = ClusterView::build(&p.term.world);
    let pods = v.pods();
    let images: Vec<(&str, &str)> = pods.iter().map(|c| (c.name.as_str(), c.image.as_str())).collect();
    assert_eq!(pods.len(), 5, "{images:?}");
    for c in &pods {
        let want = if c.name == "myapp-4" { "ikubernetes/myapp:v2" } else { "ikubernetes/myapp:v1" };
        assert_eq!(c.image, want, "{images:?}");
    }
    assert!(fingerprint(&mut p).contains("myapp-4"));
}

#[test]
fn rewinding_and_playing_again_is_the_same() {
    let mut a = live();
    let end = a.session.position.at;
    let after = fingerprint(&mut a);
    // Back to before the image change: every pod runs v1.
    let set_image_at = a
        .session
        .entries
        .iter()
        .find(|e| matches!(&e.input, Input::Command { text, .. } if text.contains("set image")))
        .map(|e| e.moment.at)
        .unwrap();
    a.seek(set_image_at - 1);
    let v = ClusterView::build(&a.term.world);
    assert!(v.pods().iter().all(|c| c.image.ends_with(":v1")), "{:?}", v.pods());
    assert!(a.blocks.iter().any(|b| !b.done), "commands after the position are the recorded future");
    // Forward again, replaying the recorded commands.
    a.seek(end);
    assert_eq!(fingerprint(&mut a), after);
    // Seek to the very start (the apply ran at 0:00, so it is there, but no pod yet) and back.
    a.seek(0);
    assert_eq!(a.term.world.store.list(stsplay_model::kinds::Kind::Pod, None).count(), 0);
    a.seek(end);
    assert_eq!(fingerprint(&mut a), after);
}

#[test]
fn acting_from_the_past_forks() {
    let mut a = live();
    let n = a.session.entries.len();
    let scale_at = a
        .session
        .entries
        .iter()
        .find(|e| matches!(&e.input, Input::Command { text, .. } if text.contains("scale")))
        .map(|e| e.moment.at)
        .unwrap();
    a.seek(scale_at + 1);
    a.run_command("kubectl get sts");
    assert!(a.session.entries.len() < n, "the recorded future was dropped");
    assert!(a.blocks.iter().all(|b| b.done));
    let mut b = Player::new(a.session.clone());
    assert_eq!(fingerprint(&mut a), fingerprint(&mut b));
}

#[test]
fn commands_keep_the_files_they_read() {
    let mut a = Player::new(session());
    a.run_command("kubectl apply -f stateful-demo.yaml");
    // Editing the file afterwards changes nothing about the past.
    a.session.files[0].text = "garbage: [".into();
    let mut b = Player::new(a.session.clone());
    assert_eq!(fingerprint(&mut a), fingerprint(&mut b));
    assert!(fingerprint(&mut b).contains("statefulset.apps/myapp"));
}

#[test]
fn share_links_reproduce_the_session() {
    let mut a = live();
    let link = share::encode(&a.session);
    let s = share::decode(&link).expect("own links decode");
    let mut b = Player::new(s);
    assert_eq!(fingerprint(&mut a), fingerprint(&mut b));
}

#[test]
fn step_stops_at_visible_changes_and_reports_nothing_to_do() {
    let mut p = Player::new(session());
    assert!(!p.step().changed, "an idle cluster has nothing to step");
    p.run_command("kubectl apply -f stateful-demo.yaml");
    let rv = p.term.world.store.resource_version();
    assert!(p.step().changed);
    assert!(p.term.world.store.resource_version() > rv);
}

#[test]
fn tick_budget_lags_instead_of_freezing() {
    let mut p = Player::new(session());
    p.run_command("kubectl apply -f stateful-demo.yaml");
    let o = p.tick(600_000, 3);
    let _ = o;
    assert!(p.lagging);
    assert!(p.term.world.now.0 < 600_000);
}

#[test]
fn reset_keeps_files_and_history() {
    let mut p = live();
    p.run_command("sim reset");
    assert!(p.session.entries.is_empty());
    assert_eq!(p.session.files.len(), 2);
    assert!(p.session.history.iter().any(|h| h.contains("scale")));
    assert_eq!(p.term.world.store.list(stsplay_model::kinds::Kind::Pod, None).count(), 0);
}
