import { useState } from 'preact/hooks';
import { ApiError, createClient } from '../api';
import { rememberedOnDevice } from '../session';
import type { ProviderInfo } from '../types';
import { Check, TextField } from './fields';

/** Asks for an API key and checks it with GET /v1/providers, which the form needs anyway. */
export function KeyPanel({ onKey, note }: { onKey: (key: string, remember: boolean, providers: ProviderInfo[]) => void; note: string | null }) {
  const [key, setKey] = useState('');
  const [remember, setRemember] = useState(rememberedOnDevice());
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const k = key.trim();
    if (!k) return setError('Enter the API key you were given (it starts with rk_, or is the development key pnpm start printed).');
    setBusy(true);
    try {
      const { data } = await createClient(k).json<{ data: ProviderInfo[] }>('/v1/providers');
      setError(undefined);
      onKey(k, remember, data);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That key was not accepted.' : `The key could not be checked: ${(err as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card key-card" aria-labelledby="key-heading">
      <h2 id="key-heading">Your API key</h2>
      <p>Refrain makes songs for the holder of an API key. The key is sent only to this server, as <code>Authorization: Bearer</code>.</p>
      {note ? <p class="note" role="status">{note}</p> : null}
      <form onSubmit={submit} noValidate>
        <TextField id="api-key" label="API key" type="password" autoComplete="off" value={key} onValue={setKey} error={error} />
        <Check id="remember" label="Remember the key on this device" checked={remember} onValue={setRemember} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Use this key'}
        </button>
      </form>
    </section>
  );
}
