/**
 * Logs: one JSON object a line on stdout in production (pino), readable
 * lines in development when pino-pretty is installed (a dev dependency:
 * without it, JSON too).
 *
 * Nothing personal reaches a line. Request lines carry only the request
 * id, method, route pattern (never the raw path or query: a search holds
 * names), status, duration and tenant id; errors are reduced to their type,
 * code, a scrubbed message and the stack frames; and a list of keys is
 * censored wherever it sits, in case an object slips in.
 */
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/** Keys whose values are never written, wherever they sit in a logged object. */
const REDACTED_KEYS = new Set([
  'email', 'emails', 'phone', 'phones', 'phoneNumbers', 'name', 'firstName', 'lastName', 'fullName', 'displayName',
  'address', 'idNumber', 'birthDate', 'note', 'notes', 'text', 'body', 'reason', 'comment',
  'token', 'accessToken', 'access_token', 'authorization', 'cookie', 'password', 'secret', 'jwtSecret',
  'headers', 'query', 'params', 'parameters', 'detail', 'url',
]);
const CENSORED = '[redacted]';

export interface LoggerOptions {
  level: LogLevel;
  /** JSON lines; otherwise pretty lines when pino-pretty is there. */
  json: boolean;
  /** Where lines go (tests capture them); stdout by default. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: safeError },
    // Not pino's `redact`: its wildcard paths cost five times the line itself; this walk costs a lookup per key.
    formatters: { level: (label: string) => ({ level: label }), log: (object: Record<string, unknown>) => censor(object, 0) as Record<string, unknown> },
  };
  const destination = options.destination ?? (options.json ? undefined : prettyStream());
  return destination ? pino(settings, destination) : pino(settings);
}

/** Errors only, as JSON on stderr: for apps built without a logger (tests, benches), as console.error was. */
export function errorLogger(): Logger {
  return createLogger({ level: 'error', json: true, destination: pino.destination(2) });
}

function prettyStream(): DestinationStream | undefined {
  let pretty: (options: object) => DestinationStream;
  try {
    // Synchronous, in this thread: a development server has no load to hide.
    pretty = createRequire(import.meta.url)('pino-pretty');
  } catch {
    return undefined;
  }
  return pretty({
    sync: true,
    colorize: Boolean(process.stdout.isTTY),
    translateTime: 'HH:MM:ss.l',
    ignore: 'pid,hostname',
    singleLine: true,
  });
}

/** A copy with the redacted keys censored, at any depth up to 4; untouched objects are returned as they are. Errors are left to safeError. */
function censor(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Error || depth > 4) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    value.forEach((item, i) => {
      const censored = censor(item, depth + 1);
      if (censored !== item) (copy ??= [...value])[i] = censored;
    });
    return copy ?? value;
  }
  let copy: Record<string, unknown> | null = null;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    const censored = REDACTED_KEYS.has(key) ? CENSORED : censor(item, depth + 1);
    if (censored !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = censored;
  }
  return copy ?? value;
}

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g;
/** Seven or more digits, maybe with spaces, dots, dashes or a leading +: a phone or an id number. */
const DIGITS = /\+?\d[\d\s.\-()]{5,}\d/g;
/** Quoted values ("…", '…'), keeping quoted identifiers such as a constraint name. */
const QUOTED = /(["'])(?![a-z_][a-z0-9_]*\1)[^"'\n]*\1/gi;

/** A message with the values people typed taken out; the words around them stay. */
export function scrub(text: string): string {
  return text
    .replace(/\nparams: [\s\S]*$/, '\nparams: [redacted]')
    .replace(QUOTED, '$1…$1')
    .replace(EMAIL, '[email]')
    .replace(DIGITS, '[digits]');
}

/**
 * What an error may say in a log: drizzle puts the query's parameters in
 * its message and PostgreSQL the offending values in `detail`, so only the
 * type, code, scrubbed message, stack frames and cause are kept.
 */
export function safeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const { code, cause } = err as Error & { code?: unknown; cause?: unknown };
  const frames = (err.stack ?? '').split('\n').filter((line) => line.startsWith('    at ')).map(scrub);
  return {
    type: err.constructor?.name ?? 'Error',
    ...(typeof code === 'string' ? { code } : {}),
    message: scrub(err.message),
    stack: frames.join('\n'),
    ...(cause !== undefined && depth < 3 ? { cause: safeError(cause, depth + 1) } : {}),
  };
}
