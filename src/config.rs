//! Configuration: every setting is a command-line flag with an environment variable beside it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// The address the server listens on unless told otherwise.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// Hits per page unless the client asks for another number.
pub const DEFAULT_PER_PAGE: usize = 20;
/// The most hits a client may ask for in one page.
pub const MAX_PER_PAGE: usize = 100;
/// The deepest page a client may ask for, in hits skipped.
pub const MAX_OFFSET: usize = 10_000;
/// The longest query text accepted, in bytes.
pub const MAX_QUERY_BYTES: usize = 2_000;

/// The largest file `/api/admin/ingest` accepts unless told otherwise.
pub const DEFAULT_ADMIN_MAX_UPLOAD: usize = 64 * 1024 * 1024;
/// The shortest admin token accepted: shorter ones are guessable.
pub const MIN_ADMIN_TOKEN_BYTES: usize = 16;
/// The environment variable that may hold the admin token itself (instead of a file).
pub const ADMIN_TOKEN_ENV: &str = "RATSUCHE_ADMIN_TOKEN";

/// Settings of the HTTP server.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeConfig {
    /// Address to listen on.
    #[arg(long, env = "RATSUCHE_ADDR", default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,
    /// Requests handled at once; more wait, and when the queue is full the server answers 503.
    #[arg(long, env = "RATSUCHE_MAX_CONCURRENCY", default_value_t = 64)]
    pub max_concurrency: usize,
    /// Searches run at once (0: two per core); more wait in turn, within the request timeout.
    /// Many more than the cores share them, which stretches each search by the number
    /// running, so a long one takes several times its CPU time under load.
    #[arg(long, env = "RATSUCHE_SEARCH_SLOTS", default_value_t = 0)]
    pub search_slots: usize,
    /// Seconds a request may take before it is answered with 503.
    #[arg(long, env = "RATSUCHE_REQUEST_TIMEOUT", default_value_t = 10)]
    pub request_timeout_secs: u64,
    /// File holding the bearer token of `/api/admin/` (the token may instead be put into
    /// RATSUCHE_ADMIN_TOKEN). Without a token the admin routes answer 401.
    #[arg(long, env = "RATSUCHE_ADMIN_TOKEN_FILE")]
    pub admin_token_file: Option<PathBuf>,
    /// Largest file `/api/admin/ingest` accepts, in bytes.
    #[arg(long, env = "RATSUCHE_ADMIN_MAX_UPLOAD", default_value_t = DEFAULT_ADMIN_MAX_UPLOAD)]
    pub admin_max_upload: usize,
    /// Origins whose pages may show ratsuche in a frame (CSP frame-ancestors), comma-separated,
    /// e.g. https://ris.example.de; `*` allows any. ratsuche's own origin always may.
    #[arg(long = "frame-ancestors", env = "RATSUCHE_FRAME_ANCESTORS", value_delimiter = ',', value_parser = parse_origin)]
    pub frame_ancestors: Vec<String>,
    /// Origins whose pages may call the JSON API, feeds and exports from a browser (CORS),
    /// comma-separated; `*` (the default) allows any, as the data is public and read-only.
    #[arg(long = "cors-origins", env = "RATSUCHE_CORS_ORIGINS", value_delimiter = ',', default_value = "*", value_parser = parse_origin)]
    pub cors_origins: Vec<String>,
}

/// Checks an origin for `--frame-ancestors` and `--cors-origins`: `*` or
/// `scheme://host[:port]`, nothing that could break out of a header value.
pub fn parse_origin(text: &str) -> Result<String, String> {
    let origin = text.trim().trim_end_matches('/');
    if origin == "*" {
        return Ok(origin.to_string());
    }
    let Some((scheme, host)) = origin.split_once("://") else {
        return Err(format!(
            "an origin is * or scheme://host[:port], got {text:?}"
        ));
    };
    let scheme_ok = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']' | '*'));
    if !scheme_ok || !host_ok {
        return Err(format!(
            "an origin is * or scheme://host[:port], got {text:?}"
        ));
    }
    Ok(origin.to_ascii_lowercase())
}

impl Default for ServeConfig {
    fn default() -> ServeConfig {
        ServeConfig {
            addr: DEFAULT_ADDR.parse().expect("the default address is valid"),
            max_concurrency: 64,
            search_slots: 0,
            request_timeout_secs: 10,
            admin_token_file: None,
            admin_max_upload: DEFAULT_ADMIN_MAX_UPLOAD,
            frame_ancestors: Vec::new(),
            cors_origins: vec!["*".to_string()],
        }
    }
}

impl ServeConfig {
    /// The searches run at once: `--search-slots`, or two per core.
    pub fn search_slots(&self) -> usize {
        match self.search_slots {
            0 => 2 * std::thread::available_parallelism().map_or(1, |n| n.get()),
            slots => slots,
        }
    }

    /// Reads the admin token: from `--admin-token-file`, else from RATSUCHE_ADMIN_TOKEN;
    /// `None` when neither is set. A token shorter than [`MIN_ADMIN_TOKEN_BYTES`] is refused.
    pub fn admin_token(&self) -> anyhow::Result<Option<AdminToken>> {
        let secret = match &self.admin_token_file {
            Some(path) => std::fs::read_to_string(path).map_err(|error| {
                anyhow::anyhow!(
                    "failed to read the admin token file {}: {error}",
                    path.display()
                )
            })?,
            None => match std::env::var(ADMIN_TOKEN_ENV) {
                Ok(secret) => secret,
                Err(_) => return Ok(None),
            },
        };
        AdminToken::new(secret.trim()).map(Some)
    }
}

/// The bearer token of the admin routes. Its `Debug` never shows the secret, and it is
/// compared in constant time.
#[derive(Clone)]
pub struct AdminToken(Vec<u8>);

impl AdminToken {
    /// Wraps a secret; refuses one shorter than [`MIN_ADMIN_TOKEN_BYTES`] or with whitespace
    /// or control characters (it travels in an HTTP header).
    pub fn new(secret: &str) -> anyhow::Result<AdminToken> {
        if secret.len() < MIN_ADMIN_TOKEN_BYTES {
            anyhow::bail!("the admin token must have at least {MIN_ADMIN_TOKEN_BYTES} bytes");
        }
        if secret
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
        {
            anyhow::bail!("the admin token must be printable ASCII without spaces");
        }
        Ok(AdminToken(secret.as_bytes().to_vec()))
    }

    /// Whether `candidate` is this token. Takes the same time wherever the first difference
    /// is, so response times do not reveal how much of a guess was right.
    pub fn matches(&self, candidate: &[u8]) -> bool {
        let mut difference = self.0.len() ^ candidate.len();
        for (idx, expected) in self.0.iter().enumerate() {
            let given = candidate.get(idx).copied().unwrap_or(0);
            difference |= usize::from(expected ^ given);
        }
        difference == 0
    }
}

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminToken(redacted)")
    }
}

/// Where the index lives.
#[derive(Debug, Clone, clap::Args)]
pub struct IndexConfig {
    /// Folder of the search index (created when missing).
    #[arg(long = "index", env = "RATSUCHE_INDEX")]
    pub dir: PathBuf,
}

/// How `sync` (and `serve --sync-every`) treats a council's OParl server.
#[derive(Debug, Clone, clap::Args)]
pub struct SyncConfig {
    /// Requests per second sent to the council's servers, over all threads.
    #[arg(long, env = "RATSUCHE_SYNC_RATE", default_value_t = 2.0)]
    pub rate_limit: f64,
    /// Downloads in flight at once.
    #[arg(long, env = "RATSUCHE_SYNC_CONCURRENCY", default_value_t = crate::sync::DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
    /// Seconds one HTTP request may take, body included.
    #[arg(
        long = "http-timeout",
        env = "RATSUCHE_SYNC_TIMEOUT",
        default_value_t = 60
    )]
    pub timeout_secs: u64,
    /// How often a request is tried again after a 429, a 5xx, a timeout or a rate-limit page.
    #[arg(long, env = "RATSUCHE_SYNC_RETRIES", default_value_t = 5)]
    pub retries: u32,
    /// How far before the last complete pass later runs ask for changes (e.g. 2h).
    #[arg(long, env = "RATSUCHE_SYNC_OVERLAP", default_value = "2h", value_parser = crate::sync::parse_duration)]
    pub overlap: Duration,
    /// A URL or mail address put into the User-Agent, so the council knows whom to ask.
    #[arg(long, env = "RATSUCHE_CONTACT")]
    pub contact: Option<String>,
    /// Stop after this many list pages; the next run resumes there.
    #[arg(long, env = "RATSUCHE_SYNC_MAX_PAGES")]
    pub max_pages: Option<usize>,
    /// Do not read ALLRIS Vorlage pages for originators that OParl lacks.
    #[arg(long)]
    pub no_enrich: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_token(token: &str, candidate: &str, expected: bool) {
        let token = AdminToken::new(token).unwrap();
        assert_eq!(
            token.matches(candidate.as_bytes()),
            expected,
            "{candidate:?}"
        );
    }

    fn check_origin(text: &str, expected: Result<&str, ()>) {
        assert_eq!(
            parse_origin(text).map_err(|_| ()).as_deref(),
            expected.as_deref(),
            "{text}"
        );
    }

    #[test]
    fn admin_token_matches_only_itself() {
        check_token("0123456789abcdef", "0123456789abcdef", true);
        check_token("0123456789abcdef", "0123456789abcdeF", false);
        check_token("0123456789abcdef", "0123456789abcde", false);
        check_token("0123456789abcdef", "0123456789abcdef0", false);
        check_token("0123456789abcdef", "", false);
    }

    #[test]
    fn weak_or_odd_admin_tokens_are_refused() {
        assert!(AdminToken::new("short").is_err());
        assert!(AdminToken::new("0123456789 abcdef").is_err());
        assert!(AdminToken::new("0123456789abcdefä").is_err());
        assert!(format!("{:?}", AdminToken::new("0123456789abcdef").unwrap()).contains("redacted"));
    }

    #[test]
    fn origins_are_checked() {
        check_origin("*", Ok("*"));
        check_origin("https://RIS.Leipzig.de/", Ok("https://ris.leipzig.de"));
        check_origin("http://127.0.0.1:8081", Ok("http://127.0.0.1:8081"));
        check_origin("https://*.leipzig.de", Ok("https://*.leipzig.de"));
        check_origin("ris.leipzig.de", Err(()));
        check_origin("https://a.de; script-src *", Err(()));
        check_origin("https://a.de/path", Err(()));
        check_origin("", Err(()));
    }
}
