import { beforeAll, describe, expect, it } from 'vitest';
import { diarizationErrorRate } from '../../test/der.js';
import { type SyntheticConversation, synthesizeConversation } from '../../test/synthetic-conversation.js';
import { AcousticDiarizer } from './acoustic-diarizer.js';

async function diarize(conversation: SyntheticConversation, count = {}) {
  const diarizer = await AcousticDiarizer.create(count);
  // Odd-sized blocks, as ffmpeg delivers them: results must not depend on the split.
  for (let at = 0; at < conversation.pcm.length; at += 12_345) {
    await diarizer.push(conversation.pcm.subarray(at, at + 12_345));
  }
  return diarizer.finish();
}

const speakerCount = (turns: Array<{ speaker: string }>) => new Set(turns.map((t) => t.speaker)).size;

// Real espeak-ng voices, real Silero VAD, real features: the only thing synthetic is the talking.
describe('AcousticDiarizer on espeak-ng conversations', () => {
  let maleFemale: SyntheticConversation;
  let three: SyntheticConversation;
  let four: SyntheticConversation;

  beforeAll(() => {
    // en-us+m3 (male) and en+f3 (female), alternating.
    maleFemale = synthesizeConversation({ seed: 7, speakers: 2, turns: 8, voices: [0, 1] });
    three = synthesizeConversation({ seed: 11, speakers: 3, turns: 10, voices: [0, 1, 2] });
    // Two male and two female voices, ~74/99 Hz and ~182/254 Hz. (The two highest voices of the pool,
    // en+f3 and en+f5, are the closest pair for these features: the bench includes them.)
    four = synthesizeConversation({ seed: 13, speakers: 4, turns: 14, voices: [0, 1, 2, 5] });
  }, 60_000);

  it('separates a male and a female voice and finds the turn boundaries', async () => {
    const turns = await diarize(maleFemale);
    expect(speakerCount(turns)).toBe(2);
    // Labels follow first appearance.
    expect(turns[0]!.speaker).toBe('SPEAKER_00');
    expect(turns.find((t) => t.speaker !== 'SPEAKER_00')!.speaker).toBe('SPEAKER_01');
    const { der } = diarizationErrorRate(maleFemale.reference, turns);
    expect(der).toBeLessThan(0.1);
    // Every true turn is matched by a hypothesis turn starting within 0.3 s of it.
    for (const truth of maleFemale.reference) {
      expect(turns.some((t) => Math.abs(t.start - truth.start) < 0.3)).toBe(true);
    }
  });

  it('gives the same turns however the audio is split into blocks', async () => {
    const whole = await AcousticDiarizer.create();
    await whole.push(maleFemale.pcm);
    expect(await diarize(maleFemale)).toEqual(await whole.finish());
  });

  it('is not a label alternator: the same voice gets the same label every time it returns', async () => {
    const turns = await diarize(maleFemale);
    const labelOf = (truth: { start: number; end: number }) =>
      turns.find((t) => t.start < truth.end && t.end > truth.start)!.speaker;
    const byVoice = new Map<string, Set<string>>();
    for (const truth of maleFemale.reference) {
      byVoice.set(truth.speaker, (byVoice.get(truth.speaker) ?? new Set()).add(labelOf(truth)));
    }
    expect([...byVoice.values()].map((labels) => labels.size)).toEqual([1, 1]);
  });

  // Unprompted, two of these three formant-synthesised voices (en-us+m3 and en-gb+m7, both male) come
  // out as one: the backend's threshold is set on real voices (real-speech.test.ts), where one person
  // must never split, and espeak's voices differ in pitch (which the backend no longer uses) more than
  // in timbre. Told the count, it gives three labels, and the two male voices stay partly confused
  // (DER 23 %; it was < 10 % when tuned on espeak): a plumbing check here, not a quality one.
  it('finds two or three of three voices unprompted, and three labels when told', async () => {
    expect([2, 3]).toContain(speakerCount(await diarize(three)));
    const turns = await diarize(three, { num_speakers: 3 });
    expect(speakerCount(turns)).toBe(3);
    expect(diarizationErrorRate(three.reference, turns).der).toBeLessThan(0.35);
  });

  // Unprompted, this conversation comes out as three speakers (the two male voices merge): the bench
  // measures how often that happens. Told the count, the features must tell all four apart.
  it('separates four speakers when told there are four', async () => {
    const turns = await diarize(four, { num_speakers: 4 });
    expect(speakerCount(turns)).toBe(4);
    expect(diarizationErrorRate(four.reference, turns).der).toBeLessThan(0.1);
  });

  it('honours num_speakers and max_speakers', async () => {
    expect(speakerCount(await diarize(three, { num_speakers: 2 }))).toBe(2);
    expect(speakerCount(await diarize(four, { max_speakers: 3 }))).toBeLessThanOrEqual(3);
    expect(speakerCount(await diarize(maleFemale, { min_speakers: 3 }))).toBe(3);
  });

  it('keeps statistics, not audio: storage grows far slower than the samples', async () => {
    const diarizer = await AcousticDiarizer.create();
    for (let at = 0; at < four.pcm.length; at += 16_000)
      await diarizer.push(four.pcm.subarray(at, at + 16_000));
    await diarizer.finish();
    expect(diarizer.retainedBytes).toBeLessThan(four.pcm.byteLength / 20);
  });
});

describe('AcousticDiarizer on speech too quiet to embed', () => {
  it('still labels it, with the speaker nearest in time', async () => {
    const conversation = synthesizeConversation({ seed: 17, speakers: 2, turns: 4, voices: [0, 1] });
    // 0.6 s of the first voice at -30 dB, 1.5 s after the conversation ends: Silero hears it, but too few
    // frames clear the level gate to describe the voice. Without the fallback it would get no turn.
    const from = Math.round(conversation.reference[0]!.start * 16_000);
    const quiet = conversation.pcm.slice(from, from + 9600).map((v) => v * 0.03);
    const pcm = new Float32Array(conversation.pcm.length + 3 * 16_000);
    pcm.set(conversation.pcm);
    pcm.set(quiet, conversation.pcm.length + 24_000);
    const turns = await diarize({ ...conversation, pcm });
    const quietStart = (conversation.pcm.length + 24_000) / 16_000;
    const lastReference = conversation.reference.at(-1)!;
    const labelOfLast = turns.find(
      (t) => t.start < lastReference.end && t.end > lastReference.start,
    )!.speaker;
    const quietTurn = turns.find((t) => t.end > quietStart && t.start < quietStart + 0.6);
    expect(quietTurn?.speaker).toBe(labelOfLast);
  });
});
