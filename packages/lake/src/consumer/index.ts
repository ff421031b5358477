// Public API of the SaveToParquet consumer (see save-to-parquet.ts for the design).
export { BatchError, type Consumer, type LogFn, type LogLevel } from './consumer.js';
export { SaveToParquet, type SaveToParquetDeps } from './save-to-parquet.js';
export { parseConfig, storeUrlOf, closestKey, ConfigError, KNOWN_CONFIG_KEYS, type SaveToParquetConfig, type StorageType, type PartitionBy } from './config.js';
export { partitionOf, type Partition } from './partitioning.js';
export { dataFileName, dataKey, parseDataFileName } from './file-naming.js';
export { SchemaRegistry, type FixedTable, type StoredSchema, type ResolvedSchema } from './schema-registry.js';
export { EMPTY_CATALOG, type ColumnInput, type TableCatalog, type TableSchema } from './table-catalog.js';
export type { ConsumerMessage, MessageMetadata } from './message.js';
export { inferFields, unifyFields, projectRow, type MergeResult } from './tables/inferred.js';
export { prometheusText, type ConsumerMetrics } from './metrics.js';
export { loadCheckpoints, type Checkpoint, type PendingFile } from './checkpoint.js';
export { normaliseMessage, RejectError, type InputRecord } from './message-input.js';
export { compileRowConverter, type RowConverter } from './tables/row-converter.js';
export type { EncodeWorkersSetting } from './encode-workers.js';
export { planShards, assignShard, ShardPlanError, type ShardAssignment, type ShardPlan, type ShardSpec } from './shard-plan.js';
