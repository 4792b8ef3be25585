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

// What each role may do in casework, mirroring src/workflow/permissions.cpp so that pages offer
// only the actions the server will allow. The server checks every request regardless.

/** Reads cases, inboxes and records (admin and auditor do not: separation of duties). */
export function canReadCasework(role: Role): boolean {
  return ['practitioner', 'manager', 'mash_coordinator', 'analyst', 'reviewer'].includes(role);
}

/** Raises concerns, proposes decisions, records meetings, completes tasks, screens risk. */
export function canWorkCases(role: Role): boolean {
  return ['practitioner', 'manager', 'mash_coordinator'].includes(role);
}

/** Approves or refuses a proposed NFA or closure (never their own). */
export function canSignOff(role: Role): boolean {
  return role === 'manager';
}

/** Acknowledges alerts and escalations, with a note. */
export function canAcknowledge(role: Role): boolean {
  return role === 'manager' || role === 'mash_coordinator';
}

/** Works the MASH triage queue. */
export function canTriage(role: Role): boolean {
  return role === 'mash_coordinator' || role === 'manager';
}

/** Reads who saw and did what to a record (the ledger trail): reviewers and managers. */
export function canReadTrail(role: Role): boolean {
  return role === 'reviewer' || role === 'manager';
}

/** Runs oversight reports: managers, independent reviewers and auditors. */
export function canReadOversight(role: Role): boolean {
  return role === 'manager' || role === 'reviewer' || role === 'auditor';
}

/** Adds colleagues from any agency to a case's team: managers and MASH coordinators. */
export function canManageCaseTeam(role: Role): boolean {
  return role === 'manager' || role === 'mash_coordinator';
}

/** Restricts a case to named users and teams, and lifts the restriction: managers. */
export function canRestrict(role: Role): boolean {
  return role === 'manager';
}

/** Acknowledges break-glass notices in the auditors' inbox. */
export function canAcknowledgeAudit(role: Role): boolean {
  return role === 'auditor';
}

/** Records sharing agreements and sets reviewers' remits; sees no case content. */
export function canAdminister(role: Role): boolean {
  return role === 'admin';
}
