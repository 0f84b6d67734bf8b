/** `npm run fixtures`: makes what the tests need that is generated rather than committed. */
import { ensureTestModels } from './test-model.js';

const started = performance.now();
const dirs = await ensureTestModels();
console.log(`test models ready in ${dirs.join(', ')} (${Math.round(performance.now() - started)} ms)`);
