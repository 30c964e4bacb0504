//! Operator rules for a gateway: per-path routes (mode, profile, rule overrides, rate
//! limiting) and per-agent rules (allow, deny, overrides), one JSON document read by every
//! gateway (the Worker's `RULES`, the npm middleware's `rules`).
//!
//! ```json
//! {
//!   "routes": [
//!     {"name": "checkout", "path": "/checkout/*", "mode": "enforce", "rateLimit": true},
//!     {"path": "/api/*", "mode": "enforce", "policy": {"maxLifetime": 300}}
//!   ],
//!   "default": {"mode": "annotate"},
//!   "agents": [
//!     {"name": "shopify", "identifier": "https://shopify.com", "action": "allow",
//!      "policy": {"maxLifetime": 7776000}},
//!     {"thumbprint": "NFcWBst6DXG-N35nHdzMrioWntdzNZghQSkjHNMMSjw", "action": "deny"}
//!   ]
//! }
//! ```
//!
//! A path pattern is matched against the request path; `*` matches any run of characters
//! (`/api/*` is everything under `/api/`, `*` everything). The first route that matches
//! decides; `default` (or the gateway's own mode and profile) otherwise. Agent rules attach
//! only to identifiers the verifier resolved itself (draft -01 §4.1: no policy on an
//! unresolved claim): a deny rule refuses a *verified* request from that agent; an agent's
//! `policy` overrides apply while verifying it (e.g. a longer maximum lifetime for one
//! agent's static signatures) and only once its key was found at its URL; a route with
//! `"agents": "allowlist"` lets through only agents an `allow` rule names.

use super::decision::Mode;
use super::problem::Problem;
use crate::api::PolicyJson;
use crate::error::{Error, Result};
use crate::job::IdentifierPolicy;
use crate::profile::Profile;
use crate::verify::{Policy, Verdict};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use serde::Deserialize;

/// Most route rules, and most agent rules, in one document.
pub const MAX_RULES: usize = 64;
/// Longest path pattern, bytes.
pub const MAX_PATTERN_BYTES: usize = 256;

/// A rule the document gets wrong: which one, and what would be right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// The rule (`routes[1]`, `agents[0]` or its name, `default`).
    pub rule: String,
    /// What is wrong and what would be right.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.rule, self.message)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RulesJson {
    #[serde(default)]
    routes: Vec<RouteJson>,
    #[serde(default)]
    default: Option<RouteJson>,
    #[serde(default)]
    agents: Vec<AgentJson>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RouteJson {
    name: Option<String>,
    path: Option<String>,
    mode: Option<String>,
    profile: Option<String>,
    policy: Option<PolicyJson>,
    rate_limit: Option<bool>,
    agents: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentJson {
    name: Option<String>,
    identifier: Option<String>,
    thumbprint: Option<String>,
    action: Option<String>,
    policy: Option<PolicyJson>,
}

/// A path pattern: literal text and `*` (any run of characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathPattern(String);

impl PathPattern {
    /// Whether `path` matches.
    pub fn matches(&self, path: &str) -> bool {
        glob(self.0.as_bytes(), path.as_bytes())
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `*`-only glob, iterative (no recursion, linear in practice: one backtrack point).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

/// What agents a route lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentAccess {
    /// Any agent that verifies (subject to deny rules).
    Any,
    /// Only agents an `allow` rule names.
    Allowlist,
}

/// One route rule, read and checked.
#[derive(Debug, Clone)]
pub struct RouteRule {
    /// Its name (given, or `routes[i]`, or `default`).
    pub name: String,
    /// Its pattern (`None` for the default).
    pub pattern: Option<PathPattern>,
    /// What the gateway does with requests that are not verified.
    pub mode: Mode,
    /// The profile.
    pub profile: Profile,
    /// Its rule overrides, applied on top of the profile (and the gateway's settings).
    pub overrides: Option<PolicyJson>,
    /// Rate-limit verified agents per (route, identifier).
    pub rate_limit: bool,
    /// Which verified agents may pass.
    pub agents: AgentAccess,
}

/// What an agent rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgentAction {
    /// Allowed (and named by `allowlist` routes).
    Allow,
    /// Refused with 403.
    Deny,
}

/// Which agent a rule is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentMatch {
    /// An agent URL (normalised as verdict identifiers are; a bare origin means its
    /// well-known directory, as `Signature-Agent` does).
    Identifier(String),
    /// A key, by its RFC 7638 thumbprint.
    Thumbprint(String),
}

/// One agent rule, read and checked.
#[derive(Debug, Clone)]
pub struct AgentRule {
    /// Its name (given, or `agents[i]`).
    pub name: String,
    /// The agent.
    pub agent: AgentMatch,
    /// What to do.
    pub action: AgentAction,
    /// Rule overrides while verifying this agent.
    pub overrides: Option<PolicyJson>,
}

impl AgentRule {
    /// Whether the rule is about the agent a verdict names.
    pub fn matches(&self, verdict: &Verdict) -> bool {
        let Some(identifier) = verdict.identifier.as_deref() else {
            return false;
        };
        match &self.agent {
            AgentMatch::Identifier(id) => id == identifier,
            AgentMatch::Thumbprint(t) => t == identifier,
        }
    }

    fn identifier(&self) -> &str {
        match &self.agent {
            AgentMatch::Identifier(id) | AgentMatch::Thumbprint(id) => id,
        }
    }
}

/// A gateway's rules.
#[derive(Debug, Clone)]
pub struct Rules {
    routes: Vec<RouteRule>,
    default: RouteRule,
    agents: Vec<AgentRule>,
}

/// What the gateway does about a verified agent, once its rules are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentDecision {
    /// Let it through.
    Pass,
    /// Refuse it: 403, with a problem naming the rule.
    Refuse {
        /// The 403 problem.
        problem: Problem,
        /// The rule that refused it (an agent rule's or a route's name).
        rule: String,
    },
}

impl Rules {
    /// No rules: every request under `mode` and `profile`.
    pub fn single(mode: Mode, profile: Profile) -> Self {
        Rules {
            routes: Vec::new(),
            default: RouteRule {
                name: "default".into(),
                pattern: None,
                mode,
                profile,
                overrides: None,
                rate_limit: false,
                agents: AgentAccess::Any,
            },
            agents: Vec::new(),
        }
    }

    /// Reads a rules document; `mode` and `profile` are the defaults where the document
    /// does not say. Every error names the rule it is about.
    pub fn parse(
        text: &str,
        mode: Mode,
        profile: Profile,
    ) -> core::result::Result<Self, RuleError> {
        let doc: RulesJson = serde_json::from_str(text).map_err(|e| RuleError {
            rule: "rules".into(),
            message: format!(
                "not a rules document ({e}); expected {{\"routes\": [...], \"default\": {{...}}, \"agents\": [...]}}"
            ),
        })?;
        if doc.routes.len() > MAX_RULES || doc.agents.len() > MAX_RULES {
            return Err(RuleError {
                rule: "rules".into(),
                message: format!("more than {MAX_RULES} routes or agents"),
            });
        }
        let mut rules = Rules::single(mode, profile);
        if let Some(d) = doc.default {
            if d.path.is_some() {
                return Err(RuleError {
                    rule: "default".into(),
                    message: "the default applies to every path; it takes no \"path\"".into(),
                });
            }
            rules.default = route(d, "default".into(), mode, profile)?;
        }
        for (i, r) in doc.routes.into_iter().enumerate() {
            let name = r.name.clone().unwrap_or_else(|| format!("routes[{i}]"));
            if r.path.is_none() {
                return Err(RuleError {
                    rule: name,
                    message: "a route needs a \"path\" pattern, e.g. \"/api/*\"".into(),
                });
            }
            rules
                .routes
                .push(route(r, name, rules.default.mode, rules.default.profile)?);
        }
        for (i, a) in doc.agents.into_iter().enumerate() {
            let name = a.name.clone().unwrap_or_else(|| format!("agents[{i}]"));
            rules.agents.push(agent(a, name)?);
        }
        Ok(rules)
    }

    /// The route for `path`: the first that matches, else the default.
    pub fn route_for(&self, path: &str) -> &RouteRule {
        self.routes
            .iter()
            .find(|r| r.pattern.as_ref().is_some_and(|p| p.matches(path)))
            .unwrap_or(&self.default)
    }

    /// Every route, then the default.
    pub fn routes(&self) -> impl Iterator<Item = &RouteRule> {
        self.routes.iter().chain(core::iter::once(&self.default))
    }

    /// The agent rules.
    pub fn agents(&self) -> &[AgentRule] {
        &self.agents
    }

    /// The policies the verifier job applies per identifier under `route` whose base policy
    /// is `policy`: the agent rules' overrides.
    pub fn identifier_policies(&self, policy: &Policy) -> Result<Vec<IdentifierPolicy>> {
        self.agents
            .iter()
            .filter_map(|a| a.overrides.as_ref().map(|o| (a, o)))
            .map(|(a, o)| {
                let mut p = policy.clone();
                o.apply(&mut p)?;
                Ok(IdentifierPolicy {
                    identifier: a.identifier().to_string(),
                    policy: p,
                })
            })
            .collect()
    }

    /// What to do with `verdict` under `route` (agent rules concern verified verdicts only:
    /// their identifiers are the ones the verifier resolved itself).
    pub fn agent_decision(&self, route: &RouteRule, verdict: &Verdict) -> AgentDecision {
        if !verdict.is_verified() {
            return AgentDecision::Pass;
        }
        let rule = self.agents.iter().find(|a| a.matches(verdict));
        match (rule, route.agents) {
            (Some(r), _) if r.action == AgentAction::Deny => AgentDecision::Refuse {
                problem: Problem::new(
                    403,
                    "agent_denied",
                    format!(
                        "agent rule {:?} denies {}",
                        r.name,
                        verdict.identifier.as_deref().unwrap_or("this agent")
                    ),
                ),
                rule: r.name.clone(),
            },
            (Some(_), _) | (None, AgentAccess::Any) => AgentDecision::Pass,
            (None, AgentAccess::Allowlist) => AgentDecision::Refuse {
                problem: Problem::new(
                    403,
                    "agent_not_allowed",
                    format!(
                        "route {:?} lets through only the agents an allow rule names, and none names {}",
                        route.name,
                        verdict.identifier.as_deref().unwrap_or("this agent")
                    ),
                ),
                rule: route.name.clone(),
            },
        }
    }

    /// The rate-limit key of a verified request under `route` (per route and identifier),
    /// `None` when the route does not rate-limit or the request is not verified (unsigned and
    /// unverified traffic is left to the operator's other controls).
    pub fn rate_limit_key(&self, route: &RouteRule, verdict: &Verdict) -> Option<String> {
        (route.rate_limit && verdict.is_verified()).then(|| {
            format!(
                "{}|{}",
                route.name,
                verdict.identifier.as_deref().unwrap_or("")
            )
        })
    }

    /// The answer to a verified agent the rate limiter says is over its limit on `route`:
    /// `429 rate_limited`, to send with `Retry-After: retry_after`.
    pub fn rate_limited(route: &RouteRule, verdict: &Verdict, retry_after: u64) -> Problem {
        Problem::new(
            429,
            "rate_limited",
            format!(
                "{} is over the rate limit of route {:?}; retry after {retry_after} s",
                verdict.identifier.as_deref().unwrap_or("this agent"),
                route.name,
            ),
        )
    }
}

fn route(
    r: RouteJson,
    name: String,
    mode: Mode,
    profile: Profile,
) -> core::result::Result<RouteRule, RuleError> {
    let err = |message: String| RuleError {
        rule: name.clone(),
        message,
    };
    let pattern = match r.path {
        None => None,
        Some(p) if p.len() > MAX_PATTERN_BYTES => {
            return Err(err(format!(
                "the path pattern is longer than {MAX_PATTERN_BYTES} bytes"
            )));
        }
        Some(p) if !(p.starts_with('/') || p == "*") => {
            return Err(err(format!(
                "path {p:?} must start with / (e.g. \"/api/*\") or be \"*\""
            )));
        }
        Some(p) => Some(PathPattern(p)),
    };
    let mode = match r.mode.as_deref() {
        None => mode,
        Some(m) => Mode::from_name(m)
            .ok_or_else(|| err(format!("mode {m:?} is not a mode; use annotate or enforce")))?,
    };
    let profile = match r.profile.as_deref() {
        None => profile,
        Some(p) => Profile::from_name(p).map_err(|_| {
            err(format!(
                "profile {p:?} is not a profile; use web-bot-auth, rfc9421, fediverse or visa-tap"
            ))
        })?,
    };
    if let Some(o) = &r.policy {
        o.apply(&mut profile.policy())
            .map_err(|e| err(format!("policy: {e}")))?;
    }
    let agents = match r.agents.as_deref() {
        None | Some("any") => AgentAccess::Any,
        Some("allowlist") => AgentAccess::Allowlist,
        Some(other) => {
            return Err(err(format!(
                "agents {other:?} is not an agent setting; use \"any\" (default) or \"allowlist\""
            )));
        }
    };
    Ok(RouteRule {
        name: name.clone(),
        pattern,
        mode,
        profile,
        overrides: r.policy,
        rate_limit: r.rate_limit.unwrap_or(false),
        agents,
    })
}

fn agent(a: AgentJson, name: String) -> core::result::Result<AgentRule, RuleError> {
    let err = |message: String| RuleError {
        rule: name.clone(),
        message,
    };
    let matcher = match (a.identifier, a.thumbprint) {
        (Some(url), None) => AgentMatch::Identifier(
            agent_identifier(&url).map_err(|e| err(format!("identifier: {e}")))?,
        ),
        (None, Some(t))
            if t.len() == 43
                && t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            AgentMatch::Thumbprint(t)
        }
        (None, Some(t)) => {
            return Err(err(format!(
                "thumbprint {t:?} is not an RFC 7638 SHA-256 thumbprint (43 base64url characters)"
            )));
        }
        _ => {
            return Err(err(
                "an agent rule names exactly one of \"identifier\" (the agent's URL) or \"thumbprint\"".into(),
            ));
        }
    };
    let action = match a.action.as_deref() {
        Some("allow") => AgentAction::Allow,
        Some("deny") => AgentAction::Deny,
        Some(other) => return Err(err(format!("action {other:?} is not allow or deny"))),
        None => {
            return Err(err(
                "an agent rule needs an \"action\": allow or deny".into()
            ));
        }
    };
    if let Some(o) = &a.policy {
        if action == AgentAction::Deny {
            return Err(err("a deny rule takes no policy".into()));
        }
        o.apply(&mut Policy::default())
            .map_err(|e| err(format!("policy: {e}")))?;
    }
    Ok(AgentRule {
        name,
        agent: matcher,
        action,
        overrides: a.policy,
    })
}

/// An agent URL as verdicts name it: a bare origin is its well-known directory, any other
/// URL normalised (the rules of [`crate::webbotauth::AgentMember::locate`]).
fn agent_identifier(url: &str) -> Result<String> {
    let member = crate::webbotauth::AgentMember {
        key: None,
        uri: url.into(),
        declared_type: None,
    };
    member
        .locate(crate::webbotauth::AgentOptions {
            allow_http: true,
            draft00_members: false,
        })
        .map(|l| l.identifier)
        .map_err(|e: Error| e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::Outcome;

    fn rules(text: &str) -> Rules {
        Rules::parse(text, Mode::Annotate, Profile::WebBotAuth).unwrap()
    }

    fn error(text: &str) -> RuleError {
        Rules::parse(text, Mode::Annotate, Profile::WebBotAuth).unwrap_err()
    }

    fn verified(identifier: &str) -> Verdict {
        let mut v = Verdict::from_error(Error::NoSignature);
        v.verdict = Outcome::Verified;
        v.error = None;
        v.identifier = Some(identifier.into());
        v
    }

    #[test]
    fn patterns() {
        let p = |s: &str| PathPattern(s.into());
        assert!(p("/api/*").matches("/api/"));
        assert!(p("/api/*").matches("/api/v1/items"));
        assert!(!p("/api/*").matches("/apix"));
        assert!(!p("/api/*").matches("/api"));
        assert!(p("*").matches("/anything"));
        assert!(p("/a/*/b").matches("/a/x/y/b"));
        assert!(!p("/a/*/b").matches("/a/x/y/c"));
        assert!(p("/exact").matches("/exact"));
        assert!(!p("/exact").matches("/exact/"));
        assert!(p("*.json").matches("/x/y.json"));
        // Many stars against a long path stay linear (one backtrack point).
        assert!(!p("/*a*a*a*a*a*a*a*b").matches(&format!("/{}", "a".repeat(5000))));
    }

    #[test]
    fn first_match_wins_then_the_default() {
        let r = rules(
            r#"{"routes":[{"name":"checkout","path":"/checkout/*","mode":"enforce","rateLimit":true},
                          {"path":"/api/*","mode":"enforce","profile":"rfc9421","policy":{"maxLifetime":300}},
                          {"path":"/*","mode":"annotate"}],
                "default":{"mode":"enforce"}}"#,
        );
        let c = r.route_for("/checkout/pay");
        assert_eq!(
            (c.name.as_str(), c.mode, c.rate_limit),
            ("checkout", Mode::Enforce, true)
        );
        let a = r.route_for("/api/x");
        assert_eq!(
            (a.name.as_str(), a.profile),
            ("routes[1]", Profile::Rfc9421)
        );
        assert_eq!(r.route_for("/home").name, "routes[2]");
        let only_default = rules(r#"{"default":{"mode":"enforce","profile":"fediverse"}}"#);
        let d = only_default.route_for("/x");
        assert_eq!(
            (d.name.as_str(), d.mode, d.profile),
            ("default", Mode::Enforce, Profile::Fediverse)
        );
        // Routes inherit the default's mode and profile.
        let inherit = rules(r#"{"routes":[{"path":"/a"}],"default":{"mode":"enforce"}}"#);
        assert_eq!(inherit.route_for("/a").mode, Mode::Enforce);
    }

    #[test]
    fn agents_allow_deny_allowlists_and_overrides() {
        let r = rules(
            r#"{"routes":[{"path":"/partners/*","agents":"allowlist"}],
                "agents":[{"name":"shopify","identifier":"https://shopify.com","action":"allow","policy":{"maxLifetime":7776000}},
                          {"thumbprint":"NFcWBst6DXG-N35nHdzMrioWntdzNZghQSkjHNMMSjw","action":"deny"}]}"#,
        );
        let shopify = "https://shopify.com/.well-known/http-message-signatures-directory";
        assert_eq!(r.agents()[0].agent, AgentMatch::Identifier(shopify.into()));
        let home = r.route_for("/");
        let partners = r.route_for("/partners/x");
        assert_eq!(
            r.agent_decision(home, &verified(shopify)),
            AgentDecision::Pass
        );
        assert_eq!(
            r.agent_decision(partners, &verified(shopify)),
            AgentDecision::Pass
        );
        let other = verified("https://other.example/keys.json");
        assert_eq!(r.agent_decision(home, &other), AgentDecision::Pass);
        match r.agent_decision(partners, &other) {
            AgentDecision::Refuse { problem: p, rule } => assert_eq!(
                (p.status, p.code.as_str(), rule.as_str()),
                (403, "agent_not_allowed", "routes[0]")
            ),
            other => panic!("{other:?}"),
        }
        match r.agent_decision(
            home,
            &verified("NFcWBst6DXG-N35nHdzMrioWntdzNZghQSkjHNMMSjw"),
        ) {
            AgentDecision::Refuse { problem: p, rule } => {
                assert_eq!(
                    (p.status, p.code.as_str(), rule.as_str()),
                    (403, "agent_denied", "agents[1]")
                );
                assert!(p.detail.contains("agents[1]"), "{}", p.detail);
            }
            other => panic!("{other:?}"),
        }
        // Rules never apply to identifiers the verifier did not resolve.
        let mut unverified = verified("NFcWBst6DXG-N35nHdzMrioWntdzNZghQSkjHNMMSjw");
        unverified.fail(Error::UnknownKey("k".into()));
        assert_eq!(r.agent_decision(home, &unverified), AgentDecision::Pass);
        let policies = r
            .identifier_policies(&Profile::WebBotAuth.policy())
            .unwrap();
        assert_eq!(policies.len(), 1);
        assert_eq!(policies[0].identifier, shopify);
        assert_eq!(policies[0].policy.max_lifetime, Some(7_776_000));
    }

    #[test]
    fn rate_limit_keys_are_per_route_and_identifier() {
        let r = rules(r#"{"routes":[{"name":"api","path":"/api/*","rateLimit":true}]}"#);
        let api = r.route_for("/api/x");
        let v = verified("https://a.example/keys.json");
        assert_eq!(
            r.rate_limit_key(api, &v).as_deref(),
            Some("api|https://a.example/keys.json")
        );
        assert_eq!(r.rate_limit_key(r.route_for("/home"), &v), None);
        let mut u = v.clone();
        u.fail(Error::NoSignature);
        assert_eq!(
            r.rate_limit_key(api, &u),
            None,
            "unverified traffic is not rate-limited here"
        );
    }

    #[test]
    fn bad_rules_name_the_rule_and_what_would_be_right() {
        let cases = [
            ("{", "rules", "not a rules document"),
            (r#"{"routez":[]}"#, "rules", "not a rules document"),
            (
                r#"{"routes":[{"mode":"enforce"}]}"#,
                "routes[0]",
                "needs a \"path\"",
            ),
            (
                r#"{"routes":[{"name":"x","path":"api/*"}]}"#,
                "x",
                "must start with /",
            ),
            (
                r#"{"routes":[{"path":"/a","mode":"block"}]}"#,
                "routes[0]",
                "use annotate or enforce",
            ),
            (
                r#"{"routes":[{"path":"/a","profile":"wba"}]}"#,
                "routes[0]",
                "visa-tap",
            ),
            (
                r#"{"routes":[{"path":"/a","policy":{"maxAge":"soon"}}]}"#,
                "routes[0]",
                "policy",
            ),
            (
                r#"{"routes":[{"path":"/a","agents":"some"}]}"#,
                "routes[0]",
                "allowlist",
            ),
            (
                r#"{"default":{"path":"/a"}}"#,
                "default",
                "takes no \"path\"",
            ),
            (
                r#"{"agents":[{"action":"allow"}]}"#,
                "agents[0]",
                "exactly one of",
            ),
            (
                r#"{"agents":[{"identifier":"ftp://a","action":"allow"}]}"#,
                "agents[0]",
                "identifier",
            ),
            (
                r#"{"agents":[{"thumbprint":"abc","action":"deny"}]}"#,
                "agents[0]",
                "43 base64url",
            ),
            (
                r#"{"agents":[{"identifier":"https://a.example","action":"block"}]}"#,
                "agents[0]",
                "allow or deny",
            ),
            (
                r#"{"agents":[{"identifier":"https://a.example"}]}"#,
                "agents[0]",
                "needs an \"action\"",
            ),
            (
                r#"{"agents":[{"identifier":"https://a.example","action":"deny","policy":{}}]}"#,
                "agents[0]",
                "no policy",
            ),
        ];
        for (text, rule, says) in cases {
            let e = error(text);
            assert_eq!(e.rule, rule, "{text}: {e}");
            assert!(e.to_string().contains(says), "{text}: {e}");
        }
        let many = format!(
            r#"{{"routes":[{}]}}"#,
            (0..=MAX_RULES)
                .map(|_| r#"{"path":"/a"}"#)
                .collect::<Vec<_>>()
                .join(",")
        );
        assert!(error(&many).message.contains("more than"));
    }
}
