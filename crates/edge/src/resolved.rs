//! The agent directories resolved for one request: the key store a verification reads
//! (by agent identifier, then keyid — the core's [`httpseal::webbotauth::AgentKeys`] does the
//! lookup), and why the others are unavailable, so a verdict can say more than "not
//! available".

use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use httpseal::JwkSet;
use httpseal::webbotauth::{AgentLocation, DirectoryStore, PlannedSignature};

/// Directories resolved for one request.
#[derive(Debug, Default, Clone)]
pub struct Resolved {
    keys: Vec<(String, Rc<JwkSet>)>,
    failures: Vec<(String, String)>,
    labels: Vec<(String, String)>,
}

impl Resolved {
    /// Nothing resolved (no agent named, or keys supplied by the caller).
    pub fn none() -> Self {
        Resolved::default()
    }

    /// Remembers which location each planned signature names.
    pub fn for_plan(plan: &[PlannedSignature]) -> Self {
        Resolved {
            labels: plan
                .iter()
                .filter_map(|p| Some((p.label.clone(), p.location.as_ref()?.fetch_url.clone())))
                .collect(),
            ..Resolved::default()
        }
    }

    /// The keys of `location`. When two locations share an identifier (the same JWK Set
    /// URL with different queries), the first one resolved is used.
    pub fn add(&mut self, location: &AgentLocation, keys: Rc<JwkSet>) {
        if self.keys(&location.identifier).is_none() {
            self.keys.push((location.identifier.clone(), keys));
        }
    }

    /// Why `location` has no keys.
    pub fn fail(&mut self, location: &AgentLocation, why: String) {
        self.failures.push((location.fetch_url.clone(), why));
    }

    /// Whether any location was resolved or failed.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && self.failures.is_empty()
    }

    /// Replaces the core's generic `directory_unavailable` message with the recorded
    /// reason for the directory the verdict's signature named.
    pub fn explain(&self, verdict: &mut httpseal::Verdict) {
        let Some(error) = verdict.error.as_mut() else {
            return;
        };
        if error.code != "directory_unavailable" {
            return;
        }
        let url = self
            .labels
            .iter()
            .find(|(label, _)| Some(label) == verdict.label.as_ref())
            .map(|(_, url)| url);
        if let Some((_, why)) = url.and_then(|u| self.failures.iter().find(|(f, _)| f == u)) {
            error.message = why.clone();
        }
    }
}

impl DirectoryStore for Resolved {
    fn keys(&self, identifier: &str) -> Option<&JwkSet> {
        self.keys
            .iter()
            .find(|(id, _)| id == identifier)
            .map(|(_, k)| &**k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use httpseal::webbotauth::{AgentMember, plan};
    use httpseal::{Error, HttpMessage, Profile, Verdict};

    fn location(uri: &str) -> AgentLocation {
        AgentMember {
            key: None,
            uri: uri.into(),
            declared_type: None,
        }
        .locate(true)
        .unwrap()
    }

    #[test]
    fn keys_by_identifier_first_wins() {
        let mut r = Resolved::none();
        assert!(r.is_empty());
        let a = location("https://a.example/keys.json?v=1");
        let b = location("https://a.example/keys.json?v=2");
        r.add(&a, Rc::new(JwkSet::default()));
        let mut one = JwkSet::default();
        one.push_skipped(0, Error::InvalidSignature);
        r.add(&b, Rc::new(one));
        assert!(r.keys(&a.identifier).unwrap().skipped().is_empty());
        assert!(r.keys("https://other.example/keys.json").is_none());
    }

    #[test]
    fn an_unavailable_directory_is_explained_in_the_verdict() {
        let mut msg = HttpMessage::request("GET", "https://site.example/").unwrap();
        msg.push_header("Signature-Agent", "\"https://agent.example\"");
        msg.push_header(
            "Signature-Input",
            "sig1=(\"@authority\" \"signature-agent\");created=1;expires=2;keyid=\"k\";tag=\"web-bot-auth\"",
        );
        msg.push_header("Signature", "sig1=:AAAA:");
        let policy = Profile::WebBotAuth.policy();
        let planned = plan(&policy, &msg, Default::default()).unwrap();
        let mut r = Resolved::for_plan(&planned);
        let loc = planned[0].location.clone().unwrap();
        r.fail(
            &loc,
            "the key directory X (fetch_timeout: slow) is not available".into(),
        );
        let mut v = Verdict::from_error(&Error::DirectoryUnavailable(loc.fetch_url.clone()));
        v.label = Some("sig1".into());
        r.explain(&mut v);
        assert!(v.error.as_ref().unwrap().message.contains("fetch_timeout"));
        // Other errors, and other labels, are left alone.
        let mut other = Verdict::from_error(&Error::InvalidSignature);
        other.label = Some("sig1".into());
        r.explain(&mut other);
        assert_eq!(other.error.unwrap().code, "invalid_signature");
        let mut v2 = Verdict::from_error(&Error::DirectoryUnavailable(loc.fetch_url));
        v2.label = Some("sig2".into());
        r.explain(&mut v2);
        assert!(!v2.error.unwrap().message.contains("fetch_timeout"));
    }
}
