//! The Lead's activity log module (`#/log`): what an Integration Lead downloads to log their
//! work month by month on a phone. See ARCHITECTURE.md, "One module per job".

#[cfg(target_arch = "wasm32")]
fn main() {
    ilt::app::start(ilt::routes::Job::Log, ilt::activity::log_page::pages);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the activity log module of a browser app: build and serve it with `bash scripts/serve.sh` (see README.md).");
}
