import { ruleTester } from '../helpers/rule-tester.js';

/**
 * Discovery without a config (issue 18): what must stay out (test doubles, layering, lifecycle overlaps),
 * what is information (a family of one contract), copies, and an SSOT that is never the deprecated one.
 */
const store = (name: string, extra = ''): string =>
  `export class ${name} {\n  saveSession(id: string): void {}\n  loadSession(id: string): string { return id; }\n  expireSessions(): number { return 0; }\n${extra}}\n`;
const helper = 'export function slugifyTitle(title: string): string {\n  return title.trim().toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");\n}\n';

ruleTester('competing-implementation', {
  valid: [
    {
      name: 'a double only tests import is a test double wherever it lives',
      files: {
        'src/store/redis-session-store.ts': store('RedisSessionStore'),
        'src/support/memory-sessions.ts': store('MemorySessions'),
        'src/store/redis-session-store.test.ts': "import { MemorySessions } from '../support/memory-sessions';\nexport const s = new MemorySessions();\n",
      },
    },
    {
      name: 'a controller that delegates to its service is a layer, not a competitor',
      files: {
        'src/sessions/session-service.ts': store('SessionService'),
        'src/sessions/session-controller.ts': `import { SessionService } from './session-service';\n${store('SessionController', '  constructor(private readonly service: SessionService) {}\n')}`,
      },
    },
    {
      name: 'components sharing only framework lifecycle methods',
      files: {
        'src/a/user-card.component.ts': 'export class UserCard { ngOnInit(): void {} ngOnDestroy(): void {} writeValue(v: unknown): void {} }\n',
        'src/b/order-card.component.ts': 'export class OrderCard { ngOnInit(): void {} ngOnDestroy(): void {} writeValue(v: unknown): void {} }\n',
      },
    },
    {
      name: 'a set dismissed in the config stays out of discovery',
      files: { 'packages/web/src/slug.ts': helper, 'packages/api/src/text/slug.ts': helper },
      config: { dismissed: [{ members: ['packages/web/src/slug.ts#slugifyTitle', 'packages/api/src/text/slug.ts#slugifyTitle'], reason: 'kept apart on purpose' }] },
    },
  ],
  invalid: [
    {
      name: 'siblings of one contract are a family, reported for information',
      files: {
        'src/payments/payment-provider.ts': 'export interface PaymentProvider { authorizePayment(id: string): void; capturePayment(id: string): void; refundPayment(id: string): void }\n',
        'src/payments/stripe-payment-provider.ts': "import type { PaymentProvider } from './payment-provider';\nexport class StripePaymentProvider implements PaymentProvider { authorizePayment(id: string): void {} capturePayment(id: string): void {} refundPayment(id: string): void {} }\n",
        'src/payments/paypal-payment-provider.ts': "import type { PaymentProvider } from './payment-provider';\nexport class PaypalPaymentProvider implements PaymentProvider { authorizePayment(id: string): void {} capturePayment(id: string): void {} refundPayment(id: string): void {} }\n",
      },
      errors: [{ messageId: 'family', file: 'src/payments/stripe-payment-provider.ts', line: 2, severity: 'info', data: { name: 'StripePaymentProvider' } }],
    },
    {
      name: 'one helper copied into two packages is a duplicate copy',
      files: { 'packages/web/src/slug.ts': helper, 'packages/api/src/text/slug.ts': helper, 'packages/web/src/page.ts': "import { slugifyTitle } from './slug';\nexport const p = slugifyTitle('A');\n" },
      errors: [{ messageId: 'duplicateCopy', file: 'packages/api/src/text/slug.ts', line: 1, severity: 'warning', data: { name: 'slugifyTitle', ssot: 'slugifyTitle (packages/web/src/slug.ts)' } }],
    },
    {
      name: 'the suggested SSOT is never the deprecated one, however used',
      files: {
        'src/legacy/session-store.ts': store('LegacySessionStore'),
        'src/sessions/session-store.ts': store('SessionStore'),
        'src/a.ts': "import { LegacySessionStore } from './legacy/session-store';\nexport const a = new LegacySessionStore();\n",
        'src/b.ts': "import { LegacySessionStore } from './legacy/session-store';\nexport const b = new LegacySessionStore();\n",
      },
      errors: [{ messageId: 'duplicateCopy', file: 'src/legacy/session-store.ts', line: 1, severity: 'warning', data: { name: 'LegacySessionStore', ssot: 'SessionStore (src/sessions/session-store.ts)', consumers: 2 } }],
    },
  ],
});
