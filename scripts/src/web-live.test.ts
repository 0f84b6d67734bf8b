import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { speechFlac } from '@whisper-edge/gpu-service/testing/fixtures';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, screenshots } from './test-support/browser.js';
import { type RunningStack, startStack } from './test-support/stack.js';

/**
 * The web app's microphone mode end to end: Debian's real Chromium with a fake microphone that plays
 * the speech fixture (`--use-file-for-fake-audio-capture`), the page the Worker serves, wrangler dev
 * and the GPU service on the generated model. Auth is on, so the page mints a client secret with its
 * key and opens the WebSocket with it as a subprotocol, as a browser must.
 */
const KEY = 'sk-web-live-0123456789abc';
let stack: RunningStack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  // Chromium loops the file: a second of quiet, the speech, four seconds of quiet (VAD ends the turn).
  const wav = path.join(mkdtempSync(path.join(tmpdir(), 'fake-mic-')), 'speech.wav');
  execFileSync('ffmpeg', [
    '-y',
    '-loglevel',
    'error',
    '-i',
    speechFlac,
    '-af',
    'adelay=1000,apad=pad_dur=4',
    '-ac',
    '1',
    '-ar',
    '48000',
    '-c:a',
    'pcm_s16le',
    wav,
  ]);
  stack = await startStack(['--test-model', '--api-keys', `web:${KEY}`]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${wav}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop('SIGKILL');
});

const eventually = { timeout: 30_000, interval: 100 };

async function openPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['microphone'], { origin: stack.edge });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  await page.goto(`${stack.edge}/`);
  await page.fill('#api-key', KEY);
  await page.click('#api-key-form button[type=submit]');
  await expect.poll(() => page.textContent('#api-key-status'), eventually).toContain('Key accepted');
  return page;
}

/** The computed colour and font style of the first element matching `selector` (page-side, as a string). */
const styleOf = (page: Page, selector: string) =>
  page.evaluate<{ color: string; fontStyle: string }>(
    `(() => { const s = getComputedStyle(document.querySelector(${JSON.stringify(selector)})); return { color: s.color, fontStyle: s.fontStyle }; })()`,
  );

describe('web app: live from the microphone (Chromium, fake microphone)', () => {
  it('shows partial text dimmed while speaking, final text solid, a moving level meter; Stop saves it as a transcript', async () => {
    const page = await openPage();
    await page.check('#live-save');
    await page.click('#live-start');
    await expect.poll(() => page.textContent('#live-status'), eventually).toContain('Listening');
    // The meter follows the voice.
    await expect
      .poll(() => page.evaluate<number>(`document.querySelector('#live-level').value`), eventually)
      .toBeGreaterThan(-40);
    // A partial line first, grey and italic…
    const partial = page.locator('#live-transcript li.partial');
    // Agreed text, not just the placeholder a turn shows before its first delta.
    await expect
      .poll(
        async () =>
          (await partial.count()) > 0 ? (await partial.first().textContent())!.replace('…', '').trim() : '',
        eventually,
      )
      .not.toBe('');
    const partialStyle = await styleOf(page, '#live-transcript li.partial');
    await page.screenshot({ path: path.join(screenshots, 'live-partial.png'), fullPage: true });
    // …then the turn's final text, solid.
    const final = page.locator('#live-transcript li.final');
    await expect.poll(() => final.count(), { ...eventually, timeout: 60_000 }).toBeGreaterThan(0);
    const finalStyle = await styleOf(page, '#live-transcript li.final');
    expect(partialStyle.fontStyle).toBe('italic');
    expect(finalStyle.fontStyle).toBe('normal');
    expect(finalStyle.color).not.toBe(partialStyle.color);
    const finalText = (await final.first().textContent())!.trim();
    expect(finalText.length).toBeGreaterThan(0);

    await page.click('#live-stop');
    await expect
      .poll(() => page.textContent('#live-status'), { ...eventually, timeout: 90_000 })
      .toContain('Saved');
    const status = (await page.textContent('#live-status'))!;
    expect(status).toMatch(/stored at s3:\/\/default-uploads\/tenants\/web\/realtime\/.+\.wav/);
    await page.screenshot({ path: path.join(screenshots, 'live-saved.png'), fullPage: true });
    // The session is in the reader like any transcript: lines, the recording in the player, exports.
    const lines = page.locator('#transcript li');
    await expect.poll(() => lines.count(), eventually).toBeGreaterThan(0);
    expect((await lines.first().textContent())!).toContain(finalText.slice(0, 20));
    expect(await page.evaluate<string>(`document.querySelector('#audio-player').src`)).toMatch(/^blob:/);
    expect(await page.evaluate<boolean>(`document.querySelector('#audio-player').hidden`)).toBe(false);
    expect(await page.locator('#downloads button, #downloads a').count()).toBeGreaterThan(0);
    expect(await page.textContent('#storage-url')).toContain('s3://default-uploads/tenants/web/realtime/');
    await page.context().close();
  });
});
