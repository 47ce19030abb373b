import { describe, expect, it, vi } from 'vitest';
import { checkUrl } from '@refrain/core';
import { HttpProblem } from '../src/http/problem';
import { openMedia, type MediaFetch, type MediaSource } from '../src/http/media-proxy';

// Pure: the transport is a fake, so nothing here opens a socket; addresses are literals.
const TRUSTED = 'http://127.0.0.1:4010';

function source(answers: Record<string, () => Response>): { src: MediaSource; asked: string[] } {
  const asked: string[] = [];
  const fetch: MediaFetch = vi.fn(async (url: string) => {
    asked.push(url);
    const answer = answers[url];
    if (!answer) throw new Error(`unexpected fetch ${url}`);
    return answer();
  });
  const src: MediaSource = {
    fetch,
    async check(url) {
      if (url.origin === TRUSTED) return { addresses: null };
      const v = await checkUrl(url.href, {});
      return v.allowed ? { addresses: v.addresses } : { refused: v.reason };
    },
  };
  return { src, asked };
}

const wav = () => new Response(new Uint8Array([82, 73, 70, 70]), { status: 200, headers: { 'content-type': 'audio/wav', 'content-length': '4' } });
const open = (url: string, src: MediaSource, kind: 'audio' | 'image' = 'audio') => openMedia(url, kind, src, { signal: new AbortController().signal });

async function refusal(p: Promise<unknown>): Promise<HttpProblem> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(HttpProblem);
  return err as HttpProblem;
}

describe('clip media fetched for the studio', () => {
  it("fetches from the provider's own origin, even on loopback", async () => {
    const { src, asked } = source({ [`${TRUSTED}/files/a.wav`]: wav });
    const res = await open(`${TRUSTED}/files/a.wav`, src);
    expect(res.status).toBe(200);
    expect(asked).toEqual([`${TRUSTED}/files/a.wav`]);
  });

  it.each([
    'http://127.0.0.1:6379/',
    'http://169.254.169.254/latest/meta-data/',
    'https://10.0.0.8/a.wav',
    'https://[::1]/a.wav',
    'https://user:pw@203.0.113.9/a.wav',
    'file:///etc/passwd',
    'http://93.184.216.34/a.wav',
  ])('refuses %s without sending anything', async (url) => {
    const { src, asked } = source({});
    const p = await refusal(open(url, src));
    expect(p.status).toBe(502);
    expect(p.message).toContain('Refrain does not fetch');
    expect(asked).toEqual([]);
  });

  it('checks every redirect: one to the metadata address is refused before it is followed', async () => {
    const { src, asked } = source({
      [`${TRUSTED}/a.wav`]: () => new Response(null, { status: 302, headers: { location: 'http://169.254.169.254/latest/' } }),
    });
    const p = await refusal(open(`${TRUSTED}/a.wav`, src));
    expect(p.message).toContain('Refrain does not fetch');
    expect(asked).toEqual([`${TRUSTED}/a.wav`]);
  });

  it('follows a redirect within the allowed, and stops after three', async () => {
    const hop = (to: string) => () => new Response(null, { status: 307, headers: { location: to } });
    const ok = source({ [`${TRUSTED}/a`]: hop('/b'), [`${TRUSTED}/b`]: wav });
    expect((await open(`${TRUSTED}/a`, ok.src)).status).toBe(200);
    const loop = source({ [`${TRUSTED}/a`]: hop('/b'), [`${TRUSTED}/b`]: hop('/a') });
    expect((await refusal(open(`${TRUSTED}/a`, loop.src))).message).toContain('redirected more than 3 times');
    expect(loop.asked).toHaveLength(4);
  });

  it('passes on only media of the kind asked for', async () => {
    const html = () => new Response('<script>alert(1)</script>', { status: 200, headers: { 'content-type': 'text/html' } });
    const { src } = source({ [`${TRUSTED}/a`]: html, [`${TRUSTED}/b.wav`]: wav });
    expect((await refusal(open(`${TRUSTED}/a`, src))).message).toContain('sent "text/html", not audio');
    expect((await refusal(open(`${TRUSTED}/b.wav`, src, 'image'))).message).toContain('not image');
  });

  it("says what the provider's media server answered when it fails, and refuses what is too large", async () => {
    const { src } = source({
      [`${TRUSTED}/gone`]: () => new Response('no', { status: 404 }),
      [`${TRUSTED}/huge`]: () => new Response('x', { status: 200, headers: { 'content-type': 'audio/mpeg', 'content-length': String(500 * 1024 * 1024) } }),
    });
    expect((await refusal(open(`${TRUSTED}/gone`, src))).message).toBe("the provider's media server answered 404");
    expect((await refusal(open(`${TRUSTED}/huge`, src))).message).toContain('larger than 200 MB');
  });
});

describe('clip media: DNS rebinding and what a failure tells', () => {
  it('connects only to the addresses the guard judged, and the name is resolved once', async () => {
    const answers = [['93.184.216.34'], ['169.254.169.254']];
    const resolve = vi.fn(async () => answers.shift() ?? []);
    let connectTo: readonly string[] | null | undefined;
    const src: MediaSource = {
      async check(url) {
        const v = await checkUrl(url.href, { resolve });
        return v.allowed ? { addresses: v.addresses } : { refused: v.reason };
      },
      fetch: async (_url, init) => {
        connectTo = init.addresses;
        return wav();
      },
    };
    const res = await open('https://media.example.test/a.wav', src);
    expect(res.status).toBe(200);
    expect(connectTo).toEqual(['93.184.216.34']);
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it("a connection failure is told in fixed words, never the socket's own (no host state leaks)", async () => {
    const src: MediaSource = {
      check: async () => ({ addresses: ['93.184.216.34'] }),
      fetch: async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:6379'), { code: 'ECONNREFUSED' });
      },
    };
    const p = await refusal(open('https://media.example.test/a.wav', src));
    expect(p.status).toBe(502);
    expect(p.detail).toContain('connection failed');
    expect(p.detail).not.toMatch(/ECONNREFUSED|10\.0\.0\.5|6379/);
  });
});
