//! One module per screen, each with its own `Message`, an `update` that
//! returns an `Action` for the top level where it needs one, and a `view`.
//! The top level (`app`) routes between them and draws the header, footer
//! and overlays around them.

pub mod apply;
pub mod attract;
pub mod farewell;
pub mod guide;
pub mod home;
pub mod identified;
pub mod identify;
pub mod licence_print;
pub mod licences;
pub mod maintenance;
pub mod out_of_service;
pub mod pin;
pub mod progress;
pub mod rating;
pub mod services;
pub mod submitted;
