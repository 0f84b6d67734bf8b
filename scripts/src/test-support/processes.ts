import { readdirSync, readFileSync } from 'node:fs';

interface ProcInfo {
  pid: number;
  ppid: number;
  comm: string;
}

function processes(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm is in parentheses and may contain spaces; fields after it are space-separated.
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      out.push({ pid: Number(entry), ppid, comm });
    } catch {
      // exited while listing
    }
  }
  return out;
}

/** Processes below `root` whose command name matches `name` (Linux /proc). */
export function descendantsNamed(root: number, name: RegExp): number[] {
  const all = processes();
  const children = new Map<number, ProcInfo[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      if (name.test(child.comm)) found.push(child.pid);
      stack.push(child.pid);
    }
  }
  return found;
}

/** The GPU service's processes (tsx's launcher and the node it runs) for `port`, below `root`. */
export function gpuProcessesOn(root: number, port: number): number[] {
  return descendantsNamed(root, /node/).filter((pid) => {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.includes('gpu-service/src/main.ts') && environ.includes(`PORT=${port}`);
    } catch {
      return false;
    }
  });
}
