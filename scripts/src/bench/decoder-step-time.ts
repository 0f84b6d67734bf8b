import { type DecoderShape, emptyCache } from '@whisper-edge/gpu-service/whisper/decoder-runner';
import * as ort from 'onnxruntime-node';

/**
 * The median time of one cached decoder step (batch 1), per session, the sessions taking turns step by
 * step so a busy machine slows them alike: a prompt of four tokens, then `steps` single tokens, each
 * fetching what our decode loop fetches (logits and the self-attention cache).
 */
export async function cachedStepSeconds(
  sessions: ort.InferenceSession[],
  encoderHiddenStates: ort.Tensor,
  shape: DecoderShape,
  steps = 40,
): Promise<number[]> {
  const pasts = sessions.map(() => emptyCache(1, shape));
  const times = sessions.map(() => [] as number[]);
  for (let step = 0; step <= steps; step++) {
    for (const [i, session] of sessions.entries()) {
      const ids = step === 0 ? [50258n, 50259n, 50359n, 50363n] : [BigInt(1000 + step)];
      const feeds: Record<string, ort.Tensor> = {
        input_ids: new ort.Tensor('int64', BigInt64Array.from(ids), [1, ids.length]),
        encoder_hidden_states: encoderHiddenStates,
        ...pasts[i],
        use_cache_branch: new ort.Tensor('bool', [step > 0], [1]),
      };
      const wanted = session.outputNames.filter(
        (n) => step === 0 || n === 'logits' || /^present\.\d+\.decoder\./.test(n),
      );
      const started = performance.now();
      const outputs = await session.run(feeds, wanted);
      if (step > 0) times[i]!.push((performance.now() - started) / 1000);
      for (const name of Object.keys(pasts[i]!)) {
        const present = outputs[name.replace('past_key_values', 'present')];
        if (present && (step === 0 || name.includes('.decoder.'))) pasts[i]![name] = present;
      }
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[t.length >> 1]!);
}
