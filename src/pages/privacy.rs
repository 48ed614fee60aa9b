//! Privacy page: plainly, nothing is sent anywhere.

use leptos::prelude::*;

#[component]
pub fn PrivacyPage() -> impl IntoView {
    view! {
        <h1>"Privacy: your data stays on this device"</h1>
        <p class="nhsuk-lede-text">"This toolkit does not send anything you enter to anyone. There is no server, no account and no tracking."</p>

        <h2>"Where your answers are kept"</h2>
        <p>"Survey answers, saved cost scenarios, a Lead's activity log, the evaluator's merged data and the programme view's merged activity returns are kept in this browser's local storage, on this device only. They stay there until you clear them in the toolkit or clear your browser's data for this site."</p>
        <p>"After your first visit the toolkit works with no internet connection. It does not contact any other website: the page's security policy forbids it."</p>

        <h2>"When data leaves this device"</h2>
        <p>"Only when you download a file, such as a survey export for your evaluator, a month's activity return for your programme manager, a cost scenario or an anonymised data set. You choose where that file goes."</p>
        <ul>
            <li>"A survey export contains every answer held on the device, including any comments, so that the evaluator can combine them. Share it only with your evaluation team."</li>
            <li>"An activity return contains the Lead's name and ID, the PCNs they cover and the month's reflections, for the programme manager. The programme view's anonymised activity file replaces Lead names with codes and leaves out notes and reflections unless the manager chooses otherwise."</li>
            <li>"An anonymised export replaces response identifiers, leaves out comments unless the evaluator chooses otherwise, coarsens dates to the month, and merges small groups so that no combination of area, role, Lead status and wave describes fewer people than the chosen threshold."</li>
        </ul>

        <h2>"Shared devices"</h2>
        <p>"On a shared tablet, each person's survey is closed when they submit it. The next person starts a new survey and cannot see or change earlier answers."</p>

        <h2>"Removing your data"</h2>
        <p>"Use the clear options in the survey, evaluator and programme view pages, or your browser's settings to clear site data. Clearing cannot be undone."</p>
    }
}
