import { execFile } from 'node:child_process';
import { z } from 'zod';
import { SayableError, defineTool } from './types.js';

export const explainCode = defineTool(
  'explain_code',
  'Outline a code snippet the user pasted or dictated: language, functions, loops, branches, lines; the outline to explain it from.',
  z.object({ code: z.string().min(1).max(8000) }),
  ({ code }) => {
    const lines = code.split('\n');
    const language = /\bdef |import \w+$|:\s*$/m.test(code) ? 'python' : /\b(const|let|function|=>)\b/.test(code) ? 'javascript/typescript' : /#include|\bint main\b/.test(code) ? 'c/c++' : /\bpublic (static )?(class|void)\b/.test(code) ? 'java' : 'unknown';
    const functions = [...code.matchAll(/(?:function\s+(\w+)|def\s+(\w+)|(\w+)\s*=\s*(?:async\s*)?\([^)]*\)\s*=>|(?:public|private|static)[\w\s<>]*\s(\w+)\s*\()/g)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]).filter(Boolean);
    return {
      language,
      lines: lines.length,
      functions,
      loops: (code.match(/\b(for|while)\b|\.forEach\(|\.map\(/g) ?? []).length,
      branches: (code.match(/\b(if|else if|elif|switch|case)\b|\?[^:]+:/g) ?? []).length,
      note: 'Explain top-down: purpose, then each function, then one thing to improve. Do not read code aloud character by character.',
    };
  },
);

const SNIPPET_LIMIT_MS = 2000;

export const runSnippet = defineTool(
  'run_snippet',
  'Run a short JavaScript snippet and return what it printed (console.log) and its result. No files, network or modules; 2 seconds at most.',
  z.object({ code: z.string().min(1).max(4000) }),
  async ({ code }) => {
    // A separate Node process under the permission model (no file system, no subprocesses,
    // no workers), an empty environment, a small heap and a hard timeout.
    const runner = `const vm=require('node:vm');let out=[];const log=(...a)=>out.push(a.map(String).join(' '));
let result;try{result=vm.runInNewContext(process.argv[1],{console:{log,error:log,warn:log}},{timeout:${SNIPPET_LIMIT_MS - 500}});}catch(e){out.push('Error: '+(e&&e.message));}
process.stdout.write(JSON.stringify({output:out.join('\\n').slice(0,2000),result:result===undefined?null:String(result).slice(0,500)}));`;
    const result = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, ['--experimental-permission', '--no-warnings', '--max-old-space-size=64', '-e', runner, code], { timeout: SNIPPET_LIMIT_MS, env: {}, maxBuffer: 64 * 1024 }, (err, stdout) => {
        if (err && !stdout) reject(new SayableError('The snippet did not finish in time or crashed.'));
        else resolve(stdout);
      });
    });
    return JSON.parse(result) as { output: string; result: string | null };
  },
);

const CHECKLISTS: Record<string, string[]> = {
  crash: ['Read the first line of the error and the top frame in your own code.', 'What are the inputs at that line? Print or log them.', 'Can you reproduce it with the smallest input?', 'What changed since it last worked?'],
  wrong_output: ['Write down the expected and the actual output for one case.', 'Find the first step where they differ: log intermediate values.', 'Check off-by-one, types (string vs number) and mutation of shared data.', 'Write a test for that case before fixing.'],
  slow: ['Measure first: which call takes the time?', 'Look for work inside loops: queries, allocations, repeated parsing.', 'Check the input size the code sees in reality.', 'Try caching or batching one hot path, then measure again.'],
  intermittent: ['Note when it fails: timing, load, order, data.', 'Look for shared state, races and unawaited promises.', 'Check timeouts and retries around the network.', 'Make it fail on purpose: add delays or run it many times.'],
  works_locally: ['Compare versions: runtime, dependencies, OS.', 'Compare configuration and environment variables (without sharing secrets).', 'Check file paths, permissions and time zones.', 'Read the server logs at the failure time.'],
};

export const debuggingChecklist = defineTool(
  'debugging_checklist',
  'A step-by-step debugging checklist for a symptom: crash, wrong_output, slow, intermittent, works_locally.',
  z.object({ symptom: z.enum(['crash', 'wrong_output', 'slow', 'intermittent', 'works_locally']) }),
  ({ symptom }) => ({ symptom, steps: CHECKLISTS[symptom], ask: 'one question at a time' }),
);

const ERRORS: { pattern: RegExp; cause: string; check: string }[] = [
  { pattern: /cannot read propert(y|ies) of (undefined|null)|undefined is not an object/i, cause: 'a value you expected to be an object is undefined or null', check: 'log the object just before that line; was it loaded, returned, or awaited?' },
  { pattern: /is not defined|ReferenceError|NameError/i, cause: 'a name is used before it is declared, misspelled, or out of scope', check: 'check the spelling, imports and where it is declared' },
  { pattern: /is not a function/i, cause: 'something called as a function is another type (often undefined or a promise)', check: 'log its type; check the import and whether it needs awaiting' },
  { pattern: /SyntaxError|unexpected token|IndentationError/i, cause: 'the code or the data (often JSON) does not parse', check: 'look just before the position given: a missing bracket, comma or quote' },
  { pattern: /ECONNREFUSED|connection refused/i, cause: 'nothing is listening at that host and port', check: 'is the server running, on that port, and reachable from here?' },
  { pattern: /ENOENT|no such file|FileNotFoundError/i, cause: 'a file path does not exist from where the program runs', check: 'print the working directory and the absolute path' },
  { pattern: /cannot find module|ModuleNotFoundError|ImportError/i, cause: 'a dependency is not installed or the import path is wrong', check: 'install it, and check relative paths and file extensions' },
  { pattern: /NullPointerException/i, cause: 'a reference is null when used', check: 'find which variable on that line is null and why' },
  { pattern: /IndexError|index out of (range|bounds)|ArrayIndexOutOfBounds/i, cause: 'an index past the end of a list', check: 'check the loop bounds (off by one) and empty lists' },
  { pattern: /KeyError/i, cause: 'a dictionary key that is not there', check: 'print the keys; use .get() with a default if it may be missing' },
  { pattern: /CORS|Access-Control-Allow-Origin/i, cause: 'the server does not allow this page\'s origin', check: 'configure the server\'s CORS for that origin; the browser cannot override it' },
  { pattern: /segmentation fault|SIGSEGV/i, cause: 'native memory access out of bounds', check: 'run under a debugger or sanitizer; check pointers and buffer sizes' },
  { pattern: /timeout|timed out|ETIMEDOUT/i, cause: 'an operation took longer than allowed', check: 'which call? Is the other side slow or unreachable? Are timeouts and retries sane?' },
];

export const explainError = defineTool(
  'explain_error',
  'Explain an error message: its likely cause and the first thing to check. Never ask for secrets in logs.',
  z.object({ message: z.string().min(1).max(2000) }),
  ({ message }) => {
    const hit = ERRORS.find((e) => e.pattern.test(message));
    return hit ? { likely_cause: hit.cause, first_check: hit.check } : { likely_cause: 'not a pattern I know', first_check: 'read the first line and the top stack frame in your own code, then reproduce it with the smallest input' };
  },
);

export const capacityEstimator = defineTool(
  'capacity_estimator',
  'Back-of-the-envelope capacity: requests per second (average and peak), storage and bandwidth from users, actions and sizes.',
  z.object({
    daily_active_users: z.number().positive().max(1e10),
    requests_per_user_per_day: z.number().positive().max(1e6),
    peak_factor: z.number().min(1).max(100).default(3),
    bytes_per_request: z.number().min(0).max(1e9).default(1000),
    stored_bytes_per_request: z.number().min(0).max(1e9).default(0),
    retention_days: z.number().int().min(1).max(36500).default(365),
  }),
  (a) => {
    const perDay = a.daily_active_users * a.requests_per_user_per_day;
    const avg = perDay / 86_400;
    const storage = perDay * a.stored_bytes_per_request * a.retention_days;
    const human = (b: number) => (b >= 1e12 ? `${(b / 1e12).toFixed(1)} TB` : b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : b >= 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${Math.round(b / 1e3)} KB`);
    return {
      requests_per_day: Math.round(perDay),
      average_rps: Math.round(avg * 10) / 10,
      peak_rps: Math.round(avg * a.peak_factor * 10) / 10,
      peak_bandwidth_per_second: human(avg * a.peak_factor * a.bytes_per_request),
      storage_total: human(storage),
    };
  },
);

const DESIGN = {
  requirements: ['functional requirements and the top three use cases', 'scale: users, requests per second, data size', 'latency and availability targets', 'consistency needs'],
  api: ['the main endpoints or messages', 'pagination, idempotency keys, versioning', 'authentication and rate limits'],
  data: ['entities and access patterns', 'SQL or NoSQL and why', 'indexes, partitioning key, retention'],
  scaling: ['stateless services behind a load balancer', 'caching: what, where, invalidation', 'queues for slow or bursty work', 'hot keys and fan-out'],
  reliability: ['single points of failure', 'retries with backoff and timeouts', 'replication and backups', 'graceful degradation'],
  security: ['least privilege and secrets handling', 'encryption in transit and at rest', 'personal data and compliance'],
  operations: ['metrics, logs, traces', 'alerts on symptoms', 'deploys and rollbacks', 'cost'],
};

export const designChecklist = defineTool(
  'design_checklist',
  'A system-design checklist for one area (requirements, api, data, scaling, reliability, security, operations) or all of them.',
  z.object({ area: z.enum(['all', 'requirements', 'api', 'data', 'scaling', 'reliability', 'security', 'operations']).default('all') }),
  ({ area }) => (area === 'all' ? DESIGN : { [area]: DESIGN[area] }),
);

const INTERVIEW = [
  'Design a URL shortener.', 'Design a chat application like WhatsApp.', 'Design a news feed.', 'Design a rate limiter.', 'Design a ride-sharing dispatch system.',
  'Design a video streaming service.', 'Design a distributed key-value store.', 'Design a notification system.', 'Design a web crawler.', 'Design a payment system with exactly-once charges.',
];

export const mockInterview = defineTool(
  'mock_interview',
  'Run a timed mock system-design interview: get the next question with its time plan, or finish and get the rubric to give feedback against.',
  z.object({ action: z.enum(['next', 'finish']).default('next') }),
  ({ action }, d) => {
    const s = d.call.state('interview', () => ({ asked: [] as string[], startedAt: 0 }));
    if (action === 'finish') {
      if (s.asked.length === 0) throw new SayableError('We have not started an interview yet.');
      return { question: s.asked.at(-1), minutes_taken: Math.round((d.now().getTime() - s.startedAt) / 60_000), rubric: ['clarified requirements', 'estimated scale', 'clear high-level design', 'deep dive on one component', 'trade-offs named', 'failure handling'] };
    }
    const left = INTERVIEW.filter((q) => !s.asked.includes(q));
    const q = left[Math.floor(d.random() * left.length)];
    if (!q) throw new SayableError('We have gone through every question I have.');
    s.asked.push(q);
    s.startedAt = d.now().getTime();
    return { question: q, plan_minutes: { requirements: 5, estimates: 5, high_level: 10, deep_dive: 15, wrap_up: 5 } };
  },
);
