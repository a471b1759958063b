//! Server-rendered pages for people: the search page at `/` and a page per document. They work
//! without JavaScript; every search is a plain GET link, so it can be bookmarked and shared
//! (the URL is the whole state). `?embed=1` drops the page chrome for an iframe in a RIS.

use std::fmt::Write;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, NaiveDate};

use super::routes::{
    body_param, load_document, query_pairs, reference_from, run_search, search_params,
};
use super::AppState;
use crate::search::{encode_path_segment, HitResponse, SearchParams, SearchResponse};

const STYLE: &str = "*{box-sizing:border-box}\
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}\
header.top{background:#0b3d66;color:#fff;padding:.8rem 1rem}header.top a{color:#fff;text-decoration:none;font-weight:600}\
main{display:flex;flex-wrap:wrap;gap:1.5rem;padding:1rem;max-width:74rem;margin:auto}\
form.search{display:flex;flex-wrap:wrap;gap:.5rem;width:100%;align-items:center}\
form.search input[type=search]{flex:1 1 16rem;font-size:1.1rem;padding:.5rem;border:1px solid #767676;border-radius:4px}\
select,input[type=date]{font-size:1rem;padding:.4rem;border:1px solid #767676;border-radius:4px}\
button{font-size:1rem;padding:.5rem 1rem;background:#0b3d66;color:#fff;border:0;border-radius:4px;cursor:pointer}\
:focus-visible{outline:3px solid #c25400;outline-offset:2px}\
aside{flex:0 0 16rem}section.results{flex:1 1 20rem;min-width:0}\
fieldset{border:1px solid #ccc;border-radius:4px;margin:0 0 1rem;padding:.5rem .7rem;background:#fff}\
legend{font-weight:600;padding:0 .2rem}.facet{display:flex;gap:.4rem;align-items:baseline;margin:.15rem 0}\
.facet input{margin:0}.count{color:#4a4a4a}ul.plain{list-style:none;margin:0;padding:0}\
.hit{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.8rem;margin:0 0 .8rem}\
.hit h3{font-size:1.1rem;margin:0 0 .3rem}.meta{color:#4a4a4a;font-size:.9rem}mark{background:#ffe066;color:#1a1a1a;padding:0 .1em}\
.snippet{margin:.4rem 0 0}.family{margin:.6rem 0 0;padding:.5rem .8rem;border-left:3px solid #0b3d66;background:#f3f6f9}\
.family h4{font-size:.95rem;margin:0 0 .3rem}.family .hit{border:0;padding:.3rem 0;margin:0;background:none}\
nav.pages{display:flex;gap:1rem;align-items:center;margin:1rem 0}\
.chips a{display:inline-block;border:1px solid #0b3d66;border-radius:1rem;padding:0 .6rem;margin:0 .3rem .3rem 0;text-decoration:none}\
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}\
ol.timeline{list-style:none;margin:0;padding:0 0 0 1rem;border-left:3px solid #0b3d66}\
ol.timeline li{margin:0 0 .7rem;position:relative}ol.timeline li::before{content:\"\";position:absolute;left:-1.45rem;top:.45rem;width:.7rem;height:.7rem;border-radius:50%;background:#0b3d66}\
.result{display:inline-block;border-radius:3px;padding:0 .4rem;background:#e6eef5}\
pre{white-space:pre-wrap;background:#fff;border:1px solid #ddd;padding:.8rem;overflow-wrap:anywhere}a{color:#0b3d66}\
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}\
.js .js-hide{display:none}.js-only{display:none}.js .js-only{display:block}\
@media (max-width:44rem){aside{flex:1 1 100%;order:2}section.results{order:1}main{padding:.6rem}}";

/// The script that adds suggestions and instant filters to the search page.
const SEARCH_JS: &str = include_str!("page/search.js");

/// Facet values listed per facet; selected values are always listed.
const FACET_VALUES_SHOWN: usize = 30;
/// Similar papers listed on a document page.
const SIMILAR_SHOWN: usize = 5;

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

/// How a page is shown: whole, or without chrome inside a RIS iframe (`?embed=1`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct View {
    embed: bool,
}

impl View {
    fn from_query(raw: Option<&str>) -> View {
        let embed = query_pairs(raw)
            .iter()
            .any(|(name, value)| name == "embed" && matches!(value.as_str(), "1" | "true"));
        View { embed }
    }

    /// The link to a search, keeping the view.
    fn search_link(self, params: &SearchParams) -> String {
        let query = query_string(params);
        match (self.embed, query.is_empty()) {
            (false, _) => format!("/?{query}"),
            (true, true) => "/?embed=1".to_string(),
            (true, false) => format!("/?{query}&embed=1"),
        }
    }

    /// Attributes for a link to a document: in an iframe it opens outside the RIS page.
    fn document_target(self) -> &'static str {
        if self.embed {
            " target=\"_blank\" rel=\"noopener\""
        } else {
            ""
        }
    }
}

fn layout(title: &str, head: &str, content: &str, view: View) -> String {
    let header = if view.embed {
        ""
    } else {
        "<header class=\"top\"><a href=\"/\">ratsuche</a> · Suche in Ratsdokumenten</header>"
    };
    format!(
        "<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{STYLE}</style>\
<link rel=\"search\" type=\"application/opensearchdescription+xml\" href=\"/opensearch.xml\" title=\"ratsuche\">\
{head}</head><body>{header}{content}</body></html>",
        escape(title)
    )
}

/// `GET /`: the search form, facets and results.
pub(crate) async fn search_page(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Response {
    let view = View::from_query(raw.as_deref());
    let params = match search_params(raw.as_deref()) {
        Ok(params) => params,
        Err(error) => {
            let content = format!(
                "<main><p role=\"alert\">Die Suche ist ungültig: {}. <a href=\"/\">Neue Suche</a></p></main>",
                escape(error.message())
            );
            return (
                error.status(),
                Html(layout("Ungültige Suche", "", &content, view)),
            )
                .into_response();
        }
    };
    match run_search(&state, params.clone()).await {
        Ok(response) => Html(render_search(&params, &response, view)).into_response(),
        Err(error) => {
            let content = format!(
                "<main><p role=\"alert\">Die Suche ist fehlgeschlagen: {}</p></main>",
                escape(error.message())
            );
            (error.status(), Html(layout("Fehler", "", &content, view))).into_response()
        }
    }
}

/// Serialises search parameters back into a URL query (the permalink of a search).
pub(crate) fn query_string(params: &SearchParams) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    if !params.query.is_empty() {
        serializer.append_pair("q", &params.query);
    }
    for (name, values) in filter_lists(params) {
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
    if params.as_typed {
        serializer.append_pair("as_typed", "true");
    }
    serializer.finish()
}

/// The multi-select filters of a search with their parameter names.
fn filter_lists(params: &SearchParams) -> [(&'static str, &Vec<String>); 4] {
    [
        ("type", &params.types),
        ("fraction", &params.fractions),
        ("gremium", &params.gremien),
        ("body", &params.bodies),
    ]
}

/// The German label of a filter parameter.
fn filter_label(name: &str) -> &'static str {
    match name {
        "type" => "Vorlage-Art",
        "fraction" => "Fraktion",
        "gremium" => "Gremium",
        _ => "Kommune",
    }
}

/// `params` without one filter value, from the first page.
fn without_value(params: &SearchParams, name: &str, value: &str) -> SearchParams {
    let mut next = params.clone();
    let values = match name {
        "type" => &mut next.types,
        "fraction" => &mut next.fractions,
        "gremium" => &mut next.gremien,
        _ => &mut next.bodies,
    };
    values.retain(|known| known != value);
    next.page = 1;
    next
}

/// `params` without the date range, from the first page.
/// Every active filter value as a link label (`prefix`, the facet's label, the value) and the
/// search without that value.
fn filter_removals(params: &SearchParams, prefix: &str) -> Vec<(String, SearchParams)> {
    filter_lists(params)
        .into_iter()
        .flat_map(|(name, values)| {
            values.iter().map(move |value| {
                (
                    format!("{prefix}{}: {value}", filter_label(name)),
                    without_value(params, name, value),
                )
            })
        })
        .collect()
}

fn without_dates(params: &SearchParams) -> SearchParams {
    SearchParams {
        from: None,
        to: None,
        page: 1,
        ..params.clone()
    }
}

/// The year a date range covers exactly, if it does.
fn whole_year(params: &SearchParams) -> Option<i32> {
    let (from, to) = (params.from?, params.to?);
    let year = from.year();
    (from == NaiveDate::from_ymd_opt(year, 1, 1)? && to == NaiveDate::from_ymd_opt(year, 12, 31)?)
        .then_some(year)
}

/// Hits of one page grouped by family (ALLRIS Stammbaum: an Anfrage and its Antwort, an Antrag
/// and its Änderungsanträge), each group where its best hit ranks. Papers whose reference
/// follows no known grammar stand alone.
fn group_families(hits: &[HitResponse]) -> Vec<Vec<&HitResponse>> {
    let mut groups: Vec<(Option<String>, Vec<&HitResponse>)> = Vec::new();
    for found in hits {
        let key = ingest::reference::Reference::parse(&found.hit.reference)
            .map(|reference| format!("{}\u{1f}{}", found.hit.body, reference.family_key()));
        match groups
            .iter_mut()
            .find(|(known, _)| key.is_some() && *known == key)
        {
            Some((_, members)) => members.push(found),
            None => groups.push((key, vec![found])),
        }
    }
    groups.into_iter().map(|(_, members)| members).collect()
}

fn render_search(params: &SearchParams, response: &SearchResponse, view: View) -> String {
    let mut html = String::new();
    let _ = write!(
        html,
        "<main><h1 class=\"visually-hidden\">Suche in Ratsdokumenten</h1>\
<form id=\"s\" class=\"search\" method=\"get\" action=\"/\" role=\"search\">\
<label for=\"q\" class=\"visually-hidden\">Suchbegriff</label>\
<input type=\"search\" id=\"q\" name=\"q\" value=\"{}\" list=\"q-suggestions\" autocomplete=\"off\" \
placeholder=\"z. B. Telearbeit, Radweg, VII-F-01504\" aria-describedby=\"q-help\">\
<datalist id=\"q-suggestions\"></datalist>",
        escape(&params.query)
    );
    if view.embed {
        html.push_str("<input type=\"hidden\" name=\"embed\" value=\"1\">");
    }
    if params.per_page != crate::config::DEFAULT_PER_PAGE {
        let _ = write!(
            html,
            "<input type=\"hidden\" name=\"per_page\" value=\"{}\">",
            params.per_page
        );
    }
    html.push_str(
        "<label for=\"sort\">Sortierung</label><select id=\"sort\" name=\"sort\" data-autosubmit>",
    );
    for (value, label, sort) in [
        ("relevance", "Relevanz", index::Sort::Relevance),
        ("date_desc", "Neueste zuerst", index::Sort::DateDesc),
        ("date_asc", "Älteste zuerst", index::Sort::DateAsc),
    ] {
        let selected = if params.sort == sort { " selected" } else { "" };
        let _ = write!(html, "<option value=\"{value}\"{selected}>{label}</option>");
    }
    html.push_str(
        "</select><button type=\"submit\">Suchen</button>\
<p id=\"q-help\" class=\"meta\" style=\"width:100%;margin:0\">Wörter, \"genaue Phrase\", -ausschließen, \
eins von beiden mit ODER (OR); auch Drucksachennummern.</p></form>",
    );
    render_filters(&mut html, params, response, view);

    let sort_label = match params.sort {
        index::Sort::Relevance => "nach Relevanz",
        index::Sort::DateDesc => "nach Datum, neueste zuerst",
        index::Sort::DateAsc => "nach Datum, älteste zuerst",
    };
    let _ = write!(
        html,
        "<section class=\"results\" aria-labelledby=\"results-heading\">\
<h2 id=\"results-heading\" aria-live=\"polite\">{} Treffer <span class=\"meta\">sortiert {sort_label} ({} ms)</span></h2>",
        response.total, response.took_ms
    );
    render_active_filters(&mut html, params, view);
    if response.hits.is_empty() {
        let offered = response.did_you_mean.as_deref();
        render_empty_help(
            &mut html,
            params,
            view,
            offered.or(response.suggestion.as_deref()),
        );
    } else if let Some(corrected) = response.did_you_mean.as_deref() {
        let as_typed = SearchParams {
            as_typed: true,
            page: 1,
            ..params.clone()
        };
        let _ = write!(
            html,
            "<p class=\"did-you-mean\" role=\"status\">Gezeigt werden Treffer für „{}“ \
statt für „{}“. <a href=\"{}\">Stattdessen nach „{}“ suchen</a></p>",
            escape(corrected),
            escape(&params.query),
            escape(&view.search_link(&as_typed)),
            escape(&params.query)
        );
    } else if let Some(words) = &response.parts_apart {
        let _ = write!(
            html,
            "<p class=\"did-you-mean\" role=\"status\">Kein Dokument enthält {} als Wort. \
Gezeigt werden Treffer, die die Wortteile einzeln enthalten.</p>",
            quoted(words, " und ")
        );
    } else if let Some(partial) = &response.partial {
        let _ = write!(
            html,
            "<p class=\"did-you-mean\" role=\"status\">Kein Dokument enthält alle {} Suchwörter. \
Gezeigt werden Treffer ohne {}.</p>",
            partial.words,
            quoted(&partial.left_out, ", ")
        );
    } else {
        render_did_you_mean(&mut html, params, view, response.suggestion.as_deref());
    }
    for group in group_families(&response.hits) {
        let Some((first, rest)) = group.split_first() else {
            continue;
        };
        html.push_str("<article class=\"hit\">");
        render_hit(&mut html, first, params, view, "h3");
        if !rest.is_empty() {
            html.push_str("<div class=\"family\"><h4>Aus demselben Vorgang</h4>");
            for member in rest {
                html.push_str("<div class=\"hit\">");
                render_hit(&mut html, member, params, view, "h5");
                html.push_str("</div>");
            }
            html.push_str("</div>");
        }
        html.push_str("</article>");
    }
    render_pagination(&mut html, params, response, view);
    html.push_str("</section></main>");
    let _ = write!(html, "<script>{SEARCH_JS}</script>");
    let title = if params.query.is_empty() {
        "ratsuche – Suche in Ratsdokumenten".to_string()
    } else {
        format!("{} – ratsuche", params.query)
    };
    let head = format!(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Neueste Treffer dieser Suche\" href=\"/feed.atom?{}\">",
        escape(&feed_query(params))
    );
    layout(&title, &head, &html, view)
}

/// The query of a search for its feed and exports: no page or page size.
fn feed_query(params: &SearchParams) -> String {
    query_string(&SearchParams {
        page: 1,
        per_page: crate::config::DEFAULT_PER_PAGE,
        ..params.clone()
    })
}

/// The facet sidebar: date range, multi-select checkboxes with counts, years, feeds.
fn render_filters(html: &mut String, params: &SearchParams, response: &SearchResponse, view: View) {
    html.push_str("<aside aria-labelledby=\"filters-heading\"><h2 id=\"filters-heading\" class=\"visually-hidden\">Filter</h2>\
<p class=\"meta js-only\">Ein Häkchen oder eine andere Sortierung aktualisiert die Treffer sofort.</p>");
    let _ = write!(
        html,
        "<fieldset><legend>Zeitraum</legend>\
<label for=\"from\">von</label> <input type=\"date\" id=\"from\" name=\"from\" form=\"s\" value=\"{}\"><br>\
<label for=\"to\">bis</label> <input type=\"date\" id=\"to\" name=\"to\" form=\"s\" value=\"{}\"><br>\
<button type=\"submit\" form=\"s\" style=\"margin-top:.4rem\">Zeitraum anwenden</button></fieldset>",
        params.from.map(|date| date.to_string()).unwrap_or_default(),
        params.to.map(|date| date.to_string()).unwrap_or_default(),
    );
    let facets = &response.facets;
    for (name, counts, selected) in [
        ("type", &facets.paper_type, &params.types),
        ("fraction", &facets.fraction, &params.fractions),
        ("gremium", &facets.gremium, &params.gremien),
        ("body", &facets.body, &params.bodies),
    ] {
        if selected.is_empty() && (counts.is_empty() || (name == "body" && counts.len() < 2)) {
            continue;
        }
        // Selected values first, even those no paper carries any more (count 0), so that a
        // filter can always be taken back.
        let mut shown: Vec<(&str, u64)> = selected
            .iter()
            .map(|value| {
                let count = counts
                    .iter()
                    .find(|count| &count.value == value)
                    .map_or(0, |count| count.count);
                (value.as_str(), count)
            })
            .collect();
        for count in counts.iter().take(FACET_VALUES_SHOWN) {
            if !selected.contains(&count.value) {
                shown.push((count.value.as_str(), count.count));
            }
        }
        let _ = write!(html, "<fieldset><legend>{}</legend>", filter_label(name));
        for (value_idx, (value, count)) in shown.iter().enumerate() {
            let checked = if selected.iter().any(|known| known == value) {
                " checked"
            } else {
                ""
            };
            let _ = write!(
                html,
                "<div class=\"facet\"><input type=\"checkbox\" id=\"f-{name}-{value_idx}\" name=\"{name}\" \
value=\"{}\" form=\"s\" data-autosubmit{checked}><label for=\"f-{name}-{value_idx}\">{} ({count})</label></div>",
                escape(value),
                escape(value),
            );
        }
        html.push_str("</fieldset>");
    }
    if !facets.year.is_empty() {
        let current = whole_year(params);
        html.push_str("<fieldset><legend>Jahr</legend><ul class=\"plain\">");
        // The years with the most hits, newest first: a reader scans years in time order.
        let mut years: Vec<(i32, u64)> = facets
            .year
            .iter()
            .take(FACET_VALUES_SHOWN)
            .filter_map(|count| Some((count.value.parse::<i32>().ok()?, count.count)))
            .collect();
        years.sort_unstable_by_key(|(year, _)| std::cmp::Reverse(*year));
        for (year, count) in years {
            let is_current = current == Some(year);
            let next = if is_current {
                without_dates(params)
            } else {
                SearchParams {
                    from: NaiveDate::from_ymd_opt(year, 1, 1),
                    to: NaiveDate::from_ymd_opt(year, 12, 31),
                    page: 1,
                    ..params.clone()
                }
            };
            let _ = write!(
                html,
                "<li><a href=\"{}\"{}>{}{} <span class=\"count\">({})</span></a></li>",
                escape(&view.search_link(&next)),
                if is_current {
                    " aria-current=\"true\""
                } else {
                    ""
                },
                if is_current { "✓ " } else { "" },
                year,
                count
            );
        }
        html.push_str("</ul></fieldset>");
    }
    html.push_str(
        "<p class=\"js-hide\"><button type=\"submit\" form=\"s\">Filter anwenden</button></p>",
    );
    let feed_query = escape(&feed_query(params));
    let _ = write!(
        html,
        "<p class=\"meta\">Diese Suche als <a href=\"/feed.atom?{feed_query}\">Atom-Feed</a> · \
Export: <a href=\"/export.csv?{feed_query}\">CSV</a>, <a href=\"/export.json?{feed_query}\">JSON</a> \
(bis {} Treffer)</p></aside>",
        super::export::EXPORT_ROWS
    );
}

/// The active filters as links that remove them.
fn render_active_filters(html: &mut String, params: &SearchParams, view: View) {
    let mut chips = filter_removals(params, "");
    if params.from.is_some() || params.to.is_some() {
        let bound = |date: Option<NaiveDate>| {
            date.map(|date| date.format("%d.%m.%Y").to_string())
                .unwrap_or_else(|| "…".to_string())
        };
        chips.push((
            format!("Zeitraum: {} – {}", bound(params.from), bound(params.to)),
            without_dates(params),
        ));
    }
    if chips.is_empty() {
        return;
    }
    html.push_str("<p class=\"chips\">Aktive Filter: ");
    for (label, next) in chips {
        let _ = write!(
            html,
            "<a href=\"{}\" aria-label=\"Filter {} entfernen\">{} ✕</a>",
            escape(&view.search_link(&next)),
            escape(&label),
            escape(&label)
        );
    }
    html.push_str("</p>");
}

/// Query words in German quotation marks, escaped, joined with `separator`.
fn quoted(words: &[String], separator: &str) -> String {
    words
        .iter()
        .map(|word| format!("„{}“", escape(word)))
        .collect::<Vec<_>>()
        .join(separator)
}

/// Help when nothing matched: "did you mean", and searches with a filter dropped.
fn render_empty_help(
    html: &mut String,
    params: &SearchParams,
    view: View,
    did_you_mean: Option<&str>,
) {
    html.push_str("<div role=\"status\"><p>Keine Treffer.</p>");
    render_did_you_mean(html, params, view, did_you_mean);
    let mut tips = filter_removals(params, "ohne Filter ");
    if params.from.is_some() || params.to.is_some() {
        tips.push(("ohne Zeitraum".to_string(), without_dates(params)));
    }
    if tips.len() > 1 {
        tips.push((
            "ohne alle Filter".to_string(),
            SearchParams {
                query: params.query.clone(),
                sort: params.sort,
                per_page: params.per_page,
                page: 1,
                ..SearchParams::default()
            },
        ));
    }
    if params.query.contains('"') {
        tips.push((
            "ohne Anführungszeichen".to_string(),
            SearchParams {
                query: params.query.replace('"', ""),
                page: 1,
                ..params.clone()
            },
        ));
    }
    if !tips.is_empty() {
        html.push_str("<p>Suchen Sie noch einmal:</p><ul>");
        for (label, next) in tips {
            let _ = write!(
                html,
                "<li><a href=\"{}\">{}</a></li>",
                escape(&view.search_link(&next)),
                escape(&label)
            );
        }
        html.push_str("</ul>");
    }
    html.push_str(
        "<p class=\"meta\">Tipps: weniger oder allgemeinere Wörter verwenden, die Schreibweise \
prüfen, oder nach der Drucksachennummer suchen.</p></div>",
    );
}

/// "Meinten Sie …?" with a link to the corrected search, when the index suggests a spelling.
fn render_did_you_mean(
    html: &mut String,
    params: &SearchParams,
    view: View,
    suggestion: Option<&str>,
) {
    let Some(suggestion) = suggestion.filter(|text| !text.is_empty()) else {
        return;
    };
    let next = SearchParams {
        query: suggestion.to_string(),
        page: 1,
        as_typed: false,
        ..params.clone()
    };
    let _ = write!(
        html,
        "<p class=\"did-you-mean\">Meinten Sie: <a href=\"{}\">{}</a>?</p>",
        escape(&view.search_link(&next)),
        escape(suggestion)
    );
}

/// One hit: title link, metadata with the date the sort uses, snippets and page hits.
fn render_hit(
    html: &mut String,
    found: &HitResponse,
    params: &SearchParams,
    view: View,
    heading: &str,
) {
    let hit = &found.hit;
    let _ = write!(
        html,
        "<{heading}><a href=\"{}\"{}>{}</a></{heading}><div class=\"meta\">",
        escape(&found.url),
        view.document_target(),
        escape(&hit.title),
    );
    let mut meta: Vec<String> = [
        Some(&hit.reference),
        hit.paper_type.as_ref(),
        hit.originator.as_ref(),
    ]
    .into_iter()
    .flatten()
    .map(|text| escape(text))
    .collect();
    meta.push(match hit.date {
        Some(date) => format!(
            "Datum: <time datetime=\"{date}\">{}</time>",
            date.format("%d.%m.%Y")
        ),
        None => "ohne Datum".to_string(),
    });
    html.push_str(&meta.join(" · "));
    html.push_str("</div>");
    for snippet in &hit.snippets {
        // Snippets come from the index already escaped, with only <mark> as markup.
        let _ = write!(html, "<p class=\"snippet\">{snippet}</p>");
    }
    if !hit.pages.is_empty() {
        // The document page lists and marks the pages that hold the query words.
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("q", &params.query)
            .finish();
        let _ = write!(
            html,
            "<div class=\"meta\"><a href=\"{}?{}#hits\"{}>Fundstellen in Anlagen</a>: ",
            escape(&found.url),
            escape(&query),
            view.document_target()
        );
        for page in &hit.pages {
            match &page.url {
                Some(url) => {
                    let _ = write!(
                        html,
                        "<a href=\"{}#page={}\"{}>{} S. {}</a> ",
                        escape(url),
                        page.page,
                        view.document_target(),
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
}

fn render_pagination(
    html: &mut String,
    params: &SearchParams,
    response: &SearchResponse,
    view: View,
) {
    let pages = response.total.div_ceil(params.per_page as u64).max(1);
    if pages <= 1 {
        return;
    }
    html.push_str("<nav class=\"pages\" aria-label=\"Seiten\">");
    if params.page > 1 {
        let previous = SearchParams {
            page: params.page - 1,
            ..params.clone()
        };
        let _ = write!(
            html,
            "<a href=\"{}\" rel=\"prev\">← zurück</a>",
            escape(&view.search_link(&previous))
        );
    }
    let _ = write!(
        html,
        "<span aria-current=\"page\">Seite {} von {}</span>",
        params.page, pages
    );
    if (params.page as u64) < pages && params.page * params.per_page < crate::config::MAX_OFFSET {
        let next = SearchParams {
            page: params.page + 1,
            ..params.clone()
        };
        let _ = write!(
            html,
            "<a href=\"{}\" rel=\"next\">weiter →</a>",
            escape(&view.search_link(&next))
        );
    }
    html.push_str("</nav>");
}

/// `GET /documents/{reference}`: all metadata, Beratungsfolge, family, attachments with the
/// pages that hold the words of `?q=`, and similar papers.
pub(crate) async fn document_page(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let view = View::from_query(raw.as_deref());
    let reference = match reference_from(path) {
        Ok(reference) => reference,
        Err(error) => {
            let content = format!(
                "<main><p role=\"alert\">{}</p></main>",
                escape(error.message())
            );
            return (error.status(), Html(layout("Fehler", "", &content, view))).into_response();
        }
    };
    let body = body_param(raw.as_deref());
    let query = query_pairs(raw.as_deref())
        .into_iter()
        .find(|(name, _)| name == "q")
        .map(|(_, value)| value)
        .unwrap_or_default();
    match load_document(&state, body.clone(), reference.clone()).await {
        Ok(document) => {
            let similar = similar_papers(&state, body, &reference, &document).await;
            let index = state.index.clone();
            let rendered = tokio::task::spawn_blocking(move || {
                let marker = if query.trim().is_empty() {
                    None
                } else {
                    index
                        .text_marker(&query)
                        .inspect_err(|error| tracing::warn!(%error, "document marks failed"))
                        .ok()
                };
                render_document(&document, &query, marker.as_ref(), &similar, view)
            })
            .await;
            match rendered {
                Ok(page) => Html(page).into_response(),
                Err(error) => {
                    tracing::error!(%error, "document page failed");
                    StatusCode::INTERNAL_SERVER_ERROR.into_response()
                }
            }
        }
        Err(error) if error.status() == StatusCode::NOT_FOUND => {
            let content = format!(
                "<main><p>Das Dokument {} gibt es hier nicht. <a href=\"/?q={}\">Danach suchen</a></p></main>",
                escape(&reference),
                encode_path_segment(&reference)
            );
            (
                StatusCode::NOT_FOUND,
                Html(layout("Nicht gefunden", "", &content, view)),
            )
                .into_response()
        }
        Err(error) => {
            let content = format!(
                "<main><p role=\"alert\">{}</p></main>",
                escape(error.message())
            );
            (error.status(), Html(layout("Fehler", "", &content, view))).into_response()
        }
    }
}

/// Papers like this one, family members left out (the Stammbaum lists them). A failure only
/// costs the list, never the page.
async fn similar_papers(
    state: &AppState,
    body: Option<String>,
    reference: &str,
    document: &serde_json::Value,
) -> Vec<index::Hit> {
    let index = state.index.clone();
    let lookup = reference.to_string();
    let found = tokio::task::spawn_blocking(move || {
        index.similar(body.as_deref(), &lookup, SIMILAR_SHOWN * 2)
    })
    .await;
    let hits = match found {
        Ok(Ok(hits)) => hits,
        Ok(Err(error)) => {
            tracing::warn!(error = %error, reference, "similar papers failed");
            return Vec::new();
        }
        Err(error) => {
            tracing::warn!(error = %error, reference, "similar papers failed");
            return Vec::new();
        }
    };
    let family: Vec<&str> = document
        .get("family")
        .and_then(|value| value.as_array())
        .map(|members| {
            members
                .iter()
                .filter_map(|member| member.get("reference").and_then(|value| value.as_str()))
                .collect()
        })
        .unwrap_or_default();
    let own_family =
        ingest::reference::Reference::parse(reference).map(|parsed| parsed.family_key());
    hits.into_iter()
        .filter(|hit| !family.contains(&hit.reference.as_str()))
        .filter(|hit| {
            own_family.is_none()
                || ingest::reference::Reference::parse(&hit.reference)
                    .map(|parsed| parsed.family_key())
                    != own_family
        })
        .take(SIMILAR_SHOWN)
        .collect()
}

fn text_field<'a>(document: &'a serde_json::Value, name: &str) -> &'a str {
    document
        .get(name)
        .and_then(|value| value.as_str())
        .unwrap_or("")
}

/// Escapes a page text with the words that the query matches in `<mark>` (as the search's
/// snippets mark them: forms, compounds, synonyms); also returns how many.
fn highlight(text: &str, marker: Option<&index::TextMarker>) -> (String, usize) {
    let marks = marker.map(|marker| marker.marks(text)).unwrap_or_default();
    let mut html = String::with_capacity(text.len() + 64);
    let mut done = 0;
    for mark in &marks {
        html.push_str(&escape(&text[done..mark.start]));
        let _ = write!(html, "<mark>{}</mark>", escape(&text[mark.clone()]));
        done = mark.end;
    }
    html.push_str(&escape(&text[done..]));
    (html, marks.len())
}

fn render_document(
    document: &serde_json::Value,
    query: &str,
    marker: Option<&index::TextMarker>,
    similar: &[index::Hit],
    view: View,
) -> String {
    let reference = text_field(document, "reference");
    let title = text_field(document, "title");
    let mut html = String::new();
    html.push_str("<main><article style=\"flex:1 1 30rem;min-width:0\">");
    if !query.is_empty() {
        let back = SearchParams {
            query: query.to_string(),
            page: 1,
            per_page: crate::config::DEFAULT_PER_PAGE,
            ..SearchParams::default()
        };
        let _ = write!(
            html,
            "<p><a href=\"{}\">← zurück zur Suche „{}“</a></p>",
            escape(&view.search_link(&back)),
            escape(query)
        );
    }
    let _ = write!(
        html,
        "<h1>{}</h1><dl><dt>Drucksache</dt><dd>{}</dd>",
        escape(title),
        escape(reference)
    );
    for (name, label) in [
        ("type", "Vorlage-Art"),
        ("originator", "Einreicher"),
        ("fraction", "Fraktion"),
        ("date", "Datum"),
        ("status", "Status"),
        ("occasion", "Anlass"),
        ("body", "Kommune"),
        ("language", "Sprache"),
    ] {
        let value = text_field(document, name);
        if value.is_empty() {
            continue;
        }
        let shown = match (name, NaiveDate::parse_from_str(value, "%Y-%m-%d")) {
            ("date", Ok(date)) => format!(
                "<time datetime=\"{date}\">{}</time>",
                date.format("%d.%m.%Y")
            ),
            _ => escape(value),
        };
        let _ = write!(html, "<dt>{label}</dt><dd>{shown}</dd>");
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
    render_consultations(&mut html, document);
    render_family(&mut html, document, reference, view);
    let text = text_field(document, "text");
    if !text.is_empty() {
        let (text_html, _) = highlight(text, marker);
        let _ = write!(html, "<h2>Text</h2><pre>{text_html}</pre>");
    }
    render_attachments(&mut html, document, marker, query);
    html.push_str("</article>");
    if !similar.is_empty() {
        html.push_str(
            "<aside aria-labelledby=\"similar-heading\"><h2 id=\"similar-heading\">Ähnliche Dokumente</h2><ul class=\"plain\">",
        );
        for hit in similar {
            let meta: Vec<String> = [
                Some(hit.reference.clone()),
                hit.paper_type.clone(),
                hit.date.map(|date| date.format("%d.%m.%Y").to_string()),
            ]
            .into_iter()
            .flatten()
            .map(|text| escape(&text))
            .collect();
            let _ = write!(
                html,
                "<li style=\"margin:0 0 .6rem\"><a href=\"{}{}\">{}</a><div class=\"meta\">{}</div></li>",
                escape(&crate::search::document_path(&hit.reference)),
                if view.embed { "?embed=1" } else { "" },
                escape(&hit.title),
                meta.join(" · ")
            );
        }
        html.push_str("</ul></aside>");
    }
    html.push_str("</main>");
    layout(&format!("{reference} {title}"), "", &html, view)
}

/// The Beratungsfolge as a timeline: date, committee, role and result.
fn render_consultations(html: &mut String, document: &serde_json::Value) {
    let Some(consultations) = document
        .get("consultations")
        .and_then(|value| value.as_array())
        .filter(|consultations| !consultations.is_empty())
    else {
        return;
    };
    html.push_str("<h2>Beratungsfolge</h2><ol class=\"timeline\">");
    for consultation in consultations {
        let date = text_field(consultation, "date");
        let date_html = match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            Ok(parsed) => format!(
                "<time datetime=\"{parsed}\">{}</time>",
                parsed.format("%d.%m.%Y")
            ),
            Err(_) => "ohne Datum".to_string(),
        };
        let _ = write!(
            html,
            "<li>{date_html} · <strong>{}</strong>",
            escape(text_field(consultation, "organization"))
        );
        let role = text_field(consultation, "role");
        if !role.is_empty() {
            let _ = write!(html, " · {}", escape(role));
        }
        let result = text_field(consultation, "result");
        if !result.is_empty() {
            let _ = write!(
                html,
                " · Ergebnis: <span class=\"result\">{}</span>",
                escape(result)
            );
        }
        html.push_str("</li>");
    }
    html.push_str("</ol>");
}

/// The Stammbaum: the papers of the same family, this one marked.
fn render_family(html: &mut String, document: &serde_json::Value, reference: &str, view: View) {
    let Some(family) = document
        .get("family")
        .and_then(|value| value.as_array())
        .filter(|family| !family.is_empty())
    else {
        return;
    };
    html.push_str("<h2>Stammbaum</h2><ul>");
    let mut listed_self = false;
    for member in family {
        let member_reference = text_field(member, "reference");
        if member_reference == reference {
            listed_self = true;
            let _ = write!(
                html,
                "<li aria-current=\"page\"><strong>{}</strong> {} (dieses Dokument)</li>",
                escape(member_reference),
                escape(text_field(member, "title"))
            );
            continue;
        }
        let _ = write!(
            html,
            "<li><a href=\"{}{}\">{}</a> {} <span class=\"meta\">{}</span></li>",
            crate::search::document_path(member_reference),
            if view.embed { "?embed=1" } else { "" },
            escape(member_reference),
            escape(text_field(member, "title")),
            escape(text_field(member, "paper_type")),
        );
    }
    if !listed_self {
        let _ = write!(
            html,
            "<li aria-current=\"page\"><strong>{}</strong> (dieses Dokument)</li>",
            escape(reference)
        );
    }
    html.push_str("</ul>");
}

/// Attachments page by page; with a query, first a list of the pages that hold its words,
/// linking to the page here and in the file.
fn render_attachments(
    html: &mut String,
    document: &serde_json::Value,
    marker: Option<&index::TextMarker>,
    query: &str,
) {
    let Some(attachments) = document
        .get("attachments")
        .and_then(|value| value.as_array())
        .filter(|attachments| !attachments.is_empty())
    else {
        return;
    };
    let mut found_pages: Vec<String> = Vec::new();
    let mut body = String::new();
    for (file_idx, attachment) in attachments.iter().enumerate() {
        let name = text_field(attachment, "name");
        let url = attachment.get("url").and_then(|value| value.as_str());
        let _ = write!(
            body,
            "<h2 id=\"file-{file_idx}\">Anlage: {}</h2>",
            escape(name)
        );
        if let Some(url) = url {
            let _ = write!(body, "<p><a href=\"{}\">Datei öffnen</a></p>", escape(url));
        }
        let Some(pages) = attachment.get("pages").and_then(|value| value.as_array()) else {
            continue;
        };
        for (page_idx, page) in pages.iter().enumerate() {
            let number = page_idx + 1;
            let (page_html, marks) = highlight(page.as_str().unwrap_or(""), marker);
            let anchor = format!("file-{file_idx}-page-{number}");
            if marks > 0 {
                let in_file = url
                    .map(|url| {
                        format!(
                            " (<a href=\"{}#page={number}\">in der Datei</a>)",
                            escape(url)
                        )
                    })
                    .unwrap_or_default();
                found_pages.push(format!(
                    "<li><a href=\"#{anchor}\">{} S. {number}</a>: {marks} Fundstelle{}{in_file}</li>",
                    escape(name),
                    if marks == 1 { "" } else { "n" }
                ));
            }
            let _ = write!(
                body,
                "<h3 id=\"{anchor}\">{} – Seite {number}</h3><pre>{page_html}</pre>",
                escape(name)
            );
        }
    }
    if !query.is_empty() {
        let _ = write!(
            html,
            "<h2 id=\"hits\">Fundstellen für „{}“ in den Anlagen</h2>",
            escape(query)
        );
        if found_pages.is_empty() {
            html.push_str("<p>Keine Seite der Anlagen enthält die Suchwörter wörtlich.</p>");
        } else {
            let _ = write!(html, "<ul>{}</ul>", found_pages.join(""));
        }
    }
    html.push_str(&body);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(reference: &str) -> HitResponse {
        HitResponse {
            hit: index::Hit {
                reference: reference.to_string(),
                body: "Leipzig".to_string(),
                ..index::Hit::default()
            },
            url: crate::search::document_path(reference),
        }
    }

    fn check(references: &[&str], expected: &[&[&str]]) {
        let hits: Vec<HitResponse> = references.iter().map(|reference| hit(reference)).collect();
        let grouped: Vec<Vec<&str>> = group_families(&hits)
            .into_iter()
            .map(|group| {
                group
                    .iter()
                    .map(|found| found.hit.reference.as_str())
                    .collect()
            })
            .collect();
        assert_eq!(grouped, expected, "{references:?}");
    }

    #[test]
    fn families_are_grouped_where_their_best_hit_ranks() {
        check(
            &["VII-F-01504-AW-01", "VII-A-00001", "VII-F-01504"],
            &[&["VII-F-01504-AW-01", "VII-F-01504"], &["VII-A-00001"]],
        );
        check(
            &[
                "VII-A-07860",
                "VII-A-07860-ÄA-01",
                "VII-A-07860-NF-02-ÄA-01",
            ],
            &[&[
                "VII-A-07860",
                "VII-A-07860-ÄA-01",
                "VII-A-07860-NF-02-ÄA-01",
            ]],
        );
        check(
            &["frei text", "frei text"],
            &[&["frei text"], &["frei text"]],
        );
        check(&[], &[]);
    }

    #[test]
    fn the_document_marks_what_the_search_matched() {
        let index = index::Index::create_in_ram().unwrap();
        let mut writer = index.writer().unwrap();
        writer
            .upsert(&index::Document {
                body: "Leipzig".into(),
                reference: "A-1".into(),
                title: "Radverkehr".into(),
                record_json: "{}".into(),
                ..index::Document::default()
            })
            .unwrap();
        writer.commit().unwrap();
        let marker = index
            .text_marker("Häuser Homeoffice Radverk* Schule -Arbeit")
            .unwrap();
        let (html, marks) = highlight(
            "Das Haus & <Telearbeit>, der Radverkehr, Grundschulen, die Arbeit.",
            Some(&marker),
        );
        assert_eq!(
            html,
            "Das <mark>Haus</mark> &amp; &lt;<mark>Telearbeit</mark>&gt;, der \
             <mark>Radverkehr</mark>, <mark>Grundschulen</mark>, die Arbeit."
        );
        assert_eq!(marks, 4);
        assert_eq!(highlight("Arbeit", None), ("Arbeit".to_string(), 0));
    }

    #[test]
    fn links_keep_the_view_and_the_state() {
        let params = SearchParams::from_pairs([
            ("q", "Radweg"),
            ("type", "Antrag"),
            ("from", "2020-01-01"),
            ("to", "2020-12-31"),
            ("sort", "date_desc"),
        ])
        .unwrap();
        assert_eq!(
            View { embed: false }.search_link(&params),
            "/?q=Radweg&type=Antrag&from=2020-01-01&to=2020-12-31&sort=date_desc"
        );
        assert_eq!(
            View { embed: true }.search_link(&SearchParams::from_pairs([]).unwrap()),
            "/?embed=1"
        );
        assert_eq!(whole_year(&params), Some(2020));
        assert_eq!(
            query_string(&without_value(&params, "type", "Antrag")),
            "q=Radweg&from=2020-01-01&to=2020-12-31&sort=date_desc"
        );
    }
}
