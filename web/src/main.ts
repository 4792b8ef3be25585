// Entry point. The server answers every page address with index.html, so this decides which
// app to load: the public anonymous-report pages (/report…) or the staff app. Each is a
// separate chunk loaded on demand, so a member of the public never downloads staff code and
// the report pages never ask who is signed in.

import { isPublicPath } from './public_paths';

const root = document.getElementById('app');

function failed(target: HTMLElement): void {
  const p = document.createElement('p');
  p.className = 'noscript';
  p.setAttribute('role', 'alert');
  p.textContent = 'This page could not be loaded. Check your internet connection and reload the page.';
  target.replaceChildren(p);
}

if (root !== null) {
  if (isPublicPath(window.location.pathname)) {
    import('./public/report_main').then((m) => m.startPublic(root)).catch(() => failed(root));
  } else {
    import('./staff_main').then((m) => m.startStaff(root)).catch(() => failed(root));
  }
}
