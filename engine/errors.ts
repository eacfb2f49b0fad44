/**
 * Typed errors shared by the engine, the server and the CLI.
 *
 * Every error the product reports to a person carries a stable machine code and a message in
 * Vietnamese (the users' first language) and English. The HTTP layer turns them into RFC 9457
 * problem+json; the CLI prints the two messages on one line each.
 */

export interface Bilingual {
  vi: string;
  en: string;
}

/** One offending place in the input: a request field (`field`) or a BPMN element (`elementId`). */
export interface ErrorDetail {
  field?: string;
  elementId?: string;
  /** English; `messages` carries both languages where the detail is written for a person. */
  message: string;
  messages?: Bilingual;
}

export type ErrorKind =
  | 'invalid-input' // the request or file is malformed: HTTP 400
  | 'invalid-model' // the BPMN model does not parse or cannot be used: HTTP 422
  | 'unprocessable' // well-formed, but the content fails its checks (a form's fields, a file's type): HTTP 422
  | 'not-found' // HTTP 404
  | 'too-large' // HTTP 413
  | 'unsupported-media' // a body in a type, encoding or charset the server does not read: HTTP 415
  | 'conflict' // the stored state moved on: HTTP 409
  | 'unauthenticated' // no valid session or token: HTTP 401
  | 'forbidden' // signed in, but the role does not allow it: HTTP 403
  | 'rate-limited' // too many attempts (sign-in throttling): HTTP 429
  | 'unavailable'; // a dependency (the database) cannot be reached: HTTP 503

export class QuyTrinhError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly text: Bilingual;
  readonly details: ErrorDetail[];

  constructor(kind: ErrorKind, code: string, text: Bilingual, details: ErrorDetail[] = [], options?: ErrorOptions) {
    super(`${text.vi} / ${text.en}`, options);
    this.name = 'QuyTrinhError';
    this.kind = kind;
    this.code = code;
    this.text = text;
    this.details = details;
  }
}

export function isQuyTrinhError(value: unknown): value is QuyTrinhError {
  return value instanceof QuyTrinhError;
}
