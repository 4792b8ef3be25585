// What a page is: a function from a context (the app's services, the URL's parameters and,
// for signed-in pages, the session) to a view the shell puts in the main region.

import type { ApiClient } from './api/client';
import type { Session } from './api/types';
import type { HistoryMode, Params } from './router';
import type { Notice } from './shell';

export interface PageView {
  /** The page's name; the document title becomes "<title> – Safeguard". */
  title: string;
  content: Node;
  /** Where focus goes when the page opens; by default the page's <h1>. */
  focus?: HTMLElement;
}

/** What the app offers to pages. */
export interface AppServices {
  readonly api: ApiClient;
  /** Goes to a path in the app; 'replace' for redirects that should not stay in history. */
  navigate(path: string, mode?: HistoryMode): void;
  /** Shows `notice` above the next page the app opens (for example after a redirect). */
  announce(notice: Notice): void;
  /** Records a successful sign-in (user and CSRF token) so signed-in pages can open. */
  signedIn(session: Session): void;
}

export interface PageContext {
  readonly app: AppServices;
  readonly params: Params;
  readonly query: URLSearchParams;
}

export interface SignedInContext extends PageContext {
  readonly session: Session;
}

type Rendered = PageView | Promise<PageView>;

/**
 * A route of the app. 'signed-in' pages send signed-out visitors to /login; 'signed-out'
 * pages (the sign-in form) send signed-in visitors home; 'public' pages open for anyone.
 */
export type PageRoute =
  | { pattern: string; access: 'signed-in'; render(ctx: SignedInContext): Rendered }
  | { pattern: string; access: 'signed-out' | 'public'; render(ctx: PageContext): Rendered };
