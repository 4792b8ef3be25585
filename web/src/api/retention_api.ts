// Retention review (src/api/retention_routes.cpp, docs/retention.md): the policy's review
// groups, the records due for review on a date, and a manager's decision to retain a record
// (with a reason and the next review date) or erase it. Ids, kinds, groups and dates only.

import { isRecord, num, parseList, str } from './checks';
import type { ApiClient, ApiResult } from './client';

export interface RetentionGroup {
  id: string;
  description: string;
  kinds: string[];
  /** The conditions a record must meet, such as {names_role: "suspect"}; empty for none. */
  when: Record<string, string>;
  reviewAfterYears: number;
  source: string;
}

export interface RetentionPolicy {
  id: string;
  version: number;
  effectiveFrom: string;
  groups: RetentionGroup[];
}

export interface RetentionLastDecision {
  decision: 'retain' | 'erase';
  decidedOn: string;
  decidedBy: string;
}

export interface RetentionStatus {
  recordId: string;
  kind: string;
  agencyId: string;
  group: string;
  lastActivityOn: string;
  reviewOn: string;
  lastDecision: RetentionLastDecision | null;
}

export interface RetentionDue {
  /** The date the list was drawn up for (reviews due on or before it). */
  on: string;
  items: RetentionStatus[];
}

export type Disposal = 'retain' | 'erase';

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function parseGroup(value: unknown): RetentionGroup | null {
  if (!isRecord(value)) return null;
  const id = str(value, 'id');
  const description = str(value, 'description');
  const years = num(value, 'review_after_years');
  const kinds = value['kinds'];
  const rawWhen = value['when'] ?? {};
  if (id === null || description === null || years === null || !isStringList(kinds) || !isRecord(rawWhen)) return null;
  const when: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawWhen)) {
    if (typeof v !== 'string') return null;
    when[k] = v;
  }
  return { id, description, kinds, when, reviewAfterYears: years, source: str(value, 'source') ?? '' };
}

function parsePolicy(value: unknown): RetentionPolicy | null {
  if (!isRecord(value)) return null;
  const id = str(value, 'id');
  const version = num(value, 'version');
  const effectiveFrom = str(value, 'effective_from');
  const groups = parseList(value['groups'], parseGroup);
  if (id === null || version === null || effectiveFrom === null || groups === null) return null;
  return { id, version, effectiveFrom, groups };
}

function parseLastDecision(value: unknown): RetentionLastDecision | null | undefined {
  if (value === null || value === undefined) return null;
  if (!isRecord(value)) return undefined;
  const decision = str(value, 'decision');
  const decidedOn = str(value, 'decided_on');
  const decidedBy = str(value, 'decided_by');
  if ((decision !== 'retain' && decision !== 'erase') || decidedOn === null || decidedBy === null) return undefined;
  return { decision, decidedOn, decidedBy };
}

function parseStatus(value: unknown): RetentionStatus | null {
  if (!isRecord(value)) return null;
  const recordId = str(value, 'record_id');
  const kind = str(value, 'kind');
  const agencyId = str(value, 'agency_id');
  const group = str(value, 'group');
  const lastActivityOn = str(value, 'last_activity_on');
  const reviewOn = str(value, 'review_on');
  const lastDecision = parseLastDecision(value['last_decision']);
  if (recordId === null || kind === null || agencyId === null || group === null || lastActivityOn === null || reviewOn === null || lastDecision === undefined) return null;
  return { recordId, kind, agencyId, group, lastActivityOn, reviewOn, lastDecision };
}

function parseDue(value: unknown): RetentionDue | null {
  if (!isRecord(value)) return null;
  const on = str(value, 'on');
  const items = parseList(value['items'], parseStatus);
  if (on === null || items === null) return null;
  return { on, items };
}

/** GET /api/v1/retention/policy: the review groups in force (managers and auditors). */
export function fetchRetentionPolicy(api: ApiClient): Promise<ApiResult<RetentionPolicy>> {
  return api.request('GET', '/api/v1/retention/policy', { parse: parsePolicy });
}

/**
 * GET /api/v1/retention/due: records whose review falls due on or before `on` (today when
 * null), earliest first, at most `limit` (1 to 1000). Managers only.
 */
export function fetchRetentionDue(api: ApiClient, on: string | null, limit: number): Promise<ApiResult<RetentionDue>> {
  const q = new URLSearchParams({ limit: String(limit) });
  if (on !== null) q.set('on', on);
  return api.request('GET', `/api/v1/retention/due?${q.toString()}`, { parse: parseDue });
}

/**
 * POST /api/v1/retention/{id}/decision. Retain sets the next review (`nextReviewOn`, or today
 * plus the group's period when null); erase is irreversible and refused (409) before the
 * review is due or for an open case. Returns the record's status after the decision.
 */
export function decideRetention(
  api: ApiClient,
  recordId: string,
  decision: { disposal: Disposal; reason: string; nextReviewOn: string | null },
): Promise<ApiResult<RetentionStatus>> {
  const body: Record<string, string> = { decision: decision.disposal, reason: decision.reason };
  if (decision.nextReviewOn !== null) body['next_review_on'] = decision.nextReviewOn;
  return api.request('POST', `/api/v1/retention/${encodeURIComponent(recordId)}/decision`, { body, parse: parseStatus });
}
