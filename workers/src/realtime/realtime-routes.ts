import { ApiError } from '@whisper-edge/shared';
import { Hono } from 'hono';
import { z } from 'zod';
import { edgeConfig, requireObjectUrlSecret } from '../config.js';
import type { AppEnv } from '../env.js';
import type { ApiOperation } from '../http/openapi/api-operation.js';
import { CLIENT_SECRET_TTL, mintClientSecret } from './client-secrets.js';
import { authenticateRealtime, chosenProtocol } from './realtime-auth.js';
import {
  applySessionConfig,
  DEFAULT_SETTINGS,
  describeSession,
  parseSessionConfig,
} from './session-config.js';
import { SESSION_START_HEADER, type SessionStart } from './session-state.js';

/**
 * Accepts the upgrade only to say why it is refused: a browser cannot read an HTTP status, so the
 * reason comes as an `error` event, then a close with code 1008 (policy) and the reason.
 */
function refuseOverSocket(error: ApiError, protocol: string | undefined): Response {
  const pair = new WebSocketPair();
  const server = pair[1];
  server.accept();
  server.send(
    JSON.stringify({
      type: 'error',
      event_id: `event_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
      error: { ...error.toBody().error, event_id: null },
    }),
  );
  server.close(1008, error.message.slice(0, 120));
  return new Response(null, {
    status: 101,
    webSocket: pair[0],
    ...(protocol ? { headers: { 'sec-websocket-protocol': protocol } } : {}),
  });
}

/**
 * `GET /v1/realtime?intent=transcription`: mounted before the API-key middleware, because a browser
 * carries its credential in the subprotocol (or as a client secret) rather than a header.
 */
export const realtimeUpgradeRoutes = new Hono<AppEnv>().get('/v1/realtime', async (c) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError(
      426,
      'GET /v1/realtime takes a WebSocket upgrade (wss://…/v1/realtime?intent=transcription)',
      {
        code: 'upgrade_required',
      },
    );
  }
  const protocol = chosenProtocol(c.req.raw);
  let start: SessionStart;
  try {
    if (c.req.query('intent') !== 'transcription') {
      throw new ApiError(
        400,
        c.req.query('model')
          ? 'Conversation sessions (?model=) are not offered here: connect with ?intent=transcription'
          : "Missing required parameter: 'intent' (use ?intent=transcription)",
        { code: 'invalid_request', param: 'intent' },
      );
    }
    const caller = await authenticateRealtime(c.env, c.req.raw);
    start = { tenant: caller.tenant, ...(caller.session !== undefined ? { session: caller.session } : {}) };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return refuseOverSocket(error, protocol);
  }
  const namespace = c.env.REALTIME_SESSIONS;
  const stub = namespace.get(namespace.newUniqueId());
  // A fresh request: nothing the client sent reaches the object but the upgrade itself.
  return stub.fetch('https://realtime-session/', {
    headers: {
      upgrade: 'websocket',
      [SESSION_START_HEADER]: JSON.stringify({ ...start, ...(protocol ? { protocol } : {}) }),
    },
  });
});

const clientSecretRequest = z.strictObject({
  expires_after: z
    .strictObject({
      anchor: z.literal('created_at').optional(),
      seconds: z.number().int().min(CLIENT_SECRET_TTL.min).max(CLIENT_SECRET_TTL.max).optional(),
    })
    .optional(),
  session: z.unknown().optional(),
});

/** `POST /v1/realtime/client_secrets`: an API key mints a short-lived secret for one browser. */
export const realtimeSecretRoutes = new Hono<AppEnv>().post('/v1/realtime/client_secrets', async (c) => {
  const body: unknown = await c.req.json().catch(() => {
    throw new ApiError(400, 'The body must be JSON', { code: 'invalid_json' });
  });
  const parsed = clientSecretRequest.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.code === 'unrecognized_keys' ? issue.keys[0]! : issue.path.map(String).join('.');
    throw new ApiError(400, `Invalid '${param}': ${issue.message}`, { code: 'invalid_value', param });
  }
  const { expires_after, session } = parsed.data;
  // Checked now, so a bad configuration is the minting call's 400, not a browser's failed session.
  const settings =
    session === undefined
      ? DEFAULT_SETTINGS
      : applySessionConfig(DEFAULT_SETTINGS, parseSessionConfig(session));
  const expiresAt = Math.floor(Date.now() / 1000) + (expires_after?.seconds ?? CLIENT_SECRET_TTL.default);
  const value = await mintClientSecret(requireObjectUrlSecret(edgeConfig(c.env)), {
    t: c.get('tenant').id,
    e: expiresAt,
    ...(session !== undefined ? { s: session } : {}),
  });
  const described = describeSession(
    `sess_${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`,
    expiresAt,
    settings,
  );
  return c.json({ value, expires_at: expiresAt, session: described });
});

export const realtimeApi: ApiOperation[] = [
  {
    method: 'get',
    path: '/v1/realtime',
    operationId: 'realtimeTranscription',
    tags: ['Realtime'],
    summary: 'Live transcription over a WebSocket (OpenAI’s realtime transcription events)',
    description:
      'Upgrade with `?intent=transcription`; the API key comes as `Authorization`, or (browsers) as the ' +
      '`openai-insecure-api-key.<key>` subprotocol or a client secret. Refusals arrive as an `error` event and close 1008.',
    auth: 'none',
    params: {
      query: z.object({ intent: z.literal('transcription') }),
      header: z.object({ upgrade: z.literal('websocket') }),
    },
    responses: { 101: { description: 'Switching to the WebSocket session' } },
    errors: [426],
  },
  {
    method: 'post',
    path: '/v1/realtime/client_secrets',
    operationId: 'createRealtimeClientSecret',
    tags: ['Realtime'],
    summary: 'Mint a short-lived secret a browser opens one live session with',
    body: { required: false, content: { 'application/json': clientSecretRequest } },
    responses: {
      200: {
        description: 'The secret and the session it opens',
        content: {
          'application/json': z.object({
            value: z.string(),
            expires_at: z.number().int(),
            session: z.record(z.string(), z.unknown()),
          }),
        },
      },
    },
    errors: [400, 401, 500],
  },
];
