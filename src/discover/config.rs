//! Configuration files as project constants: `.env` (`KEY=value`), YAML (`key: value`, CI
//! `env:` maps), JSON (`"key": "value"`), Java `.properties`. Values become `env:KEY` and
//! `KEY` constants, so `os.environ["ISC_BASE_URL"]` and `config.base_url` resolve.

use super::eval::Project;
use super::value::Value;
use super::{FileKind, SourceFile};

/// The constants a configuration file gives the project (see [`add_to`]): `env:KEY` and
/// `KEY` for each useful pair, in the order of the file (none for other files).
pub fn constants(f: &SourceFile) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    collect(f, &mut out);
    out
}

/// Adds constants found by [`constants`] to the project.
pub fn add_to(project: &mut Project, constants: &[(String, Value)]) {
    for (k, v) in constants {
        project.add(k, v);
    }
}

fn collect(f: &SourceFile, project: &mut Vec<(String, Value)>) {
    let name = f
        .rel
        .rsplit('/')
        .next()
        .unwrap_or(&f.rel)
        .to_ascii_lowercase();
    let dotenv = name == ".env" || name.starts_with(".env.") || name.ends_with(".env");
    let props = name.ends_with(".properties");
    if dotenv || props {
        for line in f.text.lines() {
            let l = line.trim().trim_start_matches("export ");
            if l.starts_with('#') || l.starts_with('!') {
                continue;
            }
            if let Some((k, v)) = l.split_once('=') {
                add(project, k.trim(), unquote(v.trim()));
            }
        }
        return;
    }
    match f.kind {
        FileKind::Yaml => {
            for line in f.text.lines() {
                let l = line.trim().trim_start_matches("- ");
                if l.starts_with('#') {
                    continue;
                }
                if let Some((k, v)) = l.split_once(':') {
                    let k = k.trim().trim_matches(['"', '\'']);
                    let v = v.trim();
                    if !k.is_empty()
                        && !k.contains(' ')
                        && !v.is_empty()
                        && !v.starts_with(['|', '>', '{', '[', '&', '*'])
                    {
                        add(project, k, unquote(v));
                    }
                }
                // `KEY=value` items in lists (`env: [A=b]`, Dockerfile-like).
                if let Some((k, v)) = l.split_once('=') {
                    let k = k.trim();
                    if k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !k.is_empty() {
                        add(project, k, unquote(v.trim()));
                    }
                }
            }
        }
        FileKind::Json => {
            // Flat string pairs only; nested objects add their leaf keys.
            let re = json_pair();
            for cap in re.captures_iter(&f.text) {
                add(project, &cap[1], cap[2].to_string());
            }
        }
        _ => {}
    }
}

fn json_pair() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(r#""([A-Za-z_][A-Za-z0-9_.\-]*)"\s*:\s*"([^"\\]{1,300})""#)
            .expect("valid regex")
    })
}

fn unquote(v: &str) -> String {
    let v = v.split(" #").next().unwrap_or(v).trim();
    v.trim_matches(['"', '\'']).to_string()
}

fn add(project: &mut Vec<(String, Value)>, key: &str, value: String) {
    if key.is_empty() || value.is_empty() || value.len() > 300 || value.contains("${{") {
        return;
    }
    // Only values that could be part of an endpoint: URLs, hosts, paths, versions.
    let useful = value.contains("://")
        || value.contains('/')
        || value.contains('.')
        || value.starts_with('v') && value.len() <= 6;
    if !useful {
        return;
    }
    let v = Value::lit(value);
    project.push((format!("env:{key}"), v.clone()));
    project.push((key.to_string(), v));
}
