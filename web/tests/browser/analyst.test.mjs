// Browser test of the analyst's journey (issue 8, step 7), driving the built app in Debian's
// Chromium through playwright-core against a running Safeguard server:
//
//   0. the MASH coordinator records three concerns through the API (inside the browser, with
//      the session's CSRF token): a suspect and a vehicle with two children; the same suspect
//      and vehicle with a third child; and the vehicle alone with a fourth child, so the
//      vehicle has a neighbour the suspect does not;
//   1. the analyst signs in, opens Network from the navigation and sees the suspect among the
//      key players and the vehicle among the hot spots;
//   2. opens the suspect's link chart: the entity table lists the children and the vehicle,
//      and the canvas is drawn;
//   3. expands the vehicle (keyboard-reachable button in the table) and sees the fourth child;
//   4. selects the suspect–vehicle link and reads its evidence in the side panel;
//   5. hides vehicles with the type filter, then shows them again;
//   6. exports the chart as a PNG (a download of a PNG data URL);
//   7. opens the suspect's person page from the chart: two records and a waterfall with a
//      total and a probability; the review section is present;
//   8. decides a possible match (a vaguer record of the suspect) is a different person,
//      confirming first, and undoes it;
//   9. opens a child's person page from the child's case;
//  10. no console errors (CSP violations show there) and no requests to other origins.
//
// axe-core checks each page (serious and critical violations fail the step); screenshots go
// to SG_SCREENSHOT_DIR when set. Output names ids and counts only, never personal data.
//
//   SG_BASE_URL=… SG_MASH_USER=… SG_ANALYST_USER=… SG_PASSWORD=… node tests/browser/analyst.test.mjs
//
// Prints one line per step and a closing "analyst: N passed, N failed"; exits non-zero on failure.

import { check, startHarness } from './harness.mjs';

const { env, at, page, screenshot, axe, usableAtTabletWidth, signIn, signOut, postJson, run } = await startHarness({
  name: 'analyst',
  users: { mash: ['SG_MASH_USER', 'SG_USERNAME'], analyst: ['SG_ANALYST_USER'] },
});

// Made-up people, unique per run so the graph starts with nobody else like them.
const suffix = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const cap = suffix.charAt(0).toUpperCase() + suffix.slice(1);
const suspect = { given: 'Rex', family: `Suspect${cap}`, dob: '1990-02-03' };
const suspectName = `${suspect.given} ${suspect.family}`;
const children = ['Ada', 'Bea', 'Cal', 'Dee'].map((given, i) => ({ given, family: `Child${cap}`, dob: `2011-0${i + 1}-1${i}` }));
const registration = `Y${suffix.slice(0, 1).toUpperCase()}${String(10 + Math.floor(Math.random() * 80))} ${suffix.slice(1, 4).toUpperCase()}`;

/** @param {number} daysAgo */
function dayIso(daysAgo) {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A concern in the API's shape (docs/import-formats.md §1), received `daysAgo` days ago.
 * @param {number} daysAgo
 * @param {Array<{ given: string, family: string, dob: string }>} kids
 * @param {boolean} withSuspect
 */
function concern(daysAgo, kids, withSuspect) {
  const date = dayIso(daysAgo);
  const childRefs = kids.map((_, i) => `c${i + 1}`);
  /** @type {Array<Record<string, string>>} */
  const links = childRefs.map((ref) => ({ type: 'child_seen_in_vehicle', from: ref, to: 'v1', date, confidence: 'probable' }));
  if (withSuspect) {
    links.push({ type: 'person_drives_vehicle', from: 's1', to: 'v1', date, confidence: 'confirmed' });
    for (const ref of childRefs) links.push({ type: 'child_seen_with_person', from: ref, to: 's1', date, confidence: 'probable' });
  }
  return {
    channel: 'phone',
    received_at: `${date}T10:00:00Z`,
    narrative: 'Children seen getting into a car with an older man after school (browser test).',
    events: [{ kind: 'sighting', date, child: 'c1' }],
    children: kids.map((k, i) => ({ ref: childRefs[i], given_name: k.given, family_name: k.family, date_of_birth: k.dob })),
    persons: withSuspect ? [{ ref: 's1', role: 'suspect', given_name: suspect.given, family_name: suspect.family, date_of_birth: suspect.dob }] : [],
    vehicles: [{ ref: 'v1', registration, make: 'Ford', colour: 'Silver' }],
    phones: [],
    online_accounts: [],
    locations: [],
    links,
    indicators: [],
  };
}

/**
 * A fourth concern naming the suspect by name only (no date of birth), about another child:
 * a possible match (between 0.5 and 0.95) for the analysts' review queue.
 */
function vagueConcern() {
  const date = dayIso(2);
  return {
    channel: 'email',
    received_at: `${date}T09:00:00Z`,
    narrative: 'A man of the same name was seen near the school gates (browser test).',
    events: [{ kind: 'sighting', date, child: 'c1' }],
    children: [{ ref: 'c1', given_name: 'Eve', family_name: `Other${cap}`, date_of_birth: '2012-07-07' }],
    persons: [{ ref: 's1', role: 'suspect', given_name: suspect.given, family_name: suspect.family }],
    vehicles: [],
    phones: [],
    online_accounts: [],
    locations: [],
    links: [{ type: 'child_seen_with_person', from: 'c1', to: 's1', date, confidence: 'possible' }],
    indicators: [],
  };
}

let chartPath = '';

/** @type {Array<[string, () => Promise<void>]>} */
const steps = [
  ['the MASH coordinator records three linked concerns through the API', async () => {
    await signIn(env.mash);
    const bodies = [concern(20, children.slice(0, 2), true), concern(10, children.slice(2, 3), true), concern(5, children.slice(3, 4), false), vagueConcern()];
    for (const body of bodies) {
      const r = await postJson('/api/v1/concerns', body);
      check(r.status === 201 || r.status === 200, `a concern was refused (HTTP ${r.status}): ${r.text.slice(0, 300)}`);
    }
    await signOut();
  }],
  ['the analyst opens Network and sees the suspect among key players and the vehicle among hot spots', async () => {
    await signIn(env.analyst);
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Network' }).click();
    await page.getByRole('heading', { level: 1, name: 'Link chart' }).waitFor();
    // The vaguely recorded suspect is a node of its own (no date of birth): take the first.
    await page.locator('section[aria-labelledby="players-heading"] a', { hasText: suspectName }).first().waitFor();
    await page.locator('section[aria-labelledby="spots-heading"] a', { hasText: registration }).waitFor();
    await axe('the network entry page');
    await usableAtTabletWidth('the network entry page');
    await screenshot('01-network-entry');
  }],
  ['the suspect’s link chart lists the children and the vehicle, and draws the canvas', async () => {
    await page.locator('section[aria-labelledby="players-heading"] a', { hasText: suspectName }).first().click();
    await page.waitForURL((url) => url.pathname === '/network' && (url.searchParams.get('entity') ?? '').startsWith('person-'));
    chartPath = new URL(page.url()).pathname + new URL(page.url()).search;
    const entities = page.locator('section[aria-labelledby="entities-heading"] tbody');
    for (const k of children.slice(0, 3)) await entities.locator('th', { hasText: `${k.given} ${k.family}` }).waitFor();
    await entities.locator('th', { hasText: registration }).waitFor();
    check((await entities.locator('th', { hasText: `${children[3]?.given} ` }).count()) === 0, 'the fourth child is on the chart before expanding the vehicle');
    await page.locator('.network-chart[data-ready="true"] canvas').first().waitFor();
    await axe('the link chart');
    await usableAtTabletWidth('the link chart');
    await screenshot('02-chart');
  }],
  ['expanding the vehicle adds the fourth child', async () => {
    const button = page.getByRole('button', { name: `Expand ${registration}` });
    await button.focus();
    await page.keyboard.press('Enter');
    await page.locator('.status-message', { hasText: 'Expanded' }).waitFor();
    await page.locator('section[aria-labelledby="entities-heading"] tbody th', { hasText: `${children[3]?.given} ${children[3]?.family}` }).waitFor();
    await screenshot('03-expanded');
  }],
  ['selecting the suspect–vehicle link shows its evidence in the side panel', async () => {
    const button = page.getByRole('button', { name: new RegExp(`^Evidence for (${suspectName} — ${registration}|${registration} — ${suspectName})$`) });
    await button.click();
    const panel = page.locator('aside.evidence-panel');
    await panel.locator('h2', { hasText: 'Evidence:' }).waitFor();
    const text = await panel.innerText();
    check(text.includes('Person drives vehicle'), 'the evidence does not show the typed link');
    check(text.includes('Confirmed'), 'the evidence does not show its confidence');
    check(/Concern …[0-9a-f]{6}/.test(text), 'the evidence does not name its source concern');
    check(await page.evaluate(() => document.activeElement?.id === 'evidence-heading'), 'focus did not move to the evidence panel');
    await axe('the link chart with evidence shown');
    await screenshot('04-evidence');
  }],
  ['the type filter hides and shows vehicles', async () => {
    const entities = page.locator('section[aria-labelledby="entities-heading"] tbody');
    await page.getByLabel('Vehicles').uncheck();
    await entities.locator('th', { hasText: registration }).waitFor({ state: 'detached' });
    await page.getByLabel('Vehicles').check();
    await entities.locator('th', { hasText: registration }).waitFor();
  }],
  ['the chart exports as a PNG', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as PNG' }).click()]);
    check(download.suggestedFilename().endsWith('.png'), `the download is named ${download.suggestedFilename()}`);
    check(download.url().startsWith('data:image/png'), 'the download is not a PNG data URL');
  }],
  ['the suspect’s person page shows both records and a waterfall', async () => {
    await page.getByRole('button', { name: `Show ${suspectName}` }).click();
    await page.getByRole('button', { name: 'Open person page' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/persons/'));
    await page.getByRole('heading', { level: 1, name: suspectName }).waitFor();
    const rows = page.locator('section[aria-labelledby="records-heading"] tbody tr');
    await rows.first().waitFor();
    check((await rows.count()) === 2, `the person page lists ${await rows.count()} records, not 2`);
    check((await rows.first().innerText()).includes('Suspect'), 'the record does not show the role');
    const waterfall = page.locator('.waterfall').first();
    await waterfall.waitFor();
    const text = await waterfall.innerText();
    check(text.includes('Prior') && text.includes('Total') && text.includes('Date of birth'), 'the waterfall lacks its prior, a field or its total');
    check(/match probability \d/.test(text) || /over 99\.9%/.test(text), 'the waterfall does not give a probability');
    await page.locator('section[aria-labelledby="review-heading"] li').first().waitFor();
    await axe('the person page');
    await usableAtTabletWidth('the person page');
    await screenshot('05-person');
  }],
  ['the analyst decides a possible match is a different person, after confirming, then undoes it', async () => {
    const pair = page.locator('section[aria-labelledby="review-heading"] li').first();
    const title = (await pair.locator('h3').innerText()).trim();
    await pair.getByRole('button', { name: /^Different people:/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Yes, different people' }).waitFor();
    await axe('the person page with the confirmation open');
    await dialog.getByRole('button', { name: 'Yes, different people' }).click();
    await page.locator('.status-message', { hasText: 'Decision recorded: different people.' }).waitFor();
    const decided = page.locator('section[aria-labelledby="review-heading"] li', { hasText: title });
    check((await decided.innerText()).includes('Decided: different people'), `the pair ${title.replace(/.*record /, '')} does not read as decided`);
    await screenshot('06-decided');
    await decided.getByRole('button', { name: /^Undo:/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, undo the decision' }).click();
    await page.locator('.status-message', { hasText: 'Decision withdrawn.' }).waitFor();
    check((await page.locator('section[aria-labelledby="review-heading"] li', { hasText: title }).innerText()).includes('Not decided'), 'the pair is not open again after undo');
  }],
  ['a child’s case links to the child’s person page', async () => {
    const kid = children[0];
    check(kid !== undefined, 'no child');
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Cases' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    await page.locator('table tbody a', { hasText: `${kid.given} ${kid.family}` }).click();
    await page.getByRole('link', { name: 'This child across agencies' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/persons/'));
    await page.getByRole('heading', { level: 1, name: `${kid.given} ${kid.family}` }).waitFor();
    await page.locator('section[aria-labelledby="records-heading"] tbody tr').first().waitFor();
    await axe('a child’s person page');
  }],
  ['the chart’s address opens the same chart again', async () => {
    await page.goto(at(chartPath));
    await page.locator('section[aria-labelledby="entities-heading"] tbody th', { hasText: registration }).waitFor();
  }],
];

await run(steps); // Then "no console errors" and "no requests to origins other than …".
