import type { Transcript } from '../transcript/transcript.js';
import { type ExportFormat, exportFormats, renderExport } from './render-export.js';

const LABELS: Record<ExportFormat, string> = {
  json: 'JSON',
  verbose_json: 'Verbose JSON',
  srt: 'SRT',
  vtt: 'WebVTT',
  txt: 'Text',
};

export interface ExportSource {
  transcript: Transcript;
  sourceName: string;
  renames: () => Record<string, string>;
}

/** Download buttons per format, copy to clipboard, and where the service stored its own copy. */
export function createExportPanel(elements: {
  downloads: HTMLElement;
  copyFormat: HTMLSelectElement;
  copyButton: HTMLButtonElement;
  status: HTMLElement;
  storage: HTMLElement;
}): { show(source: ExportSource | undefined): void } {
  let current: ExportSource | undefined;
  const render = (format: ExportFormat) => {
    if (!current) throw new Error('no transcript yet');
    return renderExport(current.transcript, format, {
      renames: current.renames(),
      sourceName: current.sourceName,
    });
  };
  elements.downloads.replaceChildren(
    ...exportFormats.map((format) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.format = format;
      button.textContent = `Download ${LABELS[format]}`;
      button.addEventListener('click', () => {
        const { body, mimeType, filename } = render(format);
        const link = document.createElement('a');
        link.href = URL.createObjectURL(new Blob([body], { type: mimeType }));
        link.download = filename;
        link.click();
        setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
        elements.status.textContent = `Downloaded ${filename}`;
      });
      return button;
    }),
  );
  elements.copyFormat.replaceChildren(
    ...exportFormats.map((format) => new Option(LABELS[format], format, format === 'txt', format === 'txt')),
  );
  elements.copyButton.addEventListener('click', async () => {
    const format = elements.copyFormat.value as ExportFormat;
    try {
      await navigator.clipboard.writeText(render(format).body);
      elements.status.textContent = `Copied the ${LABELS[format]} transcript to the clipboard`;
    } catch (error) {
      elements.status.textContent = `Could not copy: ${(error as Error).message}`;
    }
  });
  const setEnabled = (enabled: boolean) => {
    for (const button of elements.downloads.querySelectorAll('button')) button.disabled = !enabled;
    elements.copyButton.disabled = !enabled;
    elements.copyFormat.disabled = !enabled;
  };
  setEnabled(false);
  return {
    show(source) {
      current = source;
      setEnabled(source !== undefined);
      elements.status.textContent = '';
      const { storage_url: storageUrl, export_error: exportError } = source?.transcript ?? {};
      elements.storage.hidden = !storageUrl && !exportError;
      elements.storage.textContent = storageUrl
        ? `The service saved a copy at ${storageUrl}`
        : exportError
          ? `The service could not save a copy: ${exportError}`
          : '';
    },
  };
}
