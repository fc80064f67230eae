//! Which screen shows, and the idle timeout each screen has.

use crate::screen::{
    News, apply, guide, home, identify, licence_print, licences, maintenance, pin, progress,
    rating, services, submitted,
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

impl Screen {
    /// The staff member signed in to maintenance mode, if it shows.
    pub(super) fn staff(&self) -> Option<&str> {
        match self {
            Screen::Maintenance(state) => Some(&state.staff),
            _ => None,
        }
    }

    /// Tells the screen that shows what changed elsewhere; whether it took
    /// the news.
    pub(super) fn hear(&mut self, news: News<'_>) -> bool {
        match self {
            Screen::Home(state) => state.hear(&news),
            Screen::Licences(state) => state.hear(&news),
            Screen::LicencePrint(state) => state.hear(&news),
            Screen::Guide(state) => state.hear(&news),
            Screen::Apply(state) => state.hear(&news),
            Screen::Submitted(state) => state.hear(&news),
            Screen::Pin(state) => state.hear(&news),
            Screen::Maintenance(state) => state.hear(&news),
            _ => false,
        }
    }
}
