// Where outbound requests may go. An output's URL is typed by an admin, but the name in it can
// resolve anywhere: the tracer must not become a way to reach its own host, the utility's private
// network or a cloud metadata service. Only public unicast addresses are reachable, unless
// OUTBOUND_ALLOWLIST names the host, host:port or a CIDR. The check runs on the addresses a name
// resolves to, and the connection goes to exactly the address checked (no second look-up that a
// rebinding DNS server could answer differently).
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { AppError } from '../errors.ts';

export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

interface HostEntry {
  host: string;
  port: number | null;
}

export interface OutboundAllowlist {
  hosts: HostEntry[];
  cidrs: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

export const EMPTY_ALLOWLIST: OutboundAllowlist = { hosts: [], cidrs: [] };

const HOST_RE = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9.-]+))(?::(\d{1,5}))?$/i;

/** `host`, `host:port`, `[v6]:port` or a CIDR, comma-separated. Throws one line naming the bad part. */
export function parseAllowlist(spec: string | undefined): OutboundAllowlist {
  const out: OutboundAllowlist = { hosts: [], cidrs: [] };
  for (const part of (spec ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    if (part.includes('/')) {
      try {
        out.cidrs.push(ipaddr.parseCIDR(part));
      } catch {
        throw new AppError('invalid-config', `OUTBOUND_ALLOWLIST: "${part}" is not a CIDR such as 10.20.0.0/16`);
      }
      continue;
    }
    // A bare IPv6 address has colons but no port; [v6]:port has brackets.
    const bareV6 = isIP(part) === 6;
    const m = bareV6 ? null : HOST_RE.exec(part);
    if (!bareV6 && (!m || (m[3] !== undefined && Number(m[3]) > 65535))) {
      throw new AppError('invalid-config', `OUTBOUND_ALLOWLIST: "${part}" is not host, host:port or a CIDR`);
    }
    const host = bareV6 ? part : (m![1] ?? m![2]!);
    out.hosts.push({ host: normalHost(host), port: bareV6 || m![3] === undefined ? null : Number(m![3]) });
  }
  return out;
}

const normalHost = (h: string) => {
  const bare = h.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  return isIP(bare) ? ipaddr.process(bare).toString() : bare;
};

/** Thrown before any packet leaves for a refused address. */
export class OutboundRefused extends AppError {
  constructor(message: string) {
    super('outbound-refused', message, 400);
    this.name = 'OutboundRefused';
  }
}

export class OutboundPolicy {
  constructor(
    private readonly allow: OutboundAllowlist = EMPTY_ALLOWLIST,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /** True when an admin allow-listed this host (or host:port) by name. */
  allowedByName(host: string, port: number): boolean {
    const h = normalHost(host);
    return this.allow.hosts.some((e) => e.host === h && (e.port === null || e.port === port));
  }

  /** Why an address may not be reached, or null when it may. */
  refusal(address: string): string | null {
    const addr = ipaddr.process(address);
    if (this.allow.cidrs.some((c) => addr.kind() === c[0].kind() && addr.match(c))) return null;
    if (this.allow.hosts.some((e) => e.port === null && e.host === addr.toString())) return null;
    const range = addr.range();
    return range === 'unicast' ? null : range;
  }

  /**
   * The address to connect to for host:port: the host itself when allow-listed by name or an
   * address that passes, else the first resolved address, after every resolved address passed.
   */
  async connectAddress(host: string, port: number): Promise<string> {
    const bare = host.replace(/^\[|\]$/g, '');
    const allowed = this.allowedByName(bare, port);
    if (isIP(bare)) {
      if (!allowed) this.check(bare, bare, port);
      return bare;
    }
    const found = await this.resolve(bare);
    if (found.length === 0) throw new OutboundRefused(`${bare} does not resolve`);
    if (!allowed) for (const a of found) this.check(a.address, bare, port);
    return found[0]!.address;
  }

  private check(address: string, host: string, port: number): void {
    const why = this.refusal(address);
    if (why === null) return;
    const via = host === address ? '' : `${host} resolves to `;
    throw new OutboundRefused(
      `${via}${address} (${why}) is not a public address; outputs may reach it only if OUTBOUND_ALLOWLIST names ${host}:${port} or its range`,
    );
  }
}
