// Narrative extraction (src/api/extract_routes.cpp): the vehicles, phones, e-mail addresses,
// postcodes and dates a narrative mentions, proposed for the practitioner to confirm. The
// server records nothing; the parser checks every shape like the other API modules.

import { isRecord, num, parseList, str } from './checks';
import type { ApiClient, ApiResult } from './client';

export type ExtractedKind = 'vehicle_registration' | 'phone' | 'email' | 'postcode' | 'date';

const kKinds: readonly string[] = ['vehicle_registration', 'phone', 'email', 'postcode', 'date'];

export interface ExtractedItem {
  kind: ExtractedKind;
  /** Normalised: AB12CDE, +447700900123, a@b.uk, NF1 2AB, 2024-03-14. */
  value: string;
  /** Exactly as written in the narrative. */
  text: string;
  /** Offsets of `text` in the narrative, in Unicode code points. */
  start: number;
  end: number;
}

function parseItem(value: unknown): ExtractedItem | null {
  if (!isRecord(value)) return null;
  const kind = str(value, 'kind');
  const itemValue = str(value, 'value');
  const text = str(value, 'text');
  const start = num(value, 'start');
  const end = num(value, 'end');
  if (kind === null || itemValue === null || text === null || start === null || end === null) return null;
  // A kind this page does not know yet is skipped by the caller, not a broken response.
  return { kind: kind as ExtractedKind, value: itemValue, text, start, end };
}

function parseItems(value: unknown): ExtractedItem[] | null {
  return isRecord(value) ? parseList(value['items'], parseItem) : null;
}

/** True for the kinds the concern form can take. */
export function isKnownKind(kind: string): kind is ExtractedKind {
  return kKinds.includes(kind);
}

/** POST /api/v1/extract: the items found in `text`, in order of appearance. */
export function extractFromNarrative(api: ApiClient, text: string): Promise<ApiResult<ExtractedItem[]>> {
  return api.request('POST', '/api/v1/extract', { body: { text }, parse: parseItems });
}
