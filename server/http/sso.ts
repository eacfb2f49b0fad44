import { Router, type Request, type Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { z } from 'zod';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { AuditSink } from '../audit/request-log.ts';
import type { OidcSettings } from '../config.ts';
import type { Database } from '../db/connect.ts';
import { FLOW_LIFETIME_MS, OidcRelyingParty, SSO_COOKIE, SSO_COOKIE_PATH, SsoFailure, accountForClaims, sameOriginPath } from '../identity/oidc.ts';
import { openSession } from '../identity/sessions.ts';
import { setSessionCookie } from './identity.ts';
import { validate } from './problem.ts';

const startQuery = z.object({
  returnTo: z.string().max(2000).transform((value, context) => sameOriginPath(value) ?? (context.addIssue({ code: 'custom', message: 'must be a path on this site, such as /dossiers (not a full or protocol-relative URL)' }), z.NEVER)).optional(),
});

function notConfigured(): QuyTrinhError {
  const missing = ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'];
  return new QuyTrinhError('not-found', 'sso.not-configured', {
    vi: `Chưa cấu hình đăng nhập một lần (SSO): cần đặt ${missing.join(', ')}`,
    en: `Single sign-on is not configured: set ${missing.join(', ')}`,
  }, missing.map((name) => ({ field: name, message: 'not set' })));
}

/**
 * Single sign-on (server/identity/oidc.ts): `GET /session/sso` sends the browser to the provider,
 * `GET /session/sso/callback` signs it in and sends it on. The callback is reached by a browser,
 * not a script, so every failure there redirects to `/?sso_error=<reason>` for the sign-in screen
 * to explain; `/session/sso` itself answers problem+json (its caller is the sign-in button's link).
 */
export function ssoRouter(db: Database, settings: OidcSettings | undefined, auditLog: AuditSink): Router {
  const router = Router();
  const party = settings && new OidcRelyingParty(settings);

  router.get('/session/sso', async (request, response) => {
    if (!party) throw notConfigured();
    const { returnTo } = validate(startQuery, request.query, 'query');
    const { url, cookie } = await party.begin(party.redirectUri(`${request.protocol}://${request.get('host')}`), returnTo ?? '/');
    response.cookie(SSO_COOKIE, cookie, { httpOnly: true, sameSite: 'lax', secure: request.secure, path: SSO_COOKIE_PATH, maxAge: FLOW_LIFETIME_MS });
    response.setHeader('Cache-Control', 'no-store');
    response.redirect(url.href);
  });

  router.get('/session/sso/callback', async (request, response) => {
    if (!party) throw notConfigured();
    const cookie = request.headers.cookie ? parseCookies(request.headers.cookie)[SSO_COOKIE] : undefined;
    // Each pending sign-in is used once, whatever happens next.
    response.clearCookie(SSO_COOKIE, { path: SSO_COOKIE_PATH });
    response.setHeader('Cache-Control', 'no-store');
    try {
      const { claims, returnTo } = await party.complete(new URL(request.originalUrl, 'http://callback.invalid').searchParams, cookie);
      const account = await accountForClaims(db, party.settings, claims);
      if (account.disabled_at) throw new SsoFailure('account-disabled', `the account ${account.username} is disabled`);
      const session = await openSession(db, account.id, request.ip);
      setSessionCookie(request, response, session.secret);
      response.redirect(returnTo);
      audit(auditLog, request, response, `account:${account.username}`, { via: 'sso', identifiedBy: account.identified_by });
    } catch (error) {
      if (!(error instanceof SsoFailure)) throw error;
      request.log.warn({ reason: error.reason, err: error.cause ?? error }, 'single sign-on failed');
      response.redirect(`/?sso_error=${error.reason}`);
      audit(auditLog, request, response, `sso:${party.settings.issuer.href}`, { via: 'sso', failure: error.reason });
    }
  });

  return router;
}

/** Sign-ins are recorded like password sign-ins, although this one arrives as a GET (Circular 01 Art. 23.4). */
function audit(auditLog: AuditSink, request: Request, response: Response, actor: string, detail: Record<string, unknown>): void {
  auditLog.add({ at: new Date(), actor, action: `GET ${request.baseUrl}${request.path}`, status: response.statusCode, ip: request.ip ?? null, target: null, detail });
}
