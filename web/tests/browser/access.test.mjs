// Browser test of the access model's pages (issue 8), driving the built app in Debian's
// Chromium through playwright-core against a running Safeguard server:
//
//   0. the MASH coordinator records, through the API, two concerns about two children: two
//      new cases of their agency (NCS);
//   1. the administrator sees Sharing and Reviewers in the navigation and no case content;
//      records a sharing agreement from NCS to the police (POL), sees it in force, and
//      revokes it with a reason; sets a reviewer's remit;
//   2. a police officer (POL, no agreement with NCS) opening the first case is told they have
//      no need to know it, with a break-glass form: too short a reason is refused beside the
//      field; a real reason opens the case, with the time access lasts until;
//   3. the auditor, who may not break glass, is refused the case with no form; their My work
//      shows the break-glass notice (who, which record, reason, until) and they acknowledge it
//      with a note (required);
//   4. a manager adds the police officer to the second case's team, then restricts the first
//      case and lifts the restriction;
//   5. the police officer now opens the second case without breaking glass;
//   6. no console errors (CSP violations show there) and no requests to other origins.
//
// axe-core checks each page (serious and critical violations fail the step); screenshots go
// to SG_SCREENSHOT_DIR when set. Output names ids and counts only, never personal data.
//
//   SG_BASE_URL=… SG_MASH_USER=… SG_MANAGER_USER=… SG_ADMIN_USER=… SG_AUDITOR_USER=… \
//   SG_REVIEWER_USER=… SG_POLICE_USER=… SG_PASSWORD=… node tests/browser/access.test.mjs
//
// The police officer must be a practitioner of an agency coded POL that has no sharing
// agreement with the MASH coordinator's agency, coded NCS (scripts/browser-test.sh).
// Prints one line per step and a closing "access: N passed, N failed"; exits non-zero on failure.

import { check, startHarness } from './harness.mjs';

/** Set while a case is refused on purpose (403 on the record, its team and its restriction). */
let expectingRefusal = false;

const { env, at, page, screenshot, axe, usableAtTabletWidth, signIn, signOut, postJson, run } = await startHarness({
  name: 'access',
  users: {
    mash: ['SG_MASH_USER', 'SG_USERNAME'],
    manager: ['SG_MANAGER_USER'],
    admin: ['SG_ADMIN_USER'],
    auditor: ['SG_AUDITOR_USER'],
    reviewer: ['SG_REVIEWER_USER'],
    police: ['SG_POLICE_USER'],
  },
  // A refused case: the case page asks for the case, its team and its restriction together.
  expectedError: (text, where) =>
    expectingRefusal && text.includes('status of 403') && /\/api\/v1\/(records\/[^/]+(\/restriction)?|cases\/[^/]+\/team)$/.test(where),
});

/** The text of the page's success message once it contains `part`. @param {string} part */
async function statusSays(part) {
  const status = page.locator('.status-message', { hasText: part });
  await status.waitFor();
  return (await status.innerText()).trim();
}

/** @param {number} daysAgo */
function dayIso(daysAgo) {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

// Made-up children, unique per run so each concern opens a case of its own.
const suffix = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const cap = suffix.charAt(0).toUpperCase() + suffix.slice(1);

/** @param {string} given */
function concern(given) {
  const date = dayIso(2);
  return {
    channel: 'phone',
    received_at: `${date}T10:00:00Z`,
    narrative: 'A child seen late at night with older men (browser test of access).',
    events: [{ kind: 'sighting', date, child: 'c1' }],
    children: [{ ref: 'c1', given_name: given, family_name: `Access${cap}`, date_of_birth: '2011-03-04' }],
    persons: [],
    vehicles: [],
    phones: [],
    online_accounts: [],
    locations: [],
    links: [],
    indicators: [],
  };
}

const breakGlassReason = 'Child reported missing tonight; police need the case history now.';
const breakGlassHeading = 'You have no need to know this record';
/** The two cases the MASH coordinator's concerns open: [refused then broken into, shared by team]. */
let caseIds = /** @type {string[]} */ ([]);
const ncs = "Test Children's Services (NCS)";
const pol = 'Test Police (POL)';

/** @type {Array<[string, () => Promise<void>]>} */
const steps = [
  ['the MASH coordinator records two concerns, opening two cases', async () => {
    await signIn(env.mash);
    /** @type {Array<{ status: number, cases: string[] }>} */
    const results = [];
    for (const body of [concern('Quinn'), concern('Rowan')]) {
      const r = await postJson('/api/v1/concerns', body);
      results.push({ status: r.status, cases: Array.isArray(r.json.new_case_ids) ? r.json.new_case_ids : [] });
    }
    for (const r of results) check(r.status === 201 && r.cases.length === 1, `a concern did not open one new case (HTTP ${r.status}, ${r.cases.length} cases)`);
    caseIds = results.map((r) => r.cases[0] ?? '');
    await signOut();
  }],
  ['the administrator sees Sharing and Reviewers, and no casework', async () => {
    await signIn(env.admin);
    const nav = await page.locator('nav[aria-label="Main"]').innerText();
    check(nav.includes('Sharing') && nav.includes('Reviewers'), 'the navigation lacks Sharing or Reviewers');
    check(!nav.includes('Cases') && !nav.includes('Search'), 'the administrator is offered case content');
    await page.locator('p.pointer').getByRole('link', { name: 'Sharing agreements' }).waitFor();
    await axe('the administrator’s My work');
  }],
  ['the Sharing page lists the agreement in force with its categories', async () => {
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Sharing' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sharing agreements' }).waitFor();
    const row = page.locator('section[aria-labelledby="agreements-heading"] tbody tr', { hasText: 'Member of the public (PUBLIC)' });
    await row.waitFor();
    const text = await row.innerText();
    check(text.includes(ncs) && text.includes('Casework') && text.includes('Public reporting line'), 'the PUBLIC agreement lacks its recipient, categories or reason');
    await axe('the sharing page');
    await usableAtTabletWidth('the sharing page');
    await screenshot('01-sharing');
  }],
  ['the administrator records an agreement from NCS to the police, after a missing category', async () => {
    await page.getByLabel('Provider').selectOption({ label: ncs });
    await page.getByLabel('Recipient').selectOption({ label: pol });
    await page.getByLabel('Reason', { exact: true }).fill('Joint investigation protocol (browser test)');
    await page.getByRole('button', { name: 'Record the agreement' }).click();
    const summary = page.locator('.error-summary', { hasText: 'Choose at least one category' });
    await summary.waitFor();
    check(await summary.evaluate((el) => el === document.activeElement), 'focus did not move to the error summary');
    await page.getByLabel(/^Concerns:/).check();
    await page.getByLabel(/^Casework:/).check();
    const answered = page.waitForResponse((r) => r.url() === at('/api/v1/sharing-agreements') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Record the agreement' }).click();
    const response = await answered;
    check(response.status() === 201, `recording the agreement returned ${response.status()}`);
    const sent = JSON.parse(response.request().postData() ?? '{}');
    check(sent.provider === 'NCS' && sent.recipient === 'POL' && sent.categories.join(',') === 'concerns,casework', `the agreement sent ${JSON.stringify({ p: sent.provider, r: sent.recipient, c: sent.categories })}`);
    await statusSays('Agreement recorded');
    const row = page.locator('section[aria-labelledby="agreements-heading"] tbody tr', { hasText: pol });
    await row.waitFor();
    check((await row.innerText()).includes('Joint investigation protocol'), 'the new agreement does not show its reason');
    await axe('the sharing page with the new agreement');
  }],
  ['the administrator revokes it with a reason, and it leaves the list', async () => {
    const row = page.locator('section[aria-labelledby="agreements-heading"] tbody tr', { hasText: pol });
    await row.getByRole('button', { name: /^Revoke the agreement from/ }).click();
    await row.getByLabel('Reason for revoking').fill('The joint investigation has ended.');
    await row.getByRole('button', { name: 'Revoke the agreement', exact: true }).click();
    await statusSays('is revoked');
    check((await page.locator('section[aria-labelledby="agreements-heading"] tbody tr', { hasText: pol }).count()) === 0, 'the revoked agreement is still listed');
    check((await page.locator('section[aria-labelledby="agreements-heading"] tbody tr', { hasText: 'Member of the public (PUBLIC)' }).count()) === 1, 'the other agreement went too');
  }],
  ['the administrator sets a reviewer’s remit', async () => {
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Reviewers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Reviewers’ remits' }).waitFor();
    const reviewer = page.getByLabel('Reviewer', { exact: true });
    const options = await reviewer.locator('option').count();
    check(options === 2, `the reviewer list offers ${options - 1} reviewers, not 1`);
    await reviewer.selectOption({ index: 1 });
    await page.getByLabel(ncs).check();
    await page.getByLabel('From', { exact: true }).fill(dayIso(30));
    const answered = page.waitForResponse((r) => /\/api\/v1\/users\/[^/]+\/review-scope$/.test(r.url()) && r.request().method() === 'PUT');
    await page.getByRole('button', { name: 'Set the remit' }).click();
    const response = await answered;
    check(response.status() === 200, `setting the remit returned ${response.status()}`);
    await statusSays('Remit set');
    await axe('the reviewers page');
    await usableAtTabletWidth('the reviewers page');
    await screenshot('02-reviewers');
    await signOut();
  }],
  ['a police officer opening an NCS case is told they have no need to know it, with a break-glass form', async () => {
    await signIn(env.police);
    expectingRefusal = true;
    await page.goto(at(`/cases/${encodeURIComponent(caseIds[0] ?? '')}`));
    const heading = page.getByRole('heading', { level: 1, name: breakGlassHeading });
    await heading.waitFor();
    const warning = await page.locator('.break-glass .notice--warning').innerText();
    check(warning.includes('auditors are told at once') && warning.includes('4 hours'), 'the form does not warn of the auditors and the 4 hours');
    await axe('the break-glass page');
    await usableAtTabletWidth('the break-glass page');
    await screenshot('03-break-glass');
  }],
  ['too short a reason is refused beside the field, without asking the server', async () => {
    let sent = 0;
    const count = (/** @type {import('playwright-core').Request} */ r) => {
      if (r.url().endsWith('/break-glass')) sent++;
    };
    page.on('request', count);
    await page.getByLabel('Why you need to see it now').fill('Urgent');
    await page.getByRole('button', { name: 'Break glass' }).click();
    const summary = page.locator('.error-summary', { hasText: 'at least 20 characters' });
    await summary.waitFor();
    check((await page.getByLabel('Why you need to see it now').getAttribute('aria-invalid')) === 'true', 'the reason is not marked invalid');
    page.off('request', count);
    check(sent === 0, 'the short reason was sent to the server');
  }],
  ['breaking glass with a reason opens the case and says until when', async () => {
    await page.getByLabel('Why you need to see it now').fill(breakGlassReason);
    const answered = page.waitForResponse((r) => r.url().endsWith('/break-glass') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Break glass' }).click();
    const response = await answered;
    check(response.status() === 201, `breaking glass returned ${response.status()}`);
    const said = await statusSays('Break-glass access granted');
    check(/until .*auditors have been told/.test(said), 'the case does not say until when, or that the auditors were told');
    await page.locator('.case-header__name').waitFor();
    check((await page.getByRole('heading', { name: breakGlassHeading }).count()) === 0, 'the refusal is still shown');
    expectingRefusal = false;
    await axe('the case opened by breaking glass');
    await screenshot('04-case-after-break-glass');
  }],
  ['the second case is refused to the officer too', async () => {
    expectingRefusal = true;
    await page.goto(at(`/cases/${encodeURIComponent(caseIds[1] ?? '')}`));
    await page.getByRole('heading', { level: 1, name: breakGlassHeading }).waitFor();
    expectingRefusal = false;
    await signOut();
  }],
  ['the auditor may not break glass: the case is refused with no form', async () => {
    await signIn(env.auditor);
    expectingRefusal = true;
    await page.goto(at(`/cases/${encodeURIComponent(caseIds[0] ?? '')}`));
    await page.getByRole('heading', { level: 1, name: 'This case cannot be shown' }).waitFor();
    check((await page.getByRole('button', { name: 'Break glass' }).count()) === 0, 'the auditor is offered break glass');
    expectingRefusal = false;
  }],
  ['the auditor’s My work shows the break-glass notice: who, which record, why and until when', async () => {
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'My work' }).click();
    const inbox = page.locator('section[aria-labelledby="auditors-heading"]');
    await inbox.waitFor();
    const notice = inbox.locator('li.work-item', { hasText: caseIds[0] ?? '' });
    await notice.waitFor();
    const text = await notice.innerText();
    check(text.includes('Break-glass access'), 'the notice is not titled');
    check(text.includes('Pat Officer') && text.includes(breakGlassReason), 'the notice does not say who or why');
    check(/Access until/.test(text), 'the notice does not say until when');
    await axe('the auditor’s My work');
    await usableAtTabletWidth('the auditor’s My work');
    await screenshot('05-auditors-inbox');
  }],
  ['the auditor acknowledges it with a note (required), and it leaves the inbox', async () => {
    const inbox = page.locator('section[aria-labelledby="auditors-heading"]');
    const notice = inbox.locator('li.work-item', { hasText: caseIds[0] ?? '' });
    await notice.getByRole('button', { name: 'Acknowledge notice' }).click();
    await notice.getByRole('button', { name: 'Acknowledge notice' }).last().click();
    await notice.locator('.error-summary', { hasText: 'Enter a note' }).waitFor();
    await notice.getByLabel('Acknowledgement note').fill('Checked with the duty inspector: the child was missing.');
    const answered = page.waitForResponse((r) => /\/api\/v1\/work-items\/[^/]+\/acknowledge$/.test(r.url()));
    await notice.getByRole('button', { name: 'Acknowledge notice' }).last().click();
    const response = await answered;
    check(response.status() === 204, `acknowledging returned ${response.status()}`);
    await statusSays('acknowledged');
    check((await inbox.locator('li.work-item', { hasText: caseIds[0] ?? '' }).count()) === 0, 'the acknowledged notice is still in the inbox');
    await signOut();
  }],
  ['a manager adds the police officer to the second case’s team', async () => {
    await signIn(env.manager);
    await page.goto(at(`/cases/${encodeURIComponent(caseIds[1] ?? '')}`));
    const team = page.locator('section[aria-labelledby="team-heading"]');
    await team.waitFor();
    check((await team.locator('.member-list').count()) === 0, 'a new case already has a team');
    await axe('the case page with its team and restriction');
    await team.getByLabel('Add to team', { exact: true }).selectOption({ label: 'Pat Officer (Practitioner, Test Police)' });
    const answered = page.waitForResponse((r) => /\/api\/v1\/cases\/[^/]+\/team$/.test(r.url()) && r.request().method() === 'POST');
    await team.getByRole('button', { name: 'Add to team' }).click();
    const response = await answered;
    check(response.status() === 201, `adding to the team returned ${response.status()}`);
    await statusSays('added to the case team');
    check((await page.locator('section[aria-labelledby="team-heading"] .member-list').innerText()).includes('Pat Officer'), 'the team does not list the officer');
    await screenshot('06-case-team');
  }],
  ['the manager restricts the first case, sees who it is open to, and lifts it', async () => {
    await page.goto(at(`/cases/${encodeURIComponent(caseIds[0] ?? '')}`));
    const restriction = page.locator('section[aria-labelledby="restriction-heading"]');
    await restriction.waitFor();
    await restriction.getByLabel('Your team', { exact: false }).check();
    await restriction.getByLabel('Reason for the restriction').fill('A relative of the child works at the agency.');
    await restriction.getByRole('button', { name: 'Restrict this case' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Restrict the case' }).click();
    await statusSays('The case is restricted');
    const open = await page.locator('section[aria-labelledby="restriction-heading"] .member-list').innerText();
    check(open.includes('You') && open.includes('Your team'), 'the restriction does not say who it is open to');
    await axe('the restricted case');
    await screenshot('07-restricted');
    await page.getByLabel('Reason for lifting it').fill('The relative has left the agency.');
    await page.getByRole('button', { name: 'Lift restriction' }).click();
    await statusSays('Restriction lifted');
    await page.locator('section[aria-labelledby="restriction-heading"]', { hasText: 'Not restricted' }).waitFor();
    await signOut();
  }],
  ['the police officer opens the second case as a team member, without breaking glass', async () => {
    await signIn(env.police);
    await page.goto(at(`/cases/${encodeURIComponent(caseIds[1] ?? '')}`));
    await page.locator('.case-header__name').waitFor();
    check((await page.getByRole('heading', { name: breakGlassHeading }).count()) === 0, 'the team member is refused');
    await signOut();
  }],
];

await run(steps); // Then "no console errors" and "no requests to origins other than …".
