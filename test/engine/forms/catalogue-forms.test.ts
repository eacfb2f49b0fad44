import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readProcess } from '../../../engine/bpmn/read-process.ts';
import { loadCatalogue, type CatalogueEntry } from '../../../engine/catalogue/index.ts';
import { parseFormCode } from '../../../engine/codes/form-code.ts';
import { formFields, parseForm, prefill, validateSubmission } from '../../../engine/forms/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const catalogue = await loadCatalogue(path.join(root, 'processes'));
const samples = JSON.parse(await readFile(path.join(root, 'test/fixtures/forms/samples.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;

const entryNames = catalogue.map((entry) => [entry.folder, entry] as [string, CatalogueEntry]);

describe('the forms of the catalogue (processes/<id>/forms)', () => {
  it.each(entryNames)('%s: every qt:form of the to-be has its form, coded <procedure code>.<symbol>', async (_folder, entry) => {
    const graph = await readProcess(entry.models['to-be']);
    const named = new Set([...graph.nodes.values()].flatMap((node) => (node.qt.form === undefined ? [] : [node.qt.form])));
    expect(named.has('to-khai')).toBe(true);
    expect(new Set(entry.forms.map((form) => form.symbol))).toEqual(named);
    for (const form of entry.forms) {
      expect(parseFormCode(form.code)).toEqual({ procedureCode: graph.procedure.procedureCode, symbol: form.symbol });
      expect(form.schema.id).toBe(form.code);
      // the stored schema is the file as written, which form-js renders
      expect(parseForm(JSON.parse(await readFile(path.join(entry.dir, 'forms', `${form.symbol}.form.json`), 'utf8')))).toEqual(form.schema);
    }
  });

  it.each(entryNames)("%s: the application form fills the requester from the holder's data and asks for the commitment", (_folder, entry) => {
    const application = entry.forms.find((form) => form.symbol === 'to-khai')!.schema;
    const { fields } = prefill(application, {
      fullName: 'Nguyễn Thị Hoa',
      idNumber: '001190012345',
      dateOfBirth: '1990-04-12',
      phone: '0912345678',
      address: { province: 'Hà Nội', commune: 'Phường Cầu Giấy', street: 'Số 12, ngõ 5' },
    });
    expect(fields.length).toBeGreaterThanOrEqual(2);
    expect(formFields(application).find(({ component }) => component.key === 'camKet')?.component).toMatchObject({ type: 'checkbox', validate: { required: true } });
  });

  it.each(entryNames)('%s: a sample submission of each form passes, and the same without its first required field does not', (folder, entry) => {
    for (const form of entry.forms) {
      const sample = samples[folder]?.[form.symbol];
      expect(sample, `${folder}/${form.symbol}`).toBeDefined();
      const variables = validateSubmission(form.schema, sample);
      // every field sent is a variable; a checkbox not sent is false
      expect(Object.keys(sample!).every((key) => key in variables)).toBe(true);
      expect(Object.entries(variables).every(([key, value]) => key in sample! || value === false)).toBe(true);
      const required = formFields(form.schema).find(({ component }) => component.validate?.required === true && component.type !== 'checkbox');
      if (required) {
        const { [required.component.key]: _left, ...without } = sample!;
        expect(() => validateSubmission(form.schema, without)).toThrow(expect.objectContaining({ code: 'form.invalid', details: [expect.objectContaining({ field: `body.data.${required.component.key}` })] }));
      }
    }
  });

  it("sets the gateways' variables from the officials' decision forms, a checkbox left unticked being false", () => {
    const appraisal = catalogue.find((entry) => entry.folder === 'cap-giay-phep-xay-dung-nha-o-rieng-le')!.forms.find((form) => form.symbol === 'ket-qua-tham-dinh')!;
    expect(validateSubmission(appraisal.schema, { duDieuKien: true })).toEqual({ duDieuKien: true, canDieuChinh: false });
  });

  it("refuses one procedure's application sent as another's", () => {
    const birth = catalogue.find((entry) => entry.folder === 'dang-ky-khai-sinh')!.forms.find((form) => form.symbol === 'to-khai')!;
    const passportSample = samples['cap-ho-chieu-pho-thong']!['to-khai']!;
    expect(() => validateSubmission(birth.schema, passportSample)).toThrow(expect.objectContaining({ details: expect.arrayContaining([expect.objectContaining({ field: 'body.data.loaiHoChieu' })]) as unknown }));
  });
});
