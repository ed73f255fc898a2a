import { NodePath, namedTypes, visit } from 'ast-types';

/**
 * The part of jscodeshift's API the transforms use, `j(ast).find(j.Type).forEach(…)`, `root.get()` and the
 * paths' `scope.lookup`, built on ast-types as jscodeshift builds it (its `core.js` and
 * `collections/Node.js`: the same NodePath and scope code, the root path left out of `find`). The
 * transforms parse with `@babel/parser` and edit text at offsets, so jscodeshift's parsers, recast printing
 * and its runner (90 packages of the 156 an install took, issue 19) are not needed for `ssot fix`.
 * `npx jscodeshift -t transforms/<id>.ts` still works: the transforms only see `api.jscodeshift`.
 */
export interface PathCollection {
  find(type: { toString(): string }): PathCollection;
  forEach(callback: (path: NodePath, index: number, paths: NodePath[]) => void): PathCollection;
  paths(): NodePath[];
  get(...names: (string | number)[]): NodePath;
  readonly length: number;
}

function collection(paths: NodePath[]): PathCollection {
  const self: PathCollection = {
    length: paths.length,
    paths: () => paths,
    forEach(callback) {
      paths.forEach((p, i) => callback(p, i, paths));
      return self;
    },
    get(...names) {
      const first = paths[0];
      if (!first) throw new Error('get() on an empty collection');
      return first.get(...names);
    },
    find(type) {
      const found: NodePath[] = [];
      const method = `visit${String(type)}`;
      for (const start of paths) {
        // ast-types visits from a path as from a node (jscodeshift does the same); its types only name nodes.
        visit(start as unknown as Parameters<typeof visit>[0], {
          [method](this: { traverse(p: NodePath): void }, p: NodePath) {
            if (p !== start) found.push(p);
            this.traverse(p);
          },
        });
      }
      return collection(found);
    },
  };
  return self;
}

/** `j`: a collection from an AST node (or a path), with the node types as properties (`j.Node`, `j.VariableDeclarator`). */
export type AstCollections = ((ast: unknown) => PathCollection) & typeof namedTypes;

export function astCollections(): AstCollections {
  const j = (ast: unknown): PathCollection => collection([ast instanceof NodePath ? ast : new NodePath(ast)]);
  return Object.assign(j, namedTypes);
}
