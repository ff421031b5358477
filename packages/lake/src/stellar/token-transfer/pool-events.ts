import { createHash } from 'node:crypto';
import { xdr } from '@stellar/stellar-sdk';
import type { Party } from './addresses.js';
import { ed25519OfMuxed, partyOfBalance, partyOfPool, poolAddress } from './addresses.js';
import { entryTypeOf } from './entry-changes.js';
import type { TokenTransferEvent } from './event.js';
import { movementEvent, newEvent } from './movement.js';
import type { OperationContext } from './operation-events.js';

/**
 * Liquidity pool movements (CAP-38): deposits and withdrawals, and the claimable balances
 * a pool pays out when an authorization revocation pulls the trustor's shares out of it.
 * Amounts are the changes of the pool's reserves in the operation's ledger entry changes.
 */
interface PoolDelta {
  id: Buffer;
  assetA: xdr.Asset;
  assetB: xdr.Asset;
  /** Absolute reserve changes. */
  amountA: bigint;
  amountB: bigint;
}

const big = (v: { toString(): string }): bigint => BigInt(v.toString());
const abs = (v: bigint): bigint => (v < 0n ? -v : v);

function poolDeltas(ctx: OperationContext): PoolDelta[] {
  const out: PoolDelta[] = [];
  for (const c of ctx.changes()) {
    if (entryTypeOf(c) !== 5) continue;
    const reserves = (e: xdr.LedgerEntry | undefined): [bigint, bigint] => {
      if (!e) return [0n, 0n];
      const cp = e.data().liquidityPool().body().constantProduct();
      return [big(cp.reserveA()), big(cp.reserveB())];
    };
    const entry = (c.post ?? c.pre)!.data().liquidityPool();
    const params = entry.body().constantProduct().params();
    const [preA, preB] = reserves(c.pre);
    const [postA, postB] = reserves(c.post);
    out.push({
      id: entry.liquidityPoolId() as unknown as Buffer,
      assetA: params.assetA(),
      assetB: params.assetB(),
      amountA: abs(postA - preA),
      amountB: abs(postB - preB),
    });
  }
  return out;
}

function onePool(ctx: OperationContext): PoolDelta {
  const deltas = poolDeltas(ctx);
  if (deltas.length !== 1)
    ctx.fail(`expected 1 liquidity pool in the operation's changes, found ${deltas.length}: the pool's assets and amounts cannot be resolved`);
  return deltas[0]!;
}

const memo = (ctx: OperationContext) => (): xdr.Memo => ctx.env.memo;

export function poolDepositEvents(ctx: OperationContext, source: Party): TokenTransferEvent[] {
  const d = onePool(ctx);
  const pool = partyOfPool(d.id);
  if (d.amountA <= 0n || d.amountB <= 0n) ctx.fail(`deposit into ${pool.address} moved ${d.amountA} / ${d.amountB}: a deposit moves both assets`);
  return [
    movementEvent(ctx.site, ctx.assets.resolve(d.assetA), source, pool, d.amountA, false, memo(ctx)),
    movementEvent(ctx.site, ctx.assets.resolve(d.assetB), source, pool, d.amountB, false, memo(ctx)),
  ];
}

/** A withdrawal may round down to nothing for one asset (CAP-38), so zero amounts are kept. */
export function poolWithdrawEvents(ctx: OperationContext, source: Party): TokenTransferEvent[] {
  const d = onePool(ctx);
  const pool = partyOfPool(d.id);
  return [
    movementEvent(ctx.site, ctx.assets.resolve(d.assetA), pool, source, d.amountA, true, memo(ctx)),
    movementEvent(ctx.site, ctx.assets.resolve(d.assetB), pool, source, d.amountB, true, memo(ctx)),
  ];
}

/**
 * ClaimableBalanceID of what a revocation pulled from a pool (CAP-38, SetTrustLineFlagsOp
 * and AllowTrustOp): SHA-256 of HashIDPreimage{ENVELOPE_TYPE_POOL_REVOKE_OP_ID, {transaction
 * source account, sequence number, operation index (0-based), pool id, asset}}.
 */
export function revocationBalanceId(source: xdr.AccountId, seqNum: bigint, opIndex: number, poolId: Buffer, asset: xdr.Asset): Buffer {
  const preimage = xdr.HashIdPreimage.envelopeTypePoolRevokeOpId(
    new xdr.HashIdPreimageRevokeId({
      sourceAccount: source,
      seqNum: xdr.Int64.fromString(seqNum.toString()),
      opNum: opIndex,
      liquidityPoolId: poolId as unknown as xdr.PoolId,
      asset,
    }),
  );
  return createHash('sha256').update(preimage.toXDR()).digest();
}

const sameAsset = (a: xdr.Asset, b: xdr.Asset): boolean => a.toXDR().equals(b.toXDR());

/**
 * Revoking authorization of a trust line that holds pool shares withdraws them: for each
 * pool, a claimable balance per asset for the trustor, except the asset the trustor
 * issues itself, which is burned. Which balance came from which pool is not recorded, so
 * the ids the protocol would give them are recomputed and matched with the created ones.
 */
export function revokedTrustlineEvents(ctx: OperationContext): TokenTransferEvent[] {
  const pools = poolDeltas(ctx);
  if (pools.length === 0) return [];
  const created = ctx
    .changes()
    .filter((c) => c.changeType === 0 && entryTypeOf(c) === 4)
    .map((c) => c.post!.data().claimableBalance());
  if (created.length === 0) return [];
  const byId = new Map(created.map((cb) => [cb.balanceId().v0().toString('hex'), cb]));
  const txSource = xdr.PublicKey.publicKeyTypeEd25519(ed25519OfMuxed(ctx.env.source));
  const events: TokenTransferEvent[] = [];
  for (const lp of pools) {
    const pool = partyOfPool(lp.id);
    const fromPool = [lp.assetA, lp.assetB]
      .map((asset) => byId.get(revocationBalanceId(txSource, ctx.env.seqNum, ctx.index, lp.id, asset).toString('hex')))
      .filter((cb): cb is xdr.ClaimableBalanceEntry => cb !== undefined);
    const toBalance = (cb: xdr.ClaimableBalanceEntry): TokenTransferEvent =>
      movementEvent(ctx.site, ctx.assets.resolve(cb.asset()), pool, partyOfBalance(cb.balanceId()), big(cb.amount()), false, memo(ctx));
    if (fromPool.length === 1) {
      const cb = fromPool[0]!;
      const [burnedAsset, burned] = sameAsset(cb.asset(), lp.assetA) ? [lp.assetB, lp.amountB] : [lp.assetA, lp.amountA];
      const asset = ctx.assets.resolve(burnedAsset);
      events.push(toBalance(cb), newEvent(ctx.site, 'burn', asset.contract, asset.asset, poolAddress(lp.id), null, burned));
    } else if (fromPool.length === 2) {
      events.push(toBalance(fromPool[0]!), toBalance(fromPool[1]!));
    }
  }
  return events;
}
