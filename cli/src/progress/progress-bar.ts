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

function bar(format: string, total: number, initialDetail: string): cliProgress.SingleBar {
  const single = new cliProgress.SingleBar(
    {
      format,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      barsize: 30,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  single.start(total, 0, { detail: initialDetail });
  return single;
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
      single.update(value, {
        detail: `${(value / MiB).toFixed(1)}/${(totalBytes / MiB).toFixed(1)} MiB, ${rate.toFixed(1)} MiB/s`,
      });
    },
    stop: () => single.stop(),
  };
}

/** A job's progress: percent of the audio when its length is known, else what it is doing. */
export function jobProgress(enabled: boolean): Progress {
  if (!enabled) return quiet;
  const single = bar('Transcribing {bar} {percentage}% | {detail}', 100, 'queued');
  return {
    update: (percent, detail) => single.update(percent, detail !== undefined ? { detail } : {}),
    stop: () => single.stop(),
  };
}
