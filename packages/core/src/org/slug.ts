// The contract's slug rule for orgs and repositories.
import { z } from 'zod';

export const SLUG_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const slugSchema = z.string().regex(SLUG_RE, 'must be lowercase letters, digits and dashes (max 63)');
