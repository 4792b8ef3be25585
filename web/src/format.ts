// How casework values read to people: dates, deadlines in working days, and the names of
// stages, tasks, decisions, alert rules and risk levels. The server does all working-day
// arithmetic; this file only words the numbers it sends.

const kDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const kDateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

/** "14 Mar 2026" for a YYYY-MM-DD date (a calendar date: no time zone shifts it). */
export function formatDate(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? iso : kDate.format(date);
}

/** "14 Mar 2026, 10:22" in UK time for an RFC 3339 instant. */
export function formatDateTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? rfc3339 : kDateTime.format(date);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Today's date on this computer as YYYY-MM-DD (the default for "decided on", "held on"). */
export function todayIso(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A value for <input type="datetime-local"> (local time, to the minute) from an instant. */
export function toLocalInput(date: Date): string {
  return `${todayIso(date)}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The RFC 3339 instant (UTC) of a datetime-local value, or null if it is not one. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export type Clock = 'overdue' | 'today' | 'soon' | 'later' | 'none';

/**
 * The deadline in words, from the server's working days left: "3 working days overdue",
 * "due today", "due in 2 working days"; and how urgent it is, for styling.
 */
export function describeClock(workingDaysLeft: number | null): { text: string; clock: Clock } {
  if (workingDaysLeft === null) return { text: 'no deadline', clock: 'none' };
  if (workingDaysLeft < 0) return { text: `${plural(-workingDaysLeft, 'working day', 'working days')} overdue`, clock: 'overdue' };
  if (workingDaysLeft === 0) return { text: 'due today', clock: 'today' };
  return { text: `due in ${plural(workingDaysLeft, 'working day', 'working days')}`, clock: workingDaysLeft <= 2 ? 'soon' : 'later' };
}

function lookup(table: Record<string, string>, code: string): string {
  return table[code] ?? code.replace(/_/g, ' ');
}

const kStages: Record<string, string> = {
  referral_decision: 'Referral decision',
  assessment: 'Assessment',
  section_47: 'Section 47 enquiry',
  plan: 'Child protection plan',
  closed: 'Closed',
};

export function stageLabel(stage: string): string {
  return lookup(kStages, stage);
}

const kRegimes: Record<string, string> = {
  working_together_2013: 'Working Together 2013 onwards',
  pre_2013: 'Pre-2013 (initial and core assessments)',
};

export function regimeLabel(regime: string | null): string {
  return regime === null || regime === '' ? 'No regime' : lookup(kRegimes, regime);
}

const kTasks: Record<string, string> = {
  referral_decision: 'Referral decision',
  assessment: 'Assessment',
  initial_assessment: 'Initial assessment',
  core_assessment: 'Core assessment',
  initial_conference: 'Initial child protection conference',
  first_review_conference: 'First review conference',
  review_conference: 'Review conference',
  context_intervention: 'Context intervention',
};

export function taskLabel(task: string): string {
  return lookup(kTasks, task);
}

const kDecisions: Record<string, string> = {
  accept: 'Accept the referral',
  nfa: 'No further action',
  step_down: 'Step down',
  close: 'Close the case',
  context_close: 'Close the context case',
};

export function decisionLabel(kind: string): string {
  return lookup(kDecisions, kind);
}

const kDecisionStatus: Record<string, string> = {
  effective: 'In effect',
  proposed: 'Waiting for sign-off',
  signed_off: 'Signed off',
  refused: 'Refused at sign-off',
};

export function decisionStatusLabel(status: string): string {
  return lookup(kDecisionStatus, status);
}

const kAlertRules: Record<string, string> = {
  repeat_concern_7_days: 'Repeat concerns within 7 days',
  repeat_concern_no_strategy: 'Repeat concerns, no strategy discussion',
  person_linked_to_children: 'Person linked to several children',
  repeat_missing: 'Repeated missing episodes',
  anonymous_report_update: 'The anonymous reporter added information',
  network_linked_to_children: 'Linked to several children',
};

export function alertRuleLabel(rule: string): string {
  return lookup(kAlertRules, rule);
}

const kMeetings: Record<string, string> = {
  strategy_discussion: 'Strategy discussion',
  initial_conference: 'Initial child protection conference',
  review_conference: 'Review conference',
};

export function meetingLabel(kind: string): string {
  return lookup(kMeetings, kind);
}

const kLevels: Record<string, string> = {
  not_at_risk: 'Not at risk',
  mild: 'Mild',
  moderate: 'Moderate',
  significant: 'Significant',
};

export function levelLabel(level: string): string {
  return lookup(kLevels, level);
}

const kCategories: Record<string, string> = {
  vulnerability: 'Vulnerability',
  moderate: 'Moderate indicator',
  significant: 'Significant indicator',
};

export function indicatorCategoryLabel(category: string): string {
  return lookup(kCategories, category);
}

const kChannels: Record<string, string> = {
  phone: 'Phone',
  email: 'Email',
  in_person: 'In person',
  online_form: 'Online form',
  anonymous: 'Anonymous report',
  letter: 'Letter',
  import: 'Bulk import',
};

export function channelLabel(channel: string): string {
  return lookup(kChannels, channel);
}

// DPA 2018 s.62: the operations a ledger event records.
const kOperations: Record<string, string> = {
  collection: 'Recorded',
  alteration: 'Changed',
  consultation: 'Looked at',
  disclosure: 'Disclosed',
  combination: 'Combined with other records',
  erasure: 'Erased',
};

export function operationLabel(operation: string): string {
  return lookup(kOperations, operation);
}

const kReasons: Record<string, string> = {
  referral: 'Referral',
  bulk_import: 'Bulk import of records',
  case_work: 'Case work',
  risk_screening: 'Risk screening',
  alert_review: 'Alert review',
  escalation: 'Escalation of overdue work',
  audit_review: 'Review of who saw the record',
};

export function reasonLabel(reason: string): string {
  return lookup(kReasons, reason);
}

/** A short, stable form of a long id for people to read ("…9f3a2c"). */
export function shortId(id: string): string {
  return id.length > 8 ? `…${id.slice(-6)}` : id;
}
