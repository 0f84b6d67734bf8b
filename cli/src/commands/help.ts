import { responseFormats } from '@whisper-edge/shared';
import { DEFAULT_URL } from '../config.js';

const COMMON = `Connection (every command):
  --url <url>          the edge (env WHISPER_EDGE_URL; default ${DEFAULT_URL})
  --api-key <key>      Bearer key when the edge has API_KEYS (env WHISPER_EDGE_API_KEY)
  -q, --quiet          no progress bars (they are shown only on a terminal anyway)
  -v, --verbose        say what happens on stderr (parts stored, job id, resumes)
  --state-dir <dir>    where unfinished uploads are remembered (env WHISPER_EDGE_STATE_DIR;
                       default $XDG_STATE_HOME/whisper-edge or ~/.local/state/whisper-edge)
  -h, --help           this help`;

const UPLOAD = `Uploads:
  --multipart-threshold <size>  files larger than this go multipart straight to R2 (default 64MiB;
                                0 = always); smaller ones in one request through the Worker
  --part-size <size>            multipart part size (default 8MiB, at least 5MiB; grown for > 10,000 parts)
  --concurrency <n>             parts sent at once (default 4)
  Ctrl-C pauses a multipart upload: run the same command again and only the missing parts are sent.`;

const EXIT = `Exit status: 0 done, 1 the job failed or the API refused, 2 bad arguments, 3 API key missing or
wrong, 4 the edge cannot be reached, 130 interrupted (Ctrl-C).`;

const TOPICS: Record<string, string> = {
  general: `whisper-edge — command-line client for a whisper-edge deployment

Usage:
  whisper-edge transcribe <file|url|s3://bucket/key> [options]   transcribe (runs a job, follows it)
  whisper-edge upload <file> [options]                           put a file into the bucket
  whisper-edge jobs list [--limit n] [--after id] [--json]       your jobs, newest first
  whisper-edge jobs get <id>                                      one job (JSON)
  whisper-edge jobs cancel <id>                                   cancel a queued or running job
  whisper-edge jobs result <id> [--format f] [--out file]         a finished job's transcript
  whisper-edge help <command>                                     options of one command

From a checkout of the repository: npx whisper-edge …

${COMMON}

${EXIT}`,
  transcribe: `whisper-edge transcribe <file|url|s3://bucket/key> [options]

A local file is uploaded (one request when small, multipart straight to R2 when large), an https URL
is fetched by the service (s3_presigned_url), s3://bucket/key names an object already uploaded. The
transcription runs as a job; its progress is shown until it ends, then the transcript is printed.

Options:
  -f, --format <f>       ${responseFormats.join(', ')} (default json)
  -o, --out <file>       write the transcript there instead of stdout
  -l, --language <code>  spoken language (default: detected)
  --diarize              label speakers (enable_diarization)
  --speakers <n>         exact number of speakers (implies --diarize)
  --word-timestamps      word times (timestamp_granularities[]=word,segment; needs verbose_json)
  --prompt <text>        context or spellings for the decoder
  --model <name>         a model the service serves (GET /v1/models)
  --translate            translate into English (/v1/audio/translations)
  -F, --field <k=v>      any other API field, repeatable (-F keywords[]=Kubernetes -F max_line_chars=42)
  --no-wait              submit and print the job, do not follow it

${UPLOAD}

${COMMON}

${EXIT}`,
  upload: `whisper-edge upload <file> [options]

Puts the file into the bucket and prints {key, bucket, storage_url, file_size} as JSON; transcribe it
later with: whisper-edge transcribe s3://<bucket>/<key>

${UPLOAD}

${COMMON}

${EXIT}`,
  'jobs list': `whisper-edge jobs list|get|cancel|result

  jobs list [--limit n] [--after job_…] [--json]   your jobs, newest first (a table, or the API's JSON)
  jobs get <id>                                     the job document (status, progress, error) as JSON
  jobs cancel <id>                                  stop a queued or running job (prints the job)
  jobs result <id> [-f format] [-o file]            the transcript of a finished job, in its own format
                                                    or any other (rendered from the stored result)

${COMMON}

${EXIT}`,
};

export function helpText(command: string | undefined): string {
  if (command?.startsWith('jobs')) return TOPICS['jobs list']!;
  return TOPICS[command ?? 'general'] ?? TOPICS.general!;
}
