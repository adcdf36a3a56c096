// The console's data pages in one registration: push records, statistics, push tasks, sandbox phones, and the
// CSV exports of records and statistics.
import type { FastifyInstance } from 'fastify';
import { registerConsoleCsv } from './csv.js';
import { registerConsoleRecords } from './records.js';
import { type ConsoleSandboxPhonesDeps, registerConsoleSandboxPhones } from './sandbox-phones.js';
import { type ConsoleStatisticsDeps, registerConsoleStatistics } from './statistics.js';
import { type ConsoleTasksDeps, registerConsoleTasks } from './tasks.js';

export type ConsoleDataDeps = ConsoleStatisticsDeps & ConsoleTasksDeps & ConsoleSandboxPhonesDeps;

export function registerConsoleData(fastify: FastifyInstance, deps: ConsoleDataDeps): void {
  registerConsoleRecords(fastify, deps);
  registerConsoleStatistics(fastify, deps);
  registerConsoleTasks(fastify, deps);
  registerConsoleSandboxPhones(fastify, deps);
  registerConsoleCsv(fastify, deps);
}
