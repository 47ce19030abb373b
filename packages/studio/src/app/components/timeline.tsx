import { describeEvent, type TimelineStep } from '../timeline';
import { shortId, span, timeOf } from '../format';

const STATUS_WORDS: Record<string, string> = {
  pending: 'waiting for its turn',
  submitting: 'sending to the provider',
  waiting: 'the provider is working',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
};

/** The steps of a generation, as the events tell them. */
export function Timeline({ steps, createdAt }: { steps: TimelineStep[]; createdAt: string }) {
  const t0 = Date.parse(createdAt);
  return (
    <ol class="timeline" aria-label="Steps">
      {steps.map((s) => (
        <li key={s.index} class={`tl-step st-${s.status}`} data-status={s.status}>
          <span class="dot" aria-hidden="true" />
          <div class="tl-body">
            <p class="tl-head">
              <span class="tl-name">
                Step {s.index + 1}: {s.op.replace('_', ' ')}
              </span>
              <span class={`badge st-${s.status}`}>{s.status}</span>
            </p>
            <p class="tl-meta">
              {STATUS_WORDS[s.status] ?? s.status} · {s.provider}
              {s.startedAt ? ` · started ${timeOf(s.startedAt)}` : ''}
              {s.elapsedMs !== null ? ` · ${s.finishedAt ? 'took' : 'running for'} ${span(s.elapsedMs)}` : ''}
            </p>
            {s.error ? (
              <p class="tl-error">
                <strong>{s.error.code.replace(/_/g, ' ')}:</strong> {s.error.message}
              </p>
            ) : null}
            {s.clips.length ? (
              <p class="tl-clips">
                {s.clips.map((c) => (
                  <span key={c.id} class={`chip cl-${c.status}`}>
                    clip {shortId(c.id)}: {c.status}
                  </span>
                ))}
              </p>
            ) : null}
            {s.events.length ? (
              <details class="tl-events">
                <summary>{s.events.length} live update{s.events.length === 1 ? '' : 's'}</summary>
                <ul>
                  {s.events.map((e) => (
                    <li key={e.id}>
                      <span class="mono">+{span(Math.max(0, e.at - t0))}</span> {describeEvent(e)}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
