//! A generated, Leipzig-like corpus of council papers: the demo's sample corpus and the
//! benchmark corpus of `ratsuche gen-corpus`.
//!
//! Papers are written as ALLRIS plain-text exports (the layout of the real Leipzig page in
//! `shared/seeds/`), so the demo runs the same pipeline as real data; some papers get PDF
//! attachments named by their reference, and some answers exist only as PDF. Everything is
//! derived from a seed, so the same seed always gives the same corpus.

mod pdf_writer;
mod prose;
mod vocabulary;

use std::fmt::Write as _;
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use vocabulary::{Topic, ADMINISTRATION, FILLER, FRACTIONS, PLACES, TOPICS};

/// Papers in the demo's sample corpus.
pub const SAMPLE_PAPERS: usize = 400;
/// The municipality of the sample corpus.
pub const SAMPLE_BODY: &str = "Stadt Leipzig (Beispieldaten)";

/// Renders paragraphs as a simple text PDF (used by the corpus and by tests that need a PDF).
pub fn render_pdf(title: &str, paragraphs: &[String]) -> Vec<u8> {
    pdf_writer::render(title, paragraphs)
}

/// A small deterministic random number generator (SplitMix64): good enough to vary sample data,
/// and the same on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound.max(1) as u64) as usize
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A standard normal variate (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// One generated paper before it is written out.
#[derive(Debug, Clone)]
struct Draft {
    reference: String,
    title: String,
    occasion: &'static str,
    public: bool,
    paper_type: &'static str,
    originator: String,
    consultations: Vec<(String, &'static str, NaiveDate, &'static str)>,
    paragraphs: Vec<String>,
    family: Vec<(String, String, String, String)>,
}

/// How long bodies are: the demo keeps them short, the benchmark corpus follows real lengths.
#[derive(Debug, Clone, Copy)]
enum Lengths {
    Sample,
    /// Lognormal word counts with a median of about 700 words and a tail past 65,535.
    Realistic,
}

/// Writes the demo's sample corpus (`n_papers` papers of 2014–2025) into `dir`.
pub fn write_sample(dir: &Path, n_papers: usize) -> std::io::Result<String> {
    write_papers(dir, n_papers, 2014, 1, Lengths::Sample, &[])
}

/// Writes a benchmark corpus of `n_papers` papers (1994–2025, skewed to recent years) into `dir`.
pub fn write_corpus(dir: &Path, n_papers: usize, seed: u64) -> std::io::Result<String> {
    write_papers(dir, n_papers, 1994, seed, Lengths::Realistic, &[])
}

/// Writes a benchmark corpus like [`write_corpus`] whose bodies mix real German sentences,
/// read from the `.txt` files under `text_dirs`, with council phrasing (about 70 to 30).
pub fn write_corpus_with_text(
    dir: &Path,
    n_papers: usize,
    seed: u64,
    text_dirs: &[std::path::PathBuf],
) -> std::io::Result<String> {
    let mut sentences = Vec::new();
    for text_dir in text_dirs {
        sentences.extend(prose::read_sentences(text_dir)?);
    }
    let n_sentences = sentences.len();
    let summary = write_papers(dir, n_papers, 1994, seed, Lengths::Realistic, &sentences)?;
    Ok(format!("{summary}; {n_sentences} real sentences mixed in"))
}

fn write_papers(
    dir: &Path,
    n_papers: usize,
    first_year: i32,
    seed: u64,
    lengths: Lengths,
    prose: &[String],
) -> std::io::Result<String> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    let mut counters = std::collections::HashMap::<(String, &str), usize>::new();
    let (mut n_files, mut n_pdfs) = (0usize, 0usize);
    let mut paper_idx = 0;
    while paper_idx < n_papers {
        let date = random_date(&mut rng, first_year);
        let term = term_of(date);
        let kind = rng.pick(KINDS);
        let number = counters
            .entry((term.to_string(), kind.code))
            .and_modify(|count| *count += 1 + rng.below(3))
            .or_insert(100 + rng.below(400));
        let reference = format!("{term}-{}-{:05}", kind.code, number);
        let topic = rng.pick(TOPICS);
        let drafts = draft_family(&mut rng, kind, topic, &reference, date, lengths, prose);
        for (draft_idx, draft) in drafts.iter().enumerate() {
            let subfolder = dir.join(format!("{}", date.year()));
            std::fs::create_dir_all(&subfolder)?;
            // Some answers exist only as a PDF named by their reference: the pipeline makes them papers.
            let only_pdf = draft_idx > 0
                && draft.public
                && draft.paper_type.starts_with("schriftliche Antwort")
                && rng.chance(0.3);
            if only_pdf {
                let pdf = pdf_writer::render(&draft.title, &draft.paragraphs);
                std::fs::write(subfolder.join(format!("{}.pdf", draft.reference)), pdf)?;
                n_pdfs += 1;
            } else {
                let text = render_text_export(draft);
                std::fs::write(subfolder.join(format!("{}.txt", draft.reference)), text)?;
                n_files += 1;
                if kind.code == "DS" && draft_idx == 0 && draft.public && rng.chance(0.5) {
                    let attachment = attachment_paragraphs(&mut rng, topic, prose);
                    let title = format!("Anlage zu {}: {}", draft.reference, draft.title);
                    let pdf = pdf_writer::render(&title, &attachment);
                    std::fs::write(subfolder.join(format!("{}.pdf", draft.reference)), pdf)?;
                    n_pdfs += 1;
                }
            }
            paper_idx += 1;
        }
    }
    Ok(format!(
        "wrote {paper_idx} papers ({n_files} text exports, {n_pdfs} PDFs)"
    ))
}

/// A kind of paper: its reference code, type name and who files it.
struct Kind {
    code: &'static str,
    paper_type: &'static str,
    by_fraction: bool,
}

const KINDS: &[Kind] = &[
    Kind {
        code: "A",
        paper_type: "Antrag",
        by_fraction: true,
    },
    Kind {
        code: "A",
        paper_type: "Antrag",
        by_fraction: true,
    },
    Kind {
        code: "F",
        paper_type: "Anfrage",
        by_fraction: true,
    },
    Kind {
        code: "F",
        paper_type: "Anfrage",
        by_fraction: true,
    },
    Kind {
        code: "DS",
        paper_type: "Beschlussvorlage",
        by_fraction: false,
    },
    Kind {
        code: "DS",
        paper_type: "Beschlussvorlage",
        by_fraction: false,
    },
    Kind {
        code: "Ifo",
        paper_type: "Informationsvorlage",
        by_fraction: false,
    },
    Kind {
        code: "EF",
        paper_type: "Einwohneranfrage",
        by_fraction: false,
    },
    Kind {
        code: "P",
        paper_type: "Petition",
        by_fraction: false,
    },
];

/// Dates skewed to recent years: most council activity on record is recent.
fn random_date(rng: &mut Rng, first_year: i32) -> NaiveDate {
    let span = (2025 - first_year + 1) as f64;
    let year = 2025 - (rng.unit().powf(1.8) * span) as i32;
    let day_of_year = 1 + rng.below(365) as u32;
    NaiveDate::from_yo_opt(year, day_of_year)
        .or_else(|| NaiveDate::from_yo_opt(year, 1))
        .expect("day 1 exists in every year")
}

/// Leipzig's Wahlperioden: V from 2009, VI from mid-2014, VII from mid-2019, VIII from mid-2024.
fn term_of(date: NaiveDate) -> &'static str {
    let year_half = (date.year(), date.month() >= 7);
    match year_half {
        (year, _) if year < 1999 => "II",
        (year, _) if year < 2004 => "III",
        (year, _) if year < 2009 => "IV",
        (year, second_half) if year < 2014 || (year == 2014 && !second_half) => "V",
        (year, second_half) if year < 2019 || (year == 2019 && !second_half) => "VI",
        (year, second_half) if year < 2024 || (year == 2024 && !second_half) => "VII",
        _ => "VIII",
    }
}

fn draft_family(
    rng: &mut Rng,
    kind: &Kind,
    topic: &Topic,
    reference: &str,
    date: NaiveDate,
    lengths: Lengths,
    prose: &[String],
) -> Vec<Draft> {
    let originator = if kind.by_fraction {
        let mut groups = vec![*rng.pick(FRACTIONS)];
        if kind.code == "A" && rng.chance(0.15) {
            let partner = *rng.pick(FRACTIONS);
            if partner != groups[0] {
                groups.push(partner);
            }
        }
        groups.join("; ")
    } else if kind.code == "EF" {
        "Einwohner/-in".to_string()
    } else if kind.code == "P" {
        "Petent/-in".to_string()
    } else {
        rng.pick(ADMINISTRATION).to_string()
    };
    let place = *rng.pick(PLACES);
    let title = rng.pick(topic.titles).replace("{ort}", place);
    let committee = topic.committee;
    let council_date = date + chrono::Duration::days(20 + rng.below(60) as i64);
    let mut consultations = Vec::new();
    match kind.code {
        "F" | "EF" => consultations.push((
            "Ratsversammlung".to_string(),
            "schriftliche Beantwortung",
            council_date,
            *rng.pick(&["beantwortet", "vertagt", "zur Kenntnis genommen"]),
        )),
        "Ifo" => {
            consultations.push((
                committee.to_string(),
                "Information",
                date + chrono::Duration::days(10),
                "zur Kenntnis genommen",
            ));
        }
        "P" => consultations.push((
            "Petitionsausschuss".to_string(),
            "Vorberatung",
            council_date,
            *rng.pick(&["abgelehnt", "beschlossen", "verwiesen"]),
        )),
        _ => {
            consultations.push((
                "Dienstberatung des Oberbürgermeisters".to_string(),
                "Bestätigung",
                date + chrono::Duration::days(5),
                "bestätigt",
            ));
            consultations.push((
                committee.to_string(),
                "Vorberatung",
                date + chrono::Duration::days(12 + rng.below(10) as i64),
                *rng.pick(&["zugestimmt", "vertagt", "geändert beschlossen"]),
            ));
            consultations.push((
                "Ratsversammlung".to_string(),
                "Beschlussfassung",
                council_date,
                *rng.pick(&[
                    "beschlossen",
                    "abgelehnt",
                    "geändert beschlossen",
                    "vertagt",
                ]),
            ));
        }
    }
    let public = !rng.chance(0.02);
    let paragraphs = body_paragraphs(rng, topic, kind, lengths, prose);
    let mut drafts = vec![Draft {
        reference: reference.to_string(),
        title: title.clone(),
        occasion: if kind.code == "DS" {
            "Beschlussvorlage"
        } else {
            "Sonstiges"
        },
        public,
        paper_type: kind.paper_type,
        originator: originator.clone(),
        consultations,
        paragraphs,
        family: Vec::new(),
    }];
    let follow_up = match kind.code {
        "F" | "EF" => Some((
            "AW",
            "schriftliche Antwort zur Anfrage",
            rng.pick(ADMINISTRATION).to_string(),
        )),
        "A" if rng.chance(0.5) => Some((
            "VSP",
            "Verwaltungsstandpunkt",
            rng.pick(ADMINISTRATION).to_string(),
        )),
        "A" if rng.chance(0.4) => Some(("ÄA", "Änderungsantrag", rng.pick(FRACTIONS).to_string())),
        "DS" if rng.chance(0.2) => Some(("NF", "Beschlussvorlage", originator.clone())),
        _ => None,
    };
    if let Some((suffix, paper_type, child_originator)) = follow_up {
        let child_reference = format!("{reference}-{suffix}-01");
        let mut child_paragraphs = vec![format!("{} zu {}: {}", paper_type, reference, title)];
        child_paragraphs.extend(
            body_paragraphs(rng, topic, kind, lengths, prose)
                .into_iter()
                .take(3),
        );
        drafts.push(Draft {
            reference: child_reference,
            title: title.clone(),
            occasion: "Sonstiges",
            public,
            paper_type,
            originator: child_originator,
            consultations: vec![(
                "Ratsversammlung".to_string(),
                "Beschlussfassung",
                council_date + chrono::Duration::days(28),
                "zur Kenntnis genommen",
            )],
            paragraphs: child_paragraphs,
            family: Vec::new(),
        });
    }
    let family: Vec<(String, String, String, String)> = drafts
        .iter()
        .map(|draft| {
            (
                draft.reference.clone(),
                draft.title.clone(),
                draft.originator.clone(),
                draft.paper_type.to_string(),
            )
        })
        .collect();
    if family.len() > 1 {
        for draft in &mut drafts {
            draft.family = family.clone();
        }
    }
    drafts
}

/// Share of real sentences in a body when real sentences are given.
const PROSE_SHARE: f64 = 0.7;

fn body_paragraphs(
    rng: &mut Rng,
    topic: &Topic,
    kind: &Kind,
    lengths: Lengths,
    prose: &[String],
) -> Vec<String> {
    let target_words = match lengths {
        Lengths::Sample => 120 + rng.below(260),
        Lengths::Realistic => {
            ((700f64.ln() + 1.2 * rng.normal()).exp() as usize).clamp(30, 400_000)
        }
    };
    let mut paragraphs = Vec::new();
    let mut n_words = 0;
    let intro = match kind.code {
        "F" | "EF" => "Vor diesem Hintergrund fragen wir:",
        "A" => "Beschlussvorschlag: Der Oberbürgermeister wird beauftragt,",
        "P" => "Die Petentin bzw. der Petent bittet den Stadtrat:",
        _ => "Sachverhalt und Begründung:",
    };
    // Sentences are dealt from a shuffled deck so a paper repeats itself only when it is long.
    let mut deck: Vec<&str> = topic.sentences.iter().chain(FILLER).copied().collect();
    shuffle(rng, &mut deck);
    let place = *rng.pick(PLACES);
    let mut first = deck[0].replace("{ort}", place);
    first.push(' ');
    first.push_str(intro);
    paragraphs.push(first);
    let mut card = 1;
    while n_words < target_words {
        let mut paragraph = String::new();
        for _ in 0..(3 + rng.below(4)) {
            if !prose.is_empty() && rng.chance(PROSE_SHARE) {
                let _ = write!(paragraph, "{} ", rng.pick(prose));
                continue;
            }
            if card == deck.len() {
                shuffle(rng, &mut deck);
                card = 0;
            }
            let place = *rng.pick(PLACES);
            let _ = write!(paragraph, "{} ", deck[card].replace("{ort}", place));
            card += 1;
        }
        n_words += paragraph.split_whitespace().count();
        paragraphs.push(paragraph.trim_end().to_string());
    }
    paragraphs
}

fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for item_idx in (1..items.len()).rev() {
        items.swap(item_idx, rng.below(item_idx + 1));
    }
}

fn attachment_paragraphs(rng: &mut Rng, topic: &Topic, prose: &[String]) -> Vec<String> {
    let mut paragraphs = vec![format!(
        "Anlage 1: Erläuterungen zum Vorhaben ({})",
        topic.name
    )];
    let mut deck: Vec<&str> = topic.sentences.to_vec();
    for _ in 0..(6 + rng.below(30)) {
        shuffle(rng, &mut deck);
        let mut paragraph = String::new();
        for sentence in deck.iter().take(4) {
            let place = *rng.pick(PLACES);
            paragraph.push_str(&sentence.replace("{ort}", place));
            paragraph.push(' ');
            if !prose.is_empty() && rng.chance(PROSE_SHARE) {
                paragraph.push_str(rng.pick::<String>(prose));
                paragraph.push(' ');
            }
        }
        paragraphs.push(paragraph.trim_end().to_string());
    }
    paragraphs
}

/// Writes a paper in the layout of ALLRIS's plain-text export of a Vorlage page.
fn render_text_export(draft: &Draft) -> String {
    let mut text = String::new();
    let status = if draft.public {
        "öffentlich (Vorlage abgeschlossen)"
    } else {
        "nichtöffentlich"
    };
    let _ = write!(
        text,
        "Ratsinformationssystem\n\nVorlage - {}  \n\n \n \nBetreff: {}\nAnlass: {}\nStatus:{}Vorlage-Art:{}\nEinreicher:{}\nBeratungsfolge:\n",
        draft.reference, draft.title, draft.occasion, status, draft.paper_type, draft.originator
    );
    for (committee, role, date, result) in &draft.consultations {
        let place = if committee == "Ratsversammlung" {
            "Neues Rathaus, Martin-Luther-Ring 4-6, 04109 Leipzig"
        } else {
            "Neues Rathaus, Raum 259"
        };
        let _ = write!(
            text,
            "{committee} {role}\n{} \n{committee}, {place} {result}     \n",
            date.format("%d.%m.%Y")
        );
    }
    text.push_str("\nSachverhalt\n\n");
    for paragraph in &draft.paragraphs {
        text.push_str(paragraph);
        text.push_str("\n\n");
    }
    if !draft.family.is_empty() {
        text.push_str("Stammbaum:\n");
        for (reference, title, originator, paper_type) in &draft.family {
            let _ = writeln!(text, "{reference}   {title}   {originator}   {paper_type}");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        write_corpus(first.path(), 40, 7).unwrap();
        write_corpus(second.path(), 40, 7).unwrap();
        let list = |dir: &Path| {
            let mut files = Vec::new();
            for year in std::fs::read_dir(dir).unwrap() {
                for file in std::fs::read_dir(year.unwrap().path()).unwrap() {
                    let path = file.unwrap().path();
                    files.push((
                        path.strip_prefix(dir).unwrap().to_path_buf(),
                        std::fs::read(&path).unwrap(),
                    ));
                }
            }
            files.sort();
            files
        };
        let files = list(first.path());
        assert!(files.len() >= 40, "{} files", files.len());
        assert_eq!(files, list(second.path()));
    }

    #[test]
    fn terms_follow_leipzig_election_dates() {
        let check = |date: &str, term: &str| {
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            assert_eq!(term_of(date), term, "{date}");
        };
        check("2014-06-30", "V");
        check("2014-07-01", "VI");
        check("2020-09-16", "VII");
        check("2024-08-01", "VIII");
    }

    #[test]
    fn realistic_lengths_have_a_median_near_700_words() {
        let mut rng = Rng::new(3);
        let mut lengths: Vec<f64> = (0..20_001)
            .map(|_| (700f64.ln() + 1.2 * rng.normal()).exp())
            .collect();
        lengths.sort_by(f64::total_cmp);
        let median = lengths[10_000];
        assert!((600.0..800.0).contains(&median), "median {median}");
    }
}
