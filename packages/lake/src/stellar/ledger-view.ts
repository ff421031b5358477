import { xdr } from '@stellar/stellar-sdk';

/**
 * Version-independent access to the parts of a LedgerCloseMeta (v0/v1/v2) and
 * TransactionMeta (v0..v4) that the processors read, so each processor is written once.
 */
export interface TxView {
  /** 1-based position in apply order (txProcessing order), as in Go's LedgerTransaction.Index. */
  index: number;
  /** Hex transaction hash (from TransactionResultPair, so no network passphrase is needed). */
  hash: string;
  successful: boolean;
  meta: xdr.TransactionMeta;
}

type TxResultMetaAny = xdr.TransactionResultMeta | xdr.TransactionResultMetaV1;

function txProcessing(lcm: xdr.LedgerCloseMeta): TxResultMetaAny[] {
  switch (lcm.switch()) {
    case 0:
      return lcm.v0().txProcessing();
    case 1:
      return lcm.v1().txProcessing();
    case 2:
      return lcm.v2().txProcessing();
    default:
      throw new Error(`unsupported LedgerCloseMeta version ${lcm.switch()}`);
  }
}

function ledgerHeader(lcm: xdr.LedgerCloseMeta): xdr.LedgerHeader {
  switch (lcm.switch()) {
    case 0:
      return lcm.v0().ledgerHeader().header();
    case 1:
      return lcm.v1().ledgerHeader().header();
    case 2:
      return lcm.v2().ledgerHeader().header();
    default:
      throw new Error(`unsupported LedgerCloseMeta version ${lcm.switch()}`);
  }
}

// txSUCCESS = 0, txFEE_BUMP_INNER_SUCCESS = 1; every other code is a failure.
const isSuccessCode = (code: number): boolean => code === 0 || code === 1;

export function* transactions(lcm: xdr.LedgerCloseMeta): Generator<TxView> {
  const list = txProcessing(lcm);
  for (let i = 0; i < list.length; i++) {
    const tp = list[i]!;
    const pair = tp.result();
    yield {
      index: i + 1,
      hash: pair.transactionHash().toString('hex'),
      successful: isSuccessCode(pair.result().result().switch().value),
      meta: tp.txApplyProcessing(),
    };
  }
}

/** Where a ledger entry change happened inside a transaction. */
export interface ChangeSite {
  /** Operation index (0-based) or undefined for tx-level changes (before/after). */
  opIndex: number | undefined;
  change: xdr.LedgerEntryChange;
}

/** All ledger entry changes of a transaction in order: txChangesBefore, operations, txChangesAfter. */
export function* entryChanges(meta: xdr.TransactionMeta): Generator<ChangeSite> {
  const tx = (list: xdr.LedgerEntryChange[]): ChangeSite[] => list.map((change) => ({ opIndex: undefined, change }));
  const ops = (list: Array<{ changes(): xdr.LedgerEntryChange[] }>): ChangeSite[] =>
    list.flatMap((op, opIndex) => op.changes().map((change) => ({ opIndex, change })));
  switch (meta.switch()) {
    case 0:
      yield* ops(meta.operations());
      break;
    case 1: {
      const m = meta.v1();
      yield* tx(m.txChanges());
      yield* ops(m.operations());
      break;
    }
    case 2: {
      const m = meta.v2();
      yield* tx(m.txChangesBefore());
      yield* ops(m.operations());
      yield* tx(m.txChangesAfter());
      break;
    }
    case 3: {
      const m = meta.v3();
      yield* tx(m.txChangesBefore());
      yield* ops(m.operations());
      yield* tx(m.txChangesAfter());
      break;
    }
    case 4: {
      const m = meta.v4();
      yield* tx(m.txChangesBefore());
      yield* ops(m.operations());
      yield* tx(m.txChangesAfter());
      break;
    }
    default:
      throw new Error(`unsupported TransactionMeta version ${meta.switch()}`);
  }
}

export interface EventSite {
  /** Operation index (0-based): v4 the emitting operation, v3 the transaction's one operation (0). */
  opIndex: number;
  event: xdr.ContractEvent;
}

/**
 * Operation events of a transaction (all types; callers filter): v3 sorobanMeta.events,
 * v4 operations[].events. Diagnostic and v4 transaction-level (fee) events are apart
 * (diagnosticEventsOf, txEventsOf).
 */
export function* contractEventsOf(meta: xdr.TransactionMeta): Generator<EventSite> {
  if (meta.switch() === 3) {
    const soroban = meta.v3().sorobanMeta();
    if (soroban) for (const event of soroban.events()) yield { opIndex: 0, event };
  } else if (meta.switch() === 4) {
    const ops = meta.v4().operations();
    for (let opIndex = 0; opIndex < ops.length; opIndex++) {
      for (const event of ops[opIndex]!.events()) yield { opIndex, event };
    }
  }
}

/** Evicted ledger keys of the ledger (v1: evictedKeys; v2: evictedKeys; v0: none). */
export function evictedKeys(lcm: xdr.LedgerCloseMeta): xdr.LedgerKey[] {
  switch (lcm.switch()) {
    case 1:
      return lcm.v1().evictedKeys();
    case 2:
      return lcm.v2().evictedKeys();
    default:
      return [];
  }
}

/** Diagnostic events: v3 sorobanMeta.diagnosticEvents, v4 diagnosticEvents; none before v3. */
export function diagnosticEventsOf(meta: xdr.TransactionMeta): xdr.DiagnosticEvent[] {
  if (meta.switch() === 3) return meta.v3().sorobanMeta()?.diagnosticEvents() ?? [];
  if (meta.switch() === 4) return meta.v4().diagnosticEvents();
  return [];
}

/** TxMeta v4 transaction-level events (fees, refunds); none before v4. */
export function txEventsOf(meta: xdr.TransactionMeta): xdr.ContractEvent[] {
  return meta.switch() === 4
    ? meta
        .v4()
        .events()
        .map((e) => e.event())
    : [];
}
