//! Version constraints of npm, PEP 440 / pip, Poetry and PowerShell, reduced to the one question
//! the SDK generation needs: are all allowed versions below 2.0.0 (1.x, versioned), all at or
//! above it (2.x, per-API), or both (no answer)?
//!
//! Only the major matters, so each comparator narrows an interval whose bounds are exact where
//! they matter for the 2.0.0 boundary (`^1.8` → `[1.8.0, 2.0.0)`, `~=2.1` → `[2.1.0, 3.0.0)`,
//! `1.x` → `[1.0.0, 2.0.0)`, npm `>1` → `>=2.0.0`, `<=1` → `<2.0.0`).

use super::index::Generation;

type Ver = (u64, u64, u64);

const TWO: Ver = (2, 0, 0);

/// A parsed version: the numeric parts given (up to 3) and whether a wildcard/partial form
/// (`1`, `1.4`, `1.*`, `1.x`) was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Parsed {
    ver: Ver,
    /// Numeric components written (0 for `*`/`x`).
    given: usize,
}

impl Parsed {
    fn partial(&self) -> bool {
        self.given < 3
    }

    /// The first version above every version the partial form matches (`1.4` → `1.5.0`).
    fn bump(&self) -> Option<Ver> {
        let (a, b, _) = self.ver;
        match self.given {
            0 => None,
            1 => Some((a + 1, 0, 0)),
            _ => Some((a, b + 1, 0)),
        }
    }
}

/// Parses `1`, `1.4.99`, `v2.1.5`, `1.4.*`, `1.x`, `2.0.0-beta.1`, `2.1.5.post1`, `1.7.100.0`.
fn parse_version(s: &str) -> Option<Parsed> {
    let s = s.trim();
    let s = s
        .strip_prefix('v')
        .or_else(|| s.strip_prefix('V'))
        .unwrap_or(s);
    if s.is_empty() {
        return None;
    }
    let mut parts = [0u64; 3];
    let mut given = 0;
    for (i, comp) in s.split('.').enumerate() {
        if matches!(comp, "*" | "x" | "X") {
            break;
        }
        let digits: &str = &comp[..comp.bytes().take_while(u8::is_ascii_digit).count()];
        if digits.is_empty() {
            if i == 0 {
                return None;
            }
            break;
        }
        if i < 3 {
            parts[i] = digits.parse().ok()?;
            given = i + 1;
        }
        if digits.len() != comp.len() {
            // Pre-release / local suffix: the numbers so far are the version.
            break;
        }
    }
    if given == 0 && !s.starts_with(['*', 'x', 'X']) {
        return None;
    }
    Some(Parsed {
        ver: (parts[0], parts[1], parts[2]),
        given,
    })
}

#[derive(Clone, Copy, Debug)]
struct Interval {
    /// Lower bound and whether it is included.
    lo: (Ver, bool),
    /// Upper bound and whether it is included; `None` = unbounded.
    hi: Option<(Ver, bool)>,
}

impl Interval {
    fn any() -> Interval {
        Interval {
            lo: ((0, 0, 0), true),
            hi: None,
        }
    }

    fn raise_lo(&mut self, v: Ver, incl: bool) {
        if v > self.lo.0 || (v == self.lo.0 && !incl) {
            self.lo = (v, incl);
        }
    }

    fn lower_hi(&mut self, v: Ver, incl: bool) {
        match self.hi {
            Some((h, hi_incl)) if v > h || (v == h && (incl || !hi_incl)) => {}
            _ => self.hi = Some((v, incl)),
        }
    }

    fn generation(&self) -> Option<Generation> {
        if let Some((h, incl)) = self.hi {
            if h < self.lo.0 || (h == self.lo.0 && !(incl && self.lo.1)) {
                return None; // empty
            }
            if h < TWO || (h == TWO && !incl) {
                return Some(Generation::Versioned);
            }
        }
        if self.lo.0 >= TWO {
            return Some(Generation::PerApi);
        }
        None
    }
}

/// The constraint language: npm reads a partial version after `>`/`<=` as its whole range
/// (`>1` = `>=2.0.0`), PEP 440 as the zero-filled version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// npm, yarn, pnpm; also Poetry (caret/tilde, `||`) and PowerShell maximum versions.
    Npm,
    /// pip / PEP 440 / Pipfile.
    Pep440,
}

/// The generation a version constraint pins, or `None` when it allows both (or cannot be
/// read): `^1.8.69`, `~1.4`, `<2`, `==1.4.99`, `1.x` → versioned; `>=2`, `~=2.1`, `^2` →
/// per-API; `*`, `latest`, `>=1.3`, `^1 || ^2`, URLs → `None`.
pub(crate) fn generation(spec: &str, dialect: Dialect) -> Option<Generation> {
    let spec = spec.trim();
    if spec.is_empty() {
        return None;
    }
    let mut answer: Option<Generation> = None;
    for alt in spec.split("||") {
        let g = alternative(alt, dialect)?;
        if answer.is_some_and(|a| a != g) {
            return None;
        }
        answer = Some(g);
    }
    answer
}

/// One `||` alternative: comparators joined by commas or whitespace, or a hyphen range.
fn alternative(alt: &str, dialect: Dialect) -> Option<Generation> {
    let alt = alt.trim();
    if let Some((a, b)) = alt.split_once(" - ") {
        let lo = parse_version(a)?;
        let hi = parse_version(b)?;
        let mut iv = Interval::any();
        iv.raise_lo(lo.ver, true);
        match hi.bump().filter(|_| hi.partial()) {
            Some(h) => iv.lower_hi(h, false),
            None if hi.given == 0 => {}
            None => iv.lower_hi(hi.ver, true),
        }
        return iv.generation();
    }
    let mut iv = Interval::any();
    let mut saw = false;
    for (op, ver) in comparators(alt)? {
        saw = true;
        apply(&mut iv, op, ver, dialect)?;
    }
    if !saw {
        return None;
    }
    iv.generation()
}

/// Splits `>= 1.2, <2` / `>=1.2 <2` / `~=2.1` into `(op, version)` pairs; `None` when some
/// token is not a version (a URL, a dist-tag, `workspace:*`).
fn comparators(s: &str) -> Option<Vec<(&str, &str)>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b',') {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let op_start = i;
        while i < b.len() && matches!(b[i], b'<' | b'>' | b'=' | b'!' | b'~' | b'^') {
            i += 1;
        }
        let op = &s[op_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let v_start = i;
        while i < b.len() && !(b[i].is_ascii_whitespace() || b[i] == b',') {
            i += 1;
        }
        let ver = &s[v_start..i];
        if ver.is_empty() {
            return None;
        }
        out.push((op, ver));
    }
    Some(out)
}

fn apply(iv: &mut Interval, op: &str, ver: &str, dialect: Dialect) -> Option<()> {
    let p = parse_version(ver)?;
    let v = p.ver;
    let next_major = (v.0 + 1, 0, 0);
    match op {
        "" | "=" | "==" | "===" => {
            if p.given == 0 {
                return Some(()); // `*`: anything
            }
            if p.partial() {
                iv.raise_lo(v, true);
                iv.lower_hi(p.bump()?, false);
            } else {
                iv.raise_lo(v, true);
                iv.lower_hi(v, true);
            }
        }
        "!=" => {}
        ">=" => iv.raise_lo(v, true),
        ">" => match (dialect, p.partial()) {
            (_, true) if p.given == 0 => return None,
            (Dialect::Npm, true) => iv.raise_lo(p.bump()?, true),
            _ => iv.raise_lo(v, false),
        },
        "<" => iv.lower_hi(v, false),
        "<=" => match (dialect, p.partial()) {
            (_, true) if p.given == 0 => {}
            (Dialect::Npm, true) => iv.lower_hi(p.bump()?, false),
            _ => iv.lower_hi(v, true),
        },
        "^" => {
            iv.raise_lo(v, true);
            iv.lower_hi(if v.0 > 0 { next_major } else { (1, 0, 0) }, false);
        }
        // npm/Poetry tilde and PEP 440 compatible release stay within the major (finer upper
        // bounds do not matter for the 2.0.0 boundary).
        "~" | "~=" | "~>" => {
            iv.raise_lo(v, true);
            iv.lower_hi(next_major, false);
        }
        _ => return None,
    }
    Some(())
}

/// The generation of an exact, resolved version (lock files, `RequiredVersion`).
pub(crate) fn generation_of_version(v: &str) -> Option<Generation> {
    let p = parse_version(v)?;
    if p.given == 0 {
        return None;
    }
    Some(if p.ver >= TWO {
        Generation::PerApi
    } else {
        Generation::Versioned
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Generation::{PerApi, Versioned};

    #[test]
    fn npm_ranges() {
        let cases: &[(&str, Option<Generation>)] = &[
            ("^1.8.69", Some(Versioned)),
            ("~1.4.15", Some(Versioned)),
            ("1.8.69", Some(Versioned)),
            ("=1.8.69", Some(Versioned)),
            ("v1.8.69", Some(Versioned)),
            ("1.x", Some(Versioned)),
            ("1", Some(Versioned)),
            ("<2", Some(Versioned)),
            ("<2.0.0", Some(Versioned)),
            ("<=1", Some(Versioned)),
            (">=1.4.0 <2.0.0", Some(Versioned)),
            ("1.2.3 - 1.9", Some(Versioned)),
            ("^0.9.0", Some(Versioned)),
            ("~2.1.0", Some(PerApi)),
            ("^2", Some(PerApi)),
            (">=2", Some(PerApi)),
            (">= 2.0.0", Some(PerApi)),
            (">1", Some(PerApi)),
            ("2.1.5", Some(PerApi)),
            ("2.0.0-beta.1", Some(PerApi)),
            ("^1.8 || ^1.9", Some(Versioned)),
            ("^1.8 || ^2.0", None),
            ("*", None),
            ("", None),
            ("x", None),
            ("latest", None),
            (">=1.4.0", None),
            ("<=2", None),
            ("<=2.0.0", None),
            ("1.2.3 - 2", None),
            ("file:../sdk", None),
            ("workspace:*", None),
            ("github:sailpoint-oss/typescript-sdk", None),
            (">=2 <2", None),
        ];
        for (spec, want) in cases {
            assert_eq!(generation(spec, Dialect::Npm), *want, "npm {spec:?}");
        }
    }

    #[test]
    fn pep440_specs() {
        let cases: &[(&str, Option<Generation>)] = &[
            ("==1.4.99", Some(Versioned)),
            ("== 1.4.99", Some(Versioned)),
            ("==1.4.*", Some(Versioned)),
            ("~=1.4", Some(Versioned)),
            (">=1.3,<2", Some(Versioned)),
            (">=1.3, <2.0.0", Some(Versioned)),
            ("<2", Some(Versioned)),
            ("<=1.4.99", Some(Versioned)),
            ("===1.4.99", Some(Versioned)),
            (">=2", Some(PerApi)),
            ("~=2.1", Some(PerApi)),
            ("==2.1.5", Some(PerApi)),
            (">=2.0.0,!=2.1.0", Some(PerApi)),
            (">1", None),
            (">=1.3", None),
            ("!=1.4.0", None),
            ("", None),
            ("<=2", None),
        ];
        for (spec, want) in cases {
            assert_eq!(generation(spec, Dialect::Pep440), *want, "pep {spec:?}");
        }
    }

    #[test]
    fn exact_versions() {
        assert_eq!(generation_of_version("1.4.99"), Some(Versioned));
        assert_eq!(generation_of_version("2.0.0"), Some(PerApi));
        assert_eq!(generation_of_version("1.7.100.0"), Some(Versioned));
        assert_eq!(generation_of_version("2.1.21"), Some(PerApi));
        assert_eq!(generation_of_version("link:../x"), None);
        assert_eq!(generation_of_version("*"), None);
    }
}
