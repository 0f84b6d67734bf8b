import { WHISPER_LANGUAGES } from '@whisper-edge/shared/languages';
import type { UploadedFile } from '../upload/upload-panel.js';
import type { TranscriptionChoices } from './transcription-request.js';

const titleCase = (name: string) => name.replace(/\b\w/g, (c) => c.toUpperCase());

/** The transcribe form: which uploaded file, model, language, task, timestamps, speakers, export. */
export class TranscribeForm {
  private readonly files = new Map<string, UploadedFile>();

  constructor(private readonly form: HTMLFormElement) {
    const languages = Object.entries(WHISPER_LANGUAGES)
      .map(([code, name]) => new Option(`${titleCase(name)} (${code})`, code))
      .sort((a, b) => a.text.localeCompare(b.text));
    this.select('language').append(...languages);
    const diarization = this.input('diarization');
    diarization.addEventListener('change', () => {
      this.input('speakers').disabled = !diarization.checked;
    });
  }

  setModels(ids: string[]): void {
    const select = this.select('model');
    const previous = select.value;
    select.replaceChildren(...ids.map((id) => new Option(id === 'whisper-1' ? `${id} (default)` : id, id)));
    if (ids.includes(previous)) select.value = previous;
  }

  addFile(file: UploadedFile): void {
    const select = this.select('file');
    if (this.files.size === 0) select.replaceChildren();
    this.files.set(file.id, file);
    select.append(new Option(`${file.name} (${(file.size / 1e6).toFixed(1)} MB)`, file.id, true, true));
  }

  get selectedFile(): UploadedFile | undefined {
    return this.files.get(this.select('file').value);
  }

  choices(): TranscriptionChoices | undefined {
    const file = this.selectedFile;
    if (!file) return undefined;
    const speakers = Number.parseInt(this.input('speakers').value, 10);
    return {
      storageKey: file.key,
      model: this.select('model').value || 'whisper-1',
      language: this.select('language').value,
      task:
        this.form.querySelector<HTMLInputElement>('input[name="task"]:checked')?.value === 'translate'
          ? 'translate'
          : 'transcribe',
      wordTimestamps: this.input('words').checked,
      diarization: this.input('diarization').checked,
      numSpeakers: Number.isInteger(speakers) && speakers > 0 ? speakers : undefined,
      saveCopy: this.input('save').checked,
      outputKey: this.input('output-key').value,
    };
  }

  private select(name: string): HTMLSelectElement {
    return this.form.elements.namedItem(name) as HTMLSelectElement;
  }

  private input(name: string): HTMLInputElement {
    return this.form.elements.namedItem(name) as HTMLInputElement;
  }
}
