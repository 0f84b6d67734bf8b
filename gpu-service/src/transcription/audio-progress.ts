/**
 * Estimates how long an input is while it streams: ffmpeg's header gives the duration for some
 * formats (FLAC, MP4), or a constant bitrate that the byte length turns into one (WAV, CBR MP3); for
 * the rest, the share of bytes read so far scales the seconds decoded (rough early: ffmpeg reads ahead).
 */
export class AudioProgress {
  private duration: number | undefined;
  private bitrateKbps: number | undefined;
  private bytesRead = 0;
  private totalBytes: number | undefined;
  private decodedSeconds = 0;

  onDuration = (seconds: number): void => {
    if (seconds > 0) this.duration = seconds;
  };

  onBitrate = (kbps: number): void => {
    if (kbps > 0) this.bitrateKbps = kbps;
  };

  onBytes = (seen: number, total: number | undefined): void => {
    this.bytesRead = seen;
    this.totalBytes = total;
  };

  onDecoded(seconds: number): void {
    this.decodedSeconds = seconds;
  }

  /** Seconds of audio in the whole input, or null while nothing tells. */
  totalSeconds(): number | null {
    if (this.duration !== undefined) return this.duration;
    if (this.totalBytes && this.bitrateKbps)
      return Math.round(((this.totalBytes * 8) / (this.bitrateKbps * 1000)) * 10) / 10;
    if (!this.totalBytes || this.bytesRead === 0 || this.decodedSeconds === 0) return null;
    // Once every byte is in, the decoded length is the length (give or take ffmpeg's buffer).
    const share = Math.min(1, this.bytesRead / this.totalBytes);
    return Math.round((this.decodedSeconds / share) * 10) / 10;
  }
}
