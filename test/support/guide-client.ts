import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import type { App } from '../../src/http/app.js';

/**
 * Runs the API guide's JavaScript client examples verbatim, as a browser page on the
 * gateway's origin would: the function text is taken from ../shared/spec/api-guide.md,
 * relative `fetch` calls go to the app (through `inject`, no port), and the page's own
 * helpers (updateBalanceDisplay, Stripe.js, LiveKit's Room, …) are recording stubs.
 */
export const GUIDE_PATH = fileURLToPath(new URL('../../../shared/spec/api-guide.md', import.meta.url));

export function guideFunctionSource(name: string): string {
  const guide = readFileSync(GUIDE_PATH, 'utf8');
  const start = guide.indexOf(`async function ${name}(`);
  if (start < 0) throw new Error(`The API guide has no function ${name}`);
  let depth = 0;
  for (let i = guide.indexOf('{', start); i < guide.length; i++) {
    if (guide[i] === '{') depth++;
    else if (guide[i] === '}' && --depth === 0) return guide.slice(start, i + 1);
  }
  throw new Error(`Unbalanced braces in ${name}`);
}

export interface GuideClient {
  /** Calls a guide function by name with the given arguments. */
  call<T = unknown>(name: string, ...args: unknown[]): Promise<T>;
  localStorage: Map<string, string>;
  /** Arguments each page helper was called with, by helper name. */
  calls: Record<string, unknown[][]>;
  /** Messages the examples logged with console.error. */
  errors: unknown[][];
}

export function createGuideClient(app: App, globals: Record<string, unknown> = {}): GuideClient {
  const store = new Map<string, string>();
  const calls: Record<string, unknown[][]> = {};
  const errors: unknown[][] = [];
  const recorder = (name: string, result?: (...a: unknown[]) => unknown) => (...args: unknown[]) => {
    const list = calls[name] ?? [];
    calls[name] = list;
    list.push(args);
    return result?.(...args);
  };

  const fetch = async (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) => {
    const res = await app.inject({
      method: (init.method ?? 'GET') as 'GET',
      url,
      headers: init.headers,
      payload: init.body,
    });
    return new Response(res.statusCode === 204 ? null : res.body, {
      status: res.statusCode,
      headers: res.headers as Record<string, string>,
    });
  };

  class FakeRoom {
    localParticipant = { enableMicrophone: recorder('enableMicrophone', async () => undefined) };
    connect = recorder('roomConnect', async () => undefined);
  }

  const context = vm.createContext({
    fetch,
    Response,
    JSON,
    Error,
    Promise,
    localStorage: {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, String(v)),
      removeItem: (k: string) => void store.delete(k),
    },
    console: { log: () => {}, error: (...a: unknown[]) => errors.push(a), warn: () => {} },
    Stripe: recorder('Stripe', () => ({ confirmCardPayment: recorder('confirmCardPayment', async () => ({})) })),
    elements: { getElement: () => ({}) },
    CardElement: {},
    LivekitRoom: FakeRoom,
    ...Object.fromEntries(
      [
        'updateBalanceDisplay', 'renderTimeCards', 'updateUIWithPersona', 'updateCostInfo', 'setupAdDisplay',
        'updateSubscriptionStatus', 'updateSubscriptionDisplay', 'applyCostReduction', 'addFreeTime',
        'showRewardMessage', 'addPersonaToList',
      ].map((n) => [n, recorder(n)]),
    ),
    ...globals,
  });

  return {
    localStorage: store,
    calls,
    errors,
    call: async <T>(name: string, ...args: unknown[]) => {
      const fn = vm.runInContext(`(${guideFunctionSource(name)})`, context) as (...a: unknown[]) => Promise<T>;
      return fn(...args);
    },
  };
}
