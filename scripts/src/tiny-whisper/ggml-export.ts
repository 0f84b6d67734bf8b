/**
 * A generated (or any Transformers.js-layout fp32) Whisper model directory written as a whisper.cpp
 * model file (the legacy `ggml` format whisper.cpp's convert-pt-to-ggml.py writes), so whisper.cpp
 * can run the very weights our engine runs:
 *
 *   magic 'ggml' · hparams (n_vocab, audio ctx/state/heads/layers, text ctx/state/heads/layers,
 *   n_mels, ftype) · mel filters [n_mels × 201] · the 50257 byte-level tokens as raw bytes (whisper.cpp
 *   adds the special tokens itself) · tensors, each: n_dims, name length, type, ne[] (fastest first),
 *   name, data.
 *
 * Names and layouts follow openai/whisper's checkpoint: Linear weights [out, in] (ggml ne [in, out]),
 * conv weights [out, in, 3], conv biases [d, 1]. `f16` stores the 2-D weights and convolutions in half
 * precision; `q8_0` stores the 2-D weights in ggml's Q8_0 blocks (32 int8 and a half-precision scale
 * along each row) and the convolutions in half precision; norms, biases and positions stay fp32, as
 * whisper.cpp's own quantiser leaves them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { slaneyMelFilters } from '@whisper-edge/gpu-service/log-mel/mel-filters';
import { byteToUnicodeOrder } from './byte-level-bpe.js';
import { onnx } from './onnx-builder.js';

export type GgmlType = 'f16' | 'q8_0';

const GGML_MAGIC = 0x67676d6c;
const TYPE = { f32: 0, f16: 1, q8_0: 8 } as const;
const FTYPE = { f16: 1, q8_0: 7 } as const;
const N_FFT_BINS = 201;

/** IEEE half from a float, rounding to nearest even (as ggml's FP32_TO_FP16). */
export function floatToHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const x = new Uint32Array(f32.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  let e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && half & 1)) half++;
  if ((half & 0x7c00) === 0x7c00 && e < 0x1f) e = 0x1f;
  return sign | half;
}

function halves(data: Float32Array): Uint8Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = floatToHalf(data[i]!);
  return new Uint8Array(out.buffer);
}

/** ggml's Q8_0 (quantize_row_q8_0_ref): per 32 values, a half scale amax/127 and 32 rounded int8. */
export function q80(data: Float32Array): Uint8Array {
  if (data.length % 32 !== 0) throw new Error('Q8_0 needs rows that are a multiple of 32 long');
  const out = new Uint8Array((data.length / 32) * 34);
  const view = new DataView(out.buffer);
  for (let b = 0; b < data.length / 32; b++) {
    let amax = 0;
    for (let i = 0; i < 32; i++) amax = Math.max(amax, Math.abs(data[b * 32 + i]!));
    const d = amax / 127;
    const id = d ? 1 / d : 0;
    view.setUint16(b * 34, floatToHalf(d), true);
    for (let i = 0; i < 32; i++) view.setInt8(b * 34 + 2 + i, Math.round(data[b * 32 + i]! * id));
  }
  return out;
}

function initializers(bytes: Uint8Array): Map<string, { dims: number[]; data: Float32Array }> {
  const graph = onnx.ModelProto.decode(bytes).graph!;
  const out = new Map<string, { dims: number[]; data: Float32Array }>();
  for (const t of graph.initializer ?? []) {
    if (t.dataType !== onnx.TensorProto.DataType.FLOAT) continue;
    const raw = Uint8Array.from(t.rawData ?? []);
    out.set(t.name!, { dims: (t.dims ?? []).map(Number), data: new Float32Array(raw.buffer) });
  }
  return out;
}

/** [rows, cols] row-major to [cols, rows]: our MatMul weights are [in, out], openai's Linear [out, in]. */
function transposed(m: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = m[r * cols + c]!;
  return out;
}

/** openai/whisper's tensor name for one of ours (Hugging Face naming), or undefined to leave it out. */
function openaiName(name: string): string | undefined {
  const rules: Array<[RegExp, string]> = [
    [/^model\.encoder\.embed_positions\.weight$/, 'encoder.positional_embedding'],
    [/^model\.decoder\.embed_positions\.weight$/, 'decoder.positional_embedding'],
    [/^model\.decoder\.embed_tokens\.weight$/, 'decoder.token_embedding.weight'],
    [/^model\.encoder\.(conv[12])\.(weight|bias)$/, 'encoder.$1.$2'],
    [/^model\.encoder\.layer_norm\.(weight|bias)$/, 'encoder.ln_post.$1'],
    [/^model\.decoder\.layer_norm\.(weight|bias)$/, 'decoder.ln.$1'],
    [/^model\.(encoder|decoder)\.layers\.(\d+)\.self_attn_layer_norm\./, '$1.blocks.$2.attn_ln.'],
    [/^model\.decoder\.layers\.(\d+)\.encoder_attn_layer_norm\./, 'decoder.blocks.$1.cross_attn_ln.'],
    [/^model\.(encoder|decoder)\.layers\.(\d+)\.final_layer_norm\./, '$1.blocks.$2.mlp_ln.'],
    [/^model\.(encoder|decoder)\.layers\.(\d+)\.fc1\./, '$1.blocks.$2.mlp.0.'],
    [/^model\.(encoder|decoder)\.layers\.(\d+)\.fc2\./, '$1.blocks.$2.mlp.2.'],
    [/^model\.(encoder|decoder)\.layers\.(\d+)\.self_attn\.([qkvo]\w*)_proj\./, '$1.blocks.$2.attn.$3.'],
    [/^model\.decoder\.layers\.(\d+)\.encoder_attn\.([qkvo]\w*)_proj\./, 'decoder.blocks.$1.cross_attn.$2.'],
  ];
  for (const [pattern, replacement] of rules)
    if (pattern.test(name))
      return name
        .replace(pattern, replacement)
        .replace(/\.q\./, '.query.')
        .replace(/\.k\./, '.key.')
        .replace(/\.v\./, '.value.')
        .replace(/\.out\./, '.out.');
  return undefined;
}

export async function exportGgml(modelDir: string, outFile: string, type: GgmlType): Promise<number> {
  const config = JSON.parse(await readFile(path.join(modelDir, 'config.json'), 'utf8')) as Record<
    string,
    number
  >;
  const tokenizer = JSON.parse(await readFile(path.join(modelDir, 'tokenizer.json'), 'utf8')) as {
    model: { vocab: Record<string, number> };
  };
  const chunks: Uint8Array[] = [];
  const ints = (...values: number[]) => chunks.push(new Uint8Array(Int32Array.from(values).buffer));
  const d = config.d_model!;
  ints(
    GGML_MAGIC,
    config.vocab_size!,
    config.max_source_positions!,
    d,
    config.encoder_attention_heads!,
    config.encoder_layers!,
    config.max_target_positions!,
    d,
    config.decoder_attention_heads!,
    config.decoder_layers!,
    config.num_mel_bins!,
    FTYPE[type],
  );
  ints(config.num_mel_bins!, N_FFT_BINS);
  chunks.push(new Uint8Array(Float32Array.from(slaneyMelFilters(config.num_mel_bins!)).buffer));

  // Token bytes: the byte-level BPE's printable characters mapped back to the bytes they stand for.
  const charToByte = new Map(byteToUnicodeOrder().map(({ byte, char }) => [char, byte]));
  const words = Object.entries(tokenizer.model.vocab)
    .filter(([, id]) => id < 50257)
    .sort(([, a], [, b]) => a - b);
  ints(words.length);
  for (const [word] of words) {
    const bytes = Uint8Array.from([...word].map((c) => charToByte.get(c) ?? 0x3f));
    ints(bytes.length);
    chunks.push(bytes);
  }

  const tensor = (name: string, ne: number[], ttype: number, data: Uint8Array) => {
    const nameBytes = new TextEncoder().encode(name);
    ints(ne.length, nameBytes.length, ttype, ...ne);
    chunks.push(nameBytes, data);
  };
  for (const file of ['encoder_model.onnx', 'decoder_model_merged.onnx']) {
    for (const [name, { dims, data }] of initializers(await readFile(path.join(modelDir, 'onnx', file)))) {
      const target = openaiName(name);
      if (!target) continue;
      const isLinear = dims.length === 2 && !target.includes('embedding');
      if (target.includes('.conv')) {
        if (dims.length === 1) tensor(target, [1, dims[0]!], TYPE.f32, new Uint8Array(data.buffer));
        else tensor(target, [...dims].reverse(), TYPE.f16, halves(data));
      } else if (isLinear || target === 'decoder.token_embedding.weight') {
        const [rows, cols] = dims as [number, number];
        // Linear: ours [in, out] → [out, in], ne [in, out]; the embedding is [vocab, d] already.
        const w = isLinear ? transposed(data, rows, cols) : data;
        const ne = isLinear ? [rows, cols] : [cols, rows];
        tensor(target, ne, TYPE[type], type === 'f16' ? halves(w) : q80(w));
      } else tensor(target, [...dims].reverse(), TYPE.f32, new Uint8Array(data.buffer));
    }
  }
  const bytes = Buffer.concat(chunks);
  await writeFile(outFile, bytes);
  return bytes.length;
}
