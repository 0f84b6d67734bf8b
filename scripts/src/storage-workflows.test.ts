import { openAsBlob, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localS3Client } from './test-support/local-s3.js';
import { type RunningStack, root, startStack } from './test-support/stack.js';

/**
 * The storage guide's workflows, end to end on the local stack. wrangler dev's R2 S3 endpoint is a
 * real S3-compatible server that checks SigV4 signatures and expiry: it stands in for AWS S3 here
 * (`--local-s3`), and pre-signed inputs may be http on loopback (`--allow-local-urls`, dev only).
 */
const speechFlac = path.join(root, 'fixtures/audio/speech-en.flac');
const s3 = localS3Client();

let stack: RunningStack;
let edge: string;

async function presigned(key: string, method: 'GET' | 'PUT', expires = 600): Promise<string> {
  const url = `${edge}/cdn-cgi/local/r2/s3/default-uploads/${key}?X-Amz-Expires=${expires}`;
  return (await s3.sign(new Request(url, { method }), { aws: { signQuery: true } })).url;
}

async function readObject(storageUrl: string): Promise<string> {
  const key = storageUrl.replace(/^s3:\/\/default-uploads\//, '');
  const response = await fetch(await presigned(key, 'GET'));
  expect(response.status).toBe(200);
  return response.text();
}

function urlencoded(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  };
}

beforeAll(async () => {
  stack = await startStack(['--test-model', '--local-s3', '--allow-local-urls']);
  edge = stack.edge;
});

afterAll(async () => {
  await stack?.stop('SIGKILL');
});

describe('storage guide workflows', () => {
  it('health reports R2 and S3 clients', async () => {
    const body = (await (await fetch(`${edge}/health`)).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ storage_clients: { r2_enabled: true, s3_enabled: true } });
  });

  it('Example 1: upload to R2, then transcribe it by storage_key with the result stored in R2', async () => {
    const form = new FormData();
    form.append('file', await openAsBlob(speechFlac), 'large_audio.flac');
    const uploaded = (await (await fetch(`${edge}/v1/uploads`, { method: 'POST', body: form })).json()) as {
      key: string;
      bucket: string;
      status: string;
    };
    expect(uploaded).toMatchObject({ status: 'success', bucket: 'default-uploads' });

    const response = await fetch(
      `${edge}/v1/audio/transcriptions`,
      urlencoded({
        storage_key: uploaded.key,
        output_key: 'transcriptions/result.json',
        stored_output: 'true',
        enable_diarization: 'true',
        response_format: 'verbose_json',
      }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { text: string; storage_url: string; duration: number };
    expect(body.storage_url).toBe('s3://default-uploads/transcriptions/result.json');
    const stored = JSON.parse(await readObject(body.storage_url)) as { text: string };
    expect(stored.text).toBe(body.text);
  });

  it('Example 2: transcribe from a pre-signed URL and export the result to S3', async () => {
    const put = await fetch(await presigned('enterprise/audio.flac', 'PUT'), {
      method: 'PUT',
      body: readFileSync(speechFlac),
    });
    expect(put.status).toBe(200);
    const response = await fetch(
      `${edge}/v1/audio/transcriptions`,
      urlencoded({
        s3_presigned_url: await presigned('enterprise/audio.flac', 'GET'),
        output_bucket: 'default-uploads',
        output_key: 'meetings/2024/dec/meeting_001_transcript.json',
        output_use_r2: 'false',
        enable_diarization: 'true',
      }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { text: string; storage_url: string; usage: unknown };
    expect(body.storage_url).toBe('s3://default-uploads/meetings/2024/dec/meeting_001_transcript.json');
    expect(JSON.parse(await readObject(body.storage_url))).toEqual({ text: body.text, usage: body.usage });
  });

  it('Example 3: a direct upload with the result archived as SRT', async () => {
    const form = new FormData();
    form.append('file', await openAsBlob(speechFlac), 'meeting.flac');
    for (const [k, v] of Object.entries({
      output_bucket: 'default-uploads',
      output_use_r2: 'true',
      response_format: 'srt',
      enable_diarization: 'true',
    })) {
      form.append(k, v);
    }
    const response = await fetch(`${edge}/v1/audio/transcriptions`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const storageUrl = response.headers.get('x-storage-url')!;
    expect(storageUrl).toMatch(/^s3:\/\/default-uploads\/transcriptions\/.+\.srt$/);
    expect(await readObject(storageUrl)).toBe(await response.text());
  });

  it('answers 400 "Failed to download from pre-signed URL" with the upstream status for an expired URL', async () => {
    await fetch(await presigned('enterprise/short.flac', 'PUT'), {
      method: 'PUT',
      body: readFileSync(speechFlac),
    });
    const expiring = await presigned('enterprise/short.flac', 'GET', 1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const response = await fetch(
      `${edge}/v1/audio/transcriptions`,
      urlencoded({ s3_presigned_url: expiring }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toBe('Failed to download from pre-signed URL (upstream HTTP 403)');
  });

  it('answers the same for a tampered signature', async () => {
    const url = new URL(await presigned('enterprise/audio.flac', 'GET'));
    const signature = url.searchParams.get('X-Amz-Signature')!;
    url.searchParams.set('X-Amz-Signature', `${signature.slice(0, -4)}0000`);
    const response = await fetch(
      `${edge}/v1/audio/transcriptions`,
      urlencoded({ s3_presigned_url: url.toString() }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'Failed to download from pre-signed URL (upstream HTTP 403)',
    );
  });

  it('reports a failed export without losing the transcript', async () => {
    const form = new FormData();
    form.append('file', await openAsBlob(speechFlac), 'meeting.flac');
    form.append('output_bucket', 'no-such-bucket');
    form.append('output_use_r2', 'true');
    const response = await fetch(`${edge}/v1/audio/transcriptions`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { text: string; export_error: string };
    expect(body.text.length).toBeGreaterThan(0);
    expect(body.export_error).toBe('could not write the result (upstream HTTP 404)');
  });
});
