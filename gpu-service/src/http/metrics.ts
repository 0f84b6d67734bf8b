import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  requests: Counter<'route' | 'status'>;
  audioSeconds: Counter;
  processingSeconds: Counter;
  realTimeFactor: Histogram;
  modelLoadSeconds: Gauge<'model' | 'device'>;
}

/** Prometheus metrics for /metrics; queue depth and in-flight are read from the admission gate when scraped. */
export function createMetrics(gauges: { queued: () => number; inFlight: () => number }): Metrics {
  const registry = new Registry();
  const metrics: Metrics = {
    registry,
    requests: new Counter({
      name: 'whisper_requests_total',
      help: 'Requests by route and status',
      labelNames: ['route', 'status'],
      registers: [registry],
    }),
    audioSeconds: new Counter({
      name: 'whisper_audio_seconds_total',
      help: 'Seconds of audio transcribed',
      registers: [registry],
    }),
    processingSeconds: new Counter({
      name: 'whisper_processing_seconds_total',
      help: 'Wall-clock seconds spent decoding and transcribing',
      registers: [registry],
    }),
    realTimeFactor: new Histogram({
      name: 'whisper_real_time_factor',
      help: 'Audio seconds per processing second, per request (higher is faster)',
      buckets: [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers: [registry],
    }),
    modelLoadSeconds: new Gauge({
      name: 'whisper_model_load_seconds',
      help: 'Time the loaded model took to load',
      labelNames: ['model', 'device'],
      registers: [registry],
    }),
  };
  new Gauge({
    name: 'whisper_queue_depth',
    help: 'Requests waiting for a slot',
    registers: [registry],
    collect() {
      this.set(gauges.queued());
    },
  });
  new Gauge({
    name: 'whisper_inflight_requests',
    help: 'Requests being processed',
    registers: [registry],
    collect() {
      this.set(gauges.inFlight());
    },
  });
  return metrics;
}
