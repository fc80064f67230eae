//! `cargo run --example close_request -- WINDOW_ID`: asks an X11 window to
//! close the way a window manager does on Alt+F4 or a title bar's ×: a
//! `WM_PROTOCOLS` client message carrying `WM_DELETE_WINDOW`. The
//! end-to-end check (scripts/e2e-service) sends it to the kiosk, which
//! must stay on screen in kiosk mode and close when windowed.

use anyhow::{Context, Result, bail};
use x11rb::protocol::xproto::{AtomEnum, ClientMessageEvent, ConnectionExt, EventMask};
use x11rb::wrapper::ConnectionExt as _;

fn main() -> Result<()> {
    let Some(arg) = std::env::args().nth(1) else {
        bail!("usage: close_request WINDOW_ID (decimal or 0x hex, as xdotool prints it)");
    };
    let window = match arg.strip_prefix("0x") {
        Some(hex) => u32::from_str_radix(hex, 16),
        None => arg.parse(),
    }
    .with_context(|| format!("{arg:?} is not a window id"))?;
    let (conn, _screen) = x11rb::connect(None).context("cannot connect to the X display")?;
    let protocols = conn.intern_atom(false, b"WM_PROTOCOLS")?.reply()?.atom;
    let delete = conn.intern_atom(false, b"WM_DELETE_WINDOW")?.reply()?.atom;
    // The window must have said it takes WM_DELETE_WINDOW.
    let listed = conn
        .get_property(false, window, protocols, AtomEnum::ATOM, 0, 32)?
        .reply()
        .context("no such window")?;
    let takes_delete = listed
        .value32()
        .is_some_and(|mut atoms| atoms.any(|a| a == delete));
    if !takes_delete {
        bail!("window {window:#x} does not list WM_DELETE_WINDOW in WM_PROTOCOLS");
    }
    let event = ClientMessageEvent::new(32, window, protocols, [delete, 0, 0, 0, 0]);
    conn.send_event(false, window, EventMask::NO_EVENT, event)?;
    conn.sync()?;
    println!("close request sent to window {window:#x}");
    Ok(())
}
