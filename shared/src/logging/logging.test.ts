import { describe, expect, it } from 'vitest';
import { withLogContext } from './log-context.js';
import { createLogger } from './logger.js';
import { acceptRequestId, isAcceptableRequestId, newRequestId } from './request-id.js';

describe('request ids', () => {
  it("keeps a caller's sane id and replaces anything else with a fresh req_ id", () => {
    expect(acceptRequestId('7f1c-trace.A_b:c=d')).toBe('7f1c-trace.A_b:c=d');
    for (const bad of [
      undefined,
      null,
      '',
      'a b',
      'x'.repeat(129),
      'id\n{"level":"error"}',
      'é',
      '<script>',
    ]) {
      const id = acceptRequestId(bad);
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^req_[0-9a-f]{32}$/);
    }
    expect(isAcceptableRequestId('x'.repeat(128))).toBe(true);
    expect(newRequestId()).not.toBe(newRequestId());
  });
});

describe('structured logger', () => {
  it('writes one JSON object per line with the context ids, its fields and errors as objects', async () => {
    const lines: { line: string; level: string }[] = [];
    const log = createLogger('test', (line, level) => lines.push({ line, level }));
    log.info('outside');
    await withLogContext({ request_id: 'req_1' }, async () => {
      await Promise.resolve();
      await withLogContext({ job_id: 'job_9' }, async () => {
        log.error('failed', { error: new Error('boom'), status: 503, skipped: undefined });
      });
      log.warn('after');
    });
    const parsed = lines.map((l) => JSON.parse(l.line) as Record<string, unknown>);
    expect(lines.map((l) => l.line.includes('\n'))).toEqual([false, false, false]);
    expect(parsed[0]).toMatchObject({ level: 'info', service: 'test', msg: 'outside' });
    expect(parsed[0]).not.toHaveProperty('request_id');
    expect(parsed[1]).toMatchObject({
      level: 'error',
      msg: 'failed',
      request_id: 'req_1',
      job_id: 'job_9',
      status: 503,
      error: { name: 'Error', message: 'boom' },
    });
    expect(parsed[1]).not.toHaveProperty('skipped');
    expect(parsed[2]).toMatchObject({ level: 'warn', request_id: 'req_1' });
    expect(parsed[2]).not.toHaveProperty('job_id');
    expect(Date.parse(String(parsed[0]!.time))).toBeGreaterThan(0);
  });
});
