import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseRestructuringXml } from '../../engine/cost/restructuring.ts';
import { projectRoot } from '../../server/paths.ts';
import { differencesOf, diffMarkers, reconcileChanges, rowKey, rowOfElement } from '../../designer/src/compare/change-list.ts';
import { semanticDiff } from '../../designer/src/compare/semantic-diff.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const catalogueModel = (stage: 'as-is' | 'to-be') => readFile(path.join(projectRoot, `processes/dang-ky-khai-sinh/${stage}.bpmn`), 'utf8');

describe('the compare view: semantic diff, server changes, markers', () => {
  it('diffs the birth-registration pair inside its pool, though the pools have different ids', async () => {
    const diff = await semanticDiff(await catalogueModel('as-is'), await catalogueModel('to-be'));
    const entry = (kind: string, id: string) => diff.find((candidate) => candidate.kind === kind && (candidate.asIsId === id || candidate.toBeId === id));
    expect(entry('removed', 'Task_nop')).toMatchObject({ asIsId: 'Task_nop', type: 'bpmn:Task' });
    expect(entry('added', 'Task_nop_truc_tuyen')).toMatchObject({ toBeId: 'Task_nop_truc_tuyen', type: 'bpmn:UserTask' });
    expect(entry('changed', 'Task_bo_sung')?.attributes).toEqual(expect.arrayContaining(['type', 'name', 'applicantHours', 'trips']));
    // The pool is the same procedure: its name changed and its process became executable, reported with each side's own id.
    expect(diff.filter((candidate) => candidate.type === 'bpmn:Participant')).toEqual([
      { kind: 'changed', asIsId: 'Participant_Process_dang_ky_khai_sinh_as_is', toBeId: 'Participant_Process_dang_ky_khai_sinh', type: 'bpmn:Participant', name: expect.stringContaining('sau tái cấu trúc'), attributes: ['name', 'isExecutable'] },
    ]);
    // Lanes changed only by the tasks they hold are not reported as changed; the applicant's lane is, for the to-be marks it (qt:applicant, docs/dossiers.md).
    expect(diff.filter((candidate) => candidate.type === 'bpmn:Lane').map((candidate) => [candidate.kind, candidate.toBeId ?? candidate.asIsId])).toEqual([['added', 'Lane_he_thong'], ['changed', 'Lane_nguoi_yeu_cau']]);
    expect(entry('changed', 'Lane_nguoi_yeu_cau')?.attributes).toEqual(['applicant']);
  });

  it('ignores a change of layout only', async () => {
    const asIs = await catalogueModel('as-is');
    const moved = asIs.replace(/(<bpmndi:BPMNShape id="Task_nop_di"[^>]*>\s*<dc:Bounds x=")(\d+)/, (_match, head: string, x: string) => `${head}${Number(x) + 60}`);
    expect(moved).not.toBe(asIs);
    expect(await semanticDiff(asIs, moved)).toEqual([]);
  });

  it('gives each difference the server’s cost effect and marks removed, added and changed on the right side', async () => {
    const [asIs, toBe] = [await catalogueModel('as-is'), await catalogueModel('to-be')];
    const analysis = await analyseRestructuringXml(asIs, toBe);
    const rows = reconcileChanges(await semanticDiff(asIs, toBe), analysis.changes);
    // Every change the server costed is on exactly one row, with its figures.
    for (const change of analysis.changes) {
      const costed = rows.filter((row) => row.cost?.perYearVnd === change.costEffectPerYearVnd && row.name === change.name);
      expect(costed, change.elementId).toHaveLength(1);
    }
    const nop = rows.find((row) => row.asIsId === 'Task_nop')!;
    expect(nop).toMatchObject({ kind: 'removed', cost: { perDossierVnd: analysis.changes.find((change) => change.elementId === 'Task_nop')!.costEffectVnd } });
    expect(nop.cost!.perDossierVnd).toBeLessThan(0);
    // The costliest first; flows, with no cost of their own, after the steps.
    const effects = rows.map((row) => Math.abs(row.cost?.perYearVnd ?? 0));
    expect(effects).toEqual([...effects].sort((a, b) => b - a));
    expect(rows.at(-1)?.cost).toBeUndefined();

    const markers = diffMarkers(rows);
    expect(markers.asIs.get('Task_nop')).toBe('removed');
    expect(markers.toBe.has('Task_nop')).toBe(false);
    expect(markers.toBe.get('Task_nop_truc_tuyen')).toBe('added');
    expect(markers.asIs.has('Task_nop_truc_tuyen')).toBe(false);
    expect(markers.asIs.get('Task_bo_sung')).toBe('changed');
    expect(markers.toBe.get('Task_bo_sung')).toBe('changed');
    expect(markers.toBe.get('Flow_Task_nop_truc_tuyen_Gateway_bo_sung_xong')).toBe('added');

    // A click on a diagram finds its row on the side clicked only; each row is told apart by its key.
    expect(rowOfElement(rows, 'asIs', 'Task_nop')).toBe(nop);
    expect(rowOfElement(rows, 'toBe', 'Task_nop')).toBeUndefined();
    expect(rowOfElement(rows, 'toBe', 'Task_bo_sung')).toBe(rowOfElement(rows, 'asIs', 'Task_bo_sung'));
    expect(rowOfElement(rows, 'asIs', 'Gateway_qua_han')).toBeUndefined();
    expect(new Set(rows.map(rowKey)).size).toBe(rows.length);
    // What differs, once, in the differ's words.
    const boSung = differencesOf(rowOfElement(rows, 'asIs', 'Task_bo_sung')!);
    expect(boSung).toEqual(expect.arrayContaining(['type', 'name', 'applicantHours', 'trips', 'documents', 'visits']));
    expect(boSung).not.toContain('kind');
    expect(boSung).not.toContain('qt:applicantHours');
    expect(new Set(boSung).size).toBe(boSung.length);
  });

  it('makes one changed row of a step the server pairs by name, and a row for a change only the server sees', async () => {
    const procedure = { attributes: 'qt:hourlyIncomeVnd="25000" qt:subjectsPerYear="1000"' };
    const model = (collect: string, probability: string) => bpmnProcess(`
      <bpmn:startEvent id="start"/>
      <bpmn:userTask id="submit" name="Nộp hồ sơ" qt:applicantHours="1"/>
      <bpmn:exclusiveGateway id="check" default="check_collect"/>
      <bpmn:userTask id="fix" name="Bổ sung" qt:applicantHours="2"/>
      ${collect}
      <bpmn:endEvent id="end"/>
      <bpmn:sequenceFlow id="check_fix" sourceRef="check" targetRef="fix" qt:probability="${probability}"/>
      ${flows('start>submit', 'submit>check', 'fix>check')}
      <bpmn:sequenceFlow id="check_collect" sourceRef="check" targetRef="${collect.match(/id="(\w+)"/)![1]}"/>
      <bpmn:sequenceFlow id="collect_end" sourceRef="${collect.match(/id="(\w+)"/)![1]}" targetRef="end"/>`, procedure);
    const asIs = model('<bpmn:userTask id="collect" name="Nhận kết quả" qt:applicantHours="2" qt:trips="1"/>', '0.5');
    const toBe = model('<bpmn:userTask id="Task_receive" name="Nhận  kết quả" qt:applicantHours="0.5"/>', '0.2');
    const analysis = await analyseRestructuringXml(asIs, toBe);
    const rows = reconcileChanges(await semanticDiff(asIs, toBe), analysis.changes);

    const receive = rows.filter((row) => row.asIsId === 'collect' || row.toBeId === 'Task_receive');
    expect(receive).toHaveLength(1);
    expect(receive[0]).toMatchObject({ kind: 'changed', asIsId: 'collect', toBeId: 'Task_receive', cost: { matchedBy: 'name' } });
    expect(receive[0]!.cost!.perDossierVnd).toBeCloseTo(-1.5 * 25_000);

    // "Bổ sung" is the same step, visited less often: the differ sees only the flow's probability.
    const fix = rows.find((row) => row.asIsId === 'fix');
    expect(fix).toMatchObject({ kind: 'changed', toBeId: 'fix', attributes: [], cost: { differences: ['visits'] } });
    expect(rows.find((row) => row.asIsId === 'check_fix')).toMatchObject({ kind: 'changed', attributes: ['probability'] });

    const markers = diffMarkers(rows);
    expect([markers.asIs.get('collect'), markers.toBe.get('Task_receive'), markers.asIs.get('fix'), markers.toBe.get('fix')]).toEqual(['changed', 'changed', 'changed', 'changed']);
  });
});
