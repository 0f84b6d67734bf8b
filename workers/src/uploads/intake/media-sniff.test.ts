import { describe, expect, it } from 'vitest';
import { sniffMedia } from './media-sniff.js';

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

function bytes(...parts: Array<number[] | string>): Uint8Array {
  const flat = parts.flatMap((p) => (typeof p === 'string' ? ascii(p) : p));
  const out = new Uint8Array(Math.max(flat.length, 64));
  out.set(flat);
  return out;
}

describe('sniffMedia', () => {
  it.each([
    ['wav', bytes('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ')],
    ['flac', bytes('fLaC', [0, 0, 0, 0x22])],
    ['ogg', bytes('OggS', [0, 2])],
    ['mp3 with ID3', bytes('ID3', [4, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64])],
    ['raw mp3 frame', bytes([0xff, 0xfb, 0x90, 0x64])],
    ['adts aac', bytes([0xff, 0xf1, 0x50, 0x80])],
    ['webm', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01], [0x42, 0x82, 0x84], 'webm')],
    ['mp4', bytes([0, 0, 0, 0x18], 'ftypmp42', [0, 0, 0, 0], 'mp42isom')],
    ['m4a', bytes([0, 0, 0, 0x18], 'ftypM4A ', [0, 0, 0, 0], 'M4A mp42')],
  ])('accepts %s', async (_name, head) => {
    expect((await sniffMedia(head)).ok).toBe(true);
  });

  it.each([
    ['plain text', new TextEncoder().encode('{"hello": "world"} this is not audio')],
    ['png', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d], 'IHDR')],
    ['pdf', bytes('%PDF-1.7\n')],
    ['zip', bytes('PK', [3, 4, 20, 0])],
  ])('rejects %s', async (_name, head) => {
    expect((await sniffMedia(head)).ok).toBe(false);
  });
});
