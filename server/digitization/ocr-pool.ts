/**
 * OCR in Vietnamese (Circular 01 Art. 9.1: data extraction by OCR), offline, with tesseract.js in
 * a pool of recognisers, one per core. tesseract.js runs each recogniser in a worker thread of its
 * own (its WebAssembly Tesseract), so the pool is those threads: wrapping them in piscina would
 * only add an idle thread in front of each. The pool starts on first use and lets its threads go
 * after a minute idle.
 *
 * Nothing is fetched: the `vie` trained data is Debian's `tesseract-ocr-vie` package, read from
 * TESSDATA_PREFIX when it is set (as tesseract itself does) or else the standard paths, given to
 * tesseract.js as `langPath` with `gzip: false` (Debian's file is uncompressed) and
 * `cacheMethod: 'none'` (no copy written to the working directory); its WebAssembly core comes
 * from node_modules. Without the file the product still starts, and OCR answers
 * `digitization.ocr-unavailable` naming the package.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { QuyTrinhError } from '../../engine/errors.ts';
import type { OcrLine } from '../../engine/digitization/extract.ts';

export const OCR_LANGUAGE = 'vie';
const STANDARD_TESSDATA = ['/usr/share/tesseract-ocr/5/tessdata', '/usr/share/tesseract-ocr/4.00/tessdata', '/usr/share/tessdata', '/usr/local/share/tessdata'];
const IDLE_MS = 60_000;

/** The directory holding vie.traineddata: TESSDATA_PREFIX (itself or its tessdata/) when set, else the standard paths. */
export function tessdataDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const prefix = env.TESSDATA_PREFIX;
  const candidates = prefix ? [prefix, path.join(prefix, 'tessdata')] : STANDARD_TESSDATA;
  return candidates.find((directory) => existsSync(path.join(directory, `${OCR_LANGUAGE}.traineddata`)));
}

export function ocrUnavailable(env: NodeJS.ProcessEnv = process.env): QuyTrinhError {
  const looked = env.TESSDATA_PREFIX ? `TESSDATA_PREFIX=${env.TESSDATA_PREFIX}` : STANDARD_TESSDATA.join(', ');
  return new QuyTrinhError('unavailable', 'digitization.ocr-unavailable', {
    vi: `Chưa có dữ liệu nhận dạng tiếng Việt (vie.traineddata, tìm ở ${looked}): cài gói Debian tesseract-ocr-vie (apt-get install tesseract-ocr-vie) để nhận dạng ký tự (OCR); trong khi chờ, cán bộ nhập siêu dữ liệu bằng tay (Thông tư 01/2023 Điều 9.1)`,
    en: `The Vietnamese OCR data (vie.traineddata, looked for in ${looked}) is missing: install the Debian package tesseract-ocr-vie (apt-get install tesseract-ocr-vie) for OCR; meanwhile the official types the metadata (Circular 01/2023 Art. 9.1)`,
  });
}

export interface RecognizedPage {
  text: string;
  /** 0–100. */
  confidence: number;
  lines: OcrLine[];
}

interface Recogniser {
  worker: Worker;
  onProgress: ((progress: number) => void) | undefined;
}

interface Waiting {
  image: Buffer;
  onProgress: (progress: number) => void;
  resolve: (page: RecognizedPage) => void;
  reject: (error: unknown) => void;
}

let idle: Recogniser[] = [];
let started = 0;
const queue: Waiting[] = [];
let idleTimer: NodeJS.Timeout | undefined;
let directory: string | undefined;

async function newRecogniser(langPath: string): Promise<Recogniser> {
  const recogniser: Recogniser = { worker: undefined as unknown as Worker, onProgress: undefined };
  recogniser.worker = await createWorker(OCR_LANGUAGE, OEM.LSTM_ONLY, {
    langPath,
    gzip: false,
    cacheMethod: 'none',
    logger: (message) => {
      if (message.status === 'recognizing text') recogniser.onProgress?.(message.progress);
    },
    errorHandler: () => undefined, // a failed recognition rejects its own promise
  });
  return recogniser;
}

function lines(data: { blocks: Array<{ paragraphs: Array<{ lines: Array<{ text: string; confidence: number }> }> }> | null }): OcrLine[] {
  return (data.blocks ?? []).flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines.map((line) => ({ text: line.text.trim(), confidence: Math.round(line.confidence * 10) / 10 }))));
}

function dispatch(): void {
  while (queue.length > 0) {
    const recogniser = idle.pop();
    if (!recogniser) {
      if (started < os.availableParallelism()) {
        started++;
        newRecogniser(directory!).then(
          (made) => {
            idle.push(made);
            dispatch();
          },
          (error: unknown) => {
            started--;
            queue.shift()?.reject(error);
            dispatch();
          },
        );
      }
      return;
    }
    const job = queue.shift()!;
    recogniser.onProgress = job.onProgress;
    recogniser.worker.recognize(job.image, {}, { text: true, blocks: true }).then(
      (result) => {
        recogniser.onProgress = undefined;
        job.resolve({ text: result.data.text, confidence: result.data.confidence, lines: lines(result.data) });
        release(recogniser);
      },
      (error: unknown) => {
        recogniser.onProgress = undefined;
        job.reject(error);
        release(recogniser);
      },
    );
  }
}

function release(recogniser: Recogniser): void {
  idle.push(recogniser);
  dispatch();
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void closeOcrPool(), IDLE_MS);
  idleTimer.unref();
}

/**
 * Recognises one page image (PNG or JPEG) in Vietnamese; `onProgress` hears 0–1 as Tesseract
 * goes. Throws `digitization.ocr-unavailable` when vie.traineddata is not installed.
 */
export function recognizePage(image: Buffer, onProgress: (progress: number) => void = () => undefined): Promise<RecognizedPage> {
  directory ??= tessdataDirectory();
  if (!directory) return Promise.reject(ocrUnavailable());
  return new Promise((resolve, reject) => {
    queue.push({ image, onProgress, resolve, reject });
    dispatch();
  });
}

/** Ends the recognisers' threads (when the product stops, or after a minute idle). */
export async function closeOcrPool(): Promise<void> {
  clearTimeout(idleTimer);
  const closing = idle;
  idle = [];
  started -= closing.length;
  directory = undefined;
  await Promise.all(closing.map((recogniser) => recogniser.worker.terminate().catch(() => undefined)));
}
