// Lists of inbox work (tasks with their clocks, alerts, escalations, sign-offs) as used by My
// work and the MASH triage queue. Each item links to its case and says, in words, how long is
// left or how late it is; alerts and escalations can be acknowledged here with a note.

import { acknowledge, fetchCase } from './api/casework_api';
import type { WorkItem } from './api/casework_types';
import type { ApiClient } from './api/client';
import { h, replaceChildren, type Child } from './dom';
import { alertRuleLabel, decisionLabel, describeClock, formatDate, formatDateTime, taskLabel } from './format';
import { ErrorSummary, SubmitButton, problemMessage, textareaField } from './forms';

/**
 * The child's name for each item's case: the item's own label where the server sends one,
 * else the case fetched once per page (older servers). Unknown cases are left out.
 */
export async function caseNames(api: ApiClient, items: Iterable<WorkItem>): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const missing = new Set<string>();
  for (const item of items) {
    if (item.case_id === '') continue;
    // An empty label may mean only that the item was made without one: ask the case.
    if (item.label !== undefined && item.label !== '') names.set(item.case_id, item.label);
    else missing.add(item.case_id);
  }
  const ids = [...missing].filter((id) => !names.has(id));
  const results = await Promise.all(ids.map((id) => fetchCase(api, id, null)));
  results.forEach((result, i) => {
    if (result.ok) names.set(ids[i] as string, result.value.body.child.name || 'Unnamed child');
  });
  return names;
}

/** What a work item is, in words: "Referral decision", "Alert: …", "Escalated: …". */
export function workTitle(item: WorkItem): string {
  switch (item.kind) {
    case 'task':
      return taskLabel(item.subkind);
    case 'alert':
      // New information from an anonymous reporter reads as what it is, not as a rule.
      if (item.subkind === 'anonymous_report_update') return 'The anonymous reporter added information';
      return `Alert: ${alertRuleLabel(item.subkind)}`;
    case 'escalation':
      return `Escalated: ${taskLabel(item.subkind)} is overdue`;
    case 'sign_off':
      return `Sign-off: ${decisionLabel(item.subkind)}`;
    case 'audit_notice':
      return 'Break-glass access';
    default:
      return item.subkind.replace(/_/g, ' ');
  }
}

/** The deadline line: "Due 14 Mar 2026" and a badge such as "3 working days overdue". */
export function clockLine(due: string | null, workingDaysLeft: number | null): HTMLElement {
  const { text, clock } = describeClock(workingDaysLeft);
  if (due === null) return h('span', { class: 'clock clock--none' }, 'No deadline');
  return h(
    'span',
    { class: 'clock-line' },
    h('span', {}, `Due ${formatDate(due)}`),
    h('span', { class: `clock clock--${clock}` }, text),
  );
}

export interface WorkListOptions {
  api: ApiClient;
  items: readonly WorkItem[];
  names: ReadonlyMap<string, string>;
  /** Offer "Acknowledge" on alerts and escalations (managers and MASH coordinators), or on break-glass notices (auditors). */
  canAcknowledge: boolean;
  /** A short tag per item, such as "Managers' inbox"; none when it returns null. */
  tag?: (item: WorkItem) => string | null;
  /** Extra lines under an item (for example who proposed a decision). */
  extra?: (item: WorkItem) => Child;
  /** Called after an item was acknowledged, with a message to announce. */
  onChanged: (message: string) => void;
  /** Heading level for each item's title (one below the section's). */
  headingLevel?: 'h3' | 'h4';
}

export function workList(options: WorkListOptions): HTMLUListElement {
  return h('ul', { class: 'work-list' }, ...options.items.map((item) => workListItem(item, options)));
}

function workListItem(item: WorkItem, options: WorkListOptions): HTMLLIElement {
  const name = options.names.get(item.case_id);
  const title = workTitle(item);
  const heading = h(
    options.headingLevel ?? 'h3',
    { class: 'work-item__title' },
    item.case_id === ''
      ? title
      : h('a', { href: `/${item.subkind.startsWith('context_') ? 'contexts' : 'cases'}/${encodeURIComponent(item.case_id)}` }, title, h('span', { class: 'work-item__child' }, ` — ${name ?? 'open the case'}`)),
  );
  const tag = options.tag?.(item) ?? null;
  const overdue = item.working_days_left !== null && item.working_days_left < 0;
  const meta = h(
    'p',
    { class: 'work-item__meta' },
    item.kind === 'task' || item.kind === 'escalation'
      ? clockLine(item.due, item.working_days_left)
      : h('span', {}, `${item.kind === 'sign_off' ? 'Proposed' : 'Raised'} ${formatDateTime(item.updated_at)}`),
    tag === null ? null : h('span', { class: 'tag' }, tag),
  );
  const li = h('li', { class: `work-item${overdue ? ' work-item--overdue' : ''}` }, h('div', { class: 'work-item__main' }, heading, meta, options.extra?.(item) ?? null));
  if (options.canAcknowledge && (item.kind === 'alert' || item.kind === 'escalation' || item.kind === 'audit_notice')) {
    li.appendChild(acknowledgeControl(item, options));
  }
  return li;
}

// "Acknowledge" opens a small form under the item: a required note, then the request.
function acknowledgeControl(item: WorkItem, options: WorkListOptions): HTMLElement {
  const what = item.kind === 'alert' ? 'alert' : item.kind === 'audit_notice' ? 'notice' : 'escalation';
  const toggle = h('button', { type: 'button', class: 'button button--secondary button--small', 'aria-expanded': 'false' }, `Acknowledge ${what}`);
  const note = textareaField({
    label: 'Acknowledgement note',
    hint: 'Say what you have done or decided about it. The note is kept with the record.',
    rows: 3,
    maxlength: 4000,
  });
  const summary = new ErrorSummary();
  const submit = new SubmitButton(`Acknowledge ${what}`, 'Acknowledging…');
  const cancel = h('button', { type: 'button', class: 'button button--link' }, 'Cancel');
  const form = h('form', { id: `ack-${item.id}`, class: 'inline-form', novalidate: true, hidden: true }, summary.element, note.element, h('div', { class: 'form-actions' }, submit.element, cancel));
  toggle.setAttribute('aria-controls', form.id);

  const open = (show: boolean): void => {
    form.hidden = !show;
    toggle.setAttribute('aria-expanded', String(show));
    if (show) note.control.focus();
    else toggle.focus();
  };
  toggle.addEventListener('click', () => open(form.hidden));
  cancel.addEventListener('click', () => open(false));

  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    const text = note.control.value.trim();
    if (text === '') {
      note.setError('Enter a note saying how you have dealt with it');
      summary.show([{ message: 'Enter a note saying how you have dealt with it', control: note.control }]);
      note.control.focus();
      return;
    }
    note.setError(null);
    summary.clear();
    busy = true;
    submit.setBusy(true);
    void acknowledge(options.api, item.id, text).then((result) => {
      busy = false;
      submit.setBusy(false);
      if (result.ok) {
        options.onChanged(`${workTitle(item)} acknowledged.`);
        return;
      }
      const message = problemMessage(result.problem);
      if (result.problem.field === 'note') note.setError(message);
      summary.show([{ message, control: note.control }]);
      summary.element.focus();
    });
  });
  return h('div', { class: 'work-item__actions' }, toggle, form);
}

/** The text shown when a list is empty, inside a dashed panel. */
export function emptyState(title: string, text: string): HTMLElement {
  return h('div', { class: 'empty-state empty-state--compact' }, h('h3', { class: 'empty-state__title' }, title), h('p', { class: 'empty-state__text' }, text));
}

/** A section with a heading, an optional count, and its body. */
export function section(id: string, title: string, count: number | null, ...body: Child[]): HTMLElement {
  const heading = h('h2', { id, class: 'section__title' }, title, count === null ? null : h('span', { class: 'count' }, ` (${count})`));
  const el = h('section', { class: 'section', 'aria-labelledby': id }, heading);
  for (const child of body) if (child) el.append(child);
  return el;
}

/** Replaces `target` with a loading message or an error from the API. */
export function loadError(target: HTMLElement, message: string): void {
  replaceChildren(target, h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, message)));
}
