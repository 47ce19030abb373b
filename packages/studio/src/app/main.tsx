import { render } from 'preact';
import { App } from './app';
import { applyTheme, loadTheme } from './session';

applyTheme(loadTheme());
const root = document.getElementById('app');
if (root) {
  root.replaceChildren();
  render(<App />, root);
}
