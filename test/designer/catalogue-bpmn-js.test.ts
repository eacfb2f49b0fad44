import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readProcess } from '../../engine/bpmn/read-process.ts';
import { qtModdleDescriptor } from '../../engine/bpmn/qt-extension.ts';
import { loadCatalogue, MODEL_NAMES, type CatalogueEntry } from '../../engine/catalogue/index.ts';
import { projectRoot } from '../../server/paths.ts';
import { browserAvailable, launchChromium } from '../support/browser.ts';

const catalogue: CatalogueEntry[] = await loadCatalogue(path.join(projectRoot, 'processes'));
const cases = catalogue.flatMap((entry) => MODEL_NAMES.map((model) => [entry.folder, model, entry.models[model]] as const));

/** What bpmn-js made of a model: its import warnings, the elements it drew, and the XML it saves. */
interface Imported {
  warnings: string[];
  drawn: string[];
  xml: string;
}

// Circular 01 Art. 16–17: every catalogue model must open in the modeler staff draw with.
describe.runIf(browserAvailable)('the catalogue in bpmn-js (Chromium)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.setContent('<div id="canvas" style="width: 1300px; height: 700px"></div>');
    await page.addScriptTag({ path: path.join(projectRoot, 'node_modules/bpmn-js/dist/bpmn-modeler.production.min.js') });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it.each(cases)('%s/%s.bpmn imports with no warning, draws every element and saves its qt attributes back', async (_folder, _model, xml) => {
    const imported = await page.evaluate(
      async ({ xml, qt }): Promise<Imported> => {
        const { BpmnJS } = window as unknown as { BpmnJS: new (options: object) => any };
        const modeler = new BpmnJS({ container: '#canvas', moddleExtensions: { qt } });
        try {
          const { warnings } = await modeler.importXML(xml);
          const drawn = modeler.get('elementRegistry').getAll().map((element: { id: string }) => element.id);
          const saved = await modeler.saveXML({ format: true });
          return { warnings: warnings.map((warning: { message: string }) => warning.message), drawn, xml: saved.xml };
        } finally {
          modeler.destroy();
        }
      },
      { xml, qt: qtModdleDescriptor },
    );
    expect(imported.warnings).toEqual([]);
    const graph = await readProcess(xml);
    for (const id of [...graph.nodes.keys(), ...graph.flows.keys()]) expect(imported.drawn, id).toContain(id);

    const roundTrip = await readProcess(imported.xml);
    expect([...roundTrip.nodes.values()].map((node) => [node.id, node.kind, node.lane, node.qt])).toEqual([...graph.nodes.values()].map((node) => [node.id, node.kind, node.lane, node.qt]));
    expect([...roundTrip.flows.values()]).toEqual([...graph.flows.values()]);
    expect(roundTrip.procedure).toEqual(graph.procedure);
  });
});
