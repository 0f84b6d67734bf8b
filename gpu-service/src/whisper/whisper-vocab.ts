import type { WhisperGenerationConfig, WhisperTokenizer } from '../models/whisper-model.js';

/** The token ids decoding needs, read from the model's own generation config and tokenizer. */
export interface WhisperVocab {
  sot: number;
  eot: number;
  transcribe: number;
  translate: number;
  noTimestamps: number;
  noSpeech: number | undefined;
  startOfPrev: number | undefined;
  timestampBegin: number;
  langToId: Record<string, number>;
  suppressTokens: number[];
  beginSuppressTokens: number[];
  maxLength: number;
  multilingual: boolean;
}

function required(value: number | undefined, name: string): number {
  if (value === undefined) throw new Error(`generation_config.json lacks ${name}`);
  return value;
}

export function readVocab(
  generationConfig: WhisperGenerationConfig,
  tokenizer: Pick<WhisperTokenizer, 'convert_tokens_to_ids'>,
): WhisperVocab {
  const ids = { get: (token: string) => tokenizer.convert_tokens_to_ids(token) ?? undefined };
  const eos = generationConfig.eos_token_id;
  const noTimestamps = required(generationConfig.no_timestamps_token_id, 'no_timestamps_token_id');
  return {
    sot: required(generationConfig.decoder_start_token_id, 'decoder_start_token_id'),
    eot: required(Array.isArray(eos) ? eos[0] : eos, 'eos_token_id'),
    transcribe: required(generationConfig.task_to_id?.transcribe ?? ids.get('<|transcribe|>'), 'task_to_id'),
    translate: required(generationConfig.task_to_id?.translate ?? ids.get('<|translate|>'), 'task_to_id'),
    noTimestamps,
    // Hub checkpoints name it <|nocaptions|>, openai/whisper <|nospeech|>.
    noSpeech: ids.get('<|nospeech|>') ?? ids.get('<|nocaptions|>'),
    startOfPrev: ids.get('<|startofprev|>'),
    timestampBegin: noTimestamps + 1,
    langToId: generationConfig.lang_to_id ?? {},
    suppressTokens: generationConfig.suppress_tokens ?? [],
    beginSuppressTokens: generationConfig.begin_suppress_tokens ?? [],
    maxLength: generationConfig.max_length ?? 448,
    multilingual: generationConfig.is_multilingual !== false,
  };
}
