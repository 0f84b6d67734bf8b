import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number, detail?: string): void;
  stop(): void;
}

const MiB = 1024 * 1024;
const quiet: Progress = { update() {}, stop() {} };

/** Bars go to stderr and only to a terminal: piped or redirected output stays clean. */
export function progressEnabled(flags: { quiet?: boolean | undefined }): boolean {
  return !flags.quiet && process.stderr.isTTY === true;
}

/** The bar on screen, if any: lines printed meanwhile go above it instead of through it. */
let active: cliProgress.MultiBar | undefined;

/** A line on stderr that leaves a running bar intact (it is drawn again below the line). */
export function printAbove(line: string): void {
  if (!active) {
    process.stderr.write(`${line}\n`);
    return;
  }
  // The bar turns the terminal's line wrapping off while it runs: a longer line would be cut anyway.
  const width = (process.stderr.columns ?? 80) - 1;
  active.log(`${line.length > width ? `${line.slice(0, width - 1)}…` : line}\n`);
}

/**
 * One bar. A MultiBar even for one, because only it can print lines above its bars (its `log`); a
 * SingleBar restores the cursor to where it started and would overwrite them.
 */
function bar(
  format: string,
  total: number,
  initialDetail: string,
): Progress & { value(n: number, detail: string): void } {
  const multi = new cliProgress.MultiBar(
    {
      format,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 30,
      etaBuffer: 50,
      // After lines printed above it (printAbove), the bar must be drawn again even when unchanged.
      forceRedraw: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const single = multi.create(total, 0, { detail: initialDetail });
  active = multi;
  let stopped = false;
  return {
    value: (n, detail) => single.update(n, { detail }),
    update: (n, detail) => single.update(n, detail !== undefined ? { detail } : {}),
    stop: () => {
      if (stopped) return;
      stopped = true;
      multi.stop();
      if (active === multi) active = undefined;
    },
  };
}

/** Bytes of one file going up, with the rate and time left. */
export function uploadProgress(enabled: boolean, label: string, totalBytes: number): Progress {
  if (!enabled) return quiet;
  const started = Date.now();
  const single = bar(
    `${label} {bar} {percentage}% | {detail} | ETA {eta_formatted}`,
    totalBytes,
    `0/${(totalBytes / MiB).toFixed(1)} MiB`,
  );
  let first: number | undefined;
  return {
    update(value) {
      first ??= value;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? (value - first) / MiB / seconds : 0;
      single.value(
        value,
        `${(value / MiB).toFixed(1)}/${(totalBytes / MiB).toFixed(1)} MiB, ${rate.toFixed(1)} MiB/s`,
      );
    },
    stop: () => single.stop(),
  };
}

/** A job's progress: percent of the audio when its length is known, else what it is doing. */
export function jobProgress(enabled: boolean): Progress {
  if (!enabled) return quiet;
  return bar('Transcribing {bar} {percentage}% | {detail}', 100, 'queued');
}
