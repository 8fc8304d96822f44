/** A lease this session's claims received; kept so the model never has to copy a token. */
export interface HeldLease {
  taskId: string;
  key: string;
  token: string;
  expiresAt: string;
}

/** The lease tokens of the claims made in one MCP session, found by task id or key. */
export class LeaseStore {
  private readonly leases = new Map<string, HeldLease>();

  /** Keeps a lease (replacing an older one of the same task). */
  remember(lease: HeldLease): void {
    this.leases.set(lease.taskId, lease);
  }

  /** The lease of a task given by id or key (TASK-7), if this session holds one. */
  find(taskReference: string): HeldLease | undefined {
    const direct = this.leases.get(taskReference);
    if (direct) return direct;
    const key = taskReference.toUpperCase();
    return [...this.leases.values()].find((lease) => lease.key.toUpperCase() === key);
  }

  /** Forgets the lease of a task (released, or the task left in_progress). */
  forget(taskId: string): void {
    this.leases.delete(taskId);
  }

  /** Every lease held in this session. */
  list(): HeldLease[] {
    return [...this.leases.values()];
  }
}
