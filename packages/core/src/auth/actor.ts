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
      scopes: Scope[];
      repositoryIds: string[];
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

export function actorId(actor: Actor): string | undefined {
  if (actor.kind === 'user') return actor.userId;
  if (actor.kind === 'token') return actor.tokenId;
  return undefined;
}
