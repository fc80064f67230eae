//! USB printer class transport.
