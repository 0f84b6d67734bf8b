import { z } from 'zod';
import type { ApiOperation, ApiResponse } from './api-operation.js';

type Json = Record<string, unknown>;

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request (OpenAI error shape; `param` names the field)',
  401: 'Missing or wrong API key, or an unsigned/expired URL',
  403: 'Outside the caller’s tenant root, or a tampered/expired signature',
  404: 'Not found',
  409: 'Conflict with the resource’s state',
  410: 'Gone (deleted)',
  411: 'Content-Length required',
  426: 'Upgrade required (a WebSocket route)',
  413: 'Too large (body, fields or audio length)',
  415: 'Not audio or video',
  416: 'Range not satisfiable',
  429: 'Too many requests (per-key GPU concurrency); see Retry-After',
  500: 'Server misconfigured (names the setting) or internal error',
  503: 'GPU service or storage unavailable; see Retry-After',
  504: 'The request’s time budget ran out',
};

/**
 * Zod → JSON Schema 2020-12 (OpenAPI 3.1's dialect). Schemas with a meta `id` become shared
 * components; a request's (input) form of a component that differs from its response (output) form
 * gets its own `…Input` name.
 */
class SchemaConverter {
  readonly components: Record<string, Json> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): Json {
    const converted = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as Json;
    delete converted.$schema;
    const defs = (converted.$defs ?? {}) as Record<string, Json>;
    delete converted.$defs;
    const names: Record<string, string> = {};
    for (const [id, def] of Object.entries(defs)) names[id] = this.register(id, def, io, defs);
    return rewriteRefs(converted, names) as Json;
  }

  private register(id: string, def: Json, io: 'input' | 'output', defs: Record<string, Json>): string {
    for (const name of io === 'input' ? [id, `${id}Input`] : [id, `${id}Output`]) {
      const existing = this.components[name];
      const candidate = rewriteRefs(def, Object.fromEntries(Object.keys(defs).map((k) => [k, k]))) as Json;
      if (!existing) {
        this.components[name] = candidate;
        return name;
      }
      if (JSON.stringify(existing) === JSON.stringify(candidate)) return name;
    }
    throw new Error(`two different schemas share the OpenAPI component id '${id}'`);
  }
}

function rewriteRefs(value: unknown, names: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, names));
  if (typeof value !== 'object' || value === null) return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string' && child.startsWith('#/$defs/')) {
      const id = child.slice('#/$defs/'.length);
      out.$ref = `#/components/schemas/${names[id] ?? id}`;
    } else out[key] = rewriteRefs(child, names);
  }
  return out;
}

function parameters(converter: SchemaConverter, op: ApiOperation): Json[] {
  const out: Json[] = [];
  for (const where of ['path', 'query', 'header'] as const) {
    const object = op.params?.[where];
    if (!object) continue;
    for (const [name, schema] of Object.entries(object.shape as Record<string, z.ZodType>)) {
      const json = converter.convert(schema, 'input');
      const { description, ...rest } = json;
      out.push({
        name,
        in: where,
        required: where === 'path' || !schema.safeParse(undefined).success,
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return out;
}

function response(converter: SchemaConverter, r: ApiResponse): Json {
  return {
    description: r.description,
    ...(r.headers
      ? {
          headers: Object.fromEntries(
            Object.entries(r.headers).map(([name, h]) => [
              name,
              {
                description: h.description,
                schema: h.schema ? converter.convert(h.schema, 'output') : { type: 'string' },
              },
            ]),
          ),
        }
      : {}),
    ...(r.content
      ? {
          content: Object.fromEntries(
            Object.entries(r.content).map(([type, schema]) => [
              type,
              { schema: converter.convert(schema, 'output') },
            ]),
          ),
        }
      : {}),
  };
}

export interface DocumentOptions {
  title: string;
  version: string;
  description: string;
  /** Named callbacks the service sends (OpenAPI 3.1 `webhooks`). */
  webhooks?: Record<string, { summary: string; description: string; body: z.ZodType; headers?: z.ZodObject }>;
  /** Components every error response points at (OpenAI's error body). */
  errorBody: z.ZodType;
}

const REQUEST_ID = {
  description:
    'The request’s id: the caller’s `x-request-id` when it is 1–128 of `A-Z a-z 0-9 . _ : = -`, else a generated `req_…`',
  schema: { type: 'string' },
};

/** The OpenAPI 3.1 document for these operations. */
export function openApiDocument(operations: ApiOperation[], options: DocumentOptions): Json {
  const converter = new SchemaConverter();
  // The error body has the meta id `ErrorBody`: converting it registers that component.
  const errorRef = converter.convert(options.errorBody, 'output');
  const paths: Record<string, Json> = {};
  for (const op of operations) {
    paths[op.path] ??= {};
    const item = paths[op.path]!;
    if (item[op.method]) throw new Error(`${op.method.toUpperCase()} ${op.path} is described twice`);
    const responses: Json = {};
    for (const [status, r] of Object.entries(op.responses)) {
      const built = response(converter, r);
      built.headers = { 'x-request-id': REQUEST_ID, ...(built.headers as Json | undefined) };
      responses[status] = built;
    }
    for (const status of op.errors ?? []) {
      responses[String(status)] = {
        description: ERROR_TEXT[status] ?? 'Error',
        headers: { 'x-request-id': REQUEST_ID },
        content: { 'application/json': { schema: errorRef } },
      };
    }
    const params = parameters(converter, op);
    item[op.method] = {
      operationId: op.operationId,
      tags: op.tags,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      parameters: [
        {
          name: 'x-request-id',
          in: 'header',
          required: false,
          description: 'Your own id for this request (echoed back, logged, passed to its job and webhook)',
          schema: { type: 'string', maxLength: 128, pattern: '^[A-Za-z0-9._:=-]+$' },
        },
        ...params,
      ],
      ...(op.body
        ? {
            requestBody: {
              required: op.body.required ?? true,
              ...(op.body.description ? { description: op.body.description } : {}),
              content: Object.fromEntries(
                Object.entries(op.body.content).map(([type, schema]) => [
                  type,
                  { schema: converter.convert(schema, 'input') },
                ]),
              ),
            },
          }
        : {}),
      responses,
      security: op.auth === 'none' || op.auth === 'signedUrl' ? [] : [{ apiKey: [] }, {}],
    };
  }
  const webhooks = Object.fromEntries(
    Object.entries(options.webhooks ?? {}).map(([name, hook]) => [
      name,
      {
        post: {
          summary: hook.summary,
          description: hook.description,
          ...(hook.headers
            ? {
                parameters: Object.entries(hook.headers.shape as Record<string, z.ZodType>).map(
                  ([header, schema]) => {
                    const { description, ...rest } = converter.convert(schema, 'output');
                    return { name: header, in: 'header', required: true, description, schema: rest };
                  },
                ),
              }
            : {}),
          requestBody: {
            required: true,
            content: { 'application/json': { schema: converter.convert(hook.body, 'output') } },
          },
          responses: { '2XX': { description: 'Delivered' } },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.1',
    info: { title: options.title, version: options.version, description: options.description },
    paths,
    webhooks,
    components: {
      schemas: converter.components,
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'One of the API_KEYS, when the deployment sets them (else every route is open)',
        },
      },
    },
  };
}
