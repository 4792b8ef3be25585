// /cases/:id: one child's case. The child, stage and regime; open work with its deadline in
// working days; the actions the stage allows (the referral decision, meetings, closure);
// decisions with their sign-off; the latest risk screening and the indicators behind it; a
// timeline of what happened; and, for reviewers, the case "as known at" an earlier time
// (?as_of=RFC 3339), when every action is off.

import {
  completeTask,
  fetchAgencies,
  fetchCase,
  fetchConcern,
  fetchDecision,
  fetchInbox,
  fetchRiskTool,
  proposeDecision,
  recordMeeting,
  screenRisk,
  signOffDecision,
  type DecisionRequest,
  type MeetingKind,
} from '../api/casework_api';
import type { CaseBody, ConcernSummary, DecisionBody, RecordVersion, Screening, WorkItem } from '../api/casework_types';
import type { Problem } from '../api/types';
import { h, replaceChildren, type Child } from '../dom';
import {
  channelLabel,
  decisionLabel,
  decisionStatusLabel,
  formatDate,
  formatDateTime,
  fromLocalInput,
  indicatorCategoryLabel,
  levelLabel,
  meetingLabel,
  regimeLabel,
  shortId,
  stageLabel,
  taskLabel,
  toLocalInput,
  todayIso,
} from '../format';
import {
  ErrorSummary,
  SubmitButton,
  confirmAction,
  fieldMessage,
  inputField,
  problemMessage,
  radioGroup,
  selectField,
  textareaField,
  type Field,
  type FieldError,
} from '../forms';
import type { PageView, SignedInContext } from '../page';
import { canSignOff, canWorkCases } from '../roles';
import { clockLine, section } from '../work_list';

/** Everything the page shows, fetched together. */
interface CaseData {
  record: RecordVersion<CaseBody>;
  decisions: Array<RecordVersion<DecisionBody>>;
  concerns: Map<string, ConcernSummary>;
  /** Open tasks; null when viewing an earlier time (the inbox has no "as of"). */
  tasks: WorkItem[] | null;
  agencyName: string | null;
  levels: string[];
}

export async function casePage(ctx: SignedInContext): Promise<PageView> {
  const id = ctx.params['id'] ?? '';
  const asOfParam = ctx.query.get('as_of');
  const asOf = asOfParam !== null && !Number.isNaN(new Date(asOfParam).getTime()) ? asOfParam : null;
  const view = new CaseView(ctx, id, asOf);
  await view.load(null);
  return { title: asOf === null ? `Case ${shortId(id)}` : `Case ${shortId(id)} as known at ${formatDateTime(asOf)}`, content: view.element };
}

class CaseView {
  readonly element = h('div', { class: 'page case' });
  private readonly ctx: SignedInContext;
  private readonly id: string;
  private readonly asOf: string | null;
  // Announces what an action did; focus moves here after the page is rebuilt.
  private readonly status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });

  constructor(ctx: SignedInContext, id: string, asOf: string | null) {
    this.ctx = ctx;
    this.id = id;
    this.asOf = asOf;
  }

  private get me(): string {
    return this.ctx.session.user.id;
  }

  /** Fetches the case and everything around it, and rebuilds the page; `message` is announced. */
  async load(message: string | null): Promise<void> {
    const data = await this.fetch();
    if (!data.ok) {
      this.renderProblem(data.problem);
      return;
    }
    this.render(data.value);
    replaceChildren(this.status, message === null ? null : h('p', { class: 'notice notice--success' }, message));
    if (message !== null) this.status.focus();
  }

  private async fetch(): Promise<{ ok: true; value: CaseData } | { ok: false; problem: Problem }> {
    const { api } = this.ctx.app;
    const live = this.asOf === null;
    const [record, tasks, agencies, tool] = await Promise.all([
      fetchCase(api, this.id, this.asOf),
      live ? fetchInbox(api, { inbox: 'all', kind: 'task', caseId: this.id }) : Promise.resolve(null),
      fetchAgencies(api),
      live && canWorkCases(this.ctx.session.user.role) ? fetchRiskTool(api) : Promise.resolve(null),
    ]);
    if (!record.ok) return record;
    if (tasks !== null && !tasks.ok) return tasks;
    const body = record.value.body;
    const [decisions, concerns] = await Promise.all([
      Promise.all(body.decisions.map((d) => fetchDecision(api, d, this.asOf))),
      Promise.all(body.concerns.map((c) => fetchConcern(api, c, this.asOf))),
    ]);
    const failed = decisions.find((d) => !d.ok);
    if (failed !== undefined && !failed.ok) return failed;
    const concernMap = new Map<string, ConcernSummary>();
    concerns.forEach((c, i) => {
      if (c.ok) concernMap.set(body.concerns[i] as string, c.value.body);
    });
    return {
      ok: true,
      value: {
        record: record.value,
        decisions: decisions.flatMap((d) => (d.ok ? [d.value] : [])),
        concerns: concernMap,
        tasks: tasks === null ? null : tasks.value,
        agencyName: agencies.ok ? (agencies.value.find((a) => a.id === body.agency_id)?.name ?? null) : null,
        levels: tool !== null && tool.ok ? tool.value.levels : [],
      },
    };
  }

  private renderProblem(problem: Problem): void {
    let title = 'This case cannot be shown';
    let text = problemMessage(problem);
    if (problem.status === 404 && this.asOf !== null) {
      title = 'The case did not exist yet';
      text = `Nothing was known about this case at ${formatDateTime(this.asOf)}.`;
    } else if (problem.status === 404) {
      title = 'Case not found';
      text = 'Check the address, or find the case from My work or the MASH triage queue.';
    }
    replaceChildren(
      this.element,
      h('h1', {}, title),
      h('p', {}, text),
      this.asOf === null ? h('p', {}, h('a', { href: '/' }, 'Back to My work')) : h('p', {}, h('a', { href: `/cases/${encodeURIComponent(this.id)}` }, 'Show the case as it is now')),
    );
  }

  private render(data: CaseData): void {
    const kase = data.record.body;
    const live = this.asOf === null;
    const actionable = live && kase.status === 'open' && canWorkCases(this.ctx.session.user.role);
    replaceChildren(
      this.element,
      this.header(data),
      this.asOfBanner(data),
      this.status,
      h(
        'div',
        { class: 'case-grid' },
        h(
          'div',
          { class: 'case-grid__main' },
          this.deadlines(data, actionable),
          actionable ? this.actions(data) : null,
          this.decisionsSection(data),
          this.timeline(data),
        ),
        h('div', { class: 'case-grid__side' }, this.screeningSection(data, actionable), this.asOfControl()),
      ),
    );
  }

  // ---- Header ----------------------------------------------------------------------------

  private header(data: CaseData): HTMLElement {
    const kase = data.record.body;
    const fact = (term: string, value: Child): HTMLElement[] => [h('div', { class: 'facts__item' }, h('dt', {}, term), h('dd', {}, value))];
    const dob = kase.child.date_of_birth;
    return h(
      'header',
      { class: 'case-header' },
      h('p', { class: 'case-header__kicker' }, `Case ${shortId(kase.id)}`),
      h('h1', { class: 'case-header__name' }, kase.child.name || 'Unnamed child'),
      h(
        'dl',
        { class: 'facts facts--inline' },
        // Recorded dates of birth may be partial ("2011") or in an agency's own format.
        ...fact('Date of birth', dob === '' ? 'Not recorded' : formatDate(dob)),
        ...fact('Stage', h('span', { class: `stage stage--${kase.stage}` }, stageLabel(kase.stage))),
        ...fact('Regime', regimeLabel(kase.regime)),
        ...fact('Opened', formatDateTime(kase.opened_at)),
        ...(kase.status === 'closed' ? fact('Closed', `${kase.closed_on === undefined ? '' : formatDate(kase.closed_on)}${kase.outcome === undefined ? '' : ` (${decisionLabel(kase.outcome)})`}`) : []),
        ...fact('Agency', data.agencyName ?? 'Unknown agency'),
      ),
    );
  }

  private asOfBanner(data: CaseData): HTMLElement | null {
    if (this.asOf === null) return null;
    return h(
      'div',
      { class: 'notice notice--history' },
      h('p', {}, h('strong', {}, `As known at ${formatDateTime(this.asOf)}. `), `This is version ${data.record.version} of the case, recorded ${formatDateTime(data.record.recorded_at)}. Nothing can be changed from this view.`),
      h('p', {}, h('a', { href: `/cases/${encodeURIComponent(this.id)}` }, 'Show the case as it is now')),
    );
  }

  private asOfControl(): HTMLElement {
    const input = inputField({
      label: 'Show the case as it was known at',
      type: 'datetime-local',
      step: '1',
      value: this.asOf === null ? '' : toLocalInput(new Date(this.asOf)),
      hint: 'A date and time in UK time. Reviewers use this to see what was known when decisions were made.',
    });
    const summary = new ErrorSummary();
    const form = h('form', { class: 'as-of-form', novalidate: true }, summary.element, input.element, h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button--secondary' }, 'Show as known then')));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const at = fromLocalInput(input.control.value);
      if (at === null) {
        input.setError('Enter a date and time');
        input.control.focus();
        return;
      }
      this.ctx.app.navigate(`/cases/${encodeURIComponent(this.id)}?${new URLSearchParams({ as_of: at }).toString()}`);
    });
    return section('as-of-heading', 'History', null, form);
  }

  // ---- Deadlines -------------------------------------------------------------------------

  private deadlines(data: CaseData, actionable: boolean): HTMLElement {
    if (data.tasks === null) {
      return section('deadlines-heading', 'Open work', null, h('p', { class: 'hint-text' }, 'Open work and its deadlines are shown for the case as it is now only.'));
    }
    const tasks = data.tasks;
    if (tasks.length === 0) {
      return section('deadlines-heading', 'Open work', 0, h('p', { class: 'hint-text' }, data.record.body.status === 'closed' ? 'The case is closed: no open work.' : 'No open tasks.'));
    }
    return section(
      'deadlines-heading',
      'Open work',
      tasks.length,
      h(
        'ul',
        { class: 'task-list' },
        ...tasks.map((task) => {
          const overdue = task.working_days_left !== null && task.working_days_left < 0;
          return h(
            'li',
            { class: `task${overdue ? ' task--overdue' : ''}` },
            h('h3', { class: 'task__title' }, taskLabel(task.subkind)),
            h('p', { class: 'task__meta' }, clockLine(task.due, task.working_days_left), h('span', { class: 'task__owner' }, ownerText(task, this.me))),
            actionable && isCompletable(task.subkind) ? this.completeControl(task) : null,
          );
        }),
      ),
    );
  }

  // Assessments end when the practitioner marks them done; other tasks end with the
  // decision or meeting that answers them.
  private completeControl(task: WorkItem): HTMLElement {
    const doneOn = inputField({ label: 'Done on', type: 'date', value: todayIso(), max: todayIso() });
    const late = textareaField({ label: 'Why it was late', rows: 2, hint: `It was due on ${task.due === null ? '' : formatDate(task.due)}.` });
    const summary = new ErrorSummary();
    const submit = new SubmitButton(`Mark ${taskLabel(task.subkind).toLowerCase()} done`, 'Saving…', 'secondary');
    const syncLate = (): void => {
      late.element.hidden = !isAfter(doneOn.control.value, task.due);
    };
    doneOn.control.addEventListener('input', syncLate);
    syncLate();
    const form = h('form', { class: 'inline-form', novalidate: true, hidden: true, id: `complete-${task.id}` }, summary.element, h('div', { class: 'field-row field-row--2' }, doneOn.element), late.element, h('div', { class: 'form-actions' }, submit.element));
    const toggle = h('button', { type: 'button', class: 'button button--secondary button--small', 'aria-expanded': 'false', 'aria-controls': form.id }, 'Mark as done…');
    toggle.addEventListener('click', () => {
      form.hidden = !form.hidden;
      toggle.setAttribute('aria-expanded', String(!form.hidden));
      if (!form.hidden) doneOn.control.focus();
    });
    this.handle(form, submit, summary, { done_on: doneOn, late_reason: late }, () => {
      const errors: FieldError[] = [];
      if (doneOn.control.value === '') errors.push(required(doneOn, 'Enter the date it was done'));
      if (!late.element.hidden && late.control.value.trim() === '') errors.push(required(late, 'Say why it was done late'));
      if (errors.length > 0) return errors;
      return async () => {
        const r = await completeTask(this.ctx.app.api, task.id, doneOn.control.value, late.element.hidden ? '' : late.control.value.trim());
        return r.ok ? { ok: true, message: `${taskLabel(task.subkind)} marked done.` } : r;
      };
    });
    return h('div', { class: 'task__actions' }, toggle, form);
  }

  // ---- Actions by stage ------------------------------------------------------------------

  private actions(data: CaseData): HTMLElement {
    const kase = data.record.body;
    const pending = data.decisions.find((d) => d.body.status === 'proposed');
    const parts: HTMLElement[] = [];
    if (kase.stage === 'referral_decision') {
      parts.push(
        pending === undefined
          ? this.decisionForm(data, 'Referral decision', [
              { value: 'accept', label: 'Accept the referral: assessment starts' },
              { value: 'nfa', label: 'No further action (needs a manager’s sign-off)' },
              { value: 'step_down', label: 'Step down to early help' },
            ])
          : this.pendingNote(pending.body),
      );
    } else {
      parts.push(this.meetingForm(data));
      parts.push(
        pending === undefined
          ? this.decisionForm(data, 'Close or step down', [
              { value: 'close', label: 'Close the case (needs a manager’s sign-off)' },
              { value: 'nfa', label: 'No further action (needs a manager’s sign-off)' },
              { value: 'step_down', label: 'Step down to early help' },
            ])
          : this.pendingNote(pending.body),
      );
    }
    return section('actions-heading', 'Next steps', null, ...parts);
  }

  private pendingNote(decision: DecisionBody): HTMLElement {
    return h('p', { class: 'notice notice--info' }, `${decisionLabel(decision.kind)} was proposed on ${formatDate(decision.decided_on)} and is waiting for a manager’s sign-off. No other decision can be made until it is signed off or refused.`);
  }

  private decisionForm(data: CaseData, title: string, choices: Array<{ value: DecisionRequest['kind']; label: string }>): HTMLElement {
    const kase = data.record.body;
    const referralTask = data.tasks?.find((t) => t.subkind === 'referral_decision');
    const kind = radioGroup('Decision', `decision-${kase.id}`, choices);
    const rationale = textareaField({ label: 'Rationale', hint: 'Why: what was considered and what the child and family said. The reasons are kept with the decision.', rows: 4, maxlength: 4000 });
    const decidedOn = inputField({ label: 'Decided on', type: 'date', value: todayIso(), max: todayIso() });
    const due = referralTask?.due ?? null;
    const late = textareaField({
      label: 'Why the decision is late',
      rows: 2,
      ...(due === null ? {} : { hint: `The referral decision was due on ${formatDate(due)}.` }),
    });
    const syncLate = (): void => {
      late.element.hidden = !isAfter(decidedOn.control.value, due);
    };
    decidedOn.control.addEventListener('input', syncLate);
    syncLate();
    const summary = new ErrorSummary();
    const submit = new SubmitButton('Record the decision', 'Recording…');
    const headingId = `decision-form-${kase.stage}`;
    const form = h(
      'form',
      { class: 'action-form', novalidate: true, 'aria-labelledby': headingId },
      h('h3', { id: headingId, class: 'action-form__title' }, title),
      summary.element,
      kind.element,
      rationale.element,
      h('div', { class: 'field-row field-row--2' }, decidedOn.element),
      late.element,
      h('div', { class: 'form-actions' }, submit.element),
    );
    this.handle(form, submit, summary, { rationale, decided_on: decidedOn, late_reason: late }, () => {
      const errors: FieldError[] = [];
      kind.setError(null);
      const chosen = kind.value() as DecisionRequest['kind'] | '';
      if (chosen === '') {
        kind.setError('Choose a decision');
        errors.push({ message: 'Choose a decision', control: kind.inputs[0] as HTMLElement });
      }
      if (rationale.control.value.trim() === '') errors.push(required(rationale, 'Give the rationale for the decision'));
      if (decidedOn.control.value === '') errors.push(required(decidedOn, 'Enter the date of the decision'));
      if (!late.element.hidden && late.control.value.trim() === '') errors.push(required(late, 'Say why the decision is late'));
      if (errors.length > 0 || chosen === '') return errors;
      const request: DecisionRequest = { kind: chosen, rationale: rationale.control.value.trim(), decided_on: decidedOn.control.value };
      if (!late.element.hidden) request.late_reason = late.control.value.trim();
      return async () => {
        if (chosen === 'nfa' || chosen === 'close') {
          const what = chosen === 'nfa' ? 'no further action' : 'closing this case';
          const ok = await confirmAction({
            title: chosen === 'nfa' ? 'Propose no further action?' : 'Propose closing this case?',
            body: [
              `You are proposing ${what} for ${kase.child.name || 'this child'}. When a manager other than you signs it off, the case closes and its open work is cancelled.`,
              'The decision and its rationale are kept and cannot be deleted.',
            ],
            confirmLabel: chosen === 'nfa' ? 'Propose no further action' : 'Propose closure',
          });
          if (!ok) return { ok: true, message: null };
        }
        const r = await proposeDecision(this.ctx.app.api, kase.id, request);
        if (!r.ok) return r;
        const message =
          chosen === 'nfa' || chosen === 'close'
            ? `${decisionLabel(chosen)} proposed. It is waiting for a manager’s sign-off.`
            : chosen === 'accept'
              ? 'Referral accepted: the assessment has started.'
              : 'Stepped down: the case is closed.';
        return { ok: true, message };
      };
    });
    return form;
  }

  private meetingForm(data: CaseData): HTMLElement {
    const kase = data.record.body;
    // Working Together order: a strategy discussion, then the initial conference within 15
    // working days, then review conferences. The server refuses anything out of order.
    const next: Record<string, Array<{ value: MeetingKind; label: string }>> = {
      assessment: [{ value: 'strategy_discussion', label: meetingLabel('strategy_discussion') }],
      section_47: [{ value: 'initial_conference', label: meetingLabel('initial_conference') }],
      plan: [{ value: 'review_conference', label: meetingLabel('review_conference') }],
    };
    const choices = next[kase.stage] ?? [];
    const meetingTask: Record<MeetingKind, string[]> = {
      strategy_discussion: [],
      initial_conference: ['initial_conference'],
      review_conference: ['first_review_conference', 'review_conference'],
    };
    const kind = selectField({ label: 'Meeting', choices });
    const heldOn = inputField({ label: 'Held on', type: 'date', value: todayIso(), max: todayIso() });
    const note = textareaField({ label: 'Note', optional: true, rows: 3, hint: 'Who attended, what was agreed, and the next steps.', maxlength: 4000 });
    const late = textareaField({ label: 'Why it was held late', rows: 2 });
    const dueFor = (): string | null => {
      const subkinds = meetingTask[kind.control.value as MeetingKind] ?? [];
      return data.tasks?.find((t) => subkinds.includes(t.subkind))?.due ?? null;
    };
    const syncLate = (): void => {
      late.element.hidden = !isAfter(heldOn.control.value, dueFor());
    };
    heldOn.control.addEventListener('input', syncLate);
    kind.control.addEventListener('change', syncLate);
    syncLate();
    const summary = new ErrorSummary();
    const submit = new SubmitButton('Record the meeting', 'Recording…');
    const form = h(
      'form',
      { class: 'action-form', novalidate: true, 'aria-labelledby': 'meeting-form-title' },
      h('h3', { id: 'meeting-form-title', class: 'action-form__title' }, 'Record a meeting'),
      summary.element,
      h('div', { class: 'field-row field-row--2' }, kind.element, heldOn.element),
      note.element,
      late.element,
      h('div', { class: 'form-actions' }, submit.element),
    );
    this.handle(form, submit, summary, { kind, held_on: heldOn, note, late_reason: late }, () => {
      const errors: FieldError[] = [];
      if (kind.control.value === '') errors.push(required(kind, 'Choose the meeting'));
      if (heldOn.control.value === '') errors.push(required(heldOn, 'Enter the date it was held'));
      if (!late.element.hidden && late.control.value.trim() === '') errors.push(required(late, 'Say why it was held late'));
      if (errors.length > 0) return errors;
      const meeting = kind.control.value as MeetingKind;
      return async () => {
        const r = await recordMeeting(this.ctx.app.api, kase.id, {
          kind: meeting,
          held_on: heldOn.control.value,
          note: note.control.value.trim(),
          ...(late.element.hidden ? {} : { late_reason: late.control.value.trim() }),
        });
        return r.ok ? { ok: true, message: `${meetingLabel(meeting)} recorded.` } : r;
      };
    });
    return form;
  }

  // ---- Decisions and sign-off ------------------------------------------------------------

  private decisionsSection(data: CaseData): HTMLElement {
    if (data.decisions.length === 0) return section('decisions-heading', 'Decisions', 0, h('p', { class: 'hint-text' }, 'No decisions yet.'));
    const ordered = [...data.decisions].reverse();
    return section('decisions-heading', 'Decisions', data.decisions.length, h('ul', { class: 'decision-list' }, ...ordered.map((d) => this.decisionItem(d.body))));
  }

  private decisionItem(decision: DecisionBody): HTMLElement {
    const mine = decision.proposed_by === this.me;
    const signOff = decision.sign_off;
    let action: Child = null;
    if (decision.status === 'proposed') {
      if (mine) {
        action = h('p', { class: 'notice notice--info decision__waiting' }, 'You proposed this, so another manager must sign it off. You cannot sign off your own proposal.');
      } else if (canSignOff(this.ctx.session.user.role) && this.asOf === null) {
        action = this.signOffForm(decision);
      } else {
        action = h('p', { class: 'notice notice--info decision__waiting' }, 'Waiting for a manager’s sign-off.');
      }
    }
    return h(
      'li',
      { class: `decision decision--${decision.status}` },
      h('div', { class: 'decision__head' }, h('h3', { class: 'decision__title' }, decisionLabel(decision.kind)), h('span', { class: `badge badge--${decision.status}` }, decisionStatusLabel(decision.status))),
      h('p', { class: 'decision__meta' }, `Decided on ${formatDate(decision.decided_on)} at the ${stageLabel(decision.stage).toLowerCase()} stage, proposed by ${mine ? 'you' : `user ${shortId(decision.proposed_by)}`}.`),
      h('blockquote', { class: 'decision__rationale' }, decision.rationale),
      decision.late_reason === '' ? null : h('p', { class: 'decision__late' }, h('strong', {}, 'Late: '), decision.late_reason),
      signOff === undefined
        ? null
        : h(
            'p',
            { class: 'decision__signoff' },
            h('strong', {}, signOff.verdict === 'approve' ? 'Signed off ' : 'Refused '),
            `by ${signOff.by === this.me ? 'you' : `user ${shortId(signOff.by)}`} on ${formatDateTime(signOff.at)}`,
            signOff.note === '' ? '.' : `: “${signOff.note}”`,
          ),
      action,
    );
  }

  private signOffForm(decision: DecisionBody): HTMLElement {
    const note = textareaField({ label: 'Sign-off note', rows: 3, hint: 'Required when refusing: say what must happen instead.', maxlength: 4000 });
    const summary = new ErrorSummary();
    const approve = new SubmitButton('Approve', 'Saving…', 'primary', 'button');
    const refuse = new SubmitButton('Refuse', 'Saving…', 'secondary', 'button');
    const headingId = `sign-off-${decision.id}`;
    const form = h(
      'form',
      { class: 'action-form action-form--sign-off', novalidate: true, 'aria-labelledby': headingId },
      h('h4', { id: headingId, class: 'action-form__title' }, `Sign off: ${decisionLabel(decision.kind).toLowerCase()}`),
      summary.element,
      note.element,
      h('div', { class: 'form-actions' }, approve.element, refuse.element),
    );
    let busy = false;
    const send = async (verdict: 'approve' | 'refuse'): Promise<void> => {
      if (busy) return;
      note.setError(null);
      summary.clear();
      const text = note.control.value.trim();
      if (verdict === 'refuse' && text === '') {
        summary.show([required(note, 'Say why you are refusing it')]);
        summary.element.focus();
        return;
      }
      if (verdict === 'approve') {
        const ok = await confirmAction({
          title: `Approve: ${decisionLabel(decision.kind).toLowerCase()}?`,
          body: ['Approving closes the case now and cancels its open work. Your sign-off is recorded with your name.'],
          confirmLabel: 'Approve and close the case',
        });
        if (!ok) return;
      }
      busy = true;
      const button = verdict === 'approve' ? approve : refuse;
      button.setBusy(true);
      const r = await signOffDecision(this.ctx.app.api, decision.id, verdict, text);
      busy = false;
      button.setBusy(false);
      if (r.ok) {
        await this.load(verdict === 'approve' ? `${decisionLabel(decision.kind)} signed off: the case is closed.` : `${decisionLabel(decision.kind)} refused.`);
        return;
      }
      const message = problemMessage(r.problem);
      if (r.problem.field === 'note') note.setError(fieldMessage(note.label, message));
      summary.show([{ message: r.problem.field === 'note' ? fieldMessage(note.label, message) : message, control: note.control }], 'It was not signed off');
      summary.element.focus();
    };
    approve.element.addEventListener('click', () => void send('approve'));
    refuse.element.addEventListener('click', () => void send('refuse'));
    form.addEventListener('submit', (event) => event.preventDefault());
    return form;
  }

  // ---- Risk screening --------------------------------------------------------------------

  private screeningSection(data: CaseData, actionable: boolean): HTMLElement {
    const screenings = data.record.body.screenings;
    const latest = screenings[screenings.length - 1];
    return section(
      'screening-heading',
      'Risk screening',
      null,
      latest === undefined ? h('p', { class: 'hint-text' }, 'Not screened yet.') : screeningView(latest, screenings.length, this.me),
      actionable ? this.screenForm(data) : null,
    );
  }

  private screenForm(data: CaseData): HTMLElement {
    const override = h('input', { type: 'checkbox', id: 'override-toggle', class: 'checkbox__input' });
    const level = selectField({ label: 'Level to use', choices: [{ value: '', label: 'Choose a level' }, ...data.levels.map((l) => ({ value: l, label: levelLabel(l) }))] });
    const reason = textareaField({ label: 'Reason for the override', rows: 3, hint: 'Required: what the practitioner knows that the indicators do not show.', maxlength: 4000 });
    const overrideFields = h('div', { class: 'conditional', hidden: true }, level.element, reason.element);
    override.addEventListener('change', () => {
      overrideFields.hidden = !override.checked;
    });
    const summary = new ErrorSummary();
    const submit = new SubmitButton('Screen now', 'Screening…');
    const form = h(
      'form',
      { class: 'action-form', novalidate: true, 'aria-labelledby': 'screen-form-title' },
      h('h3', { id: 'screen-form-title', class: 'action-form__title' }, 'Screen now'),
      h('p', { class: 'hint-text' }, 'Scores every indicator recorded in this child’s concerns with the current CSE screening tool.'),
      summary.element,
      h('div', { class: 'checkbox' }, override, h('label', { for: override.id, class: 'checkbox__label' }, 'Override the level')),
      overrideFields,
      h('div', { class: 'form-actions' }, submit.element),
    );
    this.handle(form, submit, summary, { 'override/level': level, 'override/reason': reason }, () => {
      const errors: FieldError[] = [];
      if (override.checked) {
        if (level.control.value === '') errors.push(required(level, 'Choose the level to use'));
        if (reason.control.value.trim() === '') errors.push(required(reason, 'Give the reason for the override'));
      }
      if (errors.length > 0) return errors;
      const chosen = override.checked ? { level: level.control.value, reason: reason.control.value.trim() } : null;
      return async () => {
        const r = await screenRisk(this.ctx.app.api, data.record.body.id, chosen);
        return r.ok ? { ok: true, message: `Screened: ${levelLabel(r.value.final_level)} (score ${r.value.score}).` } : r;
      };
    });
    return form;
  }

  // ---- Timeline --------------------------------------------------------------------------

  private timeline(data: CaseData): HTMLElement {
    const kase = data.record.body;
    interface Entry {
      date: string;
      title: string;
      body: Child[];
    }
    const entries: Entry[] = [];
    for (const event of kase.events) {
      const body: Child[] = [];
      let title = event.kind.replace(/_/g, ' ');
      if (event.kind === 'concern_received') {
        title = 'Concern received';
        const concern = event.concern_id === undefined ? undefined : data.concerns.get(event.concern_id);
        if (concern !== undefined) {
          body.push(
            h('p', { class: 'timeline__meta' }, `${channelLabel(concern.channel)}, received ${formatDateTime(concern.received_at)}${concern.category === undefined ? '' : ` · ${concern.category.replace(/_/g, ' ')}`}${concern.source_ref === undefined ? '' : ` · ref. ${concern.source_ref}`}`),
            h('details', { class: 'timeline__narrative' }, h('summary', {}, 'Narrative'), h('p', { class: 'narrative' }, concern.narrative)),
          );
        }
      } else if (event.kind === 'referral_accepted') {
        title = 'Referral accepted';
      } else if (event.kind === 'closed') {
        title = `Case closed${event.outcome === undefined ? '' : `: ${decisionLabel(event.outcome).toLowerCase()}`}`;
      } else if (['strategy_discussion', 'initial_conference', 'review_conference'].includes(event.kind)) {
        title = meetingLabel(event.kind);
        if (event.note !== undefined) body.push(h('p', {}, event.note));
      }
      entries.push({ date: event.date, title, body });
    }
    for (const d of data.decisions) {
      if (d.body.status === 'effective') continue; // Shown by the event it caused.
      entries.push({ date: d.body.decided_on, title: `${decisionLabel(d.body.kind)} proposed`, body: [h('p', {}, decisionStatusLabel(d.body.status))] });
    }
    for (const s of kase.screenings) {
      if (s.at === undefined) continue;
      entries.push({ date: s.at.slice(0, 10), title: `Risk screened: ${levelLabel(s.final_level)}`, body: [h('p', {}, `Score ${s.score}`)] });
    }
    // Oldest first, as a reviewer reads a chronology; same-day entries keep their order.
    const ordered = entries.map((e, i) => ({ e, i })).sort((a, b) => (a.e.date === b.e.date ? a.i - b.i : a.e.date < b.e.date ? -1 : 1));
    return section(
      'timeline-heading',
      'Timeline',
      null,
      h(
        'ol',
        { class: 'timeline' },
        ...ordered.map(({ e }) => h('li', { class: 'timeline__item' }, h('p', { class: 'timeline__date' }, formatDate(e.date)), h('h3', { class: 'timeline__title' }, e.title), ...e.body)),
      ),
    );
  }

  // ---- Form plumbing ---------------------------------------------------------------------

  /**
   * Wires a form: `validate` returns errors to show, or the request to send; the request
   * answers with a message to announce after the page reloads (null: cancelled), or a
   * problem whose `field` is mapped to one of `fields`.
   */
  private handle(
    form: HTMLFormElement,
    submit: SubmitButton,
    summary: ErrorSummary,
    fields: Record<string, Field>,
    validate: () => FieldError[] | (() => Promise<{ ok: true; message: string | null } | { ok: false; problem: Problem }>),
  ): void {
    let busy = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (busy) return;
      for (const field of Object.values(fields)) field.setError(null);
      summary.clear();
      const next = validate();
      if (Array.isArray(next)) {
        summary.show(next);
        summary.element.focus();
        return;
      }
      busy = true;
      submit.setBusy(true);
      void next().then(async (result) => {
        busy = false;
        submit.setBusy(false);
        if (result.ok) {
          if (result.message !== null) await this.load(result.message);
          return;
        }
        const field = result.problem.field === undefined ? undefined : fields[result.problem.field];
        const detail = problemMessage(result.problem);
        if (field !== undefined) {
          field.element.hidden = false;
          const message = fieldMessage(field.label, detail);
          field.setError(message);
          summary.show([{ message, control: field.control }], 'That was not recorded');
        } else {
          summary.show([{ message: detail }], 'That was not recorded');
        }
        summary.element.focus();
      });
    });
  }
}

function screeningView(s: Screening, count: number, me: string): HTMLElement {
  return h(
    'div',
    { class: 'screening' },
    h('p', { class: 'screening__level' }, h('span', { class: `level level--${s.final_level}` }, levelLabel(s.final_level)), s.override === undefined ? null : h('span', { class: 'tag' }, 'Overridden')),
    h(
      'dl',
      { class: 'facts facts--compact' },
      h('dt', {}, 'Score'),
      h('dd', {}, `${s.score} (${levelLabel(s.scored_level).toLowerCase()} by the bands)`),
      h('dt', {}, 'Screened'),
      h('dd', {}, s.at === undefined ? 'Unknown' : `${formatDateTime(s.at)}${s.by === me ? ' by you' : ''}`),
      h('dt', {}, 'Reassess by'),
      h('dd', {}, formatDate(s.reassess_by)),
    ),
    s.forced.length === 0
      ? null
      : h('div', { class: 'screening__forced' }, h('h3', { class: 'screening__subtitle' }, 'Rules that set the level'), h('ul', {}, ...s.forced.map((f) => h('li', {}, f)))),
    s.override === undefined ? null : h('p', { class: 'screening__override' }, h('strong', {}, `Overridden to ${levelLabel(s.override.level).toLowerCase()}: `), s.override.reason),
    h('h3', { class: 'screening__subtitle' }, 'Contributing indicators'),
    s.contributions.length === 0
      ? h('p', { class: 'hint-text' }, 'No indicators recorded.')
      : h(
          'table',
          { class: 'table' },
          h('caption', { class: 'visually-hidden' }, 'Indicators behind the score'),
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Indicator'), h('th', { scope: 'col' }, 'Seen on'), h('th', { scope: 'col', class: 'num' }, 'Points'))),
          h(
            'tbody',
            {},
            ...s.contributions.map((c) =>
              h('tr', {}, h('td', {}, c.label, h('span', { class: 'table__sub' }, indicatorCategoryLabel(c.category))), h('td', {}, formatDate(c.seen_on)), h('td', { class: 'num' }, String(c.points))),
            ),
          ),
        ),
    count > 1 ? h('p', { class: 'hint-text' }, `${count - 1} earlier ${count === 2 ? 'screening' : 'screenings'} in the timeline.`) : null,
  );
}

function ownerText(task: WorkItem, me: string): string {
  if (task.owner_id === me) return 'Yours';
  if (task.owner_id !== '') return `Owner: user ${shortId(task.owner_id)}`;
  if (task.inbox === 'mash') return 'MASH inbox';
  if (task.inbox === 'managers') return 'Managers’ inbox';
  return '';
}

function isCompletable(task: string): boolean {
  return task === 'assessment' || task === 'initial_assessment' || task === 'core_assessment';
}

/** True when the YYYY-MM-DD `date` is after `due` (plain calendar comparison). */
function isAfter(date: string, due: string | null): boolean {
  return due !== null && date !== '' && date > due;
}

function required(field: Field, message: string): FieldError {
  field.setError(message);
  return { message, control: field.control };
}
