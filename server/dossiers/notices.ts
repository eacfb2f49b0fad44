import type { Knex } from 'knex';
import type { Bilingual } from '../../engine/errors.ts';
import { queueNoticeMail } from '../workers/notice-mail.ts';

/** receipt, amendment, refusal, result, annulment, message (migration 0016_dossiers). */
export type NoticeKind = 'receipt' | 'amendment' | 'refusal' | 'result' | 'annulment' | 'message';

export interface NewNotice {
  accountId: string;
  dossierId: string;
  kind: NoticeKind;
  subject: Bilingual;
  body: Bilingual;
}

/** Writes a notice to the applicant's inbox and, when their account has an e-mail address, queues its e-mail copy in the same transaction. */
export async function addNotice(trx: Knex.Transaction, notice: NewNotice, at: Date): Promise<string> {
  const [row] = await trx('notices')
    .insert({ account_id: notice.accountId, dossier_id: notice.dossierId, kind: notice.kind, subject: JSON.stringify(notice.subject), body: JSON.stringify(notice.body), created_at: at })
    .returning<Array<{ id: string }>>('id');
  const account = await trx('accounts').where({ id: notice.accountId }).first<{ email: string | null }>('email');
  if (account?.email) await queueNoticeMail(trx, row!.id);
  return row!.id;
}
