import { randomBytes } from 'node:crypto';

/** Sortable, URL-safe ids: time prefix (so newest-first is index order) plus randomness. */
export function newId(prefix: string, now: number = Date.now()): string {
  const time = now.toString(36).padStart(9, '0');
  return `${prefix}_${time}${randomBytes(8).toString('hex')}`;
}
