import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioSeconds, isLoopbackHost, isLoopbackUrl, makeWav } from '../src/index';
import { boot, parseWav, type Sim } from './helpers';

let sim: Sim;
beforeAll(async () => {
  sim = await boot();
});
afterAll(() => sim.close());

describe('generated WAV', () => {
  it('is valid PCM 16-bit mono 22050 Hz, 4–8 s, deterministic per id, different across ids', () => {
    const a = makeWav('clip-a');
    const info = parseWav(a);
    expect(info).toMatchObject({ channels: 1, bits: 16, sampleRate: 22050 });
    expect(info.seconds).toBe(audioSeconds('clip-a'));
    for (const id of ['x', 'y', 'z', 'clip-b', '7070ec00-462e-42ac-9b9f-1074977f473f']) {
      const s = parseWav(makeWav(id)).seconds;
      expect(s).toBeGreaterThanOrEqual(4);
      expect(s).toBeLessThanOrEqual(8);
    }
    expect(makeWav('clip-a').equals(a)).toBe(true);
    expect(makeWav('clip-b').subarray(44, 4000).equals(a.subarray(44, 4000))).toBe(false);
    // not silence
    expect(Math.max(...Array.from({ length: 2000 }, (_, i) => Math.abs(a.readInt16LE(44 + 2 * (1000 + i)))))).toBeGreaterThan(3000);
  });

  it('is served with Content-Type, Content-Length, HEAD and byte ranges; bad names are 404', async () => {
    const full = await fetch(`${sim.url}/audio/abc.wav`);
    const buf = Buffer.from(await full.arrayBuffer());
    expect(full.headers.get('content-type')).toBe('audio/wav');
    expect(Number(full.headers.get('content-length'))).toBe(buf.length);
    parseWav(buf);
    const head = await fetch(`${sim.url}/stream/abc.wav`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(buf.length);
    const part = await fetch(`${sim.url}/audio/abc.wav`, { headers: { range: 'bytes=0-3' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-3/${buf.length}`);
    expect(Buffer.from(await part.arrayBuffer()).toString()).toBe('RIFF');
    expect((await fetch(`${sim.url}/audio/abc.mp3`)).status).toBe(404);
    expect((await fetch(`${sim.url}/audio/..%2Fetc.wav`)).status).toBe(404);
  });

  it('covers are SVG; media is never counted as dialect traffic', async () => {
    const img = await fetch(`${sim.url}/image/abc.svg`);
    expect(img.headers.get('content-type')).toContain('image/svg+xml');
    expect(await img.text()).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(sim.stats().requests).toEqual({});
  });
});

describe('loopback guard (literal addresses only, nothing is sent)', () => {
  it('accepts loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.5.6.7', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
    expect(isLoopbackUrl('http://127.0.0.1:8080/hooks/x?token=1')).toBe(true);
  });
  it('refuses everything else', () => {
    for (const h of ['10.0.0.1', '192.168.1.1', '8.8.8.8', '128.0.0.1', 'example.com', 'localhost.evil.com', '127.0.0.1.nip.io', '::2', '0.0.0.0']) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
    expect(isLoopbackUrl('ftp://127.0.0.1/')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});
