// Pieces the public pages share: the "need help now?" box, and server problems put into
// plain words for a worried adult or a child (a reading age of about 11).

import type { Problem } from '../api/types';
import { h } from '../dom';

/** 999 and Childline, near the top of every public page. */
export function helpBox(): HTMLElement {
  return h(
    'aside',
    { class: 'help-box', 'aria-labelledby': 'help-box-title' },
    h('h2', { id: 'help-box-title', class: 'help-box__title' }, 'Need help now?'),
    h(
      'ul',
      { class: 'help-box__list' },
      h('li', {}, 'If a child is in danger right now, call ', h('a', { href: 'tel:999', class: 'help-box__number' }, '999'), '.'),
      h(
        'li',
        {},
        'If you are a child or young person and want to talk to someone, call Childline on ',
        h('a', { href: 'tel:08001111', class: 'help-box__number' }, '0800 1111'),
        '. It is free, private, and open day and night.',
      ),
    ),
  );
}

/** What to say when a request did not work and no field is to blame. */
export function plainProblem(problem: Problem): string {
  if (problem.status === 0) return 'We could not reach the website. Check your internet connection, then try again.';
  if (problem.status === 429) return 'You have tried a lot of times in a short while. Please wait a few minutes, then try again.';
  if (problem.status >= 500) return 'Something went wrong on our side. Please try again in a few minutes. If a child is in danger right now, call 999.';
  return `Something was not right: ${problem.detail ?? problem.title}`;
}

/** A server message about one answer, in plain words. */
export function plainFieldMessage(key: string, detail: string): string {
  if (key === 'approx_age') return 'Write the age in years as a number from 0 to 120, for example 14.';
  if (/^(is required|must not be empty)/.test(detail)) return 'Please fill this in.';
  if (/too long|at most/.test(detail)) return 'This is too long. Please make it shorter.';
  if (/control characters|UTF-8/.test(detail)) return 'This has some characters we cannot read. Please type it again.';
  if (/^a person needs/.test(detail)) return 'Tell us a name, a nickname, about how old they are, or whether they are male or female.';
  return `Please check this answer (${detail}).`;
}
