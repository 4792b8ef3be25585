// /network — the link chart (issue 8). Without ?entity= it lists entry points: the key players
// and the hot spots, each opening the chart. With ?entity=ID it charts that entity and its direct
// links (Cytoscape.js, loaded on demand); any node can be expanded to show its own links.
// Everything on the canvas is also in two tables (entities, links) so that keyboard and screen
// reader users can expand nodes and read the evidence on a link in the side panel. Nodes are
// coloured by community; ?since=&until= limit the evidence to a time window; a type filter hides
// kinds of entity; the chart exports as a PNG. ?as_of=RFC 3339 shows the chart as known at that
// time (issue 6): only concerns recorded by then, each as it stood then; the page says so.

import type { ApiClient } from '../api/client';
import {
  fetchCommunities,
  fetchHotSpots,
  fetchKeyPlayers,
  fetchNetworkEntity,
  type Evidence,
  type NetworkEntity,
  type TimeWindow,
} from '../api/network_api';
import { matchPersonByName } from '../api/people_api';
import { h, replaceChildren, type Child } from '../dom';
import { formatDate, formatDateTime, fromLocalInput, toLocalInput } from '../format';
import { ErrorSummary, inputField, problemMessage, uniqueId } from '../forms';
import type { Chart } from '../network_chart';
import type { PageView, SignedInContext } from '../page';
import { canWorkCases } from '../roles';
import { emptyState, section } from '../work_list';
import '../styles/network.css';

/** Queries the link graph (src/network/access.cpp, require_query). */
export function canQueryNetwork(role: string): boolean {
  return role === 'analyst' || role === 'manager' || role === 'reviewer';
}

const kKinds: ReadonlyArray<{ kind: string; label: string }> = [
  { kind: 'person', label: 'People' },
  { kind: 'vehicle', label: 'Vehicles' },
  { kind: 'phone', label: 'Phones' },
  { kind: 'account', label: 'Online accounts' },
  { kind: 'location', label: 'Places' },
];

const kKindNames: Record<string, string> = { person: 'Person', vehicle: 'Vehicle', phone: 'Phone', account: 'Online account', location: 'Place' };

const kConfidence: Record<string, string> = { confirmed: 'Confirmed', probable: 'Probable', possible: 'Possible', co_occurrence: 'Named together' };

function words(table: Record<string, string>, code: string): string {
  return table[code] ?? code.replace(/_/g, ' ');
}

function linkType(type: string): string {
  const text = type.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isDate(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}

/** The page's address for `entity` ('' for the entry points) in `window`. */
function chartPath(entity: string, window: TimeWindow): string {
  const q = new URLSearchParams(entity === '' ? {} : { entity });
  if (window.since !== '') q.set('since', window.since);
  if (window.until !== '') q.set('until', window.until);
  if (window.asOf !== '') q.set('as_of', window.asOf);
  return q.toString() === '' ? '/network' : `/network?${q.toString()}`;
}

function entityName(e: NetworkEntity): string {
  return e.label === '' ? `${words(kKindNames, e.kind)} ${e.id.slice(-6)}` : e.label;
}

function describe(e: NetworkEntity): string {
  const roles = e.roles.length === 0 ? '' : ` (${e.roles.join(', ')})`;
  return `${words(kKindNames, e.kind)}${roles}`;
}

export async function networkPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Link chart';
  if (!canQueryNetwork(ctx.session.user.role)) {
    return { title, content: h('div', { class: 'page' }, h('h1', {}, title), h('p', {}, 'Link analysis is for analysts, managers and reviewers.')) };
  }
  const since = ctx.query.get('since') ?? '';
  const until = ctx.query.get('until') ?? '';
  const asOf = ctx.query.get('as_of') ?? '';
  const window: TimeWindow = { since: isDate(since) ? since : '', until: isDate(until) ? until : '', asOf: asOf !== '' && !Number.isNaN(new Date(asOf).getTime()) ? asOf : '' };
  const entity = ctx.query.get('entity') ?? '';
  const pageTitle = window.asOf === '' ? title : `${title} as known at ${formatDateTime(window.asOf)}`;

  const windowForm = timeWindowForm(ctx, entity, window);
  const content = h('div', { class: 'page network-page' }, h('h1', {}, pageTitle), asOfBanner(entity, window));
  if (entity === '') {
    content.append(h('p', { class: 'lede' }, 'Start from a key player or a hot spot to open its link chart.'), windowForm, asOfForm(ctx, entity, window), await entryPoints(ctx.app.api, window));
    return { title: pageTitle, content };
  }
  const chart = await chartView(ctx, entity, window);
  content.append(windowForm, asOfForm(ctx, entity, window), chart);
  return { title: pageTitle, content };
}

/** Says plainly that the chart is a past view, and links to today's. */
function asOfBanner(entity: string, window: TimeWindow): HTMLElement | null {
  if (window.asOf === '') return null;
  return h(
    'div',
    { class: 'notice notice--history' },
    h('p', {}, h('strong', {}, `As known at ${formatDateTime(window.asOf)}. `), 'This is a past view: the chart draws only on concerns recorded by then, each as it stood then. Anything recorded or corrected since is not shown.'),
    h('p', {}, h('a', { href: chartPath(entity, { ...window, asOf: '' }) }, 'Show the link chart as known now')),
  );
}

/** "Show the link chart as it was known at": a date and time in UK time. */
function asOfForm(ctx: SignedInContext, entity: string, window: TimeWindow): HTMLElement {
  const input = inputField({
    label: 'Show the link chart as it was known at',
    type: 'datetime-local',
    step: '1',
    value: window.asOf === '' ? '' : toLocalInput(new Date(window.asOf)),
    hint: 'A date and time in UK time. Reviewers use this to see what was known when decisions were made.',
  });
  const summary = new ErrorSummary();
  const form = h('form', { class: 'as-of-form network-as-of', novalidate: true, 'aria-label': 'As known at' }, summary.element, input.element, h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button--secondary' }, 'Show as known then')));
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
    ctx.app.navigate(chartPath(entity, { ...window, asOf: at }));
  });
  return form;
}

function timeWindowForm(ctx: SignedInContext, entity: string, window: TimeWindow): HTMLElement {
  const sinceField = inputField({ label: 'From', type: 'date', value: window.since, optional: true, hint: 'Evidence dated on or after' });
  const untilField = inputField({ label: 'To', type: 'date', value: window.until, optional: true, hint: 'Evidence dated on or before' });
  const form = h(
    'form',
    { class: 'filter-form network-window', novalidate: true, 'aria-label': 'Time window' },
    sinceField.element,
    untilField.element,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'button button--secondary' }, 'Apply time window')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    ctx.app.navigate(chartPath(entity, { since: sinceField.control.value, until: untilField.control.value, asOf: window.asOf }));
  });
  return form;
}

async function entryPoints(api: ApiClient, window: TimeWindow): Promise<HTMLElement> {
  const [players, spots] = await Promise.all([fetchKeyPlayers(api, window), fetchHotSpots(api, window)]);
  const list = (items: Array<{ entity: NetworkEntity; note: string }>): HTMLElement =>
    h('ol', { class: 'entry-list' }, ...items.map((i) => h('li', {}, h('a', { href: chartPath(i.entity.id, window) }, entityName(i.entity)), h('span', { class: 'entry-list__note' }, ` — ${i.note}`))));
  const failed = (message: string): HTMLElement => h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, message));
  return h(
    'div',
    { class: 'network-entry' },
    section(
      'players-heading',
      'Key players',
      players.ok ? players.value.length : null,
      !players.ok
        ? failed(`Key players could not be loaded: ${problemMessage(players.problem)}`)
        : players.value.length === 0
          ? emptyState('No key players', 'Suspects and associates named in concerns you can see appear here.')
          : list(players.value.map((p) => ({ entity: p.entity, note: `${p.degree} direct ${p.degree === 1 ? 'link' : 'links'}, score ${p.score.toFixed(2)}` }))),
    ),
    section(
      'spots-heading',
      'Hot spots',
      spots.ok ? spots.value.length : null,
      !spots.ok
        ? failed(`Hot spots could not be loaded: ${problemMessage(spots.problem)}`)
        : spots.value.length === 0
          ? emptyState('No hot spots', 'Places, vehicles and phones linked to children appear here.')
          : list(spots.value.map((s) => ({ entity: s.entity, note: `${describe(s.entity)} linked to ${s.children} ${s.children === 1 ? 'child' : 'children'}` }))),
    ),
  );
}

interface EdgeInfo {
  id: string;
  a: string;
  b: string;
  weight: number;
  evidence: Evidence[];
}

function edgeId(a: string, b: string): string {
  return a < b ? `${a}~${b}` : `${b}~${a}`;
}

async function chartView(ctx: SignedInContext, rootId: string, window: TimeWindow): Promise<HTMLElement> {
  const api = ctx.app.api;
  const [first, communities] = await Promise.all([fetchNetworkEntity(api, rootId, window), fetchCommunities(api, window)]);
  if (!first.ok) {
    const text = first.problem.status === 404 ? 'No such entity, or none you may see in this time window.' : `The link chart could not be loaded: ${problemMessage(first.problem)}`;
    const past = window.asOf === '' ? '' : ` Nothing about it may have been recorded by ${formatDateTime(window.asOf)}.`;
    return h('div', { class: 'notice notice--error', role: 'alert' }, h('p', {}, text + (first.problem.status === 404 ? past : '')), h('p', {}, h('a', { href: chartPath('', window) }, 'Back to key players and hot spots')));
  }
  const groups = new Map<string, number>();
  if (communities.ok) for (const c of communities.value) for (const m of c.members) if (!groups.has(m.id)) groups.set(m.id, c.rank);

  const nodes = new Map<string, NetworkEntity>();
  const edges = new Map<string, EdgeInfo>();
  const expanded = new Set<string>();
  const shownKinds = new Set(kKinds.map((k) => k.kind));
  let chart: Chart | null = null;

  const status = h('div', { class: 'status-message', role: 'status' });
  const canvas = h('div', { class: 'network-chart', role: 'img', 'aria-label': 'Link chart. The same entities and links are listed in the tables below the chart.' });
  const panelBody = h('div', { class: 'evidence-panel__body' });
  const panelHeading = h('h2', { id: 'evidence-heading', class: 'section__title', tabindex: '-1' }, 'Details');
  const panel = h('aside', { class: 'evidence-panel', 'aria-labelledby': 'evidence-heading' }, panelHeading, panelBody);
  replaceChildren(panelBody, h('p', { class: 'hint-text' }, 'Select a link (on the chart or in the Links table) to see its evidence, or an entity to expand it.'));
  const nodeRows = h('tbody');
  const edgeRows = h('tbody');

  const say = (text: string): void => replaceChildren(status, h('p', {}, text));
  const name = (id: string): string => {
    const e = nodes.get(id);
    return e === undefined ? id : entityName(e);
  };
  const visible = (id: string): boolean => id === rootId || shownKinds.has(nodes.get(id)?.kind ?? '');

  const merge = (centre: NetworkEntity, links: ReadonlyArray<{ other: NetworkEntity; weight: number; evidence: Evidence[] }>): void => {
    nodes.set(centre.id, centre);
    for (const l of links) {
      if (!nodes.has(l.other.id)) nodes.set(l.other.id, l.other);
      const id = edgeId(centre.id, l.other.id);
      edges.set(id, { id, a: centre.id, b: l.other.id, weight: l.weight, evidence: l.evidence });
    }
    expanded.add(centre.id);
  };

  const toChart = (): void => {
    chart?.add(
      [...nodes.values()].map((e) => ({ id: e.id, label: entityName(e), kind: e.kind, group: groups.get(e.id) ?? null, root: e.id === rootId })),
      [...edges.values()].map((e) => ({ id: e.id, source: e.a, target: e.b, weight: e.weight })),
    );
    chart?.filter(shownKinds);
  };

  const expand = async (id: string): Promise<void> => {
    if (expanded.has(id)) {
      showNode(id);
      return;
    }
    say(`Expanding ${name(id)}…`);
    const result = await fetchNetworkEntity(api, id, window);
    if (!result.ok) {
      say(`${name(id)} could not be expanded: ${problemMessage(result.problem)}`);
      return;
    }
    const before = nodes.size;
    merge(result.value.entity, result.value.links);
    toChart();
    renderTables();
    const added = nodes.size - before;
    say(`Expanded ${name(id)}: ${added} new ${added === 1 ? 'entity' : 'entities'}, ${result.value.links.length} ${result.value.links.length === 1 ? 'link' : 'links'}.`);
    showNode(id);
  };

  const showEdge = (id: string, moveFocus: boolean): void => {
    const e = edges.get(id);
    if (e === undefined) return;
    chart?.select(id);
    panelHeading.textContent = `Evidence: ${name(e.a)} — ${name(e.b)}`;
    replaceChildren(
      panelBody,
      h('p', {}, `Strength ${e.weight.toFixed(2)} from ${e.evidence.length} ${e.evidence.length === 1 ? 'piece' : 'pieces'} of evidence.`),
      e.evidence.length === 0
        ? h('p', {}, 'No evidence in this time window.')
        : h(
            'table',
            { class: 'table evidence-table' },
            h('caption', { class: 'visually-hidden' }, 'Evidence for this link, oldest first'),
            h('thead', {}, h('tr', {}, ...['Type', 'Date', 'Confidence', 'Source concern'].map((c) => h('th', { scope: 'col' }, c)))),
            h('tbody', {}, ...e.evidence.map((ev) => h('tr', {}, h('td', {}, linkType(ev.type)), h('td', {}, formatDate(ev.date)), h('td', {}, words(kConfidence, ev.confidence)), h('td', { class: 'mono' }, `Concern …${ev.concern_id.slice(-6)}`)))),
          ),
    );
    if (moveFocus) panelHeading.focus();
  };

  const openPerson = async (e: NetworkEntity): Promise<void> => {
    say(`Looking up ${entityName(e)}’s records…`);
    const found = await matchPersonByName(api, e.label);
    if (!found.ok || found.value.length === 0) {
      say(found.ok ? 'No person records match this name.' : `The person could not be found: ${problemMessage(found.problem)}`);
      return;
    }
    // A name can match several people: prefer the record made in a concern this node's links
    // come from (person record ids are `<concern id>:<ref>`), else the best match.
    const concerns = new Set([...edges.values()].filter((x) => x.a === e.id || x.b === e.id).flatMap((x) => x.evidence.map((ev) => ev.concern_id)));
    const best = found.value.find((m) => concerns.has(m.record_id.split(':')[0] ?? '')) ?? (found.value[0] as { entity_id: string; record_id: string });
    const person = `/persons/${encodeURIComponent(best.entity_id === '' ? best.record_id : best.entity_id)}`;
    // A past chart opens the person as known at the same time.
    ctx.app.navigate(window.asOf === '' ? person : `${person}?${new URLSearchParams({ as_of: window.asOf }).toString()}`);
  };

  function showNode(id: string): void {
    const e = nodes.get(id);
    if (e === undefined) return;
    chart?.select(id);
    panelHeading.textContent = entityName(e);
    const links = [...edges.values()].filter((x) => x.a === id || x.b === id);
    const expand_ = h('button', { type: 'button', class: 'button button--secondary button--small', disabled: expanded.has(id) }, expanded.has(id) ? 'Expanded' : 'Expand');
    expand_.addEventListener('click', () => void expand(id));
    const person = e.kind === 'person' && e.label !== '' ? h('button', { type: 'button', class: 'button button--secondary button--small' }, 'Open person page') : null;
    person?.addEventListener('click', () => void openPerson(e));
    // A place linked to children can be worked as a place case (contextual safeguarding).
    const placeCase = e.kind === 'location' && window.asOf === '' && canWorkCases(ctx.session.user.role) ? h('a', { href: `/contexts/new?${new URLSearchParams({ place: e.id }).toString()}`, class: 'button button--secondary button--small' }, 'Open a place case') : null;
    replaceChildren(
      panelBody,
      h('p', {}, `${describe(e)}${e.detail === '' ? '' : `, ${e.detail}`}. ${groups.has(id) ? `Group ${groups.get(id)}.` : 'In no group.'}`),
      h('p', {}, `${links.length} ${links.length === 1 ? 'link' : 'links'} shown.`),
      h('div', { class: 'form-actions' }, expand_, person, placeCase),
    );
  }

  function renderTables(): void {
    const nodeList = [...nodes.values()].filter((e) => visible(e.id));
    replaceChildren(
      nodeRows,
      ...nodeList.map((e) => {
        const button = h('button', { type: 'button', class: 'button button--link', 'aria-label': `${expanded.has(e.id) ? 'Show' : 'Expand'} ${entityName(e)}` }, expanded.has(e.id) ? 'Show' : 'Expand');
        button.addEventListener('click', () => void (expanded.has(e.id) ? showNode(e.id) : expand(e.id)));
        return h('tr', {}, h('th', { scope: 'row' }, entityName(e), e.id === rootId ? h('span', { class: 'tag' }, ' Start') : null), h('td', {}, describe(e)), h('td', {}, groupCell(groups.get(e.id) ?? null)), h('td', {}, button));
      }),
    );
    const edgeList = [...edges.values()].filter((e) => visible(e.a) && visible(e.b));
    replaceChildren(
      edgeRows,
      ...edgeList.map((e) => {
        const button = h('button', { type: 'button', class: 'button button--link', 'aria-label': `Evidence for ${name(e.a)} — ${name(e.b)}` }, 'Evidence');
        button.addEventListener('click', () => showEdge(e.id, true));
        const types = [...new Set(e.evidence.map((ev) => linkType(ev.type)))].join(', ');
        return h('tr', {}, h('td', {}, name(e.a)), h('td', {}, name(e.b)), h('td', {}, types), h('td', { class: 'num' }, String(e.evidence.length)), h('td', {}, button));
      }),
    );
  }

  merge(first.value.entity, first.value.links);

  // The type filter: checkboxes that hide kinds of entity on the chart and in the tables.
  const filters = h(
    'fieldset',
    { class: 'fieldset network-filter' },
    h('legend', { class: 'legend' }, 'Show'),
    h(
      'div',
      { class: 'checkboxes network-filter__list' },
      ...kKinds.map((k) => {
        const id = uniqueId('kind');
        const box = h('input', { type: 'checkbox', class: 'checkbox__input', id, checked: true });
        box.addEventListener('change', () => {
          if (box.checked) shownKinds.add(k.kind);
          else shownKinds.delete(k.kind);
          chart?.filter(shownKinds);
          renderTables();
        });
        return h('div', { class: 'checkbox' }, box, h('label', { class: 'checkbox__label', for: id }, k.label));
      }),
    ),
  );

  const exportButton = h('button', { type: 'button', class: 'button button--secondary' }, 'Export as PNG');
  exportButton.addEventListener('click', () => {
    if (chart === null) return;
    const link = h('a', { href: chart.png(), download: `link-chart-${rootId.slice(-6)}.png`, class: 'visually-hidden' }, 'Download');
    document.body.appendChild(link);
    link.click();
    link.remove();
    say('The chart was saved as a PNG image.');
  });

  renderTables();
  const view = h(
    'div',
    { class: 'network-view' },
    h('p', { class: 'lede' }, `Centred on ${entityName(first.value.entity)} (${describe(first.value.entity)}). `, h('a', { href: chartPath('', window) }, 'Key players and hot spots')),
    h('div', { class: 'network-toolbar' }, filters, exportButton),
    status,
    h('div', { class: 'network-layout' }, h('div', { class: 'network-canvas-wrap' }, canvas, legend(communities.ok)), panel),
    section(
      'entities-heading',
      'Entities',
      null,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' }, h('caption', { class: 'visually-hidden' }, 'Entities on the chart'), h('thead', {}, h('tr', {}, ...['Name', 'Kind', 'Group', 'Action'].map((c) => h('th', { scope: 'col' }, c)))), nodeRows)),
    ),
    section(
      'links-heading',
      'Links',
      null,
      h('div', { class: 'table-wrap' }, h('table', { class: 'table' }, h('caption', { class: 'visually-hidden' }, 'Links on the chart'), h('thead', {}, h('tr', {}, ...['From', 'To', 'Types', 'Evidence', 'Action'].map((c) => h('th', { scope: 'col' }, c)))), edgeRows)),
    ),
  );

  // The canvas needs its container in the document to measure it: start once it is attached.
  const start = (): void => {
    void import('../network_chart')
      .then((m) => m.createChart(canvas, { onNode: (id) => void expand(id), onEdge: (id) => showEdge(id, false) }))
      .then((c) => {
        chart = c;
        toChart();
        canvas.dataset['ready'] = 'true';
      })
      .catch(() => say('The chart could not be drawn; the tables below list the same entities and links.'));
  };
  requestAnimationFrame(() => (canvas.isConnected ? start() : setTimeout(start, 50)));
  return view;
}

function groupCell(group: number | null): Child {
  return group === null ? 'None' : `Group ${group}`;
}

function legend(known: boolean): HTMLElement {
  return h('p', { class: 'hint-text network-legend' }, known ? 'Colours show groups found by community detection (listed in the Group column); grey is no group. Shapes: circle person, rounded square vehicle, diamond phone, triangle online account, hexagon place.' : 'Groups could not be loaded, so every entity is grey.');
}
