//! The layers of call discovery, bottom to top: the one place that says which module is whose.
//!
//! A module uses modules of its own layer or below, never above, and the modules of one layer
//! use each other without cycles (the parts of a directory module may use its `mod.rs`: a
//! module's use of its own ancestors is not a cycle). Where a lower layer needs something only
//! a higher one knows, it takes it as a parameter or keeps it without its type (the per-file
//! `Code::derived` slot holds the assignments the values layer finds). `tests/it/layers.rs`
//! checks every file under `src/discover` against this table, and a new file must be listed.
//!
//! A newcomer adding an idiom for one language touches that language's front-end (a file of
//! the front-ends layer) and nothing below it; DEVELOPERS.md lists what each file is for.

/// (layer, modules) from the bottom up: a module is its path under `src/discover` without
/// `.rs` (`eval` for `eval/mod.rs`, `discover` for the stage's own `mod.rs`); `dir/*` names
/// every module under `dir`.
pub const LAYERS: &[(&str, &[&str])] = &[
    (
        "leaf utilities",
        &["budget", "call", "par", "prefilter", "layers"],
    ),
    ("lexing", &["text", "lex"]),
    ("code structure", &["code", "syntax", "guard", "anchor"]),
    ("values and evaluation", &["value", "eval", "eval/*"]),
    (
        "front-ends",
        &[
            "frontend",
            "http",
            "http/*",
            "sdk",
            "sdk/*",
            "cli",
            "formats",
            "formats/*",
            "lang",
        ],
    ),
    (
        "resolve",
        &["discover", "owners", "taught", "config", "walk"],
    ),
];
