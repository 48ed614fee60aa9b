//! The progress bar of long work: shown only once the work has run longer than a delay, so a
//! quick task never flickers one onto the screen.

use leptos::prelude::*;
use std::time::Duration;

/// Long work under way: how far it has got and what it is doing. `Copy`, so a page can hold it
/// in its context and any part of the page can move it on.
#[derive(Clone, Copy)]
pub struct Busy {
    /// How far (0 to 1; `None`: not known) and what it is doing, in words; `None` when idle.
    state: RwSignal<Option<(Option<f64>, String)>>,
    /// Whether the bar is on screen (the work has run longer than `delay`).
    shown: RwSignal<bool>,
    /// Which piece of work the pending reveal belongs to.
    generation: RwSignal<u64>,
    delay: Duration,
}

impl Busy {
    /// Idle; the bar appears once work has run for `delay`.
    pub fn new(delay: Duration) -> Busy {
        Busy { state: RwSignal::new(None), shown: RwSignal::new(false), generation: RwSignal::new(0), delay }
    }

    /// Work starts now.
    pub fn start(&self, doing: &str) {
        let generation = self.generation.get_untracked() + 1;
        self.generation.set(generation);
        self.state.set(Some((None, doing.to_owned())));
        self.shown.set(false);
        let this = *self;
        set_timeout(
            move || {
                if this.generation.try_get_untracked() == Some(generation) && this.running() {
                    this.shown.set(true);
                }
            },
            self.delay,
        );
    }

    /// It has got this far (0 to 1; `None`: not known), doing this. Ignored when no work is
    /// under way.
    pub fn update(&self, done: Option<f64>, doing: &str) {
        if self.running() {
            self.state.set(Some((done.map(|d| d.clamp(0.0, 1.0)), doing.to_owned())));
        }
    }

    /// The work is over: the bar goes.
    pub fn finish(&self) {
        self.generation.update(|g| *g += 1);
        self.state.set(None);
        self.shown.set(false);
    }

    /// Whether work is under way.
    pub fn running(&self) -> bool {
        self.state.try_with_untracked(Option::is_some).unwrap_or(false)
    }
}

/// The bar of `busy`, labelled `label`: a native `<progress>` (read out with its label and value;
/// without a value while how far is not known) and, in a polite live region, what the work is
/// doing. Nothing is shown while idle or until the work has run for `busy`'s delay.
#[component]
pub fn ProgressBar(busy: Busy, id: &'static str, label: &'static str) -> impl IntoView {
    let bar_id = [id, "-bar"].concat();
    let percent = move || busy.state.with(|s| s.as_ref().and_then(|(d, _)| d.map(|d| (d * 100.0).round())));
    let known = Memo::new(move |_| percent().is_some());
    view! {
        <div class="ilt-progress" id=id>
            {move || busy.shown.get().then(|| {
                let bar_id = bar_id.clone();
                view! {
                    <label class="nhsuk-label" for=bar_id.clone()>{label}</label>
                    {move || if known.get() {
                        view! {
                            <progress class="ilt-progress__bar" id=bar_id.clone() max="100" prop:value=move || percent().unwrap_or(0.0)>
                                {move || format!("{}%", percent().unwrap_or(0.0))}
                            </progress>
                        }.into_any()
                    } else {
                        view! { <progress class="ilt-progress__bar" id=bar_id.clone()></progress> }.into_any()
                    }}
                }
            })}
            <p class="nhsuk-body-s ilt-progress__doing" role="status">
                {move || busy.shown.get().then(|| busy.state.with(|s| s.as_ref().map(|(_, doing)| doing.clone())))}
            </p>
        </div>
    }
}
