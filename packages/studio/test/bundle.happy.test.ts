import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildStudio } from '../build/bundle';

describe('the studio build', () => {
  it('makes one small script and one style sheet with hashed names, and a page that loads only them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-build-'));
    try {
      const built = await buildStudio(path.join(dir, 'dist'));
      const js = fs.readFileSync(path.join(built.dir, 'assets', path.basename(built.js)));
      const css = fs.readFileSync(path.join(built.dir, 'assets', path.basename(built.css)));
      // The budget: under 100 KB of script, gzip.
      expect(gzipSync(js).length).toBeLessThan(100 * 1024);
      expect(gzipSync(css).length).toBeLessThan(20 * 1024);
      expect(built.js).toMatch(/^\/studio\/app-[A-Z0-9]{8}\.js$/);
      const html = fs.readFileSync(path.join(built.dir, 'index.html'), 'utf8');
      expect(html).toContain(`<script type="module" src="${built.js}"></script>`);
      expect(html).toContain(`href="${built.css}"`);
      expect(html).not.toContain('{{');
      // Nothing of zod (the contracts are imported for their types only).
      expect(js.toString()).not.toContain('ZodError');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
