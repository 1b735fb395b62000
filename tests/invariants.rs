//! Invariants after every simulated step, on every golden scenario and on random sessions
//! (apply / scale / set image / partition / delete pod / pod and node faults / image faults), and
//! convergence to the spec once faults stop. Every failure prints its seed.

use stsplay_cluster::world::SETTLE_CAP_MS;
use stsplay_cluster::World;
use stsplay_kubectl::shell;
use stsplay_kubectl::{MemoryFiles, Terminal};
use stsplay_tests::check::Checker;
use stsplay_tests::{scenarios_dir, DirFiles};

/// Steps the world one action at a time, checking after each.
fn step_checked(w: &mut World, c: &mut Checker, until: Option<stsplay_model::SimTime>, cap_ms: i64, label: &str) {
    let limit = w.now.plus_millis(cap_ms);
    let mut n = 0usize;
    while let Some(t) = w.next_due() {
        if until.is_some_and(|u| t > u) || t > limit {
            break;
        }
        // Stop when only periodic probes/back-offs remain for a long stretch (settle's own rule).
        w.step();
        n += 1;
        if let Err(e) = c.check(w) {
            panic!("{label}: {e}");
        }
        if n > 200_000 {
            break;
        }
    }
    if let Some(u) = until {
        if u > w.now {
            w.run_until(u);
        }
    }
}

fn run_checked(seed: u64, script: &str, files: &dyn stsplay_kubectl::FileSource, label: &str) -> Terminal {
    let mut term = Terminal::new(seed);
    let mut c = Checker::new(&term.world);
    for cmd in shell::split_script(script) {
        let words: Vec<&str> = cmd.command.split_whitespace().collect();
        match words.as_slice() {
            ["sim", "settle"] => {
                let mut probe = term.world.clone();
                probe.settle(SETTLE_CAP_MS);
                let until = probe.now;
                step_checked(&mut term.world, &mut c, Some(until), SETTLE_CAP_MS, label);
                if term.world.next_due().is_none_or(|t| t > until) {
                    if let Err(e) = c.check_settled(&term.world) {
                        panic!("{label}: after settle: {e}");
                    }
                }
            }
            ["sim", "run", d] => {
                let ms = stsplay_kubectl::sim::parse_duration(d).unwrap_or(0);
                let until = term.world.now.plus_millis(ms);
                step_checked(&mut term.world, &mut c, Some(until), ms, label);
            }
            _ => {
                if words.len() >= 3
                    && words[0] == "kubectl"
                    && words[1] == "delete"
                    && (words[2] == "pvc" || words[2].starts_with("persistentvolumeclaim"))
                {
                    // Claims the user deletes on purpose, by name or by selector (then: all of them).
                    if words[3..].iter().any(|w| w.starts_with('-') && *w != "--wait=false") {
                        c.user_deleted_claims.push("*".into());
                    }
                    c.user_deleted_claims.extend(words[3..].iter().map(|s| s.to_string()));
                }
                if words.starts_with(&["kubectl", "delete"])
                    && words.iter().any(|w| w.starts_with("sts") || w.starts_with("statefulset"))
                {
                    // Deleting the set makes its claims follow the retention policy; nothing to check.
                    c.user_deleted_claims.push("*".into());
                }
                let _ = term.run_script_command(&cmd, files);
                if !c.user_deleted_claims.iter().any(|s| s == "*") {
                    if let Err(e) = c.check(&term.world) {
                        panic!("{label}: after `{}`: {e}", cmd.text);
                    }
                } else {
                    c = Checker::new(&term.world);
                }
            }
        }
    }
    term
}

#[test]
fn golden_scenarios_keep_invariants_at_every_step() {
    let mut dirs: Vec<_> =
        std::fs::read_dir(scenarios_dir()).expect("scenarios").filter_map(|e| e.ok()).map(|e| e.path()).collect();
    dirs.sort();
    let mut n = 0;
    for dir in dirs {
        let Ok(script) = std::fs::read_to_string(dir.join("commands")) else { continue };
        let seed: u64 = std::fs::read_to_string(dir.join("seed")).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(1);
        let label = format!("scenario {} (seed {seed})", dir.display());
        run_checked(seed, &script, &DirFiles(dir.clone()), &label);
        n += 1;
    }
    assert!(n > 0);
}

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
    name: web
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: REPLICAS
  podManagementPolicy: POLICY
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
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
";

/// A tiny deterministic generator for test sessions (independent of the simulation's RNG).
struct Gen(u64);
impl Gen {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

fn random_session(seed: u64, steps: usize) -> String {
    let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut s = String::from("kubectl apply -f web.yaml\n");
    let nodes = ["kind-worker", "kind-worker2", "kind-worker3"];
    let mut failed_nodes: Vec<&str> = Vec::new();
    for _ in 0..steps {
        let line = match g.next(11) {
            0 => format!("kubectl scale sts web --replicas={}", g.next(6)),
            1 => format!("kubectl set image sts/web nginx=nginx:1.{}", 24 + g.next(4)),
            2 => format!("kubectl patch sts web -p '{{\"spec\":{{\"updateStrategy\":{{\"rollingUpdate\":{{\"partition\":{}}}}}}}}}'", g.next(5)),
            3 => format!("kubectl delete pod web-{} --wait=false", g.next(5)),
            4 => format!("sim pod fail web-{}", g.next(5)),
            5 => {
                let n = nodes[g.next(3) as usize];
                if failed_nodes.contains(&n) {
                    failed_nodes.retain(|x| *x != n);
                    format!("sim node recover {n}")
                } else {
                    failed_nodes.push(n);
                    format!("sim node fail {n}")
                }
            }
            6 => format!("sim image {} nginx:1.{}", if g.next(2) == 0 { "break" } else { "fix" }, 24 + g.next(4)),
            7 | 8 => format!("sim run {}ms", 200 + g.next(20_000)),
            _ => "sim settle".to_string(),
        };
        s.push_str(&line);
        s.push('\n');
    }
    // Faults stop: nodes come back, images work, the set converges.
    for n in failed_nodes {
        s.push_str(&format!("sim node recover {n}\n"));
    }
    for v in 24..28 {
        s.push_str(&format!("sim image fix nginx:1.{v}\n"));
    }
    s.push_str("kubectl patch sts web -p '{\"spec\":{\"updateStrategy\":{\"rollingUpdate\":{\"partition\":0}}}}'\n");
    // Upstream quirk (reference §3.3): with OrderedReady, two unhealthy condemned pods block scale-down
    // forever; an operator deletes failed pods by hand.
    s.push_str("sim settle\nkubectl delete pods --field-selector status.phase=Failed --wait=false\n");
    s.push_str("sim settle\nsim run 10m\nsim settle\n");
    s
}

#[test]
fn random_sessions_keep_invariants_and_converge() {
    let sessions: u64 = std::env::var("STSPLAY_SESSIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(40);
    let steps: usize = std::env::var("STSPLAY_STEPS").ok().and_then(|v| v.parse().ok()).unwrap_or(25);
    for seed in 0..sessions {
        let policy = if seed % 2 == 0 { "OrderedReady" } else { "Parallel" };
        let manifest = MANIFEST.replace("REPLICAS", &(1 + seed % 4).to_string()).replace("POLICY", policy);
        let mut files = MemoryFiles::default();
        files.0.insert("web.yaml".into(), manifest);
        let script = random_session(seed, steps);
        let label = format!("random session seed {seed} ({policy})\n{script}");
        let term = run_checked(seed, &script, &files, &label);
        // Convergence: the spec's replicas exist, Running and Ready, all at the update revision.
        let w = &term.world;
        let s = w.get_sts("default", "web").unwrap_or_else(|| panic!("{label}: sts gone"));
        let pods: Vec<_> = w.pods("default").filter(|p| p.metadata.name.starts_with("web-")).collect();
        let ready = pods.iter().filter(|p| p.is_running_and_ready()).count() as i32;
        assert_eq!(
            pods.len() as i32,
            s.replicas(),
            "{label}: pods {:?}",
            pods.iter().map(|p| &p.metadata.name).collect::<Vec<_>>()
        );
        assert_eq!(ready, s.replicas(), "{label}: not all ready");
        assert!(
            pods.iter().all(|p| p.metadata.labels.get("controller-revision-hash") == Some(&s.status.update_revision)),
            "{label}: not all pods at the update revision"
        );
        assert_eq!(s.status.ready_replicas, s.replicas(), "{label}: status.readyReplicas");
    }
}
