// Service worker: makes the app load and work with no network after one visit.
//
// scripts/post-build.mjs fills in VERSION (a hash of every file in the build), PRECACHE (the app
// frame and the survey module: what every visit needs) and MODULES (each job's module files). A
// new release therefore has a new sw.js; the browser installs it beside the old one and it waits.
// The page shows "A new version is available"; the new version takes over only when the person
// agrees (the page sends "skip-waiting") or when every tab has been closed (the next start). The
// old cache is deleted only once the new version is active, so a device is never left with a
// half-downloaded release.
//
// One module per job (ARCHITECTURE.md): another job's module is kept the first time it is opened
// (the page sends {keep: job}), and a new release fetches the new copy of every module the old
// release kept, before it takes over: what worked offline keeps working offline.
const VERSION = '__ILT_VERSION__';
const PRECACHE = __ILT_PRECACHE__;
const MODULES = __ILT_MODULES__;
// Named by folder too: two copies of the toolkit on one web host (https://host/a/, https://host/b/)
// never delete each other's offline copy.
const SCOPE = self.registration.scope;
const CACHE = `ilt-${VERSION} ${SCOPE}`;
const ours = (key) => key.startsWith('ilt-') && (key.endsWith(` ${SCOPE}`) || !key.includes(' '));
// A module's wasm file: `<job>-<hash>_bg.wasm` (scripts/post-build.mjs names them so).
const moduleOf = (url) => /\/([a-z]+)-[0-9a-f]+_bg\.wasm$/.exec(new URL(url).pathname)?.[1];
// Fetched by the service worker, not the page (the e2e server's request log tells them apart).
const fresh = (path) => new Request(path, { cache: 'reload', headers: { 'X-ILT-Service-Worker': '1' } });

/** The jobs whose modules an older release of this copy kept for offline use. */
async function modulesKeptBefore() {
  const kept = new Set();
  for (const key of await caches.keys()) {
    if (!ours(key) || key === CACHE) continue;
    for (const request of await (await caches.open(key)).keys()) {
      const job = moduleOf(request.url);
      if (job && MODULES[job]) kept.add(job);
    }
  }
  return [...kept];
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const kept = await modulesKeptBefore();
    const files = new Set([...PRECACHE, ...kept.flatMap((job) => MODULES[job])]);
    await (await caches.open(CACHE)).addAll([...files].map(fresh));
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => ours(k) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

/** Keep a job's module files in this release's cache (those already there are not fetched again). */
async function keep(job) {
  const files = MODULES[job];
  if (!files) return false;
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const path of files) if (!(await cache.match(path))) missing.push(path);
  await cache.addAll(missing.map(fresh));
  return true;
}

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  if (event.data === 'version' && event.ports[0]) event.ports[0].postMessage(VERSION);
  if (event.data?.keep) {
    const done = keep(event.data.keep).catch(() => false)
      .then((ok) => event.ports[0]?.postMessage(ok));
    event.waitUntil(done);
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Every page of the app is index.html (routes live in the URL fragment); query strings such
    // as survey links (?icb=...) must not miss the cache.
    event.respondWith(
      caches.open(CACHE)
        .then((cache) => cache.match('index.html'))
        .then((cached) => cached || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE)
      .then((cache) => cache.match(request, { ignoreSearch: true }))
      .then((cached) => cached || fetch(request)),
  );
});
