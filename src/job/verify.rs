//! The verifier job: one request's verification, from parsed fields to a verdict.
//!
//! The order of work is a rule of its own:
//! 1. **Keys at hand first.** Every applicable signature is checked against the keys the
//!    caller trusts ([`VerifySetup::known`]); the parameters, the key binding, the base and
//!    the signature bytes are checked before anything is looked up or fetched. A request
//!    whose key is trusted is never held up by a directory (and its identifier is the key's
//!    thumbprint: the key is known by other means).
//! 2. **Then directories**, only if no signature verified: the `Signature-Agent` members
//!    (at most [`MAX_DIRECTORIES_PER_REQUEST`] distinct ones) are looked up in the host's
//!    store and fetched when the store has nothing usable, all at once; `Signature-Key`
//!    documents likewise, when enabled.
//! 3. Per signature, after its bytes verify: the body's `Content-Digest` (the body is read
//!    only now, once a signature proved it is worth reading), then the nonce (last, so
//!    forged requests cannot fill a replay store).
//!
//! The first signature that passes everything makes the request `verified`; otherwise the
//! verdict reports an invalid signature over an unverifiable one, else the first.

use super::directory::{DirectoryTask, Resolution};
use super::step::{
    Answer, AnswerError, Check, CheckAnswer, DigestRequest, Fetch, Lookup, NonceAnswer,
    NonceRequest, Step, StepId, StoreRecord,
};
use crate::alg::Algorithm;
use crate::base::signature_base;
use crate::digest::{
    BodyDigests, DigestAlgorithm, check_content_digest, check_content_digest_values,
    digest_algorithms,
};
use crate::error::{Error, Result};
use crate::fetch::{FetchFailure, FetchPurpose, FetchRules, FetchedResponse, check_fetch_url};
use crate::http::HttpMessage;
use crate::input::{LabelledSignature, combined_field, parse_signatures};
use crate::jwk::JwkSet;
use crate::key::Key;
use crate::limits::{MAX_DIRECTORIES_PER_REQUEST, MAX_SIGNATURE_KEY_DOCUMENTS};
use crate::message::Message;
use crate::sigkey::{self, Resolution as KeyResolution, ResolveOptions, Scheme};
use crate::testkeys::known_test_key;
use crate::verify::replay::{ReplayEntry, replay_entry};
use crate::verify::{KeySource, Outcome, Policy, Verdict};
use crate::webbotauth::{
    AgentLocation, AgentMember, DirectoryRecord, DiscoveryFailure, ProofStatus,
    check_directory_response, parse_signature_agent, select_member, store_key,
};
use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, VecDeque};
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;

/// Largest body whose `Content-Digest` is checked by default, bytes (the Worker's
/// `MAX_CHECKED_BODY_BYTES` default).
pub const DEFAULT_MAX_CHECKED_BODY_BYTES: usize = 1 << 20;

/// Where agent directories may come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryAccess {
    /// Nowhere: a signature whose key is not known is `unverified` (keys were supplied, or
    /// the host fetches nothing).
    None,
    /// The host's store only (a saved directory), never the network.
    StoreOnly,
    /// The store, then the network.
    Fetch,
}

/// A policy that replaces the job's for one identifier (an agent URL or a key thumbprint):
/// an operator's per-agent rule, e.g. a longer maximum lifetime for one agent's static
/// signatures. It applies only to identifiers the job resolved itself.
#[derive(Debug, Clone)]
pub struct IdentifierPolicy {
    /// The identifier ([`Verdict::identifier`]).
    pub identifier: String,
    /// The rules for signatures attributed to it.
    pub policy: Policy,
}

/// Keys the caller trusts: lent for the job's lifetime, or shared (a host that keeps its
/// parsed keys across requests, or a job that must own everything, such as a wasm object).
#[derive(Clone)]
pub enum KnownKeys<'k> {
    /// Any key source, lent.
    Lent(&'k dyn KeySource),
    /// A JWK Set the job holds a reference to (borrowing nothing: a job over it alone can
    /// be `'static`).
    Shared(Arc<JwkSet>),
}

/// Everything a verification needs besides the message.
pub struct VerifySetup<'k> {
    /// The rules: a profile's policy with overrides.
    pub policy: Policy,
    /// Keys the caller trusts (a Worker's `TRUSTED_JWKS`, a CLI `--jwks`, a `/verify`
    /// caller's `jwks`), looked up first.
    pub known: Option<KnownKeys<'k>>,
    /// Whether `Signature-Agent` directories are looked up and fetched (under a policy with
    /// Web Bot Auth's `Signature-Agent` rules).
    pub directories: DirectoryAccess,
    /// Resolve `Signature-Key` members (draft-hardt-httpbis-signature-key): off by default,
    /// since some schemes carry the key itself, which proves possession, not identity.
    pub signature_key: bool,
    /// The time to verify at (UNIX seconds).
    pub now: u64,
    /// The host's clock: cache records are dated by it, whatever `now` a caller chose.
    pub clock: u64,
    /// Whether the host keeps a replay store (the job then asks about nonces).
    pub nonces: bool,
    /// Whether the request has a body the host can stream when a `Content-Digest` must be
    /// checked (a message that carries its body needs no host).
    pub body_from_host: bool,
    /// Largest body whose digest is computed.
    pub max_body_bytes: usize,
    /// Per-identifier policies.
    pub identifier_policies: Vec<IdentifierPolicy>,
    /// A JWK Set URL the operator trusts (Visa TAP's agent registry, a partner's keys): a
    /// signature whose key is not at hand and that names no `Signature-Agent` is looked up
    /// there by `keyid`, fetched and cached like a directory, and attributed to that URL.
    pub jwks_url: Option<String>,
    /// The development switch for URLs the operator configured (`http` and loopback); agent
    /// URLs follow the policy's `signature_agent` options.
    pub allow_insecure: bool,
}

impl<'k> VerifySetup<'k> {
    /// A setup with `policy` at `now`: no known keys, no directories, no nonces.
    pub fn new(policy: Policy, now: u64) -> Self {
        VerifySetup {
            policy,
            known: None,
            directories: DirectoryAccess::None,
            signature_key: false,
            now,
            clock: now,
            nonces: false,
            body_from_host: false,
            max_body_bytes: DEFAULT_MAX_CHECKED_BODY_BYTES,
            identifier_policies: Vec::new(),
            jwks_url: None,
            allow_insecure: false,
        }
    }

    /// With these trusted keys.
    pub fn known(mut self, keys: &'k dyn KeySource) -> Self {
        self.known = Some(KnownKeys::Lent(keys));
        self
    }

    /// With this trusted key set, which the job shares rather than borrows.
    pub fn known_set(mut self, keys: &Arc<JwkSet>) -> Self {
        self.known = Some(KnownKeys::Shared(keys.clone()));
        self
    }

    /// With directory access.
    pub fn directories(mut self, access: DirectoryAccess) -> Self {
        self.directories = access;
        self
    }
}

/// A key found among the keys at hand: the key, its identifier, and the URL its source
/// says it was published at.
type Found<'k> = (HeldKey<'k>, String, Option<String>);

/// A key the job holds for a signature.
enum HeldKey<'k> {
    Borrowed(&'k Key),
    InSet(Arc<JwkSet>, usize),
    Owned(Box<Key>),
}

impl HeldKey<'_> {
    fn get(&self) -> &Key {
        match self {
            HeldKey::Borrowed(k) => k,
            HeldKey::InSet(set, i) => &set.keys()[*i].key,
            HeldKey::Owned(k) => k,
        }
    }
}

/// Where a signature's key will come from, once the job looks beyond the keys at hand.
enum Pending {
    Agent(AgentLocation),
    SignatureKey(Scheme),
}

enum Stage {
    New,
    Deferred(Pending),
    WaitingDirectory(usize),
    WaitingDocuments(Scheme),
    ReadyToCheck,
    Checking,
    ReadyForBody,
    Digesting,
    ReadyForNonce,
    CheckingNonce,
    Verified,
    Failed,
}

struct SigState<'k> {
    sig: LabelledSignature,
    verdict: Verdict,
    stage: Stage,
    key: Option<HeldKey<'k>>,
    alg: Option<Algorithm>,
    replay: Option<ReplayEntry>,
    /// Index into the identifier policies; `None`: the job's policy.
    policy: Option<usize>,
    /// Whether the signature's bytes verified with its key.
    bytes_verified: bool,
}

impl SigState<'_> {
    /// A signature identifies a URL only once a key that URL provides verified it (draft
    /// -01 §4.1: the URL "becomes an identifier once the verifier fetches it and finds that
    /// it provides a key that verifies the request. Until then, verifiers MUST NOT attach
    /// policy to it"; §6.10 for a URL never resolved). A signature that ends before that —
    /// no key, a refused key, bytes that do not verify, which anyone holding the public
    /// key's `keyid` can send — names no agent and no directory proof, and its identifier
    /// is the `keyid` it claims, as for any key not found.
    fn forget_unproven_agent(&mut self) {
        let unproven = self.verdict.agent.is_some() && !self.bytes_verified;
        if unproven || (self.key.is_none() && self.verdict.agent.is_none()) {
            self.verdict.agent = None;
            self.verdict.directory_proof = None;
            self.verdict.identifier = self.sig.params.keyid().map(str::to_string);
        }
    }
}

enum DirStage {
    NeedLookup,
    LookingUp,
    Task(Box<DirectoryTask>),
    Resolved(Resolution),
}

struct DirState {
    location: AgentLocation,
    key: String,
    stage: DirStage,
}

enum Outgoing {
    Store(StoreRecord),
    Refresh(Box<DirectoryTask>),
}

/// What a step id is waiting for.
#[derive(Clone, Copy)]
enum Waiting {
    Lookup(usize),
    Fetch(usize),
    Document(usize),
    Check(usize),
    Digest,
    Nonce(usize),
}

/// What the next step is, decided before it borrows the job.
enum Action {
    Out(Outgoing),
    Lookup(usize),
    Fetch(usize, StepId),
    Document(usize, StepId),
    Check(usize),
    Digest(StepId),
    Nonce(usize),
    Wait,
    Done,
    /// Internal: progress was made without the host; look again.
    Again,
}

/// The known keys as the job keeps them (a shared set is held, not borrowed, so a job that
/// owns everything can be `'static`).
enum Known<'k> {
    Lent(&'k dyn KeySource),
    Shared(Arc<JwkSet>),
}

/// The message a job verifies: its own, or one the caller lends it (one per job: not
/// worth a box).
#[allow(clippy::large_enum_variant)]
enum Msg<'k> {
    Owned(Box<HttpMessage>),
    Borrowed(&'k dyn Message),
}

/// One request's verification, driven by its host. See the [module docs](super).
pub struct VerifyJob<'k> {
    msg: Msg<'k>,
    policy: Policy,
    known: Option<Known<'k>>,
    directories: DirectoryAccess,
    signature_key: bool,
    now: u64,
    clock: u64,
    nonces: bool,
    body_from_host: bool,
    max_body_bytes: usize,
    identifier_policies: Vec<IdentifierPolicy>,
    jwks_url: Option<String>,
    allow_insecure: bool,

    agent_members: Option<Result<Vec<AgentMember>>>,
    key_members: Option<Result<Vec<(String, Scheme)>>>,
    sigs: Vec<SigState<'k>>,
    dirs: Vec<DirState>,
    documents: BTreeMap<String, Vec<u8>>,
    document_fetches: Vec<(StepId, String)>,
    pending_documents: Vec<(usize, StepId)>,
    body_digests: Option<core::result::Result<BodyDigests, Error>>,
    waiting: Vec<(StepId, Waiting)>,
    outbox: VecDeque<Outgoing>,
    next_id: u32,
    resolving: bool,
    verdict: Option<Verdict>,
    /// The verdict was taken out ([`Self::take_verdict`]).
    taken: bool,
}

impl<'k> VerifyJob<'k> {
    /// Starts the verification of `msg`: parses `Signature-Input`, `Signature`, and (when
    /// the rules need them) `Signature-Agent` and `Signature-Key`, once.
    pub fn new(msg: HttpMessage, setup: VerifySetup<'k>) -> Self {
        Self::start(Msg::Owned(Box::new(msg)), setup)
    }

    /// [`Self::new`] for a message the caller keeps (any [`Message`]).
    pub fn borrowing(msg: &'k dyn Message, setup: VerifySetup<'k>) -> Self {
        Self::start(Msg::Borrowed(msg), setup)
    }

    fn msg(&self) -> &dyn Message {
        match &self.msg {
            Msg::Owned(m) => &**m,
            Msg::Borrowed(m) => *m,
        }
    }

    fn start(msg: Msg<'k>, setup: VerifySetup<'k>) -> Self {
        let mut job = VerifyJob {
            policy: setup.policy,
            known: setup.known.map(|k| match k {
                KnownKeys::Lent(source) => Known::Lent(source),
                KnownKeys::Shared(set) => Known::Shared(set),
            }),
            directories: setup.directories,
            signature_key: setup.signature_key,
            now: setup.now,
            clock: setup.clock,
            nonces: setup.nonces,
            body_from_host: setup.body_from_host,
            max_body_bytes: setup.max_body_bytes,
            identifier_policies: setup.identifier_policies,
            jwks_url: setup.jwks_url,
            allow_insecure: setup.allow_insecure,
            agent_members: None,
            key_members: None,
            sigs: Vec::new(),
            dirs: Vec::new(),
            documents: BTreeMap::new(),
            document_fetches: Vec::new(),
            pending_documents: Vec::new(),
            body_digests: None,
            waiting: Vec::new(),
            outbox: VecDeque::new(),
            next_id: 0,
            resolving: false,
            verdict: None,
            taken: false,
            msg,
        };
        let sigs = match parse_signatures(job.msg()) {
            Ok(s) if s.is_empty() => return job.decided(Verdict::from_error(Error::NoSignature)),
            Ok(s) => s,
            Err(e) => return job.decided(Verdict::from_error(e)),
        };
        if !sigs.iter().any(|s| job.policy.applies_to(s)) {
            let v = not_applicable(&job.policy, &sigs);
            return job.decided(v);
        }
        if job.policy.signature_agent.is_some() {
            job.agent_members = combined_field(job.msg(), "signature-agent")
                .transpose()
                .map(|v| v.and_then(|v| parse_signature_agent(&v)));
        }
        if job.signature_key {
            job.key_members = combined_field(job.msg(), "signature-key")
                .transpose()
                .map(|v| v.and_then(|v| sigkey::parse_signature_key(&v)));
        }
        job.sigs = sigs
            .into_iter()
            .filter(|s| job.policy.applies_to(s))
            .map(|sig| SigState {
                verdict: Verdict::about(&sig),
                sig,
                stage: Stage::New,
                key: None,
                alg: None,
                replay: None,
                policy: None,
                bytes_verified: false,
            })
            .collect();
        job
    }

    fn decided(mut self, verdict: Verdict) -> Self {
        self.verdict = Some(verdict);
        self
    }

    /// The message being verified.
    pub fn message(&self) -> &dyn Message {
        self.msg()
    }

    /// The verdict, once [`Step::Done`] was returned.
    pub fn verdict(&self) -> Option<&Verdict> {
        self.verdict.as_ref()
    }

    /// The verdict, once finished.
    pub fn into_verdict(self) -> Option<Verdict> {
        self.verdict
    }

    /// Takes the verdict out, once finished (the job is done with it; it says
    /// [`Step::Done`] from then on, and [`Self::verdict`] is `None`).
    pub fn take_verdict(&mut self) -> Option<Verdict> {
        let verdict = self.verdict.take();
        self.taken |= verdict.is_some();
        verdict
    }

    /// Ends the job because the host cannot answer what it still waits for (a driver bug,
    /// or a host that gives up): the verdict is `unverified` with `host_answer_missing`,
    /// never a guess.
    pub fn abandon(&mut self) {
        if self.verdict.is_some() || self.taken {
            return;
        }
        let what: Vec<String> = self.waiting.iter().map(|(id, _)| id.to_string()).collect();
        let mut verdict = Verdict::from_error(Error::HostAnswerMissing(alloc::format!(
            "steps {} were not answered",
            what.join(", ")
        )));
        if let Some(first) = self.sigs.first_mut() {
            first.forget_unproven_agent();
            let error = verdict.error.take();
            verdict = first.verdict.clone();
            verdict.error = error;
            verdict.verdict = Outcome::Unverified;
        }
        self.verdict = Some(verdict);
        self.waiting.clear();
    }

    /// What the host must do next. (Not an iterator: each step borrows the job until the
    /// host has read it.)
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Step<'_> {
        let action = self.advance();
        self.emit(action)
    }

    fn id(&mut self) -> StepId {
        self.next_id += 1;
        StepId(self.next_id)
    }

    fn emit(&mut self, action: Action) -> Step<'_> {
        match action {
            Action::Out(Outgoing::Store(s)) => Step::Store(s),
            Action::Out(Outgoing::Refresh(t)) => Step::Refresh(t),
            Action::Wait | Action::Again => Step::Wait,
            Action::Done => Step::Done,
            Action::Lookup(d) => {
                let id = self.id();
                self.waiting.push((id, Waiting::Lookup(d)));
                let dir = &mut self.dirs[d];
                dir.stage = DirStage::LookingUp;
                Step::Lookup(Lookup {
                    id,
                    key: &dir.key,
                    url: &dir.location.fetch_url,
                })
            }
            Action::Fetch(d, id) => {
                self.waiting.push((id, Waiting::Fetch(d)));
                match &mut self.dirs[d].stage {
                    DirStage::Task(task) => match task.start_fetch(id) {
                        Some(f) => Step::Fetch(f),
                        None => Step::Wait,
                    },
                    _ => Step::Wait,
                }
            }
            Action::Document(s, id) => {
                self.waiting.push((id, Waiting::Document(s)));
                let url = &self
                    .document_fetches
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, u)| u.as_str())
                    .unwrap_or_default();
                Step::Fetch(Fetch {
                    id,
                    url,
                    rules: FetchRules::key_document(self.allow_http()),
                    purpose: FetchPurpose::SignatureKeyDocument,
                    key: "",
                })
            }
            Action::Check(s) => {
                let id = self.id();
                self.waiting.push((id, Waiting::Check(s)));
                self.sigs[s].stage = Stage::Checking;
                let state = &self.sigs[s];
                match (&state.key, state.alg) {
                    (Some(key), Some(alg)) => Step::Check(Check {
                        id,
                        alg,
                        key: key.get(),
                        base: state
                            .verdict
                            .signature_base
                            .as_deref()
                            .unwrap_or_default()
                            .as_bytes(),
                        signature: &state.sig.signature,
                    }),
                    _ => Step::Wait,
                }
            }
            Action::Digest(id) => {
                self.waiting.push((id, Waiting::Digest));
                let algorithms = self.digest_algorithms().unwrap_or_default();
                Step::Digest(DigestRequest {
                    id,
                    algorithms,
                    max_bytes: self.max_body_bytes,
                })
            }
            Action::Nonce(s) => {
                let id = self.id();
                self.waiting.push((id, Waiting::Nonce(s)));
                self.sigs[s].stage = Stage::CheckingNonce;
                match &self.sigs[s].replay {
                    Some(entry) => Step::Nonce(NonceRequest {
                        id,
                        key: &entry.key,
                        until: entry.until,
                        ttl: entry.ttl,
                    }),
                    None => Step::Wait,
                }
            }
        }
    }

    fn allow_http(&self) -> bool {
        self.policy.signature_agent.is_some_and(|o| o.allow_http) || self.allow_insecure
    }

    /// The agent options directory tasks run with.
    fn agent_options(&self) -> crate::webbotauth::AgentOptions {
        let mut options = self.policy.signature_agent.unwrap_or_default();
        options.allow_http = self.allow_http();
        options
    }

    /// Moves every signature and directory as far as it goes without the host, and says
    /// what to ask next.
    fn advance(&mut self) -> Action {
        loop {
            if let Some(out) = self.outbox.pop_front() {
                return Action::Out(out);
            }
            if self.verdict.is_some() || self.taken {
                return Action::Done;
            }
            for i in 0..self.sigs.len() {
                if matches!(self.sigs[i].stage, Stage::New) {
                    self.classify(i);
                }
            }
            if let Some(i) = self
                .sigs
                .iter()
                .position(|s| matches!(s.stage, Stage::Verified))
            {
                let mut verdict = self.sigs[i].verdict.clone();
                verdict.verdict = Outcome::Verified;
                verdict.error = None;
                self.verdict = Some(verdict);
                self.waiting.clear();
                continue;
            }
            if let Some(action) = self.signature_work() {
                return action;
            }
            if self.sigs.iter().any(|s| matches!(s.stage, Stage::Verified)) {
                continue;
            }
            let busy = self.sigs.iter().any(|s| {
                matches!(
                    s.stage,
                    Stage::Checking | Stage::Digesting | Stage::CheckingNonce
                )
            });
            if !self.resolving && !busy {
                if self
                    .sigs
                    .iter()
                    .any(|s| matches!(s.stage, Stage::Deferred(_)))
                {
                    self.start_resolution();
                    continue;
                }
                self.resolving = true;
            }
            if self.resolving {
                match self.directory_work() {
                    Some(Action::Again) => continue,
                    Some(action) => return action,
                    None => {}
                }
            }
            if !self.waiting.is_empty() {
                return Action::Wait;
            }
            self.verdict = Some(self.best_failure());
        }
    }

    /// The next check, digest or nonce a signature needs; at most one check at a time, so
    /// that "the first signature that passes" does not depend on answer order.
    fn signature_work(&mut self) -> Option<Action> {
        let checking = self.sigs.iter().any(|s| matches!(s.stage, Stage::Checking));
        for i in 0..self.sigs.len() {
            match self.sigs[i].stage {
                Stage::ReadyToCheck if !checking => return Some(Action::Check(i)),
                Stage::ReadyForBody => {
                    if let Some(action) = self.body_rules(i) {
                        return Some(action);
                    }
                }
                Stage::ReadyForNonce => {
                    if self.nonces && self.sigs[i].replay.is_some() {
                        return Some(Action::Nonce(i));
                    }
                    self.sigs[i].stage = Stage::Verified;
                }
                _ => {}
            }
        }
        None
    }

    fn sig_policy(&self, i: usize) -> &Policy {
        match self.sigs[i].policy {
            Some(p) => &self.identifier_policies[p].policy,
            None => &self.policy,
        }
    }

    fn fail(&mut self, i: usize, error: Error) {
        let s = &mut self.sigs[i];
        s.forget_unproven_agent();
        s.verdict.fail(error);
        s.stage = Stage::Failed;
    }

    /// Phase 1 for one signature: its `Signature-Agent` member, then a key at hand.
    fn classify(&mut self, i: usize) {
        if let Err(e) = self.try_classify(i) {
            self.fail(i, e);
        }
    }

    fn try_classify(&mut self, i: usize) -> Result<()> {
        let member = match (&self.policy.signature_agent, &self.agent_members) {
            (Some(_), Some(Ok(members))) => {
                let sig = &self.sigs[i].sig;
                Some(select_member(members, &sig.label, sig.params.components())?)
            }
            (Some(_), Some(Err(e))) => return Err(e.clone()),
            _ => None,
        };
        let keyid = self.sigs[i].sig.params.keyid();
        let known: Option<Result<Found<'k>>> = match &self.known {
            Some(Known::Lent(source)) => Some(source.key_for(&self.sigs[i].sig, self.msg()).map(
                |resolved| {
                    let identifier = match &resolved.agent {
                        Some(a) => a.clone(),
                        None => resolved.key.thumbprint(),
                    };
                    let held = match resolved.key {
                        Cow::Borrowed(k) => HeldKey::Borrowed(k),
                        Cow::Owned(k) => HeldKey::Owned(Box::new(k)),
                    };
                    (held, identifier, resolved.agent)
                },
            )),
            Some(Known::Shared(set)) => Some(set.find(keyid).map(|key| {
                let index = position_of(set, key);
                (HeldKey::InSet(set.clone(), index), key.thumbprint(), None)
            })),
            None => None,
        };
        let scheme = self.scheme_for(i)?;
        if let Some(Ok((held, identifier, agent))) = known {
            // A key source that knows where the key was published says so
            // (`ResolvedKey::agent`, e.g. a Signature-Key identity); a plain key set does not,
            // and the key is then known by its thumbprint.
            self.sigs[i].key = Some(held);
            self.attribute(i, identifier, agent, None);
            self.pre_key_rules(i, member.as_ref())?;
            return self.post_key_rules(i);
        }
        if let Some(scheme) = scheme {
            self.pre_key_rules(i, member.as_ref())?;
            self.sigs[i].stage = Stage::Deferred(Pending::SignatureKey(scheme));
            return Ok(());
        }
        if let (Some(options), Some(m)) = (self.policy.signature_agent, &member) {
            let location = m.locate(options)?;
            // The rules for the URL apply now; the verdict names it only once its directory
            // resolved with the key (draft -01 §4.1: no attribution before).
            self.sigs[i].policy = self.policy_index(&location.identifier);
            self.pre_key_rules(i, member.as_ref())?;
            self.sigs[i].stage = Stage::Deferred(Pending::Agent(location));
            return Ok(());
        }
        if let (Some(url), None) = (&self.jwks_url, &member) {
            let location = AgentLocation {
                kind: crate::webbotauth::AgentType::JwksUri,
                fetch_url: url.clone(),
                identifier: crate::url::normalize_identifier(url)?,
            };
            self.sigs[i].policy = self.policy_index(&location.identifier);
            self.pre_key_rules(i, None)?;
            self.sigs[i].stage = Stage::Deferred(Pending::Agent(location));
            return Ok(());
        }
        self.pre_key_rules(i, member.as_ref())?;
        Err(match known {
            Some(Err(e)) => e,
            _ => Error::UnknownKey(
                self.sigs[i]
                    .sig
                    .params
                    .keyid()
                    .unwrap_or_default()
                    .to_string(),
            ),
        })
    }

    /// Sets who a signature is attributed to, and the rules that follow from it.
    fn attribute(
        &mut self,
        i: usize,
        identifier: String,
        agent: Option<String>,
        proof: Option<ProofStatus>,
    ) {
        let policy = self.policy_index(&identifier);
        let s = &mut self.sigs[i];
        s.policy = policy;
        s.verdict.identifier = Some(identifier);
        s.verdict.agent = agent;
        s.verdict.directory_proof = proof;
    }

    fn policy_index(&self, identifier: &str) -> Option<usize> {
        self.identifier_policies
            .iter()
            .position(|p| p.identifier == identifier)
    }

    /// The `Signature-Key` member of signature `i`, when the job resolves them.
    fn scheme_for(&self, i: usize) -> Result<Option<Scheme>> {
        let Some(members) = &self.key_members else {
            return Ok(None);
        };
        let members = members.as_ref().map_err(Clone::clone)?;
        let sig = &self.sigs[i].sig;
        crate::sigkey::require_covered(sig)?;
        Ok(members
            .iter()
            .find(|(l, _)| *l == sig.label)
            .map(|(_, s)| s.clone()))
    }

    /// The rules that need no key: parameters, nested coverage, the `Signature-Agent`
    /// member's usability.
    fn pre_key_rules(&self, i: usize, member: Option<&AgentMember>) -> Result<()> {
        let policy = self.sig_policy(i);
        let sig = &self.sigs[i].sig;
        policy.check_params(&sig.params, self.now)?;
        if policy.nested_coverage {
            self.check_nested_coverage(i)?;
        }
        if let (Some(options), Some(m)) = (policy.signature_agent, member) {
            m.validate(options)?;
        }
        Ok(())
    }

    /// Web Bot Auth "Multiple Signatures": a signature covering `"signature";key=X` must
    /// also cover `"signature-input";key=X`, X's `Signature-Agent` member (when the field
    /// has one) and every component signature X covers.
    fn check_nested_coverage(&self, i: usize) -> Result<()> {
        let sig = &self.sigs[i].sig;
        let covered = sig.params.components();
        let covers = |name: &str, key: &str| {
            covered
                .iter()
                .any(|c| c.name() == name && c.flags().is_ok_and(|f| f.key.as_deref() == Some(key)))
        };
        for c in covered.iter().filter(|c| c.name() == "signature") {
            let Some(inner) = c.flags().ok().and_then(|f| f.key) else {
                continue;
            };
            let incomplete = |what: String| {
                Err(Error::IncompleteCoverage(alloc::format!(
                    "signature {:?} covers signature {inner:?} but not {what}",
                    sig.label
                )))
            };
            if !covers("signature-input", &inner) {
                return incomplete(alloc::format!("\"signature-input\";key=\"{inner}\""));
            }
            let has_member = matches!(&self.agent_members, Some(Ok(m))
                if m.iter().any(|m| m.key.as_deref() == Some(inner.as_str())));
            if has_member && !covers("signature-agent", &inner) {
                return incomplete(alloc::format!("\"signature-agent\";key=\"{inner}\""));
            }
            if let Some(inner_sig) = parse_signatures(self.msg())
                .ok()
                .and_then(|all| all.into_iter().find(|s| s.label == inner))
            {
                for needed in inner_sig.params.components() {
                    if !covered.iter().any(|c| c.same_component(needed)) {
                        return incomplete(needed.serialize());
                    }
                }
            }
        }
        Ok(())
    }

    /// The rules once the key is known: `keyid` = thumbprint, the algorithm bound to the
    /// key, the allow-list, published test keys, the signature base.
    fn post_key_rules(&mut self, i: usize) -> Result<()> {
        let policy = self.sig_policy(i);
        let s = &self.sigs[i];
        let Some(key) = s.key.as_ref().map(HeldKey::get) else {
            return Err(Error::UnknownKey(String::new()));
        };
        let thumbprint = key.thumbprint();
        if policy.keyid_is_thumbprint {
            let keyid = s.sig.params.keyid().unwrap_or_default();
            if thumbprint != keyid {
                return Err(Error::KeyIdNotThumbprint(keyid.to_string()));
            }
        }
        let alg = match (key.algorithm(), s.sig.params.alg(), policy.rsa_algorithm) {
            (None, None, Some(configured)) if key.key_type().fits(configured) => configured,
            _ => key.resolve_algorithm(s.sig.params.alg())?,
        };
        let alg_name = alg.name().to_string();
        let test_key = (!policy.allow_test_keys)
            .then(|| known_test_key(&thumbprint))
            .flatten();
        let base = policy.check_algorithm(alg).and_then(|()| match test_key {
            Some(name) => Err(Error::TestKeyRefused(name.into())),
            None => signature_base(self.msg(), &s.sig.params, &policy.structured_fields),
        });
        let s = &mut self.sigs[i];
        s.verdict.alg = Some(alg_name);
        s.alg = Some(alg);
        s.verdict.signature_base = Some(base?);
        s.stage = Stage::ReadyToCheck;
        Ok(())
    }

    /// `Content-Digest` rules for a signature whose bytes verified: a covered digest must
    /// match the body, and a policy may require one for any body.
    fn body_rules(&mut self, i: usize) -> Option<Action> {
        let (require_digest, check_digest) = {
            let policy = self.sig_policy(i);
            (policy.require_digest_for_body, policy.check_content_digest)
        };
        let covers_digest = self.sigs[i]
            .sig
            .params
            .components()
            .iter()
            .any(|c| c.name() == "content-digest" && c.flags().is_ok_and(|f| !f.req && !f.tr));
        let has_body = match self.msg().body() {
            Some(b) => !b.is_empty(),
            None => self.body_from_host,
        };
        if require_digest && !covers_digest && has_body {
            self.fail(
                i,
                Error::MissingRequiredComponent("\"content-digest\"".into()),
            );
            return None;
        }
        if !(covers_digest && check_digest) {
            self.sigs[i].stage = Stage::ReadyForNonce;
            return self.nonce_rules(i);
        }
        let value = match combined_field(self.msg(), "content-digest") {
            Ok(v) => v.unwrap_or_default(),
            Err(e) => {
                self.fail(i, e);
                return None;
            }
        };
        let digest_out = self
            .waiting
            .iter()
            .any(|(_, w)| matches!(w, Waiting::Digest));
        let checked = match (self.msg().body(), &self.body_digests) {
            (Some(body), _) => Some(check_content_digest(&value, body).map(|_| ())),
            (None, Some(Ok(digests))) => {
                Some(check_content_digest_values(&value, digests).map(|_| ()))
            }
            (None, Some(Err(e))) => Some(Err(e.clone())),
            (None, None) if self.body_from_host && digest_out => {
                self.sigs[i].stage = Stage::Digesting;
                return None;
            }
            (None, None) if self.body_from_host => match digest_algorithms(&value) {
                Err(e) => Some(Err(e)),
                Ok(_) => {
                    self.sigs[i].stage = Stage::Digesting;
                    let id = self.id();
                    return Some(Action::Digest(id));
                }
            },
            // The body is not known (a message without one): nothing to check it against.
            (None, None) => Some(Ok(())),
        };
        match checked {
            Some(Ok(())) => {
                self.sigs[i].stage = Stage::ReadyForNonce;
                self.nonce_rules(i)
            }
            Some(Err(e)) => {
                self.fail(i, e);
                None
            }
            None => None,
        }
    }

    fn digest_algorithms(&self) -> Result<Vec<DigestAlgorithm>> {
        let value = combined_field(self.msg(), "content-digest")?.unwrap_or_default();
        digest_algorithms(&value)
    }

    fn nonce_rules(&mut self, i: usize) -> Option<Action> {
        // Without a replay store there is nothing to ask (and no key worth hashing).
        if self.nonces {
            let entry = replay_entry(&self.sigs[i].sig.params, self.sig_policy(i), self.now);
            if entry.is_some() {
                self.sigs[i].replay = entry;
                return Some(Action::Nonce(i));
            }
        }
        self.sigs[i].stage = Stage::Verified;
        None
    }

    /// Phase 2 begins: the deferred signatures get their directories and documents.
    fn start_resolution(&mut self) {
        self.resolving = true;
        for i in 0..self.sigs.len() {
            let Stage::Deferred(pending) = core::mem::replace(&mut self.sigs[i].stage, Stage::New)
            else {
                continue;
            };
            match pending {
                Pending::SignatureKey(scheme) => self.resolve_scheme(i, scheme),
                Pending::Agent(location) => self.wait_for_directory(i, location),
            }
        }
    }

    fn wait_for_directory(&mut self, i: usize, location: AgentLocation) {
        if self.directories == DirectoryAccess::None {
            let failure = DiscoveryFailure::Fetch(FetchFailure::NotFetched);
            let url = location.fetch_url.clone();
            return self.fail(i, failure.at(&url));
        }
        // One directory per identifier (draft -01 §5.5: identifiers are compared after
        // normalisation), so two spellings of one URL share a record and a fetch.
        let d = match self
            .dirs
            .iter()
            .position(|d| d.location.identifier == location.identifier)
        {
            Some(d) => d,
            None if self.dirs.len() >= MAX_DIRECTORIES_PER_REQUEST => {
                let url = location.fetch_url.clone();
                return self.fail(i, DiscoveryFailure::TooManyDirectories.at(&url));
            }
            None => {
                self.dirs.push(DirState {
                    key: store_key(&location.identifier),
                    location,
                    stage: DirStage::NeedLookup,
                });
                self.dirs.len() - 1
            }
        };
        self.sigs[i].stage = Stage::WaitingDirectory(d);
        if let DirStage::Resolved(r) = &self.dirs[d].stage {
            let r = r.clone();
            self.apply_resolution(i, d, r);
        }
    }

    /// Resolves a `Signature-Key` scheme with the documents fetched so far.
    fn resolve_scheme(&mut self, i: usize, scheme: Scheme) {
        let options = ResolveOptions {
            now: self.now,
            skew: self.sig_policy(i).skew,
            allow_http: self.allow_http(),
        };
        match sigkey::resolve(&scheme, &self.documents, options) {
            Ok(KeyResolution::Key { key, identity }) => {
                self.sigs[i].key = Some(HeldKey::Owned(Box::new(key)));
                self.attribute(i, identity.clone(), Some(identity), None);
                if let Err(e) = self.post_key_rules(i) {
                    self.fail(i, e);
                }
            }
            Ok(KeyResolution::Fetch(url)) => {
                let fetched = self.document_fetches.len();
                if self.directories != DirectoryAccess::Fetch
                    || fetched >= MAX_SIGNATURE_KEY_DOCUMENTS * self.sigs.len()
                {
                    let failure = DiscoveryFailure::Fetch(FetchFailure::NotFetched);
                    return self.fail(i, failure.at(&url));
                }
                if let Err(r) = check_fetch_url(&url, self.allow_http()) {
                    let failure = DiscoveryFailure::Fetch(FetchFailure::Refused(r));
                    return self.fail(i, failure.at(&url));
                }
                let id = self.id();
                self.document_fetches.push((id, url));
                self.sigs[i].stage = Stage::WaitingDocuments(scheme);
                self.outbox_document(i, id);
            }
            Err(e) => self.fail(i, e),
        }
    }

    /// Remembers a document fetch to hand out (from [`Self::directory_work`]).
    fn outbox_document(&mut self, i: usize, id: StepId) {
        self.pending_documents.push((i, id));
    }

    /// The next lookup or fetch a directory or document needs.
    fn directory_work(&mut self) -> Option<Action> {
        if let Some((i, id)) = self.pending_documents.pop() {
            return Some(Action::Document(i, id));
        }
        for d in 0..self.dirs.len() {
            match &mut self.dirs[d].stage {
                DirStage::NeedLookup => return Some(Action::Lookup(d)),
                DirStage::Task(task) => {
                    if let Some(store) = task.take_store() {
                        self.outbox.push_back(Outgoing::Store(store));
                        return self.outbox.pop_front().map(Action::Out);
                    }
                    if let Some(r) = task.resolution().cloned() {
                        self.resolve_dir(d, r);
                        return Some(Action::Again);
                    }
                    if self.directories == DirectoryAccess::Fetch && task.ready_to_fetch() {
                        let id = self.id();
                        return Some(Action::Fetch(d, id));
                    }
                }
                DirStage::LookingUp | DirStage::Resolved(_) => {}
            }
        }
        None
    }

    fn resolve_dir(&mut self, d: usize, resolution: Resolution) {
        self.dirs[d].stage = DirStage::Resolved(resolution.clone());
        for i in 0..self.sigs.len() {
            if matches!(self.sigs[i].stage, Stage::WaitingDirectory(w) if w == d) {
                self.apply_resolution(i, d, resolution.clone());
            }
        }
    }

    /// A directory resolved: the signature's key is looked up in it by (URL, keyid).
    fn apply_resolution(&mut self, i: usize, d: usize, resolution: Resolution) {
        let location = &self.dirs[d].location;
        let (identifier, url) = (location.identifier.clone(), location.fetch_url.clone());
        match resolution {
            Resolution::Unavailable(failure) => self.fail(i, failure.at(&url)),
            Resolution::Keys(set, proof) => {
                let keyid = self.sigs[i].sig.params.keyid();
                // Where `keyid` must be the thumbprint (Web Bot Auth), a directory's `kid`
                // label never selects a key (draft -01 §5.5); elsewhere (an operator's JWK
                // Set, Visa TAP's registry) `keyid` names the `kid`.
                let thumbprint_only = self.sig_policy(i).keyid_is_thumbprint;
                let found = match (thumbprint_only, keyid) {
                    (true, Some(thumbprint)) => set.find_thumbprint(thumbprint),
                    _ => set.find(keyid),
                }
                .map(|key| position_of(&set, key));
                match found {
                    Ok(index) => {
                        self.sigs[i].key = Some(HeldKey::InSet(set.clone(), index));
                        self.attribute(i, identifier.clone(), Some(identifier), Some(proof));
                        if let Err(e) = self.post_key_rules(i) {
                            self.fail(i, e);
                        }
                    }
                    // The directory resolved without the key: unverified (draft -01
                    // § Discovery Failure), and the record it came from stays as fetched.
                    // When it lists the key but refused it (outside its `nbf`/`exp`
                    // window, not for signing), the verdict says so.
                    Err(e) => {
                        let skipped =
                            keyid.and_then(|k| Some((k, set.skipped_key(k, !thumbprint_only)?)));
                        let e = match skipped {
                            Some((keyid, why)) => Error::UnsupportedKey(alloc::format!(
                                "{url} lists the key {keyid:?} but it is not usable: {}",
                                match why {
                                    Error::UnsupportedKey(reason) => reason.clone(),
                                    other => other.to_string(),
                                }
                            )),
                            None => e,
                        };
                        self.fail(i, e);
                    }
                }
            }
        }
    }

    /// Hands the host's answer to the step it answers.
    pub fn answer(&mut self, answer: Answer) -> core::result::Result<(), AnswerError> {
        let id = answer.id();
        let Some(pos) = self.waiting.iter().position(|(w, _)| *w == id) else {
            return Err(AnswerError::NotWaiting(id));
        };
        let (_, waiting) = self.waiting[pos];
        let wrong = |asked| Err(AnswerError::WrongKind { id, asked });
        match (waiting, answer) {
            (Waiting::Lookup(d), Answer::Lookup { record, .. }) => self.looked_up(d, record),
            (Waiting::Lookup(_), _) => return wrong("a lookup"),
            (Waiting::Fetch(d), Answer::Fetch { result, .. }) => match &mut self.dirs[d].stage {
                DirStage::Task(t) => t.fetched(result),
                _ => return Err(AnswerError::NotWaiting(id)),
            },
            (Waiting::Fetch(d), Answer::FetchedElsewhere { record, .. }) => {
                match &mut self.dirs[d].stage {
                    DirStage::Task(t) => t.fetched_elsewhere(record),
                    _ => return Err(AnswerError::NotWaiting(id)),
                }
            }
            (Waiting::Fetch(_), _) => return wrong("a fetch"),
            (Waiting::Document(i), Answer::Fetch { result, .. }) => self.document(i, id, result),
            (Waiting::Document(_), _) => return wrong("a fetch"),
            (Waiting::Check(i), Answer::Check { answer, .. }) => self.checked(i, id, answer)?,
            (Waiting::Check(_), _) => return wrong("a check"),
            (Waiting::Digest, Answer::Digest { result, .. }) => {
                self.body_digests = Some(result.map_err(|f| body_error(&f)));
                self.digested();
            }
            (Waiting::Digest, Answer::Body { bytes, .. }) => {
                let digests = match self.digest_algorithms() {
                    Ok(algs) if bytes.len() <= self.max_body_bytes => {
                        Ok(algs.into_iter().map(|a| (a, a.digest(&bytes))).collect())
                    }
                    Ok(_) => Err(body_error(&super::BodyFailure::TooLarge)),
                    Err(e) => Err(e),
                };
                self.body_digests = Some(digests);
                self.digested();
            }
            (Waiting::Digest, _) => return wrong("a digest"),
            (Waiting::Nonce(i), Answer::Nonce { answer, .. }) => self.nonce_answered(i, answer),
            (Waiting::Nonce(_), _) => return wrong("a nonce"),
        }
        self.waiting.retain(|(w, _)| *w != id);
        Ok(())
    }

    fn looked_up(&mut self, d: usize, record: Option<DirectoryRecord>) {
        let options = self.agent_options();
        let location = self.dirs[d].location.clone();
        let usable = record
            .as_ref()
            .and_then(|r| Resolution::of_record(r, self.clock));
        match usable {
            Some((resolution, refresh)) => {
                if refresh && self.directories == DirectoryAccess::Fetch {
                    let task = DirectoryTask::new(location, record, options, self.clock);
                    self.outbox.push_back(Outgoing::Refresh(Box::new(task)));
                }
                self.resolve_dir(d, resolution);
            }
            None if self.directories == DirectoryAccess::Fetch => {
                let task = DirectoryTask::new(location, record, options, self.clock);
                self.dirs[d].stage = DirStage::Task(Box::new(task));
            }
            None => {
                let failure = DiscoveryFailure::Fetch(FetchFailure::NotFetched);
                self.resolve_dir(d, Resolution::Unavailable(failure));
            }
        }
    }

    fn document(
        &mut self,
        i: usize,
        id: StepId,
        result: core::result::Result<FetchedResponse, FetchFailure>,
    ) {
        let url = self
            .document_fetches
            .iter()
            .find(|(f, _)| *f == id)
            .map(|(_, u)| u.clone())
            .unwrap_or_default();
        let body = result.map_err(DiscoveryFailure::Fetch).and_then(|r| {
            check_directory_response(r.status, r.header("content-type"))?;
            Ok(r.body)
        });
        match body {
            Ok(body) => {
                self.documents.insert(url, body);
                if let Stage::WaitingDocuments(scheme) =
                    core::mem::replace(&mut self.sigs[i].stage, Stage::New)
                {
                    self.resolve_scheme(i, scheme);
                }
            }
            Err(failure) => self.fail(i, failure.at(&url)),
        }
    }

    fn checked(
        &mut self,
        i: usize,
        id: StepId,
        answer: CheckAnswer,
    ) -> core::result::Result<(), AnswerError> {
        let s = &self.sigs[i];
        let (Some(key), Some(alg)) = (s.key.as_ref().map(HeldKey::get), s.alg) else {
            return Err(AnswerError::NotWaiting(id));
        };
        let base = s.verdict.signature_base.as_deref().unwrap_or_default();
        let check = Check {
            id,
            alg,
            key,
            base: base.as_bytes(),
            signature: &s.sig.signature,
        };
        let checked = match answer {
            CheckAnswer::Core => check.check_in_core(),
            CheckAnswer::Host(_) if !check.host_may_check() => {
                return Err(AnswerError::HostMayNotCheck(id));
            }
            CheckAnswer::Host(verified) => check.settle(verified),
        };
        match checked {
            Ok(()) => {
                self.sigs[i].bytes_verified = true;
                self.sigs[i].stage = Stage::ReadyForBody;
            }
            Err(e) => self.fail(i, e),
        }
        Ok(())
    }

    fn digested(&mut self) {
        for i in 0..self.sigs.len() {
            if matches!(self.sigs[i].stage, Stage::Digesting) {
                self.sigs[i].stage = Stage::ReadyForBody;
            }
        }
    }

    fn nonce_answered(&mut self, i: usize, answer: NonceAnswer) {
        let nonce = self.sigs[i]
            .sig
            .params
            .nonce()
            .unwrap_or_default()
            .to_string();
        match answer {
            NonceAnswer::New => self.sigs[i].stage = Stage::Verified,
            NonceAnswer::Seen => self.fail(i, Error::NonceReplayed(nonce)),
            NonceAnswer::Unavailable(why) => self.fail(i, Error::ReplayCheckUnavailable(why)),
        }
    }

    /// The verdict when no signature verified: an invalid signature over an unverifiable
    /// one, else the first.
    fn best_failure(&self) -> Verdict {
        let mut best: Option<&Verdict> = None;
        for s in &self.sigs {
            let better = match best {
                None => true,
                Some(b) => {
                    b.verdict == Outcome::Unverified && s.verdict.verdict == Outcome::Invalid
                }
            };
            if better {
                best = Some(&s.verdict);
            }
        }
        best.cloned()
            .unwrap_or_else(|| Verdict::from_error(Error::NoSignature))
    }
}

/// The index of `key` (found by [`JwkSet::find`]) in `set`.
fn position_of(set: &JwkSet, key: &Key) -> usize {
    set.keys()
        .iter()
        .position(|k| core::ptr::eq(&k.key, key))
        .unwrap_or(0)
}

fn body_error(failure: &super::BodyFailure) -> Error {
    match failure {
        super::BodyFailure::TooLarge => Error::LimitExceeded(
            "the body is larger than the verifier checks (MAX_CHECKED_BODY_BYTES)",
        ),
        super::BodyFailure::Busy => {
            Error::LimitExceeded("the verifier's budget for buffered bodies is spent (try again)")
        }
        super::BodyFailure::Unreadable(why) => {
            Error::MalformedMessage(alloc::format!("the body could not be read: {why}"))
        }
    }
}

/// Why no signature applies: the requested label is missing, or has the wrong tag, or no
/// signature carries the required tag.
fn not_applicable(policy: &Policy, sigs: &[LabelledSignature]) -> Verdict {
    let requested = policy
        .label
        .as_ref()
        .and_then(|l| sigs.iter().find(|s| s.label == *l));
    let tags = policy.accepted_tags();
    let expected = tags.join(" or ");
    let why = match (&policy.label, tags.is_empty(), requested) {
        (Some(l), _, None) => Error::LabelNotFound(l.clone()),
        // The caller asked for this very signature, and its tag is wrong.
        (Some(_), false, Some(sig)) => {
            let mut verdict = Verdict::about(sig);
            verdict.fail(Error::TagMismatch {
                expected,
                found: sig.params.tag().map(Into::into),
            });
            return verdict;
        }
        (_, false, _) => {
            Error::NoApplicableSignature(alloc::format!("no signature has tag {expected:?}"))
        }
        _ => Error::NoApplicableSignature("no signature matches the policy".into()),
    };
    Verdict::from_error(why)
}

/// The fields whose presence makes a request signed: a request with neither is
/// `unverified` (`no_signature`), and a host may say so without building the message.
pub const SIGNATURE_FIELDS: [&str; 2] = ["signature-input", "signature"];

/// The verdict for a request the host could not turn into a message (too many header
/// lines, an overlong URL): such limits concern signatures, so a request that carries no
/// `Signature-Input` or `Signature` field is `unverified` (`no_signature`) whatever else is
/// wrong with it, and a signed one is `invalid` with the reason.
pub fn unreadable_request(error: Error, carries_signature: bool) -> Verdict {
    if carries_signature {
        Verdict::from_error(error)
    } else {
        Verdict::from_error(Error::NoSignature)
    }
}
