// Node-only additions: file sinks with atomic visibility.
export * from './index.js';
export { NodeFileSink, syncDirectory } from './node/file-sink.js';
