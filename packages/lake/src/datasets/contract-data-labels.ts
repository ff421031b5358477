/**
 * Enum labels of contract-data rows, spelled as stellar-etl spells them: Go's enum names,
 * e.g. "ScValTypeScvLedgerKeyContractInstance", "ContractDataDurabilityPersistent".
 */
import { durabilityName, scValTypeName } from '../stellar/xdr-bytes.js';

export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** Enum labels are built once per value: one string object per label keeps the writer's dictionary lookups cheap. */
function labels(label: (v: number) => string): (v: number) => string {
  const made = new Map<number, string>();
  return (v) => {
    let s = made.get(v);
    if (s === undefined) made.set(v, (s = label(v)));
    return s;
  };
}
export const keyTypeLabel = labels((t) => `ScValType${cap(scValTypeName(t))}`);
export const durabilityLabel = labels((d) => `ContractDataDurability${cap(durabilityName(d))}`);
