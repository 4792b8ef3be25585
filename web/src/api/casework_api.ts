// The casework endpoints (src/api/casework_routes.cpp): concerns, inboxes, records as known
// at a time, decisions and sign-off, meetings, tasks, risk screening and acknowledgements.

import type { ApiClient, ApiResult } from './client';
import { parseAgencies, type Agency } from './types';
import {
  parseAnonymousReport,
  parseCase,
  parseCaseList,
  parseColleagues,
  parseConcernSummary,
  parseCreated,
  parseDecision,
  parseIntakeResult,
  parseLedgerEvents,
  parseRiskTool,
  parseScreening,
  parseTask,
  parseWorkItems,
  recordParser,
  type AnonymousReportBody,
  type CaseBody,
  type CaseListItem,
  type Colleague,
  type ConcernSummary,
  type DecisionBody,
  type IntakeResult,
  type LedgerEvent,
  type RecordVersion,
  type RiskTool,
  type Screening,
  type TaskBody,
  type WorkItem,
} from './casework_types';

export type InboxName = 'mine' | 'mash' | 'managers' | 'analysts' | 'all';
export type WorkKind = 'task' | 'alert' | 'escalation' | 'sign_off';

export interface InboxQuery {
  inbox: InboxName;
  kind?: WorkKind;
  caseId?: string;
  /** 'all' includes done and cancelled work (newer servers); 'open' by default. */
  status?: 'open' | 'all';
}

/** GET /api/v1/inbox: work by due date, open only unless status is 'all'. */
export function fetchInbox(api: ApiClient, query: InboxQuery): Promise<ApiResult<WorkItem[]>> {
  const params = new URLSearchParams({ inbox: query.inbox });
  if (query.kind !== undefined) params.set('kind', query.kind);
  if (query.caseId !== undefined) params.set('case_id', query.caseId);
  if (query.status !== undefined) params.set('status', query.status);
  return api.request('GET', `/api/v1/inbox?${params.toString()}`, { parse: parseWorkItems });
}

function recordPath(id: string, asOf: string | null): string {
  const path = `/api/v1/records/${encodeURIComponent(id)}`;
  return asOf === null ? path : `${path}?${new URLSearchParams({ as_of: asOf }).toString()}`;
}

/** GET /api/v1/records/{id} for a case; `asOf` (RFC 3339) shows it as it stood then. */
export function fetchCase(api: ApiClient, id: string, asOf: string | null): Promise<ApiResult<RecordVersion<CaseBody>>> {
  return api.request('GET', recordPath(id, asOf), { parse: recordParser(parseCase) });
}

export function fetchDecision(api: ApiClient, id: string, asOf: string | null): Promise<ApiResult<RecordVersion<DecisionBody>>> {
  return api.request('GET', recordPath(id, asOf), { parse: recordParser(parseDecision) });
}

export function fetchAnonymousReport(api: ApiClient, id: string, asOf: string | null): Promise<ApiResult<RecordVersion<AnonymousReportBody>>> {
  return api.request('GET', recordPath(id, asOf), { parse: recordParser(parseAnonymousReport) });
}

export function fetchTask(api: ApiClient, id: string): Promise<ApiResult<RecordVersion<TaskBody>>> {
  return api.request('GET', recordPath(id, null), { parse: recordParser(parseTask) });
}

export function fetchConcern(api: ApiClient, id: string, asOf: string | null): Promise<ApiResult<RecordVersion<ConcernSummary>>> {
  return api.request('GET', recordPath(id, asOf), { parse: recordParser(parseConcernSummary) });
}

/** POST /api/v1/concerns with a concern document (docs/import-formats.md, section 1). */
export function raiseConcern(api: ApiClient, concern: unknown): Promise<ApiResult<IntakeResult>> {
  return api.request('POST', '/api/v1/concerns', { body: concern, parse: parseIntakeResult });
}

export interface DecisionRequest {
  kind: 'accept' | 'nfa' | 'step_down' | 'close';
  rationale: string;
  decided_on: string;
  late_reason?: string;
  /** For accept: who does the assessment (the server defaults to the person deciding). */
  assignee_id?: string;
}

/** POST /api/v1/cases/{id}/decisions. NFA and closure then wait for a manager's sign-off. */
export function proposeDecision(api: ApiClient, caseId: string, request: DecisionRequest): Promise<ApiResult<{ id: string }>> {
  return api.request('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/decisions`, { body: request, parse: parseCreated });
}

/** POST /api/v1/decisions/{id}/sign-off. 403 when the signer proposed the decision. */
export function signOffDecision(
  api: ApiClient,
  decisionId: string,
  verdict: 'approve' | 'refuse',
  note: string,
): Promise<ApiResult<undefined>> {
  return api.request('POST', `/api/v1/decisions/${encodeURIComponent(decisionId)}/sign-off`, { body: { verdict, note } });
}

export type MeetingKind = 'strategy_discussion' | 'initial_conference' | 'review_conference';

export interface MeetingRequest {
  kind: MeetingKind;
  held_on: string;
  note: string;
  late_reason?: string;
}

export function recordMeeting(api: ApiClient, caseId: string, request: MeetingRequest): Promise<ApiResult<undefined>> {
  return api.request('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/meetings`, { body: request });
}

export function completeTask(api: ApiClient, taskId: string, doneOn: string, lateReason: string): Promise<ApiResult<undefined>> {
  const body: Record<string, string> = { done_on: doneOn };
  if (lateReason !== '') body['late_reason'] = lateReason;
  return api.request('POST', `/api/v1/tasks/${encodeURIComponent(taskId)}/complete`, { body });
}

/** POST /api/v1/cases/{id}/screenings; an override needs a reason. */
export function screenRisk(
  api: ApiClient,
  caseId: string,
  override: { level: string; reason: string } | null,
): Promise<ApiResult<Screening>> {
  const body = override === null ? {} : { override };
  return api.request('POST', `/api/v1/cases/${encodeURIComponent(caseId)}/screenings`, { body, parse: parseScreening });
}

/** POST /api/v1/work-items/{id}/acknowledge: an alert or escalation, with a required note. */
export function acknowledge(api: ApiClient, itemId: string, note: string): Promise<ApiResult<undefined>> {
  return api.request('POST', `/api/v1/work-items/${encodeURIComponent(itemId)}/acknowledge`, { body: { note } });
}

/** GET /api/v1/agencies: the partnership's agencies, for naming a case's agency. */
export function fetchAgencies(api: ApiClient): Promise<ApiResult<Agency[]>> {
  return api.request('GET', '/api/v1/agencies', { parse: parseAgencies });
}

/** GET /api/v1/risk-tools/current: the screening tool's levels and indicators. */
export function fetchRiskTool(api: ApiClient): Promise<ApiResult<RiskTool>> {
  return api.request('GET', '/api/v1/risk-tools/current', { parse: parseRiskTool });
}

/** POST /api/v1/reports/{id}/replies: a message to the anonymous reporter (a disclosure). */
export function replyToReporter(api: ApiClient, reportId: string, text: string): Promise<ApiResult<undefined>> {
  return api.request('POST', `/api/v1/reports/${encodeURIComponent(reportId)}/replies`, { body: { text } });
}

/** GET /api/v1/users: colleagues with active accounts, to name who did what. */
export function fetchColleagues(api: ApiClient): Promise<ApiResult<Colleague[]>> {
  return api.request('GET', '/api/v1/users', { parse: parseColleagues });
}

export type CaseStatusFilter = 'open' | 'closed' | 'all';

/** GET /api/v1/cases: cases, most recently updated first. */
export function fetchCases(api: ApiClient, status: CaseStatusFilter, limit: number): Promise<ApiResult<CaseListItem[]>> {
  const params = new URLSearchParams({ status, limit: String(limit) });
  return api.request('GET', `/api/v1/cases?${params.toString()}`, { parse: parseCaseList });
}

/**
 * GET /api/v1/records/{id}/ledger: every ledger event naming the record, oldest first
 * (reviewers and managers). The server logs this read as a consultation itself.
 */
export function fetchRecordLedger(api: ApiClient, id: string): Promise<ApiResult<LedgerEvent[]>> {
  return api.request('GET', `/api/v1/records/${encodeURIComponent(id)}/ledger`, { parse: parseLedgerEvents });
}
