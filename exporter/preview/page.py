"""Writes the preview page: the web edition in a frame, the print pages as pictures, the findings, and the error.

One page, plain HTML and CSS: side by side on a wide screen, one under another on a narrow one. Its
parts carry ``data-part``; its small script listens to the event stream (``/events``) and, on each
new version, fetches the page again and swaps those parts, and points the frame at the new web
edition on the same article, scrolled as it was. A server started again (another session) reloads
the page whole.
"""

from __future__ import annotations

from html import escape
from pathlib import PurePath

from exporter.preview.state import Finding, Shown

STYLE = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #52525b; --line: #d4d4d8; --paper: #fafaf9;
  --error: #9f1239; --error-bg: #fff1f2; --warning: #854d0e; --info: #1e40af; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", sans-serif;
  color: var(--ink); background: var(--paper); }
header.top { display: flex; flex-wrap: wrap; align-items: baseline; gap: .25rem 1.5rem;
  padding: .6rem 1.25rem; border-bottom: 1px solid var(--line); background: #fff; }
header.top h1 { font-size: 1.1rem; margin: 0; }
header.top p { margin: 0; color: var(--muted); }
.banner { margin: 0; padding: .7rem 1.25rem; background: var(--error-bg); color: var(--error);
  border-bottom: 2px solid var(--error); font-family: ui-monospace, "DejaVu Sans Mono", monospace;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.banner:empty { display: none; }
main { display: grid; gap: 1rem; padding: 1rem 1.25rem; grid-template-columns: minmax(0, 1fr);
  grid-template-areas: "web" "print" "findings"; }
@media (min-width: 70rem) {
  main { grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); grid-template-areas: "web print" "findings print"; }
}
section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; min-width: 0; }
section h2 { font-size: 1rem; margin: 0 0 .5rem; }
section h3 { font-size: .95rem; margin: 1rem 0 .4rem; }
#web { grid-area: web; }
#print { grid-area: print; }
#findings { grid-area: findings; }
#web iframe { display: block; width: 100%; height: 75vh; border: 1px solid var(--line); background: #fff; }
.pages { list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem; }
.pages figure { margin: 0; }
.pages img { display: block; width: 100%; height: auto; border: 1px solid var(--line); background: #fff;
  box-shadow: 0 1px 3px rgb(0 0 0 / 12%); }
.pages figcaption { text-align: center; color: var(--muted); font-size: .9rem; margin-top: .25rem; }
#print .pages { max-height: 85vh; overflow-y: auto; padding-right: .25rem; }
ul.findings { list-style: none; margin: 0; padding: 0; font: 13px/1.45 ui-monospace, "DejaVu Sans Mono", monospace; }
ul.findings li { padding: .2rem .4rem; border-left: 3px solid var(--line); margin-bottom: .2rem;
  overflow-wrap: anywhere; }
ul.findings li.error { border-left-color: var(--error); color: var(--error); }
ul.findings li.warning { border-left-color: var(--warning); color: var(--warning); }
ul.findings li.info { border-left-color: var(--info); color: var(--info); }
.note { color: var(--muted); margin: .25rem 0; }
a { color: #1d4ed8; }
"""

SCRIPT = """
(() => {
  const body = document.body;
  let shown = {session: body.dataset.session, version: Number(body.dataset.version), html: body.dataset.html};
  const frame = document.getElementById("edition");
  let busy = false, again = false;

  // The frame shows the new build's web edition on the article it showed, scrolled as it was.
  function follow(url) {
    if (!url) return;
    let page = "index.html", x = 0, y = 0;
    try {
      const where = frame.contentWindow.location;
      const found = where.pathname.match(/^\\/html\\/\\d+\\/(.+)$/);
      if (found) page = found[1] + where.hash;
      x = frame.contentWindow.scrollX; y = frame.contentWindow.scrollY;
    } catch (e) { /* not loaded yet */ }
    frame.addEventListener("load", () => { try { frame.contentWindow.scrollTo(x, y); } catch (e) {} }, {once: true});
    frame.contentWindow.location.replace(url.replace(/index\\.html$/, "") + page);
  }

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      do {
        again = false;
        const response = await fetch("/", {cache: "no-store"});
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        const next = fresh.body.dataset;
        if (next.session !== shown.session) { location.reload(); return; }
        for (const part of document.querySelectorAll("[data-part]")) {
          const other = fresh.querySelector(`[data-part="${part.dataset.part}"]`);
          if (other && other.innerHTML !== part.innerHTML) part.innerHTML = other.innerHTML;
        }
        if (next.html && next.html !== shown.html) follow(next.html);
        shown = {session: next.session, version: Number(next.version), html: next.html};
        body.dataset.version = next.version;
        body.dataset.html = next.html || "";
      } while (again);
    } catch (e) {
      /* the server is away: the event stream comes back when it does */
    } finally {
      busy = false;
    }
  }

  function listen() {
    const events = new EventSource("/events");
    events.addEventListener("build", (event) => {
      const state = JSON.parse(event.data);
      if (state.session !== shown.session) { location.reload(); return; }
      if (state.version !== shown.version) refresh();
    });
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) setTimeout(listen, 1000);
    };
  }
  listen();
})();
"""


def render_page(shown: Shown) -> str:
    """The preview page of what is shown now."""
    name = PurePath(shown.source).name
    theme = f" · theme {escape(shown.theme)}" if shown.theme else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview: {escape(name)}</title>
<style>{STYLE}</style>
</head>
<body data-session="{escape(shown.session)}" data-version="{shown.version}" data-html="{escape(shown.html or "")}">
<header class="top">
<h1>Preview: {escape(name)}</h1>
<p data-part="status" role="status">{_status(shown)}{theme}</p>
</header>
<div class="banner" role="alert" data-part="banner">{escape(shown.banner or "")}</div>
<main>
<section id="web" aria-labelledby="web-title">
<h2 id="web-title">Web edition</h2>
<iframe id="edition" name="edition" title="Web edition of {escape(name)}" src="{escape(shown.html or "about:blank")}">
</iframe>
</section>
<section id="print" aria-labelledby="print-title" data-part="print">
{_print(shown)}
</section>
<section id="findings" aria-labelledby="check-title" data-part="findings">
{_findings(shown)}
</section>
</main>
<script>{SCRIPT}</script>
</body>
</html>
"""


def _status(shown: Shown) -> str:
    web = f"web edition built {shown.html_at}" if shown.html_at else "web edition not built yet"
    if shown.printing:
        printed = "print edition building…"
    elif shown.print_at:
        printed = f"print edition built {shown.print_at}"
    else:
        printed = "print edition not built yet"
    return escape(f"{web}; {printed}")


def _print(shown: Shown) -> str:
    count = len(shown.pages)
    title = f"Print edition ({count} page{'s' * (count != 1)})" if count else "Print edition"
    parts = [f'<h2 id="print-title">{title}</h2>']
    if shown.pdf:
        parts.append(f'<p class="note"><a href="{escape(shown.pdf)}">The PDF</a></p>')
    if not shown.pages:
        waiting = "Being built…" if shown.printing else "Not built: see the error above."
        parts.append(f'<p class="note">{waiting}</p>')
        return "\n".join(parts)
    language = escape(shown.language)
    parts.append(f'<ol class="pages" lang="{language}" tabindex="0" aria-label="{count} pages">')
    for page in shown.pages:
        label = f"第{page.number}页"
        parts.append(
            f'<li><figure><img src="{escape(page.url)}" alt="{label}" width="{page.width}" height="{page.height}">'
            f"<figcaption>{label}</figcaption></figure></li>"
        )
    parts.append("</ol>")
    return "\n".join(parts)


def _findings(shown: Shown) -> str:
    parts = ['<h2 id="check-title">Check</h2>', _list(shown.findings, "No findings: the issue is clean.")]
    parts.append("<h3>Composition audit of the PDF</h3>")
    if shown.audit is None:
        parts.append('<p class="note">After the print edition is built.</p>')
    else:
        parts.append(_list(shown.audit, "No findings."))
    return "\n".join(parts)


def _list(findings: tuple[Finding, ...], empty: str) -> str:
    if not findings:
        return f'<p class="note">{escape(empty)}</p>'
    items = "\n".join(f'<li class="{escape(f.severity)}">{escape(f.text)}</li>' for f in findings)
    return f'<ul class="findings">\n{items}\n</ul>'
