/**
 * `facade`: turn a legacy module into deprecated re-exports of the SSOT module, so old importers keep working.
 *
 * Run on legacy modules only. Each export whose SSOT counterpart exists (`renames[name] ?? name`) becomes
 * `export { Ssot as Legacy } from '<ssot>';` (`export type` for types) under a `@deprecated` JSDoc, grouped
 * where the first replaced declaration stood; an export without counterpart is kept under
 * `// ssot-kit: manual migration needed (<reason>)`. Imports made unused by the change are removed, and a
 * once-per-process `process.emitWarning` (typed without `@types/node`) is added at the top under
 * `// ssot-kit: facade for <ssot> (deprecated module)`. Like `rewrite-imports`, it parses with jscodeshift's
 * TypeScript plugin list through `@babel/parser` and edits the original text at node offsets, so untouched
 * lines, CRLF and BOM stay byte-identical; it is self-contained for `npx jscodeshift -t transforms/facade.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { API, FileInfo, Options } from 'jscodeshift';
import { parseModule, applyEdits, withBom, parseJson, isFile, children, nameOf, lineStartOf, nextLine, isNonReference, type AnyNode, type Edit } from './lib/transform-kit.ts';

export const meta = {
  id: 'facade',
  description: 'Turn a legacy module into @deprecated re-exports of the SSOT module with a once-per-process runtime warning.',
  options: {
    ssot: 'path of the SSOT module file (absolute or relative to the working directory; extension optional)',
    renames: 'JSON object: legacy export name -> SSOT export name (default {}); `default` maps the default export',
    ssotSpecifier: 'optional exact specifier to write for the SSOT module (default: relative from the file)',
    code: 'optional warning code (default SSOT_DEPRECATED_<FILE_BASE_NAME>)',
    root: 'optional folder the warning names the module relative to (default: the working directory)',
  },
} as const;

/** Greppable marker left where a rewrite is unsafe. */
export const MARKER = 'ssot-kit: manual migration needed';
/** Prefix of the comment that marks a converted module. */
export const FACADE_MARKER = 'ssot-kit: facade for';

// Babel AST nodes are walked structurally; offsets are not in jscodeshift's typings.
type Kind = 'value' | 'type' | 'unknown';
type Settings = { ssot: string; renames: Record<string, string>; ssotSpecifier?: string; code?: string; root?: string };
type SsotExports = { names: Map<string, Kind>; star: boolean };


/** A module path given without its extension resolves like an extensionless specifier. */
function probeModule(abs: string): string {
  if (isFile(abs)) return abs;
  const candidates = ['.ts', '.tsx', '.d.ts', '.mts', '.cts'].map((ext) => abs + ext);
  candidates.push(...['.ts', '.tsx', '.d.ts'].map((ext) => path.join(abs, `index${ext}`)));
  return candidates.find(isFile) ?? abs;
}

function readSettings(options: Options): Settings | undefined {
  const raw = options as Record<string, unknown>;
  if (!raw.ssot) return undefined;
  const settings: Settings = {
    ssot: probeModule(path.resolve(String(raw.ssot))),
    renames: parseJson<Record<string, string>>(raw.renames, {}),
  };
  if (typeof raw.ssotSpecifier === 'string' && raw.ssotSpecifier) settings.ssotSpecifier = raw.ssotSpecifier;
  if (typeof raw.root === 'string' && raw.root) settings.root = path.resolve(raw.root);
  if (typeof raw.code === 'string' && raw.code) settings.code = raw.code;
  return settings;
}

/** Every identifier in a reference position, with its offset. */
function collectReferences(program: AnyNode): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  const visit = (node: AnyNode, parent: AnyNode | undefined): void => {
    if ((node.type === 'Identifier' || node.type === 'JSXIdentifier') && parent && !isNonReference(node, parent)) {
      out.push({ name: node.name as string, at: node.start });
    }
    for (const child of children(node)) visit(child, node);
  };
  visit(program, undefined);
  return out;
}

/** Names a declaration binds, and whether they are values or types; `undefined` for unsupported shapes. */
function declared(decl: AnyNode): { names: string[]; kind: Kind } | undefined {
  switch (decl.type) {
    case 'ClassDeclaration':
    case 'FunctionDeclaration':
    case 'TSDeclareFunction':
    case 'TSEnumDeclaration':
      return decl.id ? { names: [decl.id.name as string], kind: 'value' } : undefined;
    case 'TSModuleDeclaration':
      return decl.id?.type === 'Identifier' ? { names: [decl.id.name as string], kind: 'value' } : undefined;
    case 'TSInterfaceDeclaration':
    case 'TSTypeAliasDeclaration':
      return { names: [decl.id.name as string], kind: 'type' };
    case 'VariableDeclaration': {
      const ids = (decl.declarations as AnyNode[]).map((d) => d.id as AnyNode);
      if (ids.some((id) => id.type !== 'Identifier')) return undefined;
      return { names: ids.map((id) => id.name as string), kind: 'value' };
    }
    default:
      return undefined;
  }
}

/** The SSOT module's exported names and kinds (`unknown` when only a re-export names it). */
function readSsotExports(file: string): SsotExports | undefined {
  let program: AnyNode;
  try {
    program = parseModule(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''), file).program as AnyNode;
  } catch {
    return undefined;
  }
  const names = new Map<string, Kind>();
  let star = false;
  const body = program.body as AnyNode[];
  const localKind = (local: string): Kind => {
    for (const st of body) {
      const decl = st.type === 'ExportNamedDeclaration' ? (st.declaration as AnyNode | undefined) : st;
      const d = decl ? declared(decl) : undefined;
      if (d?.names.includes(local)) return d.kind;
      if (st.type === 'ImportDeclaration' && (st.specifiers as AnyNode[]).some((sp) => sp.local.name === local)) {
        const sp = (st.specifiers as AnyNode[]).find((s) => s.local.name === local) as AnyNode;
        return st.importKind === 'type' || sp.importKind === 'type' ? 'type' : 'unknown';
      }
    }
    return 'unknown';
  };
  const add = (name: string, kind: Kind): void => {
    const prev = names.get(name);
    names.set(name, prev === undefined || prev === kind ? kind : prev === 'type' || kind === 'type' ? 'value' : 'unknown');
  };
  for (const st of body) {
    if (st.type === 'ExportAllDeclaration') {
      if (st.exported) add(nameOf(st.exported), 'value');
      else star = true;
    } else if (st.type === 'ExportDefaultDeclaration') {
      add('default', 'value');
    } else if (st.type === 'ExportNamedDeclaration') {
      const d = st.declaration ? declared(st.declaration as AnyNode) : undefined;
      if (d) for (const n of d.names) add(n, d.kind);
      for (const sp of (st.specifiers ?? []) as AnyNode[]) {
        const exported = nameOf(sp.exported);
        if (sp.type === 'ExportNamespaceSpecifier') add(exported, 'value');
        else if (st.exportKind === 'type' || sp.exportKind === 'type') add(exported, 'type');
        else add(exported, st.source ? 'unknown' : localKind(nameOf(sp.local)));
      }
    }
  }
  return { names, star };
}

/** `unified-tool-dispatcher.ts` -> `UNIFIED_TOOL_DISPATCHER`. */
function upperSnake(filePath: string): string {
  const base = path.basename(filePath).replace(/(\.d)?\.[cm]?[jt]sx?$/, '');
  return base.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toUpperCase();
}

/** The jscodeshift transform. Returns `undefined` when nothing changed; never throws on a module it cannot convert. */
export default function transformer(file: FileInfo, api: API, options: Options): string | undefined {
  const settings = readSettings(options);
  if (!settings) return undefined;
  return withBom(file.source, (source) => {
    let ast: AnyNode;
    try {
      ast = parseModule(source, file.path);
    } catch (error) {
      // Not parseable: nothing this transform can do safely; said, so the module is not left behind silently.
      api.report(`not rewritten: the transforms' parser cannot read it (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    }
    const ssot = readSsotExports(settings.ssot);
    if (!ssot) return undefined; // the SSOT module is missing or unparseable: no counterpart can be confirmed
    return convert(file.path, source, ast, settings, ssot);
  });
}

type Item = { legacy: string; ssot: string; type: boolean };

function convert(filePath: string, source: string, ast: AnyNode, s: Settings, ssot: SsotExports): string | undefined {
  const program = ast.program as AnyNode;
  const body = program.body as AnyNode[];
  const comments = (ast.comments ?? []) as AnyNode[];
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const firstSource = body.find((st) => st.source?.type === 'StringLiteral')?.source as AnyNode | undefined;
  const q = firstSource && source[firstSource.start] === '"' ? '"' : "'";
  const quote = (text: string): string => q + text.replace(/\\/g, '\\\\').replace(new RegExp(q, 'g'), `\\${q}`) + q;
  const semi = body.some((st) => /;\s*$/.test(source.slice(st.start, st.end))) || body.length === 0 ? ';' : '';

  let spec = s.ssotSpecifier;
  if (!spec) {
    spec = path.relative(path.dirname(path.resolve(filePath)), s.ssot.replace(/(\.d)?\.[cm]?tsx?$/, '')).split(path.sep).join('/');
    if (!spec.startsWith('.')) spec = `./${spec}`;
  }
  const counterpart = (legacy: string): { name: string; kind: Kind } | undefined => {
    const name = s.renames[legacy] ?? legacy;
    const kind = ssot.names.get(name);
    return kind === undefined ? undefined : { name, kind };
  };

  // Candidate statements: every exported name has an SSOT counterpart of a compatible kind.
  const markers = new Map<number, string[]>();
  const mark = (st: AnyNode, reason: string): void => {
    markers.set(st.start, [...(markers.get(st.start) ?? []), reason]);
  };
  const candidates = new Map<AnyNode, { items: Item[]; locals: string[] }>();
  const partial = new Map<AnyNode, { items: Item[]; kept: AnyNode[] }>();
  const missingReason = (name: string): string =>
    ssot.star ? `no SSOT counterpart for ${name} confirmed (the SSOT uses export *)` : `no SSOT counterpart for ${name}`;
  for (const st of body) {
    if (st.type === 'ExportNamedDeclaration' && st.declaration) {
      const d = declared(st.declaration as AnyNode);
      if (!d || st.declaration.declare && st.declaration.type === 'TSModuleDeclaration' && st.declaration.global) {
        mark(st, 'unsupported export declaration');
        continue;
      }
      const items: Item[] = [];
      const missing: string[] = [];
      for (const name of d.names) {
        const c = counterpart(name);
        if (!c) missing.push(name);
        else if (d.kind === 'value' && c.kind === 'type') missing.push(`${name} (the SSOT's ${c.name} is a type only)`);
        else items.push({ legacy: name, ssot: c.name, type: d.kind === 'type' || st.exportKind === 'type' });
      }
      if (missing.length > 0) for (const m of missing) mark(st, missingReason(m));
      else candidates.set(st, { items, locals: d.names });
    } else if (st.type === 'ExportNamedDeclaration' && !st.source) {
      const items: Item[] = [];
      const kept: AnyNode[] = [];
      for (const sp of st.specifiers as AnyNode[]) {
        const legacy = nameOf(sp.exported);
        const c = counterpart(legacy);
        if (!c) {
          kept.push(sp);
          mark(st, missingReason(legacy));
        } else items.push({ legacy, ssot: c.name, type: st.exportKind === 'type' || sp.exportKind === 'type' || c.kind === 'type' });
      }
      if (items.length > 0) partial.set(st, { items, kept });
    } else if (st.type === 'ExportDefaultDeclaration') {
      const target = s.renames.default ?? (ssot.names.has('default') ? 'default' : undefined);
      const decl = st.declaration as AnyNode;
      if (!target || (target !== 'default' && !ssot.names.has(target))) {
        mark(st, `no SSOT counterpart for the default export${target ? ` (${target})` : ''}`);
        continue;
      }
      const locals = /Declaration$/.test(decl.type) && decl.id ? [decl.id.name as string] : [];
      candidates.set(st, { items: [{ legacy: 'default', ssot: target, type: decl.type === 'TSInterfaceDeclaration' }], locals });
    } else if (st.type === 'TSExportAssignment' || (st.type === 'TSImportEqualsDeclaration' && st.isExport)) {
      mark(st, 'unsupported export form');
    }
  }

  // A declaration that code staying in the file still uses is kept (with a marker); repeat until stable.
  const refs = collectReferences(program);
  const rangeOf = (st: AnyNode): [number, number] => [st.start, st.end];
  const removedRanges = (): [number, number][] => [...candidates.keys()].map(rangeOf);
  const outside = (at: number, ranges: [number, number][]): boolean => !ranges.some(([a, b]) => a <= at && at < b);
  for (let changed = true; changed;) {
    changed = false;
    const ranges = removedRanges();
    for (const [st, { locals }] of candidates) {
      const used = locals.filter((n) => refs.some((r) => r.name === n && outside(r.at, ranges) && !(r.at >= st.start && r.at < st.end)));
      if (used.length > 0) {
        candidates.delete(st);
        mark(st, `${used.join(', ')} is still used in this module`);
        changed = true;
      }
    }
  }

  const edits: Edit[] = [];
  const hasFacade = comments.some((c) => c.type === 'CommentLine' && (c.value as string).trim().startsWith(FACADE_MARKER));
  const converted = [...body.filter((st) => candidates.has(st) || partial.has(st))];
  if (converted.length > 0) {
    // The re-exports, in export order, replace the first converted statement.
    const lines: string[] = [];
    for (const st of converted) {
      for (const it of (candidates.get(st) ?? partial.get(st))!.items) {
        const what = it.ssot === 'default' ? 'the default export' : `\`${it.ssot}\``;
        lines.push(`/** @deprecated Import ${what} from ${quote(spec)} instead (ssot-kit facade). */`);
        const clause = it.ssot === it.legacy ? it.ssot : `${it.ssot} as ${it.legacy}`;
        lines.push(`export ${it.type ? 'type ' : ''}{ ${clause} } from ${quote(spec)}${semi}`);
      }
    }
    const group = lines.join(eol) + eol;
    converted.forEach((st, i) => {
      const partialSt = partial.get(st);
      if (partialSt && partialSt.kept.length > 0) {
        const keptText = partialSt.kept.map((sp) => source.slice(sp.start, sp.end)).join(', ');
        // The marker goes on the kept specifiers, below the re-exports that replace the others.
        const indent = source.slice(lineStartOf(source, st.start), st.start);
        const reasons = markers.get(st.start) ?? [];
        markers.delete(st.start);
        const prev = source.slice(lineStartOf(source, Math.max(0, lineStartOf(source, st.start) - 1)), lineStartOf(source, st.start)).trim();
        const markerLine = reasons.length > 0 && !prev.startsWith(`// ${MARKER}`) ? `// ${MARKER} (${reasons.join('; ')})${eol}${indent}` : '';
        const kept = `export ${st.exportKind === 'type' ? 'type ' : ''}{ ${keptText} }${semi}`;
        edits.push({ start: st.start, end: st.end, text: `${i === 0 ? group.replace(/^/gm, indent).replace(new RegExp(`^${indent}`), '') : ''}${markerLine}${kept}` });
        return;
      }
      const e = removal(source, st, comments, i > 0);
      edits.push(i === 0 ? { ...e, text: group } : e);
    });

    // Imports the removed code used and nothing else does.
    const ranges = [...candidates.keys(), ...partial.keys()].map(rangeOf);
    for (const st of body) {
      if (st.type !== 'ImportDeclaration' || (st.specifiers as AnyNode[]).length === 0) continue;
      const specs = st.specifiers as AnyNode[];
      const dropped = specs.filter((sp) => {
        const uses = refs.filter((r) => r.name === sp.local.name);
        return uses.length > 0 && uses.every((r) => !outside(r.at, ranges));
      });
      if (dropped.length === 0) continue;
      if (dropped.length === specs.length) {
        edits.push(removal(source, st, [], false));
        continue;
      }
      const kept = specs.filter((sp) => !dropped.includes(sp));
      const head = kept.filter((sp) => sp.type !== 'ImportSpecifier').map((sp) => source.slice(sp.start, sp.end));
      const named = kept.filter((sp) => sp.type === 'ImportSpecifier').map((sp) => source.slice(sp.start, sp.end));
      const parts = [...head, ...(named.length > 0 ? [`{ ${named.join(', ')} }`] : [])].join(', ');
      const tail = source.slice(st.source.start, st.end);
      edits.push({ start: st.start, end: st.end, text: `import ${st.importKind === 'type' ? 'type ' : ''}${parts} from ${tail}` });
    }
  }

  for (const [at, reasons] of markers) {
    const lineStart = lineStartOf(source, at);
    const indent = /^[ \t]*/.exec(source.slice(lineStart, at))?.[0] ?? '';
    const line = `// ${MARKER} (${reasons.join('; ')})`;
    const prev = source.slice(lineStartOf(source, Math.max(0, lineStart - 1)), lineStart).trim();
    if (prev.startsWith(`// ${MARKER}`)) continue;
    edits.push({ start: lineStart, end: lineStart, text: `${indent}${line}${eol}` });
  }
  let header = '';
  if (converted.length > 0 && !hasFacade) {
    const rel = path.relative(s.root ?? process.cwd(), path.resolve(filePath)).split(path.sep).join('/');
    const code = s.code ?? `SSOT_DEPRECATED_${upperSnake(filePath)}`;
    const message = quote(`${rel} is deprecated: import from ${spec} instead`);
    header = [
      `// ${FACADE_MARKER} ${spec} (deprecated module)`,
      `(globalThis as { process?: { emitWarning?: (message: string, options: { type: string; code: string }) => void } }).process?.emitWarning?.(${message}, { type: ${quote('DeprecationWarning')}, code: ${quote(code)} })${semi}`,
    ].join(eol) + eol;
    const first = body[0];
    let at = first && candidates.has(first) ? removal(source, first, comments, false).start : headerOffset(source, program, comments);
    if (first && !candidates.has(first) && first.type !== 'ImportDeclaration') at = headerOffset(source, program, comments, true);
    const prevLine = source.slice(lineStartOf(source, Math.max(0, at - 1)), at);
    edits.push({ start: at, end: at, text: (at > 0 && !/^[ \t]*\r?\n$/.test(prevLine) ? eol : '') + header });
  }
  if (edits.length === 0) return undefined;
  const out = applyEdits(source, edits);
  if (!header) return out;
  // Exactly one blank line between the header and what follows it.
  const h = out.indexOf(header) + header.length;
  const rest = out.slice(h).replace(/^(?:[ \t]*\r?\n)+/, '');
  return out.slice(0, h) + (rest ? eol + rest : '');
}

/** Where the facade header goes: after the file's leading comments and directives. */
function headerOffset(source: string, program: AnyNode, comments: AnyNode[], withDoc = false): number {
  const directives = (program.directives ?? []) as AnyNode[];
  const last = directives[directives.length - 1];
  const first = (program.body as AnyNode[])[0];
  if (!first) return last ? nextLine(source, last.end) : 0;
  let at = first.start;
  if (!withDoc) return lineStartOf(source, at);
  // Comments directly above the first statement (no blank line between) belong to it.
  for (let i = comments.length - 1; i >= 0; i--) {
    const c = comments[i] as AnyNode;
    if (c.end > at || (last && c.start < last.end)) continue;
    if (!/^[ \t]*\r?\n?[ \t]*$/.test(source.slice(c.end, at)) || lineStartOf(source, c.start) !== c.start - /[ \t]*$/.exec(source.slice(0, c.start))![0].length) break;
    at = c.start;
  }
  return lineStartOf(source, at);
}

/** Removes a statement (with the comments directly above it) and its lines when it stands alone. */
function removal(source: string, st: AnyNode, comments: AnyNode[], eatBlankBefore: boolean): Edit {
  let start = st.start;
  for (let i = comments.length - 1; i >= 0; i--) {
    const c = comments[i] as AnyNode;
    if (c.end > start) continue;
    const gap = source.slice(c.end, start);
    if (!/^[ \t]*\r?\n?[ \t]*$/.test(gap) || !/^[ \t]*$/.test(source.slice(lineStartOf(source, c.start), c.start))) break;
    if ((c.value as string).includes(MARKER) || (c.value as string).includes(FACADE_MARKER)) break;
    start = c.start;
  }
  const lineStart = lineStartOf(source, start);
  if (!/^[ \t]*$/.test(source.slice(lineStart, start))) return { start, end: st.end, text: '' };
  const after = source.slice(st.end, nextLine(source, st.end));
  if (!/^[ \t]*\r?\n?$/.test(after)) return { start, end: st.end, text: '' };
  start = lineStart;
  const end = nextLine(source, st.end);
  if (eatBlankBefore) {
    const rest = source.slice(end, nextLine(source, end));
    if (/^[ \t]*\r?\n?$/.test(rest)) {
      while (start > 0) {
        const prevStart = lineStartOf(source, start - 1);
        if (!/^[ \t]*\r?\n$/.test(source.slice(prevStart, start)) || prevStart === 0) break;
        start = prevStart;
      }
    }
  }
  return { start, end, text: '' };
}
