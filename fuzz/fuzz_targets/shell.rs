//! The terminal's bash subset: script splitting (continuations, heredocs), tokenizing, parsing with
//! variable expansion, heredoc expansion and the "needs another line" check the prompt uses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stsplay_kubectl::shell;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let env = |k: &str| match k {
        "HOME" => Some("/home/learner".to_string()),
        "X" => Some("a b 'c' \"d\" $HOME".to_string()),
        _ => None,
    };
    let _ = shell::continuation_needed(&text);
    let _ = shell::parse(&text);
    let _ = shell::expand_heredoc(&text, env);
    for cmd in shell::split_script(&text) {
        let _ = cmd.warnings();
        if let Ok(list) = cmd.parse_with_env(env) {
            for item in &list.items {
                for c in &item.pipeline.commands {
                    let _ = c.argv();
                    let _ = c.stdin();
                }
            }
        }
    }
});
