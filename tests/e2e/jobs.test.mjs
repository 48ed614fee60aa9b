// One module per job (ARCHITECTURE.md), checked as a person meets it: each route downloads only
// its own job's module, within its budget, measured from the server's request log; a link to
// another job's page loads that job's module; each job opened once online works offline, on a
// desktop and on a phone; a new release keeps every job that was available offline.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROUTE_BUDGETS, filesOf, jobModules } from '../../scripts/modules.mjs';
import { startServer } from './server.mjs';
import { DIST, axeViolations, launch, openApp, waitForOfflineCopy, waitForServiceWorker } from './harness.mjs';
import { QUESTIONNAIRES, completeScreens, submit } from './survey-flow.mjs';

const PHONE = { width: 375, height: 740 };
const MODULES = jobModules(DIST);
/** File name (relative to dist) → the job whose module it is. */
const JOB_OF_FILE = Object.fromEntries(Object.entries(MODULES).flatMap(([job, m]) => filesOf(m).map((f) => [f, job])));
const gz = (file) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;
const net = /ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR|network error/;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The wasm, js and css files the log holds (once each), optionally only those asked by `by`. */
function requested(server, by) {
  const files = server.log.filter((e) => !by || e.by === by).map((e) => e.path.replace(/^\//, ''));
  return [...new Set(files)].filter((f) => /\.(wasm|js|css)$/.test(f)).sort();
}

const heading = (page, text) => page.locator('main h1', { hasText: text }).first().waitFor({ timeout: 20000 });

async function loadHwePreset(page) {
  await page.selectOption('#cost-preset', 'hwe-table-3');
  await page.click('#cost-preset-apply');
  await page.locator('[data-result="total-cost"] dd', { hasText: '£238,000' }).waitFor({ timeout: 20000 });
}

async function loadDemoData(page) {
  await page.click('#load-demo');
  for (const n of [2, 7, 8, 9, 10]) await page.locator(`#figure-${n} canvas.ilt-chart`).waitFor({ timeout: 20000 });
  assert.match(await page.textContent('#synthetic-banner'), /Synthetic demo data/);
}

async function loadProgrammeDemo(page) {
  await page.click('#load-demo');
  for (const n of [3, 4, 5, 6]) await page.locator(`#figure-${n} canvas.ilt-chart`).waitFor({ timeout: 20000 });
  assert.match(await page.textContent('#synthetic-banner'), /Synthetic demo data/);
  assert.equal((await page.textContent('#held-activities')).trim(), '2,562');
}

const ROUTES = [
  {
    job: 'survey', what: 'a survey link, up to its first question',
    async open(app) {
      await app.goto('?icb=hwe&wave=baseline&lock=icb#/survey');
      await app.page.getByRole('button', { name: 'Start now' }).click();
      await heading(app.page, 'About you');
      await app.page.locator('main fieldset input').first().waitFor();
    },
  },
  {
    job: 'costs', what: '#/costs, up to the first results',
    async open(app) { await app.goto('#/costs'); await app.page.locator('[data-result="total-cost"] dd').waitFor(); },
  },
  {
    job: 'evaluator', what: '#/evaluator, up to the import controls',
    async open(app) { await app.goto('#/evaluator'); await app.page.locator('#load-demo').waitFor(); },
  },
  {
    job: 'log', what: '#/log, up to its first form',
    async open(app) { await app.goto('#/log'); await app.page.locator('#f-lead').waitFor(); },
  },
  {
    job: 'programme', what: '#/programme, up to the import controls',
    async open(app) { await app.goto('#/programme'); await app.page.locator('#load-demo').waitFor(); },
  },
];

describe('one module per job', () => {
  for (const route of ROUTES) test(`${route.what}: only the ${route.job} module, within ${ROUTE_BUDGETS[route.job].toLocaleString('en-GB')} bytes gzipped`, async () => {
    const server = await startServer({ root: DIST });
    const app = await openApp(browser, { server });
    try {
      await route.open(app);
      // Let the service worker finish keeping this job for offline use, so its fetches are in the
      // log too.
      await waitForServiceWorker(app.page);
      await waitForOfflineCopy(app.page);
      const byPage = requested(server, 'page');
      const all = requested(server);
      const jobsAsked = new Set(all.map((f) => JOB_OF_FILE[f]).filter(Boolean));
      assert.ok(byPage.includes(MODULES[route.job].wasm) && byPage.includes(MODULES[route.job].js), `the ${route.job} module is loaded`);
      // The survey route (page and service worker alike) asks for no file of another job; the
      // other jobs ask for none of each other's. The service worker keeps the survey module (Home,
      // Privacy, the survey) on every device: that is the one other module a calculator or
      // evaluator visit fetches, in the background, after the page is ready.
      const allowed = route.job === 'survey' ? ['survey'] : [route.job, 'survey'];
      assert.deepEqual([...jobsAsked].filter((j) => !allowed.includes(j)), [], `files of other jobs: ${all.join(' ')}`);
      assert.deepEqual(byPage.map((f) => JOB_OF_FILE[f]).filter((j) => j && j !== route.job), [], `the page asked for another job's module: ${byPage.join(' ')}`);
      const counted = route.job === 'survey' ? all : byPage;
      const total = counted.reduce((s, f) => s + gz(f), 0);
      const background = all.filter((f) => !counted.includes(f));
      console.log(`route ${route.job} (${route.what}): ${total.toLocaleString('en-GB')} of ${ROUTE_BUDGETS[route.job].toLocaleString('en-GB')} bytes gzipped requested: ${counted.join(', ')}`
        + (background.length ? `; then kept offline by the service worker in the background: ${background.reduce((s, f) => s + gz(f), 0).toLocaleString('en-GB')} bytes (${background.join(', ')})` : ''));
      assert.ok(total <= ROUTE_BUDGETS[route.job], `${route.job}: ${total} bytes gzipped is over the budget of ${ROUTE_BUDGETS[route.job]}`);
      assert.deepEqual(server.missing, []);
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); await server.close(); }
  });

  test("a link to another job's page loads that job's module; Back returns to the last one", async () => {
    const server = await startServer({ root: DIST });
    const app = await openApp(browser, { server });
    const wasmAsked = () => requested(server, 'page').filter((f) => f.endsWith('.wasm')).map((f) => JOB_OF_FILE[f]);
    try {
      await app.goto('#/');
      assert.deepEqual(wasmAsked(), ['survey']);
      await app.page.click('nav >> text=Cost calculator');
      await heading(app.page, 'Cost calculator');
      await app.page.locator('[data-result="total-cost"] dd').waitFor();
      assert.ok(wasmAsked().includes('costs'));
      assert.equal(await app.page.title(), 'Cost calculator – Integration Lead Toolkit');
      await app.page.click('nav >> text=Evaluator');
      await heading(app.page, 'Evaluator workspace');
      await app.page.locator('#load-demo').waitFor();
      assert.deepEqual(new Set(wasmAsked()), new Set(['survey', 'costs', 'evaluator']));
      await app.page.click('nav >> text=Programme view');
      await heading(app.page, 'Programme view');
      await app.page.locator('#load-demo').waitFor();
      assert.deepEqual(new Set(wasmAsked()), new Set(['survey', 'costs', 'evaluator', 'programme']));
      assert.equal(await app.page.title(), 'Programme view – Integration Lead Toolkit');
      await app.page.goBack();
      await heading(app.page, 'Evaluator workspace');
      await app.page.locator('#load-demo').waitFor();
      await app.page.goBack();
      await heading(app.page, 'Cost calculator');
      await app.page.locator('[data-result="total-cost"] dd').waitFor();
      await app.page.click('.ilt-header__service-name');
      await heading(app.page, 'Integration Lead Toolkit');
      await app.page.click('main >> text=Answer a survey');
      await app.page.getByRole('button', { name: 'Start now' }).waitFor();
      assert.equal(new URL(app.page.url()).hash, '#/survey');
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); await server.close(); }
  });
});

/** Open each job online once, and wait until the service worker has kept it. */
async function openEveryJobOnline(app) {
  for (const hash of ['#/survey', '#/costs', '#/log', '#/programme', '#/evaluator']) {
    await app.goto(hash);
    await waitForServiceWorker(app.page);
    await waitForOfflineCopy(app.page);
  }
}

/** With the network off: a survey is answered and submitted, a preset loaded, demo data shown,
 *  the activity log opened (tests/e2e/log.test.mjs uses it offline in full). */
async function useEveryJob(app, what) {
  await app.goto('#/survey');
  await completeScreens(app.page, QUESTIONNAIRES.pharmacyBaseline);
  const reference = await submit(app.page);
  assert.match(reference, /\S/, `${what}: a reference after Submit`);
  await app.goto('#/costs');
  await loadHwePreset(app.page);
  assert.deepEqual(await axeViolations(app.page), [], `${what}: calculator`);
  await app.goto('#/programme');
  await loadProgrammeDemo(app.page);
  assert.deepEqual(await axeViolations(app.page), [], `${what}: programme view`);
  const wide = await app.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(wide <= 0, `${what}: the programme view scrolls sideways by ${wide}px`);
  await app.goto('#/evaluator');
  await loadDemoData(app.page);
  assert.deepEqual(await axeViolations(app.page), [], `${what}: evaluator`);
  const { scroll, client } = await app.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${what}: evaluator is ${scroll}px wide on a ${client}px screen`);
  await app.goto('#/log');
  await heading(app.page, 'Your details');
  assert.deepEqual(await axeViolations(app.page), [], `${what}: activity log`);
}

describe('offline, per job', () => {
  for (const [name, viewport] of [['desktop', { width: 1024, height: 768 }], ['phone', PHONE]]) {
    test(`each job opened once online reloads and works with the server stopped (${name})`, { timeout: 180000 }, async () => {
      const server = await startServer({ root: DIST });
      const app = await openApp(browser, { server, viewport });
      try {
        await openEveryJobOnline(app);
        await server.close();
        await app.context.setOffline(true);
        await useEveryJob(app, `offline on a ${name}`);
        assert.deepEqual(app.errors.filter((e) => !net.test(e)), []);
      } finally { await app.close(); await server.close().catch(() => {}); }
    });
  }

  test('a new release keeps every job that was available offline available offline', { timeout: 180000 }, async () => {
    const server = await startServer({ root: DIST });
    const app = await openApp(browser, { server });
    try {
      await openEveryJobOnline(app);
      const cacheFiles = () => app.page.evaluate(async () => {
        const out = {};
        for (const key of await caches.keys()) {
          out[key] = (await (await caches.open(key)).keys()).map((r) => new URL(r.url).pathname.split('/').pop());
        }
        return out;
      });
      server.nextRelease();
      await app.page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      await app.page.waitForSelector('#update-banner', { timeout: 20000 });
      await Promise.all([app.page.waitForEvent('load', { timeout: 20000 }), app.page.click('text=Use the new version')]);
      await heading(app.page, 'Evaluator workspace');
      // Only the new release's cache is left, and it holds every module the old one kept.
      let caches = {};
      for (let i = 0; i < 50; i++) {
        caches = await cacheFiles();
        if (Object.keys(caches).length === 1) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const keys = Object.keys(caches);
      assert.equal(keys.length, 1, `one cache after the update: ${keys.join(' | ')}`);
      assert.match(keys[0], /-next1 /, 'the new release');
      for (const [job, m] of Object.entries(MODULES)) {
        for (const f of filesOf(m)) assert.ok(caches[keys[0]].includes(f), `the ${job} module's ${f} is kept by the new release`);
      }
      await server.close();
      await app.context.setOffline(true);
      await useEveryJob(app, 'offline after an update');
      assert.deepEqual(app.errors.filter((e) => !net.test(e)), []);
    } finally { await app.close(); await server.close().catch(() => {}); }
  });
});
