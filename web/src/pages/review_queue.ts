// /review-queue and /review-queue/:id — the analysts' and managers' queue of possible matches
// (src/api/resolve_routes.cpp). The list shows the pairs waiting for a decision, most probable
// first, each naming both records. A pair's page shows the two records side by side, the
// model's waterfall for the pair, and the decision: same, different or unsure with a note, or
// undo. Decisions send the version read with the page as If-Match, so a colleague's decision
// in between is a plain conflict (412), never an overwrite.

import { fetchAgencies } from '../api/casework_api';
import type { ApiClient } from '../api/client';
import { fetchPerson, fetchReviewPair, fetchReviewQueue, type PersonRecordView, type ReviewPairDetail, type ReviewStatus, type Verdict } from '../api/people_api';
import { h, replaceChildren, type Child } from '../dom';
import { formatDate, formatDateTime, shortId } from '../format';
import { ErrorSummary, SubmitButton, problemMessage, radioGroup, selectField, textareaField } from '../forms';
import {
  canReviewMatches,
  confirmReview,
  fieldLabel,
  isConflict,
  percent,
  personLink,
  personRoleLabel,
  recordRef,
  reviewDoneMessage,
  reviewProblemMessage,
  sendReview,
  statusLabel,
  waterfallTable,
  type ReviewAction,
} from '../match_review';
import type { PageView, SignedInContext } from '../page';
import { People } from '../people';
import { emptyState, section } from '../work_list';
import '../styles/person.css';

// Pairs listed at once: each names two records, and reading each is a ledger consultation.
const kListLimit = 25;
// The longest note the API takes (resolve_routes.cpp, decideReviewPair).
const kMaxNote = 2000;

const kFilters: ReadonlyArray<{ value: ReviewStatus; label: string }> = [
  { value: 'open', label: 'Waiting for a decision' },
  { value: 'same', label: 'Decided the same person' },
  { value: 'different', label: 'Decided different people' },
  { value: 'unsure', label: 'Decided unsure' },
  { value: 'all', label: 'Every pair' },
];

function refused(title: string): PageView {
  return { title, content: h('div', { class: 'page' }, h('h1', {}, title), h('p', {}, 'Only intelligence analysts and managers review possible matches.')) };
}

/** The record `recordId` as its entity lists it, or null when it cannot be read. */
async function loadRecord(api: ApiClient, recordId: string): Promise<PersonRecordView | null> {
  const entity = await fetchPerson(api, recordId);
  if (!entity.ok) return null;
  return entity.value.records.find((r) => r.record_id === recordId) ?? null;
}

async function loadRecords(api: ApiClient, ids: readonly string[]): Promise<Map<string, PersonRecordView>> {
  const unique = [...new Set(ids)];
  const records = await Promise.all(unique.map((id) => loadRecord(api, id)));
  const out = new Map<string, PersonRecordView>();
  records.forEach((r, i) => {
    if (r !== null) out.set(unique[i] as string, r);
  });
  return out;
}

async function agencyNames(api: ApiClient): Promise<Map<string, string>> {
  const agencies = await fetchAgencies(api);
  return new Map(agencies.ok ? agencies.value.map((a) => [a.id, a.name]) : []);
}

/** "Amy Example (Northfield Police)", or the record's short reference when it cannot be read. */
function recordLabel(record: PersonRecordView | undefined, id: string, agencies: ReadonlyMap<string, string>): string {
  if (record === undefined) return `record ${recordRef(id)}`;
  const name = record.person.name === '' ? 'No name recorded' : record.person.name;
  return `${name} (${agencies.get(record.agency_id) ?? 'unknown agency'})`;
}

// ---- The list ----------------------------------------------------------------------------

export async function reviewQueuePage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Review queue';
  if (!canReviewMatches(ctx.session.user.role)) return refused(title);
  const { api } = ctx.app;
  const asked = ctx.query.get('status');
  const status: ReviewStatus = kFilters.some((f) => f.value === asked) ? (asked as ReviewStatus) : 'open';

  const filter = selectField({ label: 'Show', choices: kFilters, value: status });
  const form = h('form', { class: 'filter-form', novalidate: true, 'aria-label': 'Filter the review queue' }, filter.element, h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button--secondary' }, 'Show')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.app.navigate(`/review-queue?${new URLSearchParams({ status: filter.control.value }).toString()}`);
  });

  const queue = await fetchReviewQueue(api, kListLimit, status);
  let body: HTMLElement;
  if (!queue.ok) {
    const text = queue.problem.status === 503 ? 'Entity resolution is not running on this server, so there is no review queue.' : `The review queue could not be loaded: ${problemMessage(queue.problem)}`;
    body = h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, text));
  } else if (queue.value.length === 0) {
    body = emptyState(status === 'open' ? 'Nothing waiting' : 'No pairs', status === 'open' ? 'Possible matches between agencies’ records appear here when the model is not sure enough to join or separate them.' : 'No pair has this decision.');
  } else {
    const pairs = queue.value;
    const [records, agencies] = await Promise.all([loadRecords(api, pairs.flatMap((p) => [p.record_l, p.record_r])), agencyNames(api)]);
    body = h(
      'div',
      {},
      pairs.length === kListLimit ? h('p', { class: 'hint-text' }, `The ${kListLimit} most probable pairs are shown; decide these to see more.`) : null,
      h(
        'ul',
        { class: 'decision-list review-list' },
        ...pairs.map((p) => {
          const left = recordLabel(records.get(p.record_l), p.record_l, agencies);
          const right = recordLabel(records.get(p.record_r), p.record_r, agencies);
          return h(
            'li',
            { class: `decision decision--${p.status === 'open' ? 'proposed' : 'effective'}` },
            h('h2', { class: 'decision__title review-list__title' }, h('a', { href: `/review-queue/${encodeURIComponent(p.pair_id)}` }, `${left} and ${right}`)),
            h('p', { class: 'decision__meta' }, `Match probability ${percent(p.match_probability)}. ${statusLabel(p.status)}${p.status === 'open' ? '' : `, ${formatDateTime(p.updated_at)}`}.`),
          );
        }),
      ),
    );
  }

  const content = h(
    'div',
    { class: 'page review-queue' },
    h('h1', {}, title),
    h('p', { class: 'lede' }, 'Possible matches between agencies’ records of people, most probable first. Decide whether each pair is the same person.'),
    form,
    h('section', { 'aria-label': kFilters.find((f) => f.value === status)?.label ?? 'Pairs' }, body),
  );
  return { title, content };
}

// ---- One pair ----------------------------------------------------------------------------

interface PairData {
  pair: ReviewPairDetail;
  left: PersonRecordView | undefined;
  right: PersonRecordView | undefined;
  agencies: Map<string, string>;
  people: People;
  /** The next pair waiting for a decision, if any. */
  next: string | null;
}

async function loadPair(ctx: SignedInContext, id: string): Promise<{ ok: true; data: PairData } | { ok: false; status: number; message: string }> {
  const { api } = ctx.app;
  const pair = await fetchReviewPair(api, id);
  if (!pair.ok) return { ok: false, status: pair.problem.status, message: problemMessage(pair.problem) };
  const [records, agencies, people, queue] = await Promise.all([
    loadRecords(api, [pair.value.record_l, pair.value.record_r]),
    agencyNames(api),
    People.load(api, ctx.session.user.id),
    fetchReviewQueue(api, 2, 'open'),
  ]);
  const next = queue.ok ? (queue.value.find((p) => p.pair_id !== id)?.pair_id ?? null) : null;
  return { ok: true, data: { pair: pair.value, left: records.get(pair.value.record_l), right: records.get(pair.value.record_r), agencies, people, next } };
}

export async function reviewPairPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Possible match';
  if (!canReviewMatches(ctx.session.user.role)) return refused(title);
  const id = ctx.params['id'] ?? '';
  const root = h('div', { class: 'page review-pair' });
  const status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });

  const render = async (message: string | null): Promise<HTMLElement> => {
    const result = await loadPair(ctx, id);
    if (!result.ok) {
      const text = result.status === 404 ? 'No pair with this reference is in the review queue.' : `The pair could not be loaded: ${result.message}`;
      const heading = h('h1', { tabindex: '-1' }, 'Pair not found');
      replaceChildren(root, heading, h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, text)), h('p', {}, h('a', { href: '/review-queue' }, 'Back to the review queue')));
      return heading;
    }
    const data = result.data;
    const heading = h('h1', { tabindex: '-1' }, title);
    const reload = (text: string | null): void => {
      void render(text).then(() => status.focus());
    };
    replaceChildren(
      root,
      h('p', { class: 'case-header__kicker' }, h('a', { href: '/review-queue' }, 'Review queue'), ` › pair ${shortId(data.pair.pair_id)}`),
      heading,
      h('p', { class: 'lede' }, `The model gives a match probability of ${percent(data.pair.match_probability)}: not sure enough to join these records or keep them apart on its own.`),
      status,
      comparisonSection(data),
      section('waterfall-heading', 'Why they may match', null, h('p', { class: 'hint-text' }, 'Weights are in bits: positive ones make a match likelier, negative ones less likely.'), waterfallTable(`Match probability ${percent(data.pair.explanation.match_probability)}`, data.pair.explanation, 'pair-waterfall')),
      decisionSection(ctx.app.api, data, reload),
    );
    replaceChildren(status, message === null ? null : h('p', { class: 'notice notice--success' }, message, data.next === null ? null : h('span', {}, ' ', h('a', { href: `/review-queue/${encodeURIComponent(data.next)}` }, 'Next pair waiting'))));
    return heading;
  };
  const focus = await render(null);
  return { title, content: root, focus };
}

/** The two records in columns, one row per field either recorded. */
function comparisonSection(data: PairData): HTMLElement {
  const column = (record: PersonRecordView | undefined, recordId: string): Child =>
    h('th', { scope: 'col' }, record === undefined ? `Record ${recordRef(recordId)}` : (data.agencies.get(record.agency_id) ?? 'Unknown agency'), h('span', { class: 'table__sub' }, personLink(recordId, 'Open this person')));
  const value = (record: PersonRecordView | undefined, read: (r: PersonRecordView) => string): string => {
    if (record === undefined) return 'Cannot be shown';
    const v = read(record);
    return v === '' ? '—' : v;
  };
  const rows: Array<[string, (r: PersonRecordView) => string]> = [
    ['Role', (r) => personRoleLabel(r.person.role)],
    ['Name as recorded', (r) => r.person.name],
    ['Date of birth', (r) => (/^\d{4}-\d{2}-\d{2}$/.test(r.person.date_of_birth) ? formatDate(r.person.date_of_birth) : r.person.date_of_birth)],
  ];
  const detailKeys = [...new Set([...Object.keys(data.left?.person.details ?? {}), ...Object.keys(data.right?.person.details ?? {})])];
  for (const key of detailKeys) rows.push([fieldLabel(key), (r) => r.person.details[key] ?? '']);
  rows.push(['Concern', (r) => `${shortId(r.concern_id)}, recorded ${formatDateTime(r.recorded_at)}`]);
  return section(
    'records-heading',
    'The two records',
    null,
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table review-compare' },
        h('caption', { class: 'visually-hidden' }, 'The two records side by side, field by field'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), column(data.left, data.pair.record_l), column(data.right, data.pair.record_r))),
        h('tbody', {}, ...rows.map(([label, read]) => h('tr', {}, h('th', { scope: 'row' }, label), h('td', {}, value(data.left, read)), h('td', {}, value(data.right, read))))),
      ),
    ),
  );
}

const kVerdicts: ReadonlyArray<{ value: Verdict; label: string }> = [
  { value: 'same', label: 'The same person: join the records' },
  { value: 'different', label: 'Different people: keep the records apart' },
  { value: 'unsure', label: 'Unsure: leave it to the model for now' },
];

/** Where the decision stands, the form to decide, and undo. */
function decisionSection(api: ApiClient, data: PairData, reload: (message: string | null) => void): HTMLElement {
  const { pair } = data;
  const current: Child[] = [h('p', { class: 'review-pair__status' }, h('strong', {}, statusLabel(pair.status)))];
  const d = pair.decision;
  if (d !== null && d.verdict !== null) {
    current.push(h('p', { class: 'decision__meta' }, `By ${data.people.name(d.by)}, ${formatDateTime(d.at)}.`));
    if (d.note !== '') current.push(h('p', { class: 'decision__rationale' }, `“${d.note}”`));
  } else if (d !== null) {
    current.push(h('p', { class: 'decision__meta' }, `The last decision was withdrawn by ${data.people.name(d.by)}, ${formatDateTime(d.at)}.`));
  }

  const summary = new ErrorSummary();
  const verdict = radioGroup('Your decision', `verdict-${pair.pair_id}`, kVerdicts);
  const note = textareaField({
    label: 'Reason',
    optional: true,
    hint: 'What decided it, for whoever reviews this later: for example “same NHS number” or “different dates of birth”.',
    rows: 3,
    maxlength: kMaxNote,
  });
  const submit = new SubmitButton('Record the decision', 'Recording…');
  const conflict = h('div', {});
  const form = h('form', { class: 'action-form', novalidate: true, 'aria-labelledby': 'decide-heading' }, h('h3', { id: 'decide-heading', class: 'action-form__title' }, pair.status === 'open' ? 'Decide' : 'Change the decision'), summary.element, verdict.element, note.element, h('div', { class: 'form-actions' }, submit.element));

  const showConflict = (message: string): void => {
    const again = h('button', { type: 'button', class: 'button button--secondary' }, 'Reload the pair');
    again.addEventListener('click', () => reload(null));
    replaceChildren(conflict, h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, message), h('div', { class: 'form-actions' }, again)));
    again.focus();
  };

  let busy = false;
  const act = async (what: ReviewAction): Promise<void> => {
    if (busy || !(await confirmReview(what))) return;
    busy = true;
    submit.setBusy(true);
    replaceChildren(conflict);
    // The version read with the page: a decision made since then is refused, not overwritten.
    const result = await sendReview(api, pair.pair_id, what, what === 'undo' ? '' : note.control.value.trim(), pair.version);
    busy = false;
    submit.setBusy(false);
    if (result.ok) {
      reload(reviewDoneMessage(what));
      return;
    }
    const message = reviewProblemMessage(result.problem);
    if (isConflict(result.problem)) {
      showConflict(message);
      return;
    }
    if (result.problem.field === 'note') note.setError(message);
    summary.show([{ message, control: result.problem.field === 'note' ? note.control : (verdict.inputs[0] as HTMLElement) }], 'The decision was not recorded');
    summary.element.focus();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    verdict.setError(null);
    note.setError(null);
    summary.clear();
    const chosen = verdict.value();
    if (chosen === '') {
      verdict.setError('Choose whether these records are the same person');
      summary.show([{ message: 'Choose whether these records are the same person', control: verdict.inputs[0] as HTMLElement }]);
      summary.element.focus();
      return;
    }
    void act(chosen as Verdict);
  });

  let undo: HTMLElement | null = null;
  if (pair.status !== 'open') {
    const button = h('button', { type: 'button', class: 'button button--danger' }, 'Undo the decision');
    button.addEventListener('click', () => void act('undo'));
    undo = h('div', { class: 'form-actions' }, button);
  }
  return section('decision-heading', 'Decision', null, ...current, undo, conflict, form);
}
