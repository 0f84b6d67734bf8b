import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3Client } from './test-support/local-s3.js';
import { partByPartUpload, runCli, startCli } from './test-support/run-cli.js';
import { freePort, type RunningStack, root, startStack } from './test-support/stack.js';

/**
 * The CLI (`npx whisper-edge`) end to end against `npm start -- --test-model`: wrangler dev with its
 * local R2 served over R2's S3 API (so multipart parts go straight to the bucket on SigV4 pre-signed
 * URLs, as in production), the queue and Durable Objects of jobs, and a real GPU service process.
 */
let stack: RunningStack;
let env: Record<string, string>;
let work: string;
let files: Server;
const speech = path.join(root, 'fixtures/audio/speech-en.flac');

/** Speech looped `times` over as 44.1 kHz stereo WAV: ≈ 1 MB per copy of the 6 s clip. */
function speechWav(times: number): string {
  const out = path.join(work, `speech-${times}.wav`);
  execFileSync(
    'ffmpeg',
    ['-y', '-loglevel', 'error', '-stream_loop', String(times - 1), '-i', speech].concat([
      '-ar',
      '44100',
      '-ac',
      '2',
      out,
    ]),
  );
  return out;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

async function storedSha256(key: string): Promise<string> {
  const response = await localS3Client().fetch(`${stack.edge}/cdn-cgi/local/r2/s3/default-uploads/${key}`);
  expect(response.status).toBe(200);
  return createHash('sha256')
    .update(new Uint8Array(await response.arrayBuffer()))
    .digest('hex');
}

async function job(id: string): Promise<{ status: string; result?: { text: string } }> {
  return (await (await fetch(`${stack.edge}/v1/jobs/${id}`)).json()) as { status: string };
}

const jobIdIn = (stderr: string) => /job (job_[0-9a-f]{32})/.exec(stderr)?.[1];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'whisper-edge-cli-'));
  stack = await startStack(['--test-model', '--allow-local-urls']);
  // A caller's own URL for `transcribe <url>` (loopback is allowed by --allow-local-urls only).
  files = createServer((_request, response) => {
    response.setHeader('content-type', 'audio/flac');
    response.end(readFileSync(speech));
  });
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  env = { WHISPER_EDGE_URL: stack.edge, WHISPER_EDGE_STATE_DIR: path.join(work, 'state') };
});

afterAll(async () => {
  await stack?.stop('SIGKILL');
  files?.close();
});

describe('whisper-edge transcribe', () => {
  it('transcribes a small file in one request, as a job, and prints the JSON transcript', async () => {
    const run = await runCli(['transcribe', speech, '-v'], env);
    expect(run.code, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as { text: string; usage: { type: string; seconds: number } };
    const id = jobIdIn(run.stderr)!;
    const done = await job(id);
    expect(done.status).toBe('succeeded');
    expect(answer.text).toBe(done.result?.text);
    expect(answer.text.length).toBeGreaterThan(0);
    expect(answer.usage).toEqual({ type: 'duration', seconds: 6 });
    // Not a terminal: no progress bar, nothing on stderr but what -v asked for.
    expect(run.stderr).not.toMatch(/Uploading|Transcribing|█/);
  });

  it('writes --format srt to --out: the bytes the API renders for the job', async () => {
    const out = path.join(work, 'speech.srt');
    const run = await runCli(['transcribe', speech, '--format', 'srt', '--out', out, '-v'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const srt = readFileSync(out, 'utf8');
    expect(srt).toMatch(/^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n/);
    const id = jobIdIn(run.stderr)!;
    expect(srt).toBe(await (await fetch(`${stack.edge}/v1/jobs/${id}/result`)).text());
  });

  it('sends a big file multipart straight to R2 in several parts, then transcribes it', async () => {
    const big = speechWav(12);
    const run = await runCli(
      ['transcribe', big, '--multipart-threshold', '0', '--part-size', '5MiB', '-f', 'verbose_json', '-v'],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr.match(/part \d+\/3 stored/g)).toHaveLength(3);
    const key = /uploaded s3:\/\/default-uploads\/(\S+)/.exec(run.stderr)![1]!;
    expect(await storedSha256(key)).toBe(sha256(big));
    const result = JSON.parse(run.stdout) as { duration: number; segments: unknown[] };
    expect(result.duration).toBeGreaterThan(70);
    expect(result.segments.length).toBeGreaterThan(1);
  }, 180_000);

  it('names the uploaded object when the transcription request after a multipart upload is refused', async () => {
    const big = speechWav(12);
    const run = await runCli(['transcribe', big, '--multipart-threshold', '0', '-l', 'klingon'], env);
    expect(run.code).toBe(1);
    const line = run.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^whisper-edge: transcribe: .*language.* \(HTTP 400, \w+\); the file is uploaded: /);
    const key = /whisper-edge transcribe s3:\/\/default-uploads\/(\S+)$/.exec(line)![1]!;
    expect(await storedSha256(key)).toBe(sha256(big));
  }, 120_000);

  it('draws upload and transcription progress bars on a terminal', async (context) => {
    // util-linux's `script` gives the CLI a pseudo-terminal, as a person's shell would.
    if (spawnSync('script', ['--version']).status !== 0) return context.skip('no `script` (util-linux) here');
    const command = [
      process.execPath,
      path.join(root, 'cli/bin/whisper-edge.js'),
      'transcribe',
      speechWav(8),
    ];
    const run = spawnSync('script', ['-qec', command.join(' '), '/dev/null'], {
      env: { ...process.env, ...env, COLUMNS: '120' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stdout).toBe(0);
    const screen = stripVTControlCharacters(run.stdout);
    expect(screen).toMatch(/Uploading +█{30} 100% \| 8\.\d\/8\.\d MiB/);
    expect(screen).toMatch(/Transcribing █{30} 100% \| succeeded, 48\/48 s of audio/);
    expect(screen).toMatch(/job job_[0-9a-f]{32} queued/);
    expect(screen).toContain('"usage":{"type":"duration","seconds":48}');
  }, 150_000);

  it('transcribes a URL the service fetches, with speakers, and translates', async () => {
    const { port } = files.address() as { port: number };
    const url = `http://127.0.0.1:${port}/speech.flac`;
    const run = await runCli(['transcribe', url, '--diarize', '-f', 'verbose_json'], env);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { segments: Array<{ speaker?: string }>; duration: number };
    expect(result.duration).toBeCloseTo(6, 0);
    expect(result.segments.length).toBeGreaterThan(0);
    expect(result.segments.every((s) => /^SPEAKER_\d\d$/.test(s.speaker ?? ''))).toBe(true);
    const translated = await runCli(['transcribe', speech, '--translate', '-f', 'verbose_json', '-v'], env);
    expect(translated.code, translated.stderr).toBe(0);
    expect((JSON.parse(translated.stdout) as { task: string }).task).toBe('translate');
  }, 120_000);

  it('stops following on Ctrl-C with 130 and says the job keeps running', async () => {
    const cli = startCli(['transcribe', speechWav(20), '-v'], env);
    for (let i = 0; i < 600 && !jobIdIn(cli.stderr()); i++) await new Promise((r) => setTimeout(r, 50));
    const id = jobIdIn(cli.stderr())!;
    expect(id).toBeDefined();
    cli.child.kill('SIGINT');
    const run = await cli.done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain(`stopped following job ${id}; it keeps running`);
    const cancel = await runCli(['jobs', 'cancel', id], env);
    expect(cancel.code, cancel.stderr).toBe(0);
  }, 120_000);
});

describe('whisper-edge upload', () => {
  it('resumes after Ctrl-C mid-upload: the parts already stored are not sent again', async () => {
    const file = speechWav(55); // ≈ 59 MB: 12 parts of 5 MiB
    const args = partByPartUpload(file);
    const stateDir = path.join(env.WHISPER_EDGE_STATE_DIR!, 'uploads');
    const storedParts = () => {
      if (!existsSync(stateDir)) return 0;
      const states = readdirSync(stateDir).filter((n) => n.endsWith('.json'));
      return states.length
        ? Object.keys(JSON.parse(readFileSync(path.join(stateDir, states[0]!), 'utf8')).parts).length
        : 0;
    };
    const first = startCli(args, env);
    while (storedParts() < 2 && first.child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    first.child.kill('SIGINT');
    const interrupted = await first.done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    const kept = storedParts();
    expect(kept).toBeGreaterThanOrEqual(2);
    expect(kept).toBeLessThan(12);
    expect(interrupted.stderr).toContain(`upload paused with ${kept} of 12 parts stored`);

    const second = await runCli(args, env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`${kept} of 12 parts already stored, sending ${12 - kept}`);
    const sentAgain = [...second.stderr.matchAll(/part (\d+)\/12 stored/g)].map((m) => Number(m[1]));
    expect(sentAgain.sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 - kept }, (_, i) => kept + 1 + i),
    );
    const uploaded = JSON.parse(second.stdout) as {
      key: string;
      file_size: number;
      parts: { sent: number; resumed: number };
    };
    expect(uploaded.parts).toMatchObject({ total: 12, sent: 12 - kept, resumed: kept });
    expect(uploaded.file_size).toBe(readFileSync(file).length);
    expect(await storedSha256(uploaded.key)).toBe(sha256(file));
    // Finished: nothing left to resume.
    expect(storedParts()).toBe(0);
    expect(readdirSync(stateDir)).toEqual([]);
  }, 180_000);

  it('uploads a small file in one request and prints where it is', async () => {
    const run = await runCli(['upload', speech], env);
    expect(run.code, run.stderr).toBe(0);
    const uploaded = JSON.parse(run.stdout) as { key: string; storage_url: string; file_size: number };
    expect(uploaded.storage_url).toBe(`s3://default-uploads/${uploaded.key}`);
    expect(await storedSha256(uploaded.key)).toBe(sha256(speech));
  });
});

describe('whisper-edge jobs', () => {
  it('lists, gets, cancels and fetches results of jobs', async () => {
    const long = await runCli(['upload', speechWav(40)], env);
    const { storage_url } = JSON.parse(long.stdout) as { storage_url: string };
    const submitted = await runCli(['transcribe', storage_url, '--no-wait'], env);
    expect(submitted.code, submitted.stderr).toBe(0);
    const { id } = JSON.parse(submitted.stdout) as { id: string };

    const list = await runCli(['jobs', 'list', '--json', '--limit', '5'], env);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { data: Array<{ id: string }> }).data[0]!.id).toBe(id);
    const table = await runCli(['jobs', 'list'], env);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+FORMAT\s+CREATED\s+PROGRESS\s+AUDIO\s+NAME$/);
    expect(table.stdout).toContain(id);

    const cancelled = await runCli(['jobs', 'cancel', id], env);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect((JSON.parse(cancelled.stdout) as { status: string }).status).toBe('cancelled');
    const got = await runCli(['jobs', 'get', id], env);
    expect((JSON.parse(got.stdout) as { status: string }).status).toBe('cancelled');
    // A cancelled job has no transcript: the API's error, one line, exit 1.
    const none = await runCli(['jobs', 'result', id], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      'whisper-edge: get the result: The job has no result (status: cancelled) (HTTP 409, job_not_finished)\n',
    );

    // A finished job's transcript in another format than it ran with, rendered from the stored result.
    const done = await runCli(['transcribe', speech, '--no-wait', '-f', 'json'], env);
    const finished = (JSON.parse(done.stdout) as { id: string }).id;
    for (let i = 0; i < 600 && (await job(finished)).status !== 'succeeded'; i++) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const out = path.join(work, 'result.vtt');
    const vtt = await runCli(['jobs', 'result', finished, '--format', 'vtt', '--out', out], env);
    expect(vtt.code, vtt.stderr).toBe(0);
    const row = (await runCli(['jobs', 'list'], env)).stdout.split('\n').find((l) => l.startsWith(finished));
    expect(row).toMatch(/ succeeded +json +\S+ +100% +6 s +speech-en\.flac$/);
    expect(readFileSync(out, 'utf8')).toMatch(/^WEBVTT\n\n\d\d:\d\d:\d\d\.\d{3} --> /);
    const missing = await runCli(['jobs', 'get', 'job_00000000000000000000000000000000'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('whisper-edge: get the job: Job not found (HTTP 404, job_not_found)\n');
  }, 180_000);
});

describe('whisper-edge arguments and failures', () => {
  it('exits 2 on bad arguments, naming the problem, before sending anything', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['transcribe'], /transcribe needs <file\|url>/],
      [['transcribe', speech, '--bogus'], /Unknown option '--bogus'/],
      [['transcribe', speech, '--format', 'docx'], /--format must be one of json, text, srt, vtt/],
      [['transcribe', path.join(work, 'nope.wav')], /no such file: .*nope\.wav/],
      [['upload', speech, '--part-size', '1MiB'], /--part-size must be at least 5MiB/],
      [['jobs', 'get', 'nope'], /'nope' is not a job id/],
      [['jobs', 'list', '--diarize'], /jobs list does not take --diarize/],
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['transcribe', speech, '--url', 'ftp://x'], /--url must be an http\(s\) URL/],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, { ...env, WHISPER_EDGE_URL: 'http://127.0.0.1:9' });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr.split('\n')[0]).toMatch(message);
      expect(run.stdout).toBe('');
    }
  });

  it('runs as `npx whisper-edge` from the repository', () => {
    const help = spawnSync('npx', ['whisper-edge', '--help'], { cwd: root, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('whisper-edge transcribe <file|url|s3://bucket/key>');
    const bad = spawnSync('npx', ['whisper-edge', 'transcribe'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });

  it('exits 4 when the edge cannot be reached', async () => {
    const run = await runCli(['jobs', 'list'], {
      ...env,
      WHISPER_EDGE_URL: `http://127.0.0.1:${await freePort()}`,
    });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(
      /^whisper-edge: list jobs: cannot reach http:\/\/127\.0\.0\.1:\d+ \(connection refused\)\n$/,
    );
  });
});
