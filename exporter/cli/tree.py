"""Draws the issue model as a rich tree for ``exporter inspect``."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.markup import escape
from rich.tree import Tree

from exporter.model import Article, CodeBlock, EditorsNote, Figure, Issue, ItemList, Paragraph, Quote, Subhead, Table
from exporter.theming import load

_WIDTH = 40  # terminal cells: a CJK character takes two


def _short(text: str, width: int = _WIDTH) -> str:
    text = text.replace("\n", " ")
    return escape(text if cell_len(text) <= width else set_cell_size(text, width - 1).rstrip() + "…")


def _article(node: Tree, article: Article) -> None:
    title = escape(" / ".join(article.headline_lines) or "(untitled)")
    head = f"[bold]{title}[/]  [dim]{article.id} · line {article.line}[/]"
    if article.truncated:
        head += "  [yellow](truncated)[/]"
    branch = node.add(head)
    if article.kicker:
        branch.add(f"kicker: {escape(article.kicker)}")
    if article.subtitle:
        branch.add(f"subtitle: ——{escape(article.subtitle)}")
    for byline in article.bylines:
        names = "; ".join(f"{c.role} {'、'.join(c.names)}".strip() for c in byline.credits)
        outlet = f"{escape(byline.outlet)}: " if byline.outlet else ""
        filed = f" ({escape(byline.place or '')}{escape(byline.report)})" if byline.report else ""
        branch.add(f"byline: {outlet}{escape(names)}{filed}")
    if article.dateline:
        branch.add(f"dateline: [bold]{escape(article.dateline.raw)}[/]")
    for block in article.blocks:
        if isinstance(block, Paragraph):
            joined = f"  [yellow](joined {', '.join(map(str, block.joined))})[/]" if block.joined else ""
            branch.add(f"[dim]{block.line}[/] ¶ {_short(block.text)}{joined}")
        elif isinstance(block, Subhead):
            branch.add(f"[dim]{block.line}[/] [bold]{'###' if block.level == 3 else '####'} {escape(block.text)}[/]")
        elif isinstance(block, Quote):
            branch.add(f"[dim]{block.line}[/] quote: {_short(block.text)}")
        elif isinstance(block, Figure):
            credit = f" ({escape(block.credit)})" if block.credit else ""
            branch.add(f"[dim]{block.line}[/] figure {escape(block.src)}: {_short(block.text)}{credit}")
        elif isinstance(block, EditorsNote):
            branch.add(f"[dim]{block.line}[/] {escape(block.label)} {_short(block.text)}")
        elif isinstance(block, ItemList):
            node = branch.add(
                f"[dim]{block.line}[/] {'numbered ' if block.ordered else ''}list: {len(block.items)} items"
            )
            for item in block.items:
                node.add(f"[dim]{item.line}[/] {escape(item.marker)} {_short(item.text)}")
        elif isinstance(block, Table):
            size = f"{len(block.rows) + 1} rows × {len(block.head)} columns"
            branch.add(f"[dim]{block.line}[/] table ({size}): {_short(block.text)}")
        elif isinstance(block, CodeBlock):
            info = f" {escape(block.info)}" if block.info else ""
            lines = block.text.count("\n") + 1
            branch.add(f"[dim]{block.line}[/] code{info} ({lines} lines): {_short(block.text)}")


def tree(issue: Issue) -> Tree:
    """The issue as a tree: masthead, sections, articles, blocks, diagnostics."""
    m = issue.masthead
    date = m.date.isoformat() if m.date else "no date"
    parts = [escape(m.title or "(no title)"), date]
    if m.weekday:
        parts.append(m.weekday)
    theme = load()  # the words the editions print, in the issue's script
    if m.lunar_date:
        parts.append(escape(theme.label(m.language, "lunar").format(date=m.lunar_date)))
    if m.number:
        parts.append(escape(theme.label(m.language, "issue_number").format(number=m.number)))
    inferred = f"  [yellow](inferred: {', '.join(m.inferred)})[/]" if m.inferred else ""
    root = Tree(f"[bold]{' · '.join(parts)}[/]  [dim]{m.language}[/]{inferred}")
    for section in issue.sections:
        page = section.page and theme.label(m.language, "page").format(page=section.page)
        label = " · ".join(escape(x) for x in (page, section.title) if x)
        count = len(section.articles)
        node = root.add(f"[bold cyan]{label or 'section'}[/]  [dim]{count} article{'s' * (count != 1)}[/]")
        for article in section.articles:
            _article(node, article)
    if issue.diagnostics:
        diag = root.add(f"[bold]diagnostics[/] [dim]{len(issue.diagnostics)}[/]")
        for d in issue.diagnostics:
            colour = {"error": "red", "warning": "yellow", "info": "blue"}[d.severity]
            diag.add(f"[{colour}]{escape(f'{d.line}: {d.severity}[{d.code}]')}[/] {escape(d.message)}")
    return root
