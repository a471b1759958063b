//! Embedding in a council's RIS: the frame and CORS policies, the `/widget.js` search widget
//! and the OpenSearch description that lets browsers add ratsuche as a search engine.
//!
//! Pages answer with a CSP `frame-ancestors` that lists the configured origins, so only those
//! sites can show `?embed=1` pages in an iframe. The JSON API, feeds and exports answer CORS
//! requests from the configured origins (any by default: the data is public and read-only);
//! only GET is allowed cross-origin and no credentials or `Authorization` header, so the
//! admin API stays out of reach of other sites' scripts.

use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use super::page::escape;
use super::routes::public_base;
use crate::config::ServeConfig;

/// The widget: one `<script>` tag and one `<div data-ratsuche>` element on any page.
const WIDGET_JS: &str = include_str!("embed/widget.js");

/// The `Content-Security-Policy` value that names who may frame ratsuche's pages.
pub(crate) fn frame_ancestors_policy(config: &ServeConfig) -> String {
    if config.frame_ancestors.iter().any(|origin| origin == "*") {
        return "frame-ancestors *".to_string();
    }
    let mut policy = "frame-ancestors 'self'".to_string();
    for origin in &config.frame_ancestors {
        policy.push(' ');
        policy.push_str(origin);
    }
    policy
}

/// Sets the frame policy on every response that has none.
pub(crate) fn frame_ancestors_layer(config: &ServeConfig) -> SetResponseHeaderLayer<HeaderValue> {
    let value = HeaderValue::from_str(&frame_ancestors_policy(config))
        // Origins are checked by `config::parse_origin`, so the value is a valid header.
        .unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'self'"));
    SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, value)
}

/// Answers cross-origin GETs from the configured origins.
pub(crate) fn cors_layer(config: &ServeConfig) -> CorsLayer {
    let allow_origin = if config.cors_origins.iter().any(|origin| origin == "*") {
        AllowOrigin::any()
    } else {
        let origins: Vec<HeaderValue> = config
            .cors_origins
            .iter()
            .filter_map(|origin| HeaderValue::from_str(origin).ok())
            .collect();
        AllowOrigin::list(origins)
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([Method::GET, Method::HEAD])
        .expose_headers([header::CONTENT_DISPOSITION])
}

/// `GET /widget.js`.
pub(crate) async fn widget() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        WIDGET_JS,
    )
        .into_response()
}

/// `GET /opensearch.xml`: the OpenSearch description; its URLs are absolute, built from the
/// address the request was sent to.
pub(crate) async fn opensearch(headers: HeaderMap) -> Response {
    let base = escape(&public_base(&headers));
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\
<ShortName>ratsuche</ShortName>\
<Description>Suche in Ratsdokumenten</Description>\
<InputEncoding>UTF-8</InputEncoding>\
<Language>de-de</Language>\
<Url type=\"text/html\" method=\"get\" template=\"{base}/?q={{searchTerms}}\"/>\
<Url type=\"application/json\" method=\"get\" template=\"{base}/api/search?q={{searchTerms}}\"/>\
<Url type=\"application/x-suggestions+json\" method=\"get\" template=\"{base}/api/suggest?q={{searchTerms}}&amp;format=opensearch\"/>\
<Url type=\"application/atom+xml\" method=\"get\" template=\"{base}/feed.atom?q={{searchTerms}}\"/>\
<Url type=\"application/opensearchdescription+xml\" rel=\"self\" template=\"{base}/opensearch.xml\"/>\
</OpenSearchDescription>\n"
    );
    (
        [(
            header::CONTENT_TYPE,
            "application/opensearchdescription+xml; charset=utf-8",
        )],
        xml,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(frame_ancestors: &[&str], expected: &str) {
        let config = ServeConfig {
            frame_ancestors: frame_ancestors.iter().map(|s| s.to_string()).collect(),
            ..ServeConfig::default()
        };
        assert_eq!(frame_ancestors_policy(&config), expected);
    }

    #[test]
    fn frame_policy_lists_the_origins() {
        check(&[], "frame-ancestors 'self'");
        check(
            &["https://ris.leipzig.de", "https://a.de"],
            "frame-ancestors 'self' https://ris.leipzig.de https://a.de",
        );
        check(&["https://a.de", "*"], "frame-ancestors *");
    }
}
