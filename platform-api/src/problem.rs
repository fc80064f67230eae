//! How the platform says no. Every refusal the platform itself makes (a
//! 4xx) carries a problem document (`application/problem+json`, after
//! RFC 9457) with a machine code and a sentence for staff. A terminal
//! takes a 4xx as final only when it carries one: a proxy's or load
//! balancer's 408, 413 or 429 (HTML or nothing) is retried like a 5xx.

use serde::{Deserialize, Serialize};

/// The media type of a problem document.
pub const CONTENT_TYPE: &str = "application/problem+json";

/// A refusal by the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The HTTP status it was sent with.
    pub status: u16,
    /// What was refused, as a stable snake_case code (`invalid_body`,
    /// `key_reused`, `no_such_ticket`, …); see `codes`.
    pub code: String,
    /// What is wrong, in a sentence staff can read (English; never
    /// personal data).
    pub detail: String,
}

impl Problem {
    /// A problem with its code and sentence.
    pub fn new(status: u16, code: &str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            detail: detail.into(),
        }
    }

    /// Reads a problem document from a response's content type and body;
    /// `None` when it is not one of the platform's (another media type,
    /// a body that does not parse, or a status that differs from the
    /// response's).
    pub fn from_response(status: u16, content_type: Option<&str>, body: &[u8]) -> Option<Self> {
        let media = content_type?.split(';').next()?.trim();
        if !media.eq_ignore_ascii_case(CONTENT_TYPE) {
            return None;
        }
        let problem: Self = serde_json::from_slice(body).ok()?;
        (problem.status == status && !problem.code.is_empty()).then_some(problem)
    }

    /// Whether a terminal should try the same request again later: the
    /// platform asked it to slow down or wait (408, 425, 429), not
    /// refused it.
    pub fn is_retryable(&self) -> bool {
        matches!(self.status, 408 | 425 | 429)
    }
}

/// The codes the reference platform sends. A terminal acts on the
/// status; the code tells staff and logs which refusal it was.
pub mod codes {
    /// The body is not the document the path takes, or breaks one of
    /// its constraints.
    pub const INVALID_BODY: &str = "invalid_body";
    /// A required header (`Idempotency-Key`) is missing or malformed.
    pub const INVALID_HEADER: &str = "invalid_header";
    /// The idempotency key was used before with another body or by
    /// another terminal: refused, never answered with the earlier
    /// submission's result.
    pub const KEY_REUSED: &str = "key_reused";
    /// The client certificate belongs to another terminal.
    pub const WRONG_TERMINAL: &str = "wrong_terminal";
    /// No resident session token, or an unknown or expired one.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// Another resident's data.
    pub const FORBIDDEN: &str = "forbidden";
    /// Nothing is there by that name.
    pub const NOT_FOUND: &str = "not_found";
    /// A result that contradicts the one already held.
    pub const CONFLICT: &str = "conflict";
    /// The licence is revoked or expired.
    pub const GONE: &str = "gone";
    /// The resident's copies for the day are used up.
    pub const QUOTA_EXHAUSTED: &str = "quota_exhausted";
    /// A path parameter (a scope, a terminal id) is not one the path
    /// takes.
    pub const INVALID_PATH: &str = "invalid_path";
    /// The body names another terminal than the path.
    pub const PATH_MISMATCH: &str = "path_mismatch";
    /// The path exists, but not with this method.
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    /// The body is larger than the platform takes.
    pub const TOO_LARGE: &str = "too_large";
    /// A config bundle whose signature does not match the fleet key.
    pub const BAD_SIGNATURE: &str = "bad_signature";
    /// A genuine config bundle refused: signed for another scope than
    /// the path names, or expired.
    pub const BUNDLE_REFUSED: &str = "bundle_refused";
    /// A print result reporting more pages than its ticket allows.
    pub const TOO_MANY_PAGES: &str = "too_many_pages";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_platforms_own_document_is_a_refusal() {
        let body = serde_json::to_vec(&Problem::new(422, codes::KEY_REUSED, "reused")).unwrap();
        let p = Problem::from_response(422, Some("application/problem+json"), &body).unwrap();
        assert_eq!(p.code, codes::KEY_REUSED);
        assert!(!p.is_retryable());
        // A proxy's page, a plain-text body, or a status that differs.
        assert!(Problem::from_response(413, Some("text/html"), b"<html>").is_none());
        assert!(Problem::from_response(422, Some("text/plain"), &body).is_none());
        assert!(Problem::from_response(400, Some(CONTENT_TYPE), &body).is_none());
        assert!(Problem::from_response(422, None, &body).is_none());
        let slow = serde_json::to_vec(&Problem::new(429, codes::QUOTA_EXHAUSTED, "x")).unwrap();
        let p = Problem::from_response(429, Some("application/problem+json; charset=utf-8"), &slow)
            .unwrap();
        assert!(p.is_retryable());
    }
}
