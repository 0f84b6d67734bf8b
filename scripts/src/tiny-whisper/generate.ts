/**
 * Generates a random-weight Whisper model directory that Transformers.js v4
 * loads exactly like a hub checkpoint:
 *
 *   config.json  generation_config.json  preprocessor_config.json
 *   tokenizer.json  tokenizer_config.json  manifest.json
 *   onnx/encoder_model.onnx  onnx/decoder_model_merged.onnx
 *   onnx/encoder_model_quantized.onnx  onnx/decoder_model_merged_quantized.onnx  (dtype q8)
 *
 * CLI:
 *   tsx scripts/src/tiny-whisper/generate.ts --out <dir> [--preset test|tiny|base]
 *     [--d-model N --encoder-layers N --decoder-layers N --heads N --ffn N --mels 80|128]
 *     [--english-only] [--seed N] [--force]
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDecoderGraph } from './decoder-graph.js';
import { isPresetName, PRESETS, type PresetName, validateDims, type WhisperDims } from './dims.js';
import { buildEncoderGraph } from './encoder-graph.js';
import {
  buildConfigJson,
  buildGenerationConfigJson,
  buildPreprocessorConfigJson,
  buildTokenLists,
} from './model-configs.js';
import { quantizeMatMuls } from './quantize-matmuls.js';
import { Rng } from './rng.js';
import { buildWhisperTokenizer, nonSpeechTokens } from './tokenizer.js';

/** Bump whenever the bytes produced for the same options change, so cached outputs are rebuilt. */
export const GENERATOR_VERSION = 4;

export interface TinyWhisperOptions {
  outDir: string;
  /** Starting dimensions; individual `dims` fields override it. Default `test`. */
  preset?: PresetName;
  dims?: Partial<WhisperDims>;
  /** `false` produces the `.en` flavour. Default `true`. */
  multilingual?: boolean;
  /** Default 0. */
  seed?: number;
  /** Regenerate even when the manifest says the directory is up to date. */
  force?: boolean;
}

export interface TinyWhisperManifest {
  generator: 'whisper-edge/tiny-whisper';
  generatorVersion: number;
  preset: PresetName;
  dims: WhisperDims;
  multilingual: boolean;
  seed: number;
  /** Relative path → byte size, used to notice truncated or missing files. */
  files: Record<string, number>;
}

export interface TinyWhisperResult {
  outDir: string;
  skipped: boolean;
  manifest: TinyWhisperManifest;
  elapsedMs: number;
}

const MANIFEST = 'manifest.json';

function sameIdentity(a: TinyWhisperManifest, b: Omit<TinyWhisperManifest, 'files'>): boolean {
  return (
    a.generator === b.generator &&
    a.generatorVersion === b.generatorVersion &&
    a.multilingual === b.multilingual &&
    a.seed === b.seed &&
    JSON.stringify(a.dims) === JSON.stringify(b.dims)
  );
}

async function isUpToDate(
  outDir: string,
  wanted: Omit<TinyWhisperManifest, 'files'>,
): Promise<TinyWhisperManifest | null> {
  let existing: TinyWhisperManifest;
  try {
    existing = JSON.parse(await readFile(join(outDir, MANIFEST), 'utf8')) as TinyWhisperManifest;
  } catch {
    return null;
  }
  if (!sameIdentity(existing, wanted)) return null;
  for (const [file, size] of Object.entries(existing.files ?? {})) {
    const s = await stat(join(outDir, file)).catch(() => null);
    if (!s || s.size !== size) return null;
  }
  return existing;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function resolveDims(options: Pick<TinyWhisperOptions, 'preset' | 'dims'>): WhisperDims {
  const dims: WhisperDims = { ...PRESETS[options.preset ?? 'test'], ...options.dims };
  validateDims(dims);
  // Fixed key order so manifests compare byte-for-byte.
  return {
    dModel: dims.dModel,
    encoderLayers: dims.encoderLayers,
    decoderLayers: dims.decoderLayers,
    heads: dims.heads,
    ffnDim: dims.ffnDim,
    numMelBins: dims.numMelBins,
  };
}

export async function generateTinyWhisper(options: TinyWhisperOptions): Promise<TinyWhisperResult> {
  const started = performance.now();
  const outDir = resolve(options.outDir);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error('seed must be a non-negative integer');
  const identity = {
    generator: 'whisper-edge/tiny-whisper' as const,
    generatorVersion: GENERATOR_VERSION,
    preset: options.preset ?? 'test',
    dims: resolveDims(options),
    multilingual: options.multilingual ?? true,
    seed,
  };

  if (!options.force) {
    const existing = await isUpToDate(outDir, identity);
    if (existing)
      return { outDir, skipped: true, manifest: existing, elapsedMs: performance.now() - started };
  }

  // Drop the old manifest first: if generation dies half way the directory must not look complete.
  await rm(join(outDir, MANIFEST), { force: true });
  await mkdir(join(outDir, 'onnx'), { recursive: true });

  const tok = buildWhisperTokenizer(identity.multilingual);
  const space = tok.bpe.encode(' ');
  if (space.length !== 1) throw new Error('the space character must be a single token');
  const lists = buildTokenLists(tok.layout, nonSpeechTokens(tok.bpe), space[0]!);
  const rng = new Rng(seed);

  const outputs: [string, string | Uint8Array][] = [
    ['config.json', json(buildConfigJson(identity.dims, tok.layout, lists))],
    ['generation_config.json', json(buildGenerationConfigJson(identity.dims, tok.layout, lists))],
    ['preprocessor_config.json', json(buildPreprocessorConfigJson(identity.dims))],
    // Compact: pretty-printing 50k vocab entries and merges only adds bulk.
    ['tokenizer.json', JSON.stringify(tok.tokenizerJson)],
    ['tokenizer_config.json', json(tok.tokenizerConfigJson)],
  ];
  const files: Record<string, number> = {};
  const write = async (file: string, data: string | Uint8Array) => {
    await writeFile(join(outDir, file), data);
    files[file] = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  };
  for (const [file, data] of outputs) await write(file, data);
  // Built one at a time so only one graph's weights are in memory (matters for `base`).
  const encoder = buildEncoderGraph(identity.dims, rng);
  await write('onnx/encoder_model.onnx', encoder);
  // q8 (see quantize-matmuls.ts): the encoder's large GEMMs gain most from int8 activations; the
  // decoder keeps its activations finer (per block), its logits being where greedy choices are made.
  await write('onnx/encoder_model_quantized.onnx', quantizeMatMuls(encoder, { format: 'dynamic' }).bytes);
  const decoder = buildDecoderGraph(identity.dims, { layout: tok.layout }, rng);
  await write('onnx/decoder_model_merged.onnx', decoder);
  await write(
    'onnx/decoder_model_merged_quantized.onnx',
    quantizeMatMuls(decoder, { format: 'nbits' }).bytes,
  );

  const manifest: TinyWhisperManifest = { ...identity, files };
  await writeFile(join(outDir, MANIFEST), json(manifest));
  return { outDir, skipped: false, manifest, elapsedMs: performance.now() - started };
}

const USAGE = `Usage: tsx scripts/src/tiny-whisper/generate.ts --out <dir> [--preset test|tiny|base]
  [--d-model N] [--encoder-layers N] [--decoder-layers N] [--heads N] [--ffn N] [--mels 80|128]
  [--english-only] [--seed N] [--force]`;

function intOption(values: Record<string, unknown>, name: string): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer, got ${String(raw)}`);
  return n;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      preset: { type: 'string', default: 'test' },
      'd-model': { type: 'string' },
      'encoder-layers': { type: 'string' },
      'decoder-layers': { type: 'string' },
      heads: { type: 'string' },
      ffn: { type: 'string' },
      mels: { type: 'string' },
      'english-only': { type: 'boolean', default: false },
      seed: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.out) throw new Error(`--out is required\n${USAGE}`);
  if (!isPresetName(values.preset)) throw new Error(`unknown preset ${values.preset}\n${USAGE}`);
  const overrides: Partial<WhisperDims> = {};
  const set = <K extends keyof WhisperDims>(key: K, value: number | undefined) => {
    if (value !== undefined) overrides[key] = value as WhisperDims[K];
  };
  set('dModel', intOption(values, 'd-model'));
  set('encoderLayers', intOption(values, 'encoder-layers'));
  set('decoderLayers', intOption(values, 'decoder-layers'));
  set('heads', intOption(values, 'heads'));
  set('ffnDim', intOption(values, 'ffn'));
  set('numMelBins', intOption(values, 'mels'));

  const result = await generateTinyWhisper({
    outDir: values.out,
    preset: values.preset,
    dims: overrides,
    multilingual: !values['english-only'],
    seed: intOption(values, 'seed'),
    force: values.force,
  });
  const bytes = Object.values(result.manifest.files).reduce((a, b) => a + b, 0);
  const what = result.skipped ? 'up to date, skipped' : 'generated';
  console.log(
    `${result.outDir}: ${what} in ${result.elapsedMs.toFixed(0)} ms (${(bytes / 1e6).toFixed(1)} MB, ` +
      `${JSON.stringify(result.manifest.dims)}, multilingual=${result.manifest.multilingual}, seed=${result.manifest.seed})`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
