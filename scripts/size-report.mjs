// Print the raw and gzipped size of every file in dist/, each job module, and what each route
// downloads: the app frame (every js and css file that is not a job module: boot.js, sw.js, the
// style sheet) plus the module of the job that owns the route. Fails if a route is over its
// budget (gzip -9 bytes; exact, so this may fail). The sum of all modules is printed, not capped:
// nobody downloads it. The end-to-end tests measure the same routes from the server's request log.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROUTE_BUDGETS, filesOf, jobModules } from './modules.mjs';

const dist = process.argv[2] ?? 'dist';
const rows = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else {
      const bytes = readFileSync(path);
      rows.push({ file: relative(dist, path).split(sep).join('/'), raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length });
    }
  }
})(dist);
if (!rows.length) { console.error(`size-report: ${dist} is empty: build first`); process.exit(1); }
const size = Object.fromEntries(rows.map((r) => [r.file, r]));
const fmt = (n) => n.toLocaleString('en-GB').padStart(11);
const line = (label, raw, gz) => console.log(`${label.padEnd(52)}${fmt(raw)}${fmt(gz)}`);
const sum = (files, key) => files.reduce((s, f) => s + size[f][key], 0);

console.log(`${'file'.padEnd(52)}${'raw bytes'.padStart(11)}${'gzip -9'.padStart(11)}`);
for (const r of rows) line(r.file, r.raw, r.gz);

const modules = jobModules(dist);
const moduleFiles = new Set(Object.values(modules).flatMap(filesOf));
for (const f of moduleFiles) if (!size[f]) { console.error(`size-report: ${f} is named in index.html but missing`); process.exit(1); }
const frame = rows.filter((r) => /\.(wasm|js|css)$/.test(r.file) && !moduleFiles.has(r.file)).map((r) => r.file);
console.log('');
line(`app frame (${frame.join(', ')})`, sum(frame, 'raw'), sum(frame, 'gz'));
for (const [job, m] of Object.entries(modules)) line(`module ${job} (js + wasm${m.worker ? ' + worker' : ''})`, sum(filesOf(m), 'raw'), sum(filesOf(m), 'gz'));
const all = [...moduleFiles];
line('all modules together (nobody downloads this)', sum(all, 'raw'), sum(all, 'gz'));

console.log('');
let over = false;
for (const [job, budget] of Object.entries(ROUTE_BUDGETS)) {
  const m = modules[job];
  if (!m) { console.error(`size-report: no ${job} module in ${dist}/index.html`); process.exit(1); }
  const gz = sum([...frame, ...filesOf(m)], 'gz');
  const ok = gz <= budget;
  over ||= !ok;
  console.log(`route ${job.padEnd(10)} frame + ${job} module: ${gz.toLocaleString('en-GB')} of ${budget.toLocaleString('en-GB')} bytes gzipped: ${ok ? 'within budget' : 'OVER BUDGET'}`);
}
for (const job of Object.keys(modules)) {
  if (!(job in ROUTE_BUDGETS)) { console.error(`size-report: module ${job} has no route budget`); over = true; }
}
if (over) process.exit(1);
