//! Text helpers shared by the lexer and the structured-format readers.

/// Repeated searches for one needle from a position that only moves forward (a scanner
/// looking for the closing `}` of each `${` it meets): the last answer is reused while it is
/// still ahead, so a text full of openers without closers costs one pass, not one pass per
/// opener.
pub struct NextFind<'n> {
    needle: &'n str,
    /// The last search: where it started and what it found.
    last: Option<(usize, Option<usize>)>,
}

impl<'n> NextFind<'n> {
    pub fn new(needle: &'n str) -> NextFind<'n> {
        NextFind { needle, last: None }
    }

    /// The first occurrence of the needle in `hay` at or after byte `from` (`hay` must be the
    /// same text on every call).
    pub fn find(&mut self, hay: &str, from: usize) -> Option<usize> {
        if let Some((start, found)) = self.last
            && start <= from
        {
            match found {
                None => return None,
                Some(at) if at >= from => return Some(at),
                Some(_) => {}
            }
        }
        let found = hay
            .get(from..)
            .and_then(|rest| rest.find(self.needle))
            .map(|i| from + i);
        self.last = Some((from, found));
        found
    }
}

/// Byte offset → 1-based line and column (columns count characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let mut col_end = offset;
    while !text.is_char_boundary(col_end) {
        col_end -= 1;
    }
    let column = text[line_start..col_end].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_a_plain_search() {
        let hay = "a${b ${c} ${d ${e}}} ${";
        for needle in ["}", "${", "}}", "x"] {
            let mut f = NextFind::new(needle);
            for from in 0..=hay.len() {
                let want = hay[from..].find(needle).map(|i| from + i);
                assert_eq!(f.find(hay, from), want, "{needle} from {from}");
            }
        }
    }
}
