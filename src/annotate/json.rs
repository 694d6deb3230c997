//! A JSON parser that remembers where every value is.
//!
//! serde_json reports where a syntax error is, but forgets where each value of a valid document
//! was; a validator that says `annotations/x.json:12:9: quote does not match` needs both. This
//! parser builds a small tree ([`Node`]) whose every value and key carries its byte span in the
//! source, keeps object members in file order (duplicates included, so that they can be
//! reported), and turns any malformed input — bad UTF-8 included — into a [`SyntaxError`] with a
//! byte offset, never a panic. Nesting deeper than [`MAX_DEPTH`] is an error, not a stack
//! overflow.
//!
//! It follows RFC 8259 strictly: no comments, no trailing commas, no leading zeros, no lone
//! surrogates in `\u` escapes.

use std::borrow::Cow;
use std::ops::Range;

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 64;

/// A JSON value with its byte span in the source. Strings without escapes borrow from the
/// source, so that reading a large file allocates little.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// The value.
    pub value: Value<'a>,
    /// Byte range of the value in the source (for a string: quotes included).
    pub span: Range<usize>,
}

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// A number, as written.
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    /// Members in file order; duplicate keys are kept.
    Object(Vec<Member<'a>>),
}

/// A member of an object.
#[derive(Debug, Clone, PartialEq)]
pub struct Member<'a> {
    /// The key, unescaped.
    pub key: Cow<'a, str>,
    /// Byte range of the key (quotes included).
    pub key_span: Range<usize>,
    /// The value.
    pub value: Node<'a>,
}

/// Why the input is not JSON, and where (byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl<'a> Node<'a> {
    /// The member of an object with the given key (the first, if repeated).
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match &self.value {
            Value::Object(members) => members.iter().find(|m| m.key == key).map(|m| &m.value),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The name of the value's JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }
}

/// Parses a whole document (a UTF-8 BOM is skipped).
pub fn parse(bytes: &[u8]) -> Result<Node<'_>, SyntaxError> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Err(SyntaxError {
                offset: e.valid_up_to(),
                message: "invalid UTF-8".into(),
            });
        }
    };
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let mut p = Parser {
        src: text.as_bytes(),
        text,
        pos: start,
    };
    p.skip_ws();
    let node = p.value(0)?;
    p.skip_ws();
    if p.pos < p.src.len() {
        return Err(p.error("unexpected characters after the end of the document"));
    }
    Ok(node)
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError {
            offset: self.pos,
            message: message.to_string(),
        }
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        match self.text[self.pos.min(self.text.len())..].chars().next() {
            None => self.error(&format!("unexpected end of file, expected {expected}")),
            Some(c) => self.error(&format!("expected {expected}, found {c:?}")),
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.src.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(self.error(&format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        let start = self.pos;
        let value = match self.src.get(self.pos) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.unexpected("a value")),
        };
        Ok(Node {
            value,
            span: start..self.pos,
        })
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Result<Value<'a>, SyntaxError> {
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.unexpected("a value"))
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_ws();
        if self.src.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            if self.src.get(self.pos) != Some(&b'"') {
                return Err(self.unexpected("a key in double quotes"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = key_start..self.pos;
            self.skip_ws();
            if self.src.get(self.pos) != Some(&b':') {
                return Err(self.unexpected("':' after the key"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push(Member {
                key,
                key_span,
                value,
            });
            self.skip_ws();
            match self.src.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.unexpected("',' or '}'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, SyntaxError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.src.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.src.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected("',' or ']'")),
            }
        }
    }

    fn number(&mut self) -> Result<Value<'a>, SyntaxError> {
        let start = self.pos;
        if self.src.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.src.get(self.pos) {
            Some(b'0') => {
                self.pos += 1;
                if self.src.get(self.pos).is_some_and(u8::is_ascii_digit) {
                    return Err(self.error("leading zeros are not allowed in JSON numbers"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.src.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !self.src.get(self.pos).is_some_and(u8::is_ascii_digit) {
                return Err(self.unexpected("a digit after '.'"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.src.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.src.get(self.pos) {
                self.pos += 1;
            }
            if !self.src.get(self.pos).is_some_and(u8::is_ascii_digit) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
        }
        Ok(Value::Number(&self.text[start..self.pos]))
    }

    fn digits(&mut self) {
        while self.src.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        self.pos += 1;
        let first = self.pos;
        let mut out: Option<String> = None;
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.src.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            if let Some(o) = out.as_mut() {
                o.push_str(&self.text[run_start..self.pos]);
            }
            match self.src.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    // Without escapes the string is a slice of the source.
                    return Ok(match out {
                        Some(o) => Cow::Owned(o),
                        None => Cow::Borrowed(&self.text[first..self.pos - 1]),
                    });
                }
                Some(b'\\') => {
                    let o = out.get_or_insert_with(|| self.text[first..self.pos].to_string());
                    let c = self.escape()?;
                    o.push(c);
                }
                Some(_) => return Err(self.error("control character in a string (escape it)")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, SyntaxError> {
        self.pos += 1;
        let c = match self.src.get(self.pos) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape();
            }
            _ => return Err(self.unexpected("an escape sequence")),
        };
        self.pos += 1;
        Ok(c)
    }

    fn unicode_escape(&mut self) -> Result<char, SyntaxError> {
        let high = self.hex4()?;
        if !(0xD800..0xE000).contains(&high) {
            return char::from_u32(high).ok_or_else(|| self.error("invalid \\u escape"));
        }
        if high >= 0xDC00 || !self.src[self.pos..].starts_with(b"\\u") {
            return Err(self.error("lone surrogate in \\u escape"));
        }
        self.pos += 2;
        let low = self.hex4()?;
        if !(0xDC00..0xE000).contains(&low) {
            return Err(self.error("lone surrogate in \\u escape"));
        }
        let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self
            .src
            .get(self.pos..self.pos + 4)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .ok_or_else(|| self.error("expected 4 hex digits after \\u"))?;
        // Four ASCII hex digits always parse.
        let value =
            u32::from_str_radix(std::str::from_utf8(digits).unwrap_or("0"), 16).unwrap_or(0);
        self.pos += 4;
        Ok(value)
    }
}

/// Line starts of a source, to turn byte offsets into 1-based lines and columns.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the lines of `src`.
    pub fn new(src: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', src).map(|i| i + 1));
        Self { starts }
    }

    /// 1-based line and 1-based column (in chars; bytes of invalid UTF-8 count one each) of a
    /// byte offset.
    pub fn line_col(&self, src: &[u8], offset: usize) -> (usize, usize) {
        let offset = offset.min(src.len());
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = String::from_utf8_lossy(&src[start..offset]).chars().count() + 1;
        (line, column)
    }

    /// Byte range of a 1-based line, without its line break.
    pub fn line_range(&self, src: &[u8], line: usize) -> Range<usize> {
        let start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let mut end = self.starts.get(line).map_or(src.len(), |&s| s - 1);
        if end > start && src.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_values_and_keys() {
        let src = br#"{"a": [1, "x\u00e9"], "b": {"c": null}}"#;
        let node = parse(src).unwrap();
        let a = node.get("a").unwrap();
        assert_eq!(&src[a.span.clone()], br#"[1, "x\u00e9"]"#);
        let Value::Array(items) = &a.value else {
            panic!("array")
        };
        assert_eq!(items[1].as_str(), Some("xé"));
        let Value::Object(members) = &node.value else {
            panic!("object")
        };
        assert_eq!(&src[members[1].key_span.clone()], br#""b""#);
        assert_eq!(node.get("b").unwrap().get("c").unwrap().value, Value::Null);
    }

    #[test]
    fn errors_have_offsets() {
        let cases: [(&[u8], usize); 8] = [
            (b"{\"a\": 1,}", 8),
            (b"[1, 2", 5),
            (b"{\"a\" 1}", 5),
            (b"\"abc", 4),
            (b"01", 1),
            (b"[\"\\ud800\"]", 8),
            (b"{} x", 3),
            (b"[\xff]", 1),
        ];
        for (src, offset) in cases {
            let err = parse(src).unwrap_err();
            assert_eq!(
                err.offset,
                offset,
                "{:?}: {}",
                String::from_utf8_lossy(src),
                err.message
            );
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = "[".repeat(100_000);
        assert!(
            parse(src.as_bytes())
                .unwrap_err()
                .message
                .contains("nesting")
        );
    }

    #[test]
    fn agrees_with_serde_json_on_valid_documents() {
        let src = r#"{"n": -1.5e3, "s": "a\"b\\c\n\ud83d\ude00", "t": true, "e": [], "o": {}}"#;
        let node = parse(src.as_bytes()).unwrap();
        let reference: serde_json::Value = serde_json::from_str(src).unwrap();
        assert_eq!(node.get("s").unwrap().as_str(), reference["s"].as_str());
        assert_eq!(node.get("n").unwrap().value, Value::Number("-1.5e3"));
    }

    #[test]
    fn lines_and_columns_count_chars() {
        let src = "ab\nзвук x".as_bytes();
        let index = LineIndex::new(src);
        let x = src.len() - 1;
        assert_eq!(index.line_col(src, x), (2, 6));
        assert_eq!(index.line_col(src, 0), (1, 1));
        assert_eq!(&src[index.line_range(src, 1)], b"ab");
    }
}
