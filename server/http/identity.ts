import { Router, type Request, type Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { principalOf, requirePrincipal } from '../access/authorize.ts';
import {
  accountJson, accountNotFound, accountPrincipal, createAccount, disableAccount, displayNameSchema, membershipSchema, organisationIdSchema, passwordSchema, personalIdSchema, usernameSchema, type AccountRow,
} from '../identity/accounts.ts';
import { createAgency, laneBodySchema, listAgencies, mapLane, newAgencySchema } from '../identity/agencies.ts';
import { roleSchema, type Principal } from '../identity/roles.ts';
import { verifyPassword } from '../identity/secrets.ts';
import { SESSION_COOKIE, SESSION_IDLE_MS, closeAllSessions, closeSession, openSession } from '../identity/sessions.ts';
import { createToken, listTokens, newTokenSchema, revokeToken } from '../identity/tokens.ts';
import { keyString } from './input-limits.ts';
import { validate } from './problem.ts';

const loginBody = z.object({ username: z.string().trim().toLowerCase().min(1, 'required').max(100), password: z.string().min(1, 'required').max(200) });

const registerBody = z.discriminatedUnion('holderKind', [
  z.object({ holderKind: z.literal('person'), holderId: personalIdSchema, displayName: displayNameSchema, password: passwordSchema, email: z.email().max(200).optional() }),
  z.object({ holderKind: z.literal('organisation'), holderId: organisationIdSchema, displayName: displayNameSchema, password: passwordSchema, email: z.email().max(200).optional() }),
], { error: 'holderKind must be person or organisation' });

const newAccountBody = z.object({
  username: usernameSchema,
  displayName: displayNameSchema,
  roles: z.array(roleSchema.exclude(['worker'])).min(1, 'at least one role').max(5),
  password: passwordSchema,
  memberships: z.array(membershipSchema).max(50).optional(),
  assuranceLevel: z.union([z.literal(1), z.literal(2)]).optional(),
});

/**
 * Sign-in throttling (OWASP ASVS 2.2.1): five failed attempts per username and address in 15
 * minutes, a hundred per address; then 429 with Retry-After. Per process, in memory: several
 * server processes each keep their own count, which still bounds guessing to a few per minute.
 */
const failuresByUser = new RateLimiterMemory({ keyPrefix: 'login-user', points: 5, duration: 15 * 60 });
const failuresByAddress = new RateLimiterMemory({ keyPrefix: 'login-ip', points: 100, duration: 15 * 60 });
const registrations = new RateLimiterMemory({ keyPrefix: 'register-ip', points: 20, duration: 60 * 60 });

function tooManyAttempts(response: Response, retrySeconds: number): QuyTrinhError {
  response.setHeader('Retry-After', String(retrySeconds));
  return new QuyTrinhError('rate-limited', 'auth.too-many-attempts', {
    vi: `Quá nhiều lần thử; thử lại sau ${Math.ceil(retrySeconds / 60)} phút`,
    en: `Too many attempts; try again in ${Math.ceil(retrySeconds / 60)} minutes`,
  });
}

async function throttled(limiter: RateLimiterMemory, key: string): Promise<number> {
  const state = await limiter.get(key);
  return state !== null && state.remainingPoints <= 0 ? Math.max(1, Math.ceil(state.msBeforeNext / 1000)) : 0;
}

async function consume(limiter: RateLimiterMemory, key: string): Promise<void> {
  await limiter.consume(key).catch((rejection: unknown) => {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
  });
}

export function sessionJson(principal: Principal | undefined) {
  if (!principal) return { signedIn: false as const };
  return {
    signedIn: true as const,
    account: { id: principal.id, actor: principal.actor, displayName: principal.displayName, roles: principal.roles, memberships: principal.memberships, assuranceLevel: principal.assuranceLevel },
    csrfToken: principal.csrfToken ?? null,
  };
}

/** The session cookie as every sign-in sets it (password here, single sign-on in sso.ts). */
export function setSessionCookie(request: Request, response: Response, secret: string): void {
  response.cookie(SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'lax', secure: request.secure, path: '/', maxAge: SESSION_IDLE_MS });
}

/** Sign-in, sign-out, registration; accounts, agencies and tokens for administrators. */
export function identityRouter(db: Database, sso?: { name: string }): Router {
  const router = Router();

  router.get('/session', (_request, response) => {
    response.setHeader('Cache-Control', 'no-store');
    // Whether the sign-in screen offers single sign-on, and under which name (e.g. VNeID).
    response.json({ ...sessionJson(principalOf(response)), sso: sso ? { enabled: true, name: sso.name } : { enabled: false } });
  });

  router.post('/session', async (request, response) => {
    const body = validate(loginBody, request.body, 'body');
    const address = request.ip ?? 'unknown';
    const wait = Math.max(await throttled(failuresByUser, `${body.username}|${address}`), await throttled(failuresByAddress, address));
    if (wait > 0) throw tooManyAttempts(response, wait);
    const account = await db<AccountRow>('accounts').where({ username: body.username }).whereNull('disabled_at').first();
    // The hash is checked (or one is computed) whether or not the account exists: same timing either way.
    const passwordMatches = await verifyPassword(account?.password_hash ?? null, body.password);
    if (!passwordMatches || !account) {
      await Promise.all([consume(failuresByUser, `${body.username}|${address}`), consume(failuresByAddress, address)]);
      response.locals.auditActor = `login:${body.username}`;
      throw new QuyTrinhError('unauthenticated', 'auth.wrong-credentials', {
        vi: 'Sai tên đăng nhập hoặc mật khẩu',
        en: 'Wrong username or password',
      }, [{ field: 'body.password', message: 'wrong username or password' }]);
    }
    await failuresByUser.delete(`${body.username}|${address}`);
    const session = await openSession(db, account.id, request.ip);
    setSessionCookie(request, response, session.secret);
    response.locals.auditActor = `account:${account.username}`;
    response.json(sessionJson({ ...(await accountPrincipal(db, account)), csrfToken: session.csrfToken }));
  });

  router.delete('/session', async (_request, response) => {
    const principal = requirePrincipal(response);
    if (principal.sessionHash) await closeSession(db, principal.sessionHash);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.json({ signedIn: false });
  });

  router.post('/session/logout-everywhere', async (_request, response) => {
    const principal = requirePrincipal(response);
    const ended = principal.kind === 'account' ? await closeAllSessions(db, principal.id) : 0;
    response.clearCookie(SESSION_COOKIE, { path: '/' });
    response.json({ signedIn: false, sessionsEnded: ended });
  });

  // Decree 45 Art. 7.2: only applications from registered accounts are received; a self-registered account is level 1 (Art. 8).
  router.post('/accounts/register', async (request, response) => {
    const address = request.ip ?? 'unknown';
    const wait = await throttled(registrations, address);
    if (wait > 0) throw tooManyAttempts(response, wait);
    const body = validate(registerBody, request.body, 'body');
    await consume(registrations, address);
    const row = await createAccount(db, {
      username: body.holderId,
      displayName: body.displayName,
      roles: ['citizen'],
      password: body.password,
      holder: { kind: body.holderKind, id: body.holderId },
      email: body.email,
      assuranceLevel: 1,
      identifiedBy: 'self-registered',
    });
    response.status(201).json(accountJson(row));
  });

  router.get('/accounts', async (request, response) => {
    const query = validate(z.object({ after: usernameSchema.optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }), request.query, 'query');
    const rows = await db('accounts').where('username', '>', query.after ?? '').orderBy('username').limit(query.limit + 1).select<AccountRow[]>('*');
    const page = rows.slice(0, query.limit);
    response.json({ items: page.map((row: AccountRow) => accountJson(row)), next: rows.length > query.limit ? page.at(-1)!.username : null });
  });

  router.post('/accounts', async (request, response) => {
    const body = validate(newAccountBody, request.body, 'body');
    const row = await createAccount(db, { ...body, identifiedBy: `created-by:${requirePrincipal(response).actor}`, assuranceLevel: body.assuranceLevel ?? 2 });
    response.status(201).json(accountJson(row, body.memberships?.map((membership) => ({ agencyCode: membership.agencyCode, function: membership.function })) ?? []));
  });

  router.post('/accounts/:username/disable', async (request, response) => {
    const { username } = validate(z.object({ username: usernameSchema }), request.params, 'params');
    if (!(await db('accounts').where({ username }).first('id'))) throw accountNotFound(username);
    response.json(accountJson(await disableAccount(db, username)));
  });

  router.get('/agencies', async (_request, response) => {
    response.json({ items: await listAgencies(db), next: null });
  });

  router.post('/agencies', async (request, response) => {
    const body = validate(newAgencySchema, request.body, 'body');
    await createAgency(db, body);
    response.status(201).json({ code: body.code, name: body.name, parentCode: body.parentCode ?? null });
  });

  router.put('/agencies/:code/lanes/:lane', async (request, response) => {
    // A lane is a candidate group: an identifier like the others, NUL and lone surrogates refused (input-limits.ts).
    const params = validate(z.object({ code: newAgencySchema.shape.code, lane: keyString }), request.params, 'params');
    const body = validate(laneBodySchema, request.body ?? {}, 'body');
    await mapLane(db, params.lane, params.code, body.function ?? null);
    response.json({ lane: params.lane, agencyCode: params.code, function: body.function ?? null });
  });

  router.get('/tokens', async (_request, response) => {
    response.json({ items: await listTokens(db), next: null });
  });

  router.post('/tokens', async (request, response) => {
    const body = validate(newTokenSchema, request.body, 'body');
    const created = await createToken(db, body, requirePrincipal(response).actor);
    response.status(201).json(created);
  });

  router.delete('/tokens/:id', async (request, response) => {
    const { id } = validate(z.object({ id: z.uuid('not a token id (UUID)') }), request.params, 'params');
    if ((await revokeToken(db, id)) === 0) {
      throw new QuyTrinhError('not-found', 'token.not-found', { vi: `Không có khoá truy cập ${id} đang hiệu lực`, en: `No active token ${id}` });
    }
    response.json({ id, revoked: true });
  });

  return router;
}
