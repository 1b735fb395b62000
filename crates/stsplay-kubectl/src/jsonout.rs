//! JSON output exactly like kubectl / Go `encoding/json`.
//!
//! * `kubectl get -o json` = cli-runtime `JSONPrinter`: `json.MarshalIndent(obj, "", "    ")`
//!   followed by `"\n"`. Objects are unstructured maps, so keys are sorted (byte order).
//! * Strings are escaped like Go with `escapeHTML` on: `<`, `>`, `&` → `\u003c`, `\u003e`,
//!   `\u0026`; U+2028/U+2029 → `\u2028`/`\u2029`; `\b \f \n \r \t` short escapes (Go ≥ 1.22);
//!   other control characters → `\u00XX` (lowercase hex).
//! * Numbers: integers in decimal; floats like Go's float64 encoder (`strconv` shortest
//!   digits, `'f'` format unless the magnitude is `< 1e-6` or `>= 1e21`, then `'e'` with a
//!   cleaned-up exponent `1e-7`).
//!
//! The serializers are iterative (no recursion) and never panic.

use serde_json::{Map, Number, Value};

/// `kubectl get -o json` output for one object: Go `json.MarshalIndent(v, "", "    ")` + `"\n"`.
pub fn to_json_pretty(v: &Value) -> String {
    let mut out = marshal_indent(v, "", "    ");
    out.push('\n');
    out
}

/// Go `json.Marshal` (compact, HTML-escaped, sorted keys), no trailing newline.
pub fn to_json_compact(v: &Value) -> String {
    write_value(v, None)
}

/// Go `json.MarshalIndent(v, prefix, indent)` (no trailing newline).
pub fn marshal_indent(v: &Value, prefix: &str, indent: &str) -> String {
    write_value(v, Some((prefix, indent)))
}

enum Frame<'a> {
    Obj(Vec<(&'a String, &'a Value)>, usize),
    Arr(&'a [Value], usize),
}

fn sorted_entries(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut v: Vec<(&String, &Value)> = m.iter().collect();
    v.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    v
}

fn newline(out: &mut String, pretty: Option<(&str, &str)>, depth: usize) {
    if let Some((prefix, indent)) = pretty {
        out.push('\n');
        out.push_str(prefix);
        for _ in 0..depth {
            out.push_str(indent);
        }
    }
}

fn write_value(root: &Value, pretty: Option<(&str, &str)>) -> String {
    let mut out = String::new();
    let mut stack: Vec<Frame> = Vec::new();
    // `pending` is the next value to open/write.
    let mut pending: Option<&Value> = Some(root);
    loop {
        if let Some(v) = pending.take() {
            match v {
                Value::Object(m) if !m.is_empty() => {
                    out.push('{');
                    stack.push(Frame::Obj(sorted_entries(m), 0));
                }
                Value::Array(a) if !a.is_empty() => {
                    out.push('[');
                    stack.push(Frame::Arr(a, 0));
                }
                Value::Object(_) => out.push_str("{}"),
                Value::Array(_) => out.push_str("[]"),
                scalar => write_scalar(&mut out, scalar),
            }
        }
        let depth = stack.len();
        let frame = match stack.last_mut() {
            Some(f) => f,
            None => break,
        };
        match frame {
            Frame::Obj(entries, idx) => {
                if *idx < entries.len() {
                    if *idx > 0 {
                        out.push(',');
                    }
                    newline(&mut out, pretty, depth);
                    let (k, v) = entries[*idx];
                    *idx += 1;
                    write_go_string(&mut out, k);
                    out.push(':');
                    if pretty.is_some() {
                        out.push(' ');
                    }
                    pending = Some(v);
                } else {
                    stack.pop();
                    newline(&mut out, pretty, depth - 1);
                    out.push('}');
                }
            }
            Frame::Arr(items, idx) => {
                if *idx < items.len() {
                    if *idx > 0 {
                        out.push(',');
                    }
                    newline(&mut out, pretty, depth);
                    let v = &items[*idx];
                    *idx += 1;
                    pending = Some(v);
                } else {
                    stack.pop();
                    newline(&mut out, pretty, depth - 1);
                    out.push(']');
                }
            }
        }
    }
    out
}

fn write_scalar(out: &mut String, v: &Value) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&go_json_number(n)),
        Value::String(s) => write_go_string(out, s),
        // containers are handled by the caller
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// A JSON string literal exactly as Go's `encoding/json` writes it (HTML-safe).
pub fn go_json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_go_string(&mut out, s);
    out
}

fn write_go_string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{0}'..='\u{1f}' => {
                let b = c as u32 as u8;
                out.push_str("\\u00");
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 0xf) as usize] as char);
            }
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out.push('"');
}

/// How Go's `encoding/json` prints a number held in an unstructured object (int64 or
/// float64; u64 values beyond i64 are printed in decimal too).
pub fn go_json_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    match n.as_f64() {
        Some(f) => go_json_float(f),
        None => n.to_string(),
    }
}

/// Go `encoding/json` float64 encoding (the model crate's, which Go error messages use too).
pub fn go_json_float(f: f64) -> String {
    if !f.is_finite() {
        // Go's json.Marshal fails with UnsupportedValueError; serde_json never holds these.
        return "null".to_string();
    }
    stsplay_model::yaml::go_json_float(f)
}

/// Go `strconv.FormatFloat(f, fmt, -1, 64)` for `fmt` in `'e'`, `'f'`, `'g'`
/// (shortest representation that round-trips).
pub fn format_float(f: f64, fmt: char) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".to_string() } else { "-Inf".to_string() };
    }
    let neg = f.is_sign_negative();
    let (digits, dp) = shortest_decimal(f.abs());
    let nd = digits.len() as i64;
    let mut out = String::new();
    match fmt {
        'e' => fmt_e(&mut out, neg, &digits, dp, (nd - 1).max(0)),
        'g' => {
            let eprec = 6;
            let exp = dp - 1;
            if exp < -4 || exp >= eprec {
                fmt_e(&mut out, neg, &digits, dp, nd - 1);
            } else {
                fmt_f(&mut out, neg, &digits, dp, (nd - dp).max(0));
            }
        }
        _ => fmt_f(&mut out, neg, &digits, dp, (nd - dp).max(0)),
    }
    out
}

/// Shortest round-trip decimal digits of a non-negative finite float: value = 0.d1d2... × 10^dp.
/// Zero yields no digits and dp 0 (like Go's decimalSlice).
fn shortest_decimal(abs: f64) -> (Vec<u8>, i64) {
    if abs == 0.0 {
        return (Vec::new(), 0);
    }
    let s = format!("{:e}", abs); // e.g. "1.2345e-7", "1e21"
    let (mant, exp) = match s.split_once('e') {
        Some(p) => p,
        None => (s.as_str(), "0"),
    };
    let exp: i64 = exp.parse().unwrap_or(0);
    let mut digits: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, exp + 1)
}

fn fmt_e(out: &mut String, neg: bool, d: &[u8], dp: i64, prec: i64) {
    if neg {
        out.push('-');
    }
    out.push(d.first().map(|&c| c as char).unwrap_or('0'));
    if prec > 0 {
        out.push('.');
        let mut i: i64 = 1;
        let m = (d.len() as i64).min(prec + 1);
        while i < m {
            out.push(d[i as usize] as char);
            i += 1;
        }
        while i <= prec {
            out.push('0');
            i += 1;
        }
    }
    out.push('e');
    let mut exp = dp - 1;
    if d.is_empty() {
        exp = 0;
    }
    if exp < 0 {
        out.push('-');
        exp = -exp;
    } else {
        out.push('+');
    }
    if exp < 10 {
        out.push('0');
    }
    out.push_str(&exp.to_string());
}

fn fmt_f(out: &mut String, neg: bool, d: &[u8], dp: i64, prec: i64) {
    if neg {
        out.push('-');
    }
    if dp > 0 {
        let m = (d.len() as i64).min(dp);
        for &c in &d[..m as usize] {
            out.push(c as char);
        }
        for _ in m..dp {
            out.push('0');
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            let j = dp + i - 1;
            let ch = if j >= 0 && (j as usize) < d.len() { d[j as usize] as char } else { '0' };
            out.push(ch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // strconv.FormatFloat(f, 'g', -1, 64) — cases from Go's strconv ftoa_test.go and
    // fmt's %v of float64.
    #[test]
    fn format_float_g() {
        let cases: &[(f64, &str)] = &[
            (1.0, "1"),
            (0.0, "0"),
            (-0.0, "-0"),
            (1e23, "1e+23"),
            (100000.0, "100000"),
            (1000000.0, "1e+06"),
            (123456.0, "123456"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (0.5, "0.5"),
            (-0.5, "-0.5"),
            (2.71, "2.71"),
            (1e-7, "1e-07"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (0.1, "0.1"),
            (2.5e-5, "2.5e-05"),
            (12345678.9, "1.23456789e+07"),
            (1e20, "1e+20"),
        ];
        for (f, want) in cases {
            assert_eq!(format_float(*f, 'g'), *want, "f={:?}", f);
        }
        assert_eq!(format_float(1e23, 'e'), "1e+23");
        assert_eq!(format_float(123456.0, 'e'), "1.23456e+05");
        assert_eq!(format_float(1e23, 'f'), "100000000000000000000000");
        assert_eq!(format_float(0.000123, 'f'), "0.000123");
        assert_eq!(format_float(f64::NAN, 'g'), "NaN");
        assert_eq!(format_float(f64::INFINITY, 'g'), "+Inf");
        assert_eq!(format_float(f64::NEG_INFINITY, 'g'), "-Inf");
    }

    // encoding/json float64 encoding (encode_test.go TestMarshalFloat style expectations).
    #[test]
    fn go_json_floats() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (1.0, "1"),
            (1.5, "1.5"),
            (-1.5, "-1.5"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (123456789.0, "123456789"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (1e-10, "1e-10"),
            (-1e-7, "-1e-7"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ];
        for (f, want) in cases {
            assert_eq!(go_json_float(*f), *want, "f={:?}", f);
        }
    }

    #[test]
    fn strings_are_escaped_like_go() {
        let cases: &[(&str, &str)] = &[
            ("plain", "\"plain\""),
            ("<b>&amp;</b>", "\"\\u003cb\\u003e\\u0026amp;\\u003c/b\\u003e\""),
            ("a\"b\\c", "\"a\\\"b\\\\c\""),
            ("\n\r\t\u{8}\u{c}", "\"\\n\\r\\t\\b\\f\""),
            ("\u{0}\u{1}\u{1b}\u{1f}", "\"\\u0000\\u0001\\u001b\\u001f\""),
            ("\u{7f}", "\"\u{7f}\""),
            ("\u{2028}\u{2029}", "\"\\u2028\\u2029\""),
            ("héllo 日本 😀", "\"héllo 日本 😀\""),
        ];
        for (s, want) in cases {
            assert_eq!(go_json_string(s), *want, "s={:?}", s);
        }
    }

    #[test]
    fn marshal_indent_shapes() {
        let v = json!({
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": {"name": "web-0", "labels": {"app": "nginx"}, "annotations": {}},
            "spec": {"containers": [{"name": "nginx", "ports": [{"containerPort": 80}]}], "volumes": []},
            "status": {"ratio": 0.5, "big": 1e21, "n": null, "ok": true}
        });
        let want = r#"{
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {
        "annotations": {},
        "labels": {
            "app": "nginx"
        },
        "name": "web-0"
    },
    "spec": {
        "containers": [
            {
                "name": "nginx",
                "ports": [
                    {
                        "containerPort": 80
                    }
                ]
            }
        ],
        "volumes": []
    },
    "status": {
        "big": 1e+21,
        "n": null,
        "ok": true,
        "ratio": 0.5
    }
}
"#;
        assert_eq!(to_json_pretty(&v), want);
        assert_eq!(
            to_json_compact(&v),
            r#"{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"nginx"},"name":"web-0"},"spec":{"containers":[{"name":"nginx","ports":[{"containerPort":80}]}],"volumes":[]},"status":{"big":1e+21,"n":null,"ok":true,"ratio":0.5}}"#
        );
        assert_eq!(to_json_pretty(&json!({})), "{}\n");
        assert_eq!(to_json_pretty(&json!([])), "[]\n");
        assert_eq!(to_json_pretty(&json!("x<y")), "\"x\\u003cy\"\n");
        assert_eq!(to_json_pretty(&json!([1, [2, []]])), "[\n    1,\n    [\n        2,\n        []\n    ]\n]\n");
        assert_eq!(marshal_indent(&json!({"a": [1]}), ">", "\t"), "{\n>\t\"a\": [\n>\t\t1\n>\t]\n>}");
    }

    #[test]
    fn keys_sorted_bytewise() {
        let v = json!({"b": 1, "B": 2, "a": 3, "_": 4, "a1": 5, "a-b": 6});
        assert_eq!(to_json_compact(&v), r#"{"B":2,"_":4,"a":3,"a-b":6,"a1":5,"b":1}"#);
    }

    #[test]
    fn very_deep_values_do_not_overflow() {
        let mut v = json!(1);
        for _ in 0..100_000 {
            v = Value::Array(vec![v]);
        }
        let s = to_json_compact(&v);
        assert_eq!(s.len(), 200_001);
        // avoid recursive drop of the deep value
        let mut cur = v;
        while let Value::Array(mut a) = cur {
            cur = a.pop().unwrap_or(Value::Null);
        }
    }
}
