import { stripMarkers } from './markers';
import { hash32, pick, seeded } from './rng';

/**
 * Made-up song content for description mode and lyrics tasks. Deterministic per
 * description, so tests can compare two answers, and shaped like Suno's output
 * ([Verse]/[Chorus] sections) so lyrics-aware code sees realistic text.
 */

const STOPWORDS = new Set(
  'a an the and or of to for in on with about song songs track music tune that this is my your our their some very all just really style vibe vibes female male vocal vocals voice'.split(' '),
);
const GENRES = [
  'pop', 'rock', 'jazz', 'metal', 'punk', 'folk', 'blues', 'funk', 'soul', 'disco', 'techno', 'house',
  'edm', 'dancepop', 'hip-hop', 'rap', 'country', 'reggae', 'ambient', 'lofi', 'classical', 'r&b', 'synthwave',
];
const MOODS = ['upbeat', 'melancholic', 'dreamy', 'energetic', 'warm', 'anthemic', 'chill'];

function titleCase(words: string[]): string {
  return words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join(' ');
}

function keywords(text: string): string[] {
  return stripMarkers(text)
    .toLowerCase()
    .split(/[^\p{L}\p{N}'-]+/u)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/** A short title: the theme after "about" (or "主题"), else the first keywords. */
export function titleFrom(description: string): string {
  const text = stripMarkers(description);
  const cjk = /[\u3000-\u9fff]/.test(text);
  if (cjk) {
    const theme = /主题[::]\s*([^,,。.]+)/.exec(text)?.[1] ?? text;
    return theme.replace(/[,,。.!!??]/g, '').slice(0, 12).trim() || '无题';
  }
  const about = /\babout\s+(.+)$/i.exec(text)?.[1];
  // The theme reads as a title as it is (minus leading articles); otherwise pick keywords.
  const words = about
    ? about.split(/[^\p{L}\p{N}'-]+/u).filter(Boolean).filter((w, i, all) => !(i === 0 && /^(a|an|the)$/i.test(w) && all.length > 1)).slice(0, 5)
    : keywords(text).slice(0, 4);
  return words.length > 0 ? titleCase(words) : 'Untitled Song';
}

export function tagsFrom(description: string): string {
  const words = keywords(description);
  const genres = words.filter((w) => GENRES.includes(w));
  const rand = seeded(hash32(description));
  const mood = pick(rand, MOODS);
  return [...new Set([...(genres.length > 0 ? genres : [pick(rand, ['pop', 'indie pop', 'synthwave', 'folk'])]), mood])].join(', ');
}

const OPENERS = ['Under the', 'Chasing the', 'Dancing through the', 'Holding on to the', 'Waiting for the', 'Singing to the'];
const CLOSERS = ['all night long', 'till the morning light', 'like we never knew', 'in the city glow', 'as the echoes fade'];
const HOOKS = ['Oh oh, here we go', 'Hold me close tonight', 'We are never letting go', 'Feel it in your soul'];

/** Lyrics with Suno's section tags, built around the description's keywords. */
export function lyricsFrom(description: string): string {
  const words = keywords(description);
  const rand = seeded(hash32(`lyrics:${description}`));
  const word = (): string => (words.length > 0 ? pick(rand, words) : pick(rand, ['night', 'heart', 'road', 'sky']));
  const line = (): string => `${pick(rand, OPENERS)} ${word()} ${pick(rand, CLOSERS)}`;
  const hook = pick(rand, HOOKS);
  const chorus = [`[Chorus]`, hook, `${titleCase([word()])} ${word()}`, hook, `${pick(rand, OPENERS)} ${word()}`];
  return [
    '[Verse]', line(), line(), line(), line(), '',
    ...chorus, '',
    '[Verse 2]', line(), line(), line(), line(), '',
    ...chorus, '',
    '[Outro]', `${pick(rand, CLOSERS)}`,
  ].join('\n');
}
