//! Stores written by earlier schema versions open in this build and are migrated: frozen copies live in
//! `tests/fixtures/stores/v<N>/`, and a schema change without a fixture of the version before it fails
//! here.

use std::path::PathBuf;

use radhus::cases::records::OutboxState;
use radhus::ids::{SessionId, Target, TenantId};
use radhus::store::Store;
use radhus::store::migrate::{CURRENT, MIGRATIONS};

fn fixture(version: u32) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/stores/v{version}"))
}

#[test]
fn every_schema_version_has_a_migration_and_the_one_before_a_fixture() {
    assert_eq!(CURRENT as usize, MIGRATIONS.len());
    for (i, m) in MIGRATIONS.iter().enumerate() {
        assert_eq!(
            m.version as usize,
            i + 1,
            "migrations in order, one per version"
        );
    }
    assert!(
        fixture(CURRENT - 1).join("radhus.redb").exists(),
        "schema {CURRENT} needs a store written by schema {} in {}",
        CURRENT - 1,
        fixture(CURRENT - 1).display()
    );
}

/// Schema 2 → now: submissions, outbox rows and their states survive; the failing row is in the due
/// index; the unsent draft moves under its tenant and its session still finds it.
#[test]
fn a_schema_2_store_opens_migrated() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture(2).join("radhus.redb"),
        dir.path().join(radhus::store::FILE_NAME),
    )
    .unwrap();
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.ping().unwrap(), CURRENT);
    let t = TenantId::parse("eksempel").unwrap();
    let ts = store.tenant(&t);
    let subs = ts.submissions().unwrap();
    let refs: Vec<String> = subs.iter().map(|s| s.reference.to_string()).collect();
    assert_eq!(refs, ["2026-00001", "2026-00002"]);
    let first = ts.outbox_rows(&subs[0].reference).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].target, Target::Archive);
    assert!(matches!(first[0].state, OutboxState::Delivered { .. }));
    let second = ts.outbox_rows(&subs[1].reference).unwrap();
    assert!(matches!(
        second[0].state,
        OutboxState::Failing { attempts: 1, .. }
    ));
    // The failing row is due (its next try has long passed); the delivered one is not.
    let due = store
        .system()
        .due_deliveries(i64::MAX / 2, 10, |_| true)
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].reference, subs[1].reference);
    // The draft, found the way its session finds it.
    let sid = SessionId::parse("OiIz6yrU0ynVt_BanGDfcA1rurOySBW1yFWLRVmjQuA").unwrap();
    let session = store.session(&sid).unwrap().unwrap();
    let id = session.drafts.get("eksempel/kontaktskjema").unwrap();
    let draft = ts.draft(id).unwrap().unwrap();
    assert_eq!(draft.answers.text("melding"), "Et utkast som ikke er sendt");
    assert!(draft.submitted.is_none());
    assert!(
        store
            .tenant(&TenantId::parse("provestad").unwrap())
            .draft(id)
            .unwrap()
            .is_none(),
        "under its own tenant only"
    );
    // Opened again: nothing left to migrate, nothing changed.
    let digest = store.system().digest().unwrap();
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.system().digest().unwrap(), digest);
}
