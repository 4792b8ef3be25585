// A small History API router: matches paths like "/cases/:id" against a route table, follows
// same-origin link clicks and back/forward without reloading, and hands each match to the app.

import { isPublicPath } from './public_paths';

/** Values taken from ":name" segments of a route pattern. */
export type Params = Readonly<Record<string, string>>;

export interface Match<R> {
  route: R;
  params: Params;
  url: URL;
}

export interface RouteDefinition {
  /** A path such as "/" or "/cases/:id". Segments starting with ":" capture a parameter. */
  pattern: string;
}

/** 'push' adds a history entry; 'replace' overwrites the current one (redirects). */
export type HistoryMode = 'push' | 'replace';

/** Returns the parameters if `pathname` matches `pattern`, else null. */
export function matchPattern(pattern: string, pathname: string): Params | null {
  const want = splitPath(pattern);
  const have = splitPath(pathname);
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const segment = have[i] as string;
    if (w.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(segment);
      } catch {
        return null; // A malformed %-escape matches nothing rather than throwing.
      }
      params[w.slice(1)] = value;
    } else if (w !== segment) {
      return null;
    }
  }
  return params;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

/**
 * True if `path` is a path on this site that the app may send people to after sign-in:
 * it must start with one "/" (so "//evil.example" and "/\evil" are refused) and not be API.
 */
export function isSafeReturnPath(path: string): boolean {
  if (!/^\/(?![/\\])/.test(path)) return false;
  const url = new URL(path, window.location.origin);
  return url.origin === window.location.origin && !url.pathname.startsWith('/api/');
}

export class Router<R extends RouteDefinition> {
  private readonly routes: readonly R[];
  private readonly onMatch: (match: Match<R> | null, url: URL) => void;
  // The path and query last shown; a change of fragment alone (the skip link) is not a new page.
  private shown: string | null = null;

  /** `onMatch` is called for every location the app shows; null means no route matched. */
  constructor(routes: readonly R[], onMatch: (match: Match<R> | null, url: URL) => void) {
    this.routes = routes;
    this.onMatch = onMatch;
  }

  /** Starts following links and history, and shows the current location. */
  start(): void {
    window.addEventListener('popstate', () => {
      if (window.location.pathname + window.location.search !== this.shown) this.resolve();
    });
    document.addEventListener('click', (event) => this.followLink(event));
    this.resolve();
  }

  /** Shows `path` (a same-origin path with optional query), adding or replacing history. */
  navigate(path: string, mode: HistoryMode = 'push'): void {
    if (mode === 'replace') window.history.replaceState(null, '', path);
    else window.history.pushState(null, '', path);
    this.resolve();
  }

  /** Shows the current location again (for example after sign-in state changed). */
  resolve(): void {
    const url = new URL(window.location.href);
    this.shown = url.pathname + url.search;
    this.onMatch(this.match(url), url);
  }

  private match(url: URL): Match<R> | null {
    for (const route of this.routes) {
      const params = matchPattern(route.pattern, url.pathname);
      if (params !== null) return { route, params, url };
    }
    return null;
  }

  // Plain left-clicks on same-origin app links stay in the app; anything else (new tab,
  // downloads, API links, other sites) is left to the browser.
  private followLink(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const target = event.target;
    if (!(target instanceof Element)) return;
    const anchor = target.closest('a');
    if (anchor === null || !anchor.hasAttribute('href')) return;
    if (anchor.target !== '' || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith('/api/')) return;
    // The public report pages are a separate app: the browser loads them afresh.
    if (isPublicPath(url.pathname) !== isPublicPath(window.location.pathname)) return;
    if (url.pathname === window.location.pathname && url.search === window.location.search && url.hash !== '') {
      return; // An in-page fragment link, such as the skip link.
    }
    event.preventDefault();
    this.navigate(url.pathname + url.search + url.hash);
  }
}
