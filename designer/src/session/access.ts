/**
 * What the designer lets an account do, from its roles as the route policies grant them
 * (server/access/route-policies.ts): staff and administrators model, save and deploy; analysts
 * open, compare and analyse; citizens and officials have no use for it (their portal and
 * workspace are other pages).
 */
import type { MessageKey } from '../i18n.ts';
import type { Role } from './session-api.ts';

export type DesignerAccess = 'edit' | 'view' | 'none';

export function designerAccess(roles: readonly Role[]): DesignerAccess {
  if (roles.includes('staff') || roles.includes('admin')) return 'edit';
  if (roles.includes('analyst')) return 'view';
  return 'none';
}

const ROLE_NAMES: Record<Role, MessageKey> = {
  citizen: 'roleCitizen',
  official: 'roleOfficial',
  staff: 'roleStaff',
  analyst: 'roleAnalyst',
  admin: 'roleAdmin',
  worker: 'roleWorker',
};

export const roleName = (role: Role): MessageKey => ROLE_NAMES[role];
