import { isIpLiteral, isNonPublicHost, isNonPublicIp } from '@whisper-edge/shared';

/** The callback's host resolves (or is) a non-public address: no retry will change that. */
export class BlockedCallbackError extends Error {}

interface DohAnswer {
  Answer?: Array<{ type: number; data: string }>;
}

const A = 1;
const AAAA = 28;

/**
 * A Worker has no resolver of its own, so the callback's name is looked up over DNS-over-HTTPS just
 * before each delivery, and every A/AAAA answer must be public. The fetch that follows resolves again
 * (a rebinding name could answer differently in between); on Cloudflare that fetch cannot reach
 * private networks anyway, so this is the check that holds off Cloudflare, and the early refusal on it.
 */
export async function assertPublicCallbackHost(hostname: string, resolverUrl: string): Promise<void> {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (isIpLiteral(host)) {
    if (isNonPublicIp(host))
      throw new BlockedCallbackError(`callback_url host ${host} is not a public address`);
    return;
  }
  if (isNonPublicHost(host)) throw new BlockedCallbackError(`callback_url host ${host} is not public`);
  const addresses: string[] = [];
  for (const type of ['A', 'AAAA']) {
    const url = new URL(resolverUrl);
    url.searchParams.set('name', host);
    url.searchParams.set('type', type);
    const response = await fetch(url, {
      headers: { accept: 'application/dns-json' },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok)
      throw new Error(`could not resolve ${host} (resolver answered HTTP ${response.status})`);
    const answer = (await response.json()) as DohAnswer;
    for (const record of answer.Answer ?? [])
      if (record.type === A || record.type === AAAA) addresses.push(record.data);
  }
  if (addresses.length === 0) throw new Error(`could not resolve ${host} (no A or AAAA record)`);
  const blocked = addresses.find((address) => isNonPublicIp(address));
  if (blocked)
    throw new BlockedCallbackError(`callback_url host ${host} resolves to a non-public address (${blocked})`);
}
