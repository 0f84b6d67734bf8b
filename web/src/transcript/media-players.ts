import { type ApiClient, ApiRequestError } from '../api/api-client.js';
import type { UploadedFile } from '../upload/upload-panel.js';

/** A job's audio in R2, as a short-lived URL. */
export interface JobAudio {
  url: string;
  content_type: string | null;
}

/** What plays now: the job, and whether its audio came from the API (so its URL can lapse). */
export interface PlayingJob {
  id: string;
  player: HTMLMediaElement;
  remoteAudio: boolean;
}

/**
 * The page's two players (audio, and video for video files): one shown at a time, playing a local
 * file just uploaded here or a job's audio streamed from R2.
 */
export class MediaPlayers {
  constructor(
    readonly audio: HTMLAudioElement,
    readonly video: HTMLVideoElement,
    private readonly empty: HTMLElement,
    private readonly api: ApiClient,
  ) {}

  choose(isVideo: boolean): HTMLMediaElement {
    const [shown, other] = isVideo ? [this.video, this.audio] : [this.audio, this.video];
    other.pause();
    other.hidden = true;
    shown.hidden = false;
    this.empty.hidden = true;
    return shown;
  }

  showLocal(file: UploadedFile): HTMLMediaElement {
    const player = this.choose(file.type.startsWith('video/'));
    if (player.src !== file.objectUrl) player.src = file.objectUrl;
    return player;
  }

  showRemote(found: JobAudio): HTMLMediaElement {
    const player = this.choose(found.content_type?.startsWith('video/') ?? false);
    player.src = found.url;
    return player;
  }

  /** The job's audio's short-lived URL from R2; undefined when it is not stored (any more). */
  remote(jobId: string): Promise<JobAudio | undefined> {
    return this.api.json<JobAudio>(`/v1/jobs/${jobId}/audio`).catch((error: unknown) => {
      if (error instanceof ApiRequestError && error.status === 404) return undefined;
      throw error;
    });
  }

  clear(): void {
    for (const player of [this.audio, this.video]) {
      player.pause();
      player.removeAttribute('src');
      player.hidden = true;
    }
    this.empty.hidden = false;
  }

  /** An expired audio URL of what `playing()` names: a new one, picking up where playback was. */
  renewExpired(playing: () => PlayingJob | undefined): void {
    for (const player of [this.audio, this.video]) {
      player.addEventListener('error', async () => {
        const job = playing();
        if (!job?.remoteAudio || job.player !== player || player.error?.code !== MediaError.MEDIA_ERR_NETWORK)
          return;
        const at = player.currentTime;
        const wasPlaying = !player.paused;
        const found = await this.remote(job.id);
        if (!found || playing() !== job) return;
        player.src = found.url;
        player.currentTime = at;
        if (wasPlaying) void player.play().catch(() => undefined);
      });
    }
  }
}
