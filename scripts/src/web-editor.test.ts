import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loopSpeech } from '@whisper-edge/gpu-service/testing/fixtures';
import {
  encodeConversation,
  synthesizeConversation,
} from '@whisper-edge/gpu-service/testing/synthetic-conversation';
import type { TranscriptionResult } from '@whisper-edge/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityFindings, launchChromium, screenshots } from './test-support/browser.js';
import { type RunningStack, startStack } from './test-support/stack.js';

/**
 * The library and the editor end to end: Debian's Chromium (playwright-core) on the page the Worker
 * serves under `npm start`'s stack with auth on (wrangler dev with local R2 and its SigV4 S3 endpoint,
 * the GPU service on the generated model, real diarization). Jobs are submitted through the API, then
 * found, opened, edited by keyboard, saved and deleted through the page. Nothing is mocked.
 */
const eventually = { timeout: 20_000, interval: 100 };
// wrangler dev keeps its local R2 and Durable Objects between runs: tenants of their own per run.
const RUN = Math.random().toString(36).slice(2, 8);
const KEY = `sk-editor-e2e-${RUN}-0123456789`;
const OTHER_KEY = `sk-other-e2e-${RUN}-0123456789`;

let browser: Browser;
let stack: RunningStack;
let page: Page;
let jobId: string;
let original: TranscriptionResult;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

const api = (pathname: string, init: RequestInit = {}, key = KEY) =>
  fetch(`${stack.edge}${pathname}`, {
    ...init,
    headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) },
  });

async function submit(file: string, fields: Record<string, string>): Promise<string> {
  const body = new FormData();
  body.append('file', new Blob([readFileSync(file)], { type: 'audio/flac' }), path.basename(file));
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  const response = await api('/v1/audio/transcriptions', { method: 'POST', body });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function finished(id: string): Promise<{ status: string }> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const job = (await (await api(`/v1/jobs/${id}`)).json()) as { status: string };
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// Page-side expressions are strings: the scripts project compiles without the DOM's types.
const player = (expression: string) =>
  page.evaluate<number | boolean>(`document.querySelector('#audio-player').${expression}`);
const focusedText = () =>
  page.evaluate<{ key: string; value: string; start: number; end: number } | null>(`(() => {
    const el = document.activeElement;
    if (!el || !el.classList.contains('edit-text')) return null;
    return { key: el.closest('li').dataset.key, value: el.value, start: el.selectionStart, end: el.selectionEnd };
  })()`);
const rows = () => page.locator('#editor .edit-text');

async function useKey(key: string): Promise<void> {
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Use key' }).click();
  await page.locator('#api-key-status[data-outcome="done"]').waitFor();
}

beforeAll(async () => {
  stack = await startStack(['--test-model', '--api-keys', `editor-${RUN}:${KEY},other-${RUN}:${OTHER_KEY}`]);
  browser = await launchChromium();
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  // Two espeak-ng voices taking turns, diarized for real, with word times and their probabilities.
  const conversation = synthesizeConversation({ seed: 3, speakers: 2, turns: 6, voices: [1, 2] });
  jobId = await submit(encodeConversation(conversation, 'two-voices.flac'), {
    async: 'true',
    response_format: 'verbose_json',
    'timestamp_granularities[]': 'word',
    enable_diarization: 'true',
    num_speakers: '2',
  });
  expect((await finished(jobId)).status).toBe('succeeded');
  original = (await (await api(`/v1/jobs/${jobId}/result/revisions/original`)).json()) as TranscriptionResult;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop('SIGKILL');
});

describe('web library and editor, auth on', () => {
  it('lists the key’s jobs with name, length, speakers, and follows a running one live', async () => {
    await page.goto(`${stack.edge}/`);
    await useKey(KEY);
    const item = page.locator(`#library-list [data-job="${jobId}"]`);
    await expect.poll(() => item.locator('.library-title').textContent(), eventually).toBe('two-voices.flac');
    expect(await item.locator('.library-summary').textContent()).toMatch(/ · \d\d:\d\d · done · 2 speakers$/);
    // A job submitted now shows up unfinished, then done, without a reload (the page polls while it runs).
    const running = await submit(loopSpeech('flac', 6), { async: 'true' });
    await page.getByRole('button', { name: 'Refresh' }).click();
    const runningItem = page.locator(`#library-list [data-job="${running}"]`);
    await runningItem.waitFor();
    const first = await runningItem.getAttribute('data-status');
    expect(['queued', 'running']).toContain(first);
    await shot('editor-01-library-running');
    await expect
      .poll(() => runningItem.getAttribute('data-status'), { timeout: 60_000, interval: 200 })
      .toBe('succeeded');
    expect(await runningItem.locator('progress').count()).toBe(0);
    await shot('editor-02-library');
  });

  it('opens a job from the library after a reload, its audio streamed from R2 with Range requests', async () => {
    await page.reload();
    await page.locator('#api-key-status[data-outcome="done"]').waitFor();
    const ranged: number[] = [];
    page.on('response', (r) => {
      if (r.request().headers().range && /X-Amz-Signature|signature=/.test(r.url())) ranged.push(r.status());
    });
    await page.getByRole('button', { name: 'Open two-voices.flac' }).click();
    await expect
      .poll(() => page.locator('#transcript button.segment').count(), eventually)
      .toBe(original.segments.filter((s) => s.text.trim()).length);
    const src = String(await page.evaluate(`document.querySelector('#audio-player').src`));
    expect(src).toMatch(/\/cdn-cgi\/local\/r2\/s3\/.+X-Amz-Signature=/);
    await page.waitForFunction(`document.querySelector('#audio-player').readyState >= 1`);
    await page.evaluate(`document.querySelector('#audio-player').currentTime = ${original.duration / 2}`);
    await expect.poll(() => ranged.some((s) => s === 206), eventually).toBe(true);
    expect(await page.locator('#reader-title').textContent()).toBe('two-voices.flac');
    expect(await page.locator(`#library-list [data-job="${jobId}"]`).getAttribute('aria-current')).toBe(
      'true',
    );
    // Words the decode doubted are marked: those the canonical result gives a low probability (and
    // whose segment's text holds them: the random model's words and text do not always agree).
    const doubtful = original.words!.filter(
      (w) => (w.probability ?? 1) < 0.5 && original.segments.some((s) => s.text.includes(w.word)),
    );
    expect(doubtful.length).toBeGreaterThan(0);
    expect(await page.locator('#transcript .word.doubt').allTextContents()).toEqual(
      doubtful.map((w) => w.word),
    );
    await shot('editor-03-opened');
  });

  it('edits by keyboard alone: text, split and merge with undo and redo, speakers, playback, doubts, save', async () => {
    // From the start: Alt+↓ goes to the line after the one playing.
    await page.evaluate(`document.querySelector('#audio-player').currentTime = 0`);
    await page.getByRole('button', { name: 'Edit transcript' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => rows().count(), eventually).toBe(original.segments.length);
    const count = original.segments.length;
    // Alt+↓ from the toolbar lands in the first line.
    await page.keyboard.press('Alt+ArrowDown');
    expect((await focusedText())?.key).toBe('0');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Hello from the editor today');
    expect((await focusedText())?.value).toBe('Hello from the editor today');
    // Split after "Hello from": Enter at the cursor.
    await page.keyboard.press('Home');
    for (let i = 0; i < 'Hello from'.length; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect.poll(() => rows().count()).toBe(count + 1);
    expect(await focusedText()).toMatchObject({ value: 'the editor today', start: 0 });
    await page.keyboard.press('Control+Z');
    await expect.poll(() => rows().count()).toBe(count);
    await page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => rows().count()).toBe(count + 1);
    // Backspace at the start of a line joins it to the one before, the caret where they meet.
    await rows().nth(1).focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('Backspace');
    await expect.poll(() => rows().count()).toBe(count);
    expect(await focusedText()).toMatchObject({
      value: 'Hello from the editor today',
      start: 'Hello from '.length,
    });
    await page.keyboard.press('Control+Z');
    await expect.poll(() => rows().count()).toBe(count + 1);
    expect(await rows().nth(0).inputValue()).toBe('Hello from');
    expect(await rows().nth(1).inputValue()).toBe('the editor today');

    // A speaker renamed in place (the names panel), and one line given to the other speaker.
    await page.getByLabel('Name for Speaker 2 (SPEAKER_01)').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Grievous');
    expect(await page.locator('#editor .edit-speaker option[value="SPEAKER_01"]').first().textContent()).toBe(
      'Grievous',
    );

    // Player keys work from inside a line.
    await rows().nth(0).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => player('paused')).toBe(false);
    await page.keyboard.press('Escape');
    await expect.poll(() => player('paused')).toBe(true);
    await page.evaluate(`document.querySelector('#audio-player').currentTime = 8`);
    await page.keyboard.press('Alt+KeyJ');
    expect(Number(await player('currentTime'))).toBeCloseTo(3, 1);
    await page.keyboard.press('Alt+Period');
    expect(await player('playbackRate')).toBe(1.25);
    expect(await page.locator('#playback-rate').textContent()).toBe('Speed 1.25×');
    await page.keyboard.press('Alt+Comma');
    await page.keyboard.press('Alt+Comma');
    expect(await player('playbackRate')).toBe(0.9);
    await page.keyboard.press('Alt+ArrowDown');
    expect((await focusedText())?.value).toBe('the editor today');
    expect(Number(await player('currentTime'))).toBeGreaterThan(0);

    // Next uncertain: the doubted word is selected and the player goes to just before it.
    const doubtful = original.words!.filter((w) => (w.probability ?? 1) < 0.5);
    expect(doubtful.length).toBeGreaterThan(0);
    await rows().nth(0).focus();
    await page.keyboard.press('Alt+KeyN');
    const at = await focusedText();
    expect(at).not.toBeNull();
    const selected = at!.value.slice(at!.start, at!.end);
    expect(doubtful.map((w) => w.word)).toContain(selected);
    expect(await page.locator('#edit-status').textContent()).toMatch(/^Uncertain word “.+”: 1 of \d+\.$/);
    const doubtedAt = doubtful.find((w) => w.word === selected)!.start;
    expect(Number(await player('currentTime'))).toBeCloseTo(Math.max(0, doubtedAt - 0.5), 1);
    await shot('editor-04-editing');

    expect(await page.locator('#edit-status').textContent()).not.toMatch(/Saved/);
    const saved = page.waitForResponse((r) => r.url().includes(`/v1/jobs/${jobId}/result/revisions?`));
    await page.keyboard.press('Control+S');
    expect((await saved).status()).toBe(201);
    await expect
      .poll(() => page.locator('#edit-status').textContent(), eventually)
      .toBe('Saved as revision 1.');
    expect(await page.locator('#reader-title').textContent()).toBe('two-voices.flac · revision 1');
    await shot('editor-05-saved');
  });

  it('serves the revision from the API in every format, the original kept', async () => {
    const latest = await api(
      `/v1/jobs/${jobId}/result?response_format=verbose_json&timestamp_granularities[]=word&timestamp_granularities[]=segment`,
    );
    expect(latest.headers.get('x-result-revision')).toBe('1');
    const edited = (await latest.json()) as TranscriptionResult & {
      segments: Array<{ text: string; speaker?: string }>;
    };
    expect(edited.segments[0]!.text).toBe(' Hello from');
    expect(edited.segments[1]!.text).toBe(' the editor today');
    expect(edited.segments).toHaveLength(original.segments.length + 1);
    const speakers = new Set(edited.segments.map((s) => s.speaker));
    expect(speakers.has('Grievous')).toBe(true);
    expect(speakers.has('SPEAKER_01')).toBe(false);
    // Unchanged words kept their times; the edited ones lie within the first line's old time.
    const editedWords = edited.words!.slice(0, 5).map((w) => w.word);
    expect(editedWords).toEqual(['Hello', 'from', 'the', 'editor', 'today']);
    const untouched = original.words!.filter((w) => w.start >= original.segments[1]!.start);
    expect(edited.words!.slice(-untouched.length).map((w) => [w.start, w.end])).toEqual(
      untouched.map((w) => [w.start, w.end]),
    );
    const srt = await (await api(`/v1/jobs/${jobId}/result?response_format=srt`)).text();
    expect(srt).toContain('Hello from');
    expect(srt).toContain('[Grievous]');
    const first = await (await api(`/v1/jobs/${jobId}/result?revision=original&response_format=text`)).text();
    expect(first).not.toContain('Hello from');
    expect(first).toContain(original.segments[0]!.text.trim());
  });

  it('exports the edit from the page too, and reopens it after a reload', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download SRT' }).click();
    const srt = readFileSync((await (await download).path())!, 'utf8');
    expect(srt.split('\n\n')[0]).toMatch(/\nSpeaker 1: Hello from$/);
    expect(srt).toContain('Grievous: ');
    await page.reload();
    await expect
      .poll(() => page.locator('#reader-title').textContent(), eventually)
      .toBe('two-voices.flac · revision 1');
    await expect
      .poll(() => page.locator('#transcript .segment-text').first().textContent(), eventually)
      .toBe('Hello from');
    expect(
      await page.locator(`#library-list [data-job="${jobId}"] .library-summary`).textContent(),
    ).toContain('edited (revision 1)');
  });

  it('has no WCAG 2 A/AA findings that axe-core reports, reading and editing', async () => {
    expect(await accessibilityFindings(page)).toEqual([]);
    await page.getByRole('button', { name: 'Edit transcript' }).click();
    await rows().first().waitFor();
    expect(await accessibilityFindings(page)).toEqual([]);
  });

  it('edits at phone width without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await rows().first().scrollIntoViewIfNeeded();
    await rows().first().focus();
    await shot('editor-06-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows another key none of these jobs, and deletes a job whole from the library', async () => {
    await useKey(OTHER_KEY);
    await expect
      .poll(() => page.locator('#library-status').textContent(), eventually)
      .toContain('No transcripts yet');
    expect(await page.locator(`#library-list [data-job="${jobId}"]`).count()).toBe(0);
    expect((await api(`/v1/jobs/${jobId}`, {}, OTHER_KEY)).status).toBe(404);
    expect((await api(`/v1/jobs/${jobId}/audio`, {}, OTHER_KEY)).status).toBe(404);
    await shot('editor-07-other-key');

    await useKey(KEY);
    const audio = (await (await api(`/v1/jobs/${jobId}/audio`)).json()) as { url: string };
    expect((await fetch(audio.url, { headers: { range: 'bytes=0-15' } })).status).toBe(206);
    await page.getByRole('button', { name: 'Delete two-voices.flac', exact: true }).click();
    await shot('editor-08-delete-confirm');
    await page.getByRole('button', { name: 'Delete two-voices.flac for good' }).click();
    await expect.poll(() => page.locator(`#library-list [data-job="${jobId}"]`).count(), eventually).toBe(0);
    expect(await page.locator('#library-status').textContent()).toBe('Deleted two-voices.flac.');
    expect((await api(`/v1/jobs/${jobId}`)).status).toBe(404);
    expect((await fetch(audio.url)).status).toBe(404);
    // The reader let go of the deleted job.
    expect(await page.locator('#reader-title').textContent()).toBe('');
  });
});
