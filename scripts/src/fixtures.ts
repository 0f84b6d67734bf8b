/** `npm run fixtures`: makes what the tests need that is generated rather than committed. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDiarizationModels } from './diarization-models/generate.js';
import { ensureTestModels } from './test-model.js';

const started = performance.now();
const dirs = await ensureTestModels();
console.log(`test models ready in ${dirs.join(', ')} (${Math.round(performance.now() - started)} ms)`);
const diarization = await generateDiarizationModels(
  path.join(fileURLToPath(new URL('../../', import.meta.url)), 'fixtures/models'),
);
console.log(`diarization test models ready in ${diarization.segmentation}, ${diarization.embedding}`);
