import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationView } from '@refrain/contracts';
import { openBrowser, type Browsing } from '../support/browser';
import { KEYS, startHarness, type Harness } from '../support/harness';

// The studio's Content-Security-Policy and the clip media it plays, against the all-in-one
// process and the simulator; and a hostile song title in a real browser.
let h: Harness;
let song: GenerationView;
const HOSTILE = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script>`;

beforeAll(async () => {
  h = await startHarness({ simDurationMs: 300 });
  const r = await h.api<GenerationView>('/v1/generations', {
    body: { steps: [{ op: 'generate', title: HOSTILE, tags: 'lo-fi [sim:duration=300]', prompt: `[Verse]\n${HOSTILE}\nla la la` }] },
  });
  song = await h.waitFinal(r.body.id, 60);
}, 120_000);
afterAll(async () => {
  await h?.stop();
});

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...v]) => [name!, v]));
}

describe('the studio page under its Content-Security-Policy', () => {
  it('allows only its own origin: no inline script or style, no eval, no other origin, Trusted Types required', async () => {
    const res = await fetch(`${h.url}/`);
    expect(res.status).toBe(200);
    const csp = directives(res.headers.get('content-security-policy') ?? '');
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('require-trusted-types-for')).toEqual(["'script'"]);
    for (const [name, values] of csp) {
      for (const v of values) {
        expect(v, `${name} ${v}`).not.toMatch(/unsafe|^\*|^https?:|^data:|^ws/);
        if (!["'self'", "'none'", "'script'", 'blob:'].includes(v)) throw new Error(`unexpected source ${v} in ${name}`);
      }
    }
    // blob: only where clip media needs it.
    const withBlob = [...csp].filter(([, v]) => v.includes('blob:')).map(([n]) => n).sort();
    expect(withBlob).toEqual(['img-src', 'media-src']);
  });

  it('is a page with no inline script, style or handler, whose assets come from /studio/ with the same policy', async () => {
    const res = await fetch(`${h.url}/`);
    const html = await res.text();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBe(1);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc="\/studio\/[\w-]+\.js"/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\son[a-z]+\s*=/i);
    expect(html).not.toMatch(/\sstyle\s*=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    const assets = [...html.matchAll(/(?:src|href)="(\/studio\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBe(3); // favicon, style sheet, script
    for (const a of assets) {
      const r = await fetch(`${h.url}${a}`);
      expect(r.status, a).toBe(200);
      expect(r.headers.get('content-security-policy'), a).toBe(res.headers.get('content-security-policy'));
      if (a.endsWith('.js')) {
        expect(r.headers.get('content-type')).toContain('javascript');
        expect(r.headers.get('cache-control')).toContain('immutable');
        expect(await r.text()).not.toMatch(/\beval\(|new Function\(/);
      }
    }
    expect((await fetch(`${h.url}/studio/nope.js`)).status).toBe(404);
    expect((await fetch(`${h.url}/studio/..%2f..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${h.url}/studio/%2e%2e/index.html`)).status).toBe(404);
  });
});

describe('clip media through the API', () => {
  it("serves a clip's audio and cover from this origin to its tenant only, never as a page", async () => {
    expect(song.status).toBe('succeeded');
    const clip = song.clips[0]!;
    const path = `/v1/generations/${song.id}/clips/${clip.id}`;
    const audio = await fetch(`${h.url}${path}/audio`, { headers: { authorization: `Bearer ${KEYS.alpha}` } });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toBe('audio/wav');
    expect(audio.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    const bytes = Buffer.from(await audio.arrayBuffer());
    expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
    const upstream = Buffer.from(await (await fetch(clip.audio_url!)).arrayBuffer());
    expect(bytes.equals(upstream)).toBe(true);

    const part = await fetch(`${h.url}${path}/audio`, { headers: { authorization: `Bearer ${KEYS.alpha}`, range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    expect(part.headers.get('content-range')).toMatch(/^bytes 0-99\/\d+$/);

    const cover = await fetch(`${h.url}${path}/image`, { headers: { authorization: `Bearer ${KEYS.alpha}` } });
    expect(cover.status).toBe(200);
    expect(cover.headers.get('content-type')).toContain('image/svg+xml');
    expect(cover.headers.get('content-security-policy')).toContain('sandbox');

    expect((await fetch(`${h.url}${path}/audio`)).status).toBe(401);
    const other = await fetch(`${h.url}${path}/audio`, { headers: { authorization: `Bearer ${KEYS.beta}` } });
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toContain('application/problem+json'); // not the audio
    const unknown = await h.api<{ detail: string }>(`/v1/generations/${song.id}/clips/not-a-clip/audio`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toContain('has no clip "not-a-clip"');
  });
});

describe('a hostile song in the browser', () => {
  let b: Browsing;
  afterAll(async () => {
    await b?.close();
  });

  it('shows markup in titles and lyrics as text: nothing runs, nothing is fetched, the CSP is never tested', async () => {
    b = await openBrowser();
    const page = b.context.pages()[0] ?? (await b.context.newPage());
    page.setDefaultTimeout(60_000);
    await page.goto(`${h.url}/#/songs/${song.id}`);
    await page.getByLabel('API key', { exact: true }).fill(KEYS.alpha);
    await page.getByRole('button', { name: 'Use this key' }).click();
    const clip = page.locator('section.gen article.clip').first();
    await clip.locator('audio').waitFor();
    expect(await clip.locator('.clip-title').textContent()).toBe(HOSTILE);
    await clip.getByText('Lyrics', { exact: true }).click();
    expect(await clip.locator('.lyrics pre').textContent()).toContain(HOSTILE);
    expect(await page.title()).toBe('Refrain studio');
    expect(await page.locator('img[src="x"], main script').count()).toBe(0);
    expect(b.requests.filter((u) => /\/x$/.test(u))).toEqual([]);
    expect(b.problems).toEqual([]);
  });
});
