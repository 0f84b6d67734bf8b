/** `npm run fixtures`: makes what the tests need that is generated rather than committed. */
import { ensureTestModel } from './test-model.js';

const started = performance.now();
const dir = await ensureTestModel();
console.log(`test model ready in ${dir} (${Math.round(performance.now() - started)} ms)`);
