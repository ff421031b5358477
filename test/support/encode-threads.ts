/**
 * Stops thread `t` of an EncodeThreads behind its back, as a crash would (an orderly close()
 * reports nothing to the writers), and returns the stopped thread's handle.
 */
export async function killEncodeThread(threads: unknown, t = 0): Promise<unknown> {
  const native = (threads as { slots: { thread: { native: { terminate(): Promise<number> } } }[] }).slots[t]!.thread.native;
  await native.terminate();
  return native;
}
