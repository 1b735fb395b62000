//! kubectl JSONPath templates (`-o jsonpath=...`, `-o jsonpath-as-json=...`) and
//! custom columns (`-o custom-columns=...`), ported from client-go `util/jsonpath`
//! (parser.go, jsonpath.go), cli-runtime `printers/jsonpath.go` and kubectl
//! `pkg/cmd/get/customcolumn.go`.
//!
//! Behaviour notes (all from the Go sources):
//! * Text outside `{...}` is printed verbatim; results of one action are joined with a
//!   space; maps and lists print as compact JSON; `null` prints `<nil>`; floats print
//!   like Go's `%v` (`1e+06`).
//! * `--allow-missing-template-keys` defaults to true in kubectl: missing fields yield no
//!   output. With `false` a missing field is an error (`foo is not found`).
//! * Map iteration (`.*`, `..`) is in sorted key order here (Go's is random).
//!
//! The evaluator is bounded: template nesting deeper than [`MAX_DEPTH`] is rejected, data
//! recursion (`..`) is iterative. Nothing panics.

use serde_json::{Map, Value};

use crate::jsonout::{format_float, marshal_indent, to_json_compact};
use crate::tabwriter::TabWriter;

/// Maximum nesting of ranges / filters / sub-parsers accepted in a template.
pub const MAX_DEPTH: usize = 64;

// ---------------------------------------------------------------------------------------
// AST

#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    List(Vec<Node>),
    Text(String),
    Field(String),
    Array([Param; 3]),
    Filter { left: Vec<Node>, right: Vec<Node>, op: String },
    Int(i64),
    Float(f64),
    Bool(bool),
    Wildcard,
    Recursive,
    Union(Vec<Vec<Node>>),
    Identifier(String),
}

/// A parsed JSONPath template.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonPath {
    nodes: Vec<Node>,
}

// ---------------------------------------------------------------------------------------
// Parser (client-go util/jsonpath/parser.go)

struct Parser {
    input: Vec<char>,
    pos: usize,
    start: usize,
    depth: usize,
}

fn is_terminator(r: Option<char>) -> bool {
    match r {
        None => true,
        Some(c) => matches!(c, ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'),
    }
}

fn is_alpha_numeric(r: Option<char>) -> bool {
    matches!(r, Some(c) if c == '_' || c.is_alphabetic() || c.is_ascii_digit())
}

/// Go `%#U` of a rune: `U+0028 '('`.
fn go_sharp_u(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{}'", c as u32, c)
    }
}

impl Parser {
    fn new(text: &str, depth: usize) -> Self {
        Parser { input: text.chars().collect(), pos: 0, start: 0, depth }
    }

    fn next(&mut self) -> Option<char> {
        let c = self.input.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn peek(&self) -> Option<char> {
        self.input.get(self.pos).copied()
    }

    fn backup(&mut self) {
        self.pos = self.pos.saturating_sub(1);
    }

    fn consume_text(&mut self) -> String {
        let s: String = self.input[self.start.min(self.pos)..self.pos].iter().collect();
        self.start = self.pos;
        s
    }

    fn has_prefix(&self, p: &str) -> bool {
        p.chars().enumerate().all(|(k, c)| self.input.get(self.pos + k) == Some(&c))
    }

    /// Parse a whole template into root nodes (text and action lists).
    fn parse(mut self) -> Result<Vec<Node>, String> {
        let mut root = Vec::new();
        loop {
            // parseText
            loop {
                if self.has_prefix("{") {
                    break;
                }
                if self.next().is_none() {
                    if self.pos > self.start {
                        root.push(Node::Text(self.consume_text()));
                    }
                    return Ok(root);
                }
            }
            if self.pos > self.start {
                root.push(Node::Text(self.consume_text()));
            }
            // parseLeftDelim
            self.pos += 1;
            self.consume_text();
            let list = self.parse_inside_action()?;
            root.push(Node::List(list));
        }
    }

    /// Sub-parse `{text}` and return the action's nodes (Go `parseAction`).
    fn parse_action(&self, text: &str) -> Result<Vec<Node>, String> {
        if self.depth >= MAX_DEPTH {
            return Err("template nesting too deep".to_string());
        }
        let p = Parser::new(&format!("{{{}}}", text), self.depth + 1);
        let mut nodes = p.parse()?;
        match nodes.first_mut() {
            Some(Node::List(l)) => Ok(std::mem::take(l)),
            _ => Ok(Vec::new()),
        }
    }

    /// Tokens of one action up to and including the closing `}`.
    fn parse_inside_action(&mut self) -> Result<Vec<Node>, String> {
        let mut cur: Vec<Node> = Vec::new();
        loop {
            if self.has_prefix("}") {
                self.pos += 1;
                self.consume_text();
                return Ok(cur);
            }
            if self.has_prefix("[?(") {
                self.parse_filter(&mut cur)?;
                continue;
            }
            if self.has_prefix("..") {
                if matches!(cur.last(), Some(Node::Recursive)) {
                    return Err("invalid multiple recursive descent".to_string());
                }
                self.pos += 2;
                self.consume_text();
                cur.push(Node::Recursive);
                if is_alpha_numeric(self.peek()) {
                    self.parse_field(&mut cur);
                }
                continue;
            }
            let r = self.next();
            match r {
                None | Some('\r') | Some('\n') => return Err("unclosed action".to_string()),
                Some(' ') | Some('@') | Some('$') => {
                    self.consume_text();
                }
                Some('[') => self.parse_array(&mut cur)?,
                Some(q @ ('"' | '\'')) => self.parse_quote(&mut cur, q)?,
                Some('.') => self.parse_field(&mut cur),
                Some(c) if c == '+' || c == '-' || c.is_ascii_digit() => {
                    self.backup();
                    self.parse_number(&mut cur)?;
                }
                Some(c) if is_alpha_numeric(Some(c)) => {
                    self.backup();
                    loop {
                        let r = self.next();
                        if is_terminator(r) {
                            if r.is_some() {
                                self.backup();
                            }
                            break;
                        }
                    }
                    let value = self.consume_text();
                    if value == "true" || value == "false" {
                        cur.push(Node::Bool(value == "true"));
                    } else {
                        cur.push(Node::Identifier(value));
                    }
                }
                Some(c) => return Err(format!("unrecognized character in action: {}", go_sharp_u(c))),
            }
        }
    }

    fn parse_number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+') | Some('-')) {
            self.next();
        }
        loop {
            match self.next() {
                Some(c) if c == '.' || c.is_ascii_digit() => {}
                Some(_) => {
                    self.backup();
                    break;
                }
                None => break,
            }
        }
        let value = self.consume_text();
        if let Some(i) = go_atoi(&value) {
            cur.push(Node::Int(i));
            return Ok(());
        }
        match value.parse::<f64>() {
            Ok(f) if !value.is_empty() && value != "+" && value != "-" => {
                cur.push(Node::Float(f));
                Ok(())
            }
            _ => Err(format!("cannot parse number {}", value)),
        }
    }

    fn parse_field(&mut self, cur: &mut Vec<Node>) {
        self.consume_text();
        loop {
            let r = self.next();
            if r == Some('\\') {
                self.next();
            } else if is_terminator(r) {
                if r.is_some() {
                    self.backup();
                }
                break;
            }
        }
        let value = self.consume_text();
        if value == "*" {
            cur.push(Node::Wildcard);
        } else {
            cur.push(Node::Field(value.replace('\\', "")));
        }
    }

    fn parse_quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".to_string()),
                Some(c) if c == end && (self.pos < 2 || self.input[self.pos - 2] != '\\') => break,
                _ => {}
            }
        }
        let value = self.consume_text();
        match unquote_extend(&value) {
            Some(s) => {
                cur.push(Node::Text(s));
                Ok(())
            }
            None => Err(format!("unquote string {} error invalid syntax", value)),
        }
    }

    fn parse_array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".to_string()),
                Some(']') => break,
                _ => {}
            }
        }
        let text = self.consume_text();
        let inner: String = {
            let chars: Vec<char> = text.chars().collect();
            if chars.len() >= 2 {
                chars[1..chars.len() - 1].iter().collect()
            } else {
                String::new()
            }
        };
        let text = if inner == "*" { ":".to_string() } else { inner };

        // union
        let strs: Vec<&str> = text.split(',').collect();
        if strs.len() > 1 {
            let mut union = Vec::new();
            for s in strs {
                union.push(self.parse_action(&format!("[{}]", s.trim_matches(' ')))?);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }

        // dict key
        if text.len() >= 2 && text.starts_with('\'') && text.ends_with('\'') && !text[1..text.len() - 1].contains('\'')
        {
            let nodes = self.parse_action(&format!(".{}", &text[1..text.len() - 1]))?;
            cur.extend(nodes);
            return Ok(());
        }

        // slice: ^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$
        let parts = match slice_parts(&text) {
            Some(p) => p,
            None => return Err(format!("invalid array index {}", text)),
        };
        let mut params = [Param::default(); 3];
        for i in 0..3 {
            match &parts[i] {
                Some(v) if !(i == 0 && v.is_empty()) => {
                    let v = if i > 0 { &v[1..] } else { v.as_str() };
                    if i > 0 && v.is_empty() {
                        params[i].known = false;
                    } else {
                        params[i].known = true;
                        params[i].value = match go_atoi(v) {
                            Some(n) => n,
                            None => return Err(format!("array index {} is not a number", v)),
                        };
                    }
                }
                _ => {
                    if i == 1 {
                        params[i].known = true;
                        params[i].value = params[0].value.saturating_add(1);
                        params[i].derived = true;
                    } else {
                        params[i].known = false;
                        params[i].value = 0;
                    }
                }
            }
        }
        cur.push(Node::Array(params));
        Ok(())
    }

    fn parse_filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume_text();
        let mut begin = false;
        let mut end = false;
        let mut pair = '\0';
        loop {
            let r = self.next();
            match r {
                None | Some('\n') => return Err("unterminated filter".to_string()),
                Some(q @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = q;
                        continue;
                    }
                    if self.pos >= 2 && self.input[self.pos - 2] != '\\' && q == pair {
                        end = true;
                    }
                }
                Some(')') if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".to_string());
        }
        let text = self.consume_text();
        let chars: Vec<char> = text.chars().collect();
        let text: String = chars[..chars.len().saturating_sub(2)].iter().collect();
        // ^([^!<>=]+)([!<>=]+)(.+?)$
        let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
        let left_len = text.chars().take_while(|&c| !is_op(c)).count();
        let op_len = text.chars().skip(left_len).take_while(|&c| is_op(c)).count();
        let total = text.chars().count();
        if left_len == 0 || op_len == 0 || left_len + op_len >= total {
            let nodes = self.parse_action(&text)?;
            cur.push(Node::Filter { left: nodes, right: Vec::new(), op: "exists".to_string() });
        } else {
            let left: String = text.chars().take(left_len).collect();
            let op: String = text.chars().skip(left_len).take(op_len).collect();
            let right: String = text.chars().skip(left_len + op_len).collect();
            let l = self.parse_action(&left)?;
            let r = self.parse_action(&right)?;
            cur.push(Node::Filter { left: l, right: r, op });
        }
        Ok(())
    }
}

/// `^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$` → the three groups (None = group absent).
fn slice_parts(text: &str) -> Option<[Option<String>; 3]> {
    let b: Vec<char> = text.chars().collect();
    let mut i = 0;
    let num = |i: &mut usize| {
        let st = *i;
        if *i < b.len() && b[*i] == '-' {
            *i += 1;
        }
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        b[st..*i].iter().collect::<String>()
    };
    let g0 = num(&mut i);
    let mut groups = [Some(g0), None, None];
    for g in groups.iter_mut().skip(1) {
        if i < b.len() && b[i] == ':' {
            let st = i;
            i += 1;
            num(&mut i);
            *g = Some(b[st..i].iter().collect());
        }
    }
    if i != b.len() {
        return None;
    }
    Some(groups)
}

/// Go `strconv.Atoi`.
fn go_atoi(s: &str) -> Option<i64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse::<i64>().ok()
}

/// client-go `UnquoteExtend`: Go `strconv.Unquote` that also accepts single quotes.
fn unquote_extend(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n < 2 {
        return None;
    }
    let quote = chars[0];
    if quote != chars[n - 1] || (quote != '"' && quote != '\'') {
        return None;
    }
    let body = &chars[1..n - 1];
    let mut out = String::new();
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        if c == quote {
            return None;
        }
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = *body.get(i + 1)?;
        i += 2;
        match e {
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            '\'' | '"' => {
                if e != quote {
                    return None;
                }
                out.push(e);
            }
            'x' | 'u' | 'U' => {
                let n = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let digits = body.get(i..i + n)?;
                let mut v: u32 = 0;
                for d in digits {
                    v = v.checked_mul(16)?.checked_add(d.to_digit(16)?)?;
                }
                i += n;
                if e == 'x' {
                    // a single byte; bytes >= 0x80 would make invalid UTF-8
                    if v >= 0x80 {
                        out.push('\u{fffd}');
                    } else {
                        out.push(char::from_u32(v)?);
                    }
                } else {
                    out.push(char::from_u32(v)?);
                }
            }
            '0'..='7' => {
                let digits = body.get(i - 1..i + 2)?;
                let mut v: u32 = 0;
                for d in digits {
                    v = v * 8 + d.to_digit(8)?;
                }
                if v > 255 {
                    return None;
                }
                i += 2;
                if v >= 0x80 {
                    out.push('\u{fffd}');
                } else {
                    out.push(char::from_u32(v)?);
                }
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Parse a JSONPath template. The error is client-go's parser message
/// (e.g. `unterminated array`, `unclosed action`).
pub fn parse(template: &str) -> Result<JsonPath, String> {
    let nodes = Parser::new(template, 0).parse()?;
    Ok(JsonPath { nodes })
}

// ---------------------------------------------------------------------------------------
// Evaluation (client-go util/jsonpath/jsonpath.go)

#[derive(Clone, Debug)]
enum R<'a> {
    /// a value from the data
    V(&'a Value),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// a byte of a string (wildcard over a string)
    Byte(u8),
    /// Go's invalid reflect.Value (data of a range that produced nothing)
    Invalid,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Bool,
    Int,
    Uint,
    Float,
    Str,
    Invalid,
}

impl R<'_> {
    fn is_nil(&self) -> bool {
        matches!(self, R::V(Value::Null))
    }

    fn kind(&self) -> Kind {
        match self {
            R::V(Value::Bool(_)) | R::Bool(_) => Kind::Bool,
            R::V(Value::String(_)) | R::Str(_) => Kind::Str,
            R::V(Value::Number(n)) => {
                if n.is_i64() {
                    Kind::Int
                } else if n.is_u64() {
                    Kind::Uint
                } else {
                    Kind::Float
                }
            }
            R::Int(_) => Kind::Int,
            R::Byte(_) => Kind::Uint,
            R::Float(_) => Kind::Float,
            _ => Kind::Invalid,
        }
    }

    fn as_i64(&self) -> i64 {
        match self {
            R::V(Value::Number(n)) => n.as_i64().unwrap_or(0),
            R::Int(i) => *i,
            _ => 0,
        }
    }

    fn as_u64(&self) -> u64 {
        match self {
            R::V(Value::Number(n)) => n.as_u64().unwrap_or(0),
            R::Byte(b) => *b as u64,
            _ => 0,
        }
    }

    fn as_f64(&self) -> f64 {
        match self {
            R::V(Value::Number(n)) => n.as_f64().unwrap_or(0.0),
            R::Float(f) => *f,
            _ => 0.0,
        }
    }

    fn as_str(&self) -> &str {
        match self {
            R::V(Value::String(s)) => s,
            R::Str(s) => s,
            _ => "",
        }
    }

    fn as_bool(&self) -> bool {
        match self {
            R::V(Value::Bool(b)) | R::Bool(b) => *b,
            _ => false,
        }
    }

    /// Go `%v` text (evalToText / PrintableValue).
    fn text(&self) -> String {
        match self {
            R::V(v) => go_fmt_v(v),
            R::Str(s) => s.clone(),
            R::Int(i) => i.to_string(),
            R::Float(f) => format_float(*f, 'g'),
            R::Bool(b) => b.to_string(),
            R::Byte(b) => b.to_string(),
            R::Invalid => "<no value>".to_string(),
        }
    }

    fn to_value(&self) -> Value {
        match self {
            R::V(v) => (*v).clone(),
            R::Str(s) => Value::String(s.clone()),
            R::Int(i) => Value::from(*i),
            R::Float(f) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
            R::Bool(b) => Value::Bool(*b),
            R::Byte(b) => Value::from(*b),
            R::Invalid => Value::Null,
        }
    }

    /// Go reflect type name, for error messages.
    fn type_name(&self) -> &'static str {
        match self {
            R::V(Value::Object(_)) => "map[string]interface {}",
            R::V(Value::Array(_)) => "[]interface {}",
            R::V(Value::String(_)) | R::Str(_) => "string",
            R::V(Value::Bool(_)) | R::Bool(_) => "bool",
            R::V(Value::Number(n)) => {
                if n.is_i64() {
                    "int64"
                } else if n.is_u64() {
                    "uint64"
                } else {
                    "float64"
                }
            }
            R::V(Value::Null) => "interface {}",
            R::Int(_) => "int",
            R::Float(_) => "float64",
            R::Byte(_) => "uint8",
            R::Invalid => "<invalid reflect.Value>",
        }
    }
}

fn sorted_entries(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut v: Vec<(&String, &Value)> = m.iter().collect();
    v.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    v
}

/// Children as Go's reflect iteration sees them (map values, slice items, string bytes).
fn children<'a>(r: &R<'a>) -> Vec<R<'a>> {
    match r {
        R::V(Value::Object(m)) => sorted_entries(m).into_iter().map(|(_, v)| R::V(v)).collect(),
        R::V(Value::Array(a)) => a.iter().map(R::V).collect(),
        R::V(Value::String(s)) => s.bytes().map(R::Byte).collect(),
        R::Str(s) => s.bytes().map(R::Byte).collect(),
        _ => Vec::new(),
    }
}

const ERR_BAD_TYPE: &str = "invalid type for comparison";
const ERR_BAD_CMP: &str = "incompatible types for comparison";

fn cmp_equal(a: &R, b: &R) -> Result<bool, String> {
    let (k1, k2) = (a.kind(), b.kind());
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err(ERR_BAD_TYPE.to_string());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) => Ok(a.as_i64() >= 0 && a.as_i64() as u64 == b.as_u64()),
            (Kind::Uint, Kind::Int) => Ok(b.as_i64() >= 0 && a.as_u64() == b.as_i64() as u64),
            _ => Err(ERR_BAD_CMP.to_string()),
        };
    }
    Ok(match k1 {
        Kind::Bool => a.as_bool() == b.as_bool(),
        Kind::Float => a.as_f64() == b.as_f64(),
        Kind::Int => a.as_i64() == b.as_i64(),
        Kind::Str => a.as_str() == b.as_str(),
        Kind::Uint => a.as_u64() == b.as_u64(),
        Kind::Invalid => false,
    })
}

fn cmp_less(a: &R, b: &R) -> Result<bool, String> {
    let (k1, k2) = (a.kind(), b.kind());
    if k1 == Kind::Invalid || k2 == Kind::Invalid {
        return Err(ERR_BAD_TYPE.to_string());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) => Ok(a.as_i64() < 0 || (a.as_i64() as u64) < b.as_u64()),
            (Kind::Uint, Kind::Int) => Ok(b.as_i64() >= 0 && a.as_u64() < b.as_i64() as u64),
            _ => Err(ERR_BAD_CMP.to_string()),
        };
    }
    match k1 {
        Kind::Bool | Kind::Invalid => Err(ERR_BAD_TYPE.to_string()),
        Kind::Float => Ok(a.as_f64() < b.as_f64()),
        Kind::Int => Ok(a.as_i64() < b.as_i64()),
        Kind::Str => Ok(a.as_str() < b.as_str()),
        Kind::Uint => Ok(a.as_u64() < b.as_u64()),
    }
}

/// Upper bound on evaluation steps (node walks) for one template execution.
pub const MAX_STEPS: usize = 2_000_000;

struct Eval<'n> {
    nodes: &'n [Node],
    steps: usize,
    allow_missing_keys: bool,
    begin_range: usize,
    in_range: usize,
    end_range: usize,
    last_end: Option<usize>,
}

impl<'n> Eval<'n> {
    fn find_results<'a>(&mut self, data: R<'a>, start: usize, depth: usize) -> Result<Vec<Vec<R<'a>>>, String>
    where
        'n: 'a,
    {
        if depth > MAX_DEPTH {
            return Err("range nesting too deep".to_string());
        }
        let cur = vec![data];
        let mut full: Vec<Vec<R<'a>>> = Vec::new();
        let nodes = self.nodes;
        let mut i = start;
        while i < nodes.len() {
            let results = self.walk(&cur, &nodes[i])?;
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                self.last_end = Some(i);
                break;
            }
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                if !results.is_empty() {
                    for value in results {
                        let next = self.find_results(value, i + 1, depth + 1)?;
                        full.extend(next);
                    }
                } else {
                    self.find_results(R::Invalid, i + 1, depth + 1)?;
                }
                self.in_range -= 1;
                if let Some(k) = self.last_end {
                    if k > i && k < nodes.len() {
                        i = k;
                    }
                }
                i += 1;
                continue;
            }
            full.push(results);
            i += 1;
        }
        Ok(full)
    }

    fn walk<'a>(&mut self, input: &[R<'a>], node: &'a Node) -> Result<Vec<R<'a>>, String> {
        self.steps += 1 + input.len();
        if self.steps > MAX_STEPS {
            return Err("template evaluation too expensive".to_string());
        }
        match node {
            Node::List(list) => self.eval_list(input, list),
            Node::Text(t) => Ok(vec![R::Str(t.clone())]),
            Node::Field(name) => self.eval_field(input, name),
            Node::Array(params) => eval_array(input, params),
            Node::Filter { left, right, op } => self.eval_filter(input, left, right, op),
            Node::Int(v) => Ok(input.iter().map(|_| R::Int(*v)).collect()),
            Node::Float(v) => Ok(input.iter().map(|_| R::Float(*v)).collect()),
            Node::Bool(v) => Ok(input.iter().map(|_| R::Bool(*v)).collect()),
            Node::Wildcard => Ok(input.iter().filter(|r| !r.is_nil()).flat_map(children).collect()),
            Node::Recursive => Ok(eval_recursive(input)),
            Node::Union(lists) => {
                let mut out = Vec::new();
                for l in lists {
                    out.extend(self.eval_list(input, l)?);
                }
                Ok(out)
            }
            Node::Identifier(name) => match name.as_str() {
                "range" => {
                    self.begin_range += 1;
                    Ok(input.to_vec())
                }
                "end" => {
                    if self.in_range > 0 {
                        self.end_range += 1;
                        Ok(Vec::new())
                    } else {
                        Err("not in range, nothing to end".to_string())
                    }
                }
                _ => Err(format!("unrecognized identifier {}", name)),
            },
        }
    }

    fn eval_list<'a>(&mut self, input: &[R<'a>], nodes: &'a [Node]) -> Result<Vec<R<'a>>, String> {
        let mut cur = input.to_vec();
        for n in nodes {
            cur = self.walk(&cur, n)?;
        }
        Ok(cur)
    }

    fn eval_field<'a>(&mut self, input: &[R<'a>], name: &str) -> Result<Vec<R<'a>>, String> {
        let mut results = Vec::new();
        if input.is_empty() {
            return Ok(results);
        }
        for v in input {
            if let R::V(Value::Object(m)) = v {
                if let Some(x) = m.get(name) {
                    results.push(R::V(x));
                }
            }
        }
        if results.is_empty() && !self.allow_missing_keys {
            return Err(format!("{} is not found", name));
        }
        Ok(results)
    }

    fn eval_filter<'a>(
        &mut self,
        input: &[R<'a>],
        left: &'a [Node],
        right: &'a [Node],
        op: &str,
    ) -> Result<Vec<R<'a>>, String> {
        let mut results = Vec::new();
        for v in input {
            let items = match v {
                R::V(Value::Array(a)) => a,
                other => {
                    return Err(format!("{} is not array or slice and cannot be filtered", other.text()));
                }
            };
            for item in items {
                let temp = vec![R::V(item)];
                let lefts = self.eval_list(&temp, left);
                if op == "exists" {
                    if matches!(&lefts, Ok(l) if !l.is_empty()) {
                        results.push(R::V(item));
                    }
                    continue;
                }
                let lefts = lefts?;
                if lefts.is_empty() {
                    continue;
                }
                if lefts.len() > 1 {
                    return Err("can only compare one element at a time".to_string());
                }
                let rights = self.eval_list(&temp, right)?;
                if rights.is_empty() {
                    continue;
                }
                if rights.len() > 1 {
                    return Err("can only compare one element at a time".to_string());
                }
                let (l, r) = (&lefts[0], &rights[0]);
                let pass = match op {
                    "<" => cmp_less(l, r)?,
                    ">" => !(cmp_less(l, r)? || cmp_equal(l, r)?),
                    "==" => cmp_equal(l, r)?,
                    "!=" => !cmp_equal(l, r)?,
                    "<=" => cmp_less(l, r)? || cmp_equal(l, r)?,
                    ">=" => !cmp_less(l, r)?,
                    _ => return Err(format!("unrecognized filter operator {}", op)),
                };
                if pass {
                    results.push(R::V(item));
                }
            }
        }
        Ok(results)
    }
}

fn eval_array<'a>(input: &[R<'a>], node_params: &[Param; 3]) -> Result<Vec<R<'a>>, String> {
    let mut result = Vec::new();
    for v in input {
        if v.is_nil() {
            continue;
        }
        let items = match v {
            R::V(Value::Array(a)) => a,
            other => return Err(format!("{} is not array or slice", other.type_name())),
        };
        let len = items.len() as i64;
        let mut p = *node_params;
        if !p[0].known {
            p[0].value = 0;
        }
        if p[0].value < 0 {
            p[0].value += len;
        }
        if !p[1].known {
            p[1].value = len;
        }
        if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
            p[1].value += len;
        }
        if p[1].value != p[0].value {
            if p[0].value >= len || p[0].value < 0 {
                return Err(format!("array index out of bounds: index {}, length {}", p[0].value, len));
            }
            if p[1].value > len || p[1].value < 0 {
                return Err(format!(
                    "array index out of bounds: index {}, length {}",
                    p[1].value.saturating_sub(1),
                    len
                ));
            }
            if p[0].value > p[1].value {
                return Err(format!("starting index {} is greater than ending index {}", p[0].value, p[1].value));
            }
        } else {
            return Ok(result);
        }
        let slice = &items[p[0].value as usize..p[1].value as usize];
        let mut step = 1usize;
        if p[2].known {
            if p[2].value <= 0 {
                return Err("step must be > 0".to_string());
            }
            step = p[2].value as usize;
        }
        let mut i = 0;
        while i < slice.len() {
            result.push(R::V(&slice[i]));
            i += step;
        }
    }
    Ok(result)
}

/// `..`: every value that has children, in depth-first pre-order (iterative).
fn eval_recursive<'a>(input: &[R<'a>]) -> Vec<R<'a>> {
    let mut out = Vec::new();
    let mut stack: Vec<R<'a>> = input.iter().rev().cloned().collect();
    while let Some(v) = stack.pop() {
        if v.is_nil() {
            continue;
        }
        let kids = children(&v);
        if !kids.is_empty() {
            out.push(v);
            for k in kids.into_iter().rev() {
                stack.push(k);
            }
        }
    }
    out
}

impl JsonPath {
    fn find<'a>(&'a self, data: &'a Value, allow_missing_keys: bool) -> Result<Vec<Vec<R<'a>>>, String> {
        let mut ev = Eval {
            nodes: &self.nodes,
            steps: 0,
            allow_missing_keys,
            begin_range: 0,
            in_range: 0,
            end_range: 0,
            last_end: None,
        };
        ev.find_results(R::V(data), 0, 0)
    }

    /// `JSONPath.Execute`: the printed text, or the engine's error message
    /// (e.g. `foo is not found`, `array index out of bounds: index 5, length 3`).
    pub fn execute(&self, data: &Value, allow_missing_keys: bool) -> Result<String, String> {
        let full = self.find(data, allow_missing_keys)?;
        let mut out = String::new();
        for results in &full {
            for (i, r) in results.iter().enumerate() {
                match r {
                    R::V(v @ (Value::Object(_) | Value::Array(_))) => out.push_str(&to_json_compact(v)),
                    other => out.push_str(&other.text()),
                }
                if i + 1 != results.len() {
                    out.push(' ');
                }
            }
        }
        Ok(out)
    }

    /// `jsonpath-as-json`: each result group printed as an indented JSON array.
    pub fn execute_json(&self, data: &Value, allow_missing_keys: bool) -> Result<String, String> {
        let full = self.find(data, allow_missing_keys)?;
        let mut out = String::new();
        for results in &full {
            let arr = Value::Array(results.iter().map(|r| r.to_value()).collect());
            out.push_str(&marshal_indent(&arr, "", "    "));
            out.push('\n');
        }
        Ok(out)
    }

    /// Raw result groups as JSON values (one inner vector per template action/text).
    pub fn find_values(&self, data: &Value, allow_missing_keys: bool) -> Result<Vec<Vec<Value>>, String> {
        let full = self.find(data, allow_missing_keys)?;
        Ok(full.into_iter().map(|g| g.iter().map(|r| r.to_value()).collect()).collect())
    }
}

/// What `kubectl get -o jsonpath=TEMPLATE` (or `jsonpath-as-json` with `as_json`) prints for
/// the object `data`. `Err` holds kubectl's error message without the `error: ` prefix
/// (it may contain newlines and ends with one), e.g.
/// `error parsing jsonpath {.items[, unterminated array\n` or
/// `error executing jsonpath "{.foo}": Error executing template: foo is not found. Printing more information for debugging the template:\n...`.
pub fn kubectl_jsonpath(
    template: &str,
    data: &Value,
    allow_missing_keys: bool,
    as_json: bool,
) -> Result<String, String> {
    let jp = match parse(template) {
        Ok(jp) => jp,
        Err(e) => return Err(format!("error parsing jsonpath {}, {}\n", template, e)),
    };
    let res = if as_json { jp.execute_json(data, allow_missing_keys) } else { jp.execute(data, allow_missing_keys) };
    res.map_err(|e| {
        format!(
            "error executing jsonpath {}: Error executing template: {}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n\n",
            go_quote(template),
            e,
            template,
            go_fmt_sharp_v(data)
        )
    })
}

// ---------------------------------------------------------------------------------------
// Go fmt helpers

/// Go `fmt.Sprint` (`%v`) of an unstructured JSON value: `map[k:v k2:v2]`, `[a b]`, `<nil>`.
pub fn go_fmt_v(v: &Value) -> String {
    let mut out = String::new();
    // iterative: stack of pending pieces
    enum W<'a> {
        V(&'a Value),
        S(&'static str),
        K(&'a str),
    }
    let mut stack = vec![W::V(v)];
    while let Some(w) = stack.pop() {
        match w {
            W::S(s) => out.push_str(s),
            W::K(k) => {
                out.push_str(k);
                out.push(':');
            }
            W::V(v) => match v {
                Value::Null => out.push_str("<nil>"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Number(n) => out.push_str(&go_number_v(n)),
                Value::String(s) => out.push_str(s),
                Value::Array(a) => {
                    out.push('[');
                    stack.push(W::S("]"));
                    for (i, x) in a.iter().enumerate().rev() {
                        stack.push(W::V(x));
                        if i > 0 {
                            stack.push(W::S(" "));
                        }
                    }
                }
                Value::Object(m) => {
                    out.push_str("map[");
                    stack.push(W::S("]"));
                    let entries = sorted_entries(m);
                    for (i, (k, x)) in entries.into_iter().enumerate().rev() {
                        stack.push(W::V(x));
                        stack.push(W::K(k));
                        if i > 0 {
                            stack.push(W::S(" "));
                        }
                    }
                }
            },
        }
    }
    out
}

fn go_number_v(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        format_float(n.as_f64().unwrap_or(0.0), 'g')
    }
}

/// Go `%#v` of an unstructured value as held in `interface{}`:
/// `map[string]interface {}{"a":"b", "n":3}`, `[]interface {}{...}`, `interface {}(nil)`.
pub fn go_fmt_sharp_v(v: &Value) -> String {
    let mut out = String::new();
    enum W<'a> {
        V(&'a Value),
        S(&'static str),
        K(&'a str),
    }
    let mut stack = vec![W::V(v)];
    while let Some(w) = stack.pop() {
        match w {
            W::S(s) => out.push_str(s),
            W::K(k) => {
                out.push_str(&go_quote(k));
                out.push(':');
            }
            W::V(v) => match v {
                Value::Null => out.push_str("interface {}(nil)"),
                Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                Value::Number(n) => out.push_str(&go_number_v(n)),
                Value::String(s) => out.push_str(&go_quote(s)),
                Value::Array(a) => {
                    out.push_str("[]interface {}{");
                    stack.push(W::S("}"));
                    for (i, x) in a.iter().enumerate().rev() {
                        stack.push(W::V(x));
                        if i > 0 {
                            stack.push(W::S(", "));
                        }
                    }
                }
                Value::Object(m) => {
                    out.push_str("map[string]interface {}{");
                    stack.push(W::S("}"));
                    let entries = sorted_entries(m);
                    for (i, (k, x)) in entries.into_iter().enumerate().rev() {
                        stack.push(W::V(x));
                        stack.push(W::K(k));
                        if i > 0 {
                            stack.push(W::S(", "));
                        }
                    }
                }
            },
        }
    }
    out
}

/// Go `strconv.Quote` (approximating `unicode.IsPrint` for non-ASCII).
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x80 => out.push(c),
            c if c.is_control() || (c.is_whitespace()) || c == '\u{feff}' || ('\u{e000}'..='\u{f8ff}').contains(&c) => {
                if (c as u32) <= 0xffff {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------
// Custom columns (kubectl pkg/cmd/get/customcolumn.go)

/// One `-o custom-columns` column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomColumn {
    pub header: String,
    /// Normalized JSONPath template (`{.metadata.name}`).
    pub field_spec: String,
}

/// kubectl `RelaxedJSONPathExpression`: accepts `metadata.name`, `.metadata.name`,
/// `{metadata.name}`, `{.metadata.name}` and returns `{.metadata.name}`.
pub fn relaxed_jsonpath_expression(path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok(String::new());
    }
    let no_braces = |s: &str| !s.is_empty() && !s.contains('{') && !s.contains('}');
    let strip_dot = |s: &str| -> String {
        if s.len() >= 2 && s.starts_with('.') {
            s[1..].to_string()
        } else {
            s.to_string()
        }
    };
    if let Some(inner) = path.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        let spec = strip_dot(inner);
        if no_braces(&spec) {
            return Ok(format!("{{.{}}}", spec));
        }
    }
    if no_braces(path) {
        return Ok(format!("{{.{}}}", strip_dot(path)));
    }
    Err("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
        .to_string())
}

/// Parse `NAME:.metadata.name,IMAGE:.spec.containers[*].image`.
pub fn parse_custom_columns_spec(spec: &str) -> Result<Vec<CustomColumn>, String> {
    if spec.is_empty() {
        return Err("custom-columns format specified but no custom columns given".to_string());
    }
    let mut cols = Vec::new();
    for part in spec.split(',') {
        let (header, path) = match part.split_once(':') {
            Some(p) => p,
            None => {
                return Err(format!("unexpected custom-columns spec: {}, expected <header>:<json-path-expr>", part))
            }
        };
        cols.push(CustomColumn { header: header.to_string(), field_spec: relaxed_jsonpath_expression(path)? });
    }
    Ok(cols)
}

/// Parse a `-o custom-columns-file` template: a header line and a spec line, whitespace
/// separated.
pub fn parse_custom_columns_template(text: &str) -> Result<Vec<CustomColumn>, String> {
    let mut lines = text.lines();
    let headers: Vec<&str> = match lines.next() {
        Some(l) => l.split_whitespace().collect(),
        None => return Err("invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.".to_string()),
    };
    let specs: Vec<&str> = match lines.next() {
        Some(l) => l.split_whitespace().collect(),
        None => return Err("invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.".to_string()),
    };
    if headers.len() != specs.len() {
        return Err(format!(
            "number of headers ({}) and field specifications ({}) don't match",
            headers.len(),
            specs.len()
        ));
    }
    let mut cols = Vec::new();
    for (h, s) in headers.iter().zip(specs.iter()) {
        cols.push(CustomColumn { header: h.to_string(), field_spec: relaxed_jsonpath_expression(s)? });
    }
    Ok(cols)
}

/// The cells of one object's row: each column's results joined with `,`, `<none>` when
/// the first result group is empty.
pub fn custom_columns_row(columns: &[CustomColumn], obj: &Value) -> Result<Vec<String>, String> {
    let mut cells = Vec::new();
    for col in columns {
        let jp = parse(&col.field_spec)?;
        let values = jp.find(obj, true)?;
        let mut strs: Vec<String> = Vec::new();
        if values.is_empty() || values[0].is_empty() {
            strs.push("<none>".to_string());
        }
        for group in &values {
            for r in group {
                strs.push(r.text());
            }
        }
        cells.push(strs.join(","));
    }
    Ok(cells)
}

/// Render a custom-columns table for `objs` (items of a list, or one object) with kubectl's
/// tab writer. The header row is omitted with `no_headers`.
pub fn render_custom_columns(columns: &[CustomColumn], objs: &[Value], no_headers: bool) -> Result<String, String> {
    for col in columns {
        parse(&col.field_spec)?;
    }
    let mut text = String::new();
    if !no_headers {
        let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
        text.push_str(&headers.join("\t"));
        text.push('\n');
    }
    for obj in objs {
        text.push_str(&custom_columns_row(columns, obj)?.join("\t"));
        text.push('\n');
    }
    Ok(TabWriter::kubectl().format_all(&text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(template: &str, data: &Value) -> Result<String, String> {
        parse(template)?.execute(data, false)
    }

    // Store data and cases from client-go jsonpath_test.go (TestStructInput /
    // TestJSONInput style), adapted to unstructured JSON.
    fn store() -> Value {
        json!({
            "Name": "jsonpath",
            "Book": [
                {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings of the Centurey", "Price": 8.95},
                {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword of Honour", "Price": 12.99},
                {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99}
            ],
            "Bicycle": [
                {"Color": "red", "Price": 19.95, "IsNew": true},
                {"Color": "green", "Price": 20.01, "IsNew": false}
            ],
            "Labels": {"engieer": 10, "web/html": 15, "k8s-app": 20},
            "Employees": {"jason": 100, "dave": 99}
        })
    }

    #[test]
    fn client_go_struct_cases() {
        let d = store();
        let cases: &[(&str, &str)] = &[
            ("hello jsonpath", "hello jsonpath"),
            ("{@.Name}", "jsonpath"),
            ("{.Name}", "jsonpath"),
            ("{$.Name}", "jsonpath"),
            ("{.Book[0].Title}", "Sayings of the Centurey"),
            ("{.Book[0]}", "{\"Author\":\"Nigel Rees\",\"Category\":\"reference\",\"Price\":8.95,\"Title\":\"Sayings of the Centurey\"}"),
            ("{.Book[-1].Author}", "Herman Melville"),
            ("{.Book[1:].Author}", "Evelyn Waugh Herman Melville"),
            ("{.Book[:2].Author}", "Nigel Rees Evelyn Waugh"),
            ("{.Book[::2].Author}", "Nigel Rees Herman Melville"),
            ("{.Book[0,2].Author}", "Nigel Rees Herman Melville"),
            ("{.Book[*].Author}", "Nigel Rees Evelyn Waugh Herman Melville"),
            ("{.Bicycle[?(@.IsNew==true)].Color}", "red"),
            ("{.Bicycle[?(@.Price>20.0)].Color}", "green"),
            ("{.Bicycle[?(@.Color=='red')].Price}", "19.95"),
            ("{.Book[?(@.Price<9.0)].Author}", "Nigel Rees Herman Melville"),
            ("{.Book[?(@.Category!=\"fiction\")].Author}", "Nigel Rees"),
            ("{.Labels.engieer}", "10"),
            ("{.Labels.web/html}", "15"),
            ("{.Labels.k8s-app}", "20"),
            ("{.Labels['web/html']}", "15"),
            ("{.Labels['web/html','k8s-app']}", "15 20"),
            ("{.Employees.*}", "99 100"),
            ("{..Color}", "red green"),
            ("{range .Book[*]}[{.Author}]{end}", "[Nigel Rees][Evelyn Waugh][Herman Melville]"),
            ("{range .Bicycle[*]}{.Color}={.Price}{\"\\n\"}{end}", "red=19.95\ngreen=20.01\n"),
            ("{range .Book[*]}{.Category}{range .Author}:{@}{end};{end}", "reference:Nigel Rees;fiction:Evelyn Waugh;fiction:Herman Melville;"),
            ("{range .Empty[*]}x{end}after", "after"),
            ("{.Book[?(@.Missing)].Author}", ""),
            ("{.Bicycle[?(@.IsNew)].Color}", "red green"),
            ("{1}{2.5}{true}{'a b'}", "12.5truea b"),
        ];
        for (t, want) in cases {
            let got = parse(t).and_then(|jp| jp.execute(&d, true));
            assert_eq!(got.as_deref(), Ok(*want), "template {:?}", t);
        }
    }

    #[test]
    fn missing_keys() {
        let d = json!({"metadata": {"name": "web-0", "labels": null}, "spec": {"replicas": 3}});
        assert_eq!(run("{.metadata.name}", &d).as_deref(), Ok("web-0"));
        assert_eq!(run("{.foo}", &d), Err("foo is not found".to_string()));
        assert_eq!(run("{.metadata.labels.app}", &d), Err("app is not found".to_string()));
        assert_eq!(parse("{.foo}").unwrap().execute(&d, true).as_deref(), Ok(""));
        assert_eq!(parse("x{.foo}y").unwrap().execute(&d, true).as_deref(), Ok("xy"));
        assert_eq!(run("{.metadata.labels}", &d).as_deref(), Ok("<nil>"));
        assert_eq!(run("{.spec}", &d).as_deref(), Ok("{\"replicas\":3}"));
    }

    #[test]
    fn errors_from_engine() {
        let d = json!({"items": [1, 2, 3], "s": "abc", "m": {"a": 1}});
        let cases: &[(&str, &str)] = &[
            ("{.items[5]}", "array index out of bounds: index 5, length 3"),
            ("{.items[1:7]}", "array index out of bounds: index 6, length 3"),
            ("{.items[2:1]}", "starting index 2 is greater than ending index 1"),
            ("{.items[0:2:0]}", "step must be > 0"),
            ("{.s[0]}", "string is not array or slice"),
            ("{.m[0]}", "map[string]interface {} is not array or slice"),
            ("{.m[?(@.a)]}", "map[a:1] is not array or slice and cannot be filtered"),
            ("{.items[?(@==\"x\")]}", "incompatible types for comparison"),
            ("{.items[?(@>1.5)]}", "incompatible types for comparison"),
            ("{end}", "not in range, nothing to end"),
            ("{foo}", "unrecognized identifier foo"),
        ];
        for (t, want) in cases {
            assert_eq!(parse(t).and_then(|jp| jp.execute(&d, true)), Err(want.to_string()), "template {:?}", t);
        }
        assert_eq!(parse("{.items[1:1]}").unwrap().execute(&d, true).as_deref(), Ok(""));
        assert_eq!(parse("{.items[?(@.x==1)]}").unwrap().execute(&d, true).as_deref(), Ok(""));
        assert_eq!(parse("{.items[?(@>=2)]}").unwrap().execute(&d, true).as_deref(), Ok("2 3"));
    }

    // Parser errors (client-go parser_test.go failParserTests).
    #[test]
    fn parser_errors() {
        let cases: &[(&str, &str)] = &[
            ("{.hello", "unclosed action"),
            ("{.hello\n}", "unclosed action"),
            ("{.book[1}", "unterminated array"),
            ("{.book[?(@.price<3}", "unterminated filter"),
            ("{.book[?(@.price<3)}", "unclosed array expect ]"),
            ("{\"hello}", "unterminated quoted string"),
            ("{.book[a]}", "invalid array index a"),
            ("{.book[-]}", "array index - is not a number"),
            ("{.a....b}", "invalid multiple recursive descent"),
            ("{#}", "unrecognized character in action: U+0023 '#'"),
            ("{+}", "cannot parse number +"),
            ("{\"\\z\"}", "unquote string \"\\z\" error invalid syntax"),
        ];
        for (t, want) in cases {
            assert_eq!(parse(t).map(|_| ()), Err(want.to_string()), "template {:?}", t);
        }
    }

    #[test]
    fn kubectl_outputs() {
        let pods = json!({
            "apiVersion": "v1",
            "kind": "List",
            "items": [
                {"metadata": {"name": "web-0", "labels": {"app": "nginx"}}, "status": {"phase": "Running", "podIP": "10.244.1.5"}, "spec": {"containers": [{"image": "nginx:1.25"}]}},
                {"metadata": {"name": "web-1"}, "status": {"phase": "Pending"}, "spec": {"containers": [{"image": "nginx:1.25"}, {"image": "busybox"}]}}
            ]
        });
        let ok = |t: &str| kubectl_jsonpath(t, &pods, true, false).unwrap();
        assert_eq!(ok("{.items[*].metadata.name}"), "web-0 web-1");
        assert_eq!(
            ok("{range .items[*]}{.metadata.name}{\"\\t\"}{.status.podIP}{\"\\n\"}{end}"),
            "web-0\t10.244.1.5\nweb-1\t\n"
        );
        assert_eq!(ok("{.items[?(@.status.phase==\"Running\")].metadata.name}"), "web-0");
        assert_eq!(ok("{.items[0].metadata.labels}"), "{\"app\":\"nginx\"}");
        assert_eq!(ok("{.items[*].spec.containers[*].image}"), "nginx:1.25 nginx:1.25 busybox");
        assert_eq!(
            kubectl_jsonpath("{.items[*].metadata.name}", &pods, true, true).unwrap(),
            "[\n    \"web-0\",\n    \"web-1\"\n]\n"
        );
        assert_eq!(
            kubectl_jsonpath("{.items[", &pods, true, false),
            Err("error parsing jsonpath {.items[, unterminated array\n".to_string())
        );
        let small = json!({"kind": "Pod", "spec": {"replicas": 3, "ratio": 0.5, "tags": ["a"], "x": null}});
        assert_eq!(
            kubectl_jsonpath("{.foo}", &small, false, false),
            Err("error executing jsonpath \"{.foo}\": Error executing template: foo is not found. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{.foo}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{\"kind\":\"Pod\", \"spec\":map[string]interface {}{\"ratio\":0.5, \"replicas\":3, \"tags\":[]interface {}{\"a\"}, \"x\":interface {}(nil)}}\n\n\n".to_string())
        );
    }

    #[test]
    fn go_fmt() {
        let v = json!({"b": [1, "x", null, 1.5e6], "a": {"c": true}});
        assert_eq!(go_fmt_v(&v), "map[a:map[c:true] b:[1 x <nil> 1.5e+06]]");
        assert_eq!(
            go_fmt_sharp_v(&v),
            "map[string]interface {}{\"a\":map[string]interface {}{\"c\":true}, \"b\":[]interface {}{1, \"x\", interface {}(nil), 1.5e+06}}"
        );
        assert_eq!(go_quote("a\"b\\\n\t\u{1b}é"), "\"a\\\"b\\\\\\n\\t\\x1bé\"");
    }

    #[test]
    fn relaxed_expressions() {
        let ok: &[(&str, &str)] = &[
            ("metadata.name", "{.metadata.name}"),
            (".metadata.name", "{.metadata.name}"),
            ("{metadata.name}", "{.metadata.name}"),
            ("{.metadata.name}", "{.metadata.name}"),
            (".spec.containers[*].image", "{.spec.containers[*].image}"),
            ("", ""),
        ];
        for (i, want) in ok {
            assert_eq!(relaxed_jsonpath_expression(i).as_deref(), Ok(*want), "{:?}", i);
        }
        for bad in ["{.a", "a}", "{a}{b}", "{}"] {
            assert!(relaxed_jsonpath_expression(bad).is_err(), "{:?}", bad);
        }
    }

    #[test]
    fn custom_columns() {
        let cols =
            parse_custom_columns_spec("NAME:.metadata.name,IMAGE:.spec.containers[*].image,IP:status.podIP").unwrap();
        assert_eq!(cols[2], CustomColumn { header: "IP".into(), field_spec: "{.status.podIP}".into() });
        let objs = vec![
            json!({"metadata": {"name": "web-0"}, "spec": {"containers": [{"image": "nginx:1.25"}, {"image": "busybox"}]}, "status": {"podIP": "10.244.1.5"}}),
            json!({"metadata": {"name": "web-1"}, "spec": {"containers": [{"image": "nginx:1.25"}]}, "status": {}}),
        ];
        assert_eq!(
            render_custom_columns(&cols, &objs, false).unwrap(),
            "NAME    IMAGE                IP\nweb-0   nginx:1.25,busybox   10.244.1.5\nweb-1   nginx:1.25           <none>\n"
        );
        assert_eq!(render_custom_columns(&cols, &objs[1..], true).unwrap(), "web-1   nginx:1.25   <none>\n");
        assert_eq!(
            parse_custom_columns_spec(""),
            Err("custom-columns format specified but no custom columns given".to_string())
        );
        assert_eq!(
            parse_custom_columns_spec("NAME"),
            Err("unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>".to_string())
        );
        let t = parse_custom_columns_template("NAME   READY\n{.metadata.name}  .status.readyReplicas\n").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(
            parse_custom_columns_template("A B\nx\n"),
            Err("number of headers (2) and field specifications (1) don't match".to_string())
        );
        // maps print with Go's %v
        let c = parse_custom_columns_spec("L:.metadata.labels").unwrap();
        assert_eq!(
            custom_columns_row(&c, &json!({"metadata": {"labels": {"b": "2", "a": "1"}}})).unwrap(),
            vec!["map[a:1 b:2]".to_string()]
        );
    }

    #[test]
    fn hostile_templates_do_not_panic() {
        let d = store();
        let mut deep = String::new();
        for _ in 0..200 {
            deep.push_str("{range .Book[*]}");
        }
        let inputs = [
            "{",
            "}",
            "{{",
            "{[",
            "{[?(",
            "{[?()]}",
            "{[?(@)]}",
            "{.a[?(@.b=='x)]}",
            "{'",
            "{\"\\u12\"}",
            "{\"\\x\"}",
            "{[,]}",
            "{[',']}",
            "{..*}",
            "{.*.*.*}",
            "{range}",
            "{end}{end}",
            "{range .Book[*]}",
            "{[-9999999999999999999]}",
            "{[9223372036854775807:]}",
            "{.Book[-9223372036854775808]}",
            "{\"\\777\"}",
            deep.as_str(),
        ];
        for t in inputs {
            if let Ok(jp) = parse(t) {
                let _ = jp.execute(&d, true);
                let _ = jp.execute(&d, false);
                let _ = jp.execute_json(&d, true);
            }
            let _ = kubectl_jsonpath(t, &d, false, false);
        }
    }
}
