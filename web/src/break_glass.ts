// What a page shows when the server refuses a record for want of need to know (403 whose
// detail offers break glass): why, and a form to break glass with a reason. The grant lasts
// four hours and the auditors are told at once (docs/security.md, "Break-glass").

import { breakGlass, kBreakGlassMinReason, type Grant } from './api/access_api';
import type { ApiClient } from './api/client';
import type { Problem } from './api/types';
import { h } from './dom';
import { ErrorSummary, SubmitButton, fieldMessage, problemMessage, textareaField } from './forms';

/**
 * True when `problem` is a refusal the user may override by breaking glass. The server says so
 * in the 403's detail only to roles that may break glass (workflow::NeedToKnow::require_read);
 * other roles (reviewers, auditors, administrators) are told their role does not see it.
 */
export function offersBreakGlass(problem: Problem): boolean {
  return problem.status === 403 && /break glass/i.test(problem.detail ?? '');
}

export interface BreakGlassOptions {
  api: ApiClient;
  recordId: string;
  /** "case" or "record", as the page names what was refused. */
  what: string;
  /** Called once access is granted, to load the record. */
  onGranted(grant: Grant): void | Promise<void>;
  /** A link back, such as My work. */
  back: HTMLElement;
}

/** The refusal page with the break-glass form; its <h1> is the place to move focus. */
export function breakGlassView(options: BreakGlassOptions): HTMLElement {
  const reason = textareaField({
    label: 'Why you need to see it now',
    hint: `At least ${kBreakGlassMinReason} characters. Say what the emergency is and why it cannot wait for a sharing agreement or a place on the case team.`,
    rows: 4,
    maxlength: 1000,
  });
  const summary = new ErrorSummary();
  const submit = new SubmitButton('Break glass', 'Breaking glass…', 'danger');
  const form = h(
    'form',
    { class: 'action-form break-glass', novalidate: true, 'aria-labelledby': 'break-glass-title' },
    h('h2', { id: 'break-glass-title', class: 'action-form__title' }, 'Break glass'),
    h(
      'div',
      { class: 'notice notice--warning' },
      h('p', {}, h('strong', {}, 'The auditors are told at once. '), `They see your name, this ${options.what}, the time and your reason.`),
      h('p', {}, 'Access lasts 4 hours. Every look at the record is logged as usual.'),
    ),
    summary.element,
    reason.element,
    h('div', { class: 'form-actions' }, submit.element),
  );
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    reason.setError(null);
    summary.clear();
    const text = reason.control.value.trim();
    if (text.length < kBreakGlassMinReason) {
      const message = text === '' ? 'Say why you need to see it now' : `Give a reason of at least ${kBreakGlassMinReason} characters`;
      reason.setError(message);
      summary.show([{ message, control: reason.control }]);
      summary.element.focus();
      return;
    }
    busy = true;
    submit.setBusy(true);
    void breakGlass(options.api, options.recordId, text).then(async (result) => {
      busy = false;
      submit.setBusy(false);
      if (result.ok) {
        await options.onGranted(result.value);
        return;
      }
      const detail = problemMessage(result.problem);
      const message = result.problem.field === 'reason' ? fieldMessage(reason.label, detail) : detail;
      if (result.problem.field === 'reason') reason.setError(message);
      summary.show([{ message, control: reason.control }], 'Access was not granted');
      summary.element.focus();
    });
  });
  return h(
    'div',
    { class: 'page break-glass-page' },
    h('h1', {}, 'You have no need to know this record'),
    h('p', { class: 'lede' }, `This ${options.what} is not your agency’s, is not shared with your agency, and you are not on its case team; or it is restricted to named people.`),
    h('p', {}, 'Ask a manager of the case to add you to its team. Only in an emergency, when a child may be at risk and nobody can add you in time, break glass.'),
    form,
    h('p', {}, options.back),
  );
}
