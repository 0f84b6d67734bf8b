import { z } from 'zod';

export const responseFormats = [
  'json',
  'text',
  'srt',
  'vtt',
  'verbose_json',
  'diarized_json',
  'paragraphs',
] as const;
export type ResponseFormat = (typeof responseFormats)[number];

export const timestampGranularities = ['segment', 'word'] as const;
export type TimestampGranularity = (typeof timestampGranularities)[number];

export const diarizationBackends = ['acoustic', 'neural'] as const;
export type DiarizationBackend = (typeof diarizationBackends)[number];

/** Longest and most known voices per request: OpenAI takes 4 references of 2-10 s; profiles add more. */
export const MAX_KNOWN_SPEAKERS = 8;
export const KNOWN_VOICE_SECONDS = { min: 2, max: 10 } as const;

/**
 * A voice to name: a short clip of one person (stored by the edge in R2, read through a signed URL like
 * the request's audio); speakers matching it are labelled `name` instead of `SPEAKER_nn`.
 */
export const knownSpeakerSchema = z.object({
  name: z.string().min(1).max(64),
  audio_url: z.url({ protocol: /^https?$/ }),
});
export type KnownSpeaker = z.infer<typeof knownSpeakerSchema>;

/** Who spoke when: unset `backend` means neural where its models load, acoustic otherwise. */
export const diarizationOptionsSchema = z
  .object({
    backend: z.enum(diarizationBackends).optional(),
    num_speakers: z.number().int().min(1).max(32).optional(),
    min_speakers: z.number().int().min(1).max(32).optional(),
    max_speakers: z.number().int().min(1).max(32).optional(),
    known_speakers: z.array(knownSpeakerSchema).max(MAX_KNOWN_SPEAKERS).optional(),
  })
  .refine(
    (o) => o.min_speakers === undefined || o.max_speakers === undefined || o.min_speakers <= o.max_speakers,
    {
      message: 'min_speakers must not exceed max_speakers',
      path: ['min_speakers'],
    },
  );
export type DiarizationOptions = z.infer<typeof diarizationOptionsSchema>;

export const vadOverridesSchema = z.object({
  /** Speech probability above which a frame is speech. */
  threshold: z.number().gt(0).max(1).optional(),
  /** Audio kept before (and after) each speech region. */
  prefix_padding_ms: z.number().int().min(0).max(5000).optional(),
  /** Silence that ends a speech region. */
  silence_duration_ms: z.number().int().min(0).max(10_000).optional(),
});
export type VadOverrides = z.infer<typeof vadOverridesSchema>;

export const transcribeOptionsSchema = z.object({
  language: z.string().min(2).max(16).optional(),
  task: z.enum(['transcribe', 'translate']).default('transcribe'),
  prompt: z.string().max(4000).optional(),
  temperature: z.number().min(0).max(1).optional(),
  /** Requested model; `whisper-1` means the service's default. */
  model: z.string().max(200).optional(),
  timestamp_granularities: z.array(z.enum(timestampGranularities)).optional(),
  diarization: diarizationOptionsSchema.optional(),
  /** OpenAI's `chunking_strategy: server_vad`: the request's own VAD settings (VAD on for it). */
  vad: vadOverridesSchema.optional(),
});
export type TranscribeOptions = z.infer<typeof transcribeOptionsSchema>;

/** Where the GPU service writes the formatted result: every export reduces to a URL to PUT to. */
/** Caption shaping for srt/vtt: how long a line, how many lines, how long a cue may be. */
export const captionOptionsSchema = z.object({
  max_line_chars: z.number().int().min(10).max(200).optional(),
  max_lines_per_cue: z.number().int().min(1).max(4).optional(),
  max_cue_seconds: z.number().min(1).max(30).optional(),
});

export const resultTargetSchema = z.object({
  url: z.url({ protocol: /^https?$/ }),
  format: z.enum(responseFormats),
  timestamp_granularities: z.array(z.enum(timestampGranularities)).optional(),
  captions: captionOptionsSchema.optional(),
});
export type ResultTarget = z.infer<typeof resultTargetSchema>;

/** What the edge asks of the GPU service: every input mode reduces to a URL to stream from. */
/**
 * What one request may cost, set by the edge per kind of request (a sync request gets less than a
 * job); the GPU service caps both at its own MAX_AUDIO_SECONDS and MAX_REQUEST_SECONDS.
 */
export const workLimitsSchema = z.object({
  /** Longest decoded audio, seconds. */
  max_audio_seconds: z.number().positive().optional(),
  /** Wall-clock budget from arrival at the GPU service to the answer, seconds. */
  deadline_seconds: z.number().positive().optional(),
});
export type WorkLimits = z.infer<typeof workLimitsSchema>;

/** Where the audio URL came from: `external` URLs are callers' (pre-signed S3), fetched only after SSRF checks. */
export const audioSourceSchema = z.enum(['edge', 'external']);
export type AudioSource = z.infer<typeof audioSourceSchema>;

export const transcribeRequestSchema = z.object({
  audio_url: z.url({ protocol: /^https?$/ }),
  audio_source: audioSourceSchema.default('edge'),
  options: transcribeOptionsSchema.default({ task: 'transcribe' }),
  result_target: resultTargetSchema.optional(),
  /** Answer as NDJSON progress events (see gpu-stream.ts) instead of one JSON body at the end. */
  stream: z.boolean().optional(),
  /** For the GPU service's logs: which job this attempt belongs to. */
  job_id: z.string().max(100).optional(),
  limits: workLimitsSchema.optional(),
});
export type TranscribeRequest = z.input<typeof transcribeRequestSchema>;

export const segmentSchema = z.object({
  id: z.number().int().nonnegative(),
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  text: z.string(),
  /** Whisper's decoding figures, as OpenAI's verbose_json reports them per segment. */
  seek: z.number().int().nonnegative().optional(),
  tokens: z.array(z.number().int()).optional(),
  temperature: z.number().optional(),
  avg_logprob: z.number().optional(),
  compression_ratio: z.number().optional(),
  no_speech_prob: z.number().optional(),
  /** `SPEAKER_00`… in order of first appearance, when diarization was asked for. */
  speaker: z.string().optional(),
});
export type Segment = z.infer<typeof segmentSchema>;

/** The canonical result the GPU service returns; every response_format is rendered from it at the edge. */
export const transcriptionResultSchema = z.object({
  task: z.enum(['transcribe', 'translate']),
  text: z.string(),
  language: z.string(),
  duration: z.number().nonnegative(),
  model: z.string(),
  segments: z.array(segmentSchema),
  /** Present when word timestamps were asked for. */
  words: z
    .array(
      z.object({
        word: z.string(),
        start: z.number(),
        end: z.number(),
        speaker: z.string().optional(),
        /** Mean probability of the word's tokens as decoded (0-1): low values mark doubtful words. */
        probability: z.number().min(0).max(1).optional(),
      }),
    )
    .optional(),
  /** Present when diarization ran: which backend labelled the speakers (neural may fall back to acoustic). */
  diarization: z.object({ backend: z.enum(diarizationBackends) }).optional(),
});
export type TranscriptionResult = z.infer<typeof transcriptionResultSchema>;

/** The outcome of writing the result to its target; a failed export never loses the transcript. */
export const exportOutcomeSchema = z.union([
  z.object({ ok: z.literal(true), bytes: z.number().int().nonnegative() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type ExportOutcome = z.infer<typeof exportOutcomeSchema>;

export const transcribeResponseSchema = z.object({
  result: transcriptionResultSchema,
  export: exportOutcomeSchema.optional(),
});
export type TranscribeResponse = z.infer<typeof transcribeResponseSchema>;

/** One speaker turn: a span where one speaker talks (turns of different speakers may overlap). */
export const speakerTurnSchema = z.object({
  start: z.number().nonnegative(),
  end: z.number().nonnegative(),
  speaker: z.string(),
});
export type SpeakerTurn = z.infer<typeof speakerTurnSchema>;

/** What the edge asks of the GPU service for diarization alone (no transcript). */
export const diarizeRequestSchema = z.object({
  audio_url: z.url({ protocol: /^https?$/ }),
  audio_source: audioSourceSchema.default('edge'),
  options: diarizationOptionsSchema.default({}),
  limits: workLimitsSchema.optional(),
});
export type DiarizeRequest = z.input<typeof diarizeRequestSchema>;

export const diarizationResultSchema = z.object({
  duration: z.number().nonnegative(),
  backend: z.enum(diarizationBackends),
  speakers: z.array(z.string()),
  turns: z.array(speakerTurnSchema),
});
export type DiarizationResult = z.infer<typeof diarizationResultSchema>;
