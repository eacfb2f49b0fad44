import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PopupEntries } from 'bpmn-js/lib/features/popup-menu/PopupEntries.js';
import * as ReplaceOptions from 'bpmn-js/lib/features/replace/ReplaceOptions.js';
import { projectRoot } from '../../server/paths.ts';
import { createTranslate, vietnameseFor } from '../../designer/src/modeler/translate-vi.ts';
import { vietnameseForSimulation } from '../../designer/src/modeler/simulation-vi.ts';
import { parseQtNumber } from '../../designer/src/modeler/qt-fields.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

const asIsModel = path.join(projectRoot, 'processes/dang-ky-khai-sinh/as-is.bpmn');

/** Every first argument of `translate('…')` written as a literal in a library's sources (JSDoc examples left out). */
async function translatedLiterals(dir: string): Promise<Set<string>> {
  const found = new Set<string>();
  const files = (await readdir(dir, { recursive: true })).filter((file) => file.endsWith('.js'));
  for (const file of files) {
    const source = await readFile(path.join(dir, file), 'utf8');
    for (const line of source.split('\n')) {
      if (/^\s*(\*|\/\/)/.test(line)) continue;
      for (const match of line.matchAll(/(?<![\w'"`])_?translate\(\s*(['"])((?:\\.|(?!\1).)*)\1\s*[,)]/g)) found.add(match[2]!);
    }
  }
  return found;
}

describe('bpmn-js in Vietnamese: the translate table', () => {
  it('has Vietnamese for every string bpmn-js and diagram-js pass to translate', async () => {
    const literals = [
      ...(await translatedLiterals(path.join(projectRoot, 'node_modules/bpmn-js/lib'))),
      ...(await translatedLiterals(path.join(projectRoot, 'node_modules/diagram-js/lib'))),
      ...(await translatedLiterals(path.join(projectRoot, 'node_modules/diagram-js-minimap/dist'))),
      // None today (its words are written straight into the page, see below): any it starts to translate must have Vietnamese.
      ...(await translatedLiterals(path.join(projectRoot, 'node_modules/bpmn-js-token-simulation/lib'))),
    ];
    // Strings built before translate: the align menu ('Align elements ' + alignment) and the modeling hints (constants).
    const built = [
      ...['left', 'center', 'right', 'top', 'middle', 'bottom'].map((alignment) => `Align elements ${alignment}`),
      'flow elements must be children of pools/participants',
      'Data object must be placed within a pool/participant.',
    ];
    expect(literals.length).toBeGreaterThan(40);
    expect(literals).toContain('Create task');
    expect(literals).toContain('Open minimap');
    const missing = [...literals, ...built].filter((template) => vietnameseFor(template) === undefined);
    expect(missing).toEqual([]);
  });

  it('has Vietnamese for every text the token simulation writes into the page', async () => {
    const dir = path.join(projectRoot, 'node_modules/bpmn-js-token-simulation/lib');
    const texts = new Set<string>();
    for (const file of (await readdir(dir, { recursive: true })).filter((name) => name.endsWith('.js'))) {
      const source = await readFile(path.join(dir, file), 'utf8');
      // Titles and labels of its buttons, the texts of its log and notifications (and their fallbacks
      // for unnamed elements), and words standing alone in its HTML templates.
      for (const pattern of [/(?:title|aria-label)="([^"$]+)"/g, /text: '([^']+)'/g, /\|\| '([A-Z][^']*)'/g, />\s*([A-Z][A-Za-z ]+?)\s*</g, /^\s+([A-Z][a-z]+(?: [A-Z]?[a-z]+)+)\s*(?:<|$)/gm]) {
        for (const match of source.matchAll(pattern)) texts.add(match[1]!);
      }
      for (const match of source.matchAll(/\[ '([A-Z][a-z]+)', [\d.]+ \]/g)) texts.add(`Set animation speed = ${match[1]}`);
    }
    expect([...texts]).toEqual(expect.arrayContaining(['Simulation Log', 'Trigger Event', 'Reset Simulation', 'Service Task', 'No Entries', 'Set animation speed = Slow']));
    // Built around a value: the log's scopes (Log.js), a pause point's two states, a scope's id.
    const built = ['Process started', 'Process finished', 'Process canceled', 'SubProcess started', 'Add pause point', 'Remove pause point', 'Focus process instance 1a2b'];
    expect([...texts, ...built].filter((text) => vietnameseForSimulation(text) === undefined)).toEqual([]);
    expect(vietnameseForSimulation('Process started')).toBe('Quy trình bắt đầu');
    expect(vietnameseForSimulation('Kiểm tra hồ sơ finished')).toBe('Kiểm tra hồ sơ kết thúc');
    expect(vietnameseForSimulation('Set animation speed = Fast')).toBe('Tốc độ mô phỏng: nhanh');
    // A user's name is not one of its words.
    expect(vietnameseForSimulation('Tiếp nhận hồ sơ')).toBeUndefined();
  });

  it('has Vietnamese for every entry of the replace menu, events composed from the glossary', () => {
    const labels = new Set<string>(Object.values(PopupEntries).map((entry) => entry.label));
    for (const options of Object.values(ReplaceOptions)) {
      for (const option of Array.isArray(options) ? options : Object.values(options).flat()) {
        const label = option.label;
        if (typeof label === 'function') {
          const labelFor = label as (element: unknown) => string;
          labels.add(labelFor({ children: [] }));
          labels.add(labelFor({ children: [{}] }));
        } else labels.add(label);
      }
    }
    expect(labels.size).toBeGreaterThan(60);
    expect([...labels].filter((label) => vietnameseFor(label) === undefined)).toEqual([]);
    expect(vietnameseFor('Timer boundary event (non-interrupting)')).toBe('Sự kiện biên hẹn giờ (không ngắt)');
    // The properties panel's header names the same event from its BPMN type.
    expect(vietnameseFor('Timer Boundary Event (Non Interrupting)')).toBe('Sự kiện biên hẹn giờ (không ngắt)');
    expect(vietnameseFor('Message Start Event')).toBe('Sự kiện bắt đầu thông điệp');
  });

  it('has Vietnamese for the BPMN properties panel: its labels, messages and every element type its header names', async () => {
    const dist = await readFile(path.join(projectRoot, 'node_modules/bpmn-js-properties-panel/dist/index.esm.js'), 'utf8');
    // The strings of the BPMN provider (src/provider/bpmn, src/render, src/utils of bpmn-js-properties-panel);
    // each must still be in the bundle, so an upgrade that renames one fails here.
    const panelStrings = [
      'General', 'Name', 'ID', 'Participant ID', 'Participant Name', 'Process ID', 'Process name', 'Executable',
      'Documentation', 'Element documentation', 'Process documentation',
      'ID must be a valid QName.', 'ID must be unique.', 'ID must not be empty.', 'ID must not contain prefix.', 'ID must not contain spaces.',
      'Select an element to edit its properties.', 'Multiple elements are selected. Select a single element to edit its properties.',
      'Multi-instance', 'Loop cardinality', 'Completion condition', 'Completion', 'Cancel remaining instances',
      'Compensation', 'Wait for completion', 'Activity reference', '<none>', 'Create new ...',
      'Error', 'Global error reference', 'Code', 'Escalation', 'Global escalation reference', 'Message', 'Global message reference',
      'Signal', 'Global signal reference', 'Link', 'Value',
      'Timer', 'Type', 'Date', 'Duration', 'Cycle', 'Documentation: Timer events',
      'A specific point in time defined as ISO 8601 combined date and time representation.',
      'A time duration defined as ISO 8601 durations format.', 'A cycle defined as ISO 8601 repeating intervals format.',
      'UTC time', 'UTC plus 2 hours zone offset', '15 seconds', '1 hour and 30 minutes', '14 days', 'every 10 seconds, up to 5 times', 'every day, infinitely',
    ];
    expect(panelStrings.filter((text) => !dist.includes(`translate('${text}'`) && !dist.includes(`'${text}'`))).toEqual([]);
    // The header's type: the BPMN type split into words, as PanelHeaderProvider does, for every type it has an icon for.
    const icons = /var iconsByType = \{([\s\S]*?)\n\};/.exec(dist)?.[1] ?? '';
    const types = [...icons.matchAll(/^\s+'?([A-Za-z]+)'?:/gm)].map((match) => match[1]!);
    expect(types.length).toBeGreaterThan(100);
    const headers = types.map((type) => type.replace(/(\B[A-Z])/g, ' $1').replace(/(\bNon Interrupting)/g, '($1)'));
    expect([...panelStrings, ...headers].filter((text) => vietnameseFor(text) === undefined)).toEqual([]);
  });

  it('switches with the language and keeps the placeholders; English is the identity', () => {
    const language = { current: 'vi' as 'vi' | 'en' };
    const translate = createTranslate(language);
    expect(translate('Open {element}', { element: 'Task_1' })).toBe('Mở Task_1');
    expect(translate('Create task')).toBe('Tạo tác vụ');
    language.current = 'en';
    expect(translate('Create task')).toBe('Create task');
    expect(translate('Open {element}', { element: 'Task_1' })).toBe('Open Task_1');
  });

  it('reads numbers as users type them, refusing what the cost model would refuse', () => {
    expect(parseQtNumber('1,5', 'amount', 'vi')).toEqual({ ok: true, value: 1.5 });
    expect(parseQtNumber(' 28000 ', 'amount', 'vi')).toEqual({ ok: true, value: 28000 });
    expect(parseQtNumber('', 'amount', 'vi')).toEqual({ ok: true, value: undefined });
    expect(parseQtNumber('-3', 'amount', 'vi')).toMatchObject({ ok: false, error: { en: 'Must not be negative' } });
    expect(parseQtNumber('abc', 'amount', 'vi')).toMatchObject({ ok: false });
    expect(parseQtNumber('1.400.000', 'amount', 'vi')).toEqual({ ok: true, value: 1_400_000 });
    expect(parseQtNumber('1,2', 'probability', 'vi')).toMatchObject({ ok: false, error: { en: 'A chance lies between 0 and 1' } });
    expect(parseQtNumber('0,25', 'probability', 'vi')).toEqual({ ok: true, value: 0.25 });
    expect(parseQtNumber('0.25', 'probability', 'en')).toEqual({ ok: true, value: 0.25 });
  });
});

describe.runIf(browserAvailable)('the designer: a step’s applicant hours and the cost per dossier (Chromium)', () => {
  const designer = useDesignerPage();
  const { pageErrors } = designer;

  /** "1.234.567 đ" → 1234567. */
  const amountOf = (text: string | null) => Number((text ?? '').replace(/[^\d]/g, ''));
  const costPerDossier = async () => amountOf(await designer.page.getByTestId('cost-per-dossier').textContent());
  const shape = (id: string) => designer.page.locator(`.djs-element[data-element-id="${id}"]`);
  const panel = () => designer.page.getByTestId('properties-panel');
  /** Clicks an element as a user would, after clicking the empty canvas so no context pad covers it. */
  const select = async (id: string) => {
    const canvas = await designer.page.getByTestId('canvas').boundingBox();
    if (!canvas) throw new Error('canvas has no box');
    await designer.page.mouse.click(canvas.x + canvas.width / 2, canvas.y + canvas.height - 60);
    await shape(id).click();
  };
  const entry = (id: string) => panel().locator(`[data-entry-id="${id}"]`);

  /** The texts a user reads in the properties panel, element type first. */
  const panelTexts = () =>
    panel()
      .locator('.bio-properties-panel-header-type, .bio-properties-panel-group-header-title, .bio-properties-panel-label')
      .allTextContents();

  it('shows a new diagram’s missing attributes, in Vietnamese, as the server lists them', async () => {
    await designer.page.goto(designer.api.url);
    await designer.page.locator('.djs-palette .entry').first().waitFor();
    const problems = designer.page.getByTestId('cost-problems');
    await problems.getByText('Quy trình chưa có “Thu nhập bình quân (VNĐ/giờ)”', { exact: false }).waitFor();
    await expect.poll(() => problems.textContent()).toContain('thu nhập bình quân một giờ');
  });

  it('opens the catalogue’s birth registration (as-is) from a file and shows its cost per dossier and per year', async () => {
    await designer.page.locator('input[type="file"]').setInputFiles(asIsModel);
    await shape('Task_chuan_bi').waitFor();
    await designer.page.getByTestId('cost-per-dossier').waitFor();
    await expect.poll(() => designer.page.getByTestId('cost-per-dossier').textContent()).toMatch(/^\d{1,3}(\.\d{3})* đ$/);
    await expect.poll(() => designer.page.getByTestId('cost-per-year').textContent()).toMatch(/^\d{1,3}(\.\d{3})+ đ$/);
    // Each step's share of the cost per dossier, on the diagram: 0,75 h × 28.000 đ/h + 5.000 đ.
    await expect.poll(() => designer.page.locator('.qt-cost-badge[data-element-id="Task_chuan_bi"]').textContent()).toBe('26.000 đ');
  });

  it('recomputes the cost per dossier when the applicant’s hours of a step change in the qt group', async () => {
    const before = await costPerDossier();
    expect(before).toBeGreaterThan(0);

    await shape('Task_chuan_bi').click();
    await expect.poll(() => panel().locator('.bio-properties-panel-header-type').textContent()).toBe('Tác vụ');
    await panel().getByText('Chi phí & thực thi (qt)').waitFor();
    const hours = panel().getByLabel('Thời gian của người dân (giờ)');
    expect(await hours.inputValue()).toBe('0,75');
    await expect.poll(() => entry('qt-trips').locator('.bio-properties-panel-description').textContent()).toContain('Điều 17.1.b Thông tư 01/2023');

    await hours.fill('5');
    // The step is done once per dossier: (5 − 0,75) h × 28.000 đ/h more.
    await expect.poll(costPerDossier).toBe(before + 119_000);
    await expect.poll(() => designer.page.locator('.qt-cost-badge[data-element-id="Task_chuan_bi"]').textContent()).toBe('145.000 đ');
    await designer.page.screenshot({ path: path.join(screenshots, 'designer-cost-vi.png') });
  });

  it('refuses a negative number on the field, writes nothing and keeps the cost', async () => {
    const hours = panel().getByLabel('Thời gian của người dân (giờ)');
    const costBefore = await costPerDossier();
    await hours.fill('-3');
    await expect.poll(() => entry('qt-applicantHours').locator('.bio-properties-panel-error').textContent()).toBe('Không được là số âm');
    await designer.page.screenshot({ path: path.join(screenshots, 'designer-cost-field-error.png') });
    await hours.fill('abc');
    await expect.poll(() => entry('qt-applicantHours').locator('.bio-properties-panel-error').textContent()).toContain('Hãy nhập số theo cách viết tiếng Việt');
    await designer.page.waitForTimeout(800);
    expect(await costPerDossier()).toBe(costBefore);

    const [download] = await Promise.all([designer.page.waitForEvent('download'), designer.page.getByRole('button', { name: 'Tải BPMN' }).click()]);
    const xml = await readFile(await download.path(), 'utf8');
    expect(xml).toMatch(/<bpmn:task id="Task_chuan_bi"[^>]* qt:applicantHours="5"/);
    expect(xml).toContain('xmlns:qt="urn:quytrinh:bpmn:1.0"');
  });

  it('lists what the cost model lacks when the hourly income is cleared, and a problem selects its element', async () => {
    const participant = shape('Participant_Process_dang_ky_khai_sinh_as_is');
    const box = await participant.boundingBox();
    if (!box) throw new Error('the pool has no box');
    await designer.page.mouse.click(box.x + 5, box.y + box.height / 2);
    await expect.poll(() => panel().locator('.bio-properties-panel-header-type').textContent()).toBe('Bên tham gia');
    const income = panel().getByLabel('Thu nhập bình quân (VNĐ/giờ)');
    expect(await income.inputValue()).toBe('28.000');
    await income.fill('');
    const problems = designer.page.getByTestId('cost-problems');
    const missingIncome = problems.getByRole('button', { name: /Quy trình chưa có “Thu nhập bình quân \(VNĐ\/giờ\)”/ });
    await missingIncome.waitFor();
    await designer.page.screenshot({ path: path.join(screenshots, 'designer-cost-problems.png') });

    await shape('Task_chuan_bi').click();
    await expect.poll(() => panel().locator('.bio-properties-panel-header-type').textContent()).toBe('Tác vụ');
    await missingIncome.click();
    await expect.poll(() => panel().locator('.bio-properties-panel-header-type').textContent()).toBe('Bên tham gia');
    await panel().getByLabel('Thu nhập bình quân (VNĐ/giờ)').fill('28000');
    await designer.page.getByTestId('cost-per-dossier').waitFor();
    await expect(problems.count()).resolves.toBe(0);

    // Nothing selected in this one-pool model: the panel shows the procedure's own figures.
    const canvas = await designer.page.getByTestId('canvas').boundingBox();
    await designer.page.mouse.click(canvas!.x + canvas!.width / 2, canvas!.y + canvas!.height - 60);
    await expect.poll(() => panel().locator('.bio-properties-panel-header-type').textContent()).toBe('Cộng tác');
    expect(await panel().getByLabel('Mã thủ tục').inputValue()).toBe('1.001193');
  });

  it('speaks English after the switch: palette, properties panel and money', async () => {
    const taskEntry = designer.page.locator('.djs-palette .entry.bpmn-icon-task');
    expect(await taskEntry.getAttribute('aria-label')).toBe('Tạo tác vụ');
    const elements = ['Task_chuan_bi', 'Gateway_hop_le', 'Flow_Gateway_hop_le_Task_huong_dan_label', 'Start_sinh', 'Task_tiep_nhan'];
    const vietnamese: string[][] = [];
    for (const id of elements) {
      await select(id);
      await panel().locator('[data-group-id="group-general"]').waitFor();
      vietnamese.push(await panelTexts());
    }

    await designer.page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => taskEntry.getAttribute('aria-label')).toBe('Create task');
    await expect.poll(() => designer.page.getByTestId('cost-per-dossier').textContent()).toMatch(/^\d{1,3}(,\d{3})* VND$/);
    await expect.poll(() => panel().getByText('Cost & execution (qt)').count()).toBe(1);
    await designer.page.screenshot({ path: path.join(screenshots, 'designer-cost-en.png') });

    // Every text of the panel changed with the language: none was left untranslated.
    const english: string[][] = [];
    for (const id of elements) {
      await select(id);
      await panel().locator('[data-group-id="group-general"]').waitFor();
      english.push(await panelTexts());
    }
    expect(english.map((texts) => texts.length)).toEqual(vietnamese.map((texts) => texts.length));
    const untranslated = english.flatMap((texts, element) => texts.filter((text, index) => text === vietnamese[element]![index]));
    expect(untranslated).toEqual([]);
    expect(english[2]).toContain('Chance of this flow (0–1)');

    await designer.page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(() => taskEntry.getAttribute('aria-label')).toBe('Tạo tác vụ');
  });

  it('logged no error or warning in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
