import { z } from 'zod';
import type { oas31, ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { API_KEY_SECURITY, problems, RATE_LIMIT, REQUEST_ID, textHeader, V1_ERRORS } from './shared';

const params = z.object({
  id: z.string().max(200).meta({ description: 'The generation id (`gen_…`).' }),
  clip: z.string().max(200).meta({ description: 'A clip id of that generation (`clips[].id`).' }),
});

const binary = (types: string[]): Record<string, oas31.MediaTypeObject> =>
  Object.fromEntries(types.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }]));

const MEDIA_HEADERS = {
  ...REQUEST_ID,
  ...RATE_LIMIT,
  'Content-Security-Policy': textHeader("`default-src 'none'; …; sandbox`: the file is never run as a page."),
};

function mediaOperation(kind: 'audio' | 'image'): ZodOpenApiOperationObject {
  const audio = kind === 'audio';
  return {
    operationId: audio ? 'clipAudio' : 'clipImage',
    tags: ['generations'],
    summary: audio ? "A clip's audio, through Refrain" : "A clip's cover image, through Refrain",
    description: [
      `The bytes at the clip's \`${audio ? 'audio_url' : 'image_url'}\`, streamed through Refrain with the provider's content type, so a page on this origin can play and show clips without reaching another origin.`,
      'Fetched from the provider\'s own origin, or from any https URL to a public address (the URL guard); up to three redirects, each checked.',
      audio ? '`Range` is passed on (206 with `Content-Range`).' : '',
    ].join(' '),
    security: API_KEY_SECURITY,
    requestParams: { path: params, ...(audio ? { header: z.object({ Range: z.string().max(100).optional().meta({ description: 'A byte range, passed to the provider.' }) }) } : {}) },
    responses: {
      '200': { description: `The ${kind}.`, headers: MEDIA_HEADERS, content: binary(audio ? ['audio/mpeg', 'audio/wav'] : ['image/jpeg', 'image/png', 'image/svg+xml']) },
      ...(audio ? { '206': { description: 'The requested range of the audio.', headers: { ...MEDIA_HEADERS, 'Content-Range': textHeader('`bytes start-end/size`.') }, content: binary(['audio/mpeg', 'audio/wav']) } } : {}),
      ...problems(404, 502),
      ...V1_ERRORS,
    },
  };
}

export const mediaPaths: ZodOpenApiPathsObject = {
  '/v1/generations/{id}/clips/{clip}/audio': { get: mediaOperation('audio') },
  '/v1/generations/{id}/clips/{clip}/image': { get: mediaOperation('image') },
};
