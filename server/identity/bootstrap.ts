import type { Database } from '../db/connect.ts';
import { createAccount } from './accounts.ts';
import { newPassword } from './secrets.ts';

export const FIRST_ADMIN = 'admin';

/**
 * The first start of a product creates one administrator with a random password, printed once
 * (issue 9): nobody can sign in before there is an account, and a default password shared by
 * every installation would be the first thing an attacker tries. Returns the credentials when it
 * created them, undefined when an administrator already exists.
 */
export async function ensureFirstAdministrator(db: Database): Promise<{ username: string; password: string } | undefined> {
  return db.transaction(async (trx) => {
    // Two processes starting at once on an empty database create one administrator.
    await trx.raw(`select pg_advisory_xact_lock(hashtext('quytrinh:first-admin'))`);
    const existing = await trx('accounts').whereRaw(`'admin' = any(roles)`).first<{ id: string } | undefined>('id');
    if (existing) return undefined;
    const password = newPassword();
    await createAccount(trx, { username: FIRST_ADMIN, displayName: 'Quản trị hệ thống', roles: ['admin'], password, identifiedBy: 'first-start', assuranceLevel: 2 });
    return { username: FIRST_ADMIN, password };
  });
}
