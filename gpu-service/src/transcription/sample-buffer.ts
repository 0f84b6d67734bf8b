/**
 * The stretch of decoded audio still needed: from the start of the window being assembled to what
 * has arrived. Older samples are dropped as windows are finished, which is what keeps memory flat.
 */
export class SampleBuffer {
  private blocks: Float32Array[] = [];
  /** Absolute index of the first retained sample. */
  private start = 0;
  private length = 0;

  get end(): number {
    return this.start + this.length;
  }

  get retained(): number {
    return this.length;
  }

  append(block: Float32Array): void {
    this.blocks.push(block);
    this.length += block.length;
  }

  /** Copies absolute samples [from, to); the range must still be retained. */
  read(from: number, to: number): Float32Array {
    if (from < this.start || to > this.end || to < from) {
      throw new RangeError(`samples ${from}–${to} are not retained (${this.start}–${this.end})`);
    }
    const out = new Float32Array(to - from);
    let position = this.start;
    for (const block of this.blocks) {
      const blockEnd = position + block.length;
      if (blockEnd > from && position < to) {
        const a = Math.max(from, position);
        const b = Math.min(to, blockEnd);
        out.set(block.subarray(a - position, b - position), a - from);
      }
      position = blockEnd;
      if (position >= to) break;
    }
    return out;
  }

  /** Forgets every sample before `index`. */
  dropBefore(index: number): void {
    while (this.blocks.length > 0 && this.start + this.blocks[0]!.length <= index) {
      const block = this.blocks.shift()!;
      this.start += block.length;
      this.length -= block.length;
    }
  }
}
