//! A tolerant TOML scanner for dependency manifests (`pyproject.toml`, `Pipfile`, `poetry.lock`,
//! `uv.lock`): yields `table`, `key`, raw `value` triples and reads strings and inline tables
//! out of raw values. Not a validating parser: malformed input gives fewer entries, never a
//! panic.

/// One `key = value` of a TOML document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    /// Dotted table name with quotes removed (`tool.poetry.dependencies`), `""` at top level.
    pub table: String,
    /// Counts table headers: entries of the same `[[package]]` share it.
    pub table_index: usize,
    /// The key, unquoted (dotted keys keep their dots).
    pub key: String,
    /// The value as written (a string, array, inline table or bare token).
    pub value: &'a str,
}

/// Scans `text` into entries.
pub(crate) fn entries(text: &str) -> Vec<Entry<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut table = String::new();
    let mut table_index = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => i = line_end(b, i),
            b'[' => {
                let end = line_end(b, i);
                let line = text[i..end].trim();
                let inner = line.trim_start_matches('[');
                let inner = match inner.find(']') {
                    Some(k) => &inner[..k],
                    None => inner,
                };
                table = unquote_dotted(inner);
                table_index += 1;
                i = end;
            }
            _ => {
                let end = line_end(b, i);
                let Some(eq) = find_outside_quotes(&text[i..end], b'=') else {
                    i = end;
                    continue;
                };
                let key = unquote_dotted(&text[i..i + eq]);
                let mut v = i + eq + 1;
                while v < b.len() && matches!(b[v], b' ' | b'\t') {
                    v += 1;
                }
                let v_end = value_end(b, v);
                out.push(Entry {
                    table: table.clone(),
                    table_index,
                    key,
                    value: text[v..v_end].trim(),
                });
                i = line_end(b, v_end.max(v));
            }
        }
    }
    out
}

fn line_end(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |k| i + k)
}

fn find_outside_quotes(s: &str, target: u8) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (k, &c) in s.as_bytes().iter().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == target => return Some(k),
            None if c == b'#' => return None,
            None => {}
        }
    }
    None
}

/// `tool . "poetry" .dependencies` → `tool.poetry.dependencies`.
fn unquote_dotted(s: &str) -> String {
    s.split('.')
        .map(|p| p.trim().trim_matches(|c| c == '"' || c == '\''))
        .collect::<Vec<_>>()
        .join(".")
}

/// End of the value starting at `i`: a (multi-line) string, a bracketed array or inline table
/// (nesting, strings and comments respected), else the rest of the line before a comment.
fn value_end(b: &[u8], i: usize) -> usize {
    if i >= b.len() {
        return b.len();
    }
    match b[i] {
        b'"' | b'\'' => string_end(b, i),
        b'[' | b'{' => {
            let mut depth = 0usize;
            let mut k = i;
            while k < b.len() {
                match b[k] {
                    b'"' | b'\'' => {
                        k = string_end(b, k);
                        continue;
                    }
                    b'#' => {
                        k = line_end(b, k);
                        continue;
                    }
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return k + 1;
                        }
                    }
                    _ => {}
                }
                k += 1;
            }
            b.len()
        }
        _ => {
            let end = line_end(b, i);
            b[i..end]
                .iter()
                .position(|&c| c == b'#')
                .map_or(end, |k| i + k)
        }
    }
}

/// End (exclusive) of the string starting at `i` (`"`, `'`, `"""`, `'''`).
fn string_end(b: &[u8], i: usize) -> usize {
    let q = b[i];
    if b[i..].starts_with(&[q, q, q]) {
        let mut k = i + 3;
        while k + 2 < b.len() {
            if b[k] == b'\\' && q == b'"' {
                k += 2;
                continue;
            }
            if b[k] == q && b[k + 1] == q && b[k + 2] == q {
                return k + 3;
            }
            k += 1;
        }
        return b.len();
    }
    let mut k = i + 1;
    while k < b.len() {
        match b[k] {
            b'\\' if q == b'"' => k += 2,
            b'\n' => return k,
            c if c == q => return k + 1,
            _ => k += 1,
        }
    }
    b.len()
}

/// Every string literal in a raw value (in arrays at any depth, but not inside inline
/// tables), with basic escapes decoded.
pub(crate) fn strings(value: &str) -> Vec<String> {
    let b = value.as_bytes();
    let mut out = Vec::new();
    let mut depth_table = 0usize;
    let mut k = 0;
    while k < b.len() {
        match b[k] {
            b'"' | b'\'' => {
                let end = string_end(b, k);
                if depth_table == 0 {
                    out.push(decode(&value[k..end]));
                }
                k = end;
            }
            b'#' => k = line_end(b, k),
            b'{' => {
                depth_table += 1;
                k += 1;
            }
            b'}' => {
                depth_table = depth_table.saturating_sub(1);
                k += 1;
            }
            _ => k += 1,
        }
    }
    out
}

/// The string value of a quoted literal; a bare token as is.
pub(crate) fn decode(lit: &str) -> String {
    let lit = lit.trim();
    for q in ["\"\"\"", "'''"] {
        if let Some(s) = lit.strip_prefix(q) {
            return s.strip_suffix(q).unwrap_or(s).to_string();
        }
    }
    if let Some(s) = lit.strip_prefix('\'') {
        return s.strip_suffix('\'').unwrap_or(s).to_string();
    }
    if let Some(s) = lit.strip_prefix('"') {
        let s = s.strip_suffix('"').unwrap_or(s);
        let mut out = String::with_capacity(s.len());
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(o) => out.push(o),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        return out;
    }
    lit.to_string()
}

/// The `key = value` pairs of an inline table `{ version = "^1.3", extras = ["x"] }` (raw
/// values); empty for anything else.
pub(crate) fn inline_table(value: &str) -> Vec<(String, &str)> {
    let v = value.trim();
    let Some(inner) = v.strip_prefix('{') else {
        return Vec::new();
    };
    let inner = inner.strip_suffix('}').unwrap_or(inner);
    let b = inner.as_bytes();
    let mut out = Vec::new();
    let mut k = 0;
    while k < b.len() {
        while k < b.len() && (b[k].is_ascii_whitespace() || b[k] == b',') {
            k += 1;
        }
        if k >= b.len() {
            break;
        }
        let Some(eq) = find_outside_quotes(&inner[k..], b'=') else {
            break;
        };
        let key = unquote_dotted(&inner[k..k + eq]);
        let mut s = k + eq + 1;
        while s < b.len() && b[s].is_ascii_whitespace() {
            s += 1;
        }
        let end = match b.get(s) {
            Some(b'"' | b'\'' | b'[' | b'{') => value_end(b, s),
            _ => b[s..]
                .iter()
                .position(|&c| c == b',')
                .map_or(b.len(), |p| s + p),
        };
        out.push((key, inner[s..end].trim()));
        k = end.max(s + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_tables_keys_and_values() {
        let text = r#"
# comment
name = "demo" # trailing
[project]
dependencies = [
  "requests>=2",  # http
  'sailpoint ~= 2.1',
]
[tool.poetry.dependencies]
sailpoint = { version = "^1.3", extras = ["x"] }
"weird key" = "1"
[[package]]
name = "sailpoint"
version = "1.4.99"
[[package]]
name = "other"
"#;
        let e = entries(text);
        let keys: Vec<(&str, usize, &str)> = e
            .iter()
            .map(|e| (e.table.as_str(), e.table_index, e.key.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("", 0, "name"),
                ("project", 1, "dependencies"),
                ("tool.poetry.dependencies", 2, "sailpoint"),
                ("tool.poetry.dependencies", 2, "weird key"),
                ("package", 3, "name"),
                ("package", 3, "version"),
                ("package", 4, "name"),
            ]
        );
        assert_eq!(strings(e[1].value), ["requests>=2", "sailpoint ~= 2.1"]);
        let t = inline_table(e[2].value);
        assert_eq!(t[0].0, "version");
        assert_eq!(decode(t[0].1), "^1.3");
        assert_eq!(t[1].0, "extras");
        assert_eq!(decode(e[5].value), "1.4.99");
    }

    #[test]
    fn tolerates_garbage() {
        for text in ["[", "a = [", "a = \"", "= 1", "[[x]\nb = {", "a = '''x"] {
            let _ = entries(text);
        }
    }
}
