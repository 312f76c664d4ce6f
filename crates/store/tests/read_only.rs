//! `EmbeddedStore::open_read_only`: reading a store that another handle (a
//! running ingest) holds open for writing.

use std::time::{Duration, Instant};

use kroniek_model::{Dct, Document};
use kroniek_store::{EmbeddedStore, NewDoc, SearchQuery, Store, StoreError};

fn doc(text: &str, lang: &str, dct: &str) -> Document {
    let mut d = Document::new(
        "test",
        Some("Titel".into()),
        text.to_string(),
        Dct::given(dct.parse().expect("test date"), "test"),
    );
    d.lang = lang.to_string();
    d
}

fn put(store: &dyn Store, d: &Document) {
    store
        .put(&NewDoc {
            doc: d,
            source: "test",
            signature: None,
            bands: &[],
        })
        .expect("put");
}

fn total(store: &dyn Store, text: &str) -> usize {
    store.search(&SearchQuery::new(text)).expect("search").total
}

#[test]
fn reads_while_a_writer_holds_the_lock_and_follows_its_commits() {
    let dir = tempfile::tempdir().unwrap();
    let writer = EmbeddedStore::open(dir.path()).unwrap();
    let first = doc(
        "Islamitische Staat riep een kalifaat uit in Mosul.",
        "nl",
        "2014-06-29",
    );
    put(&writer, &first);
    writer
        .put_table("entities", &[("e1".into(), "{\"id\":\"e1\"}".into())])
        .unwrap();
    writer.commit().unwrap();

    // The writer holds the lock: a writable open is refused, a read-only one is not.
    assert!(matches!(
        EmbeddedStore::open(dir.path()),
        Err(StoreError::Locked(_))
    ));
    let reader = EmbeddedStore::open_read_only(dir.path()).unwrap();
    assert!(reader.is_read_only());
    assert!(!writer.is_read_only());
    assert_eq!(total(&reader, "kalifaat"), 1);
    assert_eq!(reader.get(&first.id).unwrap().unwrap().doc, first);
    assert_eq!(reader.stats().unwrap().documents, 1);
    assert_eq!(reader.table("entities").unwrap().len(), 1);
    assert_eq!(
        reader.table_row("entities", "e1").unwrap().as_deref(),
        Some("{\"id\":\"e1\"}")
    );

    // Writes are refused with a clear error and change nothing.
    let second = doc(
        "Raqqa viel in oktober na maanden van strijd.",
        "nl",
        "2017-10-17",
    );
    let err = reader
        .put(&NewDoc {
            doc: &second,
            source: "x",
            signature: None,
            bands: &[],
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly(_)), "{err:?}");
    assert!(err.to_string().contains("read-only"), "{err}");
    assert!(matches!(reader.commit(), Err(StoreError::ReadOnly(_))));
    assert!(matches!(
        reader.update(&first),
        Err(StoreError::ReadOnly(_))
    ));
    assert!(matches!(
        reader.put_table("stories", &[]),
        Err(StoreError::ReadOnly(_))
    ));
    assert!(matches!(
        reader.mark_file_done("a", "b", "{}"),
        Err(StoreError::ReadOnly(_))
    ));

    // A new commit of the writer becomes visible: at once through SQLite,
    // in search once the index reader has reloaded.
    put(&writer, &second);
    writer
        .mark_file_done("/data/raqqa.txt", "42:1", "{}")
        .unwrap();
    writer.commit().unwrap();
    assert!(reader.get(&second.id).unwrap().is_some());
    assert_eq!(reader.stats().unwrap().documents, 2);
    assert!(reader.file_done("/data/raqqa.txt", "42:1").unwrap());
    let deadline = Instant::now() + Duration::from_secs(10);
    while total(&reader, "raqqa") == 0 {
        assert!(
            Instant::now() < deadline,
            "read-only index never saw the commit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(total(&reader, ""), 2);

    // Dropping the reader leaves the writer working, and the other way round.
    drop(reader);
    let third = doc(
        "De verkiezingen werden gewonnen door de PVV.",
        "nl",
        "2023-11-22",
    );
    put(&writer, &third);
    writer.close().unwrap();
    let reader = EmbeddedStore::open_read_only(dir.path()).unwrap();
    assert_eq!(total(&reader, "verkiezingen"), 1);
    reader.close().unwrap();
    // The lock is free: a writable open works while nothing else has it.
    EmbeddedStore::open(dir.path()).unwrap();
}

#[test]
fn read_only_open_of_a_missing_store_is_a_clear_error_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nope");
    let err = EmbeddedStore::open_read_only(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotFound(_)), "{err:?}");
    assert!(err.to_string().contains("no store"), "{err}");
    assert!(!path.exists());
}

#[test]
fn read_only_store_works_through_the_trait_object() {
    let dir = tempfile::tempdir().unwrap();
    {
        let w = EmbeddedStore::open(dir.path()).unwrap();
        put(&w, &doc("Raqqa fell in October 2017.", "en", "2017-10-17"));
        w.close().unwrap();
    }
    let store: std::sync::Arc<dyn Store> =
        std::sync::Arc::new(EmbeddedStore::open_read_only(dir.path()).unwrap());
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let s = store.clone();
            std::thread::spawn(move || (0..20).map(|_| total(&*s, "raqqa")).sum::<usize>())
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 20);
    }
    let docs: Vec<_> = store
        .documents()
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(docs.len(), 1);
}
