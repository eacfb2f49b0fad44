import { createHash, createHmac, hkdfSync } from 'node:crypto';
import * as client from 'openid-client';
import { isQuyTrinhError, QuyTrinhError } from '../../engine/errors.ts';
import { isLoopback, type OidcSettings } from '../config.ts';
import type { Database } from '../db/connect.ts';
import { createAccount, personalIdSchema, type AccountRow } from './accounts.ts';
import { sameSecret } from './secrets.ts';

/**
 * Single sign-on as an OpenID Connect relying party (Circular 01 Art. 23.2: the National Public
 * Service Portal's SSO and the national identity provider VNeID). Authorization code flow with
 * PKCE (S256), state and nonce, all through `openid-client`, which also validates the ID token
 * (signature against the provider's published keys, issuer, audience, expiry, nonce).
 *
 * The pending sign-in (state, nonce, PKCE verifier, where to return) lives in a short-lived
 * cookie rather than in the database: the browser that started the flow is the one that must
 * finish it, and nothing is left behind by flows that are abandoned. The cookie is HttpOnly,
 * SameSite=Lax (the provider's redirect back is a top-level GET), scoped to /api/session/sso,
 * lives FLOW_LIFETIME_MS, is signed with a key derived from the client secret (so every server
 * process of a deployment accepts it and none can be forged or extended) and is cleared by the
 * callback whatever its outcome, so each flow can be completed once.
 */

export const SSO_COOKIE = 'qt_sso';
export const SSO_COOKIE_PATH = '/api/session/sso';
export const SSO_CALLBACK_PATH = '/api/session/sso/callback';
export const FLOW_LIFETIME_MS = 10 * 60 * 1000;

/** Why a sign-in at the callback failed; the browser is sent to `/?sso_error=<reason>`. */
export type SsoFailureReason =
  | 'denied' // the person refused at the provider (access_denied)
  | 'provider-error' // the provider answered with another OAuth error
  | 'state' // no pending sign-in in this browser, or the state does not match it
  | 'expired' // the pending sign-in is older than FLOW_LIFETIME_MS
  | 'invalid-response' // the code exchange or the ID token did not validate
  | 'unavailable' // the provider could not be reached
  | 'account-disabled' // the mapped account is disabled
  | 'account-exists'; // the personal ID is already the username of an account not linked to this identity

export class SsoFailure extends Error {
  constructor(readonly reason: SsoFailureReason, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SsoFailure';
  }
}

interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  redirectUri: string;
  returnTo: string;
  startedAt: number;
}

export type Claims = Record<string, unknown> & { iss: string; sub: string };

/**
 * A path on this site to return to after signing in, or undefined when `value` could lead
 * elsewhere: absolute and protocol-relative URLs (`//evil.example`), backslashes (which browsers
 * read as slashes) and control characters are refused (open redirect, OWASP ASVS 5.1.5).
 */
export function sameOriginPath(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(value)) return undefined;
  const base = 'http://same-origin.invalid';
  const url = new URL(value, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : undefined;
}

export class OidcRelyingParty {
  private configuration: Promise<client.Configuration> | undefined;
  private readonly cookieKey: Buffer;

  constructor(readonly settings: OidcSettings) {
    this.cookieKey = Buffer.from(hkdfSync('sha256', settings.clientSecret, 'quytrinh', 'sso pending sign-in cookie', 32));
  }

  /** The redirect URI registered at the provider: the setting, else this site's callback. */
  redirectUri(requestOrigin: string): string {
    return this.settings.redirectUrl ?? `${requestOrigin}${SSO_CALLBACK_PATH}`;
  }

  /** The provider's metadata and keys, discovered once per process (again after a failure). */
  private discover(): Promise<client.Configuration> {
    const { issuer, clientId, clientSecret, tokenAuth } = this.settings;
    this.configuration ??= client.discovery(
      issuer,
      clientId,
      undefined,
      tokenAuth === 'client_secret_post' ? client.ClientSecretPost(clientSecret) : client.ClientSecretBasic(clientSecret),
      // Plain http only to a provider on this machine (config.ts refuses it for any other host).
      issuer.protocol === 'http:' && isLoopback(issuer) ? { execute: [client.allowInsecureRequests] } : undefined,
    ).catch((cause: unknown) => {
      this.configuration = undefined;
      throw new QuyTrinhError('unavailable', 'sso.provider-unavailable', {
        vi: `Không kết nối được nhà cung cấp định danh ${this.settings.name}; thử lại sau`,
        en: `The identity provider ${this.settings.name} cannot be reached; try again later`,
      }, [{ field: 'OIDC_ISSUER', message: String(cause) }], { cause });
    });
    return this.configuration;
  }

  /** Starts a sign-in: the provider's authorization URL and the sealed pending sign-in for the cookie. */
  async begin(redirectUri: string, returnTo: string): Promise<{ url: URL; cookie: string }> {
    const configuration = await this.discover();
    const pending: PendingSignIn = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      redirectUri,
      returnTo,
      startedAt: Date.now(),
    };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: this.settings.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, cookie: this.seal(pending) };
  }

  /**
   * Finishes a sign-in at the callback: checks the pending sign-in of this browser, exchanges the
   * code (with the PKCE verifier) and validates the ID token; the claims are the ID token's,
   * completed by the UserInfo endpoint's when the provider has one (VNeID and most providers
   * release profile claims there only).
   */
  async complete(query: URLSearchParams, cookie: string | undefined): Promise<{ claims: Claims; returnTo: string }> {
    const pending = cookie ? this.unseal(cookie) : undefined;
    if (!pending) throw new SsoFailure('state', 'no pending sign-in in this browser');
    if (Date.now() - pending.startedAt > FLOW_LIFETIME_MS) throw new SsoFailure('expired', 'the pending sign-in expired');
    if (!sameSecret(query.get('state') ?? '', pending.state)) throw new SsoFailure('state', 'the state does not match the pending sign-in');
    const error = query.get('error');
    if (error !== null) throw new SsoFailure(error === 'access_denied' ? 'denied' : 'provider-error', `the provider answered ${error}: ${query.get('error_description') ?? ''}`);

    const configuration = await this.discover().catch((cause: unknown) => {
      throw new SsoFailure('unavailable', 'the provider cannot be reached', { cause });
    });
    const callback = new URL(pending.redirectUri);
    callback.search = query.toString();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    try {
      tokens = await client.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (cause) {
      throw new SsoFailure(unreachable(cause) ? 'unavailable' : 'invalid-response', 'the code exchange failed', { cause });
    }
    const idToken = tokens.claims();
    if (!idToken) throw new SsoFailure('invalid-response', 'the provider returned no ID token');
    let userInfo: Record<string, unknown> = {};
    if (configuration.serverMetadata().userinfo_endpoint) {
      try {
        userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
      } catch (cause) {
        throw new SsoFailure(unreachable(cause) ? 'unavailable' : 'invalid-response', 'the UserInfo request failed', { cause });
      }
    }
    // The signed ID token wins where both say something.
    return { claims: { ...userInfo, ...idToken }, returnTo: pending.returnTo };
  }

  private seal(pending: PendingSignIn): string {
    const body = Buffer.from(JSON.stringify(pending)).toString('base64url');
    return `${body}.${this.signature(body)}`;
  }

  private unseal(cookie: string): PendingSignIn | undefined {
    const [body, signature] = cookie.split('.');
    if (!body || !signature || !sameSecret(signature, this.signature(body))) return undefined;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as PendingSignIn;
    } catch {
      return undefined;
    }
  }

  private signature(body: string): string {
    return createHmac('sha256', this.cookieKey).update(body).digest('base64url');
  }
}

/** A network failure (fetch's TypeError), as opposed to an answer that did not validate. */
function unreachable(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof client.ClientError && error.code === 'OAUTH_TIMEOUT');
}

/** Decree 45 Art. 8: level 2 when the provider asserts it in the configured claim; else level 1. */
export function assuranceLevelOf(settings: OidcSettings, claims: Claims): 1 | 2 {
  const value = claims[settings.level2Claim];
  const values = (Array.isArray(value) ? value : [value]).filter((item) => ['string', 'number', 'boolean'].includes(typeof item)).map(String);
  return values.some((item) => settings.level2Values.includes(item)) ? 2 : 1;
}

/**
 * The account of a provider's subject: the one linked to (issuer, sub), else a new citizen
 * account. Its username is the personal ID number when the provider releases it (the same name a
 * citizen registering by password would have), else `oidc-` and a digest of issuer and subject.
 * A later sign-in that asserts level 2 raises the account to it; a lower one never lowers it (an
 * officer may have verified the person at the counter).
 */
export async function accountForClaims(db: Database, settings: OidcSettings, claims: Claims): Promise<AccountRow> {
  const link = { oidc_issuer: claims.iss, oidc_subject: claims.sub };
  const level = assuranceLevelOf(settings, claims);
  const existing = await db<AccountRow>('accounts').where(link).first();
  if (existing) {
    if (level <= existing.assurance_level) return existing;
    const [raised] = await db('accounts').where(link).update({ assurance_level: level }).returning<AccountRow[]>('*');
    return raised!;
  }
  const personalId = personalIdSchema.safeParse(claims[settings.personalIdClaim]);
  const username = personalId.success ? personalId.data : `oidc-${createHash('sha256').update(`${claims.iss}\n${claims.sub}`).digest('hex').slice(0, 24)}`;
  const name = typeof claims.name === 'string' ? claims.name.trim().slice(0, 200) : '';
  try {
    return await createAccount(db, {
      username,
      displayName: name || username,
      roles: ['citizen'],
      holder: personalId.success ? { kind: 'person', id: personalId.data } : undefined,
      assuranceLevel: level,
      identifiedBy: `oidc:${claims.iss}`,
      oidc: { issuer: claims.iss, subject: claims.sub },
    });
  } catch (error) {
    // Two first sign-ins of one person at once: the other created it.
    const created = await db<AccountRow>('accounts').where(link).first();
    if (created) return created;
    if (isQuyTrinhError(error) && error.code === 'account.username-taken') {
      throw new SsoFailure('account-exists', `the username ${username} belongs to an account not linked to ${claims.iss}`, { cause: error });
    }
    throw error;
  }
}
