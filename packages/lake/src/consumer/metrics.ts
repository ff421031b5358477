/** Counters of one SaveToParquet, as a plain object and as Prometheus text exposition. */
export interface ConsumerMetrics {
  files_written: number;
  records_written: number;
  bytes_written: number;
  records_buffered: number;
  rejected_records: number;
  storage_retries: number;
  current_ledger: number;
  /** Unix seconds of the last successful file commit (0 before the first). */
  last_flush_time: number;
  duplicate_records_dropped: number;
  unknown_fields_dropped: number;
  open_files: number;
  /** Finished files waiting for (or in) their upload on the commit lane. */
  files_uploading: number;
  checkpoint_ledger: number;
}

export function emptyMetrics(): ConsumerMetrics {
  return {
    files_written: 0,
    records_written: 0,
    bytes_written: 0,
    records_buffered: 0,
    rejected_records: 0,
    storage_retries: 0,
    current_ledger: 0,
    last_flush_time: 0,
    duplicate_records_dropped: 0,
    unknown_fields_dropped: 0,
    open_files: 0,
    files_uploading: 0,
    checkpoint_ledger: 0,
  };
}

const HELP: Record<keyof ConsumerMetrics, [string, 'counter' | 'gauge']> = {
  files_written: ['Parquet files committed to storage', 'counter'],
  records_written: ['Rows in committed Parquet files', 'counter'],
  bytes_written: ['Bytes of committed Parquet files', 'counter'],
  records_buffered: ['Rows accepted but not yet in a committed file', 'gauge'],
  rejected_records: ['Messages or rows sent to the reject files', 'counter'],
  storage_retries: ['File uploads retried after a storage error', 'counter'],
  current_ledger: ['Highest ledger seen', 'gauge'],
  last_flush_time: ['Unix time of the last file commit', 'gauge'],
  duplicate_records_dropped: ['Messages at or below a checkpoint, dropped on replay', 'counter'],
  unknown_fields_dropped: ['Fields dropped because schema evolution is off', 'counter'],
  open_files: ['Files currently open', 'gauge'],
  files_uploading: ['Finished files waiting for or in their upload', 'gauge'],
  checkpoint_ledger: ['Lowest checkpoint over all tables', 'gauge'],
};

export function prometheusText(m: ConsumerMetrics, consumer: string, prefix = 'cdp_save_to_parquet'): string {
  const label = `{consumer="${consumer.replace(/["\\\n]/g, '_')}"}`;
  const lines: string[] = [];
  for (const key of Object.keys(HELP) as (keyof ConsumerMetrics)[]) {
    const [help, type] = HELP[key];
    const name = `${prefix}_${key}${type === 'counter' ? '_total' : ''}`;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name}${label} ${m[key]}`);
  }
  return lines.join('\n') + '\n';
}
