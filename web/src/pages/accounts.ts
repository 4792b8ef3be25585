// Account pages (issues 6 and 8). /admin/users: every account with its role, agency, line
// manager and status; add a user (their one-time password is shown once), change role,
// manager or name, disable and enable, reset a password. /admin/agencies: the partnership's
// agencies, and adding one. /account/password: any signed-in user changes their own password.
// Administrators see accounts only, never case content.

import {
  AGENCY_KINDS,
  addAgency,
  addUser,
  changePassword,
  fetchAccounts,
  fetchAgencyDetails,
  resetPassword,
  resetSecondFactor,
  updateUser,
  type Account,
  type AccountChange,
  type AgencyDetail,
  type AgencyKind,
} from '../api/admin_api';
import { ROLES, isRole, type Role } from '../api/types';
import { h, replaceChildren, type Child } from '../dom';
import { formatDate } from '../format';
import {
  ErrorSummary,
  SubmitButton,
  confirmAction,
  inputField,
  problemMessage,
  selectField,
  setChoices,
  type Choice,
  type Field,
  type FieldError,
} from '../forms';
import type { PageView, SignedInContext } from '../page';
import { canAdminister, roleLabel } from '../roles';
import { emptyState, loadError, section } from '../work_list';
import { adminPage, notForRole, required, showProblem } from './admin';
import { endEveryonesSessionsSection, endSessionsButton } from './sessions';

const kKindLabels: Record<AgencyKind, string> = {
  police: 'Police',
  childrens_services: 'Children’s services',
  health: 'Health',
  education: 'Education',
  youth_service: 'Youth service',
  other: 'Other',
};

/** The shortest password the server accepts (access::Accounts, ASVS V6.2.1). */
const kMinPassword = 12;

const roleChoices: Choice[] = ROLES.map((r) => ({ value: r, label: roleLabel(r) }));

function passwordField(label: string, autocomplete: string, hint?: string): Field<HTMLInputElement> {
  const field = inputField({ label, autocomplete, spellcheck: false, ...(hint === undefined ? {} : { hint }) });
  field.control.type = 'password';
  return field;
}

/** The one-time password, shown once with what to do with it. */
function oneTimePassword(heading: string, password: string): HTMLElement {
  return h(
    'div',
    { class: 'notice notice--success', 'data-testid': 'one-time-password' },
    h('p', {}, heading),
    h('p', {}, 'One-time password: ', h('code', { class: 'one-time-password' }, password)),
    h(
      'p',
      {},
      'Give it to them in person or over another secure channel. It is shown only this once: Safeguard keeps only a hash of it and cannot show it again. Ask them to change it when they first sign in (Change password).',
    ),
  );
}

function managerChoices(accounts: Account[], agencyCode: string, exceptId: string | null): Choice[] {
  const eligible = accounts
    .filter((a) => a.active && a.agency?.code === agencyCode && a.id !== exceptId)
    .sort((a, b) => a.display_name.localeCompare(b.display_name));
  return [{ value: '', label: 'No line manager' }, ...eligible.map((a) => ({ value: a.username, label: `${a.display_name} (${roleLabel(a.role)})` }))];
}

// ---- /admin/users -----------------------------------------------------------------------

export async function usersPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Users';
  if (!canAdminister(ctx.session.user.role)) return notForRole(title);
  const { status, body, content } = adminPage(title, 'Accounts of every agency in the partnership. Disabling an account or resetting its password signs its holder out at once; so does Sign out everywhere, which leaves the account as it is. Every change is recorded in the audit ledger.');
  const load = async (message: Child): Promise<void> => {
    const [accounts, agencies] = await Promise.all([fetchAccounts(ctx.app.api), fetchAgencyDetails(ctx.app.api)]);
    if (!accounts.ok || !agencies.ok) {
      const problem = !accounts.ok ? accounts.problem : !agencies.ok ? agencies.problem : null;
      loadError(body, `The accounts could not be loaded: ${problem === null ? '' : problemMessage(problem)}`);
      return;
    }
    const reload = (next: Child): void => void load(next);
    const report = (text: string, ok: boolean): void => reload(ok ? success(text) : failure(text));
    replaceChildren(body, accountsSection(ctx, accounts.value, reload), addUserSection(ctx, accounts.value, agencies.value, reload), endEveryonesSessionsSection(ctx, report));
    replaceChildren(status, message);
    if (message !== null && message !== undefined && message !== false) status.focus();
  };
  await load(null);
  return { title, content };
}

function success(text: string): HTMLElement {
  return h('p', { class: 'notice notice--success' }, text);
}

function failure(text: string): HTMLElement {
  return h('p', { class: 'notice notice--error' }, text);
}

function accountsSection(ctx: SignedInContext, accounts: Account[], reload: (message: Child) => void): HTMLElement {
  if (accounts.length === 0) return section('accounts-heading', 'Accounts', 0, emptyState('No accounts', 'Add the first below.'));
  const rows = accounts.map((a) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, a.display_name, h('span', { class: 'table__sub' }, a.username)),
      h('td', {}, roleLabel(a.role)),
      h('td', {}, a.agency === null ? '—' : `${a.agency.name} (${a.agency.code})`),
      h('td', {}, a.manager === null ? '—' : a.manager.display_name),
      h('td', {}, h('span', { class: 'tag' }, a.active ? 'Active' : 'Disabled'), h('span', { class: 'table__sub' }, `Since ${formatDate(a.created_at.slice(0, 10))}`)),
      h('td', { class: 'second-factor-cell' }, a.second_factor ? 'Set up' : 'None'),
      h('td', {}, accountActions(ctx, a, accounts, reload)),
    ),
  );
  return section(
    'accounts-heading',
    'Accounts',
    accounts.length,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table accounts-table' },
        h('caption', { class: 'visually-hidden' }, 'Accounts by username'),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, 'Name'),
            h('th', { scope: 'col' }, 'Role'),
            h('th', { scope: 'col' }, 'Agency'),
            h('th', { scope: 'col' }, 'Line manager'),
            h('th', { scope: 'col' }, 'Status'),
            h('th', { scope: 'col' }, 'Second factor'),
            h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
          ),
        ),
        h('tbody', {}, ...rows),
      ),
    ),
  );
}

// Change (an inline form), Disable or Enable, Reset password and (for an account with one)
// Reset second factor, each confirmed.
function accountActions(ctx: SignedInContext, account: Account, accounts: Account[], reload: (message: Child) => void): HTMLElement {
  const name = account.display_name;
  const self = account.id === ctx.session.user.id;
  const toggle = h('button', { type: 'button', class: 'button button--secondary button--small', 'aria-expanded': 'false', 'aria-label': `Change ${name}` }, 'Change');
  const form = changeForm(ctx, account, accounts, reload);
  toggle.setAttribute('aria-controls', form.id);
  toggle.addEventListener('click', () => {
    form.hidden = !form.hidden;
    toggle.setAttribute('aria-expanded', String(!form.hidden));
    if (!form.hidden) form.querySelector('select')?.focus();
  });
  const report = (text: string, ok: boolean): void => reload(ok ? success(text) : failure(text));

  const disable = h('button', { type: 'button', class: `button button--${account.active ? 'danger' : 'secondary'} button--small`, 'aria-label': `${account.active ? 'Disable' : 'Enable'} ${name}` }, account.active ? 'Disable' : 'Enable');
  disable.addEventListener('click', () => {
    const disabling = account.active;
    void confirmAction({
      title: disabling ? `Disable ${name}?` : `Enable ${name}?`,
      body: disabling
        ? [`${name} will be signed out at once, on their next request, and cannot sign in until the account is enabled again.`, 'Their records, decisions and audit trail stay as they are.']
        : [`${name} will be able to sign in again with their current password.`],
      confirmLabel: disabling ? 'Disable the account' : 'Enable the account',
    }).then(async (yes) => {
      if (!yes) {
        disable.focus();
        return;
      }
      disable.disabled = true;
      const r = await updateUser(ctx.app.api, account.username, { disabled: disabling });
      if (r.ok) report(disabling ? `${name}’s account is disabled and their sessions have ended.` : `${name}’s account is enabled.`, true);
      else report(`${name}’s account was not changed: ${problemMessage(r.problem)}`, false);
    });
  });

  const reset = h('button', { type: 'button', class: 'button button--secondary button--small', 'aria-label': `Reset password for ${name}` }, 'Reset password');
  reset.addEventListener('click', () => {
    void confirmAction({
      title: `Reset ${name}’s password?`,
      body: [`${name} will be signed out at once and their current password will stop working.`, 'A new one-time password will be shown to you once.'],
      confirmLabel: 'Reset the password',
    }).then(async (yes) => {
      if (!yes) {
        reset.focus();
        return;
      }
      reset.disabled = true;
      const r = await resetPassword(ctx.app.api, account.username);
      if (r.ok) reload(oneTimePassword(`${name}’s password is reset and their sessions have ended.`, r.value));
      else report(`The password was not reset: ${problemMessage(r.problem)}`, false);
    });
  });
  const resetFactor = h('button', { type: 'button', class: 'button button--secondary button--small', 'aria-label': `Reset second factor for ${name}` }, 'Reset second factor');
  resetFactor.addEventListener('click', () => {
    void confirmAction({
      title: `Reset ${name}’s second factor?`,
      body: [`For a lost or replaced phone. ${name} will be signed out at once; their authenticator app and recovery codes stop working.`, 'They set up a new one when they next sign in.'],
      confirmLabel: 'Reset the second factor',
    }).then(async (yes) => {
      if (!yes) {
        resetFactor.focus();
        return;
      }
      resetFactor.disabled = true;
      const r = await resetSecondFactor(ctx.app.api, account.username);
      if (r.ok) report(`${name}’s second factor is reset and their sessions have ended.`, true);
      else report(`The second factor was not reset: ${problemMessage(r.problem)}`, false);
    });
  });
  const signOut = account.active && !self ? endSessionsButton(ctx, account, report) : null;
  // Only an account with a factor has one to reset.
  const canResetFactor = account.active && !self && account.second_factor;
  return h('div', {}, h('div', { class: 'form-actions' }, toggle, self ? null : disable, account.active ? reset : null, canResetFactor ? resetFactor : null, signOut), form);
}

function changeForm(ctx: SignedInContext, account: Account, accounts: Account[], reload: (message: Child) => void): HTMLFormElement {
  const role = selectField({ label: 'Role', choices: roleChoices, value: account.role });
  const manager = selectField({
    label: 'Line manager',
    optional: true,
    hint: 'Overdue work escalates to them. Someone in the same agency.',
    choices: managerChoices(accounts, account.agency?.code ?? '', account.id),
    value: account.manager?.username ?? '',
  });
  const displayName = inputField({ label: 'Name shown to colleagues', value: account.display_name });
  const summary = new ErrorSummary();
  const submit = new SubmitButton('Save the changes', 'Saving…');
  const form = h(
    'form',
    { id: `change-${account.id}`, class: 'inline-form', novalidate: true, hidden: true, 'aria-label': `Change ${account.display_name}` },
    summary.element,
    role.element,
    manager.element,
    displayName.element,
    h('div', { class: 'form-actions' }, submit.element),
  );
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    for (const f of [role, manager, displayName]) f.setError(null);
    summary.clear();
    const change: AccountChange = {};
    const chosenRole = role.control.value;
    if (isRole(chosenRole) && chosenRole !== account.role) change.role = chosenRole;
    const chosenManager = manager.control.value;
    if (chosenManager !== (account.manager?.username ?? '')) change.manager = chosenManager === '' ? null : chosenManager;
    const name = displayName.control.value.trim();
    if (name === '') {
      summary.show([required(displayName, 'Enter the name shown to colleagues')]);
      summary.element.focus();
      return;
    }
    if (name !== account.display_name) change.display_name = name;
    if (Object.keys(change).length === 0) {
      summary.show([{ message: 'Nothing has changed', control: role.control }]);
      summary.element.focus();
      return;
    }
    busy = true;
    submit.setBusy(true);
    void updateUser(ctx.app.api, account.username, change).then((r) => {
      busy = false;
      submit.setBusy(false);
      if (r.ok) reload(success(`${r.value.display_name}’s account is changed.`));
      else showProblem(summary, r.problem, { role, manager, display_name: displayName }, 'The account was not changed');
    });
  });
  return form;
}

function addUserSection(ctx: SignedInContext, accounts: Account[], agencies: AgencyDetail[], reload: (message: Child) => void): HTMLElement {
  const username = inputField({ label: 'Username', hint: '3 to 64 characters: lower-case letters, digits, dots, hyphens and underscores. It is how they sign in.', spellcheck: false });
  const displayName = inputField({ label: 'Name shown to colleagues' });
  const role = selectField({ label: 'Role', choices: [{ value: '', label: 'Choose a role' }, ...roleChoices] });
  const agency = selectField({ label: 'Agency', choices: [{ value: '', label: 'Choose an agency' }, ...agencies.map((a) => ({ value: a.code, label: `${a.name} (${a.code})` }))] });
  const manager = selectField({ label: 'Line manager', optional: true, hint: 'Overdue work escalates to them. Choose the agency first.', choices: managerChoices(accounts, '', null) });
  agency.control.addEventListener('change', () => setChoices(manager.control, managerChoices(accounts, agency.control.value, null)));
  const summary = new ErrorSummary();
  const submit = new SubmitButton('Add the user', 'Adding…');
  const form = h(
    'form',
    { class: 'action-form', novalidate: true, 'aria-labelledby': 'add-user-heading' },
    summary.element,
    h('div', { class: 'field-row field-row--2' }, username.element, displayName.element),
    h('div', { class: 'field-row field-row--2' }, role.element, agency.element),
    manager.element,
    h('p', { class: 'field__hint' }, 'Safeguard generates a one-time password and shows it to you once.'),
    h('div', { class: 'form-actions' }, submit.element),
  );
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    for (const f of [username, displayName, role, agency, manager]) f.setError(null);
    summary.clear();
    const errors: FieldError[] = [];
    const login = username.control.value.trim();
    if (login === '') errors.push(required(username, 'Enter the username'));
    else if (!/^[a-z0-9._-]{3,64}$/.test(login)) errors.push(required(username, 'Username must be 3 to 64 lower-case letters, digits, dots, hyphens or underscores'));
    if (displayName.control.value.trim() === '') errors.push(required(displayName, 'Enter the name shown to colleagues'));
    const chosenRole = role.control.value;
    if (!isRole(chosenRole)) errors.push(required(role, 'Choose the role'));
    if (agency.control.value === '') errors.push(required(agency, 'Choose the agency'));
    if (errors.length > 0 || !isRole(chosenRole)) {
      summary.show(errors);
      summary.element.focus();
      return;
    }
    busy = true;
    submit.setBusy(true);
    const request = { username: login, display_name: displayName.control.value.trim(), role: chosenRole as Role, agency: agency.control.value, manager: manager.control.value === '' ? null : manager.control.value };
    void addUser(ctx.app.api, request).then((r) => {
      busy = false;
      submit.setBusy(false);
      if (r.ok) reload(oneTimePassword(`Account added for ${r.value.account.display_name} (${r.value.account.username}).`, r.value.password));
      else showProblem(summary, r.problem, { username, display_name: displayName, role, agency, manager }, 'The user was not added');
    });
  });
  return section('add-user-heading', 'Add a user', null, form);
}

// ---- /admin/agencies --------------------------------------------------------------------

export async function agenciesPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Agencies';
  if (!canAdminister(ctx.session.user.role)) return notForRole(title);
  const { status, body, content } = adminPage(title, 'The agencies of the partnership. Each sees only its own records until a sharing agreement opens another’s.');
  const load = async (message: string | null): Promise<void> => {
    const agencies = await fetchAgencyDetails(ctx.app.api);
    if (!agencies.ok) {
      loadError(body, `The agencies could not be loaded: ${problemMessage(agencies.problem)}`);
      return;
    }
    const list =
      agencies.value.length === 0
        ? emptyState('No agencies', 'Add the first below.')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'table agencies-table' },
              h('caption', { class: 'visually-hidden' }, 'Agencies by code'),
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Code'), h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Kind'))),
              h('tbody', {}, ...agencies.value.map((a) => h('tr', {}, h('td', {}, a.code), h('th', { scope: 'row' }, a.name), h('td', {}, kKindLabels[a.kind])))),
            ),
          );
    replaceChildren(body, section('agencies-heading', 'Agencies', agencies.value.length, list), addAgencySection(ctx, (m) => void load(m)));
    replaceChildren(status, message === null ? null : success(message));
    if (message !== null) status.focus();
  };
  await load(null);
  return { title, content };
}

function addAgencySection(ctx: SignedInContext, reload: (message: string) => void): HTMLElement {
  const code = inputField({ label: 'Code', hint: '2 to 16 capital letters, digits or hyphens, for example NFP.', spellcheck: false, className: 'field--narrow' });
  const name = inputField({ label: 'Name' });
  const kind = selectField({ label: 'Kind', choices: AGENCY_KINDS.map((k) => ({ value: k, label: kKindLabels[k] })), value: 'other' });
  const summary = new ErrorSummary();
  const submit = new SubmitButton('Add the agency', 'Adding…');
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-labelledby': 'add-agency-heading' }, summary.element, code.element, name.element, kind.element, h('div', { class: 'form-actions' }, submit.element));
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    for (const f of [code, name, kind]) f.setError(null);
    summary.clear();
    const errors: FieldError[] = [];
    const codeText = code.control.value.trim();
    if (codeText === '') errors.push(required(code, 'Enter the code'));
    else if (!/^[A-Z0-9-]{2,16}$/.test(codeText)) errors.push(required(code, 'Code must be 2 to 16 capital letters, digits or hyphens'));
    if (name.control.value.trim() === '') errors.push(required(name, 'Enter the name'));
    if (errors.length > 0) {
      summary.show(errors);
      summary.element.focus();
      return;
    }
    busy = true;
    submit.setBusy(true);
    void addAgency(ctx.app.api, { code: codeText, name: name.control.value.trim(), kind: kind.control.value as AgencyKind }).then((r) => {
      busy = false;
      submit.setBusy(false);
      if (r.ok) reload(`Agency added: ${r.value.name} (${r.value.code}).`);
      else showProblem(summary, r.problem, { code, name, kind }, 'The agency was not added');
    });
  });
  return section('add-agency-heading', 'Add an agency', null, form);
}

// ---- /account/password ------------------------------------------------------------------

export function passwordPage(ctx: SignedInContext): PageView {
  const title = 'Change your password';
  const status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });
  const current = passwordField('Current password', 'current-password');
  const fresh = passwordField('New password', 'new-password', `At least ${kMinPassword} characters. A long passphrase of ordinary words is good; there are no rules about symbols or digits.`);
  const again = passwordField('New password again', 'new-password');
  const summary = new ErrorSummary();
  const submit = new SubmitButton('Change the password', 'Changing…');
  // The username lets password managers file the new password under the right account.
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', value: ctx.session.user.username, hidden: true, readonly: true });
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': title }, summary.element, username, current.element, fresh.element, again.element, h('div', { class: 'form-actions' }, submit.element));
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    for (const f of [current, fresh, again]) f.setError(null);
    summary.clear();
    replaceChildren(status);
    const errors: FieldError[] = [];
    if (current.control.value === '') errors.push(required(current, 'Enter your current password'));
    // Length in bytes, as the server counts it.
    const length = new TextEncoder().encode(fresh.control.value).length;
    if (fresh.control.value === '') errors.push(required(fresh, 'Enter a new password'));
    else if (length < kMinPassword) errors.push(required(fresh, `New password must be at least ${kMinPassword} characters`));
    else if (length > 1024) errors.push(required(fresh, 'New password must be at most 1024 characters'));
    if (fresh.control.value !== '' && again.control.value !== fresh.control.value) errors.push(required(again, 'The two new passwords are not the same'));
    if (errors.length > 0) {
      summary.show(errors);
      summary.element.focus();
      return;
    }
    busy = true;
    submit.setBusy(true);
    void changePassword(ctx.app.api, current.control.value, fresh.control.value).then((r) => {
      busy = false;
      submit.setBusy(false);
      if (!r.ok) {
        showProblem(summary, r.problem, { current_password: current, new_password: fresh }, 'Your password was not changed');
        return;
      }
      for (const f of [current, fresh, again]) f.control.value = '';
      if (ctx.session.user.must_change_password) ctx.app.signedIn({ ...ctx.session, user: { ...ctx.session.user, must_change_password: false } });
      replaceChildren(status, success('Your password is changed. You stay signed in here; any other sessions of yours have been signed out.'));
      status.focus();
    });
  });
  const content = h(
    'div',
    { class: 'page page--form' },
    h('h1', {}, title),
    h('p', { class: 'lede' }, 'Changing it signs you out everywhere else, so anyone who knew the old one is shut out.'),
    status,
    form,
  );
  return { title, content };
}
