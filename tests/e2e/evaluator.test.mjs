// End-to-end checks of the evaluator workspace on the release build: demo data with its SYNTHETIC
// labels and every figure; importing device files (added and duplicate counts, all-or-nothing
// rejection with row errors); two tabs taking in each other's saves; the anonymised CSV, codebook and results CSV downloads and what they
// may and may not contain; axe on every state; no sideways scroll at 375 px; and a benchmark at
// 10,000 and 100,000 responses that prints what a person waits for (the page's User Timing measures:
// file chosen → last figure drawn, export click → download started), the longest long task in each,
// and the page's step timers (printed, never asserted). The Monte Carlo browser/native figure is
// printed by costs.test.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AXE_SOURCE, launch, openApp } from './harness.mjs';
import { download, importFiles, noAxe, parseCsv, risky, summaryRows } from './files.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const FIGURES = [2, 7, 8, 9, 10];
// Where scripts/test.sh kept the DuckDB anchor's file and figures (absent: the anchor was not run).
const ANCHOR = process.env.ILT_BENCH_DIR && existsSync(join(process.env.ILT_BENCH_DIR, 'anchor.txt')) ? process.env.ILT_BENCH_DIR : null;
const QUASI = ['icb', 'pcn', 'respondent', 'has_lead', 'wave'];

// ---- Device files in the raw format (src/survey/export.rs, src/survey/record.rs) ----

/** A response id: 32 hex digits, unique per (device, n). */
const rid = (device, n) => (device.toString(16).padStart(8, '0') + n.toString(16).padStart(24, '0'));

/** One submitted response to version 1 of the built-in questionnaire (codes from src/survey/builtin_v1.json). */
function response(device, n, { respondent = 'pharmacy', wave = 'baseline', icb = 'hwe', pcn = 'Stevenage North', hasLead = 'yes', comment } = {}) {
  const a = { respondent, wave, icb, pcn: { t: pcn }, pcn_knows_cp: 1 + (n % 10), gp_knows_cp: 1 + ((n * 3) % 10), joint_working: 1 + ((n * 7) % 10) };
  if (respondent !== 'lead') a.has_lead = hasLead;
  for (const q of ['collab_plan', 'collab_contact', 'collab_comms', 'collab_solve', 'collab_network']) a[q] = 1 + ((n + q.length) % 5);
  if (respondent === 'pharmacy') for (const q of ['cp_informed_pcn', 'cp_involved_pcn', 'cp_valued_pcn']) a[q] = 1 + ((n * 2 + q.length) % 5);
  if (comment) a.comments = { t: comment };
  const sorted = Object.fromEntries(Object.keys(a).sort().map((k) => [k, a[k]]));
  return { v: 1, id: rid(device, n), i: 'eoe-cpil', iv: 1, u: 1719748800000 + n * 60000, s: true, a: sorted };
}

function rawFile(responses, label) {
  const lines = responses.map((r) => (typeof r === 'string' ? r : JSON.stringify(r)));
  return `{"format":"ilt-responses","format_version":1,"exported_at":"2024-06-30T12:00:00.000Z","device_label":${JSON.stringify(label)},"responses":[\n${lines.join(',\n')}\n]}\n`;
}

/** Device A: 30 responses in groups of 6 (so each quasi-identifier combination has at least 5). */
function deviceA() {
  const groups = [
    { respondent: 'pharmacy', wave: 'baseline', hasLead: 'yes' },
    { respondent: 'pharmacy', wave: 'follow_up', hasLead: 'yes' },
    { respondent: 'pharmacy', wave: 'baseline', hasLead: 'no', pcn: 'Luton Central' },
    { respondent: 'practice', wave: 'follow_up', hasLead: 'no', pcn: 'Luton Central' },
    // A PCN typed as a formula: must reach the file neutralised.
    { respondent: 'pharmacy', wave: 'follow_up', hasLead: 'no', pcn: '=HYPERLINK("http://x")' },
  ];
  return groups.flatMap((g, gi) => Array.from({ length: 6 }, (_, j) => response(0xa, gi * 6 + j, { ...g, comment: j === 0 ? `@cmd secret note ${gi}` : undefined })));
}
/** Device B: 20 more, one small group (3) that the export must generalise or drop. */
function deviceB() {
  const rs = Array.from({ length: 17 }, (_, j) => response(0xb, j, { respondent: 'pcn', wave: 'baseline', hasLead: 'yes', pcn: 'Hitchin' }));
  for (let j = 17; j < 20; j++) rs.push(response(0xb, j, { respondent: 'icb', wave: 'baseline', hasLead: 'yes', pcn: 'Rare PCN' }));
  return rs;
}

// ---- Page helpers ----

const held = async (page) => Number((await page.textContent('#held-count')).trim());

/** Checks every anonymised file must pass. */
function checkAnonymised(text, { k, ids, freeText }) {
  const [header, ...rows] = parseCsv(text);
  assert.equal(header[0], 'response_id');
  for (const q of [...QUASI, 'collab_plan', 'joint_working']) assert.ok(header.includes(q), `header has ${q}`);
  assert.equal(header.includes('comments'), freeText, `comments column ${freeText ? 'present' : 'absent'}`);
  assert.ok(rows.length > 0, 'rows written');
  for (const id of ids) assert.ok(!text.includes(id), `original id ${id} leaked`);
  const col = Object.fromEntries(header.map((h, i) => [h, i]));
  const norm = (s) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const groups = new Map();
  for (const r of rows) {
    assert.equal(r.length, header.length, 'every row has every column');
    const key = QUASI.map((q) => (q === 'pcn' ? norm(r[col[q]]) : r[col[q]])).join('|');
    groups.set(key, (groups.get(key) ?? 0) + 1);
    for (const cell of r) {
      assert.ok(!risky(cell), `cell ${JSON.stringify(cell)} could run as a formula`);
    }
  }
  for (const [key, n] of groups) assert.ok(n >= k, `group ${key} has ${n} < ${k} rows`);
  return { header, rows, col };
}

describe('evaluator workspace', () => {
  test('a new user loads demo data and sees every figure, labelled SYNTHETIC', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/evaluator');
      assert.equal(await held(app.page), 0);
      assert.equal(await app.page.$('#figure-2'), null, 'no results before any data');
      await noAxe(app.page, 'empty workspace');
      await app.page.click('#load-demo');
      await app.page.waitForSelector('#figure-10');
      assert.match(await app.page.textContent('#synthetic-banner'), /Synthetic demo data: not real survey responses/);
      assert.ok((await held(app.page)) > 100, 'demo responses held');
      for (const n of FIGURES) {
        const fig = `#figure-${n}`;
        assert.match(await app.page.textContent(`${fig} h3`), new RegExp(`Figure ${n}: .*SYNTHETIC`));
        const cells = await app.page.$$eval(`${fig} table tbody tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
        assert.ok(cells.length > 0 && cells.every((r) => r.length >= 2), `${fig} has a table`);
        assert.ok(cells.flat().some((c) => /\(n = \d+\)/.test(c)), `${fig} shows values with n`);
        // The chart: a labelled canvas with bars drawn (some pixel is not white).
        assert.match(await app.page.getAttribute(`${fig} canvas.ilt-chart`, 'aria-label'), /^Bar chart of /);
        const drawn = await app.page.$eval(`${fig} canvas.ilt-chart`, (c) => {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 0; i < d.length; i += 4) if (d[i] < 200 && d[i + 2] > 150) return true; // NHS blue bars
          return false;
        });
        assert.ok(drawn, `${fig} chart has bars`);
      }
      const [png] = await Promise.all([app.page.waitForEvent('download'), app.page.click('#figure-2 .ilt-chart-download')]);
      assert.equal(png.suggestedFilename(), 'figure-2-chart.png');
      assert.deepEqual([...readFileSync(await png.path()).subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG file');
      // Figures 8-10 use the report's groups and names: ICB and other respondents are in the second.
      const fig8 = await app.page.$$eval('#figure-8 table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      assert.deepEqual(fig8.map((r) => r[0]), ['Pharmacies, with a Lead', 'Pharmacies, without a Lead', 'Practices, PCNs, ICB and other, with a Lead', 'Practices, PCNs, ICB and other, without a Lead']);
      assert.deepEqual(fig8.map((r) => r[1].match(/n = (\d+)/)[1]), ['76', '67', '78', '50'], 'Table 1 and Figure 8: baseline');
      assert.deepEqual(fig8.map((r) => r[2].match(/n = (\d+)/)[1]), ['58', '112', '110', '67'], 'Table 1 and Figure 8: follow-up');

      // What the comparisons cannot show, said once.
      const limits = await app.page.textContent('#comparison-limits');
      assert.match(limits, /not chosen at random/);
      assert.match(limits, /Hertfordshire and West Essex had a Lead in every PCN/);
      assert.match(limits, /intervals are likely too narrow/);
      assert.equal(await app.page.$$eval('.nhsuk-warning-callout', (cs) => cs.filter((c) => /cannot show/.test(c.textContent)).length), 1);

      // Table 5: awareness, contact and potential value at follow-up, with Wilson intervals.
      assert.match(await app.page.textContent('#table-5 h3'), /Table 5: .*SYNTHETIC/);
      const table5 = await app.page.$$eval('#lead-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
      assert.deepEqual(table5.map((r) => r.slice(0, 2)), [['Pharmacies', 'Area with a Lead'], ['Practices, PCNs, ICB and other', 'Area with a Lead']]);
      for (const [row, n] of [[table5[0], 58], [table5[1], 110]]) {
        for (const cell of row.slice(2)) assert.match(cell, new RegExp(`^\\d+% \\(\\d+ to \\d+\\), n = ${n}`), cell);
        const value = Number(row[4].match(/^\d+/)[0]);
        assert.ok(value >= 65 && value <= 85, `about three quarters see potential value: ${row[4]}`);
      }

      // The comparison within each ICB: the five with both kinds of area; Hertfordshire and West Essex is not comparable.
      for (const id of ['#within-icb-8', '#within-icb-9']) {
        const icbs = await app.page.$$eval(`${id} tbody tr th`, (ths) => ths.map((th) => th.textContent));
        assert.equal(icbs.length, 5, `${id}: ${icbs}`);
        assert.ok(!icbs.includes('Hertfordshire and West Essex'));
      }
      assert.match(await app.page.textContent('#not-comparable'), /Hertfordshire and West Essex: every answer is from an area with a Lead/);

      const questionRows = await app.page.$$eval('#question-table tbody tr', (trs) => trs.length);
      assert.ok(questionRows > 10, 'per-question table');
      // Every comparison with its test, effect and adjusted p: four per question row.
      const comparisonRows = await app.page.$$eval('#comparison-table tbody tr', (trs) => trs.length);
      assert.equal(comparisonRows, 4 * questionRows, 'every comparison');
      assert.match(await app.page.textContent('#timing-analysis'), /^\d+ ms$/);
      await noAxe(app.page, 'demo data');

      // Results CSV: one row per cell and comparison, named as synthetic.
      const results = await download(app.page, '#download-results');
      assert.equal(results.name, 'results-SYNTHETIC.csv');
      const [rh, ...rr] = parseCsv(results.text);
      assert.deepEqual(rh.slice(0, 5), ['question_id', 'question', 'group', 'row', 'measure']);
      assert.ok(rr.length > 50 && rr.every((r) => r.length === rh.length));
      for (const column of ['p_holm', 'p_bh', 'family_size', 'hodges_lehmann', 'rank_biserial']) assert.ok(rh.includes(column), column);
      // Full precision for re-analysis: interval ends and p-values carry at least 6 significant
      // digits (the screen rounds; the file must not).
      const significant = (text) => text.replace(/^-?0*\.?0*/, '').replace(/e.*$/, '').replace('.', '').length;
      for (const column of ['ci_low', 'ci_high', 'p_value']) {
        const cells = rr.map((r) => r[rh.indexOf(column)]).filter((c) => c !== '' && Number(c) !== 0 && Number(c) !== 1);
        assert.ok(cells.length > 10, `${column} has values`);
        const precise = cells.filter((c) => significant(c) >= 6).length;
        assert.ok(precise / cells.length > 0.9, `${column}: ${precise} of ${cells.length} cells with 6 or more significant digits, e.g. ${cells.slice(0, 3)}`);
      }

      // A filter narrows the results.
      const included = async () => Number((await app.page.textContent('#included-count')).match(/^\d+/)[0]);
      const all = await included();
      await app.page.selectOption('#filter-wave', 'baseline');
      await app.page.waitForFunction((n) => Number(document.querySelector('#included-count').textContent.match(/^\d+/)[0]) < n, all);
      assert.ok((await included()) > 0);

      // Clearing asks first, then empties the workspace and the saved copy.
      await app.page.click('#clear-workspace');
      await app.page.waitForSelector('#confirm-clear');
      await noAxe(app.page, 'confirm clear');
      await app.page.click('#confirm-clear');
      await app.page.waitForSelector('#cleared-note');
      assert.equal(await held(app.page), 0);
      assert.equal(await app.page.$('#synthetic-banner'), null);
      await app.page.reload();
      await app.page.waitForSelector('main h1');
      assert.equal(await held(app.page), 0, 'nothing comes back after a reload');
      assert.deepEqual(app.errors, []);
      assert.deepEqual(app.foreign, []);
    } finally { await app.close(); }
  });

  test('device files merge, duplicates are counted, broken files change nothing', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/evaluator');
      const a = rawFile(deviceA(), 'Tablet A');
      const b = rawFile(deviceB(), 'Tablet B');
      await importFiles(app.page, [['tablet-a.json', a]]);
      assert.deepEqual((await summaryRows(app.page))[0], ['tablet-a.json', '30', '0', '0', 'Imported']);
      assert.equal(await held(app.page), 30);
      await noAxe(app.page, 'after one import');
      // Two files at once: B is new, A again adds nothing.
      await importFiles(app.page, [['tablet-b.json', b], ['tablet-a-again.json', a]]);
      assert.deepEqual(await summaryRows(app.page), [
        ['tablet-b.json', '20', '0', '0', 'Imported'],
        ['tablet-a-again.json', '0', '30', '0', 'Imported'],
      ]);
      assert.equal(await held(app.page), 50);
      assert.match(await app.page.textContent('#timing-import'), /^\d+ ms$/);

      // Not JSON at all.
      await importFiles(app.page, [['broken.json', '{"format":"ilt-responses", oops']]);
      let row = (await summaryRows(app.page))[0];
      assert.deepEqual(row.slice(0, 4), ['broken.json', '0', '0', '0']);
      assert.match(row[4], /^Rejected: 1 problem$/);
      assert.match(await app.page.textContent('.ilt-rejected-file'), /not valid JSON/);
      assert.equal(await held(app.page), 50, 'held count unchanged');
      await noAxe(app.page, 'bad JSON rejected');

      // One bad row among good ones (never seen before): all or nothing, the row is named.
      const good = [response(0xc, 1, {}), response(0xc, 2, {})];
      const bad = rawFile([good[0], '{"v":1,"id":"not-an-id","i":"eoe-cpil","iv":1,"u":1,"s":true,"a":{}}', good[1]], 'Tablet C');
      await importFiles(app.page, [['bad-row.json', bad]]);
      row = (await summaryRows(app.page))[0];
      assert.match(row[4], /^Rejected: \d+ problems?$/);
      const problems = await app.page.$$eval('.ilt-rejected-file li', (lis) => lis.map((li) => li.textContent));
      assert.ok(problems.some((p) => /^Response 2\b/.test(p)), `row error names response 2: ${problems}`);
      assert.equal(await held(app.page), 50, 'nothing from the bad file was imported');
      await noAxe(app.page, 'bad row rejected');

      // Anonymised export, k = 5, no free text.
      const ids = [...deviceA(), ...deviceB()].map((r) => r.id);
      const anon = await download(app.page, '#download-anonymised');
      assert.equal(anon.name, 'anonymised-responses.csv');
      const { rows, col } = checkAnonymised(anon.text, { k: 5, ids, freeText: false });
      assert.ok(!anon.text.includes('secret note'), 'no free text unless opted in');
      assert.ok(rows.some((r) => r[col.pcn] === '\'=HYPERLINK("http://x")'), 'formula PCN kept, neutralised');
      assert.ok(!rows.some((r) => /rare pcn/i.test(r[col.pcn])), 'the PCN of a group of 3 is not shown');
      await app.page.waitForSelector('#anon-report li');
      assert.match(await app.page.textContent('#timing-export'), /^\d+ ms$/);
      await noAxe(app.page, 'after anonymised export');

      // The codebook lists the question ids.
      const codebook = await download(app.page, '#download-codebook');
      assert.equal(codebook.name, 'anonymised-codebook.md');
      for (const q of ['response_id', 'month', 'respondent', 'joint_working']) assert.ok(codebook.text.includes(q), `codebook has ${q}`);

      // Free text only when opted in, with a warning; k = 3 is allowed, k = 2 is not.
      await app.page.check('#anon-free-text');
      await app.page.waitForSelector('#free-text-warning');
      await app.page.fill('#anon-k', '3');
      // Leaving the field applies k to the results too (the layout above the button changes).
      await app.page.press('#anon-k', 'Tab');
      await app.page.waitForFunction(() => /fewer than 3 responses are suppressed/.test(document.querySelector('#included-count').textContent));
      const withText = await download(app.page, '#download-anonymised');
      checkAnonymised(withText.text, { k: 3, ids, freeText: true });
      assert.ok(withText.text.includes("'@cmd secret note"), 'comments included and neutralised');
      await noAxe(app.page, 'free text opted in');
      await app.page.fill('#anon-k', '2');
      await app.page.click('#download-anonymised');
      await app.page.waitForSelector('.nhsuk-error-summary a');
      assert.match(await app.page.textContent('#anon-k-error'), /between 3 and 10/);
      await app.page.click('.nhsuk-error-summary a');
      // The link moves focus to the field (on the next animation frame), not the URL fragment.
      await app.page.waitForFunction(() => document.activeElement?.id === 'anon-k');
      assert.equal(new URL(app.page.url()).hash, '#/evaluator');
      await noAxe(app.page, 'k error');

      // The merged set survives a reload.
      await app.page.reload();
      await app.page.waitForSelector('main h1');
      assert.equal(await held(app.page), 50);
      assert.deepEqual(app.errors, []);
      assert.deepEqual(app.foreign, []);
    } finally { await app.close(); }
  });

  test('text typed on a device (PCN, comment, device label, file name) is shown as text, never run as markup', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/evaluator');
      const evil = '<img src=x onerror="window.__xss=1">';
      // Six responses whose PCN and comment are markup, from a device labelled with it.
      const good = rawFile(Array.from({ length: 6 }, (_, j) => response(0xd, j, { pcn: evil, comment: evil })), evil);
      // A file rejected because a response's id is that text: the problem list quotes the id.
      const bad = rawFile([response(0xe, 1, { pcn: evil }), JSON.stringify({ ...response(0xe, 2, { pcn: evil }), id: evil })], evil);
      const goodName = `${evil}.json`;
      const badName = `${evil} rejected.json`;
      await importFiles(app.page, [[goodName, good], [badName, bad]]);
      const rows = await summaryRows(app.page);
      assert.deepEqual(rows[0], [goodName, '6', '0', '0', 'Imported']);
      assert.equal(rows[1][0], badName);
      assert.equal(await held(app.page), 6);
      assert.equal((await app.page.textContent('.ilt-rejected-file h4')).trim(), `Nothing was imported from ${badName}`);
      assert.equal(await app.page.getAttribute('.ilt-rejected-file', 'aria-label'), `Problems in ${badName}`);
      const problems = await app.page.$$eval('.ilt-rejected-file li', (lis) => lis.map((li) => li.textContent));
      assert.ok(problems.some((p) => p.includes(`(id ${evil})`)), `a problem quotes the id as text: ${problems}`);
      // The results, filters and notes shown for those responses.
      await app.page.waitForSelector('#figure-10');
      await app.page.selectOption('#filter-wave', 'baseline');
      await app.page.waitForSelector('#question-table');
      await noAxe(app.page, 'text that looks like markup');
      await app.page.waitForTimeout(300); // time for a broken image's error handler, had one been made
      const found = await app.page.evaluate(() => ({
        xss: window.__xss,
        images: document.querySelectorAll('main img, img[src="x"]').length,
      }));
      assert.deepEqual(found, { xss: undefined, images: 0 });
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('an answer off its scale rejects the file with the response number and id; a custom survey is analysed on its own', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/evaluator');
      // The file a new user tried: everything fine except a 1–10 question rated 11.
      const eleven = response(0xc, 1);
      eleven.a.pcn_knows_cp = 11;
      await importFiles(app.page, [['eleven.json', rawFile([response(0xc, 0), eleven], 'Tablet 1')]]);
      assert.equal((await summaryRows(app.page))[0][4], 'Rejected: 1 problem');
      assert.deepEqual(await app.page.$$eval('.ilt-problem-list li', (lis) => lis.map((l) => l.textContent)),
        [`Response 2 (id ${rid(0xc, 1)}): its answer to 'pcn_knows_cp' does not fit the question: 11 is not on its scale from 1 to 10.`]);
      assert.equal(await held(app.page), 0, 'nothing imported');

      // An ICB's own version of the survey, carried in the device file with its answers.
      const definition = JSON.parse(readFileSync(new URL('../../src/survey/builtin_v1.json', import.meta.url), 'utf8'));
      Object.assign(definition, { id: 'herts-2025', version: 3, title: 'Hertfordshire engagement survey 2025' });
      const theirs = deviceA().slice(0, 12).map((r, n) => ({ ...r, id: rid(0xd, n), i: 'herts-2025', iv: 3 }));
      const custom = `{"format":"ilt-responses","format_version":2,"exported_at":"2025-06-30T12:00:00.000Z","definitions":[${JSON.stringify(definition)}],"responses":[\n${theirs.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
      await app.page.click('#load-demo');
      await app.page.waitForSelector('#figure-10');
      const demoIncluded = await app.page.textContent('#included-count');
      await importFiles(app.page, [['herts.json', custom]]);
      assert.equal((await summaryRows(app.page))[0][1], '12');
      // Results stay about one survey at a time; the evaluator picks which.
      const options = await app.page.$$eval('#pick-survey option', (os) => os.map((o) => o.textContent));
      assert.ok(options.includes('Hertfordshire engagement survey 2025 (herts-2025 version 3): 12 submitted responses'), options.join(' | '));
      assert.equal(await app.page.textContent('#included-count'), demoIncluded, 'the demo survey is still the one shown');
      await app.page.selectOption('#pick-survey', 'herts-2025@3');
      await app.page.waitForFunction(() => document.querySelector('#included-count')?.textContent.startsWith('12 responses included'));
      await noAxe(app.page, 'two surveys in one workspace');
      // Kept across a reload, definition and all: the custom survey can still be picked.
      const before = await held(app.page);
      await app.page.reload();
      await app.page.waitForSelector('#pick-survey');
      assert.equal(await held(app.page), before);
      await app.page.selectOption('#pick-survey', 'herts-2025@3');
      await app.page.waitForFunction(() => document.querySelector('#included-count')?.textContent.startsWith('12 responses included'));
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('a 375×667 phone screen never scrolls sideways, with every section shown', async () => {
    const app = await openApp(browser, { viewport: { width: 375, height: 667 } });
    try {
      await app.goto('#/evaluator');
      await app.page.click('#load-demo');
      await app.page.waitForSelector('#figure-10');
      await importFiles(app.page, [['a-device-file-with-a-rather-long-name-that-does-not-break-anywhere-at-all.json', '{']]);
      await app.page.check('#anon-free-text');
      const { scroll, client, wide } = await app.page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        wide: [...document.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5 && !e.closest('.ilt-table-scroll'))
          .map((e) => `${e.tagName}#${e.id}.${e.className}`).slice(0, 5),
      }));
      assert.ok(scroll <= client, `page is ${scroll}px wide on a ${client}px screen: ${wide}`);
      await noAxe(app.page, 'phone, everything shown');
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('a browser that cannot start the worker gets the same results, worked out on the page', async () => {
    const app = await openApp(browser);
    try {
      // The worker's script never arrives (an old browser, or a file missing): the page falls back.
      await app.context.route('**/evaluator-worker.js', (route) => route.abort());
      await app.goto('#/evaluator');
      await importFiles(app.page, [['tablet-a.json', rawFile(deviceA(), 'Tablet A')]]);
      assert.deepEqual((await summaryRows(app.page))[0], ['tablet-a.json', '30', '0', '0', 'Imported']);
      assert.equal(await held(app.page), 30);
      await app.page.waitForSelector('#figure-10');
      const anon = await download(app.page, '#download-anonymised');
      checkAnonymised(anon.text, { k: 5, ids: deviceA().map((r) => r.id), freeText: false });
      await app.page.reload();
      assert.equal(await held(app.page), 30, 'saved and opened again without the worker');
      assert.deepEqual(app.errors.filter((e) => !/evaluator-worker\.js|ERR_FAILED|Failed to load resource/.test(e)), []);
    } finally { await app.close(); }
  });

  test('two tabs: each takes in what the other saved, neither saves over the other or loses its set to a clear', async () => {
    const app = await openApp(browser);
    try {
      await app.goto('#/evaluator');
      const other = await app.context.newPage();
      other.on('pageerror', (e) => app.errors.push(`pageerror (second tab): ${e.message}`));
      await other.goto(app.server.url + '#/evaluator');
      await other.waitForSelector('#held-count');
      // Tab one imports A: tab two, open and idle, takes it in and says so.
      await importFiles(app.page, [['tablet-a.json', rawFile(deviceA(), 'Tablet A')]]);
      await other.waitForFunction(() => document.querySelector('#held-count')?.textContent.trim() === '30');
      assert.match(await other.textContent('#storage-note'), /^Information: Another tab saved responses to this workspace, so this page now holds them as well\.$/);
      await noAxe(other, 'second tab after taking in the first tab\'s set');
      // Tab two imports B: both tabs hold both, and so does the saved copy.
      await importFiles(other, [['tablet-b.json', rawFile(deviceB(), 'Tablet B')]]);
      assert.equal(await held(other), 50);
      await app.page.waitForFunction(() => document.querySelector('#held-count')?.textContent.trim() === '50');
      await app.page.waitForSelector('#figure-10');
      await app.page.reload();
      assert.equal(await held(app.page), 50, 'the saved set holds both tabs\' files');
      // Tab two clears (confirmed): tab one keeps what it holds (nothing it holds is lost) and
      // says so; the clear stays until tab one changes something.
      await other.click('#clear-workspace');
      await other.click('#confirm-clear');
      await app.page.waitForSelector('#storage-note');
      assert.equal(await app.page.textContent('#storage-note'), 'Information: Another tab removed the saved copy of this workspace (cleared it, or could not keep it). This page still holds its responses and saves them again with its next change: clear them here too if you meant to remove them.');
      assert.equal(await held(app.page), 50);
      await noAxe(app.page, 'first tab after the second cleared');
      await other.reload();
      assert.equal(await held(other), 0);
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('benchmark: what a person waits for at 10,000 and 100,000 responses (printed)', { timeout: 900000 }, async () => {
    const respondents = ['pharmacy', 'practice', 'pcn', 'icb', 'other', 'lead'];
    const icbs = ['blmk', 'candp', 'hwe', 'mse', 'nandw', 'snee'];
    for (const n of [10000, 100000]) {
      const app = await openApp(browser);
      try {
        await app.goto('#/evaluator');
        // Every long task from here on (the main thread busy over 50 ms), kept for the end.
        await app.page.evaluate(() => {
          window.__longTasks = [];
          new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
            .observe({ type: 'longtask', buffered: true });
        });
        // At 100,000: the file the DuckDB anchor timed in this run, where scripts/test.sh made one
        // (target/bench, ILT_BENCH_DIR), so the browser and DuckDB are timed on the same file.
        const anchorFile = ANCHOR && n === 100000 ? join(ANCHOR, 'bench-100k.json') : null;
        const text = anchorFile ? readFileSync(anchorFile, 'utf8') : rawFile(Array.from({ length: n }, (_, i) => response(0xbe, i, {
          respondent: respondents[i % 6], wave: i % 2 ? 'baseline' : 'follow_up', icb: icbs[(i >> 3) % 6],
          pcn: `PCN ${(i >> 5) % 40}`, hasLead: (i >> 2) % 2 ? 'yes' : 'no',
        })), 'Benchmark');
        const name = `bench-${n / 1000}k.json`;
        // The progress bar (shown once the work has run 300 ms): what it said, as it said it.
        await app.page.evaluate(() => {
          window.__progress = [];
          new MutationObserver(() => {
            const bar = document.querySelector('#eval-progress-bar');
            const doing = document.querySelector('#eval-progress [role=status]')?.textContent ?? '';
            if (bar) window.__progress.push({ value: bar.hasAttribute('value') ? bar.value : null, doing });
          }).observe(document.querySelector('#eval-progress'), { subtree: true, childList: true, characterData: true, attributes: true });
        });
        await app.page.evaluate(AXE_SOURCE); // ready before the bar shows: it is there for under a second
        const imported = importFiles(app.page, [[name, text]]);
        // About a second's work at 100,000: the bar appears, labelled, saying what is happening, and
        // passes axe (unless the work is done before the bar is due, on a much faster machine).
        const barShown = n === 100000 && await Promise.race([
          app.page.waitForSelector('#eval-progress-bar', { timeout: 120000 }).then(() => true),
          imported.then(() => false),
        ]);
        if (barShown) {
          const checked = await app.page.evaluate(async () => {
            const r = await window.axe.run('#eval-progress', { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
            return { violations: r.violations.map((v) => v.id), still: document.querySelector('#eval-progress-bar') !== null,
              label: document.querySelector('label[for=eval-progress-bar]')?.textContent };
          });
          assert.deepEqual(checked.violations, [], 'the progress bar passes axe');
          assert.equal(checked.label, 'Working');
          console.log(`  progress bar checked by axe while shown: ${checked.still ? 'yes' : 'it had gone before axe finished'}`);
        }
        await imported;
        assert.equal(await held(app.page), n);
        const progress = await app.page.evaluate(() => window.__progress);
        if (n === 100000 && progress.length) {
          const values = progress.map((p) => p.value).filter((v) => v !== null);
          assert.ok(values.every((v, i) => i === 0 || v >= values[i - 1]), `progress never goes back: ${values}`);
          assert.ok(progress.some((p) => /^(Checking|Merging|Working out)/.test(p.doing)), `says what it is doing: ${JSON.stringify(progress.slice(0, 5))}`);
        }
        await app.page.waitForFunction(() => document.querySelector('#eval-progress-bar') === null, null, { timeout: 60000 });
        await app.page.waitForSelector('#figure-10');
        const importWait = await waited(app.page, 'ilt:import-to-figures');
        // The bar is due 300 ms into the work: a wait three times that long shows it.
        if (importWait.ms > 900) assert.ok(progress.length > 0, `no progress bar in a ${importWait.ms} ms wait`);
        const exportStart = Date.now();
        const anon = await download(app.page, '#download-anonymised');
        const exportWall = Date.now() - exportStart;
        const exportWait = await waited(app.page, 'ilt:export-to-download');
        const t = async (id) => (await app.page.textContent(id)).trim();
        const count = n.toLocaleString('en-GB');
        console.log(`evaluator benchmark, ${count} responses (${(text.length / 1e6).toFixed(1)} MB file): file chosen → last figure drawn ${importWait.ms} ms (longest long task ${importWait.longest} ms); export click → download started ${exportWait.ms} ms (longest long task ${exportWait.longest} ms)`);
        if (anchorFile) {
          // DuckDB + SciPy on the same file in this run: its import + merge + analysis against the
          // wait for the figures, and its anonymised export against the wait for the download.
          const row = readFileSync(join(ANCHOR, 'anchor.txt'), 'utf8').split('\n').find((l) => l.startsWith('DuckDB + SciPy'));
          const [, , imp, merge, analyse, exp] = row.slice(16).trim().split(/\s+/).map((c) => Number(c.replace(/,/g, '')));
          const toFigures = imp + merge + analyse;
          console.log(`  the same file in DuckDB + SciPy (scripts/bench-anchor.sh, this run): import + merge + analysis ${Math.round(toFigures)} ms, anonymised export ${Math.round(exp)} ms; browser / DuckDB: ${(importWait.ms / toFigures).toFixed(2)} and ${(exportWait.ms / exp).toFixed(2)}`);
        }
        console.log(`  progress bar: ${progress.length ? `shown (${[...new Set(progress.map((p) => p.doing))].filter(Boolean).join('; ')})` : 'not shown (done within 300 ms)'}`);
        console.log(`  steps: import ${await t('#timing-import')}, analysis ${await t('#timing-analysis')}, anonymised export ${await t('#timing-export')} (download ${exportWall} ms wall as the test sees it, ${parseCsv(anon.text).length - 1} rows)`);
        assert.deepEqual(app.errors, []);
      } finally { await app.close(); }
    }
  });
});

/** The page's last User Timing measure `name` (src/evaluation/page/waited.rs), in whole ms, and the
 *  longest long task in it (0 when none: no task over 50 ms), waiting for the measure. A task that
 *  began before the measure counts from its start: the task that sets the file input also carries
 *  the file through DevTools (seconds for 34 MB), which no person waits for. A task that ends after
 *  the measure counts in full: the page is still busy (drawing the report after the download). */
async function waited(page, name) {
  await page.waitForFunction((n) => performance.getEntriesByName(n, 'measure').length > 0, name, { timeout: 120000 });
  // Long tasks are reported a moment after they end.
  await page.waitForTimeout(300);
  return page.evaluate((n) => {
    const m = performance.getEntriesByName(n, 'measure').at(-1);
    const end = m.startTime + m.duration;
    const busy = window.__longTasks.filter((t) => t.start < end && t.start + t.duration > m.startTime)
      .map((t) => t.start + t.duration - Math.max(t.start, m.startTime));
    return { ms: Math.round(m.duration), longest: Math.round(Math.max(0, ...busy)) };
  }, name);
}
