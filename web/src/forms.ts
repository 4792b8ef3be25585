// Form building blocks shared by the casework pages: labelled fields with a hint and an error
// message tied to the control (aria-describedby, aria-invalid), an error summary that links to
// the fields, busy submit buttons, and a confirmation dialog for destructive actions.

import type { Problem } from './api/types';
import { h, replaceChildren } from './dom';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A labelled control with its hint and its error message. */
export interface Field<C extends Control = Control> {
  readonly element: HTMLElement;
  /** The label's text, for messages such as "Date of birth is in the future". */
  readonly label: string;
  readonly control: C;
  /** Shows `message` under the control and marks it invalid; null clears both. */
  setError(message: string | null): void;
}

let nextId = 0;

/** A document-unique id with a readable prefix. */
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

export interface FieldOptions {
  label: string;
  hint?: string;
  /** Marks the label "(optional)"; fields are required by default in wording only. */
  optional?: boolean;
  /** Extra classes on the wrapper (for example 'field--narrow'). */
  className?: string;
}

function makeField<C extends Control>(control: C, options: FieldOptions): Field<C> {
  if (control.id === '') control.id = uniqueId('f');
  const id = control.id;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const error = h('p', { id: errorId, class: 'field__error', hidden: true });
  const hint = options.hint === undefined ? null : h('p', { id: hintId, class: 'field__hint' }, options.hint);
  const label = h(
    'label',
    { class: 'label', for: id },
    options.label,
    options.optional === true ? h('span', { class: 'label__optional' }, ' (optional)') : null,
  );
  const describe = (withError: boolean): void => {
    const ids = [hint === null ? null : hintId, withError ? errorId : null].filter((x) => x !== null);
    if (ids.length > 0) control.setAttribute('aria-describedby', ids.join(' '));
    else control.removeAttribute('aria-describedby');
  };
  describe(false);
  const element = h('div', { class: `field${options.className === undefined ? '' : ` ${options.className}`}` }, label, hint, error, control);
  return {
    element,
    label: options.label,
    control,
    setError(message) {
      element.classList.toggle('field--error', message !== null);
      replaceChildren(error, message === null ? null : h('span', { class: 'visually-hidden' }, 'Error: '), message);
      error.hidden = message === null;
      if (message === null) control.removeAttribute('aria-invalid');
      else control.setAttribute('aria-invalid', 'true');
      describe(message !== null);
    },
  };
}

export interface InputOptions extends FieldOptions {
  type?: 'text' | 'date' | 'datetime-local' | 'tel' | 'number';
  value?: string;
  name?: string;
  autocomplete?: string;
  /** Sets the native `required` flag (we validate ourselves: forms are novalidate). */
  required?: boolean;
  inputmode?: string;
  spellcheck?: boolean;
  max?: string;
  /** For date-time inputs: "1" lets seconds be entered. */
  step?: string;
}

export function inputField(options: InputOptions): Field<HTMLInputElement> {
  const input = h('input', {
    type: options.type ?? 'text',
    class: 'input',
    name: options.name ?? null,
    autocomplete: options.autocomplete ?? 'off',
    required: options.required === true,
    inputmode: options.inputmode ?? null,
    spellcheck: options.spellcheck === false ? 'false' : null,
    max: options.max ?? null,
    step: options.step ?? null,
  });
  if (options.value !== undefined) input.value = options.value;
  return makeField(input, options);
}

export interface TextareaOptions extends FieldOptions {
  rows?: number;
  value?: string;
  required?: boolean;
  maxlength?: number;
}

export function textareaField(options: TextareaOptions): Field<HTMLTextAreaElement> {
  const textarea = h('textarea', {
    class: 'input textarea',
    rows: String(options.rows ?? 4),
    required: options.required === true,
    maxlength: options.maxlength === undefined ? null : String(options.maxlength),
  });
  if (options.value !== undefined) textarea.value = options.value;
  return makeField(textarea, options);
}

export interface Choice {
  value: string;
  label: string;
}

export interface SelectOptions extends FieldOptions {
  choices: readonly Choice[];
  /** Groups of choices shown under <optgroup> labels, after `choices`. */
  groups?: ReadonlyArray<{ label: string; choices: readonly Choice[] }>;
  value?: string;
  required?: boolean;
}

export function selectField(options: SelectOptions): Field<HTMLSelectElement> {
  const select = h('select', { class: 'input select', required: options.required === true });
  setChoices(select, options.choices, options.groups);
  if (options.value !== undefined) select.value = options.value;
  return makeField(select, options);
}

/** Replaces a select's options, keeping the chosen value when it is still offered. */
export function setChoices(
  select: HTMLSelectElement,
  choices: readonly Choice[],
  groups: ReadonlyArray<{ label: string; choices: readonly Choice[] }> = [],
): void {
  const keep = select.value;
  const option = (c: Choice): HTMLOptionElement => h('option', { value: c.value }, c.label);
  replaceChildren(
    select,
    ...choices.map(option),
    ...groups.map((g) => h('optgroup', { label: g.label }, ...g.choices.map(option))),
  );
  if ([...select.options].some((o) => o.value === keep)) select.value = keep;
}

/** A fieldset of radio buttons; `value()` is the checked one ('' when none). */
export interface RadioGroup {
  readonly element: HTMLFieldSetElement;
  readonly inputs: HTMLInputElement[];
  value(): string;
  setError(message: string | null): void;
}

export function radioGroup(legend: string, name: string, choices: readonly Choice[]): RadioGroup {
  const errorId = uniqueId('radio-error');
  const error = h('p', { id: errorId, class: 'field__error', hidden: true });
  const inputs = choices.map((c) => h('input', { type: 'radio', class: 'radio__input', name, value: c.value, id: uniqueId(name) }));
  const element = h(
    'fieldset',
    { class: 'fieldset' },
    h('legend', { class: 'legend' }, legend),
    error,
    h(
      'div',
      { class: 'radios' },
      ...choices.map((c, i) => {
        const input = inputs[i] as HTMLInputElement;
        return h('div', { class: 'radio' }, input, h('label', { class: 'radio__label', for: input.id }, c.label));
      }),
    ),
  );
  return {
    element,
    inputs,
    value: () => inputs.find((i) => i.checked)?.value ?? '',
    setError(message) {
      replaceChildren(error, message);
      error.hidden = message === null;
      element.classList.toggle('field--error', message !== null);
      if (message === null) element.removeAttribute('aria-describedby');
      else element.setAttribute('aria-describedby', errorId);
    },
  };
}

/** A fieldset of checkboxes; `values()` are the checked ones, in the order offered. */
export interface CheckboxGroup {
  readonly element: HTMLFieldSetElement;
  readonly inputs: HTMLInputElement[];
  values(): string[];
  setError(message: string | null): void;
}

export function checkboxGroup(legend: string, name: string, choices: readonly Choice[], hint?: string): CheckboxGroup {
  const errorId = uniqueId('checkbox-error');
  const hintId = uniqueId('checkbox-hint');
  const error = h('p', { id: errorId, class: 'field__error', hidden: true });
  const inputs = choices.map((c) => h('input', { type: 'checkbox', class: 'checkbox__input', name, value: c.value, id: uniqueId(name) }));
  const element = h(
    'fieldset',
    { class: 'fieldset', 'aria-describedby': hint === undefined ? null : hintId },
    h('legend', { class: 'legend' }, legend),
    hint === undefined ? null : h('p', { id: hintId, class: 'field__hint' }, hint),
    error,
    h(
      'div',
      { class: 'checkboxes' },
      ...choices.map((c, i) => {
        const input = inputs[i] as HTMLInputElement;
        return h('div', { class: 'checkbox' }, input, h('label', { class: 'checkbox__label', for: input.id }, c.label));
      }),
    ),
  );
  return {
    element,
    inputs,
    values: () => inputs.filter((i) => i.checked).map((i) => i.value),
    setError(message) {
      replaceChildren(error, message);
      error.hidden = message === null;
      element.classList.toggle('field--error', message !== null);
      const ids = [hint === undefined ? null : hintId, message === null ? null : errorId].filter((x) => x !== null);
      if (ids.length === 0) element.removeAttribute('aria-describedby');
      else element.setAttribute('aria-describedby', ids.join(' '));
    },
  };
}

/** An error shown in the summary: its message and, when known, the control it is about. */
export interface FieldError {
  message: string;
  control?: HTMLElement;
}

/**
 * The box at the top of a form that lists what is wrong, each linked to its field. It is a
 * role="alert" region present from the start, so writing into it is announced.
 */
export class ErrorSummary {
  readonly element: HTMLElement;

  constructor() {
    this.element = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' });
  }

  show(errors: readonly FieldError[], title = 'There is a problem'): void {
    if (errors.length === 0) {
      this.clear();
      return;
    }
    replaceChildren(
      this.element,
      h('h2', { class: 'error-summary__title' }, title),
      h(
        'ul',
        { class: 'error-summary__list' },
        ...errors.map((e) => {
          const control = e.control;
          if (control === undefined || control.id === '') return h('li', {}, e.message);
          const link = h('a', { href: `#${control.id}` }, e.message);
          // Move focus to the control itself; a fragment jump alone only scrolls.
          link.addEventListener('click', (event) => {
            event.preventDefault();
            control.focus();
          });
          return h('li', {}, link);
        }),
      ),
    );
  }

  clear(): void {
    replaceChildren(this.element);
  }
}

/**
 * A server message about a field, as a sentence naming it: the API says "is in the future"
 * or "must be one of …" about `field`, which reads as "Date of birth is in the future".
 */
export function fieldMessage(label: string, detail: string): string {
  if (/^(is|are|must|has|have|does|do|was|cannot|can't)\b/.test(detail)) return `${label} ${detail}`;
  return `${label}: ${detail}`;
}

/** The message to show for a problem: the server's detail, else its title. */
export function problemMessage(problem: Problem): string {
  return problem.detail ?? problem.title;
}

/** A submit button that shows a busy label and refuses clicks while a request is in flight. */
export class SubmitButton {
  readonly element: HTMLButtonElement;
  private readonly label: string;
  private readonly busyLabel: string;

  constructor(label: string, busyLabel: string, variant: 'primary' | 'secondary' | 'danger' = 'primary', type: 'submit' | 'button' = 'submit') {
    this.label = label;
    this.busyLabel = busyLabel;
    this.element = h('button', { type, class: `button button--${variant}` }, label);
  }

  setBusy(busy: boolean): void {
    this.element.disabled = busy;
    this.element.textContent = busy ? this.busyLabel : this.label;
  }
}

export interface ConfirmOptions {
  title: string;
  body: string[];
  confirmLabel: string;
  cancelLabel?: string;
}

/**
 * Asks the user to confirm a destructive action in a modal <dialog> (which keeps focus inside
 * and closes on Escape). Resolves true only when the confirm button is pressed.
 */
export function confirmAction(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = uniqueId('confirm-title');
    const confirm = h('button', { type: 'button', class: 'button button--danger' }, options.confirmLabel);
    const cancel = h('button', { type: 'button', class: 'button button--secondary' }, options.cancelLabel ?? 'Go back');
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId, class: 'dialog__title' }, options.title),
      ...options.body.map((p) => h('p', {}, p)),
      h('div', { class: 'form-actions' }, confirm, cancel),
    );
    let answer = false;
    confirm.addEventListener('click', () => {
      answer = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
