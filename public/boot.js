// Loads the app (wasm-bindgen's module and the .wasm file) and registers the service worker.
// A file rather than an inline script, so the Content-Security-Policy can forbid inline scripts.
// Trunk writes the hashed file names into the script tag's data attributes (see Trunk.toml).
//
// Update protocol with the app (src/app.rs): when a new release is installed and waiting,
// `window.iltUpdate.waiting` is set and an `ilt-update-available` event fires; the app shows a
// banner, and `window.iltUpdate.apply()` switches to the new release and reloads, only then.
const tag = document.querySelector('script[data-js][data-wasm]');
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });

const update = (window.iltUpdate = { waiting: null, applying: false, apply() {} });

function announce(worker) {
  update.waiting = worker;
  update.apply = () => {
    update.applying = true;
    worker.postMessage('skip-waiting');
  };
  dispatchEvent(new CustomEvent('ilt-update-available'));
}

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first install also changes the controller: reload only when the person asked.
    if (update.applying) location.reload();
  });
  navigator.serviceWorker.register('sw.js', { updateViaCache: 'none' }).then((reg) => {
    if (reg.waiting && navigator.serviceWorker.controller) announce(reg.waiting);
    reg.addEventListener('updatefound', () => {
      const worker = reg.installing;
      worker?.addEventListener('statechange', () => {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) announce(worker);
      });
    });
    // Look for a new release whenever the app comes back into view.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') reg.update().catch(() => {});
    });
  }).catch((err) => console.warn('Offline use is not available in this browser:', err.message));
}
