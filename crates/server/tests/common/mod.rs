//! Test fixture: a store built from `examples/articles` with the real
//! ingest, corpus tables (entities, stories, timeline) filled here from the
//! stored documents, and a server on 127.0.0.1:0.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use kroniek_model::{
    Certainty, Document, EntityRecord, PartialDate, Story, TimelineEntry, TimelineSource,
};
use kroniek_server::ServerConfig;
use kroniek_store::{EmbeddedStore, Store};

/// The title of the hostile article every fixture holds.
pub const XSS_TITLE: &str =
    "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\"> Kwaadaardige titel";
/// The title of the hostile timeline entry.
pub const XSS_EVENT: &str = "<img src=x onerror=\"window.__xss = 3\"> Verdacht incident";

pub fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles")
}

/// A store in `dir` with the example articles, a hostile article and the
/// corpus tables.
pub fn build_store(dir: &Path) -> EmbeddedStore {
    let store = EmbeddedStore::open(dir).expect("open store");
    let opts = kroniek_pipeline::IngestOptions::default();
    let summary = kroniek_pipeline::ingest(&store, &[examples()], &opts, &mut |_| {})
        .expect("ingest examples");
    assert!(summary.added >= 15, "{summary:?}");
    let hostile = dir.join("hostile.jsonl");
    let line = serde_json::json!({
        "title": XSS_TITLE,
        "date": "2020-05-05",
        "lang": "nl",
        "text": "Kwaadaardige test: Islamitische Staat eiste de aanslag op. <script>window.__xss = 4</script> \
                 Een tweede zin met <img src=x onerror=\"window.__xss = 5\"> erin & meer."
    });
    std::fs::write(&hostile, format!("{line}\n")).unwrap();
    kroniek_pipeline::ingest(&store, &[hostile], &opts, &mut |_| {}).expect("ingest hostile");
    fill_tables(&store);
    store
}

fn sentence_with(doc: &Document, word: &str) -> Option<String> {
    doc.sentences
        .iter()
        .map(|s| doc.slice(s.start, s.end).to_string())
        .find(|s| s.contains(word))
}

/// Entities, one story and timeline entries made from the stored
/// documents, as the corpus stages would.
pub fn fill_tables(store: &dyn Store) {
    let docs: Vec<Document> = store
        .documents()
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let entities = [
        EntityRecord {
            id: "e-is".into(),
            name: "Islamitische Staat".into(),
            kind: "ORG".into(),
            aliases: vec!["IS".into(), "ISIS".into(), "Islamic State".into()],
            mentions: 60,
            first_seen: Some("2014-06".parse().unwrap()),
            last_seen: Some("2024-07".parse().unwrap()),
        },
        EntityRecord {
            id: "e-baghdadi".into(),
            name: "Abu Bakr al-Baghdadi".into(),
            kind: "PER".into(),
            aliases: vec![
                "Baghdadi".into(),
                "al-Baghdadi".into(),
                "Al-Baghdadi".into(),
            ],
            mentions: 20,
            first_seen: Some("2014-06".parse().unwrap()),
            last_seen: Some("2019-10".parse().unwrap()),
        },
        EntityRecord {
            id: "e-raqqa".into(),
            name: "Raqqa".into(),
            kind: "LOC".into(),
            aliases: vec![],
            mentions: 5,
            first_seen: None,
            last_seen: None,
        },
    ];
    let rows: Vec<(String, String)> = entities
        .iter()
        .map(|e| (e.id.clone(), serde_json::to_string(e).unwrap()))
        .collect();
    store.put_table("entities", &rows).unwrap();
    // The documents carry the ids of these records, as the linking step
    // would have written them: a mention cluster (one corpus or local id)
    // that calls one of them by a name gets its id.
    let key = kroniek_pipeline::query::name_key;
    let mut docs = docs;
    for doc in &mut docs {
        let mut ids: std::collections::HashMap<String, String> = Default::default();
        for m in &doc.entities {
            let Some(old) = &m.entity else { continue };
            if let Some(e) = entities.iter().find(|e| {
                std::iter::once(&e.name)
                    .chain(&e.aliases)
                    .any(|n| key(n) == key(&m.text))
            }) {
                ids.entry(old.clone()).or_insert_with(|| e.id.clone());
            }
        }
        if ids.is_empty() {
            continue;
        }
        for m in &mut doc.entities {
            if let Some(new) = m.entity.as_ref().and_then(|o| ids.get(o)) {
                m.entity = Some(new.clone());
            }
        }
        store.update(doc).unwrap();
    }
    store.commit().unwrap();

    let is_docs: Vec<&Document> = docs
        .iter()
        .filter(|d| d.text.contains("Islamitische Staat") || d.text.contains("Islamic State"))
        .collect();
    let dates: Vec<PartialDate> = is_docs.iter().filter_map(|d| d.dct.value).collect();
    let story = Story {
        id: "s-is".into(),
        title: "Islamitische Staat".into(),
        docs: is_docs.iter().map(|d| d.id.clone()).collect(),
        first: dates.iter().min().copied(),
        last: dates.iter().max().copied(),
    };
    store
        .put_table(
            "stories",
            &[(story.id.clone(), serde_json::to_string(&story).unwrap())],
        )
        .unwrap();

    // (id, keyword, also, date, type, title, entities, certainty)
    type Rule<'a> = (
        &'a str,
        &'a str,
        Option<&'a str>,
        &'a str,
        &'a str,
        &'a str,
        &'a [&'a str],
        Certainty,
    );
    let rules: [Rule; 7] = [
        (
            "t-caliphate",
            "kalifaat",
            None,
            "2014-06-29",
            "declaration",
            "IS roept kalifaat uit",
            &["e-is", "e-baghdadi"],
            Certainty::Certain,
        ),
        (
            "t-paris",
            "Parijs",
            None,
            "2015-11-13",
            "attack",
            "Aanslagen in Parijs",
            &["e-is"],
            Certainty::Certain,
        ),
        (
            "t-mosul",
            "Mosul",
            None,
            "2017-07",
            "capture",
            "Mosul heroverd",
            &["e-is"],
            Certainty::Certain,
        ),
        (
            "t-raqqa",
            "Raqqa",
            None,
            "2017-10",
            "capture",
            "Raqqa valt",
            &["e-is", "e-raqqa"],
            Certainty::Probable,
        ),
        (
            "t-baghdadi",
            "Baghdadi",
            Some("2019"),
            "2019-10-26",
            "death",
            "Al-Baghdadi gedood bij Amerikaanse actie",
            &["e-baghdadi", "e-is"],
            Certainty::Certain,
        ),
        (
            "t-past",
            "kalifaat",
            None,
            "PAST_REF",
            "statement",
            "Eerdere uitspraken over het kalifaat",
            &["e-is"],
            Certainty::Possible,
        ),
        (
            "t-xss",
            "eiste de aanslag op",
            None,
            "2020-05-05",
            "attack",
            XSS_EVENT,
            &["e-is"],
            Certainty::Certain,
        ),
    ];
    let mut timeline = Vec::new();
    for (id, word, also, date, kind, title, ents, certainty) in rules {
        let sources: Vec<TimelineSource> = docs
            .iter()
            .filter(|d| {
                // `also`: in the text, or the start of the document's date.
                d.text.contains(word)
                    && also.is_none_or(|a| {
                        d.text.contains(a)
                            || d.dct.value.is_some_and(|v| v.to_string().starts_with(a))
                    })
            })
            .filter_map(|d| {
                Some(TimelineSource {
                    doc: d.id.clone(),
                    title: d.title.clone(),
                    dct: d.dct.value,
                    sentence: sentence_with(d, word)?,
                })
            })
            .collect();
        assert!(!sources.is_empty(), "no example article has {word:?}");
        let entry = TimelineEntry {
            id: id.into(),
            date: date.into(),
            kind: kind.into(),
            title: title.into(),
            text: sources[0].sentence.clone(),
            entities: ents.iter().map(|s| s.to_string()).collect(),
            certainty,
            conflicts: if id == "t-baghdadi" {
                vec!["2019-10-27".into()]
            } else {
                vec![]
            },
            sources,
        };
        timeline.push((entry.id.clone(), serde_json::to_string(&entry).unwrap()));
    }
    store.put_table("timeline", &timeline).unwrap();
    store.commit().unwrap();
}

/// A running server; stopped (gracefully) on drop.
pub struct TestServer {
    pub addr: SocketAddr,
    pub store: Arc<dyn Store>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    pub fn start(store: Arc<dyn Store>, config: ServerConfig) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = store.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                kroniek_server::serve(listener, served, config, async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
            });
            // Do not wait for abandoned blocking work (a timed-out request).
            rt.shutdown_timeout(std::time::Duration::from_secs(1));
        });
        TestServer {
            addr,
            store,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The fixture store in a temporary directory, served.
pub fn fixture(config: ServerConfig) -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(&dir.path().join("db"));
    let server = TestServer::start(Arc::new(store), config);
    (dir, server)
}
