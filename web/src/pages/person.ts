// /persons/:id — one person as every agency recorded them (id: an entity id or any of its
// record ids, `<concern id>:<ref>`). Shows each record, the match explanation of each against
// the entity's first record as a waterfall (prior, each field's weight, total, probability),
// and, for analysts and managers, the review decisions on possible matches involving them.

import { fetchAgencies, fetchConcern } from '../api/casework_api';
import type { ApiClient } from '../api/client';
import { fetchPerson, fetchReviewPair, fetchReviewQueue, type Explanation, type PersonEntity, type PersonRecordView, type ReviewPair } from '../api/people_api';
import { h, replaceChildren, type Child } from '../dom';
import { formatDate, formatDateTime, shortId } from '../format';
import { problemMessage } from '../forms';
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

async function load(api: ApiClient, id: string, reviews: boolean): Promise<{ ok: true; data: PersonData } | { ok: false; status: number; message: string }> {
  const entity = await fetchPerson(api, id);
  if (!entity.ok) return { ok: false, status: entity.problem.status, message: problemMessage(entity.problem) };
  const concernIds = [...new Set(entity.value.records.map((r) => r.concern_id))];
  const [agencies, concerns, queue] = await Promise.all([
    fetchAgencies(api),
    Promise.all(concernIds.map((c) => fetchConcern(api, c, null))),
    reviews ? fetchReviewQueue(api) : Promise.resolve(null),
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
  const root = h('div', { class: 'page person-page' });
  const status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });
  const reviews = canReviewMatches(role);

  const render = async (message: string | null): Promise<HTMLElement> => {
    const result = await load(ctx.app.api, id, reviews);
    if (!result.ok) {
      const text = result.status === 404 ? 'No person with this reference is known, or you may not see their records.' : `The person could not be loaded: ${result.message}`;
      const heading = h('h1', { tabindex: '-1' }, 'Person not found');
      replaceChildren(root, heading, h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, text)));
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
      status,
      recordsSection(data),
      waterfallsSection(data),
      data.pairs === null && data.pairsError === null ? null : reviewSection(ctx.app.api, data, refresh),
    );
    replaceChildren(status, message === null ? null : h('p', {}, message));
    return heading;
  };
  const focus = await render(null);
  return { title: displayName(null), content: root, focus };
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
