import { checkUrl } from '@refrain/core';
import type { ApiDeps } from '../../deps';
import { problem } from '../../http/problem';
import { outboundGuardOptions } from '../../http/outbound-url-guard';

/**
 * URLs of a door request that something will fetch or post to on the client's behalf
 * (`notify_hook`, `callback_url`, `audio_url`, `url`) pass the same guard as a generation's
 * `callback_url` and `audio_url` (docs/api.md "The URL guard"); callbacks are checked again
 * at delivery time. Refused → 400 naming the field.
 */
export async function guardDoorUrls(deps: ApiDeps, urls: readonly { field: string; url: string | null | undefined }[]): Promise<void> {
  const opts = outboundGuardOptions(deps);
  for (const { field, url } of urls) {
    if (!url) continue;
    if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) throw problem(400, `${field}: must be an http(s) URL`);
    if (url.length > 2048) throw problem(400, `${field}: at most 2048 characters`);
    const verdict = await checkUrl(url, opts);
    if (!verdict.allowed) throw problem(400, `${field} is not allowed: ${verdict.reason}`, { code: 'forbidden_url' });
  }
}
