// /cases/:id: one child's case. The child, stage and regime; open work with its deadline in
// working days; the actions the stage allows (the referral decision, meetings, closure);
// decisions with their sign-off; the latest risk screening and the indicators behind it; a
// timeline of what happened; and, for reviewers, the case "as known at" an earlier time
// (?as_of=RFC 3339), when every action is off. A case opened by an anonymous report shows the
// conversation with the reporter, and MASH coordinators and managers can reply from here.

import { addToCaseTeam, fetchCaseTeam, fetchRestriction, liftRestriction, restrictRecord, revokeGrant, type Grant } from '../api/access_api';
import {
  completeTask,
  fetchAgencies,
  fetchAnonymousReport,
  fetchCase,
  fetchConcern,
  fetchDecision,
  fetchInbox,
  fetchRecordLedger,
  fetchRiskTool,
  fetchTask,
  proposeDecision,
  recordMeeting,
  replyToReporter,
  screenRisk,
  signOffDecision,
  type DecisionRequest,
  type MeetingKind,
} from '../api/casework_api';
import type { AnonymousReportBody, CaseBody, ConcernSummary, DecisionBody, LedgerEvent, RecordVersion, Screening, TaskBody, WorkItem } from '../api/casework_types';
import { isRole, type Problem } from '../api/types';
import { breakGlassView, offersBreakGlass } from '../break_glass';
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
  operationLabel,
  reasonLabel,
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
  checkboxGroup,
  confirmAction,
  fieldMessage,
  inputField,
  problemMessage,
  radioGroup,
  selectField,
  textareaField,
  uniqueId,
  type Field,
  type FieldError,
} from '../forms';
import type { PageView, SignedInContext } from '../page';
import { People } from '../people';
import { canAcknowledge, canManageCaseTeam, canReadTrail, canRestrict, canSignOff, canWorkCases, roleLabel } from '../roles';
import { clockLine, section } from '../work_list';

/** Everything the page shows, fetched together. */
interface CaseData {
  record: RecordVersion<CaseBody>;
  decisions: Array<RecordVersion<DecisionBody>>;
  concerns: Map<string, ConcernSummary>;
  /** Open tasks; null when viewing an earlier time (the inbox has no "as of"). */
  tasks: WorkItem[] | null;
  /** Done and cancelled tasks (servers that answer status=all), oldest due first. */
  finished: WorkItem[];
  /** Completion details of finished tasks that may have been late, by task id. */
  taskDetails: Map<string, TaskBody>;
  /** The anonymous reports the case's concerns came from, with their messages. */
  reports: Array<{ id: string; body: AnonymousReportBody | null }>;
  people: People;
  agencyName: string | null;
  levels: string[];
  /** The case team and the restriction in force (empty: none); null as of an earlier time or when they could not be read. */
  team: Grant[] | null;
  restriction: Grant[] | null;
}

/** The roles that may be given a case's assessment. */
const kCaseworkRoles = ['practitioner', 'manager', 'mash_coordinator'];
/** The roles a case-team place lets read the case (reviewers read by remit only). */
const kTeamRoles = ['practitioner', 'manager', 'mash_coordinator', 'analyst'];

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
    const [record, tasks, agencies, tool, people, team, restriction] = await Promise.all([
      fetchCase(api, this.id, this.asOf),
      live ? fetchInbox(api, { inbox: 'all', kind: 'task', caseId: this.id, status: 'all' }) : Promise.resolve(null),
      fetchAgencies(api),
      live && canWorkCases(this.ctx.session.user.role) ? fetchRiskTool(api) : Promise.resolve(null),
      People.load(api, this.me),
      // Refused like the case itself when the user has no need to know it.
      live ? fetchCaseTeam(api, this.id) : Promise.resolve(null),
      live ? fetchRestriction(api, this.id) : Promise.resolve(null),
    ]);
    if (!record.ok) return record;
    if (tasks !== null && !tasks.ok) return tasks;
    const body = record.value.body;
    const open = tasks === null ? null : tasks.value.filter((t) => t.status === 'open');
    const finished = tasks === null ? [] : tasks.value.filter((t) => t.status !== 'open');
    // Only work recorded after its due date can have been late: fetch those for the details.
    const mayBeLate = finished.filter((t) => t.status === 'done' && t.due !== null && londonDate(t.updated_at) > t.due);
    const reportIds = [...new Set(body.events.flatMap((e) => (e.anonymous_report_id === undefined ? [] : [e.anonymous_report_id])))];
    const [decisions, concerns, details, reports] = await Promise.all([
      Promise.all(body.decisions.map((d) => fetchDecision(api, d, this.asOf))),
      Promise.all(body.concerns.map((c) => fetchConcern(api, c, this.asOf))),
      Promise.all(mayBeLate.map((t) => fetchTask(api, t.id))),
      Promise.all(reportIds.map((r) => fetchAnonymousReport(api, r, this.asOf))),
    ]);
    const failed = decisions.find((d) => !d.ok);
    if (failed !== undefined && !failed.ok) return failed;
    const concernMap = new Map<string, ConcernSummary>();
    concerns.forEach((c, i) => {
      if (c.ok) concernMap.set(body.concerns[i] as string, c.value.body);
    });
    const taskDetails = new Map<string, TaskBody>();
    details.forEach((d, i) => {
      if (d.ok) taskDetails.set((mayBeLate[i] as WorkItem).id, d.value.body);
    });
    return {
      ok: true,
      value: {
        record: record.value,
        decisions: decisions.flatMap((d) => (d.ok ? [d.value] : [])),
        concerns: concernMap,
        tasks: open,
        finished,
        taskDetails,
        reports: reportIds.map((id, i) => {
          const r = reports[i];
          return { id, body: r !== undefined && r.ok ? r.value.body : null };
        }),
        people,
        agencyName: agencies.ok ? (agencies.value.find((a) => a.id === body.agency_id)?.name ?? null) : null,
        levels: tool !== null && tool.ok ? tool.value.levels : [],
        team: team !== null && team.ok ? team.value : null,
        restriction: restriction !== null && restriction.ok ? restriction.value : null,
      },
    };
  }

  private renderProblem(problem: Problem): void {
    if (offersBreakGlass(problem)) {
      replaceChildren(
        this.element,
        breakGlassView({
          api: this.ctx.app.api,
          recordId: this.id,
          what: 'case',
          back: h('a', { href: '/' }, 'Back to My work'),
          onGranted: (grant) => this.load(`Break-glass access granted${grant.valid_to === null ? '' : ` until ${formatDateTime(grant.valid_to)}`}. The auditors have been told.`),
        }),
      );
      return;
    }
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
          this.finishedWork(data),
          this.reportsSection(data),
          this.decisionsSection(data),
          this.timeline(data),
          canReadTrail(this.ctx.session.user.role) ? this.trailSection() : null,
        ),
        h('div', { class: 'case-grid__side' }, this.screeningSection(data, actionable), this.teamSection(data), this.restrictionSection(data), this.asOfControl()),
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
        // The child's person page: their record in the case's first concern, `<concern>:<ref>`.
        ...(kase.child.ref === '' || kase.concerns[0] === undefined ? [] : fact('Records', h('a', { href: `/persons/${encodeURIComponent(`${kase.concerns[0]}:${kase.child.ref}`)}` }, 'This child across agencies'))),
        ...fact('Stage', h('span', { class: `stage stage--${kase.stage}` }, stageLabel(kase.stage))),
        ...fact('Regime', regimeLabel(kase.regime)),
        ...fact('Opened', formatDateTime(kase.opened_at)),
        ...(kase.status === 'closed' ? fact('Closed', `${kase.closed_on === undefined ? '' : formatDate(kase.closed_on)}${kase.outcome === undefined ? '' : ` (${decisionLabel(kase.outcome)})`}`) : []),
        ...fact('Agency', data.agencyName ?? 'Unknown agency'),
        ...(kase.assignee_id === '' ? [] : fact('Assigned to', data.people.nameAtStart(kase.assignee_id))),
        ...(data.reports.length > 0 ? fact('Source', h('span', { class: 'tag tag--anonymous' }, 'Anonymous report')) : []),
      ),
    );
  }

  private asOfBanner(data: CaseData): HTMLElement | null {
    if (this.asOf === null) return null;
    return h(
      'div',
      { class: 'notice notice--history' },
      h('p', {}, h('strong', {}, `As known at ${formatDateTime(this.asOf)}. `), `This is version ${data.record.version} of the case, recorded ${formatDateTime(data.record.recorded_at)}${recordedBy(data.record.recorded_by, data.people)}. Nothing can be changed from this view.`),
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
            h('p', { class: 'task__meta' }, clockLine(task.due, task.working_days_left), h('span', { class: 'task__owner' }, ownerText(task, data.people))),
            actionable && isCompletable(task.subkind) ? this.completeControl(task) : null,
          );
        }),
      ),
    );
  }

  /** Done and cancelled tasks: when each was done, and how late with the reason given. */
  private finishedWork(data: CaseData): HTMLElement | null {
    if (data.tasks === null || data.finished.length === 0) return null;
    return section(
      'finished-heading',
      'Finished work',
      data.finished.length,
      h(
        'ul',
        { class: 'finished-list' },
        ...data.finished.map((task) => {
          const detail = data.taskDetails.get(task.id);
          const late = detail?.working_days_late !== undefined && detail.working_days_late > 0;
          const due = task.due === null ? '' : ` (due ${formatDate(task.due)})`;
          let line: string;
          if (task.status === 'cancelled') {
            line = `Cancelled when the case moved on or closed${due}.`;
          } else if (detail?.completed_on !== undefined) {
            line = `Done on ${formatDate(detail.completed_on)}${due}${late ? '' : ', on time'}.`;
          } else if (task.due !== null && londonDate(task.updated_at) <= task.due) {
            line = `Done by its deadline${due}.`;
          } else {
            line = `Done${due}.`;
          }
          return h(
            'li',
            { class: `finished-task finished-task--${task.status}${late ? ' finished-task--late' : ''}` },
            h('h3', { class: 'finished-task__title' }, taskLabel(task.subkind)),
            h(
              'p',
              { class: 'finished-task__meta' },
              h('span', { class: `badge badge--${task.status}` }, task.status === 'cancelled' ? 'Cancelled' : late ? 'Done late' : 'Done'),
              ' ',
              line,
              late ? h('span', { class: 'clock clock--overdue' }, ` ${detail?.working_days_late} working ${detail?.working_days_late === 1 ? 'day' : 'days'} late`) : null,
            ),
            late && detail?.late_reason !== undefined ? h('p', { class: 'finished-task__reason' }, h('strong', {}, 'Why it was late: '), detail.late_reason) : null,
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
    // On accepting, who does the assessment: by default the person deciding.
    const others = data.people.withRoles(kCaseworkRoles).filter((c) => c.id !== this.me);
    const byAgency = new Map<string, Array<{ value: string; label: string }>>();
    for (const c of others) {
      const agency = c.agency?.name ?? 'Other';
      byAgency.set(agency, [...(byAgency.get(agency) ?? []), { value: c.id, label: data.people.describe(c) }]);
    }
    const offersAccept = choices.some((c) => c.value === 'accept') && others.length > 0;
    const assignee = selectField({
      label: 'Who will do the assessment',
      choices: [{ value: '', label: `You (${this.ctx.session.user.display_name})` }],
      groups: [...byAgency.entries()].map(([label, list]) => ({ label, choices: list })),
      hint: 'They get the assessment task, with its deadline, in My work.',
    });
    const assigneeWrap = h('div', { class: 'conditional', hidden: true }, assignee.element);
    const syncAssignee = (): void => {
      assigneeWrap.hidden = !offersAccept || kind.value() !== 'accept';
    };
    for (const input of kind.inputs) input.addEventListener('change', syncAssignee);
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
      offersAccept ? assigneeWrap : null,
      rationale.element,
      h('div', { class: 'field-row field-row--2' }, decidedOn.element),
      late.element,
      h('div', { class: 'form-actions' }, submit.element),
    );
    this.handle(form, submit, summary, { rationale, decided_on: decidedOn, late_reason: late, assignee_id: assignee }, () => {
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
      if (chosen === 'accept' && !assigneeWrap.hidden && assignee.control.value !== '') request.assignee_id = assignee.control.value;
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
              ? request.assignee_id === undefined
                ? 'Referral accepted: the assessment has started.'
                : `Referral accepted: the assessment has started, assigned to ${data.people.name(request.assignee_id)}.`
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

  // ---- Anonymous reports ----------------------------------------------------------------

  /** The conversation with an anonymous reporter, and a reply form for MASH and managers. */
  private reportsSection(data: CaseData): HTMLElement | null {
    if (data.reports.length === 0) return null;
    const canReply = this.asOf === null && canAcknowledge(this.ctx.session.user.role);
    return section(
      'anonymous-heading',
      'Anonymous report',
      null,
      h('p', { class: 'hint-text' }, 'This case began with a report from a member of the public through the public report page. They may not have given their name. They read replies with their secret receipt code; they never see the case, names or decisions.'),
      ...data.reports.map((r) => this.reportView(r.id, r.body, canReply)),
    );
  }

  private reportView(id: string, body: AnonymousReportBody | null, canReply: boolean): HTMLElement {
    if (body === null) return h('p', { class: 'notice notice--error' }, 'The anonymous report could not be loaded.');
    const messages = body.messages;
    return h(
      'div',
      { class: 'anon-report' },
      h('p', { class: 'anon-report__meta' }, h('span', { class: 'tag tag--anonymous' }, 'Anonymous report'), ` Reference ${body.reference}, received ${formatDateTime(body.received_at)}`),
      h('h3', { class: 'anon-report__subtitle' }, 'Messages with the reporter', h('span', { class: 'count' }, ` (${messages.length})`)),
      messages.length === 0
        ? h('p', { class: 'hint-text' }, 'No messages yet.')
        : h(
            'ol',
            { class: 'conversation' },
            ...messages.map((m) =>
              h(
                'li',
                { class: `message message--${m.from === 'staff' ? 'staff' : 'reporter'}` },
                h('p', { class: 'message__who' }, h('strong', {}, m.from === 'staff' ? 'Reply sent' : 'The reporter wrote'), ` · ${formatDateTime(m.at)}`),
                h('p', { class: 'message__text' }, m.text),
              ),
            ),
          ),
      canReply ? this.replyForm(id) : null,
    );
  }

  private replyForm(reportId: string): HTMLElement {
    const text = textareaField({
      label: 'Your reply',
      rows: 4,
      maxlength: 5000,
      hint: 'The reporter reads this with their receipt code. Write plainly, for a member of the public or a child. Do not name anyone or say what was decided. Replies are logged as a disclosure.',
    });
    const summary = new ErrorSummary();
    const submit = new SubmitButton('Send the reply', 'Sending…');
    const headingId = `reply-${reportId}`;
    const form = h(
      'form',
      { class: 'action-form', novalidate: true, 'aria-labelledby': headingId },
      h('h3', { id: headingId, class: 'action-form__title' }, 'Reply to the reporter'),
      summary.element,
      text.element,
      h('div', { class: 'form-actions' }, submit.element),
    );
    this.handle(form, submit, summary, { text }, () => {
      const value = text.control.value.trim();
      if (value === '') return [required(text, 'Write the reply')];
      return async () => {
        const r = await replyToReporter(this.ctx.app.api, reportId, value);
        return r.ok ? { ok: true, message: 'Reply sent to the reporter.' } : r;
      };
    });
    return form;
  }

  // ---- Decisions and sign-off ------------------------------------------------------------

  private decisionsSection(data: CaseData): HTMLElement {
    if (data.decisions.length === 0) return section('decisions-heading', 'Decisions', 0, h('p', { class: 'hint-text' }, 'No decisions yet.'));
    const ordered = [...data.decisions].reverse();
    return section('decisions-heading', 'Decisions', data.decisions.length, h('ul', { class: 'decision-list' }, ...ordered.map((d) => this.decisionItem(d.body, data.people))));
  }

  private decisionItem(decision: DecisionBody, people: People): HTMLElement {
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
      h('p', { class: 'decision__meta' }, `Decided on ${formatDate(decision.decided_on)} at the ${stageLabel(decision.stage).toLowerCase()} stage, proposed by ${people.name(decision.proposed_by)}.`),
      h('blockquote', { class: 'decision__rationale' }, decision.rationale),
      decision.late_reason === '' ? null : h('p', { class: 'decision__late' }, h('strong', {}, 'Late: '), decision.late_reason),
      signOff === undefined
        ? null
        : h(
            'p',
            { class: 'decision__signoff' },
            h('strong', {}, signOff.verdict === 'approve' ? 'Signed off ' : 'Refused '),
            `by ${people.name(signOff.by)} on ${formatDateTime(signOff.at)}`,
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
      latest === undefined ? h('p', { class: 'hint-text' }, 'Not screened yet.') : screeningView(latest, screenings.length, data.people),
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
        title = event.anonymous_report_id === undefined ? 'Concern received' : 'Concern received: anonymous report';
        const concern = event.concern_id === undefined ? undefined : data.concerns.get(event.concern_id);
        if (concern !== undefined) {
          body.push(
            h('p', { class: 'timeline__meta' }, `${channelLabel(concern.channel)}, received ${formatDateTime(concern.received_at)}${concern.category === undefined ? '' : ` · ${concern.category.replace(/_/g, ' ')}`}${concern.source_ref === undefined ? '' : ` · ref. ${concern.source_ref}`}`),
            h('details', { class: 'timeline__narrative' }, h('summary', {}, 'Narrative'), h('p', { class: 'narrative' }, concern.narrative)),
          );
        }
      } else if ((event.kind === 'context_linked' || event.kind === 'context_unlinked') && event.context_id !== undefined) {
        // A place or peer group the child is linked to (contextual safeguarding, pages/contexts.ts).
        const what = event.context_kind === 'peer_group' ? 'peer-group' : (event.context_kind ?? 'context').replace(/_/g, ' ');
        title = event.kind === 'context_linked' ? `Linked to a ${what} case` : `Unlinked from a ${what} case`;
        body.push(h('p', {}, h('a', { href: `/contexts/${encodeURIComponent(event.context_id)}` }, 'Open the context case')));
      } else if (event.kind === 'referral_accepted') {
        title = 'Referral accepted';
      } else if (event.kind === 'closed') {
        title = `Case closed${event.outcome === undefined ? '' : `: ${decisionLabel(event.outcome).toLowerCase()}`}`;
      } else if (['strategy_discussion', 'initial_conference', 'review_conference'].includes(event.kind)) {
        title = meetingLabel(event.kind);
        if (event.note !== undefined) body.push(h('p', {}, event.note));
        if (event.recorded_by !== undefined) body.push(h('p', { class: 'timeline__meta' }, `Recorded by ${data.people.name(event.recorded_by)}`));
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

  // ---- Who saw and did what --------------------------------------------------------------

  /**
   * The ledger trail of the case record, for reviewers and managers. It loads on request:
   * reading the trail is itself logged as a consultation, so it is not read on every visit.
   */
  private trailSection(): HTMLElement {
    const body = h('div', { class: 'trail', 'aria-live': 'polite' });
    const button = h('button', { type: 'button', class: 'button button--secondary' }, 'Show who saw and did what');
    button.addEventListener('click', () => {
      button.disabled = true;
      replaceChildren(body, h('p', { class: 'hint-text' }, 'Loading the trail…'));
      void fetchRecordLedger(this.ctx.app.api, this.id).then((result) => {
        button.disabled = false;
        if (!result.ok) {
          replaceChildren(body, h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, problemMessage(result.problem))));
          return;
        }
        button.textContent = 'Refresh the trail';
        replaceChildren(body, this.trailTable(result.value));
      });
    });
    return section(
      'trail-heading',
      'Who saw and did what',
      null,
      h('p', { class: 'hint-text' }, 'Every recording, change, look and disclosure of this case, from the ledger. Your own look is added to it.'),
      button,
      body,
    );
  }

  private trailTable(events: LedgerEvent[]): HTMLElement {
    if (events.length === 0) return h('p', { class: 'hint-text' }, 'The ledger names no events for this case.');
    const who = (e: LedgerEvent): Child[] => {
      if (e.actor_name === undefined) return [e.actor.startsWith('system:') ? `System (${e.actor.slice(7)})` : `Account ${shortId(e.actor)}`];
      const role = e.actor_role === undefined ? '' : roleLabelOf(e.actor_role);
      return [e.actor_name, role === '' ? null : h('span', { class: 'table__sub' }, role)];
    };
    const rows = events.map((e) =>
      h(
        'tr',
        {},
        h('td', {}, h('a', { href: `/cases/${encodeURIComponent(this.id)}?${new URLSearchParams({ as_of: e.at }).toString()}`, title: 'Show the case as it was known then' }, formatDateTime(e.at))),
        h('td', {}, ...who(e)),
        h('td', {}, operationLabel(e.operation), e.recipient === '' ? null : h('span', { class: 'table__sub' }, `To ${e.recipient}`)),
        h('td', {}, reasonLabel(e.reason)),
      ),
    );
    return h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table' },
        h('caption', { class: 'visually-hidden' }, 'Ledger events naming this case, oldest first'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'When'), h('th', { scope: 'col' }, 'Who'), h('th', { scope: 'col' }, 'What'), h('th', { scope: 'col' }, 'Why'))),
        h('tbody', {}, ...rows),
      ),
    );
  }

  // ---- Who may see the case -------------------------------------------------------------

  /**
   * The case team: colleagues from any agency given access to this one case. Managers and
   * MASH coordinators add to it (docs/security.md, "Case teams").
   */
  private teamSection(data: CaseData): HTMLElement | null {
    if (data.team === null) return null;
    const members = data.team;
    const memberIds = new Set(members.map((g) => g.grantee));
    const canAdd = canManageCaseTeam(this.ctx.session.user.role) && data.record.body.status === 'open';
    const list =
      members.length === 0
        ? h('p', { class: 'hint-text' }, 'Nobody has been added. The case’s own agency, and agencies that share casework with it, can already see it.')
        : h('ul', { class: 'member-list' }, ...members.map((g) => h('li', {}, ...this.personLine(data, g.grantee), canAdd ? this.removeFromTeam(data, g) : null)));
    return section('team-heading', 'Case team', members.length, h('p', { class: 'hint-text' }, 'Colleagues from any agency who may read this case and its records.'), list, canAdd ? this.teamForm(data, memberIds) : null);
  }

  /**
   * "Remove" beside a team member: a reason, then a confirmation naming them; the server
   * revokes their place (POST /api/v1/grants/{id}/revoke) and they lose access at once.
   */
  private removeFromTeam(data: CaseData, grant: Grant): HTMLElement {
    const who = data.people.nameAtStart(grant.grantee);
    const toggle = h('button', { type: 'button', class: 'button button--link', 'aria-expanded': 'false', 'aria-label': `Remove ${who} from the case team` }, 'Remove');
    const reason = textareaField({ label: 'Why remove them', hint: 'Kept with the access record. Name nobody else.', rows: 2, maxlength: 1000 });
    const summary = new ErrorSummary();
    const submit = new SubmitButton('Remove from team', 'Removing…', 'danger');
    const form = h('form', { id: uniqueId('remove-member'), class: 'inline-form', novalidate: true, hidden: true, 'aria-label': `Remove ${who} from the case team` }, summary.element, reason.element, h('div', { class: 'form-actions' }, submit.element));
    toggle.setAttribute('aria-controls', form.id);
    toggle.addEventListener('click', () => {
      form.hidden = !form.hidden;
      toggle.setAttribute('aria-expanded', String(!form.hidden));
      if (!form.hidden) reason.control.focus();
    });
    this.handle(form, submit, summary, { reason }, () => {
      const text = reason.control.value.trim();
      if (text === '') return [required(reason, 'Enter why they are being removed')];
      return async () => {
        const ok = await confirmAction({
          title: `Remove ${who} from the case team?`,
          body: [`${who} will no longer be able to open this case or its records, unless their agency can see it anyway.`],
          confirmLabel: 'Remove from team',
        });
        if (!ok) return { ok: true, message: null };
        const r = await revokeGrant(this.ctx.app.api, grant.id, text);
        return r.ok ? { ok: true, message: `${who} removed from the case team.` } : r;
      };
    });
    return h('span', { class: 'member-list__actions' }, ' ', toggle, form);
  }

  private teamForm(data: CaseData, members: ReadonlySet<string>): HTMLElement {
    const candidates = data.people.withRoles(kTeamRoles).filter((c) => c.id !== this.me && !members.has(c.id));
    const byAgency = new Map<string, Array<{ value: string; label: string }>>();
    for (const c of candidates) {
      const agency = c.agency?.name ?? 'Other';
      byAgency.set(agency, [...(byAgency.get(agency) ?? []), { value: c.id, label: data.people.describe(c) }]);
    }
    const user = selectField({
      label: 'Add to team',
      choices: [{ value: '', label: 'Choose a colleague' }],
      groups: [...byAgency.entries()].map(([label, choices]) => ({ label, choices })),
      hint: 'They may then read this case and its records, whatever their agency.',
    });
    const summary = new ErrorSummary();
    const submit = new SubmitButton('Add to team', 'Adding…', 'secondary');
    const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': 'Add to the case team' }, summary.element, user.element, h('div', { class: 'form-actions' }, submit.element));
    this.handle(form, submit, summary, { user_id: user }, () => {
      const id = user.control.value;
      if (id === '') return [required(user, 'Choose who to add')];
      return async () => {
        const r = await addToCaseTeam(this.ctx.app.api, this.id, id);
        return r.ok ? { ok: true, message: `${data.people.nameAtStart(id)} added to the case team.` } : r;
      };
    });
    return form;
  }

  /** A colleague's name with their role and agency, or a short id when unknown. */
  private personLine(data: CaseData, id: string): Child[] {
    const c = data.people.get(id);
    return [data.people.nameAtStart(id), c === undefined ? null : h('span', { class: 'table__sub' }, `${roleLabelOf(c.role)}${c.agency === null ? '' : `, ${c.agency.name}`}`)];
  }

  /** A restriction's grantee ("user:<id>", "team:<manager id>") in words. */
  private granteeLine(data: CaseData, grantee: string): Child[] {
    if (grantee.startsWith('team:')) {
      const manager = grantee.slice(5);
      return [manager === this.me ? 'Your team' : `Team of ${data.people.name(manager)}`, h('span', { class: 'table__sub' }, 'A manager and their direct reports')];
    }
    return this.personLine(data, grantee.startsWith('user:') ? grantee.slice(5) : grantee);
  }

  /**
   * Whether the case is restricted to named users and teams, and to whom; managers restrict
   * it or lift the restriction (docs/security.md, "Restrictions").
   */
  private restrictionSection(data: CaseData): HTMLElement | null {
    if (data.restriction === null) return null;
    const grants = data.restriction;
    const manager = canRestrict(this.ctx.session.user.role);
    if (grants.length === 0) {
      return section(
        'restriction-heading',
        'Restriction',
        null,
        h('p', { class: 'hint-text' }, 'Not restricted: open to the case’s agency, agencies that share casework with it, and its case team.'),
        manager ? this.restrictForm(data) : null,
      );
    }
    const first = grants[0] as Grant;
    return section(
      'restriction-heading',
      'Restriction',
      null,
      h('p', { class: 'notice notice--warning' }, 'Restricted. Only those named here can open this case (others only by breaking glass).'),
      h('ul', { class: 'member-list', 'aria-label': 'The case is open to' }, ...grants.map((g) => h('li', {}, ...this.granteeLine(data, g.grantee)))),
      h('p', { class: 'hint-text' }, `Restricted by ${data.people.name(first.created_by)} on ${formatDateTime(first.created_at)}: “${first.reason}”`),
      manager ? this.liftForm() : null,
    );
  }

  private restrictForm(data: CaseData): HTMLElement {
    const colleagues = data.people.withRoles(kTeamRoles).filter((c) => c.id !== this.me);
    const managers = data.people.withRoles(['manager']);
    const who = checkboxGroup(
      'Open it only to',
      'restrict-to',
      [
        ...managers.map((c) => ({ value: `team:${c.id}`, label: `${c.id === this.me ? 'Your team' : `Team of ${c.display_name}`}${c.agency === null ? '' : ` (${c.agency.name})`}` })),
        ...colleagues.map((c) => ({ value: `user:${c.id}`, label: data.people.describe(c) })),
      ],
      'You are always included. A team is a manager and their direct reports.',
    );
    const list = who.element.querySelector('.checkboxes');
    if (list !== null) list.classList.add('checkboxes--scroll');
    const reason = textareaField({ label: 'Reason for the restriction', rows: 3, maxlength: 1000, hint: 'For example: a relative of the child works in the agency. The reason is kept with the restriction.' });
    const summary = new ErrorSummary();
    const submit = new SubmitButton('Restrict this case', 'Restricting…', 'secondary');
    const form = h(
      'form',
      { class: 'action-form', novalidate: true, 'aria-labelledby': 'restrict-form-title' },
      h('h3', { id: 'restrict-form-title', class: 'action-form__title' }, 'Restrict this case'),
      summary.element,
      who.element,
      reason.element,
      h('div', { class: 'form-actions' }, submit.element),
    );
    this.handle(form, submit, summary, { reason }, () => {
      who.setError(null);
      const text = reason.control.value.trim();
      if (text === '') return [required(reason, 'Give the reason for the restriction')];
      const grantees = who.values();
      return async () => {
        const ok = await confirmAction({
          title: 'Restrict this case?',
          body: [
            grantees.length === 0 ? 'Only you will be able to open it.' : `Only you and the ${grantees.length} ${grantees.length === 1 ? 'person or team' : 'people and teams'} you chose will be able to open it.`,
            'Everyone else loses access at once, including colleagues in its agency, partner agencies and the case team.',
          ],
          confirmLabel: 'Restrict the case',
        });
        if (!ok) return { ok: true, message: null };
        const r = await restrictRecord(this.ctx.app.api, this.id, grantees, text);
        return r.ok ? { ok: true, message: `The case is restricted to ${r.value.length} ${r.value.length === 1 ? 'person or team' : 'people and teams'}.` } : r;
      };
    });
    return form;
  }

  private liftForm(): HTMLElement {
    const reason = textareaField({ label: 'Reason for lifting it', rows: 2, maxlength: 1000 });
    const summary = new ErrorSummary();
    const submit = new SubmitButton('Lift restriction', 'Lifting…', 'secondary');
    const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': 'Lift the restriction' }, summary.element, reason.element, h('div', { class: 'form-actions' }, submit.element));
    this.handle(form, submit, summary, { reason }, () => {
      const text = reason.control.value.trim();
      if (text === '') return [required(reason, 'Give the reason for lifting the restriction')];
      return async () => {
        const r = await liftRestriction(this.ctx.app.api, this.id, text);
        return r.ok ? { ok: true, message: 'Restriction lifted.' } : r;
      };
    });
    return form;
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

function screeningView(s: Screening, count: number, people: People): HTMLElement {
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
      h('dd', {}, s.at === undefined ? 'Unknown' : `${formatDateTime(s.at)}${s.by === undefined ? '' : ` by ${people.name(s.by)}`}`),
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

function ownerText(task: WorkItem, people: People): string {
  if (task.owner_id !== '' && people.name(task.owner_id) === 'you') return 'Yours';
  if (task.owner_id !== '') return `Owner: ${people.name(task.owner_id)}`;
  if (task.inbox === 'mash') return 'MASH inbox';
  if (task.inbox === 'managers') return 'Managers’ inbox';
  return '';
}

/** " by Alex Manager" for a record's author; nothing for the system (public reports, imports). */
function recordedBy(id: string, people: People): string {
  return id === '' || id.startsWith('system:') ? '' : ` by ${people.name(id)}`;
}

function isCompletable(task: string): boolean {
  return task === 'assessment' || task === 'initial_assessment' || task === 'core_assessment';
}

const kLondonDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The UK calendar date (YYYY-MM-DD) of an RFC 3339 instant, to compare with a due date. */
function londonDate(rfc3339: string): string {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? '' : kLondonDay.format(date);
}

/** True when the YYYY-MM-DD `date` is after `due` (plain calendar comparison). */
function isAfter(date: string, due: string | null): boolean {
  return due !== null && date !== '' && date > due;
}

function required(field: Field, message: string): FieldError {
  field.setError(message);
  return { message, control: field.control };
}

/** A role code from the server as people say it; unknown codes are shown as sent. */
function roleLabelOf(role: string): string {
  return isRole(role) ? roleLabel(role) : role.replace(/_/g, ' ');
}
