import { Agent, request } from 'node:http';

/**
 * The inbox client of the HTTP bench (http-inbox.ts), in a process of its own so that its
 * requests and parsing do not take turns with the server on the same thread: it lists the open
 * tasks page by page through `GET /api/tasks`, completes them with `concurrency` requests in
 * flight through `POST /api/tasks/:id/complete`, and repeats until the list is empty.
 */
export interface InboxRequest {
  url: string;
  /** Sent as `Authorization: Bearer …`; none for the baseline server, which has no authentication. */
  token: string | undefined;
  concurrency: number;
}

export type InboxReply = { completions: number; seconds: number; latenciesMs: number[] } | { error: string };

const PAGE = 500;

process.on('message', (message: InboxRequest) => {
  void runInbox(message).then(
    (reply) => process.send!(reply),
    (error: unknown) => process.send!({ error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies InboxReply),
  );
});

async function runInbox({ url, token, concurrency }: InboxRequest): Promise<InboxReply> {
  // node:http with kept-alive sockets, one per request in flight: far cheaper per call than fetch, so the client takes less of the shared cores.
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const call = (method: string, path: string, body?: string) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const sent = request(`${url}${path}`, { method, agent, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        response.on('error', reject);
      });
      sent.on('error', reject);
      sent.end(body);
    });
  const expectOk = (answer: { status: number; text: string }, what: string) => {
    if (answer.status !== 200) throw new Error(`${what}: ${answer.status} ${answer.text.slice(0, 300)}`);
    return answer.text;
  };

  const latenciesMs: number[] = [];
  const started = performance.now();
  for (;;) {
    const open: string[] = [];
    let cursor: string | null = null;
    do {
      const page = JSON.parse(expectOk(await call('GET', `/api/tasks?limit=${PAGE}${cursor ? `&cursor=${cursor}` : ''}`), 'list')) as { items: Array<{ id: string }>; next: string | null };
      open.push(...page.items.map((task) => task.id));
      cursor = page.next;
    } while (cursor !== null);
    if (open.length === 0) break;
    const worker = async () => {
      for (let task = open.pop(); task !== undefined; task = open.pop()) {
        const begin = performance.now();
        expectOk(await call('POST', `/api/tasks/${task}/complete`, '{}'), `complete ${task}`);
        latenciesMs.push(performance.now() - begin);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { completions: latenciesMs.length, seconds, latenciesMs };
}
