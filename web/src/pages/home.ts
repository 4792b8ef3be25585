// / ("My work"): the signed-in landing page. Later work fills it with the user's tasks.

import { h } from '../dom';
import type { PageView, SignedInContext } from '../page';
import { roleLabel } from '../roles';

export function homePage(ctx: SignedInContext): PageView {
  const { user } = ctx.session;
  const content = h(
    'div',
    { class: 'page' },
    h('h1', {}, 'My work'),
    h(
      'p',
      { class: 'signed-in-as' },
      'Signed in as ',
      h('strong', {}, user.display_name),
      ` — ${roleLabel(user.role)}, ${user.agency.name}`,
    ),
    h(
      'section',
      { class: 'panel empty-state', 'aria-labelledby': 'tasks-heading' },
      h('h2', { id: 'tasks-heading', class: 'empty-state__title' }, 'No tasks yet'),
      h(
        'p',
        { class: 'empty-state__text' },
        'Concerns, referrals and reviews assigned to you will appear here, with the date each one is due.',
      ),
    ),
  );
  return { title: 'My work', content };
}
