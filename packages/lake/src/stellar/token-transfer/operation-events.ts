import { xdr } from '@stellar/stellar-sdk';
import type { Party } from './addresses.js';
import { accountOfMuxed, partyOfAccountId, partyOfBalance, partyOfMuxedAccount, partyOfPool } from './addresses.js';
import type { AssetResolver } from './assets.js';
import { deltasFromChanges, deltasFromEvents } from './balance-deltas.js';
import type { EntryChange } from './entry-changes.js';
import { entryTypeOf, operationChanges } from './entry-changes.js';
import type { EnvelopeView } from './envelope.js';
import { TokenTransferError } from './errors.js';
import { operationSource } from './envelope.js';
import type { TokenTransferEvent } from './event.js';
import type { LedgerTx } from './ledger-transactions.js';
import type { EventSite } from './movement.js';
import { movementEvent, newEvent } from './movement.js';
import { poolDepositEvents, poolWithdrawEvents, revokedTrustlineEvents } from './pool-events.js';

/**
 * Token movements of one successful classic operation, derived from the operation, its
 * result and its ledger entry changes (Go: EventsProcessor.EventsFromOperation), for
 * transaction meta before v4, where core did not emit them. InvokeHostFunction is handed
 * to `contractEvents` (the Soroban meta's events).
 */
export interface OperationContext {
  tx: LedgerTx;
  env: EnvelopeView;
  assets: AssetResolver;
  /** 0-based operation index. */
  index: number;
  op: xdr.Operation;
  result: xdr.OperationResult;
  site: EventSite;
  changes(): EntryChange[];
  fail(detail: string): never;
}

const big = (v: { toString(): string }): bigint => BigInt(v.toString());
const memoOf = (ctx: OperationContext) => (): xdr.Memo => ctx.env.memo;

function move(ctx: OperationContext, asset: xdr.Asset, from: Party, to: Party, amount: bigint, withMuxedInfo: boolean): TokenTransferEvent {
  return movementEvent(ctx.site, ctx.assets.resolve(asset), from, to, amount, withMuxedInfo, memoOf(ctx));
}

const sourceParty = (ctx: OperationContext): Party => partyOfMuxedAccount(operationSource(ctx.env, ctx.op));

/** Offers and pools crossed by a trade: per claim atom, the seller's asset to the trader and the trader's back. */
function claimAtomEvents(ctx: OperationContext, atoms: xdr.ClaimAtom[]): TokenTransferEvent[] {
  // Trades never carry destination information: the trader is its plain G account.
  const trader: Party = { address: accountOfMuxed(operationSource(ctx.env, ctx.op)), account: true, muxedId: undefined };
  const out: TokenTransferEvent[] = [];
  for (const atom of atoms) {
    let seller: Party;
    let a: xdr.ClaimOfferAtomV0 | xdr.ClaimOfferAtom | xdr.ClaimLiquidityAtom;
    switch (atom.switch().value) {
      case 0:
        a = atom.v0();
        seller = partyOfMuxedAccount(xdr.MuxedAccount.keyTypeEd25519(atom.v0().sellerEd25519()));
        break;
      case 1:
        a = atom.orderBook();
        seller = partyOfAccountId(atom.orderBook().sellerId());
        break;
      case 2:
        a = atom.liquidityPool();
        seller = partyOfPool(atom.liquidityPool().liquidityPoolId() as unknown as Buffer);
        break;
      default:
        return ctx.fail(`unknown claim atom type ${atom.switch().name}`);
    }
    out.push(move(ctx, a.assetSold(), seller, trader, big(a.amountSold()), false));
    out.push(move(ctx, a.assetBought(), trader, seller, big(a.amountBought()), false));
  }
  return out;
}

/** The one claimable balance entry the operation removed (claimed or clawed back). */
function removedBalance(ctx: OperationContext): xdr.ClaimableBalanceEntry {
  const removed = ctx.changes().filter((c) => c.changeType === 2 && entryTypeOf(c) === 4);
  if (removed.length !== 1)
    ctx.fail(`expected 1 removed claimable balance in the operation's changes, found ${removed.length}: its asset and amount cannot be resolved`);
  return removed[0]!.pre!.data().claimableBalance();
}

function classicEvents(ctx: OperationContext): TokenTransferEvent[] | undefined {
  const { op, result } = ctx;
  const body = op.body();
  switch (body.switch().name) {
    case 'createAccount': {
      const o = body.createAccountOp();
      return [move(ctx, xdr.Asset.assetTypeNative(), sourceParty(ctx), partyOfAccountId(o.destination()), big(o.startingBalance()), true)];
    }
    case 'accountMerge': {
      const balance = result.tr().accountMergeResult().sourceAccountBalance();
      return [move(ctx, xdr.Asset.assetTypeNative(), sourceParty(ctx), partyOfMuxedAccount(body.destination()), big(balance), true)];
    }
    case 'payment': {
      const o = body.paymentOp();
      return [move(ctx, o.asset(), sourceParty(ctx), partyOfMuxedAccount(o.destination()), big(o.amount()), true)];
    }
    case 'createClaimableBalance': {
      const o = body.createClaimableBalanceOp();
      const id = result.tr().createClaimableBalanceResult().balanceId();
      return [move(ctx, o.asset(), sourceParty(ctx), partyOfBalance(id), big(o.amount()), false)];
    }
    case 'claimClaimableBalance': {
      const cb = removedBalance(ctx);
      return [move(ctx, cb.asset(), partyOfBalance(body.claimClaimableBalanceOp().balanceId()), sourceParty(ctx), big(cb.amount()), true)];
    }
    case 'clawback': {
      const o = body.clawbackOp();
      const asset = ctx.assets.resolve(o.asset());
      return [newEvent(ctx.site, 'clawback', asset.contract, asset.asset, accountOfMuxed(o.from()), null, big(o.amount()))];
    }
    case 'clawbackClaimableBalance': {
      const cb = removedBalance(ctx);
      const asset = ctx.assets.resolve(cb.asset());
      return [
        newEvent(
          ctx.site,
          'clawback',
          asset.contract,
          asset.asset,
          partyOfBalance(body.clawbackClaimableBalanceOp().balanceId()).address,
          null,
          big(cb.amount()),
        ),
      ];
    }
    case 'allowTrust':
    case 'setTrustLineFlags':
      return revokedTrustlineEvents(ctx);
    case 'liquidityPoolDeposit':
      return poolDepositEvents(ctx, sourceParty(ctx));
    case 'liquidityPoolWithdraw':
      return poolWithdrawEvents(ctx, sourceParty(ctx));
    case 'manageBuyOffer':
      return claimAtomEvents(ctx, result.tr().manageBuyOfferResult().success().offersClaimed());
    case 'manageSellOffer':
      return claimAtomEvents(ctx, result.tr().manageSellOfferResult().success().offersClaimed());
    case 'createPassiveSellOffer':
      // Its result is a ManageSellOfferResult.
      return claimAtomEvents(ctx, result.tr().createPassiveSellOfferResult().success().offersClaimed());
    case 'pathPaymentStrictSend': {
      const o = body.pathPaymentStrictSendOp();
      const success = result.tr().pathPaymentStrictSendResult().success();
      return [
        ...claimAtomEvents(ctx, success.offers()),
        move(ctx, o.destAsset(), sourceParty(ctx), partyOfMuxedAccount(o.destination()), big(success.last().amount()), true),
      ];
    }
    case 'pathPaymentStrictReceive': {
      const o = body.pathPaymentStrictReceiveOp();
      const success = result.tr().pathPaymentStrictReceiveResult().success();
      return [
        ...claimAtomEvents(ctx, success.offers()),
        move(ctx, o.destAsset(), sourceParty(ctx), partyOfMuxedAccount(o.destination()), big(o.destAmount()), true),
      ];
    }
    case 'inflation': {
      const xlm = ctx.assets.native;
      return result
        .tr()
        .inflationResult()
        .payouts()
        .map((p) => newEvent(ctx.site, 'mint', xlm.contract, xlm.asset, null, partyOfAccountId(p.destination()).address, big(p.amount())));
    }
    default:
      return undefined; // no token movement
  }
}

/**
 * Before protocol 8 core had bugs that created or destroyed XLM (CAP-67, "retroactively
 * emitting events"): the operation source's XLM change that the events do not explain
 * becomes a mint (placed before the operation's events) or a burn (after them).
 */
function withXlmReconciliation(ctx: OperationContext, events: TokenTransferEvent[]): TokenTransferEvent[] {
  const source = accountOfMuxed(operationSource(ctx.env, ctx.op));
  const diff = deltasFromChanges(ctx.changes()).get(source, 'native') - deltasFromEvents(events).get(source, 'native');
  if (diff === 0n) return events;
  const xlm = ctx.assets.native;
  if (diff > 0n) return [newEvent(ctx.site, 'mint', xlm.contract, xlm.asset, null, source, diff), ...events];
  return [...events, newEvent(ctx.site, 'burn', xlm.contract, xlm.asset, source, null, -diff)];
}

export function operationEvents(ctx: OperationContext): TokenTransferEvent[] {
  const events = classicEvents(ctx);
  if (events === undefined) return [];
  return ctx.tx.protocolVersion < 8 ? withXlmReconciliation(ctx, events) : events;
}

/** The context for operation `index` (0-based) of a transaction. */
export function operationContext(tx: LedgerTx, env: EnvelopeView, assets: AssetResolver, index: number, results: xdr.OperationResult[]): OperationContext {
  const op = env.operations[index]!;
  let changes: EntryChange[] | undefined;
  const result = results[index];
  const fail = (detail: string): never => {
    throw new TokenTransferError(tx.ledgerSequence, tx.hash, index + 1, `${op.body().switch().name}: ${detail}`);
  };
  if (!result) fail('the transaction result has no result for this operation');
  return {
    tx,
    env,
    assets,
    index,
    op,
    result: result!,
    site: { tx, op: index },
    changes: () => (changes ??= operationChanges(tx, index)),
    fail,
  };
}
