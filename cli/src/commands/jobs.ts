import { usageError } from '../errors/cli-error.js';
import { ExitCode } from '../errors/exit-codes.js';
import { isJobId, isTerminal, type JobDocument } from '../jobs/job-document.js';
import { intOption, positionals } from './args.js';
import { type CommandContext, printJson, writeOutput } from './context.js';

function jobId(ctx: CommandContext): string {
  const [id] = positionals(ctx.invocation, ['id']);
  if (!isJobId(id!)) throw usageError(`'${id}' is not a job id (job_ and 32 hex digits)`);
  return id!;
}

interface JobList {
  data: JobDocument[];
  has_more: boolean;
  last_id: string | null;
}

function table(jobs: JobDocument[]): string {
  const rows = [
    ['ID', 'STATUS', 'FORMAT', 'CREATED', 'PROGRESS', 'AUDIO', 'NAME'],
    ...jobs.map((job) => [
      job.id,
      job.status,
      job.response_format,
      new Date(job.created_at * 1000).toISOString().replace('.000Z', 'Z'),
      job.progress.percent === null ? '-' : `${job.progress.percent}%`,
      typeof job.duration === 'number' ? `${Math.round(job.duration)} s` : '-',
      job.name ?? '-',
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export async function jobsList(ctx: CommandContext): Promise<number> {
  positionals(ctx.invocation, []);
  const query = new URLSearchParams();
  const limit = intOption(ctx.flags.limit, 'limit', 1, 100);
  if (limit !== undefined) query.set('limit', String(limit));
  if (ctx.flags.after) {
    if (!isJobId(ctx.flags.after)) throw usageError(`--after takes a job id, got '${ctx.flags.after}'`);
    query.set('after', ctx.flags.after);
  }
  const list = await ctx.api.json<JobList>(`/v1/jobs${query.size ? `?${query}` : ''}`, { what: 'list jobs' });
  if (ctx.flags.json) {
    printJson(list);
    return ExitCode.ok;
  }
  process.stdout.write(`${list.data.length ? table(list.data) : 'no jobs'}\n`);
  if (list.has_more) process.stdout.write(`… more: whisper-edge jobs list --after ${list.last_id}\n`);
  return ExitCode.ok;
}

export async function jobsGet(ctx: CommandContext): Promise<number> {
  printJson(await ctx.api.json<JobDocument>(`/v1/jobs/${jobId(ctx)}`, { what: 'get the job' }));
  return ExitCode.ok;
}

export async function jobsCancel(ctx: CommandContext): Promise<number> {
  const id = jobId(ctx);
  const before = await ctx.api.json<JobDocument>(`/v1/jobs/${id}`, { what: 'get the job' });
  const job = await ctx.api.json<JobDocument>(`/v1/jobs/${id}`, { method: 'DELETE', what: 'cancel the job' });
  if (isTerminal(before.status)) ctx.note(`job ${id} had already ${before.status}: nothing to cancel`);
  printJson(job);
  return ExitCode.ok;
}

export async function jobsResult(ctx: CommandContext): Promise<number> {
  const id = jobId(ctx);
  const query = ctx.flags.format ? `?response_format=${encodeURIComponent(ctx.flags.format)}` : '';
  const response = await ctx.api.request(`/v1/jobs/${id}/result${query}`, { what: 'get the result' });
  writeOutput(ctx, await response.text());
  return ExitCode.ok;
}
