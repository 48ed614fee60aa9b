// Print the raw and gzipped size of every file in dist/, and fail if the app itself (wasm + js +
// css) is over the budget of 300 KB (300,000 bytes) gzipped. Sizes are exact, so this may fail.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const BUDGET = 300_000;
const rows = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else {
      const bytes = readFileSync(path);
      rows.push({ file: relative(dist, path), raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length });
    }
  }
})(dist);
if (!rows.length) { console.error(`size-report: ${dist} is empty: build first`); process.exit(1); }
const fmt = (n) => n.toLocaleString('en-GB').padStart(11);
console.log(`${'file'.padEnd(48)}${'raw bytes'.padStart(11)}${'gzip -9'.padStart(11)}`);
for (const r of rows) console.log(`${r.file.padEnd(48)}${fmt(r.raw)}${fmt(r.gz)}`);
const app = rows.filter((r) => /\.(wasm|js|css)$/.test(r.file));
const total = (key) => app.reduce((sum, r) => sum + r[key], 0);
console.log(`${'app total (wasm + js + css)'.padEnd(48)}${fmt(total('raw'))}${fmt(total('gz'))}`);
const ok = total('gz') <= BUDGET;
console.log(`size budget: ${total('gz').toLocaleString('en-GB')} of ${BUDGET.toLocaleString('en-GB')} bytes gzipped: ${ok ? 'within budget' : 'OVER BUDGET'}`);
if (!ok) process.exit(1);
