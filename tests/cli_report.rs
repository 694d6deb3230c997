//! End-to-end tests of `collate report`: the HTML structure of the 1991 communique report (one
//! column per witness, one row per bead, every annotation present, user text escaped), parsed
//! with an HTML5 parser; an HTML-injection test; and, where Chromium is installed, the reports
//! opened in headless Chromium with no console message and no network request.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ROOT, collate, run};
use scraper::{ElementRef, Html, Selector};

/// The English and Japanese 1991 communique.
const TRANSLATION: [&str; 2] = [
    "texts/joint-communique-1991.en.txt",
    "texts/joint-communique-1991.ja.txt",
];
/// The two Japanese editions of the Irkutsk statement.
const VERSIONS: [&str; 2] = [
    "texts/irkutsk-statement-2001.ja.txt",
    "texts/irkutsk-statement-2001.ja.v2.txt",
];
const PAYLOADS: [&str; 2] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
];

/// The elements a report is made of; anything else would be user text turned into markup.
const TAGS: [&str; 33] = [
    "html", "head", "meta", "title", "style", "body", "h1", "h2", "ol", "ul", "li", "span", "code",
    "section", "dl", "div", "dt", "dd", "nav", "a", "p", "label", "input", "b", "main", "del",
    "ins", "mark", "aside", "q", "footer", "script", "br",
];

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Runs `collate report FILES… ARGS… -o OUT` and returns the HTML.
fn report(files: &[&str], args: &[&str], out: &Path) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(files);
    all.extend_from_slice(args);
    let out_s = out.to_str().unwrap();
    all.extend_from_slice(&["-o", out_s]);
    let (code, _, err) = run(collate(&all));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("wrote"), "{err}");
    std::fs::read_to_string(out).unwrap()
}

/// The beads of the witnesses as the library aligns them (`collate align` takes two files
/// until the n-way command lands): `{"ids": [[…], …]}` per bead.
fn beads(files: &[&str]) -> Vec<serde_json::Value> {
    let options = collate::text::LoadOptions::default();
    let docs: Vec<collate::text::Document> = files
        .iter()
        .map(|f| collate::text::read_document(Path::new(ROOT).join(f), &options).unwrap())
        .collect();
    let refs: Vec<&collate::text::Document> = docs.iter().collect();
    let alignment = collate::align::align_witnesses(&refs, &Default::default(), &|_, _| {});
    alignment
        .beads
        .iter()
        .map(|bead| {
            let ids: Vec<Vec<&str>> = bead
                .spans
                .iter()
                .zip(&docs)
                .map(|(span, d)| {
                    d.paragraphs[span.clone()]
                        .iter()
                        .map(|p| p.id.as_str())
                        .collect()
                })
                .collect();
            serde_json::json!({ "ids": ids })
        })
        .collect()
}

/// Every element of the document is one of [`TAGS`], there is exactly one script, and it is
/// ours (it sets `data-ready`).
fn assert_only_our_markup(doc: &Html) {
    for node in doc.tree.nodes() {
        if let Some(el) = node.value().as_element() {
            assert!(
                TAGS.contains(&el.name()),
                "unexpected element <{}>",
                el.name()
            );
        }
    }
    let scripts: Vec<ElementRef> = doc.select(&sel("script")).collect();
    assert_eq!(scripts.len(), 1);
    assert!(scripts[0].inner_html().contains("data-ready"));
    for el in doc.select(&sel("*")) {
        for (name, _) in el.value().attrs() {
            assert!(!name.starts_with("on"), "event handler attribute {name}");
        }
    }
}

/// Checks a report's structure: one column per witness, one row per bead (as `collate align`
/// has them) with exactly the bead's paragraphs in each cell, and every annotation of
/// `annotations` in the side list once, each ranged one marking exactly its quote.
fn check_structure(files: &[&str], annotations: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let args: Vec<&str> = annotations
        .map(|a| vec!["--annotations", a])
        .unwrap_or_default();
    let html = report(files, &args, &out);
    let doc = Html::parse_document(&html);
    assert_only_our_markup(&doc);
    // One column per witness (plus the status column), in order.
    let heads: Vec<String> = doc
        .select(&sel(".row.head [role=columnheader]"))
        .map(|h| h.text().collect::<String>())
        .collect();
    assert_eq!(heads.len(), files.len() + 1, "{heads:?}");
    for (head, file) in heads[1..].iter().zip(files) {
        assert!(head.ends_with(file.rsplit('/').next().unwrap()), "{head}");
    }
    // One row per bead, with one cell per witness holding exactly the bead's paragraphs.
    let beads = beads(files);
    let rows: Vec<ElementRef> = doc.select(&sel("main .row[id]")).collect();
    assert_eq!(rows.len(), beads.len());
    assert_eq!(doc.select(&sel(".strip a")).count(), beads.len());
    for (row, bead) in rows.iter().zip(&beads) {
        let cells: Vec<ElementRef> = row.select(&sel(".cell")).collect();
        assert_eq!(cells.len(), files.len());
        for (w, cell) in cells.iter().enumerate() {
            let ids: Vec<String> = cell
                .select(&sel(".pid"))
                .map(|p| p.text().collect())
                .collect();
            let want: Vec<String> = bead["ids"][w]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i.as_str().unwrap().to_string())
                .collect();
            assert_eq!(ids, want);
        }
    }
    let count = doc
        .select(&sel(".stats dd"))
        .next_back()
        .unwrap()
        .text()
        .collect::<String>();
    let Some(annotations) = annotations else {
        assert_eq!(count, "0");
        assert_eq!(doc.select(&sel(".notes li, mark")).count(), 0);
        return;
    };
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(Path::new(ROOT).join(annotations)).unwrap())
            .unwrap();
    let annotations = file["annotations"].as_array().unwrap();
    assert!(!annotations.is_empty());
    assert_eq!(count, annotations.len().to_string());
    assert_eq!(doc.select(&sel(".notes li")).count(), annotations.len());
    for a in annotations {
        let id = a["id"].as_str().unwrap();
        let items: Vec<ElementRef> = doc
            .select(&sel(".notes li"))
            .filter(|li| li.value().attr("data-id") == Some(id))
            .collect();
        assert_eq!(items.len(), 1, "annotation {id}");
        let number = items[0].value().attr("id").unwrap();
        if let Some(note) = a["body"]["note"].as_str() {
            assert!(items[0].text().collect::<String>().contains(note));
        }
        if let Some(exact) = a["target"]["quote"]["exact"].as_str() {
            let marked: String = doc
                .select(&sel("mark[data-notes]"))
                .filter(|m| {
                    m.value()
                        .attr("data-notes")
                        .unwrap()
                        .split(' ')
                        .any(|n| n == number)
                })
                .flat_map(|m| m.text())
                .collect();
            assert_eq!(
                marked,
                exact.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        }
    }
}

/// The 1991 communique in English, Russian and Japanese, and annotations on the English text.
const TRIPLE: [&str; 3] = [
    "texts/joint-communique-1991.en.txt",
    "texts/joint-communique-1991.ru.txt",
    "texts/joint-communique-1991.ja.txt",
];
const ANNOTATIONS: &str = "annotations/joint-communique-1991.en.json";

#[test]
fn communique_report_structure_with_annotations() {
    check_structure(&TRIPLE, Some(ANNOTATIONS));
}

#[test]
fn communique_report_opens_in_chromium_cleanly() {
    open_cleanly(&TRIPLE, &["--annotations", ANNOTATIONS]);
}

/// A note, a tag, a label and a text paragraph with HTML in them appear as text.
#[test]
fn html_injection_in_notes_tags_and_text_shows_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let (text, other) = evil_witnesses(dir.path());
    let notes = dir.path().join("evil.json");
    let (t, n) = (text.as_str(), notes.to_str().unwrap());
    let adds: [Vec<&str>; 2] = [
        vec![
            "--para",
            "p1",
            "--note",
            PAYLOADS[0],
            "--tag",
            PAYLOADS[1],
            "--label",
            PAYLOADS[0],
        ],
        vec![
            "--para",
            "p2",
            "--quote",
            "Second",
            "--note",
            PAYLOADS[1],
            "--tag",
            PAYLOADS[0],
        ],
    ];
    for add in adds {
        let mut args = vec!["annotate", "add", t];
        args.extend(add);
        args.extend(["--by", "tester", "-o", n]);
        let (code, _, err) = run(collate(&args));
        assert_eq!(code, 0, "{err}");
    }
    let out = dir.path().join("evil.html");
    let html = report(&[t, &other], &["--annotations", n], &out);
    // In the paragraph (both witnesses), in a note and in a tag at least.
    let doc = assert_shown_as_text(&html, &out, 4);
    assert_eq!(doc.select(&sel(".notes li")).count(), 2);
}

/// Two witnesses whose first paragraph holds both payloads (the second differs elsewhere).
fn evil_witnesses(dir: &Path) -> (String, String) {
    let text = dir.join("evil.en.txt");
    let other = dir.join("evil2.en.txt");
    let body = format!(
        "First paragraph {} and {}.\n\nSecond paragraph, plain.\n",
        PAYLOADS[0], PAYLOADS[1]
    );
    std::fs::write(&text, &body).unwrap();
    std::fs::write(&other, body.replace("plain", "changed")).unwrap();
    let path = |p: PathBuf| p.to_str().unwrap().to_string();
    (path(text), path(other))
}

/// Checks that every payload shows as text at least `min` times and never as markup, in the
/// HTML and (when it is installed) in Chromium; the parsed page for further checks.
fn assert_shown_as_text(html: &str, out: &Path, min: usize) -> Html {
    for payload in PAYLOADS {
        assert!(!html.contains(payload), "raw {payload}");
    }
    assert!(!html.contains("<img"));
    let doc = Html::parse_document(html);
    assert_only_our_markup(&doc);
    let shown: String = doc.root_element().text().collect();
    for payload in PAYLOADS {
        let count = shown.matches(payload).count();
        assert!(count >= min, "{payload}: {count}");
    }
    if let Some(opened) = open_in_chromium(out) {
        opened.assert_clean();
        assert!(
            !opened.dom.contains("<img"),
            "Chromium made an image element"
        );
    }
    doc
}

#[test]
fn report_structure_of_translations_and_versions() {
    check_structure(&TRANSLATION, None);
    check_structure(&VERSIONS, None);
}

/// A text paragraph with HTML in it appears as text, in the report and in Chromium. (Notes,
/// tags and labels are checked by the unit tests of `render::html`, and end to end with
/// `collate annotate`.)
#[test]
fn html_injection_in_text_shows_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let (text, other) = evil_witnesses(dir.path());
    let out = dir.path().join("evil.html");
    let html = report(&[&text, &other], &["--title", PAYLOADS[1]], &out);
    let doc = assert_shown_as_text(&html, &out, 2);
    let title: String = doc.select(&sel("title")).next().unwrap().text().collect();
    assert_eq!(title, PAYLOADS[1]);
}

/// What headless Chromium did with a page.
struct Opened {
    dom: String,
    console: Vec<String>,
    requests: Vec<String>,
}

impl Opened {
    fn assert_clean(&self) {
        assert!(
            self.console.is_empty(),
            "console messages: {:#?}",
            self.console
        );
        assert!(
            self.requests.is_empty(),
            "network requests: {:#?}",
            self.requests
        );
        assert!(
            self.dom.contains("data-ready=\"1\""),
            "the script did not finish"
        );
    }
}

/// Chromium, if installed (`$CHROMIUM` or `chromium` on the PATH).
fn chromium() -> Option<PathBuf> {
    let candidates = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["chromium", "chromium-browser", "google-chrome"].map(PathBuf::from));
    candidates.into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Opens a file in headless Chromium with a fresh profile and a network log. Returns the DOM
/// after load, the page's console messages and the URLs of the requests the page made (the
/// browser's own background requests, which have no initiator, are not the page's). `None`,
/// with a message, when Chromium is not installed.
fn open_in_chromium(page: &Path) -> Option<Opened> {
    let Some(browser) = chromium() else {
        eprintln!(
            "skipped: Chromium is not installed (apt-get install chromium, or set $CHROMIUM)"
        );
        return None;
    };
    let profile = tempfile::tempdir().unwrap();
    let netlog = profile.path().join("net.json");
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            profile.path().join("p").display()
        ))
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("chromium runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(String::from)
        .collect();
    Some(Opened {
        dom: String::from_utf8_lossy(&output.stdout).into_owned(),
        console,
        requests: page_requests(&netlog),
    })
}

/// The URLs of requests started by a page (they have an initiator) in a Chromium net log,
/// except the page itself and other local schemes.
fn page_requests(netlog: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(netlog).expect("Chromium wrote its net log");
    let log: serde_json::Value = serde_json::from_str(&text).expect("the net log is JSON");
    let start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    let mut urls = Vec::new();
    for event in log["events"].as_array().into_iter().flatten() {
        if event["type"] != start {
            continue;
        }
        let params = &event["params"];
        let url = params["url"].as_str().unwrap_or_default();
        let initiator = params["initiator"].as_str().unwrap_or("not an origin");
        let local = ["file:", "data:", "about:", "chrome:"]
            .iter()
            .any(|s| url.starts_with(s));
        if initiator != "not an origin" && !local {
            urls.push(url.to_string());
        }
    }
    urls
}

#[test]
fn reports_open_in_chromium_cleanly() {
    for files in [&TRANSLATION[..], &VERSIONS[..]] {
        open_cleanly(files, &[]);
    }
}

/// Writes the report of `files` and opens it in Chromium (when installed): no console message,
/// no network request, the script ran, every row in the DOM.
fn open_cleanly(files: &[&str], args: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    report(files, args, &out);
    if let Some(opened) = open_in_chromium(&out) {
        opened.assert_clean();
        let rows = opened.dom.matches("role=\"row\"").count();
        assert_eq!(
            rows,
            beads(files).len() + 1,
            "rows in the DOM (and the header row)"
        );
    }
}

/// The network check itself can fail: a page that loads an image is caught.
#[test]
fn the_chromium_check_catches_requests_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("bad.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><body><img src=\"http://192.0.2.1/x.png\"><script>nope();</script></body>",
    )
    .unwrap();
    if let Some(opened) = open_in_chromium(&page) {
        assert_eq!(opened.requests, ["http://192.0.2.1/x.png"]);
        assert!(
            opened.console.iter().any(|l| l.contains("nope")),
            "{:?}",
            opened.console
        );
    }
}

#[test]
fn report_to_stdout_and_errors() {
    let (code, out, _) = run(collate(&[
        "report",
        TRANSLATION[0],
        TRANSLATION[1],
        "-o",
        "-",
    ]));
    assert_eq!(code, 0);
    assert!(out.starts_with("<!DOCTYPE html>"));
    let (code, _, err) = run(collate(&[
        "report",
        TRANSLATION[0],
        "texts/missing.txt",
        "-o",
        "-",
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("texts/missing.txt"), "{err}");
    let (code, _, err) = run(collate(&[
        "report",
        TRANSLATION[0],
        TRANSLATION[1],
        "-o",
        "/nonexistent-dir/r.html",
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("/nonexistent-dir/r.html"), "{err}");
    let (code, _, err) = run(collate(&["report", TRANSLATION[0], TRANSLATION[1]]));
    assert_eq!(code, 2);
    assert!(err.contains("--output"), "{err}");
}

#[test]
fn report_is_deterministic() {
    let a = run(collate(&[
        "report",
        TRANSLATION[0],
        TRANSLATION[1],
        "-o",
        "-",
    ]))
    .1;
    let b = run(collate(&[
        "report",
        TRANSLATION[0],
        TRANSLATION[1],
        "-o",
        "-",
    ]))
    .1;
    assert_eq!(a, b);
}
