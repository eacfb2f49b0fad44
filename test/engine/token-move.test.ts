import { describe, expect, it } from 'vitest';
import type { CompiledProcess } from '../../engine/compile/index.ts';
import { isQuyTrinhError } from '../../engine/errors.ts';
import { applyEvent, startInstance, type Step } from '../../engine/runtime/instance.ts';
import { moveToken, moveTokens } from '../../engine/runtime/token-move.ts';
import { migrateToVersion, migrationProblems } from '../../engine/runtime/version-migration.ts';
import { bpmnProcess, compile, flows } from '../support/process.ts';

/**
 * Issue 14: an operator moves a stuck token, and migrates a running instance to a newer version
 * where the mapping is proven (engine/runtime/token-move.ts, version-migration.ts), without a
 * database: the step's snapshot, active elements and effects, then the instance going on.
 */
const timerBoundary = `<bpmn:boundaryEvent id="late" attachedToRef="check"><bpmn:timerEventDefinition><bpmn:timeDuration>PT8H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
  <bpmn:endEvent id="lateEnd"/>${flows('late>lateEnd')}`;
const straight = (extra = '') => bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:userTask id="check" name="Kiểm tra"/>
  ${extra}
  <bpmn:serviceTask id="verify" qt:jobType="civil.verify"/>
  <bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
  <bpmn:exclusiveGateway id="choose" default="choose_decide"/>
  <bpmn:userTask id="decide" name="Quyết định"/>
  <bpmn:userTask id="consult"><bpmn:multiInstanceLoopCharacteristics qt:collection="agencies"/></bpmn:userTask>
  <bpmn:endEvent id="end"/>
  ${flows('start>check', 'check>verify', 'verify>wait', 'wait>choose', 'choose>decide', 'choose>consult', 'consult>end', 'decide>end')}`.replace(
  '<bpmn:sequenceFlow id="choose_consult" sourceRef="choose" targetRef="consult"/>',
  '<bpmn:sequenceFlow id="choose_consult" sourceRef="choose" targetRef="consult"><bpmn:conditionExpression>many</bpmn:conditionExpression></bpmn:sequenceFlow>',
), { id: 'Process_move' });

const parallel = bpmnProcess(`
  <bpmn:startEvent id="start"/>
  <bpmn:parallelGateway id="split"/>
  <bpmn:userTask id="police"/>
  <bpmn:userTask id="police2"/>
  <bpmn:userTask id="tax"/>
  <bpmn:parallelGateway id="join"/>
  <bpmn:subProcess id="sign">
    <bpmn:startEvent id="signStart"/>
    <bpmn:userTask id="draft"/>
    <bpmn:userTask id="approve"/>
    <bpmn:endEvent id="signEnd"/>
    ${flows('signStart>draft', 'draft>approve', 'approve>signEnd')}
  </bpmn:subProcess>
  <bpmn:userTask id="hand"/>
  <bpmn:endEvent id="end"/>
  ${flows('start>split', 'split>police', 'police>police2', 'split>tax', 'police2>join', 'tax>join', 'join>sign', 'sign>hand', 'hand>end')}`, { id: 'Process_parallel' });

function refusal(work: () => unknown): { code: string; status: string; elements: Array<string | undefined>; vi: string } {
  try {
    work();
  } catch (error) {
    if (isQuyTrinhError(error)) return { code: error.code, status: error.kind, elements: error.details.map((detail) => detail.elementId), vi: error.text.vi };
    throw error;
  }
  throw new Error('not refused');
}

/** The stored form of a step's snapshot, as the database hands it back. */
const fromStorage = (step: Step) => JSON.parse(JSON.stringify(step.snapshot)) as Step['snapshot'];
const effectTypes = (step: Step) => step.effects.map((effect) => `${effect.type} ${effect.params.elementId}`);

function walk(compiled: CompiledProcess, ...events: Parameters<typeof applyEvent>[2][]): Step {
  let step = startInstance(compiled);
  for (const event of events) step = applyEvent(compiled, fromStorage(step), event)!;
  return step;
}

describe('moving a stuck token (issue 14)', () => {
  it('leaves a user task for a later one: its task closes, the target opens as if the flow reached it, and the instance goes on from there', async () => {
    const compiled = await compile(straight());
    const moved = moveToken(compiled, fromStorage(startInstance(compiled)), { from: 'check', to: 'decide' });
    expect(moved.activeElementIds).toEqual(['decide']);
    expect(moved.status).toBe('active');
    expect(effectTypes(moved)).toEqual(['qt.task.close check', 'qt.task.open decide']);
    expect(moved.effects[1]!.params).toMatchObject({ name: 'Quyết định' });
    const done = applyEvent(compiled, fromStorage(moved), { type: 'task.complete', elementId: 'decide' });
    expect(done?.status).toBe('completed');
    // The old step takes no completion any more.
    expect(applyEvent(compiled, fromStorage(moved), { type: 'task.complete', elementId: 'check' })).toBeUndefined();
  });

  it('closes the job of an automated step and arms the timer of a catch event; moves back to an earlier step', async () => {
    const compiled = await compile(straight());
    const atVerify = walk(compiled, { type: 'task.complete', elementId: 'check' });
    expect(atVerify.activeElementIds).toEqual(['verify']);
    const toWait = moveToken(compiled, fromStorage(atVerify), { from: 'verify', to: 'wait' });
    expect(effectTypes(toWait)).toEqual(['qt.job.cancel verify', 'qt.timer.start wait']);
    const back = moveToken(compiled, fromStorage(toWait), { from: 'wait', to: 'check' });
    expect(effectTypes(back)).toEqual(['qt.timer.cancel wait', 'qt.task.open check']);
    expect(back.activeElementIds).toEqual(['check']);
  });

  it('restarts a step moved onto itself: its job is cancelled and started again', async () => {
    const compiled = await compile(straight());
    const atVerify = walk(compiled, { type: 'task.complete', elementId: 'check' });
    expect(effectTypes(moveToken(compiled, fromStorage(atVerify), { from: 'verify', to: 'verify' }))).toEqual(['qt.job.cancel verify', 'qt.job.start verify']);
  });

  it("disarms the left activity's boundary timer with it", async () => {
    const compiled = await compile(straight(timerBoundary));
    const started = startInstance(compiled);
    expect(effectTypes(started)).toEqual(['qt.task.open check', 'qt.timer.start late']);
    expect(effectTypes(moveToken(compiled, fromStorage(started), { from: 'check', to: 'verify' }))).toEqual(['qt.task.close check', 'qt.timer.cancel late', 'qt.job.start verify']);
  });

  it('moves within a parallel branch and within a sub-process, and leaves the other branch as it is', async () => {
    const compiled = await compile(parallel);
    const started = startInstance(compiled);
    expect(started.activeElementIds.sort()).toEqual(['police', 'tax']);
    const moved = moveToken(compiled, fromStorage(started), { from: 'police', to: 'police2' });
    expect(moved.activeElementIds.sort()).toEqual(['police2', 'tax']);
    expect(effectTypes(moved)).toEqual(['qt.task.close police', 'qt.task.open police2']);
    const inside = walk(compiled, { type: 'task.complete', elementId: 'police' }, { type: 'task.complete', elementId: 'police2' }, { type: 'task.complete', elementId: 'tax' });
    expect(inside.activeElementIds.sort()).toEqual(['draft', 'sign']);
    const approved = moveToken(compiled, fromStorage(inside), { from: 'draft', to: 'approve' });
    expect(approved.activeElementIds.sort()).toEqual(['approve', 'sign']);
    // The whole sub-process may be left for the step after it.
    expect(moveToken(compiled, fromStorage(inside), { from: 'sign', to: 'hand' }).activeElementIds).toEqual(['hand']);
  });

  it('refuses, naming the elements, what it cannot do faithfully', async () => {
    const compiled = await compile(parallel);
    const started = fromStorage(startInstance(compiled));
    // Another parallel branch, and out of the block (the other branch would be dropped).
    expect(refusal(() => moveToken(compiled, started, { from: 'police', to: 'tax' }))).toMatchObject({ code: 'move.other-scope', status: 'unprocessable', elements: ['police', 'tax'] });
    expect(refusal(() => moveToken(compiled, started, { from: 'police', to: 'hand' }))).toMatchObject({ code: 'move.branches-left', elements: ['tax'] });
    // Into a sub-process from outside it.
    expect(refusal(() => moveToken(compiled, started, { from: 'police', to: 'draft' })).code).toBe('move.other-scope');
    // Not where the token is; a gateway, an unknown element.
    expect(refusal(() => moveToken(compiled, started, { from: 'hand', to: 'police2' }))).toMatchObject({ code: 'move.not-active', elements: ['hand'] });
    expect(refusal(() => moveToken(compiled, started, { from: 'police', to: 'join' }))).toMatchObject({ code: 'move.not-a-step', elements: ['join'] });
    expect(refusal(() => moveToken(compiled, started, { from: 'split', to: 'police2' }))).toMatchObject({ code: 'move.cannot-leave', elements: ['split'] });
    const unknown = refusal(() => moveToken(compiled, started, { from: 'police', to: 'nowhere' }));
    expect(unknown).toMatchObject({ code: 'move.unknown-element', elements: ['nowhere'] });
    expect(unknown.vi).toContain('không có phần tử nowhere');
  });

  it('moves several tokens at once: out of a parallel block into the step after it, or each within its branch', async () => {
    const compiled = await compile(parallel);
    const started = startInstance(compiled);
    // Both branches left for the step after the block: each task closed, the target opened once.
    const out = moveTokens(compiled, fromStorage(started), [{ from: 'police', to: 'hand' }, { from: 'tax', to: 'hand' }]);
    expect(out.activeElementIds).toEqual(['hand']);
    expect(effectTypes(out).sort()).toEqual(['qt.task.close police', 'qt.task.close tax', 'qt.task.open hand']);
    expect(applyEvent(compiled, fromStorage(out), { type: 'task.complete', elementId: 'hand' })!.status).toBe('completed');
    // A stuck branch whose sibling is done: naming it alone leaves the block.
    const taxDone = walk(compiled, { type: 'task.complete', elementId: 'tax' });
    expect(moveToken(compiled, fromStorage(taxDone), { from: 'police', to: 'hand' }).activeElementIds).toEqual(['hand']);
    // One move in each branch, in one step.
    const each = moveTokens(compiled, fromStorage(started), [{ from: 'police', to: 'police2' }, { from: 'tax', to: 'tax' }]);
    expect(each.activeElementIds.sort()).toEqual(['police2', 'tax']);
    expect(effectTypes(each)).toEqual(['qt.task.close police', 'qt.task.open police2', 'qt.task.close tax', 'qt.task.open tax']);
    // Into the block's steps after the join went on: the instance goes on from the sub-process.
    const joined = applyEvent(compiled, fromStorage(each), { type: 'task.complete', elementId: 'police2' })!;
    expect(applyEvent(compiled, fromStorage(joined), { type: 'task.complete', elementId: 'tax' })!.activeElementIds.sort()).toEqual(['draft', 'sign']);
  });

  it('refuses several moves it cannot derive, naming the elements and the fields', async () => {
    const compiled = await compile(parallel);
    const started = fromStorage(startInstance(compiled));
    const problem = (moves: Array<{ from: string; to: string }>, at = started) => {
      try {
        moveTokens(compiled, at, moves);
      } catch (error) {
        if (isQuyTrinhError(error)) return { code: error.code, details: error.details.map(({ elementId, field }) => ({ elementId, field })) };
        throw error;
      }
      throw new Error('not refused');
    };
    // Into two branches from one (their block would be entered at chosen steps): another scope.
    expect(problem([{ from: 'police', to: 'police2' }, { from: 'tax', to: 'police2' }])).toMatchObject({ code: 'move.other-scope', details: [{ elementId: 'police', field: 'body.moves.0.from' }, { elementId: 'tax', field: 'body.moves.1.from' }, { elementId: 'police2', field: 'body.moves.0.to' }] });
    expect(problem([{ from: 'police', to: 'police2' }, { from: 'tax', to: 'nowhere' }])).toMatchObject({ code: 'move.unknown-element', details: [{ elementId: 'nowhere', field: 'body.moves.1.to' }] });
    expect(problem([{ from: 'police', to: 'police2' }, { from: 'hand', to: 'hand' }])).toMatchObject({ code: 'move.not-active', details: [{ elementId: 'hand', field: 'body.moves.1.from' }] });
    // A sub-process left as a whole and a step inside it moved too.
    const inside = fromStorage(walk(compiled, { type: 'task.complete', elementId: 'police' }, { type: 'task.complete', elementId: 'police2' }, { type: 'task.complete', elementId: 'tax' }));
    expect(problem([{ from: 'sign', to: 'hand' }, { from: 'draft', to: 'approve' }], inside)).toMatchObject({ code: 'move.overlapping', details: [{ elementId: 'sign' }, { elementId: 'draft' }] });
  });

  it("waits again at an event-based gateway, arming each of its events; refuses an event after it, which has no step of its own", async () => {
    const compiled = await compile(bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="notify"/>
      <bpmn:eventBasedGateway id="await"/>
      <bpmn:intermediateCatchEvent id="amended"><bpmn:messageEventDefinition messageRef="Message_amended"/></bpmn:intermediateCatchEvent>
      <bpmn:intermediateCatchEvent id="expired"><bpmn:timerEventDefinition><bpmn:timeDuration>PT24H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
      <bpmn:endEvent id="end"/>
      <bpmn:endEvent id="lapsed"/>
      ${flows('start>notify', 'notify>await', 'await>amended', 'await>expired', 'amended>end', 'expired>lapsed')}`, { id: 'Process_await', outside: '<bpmn:message id="Message_amended" name="boSung"/>' }));
    const started = fromStorage(startInstance(compiled));
    expect(effectTypes(moveToken(compiled, started, { from: 'notify', to: 'await' }))).toEqual(['qt.task.close notify', 'qt.message.subscribe amended', 'qt.timer.start expired']);
    expect(refusal(() => moveToken(compiled, started, { from: 'notify', to: 'expired' }))).toMatchObject({ code: 'move.not-a-step', elements: ['expired'] });
  });

  it('refuses a multi-instance activity and an instance that has ended', async () => {
    const compiled = await compile(straight());
    const atDecide = walk(compiled, { type: 'task.complete', elementId: 'check' }, { type: 'job.complete', elementId: 'verify' }, { type: 'timer', elementId: 'wait' });
    expect(atDecide.activeElementIds).toEqual(['decide']);
    expect(refusal(() => moveToken(compiled, fromStorage(atDecide), { from: 'decide', to: 'consult' }))).toMatchObject({ code: 'move.multi-instance', elements: ['consult'] });
    const ended = applyEvent(compiled, fromStorage(atDecide), { type: 'task.complete', elementId: 'decide' })!;
    expect(refusal(() => moveToken(compiled, fromStorage(ended), { from: 'decide', to: 'check' }))).toMatchObject({ code: 'instance.not-active', status: 'conflict' });
  });
});

describe('migrating a running instance to a newer version (issue 14)', () => {
  it('maps an instance whose every running step is unchanged; the instance goes on by the new version', async () => {
    const v1 = await compile(straight());
    // Version 2 adds a step after the decision, and renames the waiting step.
    const v2 = await compile(straight().replace('name="Kiểm tra"', 'name="Kiểm tra hồ sơ"').replace('<bpmn:endEvent id="end"/>', '<bpmn:userTask id="archive"/><bpmn:endEvent id="end"/>').replace('targetRef="end"/>\n<bpmn:sequenceFlow id="decide_end" sourceRef="decide" targetRef="end"/>', 'targetRef="end"/>\n<bpmn:sequenceFlow id="decide_end" sourceRef="decide" targetRef="archive"/><bpmn:sequenceFlow id="archive_end" sourceRef="archive" targetRef="end"/>'));
    const started = startInstance(v1);
    expect(migrationProblems(v1, v2, fromStorage(started))).toEqual([]);
    const migrated = migrateToVersion(v1, v2, fromStorage(started), { from: 1, to: 2 });
    expect(migrated.activeElementIds).toEqual(['check']);
    expect(migrated.effects).toEqual([]);
    let step = migrated;
    for (const event of [{ type: 'task.complete', elementId: 'check' }, { type: 'job.complete', elementId: 'verify' }, { type: 'timer', elementId: 'wait' }, { type: 'task.complete', elementId: 'decide' }] as const) step = applyEvent(v2, fromStorage(step), event)!;
    expect(step.activeElementIds).toEqual(['archive']);
  });

  it('refuses, naming the elements, when a running step is gone, moved, retyped or opens something else', async () => {
    const v1 = await compile(straight());
    const started = fromStorage(startInstance(v1));
    const gone = await compile(straight().replaceAll('"check"', '"check2"').replace('check_verify" sourceRef="check"', 'check_verify" sourceRef="check2"').replace('targetRef="check"', 'targetRef="check2"'));
    const problem = refusal(() => migrateToVersion(v1, gone, started, { from: 1, to: 2 }));
    expect(problem).toMatchObject({ code: 'migration.no-counterpart', status: 'unprocessable', elements: ['check'] });
    expect(problem.vi).toContain('phiên bản 2');
    const retyped = await compile(straight().replace('<bpmn:userTask id="check" name="Kiểm tra"/>', '<bpmn:manualTask id="check"/>'));
    expect(migrationProblems(v1, retyped, started).map((detail) => detail.elementId)).toEqual(['check']);
    // A boundary timer added to the waiting step would not be armed: refused.
    const armed = await compile(straight(timerBoundary));
    expect(migrationProblems(v1, armed, started).map((detail) => detail.elementId)).toEqual(['check']);
    // A step in a parallel block the instance is running, whose branches changed.
    const p1 = await compile(parallel);
    const p2 = await compile(parallel.replace('<bpmn:userTask id="tax"/>', '<bpmn:userTask id="tax"/><bpmn:userTask id="land"/>').replace('<bpmn:sequenceFlow id="tax_join"', '<bpmn:sequenceFlow id="split_land" sourceRef="split" targetRef="land"/><bpmn:sequenceFlow id="land_join" sourceRef="land" targetRef="join"/><bpmn:sequenceFlow id="tax_join"'));
    const inBlock = fromStorage(startInstance(p1));
    expect(migrationProblems(p1, p2, inBlock).map((detail) => detail.elementId)).toEqual(['split']);
    // Past the block, the same change does not matter.
    const past = walk(p1, { type: 'task.complete', elementId: 'police' }, { type: 'task.complete', elementId: 'police2' }, { type: 'task.complete', elementId: 'tax' });
    expect(migrateToVersion(p1, p2, fromStorage(past), { from: 1, to: 2 }).activeElementIds.sort()).toEqual(['draft', 'sign']);
  });
});
