//! `multipart/form-data` read as a stream: text fields into memory (bounded), files straight to disk
//! (bounded memory whatever their size), each file judged by its content and the field's rules.
//!
//! The CSRF token must be the first part (the hidden input comes first in every form we render), so no
//! byte of a file is written for a forged request.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::HeaderMap;
use hyper::body::Incoming;
use hyper::header;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::error::WebError;
use crate::attachments::clamav::{self, ClamavConfig, Verdict};
use crate::attachments::structure;
use crate::attachments::{
    FileStore, FileType, StoredFile, accept_names, display_name, new_id, sniff, type_named,
};
use crate::ids::TenantId;

/// How much of a file is looked at to judge its type.
const SNIFF_BYTES: usize = 8192;

/// Limits for one request and the submission it belongs to.
#[derive(Debug, Clone)]
pub struct Limits {
    /// All attachments of one submission together.
    pub submission_bytes: u64,
    pub submission_files: usize,
    /// Text fields together.
    pub text_bytes: usize,
    /// Longest wait for the next piece of the body.
    pub idle: Duration,
    /// When the whole body must have arrived, however steadily it trickles.
    pub until: tokio::time::Instant,
}

/// Waits for the next piece of the body: at most `idle`, and never past `until`.
async fn within<T>(
    limits: &Limits,
    next: impl std::future::Future<Output = T>,
) -> Result<T, WebError> {
    let at = (tokio::time::Instant::now() + limits.idle).min(limits.until);
    tokio::time::timeout_at(at, next)
        .await
        .map_err(|_| WebError::Timeout)
}

/// The rules of one attachment input, and how many files it already holds.
#[derive(Debug, Clone)]
pub struct FieldRule {
    pub accept: Vec<String>,
    pub max_bytes: u64,
    pub max_files: usize,
    pub already: usize,
}

/// A file that was refused, as a message for the field.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub field: String,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub fields: Vec<(String, String)>,
    /// Accepted files, already durable in the tenant's folder.
    pub files: Vec<StoredFile>,
    pub problems: Vec<Problem>,
}

/// What the request's surroundings provide.
pub struct Context<'a> {
    pub files: &'a FileStore,
    pub tenant: &'a TenantId,
    pub clamav: Option<&'a ClamavConfig>,
    pub limits: &'a Limits,
    /// Files and bytes the submission already holds.
    pub already: (usize, u64),
    pub csrf_ok: &'a (dyn Fn(&str) -> bool + Sync),
    /// The rules for an input name, or `None` when it takes no files here.
    pub rule: &'a (dyn Fn(&str) -> Option<FieldRule> + Sync),
}

use crate::attachments::megabytes as mb;

/// 413 before a byte is read when `Content-Length` says the body is larger than `limit`.
pub fn refuse_declared_over(headers: &HeaderMap, limit: u64) -> Result<(), WebError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(WebError::TooLarge {
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
        });
    }
    Ok(())
}

/// Whether a `Content-Type` is multipart form data.
pub fn is_multipart(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/form-data")
        })
}

/// Reads the whole request. Structural problems (no boundary, truncated or malformed body, bad UTF-8 in a
/// text field, forged CSRF) are errors and leave nothing behind; refused files are [`Problem`]s.
pub async fn read(
    headers: &HeaderMap,
    body: Incoming,
    cx: &Context<'_>,
) -> Result<Parsed, WebError> {
    read_stream(headers, body.into_data_stream(), cx).await
}

/// [`read`] over any stream of body chunks (the fuzz target feeds it bytes in pieces).
pub async fn read_stream<S, O, E>(
    headers: &HeaderMap,
    stream: S,
    cx: &Context<'_>,
) -> Result<Parsed, WebError>
where
    S: futures_core::Stream<Item = Result<O, E>> + Send + 'static,
    O: Into<Bytes> + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
{
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(ctype).map_err(|_| WebError::UnsupportedMediaType)?;
    let whole = cx
        .limits
        .submission_bytes
        .saturating_add(cx.limits.text_bytes as u64)
        .saturating_add(64 * 1024);
    refuse_declared_over(headers, whole)?;
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(whole));
    let stream = EndLater {
        inner: Box::pin(stream),
        ended: false,
    };
    let mut mp = multer::Multipart::with_constraints(stream, boundary, constraints);
    let mut out = Parsed::default();
    let result = read_parts(&mut mp, cx, &mut out, whole).await;
    if result.is_err() {
        for f in &out.files {
            cx.files.remove(cx.tenant, &f.id);
        }
    }
    result.map(|()| out)
}

/// The body's stream, with its end reported one poll late (after a wake-up). multer 3.1 refuses a whole,
/// well-formed body as "incomplete" when, while it looks for the first boundary, one poll finds nothing yet
/// and the next brings every remaining byte and the end together: it sees the end before it looks at what
/// arrived (rwf2/multer#70, not released). Over HTTP/2 that happened to about one upload in 4,000 under
/// load. Reported a poll later, the end always comes after multer has looked at the bytes before it.
struct EndLater<S> {
    inner: std::pin::Pin<Box<S>>,
    ended: bool,
}

impl<S, O, E> futures_core::Stream for EndLater<S>
where
    S: futures_core::Stream<Item = Result<O, E>>,
{
    type Item = Result<O, E>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        if self.ended {
            return std::task::Poll::Ready(None);
        }
        match self.inner.as_mut().poll_next(cx) {
            std::task::Poll::Ready(None) => {
                self.ended = true;
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            }
            other => other,
        }
    }
}

fn multer_error(e: multer::Error, whole: u64) -> WebError {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            WebError::TooLarge {
                limit: usize::try_from(whole).unwrap_or(usize::MAX),
            }
        }
        other => WebError::BadRequest(format!("malformed multipart body: {other}")),
    }
}

async fn next_chunk(
    field: &mut multer::Field<'_>,
    limits: &Limits,
    whole: u64,
) -> Result<Option<Bytes>, WebError> {
    within(limits, field.chunk())
        .await?
        .map_err(|e| multer_error(e, whole))
}

async fn read_parts(
    mp: &mut multer::Multipart<'_>,
    cx: &Context<'_>,
    out: &mut Parsed,
    whole: u64,
) -> Result<(), WebError> {
    let mut text_bytes = 0usize;
    let mut csrf_seen = false;
    let (mut files_total, mut bytes_total) = cx.already;
    let mut per_field: Vec<(String, usize)> = vec![];
    loop {
        let next = within(cx.limits, mp.next_field())
            .await?
            .map_err(|e| multer_error(e, whole))?;
        let Some(mut field) = next else { break };
        let name = field.name().unwrap_or("").to_owned();
        if !csrf_seen {
            // The token must come first, before any file is written.
            let mut v = Vec::new();
            while let Some(c) = next_chunk(&mut field, cx.limits, whole).await? {
                if v.len() + c.len() > 1024 {
                    break;
                }
                v.extend_from_slice(&c);
            }
            let token = String::from_utf8(v).unwrap_or_default();
            if name != super::csrf::FIELD || !(cx.csrf_ok)(&token) {
                return Err(WebError::Csrf {
                    action: String::new(),
                    fields: vec![],
                });
            }
            csrf_seen = true;
            continue;
        }
        if out.fields.len() + out.files.len() > 10_000 {
            return Err(WebError::BadRequest("too many form fields".into()));
        }
        let Some(original) = field.file_name().map(str::to_owned) else {
            let mut v = Vec::new();
            while let Some(c) = next_chunk(&mut field, cx.limits, whole).await? {
                text_bytes += c.len();
                if text_bytes > cx.limits.text_bytes {
                    return Err(WebError::TooLarge {
                        limit: cx.limits.text_bytes,
                    });
                }
                v.extend_from_slice(&c);
            }
            let value = String::from_utf8(v)
                .map_err(|_| WebError::BadRequest("a form field is not valid UTF-8".into()))?;
            out.fields.push((name, value));
            continue;
        };
        let Some(rule) = (cx.rule)(&name) else {
            // Not an attachment input on this step (a stale page): read past it, keep nothing.
            while next_chunk(&mut field, cx.limits, whole).await?.is_some() {}
            continue;
        };
        let count = per_field
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, c)| *c);
        let problem = |key: &'static str, args: Vec<(&'static str, String)>| Problem {
            field: name.clone(),
            key,
            args,
        };
        let shown = display_name(&original, "");
        // Refusals that need no byte of the file.
        let early = if rule.already + count >= rule.max_files {
            Some(problem(
                "v-file-too-many",
                vec![("max", rule.max_files.to_string())],
            ))
        } else if files_total >= cx.limits.submission_files {
            Some(problem(
                "v-file-total-count",
                vec![("max", cx.limits.submission_files.to_string())],
            ))
        } else {
            None
        };
        let stored = receive(&mut field, cx, &rule, &original, bytes_total, whole).await;
        match (early, stored) {
            (_, Err(e)) => return Err(e),
            (_, Ok(Received::Nothing)) => {}
            (Some(p), Ok(Received::File(f))) => {
                cx.files.remove(cx.tenant, &f.id);
                out.problems.push(p);
            }
            (Some(p), Ok(Received::Refused(_))) => out.problems.push(p),
            (None, Ok(Received::Refused(r))) => out.problems.push(match r {
                Refusal::Empty => problem("v-file-empty", vec![("name", shown)]),
                Refusal::TooLarge => problem(
                    "v-file-too-large",
                    vec![("name", shown), ("max", mb(rule.max_bytes))],
                ),
                Refusal::Total => problem(
                    "v-file-total-size",
                    vec![("max", mb(cx.limits.submission_bytes))],
                ),
                Refusal::Type => problem(
                    "v-file-type",
                    vec![("name", shown), ("types", accept_names(&rule.accept))],
                ),
                Refusal::Infected => problem("v-file-infected", vec![("name", shown)]),
                Refusal::ScanFailed => problem("v-file-scan-failed", vec![("name", shown)]),
                Refusal::Structure(structure::Problem::Unreadable) => problem(
                    "v-file-unreadable",
                    vec![("name", shown), ("types", accept_names(&rule.accept))],
                ),
                Refusal::Structure(structure::Problem::TooManyPixels(mp)) => problem(
                    "v-file-too-many-pixels",
                    vec![
                        ("name", shown),
                        ("pixels", mp.to_string()),
                        ("max", (structure::MAX_PIXELS / 1_000_000).to_string()),
                    ],
                ),
                Refusal::Structure(structure::Problem::Active) => {
                    problem("v-file-active", vec![("name", shown)])
                }
            }),
            (None, Ok(Received::File(f))) => {
                files_total += 1;
                bytes_total += f.size;
                match per_field.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, c)) => *c += 1,
                    None => per_field.push((name.clone(), 1)),
                }
                out.files.push(f);
            }
        }
    }
    if !csrf_seen {
        return Err(WebError::Csrf {
            action: String::new(),
            fields: vec![],
        });
    }
    Ok(())
}

enum Refusal {
    Empty,
    TooLarge,
    Total,
    Type,
    Infected,
    ScanFailed,
    /// Not a whole file of its type ([`structure::Problem`]).
    Structure(structure::Problem),
}

/// Structure checks at once: each reads its file whole on a blocking thread (a PDF is parsed), so they
/// are bounded to the machine's two cores and their memory to two files.
static STRUCTURE_CHECKS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

enum Received {
    /// An empty file input (no file chosen).
    Nothing,
    Refused(Refusal),
    File(StoredFile),
}

/// Streams one file part to a temporary file, judging it on the way; on success the file is durable in
/// the tenant's folder. A refused file's bytes are read and dropped.
async fn receive(
    field: &mut multer::Field<'_>,
    cx: &Context<'_>,
    rule: &FieldRule,
    original: &str,
    bytes_before: u64,
    whole: u64,
) -> Result<Received, WebError> {
    let internal = |e: std::io::Error| {
        let text = format!("storing an upload: {e}");
        if super::error::is_storage_full(&text) {
            WebError::StorageFull(text)
        } else {
            WebError::Internal(text)
        }
    };
    let id = new_id().map_err(internal)?;
    let tmp_dir = cx.files.tmp_dir();
    crate::fs_modes::create_dirs(&tmp_dir, crate::fs_modes::PRIVATE_DIR).map_err(internal)?;
    let tmp = tmp_dir.join(id.as_str());
    let mut file: Option<tokio::fs::File> = None;
    let mut prefix: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut kind: Option<&'static FileType> = None;
    let mut refusal: Option<Refusal> = None;
    let mut size: u64 = 0;
    let mut hash = Sha256::new();
    let judge = |prefix: &[u8]| -> Result<&'static FileType, Refusal> {
        match sniff(prefix) {
            Some(t) if rule.accept.iter().any(|a| type_named(a) == Some(t)) => Ok(t),
            _ => Err(Refusal::Type),
        }
    };
    let cleanup = |tmp: std::path::PathBuf| async move {
        let _ = tokio::fs::remove_file(tmp).await;
    };
    let result: Result<(), WebError> = async {
        while let Some(chunk) = next_chunk(field, cx.limits, whole).await? {
            if refusal.is_some() {
                continue;
            }
            size += chunk.len() as u64;
            if size > rule.max_bytes {
                refusal = Some(Refusal::TooLarge);
                continue;
            }
            if bytes_before + size > cx.limits.submission_bytes {
                refusal = Some(Refusal::Total);
                continue;
            }
            hash.update(&chunk);
            if kind.is_none() {
                let room = SNIFF_BYTES.saturating_sub(prefix.len());
                prefix.extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or_default());
                if prefix.len() >= SNIFF_BYTES {
                    match judge(&prefix) {
                        Ok(t) => kind = Some(t),
                        Err(r) => {
                            refusal = Some(r);
                            continue;
                        }
                    }
                }
            }
            let f = match &mut file {
                Some(f) => f,
                None => file.insert(
                    tokio::fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .mode(crate::fs_modes::PRIVATE_FILE)
                        .open(&tmp)
                        .await
                        .map_err(internal)?,
                ),
            };
            f.write_all(&chunk).await.map_err(internal)?;
        }
        Ok(())
    }
    .await;
    if let Err(e) = result {
        drop(file);
        cleanup(tmp).await;
        return Err(e);
    }
    if size == 0 && refusal.is_none() {
        drop(file);
        cleanup(tmp).await;
        return Ok(if original.is_empty() {
            Received::Nothing
        } else {
            Received::Refused(Refusal::Empty)
        });
    }
    if refusal.is_none() && kind.is_none() {
        match judge(&prefix) {
            Ok(t) => kind = Some(t),
            Err(r) => refusal = Some(r),
        }
    }
    if let Some(r) = refusal {
        drop(file);
        cleanup(tmp).await;
        return Ok(Received::Refused(r));
    }
    let (Some(kind), Some(mut f)) = (kind, file.take()) else {
        cleanup(tmp).await;
        return Ok(Received::Refused(Refusal::Type));
    };
    f.flush().await.map_err(internal)?;
    f.sync_all().await.map_err(internal)?;
    drop(f);
    let judged = {
        let _permit = STRUCTURE_CHECKS
            .acquire()
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?;
        let path = tmp.clone();
        tokio::task::spawn_blocking(move || {
            std::fs::read(&path).map(|bytes| structure::check(kind, &bytes))
        })
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
    };
    match judged {
        Ok(Ok(())) => {}
        Ok(Err(problem)) => {
            cleanup(tmp).await;
            return Ok(Received::Refused(Refusal::Structure(problem)));
        }
        Err(e) => {
            cleanup(tmp).await;
            return Err(internal(e));
        }
    }
    if let Some(cfg) = cx.clamav {
        match clamav::scan(cfg, &tmp).await {
            Ok(Verdict::Clean) => {}
            Ok(Verdict::Infected(sig)) => {
                tracing::warn!(tenant = %cx.tenant, signature = %sig, "an infected upload was refused and deleted");
                cleanup(tmp).await;
                return Ok(Received::Refused(Refusal::Infected));
            }
            Err(e) => {
                tracing::error!(error = %e, "virus scan failed; the upload was refused");
                cleanup(tmp).await;
                return Ok(Received::Refused(Refusal::ScanFailed));
            }
        }
    }
    let store = cx.files.clone();
    let tenant = cx.tenant.clone();
    let id2 = id.clone();
    let tmp2 = tmp.clone();
    let committed = tokio::task::spawn_blocking(move || store.commit(&tmp2, &tenant, &id2))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    if let Err(e) = committed {
        cleanup(tmp).await;
        return Err(internal(e));
    }
    let name = display_name(original, kind.ext);
    Ok(Received::File(StoredFile {
        id,
        field: field.name().unwrap_or("").to_owned(),
        name,
        size,
        sha256: hash.finalize().iter().map(|b| format!("{b:02x}")).collect(),
        content_type: kind.mime.to_owned(),
        ext: kind.ext.to_owned(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body that arrives late: the first poll finds nothing, the next one everything and the end.
    struct Late {
        chunks: std::collections::VecDeque<Bytes>,
        waited: bool,
    }

    impl futures_core::Stream for Late {
        type Item = Result<Bytes, std::io::Error>;

        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            if !self.waited {
                self.waited = true;
                cx.waker().wake_by_ref();
                return std::task::Poll::Pending;
            }
            std::task::Poll::Ready(self.chunks.pop_front().map(Ok))
        }
    }

    #[tokio::test]
    async fn a_whole_body_that_arrives_after_a_wait_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileStore::new(dir.path());
        let tenant = TenantId::parse("eksempel").unwrap();
        let limits = Limits {
            submission_bytes: 1 << 20,
            submission_files: 3,
            text_bytes: 16 * 1024,
            idle: Duration::from_secs(5),
            until: tokio::time::Instant::now() + Duration::from_secs(30),
        };
        let csrf_ok = |t: &str| t == "token";
        let rule = |_: &str| None;
        let cx = Context {
            files: &files,
            tenant: &tenant,
            clamav: None,
            limits: &limits,
            already: (0, 0),
            csrf_ok: &csrf_ok,
            rule: &rule,
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=b0und4ry".parse().unwrap(),
        );
        let body = format!(
            "--b0und4ry\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\ntoken\r\n\
             --b0und4ry\r\nContent-Disposition: form-data; name=\"sted\"\r\n\r\nStorgata 1\r\n\
             --b0und4ry--\r\n",
            super::super::csrf::FIELD
        );
        // In one piece, in two, and with the empty piece HTTP/2 may end a body with.
        let cut = body.len() - 20;
        for pieces in [
            vec![body.clone()],
            vec![body[..cut].to_owned(), body[cut..].to_owned()],
            vec![body.clone(), String::new()],
        ] {
            let late = Late {
                chunks: pieces.into_iter().map(Bytes::from).collect(),
                waited: false,
            };
            let parsed = read_stream(&headers, late, &cx).await.unwrap();
            assert_eq!(
                parsed.fields,
                vec![("sted".to_owned(), "Storgata 1".to_owned())]
            );
        }
    }
}
