// The staff app's entry (loaded by main.ts for every address outside /report): its styles
// and the App, which learns who is signed in and shows the page.

import './styles/base.css';
import './styles/main.css';
import { App } from './app';

export function startStaff(root: HTMLElement): void {
  new App(root).start();
}
