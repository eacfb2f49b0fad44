import { readFile, writeFile } from 'node:fs/promises';
import { launchChromium } from '../test/support/browser.ts';
import { pdfToPngs } from '../test/support/pdf-png.ts';
const browser = await launchChromium();
const pngs = await pdfToPngs(browser, new Uint8Array(await readFile('/tmp/des/report.pdf')), 1.3);
for (const [i, png] of pngs.entries()) await writeFile(`/tmp/des/page-${i + 1}.png`, png);
console.log(pngs.length);
await browser.close();
