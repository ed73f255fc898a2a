// Text templates for bench/generate-corpus.mjs: a seeded PRNG, word lists and the
// code that makes each generated file look like hand-written application code.

/** mulberry32: a tiny, fast, seedable 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Helpers around one PRNG stream. */
export function makeRandom(seed) {
  const next = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(next() * list.length)];
  const chance = (p) => next() < p;
  const shuffle = (list) => {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  };
  return { next, int, pick, chance, shuffle };
}

export const PACKAGE_NAMES = ["utils", "api", "data", "ui", "auth", "billing", "events", "search", "storage", "telemetry", "workflow"];
export const TOP_DIRS = ["services", "models", "handlers", "adapters", "domain", "infra", "lib", "http", "events", "jobs",
  "repositories", "validation", "mappers", "middleware", "caching", "workflows", "integrations", "reporting"];
export const SUB_DIRS = ["internal", "common", "v1", "v2", "helpers", "impl", "shared", "storage", "transport", "queue",
  "billing", "identity", "search", "sync", "exporters", "importers", "legacy-compat", "testing-support"];
export const NOUNS = ["Account", "Invoice", "Order", "Customer", "Payment", "Shipment", "Product", "Catalog", "Inventory",
  "Session", "Token", "Profile", "Report", "Metric", "Audit", "Ledger", "Subscription", "Coupon", "Cart", "Review",
  "Notification", "Message", "Channel", "Document", "Asset", "Tenant", "Workspace", "Project", "Task", "Schedule",
  "Quota", "Region", "Warehouse", "Supplier", "Contract", "Claim", "Refund", "Discount", "Price", "Currency",
  "Address", "Webhook", "Feature", "Experiment", "Segment", "Campaign", "Lead", "Ticket", "Comment", "Attachment",
  "Folder", "Permission", "Team", "Member", "Device", "Job", "Snapshot", "Upload", "License", "Vendor"];
export const KINDS = ["Service", "Repository", "Controller", "Handler", "Adapter", "Mapper", "Validator", "Factory",
  "Provider", "Store", "Client", "Manager", "Resolver", "Builder", "Formatter", "Parser", "Scheduler", "Gateway",
  "Cache", "Processor", "Registry", "Serializer", "Tracker", "Loader"];
export const QUALIFIERS = ["Cached", "Remote", "Local", "Batch", "Internal", "Shared", "Async", "Default", "Scoped",
  "Secure", "Composite", "Streaming", "Readonly", "Paged", "Versioned", "Lazy", "Buffered", "Tracing", "Resilient", "Indexed"];
const VERBS = ["sync", "refresh", "collect", "reconcile", "prune", "summarize", "describe", "rebalance", "archive", "index",
  "import", "export", "merge", "audit", "expire", "restore", "compact", "verify", "warm", "flush"];

export const kebab = (name) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
export const snake = (name) => kebab(name).replace(/-/g, "_").toUpperCase();
const lower = (name) => name[0].toLowerCase() + name.slice(1);

// ---------------------------------------------------------------- method bodies
// Each template returns lines (already indented for a class body, or top level).
// "$" stands for `this.` in classes and for a module-level store in function modules.
const BODIES = [
  (m, c, $) => [
    `  async ${m}(items: ReadonlyArray<${c.R}>, limit = ${c.n}): Promise<number> {`,
    `    let processed = 0;`,
    `    for (const item of items) {`,
    `      if (processed >= limit) {`,
    `        break;`,
    `      }`,
    `      if (item.amount < 0) {`,
    `        ${$}log(\`skipping ${c.noun} \${item.id}: negative amount\`);`,
    `        continue;`,
    `      }`,
    `      ${$}records.set(item.id, { ...item, updatedAt: new Date() });`,
    `      processed += 1;`,
    `    }`,
    `    return processed;`,
    `  }`],
  (m, c) => [
    `  ${m}<K extends string | number>(entries: ${c.R}[], key: (entry: ${c.R}) => K): Map<K, ${c.R}[]> {`,
    `    const groups = new Map<K, ${c.R}[]>();`,
    `    for (const entry of entries) {`,
    `      const bucket = groups.get(key(entry)) ?? [];`,
    `      bucket.push(entry);`,
    `      groups.set(key(entry), bucket);`,
    `    }`,
    `    return groups;`,
    `  }`],
  (m, c, $) => [
    `  ${m}(record: ${c.R}): string {`,
    `    switch (record.status) {`,
    `      case "active":`,
    `        return \`\${record.id} is active since \${record.createdAt.toISOString()}\`;`,
    `      case "archived":`,
    `        ${$}hits += 1;`,
    `        return \`\${record.id} was archived (\${record.tags.join(", ")})\`;`,
    `      default:`,
    `        return \`\${record.id} is \${record.status}\`;`,
    `    }`,
    `  }`],
  (m, c, $) => [
    `  async ${m}(id: string): Promise<${c.R} | undefined> {`,
    `    try {`,
    `      const existing = ${$}records.get(id);`,
    `      if (!existing) {`,
    `        ${$}log(\`${c.noun} cache miss for \${id}\`);`,
    `        return undefined;`,
    `      }`,
    `      return { ...existing, updatedAt: new Date() };`,
    `    } catch (error) {`,
    `      const reason = error instanceof Error ? error.message : String(error);`,
    `      throw new Error(\`${c.P}.${m} failed for \${id}: \${reason}\`);`,
    `    }`,
    `  }`],
  (m, c, $) => [
    `  async ${m}(task: () => Promise<boolean>): Promise<boolean> {`,
    `    let attempt = 0;`,
    `    while (attempt < ${$}options.retries) {`,
    `      attempt += 1;`,
    `      if (await task()) {`,
    `        return true;`,
    `      }`,
    `      // Exponential backoff, capped by the configured timeout.`,
    `      const delay = Math.min(2 ** attempt * ${c.n}, ${$}options.timeoutMs);`,
    `      await new Promise<void>((resolve) => setTimeout(resolve, delay));`,
    `    }`,
    `    return false;`,
    `  }`],
  (m, c, $) => [
    `  ${m}(threshold = ${c.n}): number {`,
    `    return [...${$}records.values()]`,
    `      .filter((r) => r.amount > threshold && r.tags.length > 0)`,
    `      .map((r) => r.amount * (1 + r.tags.length / 10))`,
    `      .reduce((total, value) => total + value, 0);`,
    `  }`],
  (m, c, $) => [
    `  ${m}(): Readonly<Record<string, string | number>> {`,
    `    const active = [...${$}records.values()].filter((r) => r.status === "active");`,
    `    return Object.freeze({`,
    `      name: "${c.P}",`,
    `      total: ${$}records.size,`,
    `      active: active.length,`,
    `      summary: \`\${active.length}/\${${$}records.size} ${c.noun} records active\`,`,
    `    });`,
    `  }`],
  (m, c, $) => [
    `  ${m}(input: Partial<${c.R}> & { id: string }): ${c.R} {`,
    `    const current = ${$}records.get(input.id);`,
    `    const next: ${c.R} = {`,
    `      id: input.id,`,
    `      status: input.status ?? current?.status ?? "pending",`,
    `      amount: input.amount ?? current?.amount ?? 0,`,
    `      tags: [...new Set([...(current?.tags ?? []), ...(input.tags ?? [])])],`,
    `      createdAt: current?.createdAt ?? new Date(),`,
    `    };`,
    `    ${$}records.set(next.id, next);`,
    `    return next;`,
    `  }`],
];

/** Renders one ordinary file. `f` is the planned file, `r` the PRNG, `imports` rendered import data. */
export function renderFile(f, r, imp) {
  const { P } = f;
  const c = { P, R: `${P}Record`, O: `${P}Options`, noun: f.noun.toLowerCase(), n: r.int(2, 50) * 5 };
  const D = `${snake(P)}_DEFAULTS`;
  const out = [`/**`, ` * ${P}: ${r.pick(["coordinates", "owns", "wraps", "caches", "validates"])} ${c.noun} data for the ${f.pkg} package.`,
    ` * Generated benchmark corpus file; keep edits mechanical.`, ` */`];
  out.push(...imp.head, "");
  out.push(`export interface ${c.R} {`, `  id: string;`, `  status: "active" | "archived" | "pending";`, `  amount: number;`,
    `  tags: string[];`, `  createdAt: Date;`, `  updatedAt?: Date;`, `}`, "",
    `export interface ${c.O} {`, `  retries: number;`, `  timeoutMs: number;`, `  verbose: boolean;`, `}`, "",
    `export const ${D}: ${c.O} = { retries: ${r.int(1, 5)}, timeoutMs: ${r.int(1, 30) * 100}, verbose: false };`, "");
  const budget = f.lines - out.length - imp.body.length - imp.fields.length - (f.isClass ? 17 : 13) - (f.hasDefault ? 2 : 0);
  const methods = [];
  let used = 0;
  for (let k = 0; used < budget; k++) {
    const body = r.pick(BODIES)(`${r.pick(VERBS)}${f.noun}${k}`, c, f.isClass ? "this." : "state.");
    if (r.chance(0.4)) body.unshift(`  /** ${r.pick(["Keeps", "Returns", "Computes", "Updates"])} ${c.noun} state; see ${P}. */`);
    methods.push(...body, "");
    used += body.length + 1;
  }
  const fields = imp.fields.map((x) => (f.isClass
    ? (x.init ? `  private readonly ${x.name} = ${x.init};` : `  private ${x.name}?: ${x.type};`)
    : (x.init ? `const ${x.name} = ${x.init};` : `let ${x.name}: ${x.type} | undefined;`)));
  if (f.isClass) {
    out.push(`export class ${P} {`, `  private readonly records = new Map<string, ${c.R}>();`, `  private readonly options: ${c.O};`,
      `  private hits = 0;`, ...fields, "", `  constructor(options: Partial<${c.O}> = {}) {`,
      `    this.options = { ...${D}, ...options };`, `  }`, "", `  private log(message: string): void {`,
      `    if (this.options.verbose) {`, `      console.debug(\`[${P}] \${message}\`);`, `    }`, `  }`, "",
      ...methods, ...imp.body, `}`);
  } else {
    out.push(`const state = {`, `  records: new Map<string, ${c.R}>(),`, `  options: { ...${D} } as ${c.O},`, `  hits: 0,`,
      `  log(message: string): void {`, `    if (state.options.verbose) console.debug(\`[${P}] \${message}\`);`, `  },`, `};`,
      ...fields, "", `/** Module-level ${c.noun} helpers (no class). */`, `export const ${lower(P)} = {`);
    for (const l of [...methods, ...imp.body]) out.push(l === "  }" ? "  }," : l);
    out.push(`};`);
  }
  if (f.hasDefault) out.push("", `export default ${f.isClass ? P : lower(P)};`);
  out.push("");
  return out.join("\n");
}
