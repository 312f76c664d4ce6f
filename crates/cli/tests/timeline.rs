//! End-to-end tests of `kroniek timeline` and `kroniek stories` over the
//! example articles.

mod common;
use common::{examples, json, kroniek, run_ok};

use std::path::PathBuf;

fn ingested() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let summary = json(
        kroniek(&db)
            .args(["ingest", "--format", "json"])
            .arg(examples()),
    );
    assert!(
        summary["corpus"]["timeline_entries"].as_u64().unwrap() > 0,
        "{summary}"
    );
    (tmp, db)
}

#[test]
fn timeline_merges_the_caliphate_across_articles_in_every_format() {
    let (_tmp, db) = ingested();
    let t = json(kroniek(&db).args(["timeline", "--format", "json"]));
    let events = t["events"].as_array().unwrap();
    assert!(!events.is_empty());
    // Sorted by date.
    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by_key(|d| d.parse::<kroniek_model::PartialDate>().unwrap());
    assert_eq!(dates, sorted);
    // The caliphate of 2014: one entry, several articles, dated in 2014.
    let caliphate: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| {
            e["sources"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["sentence"].as_str().unwrap().contains("kalifaat"))
        })
        .filter(|e| e["date"].as_str().unwrap().starts_with("2014"))
        .collect();
    let best = caliphate
        .iter()
        .max_by_key(|e| e["sources"].as_array().unwrap().len())
        .expect("a caliphate entry");
    let sources = best["sources"].as_array().unwrap();
    assert!(sources.len() >= 2, "{best:#}");
    let docs: std::collections::HashSet<&str> =
        sources.iter().map(|s| s["doc"].as_str().unwrap()).collect();
    assert_eq!(docs.len(), sources.len(), "one source per article");
    for key in ["id", "type", "text", "entities", "certainty"] {
        assert!(best.get(key).is_some(), "missing {key}: {best:#}");
    }
    for s in sources {
        for key in ["doc", "title", "dct", "sentence"] {
            assert!(s.get(key).is_some(), "missing {key}: {s:#}");
        }
    }

    // Filters: date range and full-text query.
    let t = json(kroniek(&db).args([
        "timeline", "--from", "2014-06", "--to", "2014-06", "--format", "json",
    ]));
    let ev = t["events"].as_array().unwrap();
    assert!(!ev.is_empty());
    assert!(ev
        .iter()
        .all(|e| e["date"].as_str().unwrap().starts_with("2014")));
    let t = json(kroniek(&db).args(["timeline", "--query", "kalifaat", "--format", "json"]));
    assert!(t["events"].as_array().unwrap().len() < events.len());

    // TimelineJS: dates split into numbers, HTML escaped.
    let tj = json(kroniek(&db).args(["timeline", "--format", "timelinejs", "--limit", "5"]));
    let tev = tj["events"].as_array().unwrap();
    assert_eq!(tev.len(), 5);
    assert!(tev[0]["start_date"]["year"].is_number());
    assert!(tev[0]["text"]["headline"].is_string());

    // CSV: header plus one line per entry (quoted fields may hold commas).
    let csv = run_ok(kroniek(&db).args(["timeline", "--format", "csv", "--limit", "3"]));
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("id,date,type,title"));
    assert_eq!(lines.count(), 3);

    // Text.
    let text = run_ok(kroniek(&db).args(["timeline", "--limit", "3"]));
    assert!(!text.trim().is_empty());

    // Unknown story or entity: a clear error.
    let out = kroniek(&db)
        .args(["timeline", "--story", "no-such-story"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-story"));
}

#[test]
fn stories_group_articles_and_filter_the_timeline() {
    let (_tmp, db) = ingested();
    let s = json(kroniek(&db).args(["stories", "--format", "json"]));
    let stories = s["stories"].as_array().unwrap();
    assert!(!stories.is_empty());
    let all_docs: usize = stories
        .iter()
        .map(|s| s["docs"].as_array().unwrap().len())
        .sum();
    let stats = json(kroniek(&db).args(["stats", "--format", "json"]));
    assert_eq!(
        all_docs as u64,
        stats["documents"].as_u64().unwrap(),
        "every article in one story"
    );
    let multi = stories
        .iter()
        .find(|s| s["docs"].as_array().unwrap().len() > 1)
        .expect("a story of several articles");
    let id = multi["id"].as_str().unwrap();
    let t = json(kroniek(&db).args(["timeline", "--story", id, "--format", "json"]));
    let members: Vec<&str> = multi["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    for e in t["events"].as_array().unwrap() {
        assert!(e["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| members.contains(&s["doc"].as_str().unwrap())));
    }
    // Dutch and English reports of the same story meet.
    let lang = |doc: &str| -> String {
        json(kroniek(&db).args(["show", doc, "--format", "json"]))["lang"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let bilingual = stories.iter().any(|s| {
        let langs: std::collections::HashSet<String> = s["docs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| lang(d.as_str().unwrap()))
            .collect();
        langs.contains("nl") && langs.contains("en")
    });
    assert!(bilingual, "no story with Dutch and English articles: {s:#}");
    let text = run_ok(kroniek(&db).args(["stories", "--min-articles", "2"]));
    assert!(text.contains(id), "{text}");

    // Ingesting again changes nothing; story ids are stable.
    let again = json(
        kroniek(&db)
            .args(["ingest", "--format", "json", "--rescan"])
            .arg(examples()),
    );
    assert_eq!(again["added"], 0, "{again}");
    let s2 = json(kroniek(&db).args(["stories", "--format", "json"]));
    assert_eq!(s, s2);
}
