import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/**
 * Browser tests need Debian's Chromium. CI installs it (.ci/run) and must run them; on a
 * developer machine without it they are skipped with a note saying how to get it.
 */
export const browserAvailable = existsSync(chromiumPath);
if (!browserAvailable) {
  if (process.env.CI) throw new Error(`${chromiumPath} is missing: CI must install Debian's chromium before the browser tests`);
  console.warn(`Browser tests skipped: ${chromiumPath} is missing (apt-get install chromium)`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    // The flags Debian's Chromium needs here: root (no sandbox), no GPU, and no calls home
    // (this machine has no network beyond loopback).
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
