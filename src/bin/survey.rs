//! The survey module: Home, Privacy, the survey and the device manager (and "Page not found" for
//! any address no job owns). What a stakeholder opening a survey link downloads, and nothing of
//! the other jobs. See ARCHITECTURE.md, "One module per job".

#[cfg(target_arch = "wasm32")]
fn main() {
    ilt::app::start(ilt::routes::Job::Survey, ilt::survey::page::pages);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the survey module of a browser app: build and serve it with `bash scripts/serve.sh` (see README.md).");
}
