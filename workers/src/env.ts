/** Bindings from wrangler.toml (generated `Env`) plus the secrets, which are never in wrangler.toml. */
export interface Bindings extends Env {
  /** Signs edge → GPU calls and the object URLs the GPU service streams audio from. */
  GPU_SHARED_SECRET?: string;
  /** Public origin of this Worker, when requests reach it under a different host than the GPU can call. */
  PUBLIC_URL?: string;
}

export interface AppEnv {
  Bindings: Bindings;
}
