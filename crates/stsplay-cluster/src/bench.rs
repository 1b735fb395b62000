//! The engine's benchmark scenarios, shared by the native bench (`benches/rollout.rs`) and the wasm build
//! driven from node (`tools/wasm-node`), so both measure exactly the same work.
//!
//! Pure like the rest of the crate: it never reads a clock. The caller times each phase (`Instant` natively,
//! `performance.now()` under node); a phase reports what it did in the simulation (actions processed,
//! virtual time, whether it reached its goal) and `Bench::digest` fingerprints the run, so a native and a
//! wasm run (or a run before and after an optimisation) can be shown to have done the same thing.

use crate::world::World;
use stsplay_model::kinds::{Kind, Object};
use stsplay_model::objects::StatefulSet;

/// `spec.podManagementPolicy` of the benchmarked StatefulSet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    Parallel,
    OrderedReady,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Parallel => "Parallel",
            Policy::OrderedReady => "OrderedReady",
        }
    }

    pub fn parse(s: &str) -> Option<Policy> {
        match s {
            "Parallel" | "parallel" => Some(Policy::Parallel),
            "OrderedReady" | "orderedready" | "ordered" => Some(Policy::OrderedReady),
            _ => None,
        }
    }
}

/// The phases of one scenario, in the order they run on one cluster.
pub const PHASES: [&str; 3] = ["create", "rollout", "scale-to-0"];

/// What a phase did in the simulation (the wall time is the caller's to measure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhaseStats {
    pub phase: &'static str,
    /// Actions processed during the phase (`World::steps`).
    pub steps: u64,
    /// Virtual time the phase took, in milliseconds.
    pub virtual_ms: i64,
    /// Whether the phase reached its goal (all Ready / all updated / no pods left).
    pub ok: bool,
}

/// One StatefulSet named `web` on the default cluster, driven through create → rolling update → scale to 0.
pub struct Bench {
    pub world: World,
    pub policy: Policy,
    pub replicas: i32,
}

/// Image before and after the rolling update (both known to the simulated registry).
const IMAGE_V1: &str = "registry.k8s.io/nginx-slim:0.24";
const IMAGE_V2: &str = "registry.k8s.io/nginx-slim:0.27";

/// A safety net against a livelock: far more actions than any phase needs (about 15 per pod).
const MAX_STEPS_PER_REPLICA: u64 = 1_000;

impl Bench {
    pub fn new(policy: Policy, replicas: i32) -> Bench {
        // The playground as shipped, quota included (10,000 replicas and a rollout's surge fit in it).
        Bench { world: World::new(1), policy, replicas }
    }

    fn sts(&self) -> StatefulSet {
        let v = serde_json::json!({
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "serviceName": "nginx", "replicas": self.replicas, "podManagementPolicy": self.policy.as_str(),
                "selector": {"matchLabels": {"app": "nginx"}},
                "template": {"metadata": {"labels": {"app": "nginx"}},
                    "spec": {"containers": [{"name": "nginx", "image": IMAGE_V1}]}}
            }
        });
        serde_json::from_value(v).expect("the benchmark StatefulSet is valid")
    }

    /// Runs until nothing is scheduled (the benchmark cluster has no endless retries), like `sim settle`
    /// without its 30-minute cap: an OrderedReady set of 10,000 pods needs hours of virtual time.
    fn settle(&mut self, phase: &'static str, goal: impl Fn(&World) -> bool) -> PhaseStats {
        let (steps0, t0) = (self.world.steps, self.world.now);
        let budget = MAX_STEPS_PER_REPLICA * (self.replicas.max(1) as u64);
        while self.world.next_due().is_some() && self.world.steps - steps0 < budget {
            self.world.step();
        }
        PhaseStats {
            phase,
            steps: self.world.steps - steps0,
            virtual_ms: self.world.now.0 - t0.0,
            ok: goal(&self.world),
        }
    }

    fn set(&self) -> Option<&StatefulSet> {
        self.world.get_sts("default", "web")
    }

    /// Creates the StatefulSet and runs until every pod is Running and Ready.
    pub fn create(&mut self) -> PhaseStats {
        let ok = self.world.api_create(Object::StatefulSet(self.sts())).is_ok();
        let n = self.replicas;
        let mut s = self.settle("create", move |w| {
            w.get_sts("default", "web").is_some_and(|s| s.status.ready_replicas == n && s.status.replicas == n)
        });
        s.ok &= ok;
        s
    }

    /// `kubectl set image`: a new template, then runs until every pod runs it and the set is current.
    pub fn rollout(&mut self) -> PhaseStats {
        let ok = match self.set().cloned() {
            Some(mut s) => {
                s.spec.template.spec.containers[0].image = IMAGE_V2.into();
                self.world.api_update(Object::StatefulSet(s)).is_ok()
            }
            None => false,
        };
        let n = self.replicas;
        let mut s = self.settle("rollout", move |w| {
            w.get_sts("default", "web").is_some_and(|s| {
                s.status.updated_replicas == n
                    && s.status.ready_replicas == n
                    && s.status.current_revision == s.status.update_revision
            })
        });
        s.ok &= ok;
        s
    }

    /// `kubectl scale --replicas=0`, then runs until no pod is left.
    pub fn scale_to_zero(&mut self) -> PhaseStats {
        let ok = match self.set().cloned() {
            Some(mut s) => {
                s.spec.replicas = Some(0);
                self.world.api_update(Object::StatefulSet(s)).is_ok()
            }
            None => false,
        };
        let mut s = self.settle("scale-to-0", |w| {
            w.store.count(Kind::Pod) == 0 && w.get_sts("default", "web").is_some_and(|s| s.status.replicas == 0)
        });
        s.ok &= ok;
        s
    }

    /// Runs the phase named like `PHASES[i]`.
    pub fn run_phase(&mut self, phase: &str) -> Option<PhaseStats> {
        match phase {
            "create" => Some(self.create()),
            "rollout" => Some(self.rollout()),
            "scale-to-0" => Some(self.scale_to_zero()),
            _ => None,
        }
    }

    /// A fingerprint of everything observable so far: the trace (every decision and change, with its
    /// virtual time and resourceVersion), the clock, the action count and the store's resourceVersion.
    /// Equal digests mean the same simulation happened.
    pub fn digest(&self) -> String {
        let mut h = Fnv64::new();
        for t in &self.world.trace {
            h.write(&t.at.0.to_le_bytes());
            h.write(&t.rv.to_le_bytes());
            h.write(t.component.as_bytes());
            h.write(t.message.as_bytes());
        }
        h.write(&self.world.now.0.to_le_bytes());
        h.write(&self.world.steps.to_le_bytes());
        h.write(&self.world.store.resource_version().to_le_bytes());
        format!("{:016x}", h.0)
    }
}

/// FNV-1a, 64-bit: a stable fingerprint on every target (std's hashers are not guaranteed stable).
struct Fnv64(u64);

impl Fnv64 {
    fn new() -> Fnv64 {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= *b as u64;
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator, so ("ab","c") and ("a","bc") differ.
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }
}

/// A global allocator that counts live heap bytes and their high-water mark: the peak-heap measure both the
/// native bench and the wasm build report (so the two are comparable). Install it with
/// `#[global_allocator] static A: CountingAlloc = CountingAlloc;` in the binary that measures.
pub struct CountingAlloc;

static LIVE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
static PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Starts a new peak measurement; returns the bytes live now (the baseline to subtract).
pub fn reset_peak_heap() -> usize {
    use std::sync::atomic::Ordering::Relaxed;
    let live = LIVE.load(Relaxed);
    PEAK.store(live, Relaxed);
    live
}

/// The highest live heap bytes since [`reset_peak_heap`] (0 unless [`CountingAlloc`] is installed).
pub fn peak_heap() -> usize {
    PEAK.load(std::sync::atomic::Ordering::Relaxed)
}

// SAFETY: delegates to the system allocator; only counts bytes.
unsafe impl std::alloc::GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        use std::sync::atomic::Ordering::Relaxed;
        // SAFETY: same contract as the caller's.
        let p = unsafe { std::alloc::System.alloc(l) };
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { std::alloc::System.dealloc(p, l) };
        LIVE.fetch_sub(l.size(), std::sync::atomic::Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, new: usize) -> *mut u8 {
        use std::sync::atomic::Ordering::Relaxed;
        // SAFETY: same contract as the caller's.
        let q = unsafe { std::alloc::System.realloc(p, l, new) };
        if !q.is_null() {
            if new >= l.size() {
                let now = LIVE.fetch_add(new - l.size(), Relaxed) + (new - l.size());
                PEAK.fetch_max(now, Relaxed);
            } else {
                LIVE.fetch_sub(l.size() - new, Relaxed);
            }
        }
        q
    }
}
