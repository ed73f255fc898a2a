/** The html report's stylesheet, inlined into the page. */
export const HTML_STYLE = `
:root { --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --bg: #f6f8fa; --err: #cf222e; --warn: #9a6700; --info: #0969da; --ok: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px; font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.muted { color: var(--muted); }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 110px; background: var(--bg); }
.card b { display: block; font-size: 22px; }
.card.error b { color: var(--err); } .card.warning b { color: var(--warn); } .card.info b { color: var(--info); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); } td.num { text-align: right; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 11px; font-weight: 600; color: #fff; background: var(--muted); }
.badge.ssot { background: var(--ok); } .badge.error { background: var(--err); } .badge.warning { background: var(--warn); } .badge.info { background: var(--info); }
.cycle { border-left: 4px solid var(--err); background: #fff0f0; padding: 6px 10px; margin: 6px 0; }
details > summary { cursor: pointer; } details.group > summary h3 { display: inline; }
details.group { margin: 4px 0; } details.group[open] { margin-bottom: 12px; }
.scroll { max-height: 640px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.scroll table { margin: 0; } .scroll.list { max-height: 480px; padding: 4px 10px; } .scroll thead th { position: sticky; top: 0; }
.note { background: #fff8e5; border: 1px solid #eac54f; border-radius: 6px; padding: 6px 10px; font-size: 13px; }
.cycle.type-only { border-left-color: var(--warn); background: #fff8e5; }
#graph { width: 100%; height: 720px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; margin: 6px 0; font-size: 12px; }
.legend span::before { content: ""; display: inline-block; width: 12px; height: 12px; margin-right: 4px; vertical-align: -2px; border-radius: 2px; background: var(--c); }
.filters { display: flex; gap: 10px; margin: 8px 0; flex-wrap: wrap; }
.filters input, .filters select { font: inherit; padding: 3px 6px; }
`;
