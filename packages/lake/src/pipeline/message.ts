/**
 * Pipeline messages are the consumer's messages (src/consumer/message.ts): the host hands
 * processors' rows to consumers unchanged.
 */
export type { ConsumerMessage as PipelineMessage, MessageMetadata } from '../consumer/message.js';

/** Close time in seconds since epoch -> ISO-8601 text with a `Z` suffix. */
export function closeTimeToIso(closeTimeSeconds: number): string {
  return new Date(closeTimeSeconds * 1000).toISOString();
}
