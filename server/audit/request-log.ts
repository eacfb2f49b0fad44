import type { RequestHandler, Response } from 'express';
import type { Database } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import { UNSAFE, principalOf } from '../access/authorize.ts';

const FLUSH_MS = 20;
const FLUSH_ROWS = 500;

export interface AuditRow {
  at: Date;
  actor: string;
  action: string;
  status: number;
  ip: string | null;
  target: string | null;
  detail: Record<string, unknown>;
}

/** Where audit records go: the request middleware, and records written by hand (SSO sign-ins). */
export interface AuditSink {
  middleware(): RequestHandler;
  add(row: AuditRow): void;
}

/**
 * Writes one audit record per state-changing request to `/api` (issue 9; Circular 01 Art. 23.4):
 * who (the account, token, or the name tried at sign-in), what (method and route), when, from
 * where, the outcome, and the ids the request touched and created. Rows are written in small
 * batches a few milliseconds after the response so that a busy inbox does not pay a round trip
 * per completion; the engine's own step rows (instance_history) are written in the step's
 * transaction. Both are chained by the sealer (sealer.ts).
 */
export class RequestAuditLog implements AuditSink {
  private pending: AuditRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly db: Database, private readonly logger: Logger) {}

  middleware(): RequestHandler {
    return (request, response, next) => {
      if (!UNSAFE.has(request.method)) return next();
      const created = captureCreatedId(response);
      response.on('finish', () => {
        const principal = principalOf(response);
        this.add({
          at: new Date(),
          actor: principal?.actor ?? (response.locals.auditActor as string | undefined) ?? 'anonymous',
          action: `${request.method} ${request.baseUrl}${request.path}`,
          status: response.statusCode,
          ip: request.ip ?? null,
          target: Object.values(request.params ?? {}).join('/') || null,
          detail: created() === undefined ? {} : { created: created() },
        });
      });
      next();
    };
  }

  add(row: AuditRow): void {
    this.pending.push(row);
    if (this.pending.length >= FLUSH_ROWS) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Writes what is pending; awaited on shutdown so no record is dropped by a clean stop. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.pending;
    this.pending = [];
    if (rows.length > 0) {
      this.flushing = this.flushing.then(() =>
        this.db('audit_log').insert(rows).then(
          () => undefined,
          (error: unknown) => this.logger.error({ err: error, rows: rows.length }, 'audit records could not be written'),
        ),
      );
    }
    return this.flushing;
  }
}

/** The `id` of a JSON response (a new definition, instance, account): the "after" of the record. */
function captureCreatedId(response: Response): () => string | undefined {
  let id: string | undefined;
  const json = response.json.bind(response);
  response.json = (body: unknown) => {
    const value = (body as { id?: unknown } | null)?.id;
    if (typeof value === 'string' || typeof value === 'number') id = String(value);
    return json(body);
  };
  return () => id;
}
