import { describe, expect, it } from 'vitest';
import { AudioProgress } from './audio-progress.js';

describe('AudioProgress', () => {
  it('knows nothing before a header or bytes say something', () => {
    const progress = new AudioProgress();
    expect(progress.totalSeconds()).toBeNull();
    progress.onBytes(1000, undefined);
    progress.onDecoded(5);
    // Chunked transfer with no duration in the header: no honest estimate exists.
    expect(progress.totalSeconds()).toBeNull();
  });

  it("prefers the header's duration", () => {
    const progress = new AudioProgress();
    progress.onBytes(100, 1000);
    progress.onDecoded(3);
    progress.onDuration(42.5);
    expect(progress.totalSeconds()).toBe(42.5);
  });

  it('turns a constant bitrate and the byte length into a duration', () => {
    const progress = new AudioProgress();
    progress.onBitrate(128);
    progress.onBytes(10, 960_000);
    expect(progress.totalSeconds()).toBe(60);
  });

  it('scales decoded seconds by the share of bytes read', () => {
    const progress = new AudioProgress();
    progress.onBytes(250, 1000);
    progress.onDecoded(15);
    expect(progress.totalSeconds()).toBe(60);
    progress.onBytes(1000, 1000);
    progress.onDecoded(59.8);
    expect(progress.totalSeconds()).toBe(59.8);
  });
});
