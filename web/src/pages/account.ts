// /account: what a signed-in user manages about their own account, one link each, so the
// masthead carries a single "Your account" link however many there are.

import { h } from '../dom';
import type { PageView } from '../page';

const kItems: Array<[href: string, label: string, what: string]> = [
  ['/account/password', 'Change password', 'Choose a new password. You need your current one.'],
  ['/account/second-factor', 'Second factor', 'Set up, replace or remove the authenticator app you sign in with, and your recovery codes.'],
  ['/account/sessions', 'Your sessions', 'See where you are signed in, and end any session you do not recognise.'],
];

export function accountPage(): PageView {
  const title = 'Your account';
  const list = h('ul', { class: 'account-links' }, ...kItems.map(([href, label, what]) => h('li', {}, h('a', { href }, label), h('p', { class: 'hint-text' }, what))));
  return { title, content: h('div', { class: 'page' }, h('h1', {}, title), list) };
}
