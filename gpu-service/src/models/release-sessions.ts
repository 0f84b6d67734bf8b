import type * as ort from 'onnxruntime-node';
import type { LoadedModel } from './model-manager.js';

/** What is left of a released session: its input and output names (still read), and a clear error. */
function releasedStandIn(session: ort.InferenceSession): ort.InferenceSession {
  const fail = () =>
    Promise.reject(
      new Error(
        "this model's onnxruntime sessions live on its engine workers (ENGINE_WORKERS): run them there",
      ),
    );
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    inputMetadata: session.inputMetadata,
    outputMetadata: session.outputMetadata,
    run: fail,
    // The pipeline's own dispose releases every session again at unload: nothing left to free.
    release: () => Promise.resolve(),
    startProfiling: () => undefined,
    endProfiling: () => undefined,
  } as unknown as ort.InferenceSession;
}

/**
 * Frees the main thread's copy of the model's sessions once its engine workers have loaded their own:
 * the weights (and onnxruntime's arenas) would otherwise be held twice, ≈ 290 MB at whisper-base fp32
 * and several GB for large models on CPU. The main thread keeps what it reads: the tokenizer, the
 * configs, and the sessions' input and output names.
 */
export async function releaseMainThreadSessions(model: LoadedModel): Promise<void> {
  const pretrained = model.transcriber.model as unknown as {
    sessions: Record<string, ort.InferenceSession | undefined>;
  };
  const standIns = new Map<ort.InferenceSession, ort.InferenceSession>();
  for (const [name, session] of Object.entries(pretrained.sessions)) {
    if (!session) continue;
    await session.release();
    const standIn = releasedStandIn(session);
    standIns.set(session, standIn);
    pretrained.sessions[name] = standIn;
  }
  const { encoder, decoder } = model.whisper.sessions;
  model.whisper.sessions = {
    encoder: standIns.get(encoder) ?? releasedStandIn(encoder),
    decoder: standIns.get(decoder) ?? releasedStandIn(decoder),
  };
}
