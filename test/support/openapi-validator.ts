import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

type Schema = Record<string, unknown>;
interface MediaType {
  schema?: Schema;
}
interface Operation {
  responses: Record<string, { content?: Record<string, MediaType> }>;
  requestBody?: { content: Record<string, MediaType> };
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  webhooks?: Record<string, { post: Operation }>;
  components?: Record<string, unknown>;
}

// ajv-formats is CommonJS; under ESM its function is the default export's default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;

/**
 * Checks real answers against the OpenAPI document the app serves: the status must be
 * documented for the operation, the content type must be one it lists, and the body must
 * match its JSON Schema (2020-12, `$ref`s into the document's components).
 */
export function openApiValidator(doc: OpenApiDoc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const compiled = new Map<Schema, ValidateFunction>();
  const compile = (schema: Schema): ValidateFunction => {
    let v = compiled.get(schema);
    if (!v) {
      v = ajv.compile({ ...schema, components: doc.components });
      compiled.set(schema, v);
    }
    return v;
  };
  const templates = Object.keys(doc.paths).map((t) => ({
    template: t,
    re: new RegExp(`^${t.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  const check = (media: MediaType | undefined, body: unknown, where: string): string[] => {
    if (!media?.schema) return [];
    const validate = compile(media.schema);
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${where}: ${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`);
  };

  return {
    /** The problems with one answer; empty when it is what the document says. */
    response(method: string, url: string, status: number, contentType: string | null, body: unknown): string[] {
      const path = url.split('?')[0]!;
      const found = templates.find((t) => t.re.test(path));
      const where = `${method} ${path} → ${status}`;
      if (!found) return [`${where}: path not in the document`];
      const op = doc.paths[found.template]![method.toLowerCase()];
      if (!op) return [`${where}: method not in the document`];
      const response = op.responses[String(status)] ?? op.responses.default;
      if (!response) return [`${where}: status not documented (${Object.keys(op.responses).join(', ')})`];
      if (!response.content) return [];
      const type = (contentType ?? '').split(';')[0]!.trim();
      const media = response.content[type];
      if (!media) return [`${where}: content type ${type} not documented (${Object.keys(response.content).join(', ')})`];
      return type.endsWith('json') ? check(media, body, where) : [];
    },
    /** The problems with an outbound webhook body. */
    webhook(event: string, body: unknown): string[] {
      const media = doc.webhooks?.[event]?.post.requestBody?.content['application/json'];
      return media ? check(media, body, `webhook ${event}`) : [`webhook ${event} not in the document`];
    },
  };
}
