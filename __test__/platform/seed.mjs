// Seed data for the local test platform. Every id and guid is fixed so tests are deterministic:
// import these names instead of hard-coding values in tests.
import { fileURLToPath } from 'node:url';

export const REALM = 'Broker';
export const PUBLIC_CLIENT_ID = 'amplify-cli';
/** A public client that may use the resource owner password grant (`grant_type=password`, the
 * SDK's `OwnerPassword`) with a user's email and (browser) password. */
export const PASSWORD_CLIENT_ID = 'amplify-password-test';
export const IDENTITY_PROVIDER = 'axway-idp';

const fixture = (name) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** The committed RSA key pair of the private-key-JWT service account (same key, three files). */
export const JWT_CLIENT_KEY = {
	pkcs8: fixture('jwt-client.pem'), // -----BEGIN PRIVATE KEY-----
	pkcs1: fixture('jwt-client-pkcs1.pem'), // -----BEGIN RSA PRIVATE KEY-----
	publicKey: fixture('jwt-client.pub.pem') // -----BEGIN PUBLIC KEY----- (registered as the client's jwks)
};

export const ROLES = [
	{ id: 'administrator', name: 'Administrator', org: true, team: true },
	{ id: 'developer', name: 'Developer', default: true, org: true, team: true, client: true }
];

export const ORGS = {
	acme: {
		org_id: 100,
		guid: '32bb5d4a-973f-4613-ba38-5088a8b5273b',
		name: 'Acme Corp',
		region: 'US'
	},
	beta: {
		org_id: 200,
		guid: '5c0e4a1b-2d3f-4e5a-8b6c-7d8e9f0a1b2c',
		name: 'Beta Inc',
		region: 'EU'
	}
};

export const USERS = {
	alice: {
		sub: 'd81d5ef6-7549-4864-accb-03e85e824f49', // Keycloak user id (token `sub`)
		guid: 'a0ee92cf-c26c-48fe-b284-ee74f5d3a2c4', // platform user guid (token `guid`)
		email: 'alice@example.com',
		password: 'alice-password', // browser (OIDC) login
		toolingPassword: 'alice-tooling', // POST /api/v1/auth/login
		firstname: 'Alice',
		lastname: 'Anderson',
		phone: '+1 555 0100',
		axway_id: '100001',
		date_activated: '2020-01-15T10:00:00.000Z',
		organization: 'Acme Corp',
		orgs: [
			{ org_id: 100, roles: [ 'administrator' ] },
			{ org_id: 200, roles: [ 'administrator' ] }
		]
	},
	bob: {
		sub: 'f3b0c442-98fc-4c14-9afb-f4c8996fb924',
		guid: '0c81c7f4-5937-4bc5-bd0e-b6e8fce7232a',
		email: 'bob@example.com',
		password: 'bob-password',
		toolingPassword: 'bob-tooling',
		firstname: 'Bob',
		lastname: 'Builder',
		phone: '+1 555 0101',
		axway_id: '100002',
		date_activated: '2021-03-01T09:30:00.000Z',
		organization: 'Acme Corp',
		orgs: [
			{ org_id: 100, roles: [ 'developer' ] }
		]
	}
};

export const SERVICE_ACCOUNTS = {
	/** client_secret_post */
	secret: {
		clientId: 'DOSA_4fc1d2e0b7aa4c5e9d3c2b1a0f9e8d7c',
		clientSecret: 'svc-secret-0001',
		guid: 'ed347cbf-ebe5-4ad2-bad6-9ee427741e60',
		name: 'Acme CI (secret)',
		org_id: 100
	},
	/** private_key_jwt, key pair in JWT_CLIENT_KEY */
	jwt: {
		clientId: 'DOSA_9a8b7c6d5e4f40312233445566778899',
		guid: '75aac2de-1855-4353-96a3-f292a5825acc',
		name: 'Beta deploy (signed JWT)',
		org_id: 200
	}
};

const pad = (n, width) => String(n).padStart(width, '0');

/** DOSA_load0001 … DOSA_load0030, secrets load-secret-0001 …, all in org 100. */
export const LOAD_SERVICE_ACCOUNTS = Array.from({ length: 30 }, (_, i) => ({
	clientId: `DOSA_load${pad(i + 1, 4)}`,
	clientSecret: `load-secret-${pad(i + 1, 4)}`,
	guid: `00000000-0000-4000-8000-${pad(i + 1, 12)}`,
	name: `Load test ${pad(i + 1, 4)}`,
	org_id: 100
}));

const loadClients = LOAD_SERVICE_ACCOUNTS.map(sa => ({ guid: sa.guid, roles: [ 'developer' ], type: 'client' }));

export const TEAMS = [
	{
		guid: '3882105c-b0e0-4aa8-9c06-4f8d9902688c',
		name: 'Default Team',
		default: true,
		tags: [],
		org_id: 100,
		users: [
			{ guid: USERS.alice.guid, roles: [ 'administrator' ], type: 'user' },
			{ guid: USERS.bob.guid, roles: [ 'developer' ], type: 'user' },
			{ guid: SERVICE_ACCOUNTS.secret.guid, roles: [ 'developer' ], type: 'client' },
			...loadClients
		]
	},
	{
		guid: '7ab9ac7a-75e5-46de-b647-fa5ba8c71e57',
		name: 'Platform Team',
		default: false,
		tags: [ 'infra' ],
		org_id: 100,
		users: [
			{ guid: USERS.alice.guid, roles: [ 'administrator' ], type: 'user' }
		]
	},
	{
		guid: '9e1f2a3b-4c5d-4e6f-8a7b-0c1d2e3f4a5b',
		name: 'Beta Team',
		default: true,
		tags: [],
		org_id: 200,
		users: [
			{ guid: USERS.alice.guid, roles: [ 'administrator' ], type: 'user' },
			{ guid: SERVICE_ACCOUNTS.jwt.guid, roles: [ 'developer' ], type: 'client' }
		]
	}
];

/** Every client-secret service account (the named one plus the load accounts). */
export const SECRET_SERVICE_ACCOUNTS = [ SERVICE_ACCOUNTS.secret, ...LOAD_SERVICE_ACCOUNTS ];
export const ALL_SERVICE_ACCOUNTS = [ ...SECRET_SERVICE_ACCOUNTS, SERVICE_ACCOUNTS.jwt ];
