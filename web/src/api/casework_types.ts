// Shapes of the casework JSON the server sends (src/api/casework_routes.cpp and the documents
// built in src/workflow/casework.cpp), with runtime checks like types.ts: a response that is
// not the documented shape becomes an "unexpected response" problem, never a crash.

/** An open piece of work in an inbox: a task with its clock, an alert, an escalation or a sign-off. */
export interface WorkItem {
  id: string;
  /** 'task', 'alert', 'escalation' or 'sign_off'. */
  kind: string;
  /** The task name (referral_decision…), alert rule, escalated task, or decision kind. */
  subkind: string;
  case_id: string;
  owner_id: string;
  inbox: string;
  /** YYYY-MM-DD, or null for work without a deadline. */
  due: string | null;
  /** Working days until due (England and Wales calendar); negative when overdue. */
  working_days_left: number | null;
  status: string;
  updated_at: string;
  /** The child's display name for case work (newer servers); else the page fetches the case. */
  label?: string;
}

/** One version of a stored record, as GET /api/v1/records/{id} returns it. */
export interface RecordVersion<B> {
  id: string;
  kind: string;
  version: number;
  recorded_at: string;
  recorded_by: string;
  marking: string;
  body: B;
}

export interface CaseChild {
  ref: string;
  name: string;
  date_of_birth: string;
}

/** A dated entry in a case's history: concern_received, referral_accepted, meetings, closed. */
export interface CaseEvent {
  kind: string;
  date: string;
  concern_id?: string;
  note?: string;
  outcome?: string;
  recorded_by?: string;
  /** On concern_received: the anonymous report the concern came from (reply to it). */
  anonymous_report_id?: string;
  /** On context_linked and context_unlinked: the place or peer-group case, and its kind. */
  context_id?: string;
  context_kind?: string;
}

export interface Contribution {
  code: string;
  label: string;
  category: string;
  seen_on: string;
  points: number;
}

export interface Screening {
  at?: string;
  by?: string;
  score: number;
  scored_level: string;
  level: string;
  /** Explanations of the forced rules that applied. */
  forced: string[];
  final_level: string;
  contributions: Contribution[];
  reassess_by: string;
  override?: { level: string; reason: string };
}

export interface CaseBody {
  id: string;
  child: CaseChild;
  agency_id: string;
  regime: string | null;
  /** referral_decision, assessment, section_47, plan or closed. */
  stage: string;
  status: string;
  opened_at: string;
  closed_on?: string;
  concerns: string[];
  events: CaseEvent[];
  decisions: string[];
  screenings: Screening[];
  assignee_id: string;
  outcome?: string;
}

export interface SignOffRecord {
  by: string;
  at: string;
  verdict: string;
  note: string;
}

export interface DecisionBody {
  id: string;
  case_id: string;
  /** accept, nfa, step_down or close. */
  kind: string;
  rationale: string;
  decided_on: string;
  stage: string;
  late_reason: string;
  proposed_by: string;
  proposed_at: string;
  /** effective, proposed (waiting for sign-off), signed_off or refused. */
  status: string;
  sign_off?: SignOffRecord;
}

/** The parts of a stored concern document the case page shows. */
export interface ConcernSummary {
  channel: string;
  received_at: string;
  narrative: string;
  category?: string;
  source_ref?: string;
}

export interface Indicator {
  code: string;
  category: string;
  label: string;
}

export interface RiskTool {
  id: string;
  version: number;
  levels: string[];
  indicators: Indicator[];
}

/** A message between an anonymous reporter and staff (never names who wrote it). */
export interface ReportMessage {
  from: 'reporter' | 'staff';
  at: string;
  text: string;
}

/** The parts of an anonymous_report record the case page shows. */
export interface AnonymousReportBody {
  reference: string;
  received_at: string;
  messages: ReportMessage[];
}

/** The parts of a task record the case page shows for finished work. */
export interface TaskBody {
  completed_on?: string;
  late_reason?: string;
  working_days_late?: number;
}

/** A colleague, as GET /api/v1/users lists them (active accounts). */
export interface Colleague {
  id: string;
  display_name: string;
  role: string;
  agency: { id: string; code: string; name: string } | null;
}

/** A case in GET /api/v1/cases. */
export interface CaseListItem {
  case_id: string;
  label: string;
  stage: string;
  status: string;
  opened_at: string;
  updated_at: string;
}

/** What POST /api/v1/concerns returns. */
export interface IntakeResult {
  concern_id: string;
  case_ids: string[];
  new_case_ids: string[];
  alert_ids: string[];
}

/** One ledger event naming a record: who saw or did what, when and why (DPA 2018 s.62). */
export interface LedgerEvent {
  seq: number;
  at: string;
  /** A user id, or "system:<component>". */
  actor: string;
  /** collection, alteration, consultation, disclosure, combination or erasure. */
  operation: string;
  /** The reason code given (referral, case_work, audit_review…). */
  reason: string;
  /** Who the data went to, for disclosures; else empty. */
  recipient: string;
  /** The actor's name and role when they are a user (newer servers). */
  actor_name?: string;
  actor_role?: string;
}

// ---- Checks ------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

/** Maps every element with `parse`; null if the value is not an array or any element fails. */
function parseArray<T>(value: unknown, parse: (item: unknown) => T | null): T[] | null {
  if (!Array.isArray(value)) return null;
  const out: T[] = [];
  for (const item of value) {
    const parsed = parse(item);
    if (parsed === null) return null;
    out.push(parsed);
  }
  return out;
}

/** A string field, or `fallback` when absent or null (older documents may lack it). */
function text(obj: Json, key: string, fallback = ''): string | null {
  const value = obj[key];
  if (value === undefined || value === null) return fallback;
  return isString(value) ? value : null;
}

function parseWorkItem(value: unknown): WorkItem | null {
  if (!isRecord(value)) return null;
  const { id, kind, subkind, case_id, owner_id, inbox, due, working_days_left, status, updated_at } = value;
  if (!isString(id) || !isString(kind) || !isString(subkind) || !isString(case_id)) return null;
  if (!isString(owner_id) || !isString(inbox) || !isString(status) || !isString(updated_at)) return null;
  if (due !== null && !isString(due)) return null;
  if (working_days_left !== null && working_days_left !== undefined && typeof working_days_left !== 'number') return null;
  const item: WorkItem = {
    id,
    kind,
    subkind,
    case_id,
    owner_id,
    inbox,
    due,
    working_days_left: typeof working_days_left === 'number' ? working_days_left : null,
    status,
    updated_at,
  };
  if (isString(value['label'])) item.label = value['label'];
  return item;
}

export function parseWorkItems(value: unknown): WorkItem[] | null {
  if (!isRecord(value)) return null;
  return parseArray(value['items'], parseWorkItem);
}

/** Reads the record envelope and its body with `parseBody`. */
export function recordParser<B>(parseBody: (body: unknown) => B | null): (value: unknown) => RecordVersion<B> | null {
  return (value) => {
    if (!isRecord(value)) return null;
    const { id, kind, version, recorded_at, recorded_by, marking } = value;
    if (!isString(id) || !isString(kind) || typeof version !== 'number') return null;
    if (!isString(recorded_at) || !isString(recorded_by) || !isString(marking)) return null;
    const body = parseBody(value['body']);
    if (body === null) return null;
    return { id, kind, version, recorded_at, recorded_by, marking, body };
  };
}

function parseCaseEvent(value: unknown): CaseEvent | null {
  if (!isRecord(value)) return null;
  const { kind, date } = value;
  if (!isString(kind) || !isString(date)) return null;
  const event: CaseEvent = { kind, date };
  for (const key of ['concern_id', 'note', 'outcome', 'recorded_by', 'anonymous_report_id', 'context_id', 'context_kind'] as const) {
    const v = value[key];
    if (isString(v) && v !== '') event[key] = v;
  }
  return event;
}

function parseContribution(value: unknown): Contribution | null {
  if (!isRecord(value)) return null;
  const { code, label, category, seen_on, points } = value;
  if (!isString(code) || !isString(label) || !isString(category) || !isString(seen_on)) return null;
  if (typeof points !== 'number') return null;
  return { code, label, category, seen_on, points };
}

export function parseScreening(value: unknown): Screening | null {
  if (!isRecord(value)) return null;
  const { score, scored_level, level, forced, final_level, reassess_by } = value;
  if (typeof score !== 'number' || !isString(scored_level) || !isString(level)) return null;
  if (!isStringArray(forced) || !isString(final_level) || !isString(reassess_by)) return null;
  const contributions = parseArray(value['contributions'], parseContribution);
  if (contributions === null) return null;
  const screening: Screening = { score, scored_level, level, forced, final_level, contributions, reassess_by };
  if (isString(value['at'])) screening.at = value['at'];
  if (isString(value['by'])) screening.by = value['by'];
  const override = value['override'];
  if (isRecord(override) && isString(override['level']) && isString(override['reason'])) {
    screening.override = { level: override['level'], reason: override['reason'] };
  }
  return screening;
}

export function parseCase(value: unknown): CaseBody | null {
  if (!isRecord(value)) return null;
  const child = value['child'];
  if (!isRecord(child)) return null;
  const name = text(child, 'name');
  const ref = text(child, 'ref');
  const dob = text(child, 'date_of_birth');
  if (name === null || ref === null || dob === null) return null;
  const id = text(value, 'id');
  const agency = text(value, 'agency_id');
  const stage = text(value, 'stage');
  const status = text(value, 'status');
  const opened = text(value, 'opened_at');
  const assignee = text(value, 'assignee_id');
  if (id === null || agency === null || stage === null || status === null || opened === null || assignee === null) {
    return null;
  }
  const regime = value['regime'];
  const concerns = value['concerns'] ?? [];
  const decisions = value['decisions'] ?? [];
  if (!isStringArray(concerns) || !isStringArray(decisions)) return null;
  const events = parseArray(value['events'] ?? [], parseCaseEvent);
  const screenings = parseArray(value['screenings'] ?? [], parseScreening);
  if (events === null || screenings === null) return null;
  const body: CaseBody = {
    id,
    child: { ref, name, date_of_birth: dob },
    agency_id: agency,
    regime: isString(regime) ? regime : null,
    stage,
    status,
    opened_at: opened,
    concerns,
    events,
    decisions,
    screenings,
    assignee_id: assignee,
  };
  if (isString(value['closed_on'])) body.closed_on = value['closed_on'];
  if (isString(value['outcome'])) body.outcome = value['outcome'];
  return body;
}

export function parseDecision(value: unknown): DecisionBody | null {
  if (!isRecord(value)) return null;
  const fields = ['id', 'case_id', 'kind', 'rationale', 'decided_on', 'stage', 'late_reason', 'proposed_by', 'proposed_at', 'status'] as const;
  const out: Record<string, string> = {};
  for (const key of fields) {
    const v = text(value, key);
    if (v === null) return null;
    out[key] = v;
  }
  const decision: DecisionBody = {
    id: out['id'] ?? '',
    case_id: out['case_id'] ?? '',
    kind: out['kind'] ?? '',
    rationale: out['rationale'] ?? '',
    decided_on: out['decided_on'] ?? '',
    stage: out['stage'] ?? '',
    late_reason: out['late_reason'] ?? '',
    proposed_by: out['proposed_by'] ?? '',
    proposed_at: out['proposed_at'] ?? '',
    status: out['status'] ?? '',
  };
  const signOff = value['sign_off'];
  if (isRecord(signOff)) {
    const by = text(signOff, 'by');
    const at = text(signOff, 'at');
    const verdict = text(signOff, 'verdict');
    const note = text(signOff, 'note');
    if (by !== null && at !== null && verdict !== null && note !== null) decision.sign_off = { by, at, verdict, note };
  }
  return decision;
}

export function parseConcernSummary(value: unknown): ConcernSummary | null {
  if (!isRecord(value)) return null;
  const channel = text(value, 'channel');
  const received = text(value, 'received_at');
  const narrative = text(value, 'narrative');
  if (channel === null || received === null || narrative === null) return null;
  const summary: ConcernSummary = { channel, received_at: received, narrative };
  if (isString(value['category']) && value['category'] !== '') summary.category = value['category'];
  if (isString(value['id']) && value['id'] !== '') summary.source_ref = value['id'];
  return summary;
}

function parseIndicator(value: unknown): Indicator | null {
  if (!isRecord(value)) return null;
  const { code, category, label } = value;
  if (!isString(code) || !isString(category) || !isString(label)) return null;
  return { code, category, label };
}

export function parseRiskTool(value: unknown): RiskTool | null {
  if (!isRecord(value)) return null;
  const { id, version, levels } = value;
  if (!isString(id) || typeof version !== 'number' || !isStringArray(levels)) return null;
  const indicators = parseArray(value['indicators'], parseIndicator);
  if (indicators === null) return null;
  return { id, version, levels, indicators };
}

export function parseIntakeResult(value: unknown): IntakeResult | null {
  if (!isRecord(value)) return null;
  const { concern_id, case_ids, new_case_ids, alert_ids } = value;
  if (!isString(concern_id) || !isStringArray(case_ids) || !isStringArray(new_case_ids) || !isStringArray(alert_ids)) {
    return null;
  }
  return { concern_id, case_ids, new_case_ids, alert_ids };
}

export function parseCreated(value: unknown): { id: string } | null {
  if (!isRecord(value) || !isString(value['id'])) return null;
  return { id: value['id'] };
}

function parseReportMessage(value: unknown): ReportMessage | null {
  if (!isRecord(value)) return null;
  const { from, at, text: body } = value;
  if ((from !== 'reporter' && from !== 'staff') || !isString(at) || !isString(body)) return null;
  return { from, at, text: body };
}

export function parseAnonymousReport(value: unknown): AnonymousReportBody | null {
  if (!isRecord(value)) return null;
  const reference = text(value, 'reference');
  const received = text(value, 'received_at');
  const messages = parseArray(value['messages'] ?? [], parseReportMessage);
  if (reference === null || received === null || messages === null) return null;
  return { reference, received_at: received, messages };
}

export function parseTask(value: unknown): TaskBody | null {
  if (!isRecord(value)) return null;
  const task: TaskBody = {};
  if (isString(value['completed_on']) && value['completed_on'] !== '') task.completed_on = value['completed_on'];
  if (isString(value['late_reason']) && value['late_reason'] !== '') task.late_reason = value['late_reason'];
  if (typeof value['working_days_late'] === 'number') task.working_days_late = value['working_days_late'];
  return task;
}

function parseColleague(value: unknown): Colleague | null {
  if (!isRecord(value)) return null;
  const { id, display_name, role } = value;
  if (!isString(id) || !isString(display_name) || !isString(role)) return null;
  const agency = value['agency'];
  let parsedAgency: Colleague['agency'] = null;
  if (isRecord(agency) && isString(agency['id']) && isString(agency['code']) && isString(agency['name'])) {
    parsedAgency = { id: agency['id'], code: agency['code'], name: agency['name'] };
  }
  return { id, display_name, role, agency: parsedAgency };
}

/** GET /api/v1/users: {items: [Colleague…]}. */
export function parseColleagues(value: unknown): Colleague[] | null {
  if (!isRecord(value)) return null;
  return parseArray(value['items'], parseColleague);
}

function parseCaseListItem(value: unknown): CaseListItem | null {
  if (!isRecord(value)) return null;
  const fields = ['case_id', 'stage', 'status', 'opened_at', 'updated_at'] as const;
  for (const key of fields) if (!isString(value[key])) return null;
  const label = text(value, 'label');
  if (label === null) return null;
  return {
    case_id: value['case_id'] as string,
    label,
    stage: value['stage'] as string,
    status: value['status'] as string,
    opened_at: value['opened_at'] as string,
    updated_at: value['updated_at'] as string,
  };
}

/** GET /api/v1/cases: {items: [CaseListItem…]}. */
export function parseCaseList(value: unknown): CaseListItem[] | null {
  if (!isRecord(value)) return null;
  return parseArray(value['items'], parseCaseListItem);
}

function parseLedgerEvent(value: unknown): LedgerEvent | null {
  if (!isRecord(value)) return null;
  const { seq, at, actor, operation, reason, recipient } = value;
  if (typeof seq !== 'number' || !isString(at) || !isString(actor) || !isString(operation)) return null;
  if (!isString(reason) || !isString(recipient)) return null;
  const event: LedgerEvent = { seq, at, actor, operation, reason, recipient };
  const name = value['actor_name'];
  const role = value['actor_role'];
  if (isString(name)) event.actor_name = name;
  if (isString(role)) event.actor_role = role;
  return event;
}

/** GET /api/v1/records/{id}/ledger: {items: [LedgerEvent…]}, oldest first. */
export function parseLedgerEvents(value: unknown): LedgerEvent[] | null {
  if (!isRecord(value)) return null;
  return parseArray(value['items'], parseLedgerEvent);
}
