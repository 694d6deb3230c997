//! CSV records (RFC 4180), for spreadsheets: `compare --format csv` and `annotate list --format
//! csv`.

/// One CSV record, ending in CRLF as RFC 4180 has it. A field is quoted when it holds a comma,
/// a quote or a line break, and when it starts with a character a spreadsheet would read as a
/// formula (`=`, `+`, `-`, `@`) or would trim (a space).
pub fn line(fields: &[String]) -> String {
    let mut line = fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n', '\r']) || f.starts_with([' ', '=', '+', '-', '@']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_when_needed() {
        let record = line(&["a".into(), "b,c".into(), "say \"hi\"".into(), "x\ny".into()]);
        assert_eq!(record, "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\r\n");
        assert_eq!(line(&["=1+1".into()]), "\"=1+1\"\r\n");
    }
}
