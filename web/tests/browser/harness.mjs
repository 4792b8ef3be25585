// The plumbing the browser tests in this folder share: users from the environment, Debian's
// Chromium through playwright-core on a fresh profile, a watch for console errors and requests
// to other origins, signing in and out, API calls as the signed-in user, axe-core, screenshots, and the step runner that prints
// one "ok"/"FAIL" line per step. Each journey's steps stay in its own *.test.mjs.

import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {{ username: string, password: string }} User */
/** @typedef {Array<[string, () => Promise<void>]>} Steps */

// Headless with no sandbox (the tests run in containers) and no traffic of Chromium's own, so
// every request to another origin is the app's doing.
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
const kDesktop = { width: 1280, height: 800 };

/** Throws `message` unless `condition` holds. @param {boolean} condition @param {string} message @returns {asserts condition} */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** The first of the variables `names` that is set and not empty. @param {string[]} names */
function firstEnv(...names) {
  for (const name of names) {
    const value = process.env[name];
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/**
 * SG_BASE_URL, SG_CHROMIUM and one user per key of `users`, whose names are the variables to
 * try for the username, first wins (["SG_MASH_USER", "SG_USERNAME"]). The password comes from
 * the matching *_PASSWORD variable, else SG_PASSWORD. Exits 2 naming what is missing.
 * @template {string} K
 * @param {string} test
 * @param {Record<K, string[]>} users
 * @returns {{ baseUrl: string, chromium: string } & Record<K, User>}
 */
function readEnv(test, users) {
  /** @type {string[][]} */
  const specs = Object.values(users);
  const need = ['SG_BASE_URL', ...specs.map(([first, ...rest]) => (rest.length === 0 ? first : `${first} (or ${rest.join(', ')})`))];
  /** @param {string[]} names */
  const required = (...names) => {
    const value = firstEnv(...names);
    if (value === undefined) {
      console.error(`${test}: ${names[0]} is not set (need ${need.join(', ')} and SG_PASSWORD)`);
      process.exit(2);
    }
    return value;
  };
  /** @type {Record<string, unknown>} */
  const env = { baseUrl: required('SG_BASE_URL'), chromium: process.env['SG_CHROMIUM'] ?? '/usr/bin/chromium' };
  for (const [key, names] of /** @type {Array<[string, string[]]>} */ (Object.entries(users))) {
    const passwords = names.filter((n) => n.endsWith('_USER')).map((n) => n.replace(/_USER$/, '_PASSWORD'));
    env[key] = { username: required(...names), password: required(...passwords, 'SG_PASSWORD') };
  }
  return /** @type {any} */ (env);
}

/**
 * Reads the environment, starts Chromium on a fresh profile and opens its page, watched for
 * console errors (Chromium reports CSP violations there) and requests to other origins. Exits 2
 * when a variable is missing or Chromium does not start. Call `run` last: it closes everything.
 * @template {string} K
 * @param {object} options
 * @param {string} options.name Begins each line of output ("access: 12 passed, 0 failed").
 * @param {Record<K, string[]>} options.users The users the journey signs in as; see readEnv.
 * @param {string} [options.screenshotPrefix] Begins each screenshot's file name; `${name}-` by default.
 * @param {(text: string, where: string) => boolean} [options.expectedError] True for a console
 *   error the journey provokes on purpose. Chromium logs every non-2xx fetch as "Failed to load
 *   resource"; the 401s from /api/v1/me (signed out) and /api/v1/session are always expected.
 */
export async function startHarness({ name, users, screenshotPrefix = `${name}-`, expectedError = () => false }) {
  const env = readEnv(name, users);
  const base = new URL(env.baseUrl);
  const screenshotDir = process.env['SG_SCREENSHOT_DIR'];

  /** @param {string} path */
  const at = (path) => new URL(path, base).href;

  const userDataDir = await mkdtemp(join(tmpdir(), 'sg-chromium-'));
  /** @type {import('playwright-core').BrowserContext} */
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: env.chromium,
      headless: true,
      args: kChromiumArgs,
      viewport: kDesktop,
      locale: 'en-GB',
      timezoneId: 'Europe/London',
      acceptDownloads: true,
    });
  } catch (error) {
    console.error(`${name}: could not start Chromium at ${env.chromium}: ${error instanceof Error ? error.message : error}`);
    await rm(userDataDir, { recursive: true, force: true });
    process.exit(2);
  }
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());

  /** @type {import('playwright-core').Browser[]} */
  const browsers = [];
  /** @type {Set<string>} */
  const consoleErrors = new Set();
  /** @type {string[]} */
  const foreignRequests = [];

  /** Adds `p`'s console errors and requests to other origins to the closing checks. @param {Page} p */
  function watch(p) {
    p.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location().url;
      const text = message.text();
      if (text.includes('status of 401') && /\/api\/v1\/(me|session)$/.test(where)) return;
      if (!expectedError(text, where)) consoleErrors.add(`${text} (${where})`);
    });
    p.on('pageerror', (error) => consoleErrors.add(`uncaught: ${error.message}`));
    p.on('request', (request) => {
      const url = new URL(request.url());
      if (url.protocol === 'data:' || url.protocol === 'blob:') return;
      if (url.origin !== base.origin) foreignRequests.push(request.url());
    });
  }
  watch(page);

  /** A second browser, launched as the first and closed by `run`; for contexts with no cookies. */
  async function launchBrowser() {
    const browser = await chromium.launch({ executablePath: env.chromium, headless: true, args: kChromiumArgs });
    browsers.push(browser);
    return browser;
  }

  /** Saves a full-page screenshot when SG_SCREENSHOT_DIR is set. @param {string} shot @param {Page} [p] */
  async function screenshot(shot, p = page) {
    if (screenshotDir === undefined || screenshotDir === '') return;
    await mkdir(screenshotDir, { recursive: true });
    await p.screenshot({ path: join(screenshotDir, `${screenshotPrefix}${shot}.png`), fullPage: true });
  }

  /** @type {string | undefined} */
  let axeSource;
  /**
   * Runs axe-core on the page as it is now and fails on serious or critical violations. The
   * source is evaluated through the DevTools protocol: the server's CSP (script-src 'self')
   * rightly blocks the inline <script> that addScriptTag would add.
   * @param {string} where
   * @param {Page} [p]
   */
  async function axe(where, p = page) {
    axeSource ??= await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const loaded = await p.evaluate(() => 'axe' in window);
    if (!loaded) await p.evaluate(axeSource);
    /** @type {Array<{ id: string, impact: string | null, help: string, nodes: Array<{ target: unknown[] }> }>} */
    const violations = await p.evaluate(async () => {
      // @ts-expect-error axe is a global added by axe.min.js
      const result = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
        resultTypes: ['violations'],
      });
      return result.violations.map((/** @type {any} */ v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((/** @type {any} */ n) => ({ target: n.target })),
      }));
    });
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    check(
      bad.length === 0,
      `axe on ${where}: ${bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)).join(', ')}`).join('; ')}`,
    );
  }

  /** Fails if the page scrolls sideways at tablet width. @param {string} where @param {Page} [p] */
  async function usableAtTabletWidth(where, p = page) {
    await p.setViewportSize({ width: 768, height: 1024 });
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    await p.setViewportSize(kDesktop);
    check(!overflow, `${where} scrolls sideways at 768px`);
  }

  /** Signs in through the form and waits for My work. @param {User} user */
  async function signIn(user) {
    await page.goto(at('/login'));
    await page.getByLabel('Username', { exact: true }).fill(user.username);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'My work' }).waitFor();
  }

  async function signOut() {
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  }

  /**
   * POSTs `body` as JSON to `path` from inside the page, as the signed-in user with their
   * session's CSRF token. Returns the status, the body as text, and the body parsed ({} when
   * it is not JSON).
   * @param {string} path
   * @param {unknown} body
   * @returns {Promise<{ status: number, text: string, json: any }>}
   */
  async function postJson(path, body) {
    return page.evaluate(async ([to, payload]) => {
      const me = await (await fetch('/api/v1/me', { credentials: 'same-origin' })).json();
      const r = await fetch(to, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: JSON.stringify(payload),
      });
      const text = await r.text();
      let json = {};
      try {
        json = JSON.parse(text);
      } catch {
        // Not JSON: the caller has the text.
      }
      return { status: r.status, text, json };
    }, /** @type {const} */ ([path, body]));
  }

  /**
   * Runs `steps` in order, then "no console errors" and "no requests to origins other than …",
   * printing one line each and stopping at the first failure (each step builds on the one
   * before it). Closes the browsers, removes the profile and exits 0, or 1 if a step failed.
   * @param {Steps} steps
   * @returns {Promise<never>}
   */
  async function run(steps) {
    /** @type {Steps} */
    const closing = [
      ['no console errors', async () => {
        check(consoleErrors.size === 0, `console errors:\n  ${[...consoleErrors].join('\n  ')}`);
      }],
      [`no requests to origins other than ${base.origin}`, async () => {
        check(foreignRequests.length === 0, `foreign requests:\n  ${foreignRequests.join('\n  ')}`);
      }],
    ];
    let passed = 0;
    let failed = 0;
    for (const [step, body] of [...steps, ...closing]) {
      try {
        await body();
        passed++;
        console.log(`ok   ${step}`);
      } catch (error) {
        failed++;
        console.log(`FAIL ${step}: ${error instanceof Error ? error.message : String(error)}`);
        await screenshot('failure').catch(() => {});
        break;
      }
    }
    await context.close();
    for (const browser of browsers) await browser.close();
    await rm(userDataDir, { recursive: true, force: true });
    console.log(`${name}: ${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  }

  return { env, base, at, page, watch, launchBrowser, screenshot, axe, usableAtTabletWidth, signIn, signOut, postJson, run };
}
