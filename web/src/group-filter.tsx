import type { MyAccount } from './api';
import { listUserGroups, USER_GROUPS_FEATURE } from './management-data';
import { can } from './session';
import { useLoad } from './ui';

/** Whether a list filters by user group: for those who may see the groups (account administrators), in an account that has them. */
const filtersByGroup = (account: MyAccount) => account.features.includes(USER_GROUPS_FEATURE) && can(account, 'configuration.manage');

/**
 * The "User group" filter of the lists that narrow by one (Installations, Virtual Machines): a
 * group is bound to one sublicense, so it narrows them as that key does. Shown once the account
 * has a group, or while the address names one.
 */
export function GroupFilter({ account, groupId, onChange }: { account: MyAccount; groupId: string | null; onChange: (groupId: string | null) => void }) {
  const byGroup = filtersByGroup(account);
  const [groups] = useLoad(() => (byGroup ? listUserGroups(account.id) : Promise.resolve([])), [account.id, byGroup]);
  if (!groupId && !(groups.status === 'ready' && groups.data.length > 0)) return null;
  return (
    <label>
      User group
      <select value={groupId ?? ''} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">All groups</option>
        {groups.status === 'ready' &&
          groups.data.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
      </select>
    </label>
  );
}
