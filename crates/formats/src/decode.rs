//! Bytes to text: byte-order marks, UTF-8 with a Windows-1252 fallback,
//! declared charsets, and telling binary files from text.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// Signatures of common binary formats, with a name for messages.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
    (b"\xFD7zXZ\x00", "xz-compressed data"),
    (b"\x28\xB5\x2F\xFD", "zstd-compressed data"),
    (b"\x7FELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
];

/// Why `head` (the first bytes of a file) is not text, if it is not.
///
/// UTF-16 text with a byte-order mark is text even though it holds NUL
/// bytes.
pub fn binary_reason(head: &[u8]) -> Option<String> {
    if Encoding::for_bom(head).is_some() {
        return None;
    }
    for (magic, what) in MAGIC {
        if head.starts_with(magic) {
            return Some((*what).to_string());
        }
    }
    if head.len() >= 10 && head.starts_with(b"BZh") && head[4..10] == *b"1AY&SY" {
        return Some("bzip2-compressed data".into());
    }
    if head.contains(&0) {
        return Some("NUL bytes".into());
    }
    let control = head
        .iter()
        .filter(|&&b| matches!(b, 0x01..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F))
        .count();
    if head.len() >= 16 && control * 10 > head.len() {
        return Some("mostly control characters".into());
    }
    None
}

/// Decodes text of unknown encoding: a byte-order mark wins, then UTF-8,
/// with bytes that are not valid UTF-8 read as Windows-1252 (a superset of
/// Latin-1), so a Windows-1252 file decodes whole. The BOM is dropped.
pub fn decode_text(bytes: &[u8]) -> String {
    decode_with(bytes, None)
}

/// Like [`decode_text`], but a declared charset (from an HTTP header or an
/// HTML `<meta>`) is tried after the byte-order mark. A declared UTF-8 that
/// is not valid UTF-8 falls back to Windows-1252.
pub fn decode_with(bytes: &[u8], declared: Option<&'static Encoding>) -> String {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return text.into_owned();
    }
    match declared {
        Some(enc) if enc != UTF_8 && enc != UTF_16LE && enc != UTF_16BE => {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            text.into_owned()
        }
        _ => utf8_or_1252(bytes),
    }
}

/// UTF-8 where the bytes are valid UTF-8, Windows-1252 for the bytes that
/// are not: a Windows-1252 file comes out right, and so does a UTF-8 file
/// with a few stray Windows-1252 bytes.
fn utf8_or_1252(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                return out;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                // Valid by construction; the lossy call never replaces here.
                out.push_str(&String::from_utf8_lossy(valid));
                let bad = e.error_len().unwrap_or(after.len()).max(1).min(after.len());
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(&after[..bad]);
                out.push_str(&text);
                rest = &after[bad..];
            }
        }
    }
}

/// The encoding a charset label names (`utf-8`, `ISO-8859-1`, ...).
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().trim_matches(['"', '\'']).as_bytes())
}

/// The `charset=` parameter of a Content-Type value.
pub fn charset_param(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")?;
    let rest = &content_type[at + "charset=".len()..];
    let value = rest.split([';', ' ', ',']).next().unwrap_or("");
    encoding_for_label(value)
}

/// The charset an HTML document declares in its first KB
/// (`<meta charset=..>` or `<meta http-equiv="Content-Type" content="..;charset=..">`).
pub fn html_declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"charset") {
        let mut i = from + pos + b"charset".len();
        from = i;
        while i < lower.len() && matches!(lower[i], b' ' | b'\t' | b'\r' | b'\n') {
            i += 1;
        }
        if lower.get(i) != Some(&b'=') {
            continue;
        }
        i += 1;
        while i < lower.len() && matches!(lower[i], b' ' | b'"' | b'\'') {
            i += 1;
        }
        let start = i;
        while i < lower.len() && (lower[i].is_ascii_alphanumeric() || b"-_:.".contains(&lower[i])) {
            i += 1;
        }
        if i > start {
            if let Some(enc) = Encoding::for_label(&lower[start..i]) {
                return Some(enc);
            }
        }
    }
    None
}

/// Position of `needle` in `hay`.
pub fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_fallback() {
        assert_eq!(
            decode_text(b"Caf\xE9 \x93quoted\x94"),
            "Café \u{201C}quoted\u{201D}"
        );
        assert_eq!(decode_text("Café".as_bytes()), "Café");
        assert_eq!(decode_text(b"\xEF\xBB\xBFhello"), "hello");
    }

    #[test]
    fn mixed_utf8_and_1252() {
        let mut bytes = "Café in Zürich, ".as_bytes().to_vec();
        bytes.extend_from_slice(b"caf\xE9 \x80 5");
        assert_eq!(decode_text(&bytes), "Café in Zürich, café € 5");
        assert_eq!(decode_text(b"\xC3"), "\u{C3}");
    }

    #[test]
    fn utf16_with_bom() {
        let bytes = [0xFF, 0xFE, b'h', 0, b'i', 0];
        assert_eq!(binary_reason(&bytes), None);
        assert_eq!(decode_text(&bytes), "hi");
    }

    #[test]
    fn binary_detection() {
        assert_eq!(
            binary_reason(b"\x89PNG\r\n\x1a\n\0\0").as_deref(),
            Some("PNG image")
        );
        assert_eq!(binary_reason(b"abc\0def").as_deref(), Some("NUL bytes"));
        assert_eq!(binary_reason(b"plain text\nmore\n"), None);
        assert!(binary_reason(&[1u8; 40]).is_some());
    }

    #[test]
    fn declared_charsets() {
        assert_eq!(
            charset_param("text/html; charset=ISO-8859-1"),
            Some(WINDOWS_1252)
        );
        assert_eq!(
            html_declared_charset(b"<html><head><meta charset=\"utf-8\">"),
            Some(UTF_8)
        );
        assert_eq!(
            html_declared_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">"
            ),
            Some(WINDOWS_1252)
        );
        assert_eq!(html_declared_charset(b"<p>no charset</p>"), None);
    }
}
