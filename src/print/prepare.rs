//! Preparing a licence copy: the platform's print ticket (authorisation,
//! what to print, the verification code, the copies allowed), then the
//! page composed from it at 300 dpi, and a scaled picture of that very
//! page for the preview. Runs in a task: the ticket is a network call and
//! composing takes a few hundred milliseconds.

use std::sync::Arc;

use tongban_laser::Bitmap;
use tongban_platform_api::licence::{PrintTicket, TicketRequest};
use tongban_platform_api::resident::ResidentSession;
use zeroize::Zeroize;

use super::licence::{LicenceCopy, template_for};
use crate::platform::{Client, ClientError};

/// A ticket and its page, ready to preview and print. Personal data: it
/// lives while the resident prints and is wiped after.
#[derive(Clone)]
pub struct Prepared {
    /// The platform's ticket id (journalled, reported).
    pub ticket: String,
    /// Copies the ticket allows.
    pub allowed: u32,
    /// The page the printer gets.
    pub page: Arc<Bitmap>,
    /// The same page, scaled for the screen.
    pub preview: PreviewImage,
}

/// The page scaled for the screen, as RGBA pixels (the licence screen
/// makes its image of them).
#[derive(Clone)]
pub struct PreviewImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height` RGBA pixels.
    pub rgba: Vec<u8>,
}

impl PreviewImage {
    /// `page` scaled down by `factor` ([`scaled`]).
    pub fn of(page: &Bitmap, factor: usize) -> Self {
        let (width, height, rgba) = scaled(page, factor);
        Self {
            width,
            height,
            rgba,
        }
    }
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Prepared({}, {} copies)", self.ticket, self.allowed)
    }
}

/// What goes on the copy besides the ticket.
#[derive(Debug, Clone)]
pub struct CopyInfo {
    /// The licence type's template (`residence`, `generic`, …).
    pub template: String,
    /// The licence type's name (the generic template's title).
    pub name: String,
    /// The watermark's purpose.
    pub purpose: String,
    /// Date in the watermark and footer (`2026-12-03`).
    pub date: String,
    /// Time in the footer (`14:03`).
    pub time: String,
    /// This terminal.
    pub terminal: String,
}

/// Why there is nothing to print (the platform's ticket, or the page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unprintable {
    /// The day's copies of this licence are printed already.
    Quota,
    /// The licence was revoked or has expired since the list was read.
    Revoked,
    /// The platform does not know this licence for this resident.
    NotFound,
    /// The platform cannot be reached.
    Unreachable,
    /// The resident's platform session ended.
    Session,
    /// The page cannot be composed.
    Layout,
}

impl Unprintable {
    /// The sentence residents see.
    pub fn message_id(self) -> &'static str {
        match self {
            Unprintable::Quota => "licence-problem-quota",
            Unprintable::Revoked => "licence-problem-revoked",
            Unprintable::NotFound => "licence-problem-not-found",
            Unprintable::Unreachable => "licence-problem-unreachable",
            Unprintable::Session => "licence-problem-session",
            Unprintable::Layout => "printer-layout",
        }
    }
}

/// Why a ticket call failed, as the resident is told.
pub fn problem_of(error: &ClientError) -> Unprintable {
    match error {
        ClientError::Refused(429) => Unprintable::Quota,
        ClientError::Refused(410) => Unprintable::Revoked,
        ClientError::Refused(404) => Unprintable::NotFound,
        ClientError::Refused(401 | 403) => Unprintable::Session,
        _ => Unprintable::Unreachable,
    }
}

/// The copy as the ticket describes it.
pub fn copy_of(ticket: &PrintTicket, info: &CopyInfo) -> LicenceCopy {
    LicenceCopy {
        template: template_for(&info.template),
        name: info.name.clone(),
        number: ticket.number.clone(),
        fields: ticket.fields.clone(),
        photo: None,
        issuer: ticket.issuer.clone(),
        issued: ticket.issued_on.clone(),
        purpose: info.purpose.clone(),
        date: info.date.clone(),
        time: info.time.clone(),
        terminal: info.terminal.clone(),
        verify_code: ticket.verify_code.clone(),
        verify_url: ticket.verify_url.clone(),
    }
}

/// Asks for the ticket, composes the page, scales the preview. A ticket
/// issued for a page that cannot be composed is the caller's to cancel
/// (`Err` carries its id then).
pub async fn prepare(
    client: Client,
    session: ResidentSession,
    request: TicketRequest,
    info: CopyInfo,
) -> Result<Prepared, (Unprintable, Option<String>)> {
    let mut ticket = client
        .print_ticket(&session, &request)
        .await
        .map_err(|error| {
            tracing::info!(%error, "no print ticket");
            (problem_of(&error), None)
        })?;
    if ticket.copies == 0 {
        return Err((Unprintable::Quota, Some(ticket.ticket.clone())));
    }
    tracing::info!(ticket = %ticket.ticket, copies = ticket.copies, "print ticket issued");
    let id = ticket.ticket.clone();
    let allowed = ticket.copies;
    let composed = tokio::task::spawn_blocking(move || {
        let mut copy = copy_of(&ticket, &info);
        wipe_ticket(&mut ticket);
        let page = super::licence::compose(&copy);
        wipe_copy(&mut copy);
        page.map(|page| {
            let preview = PreviewImage::of(&page, 5);
            (page, preview)
        })
    })
    .await;
    match composed {
        Ok(Ok((page, preview))) => Ok(Prepared {
            ticket: id,
            allowed,
            page: Arc::new(page),
            preview,
        }),
        Ok(Err(error)) => {
            tracing::error!(%error, "licence page cannot be composed");
            Err((Unprintable::Layout, Some(id)))
        }
        Err(error) => {
            tracing::error!(%error, "composing the licence page failed");
            Err((Unprintable::Layout, Some(id)))
        }
    }
}

/// The page scaled down by `factor` in each direction, as RGBA: each
/// pixel the share of white dots in its `factor`×`factor` block.
pub fn scaled(page: &Bitmap, factor: usize) -> (u32, u32, Vec<u8>) {
    let factor = factor.max(1);
    let (w, h) = (page.width / factor, page.height / factor);
    let mut rgba = Vec::with_capacity(w * h * 4);
    let full = (factor * factor) as u32;
    for y in 0..h {
        for x in 0..w {
            let mut ink = 0u32;
            for dy in 0..factor {
                let row = page.row(y * factor + dy);
                for dx in 0..factor {
                    let px = x * factor + dx;
                    if row[px / 8] & (0x80 >> (px % 8)) != 0 {
                        ink += 1;
                    }
                }
            }
            let v = (255 - ink * 255 / full) as u8;
            rgba.extend_from_slice(&[v, v, v, 255]);
        }
    }
    (w as u32, h as u32, rgba)
}

/// Overwrites a ticket's personal data.
pub fn wipe_ticket(ticket: &mut PrintTicket) {
    wipe(
        &mut ticket.number,
        &mut ticket.fields,
        &mut ticket.issued_on,
    );
}

fn wipe_copy(copy: &mut LicenceCopy) {
    wipe(&mut copy.number, &mut copy.fields, &mut copy.issued);
}

/// Overwrites what a ticket and the copy made from it share: the number,
/// the fields and the date of issue.
fn wipe(number: &mut String, fields: &mut Vec<(String, String)>, issued: &mut String) {
    number.zeroize();
    for (k, v) in fields.iter_mut() {
        k.zeroize();
        v.zeroize();
    }
    fields.clear();
    issued.zeroize();
}

/// Overwrites a page once nobody else holds it (the printer thread may
/// still have it; then it goes when the thread drops it).
pub fn wipe_page(page: Arc<Bitmap>) {
    if let Ok(mut page) = Arc::try_unwrap(page) {
        page.data.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_is_the_page_scaled() {
        let mut page = Bitmap::new(16, 8);
        // The left half black.
        for y in 0..8 {
            for x in 0..8 {
                page.set(x, y);
            }
        }
        let (w, h, rgba) = scaled(&page, 4);
        assert_eq!((w, h), (4, 2));
        let grey: Vec<u8> = rgba.chunks(4).map(|p| p[0]).collect();
        assert_eq!(grey, vec![0, 0, 255, 255, 0, 0, 255, 255]);
    }

    #[test]
    fn ticket_refusals_are_told_apart() {
        assert_eq!(problem_of(&ClientError::Refused(429)), Unprintable::Quota);
        assert_eq!(problem_of(&ClientError::Refused(410)), Unprintable::Revoked);
        assert_eq!(
            problem_of(&ClientError::Refused(404)),
            Unprintable::NotFound
        );
        assert_eq!(problem_of(&ClientError::Refused(403)), Unprintable::Session);
        assert_eq!(
            problem_of(&ClientError::Unreachable("down".into())),
            Unprintable::Unreachable
        );
    }
}
