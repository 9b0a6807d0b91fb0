import type { AgentSessionInfo } from '../platform/types.js';

/**
 * What a premium feature keeps for the next call (a leaderboard, a saved campaign, tracked
 * words): labelled blocks `{{label: text}}` inside the memory summary, carried from call to
 * call verbatim (the summariser never rewrites them). Only with the user's memory consent;
 * the platform sanitises, caps and moderates the summary like any memory.
 */
type Stateful = { state<T>(key: string, init: () => T): T };

const BLOCK = /\{\{([a-z][a-z0-9_:-]{0,40}): (.*?)\}\}/g;

/** Braces and line breaks cannot end or split a block. */
const clean = (text: string) => text.replace(/[{}\r\n]+/g, ' ').replace(/\s+/g, ' ').trim();

export function readKept(memory: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of (memory ?? '').matchAll(BLOCK)) out.set(m[1]!, m[2]!);
  return out;
}

/** The memory text without its kept blocks (what the summariser may read and rewrite). */
export function withoutKept(memory: string | null | undefined): string {
  return (memory ?? '').replace(BLOCK, ' ').replace(/\s+/g, ' ').trim();
}

const keptOf = (call: Stateful) => call.state<Map<string, string>>('kept', () => new Map());

/** Keeps `text` under `label` for the next call (replacing what was kept under it). */
export function keep(call: Stateful, label: string, text: string): void {
  keptOf(call).set(label, clean(text).slice(0, 400));
}

/** The block under `label`: this call's if it kept one, else the earlier call's. */
export function kept(call: Stateful, info: AgentSessionInfo, label: string): string | undefined {
  return keptOf(call).get(label) ?? readKept(info.persona.memory).get(label);
}

/** Labels starting with `prefix`, this call's over the earlier call's. */
export function keptWithPrefix(call: Stateful, info: AgentSessionInfo, prefix: string): Map<string, string> {
  const all = new Map([...readKept(info.persona.memory), ...keptOf(call)]);
  return new Map([...all].filter(([k]) => k.startsWith(prefix)));
}

/**
 * The blocks for the next summary, whole, within `max` characters: this call's first, then
 * the earlier calls' it did not replace, in their order, while they fit (a block is never cut).
 */
export function keptBlocks(call: Stateful, info: AgentSessionInfo, max = 700): string {
  const now = keptOf(call);
  const earlier = [...readKept(info.persona.memory)].filter(([label]) => !now.has(label));
  const out: string[] = [];
  let size = 0;
  for (const [label, text] of [...now, ...earlier]) {
    const block = `{{${label}: ${text}}}`;
    if (size + block.length + 1 > max) continue;
    out.push(block);
    size += block.length + 1;
  }
  return out.join(' ');
}

/** `a=1; b=x` ⇄ record; values lose the separators. */
export function toFields(record: Record<string, string | number>): string {
  return Object.entries(record)
    .map(([k, v]) => `${k}=${String(v).replace(/[;=]/g, ' ').trim()}`)
    .join('; ');
}

export function fromFields(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}
