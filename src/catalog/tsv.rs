//! Line and field splitting of the catalog text, shared by the runtime parser and `build.rs`
//! (which turns the committed catalog into static tables). Standard library only.

/// The first line of every catalog file.
pub const HEADER: &str = "# isc-scope-lint catalog 1";

/// Calls `f(line_number, fields)` for every non-empty, non-comment line after the header.
/// Fields are tab-separated; at most 16 are passed. Stops at the first error.
pub fn for_each_record<'t, E>(
    text: &'t str,
    mut f: impl FnMut(usize, &[&'t str]) -> Result<(), E>,
    header_error: impl FnOnce() -> E,
) -> Result<(), E> {
    if !text.starts_with(HEADER) {
        return Err(header_error());
    }
    let bytes = text.as_bytes();
    let mut fields: [&'t str; 16] = [""; 16];
    let mut start = 0;
    let mut line_no = 0;
    // Tabs and newlines are ASCII, so every split point is a char boundary.
    while start < bytes.len() {
        line_no += 1;
        let mut n = 0;
        let mut fs = start;
        let mut i = start;
        while i < bytes.len() && bytes[i] != b'\n' {
            if bytes[i] == b'\t' {
                if n < fields.len() {
                    fields[n] = &text[fs..i];
                }
                n += 1;
                fs = i + 1;
            }
            i += 1;
        }
        let end = if i > start && bytes[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        if n < fields.len() {
            fields[n] = &text[fs..end.max(fs)];
        }
        n += 1;
        let line = &text[start..end.max(start)];
        start = i + 1;
        if line_no == 1 || line.is_empty() || line.starts_with('#') {
            continue;
        }
        f(line_no, &fields[..n.min(fields.len())])?;
    }
    Ok(())
}

/// Splits a `userAuth`/`applicationAuth` field into requirement objects (`-` = none).
pub fn alternatives(field: &str) -> impl Iterator<Item = impl Iterator<Item = &str>> {
    field
        .split('|')
        .filter(move |_| field != "-")
        .map(|alt| alt.split(','))
}

/// Splits a user-level field (`-` = none).
pub fn levels(field: &str) -> impl Iterator<Item = &str> {
    field.split(',').filter(move |_| field != "-")
}
