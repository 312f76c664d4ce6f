//! The JSON API against a server on 127.0.0.1:0 serving the example
//! articles; every response checked against `/api/openapi.json`.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kroniek_server::client::{self, encode, Conn, Response};
use kroniek_server::ServerConfig;
use serde_json::Value;

use common::{fixture, TestServer, XSS_TITLE};

// ------------------------------------------------------------ OpenAPI check

/// Checks `v` against a JSON Schema subset (type, enum, required,
/// properties, items, min/maxItems, $ref, allOf, oneOf) as OpenAPI 3.1
/// uses it. Returns the first mismatch with its path.
fn check(v: &Value, schema: &Value, root: &Value, path: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| format!("{path}: unsupported $ref {r}"))?;
        let target = &root["components"]["schemas"][name];
        if target.is_null() {
            return Err(format!("{path}: $ref to missing schema {name}"));
        }
        return check(v, target, root, path);
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            check(v, s, root, path)?;
        }
    }
    if let Some(any) = schema.get("oneOf").and_then(Value::as_array) {
        let errors: Vec<String> = any
            .iter()
            .filter_map(|s| check(v, s, root, path).err())
            .collect();
        if errors.len() == any.len() {
            return Err(format!("{path}: matches no alternative: {errors:?}"));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "null" => v.is_null(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => false,
        });
        if !ok {
            return Err(format!("{path}: expected {types:?}, got {v}"));
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(v) {
            return Err(format!("{path}: {v} not in {options:?}"));
        }
    }
    if let (Some(obj), Some(props)) = (v.as_object(), schema.get("properties")) {
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = req.as_str().unwrap_or_default();
            if !obj.contains_key(name) {
                return Err(format!("{path}: required property {name:?} missing"));
            }
        }
        for (name, sub) in props.as_object().into_iter().flatten() {
            if let Some(x) = obj.get(name) {
                check(x, sub, root, &format!("{path}.{name}"))?;
            }
        }
    }
    if let Some(items) = v.as_array() {
        if let Some(n) = schema.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < n {
                return Err(format!("{path}: fewer than {n} items"));
            }
        }
        if let Some(n) = schema.get("maxItems").and_then(Value::as_u64) {
            if (items.len() as u64) > n {
                return Err(format!("{path}: more than {n} items"));
            }
        }
        if let Some(sub) = schema.get("items") {
            for (i, x) in items.iter().enumerate() {
                check(x, sub, root, &format!("{path}[{i}]"))?;
            }
        }
    }
    Ok(())
}

/// Calls the API and checks the answer against the OpenAPI document:
/// the status must be documented for the operation and the JSON body
/// must match its schema.
struct Api {
    conn: Conn,
    spec: Value,
    /// (path template, method, status) combinations checked.
    seen: BTreeSet<(String, String, u16)>,
}

impl Api {
    fn new(server: &TestServer) -> Self {
        let spec = client::get(server.addr, "/api/openapi.json")
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(spec["openapi"], "3.1.0");
        Api {
            conn: Conn::connect(server.addr).unwrap(),
            spec,
            seen: BTreeSet::new(),
        }
    }

    fn call(
        &mut self,
        method: &str,
        template: &str,
        path: &str,
        ct: Option<&str>,
        body: &[u8],
    ) -> (u16, Value) {
        let resp: Response = self.conn.request(method, path, ct, body).unwrap();
        assert_eq!(
            resp.header("content-type"),
            Some("application/json"),
            "{method} {path}: {}",
            resp.text()
        );
        let json = resp.json().unwrap();
        let op = &self.spec["paths"][template][method.to_ascii_lowercase()];
        assert!(
            op.is_object(),
            "{method} {template} not in the OpenAPI document"
        );
        let schema =
            &op["responses"][resp.status.to_string()]["content"]["application/json"]["schema"];
        assert!(
            schema.is_object(),
            "{method} {template}: status {} not documented (body {json})",
            resp.status
        );
        if let Err(e) = check(&json, schema, &self.spec, "$") {
            panic!("{method} {path} ({}): {e}\n{json:#}", resp.status);
        }
        self.seen
            .insert((template.to_string(), method.to_string(), resp.status));
        (resp.status, json)
    }

    fn get(&mut self, template: &str, path: &str) -> (u16, Value) {
        self.call("GET", template, path, None, &[])
    }
}

fn titles(hits: &Value) -> Vec<String> {
    hits.as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap_or("").to_string())
        .collect()
}

// ------------------------------------------------------------ the tests

#[test]
fn every_endpoint_answers_as_documented() {
    let (dir, server) = fixture(ServerConfig {
        allow_ingest: true,
        ..ServerConfig::default()
    });
    let _ = dir;
    let mut api = Api::new(&server);

    let (st, health) = api.get("/health", "/health");
    assert_eq!(st, 200);
    assert!(health["documents"].as_u64().unwrap() >= 16);
    assert_eq!(health["read_only"], false);
    // allow_ingest without an upload directory: still off, and /health says so.
    assert_eq!(health["ingest"], false);
    let (st, stats) = api.get("/api/stats", "/api/stats");
    assert_eq!(
        (st, stats["documents"].clone()),
        (200, health["documents"].clone())
    );

    // Search: stemming, highlights, filters, pagination.
    let (st, res) = api.get("/api/search", "/api/search?q=aanslag");
    assert_eq!(st, 200);
    let total = res["total"].as_u64().unwrap();
    assert!(total >= 3, "{res}");
    for hit in res["hits"].as_array().unwrap() {
        let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
        for r in hit["highlights"].as_array().unwrap() {
            let (a, b) = (
                r[0].as_u64().unwrap() as usize,
                r[1].as_u64().unwrap() as usize,
            );
            let word: String = snippet[a..b].iter().collect();
            assert!(word.to_lowercase().starts_with("aanslag"), "{word}");
        }
    }
    let (_, page1) = api.get("/api/search", "/api/search?q=aanslag&limit=2");
    let (_, page2) = api.get("/api/search", "/api/search?q=aanslag&limit=2&offset=2");
    assert_eq!(page1["hits"].as_array().unwrap().len(), 2);
    assert_eq!(page1["total"], page2["total"]);
    assert_ne!(page1["hits"][0]["id"], page2["hits"][0]["id"]);
    let (_, en) = api.get("/api/search", "/api/search?q=&lang=en&limit=100");
    assert!(en["total"].as_u64().unwrap() >= 2);
    assert!(en["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["lang"] == "en"));
    let (_, dated) = api.get(
        "/api/search",
        "/api/search?from=2019-10&to=2019-10-31&limit=100",
    );
    let dated_titles = titles(&dated["hits"]);
    assert!(!dated_titles.is_empty());
    // Dates overlap the range: a day in October 2019, or a coarser date
    // that holds it (an undated article inferred to "2019").
    for hit in dated["hits"].as_array().unwrap() {
        let dct = hit["dct"].as_str().unwrap();
        assert!(
            dct.starts_with("2019-10") || "2019-10".starts_with(dct),
            "{hit}"
        );
    }
    assert!(dated["hits"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["dct"].as_str().unwrap().starts_with("2019-10")));

    // Entity filter: only articles mentioning the entity (any of its names).
    let (st, ent) = api.get(
        "/api/search",
        &format!("/api/search?entity={}&limit=100", encode("Baghdadi")),
    );
    assert_eq!(st, 200, "{ent}");
    let n = ent["total"].as_u64().unwrap();
    assert!(n >= 2, "{ent}");
    for hit in ent["hits"].as_array().unwrap() {
        let id = hit["id"].as_str().unwrap();
        let (_, doc) = api.get("/api/docs/{id}", &format!("/api/docs/{id}"));
        let mentions = doc["entities"].as_array().unwrap();
        assert!(
            mentions.iter().any(|m| {
                let t = m["text"].as_str().unwrap().to_lowercase();
                t.contains("baghdadi") || m["entity"] == "e-baghdadi"
            }),
            "{} has no Baghdadi mention",
            hit["title"]
        );
    }
    let (_, all) = api.get("/api/search", "/api/search?limit=100");
    assert!(n < all["total"].as_u64().unwrap());

    // Timeline: sorted, filtered by entity / story / query / dates, paginated.
    let (st, tl) = api.get("/api/timeline", "/api/timeline");
    assert_eq!(st, 200);
    let dates: Vec<&str> = tl["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates.first(), Some(&"2014-06-29"), "{dates:?}");
    assert_eq!(dates.last(), Some(&"PAST_REF"), "undatable last: {dates:?}");
    let (_, raqqa) = api.get("/api/timeline", "/api/timeline?entity=Raqqa");
    let ids: Vec<&str> = raqqa["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["t-raqqa"]);
    let (_, range) = api.get("/api/timeline", "/api/timeline?from=2017&to=2017-12");
    assert_eq!(range["total"], 2, "{range}");
    let (_, story_tl) = api.get("/api/timeline", "/api/timeline?story=s-is&limit=1&offset=1");
    assert_eq!(story_tl["events"].as_array().unwrap().len(), 1);
    assert!(story_tl["total"].as_u64().unwrap() >= 3);
    let (_, q_tl) = api.get("/api/timeline", "/api/timeline?q=Raqqa");
    assert!(q_tl["events"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["id"] == "t-raqqa"));

    // Entities and one entity with its page data.
    let (_, ents) = api.get("/api/entities", "/api/entities");
    assert_eq!(ents["total"], 3);
    assert_eq!(ents["entities"][0]["id"], "e-is", "most mentioned first");
    let (_, some) = api.get("/api/entities", "/api/entities?q=bagh&kind=PER");
    assert_eq!(some["total"], 1);
    let (st, baghdadi) = api.get("/api/entities/{id}", "/api/entities/e-baghdadi");
    assert_eq!(st, 200);
    assert_eq!(baghdadi["name"], "Abu Bakr al-Baghdadi");
    assert!(baghdadi["documents_total"].as_u64().unwrap() >= 2);
    let periods = baghdadi["mentions_over_time"].as_array().unwrap();
    assert!(periods
        .iter()
        .any(|p| p["period"].as_str().unwrap().starts_with("2019")));
    assert!(
        !baghdadi["related"].as_array().unwrap().is_empty(),
        "{baghdadi}"
    );
    let (st, by_alias) = api.get(
        "/api/entities/{id}",
        &format!("/api/entities/{}", encode("islamic state")),
    );
    assert_eq!((st, by_alias["id"].as_str()), (200, Some("e-is")));

    // Stories.
    let (_, stories) = api.get("/api/stories", "/api/stories");
    assert_eq!(stories["total"], 1);
    let (st, story) = api.get("/api/stories/{id}", "/api/stories/s-is");
    assert_eq!(st, 200);
    assert_eq!(
        story["documents"].as_array().unwrap().len(),
        story["docs"].as_array().unwrap().len()
    );

    // A document, by id and by prefix: the document JSON of FORMATS.md.
    let id = res["hits"][0]["id"].as_str().unwrap().to_string();
    let (st, doc) = api.get("/api/docs/{id}", &format!("/api/docs/{id}"));
    assert_eq!(st, 200);
    assert_eq!(doc["id"], id.as_str());
    let text: Vec<char> = doc["text"].as_str().unwrap().chars().collect();
    for t in doc["timexes"].as_array().unwrap() {
        let (a, b) = (
            t["start"].as_u64().unwrap() as usize,
            t["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            text[a..b].iter().collect::<String>(),
            t["text"].as_str().unwrap()
        );
    }
    assert!(!doc["sources"].as_array().unwrap().is_empty());
    let (_, by_prefix) = api.get("/api/docs/{id}", &format!("/api/docs/{}", &id[..8]));
    assert_eq!(by_prefix["id"], id.as_str());

    // Annotate: JSON and plain text, same Document contract.
    let body = serde_json::json!({
        "text": "Islamitische Staat riep op 29 juni 2014 een kalifaat uit. Vijf jaar later viel Baghuz.",
        "title": "Kalifaat",
        "date": "2014-06-30",
    });
    let (st, ann) = api.call(
        "POST",
        "/api/annotate",
        "/api/annotate",
        Some("application/json"),
        body.to_string().as_bytes(),
    );
    assert_eq!(st, 200, "{ann}");
    assert_eq!(ann["lang"], "nl");
    assert_eq!(ann["dct"]["value"], "2014-06-30");
    assert_eq!(ann["dct"]["origin"], "given");
    assert!(ann["timexes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["value"] == "2014-06-29"));
    let (st, plain) = api.call(
        "POST",
        "/api/annotate",
        "/api/annotate?date=2019-10-28&lang=en",
        Some("text/plain"),
        b"Baghdadi died last Saturday in a raid in Syria.",
    );
    assert_eq!(st, 200, "{plain}");
    assert_eq!(plain["lang"], "en");
    assert!(
        plain["timexes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["value"] == "2019-10-26"),
        "{plain}"
    );
    let before = api.get("/api/stats", "/api/stats").1["documents"].clone();
    assert_eq!(before, health["documents"], "annotate stores nothing");

    // Ingest is off here (no upload directory): 403 with a JSON error.
    let (st, err) = api.call(
        "POST",
        "/api/ingest",
        "/api/ingest",
        Some("application/x-ndjson"),
        b"{\"text\": \"x\"}\n",
    );
    assert_eq!(st, 403);
    assert!(err["error"].as_str().unwrap().contains("ingest"), "{err}");

    // The hostile article comes back as data, unchanged, and its snippet
    // HTML is escaped.
    let (_, hostile) = api.get("/api/search", "/api/search?q=kwaadaardige");
    let hit = &hostile["hits"][0];
    assert_eq!(hit["title"], XSS_TITLE);
    let html = hit["snippet_html"].as_str().unwrap();
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;"), "{html}");

    // Every documented operation was exercised with a success status.
    let spec_ops: BTreeSet<(String, String)> = api.spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (p.clone(), m.to_ascii_uppercase()))
        })
        .collect();
    let ok_ops: BTreeSet<(String, String)> = api
        .seen
        .iter()
        .filter(|(_, _, s)| *s == 200)
        .map(|(p, m, _)| (p.clone(), m.clone()))
        .collect();
    let missing: Vec<_> = spec_ops
        .difference(&ok_ops)
        .filter(|(p, _)| p != "/api/ingest") // its 200 is checked in ingest_runs_while_readers_are_answered
        .collect();
    assert!(missing.is_empty(), "not exercised: {missing:?}");
}

#[test]
fn bad_requests_get_clear_json_errors() {
    let (_dir, server) = fixture(ServerConfig {
        max_body: 64 << 10,
        ..ServerConfig::default()
    });
    let mut api = Api::new(&server);
    let cases: [(&str, &str, u16, &str); 11] = [
        ("/api/search", "/api/search?q=%22unclosed", 400, "query"),
        ("/api/search", "/api/search?limit=abc", 400, "limit"),
        ("/api/search", "/api/search?limit=100000", 400, "at most"),
        ("/api/search", "/api/search?from=2019-13", 400, "from"),
        ("/api/search", "/api/search?entity=Nobody", 404, "Nobody"),
        (
            "/api/timeline",
            "/api/timeline?entity=Nobody",
            404,
            "Nobody",
        ),
        ("/api/timeline", "/api/timeline?story=nope", 404, "nope"),
        ("/api/timeline", "/api/timeline?to=yesterday", 400, "to"),
        (
            "/api/entities/{id}",
            "/api/entities/e-nobody",
            404,
            "e-nobody",
        ),
        ("/api/stories/{id}", "/api/stories/nope", 404, "nope"),
        (
            "/api/docs/{id}",
            "/api/docs/ffffffffffffffff",
            404,
            "ffffffffffffffff",
        ),
    ];
    for (template, path, status, word) in cases {
        let (st, body) = api.get(template, path);
        assert_eq!(st, status, "{path}: {body}");
        let msg = body["error"].as_str().unwrap();
        assert!(msg.contains(word), "{path}: {msg}");
    }
    // Annotate: empty text, bad JSON, unknown field, bad date.
    for (ct, body, word) in [
        ("application/json", "{\"text\": \"  \"}", "empty"),
        ("application/json", "{\"text\": ", "JSON"),
        (
            "application/json",
            "{\"text\": \"x\", \"dct\": \"2019\"}",
            "dct",
        ),
        (
            "application/json",
            "{\"text\": \"x\", \"date\": \"morgen\"}",
            "morgen",
        ),
        ("text/plain", "", "empty"),
    ] {
        let (st, err) = api.call(
            "POST",
            "/api/annotate",
            "/api/annotate",
            Some(ct),
            body.as_bytes(),
        );
        assert_eq!(st, 400, "{body}: {err}");
        assert!(err["error"].as_str().unwrap().contains(word), "{err}");
    }
    // Body over the limit: 413, as JSON.
    let big = vec![b'a'; 100 << 10];
    let (st, err) = api.call(
        "POST",
        "/api/annotate",
        "/api/annotate",
        Some("text/plain"),
        &big,
    );
    assert_eq!(st, 413, "{err}");

    // Unknown routes and wrong methods are JSON too (not in the spec).
    let resp = client::get(server.addr, "/api/nope").unwrap();
    assert_eq!(resp.status, 404);
    assert!(resp.json().unwrap()["error"].is_string());
    let resp = client::request(server.addr, "DELETE", "/api/search", None, b"").unwrap();
    assert_eq!(resp.status, 405);
    assert!(resp.json().unwrap()["error"].is_string());
    // Nonsense bytes in the query string do not bring anything down.
    let resp = client::get(server.addr, "/api/search?q=%FF%FE&limit=1").unwrap();
    assert!(resp.status == 200 || resp.status == 400, "{}", resp.status);
    let resp = client::get(server.addr, "/health").unwrap();
    assert_eq!(resp.status, 200);
}

#[test]
fn web_page_and_assets_are_served_with_a_strict_policy() {
    let (_dir, server) = fixture(ServerConfig::default());
    for (path, ct) in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/app.css", "text/css"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let resp = client::get(server.addr, path).unwrap();
        assert_eq!(resp.status, 200, "{path}");
        assert!(
            resp.header("content-type").unwrap().starts_with(ct),
            "{path}"
        );
        let csp = resp.header("content-security-policy").unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(!csp.contains("unsafe-inline"), "{csp}");
        assert_eq!(resp.header("x-content-type-options"), Some("nosniff"));
    }
    let html = client::get(server.addr, "/").unwrap().text();
    assert!(html.contains("<script src=\"/app.js\">"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external assets"
    );
    let js = client::get(server.addr, "/app.js").unwrap().text();
    assert!(
        !js.contains("innerHTML"),
        "article data must never go through innerHTML"
    );
}

#[test]
fn ingest_runs_while_readers_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let store = common::build_store(&dir.path().join("db"));
    let server = TestServer::start(
        Arc::new(store),
        ServerConfig {
            allow_ingest: true,
            upload_dir: Some(dir.path().join("uploads")),
            ..ServerConfig::default()
        },
    );
    let addr = server.addr;
    let before = client::get(addr, "/health").unwrap().json().unwrap();
    assert_eq!(before["ingest"], true);
    let n_before = before["documents"].as_u64().unwrap();

    // 300 documents: long enough that reads overlap it.
    let mut body = String::new();
    for i in 0..300 {
        let line = serde_json::json!({
            "title": format!("Bericht {i}"),
            "date": format!("2021-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
            "text": format!(
                "Bericht nummer {i} over de wederopbouw van Mosul. Het stadsbestuur meldde dat \
                 er {i} woningen zijn hersteld en dat de wederopbouw in {} doorgaat.",
                2021 + i % 3
            ),
        });
        body.push_str(&line.to_string());
        body.push('\n');
    }
    let ingest = std::thread::spawn(move || {
        let started = Instant::now();
        let resp = client::request(
            addr,
            "POST",
            "/api/ingest",
            Some("application/x-ndjson"),
            body.as_bytes(),
        )
        .unwrap();
        (resp, started.elapsed())
    });
    // Readers keep getting answers while the ingest runs.
    let mut reads = 0;
    let mut overlapped = 0;
    let mut slowest = Duration::ZERO;
    let mut conn = Conn::connect(addr).unwrap();
    while !ingest.is_finished() {
        let running = conn.get("/health").unwrap().json().unwrap()["ingest_running"] == true;
        let t = Instant::now();
        let r = conn.get("/api/search?q=kalifaat&limit=5").unwrap();
        slowest = slowest.max(t.elapsed());
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(r.json().unwrap()["total"].as_u64().unwrap() >= 1);
        // By name: the ingest relinks the corpus and rewrites the entity
        // table, so the fixture's ids do not survive it, but the names do.
        let r = conn
            .get("/api/timeline?entity=Islamitische%20Staat")
            .unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
        reads += 2;
        // Both reads were answered after the ingest had started; if it was
        // still running at the next health check, they overlapped it.
        let still = conn.get("/health").unwrap().json().unwrap()["ingest_running"] == true;
        if running && still {
            overlapped += 1;
        }
        // A second ingest meanwhile is refused, not queued behind the first.
        if reads == 2 {
            let r = client::request(
                addr,
                "POST",
                "/api/ingest",
                Some("application/x-ndjson"),
                b"{\"text\":\"y\"}\n",
            )
            .unwrap();
            assert!(
                r.status == 409 || r.status == 200,
                "{}: {}",
                r.status,
                r.text()
            );
        }
    }
    let (resp, took) = ingest.join().unwrap();
    assert_eq!(resp.status, 200, "{}", resp.text());
    let summary = resp.json().unwrap();
    assert_eq!(summary["added"], 300, "{summary}");
    assert!(
        overlapped >= 1,
        "no read overlapped the ingest ({reads} reads, ingest took {took:?})"
    );
    assert!(
        slowest < took.max(Duration::from_secs(5)),
        "a read waited for the whole ingest: {slowest:?} vs {took:?}"
    );
    let after = client::get(addr, "/health").unwrap().json().unwrap();
    assert!(after["documents"].as_u64().unwrap() >= n_before + 300);
    let found = client::get(addr, "/api/search?q=wederopbouw&limit=1")
        .unwrap()
        .json()
        .unwrap();
    assert!(found["total"].as_u64().unwrap() >= 300);
    // The body is kept as the documents' source.
    let uploads: Vec<_> = std::fs::read_dir(dir.path().join("uploads"))
        .unwrap()
        .collect();
    assert!(!uploads.is_empty());
    // Not JSON Lines: 400.
    let r = client::request(
        addr,
        "POST",
        "/api/ingest",
        Some("text/plain"),
        b"just text",
    )
    .unwrap();
    assert_eq!(r.status, 400, "{}", r.text());
    // Ingest response matches the OpenAPI schema.
    let spec = client::get(addr, "/api/openapi.json")
        .unwrap()
        .json()
        .unwrap();
    let schema = &spec["paths"]["/api/ingest"]["post"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    check(&summary, schema, &spec, "$").unwrap();
}

#[test]
fn read_only_store_is_served_while_another_handle_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let writer = common::build_store(&db);
    // The writer keeps the lock, as a running `kroniek ingest` would.
    let reader = kroniek_store::EmbeddedStore::open_read_only(&db).unwrap();
    let server = TestServer::start(
        Arc::new(reader),
        ServerConfig {
            allow_ingest: true,
            upload_dir: Some(dir.path().join("uploads")),
            read_only: Some("the store is locked by another process".into()),
            ..ServerConfig::default()
        },
    );
    let health = client::get(server.addr, "/health").unwrap().json().unwrap();
    assert_eq!(health["read_only"], true);
    assert_eq!(health["ingest"], false);
    let r = client::request(
        server.addr,
        "POST",
        "/api/ingest",
        Some("application/x-ndjson"),
        b"{\"text\":\"x\"}\n",
    )
    .unwrap();
    assert_eq!(r.status, 403);
    assert!(r.json().unwrap()["error"]
        .as_str()
        .unwrap()
        .contains("read-only"));
    let r = client::get(server.addr, "/api/search?q=kalifaat").unwrap();
    assert_eq!(r.status, 200);
    // A commit by the writer shows up in the served store.
    let doc = kroniek_pipeline::to_document(
        kroniek_formats::RawDoc {
            source: "late.txt".into(),
            format: kroniek_formats::Format::Text,
            title: Some("Laat bericht".into()),
            text: "Een laat bericht over zonnepanelen in Zwolle.".into(),
            date: None,
            date_evidence: None,
            url: None,
            lang: None,
            external_id: None,
        },
        &Default::default(),
    );
    use kroniek_store::Store;
    writer
        .put(&kroniek_store::NewDoc {
            doc: &doc,
            source: "late.txt",
            signature: None,
            bands: &[],
        })
        .unwrap();
    writer.commit().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let r = client::get(server.addr, "/api/search?q=zonnepanelen")
            .unwrap()
            .json()
            .unwrap();
        if r["total"] == 1 {
            break;
        }
        assert!(Instant::now() < deadline, "commit never became visible");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn slow_requests_time_out_with_a_json_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = kroniek_store::EmbeddedStore::open(dir.path()).unwrap();
    let server = TestServer::start(
        Arc::new(store),
        ServerConfig {
            timeout: Duration::from_millis(1),
            ..ServerConfig::default()
        },
    );
    // Annotating 20 kB of text takes far longer than 1 ms.
    let text = "Op 29 juni 2014 riep Islamitische Staat in Mosul een kalifaat uit. ".repeat(300);
    let r = client::request(
        server.addr,
        "POST",
        "/api/annotate",
        Some("text/plain"),
        text.as_bytes(),
    )
    .unwrap();
    assert_eq!(r.status, 408, "{}", r.text());
    assert!(r.json().unwrap()["error"].is_string());
    // The server is still there afterwards.
    let r = client::get(server.addr, "/api/openapi.json").unwrap();
    assert_eq!(r.status, 200);
}
