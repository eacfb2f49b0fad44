import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type * as PdfJs from 'pdfjs-dist';

const pdfjsBuild = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/build/pdf.mjs'));

/**
 * Renders each page of a PDF to a PNG in Chromium with pdf.js (the PDF as a reader sees it):
 * a loopback server hands the page pdf.js and the bytes, the page draws them on canvases at
 * `scale` (1 = 72 dpi), and each canvas is screenshotted.
 */
export async function pdfToPngs(browser: Browser, bytes: Uint8Array, scale = 1.5): Promise<Buffer[]> {
  // A copy: pdf.js elsewhere may have taken (detached) the caller's buffer.
  const pdf = Buffer.from(bytes);
  const files: Record<string, () => Promise<Buffer | Uint8Array>> = {
    '/pdf.mjs': () => readFile(path.join(pdfjsBuild, 'pdf.mjs')),
    '/pdf.worker.mjs': () => readFile(path.join(pdfjsBuild, 'pdf.worker.mjs')),
    '/report.pdf': () => Promise.resolve(pdf),
    '/': () => Promise.resolve(Buffer.from('<!doctype html><meta charset="utf-8"><body style="margin:0;background:#888"></body>')),
  };
  const server: Server = createServer((request, response) => {
    const file = files[request.url ?? ''];
    if (!file) return void response.writeHead(404).end();
    void file().then(
      (body) => {
        const type = request.url!.endsWith('.mjs') ? 'text/javascript' : request.url!.endsWith('.pdf') ? 'application/pdf' : 'text/html';
        response.writeHead(200, { 'Content-Type': type }).end(body);
      },
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${port}/`);
    // A module script of the page's own (a dynamic import inside evaluate would be rewritten by the test runner).
    await page.addScriptTag({ type: 'module', content: "import * as pdfjs from '/pdf.mjs'; window.pdfjs = pdfjs;" });
    await page.waitForFunction(() => 'pdfjs' in window);
    const count = await page.evaluate(async (scale) => {
      const pdfjs = (window as unknown as { pdfjs: typeof PdfJs }).pdfjs;
      pdfjs.GlobalWorkerOptions.workerSrc = '/pdf.worker.mjs';
      const document = await pdfjs.getDocument('/report.pdf').promise;
      for (let number = 1; number <= document.numPages; number++) {
        const pdfPage = await document.getPage(number);
        const viewport = pdfPage.getViewport({ scale });
        const canvas = window.document.createElement('canvas');
        canvas.width = viewport.width;
        canvas.height = viewport.height;
        canvas.style.display = 'block';
        canvas.style.marginBottom = '8px';
        canvas.dataset.page = String(number);
        window.document.body.append(canvas);
        await pdfPage.render({ canvas, canvasContext: canvas.getContext('2d')!, viewport }).promise;
      }
      return document.numPages;
    }, scale);
    const pngs: Buffer[] = [];
    for (let number = 1; number <= count; number++) pngs.push(await page.locator(`canvas[data-page="${number}"]`).screenshot());
    return pngs;
  } finally {
    await page.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
