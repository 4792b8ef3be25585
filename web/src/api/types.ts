// Shapes of the JSON the server sends for sessions (see DESIGN.md, "Interfaces"), with
// runtime checks: the app trusts no response shape it has not verified.

/** Roles in the order DESIGN.md lists the users. */
export const ROLES = [
  'practitioner',
  'manager',
  'mash_coordinator',
  'analyst',
  'reviewer',
  'auditor',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export interface Agency {
  id: string;
  code: string;
  name: string;
}

export interface User {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  agency: Agency;
  /** Signed in with a generated one-time password: they must choose their own first. */
  must_change_password: boolean;
  /** A second factor (an authenticator app) is in force for the account. */
  second_factor: boolean;
  /** A second factor is required and the account has none: they must enrol one first. */
  must_enrol_second_factor: boolean;
}

/** What POST /api/v1/session and GET /api/v1/me return. */
export interface Session {
  user: User;
  csrf_token: string;
}

/** An RFC 9457 problem detail, as every API error body is. */
export interface Problem {
  type: string;
  title: string;
  /** The HTTP status, or 0 when the server could not be reached at all. */
  status: number;
  detail?: string;
  /** For 400s: the request field that was wrong. */
  field?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

function parseAgency(value: unknown): Agency | null {
  if (!isRecord(value)) return null;
  const { id, code, name } = value;
  if (!isNonEmptyString(id) || !isNonEmptyString(code) || !isNonEmptyString(name)) return null;
  return { id, code, name };
}

/** GET /api/v1/agencies: {items: [Agency…]}. */
export function parseAgencies(value: unknown): Agency[] | null {
  if (!isRecord(value) || !Array.isArray(value['items'])) return null;
  const out: Agency[] = [];
  for (const item of value['items']) {
    const agency = parseAgency(item);
    if (agency === null) return null;
    out.push(agency);
  }
  return out;
}

function parseUser(value: unknown): User | null {
  if (!isRecord(value)) return null;
  const { id, username, display_name, role } = value;
  const agency = parseAgency(value['agency']);
  if (!isNonEmptyString(id) || !isNonEmptyString(username)) return null;
  if (!isNonEmptyString(display_name) || !isRole(role) || agency === null) return null;
  return {
    id,
    username,
    display_name,
    role,
    agency,
    must_change_password: value['must_change_password'] === true,
    second_factor: value['second_factor'] === true,
    must_enrol_second_factor: value['must_enrol_second_factor'] === true,
  };
}

/** Returns the session in `value`, or null if it is not the documented shape. */
export function parseSession(value: unknown): Session | null {
  if (!isRecord(value)) return null;
  const user = parseUser(value['user']);
  const csrf = value['csrf_token'];
  if (user === null || !isNonEmptyString(csrf)) return null;
  return { user, csrf_token: csrf };
}

/** Returns the problem in `value` (falling back to `status` for a missing one), or null. */
export function parseProblem(value: unknown, status: number): Problem | null {
  if (!isRecord(value)) return null;
  const { type, title, detail, field } = value;
  if (typeof title !== 'string') return null;
  const problem: Problem = {
    type: typeof type === 'string' ? type : 'about:blank',
    title,
    status: typeof value['status'] === 'number' ? value['status'] : status,
  };
  if (typeof detail === 'string' && detail.length > 0) problem.detail = detail;
  if (typeof field === 'string' && field.length > 0) problem.field = field;
  return problem;
}
