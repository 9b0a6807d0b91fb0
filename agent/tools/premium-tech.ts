import { z } from 'zod';
import { fromFields, keep, kept, toFields } from './kept.js';
import { progressOf } from './premium.js';
import { SayableError, defineTool } from './types.js';

/** Premium technical features (code review, diagrams, interviews, design reviews) and long-term memory. */

interface Finding {
  line: number | null;
  severity: 'high' | 'medium' | 'low';
  issue: string;
}

const LINE_RULES: { test: RegExp; langs?: string[]; severity: Finding['severity']; issue: string }[] = [
  { test: /\b(api[_-]?key|secret|password|passwd|token)\b\s*[:=]\s*['"][^'"]{6,}['"]/i, severity: 'high', issue: 'a hard-coded secret: move it to configuration and rotate it' },
  { test: /\beval\s*\(|\bnew Function\s*\(|\bexec\s*\(/, severity: 'high', issue: 'code built from strings (eval/exec): an injection risk' },
  { test: /\b(SELECT|INSERT|UPDATE|DELETE)\b[^;]*['"`]\s*\+|\+\s*['"`][^'"`]*\b(WHERE|VALUES)\b|f["'][^"']*\b(SELECT|INSERT|UPDATE|DELETE)\b[^"']*\{/i, severity: 'high', issue: 'SQL built by concatenation: use parameters' },
  { test: /catch\s*(\([^)]*\))?\s*\{\s*\}/, severity: 'medium', issue: 'an empty catch swallows errors' },
  { test: /^\s*except\s*:|except\s+Exception\s*:\s*pass/, langs: ['python'], severity: 'medium', issue: 'a bare except hides errors' },
  { test: /[^=!<>]==[^=]|!=[^=]/, langs: ['javascript', 'typescript'], severity: 'medium', issue: 'loose equality (== / !=): prefer === / !==' },
  { test: /^\s*var\s/, langs: ['javascript', 'typescript'], severity: 'low', issue: 'var: prefer const or let' },
  { test: /:\s*any\b|as any\b/, langs: ['typescript'], severity: 'low', issue: 'any turns off type checking here' },
  { test: /console\.log\(|^\s*print\(/, severity: 'low', issue: 'debug output left in' },
  { test: /\b(TODO|FIXME|XXX)\b/, severity: 'low', issue: 'an open TODO/FIXME' },
];

export function reviewCode(code: string, language: string): Finding[] {
  const findings: Finding[] = [];
  const lines = code.split(/\r?\n/);
  lines.forEach((text, i) => {
    for (const r of LINE_RULES) if ((!r.langs || r.langs.includes(language)) && r.test.test(text)) findings.push({ line: i + 1, severity: r.severity, issue: r.issue });
    if (text.length > 120) findings.push({ line: i + 1, severity: 'low', issue: 'a line over 120 characters' });
  });
  let depth = 0;
  let deepest = 0;
  let deepLine = 0;
  lines.forEach((text, i) => {
    const indent = language === 'python' ? Math.floor((/^ */.exec(text)?.[0].length ?? 0) / 4) : depth;
    if (indent > deepest) [deepest, deepLine] = [indent, i + 1];
    depth += (text.match(/\{/g)?.length ?? 0) - (text.match(/\}/g)?.length ?? 0);
  });
  if (deepest > 4) findings.push({ line: deepLine, severity: 'medium', issue: `nesting ${deepest} levels deep: extract a function or return early` });
  if (lines.length > 60) findings.push({ line: null, severity: 'low', issue: 'a long unit: consider splitting it' });
  const order = { high: 0, medium: 1, low: 2 };
  return findings.sort((a, b) => order[a.severity] - order[b.severity] || (a.line ?? 0) - (b.line ?? 0));
}

export const codeReviewSessions = defineTool(
  'code_review_sessions',
  'Review a piece of the user\'s code: findings by line and severity (secrets, injection, swallowed errors, loose equality, deep nesting, leftovers) and questions to ask; recurring issues are tracked across review sessions.',
  z.object({ code: z.string().min(1).max(8000), language: z.enum(['javascript', 'typescript', 'python', 'other']).default('javascript') }),
  ({ code, language }, d) => {
    const findings = reviewCode(code, language);
    const history = fromFields(kept(d.call, d.info, 'code_reviews'));
    const sessions = (Number(history.sessions) || 0) + 1;
    const recurring = new Set((history.recurring ?? '').split(' / ').filter(Boolean));
    const seenBefore = findings.filter((f) => recurring.has(f.issue.split(':')[0]!)).map((f) => f.issue);
    for (const f of findings) if (f.severity !== 'low') recurring.add(f.issue.split(':')[0]!);
    keep(d.call, 'code_reviews', toFields({ sessions, recurring: [...recurring].slice(-5).join(' / ') }));
    progressOf(d.call).covered.push(`code review ${sessions}: ${findings.length} findings`);
    return {
      findings,
      seen_in_earlier_reviews: seenBefore,
      review_session: sessions,
      ask_first: findings.length > 0 ? `Ask what line ${findings[0]!.line ?? 'this'} is meant to do before naming the issue.` : 'Ask how they would test this code.',
      guidance: 'Explain why each finding matters; let the user propose the fix.',
    };
  },
);

const KINDS = ['client', 'load_balancer', 'service', 'database', 'cache', 'queue', 'storage', 'external'] as const;
const component = z.object({ name: z.string().min(1).max(40), kind: z.enum(KINDS) });
const link = z.object({ from: z.string().min(1).max(40), to: z.string().min(1).max(40), label: z.string().max(40).optional() });

const SHAPES: Record<(typeof KINDS)[number], [string, string]> = {
  client: ['([', '])'], load_balancer: ['{{', '}}'], service: ['[', ']'], database: ['[(', ')]'], cache: ['((', '))'], queue: ['[/', '/]'], storage: ['[(', ')]'], external: ['>', ']'],
};

export function mermaidDiagram(title: string, components: z.infer<typeof component>[], links: z.infer<typeof link>[]): string {
  const id = new Map(components.map((c, i) => [c.name, `n${i}`]));
  const text = (s: string) => s.replace(/["[\](){}<>|]/g, ' ').trim();
  return [
    '---',
    `title: ${text(title)}`,
    '---',
    'flowchart LR',
    ...components.map((c) => `  ${id.get(c.name)}${SHAPES[c.kind][0]}"${text(c.name)}"${SHAPES[c.kind][1]}`),
    ...links.map((l) => `  ${id.get(l.from)} -->${l.label ? `|${text(l.label)}|` : ''} ${id.get(l.to)}`),
    '',
  ].join('\n');
}

function checkGraph(components: z.infer<typeof component>[], links: z.infer<typeof link>[]) {
  const names = new Set(components.map((c) => c.name));
  if (names.size !== components.length) throw new SayableError('Two components have the same name.');
  const bad = links.flatMap((l) => [l.from, l.to]).filter((n) => !names.has(n));
  if (bad.length > 0) throw new SayableError(`These are not components of the design: ${[...new Set(bad)].join(', ')}.`);
}

export const architectureDiagrams = defineTool(
  'architecture_diagrams',
  'Draw the architecture being discussed as a diagram (Mermaid flowchart) sent to the user\'s app, with a spoken walkthrough in request order.',
  z.object({ title: z.string().min(1).max(80), components: z.array(component).min(1).max(30), links: z.array(link).max(60).default([]) }),
  async ({ title, components, links }, d) => {
    checkGraph(components, links);
    const diagram = mermaidDiagram(title, components, links);
    // Walk from the clients (or the first component) along the links: the order a request takes.
    const starts = components.filter((c) => c.kind === 'client').map((c) => c.name);
    const order: string[] = [];
    const queue = starts.length > 0 ? [...starts] : [components[0]!.name];
    while (queue.length > 0) {
      const n = queue.shift()!;
      if (order.includes(n)) continue;
      order.push(n);
      queue.push(...links.filter((l) => l.from === n).map((l) => l.to));
    }
    const unconnected = components.filter((c) => !links.some((l) => l.from === c.name || l.to === c.name)).map((c) => c.name);
    const delivered = await d.call.deliver({ name: 'architecture.mmd', mime: 'text/vnd.mermaid', content: diagram });
    return {
      delivered,
      walkthrough: order.map((n) => ({ component: n, leads_to: links.filter((l) => l.from === n).map((l) => (l.label ? `${l.to} (${l.label})` : l.to)) })),
      not_reached: components.map((c) => c.name).filter((n) => !order.includes(n)),
      unconnected,
    };
  },
);

const STAGES = ['requirements', 'estimates', 'high_level_design', 'deep_dive', 'scaling', 'trade_offs'] as const;
const BAR = { junior: 2, mid: 2.5, senior: 3, staff: 3.5 } as const;
/** A question's short name in the kept history: "URL shortener". */
const qKey = (q: string) => q.replace(/^Design (an? )?/, '').replace(/\.$/, '').slice(0, 24);
const QUESTIONS = ['Design a URL shortener.', 'Design a chat service.', 'Design a news feed.', 'Design a rate limiter.', 'Design a ride-sharing dispatch system.', 'Design a video streaming service.', 'Design a distributed cache.', 'Design a payment system with exactly-once charges.'];

export const mockInterviews = defineTool(
  'mock_interviews',
  'A full, scored mock system-design interview for a target level: start one, score each stage (requirements, estimates, high_level_design, deep_dive, scaling, trade_offs: 1–4 with a note), finish for the overall result against the level\'s bar and the trend across earlier interviews.',
  z.object({
    action: z.enum(['start', 'score', 'finish']),
    level: z.enum(['junior', 'mid', 'senior', 'staff']).default('senior'),
    stage: z.enum(STAGES).optional(),
    score: z.number().int().min(1).max(4).optional(),
    note: z.string().max(160).optional(),
  }),
  ({ action, level, stage, score, note }, d) => {
    const s = d.call.state('mock_interviews', () => ({ level: '' as keyof typeof BAR | '', question: '', scores: new Map<string, { score: number; note?: string | undefined }>() }));
    if (action === 'start') {
      s.level = level;
      s.scores.clear();
      const done = (kept(d.call, d.info, 'interviews') ?? '').split(' / ');
      s.question = QUESTIONS.find((q) => !done.some((x) => x.startsWith(`${qKey(q)}@`))) ?? QUESTIONS[Math.floor(d.random() * QUESTIONS.length)]!;
      return { question: s.question, level, stages: STAGES, minutes: { requirements: 5, estimates: 5, high_level_design: 10, deep_dive: 10, scaling: 5, trade_offs: 5 } };
    }
    if (!s.level) throw new SayableError('No interview is running; start one first.');
    if (action === 'score') {
      if (!stage || score === undefined) throw new SayableError('Give the stage and its score from 1 to 4.');
      s.scores.set(stage, { score, note });
      return { scored: stage, remaining: STAGES.filter((x) => !s.scores.has(x)) };
    }
    if (s.scores.size === 0) throw new SayableError('Score at least one stage before finishing.');
    const values = [...s.scores.values()].map((v) => v.score);
    const overall = Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
    const bar = BAR[s.level];
    const ranked = [...s.scores].sort((a, b) => a[1].score - b[1].score);
    const history = (kept(d.call, d.info, 'interviews') ?? '').split(' / ').filter(Boolean);
    const previous = history.length > 0 ? Number(/=([\d.]+)$/.exec(history.at(-1)!)?.[1]) : null;
    keep(d.call, 'interviews', [...history, `${qKey(s.question)}@${s.level}=${overall}`].slice(-4).join(' / '));
    progressOf(d.call).covered.push(`mock interview (${s.level}): ${overall}/4`);
    const result = {
      overall,
      bar_for_level: bar,
      signal: overall >= bar + 0.5 ? 'strong hire' : overall >= bar ? 'hire' : overall >= bar - 0.5 ? 'leaning no hire' : 'no hire',
      strongest: ranked.at(-1)![0],
      weakest: ranked[0]![0],
      not_scored: STAGES.filter((x) => !s.scores.has(x)),
      previous_overall: previous,
    };
    s.level = '';
    return result;
  },
);

export const designReviews = defineTool(
  'design_reviews',
  'Review a system design: single points of failure, data safety, caching and queueing for the load, direct client access to data, long synchronous chains; each finding with why it matters.',
  z.object({
    components: z.array(component.extend({ replicas: z.number().int().min(1).max(1000).default(1), backups: z.boolean().default(false) })).min(1).max(30),
    links: z.array(link.extend({ sync: z.boolean().default(true) })).max(60).default([]),
    peak_requests_per_second: z.number().int().min(0).max(10_000_000).default(100),
    availability_target: z.enum(['99', '99.9', '99.95', '99.99', '99.999']).default('99.9'),
  }),
  ({ components, links, peak_requests_per_second, availability_target }) => {
    checkGraph(components, links);
    const findings: { component: string | null; severity: 'high' | 'medium' | 'low'; finding: string }[] = [];
    const kind = new Map(components.map((c) => [c.name, c.kind]));
    const strict = Number(availability_target) >= 99.95;
    for (const c of components) {
      if (c.kind !== 'client' && c.kind !== 'external' && c.replicas < 2) findings.push({ component: c.name, severity: strict ? 'high' : 'medium', finding: `a single instance: a single point of failure for a ${availability_target}% target` });
      if ((c.kind === 'database' || c.kind === 'storage') && !c.backups) findings.push({ component: c.name, severity: 'high', finding: 'no backups: data loss on failure or mistake; test restores too' });
    }
    for (const l of links) if (kind.get(l.from) === 'client' && (kind.get(l.to) === 'database' || kind.get(l.to) === 'storage')) findings.push({ component: l.to, severity: 'high', finding: `${l.from} reaches the data store directly: put a service in front for authorisation and validation` });
    const hasCache = components.some((c) => c.kind === 'cache');
    if (peak_requests_per_second >= 1000 && !hasCache && components.some((c) => c.kind === 'database')) findings.push({ component: null, severity: 'medium', finding: `${peak_requests_per_second} requests per second on the database with no cache: consider caching hot reads` });
    for (const l of links) if (l.sync && kind.get(l.to) === 'external') findings.push({ component: l.to, severity: 'medium', finding: `a synchronous call to the external ${l.to}: add a timeout, retries, or a queue so its outage is not yours` });
    // The longest synchronous chain from a client.
    const next = (n: string) => links.filter((l) => l.sync && l.from === n).map((l) => l.to);
    const longest = (n: string, seen: Set<string>): number => Math.max(0, ...next(n).filter((m) => !seen.has(m)).map((m) => 1 + longest(m, new Set([...seen, m]))));
    const chain = Math.max(0, ...components.filter((c) => c.kind === 'client').map((c) => longest(c.name, new Set([c.name]))));
    if (chain > 4) findings.push({ component: null, severity: 'medium', finding: `${chain} synchronous hops per request: latency and failure compound; make some asynchronous` });
    if (!components.some((c) => c.kind === 'load_balancer') && components.some((c) => c.kind === 'service' && c.replicas > 1)) findings.push({ component: null, severity: 'low', finding: 'replicated services without a load balancer in the design: say how traffic is spread' });
    const order = { high: 0, medium: 1, low: 2 };
    return { findings: findings.sort((a, b) => order[a.severity] - order[b.severity]), always_ask: ['How is it secured (authentication, encryption, secrets)?', 'What is monitored, and what pages someone?'] };
  },
);

export const longTermMemory = defineTool(
  'long_term_memory',
  'Long-term memory of the user across calls: remember a fact the user asks to be remembered (kept word for word), forget one, or recall everything remembered. Never store passwords, keys or payment details.',
  z.object({ action: z.enum(['remember', 'forget', 'recall']), fact: z.string().min(1).max(120).optional() }),
  ({ action, fact }, d) => {
    if (!d.info.memory_enabled) throw new SayableError('Memory is off in the profile settings; the user can turn it on there, and then I can remember things between calls.');
    const facts = (kept(d.call, d.info, 'remembered') ?? '').split(' / ').filter(Boolean);
    if (action !== 'recall') {
      const f = fact?.replace(/[/{}]/g, ' ').replace(/\s+/g, ' ').trim();
      if (!f) throw new SayableError('What should I remember or forget?');
      if (/\b(password|passcode|pin|api key|secret|card number|cvv)\b/i.test(f)) throw new SayableError('I do not keep passwords, keys or payment details.');
      const next = action === 'remember' ? [...facts.filter((x) => x !== f), f].slice(-10) : facts.filter((x) => !x.toLowerCase().includes(f.toLowerCase()));
      keep(d.call, 'remembered', next.join(' / '));
      return { [action === 'remember' ? 'remembered' : 'forgot']: f, facts: next };
    }
    return { facts, earlier_calls: d.info.persona.memory ? 'see the memory in your instructions' : 'nothing from earlier calls' };
  },
);
