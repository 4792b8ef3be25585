// /oversight: the oversight dashboard for managers, independent reviewers and auditors
// (issue 6 §5, issue 8 "Oversight dashboard"). One report at a time over a period and,
// optionally, one agency: timeliness against the Working Together clocks, outcomes, children
// with repeat concerns and no action, suspects with no investigation, demographics with
// small numbers suppressed ("<5", "[c]"), and Ofsted's Annex A lists. Percentages are also
// drawn as bars so a gap between agencies shows at a glance; every table downloads as CSV.

import { fetchAgencies } from '../api/casework_api';
import { REPORTS, fetchReport, reportCsvUrl, type Cell, type ReportName, type ReportQuery, type ReportTable } from '../api/oversight_api';
import type { Agency } from '../api/types';
import { h, replaceChildren } from '../dom';
import { formatDate, todayIso } from '../format';
import { ErrorSummary, SubmitButton, fieldMessage, inputField, problemMessage, selectField, type Field } from '../forms';
import type { PageView, SignedInContext } from '../page';
import { canReadOversight } from '../roles';
import { section } from '../work_list';

const kReportLabels: Record<ReportName, string> = {
  timeliness: 'Timeliness',
  outcomes: 'NFA and closure rates',
  'repeat-concerns': 'Repeat concerns, no action',
  suspects: 'Suspects with no investigation',
  demographics: 'Victims and suspects by age, sex and ethnicity',
  'annex-a': 'Ofsted Annex A lists',
};

export async function oversightPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Oversight';
  if (!canReadOversight(ctx.session.user.role)) {
    return { title, content: h('div', { class: 'page' }, h('h1', {}, title), h('p', {}, 'Oversight reports are for managers, independent reviewers and auditors.')) };
  }
  const agencies = await fetchAgencies(ctx.app.api);
  const agencyList: Agency[] = agencies.ok ? agencies.value : [];
  const today = todayIso();
  const yearAgo = `${String(Number(today.slice(0, 4)) - 1)}${today.slice(4)}`;

  const report = selectField({ label: 'Report', choices: REPORTS.map((r) => ({ value: r, label: kReportLabels[r] })), value: 'timeliness' });
  const agency = selectField({ label: 'Agency', choices: [{ value: '', label: 'Every agency' }, ...agencyList.map((a) => ({ value: a.code, label: a.name }))], value: '' });
  const from = inputField({ label: 'From', type: 'date', value: yearAgo });
  const to = inputField({ label: 'To', type: 'date', value: today });
  const fields: Record<string, Field> = { report, agency, from, to };
  const submit = new SubmitButton('Show the report', 'Working…');
  const summary = new ErrorSummary();
  const results = h('div', { class: 'oversight-results', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'filter-form oversight-form', novalidate: true, 'aria-label': 'Choose a report' },
    summary.element,
    h('div', { class: 'field-row' }, report.element, agency.element),
    h('div', { class: 'field-row' }, from.element, to.element),
    h('div', { class: 'form-actions' }, submit.element),
  );

  const run = async (): Promise<void> => {
    for (const field of Object.values(fields)) field.setError(null);
    summary.clear();
    const query: ReportQuery = { report: report.control.value as ReportName, agency: agency.control.value, from: from.control.value, to: to.control.value };
    submit.setBusy(true);
    const result = await fetchReport(ctx.app.api, query);
    submit.setBusy(false);
    if (!result.ok) {
      const field = result.problem.field === undefined ? undefined : fields[result.problem.field];
      const message = field === undefined ? problemMessage(result.problem) : fieldMessage(field.label, problemMessage(result.problem));
      if (field !== undefined) field.setError(message);
      summary.show([field === undefined ? { message } : { message, control: field.control }], 'The report could not be run');
      summary.element.focus();
      return;
    }
    replaceChildren(
      results,
      h('p', { class: 'hint-text' }, `${kReportLabels[query.report]}, ${formatDate(result.value.from)} to ${formatDate(result.value.to)}${query.agency === '' ? '' : `, ${agency.control.selectedOptions[0]?.textContent ?? query.agency}`}. Counts under 5 are shown as “<5”; “[c]” hides a cell that would give one away.`),
      ...result.value.tables.map((t) => tableSection(t, query)),
    );
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void run();
  });
  const content = h('div', { class: 'page' }, h('h1', {}, title), h('p', { class: 'lead' }, 'How well the partnership meets its clocks, and who is being missed. Each report you run is logged.'), form, results);
  void run();
  return { title, content };
}

function tableSection(table: ReportTable, query: ReportQuery): HTMLElement {
  const id = `table-${table.name.replace(/[^a-z0-9]+/gi, '-')}`;
  const head = h('tr', {}, ...table.columns.map((c) => h('th', { scope: 'col', class: isNumeric(table, c) ? 'num' : null }, columnLabel(c))));
  const rows = table.rows.map((row) => h('tr', {}, ...table.columns.map((c) => cell(row[c] ?? null, c, isNumeric(table, c)))));
  const body =
    table.rows.length === 0
      ? h('p', { class: 'hint-text' }, 'Nothing in this period.')
      : // Wide tables scroll sideways: the region takes focus so keyboard users can scroll it.
        h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': id }, h('table', { class: 'table oversight-table' }, h('caption', { class: 'visually-hidden' }, columnLabel(table.name)), h('thead', {}, head), h('tbody', {}, ...rows)));
  return section(id, columnLabel(table.name), table.rows.length, body, h('p', {}, h('a', { href: reportCsvUrl(query, table.name), download: `${query.report}-${table.name}.csv` }, 'Download as CSV')));
}

function isNumeric(table: ReportTable, column: string): boolean {
  return table.rows.some((r) => typeof r[column] === 'number');
}

/** A cell: percentages also get a bar, so differences show at a glance. */
function cell(value: Cell, column: string, numeric: boolean): HTMLElement {
  const td = h('td', { class: numeric ? 'num' : null });
  if (value === null) {
    td.append(h('span', { class: 'table__sub' }, 'n/a'));
  } else if (typeof value === 'number' && column.endsWith('percent')) {
    const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
    // Width through the CSSOM: the CSP forbids inline style attributes, not this.
    bar.style.width = `${Math.max(0, Math.min(100, value))}%`;
    td.append(`${value.toFixed(1)}%`, h('span', { class: 'bar-track', 'aria-hidden': 'true' }, bar));
  } else {
    td.append(String(value));
  }
  return td;
}

function columnLabel(name: string): string {
  const text = name.replace(/_/g, ' ').replace(/\bp90\b/, '90th percentile').replace(/\bpercent\b/, '%');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
