// The app's pages. Later work adds its routes here (for example "/cases/:id").

import type { PageRoute } from './page';
import { homePage } from './pages/home';
import { loginPage } from './pages/login';

export const ROUTES: readonly PageRoute[] = [
  { pattern: '/', access: 'signed-in', render: homePage },
  { pattern: '/login', access: 'signed-out', render: loginPage },
];
