import type { Tenant } from './middleware/api-key-auth.js';

declare global {
  namespace Cloudflare {
    /** Secrets, which are never in wrangler.toml and so not in the generated `Env`. */
    interface Env {
      /** Signs edge → GPU calls and the object URLs the GPU service streams audio from. */
      GPU_SHARED_SECRET?: string;
      /** Public origin of this Worker, when the GPU service must reach it under another host. */
      PUBLIC_URL?: string;
      /** Comma-separated `name=key` or `key` entries; when set, every route but /health needs one. */
      API_KEYS?: string;
    }
  }
}

export type Bindings = Cloudflare.Env;

export interface AppEnv {
  Bindings: Bindings;
  Variables: { tenant: Tenant };
}
