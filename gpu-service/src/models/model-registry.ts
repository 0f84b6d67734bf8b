import path from 'node:path';
import { ApiError } from '@whisper-edge/shared';
import type { LoadedModel, ModelManager } from './model-manager.js';

export interface ModelRegistryOptions {
  /** What `whisper-1` (and no `model` at all) means. */
  defaultModel: string;
  /** Every model a request may name; the default is always among them. */
  allowed: string[];
  /** Unload a model nobody has used for this long; 0 keeps models loaded. */
  idleTtlMs: number;
  create: (id: string) => ModelManager;
  now?: () => number;
}

/**
 * The models this service may run: each loads once on first use (or at start, PRELOAD_MODELS), is
 * shared by every request, and is unloaded after an idle TTL so rarely used models give memory back.
 */
export class ModelRegistry {
  private readonly managers = new Map<string, ModelManager>();
  private readonly lastUsed = new Map<string, number>();
  private readonly allowed: string[];
  /** Preloaded models stay: they are what the deployment asked to keep warm. */
  private readonly pinned = new Set<string>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly options: ModelRegistryOptions) {
    this.allowed = [...new Set([options.defaultModel, ...options.allowed])];
    if (options.idleTtlMs > 0) {
      this.sweeper = setInterval(() => void this.sweep(), Math.min(options.idleTtlMs, 60_000));
      this.sweeper.unref();
    }
  }

  get defaultModel(): string {
    return this.options.defaultModel;
  }

  /** Names a request may use: `whisper-1`, each model's id, and a local model's directory name. */
  acceptedNames(): string[] {
    return ['whisper-1', ...this.allowed.flatMap((id) => [id, path.basename(id)])].filter(
      (name, i, all) => all.indexOf(name) === i,
    );
  }

  resolve(requested: string | undefined): string {
    if (requested === undefined || requested === 'whisper-1') return this.options.defaultModel;
    const id = this.allowed.find(
      (candidate) => candidate === requested || path.basename(candidate) === requested,
    );
    if (id) return id;
    throw new ApiError(400, `Unknown model '${requested}'. Allowed: ${this.acceptedNames().join(', ')}`, {
      code: 'model_not_found',
      param: 'model',
    });
  }

  private manager(id: string): ModelManager {
    let manager = this.managers.get(id);
    if (!manager) {
      manager = this.options.create(id);
      this.managers.set(id, manager);
    }
    return manager;
  }

  get(requested?: string): Promise<LoadedModel> {
    const id = this.resolve(requested);
    this.lastUsed.set(id, (this.options.now ?? Date.now)());
    return this.manager(id).get();
  }

  async preload(ids: string[]): Promise<void> {
    for (const id of ids) this.pinned.add(this.resolve(id));
    await Promise.all(ids.map((id) => this.get(id)));
  }

  /** Unloads models idle longer than the TTL. */
  async sweep(): Promise<string[]> {
    const now = (this.options.now ?? Date.now)();
    const unloaded: string[] = [];
    for (const [id, manager] of this.managers) {
      if (this.pinned.has(id) || !manager.isLoaded) continue;
      if (now - (this.lastUsed.get(id) ?? 0) > this.options.idleTtlMs) {
        await manager.unload();
        unloaded.push(id);
      }
    }
    return unloaded;
  }

  status() {
    const main = this.managers.get(this.options.defaultModel)?.status();
    return {
      model: this.options.defaultModel,
      model_loaded: main?.model_loaded ?? false,
      device: main?.device ?? null,
      ...(main?.model_error ? { model_error: main.model_error } : {}),
      models: this.allowed.map((id) => {
        const s = this.managers.get(id)?.status();
        return { id, loaded: s?.model_loaded ?? false, device: s?.device ?? null };
      }),
    };
  }

  close(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }
}
