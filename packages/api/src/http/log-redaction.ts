/**
 * The path of a request as it may appear in logs: no query string, and no notify_hook
 * token (`/hooks/<provider>/<token>` carries a secret in its last segment).
 */
export function loggablePath(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.replace(/^(\/hooks\/[^/]+\/)[^/]+/, '$1[redacted]');
}
