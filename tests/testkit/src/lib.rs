//! What the kiosk's integration tests, examples and benchmarks share, in
//! one place instead of files each test crate includes by path:
//! [`journey`] drives the real `update` and `view` as a resident's finger
//! would (with the platform's and devices' answers given as messages),
//! and [`terminal`] writes a terminal's own fleet config folder.

pub mod journey;
pub mod terminal;
