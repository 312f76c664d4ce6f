//! Comparing stored MinHash signatures.
//!
//! A signature is stored as bytes: little-endian `u32` slots, optionally
//! preceded by one format-version byte (what `text::minhash::to_bytes`
//! writes). Two signatures are comparable when they have the same length
//! and version.

/// Estimated Jaccard similarity at or above which a new document is
/// recorded as a near-duplicate of an earlier one.
pub(crate) const NEAR_DUPLICATE: f64 = 0.8;

/// The slot value of every slot of the signature of a text without words.
const EMPTY_SLOT: u32 = u32::MAX;

/// A signature split into its version byte (if any) and slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sig {
    version: Option<u8>,
    slots: Vec<u32>,
}

impl Sig {
    /// Parses stored bytes; `None` for a length that is neither `4n` nor
    /// `4n + 1`, or an empty signature.
    pub(crate) fn parse(bytes: &[u8]) -> Option<Sig> {
        let (version, rest) = match bytes.len() % 4 {
            0 => (None, bytes),
            1 => {
                let (&v, rest) = bytes.split_first()?;
                (Some(v), rest)
            }
            _ => return None,
        };
        if rest.is_empty() {
            return None;
        }
        let slots = rest
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Some(Sig { version, slots })
    }

    /// Whether this is the signature of a text without words (never a
    /// near-duplicate of anything).
    pub(crate) fn is_empty_text(&self) -> bool {
        self.slots.iter().all(|&s| s == EMPTY_SLOT)
    }

    /// The fraction of equal slots; 0.0 for incomparable signatures.
    pub(crate) fn similarity(&self, other: &Sig) -> f64 {
        if self.version != other.version
            || self.slots.len() != other.slots.len()
            || self.is_empty_text()
            || other.is_empty_text()
        {
            return 0.0;
        }
        let equal = self
            .slots
            .iter()
            .zip(&other.slots)
            .filter(|(a, b)| a == b)
            .count();
        equal as f64 / self.slots.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(version: Option<u8>, slots: &[u32]) -> Vec<u8> {
        let mut out: Vec<u8> = version.into_iter().collect();
        for s in slots {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out
    }

    #[test]
    fn similarity_is_fraction_of_equal_slots() {
        let a: Vec<u32> = (0..10).collect();
        let mut b = a.clone();
        b[0] = 99;
        b[1] = 98;
        for v in [None, Some(1)] {
            let (sa, sb) = (
                Sig::parse(&bytes(v, &a)).unwrap(),
                Sig::parse(&bytes(v, &b)).unwrap(),
            );
            assert!((sa.similarity(&sb) - 0.8).abs() < 1e-9);
            assert_eq!(sa.similarity(&sa), 1.0);
        }
    }

    #[test]
    fn incomparable_or_empty_signatures_score_zero() {
        let a = Sig::parse(&bytes(Some(1), &[1, 2, 3, 4])).unwrap();
        let b = Sig::parse(&bytes(Some(2), &[1, 2, 3, 4])).unwrap();
        let c = Sig::parse(&bytes(Some(1), &[1, 2, 3])).unwrap();
        let e = Sig::parse(&bytes(Some(1), &[u32::MAX; 4])).unwrap();
        assert_eq!(a.similarity(&b), 0.0);
        assert_eq!(a.similarity(&c), 0.0);
        assert_eq!(e.similarity(&e), 0.0);
        assert!(Sig::parse(&[1, 2]).is_none());
        assert!(Sig::parse(&[]).is_none());
        assert!(Sig::parse(&[1]).is_none());
    }
}
