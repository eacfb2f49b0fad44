/**
 * Element search (Ctrl+F) for Vietnamese names. diagram-js matches the typed words letter for
 * letter; Vietnamese users often type without diacritics ("tiep nhan"), and some keyboards send
 * decomposed letters (e + combining marks) that never equal the precomposed ones a name is saved
 * with. So names and words are compared in NFC, and a search typed without diacritics ignores
 * them in the names too ("tiep nhan" finds "Tiếp nhận"); one typed with diacritics matches them as
 * typed. The match itself, its ranking and highlighting stay diagram-js's.
 */
import search from 'diagram-js/lib/features/search/search.js';

interface Token {
  index: number;
  value: string;
}
type Tokens = Record<string, Array<Token | Token[]>>;
type Item = Record<string, unknown>;

/** Removes diacritics letter by letter, so every position in the result is the same letter of the input (NFC). */
export function withoutDiacritics(text: string): string {
  let folded = '';
  for (const letter of text) {
    const base = letter === 'đ' ? 'd' : letter === 'Đ' ? 'D' : letter.normalize('NFD').replace(/\p{M}+/gu, '');
    folded += base.length === letter.length ? base : letter;
  }
  return folded;
}

export function vietnameseSearch<T extends Item>(items: T[], pattern: string, options: { keys: string[] }): Array<{ item: T; tokens: Tokens }> {
  const typed = pattern.normalize('NFC');
  const ignoreDiacritics = withoutDiacritics(typed) === typed;
  const compared = (value: string) => (ignoreDiacritics ? withoutDiacritics(value) : value);
  const originals = new Map<Item, { item: T; shown: Record<string, string | string[]> }>();
  const prepared = items.map((item) => {
    const shown: Record<string, string | string[]> = {};
    const keyed: Record<string, string | string[]> = {};
    for (const key of options.keys) {
      const value = item[key];
      if (typeof value === 'string') {
        shown[key] = value.normalize('NFC');
        keyed[key] = compared(shown[key]);
      } else if (Array.isArray(value)) {
        const nfc = value.map((entry) => String(entry).normalize('NFC'));
        shown[key] = nfc;
        keyed[key] = nfc.map(compared);
      }
    }
    originals.set(keyed, { item, shown });
    return keyed;
  });
  return (search(prepared, typed, options) as Array<{ item: Item; tokens: Tokens }>).map(({ item, tokens }) => {
    const { item: original, shown } = originals.get(item)!;
    // Each token names its place in the string searched: the same place in the name as shown.
    const restore = (token: Token, text: string): Token => ({ ...token, value: text.slice(token.index, token.index + token.value.length) });
    const restored: Tokens = {};
    for (const [key, list] of Object.entries(tokens)) {
      const text = shown[key];
      restored[key] = list.map((token, index) => (Array.isArray(token) ? token.map((part) => restore(part, Array.isArray(text) ? text[index]! : '')) : restore(token, typeof text === 'string' ? text : '')));
    }
    return { item: original, tokens: restored };
  });
}

/** Replaces diagram-js's `search` service, which bpmn-js's search pad calls. */
export const vietnameseSearchModule = { search: ['value', vietnameseSearch] };
