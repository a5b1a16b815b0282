//! A small JSON reader that keeps byte positions, so a call found in a workflow export or a
//! Postman collection can point at the exact string literal that names its endpoint
//! (`serde_json` gives values without spans). Strict JSON (RFC 8259) plus a leading BOM;
//! anything else is `None`, never a panic. Nesting deeper than [`MAX_DEPTH`] is refused rather
//! than risking the stack.

/// Deepest nesting accepted (real exports stay far below this).
pub const MAX_DEPTH: usize = 512;

/// A value and where it starts: for strings, the byte offset of the first character inside
/// the quotes; for everything else, the offset of its first byte.
#[derive(Debug, PartialEq)]
pub struct Node {
    pub start: usize,
    pub value: Value,
}

#[derive(Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Numbers are not needed by the front-ends: only their presence is kept.
    Number,
    Str(String),
    Array(Vec<Node>),
    /// Members in document order (duplicate keys are kept; lookups take the first).
    Object(Vec<(String, Node)>),
}

impl Node {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Node)]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The string member `key`.
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }
}

/// Parses a whole document; `None` if it is not valid JSON.
pub fn parse(text: &str) -> Option<Node> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    if text.starts_with('\u{feff}') {
        p.i = 3;
    }
    p.ws();
    let root = p.value(0)?;
    p.ws();
    (p.i == p.s.len()).then_some(root)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.s.get(self.i) == Some(&b) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.i;
        let value = match *self.s.get(self.i)? {
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if !self.eat(b'}') {
                    loop {
                        self.ws();
                        if self.s.get(self.i) != Some(&b'"') {
                            return None;
                        }
                        let key = self.string()?;
                        self.ws();
                        if !self.eat(b':') {
                            return None;
                        }
                        self.ws();
                        let v = self.value(depth + 1)?;
                        members.push((key, v));
                        self.ws();
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Value::Object(members)
            }
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if !self.eat(b']') {
                    loop {
                        self.ws();
                        items.push(self.value(depth + 1)?);
                        self.ws();
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return None;
                        }
                    }
                }
                Value::Array(items)
            }
            b'"' => {
                let s = self.string()?;
                return Some(Node {
                    start: start + 1,
                    value: Value::Str(s),
                });
            }
            b't' => self.literal("true", Value::Bool(true))?,
            b'f' => self.literal("false", Value::Bool(false))?,
            b'n' => self.literal("null", Value::Null)?,
            b'-' | b'0'..=b'9' => {
                self.number()?;
                Value::Number
            }
            _ => return None,
        };
        Some(Node { start, value })
    }

    fn literal(&mut self, word: &str, v: Value) -> Option<Value> {
        if self.s[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Some(v)
        } else {
            None
        }
    }

    fn digits(&mut self) -> usize {
        let from = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i - from
    }

    fn number(&mut self) -> Option<()> {
        self.eat(b'-');
        if self.digits() == 0 {
            return None;
        }
        if self.eat(b'.') && self.digits() == 0 {
            return None;
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    /// Reads a string literal (the cursor is on its opening quote).
    fn string(&mut self) -> Option<String> {
        self.i += 1;
        let mut out = String::new();
        let mut run = self.i;
        loop {
            match *self.s.get(self.i)? {
                b'"' => {
                    out.push_str(&self.text[run..self.i]);
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.i]);
                    self.i += 1;
                    let c = match *self.s.get(self.i)? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi)
                                && self.s[self.i + 1..].starts_with(b"\\u")
                            {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                    char::from_u32(c).unwrap_or('\u{fffd}')
                                } else {
                                    self.i = save;
                                    '\u{fffd}'
                                }
                            } else {
                                char::from_u32(hi).unwrap_or('\u{fffd}')
                            }
                        }
                        _ => return None,
                    };
                    out.push(c);
                    self.i += 1;
                    run = self.i;
                }
                0..0x20 => return None,
                _ => self.i += 1,
            }
        }
    }

    /// Reads the four hex digits after `\u`; the cursor ends on the last digit.
    fn hex4(&mut self) -> Option<u32> {
        let h = self.s.get(self.i + 1..self.i + 5)?;
        let h = std::str::from_utf8(h).ok()?;
        let v = u32::from_str_radix(h, 16).ok()?;
        if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.i += 4;
        Some(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_point_inside_their_quotes() {
        let t =
            "\u{feff} {\"a\": [1, -2.5e3, true, null], \"u\": \"x\\\"y\\u00e9\\ud83d\\ude00/\"}";
        let n = parse(t).unwrap();
        let u = n.get("u").unwrap();
        assert_eq!(u.as_str(), Some("x\"yé😀/"));
        assert_eq!(&t[u.start..u.start + 1], "x");
        assert_eq!(n.get("a").unwrap().as_array().unwrap().len(), 4);
        assert_eq!(&t[n.start..n.start + 1], "{");
    }

    #[test]
    fn rejects_what_is_not_json() {
        for bad in [
            "",
            "{",
            "{\"a\":}",
            "[1,]",
            "{\"a\":1,}",
            "\"abc",
            "01x",
            "[1] 2",
            "{'a': 1}",
            "\"\\u12\"",
            "\"\\x\"",
            "-",
            "1.",
            "tru",
            "\"a\nb\"",
        ] {
            assert!(parse(bad).is_none(), "{bad:?}");
        }
        let deep = "[".repeat(MAX_DEPTH + 10) + &"]".repeat(MAX_DEPTH + 10);
        assert!(parse(&deep).is_none());
        let ok = "[".repeat(100) + &"]".repeat(100);
        assert!(parse(&ok).is_some());
    }
}
