import type { GenerationView } from '@refrain/contracts';
import { exitOnStartFailure, startRefrain } from '@refrain/bootstrap';
import { demoEnv } from './env';

// The main job, shown end to end: boot the embedded default, submit generate → extend →
// concat, print its progress as it happens, then the finished clips. Exits 0 on success.
const running = await startRefrain(demoEnv, ['api', 'worker', 'hooks']).catch(exitOnStartFailure);
const out = (s: string) => process.stdout.write(s + '\n');
const api = async <T = GenerationView>(path: string, init: RequestInit = {}): Promise<T> => {
  const res = await fetch(`${running.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${running.apiKey}`, 'content-type': 'application/json' },
  });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};

let code = 1;
try {
  out(`Refrain demo at ${running.url} (providers: ${running.providers.map((p) => p.name).join(', ')})`);
  for (const note of running.notes) out(`  note: ${note}`);
  const earlier = (await api<{ data: GenerationView[] }>('/v1/generations?limit=100')).data;
  if (earlier.length > 0) out(`this DATA_DIR already holds ${earlier.length} generation(s), the newest ${earlier[0]!.id} (${earlier[0]!.status})`);
  let g = await api('/v1/generations', {
    method: 'POST',
    body: JSON.stringify({
      scenario: 'extend_full',
      input: { gpt_description_prompt: 'an upbeat synth-pop song about a night drive', continue_at: 20 },
    }),
  });
  out(`submitted ${g.id}: ${g.steps.map((s) => s.op).join(' → ')}`);
  const seen = new Set<string>();
  const started = Date.now();
  const show = (view: GenerationView) => {
    for (const line of describe(view)) {
      if (seen.has(line)) continue;
      seen.add(line);
      out(line);
    }
  };
  while (!['succeeded', 'failed', 'canceled'].includes(g.status) && Date.now() - started < 120_000) {
    show(g);
    await new Promise((r) => setTimeout(r, 250));
    g = await api(`/v1/generations/${g.id}`);
  }
  show(g);
  out(`\ngeneration ${g.id} ${g.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (g.status === 'succeeded') {
    const finalStep = g.steps[g.steps.length - 1]!.index;
    for (const c of g.clips) {
      const tag = c.step === finalStep ? '★ ' : '  ';
      out(`${tag}step ${c.step} ${c.title ?? '(untitled)'} — ${c.duration ?? '?'} s — ${c.audio_url}`);
    }
    const res = await fetch(g.clips.at(-1)!.audio_url!);
    out(`final audio: ${res.headers.get('content-type')}, ${(await res.arrayBuffer()).byteLength} bytes`);
    code = 0;
  } else {
    out(`error: ${JSON.stringify(g.error)}`);
  }
} catch (err) {
  out(`demo failed: ${(err as Error).message}`);
} finally {
  await running.stop();
  process.exit(code);
}

function describe(g: GenerationView): string[] {
  return [
    `  generation ${g.status}`,
    ...g.steps.map((s) => `  step ${s.index} ${s.op}: ${s.status}${s.upstream_task_id ? ` (task ${s.upstream_task_id.slice(0, 8)})` : ''}`),
    ...g.clips.map((c) => `    clip ${c.id.slice(0, 8)} (step ${c.step}): ${c.status}`),
  ];
}
