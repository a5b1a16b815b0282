//! The manifest's `rules:` settings: per rule a severity or `off`/`on`, and `per_path`
//! overrides by glob (like ruff's `per-file-ignores`), applied in file order.
//!
//! ```yaml
//! rules:
//!   sunset-version: info          # error | warning | info | off | on (the rule's default)
//!   hardcoded-secret: error
//!   per_path:
//!     "tests/**": { hardcoded-secret: off }
//!     "legacy/**": { legacy-endpoint: info, sunset-version: off }
//! ```
//!
//! The values are kept as written (in order, with their YAML type) and checked by
//! [`super::validate`], so a bad rule id or value is an error at its line with a suggestion.

use crate::rules::{self, Finding, Location, Severity};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::borrow::Cow;

/// The key of the per-path overrides inside `rules:`.
pub const PER_PATH: &str = "per_path";

/// The words a setting may be.
pub const VALUES: [&str; 5] = ["error", "warning", "info", "off", "on"];

/// A setting as written: a word, or a YAML boolean (`false` is `off`, `true` is `on`).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum RawSetting {
    Bool(bool),
    Word(String),
}

/// What a setting does to a rule's findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    /// The rule reports nothing.
    Off,
    /// The rule reports at its default severity.
    On,
    /// The rule reports at this severity.
    Severity(Severity),
}

impl RawSetting {
    /// The setting, or `None` for a word that is not one of [`VALUES`].
    pub fn parse(&self) -> Option<Setting> {
        Some(match self {
            RawSetting::Bool(false) => Setting::Off,
            RawSetting::Bool(true) => Setting::On,
            RawSetting::Word(w) => match w.trim().to_ascii_lowercase().as_str() {
                "off" | "false" | "disabled" => Setting::Off,
                "on" | "true" | "enabled" => Setting::On,
                "error" => Setting::Severity(Severity::Error),
                "warning" | "warn" => Setting::Severity(Severity::Warning),
                "info" | "note" => Setting::Severity(Severity::Info),
                _ => return None,
            },
        })
    }

    pub fn text(&self) -> String {
        match self {
            RawSetting::Bool(b) => b.to_string(),
            RawSetting::Word(w) => w.clone(),
        }
    }
}

/// `rules:` as written, in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleSettings {
    /// (rule id, setting) for the whole project.
    pub rules: Vec<(String, RawSetting)>,
    /// (glob, [(rule id, setting)]): for findings in files the glob matches (relative to the
    /// manifest's folder); later entries override earlier ones.
    pub per_path: Vec<(String, Vec<(String, RawSetting)>)>,
}

impl RuleSettings {
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty() && self.per_path.is_empty()
    }
}

/// A map of rule id → setting, in order (serde_yaml keeps positions in its errors).
struct RuleMap(Vec<(String, RawSetting)>);

impl<'de> Deserialize<'de> for RuleMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RuleMap;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of rule id to error, warning, info, off or on")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<RuleMap, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    out.push((k, m.next_value::<RawSetting>()?));
                }
                Ok(RuleMap(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// `per_path`: glob → rule map, in order.
struct PerPath(Vec<(String, Vec<(String, RawSetting)>)>);

impl<'de> Deserialize<'de> for PerPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PerPath;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of path glob to a map of rule id to setting")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<PerPath, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    out.push((k, m.next_value::<RuleMap>()?.0));
                }
                Ok(PerPath(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for RuleSettings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RuleSettings;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of rule id to error, warning, info, off or on (and `per_path`)")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<RuleSettings, A::Error> {
                let mut out = RuleSettings::default();
                let mut seen_per_path = false;
                while let Some(k) = m.next_key::<String>()? {
                    if k == PER_PATH {
                        if seen_per_path {
                            return Err(de::Error::custom("duplicate key `per_path`"));
                        }
                        seen_per_path = true;
                        out.per_path = m.next_value::<PerPath>()?.0;
                    } else {
                        out.rules.push((k, m.next_value::<RawSetting>()?));
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

impl JsonSchema for RuleSettings {
    fn schema_name() -> Cow<'static, str> {
        "RuleSettings".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let setting = serde_json::json!({
            "description": "error, warning or info: report at this severity; off: report nothing; on: the rule's default severity",
            "enum": ["error", "warning", "info", "off", "on", true, false],
        });
        let mut props = serde_json::Map::new();
        for r in rules::all() {
            let mut s = setting.clone();
            s["description"] = format!(
                "{} (default: {}). error | warning | info | off | on",
                r.meta.title,
                r.meta.severity.as_str()
            )
            .into();
            props.insert(r.meta.id.clone(), s);
        }
        let rule_map = serde_json::json!({
            "type": "object",
            "properties": props.clone(),
            "additionalProperties": false,
        });
        props.insert(
            PER_PATH.into(),
            serde_json::json!({
                "description": "Overrides for findings in files a glob matches (relative to the manifest's folder), like ruff's per-file-ignores; later entries override earlier ones.",
                "type": "object",
                "additionalProperties": rule_map,
            }),
        );
        json_schema!({
            "description": "Per-rule settings: a severity (error, warning, info), off or on.",
            "type": "object",
            "properties": props,
            "additionalProperties": false,
        })
    }
}

/// The settings compiled for applying to findings.
pub struct Compiled {
    global: Vec<(String, Setting)>,
    globs: Vec<globset::GlobMatcher>,
    per_path: Vec<Vec<(String, Setting)>>,
    /// The manifest's own file name (what `per_path` globs match for findings on grants).
    manifest_file: String,
}

impl Compiled {
    /// From validated settings (a value or glob that does not parse is skipped).
    pub fn new(s: &RuleSettings, manifest_file: &str) -> Compiled {
        let parse = |m: &[(String, RawSetting)]| -> Vec<(String, Setting)> {
            m.iter()
                .filter_map(|(id, v)| v.parse().map(|s| (id.clone(), s)))
                .collect()
        };
        let mut globs = Vec::new();
        let mut per_path = Vec::new();
        for (g, m) in &s.per_path {
            if let Ok(g) = globset::Glob::new(g) {
                globs.push(g.compile_matcher());
                per_path.push(parse(m));
            }
        }
        Compiled {
            global: parse(&s.rules),
            globs,
            per_path,
            manifest_file: manifest_file.to_string(),
        }
    }

    /// Applies the settings to a finding (`rel` turns a code file into a path relative to the
    /// manifest's folder): its new severity, or `None` when its rule is off there.
    pub fn apply(&self, f: &Finding, rel: impl Fn(&str) -> String) -> Option<Severity> {
        let default = rules::get(&f.rule).map_or(f.severity, |r| r.meta.severity);
        let mut sev = Some(f.severity);
        let mut set = |s: Setting| {
            sev = match s {
                Setting::Off => None,
                Setting::On => Some(default),
                Setting::Severity(x) => Some(x),
            }
        };
        for (id, s) in &self.global {
            if *id == f.rule {
                set(*s);
            }
        }
        if !self.globs.is_empty() {
            let path = match &f.location {
                Location::Code { file, .. } => Some(rel(file)),
                Location::Manifest { .. } => Some(self.manifest_file.clone()),
                Location::Project => None,
            };
            if let Some(p) = path {
                for (g, m) in self.globs.iter().zip(&self.per_path) {
                    if g.is_match(&p) {
                        for (id, s) in m {
                            if *id == f.rule {
                                set(*s);
                            }
                        }
                    }
                }
            }
        }
        sev
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(y: &str) -> RuleSettings {
        serde_yaml::from_str(y).unwrap()
    }

    #[test]
    fn reads_settings_in_order() {
        let s = parse(
            "sunset-version: info\nhardcoded-secret: error\nunused-scope: false\nper_path:\n  \"tests/**\": {hardcoded-secret: off}\n  \"a/**\": {sunset-version: on}\n",
        );
        assert_eq!(s.rules.len(), 3);
        assert_eq!(s.rules[2], ("unused-scope".into(), RawSetting::Bool(false)));
        assert_eq!(s.per_path[0].0, "tests/**");
        assert_eq!(s.per_path[1].1[0].1.parse(), Some(Setting::On));
        assert_eq!(RawSetting::Word("bogus".into()).parse(), None);
    }

    #[test]
    fn later_per_path_entries_override_earlier_ones() {
        let s = parse(
            "sunset-version: info\nper_path:\n  \"legacy/**\": {sunset-version: off}\n  \"legacy/keep/**\": {sunset-version: error}\n",
        );
        let c = Compiled::new(&s, "isc-scope-lint.yaml");
        let at = |file: &str| {
            let mut f = Finding::new(
                "sunset-version",
                Location::Code {
                    file: file.into(),
                    line: 1,
                    column: 1,
                },
                "m",
                "s",
            );
            f.severity = Severity::Warning;
            c.apply(&f, |p| p.to_string())
        };
        assert_eq!(at("src/a.py"), Some(Severity::Info));
        assert_eq!(at("legacy/a.py"), None);
        assert_eq!(at("legacy/keep/a.py"), Some(Severity::Error));
        // Another rule is untouched.
        let f = Finding::new("broad-scope", Location::Project, "m", "s");
        assert_eq!(c.apply(&f, |p| p.to_string()), Some(f.severity));
    }
}
