//! The JSON API (see `docs/API.md` and `assets/openapi.json`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use kroniek_formats::{Format, RawDoc};
use kroniek_model::{
    Document, EntityMention, EntityRecord, PartialDate, Precision, Story, TimelineEntry,
    TimelineQuery,
};
use kroniek_pipeline::query;
use kroniek_store::{Hit, SearchQuery, Stats, Store};
use serde::{Deserialize, Serialize};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::error::ApiError;
use crate::AppState;

/// Most hits per search page.
const MAX_SEARCH_LIMIT: usize = 100;
/// Deepest search page start.
const MAX_OFFSET: usize = 10_000;
/// Most articles an entity filter or an entity page looks at.
const ENTITY_CANDIDATES: usize = 2_000;
/// Most timeline events per page.
const MAX_TIMELINE_LIMIT: usize = 5_000;
/// Most entities or stories per page.
const MAX_LIST_LIMIT: usize = 1_000;
/// Most documents listed on an entity or story page.
const MAX_PAGE_DOCS: usize = 200;
/// Most related entities listed on an entity page.
const RELATED: usize = 20;

type ApiResult<T> = Result<T, ApiError>;

pub(crate) fn routes(state: Arc<AppState>) -> Router {
    let cfg = &state.config;
    let ingest = Router::new()
        .route("/api/ingest", post(ingest))
        .layer(RequestBodyLimitLayer::new(cfg.max_ingest_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            cfg.ingest_timeout,
        ));
    let rest = Router::new()
        .route("/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/stats", get(stats))
        .route("/api/search", get(search))
        .route("/api/timeline", get(timeline))
        .route("/api/entities", get(entities))
        .route("/api/entities/{id}", get(entity))
        .route("/api/stories", get(stories))
        .route("/api/stories/{id}", get(story))
        .route("/api/docs/{id}", get(doc))
        .route("/api/annotate", post(annotate))
        .layer(RequestBodyLimitLayer::new(cfg.max_body))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            cfg.timeout,
        ));
    rest.merge(ingest)
        .layer(axum::extract::DefaultBodyLimit::disable())
        .with_state(state)
}

/// Runs a store call on the blocking pool.
async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&dyn Store) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || f(&*store))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "store task failed");
            ApiError::internal("internal error (logged by the server)")
        })?
}

// ------------------------------------------------------------ parameters

/// Query-string parameters, parsed with clear messages.
struct Params(HashMap<String, String>);

impl Params {
    fn str(&self, name: &str) -> Option<String> {
        self.0
            .get(name)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    fn usize(&self, name: &str, default: usize, max: usize) -> ApiResult<usize> {
        match self.str(name) {
            None => Ok(default),
            Some(s) => match s.parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                Ok(_) => Err(ApiError::bad_request(format!(
                    "{name}={s} is too large (at most {max})"
                ))),
                Err(_) => Err(ApiError::bad_request(format!(
                    "{name}={s:?} is not a non-negative whole number"
                ))),
            },
        }
    }

    fn date(&self, name: &str) -> ApiResult<Option<PartialDate>> {
        self.str(name)
            .map(|s| {
                s.parse::<PartialDate>().map_err(|e| {
                    ApiError::bad_request(format!(
                        "{name}={s:?} is not a date (YYYY, YYYY-MM or YYYY-MM-DD): {e}"
                    ))
                })
            })
            .transpose()
    }
}

fn params(q: Query<HashMap<String, String>>) -> Params {
    Params(q.0)
}

fn page<T>(all: Vec<T>, offset: usize, limit: usize) -> Vec<T> {
    all.into_iter().skip(offset).take(limit).collect()
}

// ------------------------------------------------------------ small endpoints

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    documents: u64,
    read_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    read_only_reason: Option<String>,
    ingest: bool,
    /// Whether an ingest request is running now.
    ingest_running: bool,
}

async fn health(State(st): State<Arc<AppState>>) -> ApiResult<Json<Health>> {
    let stats = blocking(&st, |s| Ok(s.stats()?)).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        documents: stats.documents,
        read_only: st.config.read_only.is_some(),
        read_only_reason: st.config.read_only.clone(),
        ingest: ingest_enabled(&st).is_ok(),
        ingest_running: st.ingest.try_lock().is_err(),
    }))
}

async fn openapi() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        crate::assets::OPENAPI,
    )
        .into_response()
}

async fn stats(State(st): State<Arc<AppState>>) -> ApiResult<Json<Stats>> {
    Ok(Json(blocking(&st, |s| Ok(s.stats()?)).await?))
}

// ------------------------------------------------------------ search

#[derive(Serialize)]
struct SearchPage {
    total: usize,
    offset: usize,
    limit: usize,
    hits: Vec<Hit>,
}

async fn search(
    State(st): State<Arc<AppState>>,
    q: Query<HashMap<String, String>>,
) -> ApiResult<Json<SearchPage>> {
    let p = params(q);
    let limit = p.usize("limit", 20, MAX_SEARCH_LIMIT)?;
    let offset = p.usize("offset", 0, MAX_OFFSET)?;
    let sq = SearchQuery {
        text: p.str("q").unwrap_or_default(),
        from: p.date("from")?,
        to: p.date("to")?,
        lang: p.str("lang"),
        limit,
        offset,
    };
    let entity = p.str("entity");
    let result = blocking(&st, move |store| match entity {
        None => Ok(store.search(&sq)?),
        Some(name) => {
            let e = query::entity(store, &name)?
                .ok_or_else(|| ApiError::not_found(format!("no entity is called {name:?}")))?;
            let docs = entity_docs(store, &e, &sq)?;
            let total = docs.len();
            let hits = page(docs, offset, limit)
                .into_iter()
                .map(|(hit, _)| hit)
                .collect();
            Ok(kroniek_store::SearchResult { total, hits })
        }
    })
    .await?;
    Ok(Json(SearchPage {
        total: result.total,
        offset,
        limit,
        hits: result.hits,
    }))
}

use kroniek_pipeline::query::name_key as fold;

/// The names an entity goes by, folded.
fn names(e: &EntityRecord) -> HashSet<String> {
    std::iter::once(&e.name)
        .chain(&e.aliases)
        .map(|n| fold(n))
        .filter(|n| !n.is_empty())
        .collect()
}

/// The entities a document mentions: its mentions grouped by the entity
/// they are linked to (a corpus id, or a document-local alias cluster
/// `local:N` before cross-document linking), unlinked ones by their text.
fn clusters(doc: &Document) -> Vec<Vec<&EntityMention>> {
    let mut by_key: HashMap<String, Vec<&EntityMention>> = HashMap::new();
    let mut order = Vec::new();
    for m in &doc.entities {
        let key = match &m.entity {
            Some(id) => format!("id:{id}"),
            None => format!("text:{}", fold(&m.text)),
        };
        let slot = by_key.entry(key.clone()).or_default();
        if slot.is_empty() {
            order.push(key);
        }
        slot.push(m);
    }
    order
        .into_iter()
        .filter_map(|k| by_key.remove(&k))
        .collect()
}

/// The corpus entity a cluster of mentions stands for: the one it is
/// linked to (then its id alone says which; a name it shares with another
/// entity does not count), else (for mentions not linked yet, e.g. when a kill stopped
/// the linking step) the one one of its mentions names.
fn resolve<'a>(
    cluster: &[&EntityMention],
    by_id: &HashMap<&str, &'a EntityRecord>,
    by_name: &HashMap<String, &'a EntityRecord>,
) -> Option<&'a EntityRecord> {
    cluster
        .iter()
        .find_map(|m| m.entity.as_deref().and_then(|id| by_id.get(id).copied()))
        .or_else(|| {
            cluster
                .iter()
                .filter(|m| !m.is_linked())
                .find_map(|m| by_name.get(&fold(&m.text)).copied())
        })
}

/// How often `doc` mentions the entity: every mention in a cluster that is
/// linked to its id or, linked to no corpus entity, calls it by one of its
/// names.
fn mention_count(doc: &Document, id: &str, names: &HashSet<String>) -> usize {
    clusters(doc)
        .into_iter()
        .filter(|c| {
            c.iter().any(|m| {
                m.entity.as_deref() == Some(id)
                    || (!m.is_linked() && names.contains(&fold(&m.text)))
            })
        })
        .map(|c| c.len())
        .sum()
}

/// The articles (best first, as hits) that match `sq` and mention `e`,
/// with the documents. Candidates come from a search for any of its names
/// (at most [`ENTITY_CANDIDATES`]); each is checked against the document's
/// entity mentions.
fn entity_docs(
    store: &dyn Store,
    e: &EntityRecord,
    sq: &SearchQuery,
) -> ApiResult<Vec<(Hit, Document)>> {
    let names = names(e);
    let phrases: Vec<String> = std::iter::once(&e.name)
        .chain(&e.aliases)
        .map(|n| n.replace(['"', '\\'], " "))
        .filter(|n| !n.trim().is_empty())
        .map(|n| format!("\"{}\"", n.trim()))
        .collect();
    if phrases.is_empty() {
        return Ok(Vec::new());
    }
    let names_query = phrases.join(" OR ");
    let text = if sq.text.trim().is_empty() {
        names_query
    } else {
        format!("({}) AND ({names_query})", sq.text)
    };
    let candidates = store.search(&SearchQuery {
        text,
        limit: ENTITY_CANDIDATES,
        offset: 0,
        ..sq.clone()
    })?;
    let mut out = Vec::new();
    for hit in candidates.hits {
        let Some(info) = store.get(&hit.id)? else {
            continue;
        };
        if mention_count(&info.doc, &e.id, &names) > 0 {
            out.push((hit, info.doc));
        }
    }
    Ok(out)
}

// ------------------------------------------------------------ timeline

#[derive(Serialize)]
struct TimelinePage {
    total: usize,
    offset: usize,
    events: Vec<TimelineEntry>,
}

async fn timeline(
    State(st): State<Arc<AppState>>,
    q: Query<HashMap<String, String>>,
) -> ApiResult<Json<TimelinePage>> {
    let p = params(q);
    let limit = p.usize("limit", 500, MAX_TIMELINE_LIMIT)?;
    let offset = p.usize("offset", 0, usize::MAX)?;
    let tq = TimelineQuery {
        entity: p.str("entity"),
        story: p.str("story"),
        query: p.str("q"),
        from: p.date("from")?,
        to: p.date("to")?,
        limit: None,
    };
    let events = match st.timelines.get(&tq) {
        Some(events) => events,
        None => {
            let key = tq.clone();
            let events =
                Arc::new(blocking(&st, move |s| Ok(query::timeline(s, &tq)?.events)).await?);
            st.timelines.put(key, events.clone());
            events
        }
    };
    Ok(Json(TimelinePage {
        total: events.len(),
        offset,
        events: events.iter().skip(offset).take(limit).cloned().collect(),
    }))
}

// ------------------------------------------------------------ entities

#[derive(Serialize)]
struct EntityList {
    total: usize,
    offset: usize,
    entities: Vec<EntityRecord>,
}

async fn entities(
    State(st): State<Arc<AppState>>,
    q: Query<HashMap<String, String>>,
) -> ApiResult<Json<EntityList>> {
    let p = params(q);
    let limit = p.usize("limit", 50, MAX_LIST_LIMIT)?;
    let offset = p.usize("offset", 0, usize::MAX)?;
    let needle = p.str("q").map(|s| fold(&s));
    let kind = p.str("kind");
    let all = blocking(&st, |s| Ok(query::entities(s)?)).await?;
    let matching: Vec<EntityRecord> = all
        .into_iter()
        .filter(|e| kind.as_ref().is_none_or(|k| e.kind.eq_ignore_ascii_case(k)))
        .filter(|e| {
            needle
                .as_ref()
                .is_none_or(|n| names(e).iter().any(|name| name.contains(n.as_str())))
        })
        .collect();
    Ok(Json(EntityList {
        total: matching.len(),
        offset,
        entities: page(matching, offset, limit),
    }))
}

/// Articles and mentions in one period (`YYYY-MM`, or `YYYY` for articles
/// dated to the year only).
#[derive(Serialize)]
struct Period {
    period: String,
    documents: usize,
    mentions: usize,
}

#[derive(Serialize)]
struct Related {
    id: Option<String>,
    name: String,
    kind: String,
    documents: usize,
}

#[derive(Serialize)]
struct DocRef {
    id: String,
    title: Option<String>,
    dct: Option<PartialDate>,
    lang: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    mentions: Option<usize>,
}

#[derive(Serialize)]
struct EntityPage {
    #[serde(flatten)]
    entity: EntityRecord,
    /// Articles checked (at most ENTITY_CANDIDATES).
    documents_total: usize,
    mentions_over_time: Vec<Period>,
    undated_documents: usize,
    related: Vec<Related>,
    documents: Vec<DocRef>,
}

async fn entity(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> ApiResult<Json<EntityPage>> {
    let page = blocking(&st, move |store| {
        let e = query::entity(store, &id)?
            .ok_or_else(|| ApiError::not_found(format!("no entity is called {id:?}")))?;
        let all = query::entities(store)?;
        let by_id: HashMap<&str, &EntityRecord> = all.iter().map(|r| (r.id.as_str(), r)).collect();
        let mut by_name: HashMap<String, &EntityRecord> = HashMap::new();
        for other in all.iter().rev() {
            // Reverse: the most mentioned entity wins a shared name.
            for n in names(other) {
                by_name.insert(n, other);
            }
        }
        let own = names(&e);
        let docs = entity_docs(
            store,
            &e,
            &SearchQuery {
                limit: ENTITY_CANDIDATES,
                ..SearchQuery::default()
            },
        )?;
        let mut periods: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut undated = 0;
        let mut related: HashMap<(Option<String>, String), (String, String, usize)> =
            HashMap::new();
        let mut refs = Vec::new();
        for (_, doc) in &docs {
            let n = mention_count(doc, &e.id, &own);
            match doc.dct.value {
                Some(d) => {
                    let key = d.truncate(Precision::Month).to_string();
                    let slot = periods.entry(key).or_default();
                    slot.0 += 1;
                    slot.1 += n;
                }
                None => undated += 1,
            }
            let mut seen = HashSet::new();
            for cluster in clusters(doc) {
                let known = resolve(&cluster, &by_id, &by_name);
                let mentions_self = cluster.iter().any(|m| {
                    m.entity.as_deref() == Some(e.id.as_str())
                        || (!m.is_linked() && own.contains(&fold(&m.text)))
                });
                if mentions_self || known.is_some_and(|r| r.id == e.id) {
                    continue;
                }
                // Unknown to the corpus tables: named by its longest mention.
                let longest = cluster
                    .iter()
                    .max_by_key(|m| m.text.chars().count())
                    .copied();
                let Some(longest) = longest else { continue };
                let key = match known {
                    Some(r) => (Some(r.id.clone()), r.name.clone()),
                    None => (None, fold(&longest.text)),
                };
                if !seen.insert(key.clone()) {
                    continue;
                }
                let slot = related.entry(key).or_insert_with(|| match known {
                    Some(r) => (r.name.clone(), r.kind.clone(), 0),
                    None => (longest.text.clone(), longest.label.clone(), 0),
                });
                slot.2 += 1;
            }
            refs.push(DocRef {
                id: doc.id.clone(),
                title: doc.title.clone(),
                dct: doc.dct.value,
                lang: doc.lang.clone(),
                mentions: Some(n),
            });
        }
        let mut related: Vec<Related> = related
            .into_iter()
            .map(|((id, _), (name, kind, documents))| Related {
                id,
                name,
                kind,
                documents,
            })
            .collect();
        related.sort_by(|a, b| {
            b.documents
                .cmp(&a.documents)
                .then_with(|| b.id.is_some().cmp(&a.id.is_some()))
                .then_with(|| a.name.cmp(&b.name))
        });
        related.truncate(RELATED);
        refs.sort_by(|a, b| a.dct.cmp(&b.dct).then_with(|| a.id.cmp(&b.id)));
        refs.truncate(MAX_PAGE_DOCS);
        Ok(EntityPage {
            entity: e,
            documents_total: docs.len(),
            mentions_over_time: periods
                .into_iter()
                .map(|(period, (documents, mentions))| Period {
                    period,
                    documents,
                    mentions,
                })
                .collect(),
            undated_documents: undated,
            related,
            documents: refs,
        })
    })
    .await?;
    Ok(Json(page))
}

// ------------------------------------------------------------ stories

#[derive(Serialize)]
struct StoryList {
    total: usize,
    offset: usize,
    stories: Vec<Story>,
}

async fn stories(
    State(st): State<Arc<AppState>>,
    q: Query<HashMap<String, String>>,
) -> ApiResult<Json<StoryList>> {
    let p = params(q);
    let limit = p.usize("limit", 50, MAX_LIST_LIMIT)?;
    let offset = p.usize("offset", 0, usize::MAX)?;
    let all = blocking(&st, |s| Ok(query::stories(s)?)).await?;
    Ok(Json(StoryList {
        total: all.len(),
        offset,
        stories: page(all, offset, limit),
    }))
}

#[derive(Serialize)]
struct StoryPage {
    #[serde(flatten)]
    story: Story,
    documents: Vec<DocRef>,
}

async fn story(
    State(st): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> ApiResult<Json<StoryPage>> {
    let page = blocking(&st, move |store| {
        let story = query::story(store, &id)?
            .ok_or_else(|| ApiError::not_found(format!("no story has id {id:?}")))?;
        let mut documents = Vec::new();
        for doc_id in story.docs.iter().take(MAX_PAGE_DOCS) {
            if let Some(info) = store.get(doc_id)? {
                documents.push(DocRef {
                    id: info.doc.id,
                    title: info.doc.title,
                    dct: info.doc.dct.value,
                    lang: info.doc.lang,
                    mentions: None,
                });
            }
        }
        Ok(StoryPage { story, documents })
    })
    .await?;
    Ok(Json(page))
}

// ------------------------------------------------------------ documents

#[derive(Serialize)]
struct DocPage {
    #[serde(flatten)]
    doc: Document,
    sources: Vec<String>,
    near_duplicate_of: Option<String>,
    near_duplicates: Vec<String>,
}

async fn doc(State(st): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Json<DocPage>> {
    let info = blocking(&st, move |store| {
        store
            .get(&id)?
            .ok_or_else(|| ApiError::not_found(format!("no document has id {id:?}")))
    })
    .await?;
    Ok(Json(DocPage {
        doc: info.doc,
        sources: info.sources,
        near_duplicate_of: info.near_duplicate_of,
        near_duplicates: info.near_duplicates,
    }))
}

// ------------------------------------------------------------ annotate

/// Body of `POST /api/annotate` as JSON.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnotateRequest {
    text: String,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let v = v.trim().to_ascii_lowercase();
            v.starts_with("application/json") || v.contains("+json")
        })
}

async fn annotate(
    headers: HeaderMap,
    q: Query<HashMap<String, String>>,
    body: Bytes,
) -> ApiResult<Json<Document>> {
    let p = params(q);
    let req = if is_json(&headers) {
        serde_json::from_slice::<AnnotateRequest>(&body).map_err(|e| {
            ApiError::bad_request(format!(
                "body is not a JSON object {{text, title, date, lang, url}}: {e}"
            ))
        })?
    } else {
        let text = std::str::from_utf8(&body)
            .map_err(|e| ApiError::bad_request(format!("body is not UTF-8 text: {e}")))?;
        AnnotateRequest {
            text: text.to_string(),
            title: p.str("title"),
            date: p.str("date"),
            lang: p.str("lang"),
            url: None,
        }
    };
    if req.text.trim().is_empty() {
        return Err(ApiError::bad_request("the text is empty"));
    }
    let date = req
        .date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            d.parse::<PartialDate>().map_err(|e| {
                ApiError::bad_request(format!(
                    "date {d:?} is not YYYY, YYYY-MM or YYYY-MM-DD: {e}"
                ))
            })
        })
        .transpose()?;
    let raw = RawDoc {
        source: "api:annotate".to_string(),
        format: Format::Text,
        title: req.title.filter(|t| !t.trim().is_empty()),
        text: req.text,
        date,
        date_evidence: date.map(|_| "given in the request".to_string()),
        url: req.url,
        lang: req
            .lang
            .map(|l| l.trim().to_ascii_lowercase())
            .filter(|l| !l.is_empty() && l != "auto"),
        external_id: None,
    };
    let doc = tokio::task::spawn_blocking(move || {
        kroniek_pipeline::to_document(raw, &kroniek_pipeline::AnnotateOptions::default())
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "annotation failed");
        ApiError::internal("annotation failed (logged by the server)")
    })?;
    Ok(Json(doc))
}

// ------------------------------------------------------------ ingest

fn ingest_enabled(st: &AppState) -> ApiResult<PathBuf> {
    if let Some(why) = &st.config.read_only {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!("ingest is disabled: the store is read-only ({why})"),
        ));
    }
    if !st.config.allow_ingest {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "ingest is disabled; start the server with --allow-ingest to enable it",
        ));
    }
    st.config.upload_dir.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "ingest is disabled: the server has no upload directory",
        )
    })
}

async fn ingest(
    State(st): State<Arc<AppState>>,
    body: Bytes,
) -> ApiResult<Json<kroniek_pipeline::IngestSummary>> {
    let dir = ingest_enabled(&st)?;
    let text = std::str::from_utf8(&body)
        .map_err(|e| ApiError::bad_request(format!("body is not UTF-8 JSON Lines: {e}")))?;
    match text.lines().map(str::trim).find(|l| !l.is_empty()) {
        None => return Err(ApiError::bad_request("the body is empty")),
        Some(first) if !first.starts_with('{') => {
            return Err(ApiError::bad_request(
                "the body must be JSON Lines: one JSON object {text, title, date, url, id, lang} \
                 per line",
            ))
        }
        Some(_) => {}
    }
    let guard = st.ingest.clone().try_lock_owned().map_err(|_| {
        ApiError::new(
            StatusCode::CONFLICT,
            "another ingest is running; try again when it has finished",
        )
    })?;
    let n = st.uploads.fetch_add(1, Ordering::Relaxed);
    let name = format!(
        "api-{}-{n}.jsonl",
        chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ")
    );
    let path = dir.join(name);
    let store = st.store.clone();
    let summary = tokio::task::spawn_blocking(move || {
        // The guard lives as long as the ingest, even if the request is
        // abandoned (timeout, client gone).
        let _guard = guard;
        std::fs::create_dir_all(&dir)
            .map_err(|e| ApiError::internal(format!("cannot create {}: {e}", dir.display())))?;
        std::fs::write(&path, &body)
            .map_err(|e| ApiError::internal(format!("cannot write {}: {e}", path.display())))?;
        let opts = kroniek_pipeline::IngestOptions::default();
        kroniek_pipeline::ingest(&*store, &[path], &opts, &mut |_| {}).map_err(ApiError::from)
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "ingest task failed");
        ApiError::internal("ingest failed (logged by the server)")
    })??;
    st.timelines.clear();
    Ok(Json(summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kroniek_model::Dct;

    fn mention(text: &str, entity: Option<&str>) -> EntityMention {
        EntityMention {
            start: 0,
            end: 0,
            text: text.into(),
            label: "PER".into(),
            entity: entity.map(String::from),
        }
    }

    #[test]
    fn a_shared_name_counts_only_for_mentions_not_linked_elsewhere() {
        let mut doc = Document::new("t", None, "x".into(), Dct::none());
        doc.entities = vec![
            mention("Jan de Vries", Some("e-1")),
            mention("De Vries", Some("e-2")),
            mention("De Vries", Some(&kroniek_model::local_entity_id(3))),
        ];
        let names: HashSet<String> = ["De Vries", "Jan de Vries"]
            .iter()
            .map(|n| fold(n))
            .collect();
        // e-1's own mention and the one not linked to any corpus entity;
        // not the one linked to the other De Vries (e-2).
        assert_eq!(mention_count(&doc, "e-1", &names), 2);
        assert_eq!(mention_count(&doc, "e-2", &HashSet::new()), 1);
    }
}
