//! Makes a large data folder for `scripts/bench-backup`: N submissions of one municipality, each with one
//! attachment of B bytes, all delivered. The records are those of a real submission (the first of the
//! frozen schema 3 store in `tests/fixtures/stores/v3`, read through the store's own export), repeated with
//! new references and file ids, and written through the store's own import; the files are written beside.
//!
//! Usage: gen-store DATA_DIR SUBMISSIONS FILE_BYTES

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: gen-store DATA_DIR SUBMISSIONS FILE_BYTES");
        std::process::exit(2);
    }
    let data = PathBuf::from(&args[1]);
    let n: u64 = args[2].parse().unwrap();
    let file_bytes: usize = args[3].parse().unwrap();
    assert!(
        !data.join("radhus.redb").exists(),
        "{} has a store already",
        data.display()
    );

    // The template: the frozen store's export.
    let fixture = tempfile::tempdir().unwrap();
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/stores/v3/radhus.redb"
        ),
        fixture.path().join("radhus.redb"),
    )
    .unwrap();
    let store = radhus::store::Store::open(fixture.path()).unwrap();
    let mut exported = vec![];
    store.export_to(&mut exported).unwrap();
    drop(store);
    let exported = String::from_utf8(exported).unwrap();
    let find = |prefix: &str| -> String {
        exported
            .lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line {prefix}"))
            .to_owned()
    };
    let sub = find(r#"{"table":"tenantreference_submission","key":"eksempel/2026-00001""#);
    let row =
        find(r#"{"table":"tenantreferencetarget_outboxrow","key":"eksempel/2026-00001/archive""#);
    let owner = find(r#"{"table":"tenantfile_reference","key":"eksempel/"#);
    let old_id = owner
        .split("\"key\":\"eksempel/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(sub.contains(&old_id));

    std::fs::create_dir_all(data.join("files/eksempel")).unwrap();
    let lines_path = data.join("gen.jsonl");
    let mut lines = std::io::BufWriter::new(std::fs::File::create(&lines_path).unwrap());
    // The store's own facts and everything but the template's submissions.
    for l in exported.lines() {
        let skip = [
            "tenantreference_submission",
            "tenantreferencetarget_outboxrow",
            "tenantfile_reference",
            "tenant_referencecounter",
            "dueat_outboxkey",
            "tenantdraft_draft",
            "sessionid_session",
        ]
        .iter()
        .any(|t| l.starts_with(&format!(r#"{{"table":"{t}""#)));
        if !skip {
            writeln!(lines, "{l}").unwrap();
        }
    }
    let mut block = vec![0u8; file_bytes.max(1)];
    getrandom::fill(&mut block).unwrap();
    let started = std::time::Instant::now();
    for i in 1..=n {
        let reference = format!("2026-{i:05}");
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).unwrap();
        let id: String = id.iter().map(|b| format!("{b:02x}")).collect();
        let swap = |l: &str| l.replace("2026-00001", &reference).replace(&old_id, &id);
        writeln!(lines, "{}", swap(&sub)).unwrap();
        writeln!(lines, "{}", swap(&row)).unwrap();
        writeln!(lines, "{}", swap(&owner)).unwrap();
        // Each file differs (its first bytes are its number), so nothing below can share them.
        block[..8.min(file_bytes)].copy_from_slice(&i.to_le_bytes()[..8.min(file_bytes)]);
        std::fs::write(data.join("files/eksempel").join(&id), &block[..file_bytes]).unwrap();
    }
    writeln!(
        lines,
        r#"{{"table":"tenant_referencecounter","key":"eksempel","u64":{n}}}"#
    )
    .unwrap();
    lines.flush().unwrap();
    drop(lines);
    let file = std::fs::File::open(&lines_path).unwrap();
    let digest = radhus::store::snapshot::import(
        &mut std::io::BufReader::new(file),
        &data.join("radhus.redb"),
    )
    .unwrap();
    std::fs::remove_file(&lines_path).unwrap();
    eprintln!(
        "gen-store: {n} submissions, {} MB of attachments in {:.1} s (store digest {digest})",
        n * file_bytes as u64 / 1_000_000,
        started.elapsed().as_secs_f64()
    );
}
