//! The playground's object model: Kubernetes object types for the supported kinds, YAML manifests with
//! line:column positions, the structural schema (from k8s-openapi), strict decoding, defaulting and
//! validation with the API server's exact messages, and the editor's problems list.
//!
//! It is pure data and functions: no clock, no randomness, no I/O, no browser. It is not a cluster: storing,
//! reconciling and time belong to `stsplay-cluster`.

pub mod decode;
pub mod defaults;
pub mod kinds;
pub mod labels;
pub mod lint;
pub mod objects;
pub mod problems;
pub mod quantity;
pub mod schema;
pub mod time;
pub mod validation;
pub mod yaml;

pub use kinds::{Kind, Object};
pub use time::SimTime;
