//! Diagnostics for bad input. Every input error ends the run with exit code 2 and, where the
//! input has a place (a spec line, a manifest key, a stdin line), points at it.

use miette::{Diagnostic, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use thiserror::Error;

/// An error at a place in some input text.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
pub struct SourceError {
    pub message: String,
    /// The lines around the place (long lines cut to a window around it).
    #[source_code]
    pub src: Excerpt,
    /// The place, in the excerpt's coordinates.
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl SourceError {
    /// An error at `span` (byte offset and length) of `text`. Only an excerpt of the text is
    /// kept. With many errors on one text, [`SourceError::indexed`] avoids finding the line
    /// anew each time.
    pub fn new(
        name: impl AsRef<str>,
        text: impl AsRef<str>,
        span: impl Into<SourceSpan>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> SourceError {
        let text = text.as_ref();
        SourceError::indexed(name, text, &LineIndex::new(text), span, message, label)
    }

    /// [`SourceError::new`] with the text's line index.
    pub fn indexed(
        name: impl AsRef<str>,
        text: &str,
        lines: &LineIndex,
        span: impl Into<SourceSpan>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> SourceError {
        let span: SourceSpan = span.into();
        let (src, span) = Excerpt::new(name.as_ref(), text, lines, (span.offset(), span.len()));
        SourceError {
            message: message.into(),
            src,
            span: span.into(),
            label: label.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> SourceError {
        self.help = Some(help.into());
        self
    }
}

/// Line starts of a text: byte offset → line and column in O(log lines).
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// Number of lines (a text without a newline has one).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// Byte offset where 0-based line `l` starts.
    pub fn start(&self, l: usize) -> usize {
        self.starts[l.min(self.starts.len() - 1)]
    }

    /// Byte offset where 0-based line `l` ends (before its `\n`, and before a `\r` there).
    pub fn end(&self, text: &str, l: usize) -> usize {
        let e = match self.starts.get(l + 1) {
            Some(&next) => next - 1,
            None => text.len(),
        };
        let s = self.start(l);
        if e > s && text.as_bytes()[e - 1] == b'\r' {
            e - 1
        } else {
            e
        }
    }

    /// Byte offset → 1-based line and column (columns count characters).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char(text, offset.min(text.len()));
        let l = self.line_of(offset);
        let seg = &text[self.start(l)..offset];
        let col = if seg.is_ascii() {
            seg.len()
        } else {
            seg.chars().count()
        };
        (l + 1, col + 1)
    }

    /// Byte offset of a 1-based line and column (columns counted in bytes, as serde reports
    /// them), clamped to the text.
    pub fn offset_of(&self, text: &str, line: usize, column: usize) -> usize {
        if line == 0 || line > self.starts.len() {
            return text.len();
        }
        (self.starts[line - 1] + column.saturating_sub(1)).min(text.len())
    }
}

/// The largest char boundary at or before `i`.
pub fn floor_char(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The smallest char boundary at or after `i`.
pub fn ceil_char(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Characters of a long line shown in an excerpt; longer lines are cut to a window around the
/// place (marked `…`), so any line renders, however long (a minified bundle, a one-line
/// manifest), and in time proportional to the window.
pub const EXCERPT_LINE_CHARS: usize = 160;
/// Characters of a long line shown before the place.
const EXCERPT_BEFORE_CHARS: usize = 60;
/// Lines of a span shown at most (a span over more lines is cut at the end).
const EXCERPT_SPAN_LINES: usize = 12;
/// Lines shown around the span.
const EXCERPT_CONTEXT_LINES: usize = 1;

/// What a diagnostic shows of a source: the lines around one place, each long line cut to a
/// window, with the true line and column numbers. Implements miette's [`SourceCode`] over its
/// own (short) text; spans given to miette are in the excerpt's coordinates (see
/// [`Excerpt::new`]).
#[derive(Clone, Debug)]
pub struct Excerpt {
    name: String,
    data: String,
    /// 0-based line of the first line of `data`.
    first_line: usize,
    /// 0-based line and column (characters) of the place in the original text.
    label_line: usize,
    label_column: usize,
}

impl Excerpt {
    /// The excerpt of `text` around `span` (byte offset and length; clamped to the text) and the
    /// span in the excerpt's coordinates.
    pub fn new(
        name: &str,
        text: &str,
        lines: &LineIndex,
        span: (usize, usize),
    ) -> (Excerpt, (usize, usize)) {
        let off = floor_char(text, span.0);
        let mut end = ceil_char(text, off.saturating_add(span.1));
        let l0 = lines.line_of(off);
        let mut l1 = lines.line_of(end.saturating_sub(1).max(off));
        if l1 > l0 + EXCERPT_SPAN_LINES {
            l1 = l0 + EXCERPT_SPAN_LINES;
            end = lines.end(text, l1);
        }
        let first = l0.saturating_sub(EXCERPT_CONTEXT_LINES);
        let last = (l1 + EXCERPT_CONTEXT_LINES).min(lines.len() - 1);
        let mut data = String::new();
        let (mut s_in, mut e_in) = (0, 0);
        for l in first..=last {
            let (ls, le) = (lines.start(l), lines.end(text, l));
            let anchor = if l == l0 { off.clamp(ls, le) } else { ls };
            let (ws, we) = window(text, ls, le, anchor);
            if ws > ls {
                data.push('…');
            }
            let base = data.len();
            data.push_str(&text[ws..we]);
            if l == l0 {
                s_in = base + off.clamp(ws, we) - ws;
            }
            if l == l1 {
                e_in = base + end.clamp(ws, we) - ws;
            }
            if we < le {
                data.push('…');
            }
            if l < last {
                data.push('\n');
            }
        }
        let label_column = {
            let seg = &text[lines.start(l0)..off.max(lines.start(l0))];
            if seg.is_ascii() {
                seg.len()
            } else {
                seg.chars().count()
            }
        };
        let e_in = e_in.max(s_in);
        (
            Excerpt {
                name: name.to_string(),
                data,
                first_line: first,
                label_line: l0,
                label_column,
            },
            (s_in, e_in - s_in),
        )
    }

    /// The text shown (for tests).
    pub fn text(&self) -> &str {
        &self.data
    }
}

/// The part of line `[ls, le)` shown: all of it when short, else a window of
/// [`EXCERPT_LINE_CHARS`] characters starting a little before `anchor`.
fn window(text: &str, ls: usize, le: usize, anchor: usize) -> (usize, usize) {
    let line = &text[ls..le];
    if line.len() <= EXCERPT_LINE_CHARS {
        return (ls, le);
    }
    let ws = text[ls..anchor]
        .char_indices()
        .rev()
        .nth(EXCERPT_BEFORE_CHARS - 1)
        .map_or(ls, |(i, _)| ls + i);
    let we = text[ws..le]
        .char_indices()
        .nth(EXCERPT_LINE_CHARS)
        .map_or(le, |(i, _)| ws + i);
    (ws, we)
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let lines = self.data.matches('\n').count() + 1;
        if span.offset() + span.len() > self.data.len() {
            return Err(MietteError::OutOfBounds);
        }
        if context_lines_before == 0 && context_lines_after == 0 {
            // Where the place is (the header's `file:line:column`).
            let (s, e) = (span.offset(), span.offset() + span.len());
            return Ok(Box::new(MietteSpanContents::new_named(
                self.name.clone(),
                &self.data.as_bytes()[s..e],
                *span,
                self.label_line,
                self.label_column,
                1,
            )));
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            self.data.as_bytes(),
            (0, self.data.len()).into(),
            self.first_line,
            0,
            lines,
        )))
    }
}

/// An error without a place in a text (a missing file, a bad argument).
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
pub struct PlainError {
    pub message: String,
    #[help]
    pub help: Option<String>,
}

impl PlainError {
    pub fn new(message: impl Into<String>) -> PlainError {
        PlainError {
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> PlainError {
        self.help = Some(help.into());
        self
    }
}

/// Byte offset of a 1-based line and column in `text`.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return (off + column.saturating_sub(1)).min(text.len());
        }
        off += l.len();
    }
    text.len()
}

/// A span covering the (rest of the) line that starts at `offset`, at least one byte wide
/// where the text allows.
pub fn line_span(text: &str, offset: usize) -> SourceSpan {
    let mut offset = offset.min(text.len());
    // At the end of the text: the last line with something on it.
    if text[offset..].trim().is_empty() {
        let body = text[..offset].trim_end();
        offset = body.rfind('\n').map_or(0, |i| i + 1);
    }
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    (
        offset,
        end.saturating_sub(offset)
            .max(usize::from(offset < text.len())),
    )
        .into()
}

/// Diagnostics render the same everywhere (Unicode, no links, 100 columns when not on a
/// terminal), with colour only on a terminal and without `NO_COLOR`: CI logs and snapshot
/// tests stay stable.
pub fn install_hook() {
    use std::io::IsTerminal;
    let tty = std::io::stderr().is_terminal();
    let color = tty && std::env::var_os("NO_COLOR").is_none();
    miette::set_hook(Box::new(move |_| {
        let mut opts = miette::MietteHandlerOpts::new()
            .terminal_links(false)
            .unicode(true)
            .force_graphical(true)
            .color(color);
        if !tty {
            opts = opts.width(100);
        }
        if !color {
            opts = opts.graphical_theme(miette::GraphicalTheme::unicode_nocolor());
        }
        Box::new(opts.build())
    }))
    .ok();
}
