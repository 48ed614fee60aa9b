// Service worker: makes the app load and work with no network after one visit.
//
// scripts/post-build.mjs fills in VERSION (a hash of every file in the build) and PRECACHE (the
// list of those files). A new release therefore has a new sw.js; the browser installs it beside the
// old one and it waits. The page shows "A new version is available"; the new version takes over
// only when the person agrees (the page sends "skip-waiting") or when every tab has been closed
// (the next start). The old cache is deleted only once the new version is active, so a device is
// never left with a half-downloaded release.
const VERSION = '__ILT_VERSION__';
const PRECACHE = __ILT_PRECACHE__;
// Named by folder too: two copies of the toolkit on one web host (https://host/a/, https://host/b/)
// never delete each other's offline copy.
const SCOPE = self.registration.scope;
const CACHE = `ilt-${VERSION} ${SCOPE}`;
const ours = (key) => key.startsWith('ilt-') && (key.endsWith(` ${SCOPE}`) || !key.includes(' '));

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => ours(k) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  if (event.data === 'version' && event.ports[0]) event.ports[0].postMessage(VERSION);
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
