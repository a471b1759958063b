//! A minimal PDF writer for the sample corpus: Helvetica text pages in WinAnsiEncoding, enough
//! to give the demo real PDF attachments without a PDF library in the binary.

/// Lines per page and characters per line of the simple page layout.
const LINES_PER_PAGE: usize = 48;
const CHARS_PER_LINE: usize = 88;

/// Renders paragraphs as a PDF: one or more A4 pages of 10-point Helvetica.
pub(super) fn render(title: &str, paragraphs: &[String]) -> Vec<u8> {
    let mut lines: Vec<String> = vec![title.to_string(), String::new()];
    for paragraph in paragraphs {
        lines.extend(wrap(paragraph, CHARS_PER_LINE));
        lines.push(String::new());
    }
    let pages: Vec<&[String]> = lines.chunks(LINES_PER_PAGE).collect();

    // Object numbers: 1 catalog, 2 pages, 3 font, then per page a page object and its content.
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let kids: Vec<String> = (0..pages.len())
        .map(|page_idx| format!("{} 0 R", 4 + page_idx * 2))
        .collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    for (page_idx, page_lines) in pages.iter().enumerate() {
        let content_number = 5 + page_idx * 2;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
/Resources << /Font << /F1 3 0 R >> >> /Contents {content_number} 0 R >>"
            )
            .into_bytes(),
        );
        let mut content: Vec<u8> = b"BT /F1 10 Tf 14 TL 56 790 Td\n".to_vec();
        for line in page_lines.iter() {
            content.push(b'(');
            content.extend(encode_string(line));
            content.extend_from_slice(b") Tj T*\n");
        }
        content.extend_from_slice(b"ET");
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend(content);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }

    let mut pdf: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (object_idx, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", object_idx + 1).into_bytes());
        pdf.extend(object);
        pdf.extend_from_slice(b"\nendobj\n");
    }
    let xref_offset = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).into_bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").into_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref_offset}\n%%EOF\n",
            objects.len() + 1
        )
        .into_bytes(),
    );
    pdf
}

/// Breaks a paragraph into lines of at most `width` characters at spaces.
fn wrap(paragraph: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in paragraph.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Encodes text as a PDF literal string body in WinAnsiEncoding (characters outside it become `?`).
fn encode_string(text: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len());
    for c in text.chars() {
        let byte = match c {
            '(' | ')' | '\\' => {
                bytes.push(b'\\');
                c as u8
            }
            '€' => 0x80,
            '„' => 0x84,
            '…' => 0x85,
            '–' => 0x96,
            '—' => 0x97,
            '“' => 0x93,
            '”' => 0x94,
            '‘' => 0x91,
            '’' => 0x92,
            c if (c as u32) < 0x100 => c as u32 as u8,
            _ => b'?',
        };
        bytes.push(byte);
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_well_formed_pdf_with_one_page_per_48_lines() {
        let paragraphs: Vec<String> = (0..60)
            .map(|n| format!("Absatz {n} über Grünflächen (neu)"))
            .collect();
        let pdf = render("Lärmschutz", &paragraphs);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.4"));
        assert!(text.ends_with("%%EOF\n"));
        // 2 title lines + 60 paragraphs with a blank line each = 122 lines → 3 pages.
        assert!(text.contains("/Count 3"));
        assert!(pdf.windows(13).any(|w| w == b"L\xe4rmschutz) T"));
        assert!(text.contains("\\(neu\\)"));
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|tail| tail.lines().next())
            .and_then(|number| number.parse().ok())
            .unwrap();
        assert!(pdf[startxref..].starts_with(b"xref"));
    }

    #[test]
    fn wraps_at_word_boundaries() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(wrap("", 5), Vec::<String>::new());
    }
}
