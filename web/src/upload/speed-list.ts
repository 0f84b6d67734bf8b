import type { Body, Meta, Uppy } from '@uppy/core';
import { formatRate, SpeedMeter } from './upload-speed.js';

/** One line per file under the drop zone: percentage and upload speed (Uppy's status bar shows no speed). */
export function trackSpeeds<M extends Meta, B extends Body>(uppy: Uppy<M, B>, list: HTMLElement): void {
  const rows = new Map<string, { item: HTMLLIElement; meter: SpeedMeter; name: string }>();
  const row = (id: string, name: string) => {
    let entry = rows.get(id);
    if (!entry) {
      const item = document.createElement('li');
      item.dataset.fileId = id;
      list.append(item);
      entry = { item, meter: new SpeedMeter(), name };
      rows.set(id, entry);
    }
    return entry;
  };
  uppy.on('upload-progress', (file, progress) => {
    if (!file || !progress.bytesTotal) return;
    const entry = row(file.id, file.name ?? 'file');
    const rate = entry.meter.sample(progress.bytesUploaded, performance.now());
    const percent = Math.floor((progress.bytesUploaded / progress.bytesTotal) * 100);
    entry.item.textContent = `${entry.name}: ${percent}%${rate === undefined ? '' : ` · ${formatRate(rate)}`}`;
  });
  uppy.on('upload-success', (file) => {
    if (file) row(file.id, file.name ?? 'file').item.textContent = `${file.name}: stored`;
  });
  uppy.on('upload-error', (file) => {
    if (file) row(file.id, file.name ?? 'file').item.textContent = `${file.name}: failed`;
  });
  uppy.on('file-removed', (file) => {
    rows.get(file.id)?.item.remove();
    rows.delete(file.id);
  });
}
