import { toPcm16 } from '@whisper-edge/shared/pcm16';
import type { ApiClient } from '../api/api-client.js';
import type { Transcript } from '../transcript/transcript.js';
import { type LiveSession, openLiveSession } from './live-session.js';
import { type LiveLine, LiveTranscript } from './live-transcript.js';
import { captureMicrophone, type MicCapture } from './mic-capture.js';
import { levelDb, wavBlob } from './pcm.js';

export interface LiveElements {
  start: HTMLButtonElement;
  stop: HTMLButtonElement;
  language: HTMLSelectElement;
  save: HTMLInputElement;
  level: HTMLMeterElement;
  list: HTMLOListElement;
  status: HTMLElement;
}

export interface SavedSession {
  transcript: Transcript;
  /** The recording, for the player beside it. */
  file: { name: string; type: string; objectUrl: string };
}

const RATE = 24_000;
const SILENCE_MS = 500;

/**
 * The microphone mode: live text while you speak (agreed partials dimmed, each turn's final text
 * solid once it is done), a level meter, and Stop, which waits for the last turn, then hands the
 * session over as a transcript with its recording, to read and export like an uploaded file.
 */
export function createLivePanel(
  elements: LiveElements,
  api: ApiClient,
  onSaved: (saved: SavedSession) => void,
) {
  let capture: MicCapture | undefined;
  let session: LiveSession | undefined;
  let transcript = new LiveTranscript();
  let recording: Uint8Array[] = [];
  let recorded = 0;
  const rows = new Map<string, HTMLLIElement>();

  const say = (text: string, outcome?: 'done' | 'failed') => {
    elements.status.textContent = text;
    if (outcome) elements.status.dataset.outcome = outcome;
    else delete elements.status.dataset.outcome;
  };

  const render = (line: LiveLine) => {
    let row = rows.get(line.id);
    if (!row) {
      row = document.createElement('li');
      rows.set(line.id, row);
      elements.list.append(row);
    }
    row.className = `live-line ${line.state}`;
    row.dataset.state = line.state;
    row.textContent = line.state === 'failed' ? `${line.text} (not transcribed)` : line.text || '…';
    row.setAttribute('aria-busy', String(line.state === 'partial'));
  };

  const setRunning = (running: boolean) => {
    elements.start.disabled = running;
    elements.stop.disabled = !running;
    elements.language.disabled = running;
    elements.save.disabled = running;
  };

  async function start() {
    setRunning(true);
    elements.list.replaceChildren();
    rows.clear();
    transcript = new LiveTranscript();
    transcript.setSilence(SILENCE_MS);
    recording = [];
    recorded = 0;
    say('Connecting…');
    try {
      session = await openLiveSession({
        api,
        language: elements.language.value || undefined,
        store: elements.save.checked,
        silenceMs: SILENCE_MS,
        onEvent: (event) => {
          const line = transcript.apply(event);
          if (line) render(line);
          if (event.type === 'error')
            say(`The service says: ${(event.error as { message?: string })?.message}`, 'failed');
        },
      });
      capture = await captureMicrophone(
        (samples) => {
          elements.level.value = Math.max(elements.level.min, levelDb(samples));
          recording.push(toPcm16(samples));
          recorded += samples.length;
          session?.append(samples);
        },
        { rate: RATE },
      );
      // The session was opened for 24 kHz PCM; a browser that cannot capture at that rate cannot take part.
      if (capture.rate !== RATE)
        throw new Error(`this browser records at ${capture.rate} Hz, not ${RATE} Hz`);
      say('Listening: speak, and the text appears as you go.');
    } catch (error) {
      await capture?.stop().catch(() => undefined);
      capture = undefined;
      setRunning(false);
      say(`Could not start: ${(error as Error).message}`, 'failed');
    }
  }

  async function stop() {
    elements.stop.disabled = true;
    say('Finishing the last sentence…');
    await capture?.stop().catch(() => undefined);
    capture = undefined;
    elements.level.value = elements.level.min;
    try {
      const stored = await session?.finish();
      const duration = recorded / RATE;
      const saved = transcript.toTranscript(
        Math.round(duration * 1000) / 1000,
        elements.language.value || 'en',
      );
      if (stored) saved.storage_url = stored.transcript.storage_url;
      const objectUrl = URL.createObjectURL(wavBlob(recording, RATE));
      onSaved({ transcript: saved, file: { name: 'live-session.wav', type: 'audio/wav', objectUrl } });
      say(
        `Saved: ${saved.segments.length} line${saved.segments.length === 1 ? '' : 's'}${stored ? `, stored at ${stored.audio.storage_url}` : ''}. It is in Read and Export now.`,
        'done',
      );
    } catch (error) {
      say(`The session ended badly: ${(error as Error).message}`, 'failed');
    } finally {
      session = undefined;
      setRunning(false);
    }
  }

  elements.start.addEventListener('click', () => void start());
  elements.stop.addEventListener('click', () => void stop());
}
