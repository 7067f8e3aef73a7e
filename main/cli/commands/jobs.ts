import type { ApiClient } from '../../api/client';
import type { JobSnapshot } from '../../api/jobs';
import { openEngineSession } from '../engineSession';
import { formatDuration, TerminalProgress } from '../progressBar';
import { formatTable, printJson } from '../output';

export interface JobsCommonOptions {
  dataDir?: string;
  json?: boolean;
}

function jobsTable(jobs: JobSnapshot[]): string {
  if (jobs.length === 0) return 'No jobs yet. Try: codepercept jobs demo';
  return formatTable(
    ['ID', 'TYPE', 'STATE', 'PROGRESS', 'FAILED', 'CREATED', 'TITLE'],
    jobs.map((j) => [
      j.id.slice(0, 8),
      j.type,
      j.state,
      `${j.done + j.failed}/${j.total}`,
      String(j.failed),
      new Date(j.createdAt).toISOString().replace('T', ' ').slice(0, 19),
      j.title,
    ]),
  );
}

export async function jobsListCommand(options: JobsCommonOptions & { limit?: number }): Promise<void> {
  const session = openEngineSession(options.dataDir, 'codepercept jobs', { runJobs: false });
  try {
    const jobs = await session.client.call('jobs.list', options.limit ? { limit: options.limit } : {});
    if (options.json) printJson(jobs);
    else process.stdout.write(`${jobsTable(jobs)}\n`);
  } finally {
    await session.close();
  }
}

/** Accepts a full id or a unique prefix, as printed by `codepercept jobs`. */
async function resolveJobId(client: ApiClient, idOrPrefix: string): Promise<string> {
  const jobs = await client.call('jobs.list', { limit: 1000 });
  const matches = jobs.filter((j) => j.id === idOrPrefix || j.id.startsWith(idOrPrefix));
  if (matches.length === 1) return matches[0]!.id;
  throw new Error(
    matches.length === 0
      ? `No job matches "${idOrPrefix}".`
      : `"${idOrPrefix}" matches ${matches.length} jobs; give more of the id.`,
  );
}

/**
 * Follows one job in the foreground until it ends. Ctrl+C pauses it (not cancels), so the next
 * `codepercept jobs resume` continues where it stopped.
 */
export async function follow(
  client: ApiClient,
  job: JobSnapshot,
  json: boolean,
  /** false: only the progress bar; the caller prints its own summary. */
  printSummary = true,
): Promise<JobSnapshot> {
  const progress = new TerminalProgress();
  const final = new Promise<JobSnapshot>((resolve) => {
    const off = client.on('jobs.progress', (snap) => {
      if (snap.id !== job.id) return;
      if (!json) progress.update(snap);
      if (['done', 'failed', 'cancelled', 'paused'].includes(snap.state)) {
        off();
        resolve(snap);
      }
    });
  });
  const onSigint = () => {
    process.stderr.write('\nPausing (resume with: codepercept jobs resume)...\n');
    void client.call('jobs.pause', { id: job.id });
  };
  process.once('SIGINT', onSigint);
  // The job may have ended before we subscribed.
  const current = await client.call('jobs.get', { id: job.id });
  const last = ['done', 'failed', 'cancelled', 'paused'].includes(current.state) ? current : await final;
  process.off('SIGINT', onSigint);
  if (!json) progress.finish();
  if (!printSummary) return last;
  if (!json) {
    process.stdout.write(
      `${last.title}: ${last.state} — ${last.done} done, ${last.failed} failed of ${last.total}` +
        (last.startedAt && last.finishedAt
          ? ` in ${formatDuration((last.finishedAt - last.startedAt) / 1000)}`
          : '') +
        '\n',
    );
  } else {
    printJson(last);
  }
  return last;
}

export async function jobsDemoCommand(
  options: JobsCommonOptions & { items: number; delay: number },
): Promise<number> {
  const session = openEngineSession(options.dataDir, 'codepercept jobs demo');
  try {
    const job = await session.client.call('jobs.start', {
      type: 'demo.count',
      params: { items: options.items, delayMs: options.delay },
    });
    const final = await follow(session.client, job, options.json ?? false);
    return final.state === 'done' || final.state === 'paused' ? 0 : 1;
  } finally {
    await session.close();
  }
}

/** Resumes one job, or every job a crash or Ctrl+C left unfinished, and follows them to the end. */
export async function jobsResumeCommand(options: JobsCommonOptions & { id?: string }): Promise<number> {
  const session = openEngineSession(options.dataDir, 'codepercept jobs resume');
  try {
    const { client } = session;
    let targets: JobSnapshot[];
    if (options.id) {
      const id = await resolveJobId(client, options.id);
      const job = await client.call('jobs.get', { id });
      targets = [
        job.state === 'paused' || job.state === 'failed' || job.state === 'cancelled'
          ? await client.call('jobs.resume', { id })
          : job,
      ];
    } else {
      const all = await client.call('jobs.list', { limit: 1000 });
      const paused = all.filter((j) => j.state === 'paused');
      for (const j of paused) await client.call('jobs.resume', { id: j.id });
      // Interrupted (was running at a crash) jobs were re-queued by the engine at start.
      targets = (await client.call('jobs.list', { limit: 1000 })).filter(
        (j) => j.state === 'queued' || j.state === 'running',
      );
    }
    if (targets.length === 0) {
      process.stdout.write('Nothing to resume.\n');
      return 0;
    }
    let ok = true;
    for (const job of targets) {
      const final = await follow(client, job, options.json ?? false);
      ok &&= final.state === 'done';
    }
    return ok ? 0 : 1;
  } finally {
    await session.close();
  }
}

export async function jobsCancelCommand(options: JobsCommonOptions & { id: string }): Promise<void> {
  const session = openEngineSession(options.dataDir, 'codepercept jobs cancel', { runJobs: false });
  try {
    const id = await resolveJobId(session.client, options.id);
    const job = await session.client.call('jobs.cancel', { id });
    if (options.json) printJson(job);
    else
      process.stdout.write(
        `Cancelled ${job.title} (${job.done}/${job.total} done; resume with: codepercept jobs resume ${id.slice(0, 8)})\n`,
      );
  } finally {
    await session.close();
  }
}
