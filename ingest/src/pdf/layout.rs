//! Reading order: positioned glyphs → lines of text.
//!
//! Glyphs are grouped into fragments (runs on one baseline without a wide gap), the page is
//! split recursively into regions by white space (an XY-cut: rows first where there are clear
//! horizontal gaps, columns where a vertical gutter separates two columns of running text), and
//! each region's fragments are sorted into lines. Spaces come from gaps between glyphs, not from
//! the order of text operators. Spacing accents drawn over a letter (old TeX fonts) are merged
//! into the letter.

use unicode_normalization::char::compose;

use super::interpreter::{Glyph, PageContent};

/// A gap wider than this (in ems) between two glyphs is a space.
const SPACE_GAP: f32 = 0.15;
/// A gap wider than this (in ems) ends a fragment.
const FRAGMENT_GAP: f32 = 0.8;
/// A white band at least this high (in ems) splits a region into rows.
const ROW_GAP: f32 = 0.5;
/// A white band at least this high (in ems) separates blocks, e.g. a title from columns below.
const SECTION_GAP: f32 = 1.5;
/// A white band at least this wide (in ems) may split a region into columns.
const COLUMN_GAP: f32 = 0.7;
/// Recursion limit of the region splitting.
const MAX_CUT_DEPTH: usize = 40;

/// A run of glyphs on one baseline, in drawing order.
#[derive(Debug, Clone)]
struct Fragment {
    /// Indices into the glyph list.
    glyphs: Vec<usize>,
    left: f32,
    right: f32,
    bottom: f32,
    top: f32,
    y: f32,
    size: f32,
}

/// Lays out the glyphs of a page and returns its lines, in reading order.
pub(crate) fn lines(content: &PageContent) -> Vec<String> {
    let mut lines = Vec::new();
    for rotation in [0u8, 1, 3, 2] {
        let glyphs: Vec<&Glyph> = content
            .glyphs
            .iter()
            .filter(|glyph| glyph.rotation == rotation && glyph.stop > glyph.start)
            .collect();
        if glyphs.is_empty() {
            continue;
        }
        let fragments = fragments(&glyphs, content);
        let mut regions = Vec::new();
        cut(fragments, 0, &mut regions);
        for region in regions {
            region_lines(&region, &glyphs, content, &mut lines);
        }
    }
    lines
}

fn text_of<'a>(glyph: &Glyph, content: &'a PageContent) -> &'a str {
    content
        .text
        .get(glyph.start as usize..glyph.stop as usize)
        .unwrap_or("")
}

fn fragments(glyphs: &[&Glyph], content: &PageContent) -> Vec<Fragment> {
    let mut fragments: Vec<Fragment> = Vec::new();
    for (index, glyph) in glyphs.iter().enumerate() {
        let size = glyph.size.max(0.5);
        let is_blank = text_of(glyph, content).trim().is_empty();
        if let Some(last) = fragments.last_mut() {
            let previous = glyphs[*last.glyphs.last().unwrap_or(&index)];
            let em = size.max(previous.size);
            let gap = glyph.x - previous.end;
            let same_line = (glyph.y - previous.y).abs() <= 0.3 * em;
            if same_line && gap > -0.6 * em && gap <= FRAGMENT_GAP * em {
                last.glyphs.push(index);
                last.left = last.left.min(glyph.x);
                last.right = last.right.max(glyph.end);
                last.bottom = last.bottom.min(glyph.y - 0.25 * size);
                last.top = last.top.max(glyph.y + 0.75 * size);
                last.size = last.size.max(size);
                continue;
            }
        }
        if is_blank {
            // A space glyph starts nothing: it only separates.
            continue;
        }
        fragments.push(Fragment {
            glyphs: vec![index],
            left: glyph.x,
            right: glyph.end.max(glyph.x),
            bottom: glyph.y - 0.25 * size,
            top: glyph.y + 0.75 * size,
            y: glyph.y,
            size,
        });
    }
    fragments
}

fn median_size(fragments: &[Fragment]) -> f32 {
    let mut sizes: Vec<f32> = fragments.iter().map(|fragment| fragment.size).collect();
    sizes.sort_by(f32::total_cmp);
    sizes.get(sizes.len() / 2).copied().unwrap_or(10.0)
}

/// Splits a region recursively and appends its leaves in reading order.
fn cut(fragments: Vec<Fragment>, depth: usize, regions: &mut Vec<Vec<Fragment>>) {
    if fragments.len() < 2 || depth >= MAX_CUT_DEPTH {
        regions.push(fragments);
        return;
    }
    let em = median_size(&fragments);
    if let Some(split) = column_split(&fragments, em) {
        let (left, right): (Vec<Fragment>, Vec<Fragment>) = fragments
            .into_iter()
            .partition(|fragment| fragment.right <= split);
        cut(left, depth + 1, regions);
        cut(right, depth + 1, regions);
        return;
    }
    // Wide gaps first (between a heading block and two columns below it), so that a region of
    // columns stays whole until its gutter is found; then the gaps between paragraphs.
    for gap in [SECTION_GAP, ROW_GAP] {
        let rows = row_splits(&fragments, em, gap);
        if rows.len() > 1 {
            for row in rows {
                cut(row, depth + 1, regions);
            }
            return;
        }
    }
    regions.push(fragments);
}

/// Splits fragments into bands separated by horizontal white space, top to bottom.
fn row_splits(fragments: &[Fragment], em: f32, gap: f32) -> Vec<Vec<Fragment>> {
    let mut order: Vec<usize> = (0..fragments.len()).collect();
    order.sort_by(|&a, &b| fragments[b].top.total_cmp(&fragments[a].top));
    let mut rows: Vec<Vec<Fragment>> = Vec::new();
    let mut lowest = f32::INFINITY;
    for index in order {
        let fragment = &fragments[index];
        if rows.is_empty() || fragment.top < lowest - gap * em {
            rows.push(Vec::new());
            lowest = fragment.bottom;
        }
        lowest = lowest.min(fragment.bottom);
        if let Some(row) = rows.last_mut() {
            row.push(fragment.clone());
        }
    }
    rows
}

/// Finds a vertical gutter between two columns of running text; returns its x.
fn column_split(fragments: &[Fragment], em: f32) -> Option<f32> {
    let mut spans: Vec<(f32, f32)> = fragments
        .iter()
        .map(|fragment| (fragment.left, fragment.right))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut gaps = Vec::new();
    let mut reach = spans[0].1;
    for &(left, right) in &spans[1..] {
        if left - reach >= COLUMN_GAP * em {
            gaps.push((left - reach, reach + (left - reach) / 2.0));
        }
        reach = reach.max(right);
    }
    gaps.sort_by(|a, b| b.0.total_cmp(&a.0));
    gaps.into_iter().map(|(_, split)| split).find(|&split| {
        let (left, right): (Vec<&Fragment>, Vec<&Fragment>) = fragments
            .iter()
            .partition(|fragment| fragment.right <= split);
        is_text_column(&left, em) && is_text_column(&right, em)
    })
}

/// Whether fragments look like a column of running text rather than table cells: several
/// lines, mostly one fragment per line, and fragments that fill the column's width.
fn is_text_column(fragments: &[&Fragment], em: f32) -> bool {
    if fragments.len() < 3 {
        return false;
    }
    let left = fragments
        .iter()
        .map(|fragment| fragment.left)
        .fold(f32::INFINITY, f32::min);
    let right = fragments
        .iter()
        .map(|fragment| fragment.right)
        .fold(f32::NEG_INFINITY, f32::max);
    let width = right - left;
    if width < 12.0 * em {
        return false;
    }
    let mut baselines: Vec<f32> = fragments.iter().map(|fragment| fragment.y).collect();
    baselines.sort_by(f32::total_cmp);
    baselines.dedup_by(|a, b| (*a - *b).abs() < 0.3 * em);
    let per_line = fragments.len() as f32 / baselines.len().max(1) as f32;
    let mean_width = fragments
        .iter()
        .map(|fragment| fragment.right - fragment.left)
        .sum::<f32>()
        / fragments.len() as f32;
    baselines.len() >= 3 && per_line <= 1.5 && mean_width >= 0.45 * width
}

/// Sorts a region's fragments into lines and renders them.
fn region_lines(
    region: &[Fragment],
    glyphs: &[&Glyph],
    content: &PageContent,
    lines: &mut Vec<String>,
) {
    let mut order: Vec<&Fragment> = region.iter().collect();
    order.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut line_groups: Vec<Vec<&Fragment>> = Vec::new();
    for fragment in order {
        match line_groups.last_mut() {
            Some(group)
                if {
                    let first = group[0];
                    (first.y - fragment.y).abs() <= 0.5 * first.size.min(fragment.size)
                        // A lowered quote mark („ built from ” in old TeX fonts) or a raised one.
                        || (fragment.glyphs.len() <= 2 && (first.y - fragment.y).abs() <= 0.75 * first.size)
                        || (fragment.top > first.y && fragment.bottom < first.y && fragment.size < first.size * 0.8)
                } =>
            {
                group.push(fragment)
            }
            _ => line_groups.push(vec![fragment]),
        }
    }
    for group in line_groups {
        let mut indices: Vec<usize> = group
            .iter()
            .flat_map(|fragment| fragment.glyphs.iter().copied())
            .collect();
        indices.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x));
        let baseline = group
            .iter()
            .max_by_key(|fragment| fragment.glyphs.len())
            .map_or(0.0, |fragment| fragment.y);
        let line = render_line(&indices, glyphs, content, baseline);
        if !line.trim().is_empty() {
            lines.push(line);
        }
    }
}

fn render_line(
    indices: &[usize],
    glyphs: &[&Glyph],
    content: &PageContent,
    baseline: f32,
) -> String {
    let mut line = String::new();
    let mut previous: Option<&Glyph> = None;
    let mut pending_accent: Option<(char, &Glyph)> = None;
    for (position, &index) in indices.iter().enumerate() {
        let glyph = glyphs[index];
        let text = text_of(glyph, content);
        if let Some(before) = previous {
            // Fake bold: the same glyph drawn twice at (almost) the same place.
            let em = glyph.size.max(before.size).max(0.5);
            if (glyph.x - before.x).abs() < 0.1 * em
                && (glyph.y - before.y).abs() < 0.1 * em
                && text == text_of(before, content)
            {
                continue;
            }
        }
        if text.chars().all(char::is_whitespace) {
            if !line.is_empty() && !line.ends_with(' ') {
                line.push(' ');
            }
            previous = Some(glyph);
            continue;
        }
        if let Some(combining) = single_char(text).and_then(combining_accent) {
            let center = (glyph.x + glyph.end) / 2.0;
            let next = indices.get(position + 1).map(|&next| glyphs[next]);
            // An accent over the next letter waits for it; one over the previous letter merges back.
            if next.is_some_and(|next| {
                next.x - 0.1 * next.size <= center && center <= next.end + 0.1 * next.size
            }) {
                pending_accent = Some((combining, glyph));
                continue;
            }
            if let Some(before) =
                previous.filter(|before| before.x <= center && center <= before.end)
            {
                if let Some(base) = line.pop() {
                    match compose(base, combining) {
                        Some(composed) => line.push(composed),
                        None => {
                            line.push(base);
                            line.push_str(text);
                        }
                    }
                    previous = Some(before);
                    continue;
                }
            }
        }
        if let Some(before) = previous {
            let em = glyph.size.min(before.size).max(0.5);
            if glyph.x - before.end > SPACE_GAP * em && !line.ends_with(' ') {
                line.push(' ');
            }
        }
        match pending_accent.take() {
            Some((combining, accent)) => {
                let mut chars = text.chars();
                match chars.next().and_then(|base| compose(base, combining)) {
                    Some(composed) => {
                        line.push(composed);
                        line.push_str(chars.as_str());
                    }
                    None => {
                        line.push_str(text_of(accent, content));
                        line.push_str(text);
                    }
                }
            }
            None => {
                let lowered = glyph.y < baseline - 0.3 * glyph.size;
                match text {
                    "”" | "\"" | "“" if lowered => line.push('„'),
                    "’" | "'" if lowered => line.push('‚'),
                    _ => line.push_str(text),
                }
            }
        }
        previous = Some(glyph);
    }
    if let Some((_, accent)) = pending_accent {
        line.push_str(text_of(accent, content));
    }
    line.trim_end().to_string()
}

fn single_char(text: &str) -> Option<char> {
    let mut chars = text.chars();
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

/// The combining mark of a spacing accent, as old TeX fonts draw them over letters.
fn combining_accent(accent: char) -> Option<char> {
    Some(match accent {
        '¨' => '\u{308}',
        '´' => '\u{301}',
        '`' => '\u{300}',
        'ˆ' | '^' => '\u{302}',
        '˜' => '\u{303}',
        '¸' => '\u{327}',
        'ˇ' => '\u{30C}',
        '˘' => '\u{306}',
        '˙' => '\u{307}',
        '˚' => '\u{30A}',
        '¯' => '\u{304}',
        '˝' => '\u{30B}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::font::Source;

    /// Places words (text, x, y) in a 10-point font with 5-point wide glyphs.
    fn page(words: &[(&str, f32, f32)]) -> PageContent {
        let mut content = PageContent::default();
        for &(word, x, y) in words {
            for (offset, character) in word.chars().enumerate() {
                let start = content.text.len() as u32;
                content.text.push(character);
                let left = x + offset as f32 * 5.0;
                content.glyphs.push(Glyph {
                    x: left,
                    end: left + 5.0,
                    y,
                    size: 10.0,
                    start,
                    stop: content.text.len() as u32,
                    rotation: 0,
                    source: Source::ToUnicode,
                });
            }
        }
        content
    }

    fn check(words: &[(&str, f32, f32)], expected: &[&str]) {
        assert_eq!(lines(&page(words)), expected);
    }

    #[test]
    fn words_and_lines() {
        check(
            &[("Hallo", 0.0, 100.0), ("Welt", 27.0, 100.0)],
            &["Hallo Welt"],
        );
        // Drawn out of order, read in position order.
        check(
            &[
                ("Welt", 27.0, 100.0),
                ("Hallo", 0.0, 100.0),
                ("zwei", 0.0, 88.0),
            ],
            &["Hallo Welt", "zwei"],
        );
        // Touching fragments join without a space.
        check(&[("Fe", 0.0, 100.0), ("-", 10.0, 100.0)], &["Fe-"]);
        // Fake bold.
        check(&[("A", 0.0, 100.0), ("A", 0.3, 100.0)], &["A"]);
    }

    #[test]
    fn two_columns() {
        let mut words = Vec::new();
        let left = ["links eins", "links zwei", "links drei", "links vier"];
        let right = ["rechts eins", "rechts zwei", "rechts drei", "rechts vier"];
        for (row, (l, r)) in left.iter().zip(right).enumerate() {
            let y = 700.0 - row as f32 * 12.0;
            // Pad each line so it fills its 150-point column.
            words.push((*l, 0.0, y));
            words.push(("xxxxxxxxxxxxxxx", 55.0, y));
            words.push((r, 200.0, y));
            words.push(("xxxxxxxxxxxxxx", 260.0, y));
        }
        let laid_out = lines(&page(&words));
        assert_eq!(laid_out[0], "links eins xxxxxxxxxxxxxxx");
        assert_eq!(laid_out[3], "links vier xxxxxxxxxxxxxxx");
        assert_eq!(laid_out[4], "rechts eins xxxxxxxxxxxxxx");
    }

    #[test]
    fn table_rows_stay_rows() {
        let mut words = Vec::new();
        for row in 0..4 {
            let y = 700.0 - row as f32 * 12.0;
            words.push(("09.511.01", 0.0, y));
            words.push(("Planung", 80.0, y));
            words.push(("45.000,00", 200.0, y));
            words.push(("30.000,00", 280.0, y));
        }
        assert_eq!(
            lines(&page(&words))[0],
            "09.511.01 Planung 45.000,00 30.000,00"
        );
    }

    #[test]
    fn spacing_accents_merge() {
        let mut content = page(&[("Mu", 0.0, 100.0), ("hle", 10.0, 100.0)]);
        // A dieresis centred over the "u" (x 5..10).
        let start = content.text.len() as u32;
        content.text.push('¨');
        content.glyphs.push(Glyph {
            x: 5.5,
            end: 9.5,
            y: 100.0,
            size: 10.0,
            start,
            stop: content.text.len() as u32,
            rotation: 0,
            source: Source::ToUnicode,
        });
        assert_eq!(lines(&content), ["Mühle"]);
    }
}
