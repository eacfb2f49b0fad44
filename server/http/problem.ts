import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { QuyTrinhError, isQuyTrinhError, type ErrorKind } from '../../engine/errors.ts';
import { databaseUnreachable, isDatabaseUnreachable } from '../db/connect.ts';
import type { Logger } from '../logger.ts';

/** RFC 9457 problem details, with the product's stable code and both languages. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  messages: { vi: string; en: string };
  errors: Array<{ field?: string; elementId?: string; message: string }>;
  instance: string;
}

const STATUS: Record<ErrorKind, number> = {
  'invalid-input': 400,
  'invalid-model': 422,
  unprocessable: 422,
  'not-found': 404,
  'too-large': 413,
  'unsupported-media': 415,
  conflict: 409,
  unauthenticated: 401,
  forbidden: 403,
  'rate-limited': 429,
  unavailable: 503,
};

/** Vietnamese unless the client prefers English (Accept-Language). */
function prefersEnglish(request: Request): boolean {
  return request.acceptsLanguages('vi', 'en') === 'en';
}

export function toProblem(error: QuyTrinhError, request: Request): Problem {
  const english = prefersEnglish(request);
  return {
    type: `urn:quytrinh:problem:${error.code}`,
    title: english ? error.text.en : error.text.vi,
    status: STATUS[error.kind],
    code: error.code,
    detail: english ? error.text.en : error.text.vi,
    messages: error.text,
    errors: error.details,
    instance: request.originalUrl,
  };
}

/**
 * Validates a request part with zod, or throws a 400 naming every offending field; a 413 when a
 * field is refused for its size (an issue with `params.tooLarge`, see input-limits.ts).
 */
export function validate<Schema extends z.ZodType>(schema: Schema, value: unknown, part: 'body' | 'query' | 'params'): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({
    field: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const fields = details.map((detail) => detail.field).join(', ');
  if (parsed.error.issues.some((issue) => issue.code === 'custom' && issue.params?.tooLarge === true)) {
    throw new QuyTrinhError('too-large', 'request.too-large', {
      vi: `Yêu cầu quá lớn ở: ${fields}`,
      en: `The request is too large at: ${fields}`,
    }, details);
  }
  throw new QuyTrinhError('invalid-input', 'request.invalid', {
    vi: `Yêu cầu không hợp lệ ở: ${fields}`,
    en: `Invalid request at: ${fields}`,
  }, details);
}

export const notFoundHandler: RequestHandler = (request) => {
  throw new QuyTrinhError('not-found', 'route.not-found', {
    vi: `Không có tài nguyên ${request.method} ${request.path}`,
    en: `No resource at ${request.method} ${request.path}`,
  });
};

/** What a 503 asks clients to wait: the database is probed and reconnected about this often. */
export const RETRY_AFTER_SECONDS = 2;

/** The last middleware: every error leaves as problem+json; unexpected ones are logged, never leaked. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) return next(error);
    const known = isQuyTrinhError(error) ? error : (fromRequestError(error) ?? (isDatabaseUnreachable(error) ? databaseUnreachable(error) : undefined));
    const typed = known ?? new QuyTrinhError('unavailable', 'internal', {
      vi: 'Lỗi nội bộ máy chủ; chi tiết đã được ghi vào nhật ký',
      en: 'Internal server error; the details are in the server log',
    });
    const problem = toProblem(typed, request);
    if (!known) {
      problem.status = 500;
      logger.error({ err: error, path: request.originalUrl }, 'unhandled error');
    }
    // A 503 says when to come back; one that already said it (a busy analysis pool) keeps its own.
    if (problem.status === 503 && !response.hasHeader('Retry-After')) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  };
}

/**
 * body-parser and the router report a request they cannot read as an http-error (a 4xx `status`,
 * body-parser's `type`): a malformed or oversized body, an unknown Content-Encoding or charset,
 * a gzip body that is not gzip, a path parameter that is not valid percent-encoding. Give them our shape.
 */
function fromRequestError(error: unknown): QuyTrinhError | undefined {
  const { status, type, message } = (error ?? {}) as { status?: unknown; type?: unknown; message?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const reason = typeof message === 'string' ? message : 'unreadable request';
  if (type === 'entity.parse.failed') {
    return new QuyTrinhError('invalid-input', 'request.malformed-json', {
      vi: 'Thân yêu cầu không phải JSON hợp lệ',
      en: 'The request body is not valid JSON',
    }, [{ field: 'body', message: reason }]);
  }
  if (status === 413) {
    return new QuyTrinhError('too-large', 'request.too-large', {
      vi: 'Thân yêu cầu quá lớn',
      en: 'The request body is too large',
    }, [{ field: 'body', message: 'too large' }]);
  }
  if (status === 415) {
    const encoding = type === 'encoding.unsupported';
    return new QuyTrinhError('unsupported-media', encoding ? 'request.unsupported-encoding' : 'request.unsupported-charset', {
      vi: encoding ? 'Máy chủ không đọc được Content-Encoding của yêu cầu (chỉ gzip, deflate, br)' : 'Máy chủ không đọc được bảng mã (charset) của yêu cầu',
      en: encoding ? 'The server cannot read the Content-Encoding of the request (gzip, deflate and br only)' : 'The server cannot read the charset of the request',
    }, [{ field: encoding ? 'headers.content-encoding' : 'headers.content-type', message: reason }]);
  }
  return new QuyTrinhError('invalid-input', 'request.unreadable', {
    vi: `Không đọc được yêu cầu: ${reason}`,
    en: `The request cannot be read: ${reason}`,
  }, [{ field: error instanceof URIError ? 'params' : 'body', message: reason }]);
}
