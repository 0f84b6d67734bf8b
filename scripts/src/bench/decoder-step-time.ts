import { type DecoderShape, emptyCache } from '@whisper-edge/gpu-service/whisper/decoder-runner';
import * as ort from 'onnxruntime-node';

/**
 * The median time of one cached decoder step (batch 1), per session: a prompt of four tokens, then
 * `steps` single tokens, each fetching what our decode loop fetches (logits and the self-attention
 * cache). The sessions run in blocks, A B B A, not step by step: right after a run a session's
 * onnxruntime threads keep spinning for a while, and another session's step would share the cores
 * with them.
 */
export async function cachedStepSeconds(
  sessions: ort.InferenceSession[],
  encoderHiddenStates: ort.Tensor,
  shape: DecoderShape,
  steps = 40,
): Promise<number[]> {
  const times = sessions.map(() => [] as number[]);
  const order = [...sessions.keys(), ...[...sessions.keys()].reverse()];
  for (const i of order)
    times[i]!.push(...(await stepTimes(sessions[i]!, encoderHiddenStates, shape, steps)));
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]!);
}

async function stepTimes(
  session: ort.InferenceSession,
  encoderHiddenStates: ort.Tensor,
  shape: DecoderShape,
  steps: number,
): Promise<number[]> {
  const past = emptyCache(1, shape);
  const times: number[] = [];
  for (let step = 0; step <= steps; step++) {
    const ids = step === 0 ? [50258n, 50259n, 50359n, 50363n] : [BigInt(1000 + step)];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids), [1, ids.length]),
      encoder_hidden_states: encoderHiddenStates,
      ...past,
      use_cache_branch: new ort.Tensor('bool', [step > 0], [1]),
    };
    const wanted = session.outputNames.filter(
      (n) => step === 0 || n === 'logits' || /^present\.\d+\.decoder\./.test(n),
    );
    const started = performance.now();
    const outputs = await session.run(feeds, wanted);
    if (step > 0) times.push((performance.now() - started) / 1000);
    for (const name of Object.keys(past)) {
      const present = outputs[name.replace('past_key_values', 'present')];
      if (present && (step === 0 || name.includes('.decoder.'))) past[name] = present;
    }
  }
  return times;
}
