//! Painting a scene with a plotters backend, and encoding SVG and PNG.

use super::*;

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

pub(super) fn to_svg(scene: &Scene) -> Res<String> {
    let size = canvas_size(scene, 1.0)?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        paint(&root, scene, Target::Svg, 1.0)?;
        root.present().map_err(draw_err)?;
    }
    // Attributes that restate SVG defaults.
    Ok(out
        .replace(" opacity=\"1\"", "")
        .replace(" stroke=\"none\"", ""))
}

pub(super) fn to_png(scene: &Scene, scale: f64) -> Res<Vec<u8>> {
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
