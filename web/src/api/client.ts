// The one place that talks HTTP to the Safeguard API. It sends cookies same-origin, adds the
// CSRF token to state-changing requests, and turns every failure into a Problem value:
// callers get an ApiResult and never a thrown error.

import { parseProblem, type Problem } from './types';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** Reads a response body into T, or returns null if the body is not what was promised. */
export type Parser<T> = (json: unknown) => T | null;

/**
 * What a 401 means to the caller. 'session-ended': the user was signed in and the session
 * has lapsed, so the app signs out. 'expected': the caller handles it (sign-in, /me).
 */
export type Unauthorized = 'session-ended' | 'expected';

export interface RequestOptions<T> {
  body?: unknown;
  parse?: Parser<T>;
  unauthorized?: Unauthorized;
  /** Extra request headers, such as If-Match for a versioned decision. */
  headers?: Record<string, string>;
}

const kStateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const kUnreachable: Problem = {
  type: 'about:blank',
  title: 'Network error',
  status: 0,
  detail: 'Safeguard could not be reached. Check your connection and try again.',
};

function unexpected(status: number): Problem {
  return {
    type: 'about:blank',
    title: 'Unexpected response',
    status,
    detail: `Safeguard sent a response this page did not expect (HTTP ${status}). Try again; if it keeps happening, tell your system administrator.`,
  };
}

export class ApiClient {
  private csrfToken: string | null = null;

  /** Called when a request made with unauthorized: 'session-ended' gets a 401. */
  onSessionEnded: () => void = () => {};

  /** Sets the token sent as X-CSRF-Token; null once signed out. */
  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  /**
   * Sends `method path` with an optional JSON body and reads the reply with `parse`.
   * A 204 (or a request without `parse`) yields undefined as its value.
   */
  async request<T = undefined>(
    method: string,
    path: string,
    options: RequestOptions<T> = {},
  ): Promise<ApiResult<T>> {
    const headers = new Headers({ Accept: 'application/json, application/problem+json' });
    // Consulting an OFFICIAL-SENSITIVE record needs a reason code (DPA 2018 s.62); the
    // ledger records it. Staff pages consult records for case work unless a caller says
    // otherwise (e.g. 'audit_review').
    headers.set('X-Reason', 'case_work');
    if (options.body !== undefined) headers.set('Content-Type', 'application/json');
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    if (kStateChanging.has(method) && this.csrfToken !== null) {
      headers.set('X-CSRF-Token', this.csrfToken);
    }
    const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (options.body !== undefined) init.body = JSON.stringify(options.body);

    let response: Response;
    try {
      response = await fetch(path, init);
    } catch {
      return { ok: false, problem: kUnreachable };
    }

    if (!response.ok) {
      if (response.status === 401 && (options.unauthorized ?? 'session-ended') === 'session-ended') {
        this.onSessionEnded();
      }
      const problem = parseProblem(await readJson(response), response.status);
      return { ok: false, problem: problem ?? unexpected(response.status) };
    }

    if (response.status === 204 || options.parse === undefined) {
      return { ok: true, value: undefined as T };
    }
    const value = options.parse(await readJson(response));
    if (value === null) return { ok: false, problem: unexpected(response.status) };
    return { ok: true, value };
  }
}

/** The body as JSON, or undefined if it is empty or not JSON. */
async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}
