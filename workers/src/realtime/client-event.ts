import { ApiError, type RealtimeClientEvent, realtimeClientEventSchema } from '@whisper-edge/shared';

export type ClientMessage =
  | { ok: true; event: RealtimeClientEvent }
  | { ok: false; error: ApiError; clientEventId: string | null };

/** A client WebSocket frame checked against the protocol, or the error OpenAI would answer it with. */
export function readClientEvent(message: string | ArrayBuffer): ClientMessage {
  if (typeof message !== 'string') {
    return {
      ok: false,
      error: new ApiError(
        400,
        'Binary frames are not part of this protocol: send input_audio_buffer.append with base64 audio',
        { code: 'invalid_event' },
      ),
      clientEventId: null,
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return {
      ok: false,
      error: new ApiError(400, 'The event is not valid JSON', { code: 'invalid_json' }),
      clientEventId: null,
    };
  }
  const clientEventId =
    typeof raw === 'object' && raw !== null && typeof (raw as { event_id?: unknown }).event_id === 'string'
      ? ((raw as { event_id: string }).event_id as string)
      : null;
  const parsed = realtimeClientEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, error: invalidEvent(raw, parsed.error.issues[0]!), clientEventId };
  return { ok: true, event: parsed.data };
}

/** An event that failed its schema, as OpenAI words it. */
function invalidEvent(
  raw: unknown,
  issue: { path: PropertyKey[]; message: string; code: string; keys?: string[] },
): ApiError {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== 'string')
    return new ApiError(400, "Missing required parameter: 'type'.", {
      code: 'missing_required_parameter',
      param: 'type',
    });
  if (issue.code === 'invalid_union' && issue.path.length <= 1 && (issue.path[0] ?? 'type') === 'type')
    return new ApiError(
      400,
      `Invalid value: '${type.slice(0, 64)}'. This transcription session supports session.update, input_audio_buffer.append, input_audio_buffer.commit, input_audio_buffer.clear and session.close.`,
      { code: 'invalid_value', param: 'type' },
    );
  if (issue.code === 'unrecognized_keys' && issue.keys?.[0])
    return new ApiError(400, `Unknown parameter: '${issue.keys[0]}'.`, {
      code: 'unknown_parameter',
      param: issue.keys[0],
    });
  const param = issue.path.map(String).join('.');
  return new ApiError(400, `Invalid '${param}': ${issue.message}`, { code: 'invalid_value', param });
}
