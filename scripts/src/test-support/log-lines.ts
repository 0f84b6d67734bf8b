/** The structured (JSON) log lines in a stack's output; wrangler's and the runner's own lines are skipped. */
export function jsonLogLines(output: string): Record<string, unknown>[] {
  return output.split('\n').flatMap((line) => {
    const start = line.indexOf('{"time"');
    if (start < 0) return [];
    try {
      return [JSON.parse(line.slice(start)) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}
