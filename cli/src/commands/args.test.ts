import { describe, expect, it } from 'vitest';
import { CliError } from '../errors/cli-error.js';
import { ExitCode } from '../errors/exit-codes.js';
import { parseInvocation } from './args.js';

function usage(argv: string[]): string {
  try {
    parseInvocation(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(ExitCode.usage);
    return (error as Error).message;
  }
  throw new Error(`accepted: ${argv.join(' ')}`);
}

describe('arguments', () => {
  it('reads commands, subcommands and their options', () => {
    const t = parseInvocation([
      'transcribe',
      'a.wav',
      '--format',
      'srt',
      '--diarize',
      '-F',
      'keywords[]=Kubernetes',
    ]);
    expect(t.command).toBe('transcribe');
    expect(t.args).toEqual(['a.wav']);
    expect(t.flags).toMatchObject({ format: 'srt', diarize: true, field: ['keywords[]=Kubernetes'] });
    expect(parseInvocation(['jobs', 'result', 'job_1', '-f', 'vtt']).command).toBe('jobs result');
    expect(parseInvocation([]).flags.help).toBe(true);
    expect(parseInvocation(['help', 'upload']).command).toBe('upload');
  });

  it('answers anything it does not understand as a usage error naming it', () => {
    expect(usage(['transcribe', 'a.wav', '--bogus'])).toMatch(/--bogus/);
    expect(usage(['translate', 'a.wav'])).toMatch(/unknown command 'translate'/);
    expect(usage(['jobs'])).toMatch(/list, get, cancel or result/);
    expect(usage(['jobs', 'delete', 'x'])).toMatch(/unknown command 'jobs delete'/);
    expect(usage(['jobs', 'list', '--diarize'])).toMatch(/does not take --diarize/);
    expect(usage(['transcribe', 'a.wav', '--format', 'docx'])).toMatch(
      /--format must be one of json, text, srt/,
    );
    expect(usage(['transcribe', 'a.wav', '--format'])).toMatch(/--format/);
  });
});
