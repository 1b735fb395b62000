//! The terminal language of the playground: a small bash (quoting, heredocs, `;` `&&` `||`, simple pipes)
//! in front of `kubectl` — whose output is kubectl 1.34's, byte for byte where we know it — and the
//! simulator's `sim` commands. Printers (tables, YAML/JSON, durations) live here too.
//!
//! It is pure: it drives a `stsplay_cluster::World` and returns text; it reads files only through the
//! `FileSource` it is given, and knows nothing of browsers or the OS.

pub mod container;
pub mod describe;
pub mod dispatch;
pub mod duration;
pub mod exec_cmd;
pub mod explain;
pub mod filters;
pub mod flags;
pub mod gojson;
pub mod jobs;
pub mod jsonout;
pub mod jsonpath;
pub mod kubectl;
pub mod more;
pub mod output;
pub mod patch;
pub mod printers;
pub mod rollout;
pub mod shell;
pub mod sim;
pub mod tabwriter;
pub mod terminal;
pub mod watch;
pub mod yamlout;

pub use output::{Output, Stream};
pub use terminal::{FileSource, MemoryFiles, NoFiles, Terminal};
