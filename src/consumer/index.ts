// Public API of the SaveToParquet consumer (see save-to-parquet.ts for the design).
export { BatchError, type Consumer, type LogFn, type LogLevel } from './consumer.js';
export { SaveToParquet, type SaveToParquetDeps } from './save-to-parquet.js';
export { parseConfig, storeUrlOf, closestKey, ConfigError, KNOWN_CONFIG_KEYS, type SaveToParquetConfig, type StorageType, type PartitionBy } from './config.js';
export { partitionOf, type Partition } from './partitioning.js';
export { dataFileName, dataKey, parseDataFileName } from './file-naming.js';
export { BUILT_IN_TABLES, SchemaRegistry, type StoredSchema, type ResolvedSchema } from './schema-registry.js';
export { inferFields, unifyFields, projectRow, type MergeResult } from './tables/inferred.js';
export { prometheusText, type ConsumerMetrics } from './metrics.js';
export { loadCheckpoints, type Checkpoint, type PendingFile } from './checkpoint.js';
export { normaliseMessage, RejectError, type InputRecord } from './message-input.js';
export type { TableDef } from './tables/table-def.js';
export type { EncodeWorkersSetting } from './encode-workers.js';
