import { describe, expect, it } from 'vitest';
import { sfcModule } from '../src/scan/sfc-blocks.js';

/** Where `needle` is in `text`, as [line, column], 1-based, UTF-16 columns. */
function at(text: string, needle: string): [number, number] {
  const before = text.slice(0, text.indexOf(needle)).split(/\r\n|\n/);
  return [before.length, before[before.length - 1]!.length + 1];
}

describe('sfcModule', () => {
  it('keeps every script character at its offset and blanks the rest, line breaks kept', () => {
    const vue = '<template>\r\n  <p title="a > b">é 😀 {{ x }}</p>\r\n</template>\r\n<script setup lang="ts">\r\nimport { x } from "./x";\r\n</script>\r\n<style>p{}</style>\r\n';
    const { name, text } = sfcModule('Comp.vue', vue);
    expect(name).toBe('Comp.vue.ts');
    expect(text).toHaveLength(vue.length);
    expect(at(text, '"./x"')).toEqual(at(vue, '"./x"'));
    expect(text.split('\r\n')).toHaveLength(vue.split('\r\n').length);
    expect(text.replace(/\s+/g, ' ').trim()).toBe('import { x } from "./x"; ;');
  });

  it('ends each block with a semicolon, so two blocks never join into one statement', () => {
    const { text } = sfcModule('Comp.vue', '<script>export default { name: "a" }</script><script setup>(() => 1)()</script>');
    expect(text.replace(/ +/g, ' ')).toBe(' export default { name: "a" }; (() => 1)(); ');
  });

  it('skips scripts in HTML comments, self-closing and src-only tags, and blocks that are not code', () => {
    const svelte = '<!-- <script>import "./a";</script> -->\n<script src="./b.js" />\n<script type="application/ld+json">{"a":1}</script>\n<script context="module">import "./c";</script>\n';
    const { name, text } = sfcModule('Page.svelte', svelte);
    expect(name).toBe('Page.svelte.js');
    expect(text.replace(/\s+/g, ' ').trim()).toBe('import "./c";;');
  });

  it('reads Astro frontmatter as TypeScript, and the scripts after it', () => {
    const astro = '---\nimport Layout from "./Layout.astro";\nconst t: string = "x";\n---\n<Layout>{t}</Layout>\n<script>import "./client";</script>\n';
    const { name, text } = sfcModule('index.astro', astro);
    expect(name).toBe('index.astro.ts');
    expect(at(text, '"./Layout.astro"')).toEqual([2, 20]);
    expect(at(text, '"./client"')).toEqual(at(astro, '"./client"'));
    expect(text).not.toContain('<Layout>');
  });

  it('reads an unclosed block to the end of the file', () => {
    expect(sfcModule('Broken.vue', '<script>import "./a";').text).toBe('        import "./a";');
  });
});
