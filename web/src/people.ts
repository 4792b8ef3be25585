// Names for user ids: records carry ids (proposed_by, recorded_by, owner_id, sign_off.by);
// pages show the colleague's name from GET /api/v1/users, "you" for the signed-in user, and
// a short id when the list could not be loaded or the account is no longer active.

import { fetchColleagues } from './api/casework_api';
import type { Colleague } from './api/casework_types';
import type { ApiClient } from './api/client';
import { shortId } from './format';
import { roleLabel } from './roles';
import { ROLES, type Role } from './api/types';

export class People {
  private readonly byId: ReadonlyMap<string, Colleague>;
  private readonly me: string;
  /** False when GET /api/v1/users failed: names fall back to short ids. */
  readonly loaded: boolean;

  constructor(colleagues: readonly Colleague[] | null, me: string) {
    this.byId = new Map((colleagues ?? []).map((c) => [c.id, c]));
    this.me = me;
    this.loaded = colleagues !== null;
  }

  static async load(api: ApiClient, me: string): Promise<People> {
    const result = await fetchColleagues(api);
    return new People(result.ok ? result.value : null, me);
  }

  /** The colleague with `id`, if their account is active and the list loaded. */
  get(id: string): Colleague | undefined {
    return this.byId.get(id);
  }

  /** "you", "Alex Manager", or "user …9f3a2c" when unknown. */
  name(id: string): string {
    if (id === this.me) return 'you';
    return this.byId.get(id)?.display_name ?? `user ${shortId(id)}`;
  }

  /** As name(), starting a sentence: "You", "Alex Manager". */
  nameAtStart(id: string): string {
    const name = this.name(id);
    return name === 'you' ? 'You' : name;
  }

  /** "Alex Manager (Manager, Northfield Children's Services)", for choosing someone. */
  describe(c: Colleague): string {
    const role = (ROLES as readonly string[]).includes(c.role) ? roleLabel(c.role as Role) : c.role.replace(/_/g, ' ');
    return `${c.display_name} (${role}${c.agency === null ? '' : `, ${c.agency.name}`})`;
  }

  /** Colleagues with one of `roles`, by agency then name. */
  withRoles(roles: readonly string[]): Colleague[] {
    return [...this.byId.values()]
      .filter((c) => roles.includes(c.role))
      .sort((a, b) => (a.agency?.name ?? '').localeCompare(b.agency?.name ?? '') || a.display_name.localeCompare(b.display_name));
  }
}
