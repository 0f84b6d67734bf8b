/** The job as `GET /v1/jobs/{id}` shows it (the fields the CLI reads). */
export interface JobDocument {
  id: string;
  object: 'transcription.job';
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  created_at: number;
  completed_at: number | null;
  response_format: string;
  /** The owner's name for it (an uploaded file's name by default). */
  name?: string | null;
  /** Seconds of audio, once it succeeded. */
  duration?: number | null;
  attempts: number;
  progress: {
    processed_seconds: number;
    total_seconds: number | null;
    percent: number | null;
    eta_seconds: number | null;
  };
  storage_url?: string;
  export_error?: string;
  error?: { message: string; code: string | null };
  last_error?: string;
}

export const isTerminal = (status: JobDocument['status']) =>
  status === 'succeeded' || status === 'failed' || status === 'cancelled';

const JOB_ID = /^job_[0-9a-f]{32}$/;
export const isJobId = (id: string) => JOB_ID.test(id);
