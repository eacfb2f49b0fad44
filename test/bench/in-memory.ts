import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import * as elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import { BpmnModdle } from 'bpmn-moddle';
import Serializer, { TypeResolver } from 'moddle-context-serializer';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { compileProcess, type CompiledProcess } from '../../engine/compile/index.ts';
import { applyEvent, startInstance } from '../../engine/runtime/instance.ts';
import { median } from './cost.ts';
import { completionVariables } from './models.ts';

export interface Throughput {
  instances: number;
  completions: number;
  /** Elapsed time, and completions per elapsed second. */
  seconds: number;
  perSecond: number;
  /** Processor time this process used meanwhile, and completions per second of it. */
  cpuSeconds: number;
  perCpuSecond: number;
}

/** One engine, prepared once for its model, running a number of instances to the end. */
export type Runner = (instances: number) => Promise<Throughput>;

/**
 * Our runtime as the in-memory runtime (`quytrinh run`, engine/runtime/memory-runtime.ts) uses
 * it, the model compiled once: every step is applied to the persisted snapshot the previous step
 * returned (the runtime starts from the state that snapshot was made from; one read back from the
 * database would be resolved against the machine first), computes the pure transition and
 * produces the snapshot to keep and the effects (the tasks opened and closed) the driver reads its
 * next task from. Nothing is carried from one instance to the next.
 */
export async function quyTrinhRunner(xml: string): Promise<Runner> {
  const compiled: CompiledProcess = compileProcess(await readProcess(xml));
  return (instances) => {
    let completions = 0;
    const started = clocks();
    for (let i = 0; i < instances; i++) {
      let step = startInstance(compiled);
      const open = new Set<string>();
      let checks = 0;
      for (;;) {
        for (const effect of step.effects) {
          if (effect.type === 'qt.task.open') open.add(effect.params.elementId);
          if (effect.type === 'qt.task.close') open.delete(effect.params.elementId);
        }
        const next = open.values().next();
        if (next.done) break;
        const elementId = next.value;
        const variables = completionVariables(elementId, checks);
        if (elementId === 'check') checks++;
        step = applyEvent(compiled, step.snapshot, { type: 'task.complete', elementId, variables })!;
        completions++;
      }
      if (step.status !== 'completed') throw new Error(`instance ended ${step.status}`);
    }
    return Promise.resolve(summary(instances, completions, started));
  };
}

/**
 * The peer, bpmn-engine (paed01): the XML parsed and serialized once, as its API documents
 * (`sourceContext`, built with moddle-context-serializer over bpmn-elements, as our model is
 * compiled once), then one `Engine` per instance, each user task signalled as it waits.
 */
export async function bpmnEngineRunner(xml: string): Promise<Runner> {
  const sourceContext = Serializer(await BpmnModdle().fromXML(xml), TypeResolver(elements));
  return async (instances) => {
    let completions = 0;
    const started = clocks();
    for (let i = 0; i < instances; i++) {
      const engine = new Engine({ name: `bench-${i}`, sourceContext });
      const listener = new EventEmitter();
      let checks = 0;
      listener.on('wait', (api: { id: string; environment: { variables: Record<string, unknown> }; signal: (message?: unknown) => void }) => {
        const variables = completionVariables(api.id, checks);
        if (api.id === 'check') checks++;
        if (variables) Object.assign(api.environment.variables, variables);
        completions++;
        api.signal();
      });
      const ended = new Promise<void>((resolve, reject) => {
        engine.once('end', () => resolve());
        engine.once('error', reject);
      });
      await engine.execute({ listener });
      await ended;
    }
    return summary(instances, completions, started);
  };
}

export interface Comparison {
  model: string;
  /** Each round: both engines on the same instances and completions, in small alternating batches. */
  rounds: Array<{ ours: Throughput; peer: Throughput; ratio: number; wallRatio: number }>;
  /** Medians over the rounds: completions per second of processor time, and per elapsed second. */
  ours: number;
  peer: number;
  oursWall: number;
  peerWall: number;
  /** The ratio of completions per processor second: its median, lowest and highest round. */
  ratio: number;
  minRatio: number;
  maxRatio: number;
  /** The ratio of completions per elapsed second: its median, lowest and highest round. */
  wallRatio: number;
  minWallRatio: number;
  maxWallRatio: number;
}

/** What the orchestrator asks of an engine's process (test/bench/engine-process.ts). */
export type EngineRequest = { engine: 'quytrinh' | 'bpmn-engine'; xml: string } | { warmUpSeconds: number } | { instances: number };
export type EngineReply = { ready: true } | { throughput: Throughput } | { error: string };

/**
 * Both engines on one model, fairly. Each runs in a process of its own, so that neither's
 * garbage collection, compiled code or caches fall to the other. Each prepares the model once and
 * is warmed up for the same time (the optimizing compiler works in the background for a while
 * after a function gets hot). Then several rounds of the same instances and completions, in
 * batches of a few instances that alternate between the two (the one going first alternating
 * too), so that both meet the same load from whatever else shares the machine. Elapsed time
 * counts the other processes' turns on the cores too: the ratio is taken on the processor time
 * each engine's process used (bpmn-engine never waits on anything outside its process), and the
 * elapsed-time figures are given beside it. The median of the rounds is reported with the
 * spread of the ratio.
 */
export async function compareInMemory(model: string, oursXml: string, peerXml: string, options: { instances: number; rounds: number; warmUpSeconds: number }): Promise<Comparison> {
  const ours = await EngineProcess.start('quytrinh', oursXml);
  const peer = await EngineProcess.start('bpmn-engine', peerXml);
  try {
    await ours.warmUp(options.warmUpSeconds);
    await peer.warmUp(options.warmUpSeconds);
    const rounds: Comparison['rounds'] = [];
    for (let round = 0; round < options.rounds; round++) {
      let oursRun = NOTHING;
      let peerRun = NOTHING;
      for (let done = 0, batch = 0; done < options.instances; done += BATCH, batch++) {
        const instances = Math.min(BATCH, options.instances - done);
        if ((round + batch) % 2 === 0) {
          oursRun = add(oursRun, await ours.run(instances));
          peerRun = add(peerRun, await peer.run(instances));
        } else {
          peerRun = add(peerRun, await peer.run(instances));
          oursRun = add(oursRun, await ours.run(instances));
        }
      }
      if (oursRun.completions !== peerRun.completions) throw new Error(`${model}: ${oursRun.completions} completions against bpmn-engine's ${peerRun.completions}`);
      rounds.push({ ours: oursRun, peer: peerRun, ratio: oursRun.perCpuSecond / peerRun.perCpuSecond, wallRatio: oursRun.perSecond / peerRun.perSecond });
    }
    const ratios = rounds.map((round) => round.ratio);
    const wallRatios = rounds.map((round) => round.wallRatio);
    return {
      model,
      rounds,
      ours: median(rounds.map((round) => round.ours.perCpuSecond)),
      peer: median(rounds.map((round) => round.peer.perCpuSecond)),
      oursWall: median(rounds.map((round) => round.ours.perSecond)),
      peerWall: median(rounds.map((round) => round.peer.perSecond)),
      ratio: median(ratios),
      minRatio: Math.min(...ratios),
      maxRatio: Math.max(...ratios),
      wallRatio: median(wallRatios),
      minWallRatio: Math.min(...wallRatios),
      maxWallRatio: Math.max(...wallRatios),
    };
  } finally {
    ours.stop();
    peer.stop();
  }
}

const BATCH = 5;
const NOTHING: Throughput = { instances: 0, completions: 0, seconds: 0, perSecond: 0, cpuSeconds: 0, perCpuSecond: 0 };

function add(a: Throughput, b: Throughput): Throughput {
  const instances = a.instances + b.instances;
  const completions = a.completions + b.completions;
  const seconds = a.seconds + b.seconds;
  const cpuSeconds = a.cpuSeconds + b.cpuSeconds;
  return { instances, completions, seconds, perSecond: completions / seconds, cpuSeconds, perCpuSecond: completions / cpuSeconds };
}

/** One engine in a child process of its own, answering one request at a time. */
class EngineProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(engine: 'quytrinh' | 'bpmn-engine', xml: string): Promise<EngineProcess> {
    const child = fork(fileURLToPath(new URL('./engine-process.ts', import.meta.url)), { execArgv: ['--import', 'tsx'] });
    const started = new EngineProcess(child);
    await started.ask({ engine, xml });
    return started;
  }

  async warmUp(seconds: number): Promise<void> {
    await this.ask({ warmUpSeconds: seconds });
  }

  async run(instances: number): Promise<Throughput> {
    const reply = await this.ask({ instances });
    if (!('throughput' in reply)) throw new Error('the engine process did not report a throughput');
    return reply.throughput;
  }

  stop(): void {
    this.child.kill();
  }

  private ask(request: EngineRequest): Promise<EngineReply> {
    return new Promise((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`the engine process exited (${code})`));
      this.child.once('exit', exited);
      this.child.once('message', (reply: EngineReply) => {
        this.child.off('exit', exited);
        if ('error' in reply) reject(new Error(reply.error));
        else resolve(reply);
      });
      this.child.send(request);
    });
  }
}

/** Runs an engine for a given time, in small batches. */
export async function warmUp(run: Runner, seconds: number): Promise<void> {
  for (let spent = 0; spent < seconds; ) spent += (await run(BATCH)).seconds;
}

function clocks() {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

function summary(instances: number, completions: number, started: ReturnType<typeof clocks>): Throughput {
  const seconds = (performance.now() - started.wall) / 1000;
  const cpu = process.cpuUsage(started.cpu);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { instances, completions, seconds, perSecond: completions / seconds, cpuSeconds, perCpuSecond: completions / cpuSeconds };
}
