//! Static charts for the report generator: category heatmaps, stacked bars,
//! value matrices and event timelines, rendered to SVG (text) or PNG (bytes).
//!
//! Design notes:
//!
//! * **No system fonts or libraries.** Text is measured and (for PNG)
//!   rasterised with the embedded DejaVu Sans (`assets/fonts/`, Bitstream Vera
//!   licence, see `LICENSE-DejaVu.txt`), which is also registered with
//!   plotters' `ab_glyph` font table under the family name `sans-serif`. SVG
//!   output refers to that family name, so a viewer uses its own sans-serif
//!   face; layout uses DejaVu Sans metrics, which are wider than most
//!   sans-serif faces, so SVG text fits in the space measured for it.
//! * **Layout first, drawing second.** Each chart is laid out into a `Scene`
//!   (rectangles, lines, polygons, circles and text in CSS pixels), sized from
//!   the data (number of rows/columns, longest label). One painter, generic
//!   over the plotters `DrawingBackend`, draws a scene on the SVG or the bitmap
//!   backend. Text needs per-target handling: plotters' SVG backend writes
//!   `font-size = size / 1.24` and a `dy` baseline shift, which the painter
//!   compensates; for PNG the glyphs are rasterised with `ab_glyph` directly
//!   (plotters 0.3.7's own ab_glyph text drops left side bearings, giving
//!   uneven letter spacing), so both outputs put text in the same place.
//! * **Deterministic.** No clocks, ids, randomness or hash-map iteration: the
//!   same input gives the same bytes (PNG: fixed encoder settings).
//! * **Readable.** White background, near-black text, tick/row labels 12 px,
//!   legend and axis titles 14 px, title 18 px bold (SVG at 100 %), colours
//!   supplied by the caller (see [`palette`] for the colour-blind-safe
//!   Okabe–Ito set), a legend on every categorical chart and a "Source: …"
//!   line under every chart. Labels never overlap: row and column pitches are
//!   fixed from the font size, column labels are turned to read upwards when
//!   they are wider than a cell, and label areas are as wide as the longest
//!   label. PNG output is rendered at [`PNG_SCALE`]× for sharp printing
//!   (`*_png_scaled` to choose another scale).
//!
//! Size limits: a chart may be at most [`MAX_SIDE`] CSS px in either
//! direction (about 980 heatmap rows, 880 heatmap columns or 700 horizontal
//! stacked bars), and a PNG at most [`MAX_PNG_PIXELS`] pixels after scaling
//! (a 42-column heatmap at the default 2× scale: about 800 rows); beyond that
//! [`ChartError::TooLarge`] is returned. Labels wider than the label caps
//! (heatmap rows 320 px, heatmap columns 160 px, bars 320 px, matrix 260 px,
//! lanes 260 px, events 240 px) are shortened with an ellipsis "…", as is a
//! y-axis title longer than the chart is tall; titles, x-axis titles, notes
//! and sources wrap.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef, Glyph, GlyphId, PxScale, ScaleFont, point};
use plotters::coord::Shift;
use plotters::prelude::{
    BitMapBackend, Circle, DrawingArea, DrawingBackend, IntoDrawingArea, PathElement, Polygon,
    Rectangle, SVGBackend,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{
    Color, FontDesc, FontFamily, FontStyle, FontTransform, RGBColor, TextStyle, register_font,
};

// ---------------------------------------------------------------------------
// Public data types
// ---------------------------------------------------------------------------

/// A named category with its fill colour (sRGB).
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub label: String,
    pub color: (u8, u8, u8),
}

/// Grid of categorical cells: one row per `rows` entry, one column per
/// `columns` entry.
///
/// `cells[r][c]` is an index into `categories`, or `None` for empty / not
/// applicable (drawn light grey, with a "not applicable" legend entry; if a
/// category is itself labelled "not applicable"/"n/a", its colour is used
/// instead and no second entry is added).
///
/// `row_groups` are `(label, first_row, last_row)` with inclusive bounds; they
/// must not overlap. Groups are separated by a gap and a rule, and labelled
/// in a column left of the row labels. Rows outside any group are allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub columns: Vec<String>,
    pub rows: Vec<String>,
    pub row_groups: Vec<(String, usize, usize)>,
    pub cells: Vec<Vec<Option<usize>>>,
    pub categories: Vec<Category>,
    pub source: String,
}

/// One bar per label, stacked segments in category order.
///
/// `values[label][category]` are fractions (each bar's sum ≤ 1, axis in %)
/// when `percent` is true, or non-negative counts otherwise. `horizontal`
/// draws bars left to right with labels on the left (best for many labels).
#[derive(Debug, Clone, PartialEq)]
pub struct StackedBars {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub labels: Vec<String>,
    pub categories: Vec<Category>,
    pub values: Vec<Vec<f64>>,
    pub percent: bool,
    pub horizontal: bool,
    pub source: String,
}

/// Square matrix of values in [0, 1], printed in the cells with two decimals
/// on a sequential colour scale (light yellow → dark blue), with a colour bar.
/// Non-finite values are drawn as grey "n/a" cells; values outside [0, 1] are
/// printed as they are and coloured as the nearest end of the scale.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixChart {
    pub title: String,
    pub labels: Vec<String>,
    pub values: Vec<Vec<f64>>,
    pub source: String,
    pub note: Option<String>,
}

/// Event timeline: one lane per entry of `lanes`, events as markers with short
/// labels, x axis in (decimal) years.
///
/// Events are `(lane index, year, label, category index)`; the category sets
/// both colour and marker shape. Every event year must lie within `x_range`.
/// Events close together in a lane are stacked in sub-rows so that labels
/// never overlap.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub title: String,
    pub lanes: Vec<String>,
    pub events: Vec<(usize, f64, String, usize)>,
    pub categories: Vec<Category>,
    pub x_range: (f64, f64),
    pub source: String,
}

/// Errors from laying out, drawing or encoding a chart.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The chart data is inconsistent (mismatched lengths, bad indices, NaN, …).
    #[error("invalid chart data: {0}")]
    InvalidInput(String),
    /// The chart would exceed the size limits.
    #[error("chart too large: {0}")]
    TooLarge(String),
    /// The embedded font could not be loaded or measured.
    #[error("font error: {0}")]
    Font(String),
    /// A plotters backend reported an error.
    #[error("drawing error: {0}")]
    Drawing(String),
    /// The PNG encoder reported an error.
    #[error("PNG encoding error: {0}")]
    Encode(String),
}

type Res<T> = Result<T, ChartError>;

/// Colour-blind-safe colours (Okabe & Ito, 2008) and the "not applicable" grey.
pub mod palette {
    /// Okabe–Ito black.
    pub const BLACK: (u8, u8, u8) = (0, 0, 0);
    /// Okabe–Ito orange.
    pub const ORANGE: (u8, u8, u8) = (230, 159, 0);
    /// Okabe–Ito sky blue.
    pub const SKY_BLUE: (u8, u8, u8) = (86, 180, 233);
    /// Okabe–Ito bluish green.
    pub const BLUISH_GREEN: (u8, u8, u8) = (0, 158, 115);
    /// Okabe–Ito yellow.
    pub const YELLOW: (u8, u8, u8) = (240, 228, 66);
    /// Okabe–Ito blue.
    pub const BLUE: (u8, u8, u8) = (0, 114, 178);
    /// Okabe–Ito vermillion.
    pub const VERMILLION: (u8, u8, u8) = (213, 94, 0);
    /// Okabe–Ito reddish purple.
    pub const REDDISH_PURPLE: (u8, u8, u8) = (204, 121, 167);
    /// The eight Okabe–Ito colours in their customary order.
    pub const OKABE_ITO: [(u8, u8, u8); 8] = [
        BLACK,
        ORANGE,
        SKY_BLUE,
        BLUISH_GREEN,
        YELLOW,
        BLUE,
        VERMILLION,
        REDDISH_PURPLE,
    ];
    /// Light grey used for empty / not-applicable cells.
    pub const NOT_APPLICABLE: (u8, u8, u8) = (221, 221, 221);
}

// ---------------------------------------------------------------------------
// Public rendering functions
// ---------------------------------------------------------------------------

/// Scale factor of the `*_png` functions (2 = "retina"/print quality; the
/// layout is in CSS pixels, so a PNG is `PNG_SCALE` times the SVG size).
pub const PNG_SCALE: f64 = 2.0;
/// Largest chart side in CSS pixels.
pub const MAX_SIDE: f64 = 16_000.0;
/// Largest PNG, in pixels (width × height after scaling; 64 M ≈ 192 MB RGB).
pub const MAX_PNG_PIXELS: f64 = 64_000_000.0;

/// Renders a heatmap as an SVG document.
pub fn heatmap_svg(c: &Heatmap) -> Result<String, ChartError> {
    ensure_fonts()?;
    to_svg(&heatmap_scene(c)?)
}
/// Renders a heatmap as PNG bytes at [`PNG_SCALE`].
pub fn heatmap_png(c: &Heatmap) -> Result<Vec<u8>, ChartError> {
    heatmap_png_scaled(c, PNG_SCALE)
}
/// Renders a heatmap as PNG bytes at the given scale (1.0 = SVG size).
pub fn heatmap_png_scaled(c: &Heatmap, scale: f64) -> Result<Vec<u8>, ChartError> {
    ensure_fonts()?;
    to_png(&heatmap_scene(c)?, scale)
}

/// Renders stacked bars as an SVG document.
pub fn stacked_svg(c: &StackedBars) -> Result<String, ChartError> {
    ensure_fonts()?;
    to_svg(&stacked_scene(c)?)
}
/// Renders stacked bars as PNG bytes at [`PNG_SCALE`].
pub fn stacked_png(c: &StackedBars) -> Result<Vec<u8>, ChartError> {
    stacked_png_scaled(c, PNG_SCALE)
}
/// Renders stacked bars as PNG bytes at the given scale (1.0 = SVG size).
pub fn stacked_png_scaled(c: &StackedBars, scale: f64) -> Result<Vec<u8>, ChartError> {
    ensure_fonts()?;
    to_png(&stacked_scene(c)?, scale)
}

/// Renders a value matrix as an SVG document.
pub fn matrix_svg(c: &MatrixChart) -> Result<String, ChartError> {
    ensure_fonts()?;
    to_svg(&matrix_scene(c)?)
}
/// Renders a value matrix as PNG bytes at [`PNG_SCALE`].
pub fn matrix_png(c: &MatrixChart) -> Result<Vec<u8>, ChartError> {
    matrix_png_scaled(c, PNG_SCALE)
}
/// Renders a value matrix as PNG bytes at the given scale (1.0 = SVG size).
pub fn matrix_png_scaled(c: &MatrixChart, scale: f64) -> Result<Vec<u8>, ChartError> {
    ensure_fonts()?;
    to_png(&matrix_scene(c)?, scale)
}

/// Renders a timeline as an SVG document.
pub fn timeline_svg(c: &Timeline) -> Result<String, ChartError> {
    ensure_fonts()?;
    to_svg(&timeline_scene(c)?)
}
/// Renders a timeline as PNG bytes at [`PNG_SCALE`].
pub fn timeline_png(c: &Timeline) -> Result<Vec<u8>, ChartError> {
    timeline_png_scaled(c, PNG_SCALE)
}
/// Renders a timeline as PNG bytes at the given scale (1.0 = SVG size).
pub fn timeline_png_scaled(c: &Timeline, scale: f64) -> Result<Vec<u8>, ChartError> {
    ensure_fonts()?;
    to_png(&timeline_scene(c)?, scale)
}

// ---------------------------------------------------------------------------
// Fonts and text metrics
// ---------------------------------------------------------------------------

const FONT_REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));
const FONT_BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-Bold.ttf"
));

/// The embedded faces, parsed once; also registered with plotters.
struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();

/// Parses the embedded fonts and registers them with plotters' font table
/// under `sans-serif` (once per process).
fn ensure_fonts() -> Res<&'static Fonts> {
    FONTS
        .get_or_init(|| {
            let regular = FontRef::try_from_slice(FONT_REGULAR).ok()?;
            let bold = FontRef::try_from_slice(FONT_BOLD).ok()?;
            register_font("sans-serif", FontStyle::Normal, FONT_REGULAR).ok()?;
            register_font("sans-serif", FontStyle::Bold, FONT_BOLD).ok()?;
            Some(Fonts { regular, bold })
        })
        .as_ref()
        .ok_or_else(|| ChartError::Font("the embedded DejaVu Sans font could not be parsed".into()))
}

/// ab_glyph scales a font so that `ascent - descent` equals the requested
/// size; for DejaVu Sans (hhea 1901 / -483, 2048 units per em) that is
/// 1.164 em. Requesting `em * PNG_SIZE_PER_EM` therefore draws `em`-sized text.
const PNG_SIZE_PER_EM: f64 = 2384.0 / 2048.0;
/// plotters' SVG backend writes `font-size = size / 1.24`.
const SVG_SIZE_PER_EM: f64 = 1.24;
/// Baseline below the anchor for `VPos::Top` in plotters' SVG output, in em
/// (it emits `dy="0.76em"`).
const SVG_TOP_BASELINE_EM: f64 = 0.76;
/// Layout box of a text line around its baseline, in em (DejaVu Sans: accented
/// capitals reach ~0.92 em, descenders ~0.24 em) and cap height.
const ASCENT: f64 = 0.93;
const DESCENT: f64 = 0.24;
const CAP_HEIGHT: f64 = 0.73;
/// Em size at which widths are measured (then scaled linearly).
const MEASURE_EM: f64 = 1000.0;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Font {
    size: f64,
    bold: bool,
}

const F_TITLE: Font = Font {
    size: 18.0,
    bold: true,
};
const F_AXIS: Font = Font {
    size: 14.0,
    bold: false,
};
const F_TICK: Font = Font {
    size: 12.0,
    bold: false,
};
const F_GROUP: Font = Font {
    size: 12.0,
    bold: true,
};
const F_LEGEND: Font = Font {
    size: 14.0,
    bold: false,
};
const F_SOURCE: Font = Font {
    size: 12.0,
    bold: false,
};
const F_CELL: Font = Font {
    size: 12.0,
    bold: false,
};

/// Line pitch for a font.
fn lh(f: Font) -> f64 {
    (f.size * 1.3).ceil()
}

fn font_style(f: Font) -> FontStyle {
    if f.bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    }
}

fn face(fonts: &'static Fonts, font: Font) -> &'static FontRef<'static> {
    if font.bold {
        &fonts.bold
    } else {
        &fonts.regular
    }
}

/// Lays `text` out on a baseline starting at x = 0 with kerning; returns the
/// positioned glyphs and the advance width (in the units of `px`, where `px`
/// is ab_glyph's scale, i.e. `em * PNG_SIZE_PER_EM`).
fn layout_glyphs(font: &FontRef<'static>, px: f32, text: &str) -> (Vec<Glyph>, f32) {
    let sf = font.as_scaled(PxScale::from(px));
    let mut pen = 0.0f32;
    let mut prev: Option<GlyphId> = None;
    let mut glyphs = Vec::with_capacity(text.len());
    for ch in text.chars() {
        let id = sf.glyph_id(ch);
        if let Some(p) = prev {
            pen += sf.kern(p, id);
        }
        glyphs.push(id.with_scale_and_position(px, point(pen, 0.0)));
        pen += sf.h_advance(id);
        prev = Some(id);
    }
    (glyphs, pen)
}

/// Advance width of `text` in CSS px, measured with the embedded font.
fn text_width(text: &str, font: Font) -> Res<f64> {
    if text.is_empty() {
        return Ok(0.0);
    }
    let fonts = ensure_fonts()?;
    let (_, w) = layout_glyphs(
        face(fonts, font),
        (MEASURE_EM * PNG_SIZE_PER_EM) as f32,
        text,
    );
    Ok(f64::from(w) / MEASURE_EM * font.size)
}

/// Replaces control characters (newlines, tabs, NUL, …) with spaces and trims.
fn clean(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    t.trim().to_string()
}

/// Shortens `text` with a trailing ellipsis so that it is at most `max_w` wide.
fn fit(text: &str, max_w: f64, font: Font) -> Res<String> {
    if text_width(text, font)? <= max_w {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(&candidate, font)? <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let prefix: String = chars[..lo].iter().collect();
    Ok(format!("{}…", prefix.trim_end()))
}

/// Greedy word wrap to `max_w`; words wider than a line are broken between
/// characters.
fn wrap(text: &str, max_w: f64, font: Font) -> Res<Vec<String>> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if text_width(&candidate, font)? <= max_w {
            cur = candidate;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        if text_width(word, font)? <= max_w {
            cur = word.to_string();
            continue;
        }
        let mut piece = String::new();
        for ch in word.chars() {
            let mut t = piece.clone();
            t.push(ch);
            if !piece.is_empty() && text_width(&t, font)? > max_w {
                lines.push(std::mem::replace(&mut piece, ch.to_string()));
            } else {
                piece = t;
            }
        }
        cur = piece;
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    Ok(lines)
}

fn max_width<'a, I: IntoIterator<Item = &'a String>>(items: I, font: Font) -> Res<f64> {
    let mut m: f64 = 0.0;
    for s in items {
        m = m.max(text_width(s, font)?);
    }
    Ok(m)
}

// ---------------------------------------------------------------------------
// Scene: backend-independent drawing list in CSS pixels
// ---------------------------------------------------------------------------

type Rgb = (u8, u8, u8);

const TEXT: Rgb = (26, 26, 26);
const MUTED: Rgb = (68, 68, 68);
const GRID: Rgb = (222, 222, 222);
const AXIS_LINE: Rgb = (80, 80, 80);
const RULE: Rgb = (140, 140, 140);
const ZEBRA: Rgb = (244, 244, 244);
const OUTLINE: Rgb = (60, 60, 60);
const WHITE: Rgb = (255, 255, 255);

const MARGIN: f64 = 20.0;
const MIN_CONTENT_W: f64 = 560.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HAlign {
    Start,
    Middle,
    End,
}

/// Vertical placement of a text line relative to its anchor: `Top` = top of
/// the line box, `Middle` = middle of capitals, `Bottom` = bottom of the line
/// box (descenders). For vertical text (`vertical = true`, reading bottom to
/// top) "vertical" means across the line, i.e. screen x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VAlign {
    Top,
    Middle,
    Bottom,
}

#[derive(Debug, Clone, PartialEq)]
struct TextItem {
    text: String,
    x: f64,
    y: f64,
    font: Font,
    color: Rgb,
    h: HAlign,
    v: VAlign,
    vertical: bool,
    width: f64,
}

impl TextItem {
    /// Offset of the baseline from the anchor, across the line (positive =
    /// below the text, i.e. screen +y, or screen +x for vertical text).
    fn baseline_offset(&self) -> f64 {
        let e = self.font.size;
        match self.v {
            VAlign::Top => ASCENT * e,
            VAlign::Middle => CAP_HEIGHT * e / 2.0,
            VAlign::Bottom => -DESCENT * e,
        }
    }

    /// Bounding box (x0, y0, x1, y1) of the line box on screen.
    #[cfg(test)]
    fn bbox(&self) -> (f64, f64, f64, f64) {
        let e = self.font.size;
        let b = self.baseline_offset();
        let (a0, a1) = (b - ASCENT * e, b + DESCENT * e);
        let (s0, s1) = match self.h {
            HAlign::Start => (0.0, self.width),
            HAlign::Middle => (-self.width / 2.0, self.width / 2.0),
            HAlign::End => (-self.width, 0.0),
        };
        if self.vertical {
            // along the text = screen -y; across = screen +x
            (self.x + a0, self.y - s1, self.x + a1, self.y - s0)
        } else {
            (self.x + s0, self.y + a0, self.x + s1, self.y + a1)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Item {
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        fill: Rgb,
    },
    Line {
        pts: Vec<(f64, f64)>,
        color: Rgb,
        width: f64,
    },
    Poly {
        pts: Vec<(f64, f64)>,
        fill: Rgb,
        outline: Option<Rgb>,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
        fill: Rgb,
        outline: Option<Rgb>,
    },
    Text(TextItem),
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Scene {
    w: f64,
    h: f64,
    items: Vec<Item>,
}

impl Scene {
    fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, fill: Rgb) {
        self.items.push(Item::Rect {
            x0,
            y0,
            x1,
            y1,
            fill,
        });
    }

    fn line(&mut self, pts: Vec<(f64, f64)>, color: Rgb, width: f64) {
        self.items.push(Item::Line { pts, color, width });
    }

    fn outlined_rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, fill: Rgb, outline: Rgb) {
        self.items.push(Item::Poly {
            pts: vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)],
            fill,
            outline: Some(outline),
        });
    }

    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        text: &str,
        x: f64,
        y: f64,
        font: Font,
        color: Rgb,
        h: HAlign,
        v: VAlign,
        vertical: bool,
    ) -> Res<()> {
        if text.is_empty() {
            return Ok(());
        }
        let width = text_width(text, font)?;
        self.items.push(Item::Text(TextItem {
            text: text.to_string(),
            x,
            y,
            font,
            color,
            h,
            v,
            vertical,
            width,
        }));
        Ok(())
    }

    /// Appends `other`'s items translated by (dx, dy).
    fn append(&mut self, other: Scene, dx: f64, dy: f64) {
        let mv = |p: (f64, f64)| (p.0 + dx, p.1 + dy);
        for item in other.items {
            self.items.push(match item {
                Item::Rect {
                    x0,
                    y0,
                    x1,
                    y1,
                    fill,
                } => Item::Rect {
                    x0: x0 + dx,
                    y0: y0 + dy,
                    x1: x1 + dx,
                    y1: y1 + dy,
                    fill,
                },
                Item::Line { pts, color, width } => Item::Line {
                    pts: pts.into_iter().map(mv).collect(),
                    color,
                    width,
                },
                Item::Poly { pts, fill, outline } => Item::Poly {
                    pts: pts.into_iter().map(mv).collect(),
                    fill,
                    outline,
                },
                Item::Circle {
                    cx,
                    cy,
                    r,
                    fill,
                    outline,
                } => Item::Circle {
                    cx: cx + dx,
                    cy: cy + dy,
                    r,
                    fill,
                    outline,
                },
                Item::Text(mut t) => {
                    t.x += dx;
                    t.y += dy;
                    Item::Text(t)
                }
            });
        }
    }
}

/// Marker shapes for timeline categories (shape + colour, so categories stay
/// distinguishable without colour vision).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Circle,
    Square,
    TriangleUp,
    Diamond,
    TriangleDown,
    Plus,
}

const SHAPES: [Shape; 6] = [
    Shape::Circle,
    Shape::Square,
    Shape::TriangleUp,
    Shape::Diamond,
    Shape::TriangleDown,
    Shape::Plus,
];

fn marker(s: &mut Scene, shape: Shape, cx: f64, cy: f64, r: f64, fill: Rgb) {
    let poly = |pts: Vec<(f64, f64)>| Item::Poly {
        pts,
        fill,
        outline: Some(OUTLINE),
    };
    let item = match shape {
        Shape::Circle => Item::Circle {
            cx,
            cy,
            r,
            fill,
            outline: Some(OUTLINE),
        },
        Shape::Square => {
            let a = r * 0.88;
            poly(vec![
                (cx - a, cy - a),
                (cx + a, cy - a),
                (cx + a, cy + a),
                (cx - a, cy + a),
            ])
        }
        Shape::TriangleUp => poly(vec![
            (cx, cy - r * 1.15),
            (cx + r * 1.1, cy + r * 0.85),
            (cx - r * 1.1, cy + r * 0.85),
        ]),
        Shape::TriangleDown => poly(vec![
            (cx - r * 1.1, cy - r * 0.85),
            (cx + r * 1.1, cy - r * 0.85),
            (cx, cy + r * 1.15),
        ]),
        Shape::Diamond => poly(vec![
            (cx, cy - r * 1.2),
            (cx + r * 1.2, cy),
            (cx, cy + r * 1.2),
            (cx - r * 1.2, cy),
        ]),
        Shape::Plus => {
            let (a, b) = (r * 1.1, r * 0.42);
            poly(vec![
                (cx - b, cy - a),
                (cx + b, cy - a),
                (cx + b, cy - b),
                (cx + a, cy - b),
                (cx + a, cy + b),
                (cx + b, cy + b),
                (cx + b, cy + a),
                (cx - b, cy + a),
                (cx - b, cy + b),
                (cx - a, cy + b),
                (cx - a, cy - b),
                (cx - b, cy - b),
            ])
        }
    };
    s.items.push(item);
}

// ---------------------------------------------------------------------------
// Common frame: title, legend, body, note and source
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Swatch {
    Box(Rgb),
    Marker(Shape, Rgb),
}

struct LegendEntry {
    swatch: Swatch,
    label: String,
}

/// Lays out legend entries in rows within `max_w`; returns the block height.
fn legend_block(s: &mut Scene, entries: &[LegendEntry], x0: f64, y0: f64, max_w: f64) -> Res<f64> {
    const SW: f64 = 14.0;
    const GAP: f64 = 6.0;
    const SEP: f64 = 22.0;
    const ROW: f64 = 24.0;
    let (mut x, mut y) = (x0, y0);
    for e in entries {
        let label = fit(&clean(&e.label), max_w - SW - GAP, F_LEGEND)?;
        let w = SW + GAP + text_width(&label, F_LEGEND)?;
        if x > x0 && x + w > x0 + max_w {
            x = x0;
            y += ROW;
        }
        let cy = y + 9.0;
        match e.swatch {
            Swatch::Box(c) => s.outlined_rect(x, cy - 7.0, x + SW, cy + 7.0, c, RULE),
            Swatch::Marker(shape, c) => marker(s, shape, x + SW / 2.0, cy, 5.5, c),
        }
        s.text(
            &label,
            x + SW + GAP,
            cy,
            F_LEGEND,
            TEXT,
            HAlign::Start,
            VAlign::Middle,
            false,
        )?;
        x += w + SEP;
    }
    Ok(y - y0 + 19.0)
}

fn source_text(source: &str) -> String {
    let s = clean(source);
    if s.is_empty() || s.to_lowercase().starts_with("source") {
        s
    } else {
        format!("Source: {s}")
    }
}

/// Stacks title, legend, body, notes and source into the final scene.
fn compose(
    title: &str,
    legend: &[LegendEntry],
    body: Scene,
    notes: &[String],
    source: &str,
) -> Res<Scene> {
    let content_w = body.w.max(MIN_CONTENT_W).ceil();
    let mut s = Scene::default();
    let mut y = MARGIN;
    for line in wrap(&clean(title), content_w, F_TITLE)? {
        s.text(
            &line,
            MARGIN,
            y,
            F_TITLE,
            TEXT,
            HAlign::Start,
            VAlign::Top,
            false,
        )?;
        y += lh(F_TITLE);
    }
    y += 8.0;
    if !legend.is_empty() {
        y += legend_block(&mut s, legend, MARGIN, y, content_w)?;
        y += 12.0;
    }
    let body_h = body.h;
    s.append(body, MARGIN, y.round());
    y = y.round() + body_h + 14.0;
    let mut footer: Vec<String> = notes
        .iter()
        .map(|n| clean(n))
        .filter(|n| !n.is_empty())
        .collect();
    let src = source_text(source);
    if !src.is_empty() {
        footer.push(src);
    }
    for para in &footer {
        for line in wrap(para, content_w, F_SOURCE)? {
            s.text(
                &line,
                MARGIN,
                y,
                F_SOURCE,
                MUTED,
                HAlign::Start,
                VAlign::Top,
                false,
            )?;
            y += lh(F_SOURCE);
        }
    }
    s.w = content_w + 2.0 * MARGIN;
    s.h = (y + MARGIN - 4.0).ceil();
    Ok(s)
}

/// Vertical axis title (reading upwards), centred on `[y0, y1]` if it fits,
/// otherwise moved and, if need be, shortened to stay within `[lo, hi]`; its
/// left edge is at `x`.
#[allow(clippy::too_many_arguments)]
fn vertical_title(
    s: &mut Scene,
    text: &str,
    x: f64,
    y0: f64,
    y1: f64,
    lo: f64,
    hi: f64,
) -> Res<()> {
    let t = fit(text, (hi - lo).max(1.0), F_AXIS)?;
    let half = text_width(&t, F_AXIS)? / 2.0;
    let centre = ((y0 + y1) / 2.0).max(lo + half).min(hi - half);
    s.text(
        &t,
        x,
        centre,
        F_AXIS,
        TEXT,
        HAlign::Middle,
        VAlign::Top,
        true,
    )
}

/// Horizontal axis title centred on `cx`, wrapped to `max_w`, kept within
/// `[min_x, ..]`; returns (height used, right-most x).
fn horizontal_title(
    s: &mut Scene,
    text: &str,
    cx: f64,
    y: f64,
    max_w: f64,
    min_x: f64,
) -> Res<(f64, f64)> {
    let mut yy = y;
    let mut right: f64 = 0.0;
    for line in wrap(text, max_w, F_AXIS)? {
        let w = text_width(&line, F_AXIS)?;
        let x0 = (cx - w / 2.0).max(min_x);
        s.text(
            &line,
            x0,
            yy,
            F_AXIS,
            TEXT,
            HAlign::Start,
            VAlign::Top,
            false,
        )?;
        right = right.max(x0 + w);
        yy += lh(F_AXIS);
    }
    Ok((yy - y, right))
}

fn invalid(msg: impl Into<String>) -> ChartError {
    ChartError::InvalidInput(msg.into())
}

fn check_categories(cats: &[Category], what: &str) -> Res<()> {
    if cats.is_empty() {
        return Err(invalid(format!("{what}: no categories")));
    }
    Ok(())
}

fn is_na_label(label: &str) -> bool {
    let norm: String = label
        .to_lowercase()
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    let norm = norm.split_whitespace().collect::<Vec<_>>().join(" ");
    norm == "not applicable" || norm == "n/a" || norm == "na"
}

// ---------------------------------------------------------------------------
// Heatmap
// ---------------------------------------------------------------------------

fn heatmap_scene(c: &Heatmap) -> Res<Scene> {
    let (nrows, ncols) = (c.rows.len(), c.columns.len());
    if nrows == 0 || ncols == 0 {
        return Err(invalid("heatmap: needs at least one row and one column"));
    }
    if c.cells.len() != nrows {
        return Err(invalid(format!(
            "heatmap: {} rows of cells for {} row labels",
            c.cells.len(),
            nrows
        )));
    }
    let mut has_none = false;
    for (r, row) in c.cells.iter().enumerate() {
        if row.len() != ncols {
            return Err(invalid(format!(
                "heatmap: row {r} has {} cells for {ncols} columns",
                row.len()
            )));
        }
        for cell in row {
            match cell {
                Some(k) if *k >= c.categories.len() => {
                    return Err(invalid(format!(
                        "heatmap: row {r} uses category {k} but only {} categories exist",
                        c.categories.len()
                    )));
                }
                None => has_none = true,
                _ => {}
            }
        }
    }
    let mut groups: Vec<(String, usize, usize)> = c.row_groups.clone();
    groups.sort_by_key(|g| (g.1, g.2));
    for (i, g) in groups.iter().enumerate() {
        if g.1 > g.2 || g.2 >= nrows {
            return Err(invalid(format!(
                "heatmap: row group {:?} spans rows {}..={} of {nrows}",
                g.0, g.1, g.2
            )));
        }
        if i > 0 && g.1 <= groups[i - 1].2 {
            return Err(invalid(format!(
                "heatmap: row groups {:?} and {:?} overlap",
                groups[i - 1].0,
                g.0
            )));
        }
    }
    let mut group_of_row: Vec<Option<usize>> = vec![None; nrows];
    for (gi, g) in groups.iter().enumerate() {
        for slot in &mut group_of_row[g.1..=g.2] {
            *slot = Some(gi);
        }
    }
    let na_category = c.categories.iter().position(|k| is_na_label(&k.label));
    let na_color = na_category
        .map(|i| c.categories[i].color)
        .unwrap_or(palette::NOT_APPLICABLE);

    // --- horizontal layout
    let col_labels: Vec<String> = c
        .columns
        .iter()
        .map(|l| fit(&clean(l), 160.0, F_TICK))
        .collect::<Res<_>>()?;
    let col_w_max = max_width(&col_labels, F_TICK)?;
    let wide_cell = (col_w_max + 10.0).max(24.0).ceil();
    let horizontal_cols = wide_cell * ncols as f64 <= 1100.0;
    let cell_w = if horizontal_cols {
        wide_cell
    } else if ncols <= 60 {
        24.0
    } else {
        18.0
    };
    let row_h = if nrows <= 120 { 18.0 } else { 16.0 };
    let col_area = if horizontal_cols {
        lh(F_TICK)
    } else {
        col_w_max.ceil() + 2.0
    };

    let row_labels: Vec<String> = c
        .rows
        .iter()
        .map(|l| fit(&clean(l), 320.0, F_TICK))
        .collect::<Res<_>>()?;
    let rw = max_width(&row_labels, F_TICK)?.ceil();

    let group_labels: Vec<String> = groups.iter().map(|g| clean(&g.0)).collect();
    let group_text_w = if groups.is_empty() {
        0.0
    } else {
        max_width(&group_labels, F_GROUP)?
            .min(170.0)
            .ceil()
            .max(24.0)
    };
    let group_lines: Vec<Vec<String>> = group_labels
        .iter()
        .map(|l| wrap(l, group_text_w, F_GROUP))
        .collect::<Res<_>>()?;

    let y_label = clean(&c.y_label);
    let mut x = 0.0;
    let ylab_x = x;
    if !y_label.is_empty() {
        x += lh(F_AXIS) + 8.0;
    }
    let gx0 = x;
    if !groups.is_empty() {
        x += group_text_w + 16.0;
    }
    let rl_right = x + rw;
    let gx = rl_right + 6.0;
    let grid_w = ncols as f64 * cell_w;
    let grid_right = gx + grid_w;

    let mut s = Scene::default();

    // --- vertical layout
    let mut y = 0.0;
    let x_label = clean(&c.x_label);
    let mut right = grid_right + 2.0;
    if !x_label.is_empty() {
        let (h, r) = horizontal_title(
            &mut s,
            &x_label,
            gx + grid_w / 2.0,
            y,
            grid_w.max(300.0),
            0.0,
        )?;
        y += h + 4.0;
        right = right.max(r);
    }
    let grid_top = (y + col_area + 6.0).round();

    const GAP: f64 = 10.0;
    let mut row_y = vec![0.0; nrows];
    let mut separators = Vec::new();
    let mut cy = grid_top;
    for r in 0..nrows {
        if r > 0 && group_of_row[r] != group_of_row[r - 1] {
            separators.push(cy + GAP / 2.0);
            cy += GAP;
        }
        row_y[r] = cy;
        cy += row_h;
        // a group whose label needs more lines than it has rows gets extra space
        if let Some(gi) = group_of_row[r].filter(|&gi| groups[gi].2 == r) {
            let need = group_lines[gi].len() as f64 * lh(F_GROUP) + 2.0;
            let have = cy - row_y[groups[gi].1];
            if need > have {
                cy += need - have;
            }
        }
    }
    let grid_bottom = cy;

    // separators between groups
    for sy in &separators {
        let sy = sy.round();
        s.line(vec![(gx0, sy), (grid_right, sy)], RULE, 1.0);
    }
    // cells
    for (r, row) in c.cells.iter().enumerate() {
        for (ci, cell) in row.iter().enumerate() {
            let color = match cell {
                Some(k) => c.categories[*k].color,
                None => na_color,
            };
            let x0 = gx + ci as f64 * cell_w;
            s.rect(
                x0,
                row_y[r],
                x0 + cell_w - 1.0,
                row_y[r] + row_h - 1.0,
                color,
            );
        }
    }
    // row labels
    for (r, label) in row_labels.iter().enumerate() {
        s.text(
            label,
            rl_right,
            row_y[r] + (row_h - 1.0) / 2.0,
            F_TICK,
            TEXT,
            HAlign::End,
            VAlign::Middle,
            false,
        )?;
    }
    // group labels and brackets
    for (gi, g) in groups.iter().enumerate() {
        let top = row_y[g.1];
        let bottom = row_y[g.2] + row_h - 1.0;
        for (li, line) in group_lines[gi].iter().enumerate() {
            s.text(
                line,
                gx0,
                top + 1.0 + li as f64 * lh(F_GROUP),
                F_GROUP,
                TEXT,
                HAlign::Start,
                VAlign::Top,
                false,
            )?;
        }
        let bx = gx0 + group_text_w + 8.0;
        s.line(
            vec![
                (bx + 4.0, top + 1.0),
                (bx, top + 1.0),
                (bx, bottom - 1.0),
                (bx + 4.0, bottom - 1.0),
            ],
            AXIS_LINE,
            1.0,
        );
    }
    // column labels (top, and bottom for tall grids)
    let repeat_bottom = nrows > 40;
    for (ci, label) in col_labels.iter().enumerate() {
        let cx = gx + ci as f64 * cell_w + (cell_w - 1.0) / 2.0;
        if horizontal_cols {
            s.text(
                label,
                cx,
                grid_top - 4.0,
                F_TICK,
                TEXT,
                HAlign::Middle,
                VAlign::Bottom,
                false,
            )?;
            if repeat_bottom {
                s.text(
                    label,
                    cx,
                    grid_bottom + 3.0,
                    F_TICK,
                    TEXT,
                    HAlign::Middle,
                    VAlign::Top,
                    false,
                )?;
            }
        } else {
            s.text(
                label,
                cx,
                grid_top - 5.0,
                F_TICK,
                TEXT,
                HAlign::Start,
                VAlign::Middle,
                true,
            )?;
            if repeat_bottom {
                s.text(
                    label,
                    cx,
                    grid_bottom + 4.0,
                    F_TICK,
                    TEXT,
                    HAlign::End,
                    VAlign::Middle,
                    true,
                )?;
            }
        }
    }
    let mut bottom = grid_bottom;
    if repeat_bottom {
        bottom += 6.0 + col_area;
    }
    if !y_label.is_empty() {
        vertical_title(&mut s, &y_label, ylab_x, grid_top, grid_bottom, 0.0, bottom)?;
    }
    s.w = right.ceil();
    s.h = bottom.ceil() + 2.0;

    let mut legend: Vec<LegendEntry> = c
        .categories
        .iter()
        .map(|k| LegendEntry {
            swatch: Swatch::Box(k.color),
            label: k.label.clone(),
        })
        .collect();
    if has_none && na_category.is_none() {
        legend.push(LegendEntry {
            swatch: Swatch::Box(palette::NOT_APPLICABLE),
            label: "not applicable".into(),
        });
    }
    compose(&c.title, &legend, s, &[], &c.source)
}

// ---------------------------------------------------------------------------
// Stacked bars
// ---------------------------------------------------------------------------

/// "Nice" axis for counts: (axis maximum, ticks, decimals).
fn count_ticks(max: f64) -> (f64, Vec<f64>, usize) {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let step = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    } * mag;
    let step = step.max(1.0);
    let n = (max / step - 1e-9).ceil().max(1.0) as usize;
    let ticks = (0..=n).map(|i| i as f64 * step).collect();
    (n as f64 * step, ticks, 0)
}

fn stacked_scene(c: &StackedBars) -> Res<Scene> {
    let n = c.labels.len();
    let k = c.categories.len();
    if n == 0 {
        return Err(invalid("stacked bars: no labels"));
    }
    check_categories(&c.categories, "stacked bars")?;
    if c.values.len() != n {
        return Err(invalid(format!(
            "stacked bars: {} value rows for {n} labels",
            c.values.len()
        )));
    }
    let mut max_sum: f64 = 0.0;
    for (i, row) in c.values.iter().enumerate() {
        if row.len() != k {
            return Err(invalid(format!(
                "stacked bars: label {i} has {} values for {k} categories",
                row.len()
            )));
        }
        if row.iter().any(|v| !v.is_finite() || *v < 0.0) {
            return Err(invalid(format!(
                "stacked bars: label {i} has a negative or non-finite value"
            )));
        }
        let sum: f64 = row.iter().sum();
        if c.percent && sum > 1.0 + 1e-6 {
            return Err(invalid(format!(
                "stacked bars: fractions of label {i} sum to {sum} (> 1)"
            )));
        }
        max_sum = max_sum.max(sum);
    }

    let labels: Vec<String> = c
        .labels
        .iter()
        .map(|l| fit(&clean(l), 320.0, F_TICK))
        .collect::<Res<_>>()?;
    let label_w = max_width(&labels, F_TICK)?.ceil();
    let y_label = clean(&c.y_label);
    let x_label = clean(&c.x_label);
    let mut s = Scene::default();

    // value axis: (axis max, tick values, tick labels)
    let (axis_max, tick_values, tick_labels): (f64, Vec<f64>, Vec<String>) = if c.percent {
        let v: Vec<f64> = (0..=10).map(|i| f64::from(i) / 10.0).collect();
        let l = (0..=10).map(|i| format!("{}%", i * 10)).collect();
        (1.0, v, l)
    } else {
        let (m, v, d) = count_ticks(max_sum);
        let l = v.iter().map(|t| format!("{t:.d$}")).collect();
        (m, v, l)
    };
    let tick_w = max_width(&tick_labels, F_TICK)?;

    if c.horizontal {
        const PW: f64 = 600.0;
        const PITCH: f64 = 22.0;
        const BAR: f64 = 15.0;
        // with 11 ticks over 600 px every label fits; thin out if ever needed
        let every = if PW / (tick_values.len().max(2) - 1) as f64 >= tick_w + 10.0 {
            1
        } else {
            2
        };
        let mut x = 0.0;
        let ylab_x = x;
        if !y_label.is_empty() {
            x += lh(F_AXIS) + 8.0;
        }
        let label_right = x + label_w;
        let px0 = label_right + 8.0;
        let px1 = px0 + PW;
        let top_ticks = n > 20;
        let mut y = 0.0;
        if top_ticks {
            y += lh(F_TICK) + 2.0;
        }
        let ptop = y + 4.0;
        let pbottom = ptop + n as f64 * PITCH + 4.0;
        let xv = |v: f64| px0 + v / axis_max * PW;
        for (i, t) in tick_values.iter().enumerate() {
            let tx = xv(*t).round();
            if i > 0 {
                s.line(vec![(tx, ptop), (tx, pbottom)], GRID, 1.0);
            }
            if i % every == 0 {
                s.text(
                    &tick_labels[i],
                    tx,
                    pbottom + 4.0,
                    F_TICK,
                    TEXT,
                    HAlign::Middle,
                    VAlign::Top,
                    false,
                )?;
                if top_ticks {
                    s.text(
                        &tick_labels[i],
                        tx,
                        ptop - 4.0,
                        F_TICK,
                        TEXT,
                        HAlign::Middle,
                        VAlign::Bottom,
                        false,
                    )?;
                }
            }
        }
        for (i, row) in c.values.iter().enumerate() {
            let by = ptop + 2.0 + i as f64 * PITCH + (PITCH - BAR) / 2.0;
            let mut acc = 0.0;
            for (j, v) in row.iter().enumerate() {
                if *v > 0.0 {
                    let (a, b) = (xv(acc), xv(acc + v));
                    s.rect(a, by, b.max(a + 0.5), by + BAR, c.categories[j].color);
                }
                acc += v;
            }
            s.text(
                &labels[i],
                label_right,
                by + BAR / 2.0,
                F_TICK,
                TEXT,
                HAlign::End,
                VAlign::Middle,
                false,
            )?;
        }
        s.line(vec![(px0, ptop), (px0, pbottom)], AXIS_LINE, 1.0);
        s.line(vec![(px0, pbottom), (px1, pbottom)], AXIS_LINE, 1.0);
        let mut right = px1 + tick_w / 2.0 + 2.0;
        let mut bottom = pbottom + 4.0 + lh(F_TICK);
        if !x_label.is_empty() {
            let (h, r) =
                horizontal_title(&mut s, &x_label, (px0 + px1) / 2.0, bottom + 6.0, PW, 0.0)?;
            bottom += 6.0 + h;
            right = right.max(r);
        }
        if !y_label.is_empty() {
            vertical_title(&mut s, &y_label, ylab_x, ptop, pbottom, 0.0, bottom)?;
        }
        s.w = right.ceil();
        s.h = bottom.ceil() + 2.0;
    } else {
        const PH: f64 = 360.0;
        let wide_pitch = (label_w + 12.0).max(26.0).ceil();
        let horizontal_labels = wide_pitch * n as f64 <= 1000.0;
        let pitch = if horizontal_labels {
            wide_pitch.min(120.0)
        } else if n <= 60 {
            26.0
        } else {
            20.0
        };
        let labels: Vec<String> = if horizontal_labels {
            labels
                .iter()
                .map(|l| fit(l, pitch - 6.0, F_TICK))
                .collect::<Res<_>>()?
        } else {
            labels
        };
        let label_area = if horizontal_labels {
            lh(F_TICK)
        } else {
            label_w + 2.0
        };
        let bar = (pitch * 0.7).round();
        let mut x = 0.0;
        let ylab_x = x;
        if !y_label.is_empty() {
            x += lh(F_AXIS) + 8.0;
        }
        let tick_right = x + tick_w.ceil();
        let px0 = tick_right + 6.0;
        let px1 = px0 + n as f64 * pitch;
        let ptop = 10.0;
        let pbottom = ptop + PH;
        let yv = |v: f64| pbottom - v / axis_max * PH;
        for (i, t) in tick_values.iter().enumerate() {
            let ty = yv(*t).round();
            if i > 0 {
                s.line(vec![(px0, ty), (px1, ty)], GRID, 1.0);
            }
            s.text(
                &tick_labels[i],
                tick_right,
                ty,
                F_TICK,
                TEXT,
                HAlign::End,
                VAlign::Middle,
                false,
            )?;
        }
        for (i, row) in c.values.iter().enumerate() {
            let bx = px0 + i as f64 * pitch + (pitch - bar) / 2.0;
            let mut acc = 0.0;
            for (j, v) in row.iter().enumerate() {
                if *v > 0.0 {
                    let (a, b) = (yv(acc), yv(acc + v));
                    s.rect(bx, b.min(a - 0.5), bx + bar, a, c.categories[j].color);
                }
                acc += v;
            }
            let cx = bx + bar / 2.0;
            if horizontal_labels {
                s.text(
                    &labels[i],
                    cx,
                    pbottom + 4.0,
                    F_TICK,
                    TEXT,
                    HAlign::Middle,
                    VAlign::Top,
                    false,
                )?;
            } else {
                s.text(
                    &labels[i],
                    cx,
                    pbottom + 5.0,
                    F_TICK,
                    TEXT,
                    HAlign::End,
                    VAlign::Middle,
                    true,
                )?;
            }
        }
        s.line(vec![(px0, ptop), (px0, pbottom)], AXIS_LINE, 1.0);
        s.line(vec![(px0, pbottom), (px1, pbottom)], AXIS_LINE, 1.0);
        let mut right = px1 + 4.0;
        let mut bottom = pbottom + 5.0 + label_area;
        if !x_label.is_empty() {
            let (h, r) = horizontal_title(
                &mut s,
                &x_label,
                (px0 + px1) / 2.0,
                bottom + 8.0,
                (px1 - px0).max(300.0),
                0.0,
            )?;
            bottom += 8.0 + h;
            right = right.max(r);
        }
        if !y_label.is_empty() {
            vertical_title(&mut s, &y_label, ylab_x, ptop, pbottom, 0.0, bottom)?;
        }
        s.w = right.ceil();
        s.h = bottom.ceil() + 2.0;
    }

    let legend: Vec<LegendEntry> = c
        .categories
        .iter()
        .map(|k| LegendEntry {
            swatch: Swatch::Box(k.color),
            label: k.label.clone(),
        })
        .collect();
    compose(&c.title, &legend, s, &[], &c.source)
}

// ---------------------------------------------------------------------------
// Matrix
// ---------------------------------------------------------------------------

/// ColorBrewer YlGnBu (9 classes), a colour-blind-safe sequential scale that
/// stays monotonic in lightness when printed in greyscale.
const YLGNBU: [Rgb; 9] = [
    (255, 255, 217),
    (237, 248, 177),
    (199, 233, 180),
    (127, 205, 187),
    (65, 182, 196),
    (29, 145, 192),
    (34, 94, 168),
    (37, 52, 148),
    (8, 29, 88),
];

fn seq_color(v: f64) -> Rgb {
    let t = if v.is_finite() {
        v.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let pos = t * (YLGNBU.len() - 1) as f64;
    let i = (pos.floor() as usize).min(YLGNBU.len() - 2);
    let f = pos - i as f64;
    let (a, b) = (YLGNBU[i], YLGNBU[i + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + (f64::from(q) - f64::from(p)) * f).round() as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Text colour with enough contrast on `bg`.
fn contrast_text(bg: Rgb) -> Rgb {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * lin(bg.0) + 0.7152 * lin(bg.1) + 0.0722 * lin(bg.2);
    if l < 0.22 { WHITE } else { TEXT }
}

fn matrix_scene(c: &MatrixChart) -> Res<Scene> {
    let n = c.labels.len();
    if n == 0 {
        return Err(invalid("matrix: no labels"));
    }
    if c.values.len() != n || c.values.iter().any(|r| r.len() != n) {
        return Err(invalid(format!(
            "matrix: values must be {n} × {n} to match the labels"
        )));
    }
    let labels: Vec<String> = c
        .labels
        .iter()
        .map(|l| fit(&clean(l), 260.0, F_TICK))
        .collect::<Res<_>>()?;
    let lw = max_width(&labels, F_TICK)?.ceil();
    let cs = (text_width("0.00", F_CELL)? + 14.0).max(42.0).ceil();
    let horizontal_cols = lw + 6.0 <= cs;
    let col_area = if horizontal_cols {
        lh(F_TICK)
    } else {
        lw + 2.0
    };

    let mut s = Scene::default();
    let rl_right = lw;
    let gx = rl_right + 6.0;
    let grid_right = gx + n as f64 * cs;
    let grid_top = (col_area + 6.0).round();
    let grid_bottom = grid_top + n as f64 * cs;

    let mut any_na = false;
    for (r, row) in c.values.iter().enumerate() {
        for (ci, v) in row.iter().enumerate() {
            let x0 = gx + ci as f64 * cs;
            let y0 = grid_top + r as f64 * cs;
            let (bg, label) = if v.is_finite() {
                let shown = if (v * 100.0).round() == 0.0 { 0.0 } else { *v };
                (seq_color(*v), format!("{shown:.2}"))
            } else {
                any_na = true;
                (palette::NOT_APPLICABLE, "n/a".to_string())
            };
            s.rect(x0, y0, x0 + cs - 1.0, y0 + cs - 1.0, bg);
            s.text(
                &label,
                x0 + (cs - 1.0) / 2.0,
                y0 + (cs - 1.0) / 2.0,
                F_CELL,
                contrast_text(bg),
                HAlign::Middle,
                VAlign::Middle,
                false,
            )?;
        }
    }
    for (i, label) in labels.iter().enumerate() {
        let mid = i as f64 * cs + (cs - 1.0) / 2.0;
        s.text(
            label,
            rl_right,
            grid_top + mid,
            F_TICK,
            TEXT,
            HAlign::End,
            VAlign::Middle,
            false,
        )?;
        if horizontal_cols {
            s.text(
                label,
                gx + mid,
                grid_top - 4.0,
                F_TICK,
                TEXT,
                HAlign::Middle,
                VAlign::Bottom,
                false,
            )?;
        } else {
            s.text(
                label,
                gx + mid,
                grid_top - 5.0,
                F_TICK,
                TEXT,
                HAlign::Start,
                VAlign::Middle,
                true,
            )?;
        }
    }

    // colour bar
    let cbx = grid_right + 24.0;
    const CBW: f64 = 16.0;
    let cbh = (n as f64 * cs).clamp(160.0, 320.0);
    let cb_top = grid_top;
    const STRIPS: usize = 64;
    for i in 0..STRIPS {
        let y0 = cb_top + cbh * i as f64 / STRIPS as f64;
        let y1 = cb_top + cbh * (i + 1) as f64 / STRIPS as f64;
        let v = 1.0 - (i as f64 + 0.5) / STRIPS as f64;
        s.rect(cbx, y0, cbx + CBW, y1, seq_color(v));
    }
    s.line(
        vec![
            (cbx, cb_top),
            (cbx + CBW, cb_top),
            (cbx + CBW, cb_top + cbh),
            (cbx, cb_top + cbh),
            (cbx, cb_top),
        ],
        RULE,
        1.0,
    );
    let mut right = cbx + CBW;
    for i in 0..=4 {
        let v = f64::from(i) / 4.0;
        let ty = (cb_top + cbh * (1.0 - v)).round();
        s.line(vec![(cbx + CBW, ty), (cbx + CBW + 4.0, ty)], AXIS_LINE, 1.0);
        let t = format!("{v:.2}");
        s.text(
            &t,
            cbx + CBW + 7.0,
            ty,
            F_TICK,
            TEXT,
            HAlign::Start,
            VAlign::Middle,
            false,
        )?;
        right = right.max(cbx + CBW + 7.0 + text_width(&t, F_TICK)?);
    }
    let mut bottom = grid_bottom.max(cb_top + cbh + 8.0);
    if any_na {
        let y = cb_top + cbh + 16.0;
        s.outlined_rect(cbx, y, cbx + CBW, y + 14.0, palette::NOT_APPLICABLE, RULE);
        s.text(
            "n/a",
            cbx + CBW + 7.0,
            y + 7.0,
            F_TICK,
            TEXT,
            HAlign::Start,
            VAlign::Middle,
            false,
        )?;
        right = right.max(cbx + CBW + 7.0 + text_width("n/a", F_TICK)?);
        bottom = bottom.max(y + 16.0);
    }
    s.w = right.ceil() + 2.0;
    s.h = bottom.ceil() + 2.0;
    let notes: Vec<String> = c.note.iter().cloned().collect();
    compose(&c.title, &[], s, &notes, &c.source)
}

// ---------------------------------------------------------------------------
// Timeline
// ---------------------------------------------------------------------------

fn timeline_scene(c: &Timeline) -> Res<Scene> {
    let nl = c.lanes.len();
    if nl == 0 {
        return Err(invalid("timeline: no lanes"));
    }
    check_categories(&c.categories, "timeline")?;
    let (x0, x1) = c.x_range;
    if !x0.is_finite() || !x1.is_finite() || x1 <= x0 {
        return Err(invalid(format!("timeline: bad x_range {x0}..{x1}")));
    }
    if x1 - x0 > 500.0 {
        return Err(invalid("timeline: x_range spans more than 500 years"));
    }
    for (i, (lane, year, _, cat)) in c.events.iter().enumerate() {
        if *lane >= nl {
            return Err(invalid(format!(
                "timeline: event {i} is in lane {lane} of {nl}"
            )));
        }
        if *cat >= c.categories.len() {
            return Err(invalid(format!(
                "timeline: event {i} has category {cat} of {}",
                c.categories.len()
            )));
        }
        if !year.is_finite() || *year < x0 || *year > x1 {
            return Err(invalid(format!(
                "timeline: event {i} year {year} is outside {x0}..{x1}"
            )));
        }
    }

    let lane_labels: Vec<String> = c
        .lanes
        .iter()
        .map(|l| fit(&clean(l), 260.0, F_TICK))
        .collect::<Res<_>>()?;
    let lw = max_width(&lane_labels, F_TICK)?.ceil();
    let years = x1 - x0;
    let pw = (years * 72.0).clamp(480.0, 1100.0).round();
    let ppy = pw / years;
    const R: f64 = 5.5;
    const TIER: f64 = 20.0;
    const PAD: f64 = 4.0;

    // place events: per lane, in year order, into the first free sub-row
    struct Placed {
        lane: usize,
        x: f64,
        tier: usize,
        label: String,
        left: bool,
        cat: usize,
    }
    let mut placed: Vec<Placed> = Vec::with_capacity(c.events.len());
    let mut lane_tiers = vec![1usize; nl];
    let (mut min_x, mut max_x): (f64, f64) = (0.0, pw);
    for (lane, tiers_out) in lane_tiers.iter_mut().enumerate() {
        let mut idx: Vec<usize> = (0..c.events.len())
            .filter(|&i| c.events[i].0 == lane)
            .collect();
        idx.sort_by(|&a, &b| c.events[a].1.total_cmp(&c.events[b].1).then(a.cmp(&b)));
        let mut ends: Vec<f64> = Vec::new();
        for i in idx {
            let (_, year, label, cat) = &c.events[i];
            let label = fit(&clean(label), 240.0, F_TICK)?;
            let w = text_width(&label, F_TICK)?;
            let x = (year - x0) * ppy;
            let right_end = x + R + 4.0 + w;
            let left_start = x - R - 4.0 - w;
            let left = right_end > pw + 24.0 && left_start >= -24.0;
            let (a, b) = if left {
                (left_start - 6.0, x + R + 2.0)
            } else {
                (x - R - 2.0, right_end + 6.0)
            };
            min_x = min_x.min(if left { left_start } else { x - R - 1.0 });
            max_x = max_x.max(if left { x + R + 1.0 } else { right_end });
            let tier = match ends.iter().position(|e| *e <= a) {
                Some(t) => {
                    ends[t] = b;
                    t
                }
                None => {
                    ends.push(b);
                    ends.len() - 1
                }
            };
            placed.push(Placed {
                lane,
                x,
                tier,
                label,
                left,
                cat: *cat,
            });
        }
        *tiers_out = ends.len().max(1);
    }

    let mut s = Scene::default();
    let lane_right = lw;
    let px0 = (lane_right + 12.0 + (-min_x).max(0.0)).ceil();
    let px1 = px0 + pw;

    // year ticks
    let year_w = text_width("0000", F_TICK)? + 12.0;
    let step = [1i64, 2, 5, 10, 20, 50, 100]
        .into_iter()
        .find(|st| *st as f64 * ppy >= year_w)
        .unwrap_or(100);
    let first = x0.ceil() as i64;
    let last = x1.floor() as i64;
    let top_ticks = nl > 8;
    let mut y = 0.0;
    if top_ticks {
        y += lh(F_TICK) + 2.0;
    }
    let ptop = y + 4.0;
    let mut lane_top = Vec::with_capacity(nl);
    let mut cy = ptop;
    for t in &lane_tiers {
        lane_top.push(cy);
        cy += *t as f64 * TIER + 2.0 * PAD;
    }
    let pbottom = cy;
    let xv = |v: f64| px0 + (v - x0) * ppy;

    // zebra background
    for (lane, top) in lane_top.iter().enumerate() {
        if lane % 2 == 1 {
            let h = lane_tiers[lane] as f64 * TIER + 2.0 * PAD;
            s.rect(0.0, *top, px1.max(px0 + max_x), top + h - 1.0, ZEBRA);
        }
    }
    // gridlines and tick labels
    for yr in first..=last {
        let tx = xv(yr as f64).round();
        let labelled = yr.rem_euclid(step) == 0;
        if ppy >= 6.0 || labelled {
            s.line(
                vec![(tx, ptop), (tx, pbottom)],
                if labelled { (200, 200, 200) } else { GRID },
                1.0,
            );
        }
        if labelled {
            let t = yr.to_string();
            s.text(
                &t,
                tx,
                pbottom + 4.0,
                F_TICK,
                TEXT,
                HAlign::Middle,
                VAlign::Top,
                false,
            )?;
            if top_ticks {
                s.text(
                    &t,
                    tx,
                    ptop - 4.0,
                    F_TICK,
                    TEXT,
                    HAlign::Middle,
                    VAlign::Bottom,
                    false,
                )?;
            }
        }
    }
    s.line(vec![(px0, pbottom), (px1, pbottom)], AXIS_LINE, 1.0);
    // lane labels
    for (lane, label) in lane_labels.iter().enumerate() {
        let h = lane_tiers[lane] as f64 * TIER + 2.0 * PAD;
        let mid = if lane_tiers[lane] == 1 {
            lane_top[lane] + h / 2.0
        } else {
            lane_top[lane] + PAD + TIER / 2.0
        };
        s.text(
            label,
            lane_right,
            mid,
            F_TICK,
            TEXT,
            HAlign::End,
            VAlign::Middle,
            false,
        )?;
    }
    // events
    for p in &placed {
        let ey = lane_top[p.lane] + PAD + p.tier as f64 * TIER + TIER / 2.0;
        let ex = px0 + p.x;
        let cat = &c.categories[p.cat];
        marker(&mut s, SHAPES[p.cat % SHAPES.len()], ex, ey, R, cat.color);
        if p.left {
            s.text(
                &p.label,
                ex - R - 4.0,
                ey,
                F_TICK,
                TEXT,
                HAlign::End,
                VAlign::Middle,
                false,
            )?;
        } else {
            s.text(
                &p.label,
                ex + R + 4.0,
                ey,
                F_TICK,
                TEXT,
                HAlign::Start,
                VAlign::Middle,
                false,
            )?;
        }
    }
    let mut right = (px1 + year_w / 2.0).max(px0 + max_x) + 2.0;
    let mut bottom = pbottom + 4.0 + lh(F_TICK);
    let (h, r) = horizontal_title(&mut s, "Year", (px0 + px1) / 2.0, bottom + 6.0, pw, 0.0)?;
    bottom += 6.0 + h;
    right = right.max(r);
    s.w = right.ceil();
    s.h = bottom.ceil() + 2.0;

    let legend: Vec<LegendEntry> = c
        .categories
        .iter()
        .enumerate()
        .map(|(i, k)| LegendEntry {
            swatch: Swatch::Marker(SHAPES[i % SHAPES.len()], k.color),
            label: k.label.clone(),
        })
        .collect();
    compose(&c.title, &legend, s, &[], &c.source)
}

// ---------------------------------------------------------------------------
// Painting (generic over the plotters backend) and encoding
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Svg,
    Png,
}

fn draw_err<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Drawing(e.to_string())
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

fn canvas_size(scene: &Scene, scale: f64) -> Res<(u32, u32)> {
    if !scene.w.is_finite() || !scene.h.is_finite() || scene.w > MAX_SIDE || scene.h > MAX_SIDE {
        return Err(ChartError::TooLarge(format!(
            "{:.0} × {:.0} px exceeds {MAX_SIDE} px per side (too many rows, columns or labels)",
            scene.w, scene.h
        )));
    }
    let w = (scene.w * scale).ceil().max(1.0);
    let h = (scene.h * scale).ceil().max(1.0);
    Ok((w as u32, h as u32))
}

/// Paints a scene on any plotters drawing area. `scale` multiplies all
/// coordinates (device px per CSS px).
fn paint<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scene: &Scene,
    target: Target,
    scale: f64,
) -> Res<()> {
    area.fill(&rgb(WHITE)).map_err(draw_err)?;
    let p = |v: f64| (v * scale).round() as i32;
    let pt = |q: &(f64, f64)| (p(q.0), p(q.1));
    let stroke = |w: f64| ((w * scale).round() as u32).max(1);
    for item in &scene.items {
        match item {
            Item::Rect {
                x0,
                y0,
                x1,
                y1,
                fill,
            } => {
                // both backends fill [x0, x1) × [y0, y1)
                let (a, b) = ((p(*x0), p(*y0)), (p(*x1), p(*y1)));
                if b.0 > a.0 && b.1 > a.1 {
                    area.draw(&Rectangle::new([a, b], rgb(*fill).filled()))
                        .map_err(draw_err)?;
                }
            }
            Item::Line { pts, color, width } => {
                let pts: Vec<(i32, i32)> = pts.iter().map(pt).collect();
                area.draw(&PathElement::new(
                    pts,
                    rgb(*color).stroke_width(stroke(*width)),
                ))
                .map_err(draw_err)?;
            }
            Item::Poly { pts, fill, outline } => {
                let ipts: Vec<(i32, i32)> = pts.iter().map(pt).collect();
                area.draw(&Polygon::new(ipts.clone(), rgb(*fill).filled()))
                    .map_err(draw_err)?;
                if let Some(o) = outline {
                    let mut closed = ipts;
                    if let Some(first) = closed.first().copied() {
                        closed.push(first);
                    }
                    area.draw(&PathElement::new(closed, rgb(*o).stroke_width(stroke(1.0))))
                        .map_err(draw_err)?;
                }
            }
            Item::Circle {
                cx,
                cy,
                r,
                fill,
                outline,
            } => {
                let rr = (r * scale).round() as i32;
                area.draw(&Circle::new((p(*cx), p(*cy)), rr, rgb(*fill).filled()))
                    .map_err(draw_err)?;
                if let Some(o) = outline {
                    area.draw(&Circle::new(
                        (p(*cx), p(*cy)),
                        rr,
                        rgb(*o).stroke_width(stroke(1.0)),
                    ))
                    .map_err(draw_err)?;
                }
            }
            Item::Text(t) => match target {
                Target::Svg => paint_text_svg(area, t)?,
                Target::Png => paint_text_raster(area, t, scale)?,
            },
        }
    }
    Ok(())
}

/// SVG text: plotters writes `font-size = size / 1.24` and, for `VPos::Top`,
/// `dy = 0.76em`; the anchor is shifted so the baseline lands where the
/// layout put it. The viewer's font renders the glyphs.
fn paint_text_svg<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, t: &TextItem) -> Res<()> {
    let e = t.font.size;
    let off = t.baseline_offset() - SVG_TOP_BASELINE_EM * e;
    let (ax, ay) = if t.vertical {
        (t.x + off, t.y)
    } else {
        (t.x, t.y + off)
    };
    let h = match t.h {
        HAlign::Start => HPos::Left,
        HAlign::Middle => HPos::Center,
        HAlign::End => HPos::Right,
    };
    let color = rgb(t.color);
    let style: TextStyle = FontDesc::new(
        FontFamily::SansSerif,
        svg_nominal_size(e),
        font_style(t.font),
    )
    .color(&color)
    .pos(Pos::new(h, VPos::Top))
    .transform(if t.vertical {
        FontTransform::Rotate270
    } else {
        FontTransform::None
    });
    area.draw_text(&t.text, &style, (ax.round() as i32, ay.round() as i32))
        .map_err(draw_err)
}

/// The size to request from plotters so that the SVG says `font-size="{em}"`
/// exactly (plotters divides by 1.24, which would otherwise print e.g.
/// `13.000000000000002`).
fn svg_nominal_size(em: f64) -> f64 {
    let base = em * SVG_SIZE_PER_EM;
    for d in 0..=8u64 {
        for candidate in [
            base.to_bits().wrapping_add(d),
            base.to_bits().wrapping_sub(d),
        ] {
            let x = f64::from_bits(candidate);
            if x.is_finite() && x / SVG_SIZE_PER_EM == em {
                return x;
            }
        }
    }
    base
}

/// Raster text: glyphs are rasterised with ab_glyph at sub-pixel positions
/// (with kerning and side bearings) and blended pixel by pixel. plotters' own
/// ab_glyph text path (0.3.7) drops each glyph's left side bearing and rounds
/// pen positions, which gives visibly uneven letter spacing.
fn paint_text_raster<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    t: &TextItem,
    scale: f64,
) -> Res<()> {
    let fonts = ensure_fonts()?;
    let font = face(fonts, t.font);
    let px = (t.font.size * scale * PNG_SIZE_PER_EM) as f32;
    let (glyphs, width) = layout_glyphs(font, px, &t.text);
    let start = match t.h {
        HAlign::Start => 0.0,
        HAlign::Middle => -width / 2.0,
        HAlign::End => -width,
    };
    let across = (t.baseline_offset() * scale) as f32;
    let (ax, ay) = ((t.x * scale) as f32, (t.y * scale) as f32);
    // vertical text is laid out in its own frame and rotated onto whole pixels
    let (vx, vy) = ((ax + across).round() as i32, ay.round() as i32);
    let color = rgb(t.color);
    for mut g in glyphs {
        g.position = if t.vertical {
            point(g.position.x + start, 0.0)
        } else {
            point(ax + start + g.position.x, ay + across)
        };
        let Some(outline) = font.outline_glyph(g) else {
            continue;
        };
        let bb = outline.px_bounds();
        let (bx, by) = (bb.min.x as i32, bb.min.y as i32);
        let mut result = Ok(());
        outline.draw(|gx, gy, coverage| {
            if result.is_err() || coverage <= 0.0 {
                return;
            }
            let (lx, ly) = (bx + gx as i32, by + gy as i32);
            let pos = if t.vertical {
                (vx + ly, vy - lx - 1)
            } else {
                (lx, ly)
            };
            result = area.draw_pixel(pos, &color.mix(f64::from(coverage.min(1.0))));
        });
        result.map_err(draw_err)?;
    }
    Ok(())
}

fn to_svg(scene: &Scene) -> Res<String> {
    let size = canvas_size(scene, 1.0)?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        paint(&root, scene, Target::Svg, 1.0)?;
        root.present().map_err(draw_err)?;
    }
    Ok(out)
}

fn to_png(scene: &Scene, scale: f64) -> Res<Vec<u8>> {
    if !scale.is_finite() || !(0.25..=8.0).contains(&scale) {
        return Err(invalid(format!("PNG scale {scale} is outside 0.25..=8")));
    }
    let (w, h) = canvas_size(scene, scale)?;
    let pixels = f64::from(w) * f64::from(h);
    if pixels > MAX_PNG_PIXELS {
        return Err(ChartError::TooLarge(format!(
            "{w} × {h} px PNG exceeds {MAX_PNG_PIXELS} pixels; use a smaller scale"
        )));
    }
    let mut buf = vec![0u8; (w as usize) * (h as usize) * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        paint(&root, scene, Target::Png, scale)?;
        root.present().map_err(draw_err)?;
    }
    let mut png = Vec::new();
    {
        use image::ImageEncoder;
        use image::codecs::png::{CompressionType, FilterType, PngEncoder};
        PngEncoder::new_with_quality(&mut png, CompressionType::Default, FilterType::Up)
            .write_image(&buf, w, h, image::ColorType::Rgb8)
            .map_err(|e| ChartError::Encode(e.to_string()))?;
    }
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats(n: usize) -> Vec<Category> {
        (0..n)
            .map(|i| Category {
                label: format!("category {i}"),
                color: palette::OKABE_ITO[(i + 1) % 8],
            })
            .collect()
    }

    fn heatmap(nrows: usize, ncols: usize) -> Heatmap {
        Heatmap {
            title: "Outcome by jurisdiction & destination <ML8>".into(),
            x_label: "Exporting jurisdiction".into(),
            y_label: "Destination".into(),
            columns: (0..ncols)
                .map(|i| {
                    if i == 1 {
                        "EU-26".into()
                    } else {
                        format!("J{i}")
                    }
                })
                .collect(),
            rows: (0..nrows)
                .map(|i| {
                    if i == 2 {
                        "Türkiye".into()
                    } else {
                        format!("Destination {i} <&>")
                    }
                })
                .collect(),
            row_groups: if nrows >= 8 {
                vec![
                    ("Group one with a long name that wraps".into(), 0, 0),
                    ("Group two".into(), 3, nrows - 1),
                ]
            } else {
                vec![]
            },
            cells: (0..nrows)
                .map(|r| {
                    (0..ncols)
                        .map(|c| {
                            if (r + c) % 9 == 0 {
                                None
                            } else {
                                Some((r * 7 + c) % 6)
                            }
                        })
                        .collect()
                })
                .collect(),
            categories: cats(6),
            source: "test data".into(),
        }
    }

    fn stacked(n: usize, percent: bool, horizontal: bool) -> StackedBars {
        StackedBars {
            title: "Stricter, same, looser".into(),
            x_label: "Jurisdiction".into(),
            y_label: "Share".into(),
            labels: (0..n)
                .map(|i| {
                    if i == 0 {
                        "Türkiye".into()
                    } else {
                        format!("J{i}")
                    }
                })
                .collect(),
            categories: cats(4),
            values: (0..n)
                .map(|i| {
                    let v = [0.1 + (i % 5) as f64 * 0.1, 0.3, 0.1, 0.05];
                    if percent {
                        v.to_vec()
                    } else {
                        v.iter().map(|x| (x * 200.0).round()).collect()
                    }
                })
                .collect(),
            percent,
            horizontal,
            source: "Source: test".into(),
        }
    }

    fn matrix(n: usize) -> MatrixChart {
        MatrixChart {
            title: "Agreement".into(),
            labels: (0..n).map(|i| format!("Jurisdiction {i}")).collect(),
            values: (0..n)
                .map(|i| {
                    (0..n)
                        .map(|j| {
                            if i == j {
                                1.0
                            } else if i + j == 3 {
                                f64::NAN
                            } else {
                                ((i * j) % 10) as f64 / 10.0
                            }
                        })
                        .collect()
                })
                .collect(),
            source: "test".into(),
            note: Some("n/a = no overlap".into()),
        }
    }

    fn timeline(lanes: usize, events: usize) -> Timeline {
        Timeline {
            title: "Milestones".into(),
            lanes: (0..lanes).map(|i| format!("Lane {i}")).collect(),
            events: (0..events)
                .map(|i| {
                    (
                        i % lanes,
                        2013.0 + (i * 37 % 130) as f64 / 10.0,
                        format!("Event {i} <&>"),
                        i % 3,
                    )
                })
                .chain([
                    (0, 2013.0, "first".to_string(), 0),
                    (0, 2026.0, "last one at the edge".to_string(), 1),
                    (0, 2026.0, "same day".to_string(), 2),
                ])
                .collect(),
            categories: cats(3),
            x_range: (2013.0, 2026.0),
            source: "test".into(),
        }
    }

    /// Every text box lies inside the canvas and no two text boxes overlap.
    fn assert_clean(scene: &Scene, what: &str) {
        type Boxes<'a> = Vec<(&'a str, (f64, f64, f64, f64))>;
        let boxes: Boxes = scene
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text(t) => Some((t.text.as_str(), t.bbox())),
                _ => None,
            })
            .collect();
        assert!(!boxes.is_empty(), "{what}: no text");
        for (text, (x0, y0, x1, y1)) in &boxes {
            assert!(
                *x0 >= 0.0 && *y0 >= 0.0 && *x1 <= scene.w && *y1 <= scene.h,
                "{what}: {text:?} at ({x0:.1},{y0:.1})-({x1:.1},{y1:.1}) is outside {}×{}",
                scene.w,
                scene.h
            );
        }
        let mut sorted = boxes.clone();
        sorted.sort_by(|a, b| a.1.0.total_cmp(&b.1.0));
        for (i, (ta, a)) in sorted.iter().enumerate() {
            for (tb, b) in &sorted[i + 1..] {
                if b.0 >= a.2 - 0.5 {
                    break;
                }
                let overlap =
                    a.0 < b.2 - 0.5 && b.0 < a.2 - 0.5 && a.1 < b.3 - 0.5 && b.1 < a.3 - 0.5;
                assert!(!overlap, "{what}: {ta:?} {a:?} overlaps {tb:?} {b:?}");
            }
        }
    }

    #[test]
    fn layouts_are_clean_at_realistic_and_odd_sizes() {
        for (r, c) in [(1, 1), (3, 5), (60, 42), (200, 42), (10, 90)] {
            assert_clean(
                &heatmap_scene(&heatmap(r, c)).unwrap(),
                &format!("heatmap {r}x{c}"),
            );
        }
        for n in [1, 5, 42, 80] {
            for (p, h) in [(true, true), (true, false), (false, true), (false, false)] {
                assert_clean(
                    &stacked_scene(&stacked(n, p, h)).unwrap(),
                    &format!("stacked {n} {p} {h}"),
                );
            }
        }
        for n in [1, 2, 17, 30] {
            assert_clean(&matrix_scene(&matrix(n)).unwrap(), &format!("matrix {n}"));
        }
        for (l, e) in [(1, 0), (1, 30), (20, 40), (20, 200)] {
            assert_clean(
                &timeline_scene(&timeline(l, e)).unwrap(),
                &format!("timeline {l}/{e}"),
            );
        }
        let mut long = heatmap(3, 3);
        long.title = "A very long title ".repeat(20);
        long.source = "A very long source line ".repeat(20);
        long.rows[0] = "x".repeat(400);
        long.columns[0] = "y".repeat(400);
        long.categories[0].label = "z".repeat(2000);
        assert_clean(&heatmap_scene(&long).unwrap(), "long labels");
    }

    #[test]
    fn svg_escapes_text_and_keeps_unicode() {
        let svg = heatmap_svg(&heatmap(3, 3)).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Türkiye"));
        assert!(svg.contains("&amp; destination &lt;ML8&gt;"));
        assert!(!svg.contains("<ML8>"));
        // every font size is an exact, readable value
        for part in svg.split("font-size=\"").skip(1) {
            let size: f64 = part.split('"').next().unwrap().parse().unwrap();
            assert!(size >= 11.0 && size == size.round(), "font-size {size}");
        }
    }

    #[test]
    fn output_is_deterministic() {
        let h = heatmap(8, 5);
        assert_eq!(heatmap_svg(&h).unwrap(), heatmap_svg(&h).unwrap());
        let a = heatmap_png_scaled(&h, 1.0).unwrap();
        assert_eq!(a, heatmap_png_scaled(&h, 1.0).unwrap());
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        let s = stacked(5, true, true);
        assert_eq!(stacked_svg(&s).unwrap(), stacked_svg(&s).unwrap());
        assert_eq!(
            stacked_png_scaled(&s, 1.0).unwrap(),
            stacked_png_scaled(&s, 1.0).unwrap()
        );
        let m = matrix(4);
        assert_eq!(matrix_svg(&m).unwrap(), matrix_svg(&m).unwrap());
        assert_eq!(
            matrix_png_scaled(&m, 1.0).unwrap(),
            matrix_png_scaled(&m, 1.0).unwrap()
        );
        let t = timeline(3, 6);
        assert_eq!(timeline_svg(&t).unwrap(), timeline_svg(&t).unwrap());
        assert_eq!(
            timeline_png_scaled(&t, 1.0).unwrap(),
            timeline_png_scaled(&t, 1.0).unwrap()
        );
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let bad = |r: Result<String, ChartError>| matches!(r, Err(ChartError::InvalidInput(_)));
        let mut h = heatmap(3, 3);
        h.cells[1].pop();
        assert!(bad(heatmap_svg(&h)));
        let mut h = heatmap(3, 3);
        h.cells[0][0] = Some(99);
        assert!(bad(heatmap_svg(&h)));
        let mut h = heatmap(10, 3);
        h.row_groups.push(("overlapping".into(), 2, 4));
        assert!(bad(heatmap_svg(&h)));
        let mut h = heatmap(3, 3);
        h.row_groups = vec![("out of range".into(), 1, 3)];
        assert!(bad(heatmap_svg(&h)));
        assert!(bad(heatmap_svg(&heatmap(0, 3))));

        let mut s = stacked(3, true, true);
        s.values[0][0] = f64::NAN;
        assert!(bad(stacked_svg(&s)));
        let mut s = stacked(3, true, true);
        s.values[0][0] = 0.9;
        assert!(bad(stacked_svg(&s)));
        let mut s = stacked(3, false, true);
        s.values[2] = vec![1.0];
        assert!(bad(stacked_svg(&s)));

        let mut m = matrix(3);
        m.values[1].push(0.5);
        assert!(bad(matrix_svg(&m)));

        let mut t = timeline(2, 2);
        t.events.push((0, 2030.0, "late".into(), 0));
        assert!(bad(timeline_svg(&t)));
        let mut t = timeline(2, 2);
        t.events.push((5, 2020.0, "no lane".into(), 0));
        assert!(bad(timeline_svg(&t)));
        let mut t = timeline(2, 2);
        t.x_range = (2020.0, f64::NAN);
        assert!(bad(timeline_svg(&t)));
    }

    #[test]
    fn oversized_charts_are_reported() {
        let h = heatmap(1200, 2);
        assert!(matches!(heatmap_svg(&h), Err(ChartError::TooLarge(_))));
        assert!(matches!(
            heatmap_png_scaled(&heatmap(2, 2), 100.0),
            Err(ChartError::InvalidInput(_))
        ));
    }

    #[test]
    fn text_metrics_constant_matches_embedded_fonts() {
        // ab_glyph scales by hhea ascent - descent; both faces must agree with PNG_SIZE_PER_EM.
        for data in [FONT_REGULAR, FONT_BOLD] {
            let font = FontRef::try_from_slice(data).unwrap();
            let ratio = f64::from(font.height_unscaled()) / f64::from(font.units_per_em().unwrap());
            assert!((ratio - PNG_SIZE_PER_EM).abs() < 1e-9, "ratio {ratio}");
        }
    }
}
