//! Identity and time: annotation IDs, content hashes, RFC 3339 timestamps.
//!
//! - IDs are UUIDv7 (time-ordered, random in their low bits, so two processes adding at once never
//!   collide); ULIDs are accepted when read, for files made by other tools.
//! - The text hash is `sha256:` and the full hex SHA-256 of the decoded, LF-normalised text; the
//!   paragraph hash is `sha256:` and the first 16 hex digits of the SHA-256 of the paragraph text
//!   (64 bits: plenty to notice a change, short enough to keep one annotation on one line).
//! - Timestamps are RFC 3339 in UTC with second precision (`2024-05-01T12:00:00Z`), formatted from
//!   [`std::time::SystemTime`] without a date crate; any RFC 3339 timestamp is accepted when read.

use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// Hex digits of a paragraph hash.
pub const PARAGRAPH_HASH_HEX: usize = 16;

/// A new annotation ID: a lowercase hyphenated UUIDv7.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().hyphenated().to_string()
}

/// Whether `id` is a UUID (any version, hyphenated) or a ULID (26 Crockford base-32 chars).
pub fn is_valid_id(id: &str) -> bool {
    is_uuid(id) || is_ulid(id)
}

fn is_uuid(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

fn is_ulid(id: &str) -> bool {
    const CROCKFORD: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    id.len() == 26
        && id.as_bytes()[0] <= b'7'
        && id
            .bytes()
            .all(|c| CROCKFORD.contains(&c.to_ascii_uppercase()))
}

/// The hash of a whole text (`sha256:` + 64 hex digits).
pub fn text_hash(text: &str) -> String {
    format!("sha256:{}", hex(&Sha256::digest(text.as_bytes())))
}

/// The hash of a paragraph's text (`sha256:` + 16 hex digits).
pub fn paragraph_hash(text: &str) -> String {
    let full = hex(&Sha256::digest(text.as_bytes()));
    format!("sha256:{}", &full[..PARAGRAPH_HASH_HEX])
}

/// Whether a stored hash names the same content as a computed one: equal, or the stored one is a
/// prefix (of at least 8 hex digits) of the computed one or the other way round.
pub fn hash_matches(stored: &str, computed: &str) -> bool {
    let (Some(s), Some(c)) = (
        stored.strip_prefix("sha256:"),
        computed.strip_prefix("sha256:"),
    ) else {
        return false;
    };
    let n = s.len().min(c.len());
    n >= 8 && s[..n].eq_ignore_ascii_case(&c[..n])
}

/// Whether `hash` has the form `sha256:` + at least 8 hex digits.
pub fn is_valid_hash(hash: &str) -> bool {
    hash.strip_prefix("sha256:")
        .is_some_and(|h| h.len() >= 8 && h.len() <= 64 && h.bytes().all(|c| c.is_ascii_hexdigit()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Now, as an RFC 3339 UTC timestamp.
pub fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    timestamp(secs)
}

/// An RFC 3339 UTC timestamp for a number of seconds since the Unix epoch.
pub fn timestamp(unix_seconds: u64) -> String {
    let days = i64::try_from(unix_seconds / 86_400).unwrap_or(0);
    let rem = unix_seconds % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Year, month, day of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Whether `s` is an RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, with a valid
/// calendar date (leap years included) and a leap second allowed.
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let sep = |i: usize, c: &[u8]| b.get(i).is_some_and(|x| c.contains(x));
    let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let (Some(hour), Some(minute), Some(second)) = (num(11..13), num(14..16), num(17..19)) else {
        return false;
    };
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let valid_date = (1..=12).contains(&month) && day >= 1 && day <= days[month as usize - 1];
    if !valid_date || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        i += 1 + digits;
    }
    match b.get(i) {
        Some(b'Z' | b'z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i + 6 == b.len()
                && sep(i + 3, b":")
                && num(i + 1..i + 3).is_some_and(|h| h <= 23)
                && num(i + 4..i + 6).is_some_and(|m| m <= 59)
        }
        _ => false,
    }
}

/// Whether `s` looks like an IRI: a scheme (`letter (letter|digit|+|-|.)*`), a colon, and no
/// whitespace or control characters.
pub fn is_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuid_v7_and_unique() {
        let a = new_id();
        let b = new_id();
        assert!(is_valid_id(&a), "{a}");
        assert_ne!(a, b);
        assert_eq!(&a[14..15], "7", "version nibble of {a}");
        assert!(is_valid_id("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
        assert!(!is_valid_id("anno-1"));
        assert!(!is_valid_id("01ARZ3NDEKTSV4RRFFQ69G5FAU!"));
    }

    #[test]
    fn timestamps_format_and_parse() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp(1_714_564_800), "2024-05-01T12:00:00Z");
        assert!(is_rfc3339(&now()));
        for ok in [
            "2024-02-29T23:59:60Z",
            "1991-04-18T10:00:00.123+09:00",
            "2001-03-25t01:02:03z",
        ] {
            assert!(is_rfc3339(ok), "{ok}");
        }
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-01-01",
            "2024-01-01T00:00:00",
            "2024-13-01T00:00:00Z",
            "2024-01-01T00:00:00+9:00",
        ] {
            assert!(!is_rfc3339(bad), "{bad}");
        }
    }

    #[test]
    fn hashes() {
        let t = text_hash("abc");
        assert_eq!(
            t,
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(paragraph_hash("abc"), "sha256:ba7816bf8f01cfea");
        assert!(hash_matches(&paragraph_hash("abc"), &t));
        assert!(!hash_matches(&paragraph_hash("abd"), &t));
        assert!(is_valid_hash("sha256:ba7816bf"));
        assert!(!is_valid_hash("md5:ba7816bf"));
    }

    #[test]
    fn iris() {
        assert!(is_iri("https://en.wikipedia.org/wiki/Habomai_Islands"));
        assert!(is_iri("urn:uuid:1234"));
        assert!(!is_iri("Habomai"));
        assert!(!is_iri("http://a b"));
        assert!(!is_iri("1http://x"));
    }
}
