//! Home page: what the toolkit is for and where each job starts.

use crate::routes::{LogView, Route, SurveyView};
use crate::ui::InsetText;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let card = |route: Route, heading: &'static str, text: &'static str| {
        view! {
            <li class="nhsuk-grid-column-one-third nhsuk-card-group__item">
                <div class="nhsuk-card nhsuk-card--clickable">
                    <div class="nhsuk-card__content">
                        <h2 class="nhsuk-card__heading nhsuk-heading-m">
                            <a class="nhsuk-card__link" href=route.href()>{heading}</a>
                        </h2>
                        <p class="nhsuk-card__description">{text}</p>
                    </div>
                </div>
            </li>
        }
    };
    view! {
        <h1>"Integration Lead Toolkit"</h1>
        <p class="nhsuk-lede-text">
            "Test and fund Community Pharmacy Integration Leads: part-time pharmacists who link community pharmacies with their primary care network (PCN) and general practices."
        </p>
        <ul class="nhsuk-grid-row nhsuk-card-group">
            {card(Route::Survey(SurveyView::Start), "Answer a survey",
                "For pharmacy, practice, PCN and ICB staff and Integration Leads. Takes about 5 minutes and works without signal.")}
            {card(Route::Costs, "Cost calculator",
                "For ICB finance and commissioners: Lead fees, training and management against the value of extra referrals, with scenarios and uncertainty.")}
            {card(Route::Evaluator, "Evaluator workspace",
                "For the evaluation team: merge survey files from many devices, see before and after results, and download anonymised data.")}
            {card(Route::Log(LogView::Month(None)), "Activity log (for Leads)",
                "For Integration Leads: log your activities on your phone, even without signal, and submit each month's return.")}
            {card(Route::Programme, "Programme view (activity returns)",
                "For programme managers: merge the Leads' monthly activity returns, see who has returned, what they did and who they reached.")}
        </ul>
        <InsetText>
            <p>
                "Everything you enter stays in this browser on this device. Nothing is sent anywhere unless you download a file. "
                <a href=Route::Privacy.href()>"How your data is kept"</a>
            </p>
        </InsetText>
    }
}
