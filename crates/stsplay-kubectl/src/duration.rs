//! Human readable durations, ported from k8s.io/apimachinery/pkg/util/duration.
//!
//! All functions take a duration in **milliseconds** (the simulator's clock unit) and never
//! panic. Go's `time.Duration` is an int64 of nanoseconds; `int(d.Seconds())` truncates
//! toward zero, which is what the integer divisions below reproduce.

const SECOND: i64 = 1000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;

/// `duration.HumanDuration`: a succinct representation with ~2-3 significant figures.
/// Used by kubectl for the AGE column (`translateTimestampSince`) and for events'
/// LAST SEEN column.
///
/// `< -1s` → `<invalid>`; `-1s..0` → `0s`; `< 120s` → `Ns`; `< 10m` → `XmYs`/`Xm`;
/// `< 3h` → `Xm`; `< 8h` → `XhYm`/`Xh`; `< 48h` → `Xh`; `< 8d` → `XdYh`/`Xd`;
/// `< 2y` → `Xd`; `< 8y` → `XyYd`/`Xy`; else `Xy` (a year is 365 days).
pub fn human_duration(ms: i64) -> String {
    let seconds = ms / SECOND; // truncation toward zero, like int(d.Seconds())
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 * 2 {
        return format!("{}s", seconds);
    }
    let minutes = ms / MINUTE;
    if minutes < 10 {
        let s = (ms / SECOND) % 60;
        if s == 0 {
            return format!("{}m", minutes);
        }
        return format!("{}m{}s", minutes, s);
    } else if minutes < 60 * 3 {
        return format!("{}m", minutes);
    }
    let hours = ms / HOUR;
    if hours < 8 {
        let m = (ms / MINUTE) % 60;
        if m == 0 {
            return format!("{}h", hours);
        }
        return format!("{}h{}m", hours, m);
    } else if hours < 48 {
        return format!("{}h", hours);
    } else if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{}h", hours / 24, h);
    } else if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    } else if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{}d", hours / 24 / 365, dy);
    }
    format!("{}y", hours / 24 / 365)
}

/// `duration.ShortHumanDuration`: one unit only (`59s`, `5m`, `3h`, `12d`, `2y`).
pub fn short_human_duration(ms: i64) -> String {
    let seconds = ms / SECOND;
    if seconds < -1 {
        return "<invalid>".to_string();
    } else if seconds < 0 {
        return "0s".to_string();
    } else if seconds < 60 {
        return format!("{}s", seconds);
    }
    let minutes = ms / MINUTE;
    if minutes < 60 {
        return format!("{}m", minutes);
    }
    let hours = ms / HOUR;
    if hours < 24 {
        return format!("{}h", hours);
    } else if hours < 24 * 365 {
        return format!("{}d", hours / 24);
    }
    format!("{}y", hours / 24 / 365)
}

/// kubectl's `translateTimestampSince`: `<unknown>` for a zero/absent timestamp, otherwise
/// `HumanDuration(now - ts)`. Both arguments are milliseconds on the same clock.
pub fn translate_timestamp_since(now_ms: i64, timestamp_ms: Option<i64>) -> String {
    match timestamp_ms {
        None => "<unknown>".to_string(),
        Some(ts) => human_duration(now_ms.saturating_sub(ts)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1000;
    const M: i64 = 60 * S;
    const H: i64 = 60 * M;
    const D: i64 = 24 * H;
    const Y: i64 = 365 * D;

    // Cases from apimachinery pkg/util/duration/duration_test.go (TestHumanDuration) plus
    // the boundaries documented in the reference §4.0.
    #[test]
    fn human_duration_table() {
        let cases: &[(i64, &str)] = &[
            (-2 * S, "<invalid>"),
            (-2 * S + 1, "0s"), // -1.999s truncates to -1
            (-S, "0s"),
            (-1, "0s"),
            (0, "0s"),
            (S - 1, "0s"),
            (S, "1s"),
            (59 * S, "59s"),
            (60 * S, "60s"),
            (119 * S, "119s"),
            (119 * S + 999, "119s"),
            (2 * M, "2m"),
            (2 * M + 5 * S, "2m5s"),
            (3 * M, "3m"),
            (9 * M + 59 * S, "9m59s"),
            (10 * M, "10m"),
            (10 * M + 59 * S, "10m"),
            (45 * M, "45m"),
            (179 * M + 59 * S, "179m"),
            (3 * H, "3h"),
            (3 * H + 5 * M, "3h5m"),
            (7 * H + 59 * M, "7h59m"),
            (8 * H, "8h"),
            (23 * H + 59 * M, "23h"),
            (47 * H + 59 * M, "47h"),
            (48 * H, "2d"),
            (48 * H + 59 * M, "2d"),
            (2 * D + H, "2d1h"),
            (7 * D + 23 * H, "7d23h"),
            (8 * D, "8d"),
            (8 * D + 23 * H, "8d"),
            (300 * D, "300d"),
            (2 * Y - 1, "729d"),
            (2 * Y, "2y"),
            (2 * Y + D, "2y1d"),
            (7 * Y + 364 * D, "7y364d"),
            (8 * Y, "8y"),
            (8 * Y + 200 * D, "8y"),
            (20 * Y, "20y"),
        ];
        for (ms, want) in cases {
            assert_eq!(human_duration(*ms), *want, "ms={}", ms);
        }
    }

    // Cases from apimachinery TestShortHumanDuration.
    #[test]
    fn short_human_duration_table() {
        let cases: &[(i64, &str)] = &[
            (-2 * S, "<invalid>"),
            (-S, "0s"),
            (0, "0s"),
            (S, "1s"),
            (59 * S, "59s"),
            (60 * S, "1m"),
            (59 * M, "59m"),
            (60 * M, "1h"),
            (23 * H + 59 * M, "23h"),
            (24 * H, "1d"),
            (364 * D, "364d"),
            (365 * D, "1y"),
            (800 * D, "2y"),
        ];
        for (ms, want) in cases {
            assert_eq!(short_human_duration(*ms), *want, "ms={}", ms);
        }
    }

    #[test]
    fn translate_timestamp() {
        assert_eq!(translate_timestamp_since(10 * M, None), "<unknown>");
        assert_eq!(translate_timestamp_since(10 * M, Some(10 * M - 130 * S)), "2m10s");
        assert_eq!(translate_timestamp_since(0, Some(10 * S)), "<invalid>");
        assert_eq!(translate_timestamp_since(i64::MIN, Some(i64::MAX)), "<invalid>");
        assert_eq!(translate_timestamp_since(i64::MAX, Some(i64::MIN)), "292471208y");
    }
}
