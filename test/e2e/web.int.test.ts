import fs from 'node:fs';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { horizontalOverflow, openBrowser, screenshot, seriousA11yViolations, type Browsing } from '../support/browser';
import { KEYS, startHarness, type Harness } from '../support/harness';

// The studio at / against the all-in-one process and the simulator, in headless chromium.
// Timeouts are generous: the machine running this may be a busy 2-core one.
const LONG = 60_000;

let h: Harness;
let b: Browsing;
let page: Page;
let providerModels: string[] = [];

beforeAll(async () => {
  h = await startHarness({ simDurationMs: 2500 }); // slow enough to watch each step work, even on a busy machine
  b = await openBrowser();
  page = b.context.pages()[0] ?? (await b.context.newPage());
  page.setDefaultTimeout(LONG);
  const providers = await h.api<{ data: { models: string[] }[] }>('/v1/providers');
  providerModels = providers.body.data[0]!.models;
}, 900_000);
afterAll(async () => {
  await b?.close();
  await h?.stop();
});

const genIdOf = (p: Page) => /#\/songs\/(gen_[\w-]+)$/.exec(p.url())?.[1] ?? null;
const panelStatus = (p: Page) => p.locator('#gen-status').textContent();

async function waitForGeneration(p: Page, previous: string | null): Promise<string> {
  await expect.poll(() => genIdOf(p), { timeout: LONG }).not.toBe(previous);
  const id = genIdOf(p)!;
  await p.locator(`section.gen[data-generation="${id}"]`).waitFor();
  return id;
}

describe('the studio at /', () => {
  it('takes a key, writes lyrics with the lyrics step, makes a custom-mode song, follows it to succeeded, plays a clip and shows its lyrics', async () => {
    await page.goto(`${h.url}/`);
    expect(await page.title()).toBe('Refrain studio');
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    console.log(`studio first contentful paint: ${fcp === null ? 'n/a' : `${Math.round(fcp)} ms`}`);
    await screenshot(page, 'studio-key');

    await page.getByLabel('API key', { exact: true }).fill(KEYS.alpha);
    await page.getByRole('button', { name: 'Use this key' }).click();
    await page.getByRole('heading', { name: 'Make a song' }).waitFor();

    await page.getByLabel('Write it yourself').check();
    await page.getByLabel('Idea for lyrics').fill('a night train to the sea');
    await page.getByRole('button', { name: 'Write lyrics for me' }).click();
    const lyricsBox = page.getByLabel('Lyrics', { exact: true });
    await expect.poll(() => lyricsBox.inputValue(), { timeout: LONG }).not.toBe('');
    const written = await lyricsBox.inputValue();
    const firstLine = written.split('\n').find((l) => l.trim() && !l.startsWith('['))!.trim();

    await page.getByLabel('Title', { exact: true }).fill('Night Train');
    await page.getByLabel('Style', { exact: true }).fill('dream pop, soft female vocals');
    const model = providerModels.find((m) => m !== 'chirp-v3-5') ?? providerModels[0]!;
    await page.getByLabel('Model').selectOption(model);
    await page.getByRole('button', { name: 'Make the song' }).click();

    const id = await waitForGeneration(page, null);
    // Live: the timeline shows the upstream at work before anything is finished.
    await page.locator('.timeline li[data-status="waiting"]').waitFor({ timeout: LONG });
    await screenshot(page, 'studio-live', { docs: true });
    await expect.poll(() => panelStatus(page), { timeout: LONG }).toBe('succeeded');
    await expect.poll(() => page.locator('.timeline li[data-status="succeeded"]').count()).toBe(1);
    expect(b.requests.some((u) => u.endsWith(`/v1/generations/${id}/events`))).toBe(true);

    const g = (await h.api<GenerationView>(`/v1/generations/${id}`)).body;
    expect(g.steps[0]!.op).toBe('generate');
    expect(g.clips.every((c) => c.model === model && c.title === 'Night Train')).toBe(true);

    // Listen: each clip plays from this origin, and its <audio> reports a duration.
    const players = page.locator('section.gen audio');
    await expect.poll(() => players.count(), { timeout: LONG }).toBe(2);
    const durations = await players.evaluateAll((els) =>
      Promise.all(
        (els as HTMLAudioElement[]).map(
          (a) =>
            new Promise<number>((resolve, reject) => {
              if (a.readyState >= 1) return resolve(a.duration);
              a.addEventListener('loadedmetadata', () => resolve(a.duration), { once: true });
              a.addEventListener('error', () => reject(new Error(`cannot load ${a.src}`)), { once: true });
            }),
        ),
      ),
    );
    expect(durations.every((d) => d > 0.5)).toBe(true);
    const firstClip = page.locator('section.gen article.clip').first();
    await expect.poll(() => firstClip.locator('.clip-title').textContent()).toBe('Night Train');
    await firstClip.getByText('Lyrics', { exact: true }).click();
    await expect.poll(() => firstClip.locator('.lyrics pre').textContent()).toContain(firstLine);
    const download = firstClip.getByRole('link', { name: 'Download' });
    expect(await download.getAttribute('download')).toBe('Night Train.wav');
    expect(await download.getAttribute('href')).toMatch(/^blob:/);
    expect(await firstClip.locator('img.cover').getAttribute('src')).toMatch(/^blob:/);
    expect(await firstClip.locator('.clip-style').textContent()).toBe('dream pop, soft female vocals');
    expect(await firstClip.locator('.clip-meta').textContent()).toMatch(/^\d+:\d\d · /);
    await screenshot(page, 'studio-song', { fullPage: true, docs: true });
    expect(b.problems).toEqual([]);
  });
});

describe('carrying on from a clip', () => {
  it('extends the clip and makes the whole song: a second generation appears in the list and succeeds, its song shown first', async () => {
    const first = genIdOf(page)!;
    const clip = page.locator('section.gen article.clip').first();
    const clipId = (await clip.getAttribute('data-clip'))!;
    await clip.getByRole('button', { name: 'Extend' }).click();
    const panel = clip.locator('form.carry-on');
    await panel.getByLabel('Extend from second').fill('3');
    await panel.getByLabel('Style', { exact: true }).fill('dream pop, strings');
    expect(await panel.getByLabel(/Then make the whole song/).isChecked()).toBe(true);
    await screenshot(page, 'studio-carry-on');
    await panel.getByRole('button', { name: 'Start: extend' }).click();

    const second = await waitForGeneration(page, first);
    await expect.poll(() => panelStatus(page), { timeout: LONG }).toBe('succeeded');
    const g = (await h.api<GenerationView>(`/v1/generations/${second}`)).body;
    expect(g.steps.map((s) => s.op)).toEqual(['extend', 'concat']);
    expect(g.status).toBe('succeeded');
    // The whole song (the concat step's clip) comes first, under "The song".
    const finalId = g.output!.clips[0]!;
    await expect.poll(() => page.locator('section.gen h3', { hasText: 'The song' }).count()).toBe(1);
    expect(await page.locator('section.gen .clips').first().locator('article.clip').first().getAttribute('data-clip')).toBe(finalId);
    expect(await page.locator('.timeline li[data-status="succeeded"]').count()).toBe(2);
    // Both generations are in "Your songs", newest first, the open one marked.
    const rows = page.locator('.songs li.song-row');
    await expect.poll(async () => (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).slice(0, 1), { timeout: LONG }).toEqual([second]);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-id')))).toContain(first);
    expect(await page.locator(`.songs a[href="#/songs/${second}"]`).getAttribute('aria-current')).toBe('page');
    expect(g.metadata).toMatchObject({ from_generation: first, from_clip: clipId });
    await screenshot(page, 'studio-whole-song', { docs: true });
  });

  it("shows the API's own message next to the field when a section ends before it starts", async () => {
    const clip = page.locator('section.gen article.clip').first();
    const clipId = (await clip.getAttribute('data-clip'))!;
    await clip.getByRole('button', { name: 'Replace a section' }).click();
    const panel = clip.locator('form.carry-on');
    await panel.getByLabel('Start', { exact: true }).fill('20');
    await panel.getByLabel('End', { exact: true }).fill('10');
    const before = genIdOf(page);
    await panel.getByRole('button', { name: 'Start: replace a section' }).click();
    const end = panel.getByLabel('End', { exact: true });
    const error = page.locator(`[id="co-${clipId}-infill_end_s-error"]`);
    await expect.poll(() => error.textContent(), { timeout: LONG }).toBe('infill_end_s must be greater than infill_start_s');
    expect(await end.getAttribute('aria-invalid')).toBe('true');
    expect((await end.getAttribute('aria-describedby'))?.split(' ')).toContain(`co-${clipId}-infill_end_s-error`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe(`co-${clipId}-infill_end_s`);
    expect(genIdOf(page)).toBe(before); // nothing was made
    await screenshot(clip, 'studio-field-error', { docs: true });
    await panel.getByRole('button', { name: 'Close' }).click();
  });
});

describe('more from a clip', () => {
  it('makes stems in one generation from a clip: vocals and instrumental', async () => {
    const from = genIdOf(page)!;
    const clip = page.locator('section.gen article.clip').first();
    await clip.getByRole('button', { name: 'Stems' }).click();
    await clip.locator('form.carry-on').getByRole('button', { name: 'Start: stems' }).click();
    const id = await waitForGeneration(page, from);
    await expect.poll(() => panelStatus(page), { timeout: LONG }).toBe('succeeded');
    const g = (await h.api<GenerationView>(`/v1/generations/${id}`)).body;
    expect(g.steps.map((s) => s.op)).toEqual(['stems']);
    await expect.poll(() => page.locator('section.gen article.clip .clip-title').allTextContents()).toEqual(g.clips.map((c) => c.title));
    expect(g.clips.map((c) => c.title)).toEqual([expect.stringContaining('(Vocals)'), expect.stringContaining('(Instrumental)')]);
  });
});

describe('following live', () => {
  it("shows a failed step with the upstream's own words", async () => {
    await page.getByLabel('What to make').selectOption('song');
    await page.getByLabel('Describe it').check();
    await page.getByLabel('Describe the song').fill('a song the provider will fail [sim:error]');
    const before = genIdOf(page);
    await page.getByRole('button', { name: 'Make the song' }).click();
    const id = await waitForGeneration(page, before);
    await expect.poll(() => panelStatus(page), { timeout: LONG }).toBe('failed');
    const g = (await h.api<GenerationView>(`/v1/generations/${id}`)).body;
    expect(g.steps[0]!.error?.message).toBeTruthy();
    const stepError = page.locator('.timeline li[data-status="failed"] .tl-error');
    await expect.poll(() => stepError.textContent(), { timeout: LONG }).toContain(g.steps[0]!.error!.message);
    expect(await page.getByRole('alert').filter({ hasText: g.error!.message }).count()).toBeGreaterThan(0);
  });

  it('resumes the timeline after a reload in the middle of a generation, from the last event it had', async () => {
    await page.getByLabel('What to make').selectOption('extend_full');
    await page.getByLabel('Write it yourself').check();
    await page.getByLabel('Title', { exact: true }).fill('Harbour Waltz');
    await page.getByLabel('Style', { exact: true }).fill('slow waltz, accordion [sim:duration=3000]');
    await page.getByLabel('Lyrics', { exact: true }).fill('[Verse]\nRain on the harbour, lights on the sea');
    await page.getByLabel('Extend from second').fill('2');
    const before = genIdOf(page);
    await page.getByRole('button', { name: 'Make the song' }).click();
    const id = await waitForGeneration(page, before);
    // Wait until the first of three steps is done and the second is under way.
    await page.locator('.timeline li[data-status="succeeded"]').first().waitFor({ timeout: LONG });
    const seen = await page.evaluate((gid) => JSON.parse(sessionStorage.getItem(`refrain.events.${gid}`) ?? '[]') as { id: number }[], id);
    expect(seen.length).toBeGreaterThan(0);
    const lastSeen = Math.max(...seen.map((e) => e.id));
    expect((await h.api<GenerationView>(`/v1/generations/${id}`)).body.status).toBe('running');

    const resumedFrom: string[] = [];
    const onRequest = (r: Request) => {
      if (r.url().endsWith(`/v1/generations/${id}/events`)) resumedFrom.push(r.headers()['last-event-id'] ?? '');
    };
    page.on('request', onRequest);
    await page.reload();
    // Straight after the reload the finished step is still there, with the updates it had.
    await page.locator('.timeline li[data-status="succeeded"]').first().waitFor();
    await expect.poll(() => resumedFrom.length, { timeout: LONG }).toBeGreaterThan(0);
    expect(Number(resumedFrom[0])).toBeGreaterThanOrEqual(lastSeen);
    await expect.poll(() => panelStatus(page), { timeout: LONG }).toBe('succeeded');
    page.off('request', onRequest);
    expect(await page.locator('.timeline li[data-status="succeeded"]').count()).toBe(3);
    const log = await page.evaluate((gid) => JSON.parse(sessionStorage.getItem(`refrain.events.${gid}`) ?? '[]') as { id: number }[], id);
    const ids = log.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length); // no event twice
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
  });
});

describe('your songs', () => {
  it('filters by status and pages with the cursor', async () => {
    const list = page.locator('section[aria-labelledby="list-heading"]');
    await list.getByLabel('Show').selectOption('succeeded');
    await expect.poll(async () => (await list.locator('li.song-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).every((s) => s === 'succeeded')).toBe(true);
    const all = (await h.api<{ data: GenerationView[] }>('/v1/generations?status=succeeded&limit=100')).body.data;
    await expect.poll(() => list.locator('li.song-row').count()).toBe(Math.min(10, all.length));
    // Enough songs for a second page: made through the API, they appear without a reload.
    const made = await Promise.all(
      Array.from({ length: 10 - Math.min(10, all.length) + 1 }, () =>
        h.api<GenerationView>('/v1/generations', { body: { steps: [{ op: 'generate', gpt_description_prompt: 'a quick jingle [sim:duration=200]' }], metadata: { label: 'A quick jingle' } } }),
      ),
    );
    for (const r of made) await h.waitFinal(r.body.id, 60);
    await list.getByLabel('Show').selectOption('');
    await list.getByLabel('Show').selectOption('succeeded');
    await expect.poll(() => list.locator('li.song-row').count()).toBe(10);
    await list.getByRole('button', { name: 'Show older songs' }).click();
    const total = (await h.api<{ data: GenerationView[] }>('/v1/generations?status=succeeded&limit=100')).body.data.length;
    await expect.poll(() => list.locator('li.song-row').count()).toBe(Math.min(20, total));
    const shown = await list.locator('li.song-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(new Set(shown).size).toBe(shown.length);
    await list.getByLabel('Show').selectOption('');
  });

  it('updates live while a song is being made elsewhere', async () => {
    const list = page.locator('section[aria-labelledby="list-heading"]');
    const r = await h.api<GenerationView>('/v1/generations', {
      body: { steps: [{ op: 'generate', gpt_description_prompt: 'a song made from the CLI [sim:duration=6000]' }], metadata: { label: 'Made from the CLI' } },
    });
    // The page learns of it on its next look (a song started here refreshes the list at once),
    // shows it still being made, and then follows it to the end by itself.
    await page.getByLabel('What to make').selectOption('song');
    await page.getByLabel('Describe it').check();
    await page.getByLabel('Describe the song').fill('a tiny tune for a music box');
    await page.getByRole('button', { name: 'Make the song' }).click();
    const row = list.locator(`li.song-row[data-id="${r.body.id}"]`);
    await row.waitFor({ timeout: LONG });
    expect(['queued', 'running']).toContain(await row.getAttribute('data-status'));
    await expect.poll(() => row.getAttribute('data-status'), { timeout: LONG }).toBe('succeeded');
  });
});

describe('quality', () => {
  it('fits a 360 px wide screen without sideways scrolling, and axe finds nothing serious, in light and dark', async () => {
    const id = genIdOf(page)!;
    await expect.poll(() => panelStatus(page), { timeout: LONG }).toBe('succeeded');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(`${h.url}/#/songs/${id}`);
        await page.reload(); // a fresh page each time (the same URL with a hash does not load again)
        await page.locator('section.gen article.clip audio').first().waitFor({ timeout: LONG });
        const clip = page.locator('section.gen article.clip').first();
        await clip.getByRole('button', { name: 'Replace a section', exact: true }).click();
        await clip.getByText('Lyrics', { exact: true }).click();
        expect(await horizontalOverflow(page), `${scheme} ${width}px`).toBeLessThanOrEqual(0);
        expect(await seriousA11yViolations(page), `${scheme} ${width}px`).toEqual([]);
        if (width === 360) await screenshot(page.locator('section.gen'), `studio-phone-${scheme}`, { docs: true });
        else if (scheme === 'dark') await screenshot(page, 'studio-dark', { docs: true });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('keeps the keyboard in charge: a skip link first, every control reachable with Tab, focus always visible', async () => {
    await page.goto(`${h.url}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the studio');
    const reached = new Set<string>();
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const d = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        return { id: el.id || el.getAttribute('aria-label') || el.textContent?.trim().slice(0, 40) || el.tagName, outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
      });
      if (d) {
        reached.add(d.id);
        expect(d.outline, `focus visible on ${d.id}`).toBe(true);
      }
    }
    for (const idOrName of ['song-plan', 'song-description', 'song-provider', 'song-mv', 'Make the song']) expect(reached).toContain(idOrName);
  });

  it('makes no request to any origin but its own, and nothing broke the CSP', () => {
    const origin = new URL(h.url).origin;
    const others = b.requests.filter((u) => !u.startsWith('blob:') && !u.startsWith('data:') && new URL(u).origin !== origin);
    expect(b.requests.length).toBeGreaterThan(20);
    expect(others).toEqual([]);
    expect(b.problems).toEqual([]);
    expect(fs.existsSync('test-results/studio-song.png')).toBe(true);
  });
});
