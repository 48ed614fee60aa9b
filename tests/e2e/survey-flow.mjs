// The survey as a person answers it, shared by the end-to-end tests: answering a screen by its
// labels, the built-in questionnaires' answers, completing every screen, and Submit (which must go
// straight to "Thank you").
import assert from 'node:assert/strict';
import { axeViolations } from './harness.mjs';

export const heading = (page) => page.locator('main h1');

export async function waitForHeading(page, text) {
  await page.locator('main h1', { hasText: text }).first().waitFor({ timeout: 15000 });
}

/** axe and the phone-width check for the page state on screen. */
export async function checkPage(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 1)}`);
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `${what} is ${scroll}px wide on a ${client}px screen`);
}

export const continueButton = (page) => page.getByRole('button', { name: 'Continue', exact: true });

/**
 * Answer the screen on show. `plan` maps a question's wording to the option label to choose, or to
 * text to type (`{ text }`), or to several option labels (`{ all: [...] }`). Agree scales and
 * ratings not in the plan get "Agree" / 4, which are both stored as 4.
 */
export async function answerScreen(page, plan = {}) {
  for (const [question, answer] of Object.entries(plan)) {
    if (typeof answer === 'string') {
      await page.getByRole('group', { name: question }).getByLabel(answer, { exact: true }).check();
    } else if (answer.all) {
      const group = page.getByRole('group', { name: question });
      for (const label of answer.all) await group.getByLabel(label, { exact: true }).check();
    } else {
      await page.getByLabel(question).fill(answer.text);
    }
  }
  const legends = await page.locator('main fieldset legend').allTextContents();
  for (const legend of legends) {
    if (Object.keys(plan).some((q) => legend.startsWith(q))) continue;
    const group = page.getByRole('group', { name: legend });
    if (await group.getByLabel('Agree', { exact: true }).count()) await group.getByLabel('Agree', { exact: true }).check();
    else await group.getByLabel('4', { exact: true }).check();
  }
}

/** The questionnaires, as a person would answer them: screen headings and answers. */
export const QUESTIONNAIRES = {
  pharmacyBaseline: {
    screens: [
      ['About you', { 'Which of these best describes you?': 'Community pharmacy (owner, pharmacist or pharmacy team)', 'Which survey are you answering?': 'Baseline: the start of the Integration Lead year' }],
      ['Your area', { 'Which integrated care board (ICB) area do you work in?': 'Hertfordshire and West Essex', 'Which primary care network (PCN) do you work in or with?': { text: 'Stevenage North' }, 'Does your PCN area have a Community Pharmacy Integration Lead?': 'Yes' }],
      ['Your pharmacy and the PCN', { 'I feel valued by the PCN': 'Strongly agree' }],
      ['What the PCN and practices know', {}],
      ['Joint working', {}],
      ['Working together', {}],
      ['Anything else', { 'Is there anything else you would like to tell us?': { text: 'More joint training, please.' } }],
    ],
    expect: {
      respondent: 'pharmacy', wave: 'baseline', icb: 'hwe', pcn: { t: 'Stevenage North' }, has_lead: 'yes',
      cp_informed_pcn: 4, cp_involved_pcn: 4, cp_valued_pcn: 5, pcn_knows_cp: 4, gp_knows_cp: 4, joint_working: 4,
      collab_plan: 4, collab_contact: 4, collab_comms: 4, collab_solve: 4, collab_network: 4,
      comments: { t: 'More joint training, please.' },
    },
  },
  practiceFollowUp: {
    screens: [
      ['About you', { 'Which of these best describes you?': 'General practice (GP, practice manager or practice team)', 'Which survey are you answering?': 'Follow-up: the end of the Integration Lead year' }],
      ['Your area', { 'Which integrated care board (ICB) area do you work in?': 'Another ICB area', 'Which ICB area do you work in?': { text: 'Somewhere Else ICB' }, 'Does your PCN area have a Community Pharmacy Integration Lead?': 'Yes' }],
      ['What the PCN and practices know', {}],
      ['Joint working', {}],
      ['Working together', {}],
      ['Your Integration Lead', {
        'Do you know who your local Community Pharmacy Integration Lead is?': 'Yes',
        'In the past year, how much contact have you had with your Integration Lead?': 'A few times',
        'How have you been in contact with them?': { all: ['Emails', 'Meetings (in person or online)'] },
        'Do you think roles like the Integration Lead have potential': 'Not sure',
      }],
      ['Anything else', {}],
    ],
    expect: {
      respondent: 'practice', wave: 'follow_up', icb: 'other', icb_other: { t: 'Somewhere Else ICB' }, has_lead: 'yes',
      pcn_knows_cp: 4, gp_knows_cp: 4, joint_working: 4,
      collab_plan: 4, collab_contact: 4, collab_comms: 4, collab_solve: 4, collab_network: 4,
      lead_aware: 'yes', lead_contact: 'some', lead_contact_how: ['meeting', 'email'], lead_value: 'not_sure',
    },
  },
  leadBaseline: {
    screens: [
      ['About you', { 'Which of these best describes you?': 'Community Pharmacy Integration Lead', 'Which survey are you answering?': 'Baseline: the start of the Integration Lead year' }],
      ['Your area', { 'Which integrated care board (ICB) area do you work in?': 'Norfolk and Waveney' }],
      ['Your knowledge and confidence', { 'How would you rate your confidence in the Integration Lead role?': '2' }],
      ['Anything else', {}],
    ],
    expect: {
      respondent: 'lead', wave: 'baseline', icb: 'nandw',
      lead_know_pcn: 4, lead_know_stakeholders: 4, lead_know_issues: 4, lead_rel_pharmacies: 4,
      lead_rel_practices: 4, lead_confidence: 2, lead_influencing: 4,
    },
  },
};

/** Start a survey, answer "About you" as community pharmacy staff, and arrive at "Your area". */
export async function startAsPharmacy(app) {
  await app.goto('#/survey');
  await app.page.getByRole('button', { name: 'Start now' }).click();
  await waitForHeading(app.page, 'About you');
  await answerScreen(app.page, QUESTIONNAIRES.pharmacyBaseline.screens[0][1]);
  await continueButton(app.page).click();
  await waitForHeading(app.page, 'Your area');
}

/** Start a survey from the start page and answer every screen; ends on "check your answers". */
export async function completeScreens(page, questionnaire, { check } = {}) {
  await page.getByRole('button', { name: 'Start now' }).click();
  for (const [title, plan] of questionnaire.screens) {
    await waitForHeading(page, title);
    await answerScreen(page, plan);
    if (check) await check(title);
    await continueButton(page).click();
  }
  await waitForHeading(page, 'Check your answers');
}

export async function submit(page) {
  // Watch every heading and answer shown between Submit and the confirmation: the page must go
  // straight to "Thank you", never flashing "no survey in progress" or emptied answers on the way.
  await page.evaluate(() => {
    window.__iltSeen = [];
    window.__iltWatch = new MutationObserver(() => {
      const main = document.querySelector('main');
      if (main) window.__iltSeen.push(`${main.querySelector('h1')?.textContent ?? ''}|${/Not answered/.test(main.textContent)}`);
    });
    window.__iltWatch.observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole('button', { name: 'Submit' }).click();
  await waitForHeading(page, 'Thank you');
  const seen = await page.evaluate(() => { window.__iltWatch.disconnect(); return window.__iltSeen; });
  assert.deepEqual(seen.filter((s) => !s.startsWith('Thank you') && !s.startsWith('Check your answers|false')), [], 'states between Submit and the confirmation');
  return (await page.locator('.nhsuk-panel strong').textContent()).trim();
}

