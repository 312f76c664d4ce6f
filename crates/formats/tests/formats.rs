//! Every input format, read through the public API, with a good and a
//! broken case each.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;
use kroniek_formats::{
    detect, read_bytes, read_path, walk, FileError, Format, RawDoc, Record, RecordError,
    MAX_DOC_BYTES,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Writes `bytes` to a file called `name` in a fresh temporary directory
/// and reads it back.
fn read_file(name: &str, bytes: &[u8]) -> Result<Vec<Record>, FileError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, bytes).unwrap();
    let records: Vec<Record> = read_path(&path)?.collect();
    // Sources name the file; make them independent of the temp dir.
    let prefix = format!("{}/", dir.path().display());
    Ok(records
        .into_iter()
        .map(|r| match r {
            Ok(mut d) => {
                d.source = d.source.replace(&prefix, "");
                Ok(d)
            }
            Err(mut e) => {
                e.source = e.source.replace(&prefix, "");
                Err(e)
            }
        })
        .collect())
}

fn one_doc(name: &str, bytes: &[u8]) -> RawDoc {
    let mut records = read_file(name, bytes).unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    records.remove(0).unwrap()
}

fn one_error(name: &str, bytes: &[u8]) -> RecordError {
    let mut records = read_file(name, bytes).unwrap();
    assert_eq!(records.len(), 1, "{records:?}");
    records.remove(0).unwrap_err()
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

// ---------------------------------------------------------------- text

#[test]
fn text_with_month_header_and_title() {
    let d = one_doc(
        "storm.txt",
        " date 2018-08\nStorm trekt over Utrecht\n\nDe storm raasde dinsdag over de stad.\nEr vielen veel bomen om.\n\nDe schade is groot.\n"
            .as_bytes(),
    );
    assert_eq!(d.format, Format::Text);
    assert_eq!(d.source, "storm.txt");
    assert_eq!(d.date.unwrap().to_string(), "2018-08");
    assert_eq!(
        d.date_evidence.as_deref(),
        Some("header line 'date 2018-08'")
    );
    assert_eq!(d.title.as_deref(), Some("Storm trekt over Utrecht"));
    assert_eq!(
        d.text,
        "De storm raasde dinsdag over de stad.\nEr vielen veel bomen om.\n\nDe schade is groot."
    );
    assert_eq!(d.url, None);
}

#[test]
fn text_with_day_header() {
    let d = one_doc(
        "a.txt",
        "\u{FEFF}DATE: 2018-08-22\r\nKabinet gevallen\r\n\r\nHet kabinet is woensdag gevallen.\r\n"
            .as_bytes(),
    );
    assert_eq!(d.date.unwrap().to_string(), "2018-08-22");
    assert_eq!(d.title.as_deref(), Some("Kabinet gevallen"));
    assert_eq!(d.text, "Het kabinet is woensdag gevallen.");
}

#[test]
fn text_in_windows_1252() {
    let d = one_doc(
        "cafe.txt",
        b"Caf\xE9 De Zwaan sluit\n\nHet caf\xE9 in Delft sluit na 80 jaar \x93voorgoed\x94.\n",
    );
    assert_eq!(d.title.as_deref(), Some("Café De Zwaan sluit"));
    assert_eq!(
        d.text,
        "Het café in Delft sluit na 80 jaar \u{201C}voorgoed\u{201D}."
    );
}

#[test]
fn text_date_from_path_and_ptb_escapes() {
    let d = one_doc(
        "haiti_bbc/InputDocs/2010-01-21/1538.htm.txt",
        b"The magnitude 6.1 tremor struck at 0603 local time -LRB- 1103 GMT -RRB- . \nHe said it was `` apocalyptic '' . \n",
    );
    assert_eq!(d.date.unwrap().to_string(), "2010-01-21");
    assert_eq!(d.date_evidence.as_deref(), Some("path folder 2010-01-21"));
    assert_eq!(
        d.text,
        "The magnitude 6.1 tremor struck at 0603 local time (1103 GMT) .\nHe said it was \"apocalyptic\" ."
    );
}

#[test]
fn header_date_beats_path_date() {
    let d = one_doc("2010-01-21/x.txt", b"date 2011-02\nSome text here.\n");
    assert_eq!(d.date.unwrap().to_string(), "2011-02");
}

#[test]
fn gzipped_text() {
    let d = one_doc(
        "nieuws.txt.gz",
        &gzip("Kop\n\nTekst van het bericht.\n".as_bytes()),
    );
    assert_eq!(d.format, Format::Text);
    assert_eq!(d.title.as_deref(), Some("Kop"));
    assert_eq!(d.text, "Tekst van het bericht.");
}

#[test]
fn binary_files_are_refused() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    let e = read_file("plaatje.txt", png).unwrap_err();
    assert!(matches!(e, FileError::Binary(_)));
    assert_eq!(e.to_string(), "looks like a binary file (PNG image)");
    let e = read_file("nul.txt", b"some text\0with a NUL").unwrap_err();
    assert_eq!(e.to_string(), "looks like a binary file (NUL bytes)");
}

#[test]
fn empty_and_blank_files() {
    let e = read_file("leeg.txt", b"").unwrap_err();
    assert!(matches!(e, FileError::Empty));
    assert_eq!(e.to_string(), "empty file");
    assert!(matches!(
        read_file("leeg.txt.gz", &gzip(b"")).unwrap_err(),
        FileError::Empty
    ));
    let e = one_error("blank.txt", b"  \n\n\t \n");
    assert_eq!(e.reason, "no text");
    assert_eq!(e.source, "blank.txt");
}

#[test]
fn corrupt_gzip_is_a_file_error() {
    let mut gz = gzip(
        "Kop\n\nTekst van het bericht, lang genoeg om af te knippen.\n"
            .repeat(50)
            .as_bytes(),
    );
    gz.truncate(gz.len() / 2);
    let e = read_file("kapot.txt.gz", &gz).unwrap_err();
    assert!(matches!(e, FileError::Gzip(_)), "{e:?}");
    assert!(e.to_string().contains("truncated gzip data"), "{e}");
}

#[test]
fn huge_text_document() {
    let mut big = String::from("Kop\n\n");
    while big.len() <= MAX_DOC_BYTES + 1024 {
        big.push_str("Een zin die vaak herhaald wordt om het document groot te maken.\n");
    }
    let e = one_error("groot.txt", big.as_bytes());
    assert_eq!(e.reason, "document too large (17 MB > 16 MB)");
}

// ---------------------------------------------------------------- JSON Lines

#[test]
fn jsonl_with_bad_lines() {
    let content = concat!(
        r#"{"id": "a1", "text": "Eerste bericht.", "title": "Een", "date": "2018-08", "lang": "NL", "url": "https://x.example/1"}"#,
        "\n",
        r#"{"id": "a2", "text": "Tweede bericht." "#,
        "\n",
        "\n",
        r#"{"id": "a3", "title": "Zonder tekst"}"#,
        "\n",
        r#"{"id": 4, "text": "Vierde bericht.", "date": "2018-08-22T23:30:00+02:00"}"#,
        "\n",
        r#"{"id": "a5", "text": "   "}"#,
        "\n",
    );
    let records = read_file("nieuws.jsonl", content.as_bytes()).unwrap();
    assert_eq!(records.len(), 5);
    let first = records[0].as_ref().unwrap();
    assert_eq!(first.source, "nieuws.jsonl#1");
    assert_eq!(first.format, Format::JsonLines);
    assert_eq!(first.text, "Eerste bericht.");
    assert_eq!(first.title.as_deref(), Some("Een"));
    assert_eq!(first.date.unwrap().to_string(), "2018-08");
    assert_eq!(first.lang.as_deref(), Some("nl"));
    assert_eq!(first.external_id.as_deref(), Some("a1"));
    assert_eq!(first.url.as_deref(), Some("https://x.example/1"));

    let bad = records[1].as_ref().unwrap_err();
    assert_eq!(bad.source, "nieuws.jsonl#2");
    assert!(bad.reason.starts_with("malformed JSON"), "{}", bad.reason);

    let no_text = records[2].as_ref().unwrap_err();
    assert_eq!(
        no_text.source, "nieuws.jsonl#4",
        "blank line 3 is skipped but counted"
    );
    assert_eq!(no_text.reason, "no \"text\" field");

    let fourth = records[3].as_ref().unwrap();
    assert_eq!(fourth.source, "nieuws.jsonl#5");
    assert_eq!(fourth.external_id.as_deref(), Some("4"));
    assert_eq!(fourth.date.unwrap().to_string(), "2018-08-22");

    let blank = records[4].as_ref().unwrap_err();
    assert_eq!(
        (blank.source.as_str(), blank.reason.as_str()),
        ("nieuws.jsonl#6", "no text")
    );
}

#[test]
fn jsonl_detected_by_content_and_json_arrays() {
    let records = read_file(
        "export.txt",
        b"{\"text\": \"Een.\"}\n{\"text\": \"Twee.\"}\n",
    )
    .unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].as_ref().unwrap().text, "Twee.");
    let records = read_file(
        "export.json",
        br#"[{"text": "Een."}, {"title": "x"}, {"text": "Drie."}]"#,
    )
    .unwrap();
    assert_eq!(records.len(), 3);
    assert_eq!(records[0].as_ref().unwrap().source, "export.json#1");
    assert_eq!(records[1].as_ref().unwrap_err().reason, "no \"text\" field");
    assert_eq!(records[2].as_ref().unwrap().text, "Drie.");
    let single = one_doc(
        "one.json",
        b"{\n  \"text\": \"Alleen.\",\n  \"date\": \"2020\"\n}\n",
    );
    assert_eq!(single.source, "one.json");
    assert_eq!(single.date.unwrap().to_string(), "2020");
}

#[test]
fn truncated_gzip_jsonl_keeps_earlier_lines() {
    let mut content = String::new();
    for i in 0..2000 {
        content.push_str(&format!(
            "{{\"id\": {i}, \"text\": \"Bericht nummer {i} met wat tekst erbij.\"}}\n"
        ));
    }
    let mut gz = gzip(content.as_bytes());
    gz.truncate(gz.len() * 2 / 3);
    let records = read_file("stroom.jsonl.gz", &gz).unwrap();
    let (ok, bad): (Vec<_>, Vec<_>) = records.iter().partition(|r| r.is_ok());
    assert!(ok.len() > 100, "{}", ok.len());
    assert!(!bad.is_empty());
    let last = records.last().unwrap().as_ref().unwrap_err();
    assert!(
        last.reason.contains("truncated gzip data"),
        "{}",
        last.reason
    );
    // Only the cut-off line may fail to parse besides the final error.
    assert!(bad.len() <= 2, "{bad:?}");
}

#[test]
fn jsonl_line_too_large() {
    let big = "x".repeat(2 * MAX_DOC_BYTES + 10);
    let content = format!("{{\"text\": \"{big}\"}}\n{{\"text\": \"Klein.\"}}\n");
    let records = read_file("groot.jsonl", content.as_bytes()).unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(
        records[0].as_ref().unwrap_err().reason,
        "document too large (33 MB > 16 MB)"
    );
    assert_eq!(records[1].as_ref().unwrap().text, "Klein.");
}

// ---------------------------------------------------------------- HTML

#[test]
fn html_article_without_boilerplate() {
    let bytes = std::fs::read(fixture("nieuws.html")).unwrap();
    let d = one_doc("dijk.html", &bytes);
    assert_eq!(d.format, Format::Html);
    assert_eq!(
        d.title.as_deref(),
        Some("Dijk bij Culemborg houdt stand na dagen hoogwater")
    );
    assert_eq!(
        d.text,
        "De dijk langs de Lek bij Culemborg heeft het hoogwater van de afgelopen dagen doorstaan. Dat meldt het waterschap zaterdagochtend.\n\n\
         Honderden vrijwilligers hielden sinds woensdag dag en nacht de wacht op de dijk. Zij controleerden of er zandmeevoerende wellen ontstonden.\n\n\
         Evacuatie niet nodig\n\n\
         Burgemeester Jan Jansen liet weten dat een evacuatie van de lager gelegen wijken niet meer nodig is. \"We hebben geluk gehad,\" zei hij.\n\n\
         Het water in de Lek zakt volgens Rijkswaterstaat de komende dagen langzaam."
    );
    for junk in [
        "cookies",
        "Binnenland",
        "Advertentie",
        "Deel op",
        "Lees ook",
        "Reacties",
        "Piet",
        "Verkeersongeluk",
        "rechten",
        "tracking",
        "Foto: ANP",
        "Anna de Vries",
    ] {
        assert!(!d.text.contains(junk), "boilerplate {junk:?} in text");
    }
    // The local day of the publication time, not the UTC day.
    assert_eq!(d.date.unwrap().to_string(), "2021-07-17");
    assert_eq!(
        d.date_evidence.as_deref(),
        Some("meta article:published_time")
    );
    assert_eq!(
        d.url.as_deref(),
        Some("https://rivierenland.example/nieuws/dijk-culemborg")
    );
    assert_eq!(d.lang.as_deref(), Some("nl"));
}

#[test]
fn html_article_header_lead_and_nested_teasers() {
    let bytes = std::fs::read(fixture("nos_stijl.html")).unwrap();
    let d = one_doc("nos.html", &bytes);
    assert_eq!(
        d.title.as_deref(),
        Some("Kabinet stemt in met plan voor woningbouw")
    );
    assert_eq!(
        d.text,
        "Het kabinet heeft ingestemd met een plan om de komende tien jaar negenhonderdduizend woningen te bouwen, vooral in de Randstad.\n\n\
         Minister De Jonge presenteerde het plan vrijdag na de ministerraad. Gemeenten moeten volgens hem sneller vergunningen verlenen.\n\n\
         De oppositie is kritisch. \"Dit plan is niet betaalbaar voor starters,\" zegt een Kamerlid.\n\n\
         Het plan moet nog door de Tweede Kamer worden goedgekeurd, wat naar verwachting na de zomer gebeurt."
    );
    assert_eq!(d.date.unwrap().to_string(), "2022-06-10");
    assert_eq!(
        d.date_evidence.as_deref(),
        Some("time datetime in the article")
    );
}

#[test]
fn html_json_ld_date_and_title_fallbacks() {
    let page = r#"<html lang="en"><head><title>Ferry back in service - River News</title>
        <script type="application/ld+json">[{"@context":"https://schema.org","@graph":[
          {"@type":"WebSite","name":"River News"},
          {"@type":"NewsArticle","datePublished":"2019-03-05T08:00:00+01:00"}]}]</script></head>
        <body><div id="menu"><a href="/">Home</a> <a href="/news">News</a></div>
        <div class="story"><p>The ferry between Culemborg and Beusichem is back in service after repairs.</p>
        <p>It had been out of order for three weeks because of a broken engine.</p></div>
        <div class="comments"><p>Great news for the commuters who had to take a long detour every day!</p></div>
        </body></html>"#;
    let d = one_doc("ferry.html", page.as_bytes());
    assert_eq!(d.title.as_deref(), Some("Ferry back in service"));
    assert_eq!(d.date.unwrap().to_string(), "2019-03-05");
    assert_eq!(d.date_evidence.as_deref(), Some("JSON-LD datePublished"));
    assert_eq!(
        d.text,
        "The ferry between Culemborg and Beusichem is back in service after repairs.\n\nIt had been out of order for three weeks because of a broken engine."
    );
    assert_eq!(d.lang.as_deref(), Some("en"));
}

#[test]
fn html_density_picks_the_text_block() {
    let mut page = String::from("<html><body><table><tr><td class='left'>");
    for i in 0..10 {
        page.push_str(&format!("<a href='/{i}'>Rubriek {i}</a><br>"));
    }
    page.push_str("</td><td><div><h1>Kabinet valt over stikstof</h1><div>");
    page.push_str(
        "<p>Het kabinet is dinsdagavond gevallen na een conflict over het stikstofbeleid.</p>",
    );
    page.push_str(
        "<p>De premier bood zijn ontslag aan bij de koning, meldt de RVD in een verklaring.</p>",
    );
    page.push_str(
        "<p>Er komen vervroegde verkiezingen in het najaar, zo verwachten ingewijden.</p>",
    );
    page.push_str("</div></div></td></tr></table><div><p>Copyright.</p></div></body></html>");
    let d = one_doc("2022-07-05/kabinet.htm", page.as_bytes());
    assert_eq!(d.title.as_deref(), Some("Kabinet valt over stikstof"));
    assert!(
        d.text.starts_with("Het kabinet is dinsdagavond gevallen"),
        "{}",
        d.text
    );
    assert!(d.text.ends_with("zo verwachten ingewijden."), "{}", d.text);
    assert!(!d.text.contains("Rubriek"));
    assert!(!d.text.contains("Kabinet valt"), "title not in text");
    assert_eq!(d.date_evidence.as_deref(), Some("path folder 2022-07-05"));
}

#[test]
fn truncated_html_still_gives_its_text() {
    let page = "<!DOCTYPE html><html><head><title>Brand in Arnhem</title></head><body><article><h1>Brand in Arnhem</h1><p>Een grote brand heeft vannacht een loods in Arnhem verwoest.</p><p>De brandweer was uren bezig om het vuur onder controle te krij";
    let d = one_doc("brand.html", page.as_bytes());
    assert_eq!(d.title.as_deref(), Some("Brand in Arnhem"));
    assert_eq!(
        d.text,
        "Een grote brand heeft vannacht een loods in Arnhem verwoest.\n\nDe brandweer was uren bezig om het vuur onder controle te krij"
    );
    let cut_in_tag =
        "<html><body><p>Eerste alinea van een afgebroken pagina met tekst.</p><p class=\"x";
    assert_eq!(
        one_doc("cut.html", cut_in_tag.as_bytes()).text,
        "Eerste alinea van een afgebroken pagina met tekst."
    );
}

#[test]
fn html_without_text() {
    let e = one_error("leeg.html", b"<html><head><title>Niets</title><script>var a = 1;</script></head><body><nav><a href='/'>Home</a></nav></body></html>");
    assert_eq!(e.reason, "no article text found");
    assert_eq!(e.to_string(), "leeg.html: no article text found");
}

#[test]
fn html_in_a_declared_charset() {
    let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body><p>Caf\xE9 in Delft gaat na tachtig jaar dicht.</p></body></html>";
    assert_eq!(
        one_doc("cafe.html", page).text,
        "Café in Delft gaat na tachtig jaar dicht."
    );
}

// ---------------------------------------------------------------- WARC

fn http(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn warc_record(kind: &str, uri: Option<&str>, content_type: &str, block: &[u8]) -> Vec<u8> {
    let mut head = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{}>\r\nWARC-Date: 2024-05-01T12:00:00Z\r\n",
        block.len()
    );
    if let Some(uri) = uri {
        head.push_str(&format!("WARC-Target-URI: {uri}\r\n"));
    }
    head.push_str(&format!(
        "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    ));
    let mut out = head.into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// warcinfo, request, article response, image, 404 page, metadata, article.
fn warc_records() -> Vec<Vec<u8>> {
    let article1 = "<html><head><meta property=\"article:published_time\" content=\"2024-04-30T18:00:00+02:00\"><title>Brug dicht | Krant</title></head><body><article><p>De brug over de IJssel bij Zutphen is het hele weekend dicht voor onderhoud.</p></article></body></html>";
    let article2 = "<html><body><div><h1>Trein rijdt weer</h1><p>Tussen Arnhem en Nijmegen rijden de treinen weer volgens de normale dienstregeling.</p></div></body></html>";
    vec![
        warc_record("warcinfo", None, "application/warc-fields", b"software: kroniek-test\r\nformat: WARC File Format 1.0\r\n"),
        warc_record("request", Some("https://krant.example/brug"), "application/http; msgtype=request", b"GET /brug HTTP/1.1\r\nHost: krant.example\r\n\r\n"),
        warc_record("response", Some("https://krant.example/brug"), "application/http; msgtype=response", &http("200 OK", "text/html; charset=utf-8", article1.as_bytes())),
        warc_record("response", Some("https://krant.example/logo.png"), "application/http; msgtype=response", &http("200 OK", "image/png", b"\x89PNG\r\n\x1a\n\0\0\0\0")),
        warc_record("response", Some("https://krant.example/weg"), "application/http; msgtype=response", &http("404 Not Found", "text/html", b"<html><body><p>Deze pagina bestaat niet meer, probeer iets anders.</p></body></html>")),
        warc_record("metadata", Some("https://krant.example/brug"), "application/warc-fields", b"via: https://krant.example/\r\n"),
        warc_record("response", Some("https://krant.example/trein"), "application/http; msgtype=response", &http("200 OK", "text/html", article2.as_bytes())),
    ]
}

fn check_warc_docs(records: &[Record], name: &str) {
    assert_eq!(records.len(), 2, "{records:?}");
    let a = records[0].as_ref().unwrap();
    assert_eq!(a.source, format!("{name}#3"));
    assert_eq!(a.format, Format::Warc);
    assert_eq!(a.url.as_deref(), Some("https://krant.example/brug"));
    assert_eq!(a.title.as_deref(), Some("Brug dicht"));
    assert_eq!(
        a.text,
        "De brug over de IJssel bij Zutphen is het hele weekend dicht voor onderhoud."
    );
    assert_eq!(a.date.unwrap().to_string(), "2024-04-30");
    let b = records[1].as_ref().unwrap();
    assert_eq!(b.source, format!("{name}#7"));
    assert_eq!(b.url.as_deref(), Some("https://krant.example/trein"));
    assert_eq!(b.title.as_deref(), Some("Trein rijdt weer"));
    assert_eq!(
        b.date, None,
        "WARC-Date is crawl time, not a publication date"
    );
}

#[test]
fn warc_plain() {
    let bytes: Vec<u8> = warc_records().concat();
    check_warc_docs(&read_file("crawl.warc", &bytes).unwrap(), "crawl.warc");
}

#[test]
fn warc_gz_one_member_per_record() {
    let bytes: Vec<u8> = warc_records().iter().flat_map(|r| gzip(r)).collect();
    check_warc_docs(
        &read_file("crawl.warc.gz", &bytes).unwrap(),
        "crawl.warc.gz",
    );
    // Also as one gzip member, and under a lying name.
    let single = gzip(&warc_records().concat());
    check_warc_docs(&read_file("crawl.txt", &single).unwrap(), "crawl.txt");
}

#[test]
fn truncated_warc_gz_keeps_earlier_records() {
    let bytes: Vec<u8> = warc_records().iter().flat_map(|r| gzip(r)).collect();
    let cut = &bytes[..bytes.len() - 40];
    let records = read_file("crawl.warc.gz", cut).unwrap();
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[0].as_ref().unwrap().source, "crawl.warc.gz#3");
    let e = records[1].as_ref().unwrap_err();
    assert_eq!(e.reason, "truncated WARC after 6 records");
    assert_eq!(e.source, "crawl.warc.gz#7");
}

#[test]
fn truncated_plain_warc() {
    let bytes: Vec<u8> = warc_records().concat();
    let records = read_file("crawl.warc", &bytes[..bytes.len() - 60]).unwrap();
    assert_eq!(records.len(), 2);
    assert!(records[0].is_ok());
    assert_eq!(
        records[1].as_ref().unwrap_err().reason,
        "truncated WARC after 6 records"
    );
    let garbage = [
        warc_records()[0].clone(),
        b"this is not a record\r\n".to_vec(),
    ]
    .concat();
    let records = read_file("bad.warc", &garbage).unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0].as_ref().unwrap_err().reason,
        "malformed WARC after 1 records: expected a 'WARC/' version line"
    );
}

// ---------------------------------------------------------------- feeds

#[test]
fn rss_items() {
    let records = read_path(&fixture("feed.rss")).unwrap().collect::<Vec<_>>();
    assert_eq!(records.len(), 3);
    let a = records[0].as_ref().unwrap();
    assert!(a.source.ends_with("feed.rss#1"));
    assert_eq!(a.format, Format::Feed);
    assert_eq!(a.title.as_deref(), Some("Dijk bij Culemborg houdt stand"));
    assert_eq!(a.text, "De dijk langs de Lek heeft het hoogwater doorstaan.\n\nHonderden vrijwilligers hielden de wacht.");
    assert_eq!(
        a.date.unwrap().to_string(),
        "2021-07-18",
        "local day of the pubDate"
    );
    assert_eq!(a.date_evidence.as_deref(), Some("feed pubDate"));
    assert_eq!(
        a.url.as_deref(),
        Some("https://rivierenland.example/nieuws/dijk-culemborg")
    );
    assert_eq!(a.lang.as_deref(), Some("nl"));
    assert_eq!(a.external_id.as_deref(), Some("rn-1001"));
    let b = records[1].as_ref().unwrap();
    assert_eq!(
        b.text,
        "De veerpont tussen Culemborg en Beusichem vaart & weer."
    );
    assert_eq!(b.date.unwrap().to_string(), "2021-07-19");
    let c = records[2].as_ref().unwrap_err();
    assert!(c.source.ends_with("feed.rss#3"));
    assert_eq!(c.reason, "no text in feed item");
}

#[test]
fn rss_in_latin1_with_html_entities() {
    let rss = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss version=\"2.0\"><channel><title>T</title>\
        <item><title>Caf&amp;eacute; \xe9\xe9n</title><description>Het caf\xe9 sluit&amp;nbsp;na 80 jaar.</description>\
        <pubDate>3 June 2008 11:05 GMT</pubDate></item></channel></rss>";
    let d = one_doc("latin.rss", rss);
    assert_eq!(d.title.as_deref(), Some("Caf\u{e9} \u{e9}\u{e9}n"));
    assert_eq!(d.text, "Het caf\u{e9} sluit na 80 jaar.");
    assert_eq!(d.date.unwrap().to_string(), "2008-06-03");
}

#[test]
fn atom_entries() {
    let records = read_path(&fixture("feed.atom"))
        .unwrap()
        .collect::<Vec<_>>();
    assert_eq!(records.len(), 2);
    let a = records[0].as_ref().unwrap();
    assert_eq!(a.title.as_deref(), Some("Dike holds near Culemborg"));
    assert_eq!(
        a.text,
        "The dike along the Lek held.\n\nVolunteers kept watch."
    );
    assert_eq!(a.date.unwrap().to_string(), "2021-07-17");
    assert_eq!(a.date_evidence.as_deref(), Some("feed published"));
    assert_eq!(a.url.as_deref(), Some("https://river.example/dike"));
    assert_eq!(a.external_id.as_deref(), Some("urn:example:dike"));
    let b = records[1].as_ref().unwrap();
    assert_eq!(
        b.text,
        "The ferry between Culemborg and Beusichem runs again."
    );
    assert_eq!(b.date.unwrap().to_string(), "2021-07-20");
    assert_eq!(b.date_evidence.as_deref(), Some("feed updated"));
}

#[test]
fn malformed_feeds() {
    let rss = std::fs::read_to_string(fixture("feed.rss")).unwrap();
    let broken = rss.replace(
        "</title>\n      <link>https://rivierenland.example/nieuws/veerpont",
        "</titel>\n      <link>https://rivierenland.example/nieuws/veerpont",
    );
    let e = read_file("kapot.rss", broken.as_bytes()).unwrap_err();
    assert!(matches!(e, FileError::Malformed(_)));
    assert!(
        e.to_string().starts_with("malformed feed XML at line 17:"),
        "{e}"
    );
    let cut = &rss[..rss.find("</item>").unwrap() + 7];
    let e = read_file("kort.rss", cut.as_bytes()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "malformed feed XML: the file ends before <rss> is closed (truncated?) at line 15"
    );
    let e = read_file("kort.rss", &rss.as_bytes()[..rss.len() / 2]).unwrap_err();
    assert!(
        e.to_string().starts_with("malformed feed XML at line 13: "),
        "{e}"
    );
    let atom = std::fs::read_to_string(fixture("feed.atom")).unwrap();
    let e = read_file(
        "kapot.atom",
        atom.replace("<entry>", "<entry x=>").as_bytes(),
    )
    .unwrap_err();
    assert!(
        e.to_string().starts_with("malformed feed XML at line "),
        "{e}"
    );
}

// ---------------------------------------------------------------- TimeML

#[test]
fn timeml_with_dct() {
    let records = read_path(&fixture("wsj_sample.tml"))
        .unwrap()
        .collect::<Vec<_>>();
    assert_eq!(records.len(), 1);
    let d = records[0].as_ref().unwrap();
    assert_eq!(d.format, Format::TimeMl);
    assert_eq!(
        d.text,
        "\nThe dike held on Thursday, officials said.\n\nVolunteers & soldiers watched it for three days.\n"
    );
    assert_eq!(d.date.unwrap().to_string(), "2013-03-22");
    assert_eq!(d.date_evidence.as_deref(), Some("TimeML DCT"));
    assert_eq!(
        d.title.as_deref(),
        Some("Dike holds after days of high water")
    );
    assert_eq!(d.external_id.as_deref(), Some("kroniek_sample_1"));
}

#[test]
fn broken_timeml() {
    let tml = std::fs::read_to_string(fixture("wsj_sample.tml")).unwrap();
    let e = read_file(
        "kapot.tml",
        tml.replace("</EVENT> on", "</TIMEX3> on").as_bytes(),
    )
    .unwrap_err();
    assert!(
        e.to_string().starts_with("malformed TimeML at line 7"),
        "{e}"
    );
    // A TimeML file under another name is still recognised by content.
    let d = one_doc("doc.xml", tml.as_bytes());
    assert_eq!(d.format, Format::TimeMl);
}

// ---------------------------------------------------------------- detection

#[test]
fn detection_by_content_when_the_extension_lies() {
    assert_eq!(detect("a.txt", b"WARC/1.0\r\n").unwrap(), Format::Warc);
    assert_eq!(detect("a.html", b"WARC/1.1\r\n").unwrap(), Format::Warc);
    assert_eq!(
        detect("a.txt", b"<?xml version=\"1.0\"?><rss version=\"2.0\">").unwrap(),
        Format::Feed
    );
    assert_eq!(
        detect("a.txt", b"<?xml version=\"1.0\"?>\n<TimeML>").unwrap(),
        Format::TimeMl
    );
    assert_eq!(
        detect("a.txt", b"<!doctype html><p>x").unwrap(),
        Format::Html
    );
    assert_eq!(
        detect("a.html", b"{\"text\": \"x\"}\n").unwrap(),
        Format::JsonLines
    );
    assert_eq!(
        detect("a.json", b"Gewoon een tekst").unwrap(),
        Format::JsonLines
    );
    assert_eq!(
        detect("a.txt", b"Gewoon een tekst met <b>opmaak</b>").unwrap(),
        Format::Text
    );
    assert_eq!(
        detect("a.txt", &gzip(b"WARC/1.0\r\n")).unwrap(),
        Format::Warc
    );
    assert_eq!(
        detect("a.warc.gz", &gzip(b"WARC/1.0\r\n")).unwrap(),
        Format::Warc
    );
    assert_eq!(
        detect("a.gz", &gzip(b"<rss version=\"2.0\">")).unwrap(),
        Format::Feed
    );
    assert!(matches!(detect("a.txt", b""), Err(FileError::Empty)));
    assert!(matches!(
        detect("a.txt", b"\x89PNG\r\n\x1a\n\0\0"),
        Err(FileError::Binary(_))
    ));
    assert!(matches!(
        detect("a.gz", b"\x1f\x8b\x08garbage"),
        Err(FileError::Gzip(_))
    ));
}

#[test]
fn read_bytes_for_stdin() {
    let records: Vec<Record> = read_bytes("stdin", b"Kop\n\nTekst via standaardinvoer.\n".to_vec())
        .unwrap()
        .collect();
    let d = records[0].as_ref().unwrap();
    assert_eq!(d.source, "stdin");
    assert_eq!(d.text, "Tekst via standaardinvoer.");
    let jsonl: Vec<Record> = read_bytes("stdin", b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n".to_vec())
        .unwrap()
        .collect();
    assert_eq!(jsonl[1].as_ref().unwrap().source, "stdin#2");
    assert!(matches!(
        read_bytes("stdin", Vec::new()),
        Err(FileError::Empty)
    ));
}

#[test]
fn read_path_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(read_path(dir.path()), Err(FileError::Directory)));
    assert!(matches!(
        read_path(&dir.path().join("nope.txt")),
        Err(FileError::Io(_))
    ));
}

// ---------------------------------------------------------------- walking

#[test]
fn walk_sorts_skips_hidden_and_reports_missing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for f in [
        "b/2.txt",
        "a/1.txt",
        "a/0.html",
        "c.txt",
        ".hidden/x.txt",
        "a/.secret.txt",
    ] {
        let p = root.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, "x").unwrap();
    }
    let missing = root.join("bestaat-niet");
    let entries = walk(&[root.to_path_buf(), missing.clone(), root.join("c.txt")]);
    let rel: Vec<String> = entries
        .iter()
        .map(|e| match e {
            Ok(p) => p.strip_prefix(root).unwrap().display().to_string(),
            Err(e) => e.to_string(),
        })
        .collect();
    assert_eq!(
        rel,
        vec![
            "a/0.html".to_string(),
            "a/1.txt".into(),
            "b/2.txt".into(),
            "c.txt".into(),
            format!("{}: no such file or directory", missing.display()),
            "c.txt".into(),
        ]
    );
}

// ---------------------------------------------------------------- robustness

#[test]
fn records_are_send() {
    fn is_send<T: Send>(_: &T) {}
    let it = read_bytes("x.txt", b"tekst".to_vec()).unwrap();
    is_send(&it);
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    const NAMES: &[&str] = &[
        "a.txt",
        "a.jsonl",
        "a.json",
        "a.html",
        "a.warc",
        "a.warc.gz",
        "a.rss",
        "a.atom",
        "a.tml",
        "stdin",
    ];
    const PREFIXES: &[&[u8]] = &[
        b"",
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n\r\n<p>",
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><description>",
        b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><content type=\"html\">",
        b"<TimeML><DCT><TIMEX3 value=\"",
        b"<html><body><article><p>",
        b"{\"text\": \"",
        b"[{\"text\": \"",
        b"date 2018-08\n",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"\xFF\xFE",
    ];

    proptest! {
        // PROPTEST_CASES=20000 for a longer run.
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512),
            ..ProptestConfig::default()
        })]

        #[test]
        fn arbitrary_bytes_never_panic(
            name in proptest::sample::select(NAMES),
            prefix in proptest::sample::select(PREFIXES),
            tail in proptest::collection::vec(any::<u8>(), 0..1500),
        ) {
            let mut bytes = prefix.to_vec();
            bytes.extend_from_slice(&tail);
            let _ = detect(name, &bytes);
            if let Ok(records) = read_bytes(name, bytes) {
                for record in records.take(10_000) {
                    match record {
                        Ok(doc) => prop_assert!(!doc.text.trim().is_empty()),
                        Err(e) => prop_assert!(!e.reason.is_empty()),
                    }
                }
            }
        }

        #[test]
        fn damaged_valid_files_never_panic(
            which in 0usize..7,
            cut in 0.0f64..1.0,
            flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 0..8),
        ) {
            let (name, mut bytes): (&str, Vec<u8>) = match which {
                0 => ("a.warc", warc_records().concat()),
                1 => ("a.warc.gz", warc_records().iter().flat_map(|r| gzip(r)).collect()),
                2 => ("a.rss", std::fs::read(fixture("feed.rss")).unwrap()),
                3 => ("a.atom", std::fs::read(fixture("feed.atom")).unwrap()),
                4 => ("a.html", std::fs::read(fixture("nieuws.html")).unwrap()),
                5 => ("a.tml", std::fs::read(fixture("wsj_sample.tml")).unwrap()),
                _ => ("a.jsonl", b"{\"text\": \"een\", \"date\": \"2018\"}\n{\"text\": \"twee\"}\n".to_vec()),
            };
            for (at, byte) in flips {
                let i = ((bytes.len() as f64) * at) as usize;
                if let Some(b) = bytes.get_mut(i) {
                    *b = byte;
                }
            }
            bytes.truncate(((bytes.len() as f64) * cut) as usize + 1);
            if let Ok(records) = read_bytes(name, bytes) {
                for doc in records.take(10_000).flatten() {
                    prop_assert!(!doc.text.trim().is_empty());
                }
            }
        }

        #[test]
        fn gzip_of_anything_never_panics(
            prefix in proptest::sample::select(PREFIXES),
            tail in proptest::collection::vec(any::<u8>(), 0..800),
            cut in 0usize..900,
        ) {
            let mut plain = prefix.to_vec();
            plain.extend_from_slice(&tail);
            let mut gz = gzip(&plain);
            gz.truncate(cut.min(gz.len()).max(1));
            if let Ok(records) = read_bytes("x.gz", gz) {
                for record in records.take(10_000) {
                    let _ = record;
                }
            }
        }
    }
}

// ---------------------------------------------------------------- real corpora

/// Reads the TempEval-3 platinum files from `../shared` beside the
/// repository when they are there (as in CI); skipped otherwise.
#[test]
fn tempeval3_platinum() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpora/tempeval3/te3-platinum");
    if !dir.is_dir() {
        eprintln!("skipped: {} not found", dir.display());
        return;
    }
    let files: Vec<PathBuf> = walk(&[dir.to_path_buf()])
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    assert!(files.len() >= 20);
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "tml"))
    {
        let records: Vec<Record> = read_path(f).unwrap().collect();
        let d = records[0].as_ref().unwrap();
        assert_eq!(d.format, Format::TimeMl);
        assert!(d.date.is_some(), "{}", f.display());
        assert!(!d.text.contains('<'), "{}", f.display());
    }
}
