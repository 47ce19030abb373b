import type express from 'express';

export interface ServedRoute {
  method: string;
  /** OpenAPI style: `/v1/generations/{id}`. */
  path: string;
}

interface Layer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/** Mount points whose inside is a UI's own assets and internal API, not API routes. */
export const UI_PREFIXES = ['/admin/queues/', '/docs/', '/studio/'];

const join = (prefix: string, path: string): string => (prefix === '/' || prefix === '' ? path : path === '/' ? prefix : `${prefix}${path}`);
const toOpenApi = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

/**
 * Every method and path the express app routes, read from its router stacks (routers
 * mounted inside routers included): what the OpenAPI coverage test compares with the document.
 */
export function servedRoutes(app: express.Express): ServedRoute[] {
  const found = new Map<string, ServedRoute>();
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          const path = toOpenApi(join(prefix, p));
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') found.set(`${method} ${path}`, { method: method.toUpperCase(), path });
          }
        }
      } else if (layer.handle?.stack) {
        const mounts = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath ?? '/'];
        for (const m of mounts) walk(layer.handle.stack, join(prefix, m === '/' ? '' : m));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return [...found.values()]
    .filter((r) => !UI_PREFIXES.some((ui) => r.path.startsWith(ui)))
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
