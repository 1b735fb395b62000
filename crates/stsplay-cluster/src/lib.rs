//! The simulated cluster: an API store with Kubernetes semantics, the StatefulSet controller (mirroring
//! upstream's files), a scheduler, a kubelet whose pod lifecycle is data, the PersistentVolume controller
//! with simulated provisioners and reclaim policies, the garbage collector, node faults, endpoints/DNS,
//! Events and a trace — all driven by one virtual clock and one seeded RNG.
//!
//! It is pure and deterministic: no wall clock, no OS randomness, no I/O, no browser. It is not the
//! terminal: kubectl's language and printers live in `stsplay-kubectl`.

pub mod api;
pub mod bench;
pub mod dns;
pub mod exec;
pub mod gc;
pub mod kubelet;
pub mod nodes;
pub mod rng;
pub mod scheduler;
pub mod stages;
pub mod statefulset;
pub mod store;
pub mod volumes;
pub mod world;

pub use api::{ApiError, DeleteOptions, Propagation, StatusReason};
pub use store::{ObjKey, WatchEvent, WatchType};
pub use world::{TraceEntry, World};
