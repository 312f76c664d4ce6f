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
//! time; only loopback traffic. The timeline endpoint reads the corpus
//! tables the ingest builds (entities, timeline, stories).

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

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

fn docs_missing(store: &dyn Store) -> bool {
    store.stats().map(|s| s.documents == 0).unwrap_or(true)
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
    let (n_ent, n_tl) = (
        store.table("entities").unwrap().len(),
        store.table("timeline").unwrap().len(),
    );
    if docs_missing(&store) {
        eprintln!("no documents were stored from {corpus:?}: check the path");
        std::process::exit(2);
    }
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
