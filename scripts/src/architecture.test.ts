import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { root } from './test-support/stack.js';

/**
 * The import rules docs/architecture.md states, checked on the sources: which package may import which,
 * which feature folder may import which, nothing in src/ reaching into test support, and no cycles.
 */

/** Lower layers first: a module may import its own folder and folders earlier in the list. */
const LAYERS: Record<string, string[]> = {
  'workers/src': [
    'http',
    'storage',
    'uploads',
    'gpu',
    'usage',
    'health',
    'speakers',
    'transcription',
    'jobs',
    'realtime',
  ],
  'gpu-service/src': [
    'audio',
    'log-mel',
    'models',
    'vad',
    'whisper',
    'diarization',
    'transcription',
    'realtime',
    'http',
  ],
  'cli/src': ['errors', 'api', 'progress', 'upload', 'jobs', 'commands'],
};
/** Entry files wire everything together; every other file at a package root is configuration. */
const ENTRY_FILES = new Set(['app.ts', 'index.ts', 'main.ts']);
const PACKAGES: Record<string, string[]> = {
  shared: [],
  workers: ['shared'],
  'gpu-service': ['shared'],
  web: ['shared'],
  scripts: ['shared', 'gpu-service'],
  // The CLI talks to the edge over HTTP only, like any other client.
  cli: ['shared'],
};

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

const SPECIFIER = /(?:from|import)\s*\(?\s*'([^']+)'/g;
function imports(file: string): string[] {
  return [...readFileSync(path.join(root, file), 'utf8').matchAll(SPECIFIER)].map((m) => m[1]!);
}
function resolveRelative(file: string, spec: string): string {
  return path.normalize(path.join(path.dirname(file), spec)).replace(/\.js$/, '.ts');
}
const isTest = (file: string) => file.endsWith('.test.ts');

const allFiles = Object.keys(PACKAGES).flatMap((pkg) =>
  sources(pkg).filter((f) => !f.includes('node_modules')),
);

describe('architecture', () => {
  it('packages import only the packages they may (edge and GPU meet over HTTP only)', () => {
    const wrong: string[] = [];
    for (const file of allFiles) {
      const pkg = file.split('/')[0]!;
      for (const spec of imports(file)) {
        const other = /^@whisper-edge\/([^/]+)/.exec(spec)?.[1];
        if (other && other !== pkg && !PACKAGES[pkg]!.includes(other)) wrong.push(`${file} -> ${spec}`);
        if (spec.startsWith('.') && !resolveRelative(file, spec).startsWith(`${pkg}/`))
          wrong.push(`${file} -> ${spec} (leaves its package)`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('feature folders import only their own layer and the ones below', () => {
    const wrong: string[] = [];
    for (const [base, layers] of Object.entries(LAYERS)) {
      for (const file of allFiles.filter((f) => f.startsWith(`${base}/`) && !isTest(f))) {
        const inBase = path.relative(base, file);
        if (!inBase.includes('/')) continue;
        const from = layers.indexOf(inBase.split('/')[0]!);
        expect(from, `${file} is in no known layer`).toBeGreaterThanOrEqual(0);
        for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
          const target = path.relative(base, resolveRelative(file, spec));
          if (!target.includes('/')) {
            if (ENTRY_FILES.has(target)) wrong.push(`${file} -> ${spec} (an entry file)`);
            continue;
          }
          const to = layers.indexOf(target.split('/')[0]!);
          // Routes are each feature's outer edge: they may call into any feature below the entry.
          const isRoute = file.endsWith('-routes.ts');
          if (to > from && !isRoute) wrong.push(`${file} -> ${spec}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the Worker reads its [vars] and secrets only through config.ts', () => {
    // Bindings (R2, Durable Objects, the queue) are objects, not configuration.
    const BINDINGS = new Set([
      'UPLOADS',
      'JOBS',
      'GPU_POOL',
      'TENANT_JOBS',
      'TENANT_USAGE',
      'JOBS_QUEUE',
      'REALTIME_SESSIONS',
    ]);
    const wrong = allFiles
      .filter((f) => f.startsWith('workers/src/') && !isTest(f) && f !== 'workers/src/config.ts')
      .flatMap((file) =>
        [...readFileSync(path.join(root, file), 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)]
          .filter((m) => !BINDINGS.has(m[1]!))
          .map((m) => `${file}: env.${m[1]}`),
      );
    expect(wrong).toEqual([]);
  });

  it('nothing in src/ but tests imports test support', () => {
    const wrong = allFiles
      .filter((f) => /^(workers|gpu-service|cli)\/src\//.test(f) && !isTest(f))
      .flatMap((file) =>
        imports(file)
          .filter(
            (s) =>
              (s.startsWith('.') && /\/test\//.test(resolveRelative(file, s))) || s.includes('/testing/'),
          )
          .map((s) => `${file} -> ${s}`),
      );
    expect(wrong).toEqual([]);
  });

  it('has no import cycle between source files', () => {
    const graph = new Map<string, string[]>();
    for (const file of allFiles.filter((f) => !isTest(f))) {
      graph.set(
        file,
        imports(file)
          .filter((s) => s.startsWith('.'))
          .map((s) => resolveRelative(file, s)),
      );
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
