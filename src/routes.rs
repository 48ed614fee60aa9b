//! The app's pages and their addresses: one route type, one way to write it ([`Route::href`]) and
//! one way to read it ([`parse_fragment`]), host-tested to round-trip.
//!
//! Routes live in the URL fragment (`#/costs`), so `dist/` works on any static host with no
//! rewrite rules and the service worker only ever serves `index.html`. A fragment that is not a
//! route (such as `#maincontent`, the skip link's target) leaves the current page as it is.
//!
//! A survey page names its screen in the fragment's query (`#/survey?screen=about_you`), so the
//! browser's Back button moves between screens; the rest of that query is a survey link
//! (`#/survey?icb=hwe`), kept in [`Location::query`] for the survey's start page.
//!
//! Every page belongs to one job, and each job is its own wasm module (`src/bin/<job>.rs`), so a
//! person downloads only the code of the job they came for. `public/boot.js` starts the module
//! that owns the route with the same rule as [`Route::job`] (a test below reads boot.js to keep
//! the two in step); a module asked for another job's page reloads, and boot.js starts the right one.

use crate::activity::record::{ActivityId, Month};

/// One page of the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    /// A page of the survey: its start page, a screen, check your answers, the confirmation or
    /// the device manager.
    Survey(SurveyView),
    Costs,
    Evaluator,
    /// A page of the Lead's activity log: a month, the activity form, the month's return, the
    /// Lead's details.
    Log(LogView),
    /// The programme view: the Leads' merged returns and the report's Figures 3–6.
    Programme,
    Privacy,
    NotFound,
}

/// Which page of the Lead's activity log to show (`#/log?view=…`). A month that is not given is
/// the current month (the page reads the clock); an address that does not parse (a month
/// `2024-13`, an id that is not 32 hex digits) opens the month overview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogView {
    /// The month overview: `#/log`, `#/log?month=YYYY-MM`.
    Month(Option<Month>),
    /// Add an activity to a month: `#/log?view=add&month=YYYY-MM`.
    Add(Option<Month>),
    /// Change a logged activity: `#/log?view=edit&id=<32 hex digits>`.
    Edit(ActivityId),
    /// Submit a month's return: `#/log?view=submit&month=YYYY-MM`.
    Submit(Option<Month>),
    /// The Lead's details: `#/log?view=details`.
    Details,
}

/// Which survey page to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SurveyView {
    /// The start page.
    Start,
    /// One screen of questions; `back_to_check` when it was opened by a "Change" link; `field`
    /// when it was opened from an error on the check page: the question to show the error for
    /// and focus.
    Screen { id: String, back_to_check: bool, field: Option<String> },
    /// Check your answers.
    Check,
    /// The confirmation page after Submit.
    Done,
    /// The device manager.
    Manage,
}

impl Route {
    /// Pages in navigation order (NotFound is not one of them).
    pub const NAV: [Route; 7] = [
        Route::Home,
        Route::Survey(SurveyView::Start),
        Route::Costs,
        Route::Evaluator,
        Route::Log(LogView::Month(None)),
        Route::Programme,
        Route::Privacy,
    ];

    /// The fragment that opens this page (read back by [`parse_fragment`]).
    pub fn href(&self) -> String {
        let page = match self {
            Route::Home => "#/",
            Route::Survey(view) => return survey_href(view),
            Route::Costs => "#/costs",
            Route::Evaluator => "#/evaluator",
            Route::Log(view) => return log_href(view),
            Route::Programme => "#/programme",
            Route::Privacy => "#/privacy",
            Route::NotFound => "#/not-found",
        };
        page.to_owned()
    }

    /// The page of the app this route is part of: the route itself, or the survey's start page for
    /// every survey page. The menu marks it as current, and the app frame draws a page afresh only
    /// when it changes (moving between survey screens keeps the survey page and its state).
    pub fn section(&self) -> Route {
        match self {
            Route::Survey(_) => Route::Survey(SurveyView::Start),
            Route::Log(_) => Route::Log(LogView::Month(None)),
            other => other.clone(),
        }
    }

    /// Short name used in the navigation.
    pub fn nav_label(&self) -> &'static str {
        match self {
            Route::Home => "Home",
            Route::Survey(_) => "Survey",
            Route::Costs => "Cost calculator",
            Route::Evaluator => "Evaluator",
            Route::Log(_) => "Activity log",
            Route::Programme => "Programme view",
            Route::Privacy => "Privacy",
            Route::NotFound => "Page not found",
        }
    }

    /// The job whose module renders this page.
    pub fn job(&self) -> Job {
        match self {
            Route::Costs => Job::Costs,
            Route::Evaluator => Job::Evaluator,
            Route::Log(_) => Job::Log,
            Route::Programme => Job::Programme,
            Route::Home | Route::Survey(_) | Route::Privacy | Route::NotFound => Job::Survey,
        }
    }

    /// The document title for this page (each survey page then names itself: see its page).
    pub fn title(&self) -> String {
        match self {
            Route::Home => "Integration Lead Toolkit".to_string(),
            other => format!("{} – Integration Lead Toolkit", other.nav_label()),
        }
    }
}

/// The fragment of a survey page: its own parameters (`screen`, `return`, `field`, `view`) after
/// `#/survey`.
fn survey_href(view: &SurveyView) -> String {
    let mut href = String::from("#/survey");
    match view {
        SurveyView::Start => {}
        SurveyView::Screen { id, back_to_check, field } => {
            href.push_str("?screen=");
            href.push_str(id);
            if *back_to_check {
                href.push_str("&return=check");
            }
            if let Some(f) = field {
                href.push_str("&field=");
                href.push_str(f);
            }
        }
        SurveyView::Check => href.push_str("?view=check"),
        SurveyView::Done => href.push_str("?view=done"),
        SurveyView::Manage => href.push_str("?view=manage"),
    }
    href
}

/// The fragment of an activity log page (read back by [`parse_log_query`]).
fn log_href(view: &LogView) -> String {
    let (name, month) = match view {
        LogView::Month(m) => ("", m),
        LogView::Add(m) => ("add", m),
        LogView::Submit(m) => ("submit", m),
        LogView::Edit(id) => return format!("#/log?view=edit&id={id}"),
        LogView::Details => return "#/log?view=details".to_owned(),
    };
    let mut href = String::from("#/log");
    let mut sep = '?';
    if !name.is_empty() {
        href.push_str("?view=");
        href.push_str(name);
        sep = '&';
    }
    if let Some(m) = month {
        href.push(sep);
        href.push_str("month=");
        href.push_str(&m.to_string());
    }
    href
}

/// Read the query of `#/log?...`: the page, and the other parameters (kept as the query).
fn parse_log_query(query: &str) -> (LogView, String) {
    let (mut view, mut month, mut id) = ("", None, None);
    let mut rest = String::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match name {
            "view" => view = value,
            "month" => month = Month::parse(value),
            "id" => id = ActivityId::parse(value),
            _ => {
                if !rest.is_empty() {
                    rest.push('&');
                }
                rest.push_str(pair);
            }
        }
    }
    let page = match (view, id) {
        ("add", _) => LogView::Add(month),
        ("submit", _) => LogView::Submit(month),
        ("details", _) => LogView::Details,
        ("edit", Some(id)) => LogView::Edit(id),
        _ => LogView::Month(month),
    };
    (page, rest)
}

/// A job of the app: one wasm module, one set of pages, one person's work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Home, Privacy, the survey and the device manager (and any unknown address).
    Survey,
    /// The cost calculator.
    Costs,
    /// The evaluator workspace.
    Evaluator,
    /// The Lead's activity log.
    Log,
    /// The programme manager's view of the Leads' returns.
    Programme,
}

impl Job {
    /// Every job, each one module.
    pub const ALL: [Job; 5] = [Job::Survey, Job::Costs, Job::Evaluator, Job::Log, Job::Programme];

    /// The module's name: its binary (`src/bin/<name>.rs`) and its files in `dist/`.
    pub fn module(self) -> &'static str {
        match self {
            Job::Survey => "survey",
            Job::Costs => "costs",
            Job::Evaluator => "evaluator",
            Job::Log => "log",
            Job::Programme => "programme",
        }
    }
}

/// Where the browser is: a page, and the rest of the fragment's query, which the page reads
/// (`#/survey?screen=about_you&icb=hwe` gives that screen and `icb=hwe`, a survey link's
/// parameters; `#/costs?n=4` gives `Costs` and the calculator's inputs `n=4`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub route: Route,
    pub query: String,
}

impl Location {
    /// The fragment of this location: the route's, with the query after it.
    pub fn href(&self) -> String {
        let mut href = self.route.href();
        if !self.query.is_empty() {
            href.push(if href.contains('?') { '&' } else { '?' });
            href.push_str(&self.query);
        }
        href
    }
}

/// Read a URL fragment (with or without its leading `#`). `None` means "not a route": the caller
/// keeps the page it has.
pub fn parse_fragment(fragment: &str) -> Option<Location> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(path_and_query) = fragment.strip_prefix('/') else {
        return fragment.is_empty().then(|| Location { route: Route::Home, query: String::new() });
    };
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let route = match path.trim_end_matches('/') {
        "" => Route::Home,
        "survey" => {
            let (view, link) = parse_survey_query(query);
            return Some(Location { route: Route::Survey(view), query: link });
        }
        "costs" => Route::Costs,
        "evaluator" => Route::Evaluator,
        "programme" => Route::Programme,
        "log" => {
            let (view, rest) = parse_log_query(query);
            return Some(Location { route: Route::Log(view), query: rest });
        }
        "privacy" => Route::Privacy,
        _ => Route::NotFound,
    };
    Some(Location { route, query: query.to_string() })
}

/// Read the query of `#/survey?...`: the page to show, and the remaining parameters (a survey
/// link, handed to `survey::parse_survey_link`). The page's own parameters (`screen`, `return`,
/// `field`, `view`) are never passed on, so they never produce "ignored parameter" notes.
fn parse_survey_query(query: &str) -> (SurveyView, String) {
    let (mut screen, mut view, mut back_to_check, mut field) = ("", "", false, "");
    let mut rest = String::new();
    for pair in query.strip_prefix('?').unwrap_or(query).split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match name {
            "screen" => screen = value,
            "return" => back_to_check = value == "check",
            "field" if !value.is_empty() => field = value,
            "view" => view = value,
            // `#/survey?manage` is a short form of `view=manage`.
            "manage" if value.is_empty() => view = "manage",
            _ => {
                if !rest.is_empty() {
                    rest.push('&');
                }
                rest.push_str(pair);
            }
        }
    }
    let page = match view {
        "check" => SurveyView::Check,
        "done" => SurveyView::Done,
        "manage" => SurveyView::Manage,
        _ if screen.is_empty() => SurveyView::Start,
        _ => SurveyView::Screen {
            id: screen.to_owned(),
            back_to_check,
            field: (!field.is_empty()).then(|| field.to_owned()),
        },
    };
    (page, rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn screen(id: &str, back_to_check: bool, field: Option<&str>) -> Route {
        Route::Survey(SurveyView::Screen { id: id.into(), back_to_check, field: field.map(Into::into) })
    }

    fn at(route: Route, query: &str) -> Option<Location> {
        Some(Location { route, query: query.into() })
    }

    #[test]
    fn every_nav_route_round_trips_through_its_href() {
        for route in Route::NAV {
            assert_eq!(parse_fragment(&route.href()).map(|l| l.route), Some(route));
        }
    }

    #[test]
    fn empty_fragment_is_home_and_unknown_path_is_not_found() {
        assert_eq!(parse_fragment("").unwrap().route, Route::Home);
        assert_eq!(parse_fragment("#").unwrap().route, Route::Home);
        assert_eq!(parse_fragment("#/nope").unwrap().route, Route::NotFound);
    }

    #[test]
    fn query_after_the_path_is_kept() {
        assert_eq!(parse_fragment("#/survey?icb=hwe&wave=baseline"), at(Route::Survey(SurveyView::Start), "icb=hwe&wave=baseline"));
        assert_eq!(parse_fragment("#/costs/?s=1"), at(Route::Costs, "s=1"));
        // The calculator's query is all its own, whatever its names.
        assert_eq!(parse_fragment("#/costs?view=check&screen=x"), at(Route::Costs, "view=check&screen=x"));
    }

    #[test]
    fn in_page_anchors_are_not_routes() {
        assert_eq!(parse_fragment("#maincontent"), None);
        assert_eq!(parse_fragment("#field-icb"), None);
    }

    #[test]
    fn survey_pages_round_trip_through_their_fragments() {
        for route in [
            Route::Survey(SurveyView::Start),
            screen("about_you", false, None),
            screen("your_area", true, None),
            screen("your_area", true, Some("pcn")),
            Route::Survey(SurveyView::Check),
            Route::Survey(SurveyView::Done),
            Route::Survey(SurveyView::Manage),
        ] {
            assert_eq!(parse_fragment(&route.href()), at(route.clone(), ""), "{}", route.href());
        }
        assert_eq!(screen("your_area", true, Some("pcn")).href(), "#/survey?screen=your_area&return=check&field=pcn");
    }

    #[test]
    fn log_pages_round_trip_and_bad_addresses_open_the_month() {
        let march = Month::parse("2024-03");
        let id = ActivityId::from_random([0xab; 16]);
        for (route, href) in [
            (LogView::Month(None), "#/log".to_owned()),
            (LogView::Month(march), "#/log?month=2024-03".to_owned()),
            (LogView::Add(march), "#/log?view=add&month=2024-03".to_owned()),
            (LogView::Add(None), "#/log?view=add".to_owned()),
            (LogView::Edit(id.clone()), format!("#/log?view=edit&id={id}")),
            (LogView::Submit(march), "#/log?view=submit&month=2024-03".to_owned()),
            (LogView::Details, "#/log?view=details".to_owned()),
        ] {
            assert_eq!(Route::Log(route.clone()).href(), href);
            assert_eq!(parse_fragment(&href), at(Route::Log(route), ""), "{href}");
        }
        assert_eq!(parse_fragment("#/log?month=2024-13"), at(Route::Log(LogView::Month(None)), ""));
        assert_eq!(parse_fragment("#/log?view=edit&id=xyz"), at(Route::Log(LogView::Month(None)), ""));
        assert_eq!(parse_fragment("#/log?view=add&month=2024-03&x=1"), at(Route::Log(LogView::Add(march)), "x=1"));
        assert_eq!(Route::Log(LogView::Details).section(), Route::Log(LogView::Month(None)));
        assert_eq!(Route::Log(LogView::Details).job().module(), "log");
    }

    #[test]
    fn link_parameters_are_passed_on_and_page_parameters_are_not() {
        assert_eq!(parse_fragment("#/survey?icb=hwe&screen=your_area&lock=icb"), at(screen("your_area", false, None), "icb=hwe&lock=icb"));
        assert_eq!(parse_fragment("#/survey?manage"), at(Route::Survey(SurveyView::Manage), ""));
        assert_eq!(parse_fragment("#/survey??wave=baseline"), at(Route::Survey(SurveyView::Start), "wave=baseline"));
        assert_eq!(parse_fragment("#/survey?screen="), at(Route::Survey(SurveyView::Start), ""));
        assert_eq!(parse_fragment("#/survey?view=nonsense&x=1"), at(Route::Survey(SurveyView::Start), "x=1"));
    }

    #[test]
    fn a_route_belongs_to_its_section_of_the_menu() {
        assert_eq!(screen("about_you", true, None).section(), Route::Survey(SurveyView::Start));
        assert_eq!(Route::Survey(SurveyView::Manage).section(), Route::NAV[1]);
        for route in Route::NAV.into_iter().chain([Route::NotFound]) {
            assert_eq!(route.section(), route);
        }
    }

    /// Section and question ids as instrument definitions write them.
    fn id() -> impl Strategy<Value = String> {
        "[a-z][a-z0-9_]{0,12}"
    }

    fn any_route() -> impl Strategy<Value = Route> {
        let view = prop_oneof![
            Just(SurveyView::Start),
            (id(), any::<bool>(), proptest::option::of(id()))
                .prop_map(|(id, back_to_check, field)| SurveyView::Screen { id, back_to_check, field }),
            Just(SurveyView::Check),
            Just(SurveyView::Done),
            Just(SurveyView::Manage),
        ];
        prop_oneof![
            Just(Route::Home),
            view.prop_map(Route::Survey),
            Just(Route::Costs),
            Just(Route::Evaluator),
            Just(Route::Programme),
            log_view().prop_map(Route::Log),
            Just(Route::Privacy),
            Just(Route::NotFound),
        ]
    }

    fn log_view() -> impl Strategy<Value = LogView> {
        let month = proptest::option::of((2000u16..=2999, 1u8..=12).prop_map(|(y, m)| Month::new(y, m).unwrap()));
        prop_oneof![
            month.clone().prop_map(LogView::Month),
            month.clone().prop_map(LogView::Add),
            month.prop_map(LogView::Submit),
            any::<[u8; 16]>().prop_map(|b| LogView::Edit(ActivityId::from_random(b))),
            Just(LogView::Details),
        ]
    }

    /// A survey link's (or the calculator's) query: parameters that are not a survey page's own.
    fn link_query() -> impl Strategy<Value = String> {
        let name = "[a-z][a-z_]{0,8}".prop_filter("a survey page's own parameter", |n| {
            !matches!(n.as_str(), "screen" | "return" | "field" | "view" | "manage" | "month" | "id")
        });
        let pair = (name, proptest::option::of("[A-Za-z0-9_.~-]{0,10}"))
            .prop_map(|(n, v)| v.map_or_else(|| n.clone(), |v| format!("{n}={v}")));
        proptest::collection::vec(pair, 0..4).prop_map(|pairs| pairs.join("&"))
    }

    proptest! {
        /// Any route, written with `href` and read back, is the same route; a survey link's
        /// parameters after it are kept as the query, whatever the survey page.
        #[test]
        fn any_route_round_trips_through_its_href(route in any_route(), query in link_query()) {
            prop_assert_eq!(parse_fragment(&route.href()), at(route.clone(), ""));
            let location = Location { route, query };
            prop_assert_eq!(parse_fragment(&location.href()), Some(location.clone()));
            // The same after a trailing slash on the path, as boot.js reads it.
            let href = location.href();
            let slashed = href.split_once('?').map_or_else(|| format!("{href}/"), |(path, query)| format!("{path}/?{query}"));
            prop_assert_eq!(parse_fragment(&slashed), Some(location));
        }
    }

    /// boot.js picks the module from the fragment's first path segment before any wasm runs; it
    /// must pick the module that owns the route, or the page would reload for ever.
    #[test]
    fn boot_js_starts_the_module_that_owns_each_route() {
        let boot = include_str!("../public/boot.js");
        let line = boot
            .lines()
            .find(|l| l.starts_with("const MODULE_OF_PAGE = {"))
            .expect("boot.js declares MODULE_OF_PAGE on one line");
        let body = line.split_once('{').unwrap().1.split_once('}').unwrap().0;
        let map: Vec<(String, String)> = body
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                let (k, v) = p.split_once(':').unwrap();
                (k.trim().trim_matches('\'').to_string(), v.trim().trim_matches('\'').to_string())
            })
            .collect();
        // boot.js: `/^#\/([^/?]*)/.exec(location.hash)?.[1] ?? ''`, then the map, else survey.
        let module_in_boot = |fragment: &str| {
            let first = fragment.strip_prefix("#/").map_or("", |p| p.split(['/', '?']).next().unwrap_or(""));
            map.iter().find(|(k, _)| k == first).map_or("survey".to_string(), |(_, v)| v.clone())
        };
        let survey_pages = [screen("about_you", true, Some("pcn")), Route::Survey(SurveyView::Manage)];
        let log_pages = [
            Route::Log(LogView::Add(Month::parse("2024-03"))),
            Route::Log(LogView::Edit(ActivityId::from_random([7; 16]))),
            Route::Log(LogView::Submit(None)),
            Route::Log(LogView::Details),
        ];
        for route in Route::NAV.into_iter().chain([Route::NotFound]).chain(survey_pages).chain(log_pages) {
            let href = route.href();
            let sep = if href.contains('?') { '&' } else { '?' };
            for fragment in [href.clone(), format!("{href}{sep}x=1"), format!("{href}/")] {
                let owner = parse_fragment(&fragment).unwrap().route.job();
                assert_eq!(module_in_boot(&fragment), owner.module(), "{fragment}");
            }
        }
        for (_, module) in &map {
            assert!(Job::ALL.iter().any(|j| j.module() == module), "boot.js names an unknown module {module}");
        }
        // Not a route: the survey module's Home page, in boot.js as in parse_fragment.
        for fragment in ["#maincontent", "#costs", ""] {
            assert_eq!(parse_fragment(fragment).map_or(Route::Home, |l| l.route).job(), Job::Survey);
            assert_eq!(module_in_boot(fragment), Job::Survey.module(), "{fragment}");
        }
    }

    #[test]
    fn titles_name_the_page_and_the_service() {
        assert_eq!(Route::Home.title(), "Integration Lead Toolkit");
        assert_eq!(Route::Costs.title(), "Cost calculator – Integration Lead Toolkit");
        assert_eq!(screen("about_you", false, None).title(), "Survey – Integration Lead Toolkit");
    }
}
