import { StorageError, type StorageErrorContext } from './errors.js';

/**
 * Rejects keys that could escape the store's base (`..` segments, absolute paths) or that
 * backends treat differently (empty segments, backslashes, NUL). The same rule for every
 * backend keeps a data lake portable between FS, S3 and GCS.
 */
export function checkKey(key: string, ctx: Omit<StorageErrorContext, 'key'>, allowEmpty = false): void {
  const bad = (why: string): never => {
    throw new StorageError({ ...ctx, key }, 'invalid', `invalid key: ${why}`);
  };
  if (key === '') {
    if (allowEmpty) return;
    bad('empty');
  }
  if (key.startsWith('/')) bad('absolute keys are not allowed');
  if (key.includes('\\')) bad('backslashes are not allowed');
  if (key.includes('\0')) bad('NUL is not allowed');
  const segments = key.split('/');
  segments.forEach((s, i) => {
    if (s === '..' || s === '.') bad(`"${s}" segments are not allowed`);
    // A trailing slash is fine for list prefixes, never inside a key.
    if (s === '' && !(allowEmpty && i === segments.length - 1)) bad('empty path segments are not allowed');
  });
}

/** Normalises a bucket prefix to '' or 'a/b/' so keys can be appended directly. */
export function normalisePrefix(prefix: string | undefined): string {
  const p = (prefix ?? '').replace(/^\/+/, '').replace(/\/+$/, '');
  return p === '' ? '' : `${p}/`;
}
