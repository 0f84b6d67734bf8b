import type { z } from 'zod';

export type HttpMethod = 'get' | 'head' | 'post' | 'put' | 'patch' | 'delete';

export interface ApiResponse {
  description: string;
  /** Media type → the zod schema of the body (the one the handler's answer is typed by). */
  content?: Record<string, z.ZodType>;
  headers?: Record<string, { description: string; schema?: z.ZodType }>;
}

/**
 * One route as the OpenAPI document describes it, written next to its handler from the zod schemas
 * the handler validates with and answers in, so the description cannot drift from the code unnoticed
 * (the OpenAPI tests check every Hono route is described and real answers match).
 */
export interface ApiOperation {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/v1/jobs/{id}`. */
  path: string;
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  /** `apiKey`: Bearer key when API_KEYS is set (the default); `none`: open; `signedUrl`: the URL's own signature. */
  auth?: 'apiKey' | 'none' | 'signedUrl';
  params?: { path?: z.ZodObject; query?: z.ZodObject; header?: z.ZodObject };
  body?: { required?: boolean; description?: string; content: Record<string, z.ZodType> };
  responses: Record<number, ApiResponse>;
  /** Statuses answered with OpenAI's error body (the `ErrorBody` component). */
  errors?: number[];
}
