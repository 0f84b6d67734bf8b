/**
 * Undo and redo over immutable states. Typing in one place coalesces into one step (a word typed is
 * one undo, not one per letter): pushes with the same `group` within `coalesceMs` replace the top.
 */
export class History<T> {
  private readonly past: T[] = [];
  private readonly future: T[] = [];
  private present: T;
  private lastGroup: string | undefined;
  private lastAt = Number.NEGATIVE_INFINITY;
  private saved: T;

  constructor(
    initial: T,
    private readonly limit = 500,
    private readonly coalesceMs = 1000,
  ) {
    this.present = initial;
    this.saved = initial;
  }

  get current(): T {
    return this.present;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** Unsaved changes: the state differs from the one last marked saved. */
  get dirty(): boolean {
    return this.present !== this.saved;
  }

  push(next: T, group?: string, now = Date.now()): void {
    if (next === this.present) return;
    const coalesce = group !== undefined && group === this.lastGroup && now - this.lastAt < this.coalesceMs;
    if (!coalesce) {
      this.past.push(this.present);
      if (this.past.length > this.limit) this.past.shift();
    }
    this.present = next;
    this.future.length = 0;
    this.lastGroup = group;
    this.lastAt = now;
  }

  undo(): T | undefined {
    const previous = this.past.pop();
    if (previous === undefined) return undefined;
    this.future.push(this.present);
    this.present = previous;
    this.lastGroup = undefined;
    return previous;
  }

  redo(): T | undefined {
    const next = this.future.pop();
    if (next === undefined) return undefined;
    this.past.push(this.present);
    this.present = next;
    this.lastGroup = undefined;
    return next;
  }

  /** The current state is what the server now holds. */
  markSaved(): void {
    this.saved = this.present;
    this.lastGroup = undefined;
  }
}
