// Pages the app shows when there is nothing else to show: an unknown address, and the
// server being unreachable when the app starts.

import type { Problem } from '../api/types';
import { h } from '../dom';
import type { PageView } from '../page';

export function notFoundPage(): PageView {
  const content = h(
    'div',
    { class: 'page' },
    h('h1', {}, 'Page not found'),
    h('p', {}, 'Check the address, or go back to ', h('a', { href: '/' }, 'My work'), '.'),
  );
  return { title: 'Page not found', content };
}

/** Shown when the app cannot learn who is signed in; `onRetry` tries again. */
export function unavailablePage(problem: Problem, onRetry: () => void): PageView {
  const retry = h('button', { type: 'button', class: 'button button--primary' }, 'Try again');
  retry.addEventListener('click', onRetry);
  const content = h(
    'div',
    { class: 'page' },
    h('h1', {}, 'Safeguard is not available'),
    h('p', {}, problem.detail ?? problem.title),
    h('div', { class: 'form-actions' }, retry),
  );
  return { title: 'Not available', content };
}
