import type { AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import type { FeatureExtractor } from './decode-types.js';

/** Features through Transformers.js's own extractor, one window at a time (the reference). */
export function transformersFeatures(pipeline: AutomaticSpeechRecognitionPipeline): FeatureExtractor {
  return {
    async extract(windows) {
      const out: Float32Array[] = [];
      for (const window of windows) {
        const { input_features } = (await pipeline.processor(window)) as {
          input_features: { data: Float32Array };
        };
        out.push(input_features.data);
      }
      return out;
    },
  };
}
