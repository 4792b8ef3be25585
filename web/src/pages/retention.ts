// /retention — retention review for managers (docs/retention.md). It lists the records whose
// review falls due on or before a date (today by default, ?on=YYYY-MM-DD to look ahead): the
// group, the review date, the record's kind and id, its agency and the last decision. For each,
// a manager decides: retain, with a reason and the next review date, or erase, which is
// irreversible and is confirmed in a dialog naming the record first. The policy's review
// groups are listed below. The page names records by id only: the list holds no personal data.

import type { Agency } from '../api/types';
import { fetchAgencies } from '../api/casework_api';
import {
  decideRetention,
  fetchRetentionDue,
  fetchRetentionPolicy,
  type Disposal,
  type RetentionGroup,
  type RetentionPolicy,
  type RetentionStatus,
} from '../api/retention_api';
import { h, replaceChildren } from '../dom';
import { formatDate } from '../format';
import { ErrorSummary, SubmitButton, confirmAction, fieldMessage, inputField, problemMessage, radioGroup, textareaField, type Field, type FieldError } from '../forms';
import type { PageView, SignedInContext } from '../page';
import { People } from '../people';
import { canSignOff } from '../roles';
import { emptyState, loadError, section } from '../work_list';

// The most records the page lists at once; the API allows up to 1,000.
const kLimit = 200;

const kKindLabels: Record<string, string> = { concern: 'Concern', case: 'Case', anonymous_report: 'Anonymous report' };

function kindLabel(kind: string): string {
  return kKindLabels[kind] ?? kind.replace(/_/g, ' ');
}

/** "Concern naming suspect" for "concern_naming_suspect". */
function groupName(id: string): string {
  const text = id.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

function conditions(group: RetentionGroup): string {
  const parts = Object.entries(group.when).map(([k, v]) => `${k.replace(/_/g, ' ')}: ${v.replace(/_/g, ' ')}`);
  return parts.length === 0 ? 'Any' : parts.join('; ');
}

export async function retentionPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Retention review';
  const { api } = ctx.app;
  const role = ctx.session.user.role;
  const content = h('div', { class: 'page retention-page' }, h('h1', {}, title));
  // Auditors may read the policy; only managers list and decide reviews.
  if (!canSignOff(role) && role !== 'auditor') {
    content.append(h('p', {}, 'Retention review is for managers.'));
    return { title, content };
  }
  const onParam = ctx.query.get('on') ?? '';
  const on = isDate(onParam) ? onParam : null;

  const manager = canSignOff(role);
  const [policy, due, agencies, people] = await Promise.all([
    fetchRetentionPolicy(api),
    manager ? fetchRetentionDue(api, on, kLimit) : Promise.resolve(null),
    manager ? fetchAgencies(api) : Promise.resolve(null),
    manager ? People.load(api, ctx.session.user.id) : Promise.resolve(null),
  ]);
  const policyValue = policy.ok ? policy.value : null;

  if (manager && due !== null && people !== null) {
    content.append(
      h('p', { class: 'lede' }, 'Records whose review has fallen due. Keep each one that is still needed, saying why, or erase it. Erasure blanks the record’s content and its ledger entries for good.'),
    );
    const agencyNames = new Map<string, string>((agencies?.ok === true ? agencies.value : []).map((a: Agency) => [a.id, a.name]));
    const status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });
    content.append(dueForm(ctx, due.ok ? due.value.on : (on ?? '')), status);
    if (!due.ok) {
      const el = h('div', {});
      loadError(el, `The reviews due could not be loaded: ${problemMessage(due.problem)}`);
      content.append(el);
    } else {
      const view = new DueList(ctx, due.value.on, due.value.items, policyValue, agencyNames, people, status);
      content.append(view.element);
    }
  }
  content.append(policySection(policy.ok ? policy.value : null, policy.ok ? null : problemMessage(policy.problem)));
  return { title, content };
}

function dueForm(ctx: SignedInContext, on: string): HTMLElement {
  const date = inputField({ label: 'Due on or before', type: 'date', value: on, hint: 'Today by default. Choose a later date to see what falls due next; only reviews already due can be erased.' });
  const form = h(
    'form',
    { class: 'filter-form', novalidate: true, 'aria-label': 'Reviews due by date' },
    date.element,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button--secondary' }, 'Show reviews due')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = date.control.value;
    if (value !== '' && !isDate(value)) {
      date.setError('Enter a date such as 2026-12-01');
      date.control.focus();
      return;
    }
    ctx.app.navigate(value === '' ? '/retention' : `/retention?${new URLSearchParams({ on: value }).toString()}`);
  });
  return form;
}

/** The table of reviews due and, under it, the decision form for the record chosen. */
class DueList {
  readonly element: HTMLElement;
  private readonly ctx: SignedInContext;
  private readonly on: string;
  private items: RetentionStatus[];
  private readonly policy: RetentionPolicy | null;
  private readonly agencyNames: ReadonlyMap<string, string>;
  private readonly people: People;
  private readonly status: HTMLElement;
  private readonly decision = h('div', { class: 'retention-decision' });
  private readonly rows = h('tbody');

  constructor(
    ctx: SignedInContext,
    on: string,
    items: readonly RetentionStatus[],
    policy: RetentionPolicy | null,
    agencyNames: ReadonlyMap<string, string>,
    people: People,
    status: HTMLElement,
  ) {
    this.ctx = ctx;
    this.on = on;
    this.items = [...items];
    this.policy = policy;
    this.agencyNames = agencyNames;
    this.people = people;
    this.status = status;
    this.element = h('div', {});
    this.render();
  }

  private agency(id: string): string {
    return this.agencyNames.get(id) ?? `Agency ${id.slice(-6)}`;
  }

  private lastDecision(item: RetentionStatus): string {
    const d = item.lastDecision;
    if (d === null) return 'None';
    return `${d.decision === 'retain' ? 'Retained' : 'Erased'} on ${formatDate(d.decidedOn)} by ${this.people.name(d.decidedBy)}`;
  }

  private recordCell(item: RetentionStatus): HTMLElement {
    const label = h('span', {}, `${kindLabel(item.kind)} `, h('code', { class: 'mono' }, item.recordId));
    if (item.kind !== 'case') return h('span', {}, label);
    return h('a', { href: `/cases/${encodeURIComponent(item.recordId)}` }, label);
  }

  private render(): void {
    const count = this.items.length;
    replaceChildren(
      this.rows,
      ...this.items.map((item) => {
        const button = h('button', { type: 'button', class: 'button button--secondary button--small', 'aria-label': `Review ${kindLabel(item.kind).toLowerCase()} ${item.recordId}` }, 'Review');
        button.addEventListener('click', () => this.open(item));
        return h(
          'tr',
          { 'data-record': item.recordId },
          h('td', {}, groupName(item.group)),
          h('td', {}, formatDate(item.reviewOn)),
          h('th', { scope: 'row' }, this.recordCell(item)),
          h('td', {}, this.agency(item.agencyId)),
          h('td', {}, formatDate(item.lastActivityOn)),
          h('td', {}, this.lastDecision(item)),
          h('td', {}, button),
        );
      }),
    );
    replaceChildren(
      this.element,
      section(
        'due-heading',
        `Reviews due on or before ${formatDate(this.on)}`,
        count,
        count === 0
          ? emptyState('No reviews due', 'Records you have a need to know whose review falls due by this date will appear here, earliest first.')
          : h(
              'div',
              { class: 'table-wrap' },
              h(
                'table',
                { class: 'table retention-table' },
                h('caption', { class: 'visually-hidden' }, 'Records due for retention review, earliest first'),
                h('thead', {}, h('tr', {}, ...['Group', 'Review due', 'Record', 'Agency', 'Last activity', 'Last decision', 'Action'].map((c) => h('th', { scope: 'col' }, c)))),
                this.rows,
              ),
            ),
        count === kLimit ? h('p', { class: 'hint-text' }, `Showing the first ${kLimit}. Decide these to see more.`) : null,
      ),
      this.decision,
    );
  }

  private group(id: string): RetentionGroup | undefined {
    return this.policy?.groups.find((g) => g.id === id);
  }

  /** Shows the decision form for `item` under the table and moves focus to its heading. */
  private open(item: RetentionStatus): void {
    const name = `${kindLabel(item.kind)} ${item.recordId}`;
    const group = this.group(item.group);
    const heading = h('h2', { id: 'decision-heading', class: 'section__title', tabindex: '-1' }, `Review: ${name}`);
    const summary = new ErrorSummary();
    const choice = radioGroup('Decision', `retention-${item.recordId}`, [
      { value: 'retain', label: 'Retain: it is still needed' },
      { value: 'erase', label: 'Erase: it is no longer needed (cannot be undone)' },
    ]);
    const reason = textareaField({ label: 'Reason', hint: 'Why it is still needed, or why it can go. Name nobody: the reason is kept after an erasure.', rows: 3, maxlength: 1000 });
    const years = group?.reviewAfterYears;
    const nextReview = inputField({
      label: 'Next review',
      type: 'date',
      optional: true,
      hint: years === undefined ? 'Leave blank for the group’s period from today.' : `Leave blank for ${years} years from today, the group’s period; no later than that.`,
    });
    const nextWrap = h('div', { class: 'conditional', hidden: true }, nextReview.element);
    for (const input of choice.inputs) input.addEventListener('change', () => (nextWrap.hidden = choice.value() !== 'retain'));
    const submit = new SubmitButton('Record the decision', 'Recording…');
    const cancel = h('button', { type: 'button', class: 'button button--link' }, 'Cancel');
    const form = h('form', { class: 'inline-form', novalidate: true, 'aria-labelledby': 'decision-heading' }, summary.element, choice.element, nextWrap, reason.element, h('div', { class: 'form-actions' }, submit.element, cancel));
    cancel.addEventListener('click', () => {
      replaceChildren(this.decision);
      this.rows.querySelector<HTMLButtonElement>(`tr[data-record="${CSS.escape(item.recordId)}"] button`)?.focus();
    });

    let busy = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (busy) return;
      const errors: FieldError[] = [];
      const disposal = choice.value();
      const text = reason.control.value.trim();
      choice.setError(null);
      reason.setError(null);
      nextReview.setError(null);
      if (disposal !== 'retain' && disposal !== 'erase') {
        choice.setError('Choose retain or erase');
        errors.push({ message: 'Choose retain or erase', control: choice.inputs[0] as HTMLInputElement });
      }
      if (text === '') {
        reason.setError('Enter the reason for the decision');
        errors.push({ message: 'Enter the reason for the decision', control: reason.control });
      }
      const next = disposal === 'retain' && nextReview.control.value !== '' ? nextReview.control.value : null;
      if (next !== null && !isDate(next)) {
        nextReview.setError('Enter the next review as a date');
        errors.push({ message: 'Enter the next review as a date', control: nextReview.control });
      }
      if (errors.length > 0) {
        summary.show(errors);
        summary.element.focus();
        return;
      }
      busy = true;
      void this.decide(item, name, disposal as Disposal, text, next, { submit, summary, fields: { reason, next_review_on: nextReview } }).then(() => (busy = false));
    });

    replaceChildren(
      this.decision,
      h(
        'section',
        { class: 'section panel', 'aria-labelledby': 'decision-heading' },
        heading,
        h(
          'dl',
          { class: 'facts facts--compact' },
          h('dt', {}, 'Group'),
          h('dd', {}, group === undefined ? groupName(item.group) : `${groupName(item.group)}: ${group.description}`),
          h('dt', {}, 'Agency'),
          h('dd', {}, this.agency(item.agencyId)),
          h('dt', {}, 'Last activity'),
          h('dd', {}, formatDate(item.lastActivityOn)),
          h('dt', {}, 'Review due'),
          h('dd', {}, formatDate(item.reviewOn)),
        ),
        form,
      ),
    );
    heading.focus();
  }

  /** Sends the decision, after confirming an erasure, and shows what happened. */
  private async decide(
    item: RetentionStatus,
    name: string,
    disposal: Disposal,
    reason: string,
    nextReviewOn: string | null,
    form: { submit: SubmitButton; summary: ErrorSummary; fields: Record<string, Field> },
  ): Promise<void> {
    if (disposal === 'erase') {
      const ok = await confirmAction({
        title: `Erase ${name}?`,
        body: [
          `${kindLabel(item.kind)} ${item.recordId} from ${this.agency(item.agencyId)}, in the group “${groupName(item.group)}”, review due ${formatDate(item.reviewOn)}.`,
          item.kind === 'case'
            ? 'Every version of the case is blanked, with its decisions, tasks, alerts and escalations, and the ledger entries that name them. Its concerns are reviewed on their own.'
            : 'Every version of the record is blanked, and the ledger entries that name it. Cases it joined are reviewed on their own.',
          'Only the fact that it existed and was erased, by you and why, is kept. This cannot be undone.',
        ],
        confirmLabel: `Erase ${kindLabel(item.kind).toLowerCase()}`,
      });
      if (!ok) return;
    }
    form.submit.setBusy(true);
    const result = await decideRetention(this.ctx.app.api, item.recordId, { disposal, reason, nextReviewOn });
    form.submit.setBusy(false);
    if (!result.ok) {
      const detail = problemMessage(result.problem);
      const field = result.problem.field === undefined ? undefined : form.fields[result.problem.field];
      if (field !== undefined) {
        const message = fieldMessage(field.label, detail);
        field.setError(message);
        form.summary.show([{ message, control: field.control }], 'The decision was not recorded');
      } else {
        form.summary.show([{ message: detail }], 'The decision was not recorded');
      }
      form.summary.element.focus();
      return;
    }
    const after = result.value;
    const message =
      disposal === 'erase'
        ? `${name} was erased.`
        : `${name} was retained; its next review is due on ${formatDate(after.reviewOn)}.`;
    // A retained record drops off the list unless its new review still falls due by `on`.
    this.items = this.items.filter((i) => i.recordId !== item.recordId);
    if (disposal === 'retain' && after.reviewOn <= this.on) this.items.push(after);
    this.render();
    replaceChildren(this.status, h('p', { class: 'notice notice--success' }, message));
    this.status.focus();
  }
}

function policySection(policy: RetentionPolicy | null, error: string | null): HTMLElement {
  if (policy === null) {
    const el = h('div', {});
    loadError(el, `The retention policy could not be loaded: ${error ?? ''}`);
    return section('policy-heading', 'Review groups', null, el);
  }
  return section(
    'policy-heading',
    'Review groups',
    policy.groups.length,
    h('p', { class: 'hint-text' }, `Policy ${policy.id}, version ${policy.version}, in force from ${formatDate(policy.effectiveFrom)}. A record belongs to the first group, in this order, that covers it; its review falls due the group’s period after its last activity.`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table retention-groups' },
        h('caption', { class: 'visually-hidden' }, 'Retention review groups, in the order they are tried'),
        h('thead', {}, h('tr', {}, ...['Group', 'What it holds', 'Records', 'Conditions', 'Review after', 'Why this period'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          ...policy.groups.map((g) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, groupName(g.id)),
              h('td', {}, g.description),
              h('td', {}, g.kinds.map(kindLabel).join(', ')),
              h('td', {}, conditions(g)),
              h('td', { class: 'num' }, `${g.reviewAfterYears} ${g.reviewAfterYears === 1 ? 'year' : 'years'}`),
              h('td', {}, g.source),
            ),
          ),
        ),
      ),
    ),
  );
}
