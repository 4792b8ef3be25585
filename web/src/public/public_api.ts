// The public anonymous-report endpoints (src/api/public_routes.cpp). No session, no CSRF
// token: anyone may call these. The receipt code travels only in request bodies, never in a
// URL, and this module never stores it.

import type { ApiClient, ApiResult } from '../api/client';

/** What POST /api/v1/public/reports returns: shown to the reporter once. */
export interface Receipt {
  reference: string;
  receipt_code: string;
}

export type ReportState = 'received' | 'being_acted_on' | 'closed';

export interface ReportMessage {
  from: 'reporter' | 'staff';
  at: string;
  text: string;
}

/** What POST /api/v1/public/reports/status returns. */
export interface ReportStatus {
  reference: string;
  received_on: string;
  status: ReportState;
  messages: ReportMessage[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function parseReceipt(value: unknown): Receipt | null {
  if (!isRecord(value)) return null;
  const { reference, receipt_code } = value;
  if (!isString(reference) || !isString(receipt_code) || reference === '' || receipt_code === '') return null;
  return { reference, receipt_code };
}

function parseMessage(value: unknown): ReportMessage | null {
  if (!isRecord(value)) return null;
  const { from, at, text } = value;
  if ((from !== 'reporter' && from !== 'staff') || !isString(at) || !isString(text)) return null;
  return { from, at, text };
}

export function parseReportStatus(value: unknown): ReportStatus | null {
  if (!isRecord(value)) return null;
  const { reference, received_on, status, messages } = value;
  if (!isString(reference) || !isString(received_on)) return null;
  if (status !== 'received' && status !== 'being_acted_on' && status !== 'closed') return null;
  if (!Array.isArray(messages)) return null;
  const parsed: ReportMessage[] = [];
  for (const m of messages) {
    const message = parseMessage(m);
    if (message === null) return null;
    parsed.push(message);
  }
  return { reference, received_on, status, messages: parsed };
}

/**
 * POST /api/v1/public/reports. `report` holds only the fields a member of the public may give
 * (narrative, children, persons, vehicles, locations, links…); any other key is a 400.
 */
export function submitReport(api: ApiClient, report: Json): Promise<ApiResult<Receipt>> {
  return api.request('POST', '/api/v1/public/reports', { body: report, parse: parseReceipt, unauthorized: 'expected' });
}

/** POST /api/v1/public/reports/status: 404 for any code that matches no report. */
export function fetchReportStatus(api: ApiClient, receiptCode: string): Promise<ApiResult<ReportStatus>> {
  return api.request('POST', '/api/v1/public/reports/status', {
    body: { receipt_code: receiptCode },
    parse: parseReportStatus,
    unauthorized: 'expected',
  });
}

/** POST /api/v1/public/reports/messages: 204 when added. */
export function addInformation(api: ApiClient, receiptCode: string, text: string): Promise<ApiResult<undefined>> {
  return api.request('POST', '/api/v1/public/reports/messages', {
    body: { receipt_code: receiptCode, text },
    unauthorized: 'expected',
  });
}
