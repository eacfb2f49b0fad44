import type { Task } from 'graphile-worker';
import type { Knex } from 'knex';
import nodemailer from 'nodemailer';
import type { MailSettings } from '../config.ts';
import type { Database } from '../db/connect.ts';
import type { Logger } from '../logger.ts';
import type { Bilingual } from '../../engine/errors.ts';

/**
 * The e-mail copy of an applicant's notice (Decree 45 Art. 11.3, 18: the applicant is told by
 * the means they chose; the portal's inbox is the record, the e-mail a copy). Queued in the
 * transaction that writes the notice, so a notice rolled back is never mailed; sent by the job
 * runner, retried with backoff while the SMTP server refuses it.
 */
export const NOTICE_MAIL_TASK = 'qt.notice-mail';
const NOTICE_MAIL_MAX_ATTEMPTS = 10;

export interface NoticeMailPayload {
  noticeId: string;
}

export async function queueNoticeMail(trx: Knex.Transaction, noticeId: string): Promise<void> {
  const payload: NoticeMailPayload = { noticeId };
  await trx.raw('select graphile_worker.add_job(?, ?::json, job_key => ?, max_attempts => ?)', [NOTICE_MAIL_TASK, JSON.stringify(payload), `notice-mail:${noticeId}`, NOTICE_MAIL_MAX_ATTEMPTS]);
}

interface NoticeToMail {
  subject: Bilingual;
  body: Bilingual;
  emailed_at: Date | null;
  email: string | null;
}

/**
 * The task that mails one notice to its account's address and marks it `emailed_at`. Without
 * SMTP settings (SMTP_URL, MAIL_FROM) notices stay in the inbox only, said once in the log. A
 * crash between the SMTP server's acceptance and the mark sends the copy again on the retry: a
 * duplicate e-mail rather than a lost one.
 */
export function noticeMailTask(db: Database, settings: MailSettings | undefined, logger: Logger): Task {
  const transport = settings && nodemailer.createTransport(settings.url);
  let toldUnconfigured = false;
  return async (payload) => {
    const { noticeId } = payload as NoticeMailPayload;
    const notice = await db('notices')
      .join('accounts', 'accounts.id', 'notices.account_id')
      .where('notices.id', noticeId)
      .first<NoticeToMail | undefined>('notices.subject', 'notices.body', 'notices.emailed_at', 'accounts.email');
    if (!notice?.email || notice.emailed_at) return; // gone, no address any more, or mailed already
    if (!transport || !settings) {
      if (!toldUnconfigured) logger.info('SMTP_URL chưa đặt: thông báo chỉ ở hộp thư trên cổng / SMTP_URL not set: notices are not e-mailed, only kept in the portal inbox');
      toldUnconfigured = true;
      return;
    }
    await transport.sendMail({
      from: settings.from,
      to: notice.email,
      subject: `${notice.subject.vi} / ${notice.subject.en}`,
      text: `${notice.body.vi}\n\n---\n\n${notice.body.en}\n`,
    });
    await db('notices').where({ id: noticeId }).update({ emailed_at: new Date() });
  };
}
