//! Entry point of the browser build: mounts the app. On the host the binary only explains itself, so
//! that `cargo test` can build every target without a browser.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(ilt::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is a browser app: build and serve it with `./scripts/dev.sh serve` (see README.md).");
}
