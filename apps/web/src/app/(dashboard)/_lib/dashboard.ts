// How dashboard pages and server actions reach core: the signed-in user as the Actor, the same core
// services as the REST API, and domain errors turned into the 404 page, a sign-in redirect or words.
import { type Actor, type CoreContext, DomainError } from '@pallet/core';
import { notFound, redirect } from 'next/navigation';
import { getCore } from '@/lib/core';
import { assertSafeValue } from '@/lib/edge-input';
import { requireSessionActor } from '@/lib/session';

export async function dashboardActor(): Promise<Actor> {
  try {
    return await requireSessionActor();
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'unauthorized') redirect('/sign-in');
    throw err;
  }
}

export type Loaded<T> = { ok: true; data: T } | { ok: false; message: string };

/**
 * Runs a core read for a page. Unknown resources and those of other orgs become the 404 page; a
 * missing permission comes back as a sentence for the page to show.
 */
export async function load<T>(read: (core: CoreContext, actor: Actor) => Promise<T>): Promise<Loaded<T>> {
  const actor = await dashboardActor();
  try {
    return { ok: true, data: await read(getCore(), actor) };
  } catch (err) {
    if (err instanceof DomainError) {
      if (err.kind === 'not_found') notFound();
      if (err.kind === 'unauthorized') redirect('/sign-in');
      if (err.kind === 'forbidden')
        return {
          ok: false,
          message: 'Your role in this org does not allow this page. Ask an owner or admin.',
        };
    }
    throw err;
  }
}

/** Like load, for reads that every member may do: anything but data is the 404 page. */
export async function loadOr404<T>(read: (core: CoreContext, actor: Actor) => Promise<T>): Promise<T> {
  const r = await load(read);
  if (!r.ok) notFound();
  return r.data;
}

export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: string } | null;

/**
 * Runs a core change for a server action and answers in words: the domain message, or a safe sentence.
 * `inputs` is everything the browser sent (form fields and bound arguments): checked like a JSON body
 * of the REST API before anything reaches core.
 */
export async function act<T>(
  inputs: unknown,
  change: (core: CoreContext, actor: Actor) => Promise<T>,
): Promise<{ ok: true; data: T } | { ok: false; error: string }> {
  const actor = await dashboardActor();
  try {
    assertSafeValue(inputs, 'The form');
    return { ok: true, data: await change(getCore(), actor) };
  } catch (err) {
    return { ok: false, error: errorSentence(err) };
  }
}

export function errorSentence(err: unknown): string {
  if (err instanceof DomainError) {
    if (err.kind === 'forbidden') return 'Your role in this org does not allow this. Ask an owner or admin.';
    return err.message;
  }
  const e = err as Error;
  getCore().log.error(
    { err: { name: e?.name, message: e?.message, stack: e?.stack } },
    'dashboard action failed',
  );
  return 'Something went wrong on our side; nothing was changed. Try again.';
}
