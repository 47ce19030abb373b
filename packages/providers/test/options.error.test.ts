import { providerConfig } from '@refrain/contracts';
import { describe, expect, it } from 'vitest';

// PROVIDERS is checked once at start: a wrong option stops the process with a message naming it.

const base = { name: 'p', base_url: 'https://example.com', api_key: 'k' };
const issues = (v: unknown) => {
  const r = providerConfig.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('provider options', () => {
  it('accepts each dialect’s own options and leaves them unset by default', () => {
    expect(providerConfig.parse({ ...base, dialect: 'native' }).options).toBeUndefined();
    expect(issues({ ...base, dialect: 'native', options: { native_feed: 'path', native_upload: 'clip', native_stems: 'edit', native_upload_extend: 'model_suffix' } })).toEqual([]);
    expect(issues({ ...base, dialect: 'action', options: { action_submit: 'blocking', action_upload: 'upload_generate' }, submit_timeout_s: 300 })).toEqual([]);
  });

  it('refuses an option of another dialect, an unknown option or value, and a timeout out of range', () => {
    expect(issues({ ...base, dialect: 'native', options: { action_submit: 'blocking' } })).toEqual(['options.action_submit: applies to action providers, not to native']);
    expect(issues({ ...base, dialect: 'relay', options: { relay_speed: 'fast' } })[0]).toMatch(/options: Unrecognized key: "relay_speed"/);
    expect(issues({ ...base, dialect: 'gateway', options: { gateway_status: 'poll' } })[0]).toMatch(/^options.gateway_status: /);
    expect(issues({ ...base, dialect: 'action', submit_timeout_s: 0 })[0]).toMatch(/^submit_timeout_s: /);
    expect(issues({ ...base, dialect: 'action', submit_timeout_s: 901 })[0]).toMatch(/^submit_timeout_s: /);
  });
});
