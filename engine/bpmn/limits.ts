/**
 * What a BPMN file may hold before it is read: the limits every path that takes a model
 * (deployment, model saves, analysis, the CLI) shares, because each of them parses through
 * `parseBpmn`. The HTTP layer reuses the id limit for the identifiers it takes (process keys,
 * message names), so what a model may declare is exactly what the API accepts back.
 */
import { QuyTrinhError, type ErrorDetail } from '../errors.ts';

/**
 * BPMN ids, and so process keys (a process id is the deployment key, which goes into a URL and a
 * `Location` header), at most this long. Modellers write ids such as `Activity_0x1k2m3` or
 * `Process_dang_ky_khai_sinh`; the catalogue's longest is under 60 characters.
 */
export const MAX_BPMN_ID_LENGTH = 200;

/**
 * `name` attributes at most this long: a step or a procedure is named in a sentence (the
 * catalogue's longest is about 120 characters), and names are copied into every task row.
 */
export const MAX_BPMN_NAME_LENGTH = 1000;

/**
 * XML elements nested at most this deep. A procedure model is definitions > process >
 * a few levels of sub-process > task > extension elements; diagram interchange is six deep.
 * Fifty levels leave room for about forty nested sub-processes; thousands (an attack) would
 * exhaust the stack of every recursive reader downstream (compiler, cost model, lint rules).
 */
export const MAX_BPMN_NESTING = 50;

/**
 * Characters XML 1.0 forbids (§2.2 Char): C0 controls other than tab and line breaks, NUL among
 * them, lone surrogates, U+FFFE and U+FFFF. PostgreSQL cannot store NUL in text at all.
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Refuses, before the parser sees it, XML that holds a character XML forbids or elements nested
 * deeper than MAX_BPMN_NESTING, naming the line and the element (its id when it has one).
 */
export function checkBpmnText(xml: string): void {
  const invalid = forbiddenCharacter(xml);
  if (invalid) {
    const where = position(xml, invalid.index);
    const character = `U+${invalid.codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
    throw new QuyTrinhError('invalid-model', 'bpmn.invalid-character', {
      vi: `Tệp BPMN chứa ký tự ${character} mà XML không cho phép (dòng ${where.line}, cột ${where.column})`,
      en: `The BPMN file holds the character ${character}, which XML does not allow (line ${where.line}, column ${where.column})`,
    }, [detailAt(xml, invalid.index, `character ${character} is not allowed in XML (line ${where.line}, column ${where.column})`)]);
  }
  const tooDeep = firstTooDeep(xml);
  if (tooDeep !== undefined) {
    const { line } = position(xml, tooDeep);
    throw new QuyTrinhError('invalid-model', 'bpmn.too-deep', {
      vi: `Các phần tử BPMN lồng nhau quá ${MAX_BPMN_NESTING} cấp (dòng ${line})`,
      en: `BPMN elements are nested more than ${MAX_BPMN_NESTING} levels deep (line ${line})`,
    }, [detailAt(xml, tooDeep, `nested more than ${MAX_BPMN_NESTING} levels deep`)]);
  }
}

/** Refuses ids and names longer than their limits, each offending element named (its id shortened). */
export function checkBpmnIdentifiers(elements: Iterable<{ $type: string; id?: string; name?: unknown }>): void {
  const problems: ErrorDetail[] = [];
  for (const element of elements) {
    const id = element.id ?? '';
    if (id.length > MAX_BPMN_ID_LENGTH) {
      problems.push({ elementId: shortened(id), message: `id is ${id.length} characters long; at most ${MAX_BPMN_ID_LENGTH}`, messages: { vi: `Mã phần tử dài ${id.length} ký tự; tối đa ${MAX_BPMN_ID_LENGTH}`, en: `The id is ${id.length} characters long; at most ${MAX_BPMN_ID_LENGTH}` } });
    }
    // A message name is what POST /api/messages correlates on: no longer than the API accepts.
    const nameLimit = element.$type === 'bpmn:Message' ? MAX_BPMN_ID_LENGTH : MAX_BPMN_NAME_LENGTH;
    if (typeof element.name === 'string' && element.name.length > nameLimit) {
      problems.push({ elementId: shortened(id), message: `name is ${element.name.length} characters long; at most ${nameLimit}`, messages: { vi: `Tên dài ${element.name.length} ký tự; tối đa ${nameLimit}`, en: `The name is ${element.name.length} characters long; at most ${nameLimit}` } });
    }
  }
  if (problems.length > 0) {
    throw new QuyTrinhError('invalid-model', 'bpmn.too-long', {
      vi: `Mô hình có ${problems.length} mã hoặc tên quá dài`,
      en: `The model has ${problems.length} id(s) or name(s) that are too long`,
    }, problems);
  }
}

/**
 * The first character XML forbids, written as it is or as a character reference (`&#0;`,
 * `&#xD800;`, which the parser would decode into names and texts bound for the database).
 */
function forbiddenCharacter(xml: string): { index: number; codePoint: number } | undefined {
  const raw = NOT_XML_CHAR.exec(xml);
  if (raw) return { index: raw.index, codePoint: raw[0].codePointAt(0) ?? 0 };
  for (const reference of xml.matchAll(/&#(x[0-9a-fA-F]{1,8}|[0-9]{1,10});/g)) {
    const digits = reference[1] ?? '';
    const codePoint = digits.startsWith('x') ? Number.parseInt(digits.slice(1), 16) : Number.parseInt(digits, 10);
    // A reference beyond Unicode is no character at all: forbidden like U+FFFF.
    const character = codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : '\uFFFF';
    if (NOT_XML_CHAR.test(character)) return { index: reference.index, codePoint };
  }
  return undefined;
}

/**
 * The offset of the first start tag nested deeper than the limit, or undefined. A single pass
 * over the text (comments, CDATA, processing instructions and quoted attribute values skipped),
 * exact for well-formed XML; malformed XML is the parser's to refuse.
 */
function firstTooDeep(xml: string): number | undefined {
  let depth = 0;
  let at = xml.indexOf('<');
  while (at !== -1) {
    const next = xml[at + 1];
    if (next === '/') {
      depth -= 1;
      at = xml.indexOf('>', at);
    } else if (next === '?') {
      at = xml.indexOf('?>', at);
    } else if (xml.startsWith('<!--', at)) {
      at = xml.indexOf('-->', at);
    } else if (xml.startsWith('<![CDATA[', at)) {
      at = xml.indexOf(']]>', at);
    } else if (next === '!') {
      at = xml.indexOf('>', at);
    } else {
      const end = startTagEnd(xml, at);
      if (end === -1) return undefined;
      // An empty element (`<task/>`) lies one level down too, but closes at once.
      if (depth + 1 > MAX_BPMN_NESTING) return at;
      if (xml[end - 1] !== '/') depth += 1;
      at = end;
    }
    if (at === -1) return undefined;
    at = xml.indexOf('<', at + 1);
  }
  return undefined;
}

/** The `>` closing the start tag at `from`, skipping `>` inside quoted attribute values. */
function startTagEnd(xml: string, from: number): number {
  let quote: string | undefined;
  for (let at = from + 1; at < xml.length; at += 1) {
    const character = xml[at];
    if (quote !== undefined) {
      if (character === quote) quote = undefined;
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if (character === '>') {
      return at;
    }
  }
  return -1;
}

/** The detail for a place in the text: the element whose start tag is at or before it, by id when it has one. */
function detailAt(xml: string, offset: number, message: string): ErrorDetail {
  const tagStart = xml.lastIndexOf('<', offset);
  const tag = tagStart === -1 ? '' : xml.slice(tagStart, Math.min(xml.length, tagStart + 2000)).split('>')[0] ?? '';
  const id = /\sid\s*=\s*["']([^"']*)["']/.exec(tag)?.[1];
  const name = /^<([^\s/>]+)/.exec(tag)?.[1];
  return {
    field: 'xml',
    ...(id ? { elementId: shortened(id) } : {}),
    message: name ? `${message}, in <${shortened(name)}>` : message,
  };
}

function position(xml: string, offset: number): { line: number; column: number } {
  const before = xml.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** An id short enough to quote in an answer: an attacker's 100,000-character id is not echoed whole. */
function shortened(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 80)}…`;
}
