//! The catalogue: a fetched one verified against the pinned platform key
//! and swapped into the store in one statement (a failed, forged or older
//! catalogue leaves the held one in place), the shipped first-boot seed,
//! and the held one handed to the UI once it verifies again.

use ed25519_dalek::VerifyingKey;
use tongban_platform_api::{SignatureError, Signed, accept_catalogue};

use super::{CatalogueData, Client, ClientError, Fetched, PlatformEvent};
use crate::store::{HeldCatalogue, Store, StoreError};

/// How a catalogue sync ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    /// The held catalogue is current.
    Unchanged,
    /// A newer catalogue is now held.
    Updated {
        /// Its version.
        version: u64,
    },
    /// The platform's catalogue was refused; the held one stays.
    Refused(SignatureError),
}

/// Why a sync could not run.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The platform.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The store.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Verifies what was fetched and swaps it in. Blocking (the store): call
/// it off the UI thread.
pub fn apply_catalogue(
    fetched: Fetched,
    key: &VerifyingKey,
    store: &mut Store,
    at: &str,
) -> Result<SyncOutcome, StoreError> {
    let Fetched::Catalogue { signed, etag } = fetched else {
        return Ok(SyncOutcome::Unchanged);
    };
    let held = store.catalogue()?;
    // The very document held (the first-boot seed, fetched once without
    // an ETag): only remember the platform's ETag for it.
    if let Some(h) = &held
        && h.payload == signed.payload
    {
        store.set_catalogue_etag(&etag)?;
        return Ok(SyncOutcome::Unchanged);
    }
    let catalogue = match accept_catalogue(&signed, key, held.map(|h| h.version)) {
        Ok(c) => c,
        Err(reason) => {
            tracing::warn!(%reason, "catalogue refused; the held one stays");
            return Ok(SyncOutcome::Refused(reason));
        }
    };
    let swapped = store.swap_catalogue(
        &HeldCatalogue {
            version: catalogue.version,
            etag,
            signature: signed.signature_base64(),
            payload: signed.payload,
        },
        at,
    )?;
    if !swapped {
        // Another writer got a newer one in first.
        return Ok(SyncOutcome::Unchanged);
    }
    tracing::info!(
        version = catalogue.version,
        items = catalogue.items.len(),
        "catalogue updated"
    );
    Ok(SyncOutcome::Updated {
        version: catalogue.version,
    })
}

/// One catalogue sync: a conditional fetch, then verify and swap.
pub async fn sync_catalogue(
    client: &Client,
    key: &VerifyingKey,
    store: &mut Store,
) -> Result<SyncOutcome, SyncError> {
    let etag = store.catalogue_tag()?.map(|(_, etag)| etag);
    let fetched = client.fetch_catalogue(etag.as_deref()).await?;
    let at = chrono::Local::now().to_rfc3339();
    Ok(apply_catalogue(fetched, key, store, &at)?)
}

/// The sample catalogue shipped with the kiosk: the first-boot catalogue
/// where it verifies against the pinned key (the demo).
pub const SEED_CATALOGUE: &[u8] = include_bytes!("../../assets/catalogue/catalogue.json");
/// Its signature by the reference platform's sample key.
pub const SEED_SIGNATURE: &str = include_str!("../../assets/catalogue/catalogue.json.sig");

/// The shipped catalogue as signed bytes.
pub fn seed() -> Result<Signed, SignatureError> {
    Signed::from_parts(SEED_CATALOGUE.to_vec(), SEED_SIGNATURE)
}

/// Tells the UI which catalogue is held, and hands it over parsed — only
/// once its signature checks against the pinned key again: a held
/// catalogue altered on disk (or held under a key no longer pinned) is
/// never shown to a resident, and one that fails is dropped, so the seed
/// or the platform's next catalogue takes its place instead of a
/// stale-version refusal keeping it for ever. Returns whether one was
/// handed over.
pub(super) fn emit_catalogue(
    store: &mut Store,
    key: Option<&VerifyingKey>,
    emit: &mut dyn FnMut(PlatformEvent),
) -> bool {
    let held = match store.catalogue() {
        Ok(Some(held)) => held,
        Ok(None) => return false,
        Err(error) => {
            tracing::error!(%error, "held catalogue unreadable");
            return false;
        }
    };
    let Some(key) = key else {
        tracing::error!("no platform key pinned: the held catalogue cannot be verified; not used");
        return false;
    };
    let checked = Signed::from_parts(held.payload, &held.signature)
        .and_then(|signed| accept_catalogue(&signed, key, None));
    match checked {
        Ok(catalogue) => {
            emit(PlatformEvent::Catalogue(held.version));
            emit(PlatformEvent::CatalogueData(CatalogueData(
                std::sync::Arc::new(catalogue),
            )));
            true
        }
        Err(error) => {
            tracing::error!(%error, version = held.version, "held catalogue fails verification; dropped");
            if let Err(error) = store.forget_catalogue() {
                tracing::error!(%error, "cannot drop the held catalogue");
            }
            false
        }
    }
}
