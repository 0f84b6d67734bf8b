import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTinyWhisper } from './tiny-whisper/generate.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The random-weight models tests and `npm start -- --test-model` use; generated, never committed. */
export const TEST_MODEL_DIR = path.join(root, 'fixtures/models/whisper-test');
/** The English-only (`.en`) flavour, for the paths that must refuse translation. */
export const TEST_MODEL_EN_DIR = path.join(root, 'fixtures/models/whisper-test-en');

export async function ensureTestModel(): Promise<string> {
  await generateTinyWhisper({ outDir: TEST_MODEL_DIR, preset: 'test', seed: 1 });
  return TEST_MODEL_DIR;
}

export async function ensureTestModels(): Promise<string[]> {
  await generateTinyWhisper({ outDir: TEST_MODEL_EN_DIR, preset: 'test', seed: 2, multilingual: false });
  return [await ensureTestModel(), TEST_MODEL_EN_DIR];
}
