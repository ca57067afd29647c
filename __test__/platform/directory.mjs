// Lookups over the seed data plus the little mutable state the platform keeps per instance
// (each user's currently selected org). Also builds the platform API response shapes.
import { ALL_SERVICE_ACCOUNTS, ORGS, ROLES, TEAMS, USERS } from './seed.mjs';

const ORG_CREATED = '2020-01-01T00:00:00.000Z';

export function createDirectory() {
	const users = Object.values(USERS);
	const orgs = Object.values(ORGS);
	const selectedOrg = new Map(); // user guid -> org_id

	const dir = {
		userBySub: sub => users.find(u => u.sub === sub),
		userByGuid: guid => users.find(u => u.guid === guid),
		userByEmail: email => users.find(u => u.email.toLowerCase() === String(email || '').trim().toLowerCase()),
		serviceAccount: clientId => ALL_SERVICE_ACCOUNTS.find(sa => sa.clientId === clientId),

		/** By numeric org_id (number or string) or by guid. */
		org(id) {
			return orgs.find(o => String(o.org_id) === String(id) || o.guid === id);
		},

		membership: (user, orgId) => user.orgs.find(m => String(m.org_id) === String(orgId)),

		/** The user's currently selected org (defaults to their first org). */
		currentOrg(user) {
			return dir.org(selectedOrg.get(user.guid) ?? user.orgs[0].org_id);
		},

		selectOrg(user, orgId) {
			if (!dir.membership(user, orgId)) {
				return false;
			}
			selectedOrg.set(user.guid, dir.org(orgId).org_id);
			return true;
		},

		reset() {
			selectedOrg.clear();
		},

		// ---- response shapes ----------------------------------------------------------------

		orgJson(org) {
			return {
				active: true,
				created: ORG_CREATED,
				guid: org.guid,
				name: org.name,
				org_id: org.org_id,
				region: org.region,
				entitlements: { limit_users: 50, limit_read_only_users: 5, apiRateMonth: 1000000 },
				subscriptions: [ {
					product: 'central',
					plan: 'enterprise',
					tier: 'tier1',
					governance: 'SaaS',
					start_date: '2024-01-01T00:00:00.000Z',
					end_date: '2030-01-01T00:00:00.000Z',
					expired: false
				} ],
				users: users
					.filter(u => dir.membership(u, org.org_id))
					.map(u => ({ guid: u.guid, roles: dir.membership(u, org.org_id).roles }))
			};
		},

		teamsJson(orgFilter) {
			return TEAMS
				.filter(t => !orgFilter || t.org_id === orgFilter.org_id)
				.map(({ org_id, users: members, ...team }) => ({
					...team,
					created: ORG_CREATED,
					org_guid: dir.org(org_id).guid,
					users: members.map(m => ({ ...m }))
				}));
		},

		rolesJson({ team } = {}) {
			return ROLES.filter(r => !team || r.team).map(r => ({ ...r }));
		},

		userJson(user) {
			return {
				guid: user.guid,
				email: user.email,
				firstname: user.firstname,
				lastname: user.lastname,
				phone: user.phone,
				axway_id: user.axway_id,
				date_activated: user.date_activated,
				organization: user.organization,
				active: true
			};
		},

		/** The findSession `result` for a user whose session is bound to `org`. */
		sessionJson(user, org = dir.currentOrg(user)) {
			const { roles } = dir.membership(user, org.org_id);
			return {
				org: dir.orgJson(org),
				orgs: user.orgs.map(m => {
					const o = dir.org(m.org_id);
					return { guid: o.guid, name: o.name, org_id: o.org_id, region: o.region, roles: [ ...m.roles ] };
				}),
				role: roles[0],
				roles: [ ...roles ],
				user: dir.userJson(user)
			};
		}
	};
	return dir;
}
