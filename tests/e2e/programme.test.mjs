// End-to-end checks of the programme view (#/programme) on the release build, as a new programme
// manager on a desktop: demo data with its SYNTHETIC labels, the return grid and Figures 3–6 each
// with its table; filters; clearing with confirmation; importing two Leads' activity files (one
// twice: the second time adds nothing) and a broken one (rejected with its row error); two tabs
// taking in each other's saves; the CSV
// downloads, their columns and spreadsheet safety; axe on every state; no console errors; and a
// 50,000-activity import whose timings are printed (never asserted).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { download, importFiles, noAxe, parseCsv, risky, summaryRows, tableRows } from './files.mjs';
import { launch, openApp } from './harness.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const FIGURES = [3, 4, 5, 6];
/** The full CSV's columns (src/activity/csv.rs, ACTIVITY_COLUMNS). */
const COLUMNS = ['activity_id', 'lead_id', 'lead_name', 'month', 'icb', 'pcns', 'type', 'mode', 'purposes', 'stakeholders',
  'people_active', 'people_present', 'people_reached', 'minutes', 'note', 'definition', 'updated_at'];
const GRID_WORDS = new Set(['Returned', 'Logged only', 'Nothing']);

// ---- Activity files in the core's format (src/activity/exchange.rs, write_file; records from
// src/activity/record.rs, encode_activity and encode_return) ----

/** An activity id: 32 hex digits, unique per (lead number, n). */
const aid = (lead, n) => lead.toString(16).padStart(8, '0') + n.toString(16).padStart(24, '0');

function activity(leadNo, n, { lead, name, icb, month, type = 'call', mode = 'remote', purposes = ['share_info'], stakeholders = ['pharmacy'], active = 2, present = 0, minutes = 30, pcn = 'Stevenage North', note } = {}) {
  const a = { v: 1, id: aid(leadNo, n), d: 'eoe-activity', dv: 1, l: lead, ln: name, m: month, icb, pcn: [pcn], t: type, md: mode, p: purposes, s: stakeholders, ra: active, rp: present, min: minutes };
  if (note !== undefined) a.n = note;
  a.u = Date.UTC(2024, 3, 1) + n * 60000;
  return a;
}

const aReturn = ({ lead, name }, month, { claimedHours = 16, count = 0, reflections } = {}) => {
  const r = { v: 1, l: lead, ln: name, m: month, mc: claimedHours * 60 };
  if (reflections) r.r = reflections;
  return { ...r, na: count, sa: Date.UTC(2024, 3, 2) };
};

function activityFile(scope, returns, activities) {
  const lines = (items) => items.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(',\n');
  return `{"format":"ilt-activity","format_version":1,"exported_at":"2024-07-01T09:00:00.000Z","scope":"${scope}","definitions":[\n\n],"returns":[\n${lines(returns)}\n],"activities":[\n${lines(activities)}\n]}\n`;
}

const ASHA = { lead: 'hwe-07', name: 'Asha Patel', icb: 'hwe' };
const BEN = { lead: 'snee-02', name: 'Ben Okafor', icb: 'snee' };

/** Asha's March return: three activities (one note typed as a formula), her claim of 16 hours. */
function ashaFile() {
  const acts = [
    activity(7, 1, { ...ASHA, month: '2024-03', type: 'meeting', mode: 'in_person', purposes: ['share_info', 'pharmacy_first'], stakeholders: ['pharmacy', 'practice'], active: 6, minutes: 90, note: '=HYPERLINK("http://x","Asha met Dr Smith")' }),
    activity(7, 2, { ...ASHA, month: '2024-03', type: 'email', mode: 'written', minutes: 15 }),
    activity(7, 3, { ...ASHA, month: '2024-03', type: 'webinar', purposes: ['pharmacy_first'], stakeholders: ['pharmacy', 'pcn'], active: 3, present: 40, minutes: 60, pcn: '@Stevenage South' }),
  ];
  return activityFile('return', [aReturn(ASHA, '2024-03', { count: 3, reflections: 'Good month' })], acts);
}

/** Ben's whole log: February (returned) and March (logged, not returned). */
function benFile() {
  const acts = [
    activity(2, 1, { ...BEN, month: '2024-02', type: 'visit', mode: 'in_person', stakeholders: ['pharmacy'], minutes: 120, pcn: 'Ipswich East' }),
    activity(2, 2, { ...BEN, month: '2024-03', type: 'call', stakeholders: ['pcn'], purposes: ['pcn_priorities'], minutes: 20, pcn: 'Ipswich East' }),
  ];
  return activityFile('log', [aReturn(BEN, '2024-02', { claimedHours: 4, count: 1 })], acts);
}

/** A broken file: its second activity has a type the list does not have. */
function brokenFile() {
  const carol = { lead: 'mse-03', name: 'Carol Ng', icb: 'mse' };
  const acts = [activity(3, 1, { ...carol, month: '2024-03' }), activity(3, 2, { ...carol, month: '2024-03', type: 'fax' })];
  return activityFile('log', [], acts);
}

// ---- Page helpers ----

const held = async (page, what) => Number((await page.textContent(`#held-${what}`)).trim().replace(/,/g, ''));

/** Every row has every column and no cell can run as a spreadsheet formula. */
function checkSafe(text) {
  const [header, ...rows] = parseCsv(text);
  for (const r of rows) {
    assert.equal(r.length, header.length, 'every row has every column');
    for (const cell of r) assert.ok(!risky(cell), `cell ${JSON.stringify(cell)} could run as a formula`);
  }
  return { header, rows, col: Object.fromEntries(header.map((h, i) => [h, i])) };
}

/** Whether a chart's canvas has NHS blue bars drawn. */
const drawn = (page, sel) => page.$eval(sel, (c) => {
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 50 && d[i + 1] > 70 && d[i + 1] < 120 && d[i + 2] > 150) return true;
  return false;
});

describe('programme view', () => {
  test('a new user loads demo data and sees the return grid and Figures 3–6 with their tables, labelled SYNTHETIC', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/programme');
      assert.equal(await app.page.textContent('main h1'), 'Programme view');
      assert.equal(await held(app.page, 'activities'), 0);
      assert.equal(await app.page.$('#figure-3'), null, 'no figures before any data');
      await noAxe(app.page, 'empty programme');
      await app.page.click('#load-demo');
      await app.page.waitForSelector('#figure-6 canvas.ilt-chart');
      assert.match(await app.page.textContent('#synthetic-banner'), /Synthetic demo data: not real Leads or activities/);
      assert.equal(await held(app.page, 'activities'), 2562);
      assert.equal(await held(app.page, 'leads'), 31);
      assert.deepEqual((await summaryRows(app.page))[0], ['Demo data (synthetic)', '2,562', (await app.page.textContent('#held-returns')).trim(), '0', '0', 'Imported']);

      // The return grid: 31 Leads and a count row, every cell a word (never colour alone).
      const grid = await tableRows(app.page, '#return-grid');
      assert.equal(grid.length, 32);
      const header = await app.page.$$eval('#return-grid thead th', (ths) => ths.map((t) => t.textContent));
      assert.deepEqual([header[0], header[2], header[13], header[14]], ['Lead', 'Jul 2023', 'Jun 2024', 'Months returned']);
      for (const row of grid.slice(0, 31)) for (const cell of row.slice(2, 14)) assert.ok(GRID_WORDS.has(cell), `grid cell ${cell}`);
      assert.ok(grid.slice(0, 31).some((r) => r.slice(2, 14).every((c) => c === 'Nothing')), 'some Leads provided no records');
      assert.equal(grid[31][0], 'Leads who returned');
      assert.match(await app.page.textContent('#quarters'), /July 2023 to September 2023: 21 of 31 Leads logged something/);

      for (const n of FIGURES) {
        const fig = `#figure-${n}`;
        assert.match(await app.page.textContent(`${fig} h3`), new RegExp(`Figure ${n}: .*SYNTHETIC`));
        const rows = await tableRows(app.page, `${fig} table`);
        assert.ok(rows.length >= 3 && rows.every((r) => r.length >= 2), `${fig} has a table`);
        assert.match(await app.page.getAttribute(`${fig} canvas.ilt-chart`, 'aria-label'), /^(Bar|Column) chart of /);
        assert.ok(await drawn(app.page, `${fig} canvas.ilt-chart`), `${fig} has bars drawn`);
        assert.ok(await app.page.$(`${fig} .ilt-chart-download`), `${fig} offers a PNG`);
      }
      // Figure 3: every type with its count and share; the counts add up to the activities.
      const types = await tableRows(app.page, '#figure-3 table');
      assert.equal(types.reduce((s, r) => s + Number(r[1].replace(/,/g, '')), 0), 2562);
      // Figure 4: several purposes per activity, so the shares add to more than 100 %.
      const purposes = await tableRows(app.page, '#figure-4 table');
      assert.ok(purposes.reduce((s, r) => s + Number(r[2].replace('%', '')), 0) > 100);
      // Figure 5: the August and December dips.
      const months = Object.fromEntries((await tableRows(app.page, '#figure-5 table')).map((r) => [r[0], Number(r[1].replace(/,/g, ''))]));
      assert.ok(months['August 2023'] < months['July 2023'] && months['August 2023'] < months['September 2023'], JSON.stringify(months));
      assert.ok(months['December 2023'] < months['November 2023'] && months['December 2023'] < months['January 2024'], JSON.stringify(months));
      // People reached, actively and only present; hours against claims, the check in words.
      const reach = await tableRows(app.page, '#reach-table');
      assert.equal(reach.at(-1)[0], 'Total');
      assert.ok(Number(reach.at(-1)[2].replace(/,/g, '')) > 0, 'some people only present');
      assert.match(await app.page.textContent('#hours-flagged'), /^\d+ of 31 Leads marked 'Check'\./);
      const hours = await tableRows(app.page, '#hours-table');
      assert.ok(hours.some((r) => r[5].startsWith('Check: logged less than 50% of the hours claimed')));
      assert.ok(hours.some((r) => r[3] === 'none given' && r[5] === 'No hours claimed in the returns'));
      await noAxe(app.page, 'demo data');

      // A figure's picture downloads as PNG.
      const [png] = await Promise.all([app.page.waitForEvent('download'), app.page.click('#figure-3 .ilt-chart-download')]);
      assert.equal(png.suggestedFilename(), 'figure-3-chart.png');

      // Filters: one ICB, then a period that ends before it starts.
      const allTotals = await app.page.textContent('#totals');
      await app.page.selectOption('#filter-icb', 'snee');
      await app.page.waitForFunction((t) => document.querySelector('#totals')?.textContent !== t, allTotals);
      const snee = await tableRows(app.page, '#return-grid');
      assert.ok(snee.length - 1 < 31 && snee.slice(0, -1).every((r) => r[1] === 'snee'), 'only Suffolk and North East Essex Leads');
      await app.page.selectOption('#filter-icb', '');
      await app.page.selectOption('#filter-from', '2024-03');
      await app.page.selectOption('#filter-to', '2024-01');
      await app.page.waitForSelector('#period-error .nhsuk-error-message');
      assert.match(await app.page.textContent('#period-error'), /The period starts \(March 2024\) after it ends \(January 2024\)/);
      await noAxe(app.page, 'filters with a period error');
      await app.page.selectOption('#filter-from', '');
      await app.page.selectOption('#filter-to', '');
      await app.page.waitForFunction((t) => document.querySelector('#totals')?.textContent === t, allTotals);

      // Kept across a reload, then cleared only after confirming.
      await app.page.reload();
      await app.page.waitForSelector('#figure-6');
      assert.equal(await held(app.page, 'activities'), 2562);
      assert.ok(await app.page.$('#synthetic-banner'), 'still labelled synthetic after a reload');
      await app.page.click('#clear-programme');
      await app.page.waitForSelector('#confirm-clear');
      assert.equal(await held(app.page, 'activities'), 2562, 'nothing cleared before confirming');
      await noAxe(app.page, 'confirm clear');
      await app.page.click('#confirm-clear');
      await app.page.waitForSelector('#cleared-note');
      assert.equal(await held(app.page, 'activities'), 0);
      assert.equal(await app.page.$('#figure-3'), null);
      assert.equal(await app.page.$('#synthetic-banner'), null);
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test("two Leads' files (one imported twice) and a broken one; the CSV downloads are tidy and spreadsheet-safe", async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/programme');
      await importFiles(app.page, [['ilt-return-hwe-07-2024-03.json', ashaFile()], ['ilt-activity-log-snee-02.json', benFile()]]);
      assert.deepEqual(await summaryRows(app.page), [
        ['ilt-return-hwe-07-2024-03.json', '3', '1', '0', '0', 'Imported'],
        ['ilt-activity-log-snee-02.json', '2', '1', '0', '0', 'Imported'],
      ]);
      assert.equal(await held(app.page, 'activities'), 5);
      // The same file again adds nothing.
      await importFiles(app.page, [['ilt-return-hwe-07-2024-03.json', ashaFile()]]);
      assert.deepEqual((await summaryRows(app.page))[0], ['ilt-return-hwe-07-2024-03.json', '0', '0', '4', '0', 'Imported']);
      assert.equal(await held(app.page, 'activities'), 5);
      // A broken file: nothing from it, its bad row named.
      await importFiles(app.page, [['broken.json', brokenFile()]]);
      assert.deepEqual((await summaryRows(app.page))[0], ['broken.json', '0', '0', '0', '0', 'Rejected: 1 problem']);
      const problems = await app.page.textContent('.ilt-rejected-file');
      assert.match(problems, /Nothing was imported from broken\.json/);
      assert.match(problems, new RegExp(`Activity 2 \\(id ${aid(3, 2)}\\): Select the type of activity \\(type\\)\\.`));
      assert.equal(await held(app.page, 'activities'), 5);
      assert.equal(await held(app.page, 'leads'), 2);
      assert.equal(await app.page.$('#synthetic-banner'), null, 'real data is not labelled synthetic');
      await noAxe(app.page, 'after a rejected file');

      // The grid: Asha returned March; Ben returned February and logged March without a return.
      const grid = Object.fromEntries((await tableRows(app.page, '#return-grid')).map((r) => [r[0], r]));
      assert.deepEqual(grid['Asha Patel (hwe-07)'].slice(1), ['hwe', 'Nothing', 'Returned', '1 of 2']);
      assert.deepEqual(grid['Ben Okafor (snee-02)'].slice(1), ['snee', 'Returned', 'Logged only', '1 of 2']);
      const hours = Object.fromEntries((await tableRows(app.page, '#hours-table')).map((r) => [r[0], r]));
      assert.deepEqual(hours['Asha Patel (hwe-07)'].slice(2), ['2.8', '16', '17%', 'Check: logged less than 50% of the hours claimed', '2.8']);
      // Ben's claim covers February only: its 2 h are compared with his 4; his unreturned March (20 min) counts only in all hours logged.
      assert.deepEqual(hours['Ben Okafor (snee-02)'].slice(2), ['2', '4', '50%', 'Within range', '2.3']);
      for (const n of FIGURES) assert.ok(await drawn(app.page, `#figure-${n} canvas.ilt-chart`), `figure ${n} drawn`);

      // The full CSV: every column, one row per activity, nothing that runs as a formula.
      const full = await download(app.page, '#download-csv');
      assert.equal(full.name, 'activities.csv');
      const f = checkSafe(full.text);
      assert.deepEqual(f.header, COLUMNS);
      assert.equal(f.rows.length, 5);
      const note = f.rows.find((r) => r[f.col.note] !== '')[f.col.note];
      assert.equal(note, `'=HYPERLINK("http://x","Asha met Dr Smith")`, 'the formula note is neutralised');
      assert.ok(f.rows.some((r) => r[f.col.pcns] === "'@Stevenage South"));
      assert.deepEqual([...new Set(f.rows.map((r) => r[f.col.month]))].sort(), ['2024-02', '2024-03']);

      // Anonymised: Lead codes, no names, ids, PCNs or notes.
      const anon = await download(app.page, '#download-anonymised');
      assert.equal(anon.name, 'activities-anonymised.csv');
      const a = checkSafe(anon.text);
      assert.deepEqual(a.header, ['lead', ...COLUMNS.filter((c) => !['activity_id', 'lead_id', 'lead_name', 'pcns', 'note'].includes(c))]);
      assert.deepEqual([...new Set(a.rows.map((r) => r[0]))].sort(), ['L01', 'L02']);
      for (const secret of ['Asha', 'Ben Okafor', 'hwe-07', 'snee-02', 'Stevenage', 'Dr Smith', aid(7, 1)]) assert.ok(!anon.text.includes(secret), `${secret} leaked`);
      // Notes only when opted in, after a warning.
      assert.equal(await app.page.$('#free-text-warning'), null);
      await app.page.check('#anon-free-text');
      await app.page.waitForSelector('#free-text-warning');
      await noAxe(app.page, 'notes opted in');
      const withNotes = checkSafe((await download(app.page, '#download-anonymised')).text);
      assert.ok(withNotes.header.includes('note') && !withNotes.header.includes('lead_name'));
      assert.ok(withNotes.rows.some((r) => r[withNotes.col.note].includes('Dr Smith')));
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('two tabs: each takes in what the other saved, and neither saves over the other', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/programme');
      const other = await app.context.newPage();
      other.on('pageerror', (e) => app.errors.push(`pageerror (second tab): ${e.message}`));
      await other.goto(app.server.url + '#/programme');
      await other.waitForSelector('#held-activities');
      // Tab one imports Asha's return: tab two, open and idle, takes it in and says so.
      await importFiles(app.page, [['ilt-return-hwe-07-2024-03.json', ashaFile()]]);
      await other.waitForFunction(() => document.querySelector('#held-activities')?.textContent.trim() === '3');
      assert.equal(await other.textContent('#storage-note'), 'Information: Another tab saved returns to this programme, so this page now holds them as well.');
      await noAxe(other, 'second tab after taking in the first tab\'s returns');
      // Tab two imports Ben's log: both tabs and the saved copy hold both Leads.
      await importFiles(other, [['ilt-activity-log-snee-02.json', benFile()]]);
      assert.equal(await held(other, 'activities'), 5);
      await app.page.waitForFunction(() => document.querySelector('#held-activities')?.textContent.trim() === '5');
      await app.page.reload();
      await app.page.waitForSelector('#held-activities');
      assert.equal(await held(app.page, 'activities'), 5, 'the saved programme holds both tabs\' files');
      assert.equal(await held(app.page, 'leads'), 2);
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('benchmark: 50,000 activities imported and summarised in the browser (printed)', { timeout: 600000 }, async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/programme');
      const icbs = ['blmk', 'candp', 'hwe', 'mse', 'nandw', 'snee'];
      const types = ['call', 'email', 'message', 'meeting', 'group_meeting', 'visit', 'webinar', 'training_attended'];
      const purposes = ['share_info', 'pharmacy_first', 'pcn_priorities', 'service_development', 'pharmacy_network'];
      const stakeholders = ['pharmacy', 'pcn', 'practice', 'icb', 'lpc'];
      const leads = Array.from({ length: 500 }, (_, k) => ({ lead: `${icbs[k % 6]}-b${k}`, name: `Benchmark Lead ${k}`, icb: icbs[k % 6] }));
      const month = (n) => `${n < 6 ? 2023 : 2024}-${String(((n + 6) % 12) + 1).padStart(2, '0')}`;
      const acts = Array.from({ length: 50000 }, (_, n) => {
        const l = leads[n % 500];
        return activity(n % 500 + 1, n, { ...l, month: month((n >> 3) % 12), type: types[n % 8], purposes: [purposes[n % 5], purposes[(n + 2) % 5]], stakeholders: [stakeholders[n % 5]], active: n % 7, present: n % 11 === 0 ? 30 : 0, minutes: 15 + (n % 8) * 15 });
      });
      const rets = leads.flatMap((l, k) => Array.from({ length: 12 }, (_, m) => m).filter((m) => (k + m) % 4 !== 0).map((m) => aReturn(l, month(m), { claimedHours: 8 })));
      const text = activityFile('programme', rets, acts);
      const t0 = Date.now();
      await importFiles(app.page, [['bench-50k.json', text]], 300000);
      const wall = Date.now() - t0;
      assert.equal(await held(app.page, 'activities'), 50000);
      await app.page.waitForSelector('#figure-6 canvas.ilt-chart');
      const t = async (id) => (await app.page.textContent(id)).trim();
      const csvStart = Date.now();
      const csv = await download(app.page, '#download-csv');
      const csvWall = Date.now() - csvStart;
      const note = await app.page.$('#storage-note') ? ` Storage: ${(await t('#storage-note')).replace(/^Information: /, '')}` : ' Saved on the device.';
      console.log(`programme benchmark, 50,000 activities and ${rets.length.toLocaleString('en-GB')} returns of 500 Leads (${(text.length / 1e6).toFixed(1)} MB file): import ${await t('#timing-import')}, summary ${await t('#timing-summary')} (file chosen to figures drawn: ${wall} ms wall); CSV ${await t('#timing-export')} (${parseCsv(csv.text).length - 1} rows, download ${csvWall} ms wall).${note}`);
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });
});
