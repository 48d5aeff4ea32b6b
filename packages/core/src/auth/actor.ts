// Who is acting: a signed-in user, an API token, or the system (worker). Carried into every core call.
export const SCOPES = ['org:admin', 'repo:write', 'repo:read'] as const;
export type Scope = (typeof SCOPES)[number];

export type Actor =
  | { kind: 'user'; userId: string; email: string; ip?: string }
  | {
      kind: 'token';
      tokenId: string;
      orgId: string;
      name: string;
      displayPrefix: string;
      /** the token's scopes as far as its creator's current role still allows them */
      scopes: Scope[];
      repositoryIds: string[];
      /** the user who made the token (tokens made by a token record that token's creator) */
      creatorUserId: string;
      ip?: string;
    }
  | { kind: 'anonymous'; ip?: string }
  | { kind: 'system'; ip?: string };

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return actor.email;
    case 'token':
      return `token ${actor.name} (${actor.displayPrefix}…)`;
    case 'anonymous':
      return 'anonymous';
    case 'system':
      return 'system';
  }
}

/** The person behind an actor: the user, or the user who created the token. */
export function actingUserId(actor: Actor): string | undefined {
  if (actor.kind === 'user') return actor.userId;
  if (actor.kind === 'token') return actor.creatorUserId;
  return undefined;
}

export function actorId(actor: Actor): string | undefined {
  if (actor.kind === 'user') return actor.userId;
  if (actor.kind === 'token') return actor.tokenId;
  return undefined;
}
