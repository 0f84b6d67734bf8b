import type { GpuRealtimeEvent } from '@whisper-edge/shared';
import { itemEvents, type Outgoing } from './item-events.js';

const SR = 16_000;
const toSamples = (ms: number) => Math.round((ms * SR) / 1000);
const toMs = (samples: number) => Math.round((samples * 1000) / SR);

interface Item {
  id: string;
  /** Session samples: where the item's audio starts and (once committed) ends. */
  start: number | null;
  end: number | null;
  started: boolean;
  stopped: boolean;
  committed: boolean;
  /** Delta text the client has been shown, and what the current GPU connection has said. */
  shown: string;
  said: string;
}

export interface CompletedItem {
  id: string;
  /** Seconds of the session's audio. */
  start: number;
  end: number;
  transcript: string;
  language: string;
}

/** A commit the GPU service has not yet answered: where it cut, and where its audio began. */
interface CommitMark {
  at: number;
  from: number;
  ref: string | undefined;
}

/**
 * The client's view of a session's items across GPU connections. A GPU service numbers utterances
 * per connection and times them on the audio that connection received; this maps both onto the
 * session (item ids, the session's milliseconds). After a reconnect the replayed audio brings the
 * pending items back: they keep their ids, nothing the client already saw is sent again (events,
 * delta text), and only what is new goes out.
 */
export class SessionItems {
  private pending: Item[] = [];
  private byUtterance = new Map<number, Item>();
  private reusable: Item[] = [];
  private marks: CommitMark[] = [];
  private lastCommitted: string | null = null;
  /** Session sample where the current GPU connection's audio starts. */
  private linkOffset = 0;
  /** Where audio belonging to no item yet starts: the last commit or clear. */
  private bufferStart = 0;
  readonly completed: CompletedItem[] = [];

  constructor(private readonly newId: () => string) {}

  /** Where the audio not yet committed begins (the last commit, clear or committed turn). */
  get openBufferStart(): number {
    return this.bufferStart;
  }

  /** A turn that started and is not yet committed. */
  get hasOpenItem(): boolean {
    return this.pending.some((item) => !item.committed);
  }

  /** Items announced or committed and not yet completed. */
  get pendingCount(): number {
    return this.pending.length + this.marks.length;
  }

  /**
   * The earliest session sample a replacement GPU service must be sent again: the first unfinished
   * item's start, else the open buffer's (VAD mode looks `lookBehind` samples back, for speech the
   * service may have heard but not yet reported).
   */
  replayFrom(now: number, vad: boolean, lookBehind: number): number {
    const starts = [
      ...this.pending.map((item) => item.start ?? this.bufferStart),
      ...this.marks.map((mark) => mark.from),
    ];
    // Everything before a pending item's start was already judged (silence, or committed).
    if (starts.length > 0) return Math.min(...starts);
    return vad ? Math.max(this.bufferStart, now - lookBehind) : this.bufferStart;
  }

  /**
   * The commits to send again after `from`, in order, where they cut the audio: committed items still
   * waiting for their text (in manual mode the new service cannot find their ends itself), and
   * commits not yet answered.
   */
  commitsAfter(from: number, vad: boolean): Array<{ at: number; ref: string | undefined }> {
    const ends = vad
      ? []
      : this.pending
          .filter((i) => i.committed && i.end !== null && i.end > from)
          .map((i) => ({ at: i.end!, ref: undefined }));
    const marks = this.marks.filter((m) => !ends.some((e) => Math.abs(e.at - m.at) <= SR / 100));
    return [...ends, ...marks.map((m) => ({ at: m.at, ref: m.ref }))].sort((a, b) => a.at - b.at);
  }

  /** Restores what a hibernated session kept: where its audio and its last committed item are. */
  restore(position: number, lastCommitted: string | null): void {
    this.bufferStart = position;
    this.lastCommitted = lastCommitted;
  }

  get lastCommittedId(): string | null {
    return this.lastCommitted;
  }

  /** A new GPU connection whose audio starts at session sample `offset`: pending items will come back. */
  newLink(offset: number): void {
    this.linkOffset = offset;
    this.byUtterance.clear();
    this.reusable = [...this.pending];
    for (const item of this.pending) item.said = '';
  }

  /** The client committed at session sample `at` (manual or forced). */
  markCommit(at: number, ref: string | undefined): void {
    this.marks.push({ at, from: this.bufferStart, ref });
    this.bufferStart = at;
  }

  /** The GPU service refused commit `ref` (too little audio): that audio stays in the open buffer. */
  refuseCommit(ref: string): void {
    const index = this.marks.findIndex((m) => m.ref === ref);
    if (index < 0) return;
    const [mark] = this.marks.splice(index, 1);
    if (this.bufferStart === mark!.at) this.bufferStart = mark!.from;
  }

  /** The client cleared the buffer at `at`: audio before it belongs to no new item. */
  clear(at: number): void {
    this.bufferStart = at;
    // An open item's audio is gone; it will never complete.
    this.pending = this.pending.filter((item) => item.committed);
  }

  private item(utterance: number): Item {
    let item = this.byUtterance.get(utterance);
    if (!item) {
      item = this.reusable.shift() ?? {
        id: this.newId(),
        start: null,
        end: null,
        started: false,
        stopped: false,
        committed: false,
        shown: '',
        said: '',
      };
      if (!this.pending.includes(item)) this.pending.push(item);
      this.byUtterance.set(utterance, item);
    }
    return item;
  }

  /** A GPU service event, as the client events it means (none for a repeat). */
  fromGpu(event: GpuRealtimeEvent): Outgoing[] {
    const at = (ms: number) => this.linkOffset + toSamples(ms);
    switch (event.type) {
      case 'speech_started': {
        const item = this.item(event.utterance);
        item.start ??= at(event.audio_start_ms);
        if (item.started) return [];
        item.started = true;
        return [itemEvents.speechStarted(item.id, toMs(item.start))];
      }
      case 'speech_stopped': {
        const item = this.item(event.utterance);
        if (item.stopped) return [];
        item.stopped = true;
        return [itemEvents.speechStopped(item.id, toMs(at(event.audio_end_ms)))];
      }
      case 'committed': {
        const item = this.item(event.utterance);
        item.start ??= at(event.audio_start_ms);
        item.end = at(event.audio_end_ms);
        // The first outstanding commit mark at or before this cut is answered.
        const answered = this.marks.findIndex((m) => Math.abs(m.at - item.end!) <= SR / 100);
        if (answered >= 0) this.marks.splice(answered, 1);
        this.bufferStart = Math.max(this.bufferStart, item.end);
        if (item.committed) return [];
        item.committed = true;
        const previous = this.lastCommitted;
        this.lastCommitted = item.id;
        return [itemEvents.committed(item.id, previous)];
      }
      case 'delta': {
        const item = this.item(event.utterance);
        item.said += event.delta;
        if (item.said.length <= item.shown.length) return [];
        const delta = item.said.slice(item.shown.length);
        item.shown = item.said;
        return [itemEvents.delta(item.id, delta)];
      }
      case 'completed': {
        const item = this.item(event.utterance);
        this.pending = this.pending.filter((i) => i !== item);
        this.completed.push({
          id: item.id,
          start: toMs(item.start ?? 0) / 1000,
          end: toMs(item.end ?? 0) / 1000,
          transcript: event.transcript,
          language: event.language,
        });
        return [itemEvents.completed(item.id, event.transcript, event.audio_seconds)];
      }
      case 'failed': {
        const item = this.item(event.utterance);
        this.pending = this.pending.filter((i) => i !== item);
        return [itemEvents.failed(item.id, event.error)];
      }
      default:
        return [];
    }
  }

  /** Nothing will finish them (no GPU service left): each pending item fails, once. */
  failAll(error: { message: string; type: string; code: string | null; param: string | null }): Outgoing[] {
    const failed = this.pending.map((item) => itemEvents.failed(item.id, error));
    this.pending = [];
    this.marks = [];
    return failed;
  }
}
