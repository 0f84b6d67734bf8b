/** The capture worklet: hands the main thread each render quantum's samples (128 per call). */
const WORKLET = `
class CaptureProcessor extends AudioWorkletProcessor {
  process(inputs) {
    const channel = inputs[0] && inputs[0][0];
    if (channel) this.port.postMessage(channel.slice(0));
    return true;
  }
}
registerProcessor('capture-processor', CaptureProcessor);
`;

export interface MicCapture {
  rate: number;
  stop(): Promise<void>;
}

/**
 * The microphone as mono float blocks at `rate` (the browser resamples to the AudioContext's rate), in
 * blocks of about `blockMs`. An AudioWorklet takes the samples off the audio thread; nothing is played.
 */
export async function captureMicrophone(
  onBlock: (samples: Float32Array) => void,
  { rate = 24_000, blockMs = 100 } = {},
): Promise<MicCapture> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
  });
  const context = new AudioContext({ sampleRate: rate });
  const url = URL.createObjectURL(new Blob([WORKLET], { type: 'application/javascript' }));
  try {
    await context.audioWorklet.addModule(url);
  } finally {
    URL.revokeObjectURL(url);
  }
  const source = context.createMediaStreamSource(stream);
  const node = new AudioWorkletNode(context, 'capture-processor');
  const block = Math.round((context.sampleRate * blockMs) / 1000);
  let pending: Float32Array[] = [];
  let filled = 0;
  node.port.onmessage = (message: MessageEvent<Float32Array>) => {
    pending.push(message.data);
    filled += message.data.length;
    if (filled < block) return;
    const out = new Float32Array(filled);
    let at = 0;
    for (const part of pending) {
      out.set(part, at);
      at += part.length;
    }
    pending = [];
    filled = 0;
    onBlock(out);
  };
  source.connect(node);
  return {
    rate: context.sampleRate,
    async stop() {
      for (const track of stream.getTracks()) track.stop();
      source.disconnect();
      node.disconnect();
      await context.close();
    },
  };
}
