import {
  ApiError,
  type GpuRealtimeClientMessage,
  languageCode,
  type RealtimeAudioRate,
  type RealtimeTranscriptionConfig,
  type RealtimeTranscriptionSession,
  realtimeTranscriptionConfigSchema,
} from '@whisper-edge/shared';

/** What a session runs with: OpenAI's defaults (24 kHz PCM, server VAD 0.5 / 300 ms / 500 ms) until updated. */
export interface SessionSettings {
  rate: RealtimeAudioRate;
  model: string;
  language: string | null;
  prompt: string;
  turnDetection: { threshold: number; prefix_padding_ms: number; silence_duration_ms: number } | null;
  include: string[];
  storedOutput: boolean;
}

export const DEFAULT_SETTINGS: SessionSettings = {
  rate: 24_000,
  model: 'whisper-1',
  language: null,
  prompt: '',
  turnDetection: { threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 500 },
  include: [],
  storedOutput: false,
};

const DEFAULT_VAD = DEFAULT_SETTINGS.turnDetection!;

function invalid(message: string, param: string, code = 'invalid_value'): ApiError {
  return new ApiError(400, message, { code, param });
}

/** A `session` object of session.update (or of a client secret), checked: the first problem is refused. */
export function parseSessionConfig(value: unknown): RealtimeTranscriptionConfig {
  if (typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'realtime') {
    throw invalid(
      "This endpoint runs transcription sessions only: use session.type 'transcription' (connect with ?intent=transcription)",
      'session.type',
      'unsupported_session_type',
    );
  }
  const parsed = realtimeTranscriptionConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = ['session', ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      throw invalid(
        `Unknown parameter: '${path}.${issue.keys[0]}'.`,
        `${path}.${issue.keys[0]}`,
        'unknown_parameter',
      );
    }
    if (issue.path.at(-1) === 'type' && issue.path.includes('turn_detection')) {
      throw invalid("Only 'server_vad' turn detection (or null, for manual commits) is supported", path);
    }
    if (issue.path.at(-1) === 'type' && issue.path.includes('format')) {
      throw invalid(
        "Only 'audio/pcm' input (16-bit mono, 24000 or 16000 Hz) is supported",
        path,
        'unsupported_audio_format',
      );
    }
    throw invalid(`Invalid value for '${path}': ${issue.message}`, path);
  }
  return parsed.data;
}

/** Applies an update: only the fields present change; `turn_detection: null` turns VAD off. */
export function applySessionConfig(
  current: SessionSettings,
  update: RealtimeTranscriptionConfig,
): SessionSettings {
  const input = update.audio?.input;
  const next: SessionSettings = { ...current };
  if (input?.format?.rate) next.rate = input.format.rate;
  const transcription = input?.transcription;
  if (transcription?.model !== undefined) next.model = transcription.model;
  if (transcription?.language !== undefined) {
    const code = transcription.language === '' ? null : languageCode(transcription.language);
    if (code === undefined)
      throw invalid(
        `Invalid value for 'session.audio.input.transcription.language': unknown language '${transcription.language}'`,
        'session.audio.input.transcription.language',
      );
    next.language = code;
  }
  if (transcription?.prompt !== undefined) next.prompt = transcription.prompt;
  if (input && 'turn_detection' in input && input.turn_detection !== undefined) {
    const td = input.turn_detection;
    next.turnDetection =
      td === null
        ? null
        : {
            threshold: td.threshold ?? current.turnDetection?.threshold ?? DEFAULT_VAD.threshold,
            prefix_padding_ms:
              td.prefix_padding_ms ??
              current.turnDetection?.prefix_padding_ms ??
              DEFAULT_VAD.prefix_padding_ms,
            silence_duration_ms:
              td.silence_duration_ms ??
              current.turnDetection?.silence_duration_ms ??
              DEFAULT_VAD.silence_duration_ms,
          };
  }
  if (update.include !== undefined) next.include = update.include;
  if (update.stored_output !== undefined) next.storedOutput = update.stored_output;
  return next;
}

/** The session as session.created / session.updated report it. */
export function describeSession(
  id: string,
  expiresAt: number,
  s: SessionSettings,
): RealtimeTranscriptionSession {
  return {
    type: 'transcription',
    id,
    object: 'realtime.transcription_session',
    expires_at: expiresAt,
    include: s.include,
    audio: {
      input: {
        format: { type: 'audio/pcm', rate: s.rate },
        noise_reduction: null,
        transcription: { model: s.model, language: s.language, prompt: s.prompt },
        turn_detection: s.turnDetection ? { type: 'server_vad', ...s.turnDetection } : null,
      },
    },
    stored_output: s.storedOutput,
  };
}

/** The GPU service's `configure` for these settings. */
export function gpuConfigure(s: SessionSettings): Extract<GpuRealtimeClientMessage, { type: 'configure' }> {
  return {
    type: 'configure',
    model: s.model,
    ...(s.language ? { language: s.language } : {}),
    ...(s.prompt ? { prompt: s.prompt } : {}),
    turn_detection: s.turnDetection,
  };
}
