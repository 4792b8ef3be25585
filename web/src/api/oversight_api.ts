// Oversight reports (src/api/oversight_routes.cpp, docs/oversight.md): each report is a set
// of named tables whose cells are numbers, text (including the suppressed "<5" and "[c]"),
// or null for "not applicable". The server logs each run as a consultation.

import { isRecord } from './checks';
import type { ApiClient, ApiResult } from './client';

export const REPORTS = ['timeliness', 'outcomes', 'repeat-concerns', 'suspects', 'demographics', 'annex-a'] as const;
export type ReportName = (typeof REPORTS)[number];

export type Cell = number | string | null;

export interface ReportTable {
  name: string;
  columns: string[];
  rows: Array<Record<string, Cell>>;
}

export interface Report {
  report: string;
  from: string;
  to: string;
  tables: ReportTable[];
}

export interface ReportQuery {
  report: ReportName;
  from: string;
  to: string;
  /** An agency code, or '' for every agency. */
  agency: string;
}


function isCell(value: unknown): value is Cell {
  return value === null || typeof value === 'number' || typeof value === 'string';
}

function parseReport(value: unknown): Report | null {
  if (!isRecord(value) || !isRecord(value['tables'])) return null;
  const { report, from, to } = value;
  if (typeof report !== 'string' || typeof from !== 'string' || typeof to !== 'string') return null;
  const tables: ReportTable[] = [];
  for (const [name, table] of Object.entries(value['tables'])) {
    if (!isRecord(table) || !Array.isArray(table['columns']) || !Array.isArray(table['rows'])) return null;
    const columns = table['columns'];
    if (!columns.every((c): c is string => typeof c === 'string')) return null;
    const rows: Array<Record<string, Cell>> = [];
    for (const row of table['rows']) {
      if (!isRecord(row)) return null;
      const out: Record<string, Cell> = {};
      for (const column of columns) {
        const cell = row[column];
        if (cell !== undefined && !isCell(cell)) return null;
        out[column] = cell === undefined ? null : cell;
      }
      rows.push(out);
    }
    tables.push({ name, columns, rows });
  }
  return { report, from, to, tables };
}

function params(query: ReportQuery): URLSearchParams {
  const p = new URLSearchParams({ from: query.from, to: query.to });
  if (query.agency !== '') p.set('agency', query.agency);
  return p;
}

/** GET /api/v1/oversight/{report}?from&to[&agency]. */
export function fetchReport(api: ApiClient, query: ReportQuery): Promise<ApiResult<Report>> {
  return api.request('GET', `/api/v1/oversight/${query.report}?${params(query).toString()}`, { parse: parseReport });
}

/** The address of one table of a report as CSV (a same-origin download). */
export function reportCsvUrl(query: ReportQuery, table: string): string {
  const p = params(query);
  p.set('format', 'csv');
  p.set('table', table);
  return `/api/v1/oversight/${query.report}?${p.toString()}`;
}
