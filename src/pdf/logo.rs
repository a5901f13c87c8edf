//! The tenant's logo for PDFs: the theme's `logo.svg` turned into vector paths the PDF renderer draws.
//!
//! A full SVG renderer would add about ninety crates (printpdf's `svg` feature); a coat of arms or a
//! logo needs only a small part of SVG, so that part is read here: `path`, `rect` (also rounded),
//! `circle`, `ellipse`, `line`, `polyline`, `polygon`, grouped with `g`, reused with `use`, clipped with
//! `clipPath`; the presentation attributes `fill`, `stroke`, `stroke-width`, `stroke-linejoin`,
//! `stroke-linecap`, `fill-rule`, `clip-rule`, `color` and `transform`. Path data, colours, transforms
//! and numbers are parsed by svgtypes. Anything that would change the picture and is not in that
//! part (text, images, gradients, opacity, CSS, masks, filters) is an error that names it: the theme
//! loader then logs it and PDFs are made without the logo, rather than with a wrong one.
//!
//! Always compiled (also without the `pdf` feature), so a theme's logo is checked the same way in
//! every build and the parser can be fuzzed.

use std::collections::HashMap;
use std::str::FromStr;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use svgtypes::{Paint, SimplePathSegment, Transform};

/// Larger logo files are refused (a logo is a few kilobytes).
const MAX_BYTES: usize = 256 * 1024;
const MAX_ELEMENTS: usize = 5_000;
const MAX_DEPTH: usize = 32;
/// `use` inside `use` (also stops reference cycles).
const MAX_USE_DEPTH: usize = 8;
/// Elements walked, after `use` expansion.
const MAX_VISITS: usize = 100_000;
/// Path segments over the whole logo, after `use` expansion.
const MAX_SEGMENTS: usize = 100_000;
/// Path coordinates and arc radii beyond this are refused (a logo's viewBox is tens to thousands of
/// units wide).
const MAX_COORD: f64 = 1e6;
/// Control-point distance for a quarter ellipse drawn as a cubic Bézier curve.
const KAPPA: f64 = 0.552_284_749_8;

/// Why a logo cannot be drawn in PDFs.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LogoError {
    #[error("the file is not valid XML: {0}")]
    Xml(String),
    #[error("the file is larger than {} KB", MAX_BYTES / 1024)]
    TooLarge,
    #[error("the logo is too complex (more than {0})")]
    TooComplex(&'static str),
    #[error("the root element is <{0}>, not <svg>")]
    NotSvg(String),
    #[error("<svg> needs a viewBox (or width and height) with a positive size")]
    NoSize,
    #[error("<{0}> is not supported in PDF logos")]
    Element(String),
    #[error("<{element}> {attribute}=\"{value}\" is not supported in PDF logos")]
    Attribute {
        element: String,
        attribute: String,
        value: String,
    },
    #[error("<{element}> {attribute}=\"{value}\" cannot be read")]
    Invalid {
        element: String,
        attribute: String,
        value: String,
    },
    #[error("<{0}> has path coordinates or arc radii beyond ±1,000,000")]
    Coordinates(String),
    #[error("<{element}> refers to #{id}, which does not exist or cannot be used there")]
    Reference { element: String, id: String },
}

/// One step of a path, in the logo's viewBox coordinates (y pointing down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Seg {
    Move(f32, f32),
    Line(f32, f32),
    /// Two control points, then the end point.
    Cubic(f32, f32, f32, f32, f32, f32),
    Close,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    Miter,
    Round,
    Bevel,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cap {
    Butt,
    Round,
    Square,
}

/// Red, green, blue from 0 to 1.
pub type Rgb = [f32; 3];

#[derive(Clone, Debug, PartialEq)]
pub struct Stroke {
    pub color: Rgb,
    /// In viewBox units.
    pub width: f32,
    pub join: Join,
    pub cap: Cap,
}

/// A clipping region: what is drawn is kept only inside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Clip {
    pub path: Vec<Seg>,
    pub even_odd: bool,
}

/// One filled and/or stroked path, clipped by every region in `clips`.
#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub path: Vec<Seg>,
    pub fill: Option<Rgb>,
    pub even_odd: bool,
    pub stroke: Option<Stroke>,
    pub clips: Vec<Clip>,
}

/// A logo as the PDF renderer draws it, painted in order.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorLogo {
    /// The viewBox: x, y, width, height.
    pub view: [f32; 4],
    pub shapes: Vec<Shape>,
}

impl VectorLogo {
    /// Reads an SVG logo, or says what in it cannot be drawn.
    pub fn from_svg(svg: &[u8]) -> Result<VectorLogo, LogoError> {
        if svg.len() > MAX_BYTES {
            return Err(LogoError::TooLarge);
        }
        let text = std::str::from_utf8(svg).map_err(|e| LogoError::Xml(e.to_string()))?;
        let root = parse_tree(text)?;
        if root.name != "svg" {
            return Err(LogoError::NotSvg(root.name));
        }
        let view = view_box(&root)?;
        let mut ids = HashMap::new();
        index_ids(&root, &mut ids);
        let mut walker = Walker {
            ids,
            shapes: Vec::new(),
            segments: 0,
            visits: 0,
        };
        let style = Style::default();
        walker.children(&root, &style, Transform::default(), &[], 0)?;
        Ok(VectorLogo {
            view,
            shapes: walker.shapes,
        })
    }
}

// -- the element tree ---------------------------------------------------------------------------

#[derive(Debug)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn node(start: &BytesStart<'_>) -> Result<Node, LogoError> {
    let name = start.local_name().as_ref().to_owned();
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| LogoError::Xml(e.to_string()))?;
        let key = a.key;
        // `xlink:href` and `href` alike; other prefixed attributes belong to editors (inkscape:…).
        let prefixed = key.prefix().is_some();
        let local = key.local_name().as_ref().to_owned();
        if prefixed && local != "href" {
            continue;
        }
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| LogoError::Xml(e.to_string()))?
            .into_owned();
        attrs.push((local, value));
    }
    Ok(Node {
        name,
        attrs,
        children: Vec::new(),
    })
}

fn parse_tree(text: &str) -> Result<Node, LogoError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Node> = Vec::new();
    let mut count = 0usize;
    let mut root = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| LogoError::Xml(e.to_string()))?;
        match event {
            Event::Start(_) | Event::Empty(_) if root.is_some() => {
                return Err(LogoError::Xml("content after the root element".into()));
            }
            Event::Start(s) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(LogoError::TooComplex("5,000 elements"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(LogoError::TooComplex("32 levels of nesting"));
                }
                stack.push(node(&s)?);
            }
            Event::Empty(s) => {
                count += 1;
                if count > MAX_ELEMENTS {
                    return Err(LogoError::TooComplex("5,000 elements"));
                }
                let n = node(&s)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(n),
                    None => root = Some(n),
                }
            }
            Event::End(_) => {
                let Some(n) = stack.pop() else {
                    return Err(LogoError::Xml("unexpected end tag".into()));
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(n),
                    None => root = Some(n),
                }
            }
            Event::Text(t) => {
                // Text directly in shapes and groups is whitespace; <title> and <desc> hold words.
                let inside_text = matches!(
                    stack.last().map(|n| n.name.as_str()),
                    Some("title" | "desc" | "metadata" | "style" | "text" | "tspan")
                );
                if !inside_text && !t.trim().is_empty() && !stack.is_empty() {
                    return Err(LogoError::Xml("text outside <title> and <desc>".into()));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(LogoError::Xml("the file ends inside an element".into()));
    }
    root.ok_or_else(|| LogoError::Xml("no root element".into()))
}

fn index_ids<'a>(n: &'a Node, ids: &mut HashMap<String, &'a Node>) {
    if let Some(id) = n.attr("id") {
        ids.entry(id.to_owned()).or_insert(n);
    }
    for c in &n.children {
        index_ids(c, ids);
    }
}

fn view_box(root: &Node) -> Result<[f32; 4], LogoError> {
    let v = if let Some(v) = root.attr("viewBox") {
        let vb = svgtypes::ViewBox::from_str(v).map_err(|_| invalid(root, "viewBox", v))?;
        [vb.x, vb.y, vb.w, vb.h]
    } else {
        let w = length(root, "width")?.ok_or(LogoError::NoSize)?;
        let h = length(root, "height")?.ok_or(LogoError::NoSize)?;
        [0.0, 0.0, w, h]
    };
    let [x, y, w, h] = v;
    if !(w > 0.0 && h > 0.0 && x.is_finite() && y.is_finite() && w.is_finite() && h.is_finite()) {
        return Err(LogoError::NoSize);
    }
    Ok([x as f32, y as f32, w as f32, h as f32])
}

fn invalid(n: &Node, attribute: &str, value: &str) -> LogoError {
    LogoError::Invalid {
        element: n.name.clone(),
        attribute: attribute.to_owned(),
        value: value.to_owned(),
    }
}

fn unsupported(n: &Node, attribute: &str, value: &str) -> LogoError {
    LogoError::Attribute {
        element: n.name.clone(),
        attribute: attribute.to_owned(),
        value: value.to_owned(),
    }
}

/// A length in user units; `px` and no unit are the same, other units (%, em, mm) are not supported.
fn length(n: &Node, name: &str) -> Result<Option<f64>, LogoError> {
    let Some(v) = n.attr(name) else {
        return Ok(None);
    };
    let l = svgtypes::Length::from_str(v).map_err(|_| invalid(n, name, v))?;
    match l.unit {
        svgtypes::LengthUnit::None | svgtypes::LengthUnit::Px if l.number.is_finite() => {
            Ok(Some(l.number))
        }
        _ => Err(unsupported(n, name, v)),
    }
}

fn length_or_zero(n: &Node, name: &str) -> Result<f64, LogoError> {
    Ok(length(n, name)?.unwrap_or(0.0))
}

// -- styles -------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Colour {
    None,
    Rgb(Rgb),
    Current,
}

/// The inherited presentation attributes.
#[derive(Clone, Debug)]
struct Style {
    fill: Colour,
    stroke: Colour,
    stroke_width: f64,
    join: Join,
    cap: Cap,
    even_odd: bool,
    clip_even_odd: bool,
    color: Rgb,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            fill: Colour::Rgb([0.0, 0.0, 0.0]),
            stroke: Colour::None,
            stroke_width: 1.0,
            join: Join::Miter,
            cap: Cap::Butt,
            even_odd: false,
            clip_even_odd: false,
            color: [0.0, 0.0, 0.0],
        }
    }
}

/// Attributes that change the picture in ways PDF logos do not draw.
const UNSUPPORTED_ATTRIBUTES: &[&str] = &[
    "style",
    "mask",
    "filter",
    "marker-start",
    "marker-mid",
    "marker-end",
    "stroke-dasharray",
    "paint-order",
    "vector-effect",
];

fn rgb(c: svgtypes::Color) -> Option<Rgb> {
    (c.alpha == 255).then(|| {
        [
            f32::from(c.red) / 255.0,
            f32::from(c.green) / 255.0,
            f32::from(c.blue) / 255.0,
        ]
    })
}

fn paint(n: &Node, name: &str, v: &str, inherited: Colour) -> Result<Colour, LogoError> {
    match Paint::from_str(v) {
        Ok(Paint::None) => Ok(Colour::None),
        Ok(Paint::Inherit) => Ok(inherited),
        Ok(Paint::CurrentColor) => Ok(Colour::Current),
        Ok(Paint::Color(c)) => rgb(c)
            .map(Colour::Rgb)
            .ok_or_else(|| unsupported(n, name, v)),
        Ok(_) => Err(unsupported(n, name, v)),
        Err(_) => Err(invalid(n, name, v)),
    }
}

/// `style` with this element's presentation attributes applied.
fn styled(n: &Node, parent: &Style) -> Result<Style, LogoError> {
    let mut s = parent.clone();
    for (k, v) in &n.attrs {
        let v = v.trim();
        match k.as_str() {
            "fill" => s.fill = paint(n, k, v, parent.fill)?,
            "stroke" => s.stroke = paint(n, k, v, parent.stroke)?,
            "color" if v != "inherit" => {
                let c = svgtypes::Color::from_str(v).map_err(|_| invalid(n, k, v))?;
                s.color = rgb(c).ok_or_else(|| unsupported(n, k, v))?;
            }
            "stroke-width" => {
                let w = length(n, k)?.unwrap_or(1.0);
                if w < 0.0 {
                    return Err(invalid(n, k, v));
                }
                s.stroke_width = w;
            }
            "stroke-linejoin" => {
                s.join = match v {
                    "miter" | "miter-clip" | "arcs" => Join::Miter,
                    "round" => Join::Round,
                    "bevel" => Join::Bevel,
                    "inherit" => parent.join,
                    _ => return Err(invalid(n, k, v)),
                }
            }
            "stroke-linecap" => {
                s.cap = match v {
                    "butt" => Cap::Butt,
                    "round" => Cap::Round,
                    "square" => Cap::Square,
                    "inherit" => parent.cap,
                    _ => return Err(invalid(n, k, v)),
                }
            }
            "fill-rule" | "clip-rule" => {
                let even_odd = match v {
                    "nonzero" => false,
                    "evenodd" => true,
                    "inherit" if k == "fill-rule" => parent.even_odd,
                    "inherit" => parent.clip_even_odd,
                    _ => return Err(invalid(n, k, v)),
                };
                if k == "fill-rule" {
                    s.even_odd = even_odd;
                } else {
                    s.clip_even_odd = even_odd;
                }
            }
            "opacity" | "fill-opacity" | "stroke-opacity" => {
                let o = svgtypes::Number::from_str(v).map_err(|_| invalid(n, k, v))?;
                if o.0 < 1.0 {
                    return Err(unsupported(n, k, v));
                }
            }
            "display" | "visibility" if matches!(v, "none" | "hidden" | "collapse") => {
                return Err(unsupported(n, k, v));
            }
            k if UNSUPPORTED_ATTRIBUTES.contains(&k) => return Err(unsupported(n, k, v)),
            _ => {}
        }
    }
    Ok(s)
}

fn resolve(c: Colour, style: &Style) -> Option<Rgb> {
    match c {
        Colour::None => None,
        Colour::Rgb(rgb) => Some(rgb),
        Colour::Current => Some(style.color),
    }
}

// -- geometry -----------------------------------------------------------------------------------

fn multiply(parent: Transform, child: Transform) -> Transform {
    Transform::new(
        parent.a * child.a + parent.c * child.b,
        parent.b * child.a + parent.d * child.b,
        parent.a * child.c + parent.c * child.d,
        parent.b * child.c + parent.d * child.d,
        parent.a * child.e + parent.c * child.f + parent.e,
        parent.b * child.e + parent.d * child.f + parent.f,
    )
}

fn transformed(n: &Node, parent: Transform) -> Result<Transform, LogoError> {
    match n.attr("transform") {
        None => Ok(parent),
        Some(v) => {
            let t = Transform::from_str(v).map_err(|_| invalid(n, "transform", v))?;
            Ok(multiply(parent, t))
        }
    }
}

/// Builds a path in user units, then maps it through a transform.
struct PathBuilder {
    segs: Vec<(u8, [f64; 6])>,
}

const MOVE: u8 = 0;
const LINE: u8 = 1;
const CUBIC: u8 = 2;
const CLOSE: u8 = 3;

impl PathBuilder {
    fn new() -> Self {
        PathBuilder { segs: Vec::new() }
    }
    fn move_to(&mut self, x: f64, y: f64) {
        self.segs.push((MOVE, [x, y, 0.0, 0.0, 0.0, 0.0]));
    }
    fn line_to(&mut self, x: f64, y: f64) {
        self.segs.push((LINE, [x, y, 0.0, 0.0, 0.0, 0.0]));
    }
    fn cubic_to(&mut self, p: [f64; 6]) {
        self.segs.push((CUBIC, p));
    }
    fn close(&mut self) {
        self.segs.push((CLOSE, [0.0; 6]));
    }
    /// An ellipse as four cubic curves.
    fn ellipse(&mut self, cx: f64, cy: f64, rx: f64, ry: f64) {
        let (kx, ky) = (rx * KAPPA, ry * KAPPA);
        self.move_to(cx + rx, cy);
        self.cubic_to([cx + rx, cy + ky, cx + kx, cy + ry, cx, cy + ry]);
        self.cubic_to([cx - kx, cy + ry, cx - rx, cy + ky, cx - rx, cy]);
        self.cubic_to([cx - rx, cy - ky, cx - kx, cy - ry, cx, cy - ry]);
        self.cubic_to([cx + kx, cy - ry, cx + rx, cy - ky, cx + rx, cy]);
        self.close();
    }
    /// The path through `t`; an error if a point lands beyond what a PDF can hold.
    fn finish(self, n: &Node, t: Transform) -> Result<Vec<Seg>, LogoError> {
        let far = self.segs.iter().any(|(_, p)| {
            p.chunks_exact(2).any(|xy| {
                let (x, y) = match xy {
                    [x, y] => (*x, *y),
                    _ => (0.0, 0.0),
                };
                let (x, y) = (t.a * x + t.c * y + t.e, t.b * x + t.d * y + t.f);
                !(x.is_finite() && y.is_finite() && x.abs() <= MAX_COORD && y.abs() <= MAX_COORD)
            })
        });
        if far {
            return Err(LogoError::Coordinates(n.name.clone()));
        }
        let map = |x: f64, y: f64| {
            let (x, y) = (t.a * x + t.c * y + t.e, t.b * x + t.d * y + t.f);
            (x as f32, y as f32)
        };
        Ok(self
            .segs
            .into_iter()
            .map(|(kind, p)| match kind {
                MOVE => {
                    let (x, y) = map(p[0], p[1]);
                    Seg::Move(x, y)
                }
                LINE => {
                    let (x, y) = map(p[0], p[1]);
                    Seg::Line(x, y)
                }
                CUBIC => {
                    let (x1, y1) = map(p[0], p[1]);
                    let (x2, y2) = map(p[2], p[3]);
                    let (x, y) = map(p[4], p[5]);
                    Seg::Cubic(x1, y1, x2, y2, x, y)
                }
                _ => Seg::Close,
            })
            .collect())
    }
}

/// Checks path data before svgtypes turns its arcs into curves: every point and arc radius within
/// ±[`MAX_COORD`] and at most [`MAX_SEGMENTS`] segments. The number of curves an arc becomes grows
/// with its radius, so one arc to a point 10^36 away would take minutes (found by the fuzzer).
fn check_path_data(n: &Node, d: &str) -> Result<(), LogoError> {
    use svgtypes::PathSegment as P;
    let (mut x, mut y, mut start) = (0.0f64, 0.0f64, (0.0f64, 0.0f64));
    let to = |abs: bool, base: f64, v: f64| if abs { v } else { base + v };
    for (count, seg) in svgtypes::PathParser::from(d).enumerate() {
        if count >= MAX_SEGMENTS {
            return Err(LogoError::TooComplex("100,000 path segments"));
        }
        let mut radii = (0.0f64, 0.0f64);
        match seg.map_err(|_| invalid(n, "d", d))? {
            P::MoveTo { abs, x: nx, y: ny } => {
                (x, y) = (to(abs, x, nx), to(abs, y, ny));
                start = (x, y);
            }
            P::LineTo { abs, x: nx, y: ny }
            | P::SmoothQuadratic { abs, x: nx, y: ny }
            | P::CurveTo {
                abs, x: nx, y: ny, ..
            }
            | P::SmoothCurveTo {
                abs, x: nx, y: ny, ..
            }
            | P::Quadratic {
                abs, x: nx, y: ny, ..
            } => (x, y) = (to(abs, x, nx), to(abs, y, ny)),
            P::HorizontalLineTo { abs, x: nx } => x = to(abs, x, nx),
            P::VerticalLineTo { abs, y: ny } => y = to(abs, y, ny),
            P::EllipticalArc {
                abs,
                rx,
                ry,
                x: nx,
                y: ny,
                ..
            } => {
                (x, y) = (to(abs, x, nx), to(abs, y, ny));
                radii = (rx, ry);
            }
            P::ClosePath { .. } => (x, y) = start,
        }
        let within = |v: f64| v.is_finite() && v.abs() <= MAX_COORD;
        if !(within(x) && within(y) && within(radii.0) && within(radii.1)) {
            return Err(LogoError::Coordinates(n.name.clone()));
        }
    }
    Ok(())
}

fn path_data(n: &Node) -> Result<PathBuilder, LogoError> {
    let d = n.attr("d").unwrap_or("");
    check_path_data(n, d)?;
    let mut b = PathBuilder::new();
    let (mut cx, mut cy) = (0.0, 0.0);
    for seg in svgtypes::SimplifyingPathParser::from(d) {
        let seg = seg.map_err(|_| invalid(n, "d", d))?;
        match seg {
            SimplePathSegment::MoveTo { x, y } => {
                b.move_to(x, y);
                (cx, cy) = (x, y);
            }
            SimplePathSegment::LineTo { x, y } => {
                b.line_to(x, y);
                (cx, cy) = (x, y);
            }
            SimplePathSegment::CurveTo {
                x1,
                y1,
                x2,
                y2,
                x,
                y,
            } => {
                b.cubic_to([x1, y1, x2, y2, x, y]);
                (cx, cy) = (x, y);
            }
            SimplePathSegment::Quadratic { x1, y1, x, y } => {
                // The cubic curve with the same shape as the quadratic one.
                b.cubic_to([
                    cx + 2.0 / 3.0 * (x1 - cx),
                    cy + 2.0 / 3.0 * (y1 - cy),
                    x + 2.0 / 3.0 * (x1 - x),
                    y + 2.0 / 3.0 * (y1 - y),
                    x,
                    y,
                ]);
                (cx, cy) = (x, y);
            }
            SimplePathSegment::ClosePath => b.close(),
        }
    }
    Ok(b)
}

fn points(n: &Node, close: bool) -> Result<PathBuilder, LogoError> {
    let v = n.attr("points").unwrap_or("");
    let mut b = PathBuilder::new();
    for (i, (x, y)) in svgtypes::PointsParser::from(v).enumerate() {
        if i == 0 {
            b.move_to(x, y);
        } else {
            b.line_to(x, y);
        }
    }
    if close && !b.segs.is_empty() {
        b.close();
    }
    Ok(b)
}

fn rect(n: &Node) -> Result<PathBuilder, LogoError> {
    let (x, y) = (length_or_zero(n, "x")?, length_or_zero(n, "y")?);
    let (w, h) = (length_or_zero(n, "width")?, length_or_zero(n, "height")?);
    let mut b = PathBuilder::new();
    if w <= 0.0 || h <= 0.0 {
        return Ok(b);
    }
    let (rx, ry) = match (length(n, "rx")?, length(n, "ry")?) {
        (None, None) => (0.0, 0.0),
        (Some(r), None) | (None, Some(r)) => (r, r),
        (Some(rx), Some(ry)) => (rx, ry),
    };
    let (rx, ry) = (rx.clamp(0.0, w / 2.0), ry.clamp(0.0, h / 2.0));
    if rx == 0.0 || ry == 0.0 {
        b.move_to(x, y);
        b.line_to(x + w, y);
        b.line_to(x + w, y + h);
        b.line_to(x, y + h);
        b.close();
        return Ok(b);
    }
    let (kx, ky) = (rx * KAPPA, ry * KAPPA);
    b.move_to(x + rx, y);
    b.line_to(x + w - rx, y);
    b.cubic_to([x + w - rx + kx, y, x + w, y + ry - ky, x + w, y + ry]);
    b.line_to(x + w, y + h - ry);
    b.cubic_to([
        x + w,
        y + h - ry + ky,
        x + w - rx + kx,
        y + h,
        x + w - rx,
        y + h,
    ]);
    b.line_to(x + rx, y + h);
    b.cubic_to([x + rx - kx, y + h, x, y + h - ry + ky, x, y + h - ry]);
    b.line_to(x, y + ry);
    b.cubic_to([x, y + ry - ky, x + rx - kx, y, x + rx, y]);
    b.close();
    Ok(b)
}

/// The geometry of a shape element, or None when `n` is not a shape.
fn geometry(n: &Node) -> Result<Option<PathBuilder>, LogoError> {
    Ok(Some(match n.name.as_str() {
        "path" => path_data(n)?,
        "rect" => rect(n)?,
        "circle" => {
            let r = length_or_zero(n, "r")?;
            let mut b = PathBuilder::new();
            if r > 0.0 {
                b.ellipse(length_or_zero(n, "cx")?, length_or_zero(n, "cy")?, r, r);
            }
            b
        }
        "ellipse" => {
            let (rx, ry) = (length_or_zero(n, "rx")?, length_or_zero(n, "ry")?);
            let mut b = PathBuilder::new();
            if rx > 0.0 && ry > 0.0 {
                b.ellipse(length_or_zero(n, "cx")?, length_or_zero(n, "cy")?, rx, ry);
            }
            b
        }
        "line" => {
            let mut b = PathBuilder::new();
            b.move_to(length_or_zero(n, "x1")?, length_or_zero(n, "y1")?);
            b.line_to(length_or_zero(n, "x2")?, length_or_zero(n, "y2")?);
            b
        }
        "polyline" => points(n, false)?,
        "polygon" => points(n, true)?,
        _ => return Ok(None),
    }))
}

/// Elements that draw nothing themselves and are skipped where they stand.
const SKIPPED: &[&str] = &["defs", "title", "desc", "metadata", "clipPath", "symbol"];

struct Walker<'a> {
    ids: HashMap<String, &'a Node>,
    shapes: Vec<Shape>,
    segments: usize,
    visits: usize,
}

impl<'a> Walker<'a> {
    fn count(&mut self, n: usize) -> Result<(), LogoError> {
        self.segments += n;
        if self.segments > MAX_SEGMENTS {
            return Err(LogoError::TooComplex("100,000 path segments"));
        }
        Ok(())
    }

    fn reference(&self, n: &Node, id: Option<&str>) -> Result<&'a Node, LogoError> {
        let id = id.unwrap_or("");
        self.ids
            .get(id)
            .copied()
            .ok_or_else(|| LogoError::Reference {
                element: n.name.clone(),
                id: id.to_owned(),
            })
    }

    fn children(
        &mut self,
        n: &'a Node,
        style: &Style,
        t: Transform,
        clips: &[Clip],
        uses: usize,
    ) -> Result<(), LogoError> {
        for c in &n.children {
            self.element(c, style, t, clips, uses)?;
        }
        Ok(())
    }

    /// The clip region named by `clip-path="url(#id)"` on `n`, if any.
    fn clip(&mut self, n: &Node, style: &Style, t: Transform) -> Result<Option<Clip>, LogoError> {
        let Some(v) = n.attr("clip-path") else {
            return Ok(None);
        };
        if v.trim() == "none" {
            return Ok(None);
        }
        let id = svgtypes::FuncIRI::from_str(v)
            .map_err(|_| invalid(n, "clip-path", v))?
            .0;
        let target = self.reference(n, Some(id))?;
        if target.name != "clipPath" {
            return Err(LogoError::Reference {
                element: n.name.clone(),
                id: id.to_owned(),
            });
        }
        if target
            .attr("clipPathUnits")
            .is_some_and(|u| u.trim() == "objectBoundingBox")
        {
            return Err(unsupported(target, "clipPathUnits", "objectBoundingBox"));
        }
        if target.attr("clip-path").is_some() {
            return Err(unsupported(target, "clip-path", "…"));
        }
        let t = transformed(target, t)?;
        let clip_style = styled(target, style)?;
        let mut path = Vec::new();
        for c in &target.children {
            let (c, ct) = match c.name.as_str() {
                "use" => {
                    let r = self.reference(c, href(c))?;
                    (r, use_transform(c, transformed(c, t)?)?)
                }
                _ => (c, t),
            };
            if SKIPPED.contains(&c.name.as_str()) {
                continue;
            }
            let Some(b) = geometry(c)? else {
                return Err(LogoError::Element(c.name.clone()));
            };
            // Only the geometry counts in a clip region; its attributes must still be drawable.
            styled(c, &clip_style)?;
            let segs = b.finish(c, transformed(c, ct)?)?;
            self.count(segs.len())?;
            path.extend(segs);
        }
        Ok(Some(Clip {
            path,
            even_odd: clip_style.clip_even_odd,
        }))
    }

    fn element(
        &mut self,
        n: &'a Node,
        parent: &Style,
        t: Transform,
        clips: &[Clip],
        uses: usize,
    ) -> Result<(), LogoError> {
        let name = n.name.as_str();
        if SKIPPED.contains(&name) {
            return Ok(());
        }
        // `use` can repeat a group many times over; count what is walked, not only what is drawn.
        self.visits += 1;
        if self.visits > MAX_VISITS {
            return Err(LogoError::TooComplex("100,000 elements drawn"));
        }
        let style = styled(n, parent)?;
        let t = transformed(n, t)?;
        let mut clips = clips.to_vec();
        if let Some(c) = self.clip(n, &style, t)? {
            clips.push(c);
        }
        match name {
            "g" | "a" | "switch" => self.children(n, &style, t, &clips, uses),
            "use" => {
                if uses >= MAX_USE_DEPTH {
                    return Err(LogoError::TooComplex("8 levels of <use>"));
                }
                let target = self.reference(n, href(n))?;
                if matches!(target.name.as_str(), "svg" | "symbol" | "clipPath") {
                    return Err(LogoError::Reference {
                        element: "use".into(),
                        id: href(n).unwrap_or("").trim_start_matches('#').to_owned(),
                    });
                }
                let t = use_transform(n, t)?;
                self.element(target, &style, t, &clips, uses + 1)
            }
            _ => {
                let Some(b) = geometry(n)? else {
                    return Err(LogoError::Element(n.name.clone()));
                };
                let width_scale = (t.a * t.d - t.b * t.c).abs().sqrt();
                let path = b.finish(n, t)?;
                self.count(path.len())?;
                let fill = if name == "line" {
                    None
                } else {
                    resolve(style.fill, &style)
                };
                let stroke = resolve(style.stroke, &style)
                    .filter(|_| style.stroke_width > 0.0)
                    .map(|color| Stroke {
                        color,
                        width: (style.stroke_width * width_scale) as f32,
                        join: style.join,
                        cap: style.cap,
                    });
                if path.is_empty() || (fill.is_none() && stroke.is_none()) {
                    return Ok(());
                }
                self.shapes.push(Shape {
                    path,
                    fill,
                    even_odd: style.even_odd,
                    stroke,
                    clips,
                });
                Ok(())
            }
        }
    }
}

/// `href="#id"` (or `xlink:href`) as the id.
fn href(n: &Node) -> Option<&str> {
    n.attr("href").map(|h| h.trim().trim_start_matches('#'))
}

/// A `use` element's x and y move what it shows.
fn use_transform(n: &Node, t: Transform) -> Result<Transform, LogoError> {
    let (x, y) = (length_or_zero(n, "x")?, length_or_zero(n, "y")?);
    Ok(multiply(t, Transform::new(1.0, 0.0, 0.0, 1.0, x, y)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: &[u8] = include_bytes!("../../themes/default/logo.svg");
    const PROVESTAD: &[u8] = include_bytes!("../../themes/provestad/logo.svg");

    fn svg(body: &str) -> String {
        format!(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{body}</svg>"#)
    }

    fn err(body: &str) -> String {
        VectorLogo::from_svg(svg(body).as_bytes())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn the_shipped_logos_are_drawn() {
        let d = VectorLogo::from_svg(DEFAULT).unwrap();
        assert_eq!(d.view, [0.0, 0.0, 64.0, 72.0]);
        assert_eq!(d.shapes.len(), 3);
        let shield = &d.shapes[0];
        assert_eq!(
            shield.fill,
            Some([
                0x1b as f32 / 255.0,
                0x5f as f32 / 255.0,
                0xa8 as f32 / 255.0
            ])
        );
        let stroke = shield.stroke.as_ref().unwrap();
        assert_eq!((stroke.width, stroke.join), (3.0, Join::Round));
        assert_eq!(shield.path.first(), Some(&Seg::Move(4.0, 4.0)));
        assert!(shield.path.iter().any(|s| matches!(s, Seg::Cubic(..))));

        let p = VectorLogo::from_svg(PROVESTAD).unwrap();
        // The shield through <use>, the tree, the clipped waves, the outline through <use>.
        assert_eq!(p.shapes.len(), 4);
        assert_eq!(
            p.shapes[0].fill,
            Some([
                0x0b as f32 / 255.0,
                0x61 as f32 / 255.0,
                0x59 as f32 / 255.0
            ])
        );
        assert!(p.shapes[0].clips.is_empty());
        assert_eq!(
            p.shapes[2].clips.len(),
            1,
            "the waves are clipped by the shield"
        );
        assert_eq!(p.shapes[3].fill, None);
        assert!(p.shapes[3].stroke.is_some());
    }

    #[test]
    fn shapes_transforms_and_inheritance() {
        let l = VectorLogo::from_svg(
            svg(r##"<g fill="red" transform="translate(1 2)"><rect width="2" height="3"/>
              <circle cx="5" cy="5" r="1" fill="none" stroke="currentColor" color="#00ff00" transform="scale(2)"/>
              <polygon points="0,0 1,0 1,1"/><line x1="0" y1="0" x2="3" y2="3" stroke="blue"/></g>"##)
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(l.shapes.len(), 4);
        let r = &l.shapes[0];
        assert_eq!(r.fill, Some([1.0, 0.0, 0.0]));
        assert_eq!(
            r.path,
            vec![
                Seg::Move(1.0, 2.0),
                Seg::Line(3.0, 2.0),
                Seg::Line(3.0, 5.0),
                Seg::Line(1.0, 5.0),
                Seg::Close
            ]
        );
        let c = &l.shapes[1];
        assert_eq!(c.fill, None);
        let s = c.stroke.as_ref().unwrap();
        assert_eq!((s.color, s.width), ([0.0, 1.0, 0.0], 2.0));
        assert_eq!(c.path.first(), Some(&Seg::Move(13.0, 12.0)));
        assert_eq!(l.shapes[2].path.last(), Some(&Seg::Close));
        assert_eq!(l.shapes[3].fill, None, "a line is never filled");
    }

    #[test]
    fn quadratic_curves_become_cubic_ones() {
        let l = VectorLogo::from_svg(svg(r#"<path d="M0 0Q3 3 6 0z"/>"#).as_bytes()).unwrap();
        assert_eq!(
            l.shapes[0].path,
            vec![
                Seg::Move(0.0, 0.0),
                Seg::Cubic(2.0, 2.0, 4.0, 2.0, 6.0, 0.0),
                Seg::Close
            ]
        );
    }

    #[test]
    fn what_cannot_be_drawn_is_named() {
        assert_eq!(
            err("<text>Hei</text>"),
            "<text> is not supported in PDF logos"
        );
        assert_eq!(
            err(r#"<image href="a.png" width="1" height="1"/>"#),
            "<image> is not supported in PDF logos"
        );
        assert_eq!(
            err(r#"<path d="M0 0h1v1z" fill="url(#g)"/>"#),
            "<path> fill=\"url(#g)\" is not supported in PDF logos"
        );
        assert_eq!(
            err(r#"<path d="M0 0h1v1z" style="fill:red"/>"#),
            "<path> style=\"fill:red\" is not supported in PDF logos"
        );
        assert_eq!(
            err(r#"<g opacity="0.5"/>"#),
            "<g> opacity=\"0.5\" is not supported in PDF logos"
        );
        assert_eq!(
            err(r#"<path d="M0 0h1v1z" fill="rgba(0,0,0,0.5)"/>"#),
            "<path> fill=\"rgba(0,0,0,0.5)\" is not supported in PDF logos"
        );
        assert_eq!(
            err(r#"<path d="M0 0 L x"/>"#),
            "<path> d=\"M0 0 L x\" cannot be read"
        );
        assert_eq!(
            err(r##"<use href="#nope"/>"##),
            "<use> refers to #nope, which does not exist or cannot be used there"
        );
        assert_eq!(
            err(r#"<rect width="50%" height="1"/>"#),
            "<rect> width=\"50%\" is not supported in PDF logos"
        );
        assert_eq!(
            VectorLogo::from_svg(b"<html/>").unwrap_err().to_string(),
            "the root element is <html>, not <svg>"
        );
        assert_eq!(
            VectorLogo::from_svg(b"<svg><path d='M0 0h1'/></svg>")
                .unwrap_err()
                .to_string(),
            "<svg> needs a viewBox (or width and height) with a positive size"
        );
        assert!(VectorLogo::from_svg(b"<svg viewBox='0 0 1 1'><g>").is_err());
        assert!(VectorLogo::from_svg(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn a_far_arc_is_refused_before_it_becomes_millions_of_curves() {
        // Found by the logo_svg fuzz target: svgtypes turned this arc into curves for minutes.
        let found = include_bytes!("../../tests/fixtures/logo/far-arc.svg");
        assert_eq!(
            VectorLogo::from_svg(found).unwrap_err().to_string(),
            "<path> has path coordinates or arc radii beyond ±1,000,000"
        );
        assert_eq!(
            err(r#"<path d="M0 0a1e7 1 0 0 1 1 1"/>"#),
            "<path> has path coordinates or arc radii beyond ±1,000,000"
        );
        assert_eq!(
            err(&format!(r#"<path d="M0 0{}"/>"#, "l999999 0".repeat(2))),
            "<path> has path coordinates or arc radii beyond ±1,000,000",
            "relative steps add up"
        );
        // Large but allowed: an arc across a 10^6 box is a handful of curves.
        let l = VectorLogo::from_svg(svg(r#"<path d="M0 0A1e6 1e6 0 0 1 1e6 0z"/>"#).as_bytes())
            .unwrap();
        assert!(l.shapes[0].path.len() < 100, "{}", l.shapes[0].path.len());
    }

    #[test]
    fn cycles_and_bombs_are_refused() {
        assert_eq!(
            err(r##"<g id="a"><use href="#a"/></g>"##),
            "the logo is too complex (more than 8 levels of <use>)"
        );
        let deep = "<g>".repeat(40) + &"</g>".repeat(40);
        assert_eq!(
            err(&deep),
            "the logo is too complex (more than 32 levels of nesting)"
        );
        // Eight levels of ten uses each of a 4-segment path would be 400 million segments.
        let mut body = String::from(r#"<defs><path id="l0" d="M0 0h1v1z"/>"#);
        for i in 1..8 {
            body.push_str(&format!(r#"<g id="l{i}">"#));
            for _ in 0..10 {
                body.push_str(&format!(r##"<use href="#l{}"/>"##, i - 1));
            }
            body.push_str("</g>");
        }
        body.push_str(r##"</defs><use href="#l7"/>"##);
        assert_eq!(
            err(&body),
            "the logo is too complex (more than 100,000 path segments)"
        );
        // The same with empty groups: nothing is drawn, but the walk would be as long.
        let empty = body.replace(r#"<path id="l0" d="M0 0h1v1z"/>"#, r#"<g id="l0"/>"#);
        assert_eq!(
            err(&empty),
            "the logo is too complex (more than 100,000 elements drawn)"
        );
        assert_eq!(
            err(r#"<path d="M0 0h1v1z" transform="scale(1e300)"/>"#),
            "<path> has path coordinates or arc radii beyond ±1,000,000"
        );
    }
}
