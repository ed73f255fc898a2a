import { createRequire } from 'node:module';

/**
 * cytoscape's minified bundle as text, from the CommonJS wrapper scripts/build-assets.mjs writes next
 * to the built reporter. Running from source (vitest), the built copy in dist/ is used.
 */
export function cytoscapeSource(): string {
  const require = createRequire(import.meta.url);
  for (const candidate of ['./cytoscape-source.cjs', '../../dist/report/cytoscape-source.cjs']) {
    try {
      return require(candidate) as string;
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new Error('the html report needs the cytoscape bundle that `npm run build` generates (scripts/build-assets.mjs); run the build first');
}

/** Text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * JSON that can sit inside a `<script>` element: `<`, `>` and `&` become `\u003c`…, so neither
 * `</script>` nor `<!--` can end or change the script's parsing state, and U+2028/U+2029 are escaped
 * for engines that treat them as line breaks in string literals.
 * https://html.spec.whatwg.org/multipage/scripting.html#restrictions-for-contents-of-script-elements
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** JavaScript source made safe for inlining into `<script>` (same spec section as above). */
export function scriptSafe(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
