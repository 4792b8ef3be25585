// /search: full-text search of what every agency wrote in its concerns, and finding a person
// across agencies' records (the entity-resolution matcher). Search words stay in the page,
// never in the address, so names do not end up in browser history or server access logs.
// Each search is logged by the server as a consultation, with the words searched for.

import type { ApiClient } from '../api/client';
import { fetchAgencies } from '../api/casework_api';
import { matchPerson, searchConcerns, type ConcernHit, type PersonMatch, type PersonQuery } from '../api/search_api';
import type { Agency } from '../api/types';
import { h, replaceChildren, type Child } from '../dom';
import { channelLabel, formatDateTime, shortId } from '../format';
import { ErrorSummary, SubmitButton, fieldMessage, inputField, problemMessage, type Field } from '../forms';
import type { PageView, SignedInContext } from '../page';
import { canReadCasework } from '../roles';
import { emptyState, section } from '../work_list';

export async function searchPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Search';
  if (!canReadCasework(ctx.session.user.role)) {
    return { title, content: h('div', { class: 'page' }, h('h1', {}, title), h('p', {}, 'Your role keeps case content out of view (separation of duties).')) };
  }
  const agencies = await fetchAgencies(ctx.app.api);
  const agencyName = (id: string): string => (agencies.ok ? agencies.value.find((a: Agency) => a.id === id)?.name : undefined) ?? 'Unknown agency';
  const content = h(
    'div',
    { class: 'page' },
    h('h1', {}, title),
    h('p', { class: 'lead' }, 'Search what every agency recorded. Your searches are logged with the words you used.'),
    narrativeSearch(ctx.app.api, agencyName),
    personSearch(ctx.app.api, agencyName),
  );
  return { title, content };
}

// ---- Concern narratives --------------------------------------------------------------------

function narrativeSearch(api: ApiClient, agencyName: (id: string) => string): HTMLElement {
  const q = inputField({ label: 'Words in the concern', hint: 'For example: silver car school. Every word must appear; the last may be the start of a word.', spellcheck: false });
  const results = h('div', { class: 'search-results', 'aria-live': 'polite' });
  const submit = new SubmitButton('Search concerns', 'Searching…');
  const summary = new ErrorSummary();
  const form = h('form', { class: 'search-form', novalidate: true, role: 'search', 'aria-label': 'Search concern narratives' }, summary.element, q.element, h('div', { class: 'form-actions' }, submit.element));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    q.setError(null);
    summary.clear();
    if (q.control.value.trim() === '') {
      showFieldError(q, summary, 'Enter the words to search for');
      return;
    }
    submit.setBusy(true);
    void searchConcerns(api, q.control.value).then((result) => {
      submit.setBusy(false);
      if (!result.ok) {
        if (result.problem.field === 'q') showFieldError(q, summary, fieldMessage(q.label, problemMessage(result.problem)));
        else replaceChildren(results, errorNotice(problemMessage(result.problem)));
        return;
      }
      replaceChildren(results, concernResults(result.value, agencyName));
    });
  });
  return section('narrative-heading', 'Concerns', null, form, results);
}

function concernResults(hits: ConcernHit[], agencyName: (id: string) => string): HTMLElement {
  if (hits.length === 0) return emptyState('No concerns found', 'No concern narrative holds all of those words.');
  return h(
    'div',
    {},
    h('p', { class: 'hint-text' }, hits.length === 1 ? '1 concern, best match first.' : `${hits.length} concerns, best match first.`),
    h(
      'ol',
      { class: 'result-list' },
      ...hits.map((hit) =>
        h(
          'li',
          { class: 'result' },
          h('p', { class: 'result__meta' }, [agencyName(hit.agency_id), hit.received_at === '' ? '' : formatDateTime(hit.received_at), hit.channel === '' ? '' : channelLabel(hit.channel)].filter((x) => x !== '').join(' · ')),
          h('p', { class: 'result__snippet' }, ...snippet(hit)),
          h(
            'p',
            { class: 'result__links' },
            ...(hit.case_ids.length === 0
              ? ['No case yet']
              : hit.case_ids.flatMap((id, i): Child[] => [i === 0 ? null : ', ', h('a', { href: `/cases/${encodeURIComponent(id)}` }, `Case ${shortId(id)}`)])),
          ),
        ),
      ),
    ),
  );
}

/** The matching passage with the searched words marked (text nodes only: no HTML parsing). */
function snippet(hit: ConcernHit): Child[] {
  return hit.snippet.map((part) => (part.match ? h('mark', {}, part.text) : part.text));
}

// ---- People --------------------------------------------------------------------------------

function personSearch(api: ApiClient, agencyName: (id: string) => string): HTMLElement {
  const given = inputField({ label: 'Given name', spellcheck: false });
  const family = inputField({ label: 'Family name', spellcheck: false });
  const dob = inputField({ label: 'Date of birth', optional: true, hint: 'For example 1 5 2012, 2012-05-01 or just the year.' });
  const results = h('div', { class: 'search-results', 'aria-live': 'polite' });
  const submit = new SubmitButton('Find the person', 'Searching…');
  const summary = new ErrorSummary();
  const fields: Record<keyof PersonQuery, Field<HTMLInputElement>> = { given_name: given, family_name: family, date_of_birth: dob };
  const form = h(
    'form',
    { class: 'search-form', novalidate: true, role: 'search', 'aria-label': 'Find a person' },
    summary.element,
    h('div', { class: 'field-row' }, given.element, family.element),
    dob.element,
    h('div', { class: 'form-actions' }, submit.element),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const field of Object.values(fields)) field.setError(null);
    summary.clear();
    if (given.control.value.trim() === '' && family.control.value.trim() === '') {
      showFieldError(family, summary, 'Enter a given name or a family name');
      return;
    }
    submit.setBusy(true);
    const query: PersonQuery = { given_name: given.control.value, family_name: family.control.value, date_of_birth: dob.control.value };
    void matchPerson(api, query).then((result) => {
      submit.setBusy(false);
      if (!result.ok) {
        const field = result.problem.field === undefined ? undefined : fields[result.problem.field as keyof PersonQuery];
        if (field !== undefined) showFieldError(field, summary, fieldMessage(field.label, problemMessage(result.problem)));
        else replaceChildren(results, errorNotice(problemMessage(result.problem)));
        return;
      }
      replaceChildren(results, personResults(result.value, agencyName));
    });
  });
  return section('person-heading', 'People', null, h('p', { class: 'hint-text' }, 'Finds the person in every agency’s records, however each spelled the name.'), form, results);
}

interface Entity {
  id: string;
  probability: number;
  agencies: Set<string>;
  records: number;
}

function personResults(matches: PersonMatch[], agencyName: (id: string) => string): HTMLElement {
  if (matches.length === 0) return emptyState('No one found', 'No agency’s records match that person.');
  const entities = new Map<string, Entity>();
  for (const m of matches) {
    const e = entities.get(m.entity_id) ?? { id: m.entity_id, probability: 0, agencies: new Set<string>(), records: 0 };
    e.probability = Math.max(e.probability, m.match_probability);
    e.agencies.add(agencyName(m.agency_id));
    e.records += 1;
    entities.set(m.entity_id, e);
  }
  const ordered = [...entities.values()].sort((a, b) => b.probability - a.probability);
  return h(
    'ol',
    { class: 'result-list' },
    ...ordered.map((e) =>
      h(
        'li',
        { class: 'result' },
        h('p', {}, h('a', { href: `/persons/${encodeURIComponent(e.id)}` }, `Person ${shortId(e.id)}`), ` — ${likelihood(e.probability)}`),
        h('p', { class: 'result__meta' }, `${e.records === 1 ? '1 record' : `${e.records} records`} from ${[...e.agencies].sort().join(', ')}`),
      ),
    ),
  );
}

/** The matcher's probability in words an analyst would use. */
function likelihood(p: number): string {
  if (p >= 0.99) return 'almost certainly the same person';
  if (p >= 0.9) return 'very likely the same person';
  if (p >= 0.5) return 'possibly the same person';
  return 'a weak match';
}

// ---- Plumbing ------------------------------------------------------------------------------

function showFieldError(field: Field<HTMLInputElement>, summary: ErrorSummary, message: string): void {
  field.setError(message);
  summary.show([{ message, control: field.control }]);
  summary.element.focus();
}

function errorNotice(message: string): HTMLElement {
  return h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, message));
}
