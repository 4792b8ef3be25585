// /cases: the cases the user can see, most recently updated first, filtered by open, closed or
// all (?status=). Each links to its case page. Practitioners, managers, MASH coordinators,
// analysts and reviewers use it to find a case that is not in their inbox.

import { fetchCases, type CaseStatusFilter } from '../api/casework_api';
import { h } from '../dom';
import { formatDateTime, shortId, stageLabel } from '../format';
import { problemMessage, selectField } from '../forms';
import type { PageView, SignedInContext } from '../page';
import { canReadCasework } from '../roles';
import { emptyState } from '../work_list';

const kLimit = 200;

const kFilters: ReadonlyArray<{ value: CaseStatusFilter; label: string }> = [
  { value: 'open', label: 'Open cases' },
  { value: 'closed', label: 'Closed cases' },
  { value: 'all', label: 'All cases' },
];

export async function casesPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Cases';
  if (!canReadCasework(ctx.session.user.role)) {
    return { title, content: h('div', { class: 'page' }, h('h1', {}, title), h('p', {}, 'Your role keeps case content out of view (separation of duties).')) };
  }
  const asked = ctx.query.get('status');
  const status: CaseStatusFilter = kFilters.some((f) => f.value === asked) ? (asked as CaseStatusFilter) : 'open';

  const filter = selectField({ label: 'Show', choices: kFilters, value: status });
  const form = h('form', { class: 'filter-form', novalidate: true, 'aria-label': 'Filter the cases' }, filter.element, h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button--secondary' }, 'Show')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.app.navigate(`/cases?${new URLSearchParams({ status: filter.control.value }).toString()}`);
  });

  const result = await fetchCases(ctx.app.api, status, kLimit);
  let body: HTMLElement;
  if (!result.ok) {
    const text = result.problem.status === 404 ? 'The list of cases is not available from this server yet.' : `The cases could not be loaded: ${problemMessage(result.problem)}`;
    body = h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, text));
  } else if (result.value.length === 0) {
    body = emptyState(status === 'closed' ? 'No closed cases' : 'No cases', 'Cases you can see appear here, most recently updated first.');
  } else {
    const items = result.value;
    body = h(
      'div',
      {},
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { class: 'table cases-table' },
          h('caption', { class: 'visually-hidden' }, `${kFilters.find((f) => f.value === status)?.label ?? 'Cases'}, most recently updated first`),
          h(
            'thead',
            {},
            h('tr', {}, h('th', { scope: 'col' }, 'Child'), h('th', { scope: 'col' }, 'Stage'), h('th', { scope: 'col' }, 'Opened'), h('th', { scope: 'col' }, 'Last updated')),
          ),
          h(
            'tbody',
            {},
            ...items.map((c) =>
              h(
                'tr',
                {},
                h('td', {}, h('a', { href: `/cases/${encodeURIComponent(c.case_id)}` }, c.label === '' ? `Unnamed child (case ${shortId(c.case_id)})` : c.label)),
                h('td', {}, h('span', { class: `stage stage--${c.status === 'closed' ? 'closed' : c.stage}` }, c.status === 'closed' ? 'Closed' : stageLabel(c.stage))),
                h('td', {}, formatDateTime(c.opened_at)),
                h('td', {}, formatDateTime(c.updated_at)),
              ),
            ),
          ),
        ),
      ),
      items.length >= kLimit ? h('p', { class: 'hint-text' }, `Showing the ${kLimit} most recently updated.`) : null,
    );
  }

  const content = h(
    'div',
    { class: 'page' },
    h('h1', {}, title),
    h('p', { class: 'lede' }, 'The cases you can see, most recently updated first.'),
    form,
    body,
  );
  return { title, content };
}
