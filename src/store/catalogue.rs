//! The catalogue held: the platform's signed document, byte for byte,
//! replaced only by a newer version in one statement.

use rusqlite::{OptionalExtension, params};

use super::{Store, StoreError};

/// The catalogue as held: what the platform signed, byte for byte.
#[derive(Clone, PartialEq, Eq)]
pub struct HeldCatalogue {
    /// Its version.
    pub version: u64,
    /// The platform's ETag for it.
    pub etag: String,
    /// The document.
    pub payload: Vec<u8>,
    /// Its signature, base64.
    pub signature: String,
}

impl std::fmt::Debug for HeldCatalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "HeldCatalogue(v{}, {} bytes)",
            self.version,
            self.payload.len()
        )
    }
}

impl Store {
    /// The catalogue held, if any.
    pub fn catalogue(&self) -> Result<Option<HeldCatalogue>, StoreError> {
        self.conn
            .query_row(
                "SELECT version, etag, payload, signature FROM catalogue WHERE id = 1",
                [],
                |r| {
                    Ok(HeldCatalogue {
                        version: r.get::<_, i64>(0)? as u64,
                        etag: r.get(1)?,
                        payload: r.get(2)?,
                        signature: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// The version and ETag of the catalogue held, without reading it.
    pub fn catalogue_tag(&self) -> Result<Option<(u64, String)>, StoreError> {
        self.conn
            .query_row(
                "SELECT version, etag FROM catalogue WHERE id = 1",
                [],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Forgets the held catalogue (it no longer verifies): the next one
    /// offered is taken whatever its version.
    pub fn forget_catalogue(&mut self) -> Result<(), StoreError> {
        self.execute("DELETE FROM catalogue WHERE id = 1", [])
    }

    /// Records the platform's ETag for the catalogue held.
    pub fn set_catalogue_etag(&mut self, etag: &str) -> Result<(), StoreError> {
        self.execute("UPDATE catalogue SET etag = ?1 WHERE id = 1", [etag])
    }

    /// Replaces the held catalogue in one statement: a reader sees the old
    /// one or the new one, never a mix, and a crash keeps the old one.
    /// A catalogue that is not newer than the one held is refused (returns
    /// `false`) — the version check is in the same statement.
    pub fn swap_catalogue(&mut self, held: &HeldCatalogue, at: &str) -> Result<bool, StoreError> {
        let changed = self
            .conn
            .execute(
                "INSERT INTO catalogue (id, version, etag, payload, signature, fetched_at)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET version = excluded.version, etag = excluded.etag,
                     payload = excluded.payload, signature = excluded.signature,
                     fetched_at = excluded.fetched_at
                 WHERE excluded.version > catalogue.version",
                params![
                    held.version as i64,
                    held.etag,
                    held.payload,
                    held.signature,
                    at
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(changed == 1)
    }
}
