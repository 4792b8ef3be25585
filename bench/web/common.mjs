// What the web benchmarks share: the server and demo accounts from the environment (set by
// bench/web/run.sh), Debian's Chromium through playwright-core on a fresh profile, signing in,
// and summary statistics. Output names roles, counts and times only, never personal data.

import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// playwright-core is installed in web/; resolve it from there so bench/ needs no node_modules.
const require = createRequire(new URL('../../web/package.json', import.meta.url));
/** @type {typeof import('playwright-core')} */
const { chromium } = require('playwright-core');

// The same flags as the browser tests (web/tests/browser/harness.mjs): headless, no sandbox
// (containers), no GPU, and no traffic of Chromium's own.
const kChromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** The variable `name`, or exits 2 saying it is missing. @param {string} name @param {string} bench */
export function required(name, bench) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    console.error(`${bench}: ${name} is not set (bench/web/run.sh sets it)`);
    process.exit(2);
  }
  return value;
}

/**
 * Starts Chromium on a fresh profile in a temporary directory. Returns the context, its page
 * and `close`, which also removes the profile.
 * @param {{ width: number, height: number }} [viewport]
 */
export async function launch(viewport = { width: 1280, height: 800 }) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'sg-bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env['SG_CHROMIUM'] ?? '/usr/bin/chromium',
    headless: true,
    args: kChromiumArgs,
    viewport,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  context.setDefaultTimeout(60_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Signs in through the form and waits for My work's heading.
 * @param {import('playwright-core').Page} page @param {string} baseUrl
 * @param {string} username @param {string} password
 */
export async function signIn(page, baseUrl, username, password) {
  await page.goto(new URL('/login', baseUrl).href);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
}

/** The q-quantile of `values` (nearest rank). @param {number[]} values @param {number} q */
export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return /** @type {number} */ (sorted[rank]);
}

/** "123 ms" with no decimals. @param {number} ms */
export function ms(ms) {
  return `${Math.round(ms)} ms`;
}
