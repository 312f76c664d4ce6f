//! Behaviour of the embedded store through the `Store` trait.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kroniek_model::{Dct, Document, PartialDate, Timex, TimexType};
use kroniek_store::{EmbeddedStore, NewDoc, PutOutcome, SearchQuery, Store, StoreError};

// ---------------------------------------------------------------- helpers

fn date(s: &str) -> PartialDate {
    s.parse().expect("test date")
}

fn doc(text: &str, lang: &str, dct: Option<&str>, title: Option<&str>) -> Document {
    let dct = match dct {
        Some(d) => Dct::given(date(d), "test"),
        None => Dct::none(),
    };
    let mut d = Document::new("test", title.map(str::to_string), text.to_string(), dct);
    d.lang = lang.to_string();
    d
}

fn put(store: &dyn Store, d: &Document, source: &str) -> PutOutcome {
    store
        .put(&NewDoc {
            doc: d,
            source,
            signature: None,
            bands: &[],
        })
        .expect("put")
}

/// A MinHash-like signature: a version byte and 128 little-endian slots.
fn sig_bytes(slots: &[u32]) -> Vec<u8> {
    let mut out = vec![1u8];
    for s in slots {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// LSH keys: one per band of 4 slots, band index in the top byte.
fn bands(slots: &[u32]) -> Vec<u64> {
    slots
        .chunks(4)
        .enumerate()
        .map(|(b, rows)| {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ b as u64;
            for &r in rows {
                h = (h ^ u64::from(r)).wrapping_mul(0x0000_0100_0000_01b3);
            }
            ((b as u64) << 56) | (h & ((1 << 56) - 1))
        })
        .collect()
}

fn slots(seed: u32) -> Vec<u32> {
    (0..128u32)
        .map(|i| (seed.wrapping_mul(2_654_435_761) ^ i.wrapping_mul(40_503)).rotate_left(i % 31))
        .collect()
}

fn put_sig(store: &dyn Store, d: &Document, slots: &[u32]) -> PutOutcome {
    let bytes = sig_bytes(slots);
    let keys = bands(slots);
    store
        .put(&NewDoc {
            doc: d,
            source: &d.source,
            signature: Some(&bytes),
            bands: &keys,
        })
        .expect("put")
}

fn search(store: &dyn Store, text: &str) -> kroniek_store::SearchResult {
    store.search(&SearchQuery::new(text)).expect("search")
}

fn ids(r: &kroniek_store::SearchResult) -> Vec<String> {
    r.hits.iter().map(|h| h.id.clone()).collect()
}

/// A small corpus: (key, doc).
fn corpus() -> Vec<(&'static str, Document)> {
    vec![
        (
            "nl_aug",
            doc(
                "Bij twee aanslagen in Bagdad zijn zondag tientallen doden gevallen. Islamitische \
                 Staat eiste de aanslagen op. De regering kondigde nieuwe maatregelen aan.",
                "nl",
                Some("2018-08"),
                Some("Aanslagen in Bagdad"),
            ),
        ),
        (
            "nl_day",
            doc(
                "De verkiezingen in Irak zijn uitgesteld. Soldaten bewaken de stembureaus in de \
                 hoofdstad.",
                "nl",
                Some("2018-07-31"),
                None,
            ),
        ),
        (
            "nl_undated",
            doc(
                "Een aanslag op een markt in Mosul. Volgens de politie pleegde Islamitische Staat \
                 de aanslag.",
                "nl",
                None,
                None,
            ),
        ),
        (
            "nl_reversed",
            doc(
                "De staat en de islamitische gemeenschap praten over onderwijs.",
                "nl",
                Some("2019-03-02"),
                None,
            ),
        ),
        (
            "en",
            doc(
                "Two attacks in Baghdad killed dozens on Sunday. Islamic State claimed the attacks.",
                "en",
                Some("2018-08-20"),
                Some("Baghdad attacks"),
            ),
        ),
    ]
}

fn load_corpus(store: &dyn Store) -> std::collections::HashMap<&'static str, String> {
    let mut keys = std::collections::HashMap::new();
    for (key, d) in corpus() {
        put(store, &d, &format!("{key}.txt"));
        keys.insert(key, d.id.clone());
    }
    store.commit().expect("commit");
    keys
}

// ------------------------------------------------------------------ tests

#[test]
fn put_get_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let mut d = doc(
        "IS riep in 2014 een kalifaat uit in Syrië.",
        "nl",
        Some("2014-06-29"),
        Some("Kalifaat"),
    );
    d.url = Some("https://example.invalid/a".into());
    d.timexes.push(Timex {
        start: 10,
        end: 14,
        text: "2014".into(),
        kind: TimexType::Date,
        value: "2014".into(),
        modifier: None,
    });
    assert_eq!(
        put(&store, &d, "a.txt"),
        PutOutcome::Added {
            near_duplicate_of: None
        }
    );
    assert!(
        store.get(&d.id).unwrap().is_none(),
        "readers see only committed data"
    );
    store.commit().unwrap();

    let info = store.get(&d.id).unwrap().expect("stored");
    assert_eq!(info.doc, d);
    assert_eq!(info.sources, vec!["a.txt".to_string()]);
    assert_eq!(info.near_duplicate_of, None);
    assert!(info.near_duplicates.is_empty());

    let by_prefix = store.get(&d.id[..6]).unwrap().expect("unique prefix");
    assert_eq!(by_prefix.doc.id, d.id);
    assert!(
        store.get(&d.id[..5]).unwrap().is_none(),
        "prefixes under 6 chars are not looked up"
    );
    assert!(store.get("ffffffffffffffff").unwrap().is_none());
    assert!(store.get("").unwrap().is_none());

    let all: Vec<Document> = store
        .documents()
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all, vec![d]);
}

#[test]
fn ambiguous_prefix_is_a_bad_query() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let mut a = doc("eerste", "nl", None, None);
    let mut b = doc("tweede", "nl", None, None);
    a.id = "abcdef0000000001".into();
    b.id = "abcdef0000000002".into();
    put(&store, &a, "a");
    put(&store, &b, "b");
    store.commit().unwrap();
    match store.get("abcdef") {
        Err(StoreError::BadQuery(msg)) => assert!(msg.contains("ambiguous"), "{msg}"),
        other => panic!("expected BadQuery, got {other:?}"),
    }
    assert_eq!(
        store.get("abcdef0000000002").unwrap().unwrap().doc.text,
        "tweede"
    );
    assert!(store.get("abcdef000000000").is_err(), "still ambiguous");
    assert!(store.get("abcdef1").unwrap().is_none());
}

#[test]
fn duplicates_and_idempotent_reingest() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let d = doc(
        "Dezelfde tekst in twee kranten.",
        "nl",
        Some("2020-01-02"),
        None,
    );
    assert!(matches!(
        put(&store, &d, "krant1.txt"),
        PutOutcome::Added { .. }
    ));
    assert_eq!(
        put(&store, &d, "krant2.txt"),
        PutOutcome::Duplicate {
            of: d.id.clone(),
            new_source: true
        }
    );
    assert_eq!(
        put(&store, &d, "krant2.txt"),
        PutOutcome::Duplicate {
            of: d.id.clone(),
            new_source: false
        }
    );
    store.commit().unwrap();
    let before = store.stats().unwrap();
    assert_eq!(
        (before.documents, before.sources, before.duplicates),
        (1, 2, 1)
    );

    // Re-ingesting the same pairs changes nothing.
    for src in ["krant1.txt", "krant2.txt"] {
        assert_eq!(
            put(&store, &d, src),
            PutOutcome::Duplicate {
                of: d.id.clone(),
                new_source: false
            }
        );
    }
    store.commit().unwrap();
    let after = store.stats().unwrap();
    assert_eq!(
        (
            after.documents,
            after.sources,
            after.duplicates,
            after.near_duplicates
        ),
        (
            before.documents,
            before.sources,
            before.duplicates,
            before.near_duplicates
        )
    );
    assert_eq!(
        search(&store, "kranten").total,
        1,
        "a duplicate is indexed once"
    );
    let info = store.get(&d.id).unwrap().unwrap();
    assert_eq!(info.sources, vec!["krant1.txt", "krant2.txt"]);
}

#[test]
fn near_duplicates_are_detected() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let base = slots(1);
    let mut near = base.clone();
    for s in near.iter_mut().skip(116) {
        *s ^= 0xdead_beef; // 116 of 128 slots equal: ~0.91
    }
    let mut far = base.clone();
    for s in far.iter_mut().skip(80) {
        *s ^= 0xdead_beef; // 80 of 128 equal: 0.625, but shares 20 bands
    }
    let unrelated = slots(2);

    let a = doc("origineel bericht", "nl", None, None);
    let b = doc("licht bewerkt bericht", "nl", None, None);
    let c = doc("sterk bewerkt bericht", "nl", None, None);
    let d = doc("iets heel anders", "nl", None, None);
    assert_eq!(
        put_sig(&store, &a, &base),
        PutOutcome::Added {
            near_duplicate_of: None
        }
    );
    assert_eq!(
        put_sig(&store, &b, &near),
        PutOutcome::Added {
            near_duplicate_of: Some(a.id.clone())
        },
        "found within the same uncommitted batch"
    );
    assert_eq!(
        put_sig(&store, &c, &far),
        PutOutcome::Added {
            near_duplicate_of: None
        }
    );
    assert_eq!(
        put_sig(&store, &d, &unrelated),
        PutOutcome::Added {
            near_duplicate_of: None
        }
    );
    // A signature of an empty text (all slots u32::MAX) is nobody's near-duplicate.
    let empty = vec![u32::MAX; 128];
    let e1 = doc("leeg 1", "nl", None, None);
    let e2 = doc("leeg 2", "nl", None, None);
    put_sig(&store, &e1, &empty);
    assert_eq!(
        put_sig(&store, &e2, &empty),
        PutOutcome::Added {
            near_duplicate_of: None
        }
    );
    store.commit().unwrap();

    let stats = store.stats().unwrap();
    assert_eq!(stats.near_duplicates, 1);
    assert_eq!(stats.documents, 6);
    let ia = store.get(&a.id).unwrap().unwrap();
    assert_eq!(ia.near_duplicates, vec![b.id.clone()]);
    let ib = store.get(&b.id).unwrap().unwrap();
    assert_eq!(ib.near_duplicate_of, Some(a.id.clone()));

    // Malformed signatures are stored but never match; no panic.
    let f = doc("kapotte handtekening", "nl", None, None);
    let out = store
        .put(&NewDoc {
            doc: &f,
            source: "f",
            signature: Some(&[1, 2, 3]),
            bands: &bands(&base),
        })
        .unwrap();
    assert_eq!(
        out,
        PutOutcome::Added {
            near_duplicate_of: None
        }
    );
}

#[test]
fn search_ranks_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let k = load_corpus(&store);

    // Ranking: title + two body mentions beat one mention.
    let r = search(&store, "aanslagen");
    assert_eq!(r.total, 2);
    assert_eq!(r.hits[0].id, k["nl_aug"]);
    assert_eq!(r.hits[1].id, k["nl_undated"]);
    assert!(r.hits[0].score > r.hits[1].score);
    let h = &r.hits[0];
    assert_eq!(h.title.as_deref(), Some("Aanslagen in Bagdad"));
    assert_eq!(h.lang, "nl");
    assert_eq!(h.source, "nl_aug.txt");
    assert_eq!(h.dct, Some(date("2018-08")));

    // Language filter.
    let mut q = SearchQuery::new("Bagdad OR Baghdad");
    assert_eq!(store.search(&q).unwrap().total, 2);
    q.lang = Some("en".into());
    assert_eq!(ids(&store.search(&q).unwrap()), vec![k["en"].clone()]);
    q.lang = Some("de".into());
    assert_eq!(store.search(&q).unwrap().total, 0);

    // Date filters: the month-precision DCT 2018-08 overlaps 2018-08-15..2018-09.
    let mut q = SearchQuery::new("");
    q.from = Some(date("2018-08-15"));
    q.to = Some(date("2018-09"));
    let mut got = ids(&store.search(&q).unwrap());
    got.sort();
    let mut want = vec![k["nl_aug"].clone(), k["en"].clone()];
    want.sort();
    assert_eq!(got, want);
    // 2018-07-31 is before August; undated documents never pass a date filter.
    let mut q = SearchQuery::new("aanslag OR verkiezingen");
    assert_eq!(store.search(&q).unwrap().total, 3);
    q.from = Some(date("2018-08"));
    assert_eq!(ids(&store.search(&q).unwrap()), vec![k["nl_aug"].clone()]);
    q.from = None;
    q.to = Some(date("2018-07-31"));
    assert_eq!(ids(&store.search(&q).unwrap()), vec![k["nl_day"].clone()]);
    q.to = Some(date("2018"));
    assert_eq!(store.search(&q).unwrap().total, 2, "undated excluded");

    // Paging.
    let mut q = SearchQuery::new("");
    q.limit = 2;
    let p1 = store.search(&q).unwrap();
    q.offset = 2;
    let p2 = store.search(&q).unwrap();
    q.offset = 4;
    let p3 = store.search(&q).unwrap();
    assert_eq!(
        (p1.total, p1.hits.len(), p2.hits.len(), p3.hits.len()),
        (5, 2, 2, 1)
    );
    let mut all: Vec<String> = ids(&p1)
        .into_iter()
        .chain(ids(&p2))
        .chain(ids(&p3))
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 5);
    q.limit = 0;
    assert_eq!(
        store.search(&q).unwrap(),
        kroniek_store::SearchResult {
            total: 5,
            hits: vec![]
        }
    );
}

#[test]
fn phrases_boolean_operators_and_bad_queries() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let k = load_corpus(&store);

    let mut r = ids(&search(&store, "\"islamitische staat\""));
    r.sort();
    let mut want = vec![k["nl_aug"].clone(), k["nl_undated"].clone()];
    want.sort();
    assert_eq!(r, want, "the phrase, not the reversed words");
    let mut both = ids(&search(&store, "islamitische staat"));
    both.sort();
    assert_eq!(both.len(), 3, "without quotes word order does not matter");

    assert_eq!(
        ids(&search(&store, "aanslag -Mosul")),
        vec![k["nl_aug"].clone()]
    );
    assert_eq!(search(&store, "aanslag Mosul").total, 1, "words are ANDed");
    assert_eq!(search(&store, "Mosul OR verkiezingen").total, 2);

    for bad in [
        "nosuchfield:x",
        "titel:aanslag",
        "aanslag AND (",
        "dct_first:abc",
    ] {
        match store.search(&SearchQuery::new(bad)) {
            Err(StoreError::BadQuery(msg)) => {
                eprintln!("{bad:?} -> {msg}");
                assert!(!msg.is_empty())
            }
            other => panic!("{bad:?}: expected BadQuery, got {other:?}"),
        }
    }
    // Odd input never panics.
    for odd in [
        "\"", "((", "-", "*", ":", "\u{0}", "\"\"", "a^", "🙂", "OR", "AND AND", "+-+",
    ] {
        let _ = store.search(&SearchQuery::new(odd));
    }
}

#[test]
fn dutch_stemming_in_search_and_snippets() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let k = load_corpus(&store);

    let r = search(&store, "aanslag");
    assert_eq!(r.total, 2, "singular finds plural");
    assert_eq!(search(&store, "maatregel").total, 1);
    assert_eq!(search(&store, "verkiezing").total, 1);
    assert_eq!(search(&store, "soldaat").total, 1);
    assert_eq!(search(&store, "Syrië").total, 0);
    assert_eq!(
        ids(&search(&store, "attack")),
        vec![k["en"].clone()],
        "English stemming"
    );

    let hit = r.hits.iter().find(|h| h.id == k["nl_aug"]).unwrap();
    assert!(
        hit.snippet_html.contains("<b>aanslagen</b>"),
        "{}",
        hit.snippet_html
    );
    let chars: Vec<char> = hit.snippet.chars().collect();
    assert!(!hit.highlights.is_empty());
    for &(s, e) in &hit.highlights {
        let word: String = chars[s..e].iter().collect();
        assert_eq!(word.to_lowercase(), "aanslagen");
    }
    assert!(hit.snippet.chars().count() <= 220);

    // A title-only match gets the start of the text as its snippet.
    let r = search(&store, "title_en:baghdad");
    assert_eq!(r.total, 1);
    assert!(
        r.hits[0].snippet.starts_with("Two attacks"),
        "{}",
        r.hits[0].snippet
    );
    assert!(r.hits[0].highlights.is_empty());

    // HTML is escaped.
    let d = doc("Een <script> & een aanslag op \"iets\".", "nl", None, None);
    put(&store, &d, "x");
    store.commit().unwrap();
    let r = search(&store, "script");
    assert_eq!(
        r.hits[0].snippet_html,
        "Een &lt;<b>script</b>&gt; &amp; een aanslag op &quot;iets&quot;."
    );
}

#[test]
fn crash_between_sqlite_and_index_commit_is_repaired_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let docs: Vec<Document> = (0..8)
        .map(|i| {
            doc(
                &format!("Bericht {i} over de aanslagen."),
                "nl",
                Some("2020-05"),
                None,
            )
        })
        .collect();
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        for d in &docs[..5] {
            put(&store, d, "a");
        }
        store.commit().unwrap();
        for d in &docs[5..] {
            put(&store, d, "a");
        }
        store.simulate_crash(true).unwrap();
    }
    assert!(
        dir.path().join("index/.tantivy-writer.lock").exists(),
        "lock file left behind"
    );
    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert_eq!(store.stats().unwrap().documents, 8);
    assert_eq!(
        search(&store, "aanslag").total,
        8,
        "documents past the index mark were indexed on open"
    );
    // Re-running the same ingest adds nothing.
    for d in &docs {
        assert_eq!(
            put(&store, d, "a"),
            PutOutcome::Duplicate {
                of: d.id.clone(),
                new_source: false
            }
        );
    }
    store.commit().unwrap();
    assert_eq!(search(&store, "aanslag").total, 8);
    assert_eq!(store.stats().unwrap().sources, 8);
}

#[test]
fn crash_mid_batch_loses_only_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let a = doc("Eerste bericht over verkiezingen.", "nl", None, None);
    let b = doc("Tweede bericht over verkiezingen.", "nl", None, None);
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        put(&store, &a, "a");
        store.mark_file_done("a.txt", "10:1", "{}").unwrap();
        store.commit().unwrap();
        put(&store, &b, "b");
        store.mark_file_done("b.txt", "10:2", "{}").unwrap();
        store.simulate_crash(false).unwrap();
    }
    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert_eq!(store.stats().unwrap().documents, 1);
    assert_eq!(search(&store, "verkiezing").total, 1);
    assert!(store.file_done("a.txt", "10:1").unwrap());
    assert!(
        !store.file_done("b.txt", "10:2").unwrap(),
        "file mark is atomic with its documents"
    );
    assert_eq!(
        put(&store, &b, "b"),
        PutOutcome::Added {
            near_duplicate_of: None
        }
    );
    store.commit().unwrap();
    assert_eq!(search(&store, "verkiezing").total, 2);
}

#[test]
fn drop_commits_and_reopen_works() {
    let dir = tempfile::tempdir().unwrap();
    let d = doc(
        "Een bericht dat bij het sluiten wordt vastgelegd.",
        "nl",
        None,
        None,
    );
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        put(&store, &d, "a");
        assert_eq!(
            store.stats().unwrap().documents,
            0,
            "not committed yet; uses a reader"
        );
    }
    assert!(
        !dir.path().join("kroniek.sqlite-wal").exists(),
        "the WAL is checkpointed and removed on close"
    );
    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert!(store.get(&d.id).unwrap().is_some());
    assert_eq!(search(&store, "sluiten").total, 1);
    store.close().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert_eq!(search(&store, "vastgelegd").total, 1);
}

#[test]
fn index_is_rebuilt_when_missing_or_broken() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        load_corpus(&store);
    }
    std::fs::remove_dir_all(dir.path().join("index")).unwrap();
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        assert_eq!(search(&store, "aanslag").total, 2);
    }
    std::fs::write(dir.path().join("index/meta.json"), b"{ not json").unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert_eq!(search(&store, "aanslag").total, 2);
    assert_eq!(search(&store, "").total, 5);
}

#[test]
fn index_of_another_format_is_rebuilt_without_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        load_corpus(&store);
    }
    {
        // Pretend an older build wrote the index (its payload names another format).
        let index = tantivy::Index::open_in_dir(dir.path().join("index")).unwrap();
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let mut prepared = writer.prepare_commit().unwrap();
        prepared.set_payload(r#"{"format":"0:old","seq":5}"#);
        prepared.commit().unwrap();
    }
    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert_eq!(search(&store, "").total, 5, "rebuilt once, no duplicates");
    assert_eq!(search(&store, "aanslag").total, 2);
}

#[test]
fn snippets_from_the_middle_of_long_texts() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let filler = "Het weer was die dag rustig en er gebeurde weinig bijzonders in de stad. ";
    let text = format!(
        "{}Toen volgde een aanslag (de derde) op het station.\n\n{}",
        filler.repeat(10),
        filler.repeat(10)
    );
    let d = doc(&text, "nl", None, Some("Station"));
    put(&store, &d, "s");
    store.commit().unwrap();
    let hit = &search(&store, "aanslagen").hits[0];
    assert!(hit.snippet.starts_with("… "), "{}", hit.snippet);
    assert!(hit.snippet.ends_with(" …"), "{}", hit.snippet);
    assert!(hit.snippet.chars().count() <= 210, "{}", hit.snippet);
    assert!(!hit.snippet.contains('\n'));
    let chars: Vec<char> = hit.snippet.chars().collect();
    let words: Vec<String> = hit
        .highlights
        .iter()
        .map(|&(s, e)| chars[s..e].iter().collect())
        .collect();
    assert_eq!(words, vec!["aanslag"]);
    assert!(
        hit.snippet_html.contains("een <b>aanslag</b> (de derde)"),
        "{}",
        hit.snippet_html
    );
}

#[test]
fn second_open_is_refused_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    match EmbeddedStore::open(dir.path()) {
        Err(e @ StoreError::Locked(_)) => {
            assert!(
                e.to_string().contains("is locked by another process"),
                "{e}"
            );
        }
        other => panic!("expected Locked, got {other:?}"),
    }
    drop(store);
    EmbeddedStore::open(dir.path()).expect("lock released on drop");
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(EmbeddedStore::open(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join("kroniek.sqlite")).unwrap();
    conn.execute_batch("PRAGMA user_version = 99").unwrap();
    drop(conn);
    match EmbeddedStore::open(dir.path()) {
        Err(e @ StoreError::NewerVersion { .. }) => {
            assert!(
                e.to_string().contains("was written by a newer version"),
                "{e}"
            );
        }
        other => panic!("expected NewerVersion, got {other:?}"),
    }
}

#[test]
fn file_fingerprints() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        assert!(!store.file_done("/data/a.jsonl", "100:5").unwrap());
        store
            .mark_file_done("/data/a.jsonl", "100:5", r#"{"added":3}"#)
            .unwrap();
        assert!(
            store.file_done("/data/a.jsonl", "100:5").unwrap(),
            "visible before commit"
        );
        store.commit().unwrap();
    }
    let store = EmbeddedStore::open(dir.path()).unwrap();
    assert!(store.file_done("/data/a.jsonl", "100:5").unwrap());
    assert!(
        !store.file_done("/data/a.jsonl", "101:5").unwrap(),
        "changed file"
    );
    assert!(!store.file_done("/data/b.jsonl", "100:5").unwrap());
    store
        .mark_file_done("/data/a.jsonl", "101:5", "{}")
        .unwrap();
    store.commit().unwrap();
    assert!(store.file_done("/data/a.jsonl", "101:5").unwrap());
    assert!(!store.file_done("/data/a.jsonl", "100:5").unwrap());
}

#[test]
fn stats_count_languages_years_and_dates() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let empty = store.stats().unwrap();
    assert_eq!(
        (empty.documents, empty.earliest, empty.latest),
        (0, None, None)
    );
    load_corpus(&store);
    let s = store.stats().unwrap();
    assert_eq!(s.documents, 5);
    assert_eq!(s.sources, 5);
    assert_eq!(s.duplicates, 0);
    assert_eq!(
        s.by_lang,
        vec![("nl".to_string(), 4), ("en".to_string(), 1)]
    );
    assert_eq!(s.by_year, vec![(2018, 3), (2019, 1)]);
    assert_eq!(s.undated, 1);
    assert_eq!(s.earliest, Some(date("2018-07-31")));
    assert_eq!(s.latest, Some(date("2019-03-02")));
    assert!(s.db_bytes > 0);
}

#[test]
fn documents_stream_in_insertion_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let docs: Vec<Document> = (0..600)
        .map(|i| doc(&format!("document {i}"), "nl", None, None))
        .collect();
    for d in &docs {
        put(&store, d, "s");
    }
    store.commit().unwrap();
    let got: Vec<String> = store
        .documents()
        .unwrap()
        .map(|d| d.unwrap().text)
        .collect();
    let want: Vec<String> = docs.iter().map(|d| d.text.clone()).collect();
    assert_eq!(got, want);
}

#[test]
fn bad_documents_are_rejected_without_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let mut d = doc("tekst", "nl", None, None);
    d.id = String::new();
    assert!(matches!(
        store.put(&NewDoc {
            doc: &d,
            source: "x",
            signature: None,
            bands: &[]
        }),
        Err(StoreError::Invalid(_))
    ));
    d.id = "a\nb".into();
    assert!(store
        .put(&NewDoc {
            doc: &d,
            source: "x",
            signature: None,
            bands: &[]
        })
        .is_err());
    // Odd but valid: empty text, unknown language, huge title.
    let mut odd = doc("", "", None, Some(&"t".repeat(10_000)));
    odd.id = "odd-doc-1".into();
    put(&store, &odd, "");
    store.commit().unwrap();
    let info = store.get("odd-doc-1").unwrap().unwrap();
    assert_eq!(
        info.sources,
        vec!["test".to_string()],
        "empty source falls back to doc.source"
    );
}

#[test]
fn concurrent_search_while_putting() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn Store> = Arc::new(EmbeddedStore::open(dir.path()).unwrap());
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let (store, done) = (store.clone(), done.clone());
        std::thread::spawn(move || {
            for i in 0..300 {
                let d = doc(
                    &format!("Nieuwsbericht {i} over maatregelen."),
                    "nl",
                    Some("2021-01-01"),
                    None,
                );
                put(&*store, &d, "feed");
                if i % 20 == 19 {
                    store.commit().unwrap();
                }
            }
            store.commit().unwrap();
            done.store(true, Ordering::SeqCst);
        })
    };
    let mut last = 0;
    let mut rounds = 0;
    while !done.load(Ordering::SeqCst) || rounds == 0 {
        let r = search(&*store, "maatregel");
        assert!(r.total >= last, "results never go back");
        assert_eq!(
            r.total % 20,
            0,
            "a batch becomes visible at once: {}",
            r.total
        );
        last = r.total;
        let s = store.stats().unwrap();
        assert!(s.documents as usize >= last);
        rounds += 1;
    }
    writer.join().unwrap();
    assert_eq!(search(&*store, "maatregel").total, 300);
    assert!(rounds > 1);
}

/// Run by `killed_writer_leaves_a_consistent_store` in a child process;
/// does nothing in a normal test run.
#[test]
fn kill_child_writer() {
    let Ok(dir) = std::env::var("KRONIEK_STORE_KILL_DIR") else {
        return;
    };
    let store = EmbeddedStore::open(Path::new(&dir)).unwrap();
    for i in 0..100_000 {
        put(&store, &numbered(i), "feed.jsonl");
        if i % 10 == 9 {
            store.commit().unwrap();
            println!("committed {}", i + 1);
        }
    }
}

fn numbered(i: usize) -> Document {
    doc(
        &format!("Bericht {i}: nieuwe aanslagen in de regio."),
        "nl",
        Some("2022-02-02"),
        None,
    )
}

#[test]
fn killed_writer_leaves_a_consistent_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "kill_child_writer",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("KRONIEK_STORE_KILL_DIR", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let started = Instant::now();
    let mut committed = 0usize;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(n) = line.strip_prefix("committed ") {
            committed = n.trim().parse().unwrap();
            if committed >= 50 {
                break;
            }
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "child too slow"
        );
    }
    std::thread::sleep(Duration::from_millis(15)); // land mid-batch
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(committed >= 50);

    let store = EmbeddedStore::open(dir.path()).expect("opens after kill -9");
    let n = store.stats().unwrap().documents as usize;
    assert!(n >= committed, "{n} < {committed}");
    assert_eq!(search(&store, "").total, n, "index matches SQLite");
    assert_eq!(search(&store, "aanslag").total, n);
    // Re-running the same ingest completes it with no duplicates.
    for i in 0..n + 20 {
        let out = put(&store, &numbered(i), "feed.jsonl");
        if i < n {
            assert!(
                matches!(
                    out,
                    PutOutcome::Duplicate {
                        new_source: false,
                        ..
                    }
                ),
                "{i}: {out:?}"
            );
        } else {
            assert!(matches!(out, PutOutcome::Added { .. }), "{i}: {out:?}");
        }
    }
    store.commit().unwrap();
    let s = store.stats().unwrap();
    assert_eq!(
        (s.documents as usize, s.sources as usize, s.duplicates),
        (n + 20, n + 20, 0)
    );
    assert_eq!(search(&store, "aanslag").total, n + 20);
}

#[test]
fn update_replaces_annotations_and_reindexes() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let mut d = doc(
        "Islamitische Staat verloor Raqqa.",
        "nl",
        None,
        Some("Raqqa"),
    );
    put(&store, &d, "a.txt");
    store.commit().unwrap();

    // A corpus-level stage dates the article and writes it back.
    d.dct = Dct::given(date("2017-10"), "refined");
    d.timexes.push(Timex {
        start: 0,
        end: 0,
        text: String::new(),
        kind: TimexType::Date,
        value: "2017".into(),
        modifier: None,
    });
    assert!(store.update(&d).unwrap());
    store.commit().unwrap();
    let got = store.get(&d.id).unwrap().unwrap();
    assert_eq!(got.doc.dct.value, Some(date("2017-10")));
    assert_eq!(got.doc.timexes.len(), 1);
    let mut q = SearchQuery::new("Raqqa");
    q.from = Some(date("2017"));
    assert_eq!(
        store.search(&q).unwrap().total,
        1,
        "date filter sees the new DCT"
    );
    assert_eq!(
        store.search(&SearchQuery::new("")).unwrap().total,
        1,
        "no second copy in the index"
    );

    // The text is the identity: changing it is refused, unknown ids say so.
    let mut other = d.clone();
    other.text.push_str(" Extra.");
    assert!(matches!(store.update(&other), Err(StoreError::Invalid(_))));
    let unknown = doc("Nooit opgeslagen.", "nl", None, None);
    assert!(!store.update(&unknown).unwrap());
}

#[test]
fn corpus_tables_replace_and_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = EmbeddedStore::open(dir.path()).unwrap();
        assert!(store.table("entities").unwrap().is_empty());
        let rows = vec![
            ("e1".to_string(), r#"{"name":"IS"}"#.to_string()),
            ("e2".to_string(), r#"{"name":"Syrië"}"#.to_string()),
        ];
        store.put_table("entities", &rows).unwrap();
        store.put_table("stories", &rows[..1]).unwrap();
        store.commit().unwrap();
        store
            .put_table("entities", &[("e3".into(), "{}".into())])
            .unwrap();
        store.commit().unwrap();
    }
    let store = EmbeddedStore::open(dir.path()).unwrap();
    let keys: Vec<String> = store
        .table("entities")
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys, ["e3"], "a put replaces the whole table");
    assert_eq!(
        store.table_row("stories", "e1").unwrap().as_deref(),
        Some(r#"{"name":"IS"}"#)
    );
    assert_eq!(store.table_row("stories", "e2").unwrap(), None);
}

#[test]
fn search_ids_agrees_with_search() {
    let dir = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(dir.path()).unwrap();
    for (i, text) in [
        "De aanslagen in Irak namen toe.",
        "Een aanslag in Syrië eiste tien levens.",
        "Het kabinet viel over de asielwet.",
    ]
    .iter()
    .enumerate()
    {
        put(
            &store,
            &doc(text, "nl", Some("2020"), None),
            &format!("{i}.txt"),
        );
    }
    store.commit().unwrap();
    let q = SearchQuery::new("aanslag");
    let full: Vec<String> = store
        .search(&q)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(full.len(), 2);
    assert_eq!(store.search_ids(&q).unwrap(), full);
    let mut one = q.clone();
    one.limit = 1;
    assert_eq!(store.search_ids(&one).unwrap(), full[..1]);
}

#[test]
fn contains_sees_uncommitted_puts() {
    let tmp = tempfile::tempdir().unwrap();
    let store = EmbeddedStore::open(tmp.path()).unwrap();
    let d = doc("Een artikel over de verkiezingen.", "nl", None, None);
    assert!(!store.contains(&d.id).unwrap());
    put(&store, &d, "a.txt");
    // Not committed yet: `get` does not see it, `contains` does.
    assert!(store.get(&d.id).unwrap().is_none());
    assert!(store.contains(&d.id).unwrap());
    // Exact ids only, no prefixes.
    assert!(!store.contains(&d.id[..8]).unwrap());
    store.commit().unwrap();
    assert!(store.contains(&d.id).unwrap());
    drop(store);
    let ro = EmbeddedStore::open_read_only(tmp.path()).unwrap();
    assert!(ro.contains(&d.id).unwrap());
}
