// / ("My work"): the signed-in landing page. The user's tasks by due date with overdue ones
// marked, alerts and escalations waiting for an acknowledgement, for managers the decisions
// waiting for sign-off and the managers' shared inbox, and for analysts the analysts' inbox
// (network alerts: a vehicle, place, phone or suspect linked to several children). Auditors,
// who see no case content, get the auditors' inbox of break-glass notices; administrators get
// pointers to the sharing agreements and reviewers' remits.

import { fetchAuditNotice, type AuditNotice } from '../api/access_api';
import { fetchDecision, fetchInbox } from '../api/casework_api';
import type { DecisionBody, WorkItem } from '../api/casework_types';
import type { ApiClient, ApiResult } from '../api/client';
import { fetchNetworkAlert, type NetworkAlert } from '../api/network_api';
import { fetchReviewQueue } from '../api/people_api';
import { h, replaceChildren } from '../dom';
import { formatDate, formatDateTime } from '../format';
import { problemMessage } from '../forms';
import type { PageView, SignedInContext } from '../page';
import { People } from '../people';
import { canAcknowledge, canAcknowledgeAudit, canAdminister, canReadCasework, canSignOff, canTriage, canWorkCases, roleLabel } from '../roles';
import { caseNames, emptyState, loadError, section, workList } from '../work_list';

export async function homePage(ctx: SignedInContext): Promise<PageView> {
  const { user } = ctx.session;
  // Where "… acknowledged." is announced; focus goes there after an action rebuilt the lists.
  const status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });
  const body = h('div', { class: 'my-work' });
  const content = h(
    'div',
    { class: 'page' },
    h('h1', {}, 'My work'),
    h('p', { class: 'signed-in-as' }, 'Signed in as ', h('strong', {}, user.display_name), ` — ${roleLabel(user.role)}, ${user.agency.name}`),
    status,
    body,
  );

  if (canAcknowledgeAudit(user.role)) {
    const load = async (message: string | null): Promise<void> => {
      replaceChildren(body, ...(await auditorsSection(ctx, (text) => void load(text))));
      replaceChildren(status, message === null ? null : h('p', { class: 'notice notice--success' }, message));
      if (message !== null) status.focus();
    };
    await load(null);
    return { title: 'My work', content };
  }

  if (canAdminister(user.role)) {
    replaceChildren(
      body,
      h('p', { class: 'hint-text' }, 'Your role keeps case content out of view (separation of duties).'),
      h('p', { class: 'pointer' }, h('a', { href: '/admin/sharing' }, 'Sharing agreements'), ': which agencies see which categories of each other’s records.'),
      h('p', { class: 'pointer' }, h('a', { href: '/admin/reviewers' }, 'Reviewers’ remits'), ': the agencies and period each independent reviewer may read.'),
    );
    return { title: 'My work', content };
  }

  if (!canReadCasework(user.role)) {
    replaceChildren(
      body,
      h(
        'section',
        { class: 'panel empty-state', 'aria-labelledby': 'tasks-heading' },
        h('h2', { id: 'tasks-heading', class: 'empty-state__title' }, 'No casework for your role'),
        h('p', { class: 'empty-state__text' }, 'Your role keeps case content out of view (separation of duties). Your tools will appear here as they arrive.'),
      ),
    );
    return { title: 'My work', content };
  }

  const load = async (message: string | null): Promise<void> => {
    const sections = await loadSections(ctx, (text) => void load(text));
    replaceChildren(body, ...sections);
    replaceChildren(status, message === null ? null : h('p', { class: 'notice notice--success' }, message));
    if (message !== null) status.focus();
  };
  await load(null);
  return { title: 'My work', content };
}

async function loadSections(ctx: SignedInContext, reload: (message: string) => void): Promise<HTMLElement[]> {
  const { api } = ctx.app;
  const { user } = ctx.session;
  const manager = canSignOff(user.role);
  const analyst = user.role === 'analyst';
  const requests: Array<Promise<ApiResult<WorkItem[]>>> = [fetchInbox(api, { inbox: 'mine' })];
  if (manager) requests.push(fetchInbox(api, { inbox: 'managers' }));
  // The analysts' inbox loads on its own: if it fails, the user's own work still shows.
  const [results, analystsWork] = await Promise.all([Promise.all(requests), analyst ? analystsSection(api, reload) : Promise.resolve(null)]);
  const failed = results.find((r) => !r.ok);
  if (failed !== undefined && !failed.ok) {
    const el = h('div', {});
    loadError(el, `Your work could not be loaded: ${problemMessage(failed.problem)}`);
    return [el];
  }
  const mine = results[0]?.ok === true ? results[0].value : [];
  const shared = results[1]?.ok === true ? results[1].value : [];
  const sharedIds = new Set(shared.map((i) => i.id));
  const all = [...mine, ...shared.filter((i) => !mine.some((m) => m.id === i.id))];
  const tag = manager ? (item: WorkItem): string | null => (sharedIds.has(item.id) ? "Managers' inbox" : 'Sent to you') : undefined;

  const tasks = mine.filter((i) => i.kind === 'task');
  const notices = all.filter((i) => i.kind === 'alert' || i.kind === 'escalation');
  const signOffs = all.filter((i) => i.kind === 'sign_off');

  const [names, decisions, people] = await Promise.all([
    caseNames(api, all),
    proposals(ctx, signOffs),
    signOffs.length > 0 ? People.load(api, user.id) : Promise.resolve(new People([], user.id)),
  ]);
  const overdue = tasks.filter((t) => t.working_days_left !== null && t.working_days_left < 0).length;
  const common = { api, names, onChanged: reload };

  const out: HTMLElement[] = [];
  out.push(
    h(
      'ul',
      { class: 'summary-strip', 'aria-label': 'Summary' },
      h('li', {}, h('span', { class: 'summary-strip__n' }, String(tasks.length)), ' open tasks'),
      h('li', { class: overdue > 0 ? 'summary-strip__alarm' : null }, h('span', { class: 'summary-strip__n' }, String(overdue)), ' overdue'),
      h('li', {}, h('span', { class: 'summary-strip__n' }, String(notices.length)), ' alerts and escalations'),
      manager ? h('li', {}, h('span', { class: 'summary-strip__n' }, String(signOffs.length)), ' sign-offs waiting') : null,
    ),
  );

  out.push(
    section(
      'tasks-heading',
      'My tasks',
      tasks.length,
      tasks.length === 0
        ? emptyState('No tasks yet', 'Concerns, referrals and reviews assigned to you will appear here, with the date each one is due.')
        : workList({ ...common, items: tasks, canAcknowledge: false }),
    ),
  );

  if (canAcknowledge(user.role)) {
    out.push(
      section(
        'alerts-heading',
        'Alerts and escalations to acknowledge',
        notices.length,
        notices.length === 0
          ? emptyState('Nothing to acknowledge', 'Repeat-concern alerts and overdue work escalated to you will appear here.')
          : workList({ ...common, items: notices, canAcknowledge: true, ...(tag === undefined ? {} : { tag }) }),
      ),
    );
  }

  if (manager) {
    out.push(
      section(
        'sign-offs-heading',
        'Sign-offs waiting',
        signOffs.length,
        signOffs.length === 0
          ? emptyState('No decisions waiting', 'Proposals of no further action or closure that need a manager’s sign-off will appear here.')
          : workList({
              ...common,
              items: signOffs,
              canAcknowledge: false,
              ...(tag === undefined ? {} : { tag }),
              extra: (item) => proposalLine(decisions.get(item.id), user.id, people),
            }),
      ),
    );
  }

  if (analystsWork !== null) out.push(...analystsWork);

  if (canTriage(user.role) && !manager) {
    out.push(h('p', { class: 'pointer' }, 'New concerns and their referral decisions are in the ', h('a', { href: '/mash' }, 'MASH triage queue'), '.'));
  }
  if (canWorkCases(user.role)) {
    out.push(h('p', { class: 'pointer' }, h('a', { href: '/concerns/new' }, 'Raise a concern'), ' about a child.'));
  }
  return out;
}

// The decision behind each sign-off item, to say who proposed it and why.
async function proposals(ctx: SignedInContext, items: readonly WorkItem[]): Promise<Map<string, DecisionBody>> {
  const results = await Promise.all(items.map((i) => fetchDecision(ctx.app.api, i.id, null)));
  const out = new Map<string, DecisionBody>();
  results.forEach((r) => {
    if (r.ok) out.set(r.value.id, r.value.body);
  });
  return out;
}

function proposalLine(decision: DecisionBody | undefined, me: string, people: People): HTMLElement | null {
  if (decision === undefined) return null;
  const who = decision.proposed_by === me ? 'You proposed this on ' : `Proposed by ${people.name(decision.proposed_by)} on `;
  return h(
    'div',
    { class: 'work-item__extra' },
    h('p', {}, `${who}${formatDate(decision.decided_on)}: “${decision.rationale}”`),
    decision.proposed_by === me ? h('p', { class: 'hint-text' }, 'Another manager must sign it off.') : null,
  );
}

// The review queue has no count: read up to this many pairs to say how many are waiting.
const kQueueCountLimit = 100;

/**
 * The analysts' inbox: network alerts, each with what the entity is linked to and a link to
 * its chart, then a pointer to the review queue with the number of pairs waiting.
 */
async function analystsSection(api: ApiClient, reload: (message: string) => void): Promise<HTMLElement[]> {
  const [inbox, queue] = await Promise.all([fetchInbox(api, { inbox: 'analysts' }), fetchReviewQueue(api, kQueueCountLimit, 'open')]);
  const out: HTMLElement[] = [];
  if (!inbox.ok) {
    const el = h('div', {});
    loadError(el, `The analysts’ inbox could not be loaded: ${problemMessage(inbox.problem)}`);
    out.push(section('analysts-heading', 'Analysts’ inbox', null, el));
  } else {
    const items = inbox.value;
    const alerts = await Promise.all(items.map((i) => fetchNetworkAlert(api, i.id)));
    const byId = new Map<string, NetworkAlert>();
    alerts.forEach((a) => {
      if (a.ok) byId.set(a.value.id, a.value);
    });
    out.push(
      section(
        'analysts-heading',
        'Analysts’ inbox',
        items.length,
        h('p', { class: 'hint-text' }, 'Shared by every analyst: vehicles, places, phones and suspects that the partnership’s records link to several children.'),
        items.length === 0
          ? emptyState('No network alerts', 'When a vehicle, place, phone or suspect is linked to several children, an alert for the analysts appears here.')
          : workList({ api, items, names: new Map(), canAcknowledge: false, onChanged: reload, tag: () => 'Analysts’ inbox', extra: (item) => alertLine(item, byId.get(item.id)) }),
      ),
    );
  }
  if (queue.ok) {
    const n = queue.value.length;
    out.push(h('p', { class: 'pointer' }, n === 0 ? 'No possible matches are waiting in the ' : `${n === kQueueCountLimit ? `${kQueueCountLimit} or more` : n} possible ${n === 1 ? 'match is' : 'matches are'} waiting in the `, h('a', { href: '/review-queue' }, 'review queue'), '.'));
  }
  return out;
}

// What the alert is about, from its record; when the record cannot be read, the entity's
// label from the inbox row still says which one it is.
function alertLine(item: WorkItem, alert: NetworkAlert | undefined): HTMLElement | null {
  if (alert === undefined) {
    return item.label === undefined || item.label === '' ? null : h('div', { class: 'work-item__extra' }, h('p', {}, 'About ', h('strong', {}, item.label), '.'));
  }
  const summary = alert.summary.charAt(0).toUpperCase() + alert.summary.slice(1);
  return h(
    'div',
    { class: 'work-item__extra' },
    h('p', {}, `${summary}: `, h('strong', {}, alert.label), '. ', h('a', { href: `/network?${new URLSearchParams({ entity: alert.entity_id }).toString()}` }, 'Open the link chart')),
  );
}

/**
 * The auditors' inbox: a notice for each break-glass, saying who opened which record, why and
 * until when. Auditors acknowledge each with a note; they never see the record itself.
 */
async function auditorsSection(ctx: SignedInContext, reload: (message: string) => void): Promise<HTMLElement[]> {
  const { api } = ctx.app;
  // The inbox route takes no "auditors"; an auditor asking for any inbox is given the
  // auditors' one and nothing else (workflow::Casework::inbox).
  const [inbox, people] = await Promise.all([fetchInbox(api, { inbox: 'all' }), People.load(api, ctx.session.user.id)]);
  if (!inbox.ok) {
    const el = h('div', {});
    loadError(el, `The auditors’ inbox could not be loaded: ${problemMessage(inbox.problem)}`);
    return [section('auditors-heading', 'Auditors’ inbox', null, el)];
  }
  const items = inbox.value.filter((i) => i.kind === 'audit_notice');
  const notices = await Promise.all(items.map((i) => fetchAuditNotice(api, i.id)));
  const byId = new Map<string, AuditNotice>();
  notices.forEach((n) => {
    if (n.ok) byId.set(n.value.id, n.value);
  });
  return [
    section(
      'auditors-heading',
      'Auditors’ inbox',
      items.length,
      h('p', { class: 'hint-text' }, 'Shared by every auditor: each time someone breaks glass to open a record outside their need to know. Check the reason, then acknowledge it with a note.'),
      items.length === 0
        ? emptyState('No break-glass notices', 'When someone breaks glass, a notice saying who, which record, why and until when appears here at once.')
        : workList({ api, items, names: new Map(), canAcknowledge: true, onChanged: reload, tag: () => 'Auditors’ inbox', extra: (item) => noticeLines(byId.get(item.id), people) }),
    ),
  ];
}

function noticeLines(notice: AuditNotice | undefined, people: People): HTMLElement {
  if (notice === undefined) return h('div', { class: 'work-item__extra' }, h('p', {}, 'The notice could not be loaded.'));
  const row = (term: string, value: string | HTMLElement): HTMLElement[] => [h('dt', {}, term), h('dd', {}, value)];
  return h(
    'div',
    { class: 'work-item__extra' },
    h(
      'dl',
      { class: 'facts facts--compact' },
      ...row('Who', people.nameAtStart(notice.user_id)),
      ...row('Record', h('code', {}, notice.record_id)),
      ...row('Reason', notice.reason),
      ...row('Access until', formatDateTime(notice.until)),
    ),
  );
}
