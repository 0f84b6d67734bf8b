import type { TranscriptionResult } from '@whisper-edge/shared';
import { describe, expect, it } from 'vitest';
import { type ApiClient, ApiRequestError } from '../api/api-client.js';
import { setText } from './edit-document.js';
import { EditSession, RevisionConflict } from './edit-session.js';

// The Worker is not reachable here: a stand-in client records what a save sends (the real route is
// tested in workers/ and end to end in scripts/src/web-editor.test.ts).
const result: TranscriptionResult = {
  task: 'transcribe',
  language: 'en',
  duration: 2,
  model: 'm',
  text: 'One. Two.',
  segments: [
    { id: 0, start: 0, end: 1, text: ' One.' },
    { id: 1, start: 1, end: 2, text: ' Two.' },
  ],
};

function client(answer: (path: string, body: unknown) => unknown): ApiClient & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    request: async () => new Response(),
    json: async <T>(path: string, init?: RequestInit) => {
      sent.push(path);
      return answer(path, JSON.parse(String(init?.body))) as T;
    },
  };
}

describe('EditSession', () => {
  it('saves the edited result against the revision it was loaded from, then from the new one', async () => {
    const session = new EditSession('job_1', result, 0);
    const bodies: unknown[] = [];
    let next = 1;
    const api = client((_path, body) => {
      bodies.push(body);
      return { revision: next++ };
    });
    session.change(setText(session.doc, 1, 'Three.'), 'text:1');
    expect(session.dirty).toBe(true);
    expect(await session.save(api)).toEqual({ revision: 1 });
    expect(session.dirty).toBe(false);
    expect(bodies[0]).toMatchObject({
      text: 'One. Three.',
      segments: [{ text: ' One.' }, { text: ' Three.' }],
    });
    session.change(setText(session.doc, 0, 'Uno.'));
    await session.save(api);
    expect(api.sent).toEqual([
      '/v1/jobs/job_1/result/revisions?base_revision=0',
      '/v1/jobs/job_1/result/revisions?base_revision=1',
    ]);
  });

  it('turns the API’s revision_conflict into a RevisionConflict and stays dirty', async () => {
    const session = new EditSession('job_1', result, 3);
    session.change(setText(session.doc, 0, 'Changed.'));
    const api = client(() => {
      throw new ApiRequestError(409, 'revision 4 is the latest', 'revision_conflict');
    });
    await expect(session.save(api)).rejects.toBeInstanceOf(RevisionConflict);
    expect(session.dirty).toBe(true);
    expect(session.revision).toBe(3);
  });
});
