import { describe, expect, it } from 'vitest';
import { MAX_BPMN_ID_LENGTH, MAX_BPMN_NAME_LENGTH, MAX_BPMN_NESTING } from '../../engine/bpmn/limits.ts';
import { parseBpmn } from '../../engine/bpmn/parse.ts';
import type { QuyTrinhError } from '../../engine/errors.ts';
import { bpmnProcess, flows } from '../support/process.ts';

const refusal = (xml: string) => parseBpmn(xml).then(() => undefined, (error: unknown) => error as QuyTrinhError);

/** A task inside `levels` XML levels in all: definitions and process are two of them. */
function nestedTo(levels: number): string {
  let inside = '<bpmn:task id="deepest"/>';
  for (let level = levels - 3; level >= 1; level -= 1) inside = `<bpmn:subProcess id="sub${level}">${inside}</bpmn:subProcess>`;
  return bpmnProcess(inside);
}

describe('the BPMN reader refuses, naming the element', () => {
  it.each([
    ['a NUL written out', 'Kiểm\u0000tra', 'U+0000'],
    ['another C0 control', 'Kiểm\u0001tra', 'U+0001'],
    ['U+FFFF', 'Kiểm\uFFFFtra', 'U+FFFF'],
    ['a reference to NUL', 'Kiểm&#0;tra', 'U+0000'],
    ['a reference to a lone surrogate', 'Kiểm&#xDC00;tra', 'U+DC00'],
    ['a reference beyond Unicode', 'Kiểm&#x110000;tra', 'U+110000'],
  ])('%s', async (_name, name, character) => {
    const error = await refusal(bpmnProcess(`<bpmn:task id="check" name="${name}"/>`));
    expect(error).toMatchObject({ kind: 'invalid-model', code: 'bpmn.invalid-character', details: [{ field: 'xml', elementId: 'check' }] });
    expect(error?.text.en).toContain(character);
    expect(error?.text.en).toMatch(/line \d+, column \d+/);
  });

  it(`elements nested deeper than ${MAX_BPMN_NESTING} levels, and reads ${MAX_BPMN_NESTING}`, async () => {
    expect((await parseBpmn(nestedTo(MAX_BPMN_NESTING))).elementsById['deepest']).toBeDefined();
    const error = await refusal(nestedTo(MAX_BPMN_NESTING + 1));
    expect(error).toMatchObject({ code: 'bpmn.too-deep', details: [{ elementId: 'deepest' }] });
  });

  it('counts only elements: comments, CDATA, processing instructions and quoted ">" do not nest', async () => {
    const noise = `<!-- <a><b><c> --><?pi <x> ?><bpmn:documentation><![CDATA[ <a><b> ]]></bpmn:documentation>`;
    let inside = `<bpmn:task id="deepest" name="a &gt; b">${noise}</bpmn:task>`;
    for (let level = MAX_BPMN_NESTING - 4; level >= 1; level -= 1) inside = `<bpmn:subProcess id="sub${level}" name="x > y">${inside}</bpmn:subProcess>`;
    expect((await parseBpmn(bpmnProcess(inside))).elementsById['deepest']).toBeDefined();
  });

  it(`ids longer than ${MAX_BPMN_ID_LENGTH} characters, names longer than ${MAX_BPMN_NAME_LENGTH}, message names longer than ${MAX_BPMN_ID_LENGTH}`, async () => {
    const longId = 'T'.repeat(MAX_BPMN_ID_LENGTH + 1);
    const error = await refusal(bpmnProcess(`<bpmn:startEvent id="s"/><bpmn:task id="${longId}"/><bpmn:task id="named" name="${'n'.repeat(MAX_BPMN_NAME_LENGTH + 1)}"/>${flows(`s>${longId}`)}`, {
      outside: `<bpmn:message id="Message_result" name="${'m'.repeat(MAX_BPMN_ID_LENGTH + 1)}"/>`,
    }));
    expect(error).toMatchObject({ kind: 'invalid-model', code: 'bpmn.too-long' });
    expect(error?.details.map((detail) => detail.elementId).sort()).toEqual(['Message_result', 'named', `${'T'.repeat(80)}…`, `s_${'T'.repeat(78)}…`].sort());
  });

  it(`reads ids of ${MAX_BPMN_ID_LENGTH} characters and names of ${MAX_BPMN_NAME_LENGTH}`, async () => {
    const id = 'T'.repeat(MAX_BPMN_ID_LENGTH);
    const model = await parseBpmn(bpmnProcess(`<bpmn:task id="${id}" name="${'n'.repeat(MAX_BPMN_NAME_LENGTH)}"/>`));
    expect(model.elementsById[id]).toBeDefined();
  });
});
