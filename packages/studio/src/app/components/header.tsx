import { useState } from 'preact/hooks';
import { applyTheme, loadTheme, type Theme } from '../session';

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

export function Header({ keyHint, onForget }: { keyHint: string | null; onForget: () => void }) {
  const [theme, setTheme] = useState<Theme>(loadTheme());
  return (
    <header class="top">
      <a class="skip" href="#main">Skip to the studio</a>
      <div class="brand">
        <span class="logo" aria-hidden="true" />
        <h1>Refrain studio</h1>
      </div>
      <div class="top-tools">
        <label class="theme">
          <span>Theme</span>
          <select
            value={theme}
            onChange={(e) => {
              const t = (e.currentTarget as HTMLSelectElement).value as Theme;
              setTheme(t);
              applyTheme(t);
            }}
          >
            {THEMES.map((t) => (
              <option key={t.value} value={t.value}>{t.label}</option>
            ))}
          </select>
        </label>
        {keyHint ? (
          <span class="key-hint">
            <span class="sr-only">Using the API key </span>
            <code>{keyHint}</code>
            <button type="button" class="link" onClick={onForget}>Change key</button>
          </span>
        ) : null}
        <a href="/docs" class="docs-link">API docs</a>
      </div>
    </header>
  );
}
