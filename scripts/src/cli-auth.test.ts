import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3Client } from './test-support/local-s3.js';
import { type PartProxy, startPartProxy } from './test-support/part-proxy.js';
import { partByPartUpload, runCli, startCli } from './test-support/run-cli.js';
import { freePort, type RunningStack, root, startStack } from './test-support/stack.js';

/**
 * The CLI against a Worker with API keys on and parts going through its own signed part route
 * (`--object-route`), with a proxy in front of the URLs it mints that counts the part PUTs: resuming
 * after Ctrl-C is checked from outside the CLI, and the Worker's part ledger lists what it holds.
 */
let stack: RunningStack;
let proxy: PartProxy;
let work: string;
const key = `sk-cli-${randomBytes(16).toString('hex')}`;
const speech = path.join(root, 'fixtures/audio/speech-en.flac');
let env: Record<string, string>;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'whisper-edge-cli-auth-'));
  const port = await freePort();
  proxy = await startPartProxy(() => `http://127.0.0.1:${port}`);
  stack = await startStack(
    ['--edge-only', '--object-route', '--api-keys', `team:${key}`, '--port', String(port)],
    240_000,
    {
      PUBLIC_URL: proxy.url,
    },
  );
  env = { WHISPER_EDGE_URL: stack.edge, WHISPER_EDGE_STATE_DIR: path.join(work, 'state') };
});

afterAll(async () => {
  await stack?.stop('SIGKILL');
  await proxy?.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('whisper-edge with API keys', () => {
  it('exits 3 with the API’s one-line error for a missing or wrong key, and works with the right one', async () => {
    const missing = await runCli(['upload', speech], env);
    expect(missing.code).toBe(3);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/^whisper-edge: upload: Missing API key.*\(HTTP 401, \w+\)\n$/);

    const wrong = await runCli(['jobs', 'list', '--api-key', 'sk-wrong-0123456789abcdef'], env);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toBe(
      'whisper-edge: list jobs: Incorrect API key provided (HTTP 401, invalid_api_key)\n',
    );

    const right = await runCli(['upload', speech], { ...env, WHISPER_EDGE_API_KEY: key });
    expect(right.code, right.stderr).toBe(0);
    expect((JSON.parse(right.stdout) as { key: string }).key).toMatch(/^tenants\/team\/uploads\//);
    // The flag wins over the environment.
    const flagWins = await runCli(['jobs', 'list', '--api-key', 'sk-wrong-0123456789abcdef'], {
      ...env,
      WHISPER_EDGE_API_KEY: key,
    });
    expect(flagWins.code).toBe(3);
  });

  it('resumes an interrupted multipart upload without sending a stored part again (counted at the proxy)', async () => {
    const file = path.join(work, 'long.wav');
    // ≈ 19 MB: four 5 MiB parts.
    execFileSync('ffmpeg', [
      '-y',
      '-loglevel',
      'error',
      '-stream_loop',
      '17',
      '-i',
      speech,
      '-ar',
      '44100',
      '-ac',
      '2',
      file,
    ]);
    const args = partByPartUpload(file);
    const withKey = { ...env, WHISPER_EDGE_API_KEY: key };

    // Part 3 is held by the proxy: Ctrl-C lands while it is on the wire, after parts 1 and 2 were stored.
    const held = proxy.hold(3);
    const first = startCli(args, withKey);
    await held;
    first.child.kill('SIGINT');
    const interrupted = await first.done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toContain(
      'upload paused with 2 of 4 parts stored: run the same command again to resume',
    );
    const uploadId = proxy.puts[0]!.uploadId;
    // As if the CLI had died between the store's answer for part 2 and writing it down: the Worker's
    // part ledger (listed on resume) still knows it.
    const stateDir = path.join(env.WHISPER_EDGE_STATE_DIR!, 'uploads');
    const [stateName] = readdirSync(stateDir);
    const state = JSON.parse(readFileSync(path.join(stateDir, stateName!), 'utf8')) as {
      parts: Record<string, string>;
    };
    expect(Object.keys(state.parts)).toEqual(['1', '2']);
    delete state.parts['2'];
    writeFileSync(path.join(stateDir, stateName!), JSON.stringify(state));

    const second = await runCli(args, withKey);
    expect(second.code, second.stderr).toBe(0);
    const sent = proxy.puts.filter((p) => p.uploadId === uploadId).map((p) => p.partNumber);
    // 1 and 2 once (first run), 3 twice (held, then again), 4 once.
    expect(sent).toEqual([1, 2, 3, 3, 4]);
    const uploaded = JSON.parse(second.stdout) as { key: string; parts: { sent: number; resumed: number } };
    expect(uploaded.parts).toMatchObject({ total: 4, sent: 2, resumed: 2 });
    expect(second.stderr).toContain('2 of 4 parts already stored, sending 2');
    const stored = await localS3Client().fetch(
      `${stack.edge}/cdn-cgi/local/r2/s3/default-uploads/${uploaded.key}`,
    );
    expect(sha256(new Uint8Array(await stored.arrayBuffer()))).toBe(sha256(readFileSync(file)));
  }, 120_000);

  it('starts over when the stored upload was aborted at the store meanwhile', async () => {
    const file = path.join(work, 'long.wav');
    const args = partByPartUpload(file);
    const withKey = { ...env, WHISPER_EDGE_API_KEY: key };
    const held = proxy.hold(2);
    const first = startCli(args, withKey);
    await held;
    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
    const stateDir = path.join(env.WHISPER_EDGE_STATE_DIR!, 'uploads');
    const state = JSON.parse(readFileSync(path.join(stateDir, readdirSync(stateDir)[0]!), 'utf8')) as {
      uploadId: string;
      key: string;
    };
    const aborted = await fetch(
      `${stack.edge}/v1/uploads/s3/multipart/${encodeURIComponent(state.uploadId)}?key=${encodeURIComponent(state.key)}`,
      { method: 'DELETE', headers: { authorization: `Bearer ${key}` } },
    );
    expect(aborted.status).toBe(200);

    const second = await runCli(args, withKey);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/cannot be resumed \(.*HTTP 404.*\); starting again/);
    const uploaded = JSON.parse(second.stdout) as { key: string; parts: { sent: number; upload_id: string } };
    expect(uploaded.parts.upload_id).not.toBe(state.uploadId);
    expect(uploaded.parts.sent).toBe(4);
    const stored = await localS3Client().fetch(
      `${stack.edge}/cdn-cgi/local/r2/s3/default-uploads/${uploaded.key}`,
    );
    expect(sha256(new Uint8Array(await stored.arrayBuffer()))).toBe(sha256(readFileSync(file)));
  }, 120_000);
});
