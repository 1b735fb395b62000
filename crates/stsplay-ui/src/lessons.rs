//! Guided lessons: the seed tutorial's chapters as steps a learner does in the playground, in English and
//! Simplified Chinese, each step checked against the simulated cluster (never against what was typed).
//!
//! Lessons are data: one YAML file per lesson in `crates/stsplay-ui/lessons/`, holding both languages,
//! embedded at build time ([`builtin`]). Writing a lesson needs no Rust; `lessons/README.md` is the
//! author's guide. The format, in short:
//!
//! ```yaml
//! id: scaling                       # [a-z0-9-], unique; used in links (lesson=scaling)
//! number: 5                         # order in the lesson list
//! title:   {en: Scaling, zh: 扩缩容}
//! summary: {en: "...", zh: "..."}
//! setup:                            # optional: commands that bring a fresh session to the lesson's start
//!   - kubectl apply -f pv-demo.yaml
//! steps:
//!   - instruction: {en: "...", zh: "..."}
//!     do: {command: "kubectl scale sts myapp --replicas=5"}   # or {click: Step|Play}, {click: Apply, file: F},
//!                                   # {click: Fix, file: F, problem: FIELD.PATH}, {edit: TEXT, file: F, replace: [...]}
//!     check:                        # every condition must hold (see below)
//!       - run: kubectl get sts myapp -o jsonpath={.spec.replicas}
//!         equals: "5"
//!     hint:    {en: "...", zh: "..."}
//!     explain: {en: "...", zh: "..."}          # optional, shown once the check passes
//!     predict:                                  # optional "predict, then observe"
//!       question: {en: "...", zh: "..."}
//!       choices: [{en: "...", zh: "..."}, {en: "...", zh: "..."}]
//!       answer: 0                               # index into choices
//!     observe: true                 # optional: the check may already hold before the action
//! ```
//!
//! Check conditions (the vocabulary, all read-only):
//! * `run: CMD` with one or more of `equals` (stdout, trimmed), `contains` / `not_contains` (a string or a
//!   list), `lines: N` (non-empty stdout lines), `contains_output_of: CMD2` (CMD2's trimmed stdout, which must
//!   be non-empty). CMD is `kubectl get|describe|exec|logs|explain ...`, `nslookup`, `curl`, `wget` or `echo`,
//!   possibly piped into grep/head/tail/wc/sort; never `-w`. `kubectl get` runs on the session's terminal
//!   (it changes nothing); anything else runs on a copy of it, so a check can never change the cluster.
//! * `pods: {selector: app=myapp-pod, count: N, min_ready: N, max_ready: N}`: pods in `default` (count = all
//!   that exist, terminating ones included; ready = Running and Ready and not terminating).
//! * `problems: {file: F, errors: N, path: FIELD.PATH}`: the editor file F has exactly N Error problems
//!   (those whose field path starts with `path`, if given), as the editor's problems list computes them.
//! * `file: {name: F, kind: StatefulSet, path: spec.podManagementPolicy, equals: Parallel}`: a field of the
//!   editor file (the first document of that kind; `path` is dotted, list indexes as numbers).
//! * `image_broken: IMAGE`, `node_down: NODE`: the simulator's faults (`sim image break`, `sim node fail`).
//! * `not: COND`, `any: [COND, ...]`.
//!
//! Actions as a learner performs them (and as [`perform`] does them for the "do it for me" button and
//! [`prepare`]): a command is typed into the terminal; Step presses the Step button until the check holds;
//! Play lets the cluster run until it settles (`sim settle`); Apply runs `kubectl apply -f FILE`; Fix applies
//! the editor's fix for the Error problem at `problem` (or all Error fixes); an edit is made in the editor
//! (the lesson gives `replace: [{find, with}]` pairs that stand for it).

use std::collections::BTreeMap;

use serde::Deserialize;
use stsplay_kubectl::terminal::{MemoryFiles, NoFiles, Terminal};
use stsplay_model::kinds::Kind;
use stsplay_model::labels::Selector;
use stsplay_model::lint::{self, ClusterContext};
use stsplay_model::problems::{apply_edits, Severity};

use crate::i18n::Lang;

/// The seed tutorial's manifest exactly as written (typos included): the editor starts with it.
pub const STATEFUL_DEMO: &str = include_str!("../../stsplay-model/data/fixtures/stateful-demo.yaml");
/// The seed's manifest with its two typos fixed.
pub const STATEFUL_DEMO_FIXED: &str = include_str!("../../stsplay-model/data/fixtures/stateful-demo-fixed.yaml");
/// Static PersistentVolumes matching the seed's volumeClaimTemplates ("先创建pv, 可以使用之前的pv-demo.yaml文件").
pub const PV_DEMO: &str = include_str!("../data/files/pv-demo.yaml");

/// The seed the deep-link preparation is computed with when the caller does not say ([`prepare`]).
pub const DEFAULT_SEED: u64 = 1;
/// The most simulator steps one Step action may take while waiting for its check.
pub const MAX_STEP_CLICKS: usize = 20_000;

/// The lesson files, in order.
const BUILTIN: &[(&str, &str)] = &[
    ("01-three-parts.yaml", include_str!("../lessons/01-three-parts.yaml")),
    ("02-ordered-creation.yaml", include_str!("../lessons/02-ordered-creation.yaml")),
    ("03-network-identity.yaml", include_str!("../lessons/03-network-identity.yaml")),
    ("04-stable-storage.yaml", include_str!("../lessons/04-stable-storage.yaml")),
    ("05-scaling.yaml", include_str!("../lessons/05-scaling.yaml")),
    ("06-partition.yaml", include_str!("../lessons/06-partition.yaml")),
    ("07-reclaim-policies.yaml", include_str!("../lessons/07-reclaim-policies.yaml")),
    ("08-pod-management.yaml", include_str!("../lessons/08-pod-management.yaml")),
    ("09-when-things-go-wrong.yaml", include_str!("../lessons/09-when-things-go-wrong.yaml")),
];

/// The playground's editor files at the start of a session, in tab order.
pub fn default_files() -> Vec<(String, String)> {
    vec![
        ("stateful-demo.yaml".to_string(), STATEFUL_DEMO.to_string()),
        ("pv-demo.yaml".to_string(), PV_DEMO.to_string()),
        ("stateful-demo-fixed.yaml".to_string(), STATEFUL_DEMO_FIXED.to_string()),
    ]
}

/// The same text in both languages.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub en: String,
    pub zh: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

/// A "predict, then observe" question asked before the step's action.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predict {
    pub question: Text,
    pub choices: Vec<Text>,
    /// Index of the right choice.
    pub answer: usize,
}

/// A button of the playground a step asks the learner to press.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Button {
    Step,
    Play,
    Fix,
    Apply,
}

impl Button {
    pub fn name(self) -> &'static str {
        match self {
            Button::Step => "Step",
            Button::Play => "Play",
            Button::Fix => "Fix",
            Button::Apply => "Apply",
        }
    }
}

/// What the learner does in a step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// A command typed into the terminal.
    Command(String),
    /// A button. `file`: the editor file it acts on (Fix, Apply); `problem`: the field path of the problem
    /// whose fix to apply (Fix; none = every Error that has a fix).
    Click { button: Button, file: Option<String>, problem: Option<String> },
    /// An edit in the editor: what to do (`text`), in which file, and the replacements that stand for it.
    Edit { text: Text, file: String, replace: Vec<(String, String)> },
}

/// How the UI shows a step's action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionView {
    /// A command to type (shown with a copy/run button).
    Command(String),
    /// A button to press: "Step", "Play", "Fix", "Apply".
    Click(String),
    /// An edit to make in the editor.
    Edit(Text),
}

/// What a check expects of a command's standard output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// The trimmed output equals this.
    Equals(String),
    Contains(String),
    NotContains(String),
    /// The number of non-empty lines.
    Lines(usize),
    /// The trimmed output of this other read-only command is non-empty and contained in the output.
    ContainsOutputOf(String),
}

/// A condition on the engine's state or the editor's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// A read-only command and what its output must be.
    Run {
        command: String,
        expect: Vec<Expect>,
    },
    /// Pods in `default` (optionally selected by labels): how many exist, how many are Running and Ready.
    Pods {
        selector: Option<String>,
        count: Option<usize>,
        min_ready: Option<usize>,
        max_ready: Option<usize>,
    },
    /// The number of Error problems the editor shows for a file (optionally only at a field path).
    Problems {
        file: String,
        path: Option<String>,
        errors: usize,
    },
    /// A field of an editor file's first document of `kind` equals a value.
    File {
        file: String,
        kind: Option<String>,
        path: String,
        equals: String,
    },
    /// `sim image break IMAGE` is in effect.
    ImageBroken(String),
    /// `sim node fail NODE` is in effect (the node's kubelet is down).
    NodeDown(String),
    Not(Box<Check>),
    Any(Vec<Check>),
}

/// One step of a lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub instruction: Text,
    pub hint: Text,
    pub explain: Option<Text>,
    pub predict: Option<Predict>,
    pub act: Action,
    /// All must hold for the step to be done.
    pub checks: Vec<Check>,
    /// The check may already hold before the action (a step that shows something rather than changes it).
    pub observe: bool,
}

impl Step {
    pub fn action(&self) -> ActionView {
        match &self.act {
            Action::Command(c) => ActionView::Command(c.clone()),
            Action::Click { button, .. } => ActionView::Click(button.name().to_string()),
            Action::Edit { text, .. } => ActionView::Edit(text.clone()),
        }
    }

    /// The field path of the problem a Fix step is about (to highlight it in the problems list).
    pub fn problem(&self) -> Option<&str> {
        match &self.act {
            Action::Click { problem, .. } => problem.as_deref(),
            _ => None,
        }
    }

    /// The editor file the action is about (Apply, Fix, edits), for the UI to open it.
    pub fn file(&self) -> Option<&str> {
        match &self.act {
            Action::Command(_) => None,
            Action::Click { file, .. } => file.as_deref(),
            Action::Edit { file, .. } => Some(file),
        }
    }
}

/// A guided lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lesson {
    pub id: String,
    pub number: u32,
    pub title: Text,
    pub summary: Text,
    /// Commands that bring a fresh session to the lesson's first step.
    pub setup: Vec<String>,
    pub steps: Vec<Step>,
}

// ------------------------------------------------------------------------------------------- parsing

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLesson {
    id: String,
    number: u32,
    title: Text,
    summary: Text,
    #[serde(default)]
    setup: Vec<String>,
    steps: Vec<RawStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    instruction: Text,
    #[serde(rename = "do")]
    action: RawAction,
    check: Vec<RawCond>,
    hint: Text,
    #[serde(default)]
    explain: Option<Text>,
    #[serde(default)]
    predict: Option<Predict>,
    #[serde(default)]
    observe: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAction {
    #[serde(default)]
    command: Option<String>,
    #[serde(default)]
    click: Option<String>,
    #[serde(default)]
    edit: Option<Text>,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    problem: Option<String>,
    #[serde(default)]
    replace: Vec<RawReplace>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReplace {
    find: String,
    with: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<serde_yaml::Value>),
    One(serde_yaml::Value),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCond {
    #[serde(default)]
    run: Option<String>,
    #[serde(default)]
    equals: Option<serde_yaml::Value>,
    #[serde(default)]
    contains: Option<OneOrMany>,
    #[serde(default)]
    not_contains: Option<OneOrMany>,
    #[serde(default)]
    lines: Option<usize>,
    #[serde(default)]
    contains_output_of: Option<String>,
    #[serde(default)]
    pods: Option<RawPods>,
    #[serde(default)]
    problems: Option<RawProblems>,
    #[serde(default)]
    file: Option<RawFileField>,
    #[serde(default)]
    image_broken: Option<String>,
    #[serde(default)]
    node_down: Option<String>,
    #[serde(default)]
    not: Option<Box<RawCond>>,
    #[serde(default)]
    any: Option<Vec<RawCond>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPods {
    #[serde(default)]
    selector: Option<String>,
    #[serde(default)]
    count: Option<usize>,
    #[serde(default)]
    min_ready: Option<usize>,
    #[serde(default)]
    max_ready: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProblems {
    file: String,
    errors: usize,
    #[serde(default)]
    path: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFileField {
    name: String,
    #[serde(default)]
    kind: Option<String>,
    path: String,
    equals: serde_yaml::Value,
}

fn scalar(v: &serde_yaml::Value, what: &str) -> Result<String, String> {
    match v {
        serde_yaml::Value::String(s) => Ok(s.clone()),
        serde_yaml::Value::Number(n) => Ok(n.to_string()),
        serde_yaml::Value::Bool(b) => Ok(b.to_string()),
        _ => Err(format!("{what} must be a string, a number or true/false")),
    }
}

fn strings(v: &OneOrMany, what: &str) -> Result<Vec<String>, String> {
    let list = match v {
        OneOrMany::One(s) => vec![scalar(s, what)?],
        OneOrMany::Many(l) => l.iter().map(|s| scalar(s, what)).collect::<Result<_, _>>()?,
    };
    if list.is_empty() || list.iter().any(|s| s.is_empty()) {
        return Err(format!("{what} must not be empty"));
    }
    Ok(list)
}

fn check_text(t: &Text, what: &str) -> Result<(), String> {
    if t.en.trim().is_empty() {
        return Err(format!("{what}: the English text (en) is empty"));
    }
    if t.zh.trim().is_empty() {
        return Err(format!("{what}: the Chinese text (zh) is empty"));
    }
    Ok(())
}

const READ_PROGRAMS: &[&str] = &["nslookup", "curl", "wget", "echo"];
const READ_KUBECTL: &[&str] = &["get", "describe", "exec", "logs", "explain"];

/// Whether a check's command only reads (the first command of the line; the rest may only be filters).
fn read_only_command(cmd: &str) -> Result<(), String> {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    let Some(first) = words.first() else { return Err("the command is empty".into()) };
    let ok = match *first {
        "kubectl" | "k" => {
            let sub = words.iter().skip(1).find(|w| !w.starts_with('-'));
            sub.is_some_and(|s| READ_KUBECTL.contains(s))
        }
        p => READ_PROGRAMS.contains(&p),
    };
    if !ok {
        return Err(format!(
            "{cmd:?} is not a read-only command (use kubectl {}, or {})",
            READ_KUBECTL.join("|"),
            READ_PROGRAMS.join(", ")
        ));
    }
    if words
        .iter()
        .any(|w| matches!(*w, "-w" | "--watch" | "--watch-only") || w.starts_with("--watch=") || w.starts_with("-w="))
    {
        return Err(format!("{cmd:?}: a check cannot watch (-w): it must answer at once"));
    }
    Ok(())
}

/// Whether a command may run on the session's own terminal (a plain `kubectl get`, possibly filtered).
fn runs_in_place(cmd: &str) -> bool {
    let t = cmd.trim_start();
    (t.starts_with("kubectl get ") || t.starts_with("k get "))
        && !t.contains(';')
        && !t.contains('&')
        && !t.contains('<')
        && !t.contains('>')
        && !t.contains('$')
        && !t.contains('`')
}

const CONDITIONS: &str = "run, pods, problems, file, image_broken, node_down, not, any";

fn convert_cond(c: RawCond, what: &str) -> Result<Check, String> {
    let subjects = [
        c.run.is_some(),
        c.pods.is_some(),
        c.problems.is_some(),
        c.file.is_some(),
        c.image_broken.is_some(),
        c.node_down.is_some(),
        c.not.is_some(),
        c.any.is_some(),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    if subjects != 1 {
        return Err(format!(
            "{what}: a condition names exactly one of {CONDITIONS} (this one names {subjects}; put several conditions in the list instead)"
        ));
    }
    let has_expect = c.equals.is_some()
        || c.contains.is_some()
        || c.not_contains.is_some()
        || c.lines.is_some()
        || c.contains_output_of.is_some();
    if c.run.is_none() && has_expect {
        return Err(format!("{what}: equals/contains/not_contains/lines/contains_output_of go with run:"));
    }
    if let Some(command) = c.run {
        read_only_command(&command).map_err(|e| format!("{what}: run: {e}"))?;
        let mut expect = Vec::new();
        if let Some(v) = &c.equals {
            expect.push(Expect::Equals(scalar(v, &format!("{what}: equals"))?));
        }
        if let Some(v) = &c.contains {
            expect.extend(strings(v, &format!("{what}: contains"))?.into_iter().map(Expect::Contains));
        }
        if let Some(v) = &c.not_contains {
            expect.extend(strings(v, &format!("{what}: not_contains"))?.into_iter().map(Expect::NotContains));
        }
        if let Some(n) = c.lines {
            expect.push(Expect::Lines(n));
        }
        if let Some(other) = c.contains_output_of {
            read_only_command(&other).map_err(|e| format!("{what}: contains_output_of: {e}"))?;
            expect.push(Expect::ContainsOutputOf(other));
        }
        if expect.is_empty() {
            return Err(format!(
                "{what}: run: {command:?} says what to run but not what to expect (add equals, contains, not_contains, lines or contains_output_of)"
            ));
        }
        return Ok(Check::Run { command, expect });
    }
    if let Some(p) = c.pods {
        if let Some(s) = &p.selector {
            Selector::parse(s).map_err(|e| format!("{what}: pods: selector {s:?}: {e}"))?;
        }
        if p.count.is_none() && p.min_ready.is_none() && p.max_ready.is_none() {
            return Err(format!("{what}: pods: give count, min_ready or max_ready"));
        }
        return Ok(Check::Pods {
            selector: p.selector,
            count: p.count,
            min_ready: p.min_ready,
            max_ready: p.max_ready,
        });
    }
    if let Some(p) = c.problems {
        return Ok(Check::Problems { file: p.file, path: p.path, errors: p.errors });
    }
    if let Some(f) = c.file {
        if f.path.trim().is_empty() {
            return Err(format!("{what}: file: path is empty"));
        }
        let equals = scalar(&f.equals, &format!("{what}: file: equals"))?;
        return Ok(Check::File { file: f.name, kind: f.kind, path: f.path, equals });
    }
    if let Some(i) = c.image_broken {
        return Ok(Check::ImageBroken(i));
    }
    if let Some(n) = c.node_down {
        return Ok(Check::NodeDown(n));
    }
    if let Some(inner) = c.not {
        return Ok(Check::Not(Box::new(convert_cond(*inner, &format!("{what}: not"))?)));
    }
    let list = c.any.unwrap_or_default();
    if list.is_empty() {
        return Err(format!("{what}: any: the list is empty"));
    }
    let mut out = Vec::new();
    for (i, inner) in list.into_iter().enumerate() {
        out.push(convert_cond(inner, &format!("{what}: any[{i}]"))?);
    }
    Ok(Check::Any(out))
}

fn convert_action(a: RawAction, what: &str) -> Result<Action, String> {
    let kinds = usize::from(a.command.is_some()) + usize::from(a.click.is_some()) + usize::from(a.edit.is_some());
    if kinds != 1 {
        return Err(format!("{what}: do: give exactly one of command, click or edit"));
    }
    if a.problem.is_some() && a.click.as_deref() != Some("Fix") {
        return Err(format!("{what}: do: problem goes with click: Fix"));
    }
    if !a.replace.is_empty() && a.edit.is_none() {
        return Err(format!("{what}: do: replace goes with edit"));
    }
    if let Some(c) = a.command {
        if c.trim().is_empty() {
            return Err(format!("{what}: do: the command is empty"));
        }
        if a.file.is_some() {
            return Err(format!("{what}: do: file goes with click: Apply/Fix or edit, not with a command"));
        }
        return Ok(Action::Command(c));
    }
    if let Some(b) = a.click {
        let button = match b.as_str() {
            "Step" => Button::Step,
            "Play" => Button::Play,
            "Fix" => Button::Fix,
            "Apply" => Button::Apply,
            other => return Err(format!("{what}: do: click: unknown button {other:?} (Step, Play, Fix or Apply)")),
        };
        let needs_file = matches!(button, Button::Fix | Button::Apply);
        if needs_file && a.file.as_deref().is_none_or(|f| f.trim().is_empty()) {
            return Err(format!("{what}: do: click: {b} needs the file it acts on (file: NAME)"));
        }
        if !needs_file && a.file.is_some() {
            return Err(format!("{what}: do: click: {b} takes no file"));
        }
        return Ok(Action::Click { button, file: a.file, problem: a.problem });
    }
    let text = a.edit.unwrap_or_default();
    check_text(&text, &format!("{what}: do: edit"))?;
    let Some(file) = a.file.filter(|f| !f.trim().is_empty()) else {
        return Err(format!("{what}: do: edit needs the file to edit (file: NAME)"));
    };
    if a.replace.is_empty() || a.replace.iter().any(|r| r.find.is_empty()) {
        return Err(format!("{what}: do: edit needs replace: [{{find: ..., with: ...}}] standing for the edit"));
    }
    Ok(Action::Edit { text, file, replace: a.replace.into_iter().map(|r| (r.find, r.with)).collect() })
}

/// Reads one lesson file. Errors name the field (and, for YAML and type errors, the line and column).
pub fn parse(yaml: &str) -> Result<Lesson, String> {
    let raw: RawLesson = serde_yaml::from_str(yaml).map_err(|e| format!("lesson: {e}"))?;
    let id = raw.id.trim().to_string();
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(format!("lesson: id {:?} must be non-empty lowercase letters, digits and '-'", raw.id));
    }
    let what = format!("lesson {id}");
    if raw.number == 0 {
        return Err(format!("{what}: number must be 1 or more"));
    }
    check_text(&raw.title, &format!("{what}: title"))?;
    check_text(&raw.summary, &format!("{what}: summary"))?;
    if raw.setup.iter().any(|c| c.trim().is_empty()) {
        return Err(format!("{what}: setup: a command is empty"));
    }
    if raw.steps.is_empty() {
        return Err(format!("{what}: steps: a lesson needs at least one step"));
    }
    let mut steps = Vec::new();
    for (i, s) in raw.steps.into_iter().enumerate() {
        let what = format!("{what}: step {} (steps[{i}])", i + 1);
        check_text(&s.instruction, &format!("{what}: instruction"))?;
        check_text(&s.hint, &format!("{what}: hint"))?;
        if let Some(e) = &s.explain {
            check_text(e, &format!("{what}: explain"))?;
        }
        if let Some(p) = &s.predict {
            check_text(&p.question, &format!("{what}: predict: question"))?;
            if p.choices.len() < 2 {
                return Err(format!("{what}: predict: give at least two choices"));
            }
            for (k, c) in p.choices.iter().enumerate() {
                check_text(c, &format!("{what}: predict: choices[{k}]"))?;
            }
            if p.answer >= p.choices.len() {
                return Err(format!(
                    "{what}: predict: answer {} is not a choice (choices are numbered from 0 to {})",
                    p.answer,
                    p.choices.len() - 1
                ));
            }
        }
        let act = convert_action(s.action, &what)?;
        if s.check.is_empty() {
            return Err(format!("{what}: check: give at least one condition"));
        }
        let mut checks = Vec::new();
        for (k, c) in s.check.into_iter().enumerate() {
            checks.push(convert_cond(c, &format!("{what}: check[{k}]"))?);
        }
        steps.push(Step {
            instruction: s.instruction,
            hint: s.hint,
            explain: s.explain,
            predict: s.predict,
            act,
            checks,
            observe: s.observe,
        });
    }
    Ok(Lesson { id, number: raw.number, title: raw.title, summary: raw.summary, setup: raw.setup, steps })
}

/// Every built-in lesson, ordered by number. A file that fails to parse is left out (the tests make sure
/// none does); this never panics.
pub fn builtin() -> Vec<Lesson> {
    let mut out: Vec<Lesson> = BUILTIN.iter().filter_map(|(_, text)| parse(text).ok()).collect();
    out.sort_by_key(|l| l.number);
    out
}

/// The built-in lesson files: (file name, text), for the tests and for authors' tools.
pub fn builtin_sources() -> &'static [(&'static str, &'static str)] {
    BUILTIN
}

// -------------------------------------------------------------------------------------------- checks

/// Whether step `idx` of `lesson` is done, judged from the engine's state and the editor files. Evaluating a
/// check never changes the cluster: `kubectl get` changes nothing, other commands run on a copy.
pub fn check(lesson: &Lesson, idx: usize, term: &mut Terminal, files: &BTreeMap<String, String>) -> bool {
    let Some(step) = lesson.steps.get(idx) else { return false };
    step.checks.iter().all(|c| evaluate(c, term, files))
}

/// Evaluates one condition.
pub fn evaluate(c: &Check, term: &mut Terminal, files: &BTreeMap<String, String>) -> bool {
    match c {
        Check::Run { command, expect } => {
            let out = read_output(command, term);
            expect.iter().all(|e| match e {
                Expect::Equals(s) => out.trim() == s.trim(),
                Expect::Contains(s) => out.contains(s.as_str()),
                Expect::NotContains(s) => !out.contains(s.as_str()),
                Expect::Lines(n) => out.lines().filter(|l| !l.trim().is_empty()).count() == *n,
                Expect::ContainsOutputOf(other) => {
                    let o = read_output(other, term);
                    let o = o.trim();
                    !o.is_empty() && out.contains(o)
                }
            })
        }
        Check::Pods { selector, count, min_ready, max_ready } => {
            let sel = match selector.as_deref().map(Selector::parse) {
                Some(Ok(s)) => Some(s),
                Some(Err(_)) => return false,
                None => None,
            };
            let pods: Vec<_> = term
                .world
                .store
                .list(Kind::Pod, Some("default"))
                .filter_map(|o| o.as_pod())
                .filter(|p| sel.as_ref().is_none_or(|s| s.matches(&p.metadata.labels)))
                .collect();
            let ready =
                pods.iter().filter(|p| p.is_running_and_ready() && p.metadata.deletion_timestamp.is_none()).count();
            count.is_none_or(|n| pods.len() == n)
                && min_ready.is_none_or(|n| ready >= n)
                && max_ready.is_none_or(|n| ready <= n)
        }
        Check::Problems { file, path, errors } => {
            let Some(text) = files.get(file) else { return false };
            let found = lint::problems(text, &ClusterContext::default_cluster())
                .iter()
                .filter(|p| p.severity == Severity::Error)
                .filter(|p| path.as_deref().is_none_or(|prefix| p.path.starts_with(prefix)))
                .count();
            found == *errors
        }
        Check::File { file, kind, path, equals } => {
            files.get(file).and_then(|text| file_field(text, kind.as_deref(), path)).is_some_and(|v| v == *equals)
        }
        Check::ImageBroken(image) => term.world.broken_images.contains(image),
        Check::NodeDown(node) => term.world.nodes.get(node).is_some_and(|n| !n.kubelet_up),
        Check::Not(inner) => !evaluate(inner, term, files),
        Check::Any(list) => list.iter().any(|c| evaluate(c, term, files)),
    }
}

/// The standard output of a read-only command, without changing the session.
fn read_output(command: &str, term: &mut Terminal) -> String {
    if read_only_command(command).is_err() {
        return String::new();
    }
    if runs_in_place(command) {
        term.run(command, &NoFiles).stdout()
    } else {
        let mut copy = term.clone();
        copy.run(command, &NoFiles).stdout()
    }
}

/// A field of a manifest: the first document (of `kind`, if given) that has it; scalars as text.
fn file_field(text: &str, kind: Option<&str>, path: &str) -> Option<String> {
    for doc in serde_yaml::Deserializer::from_str(text) {
        let Ok(v) = serde_yaml::Value::deserialize(doc) else { return None };
        if let Some(k) = kind {
            if v.get("kind").and_then(|x| x.as_str()) != Some(k) {
                continue;
            }
        }
        let mut cur = &v;
        let mut found = true;
        for part in path.split('.') {
            let next = match cur {
                serde_yaml::Value::Sequence(s) => part.parse::<usize>().ok().and_then(|i| s.get(i)),
                serde_yaml::Value::Mapping(m) => m.get(part),
                _ => None,
            };
            match next {
                Some(n) => cur = n,
                None => {
                    found = false;
                    break;
                }
            }
        }
        if found {
            return match cur {
                serde_yaml::Value::String(s) => Some(s.clone()),
                serde_yaml::Value::Number(n) => Some(n.to_string()),
                serde_yaml::Value::Bool(b) => Some(b.to_string()),
                _ => None,
            };
        }
    }
    None
}

// ------------------------------------------------------------------------------------------- actions

/// What the Fix button does to a file: applies the fix of the first Error problem at (or under) field path
/// `problem` that has one, or, without a path, every Error fix (repeatedly, as fixes can reveal problems).
pub fn fix_file(text: &str, problem: Option<&str>) -> String {
    let ctx = ClusterContext::default_cluster();
    let mut text = text.to_string();
    for _ in 0..8 {
        let problems = lint::problems(&text, &ctx);
        let fixable: Vec<_> = problems
            .iter()
            .filter(|p| p.severity == Severity::Error && p.fix.is_some())
            .filter(|p| problem.is_none_or(|path| p.path.starts_with(path)))
            .collect();
        let Some(first) = fixable.first() else { break };
        let Some(fix) = &first.fix else { break };
        match apply_edits(&text, &fix.edits) {
            Ok(t) if t != text => text = t,
            _ => break,
        }
        if problem.is_some() {
            break;
        }
    }
    text
}

/// What an edit step's replacements make of a file (each `find` replaced once, in order; missing ones are
/// skipped).
pub fn edit_file(text: &str, replace: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (find, with) in replace {
        if let Some(at) = out.find(find.as_str()) {
            out.replace_range(at..at + find.len(), with);
        }
    }
    out
}

/// Performs step `idx`'s action on a live session (the "do it for me" button, and [`prepare`]): runs its
/// command, presses its button (Step until the check holds, Play = `sim settle`, Apply = `kubectl apply -f`),
/// or makes its editor change in `files`. Returns the terminal commands it ran, in the form a recording
/// replays (`sim step N`).
pub fn perform(lesson: &Lesson, idx: usize, term: &mut Terminal, files: &mut BTreeMap<String, String>) -> Vec<String> {
    let Some(step) = lesson.steps.get(idx) else { return Vec::new() };
    let run = |cmd: String, term: &mut Terminal, files: &BTreeMap<String, String>| {
        term.run(&cmd, &MemoryFiles(files.clone()));
        vec![cmd]
    };
    match &step.act {
        Action::Command(c) => run(c.clone(), term, files),
        Action::Click { button: Button::Step, .. } => {
            let mut n = 0;
            while n < MAX_STEP_CLICKS && !check(lesson, idx, term, files) {
                if !term.world.step() {
                    break;
                }
                n += 1;
            }
            if n == 0 {
                Vec::new()
            } else {
                vec![format!("sim step {n}")]
            }
        }
        Action::Click { button: Button::Play, .. } => run("sim settle".to_string(), term, files),
        Action::Click { button: Button::Apply, file, .. } => {
            run(format!("kubectl apply -f {}", file.as_deref().unwrap_or_default()), term, files)
        }
        Action::Click { button: Button::Fix, file, problem } => {
            if let Some(f) = file {
                if let Some(text) = files.get(f) {
                    let fixed = fix_file(text, problem.as_deref());
                    files.insert(f.clone(), fixed);
                }
            }
            Vec::new()
        }
        Action::Edit { file, replace, .. } => {
            if let Some(text) = files.get(file) {
                let edited = edit_file(text, replace);
                files.insert(file.clone(), edited);
            }
            Vec::new()
        }
    }
}

/// What brings a fresh session to the start of a step: editor files to set and commands to run, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Preparation {
    pub files: BTreeMap<String, String>,
    pub commands: Vec<String>,
}

/// What brings a fresh session (seed [`DEFAULT_SEED`]) to the start of step `idx` of `lesson` (deep links such
/// as `lesson=6&step=3`): the default files with the lesson's earlier edits and fixes, the lesson's setup, and
/// the earlier steps' actions. See [`prepare_with_seed`] for a session with another seed.
pub fn prepare(lesson: &Lesson, idx: usize) -> Preparation {
    prepare_with_seed(lesson, idx, DEFAULT_SEED)
}

/// [`prepare`] for a session started with `seed`: Step actions become `sim step N` with the N that seed needs.
///
/// The files are set before the commands run, so a command that read an editor file which a later step changed
/// (`kubectl apply -f stateful-demo.yaml` before its typos were fixed) reads the text it read then from a
/// heredoc instead (`kubectl apply -f - <<'EOF'`).
pub fn prepare_with_seed(lesson: &Lesson, idx: usize, seed: u64) -> Preparation {
    let mut files: BTreeMap<String, String> = default_files().into_iter().collect();
    let mut term = Terminal::new(seed);
    let mut ran: Vec<(String, BTreeMap<String, String>)> = Vec::new();
    for c in &lesson.setup {
        term.run(c, &MemoryFiles(files.clone()));
        ran.push((c.clone(), files.clone()));
    }
    for i in 0..idx.min(lesson.steps.len()) {
        let before = files.clone();
        for c in perform(lesson, i, &mut term, &mut files) {
            ran.push((c, before.clone()));
        }
    }
    let commands = ran.into_iter().map(|(c, then)| with_files_as_they_were(&c, &then, &files)).collect();
    Preparation { files, commands }
}

/// `cmd` as typed when the files were `then`, rewritten to read a file that has changed since (`now`) from a
/// heredoc.
fn with_files_as_they_were(cmd: &str, then: &BTreeMap<String, String>, now: &BTreeMap<String, String>) -> String {
    if cmd.contains('\n') || cmd.contains("<<") {
        return cmd.to_string();
    }
    let words: Vec<&str> = cmd.split(' ').collect();
    for (i, pair) in words.windows(2).enumerate() {
        if pair[0] != "-f" && pair[0] != "--filename" {
            continue;
        }
        let name = pair[1].strip_prefix("./").unwrap_or(pair[1]);
        let (Some(old), new) = (then.get(name), now.get(name)) else { continue };
        if Some(old) == new || old.lines().any(|l| l.trim_end() == "EOF") {
            continue;
        }
        let mut w: Vec<&str> = words.clone();
        w[i + 1] = "-";
        let body = if old.ends_with('\n') { old.clone() } else { format!("{old}\n") };
        return format!("{} <<'EOF'\n{body}EOF", w.join(" "));
    }
    cmd.to_string()
}
