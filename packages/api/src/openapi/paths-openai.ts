import { z } from 'zod';
import { chatCompletionRequest, openAiErrorBody, openAiModel } from '@refrain/contracts';
import type { ZodOpenApiResponsesObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { API_KEY_SECURITY, RATE_LIMIT, REQUEST_ID, v1Json } from './shared';

/** This door answers errors in OpenAI's shape, so OpenAI clients raise their usual exceptions. */
const openAiErrors = (...statuses: number[]): ZodOpenApiResponsesObject =>
  Object.fromEntries(
    statuses.map((s) => [String(s), { description: `OpenAI-format error (${s}).`, headers: { ...REQUEST_ID, ...RATE_LIMIT }, content: { 'application/json': { schema: openAiErrorBody } } }]),
  ) as ZodOpenApiResponsesObject;

export const openAiPaths: ZodOpenApiPathsObject = {
  '/v1/chat/completions': {
    post: {
      operationId: 'chatCompletion',
      tags: ['openai'],
      summary: 'A song through the OpenAI chat-completions format',
      description:
        'The last user message describes the song; `model` is a chat model alias of the provider (GET /v1/models). Behind it is an ordinary generation. Unlike the rest of the API, unknown fields are ignored here, because OpenAI clients send options Refrain has no use for.',
      security: API_KEY_SECURITY,
      requestBody: { required: true, content: { 'application/json': { schema: chatCompletionRequest } } },
      responses: {
        '200': {
          description: 'A chat completion (`stream: false`), or chunks as server-sent events (`stream: true`).',
          headers: REQUEST_ID,
          content: {
            'application/json': { schema: { type: 'object', description: 'An OpenAI `chat.completion` object.' } },
            'text/event-stream': { schema: { type: 'string' } },
          },
        },
        ...openAiErrors(400, 401, 404, 409, 413, 422, 429, 500, 503, 504),
      },
    },
  },
  '/v1/models': {
    get: {
      operationId: 'listChatModels',
      tags: ['openai'],
      summary: 'Chat model aliases (OpenAI format)',
      security: API_KEY_SECURITY,
      responses: {
        '200': v1Json('The models.', z.object({ object: z.literal('list'), data: z.array(openAiModel) })),
        ...openAiErrors(401, 429, 500),
      },
    },
  },
  '/v1/models/{id}': {
    get: {
      operationId: 'getChatModel',
      tags: ['openai'],
      summary: 'One chat model alias',
      security: API_KEY_SECURITY,
      requestParams: { path: z.object({ id: z.string().max(128) }) },
      responses: { '200': v1Json('The model.', openAiModel), ...openAiErrors(401, 404, 429, 500) },
    },
  },
};
