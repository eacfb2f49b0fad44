import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs (pino). On an interactive terminal they are pretty-printed so that a
 * person running `npm start` can read them; pipes and CI get one JSON object per line.
 */
export function createLogger(level: string, pretty = process.stdout.isTTY === true): Logger {
  if (!pretty) return pino({ level, base: { app: 'quytrinh' } });
  return pino({
    level,
    base: undefined,
    transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } },
  });
}
