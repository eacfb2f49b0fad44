import type { Database } from '../db/connect.ts';
import { accountPrincipal, type AccountRow } from './accounts.ts';
import type { Principal } from './roles.ts';
import { newSecret, secretHash } from './secrets.ts';

/** The session cookie: HttpOnly, SameSite=Lax (the SSO callback is a top-level navigation), path /. */
export const SESSION_COOKIE = 'qt_session';
/** A session ends after this long without a request (and at the latest after SESSION_LIFETIME). */
export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen_at is written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export async function openSession(db: Database, accountId: string, ip: string | undefined): Promise<{ secret: string; csrfToken: string }> {
  const secret = newSecret();
  const csrfToken = newSecret();
  await db('sessions').insert({
    token_hash: secretHash(secret),
    account_id: accountId,
    csrf_token: csrfToken,
    expires_at: new Date(Date.now() + SESSION_LIFETIME_MS),
    ip: ip ?? null,
  });
  return { secret, csrfToken };
}

/** The signed-in account of a session cookie, or undefined when it is unknown, expired or disabled. */
export async function sessionPrincipal(db: Database, secret: string): Promise<Principal | undefined> {
  const hash = secretHash(secret);
  const row = await db('sessions as s')
    .join('accounts as a', 'a.id', 's.account_id')
    .where('s.token_hash', hash)
    .whereNull('a.disabled_at')
    .where('s.expires_at', '>', db.fn.now())
    .first<(AccountRow & { csrf_token: string; last_seen_at: Date }) | undefined>('a.*', 's.csrf_token', 's.last_seen_at');
  if (!row) return undefined;
  const idle = Date.now() - row.last_seen_at.getTime();
  if (idle > SESSION_IDLE_MS) {
    await db('sessions').where({ token_hash: hash }).delete();
    return undefined;
  }
  if (idle > TOUCH_INTERVAL_MS) await db('sessions').where({ token_hash: hash }).update({ last_seen_at: db.fn.now() });
  return { ...(await accountPrincipal(db, row)), csrfToken: row.csrf_token, sessionHash: hash };
}

export async function closeSession(db: Database, sessionHash: string): Promise<void> {
  await db('sessions').where({ token_hash: sessionHash }).delete();
}

/** Logout everywhere: every session of the account ends. */
export async function closeAllSessions(db: Database, accountId: string): Promise<number> {
  return db('sessions').where({ account_id: accountId }).delete();
}
