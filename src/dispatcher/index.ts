/**
 * `ssot-kit/dispatcher`: the reference single-source-of-truth tool dispatcher. One request, one
 * frozen user context, one dispatcher; no module state anywhere in this folder.
 */
export type * from './types.js';
export { EVENT_VERSION } from './types.js';
export { createUserContext, isUserContext, type UserContextInit } from './context.js';
export { defineTool, type ToolCallContext, type ToolDefinition, type ToolInfo, type ToolResult } from './tool-registry.js';
export { createToolDispatcher, RequestScopedToolDispatcher, type AuditEntry, type ToolDispatcherOptions } from './request-scoped-tool-dispatcher.js';
export type { Run, RunBody, RunOptions, RunResult } from './run.js';
export type { EventListener, SinkErrorHandler } from './event-queue.js';
export { aggregateMetrics, type MetricsSample, type MetricsSource, type ToolDispatcherMetrics } from './metrics.js';
export { assertRunSequence } from './assert-run-sequence.js';
export * from './legacy-facades.js';
// The bridge calls its options `WebSocketBridgeOptions`; `BridgeOptions` is the name the issue uses.
export { createWebSocketBridge, hmacAuthenticator, RESUME_LIMIT_CODE, SLOW_CONSUMER_CODE, type WebSocketBridge, type WebSocketBridgeOptions, type WebSocketBridgeOptions as BridgeOptions } from './websocket-bridge.js';
export { createHmacToken, verifyHmacToken } from './hmac-token.js';
export { createInProcessEventBus } from './in-process-event-bus.js';
export { createRedisEventBus, type RedisDeliveryStats, type RedisEventBus, type RedisEventBusOptions } from './redis-event-bus.js';
export type { GapFrame, RunGap, RunSnapshot } from './bridge-replay-log.js';
