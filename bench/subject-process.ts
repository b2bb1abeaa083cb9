import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { once } from 'node:events';

/** A server under measurement, in its own process so its CPU time and memory are its own. */
export interface Subject {
  name: string;
  url: string;
  pid: number;
  /** User + system CPU time of the process so far, in milliseconds (from /proc). */
  cpuMs(): number;
  /** Resident set size now, in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

const TICKS_PER_SECOND = 100;

function readCpuMs(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat: utime and stime in clock ticks (after the `(comm)` field).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
}

function readRssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/**
 * Spawns `command args`, waits for `ready(output)` to return the subject's URL.
 *
 * With `logFile`, the subject writes its stdout and stderr to that file, as it would to a log
 * collector in production. Through a pipe, its log lines would be read by this process, which is
 * busy generating the load: the pipe fills and the subject's synchronous log writes stall it.
 */
export async function startSubject(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: (output: string) => string | undefined,
  options: { logFile?: string } = {},
): Promise<Subject> {
  const logFd = options.logFile === undefined ? undefined : openSync(options.logFile, 'w');
  const child: ChildProcess = spawn(command, args, { env, stdio: logFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', logFd, logFd] });
  if (logFd !== undefined) closeSync(logFd);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), 30_000);
    const poller = options.logFile === undefined ? undefined : setInterval(() => check(readFileSync(options.logFile as string, 'utf8')), 50);
    const check = (seen: string) => {
      output = seen;
      const found = ready(output);
      if (found) {
        clearTimeout(timer);
        clearInterval(poller);
        resolve(found);
      }
    };
    child.stdout?.on('data', (data: Buffer) => check(output + data.toString()));
    child.stderr?.on('data', (data: Buffer) => check(output + data.toString()));
    child.once('exit', (code) => {
      clearInterval(poller);
      reject(new Error(`${name} exited with ${code}:\n${output}`));
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  const pid = child.pid as number;
  return {
    name,
    url,
    pid,
    cpuMs: () => readCpuMs(pid),
    rssMb: () => readRssMb(pid),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
