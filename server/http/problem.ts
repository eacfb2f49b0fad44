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
  'not-found': 404,
  'too-large': 413,
  conflict: 409,
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

/** Validates a request part with zod, or throws a 400 naming every offending field. */
export function validate<Schema extends z.ZodType>(schema: Schema, value: unknown, part: 'body' | 'query' | 'params'): z.infer<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => ({
    field: [part, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const fields = details.map((detail) => detail.field).join(', ');
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
    const known = isQuyTrinhError(error) ? error : (fromBodyParser(error) ?? (isDatabaseUnreachable(error) ? databaseUnreachable(error) : undefined));
    const typed = known ?? new QuyTrinhError('unavailable', 'internal', {
      vi: 'Lỗi nội bộ máy chủ; chi tiết đã được ghi vào nhật ký',
      en: 'Internal server error; the details are in the server log',
    });
    const problem = toProblem(typed, request);
    if (!known) {
      problem.status = 500;
      logger.error({ err: error, path: request.originalUrl }, 'unhandled error');
    }
    if (problem.status === 503) response.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  };
}

/** express.json() reports malformed or oversized bodies with a `type`; give them our shape. */
function fromBodyParser(error: unknown): QuyTrinhError | undefined {
  const type = (error as { type?: string } | undefined)?.type;
  if (type === 'entity.parse.failed') {
    return new QuyTrinhError('invalid-input', 'request.malformed-json', {
      vi: 'Thân yêu cầu không phải JSON hợp lệ',
      en: 'The request body is not valid JSON',
    }, [{ field: 'body', message: (error as Error).message }]);
  }
  if (type === 'entity.too.large') {
    return new QuyTrinhError('too-large', 'request.too-large', {
      vi: 'Thân yêu cầu quá lớn',
      en: 'The request body is too large',
    }, [{ field: 'body', message: 'too large' }]);
  }
  return undefined;
}
