// Sessions (src/api/session_routes.cpp, OWASP ASVS 5.0 V7.4.5 and V7.5.2): the signed-in
// user's own sessions, ending them, and administrators ending a user's or everyone's. A
// session is shown by an opaque id, never its token; no address or device is stored.

import { isRecord, num, parseList, str } from './checks';
import type { ApiClient, ApiResult } from './client';

export interface SessionInfo {
  /** The session's public id: neither its token nor the token's hash. */
  id: string;
  created_at: string;
  /** The last request, to within a minute. */
  last_active_at: string;
  /** The session this page is running in. */
  current: boolean;
}

const enc = encodeURIComponent;

function parseSessionInfo(v: unknown): SessionInfo | null {
  if (!isRecord(v)) return null;
  const id = str(v, 'id');
  const created = str(v, 'created_at');
  const active = str(v, 'last_active_at');
  const current = v['current'];
  if (id === null || created === null || active === null || typeof current !== 'boolean') return null;
  return { id, created_at: created, last_active_at: active, current };
}

function parseEnded(v: unknown): number | null {
  return isRecord(v) ? num(v, 'ended') : null;
}

/** GET /api/v1/me/sessions: the caller's live sessions, oldest first. */
export function fetchMySessions(api: ApiClient): Promise<ApiResult<SessionInfo[]>> {
  return api.request('GET', '/api/v1/me/sessions', { parse: (v) => (isRecord(v) ? parseList(v['items'], parseSessionInfo) : null) });
}

/** DELETE /api/v1/me/sessions/{id}: ends one of the caller's sessions. */
export function endMySession(api: ApiClient, id: string): Promise<ApiResult<undefined>> {
  return api.request('DELETE', `/api/v1/me/sessions/${enc(id)}`);
}

/** DELETE /api/v1/me/sessions: ends every session of the caller but this one; how many ended. */
export function endMyOtherSessions(api: ApiClient): Promise<ApiResult<number>> {
  return api.request('DELETE', '/api/v1/me/sessions', { parse: parseEnded });
}

/** DELETE /api/v1/users/{username}/sessions (administrators): how many ended. */
export function endUserSessions(api: ApiClient, username: string): Promise<ApiResult<number>> {
  return api.request('DELETE', `/api/v1/users/${enc(username)}/sessions`, { parse: parseEnded });
}

/** DELETE /api/v1/sessions (administrators): everyone but the caller; how many users. */
export function endAllSessions(api: ApiClient): Promise<ApiResult<number>> {
  return api.request('DELETE', '/api/v1/sessions', { parse: parseEnded });
}
