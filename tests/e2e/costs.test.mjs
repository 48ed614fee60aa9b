// End-to-end checks of the cost calculator on the release build: a preset reproduces the
// evaluation's figures; the share of the extra referrals due to the Leads is a visible input with
// the report's reason beside it, and the value preset gives the report's 700 referrals and
// £32,000 whichever way the referrals are entered; results follow typing; a bad value shows an inline error and the last good
// results stay; scenarios are saved, compared, kept across a reload, renamed, duplicated, deleted,
// opened from a link and exported as CSV; the tornado, break-even and histogram charts draw, with
// their tables and PNG downloads; the Monte Carlo run is reproducible from its seed; a long run
// (200,000 draws on a slowed CPU) shows a progress bar that moves as the run goes on (the page
// draws between slices; its longest task is printed), starts no second run and gives the same
// result. Every state shown is checked with axe-core and for
// console errors.
//
// Benchmarks (printed, never asserted): the browser's time for 100,000 Monte Carlo draws and one
// recompute, and the native figure from `cargo run --release --bin bench_costing` as a ratio. Both
// run the same case (the Hertfordshire and West Essex preset with the ranges the page suggests,
// seed 7; the test asserts both give the same results) and report the best of the same number
// of runs after a warm-up. The long run prints its time, the throttling and its longest task.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { axeViolations, launch, openApp } from './harness.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const result = (page, key) => page.textContent(`[data-result="${key}"] dd`).then((t) => t.trim());

/** "−£229,669" → -229669 */
const money = (text) => Number(text.trim().replace('\u2212', '-').replace(/[£,]/g, ''));

async function noViolations(page, state) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${state}: ${JSON.stringify(violations, null, 1)}`);
}

async function loadHwe(page) {
  await page.selectOption('#cost-preset', 'hwe-table-3');
  await page.click('#cost-preset-apply');
  await page.waitForFunction(() => document.querySelector('[data-result="total-cost"] dd')?.textContent === '£238,000');
}

async function saveScenario(page, name) {
  await page.fill('#scenario-name', name);
  await page.click('#scenario-save');
  await page.waitForSelector(`li.ilt-scenario[data-scenario="${name}"]`);
}

describe('cost calculator', () => {
  test('a preset gives the evaluation figures; results follow typing; a bad value keeps the last good results', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/costs');
      assert.equal((await app.page.textContent('main h1')).trim(), 'Cost calculator');
      // The menu lists every job.
      const links = await app.page.$$eval('nav a', (as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(links, ['#/', '#/survey', '#/costs', '#/evaluator', '#/log', '#/programme', '#/privacy']);
      await noViolations(app.page, 'first view');

      await loadHwe(app.page);
      assert.equal(await result(app.page, 'total-cost'), '£238,000');
      assert.equal(await result(app.page, 'cost-per-lead'), '£7,677');
      assert.match(await app.page.textContent('#cost-summary'), /31 Leads cost £238,000 \(£7,677 per Lead\)/);
      assert.match(await app.page.textContent('#cost-summary'), /capacity, not cash/);
      assert.match(await app.page.textContent('#cost-results-list'), /GP capacity freed \(not cash\)/);
      assert.match(await app.page.textContent('#cost-notice'), /Hertfordshire and West Essex/);
      // The cost by line and year table adds up to the same total.
      assert.match(await app.page.textContent('#cost-by-year'), /£161,000[\s\S]*£44,000[\s\S]*£33,000[\s\S]*£238,000/);
      await noViolations(app.page, 'preset loaded');

      // 20 Leads at the same average claim: 20 × £5,193.55 + £44,000 + £33,000.
      await app.page.fill('#cost-n', '20');
      await app.page.waitForFunction(() => document.querySelector('[data-result="total-cost"] dd').textContent === '£180,871');

      for (const [bad, message] of [['abc', /Number of Leads must be a number/], ['-3', /Number of Leads/], ['5000000', /Number of Leads/], ['2.5', /whole number/]]) {
        await app.page.fill('#cost-n', bad);
        await app.page.waitForSelector('#cost-n-error');
        assert.match(await app.page.textContent('#cost-n-error'), message, `message for ${bad}`);
        assert.match(await app.page.textContent('.nhsuk-error-summary'), message);
        assert.ok(await app.page.isVisible('#cost-stale'), 'says the results are from the last valid figures');
        assert.equal(await result(app.page, 'total-cost'), '£180,871', `last good result kept after ${bad}`);
        assert.equal(await app.page.getAttribute('#cost-n', 'aria-describedby'), 'cost-n-hint cost-n-error');
        // Typing was not interrupted: focus stays in the field.
        assert.equal(await app.page.evaluate(() => document.activeElement.id), 'cost-n');
      }
      await noViolations(app.page, 'inline error');
      // The summary's link moves focus to the field without changing the route.
      await app.page.focus('#cost-preset');
      await app.page.click('.nhsuk-error-summary a');
      await app.page.waitForFunction(() => document.activeElement?.id === 'cost-n');
      assert.equal(new URL(app.page.url()).hash, '#/costs');

      await app.page.fill('#cost-n', '31');
      await app.page.waitForFunction(() => !document.querySelector('#cost-n-error') && !document.querySelector('.nhsuk-error-summary'));
      assert.equal(await result(app.page, 'total-cost'), '£238,000');
      assert.equal(await app.page.isVisible('#cost-stale'), false);

      // A choice hides the fields it makes irrelevant and changes the result.
      await app.page.check('#cost-fee-model-0');
      await app.page.waitForSelector('#cost-dr');
      assert.equal(await app.page.isVisible('#cost-hc'), false);
      assert.equal(await result(app.page, 'total-cost'), '£275,400'); // 31 × £6,400 + £44,000 + £33,000
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('the share due to the Leads is visible with its reason; the value preset gives the report\'s 700 referrals and £32,000', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/costs');
      // A visible, labelled input at the cautious default, with the report's words and line beside it.
      assert.ok(await app.page.isVisible('label[for="cost-at"]'));
      assert.match(await app.page.textContent('label[for="cost-at"]'), /Share of the extra referrals due to the Leads/);
      assert.equal(await app.page.inputValue('#cost-at'), '50');
      assert.ok(await app.page.isVisible('#cost-attribution-reason'));
      const reason = await app.page.textContent('#cost-attribution-reason');
      assert.match(reason, /Why 50%\?/);
      assert.match(reason, /“It cannot be assumed that this increase was all due to Lead roles” \(Costs section, line 502\)/);
      assert.match(reason, /\(line 717\)/);
      assert.equal(await result(app.page, 'attribution'), '50%');
      // The slow start: a visible input with its source, and year 1's value shown apart.
      assert.equal(await app.page.inputValue('#cost-ru'), '70');
      assert.match(await app.page.textContent('#cost-ru-hint'), /6 to 9 months[\s\S]*line 268/);
      assert.match(await app.page.textContent('[data-result="first-year-value"]'), /slow start: 70% of a full year/);
      await noViolations(app.page, 'share due to the Leads and slow start');

      // The report's value: Table 3's costs, then the value preset.
      await loadHwe(app.page);
      assert.match(await app.page.textContent('#cost-notice'), /share of the extra referrals due to the Leads stays at 50%/);
      await app.page.selectOption('#cost-preset', 'value-example');
      await app.page.click('#cost-preset-apply');
      await app.page.waitForFunction(() => document.querySelector('[data-result="value"] dd')?.textContent === '£32,000');
      assert.equal(await result(app.page, 'extra-referrals'), '700');
      assert.equal(await result(app.page, 'referrals'), '700');
      assert.equal(await result(app.page, 'attribution'), '100%');
      assert.equal(await result(app.page, 'net-benefit'), '−£206,000');
      assert.equal(await app.page.locator('[data-result="first-year-value"]').count(), 0, 'no slow start: the 700 were counted in year 1');
      assert.equal(await app.page.inputValue('#cost-at'), '100');
      assert.match(await app.page.textContent('#cost-notice'), /puts all of the 700 extra referrals down to the Leads \(100%\), as the report's rough approximation did/);
      // Entered as a rise, the same 700 and £32,000 (5% of 14,000), not 787 and £35,984.
      await app.page.check('#cost-value-mode-0');
      await app.page.waitForSelector('#cost-up');
      assert.equal(await app.page.inputValue('#cost-br'), '14000');
      assert.equal(await app.page.inputValue('#cost-up'), '5');
      assert.equal(await result(app.page, 'extra-referrals'), '700');
      assert.equal(await result(app.page, 'value'), '£32,000');
      // Why the report's counts give different rises.
      await app.page.click('#cost-referral-rises summary');
      const rises = await app.page.textContent('#cost-referral-rises');
      assert.match(rises, /787 referrals, worth £35,984/);
      assert.match(rises, /15,743 before, 787 more, a 5% rise/);
      assert.match(rises, /14,133 before, 1,856 more, a 13.1% rise/);
      await noViolations(app.page, 'value preset');
      // The cautious share halves it.
      await app.page.fill('#cost-at', '50');
      await app.page.waitForFunction(() => document.querySelector('[data-result="value"] dd').textContent === '£16,000');
      await app.page.fill('#cost-at', '150');
      await app.page.waitForSelector('#cost-at-error');
      assert.match(await app.page.textContent('#cost-at-error'), /the Leads cannot account for more than all of the extra referrals/);
      await app.page.fill('#cost-at', '100');
      await app.page.waitForFunction(() => document.querySelector('[data-result="value"] dd').textContent === '£32,000');
      // Monte Carlo: the suggested range for the share is centred below 100%, and says why.
      await app.page.click('#mc-suggest');
      assert.deepEqual(
        await Promise.all(['lowest', 'most-likely', 'highest'].map((p) => app.page.inputValue(`#mc-at-${p}`))),
        ['37.5', '75', '100'],
      );
      assert.match(await app.page.textContent('#mc-attribution'), /centred below 100%[\s\S]*line 502/);
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('scenarios: save two, compare, reload, rename, duplicate, delete, link and CSV', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/costs');
      await app.page.click('#scenario-save');
      await app.page.waitForSelector('#scenario-name-error');
      assert.match(await app.page.textContent('#scenario-name-error'), /Enter a name/);

      await loadHwe(app.page);
      await saveScenario(app.page, 'HWE pilot');
      await app.page.fill('#cost-n', '20');
      await app.page.waitForFunction(() => document.querySelector('[data-result="total-cost"] dd').textContent === '£180,871');
      await saveScenario(app.page, '=SUM(1+1) 20 Leads');

      const hwe = 'li.ilt-scenario[data-scenario="HWE pilot"]';
      const twenty = 'li.ilt-scenario[data-scenario="=SUM(1+1) 20 Leads"]';
      await app.page.check(`${hwe} input[type=checkbox]`);
      await app.page.check(`${twenty} input[type=checkbox]`);
      await app.page.waitForSelector('#scenario-compare-table');
      const rows = await app.page.$$eval('#scenario-compare-table tbody tr', (trs) => trs.map((tr) => ({
        differs: tr.classList.contains('ilt-differs'),
        head: tr.querySelector('th').textContent,
        cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
      })));
      const leads = rows.find((r) => r.head.includes('Number of Leads'));
      assert.ok(leads.differs && leads.head.includes('Differs:'), 'differing row is marked in text, not colour alone');
      assert.deepEqual(leads.cells, ['31', '20']);
      const total = rows.find((r) => /Total cost over 1 year$/.test(r.head));
      assert.ok(total.differs);
      assert.deepEqual(total.cells, ['£238,000', '£180,871']);
      const rate = rows.find((r) => r.head.includes('Hourly rate'));
      assert.equal(rate.differs, false);
      await noViolations(app.page, 'comparison');
      await app.page.check('#scenario-only-differences');
      const shown = await app.page.$$eval('#scenario-compare-table tbody tr', (trs) => trs.every((tr) => tr.classList.contains('ilt-differs')));
      assert.ok(shown, 'only differing rows when asked');

      // CSV: the scenario's inputs and results, with the formula-like name neutralised.
      const [download] = await Promise.all([
        app.page.waitForEvent('download'),
        app.page.click(`${twenty} button:has-text("Download CSV")`),
      ]);
      const csv = await readFile(await download.path(), 'utf8');
      const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
      assert.equal(lines[0], 'Section,Id,Item,Value,Unit,Shown as');
      assert.match(csv, /\nScenario,name,Scenario name,'=SUM\(1\+1\) 20 Leads,/);
      assert.match(csv, /Scenario,link,Link settings,v=2&n=20&/);
      assert.match(csv, /\nInput,n,Number of Leads,20,/);
      assert.match(csv, /\nResult,total_cost,[^\n]*,180870\.97,£,"£180,871"/);
      assert.ok(lines.slice(1).every((l) => !/^[=+@]/.test(l)), 'no line starts with a formula character');

      // Reload: the scenarios and the current figures are still there.
      await app.page.reload();
      await app.page.waitForSelector(hwe);
      assert.equal(await app.page.locator('li.ilt-scenario').count(), 2);
      assert.equal(await app.page.inputValue('#cost-n'), '20');
      await noViolations(app.page, 'after reload');

      // Another tab sees a save at once (one storage key per scenario).
      const other = await app.context.newPage();
      await other.goto(app.server.url + '#/costs');
      await other.waitForSelector(hwe);
      await saveScenario(other, 'From tab two');
      await app.page.waitForSelector('li.ilt-scenario[data-scenario="From tab two"]');
      await other.close();

      // Rename, duplicate, delete (after confirmation).
      await app.page.click(`${hwe} button:has-text("Rename")`);
      await app.page.fill(`${hwe} .ilt-scenario__rename input`, 'HWE whole system');
      await app.page.click(`${hwe} button:has-text("Save name")`);
      const renamed = 'li.ilt-scenario[data-scenario="HWE whole system"]';
      await app.page.waitForSelector(renamed);
      await app.page.click(`${renamed} button:has-text("Duplicate")`);
      await app.page.waitForSelector('li.ilt-scenario[data-scenario="Copy of HWE whole system"]');
      await app.page.click('li.ilt-scenario[data-scenario="From tab two"] button:has-text("Delete")');
      await app.page.waitForSelector('.ilt-scenario__confirm');
      await noViolations(app.page, 'delete confirmation');
      await app.page.click('.ilt-scenario__confirm button:has-text("Yes, delete it")');
      await app.page.waitForSelector('li.ilt-scenario[data-scenario="From tab two"]', { state: 'detached' });
      assert.equal(await app.page.locator('li.ilt-scenario').count(), 3);

      // Open and link.
      await app.page.click(`${renamed} button:has-text("Open")`);
      await app.page.waitForFunction(() => document.querySelector('[data-result="total-cost"] dd').textContent === '£238,000');
      const href = await app.page.getAttribute(`${renamed} a`, 'href');
      assert.match(href, /^#\/costs\?v=2&n=31&fm=h/);
      const fresh = await openApp(browser);
      try {
        await fresh.goto(href);
        assert.equal(await result(fresh.page, 'total-cost'), '£238,000');
        assert.equal(await fresh.page.inputValue('#cost-n'), '31');
        assert.match(await fresh.page.textContent('#cost-notice'), /Opened the figures from the link/);
        // A link with a value out of range opens with that field marked.
        await fresh.goto('#/costs?v=1&n=5000');
        await fresh.page.waitForSelector('#cost-n-error');
        assert.match(await fresh.page.textContent('#cost-notice'), /outside the allowed range/);
        assert.equal(await fresh.page.inputValue('#cost-n'), '5000');
        await noViolations(fresh.page, 'link with an out-of-range value');
        // A link from the first version keeps its meaning: it left out the share due to the
        // Leads at that version's default, 100%, and had no slow start.
        await fresh.goto('#/costs?v=1&n=4');
        await fresh.page.waitForFunction(() => document.querySelector('#cost-n')?.value === '4');
        assert.equal(await fresh.page.inputValue('#cost-at'), '100');
        assert.equal(await fresh.page.inputValue('#cost-ru'), '100');
        assert.deepEqual(fresh.errors, []);
      } finally { await fresh.close(); }
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('a scenario name that looks like markup is shown as text in the list and the comparison, never run', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/costs');
      const evil = '<img src=x onerror="window.__xss=1">';
      await loadHwe(app.page);
      await app.page.fill('#scenario-name', evil);
      await app.page.click('#scenario-save');
      await app.page.waitForFunction((n) => [...document.querySelectorAll('#scenario-list .ilt-scenario__name')].some((h) => h.textContent === n), evil);
      assert.match(await app.page.textContent('.ilt-status'), /Saved “<img src=x onerror="window.__xss=1">”\./);
      await saveScenario(app.page, 'Plain');
      const item = app.page.locator('li.ilt-scenario', { has: app.page.locator('.ilt-scenario__name', { hasText: evil }) });
      assert.equal(await item.getAttribute('data-scenario'), evil);
      for (const box of await app.page.$$('#scenario-list input[type=checkbox]')) await box.check();
      await app.page.waitForSelector('#scenario-compare-table');
      const columns = await app.page.$$eval('#scenario-compare-table thead th', (ths) => ths.map((th) => th.textContent));
      assert.deepEqual(columns, ['Item', evil, 'Plain']);
      assert.ok((await app.page.textContent('#scenario-compare + p')).endsWith(` rows differ between ${evil}, Plain. They are marked ≠ and shaded.`));
      // The rename form and the delete confirmation quote the name too.
      await item.locator('button:has-text("Rename")').click();
      await app.page.waitForSelector('.ilt-scenario__rename');
      assert.equal(await item.locator('.ilt-scenario__rename label').textContent(), `New name for “${evil}”`);
      assert.equal(await item.locator('.ilt-scenario__rename input').inputValue(), evil);
      await item.locator('button:has-text("Cancel")').click();
      await item.locator('button:has-text("Delete")').click();
      await app.page.waitForSelector('.ilt-scenario__confirm');
      assert.equal(await app.page.textContent('.ilt-scenario__confirm p'), `“${evil}” will be removed from this device. This cannot be undone.`);
      await noViolations(app.page, 'a name that looks like markup');
      const injected = () => app.page.evaluate(() => ({
        xss: window.__xss,
        images: document.querySelectorAll('#scenario-list img, #scenario-compare-table img, img[src="x"]').length,
      }));
      // Give a broken image time to fire its error handler, had one been made.
      await app.page.waitForTimeout(300);
      assert.deepEqual(await injected(), { xss: undefined, images: 0 });
      // Read back from storage after a reload: still text.
      await app.page.reload();
      await app.page.waitForSelector('li.ilt-scenario');
      assert.equal(await item.locator('.ilt-scenario__name').textContent(), evil);
      await app.page.waitForTimeout(300);
      assert.deepEqual(await injected(), { xss: undefined, images: 0 });
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('charts draw with tables and PNG downloads; Monte Carlo is reproducible from its seed', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/costs');
      await loadHwe(app.page);
      const inked = (id) => app.page.evaluate((id) => {
        const c = document.getElementById(id);
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++;
        return { n, label: c.getAttribute('aria-label'), role: c.getAttribute('role'), width: c.width };
      }, id);
      for (const id of ['tornado-chart', 'break-even-chart']) {
        const c = await inked(id);
        assert.ok(c.n > 2000, `${id} has something drawn (${c.n} dark pixels)`);
        assert.equal(c.role, 'img');
        assert.ok(c.label.length > 40, `${id} has a summary`);
      }
      assert.match((await inked('tornado-chart')).label, /changes it most is number of Leads/);
      // Tornado table: widest swing first.
      const swings = await app.page.$$eval('#tornado-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(2).map((td) => td.textContent)));
      assert.ok(swings.length >= 5);
      const widths = swings.map(([lo, hi]) => Math.abs(money(hi) - money(lo)));
      for (let i = 1; i < widths.length; i++) assert.ok(widths[i] <= widths[i - 1] + 1, 'widest bar on top');
      assert.match(await app.page.textContent('#break-even-table'), /\(break-even\)/);

      const [png] = await Promise.all([
        app.page.waitForEvent('download'),
        app.page.click('figure:has(#tornado-chart) button:has-text("Download chart as PNG")'),
      ]);
      assert.equal(png.suggestedFilename(), 'tornado-chart.png');
      const bytes = await readFile(await png.path());
      assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);

      // Changing an input redraws the tornado (its summary follows the figures).
      const before = (await inked('tornado-chart')).label;
      await app.page.fill('#cost-n', '10');
      await app.page.waitForFunction((b) => document.getElementById('tornado-chart').getAttribute('aria-label') !== b, before);

      // Monte Carlo: bad settings are refused with a message.
      await app.page.fill('#mc-draws', '0');
      await app.page.click('#mc-run');
      await app.page.waitForSelector('#mc-errors .nhsuk-error-summary');
      assert.match(await app.page.textContent('#mc-errors'), /Number of draws must be a whole number from 1 to 200,000/);
      // The box is marked, and the summary's link moves the focus to it.
      assert.equal(await app.page.getAttribute('#mc-draws', 'aria-invalid'), 'true');
      assert.ok(await app.page.$eval('#mc-draws', (el) => el.classList.contains('nhsuk-input--error')));
      await app.page.click('#mc-errors a[href="#mc-draws"]');
      await app.page.waitForFunction(() => document.activeElement?.id === 'mc-draws');
      assert.equal(new URL(app.page.url()).hash.startsWith('#/costs'), true, 'the route is kept');
      // A range box that is not a number is named and marked too.
      const lowest = await app.page.$eval('#mc-ranges tbody input', (el) => el.id);
      const lowestValue = await app.page.inputValue(`#${lowest}`);
      await app.page.fill(`#${lowest}`, 'lots');
      await app.page.click('#mc-run');
      await app.page.waitForSelector(`#mc-errors a[href="#${lowest}"]`);
      assert.equal(await app.page.getAttribute(`#${lowest}`, 'aria-invalid'), 'true');
      await noViolations(app.page, 'Monte Carlo errors');
      await app.page.fill(`#${lowest}`, lowestValue);

      // The calculator's benchmark case, which bench_costing runs natively too: the Hertfordshire
      // and West Essex figures, the ranges the page suggests for them, 100,000 draws, seed 7.
      await app.page.fill('#cost-n', '31');
      await app.page.click('#mc-suggest');
      await app.page.fill('#mc-draws', '100000');
      await app.page.fill('#mc-seed', '7');
      const runs = await runMonteCarlo(app.page, 1 + BENCH_RUNS);
      await app.page.waitForSelector('#histogram-chart');
      // Fixed: the summary and the marks are gone.
      assert.equal(await app.page.locator('#mc-errors .nhsuk-error-summary').count(), 0);
      assert.equal(await app.page.locator('#mc-ranges .nhsuk-input--error, #mc-draws.nhsuk-input--error').count(), 0);
      const time = await app.page.textContent('#mc-time');
      const m = time.match(/^100,000 draws in ([\d,]+) ms \(seed 7\)\. One full recompute takes about ([\d.,]+) µs/);
      assert.ok(m, time);
      const first = runs[0].results;
      assert.match(first, /Mean net benefit[\s\S]*5th percentile[\s\S]*Median[\s\S]*95th percentile[\s\S]*Chance the net benefit is above £0/);
      const counts = await app.page.$$eval('#histogram-table tbody tr td:nth-child(3)', (tds) => tds.map((td) => Number(td.textContent.replace(/,/g, ''))));
      assert.equal(counts.length, 30);
      assert.equal(counts.reduce((a, b) => a + b, 0), 100000);
      assert.ok((await inked('histogram-chart')).n > 2000);
      await noViolations(app.page, 'Monte Carlo results');

      // Same seed, same result (every run above); another seed, another result.
      for (const r of runs) assert.equal(r.results, first);
      const shown = await app.page.$$eval('#mc-results dd', (dds) => dds.slice(0, 4).map((dd) => dd.textContent));
      await app.page.fill('#mc-seed', '8');
      await app.page.click('#mc-run');
      await app.page.waitForFunction((f) => document.querySelector('#mc-results').textContent !== f, first);

      // Like for like: the best of BENCH_RUNS runs after a warm-up, here and natively, of the same case.
      const browserMs = Math.min(...runs.slice(1).map((r) => r.ms));
      console.log(`benchmark (browser): 100,000 Monte Carlo draws in ${browserMs.toFixed(1)} ms (best of ${BENCH_RUNS} runs after a warm-up run of ${runs[0].ms.toFixed(1)} ms; hwe-table-3, its suggested ranges, seed 7); one full recompute ${m[2]} µs`);
      const native = await nativeBenchmark();
      if (native) {
        assert.deepEqual(native.results, shown, 'the native benchmark draws the same case as the page (mean, 5th, median, 95th)');
        console.log(`benchmark (native): 100,000 Monte Carlo draws best ${native.ms} ms (best of ${native.runs} runs after a warm-up, the same case); one recompute ${native.recompute} µs`);
        console.log(`benchmark: browser / native = ${(browserMs / native.ms).toFixed(2)} (same inputs, ranges, draws and seed, same results; best of ${BENCH_RUNS} warm runs each)`);
      }
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('a long Monte Carlo run shows its progress, keeps the page responsive and gives the same result', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/costs');
      await loadHwe(app.page);
      await app.page.click('#mc-suggest');
      await app.page.fill('#mc-draws', '200000');
      await app.page.fill('#mc-seed', '3');
      // Watch for the progress bar and long tasks. When the bar first shows: keep a copy of its
      // markup, note whether Run says it is unavailable, and press Run again (it must start nothing).
      const watch = () => app.page.evaluate(() => {
        window.__bar = null;
        window.__barSeen = 0;
        window.__values = [];
        window.__from = performance.now();
        new MutationObserver(() => {
          const shownBar = document.getElementById('mc-progress-bar');
          if (!shownBar) return;
          window.__barSeen++;
          window.__values.push(shownBar.value);
          if (window.__bar === null) {
            window.__bar = document.getElementById('mc-progress').innerHTML;
            const run = document.getElementById('mc-run');
            window.__runDisabled = run.getAttribute('aria-disabled');
            run.click();
          }
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
        window.__longTasks = [];
        new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
          .observe({ type: 'longtask', buffered: true });
      });
      const longest = () => app.page.evaluate(() => Math.max(0, ...window.__longTasks.filter((t) => t.start >= window.__from).map((t) => t.duration)));

      // At full speed: quicker than 200 ms here, so no bar.
      await watch();
      const [quick] = await runMonteCarlo(app.page);
      if (quick.ms < 150) assert.equal(await app.page.evaluate(() => window.__barSeen), 0, `no bar for a ${quick.ms} ms run`);

      // With the CPU slowed down enough for the run to take about SLOW_RUN_MS: the bar shows, Run
      // does not start a second run, no task takes 200 ms, and the result is the same.
      const throttle = Math.min(40, Math.max(4, Math.round(SLOW_RUN_MS / quick.ms)));
      await app.page.reload();
      await app.page.waitForSelector('#mc-run');
      await loadHwe(app.page);
      await app.page.click('#mc-suggest');
      await app.page.fill('#mc-draws', '200000');
      await app.page.fill('#mc-seed', '3');
      await watch();
      const cdp = await app.context.newCDPSession(app.page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
      let slow;
      try {
        await app.page.click('#mc-run');
        await app.page.waitForFunction(() => performance.getEntriesByName('ilt:monte-carlo').length > 0
          && document.getElementById('mc-run').getAttribute('aria-disabled') !== 'true', null, { timeout: 60000 });
        slow = await app.page.evaluate(() => performance.getEntriesByName('ilt:monte-carlo').map((e) => e.duration));
      } finally {
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      }
      assert.ok(await app.page.evaluate(() => window.__barSeen) > 0,
        `the progress bar showed (a ${quick.ms.toFixed(1)} ms run took ${slow[0].toFixed(0)} ms at ${throttle}x throttling)`);
      assert.equal(await app.page.evaluate(() => window.__runDisabled), 'true', 'Run says it is unavailable while it runs');
      assert.equal(slow.length, 1, 'one run, though Run was pressed again while it ran');
      assert.equal(await app.page.textContent('#mc-results'), quick.results, 'the same seed gives the same result, however the run is sliced');
      assert.equal(await app.page.locator('#mc-progress-bar').count(), 0, 'the bar is gone when the run ends');
      const worst = await longest();
      const bar = await app.page.evaluate(() => window.__bar);
      // ui::ProgressBar: an NHS label for the browser's own progress bar (its role and value come
      // with it), and what the run is doing in a status line.
      const shown = bar.replaceAll('<!---->', '');
      assert.match(shown, /<label class="nhsuk-label" for="mc-progress-bar">Running the simulation<\/label><progress class="ilt-progress__bar" id="mc-progress-bar" max="100" value="\d+">\d+%<\/progress>/);
      assert.match(shown, /role="status">Drawing 200,000 net benefits<\/p>/);
      console.log(`benchmark (browser): 200,000 Monte Carlo draws in ${quick.ms.toFixed(1)} ms; at ${throttle}x CPU throttling ${slow[0].toFixed(0)} ms with the progress bar shown, longest task ${worst.toFixed(0)} ms`);
      // The page ran between slices: the bar was drawn again as the run went on, never going back.
      // (The longest task is printed above, not asserted: a time bound on a shared machine would
      // fail for reasons that are not the app's.)
      const values = await app.page.evaluate(() => window.__values);
      assert.ok(new Set(values).size >= 2, `the bar moved while the run went on: ${values}`);
      assert.ok(values.every((v, i) => i === 0 || v >= values[i - 1]), `the bar never goes back: ${values}`);
      // axe on the page with the bar as it was shown (a run outlasts no axe pass at that speed,
      // so the markup kept above is put back where it was, checked, and taken out again).
      await app.page.evaluate((html) => document.getElementById('mc-progress').insertAdjacentHTML('afterend', `<div class="ilt-progress" id="mc-progress-copy">${html}</div>`), bar);
      await noViolations(app.page, 'Monte Carlo progress bar');
      await app.page.evaluate(() => document.getElementById('mc-progress-copy').remove());
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('a 375 px phone screen never scrolls sideways, with results, comparison and histogram shown', async () => {
    const app = await openApp(browser, { viewport: { width: 375, height: 667 } });
    try {
      await app.goto('#/costs');
      await loadHwe(app.page);
      await saveScenario(app.page, 'A');
      await saveScenario(app.page, 'B');
      await app.page.check('li.ilt-scenario[data-scenario="A"] input[type=checkbox]');
      await app.page.check('li.ilt-scenario[data-scenario="B"] input[type=checkbox]');
      await app.page.waitForSelector('#scenario-compare-table');
      await app.page.click('#mc-run');
      await app.page.waitForSelector('#histogram-chart');
      const { scroll, client } = await app.page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
      }));
      assert.ok(scroll <= client, `page is ${scroll}px wide on a ${client}px screen`);
      const canvasWidth = await app.page.evaluate(() => document.getElementById('tornado-chart').getBoundingClientRect().width);
      assert.ok(canvasWidth <= client - 16, `tornado chart fits the column (${canvasWidth}px)`);
      await noViolations(app.page, 'phone');
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });
});

/**
 * The long run is made to take about this long (ms) by slowing the CPU down (Chromium's CPU
 * throttling, 4 to 40 times): well over the 200 ms after which the bar shows, on a fast machine as
 * on a slow one. (At 600 ms and at most 10 times, the bar did not show in a CI run on a machine that
 * drew 100,000 in 18 ms.)
 */
const SLOW_RUN_MS = 1500;

/** Timed Monte Carlo runs on each side, after one warm-up run (bench_costing runs as many). */
const BENCH_RUNS = 5;

/**
 * Press Run `times` times, each once the one before has finished; for each, the page's User Timing
 * measure of the run (`ilt:monte-carlo`, ms) and the results it showed.
 */
async function runMonteCarlo(page, times = 1) {
  const out = [];
  for (let k = 0; k < times; k++) {
    const before = await page.evaluate(() => performance.getEntriesByName('ilt:monte-carlo').length);
    await page.click('#mc-run');
    await page.waitForFunction((n) => performance.getEntriesByName('ilt:monte-carlo').length > n
      && document.getElementById('mc-run').getAttribute('aria-disabled') !== 'true', before);
    const ms = await page.evaluate(() => performance.getEntriesByName('ilt:monte-carlo').at(-1).duration);
    out.push({ ms, results: await page.textContent('#mc-results') });
  }
  return out;
}

/** Run the native benchmark; undefined (with a note) when cargo is not available or it fails. */
function nativeBenchmark() {
  return new Promise((resolve) => {
    execFile('cargo', ['run', '--quiet', '--release', '--bin', 'bench_costing'], { cwd: ROOT, timeout: 600000 }, (err, stdout) => {
      if (err) { console.log(`benchmark (native): not run (${err.message.split('\n')[0]})`); resolve(undefined); return; }
      const mc = stdout.match(/Monte Carlo, 100,000 iterations[^:]*: best ([\d.]+) ms of (\d+) runs/);
      const rc = stdout.match(/one full recompute[^:]*: ([\d.]+) µs/);
      const r = stdout.match(/result: mean ([^;]+); 5th ([^;]+); median ([^;]+); 95th ([^;]+);/);
      resolve(mc && r ? { ms: Number(mc[1]), runs: Number(mc[2]), recompute: rc ? rc[1] : '?', results: r.slice(1, 5) } : undefined);
    });
  });
}
