import { ApiError, type RealtimeStoredOutput } from '@whisper-edge/shared';
import type { Tenant } from '../env.js';
import { tenantRoot } from '../storage/tenant-keys.js';
import type { CompletedItem } from './session-items.js';
import { sessionTranscript, storedOutputOf, WavRecorder } from './stored-session.js';

/**
 * A session's stored_output: its audio recorded while it arrives and, when it ends, the transcript
 * written beside it (`<tenant root>realtime/<day>/<session>.wav` and `.json`).
 */
export class SessionRecording {
  private recorder: WavRecorder | null = null;

  constructor(private readonly bucket: R2Bucket) {}

  get started(): boolean {
    return this.recorder !== null;
  }

  append(tenant: Tenant, sessionId: string, pcm16: Uint8Array): void {
    this.recorder ??= new WavRecorder(
      this.bucket,
      `${tenantRoot(tenant)}realtime/${new Date().toISOString().slice(0, 10)}/${sessionId}.wav`,
    );
    this.recorder.append(pcm16);
  }

  /** Finishes the recording and writes the transcript: what `session.closed` reports. */
  async store(
    bucketName: string,
    items: CompletedItem[],
    durationSeconds: number,
    sessionId: string,
  ): Promise<RealtimeStoredOutput> {
    const recorder = this.recorder!;
    try {
      const bytes = await recorder.finish();
      const transcriptKey = recorder.key.replace(/\.wav$/, '.json');
      const transcript = sessionTranscript(items, durationSeconds, sessionId);
      await this.bucket.put(transcriptKey, JSON.stringify(transcript), {
        httpMetadata: { contentType: 'application/json' },
      });
      return storedOutputOf(bucketName, { key: recorder.key, bytes }, transcriptKey);
    } catch (error) {
      await recorder.abort();
      throw error;
    }
  }
}

export const storageFailed = () =>
  new ApiError(500, 'The session could not be stored', { code: 'storage_failed' });
