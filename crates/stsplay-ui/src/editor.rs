//! The editor's logic: problems of a file against the cluster as it is now, applying a fix's text edits,
//! and YAML colouring by line. The page renders these as text nodes (never as HTML), so whatever a learner
//! types stays inert.

use stsplay_cluster::World;
use stsplay_model::lint::{self, ClusterContext};
use stsplay_model::problems::{Fix, Severity};

/// Files larger than this get one clear problem instead of an analysis (a 10 MB paste must not freeze typing).
pub const MAX_ANALYSED_BYTES: usize = stsplay_kubectl::terminal::MAX_MANIFEST_BYTES;
/// Colouring stops past this size (the text stays editable; it is just plain).
pub const MAX_HIGHLIGHT_BYTES: usize = 256 * 1024;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProblemView {
    pub error: bool,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub path: String,
    pub message: String,
    pub did_you_mean: Option<String>,
    pub fix: Option<Fix>,
}

impl ProblemView {
    /// "Error", "Warning" (the Problems list's items start with it).
    pub fn severity(&self) -> &'static str {
        if self.error {
            "Error"
        } else {
            "Warning"
        }
    }
}

/// The cluster facts the checks need (StorageClasses, volumes, Services, pod labels), from the live cluster.
pub fn context(w: &World) -> ClusterContext {
    ClusterContext::from_objects(
        w.store.list(stsplay_model::kinds::Kind::StorageClass, None).chain(
            w.store.list(stsplay_model::kinds::Kind::PersistentVolume, None).chain(
                w.store.list(stsplay_model::kinds::Kind::Service, None).chain(
                    w.store
                        .list(stsplay_model::kinds::Kind::StatefulSet, None)
                        .chain(w.store.list(stsplay_model::kinds::Kind::Pod, None)),
                ),
            ),
        ),
    )
}

/// All problems of `text`, sorted by position.
pub fn problems(text: &str, ctx: &ClusterContext) -> Vec<ProblemView> {
    if text.len() > MAX_ANALYSED_BYTES {
        return vec![ProblemView {
            error: true,
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
            path: String::new(),
            message: format!(
                "this file is too large to check or apply: {:.1} MB (the playground takes manifests up to {} MB)",
                text.len() as f64 / (1024.0 * 1024.0),
                MAX_ANALYSED_BYTES / (1024 * 1024)
            ),
            did_you_mean: None,
            fix: None,
        }];
    }
    lint::problems(text, ctx)
        .into_iter()
        .map(|p| ProblemView {
            error: p.severity == Severity::Error,
            line: p.line,
            column: p.column,
            end_line: p.end_line,
            end_column: p.end_column,
            path: p.path,
            message: p.message,
            did_you_mean: p.did_you_mean,
            fix: p.fix,
        })
        .collect()
}

/// Applies a fix's edits (byte ranges of the text the fix was computed for). None when an edit does not fit
/// the text any more (it changed since): the page then recomputes the problems instead.
pub fn apply_fix(text: &str, fix: &Fix) -> Option<String> {
    let mut edits: Vec<_> = fix.edits.iter().collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    let mut out = text.to_string();
    let mut floor = usize::MAX;
    for e in edits {
        if e.start > e.end || e.end > out.len() || e.end > floor {
            return None;
        }
        if !out.is_char_boundary(e.start) || !out.is_char_boundary(e.end) {
            return None;
        }
        out.replace_range(e.start..e.end, &e.new_text);
        floor = e.start;
    }
    Some(out)
}

/// A coloured piece of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Plain,
    Key,
    Comment,
    Str,
    Number,
    Punct,
    Marker,
}

impl Token {
    pub fn class(self) -> &'static str {
        match self {
            Token::Plain => "t-plain",
            Token::Key => "t-key",
            Token::Comment => "t-comment",
            Token::Str => "t-str",
            Token::Number => "t-num",
            Token::Punct => "t-punct",
            Token::Marker => "t-marker",
        }
    }
}

/// Splits one line of YAML into coloured pieces (a light lexer: keys, scalars, comments, document markers).
/// The pieces concatenate to the line exactly.
pub fn highlight_line(line: &str) -> Vec<(Token, &str)> {
    let mut out = Vec::new();
    if line.starts_with("---") || line.starts_with("...") {
        out.push((Token::Marker, line));
        return out;
    }
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    if indent > 0 {
        out.push((Token::Plain, &line[..indent]));
    }
    let mut rest = &line[indent..];
    // List markers.
    while let Some(r) = rest.strip_prefix("- ") {
        out.push((Token::Punct, "- "));
        rest = r;
    }
    if rest == "-" {
        out.push((Token::Punct, rest));
        return out;
    }
    if rest.starts_with('#') {
        out.push((Token::Comment, rest));
        return out;
    }
    // A key: text up to ": " or a trailing ":" outside quotes.
    if let Some(k) = key_end(rest) {
        out.push((Token::Key, &rest[..k]));
        out.push((Token::Punct, &rest[k..k + 1]));
        rest = &rest[k + 1..];
    }
    scalar(rest, &mut out);
    out
}

fn key_end(s: &str) -> Option<usize> {
    if s.starts_with(['"', '\'', '{', '[']) {
        return None;
    }
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'#' && i > 0 && b[i - 1] == b' ' {
            return None;
        }
        if c == b':' && (i + 1 == b.len() || b[i + 1] == b' ') {
            return Some(i);
        }
    }
    None
}

fn scalar<'a>(s: &'a str, out: &mut Vec<(Token, &'a str)>) {
    if s.is_empty() {
        return;
    }
    // Trailing comment.
    let b = s.as_bytes();
    let mut comment = None;
    let mut quote: Option<u8> = None;
    for (i, &c) in b.iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'#' && (i == 0 || b[i - 1] == b' ') => {
                comment = Some(i);
                break;
            }
            None => {}
        }
    }
    let (value, tail) = match comment {
        Some(i) => (&s[..i], Some(&s[i..])),
        None => (s, None),
    };
    let lead = value.len() - value.trim_start().len();
    if lead > 0 {
        out.push((Token::Plain, &value[..lead]));
    }
    let v = &value[lead..];
    let trimmed = v.trim_end();
    if !v.is_empty() {
        let tok = if trimmed.starts_with(['"', '\'']) {
            Token::Str
        } else if !trimmed.is_empty() && trimmed.parse::<f64>().is_ok() {
            Token::Number
        } else if matches!(trimmed, "true" | "false" | "null" | "~" | "|" | ">" | "|-" | ">-") {
            Token::Punct
        } else {
            Token::Str
        };
        out.push((tok, v));
    }
    if let Some(t) = tail {
        out.push((Token::Comment, t));
    }
}

/// The 1-based line and column (in characters) of byte offset `off` in `text`.
pub fn line_col(text: &str, off: usize) -> (u32, u32) {
    let off = off.min(text.len());
    let before = &text[..floor_boundary(text, off)];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) as u32 + 1;
    (line, col)
}

/// The byte offset of 1-based `line`, `column` (characters); clamps to the text.
pub fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u32 + 1 == line {
            let col = column.saturating_sub(1) as usize;
            return off + l.char_indices().nth(col).map(|(b, _)| b).unwrap_or(l.trim_end_matches('\n').len());
        }
        off += l.len();
    }
    text.len()
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use stsplay_model::problems::TextEdit;

    #[test]
    fn highlight_pieces_rebuild_the_line() {
        for line in [
            "apiVersion: apps/v1",
            "  - name: nginx # the web server",
            "    image: \"nginx:1.25\" # quoted",
            "  replicas: 3",
            "---",
            "# comment only",
            "- - a: b",
            "  command: [\"sh\", \"-c\"]",
            "url: http://example.com:8080/x",
            "中文: 值",
            "",
        ] {
            let pieces = highlight_line(line);
            let joined: String = pieces.iter().map(|(_, s)| *s).collect();
            assert_eq!(joined, line);
        }
        let p = highlight_line("  replicas: 3");
        assert!(p.contains(&(Token::Key, "replicas")));
        assert!(p.contains(&(Token::Number, "3")));
    }

    #[test]
    fn fixes_apply_back_to_front_and_refuse_stale_ranges() {
        let fix = Fix {
            title: "x".into(),
            edits: vec![
                TextEdit { start: 0, end: 1, new_text: "A".into() },
                TextEdit { start: 4, end: 5, new_text: "EE".into() },
            ],
        };
        assert_eq!(apply_fix("abcdef", &fix).unwrap(), "AbcdEEf");
        assert_eq!(apply_fix("ab", &fix), None);
        let multibyte = Fix { title: "y".into(), edits: vec![TextEdit { start: 1, end: 2, new_text: "x".into() }] };
        assert_eq!(apply_fix("中", &multibyte), None);
    }

    #[test]
    fn seed_manifest_has_errors_that_fixes_remove() {
        let seed = include_str!("../../stsplay-model/data/fixtures/stateful-demo.yaml");
        let w = World::new(1);
        let ctx = context(&w);
        let mut text = seed.to_string();
        let first = problems(&text, &ctx);
        assert!(first.iter().any(|p| p.error), "the seed has errors");
        // Apply fixes one at a time, as the learner clicks them, recomputing after each.
        for _ in 0..50 {
            let ps = problems(&text, &ctx);
            let Some(fix) = ps.iter().filter(|p| p.error).find_map(|p| p.fix.clone()) else { break };
            text = apply_fix(&text, &fix).expect("fresh fixes apply");
        }
        let left: Vec<_> = problems(&text, &ctx).into_iter().filter(|p| p.error).collect();
        assert!(left.is_empty(), "errors left after fixing: {left:?}");
    }

    #[test]
    fn huge_text_gets_one_clear_problem() {
        let big = "a: b\n".repeat(600_000);
        let ps = problems(&big, &ClusterContext::default());
        assert_eq!(ps.len(), 1);
        assert!(ps[0].message.contains("too large"));
    }

    #[test]
    fn line_col_and_offset_agree() {
        let t = "ab\n中文x\n\nz";
        for off in [0, 1, 3, 6, 9, 10, 11] {
            let (l, c) = line_col(t, off);
            assert_eq!(offset_of(t, l, c), off, "offset {off} -> {l}:{c}");
        }
    }
}
