//! A `multipart/form-data` body (in pieces of fuzzed sizes) through the upload reader: CSRF first, text
//! fields, files streamed to a temporary store, type sniffing and every limit. Nothing may panic, and a
//! refused or malformed body must leave no file behind.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use radhus::attachments::FileStore;
use radhus::http::multipart::{Context, FieldRule, Limits, read_stream};

struct Env {
    rt: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
    files: FileStore,
}

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        Env {
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            files: FileStore::new(dir.path()),
            _dir: dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, body)) = data.split_first() else {
        return;
    };
    let env = env();
    let piece = usize::from(split % 64) + 1;
    let chunks: Vec<Result<bytes::Bytes, std::io::Error>> = body
        .chunks(piece)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect();
    let mut headers = http::HeaderMap::new();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("multipart/form-data; boundary=XyZ"),
    );
    let limits = Limits {
        submission_bytes: 256 * 1024,
        submission_files: 3,
        text_bytes: 16 * 1024,
        idle: Duration::from_secs(5),
        until: tokio::time::Instant::now() + Duration::from_secs(30),
    };
    let csrf_ok = |t: &str| t == "token";
    let rule = |name: &str| {
        (name == "vedlegg" || name == "rad[0].bilde").then(|| FieldRule {
            accept: vec!["pdf".into(), "png".into()],
            max_bytes: 64 * 1024,
            max_files: 2,
            already: 0,
        })
    };
    let tenant = radhus::ids::TenantId::parse("fuzz").unwrap();
    let cx = Context {
        files: &env.files,
        tenant: &tenant,
        clamav: None,
        limits: &limits,
        already: (0, 0),
        csrf_ok: &csrf_ok,
        rule: &rule,
    };
    let result = env.rt.block_on(read_stream(
        &headers,
        futures_util::stream::iter(chunks),
        &cx,
    ));
    match result {
        Ok(parsed) => {
            for f in &parsed.files {
                assert!(f.size > 0 && f.size <= 64 * 1024, "a file outside the limits: {f:?}");
                env.files.remove(&tenant, &f.id);
            }
        }
        Err(_) => {
            // Refused whole: nothing may be left in the tenant's folder.
        }
    }
    let left = std::fs::read_dir(env._dir.path().join("files/fuzz"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(left, 0, "files left behind");
});
