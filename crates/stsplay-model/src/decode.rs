//! What the API server does when it decodes a request body into a typed object.
//!
//! Mechanics (kube-apiserver's JSON serializer with `sigs.k8s.io/json`, a fork of Go's
//! `encoding/json`; kubectl sends JSON whose object keys are sorted):
//!
//! 1. A normal, case-sensitive decode into the Go type. Type mismatches are *saved* (Go's
//!    `saveError`) and decoding goes on; the FIRST saved one is returned, whatever the field
//!    validation level. Types with their own `UnmarshalJSON` (`resource.Quantity`,
//!    `intstr.IntOrString`, `v1.Time`, `v1.MicroTime`) instead *abort* decoding at once, and that
//!    error wins even over an earlier saved one.
//! 2. Only if that succeeds: unknown fields (paths with indexes, e.g.
//!    `spec.template.spec.containers[0].imagee`, at most 100, de-duplicated). `Strict` fails with
//!    `strict decoding error: unknown field "a", unknown field "b"`; `Warn` returns them as
//!    warnings; `Ignore` drops them silently. In all cases they are removed from the value.
//!
//! Error texts follow Go's `UnmarshalTypeError`:
//! `json: cannot unmarshal <object|array|string|number|number 3.5|bool> into Go struct field
//! <InnermostStruct>.<dotted.path.without.indexes> of type <go type>`.
//!
//! Duplicate fields cannot occur: the body is a `serde_json::Value` (kubectl builds its JSON from
//! a map, so it never sends duplicates either).

use std::collections::HashSet;

use serde_json::Value;

use crate::schema::{self, FieldType, Schema, TypeDef};
use crate::yaml::go_json_float;

/// Server-side field validation level (`kubectl --validate=strict|warn|ignore`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldValidation {
    Strict,
    Warn,
    Ignore,
}

/// A successfully decoded body.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The body with unknown fields removed (everything else as sent; `null`s are kept).
    pub value: Value,
    /// With `Warn`: `unknown field "spec.volumeClaimTemolates"` (kubectl prints each as
    /// `Warning: <text>`).
    pub warnings: Vec<String>,
}

/// Why decoding failed (the apiserver answers 400 BadRequest with
/// `<Kind> in version "<v>" cannot be handled as a <Kind>: <message>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A type error: `json: cannot unmarshal ...`, or the message of a custom unmarshaller
    /// (`quantities must match the regular expression ...`, `parsing time ...`).
    Type {
        message: String,
        /// Path of the offending value WITH indexes and map keys in brackets
        /// (`spec.template.spec.containers[0].resources.limits[memory]`).
        path: String,
    },
    /// Unknown fields with `Strict`.
    Strict {
        /// `strict decoding error: unknown field "spec.a", unknown field "spec.b"`.
        message: String,
        /// `spec.a`, `spec.b`.
        fields: Vec<String>,
    },
    /// The (apiVersion, kind) pair is not one of the supported kinds.
    NoKind {
        /// `no matches for kind "StatefulSet" in version "apps/v1beta1"`.
        message: String,
    },
}

impl DecodeError {
    /// The message text.
    pub fn message(&self) -> &str {
        match self {
            DecodeError::Type { message, .. }
            | DecodeError::Strict { message, .. }
            | DecodeError::NoKind { message } => message,
        }
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for DecodeError {}

/// Decodes `body` as (apiVersion, kind) with the given field validation level.
pub fn decode(api_version: &str, kind: &str, body: &Value, level: FieldValidation) -> Result<Decoded, DecodeError> {
    let s = schema::schema();
    let Some(k) = s.kind(api_version, kind) else {
        return Err(DecodeError::NoKind {
            message: format!("no matches for kind \"{kind}\" in version \"{api_version}\""),
        });
    };
    decode_type(&k.type_key, body, level)
}

/// Decodes `body` into the struct type `type_key` (e.g. `apps.v1.StatefulSetSpec`), as if it
/// were a whole request body. Unknown type keys decode as arbitrary JSON.
pub fn decode_type(type_key: &str, body: &Value, level: FieldValidation) -> Result<Decoded, DecodeError> {
    let s = schema::schema();
    let mut d = Decoder {
        schema: s,
        collect_unknown: level != FieldValidation::Ignore,
        saved: None,
        strict: Vec::new(),
        seen: HashSet::new(),
    };
    let mut ctx = GoErrCtx::default();
    let mut path = String::new();
    let ty = FieldType::Object(type_key.to_string());
    let value = d.walk(body, &ty, &mut ctx, &mut path, 0)?;
    if let Some(e) = d.saved {
        return Err(e);
    }
    let fields: Vec<String> = d.strict;
    let texts: Vec<String> = fields.iter().map(|f| format!("unknown field \"{f}\"")).collect();
    match level {
        FieldValidation::Strict if !fields.is_empty() => {
            Err(DecodeError::Strict { message: format!("strict decoding error: {}", texts.join(", ")), fields })
        }
        FieldValidation::Warn => Ok(Decoded { value, warnings: texts }),
        _ => Ok(Decoded { value, warnings: Vec::new() }),
    }
}

/// Go's json error context: innermost struct and the JSON field names from the root (no
/// indexes, no map keys).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoErrCtx {
    pub struct_name: Option<String>,
    pub field_stack: Vec<String>,
}

impl GoErrCtx {
    /// `json: cannot unmarshal <value> into Go struct field <S>.<a.b.c> of type <T>` (or
    /// `into Go value of type <T>` without context).
    pub fn type_error(&self, value: &str, go_type: &str) -> String {
        if self.struct_name.is_some() || !self.field_stack.is_empty() {
            format!(
                "json: cannot unmarshal {value} into Go struct field {}.{} of type {go_type}",
                self.struct_name.as_deref().unwrap_or(""),
                self.field_stack.join(".")
            )
        } else {
            format!("json: cannot unmarshal {value} into Go value of type {go_type}")
        }
    }
}

/// Outcome of checking one JSON value against a field type (without looking inside arrays,
/// maps and objects, which the caller walks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// Fine (or a collection of the right shape: descend into it).
    Ok,
    /// Go saves an `UnmarshalTypeError` (`value` is `object`, `number 3.5`, ...) and goes on.
    Mismatch { value: String, go_type: String },
    /// Go saves a plain error (no context), e.g. bad base64 for `[]byte`.
    SavedPlain(String),
    /// A custom unmarshaller returns an `UnmarshalTypeError`: decoding stops; Go adds the
    /// context of the field being decoded.
    AbortTyped { value: String, go_type: String },
    /// A custom unmarshaller returns another error: decoding stops, message as is.
    AbortPlain(String),
}

impl Check {
    /// The Go error text in context `ctx` (None for `Ok`).
    pub fn message(&self, ctx: &GoErrCtx) -> Option<String> {
        match self {
            Check::Ok => None,
            Check::Mismatch { value, go_type } | Check::AbortTyped { value, go_type } => {
                Some(ctx.type_error(value, go_type))
            }
            Check::SavedPlain(m) | Check::AbortPlain(m) => Some(m.clone()),
        }
    }

    /// Whether Go stops decoding at this error.
    pub fn aborts(&self) -> bool {
        matches!(self, Check::AbortTyped { .. } | Check::AbortPlain(_))
    }
}

/// JSON text of a number as Go would see it in kubectl's body.
fn number_text(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        i.to_string()
    } else if let Some(u) = n.as_u64() {
        u.to_string()
    } else {
        go_json_float(n.as_f64().unwrap_or(0.0))
    }
}

/// How Go's json names a JSON value in an `UnmarshalTypeError` for a non-numeric target.
fn kind_word(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Go `strconv.ParseInt(text, 10, 64)` + overflow check for `bits`.
fn int_fits(n: &serde_json::Number, bits: u32) -> bool {
    match n.as_i64() {
        Some(i) => {
            if bits == 32 {
                i32::try_from(i).is_ok()
            } else {
                true
            }
        }
        // u64 beyond i64 or a float (its Go text has '.' or an exponent): ParseInt fails.
        None => false,
    }
}

/// Checks one JSON value against a field type (see [`Check`]).
pub fn check_value(ty: &FieldType, v: &Value) -> Check {
    if v.is_null() {
        return Check::Ok;
    }
    let mismatch = |value: String| Check::Mismatch { value, go_type: schema::go_type(ty) };
    match ty {
        FieldType::Any => Check::Ok,
        FieldType::String { .. } => match v {
            Value::String(_) => Check::Ok,
            other => mismatch(kind_word(other).into()),
        },
        FieldType::Bool => match v {
            Value::Bool(_) => Check::Ok,
            other => mismatch(kind_word(other).into()),
        },
        FieldType::Int32 | FieldType::Int64 => match v {
            Value::Number(n) => {
                let bits = if matches!(ty, FieldType::Int32) { 32 } else { 64 };
                if int_fits(n, bits) {
                    Check::Ok
                } else {
                    mismatch(format!("number {}", number_text(n)))
                }
            }
            other => mismatch(kind_word(other).into()),
        },
        FieldType::Float64 => match v {
            Value::Number(_) => Check::Ok,
            other => mismatch(kind_word(other).into()),
        },
        FieldType::Bytes => match v {
            Value::String(s) => match base64_error(s) {
                None => Check::Ok,
                Some(at) => Check::SavedPlain(format!("illegal base64 data at input byte {at}")),
            },
            other => mismatch(kind_word(other).into()),
        },
        FieldType::Array(_) => match v {
            Value::Array(_) => Check::Ok,
            other => mismatch(kind_word(other).into()),
        },
        FieldType::Map { .. } | FieldType::Object(_) => match v {
            Value::Object(_) => Check::Ok,
            other => mismatch(kind_word(other).into()),
        },
        FieldType::Quantity => {
            let text = match v {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => number_text(n),
                Value::Bool(b) => b.to_string(),
                _ => "{".to_string(),
            };
            match parse_quantity(&text) {
                Ok(()) => Check::Ok,
                Err(e) => Check::AbortPlain(e.into()),
            }
        }
        FieldType::IntOrString => match v {
            Value::String(_) => Check::Ok,
            Value::Number(n) => {
                if int_fits(n, 32) {
                    Check::Ok
                } else {
                    Check::AbortTyped { value: format!("number {}", number_text(n)), go_type: "int32".into() }
                }
            }
            other => Check::AbortTyped { value: kind_word(other).into(), go_type: "int32".into() },
        },
        FieldType::Time | FieldType::MicroTime => match v {
            Value::String(s) => {
                let layout = if matches!(ty, FieldType::Time) { RFC3339 } else { RFC3339_MICRO };
                match go_time_parse(layout, s) {
                    Ok(()) => Check::Ok,
                    Err(e) => Check::AbortPlain(e),
                }
            }
            // json.Unmarshal(b, &str) fails with an UnmarshalTypeError into string.
            other => Check::AbortTyped { value: kind_word(other).into(), go_type: "string".into() },
        },
    }
}

struct Decoder<'s> {
    schema: &'s Schema,
    collect_unknown: bool,
    saved: Option<DecodeError>,
    strict: Vec<String>,
    seen: HashSet<String>,
}

const MAX_WALK_DEPTH: usize = 256;

impl<'s> Decoder<'s> {
    fn save(&mut self, e: DecodeError) {
        if self.saved.is_none() {
            self.saved = Some(e);
        }
    }

    fn unknown(&mut self, path: String) {
        if !self.collect_unknown || self.strict.len() >= 100 {
            return;
        }
        if self.seen.insert(path.clone()) {
            self.strict.push(path);
        }
    }

    fn walk(
        &mut self,
        v: &Value,
        ty: &FieldType,
        ctx: &mut GoErrCtx,
        path: &mut String,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        if depth > MAX_WALK_DEPTH {
            return Ok(v.clone());
        }
        let check = check_value(ty, v);
        match &check {
            Check::Ok => {}
            Check::Mismatch { .. } | Check::SavedPlain(_) => {
                let message = check.message(ctx).unwrap_or_default();
                self.save(DecodeError::Type { message, path: path.clone() });
                return Ok(Value::Null);
            }
            Check::AbortTyped { .. } | Check::AbortPlain(_) => {
                return Err(DecodeError::Type { message: check.message(ctx).unwrap_or_default(), path: path.clone() });
            }
        }
        match (ty, v) {
            (FieldType::Array(inner), Value::Array(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    let r = self.walk(item, inner, ctx, path, depth + 1);
                    path.truncate(len);
                    out.push(r?);
                }
                Ok(Value::Array(out))
            }
            (FieldType::Map { value, .. }, Value::Object(m)) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                let mut out = serde_json::Map::new();
                for k in keys {
                    let len = path.len();
                    path.push('[');
                    path.push_str(k);
                    path.push(']');
                    let r = self.walk(&m[k], value, ctx, path, depth + 1);
                    path.truncate(len);
                    out.insert(k.clone(), r?);
                }
                Ok(Value::Object(out))
            }
            (FieldType::Object(key), Value::Object(m)) => {
                let Some(td) = self.schema.type_def(key) else {
                    return Ok(v.clone());
                };
                self.walk_struct(td, m, ctx, path, depth)
            }
            _ => Ok(v.clone()),
        }
    }

    fn walk_struct(
        &mut self,
        td: &TypeDef,
        m: &serde_json::Map<String, Value>,
        ctx: &mut GoErrCtx,
        path: &mut String,
        depth: usize,
    ) -> Result<Value, DecodeError> {
        let mut keys: Vec<&String> = m.keys().collect();
        keys.sort();
        let mut out = serde_json::Map::new();
        for k in keys {
            let len = path.len();
            push_field(path, k);
            match td.field(k) {
                Some(f) => {
                    let saved_struct = ctx.struct_name.replace(td.struct_name.clone());
                    ctx.field_stack.push(k.clone());
                    let r = self.walk(&m[k], &f.ty, ctx, path, depth + 1);
                    ctx.field_stack.pop();
                    ctx.struct_name = saved_struct;
                    path.truncate(len);
                    out.insert(k.clone(), r?);
                }
                None => {
                    self.unknown(path.clone());
                    path.truncate(len);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

fn push_field(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
}

/// Go `base64.StdEncoding.Decode`: the byte offset of the first illegal input, if any.
fn base64_error(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut n = 0usize; // significant characters seen
    let mut pad_at: Option<usize> = None;
    for (i, &c) in b.iter().enumerate() {
        if c == b'\r' || c == b'\n' {
            continue;
        }
        if let Some(p) = pad_at {
            if c != b'=' {
                return Some(i);
            }
            let _ = p;
            n += 1;
            continue;
        }
        match c {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' => n += 1,
            b'=' => {
                if n % 4 < 2 {
                    return Some(i);
                }
                pad_at = Some(i);
                n += 1;
            }
            _ => return Some(i),
        }
    }
    if n & 3 != 0 {
        return Some(b.len());
    }
    None
}

// ---------------------------------------------------------------------------------------------
// resource.Quantity (k8s.io/apimachinery/pkg/api/resource ParseQuantity)

/// `ErrFormatWrong`.
pub const QUANTITY_FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/// `ErrNumeric`.
pub const QUANTITY_NUMERIC: &str = "unable to parse numeric part of quantity";
/// `ErrSuffix`.
pub const QUANTITY_SUFFIX: &str = "unable to parse quantity's suffix";

/// Whether `ParseQuantity(s)` succeeds, with its error text otherwise.
pub fn parse_quantity(s: &str) -> Result<(), &'static str> {
    if s.is_empty() {
        return Err(QUANTITY_FORMAT_WRONG);
    }
    if s == "0" {
        return Ok(());
    }
    let b = s.as_bytes();
    let end = b.len();
    let mut pos = 0;
    if b[0] == b'-' || b[0] == b'+' {
        pos += 1;
    }
    // leading zeros
    while pos < end && b[pos] == b'0' {
        pos += 1;
    }
    if pos >= end {
        return Ok(()); // all zeros
    }
    let num_start = pos;
    while pos < end && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos >= end {
        return Ok(());
    }
    let num_len = pos - num_start;
    let mut denom_len = 0;
    if b[pos] == b'.' {
        pos += 1;
        let st = pos;
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos >= end {
            return Ok(());
        }
        denom_len = pos - st;
    }
    let value_has_digit = num_len + denom_len > 0 || b[..pos].contains(&b'0');
    let suffix_start = pos;
    while pos < end && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < end {
        if b[pos] == b'-' || b[pos] == b'+' {
            pos += 1;
        }
        while pos < end && b[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos < end {
            return Err(QUANTITY_FORMAT_WRONG);
        }
    }
    let suffix = &s[suffix_start..];
    let (base10, exponent): (bool, i64) = match suffix {
        "Ki" => (false, 10),
        "Mi" => (false, 20),
        "Gi" => (false, 30),
        "Ti" => (false, 40),
        "Pi" => (false, 50),
        "Ei" => (false, 60),
        "n" => (true, -9),
        "u" => (true, -6),
        "m" => (true, -3),
        "" => (true, 0),
        "k" => (true, 3),
        "M" => (true, 6),
        "G" => (true, 9),
        "T" => (true, 12),
        "P" => (true, 15),
        "E" => (true, 18),
        other => {
            let bytes = other.as_bytes();
            if bytes.len() > 1 && (bytes[0] == b'e' || bytes[0] == b'E') {
                match other[1..].parse::<i64>() {
                    Ok(e) if !other[1..].starts_with('+') || other.len() > 2 => (true, e),
                    _ => return Err(QUANTITY_SUFFIX),
                }
            } else {
                return Err(QUANTITY_SUFFIX);
            }
        }
    };
    // Fast path (int64 arithmetic) or the inf.Dec slow path; the only failure left is a
    // numeric part without any digit on the slow path.
    let fast = if base10 {
        let precision = 18 - (num_len.max(1) + denom_len) as i64;
        let scale = (exponent as i32 as i64) - denom_len as i64;
        precision >= 0 && scale >= -9
    } else {
        denom_len == 0
    };
    if !fast && !value_has_digit {
        return Err(QUANTITY_NUMERIC);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Go time.Parse for the RFC 3339 layouts used by metav1.Time / metav1.MicroTime

/// Go `time.RFC3339`.
pub const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
/// Go `metav1.RFC3339Micro`.
pub const RFC3339_MICRO: &str = "2006-01-02T15:04:05.000000Z07:00";

#[derive(Clone, Copy)]
enum Elem {
    Lit(&'static str),
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Frac6,
    Zone,
}

fn layout_elems(layout: &str) -> &'static [(Elem, &'static str)] {
    const BASE: &[(Elem, &str)] = &[
        (Elem::Year, "2006"),
        (Elem::Lit("-"), "-"),
        (Elem::Month, "01"),
        (Elem::Lit("-"), "-"),
        (Elem::Day, "02"),
        (Elem::Lit("T"), "T"),
        (Elem::Hour, "15"),
        (Elem::Lit(":"), ":"),
        (Elem::Minute, "04"),
        (Elem::Lit(":"), ":"),
        (Elem::Second, "05"),
        (Elem::Zone, "Z07:00"),
    ];
    const MICRO: &[(Elem, &str)] = &[
        (Elem::Year, "2006"),
        (Elem::Lit("-"), "-"),
        (Elem::Month, "01"),
        (Elem::Lit("-"), "-"),
        (Elem::Day, "02"),
        (Elem::Lit("T"), "T"),
        (Elem::Hour, "15"),
        (Elem::Lit(":"), ":"),
        (Elem::Minute, "04"),
        (Elem::Lit(":"), ":"),
        (Elem::Second, "05"),
        (Elem::Frac6, ".000000"),
        (Elem::Zone, "Z07:00"),
    ];
    if layout == RFC3339 {
        BASE
    } else {
        MICRO
    }
}

/// Go `time` package `quote`.
fn time_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if (c as u32) >= 0x80 || c < ' ' {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{byte:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

fn getnum(v: &str, fixed: bool) -> Option<(i64, &str)> {
    let b = v.as_bytes();
    if b.is_empty() || !b[0].is_ascii_digit() {
        return None;
    }
    if b.len() < 2 || !b[1].is_ascii_digit() {
        if fixed {
            return None;
        }
        return Some(((b[0] - b'0') as i64, &v[1..]));
    }
    Some((((b[0] - b'0') * 10 + (b[1] - b'0')) as i64, &v[2..]))
}

/// Go `time.Parse(layout, value)` for RFC3339 / RFC3339Micro: `Ok` or Go's error text.
pub fn go_time_parse(layout: &'static str, value: &str) -> Result<(), String> {
    let cannot = |velem: &str, lelem: &str| {
        format!(
            "parsing time {} as {}: cannot parse {} as {}",
            time_quote(value),
            time_quote(layout),
            time_quote(velem),
            time_quote(lelem)
        )
    };
    let range = |what: &str| format!("parsing time {}: {what} out of range", time_quote(value));
    let mut v = value;
    let (mut year, mut month, mut day) = (0i64, 0i64, 0i64);
    let elems = layout_elems(layout);
    for (i, (elem, lstr)) in elems.iter().enumerate() {
        let hold = v;
        match elem {
            Elem::Lit(l) => match v.strip_prefix(l) {
                Some(rest) => v = rest,
                None => return Err(cannot(v, l)),
            },
            Elem::Year => {
                let b = v.as_bytes();
                if b.len() < 4 || !b[0].is_ascii_digit() || !v.is_char_boundary(4) {
                    return Err(cannot(hold, lstr));
                }
                let (p, rest) = v.split_at(4);
                let digits = p.strip_prefix(['+', '-']).unwrap_or(p);
                if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                    return Err(cannot(hold, lstr));
                }
                year = p.parse().unwrap_or(0);
                v = rest;
            }
            Elem::Month | Elem::Day | Elem::Minute | Elem::Second | Elem::Hour => {
                let fixed = !matches!(elem, Elem::Hour);
                let Some((n, rest)) = getnum(v, fixed) else {
                    return Err(cannot(hold, lstr));
                };
                v = rest;
                match elem {
                    Elem::Month => {
                        if !(1..=12).contains(&n) {
                            return Err(range("month"));
                        }
                        month = n;
                    }
                    Elem::Day => day = n,
                    Elem::Hour => {
                        if n >= 24 {
                            return Err(range("hour"));
                        }
                    }
                    Elem::Minute => {
                        if n >= 60 {
                            return Err(range("minute"));
                        }
                    }
                    _ => {
                        if n >= 60 {
                            return Err(range("second"));
                        }
                        // A fractional second not in the layout is accepted.
                        let next_is_frac = matches!(elems.get(i + 1), Some((Elem::Frac6, _)));
                        let b = v.as_bytes();
                        if !next_is_frac && b.len() >= 2 && (b[0] == b'.' || b[0] == b',') && b[1].is_ascii_digit() {
                            let mut n = 2;
                            while n < b.len() && b[n].is_ascii_digit() {
                                n += 1;
                            }
                            if n - 1 > 9 {
                                // parseNanoseconds: more than 9 digits is still fine (truncated)
                            }
                            v = &v[n..];
                        }
                    }
                }
            }
            Elem::Frac6 => {
                let b = v.as_bytes();
                if b.len() < 7 || !(b[0] == b'.' || b[0] == b',') || !b[1..7].iter().all(|c| c.is_ascii_digit()) {
                    return Err(cannot(hold, lstr));
                }
                v = &v[7..];
            }
            Elem::Zone => {
                if let Some(rest) = v.strip_prefix('Z') {
                    v = rest;
                } else {
                    let b = v.as_bytes();
                    if b.len() < 6 || !b[..6].is_ascii() || b[3] != b':' {
                        return Err(cannot(hold, lstr));
                    }
                    let hh = getnum(&v[1..3], true);
                    let mm = getnum(&v[4..6], true);
                    let (Some((h, _)), Some((m, _))) = (hh, mm) else {
                        return Err(cannot(hold, lstr));
                    };
                    if h > 24 {
                        return Err(range("time zone offset hour"));
                    }
                    if m > 60 {
                        return Err(range("time zone offset minute"));
                    }
                    if b[0] != b'+' && b[0] != b'-' {
                        return Err(cannot(hold, lstr));
                    }
                    v = &v[6..];
                }
            }
        }
    }
    if !v.is_empty() {
        return Err(format!("parsing time {}: extra text: {}", time_quote(value), time_quote(v)));
    }
    if day < 1 || day > i64::from(crate::yaml::days_in_month(year, month as u32)) {
        return Err(range("day"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sts(spec: Value) -> Value {
        json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web"}, "spec": spec})
    }

    fn type_err(body: &Value) -> String {
        match decode("apps/v1", "StatefulSet", body, FieldValidation::Strict) {
            Err(DecodeError::Type { message, .. }) => message,
            other => panic!("expected type error, got {other:?}"),
        }
    }

    #[test]
    fn first_type_error_in_sorted_order_wins() {
        let body = sts(json!({
            "volumeClaimTemplates": {"metadata": {"name": "data"}},
            "template": {"spec": {"containers": {"name": "x"}}},
            "replicas": 3,
            "volumeClaimTemolates": {}
        }));
        assert_eq!(
            type_err(&body),
            "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container"
        );
        let body = sts(json!({"volumeClaimTemplates": {"metadata": {"name": "data"}}}));
        assert_eq!(
            type_err(&body),
            "json: cannot unmarshal object into Go struct field StatefulSetSpec.spec.volumeClaimTemplates of type []v1.PersistentVolumeClaim"
        );
        match decode("apps/v1", "StatefulSet", &body, FieldValidation::Ignore) {
            Err(DecodeError::Type { path, .. }) => assert_eq!(path, "spec.volumeClaimTemplates"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scalar_type_errors() {
        assert_eq!(
            type_err(&sts(json!({"replicas": "3"}))),
            "json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32"
        );
        assert_eq!(
            type_err(&sts(json!({"replicas": 3.5}))),
            "json: cannot unmarshal number 3.5 into Go struct field StatefulSetSpec.spec.replicas of type int32"
        );
        assert_eq!(
            type_err(&sts(json!({"replicas": 3000000000u64}))),
            "json: cannot unmarshal number 3000000000 into Go struct field StatefulSetSpec.spec.replicas of type int32"
        );
        assert!(decode("apps/v1", "StatefulSet", &sts(json!({"replicas": 3})), FieldValidation::Strict).is_ok());
        assert_eq!(
            type_err(&sts(json!({"podManagementPolicy": 1}))),
            "json: cannot unmarshal number into Go struct field StatefulSetSpec.spec.podManagementPolicy of type v1.PodManagementPolicyType"
        );
        let body = json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": "web", "labels": {"on": true}}});
        assert_eq!(
            type_err(&body),
            "json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels of type string"
        );
        assert_eq!(
            type_err(&sts(json!({"template": {"spec": {"containers": ["nginx"]}}}))),
            "json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.containers of type v1.Container"
        );
        assert_eq!(
            type_err(&sts(json!({"template": {"spec": {"containers": [{"name": "a", "ports": [{"containerPort": "80"}]}]}}}))),
            "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32"
        );
        assert_eq!(
            type_err(&sts(json!({"selector": []}))),
            "json: cannot unmarshal array into Go struct field StatefulSetSpec.spec.selector of type v1.LabelSelector"
        );
        assert_eq!(
            type_err(&sts(json!({"template": {"spec": {"containers": [{"name": "a", "resources": {"limits": []}}]}}}))),
            "json: cannot unmarshal array into Go struct field ResourceRequirements.spec.template.spec.containers.resources.limits of type v1.ResourceList"
        );
        // null is always fine
        assert!(decode(
            "apps/v1",
            "StatefulSet",
            &sts(json!({"replicas": null, "selector": null})),
            FieldValidation::Strict
        )
        .is_ok());
    }

    #[test]
    fn custom_unmarshallers_abort_first() {
        // A Quantity error aborts even though an earlier (sorted) saved type error exists.
        let body = sts(json!({
            "replicas": "x",
            "template": {"spec": {"containers": [{"name": "a", "resources": {"limits": {"memory": "1 Gi"}}}]}}
        }));
        assert_eq!(type_err(&body), QUANTITY_FORMAT_WRONG);
        let body = sts(
            json!({"template": {"spec": {"containers": [{"name": "a", "resources": {"requests": {"cpu": "1K"}}}]}}}),
        );
        assert_eq!(type_err(&body), QUANTITY_SUFFIX);
        let body = sts(json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": {"a": 1}}}}));
        assert_eq!(
            type_err(&body),
            "json: cannot unmarshal object into Go struct field RollingUpdateStatefulSetStrategy.spec.updateStrategy.rollingUpdate.maxUnavailable of type int32"
        );
        let body = sts(json!({"updateStrategy": {"rollingUpdate": {"maxUnavailable": "50%", "partition": 1}}}));
        assert!(decode("apps/v1", "StatefulSet", &body, FieldValidation::Strict).is_ok());
        let body =
            json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"creationTimestamp": "yesterday"}});
        assert_eq!(
            type_err(&body),
            "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\""
        );
        let body = json!({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"creationTimestamp": 5}});
        assert_eq!(
            type_err(&body),
            "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string"
        );
    }

    #[test]
    fn quantities() {
        for ok in ["1", "1Gi", "500m", "2.5", "1e3", "1E3", "0", "-1", "+1", ".5", "1.", "100Mi", "1k", "12e-3", "Gi"] {
            assert_eq!(parse_quantity(ok), Ok(()), "{ok}");
        }
        for (bad, e) in [
            ("", QUANTITY_FORMAT_WRONG),
            ("abc", QUANTITY_FORMAT_WRONG),
            ("1 Gi", QUANTITY_FORMAT_WRONG),
            ("1Gb", QUANTITY_FORMAT_WRONG),
            ("1K", QUANTITY_SUFFIX),
            ("1e", QUANTITY_SUFFIX),
            ("1gi", QUANTITY_FORMAT_WRONG),
            ("1Ki5", QUANTITY_SUFFIX),
            ("1MiB", QUANTITY_FORMAT_WRONG),
            ("true", QUANTITY_FORMAT_WRONG),
        ] {
            assert_eq!(parse_quantity(bad), Err(e), "{bad}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(go_time_parse(RFC3339, "2024-01-02T03:04:05Z"), Ok(()));
        assert_eq!(go_time_parse(RFC3339, "2024-01-02T03:04:05.123+02:00"), Ok(()));
        assert_eq!(go_time_parse(RFC3339, "2024-01-02T3:04:05Z"), Ok(()));
        assert_eq!(
            go_time_parse(RFC3339, "2024-13-02T03:04:05Z").unwrap_err(),
            "parsing time \"2024-13-02T03:04:05Z\": month out of range"
        );
        assert_eq!(
            go_time_parse(RFC3339, "2024-02-30T03:04:05Z").unwrap_err(),
            "parsing time \"2024-02-30T03:04:05Z\": day out of range"
        );
        assert_eq!(
            go_time_parse(RFC3339, "2024-01-02").unwrap_err(),
            "parsing time \"2024-01-02\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"T\""
        );
        assert_eq!(
            go_time_parse(RFC3339, "2024-01-02T03:04:05Zjunk").unwrap_err(),
            "parsing time \"2024-01-02T03:04:05Zjunk\": extra text: \"junk\""
        );
        assert_eq!(go_time_parse(RFC3339_MICRO, "2024-01-02T03:04:05.000001Z"), Ok(()));
        assert!(go_time_parse(RFC3339_MICRO, "2024-01-02T03:04:05Z").is_err());
        assert!(go_time_parse(RFC3339, "２０２４-01-02T03:04:05Z").is_err());
        assert!(go_time_parse(RFC3339, "2024-01-02T03:04:05é:00:0").is_err());
        assert!(go_time_parse(RFC3339, "2024-01-02T03:04:05+é:000").is_err());
    }

    #[test]
    fn unknown_fields_by_level() {
        let body = sts(json!({
            "replicas": 2,
            "repplicas": 5,
            "template": {"spec": {"containers": [{"name": "a", "imagee": "x", "containerport": 1}]}},
            "volumeClaimTemolates": [{"metadata": {"name": "d", "bogus": 1}}]
        }));
        match decode("apps/v1", "StatefulSet", &body, FieldValidation::Strict) {
            Err(DecodeError::Strict { message, fields }) => {
                assert_eq!(
                    fields,
                    vec![
                        "spec.repplicas",
                        "spec.template.spec.containers[0].containerport",
                        "spec.template.spec.containers[0].imagee",
                        "spec.volumeClaimTemolates",
                    ]
                );
                assert_eq!(
                    message,
                    "strict decoding error: unknown field \"spec.repplicas\", unknown field \"spec.template.spec.containers[0].containerport\", unknown field \"spec.template.spec.containers[0].imagee\", unknown field \"spec.volumeClaimTemolates\""
                );
            }
            other => panic!("{other:?}"),
        }
        let d = decode("apps/v1", "StatefulSet", &body, FieldValidation::Warn).unwrap();
        assert_eq!(d.warnings.len(), 4);
        assert_eq!(d.warnings[0], "unknown field \"spec.repplicas\"");
        assert!(d.value["spec"].get("repplicas").is_none());
        assert_eq!(d.value["spec"]["replicas"], json!(2));
        let d = decode("apps/v1", "StatefulSet", &body, FieldValidation::Ignore).unwrap();
        assert!(d.warnings.is_empty());
        assert!(d.value["spec"]["template"]["spec"]["containers"][0].get("imagee").is_none());
        // a type error hides unknown fields
        let body = sts(json!({"replicas": "2", "repplicas": 5}));
        assert!(matches!(
            decode("apps/v1", "StatefulSet", &body, FieldValidation::Strict),
            Err(DecodeError::Type { .. })
        ));
        assert!(matches!(
            decode("apps/v1beta1", "StatefulSet", &body, FieldValidation::Strict),
            Err(DecodeError::NoKind { .. })
        ));
    }

    #[test]
    fn valid_pod_spec_features_decode() {
        let body = json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": "p", "labels": {"app": "x"}, "annotations": {"a": "b"}},
            "spec": {
                "securityContext": {"runAsUser": 1000, "fsGroup": 2000, "seccompProfile": {"type": "RuntimeDefault"}},
                "initContainers": [{"name": "init", "image": "busybox", "command": ["sh", "-c", "true"]}],
                "containers": [{
                    "name": "c", "image": "nginx",
                    "env": [{"name": "A", "value": "1"}, {"name": "B", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
                    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": 1, "memory": "1Gi"}},
                    "livenessProbe": {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5},
                    "readinessProbe": {"tcpSocket": {"port": "web"}, "periodSeconds": 10},
                    "startupProbe": {"exec": {"command": ["true"]}},
                    "securityContext": {"allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}
                }],
                "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 100, "podAffinityTerm": {"labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["x"]}]}, "topologyKey": "kubernetes.io/hostname"}}
                ]}},
                "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule", "tolerationSeconds": 30}],
                "terminationGracePeriodSeconds": 10
            }
        });
        let d = decode("v1", "Pod", &body, FieldValidation::Strict).unwrap();
        assert_eq!(d.value, body);
    }
}
