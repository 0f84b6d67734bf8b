/**
 * Progress of a running transcription: the elapsed time always, and the job's events (run-job.ts)
 * give the fraction done and text so far; the bar stays indeterminate while the length is unknown.
 */
export interface ProgressHandle {
  update(fraction: number | undefined, detail?: string): void;
  finish(message: string, outcome: 'done' | 'failed'): void;
}

function formatElapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export function startProgress(
  elements: { bar: HTMLProgressElement; status: HTMLElement; busy: HTMLElement },
  label: string,
  now: () => number = () => performance.now(),
): ProgressHandle {
  const { bar, status, busy } = elements;
  const started = now();
  let detail = '';
  bar.hidden = false;
  bar.removeAttribute('value');
  busy.setAttribute('aria-busy', 'true');
  const render = () => {
    status.textContent = `${label}… ${formatElapsed(now() - started)}${detail ? ` · ${detail}` : ''}`;
  };
  render();
  const timer = setInterval(render, 500);
  return {
    update(fraction, newDetail) {
      if (fraction === undefined) bar.removeAttribute('value');
      else bar.value = Math.min(1, Math.max(0, fraction));
      if (newDetail !== undefined) detail = newDetail;
      render();
    },
    finish(message, outcome) {
      clearInterval(timer);
      bar.hidden = true;
      busy.setAttribute('aria-busy', 'false');
      status.textContent = `${message} (${formatElapsed(now() - started)})`;
      status.dataset.outcome = outcome;
    },
  };
}
