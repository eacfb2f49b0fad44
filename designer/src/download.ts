/** Hands a generated file to the browser as a download. */
export function download(fileName: string, contents: BlobPart, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([contents], { type: mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file name from a model name: Vietnamese diacritics folded, anything odd replaced. */
export function fileNameFor(name: string, extension: string): string {
  const base = name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base || 'quy-trinh'}.${extension}`;
}
