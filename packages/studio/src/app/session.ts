import type { LoggedEvent } from './timeline';

const KEY = 'refrain.apiKey';
const EVENTS = (id: string) => `refrain.events.${id}`;

/** The key the visitor typed: this tab only, or this device when they asked to remember it. */
export function loadKey(): string {
  return sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY) ?? '';
}

export function saveKey(key: string, remember: boolean): void {
  sessionStorage.setItem(KEY, key);
  if (remember) localStorage.setItem(KEY, key);
  else localStorage.removeItem(KEY);
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}

export const rememberedOnDevice = (): boolean => localStorage.getItem(KEY) !== null;

/**
 * The events received for a generation, kept for this tab: after a reload the stream
 * resumes after the last one (Last-Event-ID) and the timeline keeps what came before.
 */
export function loadEvents(id: string): LoggedEvent[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(EVENTS(id)) ?? '[]') as unknown;
    return Array.isArray(v) ? (v as LoggedEvent[]) : [];
  } catch {
    return [];
  }
}

export function saveEvents(id: string, log: readonly LoggedEvent[]): void {
  try {
    sessionStorage.setItem(EVENTS(id), JSON.stringify(log.slice(-300)));
  } catch {
    // storage full or off: the stream still works, it just replays from the start after a reload
  }
}

export type Theme = 'system' | 'light' | 'dark';
export const loadTheme = (): Theme => {
  const t = localStorage.getItem('refrain.theme');
  return t === 'light' || t === 'dark' ? t : 'system';
};
export function applyTheme(t: Theme): void {
  if (t === 'system') {
    delete document.documentElement.dataset.theme;
    localStorage.removeItem('refrain.theme');
  } else {
    document.documentElement.dataset.theme = t;
    localStorage.setItem('refrain.theme', t);
  }
}
