import { LIMITS, type ChatMessage } from '@refrain/contracts';

/** What a chat message asks for, in Suno's two modes. Pure: the route turns it into steps. */
export type SongAsk =
  | { mode: 'description'; description: string; instrumental: boolean }
  | { mode: 'custom'; lyrics: string; title?: string; tags?: string; instrumental: boolean };

/** Hints from the request's `metadata`; they win over what the text says. */
export interface SongHints {
  instrumental?: boolean;
  title?: string;
  tags?: string;
}

const SECTIONS = [
  'verse', 'chorus', 'pre-chorus', 'prechorus', 'post-chorus', 'bridge', 'intro', 'outro', 'hook', 'refrain',
  'interlude', 'break', 'instrumental', 'solo', 'drop', 'coda', 'breakdown', 'end',
  '主歌', '副歌', '桥段', '前奏', '尾奏', '间奏', '结尾',
].join('|');
/** A line that starts with a section tag, optionally qualified: [Verse 2], [Final Chorus], [Chorus: x2]. */
const SECTION_LINE = new RegExp(`^\\s*\\[(?:[\\w-]+\\s+)?(?:${SECTIONS})(?:[\\s\\d:.,x×-][^\\]\\n]*)?\\]`, 'iu');
/**
 * The label of a "Title: …" / "Style: …" line. Only the anchored label is a pattern; the
 * value is cut with plain string work: a lazy `(.+?)\s*$` over the value backtracks
 * quadratically on a long line of spaces (issue #17), and one chat body could freeze the process.
 */
const TITLE_LABEL = /^\s*(?:song\s+)?(?:title|标题|歌名)\s*[:：]/i;
const STYLE_LABEL = /^\s*(?:style|styles|tags|genre|风格|曲风)\s*[:：]/i;
const NOT_INSTRUMENTAL = /\b(?:not|non)[\s-]+instrumental\b|\bwith\s+vocals\b|不要纯音乐/i;
const INSTRUMENTAL = /\binstrumental\b|\bno\s+(?:vocals?|singing|lyrics)\b|\bwithout\s+(?:vocals?|singing|lyrics)\b|纯音乐|纯器乐|无人声|不要人声/i;

/** The text of the last user message (text parts joined), or null when there is none. */
export function lastUserText(messages: readonly ChatMessage[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role !== 'user') continue;
    const c = m.content;
    const text = typeof c === 'string' ? c : Array.isArray(c) ? c.map((p) => ('text' in p ? p.text : '')).filter(Boolean).join('\n') : '';
    return text.trim() === '' ? null : text;
  }
  return null;
}

/** "instrumental", "no vocals", "纯音乐"… in free text; an explicit "not instrumental" wins. */
export function instrumentalHint(text: string): boolean {
  return !NOT_INSTRUMENTAL.test(text) && INSTRUMENTAL.test(text);
}

export const isSectionLine = (line: string): boolean => SECTION_LINE.test(line);

/**
 * Longest last user message read as a song: the longest lyrics plus a title and a style
 * line (with room for labels and blank lines). Checked before any pattern runs.
 */
export const MAX_SONG_MESSAGE_CHARS = LIMITS.lyrics + LIMITS.title + LIMITS.tags + 300;

/** The value of a labelled line ("Title: Tea Time" → "Tea Time"), or undefined. */
function labelled(line: string, label: RegExp): string | undefined {
  const m = label.exec(line);
  if (!m) return undefined;
  const value = line.slice(m[0].length).trim();
  // A line separator inside the value means it is not one line of text.
  return value && !value.includes('\u2028') && !value.includes('\u2029') ? value : undefined;
}

/**
 * A message with section-tagged lyrics makes a custom-mode song: the lyrics run from the
 * first tag line on; the lines before may name the title ("Title: …") and style
 * ("Style: …"), and otherwise the text before the lyrics is the style. Anything else is
 * a description for Suno to write the song from.
 */
export function parseSongMessage(text: string, hints: SongHints = {}): SongAsk {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const first = lines.findIndex(isSectionLine);
  if (first < 0) {
    const description = text.trim();
    return { mode: 'description', description, instrumental: hints.instrumental ?? instrumentalHint(description) };
  }
  let title: string | undefined;
  let style: string | undefined;
  const rest: string[] = [];
  for (const line of lines.slice(0, first)) {
    const t = title === undefined ? labelled(line, TITLE_LABEL) : undefined;
    const s = t === undefined && style === undefined ? labelled(line, STYLE_LABEL) : undefined;
    if (t !== undefined) title = t;
    else if (s !== undefined) style = s;
    else if (line.trim()) rest.push(line.trim());
  }
  const preface = rest.join(' ');
  const tags = hints.tags ?? style ?? (preface || undefined);
  const finalTitle = hints.title ?? title;
  return {
    mode: 'custom',
    lyrics: lines.slice(first).join('\n').trim(),
    ...(finalTitle ? { title: finalTitle } : {}),
    ...(tags ? { tags } : {}),
    // Only the text before the lyrics counts: an [Instrumental] section is not a hint.
    instrumental: hints.instrumental ?? instrumentalHint(lines.slice(0, first).join('\n')),
  };
}

/** `metadata` values as OpenAI apps send them (strings), read leniently. */
export function hintsFromMetadata(meta: Record<string, unknown> | null | undefined): SongHints {
  if (!meta) return {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const bool = (v: unknown): boolean | undefined => {
    if (typeof v === 'boolean') return v;
    if (v === 1 || v === 0) return v === 1;
    const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
    return ['true', '1', 'yes'].includes(s) ? true : ['false', '0', 'no'].includes(s) ? false : undefined;
  };
  const out: SongHints = {};
  const instrumental = bool(meta.instrumental);
  const title = str(meta.title);
  const tags = str(meta.tags) ?? str(meta.style);
  if (instrumental !== undefined) out.instrumental = instrumental;
  if (title) out.title = title;
  if (tags) out.tags = tags;
  return out;
}
