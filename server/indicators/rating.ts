import type { Knex } from 'knex';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import type { Principal } from '../identity/roles.ts';

/**
 * The applicant's rating of a dossier once it ended (docs/indicators.md): the satisfaction group
 * of Decision 766, which Circular 01 Art. 32.2 makes the measure of the quality of handling. Once
 * per dossier, by its owner only (the route's `dossier` scope shows anyone else a 404), 1 to 5
 * with an optional comment.
 */
export const ratingBody = z.strictObject({
  score: z.number({ error: 'a whole number from 1 to 5' }).int('a whole number from 1 to 5').min(1, 'a whole number from 1 to 5').max(5, 'a whole number from 1 to 5'),
  comment: z.string({ error: 'text' }).trim().max(1000, 'at most 1,000 characters').optional(),
});
export type RatingBody = z.output<typeof ratingBody>;

export interface Rating {
  score: number;
  comment: string | null;
  ratedAt: string;
}

export async function rateDossier(db: Database, principal: Principal, dossierId: string, body: RatingBody, now = new Date()): Promise<Rating> {
  return db.transaction(async (trx) => {
    const dossier = await trx('dossiers').where({ id: dossierId }).forUpdate().first<{ owner_account_id: string; ended_at: Date | null } | undefined>('owner_account_id', 'ended_at');
    if (!dossier || dossier.owner_account_id !== principal.id) throw new QuyTrinhError('not-found', 'dossier.not-found', { vi: `Không có hồ sơ ${dossierId}`, en: `No dossier ${dossierId}` });
    if (dossier.ended_at === null) {
      throw new QuyTrinhError('unprocessable', 'rating.not-completed', { vi: 'Chỉ đánh giá được hồ sơ đã giải quyết xong', en: 'Only a dossier that has ended can be rated' });
    }
    const comment = body.comment === undefined || body.comment === '' ? null : body.comment;
    const [row] = await trx('dossier_ratings').insert({ dossier_id: dossierId, account_id: principal.id, score: body.score, comment, rated_at: now }).onConflict('dossier_id').ignore().returning<Array<{ rated_at: Date }>>('rated_at');
    if (!row) throw new QuyTrinhError('conflict', 'rating.already-rated', { vi: 'Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ đánh giá một lần', en: 'This dossier has already been rated; a dossier is rated once' });
    return { score: body.score, comment, ratedAt: row.rated_at.toISOString() };
  });
}

/** The dossier's rating, for its view. */
export async function ratingOf(db: Database | Knex.Transaction, dossierId: string): Promise<Rating | null> {
  const row = await db('dossier_ratings').where({ dossier_id: dossierId }).first<{ score: number; comment: string | null; rated_at: Date } | undefined>('score', 'comment', 'rated_at');
  return row ? { score: row.score, comment: row.comment, ratedAt: row.rated_at.toISOString() } : null;
}
