// Forms in parts with repeating rows: a fieldset per part ("Children", "Vehicles"), and rows
// that can be added and removed ("Child 1", "Vehicle 2"), each with its fields by JSON path so
// that a server error naming "children/0/date_of_birth" finds its input. Used by the staff
// "Raise a concern" page and the public report page.

import { h, replaceChildren } from './dom';
import type { Field } from './forms';

export type JsonObject = Record<string, unknown>;

/** Sets obj[key] to the trimmed text when there is any (absent fields are omitted, not ""). */
export function put(obj: JsonObject, key: string, value: string): void {
  const trimmed = value.trim();
  if (trimmed !== '') obj[key] = trimmed;
}

// ---- Repeating groups --------------------------------------------------------------------

/** One entry of a repeating group (a child, a vehicle…), with its fields by JSON path. */
export interface Row {
  readonly ref: string;
  readonly element: HTMLFieldSetElement;
  readonly legend: HTMLLegendElement;
  readonly removeButton: HTMLButtonElement;
  /** Fields by their path inside the item ("date_of_birth", "identifiers/nhs_number"). */
  readonly fields: Record<string, Field>;
  /** The item's JSON, or null when the row was left empty (it is then not sent). */
  toJson(): JsonObject | null;
}

export interface RowContent {
  fields: Record<string, Field>;
  /** Field paths in display order; each field's element is laid out in a grid. */
  layout: string[][];
  toJson(): JsonObject | null;
  /** Shown under the row's fields, for example what other agencies know about a person. */
  extra?: HTMLElement;
}

export interface RepeaterOptions {
  /** "Child", "Person", "Vehicle": the legend of each row ("Child 2"). */
  noun: string;
  /** The add button's text: "Add another child". */
  addLabel: string;
  /** Prefix of each row's ref; refs stay stable when rows are removed. */
  refPrefix: string;
  /** Rows present at the start; at least this many stay. */
  min: number;
  build(ref: string): RowContent;
  onChange?: () => void;
}

export class Repeater {
  readonly element: HTMLElement;
  readonly rows: Row[] = [];
  private readonly list: HTMLElement;
  private readonly addButton: HTMLButtonElement;
  private readonly options: RepeaterOptions;
  private counter = 0;

  constructor(options: RepeaterOptions) {
    this.options = options;
    this.list = h('div', { class: 'repeat-list' });
    this.addButton = h('button', { type: 'button', class: 'button button--secondary' }, options.addLabel);
    this.addButton.addEventListener('click', () => {
      const row = this.add();
      row.fields[Object.keys(row.fields)[0] ?? '']?.control.focus();
    });
    this.element = h('div', { class: 'repeater' }, this.list, h('div', { class: 'repeater__add' }, this.addButton));
    for (let i = 0; i < options.min; i++) this.add();
  }

  add(): Row {
    this.counter += 1;
    const ref = `${this.options.refPrefix}${this.counter}`;
    const content = this.options.build(ref);
    const legend = h('legend', { class: 'repeat-row__legend' });
    const removeButton = h('button', { type: 'button', class: 'button button--link repeat-row__remove' });
    const element = h(
      'fieldset',
      { class: 'repeat-row' },
      legend,
      ...content.layout.map((line) =>
        h('div', { class: `field-row field-row--${line.length}` }, ...line.map((path) => content.fields[path]?.element ?? null)),
      ),
      content.extra ?? null,
      removeButton,
    );
    const row: Row = { ref, element, legend, removeButton, fields: content.fields, toJson: content.toJson };
    removeButton.addEventListener('click', () => this.remove(row));
    this.rows.push(row);
    this.list.appendChild(element);
    this.renumber();
    this.options.onChange?.();
    return row;
  }

  private remove(row: Row): void {
    const index = this.rows.indexOf(row);
    if (index < 0 || this.rows.length <= this.options.min) return;
    this.rows.splice(index, 1);
    row.element.remove();
    this.renumber();
    this.options.onChange?.();
    // Focus goes to the row that took its place, or the add button.
    const next = this.rows[index] ?? this.rows[index - 1];
    if (next !== undefined && !next.removeButton.hidden) next.removeButton.focus();
    else this.addButton.focus();
  }

  private renumber(): void {
    this.rows.forEach((row, i) => {
      const label = `${this.options.noun} ${i + 1}`;
      replaceChildren(row.legend, label);
      replaceChildren(row.removeButton, `Remove ${label.toLowerCase()}`);
      row.removeButton.hidden = this.rows.length <= this.options.min;
    });
  }

  /** The items to send, and which row each array index came from. */
  collect(): { items: JsonObject[]; rows: Row[] } {
    const items: JsonObject[] = [];
    const rows: Row[] = [];
    for (const row of this.rows) {
      const json = row.toJson();
      if (json === null) continue;
      items.push(json);
      rows.push(row);
    }
    return { items, rows };
  }

  /** Where the group's own errors ("children: a concern must name at least one child") go. */
  focusTarget(): HTMLElement {
    const first = this.rows[0];
    return first === undefined ? this.addButton : (first.fields[Object.keys(first.fields)[0] ?? '']?.control ?? this.addButton);
  }
}

/** A JSON object of the non-empty text fields at `paths`, or null when all are empty. */
export function textJson(fields: Record<string, Field>, paths: readonly string[]): JsonObject | null {
  const out: JsonObject = {};
  for (const path of paths) {
    const field = fields[path];
    if (field !== undefined) put(out, path, field.control.value);
  }
  return Object.keys(out).length === 0 ? null : out;
}

/** A part of a long form: a panel fieldset with a legend and an optional hint. */
export function formPart(title: string, hint: string | null, ...body: HTMLElement[]): HTMLElement {
  return h('fieldset', { class: 'panel form-part' }, h('legend', { class: 'form-part__legend' }, title), hint === null ? null : h('p', { class: 'field__hint' }, hint), ...body);
}
