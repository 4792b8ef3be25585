// The app: it learns who is signed in, guards routes by sign-in state, renders pages into the
// shell, and handles signing out and sessions that end while the app is open. Public routes
// open without asking who is signed in (no GET /api/v1/me); the first route that cares asks.

import { ApiClient } from './api/client';
import { fetchCurrentSession, signOut } from './api/session_api';
import type { Session, User } from './api/types';
import type { AppServices, PageContext, PageRoute, PageView } from './page';
import { notFoundPage, unavailablePage } from './pages/status_pages';
import { Router, type HistoryMode, type Match } from './router';
import { ROUTES } from './routes';
import { Shell, type FocusMode, type Notice } from './shell';

export class App implements AppServices {
  readonly api = new ApiClient();
  private readonly shell: Shell;
  private readonly router: Router<PageRoute>;
  private session: Session | null = null;
  // False until GET /api/v1/me has answered (or a sign-in or sign-out settled the question).
  private sessionKnown = false;
  private routerStarted = false;
  // Each navigation takes a number; a page that finishes rendering after a newer navigation
  // started is dropped, so a slow page never replaces a newer one.
  private navigation = 0;
  private shownFirstPage = false;
  // A notice to show with the next page (for example "You have signed out" on /login).
  private pendingNotice: Notice | null = null;
  private signingOut = false;

  constructor(root: HTMLElement) {
    this.shell = new Shell(root, () => void this.signOut());
    this.router = new Router(ROUTES, (match, url) => void this.show(match, url));
    this.api.onSessionEnded = () => this.sessionEnded();
  }

  /** Shows the current address; who is signed in is asked when a route first needs it. */
  start(): void {
    if (this.routerStarted) {
      this.router.resolve();
    } else {
      this.routerStarted = true;
      this.router.start();
    }
  }

  /**
   * Asks the server who is signed in (GET /api/v1/me), once. False when the server could not
   * answer; the "unavailable" page is then showing, with a button to try again.
   */
  private async learnSession(navigation: number): Promise<boolean> {
    if (this.sessionKnown) return true;
    this.shell.setBusy();
    const result = await fetchCurrentSession(this.api);
    if (result.ok) {
      this.setSession(result.value);
    } else if (result.problem.status !== 401) {
      if (navigation === this.navigation) this.shell.show(unavailablePage(result.problem, () => this.start()), 'page');
      return false;
    }
    this.sessionKnown = true;
    return true;
  }

  navigate(path: string, mode: HistoryMode = 'push'): void {
    this.router.navigate(path, mode);
  }

  announce(notice: Notice): void {
    this.pendingNotice = notice;
  }

  signedIn(session: Session): void {
    this.setSession(session);
  }

  private setSession(session: Session | null): void {
    this.session = session;
    this.sessionKnown = true;
    this.api.setCsrfToken(session?.csrf_token ?? null);
  }

  private async signOut(): Promise<void> {
    if (this.signingOut) return;
    this.signingOut = true;
    this.shell.setSignOutBusy(true);
    const result = await signOut(this.api);
    this.signingOut = false;
    this.shell.setSignOutBusy(false);
    // A 401 means the session had already ended, which is what signing out wanted.
    if (!result.ok && result.problem.status !== 401) {
      const why = result.problem.detail ?? result.problem.title;
      this.shell.notify({ kind: 'error', text: `You are still signed in: ${why}` });
      return;
    }
    this.setSession(null);
    this.pendingNotice = { kind: 'info', text: 'You have signed out.' };
    this.navigate('/login', 'replace');
  }

  // Some request got a 401 while the app thought someone was signed in: the session timed
  // out or was ended elsewhere. Send them to sign in again, and back here afterwards.
  private sessionEnded(): void {
    if (this.session === null) return;
    this.setSession(null);
    this.pendingNotice = { kind: 'info', text: 'Your session has ended. Sign in again to carry on.' };
    this.navigate(loginPathReturningTo(new URL(window.location.href)), 'replace');
  }

  private async show(match: Match<PageRoute> | null, url: URL): Promise<void> {
    const navigation = ++this.navigation;
    // Public pages never ask who is signed in; every other page (and "not found", which
    // shows the navigation of whoever is signed in) needs to know first.
    if (match?.route.access !== 'public') {
      if (!(await this.learnSession(navigation))) return;
      if (navigation !== this.navigation) return;
    }
    let rendered: PageView | Promise<PageView>;
    if (match === null) {
      rendered = notFoundPage();
    } else {
      const { route, params } = match;
      const ctx: PageContext = { app: this, params, query: url.searchParams };
      if (route.access === 'signed-in') {
        if (this.session === null) {
          this.navigate(loginPathReturningTo(url), 'replace');
          return;
        }
        // A one-time password serves only to choose one's own, and where a second factor is
        // required an account without one may only enrol (the server refuses the rest).
        const task = firstTask(this.session.user);
        if (task !== null && url.pathname !== task.path) {
          this.pendingNotice = { kind: 'info', text: task.notice };
          this.navigate(task.path, 'replace');
          return;
        }
        rendered = route.render({ ...ctx, session: this.session });
      } else if (route.access === 'signed-out' && this.session !== null) {
        this.navigate('/', 'replace');
        return;
      } else {
        rendered = route.render(ctx);
      }
    }

    this.shell.setSession(this.session, url.pathname);
    this.shell.setBusy();
    const view = await rendered;
    if (navigation !== this.navigation) return;
    // Focus stays where the browser put it on first load; after that it moves to the page.
    const focus: FocusMode = this.shownFirstPage ? 'page' : 'none';
    this.shownFirstPage = true;
    this.shell.notify(this.pendingNotice);
    this.pendingNotice = null;
    this.shell.show(view, focus);
  }
}

function loginPathReturningTo(url: URL): string {
  const here = url.pathname + url.search;
  return here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

/** What a signed-in user must do before anything else, and the page that does it. */
function firstTask(user: User): { path: string; notice: string } | null {
  if (user.must_change_password) {
    return { path: '/account/password', notice: 'Choose your own password to carry on. The one you were given was for signing in once.' };
  }
  if (user.must_enrol_second_factor) {
    return { path: '/account/second-factor', notice: 'Set up your second factor to carry on: Safeguard needs a code from an authenticator app as well as your password.' };
  }
  return null;
}
