// Helpers for the pages that import files and offer downloads (the evaluator's and the programme
// view's tests): choosing files and waiting for the import summary, downloading a file,
// reading a CSV, and axe with the state named.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { axeViolations } from './harness.mjs';

/** Choose `files` ([name, text] pairs) in #import-files and wait until the summary lists them. */
export async function importFiles(page, files, timeout = 120000) {
  await page.setInputFiles('#import-files', files.map(([name, text]) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) })));
  // The summary is replaced once the files are read and merged.
  await page.waitForFunction(([names]) => {
    const cells = [...document.querySelectorAll('#import-table tbody tr th')].map((c) => c.textContent);
    return cells.length === names.length && names.every((n, i) => cells[i] === n);
  }, [files.map(([n]) => n)], { timeout });
}

/** The rows of a table's body, each cell's text. */
export const tableRows = (page, table) => page.$$eval(`${table} tbody tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));

/** The import summary's rows. */
export const summaryRows = (page) => tableRows(page, '#import-table');

/** Click `selector` and read the file it downloads: its suggested name and its text. */
export async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

/** RFC 4180 parser (quotes, doubled quotes, CRLF). */
export function parseCsv(text) {
  const rows = []; let row = []; let cell = ''; let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** Whether a CSV cell could run as a spreadsheet formula (a plain negative number cannot). */
export const risky = (cell) => /^[=+\-@\t\r]/.test(cell) && !/^-\d+(\.\d+)?$/.test(cell);

/** No axe-core violation in the page's current state (named in the failure). */
export async function noAxe(page, state) {
  const v = await axeViolations(page);
  assert.deepEqual(v, [], `${state}: ${JSON.stringify(v, null, 1)}`);
}
