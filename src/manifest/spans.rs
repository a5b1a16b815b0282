//! Where each node of a YAML document is: a position tree built from `yaml-rust2`'s marked
//! events (serde_yaml, which gives the typed structs, has no spans). Used to point
//! diagnostics at the exact entry and to rewrite values in place.

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
}

enum Frame {
    Seq(usize, Vec<YNode>, bool),
    Map(usize, Vec<YNode>, bool),
}

struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    root: Option<YNode>,
}

impl Builder<'_> {
    fn push(&mut self, node: YNode) {
        match self.stack.last_mut() {
            Some(Frame::Seq(_, v, _)) | Some(Frame::Map(_, v, _)) => v.push(node),
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

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = mark.index().min(self.text.len());
        match ev {
            Event::Scalar(v, style, _, _) => {
                let end = self.scalar_end(at, &v, style);
                self.push(YNode {
                    start: at,
                    end,
                    kind: YKind::Scalar(v),
                    flow: false,
                });
            }
            Event::Alias(_) => self.push(YNode {
                start: at,
                end: at + 1,
                kind: YKind::Alias,
                flow: false,
            }),
            Event::SequenceStart(..) => {
                let flow = self.text[at..].starts_with('[');
                self.stack.push(Frame::Seq(at, Vec::new(), flow));
            }
            Event::MappingStart(..) => {
                let flow = self.text[at..].starts_with('{');
                self.stack.push(Frame::Map(at, Vec::new(), flow));
            }
            Event::SequenceEnd => {
                if let Some(Frame::Seq(start, items, flow)) = self.stack.pop() {
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
                    });
                }
            }
            Event::MappingEnd => {
                if let Some(Frame::Map(start, items, flow)) = self.stack.pop() {
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
                    });
                }
            }
            _ => {}
        }
    }
}

/// Parses a document into its position tree. Errors carry a byte offset.
pub fn parse(text: &str) -> Result<Option<YNode>, (usize, String)> {
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
    fn errors_have_offsets() {
        let (off, msg) = parse("a: [1, 2\nb: c\n").unwrap_err();
        assert!(off > 0 && !msg.is_empty());
    }
}
