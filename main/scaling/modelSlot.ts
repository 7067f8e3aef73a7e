import type { ModelSpec } from '../api/eval';
import type { ChatModel } from '../models/chatEngine';
import { ConcurrencyLimit } from '../models/concurrencyLimit';
import { RunModels } from '../eval/run/runModels';
import type { RunModelSources } from '../eval/run/runModels';

interface Entry {
  key: string;
  models: RunModels;
  /** Loaded on first need, once per entry: every item of a phase shares one load (and one load error). */
  model: () => Promise<ChatModel>;
  limit: ConcurrencyLimit;
  users: number;
}

interface Waiter {
  key: string;
  spec: ModelSpec;
  role: string;
  admit: (entry: Entry) => void;
  reject: (reason: unknown) => void;
}

/**
 * One model at a time. Big captioners and solvers do not fit in VRAM together, so a study holds a single
 * model: a call for another model waits until every call on the current one has finished, then the current
 * one is unloaded and the next loaded. Waiters are served in arrival order, and the job hands out its units in
 * plan order (all captions of captioner A, then B, …, then each solver), so the phases follow the plan and a
 * solver starts only after every caption it reads is stored. Within the held model, `concurrency` calls run
 * at once (parallel sequences of a local model, requests in flight to an endpoint).
 */
export class ModelSlot {
  private current: Entry | null = null;
  private readonly waiters: Waiter[] = [];
  private switching: Promise<void> | null = null;

  constructor(
    private readonly sources: RunModelSources,
    private readonly concurrency: number,
    /** The job's signal: aborting it kills a load in progress. */
    private readonly signal: AbortSignal,
  ) {}

  /** The model loaded now (for tests and progress), or null. */
  get heldKey(): string | null {
    return this.current?.key ?? null;
  }

  /**
   * Runs `fn` once this model holds the slot and a concurrency slot is free. `fn` loads the model by calling
   * `model()`; a unit that finds it needs no call (its caption failed) loads nothing.
   */
  async use<T>(
    spec: ModelSpec,
    role: string,
    fn: (model: () => Promise<ChatModel>) => Promise<T>,
  ): Promise<T> {
    const entry = await this.enter(spec, role);
    try {
      const release = await entry.limit.acquire(this.signal);
      try {
        return await fn(entry.model);
      } finally {
        release();
      }
    } finally {
      entry.users--;
      this.pump();
    }
  }

  /** Unloads the held model (the job stopped); waiters are rejected by the job's abort. */
  async dispose(): Promise<void> {
    await this.switching;
    const held = this.current;
    this.current = null;
    await held?.models.dispose();
  }

  private enter(spec: ModelSpec, role: string): Promise<Entry> {
    this.signal.throwIfAborted();
    const key = `${role}|${JSON.stringify(spec)}`;
    // Strictly in arrival order: a unit joins the held model at once only when nobody waits for another.
    if (this.current?.key === key && !this.switching && this.waiters.length === 0) {
      this.current.users++;
      return Promise.resolve(this.current);
    }
    return new Promise<Entry>((resolve, reject) => {
      const waiter: Waiter = {
        key,
        spec,
        role,
        admit: (entry) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(entry);
        },
        reject,
      };
      const onAbort = () => {
        const at = this.waiters.indexOf(waiter);
        if (at !== -1) this.waiters.splice(at, 1);
        reject(this.signal.reason as Error);
      };
      this.signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.pump();
    });
  }

  private pump(): void {
    if (this.switching || this.waiters.length === 0) return;
    if (this.current && this.current.users > 0) return;
    const head = this.waiters[0]!;
    if (this.current?.key === head.key) return this.admit(this.current);
    const old = this.current;
    this.current = null;
    this.switching = (old ? old.models.dispose() : Promise.resolve()).finally(() => {
      this.switching = null;
      const next = this.waiters[0];
      if (!next || this.signal.aborted) return;
      const models = new RunModels(this.sources);
      let loading: Promise<ChatModel> | null = null;
      const { spec, role } = next;
      const model = () => (loading ??= models.acquire(spec, role, this.signal));
      this.current = {
        key: next.key,
        models,
        model,
        limit: new ConcurrencyLimit(this.concurrency),
        users: 0,
      };
      this.admit(this.current);
    });
  }

  /** Lets in every waiter for the held model (they were queued behind the previous one). */
  private admit(entry: Entry): void {
    for (let i = 0; i < this.waiters.length;) {
      const waiter = this.waiters[i]!;
      if (waiter.key !== entry.key) {
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      entry.users++;
      waiter.admit(entry);
    }
  }
}
