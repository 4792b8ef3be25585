// The people endpoints (src/api/resolve_routes.cpp, docs/entity-resolution.md): an entity's
// records from every agency with their waterfalls, and the analysts' review queue. Parsers
// check every shape like casework_types.ts: anything else is an "unexpected response".

import { isRecord, num, parseList, str, type Json } from './checks';
import type { ApiClient, ApiResult } from './client';


/** One field's comparison in a waterfall: its level, what that level means, and its weight in bits. */
export interface WaterfallTerm {
  field: string;
  level: number;
  label: string;
  weight: number;
}

/** Why two records are (or are not) the same person: prior + each field's weight = total. */
export interface Explanation {
  prior: number;
  prior_weight: number;
  terms: WaterfallTerm[];
  match_weight: number;
  match_probability: number;
}

function parseTerm(value: unknown): WaterfallTerm | null {
  if (!isRecord(value)) return null;
  const field = str(value, 'field');
  const level = num(value, 'level');
  const label = str(value, 'label');
  const weight = num(value, 'weight');
  if (field === null || level === null || label === null || weight === null) return null;
  return { field, level, label, weight };
}

export function parseExplanation(value: unknown): Explanation | null {
  if (!isRecord(value)) return null;
  const prior = num(value, 'prior');
  const prior_weight = num(value, 'prior_weight');
  const match_weight = num(value, 'match_weight');
  const match_probability = num(value, 'match_probability');
  const terms = parseList(value['terms'], parseTerm);
  if (prior === null || prior_weight === null || match_weight === null || match_probability === null || terms === null) return null;
  return { prior, prior_weight, terms, match_weight, match_probability };
}

/** The person as the agency recorded them (import-formats §1.3); only the fields shown here. */
export interface RecordedPerson {
  ref: string;
  role: string;
  name: string;
  date_of_birth: string;
  /**
   * Every other text or number the agency recorded, by field ("sex", "postcode",
   * "identifiers/nhs_number"), for comparing two records side by side.
   */
  details: Record<string, string>;
}

// Fields the side-by-side comparison shows as they are (the name and date are shown whole).
const kDetailFields = ['nickname', 'sex', 'ethnicity', 'relationship', 'address', 'postcode', 'phone', 'email'];

function recordedDetails(p: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of kDetailFields) {
    const v = str(p, key);
    if (v !== null && v !== '') out[key] = v;
  }
  const ids = p['identifiers'];
  if (isRecord(ids)) {
    for (const [key, v] of Object.entries(ids)) if (typeof v === 'string' && v !== '') out[`identifiers/${key}`] = v;
  }
  return out;
}

function recordedName(p: Json): string {
  const given = str(p, 'given_name') ?? '';
  const family = str(p, 'family_name') ?? '';
  const joined = `${given} ${family}`.trim();
  if (joined !== '') return joined;
  const full = str(p, 'full_name') ?? '';
  if (full !== '') return full;
  const nick = str(p, 'nickname') ?? '';
  return nick === '' ? '' : `known as ${nick}`;
}

function parseRecordedPerson(value: unknown): RecordedPerson | null {
  // A record whose person is no longer in the concern comes back as null: show it as unknown.
  if (value === null) return { ref: '', role: '', name: '', date_of_birth: '', details: {} };
  if (!isRecord(value)) return null;
  const approx = num(value, 'approx_age');
  const dob = str(value, 'date_of_birth') ?? (approx === null ? '' : `about ${approx}`);
  return { ref: str(value, 'ref') ?? '', role: str(value, 'role') ?? 'child', name: recordedName(value), date_of_birth: dob, details: recordedDetails(value) };
}

/** One agency's record of the person, with its waterfall against the entity's first record. */
export interface PersonRecordView {
  record_id: string;
  concern_id: string;
  agency_id: string;
  /** As known at a past time: the version of the record that stood then; else null. */
  version: number | null;
  recorded_at: string;
  person: RecordedPerson;
  /** Null for the entity's first record (the one the others are compared with). */
  explanation: Explanation | null;
}

/** A match decision in force at a past time (GET /api/v1/persons/{id}?as_of=). */
export interface DecisionThen {
  pair_id: string;
  record_l: string;
  record_r: string;
  /** same, different or unsure. */
  verdict: string;
  by: string;
  recorded_at: string;
}

function parseDecisionThen(value: unknown): DecisionThen | null {
  if (!isRecord(value)) return null;
  const pair_id = str(value, 'pair_id');
  const record_l = str(value, 'record_l');
  const record_r = str(value, 'record_r');
  const verdict = str(value, 'verdict');
  const by = str(value, 'by');
  const recorded_at = str(value, 'recorded_at');
  if (pair_id === null || record_l === null || record_r === null || verdict === null || by === null || recorded_at === null) return null;
  return { pair_id, record_l, record_r, verdict, by, recorded_at };
}

export interface PersonEntity {
  entity_id: string;
  records: PersonRecordView[];
  /** Set when the person is shown as known at a past time (RFC 3339); else null. */
  as_of: string | null;
  /** As known at a past time: the match decisions then in force on these records; else null. */
  decisions: DecisionThen[] | null;
}

function parsePersonRecord(value: unknown): PersonRecordView | null {
  if (!isRecord(value)) return null;
  const record_id = str(value, 'record_id');
  const concern_id = str(value, 'concern_id');
  const agency_id = str(value, 'agency_id');
  const recorded_at = str(value, 'recorded_at');
  const person = parseRecordedPerson(value['person'] ?? null);
  const rawExplanation = value['explanation'] ?? null;
  const explanation = rawExplanation === null ? null : parseExplanation(rawExplanation);
  const version = value['version'] === undefined ? null : num(value, 'version');
  if (record_id === null || concern_id === null || agency_id === null || recorded_at === null || person === null) return null;
  if (rawExplanation !== null && explanation === null) return null;
  if (value['version'] !== undefined && version === null) return null;
  return { record_id, concern_id, agency_id, version, recorded_at, person, explanation };
}

export function parsePersonEntity(value: unknown): PersonEntity | null {
  if (!isRecord(value)) return null;
  const entity_id = str(value, 'entity_id');
  const records = parseList(value['records'], parsePersonRecord);
  const as_of = value['as_of'] === undefined ? null : str(value, 'as_of');
  const decisions = value['decisions'] === undefined ? null : parseList(value['decisions'], parseDecisionThen);
  if (entity_id === null || records === null) return null;
  if ((value['as_of'] !== undefined && as_of === null) || (value['decisions'] !== undefined && decisions === null)) return null;
  return { entity_id, records, as_of, decisions };
}

/**
 * GET /api/v1/persons/{id}: by entity id or by any of its record ids. `asOf` (RFC 3339) shows
 * the person as known then: only records made by then, each as it stood then, with the match
 * decisions then in force.
 */
export function fetchPerson(api: ApiClient, id: string, asOf: string | null = null): Promise<ApiResult<PersonEntity>> {
  const query = asOf === null ? '' : `?${new URLSearchParams({ as_of: asOf }).toString()}`;
  return api.request('GET', `/api/v1/persons/${encodeURIComponent(id)}${query}`, { parse: parsePersonEntity });
}

export interface PersonMatch {
  record_id: string;
  entity_id: string;
  agency_id: string;
  match_probability: number;
}

function parseMatch(value: unknown): PersonMatch | null {
  if (!isRecord(value)) return null;
  const record_id = str(value, 'record_id');
  const entity_id = str(value, 'entity_id');
  const agency_id = str(value, 'agency_id');
  const match_probability = num(value, 'match_probability');
  if (record_id === null || entity_id === null || agency_id === null || match_probability === null) return null;
  return { record_id, entity_id, agency_id, match_probability };
}

function parseMatches(value: unknown): PersonMatch[] | null {
  return isRecord(value) ? parseList(value['matches'], parseMatch) : null;
}

/** GET /api/v1/persons/match?full_name=…: the records a name matches, best first. */
export function matchPersonByName(api: ApiClient, fullName: string): Promise<ApiResult<PersonMatch[]>> {
  return matchPerson(api, { full_name: fullName });
}

/**
 * What as-you-type matching compares: a name (at least one of given_name, family_name,
 * full_name) and optionally a date of birth as recorded, which may be an age given on a date
 * ("about 14 on 2026-03-01").
 */
export interface PersonQuery {
  given_name?: string;
  family_name?: string;
  full_name?: string;
  date_of_birth?: string;
}

/** GET /api/v1/persons/match: the records `query` matches, best first (a ledger consultation). */
export function matchPerson(api: ApiClient, query: PersonQuery): Promise<ApiResult<PersonMatch[]>> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (typeof value === 'string' && value !== '') params.set(key, value);
  return api.request('GET', `/api/v1/persons/match?${params.toString()}`, { parse: parseMatches });
}

/** A possible match queued for review: two records and where the decision stands. */
export interface ReviewPair {
  pair_id: string;
  record_l: string;
  record_r: string;
  match_probability: number;
  /** open, same, different or unsure. */
  status: string;
  updated_at: string;
}

function parsePair(value: unknown): ReviewPair | null {
  if (!isRecord(value)) return null;
  const pair_id = str(value, 'pair_id');
  const record_l = str(value, 'record_l');
  const record_r = str(value, 'record_r');
  const match_probability = num(value, 'match_probability');
  const status = str(value, 'status');
  const updated_at = str(value, 'updated_at');
  if (pair_id === null || record_l === null || record_r === null || match_probability === null || status === null || updated_at === null) return null;
  return { pair_id, record_l, record_r, match_probability, status, updated_at };
}

function parsePairs(value: unknown): ReviewPair[] | null {
  return isRecord(value) ? parseList(value['items'], parsePair) : null;
}

/** Which pairs to list: waiting for a decision, decided one way, or every pair. */
export type ReviewStatus = 'open' | Verdict | 'all';

/** GET /api/v1/review-queue: queued pairs with `status` (every one by default), most probable first. */
export function fetchReviewQueue(api: ApiClient, limit = 1000, status: ReviewStatus = 'all'): Promise<ApiResult<ReviewPair[]>> {
  return api.request('GET', `/api/v1/review-queue?status=${status}&limit=${limit}`, { parse: parsePairs });
}

/** The latest decision on a pair: its verdict (null once withdrawn), note, who and when. */
export interface ReviewDecision {
  verdict: string | null;
  note: string;
  by: string;
  at: string;
}

function parseDecision(value: unknown): ReviewDecision | null {
  if (!isRecord(value)) return null;
  const verdict = value['verdict'] ?? null;
  const by = str(value, 'by');
  const at = str(value, 'at');
  if ((verdict !== null && typeof verdict !== 'string') || by === null || at === null) return null;
  return { verdict, note: str(value, 'note') ?? '', by, at };
}

/** A pair with its waterfall and decision version (sent back as If-Match). */
export interface ReviewPairDetail extends ReviewPair {
  explanation: Explanation;
  version: number;
  /** Null when the pair was never decided. */
  decision: ReviewDecision | null;
}

function parsePairDetail(value: unknown): ReviewPairDetail | null {
  const pair = parsePair(value);
  if (pair === null || !isRecord(value)) return null;
  const explanation = parseExplanation(value['explanation']);
  const version = num(value, 'version');
  const rawDecision = value['decision'] ?? null;
  const decision = rawDecision === null ? null : parseDecision(rawDecision);
  if (explanation === null || version === null) return null;
  if (rawDecision !== null && decision === null) return null;
  return { ...pair, explanation, version, decision };
}

export function fetchReviewPair(api: ApiClient, pairId: string): Promise<ApiResult<ReviewPairDetail>> {
  return api.request('GET', `/api/v1/review-queue/${encodeURIComponent(pairId)}`, { parse: parsePairDetail });
}

export type Verdict = 'same' | 'different' | 'unsure';

/** The decision's version as an entity tag: a stale one gets 412 rather than overwriting. */
function ifMatch(version: number): Record<string, string> {
  return { 'If-Match': `"${version}"` };
}

export function decideReviewPair(api: ApiClient, pairId: string, verdict: Verdict, note: string, version: number): Promise<ApiResult<undefined>> {
  const body: Record<string, string> = { verdict };
  if (note !== '') body['note'] = note;
  return api.request('POST', `/api/v1/review-queue/${encodeURIComponent(pairId)}/decision`, { body, headers: ifMatch(version) });
}

export function undoReviewDecision(api: ApiClient, pairId: string, version: number): Promise<ApiResult<undefined>> {
  return api.request('POST', `/api/v1/review-queue/${encodeURIComponent(pairId)}/undo`, { headers: ifMatch(version) });
}
