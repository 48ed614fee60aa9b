//! The app's pages and their addresses.
//!
//! Routes live in the URL fragment (`#/costs`), so `dist/` works on any static host with no
//! rewrite rules and the service worker only ever serves `index.html`. A fragment that is not a
//! route (such as `#maincontent`, the skip link's target) leaves the current page as it is.
//!
//! Every page belongs to one job, and each job is its own wasm module (`src/bin/<job>.rs`), so a
//! person downloads only the code of the job they came for. `public/boot.js` starts the module
//! that owns the route with the same rule as [`Route::job`] (a test below reads boot.js to keep
//! the two in step); a module asked for another job's page reloads, and boot.js starts the right one.

/// One page of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    Survey,
    Costs,
    Evaluator,
    Privacy,
    NotFound,
}

impl Route {
    /// Pages in navigation order (NotFound is not one of them).
    pub const NAV: [Route; 5] = [Route::Home, Route::Survey, Route::Costs, Route::Evaluator, Route::Privacy];

    /// The fragment that opens this page.
    pub fn href(self) -> &'static str {
        match self {
            Route::Home => "#/",
            Route::Survey => "#/survey",
            Route::Costs => "#/costs",
            Route::Evaluator => "#/evaluator",
            Route::Privacy => "#/privacy",
            Route::NotFound => "#/not-found",
        }
    }

    /// Short name used in the navigation.
    pub fn nav_label(self) -> &'static str {
        match self {
            Route::Home => "Home",
            Route::Survey => "Survey",
            Route::Costs => "Cost calculator",
            Route::Evaluator => "Evaluator",
            Route::Privacy => "Privacy",
            Route::NotFound => "Page not found",
        }
    }

    /// The job whose module renders this page.
    pub fn job(self) -> Job {
        match self {
            Route::Costs => Job::Costs,
            Route::Evaluator => Job::Evaluator,
            Route::Home | Route::Survey | Route::Privacy | Route::NotFound => Job::Survey,
        }
    }

    /// The document title for this page.
    pub fn title(self) -> String {
        match self {
            Route::Home => "Integration Lead Toolkit".to_string(),
            other => format!("{} – Integration Lead Toolkit", other.nav_label()),
        }
    }
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
}

impl Job {
    /// Every job, each one module.
    pub const ALL: [Job; 3] = [Job::Survey, Job::Costs, Job::Evaluator];

    /// The module's name: its binary (`src/bin/<name>.rs`) and its files in `dist/`.
    pub fn module(self) -> &'static str {
        match self {
            Job::Survey => "survey",
            Job::Costs => "costs",
            Job::Evaluator => "evaluator",
        }
    }
}

/// Where the browser is: a page and the query that follows it in the fragment
/// (`#/survey?icb=hwe` gives `Survey` and `icb=hwe`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub route: Route,
    pub query: String,
}

/// Read a URL fragment (with or without its leading `#`). `None` means "not a route": the caller
/// keeps the page it has.
pub fn parse_fragment(fragment: &str) -> Option<Location> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.is_empty() {
        return Some(Location { route: Route::Home, query: String::new() });
    }
    let path_and_query = fragment.strip_prefix('/')?;
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let route = match path.trim_end_matches('/') {
        "" => Route::Home,
        "survey" => Route::Survey,
        "costs" => Route::Costs,
        "evaluator" => Route::Evaluator,
        "privacy" => Route::Privacy,
        _ => Route::NotFound,
    };
    Some(Location { route, query: query.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nav_route_round_trips_through_its_href() {
        for route in Route::NAV {
            assert_eq!(parse_fragment(route.href()).map(|l| l.route), Some(route));
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
        let loc = parse_fragment("#/survey?icb=hwe&wave=baseline").unwrap();
        assert_eq!(loc.route, Route::Survey);
        assert_eq!(loc.query, "icb=hwe&wave=baseline");
        assert_eq!(parse_fragment("#/costs/?s=1").unwrap().route, Route::Costs);
    }

    #[test]
    fn in_page_anchors_are_not_routes() {
        assert_eq!(parse_fragment("#maincontent"), None);
        assert_eq!(parse_fragment("#field-icb"), None);
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
        for route in Route::NAV.into_iter().chain([Route::NotFound]) {
            for fragment in [route.href().to_string(), format!("{}?x=1", route.href()), format!("{}/", route.href())] {
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
    }
}
