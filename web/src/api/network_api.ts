// The link-analysis endpoints (src/api/network_routes.cpp, docs/network.md): one entity with
// its links and their evidence, groups, key players and hot spots. Every query takes an
// optional time window (since/until, YYYY-MM-DD) and an optional as_of (the graph as known at
// that time). Parsers check every shape: anything else is
// an "unexpected response", never a crash.

import { isRecord, num, parseList, str } from './checks';
import type { ApiClient, ApiResult } from './client';


/** An entity's kind: person, vehicle, phone, account or location. */
export type EntityKind = string;

export interface NetworkEntity {
  /** Opaque: "<kind>-<16 hex>", no personal data. */
  id: string;
  kind: EntityKind;
  label: string;
  detail: string;
  /** For persons: child, suspect, associate… as the caller's records say. */
  roles: string[];
}

function parseEntity(value: unknown): NetworkEntity | null {
  if (!isRecord(value)) return null;
  const id = str(value, 'id');
  const kind = str(value, 'kind');
  const label = str(value, 'label');
  const detail = str(value, 'detail') ?? '';
  const roles = value['roles'] === undefined ? [] : parseList(value['roles'], (r) => (typeof r === 'string' ? r : null));
  if (id === null || kind === null || label === null || roles === null) return null;
  return { id, kind, label, detail, roles };
}

/** One piece of evidence for a link: the concern that showed it, how, when and how sure. */
export interface Evidence {
  concern_id: string;
  type: string;
  date: string;
  /** confirmed, probable, possible (or weak, for co-occurrence). */
  confidence: string;
}

function parseEvidence(value: unknown): Evidence | null {
  if (!isRecord(value)) return null;
  const concern_id = str(value, 'concern_id');
  const type = str(value, 'type');
  const date = str(value, 'date');
  const confidence = str(value, 'confidence');
  if (concern_id === null || type === null || date === null || confidence === null) return null;
  return { concern_id, type, date, confidence };
}

export interface EntityLink {
  other: NetworkEntity;
  weight: number;
  evidence: Evidence[];
}

function parseLink(value: unknown): EntityLink | null {
  if (!isRecord(value)) return null;
  const other = parseEntity(value['other']);
  const weight = num(value, 'weight');
  const evidence = parseList(value['evidence'], parseEvidence);
  if (other === null || weight === null || evidence === null) return null;
  return { other, weight, evidence };
}

/** GET /api/v1/network/entities/{id}: the entity and its direct links. */
export interface EntityView {
  entity: NetworkEntity;
  links: EntityLink[];
}

function parseEntityView(value: unknown): EntityView | null {
  if (!isRecord(value)) return null;
  const entity = parseEntity(value['entity']);
  const links = parseList(value['links'], parseLink);
  if (entity === null || links === null) return null;
  return { entity, links };
}

/**
 * since/until (YYYY-MM-DD), each optional, and asOf (RFC 3339): the graph as known then (only
 * concerns recorded by then, each as it stood then), or '' for the graph as known now.
 */
export interface TimeWindow {
  since: string;
  until: string;
  asOf: string;
}

function windowQuery(window: TimeWindow, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  if (window.since !== '') q.set('since', window.since);
  if (window.until !== '') q.set('until', window.until);
  if (window.asOf !== '') q.set('as_of', window.asOf);
  const text = q.toString();
  return text === '' ? '' : `?${text}`;
}

export function fetchNetworkEntity(api: ApiClient, id: string, window: TimeWindow): Promise<ApiResult<EntityView>> {
  return api.request('GET', `/api/v1/network/entities/${encodeURIComponent(id)}${windowQuery(window)}`, { parse: parseEntityView });
}

/** A group found by Leiden: its rank and members (children first). */
export interface Community {
  rank: number;
  members: NetworkEntity[];
}

function parseCommunity(value: unknown): Community | null {
  if (!isRecord(value)) return null;
  const rank = num(value, 'rank');
  const members = parseList(value['members'], parseEntity);
  if (rank === null || members === null) return null;
  return { rank, members };
}

function parseCommunities(value: unknown): Community[] | null {
  return isRecord(value) ? parseList(value['communities'], parseCommunity) : null;
}

export function fetchCommunities(api: ApiClient, window: TimeWindow): Promise<ApiResult<Community[]>> {
  return api.request('GET', `/api/v1/network/communities${windowQuery(window, { limit: '50', members: '1000' })}`, { parse: parseCommunities });
}

export interface KeyPlayer {
  rank: number;
  entity: NetworkEntity;
  score: number;
  degree: number;
}

function parseKeyPlayer(value: unknown): KeyPlayer | null {
  if (!isRecord(value)) return null;
  const rank = num(value, 'rank');
  const entity = parseEntity(value['entity']);
  const score = num(value, 'score');
  const degree = num(value, 'degree');
  if (rank === null || entity === null || score === null || degree === null) return null;
  return { rank, entity, score, degree };
}

function parseKeyPlayers(value: unknown): KeyPlayer[] | null {
  return isRecord(value) ? parseList(value['key_players'], parseKeyPlayer) : null;
}

export function fetchKeyPlayers(api: ApiClient, window: TimeWindow): Promise<ApiResult<KeyPlayer[]>> {
  return api.request('GET', `/api/v1/network/key-players${windowQuery(window, { limit: '10' })}`, { parse: parseKeyPlayers });
}

export interface HotSpot {
  rank: number;
  entity: NetworkEntity;
  children: number;
}

function parseHotSpot(value: unknown): HotSpot | null {
  if (!isRecord(value)) return null;
  const rank = num(value, 'rank');
  const entity = parseEntity(value['entity']);
  const children = num(value, 'children');
  if (rank === null || entity === null || children === null) return null;
  return { rank, entity, children };
}

function parseHotSpots(value: unknown): HotSpot[] | null {
  return isRecord(value) ? parseList(value['hot_spots'], parseHotSpot) : null;
}

export function fetchHotSpots(api: ApiClient, window: TimeWindow): Promise<ApiResult<HotSpot[]>> {
  return api.request('GET', `/api/v1/network/hot-spots${windowQuery(window, { limit: '10' })}`, { parse: parseHotSpots });
}

/** A network alert (src/workflow/network_alerts.cpp): an entity linked to several children. */
export interface NetworkAlert {
  id: string;
  /** The entity's label as the chart shows it (a registration, a name). */
  label: string;
  /** "vehicle linked to 3 children". */
  summary: string;
  entity_id: string;
}

function parseNetworkAlert(value: unknown): NetworkAlert | null {
  if (!isRecord(value)) return null;
  const body = value['body'];
  const id = str(value, 'id');
  if (id === null || !isRecord(body)) return null;
  const label = str(body, 'label');
  const summary = str(body, 'summary');
  const entity_id = str(body, 'entity_id');
  if (label === null || summary === null || entity_id === null) return null;
  return { id, label, summary, entity_id };
}

/** GET /api/v1/records/{id} for a network alert from the analysts' inbox. */
export function fetchNetworkAlert(api: ApiClient, id: string): Promise<ApiResult<NetworkAlert>> {
  return api.request('GET', `/api/v1/records/${encodeURIComponent(id)}`, { parse: parseNetworkAlert });
}
