// End-to-end checks of the survey pages on the release build, driven the way a person would: by
// labels and buttons. Each questionnaire is completed; a reload midway resumes; a survey is completed
// offline; two tabs submit at once and both are kept; a full store shows the message and the answers
// survive as a file; the export file holds exactly what was entered; axe-core finds no violation on
// any page state, and a 375 px screen never scrolls sideways.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, openApp, waitForServiceWorker } from './harness.mjs';
import { heading, waitForHeading, checkPage, continueButton, answerScreen, QUESTIONNAIRES, startAsPharmacy, completeScreens, submit } from './survey-flow.mjs';

const PHONE = { width: 375, height: 740 };
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function openManager(page, goto) {
  await goto('#/survey?view=manage');
  await waitForHeading(page, 'Responses on this device');
  await page.getByRole('button', { name: 'I look after this device' }).click();
  await page.locator('#count-submitted').waitFor();
}

async function counts(page) {
  return {
    submitted: Number(await page.locator('#count-submitted').textContent()),
    unfinished: Number(await page.locator('#count-unfinished').textContent()),
  };
}

async function exportFile(page) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export all responses' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^ilt-responses-\d{4}-\d{2}-\d{2}\.json$/);
  return JSON.parse(readFileSync(await download.path(), 'utf8'));
}

describe('survey', () => {
  test('each questionnaire is completed by labels and buttons, and the export holds exactly the answers', async () => {
    const app = await openApp(browser, { viewport: PHONE });
    const { page } = app;
    try {
      await app.goto('#/survey');
      await checkPage(page, 'start page');
      assert.match(await page.textContent('main'), /about 5 minutes/);

      // An empty required answer: error summary (focused, linked to the field) and the field's message.
      await page.getByRole('button', { name: 'Start now' }).click();
      await waitForHeading(page, 'About you');
      await checkPage(page, 'first screen');
      await continueButton(page).click();
      const summary = page.locator('.nhsuk-error-summary');
      await summary.waitFor();
      await page.waitForFunction(() => document.activeElement?.classList.contains('nhsuk-error-summary'));
      const messages = await summary.locator('li').allTextContents();
      assert.equal(messages.length, 2, messages.join(' | '));
      const group = page.locator('.nhsuk-form-group--error').first();
      assert.match(await group.locator('.nhsuk-error-message').textContent(), /^Error: /);
      await checkPage(page, 'error state');
      await summary.locator('a').first().click();
      await page.waitForFunction(() => document.activeElement?.id === 'q-respondent');
      assert.equal(new URL(page.url()).hash, '#/survey?screen=about_you', 'the error link does not change the route');
      // Back to the start: this tab's draft is offered for continuing; answer from there.
      await page.getByRole('link', { name: 'Back' }).click();
      await waitForHeading(page, 'Community Pharmacy Integration Leads');
      await page.getByRole('button', { name: 'Continue your survey' }).click();
      await waitForHeading(page, 'About you');
      await page.goto(app.server.url + '#/survey');
      await waitForHeading(page, 'Community Pharmacy Integration Leads');
      // Forget that draft in this tab so the questionnaires below start clean (it stays unfinished).
      await page.evaluate(() => sessionStorage.clear());
      await page.reload();
      await waitForHeading(page, 'Community Pharmacy Integration Leads');

      const references = [];
      for (const [name, q] of Object.entries(QUESTIONNAIRES)) {
        const seen = new Set();
        await completeScreens(page, q, {
          check: async (title) => { if (!seen.has(title)) { seen.add(title); await checkPage(page, `${name}: ${title}`); } },
        });
        await checkPage(page, `${name}: check your answers`);
        // A "Change" link returns to check your answers.
        await page.getByRole('link', { name: /^Change ICB area/ }).click();
        await waitForHeading(page, 'Your area');
        await continueButton(page).click();
        await waitForHeading(page, 'Check your answers');
        const reference = await submit(page);
        assert.match(reference, /^[0-9A-F]{4}-[0-9A-F]{4}$/);
        references.push(reference);
        await checkPage(page, `${name}: confirmation`);
        await page.getByRole('button', { name: 'Start a new survey' }).click();
        await waitForHeading(page, 'Community Pharmacy Integration Leads');
        assert.equal(await page.getByRole('button', { name: 'Continue your survey' }).count(), 0, 'the next person starts clean');
      }

      await openManager(page, app.goto);
      await checkPage(page, 'device manager');
      assert.deepEqual(await counts(page), { submitted: 3, unfinished: 1 });
      assert.equal(await page.getByRole('button', { name: 'Clear responses on this device' }).count(), 0, 'clearing is offered only after an export');
      const file = await exportFile(page);
      assert.equal(file.format, 'ilt-responses');
      assert.equal(file.responses.length, 4);
      const submitted = file.responses.filter((r) => r.s);
      assert.equal(submitted.length, 3);
      for (const [name, q] of Object.entries(QUESTIONNAIRES)) {
        const r = submitted.find((x) => x.a.respondent === q.expect.respondent);
        assert.ok(r, `${name} is in the export`);
        assert.deepEqual(r.a, q.expect, `${name}: the export holds exactly what was entered`);
        assert.equal(r.i, 'eoe-cpil');
        assert.ok(references.includes(`${r.id.slice(0, 4)}-${r.id.slice(4, 8)}`.toUpperCase()), `${name}: reference matches the id`);
      }
      // Clear, with a confirm step; afterwards the device holds nothing.
      await page.getByRole('button', { name: 'Clear responses on this device' }).click();
      await checkPage(page, 'clear confirmation');
      await page.getByRole('button', { name: 'Yes, clear the exported responses' }).click();
      await page.getByText('4 responses were cleared from this device.').waitFor();
      assert.deepEqual(await counts(page), { submitted: 0, unfinished: 0 });
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('a survey link presets and locks answers; bad parameters are ignored with a note', async () => {
    const app = await openApp(browser, { viewport: PHONE });
    const { page } = app;
    try {
      await app.goto('#/survey?icb=hwe&wave=sometime&lock=icb&colour=blue');
      await page.getByText('Part of your survey link was ignored').waitFor();
      const notes = await page.locator('.nhsuk-warning-callout li').allTextContents();
      assert.ok(notes.some((n) => n.includes('colour')), notes.join(' | '));
      assert.ok(notes.some((n) => n.includes('sometime')), notes.join(' | '));
      assert.match(await page.textContent('.nhsuk-inset-text'), /ICB area: Hertfordshire and West Essex \(cannot be changed\)/);
      await checkPage(page, 'start page with a survey link');
      await page.getByRole('button', { name: 'Start now' }).click();
      await waitForHeading(page, 'About you');
      await answerScreen(page, { 'Which of these best describes you?': 'Community Pharmacy Integration Lead', 'Which survey are you answering?': 'Baseline: the start of the Integration Lead year' });
      await continueButton(page).click();
      await waitForHeading(page, 'Your area');
      assert.match(await page.textContent('main'), /Hertfordshire and West Essex \(set by your survey link\)/);
      assert.equal(await page.getByRole('group', { name: /integrated care board/ }).count(), 0, 'a locked answer has no control');
      await checkPage(page, 'screen with a locked answer');
      await continueButton(page).click();
      await waitForHeading(page, 'Your knowledge and confidence');
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('a reload midway continues where the person was; a closed tab is offered back, except on a shared device', async () => {
    const app = await openApp(browser, { viewport: PHONE });
    const { page } = app;
    try {
      await startAsPharmacy(app);
      await page.getByLabel('Which primary care network (PCN) do you work in or with?').fill('Royston');
      await page.getByRole('group', { name: /have a Community Pharmacy Integration Lead/ }).getByLabel('No', { exact: true }).check();
      await page.reload();
      await waitForHeading(page, 'Your area');
      assert.equal(await page.getByLabel('Which primary care network (PCN) do you work in or with?').inputValue(), 'Royston');
      assert.ok(await page.getByRole('group', { name: /have a Community Pharmacy Integration Lead/ }).getByLabel('No', { exact: true }).isChecked());
      // The browser's back button keeps answers too.
      await page.goBack();
      await waitForHeading(page, 'About you');
      assert.ok(await page.getByLabel('Community pharmacy (owner, pharmacist or pharmacy team)').isChecked());

      // A closed tab: a new tab offers to continue that survey.
      await page.close();
      const second = await app.context.newPage();
      second.on('console', (m) => { if (m.type() === 'error') app.errors.push(m.text()); });
      await second.goto(app.server.url + '#/survey');
      await waitForHeading(second, 'Community Pharmacy Integration Leads');
      await checkPage(second, 'start page offering an unfinished survey');
      await second.getByRole('button', { name: /^Continue the survey last changed at \d\d:\d\d/ }).click();
      await waitForHeading(second, 'Your area');
      assert.equal(await second.getByLabel('Which primary care network (PCN) do you work in or with?').inputValue(), 'Royston');

      // Shared-device mode: a new tab offers nothing of the earlier person's survey.
      await second.goto(app.server.url + '#/survey?view=manage');
      await waitForHeading(second, 'Responses on this device');
      await second.getByRole('button', { name: 'I look after this device' }).click();
      await second.getByLabel('This device is shared by several people').check();
      const third = await app.context.newPage();
      await third.goto(app.server.url + '#/survey');
      await waitForHeading(third, 'Community Pharmacy Integration Leads');
      assert.equal(await third.getByRole('button', { name: /^Continue the survey/ }).count(), 0);
      assert.doesNotMatch(await third.textContent('main'), /Royston/);
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('an error on the check page links to its question, shown with its message and focused', async () => {
    const app = await openApp(browser);
    const { page } = app;
    try {
      await startAsPharmacy(app);
      // Skip ahead to the check page with "Your area" unanswered, and submit.
      await page.goto(app.server.url + '#/survey?view=check');
      await waitForHeading(page, 'Check your answers');
      await page.getByRole('button', { name: 'Submit', exact: true }).click();
      const first = page.locator('.nhsuk-error-summary__list a').first();
      await first.waitFor({ timeout: 10000 });
      const message = (await first.textContent()).trim();
      await first.click();
      await waitForHeading(page, 'Your area');
      // The screen shows the same message in its summary and beside the question, which has focus.
      await page.waitForFunction(() => document.activeElement?.id?.startsWith('q-'), null, { timeout: 10000 });
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        const group = el.closest('.nhsuk-form-group');
        return { id: el.id, groupError: group?.classList.contains('nhsuk-form-group--error'),
          inline: group?.querySelector('.nhsuk-error-message')?.textContent ?? '' };
      });
      assert.ok(focused.groupError, `the focused field ${focused.id} is marked as in error`);
      assert.ok(focused.inline.includes(message), `inline message "${focused.inline}" is "${message}"`);
      assert.ok((await page.locator('.nhsuk-error-summary').textContent()).includes(message));
      await checkPage(page, 'screen opened from a check-page error');
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('a survey is completed offline', async () => {
    const app = await openApp(browser);
    const { page } = app;
    try {
      await app.goto('#/survey');
      await waitForServiceWorker(page);
      await app.context.setOffline(true);
      await page.reload();
      await waitForHeading(page, 'Community Pharmacy Integration Leads');
      await completeScreens(page, QUESTIONNAIRES.leadBaseline);
      await submit(page);
      await openManager(page, app.goto);
      assert.deepEqual(await counts(page), { submitted: 1, unfinished: 0 });
      assert.deepEqual(app.errors, []);
    } finally { await app.context.setOffline(false); await app.close(); }
  });

  test('two tabs submitting at the same time both keep their response', async () => {
    const app = await openApp(browser);
    try {
      const tabs = [app.page, await app.context.newPage()];
      for (const tab of tabs) {
        tab.on('console', (m) => { if (m.type() === 'error' && tab !== app.page) app.errors.push(m.text()); });
        await tab.goto(app.server.url + '#/survey');
        await waitForHeading(tab, 'Community Pharmacy Integration Leads');
      }
      await tabs[0].bringToFront();
      await completeScreens(tabs[0], QUESTIONNAIRES.pharmacyBaseline);
      await tabs[1].bringToFront();
      await completeScreens(tabs[1], QUESTIONNAIRES.practiceFollowUp);
      // Both Submit buttons pressed at once (events, so neither waits for the other tab to be in front).
      await Promise.all(tabs.map((t) => t.getByRole('button', { name: 'Submit' }).dispatchEvent('click')));
      await Promise.all(tabs.map((t) => waitForHeading(t, 'Thank you')));
      await app.page.bringToFront();
      await openManager(app.page, app.goto);
      assert.deepEqual(await counts(app.page), { submitted: 2, unfinished: 0 });
      const file = await exportFile(app.page);
      assert.deepEqual(file.responses.map((r) => r.a.respondent).sort(), ['pharmacy', 'practice']);
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('two tabs continuing one survey keep each other\'s answers, and neither changes it once submitted', async () => {
    const app = await openApp(browser);
    const first = app.page;
    try {
      await startAsPharmacy(app);
      const second = await app.context.newPage();
      second.on('console', (m) => { if (m.type() === 'error') app.errors.push(m.text()); });
      await second.goto(app.server.url + '#/survey');
      await second.getByRole('button', { name: /^Continue the survey last changed at/ }).click();
      await waitForHeading(second, 'Your area');
      const leadGroup = (page) => page.getByRole('group', { name: /have a Community Pharmacy Integration Lead/ });
      const icbGroup = (page) => page.getByRole('group', { name: /integrated care board \(ICB\) area/ });
      // One answer in each tab; the first tab's copy never saw the second tab's answer.
      await leadGroup(second).getByLabel('Yes', { exact: true }).check();
      await icbGroup(first).getByLabel('Hertfordshire and West Essex', { exact: true }).check();
      const stored = async () => first.evaluate(() => {
        const key = Object.keys(localStorage).find((k) => k.startsWith('ilt:r:'));
        return JSON.parse(localStorage.getItem(key));
      });
      const record = await stored();
      assert.equal(record.a.icb, 'hwe');
      assert.equal(record.a.has_lead, 'yes', 'the first tab kept the second tab\'s answer');
      // Each tab shows the other's answer.
      await leadGroup(first).getByLabel('Yes', { exact: true }).waitFor();
      assert.ok(await leadGroup(first).getByLabel('Yes', { exact: true }).isChecked());
      assert.ok(await icbGroup(second).getByLabel('Hertfordshire and West Essex', { exact: true }).isChecked());

      // The first tab finishes and submits.
      await first.bringToFront();
      await first.getByLabel('Which primary care network (PCN) do you work in or with?').fill('Stevenage North');
      await continueButton(first).click();
      for (const [title, plan] of QUESTIONNAIRES.pharmacyBaseline.screens.slice(2)) {
        await waitForHeading(first, title);
        await answerScreen(first, plan);
        await continueButton(first).click();
      }
      await waitForHeading(first, 'Check your answers');
      await submit(first);
      // The second tab lets go of it: it can no longer turn the submitted response back into a draft.
      await second.bringToFront();
      await waitForHeading(second, 'There is no survey in progress');
      const after = await stored();
      assert.equal(after.s, true, 'still submitted');
      assert.deepEqual(after.a.pcn, { t: 'Stevenage North' });
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('a full store says so in plain words and the answers survive as a file', async () => {
    const app = await openApp(browser, { viewport: PHONE });
    const { page } = app;
    try {
      await app.goto('#/survey');
      await page.getByRole('button', { name: 'Start now' }).click();
      await waitForHeading(page, 'About you');
      const filled = await page.evaluate(() => {
        const chunk = 'x'.repeat(256 * 1024);
        let i = 0;
        try { for (;;) localStorage.setItem(`junk${i++}`, chunk); } catch { /* full */ }
        // Then smaller and smaller values, until not even one character fits.
        for (const size of [16384, 1024, 64, 1]) {
          let n = 0;
          try { for (;;) localStorage.setItem(`junk-${size}-${n++}`, 'x'.repeat(size)); } catch { /* full at this size */ }
        }
        return i;
      });
      assert.ok(filled > 1);
      await answerScreen(page, QUESTIONNAIRES.pharmacyBaseline.screens[0][1]);
      const warning = page.getByRole('alert').filter({ hasText: 'Your answers are not saved on this device' });
      await warning.waitFor();
      assert.match(await warning.textContent(), /storage for the toolkit is full/);
      await checkPage(page, 'storage full warning');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download your answers' }).click(),
      ]);
      const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
      assert.equal(file.format, 'ilt-responses');
      assert.deepEqual(file.responses[0].a, { respondent: 'pharmacy', wave: 'baseline' });
      // Visiting another page of the app and coming back keeps the unsaved answers and the warning.
      await app.goto('#/privacy');
      await app.goto('#/survey?screen=about_you');
      await warning.waitFor();
      assert.ok(await page.getByLabel('Community pharmacy (owner, pharmacist or pharmacy team)').isChecked());
      // Room again: the next change is saved and the warning goes.
      await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('junk')) localStorage.removeItem(k); });
      await continueButton(page).click();
      await waitForHeading(page, 'Your area');
      await page.getByRole('group', { name: /have a Community Pharmacy Integration Lead/ }).getByLabel('Yes', { exact: true }).check();
      await warning.waitFor({ state: 'detached' });
      const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('ilt:r:')).map((k) => JSON.parse(localStorage.getItem(k))));
      assert.equal(stored.length, 1);
      assert.deepEqual(stored[0].a, { respondent: 'pharmacy', wave: 'baseline', has_lead: 'yes' });
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });

  test('unreadable records are reported and kept; a bad survey definition changes nothing', async () => {
    const app = await openApp(browser, { viewport: PHONE });
    const { page } = app;
    try {
      await app.goto('#/survey');
      await page.evaluate(() => {
        localStorage.setItem('ilt:r:0123456789abcdef0123456789abcdef', '{"v":99,"id":"0123456789abcdef0123456789abcdef"}');
        localStorage.setItem('ilt:r:broken', '{not json');
      });
      await openManager(page, app.goto);
      await page.getByText('2 saved records could not be read').waitFor();
      await checkPage(page, 'device manager with unreadable records');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download unreadable records' }).click(),
      ]);
      const raw = JSON.parse(readFileSync(await download.path(), 'utf8'));
      assert.deepEqual(raw.records.map((r) => r.stored).sort(), ['{"v":99,"id":"0123456789abcdef0123456789abcdef"}', '{not json']);

      // A definition with problems: every problem listed, nothing changed.
      const bad = JSON.stringify({ id: 'x', version: 0, title: 'Bad', sections: [] });
      await page.getByLabel('Load a survey definition').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(bad) });
      const error = page.locator('#definition-file-error');
      await error.waitFor();
      assert.match(await error.textContent(), /was not loaded/);
      await checkPage(page, 'definition error');
      assert.match(await page.textContent('main'), /use 'Community Pharmacy Integration Leads: engagement survey'/);
      // A good one is used for new surveys; the built-in one can be restored.
      // (Version 9: versions 1 and 2 of eoe-cpil are built in, and a file may not redefine them.)
      const good = readFileSync(new URL('../../src/survey/builtin_v1.json', import.meta.url), 'utf8')
        .replace('"version": 1', '"version": 9').replace('engagement survey', 'engagement survey (pilot)');
      await page.getByLabel('Load a survey definition').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(good) });
      await page.getByText(/New surveys now use .*\(pilot\)/).waitFor();
      await app.goto('#/survey');
      await waitForHeading(page, 'engagement survey (pilot)');
      await app.goto('#/survey?view=manage');
      await page.getByRole('button', { name: 'I look after this device' }).click();
      await page.getByRole('button', { name: 'Use the built-in survey' }).click();
      await page.getByText('New surveys now use the built-in survey.').waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem('ilt:r:broken')), '{not json', 'unreadable records are never removed');
      assert.deepEqual(app.errors, []);
    } finally { await app.close(); }
  });
});
