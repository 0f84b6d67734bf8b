import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { convertSpeech, probeDuration, speechFlac } from '@whisper-edge/gpu-service/testing/fixtures';
import {
  encodeConversation,
  synthesizeConversation,
} from '@whisper-edge/gpu-service/testing/synthetic-conversation';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityFindings, launchChromium, screenshots } from './test-support/browser.js';
import { type RunningStack, startStack } from './test-support/stack.js';

/**
 * The web app end to end: Debian's real Chromium (driven by playwright-core) opens the page the Worker
 * serves under `npm start`'s stack (wrangler dev with local R2, the GPU service on the generated model),
 * uploads through Uppy straight to R2's S3 endpoint, transcribes, reads and exports. Nothing is mocked;
 * one part upload is cut off on purpose to check the page retries it.
 */
const MiB = 1024 * 1024;
/** Network-bound waits get room: the CI machine is shared, and a busy one is slow, not wrong. */
const eventually = { timeout: 15_000, interval: 100 };

/**
 * ~11.2 MB of WAV in 39 s (the speech clip with a short pause, six times, 48 kHz stereo 24-bit): three
 * 5 MiB parts, and just over one 30 s window of speech, so the transcript has more than one segment.
 */
function makeLongWav(): string {
  const once = convertSpeech('wav', [
    '-af',
    'apad=pad_dur=0.5',
    '-ar',
    '48000',
    '-ac',
    '2',
    '-c:a',
    'pcm_s32le',
  ]);
  const long = path.join(path.dirname(once), 'meeting-recording.wav');
  execFileSync('ffmpeg', ['-y', '-v', 'error', '-stream_loop', '5', '-i', once, '-c', 'copy', long]);
  return long;
}

let browser: Browser;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

async function openPage(stack: RunningStack, query = ''): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.edge });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  await page.goto(`${stack.edge}/${query}`);
  return page;
}

// Page-side expressions are strings: the scripts project compiles without the DOM's types.
const playerTime = (page: Page) =>
  page.evaluate<number>(`document.querySelector('#audio-player').currentTime`);

/** Adds files through the Dashboard's own file input, as "browse files" does (after "+" once it lists files). */
async function addFiles(page: Page, files: string[]): Promise<void> {
  const addMore = page.locator('button.uppy-DashboardContent-addMore');
  if (await addMore.isVisible()) await addMore.click();
  await page
    .locator('input.uppy-Dashboard-input[type=file]:not([webkitdirectory])')
    .first()
    .setInputFiles(files);
}

interface VerboseJson {
  duration: number;
  text: string;
  segments: Array<{ start: number; end: number; text: string; speaker?: string }>;
}

/**
 * Starts a transcription from the form — the page runs it as a job and follows its events — and
 * answers the job's verbose_json result as the page received it.
 */
/** The URL the page fetched the last job's result from (it names the job). */
let resultUrl = '';

async function transcribe(page: Page): Promise<VerboseJson> {
  const submitted = page.waitForResponse((r) => /\/v1\/audio\/(transcriptions|translations)$/.test(r.url()), {
    timeout: 60_000,
  });
  const answer = page.waitForResponse((r) => /\/v1\/jobs\/job_[0-9a-f]+\/result$/.test(r.url()), {
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Transcribe', exact: true }).click();
  expect((await submitted).status()).toBe(202);
  const response = await answer;
  expect(response.status()).toBe(200);
  resultUrl = response.url();
  await page.locator('#transcribe-status[data-outcome="done"]').waitFor({ timeout: 10_000 });
  return (await response.json()) as VerboseJson;
}

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe('web app, auth off', () => {
  let stack: RunningStack;
  let page: Page;
  const longWav = makeLongWav();

  beforeAll(async () => {
    stack = await startStack(['--test-model']);
    // Multipart forced with R2's smallest part size, so an 11.2 MB file goes up in three parts.
    page = await openPage(stack, '?multipart_over_mib=0&part_mib=5');
  });

  afterAll(async () => {
    await page?.context().close();
    await stack?.stop('SIGKILL');
  });

  it('is served by the Worker, with the API still answering beside it', async () => {
    await expect(page.title()).resolves.toContain('whisper-edge');
    await page.locator('#api-key-status[data-outcome="done"]').waitFor();
    expect(await page.locator('#api-key-status').textContent()).toContain('needs no key');
    expect(await page.locator('#model-select option').allTextContents()).toContain('whisper-1 (default)');
    const health = await fetch(`${stack.edge}/health`);
    expect(health.headers.get('content-type')).toContain('application/json');
    const missing = await fetch(`${stack.edge}/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { message: expect.any(String) } });
    await shot(page, '01-empty');
  });

  it('refuses a file that is not audio or video, with a message', async () => {
    const notes = path.join(path.dirname(longWav), 'notes.txt');
    writeFileSync(notes, 'not audio');
    await addFiles(page, [notes]);
    await expect
      .poll(() => page.locator('#upload-status').textContent(), eventually)
      .toMatch(/notes\.txt was not added: .*audio/);
    await shot(page, '02-rejected-type');
    // Named like audio but not audio: R2 takes the parts, the Worker refuses it at completion (415).
    const fake = path.join(path.dirname(longWav), 'fake.wav');
    writeFileSync(fake, 'RIFF? no, just text pretending to be a recording');
    const completion = page.waitForResponse((r) => /\/complete/.test(r.url()));
    await addFiles(page, [fake]);
    expect((await completion).status()).toBe(415);
    await expect
      .poll(() => page.locator('#upload-status').textContent(), eventually)
      .toMatch(/fake\.wav did not upload: Unsupported file type/);
    expect(await page.locator('#file-select option').allTextContents()).toEqual(['Upload a file first']);
    // Removed from the list, so the next upload does not take it along again.
    await page.getByRole('button', { name: 'Remove file' }).dispatchEvent('click');
    await expect.poll(() => page.getByRole('button', { name: 'Remove file' }).count(), eventually).toBe(0);
    // Beyond the GPU service's 2 GiB download cap: refused before a byte is sent (a sparse file, no disk).
    const huge = path.join(path.dirname(longWav), 'huge.wav');
    execFileSync('truncate', ['-s', String(2 * 1024 * MiB + 1), huge]);
    await addFiles(page, [huge]);
    await expect
      .poll(() => page.locator('#upload-status').textContent(), eventually)
      .toMatch(/huge\.wav was not added: .*exceeds.*2 GB/);
  });

  it('uploads straight to R2 in 5 MiB parts, retrying a part whose connection dropped', async () => {
    const size = statSync(longWav).size;
    expect(size).toBeGreaterThan(2 * 5 * MiB);
    const partPuts: string[] = [];
    let dropped = 0;
    // The first attempt at part 2 loses its connection mid-request; the page must send it again.
    await page.route('**/cdn-cgi/local/r2/s3/**', async (route) => {
      const url = new URL(route.request().url());
      if (route.request().method() === 'PUT' && url.searchParams.has('partNumber')) {
        partPuts.push(url.searchParams.get('partNumber')!);
        if (url.searchParams.get('partNumber') === '2' && dropped++ === 0)
          return route.abort('connectionreset');
      }
      return route.continue();
    });
    const completed = page.waitForResponse((r) => /\/v1\/uploads\/s3\/multipart\/.+\/complete/.test(r.url()));
    await addFiles(page, [longWav]);
    const completion = await completed;
    expect(completion.status()).toBe(200);
    const body = (await completion.json()) as { key: string; file_size: number };
    expect(body.file_size).toBe(size);
    expect(body.key).toMatch(/^uploads\/.+\.wav$/);
    uploadedKey = body.key;
    expect(partPuts.filter((n) => n === '2')).toHaveLength(2);
    expect(new Set(partPuts)).toEqual(new Set(['1', '2', '3']));
    await expect
      .poll(() => page.locator('#upload-status').textContent(), eventually)
      .toContain('meeting-recording.wav is in storage');
    expect(await page.locator('#file-select option:checked').textContent()).toContain(
      'meeting-recording.wav',
    );
    await page.unroute('**/cdn-cgi/local/r2/s3/**');
    await shot(page, '03-uploaded');
  });

  let result: VerboseJson;
  let uploadedKey: string;

  it('transcribes with the generated model, showing progress, then the segments beside the player', async () => {
    const busy = page.waitForFunction(
      `document.querySelector('#read-section').getAttribute('aria-busy') === 'true'`,
    );
    // Every status the page shows while the job runs, to see its live progress (job events) go by.
    await page.evaluate(`(() => {
      const status = document.querySelector('#transcribe-status');
      window.statusSeen = [];
      new MutationObserver(() => window.statusSeen.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
    })()`);
    const done = transcribe(page);
    await busy;
    expect(await page.locator('#transcribe-status').textContent()).toMatch(
      /Transcribing meeting-recording\.wav… \d+:\d\d/,
    );
    await shot(page, '04-transcribing');
    result = await done;
    expect(await page.locator('#read-section').getAttribute('aria-busy')).toBe('false');
    expect(Math.abs(result.duration - probeDuration(longWav))).toBeLessThan(0.2);
    const seen = await page.evaluate<string[]>('window.statusSeen');
    expect(seen.some((text) => /\d+ of \d+ s|words so far/.test(text))).toBe(true);
    expect(result.segments.length).toBeGreaterThan(1);
    const rendered = page.locator('#transcript button.segment');
    await expect.poll(() => rendered.count(), eventually).toBe(result.segments.length);
    const firstText = (await rendered.first().locator('.segment-text').textContent())?.replace(/\s+/g, ' ');
    expect(firstText).toBe(result.segments[0]!.text.trim().replace(/\s+/g, ' '));
    await expect.poll(() => page.locator('#audio-player').isVisible(), eventually).toBe(true);
    await shot(page, '05-transcript');
  });

  it('seeks the player to a line when it is clicked, and marks that line', async () => {
    await page.waitForFunction(`document.querySelector('#audio-player').readyState >= 1`);
    const index = result.segments.length - 1;
    const target = result.segments[index]!;
    await page.locator('#transcript button.segment').nth(index).click();
    const position = await playerTime(page);
    expect(position).toBeCloseTo(target.start, 2);
    expect(await page.locator('#transcript button.segment').nth(index).getAttribute('aria-current')).toBe(
      'true',
    );
    // Keyboard: Tab from the search box reaches the first line; Enter on it seeks like a click.
    await page.getByLabel('Search the transcript').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>(`document.activeElement.dataset.start`)).toBe(
      String(result.segments[0]!.start),
    );
    await page.keyboard.press('Enter');
    const start = await playerTime(page);
    expect(start).toBeCloseTo(result.segments[0]!.start, 2);
  });

  it('finds a word of the transcript with search', async () => {
    const word = result.segments[0]!.text.trim()
      .split(/\s+/)[0]!
      .replace(/[^\p{L}\p{N}]/gu, '');
    await page.getByLabel('Search the transcript').fill(word);
    const expected = result.segments.filter((s) => s.text.toLowerCase().includes(word.toLowerCase())).length;
    expect(await page.locator('#search-status').textContent()).toBe(
      `${expected} matching line${expected === 1 ? '' : 's'}`,
    );
    expect(await page.locator('#transcript mark').count()).toBeGreaterThanOrEqual(expected);
    await shot(page, '06-search');
    await page.getByLabel('Search the transcript').fill('');
  });

  it('downloads an SRT equal to the one the API renders for the same file', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download SRT' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('meeting-recording.srt');
    const srt = readFileSync((await file.path())!, 'utf8');
    expect(srt.split('\n\n').filter(Boolean)).toHaveLength(result.segments.length);
    expect(srt).toMatch(/^1\n\d\d:\d\d:\d\d,\d{3} --> \d\d:\d\d:\d\d,\d{3}\n/);
    // The generated model decodes deterministically, so the Worker's own SRT of the same object matches.
    const fromApi = await fetch(`${stack.edge}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        storage_key: uploadedKey,
        response_format: 'srt',
      }),
    });
    expect(fromApi.status).toBe(200);
    expect(srt).toBe(await fromApi.text());
  });

  it('gives the player the transcript as captions, and copies it to the clipboard', async () => {
    const vtt = await page.evaluate<string>(
      `fetch(document.querySelector('#audio-player track').src).then((r) => r.text())`,
    );
    expect(vtt.startsWith('WEBVTT\n')).toBe(true);
    expect(vtt.split('\n\n').filter(Boolean)).toHaveLength(result.segments.length + 1);
    await page.getByLabel('Copy as').selectOption('txt');
    await page.getByRole('button', { name: 'Copy to clipboard' }).click();
    await expect.poll(() => page.locator('#export-status').textContent(), eventually).toContain('Copied');
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(`${result.text.trim()}\n`);
  });

  it('has no WCAG 2 A/AA violations that axe-core finds, transcript shown', async () => {
    expect(await accessibilityFindings(page)).toEqual([]);
  });

  it('works at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('#transcript button.segment').first().scrollIntoViewIfNeeded();
    await shot(page, '07-phone');
  });

  it('reopens the transcript from the library after a reload, and saves an edit the API then serves', async () => {
    const jobId = /\/v1\/jobs\/(job_[0-9a-f]+)\/result$/.exec(resultUrl)![1]!;
    await page.setViewportSize({ width: 1280, height: 900 });
    // A fresh visit (the address without the open job's #job=): the library is the way back to it.
    await page.goto(`${stack.edge}/`);
    await page.locator('#api-key-status[data-outcome="done"]').waitFor();
    const item = page.locator(`#library-list [data-job="${jobId}"]`);
    await expect
      .poll(() => item.locator('.library-title').textContent(), eventually)
      .toBe('meeting-recording.wav');
    await item.getByRole('button', { name: 'Open meeting-recording.wav' }).click();
    await expect
      .poll(() => page.locator('#transcript button.segment').count(), eventually)
      .toBe(result.segments.length);
    // Its audio now comes from R2 through a short-lived signed URL, not from the local file.
    expect(await page.evaluate<string>(`document.querySelector('#audio-player').src`)).toMatch(
      /X-Amz-Signature=/,
    );
    await page.getByRole('button', { name: 'Edit transcript' }).click();
    const first = page.locator('#editor .edit-text').first();
    await first.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('An edited first line');
    await page.keyboard.press('Control+S');
    await expect
      .poll(() => page.locator('#edit-status').textContent(), eventually)
      .toBe('Saved as revision 1.');
    const text = await (await fetch(`${stack.edge}/v1/jobs/${jobId}/result?response_format=text`)).text();
    expect(text.startsWith('An edited first line')).toBe(true);
    const original = await fetch(
      `${stack.edge}/v1/jobs/${jobId}/result?response_format=text&revision=original`,
    );
    expect(await original.text()).toBe(`${result.text.trim()}\n`);
    await shot(page, '07b-edited');
  });

  it('plays a video file in a video player, with the transcript as its captions', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const clip = path.join(path.dirname(longWav), 'interview.webm');
    execFileSync(
      'ffmpeg',
      ['-y', '-v', 'error', '-f', 'lavfi', '-i', 'color=c=navy:s=320x240:d=6:r=15', '-i', speechFlac].concat([
        '-shortest',
        '-c:v',
        'libvpx',
        '-b:v',
        '200k',
        '-c:a',
        'libopus',
        clip,
      ]),
    );
    await addFiles(page, [clip]);
    await expect
      .poll(() => page.locator('#upload-status').textContent(), eventually)
      .toContain('interview.webm is in storage');
    const video = await transcribe(page);
    await expect.poll(() => page.locator('#video-player').isVisible(), eventually).toBe(true);
    expect(await page.locator('#audio-player').isVisible()).toBe(false);
    await page.waitForFunction(`document.querySelector('#video-player').readyState >= 1`);
    expect(await page.evaluate<number>(`document.querySelector('#video-player').videoWidth`)).toBe(320);
    await expect
      .poll(() => page.locator('#transcript button.segment').count(), eventually)
      .toBe(video.segments.length);
    await page.locator('#transcript button.segment').last().click();
    expect(await page.evaluate<number>(`document.querySelector('#video-player').currentTime`)).toBeCloseTo(
      video.segments.at(-1)!.start,
      2,
    );
    expect(await page.evaluate<string>(`document.querySelector('#video-player track').src`)).toMatch(
      /^blob:/,
    );
    await shot(page, '08-video');
  });

  it('pauses an upload and resumes it without re-sending the parts already stored', async () => {
    const page = await openPage(stack, '?multipart_over_mib=0&part_mib=5');
    const second = path.join(path.dirname(longWav), 'second-take.wav');
    copyFileSync(longWav, second);
    const puts: string[] = [];
    const stored = new Set<string>();
    const partOf = (url: string) => new URL(url).searchParams.get('partNumber');
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holdFirstPart = true;
    // Part 1's first attempt hangs like a slow link, so there is an upload in flight to pause.
    await page.route('**/cdn-cgi/local/r2/s3/**', async (route) => {
      const part = partOf(route.request().url());
      if (route.request().method() === 'PUT' && part) {
        puts.push(part);
        if (part === '1' && holdFirstPart) {
          holdFirstPart = false;
          await held;
          return route.continue().catch(() => undefined);
        }
      }
      return route.continue();
    });
    const onFinished = (request: { method(): string; url(): string }) => {
      const part = partOf(request.url());
      if (request.method() === 'PUT' && part) stored.add(part);
    };
    page.on('requestfinished', onFinished);
    await addFiles(page, [second]);
    await expect.poll(() => [...stored].sort(), eventually).toEqual(['2', '3']);
    await expect
      .poll(() => page.locator('#upload-speeds li').textContent(), eventually)
      .toMatch(/^second-take\.wav: \d+% · [\d.]+ (MB|kB|B)\/s$/);
    await page.getByRole('button', { name: 'Pause upload' }).click();
    await page.getByRole('button', { name: 'Resume upload' }).waitFor();
    release();
    const sentBeforeResume = puts.length;
    await page.getByRole('button', { name: 'Resume upload' }).click();
    await expect
      .poll(() => page.locator('#upload-status').textContent(), { timeout: 20_000 })
      .toContain('second-take.wav is in storage');
    expect(await page.locator('#upload-speeds li').textContent()).toBe('second-take.wav: stored');
    // Only the part that was cut off went again; the two stored before the pause did not.
    expect(puts.slice(sentBeforeResume)).toEqual(['1']);
    expect(await page.locator('#file-select option:checked').textContent()).toContain('second-take.wav');
    await page.context().close();
  });
});

describe('web app, auth on', () => {
  let stack: RunningStack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack(['--test-model', '--api-keys', 'web:sk-web-e2e-key-0123456789']);
    page = await openPage(stack);
  });

  afterAll(async () => {
    await page?.context().close();
    await stack?.stop('SIGKILL');
  });

  it('asks for the key, keeps it in the browser, and uploads and transcribes with it', async () => {
    await page.locator('#api-key-status[data-outcome="failed"]').waitFor();
    expect(await page.locator('#api-key-status').textContent()).toContain('needs an API key');
    await shot(page, '09-auth-needed');

    await page.getByLabel('API key').fill('sk-wrong');
    await page.getByRole('button', { name: 'Use key' }).click();
    await expect
      .poll(() => page.locator('#api-key-status').textContent(), eventually)
      .toContain('Incorrect API key');

    await page.getByLabel('API key').fill('sk-web-e2e-key-0123456789');
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.locator('#api-key-status[data-outcome="done"]').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('whisper-edge.api-key'))).toBe(
      'sk-web-e2e-key-0123456789',
    );

    // Below the multipart threshold: one pre-signed PUT, signed for this tenant.
    const params = page.waitForResponse((r) => r.url().includes('/v1/uploads/s3/params'));
    await addFiles(page, [speechFlac]);
    const signed = (await (await params).json()) as { key: string };
    expect(signed.key).toMatch(/^tenants\/web\/uploads\//);
    await expect
      .poll(() => page.locator('#upload-status').textContent(), eventually)
      .toContain('speech-en.flac is in storage');

    // A copy of the result is kept in the bucket, under this key's tenant root.
    await page.getByLabel('Save the result in the bucket').check();
    const result = await transcribe(page);
    expect(Math.abs(result.duration - probeDuration(speechFlac))).toBeLessThan(0.1);
    expect(await page.locator('#storage-url').textContent()).toMatch(
      /saved a copy at s3:\/\/default-uploads\/tenants\/web\/transcriptions\/.+\.json$/,
    );
    await expect
      .poll(() => page.locator('#transcript button.segment').count(), eventually)
      .toBe(result.segments.length);
    await shot(page, '10-auth-transcript');

    // Translation goes to OpenAI's translations endpoint and comes back as English.
    await page.getByLabel('Translate to English').check();
    const translation = (await transcribe(page)) as unknown as { task: string; language: string };
    expect(translation).toMatchObject({ task: 'translate', language: 'english' });
    await expect
      .poll(() => page.locator('#transcribe-status').textContent(), eventually)
      .toMatch(/^Done: .*english/);

    // The key came from the field: a fresh page in the same browser needs no typing.
    await page.reload();
    await page.locator('#api-key-status[data-outcome="done"]').waitFor();
  });

  it('shows speakers in colours with names that can be changed, and exports with those names', async () => {
    // Two espeak-ng voices taking turns; real diarization on the GPU service tells them apart.
    const conversation = synthesizeConversation({ seed: 3, speakers: 2, turns: 6, voices: [1, 2] });
    const twoVoices = encodeConversation(conversation, 'two-voices.flac');
    await page.getByLabel('API key').fill('sk-web-e2e-key-0123456789');
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.locator('#api-key-status[data-outcome="done"]').waitFor();
    await addFiles(page, [twoVoices]);
    await expect
      .poll(() => page.locator('#upload-status').textContent(), eventually)
      .toContain('two-voices.flac is in storage');
    await page.getByLabel('Transcribe', { exact: true }).check();
    await page.getByLabel('Tell speakers apart').check();
    await page.getByLabel('Number of speakers').fill('2');
    const sent = page.waitForRequest((r) => r.url().endsWith('/v1/audio/transcriptions'));
    const result = await transcribe(page);
    expect((await sent).postDataJSON()).toMatchObject({
      enable_diarization: true,
      num_speakers: 2,
      async: true,
    });
    expect(new Set(result.segments.map((s) => s.speaker))).toEqual(new Set(['SPEAKER_00', 'SPEAKER_01']));
    const chips = page.locator('#transcript .speaker-chip');
    expect(new Set(await chips.allTextContents())).toEqual(new Set(['Speaker 1', 'Speaker 2']));
    const colours = await page.evaluate<string[]>(
      `[...new Set([...document.querySelectorAll('#transcript .speaker-chip')].map((el) => getComputedStyle(el).color))]`,
    );
    expect(colours).toHaveLength(2);
    await page.getByLabel('Name for Speaker 2 (SPEAKER_01)').fill('Grievous');
    expect(new Set(await chips.allTextContents())).toEqual(new Set(['Speaker 1', 'Grievous']));
    await shot(page, '11-speakers');
    expect(await accessibilityFindings(page)).toEqual([]);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download SRT' }).click();
    const srt = readFileSync((await (await download).path())!, 'utf8');
    const cues = srt.trim().split('\n\n');
    expect(cues).toHaveLength(result.segments.filter((s) => s.text.trim()).length);
    for (const [i, cue] of cues.entries()) {
      const speaker = result.segments.filter((s) => s.text.trim())[i]!.speaker;
      expect(cue.split('\n')[2]).toMatch(speaker === 'SPEAKER_01' ? /^Grievous: / : /^Speaker 1: /);
    }
  });
});
