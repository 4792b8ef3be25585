// /account/second-factor: a signed-in user sets up an authenticator app (TOTP, RFC 6238) as
// their second factor, sees their recovery codes once, or removes the factor to set up a new
// one. Where a second factor is required, an account without one is kept to this page.

import { encode } from 'uqr';

import { confirmEnrolment, removeSecondFactor, startEnrolment } from '../api/session_api';
import { h, replaceChildren } from '../dom';
import { ErrorSummary, SubmitButton, inputField, problemMessage, type FieldError } from '../forms';
import type { PageView, SignedInContext } from '../page';
import { required, showProblem } from './admin';

function codeField(label: string) {
  return inputField({ label, autocomplete: 'one-time-code', spellcheck: false, inputmode: 'numeric', name: 'code' });
}

const SVG = 'http://www.w3.org/2000/svg';

/**
 * The otpauth:// URI as a QR code that authenticator apps scan, made here in the browser (uqr,
 * MIT: nothing is sent anywhere) and drawn as SVG elements, one square per dark module, with
 * presentation attributes rather than a style, so the strict CSP holds. Error correction M and
 * the four-module quiet zone the QR standard asks for.
 */
function qrCode(uri: string): SVGSVGElement {
  const { size, data } = encode(uri, { ecc: 'M', border: 4 });
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('id', 'second-factor-qr');
  svg.setAttribute('class', 'qr-code');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'QR code for your authenticator app (the key is also written below)');
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(size));
  background.setAttribute('height', String(size));
  background.setAttribute('fill', '#fff');
  let modules = '';
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) modules += `M${x} ${y}h1v1h-1z`;
    });
  });
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', modules);
  path.setAttribute('fill', '#000');
  svg.append(background, path);
  return svg;
}

export function secondFactorPage(ctx: SignedInContext): PageView {
  const title = 'Second factor';
  const status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });
  const body = h('div', {});
  const user = ctx.session.user;

  function enrolView(): HTMLElement {
    const summary = new ErrorSummary();
    const start = new SubmitButton('Set up an authenticator app', 'Starting…');
    const area = h('div', {});
    const startForm = h('form', { class: 'action-form', novalidate: true, 'aria-label': 'Start' }, summary.element, h('div', { class: 'form-actions' }, start.element));
    startForm.addEventListener('submit', (event) => {
      event.preventDefault();
      start.setBusy(true);
      void startEnrolment(ctx.app.api).then((r) => {
        start.setBusy(false);
        if (!r.ok) {
          summary.show([{ message: problemMessage(r.problem), control: start.element }], 'The set-up did not start');
          return;
        }
        startForm.hidden = true;
        replaceChildren(area, confirmView(r.value.secret, r.value.otpauth_uri));
        area.querySelector('input')?.focus();
      });
    });
    return h(
      'div',
      {},
      h('p', { class: 'lede' }, 'Besides your password, Safeguard asks for a six-digit code from an authenticator app on your phone (any app that supports TOTP).'),
      startForm,
      area,
    );
  }

  function confirmView(secret: string, uri: string): HTMLElement {
    const summary = new ErrorSummary();
    const code = codeField('Code from the app');
    const submit = new SubmitButton('Confirm', 'Checking…');
    const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': 'Confirm the app' }, summary.element, code.element, h('div', { class: 'form-actions' }, submit.element));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      code.setError(null);
      summary.clear();
      const value = code.control.value.replace(/\s/g, '');
      if (value === '') {
        const errors: FieldError[] = [required(code, 'Enter the six-digit code from the app')];
        summary.show(errors);
        return;
      }
      submit.setBusy(true);
      void confirmEnrolment(ctx.app.api, value).then((r) => {
        submit.setBusy(false);
        if (!r.ok) {
          showProblem(summary, r.problem, { code }, 'The app is not set up yet');
          return;
        }
        ctx.app.signedIn({ ...ctx.session, user: { ...user, second_factor: true, must_enrol_second_factor: false } });
        replaceChildren(body, recoveryView(r.value));
        status.focus();
      });
    });
    return h(
      'div',
      {},
      h('h2', {}, 'Add Safeguard to your app'),
      h('p', {}, 'In your authenticator app, add an account and scan this QR code. Keep it to yourself: it is shown only now.'),
      h('div', { class: 'qr-code-frame' }, qrCode(uri)),
      h('p', {}, 'If the app cannot scan it, type in this key instead (or paste the link below into an app that takes one):'),
      h('p', {}, h('code', { id: 'second-factor-secret', class: 'secret' }, secret)),
      h('p', {}, h('code', { id: 'second-factor-uri', class: 'secret' }, uri)),
      h('p', {}, 'Then enter the code the app shows.'),
      form,
    );
  }

  function recoveryView(codes: string[]): HTMLElement {
    replaceChildren(status, h('p', { class: 'notice notice--success' }, 'Your second factor is set up. From now on, signing in asks for a code from the app.'));
    return h(
      'div',
      {},
      h('h2', {}, 'Your recovery codes'),
      h('p', {}, 'If you lose your phone, each of these codes signs you in once in place of the app. Keep them somewhere safe, away from your phone. They are shown only now.'),
      h('ul', { id: 'recovery-codes', class: 'recovery-codes' }, ...codes.map((c) => h('li', {}, h('code', {}, c)))),
      h('p', {}, h('a', { href: '/' }, 'Carry on to Safeguard')),
    );
  }

  function removeView(): HTMLElement {
    const summary = new ErrorSummary();
    const password = inputField({ label: 'Current password', autocomplete: 'current-password', spellcheck: false });
    password.control.type = 'password';
    const code = codeField('Code from the app, or a recovery code');
    const submit = new SubmitButton('Remove the second factor', 'Removing…');
    const form = h('form', { class: 'action-form', novalidate: true, 'aria-label': 'Remove the second factor' }, summary.element, password.element, code.element, h('div', { class: 'form-actions' }, submit.element));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      for (const f of [password, code]) f.setError(null);
      summary.clear();
      const errors: FieldError[] = [];
      if (password.control.value === '') errors.push(required(password, 'Enter your current password'));
      if (code.control.value.trim() === '') errors.push(required(code, 'Enter a code'));
      if (errors.length > 0) {
        summary.show(errors);
        return;
      }
      submit.setBusy(true);
      void removeSecondFactor(ctx.app.api, password.control.value, code.control.value.trim()).then((r) => {
        submit.setBusy(false);
        if (!r.ok) {
          showProblem(summary, r.problem, { current_password: password, code }, 'The second factor was not removed');
          return;
        }
        ctx.app.signedIn({ ...ctx.session, user: { ...user, second_factor: false } });
        replaceChildren(status, h('p', { class: 'notice notice--success' }, 'Your second factor is removed. Set up a new one below.'));
        replaceChildren(body, enrolView());
        status.focus();
      });
    });
    return h(
      'div',
      {},
      h('p', { class: 'lede' }, 'Your authenticator app is set up. To move to a new phone, remove it here and set up the new one.'),
      form,
    );
  }

  replaceChildren(body, user.second_factor ? removeView() : enrolView());
  const content = h('div', { class: 'page page--form' }, h('h1', {}, title), status, body);
  return { title, content };
}
