//! `kroniek eval NAME` and `kroniek annotate --format timeml`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn kroniek() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kroniek"));
    c.env_remove("KRONIEK_DB").env_remove("KRONIEK_SHARED");
    c
}

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

#[test]
fn eval_prints_the_dutch_table() {
    let shared = shared();
    if !shared.join("nl_timex_dev/gold.jsonl").is_file() {
        eprintln!("skipped: {} not present", shared.display());
        return;
    }
    let out = kroniek()
        .args(["eval", "nl-timex", "--shared"])
        .arg(&shared)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = String::from_utf8(out.stdout).unwrap();
    let row = |label: &str| -> Vec<f64> {
        let line = table
            .lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} row in\n{table}"));
        line.split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect()
    };
    let ours = row("kroniek");
    let heidel = row("HeidelTime-nl");
    // docs gold sys | 3 strict | 3 relaxed | type% val% | typeF1 valF1
    assert_eq!(ours.len(), 13, "{table}");
    assert_eq!(ours[0], 30.0);
    assert_eq!(ours[1], heidel[1], "both rows are scored on the same gold");
    let value_f1 = ours[12];
    assert!(value_f1 >= 85.0 && value_f1 >= heidel[12] + 10.0, "{table}");
}

#[test]
fn eval_rejects_unknown_names_listing_the_known_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let out = kroniek()
        .args(["eval", "no-such-eval", "--shared"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-eval"), "{err}");
    for known in ["tempeval3", "nl-timex", "dating"] {
        assert!(err.contains(known), "{err}");
    }
}

#[test]
fn eval_reports_a_missing_corpus_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let out = kroniek()
        .args(["eval", "tempeval3", "--shared"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tempeval3"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

const TML: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>wsj_test</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-02-27" temporalFunction="false" functionInDocument="CREATION_TIME">02/27/1998</TIMEX3></DCT>
<TEXT>
Prices rose 5% last week &amp; analysts expect more in March. The talks lasted three hours.
</TEXT>
</TimeML>
"#;

#[test]
fn annotate_writes_timeml_that_reads_back() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("wsj_test.tml");
    std::fs::write(&input, TML).unwrap();
    let out_dir = tmp.path().join("sys");
    let out = kroniek()
        .args([
            "annotate",
            "--format",
            "timeml",
            "--lang",
            "en",
            "--out-dir",
        ])
        .arg(&out_dir)
        .arg(&input)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let xml = std::fs::read_to_string(out_dir.join("wsj_test.tml")).unwrap();
    let doc = kroniek_eval::timeml::parse("wsj_test.tml", &xml);
    assert_eq!(doc.dct.as_deref(), Some("1998-02-27"));
    assert!(doc.text.contains("5% last week & analysts"), "{}", doc.text);
    let found: Vec<(String, &str, &str)> = doc
        .timexes
        .iter()
        .map(|t| {
            let text: String = doc
                .text
                .chars()
                .skip(t.start)
                .take(t.end - t.start)
                .collect();
            (text, t.kind.as_str(), t.value.as_str())
        })
        .collect();
    let has = |text: &str, kind: &str, value: &str| {
        found
            .iter()
            .any(|(t, k, v)| t == text && *k == kind && *v == value)
    };
    assert!(has("last week", "DATE", "1998-W08"), "{found:?}");
    assert!(has("March", "DATE", "1998-03"), "{found:?}");
    assert!(has("three hours", "DURATION", "PT3H"), "{found:?}");
}

#[test]
fn annotate_writes_timeml_to_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("a.txt");
    std::fs::write(&input, "Het kabinet viel op 12 juni 2014.\n").unwrap();
    let out = kroniek()
        .args(["annotate", "--format", "timeml", "--dct", "2014-06-13"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let xml = String::from_utf8(out.stdout).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(
        xml.contains(r#"type="DATE" value="2014-06-12""#) && xml.contains(">12 juni 2014</TIMEX3>"),
        "{xml}"
    );
    assert!(xml.contains(r#"functionInDocument="CREATION_TIME">2014-06-13<"#));

    let out = kroniek()
        .args(["annotate", "--out-dir"])
        .arg(tmp.path().join("x"))
        .arg(&input)
        .output()
        .unwrap();
    assert!(!out.status.success(), "--out-dir without --format timeml");
}
