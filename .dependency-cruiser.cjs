// The import rules of src/ (docs/architecture.md#layers), checked by `npm run lint:deps`
// (part of `npm test`). Layers, lowest first; a layer imports only from layers below it:
//   plumbing   src/*.ts, db/, http/, integrations/, services/service.ts (no service code)
//   auth       services/auth/ (nothing imports it but accounts and the start-up layer)
//   coupons    services/coupons/ (coupon rules, shared by time-card purchases and subscriptions)
//   time       services/time/
//   monetization  services/monetization/
//   personas   services/personas/
//   webhooks   services/webhooks/ (the dispatcher: calls the services' event handlers)
//   admin      services/admin/
//   accounts   services/accounts/ (verification, recovery, deletion, export: built on auth and the services it touches)
//   start      start/, services/index.ts (builds the Platform, lists the services), main.ts
const SERVICES = ['auth', 'coupons', 'time', 'monetization', 'personas', 'webhooks', 'admin', 'accounts'];
const service = (name) => `^src/services/${name}/`;
/** A service may import the services listed after it in `below`, plus plumbing. */
const below = {
  auth: [],
  coupons: [],
  time: ['coupons'],
  monetization: ['coupons', 'time'],
  personas: ['coupons', 'time', 'monetization'],
  webhooks: ['coupons', 'time', 'monetization', 'personas'],
  admin: ['coupons', 'time', 'monetization', 'personas', 'webhooks'],
  accounts: ['auth', 'coupons', 'time', 'monetization', 'personas'],
};

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import circle becomes a load-order bug the day one edge is a value import.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'plumbing-imports-no-service',
      comment: 'Plumbing (db, http, integrations, platform, config …) knows no service: services build on it.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/services/', '^src/start/', '^src/main\\.ts$', '\\.test\\.ts$'] },
      to: { path: ['^src/services/', '^src/start/'], pathNot: '^src/services/service\\.ts$' },
    },
    {
      name: 'platform-is-types-only',
      comment: 'src/platform.ts declares the Platform; src/start/platform.ts builds it.',
      severity: 'error',
      from: { path: '^src/platform\\.ts$' },
      to: { dependencyTypesNot: ['type-only'] },
    },
    ...SERVICES.map((name) => ({
      name: `${name}-imports-only-lower-layers`,
      comment: `services/${name} may import ${below[name].length ? below[name].join(', ') + ' and ' : ''}plumbing only (docs/architecture.md#layers).`,
      severity: 'error',
      from: { path: service(name), pathNot: '\\.test\\.ts$' },
      to: {
        path: '^src/(services|start)/',
        pathNot: [service(name), '^src/services/service\\.ts$', ...below[name].map(service)],
      },
    })),
    {
      name: 'only-start-lists-services',
      comment: 'The list of services (services/index.ts) and the start-up layer are the top: only main, tests and bench import them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/start/', '^src/main\\.ts$', '\\.test\\.ts$'] },
      to: { path: ['^src/services/index\\.ts$', '^src/start/'] },
    },
    {
      name: 'agent-talks-to-the-platform-over-http',
      comment: 'The voice agent (agent/) never opens the database nor calls a service: it uses the /agent/* routes.',
      severity: 'error',
      from: { path: '^agent/' },
      to: { path: '^src/(db|services|start)/|^src/platform\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
