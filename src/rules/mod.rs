//! The rules stage: each rule reads the [`Context`] (credentials, their calls and minimal
//! grants, the catalog) and returns [`Finding`]s. A rule is its metadata in
//! `rules/<id>.yaml` (id, title, severity, rationale, fix) and its check in
//! `src/rules/<id>.rs` with its own snapshot test; `build.rs` generates the registry from
//! the metadata files, so adding a rule touches one data file and one source file.

pub mod context;
pub mod engine;
#[cfg(test)]
pub mod testing;

pub use context::{Context, CredView};

use serde::{Deserialize, Serialize};

/// The generated registry; rule modules live here and see the rules API as `super::`.
mod registry {
    #[allow(unused_imports)]
    pub use super::{Context, CredView, Finding, Location, Severity, context, fnv1a};
    /// A rule's check.
    pub type Check = fn(&Context) -> Vec<Finding>;
    include!(concat!(env!("OUT_DIR"), "/rules_registry.rs"));
}

/// Finding and masking secrets, for every output that shows source text.
pub use registry::hardcoded_secret;

/// How serious a finding is.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A rule's documentation, from `rules/<id>.yaml`.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Why it matters.
    pub rationale: String,
    /// How to fix it.
    pub fix: String,
}

/// A registered rule.
pub struct Rule {
    pub meta: Meta,
    pub check: fn(&Context) -> Vec<Finding>,
}

/// Every rule, sorted by id.
pub fn all() -> &'static [Rule] {
    static ALL: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        registry::RULES
            .iter()
            .map(|(id, yaml, check)| {
                let meta: Meta = serde_yaml::from_str(yaml).unwrap_or_else(|e| {
                    panic!("rules/{id}.yaml is invalid (checked by tests): {e}")
                });
                Rule {
                    meta,
                    check: *check,
                }
            })
            .collect()
    })
}

/// The rule with this id.
pub fn get(id: &str) -> Option<&'static Rule> {
    all().iter().find(|r| r.meta.id == id)
}

/// Every rule id.
pub fn ids() -> Vec<&'static str> {
    all().iter().map(|r| r.meta.id.as_str()).collect()
}

/// Where a finding points.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Location {
    /// A span of the manifest (byte offset and length).
    Manifest { offset: usize, length: usize },
    /// A place in a source file.
    Code {
        file: String,
        line: usize,
        column: usize,
    },
    /// The project as a whole (no manifest, no call).
    Project,
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub location: Location,
    /// The credential concerned, if any.
    pub credential: Option<String>,
    /// The concrete fix for this finding (the rule's docs give the general one).
    pub help: Option<String>,
    /// What the finding is about, independent of its line (operation, scope, path...): with
    /// the rule, file and credential it makes the fingerprint that baselines use.
    pub subject: String,
}

impl Finding {
    /// A finding with the rule's default severity.
    pub fn new(
        rule: &str,
        location: Location,
        message: impl Into<String>,
        subject: impl Into<String>,
    ) -> Finding {
        let severity = get(rule).map_or(Severity::Warning, |r| r.meta.severity);
        Finding {
            rule: rule.to_string(),
            severity,
            message: message.into(),
            location,
            credential: None,
            help: None,
            subject: subject.into(),
        }
    }

    pub fn credential(mut self, name: &str) -> Finding {
        self.credential = Some(name.to_string());
        self
    }

    pub fn help(mut self, h: impl Into<String>) -> Finding {
        self.help = Some(h.into());
        self
    }

    /// A content fingerprint, stable when lines move.
    pub fn fingerprint(&self) -> String {
        let file = match &self.location {
            Location::Code { file, .. } => file.as_str(),
            Location::Manifest { .. } => "<manifest>",
            Location::Project => "<project>",
        };
        let key = format!(
            "{}\u{0}{}\u{0}{}\u{0}{}",
            self.rule,
            file,
            self.credential.as_deref().unwrap_or(""),
            self.subject
        );
        format!("{:016x}", fnv1a(key.as_bytes()))
    }
}

/// FNV-1a, 64 bits: a stable, dependency-free hash for fingerprints.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_has_valid_metadata_and_a_check() {
        let rules = all();
        assert!(rules.len() >= 20, "{} rules", rules.len());
        for (i, r) in rules.iter().enumerate() {
            let (id, _, _) = registry::RULES[i];
            assert_eq!(r.meta.id, id, "rules/{id}.yaml declares another id");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id} is not kebab-case"
            );
            assert!(
                !r.meta.title.is_empty() && !r.meta.rationale.is_empty() && !r.meta.fix.is_empty(),
                "{id}"
            );
        }
        let mut sorted = ids();
        sorted.sort();
        assert_eq!(sorted, ids());
    }

    #[test]
    fn fingerprints_ignore_lines() {
        let a = Finding::new(
            "sunset-version",
            Location::Code {
                file: "a.py".into(),
                line: 3,
                column: 1,
            },
            "m",
            "GET /v3/sources",
        );
        let mut b = a.clone();
        b.location = Location::Code {
            file: "a.py".into(),
            line: 30,
            column: 9,
        };
        assert_eq!(a.fingerprint(), b.fingerprint());
        b.subject = "GET /v3/accounts".into();
        assert_ne!(a.fingerprint(), b.fingerprint());
    }
}
