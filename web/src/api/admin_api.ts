// Account administration (src/api/admin_routes.cpp): administrators list, add and change
// accounts, reset passwords and add agencies; every signed-in user changes their own
// password. Generated passwords arrive once, in the response that makes them.

import { isRecord, isString, parseList, str } from './checks';
import type { ApiClient, ApiResult } from './client';
import { isRole, type Role } from './types';

export const AGENCY_KINDS = ['police', 'childrens_services', 'health', 'education', 'youth_service', 'other'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

export interface AgencyDetail {
  id: string;
  code: string;
  name: string;
  kind: AgencyKind;
}

/** An account as administrators see it (never its password). */
export interface Account {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  agency: { id: string; code: string; name: string } | null;
  manager: { id: string; username: string; display_name: string } | null;
  active: boolean;
  /** A second factor is in force (the API never sends the secret). */
  second_factor: boolean;
  created_at: string;
}

function isKind(value: unknown): value is AgencyKind {
  return isString(value) && (AGENCY_KINDS as readonly string[]).includes(value);
}

function parseAgencyDetail(value: unknown): AgencyDetail | null {
  if (!isRecord(value)) return null;
  const id = str(value, 'id');
  const code = str(value, 'code');
  const name = str(value, 'name');
  const kind = value['kind'];
  if (id === null || code === null || name === null || !isKind(kind)) return null;
  return { id, code, name, kind };
}

function parseAgencyDetails(value: unknown): AgencyDetail[] | null {
  return isRecord(value) ? parseList(value['items'], parseAgencyDetail) : null;
}

function parseAccount(value: unknown): Account | null {
  if (!isRecord(value)) return null;
  const id = str(value, 'id');
  const username = str(value, 'username');
  const displayName = str(value, 'display_name');
  const createdAt = str(value, 'created_at');
  const role = value['role'];
  const active = value['active'];
  const secondFactor = value['second_factor'];
  if (id === null || username === null || displayName === null || createdAt === null) return null;
  if (!isRole(role) || typeof active !== 'boolean' || typeof secondFactor !== 'boolean') return null;
  let agency: Account['agency'] = null;
  const a = value['agency'];
  if (isRecord(a)) {
    const [aid, code, name] = [str(a, 'id'), str(a, 'code'), str(a, 'name')];
    if (aid === null || code === null || name === null) return null;
    agency = { id: aid, code, name };
  } else if (a !== null) {
    return null;
  }
  let manager: Account['manager'] = null;
  const m = value['manager'];
  if (isRecord(m)) {
    const [mid, muser, mname] = [str(m, 'id'), str(m, 'username'), str(m, 'display_name')];
    if (mid === null || muser === null || mname === null) return null;
    manager = { id: mid, username: muser, display_name: mname };
  } else if (m !== null) {
    return null;
  }
  return { id, username, display_name: displayName, role, agency, manager, active, second_factor: secondFactor, created_at: createdAt };
}

function parseEnvelope(value: unknown): Account | null {
  return isRecord(value) ? parseAccount(value['user']) : null;
}

export interface NewAccount {
  account: Account;
  /** The generated one-time password: shown once, never again. */
  password: string;
}

function parseNewAccount(value: unknown): NewAccount | null {
  if (!isRecord(value)) return null;
  const account = parseAccount(value['user']);
  const password = str(value, 'password');
  return account === null || password === null ? null : { account, password };
}

function parsePassword(value: unknown): string | null {
  return isRecord(value) ? str(value, 'password') : null;
}

const enc = encodeURIComponent;

/** GET /api/v1/agencies, with each agency's kind. */
export function fetchAgencyDetails(api: ApiClient): Promise<ApiResult<AgencyDetail[]>> {
  return api.request('GET', '/api/v1/agencies', { parse: parseAgencyDetails });
}

/** POST /api/v1/agencies (administrators). */
export function addAgency(api: ApiClient, request: { code: string; name: string; kind: AgencyKind }): Promise<ApiResult<AgencyDetail>> {
  return api.request('POST', '/api/v1/agencies', { body: request, parse: parseAgencyDetail });
}

/** GET /api/v1/accounts (administrators): every account, active or disabled, by username. */
export function fetchAccounts(api: ApiClient): Promise<ApiResult<Account[]>> {
  return api.request('GET', '/api/v1/accounts', { parse: (v) => (isRecord(v) ? parseList(v['items'], parseAccount) : null) });
}

export interface NewUserRequest {
  username: string;
  display_name: string;
  role: Role;
  /** Agency code. */
  agency: string;
  /** The line manager's username, or null for none. */
  manager: string | null;
}

/** POST /api/v1/users (administrators): the account and its one-time password. */
export function addUser(api: ApiClient, request: NewUserRequest): Promise<ApiResult<NewAccount>> {
  return api.request('POST', '/api/v1/users', { body: request, parse: parseNewAccount });
}

export interface AccountChange {
  display_name?: string;
  role?: Role;
  /** A username, or null to remove the line manager. */
  manager?: string | null;
  disabled?: boolean;
}

/** PATCH /api/v1/users/{username} (administrators). Disabling ends the account's sessions. */
export function updateUser(api: ApiClient, username: string, change: AccountChange): Promise<ApiResult<Account>> {
  return api.request('PATCH', `/api/v1/users/${enc(username)}`, { body: change, parse: parseEnvelope });
}

/** POST /api/v1/users/{username}/password (administrators): a new one-time password. */
export function resetPassword(api: ApiClient, username: string): Promise<ApiResult<string>> {
  return api.request('POST', `/api/v1/users/${enc(username)}/password`, { body: {}, parse: parsePassword });
}

/** DELETE /api/v1/users/{username}/second-factor (administrators): a lost phone; their sessions end. */
export function resetSecondFactor(api: ApiClient, username: string): Promise<ApiResult<undefined>> {
  return api.request('DELETE', `/api/v1/users/${enc(username)}/second-factor`);
}

/** POST /api/v1/session/password: the caller's own password; their other sessions end. */
export function changePassword(api: ApiClient, currentPassword: string, newPassword: string): Promise<ApiResult<undefined>> {
  return api.request('POST', '/api/v1/session/password', { body: { current_password: currentPassword, new_password: newPassword } });
}
