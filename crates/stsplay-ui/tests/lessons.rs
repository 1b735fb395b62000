//! The built-in lessons: they parse, speak both languages, and every step can be done in a fresh session by
//! doing what it asks; its check (read from the engine, never from the typed text) is false before and true
//! after. Checks never change the cluster; deep-link preparation lands where the step starts.

use std::collections::BTreeMap;

use stsplay_kubectl::terminal::{MemoryFiles, Terminal};
use stsplay_model::lint::{self, ClusterContext};
use stsplay_model::problems::{apply_edits, Severity};
use stsplay_ui::i18n::Lang;
use stsplay_ui::lessons::{
    self, builtin, builtin_sources, check, default_files, parse, prepare, prepare_with_seed, Action, ActionView,
    Button, Check, Lesson, Text,
};

const SEEDS: [u64; 3] = [1, 2, 7];

fn files() -> BTreeMap<String, String> {
    default_files().into_iter().collect()
}

fn run(term: &mut Terminal, cmd: &str, files: &BTreeMap<String, String>) -> String {
    term.run(cmd, &MemoryFiles(files.clone())).text()
}

/// The Fix button, as the editor offers it: the fix of an Error problem at the given field path.
fn press_fix(text: &str, path: Option<&str>) -> String {
    let ctx = ClusterContext::default_cluster();
    let mut text = text.to_string();
    for _ in 0..8 {
        let ps = lint::problems(&text, &ctx);
        let Some(p) = ps
            .iter()
            .find(|p| p.severity == Severity::Error && p.fix.is_some() && path.is_none_or(|x| p.path.starts_with(x)))
        else {
            break;
        };
        let Some(fix) = &p.fix else { break };
        text = apply_edits(&text, &fix.edits).expect("a fix applies");
        if path.is_some() {
            break;
        }
    }
    text
}

/// Does what step `i` asks, the way a learner would; returns a transcript for failure messages.
fn act(lesson: &Lesson, i: usize, term: &mut Terminal, files: &mut BTreeMap<String, String>) -> String {
    let step = &lesson.steps[i];
    match &step.act {
        Action::Command(c) => format!("$ {c}\n{}", run(term, c, files)),
        Action::Click { button: Button::Step, .. } => {
            let mut n = 0;
            while n < 20_000 && !check(lesson, i, term, files) && term.world.step() {
                n += 1;
            }
            format!("[Step pressed: {n} events]")
        }
        Action::Click { button: Button::Play, .. } => {
            term.world.settle(30 * 60 * 1000);
            "[Play: settled]".to_string()
        }
        Action::Click { button: Button::Apply, file, .. } => {
            let c = format!("kubectl apply -f {}", file.as_deref().unwrap());
            format!("$ {c}\n{}", run(term, &c, files))
        }
        Action::Click { button: Button::Fix, file, problem } => {
            let f = file.as_deref().unwrap();
            let fixed = press_fix(&files[f], problem.as_deref());
            files.insert(f.to_string(), fixed);
            format!("[Fix pressed in {f}]")
        }
        Action::Edit { file, replace, .. } => {
            let mut text = files[file].clone();
            for (find, with) in replace {
                assert!(text.contains(find.as_str()), "{}: edit: {find:?} is not in {file}", lesson.id);
                text = text.replacen(find.as_str(), with, 1);
            }
            files.insert(file.clone(), text);
            format!("[edited {file}]")
        }
    }
}

/// The world's clock, step count, resource version and trace length: what a check must never change.
fn fingerprint(term: &Terminal) -> (u64, i64, u64, usize) {
    let w = &term.world;
    (w.steps, w.now.0, w.store.resource_version(), w.trace.len())
}

/// Evaluates every check of the lesson and makes sure none changed the world.
fn checks_do_not_mutate(lesson: &Lesson, term: &mut Terminal, files: &BTreeMap<String, String>, at: &str) {
    let before = fingerprint(term);
    let pods_before = term.run("kubectl get pods -o wide", &MemoryFiles::default()).text();
    for k in 0..lesson.steps.len() {
        check(lesson, k, term, files);
        assert_eq!(
            fingerprint(term),
            before,
            "{} {at}: evaluating the check of step {} changed the world",
            lesson.id,
            k + 1
        );
    }
    let pods_after = term.run("kubectl get pods -o wide", &MemoryFiles::default()).text();
    assert_eq!(pods_before, pods_after, "{} {at}: checks changed the pods", lesson.id);
}

fn walk(lesson: &Lesson, seed: u64, mutation_checks: bool) {
    let mut term = Terminal::new(seed);
    let mut files = files();
    let mut log = String::new();
    for c in &lesson.setup {
        log.push_str(&format!("$ {c}\n{}", run(&mut term, c, &files)));
    }
    for (i, step) in lesson.steps.iter().enumerate() {
        if mutation_checks {
            checks_do_not_mutate(lesson, &mut term, &files, &format!("before step {}", i + 1));
        }
        let before = check(lesson, i, &mut term, &files);
        assert!(
            !before || step.observe,
            "{} (seed {seed}) step {}: the check already holds before the action ({:?}); mark it observe: true or fix the check\n{log}",
            lesson.id,
            i + 1,
            step.action()
        );
        log.push_str(&act(lesson, i, &mut term, &mut files));
        log.push('\n');
        let after = check(lesson, i, &mut term, &files);
        if !after {
            let pods = run(&mut term, "kubectl get pods,pvc -o wide", &files);
            panic!(
                "{} (seed {seed}) step {}: the check does not hold after the action {:?}\nchecks: {:#?}\n{log}\n--- now:\n{pods}",
                lesson.id,
                i + 1,
                step.action(),
                step.checks
            );
        }
    }
    if mutation_checks {
        checks_do_not_mutate(lesson, &mut term, &files, "at the end");
    }
}

#[test]
fn every_builtin_lesson_parses() {
    for (name, text) in builtin_sources() {
        if let Err(e) = parse(text) {
            panic!("{name}: {e}");
        }
    }
    let all = builtin();
    assert_eq!(all.len(), builtin_sources().len());
    let numbers: Vec<u32> = all.iter().map(|l| l.number).collect();
    assert_eq!(numbers, (1..=all.len() as u32).collect::<Vec<_>>(), "lessons are numbered 1..N in order");
    let mut ids: Vec<&str> = all.iter().map(|l| l.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "lesson ids are unique");
}

fn texts(l: &Lesson) -> Vec<(String, &Text)> {
    let mut out = vec![("title".to_string(), &l.title), ("summary".to_string(), &l.summary)];
    for (i, s) in l.steps.iter().enumerate() {
        out.push((format!("step {} instruction", i + 1), &s.instruction));
        out.push((format!("step {} hint", i + 1), &s.hint));
        if let Some(e) = &s.explain {
            out.push((format!("step {} explain", i + 1), e));
        }
        if let Some(p) = &s.predict {
            out.push((format!("step {} question", i + 1), &p.question));
            for c in &p.choices {
                out.push((format!("step {} choice", i + 1), c));
            }
        }
        if let Action::Edit { text, .. } = &s.act {
            out.push((format!("step {} edit", i + 1), text));
        }
    }
    out
}

#[test]
fn both_languages_everywhere() {
    for l in builtin() {
        for (what, t) in texts(&l) {
            assert!(!t.get(Lang::En).trim().is_empty(), "{} {what}: no English", l.id);
            assert!(!t.get(Lang::Zh).trim().is_empty(), "{} {what}: no Chinese", l.id);
            assert!(
                t.zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{} {what}: the zh text has no Chinese: {:?}",
                l.id,
                t.zh
            );
            assert!(!t.en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{} {what}: Chinese in en", l.id);
        }
    }
}

#[test]
fn default_files_are_the_seed_files() {
    let f = default_files();
    let names: Vec<&str> = f.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["stateful-demo.yaml", "pv-demo.yaml", "stateful-demo-fixed.yaml"]);
    assert!(f[0].1.contains("volumeClaimTemolates"), "the editor starts with the seed's typos");
    let ctx = ClusterContext::default_cluster();
    assert!(lint::problems(&f[1].1, &ctx).is_empty(), "pv-demo.yaml has no problems");
    assert!(lint::problems(&f[2].1, &ctx).iter().all(|p| p.severity != Severity::Error));
    // The editor's fixes turn the seed's file into a manifest that means the same as the fixed one.
    let fixed = lessons::fix_file(&f[0].1, None);
    assert!(lint::problems(&fixed, &ctx).iter().all(|p| p.severity != Severity::Error), "{fixed}");
}

#[test]
fn pv_demo_matches_the_seed_claims() {
    let files = files();
    let mut t = Terminal::new(1);
    let out = run(&mut t, "kubectl apply -f pv-demo.yaml", &files);
    assert_eq!(out.lines().count(), 5, "{out}");
    run(&mut t, "kubectl apply -f stateful-demo-fixed.yaml", &files);
    run(&mut t, "kubectl scale sts myapp --replicas=5", &files);
    run(&mut t, "sim settle", &files);
    let vols = run(&mut t, "kubectl get pvc -o jsonpath={.items[*].spec.volumeName}", &files);
    assert_eq!(vols, "pv001 pv002 pv003 pv004 pv005", "every claim binds a pv-demo volume, none is provisioned");
    let pv = run(&mut t, "kubectl get pv", &files);
    assert_eq!(pv.matches("Bound").count(), 5, "{pv}");
}

#[test]
fn walking_every_lesson_passes_every_check() {
    for l in builtin() {
        walk(&l, SEEDS[0], true);
    }
}

#[test]
fn lessons_work_with_other_seeds() {
    for l in builtin() {
        for seed in &SEEDS[1..] {
            walk(&l, *seed, false);
        }
    }
}

fn replay(files: BTreeMap<String, String>, commands: &[String], seed: u64) -> (Terminal, BTreeMap<String, String>) {
    let mut t = Terminal::new(seed);
    for c in commands {
        run(&mut t, c, &files);
    }
    (t, files)
}

#[test]
fn prepare_lands_after_the_previous_step() {
    for l in builtin() {
        let p0 = prepare(&l, 0);
        assert_eq!(p0.commands, l.setup, "{}: step 1 starts right after the setup", l.id);
        for k in 1..=l.steps.len() {
            let p = prepare(&l, k);
            let (mut t, files) = replay(p.files.clone(), &p.commands, lessons::DEFAULT_SEED);
            assert!(
                check(&l, k - 1, &mut t, &files),
                "{}: prepare({k}) does not pass step {k}'s check: {:?}",
                l.id,
                p.commands
            );
            if k < l.steps.len() && !l.steps[k].observe {
                assert!(!check(&l, k, &mut t, &files), "{}: prepare({k}) already passes step {}", l.id, k + 1);
            }
        }
    }
}

#[test]
fn prepare_with_other_seeds() {
    for l in builtin() {
        let k = l.steps.len();
        for seed in &SEEDS[1..] {
            let p = prepare_with_seed(&l, k, *seed);
            let (mut t, files) = replay(p.files.clone(), &p.commands, *seed);
            assert!(check(&l, k - 1, &mut t, &files), "{} seed {seed}: {:?}", l.id, p.commands);
        }
    }
}

#[test]
fn actions_as_the_ui_shows_them() {
    let all = builtin();
    let mut seen = BTreeMap::new();
    for l in &all {
        for s in &l.steps {
            let v = s.action();
            let key = match &v {
                ActionView::Command(c) => {
                    assert!(!c.is_empty());
                    "command".to_string()
                }
                ActionView::Click(b) => {
                    assert!(["Step", "Play", "Fix", "Apply"].contains(&b.as_str()), "{b}");
                    if matches!(b.as_str(), "Fix" | "Apply") {
                        assert!(s.file().is_some());
                    }
                    b.clone()
                }
                ActionView::Edit(t) => {
                    assert!(!t.en.is_empty() && s.file().is_some());
                    "edit".to_string()
                }
            };
            *seen.entry(key).or_insert(0) += 1;
        }
    }
    for k in ["command", "Step", "Play", "Fix", "Apply", "edit"] {
        assert!(seen.contains_key(k), "no lesson uses {k}: {seen:?}");
    }
    let predicts = all.iter().flat_map(|l| &l.steps).filter(|s| s.predict.is_some()).count();
    assert!(predicts >= 9, "predict-then-observe questions: {predicts}");
}

#[test]
fn check_on_a_missing_step_or_file_is_false() {
    let l = &builtin()[0];
    let mut t = Terminal::new(1);
    assert!(!check(l, 999, &mut t, &files()));
    let c = Check::Problems { file: "nope.yaml".into(), path: None, errors: 0 };
    assert!(!lessons::evaluate(&c, &mut t, &files()));
}

const GOOD: &str = r#"
id: tiny
number: 42
title: {en: Tiny, zh: 小课}
summary: {en: A tiny lesson., zh: 一节小课。}
steps:
  - instruction: {en: Create the volumes., zh: 创建卷。}
    do: {command: kubectl apply -f pv-demo.yaml}
    check:
      - run: kubectl get pv -o name
        lines: 5
    hint: {en: Run it., zh: 运行它。}
"#;

#[test]
fn a_small_lesson_parses_and_works() {
    let l = parse(GOOD).expect("parses");
    assert_eq!((l.id.as_str(), l.number, l.steps.len()), ("tiny", 42, 1));
    assert_eq!(l.title.get(Lang::Zh), "小课");
    walk(&l, 1, true);
}

fn err(yaml: &str) -> String {
    match parse(yaml) {
        Ok(_) => panic!("expected an error for:\n{yaml}"),
        Err(e) => e,
    }
}

#[test]
fn malformed_lessons_get_clear_errors() {
    let e = err(&GOOD.replace("zh: 运行它。", "zh: \"\""));
    assert!(e.contains("step 1") && e.contains("hint") && e.contains("Chinese"), "{e}");

    let e = err(&GOOD.replace("    hint:", "    hnit:"));
    assert!(e.contains("hnit"), "{e}");

    let e = err(&GOOD.replace("{command: kubectl apply -f pv-demo.yaml}", "{click: Stop}"));
    assert!(e.contains("unknown button \"Stop\""), "{e}");

    let e = err(&GOOD.replace("{command: kubectl apply -f pv-demo.yaml}", "{click: Apply}"));
    assert!(e.contains("needs the file"), "{e}");

    let e = err(&GOOD.replace("run: kubectl get pv -o name", "run: kubectl delete pv --all"));
    assert!(e.contains("not a read-only command"), "{e}");

    let e = err(&GOOD.replace("run: kubectl get pv -o name", "run: kubectl get pv -w"));
    assert!(e.contains("cannot watch"), "{e}");

    let e = err(&GOOD.replace("        lines: 5\n", ""));
    assert!(e.contains("not what to expect"), "{e}");

    let e = err(&GOOD.replace(
        "      - run: kubectl get pv -o name\n        lines: 5\n",
        "      - pods: {count: 1}\n        node_down: x\n",
    ));
    assert!(e.contains("exactly one of"), "{e}");

    let predict = "    predict:\n      question: {en: Q?, zh: 问？}\n      choices: [{en: A, zh: 甲}, {en: B, zh: 乙}]\n      answer: 2\n";
    let e = err(&format!("{GOOD}{predict}"));
    assert!(e.contains("answer 2 is not a choice"), "{e}");

    let e = err("id: x\nnumber: 1\ntitle: {en: a, zh: 甲\n");
    assert!(e.starts_with("lesson:") && e.contains("line"), "{e}");

    let e = err(&GOOD.replace("id: tiny", "id: Tiny Lesson"));
    assert!(e.contains("id"), "{e}");
}

#[test]
fn parse_never_panics_on_odd_input() {
    for s in ["", "~", "[]", "id: 1", "{}", "steps: 5", "\u{0}", "id: a\nnumber: -1", &"[".repeat(10_000)] {
        let _ = parse(s);
    }
}

#[test]
fn the_readme_example_is_a_working_lesson() {
    let readme = include_str!("../lessons/README.md");
    let start = readme.find("```yaml\n").expect("the README has a YAML example") + "```yaml\n".len();
    let end = start + readme[start..].find("```").expect("the example ends");
    let l = parse(&readme[start..end]).unwrap_or_else(|e| panic!("README example: {e}"));
    walk(&l, 1, true);
}
