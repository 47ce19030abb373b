import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startHarness, type Harness } from '../support/harness';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** Debian's chromium, installed on first use (CI machines start without it). */
function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit', timeout: 900_000 });
}

/** The part of HTMLAudioElement the test uses (no DOM lib in this tsconfig). */
interface AudioLike {
  duration: number;
  src: string;
  preload: string;
  load(): void;
  addEventListener(type: 'loadedmetadata' | 'error', fn: () => void, opts: { once: boolean }): void;
}

let h: Harness;
let browser: Browser;
beforeAll(async () => {
  ensureChromium();
  h = await startHarness();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe('the listening page at /', () => {
  it('takes a key, makes a description-mode song, shows its steps live and plays its clips', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${h.url}/`);
    expect(await page.title()).toContain('Refrain');
    await page.getByLabel('API key', { exact: true }).fill(KEYS.alpha);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await expect.poll(() => page.locator('#key-status').textContent()).toBe('Key accepted.');

    await page.getByLabel('Describe the song', { exact: true }).fill('a gentle lullaby for a rainy night [sim:duration=2500]');
    await page.getByRole('button', { name: 'Make the song' }).click();

    // Live: the step bar shows "waiting" while upstream works, before any audio exists.
    const waiting = page.locator('#progress progress[aria-label="Step 1, generate: waiting"]');
    await waiting.waitFor({ timeout: 20_000 });
    // Then the players appear, one per clip.
    const players = page.locator('#progress audio');
    await expect.poll(() => players.count(), { timeout: 30_000 }).toBe(2);
    await expect.poll(() => page.locator('#progress .status').textContent(), { timeout: 30_000 }).toBe('succeeded');
    expect(requests.some((u) => /\/v1\/generations\/gen_[^/]+\/events$/.test(u))).toBe(true);

    // Each player loads real audio from its clip's URL.
    const durations = await players.evaluateAll((els) =>
      Promise.all(
        (els as unknown as AudioLike[]).map(
          (a) =>
            new Promise<number>((resolve, reject) => {
              a.addEventListener('loadedmetadata', () => resolve(a.duration), { once: true });
              a.addEventListener('error', () => reject(new Error(`cannot load ${a.src}`)), { once: true });
              a.preload = 'metadata';
              a.load();
            }),
        ),
      ),
    );
    expect(durations.every((d) => d > 1)).toBe(true);
    for (const label of await players.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')))) expect(label).toMatch(/^Play .+ \(step 1\)$/);

    // The recent list has it too, with its players.
    const recent = page.locator('#recent li.generation').first();
    await expect.poll(() => recent.locator('audio').count()).toBe(2);
    expect(await recent.locator('h3').textContent()).toContain('a gentle lullaby');

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'web-player.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says so when the key is refused, and asks for a key before submitting', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.url}/`);
    await page.getByLabel('Describe the song', { exact: true }).fill('no key yet');
    await page.getByRole('button', { name: 'Make the song' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('Enter your API key first.');
    await page.getByLabel('API key', { exact: true }).fill('not-a-real-key-000000');
    await page.getByRole('button', { name: 'Use this key' }).click();
    await expect.poll(() => page.locator('#key-status').textContent()).toBe('That key was not accepted.');
    await page.close();
  });

  it('serves its assets as static files, without an API key', async () => {
    for (const [p, type] of [['/', 'text/html'], ['/web/app.js', 'javascript'], ['/web/style.css', 'text/css']] as const) {
      const res = await fetch(`${h.url}${p}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
    }
    expect((await fetch(`${h.url}/web/nope.js`)).status).toBe(404);
  });
});
