// Compile style/main.scss (NHS.UK frontend + app rules) to target/ilt-style/app.css.
// Run by Trunk as a pre_build hook, from the project root. Uses the `sass` npm package (dart-sass
// compiled to JavaScript), so no binary is downloaded.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'style', 'package.json'));
const sass = require('sass');
const { PurgeCSS } = require('purgecss');

const result = sass.compile(join(root, 'style', 'main.scss'), {
  loadPaths: [join(root, 'style', 'node_modules'), join(root, 'style')],
  style: 'compressed',
  sourceMap: false,
  quietDeps: true,
});
// Keep only the rules whose class names appear in the app's source (PurgeCSS): the full NHS.UK
// core is ~26 KB gzipped, the app uses a fraction of it. Class names must therefore appear
// literally in src/, index.html or public/ (not built with format!), except the patterns below.
const [purged] = await new PurgeCSS().purge({
  content: [join(root, 'src', '**', '*.rs'), join(root, 'index.html'), join(root, 'public', '*.js')],
  css: [{ raw: result.css }],
  safelist: { standard: [/^nhsuk-input--width-/, /^nhsuk-grid-column-/, /^ilt-/] },
  defaultExtractor: (content) => content.match(/[A-Za-z0-9_-]+/g) || [],
});
const css = purged.css;
const out = join(root, 'target', 'ilt-style');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets', 'images'), { recursive: true });
// Copy every icon the stylesheet refers to (assets/images/...) from the package, and fail loudly
// if one is missing rather than 404 at run time.
const pkgAssets = join(root, 'style', 'node_modules', 'nhsuk-frontend', 'dist', 'nhsuk', 'assets');
const urls = new Set([...css.matchAll(/url\("?([^)"]*)"?\)/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:')));
for (const url of urls) {
  const rel = url.replace(/^assets\//, '');
  if (rel === url || !existsSync(join(pkgAssets, rel))) {
    console.error(`build-css: the stylesheet refers to ${url}, which nhsuk-frontend does not ship`);
    process.exit(1);
  }
  copyFileSync(join(pkgAssets, rel), join(out, 'assets', rel));
}
writeFileSync(join(out, 'app.css'), css);
console.log(`build-css: target/ilt-style/app.css, ${css.length} bytes (${result.css.length} before removing unused rules)`);
