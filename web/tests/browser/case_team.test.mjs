// Browser test of removing a member from a case team (issue 8), driving the built app in
// Debian's Chromium through playwright-core against a running Safeguard server:
//
//   0. the MASH coordinator records, through the API, a concern that opens a case of NCS;
//   1. a manager adds the police officer (POL, no agreement with NCS) to the case team;
//   2. removing them needs a reason; with one, a dialog names who loses access; going back
//      keeps them; confirming removes them, and the team no longer lists them;
//   3. the police officer opening the case is now told they have no need to know it;
//   4. no console errors (CSP violations show there) and no requests to other origins.
//
// axe-core checks each page (serious and critical violations fail the step); screenshots go
// to SG_SCREENSHOT_DIR when set. Output names ids and counts only, never personal data.
//
//   SG_BASE_URL=… SG_MASH_USER=… SG_MANAGER_USER=… SG_POLICE_USER=… SG_PASSWORD=… node tests/browser/case_team.test.mjs
//
// Prints one line per step and a closing "case_team: N passed, N failed"; exits non-zero on failure.

import { check, startHarness } from './harness.mjs';

/** Set while the officer is refused the case on purpose (403 on the record, its team and its restriction). */
let expectingRefusal = false;

const { env, at, page, screenshot, axe, signIn, signOut, postJson, run } = await startHarness({
  name: 'case_team',
  users: { mash: ['SG_MASH_USER', 'SG_USERNAME'], manager: ['SG_MANAGER_USER'], police: ['SG_POLICE_USER'] },
  expectedError: (text, where) =>
    expectingRefusal && text.includes('status of 403') && /\/api\/v1\/(records\/[^/]+(\/restriction)?|cases\/[^/]+\/team)$/.test(where),
});

const suffix = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const date = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
let caseId = '';
const team = page.locator('section[aria-labelledby="team-heading"]');

await run([
  ['the MASH coordinator records a concern, opening a case', async () => {
    await signIn(env.mash);
    const r = await postJson('/api/v1/concerns', {
      channel: 'phone',
      received_at: `${date}T10:00:00Z`,
      narrative: 'A child seen with older men near the station (browser test of case teams).',
      events: [{ kind: 'sighting', date, child: 'c1' }],
      children: [{ ref: 'c1', given_name: 'Tam', family_name: `Team${suffix}`, date_of_birth: '2011-05-06' }],
      persons: [],
      vehicles: [],
      phones: [],
      online_accounts: [],
      locations: [],
      links: [],
      indicators: [],
    });
    const cases = Array.isArray(r.json.new_case_ids) ? r.json.new_case_ids : [];
    check(r.status === 201 && cases.length === 1, `the concern did not open one case (HTTP ${r.status})`);
    caseId = cases[0];
    await signOut();
  }],
  ['a manager adds the police officer to the case team', async () => {
    await signIn(env.manager);
    await page.goto(at(`/cases/${encodeURIComponent(caseId)}`));
    await team.waitFor();
    await team.getByLabel('Add to team', { exact: true }).selectOption({ label: 'Pat Officer (Practitioner, Test Police)' });
    await team.getByRole('button', { name: 'Add to team' }).click();
    await page.locator('.status-message', { hasText: 'added to the case team' }).waitFor();
    check((await team.locator('.member-list').innerText()).includes('Pat Officer'), 'the team does not list the officer');
  }],
  ['removing needs a reason, and a dialog names who loses access; going back keeps them', async () => {
    await team.getByRole('button', { name: 'Remove Pat Officer from the case team' }).click();
    await team.getByRole('button', { name: 'Remove from team' }).click();
    await team.locator('.error-summary').getByText('Enter why they are being removed').waitFor();
    await team.getByLabel('Why remove them').fill('Their part in the enquiry has finished.');
    await team.getByRole('button', { name: 'Remove from team' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    check((await dialog.innerText()).includes('Remove Pat Officer from the case team?'), 'the dialog does not name who is removed');
    await axe('the removal confirmation');
    await screenshot('confirm-remove');
    await dialog.getByRole('button', { name: 'Go back' }).click();
    await dialog.waitFor({ state: 'detached' });
    check((await team.locator('.member-list').innerText()).includes('Pat Officer'), 'going back removed the officer');
  }],
  ['confirming removes them from the team', async () => {
    await team.getByRole('button', { name: 'Remove from team' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove from team' }).click();
    await page.locator('.status-message', { hasText: 'Pat Officer removed from the case team.' }).waitFor();
    check((await team.locator('.member-list').count()) === 0, 'the team still lists a member');
    await axe('the case page after the removal');
    await signOut();
  }],
  ['the removed officer has no need to know the case any more', async () => {
    expectingRefusal = true;
    await signIn(env.police);
    await page.goto(at(`/cases/${encodeURIComponent(caseId)}`));
    await page.getByRole('heading', { name: 'You have no need to know this record' }).waitFor();
    expectingRefusal = false;
  }],
]);
