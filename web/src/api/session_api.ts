// Sign-in, sign-out and "who am I" against /api/v1/session and /api/v1/me.

import type { ApiClient, ApiResult } from './client';
import { parseSession, type Session } from './types';

/** POST /api/v1/session. A 401 (wrong username or password) comes back as a Problem. */
export function signIn(api: ApiClient, username: string, password: string): Promise<ApiResult<Session>> {
  return api.request('POST', '/api/v1/session', {
    body: { username, password },
    parse: parseSession,
    unauthorized: 'expected',
  });
}

/** GET /api/v1/me. A 401 means nobody is signed in. */
export function fetchCurrentSession(api: ApiClient): Promise<ApiResult<Session>> {
  return api.request('GET', '/api/v1/me', { parse: parseSession, unauthorized: 'expected' });
}

/** DELETE /api/v1/session (sends the CSRF token). */
export function signOut(api: ApiClient): Promise<ApiResult<undefined>> {
  return api.request('DELETE', '/api/v1/session', { unauthorized: 'expected' });
}
