// The main navigation: each section is shown only to the roles whose functions it serves
// (the server refuses the rest anyway).

import type { Role } from './api/types';

export interface NavItem {
  href: string;
  label: string;
  /** Roles that see the item; every role when absent. */
  roles?: readonly Role[];
  /** 'exact': current only on href itself; 'section': also on paths below it. */
  current: 'exact' | 'section';
}

export const NAV_ITEMS: readonly NavItem[] = [
  { href: '/', label: 'My work', current: 'exact' },
  { href: '/mash', label: 'MASH triage', roles: ['mash_coordinator', 'manager'], current: 'section' },
  {
    href: '/cases',
    label: 'Cases',
    roles: ['practitioner', 'manager', 'mash_coordinator', 'analyst', 'reviewer'],
    current: 'section',
  },
  {
    href: '/contexts',
    label: 'Contexts',
    roles: ['practitioner', 'manager', 'mash_coordinator', 'analyst', 'reviewer'],
    current: 'section',
  },
  {
    href: '/search',
    label: 'Search',
    roles: ['practitioner', 'manager', 'mash_coordinator', 'analyst', 'reviewer'],
    current: 'exact',
  },
  {
    href: '/network',
    label: 'Network',
    roles: ['analyst', 'manager', 'reviewer'],
    current: 'exact',
  },
  {
    href: '/review-queue',
    label: 'Review queue',
    roles: ['analyst', 'manager'],
    current: 'section',
  },
  {
    href: '/concerns/new',
    label: 'Raise a concern',
    roles: ['practitioner', 'manager', 'mash_coordinator'],
    current: 'exact',
  },
  {
    href: '/oversight',
    label: 'Oversight',
    roles: ['manager', 'reviewer', 'auditor'],
    current: 'exact',
  },
  { href: '/retention', label: 'Retention review', roles: ['manager'], current: 'exact' },
  { href: '/admin/sharing', label: 'Sharing', roles: ['admin'], current: 'exact' },
  { href: '/admin/reviewers', label: 'Reviewers', roles: ['admin'], current: 'exact' },
  { href: '/admin/users', label: 'Users', roles: ['admin'], current: 'exact' },
  { href: '/admin/agencies', label: 'Agencies', roles: ['admin'], current: 'exact' },
];

/** The items `role` may see. */
export function navItemsFor(role: Role): NavItem[] {
  return NAV_ITEMS.filter((item) => item.roles === undefined || item.roles.includes(role));
}

/** True if `item` is the page at `pathname` (for aria-current). */
export function isCurrent(item: NavItem, pathname: string): boolean {
  if (item.current === 'exact') return pathname === item.href;
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}
