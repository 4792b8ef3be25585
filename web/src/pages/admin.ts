// Administrators' pages for the access model (docs/security.md, "Access model"). /admin/sharing:
// the sharing agreements in force between agencies, with Revoke, and a form to record one.
// /admin/reviewers: an independent reviewer's remit (agencies and a period). Administrators
// see no case content; these pages name agencies and accounts only.

import { CATEGORIES, addSharingAgreement, fetchSharingAgreements, revokeGrant, setReviewScope, type Category, type Grant } from '../api/access_api';
import { fetchAgencies, fetchColleagues } from '../api/casework_api';
import type { Agency, Problem } from '../api/types';
import { h, replaceChildren } from '../dom';
import { formatDate, formatDateTime, todayIso } from '../format';
import {
  ErrorSummary,
  SubmitButton,
  checkboxGroup,
  fieldMessage,
  inputField,
  problemMessage,
  selectField,
  textareaField,
  type Field,
  type FieldError,
} from '../forms';
import type { PageView, SignedInContext } from '../page';
import { canAdminister } from '../roles';
import { emptyState, loadError, section } from '../work_list';

const kCategoryLabels: Record<Category, string> = {
  person_index: 'Person index: that they hold records about a person, and the links',
  concerns: 'Concerns: narratives and the people, vehicles, phones and places in them',
  casework: 'Casework: cases, tasks, decisions and meetings',
  risk: 'Risk screenings',
  alerts: 'Alerts and escalations',
};

function categoryName(code: string): string {
  const label = kCategoryLabels[code as Category] as string | undefined;
  return label === undefined ? code.replace(/_/g, ' ') : (label.split(':')[0] ?? code);
}

export function notForRole(title: string): PageView {
  return { title, content: h('div', { class: 'page' }, h('h1', {}, title), h('p', {}, 'Only administrators manage access. Ask your system administrator.')) };
}

/** The frame of an administrator's page: heading, lede, a status line for outcomes, and a body the page fills. */
export function adminPage(title: string, lede: string, pageClass = 'page'): { status: HTMLElement; body: HTMLElement; content: HTMLElement } {
  const status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });
  const body = h('div', {});
  const content = h('div', { class: pageClass }, h('h1', {}, title), h('p', { class: 'lede' }, lede), status, body);
  return { status, body, content };
}

export function required(field: Field, message: string): FieldError {
  field.setError(message);
  return { message, control: field.control };
}

/** Shows a refused request in `summary`, beside its field when the problem names one of `fields`. */
export function showProblem(summary: ErrorSummary, problem: Problem, fields: Record<string, Field>, title: string): void {
  const detail = problemMessage(problem);
  // Errors about one item of a list ("categories/2") belong to the list.
  const key = problem.field?.split('/')[0];
  const field = key === undefined ? undefined : fields[key];
  if (field !== undefined) {
    const message = fieldMessage(field.label, detail);
    field.setError(message);
    summary.show([{ message, control: field.control }], title);
  } else {
    summary.show([{ message: detail }], title);
  }
  summary.element.focus();
}

// ---- /admin/sharing ---------------------------------------------------------------------

export async function sharingPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Sharing agreements';
  if (!canAdminister(ctx.session.user.role)) return notForRole(title);
  const { status, body, content } = adminPage(title, 'A sharing agreement opens some categories of one agency’s records to another. Each takes effect at once, and revoking it closes access on the very next request.');
  const load = async (message: string | null): Promise<void> => {
    const [agreements, agencies] = await Promise.all([fetchSharingAgreements(ctx.app.api), fetchAgencies(ctx.app.api)]);
    if (!agreements.ok || !agencies.ok) {
      const problem = !agreements.ok ? agreements.problem : !agencies.ok ? agencies.problem : null;
      loadError(body, `The agreements could not be loaded: ${problem === null ? '' : problemMessage(problem)}`);
      return;
    }
    const reload = (text: string): void => void load(text);
    replaceChildren(body, agreementsSection(ctx, agreements.value, agencies.value, reload), addAgreementSection(ctx, agencies.value, reload));
    replaceChildren(status, message === null ? null : h('p', { class: 'notice notice--success' }, message));
    if (message !== null) status.focus();
  };
  await load(null);
  return { title, content };
}

function agreementsSection(ctx: SignedInContext, agreements: Grant[], agencies: Agency[], reload: (message: string) => void): HTMLElement {
  const agency = (id: string): string => {
    const a = agencies.find((x) => x.id === id);
    return a === undefined ? `Agency ${id}` : `${a.name} (${a.code})`;
  };
  if (agreements.length === 0) {
    return section('agreements-heading', 'In force', 0, emptyState('No agreements', 'Each agency sees only its own records until an agreement is recorded below.'));
  }
  const rows = agreements.map((g) => {
    const what = `${agency(g.object)} to ${agency(g.grantee)}`;
    return h(
      'tr',
      {},
      h('td', {}, agency(g.object), h('span', { class: 'table__sub' }, `to ${agency(g.grantee)}`)),
      h('td', {}, h('ul', { class: 'member-list' }, ...g.scope.split(',').filter((c) => c !== '').map((c) => h('li', {}, categoryName(c))))),
      h('td', {}, g.reason),
      h('td', {}, formatDateTime(g.valid_from ?? g.created_at)),
      h('td', {}, revokeControl(ctx, g, what, reload)),
    );
  });
  return section(
    'agreements-heading',
    'In force',
    agreements.length,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table sharing-table' },
        h('caption', { class: 'visually-hidden' }, 'Sharing agreements in force, oldest first'),
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col' }, 'Provider → recipient'), h('th', { scope: 'col' }, 'Categories'), h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col' }, 'Since'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions'))),
        ),
        h('tbody', {}, ...rows),
      ),
    ),
  );
}

// "Revoke" opens a small form in the row: a required reason, then the request.
function revokeControl(ctx: SignedInContext, grant: Grant, what: string, reload: (message: string) => void): HTMLElement {
  const toggle = h('button', { type: 'button', class: 'button button--secondary button--small', 'aria-expanded': 'false', 'aria-label': `Revoke the agreement from ${what}` }, 'Revoke');
  const reason = textareaField({ label: 'Reason for revoking', rows: 2, maxlength: 1000 });
  const summary = new ErrorSummary();
  const submit = new SubmitButton('Revoke the agreement', 'Revoking…', 'danger');
  const form = h('form', { id: `revoke-${grant.id}`, class: 'inline-form', novalidate: true, hidden: true }, summary.element, reason.element, h('div', { class: 'form-actions' }, submit.element));
  toggle.setAttribute('aria-controls', form.id);
  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) reason.control.focus();
  });
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    reason.setError(null);
    summary.clear();
    const text = reason.control.value.trim();
    if (text === '') {
      summary.show([required(reason, 'Give the reason for revoking it')]);
      summary.element.focus();
      return;
    }
    busy = true;
    submit.setBusy(true);
    void revokeGrant(ctx.app.api, grant.id, text).then((r) => {
      busy = false;
      submit.setBusy(false);
      if (r.ok) reload(`The agreement from ${what} is revoked.`);
      else showProblem(summary, r.problem, { reason }, 'It was not revoked');
    });
  });
  return h('div', {}, toggle, form);
}

function addAgreementSection(ctx: SignedInContext, agencies: Agency[], reload: (message: string) => void): HTMLElement {
  const choices = [{ value: '', label: 'Choose an agency' }, ...agencies.map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))];
  const provider = selectField({ label: 'Provider', hint: 'The agency whose records are shared.', choices });
  const recipient = selectField({ label: 'Recipient', hint: 'The agency that may see them.', choices });
  const categories = checkboxGroup('Categories shared', 'categories', CATEGORIES.map((c) => ({ value: c, label: kCategoryLabels[c] })));
  const reason = textareaField({ label: 'Reason', rows: 3, maxlength: 1000, hint: 'The agreement’s basis, for example “MASH information-sharing agreement 2026”.' });
  const summary = new ErrorSummary();
  const submit = new SubmitButton('Record the agreement', 'Recording…');
  const form = h(
    'form',
    { class: 'action-form', novalidate: true, 'aria-labelledby': 'add-agreement-heading' },
    summary.element,
    h('div', { class: 'field-row field-row--2' }, provider.element, recipient.element),
    categories.element,
    reason.element,
    h('div', { class: 'form-actions' }, submit.element),
  );
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    for (const f of [provider, recipient, reason]) f.setError(null);
    categories.setError(null);
    summary.clear();
    const errors: FieldError[] = [];
    if (provider.control.value === '') errors.push(required(provider, 'Choose the provider'));
    if (recipient.control.value === '') errors.push(required(recipient, 'Choose the recipient'));
    else if (recipient.control.value === provider.control.value) errors.push(required(recipient, 'Choose another agency than the provider'));
    const chosen = categories.values() as Category[];
    if (chosen.length === 0) {
      categories.setError('Choose at least one category');
      errors.push({ message: 'Choose at least one category', control: categories.inputs[0] as HTMLElement });
    }
    if (reason.control.value.trim() === '') errors.push(required(reason, 'Give the reason for the agreement'));
    if (errors.length > 0) {
      summary.show(errors);
      summary.element.focus();
      return;
    }
    busy = true;
    submit.setBusy(true);
    void addSharingAgreement(ctx.app.api, { provider: provider.control.value, recipient: recipient.control.value, categories: chosen, reason: reason.control.value.trim() }).then((r) => {
      busy = false;
      submit.setBusy(false);
      if (r.ok) reload(`Agreement recorded: ${provider.control.value} shares with ${recipient.control.value}.`);
      else showProblem(summary, r.problem, { provider, recipient, reason }, 'The agreement was not recorded');
    });
  });
  return section('add-agreement-heading', 'Record an agreement', null, form);
}

// ---- /admin/reviewers -------------------------------------------------------------------

export async function reviewersPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Reviewers’ remits';
  if (!canAdminister(ctx.session.user.role)) return notForRole(title);
  const { status, body, content } = adminPage(title, 'An independent reviewer reads only the records of the agencies in their remit, first recorded within its period, and changes nothing. Setting a remit replaces the one in force.', 'page page--form');
  const [users, agencies] = await Promise.all([fetchColleagues(ctx.app.api), fetchAgencies(ctx.app.api)]);
  if (!users.ok || !agencies.ok) {
    const problem = !users.ok ? users.problem : !agencies.ok ? agencies.problem : null;
    loadError(body, `The reviewers could not be loaded: ${problem === null ? '' : problemMessage(problem)}`);
    return { title, content };
  }
  const reviewers = users.value.filter((u) => u.role === 'reviewer').sort((a, b) => a.display_name.localeCompare(b.display_name));
  if (reviewers.length === 0) {
    replaceChildren(body, emptyState('No reviewers', 'Accounts with the independent reviewer role appear here.'));
    return { title, content };
  }
  const reviewer = selectField({
    label: 'Reviewer',
    choices: [{ value: '', label: 'Choose a reviewer' }, ...reviewers.map((u) => ({ value: u.id, label: `${u.display_name}${u.agency === null ? '' : ` (${u.agency.name})`}` }))],
  });
  const scope = checkboxGroup('Agencies', 'agencies', agencies.value.map((a) => ({ value: a.code, label: `${a.name} (${a.code})` })), 'The agencies whose records the reviewer may read.');
  const from = inputField({ label: 'From', type: 'date', hint: 'Records first recorded on or after this day.' });
  const to = inputField({ label: 'To', type: 'date', value: todayIso(), hint: 'Up to and including this day.' });
  const summary = new ErrorSummary();
  const submit = new SubmitButton('Set the remit', 'Saving…');
  const form = h(
    'form',
    { class: 'action-form', novalidate: true, 'aria-label': 'Set a reviewer’s remit' },
    summary.element,
    reviewer.element,
    scope.element,
    h('div', { class: 'field-row field-row--2' }, from.element, to.element),
    h('div', { class: 'form-actions' }, submit.element),
  );
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    for (const f of [reviewer, from, to]) f.setError(null);
    scope.setError(null);
    summary.clear();
    const errors: FieldError[] = [];
    if (reviewer.control.value === '') errors.push(required(reviewer, 'Choose the reviewer'));
    const codes = scope.values();
    if (codes.length === 0) {
      scope.setError('Choose at least one agency');
      errors.push({ message: 'Choose at least one agency', control: scope.inputs[0] as HTMLElement });
    }
    if (from.control.value === '') errors.push(required(from, 'Enter the first day of the period'));
    if (to.control.value === '') errors.push(required(to, 'Enter the last day of the period'));
    else if (from.control.value !== '' && to.control.value < from.control.value) errors.push(required(to, 'The last day must not be before the first'));
    if (errors.length > 0) {
      summary.show(errors);
      summary.element.focus();
      return;
    }
    busy = true;
    submit.setBusy(true);
    const who = reviewers.find((u) => u.id === reviewer.control.value)?.display_name ?? 'the reviewer';
    void setReviewScope(ctx.app.api, reviewer.control.value, { agencies: codes, from: from.control.value, to: to.control.value }).then((r) => {
      busy = false;
      submit.setBusy(false);
      if (!r.ok) {
        showProblem(summary, r.problem, { user_id: reviewer, from, to }, 'The remit was not set');
        return;
      }
      replaceChildren(status, h('p', { class: 'notice notice--success' }, `Remit set for ${who}: ${codes.join(', ')}, records first recorded from ${formatDate(from.control.value)} to ${formatDate(to.control.value)}.`));
      status.focus();
    });
  });
  replaceChildren(body, form);
  return { title, content };
}
