import type { Activity } from '@mission-control/contracts';

/** A topic of the event stream: everything, one event type, one task or one agent. */
export type EventTopic = '*' | `type:${Activity['type']}` | `task:${string}` | `agent:${string}`;

/** Receives the events of a topic with their sequence numbers, in order. */
export type EventHandler = (activity: Activity, seq: number) => void;

/** The topics one activity is published under: everything, its type, its task and the agents it concerns. */
export function topicsOf(activity: Activity): EventTopic[] {
  const topics: EventTopic[] = ['*', `type:${activity.type}`];
  if (activity.taskId) topics.push(`task:${activity.taskId}`);
  if (activity.agentId) topics.push(`agent:${activity.agentId}`);
  if (activity.actor?.kind === 'agent' && activity.actor.id !== activity.agentId) topics.push(`agent:${activity.actor.id}`);
  return topics;
}

/** Holds the handlers of each topic and hands every event to the handlers of its topics. */
export class TopicRouter {
  private readonly handlers = new Map<string, Set<EventHandler>>();

  /** Adds a handler to a topic; the returned function removes it. */
  add(topic: EventTopic, handler: EventHandler): () => void {
    let handlers = this.handlers.get(topic);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(topic, handlers);
    }
    const set = handlers;
    // Wrapped so the same function subscribed twice is called twice and removed once per call.
    const entry: EventHandler = (activity, seq) => handler(activity, seq);
    set.add(entry);
    return () => {
      set.delete(entry);
      if (set.size === 0 && this.handlers.get(topic) === set) this.handlers.delete(topic);
    };
  }

  /** Calls every handler of the activity's topics; a handler that throws does not stop the others. */
  dispatch(activity: Activity, seq: number): void {
    for (const topic of topicsOf(activity)) {
      const handlers = this.handlers.get(topic);
      if (!handlers) continue;
      for (const handler of [...handlers]) {
        try {
          handler(activity, seq);
        } catch (error) {
          // Reported like an exception in any event listener: uncaught, after the others ran.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    }
  }
}
