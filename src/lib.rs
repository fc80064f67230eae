//! Tongban (通办): the software of a bank-branch self-service terminal for
//! the city's one-stop government services. This library is the kiosk: its
//! iced UI, resident session, store, configuration use and logging. Device
//! protocols live in `drivers/*`, configuration rules in `kiosk-config`.

pub mod app;
pub mod demo;
pub mod devices;
pub mod disk;
pub mod facts;
pub mod fleet;
pub mod fonts;
pub mod form;
pub mod i18n;
pub mod ime;
pub mod logging;
pub mod paths;
pub mod platform;
pub mod print;
pub mod screen;
pub mod sd_notify;
pub mod search;
pub mod session;
pub mod staff;
pub mod status;
pub mod store;
pub mod submit;
pub mod theme;
pub mod widget;

/// Every source file, for tests that check what the code refers to (such as
/// message ids).
#[cfg(test)]
pub(crate) const SOURCE_FILES: &[&str] = &[
    include_str!("app.rs"),
    include_str!("demo.rs"),
    include_str!("devices.rs"),
    include_str!("main.rs"),
    include_str!("screen/attract.rs"),
    include_str!("screen/home.rs"),
    include_str!("screen/identified.rs"),
    include_str!("screen/out_of_service.rs"),
    include_str!("screen/pin.rs"),
    include_str!("screen/maintenance.rs"),
    include_str!("app/staff.rs"),
    include_str!("screen/licence_print.rs"),
    include_str!("screen/services.rs"),
    include_str!("screen/guide.rs"),
    include_str!("screen/apply.rs"),
    include_str!("screen/submitted.rs"),
    include_str!("screen/progress.rs"),
    include_str!("screen/rating.rs"),
    include_str!("screen/farewell.rs"),
    include_str!("widget/keyboard.rs"),
    include_str!("form.rs"),
    include_str!("submit.rs"),
    include_str!("print/service.rs"),
    include_str!("widget/mod.rs"),
    include_str!("widget/icon.rs"),
];
