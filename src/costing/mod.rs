//! costing feature.
