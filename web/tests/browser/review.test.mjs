// Browser test of the analysts' review queue and their My work (issue 8), driving the built app
// in Debian's Chromium through playwright-core against a running Safeguard server:
//
//   0. the MASH coordinator records, through the API, a concern about three children seen in
//      one vehicle (a network alert for the analysts) with a suspect and his date of birth,
//      and a second concern naming the suspect without one (a possible match to review);
//   1. the analyst's My work shows the analysts' inbox with the vehicle's alert, whose link
//      opens the vehicle's link chart, and points to the review queue;
//   2. the review queue, from the navigation, lists the pair by both records' names;
//   3. the pair's page shows the two records side by side and the waterfall;
//   4. the analyst decides "different people" with a reason, confirming first, and the page
//      shows the decision and the reason; then undoes it;
//   5. a colleague's decision made after the page was read makes the analyst's own a plain
//      conflict (412) with a way to reload, and nothing is overwritten;
//   6. a manager also has the review queue, and the navigation fits a tablet;
//   7. "as known at" (issue 6): after a moment D, a fourth child is seen in the vehicle and the
//      analyst joins the suspect's two records ("same"); the independent reviewer, given a
//      remit over the agency, opens the suspect's person page and the vehicle's link chart now
//      and as known at D, where neither the later record nor the later decision shows; with
//      the remit's period moved to before these records were made, the reviewer sees neither
//      the vehicle (hot spots, the chart) nor the suspect (his person page is "not found");
//   8. no console errors (CSP violations show there) and no requests to other origins.
//
// axe-core checks each page (serious and critical violations fail the step); screenshots go
// to SG_SCREENSHOT_DIR when set. Output names ids and counts only, never personal data.
//
//   SG_BASE_URL=… SG_MASH_USER=… SG_ANALYST_USER=… SG_MANAGER_USER=… SG_REVIEWER_USER=… SG_ADMIN_USER=… SG_PASSWORD=… node tests/browser/review.test.mjs
//
// Prints one line per step and a closing "review: N passed, N failed"; exits non-zero on failure.

import { check, startHarness } from './harness.mjs';

/** Set while a decision is refused on purpose. */
let expectingConflict = false;
/** Set while a person outside the reviewer's remit is opened on purpose (404). */
let expectingNotFound = false;

const { env, page, screenshot, axe, usableAtTabletWidth, signIn, signOut, postJson, run } = await startHarness({
  name: 'review',
  users: { mash: ['SG_MASH_USER', 'SG_USERNAME'], analyst: ['SG_ANALYST_USER'], manager: ['SG_MANAGER_USER'], reviewer: ['SG_REVIEWER_USER'], admin: ['SG_ADMIN_USER'] },
  // The conflict step is refused on purpose (412), and a person outside the reviewer's remit
// is not found on purpose (404); the browser logs both.
  expectedError: (text, where) =>
    (expectingConflict && text.includes('status of 412') && /\/api\/v1\/review-queue\/[^/]+\/decision$/.test(where)) ||
    (expectingNotFound && text.includes('status of 404') && /\/api\/v1\/persons\/[^/]+$/.test(where)),
});

// Made-up people, unique per run so nothing from other runs looks like them.
const suffix = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const cap = suffix.charAt(0).toUpperCase() + suffix.slice(1);
const suspect = { given: 'Rex', family: `Pair${cap}`, dob: '1985-06-07' };
const suspectName = `${suspect.given} ${suspect.family}`;
const registration = `R${suffix.slice(0, 1).toUpperCase()}${String(10 + Math.floor(Math.random() * 80))} ${suffix.slice(1, 4).toUpperCase()}`;

/** @param {number} daysAgo */
function dayIso(daysAgo) {
  return new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/**
 * As the signed-in administrator: sets every reviewer's remit to the NCS agency (the MASH's,
 * scripts/browser-test.sh) from `from` to `to`. Returns the HTTP statuses.
 * @param {string} from
 * @param {string} to
 */
async function setReviewerRemits(from, to) {
  return page.evaluate(async ([from, to]) => {
    const me = await (await fetch('/api/v1/me', { credentials: 'same-origin' })).json();
    const users = await (await fetch('/api/v1/users', { credentials: 'same-origin' })).json();
    const statuses = [];
    for (const u of /** @type {Array<{ id: string, role: string }>} */ (users.items)) {
      if (u.role !== 'reviewer') continue;
      const r = await fetch(`/api/v1/users/${encodeURIComponent(u.id)}/review-scope`, {
        method: 'PUT',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: JSON.stringify({ agencies: ['NCS'], from, to }),
      });
      statuses.push(r.status);
    }
    return statuses;
  }, /** @type {const} */ ([from, to]));
}

/** Three children seen in one vehicle, with the suspect (date of birth known) driving it. */
function vehicleConcern() {
  const date = dayIso(6);
  const kids = ['Fay', 'Gus', 'Hal'].map((given, i) => ({ ref: `c${i + 1}`, given_name: given, family_name: `Kid${cap}`, date_of_birth: `2011-0${i + 4}-2${i}` }));
  return {
    channel: 'phone',
    received_at: `${date}T10:00:00Z`,
    narrative: 'Three children seen getting into one car with an older man (browser test).',
    events: [{ kind: 'sighting', date, child: 'c1' }],
    children: kids,
    persons: [{ ref: 's1', role: 'suspect', given_name: suspect.given, family_name: suspect.family, date_of_birth: suspect.dob }],
    vehicles: [{ ref: 'v1', registration, colour: 'Blue' }],
    phones: [],
    online_accounts: [],
    locations: [],
    links: [
      ...kids.map((k) => ({ type: 'child_seen_in_vehicle', from: k.ref, to: 'v1', date, confidence: 'probable' })),
      { type: 'person_drives_vehicle', from: 's1', to: 'v1', date, confidence: 'confirmed' },
    ],
    indicators: [],
  };
}

/** The suspect named again without a date of birth: a possible match for the review queue. */
function vagueConcern() {
  const date = dayIso(3);
  return {
    channel: 'email',
    received_at: `${date}T09:00:00Z`,
    narrative: 'A man of the same name was seen near the park (browser test).',
    events: [{ kind: 'sighting', date, child: 'c1' }],
    children: [{ ref: 'c1', given_name: 'Ivy', family_name: `Other${cap}`, date_of_birth: '2012-08-08' }],
    persons: [{ ref: 's1', role: 'suspect', given_name: suspect.given, family_name: suspect.family }],
    vehicles: [],
    phones: [],
    online_accounts: [],
    locations: [],
    links: [{ type: 'child_seen_with_person', from: 'c1', to: 's1', date, confidence: 'possible' }],
    indicators: [],
  };
}

/** A fourth child seen in the same vehicle, recorded after the moment D. */
function laterConcern() {
  const date = dayIso(1);
  return {
    channel: 'phone',
    received_at: `${date}T08:00:00Z`,
    narrative: 'Another child seen getting into the same car (browser test).',
    events: [{ kind: 'sighting', date, child: 'c1' }],
    children: [{ ref: 'c1', given_name: 'Jo', family_name: `Kid${cap}`, date_of_birth: '2012-09-09' }],
    persons: [],
    vehicles: [{ ref: 'v1', registration, colour: 'Blue' }],
    phones: [],
    online_accounts: [],
    locations: [],
    links: [{ type: 'child_seen_in_vehicle', from: 'c1', to: 'v1', date, confidence: 'probable' }],
    indicators: [],
  };
}

let pairPath = '';
/** The suspect's record in the first concern (`<concern id>:s1`). */
let suspectRecord = '';
/** The moment D, before the later concern and decision, as a datetime-local value (local time). */
let momentD = '';
const decision = page.locator('section[aria-labelledby="decision-heading"]');

/** Chooses `verdict` and records it, confirming in the dialog. @param {string} verdict @param {string} confirm */
async function decide(verdict, confirm) {
  await decision.getByLabel(verdict).check();
  await decision.getByRole('button', { name: 'Record the decision' }).click();
  await page.getByRole('dialog').getByRole('button', { name: confirm }).click();
}

async function undo() {
  await decision.getByRole('button', { name: 'Undo the decision' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Yes, undo the decision' }).click();
  await page.locator('.status-message', { hasText: 'Decision withdrawn.' }).waitFor();
}

/** @type {Array<[string, () => Promise<void>]>} */
const steps = [
  ['the MASH coordinator records a vehicle with three children and the suspect twice', async () => {
    await signIn(env.mash);
    for (const body of [vehicleConcern(), vagueConcern()]) {
      const r = await postJson('/api/v1/concerns', body);
      check(r.status === 201 || r.status === 200, `a concern was refused (HTTP ${r.status}): ${r.text.slice(0, 300)}`);
      if (suspectRecord === '') suspectRecord = `${/** @type {{ concern_id: string }} */ (r.json).concern_id}:s1`;
    }
    await signOut();
  }],
  ['the analyst’s My work shows the analysts’ inbox with the vehicle’s network alert', async () => {
    await signIn(env.analyst);
    const inbox = page.locator('section[aria-labelledby="analysts-heading"]');
    await inbox.waitFor();
    const alert = inbox.locator('li.work-item', { hasText: registration });
    await alert.waitFor();
    const text = await alert.innerText();
    check(text.includes('Linked to several children'), 'the alert does not say what it is about');
    check(/linked to 3 children/i.test(text), 'the alert does not say how many children');
    check((await alert.getByRole('button').count()) === 0, 'an analyst is offered an acknowledgement the server refuses');
    await page.locator('p.pointer').getByRole('link', { name: 'review queue' }).waitFor();
    await axe('the analyst’s My work');
    await usableAtTabletWidth('the analyst’s My work');
    await screenshot('01-my-work');
  }],
  ['the alert opens the vehicle’s link chart', async () => {
    await page.locator('section[aria-labelledby="analysts-heading"] li.work-item', { hasText: registration }).getByRole('link', { name: 'Open the link chart' }).click();
    await page.waitForURL((url) => url.pathname === '/network' && (url.searchParams.get('entity') ?? '').startsWith('vehicle-'));
    await page.locator('section[aria-labelledby="entities-heading"] tbody th', { hasText: registration }).waitFor();
  }],
  ['the review queue lists the pair by both records’ names', async () => {
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Review queue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
    const pair = page.locator('.review-list li', { hasText: suspectName }).first();
    await pair.waitFor();
    const title = await pair.locator('h2').innerText();
    check(title.split(suspectName).length === 3, 'the pair does not name both records');
    check((await pair.innerText()).includes('Not decided'), 'the pair does not say it is waiting');
    await axe('the review queue');
    await usableAtTabletWidth('the review queue');
    await screenshot('02-queue');
    await pair.getByRole('link').click();
    await page.waitForURL((url) => url.pathname.startsWith('/review-queue/'));
    pairPath = new URL(page.url()).pathname;
  }],
  ['the pair’s page shows both records side by side and the waterfall', async () => {
    await page.getByRole('heading', { level: 1, name: 'Possible match' }).waitFor();
    const table = page.locator('table.review-compare');
    const name = table.locator('tr', { has: page.locator('th', { hasText: 'Name as recorded' }) });
    check((await name.locator('td').allInnerTexts()).every((t) => t === suspectName), 'the names are not side by side');
    const dob = await table.locator('tr', { has: page.locator('th', { hasText: 'Date of birth' }) }).locator('td').allInnerTexts();
    check(dob.includes('7 Jun 1985') && dob.includes('—'), 'the dates of birth are not shown side by side');
    const waterfall = await page.locator('.waterfall').innerText();
    check(waterfall.includes('Prior') && waterfall.includes('Total') && /Probability \d/.test(waterfall), 'the waterfall lacks its prior, its total or its probability');
    check((await decision.innerText()).includes('Not decided'), 'the pair does not read as undecided');
    await axe('a pair in the review queue');
    await usableAtTabletWidth('a pair in the review queue');
    await screenshot('03-pair');
  }],
  ['deciding “different people” with a reason, after confirming, then undoing it', async () => {
    await decision.getByRole('button', { name: 'Record the decision' }).click();
    await page.locator('.error-summary', { hasText: 'Choose whether these records are the same person' }).waitFor();
    await decision.getByLabel('Reason').fill('Only one record has a date of birth (browser test).');
    await decision.getByLabel('Different people: keep the records apart').check();
    await decision.getByRole('button', { name: 'Record the decision' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, different people' }).waitFor();
    await axe('the pair with the confirmation open');
    await page.getByRole('dialog').getByRole('button', { name: 'Yes, different people' }).click();
    await page.locator('.status-message', { hasText: 'Decision recorded: different people.' }).waitFor();
    const text = await decision.innerText();
    check(text.includes('Decided: different people'), 'the decision is not shown');
    check(text.includes('Only one record has a date of birth'), 'the reason is not shown');
    check(text.includes('By you'), 'the decision does not say who made it');
    await screenshot('04-decided');
    await undo();
    check((await decision.innerText()).includes('Not decided'), 'the pair is not open again after undo');
  }],
  ['a colleague’s decision since the page was read is a plain conflict, not an overwrite', async () => {
    const pairId = decodeURIComponent(pairPath.replace('/review-queue/', ''));
    /** @type {number} */
    const status = await page.evaluate(async (id) => {
      const me = await (await fetch('/api/v1/me', { credentials: 'same-origin' })).json();
      const pair = await (await fetch(`/api/v1/review-queue/${encodeURIComponent(id)}`, { credentials: 'same-origin' })).json();
      const r = await fetch(`/api/v1/review-queue/${encodeURIComponent(id)}/decision`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token, 'If-Match': `"${pair.version}"` },
        body: JSON.stringify({ verdict: 'unsure', note: 'A colleague (browser test).' }),
      });
      return r.status;
    }, pairId);
    check(status === 200, `the colleague's decision was refused (HTTP ${status})`);
    expectingConflict = true;
    await decide('The same person: join the records', 'Yes, the same person');
    const conflict = page.locator('section[aria-labelledby="decision-heading"] [role="alert"]', { hasText: 'Someone else decided this pair' });
    await conflict.waitFor();
    expectingConflict = false;
    await axe('the pair with a conflict');
    await screenshot('05-conflict');
    await conflict.getByRole('button', { name: 'Reload the pair' }).click();
    await decision.locator('strong', { hasText: 'Decided: unsure' }).waitFor();
    check((await decision.innerText()).includes('A colleague (browser test).'), 'the colleague’s decision is not shown after reloading');
    await undo();
    await signOut();
  }],
  ['a manager has the review queue too, and the navigation fits a tablet', async () => {
    await signIn(env.manager);
    await usableAtTabletWidth('the manager’s My work');
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Review queue' }).click();
    await page.getByRole('heading', { level: 1, name: 'Review queue' }).waitFor();
    await page.locator('.review-list li', { hasText: suspectName }).first().waitFor();
    await signOut();
  }],
  ['after a moment D, a fourth child is seen in the vehicle and the analyst joins the suspect’s records', async () => {
    // D lies between everything so far and what follows, a second clear on each side.
    await page.waitForTimeout(1100);
    momentD = await page.evaluate(() => {
      const now = new Date();
      const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
      return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
    });
    await page.waitForTimeout(1100);
    await signIn(env.mash);
    const later = await postJson('/api/v1/concerns', laterConcern());
    check(later.status === 201, `the later concern was refused (HTTP ${later.status})`);
    await signOut();
    await signIn(env.analyst);
    const pairId = decodeURIComponent(pairPath.replace('/review-queue/', ''));
    const status = await page.evaluate(async (id) => {
      const me = await (await fetch('/api/v1/me', { credentials: 'same-origin' })).json();
      const pair = await (await fetch(`/api/v1/review-queue/${encodeURIComponent(id)}`, { credentials: 'same-origin' })).json();
      const r = await fetch(`/api/v1/review-queue/${encodeURIComponent(id)}/decision`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token, 'If-Match': `"${pair.version}"` },
        body: JSON.stringify({ verdict: 'same', note: 'Joined after D (browser test).' }),
      });
      return r.status;
    }, pairId);
    check(status === 200, `the "same" decision was refused (HTTP ${status})`);
    await signOut();
    // The reviewer's remit: the MASH's agency (NCS, scripts/browser-test.sh), this month.
    await signIn(env.admin);
    const remits = await setReviewerRemits(dayIso(30), dayIso(-2));
    check(remits.length > 0 && remits.every((s) => s === 200), `setting the reviewer's remit returned ${remits.join(', ')}`);
    await signOut();
  }],
  ['the reviewer opens the suspect now (two records) and as known at D (one record, a past view)', async () => {
    await signIn(env.reviewer);
    const personPath = `/persons/${encodeURIComponent(suspectRecord)}`;
    await page.goto(new URL(personPath, env.baseUrl).toString());
    const records = page.locator('table.person-records tbody tr');
    await page.getByRole('heading', { level: 1, name: suspectName }).waitFor();
    check((await records.count()) === 2, `the suspect shows ${await records.count()} records now, not 2`);
    check((await page.locator('.notice--history').count()) === 0, 'today’s person page says it is a past view');
    await page.getByLabel('Show the person as known at').fill(momentD);
    await page.getByRole('button', { name: 'Show as known then' }).click();
    await page.waitForURL((url) => url.pathname === personPath && url.searchParams.has('as_of'));
    const banner = page.locator('.notice--history');
    await banner.waitFor();
    check((await banner.innerText()).includes('As known at'), 'the past view does not say so');
    await page.locator('section[aria-labelledby="decisions-then-heading"]').waitFor();
    check((await records.count()) === 1, `the suspect shows ${await records.count()} records as known at D, not 1`);
    check((await page.locator('section[aria-labelledby="decisions-then-heading"]').innerText()).includes('No decisions'), 'a decision made after D shows as known at D');
    await axe('a person as known at D');
    await usableAtTabletWidth('a person as known at D');
    await screenshot('06-person-as-known');
  }],
  ['the reviewer opens the vehicle’s link chart now (four children) and as known at D (three)', async () => {
    const vehicle = await page.evaluate(async (plate) => {
      const r = await (await fetch('/api/v1/network/hot-spots?limit=1000', { credentials: 'same-origin' })).json();
      const spot = (/** @type {Array<{ entity: { id: string, label: string } }>} */ (r.hot_spots ?? [])).find((s) => s.entity.label === plate);
      return spot === undefined ? '' : spot.entity.id;
    }, registration);
    check(vehicle !== '', 'the reviewer cannot find the vehicle among the hot spots');
    await page.goto(new URL(`/network?entity=${encodeURIComponent(vehicle)}`, env.baseUrl).toString());
    const kids = page.locator('section[aria-labelledby="entities-heading"] tbody tr', { hasText: `Kid${cap}` });
    await page.locator('section[aria-labelledby="entities-heading"] tbody th', { hasText: registration }).waitFor();
    check((await kids.count()) === 4, `the chart shows ${await kids.count()} children now, not 4`);
    await page.getByLabel('Show the link chart as it was known at').fill(momentD);
    await page.getByRole('button', { name: 'Show as known then' }).click();
    await page.waitForURL((url) => url.pathname === '/network' && url.searchParams.has('as_of') && url.searchParams.get('entity') === vehicle);
    await page.locator('.notice--history').waitFor();
    await page.locator('section[aria-labelledby="entities-heading"] tbody th', { hasText: registration }).waitFor();
    check((await kids.count()) === 3, `the chart shows ${await kids.count()} children as known at D, not 3`);
    check((await page.locator('section[aria-labelledby="entities-heading"]').innerText()).includes(`Jo Kid${cap}`) === false, 'the child recorded after D shows as known at D');
    check((await page.getByRole('heading', { level: 1 }).innerText()).includes('as known at'), 'the chart’s heading does not say it is a past view');
    await page.locator('.network-chart[data-ready="true"]').waitFor();
    await axe('the link chart as known at D');
    await usableAtTabletWidth('the link chart as known at D');
    await screenshot('07-chart-as-known');
    await signOut();
  }],
  ['a remit whose period ended before these records were made shows the reviewer neither the vehicle nor the suspect', async () => {
    await signIn(env.admin);
    const remits = await setReviewerRemits(dayIso(90), dayIso(31));
    check(remits.length > 0 && remits.every((s) => s === 200), `moving the reviewer's period returned ${remits.join(', ')}`);
    await signOut();
    await signIn(env.reviewer);
    expectingNotFound = true;
    const seen = await page.evaluate(async ([plate, record]) => {
      const spots = await (await fetch('/api/v1/network/hot-spots?limit=1000', { credentials: 'same-origin' })).json();
      const players = await (await fetch('/api/v1/network/key-players?limit=1000', { credentials: 'same-origin' })).json();
      const person = await fetch(`/api/v1/persons/${encodeURIComponent(record)}`, { credentials: 'same-origin' });
      return {
        spot: (/** @type {Array<{ entity: { label: string } }>} */ (spots.hot_spots ?? [])).some((s) => s.entity.label === plate),
        players: (players.key_players ?? []).length,
        person: person.status,
      };
    }, /** @type {const} */ ([registration, suspectRecord]));
    check(!seen.spot, 'the vehicle is among the hot spots of a reviewer whose period ended before it was recorded');
    check(seen.person === 404, `the suspect's person record answers ${seen.person}, not 404, outside the period`);
    await page.goto(new URL(`/persons/${encodeURIComponent(suspectRecord)}`, env.baseUrl).toString());
    await page.getByRole('heading', { level: 1, name: 'Person not found' }).waitFor();
    await page.goto(new URL('/network', env.baseUrl).toString());
    const spotsSection = page.locator('section[aria-labelledby="spots-heading"]');
    await spotsSection.waitFor();
    check(!(await spotsSection.innerText()).includes(registration), 'the link chart’s hot spots name the vehicle outside the period');
    await axe('the link chart outside the period');
    await signOut();
    // The browser reports the 404 asynchronously; by now it has.
    expectingNotFound = false;
  }],
];

await run(steps); // Then "no console errors" and "no requests to origins other than …".
