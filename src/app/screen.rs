//! Which screen shows, and the idle timeout each screen has.

use crate::screen::{
    apply, guide, home, identify, licence_print, licences, maintenance, pin, progress, rating,
    services, submitted,
};

/// Which screen shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    /// Waiting for a resident.
    Attract,
    /// Waiting for the platform to confirm a scanned 随申码 (no session
    /// yet).
    Identifying(identify::State),
    /// A resident's home.
    Home(home::State),
    /// The resident's licences.
    Licences(licences::State),
    /// Printing a licence copy.
    LicencePrint(Box<licence_print::State>),
    /// The catalogue and search.
    Services(services::State),
    /// An item's guide.
    Guide(guide::State),
    /// Filling in a form.
    Apply(Box<apply::State>),
    /// After submitting.
    Submitted(submitted::State),
    /// The resident's applications.
    Progress(progress::State),
    /// Rating the service.
    Rating(rating::State),
    /// "Take your card and papers" (the session is already wiped).
    Farewell(u64),
    /// The staff PIN pad.
    Pin(pin::State),
    /// Maintenance mode.
    Maintenance(Box<maintenance::State>),
}

impl Screen {
    /// The key of this screen's idle timeout in config.
    pub(super) fn timeout_key(&self) -> &'static str {
        match self {
            Screen::Attract | Screen::Identifying(_) | Screen::Farewell(_) => "default",
            Screen::Home(_) | Screen::Submitted(_) => "home",
            Screen::LicencePrint(_) | Screen::Licences(_) => "licences",
            Screen::Services(_) => "catalogue",
            Screen::Guide(_) => "guide",
            Screen::Apply(_) => "form",
            Screen::Progress(_) => "progress",
            Screen::Rating(_) => "rating",
            Screen::Pin(_) | Screen::Maintenance(_) => "maintenance",
        }
    }
}
