//! Go `encoding/json` syntax errors, word for word (`invalid character 's' looking for beginning of object
//! key string`), so a badly quoted patch fails the way the API server reports it.

/// Checks `text` as Go's scanner would; `Err` carries Go's message.
pub fn check(text: &str) -> Result<(), String> {
    let b = text.as_bytes();
    let mut p = Parser { b, i: 0 };
    p.ws();
    p.value()?;
    p.ws();
    if p.i < b.len() {
        return Err(format!("invalid character {} after top-level value", quote_char(p.ch())));
    }
    Ok(())
}

/// Go's `quoteChar`.
fn quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        c if c.is_control() => format!("{:?}", c.to_string()).replace('"', "'"),
        c => format!("'{c}'"),
    }
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

const EOF: &str = "unexpected end of JSON input";
/// Go's `encoding/json` `maxNestingDepth`.
const MAX_DEPTH: usize = 10_000;

impl Parser<'_> {
    fn ch(&self) -> char {
        std::str::from_utf8(&self.b[self.i..]).ok().and_then(|s| s.chars().next()).unwrap_or(self.b[self.i] as char)
    }
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    /// One value, containers included. Iterative with an explicit stack (Go's scanner keeps a
    /// `parseState` stack too): a recursive descent over 10,000 levels overflows the 1 MB wasm stack.
    fn value(&mut self) -> Result<(), String> {
        let mut stack: Vec<u8> = Vec::new();
        'value: loop {
            if self.i >= self.b.len() {
                return Err(EOF.into());
            }
            match self.b[self.i] {
                c @ (b'{' | b'[') => {
                    // Go's `maxNestingDepth`: opening the 10,001st container fails.
                    if stack.len() >= MAX_DEPTH {
                        return Err("exceeded max depth".into());
                    }
                    self.i += 1;
                    self.ws();
                    if self.i >= self.b.len() {
                        return Err(EOF.into());
                    }
                    let close = if c == b'{' { b'}' } else { b']' };
                    if self.b[self.i] == close {
                        self.i += 1;
                    } else {
                        stack.push(c);
                        if c == b'{' {
                            self.key()?;
                        } else {
                            self.ws();
                        }
                        continue 'value;
                    }
                }
                b'"' => self.string()?,
                b'-' | b'0'..=b'9' => self.number()?,
                b't' => self.literal("true")?,
                b'f' => self.literal("false")?,
                b'n' => self.literal("null")?,
                _ => return Err(format!("invalid character {} looking for beginning of value", quote_char(self.ch()))),
            }
            // A value ended: close every container it completes, or go on to the next element.
            while let Some(&top) = stack.last() {
                self.ws();
                if self.i >= self.b.len() {
                    return Err(EOF.into());
                }
                match (top, self.b[self.i]) {
                    (_, b',') => {
                        self.i += 1;
                        if top == b'{' {
                            self.key()?;
                        } else {
                            self.ws();
                        }
                        continue 'value;
                    }
                    (b'{', b'}') | (b'[', b']') => {
                        self.i += 1;
                        stack.pop();
                    }
                    (b'{', _) => {
                        return Err(format!("invalid character {} after object key:value pair", quote_char(self.ch())))
                    }
                    _ => return Err(format!("invalid character {} after array element", quote_char(self.ch()))),
                }
            }
            return Ok(());
        }
    }
    /// An object key and its colon, up to the start of the value.
    fn key(&mut self) -> Result<(), String> {
        self.ws();
        if self.i >= self.b.len() {
            return Err(EOF.into());
        }
        if self.b[self.i] != b'"' {
            return Err(format!(
                "invalid character {} looking for beginning of object key string",
                quote_char(self.ch())
            ));
        }
        self.string()?;
        self.ws();
        if self.i >= self.b.len() {
            return Err(EOF.into());
        }
        if self.b[self.i] != b':' {
            return Err(format!("invalid character {} after object key", quote_char(self.ch())));
        }
        self.i += 1;
        self.ws();
        Ok(())
    }
    fn literal(&mut self, word: &str) -> Result<(), String> {
        for (k, expected) in word.bytes().enumerate() {
            if self.i >= self.b.len() {
                return Err(EOF.into());
            }
            if self.b[self.i] != expected {
                return Err(format!(
                    "invalid character {} in literal {word} (expecting {})",
                    quote_char(self.ch()),
                    quote_char(expected as char)
                ));
            }
            let _ = k;
            self.i += 1;
        }
        Ok(())
    }
    fn string(&mut self) -> Result<(), String> {
        self.i += 1;
        loop {
            if self.i >= self.b.len() {
                return Err(EOF.into());
            }
            match self.b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.i += 1;
                    if self.i >= self.b.len() {
                        return Err(EOF.into());
                    }
                    match self.b[self.i] {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 1,
                        b'u' => {
                            self.i += 1;
                            for _ in 0..4 {
                                if self.i >= self.b.len() {
                                    return Err(EOF.into());
                                }
                                if !self.b[self.i].is_ascii_hexdigit() {
                                    return Err(format!(
                                        "invalid character {} in \\u hexadecimal character escape",
                                        quote_char(self.ch())
                                    ));
                                }
                                self.i += 1;
                            }
                        }
                        _ => return Err(format!("invalid character {} in string escape code", quote_char(self.ch()))),
                    }
                }
                c if c < 0x20 => return Err(format!("invalid character {} in string literal", quote_char(c as char))),
                _ => self.i += 1,
            }
        }
    }
    fn number(&mut self) -> Result<(), String> {
        if self.b[self.i] == b'-' {
            self.i += 1;
            if self.i >= self.b.len() {
                return Err(EOF.into());
            }
            if !self.b[self.i].is_ascii_digit() {
                return Err(format!("invalid character {} in numeric literal", quote_char(self.ch())));
            }
        }
        if self.b[self.i] == b'0' {
            self.i += 1;
        } else {
            while self.i < self.b.len() && self.b[self.i].is_ascii_digit() {
                self.i += 1;
            }
        }
        if self.i < self.b.len() && self.b[self.i] == b'.' {
            self.i += 1;
            if self.i >= self.b.len() {
                return Err(EOF.into());
            }
            if !self.b[self.i].is_ascii_digit() {
                return Err(format!(
                    "invalid character {} after decimal point in numeric literal",
                    quote_char(self.ch())
                ));
            }
            while self.i < self.b.len() && self.b[self.i].is_ascii_digit() {
                self.i += 1;
            }
        }
        if self.i < self.b.len() && (self.b[self.i] == b'e' || self.b[self.i] == b'E') {
            self.i += 1;
            if self.i < self.b.len() && (self.b[self.i] == b'+' || self.b[self.i] == b'-') {
                self.i += 1;
            }
            if self.i >= self.b.len() {
                return Err(EOF.into());
            }
            if !self.b[self.i].is_ascii_digit() {
                return Err(format!("invalid character {} in exponent of numeric literal", quote_char(self.ch())));
            }
            while self.i < self.b.len() && self.b[self.i].is_ascii_digit() {
                self.i += 1;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn go_messages() {
        for (input, want) in [
            ("{spec:{repplicas:5}}", Err("invalid character 's' looking for beginning of object key string")),
            (r#"{"spec":{"replicas":5}}"#, Ok(())),
            (r#"{"a" 1}"#, Err("invalid character '1' after object key")),
            (r#"{"a":1 "b":2}"#, Err("invalid character '\"' after object key:value pair")),
            (r#"[1 2]"#, Err("invalid character '2' after array element")),
            (r#"{"a":1}}"#, Err("invalid character '}' after top-level value")),
            (r#"{"a":"#, Err("unexpected end of JSON input")),
            ("x", Err("invalid character 'x' looking for beginning of value")),
            ("tru", Err("unexpected end of JSON input")),
            ("trux", Err("invalid character 'x' in literal true (expecting 'e')")),
            ("{\"a\":'b'}", Err("invalid character '\\'' looking for beginning of value")),
        ] {
            assert_eq!(check(input), want.map_err(String::from), "{input}");
        }
    }

    /// Found by the hostile corpus (`patch-deep-json`): 100,000 nested arrays overflowed the stack of the
    /// recursive parser (a crash in a test thread, a dead page in wasm). Go stops at 10,000 levels.
    #[test]
    fn deep_nesting_fails_without_recursion() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(check(&deep(100_000)), Err("exceeded max depth".to_string()));
        assert_eq!(check(&deep(10_000)), Ok(()));
        assert_eq!(check(&deep(10_001)), Err("exceeded max depth".to_string()));
        let objs = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
        assert_eq!(check(&objs), Err("exceeded max depth".to_string()));
        assert_eq!(check("[[1,2],{\"a\":[{}]},[]]"), Ok(()));
        assert_eq!(check("[1,]"), Err("invalid character ']' looking for beginning of value".to_string()));
        assert_eq!(
            check("{\"a\":1,}"),
            Err("invalid character '}' looking for beginning of object key string".to_string())
        );
        assert_eq!(check("[1}"), Err("invalid character '}' after array element".to_string()));
    }
}
