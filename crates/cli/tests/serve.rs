//! `kroniek serve`: starts, answers, and serves a store that another
//! process holds (read-only, ingest disabled).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use kroniek_server::client;

/// The server process; killed on drop.
struct Served {
    child: Child,
    addr: String,
    stderr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &Path, extra: &[&str], expect_notice: bool) -> Served {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kroniek"))
        .arg("--db")
        .arg(db)
        .env_remove("KRONIEK_DB")
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kroniek serve");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    // "kroniek: serving DB on http://127.0.0.1:PORT/"
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_string();
    assert!(
        addr.starts_with("127.0.0.1:"),
        "unexpected first line {line:?}"
    );
    // Keep reading stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in out.lines() {});
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut stderr = String::new();
    if expect_notice {
        err.read_line(&mut stderr).unwrap();
    }
    std::thread::spawn(move || for _ in err.lines() {});
    Served {
        child,
        addr,
        stderr,
    }
}

#[test]
fn serve_answers_and_falls_back_to_read_only_when_locked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    {
        let store = kroniek_store::EmbeddedStore::open(&db).unwrap();
        let opts = kroniek_pipeline::IngestOptions::default();
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/articles");
        kroniek_pipeline::ingest(&store, &[examples], &opts, &mut |_| {}).unwrap();
        store.close().unwrap();
    }

    // Writable: ingest enabled with --allow-ingest.
    {
        let s = serve(&db, &["--allow-ingest"], false);
        let health = client::get(s.addr.as_str(), "/health")
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(health["read_only"], false);
        assert_eq!(health["ingest"], true);
        let n = health["documents"].as_u64().unwrap();
        let r = client::request(
            s.addr.as_str(),
            "POST",
            "/api/ingest",
            Some("application/x-ndjson"),
            b"{\"title\": \"Nieuw\", \"date\": \"2025-01-02\", \"text\": \"Een nieuw bericht over windmolens in Emmen.\"}\n",
        )
        .unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
        let found = client::get(s.addr.as_str(), "/api/search?q=windmolens")
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(found["total"], 1);
        let health = client::get(s.addr.as_str(), "/health")
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(health["documents"].as_u64().unwrap(), n + 1);
    }

    // Another process (here: this one) holds the store: served read-only.
    let _writer = kroniek_store::EmbeddedStore::open(&db).unwrap();
    let s = serve(&db, &["--allow-ingest"], true);
    assert!(s.stderr.contains("read-only"), "{}", s.stderr);
    let health = client::get(s.addr.as_str(), "/health")
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(health["read_only"], true);
    assert_eq!(health["ingest"], false);
    let found = client::get(s.addr.as_str(), "/api/search?q=windmolens")
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(found["total"], 1);
    let r = client::request(
        s.addr.as_str(),
        "POST",
        "/api/ingest",
        Some("application/x-ndjson"),
        b"{\"text\": \"x\"}\n",
    )
    .unwrap();
    assert_eq!(r.status, 403);
}
