//! The QR code the counter shows for a customer who pays on their phone.
//!
//! Contract: encodes exactly the text it is given (Tokenized's `bkashURL`),
//! and describes the dark modules as one SVG path, so the screens draw it
//! with a single `<path>` element: no image decoding, no HTML from text.

use serde::Serialize;

/// Modules of light margin on every side, as the QR standard asks: phone
/// cameras find the code by its quiet border.
const QUIET_ZONE: u32 = 4;

/// A QR code as the screens draw it: a `size` × `size` grid (quiet zone
/// included), its dark modules as an SVG path in grid units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct QrImage {
    pub size: u32,
    /// `M x y h n v 1 h -n z` for each run of dark modules in a row.
    pub path: String,
}

#[derive(Debug, thiserror::Error)]
#[error("the payment page's address cannot be made into a QR code ({0})")]
pub struct QrError(String);

impl QrImage {
    /// Medium error correction: the code survives a scratched or glaring
    /// screen, and a bKash page address (about 150 characters) stays a
    /// grid a phone reads from arm's length.
    pub fn of(text: &str) -> Result<Self, QrError> {
        let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).map_err(|e| QrError(e.to_string()))?;
        let width = code.width() as u32;
        let colors = code.to_colors();
        let mut path = String::new();
        for y in 0..width {
            let mut x = 0;
            while x < width {
                let dark = |x: u32| colors[(y * width + x) as usize] == qrcode::Color::Dark;
                if !dark(x) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < width && dark(x) {
                    x += 1;
                }
                path.push_str(&format!("M{} {}h{}v1h-{}z", start + QUIET_ZONE, y + QUIET_ZONE, x - start, x - start));
            }
        }
        Ok(Self { size: width + 2 * QUIET_ZONE, path })
    }
}
