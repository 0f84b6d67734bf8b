import { formatResponse, putWithRetry, type TranscriptionResult } from '@whisper-edge/shared';
import type { Bindings } from '../env.js';
import { jobScope } from '../http/request-scope.js';
import { parseStorageUrl } from '../storage/storage-url.js';
import { planExport } from '../transcription/result-export.js';
import { parseOutputFormat } from '../transcription/transcription-params.js';
import type { JobSpec } from './job-types.js';

const toBinding = (spec: JobSpec, bucket: string, bucketName: string) =>
  bucket === bucketName &&
  (!spec.fields.output_bucket || /^(true|1|yes|on)$/i.test(spec.fields.output_use_r2 ?? ''));

/** The key of the job's export when it went to the bound bucket (the only one the Worker can delete in). */
export function boundExportKey(spec: JobSpec, bucketName: string): string | undefined {
  const target = spec.storageUrl ? parseStorageUrl(spec.storageUrl) : undefined;
  return target && toBinding(spec, target.bucket, bucketName) ? target.key : undefined;
}

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
  const { captions } = parseOutputFormat(spec.fields, spec.responseFormat);
  const formatted = formatResponse(result, spec.responseFormat, {
    timestampGranularities: spec.timestampGranularities,
    captions,
  });
  try {
    const scope = jobScope(env, tenant, spec.origin, spec.requestId ?? '');
    const planned = await planExport(spec.fields, {
      scope,
      format: spec.responseFormat,
      timestampGranularities: spec.timestampGranularities,
      captions,
    });
    if (!planned) return { ok: true };
    const { bucket, key } = planned;
    if (toBinding(spec, bucket, scope.config.bucketName) && key) {
      await env.UPLOADS.put(key, formatted.body, { httpMetadata: { contentType: formatted.contentType } });
      return { ok: true };
    }
    const outcome = await putWithRetry(planned.target.url, formatted.body, formatted.contentType);
    return outcome.ok
      ? outcome
      : { ok: false, error: `export to ${planned.storageUrl} failed (${outcome.reason})` };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
