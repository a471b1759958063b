//! The content-stream interpreter: runs a page's operators and collects positioned glyphs.
//!
//! It tracks the graphics state (`q`/`Q`/`cm`), the text state (`BT`…`ET`, `Tf`, `Tc`, `Tw`,
//! `Tz`, `TL`, `Ts`, `Td`, `TD`, `Tm`, `T*`) and shows strings (`Tj`, `TJ`, `'`, `"`), descending
//! into Form XObjects. Images are not decoded, only measured: the share of the page they cover
//! tells the quality gate whether a text-less page is a scan.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::budget::{self, Budget};
use super::font::{Font, Source};
use super::lexer::{Lexer, Operand};

/// Form XObjects nested deeper than this are not entered (real files use 2 or 3 levels).
const MAX_FORM_DEPTH: usize = 12;
/// `q` nesting beyond this is ignored, so a hostile stream cannot grow the state stack.
const MAX_STATE_DEPTH: usize = 256;
/// Glyphs beyond this many per page are dropped.
const MAX_GLYPHS: usize = 2_000_000;

/// A glyph placed on the page, in a frame where its line runs left to right.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Glyph {
    /// Start of the glyph along the baseline.
    pub(crate) x: f32,
    /// End of the glyph's advance along the baseline.
    pub(crate) end: f32,
    /// Position of the baseline (grows upwards on the page).
    pub(crate) y: f32,
    /// Font size on the page.
    pub(crate) size: f32,
    /// Byte range of the glyph's text in [`PageContent::text`].
    pub(crate) start: u32,
    /// End of that range.
    pub(crate) stop: u32,
    /// Writing direction: 0 = left to right, 1 = bottom to top, 2 = upside down, 3 = top to bottom.
    pub(crate) rotation: u8,
    /// How the text was found.
    pub(crate) source: Source,
}

/// What a page's content streams drew.
#[derive(Debug, Default)]
pub(crate) struct PageContent {
    /// Glyphs in drawing order.
    pub(crate) glyphs: Vec<Glyph>,
    /// The text of all glyphs, indexed by their ranges.
    pub(crate) text: String,
    /// Share of the page area covered by images (may exceed 1 with overlaps).
    pub(crate) image_cover: f32,
    /// Bytes of content that could not be tokenised.
    pub(crate) skipped_bytes: usize,
    /// Glyphs drawn invisibly (render mode 3), as OCR layers over scans are.
    pub(crate) invisible_glyphs: usize,
}

/// A 2D affine matrix `[a b c d e f]`.
type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn multiply(first: &Matrix, second: &Matrix) -> Matrix {
    [
        first[0] * second[0] + first[1] * second[2],
        first[0] * second[1] + first[1] * second[3],
        first[2] * second[0] + first[3] * second[2],
        first[2] * second[1] + first[3] * second[3],
        first[4] * second[0] + first[5] * second[2] + second[4],
        first[4] * second[1] + first[5] * second[3] + second[5],
    ]
}

#[derive(Debug, Clone)]
struct GraphicsState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    font_size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scale: f32,
    leading: f32,
    rise: f32,
    render_mode: u8,
}

impl Default for GraphicsState {
    fn default() -> GraphicsState {
        GraphicsState {
            ctm: IDENTITY,
            font: None,
            font_size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
            render_mode: 0,
        }
    }
}

/// Fonts already read, shared by all pages of a document (keyed by dictionary address).
pub(crate) type FontCache = HashMap<usize, Rc<Font>>;

/// Runs the content of one page.
pub(crate) struct Interpreter<'a> {
    document: &'a Document,
    budget: &'a mut Budget,
    fonts: &'a mut FontCache,
    state: GraphicsState,
    stack: Vec<GraphicsState>,
    text_matrix: Matrix,
    line_matrix: Matrix,
    forms: Vec<ObjectId>,
    page_area: f32,
    out: PageContent,
}

impl<'a> Interpreter<'a> {
    /// Interprets the page `page_id` and returns what it drew.
    pub(crate) fn run_page(
        document: &'a Document,
        page_id: ObjectId,
        budget: &'a mut Budget,
        fonts: &'a mut FontCache,
    ) -> PageContent {
        let Ok(page) = document.get_dictionary(page_id) else {
            return PageContent::default();
        };
        let media_box = inherited(document, page, b"MediaBox")
            .and_then(|object| match object {
                Object::Array(items) => Some(
                    items
                        .iter()
                        .map(|item| {
                            budget::resolve(document, item)
                                .and_then(budget::number)
                                .unwrap_or(0.0)
                        })
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            })
            .filter(|numbers| numbers.len() == 4)
            .unwrap_or_else(|| vec![0.0, 0.0, 612.0, 792.0]);
        let page_area = ((media_box[2] - media_box[0]) * (media_box[3] - media_box[1]))
            .abs()
            .max(1.0);
        let resources = match inherited(document, page, b"Resources") {
            Some(Object::Dictionary(dictionary)) => Some(dictionary),
            _ => None,
        };
        let mut interpreter = Interpreter {
            document,
            budget,
            fonts,
            state: GraphicsState::default(),
            stack: Vec::new(),
            text_matrix: IDENTITY,
            line_matrix: IDENTITY,
            forms: Vec::new(),
            page_area,
            out: PageContent::default(),
        };
        let content = interpreter.page_content(page);
        interpreter.run(&content, resources);
        interpreter.out
    }

    /// Joins the page's content streams (separated by whitespace, as the spec requires).
    fn page_content(&mut self, page: &Dictionary) -> Vec<u8> {
        let streams: Vec<&Object> = match budget::get(self.document, page, b"Contents") {
            Some(Object::Array(items)) => items.iter().collect(),
            Some(object) => vec![object],
            None => Vec::new(),
        };
        let mut content = Vec::new();
        for object in streams {
            if let Some(Object::Stream(stream)) = budget::resolve(self.document, object) {
                if let Some(data) = self.budget.decode(stream) {
                    content.extend_from_slice(&data);
                    content.push(b'\n');
                }
            }
        }
        content
    }

    fn run(&mut self, content: &[u8], resources: Option<&'a Dictionary>) {
        let mut lexer = Lexer::new(content);
        let mut operands = Vec::new();
        while let Some(operator) = lexer.next_operation(&mut operands) {
            if !self.budget.tick() {
                break;
            }
            self.operation(operator, &operands, resources);
        }
        self.out.skipped_bytes += lexer.skipped;
    }

    fn operation(
        &mut self,
        operator: &[u8],
        operands: &[Operand],
        resources: Option<&'a Dictionary>,
    ) {
        let number = |index: usize| operands.get(index).and_then(Operand::number).unwrap_or(0.0);
        // Operators take their operands from the end of the stack; extra leading ones are noise.
        let last = |count: usize| -> Option<Vec<f32>> {
            let start = operands.len().checked_sub(count)?;
            operands[start..].iter().map(Operand::number).collect()
        };
        match operator {
            b"q" if self.stack.len() < MAX_STATE_DEPTH => self.stack.push(self.state.clone()),
            b"Q" => {
                if let Some(state) = self.stack.pop() {
                    self.state = state;
                }
            }
            b"cm" => {
                if let Some(values) = last(6) {
                    let matrix = [
                        values[0], values[1], values[2], values[3], values[4], values[5],
                    ];
                    self.state.ctm = multiply(&matrix, &self.state.ctm);
                }
            }
            b"BT" => {
                self.text_matrix = IDENTITY;
                self.line_matrix = IDENTITY;
            }
            b"Tf" => {
                self.state.font_size = operands
                    .last()
                    .and_then(Operand::number)
                    .unwrap_or(self.state.font_size);
                let name = operands.iter().rev().find_map(|operand| match operand {
                    Operand::Name(name) => Some(*name),
                    _ => None,
                });
                if let Some(name) = name {
                    self.state.font = Some(self.font(resources, name));
                }
            }
            b"Tc" => self.state.char_spacing = number(operands.len().saturating_sub(1)),
            b"Tw" => self.state.word_spacing = number(operands.len().saturating_sub(1)),
            b"Tz" => self.state.horizontal_scale = number(operands.len().saturating_sub(1)) / 100.0,
            b"TL" => self.state.leading = number(operands.len().saturating_sub(1)),
            b"Ts" => self.state.rise = number(operands.len().saturating_sub(1)),
            b"Tr" => {
                self.state.render_mode =
                    number(operands.len().saturating_sub(1)).clamp(0.0, 7.0) as u8
            }
            b"Td" => {
                if let Some(values) = last(2) {
                    self.move_line(values[0], values[1]);
                }
            }
            b"TD" => {
                if let Some(values) = last(2) {
                    self.state.leading = -values[1];
                    self.move_line(values[0], values[1]);
                }
            }
            b"Tm" => {
                if let Some(values) = last(6) {
                    self.line_matrix = [
                        values[0], values[1], values[2], values[3], values[4], values[5],
                    ];
                    self.text_matrix = self.line_matrix;
                }
            }
            b"T*" => self.move_line(0.0, -self.state.leading),
            b"Tj" => {
                if let Some(Operand::String(bytes)) = operands.last() {
                    self.show(bytes);
                }
            }
            b"'" => {
                self.move_line(0.0, -self.state.leading);
                if let Some(Operand::String(bytes)) = operands.last() {
                    self.show(bytes);
                }
            }
            b"\"" => {
                if operands.len() >= 3 {
                    self.state.word_spacing = number(operands.len() - 3);
                    self.state.char_spacing = number(operands.len() - 2);
                }
                self.move_line(0.0, -self.state.leading);
                if let Some(Operand::String(bytes)) = operands.last() {
                    self.show(bytes);
                }
            }
            b"TJ" => match operands.last() {
                Some(Operand::Array(items)) => self.show_array(items),
                // A damaged array bracket leaves the elements as loose operands.
                _ => self.show_array(operands),
            },
            b"Do" => {
                if let Some(Operand::Name(name)) = operands.last() {
                    self.draw_xobject(resources, name);
                }
            }
            b"BI" => self.add_image_cover(),
            _ => {}
        }
    }

    fn move_line(&mut self, tx: f32, ty: f32) {
        self.line_matrix = multiply(&[1.0, 0.0, 0.0, 1.0, tx, ty], &self.line_matrix);
        self.text_matrix = self.line_matrix;
    }

    fn font(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Rc<Font> {
        let dictionary = resources
            .and_then(|resources| budget::get_dict(self.document, resources, b"Font"))
            .and_then(|fonts| budget::get_dict(self.document, fonts, name));
        let Some(dictionary) = dictionary else {
            return self
                .fonts
                .entry(0)
                .or_insert_with(|| Rc::new(Font::fallback()))
                .clone();
        };
        let key = dictionary as *const Dictionary as usize;
        if let Some(font) = self.fonts.get(&key) {
            return font.clone();
        }
        let font = Rc::new(Font::load(self.document, dictionary, self.budget));
        self.fonts.insert(key, font.clone());
        font
    }

    fn show_array(&mut self, items: &[Operand]) {
        for item in items {
            match item {
                Operand::String(bytes) => self.show(bytes),
                Operand::Number(adjustment) => {
                    let shift =
                        -adjustment / 1000.0 * self.state.font_size * self.state.horizontal_scale;
                    if shift.is_finite() {
                        self.text_matrix =
                            multiply(&[1.0, 0.0, 0.0, 1.0, shift, 0.0], &self.text_matrix);
                    }
                }
                _ => {}
            }
        }
    }

    fn show(&mut self, bytes: &[u8]) {
        let font = match &self.state.font {
            Some(font) => font.clone(),
            None => self
                .fonts
                .entry(0)
                .or_insert_with(|| Rc::new(Font::fallback()))
                .clone(),
        };
        let state = &self.state;
        let font_size = state.font_size;
        let scale = state.horizontal_scale;
        let mut codes = Vec::with_capacity(bytes.len());
        font.for_each_code(bytes, |code| codes.push(code));
        for code in codes {
            let width = font.width(code.value) * font.scale;
            let mut advance = width * font_size + self.state.char_spacing;
            if code.is_space_byte {
                advance += self.state.word_spacing;
            }
            let advance = advance * scale;
            let render = multiply(&self.text_matrix, &self.state.ctm);
            if self.out.glyphs.len() < MAX_GLYPHS {
                let start = self.out.text.len();
                let source = font.append_text(code.value, &mut self.out.text);
                let stop = self.out.text.len();
                self.push_glyph(
                    &render,
                    width * font_size * scale,
                    font_size,
                    start,
                    stop,
                    source,
                );
                if self.state.render_mode == 3 {
                    self.out.invisible_glyphs += 1;
                }
            }
            if font.vertical {
                let shift = -(font_size + self.state.char_spacing);
                self.text_matrix = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, shift], &self.text_matrix);
            } else if advance.is_finite() {
                self.text_matrix = multiply(&[1.0, 0.0, 0.0, 1.0, advance, 0.0], &self.text_matrix);
            }
        }
    }

    /// Records a glyph drawn with the text rendering matrix `render` (before `Tfs`/`Th`).
    fn push_glyph(
        &mut self,
        render: &Matrix,
        width: f32,
        font_size: f32,
        start: usize,
        stop: usize,
        source: Source,
    ) {
        let origin_x = render[2] * self.state.rise + render[4];
        let origin_y = render[3] * self.state.rise + render[5];
        // The baseline direction and the glyph's up direction on the page.
        let (dx, dy) = (render[0], render[1]);
        let up = (render[2] * render[2] + render[3] * render[3]).sqrt();
        let along = (dx * dx + dy * dy).sqrt();
        let size = (font_size * up).abs();
        if !(origin_x.is_finite() && origin_y.is_finite() && size.is_finite()) {
            return;
        }
        let rotation = if dx.abs() >= dy.abs() {
            if dx >= 0.0 {
                0
            } else {
                2
            }
        } else if dy > 0.0 {
            1
        } else {
            3
        };
        let (x, y) = match rotation {
            0 => (origin_x, origin_y),
            1 => (origin_y, -origin_x),
            2 => (-origin_x, -origin_y),
            _ => (-origin_y, origin_x),
        };
        let length = width * along;
        self.out.glyphs.push(Glyph {
            x,
            end: x + length.max(0.0),
            y,
            size,
            start: start as u32,
            stop: stop as u32,
            rotation,
            source,
        });
    }

    fn draw_xobject(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) {
        let Some(xobjects) =
            resources.and_then(|resources| budget::get_dict(self.document, resources, b"XObject"))
        else {
            return;
        };
        let Ok(reference) = xobjects.get(name) else {
            return;
        };
        let Ok((id, Object::Stream(stream))) = self.document.dereference(reference) else {
            return;
        };
        match budget::get_name(self.document, &stream.dict, b"Subtype") {
            Some(b"Image") => self.add_image_cover(),
            Some(b"Form") => {
                let id = id.unwrap_or((0, 0));
                if self.forms.len() >= MAX_FORM_DEPTH || self.forms.contains(&id) {
                    return;
                }
                let Some(content) = self.budget.decode(stream) else {
                    return;
                };
                let form_resources = match budget::get(self.document, &stream.dict, b"Resources") {
                    Some(Object::Dictionary(dictionary)) => Some(dictionary),
                    _ => resources,
                };
                let saved = self.state.clone();
                let saved_depth = self.stack.len();
                let (saved_text, saved_line) = (self.text_matrix, self.line_matrix);
                if let Some(matrix) = budget::get_numbers(self.document, &stream.dict, b"Matrix")
                    .filter(|values| values.len() == 6)
                {
                    let matrix = [
                        matrix[0], matrix[1], matrix[2], matrix[3], matrix[4], matrix[5],
                    ];
                    self.state.ctm = multiply(&matrix, &self.state.ctm);
                }
                self.forms.push(id);
                self.run(&content, form_resources);
                self.forms.pop();
                self.stack.truncate(saved_depth);
                self.state = saved;
                self.text_matrix = saved_text;
                self.line_matrix = saved_line;
            }
            _ => {}
        }
    }

    /// Adds the area of the unit square under the current matrix (where images are drawn).
    fn add_image_cover(&mut self) {
        let ctm = &self.state.ctm;
        let area = (ctm[0] * ctm[3] - ctm[1] * ctm[2]).abs();
        if area.is_finite() {
            self.out.image_cover += area / self.page_area;
        }
    }
}

/// Looks up a page attribute that may be inherited from the page tree.
fn inherited<'a>(document: &'a Document, page: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let mut node = page;
    for _ in 0..32 {
        if let Some(object) = budget::get(document, node, key) {
            return Some(object);
        }
        node = budget::get_dict(document, node, b"Parent")?;
    }
    None
}
