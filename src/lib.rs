//! Tongban (通办): the software of a bank-branch self-service terminal for
//! the city's one-stop government services. This library is the kiosk: its
//! iced UI, resident session, store, configuration use and logging. Device
//! protocols live in `drivers/*`, configuration rules in `kiosk-config`.

pub mod app;
pub mod clock;
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
pub mod subscriptions;
pub mod theme;
pub mod widget;
