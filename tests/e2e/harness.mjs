// Shared set-up for the end-to-end tests: Debian's Chromium driven by playwright-core, the release
// build served on 127.0.0.1, and checks every test wants (console errors, foreign requests, axe).
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = process.env.ILT_DIST ?? join(here, '..', '..', 'dist');
const require = createRequire(import.meta.url);
export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Every page, with the job whose module draws it (see src/routes.rs, `Route::job`). */
export const ROUTES = [
  { hash: '#/', heading: 'Integration Lead Toolkit', job: 'survey' },
  { hash: '#/survey', heading: null, job: 'survey' },
  { hash: '#/costs', heading: 'Cost calculator', job: 'costs' },
  { hash: '#/evaluator', heading: 'Evaluator workspace', job: 'evaluator' },
  // A new device: the log asks for the Lead's details first.
  { hash: '#/log', heading: 'Your details', job: 'log' },
  { hash: '#/programme', heading: 'Programme view', job: 'programme' },
  { hash: '#/privacy', heading: 'Privacy: your data stays on this device', job: 'survey' },
];

/** The job whose module boot.js starts for a fragment (the same rule as public/boot.js). */
export function jobOf(hash) {
  const page = /^#\/([^/?]*)/.exec(hash)?.[1] ?? '';
  return { costs: 'costs', evaluator: 'evaluator', log: 'log', programme: 'programme' }[page] ?? 'survey';
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A fresh browser profile on a freshly started server, with watchers for errors and requests. */
export async function openApp(browser, { viewport = { width: 1024, height: 768 }, server } = {}) {
  const srv = server ?? (await startServer({ root: DIST }));
  const context = await browser.newContext({ viewport, acceptDownloads: true, serviceWorkers: 'allow' });
  const errors = [];
  const foreign = [];
  const origin = new URL(srv.url).origin;
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin) foreign.push(url);
  });
  // A blocked resource or inline style/script is a bug: surface CSP violations as console errors.
  await context.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) =>
    console.error(`Content-Security-Policy violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample}`)));
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  let shownJob = null; // the job whose module the last goto() opened
  return {
    server: srv, context, page, errors, foreign,
    /** Open a page. Another job's page is another module: load it afresh (a fragment change
     *  would reload the page a moment later, and the old page's heading would still be read). */
    async goto(hash = '#/') {
      const job = jobOf(hash);
      if (shownJob && shownJob !== job) await page.goto('about:blank');
      await page.goto(srv.url + hash);
      shownJob = job;
      await page.waitForSelector('main#maincontent h1', { timeout: 20000 });
    },
    async close() { await context.close(); if (!server) await srv.close(); },
  };
}

/** Run axe-core (WCAG 2.0–2.2 A and AA rules) and return its violations, summarised. */
export async function axeViolations(page) {
  // page.evaluate is not subject to the page's CSP, so axe runs against the real policy.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  return violations;
}

/** Wait until the service worker has kept the module of the page's job for offline use. */
export async function waitForOfflineCopy(page) {
  const kept = await page.evaluate(() => window.iltUpdate?.offline);
  if (kept !== true) throw new Error(`the service worker did not keep this job for offline use (${kept})`);
}

/** Wait until a service worker controls the page (after the first online visit). */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}
