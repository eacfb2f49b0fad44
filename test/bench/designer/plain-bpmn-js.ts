import { once } from 'node:events';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';

/**
 * Plain bpmn-js for the designer bench to measure against: bpmn-js's own prebuilt modeler bundle
 * (dist/bpmn-modeler.production.min.js, no extension, no properties panel, no translation),
 * served on loopback in a page whose canvas has the size of the designer's canvas. The page
 * names its modeler `window.plainModeler`.
 */
export interface PlainBpmnJsServer {
  pageUrl(canvas: { width: number; height: number }): string;
  close(): Promise<void>;
}

export async function startPlainBpmnJs(): Promise<PlainBpmnJsServer> {
  const dist = path.join(path.dirname(createRequire(import.meta.url).resolve('bpmn-js/package.json')), 'dist');
  const app = express();
  app.use('/bpmn-js', express.static(dist));
  app.get('/', (request, response) => {
    const size = (name: string) => Math.round(Number(request.query[name]) || 800);
    response.type('html').send(`<!doctype html>
<html><head><meta charset="utf-8">
<link rel="stylesheet" href="/bpmn-js/assets/diagram-js.css">
<link rel="stylesheet" href="/bpmn-js/assets/bpmn-js.css">
<link rel="stylesheet" href="/bpmn-js/assets/bpmn-font/css/bpmn-embedded.css">
<style>html, body { margin: 0; } #canvas { position: relative; }</style>
</head><body>
<div id="canvas" style="width: ${size('width')}px; height: ${size('height')}px"></div>
<script src="/bpmn-js/bpmn-modeler.production.min.js"></script>
<script>window.plainModeler = new BpmnJS({ container: '#canvas' });</script>
</body></html>`);
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    pageUrl: ({ width, height }) => `http://127.0.0.1:${port}/?width=${width}&height=${height}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
