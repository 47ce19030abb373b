import { execSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots of every run; `REFRAIN_SCREENSHOTS=docs` also writes the ones docs/ and the README show. */
export const ARTIFACTS = path.join(ROOT, 'test-results');
export const DOCS_IMAGES = path.join(ROOT, 'docs/images');

/** Debian's chromium, installed on first use (CI machines start without it). */
export function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit', timeout: 900_000 });
}

export interface Browsing {
  context: BrowserContext;
  /** Every URL any page asked for, in order. */
  requests: string[];
  /** Uncaught page errors, and console messages about CSP or Trusted Types. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Headless Debian chromium with a fresh profile in a temporary folder, no network of its
 * own (no component updates, sync or background requests), recording what pages ask for.
 */
export async function openBrowser(opts: { viewport?: { width: number; height: number } } = {}): Promise<Browsing> {
  ensureChromium();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'refrain-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: opts.viewport ?? { width: 1280, height: 900 },
    timeout: 120_000,
  });
  const requests: string[] = [];
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy|Trusted Type|Refused to/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
  };
  context.on('request', (r) => requests.push(r.url()));
  context.on('page', watch);
  for (const p of context.pages()) watch(p);
  return {
    context,
    requests,
    problems,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core in the page (through the DevTools protocol, as the page's own CSP does
 * not allow injected scripts) and returns the serious and critical violations.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
}

/**
 * Saves a screenshot under test-results/; one that docs/ shows (`docs: true`) also goes
 * to docs/images/ when the run is asked to refresh them (`REFRAIN_SCREENSHOTS=docs`).
 */
export async function screenshot(target: Page | Locator, name: string, opts: { fullPage?: boolean; docs?: boolean } = {}): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  if ('goto' in target) await target.screenshot({ path: file, fullPage: opts.fullPage ?? false, animations: 'disabled' });
  else await target.screenshot({ path: file, animations: 'disabled' });
  if (opts.docs && process.env.REFRAIN_SCREENSHOTS === 'docs') {
    fs.mkdirSync(DOCS_IMAGES, { recursive: true });
    fs.copyFileSync(file, path.join(DOCS_IMAGES, `${name}.png`));
  }
  return file;
}

/** The widest element box against the viewport: > 0 means something sticks out sideways. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
