/**
 * The designer's one road to the product API: every call goes through `apiFetch`. It says which
 * language the answer should be worded in, sends JSON or BPMN XML with its content type (the
 * server refuses any other body on a write), echoes the session's anti-forgery token on every
 * write (the session cookie alone would let any page post on the user's behalf), and turns a
 * refusal (RFC 9457 problem+json) into a ProblemError carrying the server's Vietnamese and English
 * messages. A 401 on any call but the sign-in itself means the session ended: the listeners
 * (designer/src/session/SessionGate.tsx) ask the user to sign in again without leaving the model.
 */
import type { Language } from './i18n.ts';

/** RFC 9457 problem details as the server sends them (server/http/problem.ts). */
export interface Problem {
  title: string;
  status: number;
  code: string;
  messages: { vi: string; en: string };
  errors: Array<{ field?: string; elementId?: string; message: string; messages?: { vi: string; en: string } }>;
}

/** A refusal of the server (or no answer at all, status 0): its title as the message, the problem details kept. */
export class ProblemError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.title);
    this.name = 'ProblemError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  /** The message in the language shown (the title is in the language the call asked for). */
  text(language: Language): string {
    return this.problem.messages[language];
  }
}

export interface ApiRequest {
  /** The language the server words its answer in (Accept-Language: vi or en). */
  language: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A JSON body; or `xml`, a BPMN document (deployment reads XML). */
  json?: unknown;
  xml?: string;
  signal?: AbortSignal | undefined;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The anti-forgery token of the signed-in session, as GET/POST /api/session gave it. */
let csrfToken: string | undefined;
/** A call was answered 401 and no session has been opened since. */
let expired = false;
const expiredListeners = new Set<() => void>();
const renewedListeners = new Set<() => void>();

/** What the session endpoints answered: the token later writes must echo (none once signed out). */
export function rememberCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? undefined;
  if (csrfToken !== undefined && expired) {
    expired = false;
    for (const listener of renewedListeners) listener();
  }
}

/** Called whenever a call is answered 401: the session expired or was ended elsewhere. Returns the unsubscribe. */
export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

/** Called when a session is open again after a 401, so what was refused meanwhile can be asked again. */
export function onSessionRenewed(listener: () => void): () => void {
  renewedListeners.add(listener);
  return () => renewedListeners.delete(listener);
}

const isSignIn = (path: string, method: string) => method === 'POST' && path === '/api/session';

function send(path: string, request: ApiRequest, method: string): Promise<Response> {
  const headers: Record<string, string> = { 'Accept-Language': request.language };
  if (request.json !== undefined) headers['Content-Type'] = 'application/json';
  if (request.xml !== undefined) headers['Content-Type'] = 'application/xml';
  if (WRITES.has(method) && csrfToken !== undefined) headers['X-CSRF-Token'] = csrfToken;
  const body = request.xml ?? (request.json === undefined ? undefined : JSON.stringify(request.json));
  return fetch(path, { method, headers, body, signal: request.signal ?? null, credentials: 'same-origin' }).catch((error: unknown) => {
    // An abandoned call (a newer check replaced it) stays an AbortError for its caller to ignore.
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ProblemError({
      title: request.language === 'en' ? 'Server unreachable' : 'Không kết nối được máy chủ',
      status: 0,
      code: 'network.unreachable',
      messages: { vi: 'Không kết nối được máy chủ', en: 'Server unreachable' },
      errors: [],
    });
  });
}

/** The problem+json of a refusal; an answer that is not one (a proxy's error page) gets a plain one of the same status. */
async function problemOf(response: Response, language: string): Promise<Problem> {
  const fallback = { vi: `Máy chủ trả lời lỗi HTTP ${response.status}`, en: `The server answered HTTP ${response.status}` };
  let body: Partial<Problem> = {};
  try {
    body = (await response.json()) as Partial<Problem>;
  } catch {
    // Not JSON: the fallback words it.
  }
  const messages = body.messages ?? fallback;
  return {
    title: body.title ?? (language === 'en' ? messages.en : messages.vi),
    status: response.status,
    code: body.code ?? `http.${response.status}`,
    messages,
    errors: body.errors ?? [],
  };
}

/**
 * One call to `/api…`: the answer when it is a success, a ProblemError otherwise. A write refused
 * for a stale anti-forgery token (the session was renewed in another tab) is sent once more with
 * the session's current one.
 */
export async function apiFetch(path: string, request: ApiRequest): Promise<Response> {
  const method = request.method ?? (request.json !== undefined || request.xml !== undefined ? 'POST' : 'GET');
  let response = await send(path, request, method);
  if (response.ok) return response;
  let problem = await problemOf(response, request.language);
  if (response.status === 403 && problem.code === 'auth.csrf') {
    const session = (await (await send('/api/session', { language: request.language }, 'GET')).json()) as { csrfToken?: string | null };
    if (session.csrfToken && session.csrfToken !== csrfToken) {
      rememberCsrfToken(session.csrfToken);
      response = await send(path, request, method);
      if (response.ok) return response;
      problem = await problemOf(response, request.language);
    }
  }
  if (response.status === 401 && !isSignIn(path, method)) {
    expired = true;
    for (const listener of expiredListeners) listener();
  }
  throw new ProblemError(problem);
}

/** A call answered with JSON. */
export async function apiJson<T>(path: string, request: ApiRequest): Promise<T> {
  return (await (await apiFetch(path, request)).json()) as T;
}

/** A call answered with text (a BPMN file). */
export async function apiText(path: string, request: ApiRequest): Promise<string> {
  return (await apiFetch(path, request)).text();
}
