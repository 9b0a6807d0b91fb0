/**
 * Takes the request and response bodies of the API guide (test/fixtures/api-guide.md) into
 * src/http/openapi-examples.json, which the OpenAPI documents show as examples.
 * `npm run openapi:examples` writes it; test/openapi.test.ts checks it is current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const GUIDE = fileURLToPath(new URL('../test/fixtures/api-guide.md', import.meta.url));
export const EXAMPLES_FILE = fileURLToPath(new URL('../src/http/openapi-examples.json', import.meta.url));

export interface GuideExample {
  method: string;
  /** The guide's concrete path, without the query string. */
  path: string;
  request?: unknown;
  response?: unknown;
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export function extractGuideExamples(guide: string): GuideExample[] {
  const blocks = [...guide.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, text: m[2]! }));
  const out: GuideExample[] = [];
  for (const [i, block] of blocks.entries()) {
    if (block.lang !== 'http') continue;
    const request = /^(GET|POST|PUT|PATCH|DELETE) (\S+)/.exec(block.text);
    if (!request) continue;
    const example: GuideExample = { method: request[1]!, path: request[2]!.split('?')[0]! };
    const body = block.text.split(/\n\s*\n/).slice(1).join('\n\n').trim();
    const parsedBody = body ? parse(body) : undefined;
    if (parsedBody !== undefined) example.request = parsedBody;
    const next = blocks[i + 1];
    const parsedResponse = next?.lang === 'json' ? parse(next.text) : undefined;
    if (parsedResponse !== undefined) example.response = parsedResponse;
    if (example.request !== undefined || example.response !== undefined) out.push(example);
  }
  return out;
}

export const renderExamples = (guide = readFileSync(GUIDE, 'utf8')): string => `${JSON.stringify(extractGuideExamples(guide), null, 2)}\n`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(EXAMPLES_FILE, renderExamples());
  console.log('src/http/openapi-examples.json written.');
}
