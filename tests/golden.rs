//! Golden transcripts: every `tests/scenarios/<name>/commands` runs on a fresh cluster (seed from an
//! optional `seed` file, default 1) and must print exactly `expected`.
//! `UPDATE_GOLDEN=1 cargo test -p stsplay-tests --test golden` rewrites the expected files; review the diff
//! against the reference before committing.

use stsplay_tests::{scenarios_dir, transcript};

#[test]
fn scenarios_match_their_transcripts() {
    let update = std::env::var("UPDATE_GOLDEN").is_ok();
    let mut dirs: Vec<_> = std::fs::read_dir(scenarios_dir())
        .expect("tests/scenarios exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("commands").exists())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no scenarios found");
    let mut failures = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap_or_default().to_string_lossy().to_string();
        let script = std::fs::read_to_string(dir.join("commands")).expect("commands readable");
        let seed: u64 = std::fs::read_to_string(dir.join("seed")).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(1);
        let got = transcript(seed, &script, dir);
        let expected_path = dir.join("expected");
        if update {
            std::fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            let first = got
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(got.lines().count().min(expected.lines().count()));
            failures.push(format!(
                "scenario {name} (seed {seed}) differs at line {}:\n  expected: {:?}\n  got:      {:?}",
                first + 1,
                expected.lines().nth(first).unwrap_or("<end>"),
                got.lines().nth(first).unwrap_or("<end>")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios differ (UPDATE_GOLDEN=1 to rewrite):\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
    println!("{} scenarios checked", dirs.len());
}
