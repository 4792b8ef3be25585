// Browser test of retention review (issue 8, docs/retention.md), driving the built app in
// Debian's Chromium through playwright-core against a running Safeguard server. The server's
// database holds two concerns of the archive agency (ARC) recorded seven years ago, each with
// its open case (scripts/browser-test.sh), so that records are due for review:
//
//   1. the archive's manager opens "Retention review" from the navigation: the reviews due
//      list the two concerns and two cases with their group, review date, id and agency, no
//      personal data, and the policy's review groups;
//   2. retaining a concern needs a reason; with one, it is retained, leaves the list, and its
//      next review (the group's period from today) is what the server holds;
//   3. erasing a concern asks first in a dialog naming the record; going back changes nothing;
//      confirming erases it, and the record then reads as not found;
//   4. erasing an open case is refused by the server and the page says why;
//   5. looking ahead to a later date lists the retained concern again;
//   6. a MASH coordinator has no "Retention review" in the navigation and the page says it is
//      for managers;
//   7. no console errors (CSP violations show there) and no requests to other origins.
//
// axe-core checks each page (serious and critical violations fail the step); screenshots go
// to SG_SCREENSHOT_DIR when set. Output names ids and counts only, never personal data.
//
//   SG_BASE_URL=… SG_RECORDS_MANAGER_USER=… SG_MASH_USER=… SG_PASSWORD=… node tests/browser/retention.test.mjs
//
// Prints one line per step and a closing "retention: N passed, N failed"; exits non-zero on failure.

import { check, startHarness } from './harness.mjs';

/** Set while the erasure of an open case is refused on purpose. */
let expectingRefusal = false;

const { env, at, page, screenshot, axe, usableAtTabletWidth, signIn, signOut, run } = await startHarness({
  name: 'retention',
  users: { records: ['SG_RECORDS_MANAGER_USER'], mash: ['SG_MASH_USER', 'SG_USERNAME'] },
  // Erasing an open case is refused on purpose (409), and the browser logs the refusal; so is
  // reading the erased concern (404).
  expectedError: (text, where) =>
    (expectingRefusal && text.includes('status of 409') && /\/api\/v1\/retention\/[^/]+\/decision$/.test(where)) ||
    (text.includes('status of 404') && /\/api\/v1\/records\/[^/]+$/.test(where)),
});

/**
 * GET `path` as the signed-in user: the status and the parsed body.
 * @param {string} path
 * @returns {Promise<{ status: number, json: any }>}
 */
async function getJson(path) {
  return page.evaluate(async (to) => {
    const r = await fetch(to, { credentials: 'same-origin', headers: { 'X-Reason': 'case_work' } });
    const text = await r.text();
    let json = {};
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON.
    }
    return { status: r.status, json };
  }, path);
}

/**
 * The ISO date `years` from today in London (the server's "today"), as its default next
 * review: 29 February plus a year lands on 28 February. @param {number} years
 */
function yearsFromToday(years) {
  const [yy, mm, dd] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date()).split('-').map(Number);
  const y = (yy ?? 0) + years;
  const m = (mm ?? 1) - 1;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(dd ?? 1, last))).toISOString().slice(0, 10);
}

/** @type {Array<{ record_id: string, kind: string, group: string }>} */
let due = [];
/** @typedef {{ record_id: string, kind: string }} DueItem */
/** @type {DueItem} */
let retained;
/** @type {DueItem} */
let erased;
/** @type {DueItem} */
let openCase;

/** The due table's row for `id`. @param {string} id */
const row = (id) => page.locator(`table.retention-table tbody tr[data-record="${id}"]`);

/** Opens the decision form for `item` and chooses `decision`. @param {DueItem} item @param {'Retain' | 'Erase'} decision */
async function openDecision(item, decision) {
  await row(item.record_id).getByRole('button', { name: `Review ${item.kind === 'case' ? 'case' : 'concern'} ${item.record_id}` }).click();
  const heading = page.getByRole('heading', { level: 2, name: `Review: ${item.kind === 'case' ? 'Case' : 'Concern'} ${item.record_id}` });
  await heading.waitFor();
  check(await heading.evaluate((el) => el === document.activeElement), 'focus did not move to the decision form');
  await page.getByLabel(new RegExp(`^${decision}:`)).check();
}

await run([
  ['the archive manager opens the reviews due from the navigation', async () => {
    await signIn(env.records);
    await page.getByRole('navigation').getByRole('link', { name: 'Retention review' }).click();
    await page.getByRole('heading', { level: 1, name: 'Retention review' }).waitFor();
    const r = await getJson('/api/v1/retention/due');
    check(r.status === 200, `GET /api/v1/retention/due: ${r.status}`);
    due = r.json.items;
    const concerns = due.filter((i) => i.kind === 'concern');
    const cases = due.filter((i) => i.kind === 'case');
    check(concerns.length === 2 && cases.length === 2, `expected 2 concerns and 2 cases due, got ${due.map((i) => i.kind).join(',')} (is faketime installed? scripts/setup.sh)`);
    [retained, erased] = /** @type {[any, any]} */ (concerns);
    openCase = /** @type {any} */ (cases[0]);
    check((await page.locator('table.retention-table tbody tr').count()) === 4, 'the table does not list the 4 records due');
    const first = row(retained.record_id);
    const text = await first.innerText();
    check(text.includes('Other concerns'), 'the row does not name its group');
    check(text.includes('Test Archive Service'), 'the row does not name its agency');
    check(text.includes(retained.record_id) && text.includes('Concern'), 'the row does not give the record kind and id');
    check(/\d{1,2} \w{3} \d{4}/.test(text), 'the row has no review date');
    const body = await page.locator('main').innerText();
    check(!body.includes('Letter') && !body.includes('Archived'), 'the page shows personal data or narrative');
  }],
  ['the policy groups are listed with their periods', async () => {
    const groups = page.locator('table.retention-groups tbody tr');
    check((await groups.count()) === 5, `expected 5 groups, got ${await groups.count()}`);
    const text = await page.locator('table.retention-groups').innerText();
    check(text.includes('Concern naming suspect') && text.includes('10 years') && text.includes('6 years'), 'the groups or periods are missing');
    await axe('the retention review page');
    await screenshot('due');
  }],
  ['retaining needs a reason, then keeps the concern until the next review', async () => {
    await openDecision(retained, 'Retain');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.locator('.error-summary').getByText('Enter the reason for the decision').waitFor();
    await page.getByLabel('Reason', { exact: true }).fill('Still needed: linked to an open enquiry (browser test).');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.getByRole('status').getByText(/was retained; its next review is due on/).waitFor();
    check((await row(retained.record_id).count()) === 0, 'the retained concern is still listed');
    const later = await getJson(`/api/v1/retention/due?on=${yearsFromToday(7)}`);
    const item = later.json.items.find((/** @type {any} */ i) => i.record_id === retained.record_id);
    check(item !== undefined, 'the retained concern is not due later');
    check(item.last_decision?.decision === 'retain', 'the server holds no retain decision');
    check(item.review_on === yearsFromToday(6), `next review ${item.review_on}, expected ${yearsFromToday(6)}`);
    await axe('the page after retaining');
  }],
  ['erasing asks first, naming the record; going back changes nothing', async () => {
    await openDecision(erased, 'Erase');
    await page.getByLabel('Reason', { exact: true }).fill('No longer needed for any purpose (browser test).');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const text = await dialog.innerText();
    check(text.includes(`Erase Concern ${erased.record_id}?`), 'the dialog does not name the concern');
    check(text.includes('Test Archive Service') && text.includes('cannot be undone'), 'the dialog does not say whose record it is and that erasure is final');
    await axe('the erase confirmation');
    await screenshot('confirm-erase');
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'detached' });
    check((await row(erased.record_id).count()) === 1, 'going back removed the row');
    const still = await getJson(`/api/v1/records/${erased.record_id}`);
    check(still.status === 200, `the concern reads ${still.status} after going back`);
  }],
  ['confirming erases the concern, which then reads as not found', async () => {
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Erase concern' }).click();
    await page.getByRole('status').getByText(`Concern ${erased.record_id} was erased.`).waitFor();
    check((await row(erased.record_id).count()) === 0, 'the erased concern is still listed');
    const gone = await getJson(`/api/v1/records/${erased.record_id}`);
    check(gone.status === 404, `the erased concern reads ${gone.status}`);
  }],
  ['erasing an open case is refused and the page says why', async () => {
    await openDecision(openCase, 'Erase');
    await page.getByLabel('Reason', { exact: true }).fill('Trying to erase an open case (browser test).');
    expectingRefusal = true;
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Erase case' }).click();
    await page.locator('.error-summary').getByText('The decision was not recorded').waitFor();
    const summary = await page.locator('.error-summary').innerText();
    expectingRefusal = false;
    check(summary.includes('closed'), 'the refusal does not say an open case cannot be erased');
    check((await row(openCase.record_id).count()) === 1, 'the refused case left the list');
    await axe('the refused erasure');
  }],
  ['looking ahead lists the retained concern again', async () => {
    await page.getByRole('textbox', { name: 'Due on or before' }).fill(yearsFromToday(7));
    await page.getByRole('button', { name: 'Show reviews due' }).click();
    await row(retained.record_id).waitFor();
    check((await row(retained.record_id).innerText()).includes('Retained on'), 'the last decision is not shown');
    check((await row(erased.record_id).count()) === 0, 'the erased concern is listed');
    await usableAtTabletWidth('the retention review page');
  }],
  ['a MASH coordinator has no retention review', async () => {
    await signOut();
    await signIn(env.mash);
    check((await page.getByRole('navigation').getByRole('link', { name: 'Retention review' }).count()) === 0, 'the navigation offers retention review');
    await page.goto(at('/retention'));
    await page.getByText('Retention review is for managers.').waitFor();
  }],
]);
