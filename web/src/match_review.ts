// What the person page and the review queue share about matching: how a match explanation
// reads (the waterfall: prior, each field's weight, total, probability), the words for
// review decisions, and deciding or undoing a pair with If-Match so a colleague's decision
// since the page was read is not overwritten.

import type { ApiClient, ApiResult } from './api/client';
import { decideReviewPair, undoReviewDecision, type Explanation, type Verdict } from './api/people_api';
import type { Problem } from './api/types';
import { h } from './dom';
import { confirmAction, problemMessage } from './forms';
import './styles/person.css';

/** Reviews matches (src/workflow/permissions.cpp, kReviewMatches). */
export function canReviewMatches(role: string): boolean {
  return role === 'analyst' || role === 'manager';
}

const kRoles: Record<string, string> = {
  child: 'Child',
  suspect: 'Suspect',
  associate: 'Associate',
  relative: 'Relative',
  reporter: 'Reporter',
  professional: 'Professional',
};

const kFields: Record<string, string> = {
  given_name: 'Given name',
  family_name: 'Family name',
  full_name: 'Full name',
  nickname: 'Known as',
  date_of_birth: 'Date of birth',
  dob: 'Date of birth',
  sex: 'Sex',
  ethnicity: 'Ethnicity',
  relationship: 'Relationship to the child',
  postcode: 'Postcode',
  address: 'Address',
  location: 'Address or postcode',
  phone: 'Phone',
  email: 'Email',
  nhs_number: 'NHS number',
  pnc_id: 'PNC ID',
  upn: 'Unique pupil number',
};

const kStatus: Record<string, string> = {
  open: 'Not decided',
  same: 'Decided: the same person',
  different: 'Decided: different people',
  unsure: 'Decided: unsure',
};

function lookup(table: Record<string, string>, code: string): string {
  return table[code] ?? code.replace(/_/g, ' ');
}

/** A person's role in a concern: "Child", "Suspect" (a record without one is a child's). */
export function personRoleLabel(role: string): string {
  return lookup(kRoles, role === '' ? 'child' : role);
}

/** A compared field's name: "Date of birth", "NHS number" (identifiers without their prefix). */
export function fieldLabel(field: string): string {
  return lookup(kFields, field.replace(/^identifier(s)?[:/]/, ''));
}

/** Where a pair's decision stands: "Not decided", "Decided: the same person". */
export function statusLabel(status: string): string {
  return lookup(kStatus, status);
}

/** A probability in words: "87.5%", "over 99.9%". */
export function percent(p: number): string {
  if (p > 0.999 && p < 1) return 'over 99.9%';
  if (p < 0.001 && p > 0) return 'under 0.1%';
  return `${(p * 100).toFixed(1)}%`;
}

function bits(weight: number): string {
  const sign = weight > 0 ? '+' : weight < 0 ? '−' : '';
  return `${sign}${Math.abs(weight).toFixed(1)}`;
}

/**
 * One comparison's waterfall: a table whose rows are the prior, each field and the total,
 * with bars. `id` must be unique in the page (it labels the table).
 */
export function waterfallTable(title: string, e: Explanation, id: string): HTMLElement {
  const rows: Array<{ step: string; detail: string; weight: number; kind: string }> = [
    { step: 'Prior', detail: `Before comparing: ${percent(e.prior)} of pairs are the same person`, weight: e.prior_weight, kind: 'prior' },
    ...e.terms.map((t) => ({ step: fieldLabel(t.field), detail: t.label, weight: t.weight, kind: t.weight >= 0 ? 'up' : 'down' })),
  ];
  const scale = Math.max(1, ...rows.map((r) => Math.abs(r.weight)), Math.abs(e.match_weight));
  const bar = (weight: number, kind: string): HTMLElement => {
    const el = h('span', { class: `waterfall__bar waterfall__bar--${kind}`, 'aria-hidden': 'true' });
    // The bar's length is data, set through the CSSOM (CSP allows it; style="" it would not).
    el.style.width = `${Math.round((Math.abs(weight) / scale) * 100)}%`;
    return h('span', { class: 'waterfall__track' }, el);
  };
  return h(
    'div',
    { class: 'waterfall' },
    h('h3', { id, class: 'waterfall__title' }, title),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table waterfall__table', 'aria-labelledby': id },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Step'), h('th', { scope: 'col' }, 'Comparison'), h('th', { scope: 'col', class: 'num' }, 'Weight (bits)'), h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Bar')))),
        h(
          'tbody',
          {},
          ...rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, r.step), h('td', {}, r.detail), h('td', { class: 'num' }, bits(r.weight)), h('td', { class: 'waterfall__cell' }, bar(r.weight, r.kind)))),
        ),
        h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, 'Total'), h('td', {}, `Probability ${percent(e.match_probability)}`), h('td', { class: 'num' }, bits(e.match_weight)), h('td', { class: 'waterfall__cell' }, bar(e.match_weight, 'total')))),
      ),
    ),
  );
}

export type ReviewAction = Verdict | 'undo';

/**
 * Asks before a decision that changes who records belong to ("same", "different") or
 * withdraws one; "unsure" changes nothing and is not asked about. Resolves true to go ahead.
 */
export async function confirmReview(what: ReviewAction): Promise<boolean> {
  if (what === 'unsure') return true;
  const words = what === 'same' ? 'Join these records as the same person?' : what === 'different' ? 'Keep these records apart as different people?' : 'Withdraw the decision on this pair?';
  return confirmAction({
    title: words,
    body: [what === 'undo' ? 'The model will decide again whether these records are the same person.' : 'This changes who the records belong to across every agency, and is recorded in the ledger with your name.'],
    confirmLabel: what === 'same' ? 'Yes, the same person' : what === 'different' ? 'Yes, different people' : 'Yes, undo the decision',
  });
}

/** Sends a decision (with its note) or an undo, sending `version` as If-Match. */
export function sendReview(api: ApiClient, pairId: string, what: ReviewAction, note: string, version: number): Promise<ApiResult<undefined>> {
  return what === 'undo' ? undoReviewDecision(api, pairId, version) : decideReviewPair(api, pairId, what, note, version);
}

/** What the user is told after a successful decision or undo. */
export function reviewDoneMessage(what: ReviewAction): string {
  return what === 'undo' ? 'Decision withdrawn.' : `Decision recorded: ${statusLabel(what).replace('Decided: ', '')}.`;
}

/** A refused decision in plain words; 412 and 409 are conflicts with a colleague's work. */
export function reviewProblemMessage(problem: Problem): string {
  if (problem.status === 412) return 'Someone else decided this pair since the page was loaded, so your decision was not recorded. Reload the pair to see their decision, then decide again if you still need to.';
  if (problem.status === 409) return 'This pair has no decision to undo: it may have been withdrawn already. Reload the pair to see where it stands.';
  return problemMessage(problem);
}

/** A conflict (as opposed to bad input): the page should offer to reload. */
export function isConflict(problem: Problem): boolean {
  return problem.status === 412 || problem.status === 409;
}

/** A person record id (`<concern id>:<ref>`) short enough to read: the concern's tail and the ref. */
export function recordRef(id: string): string {
  const [concern = '', ref = ''] = id.split(':');
  return `…${concern.slice(-6)}:${ref}`;
}

/** "Open the person" link for a record id (the person page accepts record ids). */
export function personLink(recordId: string, text: string): HTMLAnchorElement {
  return h('a', { href: `/persons/${encodeURIComponent(recordId)}` }, text);
}
