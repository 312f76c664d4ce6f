//! Reading NumPy `.npz` archives: a zip of `.npy` arrays, stored or
//! deflated. Only what the weights need: little-endian `f4`, `f8`, `u1`
//! and `i1` arrays in C order.

use std::collections::HashMap;
use std::io::Read;

use crate::EncoderError;

/// One array: its shape and its values widened to `f32`.
#[derive(Debug, Clone)]
pub struct Array {
    pub shape: Vec<usize>,
    pub data: ArrayData,
}

#[derive(Debug, Clone)]
pub enum ArrayData {
    F32(Vec<f32>),
    U8(Vec<u8>),
}

impl Array {
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn bad(what: impl Into<String>) -> EncoderError {
    EncoderError::Format(what.into())
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, EncoderError> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| bad("zip: truncated"))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, EncoderError> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| bad("zip: truncated"))
}

/// The members of a zip archive: name → uncompressed bytes.
pub fn unzip(bytes: &[u8]) -> Result<HashMap<String, Vec<u8>>, EncoderError> {
    // End of central directory: signature 0x06054b50 within the last 64 KiB.
    let from = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .ok_or_else(|| bad("zip: no end of central directory"))?;
    let entries = usize::from(u16_at(bytes, eocd + 10)?);
    let mut at = u32_at(bytes, eocd + 16)? as usize;
    let mut out = HashMap::with_capacity(entries);
    for _ in 0..entries {
        if u32_at(bytes, at)? != 0x0201_4b50 {
            return Err(bad("zip: bad central directory entry"));
        }
        let method = u16_at(bytes, at + 10)?;
        let csize = u32_at(bytes, at + 20)? as usize;
        let usize_ = u32_at(bytes, at + 24)? as usize;
        let name_len = usize::from(u16_at(bytes, at + 28)?);
        let extra_len = usize::from(u16_at(bytes, at + 30)?);
        let comment_len = usize::from(u16_at(bytes, at + 32)?);
        let local = u32_at(bytes, at + 42)? as usize;
        if csize == u32::MAX as usize || usize_ == u32::MAX as usize || local == u32::MAX as usize {
            return Err(bad("zip: zip64 members are not supported"));
        }
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| bad("zip: truncated name"))?;
        let name = String::from_utf8_lossy(name).into_owned();
        at += 46 + name_len + extra_len + comment_len;

        if u32_at(bytes, local)? != 0x0403_4b50 {
            return Err(bad(format!("zip: bad local header for {name}")));
        }
        let start = local
            + 30
            + usize::from(u16_at(bytes, local + 26)?)
            + usize::from(u16_at(bytes, local + 28)?);
        let raw = bytes
            .get(start..start + csize)
            .ok_or_else(|| bad(format!("zip: truncated member {name}")))?;
        let data = match method {
            0 => raw.to_vec(),
            8 => {
                let mut v = Vec::with_capacity(usize_);
                flate2::read::DeflateDecoder::new(raw)
                    .read_to_end(&mut v)
                    .map_err(|e| bad(format!("zip: {name}: {e}")))?;
                v
            }
            m => return Err(bad(format!("zip: {name}: compression method {m}"))),
        };
        if data.len() != usize_ {
            return Err(bad(format!("zip: {name}: size mismatch")));
        }
        out.insert(name, data);
    }
    Ok(out)
}

/// Parses one `.npy` file.
pub fn parse_npy(bytes: &[u8]) -> Result<Array, EncoderError> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(bad("npy: bad magic"));
    }
    let (header_len, start) = match bytes[6] {
        1 => (usize::from(u16_at(bytes, 8)?), 10),
        2 | 3 => (u32_at(bytes, 8)? as usize, 12),
        v => return Err(bad(format!("npy: version {v}"))),
    };
    let header = bytes
        .get(start..start + header_len)
        .ok_or_else(|| bad("npy: truncated header"))?;
    let header = std::str::from_utf8(header).map_err(|_| bad("npy: header is not text"))?;
    let descr = dict_value(header, "descr")
        .and_then(|v| {
            let q = v.chars().next().filter(|c| *c == '\'' || *c == '"')?;
            v[1..].split(q).next()
        })
        .ok_or_else(|| bad("npy: no descr"))?;
    if dict_value(header, "fortran_order").is_some_and(|v| v.starts_with("True")) {
        return Err(bad("npy: Fortran order"));
    }
    let shape_text = dict_value(header, "shape").ok_or_else(|| bad("npy: no shape"))?;
    let inner = shape_text
        .strip_prefix('(')
        .and_then(|s| s.split(')').next())
        .ok_or_else(|| bad("npy: bad shape"))?;
    let shape = inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>().map_err(|_| bad("npy: bad shape")))
        .collect::<Result<Vec<_>, _>>()?;
    let n: usize = shape.iter().product();
    let body = &bytes[start + header_len..];
    let need = |width: usize| -> Result<&[u8], EncoderError> {
        body.get(..n * width)
            .ok_or_else(|| bad(format!("npy: {descr}: truncated data")))
    };
    let data = match descr {
        "<f4" => ArrayData::F32(
            need(4)?
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        ),
        "<f8" => ArrayData::F32(
            need(8)?
                .chunks_exact(8)
                .map(|c| {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(c);
                    f64::from_le_bytes(a) as f32
                })
                .collect(),
        ),
        "|u1" => ArrayData::U8(need(1)?.to_vec()),
        "|i1" => ArrayData::F32(need(1)?.iter().map(|&b| f32::from(b as i8)).collect()),
        d => return Err(bad(format!("npy: unsupported dtype {d}"))),
    };
    Ok(Array { shape, data })
}

/// The text after `'key':` in a Python dict literal, up to the end of the
/// header (callers read what they need from its start).
fn dict_value<'a>(header: &'a str, key: &str) -> Option<&'a str> {
    let at = header
        .find(&format!("'{key}'"))
        .or_else(|| header.find(&format!("\"{key}\"")))?;
    let rest = &header[at + key.len() + 2..];
    let rest = rest.trim_start().strip_prefix(':')?.trim_start();
    Some(rest)
}

/// All arrays of an `.npz` archive by name (without `.npy`).
pub fn read_npz(bytes: &[u8]) -> Result<HashMap<String, Array>, EncoderError> {
    unzip(bytes)?
        .into_iter()
        .map(|(name, data)| {
            let key = name.strip_suffix(".npy").unwrap_or(&name).to_string();
            let a = parse_npy(&data).map_err(|e| bad(format!("{name}: {e}")))?;
            Ok((key, a))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npy(descr: &str, shape: &str, body: &[u8]) -> Vec<u8> {
        let mut h = format!("{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}");
        while (10 + h.len() + 1) % 64 != 0 {
            h.push(' ');
        }
        h.push('\n');
        let mut v = b"\x93NUMPY\x01\x00".to_vec();
        v.extend((h.len() as u16).to_le_bytes());
        v.extend(h.as_bytes());
        v.extend(body);
        v
    }

    /// A stored (uncompressed) zip with the given members.
    fn zip(members: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in members {
            let off = out.len() as u32;
            out.extend(0x0403_4b50u32.to_le_bytes());
            out.extend([20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend((data.len() as u32).to_le_bytes());
            out.extend((data.len() as u32).to_le_bytes());
            out.extend((name.len() as u16).to_le_bytes());
            out.extend(0u16.to_le_bytes());
            out.extend(name.as_bytes());
            out.extend(data);
            central.extend(0x0201_4b50u32.to_le_bytes());
            central.extend([20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend((data.len() as u32).to_le_bytes());
            central.extend((data.len() as u32).to_le_bytes());
            central.extend((name.len() as u16).to_le_bytes());
            central.extend([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend(off.to_le_bytes());
            central.extend(name.as_bytes());
        }
        let cd = out.len() as u32;
        out.extend(&central);
        out.extend(0x0605_4b50u32.to_le_bytes());
        out.extend([0, 0, 0, 0]);
        out.extend((members.len() as u16).to_le_bytes());
        out.extend((members.len() as u16).to_le_bytes());
        out.extend((central.len() as u32).to_le_bytes());
        out.extend(cd.to_le_bytes());
        out.extend([0, 0]);
        out
    }

    #[test]
    fn reads_arrays_from_a_stored_zip() {
        let f: Vec<u8> = [1.5f32, -2.0, 0.25, 4.0, 5.0, 6.0]
            .iter()
            .flat_map(|x| x.to_le_bytes())
            .collect();
        let z = zip(&[
            ("w.npy", npy("<f4", "(2, 3)", &f)),
            ("q.npy", npy("|u1", "(3,)", &[7, 8, 255])),
            ("eps.npy", npy("<f8", "()", &1e-6f64.to_le_bytes())),
        ]);
        let a = read_npz(&z).unwrap();
        assert_eq!(a["w"].shape, vec![2, 3]);
        match &a["w"].data {
            ArrayData::F32(v) => assert_eq!(v, &[1.5, -2.0, 0.25, 4.0, 5.0, 6.0]),
            other => panic!("{other:?}"),
        }
        match &a["q"].data {
            ArrayData::U8(v) => assert_eq!(v, &[7, 8, 255]),
            other => panic!("{other:?}"),
        }
        assert_eq!(a["eps"].len(), 1);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(read_npz(b"not a zip").is_err());
        assert!(parse_npy(b"\x93NUMPY\x01\x00\xff\xff").is_err());
        let short = npy("<f4", "(4,)", &[0, 0, 0]);
        assert!(parse_npy(&short).is_err());
        assert!(parse_npy(&npy("<c8", "(1,)", &[0; 8])).is_err());
    }
}
