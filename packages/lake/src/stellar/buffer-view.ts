/**
 * Node Buffers over bytes the decoder already holds, without copying: the Stellar SDK's
 * XDR readers and strkey encoders take Buffers, and Buffer's hex is the fast one.
 */
export const asBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** Lower-case hex of the bytes. */
export const toHex = (u: Uint8Array): string => asBuffer(u).toString('hex');
