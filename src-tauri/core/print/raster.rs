//! The receipt drawn as a one-bit picture of the paper's dot width.

use cosmic_text::{Align, Attrs, Buffer, Color, Family, FontSystem, Metrics, Shaping, SwashCache, Weight};

use super::{Line, PaperWidth};

/// A one-bit picture, row by row, 8 dots a byte, the leftmost dot in the
/// highest bit, 1 = black: exactly what `GS v 0` takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    pub width: u32,
    pub height: u32,
    pub rows: Vec<u8>,
}

impl Bitmap {
    pub fn blank(width: u32, height: u32) -> Self {
        Self { width, height, rows: vec![0; (width.div_ceil(8) * height) as usize] }
    }

    pub fn row_bytes(&self) -> u32 {
        self.width.div_ceil(8)
    }

    pub fn set(&mut self, x: u32, y: u32) {
        if x < self.width && y < self.height {
            let at = (y * self.row_bytes() + x / 8) as usize;
            self.rows[at] |= 0x80 >> (x % 8);
        }
    }

    pub fn is_black(&self, x: u32, y: u32) -> bool {
        x < self.width && y < self.height && self.rows[(y * self.row_bytes() + x / 8) as usize] & (0x80 >> (x % 8)) != 0
    }
}

/// The fonts and the glyph cache. Loading the system's fonts takes a moment,
/// so the app keeps one for its life.
pub struct Rasterizer {
    fonts: FontSystem,
    glyphs: SwashCache,
}

impl Default for Rasterizer {
    fn default() -> Self {
        Self::new()
    }
}

/// Side margins, in dots: thermal heads fade at the very edge.
const MARGIN: f32 = 8.0;

impl Rasterizer {
    /// The system's fonts (`fonts-noto-core` gives Noto Sans and Noto Sans
    /// Bengali; cosmic-text falls back from one to the other per character).
    pub fn new() -> Self {
        Self { fonts: FontSystem::new(), glyphs: SwashCache::new() }
    }

    /// Draws `lines` on paper `paper` wide: 24-dot text (about 3 mm, the size
    /// of a printer's own font), a 36-dot bold title.
    pub fn render(&mut self, lines: &[Line], paper: PaperWidth) -> Bitmap {
        let width = paper.dots();
        let body = Metrics::new(24.0, 32.0);
        let title = Metrics::new(34.0, 44.0);
        // Laid out first, then drawn into a picture exactly as tall.
        let mut blocks: Vec<(Buffer, f32)> = Vec::new();
        let mut y = 8.0;
        let text_width = width as f32 - 2.0 * MARGIN;
        for line in lines {
            match line {
                Line::Title(text) => y += self.block(&mut blocks, y, text, title, Weight::BOLD, Align::Center, text_width),
                Line::Centered(text) => y += self.block(&mut blocks, y, text, body, Weight::NORMAL, Align::Center, text_width),
                Line::Rule => {
                    let dashes = "-".repeat((text_width / 12.0) as usize);
                    y += self.block(&mut blocks, y, &dashes, body, Weight::NORMAL, Align::Center, text_width);
                }
                Line::Pair { label, value } => {
                    let label_w = self.measure(label, body, Weight::NORMAL);
                    let value_w = self.measure(value, body, Weight::BOLD);
                    let step = self.block(&mut blocks, y, label, body, Weight::NORMAL, Align::Left, text_width);
                    // A value too long to sit beside its label goes under it.
                    if label_w + value_w + 16.0 > text_width {
                        y += step;
                    }
                    y += self.block(&mut blocks, y, value, body, Weight::BOLD, Align::Right, text_width);
                }
            }
        }
        let mut bitmap = Bitmap::blank(width, (y + 8.0).ceil() as u32);
        for (mut buffer, top) in blocks {
            buffer.draw(&mut self.fonts, &mut self.glyphs, Color::rgb(0, 0, 0), |x, gy, w, h, color| {
                // Glyph edges come anti-aliased; a dot is black from half cover.
                if color.a() < 128 {
                    return;
                }
                for dy in 0..h {
                    for dx in 0..w {
                        let (px, py) = (x + dx as i32 + MARGIN as i32, gy + dy as i32 + top as i32);
                        if px >= 0 && py >= 0 {
                            bitmap.set(px as u32, py as u32);
                        }
                    }
                }
            });
        }
        bitmap
    }

    /// Lays out one block of text at `top`; returns its height.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        blocks: &mut Vec<(Buffer, f32)>,
        top: f32,
        text: &str,
        metrics: Metrics,
        weight: Weight,
        align: Align,
        width: f32,
    ) -> f32 {
        let mut buffer = Buffer::new(&mut self.fonts, metrics);
        buffer.set_size(Some(width), None);
        buffer.set_text(text, &Attrs::new().family(Family::SansSerif).weight(weight), Shaping::Advanced, Some(align));
        buffer.shape_until_scroll(&mut self.fonts, false);
        let height = buffer.layout_runs().map(|run| run.line_height).sum::<f32>().max(metrics.line_height);
        blocks.push((buffer, top));
        height
    }

    /// How wide `text` is in body text, in dots (shaped: a Bangla conjunct
    /// is one glyph, narrower than its letters side by side).
    pub fn text_width(&mut self, text: &str) -> f32 {
        self.measure(text, Metrics::new(24.0, 32.0), Weight::NORMAL)
    }

    fn measure(&mut self, text: &str, metrics: Metrics, weight: Weight) -> f32 {
        let mut buffer = Buffer::new(&mut self.fonts, metrics);
        buffer.set_size(None, None);
        buffer.set_text(text, &Attrs::new().family(Family::SansSerif).weight(weight), Shaping::Advanced, None);
        buffer.shape_until_scroll(&mut self.fonts, false);
        buffer.layout_runs().map(|run| run.line_w).fold(0.0, f32::max)
    }
}
