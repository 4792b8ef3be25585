// The frame around every page: a skip link, the header (product name, who is signed in,
// sign-out), the main navigation, a notices region and the <main> region pages render into.

import type { Session } from './api/types';
import { h, replaceChildren } from './dom';
import { isCurrent, navItemsFor } from './nav';
import type { PageView } from './page';
import { roleLabel } from './roles';

export interface Notice {
  kind: 'info' | 'error';
  text: string;
}

/** 'page': move focus into the new page (after in-app navigation). 'none': first load. */
export type FocusMode = 'page' | 'none';

const kSvgNs = 'http://www.w3.org/2000/svg';

export class Shell {
  private readonly user: HTMLElement;
  private readonly identity: HTMLElement;
  private readonly signOutButton: HTMLButtonElement;
  private readonly nav: HTMLElement;
  private readonly navList: HTMLUListElement;
  private readonly notices: HTMLElement;
  private readonly main: HTMLElement;

  /** Builds the shell inside `root`, replacing its contents. */
  constructor(root: HTMLElement, onSignOut: () => void) {
    this.identity = h('p', { class: 'identity' });
    this.signOutButton = h('button', { type: 'button', class: 'button button--on-dark' }, 'Sign out');
    this.signOutButton.addEventListener('click', onSignOut);
    this.navList = h('ul', { class: 'primary-nav__list' });
    this.nav = h('nav', { class: 'primary-nav', 'aria-label': 'Main' }, h('div', { class: 'container' }, this.navList));
    this.notices = h('div', { class: 'notices', 'aria-live': 'polite' });
    this.main = h('main', { id: 'main', class: 'main', tabindex: '-1' });

    // Every signed-in user manages their own password (ASVS V6.2.2), second factor (V6.3.3)
    // and sessions (V7.5.2) from one page.
    const account = h('a', { class: 'button button--on-dark', href: '/account' }, 'Your account');
    this.user = h('div', { class: 'masthead__user' }, this.identity, account, this.signOutButton);
    replaceChildren(
      root,
      h('a', { class: 'skip-link', href: '#main' }, 'Skip to main content'),
      h(
        'header',
        { class: 'masthead' },
        // Inside the banner landmark, so that all content sits in a landmark (axe "region").
        h('div', { class: 'classification' }, 'OFFICIAL-SENSITIVE'),
        h('div', { class: 'container masthead__bar' }, h('a', { class: 'brand', href: '/' }, brandMark(), 'Safeguard'), this.user),
        this.nav,
      ),
      h('div', { class: 'container' }, this.notices),
      h('div', { class: 'container' }, this.main),
    );
    this.setSession(null, window.location.pathname);
  }

  /** Shows who is signed in (or nobody) and the navigation they may use. */
  setSession(session: Session | null, pathname: string): void {
    const signedIn = session !== null;
    this.user.toggleAttribute('hidden', !signedIn);
    this.nav.toggleAttribute('hidden', !signedIn);
    if (session === null) {
      replaceChildren(this.identity);
      replaceChildren(this.navList);
      return;
    }
    const { user } = session;
    replaceChildren(
      this.identity,
      h('span', { class: 'identity__name' }, user.display_name),
      h('span', { class: 'identity__meta' }, `${roleLabel(user.role)}, ${user.agency.name}`),
    );
    replaceChildren(
      this.navList,
      ...navItemsFor(user.role).map((item) =>
        h(
          'li',
          {},
          h('a', { class: 'primary-nav__link', href: item.href, 'aria-current': isCurrent(item, pathname) ? 'page' : null }, item.label),
        ),
      ),
    );
  }

  /** Disables the sign-out button while a sign-out request is in flight. */
  setSignOutBusy(busy: boolean): void {
    this.signOutButton.disabled = busy;
  }

  /** Puts a page in the main region, names the document after it and places focus. */
  show(view: PageView, focus: FocusMode): void {
    document.title = `${view.title} – Safeguard`;
    replaceChildren(this.main, view.content);
    this.main.removeAttribute('aria-busy');
    if (view.focus !== undefined) {
      view.focus.focus();
    } else if (focus === 'page') {
      // Focusing the heading tells screen-reader users that a new page has opened.
      const heading = this.main.querySelector('h1');
      if (heading !== null) {
        heading.setAttribute('tabindex', '-1');
        heading.focus();
      } else {
        this.main.focus();
      }
    }
  }

  /** Marks the main region as loading while a page fetches what it needs. */
  setBusy(): void {
    this.main.setAttribute('aria-busy', 'true');
  }

  /** Shows a notice above the page, or clears it with null. */
  notify(notice: Notice | null): void {
    if (notice === null) {
      replaceChildren(this.notices);
      return;
    }
    const attrs = notice.kind === 'error' ? { class: 'notice notice--error', role: 'alert' } : { class: 'notice notice--info' };
    replaceChildren(this.notices, h('div', attrs, h('p', {}, notice.text)));
  }
}

// A shield outline, drawn with DOM calls so the markup stays free of inline styles.
function brandMark(): SVGSVGElement {
  const svg = document.createElementNS(kSvgNs, 'svg');
  svg.setAttribute('class', 'brand__mark');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(kSvgNs, 'path');
  path.setAttribute('d', 'M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3Zm0 2.2 6 2.2V11c0 3.9-2.5 7.4-6 8.8-3.5-1.4-6-4.9-6-8.8V6.4l6-2.2Z');
  svg.appendChild(path);
  return svg;
}
