import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../server/paths.ts';
import { browserAvailable } from '../support/browser.ts';
import { screenshots, useDesignerPage } from '../support/designer-page.ts';

/** The largest catalogue model: the inter-connected birth, residence and health-insurance procedure (Circular 01 Art. 16.4). */
const largeModel = path.join(projectRoot, 'processes/lien-thong-khai-sinh-thuong-tru-bhyt/as-is.bpmn');

describe.runIf(browserAvailable)('the designer at 1366×768 with a large catalogue model (Chromium)', () => {
  const designer = useDesignerPage();

  it('shows the whole diagram inside the canvas and nothing wider than the screen', async () => {
    const page = designer.page;
    await page.goto(designer.api.url);
    await page.locator('.djs-palette .entry').first().waitFor();
    await page.locator('input[type="file"]').setInputFiles(largeModel);
    await page.getByTestId('cost-per-dossier').waitFor();
    await page.screenshot({ path: path.join(screenshots, 'designer-1366.png') });

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(768);
    // Every shape of the diagram inside the canvas, right of the palette that floats over it.
    const canvas = (await page.getByTestId('canvas').boundingBox())!;
    const palette = (await page.locator('.djs-palette').boundingBox())!;
    const shapes = await page.locator('.djs-element.djs-shape > .djs-visual').evaluateAll((visuals) =>
      visuals.map((visual) => {
        const box = visual.getBoundingClientRect();
        return { id: visual.parentElement!.dataset.elementId, left: box.left, top: box.top, right: box.right, bottom: box.bottom };
      }),
    );
    expect(shapes.length).toBeGreaterThan(30);
    const outside = shapes.filter((shape) => shape.left < palette.x + palette.width || shape.top < canvas.y || shape.right > canvas.x + canvas.width || shape.bottom > canvas.y + canvas.height);
    expect(outside).toEqual([]);
    // The toolbar, the cost panel and the properties panel: no control cut off at the right edge.
    const cut = await page.locator('.toolbar > *, .inspector *').evaluateAll((elements) =>
      elements.filter((element) => element.getBoundingClientRect().width > 0 && element.getBoundingClientRect().right > 1366 + 0.5).map((element) => element.outerHTML.slice(0, 80)),
    );
    expect(cut).toEqual([]);
  });

  it('keeps the toolbar to one line, in Vietnamese and in English', async () => {
    const page = designer.page;
    /** Whether the toolbar's controls stand on one line: every one of them overlaps every other vertically. */
    const oneLine = () =>
      page.locator('.toolbar > *').evaluateAll((elements) => {
        const boxes = elements.map((element) => element.getBoundingClientRect()).filter((box) => box.width > 0 && box.height > 0);
        return Math.max(...boxes.map((box) => box.top)) < Math.min(...boxes.map((box) => box.bottom));
      });
    expect(await oneLine()).toBe(true);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Tiếng Việt' }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'designer-1366-en.png') });
    expect(await oneLine()).toBe(true);
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
  });

  it('logged no error or warning in the page', () => {
    expect(designer.pageErrors).toEqual([]);
  });
});
