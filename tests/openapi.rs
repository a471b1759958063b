//! `/api/openapi.json`: valid JSON, names every public route, and real responses validate
//! against its schemas (checked by a small validator for the subset of OpenAPI 3.0 schemas the
//! document uses: `$ref`, `type`, `nullable`, `required`, `properties`, `items`, `enum`,
//! `oneOf`, `minimum`/`maximum`, `minItems`/`maxItems`, `format: date`).

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{get, get_json, sample_index};

/// Every route the router serves, read from `src/http.rs`, in OpenAPI path syntax.
fn router_paths() -> Vec<String> {
    let source =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/http.rs")).unwrap();
    source
        .split(".route(\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|path| path.replace("{*", "{"))
        .collect()
}

/// Follows a `$ref` within the document.
fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.trim_start_matches('#');
            document
                .pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {reference}"))
        }
        None => schema,
    }
}

/// Errors of `value` against `schema`, each with its JSON path.
fn validate(document: &Value, schema: &Value, value: &Value, path: &str) -> Vec<String> {
    let schema = resolve(document, schema);
    let mut errors = Vec::new();
    if value.is_null() {
        if schema.get("nullable") != Some(&Value::Bool(true)) && schema.get("type").is_some() {
            errors.push(format!("{path}: null but not nullable"));
        }
        return errors;
    }
    if let Some(choices) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = choices
            .iter()
            .filter(|choice| validate(document, choice, value, path).is_empty())
            .count();
        if matching != 1 {
            errors.push(format!("{path}: matches {matching} of oneOf"));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            errors.push(format!("{path}: {value} not in {allowed:?}"));
        }
    }
    let type_ok = match schema.get("type").and_then(Value::as_str) {
        None => true,
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_u64() || value.is_i64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some(other) => panic!("unknown type {other}"),
    };
    if !type_ok {
        errors.push(format!("{path}: {value} is not of type {}", schema["type"]));
        return errors;
    }
    if let (Some(minimum), Some(number)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if number < minimum {
            errors.push(format!("{path}: {number} < {minimum}"));
        }
    }
    if let (Some(maximum), Some(number)) = (
        schema.get("maximum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if number > maximum {
            errors.push(format!("{path}: {number} > {maximum}"));
        }
    }
    if schema.get("format").and_then(Value::as_str) == Some("date") {
        let text = value.as_str().unwrap_or("");
        if chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err() {
            errors.push(format!("{path}: {text:?} is not a date"));
        }
    }
    if let Some(object) = value.as_object() {
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().unwrap();
            if !object.contains_key(name) {
                errors.push(format!("{path}: lacks {name}"));
            }
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            for (name, property) in properties {
                if let Some(field) = object.get(name) {
                    errors.extend(validate(
                        document,
                        property,
                        field,
                        &format!("{path}.{name}"),
                    ));
                }
            }
        }
    }
    if let Some(items) = value.as_array() {
        let length = items.len() as u64;
        if schema
            .get("minItems")
            .and_then(Value::as_u64)
            .is_some_and(|min| length < min)
        {
            errors.push(format!("{path}: too few items"));
        }
        if schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|max| length > max)
        {
            errors.push(format!("{path}: too many items"));
        }
        if let Some(item_schema) = schema.get("items") {
            for (item_idx, item) in items.iter().enumerate() {
                errors.extend(validate(
                    document,
                    item_schema,
                    item,
                    &format!("{path}[{item_idx}]"),
                ));
            }
        }
    }
    errors
}

/// The documented path template that `path` (no query) falls under.
fn template_of<'a>(document: &'a Value, path: &str) -> &'a str {
    document["paths"]
        .as_object()
        .unwrap()
        .keys()
        .find(|template| match template.split_once('{') {
            Some((prefix, _)) => path.starts_with(prefix) && path.len() > prefix.len(),
            None => template.as_str() == path,
        })
        .unwrap_or_else(|| panic!("{path} is not documented"))
}

#[tokio::test]
async fn openapi_names_every_route_and_real_responses_validate() {
    let test = sample_index(60);
    let app = test.app();
    let (status, document) = get_json(&app, "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(document["openapi"], "3.0.3");
    let documented: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
    let routes = router_paths();
    assert!(routes.len() >= 12, "{routes:?}");
    for route in &routes {
        if route.starts_with("/api/admin/") {
            continue;
        }
        assert!(
            documented.contains(&route),
            "{route} is served but not documented"
        );
    }
    for path in &documented {
        assert!(routes.contains(path), "{path} is documented but not served");
    }
    // Every $ref resolves.
    let text = document.to_string();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let target = reference.split('"').next().unwrap();
        assert!(
            document.pointer(target.trim_start_matches('#')).is_some(),
            "{target}"
        );
    }

    let (_, found) = get_json(&app, "/api/search?q=Telearbeit&per_page=1").await;
    let document_url = found["hits"][0]["url"]
        .as_str()
        .unwrap()
        .replace("/documents/", "/api/documents/");
    // Longer than the server's limit on the request target: 414, documented as such.
    let long_uri = format!("/api/search?q={}", "Radweg+".repeat(1200));
    let uris = [
        "/api/search",
        "/api/search?q=Telearbeit&type=Antrag&type=Anfrage&sort=date_desc&per_page=5",
        "/api/search?q=%22mobile%20Arbeit%22%20-Homeoffice&from=2015-01-01&to=2024-12-31",
        "/api/search?per_page=101",
        "/api/search?sort=popular",
        document_url.as_str(),
        "/api/documents/VII-X-99999",
        "/api/suggest?q=Tele",
        "/api/suggest?q=vii-",
        "/api/suggest?q=Tele&format=opensearch",
        "/api/suggest?limit=0",
        "/healthz",
        "/export.json?q=Radweg",
        "/export.json?from=2020-02-30",
        long_uri.as_str(),
    ];
    for uri in uris {
        let (status, body) = get_json(&app, uri).await;
        let path = uri.split('?').next().unwrap();
        let template = template_of(&document, path);
        let response = &document["paths"][template]["get"]["responses"][status.as_str()];
        assert!(
            response.is_object(),
            "{uri}: status {status} is not documented"
        );
        let schema = &response["content"]["application/json"]["schema"];
        let errors = validate(&document, schema, &body, "$");
        assert!(errors.is_empty(), "{uri}: {errors:?}\n{body}");
    }
    // The non-JSON routes answer with their documented content types.
    for uri in [
        "/",
        "/feed.atom?q=Radweg",
        "/export.csv",
        "/widget.js",
        "/opensearch.xml",
    ] {
        let (status, content_type, _) = get(&app, uri).await;
        let template = template_of(&document, uri.split('?').next().unwrap());
        let content = &document["paths"][template]["get"]["responses"][status.as_str()]["content"];
        let media_type = content_type.split(';').next().unwrap();
        assert!(
            content.get(media_type).is_some(),
            "{uri}: {content_type} is not documented"
        );
    }
}
