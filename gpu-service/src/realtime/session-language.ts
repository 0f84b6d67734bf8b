import type { LiveDecodeOptions, LiveEngine } from './live-engine.js';
import type { Configure } from './session-options.js';

/** A session's language: detected once, on the first utterance, when the caller did not name it. */
export class SessionLanguage {
  private language: Promise<string> | null = null;

  /** The model or the language asked for changed: the next utterance decides again. */
  reset(): void {
    this.language = null;
  }

  /** The decode options of an utterance whose audio (so far) is `audio`; a failed detection is retried. */
  options(engine: LiveEngine, config: Configure, audio: Float32Array): Promise<LiveDecodeOptions> {
    this.language ??= engine.language(config.language, audio);
    const language = this.language;
    language.catch(() => {
      if (this.language === language) this.language = null;
    });
    return language.then((lang) => ({ language: lang, prompt: config.prompt }));
  }
}
