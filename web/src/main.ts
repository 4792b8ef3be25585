// Entry point: loads the styles and starts the app in #app.

import './styles/main.css';
import { App } from './app';

const root = document.getElementById('app');
if (root !== null) void new App(root).start();
