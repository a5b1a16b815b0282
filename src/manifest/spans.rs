//! Where each node of a YAML document is: a position tree built from `yaml-rust2`'s marked
//! events (serde_yaml, which gives the typed structs, has no spans). Used to point
//! diagnostics at the exact entry and to rewrite values in place.
//!
//! `yaml-rust2`'s marks count characters (and, after a non-ASCII plain scalar, some bytes): a
//! text with non-ASCII characters is parsed twice — an ASCII copy (every other character as
//! `x`, which YAML reads the same way) gives the places, as character indexes mapped to byte
//! offsets, and the text itself gives the values.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YKind {
    Scalar(String),
    Seq(Vec<YNode>),
    Map(Vec<(YNode, YNode)>),
    Alias,
}

/// A node and its byte span in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YNode {
    pub start: usize,
    pub end: usize,
    pub kind: YKind,
    /// For sequences: written `[a, b]` (flow) rather than as `- a` lines (block).
    pub flow: bool,
    /// Carries an anchor (`&name`) that aliases elsewhere may use.
    pub anchor: bool,
}

impl YNode {
    pub fn get(&self, key: &str) -> Option<&YNode> {
        match &self.kind {
            YKind::Map(m) => m
                .iter()
                .find(|(k, _)| k.scalar() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// The key node of `key` in a mapping.
    pub fn key(&self, key: &str) -> Option<&YNode> {
        match &self.kind {
            YKind::Map(m) => m
                .iter()
                .find(|(k, _)| k.scalar() == Some(key))
                .map(|(k, _)| k),
            _ => None,
        }
    }

    pub fn at(&self, i: usize) -> Option<&YNode> {
        match &self.kind {
            YKind::Seq(s) => s.get(i),
            _ => None,
        }
    }

    pub fn items(&self) -> &[YNode] {
        match &self.kind {
            YKind::Seq(s) => s,
            _ => &[],
        }
    }

    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            YKind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn span(&self) -> (usize, usize) {
        (self.start, self.end.saturating_sub(self.start).max(1))
    }

    /// The first node of this subtree (itself included) that is an alias or carries an anchor.
    pub fn shared(&self) -> Option<&YNode> {
        if self.anchor || self.kind == YKind::Alias {
            return Some(self);
        }
        match &self.kind {
            YKind::Seq(items) => items.iter().find_map(YNode::shared),
            YKind::Map(pairs) => pairs
                .iter()
                .find_map(|(k, v)| k.shared().or_else(|| v.shared())),
            _ => None,
        }
    }

    /// Applies `f` to every node, children first, and hands scalars their values in document
    /// order.
    fn remap(&mut self, f: &dyn Fn(usize) -> usize, values: &mut dyn Iterator<Item = String>) {
        self.start = f(self.start);
        match &mut self.kind {
            YKind::Scalar(v) => {
                if let Some(x) = values.next() {
                    *v = x;
                }
            }
            YKind::Seq(items) => items.iter_mut().for_each(|n| n.remap(f, values)),
            YKind::Map(pairs) => pairs.iter_mut().for_each(|(k, v)| {
                k.remap(f, values);
                v.remap(f, values);
            }),
            YKind::Alias => {}
        }
        self.end = f(self.end);
    }
}

enum Frame {
    /// Start, items, flow, anchored.
    Seq(usize, Vec<YNode>, bool, bool),
    Map(usize, Vec<YNode>, bool, bool),
}

struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    root: Option<YNode>,
}

impl Builder<'_> {
    fn push(&mut self, node: YNode) {
        match self.stack.last_mut() {
            Some(Frame::Seq(_, v, ..)) | Some(Frame::Map(_, v, ..)) => v.push(node),
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
        }
    }

    /// The end of a scalar that starts at `start`: plain scalars run to the end of their
    /// value text, quoted ones to the closing quote.
    fn scalar_end(&self, start: usize, value: &str, style: TScalarStyle) -> usize {
        let t = self.text;
        let start = start.min(t.len());
        match style {
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                let q = if style == TScalarStyle::SingleQuoted {
                    '\''
                } else {
                    '"'
                };
                let body = &t[start + 1.min(t.len() - start)..];
                let mut i = 0;
                let b = body.as_bytes();
                while i < b.len() {
                    if b[i] == b'\\' && q == '"' {
                        i += 2;
                        continue;
                    }
                    if b[i] == q as u8 {
                        if q == '\'' && i + 1 < b.len() && b[i + 1] == b'\'' {
                            i += 2;
                            continue;
                        }
                        return start + 1 + i + 1;
                    }
                    i += 1;
                }
                t.len()
            }
            TScalarStyle::Plain => {
                // Usually verbatim; fall back to the end of the line.
                if t[start..].starts_with(value) {
                    start + value.len()
                } else {
                    let line_end = t[start..].find('\n').map_or(t.len(), |i| start + i);
                    let cut = t[start..line_end]
                        .find(" #")
                        .map_or(line_end, |i| start + i);
                    t[start..cut].trim_end().len() + start
                }
            }
            _ => {
                // Block scalars: to the end of the indented block (approximate: next line
                // with lower or equal indentation).
                t[start..].find('\n').map_or(t.len(), |i| start + i)
            }
        }
    }
}

impl Builder<'_> {
    /// Where an anchored node starts: at its `&name` before `at` when there is one.
    fn anchor_start(&self, at: usize, anchored: bool) -> usize {
        if !anchored {
            return at;
        }
        let before = &self.text[..at];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        match before[line_start..].rfind('&') {
            Some(i) => {
                let amp = line_start + i;
                let token = before[amp + 1..].trim_end();
                let name_only = !token.is_empty()
                    && !token.contains(|c: char| c.is_whitespace() || ",[]{}".contains(c));
                if name_only { amp } else { at }
            }
            None => at,
        }
    }
}

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = mark.index().min(self.text.len());
        match ev {
            Event::Scalar(v, style, anchor, _) => {
                let end = self.scalar_end(at, &v, style);
                self.push(YNode {
                    start: self.anchor_start(at, anchor != 0),
                    end,
                    kind: YKind::Scalar(v),
                    flow: false,
                    anchor: anchor != 0,
                });
            }
            Event::Alias(_) => {
                // `*name`: to the end of the name.
                let t = &self.text.as_bytes()[at..];
                let len = t
                    .iter()
                    .skip(1)
                    .take_while(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b',' | b']' | b'}'))
                    .count();
                self.push(YNode {
                    start: at,
                    end: (at + 1 + len).min(self.text.len()),
                    kind: YKind::Alias,
                    flow: false,
                    anchor: false,
                })
            }
            Event::SequenceStart(anchor, _) => {
                let flow = self.text[at..].starts_with('[');
                let start = self.anchor_start(at, anchor != 0);
                self.stack
                    .push(Frame::Seq(start, Vec::new(), flow, anchor != 0));
            }
            Event::MappingStart(anchor, _) => {
                let flow = self.text[at..].starts_with('{');
                let start = self.anchor_start(at, anchor != 0);
                self.stack
                    .push(Frame::Map(start, Vec::new(), flow, anchor != 0));
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq(start, items, flow, anchor)) = self.stack.pop() {
                    let end = if flow {
                        self.text[at.saturating_sub(1)..]
                            .find(']')
                            .map_or(at, |i| at.saturating_sub(1) + i + 1)
                    } else {
                        items.last().map_or(at, |n| n.end)
                    };
                    self.push(YNode {
                        start,
                        end,
                        kind: YKind::Seq(items),
                        flow,
                        anchor,
                    });
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map(start, items, flow, anchor)) = self.stack.pop() {
                    let end = if flow {
                        self.text[at.saturating_sub(1)..]
                            .find('}')
                            .map_or(at, |i| at.saturating_sub(1) + i + 1)
                    } else {
                        items.last().map_or(at, |n| n.end)
                    };
                    let mut pairs = Vec::new();
                    let mut it = items.into_iter();
                    while let (Some(k), Some(v)) = (it.next(), it.next()) {
                        pairs.push((k, v));
                    }
                    self.push(YNode {
                        start,
                        end,
                        kind: YKind::Map(pairs),
                        flow,
                        anchor,
                    });
                }
            }
            _ => {}
        }
    }
}

/// The scalar values of a document, in order.
struct Values(Vec<String>);

impl MarkedEventReceiver for Values {
    fn on_event(&mut self, ev: Event, _: Marker) {
        if let Event::Scalar(v, ..) = ev {
            self.0.push(v);
        }
    }
}

/// Parses a document into its position tree (byte offsets). Errors carry a byte offset.
pub fn parse(text: &str) -> Result<Option<YNode>, (usize, String)> {
    if text.is_ascii() {
        return parse_ascii(text);
    }
    // Character index → byte offset.
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let to_byte = |i: usize| byte_of[i.min(byte_of.len() - 1)];
    let mut values = Values(Vec::new());
    if let Err(e) = Parser::new_from_str(text).load(&mut values, false) {
        // The line of a mark is exact; its column is read as characters.
        let m = e.marker();
        let lines = crate::error::LineIndex::new(text);
        let ls = lines.start(m.line().saturating_sub(1));
        let le = lines.end(text, m.line().saturating_sub(1));
        let off = text[ls..le]
            .char_indices()
            .nth(m.col())
            .map_or(le, |(i, _)| ls + i);
        return Err((off, e.info().to_string()));
    }
    let ascii: String = text
        .chars()
        .map(|c| if c.is_ascii() { c } else { 'x' })
        .collect();
    let mut tree = parse_ascii(&ascii).map_err(|(off, msg)| (to_byte(off), msg))?;
    if let Some(t) = &mut tree {
        t.remap(&to_byte, &mut values.0.into_iter());
    }
    Ok(tree)
}

fn parse_ascii(text: &str) -> Result<Option<YNode>, (usize, String)> {
    let mut b = Builder {
        text,
        stack: Vec::new(),
        root: None,
    };
    let mut p = Parser::new_from_str(text);
    p.load(&mut b, false)
        .map_err(|e| (e.marker().index().min(text.len()), e.info().to_string()))?;
    Ok(b.root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_of_block_and_flow_lists() {
        let t = "credentials:\n  - name: bot # c\n    scopes: [sp:scopes:all, \"idn:x:read\"]\n    paths:\n      - sync/**\n      - 'a b'\n";
        let root = parse(t).unwrap().unwrap();
        let c = root.get("credentials").unwrap().at(0).unwrap();
        let name = c.get("name").unwrap();
        assert_eq!(&t[name.start..name.end], "bot");
        let scopes = c.get("scopes").unwrap();
        assert!(scopes.flow);
        assert_eq!(
            &t[scopes.start..scopes.end],
            "[sp:scopes:all, \"idn:x:read\"]"
        );
        assert_eq!(
            &t[scopes.items()[1].start..scopes.items()[1].end],
            "\"idn:x:read\""
        );
        let paths = c.get("paths").unwrap();
        assert!(!paths.flow);
        assert_eq!(&t[paths.items()[1].start..paths.items()[1].end], "'a b'");
    }

    #[test]
    fn byte_offsets_after_non_ascii_text() {
        let t = "# café ☕\ncredentials:\n  - name: \"é\" # naïve\n    scopes: [sp:scopes:all, idn:x:read]\n    paths: [réseau/**]\n";
        let root = parse(t).unwrap().unwrap();
        let c = root.get("credentials").unwrap().at(0).unwrap();
        let name = c.get("name").unwrap();
        assert_eq!(&t[name.start..name.end], "\"é\"");
        assert_eq!(name.scalar(), Some("é"));
        let scopes = c.get("scopes").unwrap();
        assert_eq!(&t[scopes.start..scopes.end], "[sp:scopes:all, idn:x:read]");
        let p = c.get("paths").unwrap().at(0).unwrap();
        assert_eq!(&t[p.start..p.end], "réseau/**");
        assert_eq!(p.scalar(), Some("réseau/**"));
    }

    #[test]
    fn anchors_and_aliases_are_marked() {
        let t = "all: &all [sp:scopes:all]\ncredentials:\n  - name: a\n    scopes: *all\n";
        let root = parse(t).unwrap().unwrap();
        assert!(root.get("all").unwrap().anchor);
        let s = root
            .get("credentials")
            .unwrap()
            .at(0)
            .unwrap()
            .get("scopes")
            .unwrap();
        assert_eq!(s.kind, YKind::Alias);
        assert_eq!(&t[s.start..s.end], "*all");
        assert!(root.shared().is_some());
    }

    #[test]
    fn errors_have_offsets() {
        let (off, msg) = parse("a: [1, 2\nb: c\n").unwrap_err();
        assert!(off > 0 && !msg.is_empty());
    }
}
