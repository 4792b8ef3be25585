// Browser test of account administration (issues 6 and 8) and self-service password change,
// driving the built app in Debian's Chromium through playwright-core against a running
// Safeguard server:
//
//   1. the administrator sees Users and Agencies in the navigation, and no case content;
//   2. on Agencies, a malformed code is refused beside the field before anything is sent, a
//      code already in use is refused by the server beside the field, and a new agency is
//      added and listed;
//   3. on Users, a username already in use is refused beside the field; a new practitioner is
//      added with a line manager, and their one-time password is shown once;
//   4. the new user signs in (a second browser) with the one-time password and is kept on
//      /account/password until they choose their own: a wrong current password is refused
//      beside its field, and so are a common password and one holding their name; then the
//      change succeeds, they stay signed in and My work opens; the masthead links to the page
//      for everyone;
//   5. the administrator changes the user's role, signs them out everywhere after a
//      confirmation (the account stays active and they sign in again), then disables the
//      account after a confirmation dialog: the user's next request ends their session;
//   6. the administrator enables the account and resets its password: the new one-time
//      password signs the user in, to choose their own again;
//   7. no console errors (CSP violations show there) and no requests to other origins.
//
// axe-core checks each page and the dialog; screenshots go to SG_SCREENSHOT_DIR when set.
// Output names ids and counts only, never personal data or passwords.
//
//   SG_BASE_URL=… SG_ADMIN_USER=… SG_MANAGER_USER=… SG_PASSWORD=… node tests/browser/admin.test.mjs
//
// The manager must be of the agency coded NCS (scripts/browser-test.sh).

import { check, startHarness } from './harness.mjs';

/** Set while the test provokes refusals on purpose. */
let expectingRefusal = false;

const { env, at, page, watch, launchBrowser, screenshot, axe, usableAtTabletWidth, signIn, run } = await startHarness({
  name: 'admin',
  users: { admin: ['SG_ADMIN_USER'], manager: ['SG_MANAGER_USER'] },
  expectedError: (text, where) =>
    expectingRefusal && /status of (400|401|409)/.test(text) && /\/api\/v1\/(agencies|users|session\/password|me|inbox.*|cases.*)$/.test(where.split('?')[0] ?? ''),
});

const suffix = Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
const username = `starter.${suffix}`;
const displayName = `Sam Starter ${suffix}`;
const agencyCode = `BT-${suffix.toUpperCase()}`;
// No context word in it (the username, names, agencies): the server would refuse it.
const newPassword = 'a long passphrase of ordinary words, easy to recall';
let oneTimePassword = '';

const starterBrowser = await launchBrowser();
const starterContext = await starterBrowser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', timezoneId: 'Europe/London' });
const starter = await starterContext.newPage();
starter.setDefaultTimeout(10_000);
watch(starter);

/**
 * Signs the starter in through the form in their own browser, and waits for `landing`: with a
 * one-time password that is the password page, whatever was asked for.
 * @param {string} password
 * @param {string} landing
 */
async function starterSignsIn(password, landing) {
  await starter.goto(at('/login'));
  await starter.getByLabel('Username', { exact: true }).fill(username);
  await starter.getByLabel('Password', { exact: true }).fill(password);
  await starter.getByRole('button', { name: 'Sign in' }).click();
  await starter.getByRole('heading', { level: 1, name: landing }).waitFor();
}

/** The one-time password shown on the page, once it shows. */
async function shownPassword() {
  const panel = page.getByTestId('one-time-password');
  await panel.waitFor();
  return (await panel.locator('code').innerText()).trim();
}

/** The row of the accounts table for the starter. */
const starterRow = () => page.locator('section[aria-labelledby="accounts-heading"] tbody tr', { hasText: username });

/** Answers the confirmation dialog that `click` opens, after checking it with axe. @param {() => Promise<void>} click @param {string} confirm */
async function confirmWith(click, confirm) {
  await click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  check(await dialog.getByRole('button', { name: 'Go back' }).evaluate((el) => el === document.activeElement), 'focus did not move into the dialog');
  await axe('the confirmation dialog');
  await dialog.getByRole('button', { name: confirm }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** @type {Array<[string, () => Promise<void>]>} */
const steps = [
  ['the administrator sees Users and Agencies, and no casework', async () => {
    await signIn(env.admin);
    const nav = page.locator('nav[aria-label="Main"]');
    await nav.getByRole('link', { name: 'Users' }).waitFor();
    await nav.getByRole('link', { name: 'Agencies' }).waitFor();
    const text = await nav.innerText();
    check(!text.includes('Cases') && !text.includes('Search'), 'the administrator is offered case content');
  }],
  ['Agencies refuses a malformed code beside the field, before sending it', async () => {
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Agencies' }).click();
    await page.getByRole('heading', { level: 1, name: 'Agencies' }).waitFor();
    await page.locator('section[aria-labelledby="agencies-heading"] tbody tr', { hasText: 'NCS' }).waitFor();
    await axe('the agencies page');
    await usableAtTabletWidth('the agencies page');
    let sent = 0;
    const count = (/** @type {import('playwright-core').Request} */ r) => {
      if (r.method() === 'POST' && r.url() === at('/api/v1/agencies')) sent++;
    };
    page.on('request', count);
    await page.getByLabel('Code').fill('bad code');
    await page.getByLabel('Name', { exact: true }).fill(`Browser Test Agency ${suffix}`);
    await page.getByRole('button', { name: 'Add the agency' }).click();
    await page.locator('.field__error', { hasText: 'Code must be 2 to 16 capital letters' }).waitFor();
    check(await page.locator('.error-summary').evaluate((el) => el === document.activeElement), 'focus did not move to the error summary');
    check((await page.getByLabel('Code').getAttribute('aria-invalid')) === 'true', 'the code field is not marked invalid');
    page.off('request', count);
    check(sent === 0, 'a malformed code was sent to the server');
  }],
  ['a code already in use is refused by the server beside the field; a new agency is added', async () => {
    expectingRefusal = true;
    await page.getByLabel('Code').fill('NCS');
    await page.getByRole('button', { name: 'Add the agency' }).click();
    await page.locator('.field__error', { hasText: 'Code: an agency with this code already exists' }).waitFor();
    expectingRefusal = false;
    await page.getByLabel('Code').fill(agencyCode);
    await page.getByLabel('Kind').selectOption('health');
    await page.getByRole('button', { name: 'Add the agency' }).click();
    await page.locator('.status-message', { hasText: `(${agencyCode})` }).waitFor();
    const row = page.locator('section[aria-labelledby="agencies-heading"] tbody tr', { hasText: agencyCode });
    check((await row.innerText()).includes('Health'), 'the new agency is not listed with its kind');
    await screenshot('01-agencies');
  }],
  ['Users lists accounts; a username in use is refused beside the field', async () => {
    await page.locator('nav[aria-label="Main"]').getByRole('link', { name: 'Users' }).click();
    await page.getByRole('heading', { level: 1, name: 'Users' }).waitFor();
    const admin = page.locator('section[aria-labelledby="accounts-heading"] tbody tr', { hasText: env.admin.username });
    await admin.waitFor();
    check((await admin.innerText()).includes('Administrator'), 'the administrator’s own row lacks its role');
    check((await admin.getByRole('button', { name: /^Disable/ }).count()) === 0, 'the administrator is offered to disable themselves');
    await axe('the users page');
    await usableAtTabletWidth('the users page');
    expectingRefusal = true;
    await page.getByLabel('Username').fill(env.manager.username);
    await page.getByLabel('Name shown to colleagues').last().fill(displayName);
    await page.getByLabel('Role', { exact: true }).last().selectOption('practitioner');
    await page.getByLabel('Agency', { exact: true }).selectOption('NCS');
    await page.getByRole('button', { name: 'Add the user' }).click();
    await page.locator('.field__error', { hasText: 'Username: a user with this username already exists' }).waitFor();
    expectingRefusal = false;
  }],
  ['a new practitioner is added with a line manager, and the one-time password is shown once', async () => {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Line manager').last().selectOption({ label: 'Alex Manager (Manager)' });
    const answered = page.waitForResponse((r) => r.url() === at('/api/v1/users') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Add the user' }).click();
    const response = await answered;
    check(response.status() === 201, `adding the user returned ${response.status()}`);
    oneTimePassword = await shownPassword();
    check(oneTimePassword.length >= 12, 'no one-time password is shown');
    check(await page.locator('.status-message').evaluate((el) => el === document.activeElement), 'focus did not move to the one-time password');
    const row = await starterRow().innerText();
    check(row.includes('Practitioner') && row.includes('Alex Manager') && row.includes('Active'), 'the new account is not listed with its role, manager and status');
    // Administrators see whether an account has a second factor (never the secret); a new
    // account has none, so there is none to reset.
    check((await page.locator('section[aria-labelledby="accounts-heading"] thead th', { hasText: 'Second factor' }).count()) === 1, 'no Second factor column');
    check((await starterRow().locator('.second-factor-cell').innerText()).trim() === 'None', 'the new account is not shown without a second factor');
    check((await starterRow().getByRole('button', { name: /^Reset second factor for / }).count()) === 0, 'a second factor reset is offered for an account without one');
    await axe('the users page with a one-time password');
    await screenshot('02-user-added');
    // Shown once: a fresh load of the page does not show it.
    await page.reload();
    await starterRow().waitFor();
    check((await page.getByTestId('one-time-password').count()) === 0, 'the one-time password is shown again');
    check(!(await page.content()).includes(oneTimePassword), 'the one-time password is in the page again');
  }],
  ['the new user signs in with it and is sent to choose their own; My work waits until then', async () => {
    await starterSignsIn(oneTimePassword, 'Change your password');
    await starter.locator('.notices', { hasText: 'Choose your own password to carry on' }).waitFor();
    await starter.locator('nav[aria-label="Main"]').getByRole('link', { name: 'My work' }).click();
    await starter.getByRole('heading', { level: 1, name: 'Change your password' }).waitFor();
    check(new URL(starter.url()).pathname === '/account/password', 'a one-time password opened another page');
    await axe('the password page', starter);
    await usableAtTabletWidth('the password page', starter);
  }],
  ['a wrong current password is refused beside its field; then the change succeeds', async () => {
    expectingRefusal = true;
    await starter.getByLabel('Current password').fill('not the password at all');
    await starter.getByLabel('New password', { exact: true }).fill(newPassword);
    await starter.getByLabel('New password again').fill(newPassword);
    await starter.getByRole('button', { name: 'Change the password' }).click();
    await starter.locator('.field__error', { hasText: 'Current password is not correct' }).waitFor();
    expectingRefusal = false;
    check((await starter.getByLabel('Current password').getAttribute('aria-invalid')) === 'true', 'the current password is not marked invalid');
    // A common password, or one holding a context word, is refused beside the new password.
    await starter.getByLabel('Current password').fill(oneTimePassword);
    for (const [weak, why] of [['Password1234', 'most commonly used'], [`Starter-${suffix}-2026`, 'easy to guess here']]) {
      expectingRefusal = true;
      await starter.getByLabel('New password', { exact: true }).fill(weak);
      await starter.getByLabel('New password again').fill(weak);
      await starter.getByRole('button', { name: 'Change the password' }).click();
      await starter.locator('.field__error', { hasText: why }).waitFor();
      expectingRefusal = false;
      check((await starter.getByLabel('New password', { exact: true }).getAttribute('aria-invalid')) === 'true', 'the new password is not marked invalid');
      check(!(await starter.locator('.error-summary').innerText()).includes(weak), 'the refusal repeats the password');
    }
    await starter.getByLabel('New password', { exact: true }).fill(newPassword);
    await starter.getByLabel('New password again').fill(newPassword);
    await starter.getByRole('button', { name: 'Change the password' }).click();
    await starter.locator('.status-message', { hasText: 'Your password is changed' }).waitFor();
    await screenshot('03-password-changed', starter);
    await starter.locator('nav[aria-label="Main"]').getByRole('link', { name: 'My work' }).click();
    await starter.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
    // The masthead offers everyone signed in their account page, and it the password page.
    await starter.getByRole('banner').getByRole('link', { name: 'Your account' }).click();
    await starter.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    await starter.getByRole('main').getByRole('link', { name: 'Change password' }).click();
    await starter.getByRole('heading', { level: 1, name: 'Change your password' }).waitFor();
    await starter.locator('nav[aria-label="Main"]').getByRole('link', { name: 'My work' }).click();
    await starter.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
  }],
  ['the administrator changes the role', async () => {
    await starterRow().getByRole('button', { name: `Change ${displayName}` }).click();
    const form = starterRow().locator('form');
    check(await form.getByLabel('Role').evaluate((el) => el === document.activeElement), 'focus did not move into the change form');
    await form.getByLabel('Role').selectOption('analyst');
    await form.getByRole('button', { name: 'Save the changes' }).click();
    await page.locator('.status-message', { hasText: 'account is changed' }).waitFor();
    check((await starterRow().innerText()).includes('Intelligence analyst'), 'the new role is not listed');
  }],
  ['Sign out everywhere, after a confirmation, ends the user’s session and leaves the account (ASVS V7.4.5)', async () => {
    await confirmWith(() => starterRow().getByRole('button', { name: `Sign out everywhere: ${displayName}` }).click(), 'Sign them out');
    await page.locator('.status-message', { hasText: 'is signed out everywhere' }).waitFor();
    check((await starterRow().innerText()).includes('Active'), 'the account is no longer active');
    await screenshot('04-signed-out-everywhere');
    await starter.reload();
    await starter.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await starterSignsIn(newPassword, 'My work');
  }],
  ['disabling, after a confirmation, ends the user’s session on their next request', async () => {
    await confirmWith(() => starterRow().getByRole('button', { name: `Disable ${displayName}` }).click(), 'Disable the account');
    await page.locator('.status-message', { hasText: 'sessions have ended' }).waitFor();
    check((await starterRow().innerText()).includes('Disabled'), 'the account is not shown disabled');
    await screenshot('05-disabled');
    expectingRefusal = true;
    await starter.reload();
    await starter.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await starter.getByLabel('Username', { exact: true }).fill(username);
    await starter.getByLabel('Password', { exact: true }).fill(newPassword);
    await starter.getByRole('button', { name: 'Sign in' }).click();
    await starter.locator('#sign-in-error', { hasText: /\S/ }).waitFor();
    check((await starter.getByRole('heading', { level: 1 }).innerText()) === 'Sign in', 'a disabled account signed in');
    expectingRefusal = false;
  }],
  ['enabled again and reset, the account signs in with the new one-time password only', async () => {
    await confirmWith(() => starterRow().getByRole('button', { name: `Enable ${displayName}` }).click(), 'Enable the account');
    await page.locator('.status-message', { hasText: 'account is enabled' }).waitFor();
    await confirmWith(() => starterRow().getByRole('button', { name: `Reset password for ${displayName}` }).click(), 'Reset the password');
    const reset = await shownPassword();
    check(reset.length >= 12 && reset !== oneTimePassword, 'no new one-time password is shown');
    await starterSignsIn(reset, 'Change your password');
  }],
];

await run(steps);
