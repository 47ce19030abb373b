import { hash32, pick, seeded } from './rng';

/**
 * Real, playable media generated in code (no binary files in the repo): a short sine
 * melody per clip id as a PCM WAV, and an SVG cover. Same id, same bytes.
 */

export const SAMPLE_RATE = 22_050;
const NOTE_SECONDS = 0.5;
const SAMPLES_PER_NOTE = SAMPLE_RATE * NOTE_SECONDS;
/** Major pentatonic over two octaves, in semitones: always sounds like a tune. */
const SCALE = [0, 2, 4, 7, 9, 12, 14, 16, 19, 21];
const CACHE_LIMIT = 64;

/** 8..16 notes of half a second: 4..8 seconds per clip. */
function noteCount(id: string): number {
  return 8 + (hash32(`len:${id}`) % 9);
}

export function audioSeconds(id: string): number {
  return noteCount(id) * NOTE_SECONDS;
}

function writeHeader(buf: Buffer, dataBytes: number): void {
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(SAMPLE_RATE, 24);
  buf.writeUInt32LE(SAMPLE_RATE * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
}

export function makeWav(id: string): Buffer {
  const notes = noteCount(id);
  const rand = seeded(hash32(`melody:${id}`));
  const base = 220 * 2 ** (Math.floor(rand() * 12) / 12);
  const dataBytes = notes * SAMPLES_PER_NOTE * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  writeHeader(buf, dataBytes);
  const fade = Math.floor(SAMPLE_RATE * 0.02); // 20 ms ramps so notes do not click
  let offset = 44;
  for (let n = 0; n < notes; n++) {
    const freq = base * 2 ** (pick(rand, SCALE) / 12);
    for (let s = 0; s < SAMPLES_PER_NOTE; s++) {
      const t = s / SAMPLE_RATE;
      const env = Math.min(1, s / fade, (SAMPLES_PER_NOTE - s) / fade) * (1 - 0.5 * (s / SAMPLES_PER_NOTE));
      const v = env * (0.35 * Math.sin(2 * Math.PI * freq * t) + 0.1 * Math.sin(4 * Math.PI * freq * t));
      buf.writeInt16LE(Math.round(v * 32767), offset);
      offset += 2;
    }
  }
  return buf;
}

const cache = new Map<string, Buffer>();

/** Cached per id (small LRU: a demo replays the same few clips). */
export function clipWav(id: string): Buffer {
  const hit = cache.get(id);
  if (hit) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const wav = makeWav(id);
  cache.set(id, wav);
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return wav;
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function coverSvg(id: string, title: string): string {
  const h = hash32(`cover:${id}`);
  const hue1 = h % 360;
  const hue2 = (hue1 + 60 + ((h >>> 9) % 120)) % 360;
  const r = 60 + ((h >>> 17) % 120);
  const label = escapeXml(title.slice(0, 40));
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">',
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue1},70%,55%)"/>`,
    `<stop offset="1" stop-color="hsl(${hue2},65%,30%)"/></linearGradient></defs>`,
    '<rect width="512" height="512" fill="url(#g)"/>',
    `<circle cx="256" cy="230" r="${r}" fill="none" stroke="#fff" stroke-opacity="0.6" stroke-width="6"/>`,
    '<circle cx="256" cy="230" r="14" fill="#fff" fill-opacity="0.8"/>',
    `<text x="256" y="450" font-family="sans-serif" font-size="28" fill="#fff" text-anchor="middle">${label}</text>`,
    '</svg>',
  ].join('');
}
