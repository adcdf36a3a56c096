// Request/answer over a forked child's IPC channel: the parent calls `child.call(op, args)`, the child
// `serve({ op: handler })`. Messages without an id (e.g. streamed receipts) go to `onMessage`.
import { fork } from 'node:child_process';

export function serve(handlers) {
  process.on('message', async (m) => {
    if (!m || m.id === undefined) return;
    try {
      const handler = handlers[m.op];
      if (!handler) throw new Error(`unknown op ${m.op}`);
      process.send({ id: m.id, ok: true, value: await handler(m.args ?? {}) });
    } catch (err) {
      process.send({ id: m.id, ok: false, error: err instanceof Error ? err.stack : String(err) });
    }
  });
  process.send({ type: 'ready' });
}

/** Forks `script`, resolves when it reports ready. */
export function spawnChild(script, { args = [], execArgv = [], env, onMessage } = {}) {
  const child = fork(script, args, {
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const pending = new Map();
  let next = 0;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.on('message', (m) => {
    if (m?.id !== undefined) {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    } else onMessage?.(m);
  });
  const ready = new Promise((resolve, reject) => {
    child.on('message', (m) => m?.type === 'ready' && resolve());
    exited.then(({ code, signal }) => reject(new Error(`${script} exited (${code ?? signal}) before ready`)));
  });
  exited.then(({ code, signal }) => {
    for (const p of pending.values()) p.reject(new Error(`${script} exited (${code ?? signal})`));
    pending.clear();
  });
  return ready.then(() => ({
    pid: child.pid,
    process: child,
    call(op, args) {
      return new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        child.send({ id, op, args });
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  }));
}
