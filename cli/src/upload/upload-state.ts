import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LocalFile } from './local-file.js';

/**
 * A multipart upload in progress, kept on disk so a rerun after Ctrl-C sends only the missing parts.
 * One file per upload, named by what identifies it: the edge, the key's digest (another key is
 * another tenant, whose upload this is not), the file's path, size and modification time (a changed
 * file starts over). The API key itself is never written.
 */
export interface UploadState {
  version: 1;
  edge: string;
  file: string;
  size: number;
  mtimeMs: number;
  key: string;
  uploadId: string;
  partSize: number;
  /** ETags of the parts the store acknowledged, by part number. */
  parts: Record<string, string>;
  created_at: string;
}

export interface UploadIdentity {
  edge: string;
  apiKey: string | undefined;
  file: LocalFile;
}

export function stateFile(stateDir: string, identity: UploadIdentity): string {
  const keyDigest = identity.apiKey ? createHash('sha256').update(identity.apiKey).digest('hex') : '';
  const id = createHash('sha256')
    .update(
      JSON.stringify([
        identity.edge,
        keyDigest,
        identity.file.path,
        identity.file.size,
        identity.file.mtimeMs,
      ]),
    )
    .digest('hex')
    .slice(0, 32);
  return path.join(stateDir, 'uploads', `${id}.json`);
}

export function loadState(file: string, identity: UploadIdentity): UploadState | undefined {
  let state: UploadState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as UploadState;
  } catch {
    return undefined;
  }
  const same =
    state.version === 1 &&
    state.edge === identity.edge &&
    state.file === identity.file.path &&
    state.size === identity.file.size &&
    state.mtimeMs === identity.file.mtimeMs &&
    typeof state.uploadId === 'string' &&
    typeof state.key === 'string' &&
    Number.isInteger(state.partSize) &&
    typeof state.parts === 'object' &&
    state.parts !== null;
  return same ? state : undefined;
}

/** Written whole and renamed into place, so a Ctrl-C mid-write never leaves half a file. */
export function saveState(file: string, state: UploadState): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

export function removeState(file: string): void {
  rmSync(file, { force: true });
}
