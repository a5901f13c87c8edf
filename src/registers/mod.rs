//! Register lookups that save the citizen typing what the public sector knows: Enhetsregisteret
//! (organisasjonsnummer → name, organisation form, business address; its open API's JSON), a
//! population register (fødselsnummer → name, address, address protection; the Folkeregister
//! person document's field names) and a contact register (fødselsnummer → e-mail address and mobile
//! number, reservation; KRR's `personer` answer). Each adapter is a plain HTTPS call through ureq with
//! a short timeout, run on a blocking thread.
//!
//! A lookup never blocks a form: an error, a timeout or an unknown number is "nothing found", logged
//! without the number. The protected-address rule lives in [`Person::address_may_prefill`].

use std::time::Duration;

use serde::Deserialize;

use crate::config::{RegisterConfig, RegistersConfig};

/// A postal address as the registers give it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PostalAddress {
    pub street: String,
    pub postnummer: String,
    pub poststed: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub orgnr: String,
    pub name: String,
    /// The organisation form's code and name (`AS`, "Aksjeselskap").
    pub form: Option<(String, String)>,
    pub address: Option<PostalAddress>,
}

/// Address protection in the population register (adressebeskyttelse).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    None,
    /// `fortrolig`: the address is confidential.
    Confidential,
    /// `strengtFortrolig` or `strengtFortroligUtland`: strictly confidential.
    StrictlyConfidential,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: Option<String>,
    pub address: Option<PostalAddress>,
    pub protection: Protection,
}

impl Person {
    /// The rule: an address under any protection is never brought into a form by Rådhus (not
    /// prefilled, so never in a draft, a PDF, a mail or the file drop through us). What the citizen
    /// types herself goes where the form sends it, as for anyone.
    pub fn address_may_prefill(&self) -> bool {
        self.protection == Protection::None
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub email: Option<String>,
    pub mobile: Option<String>,
    /// The person has reserved herself against digital contact.
    pub reserved: bool,
}

fn agent(url: &str, timeout: Duration) -> Option<ureq::Agent> {
    crate::delivery::http_post::client(url, None, timeout).ok()
}

fn read_json<T: serde::de::DeserializeOwned>(
    r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<Option<T>, String> {
    let mut resp = r.map_err(|e| e.to_string())?;
    match resp.status().as_u16() {
        200 => {
            let text = resp
                .body_mut()
                .with_config()
                .limit(512 * 1024)
                .read_to_string()
                .map_err(|e| e.to_string())?;
            serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| format!("unexpected JSON: {e}"))
        }
        404 | 410 => Ok(None),
        s => Err(format!("HTTP {s}")),
    }
}

fn with_token(
    req: ureq::RequestBuilder<ureq::typestate::WithoutBody>,
    cfg: &RegisterConfig,
) -> ureq::RequestBuilder<ureq::typestate::WithoutBody> {
    match &cfg.token {
        Some(t) => req.header("authorization", &format!("Bearer {t}")),
        None => req,
    }
}

#[derive(Deserialize)]
struct BrregUnit {
    organisasjonsnummer: String,
    navn: String,
    organisasjonsform: Option<BrregForm>,
    forretningsadresse: Option<BrregAddress>,
    postadresse: Option<BrregAddress>,
}

#[derive(Deserialize)]
struct BrregForm {
    kode: String,
    beskrivelse: String,
}

#[derive(Deserialize)]
struct BrregAddress {
    #[serde(default)]
    adresse: Vec<String>,
    postnummer: Option<String>,
    poststed: Option<String>,
}

/// Enhetsregisteret: `GET <url>/enheter/<orgnr>` (404 or 410: no such unit, or deleted).
pub fn organisation(
    cfg: &RegisterConfig,
    orgnr: &str,
    timeout: Duration,
) -> Result<Option<Organisation>, String> {
    if orgnr.len() != 9 || !orgnr.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let url = format!("{}/enheter/{orgnr}", cfg.url.trim_end_matches('/'));
    let agent = agent(&url, timeout).ok_or("no HTTPS client")?;
    let unit: Option<BrregUnit> = read_json(
        with_token(agent.get(&url), cfg)
            .header("accept", "application/json")
            .call(),
    )?;
    Ok(unit.map(|u| {
        let a = u.forretningsadresse.or(u.postadresse);
        Organisation {
            orgnr: u.organisasjonsnummer,
            name: u.navn,
            form: u.organisasjonsform.map(|f| (f.kode, f.beskrivelse)),
            address: a.map(|a| PostalAddress {
                street: a.adresse.join(", "),
                postnummer: a.postnummer.unwrap_or_default(),
                poststed: a.poststed.unwrap_or_default(),
            }),
        }
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FregPerson {
    #[serde(default)]
    navn: Vec<FregName>,
    #[serde(default)]
    bostedsadresse: Vec<FregResidence>,
    #[serde(default)]
    adressebeskyttelse: Vec<FregProtection>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FregName {
    fornavn: String,
    mellomnavn: Option<String>,
    etternavn: String,
    #[serde(default = "yes")]
    er_gjeldende: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FregResidence {
    vegadresse: Option<FregRoadAddress>,
    #[serde(default = "yes")]
    er_gjeldende: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FregRoadAddress {
    adressenavn: String,
    adressenummer: Option<FregNumber>,
    poststed: Option<FregPostPlace>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FregNumber {
    husnummer: String,
    husbokstav: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FregPostPlace {
    postnummer: String,
    poststedsnavn: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FregProtection {
    gradering: String,
    #[serde(default = "yes")]
    er_gjeldende: bool,
}

fn yes() -> bool {
    true
}

/// The population register: `GET <url>/personer/<fnr>`, the Folkeregister person document (current
/// entries only).
pub fn person(
    cfg: &RegisterConfig,
    fnr: &str,
    timeout: Duration,
) -> Result<Option<Person>, String> {
    if fnr.len() != 11 || !fnr.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let url = format!("{}/personer/{fnr}", cfg.url.trim_end_matches('/'));
    let agent = agent(&url, timeout).ok_or("no HTTPS client")?;
    let p: Option<FregPerson> = read_json(
        with_token(agent.get(&url), cfg)
            .header("accept", "application/json")
            .call(),
    )?;
    Ok(p.map(|p| {
        let protection = p
            .adressebeskyttelse
            .iter()
            .filter(|a| a.er_gjeldende)
            .map(|a| match a.gradering.as_str() {
                "strengtFortrolig" | "strengtFortroligUtland" => Protection::StrictlyConfidential,
                "fortrolig" => Protection::Confidential,
                _ => Protection::None,
            })
            .max_by_key(|p| match p {
                Protection::None => 0,
                Protection::Confidential => 1,
                Protection::StrictlyConfidential => 2,
            })
            .unwrap_or(Protection::None);
        let name = p.navn.iter().find(|n| n.er_gjeldende).map(|n| {
            [
                Some(n.fornavn.as_str()),
                n.mellomnavn.as_deref(),
                Some(n.etternavn.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
        });
        // Under protection the address is not even read out of the answer.
        let address = (protection == Protection::None)
            .then(|| {
                p.bostedsadresse
                    .iter()
                    .filter(|b| b.er_gjeldende)
                    .find_map(|b| b.vegadresse.as_ref())
                    .map(|v| PostalAddress {
                        street: match &v.adressenummer {
                            Some(n) => format!(
                                "{} {}{}",
                                v.adressenavn,
                                n.husnummer,
                                n.husbokstav.as_deref().unwrap_or("")
                            ),
                            None => v.adressenavn.clone(),
                        },
                        postnummer: v
                            .poststed
                            .as_ref()
                            .map(|p| p.postnummer.clone())
                            .unwrap_or_default(),
                        poststed: v
                            .poststed
                            .as_ref()
                            .map(|p| p.poststedsnavn.clone())
                            .unwrap_or_default(),
                    })
            })
            .flatten();
        Person {
            name,
            address,
            protection,
        }
    }))
}

#[derive(Deserialize)]
struct KrrAnswer {
    #[serde(default)]
    personer: Vec<KrrPerson>,
}

#[derive(Deserialize)]
struct KrrPerson {
    personidentifikator: String,
    reservasjon: Option<String>,
    status: Option<String>,
    kontaktinformasjon: Option<KrrContact>,
}

#[derive(Deserialize)]
struct KrrContact {
    epostadresse: Option<String>,
    mobiltelefonnummer: Option<String>,
}

/// The contact register (KRR): `POST <url>/rest/v1/personer` with `{"personidentifikatorer": [fnr]}`.
pub fn contact(
    cfg: &RegisterConfig,
    fnr: &str,
    timeout: Duration,
) -> Result<Option<Contact>, String> {
    if fnr.len() != 11 || !fnr.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let url = format!("{}/rest/v1/personer", cfg.url.trim_end_matches('/'));
    let agent = agent(&url, timeout).ok_or("no HTTPS client")?;
    let body = serde_json::json!({ "personidentifikatorer": [fnr] }).to_string();
    let mut req = agent
        .post(&url)
        .header("accept", "application/json")
        .header("content-type", "application/json");
    if let Some(t) = &cfg.token {
        req = req.header("authorization", &format!("Bearer {t}"));
    }
    let a: Option<KrrAnswer> = read_json(req.send(body.as_bytes()))?;
    Ok(a.and_then(|a| {
        a.personer
            .into_iter()
            .find(|p| p.personidentifikator == fnr)
            .filter(|p| p.status.as_deref().is_none_or(|s| s == "AKTIV"))
            .map(|p| {
                let reserved = p.reservasjon.as_deref() == Some("JA");
                let c = p.kontaktinformasjon;
                Contact {
                    email: c.as_ref().and_then(|c| c.epostadresse.clone()),
                    mobile: c.and_then(|c| c.mobiltelefonnummer),
                    reserved,
                }
            })
    }))
}

/// What the registers say about a person, for prefilling a draft: looked up in parallel, each within
/// the configured timeout; a failure is logged (without the number) and is "nothing".
pub async fn about_person(cfg: &RegistersConfig, fnr: &str) -> (Option<Person>, Option<Contact>) {
    let t = cfg.timeout;
    let run =
        |which: &'static str,
         f: Box<dyn FnOnce() -> Result<Option<PersonOrContact>, String> + Send>| async move {
            match tokio::time::timeout(
                t + Duration::from_millis(200),
                tokio::task::spawn_blocking(f),
            )
            .await
            {
                Ok(Ok(Ok(v))) => v,
                Ok(Ok(Err(e))) => {
                    tracing::warn!(register = which, error = %e, "a register lookup failed; the form goes on without it");
                    None
                }
                _ => {
                    tracing::warn!(
                        register = which,
                        "a register lookup timed out; the form goes on without it"
                    );
                    None
                }
            }
        };
    let person = cfg.population.clone().map(|c| {
        let f = fnr.to_owned();
        run(
            "population",
            Box::new(move || person(&c, &f, t).map(|p| p.map(PersonOrContact::Person))),
        )
    });
    let contact = cfg.contact.clone().map(|c| {
        let f = fnr.to_owned();
        run(
            "contact",
            Box::new(move || contact(&c, &f, t).map(|p| p.map(PersonOrContact::Contact))),
        )
    });
    let (p, c) = match (person, contact) {
        (Some(p), Some(c)) => tokio::join!(p, c),
        (Some(p), None) => (p.await, None),
        (None, Some(c)) => (None, c.await),
        (None, None) => (None, None),
    };
    let p = match p {
        Some(PersonOrContact::Person(p)) => Some(p),
        _ => None,
    };
    let c = match c {
        Some(PersonOrContact::Contact(c)) => Some(c),
        _ => None,
    };
    (p, c)
}

enum PersonOrContact {
    Person(Person),
    Contact(Contact),
}

/// Enhetsregisteret for a posted organisasjonsnummer, within the timeout; `None` for anything else.
pub async fn lookup_organisation(cfg: &RegistersConfig, orgnr: &str) -> Option<Organisation> {
    let c = cfg.organisations.clone()?;
    let (o, t) = (orgnr.to_owned(), cfg.timeout);
    match tokio::time::timeout(
        t + Duration::from_millis(200),
        tokio::task::spawn_blocking(move || organisation(&c, &o, t)),
    )
    .await
    {
        Ok(Ok(Ok(found))) => found,
        Ok(Ok(Err(e))) => {
            tracing::warn!(register = "enhetsregisteret", error = %e, "a register lookup failed; the form goes on without it");
            None
        }
        _ => {
            tracing::warn!(
                register = "enhetsregisteret",
                "a register lookup timed out; the form goes on without it"
            );
            None
        }
    }
}
