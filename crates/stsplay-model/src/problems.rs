//! All structural problems of a manifest at once, for the editor.
//!
//! Where kubectl stops at the first error (YAML syntax, then the first type error, then the
//! unknown fields), [`structural_problems`] reports everything it can find in one pass, each
//! at its position, with Kubernetes field paths (with indexes), a learner-friendly message that
//! also quotes what `kubectl apply` will say, a "did you mean" and, where it is safe, a
//! machine-applicable [`Fix`].
//!
//! Semantic rules (selectors vs labels, names, ranges, ...) are not checked here; callers add
//! them with [`parse_manifest`] + [`problem_at_path`].

use std::collections::HashSet;

use serde_json::Value as Json;

use crate::decode::{self, check_value, Check, GoErrCtx};
use crate::schema::{self, FieldType, KindDef};
use crate::yaml::{self, DocChunk, Key, Node, Pos, Style, Value, YamlError};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// Replace the bytes `start..end` of the whole file text with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TextEdit {
    pub start: usize,
    pub end: usize,
    pub new_text: String,
}

/// A machine-applicable fix: apply all its edits together.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<TextEdit>,
}

/// One problem. Lines/columns are 1-based (columns in characters); the end is exclusive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// Index of the document chunk (see [`yaml::split_documents`]).
    pub document: usize,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    /// Kubernetes field path with indexes (`spec.template.spec.containers`), or "" for
    /// document-level problems.
    pub path: String,
    pub message: String,
    pub did_you_mean: Option<String>,
    pub fix: Option<Fix>,
}

/// A parsed document of a manifest.
#[derive(Clone, Debug)]
pub struct ParsedDoc {
    pub chunk: DocChunk,
    /// `Ok(None)` for empty documents (kubectl skips them).
    pub result: Result<Option<Node>, YamlError>,
}

impl ParsedDoc {
    /// The root node, if the document parsed and is not empty.
    pub fn root(&self) -> Option<&Node> {
        self.result.as_ref().ok().and_then(|r| r.as_ref())
    }

    /// The supported kind of this document, if apiVersion/kind name one.
    pub fn kind(&self) -> Option<&'static KindDef> {
        let root = self.root()?;
        let av = root.get("apiVersion")?.as_str()?;
        let k = root.get("kind")?.as_str()?;
        schema::schema().kind(av, k)
    }
}

/// Splits and parses every document.
pub fn parse_manifest(text: &str) -> Vec<ParsedDoc> {
    yaml::split_documents(text)
        .into_iter()
        .map(|chunk| {
            let result = yaml::parse_document(&chunk);
            ParsedDoc { chunk, result }
        })
        .collect()
}

/// A problem about `path` in `doc`: placed on the key of that field if it exists, on the node
/// for list items, or on the key of the nearest existing ancestor (e.g. for a missing field).
pub fn problem_at_path(doc: &ParsedDoc, path: &str, severity: Severity, message: String) -> Problem {
    let (start, end) = match doc.root() {
        Some(root) => {
            let (key, node, matched) = yaml::locate_nearest(root, path);
            if matched == 0 {
                // Nothing matched: the start of the document's first line.
                (root.start, line_end_of(root.start, &doc.chunk))
            } else {
                match key {
                    Some(k) if !k.synthetic => (k.start, k.end),
                    _ => (node.start, node_first_line_end(node)),
                }
            }
        }
        None => {
            let p = doc.chunk.file_pos(0);
            (p, line_end_of(p, &doc.chunk))
        }
    };
    make_problem(severity, doc.chunk.index, start, end, path, message, None, None)
}

#[allow(clippy::too_many_arguments)]
fn make_problem(
    severity: Severity,
    document: usize,
    start: Pos,
    end: Pos,
    path: &str,
    message: String,
    did_you_mean: Option<String>,
    fix: Option<Fix>,
) -> Problem {
    let end = if end.offset < start.offset { start } else { end };
    Problem {
        severity,
        document,
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        path: path.to_string(),
        message,
        did_you_mean,
        fix,
    }
}

/// End of the line containing `p` (using the chunk text).
fn line_end_of(p: Pos, chunk: &DocChunk) -> Pos {
    // Find the chunk offset of p by scanning positions line by line.
    let text = &chunk.text;
    let mut off = 0usize;
    for line in text.split_inclusive('\n') {
        let start = chunk.file_pos(off);
        if start.line == p.line {
            let content = line.trim_end_matches('\n');
            return chunk.file_pos(off + content.len());
        }
        off += line.len();
    }
    p
}

fn node_first_line_end(node: &Node) -> Pos {
    if node.end.line == node.start.line {
        node.end
    } else {
        Pos { line: node.start.line, column: node.start.column + 1, offset: node.start.offset + 1 }
    }
}

/// Finds "did you mean" candidates: a case-insensitive match, else the unique closest name by
/// optimal-string-alignment distance (transpositions count 1) within a length-dependent limit.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lw = word.to_lowercase();
    let limit = (word.chars().count() / 4).clamp(1, 3);
    let mut best: Option<(&'a str, usize)> = None;
    let mut tie = false;
    for c in candidates {
        if c == word {
            continue;
        }
        let lc = c.to_lowercase();
        if lc == lw {
            return Some(c);
        }
        // The distance is at least the length difference: skip the DP when that is too big.
        if lw.chars().count().abs_diff(lc.chars().count()) > limit || lw.len() > 128 {
            continue;
        }
        let d = osa_distance(&lw, &lc);
        if d <= limit {
            match best {
                Some((_, bd)) if d > bd => {}
                Some((_, bd)) if d == bd => tie = true,
                _ => {
                    best = Some((c, d));
                    tie = false;
                }
            }
        }
    }
    if tie {
        return None;
    }
    best.map(|(c, _)| c)
}

fn osa_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(200).collect();
    let b: Vec<char> = b.chars().take(200).collect();
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[n][m]
}

/// Applies non-overlapping edits (in any order) to `text`. Fails on overlapping or
/// out-of-range edits or edits that split a UTF-8 character.
pub fn apply_edits(text: &str, edits: &[TextEdit]) -> Result<String, String> {
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.start, e.end));
    let mut last_end = 0usize;
    for e in &sorted {
        if e.start > e.end || e.end > text.len() {
            return Err(format!("edit {}..{} out of range", e.start, e.end));
        }
        if !text.is_char_boundary(e.start) || !text.is_char_boundary(e.end) {
            return Err(format!("edit {}..{} splits a character", e.start, e.end));
        }
        if e.start < last_end {
            return Err(format!("edit {}..{} overlaps another edit", e.start, e.end));
        }
        last_end = e.end;
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for e in sorted {
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.new_text);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

/// Applies every fix of `problems` whose edits do not overlap an earlier applied fix.
pub fn apply_all_fixes(text: &str, problems: &[Problem]) -> String {
    let mut chosen: Vec<TextEdit> = Vec::new();
    for p in problems {
        let Some(fix) = &p.fix else { continue };
        let overlaps = fix
            .edits
            .iter()
            .any(|e| chosen.iter().any(|c| e.start < c.end.max(c.start + 1) && c.start < e.end.max(e.start + 1)));
        if !overlaps {
            chosen.extend(fix.edits.iter().cloned());
        }
    }
    apply_edits(text, &chosen).unwrap_or_else(|_| text.to_string())
}

/// All structural problems of a manifest text (YAML syntax, apiVersion/kind, type errors,
/// unknown fields, duplicate keys), sorted by position.
pub fn structural_problems(text: &str) -> Vec<Problem> {
    let docs = parse_manifest(text);
    let mut out = Vec::new();
    let mut fix_budget = FIX_CHECK_BUDGET;
    for doc in &docs {
        if out.len() >= MAX_PROBLEMS {
            break;
        }
        document_problems(text, doc, &mut out, &mut fix_budget);
    }
    out.truncate(MAX_PROBLEMS);
    out.sort_by_key(|p| (p.document, p.line, p.column));
    out
}

fn document_problems(text: &str, doc: &ParsedDoc, out: &mut Vec<Problem>, fix_budget: &mut usize) {
    let idx = doc.chunk.index;
    let root = match &doc.result {
        Err(e) => {
            out.push(yaml_error_problem(idx, e, &doc.chunk));
            return;
        }
        Ok(None) => return,
        Ok(Some(root)) => root,
    };
    let Value::Map(_) = &root.value else {
        out.push(make_problem(
            Severity::Error,
            idx,
            root.start,
            node_first_line_end(root),
            "",
            format!(
                "This document is a {} but a Kubernetes object must be a mapping with apiVersion, kind and metadata. kubectl apply fails to decode it.",
                human_kind(root)
            ),
            None,
            None,
        ));
        return;
    };
    let mut w = Walker {
        text,
        doc: idx,
        out,
        schema_problems: Vec::new(),
        chunk_range: (doc.chunk.start_offset, doc.chunk.end_offset),
        fix_budget: *fix_budget,
    };
    // Duplicate keys and apiVersion/kind first.
    let Some(kind_def) = w.check_kind(doc, root) else {
        // Still report duplicate keys at the top level.
        w.duplicates(root, "");
        *fix_budget = w.fix_budget;
        return;
    };
    let mut ctx = GoErrCtx::default();
    let mut path = String::new();
    w.walk(root, &FieldType::Object(kind_def.type_key.clone()), None, &mut ctx, &mut path, 0);
    *fix_budget = w.fix_budget;
    // kubectl shows one error at a time: the first type error (in sorted key order), and the
    // unknown fields only once there is no type error left. Say so on the others.
    if w.schema_problems.iter().any(|(_, is_type)| *is_type) {
        let first = match decode::decode(
            &kind_def.api_version,
            &kind_def.kind,
            &root.to_json(),
            decode::FieldValidation::Strict,
        ) {
            Err(decode::DecodeError::Type { path, .. }) => Some(path),
            _ => None,
        };
        for (i, is_type) in std::mem::take(&mut w.schema_problems) {
            let Some(p) = w.out.get_mut(i) else { continue };
            if is_type {
                if let Some(first) = first.as_deref() {
                    if p.path != first {
                        p.message.push_str(&format!(
                            " (kubectl reports one type error at a time: it shows this one once `{first}` is fixed.)"
                        ));
                    }
                }
            } else {
                p.message.push_str(" (kubectl reports unknown fields only once the type errors are fixed.)");
            }
        }
    }
}

fn yaml_error_problem(document: usize, e: &YamlError, chunk: &DocChunk) -> Problem {
    let friendly = friendly_yaml(&e.message);
    let message = match e.kind {
        yaml::YamlErrorKind::Separator => format!(
            "Invalid document separator: `---` may only be followed by a comment. kubectl apply stops here with: {}",
            e.message
        ),
        _ => format!(
            "YAML syntax error{friendly}. kubectl apply stops before sending anything from this document on, with: error converting YAML to JSON: {}",
            e.message
        ),
    };
    make_problem(Severity::Error, document, e.pos, line_end_of(e.pos, chunk), "", message, None, None)
}

fn friendly_yaml(msg: &str) -> &'static str {
    if msg.contains("mapping values are not allowed") {
        ": a `key: value` appears where YAML does not expect one (often a missing space after `-`, a colon inside an unquoted value, or wrong indentation)"
    } else if msg.contains("did not find expected key") {
        ": the indentation does not line up with the keys above (check this line and the one before)"
    } else if msg.contains("found character that cannot start any token") {
        ": a character that cannot start a value here (tabs are not allowed for indentation)"
    } else if msg.contains("could not find expected ':'") {
        ": a key without `:` (or an unclosed quote)"
    } else if msg.contains("did not find expected '-' indicator") {
        ": a list item is not aligned with the other `- ` items"
    } else if msg.contains("excessive aliasing") {
        ": aliases expand to too much data"
    } else if msg.contains("unknown anchor") {
        ": an alias `*name` refers to an anchor `&name` that is not defined before it"
    } else {
        ""
    }
}

fn human_kind(n: &Node) -> &'static str {
    match n.value {
        Value::Null => "null value",
        Value::Bool(_) => "boolean",
        Value::Int(_) | Value::Float(_) => "number",
        Value::Str(_) => "string",
        Value::Seq(_) => "list",
        Value::Map(_) => "mapping",
    }
}

fn json_kind_human(v: &str) -> &str {
    match v {
        "object" => "a mapping",
        "array" => "a list",
        "string" => "a string",
        "bool" => "a boolean",
        "null" => "null",
        other if other.starts_with("number") => "a number",
        _ => "a value of another type",
    }
}

fn expected_human(ty: &FieldType) -> String {
    let s = schema::schema();
    match ty {
        FieldType::String { .. } => "a string".into(),
        FieldType::Int32 => "a whole number (int32)".into(),
        FieldType::Int64 => "a whole number (int64)".into(),
        FieldType::Float64 => "a number".into(),
        FieldType::Bool => "true or false".into(),
        FieldType::Bytes => "a base64 string".into(),
        FieldType::Quantity => "a quantity such as 128Mi, 1Gi, 500m or 2".into(),
        FieldType::IntOrString => "a number or a string (for example 80 or \"http\")".into(),
        FieldType::Time | FieldType::MicroTime => "an RFC 3339 time such as 2024-01-01T00:00:00Z".into(),
        FieldType::Any => "any value".into(),
        FieldType::Array(inner) => format!("a list (of {})", s.go_type(inner)),
        FieldType::Map { value, .. } => format!("a mapping of names to {}", expected_human(value)),
        FieldType::Object(_) => format!("a mapping ({})", s.go_type(ty)),
    }
}

struct Walker<'t, 'o> {
    text: &'t str,
    doc: usize,
    out: &'o mut Vec<Problem>,
    /// (index into `out`, is a type error) of the schema problems of this document.
    schema_problems: Vec<(usize, bool)>,
    /// File byte range of the document (fix edits must stay inside).
    chunk_range: (usize, usize),
    /// Bytes that fix verification may still re-parse.
    fix_budget: usize,
}

const MAX_WALK_DEPTH: usize = 256;
/// At most this many problems are reported per call (a huge broken file must stay fast).
pub const MAX_PROBLEMS: usize = 2000;
/// Fixes are verified by re-parsing their document; this bounds the total bytes re-parsed
/// per call of [`structural_problems`] (beyond it no more fixes are offered).
const FIX_CHECK_BUDGET: usize = 64 << 20;

impl Walker<'_, '_> {
    fn push(
        &mut self,
        severity: Severity,
        span: (Pos, Pos),
        path: &str,
        message: String,
        did_you_mean: Option<String>,
        fix: Option<Fix>,
    ) {
        if self.out.len() >= MAX_PROBLEMS {
            return;
        }
        let fix = fix.filter(|f| self.fix_keeps_yaml_valid(f));
        self.out.push(make_problem(severity, self.doc, span.0, span.1, path, message, did_you_mean, fix));
    }

    /// Checks apiVersion and kind; returns the kind definition when supported.
    fn check_kind(&mut self, doc: &ParsedDoc, root: &Node) -> Option<&'static KindDef> {
        let s = schema::schema();
        let supported: Vec<String> = s.kinds().iter().map(|k| k.kind.clone()).collect();
        let av = root.get_entry("apiVersion");
        let kind = root.get_entry("kind");
        let av_str = av.and_then(|(_, v)| v.as_str());
        let kind_str = kind.and_then(|(_, v)| v.as_str());
        let doc_span = (root.start, line_end_of(root.start, &doc.chunk));
        let Some(kind_name) = kind_str else {
            let (span, msg) = match kind {
                Some((k, v)) => (
                    (k.start, k.end),
                    format!(
                        "`kind` must be a string, but it is {}. kubectl cannot tell what object this is.",
                        human_kind(v)
                    ),
                ),
                None => (
                    doc_span,
                    format!(
                        "Missing `kind`: every object needs `apiVersion` and `kind` (this playground supports: {}). kubectl apply fails with: Object 'Kind' is missing in '...'",
                        supported.join(", ")
                    ),
                ),
            };
            self.push(Severity::Error, span, "kind", msg, None, None);
            return None;
        };
        let Some(av_name) = av_str else {
            let known = s.kinds().iter().find(|k| k.kind == kind_name);
            let (span, msg) = match av {
                Some((k, v)) => {
                    ((k.start, k.end), format!("`apiVersion` must be a string, but it is {}.", human_kind(v)))
                }
                None => (
                    kind.map(|(k, _)| (k.start, k.end)).unwrap_or(doc_span),
                    format!(
                        "Missing `apiVersion`{}. kubectl apply fails with: Object 'apiVersion' is missing in '...'",
                        known
                            .map(|k| format!(" ({} objects use `apiVersion: {}`)", k.kind, k.api_version))
                            .unwrap_or_default()
                    ),
                ),
            };
            self.push(Severity::Error, span, "apiVersion", msg, known.map(|k| k.api_version.clone()), None);
            return None;
        };
        if let Some(k) = s.kind(av_name, kind_name) {
            return Some(k);
        }
        // Right kind, wrong apiVersion?
        if let Some(k) = s.kinds().iter().find(|k| k.kind == kind_name) {
            let (ak, avn) = av?;
            let fix = self.replace_scalar_fix(avn, &k.api_version, &format!("Use apiVersion {}", k.api_version));
            self.push(
                Severity::Error,
                (avn.start, avn.end.max(ak.end)),
                "apiVersion",
                format!(
                    "{} is not served as `{}`; use `apiVersion: {}`. kubectl apply fails with: resource mapping not found for name: ... no matches for kind \"{}\" in version \"{}\" (ensure CRDs are installed first)",
                    k.kind, av_name, k.api_version, kind_name, av_name
                ),
                Some(k.api_version.clone()),
                fix,
            );
            return None;
        }
        let (kk, kv) = kind?;
        let suggestion = did_you_mean(kind_name, s.kinds().iter().map(|k| k.kind.as_str()));
        let fix = suggestion.and_then(|sug| {
            let mut fix = self.replace_scalar_fix(kv, sug, &format!("Change kind to {sug}"))?;
            // also fix the apiVersion if it does not match the suggested kind
            if let (Some(def), Some((_, avn))) = (s.kinds().iter().find(|k| k.kind == sug), av) {
                if def.api_version != av_name {
                    if let Some(f2) = self.replace_scalar_fix(avn, &def.api_version, "") {
                        fix.edits.extend(f2.edits);
                    }
                }
            }
            Some(fix)
        });
        let msg = if suggestion.is_some() {
            format!(
                "Unknown kind `{kind_name}`. kubectl apply fails with: no matches for kind \"{kind_name}\" in version \"{av_name}\" (ensure CRDs are installed first)"
            )
        } else {
            format!(
                "Kind `{kind_name}` is not supported by this playground (supported: {}). A real cluster answers: no matches for kind \"{kind_name}\" in version \"{av_name}\" if the kind does not exist.",
                supported.join(", ")
            )
        };
        self.push(Severity::Error, (kv.start, kv.end.max(kk.end)), "kind", msg, suggestion.map(str::to_string), fix);
        None
    }

    /// A fix is only offered if its document still parses after applying it (re-parsing just
    /// that document, within a total work budget).
    fn fix_keeps_yaml_valid(&mut self, fix: &Fix) -> bool {
        let (start, end) = self.chunk_range;
        if fix.edits.iter().any(|e| e.start < start || e.end > end) {
            return false;
        }
        let Some(original) = self.text.get(start..end) else {
            return false;
        };
        if self.fix_budget < original.len() {
            return false;
        }
        self.fix_budget -= original.len();
        let shifted: Vec<TextEdit> = fix
            .edits
            .iter()
            .map(|e| TextEdit { start: e.start - start, end: e.end - start, new_text: e.new_text.clone() })
            .collect();
        let Ok(fixed) = apply_edits(original, &shifted) else {
            return false;
        };
        yaml::parse_document(&DocChunk::from_text(&fixed)).is_ok()
    }

    /// Replaces a scalar node's text with `new_value` (plain) when it is safe.
    fn replace_scalar_fix(&self, node: &Node, new_value: &str, title: &str) -> Option<Fix> {
        if node.from_alias || node.start.line != node.end.line || matches!(node.value, Value::Seq(_) | Value::Map(_)) {
            return None;
        }
        let new_text = match node.style {
            Style::DoubleQuoted => serde_json::to_string(new_value).ok()?,
            Style::SingleQuoted => format!("'{}'", new_value.replace('\'', "''")),
            _ => new_value.to_string(),
        };
        Some(Fix {
            title: title.to_string(),
            edits: vec![TextEdit { start: node.start.offset, end: node.end.offset, new_text }],
        })
    }

    /// Warnings for earlier duplicates of keys in a mapping.
    fn duplicates(&mut self, node: &Node, path: &str) {
        let Value::Map(entries) = &node.value else {
            return;
        };
        let effective: HashSet<*const Key> =
            node.effective_entries().into_iter().map(|(k, _)| k as *const Key).collect();
        for (k, _) in entries {
            if effective.contains(&(k as *const Key)) || k.synthetic {
                continue;
            }
            let Some((last, _)) = node.get_entry(&k.name) else {
                continue;
            };
            if last.synthetic {
                continue;
            }
            let p = join_path(path, &k.name);
            self.push(
                Severity::Warning,
                (k.start, k.end),
                &p,
                format!(
                    "Duplicate key `{}`: kubectl silently keeps only the last one (line {}), so this value is ignored.",
                    k.name, last.start.line
                ),
                None,
                None,
            );
        }
    }

    fn walk(
        &mut self,
        node: &Node,
        ty: &FieldType,
        key: Option<&Key>,
        ctx: &mut GoErrCtx,
        path: &mut String,
        depth: usize,
    ) {
        if depth > MAX_WALK_DEPTH || self.out.len() >= MAX_PROBLEMS {
            return;
        }
        let probe = shallow_json(node);
        let check = check_value(ty, &probe);
        if check != Check::Ok {
            self.type_problem(node, ty, key, &check, ctx, path);
            return;
        }
        match (ty, &node.value) {
            (FieldType::Array(inner), Value::Seq(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    self.walk(item, inner, None, ctx, path, depth + 1);
                    path.truncate(len);
                }
            }
            (FieldType::Map { value, .. }, Value::Map(_)) => {
                self.duplicates(node, path);
                for (k, v) in node.effective_entries() {
                    let len = path.len();
                    // Map keys are written like Kubernetes field paths: labels[app].
                    path.push_str(&format!("[{}]", k.name));
                    self.walk(v, value, Some(k), ctx, path, depth + 1);
                    path.truncate(len);
                }
            }
            (FieldType::Object(type_key), Value::Map(_)) => {
                let Some(td) = schema::schema().type_def(type_key) else {
                    return;
                };
                self.duplicates(node, path);
                for (k, v) in node.effective_entries() {
                    let len = path.len();
                    push_field(path, &k.name);
                    match td.field(&k.name) {
                        Some(f) => {
                            let saved = ctx.struct_name.replace(td.struct_name.clone());
                            ctx.field_stack.push(k.name.clone());
                            self.walk(v, &f.ty, Some(k), ctx, path, depth + 1);
                            ctx.field_stack.pop();
                            ctx.struct_name = saved;
                        }
                        None => self.unknown_field(node, td, k, v, path),
                    }
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }

    fn span_of(&self, node: &Node, key: Option<&Key>) -> (Pos, Pos) {
        match key {
            Some(k) if !k.synthetic => (k.start, k.end),
            _ => (node.start, node_first_line_end(node)),
        }
    }

    fn type_problem(
        &mut self,
        node: &Node,
        ty: &FieldType,
        key: Option<&Key>,
        check: &Check,
        ctx: &GoErrCtx,
        path: &str,
    ) {
        let kubectl = check.message(ctx).unwrap_or_default();
        let name = key.map(|k| format!("`{}`", k.name)).unwrap_or_else(|| "This list item".into());
        let got = match check {
            Check::Mismatch { value, .. } | Check::AbortTyped { value, .. } => json_kind_human(value).to_string(),
            _ => human_kind(node).to_string(),
        };
        let mut extra = String::new();
        let mut fix = None;
        match (ty, &node.value) {
            (FieldType::Array(_), Value::Map(_)) => {
                extra = " Write it as a list: start the item with `- `.".into();
                fix = self.map_to_list_fix(node, key);
            }
            (FieldType::String { .. }, Value::Bool(_) | Value::Int(_) | Value::Float(_)) => {
                let raw = self.raw(node);
                extra = format!(
                    " Unquoted `{raw}` is read as {}{}. Put it in quotes: \"{raw}\".",
                    human_kind(node),
                    if matches!(node.value, Value::Bool(_)) {
                        " (YAML 1.1 reads yes/no/on/off/true/false/y/n unquoted as booleans)"
                    } else {
                        ""
                    }
                );
                fix = self.quote_fix(node);
            }
            (FieldType::Int32 | FieldType::Int64, Value::Str(s)) if s.trim().parse::<i64>().is_ok() => {
                extra = format!(" Write the number without quotes: {}.", s.trim());
                fix = self.unquote_fix(node, ty);
            }
            (FieldType::Int32 | FieldType::Int64, Value::Float(_)) => {
                extra = " It must be a whole number.".into();
            }
            (FieldType::Int32, Value::Int(_)) => {
                extra = " The number is too large for a 32-bit integer.".into();
            }
            _ => {}
        }
        let message = match check {
            Check::AbortPlain(_) | Check::SavedPlain(_) => {
                format!("{name} must be {}.{extra} kubectl apply fails with: {kubectl}", expected_human(ty))
            }
            _ => format!(
                "{name} must be {}, but {got} was written.{extra} kubectl apply fails with: {kubectl}",
                expected_human(ty)
            ),
        };
        let span = self.span_of(node, key);
        self.schema_problems.push((self.out.len(), true));
        self.push(Severity::Error, span, path, message, None, fix);
    }

    fn unknown_field(&mut self, parent: &Node, td: &schema::TypeDef, k: &Key, v: &Node, path: &str) {
        let suggestion = did_you_mean(&k.name, td.field_names());
        let mut fix = None;
        let mut also = String::new();
        if let Some(sug) = suggestion {
            let taken = parent.get(sug).is_some();
            if !k.synthetic && !taken && matches!(k.style, Style::Plain | Style::SingleQuoted | Style::DoubleQuoted) {
                let mut edits = vec![TextEdit { start: k.start.offset, end: k.end.offset, new_text: sug.to_string() }];
                let mut title = format!("Rename to {sug}");
                if let Some(f) = td.field(sug) {
                    if matches!(f.ty, FieldType::Array(_)) && matches!(v.value, Value::Map(_)) {
                        also = format!(" Note that `{sug}` is a list: the mapping below must become a list item too.");
                        if let Some(list_fix) = self.map_to_list_fix(v, Some(k)) {
                            edits.extend(list_fix.edits);
                            title = format!("Rename to {sug} and make its value a list");
                        }
                    }
                }
                fix = Some(Fix { title, edits });
            }
        }
        let dym = suggestion.map(|s| format!(" Did you mean `{s}`?")).unwrap_or_default();
        let message = format!(
            "Unknown field `{}` in {}.{dym}{also} kubectl apply (default --validate=strict) fails with: strict decoding error: unknown field \"{path}\" (with --validate=warn the field is dropped with a warning)",
            k.name, td.struct_name
        );
        self.schema_problems.push((self.out.len(), false));
        self.push(Severity::Error, (k.start, k.end), path, message, suggestion.map(str::to_string), fix);
    }

    /// The source text of a node (single line).
    fn raw(&self, node: &Node) -> String {
        self.text.get(node.start.offset..node.end.offset).unwrap_or("").to_string()
    }

    fn quote_fix(&self, node: &Node) -> Option<Fix> {
        if node.from_alias || node.style != Style::Plain || node.start.line != node.end.line {
            return None;
        }
        let raw = self.raw(node);
        if raw.is_empty() || raw.contains('\n') {
            return None;
        }
        Some(Fix {
            title: format!("Quote as \"{raw}\""),
            edits: vec![TextEdit {
                start: node.start.offset,
                end: node.end.offset,
                new_text: serde_json::to_string(&raw).ok()?,
            }],
        })
    }

    fn unquote_fix(&self, node: &Node, ty: &FieldType) -> Option<Fix> {
        let Value::Str(s) = &node.value else {
            return None;
        };
        if node.from_alias || node.start.line != node.end.line {
            return None;
        }
        let n: i64 = s.trim().parse().ok()?;
        if matches!(ty, FieldType::Int32) && i32::try_from(n).is_err() {
            return None;
        }
        Some(Fix {
            title: format!("Write {n} without quotes"),
            edits: vec![TextEdit { start: node.start.offset, end: node.end.offset, new_text: n.to_string() }],
        })
    }

    /// Turns a mapping into a one-item list: a flow mapping `{..}` gets wrapped in `[..]`; a
    /// block mapping that starts on the line after its key gets `- ` before its first key and
    /// its other lines indented by two spaces.
    fn map_to_list_fix(&self, node: &Node, key: Option<&Key>) -> Option<Fix> {
        let Value::Map(entries) = &node.value else {
            return None;
        };
        if node.from_alias || entries.is_empty() || entries.iter().any(|(k, _)| k.synthetic) {
            return None;
        }
        let title = "Make it a one-item list".to_string();
        if node.flow {
            return Some(Fix {
                title,
                edits: vec![
                    TextEdit { start: node.start.offset, end: node.start.offset, new_text: "[".into() },
                    TextEdit { start: node.end.offset, end: node.end.offset, new_text: "]".into() },
                ],
            });
        }
        let key = key?;
        let first = entries.iter().map(|(k, _)| k.start).min()?;
        if first.line <= key.end.line {
            return None;
        }
        let last_line = content_last_line(node);
        // Lines are counted on '\n' here; YAML also breaks lines at a lone '\r', NEL, LS, PS.
        let region = self.text.get(first.offset..node.end.offset.max(first.offset))?;
        if region.contains(['\u{85}', '\u{2028}', '\u{2029}'])
            || region.match_indices('\r').any(|(i, _)| !region[i + 1..].starts_with('\n'))
        {
            return None;
        }
        let mut edits = vec![TextEdit { start: first.offset, end: first.offset, new_text: "- ".into() }];
        // Offsets of the starts of lines first.line+1 ..= last_line.
        let mut off = first.offset;
        let mut line = first.line;
        while line < last_line {
            let rest = self.text.get(off..)?;
            let nl = rest.find('\n')?;
            off += nl + 1;
            line += 1;
            let this_line = self.text.get(off..).unwrap_or("");
            let content = this_line.split('\n').next().unwrap_or("");
            if !content.trim().is_empty() {
                edits.push(TextEdit { start: off, end: off, new_text: "  ".into() });
            }
        }
        Some(Fix { title, edits })
    }
}

/// The last line that holds content of a node (block collection ends point at the next token).
fn content_last_line(node: &Node) -> u32 {
    match &node.value {
        Value::Seq(items) if !node.flow => items.iter().map(content_last_line).max().unwrap_or(node.start.line),
        Value::Map(entries) if !node.flow => {
            entries.iter().map(|(k, v)| k.end.line.max(content_last_line(v))).max().unwrap_or(node.start.line)
        }
        _ => {
            if node.end.line > node.start.line && node.end.column == 1 {
                node.end.line - 1
            } else {
                node.end.line
            }
        }
    }
}

/// A JSON value with the node's kind, without converting its children.
fn shallow_json(node: &Node) -> Json {
    match &node.value {
        Value::Seq(_) => Json::Array(Vec::new()),
        Value::Map(_) => Json::Object(serde_json::Map::new()),
        _ => node.to_json(),
    }
}

fn push_field(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
}

fn join_path(path: &str, name: &str) -> String {
    let mut p = path.to_string();
    push_field(&mut p, name);
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, DecodeError, FieldValidation};

    const SEED: &str = include_str!("../data/fixtures/stateful-demo.yaml");
    const FIXED: &str = include_str!("../data/fixtures/stateful-demo-fixed.yaml");

    fn docs_json(text: &str) -> Vec<Json> {
        parse_manifest(text).iter().filter_map(|d| d.root().map(Node::to_json)).collect()
    }

    #[test]
    fn seed_problems() {
        let problems = structural_problems(SEED);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        let c = &problems[0];
        assert_eq!(c.severity, Severity::Error);
        assert_eq!(c.document, 1);
        assert_eq!((c.line, c.column, c.end_line, c.end_column), (30, 7, 30, 17));
        assert_eq!(c.path, "spec.template.spec.containers");
        assert!(c.message.contains("json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container"), "{}", c.message);
        assert!(c.fix.is_some());
        let v = &problems[1];
        assert_eq!((v.line, v.column, v.end_line, v.end_column), (39, 3, 39, 23));
        assert_eq!(v.path, "spec.volumeClaimTemolates");
        assert_eq!(v.did_you_mean.as_deref(), Some("volumeClaimTemplates"));
        assert!(v.message.contains("strict decoding error: unknown field \"spec.volumeClaimTemolates\""));
        assert!(v.fix.as_ref().unwrap().title.contains("list"));
        assert!(structural_problems(FIXED).is_empty(), "{:#?}", structural_problems(FIXED));
    }

    #[test]
    fn seed_fixes_give_the_corrected_manifest() {
        let problems = structural_problems(SEED);
        // each fix alone re-parses and removes its problem
        for p in &problems {
            let fixed = apply_edits(SEED, &p.fix.as_ref().unwrap().edits).unwrap();
            let again = structural_problems(&fixed);
            assert!(again.iter().all(|q| q.path != p.path), "{again:#?}\n{fixed}");
            assert!(parse_manifest(&fixed).iter().all(|d| d.result.is_ok()));
        }
        let all = apply_all_fixes(SEED, &problems);
        assert!(structural_problems(&all).is_empty(), "{all}");
        assert_eq!(docs_json(&all), docs_json(FIXED));
        assert!(all.contains("      containers:\n        - name: myapp\n          image: ikubernetes/myapp:v1\n"));
    }

    #[test]
    fn kubectl_decode_error_for_seed() {
        let docs = parse_manifest(SEED);
        assert_eq!(docs.len(), 2);
        let svc = docs[0].root().unwrap().to_json();
        assert!(decode("v1", "Service", &svc, FieldValidation::Strict).is_ok());
        let sts = docs[1].root().unwrap().to_json();
        match decode("apps/v1", "StatefulSet", &sts, FieldValidation::Strict) {
            Err(DecodeError::Type { message, path }) => {
                assert_eq!(message, "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container");
                assert_eq!(path, "spec.template.spec.containers");
            }
            other => panic!("{other:?}"),
        }
        // Fixing only the containers reveals the unknown field.
        let containers_fix = structural_problems(SEED)
            .into_iter()
            .find(|p| p.path == "spec.template.spec.containers")
            .and_then(|p| p.fix)
            .unwrap();
        let half = apply_edits(SEED, &containers_fix.edits).unwrap();
        let sts = parse_manifest(&half)[1].root().unwrap().to_json();
        match decode("apps/v1", "StatefulSet", &sts, FieldValidation::Strict) {
            Err(DecodeError::Strict { message, .. }) => {
                assert_eq!(message, "strict decoding error: unknown field \"spec.volumeClaimTemolates\"")
            }
            other => panic!("{other:?}"),
        }
        let d = decode("apps/v1", "StatefulSet", &sts, FieldValidation::Warn).unwrap();
        assert_eq!(d.warnings, vec!["unknown field \"spec.volumeClaimTemolates\""]);
        let fixed = docs_json(FIXED);
        assert!(decode("apps/v1", "StatefulSet", &fixed[1], FieldValidation::Strict).is_ok());
    }

    #[test]
    fn did_you_mean_cases() {
        let spec = schema::schema().type_def("apps.v1.StatefulSetSpec").unwrap();
        assert_eq!(did_you_mean("volumeClaimTemolates", spec.field_names()), Some("volumeClaimTemplates"));
        assert_eq!(did_you_mean("repplicas", spec.field_names()), Some("replicas"));
        assert_eq!(did_you_mean("Replicas", spec.field_names()), Some("replicas"));
        assert_eq!(did_you_mean("rpelicas", spec.field_names()), Some("replicas"));
        assert_eq!(did_you_mean("servicename", spec.field_names()), Some("serviceName"));
        assert_eq!(did_you_mean("banana", spec.field_names()), None);
        let port = schema::schema().type_def("core.v1.ContainerPort").unwrap();
        assert_eq!(did_you_mean("containerport", port.field_names()), Some("containerPort"));
    }

    #[test]
    fn several_problems_at_once() {
        let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\n  labels:\n    enabled: true\nspec:\n  repplicas: 3\n  replicas: \"3\"\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        imagee: nginx\n        ports:\n        - containerport: 80\n        resources:\n          limits:\n            memory: 1 Gi\n";
        let problems = structural_problems(text);
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "metadata.labels[enabled]",
                "spec.repplicas",
                "spec.replicas",
                "spec.template.spec.containers[0].imagee",
                "spec.template.spec.containers[0].ports[0].containerport",
                "spec.template.spec.containers[0].resources.limits[memory]",
            ],
            "{problems:#?}"
        );
        let label = &problems[0];
        assert!(label
            .message
            .contains("json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string"));
        assert_eq!(label.fix.as_ref().unwrap().edits[0].new_text, "\"true\"");
        assert_eq!(problems[1].did_you_mean.as_deref(), Some("replicas"));
        // renaming repplicas would duplicate replicas: no fix
        assert!(problems[1].fix.is_none());
        assert_eq!(problems[2].fix.as_ref().unwrap().edits[0].new_text, "3");
        assert_eq!(problems[4].did_you_mean.as_deref(), Some("containerPort"));
        assert!(problems[5].message.contains("quantities must match the regular expression"));
        // fixes re-parse
        for p in &problems {
            if let Some(f) = &p.fix {
                let t = apply_edits(text, &f.edits).unwrap();
                assert!(parse_manifest(&t).iter().all(|d| d.result.is_ok()), "{t}");
            }
        }
        let all = apply_all_fixes(text, &problems);
        let left: Vec<String> = structural_problems(&all).into_iter().map(|p| p.path).collect();
        assert_eq!(
            left,
            vec![
                "spec.repplicas",
                "spec.template.spec.containers[0].imagee",
                "spec.template.spec.containers[0].resources.limits[memory]"
            ]
        );
    }

    #[test]
    fn valid_fields_have_no_problems() {
        let text = r#"apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  labels: {app: web, tier: "1"}
  annotations:
    note: "yes"
spec:
  serviceName: web
  replicas: 2
  podManagementPolicy: Parallel
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      partition: 0
      maxUnavailable: 1
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Retain
    whenScaled: Delete
  minReadySeconds: 5
  ordinals:
    start: 0
  selector:
    matchLabels:
      app: web
    matchExpressions:
    - {key: tier, operator: In, values: ["1", "2"]}
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 10
      securityContext:
        runAsUser: 1000
        runAsNonRoot: true
        fsGroup: 2000
      initContainers:
      - name: init
        image: busybox:1.36
        command: ["sh", "-c", "echo init"]
      containers:
      - name: nginx
        image: registry.k8s.io/nginx-slim:0.8
        imagePullPolicy: IfNotPresent
        args: [--port, "80"]
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: MODE
          value: "on"
        ports:
        - containerPort: 80
          name: web
          protocol: TCP
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
          limits:
            cpu: 1
            memory: 1Gi
        livenessProbe:
          httpGet:
            path: /healthz
            port: web
          initialDelaySeconds: 3
          periodSeconds: 10
        readinessProbe:
          tcpSocket:
            port: 80
        startupProbe:
          exec:
            command: [cat, /tmp/ready]
          failureThreshold: 30
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: [ALL]
        volumeMounts:
        - name: www
          mountPath: /usr/share/nginx/html
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - labelSelector:
              matchExpressions:
              - key: app
                operator: In
                values: [web]
            topologyKey: kubernetes.io/hostname
        nodeAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 1
            preference:
              matchExpressions:
              - {key: disktype, operator: In, values: [ssd]}
      tolerations:
      - key: node.kubernetes.io/not-ready
        operator: Exists
        effect: NoExecute
        tolerationSeconds: 300
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: zone
        whenUnsatisfiable: ScheduleAnyway
        labelSelector: {matchLabels: {app: web}}
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: ["ReadWriteOnce"]
      storageClassName: standard
      resources:
        requests:
          storage: 1Gi
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: standard}
provisioner: rancher.io/local-path
reclaimPolicy: Delete
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv1}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: /data/pv1}
"#;
        let problems = structural_problems(text);
        assert!(problems.is_empty(), "{problems:#?}");
        for d in parse_manifest(text) {
            let root = d.root().unwrap();
            let k = d.kind().unwrap();
            decode(&k.api_version, &k.kind, &root.to_json(), FieldValidation::Strict).unwrap();
        }
    }

    #[test]
    fn kind_and_api_version_problems() {
        let p = structural_problems("apiVersion: apps/v1beta1\nkind: StatefulSet\nmetadata: {name: x}\n");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].did_you_mean.as_deref(), Some("apps/v1"));
        assert_eq!((p[0].line, p[0].column), (1, 13));
        let fixed = apply_all_fixes("apiVersion: apps/v1beta1\nkind: StatefulSet\nmetadata: {name: x}\n", &p);
        assert!(fixed.starts_with("apiVersion: apps/v1\n"));
        let p = structural_problems("apiVersion: apps/v1\nkind: Statefulset\n");
        assert_eq!(p[0].did_you_mean.as_deref(), Some("StatefulSet"));
        assert!(p[0].message.contains("no matches for kind \"Statefulset\" in version \"apps/v1\""));
        let p = structural_problems("apiVersion: v1\nkind: PersistentVolumeClam\n");
        assert_eq!(p[0].did_you_mean.as_deref(), Some("PersistentVolumeClaim"));
        let p = structural_problems("apiVersion: apps/v1\nkind: Deployment\n");
        assert!(p[0].message.contains("not supported by this playground"));
        assert!(p[0].message.contains("StatefulSet"));
        let p = structural_problems("metadata: {name: x}\n");
        assert!(p[0].message.starts_with("Missing `kind`"));
        let p = structural_problems("kind: Service\n");
        assert!(p[0].message.starts_with("Missing `apiVersion`"));
        assert_eq!(p[0].did_you_mean.as_deref(), Some("v1"));
        let p = structural_problems("- a\n- b\n");
        assert!(p[0].message.contains("must be a mapping"));
    }

    #[test]
    fn yaml_errors_are_problems() {
        let text = "apiVersion: v1\nkind: Service\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n labels: {}\n";
        let p = structural_problems(text);
        assert_eq!(p.len(), 1, "{p:#?}");
        assert_eq!(p[0].document, 1);
        assert!(p[0].message.contains("yaml: line 4: did not find expected key"), "{}", p[0].message);
        assert_eq!(p[0].line, 8);
        let p = structural_problems("a: 1\n--- x\n");
        assert!(p[0].message.contains("invalid Yaml document separator: x"));
        assert_eq!(p[0].line, 2);
    }

    #[test]
    fn duplicate_keys_warn() {
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n";
        let p = structural_problems(text);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].severity, Severity::Warning);
        assert_eq!(p[0].line, 4);
        assert_eq!(p[0].path, "metadata.name");
    }

    #[test]
    fn flow_mapping_to_list_fix() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: {name: c, image: nginx}\n";
        let p = structural_problems(text);
        assert_eq!(p.len(), 1);
        let fixed = apply_all_fixes(text, &p);
        assert!(fixed.contains("containers: [{name: c, image: nginx}]"));
        assert!(structural_problems(&fixed).is_empty());
    }

    #[test]
    fn problem_at_path_helper() {
        let docs = parse_manifest(SEED);
        let p = problem_at_path(&docs[1], "spec.selector.matchLabels[app]", Severity::Error, "x".into());
        assert_eq!((p.line, p.column), (24, 7));
        let p = problem_at_path(&docs[1], "spec.template.spec.containers[0].name", Severity::Error, "x".into());
        assert_eq!(p.line, 30);
        let p = problem_at_path(&docs[1], "spec.serviceName", Severity::Warning, "x".into());
        assert_eq!((p.line, p.column, p.end_column), (20, 3, 14));
    }

    /// Deterministic mutation fuzzing: structural problems, decode and every fix must never
    /// panic, and applying a fix must never produce unparsable YAML where the input parsed.
    #[test]
    fn mutation_fuzz() {
        let alphabet: Vec<char> = " \n\t-:[]{},#&*!|>'\"%@`?<=~.0aZ9\u{1}\u{feff}é\r".chars().collect();
        let mut seed: u64 = 0x5eed;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let base: Vec<char> = SEED.chars().collect();
        let iters: usize = std::env::var("STSPLAY_FUZZ_ITERS").ok().and_then(|v| v.parse().ok()).unwrap_or(400);
        for _ in 0..iters {
            let mut t = base.clone();
            for _ in 0..(1 + next() % 4) {
                let at = next() % (t.len() + 1);
                match next() % 3 {
                    0 => t.insert(at, alphabet[next() % alphabet.len()]),
                    1 if at < t.len() => {
                        t.remove(at);
                    }
                    _ => {
                        let c = alphabet[next() % alphabet.len()];
                        for _ in 0..(next() % 5) {
                            t.insert(at.min(t.len()), c);
                        }
                    }
                }
            }
            let text: String = t.into_iter().collect();
            let problems = structural_problems(&text);
            for d in parse_manifest(&text) {
                if let (Some(root), Some(k)) = (d.root(), d.kind()) {
                    let _ = decode(&k.api_version, &k.kind, &root.to_json(), FieldValidation::Warn);
                }
            }
            for p in &problems {
                if let Some(f) = &p.fix {
                    let fixed = apply_edits(&text, &f.edits).expect("fix edits apply");
                    let before = parse_manifest(&text);
                    let after = parse_manifest(&fixed);
                    if before.iter().all(|d| d.result.is_ok()) {
                        assert!(
                            after.iter().all(|d| d.result.is_ok()),
                            "fix {:?} broke\n{text}\n---->\n{fixed}",
                            f.title
                        );
                    }
                }
            }
        }
    }

    /// `STSPLAY_PERF_FILE=path cargo test --release -p stsplay-model perf_file -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn perf_file() {
        let Ok(path) = std::env::var("STSPLAY_PERF_FILE") else {
            return;
        };
        let text = std::fs::read_to_string(path).unwrap();
        let t0 = std::time::Instant::now();
        let docs = parse_manifest(&text);
        let t1 = t0.elapsed();
        let problems = structural_problems(&text);
        let t2 = t0.elapsed();
        eprintln!(
            "{} bytes, {} docs: parse {t1:?}, problems {:?} ({} problems, {} with fixes)",
            text.len(),
            docs.len(),
            t2 - t1,
            problems.len(),
            problems.iter().filter(|p| p.fix.is_some()).count()
        );
    }

    #[test]
    fn arbitrary_text_never_panics() {
        let mut s = SEED.to_string();
        s.push_str("\n---\n\t- x: [\n");
        for end in (0..s.len()).step_by(7) {
            if s.is_char_boundary(end) {
                let ps = structural_problems(&s[..end]);
                for p in ps {
                    if let Some(f) = p.fix {
                        let _ = apply_edits(&s[..end], &f.edits);
                    }
                }
            }
        }
        let _ = structural_problems("apiVersion: v1\nkind: Pod\nspec: &a\n  containers: *a\n");
        let _ =
            structural_problems("apiVersion: v1\nkind: Pod\nb: &b {x: 1}\nspec:\n  <<: *b\n  containers: {<<: *b}\n");
    }
}
