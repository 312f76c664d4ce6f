//! Conversion between byte offsets (what Rust slices use) and Unicode
//! code-point offsets (what the document JSON uses).

/// Maps byte offsets of one text to code-point offsets and back.
///
/// For pure-ASCII text both are the same and no table is kept.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Byte offset of every char start, followed by the text length.
    /// Empty when the text is ASCII.
    starts: Vec<usize>,
    len_bytes: usize,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let starts = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        Self {
            starts,
            len_bytes: text.len(),
        }
    }

    /// Number of code points in the text.
    pub fn char_len(&self) -> usize {
        if self.starts.is_empty() {
            self.len_bytes
        } else {
            self.starts.len() - 1
        }
    }

    /// The code-point offset of a byte offset. A byte offset inside a
    /// multi-byte character maps to that character's offset.
    pub fn to_char(&self, byte: usize) -> usize {
        if self.starts.is_empty() {
            return byte.min(self.len_bytes);
        }
        match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// The byte offset of a code-point offset (clamped to the text's end).
    pub fn to_byte(&self, ch: usize) -> usize {
        if self.starts.is_empty() {
            return ch.min(self.len_bytes);
        }
        self.starts[ch.min(self.starts.len() - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_non_ascii() {
        let text = "Syrië — 2014 “kalifaat”";
        let idx = CharIndex::new(text);
        assert_eq!(idx.char_len(), text.chars().count());
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.to_char(bi), ci);
            assert_eq!(idx.to_byte(ci), bi);
        }
        assert_eq!(idx.to_byte(idx.char_len()), text.len());
    }

    #[test]
    fn ascii_is_identity() {
        let idx = CharIndex::new("abc");
        assert_eq!((idx.to_char(2), idx.to_byte(2), idx.char_len()), (2, 2, 3));
    }
}
