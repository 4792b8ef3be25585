// /account/sessions (OWASP ASVS 5.0 V7.5.2): every signed-in user sees their live sessions,
// when each began and was last active, and ends any but this one (Sign out ends this one).
// For administrators, the "Sign out everywhere" button of /admin/users (V7.4.5).

import type { Account } from '../api/admin_api';
import { endAllSessions, endMyOtherSessions, endMySession, endUserSessions, fetchMySessions, type SessionInfo } from '../api/sessions_api';
import { h, replaceChildren, type Child } from '../dom';
import { formatDateTime } from '../format';
import { confirmAction, problemMessage } from '../forms';
import type { PageView, SignedInContext } from '../page';
import { emptyState, loadError, section } from '../work_list';

function notice(text: string, ok: boolean): HTMLElement {
  return h('p', { class: `notice notice--${ok ? 'success' : 'error'}` }, text);
}

export async function sessionsPage(ctx: SignedInContext): Promise<PageView> {
  const title = 'Your sessions';
  const status = h('div', { class: 'status-message', role: 'status', tabindex: '-1' });
  const body = h('div', {});
  const content = h(
    'div',
    { class: 'page' },
    h('h1', {}, title),
    h('p', { class: 'lede' }, 'Where you are signed in now. End any session you do not recognise, or that you left signed in on a shared computer: it stops working at once. Safeguard keeps no addresses or device names, only when each session began and was last used.'),
    status,
    body,
  );
  const load = async (message: Child): Promise<void> => {
    const sessions = await fetchMySessions(ctx.app.api);
    if (!sessions.ok) {
      loadError(body, `Your sessions could not be loaded: ${problemMessage(sessions.problem)}`);
      return;
    }
    replaceChildren(body, sessionsSection(ctx, sessions.value, (next) => void load(next)));
    replaceChildren(status, message);
    if (message !== null && message !== undefined && message !== false) status.focus();
  };
  await load(null);
  return { title, content };
}

function sessionsSection(ctx: SignedInContext, sessions: SessionInfo[], reload: (message: Child) => void): HTMLElement {
  if (sessions.length === 0) return section('sessions-heading', 'Sessions', 0, emptyState('No sessions', 'You have no live sessions.'));
  const others = sessions.filter((s) => !s.current).length;
  const rows = sessions.map((s, i) => {
    const label = s.current ? 'This session' : `Session ${i + 1}`;
    let action: HTMLElement;
    if (s.current) {
      action = h('span', { class: 'table__sub' }, 'Use Sign out to end it');
    } else {
      const end = h('button', { type: 'button', class: 'button button--secondary button--small', 'aria-label': `End ${label.toLowerCase()}, begun ${formatDateTime(s.created_at)}` }, 'End');
      end.addEventListener('click', () => {
        end.disabled = true;
        void endMySession(ctx.app.api, s.id).then((r) => reload(r.ok ? notice('That session has ended. Whoever was using it is signed out.', true) : notice(`The session was not ended: ${problemMessage(r.problem)}`, false)));
      });
      action = end;
    }
    return h(
      'tr',
      { 'data-session': s.current ? 'current' : 'other' },
      h('th', { scope: 'row' }, label, s.current ? h('span', { class: 'tag' }, 'You are here') : null),
      h('td', {}, formatDateTime(s.created_at)),
      h('td', {}, formatDateTime(s.last_active_at)),
      h('td', {}, action),
    );
  });
  const table = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table sessions-table' },
      h('caption', { class: 'visually-hidden' }, 'Your sessions, oldest first'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Session'), h('th', { scope: 'col' }, 'Signed in'), h('th', { scope: 'col' }, 'Last active'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', {}, ...rows),
    ),
  );
  let endOthers: HTMLElement | null = null;
  if (others > 0) {
    const button = h('button', { type: 'button', class: 'button button--danger' }, 'End all other sessions');
    button.addEventListener('click', () => {
      void confirmAction({
        title: 'End all your other sessions?',
        body: [`${others === 1 ? 'Your other session' : `Your ${others} other sessions`} will stop working at once. This one stays signed in.`],
        confirmLabel: 'End the other sessions',
      }).then(async (yes) => {
        if (!yes) {
          button.focus();
          return;
        }
        button.disabled = true;
        const r = await endMyOtherSessions(ctx.app.api);
        reload(r.ok ? notice(`${r.value === 1 ? 'Your other session has' : `${r.value} other sessions have`} ended.`, true) : notice(`Your other sessions were not ended: ${problemMessage(r.problem)}`, false));
      });
    });
    endOthers = h('div', { class: 'form-actions' }, button);
  }
  return section('sessions-heading', 'Sessions', sessions.length, table, endOthers);
}

/**
 * /admin/users: "Sign out everywhere" for one account, after a confirmation; the account and
 * its password stay as they are. `report` shows the outcome and reloads the page.
 */
export function endSessionsButton(ctx: SignedInContext, account: Account, report: (text: string, ok: boolean) => void): HTMLButtonElement {
  const name = account.display_name;
  const button = h('button', { type: 'button', class: 'button button--secondary button--small', 'aria-label': `Sign out everywhere: ${name}` }, 'Sign out everywhere');
  button.addEventListener('click', () => {
    void confirmAction({
      title: `Sign ${name} out everywhere?`,
      body: [`Every session of ${name} ends at once, on their next request.`, 'Their account and password stay as they are: they can sign in again straight away.'],
      confirmLabel: 'Sign them out',
    }).then(async (yes) => {
      if (!yes) {
        button.focus();
        return;
      }
      button.disabled = true;
      const r = await endUserSessions(ctx.app.api, account.username);
      if (r.ok) report(`${name} is signed out everywhere (${r.value === 1 ? '1 session' : `${r.value} sessions`} ended).`, true);
      else report(`${name} was not signed out: ${problemMessage(r.problem)}`, false);
    });
  });
  return button;
}

/** /admin/users: signs every other user out, after a confirmation (an incident response). */
export function endEveryonesSessionsSection(ctx: SignedInContext, report: (text: string, ok: boolean) => void): HTMLElement {
  const button = h('button', { type: 'button', class: 'button button--danger' }, 'Sign everyone else out');
  button.addEventListener('click', () => {
    void confirmAction({
      title: 'Sign everyone else out?',
      body: ['Every session of every other user ends at once. Use this if you think sessions may have been stolen.', 'Accounts and passwords stay as they are; people sign in again as usual.'],
      confirmLabel: 'Sign everyone else out',
    }).then(async (yes) => {
      if (!yes) {
        button.focus();
        return;
      }
      button.disabled = true;
      const r = await endAllSessions(ctx.app.api);
      if (r.ok) report(`Everyone else is signed out (${r.value === 1 ? '1 user' : `${r.value} users`}).`, true);
      else report(`Nobody was signed out: ${problemMessage(r.problem)}`, false);
    });
  });
  return section('all-sessions-heading', 'Everyone’s sessions', null, h('p', {}, 'Ends every session but yours, for example after a suspected theft of sessions.'), h('div', { class: 'form-actions' }, button));
}
