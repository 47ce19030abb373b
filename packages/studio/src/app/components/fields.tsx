import type { ComponentChildren } from 'preact';

interface Common {
  /** The element id; the error and help elements are `${id}-error` and `${id}-help`. */
  id: string;
  label: string;
  error?: string | undefined;
  help?: ComponentChildren;
  /** Shows "n / limit" under the field; over the limit it is marked, and the API will say why. */
  limit?: number;
}

function describedBy(c: Common, count: boolean): string | undefined {
  const ids = [c.help ? `${c.id}-help` : '', count ? `${c.id}-count` : '', c.error ? `${c.id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Below({ c, length }: { c: Common; length: number | null }) {
  const over = c.limit !== undefined && length !== null && length > c.limit;
  return (
    <>
      {c.help || (c.limit !== undefined && length !== null) ? (
        <div class="field-foot">
          {c.help ? <span id={`${c.id}-help`} class="help">{c.help}</span> : <span />}
          {c.limit !== undefined && length !== null ? (
            <span id={`${c.id}-count`} class={over ? 'count over' : 'count'}>
              {length} / {c.limit}
            </span>
          ) : null}
        </div>
      ) : null}
      {c.error ? (
        <p id={`${c.id}-error`} class="field-error">
          {c.error}
        </p>
      ) : null}
    </>
  );
}

export function TextField(p: Common & { value: string; onValue: (v: string) => void; type?: 'text' | 'url' | 'password'; placeholder?: string; autoComplete?: string }) {
  return (
    <div class={p.error ? 'field invalid' : 'field'}>
      <label for={p.id}>{p.label}</label>
      <input
        id={p.id}
        // Preact types `type` as a union per role; all three kinds here take the same attributes.
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        placeholder={p.placeholder}
        autoComplete={p.autoComplete ?? 'off'}
        spellcheck={p.type === 'password' ? false : undefined}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p, p.limit !== undefined)}
        onInput={(e) => p.onValue((e.currentTarget as HTMLInputElement).value)}
      />
      <Below c={p} length={p.limit !== undefined ? p.value.length : null} />
    </div>
  );
}

export function TextArea(p: Common & { value: string; onValue: (v: string) => void; rows?: number; placeholder?: string; disabled?: boolean }) {
  return (
    <div class={p.error ? 'field invalid' : 'field'}>
      <label for={p.id}>{p.label}</label>
      <textarea
        id={p.id}
        rows={p.rows ?? 4}
        value={p.value}
        placeholder={p.placeholder}
        disabled={p.disabled}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={describedBy(p, p.limit !== undefined)}
        onInput={(e) => p.onValue((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <Below c={p} length={p.limit !== undefined ? p.value.length : null} />
    </div>
  );
}

export function NumberField(p: Common & { value: string; onValue: (v: string) => void; min?: number; max?: number; step?: number; unit?: string }) {
  return (
    <div class={p.error ? 'field invalid' : 'field'}>
      <label for={p.id}>{p.label}</label>
      <div class="with-unit">
        <input
          id={p.id}
          type="number"
          inputMode="decimal"
          value={p.value}
          min={p.min}
          max={p.max}
          step={p.step ?? 1}
          aria-invalid={p.error ? 'true' : undefined}
          aria-describedby={describedBy(p, false)}
          onInput={(e) => p.onValue((e.currentTarget as HTMLInputElement).value)}
        />
        {p.unit ? <span class="unit" aria-hidden="true">{p.unit}</span> : null}
      </div>
      <Below c={p} length={null} />
    </div>
  );
}

export function SelectField(p: Common & { value: string; onValue: (v: string) => void; options: { value: string; label: string; disabled?: boolean }[] }) {
  return (
    <div class={p.error ? 'field invalid' : 'field'}>
      <label for={p.id}>{p.label}</label>
      <select id={p.id} value={p.value} aria-invalid={p.error ? 'true' : undefined} aria-describedby={describedBy(p, false)} onChange={(e) => p.onValue((e.currentTarget as HTMLSelectElement).value)}>
        {p.options.map((o) => (
          <option key={o.value} value={o.value} disabled={o.disabled}>
            {o.label}
          </option>
        ))}
      </select>
      <Below c={p} length={null} />
    </div>
  );
}

export function Check(p: { id: string; label: string; checked: boolean; onValue: (v: boolean) => void; error?: string | undefined }) {
  return (
    <div class="field check">
      <input id={p.id} type="checkbox" checked={p.checked} aria-describedby={p.error ? `${p.id}-error` : undefined} onChange={(e) => p.onValue((e.currentTarget as HTMLInputElement).checked)} />
      <label for={p.id}>{p.label}</label>
      {p.error ? <p id={`${p.id}-error`} class="field-error">{p.error}</p> : null}
    </div>
  );
}

/** The form-level message: what fits no field, announced at once. */
export function FormAlert({ message }: { message: string | null }) {
  return (
    <p class={message ? 'form-alert' : 'form-alert empty'} role="alert">
      {message ?? ''}
    </p>
  );
}
