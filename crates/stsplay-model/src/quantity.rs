//! `resource.Quantity`: parsing, comparison and the API server's canonical form (`2048Mi` is stored as `2Gi`).

use std::fmt;

/// A quantity kept exactly as milli-units (enough for storage sizes and CPU) plus its suffix family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quantity {
    pub milli: i128,
    pub binary: bool,
}

const BINARY: [(&str, u32); 6] = [("Ki", 10), ("Mi", 20), ("Gi", 30), ("Ti", 40), ("Pi", 50), ("Ei", 60)];
const DECIMAL: [(&str, i32); 8] = [("n", -9), ("u", -6), ("m", -3), ("", 0), ("k", 3), ("M", 6), ("G", 9), ("T", 12)];
const DECIMAL_BIG: [(&str, i32); 2] = [("P", 15), ("E", 18)];

impl Quantity {
    /// Parses the Kubernetes quantity grammar (`2Gi`, `500m`, `1.5G`, `1e3`); None when it does not match.
    pub fn parse(s: &str) -> Option<Quantity> {
        let s = s.trim();
        if s.is_empty() || s.len() > 64 {
            return None;
        }
        let (sign, body) = match s.as_bytes()[0] {
            b'-' => (-1i128, &s[1..]),
            b'+' => (1, &s[1..]),
            _ => (1, s),
        };
        let num_end = body.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(body.len());
        let (num, suffix) = body.split_at(num_end);
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return None;
        }
        let (int_part, frac_part) = num.split_once('.').unwrap_or((num, ""));
        // value = digits / 10^frac_len
        let digits: String = format!("{int_part}{frac_part}");
        let digits = digits.trim_start_matches('0');
        if digits.len() > 30 {
            return None;
        }
        let mantissa: i128 = if digits.is_empty() { 0 } else { digits.parse().ok()? };
        let frac_len = frac_part.len() as i32;
        let (pow10, pow2, binary) = if let Some((_, p)) = BINARY.iter().find(|(n, _)| *n == suffix) {
            (0i32, *p, true)
        } else if let Some((_, p)) = DECIMAL.iter().chain(DECIMAL_BIG.iter()).find(|(n, _)| *n == suffix) {
            (*p, 0, false)
        } else if let Some(exp) = suffix.strip_prefix(['e', 'E']) {
            let e: i32 = exp.parse().ok()?;
            if e.abs() > 30 {
                return None;
            }
            (e, 0, false)
        } else {
            return None;
        };
        // milli = mantissa * 2^pow2 * 10^(pow10 + 3 - frac_len), rounded up like Kubernetes does for sub-milli.
        let mut v = mantissa.checked_mul(1i128.checked_shl(pow2)?)?;
        let exp = pow10 + 3 - frac_len;
        if exp >= 0 {
            v = v.checked_mul(10i128.checked_pow(exp as u32)?)?;
        } else {
            let d = 10i128.checked_pow((-exp) as u32)?;
            v = (v + d - 1) / d;
        }
        Some(Quantity { milli: sign * v, binary })
    }

    /// Whole units (bytes for storage), rounded up.
    pub fn value(&self) -> i128 {
        (self.milli + 999).div_euclid(1000)
    }

    /// The canonical string the API server stores and prints.
    pub fn canonical(&self) -> String {
        let m = self.milli;
        if m == 0 {
            return "0".to_string();
        }
        let neg = if m < 0 { "-" } else { "" };
        let a = m.abs();
        if a % 1000 != 0 {
            // Sub-unit: decimal milli (or smaller, which we do not keep).
            return strip_decimal(neg, a, -3);
        }
        let units = a / 1000;
        if self.binary && units >= 1024 {
            let mut best = None;
            for (name, p) in BINARY.iter() {
                let d = 1i128 << p;
                if units % d == 0 {
                    best = Some((units / d, *name));
                }
            }
            if let Some((n, name)) = best {
                return format!("{neg}{n}{name}");
            }
        }
        if self.binary && units < 1024 {
            return format!("{neg}{units}");
        }
        strip_decimal(neg, units, 0)
    }
}

/// Chooses the largest decimal suffix that keeps the number whole (`1000M` → `1G`).
fn strip_decimal(neg: &str, mut n: i128, mut exp: i32) -> String {
    while n % 1000 == 0 && exp < 18 {
        n /= 1000;
        exp += 3;
    }
    let suffix = DECIMAL.iter().chain(DECIMAL_BIG.iter()).find(|(_, p)| *p == exp).map(|(s, _)| *s).unwrap_or("");
    format!("{neg}{n}{suffix}")
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.canonical())
    }
}

/// Canonicalizes a quantity string, or returns it unchanged when it does not parse.
pub fn canonicalize(s: &str) -> String {
    Quantity::parse(s).map(|q| q.canonical()).unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_canonical() {
        let cases = [
            ("2Gi", "2Gi"),
            ("2048Mi", "2Gi"),
            ("1.5Gi", "1536Mi"),
            ("1000M", "1G"),
            ("1G", "1G"),
            ("500m", "500m"),
            ("0.5", "500m"),
            ("100", "100"),
            ("1e3", "1k"),
            ("0", "0"),
            ("1Ki", "1Ki"),
            ("1023Mi", "1023Mi"),
        ];
        for (input, want) in cases {
            assert_eq!(Quantity::parse(input).map(|q| q.canonical()).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn compare_sizes() {
        let gi = Quantity::parse("1Gi").unwrap().value();
        let g = Quantity::parse("1G").unwrap().value();
        assert!(gi > g);
        assert_eq!(Quantity::parse("2Gi").unwrap().value(), 2 * 1024 * 1024 * 1024);
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "Gi", "1.2.3", "abc", "1XB", "--1", "1e99999", "999999999999999999999999999999999999Ei"] {
            assert!(Quantity::parse(bad).is_none(), "{bad}");
        }
    }
}
