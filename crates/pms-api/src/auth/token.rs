//! Session tokens: `pms1.<tenant>.<64 hex>`, 256 random bits. The tenant part lets the server
//! find the session under the tenant's row-level security without a cross-tenant lookup; the
//! database keeps only the SHA-256 of the whole token.

use pms_core::TenantId;
use rand::RngCore;
use uuid::Uuid;

/// The session cookie's name (for the browser console).
pub(crate) const COOKIE: &str = "pms_session";

/// A syntactically valid token and the tenant it names.
#[derive(Clone)]
pub struct Token {
    pub text: String,
    pub tenant: TenantId,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a token.
        write!(f, "Token({})", self.tenant)
    }
}

impl Token {
    pub fn generate(tenant: TenantId) -> Self {
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        Self {
            text: format!("pms1.{}.{}", tenant.as_uuid().simple(), hex::encode(secret)),
            tenant,
        }
    }

    /// `None` for anything that is not a token of this shape.
    pub fn parse(text: &str) -> Option<Self> {
        let mut parts = text.split('.');
        let (Some("pms1"), Some(t), Some(secret), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return None;
        };
        if t.len() != 32 || secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let tenant = Uuid::try_parse(t).ok()?;
        Some(Self {
            text: text.to_string(),
            tenant: TenantId(tenant),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let t = TenantId(Uuid::new_v4());
        let tok = Token::generate(t);
        assert_eq!(Token::parse(&tok.text).unwrap().tenant, t);
        assert_ne!(Token::generate(t).text, tok.text);
        for bad in [
            "",
            "pms1",
            "pms1.x.y",
            &tok.text.replace("pms1", "pms2"),
            &format!("{}.z", tok.text),
        ] {
            assert!(Token::parse(bad).is_none(), "{bad}");
        }
        assert!(!format!("{tok:?}").contains(&tok.text[40..]));
    }
}
