//! The gateway's decisions, shared by every gateway host (the Worker, the npm middleware):
//! what `enforce` answers for a verdict ([`decide`]), the `Accept-Signature` challenge of a
//! 401 ([`challenge`]), the `application/problem+json` bodies ([`Problem`]), and the
//! operator's rules — per-path routes and per-agent rules ([`Rules`]). The verdict header is
//! [`crate::verify::header_value`].

mod challenge;
mod decision;
mod problem;
mod rules;
mod settings;

pub use challenge::{LABEL as CHALLENGE_LABEL, challenge};
pub use decision::{Decision, Mode, RETRY_AFTER_SECONDS, decide};
pub use problem::{MEDIA_TYPE as PROBLEM_MEDIA_TYPE, Problem, title};
pub use rules::{
    AgentAccess, AgentAction, AgentDecision, AgentMatch, AgentRule, MAX_PATTERN_BYTES, MAX_RULES,
    PathPattern, RouteRule, RuleError, Rules,
};
pub use settings::{
    DEFAULT_CLOCK_SKEW_SECONDS, DEFAULT_MAX_LIFETIME_SECONDS, MAX_CHECKED_BODY_LIMIT,
    MAX_CLOCK_SKEW_SECONDS, MAX_MAX_LIFETIME_SECONDS, RESERVED_VERDICT_HEADERS, directory_access,
    route_policy, verdict_header_name,
};
