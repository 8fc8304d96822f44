export { type Environment, MissionControl, type MissionControlOptions } from './client.js';
export {
  type ClientErrorCode,
  isMissionControlError,
  MissionControlError,
  type MissionControlErrorCode,
  type MissionControlErrorOptions,
} from './errors.js';
export type { SubscribeOptions, Unsubscribe, WebSocketConstructor, WebSocketLike } from './events.js';
export { PageIterator } from './pagination.js';
export type { ListActivitiesOptions } from './resources/activities.js';
export type { HeartbeatOptions, ListAgentsOptions } from './resources/agents.js';
export type { ListDocumentsOptions } from './resources/documents.js';
export type { ListMessagesOptions } from './resources/messages.js';
export type { ListNotificationsOptions, NotificationPage } from './resources/notifications.js';
export type { ClaimOptions, ListTasksOptions } from './resources/tasks.js';
export type { UpdateWorkingStateOptions } from './resources/working-state.js';
export type { FetchFunction, RetryOptions } from './transport.js';
