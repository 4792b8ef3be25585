// Browser test of contextual safeguarding (issue 7 item 3): a place case opened from the link
// chart, driving the built app in Debian's Chromium through playwright-core against a running
// Safeguard server:
//
//   0. the MASH coordinator records, through the API, two concerns about two children seen at
//      the same takeaway (a place of its own for this run);
//   1. a manager opens the place in the network chart and uses "Open a place case": the form
//      names the place and ticks both children; opening it without a reason is refused, with
//      one it opens the context case, and each child's case timeline links to it;
//   2. the manager assesses the place (high risk, with the reason), adds an intervention for a
//      second manager, due today, and proposes closing the case; they may not sign it off;
//   3. the second manager finds the intervention in My work, opens the context case from it,
//      and signs off the closure: the case is closed and the list of closed contexts shows it;
//   4. the police officer (no agreement with the children's services) is told they have no
//      need to know it, and does not find it in their list;
//   5. no console errors (CSP violations show there) and no requests to other origins.
//
// axe-core checks each page (serious and critical violations fail the step); screenshots go to
// SG_SCREENSHOT_DIR when set. Output names ids and counts only, never personal data.
//
//   SG_BASE_URL=… SG_MASH_USER=… SG_MANAGER_USER=… SG_MANAGER2_USER=… SG_POLICE_USER=… SG_PASSWORD=… node tests/browser/contexts.test.mjs
//
// Prints one line per step and a closing "contexts: N passed, N failed"; exits non-zero on failure.

import { check, startHarness } from './harness.mjs';

/** Set while the officer is refused the context case on purpose. */
let expectingRefusal = false;

const { env, at, page, screenshot, axe, signIn, signOut, postJson, run } = await startHarness({
  name: 'contexts',
  users: { mash: ['SG_MASH_USER', 'SG_USERNAME'], manager: ['SG_MANAGER_USER'], manager2: ['SG_MANAGER2_USER'], police: ['SG_POLICE_USER'] },
  expectedError: (text, where) => expectingRefusal && text.includes('status of 403') && /\/api\/v1\/contexts\/[^/?]+$/.test(where),
});

const suffix = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const placeName = `Chicken Palace ${suffix}`;
const date = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
let placeId = '';
let contextId = '';

/** A concern about one child seen at this run's takeaway. @param {string} given @param {string} dob */
function atTakeaway(given, dob) {
  return {
    channel: 'phone',
    received_at: `${date}T10:00:00Z`,
    narrative: 'Seen at the takeaway late at night with older men (browser test of context cases).',
    events: [{ kind: 'sighting', date, child: 'c1' }],
    children: [{ ref: 'c1', given_name: given, family_name: `Ctx${suffix}`, date_of_birth: dob }],
    persons: [],
    vehicles: [],
    phones: [],
    online_accounts: [],
    locations: [{ ref: 'l1', kind: 'takeaway', name: placeName, postcode: 'NF9 9ZZ' }],
    links: [],
    indicators: [],
  };
}

await run([
  ['the MASH coordinator records two concerns naming the same takeaway', async () => {
    await signIn(env.mash);
    for (const [given, dob] of [['Ada', '2011-04-05'], ['Bo', '2012-06-07']]) {
      const r = await postJson('/api/v1/concerns', atTakeaway(given, dob));
      check(r.status === 201, `the concern was not recorded (HTTP ${r.status})`);
    }
    await signOut();
  }],
  ['a manager opens the place in the network chart and chooses "Open a place case"', async () => {
    await signIn(env.manager);
    placeId = await page.evaluate(async (name) => {
      const r = await fetch('/api/v1/network/hot-spots?limit=200', { credentials: 'same-origin', headers: { 'X-Reason': 'case_work' } });
      const body = await r.json();
      const spot = (body.hot_spots ?? []).find((/** @type {any} */ s) => s.entity?.label === name);
      return spot?.entity?.id ?? '';
    }, placeName);
    check(placeId !== '', 'the takeaway is not among the hot spots');
    await page.goto(at(`/network?entity=${encodeURIComponent(placeId)}`));
    // The chart's table: the place's row shows its panel (after expanding it, if it was not).
    await page.getByRole('button', { name: new RegExp(`^(Show|Expand) ${placeName}$`) }).click();
    const open = page.getByRole('link', { name: 'Open a place case' });
    if ((await open.count()) === 0) await page.getByRole('button', { name: `Show ${placeName}` }).click();
    await open.click();
    await page.getByRole('heading', { level: 1, name: 'Open a context case' }).waitFor();
    check((await page.getByLabel('Name', { exact: true }).inputValue()) === placeName, 'the form does not name the place');
    const ticked = await page.locator('input[name="context-children"]:checked').count();
    check(ticked === 2, `expected both children ticked, found ${ticked}`);
    await axe('the new place case form');
    await screenshot('new-place-case');
  }],
  ['opening it needs a reason; with one the context case opens', async () => {
    await page.getByRole('button', { name: 'Open the context case' }).click();
    await page.locator('.error-summary').getByText('Say why these children are linked').waitFor();
    await page.getByLabel('Why these children are linked').fill('Both seen at the takeaway late at night.');
    await page.getByRole('button', { name: 'Open the context case' }).click();
    await page.getByRole('heading', { level: 1, name: placeName }).waitFor();
    contextId = new URL(page.url()).pathname.split('/').pop() ?? '';
    const children = page.locator('section[aria-labelledby="context-children-heading"] .context-child');
    check((await children.count()) === 2, 'the context case does not list both children');
    await axe('the context case page');
  }],
  ["each child's own case shows the link, leading back to the context case", async () => {
    await page.locator('section[aria-labelledby="context-children-heading"] .context-child').first().getByRole('link').click();
    const timeline = page.locator('section[aria-labelledby="timeline-heading"]');
    await timeline.getByText('Linked to a place case').waitFor();
    await timeline.getByRole('link', { name: 'Open the context case' }).last().click();
    await page.getByRole('heading', { level: 1, name: placeName }).waitFor();
  }],
  ['the manager assesses the place, adds an intervention and proposes closing', async () => {
    const assessment = page.locator('section[aria-labelledby="context-assessment-heading"]');
    await assessment.getByLabel('What is known about the place or group').fill('Children gather here after school; adults buy them food.');
    await assessment.getByLabel('High', { exact: true }).check();
    await assessment.getByLabel('Why this level').fill('Two children seen late with older men.');
    await assessment.getByRole('button', { name: 'Record the assessment' }).click();
    await page.locator('.context-assessment', { hasText: 'High risk' }).waitFor();
    const interventions = page.locator('section[aria-labelledby="context-interventions-heading"]');
    await interventions.getByLabel('Intervention', { exact: true }).fill('Licensing visit with the police');
    await interventions.getByLabel('Owner').selectOption({ label: "Sam Second (Manager, Test Children's Services)" });
    await interventions.getByRole('button', { name: 'Add the intervention' }).click();
    await interventions.locator('td', { hasText: 'Licensing visit with the police' }).waitFor();
    const decisions = page.locator('section[aria-labelledby="context-decisions-heading"]');
    await decisions.getByLabel('Why close it').fill('Premises closed by the licensing authority.');
    await decisions.getByRole('button', { name: 'Propose closing' }).click();
    await page.locator('section[aria-labelledby="context-decisions-heading"]').getByText('Another manager must sign it off.').waitFor();
    check((await page.getByRole('button', { name: 'Sign off' }).count()) === 0, 'the proposer is offered the sign-off');
    await axe('the context case with a closure waiting');
    await screenshot('closure-proposed');
    await signOut();
  }],
  ['the second manager finds the intervention in My work and signs off the closure', async () => {
    await signIn(env.manager2);
    await page.getByRole('link', { name: /Context intervention/ }).first().click();
    await page.getByRole('heading', { level: 1, name: placeName }).waitFor();
    const decisions = page.locator('section[aria-labelledby="context-decisions-heading"]');
    await decisions.getByLabel('Approve: close the context case').check();
    await decisions.getByRole('button', { name: 'Sign off' }).click();
    await page.locator('.facts').getByText('Closed', { exact: true }).waitFor();
    const interventions = page.locator('section[aria-labelledby="context-interventions-heading"]');
    await interventions.getByText('Cancelled').waitFor();
    await page.goto(at('/contexts?status=closed'));
    await page.getByRole('link', { name: placeName }).waitFor();
    await axe('the list of closed context cases');
    await signOut();
  }],
  ['an officer of an agency without an agreement has no need to know it', async () => {
    await signIn(env.police);
    await page.goto(at('/contexts?status=all'));
    await page.getByRole('heading', { level: 1, name: 'Contexts' }).waitFor();
    check((await page.getByRole('link', { name: placeName }).count()) === 0, 'the officer finds the context case in their list');
    expectingRefusal = true;
    await page.goto(at(`/contexts/${encodeURIComponent(contextId)}`));
    await page.getByText('You have no need to know this context case.').waitFor();
    expectingRefusal = false;
    await signOut();
  }],
]);
