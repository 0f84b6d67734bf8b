import { CliError } from '../errors/cli-error.js';
import { ExitCode } from '../errors/exit-codes.js';

interface OpenAiErrorBody {
  error?: { message?: unknown; code?: unknown; type?: unknown; param?: unknown };
}

/**
 * One line from an answer that is not 2xx: the API's OpenAI-shaped error when it sent one, else the
 * status and the start of whatever came back (an S3 XML error, a proxy's page).
 */
export function describeFailure(status: number, bodyText: string, what: string): string {
  let message: string | undefined;
  let code: string | undefined;
  try {
    const body = JSON.parse(bodyText) as OpenAiErrorBody;
    if (typeof body.error?.message === 'string') message = body.error.message;
    if (typeof body.error?.code === 'string') code = body.error.code;
  } catch {
    const s3Code = /<Code>([^<]+)<\/Code>/.exec(bodyText)?.[1];
    const s3Message = /<Message>([^<]+)<\/Message>/.exec(bodyText)?.[1];
    if (s3Code) {
      code = s3Code;
      message = s3Message ?? s3Code;
    }
  }
  const detail = [`HTTP ${status}`, code].filter(Boolean).join(', ');
  const text = message ?? (bodyText.trim().split('\n')[0]?.slice(0, 200) || 'no details');
  return `${what}: ${text.replace(/\s+/g, ' ')} (${detail})`;
}

export class ApiFailure extends CliError {
  readonly status: number;
  readonly code: string | undefined;

  constructor(status: number, bodyText: string, what: string) {
    super(describeFailure(status, bodyText, what), status === 401 ? ExitCode.auth : ExitCode.failed);
    this.name = 'ApiFailure';
    this.status = status;
    try {
      const code = (JSON.parse(bodyText) as OpenAiErrorBody).error?.code;
      this.code = typeof code === 'string' ? code : undefined;
    } catch {
      this.code = undefined;
    }
  }
}
