import { Router } from 'express';
import { z } from 'zod';
import type { Database } from '../db/connect.ts';
import { verifyAuditChain } from '../audit/verify.ts';
import { validate } from './problem.ts';

const listQuery = z.object({
  /** Keyset: the id of the last record of the previous page. */
  after: z.coerce.number().int().min(0).optional(),
  actor: z.string().min(1).max(300).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `/api/audit`: the request trail for administrators, newest last, and the chain's verification. */
export function auditRouter(db: Database): Router {
  const router = Router();

  router.get('/audit', async (request, response) => {
    const query = validate(listQuery, request.query, 'query');
    const rows = await db('audit_log')
      .modify((builder) => {
        if (query.after !== undefined) void builder.where('id', '>', query.after);
        if (query.actor) void builder.where('actor', query.actor);
      })
      .orderBy('id')
      .limit(query.limit + 1)
      .select<Array<{ id: string; at: Date; actor: string; action: string; status: number; ip: string | null; target: string | null; detail: unknown }>>('id', 'at', 'actor', 'action', 'status', 'ip', 'target', 'detail');
    const page = rows.slice(0, query.limit);
    response.json({ items: page.map((row) => ({ ...row, id: Number(row.id) })), next: rows.length > query.limit ? Number(page.at(-1)!.id) : null });
  });

  router.get('/audit/verify', async (_request, response) => {
    response.json(await verifyAuditChain(db));
  });

  return router;
}
