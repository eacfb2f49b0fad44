/** The name saved with each version: typed once, remembered by the browser. */
export const AUTHOR_KEY = 'quytrinh.designer.author';

export function rememberedAuthor(storage: Pick<Storage, 'getItem'>): string {
  return storage.getItem(AUTHOR_KEY) ?? '';
}

export function rememberAuthor(storage: Pick<Storage, 'setItem' | 'removeItem'>, author: string): void {
  const trimmed = author.trim();
  if (trimmed) storage.setItem(AUTHOR_KEY, trimmed);
  else storage.removeItem(AUTHOR_KEY);
}
