// The console's data pages in one registration: push records, statistics, push tasks, sandbox phones.
import type { FastifyInstance } from 'fastify';
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
}
