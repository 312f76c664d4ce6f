//! MinHash signatures for near-duplicate detection.
//!
//! A text becomes the set of its word 5-grams ("shingles") after
//! normalisation (the [`tokenize`](crate::tokenize) words and numbers,
//! lower-cased, punctuation dropped, typographic apostrophes made plain);
//! a text of fewer than five words is one shingle of all its words. The
//! signature keeps, for each of 128 hash functions, the least hash over the
//! shingles; the fraction of equal slots of two signatures estimates the
//! Jaccard similarity of their shingle sets.
//!
//! The hashes are defined here (64-bit multiply–xorshift mixing with fixed
//! seeds), not taken from the standard library, so signatures are the same
//! on every platform and run and can be stored. Changing anything that
//! alters signatures must change [`FORMAT_VERSION`].

use crate::token::{tokenize, TokenKind};

/// Slots in a signature.
pub const PERMUTATIONS: usize = 128;
/// Words in a shingle.
pub const SHINGLE_WORDS: usize = 5;
/// LSH bands; `BANDS * ROWS == PERMUTATIONS`.
pub const BANDS: usize = 32;
/// Slots in an LSH band.
pub const ROWS: usize = 4;
/// First byte of [`to_bytes`]; bumped whenever signatures change.
pub const FORMAT_VERSION: u8 = 1;

/// The value of every slot of the signature of a text without words.
const EMPTY_SLOT: u32 = u32::MAX;

/// A MinHash signature: [`PERMUTATIONS`] slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub Vec<u32>);

impl Signature {
    /// Whether this is the signature of a text without words.
    pub fn is_empty_text(&self) -> bool {
        self.0.iter().all(|&v| v == EMPTY_SLOT)
    }
}

/// The final mixer of MurmurHash3 (64 bit): a bijection that spreads every
/// input bit over the output.
#[inline]
const fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Per-slot seeds: a SplitMix64 sequence from a fixed start.
const SEEDS: [u64; PERMUTATIONS] = {
    let mut seeds = [0u64; PERMUTATIONS];
    let mut state: u64 = 0x6b72_6f6e_6965_6b31; // "kroniek1"
    let mut i = 0;
    while i < PERMUTATIONS {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        seeds[i] = z ^ (z >> 31);
        i += 1;
    }
    seeds
};

/// FNV-1a over the normalised characters of a word, then mixed.
fn word_hash(word: &str) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut buf = [0u8; 4];
    for c in word.chars() {
        for lc in c.to_lowercase() {
            let lc = match lc {
                '\u{2019}' | '\u{2018}' | '`' | '\u{b4}' => '\'',
                '\u{2011}' => '-',
                c => c,
            };
            for &b in lc.encode_utf8(&mut buf).as_bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(PRIME);
            }
        }
    }
    fmix64(h)
}

/// The hash of a shingle of word hashes (order matters).
fn shingle_hash(words: &[u64]) -> u64 {
    let mut h: u64 = words.len() as u64;
    for &w in words {
        h = fmix64(h.rotate_left(29) ^ w);
    }
    h
}

/// The MinHash signature of a text. A text without words gets the
/// all-`u32::MAX` signature ([`Signature::is_empty_text`]).
pub fn signature(text: &str) -> Signature {
    let words: Vec<u64> = tokenize(text)
        .into_iter()
        .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::Number))
        .map(|t| word_hash(t.text))
        .collect();
    let mut slots = [EMPTY_SLOT; PERMUTATIONS];
    if !words.is_empty() {
        let k = SHINGLE_WORDS.min(words.len());
        for window in words.windows(k) {
            let x = shingle_hash(window);
            for (slot, seed) in slots.iter_mut().zip(SEEDS.iter()) {
                let v = (fmix64(x ^ seed) >> 32) as u32;
                if v < *slot {
                    *slot = v;
                }
            }
        }
    }
    Signature(slots.to_vec())
}

/// The LSH band keys of a signature: one per band of [`ROWS`] slots, the
/// band index in the top 8 bits and a hash of the band's slots in the other
/// 56, so keys of different bands never collide. Two texts with Jaccard
/// similarity `s` share at least one key with probability
/// `1 - (1 - s^4)^32` (0.87 at 0.5, > 0.9999 at 0.8). The signature of a
/// text without words has no keys.
pub fn bands(sig: &Signature) -> Vec<u64> {
    if sig.0.is_empty() || sig.is_empty_text() {
        return Vec::new();
    }
    sig.0
        .chunks(ROWS)
        .enumerate()
        .map(|(band, rows)| {
            let mut h = fmix64(0x6261_6e64 ^ band as u64);
            for &r in rows {
                h = fmix64(h ^ u64::from(r));
            }
            ((band as u64) << 56) | (h & ((1 << 56) - 1))
        })
        .collect()
}

/// Estimated Jaccard similarity: the fraction of equal slots. 0.0 when the
/// signatures differ in length or either is that of a text without words.
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    if a.0.len() != b.0.len() || a.0.is_empty() || a.is_empty_text() || b.is_empty_text() {
        return 0.0;
    }
    let equal = a.0.iter().zip(&b.0).filter(|(x, y)| x == y).count();
    equal as f64 / a.0.len() as f64
}

/// The signature as bytes: [`FORMAT_VERSION`], then each slot as a
/// little-endian `u32`.
pub fn to_bytes(sig: &Signature) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 + sig.0.len() * 4);
    out.push(FORMAT_VERSION);
    for v in &sig.0 {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// The signature of [`to_bytes`]; `None` for another version or length.
pub fn from_bytes(b: &[u8]) -> Option<Signature> {
    let (&version, rest) = b.split_first()?;
    if version != FORMAT_VERSION || rest.len() != PERMUTATIONS * 4 {
        return None;
    }
    Some(Signature(
        rest.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str =
        "Het Amerikaanse leger heeft bij een aanval in het noorden van Syrië de leider van \
Islamitische Staat gedood. Dat meldt het Pentagon in een verklaring. Volgens de Amerikaanse \
minister van Defensie werd de operatie in de nacht van zaterdag op zondag uitgevoerd door \
speciale eenheden, die met helikopters vanuit Irak waren overgevlogen. Bij de actie kwamen \
ook twee lijfwachten en een onbekend aantal strijders om het leven. Er vielen aan Amerikaanse \
kant geen slachtoffers. De leider had zich volgens inlichtingendiensten al maanden schuilgehouden \
in een dorp vlak bij de Turkse grens. Hij werd in 2019 de opvolger van al-Baghdadi, die \
eveneens bij een Amerikaanse operatie om het leven kwam. Islamitische Staat riep in 2014 een \
kalifaat uit in grote delen van Syrië en Irak, maar verloor dat gebied in de jaren daarna \
na zware gevechten met een internationale coalitie en Koerdische strijders. De groep pleegt \
nog steeds aanslagen in de regio en daarbuiten. Deskundigen verwachten dat de organisatie \
snel een nieuwe leider zal aanwijzen. De Syrische regering heeft nog niet gereageerd op het \
nieuws. Ook Turkije, dat de operatie naar eigen zeggen niet vooraf kende, zweeg vooralsnog. \
Het Witte Huis liet weten dat de president de operatie persoonlijk had goedgekeurd en dat \
hij zaterdagavond in de situatiekamer de actie heeft gevolgd.";

    #[test]
    fn near_duplicates_score_high() {
        let copy = ARTICLE.replace(
            "Deskundigen verwachten dat de organisatie snel een nieuwe leider zal aanwijzen.",
            "Analisten denken dat de beweging binnen enkele weken een opvolger kiest.",
        );
        assert_ne!(copy, ARTICLE);
        let (a, b) = (signature(ARTICLE), signature(&copy));
        let s = similarity(&a, &b);
        assert!(s >= 0.8, "near-duplicate similarity {s}");
        let shared = bands(&a).iter().filter(|k| bands(&b).contains(k)).count();
        assert!(shared > 0);
        // Whitespace, case and typographic apostrophes do not matter.
        let restyled = ARTICLE.to_uppercase().replace(' ', "  \n");
        assert_eq!(similarity(&a, &signature(&restyled)), 1.0);
        assert_eq!(signature("auto's rijden"), signature("Auto’s  rijden"));
    }

    #[test]
    fn unrelated_texts_score_near_zero() {
        let other = "The dike held on Thursday, officials said. Volunteers and soldiers watched it \
for three days while the river rose to its highest level in fifty years. Farmers moved their cattle \
to higher ground and the army brought sandbags from all over the province. The water is expected \
to fall slowly over the weekend, but the authorities warned that the danger has not yet passed.";
        let s = similarity(&signature(ARTICLE), &signature(other));
        assert!(s < 0.05, "unrelated similarity {s}");
        let other_nl = "De gemeenteraad van Utrecht heeft gisteravond ingestemd met de bouw van \
duizend nieuwe woningen aan de rand van de stad. De wethouder noemde het besluit historisch.";
        assert!(similarity(&signature(ARTICLE), &signature(other_nl)) < 0.05);
    }

    #[test]
    fn short_and_empty_texts() {
        let a = signature("Kort bericht");
        assert_eq!(a.0.len(), PERMUTATIONS);
        assert!(!a.is_empty_text());
        assert_eq!(similarity(&a, &signature("kort  bericht.")), 1.0);
        assert!(similarity(&a, &signature("Ander bericht")) < 0.2);
        let e = signature("  ... !! ");
        assert!(e.is_empty_text());
        assert_eq!(e.0.len(), PERMUTATIONS);
        assert!(bands(&e).is_empty());
        assert_eq!(similarity(&e, &e), 0.0);
    }

    #[test]
    fn bands_carry_their_index() {
        let b = bands(&signature(ARTICLE));
        assert_eq!(b.len(), BANDS);
        for (i, k) in b.iter().enumerate() {
            assert_eq!(k >> 56, i as u64);
        }
    }

    #[test]
    fn bytes_round_trip() {
        let s = signature(ARTICLE);
        let b = to_bytes(&s);
        assert_eq!(b.len(), 1 + PERMUTATIONS * 4);
        assert_eq!(from_bytes(&b), Some(s));
        assert_eq!(from_bytes(&b[..b.len() - 1]), None);
        assert_eq!(from_bytes(&[]), None);
        let mut v2 = b.clone();
        v2[0] = 2;
        assert_eq!(from_bytes(&v2), None);
    }

    const PINNED_BAND0: u64 = 71_833_109_208_222_485;

    #[test]
    fn signatures_are_stable() {
        // Pinned values: if this fails, signatures changed and stored ones
        // no longer compare; bump FORMAT_VERSION and update the pins.
        let s = signature("Islamitische Staat riep in 2014 een kalifaat uit.");
        assert_eq!(&s.0[..4], &[3569536066, 1479942717, 1626525027, 1262715241]);
        assert_eq!(bands(&s)[0], PINNED_BAND0);
    }
}
