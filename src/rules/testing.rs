//! Small scenarios for rule tests: a manifest, a few calls, and a rendering of findings that
//! reads well in a snapshot.

use super::{Context, Finding, Location, context};
use crate::catalog::{Catalog, Method};
use crate::discover::{FoundCall, RawCall, SourceFile, Target, Via, resolve};
use crate::manifest::{self, Loaded, Resolved};
use crate::solver::{Semantics, Solver};
use std::collections::{BTreeMap, HashMap};

pub struct Scenario {
    pub loaded: Option<Loaded>,
    pub calls: Vec<FoundCall>,
    pub sources: BTreeMap<String, String>,
    pub semantics: Semantics,
}

impl Scenario {
    /// `calls`: (file, line, "METHOD url-or-path"); a method `?` makes the method unknown.
    pub fn new(manifest_yaml: Option<&str>, calls: &[(&str, usize, &str)]) -> Scenario {
        let cat = Catalog::embedded();
        let loaded = manifest_yaml.map(|t| {
            let path = std::env::temp_dir().join(format!(
                "isc-scope-lint-rule-test-{}.yaml",
                crate::rules::fnv1a(t.as_bytes())
            ));
            std::fs::write(&path, t).expect("write the test manifest");
            let l =
                manifest::load(&path, "isc-scope-lint.yaml".into()).expect("valid test manifest");
            let _ = std::fs::remove_file(&path);
            l
        });
        let mut by_file: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
        for &(f, line, call) in calls {
            by_file.entry(f).or_default().push((line, call));
        }
        let mut found = Vec::new();
        let mut sources = BTreeMap::new();
        for (f, list) in by_file {
            let max = list.iter().map(|x| x.0).max().unwrap_or(1);
            let text: String = (1..=max + 1).map(|n| format!("line {n}\n")).collect();
            let file = SourceFile {
                rel: f.to_string(),
                kind: crate::discover::FileKind::Python,
                text: text.clone(),
            };
            let raws: Vec<RawCall> = list
                .iter()
                .map(|&(line, call)| {
                    let (m, url) = call.split_once(' ').expect("METHOD url");
                    let offset: usize = text.lines().take(line - 1).map(|l| l.len() + 1).sum();
                    let via = if url.contains("/oauth/token") {
                        Via::Auth
                    } else {
                        Via::Http
                    };
                    RawCall::new(offset, Method::parse(m), Target::Url(url.to_string()), via)
                })
                .collect();
            found.extend(resolve(cat, &file, raws));
            sources.insert(f.to_string(), text);
        }
        crate::discover::sort_calls(&mut found);
        Scenario {
            loaded,
            calls: found,
            sources,
            semantics: Semantics::AnyOf,
        }
    }

    /// Replaces a file's text (for rules that read sources).
    pub fn source(mut self, file: &str, text: &str) -> Scenario {
        self.sources.insert(file.to_string(), text.to_string());
        self
    }

    /// Runs one rule's check and renders its findings.
    pub fn run(&self, check: fn(&Context) -> Vec<Finding>) -> String {
        let cat = Catalog::embedded();
        let files: Vec<String> = self.sources.keys().cloned().collect();
        let probe = Solver::new(cat);
        let resolved = match &self.loaded {
            Some(l) => {
                let ids = super::ids();
                manifest::validate(
                    l,
                    &manifest::Checks {
                        catalog: cat,
                        levels: &probe.levels,
                        rules: &ids,
                        files: &files,
                    },
                )
                .expect("valid test manifest")
            }
            None => Resolved::default(),
        };
        let overrides: HashMap<usize, Vec<String>> = resolved.assume.iter().cloned().collect();
        let solver = Solver::with_overrides(cat, &overrides);
        let cx = context::build(
            cat,
            &solver,
            self.semantics,
            &self.calls,
            self.loaded.as_ref(),
            &resolved,
            &self.sources,
            "",
        );
        render(&cx, &check(&cx))
    }
}

/// One line per finding.
pub fn render(cx: &Context, findings: &[Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        let loc = match &f.location {
            Location::Code { file, line, column } => format!("{file}:{line}:{column}"),
            Location::Manifest { offset, length } => {
                let text = cx
                    .manifest
                    .map(|m| &m.text[*offset..(*offset + *length).min(m.text.len())])
                    .unwrap_or("");
                let (line, _) = cx.manifest.map_or((0, 0), |m| m.line_col(*offset));
                format!("manifest:{line} `{text}`")
            }
            Location::Project => "project".into(),
        };
        s.push_str(&format!(
            "[{} {}] {loc}: {}",
            f.severity.as_str(),
            f.rule,
            f.message
        ));
        if let Some(c) = &f.credential {
            s.push_str(&format!(" (credential {c})"));
        }
        if let Some(h) = &f.help {
            s.push_str(&format!("\n    help: {h}"));
        }
        s.push('\n');
    }
    if s.is_empty() {
        s.push_str("(no findings)\n");
    }
    s
}
