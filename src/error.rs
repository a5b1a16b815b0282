//! Diagnostics for bad input. Every input error ends the run with exit code 2 and, where the
//! input has a place (a spec line, a manifest key, a stdin line), points at it.

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// An error at a place in some input text.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
pub struct SourceError {
    pub message: String,
    #[source_code]
    pub src: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

impl SourceError {
    pub fn new(
        name: impl AsRef<str>,
        text: impl Into<String>,
        span: impl Into<SourceSpan>,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> SourceError {
        SourceError {
            message: message.into(),
            src: NamedSource::new(name, text.into()),
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
