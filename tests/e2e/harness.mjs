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
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const ROUTES = [
  { hash: '#/', heading: 'Integration Lead Toolkit' },
  { hash: '#/survey', heading: null },
  { hash: '#/costs', heading: null },
  { hash: '#/evaluator', heading: null },
  { hash: '#/privacy', heading: 'Privacy: your data stays on this device' },
];

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
  return {
    server: srv, context, page, errors, foreign,
    async goto(hash = '#/') {
      await page.goto(srv.url + hash);
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

/** Wait until a service worker controls the page (after the first online visit). */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}
