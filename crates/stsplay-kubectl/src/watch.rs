//! `kubectl get TYPE [NAME] -w` / `--watch-only` / `--output-watch-events`, as kubectl 1.34's watch path in
//! `pkg/cmd/get/get.go` prints it: the table of the current objects once (header and rows, one tabwriter
//! flush; skipped with `--watch-only`), then one row per watch event of a matching object, each row flushed
//! on its own through kubectl's tabwriter in `RememberWidths` mode — so columns widen when a longer cell
//! arrives and never shrink. `--output-watch-events` adds a leading `EVENT` column (`ADDED`, `MODIFIED`,
//! `DELETED`); a deleted object prints its last state. The header is printed with the first row (an empty
//! list prints nothing, not even `No resources found`).
//!
//! Rows are rendered as the API server renders watch events (server-side Table printing): from the object
//! as it was right after the change, with AGE as of the moment of the change. So a watch may be polled at
//! any cadence and prints the same rows.
//!
//! [`Watch`] is the reusable part: [`Watch::start`] prints the initial table and remembers the store's
//! resourceVersion, [`Watch::poll`] prints the rows for the events since the last poll (the browser calls it
//! after each animation frame while the world steps).
//!
//! The rule of the terminal (a script must go on): `kubectl get -w` runs until the cluster settles — exactly
//! like `sim settle`: nothing more scheduled, or only failing retries left, at most 30 minutes of virtual
//! time — and then returns, printing nothing extra in kubectl's voice. Only when the 30-minute cap was hit
//! does a `hint (stsplay):` line say so (kubectl itself would keep watching until Ctrl-C).

use crate::flags::Parsed;
use crate::kubectl::Res;
use crate::output::Output;
use crate::printers::{self, PrintOpts};
use crate::tabwriter::TabWriter;
use crate::terminal::Terminal;
use serde_json::json;
use std::collections::BTreeSet;
use stsplay_cluster::stages::Stages;
use stsplay_cluster::world::SETTLE_CAP_MS;
use stsplay_cluster::{WatchType, World};
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::labels::Selector;
use stsplay_model::time::SimTime;

/// How a watch prints objects.
#[derive(Clone, Debug)]
pub enum WatchOutput {
    /// The human-readable table (`-o wide`, `-L`, `--show-labels`, `-A` through the options).
    Table(PrintOpts),
    /// `-o name`: `pod/web-0` per object.
    Name,
    /// `-o yaml`: one document per object, `---` between them.
    Yaml,
    /// `-o json`: one pretty-printed object per event.
    Json,
}

/// What to watch and how to print it.
#[derive(Clone, Debug)]
pub struct WatchSpec {
    pub kind: Kind,
    /// The namespace for namespaced kinds; None watches all namespaces (`-A`).
    pub namespace: Option<String>,
    /// A single object by name (`kubectl get pod web-0 -w`).
    pub name: Option<String>,
    pub selector: Option<Selector>,
    /// Field selector requirements `(path, negated, value)`.
    pub fields: Vec<(String, bool, String)>,
    pub output: WatchOutput,
    pub watch_only: bool,
    pub output_watch_events: bool,
    pub no_headers: bool,
}

/// A running watch: what was printed so far (header, remembered column widths) and how far it has read
/// the store's watch log.
#[derive(Clone, Debug)]
pub struct Watch {
    spec: WatchSpec,
    rv: u64,
    tw: TabWriter,
    header_printed: bool,
    objects_printed: usize,
    /// uids of the objects that matched at the last event (selectors: an object leaving the selection is
    /// reported DELETED, one entering it ADDED, as the API server's watch does).
    matching: BTreeSet<String>,
    lost: bool,
    /// A clock for rendering rows as of an event's time (AGE is the server's, at the moment of the event).
    clock: World,
}

impl Watch {
    /// Starts watching `w`'s store now. Returns the watch and what kubectl prints before the first event
    /// (nothing with `--watch-only`).
    pub fn start(w: &World, spec: WatchSpec) -> (Watch, String) {
        let mut watch = Watch {
            spec,
            rv: w.store.resource_version(),
            tw: TabWriter::kubectl(),
            header_printed: false,
            objects_printed: 0,
            matching: BTreeSet::new(),
            lost: false,
            clock: World::empty(0, Stages::builtin()),
        };
        let current: Vec<Object> = watch.current(w);
        watch.matching = current.iter().map(|o| o.meta().uid.clone()).collect();
        let text = if watch.spec.watch_only { String::new() } else { watch.render(w.now, None, &current) };
        (watch, text)
    }

    /// The store's resourceVersion this watch has read up to.
    pub fn resource_version(&self) -> u64 {
        self.rv
    }

    /// Whether the store's watch log dropped events this watch had not read yet (its rows are missing).
    pub fn lost_events(&self) -> bool {
        self.lost
    }

    /// The rows for every matching change since the last poll (or the start), oldest first.
    pub fn poll(&mut self, w: &World) -> String {
        let latest = w.store.resource_version();
        if latest <= self.rv {
            return String::new();
        }
        if w.store.oldest_watch_rv().is_some_and(|o| o > self.rv.saturating_add(1)) {
            self.lost = true;
        }
        let mut events: Vec<(WatchType, SimTime, Object)> = Vec::new();
        for e in w.store.watch_since(self.rv) {
            if !self.in_scope(&e.object) {
                continue;
            }
            let uid = e.object.meta().uid.clone();
            let was = self.matching.contains(&uid);
            let is = e.type_ != WatchType::Deleted && self.selected(&e.object);
            let ty = match (was, is) {
                (true, true) => e.type_,
                (false, true) => WatchType::Added,
                (true, false) => WatchType::Deleted,
                (false, false) => {
                    if e.type_ == WatchType::Deleted && self.selected(&e.object) && self.spec.name.is_some() {
                        // a named object created and deleted between two polls
                        WatchType::Deleted
                    } else {
                        continue;
                    }
                }
            };
            if is {
                self.matching.insert(uid);
            } else {
                self.matching.remove(&uid);
            }
            events.push((ty, e.at, (*e.object).clone()));
        }
        self.rv = latest;
        let mut text = String::new();
        for (ty, at, obj) in events {
            text.push_str(&self.render(at, Some(ty), std::slice::from_ref(&obj)));
        }
        text
    }

    /// Objects of the kind (and namespace, name) watched, whatever the selectors say.
    fn in_scope(&self, o: &Object) -> bool {
        let s = &self.spec;
        o.kind() == s.kind
            && (!s.kind.namespaced() || s.namespace.as_ref().is_none_or(|n| &o.meta().namespace == n))
            && s.name.as_ref().is_none_or(|n| &o.meta().name == n)
    }

    fn selected(&self, o: &Object) -> bool {
        let s = &self.spec;
        s.selector.as_ref().is_none_or(|sel| sel.matches(&o.meta().labels))
            && (s.fields.is_empty() || field_selector_matches(&s.fields, &o.to_json()))
    }

    fn current(&self, w: &World) -> Vec<Object> {
        let ns = if self.spec.kind.namespaced() { self.spec.namespace.as_deref() } else { None };
        w.store.list(self.spec.kind, ns).filter(|o| self.in_scope(o) && self.selected(o)).cloned().collect()
    }

    /// Prints objects (the initial list when `event` is None: ADDED with `--output-watch-events`).
    fn render(&mut self, at: SimTime, event: Option<WatchType>, objs: &[Object]) -> String {
        if objs.is_empty() {
            return String::new();
        }
        let event_name =
            if self.spec.output_watch_events { Some(event.unwrap_or(WatchType::Added).as_str()) } else { None };
        match self.spec.output.clone() {
            WatchOutput::Table(opts) => {
                self.clock.now = at;
                let mut text = String::new();
                if !self.header_printed && !self.spec.no_headers {
                    let mut head = header_cells(&self.clock, self.spec.kind, &opts);
                    if event_name.is_some() {
                        head.insert(0, "EVENT".into());
                    }
                    push_row(&mut text, &head);
                }
                self.header_printed = true;
                for o in objs {
                    let mut cells = printers::row(&self.clock, o, &opts);
                    if let Some(e) = event_name {
                        cells.insert(0, e.to_string());
                    }
                    push_row(&mut text, &cells);
                }
                self.tw.write_str(&text);
                self.tw.flush();
                self.tw.take_output()
            }
            WatchOutput::Name => {
                let mut text = String::new();
                for o in objs {
                    text.push_str(&format!("{}/{}\n", o.kind().qualified_singular(), o.meta().name));
                }
                text
            }
            WatchOutput::Yaml | WatchOutput::Json => {
                let yaml = matches!(self.spec.output, WatchOutput::Yaml);
                let mut text = String::new();
                for o in objs {
                    let v = match event_name {
                        Some(e) => json!({"type": e, "object": o.to_json()}),
                        None => o.to_json(),
                    };
                    if yaml {
                        if self.objects_printed > 0 {
                            text.push_str("---\n");
                        }
                        text.push_str(&crate::yamlout::to_yaml(&v));
                    } else {
                        text.push_str(&crate::jsonout::to_json_pretty(&v));
                    }
                    self.objects_printed += 1;
                }
                text
            }
        }
    }
}

fn push_row(text: &mut String, cells: &[String]) {
    text.push_str(&cells.join("\t"));
    text.push('\n');
}

/// The table's column names, as `printers::table` heads them (read back from its header line: cells are
/// padded by at least three spaces and no column name contains three spaces in a row).
fn header_cells(clock: &World, kind: Kind, opts: &PrintOpts) -> Vec<String> {
    let table = printers::table(clock, kind, &[], opts);
    let line = table.lines().next().unwrap_or("");
    line.split("   ").map(str::trim).filter(|c| !c.is_empty()).map(String::from).collect()
}

use crate::kubectl::{field_selector_matches, parse_field_selector};

/// `kubectl get ... -w` in the terminal: [`begin`], let the cluster settle (`World::settle`, at most 30
/// minutes of virtual time), then [`Watch::poll`] once — the same rows as polling after every step, since
/// each row is rendered from its event. `fmt` is the `-o` value; `types`/`named` are `get`'s parsed
/// resource arguments.
pub fn get(t: &mut Terminal, p: &Parsed, fmt: &str, types: &[Res], named: &[(Res, String)], out: &mut Output) {
    let Some(mut watch) = begin(t, p, fmt, types, named, out) else { return };
    if t.interactive {
        t.job = Some(crate::jobs::Job::Watch(Box::new(watch)));
        return;
    }
    let settled = t.world.settle(SETTLE_CAP_MS);
    out.out(watch.poll(&t.world));
    if watch.lost_events() {
        out.hint("the cluster changed faster than the watch log keeps; some rows are missing");
    }
    if !settled {
        out.hint(format!(
            "stopped watching after {} of virtual time; the cluster is still busy (kubectl would keep watching; Ctrl-C)",
            crate::duration::human_duration(SETTLE_CAP_MS)
        ));
    }
}

/// Everything `kubectl get -w` does before it waits for events: argument checks and errors, the initial
/// table (into `out`). Returns the watch to drive with [`Watch::poll`] (the browser calls this and polls
/// after each frame), or None when the command already ended.
pub fn begin(
    t: &Terminal,
    p: &Parsed,
    fmt: &str,
    types: &[Res],
    named: &[(Res, String)],
    out: &mut Output,
) -> Option<Watch> {
    let mut all: Vec<Res> = types.to_vec();
    for (r, _) in named {
        if !all.contains(r) {
            all.push(*r);
        }
    }
    if all.len() > 1 {
        out.fail("error: you may only specify a single resource type");
        return None;
    }
    let &res = all.first()?;
    let base = fmt.split('=').next().unwrap_or("");
    let all_ns = p.bool("all-namespaces");
    let opts = PrintOpts {
        wide: base == "wide",
        show_labels: p.bool("show-labels"),
        label_columns: p
            .all("label-columns")
            .iter()
            .flat_map(|s| s.split(',').map(String::from).collect::<Vec<_>>())
            .collect(),
        kind_prefix: false,
        namespace_column: all_ns,
    };
    let output = match base {
        "" | "wide" => WatchOutput::Table(opts.clone()),
        "name" => WatchOutput::Name,
        "yaml" => WatchOutput::Yaml,
        "json" => WatchOutput::Json,
        other => {
            out.fail(format!("stsplay: `kubectl get -w -o {other}` is not available in this playground yet"));
            return None;
        }
    };
    let selector = match p.get("selector").map(Selector::parse) {
        Some(Err(e)) => {
            out.fail(format!("error: {e}"));
            return None;
        }
        Some(Ok(s)) => Some(s),
        None => None,
    };
    let fields = match p.get("field-selector").map(parse_field_selector) {
        Some(Err(e)) => {
            out.fail(e);
            return None;
        }
        Some(Ok(f)) => f,
        None => Vec::new(),
    };
    let ns = p.namespace();
    let Res::Kind(kind) = res else {
        // Endpoints are derived from Services and pods in this playground; they have no watch log.
        if !p.bool("watch-only") {
            let svcs: Vec<stsplay_model::objects::Service> = t
                .world
                .store
                .list(Kind::Service, if all_ns { None } else { Some(&ns) })
                .filter_map(|o| o.as_service().cloned())
                .filter(|s| named.is_empty() || named.iter().any(|(_, n)| *n == s.metadata.name))
                .collect();
            if !svcs.is_empty() {
                out.errln("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice");
                out.out(printers::endpoints_table(&t.world, &svcs.iter().collect::<Vec<_>>(), &opts));
            }
        }
        out.hint("watching endpoints is not simulated; that was the current state (watch the pods instead)");
        return None;
    };
    let namespace = if all_ns || !kind.namespaced() { None } else { Some(ns.clone()) };
    let spec = |name: Option<String>| WatchSpec {
        kind,
        namespace: namespace.clone(),
        name,
        selector: selector.clone(),
        fields: fields.clone(),
        output: output.clone(),
        watch_only: p.bool("watch-only"),
        output_watch_events: p.bool("output-watch-events"),
        no_headers: p.bool("no-headers"),
    };
    let mut name = None;
    if !named.is_empty() {
        let lookup_ns = if kind.namespaced() { ns.as_str() } else { "" };
        let missing: Vec<String> = named
            .iter()
            .filter(|(_, n)| t.world.store.get_by(kind, lookup_ns, n).is_none())
            .map(|(_, n)| stsplay_cluster::ApiError::not_found(kind, n).kubectl_text())
            .collect();
        if !missing.is_empty() {
            if p.bool("ignore-not-found") {
                return None;
            }
            for m in &missing {
                out.errln(m);
            }
            out.exit = 1;
            return None;
        }
        if named.len() > 1 {
            // kubectl prints the objects, then refuses to watch several names at once.
            let (mut watch, _) = Watch::start(&t.world, WatchSpec { watch_only: true, ..spec(None) });
            let objs: Vec<Object> =
                named.iter().filter_map(|(_, n)| t.world.store.get_by(kind, lookup_ns, n).cloned()).collect();
            if !p.bool("watch-only") {
                let now = t.world.now;
                out.out(watch.render(now, None, &objs));
            }
            out.fail("error: you may only watch a single resource or type of resource at a time");
            return None;
        }
        name = named.first().map(|(_, n)| n.clone());
    }
    let (watch, initial) = Watch::start(&t.world, spec(name));
    out.out(initial);
    Some(watch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terminal::MemoryFiles;

    const WEB: &str = "apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.24
";

    fn run(t: &mut Terminal, cmd: &str) -> Output {
        t.run(cmd, &MemoryFiles([("web.yaml".to_string(), WEB.to_string())].into()))
    }

    fn pods_spec() -> WatchSpec {
        WatchSpec {
            kind: Kind::Pod,
            namespace: Some("default".into()),
            name: None,
            selector: None,
            fields: vec![],
            output: WatchOutput::Table(PrintOpts::default()),
            watch_only: false,
            output_watch_events: false,
            no_headers: false,
        }
    }

    #[test]
    fn header_cells_read_back() {
        let clock = World::empty(0, Stages::builtin());
        let header_cells = |k: Kind, o: &PrintOpts| super::header_cells(&clock, k, o);
        assert_eq!(header_cells(Kind::Pod, &PrintOpts::default()), ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
        let wide = PrintOpts { wide: true, namespace_column: true, ..Default::default() };
        assert_eq!(
            header_cells(Kind::Pod, &wide),
            [
                "NAMESPACE",
                "NAME",
                "READY",
                "STATUS",
                "RESTARTS",
                "AGE",
                "IP",
                "NODE",
                "NOMINATED NODE",
                "READINESS GATES"
            ]
        );
        assert_eq!(header_cells(Kind::PersistentVolumeClaim, &PrintOpts::default())[4], "ACCESS MODES");
        assert_eq!(header_cells(Kind::Event, &PrintOpts::default())[0], "LAST SEEN");
    }

    #[test]
    fn incremental_polls_equal_one_poll() {
        let mut t = Terminal::new(3);
        run(&mut t, "kubectl apply -f web.yaml");
        let mut a = t.world.clone();
        let mut b = t.world.clone();
        let (mut wa, ia) = Watch::start(&a, pods_spec());
        let (mut wb, ib) = Watch::start(&b, pods_spec());
        assert_eq!((ia.as_str(), ib.as_str()), ("", ""));
        let mut stepped = String::new();
        while a.step() {
            stepped.push_str(&wa.poll(&a));
            if a.now.0 > 120_000 {
                break;
            }
        }
        b.run_until(a.now);
        let once = wb.poll(&b);
        assert_eq!(stepped, once);
        assert!(
            once.starts_with("NAME    READY   STATUS    RESTARTS   AGE\nweb-0   0/1     Pending   0          0s\n"),
            "{once}"
        );
        assert!(once.contains("ContainerCreating"), "{once}");
        // columns never shrink: after ContainerCreating, Running rows keep the wide STATUS column
        let after = once.rsplit("ContainerCreating").next().unwrap_or("");
        assert!(after.contains("Running             0"), "{once}");
        assert!(!wa.lost_events());
        assert_eq!(wa.resource_version(), a.store.resource_version());
    }

    #[test]
    fn terminal_watch() {
        let mut t = Terminal::new(1);
        // nothing yet: nothing printed, not even "No resources found"
        let o = run(&mut t, "kubectl get pods -w");
        assert_eq!(o.text(), "");
        run(&mut t, "kubectl apply -f web.yaml");
        let o = run(&mut t, "kubectl get pods --output-watch-events -w");
        assert_eq!(o.exit, 0);
        let text = o.stdout();
        assert!(
            text.starts_with(
                "EVENT   NAME    READY   STATUS    RESTARTS   AGE\nADDED   web-0   0/1     Pending   0          0s\n"
            ),
            "{text}"
        );
        assert!(text.contains("\nMODIFIED   web-1"), "{text}");
        assert_eq!(o.stderr(), "");
        // settled: only the current table
        let o = run(&mut t, "kubectl get sts web -w");
        assert!(o.stdout().starts_with("NAME   READY   AGE\nweb    2/2"), "{}", o.stdout());
        assert_eq!(o.stdout().lines().count(), 2);
        assert_eq!(run(&mut t, "kubectl get pods --watch-only").text(), "");
        // scale down: the deleted pod's last row
        run(&mut t, "kubectl scale sts web --replicas=1");
        let o = run(&mut t, "kubectl get pods -w --output-watch-events --watch-only");
        assert!(
            o.stdout().starts_with("EVENT      NAME    READY   STATUS        RESTARTS   AGE\nMODIFIED   web-1"),
            "{}",
            o.stdout()
        );
        assert!(o.stdout().contains("\nDELETED    web-1   "), "{}", o.stdout());
        let o = run(&mut t, "kubectl get pods,sts -w");
        assert_eq!(o.stderr(), "error: you may only specify a single resource type\n");
        let o = run(&mut t, "kubectl get pod nope -w");
        assert_eq!(o.stderr(), "Error from server (NotFound): pods \"nope\" not found\n");
        assert_eq!(run(&mut t, "kubectl get pod nope -w --ignore-not-found").text(), "");
        let o = run(&mut t, "kubectl get pods web-0 web-1 -w");
        assert_eq!(o.stderr(), "Error from server (NotFound): pods \"web-1\" not found\n");
        let o = run(&mut t, "kubectl get pods web-0 -o name -w");
        assert_eq!(o.stdout(), "pod/web-0\n");
        let o = run(&mut t, "kubectl get pods -l app=nginx -o yaml -w");
        assert!(o.stdout().starts_with("apiVersion: v1\nkind: Pod\n"), "{}", o.stdout());
        for c in [
            "kubectl get endpoints -w",
            "kubectl get pods -w --field-selector status.phase=Running",
            "kubectl get pods -w -l 'x in (y'",
            "kubectl get nodes -w -o wide",
            "kubectl get events -w -A",
        ] {
            let _ = run(&mut t, c);
        }
    }
}
