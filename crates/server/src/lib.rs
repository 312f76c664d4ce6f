//! The Kroniek HTTP server: a JSON API over a [`Store`] and the web page
//! (search, timeline, entity, story and document views), served by the
//! same binary with every asset embedded.
//!
//! [`router`] builds the axum application; [`serve`] runs it on a listener
//! until a shutdown signal. Store calls are synchronous (SQLite, tantivy)
//! and run on tokio's blocking pool, so an ingest (`POST /api/ingest`)
//! runs while readers keep being answered. Every error is a JSON body
//! `{"error": "..."}` with a 4xx or 5xx status; handlers never panic on a
//! request, and a panic anyway becomes a 500, not a dropped connection.

#![warn(missing_docs)]

mod api;
mod assets;
mod cache;
#[doc(hidden)]
pub mod client;
mod error;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use kroniek_store::Store;

pub use error::ApiError;

/// How the server behaves.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Whether `POST /api/ingest` is allowed (off by default: the API is
    /// read-only unless the operator asks for it).
    pub allow_ingest: bool,
    /// Where bodies posted to `/api/ingest` are kept (one JSON Lines file
    /// per request; the documents' `source` points at it). Required for
    /// ingest.
    pub upload_dir: Option<PathBuf>,
    /// Why the store is read-only, if it is (shown by `/health`).
    pub read_only: Option<String>,
    /// Largest request body for every route but ingest (bytes).
    pub max_body: usize,
    /// Largest body of `POST /api/ingest` (bytes).
    pub max_ingest_body: usize,
    /// Time limit of one request (except ingest).
    pub timeout: Duration,
    /// Time limit of one ingest request.
    pub ingest_timeout: Duration,
    /// How long a computed timeline is reused for the same filters (paging
    /// through it, many readers of one view). The cache is emptied after an
    /// ingest through the API; changes made by another process show after
    /// at most this long. Zero turns the cache off.
    pub timeline_cache: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            allow_ingest: false,
            upload_dir: None,
            read_only: None,
            max_body: 2 << 20,
            max_ingest_body: 256 << 20,
            timeout: Duration::from_secs(30),
            ingest_timeout: Duration::from_secs(3600),
            timeline_cache: Duration::from_secs(5),
        }
    }
}

/// Shared state of the handlers.
pub(crate) struct AppState {
    pub store: Arc<dyn Store>,
    pub config: ServerConfig,
    /// Held while an ingest runs: one at a time.
    pub ingest: Arc<tokio::sync::Mutex<()>>,
    /// Numbers upload files made within the same second.
    pub uploads: std::sync::atomic::AtomicU64,
    /// Recently computed timelines.
    pub timelines: cache::TimelineCache,
}

/// The application: API routes, the web page and its assets, with body
/// limits, timeouts, JSON errors and security headers.
pub fn router(store: Arc<dyn Store>, config: ServerConfig) -> Router {
    let state = Arc::new(AppState {
        store,
        timelines: cache::TimelineCache::new(config.timeline_cache),
        config,
        ingest: Arc::new(tokio::sync::Mutex::new(())),
        uploads: Default::default(),
    });
    api::routes(state.clone())
        .merge(assets::routes())
        .layer(axum::middleware::map_response(error::json_errors))
        .layer(axum::middleware::map_response(assets::security_headers))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            error::panic_response,
        ))
}

/// Serves `router(store, config)` on `listener` until `shutdown` resolves,
/// then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<dyn Store>,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(store, config))
        .with_graceful_shutdown(shutdown)
        .await
}
