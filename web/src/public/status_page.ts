// /report/status: the reporter types their secret code to see where the report stands, read
// the conversation with the team, and add information. The code lives only in this page's
// memory (a variable): never in the address, a cookie, localStorage or sessionStorage. It is
// sent in request bodies; a wrong code of any kind gets the same kind "not found" answer.

import type { Problem } from '../api/types';
import { h, replaceChildren } from '../dom';
import { ErrorSummary, SubmitButton, inputField, textareaField } from '../forms';
import { kReportPath } from '../public_paths';
import { helpBox, plainFieldMessage, plainProblem } from './common';
import { addInformation, fetchReportStatus, type ReportMessage, type ReportState, type ReportStatus } from './public_api';
import type { PublicContext, PublicView } from './report_main';

const kLongDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const kLongDateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

function longDate(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) && !Number.isNaN(date.getTime()) ? kLongDate.format(date) : iso;
}

function longDateTime(rfc3339: string): string {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? rfc3339 : kLongDateTime.format(date).replace(', ', ' at ');
}

const kStates: Record<ReportState, { title: string; text: string }> = {
  received: {
    title: 'We have your report',
    text: 'Your report has arrived safely. A team whose job is to keep children safe will read it soon.',
  },
  being_acted_on: {
    title: 'Your report is being looked at',
    text: 'People whose job is to keep children safe are looking into what you told us. We cannot tell you everything that happens, to keep the child’s information private.',
  },
  closed: {
    title: 'We have finished looking into your report',
    text: 'Thank you for telling us. If you are still worried, or something new happens, please send a new report.',
  },
};

/** "Your secret code has 8 words": how many words were typed, in the server's sense. */
function countWords(code: string): number {
  return code.split(/[^A-Za-z]+/).filter((w) => w !== '').length;
}

export function statusPage(ctx: PublicContext): PublicView {
  // The code for the report shown, while it is shown; null once cleared.
  let code: string | null = null;
  const handed = ctx.takeReceiptCode();

  const summary = new ErrorSummary();
  const codeField = inputField({
    label: 'Your secret code',
    hint: 'The eight words you were given when you sent your report, in the same order. Capital letters, spaces and dashes do not matter.',
    autocomplete: 'off',
    spellcheck: false,
  });
  codeField.control.setAttribute('autocapitalize', 'none');
  codeField.control.maxLength = 200;
  const submit = new SubmitButton('Check', 'Checking…');
  const form = h('form', { class: 'code-form', novalidate: true, 'aria-labelledby': 'code-form-heading' }, h('h2', { id: 'code-form-heading', class: 'visually-hidden' }, 'Your code'), summary.element, codeField.element, h('div', { class: 'form-actions' }, submit.element));
  // Announces "added to your report"; focus goes here after an action.
  const status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });
  const result = h('div', { class: 'report-result' });

  const clear = (): void => {
    code = null;
    codeField.control.value = '';
    replaceChildren(result);
    replaceChildren(status, h('p', { class: 'notice notice--success' }, 'The page has been cleared. Your code is no longer on this screen.'));
    form.hidden = false;
    ctx.focus(status);
  };

  const show = (report: ReportStatus, message: string | null): void => {
    replaceChildren(result, reportView(ctx, report, () => code, (text) => void refresh(text), clear));
    replaceChildren(status, message === null ? null : h('p', { class: 'notice notice--success' }, message));
  };

  const refresh = async (message: string): Promise<void> => {
    if (code === null) return;
    const r = await fetchReportStatus(ctx.api, code);
    if (r.ok) show(r.value, message);
    else replaceChildren(status, h('p', { class: 'notice notice--success' }, message));
    ctx.focus(status);
  };

  let busy = false;
  const check = async (typed: string): Promise<void> => {
    codeField.setError(null);
    summary.clear();
    replaceChildren(status);
    const trimmed = typed.trim();
    let problem: string | null = null;
    if (trimmed === '') problem = 'Type your secret code.';
    else if (countWords(trimmed) !== 8) problem = `Your secret code has 8 words. You have typed ${countWords(trimmed)}.`;
    if (problem !== null) {
      codeField.setError(problem);
      summary.show([{ message: problem, control: codeField.control }], 'Please check your code');
      summary.element.focus();
      return;
    }
    busy = true;
    submit.setBusy(true);
    const r = await fetchReportStatus(ctx.api, trimmed);
    busy = false;
    submit.setBusy(false);
    if (r.ok) {
      code = trimmed;
      show(r.value, null);
      const heading = result.querySelector('h2');
      if (heading !== null) ctx.focus(heading);
      return;
    }
    code = null;
    replaceChildren(result);
    showCodeProblem(r.problem);
  };

  const showCodeProblem = (p: Problem): void => {
    if (p.status === 404) {
      const message = 'We could not find a report with that code. Check each word and try again.';
      codeField.setError(message);
      summary.show([{ message, control: codeField.control }], 'We could not find your report');
    } else if (p.status === 400 && p.field === 'receipt_code') {
      const message = plainFieldMessage('receipt_code', p.detail ?? p.title);
      codeField.setError(message);
      summary.show([{ message, control: codeField.control }], 'Please check your code');
    } else {
      summary.show([{ message: plainProblem(p) }], p.status === 429 ? 'Please wait a little while' : 'We could not check your report');
    }
    summary.element.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!busy) void check(codeField.control.value);
  });

  const content = h(
    'div',
    { class: 'public-page' },
    h('h1', {}, 'Check on your report'),
    h('p', { class: 'lede' }, 'Type the secret code you were given when you sent your report. You can see how things are going, read messages from the team, and tell us more.'),
    helpBox(),
    form,
    status,
    result,
    h('p', { class: 'hint-text' }, 'Lost your code? We cannot look it up for you, but you can ', h('a', { href: kReportPath }, 'send a new report'), '.'),
  );

  if (handed !== null) {
    // Straight from sending the report: check it at once, with the code still in memory.
    codeField.control.value = handed;
    void check(handed);
  }
  return { title: 'Check on your report', content };
}

function reportView(
  ctx: PublicContext,
  report: ReportStatus,
  code: () => string | null,
  onAdded: (message: string) => void,
  onClear: () => void,
): HTMLElement {
  const state = kStates[report.status];
  const clear = h('button', { type: 'button', class: 'button button--secondary' }, 'I have finished: clear this page');
  clear.addEventListener('click', onClear);
  return h(
    'section',
    { class: 'report-status', 'aria-labelledby': 'report-status-title' },
    h('h2', { id: 'report-status-title', tabindex: '-1' }, `Your report ${report.reference}`),
    h(
      'dl',
      { class: 'facts report-status__facts' },
      h('dt', {}, 'Sent on'),
      h('dd', {}, longDate(report.received_on)),
      h('dt', {}, 'Where it is now'),
      h('dd', {}, h('span', { class: `report-state report-state--${report.status}` }, state.title)),
    ),
    h('p', {}, state.text),
    h('h3', { class: 'report-status__subtitle' }, 'Messages'),
    report.messages.length === 0
      ? h('p', { class: 'hint-text' }, 'No messages yet. If the team has a question for you, or something to tell you, it will appear here.')
      : conversation(report.messages),
    addForm(ctx, code, onAdded),
    h('div', { class: 'form-actions' }, clear),
  );
}

function conversation(messages: readonly ReportMessage[]): HTMLElement {
  return h(
    'ol',
    { class: 'conversation' },
    ...messages.map((m) =>
      h(
        'li',
        { class: `message message--${m.from}` },
        h('p', { class: 'message__who' }, h('strong', {}, m.from === 'staff' ? 'From the team' : 'You wrote'), ` · ${longDateTime(m.at)}`),
        h('p', { class: 'message__text' }, m.text),
      ),
    ),
  );
}

function addForm(ctx: PublicContext, code: () => string | null, onAdded: (message: string) => void): HTMLElement {
  const text = textareaField({
    label: 'Tell us more',
    hint: 'Anything else you remember, or an answer to a question from the team. Only put your name here if you want to.',
    rows: 5,
    maxlength: 5000,
  });
  const summary = new ErrorSummary();
  const submit = new SubmitButton('Send', 'Sending…');
  const form = h('form', { class: 'add-form', novalidate: true, 'aria-labelledby': 'add-form-heading' }, h('h3', { id: 'add-form-heading', class: 'report-status__subtitle' }, 'Add to your report'), summary.element, text.element, h('div', { class: 'form-actions' }, submit.element));
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    text.setError(null);
    summary.clear();
    const value = text.control.value.trim();
    const current = code();
    if (value === '') {
      text.setError('Write what you want to tell us.');
      summary.show([{ message: 'Write what you want to tell us.', control: text.control }], 'Nothing was sent');
      summary.element.focus();
      return;
    }
    if (current === null) return;
    busy = true;
    submit.setBusy(true);
    void addInformation(ctx.api, current, value).then((r) => {
      busy = false;
      submit.setBusy(false);
      if (r.ok) {
        onAdded('Thank you. We have added this to your report, and the team will see it.');
        return;
      }
      if (r.problem.status === 400 && r.problem.field === 'text') {
        const message = plainFieldMessage('text', r.problem.detail ?? r.problem.title);
        text.setError(message);
        summary.show([{ message, control: text.control }], 'Nothing was sent');
      } else if (r.problem.status === 404) {
        summary.show([{ message: 'We could not find your report any more. Please check your code again.' }], 'Nothing was sent');
      } else {
        summary.show([{ message: plainProblem(r.problem) }], r.problem.status === 429 ? 'Please wait a little while' : 'Nothing was sent');
      }
      summary.element.focus();
    });
  });
  return form;
}
