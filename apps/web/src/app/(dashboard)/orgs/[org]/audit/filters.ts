// The audit log's action filters, shared by the page and its CSV export.
export const ACTION_FILTERS = [
  ['', 'All actions'],
  ['repository.', 'Repositories'],
  ['package.', 'Packages'],
  ['publication.', 'Publications'],
  ['token.', 'Tokens'],
  ['member', 'Members and invitations'],
  ['invitation.', 'Invitations'],
  ['signing_key.', 'Signing keys'],
  ['user.', 'Sign-ups and sign-ins'],
  ['org.', 'Org'],
] as const;

export function actionFilter(raw: string | undefined): string | undefined {
  return ACTION_FILTERS.some(([v]) => v && v === raw) ? raw : undefined;
}
