// Browser test of the casework journey, driving the built app in Debian's Chromium through
// playwright-core against a running Safeguard server:
//
//   0. a member of the public, in a fresh browser context with no cookies, makes an anonymous
//      report on /report (an age the server refuses first, to see its error beside the field)
//      and is shown a reference and an eight-word receipt code; no request goes to
//      /api/v1/me, to any other staff API, or for the staff app's code;
//      the MASH coordinator finds the report's referral decision in the MASH queue, opens its
//      case, replies to the reporter and accepts the referral, giving the assessment to a
//      colleague chosen by name;
//   1. the MASH coordinator raises a concern through the form (a wrong date of birth first, to
//      see the server's error beside the field), with a risk indicator;
//   2. sees it in the MASH triage queue with its referral-decision clock, opens the case,
//      accepts the referral within its deadline, records a strategy discussion and screens
//      the risk, seeing the contributing indicators and the forced rule;
//   3. manager 1 proposes closing the case: the page shows it waiting for sign-off with no
//      approve button, and a direct API sign-off by manager 1 is refused with 403;
//   4. manager 2 finds it in "Sign-offs waiting", approves it, and the case shows closed;
//      the "as known at" view shows the case before the closure; the ledger trail shows who
//      recorded and looked at the case, each event linking to the case as known then;
//   5. the reporter, in a fresh context again, checks on the report: a wrong code is refused
//      kindly; with the code (typed in capitals with spaces) the status reads "being looked
//      at" with the staff reply, and they add information, which reaches the MASH queue as
//      "The anonymous reporter added information" linking to the case;
//   6. the Cases list shows both cases.
//
// The server needs an agency with code PUBLIC for anonymous reports (scripts/browser-test.sh).
//
// axe-core checks every page visited (serious and critical violations fail the step), and
// the run fails on console errors (Chromium reports CSP violations there) or requests to
// other origins.
//
//   SG_BASE_URL=http://localhost:18080 \
//   SG_MASH_USER=… SG_MANAGER_USER=… SG_MANAGER2_USER=… SG_PASSWORD=… \
//   node tests/browser/casework.test.mjs
//
// SG_MASH_USER falls back to SG_USERNAME. Each user may have their own password in
// SG_MASH_PASSWORD, SG_MANAGER_PASSWORD and SG_MANAGER2_PASSWORD; SG_PASSWORD is the default.
// The two managers must be different users with the manager role, in the same agency as the
// MASH coordinator. Optional: SG_SCREENSHOT_DIR, SG_CHROMIUM (default /usr/bin/chromium).
// Prints one line per step and a closing "casework: N passed, N failed"; exits non-zero on failure.

import { check, startHarness } from './harness.mjs';

// Responses the journey provokes on purpose, beyond the signed-out 401s the harness expects;
// Chromium logs each as "Failed to load resource".
const kExpectedFailures = [
  { status: 400, path: /\/api\/v1\/concerns$/ }, // the wrong date of birth
  { status: 403, path: /\/api\/v1\/decisions\/[^/]+\/sign-off$/ }, // manager 1 signing their own
  { status: 400, path: /\/api\/v1\/public\/reports$/ }, // the reporter's impossible age
  { status: 404, path: /\/api\/v1\/public\/reports\/status$/ }, // the wrong receipt code
];

const { env, base, at, page, watch, launchBrowser, screenshot, axe, usableAtTabletWidth, signIn, signOut, postJson, run } = await startHarness({
  name: 'casework',
  users: { mash: ['SG_MASH_USER', 'SG_USERNAME'], manager: ['SG_MANAGER_USER'], manager2: ['SG_MANAGER2_USER'] },
  expectedError: (text, where) => kExpectedFailures.some((f) => text.includes(`status of ${f.status}`) && f.path.test(where)),
});

// The public pages run in contexts of their own browser: fresh, with no cookies at all.
const publicBrowser = await launchBrowser();

/**
 * A fresh public context (no cookies) and its page. `staffRequests` collects every request
 * a member of the public must never make: any API outside /api/v1/public/ (so never
 * /api/v1/me) and the staff app's code (the staff_main chunk).
 */
async function publicVisit() {
  const ctx = await publicBrowser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'Europe/London' });
  ctx.setDefaultTimeout(10_000);
  const p = await ctx.newPage();
  watch(p);
  /** @type {string[]} */
  const staffRequests = [];
  p.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== base.origin) return;
    const staffApi = url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/v1/public/');
    if (staffApi || /\/assets\/staff_main[-.]/.test(url.pathname)) staffRequests.push(`${request.method()} ${url.pathname}`);
  });
  return { ctx, p, staffRequests };
}

/**
 * Fails if the public visit asked for anything staff-only, kept any cookie, or put anything
 * in web storage. @param {Awaited<ReturnType<typeof publicVisit>>} visit
 */
async function checkPublicVisit(visit) {
  check(visit.staffRequests.length === 0, `the public page requested staff-only resources:\n  ${visit.staffRequests.join('\n  ')}`);
  const cookies = await visit.ctx.cookies();
  check(cookies.length === 0, `the public page set cookies: ${cookies.map((c) => c.name).join(', ')}`);
  const stored = await visit.p.evaluate(() => window.localStorage.length + window.sessionStorage.length);
  check(stored === 0, `the public page stored ${stored} items in web storage`);
}

/** The status line the case page announces after an action: a new one, not the last. */
let lastStatus = '';
async function statusText() {
  const handle = await page.waitForFunction((previous) => {
    const text = document.querySelector('.status-message p')?.textContent?.trim() ?? '';
    return text !== '' && text !== previous ? text : null;
  }, lastStatus);
  lastStatus = String(await handle.jsonValue());
  return lastStatus;
}

/** The text of the fact `term` in the case header (for example "Stage"). @param {string} term */
async function fact(term) {
  return (await page.locator('.case-header dt', { hasText: term }).locator('xpath=following-sibling::dd[1]').innerText()).trim();
}

// A child nobody has raised a concern about before, so the concern opens a new case.
const suffix = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const child = { given: 'Jordan', family: `Test${suffix}`, dob: '2012-05-17' };
const childName = `${child.given} ${child.family}`;
// The child in the anonymous report: a first name only, so the report opens a case of its own.
const reportChild = `Casey${suffix}`;
const reportReply = 'Thank you for telling us. We are looking into this now.';
const reportAddition = `I saw ${reportChild} again last night, near the Kebab House, with the same man.`;
let receiptCode = '';
/** The reporter's current visit (a fresh public context). @type {Awaited<ReturnType<typeof publicVisit>>} */
let reporter;
let reportReference = '';
let reportCasePath = '';
let casePath = '';
let decisionId = '';
/** The moment before the closure was signed off, as a datetime-local value in UK time. */
let beforeClosure = '';

/** @type {Array<[string, () => Promise<void>]>} */
const steps = [
  ['the public report page opens with no sign-in, and passes axe', async () => {
    const visit = await publicVisit();
    reporter = visit;
    const p = visit.p;
    await p.goto(at('/report'));
    await p.getByRole('heading', { level: 1, name: 'Tell us you are worried about a child' }).waitFor();
    const help = await p.locator('.help-box').innerText();
    check(help.includes('999') && help.includes('0800 1111'), `the help box lacks 999 or Childline: ${help}`);
    check((await p.getByRole('button', { name: 'Sign out', exact: true }).count()) === 0, 'the public page shows the staff header');
    check((await p.locator('nav[aria-label="Main"]').count()) === 0, 'the public page shows the staff navigation');
    await axe('the public report page', p);
    await usableAtTabletWidth('the public report page', p);
    await screenshot('00-public-report', p);
  }],
  ['the report form asks for what happened and something about the child, beside the fields', async () => {
    const p = reporter.p;
    await p.getByRole('button', { name: 'Send my report' }).click();
    const summary = p.locator('.error-summary').first();
    await summary.getByText('Tell us what happened.').waitFor();
    check(await summary.evaluate((el) => el === document.activeElement), 'focus did not move to the error summary');
    check((await p.getByLabel('Tell us in your own words').getAttribute('aria-invalid')) === 'true', 'the narrative is not marked invalid');
    check((await summary.innerText()).includes('Tell us at least one thing about the child'), 'the summary does not ask for a detail about the child');
    await axe('the public report page with errors', p);
  }],
  ['an age the server refuses comes back beside that field', async () => {
    const p = reporter.p;
    await p.getByLabel('Tell us in your own words').fill(
      `${reportChild} keeps getting into a silver car, registration YX65 KLM, outside the Kebab House late at night. ` +
        'An older man they call Kaz gives her alcohol. I am worried about her.',
    );
    await p.getByLabel('First name').fill(reportChild);
    await p.getByLabel('About how old are they?').fill('150');
    const answered = p.waitForResponse((r) => r.url() === at('/api/v1/public/reports') && r.request().method() === 'POST');
    await p.getByRole('button', { name: 'Send my report' }).click();
    const response = await answered;
    check(response.status() === 400, `expected 400 for an age of 150, got ${response.status()}`);
    const problem = await response.json();
    check(problem.field === 'children/0/approx_age', `problem names ${problem.field}`);
    const age = p.getByLabel('About how old are they?');
    check((await age.getAttribute('aria-invalid')) === 'true', 'the age is not marked invalid');
    const errorId = ((await age.getAttribute('aria-describedby')) ?? '').split(' ').find((id) => id.endsWith('-error'));
    check(errorId !== undefined, 'the age is not described by its error');
    const message = (await p.locator(`[id="${errorId}"]`).innerText()).trim();
    check(/age in years/.test(message), `error beside the age reads "${message}"`);
    await screenshot('00b-public-report-error', p);
  }],
  ['sending the report shows the reference and the eight-word code once, with no staff request', async () => {
    const p = reporter.p;
    await p.getByLabel('About how old are they?').fill('14');
    await p.getByLabel('Are they a girl or a boy?').selectOption('female');
    await p.getByLabel('Where might they be?').fill('Around the Kebab House on Station Road');
    await p.getByRole('button', { name: 'Add a person' }).click();
    const person = p.locator('fieldset.repeat-row', { has: p.locator('legend', { hasText: 'Person 1' }) });
    await person.getByLabel('Nickname').fill('Kaz');
    await person.getByLabel('Male or female?').selectOption('male');
    await person.getByLabel('About how old?').fill('30');
    await p.getByRole('button', { name: 'Add a vehicle' }).click();
    await p.getByLabel('Number plate').fill('YX65 KLM');
    await p.getByLabel('Colour').fill('silver');
    await p.getByRole('button', { name: 'Add a place' }).click();
    const place = p.locator('fieldset.repeat-row', { has: p.locator('legend', { hasText: 'Place 1' }) });
    await place.getByLabel('What kind of place?').selectOption('takeaway');
    await place.getByLabel('Name of the place').fill('Kebab House');
    await axe('the filled-in public report', p);
    const answered = p.waitForResponse((r) => r.url() === at('/api/v1/public/reports') && r.request().method() === 'POST');
    await p.getByRole('button', { name: 'Send my report' }).click();
    const response = await answered;
    check(response.status() === 201, `sending the report returned ${response.status()}`);
    const sent = JSON.parse(response.request().postData() ?? '{}');
    const keys = Object.keys(sent).sort().join(',');
    check(keys === 'children,links,locations,narrative,persons,vehicles', `the report sent the keys ${keys}`);
    const heading = p.getByRole('heading', { level: 1, name: 'Thank you. We have your report.' });
    await heading.waitFor();
    check(await heading.evaluate((el) => el === document.activeElement), 'focus did not move to the receipt');
    reportReference = (await p.locator('.receipt__reference').innerText()).trim();
    const words = await p.locator('.receipt__word').allInnerTexts();
    receiptCode = (await p.locator('.receipt__code-line').innerText()).trim();
    check(/^AR-[A-Z0-9]{8}$/.test(reportReference), `the reference reads "${reportReference}"`);
    check(words.length === 8 && receiptCode.split('-').length === 8, `the code has ${words.length} words: ${receiptCode}`);
    check(!p.url().includes(receiptCode.split('-')[0] ?? '-'), 'the receipt code is in the address');
    await axe('the receipt', p);
    await usableAtTabletWidth('the receipt', p);
    await screenshot('00c-receipt', p);
    await checkPublicVisit(reporter);
    await reporter.ctx.close();
  }],
  ['the MASH coordinator signs in; My work passes axe', async () => {
    await signIn(env.mash);
    await page.getByRole('heading', { name: 'My tasks' }).waitFor();
    const nav = await page.locator('nav[aria-label="Main"]').innerText();
    check(nav.includes('MASH triage') && nav.includes('Raise a concern'), `nav lacks MASH triage or Raise a concern: ${nav}`);
    await axe('My work');
    await screenshot('01-my-work');
  }],
  ['the MASH queue shows the anonymous report with its clock; its case shows the report', async () => {
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'MASH triage' }).click();
    await page.getByRole('heading', { level: 1, name: 'MASH triage queue' }).waitFor();
    const item = page.locator('.work-item', { hasText: reportChild });
    await item.waitFor();
    const text = await item.innerText();
    check(text.includes('Referral decision'), `queue item lacks "Referral decision": ${text}`);
    check(/due (today|in \d+ working days?)/.test(text), `queue item lacks its clock: ${text}`);
    await item.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: reportChild }).waitFor();
    reportCasePath = new URL(page.url()).pathname;
    const report = page.locator('section[aria-labelledby="anonymous-heading"]');
    await report.waitFor();
    check((await report.innerText()).includes(reportReference), `the case does not show the report's reference ${reportReference}`);
    check((await fact('Source')).includes('Anonymous report'), 'the case header does not say it came from an anonymous report');
    await page.locator('.timeline__item', { hasText: 'Concern received: anonymous report' }).waitFor();
    await axe('the anonymous report case');
    await screenshot('01b-anonymous-case');
  }],
  ['the MASH coordinator replies to the reporter from the case', async () => {
    await page.getByLabel('Your reply').fill(reportReply);
    const answered = page.waitForResponse((r) => /\/api\/v1\/reports\/[^/]+\/replies$/.test(r.url()) && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Send the reply' }).click();
    const response = await answered;
    check(response.status() === 204, `replying returned ${response.status()}`);
    const status = await statusText();
    check(status === 'Reply sent to the reporter.', `status reads "${status}"`);
    await page.locator('section[aria-labelledby="anonymous-heading"] .message--staff', { hasText: reportReply }).waitFor();
  }],
  ["accepting the report's referral gives the assessment to a colleague chosen by name", async () => {
    await page.getByLabel('Accept the referral: assessment starts').check();
    const assignee = page.getByLabel('Who will do the assessment');
    await assignee.waitFor();
    const option = assignee.locator('option', { hasText: '(Manager' }).first();
    const value = await option.getAttribute('value');
    const chosen = ((await option.innerText()).split(' (')[0] ?? '').trim();
    check(value !== null && value !== '' && chosen !== '', 'no manager is offered as the assignee');
    await assignee.selectOption(value);
    await page.getByLabel('Rationale').fill('An anonymous report of a child getting into cars with older men: assess.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    const status = await statusText();
    check(status.startsWith('Referral accepted') && status.includes(chosen), `status reads "${status}"`);
    check((await fact('Assigned to')) === chosen, `assigned to ${await fact('Assigned to')}, not ${chosen}`);
    const finished = page.locator('.finished-task', { hasText: 'Referral decision' });
    check((await finished.innerText()).includes('Done'), 'the referral decision is not listed as done');
    check((await page.locator('.task', { hasText: 'Assessment' }).innerText()).includes(`Owner: ${chosen}`), 'the assessment does not name its owner');
    await axe('the anonymous report case, accepted');
  }],
  ['Raise a concern: the form is labelled and passes axe', async () => {
    await page.getByRole('link', { name: 'Raise a concern' }).first().click();
    await page.getByRole('heading', { level: 1, name: 'Raise a concern' }).waitFor();
    const received = await page.getByLabel('Received').inputValue();
    check(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(received), `Received is not set to now: "${received}"`);
    await page.getByLabel('How the concern came in').selectOption('phone');
    await page.getByLabel('What was reported').fill(
      `A youth worker saw ${childName} get into a silver car, registration YX65 KLM, outside the Kebab House at 23:00. ` +
        'She later disclosed that older men give her alcohol and lifts.',
    );
    const firstChild = page.locator('fieldset.repeat-row', { has: page.locator('legend', { hasText: 'Child 1' }) });
    await firstChild.getByLabel('Given name').fill(child.given);
    await firstChild.getByLabel('Family name').fill(child.family);
    await firstChild.getByLabel('Date of birth').fill('30/02/2012');
    await firstChild.getByLabel('Sex').selectOption('female');

    await page.getByRole('button', { name: 'Add a risk indicator' }).click();
    const indicator = page.locator('fieldset.repeat-row', { has: page.locator('legend', { hasText: 'Indicator 1' }) });
    await indicator.getByLabel('Indicator', { exact: true }).selectOption('S_DISCLOSURE');
    await page.getByRole('button', { name: 'Add a risk indicator' }).click();
    const second = page.locator('fieldset.repeat-row', { has: page.locator('legend', { hasText: 'Indicator 2' }) });
    await second.getByLabel('Indicator', { exact: true }).selectOption('M_SEEN_IN_CARS');

    await page.getByRole('button', { name: 'Add a person' }).click();
    const person = page.locator('fieldset.repeat-row', { has: page.locator('legend', { hasText: 'Person 1' }) });
    await person.getByLabel('Role').selectOption('suspect');
    await person.getByLabel('Known as').fill('Kaz');
    await page.getByRole('button', { name: 'Add a vehicle' }).click();
    await page.getByLabel('Registration').fill('YX65 KLM');
    await page.getByLabel('Colour').fill('silver');
    await page.getByRole('button', { name: 'Add a place' }).click();
    const place = page.locator('fieldset.repeat-row', { has: page.locator('legend', { hasText: 'Place 1' }) });
    await place.getByLabel('Kind of place').selectOption('takeaway');
    await place.getByLabel('Name').fill('Kebab House');
    await axe('Raise a concern');
    await usableAtTabletWidth('Raise a concern');
    await screenshot('02-concern-form');
  }],
  ['a wrong date of birth comes back from the server beside that field', async () => {
    const answered = page.waitForResponse((r) => r.url() === at('/api/v1/concerns') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Record the concern' }).click();
    const response = await answered;
    check(response.status() === 400, `expected 400 for 30/02/2012, got ${response.status()}`);
    const problem = await response.json();
    check(problem.field === 'children/0/date_of_birth', `problem names ${problem.field}`);
    const dob = page.locator('fieldset.repeat-row', { has: page.locator('legend', { hasText: 'Child 1' }) }).getByLabel('Date of birth');
    check((await dob.getAttribute('aria-invalid')) === 'true', 'the date of birth is not marked invalid');
    const describedBy = (await dob.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error'));
    check(errorId !== undefined, 'the date of birth is not described by its error');
    const message = (await page.locator(`[id="${errorId}"]`).innerText()).trim();
    check(/date of birth/i.test(message) && /calendar date/.test(message), `error beside the field reads "${message}"`);
    const summary = (await page.locator('.error-summary').first().innerText()).trim();
    check(summary.includes('Child 1'), `the error summary does not name the child: "${summary}"`);
    check(await page.locator('.error-summary').first().evaluate((el) => el === document.activeElement), 'focus did not move to the error summary');
    await axe('Raise a concern with errors');
    await screenshot('03-concern-error');
  }],
  ['recording the concern opens the new case', async () => {
    const dob = page.locator('fieldset.repeat-row', { has: page.locator('legend', { hasText: 'Child 1' }) }).getByLabel('Date of birth');
    await dob.fill(child.dob);
    const answered = page.waitForResponse((r) => r.url() === at('/api/v1/concerns') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Record the concern' }).click();
    const response = await answered;
    check(response.status() === 201, `recording the concern returned ${response.status()}`);
    const intake = await response.json();
    check(intake.new_case_ids.length === 1, `expected one new case, got ${JSON.stringify(intake.new_case_ids)}`);
    casePath = `/cases/${intake.new_case_ids[0]}`;
    await page.waitForURL(at(casePath));
    await page.getByRole('heading', { level: 1, name: childName }).waitFor();
    check((await fact('Stage')) === 'Referral decision', `stage is ${await fact('Stage')}`);
    await page.getByText('Concern recorded').waitFor();
    await axe('the new case');
    await screenshot('04-new-case');
  }],
  ['the MASH queue shows the referral decision with its clock', async () => {
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'MASH triage' }).click();
    await page.getByRole('heading', { level: 1, name: 'MASH triage queue' }).waitFor();
    const item = page.locator('.work-item', { hasText: childName });
    await item.waitFor();
    const text = await item.innerText();
    check(text.includes('Referral decision'), `queue item lacks "Referral decision": ${text}`);
    check(/due (today|in \d+ working days?)/.test(text), `queue item lacks its clock: ${text}`);
    check(!/overdue/.test(text), `a referral raised just now shows as overdue: ${text}`);
    await axe('MASH triage queue');
    await usableAtTabletWidth('the MASH queue');
    await screenshot('05-mash-queue');
    await item.getByRole('link').click();
    await page.waitForURL(at(casePath));
    await page.getByRole('heading', { level: 1, name: childName }).waitFor();
  }],
  ['accepting the referral within its deadline starts the assessment', async () => {
    const task = page.locator('.task', { hasText: 'Referral decision' });
    check(/due (today|in \d+ working days?)/.test(await task.innerText()), 'the referral task lacks its clock');
    await page.getByLabel('Accept the referral: assessment starts').check();
    await page.getByLabel('Rationale').fill('Disclosure of exploitation: multi-agency response needed.');
    check(await page.getByLabel('Why the decision is late').isHidden(), 'a late reason is asked for a decision within its deadline');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    const status = await statusText();
    check(status.startsWith('Referral accepted'), `status reads "${status}"`);
    check((await fact('Stage')) === 'Assessment', `stage is ${await fact('Stage')}`);
    await page.locator('.task', { hasText: 'Assessment' }).waitFor();
    check(await page.locator('.status-message').evaluate((el) => el === document.activeElement), 'focus did not move to the status message');
  }],
  ['recording a strategy discussion moves the case to section 47', async () => {
    await page.getByLabel('Meeting', { exact: true }).selectOption('strategy_discussion');
    await page.getByLabel(/^Note/).fill('Police, health and children’s services attended.');
    await page.getByRole('button', { name: 'Record the meeting' }).click();
    const status = await statusText();
    check(status === 'Strategy discussion recorded.', `status reads "${status}"`);
    check((await fact('Stage')) === 'Section 47 enquiry', `stage is ${await fact('Stage')}`);
    const conference = page.locator('.task', { hasText: 'Initial child protection conference' });
    check(/due in \d+ working days/.test(await conference.innerText()), 'the initial conference has no clock');
    await page.locator('.timeline__item', { hasText: 'Strategy discussion' }).waitFor();
  }],
  ['screening the risk shows the contributing indicators and the forced rule', async () => {
    await page.getByRole('button', { name: 'Screen now' }).click();
    const status = await statusText();
    check(status.startsWith('Screened: Significant'), `status reads "${status}"`);
    const screening = page.locator('.screening');
    const rows = await screening.locator('tbody tr').allInnerTexts();
    check(rows.some((r) => /disclosure/i.test(r) && /\b5\b/.test(r)), `no disclosure scoring 5 among ${JSON.stringify(rows)}`);
    check(rows.some((r) => /cars/i.test(r)), `no "seen in cars" among ${JSON.stringify(rows)}`);
    const forced = await screening.locator('.screening__forced').innerText();
    check(/disclosure/i.test(forced), `forced rules read "${forced}"`);
    await axe('the case after screening');
    await screenshot('06-case-screened');
    await page.setViewportSize({ width: 768, height: 1024 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    check(!overflow, 'the case page scrolls sideways at 768px');
    await screenshot('07-case-tablet');
    await page.setViewportSize({ width: 1280, height: 800 });
  }],
  ['manager 1 proposes closing the case, after confirming', async () => {
    await signOut();
    await signIn(env.manager);
    await axe('My work (manager)');
    await page.goto(at(casePath));
    await page.getByRole('heading', { level: 1, name: childName }).waitFor();
    await page.getByLabel('Close the case (needs a manager’s sign-off)').check();
    await page.getByLabel('Rationale').fill('The enquiry found the family is protective; support continues through early help.');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    const dialog = page.getByRole('dialog', { name: 'Propose closing this case?' });
    await dialog.waitFor();
    await axe('the closure confirmation');
    await screenshot('08-confirm-close');
    const answered = page.waitForResponse((r) => /\/api\/v1\/cases\/[^/]+\/decisions$/.test(r.url()) && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: 'Propose closure' }).click();
    const response = await answered;
    check(response.status() === 201, `proposing closure returned ${response.status()}`);
    decisionId = (await response.json()).id;
    const status = await statusText();
    check(/waiting for a manager’s sign-off/.test(status), `status reads "${status}"`);
  }],
  ['manager 1 sees it waiting for sign-off with no approve button', async () => {
    const decision = page.locator('.decision', { hasText: 'Close the case' });
    const text = await decision.innerText();
    check(text.includes('Waiting for sign-off'), `the decision does not show "Waiting for sign-off": ${text}`);
    check(text.includes('You cannot sign off your own proposal'), `no explanation for the proposer: ${text}`);
    check((await page.getByRole('button', { name: 'Approve' }).count()) === 0, 'the proposer is offered an Approve button');
    check((await fact('Stage')) === 'Section 47 enquiry', 'the case changed before sign-off');
    await axe('the case waiting for sign-off');
    await screenshot('09-waiting-for-sign-off');
  }],
  ['manager 1 signing off their own proposal through the API gets 403', async () => {
    const result = await postJson(`/api/v1/decisions/${encodeURIComponent(decisionId)}/sign-off`, { verdict: 'approve', note: 'Signing my own proposal' });
    check(result.status === 403, `self sign-off returned ${result.status}: ${result.text}`);
    // The control takes whole seconds: step a second past the proposal before reading the
    // clock, and another before the sign-off, so the moment falls strictly between them.
    await page.waitForTimeout(1100);
    const before = await page.evaluate(() => {
      const now = new Date();
      const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
      return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
    });
    beforeClosure = before;
    await page.waitForTimeout(1100);
  }],
  ['manager 2 finds it in Sign-offs waiting and approves it; the case closes', async () => {
    await signOut();
    await signIn(env.manager2);
    const waiting = page.locator('section[aria-labelledby="sign-offs-heading"] .work-item', { hasText: childName });
    await waiting.waitFor();
    check((await waiting.innerText()).includes('Close the case'), 'the sign-off item does not say what was proposed');
    await axe('My work with a sign-off waiting');
    await usableAtTabletWidth('My work');
    await screenshot('10-sign-offs-waiting');
    await waiting.getByRole('link').click();
    await page.waitForURL(at(casePath));
    await page.getByLabel('Sign-off note').fill('Agreed: the risk is now managed through early help.');
    await page.getByRole('button', { name: 'Approve' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Approve and close the case' }).click();
    const status = await statusText();
    check(/signed off: the case is closed/.test(status), `status reads "${status}"`);
    check((await fact('Stage')) === 'Closed', `stage is ${await fact('Stage')}`);
    const decision = await page.locator('.decision', { hasText: 'Close the case' }).innerText();
    check(decision.includes('Signed off'), `the decision does not show its sign-off: ${decision}`);
    await page.locator('.timeline__item', { hasText: 'Case closed' }).waitFor();
    check((await page.getByRole('heading', { name: 'Next steps' }).count()) === 0, 'a closed case still offers actions');
    await axe('the closed case');
    await screenshot('11-closed');
  }],
  ['"as known at" shows the case before the closure, read-only', async () => {
    await page.getByLabel('Show the case as it was known at').fill(beforeClosure);
    await page.getByRole('button', { name: 'Show as known then' }).click();
    await page.waitForURL((url) => url.pathname === casePath && url.searchParams.has('as_of'));
    await page.locator('.notice--history').waitFor();
    check((await fact('Stage')) === 'Section 47 enquiry', `as known before closure, the stage is ${await fact('Stage')}`);
    const decision = await page.locator('.decision', { hasText: 'Close the case' }).innerText();
    check(decision.includes('Waiting for sign-off'), `as known then, the decision reads: ${decision}`);
    check((await page.getByRole('button', { name: 'Approve' }).count()) === 0, 'the history view offers Approve');
    check((await page.getByRole('button', { name: 'Screen now' }).count()) === 0, 'the history view offers Screen now');
    await axe('the case as known at');
    await screenshot('12-as-known-at');
  }],
  ['manager 2 reads who saw and did what to the case, each event linking to the case as known then', async () => {
    await page.goto(at(casePath));
    await page.getByRole('button', { name: 'Show who saw and did what' }).click();
    const trail = page.locator('section[aria-labelledby="trail-heading"] table');
    await trail.waitFor();
    const text = await trail.innerText();
    check(text.includes('Recorded') && text.includes('Referral'), `the trail does not show the referral being recorded: ${text}`);
    check(/Looked at[\s\S]*Case work/.test(text), `the trail does not show the case being looked at: ${text}`);
    check(text.includes('MASH coordinator') && text.includes('Manager'), `the trail does not name the roles: ${text}`);
    check(!/system:|Account …/.test(text.replace('System (cli)', '')), `the trail shows raw ids: ${text}`);
    await axe('the trail of the case');
    await screenshot('12b-who-saw-what');
    await trail.getByRole('link').first().click();
    await page.waitForURL((url) => url.pathname === casePath && url.searchParams.has('as_of'));
    await page.locator('.notice--history').waitFor();
  }],
  ['the reporter checks on the report: a wrong code is refused kindly, with no staff request', async () => {
    const visit = await publicVisit();
    reporter = visit;
    const p = visit.p;
    await p.goto(at('/report/status'));
    await p.getByRole('heading', { level: 1, name: 'Check on your report' }).waitFor();
    await axe('the public status page', p);
    const code = p.getByLabel('Your secret code');
    await code.fill('apple banana cherry delta eagle fabric garden hammer');
    const answered = p.waitForResponse((r) => r.url() === at('/api/v1/public/reports/status'));
    await p.getByRole('button', { name: 'Check', exact: true }).click();
    check((await answered).status() === 404, 'a wrong code was not refused');
    // The page shows the error after reading the response: wait for the field to be marked.
    await p.locator('[aria-invalid="true"]').first().waitFor();
    const errorId = ((await code.getAttribute('aria-describedby')) ?? '').split(' ').find((id) => id.endsWith('-error'));
    const message = errorId === undefined ? '' : (await p.locator(`[id="${errorId}"]`).innerText()).trim();
    check(/could not find a report with that code/.test(message), `the error beside the code reads "${message}"`);
    await axe('the status page with a wrong code', p);
    await screenshot('13-status-wrong-code', p);
  }],
  ['with the code the reporter sees it being looked at, reads the staff reply, and adds information', async () => {
    const p = reporter.p;
    // Typed as a person might copy it out: capitals and spaces instead of dashes.
    await p.getByLabel('Your secret code').fill(receiptCode.replace(/-/g, ' ').toUpperCase());
    await p.getByRole('button', { name: 'Check', exact: true }).click();
    const result = p.locator('.report-status');
    await result.getByRole('heading', { name: `Your report ${reportReference}` }).waitFor();
    const text = await result.innerText();
    check(text.includes('Your report is being looked at'), `the status reads: ${text}`);
    const reply = await result.locator('.message--staff').innerText();
    check(reply.includes(reportReply) && reply.includes('From the team'), `the staff reply reads: ${reply}`);
    check(!p.url().toLowerCase().includes(receiptCode.split('-')[0] ?? '-'), 'the receipt code is in the address');
    await axe('the report status', p);
    await usableAtTabletWidth('the report status', p);
    await screenshot('14-status', p);
    await p.getByLabel('Tell us more').fill(reportAddition);
    const answered = p.waitForResponse((r) => r.url() === at('/api/v1/public/reports/messages'));
    await p.getByRole('button', { name: 'Send', exact: true }).click();
    check((await answered).status() === 204, 'adding information was refused');
    await p.getByText('We have added this to your report').waitFor();
    await result.locator('.message--reporter', { hasText: reportAddition }).waitFor();
    await checkPublicVisit(reporter);
    await reporter.ctx.close();
  }],
  ['the MASH queue says the anonymous reporter added information, linking to the case', async () => {
    await signOut();
    await signIn(env.mash);
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'MASH triage' }).click();
    const alert = page.locator('.work-item', { hasText: 'The anonymous reporter added information' }).filter({ hasText: reportChild });
    await alert.waitFor();
    await axe('the MASH queue with the reporter’s update');
    await screenshot('15-mash-update');
    await alert.getByRole('link').click();
    await page.waitForURL(at(reportCasePath));
    await page.locator('section[aria-labelledby="anonymous-heading"] .message--reporter', { hasText: reportAddition }).waitFor();
  }],
  ['the Cases list shows both cases', async () => {
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Cases' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    await page.getByLabel('Show').selectOption('all');
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/cases' && url.searchParams.get('status') === 'all');
    const rows = page.locator('table tbody tr');
    await rows.filter({ hasText: reportChild }).waitFor();
    const closed = await rows.filter({ hasText: childName }).innerText();
    check(closed.includes('Closed'), `the closed case reads: ${closed}`);
    await axe('the Cases list');
    await usableAtTabletWidth('the Cases list');
    await screenshot('16-cases');
  }],
  ['Search finds the concern by words in its narrative, marks them, and links to the case', async () => {
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Search' }).click();
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
    await page.getByLabel('Words in the concern').fill('Silver kebab');
    await page.getByRole('button', { name: 'Search concerns' }).click();
    // The anonymous report may use the same words: take the result that links to this case.
    const result = page.locator('section[aria-labelledby="narrative-heading"] .result', { has: page.locator(`a[href="${casePath}"]`) });
    await result.waitFor();
    const marked = await result.locator('mark').allInnerTexts();
    check(marked.map((m) => m.toLowerCase()).join(',') === 'silver,kebab', `the marked words are ${marked.join(',')}`);
    check(!page.url().includes('kebab') && !page.url().includes('Silver'), 'the search words went into the address');
    await page.getByLabel('Family name').fill(child.family);
    await page.getByLabel('Given name').fill(child.given);
    await page.getByRole('button', { name: 'Find the person' }).click();
    await page.locator('section[aria-labelledby="person-heading"] .result').first().waitFor();
    await axe('the search page with results');
    await usableAtTabletWidth('the search page');
    await screenshot('17-search');
    await result.locator(`a[href="${casePath}"]`).click();
    await page.waitForURL(at(casePath));
    // The next step signs out: a case page still reading its records would see 401s.
    await page.locator('.case-header__name').waitFor();
  }],
  ['manager 2 sees Oversight: timeliness with its bars, demographics with small numbers suppressed', async () => {
    await signOut();
    await signIn(env.manager2);
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Oversight' }).click();
    await page.getByRole('heading', { level: 1, name: 'Oversight' }).waitFor();
    const timeliness = page.locator('section[aria-labelledby="table-timeliness"] table');
    await timeliness.waitFor();
    const first = await timeliness.locator('tbody tr').first().innerText();
    check(/all/.test(first) && /%/.test(first), `the first timeliness row reads: ${first}`);
    const csv = await page.getByRole('link', { name: 'Download as CSV' }).first().getAttribute('href');
    check(csv !== null && csv.includes('format=csv'), `the CSV link is ${csv}`);
    await axe('the oversight dashboard');
    await usableAtTabletWidth('the oversight dashboard');
    await screenshot('18-oversight');
    await page.getByLabel('Report', { exact: true }).selectOption('demographics');
    await page.getByRole('button', { name: 'Show the report' }).click();
    const breakdown = page.locator('section[aria-labelledby="table-breakdown"] table');
    await breakdown.waitFor();
    const text = await breakdown.innerText();
    check(text.includes('<5'), 'a handful of children is shown as a count, not "<5"');
    await axe('the demographics report');
  }],
];

await run(steps); // Then "no console errors" and "no requests to origins other than …".
