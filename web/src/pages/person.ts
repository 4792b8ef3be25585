// /persons/:id — one person as every agency recorded them (id: an entity id or any of its
// record ids, `<concern id>:<ref>`). Shows each record, the match explanation of each against
// the entity's first record as a waterfall (prior, each field's weight, total, probability),
// and, for analysts and managers, the review decisions on possible matches involving them.
// ?as_of=RFC 3339 shows the person as known at that time (issue 6): only records made by then,
// each as it stood then, joined by the match decisions then in force, which are listed; nothing
// can be changed from that view.

import { fetchAgencies, fetchConcern } from '../api/casework_api';
import type { ApiClient } from '../api/client';
import { fetchPerson, fetchReviewPair, fetchReviewQueue, type DecisionThen, type Explanation, type PersonEntity, type PersonRecordView, type ReviewPair } from '../api/people_api';
import { h, replaceChildren, type Child } from '../dom';
import { formatDate, formatDateTime, fromLocalInput, shortId, toLocalInput } from '../format';
import { ErrorSummary, inputField, problemMessage } from '../forms';
import { canReviewMatches, confirmReview, percent, personRoleLabel, recordRef, reviewDoneMessage, reviewProblemMessage, sendReview, statusLabel, waterfallTable, type ReviewAction } from '../match_review';
import type { PageView, SignedInContext } from '../page';
import { canReadCasework } from '../roles';
import { emptyState, section } from '../work_list';
import '../styles/person.css';

interface PersonData {
  entity: PersonEntity;
  agencies: Map<string, string>;
  /** When each record's concern was received (records the user may not read are absent). */
  received: Map<string, string>;
  /** Review pairs involving the entity's records, or null when the user does not review. */
  pairs: ReviewPair[] | null;
  pairsError: string | null;
}

/** `asOf` (RFC 3339) loads the person as known then, and their concerns as they stood then. */
async function load(api: ApiClient, id: string, reviews: boolean, asOf: string | null): Promise<{ ok: true; data: PersonData } | { ok: false; status: number; message: string }> {
  const entity = await fetchPerson(api, id, asOf);
  if (!entity.ok) return { ok: false, status: entity.problem.status, message: problemMessage(entity.problem) };
  const concernIds = [...new Set(entity.value.records.map((r) => r.concern_id))];
  const [agencies, concerns, queue] = await Promise.all([
    fetchAgencies(api),
    Promise.all(concernIds.map((c) => fetchConcern(api, c, asOf))),
    // The queue is today's: a past view lists the decisions then in force instead.
    reviews && asOf === null ? fetchReviewQueue(api) : Promise.resolve(null),
  ]);
  const received = new Map<string, string>();
  concerns.forEach((c, i) => {
    if (c.ok) received.set(concernIds[i] as string, c.value.body.received_at);
  });
  const mine = new Set(entity.value.records.map((r) => r.record_id));
  let pairs: ReviewPair[] | null = null;
  let pairsError: string | null = null;
  if (queue !== null) {
    if (queue.ok) pairs = queue.value.filter((p) => mine.has(p.record_l) || mine.has(p.record_r));
    else pairsError = problemMessage(queue.problem);
  }
  return {
    ok: true,
    data: {
      entity: entity.value,
      agencies: new Map(agencies.ok ? agencies.value.map((a) => [a.id, a.name]) : []),
      received,
      pairs,
      pairsError,
    },
  };
}

export async function personPage(ctx: SignedInContext): Promise<PageView> {
  const id = ctx.params['id'] ?? '';
  const role = ctx.session.user.role;
  if (!canReadCasework(role)) {
    return { title: 'Person', content: h('div', { class: 'page' }, h('h1', {}, 'Person'), h('p', {}, 'Your role keeps records about people out of view (separation of duties).')) };
  }
  const asOfParam = ctx.query.get('as_of');
  const asOf = asOfParam !== null && asOfParam !== '' && !Number.isNaN(new Date(asOfParam).getTime()) ? asOfParam : null;
  const root = h('div', { class: 'page person-page' });
  const status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });
  const reviews = canReviewMatches(role);

  const render = async (message: string | null): Promise<HTMLElement> => {
    const result = await load(ctx.app.api, id, reviews, asOf);
    if (!result.ok) {
      const text =
        result.status === 404
          ? asOf === null
            ? 'No person with this reference is known, or you may not see their records.'
            : `Nothing was known about this person at ${formatDateTime(asOf)}, or you may not see their records.`
          : `The person could not be loaded: ${result.message}`;
      const heading = h('h1', { tabindex: '-1' }, 'Person not found');
      replaceChildren(root, heading, h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, text), asOf === null ? null : h('p', {}, h('a', { href: personPath(id, null) }, 'Show the person as known now'))), asOfControl(ctx, id, asOf));
      return heading;
    }
    const data = result.data;
    const heading = h('h1', { class: 'case-header__name', tabindex: '-1' }, displayName(data.entity));
    const refresh = (text: string): void => {
      void render(text).then(() => status.focus());
    };
    replaceChildren(
      root,
      h(
        'header',
        { class: 'case-header' },
        h('p', { class: 'case-header__kicker' }, `Person ${shortId(data.entity.entity_id)}`),
        heading,
        h('p', { class: 'lede' }, `${data.entity.records.length} ${data.entity.records.length === 1 ? 'record' : 'records'} from ${new Set(data.entity.records.map((r) => r.agency_id)).size} ${new Set(data.entity.records.map((r) => r.agency_id)).size === 1 ? 'agency' : 'agencies'}, joined by entity resolution.`),
      ),
      asOfBanner(data, asOf),
      status,
      recordsSection(data),
      waterfallsSection(data),
      asOf === null ? null : decisionsThenSection(data),
      data.pairs === null && data.pairsError === null ? null : reviewSection(ctx.app.api, data, refresh),
      asOfControl(ctx, id, asOf),
    );
    replaceChildren(status, message === null ? null : h('p', {}, message));
    return heading;
  };
  const focus = await render(null);
  return { title: asOf === null ? displayName(null) : `Person as known at ${formatDateTime(asOf)}`, content: root, focus };
}

function personPath(id: string, asOf: string | null): string {
  const path = `/persons/${encodeURIComponent(id)}`;
  return asOf === null ? path : `${path}?${new URLSearchParams({ as_of: asOf }).toString()}`;
}

/** Says plainly that the page is a past view, and links to today's. */
function asOfBanner(data: PersonData, asOf: string | null): HTMLElement | null {
  if (asOf === null) return null;
  return h(
    'div',
    { class: 'notice notice--history' },
    h('p', {}, h('strong', {}, `As known at ${formatDateTime(asOf)}. `), 'This is a past view: only records made by then, each as it stood then, joined by the match decisions then in force. Nothing can be changed from this view.'),
    h('p', {}, h('a', { href: personPath(data.entity.entity_id, null) }, 'Show the person as known now')),
  );
}

/** "Show the person as they were known at": a date and time in UK time. */
function asOfControl(ctx: SignedInContext, id: string, asOf: string | null): HTMLElement {
  const input = inputField({
    label: 'Show the person as known at',
    type: 'datetime-local',
    step: '1',
    value: asOf === null ? '' : toLocalInput(new Date(asOf)),
    hint: 'A date and time in UK time. Reviewers use this to see what was known when decisions were made.',
  });
  const summary = new ErrorSummary();
  const form = h('form', { class: 'as-of-form', novalidate: true }, summary.element, input.element, h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button--secondary' }, 'Show as known then')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const at = fromLocalInput(input.control.value);
    if (at === null) {
      input.setError('Enter a date and time');
      input.control.focus();
      return;
    }
    if (new Date(at).getTime() > Date.now()) {
      input.setError('Enter a time that has passed');
      input.control.focus();
      return;
    }
    ctx.app.navigate(personPath(id, at));
  });
  return section('as-of-heading', 'History', null, form);
}

/** The match decisions in force at the time shown, on this person's records. */
function decisionsThenSection(data: PersonData): HTMLElement {
  const decisions = data.entity.decisions ?? [];
  if (decisions.length === 0) {
    return section('decisions-then-heading', 'Match decisions then in force', 0, emptyState('No decisions', 'No analyst had decided on a possible match involving these records by then.'));
  }
  const mine = new Set(data.entity.records.map((r) => r.record_id));
  return section(
    'decisions-then-heading',
    'Match decisions then in force',
    decisions.length,
    h('ul', { class: 'decision-list' }, ...decisions.map((d) => decisionThen(d, mine))),
  );
}

function decisionThen(d: DecisionThen, mine: ReadonlySet<string>): HTMLElement {
  const own = mine.has(d.record_l) ? d.record_l : d.record_r;
  const other = own === d.record_l ? d.record_r : d.record_l;
  return h(
    'li',
    { class: 'decision decision--effective' },
    h('h3', { class: 'decision__title' }, `Record ${recordRef(other)} and this person’s record ${recordRef(own)}`),
    h('p', { class: 'decision__meta' }, `${statusLabel(d.verdict)}, recorded ${formatDateTime(d.recorded_at)}.`),
  );
}

function displayName(entity: PersonEntity | null): string {
  const named = entity?.records.find((r) => r.person.name !== '');
  return named === undefined ? 'Person' : named.person.name;
}

function agencyName(data: PersonData, id: string): string {
  return data.agencies.get(id) ?? 'Unknown agency';
}

function recordsSection(data: PersonData): HTMLElement {
  const rows = data.entity.records.map((r) => {
    const received = data.received.get(r.concern_id);
    return h(
      'tr',
      {},
      h('td', {}, agencyName(data, r.agency_id)),
      h('td', {}, personRoleLabel(r.person.role)),
      h('td', {}, r.person.name === '' ? 'No name recorded' : r.person.name),
      h('td', {}, r.person.date_of_birth === '' ? 'Not recorded' : formatDate(r.person.date_of_birth)),
      h('td', {}, `Concern ${shortId(r.concern_id)}`, h('span', { class: 'table__sub' }, received === undefined ? `recorded ${formatDateTime(r.recorded_at)}` : `received ${formatDateTime(received)}`)),
    );
  });
  return section(
    'records-heading',
    'Records from every agency',
    data.entity.records.length,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table person-records' },
        h('caption', { class: 'visually-hidden' }, 'Each agency’s record of this person, earliest first'),
        h('thead', {}, h('tr', {}, ...['Agency', 'Role', 'Name as recorded', 'Date of birth', 'Concern'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, ...rows),
      ),
    ),
  );
}

function waterfallsSection(data: PersonData): HTMLElement {
  const first = data.entity.records[0];
  const compared = data.entity.records.filter((r) => r.explanation !== null);
  const body: Child[] =
    compared.length === 0
      ? [emptyState('Nothing to compare', 'This person has one record, so there is no match to explain.')]
      : [
          h('p', { class: 'hint-text' }, `Each record is compared with the first (${first === undefined ? '' : agencyName(data, first.agency_id)}). Weights are in bits: positive ones make a match likelier, negative ones less likely.`),
          ...compared.map((r, i) => waterfall(data, r, r.explanation as Explanation, i)),
        ];
  return section('waterfall-heading', 'Why these records match', null, ...body);
}

/** One record's waterfall against the entity's first record. */
function waterfall(data: PersonData, record: PersonRecordView, e: Explanation, index: number): HTMLElement {
  return waterfallTable(`${agencyName(data, record.agency_id)} record — match probability ${percent(e.match_probability)}`, e, `waterfall-${index}`);
}

function reviewSection(api: ApiClient, data: PersonData, refresh: (message: string) => void): HTMLElement {
  if (data.pairs === null) {
    return section('review-heading', 'Review decisions', null, h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, `The review queue could not be loaded: ${data.pairsError ?? ''}`)));
  }
  if (data.pairs.length === 0) {
    return section('review-heading', 'Review decisions', 0, emptyState('No possible matches', 'No possible match involving this person is waiting for, or has had, an analyst’s decision.'));
  }
  const mine = new Set(data.entity.records.map((r) => r.record_id));
  return section(
    'review-heading',
    'Review decisions',
    data.pairs.length,
    h('p', { class: 'hint-text' }, 'Possible matches between this person’s records and others. “Same” joins them into one person; “Different” keeps them apart; “Undo” lets the model decide again.'),
    h('ul', { class: 'decision-list' }, ...data.pairs.map((p) => pairItem(api, p, mine, refresh))),
  );
}

function pairItem(api: ApiClient, pair: ReviewPair, mine: ReadonlySet<string>, refresh: (message: string) => void): HTMLElement {
  const own = mine.has(pair.record_l) ? pair.record_l : pair.record_r;
  const other = own === pair.record_l ? pair.record_r : pair.record_l;
  const error = h('div', { class: 'field__error', role: 'alert' });
  // Both records are named: one record elsewhere may be a possible match for several of theirs.
  const title = `Record ${recordRef(other)} may be this person’s record ${recordRef(own)}`;
  const buttons: HTMLButtonElement[] = [];
  const act = async (what: ReviewAction): Promise<void> => {
    if (!(await confirmReview(what))) return;
    buttons.forEach((b) => (b.disabled = true));
    replaceChildren(error);
    // Read the decision's current version so a colleague's decision since is not overwritten.
    const detail = await fetchReviewPair(api, pair.pair_id);
    const result = !detail.ok ? detail : await sendReview(api, pair.pair_id, what, '', detail.value.version);
    buttons.forEach((b) => (b.disabled = false));
    if (result.ok) {
      refresh(reviewDoneMessage(what));
      return;
    }
    replaceChildren(error, h('p', {}, reviewProblemMessage(result.problem)));
  };
  const button = (label: string, what: ReviewAction, variant: string): HTMLButtonElement => {
    const b = h('button', { type: 'button', class: `button button--${variant} button--small`, 'aria-label': `${label}: ${title}` }, label);
    b.addEventListener('click', () => void act(what));
    buttons.push(b);
    return b;
  };
  return h(
    'li',
    { class: `decision decision--${pair.status === 'open' ? 'proposed' : 'effective'}` },
    h('h3', { class: 'decision__title' }, title),
    h('p', { class: 'decision__meta' }, `Match probability ${percent(pair.match_probability)}. ${statusLabel(pair.status)}${pair.status === 'open' ? '' : `, ${formatDateTime(pair.updated_at)}`}. `, h('a', { href: `/persons/${encodeURIComponent(other)}` }, 'Open the other record’s person'), ' · ', h('a', { href: `/review-queue/${encodeURIComponent(pair.pair_id)}` }, 'Compare side by side')),
    h(
      'div',
      { class: 'form-actions' },
      button('Same person', 'same', 'secondary'),
      button('Different people', 'different', 'secondary'),
      button('Unsure', 'unsure', 'secondary'),
      pair.status === 'open' ? null : button('Undo', 'undo', 'danger'),
    ),
    error,
  );
}
