export interface MaintenanceJob {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/**
 * Runs housekeeping jobs on their own intervals: one job never overlaps itself, a failing job
 * is logged and tried again next time. Every job is safe to run on several instances at once
 * (each works through conditional updates), so no leader election is needed.
 */
export class MaintenanceLoop {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly jobs: MaintenanceJob[],
    private readonly onError: (job: string, error: unknown) => void,
  ) {}

  start(): void {
    for (const job of this.jobs) {
      const timer = setInterval(() => void this.runJob(job), job.everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  /** Runs one job now (or waits for the run in progress). */
  runJob(job: MaintenanceJob): Promise<unknown> {
    const inProgress = this.running.get(job.name);
    if (inProgress) return inProgress;
    const run = job
      .run()
      .catch((error: unknown) => this.onError(job.name, error))
      .finally(() => this.running.delete(job.name));
    this.running.set(job.name, run);
    return run;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await Promise.all(this.running.values());
  }
}
