import { ExitCode } from '../errors/exit-codes.js';
import { uploadProgress } from '../progress/progress-bar.js';
import { localFile } from '../upload/local-file.js';
import { sendFile } from '../upload/send-file.js';
import { positionals } from './args.js';
import { type CommandContext, printJson } from './context.js';
import { uploadOptions } from './upload-options.js';

export async function upload(ctx: CommandContext): Promise<number> {
  const [name] = positionals(ctx.invocation, ['file']);
  const file = localFile(name!);
  const bar = uploadProgress(ctx.progress, 'Uploading', file.size);
  const options = uploadOptions(ctx, (bytes) => bar.update(bytes));
  try {
    const uploaded = await sendFile(ctx.api, file, options);
    bar.stop();
    printJson({
      key: uploaded.key,
      bucket: uploaded.bucket,
      storage_url: uploaded.storage_url,
      file_size: uploaded.file_size,
      ...(uploaded.parts ? { parts: uploaded.parts } : {}),
    });
    return ExitCode.ok;
  } finally {
    bar.stop();
  }
}
