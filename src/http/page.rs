//! Server-rendered pages for people: the search page at `/` and a page per document. They work
//! without JavaScript; every search is a plain GET link, so it can be bookmarked and shared.

use std::fmt::Write;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::routes::{body_param, load_document, reference_from, run_search, search_params};
use super::AppState;
use crate::search::{encode_path_segment, SearchParams, SearchResponse};

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}\
header{background:#0b3d66;color:#fff;padding:.8rem 1rem}header a{color:#fff;text-decoration:none;font-weight:600}\
main{display:flex;flex-wrap:wrap;gap:1.5rem;padding:1rem;max-width:72rem;margin:auto}\
form.search{display:flex;gap:.5rem;width:100%}form.search input[type=search]{flex:1;font-size:1.1rem;padding:.5rem}\
button{font-size:1rem;padding:.5rem 1rem;background:#0b3d66;color:#fff;border:0;border-radius:4px;cursor:pointer}\
aside{flex:0 0 15rem}section.results{flex:1;min-width:18rem}fieldset{border:1px solid #ccc;margin:0 0 1rem;padding:.5rem}\
legend{font-weight:600}label{display:block}.hit{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.8rem;margin:0 0 .8rem}\
.hit h2{font-size:1.1rem;margin:0 0 .3rem}.meta{color:#555;font-size:.9rem}mark{background:#ffe066;padding:0 .1em}\
.snippet{margin:.4rem 0 0}nav.pages a{margin-right:.6rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}\
dt{font-weight:600}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}\
pre{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:.8rem}a{color:#0b3d66}";

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            _ => escaped.push(c),
        }
    }
    escaped
}

fn layout(title: &str, content: &str) -> String {
    format!(
        "<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body>\
<header><a href=\"/\">ratsuche</a> · Suche in Ratsdokumenten</header>{content}</body></html>",
        escape(title)
    )
}

/// `GET /`: the search form, facets and results.
pub(crate) async fn search_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Response {
    let params = match search_params(raw.as_deref()) {
        Ok(params) => params,
        Err(error) => {
            let content = format!(
                "<main><p role=\"alert\">Die Suche ist ungültig: {}. <a href=\"/\">Neue Suche</a></p></main>",
                escape(error.message())
            );
            return (error.status(), Html(layout("Ungültige Suche", &content))).into_response();
        }
    };
    match run_search(&state, params.clone()).await {
        Ok(response) => Html(render_search(&params, &response)).into_response(),
        Err(error) => {
            let content = format!(
                "<main><p role=\"alert\">Die Suche ist fehlgeschlagen: {}</p></main>",
                escape(error.message())
            );
            (error.status(), Html(layout("Fehler", &content))).into_response()
        }
    }
}

/// The query string of `params` with one filter value toggled and the page reset.
fn toggled_link(params: &SearchParams, name: &str, value: &str) -> String {
    let mut next = params.clone();
    let values = match name {
        "type" => &mut next.types,
        "fraction" => &mut next.fractions,
        "gremium" => &mut next.gremien,
        _ => &mut next.bodies,
    };
    if let Some(position) = values.iter().position(|known| known == value) {
        values.remove(position);
    } else {
        values.push(value.to_string());
    }
    next.page = 1;
    format!("/?{}", query_string(&next))
}

/// Serialises search parameters back into a URL query (the permalink of a search).
pub(crate) fn query_string(params: &SearchParams) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    if !params.query.is_empty() {
        serializer.append_pair("q", &params.query);
    }
    for (name, values) in [
        ("type", &params.types),
        ("fraction", &params.fractions),
        ("gremium", &params.gremien),
        ("body", &params.bodies),
    ] {
        for value in values {
            serializer.append_pair(name, value);
        }
    }
    if let Some(from) = params.from {
        serializer.append_pair("from", &from.to_string());
    }
    if let Some(to) = params.to {
        serializer.append_pair("to", &to.to_string());
    }
    match params.sort {
        index::Sort::Relevance => {}
        index::Sort::DateDesc => {
            serializer.append_pair("sort", "date_desc");
        }
        index::Sort::DateAsc => {
            serializer.append_pair("sort", "date_asc");
        }
    }
    if params.page > 1 {
        serializer.append_pair("page", &params.page.to_string());
    }
    if params.per_page != crate::config::DEFAULT_PER_PAGE {
        serializer.append_pair("per_page", &params.per_page.to_string());
    }
    serializer.finish()
}

fn render_search(params: &SearchParams, response: &SearchResponse) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<main><form class=\"search\" method=\"get\" action=\"/\" role=\"search\">\
<label for=\"q\" style=\"position:absolute;left:-9999px\">Suchbegriff</label>\
<input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" placeholder=\"z. B. Telearbeit, Radweg, VII-F-01504\" autofocus>",
        escape(&params.query)
    );
    for (name, values) in [
        ("type", &params.types),
        ("fraction", &params.fractions),
        ("gremium", &params.gremien),
        ("body", &params.bodies),
    ] {
        for value in values {
            let _ = write!(
                html,
                "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                escape(value)
            );
        }
    }
    let sort_options = [
        ("relevance", "Relevanz", index::Sort::Relevance),
        ("date_desc", "Neueste zuerst", index::Sort::DateDesc),
        ("date_asc", "Älteste zuerst", index::Sort::DateAsc),
    ];
    html.push_str("<label for=\"sort\" style=\"position:absolute;left:-9999px\">Sortierung</label><select id=\"sort\" name=\"sort\">");
    for (value, label, sort) in sort_options {
        let selected = if params.sort == sort { " selected" } else { "" };
        let _ = write!(html, "<option value=\"{value}\"{selected}>{label}</option>");
    }
    html.push_str("</select><button type=\"submit\">Suchen</button></form>");

    html.push_str("<aside aria-label=\"Filter\">");
    let _ = write!(
        html,
        "<form method=\"get\" action=\"/\"><fieldset><legend>Zeitraum</legend>\
<input type=\"hidden\" name=\"q\" value=\"{}\">\
<label>von <input type=\"date\" name=\"from\" value=\"{}\"></label>\
<label>bis <input type=\"date\" name=\"to\" value=\"{}\"></label><button type=\"submit\">Anwenden</button></fieldset></form>",
        escape(&params.query),
        params.from.map(|date| date.to_string()).unwrap_or_default(),
        params.to.map(|date| date.to_string()).unwrap_or_default(),
    );
    let facets = &response.facets;
    for (name, legend, counts, selected) in [
        ("type", "Vorlage-Art", &facets.paper_type, &params.types),
        ("fraction", "Fraktion", &facets.fraction, &params.fractions),
        ("gremium", "Gremium", &facets.gremium, &params.gremien),
        ("body", "Kommune", &facets.body, &params.bodies),
    ] {
        if counts.is_empty() || (name == "body" && counts.len() < 2) {
            continue;
        }
        let _ = write!(html, "<fieldset><legend>{legend}</legend>");
        for count in counts.iter().take(30) {
            let checked = selected.iter().any(|value| value == &count.value);
            let _ = write!(
                html,
                "<label><a href=\"{}\" aria-pressed=\"{checked}\">{} {} ({})</a></label>",
                escape(&toggled_link(params, name, &count.value)),
                if checked { "☑" } else { "☐" },
                escape(&count.value),
                count.count
            );
        }
        html.push_str("</fieldset>");
    }
    if !facets.year.is_empty() {
        html.push_str("<fieldset><legend>Jahr</legend>");
        for count in facets.year.iter().take(30) {
            let mut next = params.clone();
            next.from = chrono::NaiveDate::from_ymd_opt(count.value.parse().unwrap_or(1990), 1, 1);
            next.to = chrono::NaiveDate::from_ymd_opt(count.value.parse().unwrap_or(1990), 12, 31);
            next.page = 1;
            let _ = write!(
                html,
                "<label><a href=\"/?{}\">{} ({})</a></label>",
                escape(&query_string(&next)),
                escape(&count.value),
                count.count
            );
        }
        html.push_str("</fieldset>");
    }
    html.push_str("</aside><section class=\"results\" aria-live=\"polite\">");
    let _ = write!(
        html,
        "<p>{} Treffer <span class=\"meta\">({} ms)</span></p>",
        response.total, response.took_ms
    );
    if response.hits.is_empty() {
        html.push_str(
            "<p>Keine Treffer. Versuchen Sie andere Wörter oder entfernen Sie einen Filter.</p>",
        );
    }
    for found in &response.hits {
        let hit = &found.hit;
        let date = hit
            .date
            .map(|date| date.format("%d.%m.%Y").to_string())
            .unwrap_or_else(|| "ohne Datum".to_string());
        let meta: Vec<String> = [
            Some(hit.reference.clone()),
            hit.paper_type.clone(),
            hit.originator.clone(),
            Some(date),
        ]
        .into_iter()
        .flatten()
        .map(|text| escape(&text))
        .collect();
        let _ = write!(
            html,
            "<article class=\"hit\"><h2><a href=\"{}\">{}</a></h2><div class=\"meta\">{}</div>",
            escape(&found.url),
            escape(&hit.title),
            meta.join(" · ")
        );
        for snippet in &hit.snippets {
            // Snippets come from the index already escaped, with only <mark> as markup.
            let _ = write!(html, "<p class=\"snippet\">{snippet}</p>");
        }
        if !hit.pages.is_empty() {
            html.push_str("<div class=\"meta\">Fundstellen: ");
            for page in &hit.pages {
                let link = page
                    .url
                    .as_ref()
                    .map(|url| format!("{url}#page={}", page.page));
                match link {
                    Some(link) => {
                        let _ = write!(
                            html,
                            "<a href=\"{}\">{} S. {}</a> ",
                            escape(&link),
                            escape(&page.file),
                            page.page
                        );
                    }
                    None => {
                        let _ = write!(html, "{} S. {} ", escape(&page.file), page.page);
                    }
                }
            }
            html.push_str("</div>");
        }
        html.push_str("</article>");
    }
    let pages = response.total.div_ceil(params.per_page as u64).max(1);
    if pages > 1 {
        html.push_str("<nav class=\"pages\" aria-label=\"Seiten\">");
        if params.page > 1 {
            let mut previous = params.clone();
            previous.page -= 1;
            let _ = write!(
                html,
                "<a href=\"/?{}\">← zurück</a>",
                escape(&query_string(&previous))
            );
        }
        let _ = write!(html, "Seite {} von {}", params.page, pages);
        if (params.page as u64) < pages && params.page * params.per_page < crate::config::MAX_OFFSET
        {
            let mut next = params.clone();
            next.page += 1;
            let _ = write!(
                html,
                " <a href=\"/?{}\">weiter →</a>",
                escape(&query_string(&next))
            );
        }
        html.push_str("</nav>");
    }
    html.push_str("</section></main>");
    let title = if params.query.is_empty() {
        "ratsuche".to_string()
    } else {
        format!("{} – ratsuche", params.query)
    };
    layout(&title, &html)
}

/// `GET /documents/{reference}`: all metadata, Beratungsfolge, family, text and attachments.
pub(crate) async fn document_page(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let reference = match reference_from(path) {
        Ok(reference) => reference,
        Err(error) => {
            return (error.status(), Html(layout("Fehler", error.message()))).into_response()
        }
    };
    let body = body_param(raw.as_deref());
    match load_document(&state, body, reference.clone()).await {
        Ok(document) => Html(render_document(&document)).into_response(),
        Err(error) if error.status() == StatusCode::NOT_FOUND => {
            let content = format!(
                "<main><p>Das Dokument {} gibt es hier nicht. <a href=\"/?q={}\">Danach suchen</a></p></main>",
                escape(&reference),
                encode_path_segment(&reference)
            );
            (
                StatusCode::NOT_FOUND,
                Html(layout("Nicht gefunden", &content)),
            )
                .into_response()
        }
        Err(error) => (error.status(), Html(layout("Fehler", error.message()))).into_response(),
    }
}

fn text_field<'a>(document: &'a serde_json::Value, name: &str) -> &'a str {
    document
        .get(name)
        .and_then(|value| value.as_str())
        .unwrap_or("")
}

fn render_document(document: &serde_json::Value) -> String {
    let reference = text_field(document, "reference");
    let title = text_field(document, "title");
    let mut html = String::new();
    let _ = write!(
        html,
        "<main><article style=\"flex:1\"><h1>{}</h1><dl><dt>Drucksache</dt><dd>{}</dd>",
        escape(title),
        escape(reference)
    );
    for (name, label) in [
        ("type", "Vorlage-Art"),
        ("originator", "Einreicher"),
        ("date", "Datum"),
        ("status", "Status"),
        ("occasion", "Anlass"),
        ("body", "Kommune"),
    ] {
        let value = text_field(document, name);
        if !value.is_empty() {
            let _ = write!(html, "<dt>{label}</dt><dd>{}</dd>", escape(value));
        }
    }
    if let Some(web) = document.get("web_url").and_then(|value| value.as_str()) {
        let _ = write!(
            html,
            "<dt>Im Ratsinformationssystem</dt><dd><a href=\"{}\">{}</a></dd>",
            escape(web),
            escape(web)
        );
    }
    html.push_str("</dl>");
    if let Some(consultations) = document
        .get("consultations")
        .and_then(|value| value.as_array())
    {
        if !consultations.is_empty() {
            html.push_str("<h2>Beratungsfolge</h2><table><thead><tr><th>Datum</th><th>Gremium</th><th>Rolle</th><th>Ergebnis</th></tr></thead><tbody>");
            for consultation in consultations {
                let _ = write!(
                    html,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(text_field(consultation, "date")),
                    escape(text_field(consultation, "organization")),
                    escape(text_field(consultation, "role")),
                    escape(text_field(consultation, "result")),
                );
            }
            html.push_str("</tbody></table>");
        }
    }
    if let Some(family) = document.get("family").and_then(|value| value.as_array()) {
        if !family.is_empty() {
            html.push_str("<h2>Stammbaum</h2><ul>");
            for member in family {
                let member_reference = text_field(member, "reference");
                let _ = write!(
                    html,
                    "<li><a href=\"/documents/{}\">{}</a> {} <span class=\"meta\">{}</span></li>",
                    encode_path_segment(member_reference),
                    escape(member_reference),
                    escape(text_field(member, "title")),
                    escape(text_field(member, "paper_type")),
                );
            }
            html.push_str("</ul>");
        }
    }
    let text = text_field(document, "text");
    if !text.is_empty() {
        let _ = write!(html, "<h2>Text</h2><pre>{}</pre>", escape(text));
    }
    if let Some(attachments) = document
        .get("attachments")
        .and_then(|value| value.as_array())
    {
        for attachment in attachments {
            let name = text_field(attachment, "name");
            let _ = write!(html, "<h2>Anlage: {}</h2>", escape(name));
            if let Some(url) = attachment.get("url").and_then(|value| value.as_str()) {
                let _ = write!(html, "<p><a href=\"{}\">Datei öffnen</a></p>", escape(url));
            }
            if let Some(pages) = attachment.get("pages").and_then(|value| value.as_array()) {
                for (page_idx, page) in pages.iter().enumerate() {
                    let _ = write!(
                        html,
                        "<h3 id=\"page-{0}\">Seite {0}</h3><pre>{1}</pre>",
                        page_idx + 1,
                        escape(page.as_str().unwrap_or(""))
                    );
                }
            }
        }
    }
    html.push_str("</article></main>");
    layout(&format!("{reference} {title}"), &html)
}
