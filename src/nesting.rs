//! A cheap pre-scan of YAML and JSON inputs (specs, the manifest, baselines) that refuses
//! documents nested deeper than a limit before any parser sees them: YAML scanners spend time
//! quadratic in the nesting (100,000 nested `[` take over a minute) and serde's parsers stop at
//! 128 levels anyway, after reading everything.
//!
//! One pass over the text, linear time, constant memory per level: flow collections (`[`, `{`)
//! are counted outside quoted scalars, comments and block scalars; block nesting is the stack
//! of indentations opened by a key without a value or a `- ` item, plus the `- ` markers that
//! start a line. The estimate never exceeds the real depth by more than a level or two on
//! ordinary YAML, so the limit can sit at the parsers' own.

/// Nesting levels an input may have.
pub const MAX_DEPTH: usize = 128;

/// The byte offset where `text` first gets nested deeper than `limit` levels, if it does.
pub fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let mut s = Scan::default();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(off) = s.line(line, limit) {
            return Some(line_start + off);
        }
        line_start += line.len();
    }
    None
}

/// Refuses an input nested deeper than [`MAX_DEPTH`], with an error at the place. `what`
/// names the input (`spec`, `manifest`, `baseline`).
pub fn check(name: &str, what: &str, text: &str) -> miette::Result<()> {
    match too_deep(text, MAX_DEPTH) {
        None => Ok(()),
        Some(off) => Err(crate::error::SourceError::new(
            name,
            text,
            (off, 1),
            format!("{what} `{name}` is nested deeper than {MAX_DEPTH} levels"),
            "too deep here",
        )
        .with_help(format!(
            "inputs are refused before parsing past {MAX_DEPTH} levels of brackets or indentation (see Limits and safety in the README)"
        ))
        .into()),
    }
}

#[derive(Default)]
struct Scan {
    /// Open flow collections.
    flow: usize,
    /// Inside a quoted scalar (which may span lines): its quote.
    quote: Option<u8>,
    /// Inside a block scalar (`|`, `>`): lines indented more than this belong to it.
    block_scalar: Option<usize>,
    /// Indentations of the open block levels.
    indents: Vec<usize>,
    /// The last line opened a block level (a key without a value, a `- ` item).
    opened: bool,
}

impl Scan {
    /// Scans one line (with its `\n`); the offset in it where the limit is crossed.
    fn line(&mut self, line: &str, limit: usize) -> Option<usize> {
        let b = line.as_bytes();
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = b.iter().take_while(|&&c| c == b' ').count();
        let blank = body[indent.min(body.len())..].trim().is_empty();
        if let Some(bi) = self.block_scalar {
            if blank || indent > bi {
                return None;
            }
            self.block_scalar = None;
        }
        let mut i = 0;
        let mut value_start = true;
        let mut depth_here = 0;
        if self.quote.is_none() && self.flow == 0 {
            if blank || body[indent..].starts_with('#') {
                return None;
            }
            while self.indents.last().is_some_and(|&x| x > indent) {
                self.indents.pop();
            }
            if self.opened && self.indents.last().is_none_or(|&x| x < indent) {
                self.indents.push(indent);
            }
            self.opened = false;
            i = indent;
            // `- - - x`, `? key`: a level each.
            while i < body.len() && matches!(b[i], b'-' | b'?') && is_space_or_end(b, i + 1) {
                depth_here += 1;
                self.opened = true;
                i += 1;
                while i < body.len() && b[i] == b' ' {
                    i += 1;
                }
            }
            if self.indents.len() + depth_here > limit {
                return Some(indent);
            }
        }
        let mut last_significant = 0u8;
        while i < body.len() {
            let c = b[i];
            if let Some(q) = self.quote {
                if c == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                if c == q {
                    if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    self.quote = None;
                    value_start = false;
                    last_significant = c;
                }
                i += 1;
                continue;
            }
            match c {
                b' ' | b'\t' => {
                    i += 1;
                    continue;
                }
                b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t') => break,
                b'"' | b'\'' if value_start => self.quote = Some(c),
                b'[' | b'{' if value_start || self.flow > 0 => {
                    self.flow += 1;
                    if self.indents.len() + depth_here + self.flow > limit {
                        return Some(i);
                    }
                    value_start = true;
                }
                b']' | b'}' if self.flow > 0 => {
                    self.flow -= 1;
                    value_start = false;
                }
                b',' if self.flow > 0 => value_start = true,
                b':' if is_space_or_end(b, i + 1) || self.flow > 0 => value_start = true,
                b'|' | b'>' if value_start && self.flow == 0 => {
                    self.block_scalar = Some(indent);
                    break;
                }
                _ => value_start = false,
            }
            last_significant = c;
            i += 1;
        }
        if self.flow == 0 && self.quote.is_none() && last_significant == b':' {
            self.opened = true;
        }
        None
    }
}

fn is_space_or_end(b: &[u8], i: usize) -> bool {
    matches!(b.get(i), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_nesting_is_counted_outside_strings_and_comments() {
        let deep = "[".repeat(200);
        assert_eq!(too_deep(&deep, 128), Some(128));
        assert_eq!(too_deep(&format!("a: {deep}"), 128), Some(3 + 128));
        assert_eq!(too_deep(&format!("a: \"{deep}\"\n"), 128), None);
        assert_eq!(too_deep(&format!("a: '{deep}'\n"), 128), None);
        assert_eq!(too_deep(&format!("a: b # {deep}\n"), 128), None);
        assert_eq!(too_deep(&format!("a: see {deep}\n"), 128), None);
        assert_eq!(too_deep(&format!("a: |\n  {deep}\nb: 1\n"), 128), None);
        let json = format!("{{\"a\": {}1{}}}", "[".repeat(130), "]".repeat(130));
        assert!(too_deep(&json, 128).is_some());
        let ok = format!("{{\"a\": {}1{}}}", "[".repeat(100), "]".repeat(100));
        assert_eq!(too_deep(&ok, 128), None);
    }

    #[test]
    fn block_nesting_by_indentation_and_dashes() {
        let mut t = String::new();
        for i in 0..200 {
            t.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
        }
        assert!(too_deep(&t, 128).is_some());
        let dashes = format!("{}x\n", "- ".repeat(200));
        assert!(too_deep(&dashes, 128).is_some());
        // Continuation lines of a plain scalar open nothing.
        let mut c = String::from("a: start\n");
        for i in 1..300 {
            c.push_str(&format!("{}more\n", " ".repeat(i)));
        }
        assert_eq!(too_deep(&c, 128), None);
    }

    #[test]
    fn the_real_specs_and_manifests_pass() {
        let m = "credentials:\n  - name: a\n    owner:\n      user_levels:\n        - ORG_ADMIN\n    scopes: [sp:scopes:all]\n";
        assert_eq!(too_deep(m, 8), None);
        assert!(too_deep(m, 3).is_some());
    }
}
