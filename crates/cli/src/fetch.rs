//! Fetching key documents over HTTPS for the CLI, with the limits the protocol asks of
//! verifiers: a byte limit, a timeout, no redirects, 200 only.

use crate::CliError;
use httpseal::webbotauth::{self, MAX_DIRECTORY_BYTES};
use std::time::Duration;

/// Wall-clock limit for one fetch.
pub const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// A fetched document.
pub struct Fetched {
    pub status: u16,
    pub content_type: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// GETs `url` (https, or http with `allow_http`), without following redirects.
pub fn fetch(url: &str, allow_http: bool) -> Result<Fetched, CliError> {
    webbotauth::check_agent_url(url, allow_http)
        .map_err(|e| CliError::Input(format!("{url}: {e}")))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(FETCH_TIMEOUT))
        .max_redirects(0)
        .http_status_as_error(false)
        .https_only(!allow_http)
        .user_agent(concat!("httpseal/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header("Accept", webbotauth::DIRECTORY_MEDIA_TYPE)
        .call()
        .map_err(|e| CliError::Input(format!("cannot fetch {url}: {e}")))?;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header("content-type");
    let headers = response
        .headers()
        .iter()
        .filter_map(|(n, v)| {
            v.to_str()
                .ok()
                .map(|v| (n.as_str().to_string(), v.to_string()))
        })
        .collect();
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_DIRECTORY_BYTES as u64)
        .read_to_vec()
        .map_err(|e| CliError::Input(format!("{url}: {e}")))?;
    Ok(Fetched {
        status,
        content_type,
        headers,
        body,
    })
}
