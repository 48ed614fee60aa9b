//! survey feature.
