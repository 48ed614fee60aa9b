//! The app's pages and their addresses.
//!
//! Routes live in the URL fragment (`#/costs`), so `dist/` works on any static host with no
//! rewrite rules and the service worker only ever serves `index.html`. A fragment that is not a
//! route (such as `#maincontent`, the skip link's target) leaves the current page as it is.

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

    /// The document title for this page.
    pub fn title(self) -> String {
        match self {
            Route::Home => "Integration Lead Toolkit".to_string(),
            other => format!("{} – Integration Lead Toolkit", other.nav_label()),
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

    #[test]
    fn titles_name_the_page_and_the_service() {
        assert_eq!(Route::Home.title(), "Integration Lead Toolkit");
        assert_eq!(Route::Costs.title(), "Cost calculator – Integration Lead Toolkit");
    }
}
