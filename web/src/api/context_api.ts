// Contextual safeguarding (src/api/context_routes.cpp, docs/network.md): place and peer-group
// cases — the list, one case with its children, assessment, interventions, decisions and
// timeline, and the commands that change it. Children are their case ids; names come only for
// children whose cases the reader may see.

import { isRecord, num, parseList, str, type Json } from './checks';
import type { ApiClient, ApiResult } from './client';

export type ContextKind = 'place' | 'peer_group' | 'school' | 'online_space';
export type ContextStatusFilter = 'open' | 'closed' | 'all';
export type RiskLevel = 'low' | 'medium' | 'high';

export interface ContextSummary {
  id: string;
  kind: string;
  title: string;
  status: string;
  agencyId: string;
  riskLevel: string;
  children: number;
  openedAt: string;
  updatedAt: string;
}

export interface ContextChildRow {
  caseId: string;
  reason: string;
  status: string;
  addedAt: string;
  addedBy: string;
  removedReason: string;
  /** The child's name, or '' when the reader may not see their case. */
  label: string;
  visible: boolean;
}

export interface ContextIntervention {
  id: string;
  description: string;
  ownerId: string;
  due: string | null;
  status: string;
  escalated: boolean;
  completedOn: string | null;
}

export interface ContextDecision {
  id: string;
  kind: string;
  rationale: string;
  decidedOn: string;
  proposedBy: string;
  status: string;
  signOffBy: string | null;
  signOffNote: string;
}

export interface ContextAssessmentView {
  at: string;
  by: string;
  summary: string;
  riskLevel: string;
  riskReason: string;
}

export interface ContextEvent {
  kind: string;
  at: string;
  by: string;
  detail: Json;
}

export interface ContextCase {
  id: string;
  version: number;
  marking: string;
  recordedAt: string;
  kind: string;
  title: string;
  status: string;
  place: { entityId: string; label: string; detail: string } | null;
  openedAt: string;
  openedBy: string;
  pendingDecisionId: string;
  assessment: ContextAssessmentView | null;
  children: ContextChildRow[];
  interventions: ContextIntervention[];
  decisions: ContextDecision[];
  events: ContextEvent[];
}

export interface PlaceDraft {
  place: { entityId: string; label: string; detail: string };
  children: Array<{ caseId: string; label: string; entityId: string }>;
  hiddenChildren: number;
}

function parseSummary(value: unknown): ContextSummary | null {
  if (!isRecord(value)) return null;
  const id = str(value, 'id');
  const kind = str(value, 'kind');
  const title = str(value, 'title');
  const status = str(value, 'status');
  const children = num(value, 'children');
  if (id === null || kind === null || title === null || status === null || children === null) return null;
  return {
    id,
    kind,
    title,
    status,
    agencyId: str(value, 'agency_id') ?? '',
    riskLevel: str(value, 'risk_level') ?? '',
    children,
    openedAt: str(value, 'opened_at') ?? '',
    updatedAt: str(value, 'updated_at') ?? '',
  };
}

function parseChild(value: unknown): ContextChildRow | null {
  if (!isRecord(value)) return null;
  const caseId = str(value, 'case_id');
  if (caseId === null) return null;
  return {
    caseId,
    reason: str(value, 'reason') ?? '',
    status: str(value, 'status') ?? 'linked',
    addedAt: str(value, 'added_at') ?? '',
    addedBy: str(value, 'added_by') ?? '',
    removedReason: str(value, 'removed_reason') ?? '',
    label: str(value, 'label') ?? '',
    visible: value['visible'] === true,
  };
}

function parseIntervention(value: unknown): ContextIntervention | null {
  if (!isRecord(value)) return null;
  const id = str(value, 'id');
  if (id === null) return null;
  return {
    id,
    description: str(value, 'description') ?? '',
    ownerId: str(value, 'owner_id') ?? '',
    due: str(value, 'due'),
    status: str(value, 'status') ?? '',
    escalated: value['escalated'] === true,
    completedOn: str(value, 'completed_on'),
  };
}

function parseDecision(value: unknown): ContextDecision | null {
  if (!isRecord(value)) return null;
  const id = str(value, 'id');
  if (id === null) return null;
  const signOff = isRecord(value['sign_off']) ? value['sign_off'] : null;
  return {
    id,
    kind: str(value, 'kind') ?? '',
    rationale: str(value, 'rationale') ?? '',
    decidedOn: str(value, 'decided_on') ?? '',
    proposedBy: str(value, 'proposed_by') ?? '',
    status: str(value, 'status') ?? '',
    signOffBy: signOff === null ? null : str(signOff, 'by'),
    signOffNote: signOff === null ? '' : (str(signOff, 'note') ?? ''),
  };
}

function parseEvent(value: unknown): ContextEvent | null {
  if (!isRecord(value)) return null;
  const kind = str(value, 'kind');
  if (kind === null) return null;
  return { kind, at: str(value, 'at') ?? '', by: str(value, 'by') ?? '', detail: value };
}

function parseContext(value: unknown): ContextCase | null {
  if (!isRecord(value) || !isRecord(value['body'])) return null;
  const body = value['body'];
  const id = str(value, 'id');
  const version = num(value, 'version');
  const children = parseList(value['children'], parseChild);
  const interventions = parseList(value['interventions'], parseIntervention);
  const decisions = parseList(value['decisions'], parseDecision);
  const events = parseList(body['events'], parseEvent);
  if (id === null || version === null || children === null || interventions === null || decisions === null || events === null) return null;
  const place = isRecord(body['place']) ? body['place'] : null;
  const assessment = isRecord(body['assessment']) ? body['assessment'] : null;
  return {
    id,
    version,
    marking: str(value, 'marking') ?? '',
    recordedAt: str(value, 'recorded_at') ?? '',
    kind: str(body, 'context_kind') ?? '',
    title: str(body, 'title') ?? '',
    status: str(body, 'status') ?? '',
    place: place === null ? null : { entityId: str(place, 'entity_id') ?? '', label: str(place, 'label') ?? '', detail: str(place, 'detail') ?? '' },
    openedAt: str(body, 'opened_at') ?? '',
    openedBy: str(body, 'opened_by') ?? '',
    pendingDecisionId: str(body, 'pending_decision_id') ?? '',
    assessment:
      assessment === null
        ? null
        : {
            at: str(assessment, 'at') ?? '',
            by: str(assessment, 'by') ?? '',
            summary: str(assessment, 'summary') ?? '',
            riskLevel: str(assessment, 'risk_level') ?? '',
            riskReason: str(assessment, 'risk_reason') ?? '',
          },
    children,
    interventions,
    decisions,
    events,
  };
}

function parseDraft(value: unknown): PlaceDraft | null {
  if (!isRecord(value) || !isRecord(value['place'])) return null;
  const place = value['place'];
  const entityId = str(place, 'entity_id');
  const children = parseList(value['children'], (c) => {
    if (!isRecord(c)) return null;
    const caseId = str(c, 'case_id');
    return caseId === null ? null : { caseId, label: str(c, 'label') ?? '', entityId: str(c, 'entity_id') ?? '' };
  });
  if (entityId === null || children === null) return null;
  return { place: { entityId, label: str(place, 'label') ?? '', detail: str(place, 'detail') ?? '' }, children, hiddenChildren: num(value, 'hidden_children') ?? 0 };
}

function parseCreated(value: unknown): { id: string } | null {
  if (!isRecord(value)) return null;
  const id = str(value, 'id');
  return id === null ? null : { id };
}

/** GET /api/v1/contexts: the context cases the user may see, most recently changed first. */
export function fetchContexts(api: ApiClient, status: ContextStatusFilter): Promise<ApiResult<ContextSummary[]>> {
  return api.request('GET', `/api/v1/contexts?${new URLSearchParams({ status }).toString()}`, {
    parse: (v) => (isRecord(v) ? parseList(v['items'], parseSummary) : null),
  });
}

/** GET /api/v1/contexts/{id}, as it stands or as it stood at `asOf` (RFC 3339). */
export function fetchContext(api: ApiClient, id: string, asOf: string | null): Promise<ApiResult<ContextCase>> {
  const q = asOf === null ? '' : `?${new URLSearchParams({ as_of: asOf }).toString()}`;
  return api.request('GET', `/api/v1/contexts/${encodeURIComponent(id)}${q}`, { parse: parseContext });
}

/** GET /api/v1/network/places/{id}/context-draft: the place and the children it links to. */
export function fetchPlaceDraft(api: ApiClient, entityId: string): Promise<ApiResult<PlaceDraft>> {
  return api.request('GET', `/api/v1/network/places/${encodeURIComponent(entityId)}/context-draft`, { parse: parseDraft });
}

export interface OpenContextRequest {
  kind: ContextKind;
  title: string;
  placeEntityId?: string;
  children: Array<{ caseId: string; reason: string }>;
}

/** POST /api/v1/contexts. Errors name the field ("children/1/reason"). */
export function openContext(api: ApiClient, request: OpenContextRequest): Promise<ApiResult<{ id: string }>> {
  const body: Json = {
    kind: request.kind,
    title: request.title,
    children: request.children.map((c) => ({ case_id: c.caseId, reason: c.reason })),
  };
  if (request.placeEntityId !== undefined) body['place_entity_id'] = request.placeEntityId;
  return api.request('POST', '/api/v1/contexts', { body, parse: parseCreated });
}

function ifMatch(version: number): Record<string, string> {
  return { 'If-Match': `"${version}"` };
}

export function addContextChild(api: ApiClient, id: string, version: number, caseId: string, reason: string): Promise<ApiResult<undefined>> {
  return api.request('POST', `/api/v1/contexts/${encodeURIComponent(id)}/children`, { body: { case_id: caseId, reason }, headers: ifMatch(version) });
}

export function removeContextChild(api: ApiClient, id: string, version: number, caseId: string, reason: string): Promise<ApiResult<undefined>> {
  return api.request('POST', `/api/v1/contexts/${encodeURIComponent(id)}/children/${encodeURIComponent(caseId)}/removal`, { body: { reason }, headers: ifMatch(version) });
}

export function assessContext(
  api: ApiClient,
  id: string,
  version: number,
  assessment: { summary: string; riskLevel: RiskLevel | ''; riskReason: string },
): Promise<ApiResult<undefined>> {
  return api.request('POST', `/api/v1/contexts/${encodeURIComponent(id)}/assessments`, {
    body: { summary: assessment.summary, risk_level: assessment.riskLevel, risk_reason: assessment.riskReason },
    headers: ifMatch(version),
  });
}

export function addIntervention(
  api: ApiClient,
  id: string,
  version: number,
  intervention: { description: string; ownerId: string; due: string },
): Promise<ApiResult<{ id: string }>> {
  return api.request('POST', `/api/v1/contexts/${encodeURIComponent(id)}/interventions`, {
    body: { description: intervention.description, owner_id: intervention.ownerId, due: intervention.due },
    headers: ifMatch(version),
    parse: parseCreated,
  });
}

export function proposeContextClosure(api: ApiClient, id: string, version: number, rationale: string, decidedOn: string): Promise<ApiResult<{ id: string }>> {
  return api.request('POST', `/api/v1/contexts/${encodeURIComponent(id)}/closure`, {
    body: { rationale, decided_on: decidedOn },
    headers: ifMatch(version),
    parse: parseCreated,
  });
}

export function signOffContextClosure(api: ApiClient, decisionId: string, verdict: 'approve' | 'refuse', note: string): Promise<ApiResult<undefined>> {
  return api.request('POST', `/api/v1/context-decisions/${encodeURIComponent(decisionId)}/sign-off`, { body: { verdict, note } });
}
