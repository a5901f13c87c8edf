//! Stores written by earlier schema versions open in this build and are migrated: frozen copies live in
//! `tests/fixtures/stores/v<N>/`, one per schema version, and a schema without its fixture fails here.

use std::path::PathBuf;

use radhus::cases::records::OutboxState;
use radhus::ids::{SessionId, Target, TenantId};
use radhus::store::Store;
use radhus::store::migrate::{CURRENT, MIGRATIONS};

/// A copy of the frozen store of `version` in a new folder (the fixture itself is never opened).
fn copy_of(version: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture(version).join("radhus.redb"),
        dir.path().join(radhus::store::FILE_NAME),
    )
    .unwrap();
    dir
}

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
    // Every schema since the first release has its frozen store, this one included (written by
    // `freeze_this_schema` when it is released); schema 1 never shipped alone.
    for v in 2..=CURRENT {
        assert!(
            fixture(v).join("radhus.redb").exists(),
            "schema {v} needs a store written by it in {} (see freeze_this_schema)",
            fixture(v).display()
        );
    }
}

/// Schema 2 → now: submissions, outbox rows and their states survive; the failing row is in the due
/// index; the unsent draft moves under its tenant and its session still finds it.
#[test]
fn a_schema_2_store_opens_migrated() {
    let dir = copy_of(2);
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

/// Writes `tests/fixtures/stores/v<CURRENT>/radhus.redb` through the real server: run it once, by hand,
/// when a schema version is released (`RADHUS_FREEZE_STORE=1 cargo nextest run --run-ignored only
/// freeze_this_schema`), then describe the store in the folder's README and never touch it again.
#[tokio::test]
#[ignore = "writes a fixture; run by hand when a schema version is released"]
async fn freeze_this_schema() {
    use crate::form_run::{HOST, Walk, example, fill, walk};
    use crate::support::{TestServer, csrf_of};
    assert_eq!(std::env::var("RADHUS_FREEZE_STORE").as_deref(), Ok("1"));
    let dest = fixture(CURRENT);
    assert!(
        !dest.join("radhus.redb").exists(),
        "{} is frozen already",
        dest.display()
    );
    let mut srv = TestServer::start().await;
    let w = Walk::new(&srv, "nn", HOST);
    // Delivered, with an attachment.
    walk(&w, "kulturmidler", &example("kulturmidler")).await;
    // Delivered, without.
    walk(&w, "kontaktskjema", &example("kontaktskjema")).await;
    // Schema 4: a verified password account, logged in, with a case sent and a draft kept with it.
    {
        let state = srv.running().state();
        let t = TenantId::parse("eksempel").unwrap();
        let now = state.clock.unix();
        let made = radhus::auth::register(
            &state.store,
            &t,
            "kari@example.no",
            "blå hest på tur i fjellet",
            radhus::i18n::Lang::Nn,
            &state.config.accounts,
            now,
        )
        .await
        .unwrap();
        let radhus::auth::Registration::Verify { token, .. } = made else {
            panic!("a new address");
        };
        state
            .store
            .tenant(&t)
            .use_token(radhus::auth::token_hash(&token), |_| true, None, now)
            .await
            .unwrap()
            .unwrap();
        let form = w.get("/logg-inn").await;
        let r = w
            .post(
                "/logg-inn",
                &[
                    ("csrf".into(), csrf_of(&form.html)),
                    ("epost".into(), "kari@example.no".into()),
                    ("passord".into(), "blå hest på tur i fjellet".into()),
                ],
            )
            .await;
        assert_eq!(r.status, 200);
        let sent = walk(&w, "kontaktskjema", &example("kontaktskjema")).await;
        fill(&w, "kulturmidler", &example("kulturmidler")).await;
        let state = srv.running().state();
        radhus::cases::change_case(
            &state.store,
            &state.tenants[0],
            &state.config.registers,
            &radhus::ids::Reference::parse(&sent).unwrap(),
            (
                Some(radhus::cases::records::Status::InProgress),
                Some("Saka er hos ein sakshandsamar.".into()),
            ),
            state.clock.unix(),
        )
        .await
        .unwrap();
    }
    srv.stop().await;
    // Sent while the archive folder is a file: its archive row fails.
    let archive = srv.data_dir().join("archive/eksempel");
    std::fs::rename(&archive, archive.with_extension("away")).unwrap();
    std::fs::write(&archive, b"not a folder").unwrap();
    srv.restart(srv.config.clone()).await;
    let w = Walk::new(&srv, "en", HOST);
    walk(&w, "feil-vei-gatelys", &example("feil-vei-gatelys")).await;
    // Filled in, not sent.
    let page = fill(&w, "kontaktskjema", &example("kontaktskjema")).await;
    assert!(!csrf_of(&page.html).is_empty());
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    srv.stop().await;
    std::fs::create_dir_all(&dest).unwrap();
    std::fs::copy(srv.data_dir().join("radhus.redb"), dest.join("radhus.redb")).unwrap();
    eprintln!("frozen: {}", dest.display());
}

/// Schema 4, as this release writes it: the account with its address, its sent case and its draft.
#[test]
fn a_schema_4_store_opens_with_its_account() {
    let dir = copy_of(4);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.ping().unwrap(), CURRENT);
    let t = TenantId::parse("eksempel").unwrap();
    let ts = store.tenant(&t);
    let account = ts.account_by_email("Kari@Example.no").unwrap().unwrap();
    assert!(account.verified.is_some());
    assert!(radhus::auth::password::verify(
        "blå hest på tur i fjellet",
        &account.password
    ));
    assert_eq!(account.submissions, [crate::support::rf("2026-00003")]);
    let sub = ts.submission(&account.submissions[0]).unwrap().unwrap();
    assert_eq!(sub.account.as_ref(), Some(&account.id));
    let history = ts.case_history(&sub.reference).unwrap();
    assert_eq!(history.events.len(), 1);
    assert_eq!(
        history.events[0].status,
        Some(radhus::cases::records::Status::InProgress)
    );
    assert_eq!(history.seen, 0);
    assert_eq!(sub.form.as_str(), "kontaktskjema");
    let draft_id = &account.drafts[&radhus::ids::FormId::parse("kulturmidler").unwrap()];
    let draft = ts.draft(draft_id).unwrap().unwrap();
    assert_eq!(draft.account.as_ref(), Some(&account.id));
    assert!(draft.submitted.is_none());
    let others: Vec<_> = ts
        .submissions()
        .unwrap()
        .into_iter()
        .filter(|s| s.reference.as_str() != "2026-00003")
        .collect();
    assert_eq!(others.len(), 3);
    assert!(others.iter().all(|s| s.account.is_none()));
}

/// Schema 3, as this release writes it: opens unchanged, with its submissions, attachments' owners,
/// delivery states, pinned form versions and the unsent draft.
#[test]
fn a_schema_3_store_opens() {
    let dir = copy_of(3);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.ping().unwrap(), CURRENT);
    let t = TenantId::parse("eksempel").unwrap();
    let ts = store.tenant(&t);
    let subs = ts.submissions().unwrap();
    let forms: Vec<(String, String)> = subs
        .iter()
        .map(|s| (s.reference.to_string(), s.form.to_string()))
        .collect();
    assert_eq!(
        forms,
        [
            ("2026-00001".to_owned(), "kulturmidler".to_owned()),
            ("2026-00002".to_owned(), "kontaktskjema".to_owned()),
            ("2026-00003".to_owned(), "feil-vei-gatelys".to_owned())
        ]
    );
    let states: Vec<OutboxState> = subs
        .iter()
        .map(|s| ts.outbox_rows(&s.reference).unwrap().remove(0).state)
        .collect();
    assert!(matches!(states[0], OutboxState::Delivered { .. }));
    assert!(matches!(states[1], OutboxState::Delivered { .. }));
    assert!(matches!(
        states[2],
        OutboxState::Failing { attempts: 1, .. }
    ));
    for s in &subs {
        assert!(
            ts.pinned_form(&s.form, &s.form_hash).unwrap().is_some(),
            "{} keeps its form version",
            s.reference
        );
    }
    // The attachments of the first and the third are owned by them.
    let held = store.system().held_files().unwrap();
    assert_eq!(held.len(), 2);
    for s in [&subs[0], &subs[2]] {
        assert!(held.contains(&(t.clone(), s.files[0].id.clone())));
    }
    // The unsent draft (the sent ones stay until their lifetime ends).
    let mut lines = vec![];
    store.export_to(&mut lines).unwrap();
    let text = String::from_utf8(lines).unwrap();
    let drafts: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with(r#"{"table":"tenantdraft_draft""#))
        .collect();
    assert_eq!(drafts.len(), 4, "{drafts:?}");
    assert_eq!(
        drafts
            .iter()
            .filter(|l| l.contains(r#""form":"kontaktskjema""#) && l.contains(r#""submitted":null"#))
            .count(),
        1
    );
    // Opened again: nothing to migrate, nothing changed.
    let digest = store.system().digest().unwrap();
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.system().digest().unwrap(), digest);
}
