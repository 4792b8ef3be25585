// Browser journey of the second factor (OWASP ASVS 5.0 V6.3.3): a user sets up an
// authenticator app at /account/second-factor (the code is computed here, as the app would:
// RFC 6238 HMAC-SHA1 in node), sees their recovery codes once, signs out, and signs in again
// with the password and then a code; a wrong code is refused; a recovery code signs in once;
// an administrator sees who has a factor and resets it at /admin/users, and the password alone
// signs in again (this server runs with the requirement off, as scripts/browser-test.sh says).
// The enrolment page's QR code is decoded here (jsQR) and must carry the URI shown as text.

import { createHmac } from 'node:crypto';

import jsqr from 'jsqr';

import { check, startHarness } from './harness.mjs';

// jsqr is CommonJS: Node's ESM makes its exports object the default import.
const jsQR = jsqr.default;

/** Set while the test provokes refusals on purpose. */
let expectingRefusal = false;

const { env, at, page, screenshot, axe, signIn, signOut, run } = await startHarness({
  name: 'second-factor',
  users: { user: ['SG_MFA_USER'], admin: ['SG_ADMIN_USER'] },
  expectedError: (text, where) =>
    expectingRefusal && /status of (400|401)/.test(text) && /\/api\/v1\/session\/second-factor(\/enrolment\/confirmation)?$/.test(where),
});

/** RFC 4648 base32 to bytes. @param {string} text */
function fromBase32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The RFC 6238 code of `secret` (base32) for the 30-second step `offset` steps from now. */
function totp(/** @type {string} */ secret, offset = 0) {
  const step = Math.floor(Date.now() / 1000 / 30) + offset;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', fromBase32(secret)).update(counter).digest();
  const at4 = (mac[19] ?? 0) & 0xf;
  const code = (mac.readUInt32BE(at4) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/**
 * Reads the enrolment page's QR code as a camera would: the SVG's dark modules (one
 * `M x y h1v1h-1z` square each in its path) painted black on white at four pixels a module,
 * then decoded by jsQR, which shares no code with the page's encoder.
 */
async function scanQrCode() {
  const qr = page.locator('svg#second-factor-qr');
  await qr.waitFor();
  const { tag, viewBox, d } = await qr.evaluate((svg) => ({
    tag: svg.tagName,
    viewBox: svg.getAttribute('viewBox') ?? '',
    d: svg.querySelector('path')?.getAttribute('d') ?? '',
  }));
  check(tag === 'svg', `the QR code is a ${tag}, not an SVG`);
  check(d.replace(/M\d+ \d+h1v1h-1z/g, '') === '', 'the QR code path is not made of module squares');
  const size = Number(viewBox.split(' ')[2]);
  const scale = 4;
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  let modules = 0;
  for (const [, x, y] of d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)) {
    modules++;
    for (let dy = 0; dy < scale; dy++) {
      for (let dx = 0; dx < scale; dx++) {
        const i = ((Number(y) * scale + dy) * width + Number(x) * scale + dx) * 4;
        pixels[i] = pixels[i + 1] = pixels[i + 2] = 0;
      }
    }
  }
  const decoded = jsQR(pixels, width, width);
  return { modules, size, text: decoded?.data ?? null };
}

let secret = '';
/** @type {string[]} */
let recoveryCodes = [];
// Each code below is for a later step than the one before, since no step is accepted twice.
let nextOffset = 1;

/** Signs in with the password and stops at the code form. */
async function passwordStep() {
  await page.goto(at('/login'));
  await page.getByLabel('Username', { exact: true }).fill(env.user.username);
  await page.getByLabel('Password', { exact: true }).fill(env.user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Code', { exact: true }).waitFor();
}

/** @param {string} code */
async function enterCode(code) {
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** @type {import('./harness.mjs').Steps} */
const steps = [
  ['a signed-in user starts setting up an authenticator app and is shown the key', async () => {
    await signIn(env.user);
    await page.getByRole('banner').getByRole('link', { name: 'Your account' }).click();
    await page.getByRole('main').getByRole('link', { name: 'Second factor' }).click();
    await page.getByRole('heading', { level: 1, name: 'Second factor' }).waitFor();
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    secret = (await page.locator('#second-factor-secret').innerText()).trim();
    check(/^[A-Z2-7]{32}$/.test(secret), `the key is not 32 base32 characters: ${secret.length}`);
    const uri = (await page.locator('#second-factor-uri').innerText()).trim();
    check(uri.startsWith('otpauth://totp/Safeguard:') && uri.includes(`secret=${secret}`), 'no otpauth URI with the key');
    // The QR code carries the same URI, generated in the page (no request leaves the origin:
    // the harness fails the journey on any).
    const qr = await scanQrCode();
    check(qr.modules > 100, `the QR code has only ${qr.modules} dark modules`);
    check(qr.text === uri, `the QR code does not decode to the URI shown (${qr.text === null ? 'unreadable' : 'another text'}, ${qr.size} modules wide)`);
    await axe('enrolment');
    await screenshot('01-enrol');
  }],
  ['a wrong first code is refused beside the field', async () => {
    expectingRefusal = true;
    const wrong = totp(secret) === '000000' ? '111111' : '000000';
    await page.getByLabel('Code from the app').fill(wrong);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('.field__error').first().waitFor();
    expectingRefusal = false;
  }],
  ['the right code puts it in force and the ten recovery codes are shown once', async () => {
    await page.getByLabel('Code from the app').fill(totp(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.locator('#recovery-codes').waitFor();
    recoveryCodes = (await page.locator('#recovery-codes li').allInnerTexts()).map((t) => t.trim());
    check(recoveryCodes.length === 10, `expected 10 recovery codes, got ${recoveryCodes.length}`);
    check(recoveryCodes.every((c) => /^([A-Z2-7]{4}-){5}[A-Z2-7]{4}$/.test(c)), 'recovery codes are not six groups of four');
    await axe('recovery codes');
    await screenshot('02-recovery-codes');
  }],
  ['after signing out, the password alone asks for a code, and a wrong code is refused', async () => {
    await signOut();
    await passwordStep();
    expectingRefusal = true;
    const right = totp(secret, nextOffset);
    await enterCode(right === '000000' ? '111111' : '000000');
    const alert = page.locator('#sign-in-error p');
    await alert.waitFor();
    check((await alert.innerText()).includes('not correct'), 'no message for a wrong code');
    check(new URL(page.url()).pathname === '/login', 'a wrong code left the sign-in page');
    expectingRefusal = false;
    await axe('the code step');
    await screenshot('03-code-step');
  }],
  ['the right code signs in', async () => {
    await enterCode(totp(secret, nextOffset++));
    await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
  }],
  ['a recovery code signs in once', async () => {
    await signOut();
    await passwordStep();
    await enterCode((recoveryCodes[0] ?? '').toLowerCase());
    await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
    await signOut();
    await passwordStep();
    expectingRefusal = true;
    await enterCode(recoveryCodes[0] ?? '');
    await page.locator('#sign-in-error p').waitFor();
    expectingRefusal = false;
  }],
  ['an administrator sees the user has a second factor, and resets it at /admin/users', async () => {
    await signIn(env.admin);
    await page.goto(at('/admin/users'));
    const row = page.locator('section[aria-labelledby="accounts-heading"] tbody tr', { hasText: env.user.username });
    check((await row.locator('.second-factor-cell').innerText()).trim() === 'Set up', 'the user is not shown with a second factor');
    check(!(await page.content()).includes(secret), 'the key is on the administrators’ page');
    await row.getByRole('button', { name: /^Reset second factor for / }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Reset the second factor' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.status-message', { hasText: 'second factor is reset' }).waitFor();
    check((await row.locator('.second-factor-cell').innerText()).trim() === 'None', 'the reset account still shows a second factor');
    await signOut();
  }],
  ['after the reset the password alone signs in (the requirement is off here)', async () => {
    await signIn(env.user);
  }],
];

await run(steps);
