//! The CLI's fetcher: blocking HTTPS under the rules the core states for every fetch
//! ([`httpseal::fetch::FetchRules`]): the core's `Accept` header, no redirects, the body read
//! up to the limit plus one byte, the whole exchange within the timeout. The URL was checked
//! by the core already; `https_only` follows the rules' development switch.

use httpseal::fetch::{FetchFailure, FetchRules, FetchedResponse};
use std::io::Read;
use std::time::Duration;

/// GETs `url` under `rules`. Any status is a response (the core decides what counts).
pub fn fetch(url: &str, rules: &FetchRules) -> Result<FetchedResponse, FetchFailure> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_millis(rules.timeout_ms)))
        .max_redirects(0)
        .http_status_as_error(false)
        .https_only(!rules.allow_insecure)
        .user_agent(concat!("httpseal/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header("Accept", rules.accept)
        .call()
        .map_err(|e| match e {
            ureq::Error::Timeout(_) => FetchFailure::Timeout {
                ms: rules.timeout_ms,
            },
            other => FetchFailure::Network(other.to_string()),
        })?;
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
    let limit = rules.max_body_bytes as u64;
    let mut body = Vec::new();
    response
        .body_mut()
        .with_config()
        .limit(limit + 1)
        .reader()
        .take(limit + 1)
        .read_to_end(&mut body)
        .map_err(|e| FetchFailure::Network(e.to_string()))?;
    if body.len() as u64 > limit {
        return Err(FetchFailure::TooLarge {
            limit: rules.max_body_bytes,
        });
    }
    Ok(FetchedResponse {
        status,
        headers,
        body,
    })
}
