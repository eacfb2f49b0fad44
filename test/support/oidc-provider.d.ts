// oidc-provider 9 ships JavaScript without declarations; the tests use this much of it.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface Configuration {
    clients: Array<{ client_id: string; client_secret: string; redirect_uris: string[]; grant_types: string[]; response_types: string[] }>;
    claims: Record<string, string[]>;
    findAccount: (context: unknown, id: string) => { accountId: string; claims: () => Record<string, unknown> & { sub: string } } | undefined;
    cookies: { keys: string[] };
    features: { devInteractions: { enabled: boolean } };
    ttl: Record<string, number>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    callback(): (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  }
}
