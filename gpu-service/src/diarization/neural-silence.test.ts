import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/fixtures.js';
import { NeuralDiarizer, type NeuralSessions } from './neural-diarizer.js';
import { loadNeuralSessions } from './neural-models.js';

// The generated random-weight models (npm run fixtures): this checks which windows reach the model.
let sessions: NeuralSessions;

beforeAll(async () => {
  sessions = await loadNeuralSessions({
    segmentation: path.join(repoRoot, 'fixtures/models/segmentation-test'),
    embedding: path.join(repoRoot, 'fixtures/models/embedding-test'),
    modelDir: tmpdir(),
    device: 'cpu',
  });
}, 60_000);

describe('neural diarization on silence', () => {
  it('runs no segmentation on windows of digital silence, and only those', async () => {
    // Ten minutes of zeros with 3 s of noise at 5:00: only the windows covering it hold sound.
    const diarizer = new NeuralDiarizer(sessions);
    const block = new Float32Array(16_000);
    let state = 3;
    const noise = Float32Array.from({ length: 16_000 }, () => {
      state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
      return (state / 2 ** 32 - 0.5) * 0.4;
    });
    for (let s = 0; s < 600; s++) await diarizer.push(s >= 300 && s < 303 ? noise : block);
    await diarizer.finish();
    // 10 s windows every 5 s: 3 s of sound at 300–303 s lies in the windows starting at 295 and 300 s.
    expect(diarizer.segmentationRuns).toBe(2);

    const silent = new NeuralDiarizer(sessions);
    for (let s = 0; s < 120; s++) await silent.push(block);
    expect(await silent.finish()).toEqual([]);
    expect(silent.segmentationRuns).toBe(0);
  });
});
