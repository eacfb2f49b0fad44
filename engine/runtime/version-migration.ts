import { getStateNodes, type AnyStateNode } from 'xstate';
import type { CompiledProcess } from '../compile/index.ts';
import { QuyTrinhError, type ErrorDetail } from '../errors.ts';
import { resolveStored, restoredOn, type Step, type StoredSnapshot } from './instance.ts';

/**
 * Moving a running instance to a newer version of its process (issue 14, docs/monitoring.md),
 * only where the mapping is proven from the two compiled machines: every state the instance is
 * in now exists in the new machine at the same place (the same path of states: the same scope,
 * the same parallel branch), as the same element of the same BPMN type, and what that state opened
 * when it was entered (its task's lane, its job's type, its timer, its message subscription: the
 * entry and exit effects) is what the new version's state opens, so the rows the old version
 * wrote are the new version's. A parallel block the instance is in must have the same branches.
 * Anything else is refused naming the elements with no counterpart; nothing is guessed.
 *
 * Both machines are the current compiler's (a definition of an older compiler version has its
 * snapshots migrated first, snapshot-migrations.ts): this maps between process versions, not
 * compiler versions.
 */

/** An action as the mapping compares it: its type and parameters, but not a task's display name (renaming a step changes nothing stored). */
function comparable(actions: readonly unknown[]): string {
  return JSON.stringify(actions.map((action) => {
    const { type, params } = action as { type: string; params?: Record<string, unknown> };
    if (!params || typeof params !== 'object') return { type };
    const { name: _name, ...kept } = params;
    return { type, params: kept };
  }));
}

const elementOfState = (state: AnyStateNode): string | undefined => (state.meta as { elementId?: string } | undefined)?.elementId;

/** The element a state belongs to: the nearest element state at or around it (`el:<id>`, compile-context.ts). */
function owningElement(state: AnyStateNode): string | undefined {
  for (let at: AnyStateNode | undefined = state; at; at = at.parent) {
    const elementId = elementOfState(at) ?? /^el:([^/]+)/.exec(at.id)?.[1]?.replaceAll('%2E', '.');
    if (elementId) return elementId;
  }
  return undefined;
}

function counterpart(root: AnyStateNode, path: readonly string[]): AnyStateNode | undefined {
  let at: AnyStateNode | undefined = root;
  for (const key of path) at = at?.states[key];
  return at;
}

/** Why each state of the instance has no counterpart in the new version, by element; empty when the mapping holds. */
export function migrationProblems(from: CompiledProcess, to: CompiledProcess, stored: StoredSnapshot): ErrorDetail[] {
  const snapshot = resolveStored(from.machine, stored);
  const problems = new Map<string, ErrorDetail>();
  const refuse = (state: AnyStateNode, vi: string, en: string) => {
    const elementId = owningElement(state) ?? from.graph.id;
    if (!problems.has(elementId)) problems.set(elementId, { elementId, message: `${elementId}: ${en}`, messages: { vi: `${elementId}: ${vi}`, en: `${elementId}: ${en}` } });
  };
  for (const state of getStateNodes(from.machine.root, snapshot.value)) {
    const other = counterpart(to.machine.root, state.path);
    if (!other) {
      refuse(state, 'phiên bản mới không có bước này ở cùng vị trí (cùng phạm vi, cùng nhánh)', 'the new version has no such step at the same place (same scope, same branch)');
      continue;
    }
    const elementId = elementOfState(state);
    if (elementId !== elementOfState(other) || other.type !== state.type) {
      refuse(state, 'phiên bản mới có một bước khác ở vị trí này', 'the new version has another step at this place');
      continue;
    }
    if (elementId !== undefined) {
      const before = from.graph.nodes.get(elementId);
      const after = to.graph.nodes.get(elementId);
      if (!before || !after || before.bpmnType !== after.bpmnType || Boolean(before.multiInstance) !== Boolean(after.multiInstance) || Boolean(before.loop) !== Boolean(after.loop)) {
        refuse(state, `loại phần tử đã đổi (${before?.bpmnType ?? '?'} → ${after?.bpmnType ?? '?'})`, `the element's type changed (${before?.bpmnType ?? '?'} → ${after?.bpmnType ?? '?'})`);
        continue;
      }
    }
    if (comparable(state.entry) !== comparable(other.entry) || comparable(state.exit) !== comparable(other.exit)) {
      refuse(state, 'việc bước này đã mở (tác vụ và nhóm xử lý, công việc tự động, hẹn giờ, thông điệp chờ) khác ở phiên bản mới', 'what this step opened (its task and lane, job, timer, awaited message) differs in the new version');
      continue;
    }
    if (state.type === 'parallel' && Object.keys(state.states).sort().join() !== Object.keys(other.states).sort().join()) {
      refuse(state, 'khối song song đang chạy có các nhánh khác ở phiên bản mới', 'the parallel block running here has other branches in the new version');
    }
  }
  return [...problems.values()];
}

/**
 * The instance's snapshot on the new version's machine, when the mapping holds (the same active
 * elements, no effect: nothing is opened or closed); else a 422 naming every element with no
 * counterpart.
 */
export function migrateToVersion(from: CompiledProcess, to: CompiledProcess, stored: StoredSnapshot, versions: { from: number; to: number }): Step {
  const problems = migrationProblems(from, to, stored);
  if (problems.length > 0) {
    const elements = problems.map((problem) => problem.elementId).join(', ');
    throw new QuyTrinhError('unprocessable', 'migration.no-counterpart', {
      vi: `Không chuyển được hồ sơ từ phiên bản ${versions.from} sang phiên bản ${versions.to}: ${problems.length} bước đang chạy không có bước tương ứng chắc chắn (${elements})`,
      en: `The instance cannot be migrated from version ${versions.from} to version ${versions.to}: ${problems.length} running step(s) have no proven counterpart (${elements})`,
    }, problems);
  }
  return restoredOn(to.machine, stored);
}
