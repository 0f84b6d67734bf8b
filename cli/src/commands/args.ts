import { type ParseArgsConfig, parseArgs } from 'node:util';
import { responseFormats } from '@whisper-edge/shared';
import { usageError } from '../errors/cli-error.js';

const options = {
  help: { type: 'boolean', short: 'h' },
  url: { type: 'string' },
  'api-key': { type: 'string' },
  'state-dir': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  verbose: { type: 'boolean', short: 'v' },
  format: { type: 'string', short: 'f' },
  language: { type: 'string', short: 'l' },
  diarize: { type: 'boolean' },
  speakers: { type: 'string' },
  prompt: { type: 'string' },
  model: { type: 'string' },
  translate: { type: 'boolean' },
  'word-timestamps': { type: 'boolean' },
  field: { type: 'string', short: 'F', multiple: true },
  out: { type: 'string', short: 'o' },
  'no-wait': { type: 'boolean' },
  'part-size': { type: 'string' },
  'multipart-threshold': { type: 'string' },
  concurrency: { type: 'string' },
  limit: { type: 'string' },
  after: { type: 'string' },
  json: { type: 'boolean' },
} satisfies ParseArgsConfig['options'];

export type Flags = ReturnType<typeof parseFlags>['values'];

const COMMON = ['help', 'url', 'api-key', 'state-dir', 'quiet', 'verbose'];
const UPLOAD = ['part-size', 'multipart-threshold', 'concurrency'];
/** Which options each command takes: anything else is a usage error rather than silently ignored. */
const ALLOWED: Record<string, string[]> = {
  transcribe: [
    ...UPLOAD,
    'format',
    'language',
    'diarize',
    'speakers',
    'prompt',
    'model',
    'translate',
    'word-timestamps',
    'field',
    'out',
    'no-wait',
  ],
  upload: UPLOAD,
  'jobs list': ['limit', 'after', 'json'],
  'jobs get': [],
  'jobs cancel': [],
  'jobs result': ['format', 'out'],
};
export const COMMANDS = Object.keys(ALLOWED);

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    // util.parseArgs explains unknown options and missing values well; keep its sentence, drop its advice.
    throw usageError((error as Error).message.split('. To specify')[0]!.replace(/\.$/, ''));
  }
}

export interface Invocation {
  /** `transcribe`, `upload`, `jobs list`, …; undefined for bare `--help`. */
  command: string | undefined;
  /** Positionals after the command. */
  args: string[];
  flags: Flags;
}

export function parseInvocation(argv: string[]): Invocation {
  const { values, positionals } = parseFlags(argv);
  const [first, second, ...rest] = positionals;
  if (first === undefined || first === 'help') {
    if (first === 'help' && second)
      return { command: helpTopic(second), args: [], flags: { ...values, help: true } };
    return { command: undefined, args: [], flags: { ...values, help: true } };
  }
  let command: string;
  let args: string[];
  if (first === 'jobs') {
    if (second === undefined) {
      if (values.help) return { command: 'jobs list', args: [], flags: values };
      throw usageError('jobs needs a subcommand: list, get, cancel or result');
    }
    command = `jobs ${second}`;
    args = rest;
  } else {
    command = first;
    args = second === undefined ? [] : [second, ...rest];
  }
  if (!ALLOWED[command]) throw usageError(`unknown command '${command}'`);
  for (const name of Object.keys(values)) {
    if (!COMMON.includes(name) && !ALLOWED[command]!.includes(name)) {
      throw usageError(`${command} does not take --${name}`);
    }
  }
  if (values.format !== undefined && !(responseFormats as readonly string[]).includes(values.format)) {
    throw usageError(`--format must be one of ${responseFormats.join(', ')}; got '${values.format}'`);
  }
  return { command, args, flags: values };
}

function helpTopic(topic: string): string | undefined {
  return topic === 'jobs' ? 'jobs list' : ALLOWED[topic] ? topic : undefined;
}

/** A whole number within bounds, or a usage error naming the option. */
export function intOption(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw usageError(`--${name} must be a whole number from ${min} to ${max}, got '${value}'`);
  }
  return n;
}

/** Exactly `count` positionals (what each names, for the message). */
export function positionals(invocation: Invocation, names: string[]): string[] {
  if (invocation.args.length !== names.length) {
    const wanted = names.map((n) => `<${n}>`).join(' ');
    throw usageError(
      invocation.args.length < names.length
        ? `${invocation.command} needs ${wanted}`
        : `${invocation.command} takes ${wanted || 'no arguments'}, got: ${invocation.args.join(' ')}`,
    );
  }
  return invocation.args;
}
