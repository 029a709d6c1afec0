// An in-process CRM that behaves like a real one: bearer auth, validation (422), ids it makes up,
// idempotency keys honoured, GET/PATCH/DELETE/search, a paged list (newest first) — and failures on
// demand: 5xx, slow answers, 429 with Retry-After.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CrmTicket {
  id: string;
  status: string;
  [field: string]: unknown;
}

export interface FakeCrm {
  url: string;
  token: string;
  tickets: Map<string, CrmTicket>;
  requests: Array<{ method: string; path: string; headers: http.IncomingHttpHeaders; body: unknown }>;
  /** The next n requests answer this status (after reading the body, before doing anything). */
  failNext(n: number, status: number): void;
  /** The next n requests are handled, then answered only after ms. */
  slowNext(n: number, ms: number): void;
  /** The next n requests answer 429 with Retry-After: seconds. */
  rateLimitNext(n: number, seconds: number): void;
  close(): Promise<void>;
}

export async function startFakeCrm(token = 'crm-secret-token'): Promise<FakeCrm> {
  const tickets = new Map<string, CrmTicket>();
  const byKey = new Map<string, string>();
  const requests: FakeCrm['requests'] = [];
  let failing = { n: 0, status: 503 };
  let slow = { n: 0, ms: 0 };
  let limited = { n: 0, seconds: 0 };
  let next = 1001;

  const handle = (method: string, url: URL, headers: http.IncomingHttpHeaders, body: unknown): [number, unknown] => {
    if (headers.authorization !== `Bearer ${token}`) return [401, { error: 'unauthorized' }];
    const m = /^\/api\/v2\/tickets(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return [404, { error: 'no such route' }];
    const id = m[1] && decodeURIComponent(m[1]);
    if (method === 'POST' && !id) {
      const b = body as { customer?: { name?: string } } | null;
      if (!b?.customer?.name) return [422, { error: 'customer.name is required' }];
      const key = headers['idempotency-key'] as string | undefined;
      if (key && byKey.has(key)) return [200, { data: { ticket: tickets.get(byKey.get(key)!) } }];
      const ticket: CrmTicket = { ...(b as object), id: `CRM-${next++}`, status: 'new' };
      tickets.set(ticket.id, ticket);
      if (key) byKey.set(key, ticket.id);
      return [201, { data: { ticket } }];
    }
    if (method === 'GET' && !id && url.searchParams.has('page')) {
      const [page, size] = [Number(url.searchParams.get('page')), Number(url.searchParams.get('per_page') ?? 20)];
      const all = [...tickets.values()].reverse();
      return [200, { items: all.slice((page - 1) * size, page * size), page, total: all.length }];
    }
    if (method === 'GET' && !id) {
      const ref = url.searchParams.get('reference');
      return [200, { items: [...tickets.values()].filter((t) => t.reference === ref) }];
    }
    const ticket = id ? tickets.get(id) : undefined;
    if (!ticket) return [404, { error: 'no such ticket' }];
    if (method === 'GET') return [200, { data: ticket }];
    if (method === 'DELETE') return (tickets.delete(ticket.id), [204, null]);
    if (method === 'PATCH') return (Object.assign(ticket, body), [200, { data: ticket }]);
    return [405, { error: 'method not allowed' }];
  };

  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const url = new URL(req.url!, 'http://crm.local');
      const body = raw ? JSON.parse(raw) : null;
      requests.push({ method: req.method!, path: url.pathname + url.search, headers: req.headers, body });
      const answer = (status: number, payload: unknown) => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(payload === null ? '' : JSON.stringify(payload));
      };
      if (limited.n > 0) {
        limited.n--;
        if (res.destroyed) return;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(limited.seconds) });
        return res.end(JSON.stringify({ error: 'too many requests' }));
      }
      if (failing.n > 0) {
        failing.n--;
        return answer(failing.status, { error: 'temporarily unavailable' });
      }
      const [status, payload] = handle(req.method!, url, req.headers, body);
      if (slow.n > 0) {
        slow.n--;
        setTimeout(() => answer(status, payload), slow.ms).unref();
      } else {
        answer(status, payload);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    tickets,
    requests,
    failNext: (n, status) => void (failing = { n, status }),
    slowNext: (n, ms) => void (slow = { n, ms }),
    rateLimitNext: (n, seconds) => void (limited = { n, seconds }),
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The targets-file entry for this CRM, with a body template shaped like its API. */
export function crmTarget(crm: { url: string }, overrides: Record<string, unknown> = {}) {
  return {
    name: 'crm',
    kind: 'http',
    baseUrl: `${crm.url}/api/v2`,
    auth: { tokenEnv: 'CRM_TOKEN' },
    timeoutMs: 1500,
    retries: 3,
    backoffMs: 10,
    create: {
      path: '/tickets',
      body: {
        customer: { name: '{{variant.fullName}}', phone: '{{persona.phone.national}}', account: '{{persona.accountNumber}}' },
        subject: 'Complaint {{variant.reference}}',
        description: '{{variant.description}}',
        category: '{{ticket.category}}',
        queue: '{{routing.queue}}',
        reference: '{{variant.reference}}',
        openedAt: '{{ticket.createdAt}}',
        channel: 'phone',
      },
      refPath: 'data.ticket.id',
    },
    withdraw: { method: 'DELETE', path: '/tickets/{{externalRef}}' },
    verify: { path: '/tickets/{{externalRef}}', bodyPath: 'data', volatile: ['status'] },
    search: { path: '/tickets', query: { reference: '{{variant.reference}}' }, resultsPath: 'items', refPath: 'id' },
    ...overrides,
  };
}
