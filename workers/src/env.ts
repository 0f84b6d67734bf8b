declare global {
  namespace Cloudflare {
    /** Secrets, which are never in wrangler.toml and so not in the generated `Env`. */
    interface Env {
      /** Signs edge → GPU calls; every GPU host holds it. */
      GPU_SHARED_SECRET?: string;
      /** Signs the object URLs the GPU service streams audio from and writes results to (edge only). */
      OBJECT_URL_SECRET?: string;
      /** Public origin of this Worker, when the GPU service must reach it under another host. */
      PUBLIC_URL?: string;
      /** Comma-separated `name:key` or bare `key` entries; when set, every route but /health needs one. */
      API_KEYS?: string;
      /** R2's S3 API (`https://<account>.r2.cloudflarestorage.com`): enables pre-signed R2 URLs. */
      R2_ENDPOINT?: string;
      R2_ACCESS_KEY_ID?: string;
      R2_SECRET_ACCESS_KEY?: string;
      /** AWS credentials, only for exporting results to S3 (never needed for pre-signed inputs). */
      AWS_ACCESS_KEY_ID?: string;
      AWS_SECRET_ACCESS_KEY?: string;
      AWS_DEFAULT_REGION?: string;
      /** S3-compatible endpoint instead of AWS (MinIO, R2, …), path-style. */
      AWS_S3_ENDPOINT?: string;
      /** Comma-separated browser origins allowed to call the API (`*` for any); unset = none. */
      CORS_ORIGINS?: string;
      /** Signs webhooks (Standard Webhooks scheme); `whsec_<base64>` or any string. Needed for callback_url. */
      WEBHOOK_SECRET?: string;
      /** Buckets results may be exported to (comma-separated, `*` for any); unset = the bound bucket only. */
      EXPORT_BUCKETS?: string;
      /** Local development only: lets s3_presigned_url be http://127.0.0.1 (wrangler's S3 endpoint). */
      DEV_ALLOW_LOCAL_URLS?: string;
    }
  }
}

export type Bindings = Cloudflare.Env;

export interface AppEnv {
  Bindings: Bindings;
  Variables: { tenant: Tenant; requestId: string };
}

export interface Tenant {
  /** Stable id for storage prefixes; null when the deployment has no API keys (single tenant). */
  id: string | null;
}
