//! `kroniek serve`: the HTTP API and the web page.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use kroniek_server::ServerConfig;
use kroniek_store::{EmbeddedStore, Store, StoreError};

/// Opens the store (read-only when another process holds it) and serves
/// until Ctrl-C.
pub fn run(db: &Path, addr: &str, allow_ingest: bool) -> Result<ExitCode> {
    let (store, read_only) = match EmbeddedStore::open(db) {
        Ok(store) => (store, None),
        Err(StoreError::Locked(_)) => {
            let store = EmbeddedStore::open_read_only(db)
                .with_context(|| format!("cannot open store {} (read-only)", db.display()))?;
            eprintln!(
                "kroniek: store {} is locked by another process (an ingest?): serving it \
                 read-only; new commits show up as they are made; ingest is disabled",
                db.display()
            );
            (
                store,
                Some("the store is locked by another process".to_string()),
            )
        }
        Err(e) => {
            return Err(e).with_context(|| format!("cannot open store {}", db.display()));
        }
    };
    let config = ServerConfig {
        allow_ingest: allow_ingest && read_only.is_none(),
        upload_dir: Some(db.join("uploads")),
        read_only,
        ..ServerConfig::default()
    };
    let store: Arc<dyn Store> = Arc::new(store);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let local = listener.local_addr()?;
        println!("kroniek: serving {} on http://{local}/", db.display());
        if config.allow_ingest {
            println!("kroniek: POST /api/ingest is enabled");
        }
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
            eprintln!("kroniek: shutting down");
        };
        kroniek_server::serve(listener, store, config, shutdown)
            .await
            .context("server failed")
    })?;
    Ok(ExitCode::SUCCESS)
}
