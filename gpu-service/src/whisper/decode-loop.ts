import * as ort from 'onnxruntime-node';
import { gatherRows, stackTensors, takeRows } from './batch-rows.js';
import {
  type DecodedSequence,
  type DecoderShape,
  emptyCache,
  keepAttention,
  type SequenceRequest,
} from './decoder-runner.js';
import { chooseNext } from './next-token.js';
import type { WhisperVocab } from './whisper-vocab.js';

interface Member {
  request: SequenceRequest;
  sequence: DecodedSequence;
  maxNew: number;
  resolve: (sequence: DecodedSequence) => void;
  reject: (error: unknown) => void;
}

const ordinary = (cohort: Cohort) => cohort.members.filter((m) => !m.request.urgent).length;

/** Sequences at the same position, decoded as one batch; `past` holds their caches, batch-first. */
interface Cohort {
  members: Member[];
  hidden: ort.Tensor;
  past: Record<string, ort.Tensor>;
  /** Tokens fed so far (prompt, then generated); 0 until its first step. */
  position: number;
}

/**
 * Continuous batching on the merged decoder. A sequence joins at the next step and leaves the batch
 * as soon as it ends, so no batch waits for its longest member. The decoder graph has no attention
 * mask or position input (the hub's exports take positions from the cache length), so only sequences
 * at the same position can share a step: a newcomer's cohort runs its prompt, is stepped first while
 * it is behind, and merges with the batch it caught up with. Each row's arithmetic is the same whatever
 * else is in its batch, so a sequence decodes to the same tokens alone or with others.
 */
export class DecodeLoop {
  private readonly waiting: Member[] = [];
  private readonly cohorts: Cohort[] = [];
  private running = false;
  private readonly roomWaiters: Array<() => void> = [];

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly vocab: WhisperVocab,
    private readonly shape: DecoderShape,
    /** Most sequences decoded at once; more wait for a place. */
    private readonly maxBatch: number,
  ) {}

  /** Sequences decoding or waiting to. */
  get load(): number {
    return this.waiting.length + this.cohorts.reduce((n, c) => n + c.members.length, 0);
  }

  /** Resolves once fewer than maxBatch sequences are in the loop: when encoding more windows pays. */
  room(): Promise<void> {
    if (this.load < this.maxBatch) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  decode(request: SequenceRequest): Promise<DecodedSequence> {
    const promptLength = request.prompt.length;
    const maxNew = Math.min(
      request.maxNewTokens ?? this.vocab.maxLength,
      this.vocab.maxLength - promptLength,
    );
    const missing = request.alignment?.heads.find(
      ([layer]) => !this.session.outputNames.includes(`cross_attentions.${layer}`),
    );
    if (missing)
      return Promise.reject(
        new Error(`the decoder does not output cross_attentions.${missing[0]}: word timestamps need it`),
      );
    const sequence: DecodedSequence = { tokens: [], logprobs: [], sumLogprob: 0, noSpeechProb: 0 };
    if (request.alignment) sequence.attention = request.alignment.heads.map(() => []);
    // A prompt that fills the context leaves nothing to generate.
    if (maxNew <= 0) return Promise.resolve(sequence);
    return new Promise((resolve, reject) => {
      const member = { request, sequence, maxNew, resolve, reject };
      const firstNotUrgent = this.waiting.findIndex((m) => !m.request.urgent);
      if (request.urgent && firstNotUrgent >= 0) this.waiting.splice(firstNotUrgent, 0, member);
      else this.waiting.push(member);
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      // Requests made in the same turn of the event loop start together.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.waiting.length > 0 || this.cohorts.length > 0) {
        this.admit();
        const cohort = this.next();
        try {
          await this.step(cohort);
        } catch (error) {
          this.cohorts.splice(this.cohorts.indexOf(cohort), 1);
          for (const member of cohort.members) member.reject(error);
        }
        this.mergeEqualPositions();
        this.wakeRoomWaiters();
      }
    } finally {
      this.running = false;
    }
  }

  /**
   * Waiting sequences take free places, grouped by prompt length (a first step needs equal lengths);
   * urgent ones do not wait for a place.
   */
  private admit(): void {
    let free = this.maxBatch - this.cohorts.reduce((n, c) => n + ordinary(c), 0);
    while (this.waiting.length > 0 && (free > 0 || this.waiting[0]!.request.urgent)) {
      const { length } = this.waiting[0]!.request.prompt;
      const urgent = this.waiting[0]!.request.urgent === true;
      const members: Member[] = [];
      for (let i = 0; i < this.waiting.length; ) {
        const candidate = this.waiting[i]!.request;
        const fits = candidate.urgent ? urgent : members.length < free;
        if (candidate.prompt.length === length && fits) members.push(...this.waiting.splice(i, 1));
        else i++;
      }
      free -= members.length;
      const hidden = gatherRows(members.map((m) => ({ tensor: m.request.hidden, row: m.request.row })));
      this.cohorts.push({ members, hidden, past: emptyCache(members.length, this.shape), position: 0 });
    }
  }

  /** The cohort furthest behind: newcomers run their prompt, then catch up with the batch ahead. */
  private next(): Cohort {
    return this.cohorts.reduce((best, c) => (c.position < best.position ? c : best));
  }

  private async step(cohort: Cohort): Promise<void> {
    const { members } = cohort;
    const first = cohort.position === 0;
    const stepLength = first ? members[0]!.request.prompt.length : 1;
    const ids = first
      ? members.flatMap((m) => m.request.prompt.map(BigInt))
      : members.map((m) => BigInt(m.sequence.tokens.at(-1)!));
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids), [members.length, stepLength]),
      encoder_hidden_states: cohort.hidden,
      ...cohort.past,
    };
    if (this.session.inputNames.includes('use_cache_branch'))
      feeds.use_cache_branch = new ort.Tensor('bool', [!first], [1]);
    const aligning = members.some((m) => m.request.alignment);
    // After the first step the cross-attention cache is fixed: fetching it again would copy layers × 2
    // × frames × d_model floats out of onnxruntime on every token; attention only when words are wanted.
    const outputs = first
      ? await this.session.run(feeds)
      : await this.session.run(
          feeds,
          this.session.outputNames.filter(
            (name) =>
              !/^present\.\d+\.encoder\./.test(name) && (aligning || !name.startsWith('cross_attentions.')),
          ),
        );
    for (let layer = 0; layer < this.shape.layers; layer++) {
      for (const kv of ['key', 'value'] as const) {
        cohort.past[`past_key_values.${layer}.decoder.${kv}`] = outputs[`present.${layer}.decoder.${kv}`]!;
        if (first)
          cohort.past[`past_key_values.${layer}.encoder.${kv}`] = outputs[`present.${layer}.encoder.${kv}`]!;
      }
    }
    if (aligning) keepAttention(outputs, members, stepLength);
    cohort.position += stepLength;
    const logits = outputs.logits!;
    const ended = members.map(
      (member, b) =>
        chooseNext(this.vocab, member.request, member.sequence, { logits, row: b, stepLength, first }) ||
        member.sequence.tokens.length >= member.maxNew,
    );
    if (ended.some(Boolean)) this.leave(cohort, ended);
  }

  /** Ended sequences are answered and leave: the batch shrinks to the rows still decoding. */
  private leave(cohort: Cohort, ended: boolean[]): void {
    const keep = cohort.members.flatMap((_, i) => (ended[i] ? [] : [i]));
    for (const [i, member] of cohort.members.entries()) if (ended[i]) member.resolve(member.sequence);
    if (keep.length === 0) {
      this.cohorts.splice(this.cohorts.indexOf(cohort), 1);
      return;
    }
    cohort.members = keep.map((i) => cohort.members[i]!);
    cohort.hidden = takeRows(cohort.hidden, keep);
    for (const [name, tensor] of Object.entries(cohort.past)) cohort.past[name] = takeRows(tensor, keep);
  }

  /** Cohorts that reached the same position become one batch (their caches have equal lengths). */
  private mergeEqualPositions(): void {
    for (let i = 0; i < this.cohorts.length; i++) {
      for (let j = i + 1; j < this.cohorts.length; j++) {
        const [a, b] = [this.cohorts[i]!, this.cohorts[j]!];
        if (a.position === 0 || a.position !== b.position) continue;
        // Urgent sequences were let in past the batch size: they may share a step, not take a place.
        if (ordinary(a) + ordinary(b) > this.maxBatch) continue;
        a.members = [...a.members, ...b.members];
        a.hidden = stackTensors([a.hidden, b.hidden]);
        for (const name of Object.keys(a.past)) a.past[name] = stackTensors([a.past[name]!, b.past[name]!]);
        this.cohorts.splice(j--, 1);
      }
    }
  }

  private wakeRoomWaiters(): void {
    // One waiter per free place: each fills one before the next is told.
    for (let free = this.maxBatch - this.load; free > 0 && this.roomWaiters.length > 0; free--)
      this.roomWaiters.shift()!();
  }
}
