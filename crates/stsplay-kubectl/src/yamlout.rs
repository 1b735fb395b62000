//! YAML output byte-identical to `kubectl get -o yaml`.
//!
//! kubectl's YAMLPrinter calls `sigs.k8s.io/yaml.Marshal(obj)`: `json.Marshal` → `JSONToYAML`,
//! which decodes the JSON text with go-yaml v2 (so numbers become int/uint/float by YAML 1.1
//! resolution) and re-encodes it with go-yaml v2's `Marshal`. This module reproduces that
//! pipeline:
//!
//! * numbers: the Go JSON text of the number is resolved like yaml.v2 (`ParseInt`, then
//!   `ParseUint`, then float) and floats are printed with `strconv.FormatFloat(f, 'g', -1, 64)`;
//! * map keys are ordered with yaml.v2's `keyList.Less` ("natural" order: letters sort after
//!   non-letters, digit runs compare numerically);
//! * strings get the style yaml.v2's `encoder.stringv` requests: literal block if they contain
//!   `"\n"`, plain if the plain text would resolve back to a string (not bool/null/int/float/
//!   timestamp, not a base-60 float), otherwise double-quoted;
//! * the event stream is then written by a safe Rust port of go-yaml v2's `emitterc.go`
//!   (itself a port of libyaml's emitter) with go-yaml's settings: indent 2, line width 80
//!   (long plain/quoted scalars are folded), unicode output, compact block sequences
//!   (`key:\n- item`), `{}`/`[]` for empty collections. The emitter's own style fallback
//!   (plain → single-quoted → double-quoted, literal → double-quoted) is ported as is.
//!
//! Why not drive unsafe-libyaml: go-yaml v2's emitter differs from libyaml 0.2.5 in small
//! ways (e.g. `followed_by_whitespace`, document-end markers); porting the Go code keeps the
//! output identical and needs no `unsafe`.
//!
//! Everything here is iterative or depth-independent; it never panics.

use serde_json::{Map, Value};

use crate::jsonout::{format_float, go_json_number};

/// `kubectl get -o yaml` text for one object (ends with a newline).
pub fn to_yaml(v: &Value) -> String {
    let events = value_events(v);
    let mut em = Emitter::new();
    em.emit_all(&events);
    em.out
}

// ---------------------------------------------------------------------------------------
// Value → events (what go-yaml's encoder emits for JSONToYAML's decoded value)

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    DoubleQuoted,
    Literal,
    SingleQuoted,
}

#[derive(Clone, Debug, PartialEq)]
enum Event {
    StreamStart,
    DocumentStart,
    DocumentEnd,
    StreamEnd,
    MappingStart,
    MappingEnd,
    SequenceStart,
    SequenceEnd,
    Scalar(String, Style),
}

enum Work<'a> {
    Value(&'a Value),
    Event(Event),
}

fn value_events(root: &Value) -> Vec<Event> {
    let mut out = vec![Event::StreamStart, Event::DocumentStart];
    let mut work: Vec<Work> = vec![Work::Value(root)];
    while let Some(w) = work.pop() {
        match w {
            Work::Event(e) => out.push(e),
            Work::Value(v) => match v {
                Value::Null => out.push(Event::Scalar("null".into(), Style::Plain)),
                Value::Bool(b) => out.push(Event::Scalar(if *b { "true" } else { "false" }.into(), Style::Plain)),
                Value::Number(n) => out.push(Event::Scalar(yaml_number(&go_json_number(n)), Style::Plain)),
                Value::String(s) => out.push(string_event(s)),
                Value::Array(items) => {
                    out.push(Event::SequenceStart);
                    work.push(Work::Event(Event::SequenceEnd));
                    for item in items.iter().rev() {
                        work.push(Work::Value(item));
                    }
                }
                Value::Object(m) => {
                    out.push(Event::MappingStart);
                    work.push(Work::Event(Event::MappingEnd));
                    for (k, v) in sorted_keys(m).into_iter().rev() {
                        work.push(Work::Value(v));
                        work.push(Work::Event(string_event(k)));
                    }
                }
            },
        }
    }
    out.push(Event::DocumentEnd);
    out.push(Event::StreamEnd);
    out
}

/// yaml.v2 `encoder.stringv` style decision for an untagged string.
fn string_event(s: &str) -> Event {
    let can_use_plain = !resolves_to_non_string(s) && !is_base60_float(s);
    let style = if s.contains('\n') {
        Style::Literal
    } else if can_use_plain {
        Style::Plain
    } else {
        Style::DoubleQuoted
    };
    Event::Scalar(s.to_string(), style)
}

/// The scalar text yaml.v2 prints for a JSON number literal after decoding it.
fn yaml_number(json_text: &str) -> String {
    if let Ok(i) = json_text.parse::<i64>() {
        return i.to_string();
    }
    if let Ok(u) = json_text.parse::<u64>() {
        return u.to_string();
    }
    match json_text.parse::<f64>() {
        Ok(f) if f.is_nan() => ".nan".to_string(),
        Ok(f) if f.is_infinite() => if f > 0.0 { ".inf" } else { "-.inf" }.to_string(),
        Ok(f) => format_float(f, 'g'),
        Err(_) => json_text.to_string(),
    }
}

fn sorted_keys(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut v: Vec<(&String, &Value)> = m.iter().collect();
    v.sort_by(|a, b| {
        if key_less(a.0, b.0) {
            std::cmp::Ordering::Less
        } else if key_less(b.0, a.0) {
            std::cmp::Ordering::Greater
        } else {
            a.0.cmp(b.0)
        }
    });
    v
}

/// yaml.v2 `keyList.Less` for two string keys.
pub fn key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let is_digit = |c: char| c.is_ascii_digit();
    let mut i = 0;
    while i < ar.len() && i < br.len() {
        if ar[i] == br[i] {
            i += 1;
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && is_digit(ar[j - 1]) {
                if ar[j - 1] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
                j -= 1;
            }
        }
        let mut ai = i;
        while ai < ar.len() && is_digit(ar[ai]) {
            an = an.wrapping_mul(10).wrapping_add((ar[ai] as i64) - ('0' as i64));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && is_digit(br[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add((br[bi] as i64) - ('0' as i64));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

// ---------------------------------------------------------------------------------------
// yaml.v2 resolve() for plain scalars: does `s`, written plain, read back as a non-string?

/// True if go-yaml v2 would resolve the plain scalar `s` to a non-string tag (bool, null,
/// int, float, timestamp). Such strings are double-quoted by the encoder.
pub fn resolves_to_non_string(s: &str) -> bool {
    let first = s.as_bytes().first().copied();
    let hint = match first {
        None => 'N',
        Some(b'+') | Some(b'-') => 'S',
        Some(b'0'..=b'9') => 'D',
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => 'M',
        Some(b'.') => '.',
        _ => return false,
    };
    if in_resolve_map(s) {
        return true;
    }
    match hint {
        '.' => go_parse_float(s).is_ok(),
        'D' | 'S' => {
            if parse_timestamp(s) {
                return true;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parse_int(&plain, true).is_ok() {
                return true;
            }
            let uint = go_parse_int(&plain, false);
            if uint.is_ok() {
                return true;
            }
            if is_yaml_style_float(&plain) && go_parse_float(&plain).is_ok() {
                return true;
            }
            if let Some(rest) = plain.strip_prefix("0b") {
                if parse_radix_digits(rest, 2).is_ok() {
                    return true;
                }
            } else if let Some(rest) = plain.strip_prefix("-0b") {
                if parse_radix_digits(rest, 2).is_ok() {
                    return true;
                }
            }
            // sigs.k8s.io/yaml's fork: out-of-range integers resolve to a big.Int
            if uint == Err(NumErr::Range) {
                return true;
            }
            false
        }
        _ => false,
    }
}

fn in_resolve_map(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "true"
            | "True"
            | "TRUE"
            | "on"
            | "On"
            | "ON"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "false"
            | "False"
            | "FALSE"
            | "off"
            | "Off"
            | "OFF"
            | ""
            | "~"
            | "null"
            | "Null"
            | "NULL"
            | ".nan"
            | ".NaN"
            | ".NAN"
            | ".inf"
            | ".Inf"
            | ".INF"
            | "+.inf"
            | "+.Inf"
            | "+.INF"
            | "-.inf"
            | "-.Inf"
            | "-.INF"
            | "<<"
    )
}

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum NumErr {
    Syntax,
    Range,
}

/// Digits in `radix` (no sign, no prefix, at least one digit) → value, with range check.
fn parse_radix_digits(s: &str, radix: u32) -> Result<u64, NumErr> {
    if s.is_empty() {
        return Err(NumErr::Syntax);
    }
    let mut v: u64 = 0;
    let mut overflow = false;
    for c in s.chars() {
        let d = c.to_digit(radix).ok_or(NumErr::Syntax)?;
        match v.checked_mul(radix as u64).and_then(|x| x.checked_add(d as u64)) {
            Some(x) => v = x,
            None => overflow = true,
        }
    }
    if overflow {
        Err(NumErr::Range)
    } else {
        Ok(v)
    }
}

/// Go `strconv.ParseInt(s, 0, 64)` (signed) / `ParseUint(s, 0, 64)` (unsigned) without
/// underscores (the caller removed them).
fn go_parse_int(s: &str, signed: bool) -> Result<(), NumErr> {
    let (neg, body) = if signed {
        match s.as_bytes().first() {
            Some(b'+') => (false, &s[1..]),
            Some(b'-') => (true, &s[1..]),
            _ => (false, s),
        }
    } else {
        (false, s)
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    let v = parse_radix_digits(digits, radix)?;
    if signed {
        let limit: u64 = if neg { 1u64 << 63 } else { (1u64 << 63) - 1 };
        if v > limit {
            return Err(NumErr::Range);
        }
    }
    Ok(())
}

/// Go `strconv.ParseFloat(s, 64)` success check (decimal, hex, inf/nan, underscores).
fn go_parse_float(s: &str) -> Result<(), NumErr> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        if lower == "nan" && body.len() != s.len() {
            return Err(NumErr::Syntax);
        }
        return Ok(());
    }
    if !underscore_ok(body) {
        return Err(NumErr::Syntax);
    }
    let clean: String = lower.chars().filter(|&c| c != '_').collect();
    if let Some(hex) = clean.strip_prefix("0x") {
        // hex float: mantissa hex digits with optional '.', mandatory p exponent
        let (mant, exp) = match hex.split_once('p') {
            Some(p) => p,
            None => return Err(NumErr::Syntax),
        };
        let (ip, fp) = mant.split_once('.').unwrap_or((mant, ""));
        if ip.is_empty() && fp.is_empty() {
            return Err(NumErr::Syntax);
        }
        if !ip.chars().chain(fp.chars()).all(|c| c.is_ascii_hexdigit()) {
            return Err(NumErr::Syntax);
        }
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if exp.is_empty() || !exp.chars().all(|c| c.is_ascii_digit()) {
            return Err(NumErr::Syntax);
        }
        return Ok(());
    }
    // decimal: digits [. digits] [e [sign] digits], at least one mantissa digit
    let (mant, exp) = match clean.split_once('e') {
        Some((m, e)) => (m, Some(e)),
        None => (clean.as_str(), None),
    };
    let (ip, fp) = mant.split_once('.').unwrap_or((mant, ""));
    if ip.is_empty() && fp.is_empty() {
        return Err(NumErr::Syntax);
    }
    if !ip.chars().chain(fp.chars()).all(|c| c.is_ascii_digit()) {
        return Err(NumErr::Syntax);
    }
    if let Some(e) = exp {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        if e.is_empty() || !e.chars().all(|c| c.is_ascii_digit()) {
            return Err(NumErr::Syntax);
        }
    }
    match clean.parse::<f64>() {
        Ok(f) if f.is_infinite() => Err(NumErr::Range),
        Ok(_) => Ok(()),
        Err(_) => Err(NumErr::Syntax),
    }
}

/// Go strconv `underscoreOK`.
fn underscore_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut saw = b'^';
    let mut i = 0;
    let mut hex = false;
    if b.len() >= 2 && b[0] == b'0' {
        let c = b[1].to_ascii_lowercase();
        if c == b'x' || c == b'b' || c == b'o' {
            hex = c == b'x';
            i = 2;
            saw = b'0';
        }
    }
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() || (hex && c.to_ascii_lowercase().is_ascii_hexdigit()) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
        i += 1;
    }
    saw != b'_'
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
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
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// yaml.v2 `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
pub fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let first = match b.first() {
        Some(&c) => c,
        None => return false,
    };
    if !(first == b'+' || first == b'-' || first.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    let mut i = 0;
    if b[i] == b'+' || b[i] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    i += 1;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        if i >= b.len() || !b[i].is_ascii_digit() {
            return false;
        }
        let d1 = b[i];
        i += 1;
        if (b'0'..=b'5').contains(&d1) && i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// yaml.v2 `parseTimestamp`: Go `time.Parse` with the layouts
/// `2006-1-2T15:4:5.999999999Z07:00`, `2006-1-2t15:4:5.999999999Z07:00`,
/// `2006-1-2 15:4:5.999999999`, `2006-1-2`.
pub fn parse_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i != 4 || i == b.len() || b[i] != b'-' {
        return false;
    }
    use Tok::*;
    let layouts: [&[Tok]; 4] = [
        &[Year, Lit("-"), Month, Lit("-"), Day, Lit("T"), Hour, Lit(":"), Minute, Lit(":"), Second, Frac9, TzZColon],
        &[Year, Lit("-"), Month, Lit("-"), Day, Lit("t"), Hour, Lit(":"), Minute, Lit(":"), Second, Frac9, TzZColon],
        &[Year, Lit("-"), Month, Lit("-"), Day, Lit(" "), Hour, Lit(":"), Minute, Lit(":"), Second, Frac9],
        &[Year, Lit("-"), Month, Lit("-"), Day],
    ];
    layouts.iter().any(|l| go_time_parse(s, l))
}

#[derive(Clone, Copy)]
enum Tok {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Frac9,
    TzZColon,
    Lit(&'static str),
}

fn getnum(v: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let d0 = *v.first()?;
    if !d0.is_ascii_digit() {
        return None;
    }
    match v.get(1) {
        Some(d1) if d1.is_ascii_digit() => Some(((d0 - b'0') as i64 * 10 + (d1 - b'0') as i64, &v[2..])),
        _ if fixed => None,
        _ => Some(((d0 - b'0') as i64, &v[1..])),
    }
}

fn go_time_parse(s: &str, layout: &[Tok]) -> bool {
    let mut v = s.as_bytes();
    let (mut year, mut month, mut day) = (0i64, 0i64, 0i64);
    for (k, tok) in layout.iter().enumerate() {
        match *tok {
            Tok::Lit(lit) => {
                // Go `skip`: a space in the layout matches one or more spaces
                let mut p = lit.as_bytes();
                while let Some(&pc) = p.first() {
                    if pc == b' ' {
                        if !v.is_empty() && v[0] != b' ' {
                            return false;
                        }
                        while p.first() == Some(&b' ') {
                            p = &p[1..];
                        }
                        while v.first() == Some(&b' ') {
                            v = &v[1..];
                        }
                        continue;
                    }
                    if v.first() != Some(&pc) {
                        return false;
                    }
                    p = &p[1..];
                    v = &v[1..];
                }
            }
            Tok::Year => {
                if v.len() < 4 || !v[..4].iter().all(|c| c.is_ascii_digit()) {
                    return false;
                }
                year = v[..4].iter().fold(0i64, |a, c| a * 10 + (c - b'0') as i64);
                v = &v[4..];
            }
            Tok::Month => match getnum(v, false) {
                Some((m, rest)) if (1..=12).contains(&m) => {
                    month = m;
                    v = rest;
                }
                _ => return false,
            },
            Tok::Day => match getnum(v, false) {
                Some((d, rest)) => {
                    day = d;
                    v = rest;
                }
                None => return false,
            },
            Tok::Hour => match getnum(v, false) {
                Some((h, rest)) if h < 24 => v = rest,
                _ => return false,
            },
            Tok::Minute => match getnum(v, false) {
                Some((m, rest)) if m < 60 => v = rest,
                _ => return false,
            },
            Tok::Second => match getnum(v, false) {
                Some((sec, rest)) if sec < 60 => {
                    v = rest;
                    // a fraction is left for the following Frac9 token (always present in
                    // layouts that have seconds)
                    let _ = k;
                }
                _ => return false,
            },
            Tok::Frac9 => {
                if v.len() >= 2 && (v[0] == b'.' || v[0] == b',') && v[1].is_ascii_digit() {
                    let mut i = 1;
                    while i < v.len() && v[i].is_ascii_digit() {
                        i += 1;
                    }
                    v = &v[i..];
                }
            }
            Tok::TzZColon => {
                if v.first() == Some(&b'Z') {
                    v = &v[1..];
                    continue;
                }
                if v.len() < 6 || v[3] != b':' {
                    return false;
                }
                let hh = match getnum(&v[1..3], true) {
                    Some((h, _)) => h,
                    None => return false,
                };
                let mm = match getnum(&v[4..6], true) {
                    Some((m, _)) => m,
                    None => return false,
                };
                if hh > 24 || mm > 60 || !(v[0] == b'+' || v[0] == b'-') {
                    return false;
                }
                v = &v[6..];
            }
        }
    }
    if !v.is_empty() {
        return false; // extra text
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let dim = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        _ => 28,
    };
    day >= 1 && day <= dim
}

// ---------------------------------------------------------------------------------------
// go-yaml v2 emitter (emitterc.go), restricted to untagged, anchor-less events.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    StreamStart,
    FirstDocumentStart,
    DocumentStart,
    DocumentContent,
    DocumentEnd,
    FlowSequenceFirstItem,
    FlowSequenceItem,
    FlowMappingFirstKey,
    FlowMappingKey,
    FlowMappingSimpleValue,
    FlowMappingValue,
    BlockSequenceFirstItem,
    BlockSequenceItem,
    BlockMappingFirstKey,
    BlockMappingKey,
    BlockMappingSimpleValue,
    BlockMappingValue,
    End,
}

#[derive(Default)]
struct ScalarData {
    value: Vec<char>,
    byte_len: usize,
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
    style: Option<Style>,
}

struct Emitter {
    out: String,
    best_indent: i64,
    best_width: i64,

    state: State,
    states: Vec<State>,
    indent: i64,
    indents: Vec<i64>,
    flow_level: i64,

    root_context: bool,
    sequence_context: bool,
    mapping_context: bool,
    simple_key_context: bool,

    line: i64,
    column: i64,
    whitespace: bool,
    indention: bool,
    open_ended: bool,

    scalar: ScalarData,
    failed: bool,
}

fn is_space(c: Option<char>) -> bool {
    c == Some(' ')
}
fn is_blank(c: Option<char>) -> bool {
    matches!(c, Some(' ') | Some('\t'))
}
fn is_break(c: Option<char>) -> bool {
    matches!(c, Some('\r') | Some('\n') | Some('\u{85}') | Some('\u{2028}') | Some('\u{2029}'))
}
fn is_blankz(c: Option<char>) -> bool {
    is_blank(c) || is_break(c) || c == Some('\0')
}
fn is_printable(c: char) -> bool {
    c == '\n'
        || ('\u{20}'..='\u{7e}').contains(&c)
        || ('\u{a0}'..='\u{d7ff}').contains(&c)
        || (('\u{e000}'..='\u{fffd}').contains(&c) && c != '\u{feff}')
}

impl Emitter {
    fn new() -> Self {
        Emitter {
            out: String::new(),
            best_indent: 2,
            best_width: 80,
            state: State::StreamStart,
            states: Vec::new(),
            indent: -1,
            indents: Vec::new(),
            flow_level: 0,
            root_context: false,
            sequence_context: false,
            mapping_context: false,
            simple_key_context: false,
            line: 0,
            column: 0,
            whitespace: true,
            indention: true,
            open_ended: false,
            scalar: ScalarData::default(),
            failed: false,
        }
    }

    fn emit_all(&mut self, events: &[Event]) {
        for head in 0..events.len() {
            if self.failed {
                return;
            }
            let ev = &events[head];
            if let Event::StreamEnd = ev {
                // encoder.finish(): e.emitter.open_ended = false
                self.open_ended = false;
            }
            self.analyze_event(ev);
            self.state_machine(events, head);
        }
    }

    // ---- output primitives

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
        self.line += 1;
    }

    fn write(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn write_all(&mut self, s: &str) {
        for c in s.chars() {
            self.write(c);
        }
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.write(c);
            self.column = 0;
            self.line += 1;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn pop_state(&mut self) {
        match self.states.pop() {
            Some(s) => self.state = s,
            None => self.failed = true,
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { self.best_indent } else { 0 };
        } else if !indentless {
            self.indent += self.best_indent;
        }
    }

    // ---- state machine

    fn state_machine(&mut self, events: &[Event], head: usize) {
        let ev = &events[head];
        match self.state {
            State::StreamStart => self.emit_stream_start(ev),
            State::FirstDocumentStart => self.emit_document_start(ev, true),
            State::DocumentStart => self.emit_document_start(ev, false),
            State::DocumentContent => self.emit_document_content(events, head),
            State::DocumentEnd => self.emit_document_end(ev),
            State::FlowSequenceFirstItem => self.emit_flow_sequence_item(events, head, true),
            State::FlowSequenceItem => self.emit_flow_sequence_item(events, head, false),
            State::FlowMappingFirstKey => self.emit_flow_mapping_key(events, head, true),
            State::FlowMappingKey => self.emit_flow_mapping_key(events, head, false),
            State::FlowMappingSimpleValue => self.emit_flow_mapping_value(events, head, true),
            State::FlowMappingValue => self.emit_flow_mapping_value(events, head, false),
            State::BlockSequenceFirstItem => self.emit_block_sequence_item(events, head, true),
            State::BlockSequenceItem => self.emit_block_sequence_item(events, head, false),
            State::BlockMappingFirstKey => self.emit_block_mapping_key(events, head, true),
            State::BlockMappingKey => self.emit_block_mapping_key(events, head, false),
            State::BlockMappingSimpleValue => self.emit_block_mapping_value(events, head, true),
            State::BlockMappingValue => self.emit_block_mapping_value(events, head, false),
            State::End => self.failed = true,
        }
    }

    fn emit_stream_start(&mut self, ev: &Event) {
        if *ev != Event::StreamStart {
            self.failed = true;
            return;
        }
        self.indent = -1;
        self.line = 0;
        self.column = 0;
        self.whitespace = true;
        self.indention = true;
        self.state = State::FirstDocumentStart;
    }

    fn emit_document_start(&mut self, ev: &Event, first: bool) {
        match ev {
            Event::DocumentStart => {
                let implicit = first;
                if !implicit {
                    self.write_indent();
                    self.write_indicator("---", true, false, false);
                }
                self.state = State::DocumentContent;
            }
            Event::StreamEnd => {
                if self.open_ended {
                    self.write_indicator("...", true, false, false);
                    self.write_indent();
                }
                self.state = State::End;
            }
            _ => self.failed = true,
        }
    }

    fn emit_document_content(&mut self, events: &[Event], head: usize) {
        self.states.push(State::DocumentEnd);
        self.emit_node(events, head, true, false, false, false);
    }

    fn emit_document_end(&mut self, ev: &Event) {
        if *ev != Event::DocumentEnd {
            self.failed = true;
            return;
        }
        self.write_indent();
        // implicit document end: no "..."
        self.state = State::DocumentStart;
    }

    fn emit_flow_sequence_item(&mut self, events: &[Event], head: usize, first: bool) {
        if first {
            self.write_indicator("[", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if events[head] == Event::SequenceEnd {
            self.flow_level -= 1;
            self.pop_indent();
            self.write_indicator("]", false, false, false);
            self.pop_state();
            return;
        }
        if !first {
            self.write_indicator(",", false, false, false);
        }
        if self.column > self.best_width {
            self.write_indent();
        }
        self.states.push(State::FlowSequenceItem);
        self.emit_node(events, head, false, true, false, false);
    }

    fn emit_flow_mapping_key(&mut self, events: &[Event], head: usize, first: bool) {
        if first {
            self.write_indicator("{", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if events[head] == Event::MappingEnd {
            self.flow_level -= 1;
            self.pop_indent();
            self.write_indicator("}", false, false, false);
            self.pop_state();
            return;
        }
        if !first {
            self.write_indicator(",", false, false, false);
        }
        if self.column > self.best_width {
            self.write_indent();
        }
        if self.check_simple_key(events, head) {
            self.states.push(State::FlowMappingSimpleValue);
            self.emit_node(events, head, false, false, true, true);
            return;
        }
        self.write_indicator("?", true, false, false);
        self.states.push(State::FlowMappingValue);
        self.emit_node(events, head, false, false, true, false);
    }

    fn emit_flow_mapping_value(&mut self, events: &[Event], head: usize, simple: bool) {
        if simple {
            self.write_indicator(":", false, false, false);
        } else {
            if self.column > self.best_width {
                self.write_indent();
            }
            self.write_indicator(":", true, false, false);
        }
        self.states.push(State::FlowMappingKey);
        self.emit_node(events, head, false, false, true, false);
    }

    fn emit_block_sequence_item(&mut self, events: &[Event], head: usize, first: bool) {
        if first {
            let indentless = self.mapping_context && !self.indention;
            self.increase_indent(false, indentless);
        }
        if events[head] == Event::SequenceEnd {
            self.pop_indent();
            self.pop_state();
            return;
        }
        self.write_indent();
        self.write_indicator("-", true, false, true);
        self.states.push(State::BlockSequenceItem);
        self.emit_node(events, head, false, true, false, false);
    }

    fn emit_block_mapping_key(&mut self, events: &[Event], head: usize, first: bool) {
        if first {
            self.increase_indent(false, false);
        }
        if events[head] == Event::MappingEnd {
            self.pop_indent();
            self.pop_state();
            return;
        }
        self.write_indent();
        if self.check_simple_key(events, head) {
            self.states.push(State::BlockMappingSimpleValue);
            self.emit_node(events, head, false, false, true, true);
            return;
        }
        self.write_indicator("?", true, false, true);
        self.states.push(State::BlockMappingValue);
        self.emit_node(events, head, false, false, true, false);
    }

    fn emit_block_mapping_value(&mut self, events: &[Event], head: usize, simple: bool) {
        if simple {
            self.write_indicator(":", false, false, false);
        } else {
            self.write_indent();
            self.write_indicator(":", true, false, true);
        }
        self.states.push(State::BlockMappingKey);
        self.emit_node(events, head, false, false, true, false);
    }

    fn emit_node(
        &mut self,
        events: &[Event],
        head: usize,
        root: bool,
        sequence: bool,
        mapping: bool,
        simple_key: bool,
    ) {
        self.root_context = root;
        self.sequence_context = sequence;
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match &events[head] {
            Event::Scalar(_, style) => self.emit_scalar(*style),
            Event::SequenceStart => {
                self.state = if self.flow_level > 0 || check_empty(events, head, &Event::SequenceEnd) {
                    State::FlowSequenceFirstItem
                } else {
                    State::BlockSequenceFirstItem
                };
            }
            Event::MappingStart => {
                self.state = if self.flow_level > 0 || check_empty(events, head, &Event::MappingEnd) {
                    State::FlowMappingFirstKey
                } else {
                    State::BlockMappingFirstKey
                };
            }
            _ => self.failed = true,
        }
    }

    fn emit_scalar(&mut self, requested: Style) {
        self.select_scalar_style(requested);
        self.increase_indent(true, false);
        self.process_scalar();
        self.pop_indent();
        self.pop_state();
    }

    fn check_simple_key(&self, events: &[Event], head: usize) -> bool {
        let length = match &events[head] {
            Event::Scalar(..) => {
                if self.scalar.multiline {
                    return false;
                }
                self.scalar.byte_len
            }
            Event::SequenceStart => {
                if !check_empty(events, head, &Event::SequenceEnd) {
                    return false;
                }
                0
            }
            Event::MappingStart => {
                if !check_empty(events, head, &Event::MappingEnd) {
                    return false;
                }
                0
            }
            _ => return false,
        };
        length <= 128
    }

    fn select_scalar_style(&mut self, requested: Style) {
        let mut style = requested;
        if self.simple_key_context && self.scalar.multiline {
            style = Style::DoubleQuoted;
        }
        if style == Style::Plain {
            if (self.flow_level > 0 && !self.scalar.flow_plain_allowed)
                || (self.flow_level == 0 && !self.scalar.block_plain_allowed)
            {
                style = Style::SingleQuoted;
            }
            if self.scalar.value.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = Style::SingleQuoted;
            }
        }
        if style == Style::SingleQuoted && !self.scalar.single_quoted_allowed {
            style = Style::DoubleQuoted;
        }
        if style == Style::Literal && (!self.scalar.block_allowed || self.flow_level > 0 || self.simple_key_context) {
            style = Style::DoubleQuoted;
        }
        self.scalar.style = Some(style);
    }

    fn process_scalar(&mut self) {
        let value = std::mem::take(&mut self.scalar.value);
        let allow_breaks = !self.simple_key_context;
        match self.scalar.style.unwrap_or(Style::DoubleQuoted) {
            Style::Plain => self.write_plain_scalar(&value, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted_scalar(&value, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted_scalar(&value, allow_breaks),
            Style::Literal => self.write_literal_scalar(&value),
        }
        self.scalar.value = value;
    }

    // ---- analysis

    fn analyze_event(&mut self, ev: &Event) {
        self.scalar.value.clear();
        self.scalar.byte_len = 0;
        if let Event::Scalar(v, _) = ev {
            self.analyze_scalar(v);
        }
    }

    fn analyze_scalar(&mut self, s: &str) {
        let value: Vec<char> = s.chars().collect();
        let sd = &mut self.scalar;
        sd.byte_len = s.len();
        if value.is_empty() {
            sd.value = value;
            sd.multiline = false;
            sd.flow_plain_allowed = false;
            sd.block_plain_allowed = true;
            sd.single_quoted_allowed = true;
            sd.block_allowed = false;
            return;
        }
        let mut block_indicators = false;
        let mut flow_indicators = false;
        let mut line_breaks = false;
        let mut special_characters = false;
        let mut leading_space = false;
        let mut leading_break = false;
        let mut trailing_space = false;
        let mut trailing_break = false;
        let mut break_space = false;
        let mut space_break = false;
        let mut previous_space = false;
        let mut previous_break = false;

        if s.starts_with("---") || s.starts_with("...") {
            block_indicators = true;
            flow_indicators = true;
        }
        let mut preceded_by_whitespace = true;
        let n = value.len();
        for i in 0..n {
            let c = value[i];
            let next = value.get(i + 1).copied();
            let followed_by_whitespace = i + 1 >= n || is_blank(next);
            if i == 0 {
                match c {
                    '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                        flow_indicators = true;
                        block_indicators = true;
                    }
                    '?' | ':' => {
                        flow_indicators = true;
                        if followed_by_whitespace {
                            block_indicators = true;
                        }
                    }
                    '-' if followed_by_whitespace => {
                        flow_indicators = true;
                        block_indicators = true;
                    }
                    _ => {}
                }
            } else {
                match c {
                    ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                    ':' => {
                        flow_indicators = true;
                        if followed_by_whitespace {
                            block_indicators = true;
                        }
                    }
                    '#' if preceded_by_whitespace => {
                        flow_indicators = true;
                        block_indicators = true;
                    }
                    _ => {}
                }
            }
            if !is_printable(c) {
                special_characters = true;
            }
            if is_space(Some(c)) {
                if i == 0 {
                    leading_space = true;
                }
                if i + 1 == n {
                    trailing_space = true;
                }
                if previous_break {
                    break_space = true;
                }
                previous_space = true;
                previous_break = false;
            } else if is_break(Some(c)) {
                line_breaks = true;
                if i == 0 {
                    leading_break = true;
                }
                if i + 1 == n {
                    trailing_break = true;
                }
                if previous_space {
                    space_break = true;
                }
                previous_space = false;
                previous_break = true;
            } else {
                previous_space = false;
                previous_break = false;
            }
            preceded_by_whitespace = is_blankz(Some(c));
        }

        sd.value = value;
        sd.multiline = line_breaks;
        sd.flow_plain_allowed = true;
        sd.block_plain_allowed = true;
        sd.single_quoted_allowed = true;
        sd.block_allowed = true;
        if leading_space || leading_break || trailing_space || trailing_break {
            sd.flow_plain_allowed = false;
            sd.block_plain_allowed = false;
        }
        if trailing_space {
            sd.block_allowed = false;
        }
        if break_space {
            sd.flow_plain_allowed = false;
            sd.block_plain_allowed = false;
            sd.single_quoted_allowed = false;
        }
        if space_break || special_characters {
            sd.flow_plain_allowed = false;
            sd.block_plain_allowed = false;
            sd.single_quoted_allowed = false;
            sd.block_allowed = false;
        }
        if line_breaks {
            sd.flow_plain_allowed = false;
            sd.block_plain_allowed = false;
        }
        if flow_indicators {
            sd.flow_plain_allowed = false;
        }
        if block_indicators {
            sd.block_plain_allowed = false;
        }
    }

    // ---- writers

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(&mut self, ind: &str, need_whitespace: bool, is_whitespace: bool, is_indention: bool) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        self.write_all(ind);
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    fn write_plain_scalar(&mut self, value: &[char], allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        let n = value.len();
        let mut i = 0;
        while i < n {
            let c = value[i];
            if c == ' ' {
                if allow_breaks && !spaces && self.column > self.best_width && !is_space(value.get(i + 1).copied()) {
                    self.write_indent();
                } else {
                    self.write(c);
                }
                spaces = true;
            } else if is_break(Some(c)) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
            i += 1;
        }
        self.whitespace = false;
        self.indention = false;
        if self.root_context {
            self.open_ended = true;
        }
    }

    fn write_single_quoted_scalar(&mut self, value: &[char], allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let n = value.len();
        let mut i = 0;
        while i < n {
            let c = value[i];
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.best_width
                    && i > 0
                    && i < n - 1
                    && !is_space(value.get(i + 1).copied())
                {
                    self.write_indent();
                } else {
                    self.write(c);
                }
                spaces = true;
            } else if is_break(Some(c)) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.write(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
            i += 1;
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted_scalar(&mut self, value: &[char], allow_breaks: bool) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut spaces = false;
        self.write_indicator("\"", true, false, false);
        let n = value.len();
        let mut i = 0;
        while i < n {
            let c = value[i];
            if !is_printable(c) || c == '\u{feff}' || is_break(Some(c)) || c == '"' || c == '\\' {
                self.put('\\');
                let esc = match c {
                    '\0' => Some('0'),
                    '\u{7}' => Some('a'),
                    '\u{8}' => Some('b'),
                    '\t' => Some('t'),
                    '\n' => Some('n'),
                    '\u{b}' => Some('v'),
                    '\u{c}' => Some('f'),
                    '\r' => Some('r'),
                    '\u{1b}' => Some('e'),
                    '"' => Some('"'),
                    '\\' => Some('\\'),
                    '\u{85}' => Some('N'),
                    '\u{a0}' => Some('_'),
                    '\u{2028}' => Some('L'),
                    '\u{2029}' => Some('P'),
                    _ => None,
                };
                match esc {
                    Some(e) => self.put(e),
                    None => {
                        let v = c as u32;
                        let (ch, w) = if v <= 0xff {
                            ('x', 2)
                        } else if v <= 0xffff {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(ch);
                        let mut k: i32 = (w - 1) * 4;
                        while k >= 0 {
                            let digit = ((v >> k) & 0xf) as usize;
                            self.put(HEX[digit] as char);
                            k -= 4;
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > self.best_width && i > 0 && i < n - 1 {
                    self.write_indent();
                    if is_space(value.get(i + 1).copied()) {
                        self.put('\\');
                    }
                } else {
                    self.write(c);
                }
                spaces = true;
            } else {
                self.write(c);
                spaces = false;
            }
            i += 1;
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_block_scalar_hints(&mut self, value: &[char]) {
        let first = value.first().copied();
        if is_space(first) || is_break(first) {
            let hint = char::from_digit(self.best_indent as u32, 10).unwrap_or('2');
            self.write_indicator(&hint.to_string(), false, false, false);
        }
        self.open_ended = false;
        let n = value.len();
        let chomp = if n == 0 || !is_break(value.last().copied()) {
            Some('-')
        } else if n == 1 || is_break(value.get(n - 2).copied()) {
            self.open_ended = true;
            Some('+')
        } else {
            None
        };
        if let Some(ch) = chomp {
            self.write_indicator(&ch.to_string(), false, false, false);
        }
    }

    fn write_literal_scalar(&mut self, value: &[char]) {
        self.write_indicator("|", true, false, false);
        self.write_block_scalar_hints(value);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in value {
            if is_break(Some(c)) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

fn check_empty(events: &[Event], head: usize, end: &Event) -> bool {
    events.get(head + 1) == Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Scalars at the document root, expectations from go-yaml v2 encode_test.go
    // (marshalTests) for the equivalent Go values.
    #[test]
    fn root_scalars() {
        let cases: Vec<(Value, &str)> = vec![
            (json!(null), "null\n"),
            (json!(true), "true\n"),
            (json!(false), "false\n"),
            (json!(10), "10\n"),
            (json!(-10), "-10\n"),
            (json!(0.1), "0.1\n"),
            (json!(-0.1), "-0.1\n"),
            (json!(1e300), "1e+300\n"),
            (json!(""), "\"\"\n"),
            (json!("abc"), "abc\n"),
            (json!("a\nb"), "|-\n  a\n  b\n"),
            (json!({}), "{}\n"),
            (json!([]), "[]\n"),
        ];
        for (v, want) in cases {
            assert_eq!(to_yaml(&v), want, "value {}", v);
        }
    }

    // Mappings and sequences, from go-yaml v2 marshalTests.
    #[test]
    fn go_yaml_marshal_tests() {
        let cases: Vec<(Value, &str)> = vec![
            (json!({"v": "hi"}), "v: hi\n"),
            (json!({"v": "true"}), "v: \"true\"\n"),
            (json!({"v": "false"}), "v: \"false\"\n"),
            (json!({"v": 10}), "v: 10\n"),
            (json!({"v": -10}), "v: -10\n"),
            (json!({"v": 4294967296u64}), "v: 4294967296\n"),
            (json!({"v": 0.1}), "v: 0.1\n"),
            (json!({"v": -0.1}), "v: -0.1\n"),
            (json!({"v": -0.5}), "v: -0.5\n"),
            (json!({"v": null}), "v: null\n"),
            (json!({"v": ""}), "v: \"\"\n"),
            (json!({"v": ["A", "B"]}), "v:\n- A\n- B\n"),
            (json!({"v": ["A", "B\nC"]}), "v:\n- A\n- |-\n  B\n  C\n"),
            (json!({"v": ["A", 1, {"B": [2, 3]}]}), "v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n"),
            (json!({"a": {"b": "c"}}), "a:\n  b: c\n"),
            (json!({"a": "-"}), "a: '-'\n"),
            (json!({"a": "1:1"}), "a: \"1:1\"\n"),
            (json!({"a": "1"}), "a: \"1\"\n"),
            (json!({"a": "1.2"}), "a: \"1.2\"\n"),
            (json!({"a": "1e3"}), "a: \"1e3\"\n"),
            (json!({"a": "0x10"}), "a: \"0x10\"\n"),
            (json!({"a": "0b101"}), "a: \"0b101\"\n"),
            (json!({"a": "-0b101"}), "a: \"-0b101\"\n"),
            (json!({"a": "0o17"}), "a: \"0o17\"\n"),
            (json!({"a": "2015-02-24T18:19:39Z"}), "a: \"2015-02-24T18:19:39Z\"\n"),
            (json!({"a": "2015-02-24"}), "a: \"2015-02-24\"\n"),
            (json!({"a": "2015-02-24 18:19:39"}), "a: \"2015-02-24 18:19:39\"\n"),
            (json!({"a": "2015-02-30"}), "a: 2015-02-30\n"),
            (json!({"a": "1:2:3"}), "a: \"1:2:3\"\n"),
            (json!({"a": "10:60"}), "a: 10:60\n"),
            (json!({"a": "10:61"}), "a: 10:61\n"),
            (json!({"a": "10:59"}), "a: \"10:59\"\n"),
            (json!({"a": "y"}), "a: \"y\"\n"),
            (json!({"a": "on"}), "a: \"on\"\n"),
            (json!({"a": "Off"}), "a: \"Off\"\n"),
            (json!({"a": "~"}), "a: \"~\"\n"),
            (json!({"a": ".inf"}), "a: \".inf\"\n"),
            (json!({"a": ".5"}), "a: \".5\"\n"),
            (json!({"a": "<<"}), "a: <<\n"),
            (json!({"a": "1.2.3"}), "a: 1.2.3\n"),
            (json!({"a": "1e400"}), "a: 1e400\n"),
            (json!({"a": "123456789012345678901234567890"}), "a: \"123456789012345678901234567890\"\n"),
            (json!({"hello": "world", "a": 1}), "a: 1\nhello: world\n"),
            (json!({"a": {}, "b": []}), "a: {}\nb: []\n"),
            (json!([[1, 2], [3]]), "- - 1\n  - 2\n- - 3\n"),
            (json!([{"a": 1, "b": [{"c": 1}]}]), "- a: 1\n  b:\n  - c: 1\n"),
        ];
        for (v, want) in cases {
            assert_eq!(to_yaml(&v), want, "value {}", v);
        }
    }

    // Emitter style fallbacks (plain not allowed → single quoted → double quoted).
    #[test]
    fn scalar_styles() {
        let cases: Vec<(&str, &str)> = vec![
            ("hello world", "k: hello world\n"),
            (" leading", "k: ' leading'\n"),
            ("trailing ", "k: 'trailing '\n"),
            ("a: b", "k: 'a: b'\n"),
            ("a:b", "k: a:b\n"),
            ("a #b", "k: 'a #b'\n"),
            ("a#b", "k: a#b\n"),
            ("#c", "k: '#c'\n"),
            ("*x", "k: '*x'\n"),
            ("&x", "k: '&x'\n"),
            ("!x", "k: '!x'\n"),
            ("%x", "k: '%x'\n"),
            ("@x", "k: '@x'\n"),
            ("`x", "k: '`x'\n"),
            ("'x'", "k: '''x'''\n"),
            ("\"x\"", "k: '\"x\"'\n"),
            ("{a}", "k: '{a}'\n"),
            ("[a]", "k: '[a]'\n"),
            ("a,b", "k: a,b\n"),
            ("- x", "k: '- x'\n"),
            ("-x", "k: -x\n"),
            ("? x", "k: '? x'\n"),
            ("?x", "k: ?x\n"),
            (":x", "k: :x\n"),
            ("---", "k: '---'\n"),
            ("...", "k: '...'\n"),
            ("a\tb", "k: \"a\\tb\"\n"),
            ("a\u{7}b", "k: \"a\\ab\"\n"),
            ("smile😀", "k: \"smile\\U0001F600\"\n"),
            ("日本語", "k: 日本語\n"),
            ("\u{85}", "k: \"\\N\"\n"),
            ("\u{7f}", "k: \"\\x7F\"\n"),
            ("\u{feff}x", "k: \"\\uFEFFx\"\n"),
            ("x\ry", "k: \"x\\ry\"\n"),
            ("nginx:1.25", "k: nginx:1.25\n"),
            ("http://x.y/z?a=b", "k: http://x.y/z?a=b\n"),
            ("10.244.1.5", "k: 10.244.1.5\n"),
            ("100Mi", "k: 100Mi\n"),
            ("500m", "k: 500m\n"),
            ("1Gi", "k: 1Gi\n"),
        ];
        for (s, want) in cases {
            assert_eq!(to_yaml(&json!({ "k": s })), want, "string {:?}", s);
        }
    }

    // Literal block scalars and chomping indicators.
    #[test]
    fn literal_blocks() {
        let cases: Vec<(&str, &str)> = vec![
            ("a\nb", "k: |-\n  a\n  b\n"),
            ("a\nb\n", "k: |\n  a\n  b\n"),
            ("a\nb\n\n", "k: |+\n  a\n  b\n\n"),
            ("\n", "k: |2+\n\n"),
            ("a\n\nb", "k: |-\n  a\n\n  b\n"),
            (" a\nb", "k: |2-\n   a\n  b\n"),
            ("\na", "k: |2-\n\n  a\n"),
            // trailing space before a break: block not allowed, and single quotes not
            // allowed either (space_break) → double quoted
            ("a \nb", "k: \"a \\nb\"\n"),
            // tab makes it special → double quoted
            ("a\tb\nc", "k: \"a\\tb\\nc\"\n"),
            // leading space after a break is allowed in a literal
            ("a\n b", "k: |-\n  a\n   b\n"),
        ];
        for (s, want) in cases {
            assert_eq!(to_yaml(&json!({ "k": s })), want, "string {:?}", s);
        }
        // nested indentation
        assert_eq!(to_yaml(&json!({"a": {"b": [{"c": "x\ny\n"}]}})), "a:\n  b:\n  - c: |\n      x\n      y\n");
    }

    // Long scalars are folded at the emitter's best width (80).
    #[test]
    fn long_scalars_fold_at_80() {
        let words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore";
        let got = to_yaml(&json!({ "message": words }));
        assert_eq!(
            got,
            "message: lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n  incididunt ut labore\n"
        );
        // single-quoted folding
        let q = format!("'{}", words);
        assert_eq!(
            to_yaml(&json!({ "m": q })),
            "m: '''lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n  incididunt ut labore'\n"
        );
        // double-quoted folding (tab forces double quotes)
        let d = format!("\t{}", words);
        assert_eq!(
            to_yaml(&json!({ "m": d })),
            "m: \"\\tlorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor\n  incididunt ut labore\"\n"
        );
        // no spaces: never folded
        let long = "x".repeat(120);
        assert_eq!(to_yaml(&json!({ "m": long })), format!("m: {}\n", long));
        // keys are never folded (simple key context)
        let key = "k ".repeat(50).trim_end().to_string();
        assert_eq!(to_yaml(&json!({ key.clone(): 1 })), format!("{}: 1\n", key));
    }

    // Keys longer than 128 bytes or multi-line keys use the complex key form.
    #[test]
    fn complex_keys() {
        let key = "k".repeat(129);
        assert_eq!(to_yaml(&json!({ key.clone(): "v" })), format!("? {}\n: v\n", key));
        let key128 = "k".repeat(128);
        assert_eq!(to_yaml(&json!({ key128.clone(): "v" })), format!("{}: v\n", key128));
        assert_eq!(to_yaml(&json!({"a\nb": "v"})), "? |-\n  a\n  b\n: v\n");
        assert_eq!(to_yaml(&json!({"": "v"})), "\"\": v\n");
        assert_eq!(to_yaml(&json!({"true": 1, "1": 2})), "\"1\": 2\n\"true\": 1\n");
    }

    // yaml.v2 keyList.Less ordering.
    #[test]
    fn key_order() {
        let cases: &[(&str, &str, bool)] = &[
            ("a", "b", true),
            ("b", "a", false),
            ("a", "ab", true),
            ("a-b", "ab", true),
            ("a_b", "aB", true),
            ("_", "A", true),
            ("Z", "a", true),
            ("a2", "a10", true),
            ("a10", "a2", false),
            ("a1", "a01", true),
            ("a01", "a1", false),
            ("web-9", "web-10", true),
            ("1", "a", true),
            ("a", "1", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(key_less(a, b), *want, "{} < {}", a, b);
        }
        let v = json!({"web-10": 1, "web-9": 2, "Web": 3, "app": 4, "apps.kubernetes.io/pod-index": 5, "_x": 6});
        assert_eq!(to_yaml(&v), "_x: 6\nWeb: 3\napp: 4\napps.kubernetes.io/pod-index: 5\nweb-9: 2\nweb-10: 1\n");
    }

    #[test]
    fn numbers() {
        let cases: Vec<(Value, &str)> = vec![
            (json!(0), "0"),
            (json!(5.0), "5"),
            (json!(-0.0), "0"),
            (json!(1.5), "1.5"),
            (json!(1234567.5), "1.2345675e+06"),
            (json!(1e20), "1e+20"),
            (json!(1e21), "1e+21"),
            (json!(0.0001), "0.0001"),
            (json!(1e-7), "1e-07"),
            (json!(9223372036854775807i64), "9223372036854775807"),
            (json!(-9223372036854775808i64), "-9223372036854775808"),
            (json!(18446744073709551615u64), "18446744073709551615"),
        ];
        for (v, want) in cases {
            assert_eq!(to_yaml(&json!({ "v": v })), format!("v: {}\n", want), "value {}", v);
        }
        // the key "n" (like y/yes/on/off) reads back as a bool, so it is quoted
        assert_eq!(to_yaml(&json!({"n": 0, "y": 1, "on": 2})), "\"n\": 0\n\"on\": 2\n\"y\": 1\n");
    }

    #[test]
    fn timestamps() {
        let cases: &[(&str, bool)] = &[
            ("2025-03-04T10:00:00Z", true),
            ("2025-03-04T10:00:00.123456Z", true),
            ("2025-03-04T10:00:00+01:00", true),
            ("2025-03-04t10:00:00Z", true),
            ("2025-3-4T1:2:3Z", true),
            ("2025-03-04 10:00:00", true),
            ("2025-03-04  10:00:00", true),
            ("2025-03-04", true),
            ("2024-02-29", true),
            ("2023-02-29", false),
            ("2025-13-01", false),
            ("2025-03-04T24:00:00Z", false),
            ("2025-03-04T10:00:00", false),
            ("2025-03-04T10:00:00+0100", false),
            ("2025-03-04x", false),
            ("12025-03-04", false),
            ("2025/03/04", false),
        ];
        for (s, want) in cases {
            assert_eq!(parse_timestamp(s), *want, "{}", s);
        }
    }

    #[test]
    fn resolve_table() {
        let non_str = [
            "",
            "~",
            "null",
            "Null",
            "NULL",
            "true",
            "True",
            "TRUE",
            "false",
            "yes",
            "no",
            "y",
            "n",
            "on",
            "off",
            "ON",
            "OFF",
            ".nan",
            ".inf",
            "-.inf",
            "+.inf",
            "0",
            "-1",
            "+1",
            "1_000",
            "0x1F",
            "0777",
            "08",
            "1.5",
            "-1.5",
            "1e3",
            "1E3",
            "1.",
            ".5",
            ".5e3",
            "0b11",
            "0o7",
            "9223372036854775808",
            "18446744073709551616",
            "1_",
        ];
        for s in non_str {
            assert!(resolves_to_non_string(s) || is_base60_float(s), "{:?} should not be a string", s);
        }
        let strs = [
            "a", "yes!", "nginx", "1.2.3", "1e", "0x", "--1", "+", "-", ".", "..", ".a", "Y2K", "NaN", "inf", "v1",
            "1a", "<<", "0xg", "1__a",
        ];
        for s in strs {
            assert!(!resolves_to_non_string(s) && !is_base60_float(s), "{:?} should be a string", s);
        }
        assert!(is_base60_float("190:20:30.15"));
        assert!(is_base60_float("1:20"));
        assert!(!is_base60_float("1:2a"));
        assert!(!is_base60_float("a:20"));
    }

    // A realistic `kubectl get pod web-0 -o yaml` shape.
    #[test]
    fn kubectl_pod_shape() {
        let last_applied =
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"annotations\":{},\"name\":\"web-0\"}}\n";
        let v = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "annotations": {"kubectl.kubernetes.io/last-applied-configuration": last_applied},
                "creationTimestamp": "2025-03-04T10:00:00Z",
                "generateName": "web-",
                "labels": {
                    "app": "nginx",
                    "apps.kubernetes.io/pod-index": "0",
                    "controller-revision-hash": "web-6d96f685f9",
                    "statefulset.kubernetes.io/pod-name": "web-0"
                },
                "name": "web-0",
                "namespace": "default",
                "ownerReferences": [{
                    "apiVersion": "apps/v1",
                    "blockOwnerDeletion": true,
                    "controller": true,
                    "kind": "StatefulSet",
                    "name": "web",
                    "uid": "2f6c0a37-5b2e-4a6b-9a8e-1c2d3e4f5a6b"
                }],
                "resourceVersion": "1234",
                "uid": "8d1e2f3a-4b5c-6d7e-8f9a-0b1c2d3e4f5a"
            },
            "spec": {
                "containers": [{
                    "image": "registry.k8s.io/nginx-slim:0.24",
                    "imagePullPolicy": "IfNotPresent",
                    "name": "nginx",
                    "ports": [{"containerPort": 80, "name": "web", "protocol": "TCP"}],
                    "resources": {},
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "volumeMounts": [{"mountPath": "/usr/share/nginx/html", "name": "www"}]
                }],
                "hostname": "web-0",
                "subdomain": "nginx",
                "terminationGracePeriodSeconds": 10
            },
            "status": {
                "conditions": [{
                    "lastProbeTime": null,
                    "lastTransitionTime": "2025-03-04T10:00:05Z",
                    "status": "True",
                    "type": "Ready"
                }],
                "phase": "Running",
                "podIP": "10.244.1.5"
            }
        });
        let want = r#"apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: |
      {"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"name":"web-0"}}
  creationTimestamp: "2025-03-04T10:00:00Z"
  generateName: web-
  labels:
    app: nginx
    apps.kubernetes.io/pod-index: "0"
    controller-revision-hash: web-6d96f685f9
    statefulset.kubernetes.io/pod-name: web-0
  name: web-0
  namespace: default
  ownerReferences:
  - apiVersion: apps/v1
    blockOwnerDeletion: true
    controller: true
    kind: StatefulSet
    name: web
    uid: 2f6c0a37-5b2e-4a6b-9a8e-1c2d3e4f5a6b
  resourceVersion: "1234"
  uid: 8d1e2f3a-4b5c-6d7e-8f9a-0b1c2d3e4f5a
spec:
  containers:
  - image: registry.k8s.io/nginx-slim:0.24
    imagePullPolicy: IfNotPresent
    name: nginx
    ports:
    - containerPort: 80
      name: web
      protocol: TCP
    resources: {}
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
    volumeMounts:
    - mountPath: /usr/share/nginx/html
      name: www
  hostname: web-0
  subdomain: nginx
  terminationGracePeriodSeconds: 10
status:
  conditions:
  - lastProbeTime: null
    lastTransitionTime: "2025-03-04T10:00:05Z"
    status: "True"
    type: Ready
  phase: Running
  podIP: 10.244.1.5
"#;
        assert_eq!(to_yaml(&v), want);
    }

    #[test]
    fn very_deep_values_do_not_overflow() {
        let mut v = json!("x");
        for _ in 0..3_000 {
            let mut m = Map::new();
            m.insert("a".to_string(), v);
            v = Value::Object(m);
        }
        let s = to_yaml(&v);
        assert!(s.starts_with("a:\n  a:\n"));
        let mut cur = v;
        while let Value::Object(mut m) = cur {
            cur = m.remove("a").unwrap_or(Value::Null);
        }
    }
}
