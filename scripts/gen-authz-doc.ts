// Writes docs/AUTHORISATION.md from the policy table in src/access/policy.ts.
import { writeFileSync } from 'node:fs';
import { ROLE_LABELS, ROLES, TOTP_REQUIRED_ROLES } from '../src/access/roles.js';
import { rulesAsMarkdown } from '../src/access/policy.js';

const roles = ROLES.map((r) => `| \`${r}\` | ${ROLE_LABELS[r]} | ${TOTP_REQUIRED_ROLES.includes(r) ? 'required' : 'optional'} |`).join(
  '\n',
);

writeFileSync(
  new URL('../docs/AUTHORISATION.md', import.meta.url),
  `# Who may do what

Every API route asks one module, \`src/access/policy.ts\`, before it acts: \`authorize(actor, action, record)\`.
The table below is generated from that module (\`npm run docs:authz\`), and a test fails if the two differ.

## Rules that apply to every action

- **School scope.** A record belongs to a school. Anyone acting on a record of another school is refused,
  except a trust administrator acting within their own trust. A record that does not exist is refused
  the same way as one that is out of scope, so ids reveal nothing.
- **Default deny.** A route needs a signed-in, unlocked session that has passed TOTP where the role
  requires it, unless the route is explicitly public (sign-in, health checks, first-run setup).
- **Audit.** Reading another person's record, every sign-in, failure and lockout, and every change to
  accounts and roles is written to the hash-chained audit log.

## Roles

| role | who | TOTP |
|---|---|---|
${roles}

A person can hold several roles; they get the union of what each allows.

## Actions

${rulesAsMarkdown()}
`,
);
console.log('docs/AUTHORISATION.md written');
