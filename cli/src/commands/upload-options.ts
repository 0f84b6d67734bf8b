import { usageError } from '../errors/cli-error.js';
import { DEFAULT_PART_SIZE, MIN_PART_SIZE, parseSize } from '../upload/part-plan.js';
import { DEFAULT_MULTIPART_THRESHOLD, type SendFileOptions } from '../upload/send-file.js';
import { intOption } from './args.js';
import type { CommandContext } from './context.js';

/** The upload settings of `transcribe` and `upload`, with the byte counter the progress bar reads. */
export function uploadOptions(ctx: CommandContext, onProgress: (bytes: number) => void): SendFileOptions {
  const { flags } = ctx;
  const partSize = flags['part-size'] ? parseSize(flags['part-size'], '--part-size') : DEFAULT_PART_SIZE;
  if (partSize < MIN_PART_SIZE) throw usageError("--part-size must be at least 5MiB (R2's smallest part)");
  return {
    partSize,
    multipartThreshold:
      flags['multipart-threshold'] !== undefined
        ? parseSize(flags['multipart-threshold'], '--multipart-threshold')
        : DEFAULT_MULTIPART_THRESHOLD,
    concurrency: intOption(flags.concurrency, 'concurrency', 1, 32) ?? 4,
    stateDir: ctx.config.stateDir,
    apiKey: ctx.config.apiKey,
    onProgress,
    log: ctx.log,
  };
}
