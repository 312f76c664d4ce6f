//! `kroniek entities` on the shipped example articles: cross-article
//! linking of name variants, exonyms and acronyms, people who share a
//! surname kept apart, ids written into the documents, incremental runs.

mod common;
use common::{examples, kroniek, run_ok};

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

fn entities(db: &Path) -> Vec<Value> {
    let out = run_ok(kroniek(db).args(["entities", "--format", "json"]));
    let v: Value = serde_json::from_str(&out).expect("json");
    v["entities"].as_array().expect("entities array").clone()
}

/// The ids of the entities that have `form` as name or alias.
fn ids_of(all: &[Value], form: &str) -> BTreeSet<String> {
    all.iter()
        .filter(|e| {
            e["name"] == form
                || e["aliases"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x == form))
        })
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

fn same(all: &[Value], forms: &[&str]) {
    let ids: Vec<BTreeSet<String>> = forms.iter().map(|f| ids_of(all, f)).collect();
    for (f, i) in forms.iter().zip(&ids) {
        assert_eq!(i.len(), 1, "{f:?} should name exactly one entity: {i:?}");
    }
    assert!(
        ids.windows(2).all(|w| w[0] == w[1]),
        "{forms:?} should be one entity: {ids:?}"
    );
}

#[test]
fn links_entities_across_the_example_articles() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    run_ok(kroniek(&db).arg("ingest").arg(examples()));
    let all = entities(&db);
    for e in &all {
        for field in [
            "id",
            "name",
            "kind",
            "aliases",
            "mentions",
            "first_seen",
            "last_seen",
        ] {
            assert!(e.get(field).is_some(), "{field} missing in {e}");
        }
        assert!(!e["name"].as_str().unwrap().trim().is_empty(), "{e}");
    }
    same(&all, &["Abu Bakr al-Baghdadi", "Al-Baghdadi", "Baghdadi"]);
    same(&all, &["Islamitische Staat", "IS", "Islamic State"]);
    same(&all, &["Verenigde Staten", "VS", "United States"]);
    same(&all, &["Syrië", "Syria"]);
    same(&all, &["Irak", "Iraq"]);
    same(&all, &["Mark Rutte", "Rutte"]);
    let baghdadi = &all[all
        .iter()
        .position(|e| e["name"] == "Abu Bakr al-Baghdadi")
        .unwrap()];
    assert_eq!(baghdadi["kind"], "PER");
    assert_eq!(baghdadi["first_seen"], "2014-06-30");
    // Two people who share a surname stay apart.
    let lilian = ids_of(&all, "Lilian Marijnissen");
    let jan = ids_of(&all, "Jan Marijnissen");
    assert_eq!((lilian.len(), jan.len()), (1, 1));
    assert!(
        lilian.is_disjoint(&jan),
        "Lilian and Jan Marijnissen merged"
    );
    // Three people called al-Qurashi / al-Hashimi stay apart too.
    let hafs = ids_of(&all, "Abu Hafs al-Hashimi");
    let ibrahim = ids_of(&all, "Abu Ibrahim al-Hashimi");
    assert!(hafs.is_disjoint(&ibrahim));

    // The documents carry the corpus ids.
    let known: BTreeSet<String> = all
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    let hits = run_ok(kroniek(&db).args(["search", "Marijnissen", "--format", "json"]));
    let hits: Value = serde_json::from_str(&hits).unwrap();
    let id = hits["hits"][0]["id"].as_str().unwrap().to_string();
    let doc: Value = serde_json::from_str(&run_ok(
        kroniek(&db).args(["show", &id, "--format", "json"]),
    ))
    .unwrap();
    let mentions = doc["entities"].as_array().unwrap();
    assert!(!mentions.is_empty());
    for m in mentions {
        let e = m["entity"].as_str().expect("linked mention");
        assert!(known.contains(e), "{e} is not a listed entity");
    }

    // Incremental: a re-run adds nothing; a new article joins the known
    // entities and keeps their ids.
    run_ok(kroniek(&db).arg("ingest").arg(examples()));
    assert_eq!(entities(&db), all);
    let extra = dir.path().join("extra.txt");
    std::fs::write(
        &extra,
        " date 2025-01-02\nNieuw bericht\n\nDe Verenigde Staten en Syrië spraken over Islamitische Staat (IS). Mark Rutte was erbij.\n",
    )
    .unwrap();
    run_ok(kroniek(&db).arg("ingest").arg(&extra));
    let after = entities(&db);
    let rutte = ids_of(&all, "Mark Rutte");
    assert_eq!(ids_of(&after, "Mark Rutte"), rutte);
    assert_eq!(ids_of(&after, "Syrië"), ids_of(&all, "Syrië"));
    let r = after
        .iter()
        .find(|e| rutte.contains(e["id"].as_str().unwrap()))
        .unwrap();
    assert_eq!(r["last_seen"], "2025-01-02");

    // Text output lists the same entities.
    let text = run_ok(kroniek(&db).arg("entities"));
    assert!(text.contains("Abu Bakr al-Baghdadi"), "{text}");
    assert!(text.lines().count() > after.len());
}
