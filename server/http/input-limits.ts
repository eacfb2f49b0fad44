/**
 * The API's input rules in one place: how large, how deep and how long what a client sends may
 * be, and which characters no string may hold. The routers build their zod schemas from
 * `safeString` and `variablesSchema`; `app.ts` puts `refuseUnsafeQuery` and `jsonBody` in front
 * of every route. BPMN files have their own limits in engine/bpmn/limits.ts (every path that
 * reads a model goes through the engine's reader); the id limit is shared with them.
 * README.md, section "Limits", lists the numbers for clients.
 */
import express, { type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import { MAX_BPMN_ID_LENGTH } from '../../engine/bpmn/limits.ts';
import { QuyTrinhError } from '../../engine/errors.ts';

/**
 * Process keys, business keys, message names and ids, actors, lanes (candidate groups), job
 * types, error codes, agencies and variable names: identifiers, at most as long as a BPMN id,
 * since a process key is one (and goes into URLs and `Location` headers). Dossier numbers
 * (Decree 61/2018 Art. 3) and lane names are a few dozen characters.
 */
export const MAX_KEY_LENGTH = MAX_BPMN_ID_LENGTH;

/** A correlation key can join several identifiers (a dossier number and an agency code). */
export const MAX_CORRELATION_KEY_LENGTH = 500;

/** A model's or a procedure's name: a sentence, as the catalogue's longest (about 120 characters). */
export const MAX_NAME_LENGTH = 500;

/** A version comment: what changed, in a few sentences. */
export const MAX_COMMENT_LENGTH = 2000;

/** A job's failure message, which an outside system may fill with a stack trace. */
export const MAX_FAILURE_MESSAGE_LENGTH = 4000;

/**
 * The variables one request may set, serialised as JSON. Variables are copied into the
 * instance, its snapshot and its history at every later step, so what one call may add is
 * bounded: 100 kB holds the data of a dossier many times over (files are not variables).
 */
export const MAX_VARIABLES_BYTES = 100 * 1024;

/** Arrays and objects nested at most this deep within variables: a dossier is a few levels deep. */
export const MAX_VARIABLES_DEPTH = 32;

/**
 * Any JSON body at most this deep, checked on the raw bytes before they are parsed, so a body
 * nested thousands deep never reaches a recursive reader; room for the body around variables.
 */
export const MAX_JSON_DEPTH = MAX_VARIABLES_DEPTH + 8;

/** JSON bodies other than models: the variables and the fields around them. */
export const MAX_JSON_REQUEST_BYTES = MAX_VARIABLES_BYTES + 28 * 1024;

/** A BPMN model, deployed as XML or analysed: real procedures are a few hundred kilobytes. */
export const MAX_MODEL_BYTES = 10 * 1024 * 1024;

/** A model as the designer saves it, diagram and all. */
export const MAX_SAVED_MODEL_CHARACTERS = 20_000_000;

/** JSON bodies carrying models (/api/models, /api/analysis): two 10 MB models, or one saved model, as JSON strings. */
export const MAX_MODEL_REQUEST_BYTES = 25 * 1024 * 1024;

/**
 * NUL, which PostgreSQL cannot store in text or jsonb, and lone surrogates, which are not
 * Unicode (no UTF-8 encoding) and which jsonb refuses. With the `u` flag the surrogate range
 * matches only a surrogate that is not half of a pair.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSAFE_CHARACTER = /\u0000|[\uD800-\uDFFF]/u;

/** What is wrong with a string ("NUL (U+0000)", "a lone surrogate U+D800"), or undefined. */
export function unsafeCharacter(text: string): string | undefined {
  const found = UNSAFE_CHARACTER.exec(text)?.[0];
  if (found === undefined) return undefined;
  return found === '\u0000' ? 'NUL (U+0000)' : `a lone surrogate U+${found.charCodeAt(0).toString(16).toUpperCase()}`;
}

/** A string of at most `max` characters with neither NUL nor a lone surrogate. */
export function safeString(max: number) {
  return z.string().max(max).superRefine((text, context) => {
    const found = unsafeCharacter(text);
    if (found !== undefined) context.addIssue({ code: 'custom', message: `must not contain ${found}` });
  });
}

/** An identifier: non-empty after trimming, at most MAX_KEY_LENGTH. */
export const keyString = safeString(MAX_KEY_LENGTH).trim().min(1);

/**
 * Process variables as every path that takes them accepts them (instance start, task and job
 * completion, messages): named by safe identifiers, at most MAX_VARIABLES_DEPTH deep, no unsafe
 * string anywhere, MAX_VARIABLES_BYTES in all (answered 413, see `validate`).
 */
export const variablesSchema = z.record(safeString(MAX_KEY_LENGTH), z.unknown()).superRefine((variables, context) => {
  const problems: Array<{ path: string[]; message: string }> = [];
  for (const [name, value] of Object.entries(variables)) findProblems(value, [name], 1, problems);
  for (const { path, message } of problems) context.addIssue({ code: 'custom', path, message });
  if (problems.length > 0) return;
  const bytes = Buffer.byteLength(JSON.stringify(variables));
  if (bytes > MAX_VARIABLES_BYTES) {
    context.addIssue({ code: 'custom', message: `variables take ${bytes} bytes as JSON; at most ${MAX_VARIABLES_BYTES}`, params: { tooLarge: true } });
  }
});

/** Nested values deeper than the limit, and unsafe strings (values and keys), with their paths. */
function findProblems(value: unknown, path: string[], depth: number, problems: Array<{ path: string[]; message: string }>): void {
  if (typeof value === 'string') {
    const found = unsafeCharacter(value);
    if (found !== undefined) problems.push({ path, message: `must not contain ${found}` });
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_VARIABLES_DEPTH) {
    problems.push({ path, message: `nested more than ${MAX_VARIABLES_DEPTH} levels deep` });
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const found = unsafeCharacter(key);
    if (found !== undefined) problems.push({ path: [...path, key], message: `the name must not contain ${found}` });
    findProblems(child, [...path, key], depth + 1, problems);
  }
}

/**
 * Query strings with NUL or a lone surrogate are refused before any route reads them (400,
 * naming `query.<name>`); express's simple parser gives strings and arrays of strings.
 */
export const refuseUnsafeQuery: RequestHandler = (request, _response, next) => {
  const problems = unsafeStrings(request.query, 'query');
  if (problems.length > 0) throw unsafeInput(problems);
  next();
};

/**
 * The JSON body parser for a route family: bodies up to `limit` bytes (413 above), at most
 * MAX_JSON_DEPTH deep (checked on the raw bytes, before parsing), every string and key free of
 * NUL and lone surrogates (400 naming `body.<path>`). Bad encodings are body-parser's to refuse
 * (415 for an unknown Content-Encoding, 400 for a gzip body that is not gzip), see problem.ts.
 */
export function jsonBody(limit: number): RequestHandler {
  const parse = express.json({ limit, verify: (_request, _response, raw) => refuseDeepJson(raw) });
  return (request, response, next) => {
    // Mounted twice on model routes (their larger limit first): the first parse stands.
    if (checked.has(request)) return next();
    parse(request, response, (error?: unknown) => {
      if (error) return next(error);
      checked.add(request);
      const problems = unsafeStrings(request.body, 'body');
      next(problems.length > 0 ? unsafeInput(problems) : undefined);
    });
  };
}

const checked = new WeakSet<Request>();

/** One pass over the bytes, strings skipped: the depth of `[` and `{` never above MAX_JSON_DEPTH. */
function refuseDeepJson(raw: Buffer): void {
  let depth = 0;
  let inString = false;
  for (let at = 0; at < raw.length; at += 1) {
    const byte = raw[at];
    if (inString) {
      if (byte === 0x5c) at += 1; // backslash: the next byte is escaped
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x5b || byte === 0x7b) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) {
        throw new QuyTrinhError('invalid-input', 'request.too-deep', {
          vi: `Thân yêu cầu lồng nhau quá ${MAX_JSON_DEPTH} cấp`,
          en: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep`,
        }, [{ field: 'body', message: `nested more than ${MAX_JSON_DEPTH} levels deep` }]);
      }
    } else if (byte === 0x5d || byte === 0x7d) {
      depth -= 1;
    }
  }
}

/** Every string and key holding NUL or a lone surrogate, as `part.a.b`; depth is bounded by the parser's check. */
function unsafeStrings(value: unknown, path: string): Array<{ field: string; message: string }> {
  if (typeof value === 'string') {
    const found = unsafeCharacter(value);
    return found === undefined ? [] : [{ field: path, message: `must not contain ${found}` }];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const found = unsafeCharacter(key);
    const own = found === undefined ? [] : [{ field: `${path}.${key}`, message: `the name must not contain ${found}` }];
    return [...own, ...unsafeStrings(child, `${path}.${key}`)];
  });
}

function unsafeInput(details: Array<{ field: string; message: string }>): QuyTrinhError {
  const fields = details.map((detail) => detail.field).join(', ');
  return new QuyTrinhError('invalid-input', 'request.invalid-character', {
    vi: `Yêu cầu chứa ký tự không hợp lệ (NUL hoặc nửa cặp thay thế UTF-16) ở: ${fields}`,
    en: `The request holds an invalid character (NUL or a lone UTF-16 surrogate) at: ${fields}`,
  }, details);
}
