/**
 * Who is signed in, signing in and out (server/http/identity.ts). Each answer that opens or reads a
 * session hands its anti-forgery token to the API client, and signing out takes it back.
 */
import type { Membership, Role } from '../../../server/identity/roles.ts';
import { apiJson, rememberCsrfToken } from '../api-client.ts';

export type { Role } from '../../../server/identity/roles.ts';

export interface Account {
  id: string;
  actor: string;
  displayName: string;
  roles: Role[];
  memberships: Membership[];
  assuranceLevel: 1 | 2;
}

export type Session = { signedIn: false } | { signedIn: true; account: Account; csrfToken: string | null };

function remember(session: Session): Session {
  rememberCsrfToken(session.signedIn ? session.csrfToken : undefined);
  return session;
}

export const sessionApi = {
  current: async (language: string) => remember(await apiJson<Session>('/api/session', { language })),
  signIn: async (username: string, password: string, language: string) => remember(await apiJson<Session>('/api/session', { language, json: { username, password } })),
  signOut: async (language: string) => remember(await apiJson<Session>('/api/session', { language, method: 'DELETE' })),
  /** Ends every session of the account (a lost laptop, a shared computer); how many were ended. */
  signOutEverywhere: async (language: string) => {
    const answer = await apiJson<{ signedIn: false; sessionsEnded: number }>('/api/session/logout-everywhere', { language, method: 'POST' });
    remember(answer);
    return answer.sessionsEnded;
  },
};
