// End-to-end check of the Lead's activity log on the release build, as a new Lead on a 375 px
// phone, driven by labels and buttons: enter your details (the error summary first), log three
// activities (the type's usual mode preselected), delete a fourth after confirming, go offline
// (server stopped) and reload, see the three, change one, submit the month and download the
// return (its JSON names the three activities) and the whole log. axe-core is clean and the page
// never scrolls sideways on every page state; no console error; the page asks for no other job's
// module.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { filesOf, jobModules } from '../../scripts/modules.mjs';
import { startServer } from './server.mjs';
import { DIST, launch, openApp, waitForOfflineCopy, waitForServiceWorker } from './harness.mjs';
import { checkPage, waitForHeading } from './survey-flow.mjs';

const PHONE = { width: 375, height: 740 };
const MODULES = jobModules(DIST);
const JOB_OF_FILE = Object.fromEntries(Object.entries(MODULES).flatMap(([job, m]) => filesOf(m).map((f) => [f, job])));
const net = /ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR|network error/;
// The month the log opens on: this month, as the app reads it (UTC).
const MONTH = new Date().toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const MONTH_CODE = new Date().toISOString().slice(0, 7);

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const group = (page, legend) => page.getByRole('group', { name: legend });
const button = (page, name) => page.getByRole('button', { name, exact: true });

/** Fill in and save "Your details"; the month overview follows. */
async function enterDetails(page, [id, name, icb, pcns]) {
  await page.getByLabel('Your Lead ID').fill(id);
  await page.getByLabel('Your name').fill(name);
  await group(page, 'Your integrated care board (ICB)').getByLabel(icb).check();
  await page.getByLabel('The primary care networks (PCNs) you cover').fill(pcns);
  await button(page, 'Save your details').click();
  await waitForHeading(page, `Activity log: ${MONTH}`);
}

/** Add an activity from the month overview; back on the month with its success message. */
async function addActivity(page, a, { check = false, notice = /Activity added and saved/ } = {}) {
  await button(page, 'Add an activity').click();
  await waitForHeading(page, `Add an activity to ${MONTH}`);
  await group(page, 'What kind of activity was it?').getByLabel(a.type, { exact: true }).check();
  // The type's usual mode is picked for the Lead.
  assert.equal(await group(page, 'How did it happen?').getByLabel(a.usualMode, { exact: true }).isChecked(), true, `${a.type}: usual mode`);
  if (a.mode) await group(page, 'How did it happen?').getByLabel(a.mode, { exact: true }).check();
  for (const p of a.purposes) await group(page, 'What was it for?').getByLabel(p, { exact: true }).check();
  for (const w of a.who) await group(page, 'Who was it with?').getByLabel(w, { exact: true }).check();
  await page.getByLabel('How many people did it reach?').fill(a.reached);
  await page.getByLabel('How many of them were actively engaged?').fill(a.active);
  await page.getByLabel('How long did it take?').fill(a.hours);
  if (a.note) await page.getByLabel('Note (optional)').fill(a.note);
  // Every number input brings up the number keypad.
  for (const id of ['f-reached_present', 'f-reached_active', 'f-minutes']) {
    assert.match(await page.getAttribute(`#${id}`, 'inputmode'), /^(numeric|decimal)$/);
  }
  if (check) await checkPage(page, 'add an activity, filled in');
  await button(page, 'Save activity').click();
  await waitForHeading(page, `Activity log: ${MONTH}`);
  assert.match(await page.textContent('#notice'), notice);
}

const ACTIVITIES = [
  { type: 'Telephone call', usualMode: 'Telephone or video', purposes: ['Pharmacy First'], who: ['Community pharmacies'], reached: '1', active: '1', hours: '0.5', code: 'call' },
  { type: 'Visit to a pharmacy or practice', usualMode: 'Face to face', purposes: ['Service development and pathway changes', 'Pharmacy First'], who: ['Practices (GPs, practice managers, reception)'], reached: '6', active: '4', hours: '1.5', note: 'Walked the <b>referral</b> pathway with reception', code: 'visit' },
  { type: 'Webinar', usualMode: 'Telephone or video', purposes: ['Sharing information with pharmacies or practices'], who: ['Community pharmacies', 'The PCN (clinical director, PCN pharmacist)'], reached: '40', active: '5', hours: '2', code: 'webinar' },
];

describe('activity log', () => {
  test('a new Lead on a phone logs three activities, works offline, changes one, submits the month and downloads the return', { timeout: 240000 }, async () => {
    const server = await startServer({ root: DIST });
    const app = await openApp(browser, { server, viewport: PHONE });
    const { page } = app;
    try {
      // First use: your details, with the NHS error summary.
      await app.goto('#/log');
      await waitForHeading(page, 'Your details');
      await checkPage(page, 'your details');
      await button(page, 'Save your details').click();
      const summary = page.locator('.nhsuk-error-summary');
      await summary.waitFor();
      await page.waitForFunction(() => document.activeElement?.classList.contains('nhsuk-error-summary'));
      assert.equal((await summary.locator('li').allTextContents()).length, 4);
      await checkPage(page, 'your details, with errors');
      // Each message moves focus to its field.
      await summary.getByRole('link', { name: /Enter your name/ }).click();
      await page.waitForFunction(() => document.activeElement?.id === 'f-lead_name');
      await enterDetails(page, ['HWE-07', 'Asha Patel', 'Hertfordshire and West Essex', 'Stevenage North\nHitchin']);
      assert.match(await page.textContent('#notice'), /Your details are saved/);
      assert.match(await page.textContent('main'), /Asha Patel \(hwe-07\), Stevenage North, Hitchin/);
      assert.match(await page.textContent('#month-status'), /not submitted yet/);
      await checkPage(page, 'an empty month');

      // The form's checks, in the error summary and by each field.
      await button(page, 'Add an activity').click();
      await waitForHeading(page, `Add an activity to ${MONTH}`);
      await page.getByLabel('How many people did it reach?').fill('3');
      await page.getByLabel('How many of them were actively engaged?').fill('5');
      await button(page, 'Save activity').click();
      await summary.waitFor();
      const messages = await summary.locator('li').allTextContents();
      assert.deepEqual(messages, [
        'Select the type of activity',
        'Select whether it was face to face, by telephone or video, or written',
        'Select at least one purpose',
        'People actively engaged must be no more than the people reached (3)',
        'Enter how long the activity took',
      ]);
      await checkPage(page, 'add an activity, with errors');
      await page.getByRole('link', { name: 'Back', exact: true }).click();
      await waitForHeading(page, `Activity log: ${MONTH}`);

      for (const [i, a] of ACTIVITIES.entries()) await addActivity(page, a, { check: i === 0 });
      assert.equal(await page.locator('#activities > li').count(), 3);
      const totals = await page.textContent('#month-totals');
      assert.match(totals, /Activities\s*3/);
      assert.match(totals, /People reached\s*47 \(10 actively engaged\)/);
      assert.match(totals, /Hours spent\s*4/);
      // Typed text is shown as text, never as markup.
      assert.equal(await page.locator('#activities b').count(), 0);
      assert.match(await page.textContent('#activities'), /Walked the <b>referral<\/b> pathway/);
      await checkPage(page, 'a month with three activities');

      // Delete asks first.
      await addActivity(page, { ...ACTIVITIES[0], type: 'Email', usualMode: 'Written (email, message or letter)', code: 'email' });
      assert.equal(await page.locator('#activities > li').count(), 4);
      // Each button names its activity and time, so same-type activities differ.
      const deleteEmail = page.getByRole('button', { name: /^Delete Email, [\d.]+ hours$/ });
      await deleteEmail.click();
      // The question is focused (read first), not the button that deletes.
      await page.waitForFunction(() => document.activeElement?.id?.startsWith('delete-ask-'));
      await button(page, 'No, keep it').click();
      assert.equal(await page.locator('#activities > li').count(), 4);
      await deleteEmail.click();
      await checkPage(page, 'confirm delete');
      await button(page, 'Yes, delete it').click();
      await page.locator('#notice', { hasText: 'Activity deleted' }).waitFor();
      assert.equal(await page.locator('#activities > li').count(), 3);

      // Only this job's module (the service worker keeps the survey module in the background).
      await waitForServiceWorker(page);
      await waitForOfflineCopy(page);
      const asked = server.log.map((e) => ({ job: JOB_OF_FILE[e.path.replace(/^\//, '')], by: e.by })).filter((e) => e.job);
      assert.deepEqual(asked.filter((e) => e.by === 'page' && e.job !== 'log'), [], 'the page asked for another job\'s module');
      assert.deepEqual(asked.filter((e) => !['log', 'survey'].includes(e.job)), [], 'nothing of the calculator or the evaluator');

      // Offline: the server stopped and the network off. A reload shows the three.
      await server.close();
      await app.context.setOffline(true);
      await page.reload();
      await waitForHeading(page, `Activity log: ${MONTH}`);
      assert.equal(await page.locator('#activities > li').count(), 3);
      await checkPage(page, 'the month, offline after a reload');

      // Change one: the webinar took longer.
      await page.getByRole('link', { name: 'Change Webinar' }).click();
      await waitForHeading(page, `Change an activity in ${MONTH}`);
      assert.equal(await page.inputValue('#f-minutes'), '2');
      assert.equal(await group(page, 'Who was it with?').getByLabel('The PCN (clinical director, PCN pharmacist)').isChecked(), true);
      await checkPage(page, 'change an activity');
      await page.getByLabel('How long did it take?').fill('2.5');
      await button(page, 'Save your change').click();
      await waitForHeading(page, `Activity log: ${MONTH}`);
      assert.match(await page.textContent('#notice'), /Your change is saved/);
      assert.match(await page.textContent('#month-totals'), /Hours spent\s*4\.5/);

      // Submit the month.
      await button(page, "Submit this month's return").click();
      await waitForHeading(page, `Submit your return for ${MONTH}`);
      assert.match(await page.textContent('#month-totals'), /Activities\s*3/);
      await page.getByLabel('Hours claimed for the month (optional)').fill('lots');
      await button(page, 'Submit').click();
      await summary.waitFor();
      assert.deepEqual(await summary.locator('li').allTextContents(), ['Enter the hours as a number, like 1.5']);
      await checkPage(page, 'submit, with an error');
      await page.getByLabel('Hours claimed for the month (optional)').fill('12');
      await page.getByLabel('Your reflections on the month (optional)').fill('Pharmacy First referrals picked up after the practice visit.');
      await button(page, 'Submit').click();
      await page.locator('#return-submitted').waitFor();
      assert.match(await page.textContent('main h1'), new RegExp(`Return submitted for ${MONTH}`));
      await checkPage(page, 'return submitted');

      const [download] = await Promise.all([page.waitForEvent('download'), button(page, "Download this month's return").click()]);
      assert.equal(download.suggestedFilename(), `ilt-return-hwe-07-${MONTH_CODE}.json`);
      const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
      assert.equal(file.format, 'ilt-activity');
      assert.equal(file.scope, 'return');
      assert.deepEqual(file.activities.map((a) => a.t).sort(), ACTIVITIES.map((a) => a.code).sort());
      assert.equal(file.activities.find((a) => a.t === 'webinar').min, 150);
      assert.equal(file.activities.find((a) => a.t === 'visit').n, ACTIVITIES[1].note);
      assert.deepEqual(file.returns.map((r) => [r.l, r.m, r.na, r.mc]), [['hwe-07', MONTH_CODE, 3, 720]]);
      const [whole] = await Promise.all([page.waitForEvent('download'), button(page, 'Download my whole log').click()]);
      assert.match(whole.suggestedFilename(), /^ilt-activity-log-hwe-07-\d{4}-\d{2}-\d{2}\.json$/);
      assert.equal(JSON.parse(readFileSync(await whole.path(), 'utf8')).activities.length, 3);

      // The month is now read-only.
      await page.getByRole('link', { name: `Go back to ${MONTH}` }).click();
      await waitForHeading(page, `Activity log: ${MONTH}`);
      assert.match(await page.textContent('#month-status'), /The month is closed/);
      assert.equal(await page.getByRole('button', { name: 'Add an activity' }).count(), 0);
      assert.equal(await page.locator('#activities a, #activities button').count(), 0, 'no Change or Delete');
      assert.equal(await page.getByRole('button', { name: /^Delete/ }).count(), 0);
      await checkPage(page, 'a submitted month');

      assert.deepEqual(app.errors.filter((e) => !net.test(e)), []);
      assert.deepEqual(app.foreign, []);
    } finally { await app.close(); await server.close().catch(() => {}); }
  });

  test('a full store keeps the activity with a warning, retry and the log as a file; unreadable records are listed; another tab\'s change shows', { timeout: 180000 }, async () => {
    const app = await openApp(browser, { viewport: PHONE });
    const { page } = app;
    try {
      await app.goto('#/log');
      await waitForHeading(page, 'Your details');
      await enterDetails(page, ['snee-3', 'Sam Okafor', 'Suffolk and North East Essex', 'Ipswich East']);

      // Fill the store, then log an activity: kept in the page, with the warning.
      await page.evaluate(() => {
        let i = 0;
        try { for (;;) localStorage.setItem(`junk${i++}`, 'x'.repeat(256 * 1024)); } catch { /* full */ }
        for (const size of [16384, 1024, 64, 1]) {
          let n = 0;
          try { for (;;) localStorage.setItem(`junk-${size}-${n++}`, 'x'.repeat(size)); } catch { /* full at this size */ }
        }
      });
      await addActivity(page, ACTIVITIES[1], { notice: /Activity added and kept in this page \(not yet saved on this device/ });
      const warning = page.locator('#save-warning');
      await warning.waitFor();
      assert.match(await warning.textContent(), /storage for the toolkit is full/);
      assert.match(await warning.textContent(), /1 change is kept in this page only/);
      assert.equal(await page.locator('#activities > li').count(), 1);
      await checkPage(page, 'storage full warning');
      const [download] = await Promise.all([page.waitForEvent('download'), warning.getByRole('button', { name: 'Download my whole log' }).click()]);
      assert.deepEqual(JSON.parse(readFileSync(await download.path(), 'utf8')).activities.map((a) => a.t), ['visit']);
      // Room again: try saving again, and it is stored.
      await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('junk')) localStorage.removeItem(k); });
      await button(page, 'Try saving again').click();
      await warning.waitFor({ state: 'detached' });
      assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ilt:act:')).length), 1);

      // A record this version cannot read is listed, and kept as it is.
      const bad = 'ilt:act:0123456789abcdef0123456789abcdef';
      await page.evaluate((key) => localStorage.setItem(key, '{"v":9}'), bad);
      await page.reload();
      await waitForHeading(page, `Activity log: ${MONTH}`);
      const unreadable = page.locator('#unreadable');
      await unreadable.waitFor();
      assert.match(await unreadable.textContent(), new RegExp(`${bad}: The record was saved by a newer version`));
      await checkPage(page, 'an unreadable record listed');

      // Another tab logs an activity: this one shows it without a reload.
      const other = await app.context.newPage();
      await other.goto(page.url());
      await waitForHeading(other, `Activity log: ${MONTH}`);
      await addActivity(other, ACTIVITIES[2]);
      await page.locator('#activities > li').nth(1).waitFor();
      assert.equal(await page.locator('#activities > li').count(), 2);
      assert.equal(await page.evaluate((key) => localStorage.getItem(key), bad), '{"v":9}');
      await other.close();
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });
});
