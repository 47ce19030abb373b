import { useState } from 'preact/hooks';
import type { Client } from '../api';
import { LIMITS } from '../limits';
import { explainProblem } from '../problem';
import { lyricsRequest } from '../requests';
import { isFinal, type GenerationView } from '../types';
import { TextField } from './fields';

/** Longest single wait per long-poll; the loop goes on until the lyrics step is final. */
const WAIT_S = 20;

/** "Write lyrics for me": a generation with one `lyrics` step, followed by long-poll until it is done. */
export function LyricsHelper({ client, provider, onLyrics }: { client: Client; provider: string; onLyrics: (text: string, title: string) => void }) {
  const [idea, setIdea] = useState('');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const write = async () => {
    setBusy(true);
    setError(undefined);
    setStatus('Writing lyrics…');
    try {
      let g = await client.json<GenerationView>('/v1/generations', { body: lyricsRequest(idea, provider).body });
      while (!isFinal(g.status)) g = await client.json<GenerationView>(`/v1/generations/${g.id}?wait=${WAIT_S}`);
      const lyrics = g.output?.lyrics ?? g.steps[0]?.lyrics ?? null;
      if (g.status !== 'succeeded' || !lyrics) {
        setStatus('');
        setError(`The lyrics could not be written: ${g.error?.message ?? g.status}`);
      } else {
        onLyrics(lyrics.text, lyrics.title);
        setStatus(`Lyrics written${lyrics.title ? `: “${lyrics.title}”` : ''}. Edit them as you like.`);
      }
    } catch (x) {
      setStatus('');
      const e = explainProblem(x, ['idea'], { prompt: 'idea' });
      setError(e.fields.idea ?? e.general ?? 'The lyrics could not be written.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="helper">
      <TextField id="song-idea" label="Idea for lyrics" limit={LIMITS.description} value={idea} onValue={setIdea} error={error} placeholder="a lighthouse keeper's last night" />
      <button type="button" onClick={write} disabled={busy || !idea.trim()}>
        {busy ? 'Writing…' : 'Write lyrics for me'}
      </button>
      <p class="help" role="status">{status}</p>
    </div>
  );
}
