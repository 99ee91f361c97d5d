import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Host names a browser treats as secure even over plain HTTP (it keeps `Secure` cookies for them). */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|::1)$/i;

/**
 * Whether a request came over plain HTTP to a host other than this machine's loopback (`http://192.168.1.20:3000`
 * from a phone on the LAN): a browser drops the `Secure` cookies such a response sets, so a sign-in there would
 * not last. With TRUST_PROXY, the protocol is the one the proxy says (`X-Forwarded-Proto`).
 */
export function plainHttpElsewhere(request: FastifyRequest): boolean {
  return request.protocol === 'http' && !LOOPBACK.test(request.hostname);
}

/**
 * The service's cookies (the console's session and language, the board's CSRF token, the web chat's session) are
 * written `Secure`. In production they stay so, always. Elsewhere (development, test) the flag follows the
 * request's protocol: over plain HTTP it is taken out of every `Set-Cookie` of the response, so a volunteer
 * trying the console from a phone on the LAN (`http://<the computer's address>:3000`) stays signed in, where the
 * browser would silently drop a `Secure` cookie and the sign-in would loop. docs/console.md, docs/deploying.md.
 */
export function installCookieSecurity(app: FastifyInstance, options: { readonly production: boolean }): void {
  if (options.production) return;
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.protocol !== 'http') return payload;
    const cookies = reply.getHeader('set-cookie');
    if (cookies === undefined) return payload;
    const plain = (cookie: string) => cookie.replace(/;\s*Secure(?=;|$)/gi, '');
    reply.removeHeader('set-cookie');
    reply.header('set-cookie', Array.isArray(cookies) ? cookies.map(plain) : plain(String(cookies)));
    return payload;
  });
}
