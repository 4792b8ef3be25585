// Browser test of the help the concern form gives while it is written (issue 8), driving the
// built app in Debian's Chromium through playwright-core against a running Safeguard server:
//
//   0. the MASH coordinator records a concern about a child through the API;
//   1. in "Raise a concern", typing that child's name and date of birth shows, after a pause
//      and with one lookup, "Known to 1 other agency record" with a link to the person page
//      that opens in a new tab;
//   2. a person with only an approximate age is looked up as "AGE on DATE";
//   3. when matching fails, nothing alarming shows and the form carries on;
//   4. "Suggest from narrative" lists the vehicle, date, phone, e-mail address and postcode
//      in the narrative without adding any; the vehicle and phone are added when confirmed and
//      the e-mail address is ignored;
//   5. the concern is recorded (with matching still failing) holding exactly what was
//      confirmed;
//   6. no console errors (CSP violations show there) and no requests to other origins.
//
// axe-core checks each state (serious and critical violations fail the step); screenshots go
// to SG_SCREENSHOT_DIR when set. Output names ids and counts only, never personal data.
//
//   SG_BASE_URL=… SG_MASH_USER=… SG_PASSWORD=… node tests/browser/concern_assist.test.mjs
//
// Prints one line per step and a closing "concern-assist: N passed, N failed"; exits non-zero on failure.

import { check, startHarness } from './harness.mjs';

/** Set while matching is made to fail on purpose. */
let failingMatches = false;

const { env, at, page, screenshot, axe, usableAtTabletWidth, signIn, signOut, postJson, run } = await startHarness({
  name: 'concern-assist',
  users: { mash: ['SG_MASH_USER', 'SG_USERNAME'] },
  // The step that makes as-you-type matching fail on purpose: the browser logs the refusal.
  expectedError: (_text, where) => failingMatches && where.includes('/api/v1/persons/match'),
});

// Made-up people, unique per run so nothing from other runs looks like them.
const suffix = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const cap = suffix.charAt(0).toUpperCase() + suffix.slice(1);
const child = { given: 'Kit', family: `Known${cap}`, dob: '2012-03-04' };
const email = `kaz.${suffix}@example.com`;

/** The row of the form whose legend is `legend` ("Child 1", "Vehicle 1"). @param {string} legend */
function row(legend) {
  return page.locator('fieldset.repeat-row', { has: page.locator('legend', { hasText: new RegExp(`^${legend}$`) }) });
}

/** @type {string[]} */
const matchQueries = [];
page.on('request', (request) => {
  const url = new URL(request.url());
  if (url.pathname === '/api/v1/persons/match') matchQueries.push(url.search);
});

/** Waits until `n` lookups have been sent, then a little longer for any extra. @param {number} n */
async function lookups(n) {
  for (let i = 0; i < 50 && matchQueries.length < n; i++) await page.waitForTimeout(100);
  await page.waitForTimeout(900);
  check(matchQueries.length === n, `${matchQueries.length} lookups were sent, not ${n}`);
}

/** @type {Array<[string, () => Promise<void>]>} */
const steps = [
  ['the MASH coordinator records a concern about a child through the API', async () => {
    await signIn(env.mash);
    const date = new Date(Date.now() - 4 * 86_400_000).toISOString().slice(0, 10);
    const body = {
      channel: 'phone',
      received_at: `${date}T10:00:00Z`,
      narrative: 'Missing overnight, came back with new clothes (browser test).',
      events: [{ kind: 'missing_episode', date, child: 'c1' }],
      children: [{ ref: 'c1', given_name: child.given, family_name: child.family, date_of_birth: child.dob }],
      persons: [],
      vehicles: [],
      phones: [],
      online_accounts: [],
      locations: [],
      links: [],
      indicators: [],
    };
    const { status } = await postJson('/api/v1/concerns', body);
    check(status === 201, `the concern was refused (HTTP ${status})`);
  }],
  ['a child’s name and date of birth show “Known to 1 other agency record”, after one lookup', async () => {
    await page.getByRole('link', { name: 'Raise a concern' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Raise a concern' }).waitFor();
    const first = row('Child 1');
    await first.getByLabel('Given name').fill(child.given);
    await first.getByLabel('Family name').fill(child.family);
    await page.waitForTimeout(900);
    check(matchQueries.length === 0, 'a name alone was looked up');
    await first.getByLabel('Date of birth').fill('04/03/2012');
    const hint = first.locator('.known-to');
    await hint.getByText('Known to 1 other agency record.').waitFor();
    await lookups(1);
    const link = hint.getByRole('link', { name: /See their records/ });
    check(((await link.getAttribute('href')) ?? '').startsWith('/persons/'), 'the hint does not link to the person page');
    check((await link.getAttribute('target')) === '_blank', 'the person page would replace the half-written form');
    await axe('Raise a concern with a child known to another agency');
    await screenshot('01-known-to');
  }],
  ['a person with only an approximate age is looked up as “AGE on DATE”', async () => {
    await page.getByRole('button', { name: 'Add a person' }).click();
    const person = row('Person 1');
    await person.getByLabel('Role').selectOption('suspect');
    await person.getByLabel('Given name').fill('Lou');
    await person.getByLabel('Family name').fill(`Aged${cap}`);
    await person.getByLabel('Approximate age').fill('30');
    await lookups(2);
    const query = new URLSearchParams(matchQueries[1]);
    check(/^30 on \d{4}-\d{2}-\d{2}$/.test(query.get('date_of_birth') ?? ''), 'the age was not sent as "AGE on DATE"');
    check(query.get('family_name') === `Aged${cap}`, 'the lookup did not send the family name');
  }],
  ['when matching fails, nothing alarming shows and the form carries on', async () => {
    failingMatches = true;
    await page.route('**/api/v1/persons/match?**', (route) =>
      route.fulfill({ status: 503, contentType: 'application/problem+json', body: JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status: 503 }) }),
    );
    const first = row('Child 1');
    await first.getByLabel('Family name').fill(`${child.family}e`);
    await lookups(3);
    check((await first.locator('.known-to').innerText()).trim() === '', 'a failed lookup left a message under the child');
    check((await page.locator('.error-summary').first().innerText()).trim() === '', 'a failed lookup showed an error');
    check((await page.locator('form [role="alert"]:not(.error-summary):not(.field__error)').count()) === 0, 'a failed lookup raised an alert');
    await first.getByLabel('Family name').fill(child.family);
  }],
  ['“Suggest from narrative” proposes five items and adds none until confirmed', async () => {
    await page.getByLabel('How the concern came in').selectOption('phone');
    await page.getByLabel('What was reported').fill(
      `Seen getting into a silver car YX65 KLM on 14/03/2024. Texts from 07700 900123 and ${email}; dropped near NF1 2AB (browser test).`,
    );
    await page.getByRole('button', { name: 'Suggest from narrative' }).click();
    await page.getByText('5 suggestions found.').waitFor();
    const list = page.locator('.suggestions__list li');
    check((await list.count()) === 5, `${await list.count()} suggestions are listed, not 5`);
    const text = await page.locator('.suggestions').innerText();
    for (const want of ['YX65 KLM', '14/03/2024', '07700 900123', email, 'NF1 2AB']) check(text.includes(want), 'a suggestion is missing');
    for (const legend of ['Vehicle 1', 'Phone 1', 'Online account 1', 'Place 1', 'Event 1']) {
      check((await row(legend).count()) === 0, `${legend} was added without being confirmed`);
    }
    await axe('Raise a concern with suggestions');
    await usableAtTabletWidth('Raise a concern with suggestions');
    await screenshot('02-suggestions');
  }],
  ['confirming adds the vehicle and the phone; the e-mail address is ignored', async () => {
    await page.getByRole('button', { name: 'Add to vehicles: Vehicle registration “YX65 KLM”' }).click();
    check((await row('Vehicle 1').getByLabel('Registration').inputValue()) === 'YX65 KLM', 'the vehicle row does not hold the registration');
    await page.locator('.suggestion', { hasText: 'Added to vehicles as Vehicle 1.' }).waitFor();
    await page.getByRole('button', { name: 'Add to phones: Phone number “07700 900123”' }).click();
    check((await row('Phone 1').getByLabel('Number').inputValue()) === '07700 900123', 'the phone row does not hold the number');
    await page.getByRole('button', { name: `Ignore Email address “${email}”` }).click();
    check((await page.locator('.suggestions__list li', { hasText: email }).count()) === 0, 'the ignored suggestion is still listed');
    check((await row('Online account 1').count()) === 0, 'the ignored e-mail address was added');
    check(await page.evaluate(() => document.activeElement?.tagName === 'BUTTON'), 'focus was lost after ignoring');
    // Asking again knows what the form already holds.
    await page.getByRole('button', { name: 'Suggest from narrative' }).click();
    await page.locator('.suggestion', { hasText: 'Already in the form (Vehicle 1).' }).waitFor();
    await axe('Raise a concern after confirming suggestions');
    await screenshot('03-confirmed');
  }],
  ['the concern is recorded, with matching still failing, holding what was confirmed', async () => {
    const sent = page.waitForRequest((r) => r.url() === at('/api/v1/concerns') && r.method() === 'POST');
    const answered = page.waitForResponse((r) => r.url() === at('/api/v1/concerns') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Record the concern' }).click();
    const body = (await sent).postDataJSON();
    const response = await answered;
    check(response.status() === 201, `recording the concern returned ${response.status()}: ${(await response.text()).slice(0, 200)}`);
    check(body.vehicles.length === 1 && body.vehicles[0].registration === 'YX65 KLM', 'the vehicle was not sent as confirmed');
    check(body.phones.length === 1 && body.phones[0].number === '07700 900123', 'the phone was not sent as confirmed');
    check(body.online_accounts.length === 0 && body.locations.length === 0 && body.events.length === 0, 'something unconfirmed was sent');
    check(body.persons[0]?.approx_age === 30 && /^\d{4}-\d{2}-\d{2}$/.test(body.persons[0]?.age_recorded_on ?? ''), 'the approximate age was not sent with its date');
    await page.waitForURL((url) => url.pathname.startsWith('/cases/'));
    // Signing out while the case page is still reading its records would make them 401.
    await page.locator('.case-header__name').waitFor();
    await page.unroute('**/api/v1/persons/match?**');
    failingMatches = false;
    await signOut();
  }],
];

await run(steps); // Then "no console errors" and "no requests to origins other than …".
