import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LocalFile } from './local-file.js';
import { loadState, removeState, saveState, stateFile, type UploadState } from './upload-state.js';

const file: LocalFile = {
  path: '/data/meeting.wav',
  name: 'meeting.wav',
  size: 60_000_000,
  mtimeMs: 1_700_000_000_000,
  contentType: 'audio/wav',
};
const identity = { edge: 'http://127.0.0.1:8787', apiKey: 'sk-test-0123456789abcdef', file };

function state(): UploadState {
  return {
    version: 1,
    edge: identity.edge,
    file: file.path,
    size: file.size,
    mtimeMs: file.mtimeMs,
    key: 'uploads/x.wav',
    uploadId: 'abc',
    partSize: 8 * 1024 * 1024,
    parts: { '1': '"e1"' },
    created_at: new Date(0).toISOString(),
  };
}

describe('upload state', () => {
  it('is found again for the same file, edge and key, and lost when any of them changes', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'we-state-'));
    const where = stateFile(dir, identity);
    saveState(where, state());
    expect(loadState(where, identity)?.parts).toEqual({ '1': '"e1"' });
    // A touched or resized file is another file: never resume into it.
    expect(stateFile(dir, { ...identity, file: { ...file, mtimeMs: file.mtimeMs + 1 } })).not.toBe(where);
    expect(stateFile(dir, { ...identity, file: { ...file, size: file.size + 1 } })).not.toBe(where);
    expect(stateFile(dir, { ...identity, apiKey: 'sk-other-0123456789abcdef' })).not.toBe(where);
    expect(stateFile(dir, { ...identity, edge: 'https://edge.example.com' })).not.toBe(where);
    expect(loadState(where, { ...identity, file: { ...file, size: 1 } })).toBeUndefined();
    removeState(where);
    expect(loadState(where, identity)).toBeUndefined();
  });

  it('never writes the API key, and a damaged file reads as no state', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'we-state-'));
    const where = stateFile(dir, identity);
    saveState(where, state());
    const written = readdirSync(path.dirname(where)).map((n) =>
      readFileSync(path.join(path.dirname(where), n), 'utf8'),
    );
    expect(written.join('')).not.toContain(identity.apiKey);
    expect(readdirSync(path.dirname(where))).toEqual([path.basename(where)]);
    writeFileSync(where, '{"version":1,');
    expect(loadState(where, identity)).toBeUndefined();
  });
});
