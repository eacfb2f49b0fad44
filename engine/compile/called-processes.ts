import type { FlowNode, ProcessGraph } from '../bpmn/process-graph.ts';
import { QuyTrinhError } from '../errors.ts';
import type { CompileContext } from './compile-context.ts';
import type { CompiledProcess } from './index.ts';

/**
 * A call activity whose called process is another process of the same file (BPMN 2.0 §10.2.5:
 * a call activity calls a process; bpmn-engine's models often draw it beside the caller). Only
 * the file's executable process is deployed under its key, so such a call cannot start "the
 * latest deployed version" of the called one; instead the called process is compiled with the
 * caller and each call runs it as a child instance of the same definition: a run, as the parallel
 * runs of a multi-instance sub-process are (CompiledProcess.runs, keyed by the call activity),
 * which the server starts, steps and reports back as `call.complete` / `call.error` exactly as a
 * called definition's instance. The child gets the caller's variables and its changes come back,
 * as for any call. A call of the deployed process itself, or of a process of another file, stays
 * a call of the latest deployed version.
 */

/** What the compilations of one file share: the runs, and each called process compiled once. */
export interface CalledCompilation {
  runs: Map<string, CompiledProcess>;
  compiled: Map<string, CompiledProcess>;
  /** Called processes being compiled (a recursive call waits for its end) or refused. */
  started: Set<string>;
  /** Calls of a process still being compiled: run key (call activity id) → process id. */
  pending: Map<string, string>;
}

export function newCalledCompilation(): CalledCompilation {
  return { runs: new Map(), compiled: new Map(), started: new Set(), pending: new Map() };
}

/** Whether a call activity calls a process of its own file, run as a child instance of the same definition. */
export function callsSameFile(context: CompileContext, node: FlowNode): boolean {
  return node.calledElement !== undefined && context.graph.calledProcesses?.has(node.calledElement) === true;
}

/**
 * Compiles every process of the file the graph's call activities call (each once, with the same
 * shared runs) and registers it as the run of each call; the called process's refusals are the
 * caller's, each saying which process and call they come from.
 */
export function compileCalledProcesses(context: CompileContext, shared: CalledCompilation, compile: (graph: ProcessGraph, shared: CalledCompilation) => CompiledProcess): void {
  for (const node of context.graph.nodes.values()) {
    if (node.kind !== 'callActivity' || !callsSameFile(context, node)) continue;
    const processId = node.calledElement!;
    if (!shared.started.has(processId)) {
      shared.started.add(processId);
      try {
        shared.compiled.set(processId, compile(context.graph.calledProcesses!.get(processId)!, shared));
      } catch (error) {
        if (!(error instanceof QuyTrinhError)) throw error;
        for (const detail of error.details) {
          const vi = detail.messages?.vi ?? detail.message;
          context.errors.push({ ...detail, message: `Process ${processId} (called by ${node.id}): ${detail.message}`, messages: { vi: `Quy trình ${processId} (được gọi bởi ${node.id}): ${vi}`, en: `Process ${processId} (called by ${node.id}): ${detail.messages?.en ?? detail.message}` } });
        }
      }
    }
    shared.pending.set(node.id, processId);
  }
  // A call of a process still being compiled (a recursive call) is registered once it is done.
  for (const [callId, processId] of shared.pending) {
    const compiled = shared.compiled.get(processId);
    if (compiled === undefined) continue;
    shared.runs.set(callId, compiled);
    shared.pending.delete(callId);
  }
}
