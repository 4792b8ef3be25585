// Help while a concern is being written, which never stands in the way of recording it:
// "Known to N other agency records" under a child or person once a name and a date of birth
// (or an approximate age) are typed, and suggestions from the narrative (vehicles, phones,
// e-mail addresses, postcodes, dates) that the practitioner adds to the form one by one.
// Both only propose: a failed request shows nothing alarming, and nothing is added to the
// form without the practitioner's say-so.

import type { ApiClient } from './api/client';
import { extractFromNarrative, isKnownKind, type ExtractedItem, type ExtractedKind } from './api/extract_api';
import { matchPerson, type PersonQuery } from './api/people_api';
import { h, replaceChildren } from './dom';
import type { Field } from './forms';
import type { Repeater, Row } from './repeater';

// ---- Known to ----------------------------------------------------------------------------

// Typing pauses this long before the lookup (each lookup is a ledger consultation).
const kDebounceMs = 600;

/** A whole number of years, as the approximate-age field takes it, or null. */
export function wholeYears(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n <= 120 ? n : null;
}

/**
 * What to look up for a person row, or null when there is not yet a name and a date of birth
 * or an age. An age is sent as the date of birth "AGE on DATE" (src/resolve/dates.h).
 */
export function personQuery(fields: Record<string, Field>, ageOn: string): PersonQuery | null {
  const value = (key: string): string => fields[key]?.control.value.trim() ?? '';
  const given = value('given_name');
  const family = value('family_name');
  if (given === '' && family === '') return null;
  const dob = value('date_of_birth');
  const age = wholeYears(value('approx_age'));
  const when = dob !== '' ? dob : age === null ? '' : `${age} on ${ageOn}`;
  if (when === '') return null;
  const query: PersonQuery = { date_of_birth: when };
  if (given !== '') query.given_name = given;
  if (family !== '') query.family_name = family;
  return query;
}

/**
 * The line under a person row saying how many other agencies' records match what has been
 * typed, with links to those people (in a new tab, so the form is kept). Watches the row's
 * name, date-of-birth and age fields; `ageOn` gives the date an approximate age was given.
 */
export function knownToHint(api: ApiClient, fields: Record<string, Field>, ageOn: () => string): HTMLElement {
  const element = h('div', { class: 'known-to', 'aria-live': 'polite' });
  let timer: number | undefined;
  let sent = '';
  let sequence = 0;

  const lookUp = async (): Promise<void> => {
    const query = personQuery(fields, ageOn());
    const key = query === null ? '' : JSON.stringify(query);
    if (key === sent) return;
    sent = key;
    const mine = ++sequence;
    if (query === null) {
      replaceChildren(element);
      return;
    }
    const result = await matchPerson(api, query);
    // A later lookup has been sent (or answered) since: this answer is stale.
    if (mine !== sequence) return;
    // Unreadable dates, a missing service or a network failure: say nothing, the form goes on.
    if (!result.ok || result.value.length === 0) {
      replaceChildren(element);
      return;
    }
    const matches = result.value;
    const entities = [...new Set(matches.map((m) => m.entity_id))].slice(0, 3);
    const n = matches.length;
    replaceChildren(
      element,
      h(
        'p',
        { class: 'known-to__text' },
        h('strong', {}, `Known to ${n} other agency ${n === 1 ? 'record' : 'records'}.`),
        ' ',
        ...entities.flatMap((id, i) => [
          i === 0 ? null : ' · ',
          h('a', { href: `/persons/${encodeURIComponent(id)}`, target: '_blank', rel: 'noopener' }, entities.length === 1 ? 'See their records' : `See possible person ${i + 1}`, h('span', { class: 'visually-hidden' }, ' (opens in a new tab)')),
        ]),
      ),
    );
  };

  const schedule = (): void => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void lookUp(), kDebounceMs);
  };
  for (const key of ['given_name', 'family_name', 'date_of_birth', 'approx_age']) fields[key]?.control.addEventListener('input', schedule);
  return element;
}

// ---- Suggestions from the narrative ------------------------------------------------------

/** Where a confirmed suggestion goes: the group, the field it fills, and its wording. */
interface Destination {
  group: Repeater;
  field: string;
  /** Other fields to set on the new row, such as an online account's platform. */
  preset?: Record<string, string>;
  noun: string;
  addLabel: string;
  /** What the practitioner still has to fill in after adding, if anything. */
  followUp?: string;
  /** The field to focus after adding when something is left to fill in. */
  focus?: string;
  /** The value to put in the field (as written for most; dates need YYYY-MM-DD). */
  take: (item: ExtractedItem) => string;
}

export interface SuggestionGroups {
  vehicles: Repeater;
  phones: Repeater;
  accounts: Repeater;
  locations: Repeater;
  events: Repeater;
}

const kKindNames: Record<ExtractedKind, string> = {
  vehicle_registration: 'Vehicle registration',
  phone: 'Phone number',
  email: 'Email address',
  postcode: 'Postcode',
  date: 'Date',
};

function destinations(groups: SuggestionGroups): Record<ExtractedKind, Destination> {
  const asWritten = (item: ExtractedItem): string => item.text;
  return {
    vehicle_registration: { group: groups.vehicles, field: 'registration', noun: 'vehicles', addLabel: 'Add to vehicles', take: asWritten },
    phone: { group: groups.phones, field: 'number', noun: 'phones', addLabel: 'Add to phones', take: asWritten },
    email: { group: groups.accounts, field: 'handle', preset: { platform: 'Email' }, noun: 'online accounts', addLabel: 'Add to online accounts', take: asWritten },
    postcode: { group: groups.locations, field: 'postcode', noun: 'places', addLabel: 'Add to places', take: asWritten, followUp: 'Choose the kind of place and give its name or address.', focus: 'kind' },
    date: { group: groups.events, field: 'date', noun: 'events', addLabel: 'Add as an event date', take: (item) => item.value, followUp: 'Say what happened on that date.', focus: 'kind' },
  };
}

/** Text compared loosely: no spaces, no case ("yx65klm" is "YX65 KLM"). */
function loose(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** The row of `group` whose `field` already holds `value`, if any. */
function rowHolding(group: Repeater, field: string, value: string): Row | undefined {
  return group.rows.find((r) => {
    const v = r.fields[field]?.control.value ?? '';
    return v !== '' && loose(v) === loose(value);
  });
}

/**
 * The "Suggest from narrative" button and the list of suggestions it fills. Each suggestion
 * is added to its part of the form only when the practitioner presses its "Add" button.
 */
export function narrativeSuggestions(api: ApiClient, narrative: Field, groups: SuggestionGroups): HTMLElement {
  const where = destinations(groups);
  const button = h('button', { type: 'button', class: 'button button--secondary' }, 'Suggest from narrative');
  const status = h('div', { class: 'suggestions__status', role: 'status' });
  const list = h('ul', { class: 'suggestions__list', 'aria-labelledby': 'suggestions-heading' });
  const panel = h(
    'div',
    { class: 'suggestions', hidden: true },
    h('h3', { id: 'suggestions-heading', class: 'suggestions__title', tabindex: '-1' }, 'Found in the narrative'),
    h('p', { class: 'field__hint' }, 'Check each one against the narrative. Nothing is added to the concern until you add it.'),
    list,
  );

  // Focus moves to the next suggestion's first button (else the first left, else the heading),
  // never to one inside `from`, which is about to change or go.
  const focusNext = (from: HTMLElement): void => {
    const items = [...list.querySelectorAll<HTMLButtonElement>('button')].filter((b) => !from.contains(b));
    const next = items.find((b) => from.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING) ?? items[0];
    if (next !== undefined) next.focus();
    else panel.querySelector<HTMLElement>('.suggestions__title')?.focus();
  };

  const suggestion = (item: ExtractedItem & { kind: ExtractedKind }): HTMLLIElement => {
    const to = where[item.kind];
    const value = to.take(item);
    const label = `${kKindNames[item.kind]} “${item.text}”`;
    const li = h('li', { class: 'suggestion' });
    const describe = h('p', { class: 'suggestion__text' }, h('span', { class: 'suggestion__kind' }, kKindNames[item.kind]), ' ', h('q', {}, item.text), item.kind === 'date' ? ` (${item.value})` : null);
    const existing = rowHolding(to.group, to.field, value);
    if (existing !== undefined) {
      replaceChildren(li, describe, h('p', { class: 'suggestion__done' }, `Already in the form (${existing.legend.textContent ?? ''}).`));
      return li;
    }
    const add = h('button', { type: 'button', class: 'button button--secondary button--small', 'aria-label': `${to.addLabel}: ${label}` }, to.addLabel);
    const ignore = h('button', { type: 'button', class: 'button button--link button--small', 'aria-label': `Ignore ${label}` }, 'Ignore');
    add.addEventListener('click', () => {
      // The same item may be written twice in a narrative, and only one of it is wanted.
      const already = rowHolding(to.group, to.field, value);
      if (already !== undefined) {
        replaceChildren(li, describe, h('p', { class: 'suggestion__done' }, `Already in the form (${already.legend.textContent ?? ''}).`));
        focusNext(li);
        return;
      }
      const row = to.group.add();
      for (const [key, v] of Object.entries(to.preset ?? {})) {
        const control = row.fields[key]?.control;
        if (control !== undefined) control.value = v;
      }
      const control = row.fields[to.field]?.control;
      if (control !== undefined) control.value = value;
      const done = `Added to ${to.noun} as ${row.legend.textContent ?? ''}.${to.followUp === undefined ? '' : ` ${to.followUp}`}`;
      replaceChildren(li, describe, h('p', { class: 'suggestion__done' }, done));
      replaceChildren(status, h('p', {}, done));
      // Something left to fill in: go there. Otherwise carry on down the list.
      const next = to.focus === undefined ? undefined : row.fields[to.focus]?.control;
      if (next !== undefined) next.focus();
      else focusNext(li);
    });
    ignore.addEventListener('click', () => {
      focusNext(li);
      li.remove();
      replaceChildren(status, h('p', {}, `Ignored ${label}.`));
      if (list.children.length === 0) panel.hidden = true;
    });
    replaceChildren(li, describe, h('div', { class: 'suggestion__actions' }, add, ignore));
    return li;
  };

  let busy = false;
  button.addEventListener('click', () => {
    if (busy) return;
    const text = narrative.control.value;
    if (text.trim() === '') {
      replaceChildren(status, h('p', {}, 'Write what was reported first; suggestions come from its words.'));
      return;
    }
    busy = true;
    button.disabled = true;
    replaceChildren(status, h('p', {}, 'Looking through the narrative…'));
    void extractFromNarrative(api, text).then((result) => {
      busy = false;
      button.disabled = false;
      if (!result.ok) {
        panel.hidden = true;
        replaceChildren(status, h('p', {}, 'No suggestions could be made just now. Add vehicles, phones and places by hand below.'));
        return;
      }
      const items = result.value.filter((i): i is ExtractedItem & { kind: ExtractedKind } => isKnownKind(i.kind));
      replaceChildren(list, ...items.map(suggestion));
      panel.hidden = items.length === 0;
      const n = items.length;
      replaceChildren(status, h('p', {}, n === 0 ? 'Nothing to suggest: no vehicles, phones, email addresses, postcodes or dates were found.' : `${n} ${n === 1 ? 'suggestion' : 'suggestions'} found.`));
    });
  });
  return h('div', { class: 'suggest' }, h('div', { class: 'form-actions' }, button), status, panel);
}
