/**
 * A fetch for the model hub that gives up when the hub does not start answering in time: without a
 * network, a plain fetch can hang for minutes and a service that waits on it looks dead.
 * Only the wait for response headers is bounded; a large download may take as long as it needs.
 */
export function fetchWithHeaderTimeout(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error(`no answer from ${String(input)} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const signals = [controller.signal, init?.signal].filter(
      (s): s is AbortSignal => s instanceof AbortSignal,
    );
    try {
      return await fetch(input, { ...init, signal: AbortSignal.any(signals) });
    } finally {
      clearTimeout(timer);
    }
  };
}
