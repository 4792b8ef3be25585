// /login: the sign-in form. The server answers a wrong username and a wrong password with the
// same 401, and this page adds nothing of its own that could tell the two apart. For an
// account with a second factor, a right password leads to a second form that asks for a code.

import { completeSignIn, signIn } from '../api/session_api';
import type { Problem, Session } from '../api/types';
import { h, replaceChildren } from '../dom';
import type { PageContext, PageView } from '../page';
import { isSafeReturnPath } from '../router';

type FieldName = 'username' | 'password';

const kFallbackMessages: Record<number, string> = {
  0: 'Safeguard could not be reached. Check your connection and try again.',
  400: 'Check your username and password and try again.',
  401: 'The username or password is not right.',
  429: 'Too many sign-in attempts. Wait a few minutes, then try again.',
};

export function loginPage(ctx: PageContext): PageView {
  const username = h('input', {
    id: 'username',
    name: 'username',
    type: 'text',
    class: 'input',
    autocomplete: 'username',
    autocapitalize: 'none',
    spellcheck: 'false',
    required: true,
  });
  const password = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    class: 'input',
    autocomplete: 'current-password',
    required: true,
  });
  const fields: Record<FieldName, HTMLInputElement> = { username, password };
  const submit = h('button', { type: 'submit', class: 'button button--primary' }, 'Sign in');
  // The alert region is in the page from the start (empty, so hidden by CSS), so assistive
  // technology announces the message when one is written into it.
  const error = h('div', { id: 'sign-in-error', class: 'error-summary', role: 'alert' });
  // Native validation bubbles are replaced by the same alert region as server errors.
  const form = h(
    'form',
    { class: 'sign-in__form', novalidate: true, 'aria-labelledby': 'sign-in-heading' },
    field('Username', username),
    field('Password', password),
    h('div', { class: 'form-actions' }, submit),
  );

  function showError(message: string, invalid: FieldName[]): void {
    replaceChildren(error, h('p', {}, message));
    for (const name of ['username', 'password'] as const) {
      const input = fields[name];
      if (invalid.includes(name)) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', error.id);
      } else {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      }
    }
  }

  function setBusy(busy: boolean): void {
    submit.disabled = busy;
    form.setAttribute('aria-busy', String(busy));
    replaceChildren(submit, busy ? 'Signing in…' : 'Sign in');
  }

  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    // Surrounding spaces in a username are never meant; the password is sent exactly as typed.
    const name = username.value.trim();
    const secret = password.value;
    const missing: FieldName[] = [];
    if (name === '') missing.push('username');
    if (secret === '') missing.push('password');
    if (missing.length > 0) {
      showError(missing.length === 2 ? 'Enter your username and password.' : `Enter your ${missing[0]}.`, missing);
      fields[missing[0] as FieldName].focus();
      return;
    }

    busy = true;
    setBusy(true);
    void signIn(ctx.app.api, name, secret).then((result) => {
      busy = false;
      setBusy(false);
      if (result.ok) {
        password.value = '';
        if (result.value.kind === 'session') {
          finish(result.value.session);
        } else {
          showCodeStep(result.value.token);
        }
        return;
      }
      const invalid = invalidFields(result.problem);
      showError(messageFor(result.problem), invalid);
      if (result.problem.status === 401) {
        password.value = '';
        password.focus();
      } else if (invalid.length > 0) {
        fields[invalid[0] as FieldName].focus();
      }
    });
  });

  function finish(session: Session): void {
    ctx.app.signedIn(session);
    const next = ctx.query.get('next');
    ctx.app.navigate(next !== null && isSafeReturnPath(next) ? next : '/', 'replace');
  }

  // The second step: the password was right; a code from the app (or a recovery code) and
  // the token from the first step open the session. The token lasts five minutes.
  const code = h('input', {
    id: 'second-factor-code',
    name: 'code',
    type: 'text',
    class: 'input',
    autocomplete: 'one-time-code',
    inputmode: 'numeric',
    spellcheck: 'false',
    required: true,
  });
  const codeSubmit = h('button', { type: 'submit', class: 'button button--primary' }, 'Continue');
  const codeForm = h(
    'form',
    { class: 'sign-in__form', novalidate: true, 'aria-label': 'Code from your authenticator app', hidden: true },
    h('p', {}, 'Enter the six-digit code from your authenticator app, or one of your recovery codes.'),
    field('Code', code),
    h('div', { class: 'form-actions' }, codeSubmit),
  );
  let pendingToken = '';
  function showCodeStep(token: string): void {
    pendingToken = token;
    replaceChildren(error);
    form.hidden = true;
    codeForm.hidden = false;
    code.value = '';
    code.focus();
  }
  codeForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    const typed = code.value.trim();
    if (typed === '') {
      replaceChildren(error, h('p', {}, 'Enter the code from your app.'));
      code.setAttribute('aria-invalid', 'true');
      code.focus();
      return;
    }
    busy = true;
    codeSubmit.disabled = true;
    void completeSignIn(ctx.app.api, pendingToken, typed).then((result) => {
      busy = false;
      codeSubmit.disabled = false;
      if (result.ok) {
        finish(result.value);
        return;
      }
      // One message for a wrong code and an expired sign-in, as the server gives.
      replaceChildren(error, h('p', {}, messageFor(result.problem)));
      code.setAttribute('aria-invalid', 'true');
      code.setAttribute('aria-describedby', error.id);
      code.value = '';
      code.focus();
    });
  });

  const content = h(
    'div',
    { class: 'sign-in' },
    h(
      'section',
      { class: 'card sign-in__card' },
      h('h1', { id: 'sign-in-heading' }, 'Sign in'),
      h('p', { class: 'lede' }, 'Use the Safeguard account your agency gave you.'),
      error,
      form,
      codeForm,
    ),
    h(
      'p',
      { class: 'sign-in__help' },
      'Forgotten your password or locked out? Contact your agency’s Safeguard administrator.',
    ),
    h(
      'p',
      { class: 'sign-in__help' },
      'Not a member of staff? You can ',
      h('a', { href: '/report' }, 'tell us you are worried about a child'),
      ' without signing in.',
    ),
  );
  return { title: 'Sign in', content, focus: username };
}

function field(label: string, input: HTMLInputElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { class: 'label', for: input.id }, label), input);
}

function messageFor(problem: Problem): string {
  return problem.detail ?? kFallbackMessages[problem.status] ?? problem.title;
}

// A 400 names the field it rejects; a 401 says nothing about which of the two was wrong.
function invalidFields(problem: Problem): FieldName[] {
  if (problem.status === 400 && (problem.field === 'username' || problem.field === 'password')) {
    return [problem.field];
  }
  if (problem.status === 401 || problem.status === 400) return ['username', 'password'];
  return [];
}
