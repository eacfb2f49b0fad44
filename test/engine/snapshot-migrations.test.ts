import { describe, expect, it } from 'vitest';
import { COMPILER_VERSION } from '../../engine/compile/index.ts';
import { isQuyTrinhError } from '../../engine/errors.ts';
import { applyEvent, startInstance } from '../../engine/runtime/instance.ts';
import { migrateSnapshot, snapshotUpgrade, SNAPSHOT_MIGRATIONS } from '../../engine/runtime/snapshot-migrations.ts';
import { bpmnProcess, compile, flows } from '../support/process.ts';
import { countKept, withoutCount } from '../support/snapshot-versions.ts';

const consult = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="answer"><bpmn:multiInstanceLoopCharacteristics qt:collection="agencies" qt:elementVariable="agency"/></bpmn:userTask>
  <bpmn:userTask id="decide"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>answer', 'answer>decide', 'decide>end')}`, { id: 'Process_consult' });

function problemCode(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return isQuyTrinhError(error) ? error.code : 'untyped';
  }
  return undefined;
}

describe('snapshot migrations between compiler versions', () => {
  it('runs what the current compiler compiled as it is', () => {
    expect(snapshotUpgrade(COMPILER_VERSION)).toEqual({ kind: 'current' });
  });

  it('refuses a definition of a newer compiler, and an older one no migration leads on from, each with its own problem', () => {
    expect(problemCode(() => snapshotUpgrade(COMPILER_VERSION + 1))).toBe('definition.compiler-newer');
    expect(problemCode(() => snapshotUpgrade(1.5))).toBe('definition.compiler-newer');
    // The shipped registry is empty today: version 0 was never released.
    expect(SNAPSHOT_MIGRATIONS.size).toBe(0);
    expect(problemCode(() => snapshotUpgrade(0))).toBe('definition.compiler-unknown');
    expect(problemCode(() => snapshotUpgrade(0, countKept))).toBeUndefined();
  });

  it('migrates a version-0 snapshot through the registry, and the instance finishes on the current machine', async () => {
    const compiled = await compile(consult);
    const agencies = ['Sở Xây dựng', 'Sở Tài chính', 'Công an tỉnh'];
    const started = startInstance(compiled, { variables: { agencies } });
    const old = withoutCount(started.snapshot, 'answer', agencies);
    expect((old.context as { multi: Record<string, object> }).multi.answer).not.toHaveProperty('count');

    const upgrade = snapshotUpgrade(0, countKept);
    if (upgrade.kind !== 'migrate') throw new Error('expected a migration');
    const migrated = migrateSnapshot(old, upgrade.steps);
    expect((migrated.context as { multi: Record<string, object> }).multi.answer).toMatchObject({ count: 3, open: [0, 1, 2] });

    let snapshot = migrated;
    for (const index of [2, 0, 1]) {
      const step = applyEvent(compiled, snapshot, { type: 'task.complete', elementId: 'answer', index, variables: {} })!;
      expect(step.effects.map((effect) => effect.type)).toContain('qt.task.close');
      snapshot = step.snapshot;
    }
    expect(applyEvent(compiled, snapshot, { type: 'task.complete', elementId: 'decide' })?.status).toBe('completed');
  });
});
