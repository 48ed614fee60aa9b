//! Shared test helpers: proptest strategies over valid inputs.

use proptest::prelude::*;

use super::inputs::{FeeModel, FieldId, Inputs, TrainingBasis, ValueMode};

/// Any valid inputs, spanning each field's whole allowed range and every choice.
pub fn any_inputs() -> impl Strategy<Value = Inputs> {
    let unit = proptest::collection::vec(0.0f64..=1.0, FieldId::ALL.len());
    (unit, any::<(bool, bool, bool, bool)>()).prop_map(|(u, (hours, total, direct, net))| {
        let mut i = Inputs {
            fee_model: if hours {
                FeeModel::HoursClaimed
            } else {
                FeeModel::SetFee
            },
            training_basis: if total {
                TrainingBasis::Total
            } else {
                TrainingBasis::PerLead
            },
            value_mode: if direct {
                ValueMode::ExtraReferrals
            } else {
                ValueMode::Uplift
            },
            net_nhs_view: net,
            ..Inputs::default()
        };
        for (id, t) in FieldId::ALL.into_iter().zip(u) {
            let m = id.meta();
            // Square the position so small, realistic values are drawn often too.
            let v = m.min + t * t * (m.max - m.min);
            i.set(id, if m.whole { v.round() } else { v });
        }
        i
    })
}
