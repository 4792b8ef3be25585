// The access endpoints (src/api/access_routes.cpp, docs/security.md "Access model"): sharing
// agreements between agencies, case teams, restrictions to named users and teams, break-glass,
// reviewers' remits, and the break-glass notices in the auditors' inbox.

import { isRecord, isString, parseList, str } from './checks';
import type { ApiClient, ApiResult } from './client';

/**
 * A grant, as workflow::grant_json writes it. For a sharing agreement `object` is the
 * provider agency's id, `grantee` the recipient's and `scope` the categories, comma-separated;
 * for a case-team place `object` is the case and `grantee` the user; for a restriction
 * `grantee` is "user:<id>" or "team:<manager id>".
 */
export interface Grant {
  id: string;
  kind: string;
  object: string;
  grantee: string;
  scope: string;
  reason: string;
  created_by: string;
  created_at: string;
  valid_from: string | null;
  valid_to: string | null;
  revoked_at: string | null;
}

/** The categories a sharing agreement can open, in the server's order (domain::Category). */
export const CATEGORIES = ['person_index', 'concerns', 'casework', 'risk', 'alerts'] as const;
export type Category = (typeof CATEGORIES)[number];

function optionalTime(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  return isString(value) ? value : undefined;
}

function parseGrant(value: unknown): Grant | null {
  if (!isRecord(value)) return null;
  const fields = ['id', 'kind', 'object', 'grantee', 'scope', 'reason', 'created_by', 'created_at'] as const;
  const out: Record<string, string> = {};
  for (const key of fields) {
    const v = str(value, key);
    if (v === null) return null;
    out[key] = v;
  }
  const validFrom = optionalTime(value['valid_from']);
  const validTo = optionalTime(value['valid_to']);
  const revokedAt = optionalTime(value['revoked_at']);
  if (validFrom === undefined || validTo === undefined || revokedAt === undefined) return null;
  return {
    id: out['id'] ?? '',
    kind: out['kind'] ?? '',
    object: out['object'] ?? '',
    grantee: out['grantee'] ?? '',
    scope: out['scope'] ?? '',
    reason: out['reason'] ?? '',
    created_by: out['created_by'] ?? '',
    created_at: out['created_at'] ?? '',
    valid_from: validFrom,
    valid_to: validTo,
    revoked_at: revokedAt,
  };
}

function parseGrantList(value: unknown): Grant[] | null {
  if (!isRecord(value)) return null;
  return parseList(value['items'], parseGrant);
}

const enc = encodeURIComponent;

/** GET /api/v1/sharing-agreements: the agreements in force, oldest first. */
export function fetchSharingAgreements(api: ApiClient): Promise<ApiResult<Grant[]>> {
  return api.request('GET', '/api/v1/sharing-agreements', { parse: parseGrantList });
}

export interface SharingRequest {
  provider: string;
  recipient: string;
  categories: Category[];
  reason: string;
}

/** POST /api/v1/sharing-agreements (administrators). Agencies are named by code. */
export function addSharingAgreement(api: ApiClient, request: SharingRequest): Promise<ApiResult<Grant>> {
  return api.request('POST', '/api/v1/sharing-agreements', { body: request, parse: parseGrant });
}

/** POST /api/v1/grants/{id}/revoke: ends a grant of any kind, with a reason. */
export function revokeGrant(api: ApiClient, grantId: string, reason: string): Promise<ApiResult<undefined>> {
  return api.request('POST', `/api/v1/grants/${enc(grantId)}/revoke`, { body: { reason } });
}

/** GET /api/v1/cases/{id}/team: the users given access to this one case. */
export function fetchCaseTeam(api: ApiClient, caseId: string): Promise<ApiResult<Grant[]>> {
  return api.request('GET', `/api/v1/cases/${enc(caseId)}/team`, { parse: parseGrantList });
}

/** POST /api/v1/cases/{id}/team (managers, MASH coordinators). */
export function addToCaseTeam(api: ApiClient, caseId: string, userId: string): Promise<ApiResult<Grant>> {
  return api.request('POST', `/api/v1/cases/${enc(caseId)}/team`, { body: { user_id: userId }, parse: parseGrant });
}

/** GET /api/v1/records/{id}/restriction: who a restricted record is open to (empty: not restricted). */
export function fetchRestriction(api: ApiClient, recordId: string): Promise<ApiResult<Grant[]>> {
  return api.request('GET', `/api/v1/records/${enc(recordId)}/restriction`, { parse: parseGrantList });
}

/** PUT /api/v1/records/{id}/restriction (managers): grantees are "user:<id>" or "team:<manager id>". */
export function restrictRecord(api: ApiClient, recordId: string, grantees: string[], reason: string): Promise<ApiResult<Grant[]>> {
  return api.request('PUT', `/api/v1/records/${enc(recordId)}/restriction`, { body: { grantees, reason }, parse: parseGrantList });
}

/** POST /api/v1/records/{id}/restriction/lift (managers), with a reason. */
export function liftRestriction(api: ApiClient, recordId: string, reason: string): Promise<ApiResult<undefined>> {
  return api.request('POST', `/api/v1/records/${enc(recordId)}/restriction/lift`, { body: { reason } });
}

/** The shortest reason the server takes for breaking glass (workflow::Grants::break_glass). */
export const kBreakGlassMinReason = 20;

/** POST /api/v1/records/{id}/break-glass: four hours' access; the auditors are told at once. */
export function breakGlass(api: ApiClient, recordId: string, reason: string): Promise<ApiResult<Grant>> {
  return api.request('POST', `/api/v1/records/${enc(recordId)}/break-glass`, { body: { reason }, parse: parseGrant });
}

export interface ReviewScopeRequest {
  agencies: string[];
  /** YYYY-MM-DD, inclusive. */
  from: string;
  to: string;
}

/** PUT /api/v1/users/{id}/review-scope (administrators): replaces the reviewer's remit. */
export function setReviewScope(api: ApiClient, userId: string, request: ReviewScopeRequest): Promise<ApiResult<Grant>> {
  return api.request('PUT', `/api/v1/users/${enc(userId)}/review-scope`, { body: request, parse: parseGrant });
}

/** A break-glass notice in the auditors' inbox: who opened which record, why, and until when. */
export interface AuditNotice {
  id: string;
  record_id: string;
  user_id: string;
  reason: string;
  raised_at: string;
  until: string;
  status: string;
}

function parseAuditNotice(value: unknown): AuditNotice | null {
  if (!isRecord(value) || !isRecord(value['body'])) return null;
  const body = value['body'];
  const fields = ['id', 'record_id', 'user_id', 'reason', 'raised_at', 'until', 'status'] as const;
  const out: Record<string, string> = {};
  for (const key of fields) {
    const v = str(body, key);
    if (v === null) return null;
    out[key] = v;
  }
  return {
    id: out['id'] ?? '',
    record_id: out['record_id'] ?? '',
    user_id: out['user_id'] ?? '',
    reason: out['reason'] ?? '',
    raised_at: out['raised_at'] ?? '',
    until: out['until'] ?? '',
    status: out['status'] ?? '',
  };
}

/**
 * GET /api/v1/records/{id} for a break-glass notice. Auditors read it to review access, so
 * the consultation is ledgered with the reason code audit_review rather than case_work.
 */
export function fetchAuditNotice(api: ApiClient, id: string): Promise<ApiResult<AuditNotice>> {
  return api.request('GET', `/api/v1/records/${enc(id)}`, { parse: parseAuditNotice, headers: { 'X-Reason': 'audit_review' } });
}
