//! The SQLite side of the embedded store: schema, connections, helpers.

use std::path::Path;
use std::time::Duration;

use chrono::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::{Result, StoreError};

/// Schema version written to `PRAGMA user_version`.
pub(crate) const SCHEMA_VERSION: i64 = 2;

/// How long a connection waits for a lock held inside this process (the
/// writer checkpointing, say) before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS documents(
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    id          TEXT NOT NULL UNIQUE,
    title       TEXT,
    lang        TEXT NOT NULL,
    dct         TEXT,
    dct_first   INTEGER,
    dct_last    INTEGER,
    source      TEXT NOT NULL,
    json        TEXT NOT NULL,
    near_dup_of TEXT,
    added_at    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_near_dup_of
    ON documents(near_dup_of) WHERE near_dup_of IS NOT NULL;
CREATE TABLE IF NOT EXISTS sources(
    id     TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY(id, source)
);
CREATE TABLE IF NOT EXISTS minhash(
    id  TEXT PRIMARY KEY,
    sig BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS lsh(
    band INTEGER NOT NULL,
    id   TEXT NOT NULL,
    PRIMARY KEY(band, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS corpus(
    tbl   TEXT NOT NULL,
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY(tbl, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files(
    path        TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    summary     TEXT,
    done_at     TEXT NOT NULL
);
";

/// Opens (creating if needed) the database for writing, in WAL mode, with
/// the current schema. Fails with [`StoreError::NewerVersion`] for a
/// database written by a newer build.
pub(crate) fn open_writer(path: &Path, dir: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(mode, "SQLite did not switch to WAL mode");
    }
    conn.execute_batch(
        "PRAGMA synchronous=FULL;
         PRAGMA temp_store=MEMORY;
         PRAGMA journal_size_limit=16777216;
         PRAGMA cache_size=-16000;",
    )?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerVersion {
            dir: dir.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version < SCHEMA_VERSION {
        // Version 0 is a new database; there are no older schemas yet.
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version={SCHEMA_VERSION}; COMMIT;"
        ))?;
    }
    Ok(conn)
}

/// Opens a read-only connection for searches and lookups; it sees the last
/// committed state and never blocks the writer.
pub(crate) fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.execute_batch("PRAGMA query_only=1; PRAGMA cache_size=-4000;")?;
    Ok(conn)
}

/// Days since 1970-01-01 (negative before).
pub(crate) fn days(date: NaiveDate) -> i64 {
    date.signed_duration_since(NaiveDate::default()).num_days()
}

/// The highest document sequence number (0 for an empty store).
pub(crate) fn max_seq(conn: &Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM documents", [], |r| {
            r.get(0)
        })?,
    )
}

/// Resolves an id or a unique id prefix (at least 6 characters) to an id.
pub(crate) fn resolve_id(conn: &Connection, id: &str) -> Result<Option<String>> {
    let id = id.trim();
    if id.is_empty() {
        return Ok(None);
    }
    let exact: Option<String> = conn
        .query_row("SELECT id FROM documents WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    if exact.is_some() || id.chars().count() < 6 {
        return Ok(exact);
    }
    // Every id with this prefix sorts in [prefix, prefix + U+10FFFF); the
    // substr test makes it exact, the range keeps it on the index.
    let upper = format!("{id}\u{10FFFF}");
    let mut stmt = conn.prepare(
        "SELECT id FROM documents WHERE id >= ?1 AND id < ?2 AND substr(id, 1, length(?1)) = ?1
         ORDER BY id LIMIT 2",
    )?;
    let found: Vec<String> = stmt
        .query_map([id, upper.as_str()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [a, b, ..] => Err(StoreError::BadQuery(format!(
            "id prefix {id:?} is ambiguous: it matches {a}, {b} and maybe more"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_epoch() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(days(d("1970-01-01")), 0);
        assert_eq!(days(d("1970-01-02")), 1);
        assert_eq!(days(d("1969-12-31")), -1);
        assert_eq!(days(d("2018-08-22")), 17765);
    }
}
