import { createLogger } from '@whisper-edge/shared/logging';

/** The edge's structured log: JSON lines that Workers Logs indexes, each with its request and job id. */
export const log = createLogger('edge');
