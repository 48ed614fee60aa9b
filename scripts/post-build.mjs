// Trunk post_build hook: give the service worker this build's file list and version.
//
// VERSION is a hash of every file's path and bytes, so any change to the app makes a new sw.js,
// which is what makes browsers notice a new release. Runs in Trunk's staging directory.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('post-build: TRUNK_STAGING_DIR is not set (run by Trunk)');
  process.exit(1);
}

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(relative(staging, path).split(sep).join('/'));
  }
})(staging);

const cached = files.filter((f) => f !== 'sw.js');
const hash = createHash('sha256');
for (const f of cached) hash.update(f).update('\0').update(readFileSync(join(staging, f))).update('\0');
const version = hash.digest('hex').slice(0, 16);

const swPath = join(staging, 'sw.js');
const template = readFileSync(swPath, 'utf8');
if (!template.includes('__ILT_PRECACHE__') || !template.includes('__ILT_VERSION__')) {
  console.error('post-build: sw.js has no placeholders to fill');
  process.exit(1);
}
const sw = template
  .replace("'__ILT_VERSION__'", JSON.stringify(version))
  .replace('__ILT_PRECACHE__', JSON.stringify(['./', ...cached]));
writeFileSync(swPath, sw);
console.log(`post-build: service worker version ${version}, ${cached.length} files precached`);
