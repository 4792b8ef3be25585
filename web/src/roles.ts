// How roles are named to people. The API codes are DESIGN.md's users ("Users").

import type { Role } from './api/types';

const kRoleLabels: Record<Role, string> = {
  practitioner: 'Practitioner',
  manager: 'Manager',
  mash_coordinator: 'MASH coordinator',
  analyst: 'Intelligence analyst',
  reviewer: 'Independent reviewer',
  auditor: 'Auditor',
  admin: 'Administrator',
};

export function roleLabel(role: Role): string {
  return kRoleLabels[role];
}
