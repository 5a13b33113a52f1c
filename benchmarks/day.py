"""Writes the issues the speed benchmark builds: a 16-版 day and the project's example 50 times over, from examples/.

    .venv/bin/python benchmarks/day.py FOLDER

The issues are made only of the project's own example issues (``examples/*.md`` in simplified
Chinese), never of anything outside the checkout, and are the same on every run:

- the 16-版 day (``day16.md``): a real daily's size, about 110 articles and 120,000 characters in
  16 版 labelled A01…A16 with their sections' titles. The examples' long stories (a thousand Han
  characters and more) come back as each 版's leads, every other article once or twice; each copy
  after the first has (2), (3)… after its headline, so that ids stay unique.
- the 50× issue (``binhai-x50.md``): ``examples/binhai-daily.md``, the project's example issue,
  with its articles 50 times over, as ``scaled()`` in benchmarks/run.py makes the scaled issues.

The examples' ``images/`` folder is copied beside the issues, so that their figures are drawn.
Each issue is checked to parse without errors.
"""

from __future__ import annotations

import math
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(HERE))

from run import articles, scaled, split_front, tagged, write_issue  # noqa: E402

#: The examples in simplified Chinese that the day is made of (hk and taipei are in traditional
#: characters; exported-page.md is a cut-up page, with warnings by design).
DAY_SOURCES = ("dongling-daily.md", "binhai-daily.md", "numbers-daily.md", "tables-daily.md", "composition-daily.md")
#: The 50× issue's source: the project's example issue.
FIFTY_SOURCE = "binhai-daily.md"
COPIES = 50

#: A 16-版 daily's 版 and their sections.
SECTIONS = (
    ("A01", "要闻"),
    ("A02", "要闻"),
    ("A03", "综合"),
    ("A04", "经济"),
    ("A05", "财经"),
    ("A06", "城市"),
    ("A07", "区县"),
    ("A08", "民生"),
    ("A09", "教育"),
    ("A10", "健康"),
    ("A11", "文化"),
    ("A12", "旅游"),
    ("A13", "体育"),
    ("A14", "国内"),
    ("A15", "国际"),
    ("A16", "副刊"),
)
FRONT = """\
---
title: 东岭日报
date: 2026-06-17
number: 15236
edition: 今日16版
publisher: 东岭日报社
language: zh-CN
identifier: CN 12-3456
editor: 宋 岚
slogan: 一份十六个版的示例报纸，由项目的示例文章拼成
---
"""
TARGET_ARTICLES = 110
TARGET_CHARS = 120_000
LONG = 1_000  # Han characters: a story long enough to lead a 版
_HAN = re.compile(r"[\u3400-\u9fff]")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")


def han(lines: list[str]) -> int:
    """The Han characters of an article."""
    return len(_HAN.findall("\n".join(lines)))


def pool() -> list[list[str]]:
    """The examples' articles, in order, without their page and section comments or text before a headline."""
    found = []
    for name in DAY_SOURCES:
        _, body = split_front((EXAMPLES / name).read_text(encoding="utf-8"))
        for chunk in articles(body):
            lines = [line for line in chunk if not _COMMENT.match(line)]
            while lines and not lines[-1].strip():
                lines.pop()
            if lines and lines[0].startswith("#") and han(lines) >= 40:
                found.append(lines)
    return found


def day_articles() -> list[list[str]]:
    """About 110 articles, about 120,000 characters, in 版 order: long stories spread among shorter ones; each
    copy after an article's first tagged (2), (3)…"""
    chunks = pool()
    long = [c for c in chunks if han(c) >= LONG]
    short = [c for c in chunks if han(c) < LONG]

    def mean(group: list[list[str]]) -> float:
        return sum(len("\n".join(c)) for c in group) / len(group)

    # As many long stories as make the characters come to the target.
    share = (TARGET_CHARS / TARGET_ARTICLES - mean(short)) / (mean(long) - mean(short))
    share = min(max(share, 0.0), 1.0)
    copies: dict[int, int] = {}

    def take(chunk: list[str]) -> list[str]:
        k = copies[id(chunk)] = copies.get(id(chunk), 0) + 1
        return chunk if k == 1 else tagged(chunk, f"（{k}）")

    order: list[list[str]] = []
    i = j = 0
    for n in range(TARGET_ARTICLES):
        if i < math.ceil((n + 1) * share):  # long stories evenly among the rest, one first
            order.append(take(long[i % len(long)]))
            i += 1
        else:
            order.append(take(short[j % len(short)]))
            j += 1
    return order


def day_text() -> str:
    """The 16-版 day: the articles cut into 16 版 of about equal length, each opening with a long story."""
    order = day_articles()
    total = sum(len("\n".join(c)) for c in order)
    parts = [FRONT]
    done, section = 0, 0
    for index, chunk in enumerate(order):
        opens_lead = han(chunk) >= LONG
        due = done >= total * section / len(SECTIONS)
        if section < len(SECTIONS) and (index == 0 or (opens_lead and due)):
            page, title = SECTIONS[section]
            parts.append(f"<!-- page: {page}, section: {title} -->")
            section += 1
        parts.append("\n".join(chunk))
        done += len("\n".join(chunk))
    return "\n\n".join(parts) + "\n"


def copy_images(folder: Path) -> None:
    """The examples' figures beside the issues."""
    shutil.copytree(EXAMPLES / "images", folder / "images", dirs_exist_ok=True)


def write_day(folder: Path) -> Path:
    """Write the 16-版 day (and the figures) into ``folder``; checked to parse without errors."""
    folder.mkdir(parents=True, exist_ok=True)
    copy_images(folder)
    return write_issue(folder / "day16.md", day_text())


def write_fifty(folder: Path) -> Path:
    """Write the project's example issue 50 times over (and the figures) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    copy_images(folder)
    text = (EXAMPLES / FIFTY_SOURCE).read_text(encoding="utf-8")
    return write_issue(folder / f"{Path(FIFTY_SOURCE).stem.split('-')[0]}-x{COPIES}.md", scaled(text, COPIES))


def describe(path: Path) -> str:
    """Characters, Han characters, articles and 版 of an issue, as the parser reads it."""
    from exporter.parser import parse_file

    text = path.read_text(encoding="utf-8")
    issue = parse_file(path)
    pages = [s.page for s in issue.sections if s.page]
    return (
        f"{path.name}: {len(text):,} characters ({len(_HAN.findall(text)):,} Han), {len(issue.articles)} articles, "
        f"{len(pages)} 版 ({', '.join(dict.fromkeys(pages))})"
    )


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    folder = Path(sys.argv[1])
    for path in (write_day(folder), write_fifty(folder)):
        print(describe(path))


if __name__ == "__main__":
    main()
