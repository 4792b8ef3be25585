// The app's pages. Later work adds its routes here.

import type { PageRoute } from './page';
import { agenciesPage, passwordPage, usersPage } from './pages/accounts';
import { accountPage } from './pages/account';
import { secondFactorPage } from './pages/second_factor';
import { reviewersPage, sharingPage } from './pages/admin';
import { casePage } from './pages/case';
import { casesPage } from './pages/cases';
import { concernNewPage } from './pages/concern_new';
import { contextNewPage, contextPage, contextsPage } from './pages/contexts';
import { homePage } from './pages/home';
import { loginPage } from './pages/login';
import { mashPage } from './pages/mash';
import { oversightPage } from './pages/oversight';
import { networkPage } from './pages/network';
import { personPage } from './pages/person';
import { retentionPage } from './pages/retention';
import { reviewPairPage, reviewQueuePage } from './pages/review_queue';
import { searchPage } from './pages/search';
import { sessionsPage } from './pages/sessions';

export const ROUTES: readonly PageRoute[] = [
  { pattern: '/', access: 'signed-in', render: homePage },
  { pattern: '/login', access: 'signed-out', render: loginPage },
  { pattern: '/mash', access: 'signed-in', render: mashPage },
  { pattern: '/concerns/new', access: 'signed-in', render: concernNewPage },
  { pattern: '/cases', access: 'signed-in', render: casesPage },
  { pattern: '/cases/:id', access: 'signed-in', render: casePage },
  { pattern: '/contexts', access: 'signed-in', render: contextsPage },
  { pattern: '/contexts/new', access: 'signed-in', render: contextNewPage },
  { pattern: '/contexts/:id', access: 'signed-in', render: contextPage },
  { pattern: '/persons/:id', access: 'signed-in', render: personPage },
  { pattern: '/review-queue', access: 'signed-in', render: reviewQueuePage },
  { pattern: '/review-queue/:id', access: 'signed-in', render: reviewPairPage },
  { pattern: '/network', access: 'signed-in', render: networkPage },
  { pattern: '/search', access: 'signed-in', render: searchPage },
  { pattern: '/oversight', access: 'signed-in', render: oversightPage },
  { pattern: '/retention', access: 'signed-in', render: retentionPage },
  { pattern: '/admin/sharing', access: 'signed-in', render: sharingPage },
  { pattern: '/admin/reviewers', access: 'signed-in', render: reviewersPage },
  { pattern: '/admin/users', access: 'signed-in', render: usersPage },
  { pattern: '/admin/agencies', access: 'signed-in', render: agenciesPage },
  { pattern: '/account/password', access: 'signed-in', render: passwordPage },
  { pattern: '/account', access: 'signed-in', render: accountPage },
  { pattern: '/account/second-factor', access: 'signed-in', render: secondFactorPage },
  { pattern: '/account/sessions', access: 'signed-in', render: sessionsPage },
];
