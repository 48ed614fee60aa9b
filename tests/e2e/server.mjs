// A minimal static server for dist/ on 127.0.0.1, for the end-to-end tests only.
//
// startServer({ port }) serves the release build. `server.nextRelease()` makes it serve a sw.js
// with a different version, which is what a browser sees when a new release is deployed; the tests
// use it to check the "new version available" flow. `server.requests` lists every path asked for,
// `server.log` the same with who asked (`page`, or `service worker` for the worker's own fetches,
// which carry an X-ILT-Service-Worker header), `server.missing` those that were not found. With `prefix` ('/toolkit/') the build is served from
// that folder, as on a host where the app does not live at the root.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.md': 'text/markdown; charset=utf-8',
};

export async function startServer({ root, port = 0, prefix = '/' }) {
  let release = 0;
  const requests = [];
  const log = [];
  const missing = [];
  const server = createServer(async (req, res) => {
    const full = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(full);
    log.push({ path: full, by: req.headers['x-ilt-service-worker'] ? 'service worker' : 'page' });
    if (!full.startsWith(prefix)) { missing.push(full); res.writeHead(404).end(); return; }
    const path = `/${full.slice(prefix.length)}`;
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(root)) { res.writeHead(403).end(); return; }
    try {
      let body = await readFile(file);
      if (path === '/sw.js' && release > 0) {
        // The release version is the one quoted 16-hex-digit string in the (minified) sw.js.
        const next = body.toString().replace(/(["'])([0-9a-f]{16})\1/, `$1$2-next${release}$1`);
        if (next === body.toString()) throw new Error('sw.js has no version to change');
        body = Buffer.from(next);
      }
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
      res.end(body);
    } catch {
      missing.push(full);
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}${prefix}`,
    requests,
    log,
    missing,
    nextRelease() { release += 1; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
