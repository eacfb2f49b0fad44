/**
 * The procedure catalogue (`processes/`): one folder per real administrative procedure, with its
 * as-is model (Circular 01 Art. 16), its to-be model (Art. 17), `procedure.json` (names, national
 * code, level, legal basis, agencies and the source of every figure the models use, Art. 18) and
 * the events of a sample run of the to-be (`run.json`).
 *
 * This module is the one reader of those folders: the schema of `procedure.json` and of the run
 * files, and `loadCatalogue`, which reads every folder or fails naming each file and field that
 * is wrong.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ProcessGraph } from '../bpmn/process-graph.ts';
import { readProcess } from '../bpmn/read-process.ts';
import { FORM_SYMBOL, makeFormCode, nationalProcedureCodeSchema } from '../codes/form-code.ts';
import { isQuyTrinhError, QuyTrinhError, type ErrorDetail } from '../errors.ts';
import { parseForm, type Form } from '../forms/form-schema.ts';
import { runEventsSchema, type RunEvent } from '../runtime/run-events.ts';

/** Where a procedure is carried out (the level of the competent authority). */
export const PROCEDURE_LEVELS = ['commune', 'district', 'province', 'ministry'] as const;
export type ProcedureLevel = (typeof PROCEDURE_LEVELS)[number];

/** The two models of a catalogue entry, as `figures[].model` names them (`both`: the same figure in each). */
export const MODEL_NAMES = ['as-is', 'to-be'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

const text = z.string().trim().min(1);
const bilingual = z.object({ vi: text, en: text }).strict();

/** One number used in a model, with where it comes from (Circular 02/2017 Art. 27.2: say which source, take the lower average). */
export const figureSchema = z
  .object({
    /** The element id carrying the attribute, or `process` for the process-level attributes. */
    element: text,
    model: z.enum([...MODEL_NAMES, 'both']),
    /** The attribute as written in the model, e.g. `qt:feeVnd`. */
    attribute: z.string().regex(/^qt:[A-Za-z]+$/, 'a qt attribute such as qt:feeVnd'),
    value: z.number().min(0),
    source: text,
    /** true when the figure is the analyst's estimate rather than a sourced fact. */
    estimate: z.boolean(),
  })
  .strict();
export type Figure = z.infer<typeof figureSchema>;

export const procedureSchema = z
  .object({
    /** The folder name: lower-case Vietnamese without diacritics, words joined by hyphens. */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case folder name'),
    name: bilingual,
    /** The code in the National Database of administrative procedures (e.g. 1.001193), or null when not known for sure. */
    procedureCode: nationalProcedureCodeSchema.nullable(),
    procedureCodeNote: text.nullable().optional(),
    level: z.enum(PROCEDURE_LEVELS),
    legalBasis: z.array(z.object({ document: text, articles: text, note: text }).strict()).min(1),
    agencies: z.array(z.object({ name: bilingual, role: text }).strict()).min(1),
    figures: z.array(figureSchema),
    /** Ids of the inter-connected procedures (Circular 01 Art. 16.4). */
    related: z.array(z.string()),
    notes: z.array(text).optional(),
  })
  .strict()
  .superRefine((procedure, context) => {
    if (procedure.procedureCode === null && !procedure.procedureCodeNote) {
      context.addIssue({ code: 'custom', path: ['procedureCodeNote'], message: 'say why the national procedure code is not given' });
    }
    const seen = new Set<string>();
    procedure.figures.forEach((figure, index) => {
      const models = figure.model === 'both' ? MODEL_NAMES : [figure.model];
      for (const model of models) {
        const key = `${model} ${figure.element} ${figure.attribute}`;
        if (seen.has(key)) context.addIssue({ code: 'custom', path: ['figures', index], message: `a second figure for ${key}` });
        seen.add(key);
      }
    });
  });
export type Procedure = z.infer<typeof procedureSchema>;



/** `run-variables.json`: the variables the to-be starts with. */
const startVariables = z.record(z.string(), z.unknown());

export interface CatalogueEntry {
  /** The folder name, equal to `procedure.id`. */
  folder: string;
  dir: string;
  procedure: Procedure;
  /** BPMN XML of the two models. */
  models: Record<ModelName, string>;
  run: {
    /** `run.json`: drives the to-be from its start to its end. */
    events: RunEvent[];
    /** `run-variables.json`: the start variables, if any. */
    variables: Record<string, unknown>;
    /** `run-called.json`: drives the to-be when another procedure's call activity starts it (it then starts with the caller's variables). */
    calledEvents?: RunEvent[] | undefined;
  };
  /**
   * `forms/<symbol>.form.json`: the form-js forms the to-be's qt:form attributes name (Circular 01
   * Art. 22), each with its code `<procedure code>.<symbol>` (Art. 22.3.b), which is also its `id`.
   */
  forms: CatalogueForm[];
}

export interface CatalogueForm {
  symbol: string;
  code: string;
  schema: Form;
}

/**
 * Reads every folder of the catalogue directory, in name order. A folder lacking a file, a file
 * that is not JSON, or a `procedure.json` that does not match the schema is refused with every
 * problem found, each naming its file and field.
 */
export async function loadCatalogue(dir: string): Promise<CatalogueEntry[]> {
  const problems: ErrorDetail[] = [];
  const folders = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const entries: CatalogueEntry[] = [];
  for (const folder of folders) {
    const entry = await loadEntry(path.join(dir, folder), folder, problems);
    if (entry) entries.push(entry);
  }
  if (problems.length > 0) {
    throw new QuyTrinhError('invalid-input', 'catalogue.invalid', {
      vi: `Danh mục thủ tục có ${problems.length} lỗi`,
      en: `The procedure catalogue has ${problems.length} problem(s)`,
    }, problems);
  }
  return entries;
}

async function loadEntry(dir: string, folder: string, problems: ErrorDetail[]): Promise<CatalogueEntry | undefined> {
  const before = problems.length;
  const procedure = await readJson(dir, folder, 'procedure.json', procedureSchema, problems);
  if (procedure && procedure.id !== folder) problems.push({ field: `${folder}/procedure.json: id`, message: `the id must be the folder name "${folder}", got "${procedure.id}"` });
  const asIs = await readText(dir, folder, 'as-is.bpmn', problems);
  const toBe = await readText(dir, folder, 'to-be.bpmn', problems);
  const events = await readJson(dir, folder, 'run.json', runEventsSchema, problems);
  const variablesFile = existsSync(path.join(dir, 'run-variables.json')) ? await readJson(dir, folder, 'run-variables.json', startVariables, problems) : {};
  const calledEvents = existsSync(path.join(dir, 'run-called.json')) ? await readJson(dir, folder, 'run-called.json', runEventsSchema, problems) : undefined;
  const forms = toBe === undefined ? [] : await loadForms(dir, folder, toBe, problems);
  if (problems.length > before || !procedure || asIs === undefined || toBe === undefined || !events || !variablesFile) return undefined;
  return { folder, dir, procedure, models: { 'as-is': asIs, 'to-be': toBe }, run: { events, variables: variablesFile, calledEvents }, forms };
}

const FORM_FILE = /^(?<symbol>.+)\.form\.json$/;

/**
 * The entry's forms, in symbol order: every `forms/*.form.json` must be a form the product runs
 * (engine/forms), be named by a valid symbol and carry the code of the to-be's procedure; every
 * qt:form of the to-be must have its file. A model naming a form nobody wrote would be deployed
 * with a step no one can fill in.
 */
async function loadForms(dir: string, folder: string, toBe: string, problems: ErrorDetail[]): Promise<CatalogueForm[]> {
  let graph: ProcessGraph;
  try {
    graph = await readProcess(toBe);
  } catch (error) {
    if (!isQuyTrinhError(error)) throw error;
    problems.push({ field: `${folder}/to-be.bpmn`, message: error.text.en });
    return [];
  }
  const formsDir = path.join(dir, 'forms');
  const files = existsSync(formsDir) ? (await readdir(formsDir)).filter((file) => file.endsWith('.json')).sort() : [];
  const forms: CatalogueForm[] = [];
  for (const file of files) {
    const where = `${folder}/forms/${file}`;
    const symbol = FORM_FILE.exec(file)?.groups?.symbol;
    if (symbol === undefined || !FORM_SYMBOL.test(symbol)) {
      problems.push({ field: where, message: 'a form file is named <symbol>.form.json, the symbol of lower-case letters, digits and hyphens' });
      continue;
    }
    const value = await readJson(formsDir, `${folder}/forms`, file, z.unknown(), problems);
    if (value === undefined) continue;
    let schema: Form;
    try {
      schema = parseForm(value, `${where}: form`);
    } catch (error) {
      if (!isQuyTrinhError(error)) throw error;
      problems.push(...error.details);
      continue;
    }
    const procedureCode = graph.procedure.procedureCode;
    if (procedureCode === undefined) {
      problems.push({ field: `${folder}/to-be.bpmn`, message: 'a procedure with forms needs qt:procedureCode on its process (the first part of the form code)' });
      continue;
    }
    const code = makeFormCode({ procedureCode, symbol });
    if (schema.id !== code) problems.push({ field: `${where}: id`, message: `the id must be the form code "${code}" (Circular 01 Art. 22.3.b), got "${schema.id}"` });
    else forms.push({ symbol, code, schema });
  }
  for (const node of graph.nodes.values()) {
    if (node.qt.form !== undefined && !files.includes(`${node.qt.form}.form.json`)) {
      problems.push({ field: `${folder}/to-be.bpmn: ${node.id}`, elementId: node.id, message: `qt:form="${node.qt.form}" names a form that has no file forms/${node.qt.form}.form.json` });
    }
  }
  return forms;
}

async function readText(dir: string, folder: string, file: string, problems: ErrorDetail[]): Promise<string | undefined> {
  try {
    return await readFile(path.join(dir, file), 'utf8');
  } catch (error) {
    problems.push({ field: `${folder}/${file}`, message: `cannot be read: ${error instanceof Error ? error.message : String(error)}` });
    return undefined;
  }
}

async function readJson<Schema extends z.ZodType>(dir: string, folder: string, file: string, schema: Schema, problems: ErrorDetail[]): Promise<z.output<Schema> | undefined> {
  const content = await readText(dir, folder, file, problems);
  if (content === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    problems.push({ field: `${folder}/${file}`, message: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
    return undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push({ field: `${folder}/${file}: ${issue.path.join('.') || '(root)'}`, message: issue.message });
    return undefined;
  }
  return parsed.data;
}
