// Trunk post_build hook: minify the JavaScript, name every job's module by its content, tell
// boot.js where each module is, and give the service worker this build's file lists and version.
// Runs in Trunk's staging directory, after index.html is written.
//
// Trunk builds the survey module as the page's main Rust link (hashed names, written into the
// boot script tag by Trunk.toml's pattern_script) and every other job's module as a "worker"
// link, which keeps the plain names `<job>.js` / `<job>_bg.wasm`. Here those become
// `<job>-<hash>.js` / `<job>-<hash>_bg.wasm` (so a host's HTTP cache can never mix two releases)
// and are added to the boot script tag as `data-<job>-js` / `data-<job>-wasm`.
//
// JavaScript is minified with terser (npm, in style/): wasm-bindgen's glue, boot.js and sw.js are
// written for people, and every byte counts against a route's budget. Trunk's own JS minifier
// leaves wasm-bindgen's glue as it is.
//
// VERSION is a hash of every file's path and bytes, so any change to the app makes a new sw.js,
// which is what makes browsers notice a new release.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bootTag, filesOf, modulesOf } from './modules.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { minify } = createRequire(join(root, 'style', 'package.json'))('terser');
const staging = process.env.TRUNK_STAGING_DIR;
const fail = (message) => { console.error(`post-build: ${message}`); process.exit(1); };
if (!staging) fail('TRUNK_STAGING_DIR is not set (run by Trunk)');

/** Minify a JavaScript file in place (`module`: an ES module, else a classic script). */
async function minifyFile(path, module) {
  const source = readFileSync(path, 'utf8');
  const out = await minify(source, { module, compress: { passes: 2 }, mangle: true, format: { comments: false } });
  if (!out.code) fail(`terser gave nothing for ${path}`);
  writeFileSync(path, out.code);
}

// 1. Every job module's glue and boot.js are ES modules; minify them first, so names are hashed
//    from what is served.
for (const name of readdirSync(staging)) {
  if (name.endsWith('.js') && name !== 'sw.js') await minifyFile(join(staging, name), true);
}

// 2. Content-hashed names for the modules Trunk left unhashed.
const named = {};
for (const name of readdirSync(staging).sort()) {
  const job = /^([a-z]+)_bg\.wasm$/.exec(name)?.[1];
  if (!job) continue;
  const js = `${job}.js`;
  const hash = createHash('sha256')
    .update(readFileSync(join(staging, js))).update('\0').update(readFileSync(join(staging, name)))
    .digest('hex').slice(0, 16);
  named[job] = { js: `${job}-${hash}.js`, wasm: `${job}-${hash}_bg.wasm` };
  renameSync(join(staging, js), join(staging, named[job].js));
  renameSync(join(staging, name), join(staging, named[job].wasm));
}

// 3. Tell boot.js where each module is (beside the survey module's names, which Trunk wrote).
const indexPath = join(staging, 'index.html');
let html = readFileSync(indexPath, 'utf8');
const { tag, attrs } = bootTag(html);
const base = attrs.src.slice(0, -'boot.js'.length);
if (!attrs['data-survey-js'] || !attrs['data-survey-wasm']) fail('the boot.js script tag has no data-survey-js / data-survey-wasm');
// A job's Web Worker script (public/<job>-worker.js) is that job's file, not the frame's.
const worker = (job) => (existsSync(join(staging, `${job}-worker.js`)) ? ` data-${job}-worker="${base}${job}-worker.js"` : '');
const added = Object.entries(named).map(([job, f]) => ` data-${job}-js="${base}${f.js}" data-${job}-wasm="${base}${f.wasm}"${worker(job)}`).join('');
html = html.replace(tag, tag.replace(/\/?>$/, `${added}>`));
writeFileSync(indexPath, html);
const modules = modulesOf(html);

// 4. The service worker: the frame and the survey module are kept on install; every other job's
//    module when it is first opened.
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(relative(staging, path).split(sep).join('/'));
  }
})(staging);
for (const [job, f] of Object.entries(modules)) {
  for (const file of filesOf(f)) if (!files.includes(file)) fail(`module ${job}: ${file} is not in the build`);
}
const otherJobs = new Set(Object.entries(modules).filter(([job]) => job !== 'survey').flatMap(([, f]) => filesOf(f)));
const cached = files.filter((f) => f !== 'sw.js');
const hash = createHash('sha256');
for (const f of cached) hash.update(f).update('\0').update(readFileSync(join(staging, f))).update('\0');
const version = hash.digest('hex').slice(0, 16);

const swPath = join(staging, 'sw.js');
const template = readFileSync(swPath, 'utf8');
for (const mark of ['__ILT_PRECACHE__', '__ILT_VERSION__', '__ILT_MODULES__']) {
  if (!template.includes(mark)) fail(`sw.js has no ${mark} to fill`);
}
const moduleFiles = Object.fromEntries(Object.entries(modules).map(([job, f]) => [job, filesOf(f)]));
writeFileSync(swPath, template
  .replace("'__ILT_VERSION__'", JSON.stringify(version))
  .replace('__ILT_PRECACHE__', JSON.stringify(['./', ...cached.filter((f) => !otherJobs.has(f))]))
  .replace('__ILT_MODULES__', JSON.stringify(moduleFiles)));
await minifyFile(swPath, false);
console.log(`post-build: modules ${Object.keys(modules).sort().join(', ')}; service worker version ${version}, ${cached.length - otherJobs.size} files precached`);
