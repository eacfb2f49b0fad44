import { bpmnEngineRunner, quyTrinhRunner, warmUp, type EngineReply, type EngineRequest, type Runner } from './in-memory.ts';

/**
 * One engine of the in-memory comparison in a process of its own (see compareInMemory): it
 * prepares the model it is sent, warms up, and runs the instances it is asked for, replying with
 * the throughput of each batch.
 */
let runner: Runner | undefined;

process.on('message', (request: EngineRequest) => {
  void answer(request).then(
    (reply) => process.send!(reply),
    (error: unknown) => process.send!({ error: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies EngineReply),
  );
});

async function answer(request: EngineRequest): Promise<EngineReply> {
  if ('engine' in request) {
    runner = request.engine === 'quytrinh' ? await quyTrinhRunner(request.xml) : await bpmnEngineRunner(request.xml);
    return { ready: true };
  }
  if (!runner) throw new Error('no model was sent to this engine process');
  if ('warmUpSeconds' in request) {
    await warmUp(runner, request.warmUpSeconds);
    return { ready: true };
  }
  return { throughput: await runner(request.instances) };
}
