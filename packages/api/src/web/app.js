// The listening page: plain DOM, no framework. Every value from the API goes in as text
// (textContent), never as HTML. EventSource cannot send an Authorization header, so live
// progress reads the SSE endpoint with fetch; without it, it long-polls `?wait=`.

const FINAL = ['succeeded', 'failed', 'canceled'];
const STEP_PROGRESS = { pending: 0, submitting: 15, waiting: 50, succeeded: 100, failed: 100, canceled: 100 };
const $ = (id) => document.getElementById(id);
let apiKey = '';

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('aria-') || k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

async function api(path, init = {}) {
  const res = await fetch(path, {
    ...init,
    headers: { authorization: `Bearer ${apiKey}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
  });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = new Error((body && (body.detail || body.title)) || `HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return body;
}

function describe(g) {
  const d = g.metadata && typeof g.metadata.description === 'string' ? g.metadata.description : '';
  const titled = g.clips.find((c) => c.title);
  return d || (titled && titled.title) || `Generation ${g.id}`;
}

function stepItem(g, s) {
  const streaming = g.clips.some((c) => c.step === s.index && c.status === 'streaming');
  const value = s.status === 'waiting' && streaming ? 75 : STEP_PROGRESS[s.status] ?? 0;
  const label = `Step ${s.index + 1}, ${s.op}: ${s.status}`;
  return el(
    'li',
    { class: `step step-${s.status}`, 'data-status': s.status },
    el('progress', { max: 100, value, 'aria-label': label }),
    el('span', { text: `${s.op} — ${s.status}` }),
    s.error ? el('span', { class: 'error', text: ` (${s.error.message})` }) : null,
  );
}

function clipFigure(c) {
  const caption = [c.title || 'Untitled', `step ${c.step + 1}`, c.duration ? `${Math.round(c.duration)} s` : '', c.status]
    .filter(Boolean)
    .join(' · ');
  const audio = el('audio', { controls: true, preload: 'none', src: c.audio_url });
  audio.setAttribute('aria-label', `Play ${c.title || 'clip'} (step ${c.step + 1})`);
  return el('figure', { class: 'clip', 'data-clip': c.id }, el('figcaption', { text: caption }), audio);
}

function renderGeneration(g) {
  const playable = g.clips.filter((c) => c.audio_url && (c.status === 'complete' || c.status === 'streaming'));
  return el(
    'li',
    { class: 'generation', 'data-id': g.id, 'data-status': g.status },
    el('h3', { text: describe(g) }),
    el(
      'p',
      {},
      el('span', { class: `status status-${g.status}`, text: g.status }),
      el('span', { text: ` · ${new Date(g.created_at).toLocaleString()} · ` }),
      el('code', { text: g.id }),
    ),
    el('ol', { class: 'steps', 'aria-label': 'Steps' }, ...g.steps.map((s) => stepItem(g, s))),
    g.error ? el('p', { class: 'error', text: g.error.message }) : null,
    playable.length ? el('div', { class: 'clips' }, ...playable.map(clipFigure)) : null,
  );
}

function showProgress(g) {
  $('progress-section').hidden = false;
  const box = el('ol', { class: 'generations' }, renderGeneration(g));
  $('progress').replaceChildren(box);
}

async function loadRecent() {
  if (!apiKey) return;
  $('recent-status').textContent = 'Loading…';
  try {
    const list = await api('/v1/generations?limit=10');
    $('recent').replaceChildren(...list.data.map(renderGeneration));
    $('recent-status').textContent = list.data.length ? `${list.data.length} recent generation${list.data.length === 1 ? '' : 's'}.` : 'No generations yet.';
  } catch (err) {
    $('recent-status').textContent = `Could not load the list: ${err.message}`;
  }
}

/** Reads the SSE stream with fetch; calls onEvent per event; resolves false when there is no stream. */
async function readEvents(id, onEvent) {
  const res = await fetch(`/v1/generations/${encodeURIComponent(id)}/events`, {
    headers: { authorization: `Bearer ${apiKey}`, accept: 'text/event-stream' },
  });
  if (!res.ok || !res.body) return false;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return true;
    buf = (buf + value).replace(/\r\n?/g, '\n');
    let cut;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) onEvent(event, data.join('\n'));
    }
  }
}

async function follow(id) {
  let latest = await api(`/v1/generations/${id}`);
  showProgress(latest);
  let pending = null;
  const refresh = () => {
    pending ??= setTimeout(async () => {
      pending = null;
      latest = await api(`/v1/generations/${id}`).catch(() => latest);
      showProgress(latest);
    }, 100);
  };
  try {
    await readEvents(id, refresh);
  } catch {
    // the stream broke: the long-poll below carries on
  }
  // After the stream (or without one): `?wait=` answers at once when final, else within 2 s.
  while (!FINAL.includes(latest.status)) {
    latest = await api(`/v1/generations/${id}?wait=2`);
    showProgress(latest);
  }
  latest = await api(`/v1/generations/${id}`);
  showProgress(latest);
  await loadRecent();
}

function useKey(key, remember) {
  apiKey = key.trim();
  if (remember) localStorage.setItem('refrain.apiKey', apiKey);
  else localStorage.removeItem('refrain.apiKey');
}

function init() {
  const saved = localStorage.getItem('refrain.apiKey');
  if (saved) {
    $('api-key').value = saved;
    $('remember').checked = true;
    useKey(saved, true);
    $('key-status').textContent = 'Using the remembered key.';
    loadRecent();
  }
  $('key-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    useKey($('api-key').value, $('remember').checked);
    try {
      await api('/v1/generations?limit=1');
      $('key-status').textContent = 'Key accepted.';
      await loadRecent();
    } catch (err) {
      $('key-status').textContent = err.status === 401 ? 'That key was not accepted.' : `Could not check the key: ${err.message}`;
    }
  });
  $('song-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('form-error').textContent = '';
    if (!apiKey && $('api-key').value) useKey($('api-key').value, $('remember').checked);
    if (!apiKey) {
      $('form-error').textContent = 'Enter your API key first.';
      $('api-key').focus();
      return;
    }
    const description = $('description').value.trim();
    const button = $('submit');
    button.disabled = true;
    try {
      const g = await api('/v1/generations', {
        method: 'POST',
        body: JSON.stringify({
          steps: [{ op: 'generate', gpt_description_prompt: description, make_instrumental: $('instrumental').checked }],
          metadata: { description, source: 'web' },
        }),
      });
      button.disabled = false;
      await follow(g.id);
    } catch (err) {
      $('form-error').textContent = `The song could not be made: ${err.message}`;
    } finally {
      button.disabled = false;
    }
  });
  $('refresh').addEventListener('click', loadRecent);
}

init();
