// Contextual safeguarding (Working Together 2023, extra-familial harm): places and peer
// groups that link children who are not related. /contexts lists the context cases the user
// may see; /contexts/new opens one (from a place in the network with ?place=<entity id>,
// which brings the place and the children linked to it); /contexts/:id is one case: the
// children linked and why, the assessment of the place or group, interventions (tasks with an
// owner and a due date), closure with a second manager's sign-off, and the timeline.

import { completeTask, fetchCases } from '../api/casework_api';
import {
  addContextChild,
  addIntervention,
  assessContext,
  fetchContext,
  fetchContexts,
  fetchPlaceDraft,
  openContext,
  proposeContextClosure,
  removeContextChild,
  signOffContextClosure,
  type ContextCase,
  type ContextKind,
  type ContextStatusFilter,
  type RiskLevel,
} from '../api/context_api';
import type { ApiResult } from '../api/client';
import { h, type Child } from '../dom';
import { formatDate, formatDateTime, shortId, todayIso } from '../format';
import {
  ErrorSummary,
  SubmitButton,
  checkboxGroup,
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
import { People } from '../people';
import { canReadCasework, canSignOff, canWorkCases } from '../roles';
import { emptyState, loadError, section } from '../work_list';

const kKindLabels: Record<string, string> = {
  place: 'Place',
  peer_group: 'Peer group',
  school: 'School',
  online_space: 'Online space',
};

function kindLabel(kind: string): string {
  return kKindLabels[kind] ?? kind.replace(/_/g, ' ');
}

function riskLabel(level: string): string {
  if (level === '') return 'Not assessed';
  return `${level.charAt(0).toUpperCase()}${level.slice(1)} risk`;
}

const kFilters: ReadonlyArray<{ value: ContextStatusFilter; label: string }> = [
  { value: 'open', label: 'Open context cases' },
  { value: 'closed', label: 'Closed context cases' },
  { value: 'all', label: 'All context cases' },
];

function notAllowed(title: string): PageView {
  return { title, content: h('div', { class: 'page' }, h('h1', {}, title), h('p', {}, 'Your role keeps case content out of view (separation of duties).')) };
}

/** Shows a server problem against the form's fields when it names one. */
function showProblem(summary: ErrorSummary, fields: ReadonlyMap<string, Field>, problem: { field?: string; detail?: string; title: string }): void {
  const field = problem.field === undefined ? undefined : fields.get(problem.field);
  const detail = problem.detail ?? problem.title;
  if (field !== undefined) {
    field.setError(fieldMessage(field.label, detail));
    summary.show([{ message: fieldMessage(field.label, detail), control: field.control }]);
  } else {
    summary.show([{ message: problem.field === undefined ? detail : `${problem.field.replace(/_/g, ' ')}: ${detail}` }]);
  }
  summary.element.focus();
}

// ---- /contexts ------------------------------------------------------------------------------

export async function contextsPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Contexts';
  const role = ctx.session.user.role;
  if (!canReadCasework(role)) return notAllowed(title);
  const asked = ctx.query.get('status');
  const status: ContextStatusFilter = kFilters.some((f) => f.value === asked) ? (asked as ContextStatusFilter) : 'open';
  const filter = selectField({ label: 'Show', choices: kFilters, value: status });
  const form = h('form', { class: 'filter-form', novalidate: true, 'aria-label': 'Filter the context cases' }, filter.element, h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button--secondary' }, 'Show')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.app.navigate(`/contexts?${new URLSearchParams({ status: filter.control.value }).toString()}`);
  });

  const result = await fetchContexts(ctx.app.api, status);
  let body: HTMLElement;
  if (!result.ok) {
    body = h('div', {});
    loadError(body, `The context cases could not be loaded: ${problemMessage(result.problem)}`);
  } else if (result.value.length === 0) {
    body = emptyState('No context cases', 'Places and peer groups that link children appear here once a case is opened for them.');
  } else {
    body = h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table contexts-table' },
        h('caption', { class: 'visually-hidden' }, `${kFilters.find((f) => f.value === status)?.label ?? 'Context cases'}, most recently changed first`),
        h('thead', {}, h('tr', {}, ...['Context', 'Kind', 'Children', 'Risk', 'Status', 'Last changed'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          ...result.value.map((c) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: `/contexts/${encodeURIComponent(c.id)}` }, c.title === '' ? `Context ${shortId(c.id)}` : c.title)),
              h('td', {}, kindLabel(c.kind)),
              h('td', {}, String(c.children)),
              h('td', {}, riskLabel(c.riskLevel)),
              h('td', {}, c.status === 'closed' ? 'Closed' : 'Open'),
              h('td', {}, c.updatedAt === '' ? '' : formatDateTime(c.updatedAt)),
            ),
          ),
        ),
      ),
    );
  }
  const content = h(
    'div',
    { class: 'page contexts-page' },
    h('h1', {}, title),
    h('p', { class: 'lede' }, 'Places and peer groups where children meet harm outside the family: a takeaway, a park, a group of friends. Each is worked as a case of its own.'),
    canWorkCases(role) ? h('p', {}, h('a', { href: '/contexts/new', class: 'button button--secondary' }, 'Open a context case')) : null,
    form,
    body,
  );
  return { title, content };
}

// ---- /contexts/new --------------------------------------------------------------------------

export async function contextNewPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Open a context case';
  if (!canWorkCases(ctx.session.user.role)) return notAllowed(title);
  const { api } = ctx.app;
  const placeId = ctx.query.get('place');
  const content = h('div', { class: 'page context-new-page' }, h('h1', {}, title));

  let kind: ContextKind = 'peer_group';
  let choices: Array<{ value: string; label: string }> = [];
  let checked = new Set<string>();
  let placeLine: Child = null;
  let defaultTitle = '';
  if (placeId !== null) {
    const draft = await fetchPlaceDraft(api, placeId);
    if (!draft.ok) {
      const el = h('div', {});
      loadError(el, `The place could not be loaded: ${problemMessage(draft.problem)}`);
      content.append(el);
      return { title, content };
    }
    kind = 'place';
    defaultTitle = draft.value.place.label;
    choices = draft.value.children.map((c) => ({ value: c.caseId, label: c.label === '' ? `Child (case ${shortId(c.caseId)})` : c.label }));
    checked = new Set(choices.map((c) => c.value));
    placeLine = h(
      'p',
      { class: 'lede' },
      `A place case for ${draft.value.place.label}${draft.value.place.detail === '' ? '' : ` (${draft.value.place.detail})`}. The children the partnership's records link to it are listed; untick any who should not be linked.`,
      draft.value.hiddenChildren > 0 ? ` ${draft.value.hiddenChildren} more linked ${draft.value.hiddenChildren === 1 ? 'child is' : 'children are'} in records you have no need to know.` : '',
    );
  } else {
    const cases = await fetchCases(api, 'open', 500);
    if (cases.ok) choices = cases.value.map((c) => ({ value: c.case_id, label: c.label === '' ? `Unnamed child (case ${shortId(c.case_id)})` : c.label }));
    placeLine = h('p', { class: 'lede' }, 'A peer group, school or online space that links children. To open a case for a place, start from the place in the network.');
  }

  const summary = new ErrorSummary();
  const kindGroup =
    placeId === null
      ? radioGroup('What links the children', 'context-kind', [
          { value: 'peer_group', label: 'A peer group' },
          { value: 'school', label: 'A school' },
          { value: 'online_space', label: 'An online space' },
        ])
      : null;
  if (kindGroup !== null) (kindGroup.inputs[0] as HTMLInputElement).checked = true;
  const titleField = inputField({ label: 'Name', value: defaultTitle, hint: 'How colleagues will know it, such as the place’s name or “Friends from the skate park”.' });
  const children = checkboxGroup('Children', 'context-children', choices, choices.length === 0 ? 'No children’s cases you may see.' : 'Each child’s own case will show the link.');
  for (const input of children.inputs) input.checked = checked.has(input.value);
  const reason = textareaField({ label: 'Why these children are linked', rows: 3, hint: 'Recorded against each child ticked, for example “seen at the takeaway late at night”.' });
  const submit = new SubmitButton('Open the context case', 'Opening…');
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': title }, summary.element, kindGroup?.element, titleField.element, children.element, reason.element, h('div', { class: 'form-actions' }, submit.element));
  const fields = new Map<string, Field>([
    ['title', titleField],
    ['reason', reason],
  ]);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      titleField.setError(null);
      reason.setError(null);
      children.setError(null);
      const errors: FieldError[] = [];
      const chosen = children.values();
      if (titleField.control.value.trim() === '') {
        titleField.setError('Enter a name');
        errors.push({ message: 'Enter a name', control: titleField.control });
      }
      if (chosen.length > 0 && reason.control.value.trim() === '') {
        reason.setError('Say why these children are linked');
        errors.push({ message: 'Say why these children are linked', control: reason.control });
      }
      const chosenKind: ContextKind = kindGroup === null ? kind : ((kindGroup.value() || 'peer_group') as ContextKind);
      if (chosenKind === 'peer_group' && chosen.length < 2) {
        children.setError('A peer group links two or more children');
        errors.push({ message: 'A peer group links two or more children', control: children.inputs[0] ?? children.element });
      }
      if (errors.length > 0) {
        summary.show(errors);
        summary.element.focus();
        return;
      }
      submit.setBusy(true);
      const result = await openContext(api, {
        kind: chosenKind,
        title: titleField.control.value.trim(),
        ...(placeId === null ? {} : { placeEntityId: placeId }),
        children: chosen.map((caseId) => ({ caseId, reason: reason.control.value.trim() })),
      });
      submit.setBusy(false);
      if (!result.ok) {
        const field = result.problem.field ?? '';
        showProblem(summary, fields, { ...result.problem, ...(field.endsWith('/reason') ? { field: 'reason' } : {}) });
        return;
      }
      ctx.app.announce({ kind: 'info', text: 'Context case opened.' });
      ctx.app.navigate(`/contexts/${encodeURIComponent(result.value.id)}`);
    })();
  });
  content.append(placeLine, form);
  return { title, content };
}

// ---- /contexts/:id --------------------------------------------------------------------------

export async function contextPage(ctx: SignedInContext): Promise<PageView> {
  const id = ctx.params['id'] ?? '';
  const { api } = ctx.app;
  const role = ctx.session.user.role;
  if (!canReadCasework(role)) return notAllowed('Context case');
  const asOfParam = ctx.query.get('as_of');
  const [result, people] = await Promise.all([fetchContext(api, id, asOfParam), People.load(api, ctx.session.user.id)]);
  if (!result.ok) {
    const content = h('div', { class: 'page' }, h('h1', {}, 'Context case'));
    const el = h('div', {});
    loadError(el, result.problem.status === 403 ? 'You have no need to know this context case.' : `The context case could not be loaded: ${problemMessage(result.problem)}`);
    content.append(el);
    return { title: 'Context case', content };
  }
  const c = result.value;
  const live = asOfParam === null;
  const writable = live && c.status === 'open' && canWorkCases(role);
  const here = `/contexts/${encodeURIComponent(c.id)}`;
  const reload = (text: string): void => {
    ctx.app.announce({ kind: 'info', text });
    ctx.app.navigate(here, 'replace');
  };
  const title = c.title === '' ? `Context ${shortId(c.id)}` : c.title;

  const facts = h(
    'dl',
    { class: 'facts' },
    h('dt', {}, 'Kind'),
    h('dd', {}, kindLabel(c.kind)),
    c.place === null ? null : h('dt', {}, 'Place'),
    c.place === null ? null : h('dd', {}, `${c.place.label}${c.place.detail === '' ? '' : ` (${c.place.detail})`}`),
    h('dt', {}, 'Status'),
    h('dd', {}, c.status === 'closed' ? 'Closed' : 'Open'),
    h('dt', {}, 'Risk'),
    h('dd', {}, riskLabel(c.assessment?.riskLevel ?? '')),
    h('dt', {}, 'Opened'),
    h('dd', {}, `${c.openedAt === '' ? '' : formatDateTime(c.openedAt)} by ${people.name(c.openedBy)}`),
    h('dt', {}, 'Marking'),
    h('dd', {}, c.marking),
  );
  const content = h(
    'div',
    { class: 'page context-page' },
    h('h1', {}, title),
    live ? null : h('p', { class: 'notice notice--info' }, `As it stood at ${formatDateTime(asOfParam ?? '')}. `, h('a', { href: here }, 'Show it as it is now')),
    facts,
    childrenSection(ctx, c, people, writable, reload),
    assessmentSection(ctx, c, people, live && c.status === 'open' && canWorkCases(role), reload),
    interventionsSection(ctx, c, people, writable, reload),
    decisionsSection(ctx, c, people, live, reload),
    timelineSection(c, people, here),
  );
  return { title, content };
}

type Reload = (text: string) => void;

function childrenSection(ctx: SignedInContext, c: ContextCase, people: People, writable: boolean, reload: Reload): HTMLElement {
  const linked = c.children.filter((k) => k.status === 'linked');
  const list =
    linked.length === 0
      ? emptyState('No children linked', 'Link the children this place or group brings together, saying why.')
      : h(
          'ul',
          { class: 'context-children' },
          ...linked.map((k) => {
            const name = k.visible ? k.label || `Child (case ${shortId(k.caseId)})` : 'A child whose case you have no need to know';
            return h(
              'li',
              { class: 'context-child' },
              k.visible ? h('a', { href: `/cases/${encodeURIComponent(k.caseId)}` }, name) : name,
              h('span', { class: 'hint-text' }, ` — ${k.reason} (linked ${k.addedAt === '' ? '' : formatDate(k.addedAt.slice(0, 10))} by ${people.name(k.addedBy)})`),
              writable ? unlinkForm(ctx, c, k.caseId, name, reload) : null,
            );
          }),
        );
  const removed = c.children.filter((k) => k.status === 'removed');
  return section(
    'context-children-heading',
    'Children linked',
    linked.length,
    list,
    removed.length === 0 ? null : h('p', { class: 'hint-text' }, `${removed.length} earlier ${removed.length === 1 ? 'link was' : 'links were'} removed; see the timeline.`),
    writable ? addChildForm(ctx, c, reload) : null,
  );
}

/** "Unlink…": a disclosure holding the reason and the button, so nothing is removed by one click. */
function unlinkForm(ctx: SignedInContext, c: ContextCase, caseId: string, name: string, reload: Reload): HTMLElement {
  const summary = new ErrorSummary();
  const reason = inputField({ label: `Why ${name} is no longer linked` });
  const submit = new SubmitButton('Unlink', 'Unlinking…', 'danger');
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': `Unlink ${name}` }, summary.element, reason.element, h('div', { class: 'form-actions' }, submit.element));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      reason.setError(null);
      if (reason.control.value.trim() === '') {
        reason.setError('Say why');
        summary.show([{ message: 'Say why the child is no longer linked', control: reason.control }]);
        summary.element.focus();
        return;
      }
      submit.setBusy(true);
      const r = await removeContextChild(ctx.app.api, c.id, c.version, caseId, reason.control.value.trim());
      submit.setBusy(false);
      if (r.ok) reload('Child unlinked; the link stays in the timeline.');
      else showProblem(summary, new Map<string, Field>([['reason', reason]]), r.problem);
    })();
  });
  return h('details', { class: 'context-child__unlink' }, h('summary', {}, 'Unlink…'), form);
}

function addChildForm(ctx: SignedInContext, c: ContextCase, reload: Reload): HTMLElement {
  const summary = new ErrorSummary();
  const linked = new Set(c.children.filter((k) => k.status === 'linked').map((k) => k.caseId));
  const child = selectField({ label: 'Child', choices: [{ value: '', label: 'Loading children’s cases…' }] });
  void fetchCases(ctx.app.api, 'open', 500).then((cases) => {
    const options = cases.ok ? cases.value.filter((k) => !linked.has(k.case_id)).map((k) => ({ value: k.case_id, label: k.label === '' ? `Unnamed child (case ${shortId(k.case_id)})` : k.label })) : [];
    child.control.replaceChildren(...[{ value: '', label: 'Choose a child' }, ...options].map((o) => h('option', { value: o.value }, o.label)));
  });
  const reason = inputField({ label: 'Why they are linked' });
  const submit = new SubmitButton('Link the child', 'Linking…', 'secondary');
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': 'Link a child' }, h('h3', {}, 'Link a child'), summary.element, child.element, reason.element, h('div', { class: 'form-actions' }, submit.element));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      child.setError(null);
      reason.setError(null);
      const errors: FieldError[] = [];
      if (child.control.value === '') {
        child.setError('Choose a child');
        errors.push({ message: 'Choose a child', control: child.control });
      }
      if (reason.control.value.trim() === '') {
        reason.setError('Say why they are linked');
        errors.push({ message: 'Say why they are linked', control: reason.control });
      }
      if (errors.length > 0) {
        summary.show(errors);
        summary.element.focus();
        return;
      }
      submit.setBusy(true);
      const r = await addContextChild(ctx.app.api, c.id, c.version, child.control.value, reason.control.value.trim());
      submit.setBusy(false);
      if (r.ok) reload('Child linked; their case shows the link.');
      else showProblem(summary, new Map<string, Field>([['case_id', child], ['reason', reason]]), r.problem);
    })();
  });
  return form;
}

function assessmentSection(ctx: SignedInContext, c: ContextCase, people: People, writable: boolean, reload: Reload): HTMLElement {
  const a = c.assessment;
  const current =
    a === null
      ? emptyState('Not assessed yet', 'Record what is known about the place or group and the risk it poses.')
      : h(
          'div',
          { class: 'context-assessment' },
          h('p', {}, h('strong', {}, riskLabel(a.riskLevel)), ` — ${a.riskReason}`),
          h('p', {}, a.summary),
          h('p', { class: 'hint-text' }, `Assessed ${a.at === '' ? '' : formatDateTime(a.at)} by ${people.name(a.by)}`),
        );
  if (!writable) return section('context-assessment-heading', 'Assessment', null, current);
  const summary = new ErrorSummary();
  const known = textareaField({ label: 'What is known about the place or group', rows: 4, value: a?.summary ?? '' });
  const level = radioGroup('Risk', 'context-risk', [
    { value: 'low', label: 'Low' },
    { value: 'medium', label: 'Medium' },
    { value: 'high', label: 'High' },
  ]);
  const why = inputField({ label: 'Why this level', value: a?.riskReason ?? '' });
  const submit = new SubmitButton('Record the assessment', 'Recording…', 'secondary');
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': 'Assess the context' }, h('h3', {}, a === null ? 'Assess the context' : 'Reassess'), summary.element, known.element, level.element, why.element, h('div', { class: 'form-actions' }, submit.element));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      known.setError(null);
      why.setError(null);
      level.setError(null);
      const errors: FieldError[] = [];
      if (known.control.value.trim() === '') {
        known.setError('Say what is known');
        errors.push({ message: 'Say what is known', control: known.control });
      }
      if (level.value() === '') {
        level.setError('Choose a risk level');
        errors.push({ message: 'Choose a risk level', control: level.inputs[0] ?? level.element });
      }
      if (why.control.value.trim() === '') {
        why.setError('Say why');
        errors.push({ message: 'Say why this level', control: why.control });
      }
      if (errors.length > 0) {
        summary.show(errors);
        summary.element.focus();
        return;
      }
      submit.setBusy(true);
      const r = await assessContext(ctx.app.api, c.id, c.version, { summary: known.control.value.trim(), riskLevel: level.value() as RiskLevel, riskReason: why.control.value.trim() });
      submit.setBusy(false);
      if (r.ok) reload('Assessment recorded.');
      else showProblem(summary, new Map<string, Field>([['summary', known], ['risk_reason', why]]), r.problem);
    })();
  });
  return section('context-assessment-heading', 'Assessment', null, current, form);
}

function interventionsSection(ctx: SignedInContext, c: ContextCase, people: People, writable: boolean, reload: Reload): HTMLElement {
  const statusText = (s: string, escalated: boolean): string => {
    if (s === 'done') return 'Done';
    if (s === 'cancelled') return 'Cancelled';
    return escalated ? 'Open, escalated' : 'Open';
  };
  const list =
    c.interventions.length === 0
      ? emptyState('No interventions', 'Disruption and safety work at the place or with the group: each is a task with an owner and a due date.')
      : h(
          'table',
          { class: 'table' },
          h('caption', { class: 'visually-hidden' }, 'Interventions'),
          h('thead', {}, h('tr', {}, ...['Intervention', 'Owner', 'Due', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
          h(
            'tbody',
            {},
            ...c.interventions.map((i) =>
              h(
                'tr',
                {},
                h('td', {}, i.description),
                h('td', {}, people.name(i.ownerId)),
                h('td', {}, i.due === null ? '' : formatDate(i.due)),
                h('td', {}, statusText(i.status, i.escalated), writable && i.status === 'open' ? doneForm(ctx, i.id, i.description, i.due, reload) : null),
              ),
            ),
          ),
        );
  if (!writable) return section('context-interventions-heading', 'Interventions', c.interventions.length, list);
  const summary = new ErrorSummary();
  const what = inputField({ label: 'Intervention', hint: 'For example a licensing visit, patrols, or detached youth work at the park.' });
  const owners = people.withRoles(['practitioner', 'manager', 'mash_coordinator']);
  const owner = selectField({ label: 'Owner', choices: [{ value: '', label: 'Choose who does it' }, ...owners.map((o) => ({ value: o.id, label: people.describe(o) }))] });
  const due = inputField({ label: 'Due', type: 'date', value: todayIso() });
  const submit = new SubmitButton('Add the intervention', 'Adding…', 'secondary');
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': 'Add an intervention' }, h('h3', {}, 'Add an intervention'), summary.element, what.element, owner.element, due.element, h('div', { class: 'form-actions' }, submit.element));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      for (const f of [what, owner, due]) f.setError(null);
      const errors: FieldError[] = [];
      if (what.control.value.trim() === '') errors.push({ message: 'Say what the intervention is', control: what.control });
      if (owner.control.value === '') errors.push({ message: 'Choose an owner', control: owner.control });
      if (!/^\d{4}-\d{2}-\d{2}$/.test(due.control.value)) errors.push({ message: 'Enter a due date such as 2026-12-01', control: due.control });
      if (errors.length > 0) {
        summary.show(errors);
        summary.element.focus();
        return;
      }
      submit.setBusy(true);
      const r: ApiResult<{ id: string }> = await addIntervention(ctx.app.api, c.id, c.version, { description: what.control.value.trim(), ownerId: owner.control.value, due: due.control.value });
      submit.setBusy(false);
      if (r.ok) reload('Intervention added to its owner’s work.');
      else showProblem(summary, new Map<string, Field>([['description', what], ['owner_id', owner], ['due', due]]), r.problem);
    })();
  });
  return section('context-interventions-heading', 'Interventions', c.interventions.length, list, form);
}

/** "Mark done…": today's date, and the reason when it is late (the server checks it too). */
function doneForm(ctx: SignedInContext, taskId: string, what: string, due: string | null, reload: Reload): HTMLElement {
  const summary = new ErrorSummary();
  const late = due !== null && todayIso() > due;
  const reason = inputField({ label: `Why ${what} was done late`, optional: !late });
  const submit = new SubmitButton('Mark done', 'Saving…', 'secondary');
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': `Mark ${what} done` }, summary.element, late ? reason.element : null, h('div', { class: 'form-actions' }, submit.element));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      reason.setError(null);
      if (late && reason.control.value.trim() === '') {
        reason.setError('Say why it was late');
        summary.show([{ message: 'Say why it was late', control: reason.control }]);
        summary.element.focus();
        return;
      }
      submit.setBusy(true);
      const r = await completeTask(ctx.app.api, taskId, todayIso(), late ? reason.control.value.trim() : '');
      submit.setBusy(false);
      if (r.ok) reload('Intervention marked done.');
      else showProblem(summary, new Map<string, Field>([['late_reason', reason]]), r.problem);
    })();
  });
  return h('details', {}, h('summary', {}, 'Mark done…'), form);
}

function decisionsSection(ctx: SignedInContext, c: ContextCase, people: People, live: boolean, reload: Reload): HTMLElement {
  const role = ctx.session.user.role;
  const me = ctx.session.user.id;
  const rows = c.decisions.map((d) => {
    let state: Child;
    if (d.status === 'proposed') state = 'Waiting for a manager’s sign-off.';
    else if (d.status === 'signed_off') state = `Signed off by ${people.name(d.signOffBy ?? '')}${d.signOffNote === '' ? '' : `: “${d.signOffNote}”`}`;
    else state = `Refused by ${people.name(d.signOffBy ?? '')}: “${d.signOffNote}”`;
    const signable = live && d.status === 'proposed' && canSignOff(role) && d.proposedBy !== me;
    return h(
      'li',
      { class: 'decision' },
      h('p', {}, h('strong', {}, 'Close the context case'), ` — proposed by ${people.name(d.proposedBy)} on ${formatDate(d.decidedOn)}: “${d.rationale}”`),
      h('p', { class: 'hint-text' }, state),
      signable ? signOffForm(ctx, d.id, reload) : null,
      live && d.status === 'proposed' && d.proposedBy === me ? h('p', { class: 'hint-text' }, 'Another manager must sign it off.') : null,
    );
  });
  const canPropose = live && c.status === 'open' && canWorkCases(role) && c.pendingDecisionId === '';
  return section(
    'context-decisions-heading',
    'Decisions',
    c.decisions.length,
    rows.length === 0 ? emptyState('No decisions', 'Closing the context case needs a rationale and a manager’s sign-off.') : h('ul', { class: 'decisions' }, ...rows),
    canPropose ? closureForm(ctx, c, reload) : null,
  );
}

function closureForm(ctx: SignedInContext, c: ContextCase, reload: Reload): HTMLElement {
  const summary = new ErrorSummary();
  const rationale = textareaField({ label: 'Why close it', rows: 3 });
  const submit = new SubmitButton('Propose closing', 'Proposing…', 'secondary');
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': 'Propose closing the context case' }, h('h3', {}, 'Propose closing'), h('p', { class: 'hint-text' }, 'A manager other than you signs it off; closing cancels open interventions.'), summary.element, rationale.element, h('div', { class: 'form-actions' }, submit.element));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      rationale.setError(null);
      if (rationale.control.value.trim() === '') {
        rationale.setError('Give the rationale');
        summary.show([{ message: 'Give the rationale', control: rationale.control }]);
        summary.element.focus();
        return;
      }
      submit.setBusy(true);
      const r = await proposeContextClosure(ctx.app.api, c.id, c.version, rationale.control.value.trim(), todayIso());
      submit.setBusy(false);
      if (r.ok) reload('Closure proposed; it waits for a manager’s sign-off.');
      else showProblem(summary, new Map<string, Field>([['rationale', rationale]]), r.problem);
    })();
  });
  return form;
}

function signOffForm(ctx: SignedInContext, decisionId: string, reload: Reload): HTMLElement {
  const summary = new ErrorSummary();
  const verdict = radioGroup('Your decision', `verdict-${decisionId}`, [
    { value: 'approve', label: 'Approve: close the context case' },
    { value: 'refuse', label: 'Refuse: keep it open' },
  ]);
  const note = inputField({ label: 'Note', optional: true, hint: 'Needed when you refuse.' });
  const submit = new SubmitButton('Sign off', 'Signing off…');
  const form = h('form', { class: 'action-form action-form--sign-off', novalidate: true, 'aria-label': 'Sign off the closure' }, summary.element, verdict.element, note.element, h('div', { class: 'form-actions' }, submit.element));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void (async () => {
      verdict.setError(null);
      note.setError(null);
      const v = verdict.value();
      const errors: FieldError[] = [];
      if (v === '') errors.push({ message: 'Choose approve or refuse', control: verdict.inputs[0] ?? verdict.element });
      if (v === 'refuse' && note.control.value.trim() === '') errors.push({ message: 'Say why you refuse', control: note.control });
      if (errors.length > 0) {
        summary.show(errors);
        summary.element.focus();
        return;
      }
      submit.setBusy(true);
      const r = await signOffContextClosure(ctx.app.api, decisionId, v as 'approve' | 'refuse', note.control.value.trim());
      submit.setBusy(false);
      if (r.ok) reload(v === 'approve' ? 'Signed off: the context case is closed.' : 'Closure refused: the context case stays open.');
      else showProblem(summary, new Map<string, Field>([['note', note]]), r.problem);
    })();
  });
  return form;
}

const kEventLabels: Record<string, string> = {
  opened: 'Opened',
  child_added: 'Child linked',
  child_removed: 'Child unlinked',
  assessed: 'Assessed',
  intervention_added: 'Intervention added',
  closure_proposed: 'Closure proposed',
  closure_refused: 'Closure refused',
  closed: 'Closed',
};

function timelineSection(c: ContextCase, people: People, here: string): HTMLElement {
  const detail = (e: ContextCase['events'][number]): string => {
    const d = e.detail;
    const text = (k: string): string => (typeof d[k] === 'string' ? (d[k] as string) : '');
    switch (e.kind) {
      case 'child_added':
      case 'child_removed':
        return text('reason');
      case 'assessed':
        return riskLabel(text('risk_level'));
      case 'intervention_added':
        return `${text('description')} (due ${text('due') === '' ? '' : formatDate(text('due'))})`;
      case 'closure_proposed':
        return text('rationale');
      default:
        return text('note');
    }
  };
  return section(
    'context-timeline-heading',
    'Timeline',
    c.events.length,
    h(
      'table',
      { class: 'table' },
      h('caption', { class: 'visually-hidden' }, 'Timeline, oldest first'),
      h('thead', {}, h('tr', {}, ...['When', 'What', 'Who', 'Detail'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        ...c.events.map((e) =>
          h(
            'tr',
            {},
            h('td', {}, e.at === '' ? '' : h('a', { href: `${here}?${new URLSearchParams({ as_of: e.at }).toString()}`, title: 'Show the context case as it stood then' }, formatDateTime(e.at))),
            h('td', {}, kEventLabels[e.kind] ?? e.kind.replace(/_/g, ' ')),
            h('td', {}, people.name(e.by)),
            h('td', {}, detail(e)),
          ),
        ),
      ),
    ),
  );
}
