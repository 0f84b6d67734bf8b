import { Validator } from '@cfworker/json-schema';

/**
 * Checks real HTTP answers against an OpenAPI 3.1 document: the operation must exist for the
 * request's method and path, the status must be described, and a JSON body must validate against the
 * described schema (JSON Schema 2020-12, with @cfworker/json-schema, which runs in workerd and Node).
 * Returns what is wrong, or an empty list.
 */
type Json = Record<string, unknown>;

export interface OpenApiDocument {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json> };
}

/**
 * Hono's routing, approximately: `{key}` (the wildcard routes' object keys) may hold `/` and be empty
 * (`/v1/uploads/` reaches the delete route, which refuses the empty key); other parameters are one
 * segment, unless no template matches that way (hub model ids hold `/`). The most literal match wins.
 */
function templateMatches(template: string, path: string, loose: boolean): boolean {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part, i) => {
      if (i % 2 === 0) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      if (part === '{key}') return '(.*)';
      return loose ? '(.+)' : '([^/]+)';
    })
    .join('');
  return new RegExp(`^${pattern}$`).test(path);
}

const literalLength = (template: string) => template.replace(/\{[^}]+\}/g, '').length;

/** The document's template for a concrete path: the most literal one that matches. */
export function pathTemplate(doc: OpenApiDocument, path: string): string | undefined {
  for (const loose of [false, true]) {
    const matches = Object.keys(doc.paths).filter((t) => templateMatches(t, path, loose));
    if (matches.length > 0) return matches.sort((a, b) => literalLength(b) - literalLength(a))[0];
  }
  return undefined;
}

function withLocalRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withLocalRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === '$ref' && typeof v === 'string'
        ? v.replace('#/components/schemas/', '#/$defs/')
        : withLocalRefs(v),
    ]),
  );
}

export function responseSchema(
  doc: OpenApiDocument,
  method: string,
  path: string,
  status: number,
  contentType: string,
): { schema?: Json; problem?: string } {
  const template = pathTemplate(doc, path);
  if (!template) return { problem: `no path of the document matches ${path}` };
  const operation = doc.paths[template]![method.toLowerCase()];
  if (!operation) return { problem: `${method} ${template} is not described` };
  const responses = operation.responses as Record<string, Json>;
  const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
  if (!response) return { problem: `${method} ${template} does not describe status ${status}` };
  const content = response.content as Record<string, { schema: Json }> | undefined;
  if (!content) return {};
  const type = contentType.split(';')[0]!.trim();
  const media = content[type];
  if (!media) {
    return {
      problem: `${method} ${template} ${status} does not describe ${type} (has ${Object.keys(content)})`,
    };
  }
  return { schema: media.schema };
}

/** Validates one answer; the body is read from a clone, so the caller can still read it. */
export async function checkAnswer(
  doc: OpenApiDocument,
  method: string,
  url: string,
  response: Response,
): Promise<string[]> {
  const path = new URL(url).pathname;
  const where = `${method} ${path} → ${response.status}`;
  const { schema, problem } = responseSchema(
    doc,
    method,
    path,
    response.status,
    response.headers.get('content-type') ?? 'application/octet-stream',
  );
  if (problem) return [`${where}: ${problem}`];
  if (!response.headers.get('x-request-id')) return [`${where}: no x-request-id header`];
  const type = response.headers.get('content-type') ?? '';
  if (!schema || !type.includes('json')) return [];
  const body: unknown = await response.clone().json();
  return schemaProblems(doc, schema, body, where);
}

/** Validates a JSON request body against the operation's documented request body. */
export function checkJsonRequest(doc: OpenApiDocument, method: string, url: string, body: unknown): string[] {
  const path = new URL(url).pathname;
  const where = `${method} ${path} request`;
  const template = pathTemplate(doc, path);
  const operation = template ? doc.paths[template]![method.toLowerCase()] : undefined;
  const content = (operation?.requestBody as { content?: Record<string, { schema: Json }> } | undefined)
    ?.content;
  const schema = content?.['application/json']?.schema;
  if (!schema) return [`${where}: no JSON request body is described`];
  return schemaProblems(doc, schema, body, where);
}

/** What is wrong with `body` against `schema` (the document's components resolvable), at most eight. */
function schemaProblems(doc: OpenApiDocument, schema: Json, body: unknown, where: string): string[] {
  const root = { ...(withLocalRefs(schema) as Json), $defs: withLocalRefs(doc.components.schemas) as Json };
  const result = new Validator(root, '2020-12', false).validate(body);
  if (result.valid) return [];
  // The leaf errors say what is wrong; the wrappers (anyOf, properties, $ref) only that something is.
  const leaves = result.errors.filter((e) => !['anyOf', 'properties', '$ref'].includes(e.keyword));
  return (leaves.length > 0 ? leaves : result.errors)
    .slice(0, 8)
    .map((e) => `${where}: ${e.instanceLocation} ${e.error}`);
}
