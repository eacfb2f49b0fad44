/**
 * What a PDF's later revisions did to an earlier signature (docs/signatures.md, "Verification"):
 * a signature that covers a prefix of the file holds for that prefix only, so what was appended
 * after it must be incremental updates (ISO 32000-1 §7.5.6) that only add signatures — a
 * signature dictionary and its widget, the form's field list extended, the page's /Annots
 * extended, the catalog given its /AcroForm — and change nothing that is shown. This is the
 * check a PDF reader makes before it says "the document has not been modified since this
 * signature was applied", restricted to what incremental signatures write (classic cross-reference
 * tables, no streams): anything else appended after a signature is reported, and that signature
 * then fails as `signature.incomplete-coverage`.
 */

/** Whitespace collapsed and none around delimiters: two writings of one dictionary compare equal. */
function normalised(body: string): string {
  return body.replace(/\s+/g, ' ').replace(/\s*(<<|>>|\[|\])\s*/g, '$1').trim();
}

/** The references `N G R` of an array entry `/Key [ … ]`, as `N G`. */
function references(body: string, key: string): string[] {
  const array = new RegExp(`/${key}\\s*\\[([^\\]]*)\\]`).exec(body)?.[1] ?? '';
  return [...array.matchAll(/(\d+)\s+(\d+)\s+R/g)].map((match) => `${match[1]} ${match[2]}`);
}

const without = (body: string, key: string) => normalised(body.replace(new RegExp(`/${key}\\s*(\\[[^\\]]*\\]|\\d+\\s+\\d+\\s+R)`), ''));
const typeOf = (body: string) => /\/Type\s*\/(\w+)/.exec(body)?.[1];

/** The latest definition of object `number` in `prefix` (classic files: the one written last), its dictionary's text. */
function priorDefinition(prefix: string, number: number): string | null {
  const header = new RegExp(`(?:^|[\\r\\n\\s])${number}\\s+0\\s+obj\\b`, 'g');
  let last: RegExpExecArray | null = null;
  for (let match = header.exec(prefix); match; match = header.exec(prefix)) last = match;
  if (!last) return null;
  const start = last.index + last[0].length;
  const end = prefix.indexOf('endobj', start);
  return end < 0 ? null : prefix.slice(start, end);
}

/** Why an object written after the signature is not one an added signature writes, or null. */
function objectProblem(prefix: string, number: number, body: string): string | null {
  if (/\bstream[\r\n]/.test(body)) return `object ${number} is a stream`;
  const prior = priorDefinition(prefix, number);
  const type = typeOf(body);
  const isSignature = type === 'Sig' && /\/ByteRange/.test(body);
  const isWidget = /\/Subtype\s*\/Widget/.test(body) && /\/FT\s*\/Sig/.test(body);
  if (isSignature || isWidget) return prior === null ? null : `object ${number} replaced by a signature`;
  if (prior === null || typeOf(prior) !== type) return `object ${number} added or replaced`;
  const extends_ = (key: string) => references(prior, key).every((reference) => references(body, key).includes(reference));
  if (type === 'AcroForm' && extends_('Fields')) return null;
  if (type === 'Catalog' && without(body, 'AcroForm') === without(prior, 'AcroForm')) return null;
  if (type === 'Page' && extends_('Annots') && without(body, 'Annots') === without(prior, 'Annots')) return null;
  return `object ${number} (${type ?? 'untyped'}) changed`;
}

const rootOf = (text: string) => [...text.matchAll(/trailer\s*<<[\s\S]*?\/Root\s+(\d+\s+\d+)\s+R/g)].at(-1)?.[1] ?? null;

/**
 * Why the bytes after `end` are not revisions that only add signatures, or null when they are.
 * `end` is where an earlier signature's signed range stops.
 */
export function laterRevisionsProblem(bytes: Buffer, end: number): string | null {
  const text = bytes.toString('latin1');
  const prefix = text.slice(0, end);
  if (!/%%EOF\s*$/.test(prefix)) return 'the signed range does not end a revision (%%EOF)';
  const objects = new Map<number, number>();
  let at = end;
  while (at < text.length) {
    const rest = text.slice(at, at + 64);
    const space = /^\s+/.exec(rest);
    if (space) {
      at += space[0].length;
      continue;
    }
    const header = /^(\d+)\s+(\d+)\s+obj\b/.exec(rest);
    if (header) {
      const close = text.indexOf('endobj', at);
      if (close < 0) return 'an object without endobj';
      const problem = objectProblem(prefix, Number(header[1]), text.slice(at + header[0].length, close));
      if (problem) return problem;
      objects.set(Number(header[1]), at);
      at = close + 'endobj'.length;
      continue;
    }
    if (!rest.startsWith('xref')) return `unexpected content at byte ${at}`;
    const eof = text.indexOf('%%EOF', at);
    if (eof < 0) return 'a revision without %%EOF';
    const problem = xrefProblem(text.slice(at, eof), objects, rootOf(prefix));
    if (problem) return problem;
    at = eof + '%%EOF'.length;
  }
  return null;
}

/** Every in-use entry of the revision's cross-reference table points at an object it added; nothing is freed; the root stays. */
function xrefProblem(section: string, objects: Map<number, number>, root: string | null): string | null {
  const [table = '', trailer = ''] = section.split('trailer');
  const lines = table.split(/\r\n|\r|\n/).slice(1).map((line) => line.trim()).filter((line) => line !== '');
  let number = 0;
  for (const line of lines) {
    const subsection = /^(\d+)\s+(\d+)$/.exec(line);
    if (subsection) {
      number = Number(subsection[1]);
      continue;
    }
    const entry = /^(\d{10})\s+(\d{5})\s+([nf])$/.exec(line);
    if (!entry) return `cross-reference line "${line.slice(0, 40)}"`;
    if (entry[3] === 'f' ? number !== 0 : objects.get(number) !== Number(entry[1])) return `cross-reference entry of object ${number}`;
    number++;
  }
  if (rootOf(`trailer${trailer}`) !== root) return 'the document catalog was replaced';
  return null;
}
