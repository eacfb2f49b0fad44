import type { Request, RequestHandler, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { match, type MatchFunction } from 'path-to-regexp';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { Database } from '../db/connect.ts';
import { SESSION_COOKIE, sessionPrincipal } from '../identity/sessions.ts';
import { tokenPrincipal } from '../identity/tokens.ts';
import { sameSecret } from '../identity/secrets.ts';
import type { Principal } from '../identity/roles.ts';
import { ROUTE_POLICIES, type RoutePolicy } from './route-policies.ts';
import { inScope } from './scopes.ts';

/** The header a cookie-authenticated write must echo the session's CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** The methods that change state: they need a JSON/XML body type, the CSRF token, and an audit record. */
export const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface CompiledPolicy {
  policy: RoutePolicy;
  matches: MatchFunction<Partial<Record<string, string | string[]>>>;
}

/** Decodes a path parameter as express's router does: bad percent-encoding is a 400 (problem.ts), not a 500. */
function decodeParameter(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch (error) {
    if (error instanceof URIError) Object.assign(error, { status: 400 });
    throw error;
  }
}

const compiled: CompiledPolicy[] = ROUTE_POLICIES.map((policy) => ({ policy, matches: match(policy.path, { decode: decodeParameter }) }));

/** The policy of a request to `/api<path>`, or undefined when no route serves it (then 404). */
export function policyFor(method: string, path: string): { policy: RoutePolicy; params: Partial<Record<string, string | string[]>> } | undefined {
  const lower = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  for (const entry of compiled) {
    if (entry.policy.method !== lower) continue;
    const found = entry.matches(path);
    if (found) return { policy: entry.policy, params: found.params };
  }
  return undefined;
}

export function principalOf(response: Response): Principal | undefined {
  return response.locals.principal as Principal | undefined;
}

/** The signed-in caller, for handlers whose policy has already required one. */
export function requirePrincipal(response: Response): Principal {
  const principal = principalOf(response);
  if (!principal) throw unauthenticated();
  return principal;
}

export function unauthenticated(): QuyTrinhError {
  return new QuyTrinhError('unauthenticated', 'auth.required', {
    vi: 'Cần đăng nhập để thực hiện việc này',
    en: 'Sign in to do this',
  });
}

function forbidden(policy: RoutePolicy): QuyTrinhError {
  const roles = Array.isArray(policy.allow) ? policy.allow.join(', ') : String(policy.allow);
  return new QuyTrinhError('forbidden', 'auth.forbidden', {
    vi: `Vai trò của bạn không được phép thực hiện việc này (cần: ${roles})`,
    en: `Your role may not do this (needs: ${roles})`,
  });
}

function hidden(request: Request): QuyTrinhError {
  return new QuyTrinhError('not-found', 'resource.not-found', {
    vi: `Không có tài nguyên ${request.method} ${request.originalUrl.split('?')[0]}`,
    en: `No resource at ${request.method} ${request.originalUrl.split('?')[0]}`,
  });
}

async function resolvePrincipal(db: Database, request: Request): Promise<Principal | undefined> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const [scheme, secret] = authorization.split(' ');
    const principal = scheme?.toLowerCase() === 'bearer' && secret ? await tokenPrincipal(db, secret) : undefined;
    // Credentials that were sent but are wrong are refused, never treated as anonymous.
    if (!principal) {
      throw new QuyTrinhError('unauthenticated', 'auth.token-invalid', {
        vi: 'Khoá truy cập (Bearer token) không hợp lệ hoặc đã bị thu hồi',
        en: 'The bearer token is invalid or revoked',
      }, [{ field: 'headers.authorization', message: 'invalid or revoked token' }]);
    }
    return principal;
  }
  const cookie = request.headers.cookie ? parseCookies(request.headers.cookie)[SESSION_COOKIE] : undefined;
  return cookie ? sessionPrincipal(db, cookie) : undefined;
}

/**
 * A write's body must be JSON or BPMN XML: a plain form or `text/plain` POST, which any web page can
 * send without a CORS preflight, is refused before anything runs (issue 9, hardening).
 */
function checkBodyType(request: Request): void {
  if (!UNSAFE.has(request.method)) return;
  const length = request.headers['content-length'];
  const hasBody = request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody) return;
  if (request.is(['application/json', 'application/*+json', 'application/xml', 'text/xml', 'application/bpmn+xml'])) return;
  throw new QuyTrinhError('unsupported-media', 'request.unsupported-media-type', {
    vi: `Kiểu nội dung ${request.headers['content-type'] ?? '(không có)'} không được nhận; gửi application/json (hoặc application/xml cho BPMN)`,
    en: `Content type ${request.headers['content-type'] ?? '(none)'} is not accepted; send application/json (or application/xml for BPMN)`,
  }, [{ field: 'headers.content-type', message: 'must be application/json or application/xml' }]);
}

/**
 * Authorises every request to `/api` against ROUTE_POLICIES before any router runs: who is
 * calling (token or session), CSRF for cookie-authenticated writes, the route's roles, then its
 * resource scope. Paths no route serves pass through to the 404 handler.
 */
export function authorize(db: Database): RequestHandler {
  return async (request, response, next) => {
    checkBodyType(request);
    const found = policyFor(request.method, request.path);
    // A public route answers whoever calls, even when the credentials are wrong or the database
    // cannot check them (health must say 503 itself, not fail on the session lookup).
    const principal = found?.policy.allow === 'public' ? await resolvePrincipal(db, request).catch(() => undefined) : await resolvePrincipal(db, request);
    response.locals.principal = principal;
    if (principal?.csrfToken !== undefined && UNSAFE.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameSecret(sent, principal.csrfToken)) {
        throw new QuyTrinhError('forbidden', 'auth.csrf', {
          vi: 'Thiếu hoặc sai mã chống giả mạo yêu cầu (X-CSRF-Token); tải lại trang rồi thử lại',
          en: 'Missing or wrong anti-forgery token (X-CSRF-Token); reload the page and try again',
        }, [{ field: 'headers.x-csrf-token', message: 'missing or wrong' }]);
      }
    }
    if (!found) return next();
    const { policy, params } = found;
    if (policy.allow === 'public') return next();
    if (!principal) throw unauthenticated();
    if (policy.allow !== 'signed-in' && !principal.roles.some((role) => (policy.allow as readonly string[]).includes(role))) throw forbidden(policy);
    if (policy.scope && !(await inScope(db, principal, policy.scope, { params, query: request.query }))) throw hidden(request);
    next();
  };
}
