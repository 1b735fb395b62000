//! Share links and saved state: a [`Session`] as a versioned, compressed URL fragment
//! (`#s1.<base64url(deflate(json))>`). Links come from strangers, so decoding treats them as hostile:
//! bounded sizes at every stage (fragment, inflated bytes, session limits), and every failure is a sentence
//! the page can show, never a panic.

use crate::session::Session;

/// The fragment's prefix: the format version. A future format gets `s2.`; old links keep working.
pub const PREFIX: &str = "s1.";
/// Links longer than this are refused before any decoding (browsers cope with ~2 MB URLs; this is plenty).
pub const MAX_FRAGMENT: usize = 1_500_000;
/// The most bytes a link may inflate to (a deflate bomb stops here).
pub const MAX_INFLATED: usize = 8 * 1024 * 1024;

pub fn encode(session: &Session) -> String {
    let json = serde_json::to_vec(session).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("{PREFIX}{}", base64url_encode(&packed))
}

/// Decodes a fragment (with or without the leading `#`, and with or without the `s=` key some pages add).
pub fn decode(fragment: &str) -> Result<Session, String> {
    let f = fragment.trim().trim_start_matches('#');
    let f = f.strip_prefix("s=").unwrap_or(f);
    if f.len() > MAX_FRAGMENT {
        return Err(format!("This share link is too long ({} characters).", f.len()));
    }
    let Some(body) = f.strip_prefix(PREFIX) else {
        if f.starts_with('s') && f.get(1..2).is_some_and(|c| c.chars().all(|c| c.is_ascii_digit())) {
            return Err("This share link was made by a newer version of the playground.".to_string());
        }
        return Err("This is not a playground share link (it should start with #s1.).".to_string());
    };
    let packed = base64url_decode(body).ok_or("This share link is damaged (it is not valid base64url).")?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED).map_err(|e| {
        if matches!(e.status, miniz_oxide::inflate::TINFLStatus::HasMoreOutput) {
            "This share link unpacks to more than 8 MB; the playground does not open it.".to_string()
        } else {
            "This share link is damaged or cut short (it does not decompress).".to_string()
        }
    })?;
    let session: Session = serde_json::from_slice(&json)
        .map_err(|e| format!("This share link is damaged (its session does not read: {e})."))?;
    session.validate().map_err(|e| format!("This share link cannot be opened: {e}."))?;
    Ok(session)
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes unpadded (or padded) base64url; None on any other character or an impossible length.
pub fn base64url_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    if s.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{EditorFile, Entry, Input, Moment};

    fn sample() -> Session {
        let mut s = Session::new(42, vec![EditorFile { name: "a.yaml".into(), text: "kind: Pod\n".into() }]);
        s.entries.push(Entry {
            moment: Moment { steps: 3, at: 1500 },
            input: Input::Command { text: "kubectl get pods".into(), reads: Default::default() },
        });
        s.position = Moment { steps: 10, at: 9000 };
        s.horizon = 9000;
        s
    }

    #[test]
    fn round_trip() {
        let s = sample();
        let link = encode(&s);
        assert!(link.starts_with("s1."));
        assert_eq!(decode(&link).unwrap(), s);
        assert_eq!(decode(&format!("#{link}")).unwrap(), s);
    }

    #[test]
    fn base64url_round_trips_every_length() {
        for n in 0..70u8 {
            let data: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            assert_eq!(base64url_decode(&base64url_encode(&data)).unwrap(), data, "length {n}");
        }
    }

    #[test]
    fn hostile_links_get_sentences() {
        let cases = [
            ("", "not a playground share link"),
            ("#x", "not a playground share link"),
            ("#s9.abc", "newer version"),
            ("#s1.%%%", "not valid base64url"),
            ("#s1.A", "not valid base64url"),
            ("#s1.AAAA", "does not decompress"),
        ];
        for (link, want) in cases {
            let e = decode(link).unwrap_err();
            assert!(e.contains(want), "{link}: {e}");
        }
        // Truncated: a real link cut in half.
        let link = encode(&sample());
        let cut = &link[..link.len() / 2];
        assert!(decode(cut).is_err());
        // Valid deflate of something that is not a session.
        let junk = format!("s1.{}", base64url_encode(&miniz_oxide::deflate::compress_to_vec(b"[1,2,3]", 6)));
        assert!(decode(&junk).unwrap_err().contains("does not read"));
        // A deflate bomb: 64 MB of zeros packs into a small link.
        let bomb = vec![b' '; 64 * 1024 * 1024];
        let link = format!("s1.{}", base64url_encode(&miniz_oxide::deflate::compress_to_vec(&bomb, 9)));
        assert!(link.len() < MAX_FRAGMENT);
        assert!(decode(&link).unwrap_err().contains("more than 8 MB"));
        // Far-future moments would make replay run for ever.
        let mut s = sample();
        s.position.at = i64::MAX;
        assert!(decode(&encode(&s)).unwrap_err().contains("cannot reach"));
    }
}
