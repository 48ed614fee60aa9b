//! evaluation feature.
