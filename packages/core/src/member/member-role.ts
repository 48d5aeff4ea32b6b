// Roles as the API spells them (`owner`, `admin`, `publisher`, `viewer`) and who may hand out which.
import type { Role } from '@pallet/db';
import { z } from 'zod';

export const ROLE_NAMES = ['owner', 'admin', 'publisher', 'viewer'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
export const roleNameSchema = z.enum(ROLE_NAMES);

export function toRoleName(role: Role): RoleName {
  return role.toLowerCase() as RoleName;
}

export function toRole(name: RoleName): Role {
  return name.toUpperCase() as Role;
}
