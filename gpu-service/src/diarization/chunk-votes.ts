import type { SpeakerTurn } from '@whisper-edge/shared';
import { SAMPLE_RATE } from '../audio/sample-rate.js';
import type { SpeechSegment } from '../vad/vad-options.js';
import { CHUNK_SECONDS } from './chunk-statistics.js';
import { type LabelledSpan, toSpeakerTurns } from './speaker-turns.js';

/**
 * Labelled segments → speaker turns: each chunk of a region takes the label most of the segments
 * covering it voted for (ties to the lower label), runs become turns. Speech too short or quiet to
 * embed (a "yes", a cough) goes to whoever spoke nearest in time.
 */
export function voteTurns(
  regions: readonly SpeechSegment[],
  spans: ReadonlyArray<{ first: number; last: number }>,
  segments: ReadonlyArray<{ region: number; from: number; to: number }>,
  labels: Int32Array,
): SpeakerTurn[] {
  const byRegion = new Map<number, number[]>();
  for (const [i, segment] of segments.entries()) {
    byRegion.set(segment.region, [...(byRegion.get(segment.region) ?? []), i]);
  }
  const out: LabelledSpan[] = [];
  const unlabelled: SpeechSegment[] = [];
  for (const [r, { first, last }] of spans.entries()) {
    const region = regions[r]!;
    const members = byRegion.get(r) ?? [];
    if (members.length === 0) {
      unlabelled.push(region);
      continue;
    }
    const votes = new Map<number, Map<number, number>>();
    for (const i of members) {
      const segment = segments[i]!;
      for (let chunk = segment.from; chunk < segment.to; chunk++) {
        const tally = votes.get(chunk) ?? new Map<number, number>();
        tally.set(labels[i]!, (tally.get(labels[i]!) ?? 0) + 1);
        votes.set(chunk, tally);
      }
    }
    let current = labels[members.at(-1)!]!;
    for (let chunk = first; chunk < Math.max(last, first + 1); chunk++) {
      const tally = votes.get(chunk);
      if (tally) current = [...tally.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
      out.push({
        start: Math.max(region.start / SAMPLE_RATE, chunk * CHUNK_SECONDS),
        end: Math.min(region.end / SAMPLE_RATE, (chunk + 1) * CHUNK_SECONDS),
        cluster: current,
      });
    }
  }
  const labelled = [...out];
  for (const region of unlabelled) {
    const start = region.start / SAMPLE_RATE;
    const end = region.end / SAMPLE_RATE;
    const gap = (span: LabelledSpan) => Math.max(span.start - end, start - span.end, 0);
    // With nothing embeddable at all, the speech is still somebody's: one speaker.
    const nearest = labelled.reduce<LabelledSpan | undefined>(
      (best, span) => (best === undefined || gap(span) < gap(best) ? span : best),
      undefined,
    );
    out.push({ start, end, cluster: nearest?.cluster ?? 0 });
  }
  return toSpeakerTurns(out, 1e-6);
}
