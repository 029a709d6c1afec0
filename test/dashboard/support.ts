import request from 'supertest';
import type { App } from '../../src/app.ts';

/** Cookies as a browser would keep them: name → value, from Set-Cookie headers. */
export class Jar {
  readonly cookies = new Map<string, string>();
  take(res: request.Response): void {
    const set = res.headers['set-cookie'] as unknown as string[] | undefined;
    for (const c of set ?? []) {
      const [pair] = c.split(';');
      const [name, ...v] = pair!.split('=');
      const value = v.join('=');
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name!);
      else this.cookies.set(name!, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? '';

export async function get(app: App, jar: Jar, url: string) {
  const res = await request(app.http).get(url).set('Cookie', jar.header());
  jar.take(res);
  return res;
}

export async function post(app: App, jar: Jar, url: string, form: Record<string, string>) {
  const res = await request(app.http).post(url).set('Cookie', jar.header()).type('form').send(form);
  jar.take(res);
  return res;
}

/** Signs in through the form, as a person would; returns the jar holding the session. */
export async function signIn(app: App, fields: Record<string, string>): Promise<Jar> {
  const jar = new Jar();
  const page = await get(app, jar, '/login');
  const res = await post(app, jar, '/login', { _csrf: csrfOf(page.text), ...fields });
  if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${res.text.slice(0, 300)}`);
  return jar;
}

// Written by the people we trace: each must render as inert text.
export const HOSTILE = {
  callerName: '<script>alert("name")</script><img src=x onerror=alert(1)>\u202Egnp.exe',
  body: '<a href="javascript:alert(2)">win</a><style>body{display:none}</style><svg onload=alert(3)></svg>'
    + '<iframe src="https://evil.example/x"></iframe><link rel=stylesheet href="https://evil.example/c.css">'
    + '\u2067<b style="background:url(https://evil.example/i)">بلاغ</b>\u2069' + 'A'.repeat(5000),
  rawExtra: {
    Evil: '"><script>alert(4)</script>',
    'x" onmouseover="alert(5)': '{{7*7}} ${alert(6)} <img src="https://evil.example/p.png">',
    Long: 'Z'.repeat(20000),
  },
} as const;
