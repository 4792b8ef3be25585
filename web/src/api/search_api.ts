// Search (src/api/search_routes.cpp and the people routes of src/api/resolve_routes.cpp):
// full-text search of concern narratives, and finding a person across agencies' records.
// Both are logged by the server as consultations.

import { isRecord, isString } from './checks';
import type { ApiClient, ApiResult } from './client';

/** A part of a matching passage; `match` marks the words that were searched for. */
export interface SnippetPart {
  text: string;
  match: boolean;
}

export interface ConcernHit {
  concern_id: string;
  agency_id: string;
  received_at: string;
  channel: string;
  category: string;
  case_ids: string[];
  snippet: SnippetPart[];
}

/** One record the matcher links to the person searched for. */
export interface PersonMatch {
  record_id: string;
  entity_id: string;
  agency_id: string;
  match_probability: number;
}


function optionalText(value: unknown): string | null {
  if (value === undefined || value === null) return '';
  return isString(value) ? value : null;
}

function parseHit(value: unknown): ConcernHit | null {
  if (!isRecord(value)) return null;
  const { concern_id, agency_id, case_ids, snippet } = value;
  if (!isString(concern_id) || !isString(agency_id)) return null;
  if (!Array.isArray(case_ids) || !case_ids.every(isString)) return null;
  if (!Array.isArray(snippet)) return null;
  const parts: SnippetPart[] = [];
  for (const part of snippet) {
    if (!isRecord(part) || !isString(part['text']) || typeof part['match'] !== 'boolean') return null;
    parts.push({ text: part['text'], match: part['match'] });
  }
  const received_at = optionalText(value['received_at']);
  const channel = optionalText(value['channel']);
  const category = optionalText(value['category']);
  if (received_at === null || channel === null || category === null) return null;
  return { concern_id, agency_id, received_at, channel, category, case_ids, snippet: parts };
}

function parseHits(value: unknown): ConcernHit[] | null {
  if (!isRecord(value) || !Array.isArray(value['items'])) return null;
  const out: ConcernHit[] = [];
  for (const item of value['items']) {
    const hit = parseHit(item);
    if (hit === null) return null;
    out.push(hit);
  }
  return out;
}

function parseMatches(value: unknown): PersonMatch[] | null {
  if (!isRecord(value) || !Array.isArray(value['matches'])) return null;
  const out: PersonMatch[] = [];
  for (const m of value['matches']) {
    if (!isRecord(m)) return null;
    const { record_id, entity_id, agency_id, match_probability } = m;
    if (!isString(record_id) || !isString(entity_id) || !isString(agency_id) || typeof match_probability !== 'number') return null;
    out.push({ record_id, entity_id, agency_id, match_probability });
  }
  return out;
}

/** GET /api/v1/search/concerns?q=: concerns whose narrative holds every word, best first. */
export function searchConcerns(api: ApiClient, q: string, limit = 50): Promise<ApiResult<ConcernHit[]>> {
  const params = new URLSearchParams({ q, limit: String(limit) });
  return api.request('GET', `/api/v1/search/concerns?${params.toString()}`, { parse: parseHits });
}

export interface PersonQuery {
  given_name: string;
  family_name: string;
  /** As typed: YYYY-MM-DD, DD/MM/YYYY, a year… (optional). */
  date_of_birth: string;
}

/** GET /api/v1/persons/match: records across agencies that match the person, best first. */
export function matchPerson(api: ApiClient, query: PersonQuery): Promise<ApiResult<PersonMatch[]>> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value.trim() !== '') params.set(key, value.trim());
  return api.request('GET', `/api/v1/persons/match?${params.toString()}`, { parse: parseMatches });
}
