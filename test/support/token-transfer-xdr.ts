// XDR builders for the token transfer tests: accounts, assets, ledger entries and changes,
// operations and results, as the Go processor's tests build them (processors/token_transfer/
// *_test.go). Values are complete, so everything also encodes (whole-ledger tests hash envelopes).
import { Address, Asset, getLiquidityPoolId, Keypair, StrKey, xdr } from '@stellar/stellar-sdk';

export const PASSPHRASE = 'some network passphrase';
export const ONE = 10_000_000n; // one unit, in stroops

const i64 = (v: bigint | number): xdr.Int64 => xdr.Int64.fromString(v.toString());
const u64 = (v: bigint | number): xdr.Uint64 => xdr.Uint64.fromString(v.toString());

// ---- accounts ----
export const accountId = (g: string): xdr.AccountId => xdr.PublicKey.publicKeyTypeEd25519(StrKey.decodeEd25519PublicKey(g));
export const muxedOf = (g: string): xdr.MuxedAccount => xdr.MuxedAccount.keyTypeEd25519(StrKey.decodeEd25519PublicKey(g));
export const muxedWithId = (g: string, id: bigint): xdr.MuxedAccount =>
  xdr.MuxedAccount.keyTypeMuxedEd25519(new xdr.MuxedAccountMed25519({ id: u64(id), ed25519: StrKey.decodeEd25519PublicKey(g) }));

export const someTxAccount = 'GBF3XFXGBGNQDN3HOSZ7NVRF6TJ2JOD5U6ELIWJOOEI6T5WKMQT2YSXQ';
export const accountA = 'GBXGQJWVLWOYHFLVTKWV5FGHA3LNYY2JQKM7OAJAUEQFU6LPCSEFVXON';
export const accountB = 'GCCOBXW2XQNUSL467IEILE6MMCNRR66SSVL4YQADUNYYNUVREF3FIV2Z';
export const usdcIssuer = 'GA5ZSEJYB37JRC5AVCIA5MOP4RHTM335X2KGX3IHOJAPP5RE34K4KZVN';
export const ethIssuer = 'GCEODJVUUVYVFD5KT4TOEDTMXQ76OPFOQC2EMYYMLPXQCUVPOB6XRWPQ';
export const btcIssuer = 'GBT4YAEGJQ5YSFUMNKX6BPBUOCPNAIOFAVZOF6MIME2CECBMEIUXFZZN';
/** A fixed "random" account (the Go tests draw one at random; any valid key serves). */
export const randomAccount = Keypair.fromRawEd25519Seed(Buffer.alloc(32, 7)).publicKey();

// ---- assets ----
export const xlm = xdr.Asset.assetTypeNative();
export const credit = (code: string, issuer: string): xdr.Asset => new Asset(code, issuer).toXDRObject();
export const usdc = credit('USDC', usdcIssuer);
export const eth = credit('ETH', ethIssuer);
export const btc = credit('BTC', btcIssuer);

/** C address of an asset's Stellar Asset Contract, computed by the SDK. */
export const sacOf = (a: xdr.Asset, passphrase = PASSPHRASE): string => Asset.fromOperation(a).contractId(passphrase);
export const poolIdOf = (a: xdr.Asset, b: xdr.Asset): Buffer =>
  getLiquidityPoolId('constant_product', { assetA: Asset.fromOperation(a), assetB: Asset.fromOperation(b), fee: 30 });
export const poolStrkey = (id: Buffer): string => Address.fromScAddress(xdr.ScAddress.scAddressTypeLiquidityPool(id as unknown as xdr.PoolId)).toString();
export const balanceId = (hash: Buffer): xdr.ClaimableBalanceId => xdr.ClaimableBalanceId.claimableBalanceIdTypeV0(hash);
export const balanceStrkey = (id: xdr.ClaimableBalanceId): string => Address.fromScAddress(xdr.ScAddress.scAddressTypeClaimableBalance(id)).toString();

export const lpBtcEth = poolIdOf(btc, eth);
export const lpEthUsdc = poolIdOf(eth, usdc);
const hash32 = (...head: number[]): Buffer => {
  const b = Buffer.alloc(32);
  b.set(head);
  return b;
};
export const someBalanceId = balanceId(hash32(1, 2, 3, 4, 5));

// ---- ledger entries and changes ----
const entry = (data: xdr.LedgerEntryData): xdr.LedgerEntry => new xdr.LedgerEntry({ lastModifiedLedgerSeq: 1, data, ext: new xdr.LedgerEntryExt(0) });

export function accountEntry(g: string, balance: bigint): xdr.LedgerEntry {
  return entry(
    xdr.LedgerEntryData.account(
      new xdr.AccountEntry({
        accountId: accountId(g),
        balance: i64(balance),
        seqNum: i64(12345),
        numSubEntries: 0,
        inflationDest: null,
        flags: 0,
        homeDomain: '',
        thresholds: Buffer.from([1, 0, 0, 0]),
        signers: [],
        ext: new xdr.AccountEntryExt(0),
      }),
    ),
  );
}

export function trustlineEntry(g: string, asset: xdr.Asset, balance: bigint): xdr.LedgerEntry {
  const tlAsset = xdr.TrustLineAsset.fromXDR(asset.toXDR());
  return entry(
    xdr.LedgerEntryData.trustline(
      new xdr.TrustLineEntry({
        accountId: accountId(g),
        asset: tlAsset,
        balance: i64(balance),
        limit: i64(1n << 62n),
        flags: 1,
        ext: new xdr.TrustLineEntryExt(0),
      }),
    ),
  );
}

export function cbEntry(id: xdr.ClaimableBalanceId, asset: xdr.Asset, amount: bigint): xdr.LedgerEntry {
  return entry(
    xdr.LedgerEntryData.claimableBalance(
      new xdr.ClaimableBalanceEntry({
        balanceId: id,
        claimants: [],
        asset,
        amount: i64(amount),
        ext: new xdr.ClaimableBalanceEntryExt(0),
      }),
    ),
  );
}

export function lpEntry(id: Buffer, a: xdr.Asset, b: xdr.Asset, reserveA: bigint, reserveB: bigint): xdr.LedgerEntry {
  return entry(
    xdr.LedgerEntryData.liquidityPool(
      new xdr.LiquidityPoolEntry({
        liquidityPoolId: id as unknown as xdr.PoolId,
        body: xdr.LiquidityPoolEntryBody.liquidityPoolConstantProduct(
          new xdr.LiquidityPoolEntryConstantProduct({
            params: new xdr.LiquidityPoolConstantProductParameters({ assetA: a, assetB: b, fee: 30 }),
            reserveA: i64(reserveA),
            reserveB: i64(reserveB),
            totalPoolShares: i64(0),
            poolSharesTrustLineCount: i64(0),
          }),
        ),
      }),
    ),
  );
}

export const state = (e: xdr.LedgerEntry): xdr.LedgerEntryChange => xdr.LedgerEntryChange.ledgerEntryState(e);
export const updated = (e: xdr.LedgerEntry): xdr.LedgerEntryChange => xdr.LedgerEntryChange.ledgerEntryUpdated(e);
export const created = (e: xdr.LedgerEntry): xdr.LedgerEntryChange => xdr.LedgerEntryChange.ledgerEntryCreated(e);
export const removedCb = (id: xdr.ClaimableBalanceId): xdr.LedgerEntryChange =>
  xdr.LedgerEntryChange.ledgerEntryRemoved(xdr.LedgerKey.claimableBalance(new xdr.LedgerKeyClaimableBalance({ balanceId: id })));
export const removedLp = (id: Buffer): xdr.LedgerEntryChange =>
  xdr.LedgerEntryChange.ledgerEntryRemoved(xdr.LedgerKey.liquidityPool(new xdr.LedgerKeyLiquidityPool({ liquidityPoolId: id as unknown as xdr.PoolId })));

/** [STATE, UPDATED] of an account whose balance goes from `from` to `to`. */
export const accountChange = (g: string, from: bigint, to: bigint): xdr.LedgerEntryChange[] => [state(accountEntry(g, from)), updated(accountEntry(g, to))];

// ---- operations ----
export const op = (body: xdr.OperationBody, source?: xdr.MuxedAccount): xdr.Operation => new xdr.Operation({ sourceAccount: source ?? null, body });

export const paymentOp = (src: xdr.MuxedAccount | undefined, dst: xdr.MuxedAccount, asset: xdr.Asset, amount: bigint): xdr.Operation =>
  op(xdr.OperationBody.payment(new xdr.PaymentOp({ destination: dst, asset, amount: i64(amount) })), src);

export const strictSendOp = (src: xdr.MuxedAccount | undefined, dst: xdr.MuxedAccount, sendAsset: xdr.Asset, destAsset: xdr.Asset): xdr.Operation =>
  op(
    xdr.OperationBody.pathPaymentStrictSend(
      new xdr.PathPaymentStrictSendOp({
        sendAsset,
        sendAmount: i64(1),
        destination: dst,
        destAsset,
        destMin: i64(1),
        path: [],
      }),
    ),
    src,
  );

export const strictReceiveOp = (
  src: xdr.MuxedAccount | undefined,
  dst: xdr.MuxedAccount,
  sendAsset: xdr.Asset,
  destAsset: xdr.Asset,
  destAmount: bigint,
): xdr.Operation =>
  op(
    xdr.OperationBody.pathPaymentStrictReceive(
      new xdr.PathPaymentStrictReceiveOp({
        sendAsset,
        sendMax: i64(1n << 62n),
        destination: dst,
        destAsset,
        destAmount: i64(destAmount),
        path: [],
      }),
    ),
    src,
  );

const price = new xdr.Price({ n: 1, d: 1 });
export const manageBuyOfferOp = (src?: xdr.MuxedAccount): xdr.Operation =>
  op(xdr.OperationBody.manageBuyOffer(new xdr.ManageBuyOfferOp({ selling: xlm, buying: usdc, buyAmount: i64(1), price, offerId: i64(0) })), src);
export const manageSellOfferOp = (src?: xdr.MuxedAccount): xdr.Operation =>
  op(xdr.OperationBody.manageSellOffer(new xdr.ManageSellOfferOp({ selling: xlm, buying: usdc, amount: i64(1), price, offerId: i64(0) })), src);

export const claimCbOp = (id: xdr.ClaimableBalanceId, src?: xdr.MuxedAccount): xdr.Operation =>
  op(xdr.OperationBody.claimClaimableBalance(new xdr.ClaimClaimableBalanceOp({ balanceId: id })), src);
export const clawbackCbOp = (id: xdr.ClaimableBalanceId): xdr.Operation =>
  op(xdr.OperationBody.clawbackClaimableBalance(new xdr.ClawbackClaimableBalanceOp({ balanceId: id })));
export const clawbackOp = (from: xdr.MuxedAccount, asset: xdr.Asset, amount: bigint): xdr.Operation =>
  op(xdr.OperationBody.clawback(new xdr.ClawbackOp({ asset, from, amount: i64(amount) })));
export const lpDepositOp = (id: Buffer, src?: xdr.MuxedAccount): xdr.Operation =>
  op(
    xdr.OperationBody.liquidityPoolDeposit(
      new xdr.LiquidityPoolDepositOp({
        liquidityPoolId: id as unknown as xdr.PoolId,
        maxAmountA: i64(1),
        maxAmountB: i64(1),
        minPrice: price,
        maxPrice: price,
      }),
    ),
    src,
  );
export const lpWithdrawOp = (id: Buffer, src?: xdr.MuxedAccount): xdr.Operation =>
  op(
    xdr.OperationBody.liquidityPoolWithdraw(
      new xdr.LiquidityPoolWithdrawOp({
        liquidityPoolId: id as unknown as xdr.PoolId,
        amount: i64(1),
        minAmountA: i64(0),
        minAmountB: i64(0),
      }),
    ),
    src,
  );
export const createAccountOp = (src: xdr.MuxedAccount, dest: string, startingBalance: bigint): xdr.Operation =>
  op(xdr.OperationBody.createAccount(new xdr.CreateAccountOp({ destination: accountId(dest), startingBalance: i64(startingBalance) })), src);
export const mergeOp = (src: xdr.MuxedAccount, dest: xdr.MuxedAccount): xdr.Operation => op(xdr.OperationBody.accountMerge(dest), src);
export const inflationOp = (): xdr.Operation => op(xdr.OperationBody.inflation());
export const setTrustLineFlagsOp = (): xdr.Operation =>
  op(xdr.OperationBody.setTrustLineFlags(new xdr.SetTrustLineFlagsOp({ trustor: accountId(accountA), asset: usdc, clearFlags: 1, setFlags: 0 })));

// ---- operation results ----
const inner = (tr: xdr.OperationResultTr): xdr.OperationResult => xdr.OperationResult.opInner(tr);
/** A result for operations whose result the processor does not read. */
export const noResult = (): xdr.OperationResult => inner(xdr.OperationResultTr.payment(xdr.PaymentResult.paymentSuccess()));

export function orderBookAtom(seller: string, assetSold: xdr.Asset, amountSold: bigint, assetBought: xdr.Asset, amountBought: bigint): xdr.ClaimAtom {
  return xdr.ClaimAtom.claimAtomTypeOrderBook(
    new xdr.ClaimOfferAtom({
      sellerId: accountId(seller),
      offerId: i64(1),
      assetSold,
      amountSold: i64(amountSold),
      assetBought,
      amountBought: i64(amountBought),
    }),
  );
}
export function poolAtom(pool: Buffer, assetSold: xdr.Asset, amountSold: bigint, assetBought: xdr.Asset, amountBought: bigint): xdr.ClaimAtom {
  return xdr.ClaimAtom.claimAtomTypeLiquidityPool(
    new xdr.ClaimLiquidityAtom({
      liquidityPoolId: pool as unknown as xdr.PoolId,
      assetSold,
      amountSold: i64(amountSold),
      assetBought,
      amountBought: i64(amountBought),
    }),
  );
}

const offerSuccess = (claims: xdr.ClaimAtom[]): xdr.ManageOfferSuccessResult =>
  new xdr.ManageOfferSuccessResult({ offersClaimed: claims, offer: xdr.ManageOfferSuccessResultOffer.manageOfferDeleted() });
export const manageBuyOfferResult = (claims: xdr.ClaimAtom[]): xdr.OperationResult =>
  inner(xdr.OperationResultTr.manageBuyOffer(xdr.ManageBuyOfferResult.manageBuyOfferSuccess(offerSuccess(claims))));
export const manageSellOfferResult = (claims: xdr.ClaimAtom[]): xdr.OperationResult =>
  inner(xdr.OperationResultTr.manageSellOffer(xdr.ManageSellOfferResult.manageSellOfferSuccess(offerSuccess(claims))));
export const strictSendResult = (claims: xdr.ClaimAtom[], destAmount: bigint, dest: string = accountB, destAsset: xdr.Asset = xlm): xdr.OperationResult =>
  inner(
    xdr.OperationResultTr.pathPaymentStrictSend(
      xdr.PathPaymentStrictSendResult.pathPaymentStrictSendSuccess(
        new xdr.PathPaymentStrictSendResultSuccess({
          offers: claims,
          last: new xdr.SimplePaymentResult({ destination: accountId(dest), asset: destAsset, amount: i64(destAmount) }),
        }),
      ),
    ),
  );
export const strictReceiveResult = (claims: xdr.ClaimAtom[], dest: string = accountB): xdr.OperationResult =>
  inner(
    xdr.OperationResultTr.pathPaymentStrictReceive(
      xdr.PathPaymentStrictReceiveResult.pathPaymentStrictReceiveSuccess(
        new xdr.PathPaymentStrictReceiveResultSuccess({
          offers: claims,
          last: new xdr.SimplePaymentResult({ destination: accountId(dest), asset: xlm, amount: i64(0) }),
        }),
      ),
    ),
  );
export const mergeResult = (balance: bigint): xdr.OperationResult =>
  inner(xdr.OperationResultTr.accountMerge(xdr.AccountMergeResult.accountMergeSuccess(i64(balance))));
export const inflationResult = (payouts: Array<[string, bigint]>): xdr.OperationResult =>
  inner(
    xdr.OperationResultTr.inflation(
      xdr.InflationResult.inflationSuccess(payouts.map(([g, amount]) => new xdr.InflationPayout({ destination: accountId(g), amount: i64(amount) }))),
    ),
  );
export const createCbResult = (id: xdr.ClaimableBalanceId): xdr.OperationResult =>
  inner(xdr.OperationResultTr.createClaimableBalance(xdr.CreateClaimableBalanceResult.createClaimableBalanceSuccess(id)));
