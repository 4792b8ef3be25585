// Sign-in, sign-out and "who am I" against /api/v1/session and /api/v1/me.

import type { ApiClient, ApiResult } from './client';
import { parseSession, type Session } from './types';

/** What a right password gets: a session, or (202) a token to send with a second-factor code. */
export type SignInStep = { kind: 'session'; session: Session } | { kind: 'second-factor'; token: string };

function parseSignInStep(json: unknown): SignInStep | null {
  if (typeof json === 'object' && json !== null && (json as Record<string, unknown>)['second_factor_required'] === true) {
    const token = (json as Record<string, unknown>)['second_factor_token'];
    return typeof token === 'string' && token !== '' ? { kind: 'second-factor', token } : null;
  }
  const session = parseSession(json);
  return session === null ? null : { kind: 'session', session };
}

/** POST /api/v1/session. A 401 (wrong username or password) comes back as a Problem. */
export function signIn(api: ApiClient, username: string, password: string): Promise<ApiResult<SignInStep>> {
  return api.request('POST', '/api/v1/session', {
    body: { username, password },
    parse: parseSignInStep,
    unauthorized: 'expected',
  });
}

/** POST /api/v1/session/second-factor: the token from signIn and a code open the session. */
export function completeSignIn(api: ApiClient, token: string, code: string): Promise<ApiResult<Session>> {
  return api.request('POST', '/api/v1/session/second-factor', {
    body: { second_factor_token: token, code },
    parse: parseSession,
    unauthorized: 'expected',
  });
}

export interface Enrolment {
  secret: string;
  otpauth_uri: string;
}

/** POST /api/v1/session/second-factor/enrolment: a new secret, not in force until confirmed. */
export function startEnrolment(api: ApiClient): Promise<ApiResult<Enrolment>> {
  return api.request('POST', '/api/v1/session/second-factor/enrolment', {
    body: {},
    parse: (json) => {
      if (typeof json !== 'object' || json === null) return null;
      const { secret, otpauth_uri } = json as Record<string, unknown>;
      return typeof secret === 'string' && typeof otpauth_uri === 'string' ? { secret, otpauth_uri } : null;
    },
  });
}

/** POST .../enrolment/confirmation: a first code puts it in force; returns the recovery codes. */
export function confirmEnrolment(api: ApiClient, code: string): Promise<ApiResult<string[]>> {
  return api.request('POST', '/api/v1/session/second-factor/enrolment/confirmation', {
    body: { code },
    parse: (json) => {
      const codes = typeof json === 'object' && json !== null ? (json as Record<string, unknown>)['recovery_codes'] : null;
      return Array.isArray(codes) && codes.every((c) => typeof c === 'string') ? (codes as string[]) : null;
    },
  });
}

/** POST .../removal: the current password and a code remove one's own second factor. */
export function removeSecondFactor(api: ApiClient, currentPassword: string, code: string): Promise<ApiResult<undefined>> {
  return api.request('POST', '/api/v1/session/second-factor/removal', { body: { current_password: currentPassword, code } });
}

/** GET /api/v1/me. A 401 means nobody is signed in. */
export function fetchCurrentSession(api: ApiClient): Promise<ApiResult<Session>> {
  return api.request('GET', '/api/v1/me', { parse: parseSession, unauthorized: 'expected' });
}

/** DELETE /api/v1/session (sends the CSRF token). */
export function signOut(api: ApiClient): Promise<ApiResult<undefined>> {
  return api.request('DELETE', '/api/v1/session', { unauthorized: 'expected' });
}
