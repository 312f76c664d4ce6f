//! End-to-end: the web page in headless Chromium (Debian's `chromium` and
//! `chromium-driver`), driven over the WebDriver protocol (JSON over HTTP
//! to chromedriver on loopback). Loads the page against a server on the
//! example articles, searches, opens an entity and its timeline, zooms,
//! clicks an event and checks what is shown; saves screenshots to
//! `target/e2e/`. Skips with a message when Chromium is not installed
//! (`.ci/run` installs it, so CI runs it).

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use kroniek_server::client;
use kroniek_server::ServerConfig;
use serde_json::{json, Value};

use common::{XSS_EVENT, XSS_TITLE};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find_binary(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(env) {
        return Some(PathBuf::from(p)).filter(|p| p.is_file());
    }
    candidates.iter().map(PathBuf::from).find(|p| p.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver with one Chromium session; both stopped on drop.
struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(chromium: &Path, chromedriver: &Path) -> Browser {
        let port = free_port();
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = client::get(addr, "/status") {
                if r.json().is_ok_and(|v| v["value"]["ready"] == true) {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,1000",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium.to_string_lossy(), "args": args},
        }}});
        let mut b = Browser {
            driver,
            addr,
            session: String::new(),
            _profile: profile,
        };
        let v = b.call("POST", "/session", Some(caps));
        b.session = v["sessionId"]
            .as_str()
            .expect("WebDriver session id")
            .to_string();
        b
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let ct = (!body.is_empty()).then_some("application/json");
        let r = client::request(self.addr, method, path, ct, body.as_bytes())
            .unwrap_or_else(|e| panic!("WebDriver {method} {path}: {e}"));
        let v = r.json().unwrap();
        assert!(
            r.status == 200,
            "WebDriver {method} {path}: {} {}",
            r.status,
            v
        );
        v["value"].clone()
    }

    fn s(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let p = format!("/session/{}{path}", self.session);
        self.call(method, &p, body)
    }

    fn goto(&self, url: &str) {
        self.s("POST", "/url", Some(json!({ "url": url })));
        self.ready();
    }

    /// Waits until the page has finished rendering the current view.
    fn ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.js("const a = document.getElementById('app'); \
             return !!a && a.getAttribute('data-ready') === location.hash")
            != true
        {
            assert!(Instant::now() < deadline, "the view never finished loading");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn js(&self, script: &str) -> Value {
        self.s(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    fn all(&self, css: &str) -> Vec<String> {
        self.s(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[ELEMENT].as_str().unwrap().to_string())
        .collect()
    }

    /// Waits (10 s at most) until `css` matches at least `n` elements.
    fn wait(&self, css: &str, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let found = self.all(css);
            if found.len() >= n {
                return found;
            }
            if Instant::now() > deadline {
                let body = self.js("return document.body.innerText");
                panic!(
                    "waited for {n} × {css:?}, found {}; page: {body}",
                    found.len()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn text(&self, el: &str) -> String {
        self.s("GET", &format!("/element/{el}/text"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn text_of(&self, css: &str) -> String {
        let el = self.wait(css, 1);
        self.text(&el[0])
    }

    fn click(&self, el: &str) {
        self.s("POST", &format!("/element/{el}/click"), Some(json!({})));
    }

    fn click_css(&self, css: &str) {
        let el = self.wait(css, 1);
        self.click(&el[0]);
    }

    fn type_into(&self, css: &str, text: &str) {
        let el = self.wait(css, 1);
        self.s(
            "POST",
            &format!("/element/{}/clear", el[0]),
            Some(json!({})),
        );
        self.s(
            "POST",
            &format!("/element/{}/value", el[0]),
            Some(json!({ "text": text })),
        );
    }

    fn screenshot(&self, path: &Path) {
        let b64 = self.s("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        assert!(png.starts_with(b"\x89PNG"), "not a PNG");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }

    fn no_injected_script_ran(&self) {
        assert_eq!(
            self.js("return typeof window.__xss"),
            "undefined",
            "article markup was executed"
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let p = format!("/session/{}", self.session);
            let _ = client::request(self.addr, "DELETE", &p, None, b"");
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn artifacts() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("e2e")
}

#[test]
fn search_timeline_entity_and_document_in_chromium() {
    let chromium = find_binary(
        "KRONIEK_CHROMIUM",
        &["/usr/bin/chromium", "/usr/bin/chromium-browser"],
    );
    let driver = find_binary("KRONIEK_CHROMEDRIVER", &["/usr/bin/chromedriver"]);
    let (Some(chromium), Some(driver)) = (chromium, driver) else {
        assert!(
            std::env::var_os("KRONIEK_REQUIRE_BROWSER").is_none(),
            "KRONIEK_REQUIRE_BROWSER is set but chromium or chromedriver is missing"
        );
        eprintln!(
            "SKIPPED: headless browser test needs Chromium and ChromeDriver \
             (apt-get install chromium chromium-driver; .ci/run installs them)"
        );
        return;
    };
    let (_dir, server) = common::fixture(ServerConfig::default());
    let base = format!("http://{}", server.addr);
    let browser = Browser::start(&chromium, &driver);

    // Search with the form.
    browser.goto(&format!("{base}/#/search"));
    browser.type_into("#q", "kalifaat");
    browser.click_css("#search-form button[type=submit]");
    browser.ready();
    let hits = browser.wait("#results .hit", 1);
    let api = client::get(server.addr, "/api/search?q=kalifaat&limit=20")
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(hits.len(), api["hits"].as_array().unwrap().len());
    let marks = browser.all("#results .hit mark");
    assert!(!marks.is_empty(), "no highlighted words");
    for m in marks.iter().take(5) {
        assert!(browser.text(m).to_lowercase().starts_with("kalifa"));
    }
    assert!(browser
        .text_of("#search-summary")
        .starts_with(&api["total"].to_string()));
    browser.screenshot(&artifacts().join("search.png"));

    // Filters: language and date range through the URL the form builds.
    browser.goto(&format!("{base}/#/search?q=Baghdadi&lang=en&from=2019"));
    browser.wait("#results .hit", 1);
    for hit in browser.all("#results .hit .meta") {
        let t = browser.text(&hit);
        if t.contains('·') {
            assert!(t.contains("en"), "{t}");
        }
    }

    // Entity page: aliases, mentions chart, related entities, timeline link.
    browser.goto(&format!("{base}/#/entity/e-baghdadi"));
    assert!(browser
        .text_of("h1.entity-name")
        .contains("Abu Bakr al-Baghdadi"));
    assert!(browser.text_of(".aliases").contains("Baghdadi"));
    browser.wait("#mentions-chart rect.bar", 1);
    browser.wait("ul.related li", 1);
    browser.screenshot(&artifacts().join("entity.png"));
    browser.click_css("p.actions a");
    browser.ready();

    // Timeline of the entity: every dated event on the axis.
    let events = browser.wait("#timeline g.event", 1);
    let api = client::get(server.addr, "/api/timeline?entity=e-baghdadi")
        .unwrap()
        .json()
        .unwrap();
    let api_events = api["events"].as_array().unwrap();
    assert_eq!(events.len(), api_events.len());
    assert!(browser
        .text_of("#timeline-summary")
        .starts_with(&api["total"].to_string()));

    // Zoom from decades to days and back.
    browser.click_css("#zoom-decades");
    let scale = browser.js("return document.getElementById('timeline').dataset.scale");
    assert!(scale == "decades" || scale == "years", "{scale}");
    browser.click_css("#zoom-fit");

    // Click the Baghdadi event: its date, precision, type, certainty and
    // sources with their sentences.
    let target = api_events
        .iter()
        .find(|e| e["id"] == "t-baghdadi")
        .expect("fixture event");
    browser.click_css("#timeline g.event[data-id='t-baghdadi'] text");
    assert_eq!(
        browser.text_of("#event-detail .event-title"),
        "Al-Baghdadi gedood bij Amerikaanse actie"
    );
    let date = browser.text_of("#event-detail .event-date");
    assert!(
        date.contains("2019-10-26") && date.contains("day precision"),
        "{date}"
    );
    assert_eq!(browser.text_of("#event-detail .event-type"), "death");
    assert_eq!(browser.text_of("#event-detail .event-certainty"), "certain");
    assert_eq!(browser.text_of("#event-detail .conflicts"), "2019-10-27");
    let sources = browser.all("#event-detail li.source");
    assert_eq!(sources.len(), target["sources"].as_array().unwrap().len());
    let sentences = browser.all("#event-detail li.source .sentence");
    assert!(!sentences.is_empty());
    assert!(browser.text(&sentences[0]).contains("Baghdadi"));
    browser.click_css("#zoom-days");
    let scale = browser.js("return document.getElementById('timeline').dataset.scale");
    assert!(scale == "days" || scale == "weeks", "{scale}");
    browser.click_css("#zoom-fit");
    browser.click_css("#timeline g.event[data-id='t-baghdadi'] text");
    browser.js("window.scrollTo(0, 0)");
    browser.screenshot(&artifacts().join("timeline.png"));
    // The whole corpus timeline, zoomed to fit, for a look at lanes and labels.
    browser.goto(&format!("{base}/#/timeline"));
    browser.wait("#timeline g.event", 6);
    browser.screenshot(&artifacts().join("timeline-all.png"));
    browser.goto(&format!("{base}/#/timeline?entity=e-baghdadi"));
    browser.click_css("#timeline g.event[data-id='t-baghdadi'] text");

    // Follow a source to the document view: annotations and the DCT.
    browser.click_css("#event-detail li.source a");
    browser.ready();
    browser.wait("#doc-text .ann-span", 1);
    assert_eq!(browser.text_of("#dct-origin"), "given");
    assert!(!browser.text_of("#dct-evidence").is_empty());
    assert!(!browser.all("#doc-text .ann-span.l-timexes").is_empty());
    assert!(!browser.all("#doc-text .ann-span.l-entities").is_empty());
    let span = browser.wait("#doc-text .ann-span.l-timexes", 1);
    browser.click(&span[0]);
    assert!(browser.text_of("#span-detail .ann").contains("DATE"));
    browser.screenshot(&artifacts().join("document.png"));

    // Story page with its own timeline.
    browser.goto(&format!("{base}/#/story/s-is"));
    browser.wait("#timeline g.event", 2);
    browser.wait("ul.docs li", 2);

    // Hostile article: its markup shows as text and never runs.
    browser.goto(&format!("{base}/#/search?q=kwaadaardige"));
    let hit = browser.wait("#results .hit .hit-head a", 1);
    assert_eq!(browser.text(&hit[0]), XSS_TITLE);
    assert_eq!(
        browser.js("return document.querySelectorAll('#app img, #app script').length"),
        0
    );
    browser.click(&hit[0]);
    browser.ready();
    assert_eq!(browser.text_of("#doc-title"), XSS_TITLE);
    assert!(browser
        .text_of("#doc-text")
        .contains("<script>window.__xss = 4</script>"));
    browser.goto(&format!("{base}/#/timeline?q=kwaadaardige"));
    browser.click_css("#timeline g.event[data-id='t-xss'] text");
    assert_eq!(browser.text_of("#event-detail .event-title"), XSS_EVENT);
    assert_eq!(
        browser.js("return document.querySelectorAll('#app img, #app script').length"),
        0
    );
    browser.no_injected_script_ran();
    // No request left this machine: every resource came from the server.
    let foreign = browser.js("return performance.getEntriesByType('resource')\
         .map(e => e.name).filter(n => !n.startsWith(location.origin))");
    assert_eq!(foreign, json!([]), "external resources loaded");
}
