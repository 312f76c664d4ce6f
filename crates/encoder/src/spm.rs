//! A SentencePiece unigram tokenizer read from a `.model` file: the
//! model's own normalizer (the precompiled character map, a darts-clone
//! double array of byte sequences and their replacements), whitespace
//! escaping to `▁`, and Viterbi segmentation over the piece scores.

use std::collections::HashMap;

use crate::EncoderError;

fn bad(what: impl Into<String>) -> EncoderError {
    EncoderError::Format(format!("sentencepiece model: {}", what.into()))
}

/// A protobuf field: number and payload.
enum Field<'a> {
    Varint(u32, u64),
    Bytes(u32, &'a [u8]),
    Fixed32(u32, [u8; 4]),
}

fn varint(b: &[u8], at: &mut usize) -> Result<u64, EncoderError> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *b.get(*at).ok_or_else(|| bad("truncated varint"))?;
        *at += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(bad("varint too long"))
}

/// The fields of one protobuf message.
fn fields(b: &[u8]) -> Result<Vec<Field<'_>>, EncoderError> {
    let mut at = 0;
    let mut out = Vec::new();
    while at < b.len() {
        let key = varint(b, &mut at)?;
        let num = (key >> 3) as u32;
        match key & 7 {
            0 => out.push(Field::Varint(num, varint(b, &mut at)?)),
            1 => at += 8,
            2 => {
                let len = varint(b, &mut at)? as usize;
                let s = b
                    .get(at..at.saturating_add(len))
                    .ok_or_else(|| bad("truncated field"))?;
                out.push(Field::Bytes(num, s));
                at += len;
            }
            5 => {
                let s = b.get(at..at + 4).ok_or_else(|| bad("truncated field"))?;
                out.push(Field::Fixed32(num, [s[0], s[1], s[2], s[3]]));
                at += 4;
            }
            w => return Err(bad(format!("wire type {w}"))),
        }
    }
    if at > b.len() {
        return Err(bad("truncated message"));
    }
    Ok(out)
}

/// Piece types of `ModelProto.SentencePiece.type`.
const NORMAL: u64 = 1;
const USER_DEFINED: u64 = 4;

/// Piece ids of the special symbols.
pub const UNK: u32 = 0;
pub const BOS: u32 = 1;
pub const EOS: u32 = 2;

/// The normalizer: longest-match rewriting with the precompiled map.
struct Normalizer {
    units: Vec<u32>,
    replacements: Vec<u8>,
    add_dummy_prefix: bool,
    remove_extra_whitespaces: bool,
}

impl Normalizer {
    fn new(charsmap: &[u8]) -> Result<Self, EncoderError> {
        if charsmap.is_empty() {
            return Ok(Self {
                units: Vec::new(),
                replacements: Vec::new(),
                add_dummy_prefix: true,
                remove_extra_whitespaces: true,
            });
        }
        let size = charsmap
            .get(..4)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]) as usize)
            .ok_or_else(|| bad("short character map"))?;
        let trie = charsmap
            .get(4..4 + size)
            .ok_or_else(|| bad("short character map"))?;
        Ok(Self {
            units: trie
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
            replacements: charsmap[4 + size..].to_vec(),
            add_dummy_prefix: true,
            remove_extra_whitespaces: true,
        })
    }

    /// Longest key of the double array that prefixes `b`: (its length,
    /// its value).
    fn longest_match(&self, b: &[u8]) -> Option<(usize, usize)> {
        let offset = |u: u32| ((u >> 10) << ((u & (1 << 9)) >> 6)) as usize;
        let mut node = offset(*self.units.first()?);
        let mut best = None;
        for (i, &c) in b.iter().enumerate() {
            node ^= usize::from(c);
            let Some(&unit) = self.units.get(node) else {
                break;
            };
            if unit & 0x8000_00ff != u32::from(c) {
                break;
            }
            node ^= offset(unit);
            if unit & (1 << 8) != 0 {
                let Some(&leaf) = self.units.get(node) else {
                    break;
                };
                best = Some((i + 1, (leaf & 0x7fff_ffff) as usize));
            }
        }
        best
    }

    /// The replacement of the longest match at the start of `s` and the
    /// bytes it consumes; one character unchanged when nothing matches.
    fn prefix<'a>(&'a self, s: &'a str) -> (&'a str, usize) {
        if let Some((len, value)) = self.longest_match(s.as_bytes()) {
            if value < self.replacements.len() && s.is_char_boundary(len) {
                let tail = &self.replacements[value..];
                let end = tail.iter().position(|&b| b == 0).unwrap_or(tail.len());
                if let Ok(r) = std::str::from_utf8(&tail[..end]) {
                    return (r, len);
                }
            }
        }
        let len = s.chars().next().map_or(0, char::len_utf8);
        (&s[..len], len)
    }

    fn normalize(&self, text: &str) -> String {
        let mut s = text;
        if self.remove_extra_whitespaces {
            while !s.is_empty() {
                let (p, len) = self.prefix(s);
                if p != " " {
                    break;
                }
                s = &s[len..];
            }
        }
        let mut out = String::with_capacity(s.len() + 8);
        if s.is_empty() {
            return out;
        }
        if self.add_dummy_prefix {
            out.push('▁');
        }
        let mut prev_space = self.remove_extra_whitespaces;
        while !s.is_empty() {
            let (mut p, len) = self.prefix(s);
            s = &s[len..];
            if self.remove_extra_whitespaces && prev_space {
                p = p.trim_start_matches(' ');
            }
            if let Some(last) = p.chars().last() {
                for c in p.chars() {
                    out.push(if c == ' ' { '▁' } else { c });
                }
                prev_space = last == ' ';
            }
        }
        if self.remove_extra_whitespaces {
            while out.ends_with('▁') {
                out.pop();
            }
        }
        out
    }
}

/// A unigram SentencePiece model.
pub struct SentencePiece {
    scores: Vec<f32>,
    /// Trie over characters: (node, char) → child node.
    trie: HashMap<(u32, char), u32>,
    /// Piece id ending at a trie node (`u32::MAX`: none).
    node_piece: Vec<u32>,
    unk_score: f32,
    normalizer: Normalizer,
}

impl SentencePiece {
    /// Reads a serialized `ModelProto`.
    pub fn from_bytes(b: &[u8]) -> Result<Self, EncoderError> {
        let mut scores = Vec::new();
        let mut trie = HashMap::new();
        let mut node_piece = vec![u32::MAX];
        let mut charsmap: &[u8] = &[];
        let mut flags = (true, true);
        for f in fields(b)? {
            match f {
                Field::Bytes(1, piece) => {
                    let (mut text, mut score, mut kind) = ("", 0.0f32, NORMAL);
                    for g in fields(piece)? {
                        match g {
                            Field::Bytes(1, t) => {
                                text = std::str::from_utf8(t).map_err(|_| bad("piece not UTF-8"))?
                            }
                            Field::Fixed32(2, s) => score = f32::from_le_bytes(s),
                            Field::Varint(3, k) => kind = k,
                            _ => {}
                        }
                    }
                    let id = scores.len() as u32;
                    scores.push(score);
                    // Only normal and user-defined pieces are matched in text.
                    if (kind == NORMAL || kind == USER_DEFINED) && !text.is_empty() {
                        let mut node = 0u32;
                        for c in text.chars() {
                            let next = node_piece.len() as u32;
                            node = *trie.entry((node, c)).or_insert_with(|| {
                                node_piece.push(u32::MAX);
                                next
                            });
                        }
                        node_piece[node as usize] = id;
                    }
                }
                // NormalizerSpec: precompiled_charsmap (2), add_dummy_prefix
                // (3), remove_extra_whitespaces (4).
                Field::Bytes(3, spec) => {
                    for g in fields(spec)? {
                        match g {
                            Field::Bytes(2, m) => charsmap = m,
                            Field::Varint(3, v) => flags.0 = v != 0,
                            Field::Varint(4, v) => flags.1 = v != 0,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        if scores.len() <= EOS as usize {
            return Err(bad("no pieces"));
        }
        let min = scores.iter().copied().fold(f32::INFINITY, f32::min);
        let mut normalizer = Normalizer::new(charsmap)?;
        normalizer.add_dummy_prefix = flags.0;
        normalizer.remove_extra_whitespaces = flags.1;
        Ok(Self {
            scores,
            trie,
            node_piece,
            unk_score: min - 10.0,
            normalizer,
        })
    }

    pub fn vocab_size(&self) -> usize {
        self.scores.len()
    }

    /// The normalized text the pieces are cut from.
    pub fn normalize(&self, text: &str) -> String {
        self.normalizer.normalize(text)
    }

    /// Piece ids of `text` (without BOS/EOS); `[UNK]` for an empty text.
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let norm = self.normalize(text);
        let chars: Vec<char> = norm.chars().collect();
        if chars.is_empty() {
            return vec![UNK];
        }
        let n = chars.len();
        // best[p]: score of the best segmentation of chars[..p]; from[p]:
        // where its last piece starts and which piece it is.
        let mut best = vec![f32::NEG_INFINITY; n + 1];
        let mut from = vec![(0usize, UNK); n + 1];
        best[0] = 0.0;
        for i in 0..n {
            let base = best[i];
            let mut node = 0u32;
            let mut single = false;
            for (j, &c) in chars[i..].iter().enumerate() {
                let Some(&next) = self.trie.get(&(node, c)) else {
                    break;
                };
                node = next;
                let id = self.node_piece[node as usize];
                if id != u32::MAX {
                    let s = base + self.scores[id as usize];
                    let end = i + j + 1;
                    if s > best[end] {
                        best[end] = s;
                        from[end] = (i, id);
                    }
                    single |= j == 0;
                }
            }
            if !single {
                let s = base + self.unk_score;
                if s > best[i + 1] {
                    best[i + 1] = s;
                    from[i + 1] = (i, UNK);
                }
            }
        }
        let mut ids = Vec::new();
        let mut p = n;
        while p > 0 {
            let (start, id) = from[p];
            ids.push(id);
            p = start;
        }
        ids.reverse();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(text: &str, score: f32, kind: u64) -> Vec<u8> {
        let mut p = vec![0x0a, text.len() as u8];
        p.extend(text.as_bytes());
        p.push(0x15);
        p.extend(score.to_le_bytes());
        p.extend([0x18, kind as u8]);
        let mut f = vec![0x0a, p.len() as u8];
        f.extend(p);
        f
    }

    fn model() -> SentencePiece {
        let mut b = Vec::new();
        b.extend(piece("<unk>", 0.0, 2));
        b.extend(piece("<s>", 0.0, 3));
        b.extend(piece("</s>", 0.0, 3));
        for (t, s) in [
            ("▁", -2.0),
            ("▁de", -1.0),
            ("▁de▁", -9.0),
            ("▁stad", -1.5),
            ("stad", -3.0),
            ("s", -4.0),
            ("t", -4.0),
            ("a", -4.0),
            ("d", -4.0),
        ] {
            b.extend(piece(t, s, 1));
        }
        SentencePiece::from_bytes(&b).unwrap()
    }

    #[test]
    fn viterbi_picks_the_best_segmentation() {
        let m = model();
        assert_eq!(m.normalize("  de   stad "), "▁de▁stad");
        // ▁de + ▁stad (-2.5) beats ▁de▁ + stad (-12).
        assert_eq!(m.encode("de stad"), vec![4, 6]);
        // Control pieces never match text; unknown characters become UNK.
        assert_eq!(m.encode("<s>x"), vec![3, UNK, 8, UNK, UNK]);
        assert_eq!(m.encode(""), vec![UNK]);
        assert_eq!(m.encode("   "), vec![UNK]);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(SentencePiece::from_bytes(&[0x0a, 0x7f]).is_err());
        assert!(SentencePiece::from_bytes(&[]).is_err());
        assert!(SentencePiece::from_bytes(&[0xff; 12]).is_err());
    }
}
