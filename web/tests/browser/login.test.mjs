// Browser test of the sign-in journey, driving the built app in Debian's Chromium through
// playwright-core against a running Safeguard server:
//
//   SG_BASE_URL=http://localhost:18080 SG_USERNAME=... SG_PASSWORD=... npm run test:browser
//
// Optional: SG_SCREENSHOT_DIR (screenshots go there), SG_CHROMIUM (default /usr/bin/chromium).
// Prints one line per step and a closing "browser: N passed, N failed"; exits non-zero on failure.

import { check, startHarness } from './harness.mjs';

const kRoleLabels = {
  practitioner: 'Practitioner',
  manager: 'Manager',
  mash_coordinator: 'MASH coordinator',
  analyst: 'Intelligence analyst',
  reviewer: 'Independent reviewer',
  auditor: 'Auditor',
  admin: 'Administrator',
};

const { env, base, at, page, watch, launchBrowser, screenshot, axe, usableAtTabletWidth, run } = await startHarness({
  name: 'browser',
  users: { user: ['SG_USERNAME'] },
  screenshotPrefix: '',
});

// The requests to the server's API, to find the sign-out among them.
/** @type {import('playwright-core').Request[]} */
const apiRequests = [];
page.on('request', (request) => {
  const url = new URL(request.url());
  if (url.origin === base.origin && url.pathname.startsWith('/api/')) apiRequests.push(request);
});

const alert = page.locator('#sign-in-error');
const username = page.getByLabel('Username', { exact: true });
const password = page.getByLabel('Password', { exact: true });

/** Submits the sign-in form by clicking and returns the alert text once the server answered. */
async function failSignIn(/** @type {string} */ name, /** @type {string} */ secret) {
  await username.fill(name);
  await password.fill(secret);
  const answered = page.waitForResponse(
    (r) => r.url() === at('/api/v1/session') && r.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Sign in' }).click();
  const response = await answered;
  check(response.status() === 401, `expected 401 for a failed sign-in, got ${response.status()}`);
  await alert.locator('p').waitFor();
  check(new URL(page.url()).pathname === '/login', `expected to stay on /login, at ${page.url()}`);
  return (await alert.innerText()).trim();
}

/** @type {{ display_name: string, role: keyof typeof kRoleLabels, agency: { name: string } } | undefined} */
let signedInUser;
let wrongPasswordMessage = '';

/** @type {Array<[string, () => Promise<void>]>} */
const steps = [
  ['opening / while signed out redirects to /login', async () => {
    await page.goto(at('/'));
    await page.waitForURL(at('/login'));
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const background = await page.locator('.masthead').evaluate((el) => getComputedStyle(el).backgroundColor);
    check(background === 'rgb(14, 58, 82)', `stylesheet not applied under the CSP (header is ${background})`);
    check(await page.locator('nav[aria-label="Main"]').isHidden(), 'navigation is shown while signed out');
    await screenshot('01-login');
  }],
  ['the form is labelled and keyboard reachable', async () => {
    check(await username.evaluate((el) => el === document.activeElement), 'Username is not focused on load');
    await page.keyboard.press('Tab');
    check(await password.evaluate((el) => el === document.activeElement), 'Tab from Username does not reach Password');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement?.textContent?.trim());
    check(focused === 'Sign in', `Tab from Password reaches "${focused}", not the Sign in button`);
    check((await page.locator('[role="alert"]').count()) >= 1, 'no role="alert" region on the sign-in page');
  }],
  ['a wrong password shows the error in the alert region', async () => {
    wrongPasswordMessage = await failSignIn(env.user.username, `${env.user.password}-wrong`);
    check(wrongPasswordMessage.length > 0, 'alert region is empty after a wrong password');
    check(await password.inputValue() === '', 'password field still holds the rejected password');
    check(await password.getAttribute('aria-invalid') === 'true', 'password not marked aria-invalid');
    await screenshot('02-login-error');
  }],
  ['an unknown username gets the same message', async () => {
    const unknown = `no-such-user-${Date.now()}`;
    const message = await failSignIn(unknown, 'not-the-password');
    check(message === wrongPasswordMessage, `messages differ: "${message}" vs "${wrongPasswordMessage}"`);
    check(!message.includes(unknown), 'the error message repeats the username');
  }],
  ['signing in with the keyboard lands on My work, ignoring an off-site next=', async () => {
    await page.goto(at('/login?next=%2F%2Fevil.example%2Fphish'));
    await username.focus();
    await page.keyboard.type(env.user.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(env.user.password);
    const answered = page.waitForResponse(
      (r) => r.url() === at('/api/v1/session') && r.request().method() === 'POST',
    );
    await page.keyboard.press('Enter');
    const response = await answered;
    check(response.status() === 200, `sign-in returned ${response.status()}`);
    signedInUser = (await response.json()).user;
    await page.waitForURL(at('/'));
    await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
  }],
  ['My work shows the name, role and agency', async () => {
    check(signedInUser !== undefined, 'no user from the sign-in response');
    const label = kRoleLabels[signedInUser.role];
    check(label !== undefined, `unknown role ${signedInUser.role}`);
    const want = `Signed in as ${signedInUser.display_name} — ${label}, ${signedInUser.agency.name}`;
    const got = (await page.locator('.signed-in-as').innerText()).trim();
    check(got === want, `signed-in line reads "${got}", expected "${want}"`);
    const header = await page.locator('header').innerText();
    check(header.includes(signedInUser.display_name) && header.includes(label), 'header lacks name or role');
    check(header.includes(signedInUser.agency.name), 'header lacks the agency');
    // Other tests may have left this user work, so the list may or may not be empty.
    await page.getByRole('heading', { level: 2, name: /^My tasks/ }).waitFor();
    const current = page.locator('nav[aria-label="Main"] a[aria-current="page"]');
    check((await current.innerText()).trim() === 'My work', 'My work is not the current nav item');
    await screenshot('03-home');
    await page.setViewportSize({ width: 768, height: 1024 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    check(!overflow, 'the page scrolls sideways at 768px');
    await screenshot('04-home-tablet');
    await page.setViewportSize({ width: 1280, height: 800 });
  }],
  ['reloading keeps the session (GET /api/v1/me)', async () => {
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
    check(new URL(page.url()).pathname === '/', `reload left / for ${page.url()}`);
  }],
  ['Your sessions lists this one and another sign-in, and ends the other at once (ASVS V7.5.2)', async () => {
    // The same user signs in in a second browser, as on another computer.
    const other = await (await launchBrowser()).newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    const elsewhere = await other.newPage();
    elsewhere.setDefaultTimeout(10_000);
    watch(elsewhere);
    await elsewhere.goto(at('/login'));
    await elsewhere.getByLabel('Username', { exact: true }).fill(env.user.username);
    await elsewhere.getByLabel('Password', { exact: true }).fill(env.user.password);
    await elsewhere.getByRole('button', { name: 'Sign in' }).click();
    await elsewhere.getByRole('heading', { level: 1, name: 'My work' }).waitFor();

    await page.getByRole('banner').getByRole('link', { name: 'Your account' }).click();
    await page.getByRole('main').getByRole('link', { name: 'Your sessions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your sessions' }).waitFor();
    const rows = page.locator('.sessions-table tbody tr');
    await rows.nth(1).waitFor();
    check((await page.locator('tr[data-session="current"]').count()) === 1, 'not exactly one session is marked as this one');
    check((await page.locator('tr[data-session="current"]').getByRole('button').count()) === 0, 'this session is offered an End button (Sign out ends it)');
    const others = await page.locator('tr[data-session="other"]').count();
    check(others >= 1, 'the other sign-in is not listed');
    check(!(await page.content()).includes(env.user.password), 'the page holds the password');
    await axe('the sessions page');
    await usableAtTabletWidth('the sessions page');
    await screenshot('05-sessions');

    // End the newest other session: the second browser's.
    await page.locator('tr[data-session="other"]').last().getByRole('button', { name: /^End/ }).click();
    await page.locator('.status-message', { hasText: 'That session has ended' }).waitFor();
    check(await page.locator('.status-message').evaluate((el) => el === document.activeElement), 'focus did not move to the outcome');
    check((await page.locator('tr[data-session="other"]').count()) === others - 1, 'the ended session is still listed');
    await elsewhere.reload();
    await elsewhere.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Your sessions' }).waitFor();
    await other.close();
  }],
  ['signing out returns to /login', async () => {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(at('/login'));
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    const signOut = apiRequests.find((r) => r.method() === 'DELETE' && r.url() === at('/api/v1/session'));
    check(signOut !== undefined, 'no DELETE /api/v1/session was sent');
    const token = (await signOut.allHeaders())['x-csrf-token'];
    check(token !== undefined && token !== '', 'DELETE /api/v1/session lacked X-CSRF-Token');
    await page.getByText('You have signed out.').waitFor();
    await screenshot('06-signed-out');
  }],
  ['after sign-out / redirects to /login again', async () => {
    await page.goto(at('/'));
    await page.waitForURL(at('/login'));
  }],
];

await run(steps); // Then "no console errors" and "no requests to origins other than …".
