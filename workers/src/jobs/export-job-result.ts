import { formatResponse, type TranscriptionResult } from '@whisper-edge/shared';
import type { Bindings } from '../env.js';
import { planExport } from '../transcription/result-export.js';
import type { JobSpec } from './job-types.js';

/**
 * Writes a finished job's formatted result to its export target. The job's key is fixed at submit time,
 * so a repeated attempt overwrites the same object with the same bytes: never a second export.
 * The bound bucket is written through the binding (a Worker cannot fetch its own signed route).
 */
export async function exportJobResult(
  env: Bindings,
  spec: JobSpec,
  tenant: string | null,
  result: TranscriptionResult,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const formatted = formatResponse(result, spec.responseFormat, {
    timestampGranularities: spec.timestampGranularities,
  });
  try {
    const planned = await planExport(spec.fields, {
      env,
      tenant: { id: tenant },
      origin: spec.origin,
      secret: env.GPU_SHARED_SECRET ?? '',
      format: spec.responseFormat,
      timestampGranularities: spec.timestampGranularities,
    });
    if (!planned) return { ok: true };
    const [, bucket, key] = /^s3:\/\/([^/]+)\/(.+)$/.exec(planned.storageUrl) ?? [];
    const toBoundBucket =
      bucket === env.R2_BUCKET_NAME &&
      (!spec.fields.output_bucket || /^(true|1|yes|on)$/i.test(spec.fields.output_use_r2 ?? ''));
    if (toBoundBucket && key) {
      await env.UPLOADS.put(key, formatted.body, { httpMetadata: { contentType: formatted.contentType } });
      return { ok: true };
    }
    let lastError = '';
    for (let attempt = 1; attempt <= 3; attempt++) {
      const response = await fetch(planned.target.url, {
        method: 'PUT',
        headers: { 'content-type': formatted.contentType },
        body: formatted.body,
      }).catch((error: Error) => ({ ok: false, status: 0, statusText: error.message }) as const);
      if (response.ok) return { ok: true };
      lastError = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      if (response.status >= 400 && response.status < 500 && response.status !== 429) break;
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
    return { ok: false, error: `export to ${planned.storageUrl} failed (${lastError})` };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
