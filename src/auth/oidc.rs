//! The OpenID Connect relying party (ID-porten and any standard provider): discovery, the authorization
//! code flow with PKCE (S256), `state` and `nonce` kept in the server-side session, the code exchanged at
//! the token endpoint (client_secret_basic), and the ID token checked: its signature against the
//! provider's JWKS (fetched again when a token names a key the cached set lacks: key rotation), `iss`,
//! `aud`, `exp` and `iat` against the appliance's clock, the `nonce`, and `acr` mapped to a level.
//!
//! JOSE is the `jsonwebtoken` crate (on ring, which the TLS stack already uses); HTTP is ureq with
//! rustls, run on blocking threads. What no crate does here is the glue: PKCE, the URLs, the checks
//! that depend on our session and clock.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use base64::Engine as _;
use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::config::OidcConfig;
use crate::forms::LoginLevel;

/// What a provider's discovery document says (the fields this code uses).
#[derive(Debug, Clone, Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub end_session_endpoint: Option<String>,
}

/// Why a login through a provider did not happen. The page says which, never the details (the log
/// gets them, without tokens).
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider could not be reached, was too slow, or answered with a server error.
    #[error("the provider is unavailable: {0}")]
    Unavailable(String),
    /// What came back could not be trusted (signature, issuer, audience, time, nonce, a used code).
    #[error("the login could not be verified: {0}")]
    Refused(String),
}

/// How long a discovery document and a key set are trusted before they are fetched again.
const CACHE_FOR: Duration = Duration::from_secs(3600);
/// Clock skew allowed on `exp` and `iat`.
const LEEWAY_SECS: i64 = 60;
/// The biggest document accepted from a provider.
const MAX_BYTES: u64 = 256 * 1024;

struct Cached {
    discovery: Discovery,
    jwks: Option<(JwkSet, Instant)>,
    at: Instant,
}

/// The providers' discovery documents and key sets, cached per provider name.
#[derive(Default)]
pub struct Providers {
    cache: Mutex<HashMap<String, Cached>>,
}

/// A login's secrets, kept in the session until the provider sends the citizen back.
pub struct Started {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub verifier: String,
}

/// What a verified ID token says.
#[derive(Debug, Clone)]
pub struct Verified {
    pub subject: String,
    /// The national identity number, if the provider sent the configured claim.
    pub pid: Option<String>,
    pub acr: Option<String>,
    /// The level `acr` maps to; `None` for an `acr` the configuration does not know.
    pub level: Option<LoginLevel>,
}

fn random_b64(n: usize) -> Result<String, OidcError> {
    let mut b = vec![0u8; n];
    getrandom::fill(&mut b).map_err(|e| OidcError::Unavailable(e.to_string()))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
}

/// The PKCE challenge (S256) of a verifier.
pub fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn get_json<T: serde::de::DeserializeOwned>(cfg: &OidcConfig, url: &str) -> Result<T, OidcError> {
    let agent = crate::delivery::http_post::client(url, cfg.ca_pem.as_deref(), cfg.timeout)
        .map_err(|e| OidcError::Unavailable(e.to_string()))?;
    let mut resp = agent
        .get(url)
        .header("accept", "application/json")
        .call()
        .map_err(|e| OidcError::Unavailable(format!("{url}: {e}")))?;
    let status = resp.status().as_u16();
    if status != 200 {
        return Err(OidcError::Unavailable(format!("{url}: HTTP {status}")));
    }
    let text = resp
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_string()
        .map_err(|e| OidcError::Unavailable(format!("{url}: {e}")))?;
    serde_json::from_str(&text).map_err(|e| OidcError::Unavailable(format!("{url}: {e}")))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, OidcError> + Send + 'static,
) -> Result<T, OidcError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| OidcError::Unavailable(e.to_string()))?
}

impl Providers {
    /// The provider's discovery document (fetched when missing or older than an hour). Its `issuer`
    /// must be the configured one.
    pub async fn discovery(&self, cfg: &OidcConfig) -> Result<Discovery, OidcError> {
        if let Ok(map) = self.cache.lock()
            && let Some(c) = map.get(&cfg.name)
            && c.at.elapsed() < CACHE_FOR
        {
            return Ok(c.discovery.clone());
        }
        let c = cfg.clone();
        let d: Discovery = blocking(move || get_json(&c, &c.discovery_url)).await?;
        if d.issuer.trim_end_matches('/') != cfg.issuer.trim_end_matches('/') {
            return Err(OidcError::Unavailable(format!(
                "the discovery document names the issuer {:?}, the configuration {:?}",
                d.issuer, cfg.issuer
            )));
        }
        if let Ok(mut map) = self.cache.lock() {
            map.insert(
                cfg.name.clone(),
                Cached {
                    discovery: d.clone(),
                    jwks: None,
                    at: Instant::now(),
                },
            );
        }
        Ok(d)
    }

    /// Where to send the citizen, with a new `state`, `nonce` and PKCE verifier.
    pub async fn start(
        &self,
        cfg: &OidcConfig,
        redirect_uri: &str,
        acr: &str,
    ) -> Result<Started, OidcError> {
        let d = self.discovery(cfg).await?;
        let (state, nonce, verifier) = (random_b64(32)?, random_b64(32)?, random_b64(32)?);
        let query: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("response_type", "code")
            .append_pair("client_id", &cfg.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &cfg.scopes)
            .append_pair("state", &state)
            .append_pair("nonce", &nonce)
            .append_pair("code_challenge", &challenge(&verifier))
            .append_pair("code_challenge_method", "S256")
            .append_pair("acr_values", acr)
            .finish();
        let sep = if d.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        Ok(Started {
            url: format!("{}{sep}{query}", d.authorization_endpoint),
            state,
            nonce,
            verifier,
        })
    }

    /// Exchanges the code for tokens and verifies the ID token. Returns what it says and the raw ID
    /// token (kept for the provider's logout).
    pub async fn finish(
        &self,
        cfg: &OidcConfig,
        code: &str,
        redirect_uri: &str,
        (verifier, nonce): (&str, &str),
        now: i64,
    ) -> Result<(Verified, String), OidcError> {
        let d = self.discovery(cfg).await?;
        let (c, token_url) = (cfg.clone(), d.token_endpoint.clone());
        let form = [
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.to_owned()),
            ("redirect_uri", redirect_uri.to_owned()),
            ("code_verifier", verifier.to_owned()),
        ];
        let id_token = blocking(move || exchange(&c, &token_url, &form)).await?;
        let verified = self.verify(cfg, &d, &id_token, nonce, now).await?;
        Ok((verified, id_token))
    }

    async fn key_set(
        &self,
        cfg: &OidcConfig,
        d: &Discovery,
        fresh: bool,
    ) -> Result<JwkSet, OidcError> {
        if !fresh
            && let Ok(map) = self.cache.lock()
            && let Some((set, at)) = map.get(&cfg.name).and_then(|c| c.jwks.as_ref())
            && at.elapsed() < CACHE_FOR
        {
            return Ok(set.clone());
        }
        let (c, url) = (cfg.clone(), d.jwks_uri.clone());
        let set: JwkSet = blocking(move || get_json(&c, &url)).await?;
        if let Ok(mut map) = self.cache.lock()
            && let Some(c) = map.get_mut(&cfg.name)
        {
            c.jwks = Some((set.clone(), Instant::now()));
        }
        Ok(set)
    }

    async fn verify(
        &self,
        cfg: &OidcConfig,
        d: &Discovery,
        id_token: &str,
        nonce: &str,
        now: i64,
    ) -> Result<Verified, OidcError> {
        use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
        let refused = |s: String| OidcError::Refused(s);
        if id_token.len() > MAX_BYTES as usize {
            return Err(refused("the ID token is too large".into()));
        }
        let header = decode_header(id_token).map_err(|e| refused(format!("header: {e}")))?;
        if !matches!(
            header.alg,
            Algorithm::RS256
                | Algorithm::RS384
                | Algorithm::RS512
                | Algorithm::PS256
                | Algorithm::PS384
                | Algorithm::PS512
                | Algorithm::ES256
                | Algorithm::ES384
        ) {
            return Err(refused(format!(
                "algorithm {:?} is not accepted",
                header.alg
            )));
        }
        let kid = header.kid.clone();
        let find = |set: &JwkSet| match &kid {
            Some(k) => set.find(k).cloned(),
            None if set.keys.len() == 1 => set.keys.first().cloned(),
            None => None,
        };
        let mut set = self.key_set(cfg, d, false).await?;
        if find(&set).is_none() {
            // A key the cached set does not have: the provider has rotated its keys.
            set = self.key_set(cfg, d, true).await?;
        }
        let jwk = find(&set).ok_or_else(|| refused(format!("no key {kid:?} in the key set")))?;
        let key = DecodingKey::from_jwk(&jwk).map_err(|e| refused(format!("key: {e}")))?;
        let mut v = Validation::new(header.alg);
        v.set_issuer(&[cfg.issuer.as_str()]);
        v.set_audience(&[cfg.client_id.as_str()]);
        // Time is checked below against the appliance's clock.
        v.validate_exp = false;
        v.validate_nbf = false;
        v.set_required_spec_claims(&["iss", "aud", "exp", "iat", "sub"]);
        let data = decode::<serde_json::Value>(id_token, &key, &v)
            .map_err(|e| refused(format!("ID token: {e}")))?;
        let claims = data.claims;
        let int = |k: &str| claims.get(k).and_then(serde_json::Value::as_i64);
        let (Some(exp), Some(iat)) = (int("exp"), int("iat")) else {
            return Err(refused("exp or iat is not a number".into()));
        };
        if exp + LEEWAY_SECS < now {
            return Err(refused(format!("expired {} s ago", now - exp)));
        }
        if iat - LEEWAY_SECS > now {
            return Err(refused("issued in the future".into()));
        }
        let got_nonce = claims.get("nonce").and_then(|n| n.as_str()).unwrap_or("");
        if !bool::from(subtle::ConstantTimeEq::ct_eq(
            got_nonce.as_bytes(),
            nonce.as_bytes(),
        )) {
            return Err(refused("the nonce is not the one sent".into()));
        }
        let text = |k: &str| {
            claims
                .get(k)
                .and_then(|v| v.as_str())
                .filter(|s| s.len() <= 256)
                .map(str::to_owned)
        };
        let subject = text("sub").ok_or_else(|| refused("no usable sub".into()))?;
        let acr = text("acr");
        let level = acr
            .as_ref()
            .and_then(|a| cfg.levels.iter().find(|(x, _)| x == a).map(|(_, l)| *l));
        let today = time::OffsetDateTime::from_unix_timestamp(now)
            .map(|t| t.date())
            .unwrap_or(time::Date::MIN);
        let pid =
            text(&cfg.pid_claim).filter(|p| crate::forms::validate::fnr::check(p, today).is_ok());
        Ok(Verified {
            subject,
            pid,
            acr,
            level,
        })
    }
}

/// The token endpoint's answer: the ID token, or why not. A refused code (used, expired, another
/// client's) is `Refused`; a provider that cannot be reached is `Unavailable`.
fn exchange(cfg: &OidcConfig, url: &str, form: &[(&str, String)]) -> Result<String, OidcError> {
    let agent = crate::delivery::http_post::client(url, cfg.ca_pem.as_deref(), cfg.timeout)
        .map_err(|e| OidcError::Unavailable(e.to_string()))?;
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let basic = base64::engine::general_purpose::STANDARD.encode(format!(
        "{}:{}",
        enc(&cfg.client_id),
        enc(&cfg.client_secret)
    ));
    let mut resp = agent
        .post(url)
        .header("authorization", &format!("Basic {basic}"))
        .header("accept", "application/json")
        .send_form(form.iter().map(|(k, v)| (*k, v.as_str())))
        .map_err(|e| OidcError::Unavailable(format!("{url}: {e}")))?;
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_string()
        .map_err(|e| OidcError::Unavailable(format!("{url}: HTTP {status}: {e}")))?;
    let body: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| OidcError::Unavailable(format!("{url}: HTTP {status}: {e}")))?;
    match status {
        200 => body
            .get("id_token")
            .and_then(|t| t.as_str())
            .map(str::to_owned)
            .ok_or_else(|| OidcError::Refused("the token response has no id_token".into())),
        400..=499 => Err(OidcError::Refused(format!(
            "the token endpoint refused the code: {}",
            body.get("error").and_then(|e| e.as_str()).unwrap_or("?")
        ))),
        _ => Err(OidcError::Unavailable(format!("{url}: HTTP {status}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pkce_challenge_is_rfc_7636s() {
        // RFC 7636, appendix B.
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
