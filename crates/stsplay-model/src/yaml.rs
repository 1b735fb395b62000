//! YAML with positions, behaving like kubectl's YAML front end.
//!
//! kubectl reads a manifest file with apimachinery's `YAMLReader` (documents are separated by
//! lines starting with `---`), hands each document to `sigs.k8s.io/yaml` which parses it with
//! go-yaml v2 (a libyaml port) into `interface{}` values and converts that to JSON. This module
//! reproduces that pipeline:
//!
//! * [`split_documents`] splits like `YAMLReader` (including its CRLF -> LF normalisation and the
//!   `invalid Yaml document separator` error);
//! * [`parse_document`] drives libyaml (crate `unsafe-libyaml`, the C libyaml transpiled to Rust;
//!   go-yaml v2 is a Go port of the same code, so problem texts are identical) and builds a
//!   positioned tree; scalars are resolved with go-yaml v2's YAML 1.1 rules, aliases are expanded
//!   under go-yaml's "excessive aliasing" budget, `<<` merge keys work like go-yaml v2, duplicate
//!   keys silently keep the last value (go-yaml v2 in non-strict mode, which kubectl uses), and
//!   error messages follow go-yaml's `yaml: line N: <problem>` format with its line arithmetic
//!   (problem line + 1 for scanner errors, the 0-based problem line for parser errors, no line when
//!   the problem is on the first line of the document);
//! * [`Node::to_json`] converts like `sigs.k8s.io/yaml.YAMLToJSON` (non-string keys become strings,
//!   integral floats are written as integers like Go's `json.Marshal`).
//!
//! Everything is panic-free on any input: depth is capped at [`MAX_DEPTH`], alias expansion is
//! budgeted, and libyaml itself is iterative.

use std::collections::HashMap;
use std::fmt::Write as _;

/// Maximum nesting depth of collections. go-yaml allows 10000 (flow levels / indents); this
/// playground stops at 1000 so that the recursive tree walks stay well inside a wasm stack.
pub const MAX_DEPTH: usize = 1000;

/// A position in the whole file text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    /// Byte offset into the whole file text.
    pub offset: usize,
}

/// A resolved YAML value (what go-yaml v2 produces for `interface{}`).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// Floats, and integers that do not fit in `i64` (unsigned 64-bit and big integers, which
    /// go-yaml keeps exact; here they lose precision).
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in document order. Duplicate keys are kept (for positions); the effective value
    /// of a key is its LAST entry, like go-yaml v2 non-strict decoding.
    Map(Vec<(Key, Node)>),
}

/// How a node was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
    /// Block collection (indentation based).
    Block,
    /// Flow collection (`{...}` / `[...]`).
    Flow,
}

/// A mapping key (always a string after YAML-to-JSON conversion).
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub start: Pos,
    pub end: Pos,
    pub style: Style,
    /// The key was not written at this place: it comes from a `<<` merge or an alias expansion,
    /// so `start`/`end` point at its source.
    pub synthetic: bool,
}

/// A positioned YAML node.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub start: Pos,
    pub end: Pos,
    /// Flow collection (`{}` / `[]`).
    pub flow: bool,
    pub style: Style,
    /// The node (or one of its ancestors) is a copy produced by expanding an alias; its
    /// positions point at the anchored original (the expanded root points at the alias).
    pub from_alias: bool,
}

/// One document as apimachinery's `YAMLReader` returns it.
#[derive(Clone, Debug, PartialEq)]
pub struct DocChunk {
    /// 0-based index among the chunks of the file.
    pub index: usize,
    /// The text handed to the YAML parser: the chunk's lines, each terminated by `\n`
    /// (`\r\n` line ends are normalised like Go's `bufio.Reader.ReadLine`).
    pub text: String,
    /// 1-based file line of the chunk's first line.
    pub first_line: u32,
    /// Byte offset in the file of the chunk's first line.
    pub start_offset: usize,
    /// Byte offset in the file just after the chunk's last line (before the next separator).
    pub end_offset: usize,
    /// Reading this chunk stopped at a `---` line followed by something other than a comment:
    /// kubectl fails with this error and reads no further documents.
    pub separator_error: Option<YamlError>,
    /// (offset in `text`, offset in the file) of the start of each chunk line.
    lines: Vec<(usize, usize)>,
}

/// Where an error comes from (decides how kubectl prefixes it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum YamlErrorKind {
    /// go-yaml syntax error (`yaml: line N: ...`).
    Syntax,
    /// go-yaml decoding error (`yaml: unknown anchor ...`, aliasing, merge, tags).
    Decode,
    /// YAML-to-JSON conversion error (unsupported map key, NaN/Inf, nesting cap).
    Convert,
    /// apimachinery YAMLReader: `invalid Yaml document separator: ...`.
    Separator,
}

/// A YAML error with go-yaml's exact message and the true position of the problem.
#[derive(Clone, Debug, PartialEq)]
pub struct YamlError {
    /// What go-yaml / sigs.k8s.io/yaml says, e.g.
    /// `yaml: line 15: mapping values are not allowed in this context` (line numbers are relative
    /// to the document chunk, with go-yaml's arithmetic). Without kubectl's prefixes.
    pub message: String,
    /// True file position of the problem (for the editor).
    pub pos: Pos,
    pub kind: YamlErrorKind,
}

impl YamlError {
    /// The line kubectl prints (after `error: `) for this error in file `source`.
    pub fn kubectl_message(&self, source: &str) -> String {
        match self.kind {
            YamlErrorKind::Separator => format!("error parsing {source}: {}", self.message),
            _ => format!("error parsing {source}: error converting YAML to JSON: {}", self.message),
        }
    }
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for YamlError {}

// ---------------------------------------------------------------------------------------------
// Document splitting (apimachinery pkg/util/yaml YAMLReader)

/// Splits `text` into documents exactly like apimachinery's `YAMLReader`: a line that starts with
/// `---` separates documents; only whitespace or a `#` comment may follow the dashes, anything
/// else (including `----`) stops reading with `invalid Yaml document separator: <rest>`. Chunks
/// that are empty (nothing between two separators) are not returned; chunks that contain only
/// blank lines or comments ARE returned (kubectl skips them after parsing: [`parse_document`]
/// returns `Ok(None)`).
pub fn split_documents(text: &str) -> Vec<DocChunk> {
    let mut out = Vec::new();
    let mut cur: Option<DocChunk> = None;
    let mut file_off = 0usize;
    let mut line_no: u32 = 1;
    let bytes_len = text.len();
    while file_off < bytes_len {
        let rest = &text[file_off..];
        let (raw_line, consumed) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        // bufio.ReadLine drops "\n" or "\r\n".
        let line = if consumed > raw_line.len() { raw_line.strip_suffix('\r').unwrap_or(raw_line) } else { raw_line };
        if let Some(after) = line.strip_prefix("---") {
            let trimmed = after.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                let pos = Pos {
                    line: line_no,
                    column: 4 + (after.len() - after.trim_start().len()) as u32,
                    offset: file_off + 3 + (after.len() - after.trim_start().len()),
                };
                let err = YamlError {
                    message: format!("invalid Yaml document separator: {trimmed}"),
                    pos,
                    kind: YamlErrorKind::Separator,
                };
                let mut chunk = cur.take().unwrap_or_else(|| empty_chunk(out.len(), line_no, file_off));
                chunk.end_offset = file_off;
                chunk.separator_error = Some(err);
                out.push(chunk);
                return out;
            }
            if let Some(mut chunk) = cur.take() {
                chunk.end_offset = file_off;
                out.push(chunk);
            }
        } else {
            let chunk = cur.get_or_insert_with(|| empty_chunk(out.len(), line_no, file_off));
            chunk.lines.push((chunk.text.len(), file_off));
            chunk.text.push_str(line);
            chunk.text.push('\n');
        }
        file_off += consumed;
        line_no = line_no.saturating_add(1);
    }
    if let Some(mut chunk) = cur.take() {
        chunk.end_offset = bytes_len;
        out.push(chunk);
    }
    out
}

fn empty_chunk(index: usize, first_line: u32, start_offset: usize) -> DocChunk {
    DocChunk {
        index,
        text: String::new(),
        first_line,
        start_offset,
        end_offset: start_offset,
        separator_error: None,
        lines: Vec::new(),
    }
}

impl DocChunk {
    /// Builds a single chunk for a stand-alone text (e.g. a `kubectl patch -p` argument or a
    /// YAML snippet typed in a terminal). No splitting is done.
    pub fn from_text(text: &str) -> DocChunk {
        let mut chunk = empty_chunk(0, 1, 0);
        let mut off = 0;
        for piece in text.split_inclusive('\n') {
            let line = piece.strip_suffix('\n').unwrap_or(piece);
            let line = if piece.ends_with('\n') { line.strip_suffix('\r').unwrap_or(line) } else { line };
            chunk.lines.push((chunk.text.len(), off));
            chunk.text.push_str(line);
            chunk.text.push('\n');
            off += piece.len();
        }
        chunk.end_offset = text.len();
        chunk
    }

    /// File position of a byte offset into [`DocChunk::text`].
    pub fn file_pos(&self, chunk_offset: usize) -> Pos {
        if self.lines.is_empty() {
            return Pos { line: self.first_line, column: 1, offset: self.start_offset };
        }
        let idx = match self.lines.binary_search_by(|(c, _)| c.cmp(&chunk_offset)) {
            Ok(i) => i,
            Err(0) => 0,
            Err(i) => i - 1,
        };
        let (cstart, fstart) = self.lines[idx];
        let line_end = self.lines.get(idx + 1).map(|(c, _)| *c).unwrap_or(self.text.len());
        let mut within = chunk_offset.saturating_sub(cstart).min(line_end - cstart);
        // The chunk's last line may have gained a '\n' the file does not have.
        within = within.min(self.end_offset.saturating_sub(fstart));
        let line_text = self.text.get(cstart..cstart + within).unwrap_or("");
        Pos {
            line: self.first_line.saturating_add(idx as u32),
            column: line_text.chars().count() as u32 + 1,
            offset: fstart + within,
        }
    }

    /// libyaml's mark indexes do not count a byte-order mark at the start of the stream.
    fn bom_len(&self) -> usize {
        if self.text.starts_with('\u{feff}') {
            3
        } else {
            0
        }
    }

    /// File position of the start of 0-based chunk line `line` (clamped).
    fn line_start_pos(&self, line: usize) -> Pos {
        match self.lines.get(line).or(self.lines.last()) {
            Some(&(c, _)) => self.file_pos(c),
            None => self.file_pos(0),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// libyaml driver

mod lib {
    //! The only unsafe code: a minimal owned wrapper around libyaml's event parser.
    use std::ffi::CStr;
    use std::mem::MaybeUninit;
    use unsafe_libyaml as unsafe_sys;

    #[derive(Clone, Copy, Debug, Default)]
    pub struct Mark {
        pub index: usize,
        pub line: usize,
    }

    impl From<unsafe_sys::yaml_mark_t> for Mark {
        fn from(m: unsafe_sys::yaml_mark_t) -> Self {
            Mark {
                index: usize::try_from(m.index).unwrap_or(usize::MAX),
                line: usize::try_from(m.line).unwrap_or(usize::MAX),
            }
        }
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum ScalarStyle {
        Plain,
        SingleQuoted,
        DoubleQuoted,
        Literal,
        Folded,
    }

    #[derive(Debug)]
    pub enum Event {
        StreamStart,
        StreamEnd,
        DocumentStart,
        DocumentEnd,
        Alias(String),
        Scalar { anchor: Option<String>, tag: Option<String>, value: String, style: ScalarStyle, plain_implicit: bool },
        SequenceStart { anchor: Option<String>, flow: bool },
        SequenceEnd,
        MappingStart { anchor: Option<String>, flow: bool },
        MappingEnd,
    }

    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum ErrorType {
        Reader,
        Scanner,
        Parser,
        Other,
    }

    #[derive(Clone, Debug)]
    pub struct RawError {
        pub kind: ErrorType,
        pub problem: String,
        pub problem_offset: usize,
        pub problem_mark: Mark,
        pub context_mark: Mark,
    }

    pub struct Parser {
        // Boxed so that libyaml's internal pointers stay valid; `input` must outlive it.
        sys: Box<MaybeUninit<unsafe_sys::yaml_parser_t>>,
        initialized: bool,
        failed: Option<RawError>,
        _input: Box<[u8]>,
    }

    impl Parser {
        pub fn new(text: &str) -> Parser {
            // go-yaml: an empty input is replaced by "\n".
            let input: Box<[u8]> = if text.is_empty() { Box::from(&b"\n"[..]) } else { Box::from(text.as_bytes()) };
            let mut p =
                Parser { sys: Box::new(MaybeUninit::uninit()), initialized: false, failed: None, _input: input };
            let ptr = p.sys.as_mut_ptr();
            // SAFETY: `ptr` points to writable memory for a yaml_parser_t; initialize() zeroes it
            // and allocates its buffers. The input buffer is owned by `p` and outlives the parser
            // (Drop deletes the parser first; the boxed slice never moves its heap data).
            unsafe {
                if unsafe_sys::yaml_parser_initialize(ptr).fail {
                    p.failed = Some(RawError {
                        kind: ErrorType::Other,
                        problem: "failed to initialize YAML parser".into(),
                        problem_offset: 0,
                        problem_mark: Mark::default(),
                        context_mark: Mark::default(),
                    });
                    return p;
                }
                p.initialized = true;
                unsafe_sys::yaml_parser_set_input_string(ptr, p._input.as_ptr(), p._input.len() as u64);
            }
            p
        }

        pub fn next(&mut self) -> Result<(Event, Mark, Mark), RawError> {
            if let Some(e) = &self.failed {
                return Err(e.clone());
            }
            let parser = self.sys.as_mut_ptr();
            let mut event = MaybeUninit::<unsafe_sys::yaml_event_t>::uninit();
            // SAFETY: the parser was initialized (checked via `failed`), `event` is written by
            // yaml_parser_parse on success and deleted exactly once below. All pointers read
            // from the event are owned by it and valid until yaml_event_delete.
            unsafe {
                let ev = event.as_mut_ptr();
                if unsafe_sys::yaml_parser_parse(parser, ev).fail {
                    let p = &*parser;
                    let problem = if p.problem.is_null() {
                        String::new()
                    } else {
                        CStr::from_ptr(p.problem).to_string_lossy().into_owned()
                    };
                    let kind = match p.error {
                        unsafe_sys::YAML_READER_ERROR => ErrorType::Reader,
                        unsafe_sys::YAML_SCANNER_ERROR => ErrorType::Scanner,
                        unsafe_sys::YAML_PARSER_ERROR => ErrorType::Parser,
                        _ => ErrorType::Other,
                    };
                    let err = RawError {
                        kind,
                        problem,
                        problem_offset: usize::try_from(p.problem_offset).unwrap_or(usize::MAX),
                        problem_mark: p.problem_mark.into(),
                        context_mark: p.context_mark.into(),
                    };
                    self.failed = Some(err.clone());
                    return Err(err);
                }
                let e = &*ev;
                let start = Mark::from(e.start_mark);
                let end = Mark::from(e.end_mark);
                let out = match e.type_ {
                    unsafe_sys::YAML_STREAM_START_EVENT => Event::StreamStart,
                    unsafe_sys::YAML_STREAM_END_EVENT => Event::StreamEnd,
                    unsafe_sys::YAML_DOCUMENT_START_EVENT => Event::DocumentStart,
                    unsafe_sys::YAML_DOCUMENT_END_EVENT => Event::DocumentEnd,
                    unsafe_sys::YAML_ALIAS_EVENT => Event::Alias(cstring(e.data.alias.anchor).unwrap_or_default()),
                    unsafe_sys::YAML_SCALAR_EVENT => {
                        let s = e.data.scalar;
                        let len = usize::try_from(s.length).unwrap_or(0);
                        let value = if s.value.is_null() || len == 0 {
                            String::new()
                        } else {
                            String::from_utf8_lossy(std::slice::from_raw_parts(s.value, len)).into_owned()
                        };
                        Event::Scalar {
                            anchor: cstring(s.anchor),
                            tag: cstring(s.tag),
                            value,
                            style: match s.style {
                                unsafe_sys::YAML_SINGLE_QUOTED_SCALAR_STYLE => ScalarStyle::SingleQuoted,
                                unsafe_sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE => ScalarStyle::DoubleQuoted,
                                unsafe_sys::YAML_LITERAL_SCALAR_STYLE => ScalarStyle::Literal,
                                unsafe_sys::YAML_FOLDED_SCALAR_STYLE => ScalarStyle::Folded,
                                _ => ScalarStyle::Plain,
                            },
                            plain_implicit: s.plain_implicit,
                        }
                    }
                    unsafe_sys::YAML_SEQUENCE_START_EVENT => {
                        let s = e.data.sequence_start;
                        Event::SequenceStart {
                            anchor: cstring(s.anchor),
                            flow: s.style == unsafe_sys::YAML_FLOW_SEQUENCE_STYLE,
                        }
                    }
                    unsafe_sys::YAML_SEQUENCE_END_EVENT => Event::SequenceEnd,
                    unsafe_sys::YAML_MAPPING_START_EVENT => {
                        let s = e.data.mapping_start;
                        Event::MappingStart {
                            anchor: cstring(s.anchor),
                            flow: s.style == unsafe_sys::YAML_FLOW_MAPPING_STYLE,
                        }
                    }
                    unsafe_sys::YAML_MAPPING_END_EVENT => Event::MappingEnd,
                    _ => Event::StreamEnd,
                };
                unsafe_sys::yaml_event_delete(ev);
                Ok((out, start, end))
            }
        }
    }

    /// # Safety
    /// `p` is null or a NUL-terminated string owned by a live event.
    unsafe fn cstring(p: *mut u8) -> Option<String> {
        if p.is_null() {
            return None;
        }
        // SAFETY: guaranteed by the caller.
        let c = unsafe { CStr::from_ptr(p as *const std::ffi::c_char) };
        Some(c.to_string_lossy().into_owned())
    }

    impl Drop for Parser {
        fn drop(&mut self) {
            if self.initialized {
                // SAFETY: initialized exactly once in `new`, deleted exactly once here.
                unsafe { unsafe_sys::yaml_parser_delete(self.sys.as_mut_ptr()) }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// go-yaml v2 scalar resolution (resolve.go)

const TAG_PREFIX: &str = "tag:yaml.org,2002:";

fn short_tag(tag: &str) -> String {
    match tag.strip_prefix(TAG_PREFIX) {
        Some(rest) => format!("!!{rest}"),
        None => tag.to_string(),
    }
}

/// A resolved scalar with its YAML tag (short form).
#[derive(Clone, Debug, PartialEq)]
enum Resolved {
    Null,
    Bool(bool),
    Int(i64),
    Uint(u64),
    /// Out of 64-bit range: go-yaml returns a *big.Int; the text is kept.
    BigInt(String),
    Float(f64),
    Str(String),
    /// Plain timestamp: kept as its text (go-yaml v2 sets a string into interface{}).
    Timestamp(String),
}

impl Resolved {
    fn tag(&self) -> &'static str {
        match self {
            Resolved::Null => "!!null",
            Resolved::Bool(_) => "!!bool",
            Resolved::Int(_) | Resolved::Uint(_) | Resolved::BigInt(_) => "!!int",
            Resolved::Float(_) => "!!float",
            Resolved::Str(_) => "!!str",
            Resolved::Timestamp(_) => "!!timestamp",
        }
    }
}

/// go-yaml v2 `resolve(tag, in)` for an untagged plain scalar (or a resolvable explicit tag).
fn resolve_plain(input: &str, as_str_only: bool) -> Resolved {
    if as_str_only {
        return Resolved::Str(input.to_string());
    }
    let first = input.as_bytes().first().copied();
    let hint = match first {
        None => b'N',
        Some(b'+') | Some(b'-') => b'S',
        Some(b'0'..=b'9') => b'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => b'M',
        Some(b'.') => b'.',
        Some(_) => 0,
    };
    if hint == 0 {
        return Resolved::Str(input.to_string());
    }
    match input {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Resolved::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Resolved::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => return Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Resolved::Float(f64::NEG_INFINITY),
        _ => {}
    }
    match hint {
        b'.' => {
            if let Some(f) = go_parse_float(input) {
                return Resolved::Float(f);
            }
        }
        b'D' | b'S' => {
            if is_timestamp(input) {
                return Resolved::Timestamp(input.to_string());
            }
            let plain: String = input.chars().filter(|c| *c != '_').collect();
            match go_parse_int_base0(&plain) {
                IntParse::I(v) => return Resolved::Int(v),
                IntParse::U(v) => return Resolved::Uint(v),
                IntParse::Range => {
                    if yaml_style_float(&plain) {
                        if let Some(f) = go_parse_float(&plain) {
                            return Resolved::Float(f);
                        }
                    }
                    return Resolved::BigInt(plain);
                }
                IntParse::Syntax => {}
            }
            if yaml_style_float(&plain) {
                if let Some(f) = go_parse_float(&plain) {
                    return Resolved::Float(f);
                }
            }
            // "0b..." binary (already covered by base-0 parsing) and "-0b...".
            if let Some(bits) = plain.strip_prefix("-0b") {
                if let Ok(v) = i64::from_str_radix(&format!("-{bits}"), 2) {
                    return Resolved::Int(v);
                }
            }
        }
        _ => {}
    }
    Resolved::Str(input.to_string())
}

enum IntParse {
    I(i64),
    U(u64),
    Range,
    Syntax,
}

/// Go `strconv.ParseInt(s, 0, 64)` then `ParseUint(s, 0, 64)` (underscores already removed).
fn go_parse_int_base0(s: &str) -> IntParse {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return IntParse::Syntax;
    }
    let (radix, digits) = if let Some(r) = body.strip_prefix("0x").or(body.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = body.strip_prefix("0b").or(body.strip_prefix("0B")) {
        (2, r)
    } else if let Some(r) = body.strip_prefix("0o").or(body.strip_prefix("0O")) {
        (8, r)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return IntParse::Syntax;
    }
    match u128::from_str_radix(digits, radix) {
        Ok(mag) => {
            if neg {
                if mag <= (i64::MAX as u128) + 1 {
                    IntParse::I((-(mag as i128)) as i64)
                } else {
                    IntParse::Range
                }
            } else if mag <= i64::MAX as u128 {
                IntParse::I(mag as i64)
            } else if mag <= u64::MAX as u128 && s.as_bytes().first() != Some(&b'+') {
                // ParseUint does not accept a sign.
                IntParse::U(mag as u64)
            } else {
                IntParse::Range
            }
        }
        Err(_) => IntParse::Range,
    }
}

/// go-yaml's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let st = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - st
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go `strconv.ParseFloat(s, 64)` for decimal inputs; rejects what Go rejects that Rust accepts
/// ("inf", "nan", "infinity" are accepted by Go too but never reach here except via '.' hint).
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    // Only decimal syntax: sign, digits, '.', exponent.
    if !b.iter().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) {
        return None;
    }
    let f: f64 = s.parse().ok()?;
    if f.is_infinite() {
        return None; // ErrRange
    }
    Some(f)
}

/// go-yaml v2 `parseTimestamp` (a subset of YAML timestamps, starting with `YYYY-`).
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i != 4 || i == b.len() || b[i] != b'-' {
        return false;
    }
    // Formats: "2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00",
    // "2006-1-2 15:4:5.999999999", "2006-1-2".
    let rest = &s[5..];
    let (date, time) = match rest.find(['T', 't', ' ']) {
        Some(p) => (&rest[..p], Some((&rest[p..p + 1], &rest[p + 1..]))),
        None => (rest, None),
    };
    let mut dp = date.split('-');
    let (Some(m), Some(d), None) = (dp.next(), dp.next(), dp.next()) else {
        return false;
    };
    let num = |x: &str, lo: u32, hi: u32| {
        !x.is_empty()
            && x.len() <= 2
            && x.bytes().all(|c| c.is_ascii_digit())
            && x.parse::<u32>().map(|v| v >= lo && v <= hi).unwrap_or(false)
    };
    let year: i64 = s[..4].parse().unwrap_or(0);
    if !num(m, 1, 12) {
        return false;
    }
    let month: u32 = m.parse().unwrap_or(1);
    let dim = days_in_month(year, month);
    if !num(d, 1, dim) {
        return false;
    }
    let Some((sep, t)) = time else {
        return true;
    };
    // time part: H:M:S[.frac] then zone (Z or ±hh:mm) for T/t, nothing for ' '.
    let tb = t.as_bytes();
    let mut j = 0;
    let mut fields = 0;
    loop {
        let st = j;
        while j < tb.len() && tb[j].is_ascii_digit() && j - st < 2 {
            j += 1;
        }
        let v = &t[st..j];
        let (lo, hi) = match fields {
            0 => (0, 23),
            1 => (0, 59),
            _ => (0, 59),
        };
        if !num(v, lo, hi) {
            return false;
        }
        fields += 1;
        if fields == 3 {
            break;
        }
        if j < tb.len() && tb[j] == b':' {
            j += 1;
        } else {
            return false;
        }
    }
    if j < tb.len() && tb[j] == b'.' {
        let st = j + 1;
        j += 1;
        while j < tb.len() && tb[j].is_ascii_digit() {
            j += 1;
        }
        if j == st || j - st > 9 {
            return false;
        }
    }
    let zone = &t[j..];
    if sep == " " {
        return zone.is_empty();
    }
    if zone == "Z" {
        return true;
    }
    let zb = zone.as_bytes();
    zb.len() == 6
        && (zb[0] == b'+' || zb[0] == b'-')
        && zb[1].is_ascii_digit()
        && zb[2].is_ascii_digit()
        && zb[3] == b':'
        && zb[4].is_ascii_digit()
        && zb[5].is_ascii_digit()
}

pub(crate) fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
        _ => 31,
    }
}

/// Go base64.StdEncoding.DecodeString (strict padding; `\r` and `\n` are ignored).
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut vals = Vec::with_capacity(s.len());
    let mut pad = 0;
    for c in s.bytes() {
        if c == b'\r' || c == b'\n' {
            continue;
        }
        if pad > 0 && c != b'=' {
            return None;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                pad += 1;
                continue;
            }
            _ => return None,
        };
        vals.push(v);
    }
    if (vals.len() + pad) % 4 != 0 || pad > 2 {
        return None;
    }
    if pad > 0 && vals.len() % 4 + pad != 4 {
        return None;
    }
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for chunk in vals.chunks(4) {
        let mut acc: u32 = 0;
        for (i, v) in chunk.iter().enumerate() {
            acc |= (*v as u32) << (18 - 6 * i);
        }
        let n = match chunk.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => return None,
        };
        for i in 0..n {
            out.push((acc >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

/// Go `strconv.FormatFloat(f, 'g', -1, 32)` (used by sigs.k8s.io/yaml for float map keys).
fn go_format_g32(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf".into() } else { "-.inf".into() };
    }
    let f32v = f as f32;
    if f32v == 0.0 {
        return if f32v.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    if f32v.is_infinite() {
        return if f32v > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    // Shortest digits for f32 via Rust's `{:e}`: "d.ddde<exp>".
    let e = format!("{f32v:e}");
    let (mant, exp) = match e.split_once('e') {
        Some((m, x)) => (m.to_string(), x.parse::<i32>().unwrap_or(0)),
        None => (e.clone(), 0),
    };
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let _ = write!(out, "{:02}", exp.unsigned_abs());
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

/// Go `json.Marshal` text of a float64 (`strconv.FormatFloat` with 'f' or, for very large or
/// small magnitudes, 'e' with a cleaned-up exponent). Used in Go error messages like
/// `json: cannot unmarshal number 3.5 into ...`.
pub fn go_json_float(f: f64) -> String {
    if !f.is_finite() {
        return go_float_g(f);
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let e = format!("{f:e}");
        let (mant, exp) = match e.split_once('e') {
            Some((m, x)) => (m.to_string(), x.parse::<i32>().unwrap_or(0)),
            None => (e.clone(), 0),
        };
        if exp < 0 {
            // Go writes e-07 and json.Marshal cleans it up to e-7.
            format!("{mant}e-{}", exp.unsigned_abs())
        } else {
            format!("{mant}e+{exp:02}")
        }
    } else {
        // Rust's Display is the shortest round-trip decimal representation, like 'f' with -1.
        let s = format!("{f}");
        if s == "-0" {
            "-0".into()
        } else {
            s
        }
    }
}

/// Go `strconv.FormatFloat(f, 'g', -1, 64)` for non-finite values.
fn go_float_g(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f > 0.0 {
        "+Inf".into()
    } else {
        "-Inf".into()
    }
}

// ---------------------------------------------------------------------------------------------
// Tree building

/// go-yaml v2 `allowedAliasRatio`.
fn allowed_alias_ratio(decode_count: u64) -> f64 {
    const LOW: f64 = 400_000.0;
    const HIGH: f64 = 4_000_000.0;
    let dc = decode_count as f64;
    if dc <= LOW {
        0.99
    } else if dc >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((dc - LOW) / (HIGH - LOW))
    }
}

#[derive(Clone, Debug)]
enum KeyState {
    /// A string key (after YAML-to-JSON stringification).
    Name(Key),
    /// The merge key `<<`.
    Merge,
    /// A null key (YAMLToJSON fails on it once the value is known).
    NullKey(Pos, Pos),
}

enum Frame {
    Seq { start: Pos, items: Vec<Node>, anchor: Option<String>, flow: bool, count: u64 },
    Map { start: Pos, entries: Vec<(Key, Node)>, key: Option<KeyState>, anchor: Option<String>, flow: bool, count: u64 },
}

enum AnchorState {
    InProgress,
    Done(Box<Node>, u64),
}

struct Builder<'c> {
    chunk: &'c DocChunk,
    stack: Vec<Frame>,
    anchors: HashMap<String, AnchorState>,
    decode_count: u64,
    alias_count: u64,
    /// First go-yaml decoding error (reported only if parsing completes).
    decode_error: Option<YamlError>,
    /// First YAML-to-JSON conversion error.
    convert_error: Option<YamlError>,
    root: Option<(Node, u64)>,
}

enum Step {
    Continue,
    Fail(YamlError),
}

impl<'c> Builder<'c> {
    fn pos(&self, m: lib::Mark) -> Pos {
        self.chunk.file_pos(m.index + self.chunk.bom_len())
    }

    fn building(&self) -> bool {
        self.decode_error.is_none()
    }

    fn decode_fail(&mut self, message: String, pos: Pos) {
        if self.decode_error.is_none() {
            self.decode_error = Some(YamlError { message, pos, kind: YamlErrorKind::Decode });
            // Stop building (bounded memory); keep tracking depth and anchors for the
            // parse-time errors that go-yaml would still report.
            self.root = None;
        }
    }

    fn register_anchor_done(&mut self, anchor: &Option<String>, node: &Node, count: u64) {
        if let Some(a) = anchor {
            self.anchors.insert(a.clone(), AnchorState::Done(Box::new(node.clone()), count));
        }
    }

    /// Delivers a finished node to its parent (or makes it the root).
    fn deliver(&mut self, node: Node, count: u64) {
        if !self.building() {
            return;
        }
        let Some(top) = self.stack.last_mut() else {
            self.root = Some((node, count));
            return;
        };
        match top {
            Frame::Seq { items, count: c, .. } => {
                items.push(node);
                *c += count;
            }
            Frame::Map { entries, key, count: c, .. } => match key.take() {
                None => {
                    // This node is a key.
                    *c += count;
                    let state = match key_state(&node) {
                        Ok(k) => k,
                        Err(msg) => {
                            let p = node.start;
                            self.decode_fail(msg, p);
                            return;
                        }
                    };
                    *key = Some(state);
                }
                Some(KeyState::Name(k)) => {
                    *c += count;
                    entries.push((k, node));
                }
                Some(KeyState::NullKey(kstart, _kend)) => {
                    *c += count;
                    let value = go_sharp_v(&node);
                    entries.push((
                        Key { name: String::new(), start: kstart, end: kstart, style: Style::Plain, synthetic: true },
                        node,
                    ));
                    if self.convert_error.is_none() {
                        self.convert_error = Some(YamlError {
                            message: format!("unsupported map key of type: %!s(<nil>), key: <nil>, value: {value}"),
                            pos: kstart,
                            kind: YamlErrorKind::Convert,
                        });
                    }
                }
                Some(KeyState::Merge) => {
                    *c += count;
                    let ok = match &node.value {
                        Value::Map(_) => true,
                        Value::Seq(items) => items.iter().all(|n| matches!(n.value, Value::Map(_))),
                        _ => false,
                    };
                    if !ok {
                        let p = node.start;
                        self.decode_fail("yaml: map merge requires map or sequence of maps as the value".into(), p);
                        return;
                    }
                    let mut merged: Vec<(Key, Node)> = Vec::new();
                    match node.value {
                        Value::Map(es) => merged.extend(es),
                        Value::Seq(items) => {
                            // go-yaml v2 steps backwards: earlier maps take precedence.
                            for it in items.into_iter().rev() {
                                if let Value::Map(es) = it.value {
                                    merged.extend(es);
                                }
                            }
                        }
                        _ => {}
                    }
                    for (mut k, v) in merged {
                        k.synthetic = true;
                        entries.push((k, v));
                    }
                }
            },
        }
    }

    fn open(&mut self, is_map: bool, anchor: Option<String>, flow: bool, sm: lib::Mark) -> Step {
        let start = self.pos(sm);
        self.decode_count += 1;
        if self.stack.len() >= MAX_DEPTH {
            return Step::Fail(YamlError {
                // Reported like go-yaml's scanner depth error (line + 1, none on line 1).
                message: go_line_message(
                    if sm.line == 0 { 0 } else { sm.line + 1 },
                    &format!("exceeded max depth of {MAX_DEPTH}"),
                ),
                pos: start,
                kind: YamlErrorKind::Syntax,
            });
        }
        if let Some(a) = &anchor {
            self.anchors.insert(a.clone(), AnchorState::InProgress);
        }
        // After a decoding error frames are still pushed (depth tracking) but stay empty.
        let anchor = if self.building() { anchor } else { None };
        self.stack.push(if is_map {
            Frame::Map { start, entries: Vec::new(), key: None, anchor, flow, count: 1 }
        } else {
            Frame::Seq { start, items: Vec::new(), anchor, flow, count: 1 }
        });
        Step::Continue
    }

    fn handle(&mut self, ev: lib::Event, sm: lib::Mark, em: lib::Mark) -> Step {
        use lib::Event;
        match ev {
            Event::Scalar { anchor, tag, value, style, plain_implicit } => {
                let start = self.pos(sm);
                let end = self.pos(em);
                self.decode_count += 1;
                if !self.building() {
                    if let Some(a) = anchor {
                        self.anchors.insert(a, AnchorState::InProgress);
                    }
                    return Step::Continue;
                }
                // Inside a mapping waiting for a key: the merge key check needs the raw form.
                let waiting_key = matches!(self.stack.last(), Some(Frame::Map { key: None, .. }));
                if waiting_key
                    && value == "<<"
                    && ((style == lib::ScalarStyle::Plain && plain_implicit && tag.is_none())
                        || tag.as_deref() == Some("tag:yaml.org,2002:merge"))
                {
                    if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
                        *key = Some(KeyState::Merge);
                    }
                    return Step::Continue;
                }
                let st = match style {
                    lib::ScalarStyle::Plain => Style::Plain,
                    lib::ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    lib::ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    lib::ScalarStyle::Literal => Style::Literal,
                    lib::ScalarStyle::Folded => Style::Folded,
                };
                let implicit = style == lib::ScalarStyle::Plain && plain_implicit;
                let resolved = match resolve_scalar(tag.as_deref(), &value, implicit) {
                    Ok(r) => r,
                    Err(msg) => {
                        self.decode_fail(msg, start);
                        return Step::Continue;
                    }
                };
                let v = match resolved {
                    Resolved::Null => Value::Null,
                    Resolved::Bool(b) => Value::Bool(b),
                    Resolved::Int(i) => Value::Int(i),
                    Resolved::Uint(u) => Value::Float(u as f64),
                    Resolved::BigInt(s) => Value::Float(s.parse::<f64>().unwrap_or(f64::MAX)),
                    Resolved::Float(f) => Value::Float(f),
                    Resolved::Str(s) | Resolved::Timestamp(s) => Value::Str(s),
                };
                let node = Node { value: v, start, end, flow: false, style: st, from_alias: false };
                self.register_anchor_done(&anchor, &node, 1);
                self.deliver(node, 1);
                Step::Continue
            }
            Event::SequenceStart { anchor, flow } => self.open(false, anchor, flow, sm),
            Event::MappingStart { anchor, flow } => self.open(true, anchor, flow, sm),
            Event::SequenceEnd | Event::MappingEnd => {
                let end = self.pos(em);
                let Some(frame) = self.stack.pop() else {
                    return Step::Continue;
                };
                if !self.building() {
                    return Step::Continue;
                }
                let (node, count, anchor) = match frame {
                    Frame::Seq { start, items, anchor, flow, count } => (
                        Node {
                            value: Value::Seq(items),
                            start,
                            end,
                            flow,
                            style: if flow { Style::Flow } else { Style::Block },
                            from_alias: false,
                        },
                        count,
                        anchor,
                    ),
                    Frame::Map { start, entries, anchor, flow, count, .. } => (
                        Node {
                            value: Value::Map(entries),
                            start,
                            end,
                            flow,
                            style: if flow { Style::Flow } else { Style::Block },
                            from_alias: false,
                        },
                        count,
                        anchor,
                    ),
                };
                self.register_anchor_done(&anchor, &node, count);
                self.deliver(node, count);
                Step::Continue
            }
            Event::Alias(name) => {
                let start = self.pos(sm);
                let end = self.pos(em);
                match self.anchors.get(&name) {
                    None => {
                        // go-yaml fails while parsing (no line number).
                        return Step::Fail(YamlError {
                            message: format!("yaml: unknown anchor '{name}' referenced"),
                            pos: start,
                            kind: YamlErrorKind::Decode,
                        });
                    }
                    Some(AnchorState::InProgress) => {
                        self.decode_count += 1;
                        self.decode_fail(format!("yaml: anchor '{name}' value contains itself"), start);
                        return Step::Continue;
                    }
                    Some(AnchorState::Done(..)) => {}
                }
                if !self.building() {
                    return Step::Continue;
                }
                let Some(AnchorState::Done(target, count)) = self.anchors.get(&name) else {
                    return Step::Continue;
                };
                let count = *count;
                // go-yaml counts the alias node itself, then every node of the target while
                // aliasDepth > 0.
                let dc = self.decode_count + 1 + count;
                let ac = self.alias_count + count;
                if ac > 100 && dc > 1000 && (ac as f64) / (dc as f64) > allowed_alias_ratio(dc) {
                    self.decode_count = dc;
                    self.alias_count = ac;
                    self.decode_fail("yaml: document contains excessive aliasing".into(), start);
                    return Step::Continue;
                }
                self.decode_count = dc;
                self.alias_count = ac;
                let mut copy = (**target).clone();
                mark_alias(&mut copy);
                copy.start = start;
                copy.end = end;
                self.deliver(copy, count + 1);
                Step::Continue
            }
            _ => Step::Continue,
        }
    }
}

/// Marks a copied subtree as coming from an alias (iterative, no recursion).
fn mark_alias(node: &mut Node) {
    let mut work: Vec<&mut Node> = vec![node];
    while let Some(n) = work.pop() {
        n.from_alias = true;
        match &mut n.value {
            Value::Seq(items) => work.extend(items.iter_mut()),
            Value::Map(entries) => {
                for (k, v) in entries.iter_mut() {
                    k.synthetic = true;
                    work.push(v);
                }
            }
            _ => {}
        }
    }
}

/// Resolves a scalar event like go-yaml v2's decoder + `resolve()`.
fn resolve_scalar(tag: Option<&str>, value: &str, implicit: bool) -> Result<Resolved, String> {
    let tag = tag.unwrap_or("");
    if tag.is_empty() && !implicit {
        return Ok(Resolved::Str(value.to_string()));
    }
    let short = short_tag(tag);
    let resolvable = matches!(short.as_str(), "" | "!!str" | "!!bool" | "!!int" | "!!float" | "!!null" | "!!timestamp");
    if !resolvable {
        if short == "!!binary" {
            return match base64_decode(value) {
                Some(bytes) => Ok(Resolved::Str(String::from_utf8_lossy(&bytes).into_owned())),
                None => Err("yaml: !!binary value contains invalid base64 data".into()),
            };
        }
        return Ok(Resolved::Str(value.to_string()));
    }
    let r = resolve_plain(value, short == "!!str");
    // Plain timestamps only resolve when untagged or tagged !!timestamp.
    let r = match r {
        Resolved::Timestamp(s) if !(short.is_empty() || short == "!!timestamp") => {
            // go: the timestamp check is skipped, continue with int/float parsing
            let plain: String = s.chars().filter(|c| *c != '_').collect();
            match go_parse_int_base0(&plain) {
                IntParse::I(v) => Resolved::Int(v),
                IntParse::U(v) => Resolved::Uint(v),
                _ => {
                    if yaml_style_float(&plain) {
                        go_parse_float(&plain).map(Resolved::Float).unwrap_or(Resolved::Str(s))
                    } else {
                        Resolved::Str(s)
                    }
                }
            }
        }
        other => other,
    };
    if short.is_empty() || short == r.tag() || short == "!!str" {
        return Ok(r);
    }
    if short == "!!float" {
        match r {
            Resolved::Int(i) => return Ok(Resolved::Float(i as f64)),
            Resolved::Uint(u) => return Ok(Resolved::Float(u as f64)),
            _ => {}
        }
    }
    Err(format!("yaml: cannot decode {} `{}` as a {}", r.tag(), value, short))
}

/// Turns a finished key node into a key state (YAMLToJSON key stringification).
fn key_state(node: &Node) -> Result<KeyState, String> {
    let name = match &node.value {
        Value::Null => return Ok(KeyState::NullKey(node.start, node.end)),
        Value::Str(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => go_format_g32(*f),
        Value::Seq(_) | Value::Map(_) => {
            return Err(format!("yaml: invalid map key: {}", go_sharp_v(node)));
        }
    };
    Ok(KeyState::Name(Key { name, start: node.start, end: node.end, style: node.style, synthetic: node.from_alias }))
}

/// Approximation of Go's `%#v` for go-yaml values (used in rare error messages).
fn go_sharp_v(node: &Node) -> String {
    let mut out = String::new();
    go_sharp_v_into(node, &mut out, 0);
    out
}

fn go_sharp_v_into(node: &Node, out: &mut String, depth: usize) {
    if depth > 20 {
        out.push_str("...");
        return;
    }
    match &node.value {
        Value::Null => out.push_str("interface {}(nil)"),
        Value::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::Float(f) => out.push_str(&go_json_float(*f)),
        Value::Str(s) => {
            let _ = write!(out, "{}", serde_json::Value::String(s.clone()));
        }
        Value::Seq(items) => {
            out.push_str("[]interface {}{");
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                go_sharp_v_into(it, out, depth + 1);
            }
            out.push('}');
        }
        Value::Map(entries) => {
            out.push_str("map[interface {}]interface {}{");
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let _ = write!(out, "{}:", serde_json::Value::String(k.name.clone()));
                go_sharp_v_into(v, out, depth + 1);
            }
            out.push('}');
        }
    }
}

/// go-yaml `fail()`: "yaml: line N: msg", or "yaml: msg" when N is 0.
fn go_line_message(line: usize, msg: &str) -> String {
    if line == 0 {
        format!("yaml: {msg}")
    } else {
        format!("yaml: line {line}: {msg}")
    }
}

/// Parses one document chunk like `sigs.k8s.io/yaml.Unmarshal` (go-yaml v2 + YAML-to-JSON).
///
/// Returns `Ok(None)` when the document is empty or `null` (kubectl skips those), `Err` with
/// go-yaml's message otherwise. Only the first YAML document in the chunk is read (go-yaml's
/// `Unmarshal` stops after it, e.g. after an explicit `...`).
pub fn parse_document(chunk: &DocChunk) -> Result<Option<Node>, YamlError> {
    if let Some(e) = &chunk.separator_error {
        return Err(e.clone());
    }
    let mut parser = lib::Parser::new(&chunk.text);
    let mut b = Builder {
        chunk,
        stack: Vec::new(),
        anchors: HashMap::new(),
        decode_count: 0,
        alias_count: 0,
        decode_error: None,
        convert_error: None,
        root: None,
    };
    let mut seen_doc = false;
    loop {
        let (ev, sm, em) = match parser.next() {
            Ok(x) => x,
            Err(raw) => return Err(syntax_error(chunk, &raw)),
        };
        match ev {
            lib::Event::StreamStart => {}
            lib::Event::StreamEnd => break,
            lib::Event::DocumentStart => {
                seen_doc = true;
                b.decode_count += 1;
            }
            lib::Event::DocumentEnd => break,
            other => {
                if let Step::Fail(e) = b.handle(other, sm, em) {
                    return Err(e);
                }
            }
        }
    }
    if !seen_doc {
        return Ok(None);
    }
    if let Some(e) = b.decode_error {
        return Err(e);
    }
    if let Some(e) = b.convert_error {
        return Err(e);
    }
    let Some((root, _)) = b.root else {
        return Ok(None);
    };
    if let Some(bad) = first_non_finite(&root) {
        let Value::Float(f) = bad.value else {
            return Ok(Some(root));
        };
        return Err(YamlError {
            message: format!("json: unsupported value: {}", go_float_g(f)),
            pos: bad.start,
            kind: YamlErrorKind::Convert,
        });
    }
    if matches!(root.value, Value::Null) {
        return Ok(None);
    }
    Ok(Some(root))
}

/// The first NaN/Inf float in JSON (sorted-key) order.
fn first_non_finite(root: &Node) -> Option<&Node> {
    let mut work: Vec<&Node> = vec![root];
    while let Some(n) = work.pop() {
        match &n.value {
            Value::Float(f) if !f.is_finite() => return Some(n),
            Value::Seq(items) => work.extend(items.iter().rev()),
            Value::Map(_) => {
                let mut eff = n.effective_entries();
                eff.sort_by(|a, b| b.0.name.cmp(&a.0.name));
                work.extend(eff.into_iter().map(|(_, v)| v));
            }
            _ => {}
        }
    }
    None
}

fn syntax_error(chunk: &DocChunk, raw: &lib::RawError) -> YamlError {
    // go-yaml's fail(): problem_mark line (+1 for scanner errors), else context_mark line.
    let line = if raw.problem_mark.line != 0 {
        if raw.kind == lib::ErrorType::Scanner {
            raw.problem_mark.line + 1
        } else {
            raw.problem_mark.line
        }
    } else {
        raw.context_mark.line
    };
    let msg = match raw.problem.as_str() {
        "" => "unknown problem parsing YAML content",
        // go-yaml's wording differs from libyaml's here.
        "found a tab character that violates indentation" => "found a tab character that violate indentation",
        other => other,
    };
    let pos = if raw.kind == lib::ErrorType::Reader {
        chunk.file_pos(raw.problem_offset)
    } else if raw.problem_mark.index == 0 && raw.problem_mark.line > 0 {
        chunk.line_start_pos(raw.problem_mark.line)
    } else {
        chunk.file_pos(raw.problem_mark.index + chunk.bom_len())
    };
    YamlError { message: go_line_message(line, msg), pos, kind: YamlErrorKind::Syntax }
}

// ---------------------------------------------------------------------------------------------
// Node API

impl Node {
    /// The effective entries of a mapping: for duplicate keys only the last one, in the
    /// position of that last occurrence.
    pub fn effective_entries(&self) -> Vec<(&Key, &Node)> {
        let Value::Map(entries) = &self.value else {
            return Vec::new();
        };
        let mut last: HashMap<&str, usize> = HashMap::new();
        for (i, (k, _)) in entries.iter().enumerate() {
            last.insert(k.name.as_str(), i);
        }
        entries
            .iter()
            .enumerate()
            .filter(|(i, (k, _))| last.get(k.name.as_str()) == Some(i))
            .map(|(_, (k, v))| (k, v))
            .collect()
    }

    /// The value of mapping key `key` (the last one if duplicated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.get_entry(key).map(|(_, v)| v)
    }

    /// The key and value of mapping key `key` (the last one if duplicated).
    pub fn get_entry(&self, key: &str) -> Option<(&Key, &Node)> {
        match &self.value {
            Value::Map(entries) => entries.iter().rev().find(|(k, _)| k.name == key).map(|(k, v)| (k, v)),
            _ => None,
        }
    }

    /// String value, if this is a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Sequence items, if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// JSON kind as Go's json package names it in errors: object, array, string, number, bool,
    /// null.
    pub fn json_kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// Converts like `sigs.k8s.io/yaml.YAMLToJSON` followed by decoding the JSON: keys are
    /// strings, duplicate keys keep the last value, integral floats become integers (Go's
    /// `json.Marshal` writes `3.0` as `3`), NaN/Inf (rejected by [`parse_document`]) become null.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => float_to_json(*f),
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => serde_json::Value::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut m = serde_json::Map::new();
                for (k, v) in entries {
                    m.insert(k.name.clone(), v.to_json());
                }
                serde_json::Value::Object(m)
            }
        }
    }
}

fn float_to_json(f: f64) -> serde_json::Value {
    if !f.is_finite() {
        return serde_json::Value::Null;
    }
    if f.fract() == 0.0 {
        if (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
            return serde_json::Value::from(f as i64);
        }
        if (0.0..1.844_674_407_370_955_2e19).contains(&f) {
            return serde_json::Value::from(f as u64);
        }
    }
    serde_json::Number::from_f64(f).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null)
}

/// One segment of a Kubernetes field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSeg {
    Field(String),
    Index(usize),
    /// `[key]` on a mapping (e.g. `metadata.labels[app.kubernetes.io/name]`).
    MapKey(String),
}

/// Parses `spec.volumeClaimTemplates[0].spec.storageClassName` (also `.[0]`, `[key]`).
pub fn parse_path(path: &str) -> Vec<PathSeg> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    out.push(PathSeg::Field(std::mem::take(&mut cur)));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    out.push(PathSeg::Field(std::mem::take(&mut cur)));
                }
                let mut inner = String::new();
                for c2 in chars.by_ref() {
                    if c2 == ']' {
                        break;
                    }
                    inner.push(c2);
                }
                match inner.parse::<usize>() {
                    Ok(i) if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) => {
                        out.push(PathSeg::Index(i))
                    }
                    _ => out.push(PathSeg::MapKey(inner)),
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(PathSeg::Field(cur));
    }
    out
}

/// Formats path segments back (`a.b[0].c`, map keys as `[key]`).
pub fn format_path(segs: &[PathSeg]) -> String {
    let mut out = String::new();
    for s in segs {
        match s {
            PathSeg::Field(f) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(f);
            }
            PathSeg::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
            PathSeg::MapKey(k) => {
                let _ = write!(out, "[{k}]");
            }
        }
    }
    out
}

/// The node at `path` (see [`parse_path`]).
pub fn locate<'a>(root: &'a Node, path: &str) -> Option<&'a Node> {
    locate_entry(root, path).map(|(_, n)| n)
}

/// The mapping key at `path` (the last segment must name a mapping entry).
pub fn locate_key<'a>(root: &'a Node, path: &str) -> Option<&'a Key> {
    locate_entry(root, path).and_then(|(k, _)| k)
}

/// The key (if the last segment is a mapping entry) and node at `path`.
pub fn locate_entry<'a>(root: &'a Node, path: &str) -> Option<(Option<&'a Key>, &'a Node)> {
    let mut cur = root;
    let mut key = None;
    for seg in parse_path(path) {
        match seg {
            PathSeg::Field(f) | PathSeg::MapKey(f) => {
                let (k, v) = cur.get_entry(&f)?;
                key = Some(k);
                cur = v;
            }
            PathSeg::Index(i) => {
                let items = cur.as_seq()?;
                cur = items.get(i)?;
                key = None;
            }
        }
    }
    Some((key, cur))
}

/// The deepest existing node along `path` and how many segments matched (for placing a
/// problem about a missing field at its nearest existing ancestor).
pub fn locate_nearest<'a>(root: &'a Node, path: &str) -> (Option<&'a Key>, &'a Node, usize) {
    let mut cur = root;
    let mut key = None;
    let mut matched = 0;
    for seg in parse_path(path) {
        let next = match &seg {
            PathSeg::Field(f) | PathSeg::MapKey(f) => cur.get_entry(f).map(|(k, v)| (Some(k), v)),
            PathSeg::Index(i) => cur.as_seq().and_then(|s| s.get(*i)).map(|v| (None, v)),
        };
        match next {
            Some((k, v)) => {
                key = k;
                cur = v;
                matched += 1;
            }
            None => break,
        }
    }
    (key, cur, matched)
}

/// Convenience: split and parse every document of a file. Stops after a separator error.
pub fn parse_all(text: &str) -> Vec<(DocChunk, Result<Option<Node>, YamlError>)> {
    split_documents(text)
        .into_iter()
        .map(|c| {
            let r = parse_document(&c);
            (c, r)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(text: &str) -> Result<Option<Node>, YamlError> {
        parse_document(&DocChunk::from_text(text))
    }

    fn val(text: &str) -> serde_json::Value {
        match one(text) {
            Ok(Some(n)) => n.to_json(),
            Ok(None) => serde_json::Value::Null,
            Err(e) => panic!("{text:?}: {e}"),
        }
    }

    fn err(text: &str) -> String {
        match one(text) {
            Err(e) => e.message,
            Ok(v) => panic!("{text:?} parsed: {v:?}"),
        }
    }

    #[test]
    fn scalar_resolution_table() {
        let cases: &[(&str, serde_json::Value)] = &[
            ("yes", json!(true)),
            ("Yes", json!(true)),
            ("YES", json!(true)),
            ("y", json!(true)),
            ("Y", json!(true)),
            ("on", json!(true)),
            ("On", json!(true)),
            ("true", json!(true)),
            ("True", json!(true)),
            ("no", json!(false)),
            ("n", json!(false)),
            ("off", json!(false)),
            ("OFF", json!(false)),
            ("false", json!(false)),
            ("yEs", json!("yEs")),
            ("~", json!(null)),
            ("null", json!(null)),
            ("Null", json!(null)),
            ("NULL", json!(null)),
            ("", json!(null)),
            ("nULL", json!("nULL")),
            ("42", json!(42)),
            ("-17", json!(-17)),
            ("+5", json!(5)),
            ("0x1F", json!(31)),
            ("0o17", json!(15)),
            ("0b101", json!(5)),
            ("-0b101", json!(-5)),
            ("0755", json!(493)),
            ("08", json!(8)),
            ("1_000", json!(1000)),
            ("3.0", json!(3)),
            ("3.5", json!(3.5)),
            ("1e3", json!(1000)),
            (".5", json!(0.5)),
            ("-.5", json!(-0.5)),
            ("1.", json!(1)),
            ("9223372036854775807", json!(9223372036854775807i64)),
            ("12e", json!("12e")),
            ("1.2.3", json!("1.2.3")),
            ("2001-12-14", json!("2001-12-14")),
            ("2001-12-14T21:59:43.10Z", json!("2001-12-14T21:59:43.10Z")),
            ("1Gi", json!("1Gi")),
            ("nginx:1.25", json!("nginx:1.25")),
            ("'true'", json!("true")),
            ("\"42\"", json!("42")),
            ("!!str 42", json!("42")),
            ("!!str true", json!("true")),
            ("!!int \"42\"", json!(42)),
            ("!!float 1", json!(1)),
            ("!!bool yes", json!(true)),
            ("!custom 42", json!("42")),
            ("!!binary aGVsbG8=", json!("hello")),
            ("|\n  line1\n  line2\n", json!("line1\nline2\n")),
            (">-\n  a\n  b\n", json!("a b")),
        ];
        for (text, want) in cases {
            let got = val(&format!("v: {text}\n"));
            assert_eq!(got["v"], *want, "scalar {text:?}");
        }
        assert_eq!(err("v: .inf\n"), "json: unsupported value: +Inf");
        assert_eq!(err("v: .nan\n"), "json: unsupported value: NaN");
        assert_eq!(err("v: -.inf\n"), "json: unsupported value: -Inf");
    }

    #[test]
    fn map_keys_become_strings() {
        let v = val("1: a\ntrue: b\n1.5: c\n0x10: d\non: e\n1e6: f\n");
        assert_eq!(v, json!({"1": "a", "true": "e", "1.5": "c", "16": "d", "1e+06": "f"}));
        assert_eq!(err("~: x\n"), "unsupported map key of type: %!s(<nil>), key: <nil>, value: \"x\"");
        assert!(err("? [a, b]\n: 1\n").starts_with("yaml: invalid map key: []interface {}{\"a\", \"b\"}"));
    }

    #[test]
    fn tag_errors() {
        assert_eq!(err("a: !!int foo\n"), "yaml: cannot decode !!str `foo` as a !!int");
        assert_eq!(err("a: !!bool 1\n"), "yaml: cannot decode !!int `1` as a !!bool");
        assert_eq!(err("a: !!binary '***'\n"), "yaml: !!binary value contains invalid base64 data");
    }

    #[test]
    fn duplicate_keys_last_wins() {
        let n = one("a: 1\nb: 2\na: 3\n").unwrap().unwrap();
        assert_eq!(n.to_json(), json!({"a": 3, "b": 2}));
        assert_eq!(n.get("a").unwrap().start.line, 3);
        assert_eq!(n.effective_entries().len(), 2);
    }

    #[test]
    fn anchors_aliases_and_merge() {
        let v = val("base: &b {x: 1, z: 2}\nc:\n  <<: *b\n  z: 3\nd: *b\n");
        assert_eq!(v["c"], json!({"x": 1, "z": 3}));
        assert_eq!(v["d"], json!({"x": 1, "z": 2}));
        // YAML 1.1: the key `y` is the boolean true.
        assert_eq!(val("y: 1\n"), json!({"true": 1}));
        // go-yaml v2: a merge after a key overrides it.
        let v = val("a: &a {k: 1}\nm:\n  k: 0\n  <<: *a\n");
        assert_eq!(v["m"], json!({"k": 1}));
        let v = val("a: &a {k: 1}\nb: &b {k: 2, j: 2}\nm:\n  <<: [*a, *b]\n");
        assert_eq!(v["m"], json!({"k": 1, "j": 2}));
        assert_eq!(err("a: 1\nb:\n  <<: 5\n"), "yaml: map merge requires map or sequence of maps as the value");
        assert_eq!(err("a: 1\nb: *nope\n"), "yaml: unknown anchor 'nope' referenced");
        assert_eq!(err("a: &x {b: *x}\n"), "yaml: anchor 'x' value contains itself");
        let n = one("a: &x [1]\nb: *x\n").unwrap().unwrap();
        let b = n.get("b").unwrap();
        assert!(b.from_alias);
        assert_eq!(b.start.line, 2);
    }

    fn laughs(levels: usize, fanout: usize) -> String {
        let mut text = String::from("a0: &a0 [\"lol\"]\n");
        for level in 1..=levels {
            let refs: Vec<String> = (0..fanout).map(|_| format!("*a{}", level - 1)).collect();
            let _ = writeln!(text, "a{level}: &a{level} [{}]", refs.join(", "));
        }
        text
    }

    #[test]
    fn alias_bomb_is_rejected() {
        assert!(one(&laughs(3, 10)).is_ok());
        assert_eq!(err(&laughs(4, 10)), "yaml: document contains excessive aliasing");
        assert_eq!(err(&laughs(9, 9)), "yaml: document contains excessive aliasing");
    }

    #[test]
    fn deep_nesting_is_capped() {
        let ok = format!("{}1{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        let n = one(&ok).unwrap().unwrap();
        let j = n.to_json();
        drop(j);
        let deep = "[".repeat(100_000);
        assert_eq!(err(&deep), "yaml: exceeded max depth of 1000");
        let mut block = String::new();
        for i in 0..1100 {
            let _ = writeln!(block, "{}k{i}:", " ".repeat(i));
        }
        assert!(err(&block).ends_with("exceeded max depth of 1000"));
    }

    #[test]
    fn go_yaml_error_lines() {
        // Scanner error on the first line: no line number.
        assert_eq!(err("a: b: c\n"), "yaml: mapping values are not allowed in this context");
        // Scanner errors: 1-based line.
        assert_eq!(err("a: 1\nb: c: d\n"), "yaml: line 2: mapping values are not allowed in this context");
        assert_eq!(err("a:\n\tb: 1\n"), "yaml: line 2: found character that cannot start any token");
        // Parser errors: go-yaml prints the 0-based line (one less than the real line).
        assert_eq!(err("a:\n  b: 1\n c: 2\n"), "yaml: line 2: did not find expected key");
        assert_eq!(err("a: [1, 2\nb: 3\n"), "yaml: line 1: did not find expected ',' or ']'");
        assert_eq!(err("a: \"unterminated\nb: 2\n"), "yaml: line 3: found unexpected end of stream");
        assert_eq!(err("a: \x01\n"), "yaml: control characters are not allowed");
        assert_eq!(err("a:\n  b\n\tc: 1\n"), "yaml: line 3: found a tab character that violate indentation");
    }

    #[test]
    fn real_world_kubectl_errors() {
        // aws-samples/aws-workshop-for-kubernetes#357: kubectl said
        // `error converting YAML to JSON: yaml: line 8: did not find expected key`.
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx-pod\n  labels:\n    name: nginx-pod\nspec:\n  containers:\n- name: nginx\n    image: nginx:latest\n    ports:\n    - containerPort: 80\n";
        let e = err(pod);
        assert_eq!(e, "yaml: line 8: did not find expected key");
        // brotandgames/ciao#83: the third document of a file; kubectl said line 12 (relative
        // to the document).
        let file = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ciao\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ciao\n  namespace: monitoring\nspec:\n  replicas: 1\n  template:\n    metadata:\n  selector:\n      labels:\n        app: ciao\n    spec:\n      containers:\n      - image: brotandgames/ciao:latest\n";
        let chunks = split_documents(file);
        assert!(parse_document(&chunks[0]).is_ok());
        assert!(parse_document(&chunks[1]).is_ok());
        let e = parse_document(&chunks[2]).unwrap_err();
        assert_eq!(e.message, "yaml: line 12: did not find expected key");
        assert_eq!(e.pos.line, 23);
    }

    #[test]
    fn error_positions_are_file_positions() {
        let text = "a: 1\n---\nb: 1\nc: d: e\n";
        let chunks = split_documents(text);
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[1].first_line, 3);
        let e = parse_document(&chunks[1]).unwrap_err();
        assert_eq!(e.message, "yaml: line 2: mapping values are not allowed in this context");
        assert_eq!(e.pos.line, 4);
        assert_eq!(e.pos.column, 5);
        assert_eq!(&text[e.pos.offset..e.pos.offset + 1], ":");
    }

    #[test]
    fn byte_order_mark_positions() {
        let text = "\u{feff}a: 1\nb: c: d\n";
        let e = parse_document(&split_documents(text)[0]).unwrap_err();
        assert_eq!(&text[e.pos.offset..e.pos.offset + 1], ":");
        let n = one("\u{feff}key: value\n").unwrap().unwrap();
        let (k, v) = n.get_entry("key").unwrap();
        assert_eq!((k.start.offset, v.start.offset), (3, 8));
    }

    #[test]
    fn splitting_like_yaml_reader() {
        let text = "---\na: 1\n--- # comment\n# only a comment\n---\n\n---\r\nb: 2\r\n---\n";
        let chunks = split_documents(text);
        assert_eq!(chunks.len(), 4);
        assert_eq!(chunks[0].text, "a: 1\n");
        assert_eq!(chunks[0].first_line, 2);
        assert_eq!(parse_document(&chunks[1]).unwrap(), None);
        assert_eq!(parse_document(&chunks[2]).unwrap(), None);
        assert_eq!(chunks[3].text, "b: 2\n");
        let chunks = split_documents("a: 1\r\n---\r\nb: 2\r\n");
        assert_eq!(chunks[1].text, "b: 2\n");
        let n = parse_document(&chunks[1]).unwrap().unwrap();
        assert_eq!(n.get("b").unwrap().start.offset, 14);
        let chunks = split_documents("a: 1\n--- foo\nb: 2\n");
        assert_eq!(chunks.len(), 1);
        assert_eq!(parse_document(&chunks[0]).unwrap_err().message, "invalid Yaml document separator: foo");
        let chunks = split_documents("a: 1\n----\n");
        assert_eq!(parse_document(&chunks[0]).unwrap_err().message, "invalid Yaml document separator: -");
        assert!(split_documents("").is_empty());
        assert!(split_documents("---\n---\n").is_empty());
    }

    #[test]
    fn locate_paths() {
        let n = one("spec:\n  vcts:\n  - metadata: {name: data}\n    spec:\n      sc: fast\nmetadata:\n  labels:\n    app.kubernetes.io/name: x\n")
            .unwrap()
            .unwrap();
        assert_eq!(locate(&n, "spec.vcts[0].spec.sc").unwrap().as_str(), Some("fast"));
        assert_eq!(locate_key(&n, "spec.vcts[0].spec.sc").unwrap().start.line, 5);
        assert_eq!(locate(&n, "metadata.labels[app.kubernetes.io/name]").unwrap().as_str(), Some("x"));
        assert!(locate(&n, "spec.vcts[1]").is_none());
        let (_, near, matched) = locate_nearest(&n, "spec.vcts[0].spec.missing.deeper");
        assert_eq!(matched, 4);
        assert!(near.get("sc").is_some());
        assert_eq!(format_path(&parse_path("a.b[0].c[x.y]")), "a.b[0].c[x.y]");
    }

    #[test]
    fn float_formatting_like_go() {
        assert_eq!(go_json_float(3.5), "3.5");
        assert_eq!(go_json_float(1e21), "1e+21");
        assert_eq!(go_json_float(1e20), "100000000000000000000");
        assert_eq!(go_json_float(1e-7), "1e-7");
        assert_eq!(go_json_float(0.000001), "0.000001");
        assert_eq!(go_format_g32(1000000.0), "1e+06");
        assert_eq!(go_format_g32(0.1), "0.1");
        assert_eq!(go_format_g32(123456.0), "123456");
        assert_eq!(go_format_g32(0.0001), "0.0001");
        assert_eq!(go_format_g32(0.00001), "1e-05");
    }

    /// Deterministic random documents from YAML's special characters: never panic, and every
    /// error position lies inside the text.
    #[test]
    fn random_documents_never_panic() {
        let alphabet: Vec<&str> = vec![
            " ",
            "  ",
            "\n",
            "\r\n",
            "\r",
            "\t",
            "- ",
            ": ",
            ":",
            "[",
            "]",
            "{",
            "}",
            ",",
            "#",
            "&a ",
            "*a",
            "&b ",
            "*b",
            "!!str ",
            "!!int ",
            "!!binary ",
            "!x ",
            "|",
            ">",
            "'",
            "\"",
            "\\",
            "%YAML 1.1\n",
            "---",
            "...",
            "<<: ",
            "? ",
            "a",
            "key",
            "1",
            "0x1F",
            "1e3",
            "yes",
            "~",
            "null",
            "é",
            "\u{85}",
            "\u{2028}",
            "\u{1}",
            "\u{feff}",
            "\u{10ffff}",
        ];
        let iters: usize = std::env::var("STSPLAY_FUZZ_ITERS").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
        let mut seed: u64 = 42;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for _ in 0..iters {
            let mut text = String::new();
            for _ in 0..(next() % 60) {
                text.push_str(alphabet[next() % alphabet.len()]);
            }
            for chunk in split_documents(&text) {
                match parse_document(&chunk) {
                    Ok(Some(n)) => {
                        let _ = n.to_json();
                        assert!(n.start.offset <= text.len() && n.end.offset <= text.len());
                    }
                    Ok(None) => {}
                    Err(e) => {
                        assert!(e.pos.offset <= text.len(), "{text:?}: {e:?}");
                        assert!(text.is_char_boundary(e.pos.offset), "{text:?}: {e:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn garbage_never_panics() {
        let inputs = [
            "\u{feff}a: 1",
            "{{{{",
            "]]]",
            "- - - -",
            "? ? ? ?",
            "&a *a",
            "*a",
            "a: &a\nb: *a\n",
            "%YAML 1.1\n---\na: 1",
            "%TAG ! tag:x,2000:\n--- !foo\na: 1",
            "a: |\n\tx",
            "'",
            "\"\\",
            "a: !<tag:yaml.org,2002:int> 5",
            "...\n...",
            "--- a\n--- b",
            "\u{0}",
            "\u{85}\u{2028}\u{2029}",
            "a: 'b\n\nc'",
            "[a: b, c: d]",
            "{? a}",
            "- &a a\n- *a\n- <<: *a",
        ];
        for i in inputs {
            let _ = one(i);
            for c in split_documents(i) {
                let _ = parse_document(&c);
            }
        }
        // every prefix of a real manifest
        let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: x # c\n  labels: {a: \"b\", c: 'd'}\nspec:\n  ports:\n  - port: 80\n    name: web\n---\nx: |\n  y\n";
        for end in 0..=text.len() {
            if text.is_char_boundary(end) {
                for c in split_documents(&text[..end]) {
                    let _ = parse_document(&c);
                }
            }
        }
    }
}
