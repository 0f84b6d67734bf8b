import {
  ApiError,
  type CaptionOptions,
  type ResponseFormat,
  type ResultTarget,
  type TimestampGranularity,
} from '@whisper-edge/shared';
import { type EdgeConfig, requireObjectUrlSecret } from '../config.js';
import { parseBoolean } from '../http/field-values.js';
import type { Scope } from '../http/request-scope.js';
import { signObjectUrl } from '../storage/object-urls.js';
import {
  awsS3Endpoint,
  presign,
  r2NotConfigured,
  r2S3Endpoint,
  s3NotConfigured,
} from '../storage/storage-clients.js';
import { storageUrl } from '../storage/storage-url.js';
import { assertTenantKey, tenantRoot } from '../storage/tenant-keys.js';
import { newUploadKey } from '../uploads/upload-keys.js';

export interface PlannedExport {
  target: ResultTarget;
  /** `s3://bucket/key`, the address the guide returns for stored objects. */
  storageUrl: string;
  bucket: string;
  key: string;
}

interface ExportContext {
  scope: Scope;
  format: ResponseFormat;
  timestampGranularities?: TimestampGranularity[] | undefined;
  captions?: CaptionOptions | undefined;
}

const EXTENSIONS: Record<ResponseFormat, string> = {
  json: 'json',
  verbose_json: 'json',
  diarized_json: 'json',
  text: 'txt',
  srt: 'srt',
  vtt: 'vtt',
  paragraphs: 'txt',
};

const EXPORT_URL_TTL_SECONDS = 3600;

/**
 * Least privilege for exports: a caller may name only the buckets the operator listed, so the Worker's
 * R2/AWS credentials never sign writes into buckets it was not meant to touch.
 */
function assertExportBucket(config: EdgeConfig, bucket: string): void {
  const allowed = config.exportBuckets;
  if (allowed.includes('*') || allowed.includes(bucket)) return;
  throw new ApiError(403, `Exports to bucket '${bucket}' are not allowed: add it to EXPORT_BUCKETS`, {
    param: 'output_bucket',
    code: 'export_bucket_not_allowed',
  });
}

/**
 * Turns the guide's output parameters into a URL the GPU service can PUT the formatted result to.
 * Without `output_bucket` the result goes to the bound R2 bucket (the only bucket with a default);
 * with one, `output_use_r2` picks R2 or S3 (default S3). Credentials stay here: only URLs leave.
 */
export async function planExport(
  fields: Record<string, string>,
  context: ExportContext,
): Promise<PlannedExport | undefined> {
  const storedOutput = parseBoolean(fields.stored_output, 'stored_output');
  const useR2Flag = parseBoolean(fields.output_use_r2, 'output_use_r2');
  const bucketField = fields.output_bucket?.trim() || undefined;
  if (!bucketField && !fields.output_key && !storedOutput) return undefined;

  const { config, tenant, origin } = context.scope;
  const useR2 = bucketField === undefined ? true : (useR2Flag ?? false);
  const bucket = bucketField ?? config.bucketName;
  const key = fields.output_key
    ? assertTenantKey(tenant, fields.output_key, 'output_key')
    : newUploadKey(EXTENSIONS[context.format], new Date(), `${tenantRoot(tenant)}transcriptions/`);

  let url: string;
  if (useR2) {
    const r2 = r2S3Endpoint(config);
    if (r2) {
      url = await presign(r2, bucket, key, { method: 'PUT', expiresSeconds: EXPORT_URL_TTL_SECONDS });
    } else if (bucket === config.bucketName) {
      url = await signObjectUrl(origin, requireObjectUrlSecret(config), key, {
        method: 'PUT',
        ttlSeconds: EXPORT_URL_TTL_SECONDS,
      });
    } else {
      // Buckets other than the bound one are reachable only through R2's S3 API.
      throw r2NotConfigured();
    }
  } else {
    const s3 = awsS3Endpoint(config);
    if (!s3) throw s3NotConfigured();
    url = await presign(s3, bucket, key, { method: 'PUT', expiresSeconds: EXPORT_URL_TTL_SECONDS });
  }
  // After the guide's "client not configured" answers, which say more about what to fix.
  assertExportBucket(config, bucket);
  const target = {
    url,
    format: context.format,
    ...(context.timestampGranularities ? { timestamp_granularities: context.timestampGranularities } : {}),
    ...(context.captions ? { captions: context.captions } : {}),
  };
  return { target, storageUrl: storageUrl(bucket, key), bucket, key };
}
