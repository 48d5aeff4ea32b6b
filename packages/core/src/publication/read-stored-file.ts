// A published file's bytes read back whole from storage (the indexes and repodata a publication appends to).
import type { CoreContext } from '../context/core-context';

/** The object's bytes, or null when storage has no such object. */
export async function readStoredFile(ctx: CoreContext, key: string): Promise<Buffer | null> {
  const obj = await ctx.storage.get(key);
  if (!obj) return null;
  const chunks: Buffer[] = [];
  for await (const c of obj.body) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}
