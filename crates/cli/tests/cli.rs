//! End-to-end tests of the `kroniek` binary: ingest, idempotence, crash
//! recovery, search, show, annotate.

mod common;
use common::{examples, json, kroniek, run_ok};

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

/// A few Dutch articles with one exact duplicate and a few broken files.
fn small_corpus(dir: &Path) {
    let w = |name: &str, body: &[u8]| std::fs::write(dir.join(name), body).unwrap();
    w(
        "a.txt",
        " date 2019-03\nIS verliest laatste gebied\n\nIn Baghuz verloor Islamitische Staat zijn laatste gebied in Syrië. De aanslagen gingen door.\n".as_bytes(),
    );
    w(
        "b.txt",
        " date 2014-06-30\nKalifaat uitgeroepen\n\nIS riep in Mosul een kalifaat uit. Abu Bakr al-Baghdadi werd de leider.\n".as_bytes(),
    );
    w(
        "copy-of-b.txt",
        " date 2014-06-30\nKalifaat uitgeroepen\n\nIS riep in Mosul een kalifaat uit. Abu Bakr al-Baghdadi werd de leider.\n".as_bytes(),
    );
    w(
        "more.jsonl",
        b"{\"text\": \"The Islamic State lost Raqqa in October 2017.\", \"title\": \"Raqqa falls\", \"date\": \"2017-10-20\", \"lang\": \"en\"}\n{not json\n",
    );
    w(
        "image.png",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    );
    w("empty.txt", b"");
}

#[test]
fn ingest_is_idempotent_and_reports_problems() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    small_corpus(&corpus);
    let db = tmp.path().join("db");

    let first = json(
        kroniek(&db)
            .args(["ingest", "--format", "json"])
            .arg(&corpus),
    );
    assert_eq!(first["added"], 3, "{first}");
    assert_eq!(first["duplicates"], 1, "{first}");
    let skipped = first["skipped"].as_array().unwrap();
    let reasons: Vec<String> = skipped.iter().map(|s| s.to_string()).collect();
    assert_eq!(skipped.len(), 3, "{reasons:?}");
    assert!(
        reasons.iter().any(|r| r.contains("image.png")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("empty.txt")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("more.jsonl#2")),
        "{reasons:?}"
    );

    // Same files again: nothing changes.
    let second = json(
        kroniek(&db)
            .args(["ingest", "--format", "json"])
            .arg(&corpus),
    );
    assert_eq!(second["added"], 0);
    assert_eq!(second["files_unchanged"], 4, "{second}");
    let third = json(
        kroniek(&db)
            .args(["ingest", "--rescan", "--format", "json"])
            .arg(&corpus),
    );
    assert_eq!(third["added"], 0);
    assert_eq!(third["duplicates"], 0);
    assert_eq!(third["already_stored"], 4, "{third}");

    let stats = json(kroniek(&db).args(["stats", "--format", "json"]));
    assert_eq!(stats["documents"], 3);
    assert_eq!(stats["duplicates"], 1);
}

#[test]
fn search_and_show() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    small_corpus(&corpus);
    let db = tmp.path().join("db");
    run_ok(kroniek(&db).arg("ingest").arg(&corpus));

    // Stemming: the singular finds the plural.
    let r = json(kroniek(&db).args(["search", "aanslag", "--format", "json"]));
    assert_eq!(r["total"], 1, "{r}");
    let hit = &r["hits"][0];
    assert_eq!(hit["title"], "IS verliest laatste gebied");
    assert!(hit["snippet_html"].as_str().unwrap().contains("<b>"));

    // Date filter.
    let r = json(kroniek(&db).args([
        "search",
        "kalifaat OR raqqa",
        "--from",
        "2017",
        "--format",
        "json",
    ]));
    assert_eq!(r["total"], 1, "{r}");
    assert_eq!(r["hits"][0]["lang"], "en");

    let id = hit["id"].as_str().unwrap();
    let doc = json(kroniek(&db).args(["show", &id[..8], "--format", "json"]));
    assert_eq!(doc["id"], id);
    assert_eq!(doc["dct"]["value"], "2019-03");
    let text = run_ok(kroniek(&db).args(["show", id]));
    assert!(text.contains("Baghuz"));

    let out = kroniek(&db)
        .args(["show", "ffffffffffff"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn annotate_reads_stdin_in_order_and_reports_bad_records() {
    let tmp = tempfile::tempdir().unwrap();
    let mut child = kroniek(&tmp.path().join("unused"))
        .args(["annotate", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = String::new();
    for i in 0..2000 {
        input.push_str(&format!(
            "{{\"text\": \"Bericht {i}. Het kabinet viel woensdag.\", \"date\": \"2018-08\"}}\n"
        ));
        if i == 1000 {
            input.push_str("{broken\n");
        }
    }
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out: Output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("#1002"), "{stderr}");
    let docs: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 2000);
    for (i, d) in docs.iter().enumerate() {
        assert!(d["text"]
            .as_str()
            .unwrap()
            .starts_with(&format!("Bericht {i}.")));
        assert_eq!(d["dct"]["value"], "2018-08");
        assert_eq!(d["lang"], "nl");
    }
}

#[test]
fn annotate_overrides_and_rejects_bad_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("a.txt");
    std::fs::write(&f, "The minister resigned on Wednesday after the vote.\n").unwrap();
    let out = run_ok(
        kroniek(tmp.path())
            .args(["annotate", "--dct", "2018-08-22", "--lang", "en"])
            .arg(&f),
    );
    let d: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(d["dct"]["value"], "2018-08-22");
    assert_eq!(d["dct"]["origin"], "given");

    let out = kroniek(tmp.path())
        .args(["annotate", "--dct", "2018-13-01"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("2018-13-01"));
}

#[test]
fn killed_ingest_leaves_a_store_that_resumes() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let n: u64 = 3000;
    for i in 0..n {
        let body = format!(
            " date 2020-01-{:02}\nBericht nummer {i}\n\nDit is artikel {i} over de verkiezingen in gemeente {}. De uitslag volgde op dag {}.\n",
            i % 28 + 1,
            i * 7919 % 10007,
            i
        );
        std::fs::write(corpus.join(format!("{i:05}.txt")), body).unwrap();
    }
    let db = tmp.path().join("db");
    let mut child = kroniek(&db)
        .arg("ingest")
        .arg(&corpus)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once the store exists and it has had time to write something.
    let start = Instant::now();
    while !db.join("kroniek.sqlite").exists() && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(400));
    let was_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    // The store opens, and a re-run completes the ingest without duplicates.
    let partial = json(kroniek(&db).args(["stats", "--format", "json"]));
    let before = partial["documents"].as_u64().unwrap();
    let summary = json(
        kroniek(&db)
            .args(["ingest", "--format", "json"])
            .arg(&corpus),
    );
    let stats = json(kroniek(&db).args(["stats", "--format", "json"]));
    assert_eq!(stats["documents"], n, "{summary}");
    assert_eq!(stats["duplicates"], 0);
    // Files whose documents were committed are skipped as unchanged; the
    // rest are read again and their documents added.
    assert_eq!(summary["added"].as_u64().unwrap(), n - before, "{summary}");
    assert_eq!(summary["files_unchanged"].as_u64().unwrap(), before);
    if was_running {
        assert!(before < n, "the kill came after the ingest had finished");
    }
    // Every document is searchable, including the last ones.
    let r = json(kroniek(&db).args(["search", "\"artikel 2999\"", "--format", "json"]));
    assert_eq!(r["total"], 1, "{r}");
}

#[test]
fn demo_runs_on_the_bundled_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let out = run_ok(kroniek(&db).arg("demo").arg("--examples").arg(examples()));
    assert!(out.contains("Added"), "{out}");
    assert!(out.contains("documents match"), "{out}");
}
