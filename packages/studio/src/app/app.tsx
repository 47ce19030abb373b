import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, createClient } from './api';
import { forgetKey, loadKey, saveKey } from './session';
import type { GenerationView, ProviderInfo } from './types';
import { GenerationPanel } from './components/generation-panel';
import { Header } from './components/header';
import { KeyPanel } from './components/key-panel';
import { SongForm } from './components/song-form';
import { SongList } from './components/song-list';

/** `#/songs/<id>` opens a generation; the hash survives a reload, so following resumes. */
const openFromHash = (): string | null => {
  const m = /^#\/songs\/([\w-]{1,200})$/.exec(location.hash);
  return m ? m[1]! : null;
};

export function App() {
  const [key, setKey] = useState(loadKey());
  const [providers, setProviders] = useState<ProviderInfo[] | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(openFromHash());
  const [bump, setBump] = useState(0);
  const client = useMemo(() => (key ? createClient(key) : null), [key]);

  useEffect(() => {
    const onHash = () => setOpenId(openFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);

  // A remembered key is checked again; providers come with the answer.
  useEffect(() => {
    if (!client || providers) return;
    client.json<{ data: ProviderInfo[] }>('/v1/providers').then(
      (r) => setProviders(r.data),
      (err) => {
        if (err instanceof ApiError && err.status === 401) {
          forgetKey();
          setKey('');
          setNote('The saved key is no longer accepted. Enter a key again.');
        } else setNote(`The server could not be reached: ${(err as Error).message}`);
      },
    );
  }, [client, providers]);

  const created = (g: GenerationView) => {
    setBump((b) => b + 1);
    location.hash = `#/songs/${g.id}`;
  };

  const ready = client && providers;
  return (
    <>
      <Header
        keyHint={key ? `${key.slice(0, 6)}…` : null}
        onForget={() => {
          forgetKey();
          setKey('');
          setProviders(null);
          setNote(null);
        }}
      />
      <main id="main" class={ready ? 'shell studio' : 'shell'} tabIndex={-1}>
        {!ready ? (
          key && !note ? (
            <p class="loading">Checking the key…</p>
          ) : (
            <KeyPanel
              note={note}
              onKey={(k, remember, list) => {
                saveKey(k, remember);
                setNote(null);
                setProviders(list);
                setKey(k);
              }}
            />
          )
        ) : (
          <>
            <div class="col-make">
              <SongForm client={client} providers={providers} onCreated={created} />
            </div>
            <div class="col-song">
              {openId ? (
                <GenerationPanel key={openId} client={client} id={openId} providers={providers} onCreated={created} />
              ) : (
                <section class="card empty-song" aria-labelledby="gen-heading">
                  <h2 id="gen-heading">Your song appears here</h2>
                  <p>Make one with the form, or open one from your songs. Its steps show live as the provider works, then you can listen, download, and carry on from any clip.</p>
                </section>
              )}
            </div>
            <div class="col-list">
              <SongList client={client} openId={openId} bump={bump} />
            </div>
          </>
        )}
      </main>
    </>
  );
}
