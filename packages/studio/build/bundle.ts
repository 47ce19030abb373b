import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface StudioBuild {
  dir: string;
  /** Public paths of the page's script and style sheet (content-hashed names). */
  js: string;
  css: string;
}

/**
 * Bundles the page (Preact + the app) and its style sheet with esbuild into `dir`:
 * index.html and assets/ with content-hashed names, so assets can be cached for good.
 * Builds into a temporary folder first and swaps it in, so a server never sees half a build.
 */
export async function buildStudio(dir: string = path.join(ROOT, 'dist')): Promise<StudioBuild> {
  const tmp = `${dir.replace(/\/$/, '')}.tmp-${process.pid}-${Date.now()}`;
  const assets = path.join(tmp, 'assets');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [
      { in: 'src/app/main.tsx', out: 'app' },
      { in: 'src/app/styles.css', out: 'app' },
    ],
    outdir: assets,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome111', 'firefox115', 'safari16.4'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    metafile: true,
    external: ['/studio/*'], // the favicon the style sheet points at, copied beside it
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((p) => path.basename(p));
  const js = outputs.find((f) => f.endsWith('.js'));
  const css = outputs.find((f) => f.endsWith('.css'));
  if (!js || !css) throw new Error(`studio build made no script or style sheet: ${outputs.join(', ')}`);
  fs.copyFileSync(path.join(ROOT, 'static/favicon.svg'), path.join(assets, 'favicon.svg'));
  const page = { js: `/studio/${js}`, css: `/studio/${css}` };
  const html = fs.readFileSync(path.join(ROOT, 'static/index.html'), 'utf8').replace('{{js}}', page.js).replace('{{css}}', page.css);
  fs.writeFileSync(path.join(tmp, 'index.html'), html);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return { dir, ...page };
}
