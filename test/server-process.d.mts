/** Types for server-process.mjs, so TypeScript tests can start real servers. */
import type { ChildProcess } from 'node:child_process';

export function freePort(): Promise<number>;

export interface StartedServer {
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function startServer(options: { dataDir: string; seedCustomers?: number; env?: Record<string, string> }): Promise<StartedServer>;
