import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import Provider from 'oidc-provider';
import type { Role } from '../../access/roles.js';
import { addUser, seedSchool } from '../../testing/fixtures.js';
import { verifyAuditChain } from '../../audit/service.js';
import { ApiClient, startTestServer } from '../../testing/http.js';
import { createTestStore, testContext, type TestStore } from '../../testing/store.js';

interface IdpUser {
  email: string;
  email_verified?: boolean;
  /** Microsoft Entra's "email domain owner verified" optional claim, sent instead of email_verified. */
  xms_edov?: boolean;
}

interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The subject the next interaction signs in as: the test's stand-in for a person typing. */
  nextLogin: string;
  close(): Promise<void>;
}

/**
 * A real OpenID provider on 127.0.0.1. Its interaction page approves at once (login and consent
 * in one step) as whoever `nextLogin` names, so no HTML has to be scraped. `leanIdToken` keeps
 * the email out of the ID token, as some providers do, so Tutela must ask userinfo for it.
 */
async function startIdp(redirectUri: string, users: Record<string, IdpUser>, options: { leanIdToken?: boolean } = {}): Promise<TestIdp> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const idp: TestIdp = {
    issuer,
    clientId: 'tutela',
    clientSecret: 'tutela-test-secret-that-is-long-enough',
    nextLogin: '',
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [{ ...jwk, kid: 'test', use: 'sig', alg: 'RS256' }] },
    cookies: { keys: ['oidc-test-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified', 'xms_edov'], profile: ['name'] },
    conformIdTokenClaims: options.leanIdToken ?? false,
    features: { devInteractions: { enabled: false } },
    ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    findAccount: (_ctx: unknown, sub: string) => {
      const user = users[sub];
      return user ? { accountId: sub, claims: () => ({ sub, ...user }) } : undefined;
    },
  });
  const oidc = provider.callback();
  handler = (req, res) => {
    if (!req.url?.startsWith('/interaction/')) return void oidc(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      const grant = new provider.Grant({ accountId: idp.nextLogin, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope ?? 'openid');
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: idp.nextLogin }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  };
  return idp;
}

/** Cookies by name for one site, the way a browser would send them back (paths ignored). */
class Jar {
  private readonly cookies = new Map<string, string>();

  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some(
        (a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

const step = (url: string, jar: Jar) => fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });

describe('OIDC sign-in', () => {
  let t: TestStore;
  let ctx: ReturnType<typeof testContext>;
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let idp: TestIdp;
  let lean: TestIdp;
  const ids: Record<string, { personId: string; accountId: string }> = {};

  const users: Record<string, IdpUser> = {
    'sub-sam': { email: 'Sam.Teacher@School.test', email_verified: true },
    'sub-dee': { email: 'dee@school.test', email_verified: true },
    'sub-dan': { email: 'dan@school.test', email_verified: true },
    'sub-lee': { email: 'lee@school.test', email_verified: true },
    'sub-ann': { email: 'ann@school.test', email_verified: true },
    'sub-stranger': { email: 'stranger@elsewhere.test', email_verified: true },
    'sub-unverified': { email: 'sam.teacher@school.test', email_verified: false },
    'sub-entra': { email: 'eli@school.test', xms_edov: true },
    'sub-entra-unverified': { email: 'eli@school.test', xms_edov: false },
  };

  before(async () => {
    t = await createTestStore();
    ctx = testContext(t);
    const { schoolId } = await seedSchool(ctx);
    const people: [string, Role[], string][] = [
      ['sam.teacher', ['staff'], 'sam.teacher@school.test'],
      ['dee.dsl', ['staff', 'dsl'], 'dee@school.test'],
      ['dan.disabled', ['staff'], 'dan@school.test'],
      ['lee.linked', ['staff'], 'lee@school.test'],
      ['ann.staff', ['staff'], 'ann@school.test'],
      ['ann.parent', ['parent'], 'ANN@school.test'],
      ['eli.entra', ['staff'], 'eli@school.test'],
    ];
    for (const [username, roles, email] of people) {
      ids[username] = await addUser(ctx, schoolId, username, roles);
      await ctx.db.updateTable('people').set({ email }).where('id', '=', ids[username]!.personId).execute();
    }
    await ctx.db
      .updateTable('accounts')
      .set({ disabled_at: ctx.clock().toISOString() })
      .where('id', '=', ids['dan.disabled']!.accountId)
      .execute();

    // The IdP must know Tutela's redirect URI, which only exists once Tutela listens.
    server = await startTestServer(ctx);
    idp = await startIdp(`${server.url}/api/auth/oidc/test/callback`, users);
    lean = await startIdp(`${server.url}/api/auth/oidc/lean/callback`, users, { leanIdToken: true });
    ctx.config.web.publicUrl = server.url;
    ctx.config.oidc = [
      { id: 'test', label: 'Test IdP', issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret },
      { id: 'lean', label: 'Lean IdP', issuer: lean.issuer, clientId: lean.clientId, clientSecret: lean.clientSecret },
    ];
  });
  after(async () => {
    await server?.close();
    await idp?.close();
    await lean?.close();
    await t?.cleanup();
  });

  /**
   * Plays a browser through start → provider → callback. `beforeCallback` may tamper with the
   * URL the provider sends back, or move the clock. Returns where Tutela finally redirects and a client holding
   * whatever session cookie it set.
   */
  async function signInAs(sub: string, options: { provider?: string; beforeCallback?: (url: URL) => void } = {}) {
    const provider = options.provider ?? 'test';
    const which = provider === 'lean' ? lean : idp;
    which.nextLogin = sub;
    const tutela = new Jar();
    const atIdp = new Jar();

    const start = await step(`${server.url}/api/auth/oidc/${provider}/start`, tutela);
    assert.equal(start.status, 302);
    tutela.take(start);
    let location = start.headers.get('location')!;
    assert.ok(location.startsWith(`${which.issuer}/auth?`), location);

    for (let hops = 0; !location.startsWith(server.url); hops++) {
      assert.ok(hops < 10, 'the provider redirects in circles');
      const res = await step(new URL(location, which.issuer).href, atIdp);
      atIdp.take(res);
      assert.ok([302, 303].includes(res.status), `provider answered ${res.status}: ${await res.text()}`);
      location = res.headers.get('location')!;
    }

    const callbackUrl = new URL(location);
    assert.equal(callbackUrl.pathname, `/api/auth/oidc/${provider}/callback`);
    options.beforeCallback?.(callbackUrl);
    const callback = await step(callbackUrl.href, tutela);
    tutela.take(callback);
    const client = new ApiClient(server.url);
    const session = tutela.get('tutela_session');
    if (session) client.cookie = `tutela_session=${session}`;
    return { status: callback.status, location: callback.headers.get('location'), client, signedIn: Boolean(session) };
  }

  const auditFor = (reason: string) =>
    ctx.db
      .selectFrom('audit_log')
      .select(['details', 'target_id'])
      .where('action', '=', 'auth.oidc_failed')
      .where('details', 'like', `%"reason":"${reason}"%`)
      .execute();

  it('lists the configured providers for the sign-in page', async () => {
    const res = await new ApiClient(server.url).get('/api/auth/oidc/providers');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, [
      { id: 'test', label: 'Test IdP' },
      { id: 'lean', label: 'Lean IdP' },
    ]);
  });

  it('answers 404 for a provider that is not configured', async () => {
    const res = await new ApiClient(server.url).get('/api/auth/oidc/nope/start');
    assert.equal(res.status, 404);
    assert.equal(res.body.error, 'not_found');
  });

  it('sends the browser to the provider with PKCE, state and nonce, and a sealed short-lived cookie', async () => {
    const res = await fetch(`${server.url}/api/auth/oidc/test/start`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const to = new URL(res.headers.get('location')!);
    assert.equal(to.searchParams.get('client_id'), idp.clientId);
    assert.equal(to.searchParams.get('redirect_uri'), `${server.url}/api/auth/oidc/test/callback`);
    assert.equal(to.searchParams.get('response_type'), 'code');
    assert.equal(to.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(to.searchParams.get('state'));
    assert.ok(to.searchParams.get('nonce'));
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tutela_oidc='))!;
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Max-Age=600/i);
    assert.match(cookie, /Path=\/api\/auth\/oidc/i);
    assert.ok(!cookie.includes(to.searchParams.get('state')!), 'the state is not readable in the cookie');

    // Without a configured public URL the callback follows the address the browser used.
    const publicUrl = ctx.config.web.publicUrl;
    ctx.config.web.publicUrl = undefined;
    try {
      const local = await fetch(`${server.url}/api/auth/oidc/test/start`, { redirect: 'manual' });
      const redirectUri = new URL(local.headers.get('location')!).searchParams.get('redirect_uri');
      assert.equal(redirectUri, `${server.url}/api/auth/oidc/test/callback`);
    } finally {
      ctx.config.web.publicUrl = publicUrl;
    }
  });

  it('signs a teacher in by verified email, case-insensitively, and links the identity', async () => {
    const res = await signInAs('sub-sam');
    assert.equal(res.status, 302);
    assert.equal(res.location, '/');
    assert.ok(res.signedIn);
    const me = await res.client.get('/api/directory/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.username, 'sam.teacher');
    const session = await res.client.get('/api/auth/session');
    assert.equal(session.body.stage, 'active');

    const links = await ctx.db.selectFrom('account_identities').selectAll().where('subject', '=', 'sub-sam').execute();
    assert.equal(links.length, 1);
    assert.equal(links[0]!.provider, 'test');
    assert.equal(links[0]!.account_id, ids['sam.teacher']!.accountId);
    const row = await ctx.db
      .selectFrom('sessions')
      .select('auth_method')
      .where('account_id', '=', ids['sam.teacher']!.accountId)
      .executeTakeFirstOrThrow();
    assert.equal(row.auth_method, 'oidc:test');
  });

  it('reuses a linked identity even after the directory email changes', async () => {
    const first = await signInAs('sub-lee');
    assert.ok(first.signedIn);
    await ctx.db.updateTable('people').set({ email: 'lee.new@school.test' }).where('id', '=', ids['lee.linked']!.personId).execute();

    const second = await signInAs('sub-lee');
    assert.equal(second.location, '/');
    const me = await second.client.get('/api/directory/me');
    assert.equal(me.body.username, 'lee.linked');
    const links = await ctx.db
      .selectFrom('account_identities')
      .selectAll()
      .where('provider', '=', 'test')
      .where('subject', '=', 'sub-lee')
      .execute();
    assert.equal(links.length, 1);
    const linkedAudits = await ctx.db
      .selectFrom('audit_log')
      .select('seq')
      .where('action', '=', 'auth.oidc_linked')
      .where('target_id', '=', ids['lee.linked']!.accountId)
      .execute();
    assert.equal(linkedAudits.length, 1);
  });

  it('refuses an email no account holder has, without creating anything', async () => {
    const accountsBefore = await ctx.db.selectFrom('accounts').select('id').execute();
    const res = await signInAs('sub-stranger');
    assert.equal(res.status, 302);
    assert.equal(res.location, '/sign-in?error=oidc_no_account');
    assert.equal(res.signedIn, false);
    assert.equal((await ctx.db.selectFrom('accounts').select('id').execute()).length, accountsBefore.length);
    assert.equal((await ctx.db.selectFrom('account_identities').selectAll().where('subject', '=', 'sub-stranger').execute()).length, 0);
    const audits = await auditFor('no_matching_email');
    assert.ok(audits.some((a) => a.details.includes('stranger@elsewhere.test')));
  });

  it('refuses an email the provider has not verified', async () => {
    const res = await signInAs('sub-unverified');
    assert.equal(res.location, '/sign-in?error=oidc_no_account');
    assert.equal(res.signedIn, false);
    assert.equal((await auditFor('no_verified_email')).length, 1);
  });

  it("accepts Microsoft Entra's domain-verified email claim in place of email_verified", async () => {
    const refused = await signInAs('sub-entra-unverified');
    assert.equal(refused.location, '/sign-in?error=oidc_no_account');
    const res = await signInAs('sub-entra');
    assert.equal(res.location, '/');
    assert.equal(res.signedIn, true);
  });

  it('refuses an email that two account holders share', async () => {
    const res = await signInAs('sub-ann');
    assert.equal(res.location, '/sign-in?error=oidc_ambiguous_account');
    assert.equal(res.signedIn, false);
    assert.equal((await auditFor('ambiguous_email')).length, 1);
  });

  it('refuses a disabled account and audits it', async () => {
    const res = await signInAs('sub-dan');
    assert.equal(res.location, '/sign-in?error=account_disabled');
    assert.equal(res.signedIn, false);
    const audits = await auditFor('account_disabled');
    assert.equal(audits.length, 1);
    assert.equal(audits[0]!.target_id, ids['dan.disabled']!.accountId);
    const sessions = await ctx.db.selectFrom('sessions').select('id').where('account_id', '=', ids['dan.disabled']!.accountId).execute();
    assert.equal(sessions.length, 0);
  });

  it('refuses a callback whose state does not match the cookie', async () => {
    const res = await signInAs('sub-sam', { beforeCallback: (url) => url.searchParams.set('state', 'forged-state') });
    assert.equal(res.location, '/sign-in?error=oidc_failed');
    assert.equal(res.signedIn, false);
    assert.equal((await auditFor('state_mismatch')).length, 1);
  });

  it('refuses a callback with no flow cookie (a code replayed into another browser)', async () => {
    const res = await fetch(`${server.url}/api/auth/oidc/test/callback?code=abc&state=xyz`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.equal(res.headers.get('location'), '/sign-in?error=oidc_expired');
    assert.ok(!res.headers.getSetCookie().some((c) => c.startsWith('tutela_session=')));
  });

  it('refuses a callback that comes back after the flow cookie has expired', async () => {
    const res = await signInAs('sub-sam', { beforeCallback: () => ctx.clock.advance(11) });
    assert.equal(res.location, '/sign-in?error=oidc_expired');
    assert.equal(res.signedIn, false);
    assert.equal((await auditFor('flow_expired')).length, 1);
  });

  it('puts a DSL into TOTP enrolment rather than signing them straight in', async () => {
    const res = await signInAs('sub-dee');
    assert.equal(res.location, '/');
    const session = await res.client.get('/api/auth/session');
    assert.equal(session.status, 200);
    assert.equal(session.body.stage, 'totp_enrolment_required');
    const blocked = await res.client.get('/api/directory/me');
    assert.equal(blocked.body.error, 'totp_enrolment_required');
  });

  it('reads the email from userinfo when the provider leaves it out of the ID token', async () => {
    const res = await signInAs('sub-sam', { provider: 'lean' });
    assert.equal(res.location, '/');
    const me = await res.client.get('/api/directory/me');
    assert.equal(me.body.username, 'sam.teacher');
    const link = await ctx.db
      .selectFrom('account_identities')
      .selectAll()
      .where('provider', '=', 'lean')
      .where('subject', '=', 'sub-sam')
      .executeTakeFirst();
    assert.equal(link?.account_id, ids['sam.teacher']!.accountId);
  });

  it('leaves the audit chain intact after all of the above', async () => {
    const check = await verifyAuditChain(ctx.db);
    assert.ok(check.ok, JSON.stringify(check.problem));
  });
});
