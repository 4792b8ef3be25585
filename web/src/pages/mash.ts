// /mash: the MASH triage queue. New concerns wait here for their referral decision (due within
// one working day, Working Together), soonest first, beside the repeat-concern alerts sent to
// the hub. Each links to its case, where the decision is made.

import { fetchInbox } from '../api/casework_api';
import { h, replaceChildren } from '../dom';
import { problemMessage } from '../forms';
import type { PageView, SignedInContext } from '../page';
import { canAcknowledge, canWorkCases } from '../roles';
import { caseNames, emptyState, loadError, section, workList } from '../work_list';

export async function mashPage(ctx: SignedInContext): Promise<PageView> {
  const { api } = ctx.app;
  const { user } = ctx.session;
  const status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });
  const body = h('div', {});
  const content = h(
    'div',
    { class: 'page' },
    h('h1', {}, 'MASH triage queue'),
    h('p', { class: 'lede' }, 'Concerns from every agency waiting for a referral decision, soonest due first, and the alerts sent to the hub.'),
    canWorkCases(user.role) ? h('p', {}, h('a', { href: '/concerns/new', class: 'button button--secondary' }, 'Raise a concern')) : null,
    status,
    body,
  );

  const load = async (message: string | null): Promise<void> => {
    const result = await fetchInbox(api, { inbox: 'mash' });
    if (!result.ok) {
      loadError(body, `The queue could not be loaded: ${problemMessage(result.problem)}`);
      return;
    }
    const items = result.value;
    const referrals = items.filter((i) => i.kind === 'task');
    const alerts = items.filter((i) => i.kind !== 'task');
    const names = await caseNames(api, items);
    const common = { api, names, onChanged: (text: string) => void load(text) };
    const overdue = referrals.filter((i) => i.working_days_left !== null && i.working_days_left < 0).length;
    replaceChildren(
      body,
      section(
        'referrals-heading',
        'Referral decisions',
        referrals.length,
        overdue > 0 ? h('p', { class: 'notice notice--warning' }, `${overdue} referral ${overdue === 1 ? 'decision is' : 'decisions are'} overdue.`) : null,
        referrals.length === 0
          ? emptyState('The queue is clear', 'New concerns appear here with the date their referral decision is due.')
          : workList({ ...common, items: referrals, canAcknowledge: false }),
      ),
      section(
        'mash-alerts-heading',
        'Alerts',
        alerts.length,
        alerts.length === 0
          ? emptyState('No alerts', 'Repeat concerns about a child, and people named in concerns about several children, raise alerts here.')
          : workList({ ...common, items: alerts, canAcknowledge: canAcknowledge(user.role) }),
      ),
    );
    replaceChildren(status, message === null ? null : h('p', { class: 'notice notice--success' }, message));
    if (message !== null) status.focus();
  };
  await load(null);
  return { title: 'MASH triage queue', content };
}
