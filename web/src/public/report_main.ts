// The public pages' entry (loaded by main.ts for /report…): a small frame with no sign-in,
// no staff navigation and no classification banner, and a router for its two pages. It loads
// no staff module and calls only the public endpoints (/api/v1/public/…): never /api/v1/me.

import '../styles/base.css';
import '../styles/report.css';
import { ApiClient } from '../api/client';
import { h, replaceChildren } from '../dom';
import { isPublicPath, kReportPath, kReportStatusPath } from '../public_paths';
import { reportPage } from './report_page';
import { statusPage } from './status_page';

export interface PublicView {
  /** The page's name; the document title becomes "<title> – Safeguard". */
  title: string;
  content: Node;
  /** Where focus goes when the page opens after navigation; by default its <h1>. */
  focus?: HTMLElement;
}

/** What the public pages may use. */
export interface PublicContext {
  readonly api: ApiClient;
  /** Goes to a public path; `receiptCode` is handed to the next page in memory only. */
  navigate(path: string, receiptCode?: string): void;
  /** The receipt code handed over by the last navigation, once; then it is forgotten. */
  takeReceiptCode(): string | null;
  /** Moves focus to `el` and makes sure it can take it (for messages after an action). */
  focus(el: HTMLElement): void;
}

const kSvgNs = 'http://www.w3.org/2000/svg';

export function startPublic(root: HTMLElement): void {
  new PublicApp(root).start();
}

class PublicApp implements PublicContext {
  readonly api = new ApiClient();
  private readonly main: HTMLElement;
  private handoff: string | null = null;
  private shownFirst = false;

  constructor(root: HTMLElement) {
    this.main = h('main', { id: 'main', class: 'public-main', tabindex: '-1' });
    replaceChildren(
      root,
      h('a', { class: 'skip-link', href: '#main' }, 'Skip to main content'),
      h(
        'header',
        { class: 'public-header' },
        h(
          'div',
          { class: 'container public-header__bar' },
          h('a', { class: 'public-brand', href: kReportPath }, brandMark(), h('span', {}, 'Safeguard')),
          h('p', { class: 'public-header__tag' }, 'Keeping children safe'),
        ),
      ),
      h('div', { class: 'container' }, this.main),
      h(
        'footer',
        { class: 'public-footer' },
        h(
          'div',
          { class: 'container' },
          h('p', {}, 'If a child is in danger right now, call ', h('a', { href: 'tel:999' }, '999'), '.'),
          h('p', {}, 'Children and young people can call Childline free on ', h('a', { href: 'tel:08001111' }, '0800 1111'), ', day or night.'),
          h('p', {}, h('a', { href: kReportPath }, 'Tell us you are worried about a child'), ' · ', h('a', { href: kReportStatusPath }, 'Check on a report you made')),
        ),
      ),
    );
  }

  start(): void {
    window.addEventListener('popstate', () => this.show());
    document.addEventListener('click', (event) => this.followLink(event));
    this.show();
  }

  navigate(path: string, receiptCode?: string): void {
    this.handoff = receiptCode ?? null;
    window.history.pushState(null, '', path);
    this.show();
  }

  takeReceiptCode(): string | null {
    const code = this.handoff;
    this.handoff = null;
    return code;
  }

  focus(el: HTMLElement): void {
    if (!el.hasAttribute('tabindex') && !(el instanceof HTMLInputElement || el instanceof HTMLButtonElement || el instanceof HTMLTextAreaElement)) {
      el.setAttribute('tabindex', '-1');
    }
    el.focus();
  }

  private show(): void {
    const path = window.location.pathname.replace(/\/+$/, '') || '/';
    let view: PublicView;
    if (path === kReportPath) view = reportPage(this);
    else if (path === kReportStatusPath) view = statusPage(this);
    else view = notFound();
    // A code is handed only to the page navigated to; going anywhere else drops it.
    this.handoff = null;
    document.title = `${view.title} – Safeguard`;
    replaceChildren(this.main, view.content);
    if (view.focus !== undefined) {
      view.focus.focus();
    } else if (this.shownFirst) {
      const heading = this.main.querySelector('h1');
      if (heading !== null) this.focus(heading);
    }
    this.shownFirst = true;
  }

  // Same-origin links to the public pages stay in this app; anything else loads afresh.
  private followLink(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const target = event.target;
    if (!(target instanceof Element)) return;
    const anchor = target.closest('a');
    if (anchor === null || !anchor.hasAttribute('href') || anchor.target !== '') return;
    const url = new URL(anchor.href);
    if (url.origin !== window.location.origin || !isPublicPath(url.pathname)) return;
    if (url.pathname === window.location.pathname && url.hash !== '') return; // The skip link.
    event.preventDefault();
    this.navigate(url.pathname);
  }
}

function notFound(): PublicView {
  return {
    title: 'Page not found',
    content: h(
      'div',
      { class: 'public-page' },
      h('h1', {}, 'We could not find that page'),
      h('p', {}, 'You can ', h('a', { href: kReportPath }, 'tell us you are worried about a child'), ' or ', h('a', { href: kReportStatusPath }, 'check on a report you made'), '.'),
    ),
  };
}

// The shield outline of the staff header, drawn with DOM calls (no inline styles).
function brandMark(): SVGSVGElement {
  const svg = document.createElementNS(kSvgNs, 'svg');
  svg.setAttribute('class', 'public-brand__mark');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(kSvgNs, 'path');
  path.setAttribute('d', 'M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5l-8-3Zm0 2.2 6 2.2V11c0 3.9-2.5 7.4-6 8.8-3.5-1.4-6-4.9-6-8.8V6.4l6-2.2Z');
  svg.appendChild(path);
  return svg;
}
