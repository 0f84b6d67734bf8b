import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { lowNoise } from '../../test/speech-fixture.js';
import { NeuralDiarizer, type NeuralSessions } from './neural-diarizer.js';

const FRAMES = 589;

/** A segmentation "model" answering fixed powerset classes, and an embedding one that counts its frames. */
function sessions(classOf: (frame: number) => number): { sessions: NeuralSessions; fed: number[] } {
  const fed: number[] = [];
  const logits = new Float32Array(FRAMES * 7);
  for (let f = 0; f < FRAMES; f++) logits[f * 7 + classOf(f)] = 10;
  const segmentation = {
    inputNames: ['input_values'],
    outputNames: ['logits'],
    run: async () => ({ logits: new ort.Tensor('float32', logits, [1, FRAMES, 7]) }),
  };
  const embedding = {
    inputNames: ['feats'],
    outputNames: ['embs'],
    run: async (feeds: Record<string, ort.Tensor>) => {
      fed.push(feeds.feats!.dims[1]!);
      return { embs: new ort.Tensor('float32', new Float32Array(256).fill(1), [1, 256]) };
    },
  };
  return { sessions: { segmentation, embedding } as unknown as NeuralSessions, fed };
}

async function embedOneWindow(classOf: (frame: number) => number): Promise<number[]> {
  const { sessions: fake, fed } = sessions(classOf);
  const diarizer = new NeuralDiarizer(fake);
  await diarizer.push(lowNoise(160_000, 0.01));
  await diarizer.finish();
  return fed;
}

// Segmentation frames are 270 samples, fbank frames 160: a frame range maps to ~1.69× as many rows.
describe('NeuralDiarizer embeddings, as pyannote extracts them', () => {
  it('leave out the frames where the speaker overlaps another, when enough remain', async () => {
    // Speaker 1 alone for frames 0-299, with speaker 2 for 300-399, speaker 2 alone after.
    const fed = await embedOneWindow((f) => (f < 300 ? 1 : f < 400 ? 4 : 2));
    expect(fed).toHaveLength(2);
    // 300 clean frames of speaker 1 ≈ 507 fbank rows; with the overlap it would be ≈ 676.
    expect(fed[0]).toBeGreaterThan(490);
    expect(fed[0]).toBeLessThan(525);
    // Speaker 2: 189 clean frames (400-588) ≈ 320 rows, to the end of the window's fbank.
    expect(fed[1]).toBeGreaterThan(300);
    expect(fed[1]).toBeLessThan(340);
  });

  it('fall back to all of a speaker’s frames when it is almost never alone', async () => {
    // Speaker 2 only ever speaks over speaker 1 (frames 300-399), never alone.
    const fed = await embedOneWindow((f) => (f < 300 ? 1 : f < 400 ? 4 : 0));
    expect(fed).toHaveLength(2);
    // 100 overlapped frames ≈ 169 rows, used because its clean frames are none.
    expect(fed[1]).toBeGreaterThan(155);
    expect(fed[1]).toBeLessThan(185);
  });
});
