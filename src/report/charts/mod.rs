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
//!   label. PNG output is rendered at a scale the caller chooses
//!   ([`Chart::png_scaled`]).
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
    /// Legend label.
    pub label: String,
    /// Fill colour.
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
    /// Title.
    pub title: String,
    /// X axis label.
    pub x_label: String,
    /// Y axis label.
    pub y_label: String,
    /// Column labels.
    pub columns: Vec<String>,
    /// Row labels.
    pub rows: Vec<String>,
    /// Row groups (label, first, last inclusive).
    pub row_groups: Vec<(String, usize, usize)>,
    /// Category index per cell.
    pub cells: Vec<Vec<Option<usize>>>,
    /// Categories.
    pub categories: Vec<Category>,
    /// Per-cell marks (empty: none): 0 none, `k` = the `k`-th entry of `mark_labels`
    /// (1: a bar along the cell's bottom, 2: bars along top and bottom), drawn in black or
    /// white for contrast.
    pub marks: Vec<Vec<u8>>,
    /// Legend text of each mark.
    pub mark_labels: Vec<String>,
    /// Per-cell text (empty: none), centred in the cell; cells widen to fit it.
    pub labels: Vec<Vec<String>>,
    /// Notes under the chart, before the source line.
    pub notes: Vec<String>,
    /// Source line under the chart.
    pub source: String,
}

/// One bar per label, stacked segments in category order.
///
/// `values[label][category]` are fractions (each bar's sum ≤ 1, axis in %)
/// when `percent` is true, or non-negative counts otherwise. `horizontal`
/// draws bars left to right with labels on the left (best for many labels).
#[derive(Debug, Clone, PartialEq)]
pub struct StackedBars {
    /// Title.
    pub title: String,
    /// X axis label.
    pub x_label: String,
    /// Y axis label.
    pub y_label: String,
    /// Bar labels.
    pub labels: Vec<String>,
    /// Segment categories.
    pub categories: Vec<Category>,
    /// Segment values per bar.
    pub values: Vec<Vec<f64>>,
    /// Values are fractions.
    pub percent: bool,
    /// Bars drawn left to right.
    pub horizontal: bool,
    /// Source line under the chart.
    pub source: String,
}

/// Square matrix of values in [0, 1], printed in the cells with two decimals
/// on a sequential colour scale (light yellow → dark blue), with a colour bar.
/// Non-finite values are drawn as grey "n/a" cells; values outside [0, 1] are
/// printed as they are and coloured as the nearest end of the scale.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixChart {
    /// Title.
    pub title: String,
    /// Row and column labels.
    pub labels: Vec<String>,
    /// Values (NaN for undefined).
    pub values: Vec<Vec<f64>>,
    /// Source line under the chart.
    pub source: String,
    /// Note under the chart.
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
    /// Title.
    pub title: String,
    /// Lane labels.
    pub lanes: Vec<String>,
    /// Events (lane, year, label, category).
    pub events: Vec<(usize, f64, String, usize)>,
    /// Event categories.
    pub categories: Vec<Category>,
    /// X range in years.
    pub x_range: (f64, f64),
    /// Bars behind the events: (lane, from year, to year).
    pub spans: Vec<(usize, f64, f64)>,
    /// Legend text of the bars.
    pub span_label: String,
    /// Notes under the chart, before the source line (e.g. the events' full texts).
    pub notes: Vec<String>,
    /// Source line under the chart.
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
    /// Okabe–Ito blue.
    pub const BLUE: (u8, u8, u8) = (0, 114, 178);
    /// Okabe–Ito vermillion.
    pub const VERMILLION: (u8, u8, u8) = (213, 94, 0);
    /// Okabe–Ito reddish purple.
    pub const REDDISH_PURPLE: (u8, u8, u8) = (204, 121, 167);
    /// Okabe–Ito yellow.
    pub const YELLOW: (u8, u8, u8) = (240, 228, 66);
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
    /// White for empty / not-applicable cells (outlined in legends).
    pub const NOT_APPLICABLE: (u8, u8, u8) = (255, 255, 255);
}

// ---------------------------------------------------------------------------
// Public rendering functions
// ---------------------------------------------------------------------------

/// Largest chart side in CSS pixels.
pub const MAX_SIDE: f64 = 16_000.0;
/// Largest PNG, in pixels (width × height after scaling; 64 M ≈ 192 MB RGB).
pub const MAX_PNG_PIXELS: f64 = 64_000_000.0;

/// A chart: laid out once into a scene, then drawn as SVG or PNG by the shared painter.
pub(crate) trait Chart {
    /// Lays the chart out in CSS pixels.
    fn scene(&self) -> Res<Scene>;

    /// The chart as an SVG document.
    fn svg(&self) -> Res<String> {
        ensure_fonts()?;
        to_svg(&self.scene()?)
    }

    /// The chart as PNG bytes at the given scale (1.0 = SVG size).
    fn png_scaled(&self, scale: f64) -> Res<Vec<u8>> {
        ensure_fonts()?;
        to_png(&self.scene()?, scale)
    }
}

impl Chart for Heatmap {
    fn scene(&self) -> Res<Scene> {
        ensure_fonts()?;
        heatmap_scene(self)
    }
}

impl Chart for StackedBars {
    fn scene(&self) -> Res<Scene> {
        ensure_fonts()?;
        stacked_scene(self)
    }
}

impl Chart for MatrixChart {
    fn scene(&self) -> Res<Scene> {
        ensure_fonts()?;
        matrix_scene(self)
    }
}

impl Chart for Timeline {
    fn scene(&self) -> Res<Scene> {
        ensure_fonts()?;
        timeline_scene(self)
    }
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

/// How a line of text is drawn: face, colour, anchoring, direction.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    font: Font,
    color: Rgb,
    h: HAlign,
    v: VAlign,
    /// Reads bottom to top.
    vertical: bool,
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
pub(crate) struct Scene {
    w: f64,
    h: f64,
    items: Vec<Item>,
}

impl Scene {
    /// An x-axis tick label under the plot at `x`, repeated above it when `top` (long charts).
    fn x_tick(&mut self, label: &str, x: f64, ptop: f64, pbottom: f64, top: bool) -> Res<()> {
        self.text(
            label,
            x,
            pbottom + 4.0,
            Style {
                font: F_TICK,
                color: TEXT,
                h: HAlign::Middle,
                v: VAlign::Top,
                vertical: false,
            },
        )?;
        if top {
            self.text(
                label,
                x,
                ptop - 4.0,
                Style {
                    font: F_TICK,
                    color: TEXT,
                    h: HAlign::Middle,
                    v: VAlign::Bottom,
                    vertical: false,
                },
            )?;
        }
        Ok(())
    }

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

    /// Places one line of text anchored at (x, y).
    fn text(&mut self, text: &str, x: f64, y: f64, style: Style) -> Res<()> {
        if text.is_empty() {
            return Ok(());
        }
        let width = text_width(text, style.font)?;
        self.items.push(Item::Text(TextItem {
            text: text.to_string(),
            x,
            y,
            font: style.font,
            color: style.color,
            h: style.h,
            v: style.v,
            vertical: style.vertical,
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

/// Black or white, whichever reads better on `bg` (relative luminance).
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

// ---------------------------------------------------------------------------
// Common frame: title, legend, body, note and source
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Swatch {
    Box(Rgb),
    Marker(Shape, Rgb),
    /// A heatmap cell mark (1: bottom bar, 2: top and bottom bars) on a white box.
    CellMark(u8),
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
            Swatch::CellMark(k) => {
                s.outlined_rect(x, cy - 7.0, x + SW, cy + 7.0, WHITE, RULE);
                s.rect(x + 1.0, cy + 3.0, x + SW - 1.0, cy + 6.0, TEXT);
                if k >= 2 {
                    s.rect(x + 1.0, cy - 6.0, x + SW - 1.0, cy - 3.0, TEXT);
                }
            }
        }
        s.text(
            &label,
            x + SW + GAP,
            cy,
            Style {
                font: F_LEGEND,
                color: TEXT,
                h: HAlign::Start,
                v: VAlign::Middle,
                vertical: false,
            },
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
            Style {
                font: F_TITLE,
                color: TEXT,
                h: HAlign::Start,
                v: VAlign::Top,
                vertical: false,
            },
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
                Style {
                    font: F_SOURCE,
                    color: MUTED,
                    h: HAlign::Start,
                    v: VAlign::Top,
                    vertical: false,
                },
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
        Style {
            font: F_AXIS,
            color: TEXT,
            h: HAlign::Middle,
            v: VAlign::Top,
            vertical: true,
        },
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
            Style {
                font: F_AXIS,
                color: TEXT,
                h: HAlign::Start,
                v: VAlign::Top,
                vertical: false,
            },
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

mod bars;
mod heatmap;
mod matrix;
mod paint;
#[cfg(test)]
mod tests;
mod timeline;

use bars::stacked_scene;
use heatmap::heatmap_scene;
use matrix::matrix_scene;
use paint::{to_png, to_svg};
use timeline::timeline_scene;
