// Starts the module of the job that owns the page, and registers the service worker.
// A file rather than an inline script, so the Content-Security-Policy can forbid inline scripts.
//
// One wasm module per job (ARCHITECTURE.md, "One module per job"): a person downloads only the
// code of the job they came for. The page is the first segment of the URL fragment (`#/costs`);
// MODULE_OF_PAGE must agree with `Route::job` in src/routes.rs (a host test reads this line).
// Every module's file names are in the script tag's data attributes: Trunk writes the survey
// module's (Trunk.toml, pattern_script), scripts/post-build.mjs the others'.
//
// Update protocol with the app (src/app/update.rs): when a new release is installed and waiting,
// `window.iltUpdate.waiting` is set and an `ilt-update-available` event fires; the app shows a
// banner, and `window.iltUpdate.apply()` switches to the new release and reloads, only then.
// `window.iltUpdate.offline` settles once this job's module is kept for offline use.
const MODULE_OF_PAGE = { costs: 'costs', evaluator: 'evaluator', log: 'log', programme: 'programme' };

const tag = document.querySelector('script[data-survey-js]');
const page = /^#\/([^/?]*)/.exec(location.hash)?.[1] ?? '';
const job = MODULE_OF_PAGE[page] ?? 'survey';
const files = { js: tag.dataset[`${job}Js`], wasm: tag.dataset[`${job}Wasm`] };

const update = (window.iltUpdate = { waiting: null, applying: false, apply() {}, offline: null });

// A module that cannot be loaded (offline, and this job was never opened online on this device)
// gets a plain message instead of an empty page. Built with textContent: no markup from strings.
function unavailable() {
  const el = (name, text, attrs = {}) => {
    const node = document.createElement(name);
    if (text) node.textContent = text;
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  };
  const main = el('main', '', { class: 'nhsuk-width-container nhsuk-main-wrapper', id: 'maincontent' });
  const home = el('a', 'Go to the home page', { href: '#/' });
  home.addEventListener('click', (e) => { e.preventDefault(); location.hash = '#/'; location.reload(); });
  const back = el('p'); back.append(home);
  main.append(
    el('h1', 'This part of the toolkit is not available offline yet'),
    el('p', 'It has not been opened on this device while connected to the internet. Connect to the internet and reload the page: after that it works offline too.'),
    el('p', 'Anything you saved in the toolkit is still on this device.'),
    back,
  );
  document.body.append(main);
}

try {
  // Fetch the wasm while the JS glue loads, instead of one after the other.
  const wasm = fetch(files.wasm);
  wasm.catch(() => {});
  const { default: init } = await import(files.js);
  await init({ module_or_path: wasm });
} catch (err) {
  console.warn(`The ${job} module could not be loaded:`, err?.message ?? err);
  unavailable();
}

function announce(worker) {
  update.waiting = worker;
  update.apply = () => {
    update.applying = true;
    worker.postMessage('skip-waiting');
  };
  dispatchEvent(new CustomEvent('ilt-update-available'));
}

// Ask the active service worker to keep this job's module for offline use (the survey module is
// kept from the start; another job's is kept the first time it is opened).
function keepForOffline(reg) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (e) => resolve(e.data);
    reg.active.postMessage({ keep: job }, [channel.port2]);
  });
}

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // The first install also changes the controller: reload only when the person asked.
    if (update.applying) location.reload();
  });
  const registered = navigator.serviceWorker.register('sw.js', { updateViaCache: 'none' }).then((reg) => {
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
  });
  update.offline = registered
    .then(() => navigator.serviceWorker.ready)
    .then(keepForOffline)
    .catch((err) => { console.warn('Offline use is not available in this browser:', err.message); return false; });
} else {
  update.offline = Promise.resolve(false);
}
