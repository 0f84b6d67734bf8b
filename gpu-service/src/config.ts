import path from 'node:path';
import { z } from 'zod';
import { dtypeSetting } from './models/dtype-map.js';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8788),
  HOST: z.string().default('127.0.0.1'),
  /** Shared with the edge; every /internal call must be signed with it. */
  GPU_SHARED_SECRET: z.string().min(16, 'GPU_SHARED_SECRET must be at least 16 characters'),
  /** A Hugging Face Hub id (ONNX export, e.g. onnx-community/whisper-base) or a local model directory. */
  WHISPER_MODEL: z.string().default('onnx-community/whisper-base'),
  /** Further models requests may pick with `model` (comma-separated ids or directories). */
  WHISPER_MODELS: z.string().default(''),
  /** Models loaded and warmed at start and never unloaded; default: WHISPER_MODEL. */
  PRELOAD_MODELS: z.string().optional(),
  /** Unload a model unused for this long (not preloaded ones); 0 = never. */
  MODEL_IDLE_TTL_SECONDS: z.coerce.number().int().nonnegative().default(1800),
  /** Where hub models are cached; mount a volume here in containers. */
  MODEL_DIR: z.string().default(path.resolve('models')),
  DEVICE: z.enum(['auto', 'cuda', 'cpu']).default('auto'),
  /** One dtype (`q8`) or per device (`cuda:fp16,cpu:q8`); unset: fp16 on CUDA, fp32 on CPU. */
  DTYPE: dtypeSetting.default({}),
  /** Cut audio at silences with Silero VAD; `false` falls back to plain 30 s windows. */
  VAD: z.stringbool().default(true),
  /** Windows per encoder/decoder run; default 8 on CUDA, 1 on CPU (batching does not pay on CPU). */
  BATCH_SIZE: z.coerce.number().int().min(1).max(256).optional(),
  /**
   * Worker threads running the engine (sessions, decode loop, word alignment), each loading its own
   * copy of the model, so inference never holds the event loop; 0 runs it on the main thread.
   * Default: 1 on CPU, 0 on CUDA.
   */
  ENGINE_WORKERS: z.coerce.number().int().min(0).max(64).optional(),
  /** onnxruntime intra-op threads per engine worker; default: the CPU count ÷ ENGINE_WORKERS. */
  ENGINE_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  /** A Hugging Face Hub mirror, as huggingface_hub reads it. */
  HF_ENDPOINT: z.url().optional(),
  /** How long to wait for the hub to start answering before calling a download failed. */
  HUB_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** Largest audio file the service will download. */
  MAX_AUDIO_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 ** 3),
  /** Longest decoded audio any request may have (a job's limit; the edge asks less for sync requests). */
  MAX_AUDIO_SECONDS: z.coerce
    .number()
    .positive()
    .default(4 * 3600),
  /** Wall-clock budget of one request, however small its file: bounds what a slot can be held for. */
  MAX_REQUEST_SECONDS: z.coerce
    .number()
    .positive()
    .default(4 * 3600),
  /** Slowest acceptable audio download (bytes/s, over time spent waiting for the network). */
  MIN_DOWNLOAD_BYTES_PER_SECOND: z.coerce
    .number()
    .nonnegative()
    .default(16 * 1024),
  /** Longest wait for the next bytes of a download (or for its first answer). */
  DOWNLOAD_STALL_SECONDS: z.coerce.number().positive().default(30),
  /** Requests processed at once; more wait in a bounded queue, beyond which callers get 429. */
  MAX_CONCURRENT_REQUESTS: z.coerce.number().int().positive().default(15),
  MAX_QUEUED_REQUESTS: z.coerce.number().int().nonnegative().default(64),
  /** Live transcription sessions held at once (they do not take MAX_CONCURRENT_REQUESTS slots). */
  MAX_REALTIME_SESSIONS: z.coerce.number().int().nonnegative().default(16),
  /** New audio (ms) that makes a live session decode its open utterance again for partial text. */
  REALTIME_STEP_MS: z.coerce.number().int().min(100).max(5000).default(500),
  /**
   * A live utterance's final decode falls back to hotter temperatures on output that looks wrong, as
   * files do; `false` decodes it once, greedily (lower latency, Whisper's guards off).
   */
  REALTIME_TEMPERATURE_FALLBACK: z.stringbool().default(true),
  /** How long SIGTERM waits for admitted work to finish before exiting anyway. */
  DRAIN_TIMEOUT_MS: z.coerce.number().int().positive().default(600_000),
  SIGNATURE_MAX_SKEW_SECONDS: z.coerce.number().int().positive().default(300),
  /** Largest /internal request body (small JSON); larger ones get 413 without being read further. */
  MAX_INTERNAL_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 ** 2),
  /** When set, /metrics needs `Authorization: Bearer <token>`; unset (or empty), /metrics is open. */
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((value) => value || undefined),
  /**
   * Neural diarization models (pyannote segmentation-3.0 and WeSpeaker ResNet34 ONNX layouts): hub ids
   * (`owner/name` or `owner/name:path/file.onnx`), directories or .onnx files, downloaded once into
   * MODEL_DIR at start. Where they load, neural is the default backend; offline or on a failed load
   * the acoustic backend answers (the log says why). Set either to an empty string for acoustic only.
   */
  DIARIZATION_SEGMENTATION_MODEL: z
    .string()
    .default('onnx-community/pyannote-segmentation-3.0')
    .transform((value) => value.trim() || undefined),
  DIARIZATION_EMBEDDING_MODEL: z
    .string()
    .default('hbredin/wespeaker-voxceleb-resnet34-LM:speaker-embedding.onnx')
    .transform((value) => value.trim() || undefined),
  FFMPEG_PATH: z.string().optional(),
  /** Local development and tests only: lets caller URLs reach loopback/private hosts over http. */
  ALLOW_PRIVATE_AUDIO_URLS: z.stringbool().default(false),
});

export type Config = z.infer<typeof envSchema>;

/** Reads configuration from the environment, failing at start with every problem listed. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
      .join('\n');
    throw new Error(`Invalid GPU service configuration:\n${problems}`);
  }
  return parsed.data;
}
