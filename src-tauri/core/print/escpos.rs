//! ESC/POS: the receipt picture as raster bands, then feed and cut, and the
//! cash drawer's kick. Only commands every ESC/POS printer has (Epson's
//! published set, which Xprinter, Rongta and the other counter printers
//! copy).

use super::Bitmap;

/// `ESC @`: forget any mode a previous job left.
const INIT: [u8; 2] = [0x1B, 0x40];
/// `ESC d 4`: feed four lines, so the last line clears the cutter.
const FEED: [u8; 3] = [0x1B, 0x64, 0x04];
/// `GS V 66 0`: feed to the cutter and cut, leaving a hinge (partial cut).
pub const CUT: [u8; 4] = [0x1D, 0x56, 0x42, 0x00];
/// `ESC p 0 25 250`: a pulse on drawer pin 2, 50 ms on, 500 ms off.
pub const DRAWER_KICK: [u8; 5] = [0x1B, 0x70, 0x00, 0x19, 0xFA];
/// `DLE EOT 4`: "how is the paper roll?" The answer's bits 5 and 6 (0x60)
/// mean the roll is out.
pub const STATUS_PAPER: [u8; 3] = [0x10, 0x04, 0x04];

/// A printer's buffer takes a raster band of a few hundred rows at most;
/// longer receipts go as several bands, one after the other.
const BAND_ROWS: u32 = 255;

/// What happens after the picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Finish {
    pub cut: bool,
    /// Open the cash drawer (a cash sale, when the shop has one connected).
    pub open_drawer: bool,
}

/// The whole print job: init, the picture as `GS v 0` bands, feed, cut,
/// drawer kick.
pub fn encode(bitmap: &Bitmap, finish: Finish) -> Vec<u8> {
    let row_bytes = bitmap.row_bytes();
    let mut out = Vec::with_capacity(bitmap.rows.len() + 64);
    out.extend_from_slice(&INIT);
    for first in (0..bitmap.height).step_by(BAND_ROWS as usize) {
        let rows = BAND_ROWS.min(bitmap.height - first);
        // `GS v 0 m xL xH yL yH`: m = 0 (normal size), x in bytes, y in dots.
        out.extend_from_slice(&[0x1D, 0x76, 0x30, 0x00]);
        out.extend_from_slice(&(row_bytes as u16).to_le_bytes());
        out.extend_from_slice(&(rows as u16).to_le_bytes());
        let start = (first * row_bytes) as usize;
        out.extend_from_slice(&bitmap.rows[start..start + (rows * row_bytes) as usize]);
    }
    out.extend_from_slice(&FEED);
    if finish.cut {
        out.extend_from_slice(&CUT);
    }
    if finish.open_drawer {
        out.extend_from_slice(&DRAWER_KICK);
    }
    out
}
