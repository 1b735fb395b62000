//! Virtual time: [`SimTime`] (milliseconds since the simulation's epoch) and its calendar renderings.
//!
//! The simulation never reads a wall clock. Its epoch is a fixed instant so that timestamps printed by
//! `kubectl get -o yaml` and `kubectl describe` are realistic and byte-identical across runs and platforms.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Unix seconds of the virtual epoch: 2025-03-04T10:00:00Z (any fixed instant works; this one reads well).
pub const EPOCH_UNIX_SECONDS: i64 = 1_741_082_400;

/// A point in virtual time, in milliseconds since the epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub i64);

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub fn from_secs(s: i64) -> SimTime {
        SimTime(s.saturating_mul(1000))
    }
    pub fn millis(self) -> i64 {
        self.0
    }
    pub fn plus_millis(self, ms: i64) -> SimTime {
        SimTime(self.0.saturating_add(ms))
    }
    pub fn plus_secs(self, s: i64) -> SimTime {
        self.plus_millis(s.saturating_mul(1000))
    }
    /// Whole seconds since the Unix epoch (Kubernetes timestamps have second precision).
    pub fn unix_seconds(self) -> i64 {
        EPOCH_UNIX_SECONDS + self.0.div_euclid(1000)
    }
    /// RFC 3339 with second precision, as `metav1.Time` marshals: `2025-03-04T10:00:00Z`.
    pub fn rfc3339(self) -> String {
        let (y, mo, d, h, mi, s, _) = civil(self.unix_seconds());
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    }
    /// RFC 1123 with numeric zone, as `kubectl describe` prints: `Tue, 04 Mar 2025 10:00:00 +0000`.
    pub fn rfc1123z(self) -> String {
        let (y, mo, d, h, mi, s, wd) = civil(self.unix_seconds());
        const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        format!(
            "{}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} +0000",
            DAYS[wd as usize % 7],
            MONTHS[(mo as usize).saturating_sub(1) % 12]
        )
    }
    /// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`; returns None for anything else.
    pub fn parse_rfc3339(s: &str) -> Option<SimTime> {
        let b = s.as_bytes();
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || (b[10] != b'T' && b[10] != b't') {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
        let (y, mo, d, h, mi, sec) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        let mut rest = &s[19..];
        if let Some(r) = rest.strip_prefix('.') {
            let digits = r.bytes().take_while(|c| c.is_ascii_digit()).count();
            rest = &r[digits..];
        }
        let offset = match rest {
            "Z" | "z" => 0,
            _ if rest.len() == 6 => {
                let sign = match rest.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                sign * (rest.get(1..3)?.parse::<i64>().ok()? * 3600 + rest.get(4..6)?.parse::<i64>().ok()? * 60)
            }
            _ => return None,
        };
        let days = days_from_civil(y, mo, d);
        let unix = days * 86400 + h * 3600 + mi * 60 + sec - offset;
        Some(SimTime((unix - EPOCH_UNIX_SECONDS).saturating_mul(1000)))
    }
}

impl fmt::Display for SimTime {
    /// Virtual clock display used by `sim time`: `+12.345s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        write!(f, "{}{}.{:03}s", if ms < 0 { "-" } else { "" }, ms.abs() / 1000, ms.abs() % 1000)
    }
}

/// Howard Hinnant's days-from-civil: days since 1970-01-01 for a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day, hour, minute, second, weekday index where 0 = Thursday 1970-01-01).
fn civil(unix: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
    let days = unix.div_euclid(86400);
    let secs = unix.rem_euclid(86400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60, days.rem_euclid(7))
}

/// `metav1.Time` on the wire: an RFC 3339 string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub SimTime);

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.rfc3339())
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SimTime::parse_rfc3339(&s)
            .map(Time)
            .ok_or_else(|| serde::de::Error::custom(format!("parsing time {s:?}: not RFC 3339")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_renders() {
        assert_eq!(SimTime::ZERO.rfc3339(), "2025-03-04T10:00:00Z");
        assert_eq!(SimTime::ZERO.rfc1123z(), "Tue, 04 Mar 2025 10:00:00 +0000");
        assert_eq!(SimTime(86_400_000 * 300).rfc3339(), "2025-12-29T10:00:00Z");
    }

    #[test]
    fn parse_round_trip() {
        for t in [0i64, 1000, 59_000, 86_400_000 * 1000] {
            let s = SimTime(t).rfc3339();
            assert_eq!(SimTime::parse_rfc3339(&s), Some(SimTime(t)));
        }
        assert_eq!(SimTime::parse_rfc3339("2025-03-04T11:00:00+01:00"), Some(SimTime::ZERO));
        assert_eq!(SimTime::parse_rfc3339("yesterday"), None);
        assert_eq!(SimTime::parse_rfc3339("2025-13-04T11:00:00Z"), None);
    }

    #[test]
    fn display() {
        assert_eq!(SimTime(12_345).to_string(), "12.345s");
    }
}
