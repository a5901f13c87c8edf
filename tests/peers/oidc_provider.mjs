// A real OpenID provider for the tests (panva's oidc-provider): PKCE required, ID-porten's acr values,
// the `pid` claim in the ID token, RP-initiated logout.
//
//   PORT=4000 REDIRECT=https://host:port/cb LOGOUT=https://host:port/ KID=k1 node oidc_provider.mjs
//
// The interaction page logs in the account named by login_hint ("kari" when absent) at the first acr the
// request asked for, without a form: the test's "browser" follows redirects. A fresh RSA key is made at
// every start under the key id KID, so a test can rotate keys (a new KID) or change the key behind an
// id it has seen (the same KID). Prints "listening <issuer>" when ready.
import http from 'node:http';
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const people = {
  kari: '10915596784',   // synthetic (Tenor) numbers from shared/reference/identifiers
  ola: '05910298382',
};
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: process.env.KID || 'k1', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'radhus',
    client_secret: 'radhus-hemmelighet',
    redirect_uris: process.env.REDIRECT.split(' '),
    post_logout_redirect_uris: (process.env.LOGOUT || '').split(' ').filter(Boolean),
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [jwk] },
  pkce: { required: () => true },
  acrValues: ['idporten-loa-substantial', 'idporten-loa-high'],
  scopes: ['openid', 'profile'],
  claims: { openid: ['sub', 'pid', 'acr', 'amr', 'auth_time'] },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true, logoutSource: async (ctx, form) => { ctx.body = `<html><body>${form}<script>document.forms[0].submit()</script></body></html>`; } } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    if (!people[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, pid: people[id] }; } };
  },
  async loadExistingGrant(ctx) {
    const existing = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (existing) return ctx.oidc.provider.Grant.find(existing);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile');
    grant.addOIDCClaims(['pid']);
    await grant.save();
    return grant;
  },
});

const callback = provider.callback();
http.createServer(async (req, res) => {
  if (!req.url.startsWith('/interaction/')) return callback(req, res);
  try {
    const { params } = await provider.interactionDetails(req, res);
    const accountId = params.login_hint || 'kari';
    const acr = (params.acr_values || 'idporten-loa-substantial').split(' ')[0];
    await provider.interactionFinished(req, res, { login: { accountId, acr, amr: ['TestID'] } }, { mergeWithLastSubmission: false });
  } catch (e) {
    res.statusCode = 500;
    res.end(String(e));
  }
}).listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
