import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseBpmn } from '../../engine/bpmn/parse.ts';
import { QuyTrinhError } from '../../engine/errors.ts';

const diagram = await readFile(new URL('../fixtures/receipt.bpmn', import.meta.url), 'utf8');

describe('parseBpmn', () => {
  it('reads a BPMN model into its elements', async () => {
    const model = await parseBpmn(diagram);
    expect(model.definitions.$type).toBe('bpmn:Definitions');
    expect(model.elementsById['Task_receive']).toMatchObject({ $type: 'bpmn:UserTask', name: 'Tiếp nhận, kiểm tra hồ sơ' });
    expect(model.warnings).toEqual([]);
  });

  it.each([
    ['plain text', 'không phải XML'],
    ['XML of another vocabulary', '<html><body/></html>'],
    ['an empty file', ''],
  ])('refuses %s with a typed bilingual error', async (_name, xml) => {
    const error = await parseBpmn(xml).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QuyTrinhError);
    expect(error).toMatchObject({ kind: 'invalid-model', code: 'bpmn.unreadable', details: [{ field: 'xml' }] });
    expect((error as QuyTrinhError).text.vi).toMatch(/^Tệp không phải là mô hình BPMN 2\.0 hợp lệ/);
    expect((error as QuyTrinhError).text.en).toMatch(/^The file is not a valid BPMN 2\.0 model/);
  });
});
