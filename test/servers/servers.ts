// Starts, finds, pauses and kills the real storage servers the storage tests run against.
// A server already running (e.g. started by .ci/run) is reused and left running; one we
// start here is stopped by stop(). Under CI=true a server that cannot be started is a test
// failure; locally the dependent tests are skipped with the reason.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
export const CEPH_BASE = process.env.CEPH_BASE ?? '/tmp/cdp-parquet-ceph';
const CEPH_ENV = { ...process.env, BASE: CEPH_BASE };
export const S3_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

async function answers(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await r.body?.cancel();
    return true;
  } catch {
    return false;
  }
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await answers(url)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a !== null ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** The S3 server under test: Ceph RGW (default) or, for a fast local loop, in-process fauxqs (CDP_S3_SERVER=fauxqs). */
export interface S3Server {
  readonly name: 'ceph' | 'fauxqs';
  readonly endpoint: string;
  /** SIGSTOP / SIGCONT / SIGKILL the S3 daemon; restart() brings a killed one back. Ceph only. */
  pause(): void;
  resume(): void;
  kill(): void;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

class CephServer implements S3Server {
  readonly name = 'ceph' as const;
  readonly endpoint = `http://127.0.0.1:${process.env.RGW_PORT ?? 7480}`;
  constructor(private readonly owned: boolean) {}

  private pid(): number {
    return Number(readFileSync(join(CEPH_BASE, 'run', 'client.rgw.a.pid'), 'utf8').trim());
  }
  pause(): void {
    process.kill(this.pid(), 'SIGSTOP');
  }
  resume(): void {
    process.kill(this.pid(), 'SIGCONT');
  }
  kill(): void {
    process.kill(this.pid(), 'SIGKILL');
  }
  async restart(): Promise<void> {
    await run('bash', [join(HERE, 'ceph-rgw.sh'), 'start-rgw'], { env: CEPH_ENV });
  }
  async stop(): Promise<void> {
    if (this.owned) await run('bash', [join(HERE, 'ceph-rgw.sh'), 'stop'], { env: CEPH_ENV });
  }
}

export async function startCeph(): Promise<S3Server> {
  const probe = new CephServer(false);
  if (await answers(probe.endpoint)) return probe;
  // Installs the Debian packages on first use (needs root and the Debian mirror), ~12 s to start.
  await run('bash', [join(HERE, 'ceph-rgw.sh'), 'start'], { env: CEPH_ENV, timeout: 300_000 });
  return new CephServer(true);
}

export async function startFauxqs(): Promise<S3Server> {
  const { startFauxqs: start } = await import('fauxqs');
  const server = await start({ port: 0, logger: false });
  const unsupported = (): never => {
    throw new Error('fauxqs runs in-process: it cannot be paused or killed');
  };
  return {
    name: 'fauxqs',
    endpoint: `http://127.0.0.1:${server.port}`,
    pause: unsupported,
    resume: unsupported,
    kill: unsupported,
    restart: async () => unsupported(),
    stop: () => server.stop(),
  };
}

export function startS3(): Promise<S3Server> {
  return process.env.CDP_S3_SERVER === 'fauxqs' ? startFauxqs() : startCeph();
}

/** The firebase-tools GCS emulator as a child process we own, so it can be paused and killed. */
export class GcsEmulator {
  private child: ChildProcess | undefined;
  private constructor(readonly port: number) {}
  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<GcsEmulator> {
    // npm ci of firebase-tools on first use; a no-op when test/servers/node_modules is present.
    await run('bash', [join(HERE, 'gcs-emulator.sh'), 'install'], { timeout: 600_000 });
    const e = new GcsEmulator(await freePort());
    await e.restart();
    return e;
  }

  async restart(): Promise<void> {
    const child = spawn(process.execPath, [join(HERE, 'gcs-emulator.cjs')], {
      env: { ...process.env, PORT: String(this.port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    this.child = child;
    try {
      await Promise.race([
        waitFor(`${this.endpoint}/storage/v1/b/probe/o`, 30_000),
        new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`gcs emulator exited with ${code}: ${stderr}`)))),
      ]);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  }

  private get pid(): number {
    if (this.child?.pid === undefined) throw new Error('gcs emulator not running');
    return this.child.pid;
  }
  pause(): void {
    process.kill(this.pid, 'SIGSTOP');
  }
  resume(): void {
    process.kill(this.pid, 'SIGCONT');
  }
  kill(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
  async stop(): Promise<void> {
    const c = this.child;
    if (c === undefined || c.exitCode !== null) return;
    c.kill('SIGCONT');
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    c.kill('SIGKILL');
    this.child = undefined;
  }
}

/**
 * Starts a server for a test file. Returns undefined (tests then skip) when it cannot be started
 * locally; under CI=true rethrows, so a missing server fails the run loudly instead of skipping.
 */
export async function startOrSkip<T>(name: string, start: () => Promise<T>): Promise<{ server?: T; skip: string | false }> {
  try {
    return { server: await start(), skip: false };
  } catch (err) {
    if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${name} could not be started in CI: ${String(err)}`, { cause: err });
    const reason = `${name} unavailable: ${String(err).split('\n')[0]}`;
    console.warn(`# SKIP ${reason}`);
    return { skip: reason };
  }
}
