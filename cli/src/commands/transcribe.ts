import { ApiFailure } from '../api/api-error.js';
import { CliError, Interrupted, usageError } from '../errors/cli-error.js';
import { ExitCode } from '../errors/exit-codes.js';
import { followJob } from '../jobs/follow-job.js';
import type { JobDocument } from '../jobs/job-document.js';
import { jobProgress, uploadProgress } from '../progress/progress-bar.js';
import { formBody } from '../upload/form-body.js';
import { type LocalFile, localFile } from '../upload/local-file.js';
import { sendFile } from '../upload/send-file.js';
import { intOption, positionals } from './args.js';
import { type CommandContext, printJson, writeOutput } from './context.js';
import { uploadOptions } from './upload-options.js';

type Input =
  | { kind: 'file'; file: LocalFile }
  | { kind: 'url'; url: string }
  | { kind: 'stored'; key: string };

function input(text: string): Input {
  if (/^https?:\/\//i.test(text)) return { kind: 'url', url: text };
  const stored = /^s3:\/\/[^/]+\/(.+)$/.exec(text);
  if (stored) return { kind: 'stored', key: stored[1]! };
  return { kind: 'file', file: localFile(text) };
}

/** The API fields the options stand for, as form pairs (repeatable names keep their order). */
function requestFields(ctx: CommandContext): Array<[string, string]> {
  const { flags } = ctx;
  const fields: Array<[string, string]> = [
    ['async', 'true'],
    ['response_format', flags.format ?? 'json'],
  ];
  if (flags.language) fields.push(['language', flags.language]);
  if (flags.prompt) fields.push(['prompt', flags.prompt]);
  if (flags.model) fields.push(['model', flags.model]);
  const speakers = intOption(flags.speakers, 'speakers', 1, 32);
  if (flags.diarize || speakers !== undefined) fields.push(['enable_diarization', 'true']);
  if (speakers !== undefined) fields.push(['num_speakers', String(speakers)]);
  if (flags['word-timestamps']) {
    fields.push(['timestamp_granularities[]', 'word'], ['timestamp_granularities[]', 'segment']);
  }
  for (const field of flags.field ?? []) {
    const at = field.indexOf('=');
    if (at < 1) throw usageError(`--field takes name=value, got '${field}'`);
    fields.push([field.slice(0, at), field.slice(at + 1)]);
  }
  return fields;
}

function describeJob(job: JobDocument): string {
  if (job.status === 'queued') return job.last_error ? `queued (${job.last_error})` : 'waiting for a GPU';
  const p = job.progress;
  const seconds = `${Math.round(p.processed_seconds)}${p.total_seconds ? `/${Math.round(p.total_seconds)}` : ''} s of audio`;
  const eta = p.eta_seconds !== null && job.status === 'running' ? `, ${p.eta_seconds} s left` : '';
  return `${job.status}, ${seconds}${eta}`;
}

/** Submits the transcription as a job; a local file rides in the request or is uploaded first. */
async function submit(
  ctx: CommandContext,
  source: Input,
  fields: Array<[string, string]>,
): Promise<JobDocument> {
  const path = ctx.flags.translate ? '/v1/audio/translations' : '/v1/audio/transcriptions';
  const what = ctx.flags.translate ? 'translate' : 'transcribe';
  const urlencoded = async (extra: Array<[string, string]>) =>
    ctx.api.json<JobDocument>(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams([...extra, ...fields]).toString(),
      what,
    });
  if (source.kind === 'url') return urlencoded([['s3_presigned_url', source.url]]);
  if (source.kind === 'stored') return urlencoded([['storage_key', source.key]]);

  const { file } = source;
  const bar = uploadProgress(ctx.progress, 'Uploading   ', file.size);
  const options = uploadOptions(ctx, (bytes) => bar.update(bytes));
  try {
    if (file.size > options.multipartThreshold) {
      const uploaded = await sendFile(ctx.api, file, options);
      bar.stop();
      ctx.log(`uploaded ${uploaded.storage_url}`);
      try {
        return await urlencoded([['storage_key', uploaded.key]]);
      } catch (error) {
        // The bytes are in the bucket: say how to use them rather than have a big file sent again.
        if (!(error instanceof CliError) || error instanceof Interrupted) throw error;
        throw new CliError(
          `${error.message}; the file is uploaded: whisper-edge transcribe ${uploaded.storage_url}`,
          error.exitCode,
        );
      }
    }
    // Small files ride in the transcription request itself (streamed into R2 by the Worker).
    let sent = 0;
    const form = formBody(fields, file, (n) => {
      sent += n;
      bar.update(sent);
    });
    const job = await ctx.api.json<JobDocument>(path, {
      method: 'POST',
      headers: { 'content-type': form.contentType, 'content-length': String(form.length) },
      body: form.body,
      duplex: 'half',
      what,
    });
    bar.stop();
    return job;
  } finally {
    bar.stop();
  }
}

export async function transcribe(ctx: CommandContext): Promise<number> {
  const [target] = positionals(ctx.invocation, ['file|url']);
  const source = input(target!);
  const fields = requestFields(ctx);
  const job = await submit(ctx, source, fields);
  if (job.object !== 'transcription.job' || !job.id) {
    throw new CliError('the edge did not answer with a job (is it a whisper-edge deployment?)');
  }
  if (ctx.flags['no-wait']) {
    printJson(job);
    return ExitCode.ok;
  }
  ctx.note(`job ${job.id} ${job.status}`);
  const bar = jobProgress(ctx.progress);
  let done: JobDocument;
  try {
    done = await followJob(ctx.api, job.id, (update) =>
      bar.update(update.status === 'succeeded' ? 100 : (update.progress.percent ?? 0), describeJob(update)),
    );
  } catch (error) {
    if (error instanceof Interrupted) {
      throw new Interrupted(
        `stopped following job ${job.id}; it keeps running: whisper-edge jobs get ${job.id} (or jobs cancel ${job.id})`,
      );
    }
    throw error;
  } finally {
    bar.stop();
  }
  if (done.status === 'cancelled') throw new CliError(`job ${done.id} was cancelled`);
  if (done.status === 'failed') {
    const code = done.error?.code ? ` (${done.error.code})` : '';
    throw new CliError(`job ${done.id} failed: ${done.error?.message ?? 'no reason given'}${code}`);
  }
  ctx.log(`job ${done.id} succeeded after ${done.attempts} attempt(s)`);
  if (done.export_error) ctx.note(`the stored copy failed: ${done.export_error}`);
  let response: Response;
  try {
    response = await ctx.api.request(`/v1/jobs/${done.id}/result`, { what: 'get the result' });
  } catch (error) {
    if (error instanceof ApiFailure) throw new CliError(`job ${done.id} succeeded, but ${error.message}`);
    throw error;
  }
  writeOutput(ctx, await response.text());
  return ExitCode.ok;
}
