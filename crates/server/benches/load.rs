//! Load driver for `kroniek serve` on loopback: requests per second and
//! latency percentiles of `/api/search` and `/api/timeline`.
//!
//! ```text
//! cargo bench -p kroniek-server --bench load -- [--corpus DIR]... [--seconds N]
//!     [--conns N] [--max-requests N] [--no-cache]
//! ```
//!
//! Builds a store in a temporary directory from `--corpus` (default: the
//! example articles) with the real ingest, serves it in-process on
//! 127.0.0.1:0 and drives it with `--conns` kept-alive connections for at
//! most `--seconds` and `--max-requests` per endpoint. Bounded in count and
//! time; only loopback traffic. When the ingest leaves the corpus tables
//! empty, entities and timeline entries are derived from the documents
//! (one entry per dated TIMEX3 mention) so the timeline endpoint has a
//! realistic amount of rows to read.

#[path = "../tests/common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use kroniek_model::{
    Certainty, Document, EntityRecord, PartialDate, TimelineEntry, TimelineSource,
};
use kroniek_server::client::{encode, Conn};
use kroniek_server::ServerConfig;
use kroniek_store::{EmbeddedStore, Store};

struct Args {
    corpus: Vec<PathBuf>,
    seconds: f64,
    conns: usize,
    max_requests: usize,
    no_cache: bool,
}

fn args() -> Args {
    let mut a = Args {
        corpus: Vec::new(),
        seconds: 5.0,
        conns: 8,
        max_requests: 50_000,
        no_cache: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--no-cache" => a.no_cache = true,
            "--corpus" => a.corpus.extend(it.next().map(PathBuf::from)),
            "--seconds" => a.seconds = it.next().and_then(|s| s.parse().ok()).unwrap_or(a.seconds),
            "--conns" => a.conns = it.next().and_then(|s| s.parse().ok()).unwrap_or(a.conns),
            "--max-requests" => {
                a.max_requests = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(a.max_requests)
            }
            _ => {} // cargo bench passes --bench
        }
    }
    a.seconds = a.seconds.clamp(0.5, 60.0);
    a.conns = a.conns.clamp(1, 64);
    a
}

fn fold(s: &str) -> String {
    s.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Entities and timeline entries derived from the stored documents, for
/// corpora whose ingest did not fill the corpus tables.
fn derive_tables(store: &dyn Store) -> (usize, usize) {
    let docs: Vec<Document> = store
        .documents()
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut counts: HashMap<String, (String, String, u64)> = HashMap::new();
    for d in &docs {
        for m in &d.entities {
            let slot = counts
                .entry(fold(&m.text))
                .or_insert_with(|| (m.text.clone(), m.label.clone(), 0));
            slot.2 += 1;
        }
    }
    let mut ents: Vec<(String, String, String, u64)> = counts
        .into_iter()
        .filter(|(_, v)| v.2 >= 3)
        .map(|(k, (name, kind, n))| (k, name, kind, n))
        .collect();
    ents.sort_by(|a, b| b.3.cmp(&a.3).then_with(|| a.0.cmp(&b.0)));
    let ids: HashMap<String, String> = ents
        .iter()
        .enumerate()
        .map(|(i, e)| (e.0.clone(), format!("x{i}")))
        .collect();
    let rows: Vec<(String, String)> = ents
        .iter()
        .enumerate()
        .map(|(i, (_, name, kind, n))| {
            let r = EntityRecord {
                id: format!("x{i}"),
                name: name.clone(),
                kind: kind.clone(),
                aliases: vec![],
                mentions: *n,
                first_seen: None,
                last_seen: None,
            };
            (r.id.clone(), serde_json::to_string(&r).unwrap())
        })
        .collect();
    store.put_table("entities", &rows).unwrap();
    let mut timeline = Vec::new();
    for d in &docs {
        for (i, t) in d.timexes.iter().enumerate() {
            if t.value.parse::<PartialDate>().is_err() {
                continue;
            }
            let Some(sentence) = d
                .sentences
                .iter()
                .find(|s| s.start <= t.start && t.end <= s.end)
            else {
                continue;
            };
            let text = d.slice(sentence.start, sentence.end).to_string();
            let entities: Vec<String> = d
                .entities
                .iter()
                .filter(|m| m.start >= sentence.start && m.end <= sentence.end)
                .filter_map(|m| ids.get(&fold(&m.text)).cloned())
                .collect();
            let e = TimelineEntry {
                id: format!("{}-{i}", d.id),
                date: t.value.clone(),
                kind: "mention".into(),
                title: text.chars().take(60).collect(),
                text: text.clone(),
                entities,
                certainty: Certainty::Certain,
                conflicts: vec![],
                sources: vec![TimelineSource {
                    doc: d.id.clone(),
                    title: d.title.clone(),
                    dct: d.dct.value,
                    sentence: text,
                }],
            };
            timeline.push((e.id.clone(), serde_json::to_string(&e).unwrap()));
        }
    }
    store.put_table("timeline", &timeline).unwrap();
    store.commit().unwrap();
    (rows.len(), timeline.len())
}

struct Outcome {
    requests: usize,
    errors: usize,
    seconds: f64,
    lat: Vec<Duration>,
}

fn drive(addr: std::net::SocketAddr, paths: Arc<Vec<String>>, a: &Args) -> Outcome {
    let deadline = Instant::now() + Duration::from_secs_f64(a.seconds);
    let issued = Arc::new(AtomicUsize::new(0));
    let max = a.max_requests;
    let started = Instant::now();
    let threads: Vec<_> = (0..a.conns)
        .map(|t| {
            let paths = paths.clone();
            let issued = issued.clone();
            std::thread::spawn(move || {
                let mut conn = Conn::connect(addr).expect("connect");
                let mut lat = Vec::new();
                let mut errors = 0;
                let mut i = t;
                while Instant::now() < deadline && issued.fetch_add(1, Ordering::Relaxed) < max {
                    let path = &paths[i % paths.len()];
                    i += 7;
                    let t0 = Instant::now();
                    match conn.get(path) {
                        Ok(r) if r.status == 200 => {}
                        Ok(_) => errors += 1,
                        Err(_) => {
                            errors += 1;
                            conn = Conn::connect(addr).expect("reconnect");
                        }
                    }
                    lat.push(t0.elapsed());
                }
                (lat, errors)
            })
        })
        .collect();
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in threads {
        let (l, e) = t.join().unwrap();
        lat.extend(l);
        errors += e;
    }
    let seconds = started.elapsed().as_secs_f64();
    lat.sort();
    Outcome {
        requests: lat.len(),
        errors,
        seconds,
        lat,
    }
}

fn pct(lat: &[Duration], p: f64) -> f64 {
    if lat.is_empty() {
        return 0.0;
    }
    let i = ((lat.len() as f64 * p).ceil() as usize).clamp(1, lat.len()) - 1;
    lat[i].as_secs_f64() * 1000.0
}

fn main() {
    let a = args();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let corpus = if a.corpus.is_empty() {
        vec![common::examples()]
    } else {
        a.corpus.clone()
    };
    let t0 = Instant::now();
    // The examples get the test fixture (with its corpus tables); other
    // corpora the plain ingest, and derived tables if it leaves none.
    let store = if a.corpus.is_empty() {
        common::build_store(&db)
    } else {
        let store = EmbeddedStore::open(&db).unwrap();
        kroniek_pipeline::ingest(&store, &corpus, &Default::default(), &mut |_| {}).unwrap();
        store
    };
    let ingest_s = t0.elapsed().as_secs_f64();
    let (n_ent, n_tl) = if store.table("timeline").unwrap().is_empty() {
        derive_tables(&store)
    } else {
        (
            store.table("entities").unwrap().len(),
            store.table("timeline").unwrap().len(),
        )
    };
    let docs = store.stats().unwrap().documents;
    // Query terms: the longest word of each title (or of the start of the
    // text when there is no title).
    let heads: Vec<String> = store
        .documents()
        .unwrap()
        .filter_map(|d| {
            let d = d.ok()?;
            Some(
                d.title
                    .unwrap_or_else(|| d.text.chars().take(120).collect()),
            )
        })
        .collect();
    let mut terms: Vec<String> = heads
        .iter()
        .filter_map(|t| {
            t.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 5)
                .max_by_key(|w| w.chars().count())
                .map(str::to_lowercase)
        })
        .collect();
    terms.sort();
    terms.dedup();
    terms.truncate(200);
    let entities: Vec<String> = kroniek_pipeline::query::entities(&store)
        .unwrap()
        .into_iter()
        .take(20)
        .map(|e| e.id)
        .collect();
    let store: Arc<dyn Store> = Arc::new(store);
    let config = ServerConfig {
        timeline_cache: if a.no_cache {
            Duration::ZERO
        } else {
            ServerConfig::default().timeline_cache
        },
        ..ServerConfig::default()
    };
    let server = common::TestServer::start(store, config);

    let mut search = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        search.push(match i % 4 {
            0 => format!("/api/search?q={}", encode(t)),
            1 => format!("/api/search?q={}&lang=en&limit=10", encode(t)),
            2 => format!("/api/search?q={}&from=2010&to=2020", encode(t)),
            _ => format!("/api/search?q={}&offset=10", encode(t)),
        });
    }
    let mut timeline = vec!["/api/timeline?limit=200".to_string()];
    for e in &entities {
        timeline.push(format!("/api/timeline?entity={}", encode(e)));
    }
    for t in terms.iter().take(20) {
        timeline.push(format!("/api/timeline?q={}&limit=200", encode(t)));
    }
    timeline.push("/api/timeline?from=2011&to=2012&limit=200".into());

    println!(
        "corpus {corpus:?}: {docs} documents (store built in {ingest_s:.1} s), {n_ent} entities, \
         {n_tl} timeline entries"
    );
    println!(
        "{} connections, at most {} s and {} requests per endpoint, {} search and {} timeline URLs, \
         timeline cache {}",
        a.conns,
        a.seconds,
        a.max_requests,
        search.len(),
        timeline.len(),
        if a.no_cache { "off" } else { "on (5 s)" }
    );
    println!("| endpoint | requests | errors | req/s | p50 ms | p99 ms | max ms |");
    println!("|---|---:|---:|---:|---:|---:|---:|");
    for (name, paths) in [("/api/search", search), ("/api/timeline", timeline)] {
        if paths.is_empty() {
            println!("| {name} | no URLs to request | | | | | |");
            continue;
        }
        let o = drive(server.addr, Arc::new(paths), &a);
        println!(
            "| {name} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
            o.requests,
            o.errors,
            o.requests as f64 / o.seconds,
            pct(&o.lat, 0.50),
            pct(&o.lat, 0.99),
            pct(&o.lat, 1.0),
        );
    }
}
