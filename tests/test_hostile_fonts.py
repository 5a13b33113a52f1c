"""Characters no font of the theme has, and emoji: `check` names every one with its line, `build` agrees.

Needs Debian's fonts-noto-cjk and fontconfig: the Noto CJK fonts have the Extension B characters
𠀋 (U+2000B) and 𡈽 (U+2123D) but not 𪚥 (U+2A6A5), and no emoji.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from exporter import fonts
from tests.test_cli import LINE, run
from tests.test_hostile import built, fails

HEAD = "---\ntitle: 滨海日报\ndate: 2025-12-29\n---\n\n"
LACKED = "\U0002a6a5"  # 𪚥: in no Noto CJK font
RARE = "\U0002a6d6"  # 𪛖: nor is this one
HAVE = "\U0002000b\U0002123d"  # 𠀋𡈽: Extension B characters Noto CJK has
CODE = re.compile(r"\(U\+([0-9A-F]{4,6})\)")


@pytest.fixture(scope="module", autouse=True)
def noto_cjk() -> None:
    for family in ("Noto Serif CJK SC", "Noto Sans CJK SC"):
        faces = fonts.find_faces(family, [])
        assert faces and faces[0].source == "system", "apt-get install fonts-noto-cjk fontconfig"
        assert all(ord(ch) in fonts._cmap(faces[0].path, faces[0].index) for ch in HAVE)
        assert ord(LACKED) not in fonts._cmap(faces[0].path, faces[0].index)
        assert ord(RARE) not in fonts._cmap(faces[0].path, faces[0].index)


def write(folder: Path, body: str, name: str = "issue.md", head: str = HEAD) -> Path:
    path = folder / name
    path.write_text(head + body, encoding="utf-8")
    return path


def findings(output: str, path: Path) -> list[tuple[int, str, str]]:
    """(line, character, message) of each font-missing finding that check printed, one per character."""
    found = []
    for text in output.splitlines():
        match = LINE.match(text)
        if match and match["code"] == "font-missing":
            assert match["path"] == str(path) and match["severity"] == "error", text
            message = text.split("]: ", 1)[1]
            chars = [chr(int(code, 16)) for code in CODE.findall(message)]
            assert chars, text
            found += [(int(match["line"]), ch, message) for ch in chars]
    return found


# Lines:            6         8                 10                             12
BODY = (
    "## 今日要闻👍\n\n本报讯 大家都来了😀。\n\n这是第二段𠀋，还有𡈽和"
    + LACKED
    + "。\n\n又见👍和🎉，𠀋字无妨，"
    + LACKED
    + RARE
    + "不然。\n"
)


def test_check_names_every_character_no_font_has_each_with_its_line(tmp_path: Path) -> None:
    issue = write(tmp_path, BODY)
    result = run("check", issue)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    pairs = [(line, ch) for line, ch, _ in findings(result.stdout, issue)]
    # Every character, on every line it is on: 👍 and 𪚥 twice, two emoji and two others on line 12,
    # nothing of 𠀋𡈽; one finding per line and kind.
    expected = [(6, "👍"), (8, "😀"), (10, LACKED), (12, "👍"), (12, "🎉"), (12, LACKED), (12, RARE)]
    assert sorted(pairs) == sorted(expected)
    assert "5 errors" in result.stderr


def test_the_fix_is_one_the_user_can_follow(tmp_path: Path) -> None:
    issue = write(tmp_path, BODY)
    result = run("check", issue)
    messages = {ch: message for _, ch, message in findings(result.stdout, issue)}
    for emoji in "👍😀🎉":
        assert "emoji" in messages[emoji] and re.search("replace (it|them) with words", messages[emoji]), messages[
            emoji
        ]
        assert "fonts-noto-cjk" not in messages[emoji]
    # Noto CJK is installed: telling the user to install it again would be wrong.
    lacked = messages[RARE]
    assert "U+2A6A5" in lacked and "U+2A6D6" in lacked and "fonts-noto-cjk" not in lacked and "apt-get" not in lacked, (
        lacked
    )
    assert "fonts/" in lacked and "[fonts]" in lacked and "docs/themes.md" in lacked, lacked


def test_build_refuses_what_check_refused_naming_the_same_characters_and_lines(tmp_path: Path) -> None:
    issue = write(tmp_path, BODY)
    checked = findings(run("check", issue).stdout, issue)
    assert len(checked) == 7, checked
    message = fails(issue, tmp_path / "out", line=6, needle="👍")
    for line, ch, text in checked:
        assert f"line {line}: {text}" in message, (line, ch, message)
    assert len(re.findall(r"line \d+: ", message)) == len({(line, text) for line, _, text in checked})


def test_build_builds_what_check_passed(tmp_path: Path) -> None:
    issue = write(tmp_path, f"## 今日要闻{HAVE[0]}\n\n本报讯 这是第二段{HAVE}，都在字体里。\n")
    result = run("check", issue)
    assert result.returncode == 0, result.stdout + result.stderr
    assert findings(result.stdout, issue) == []
    built(issue, tmp_path / "out")
    assert (tmp_path / "out" / "issue.pdf").stat().st_size > 0


def theme_without_traditional_fonts(folder: Path) -> Path:
    """A theme whose body role is the shipped GB 2312 serif alone: 臺 is in none of its faces."""
    theme = folder / "gb"
    theme.mkdir()
    (theme / "theme.toml").write_text(
        'name = "gb"\ndescription = "GB 2312 only."\ninherit = "classic"\n\n[fonts]\nbody = ["Exporter Serif SC"]\n',
        encoding="utf-8",
    )
    return theme


def test_check_takes_the_theme_from_the_option_the_front_matter_or_the_project(tmp_path: Path) -> None:
    theme = theme_without_traditional_fonts(tmp_path)
    body = "## 标题\n\n本报讯 臺字在繁体字体里。\n"
    plain = write(tmp_path, body)
    named = write(tmp_path, body, "named.md", HEAD.replace("---\n\n", f"theme: {theme}\n---\n\n"))

    def missing(*args: str | Path, cwd: Path | None = None) -> list[tuple[int, str]]:
        result = run("check", *args, cwd=cwd)
        assert "Traceback" not in result.stderr
        target = Path(args[0])
        return [(line, ch) for line, ch, _ in findings(result.stdout, target)]

    assert missing(plain) == []  # classic: Noto Serif CJK TC has 臺
    assert missing(plain, "--theme", str(theme)) == [(8, "臺")]
    assert missing(named) == [(9, "臺")]
    assert missing(named, "--theme", "classic") == []
    project = tmp_path / "paper"
    project.mkdir()
    (project / "exporter.toml").write_text(f'theme = "{theme}"\n', encoding="utf-8")
    assert missing(plain, cwd=project) == [(8, "臺")]
    # build agrees under each theme
    fails(plain, tmp_path / "out", line=8, needle="臺", extra=("--theme", str(theme)))


def test_check_with_a_theme_that_does_not_exist_fails_in_one_line(tmp_path: Path) -> None:
    issue = write(tmp_path, "## 标题\n\n本报讯 正文。\n")
    result = run("check", issue, "--theme", "nosuch")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "nosuch" in result.stdout + result.stderr


def one_weight_font(folder: Path, family: str, chars: str) -> None:
    """A Regular-only font named ``family``, with ``chars``: Noto Serif CJK TC cut down and renamed."""
    import io

    from fontTools.ttLib import TTFont

    source = fonts.find_faces("Noto Serif CJK TC", [])
    face = next(f for f in source if f.weight == 400)
    tt = TTFont(io.BytesIO(fonts.subset_font_data(face.path, face.index, [ord(c) for c in chars + " "])))
    postscript = family.replace(" ", "") + "-Regular"
    for record in tt["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family if record.nameID != 4 else family + " Regular"
        elif record.nameID in (3, 6):
            record.string = postscript
    tt["CFF "].cff.fontNames = [postscript]
    folder.mkdir(parents=True, exist_ok=True)
    tt.save(folder / f"{postscript}.otf")


def test_a_fallback_font_of_one_weight_serves_bold_text_too(tmp_path: Path) -> None:
    # The shipped GB 2312 fonts lack 臺; the theme's only other font has it in Regular alone. check
    # passes the issue, so build must set the bold headline's 臺 in that font, not refuse it.
    theme = tmp_path / "tw"
    one_weight_font(theme / "fonts", "Exporter Test TC", "臺")
    (theme / "theme.toml").write_text(
        'name = "tw"\ndescription = "One-weight fallback."\ninherit = "classic"\n\n[fonts]\n'
        'body = ["Exporter Serif SC", "Exporter Test TC"]\n'
        'headline = ["Exporter Sans SC", "Exporter Test TC"]\n'
        'sans = ["Exporter Sans SC", "Exporter Test TC"]\n',
        encoding="utf-8",
    )
    issue = write(tmp_path, "## 台风今晨登陆\n\n本报讯 **臺**风来了。\n")  # 臺 in bold alone
    result = run("check", issue, "--theme", theme)
    assert result.returncode == 0 and findings(result.stdout, issue) == [], result.stdout + result.stderr
    result = run("build", issue, "--format", "epub,pdf,html", "--theme", theme, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr


def test_an_emoji_is_refused_even_when_a_font_of_the_theme_has_it(tmp_path: Path) -> None:
    # DejaVu Sans has ⚡ (U+26A1, shown as an emoji by default); a system's colour emoji font would
    # still take it in the PDF, so check and build refuse it as an emoji, with no font advice.
    assert "DejaVu Sans" in fonts.system_families_with("⚡"), "apt-get install fonts-dejavu-core"
    theme = tmp_path / "dv"
    theme.mkdir()
    roles = "\n".join(
        f'{role} = ["Exporter {kind} SC", "Noto {kind} CJK SC", "DejaVu Sans"]'
        for role, kind in (("body", "Serif"), ("headline", "Sans"), ("sans", "Sans"))
    )
    (theme / "theme.toml").write_text(
        f'name = "dv"\ndescription = "DejaVu."\ninherit = "classic"\n\n[fonts]\n{roles}\n', encoding="utf-8"
    )
    issue = write(tmp_path, "## 标题\n\n本报讯 今天有雷雨⚡，出门带伞。\n")
    for args in ((), ("--theme", str(theme))):
        result = run("check", issue, *args)
        assert result.returncode == 1, result.stdout + result.stderr
        found = findings(result.stdout, issue)
        assert [(line, ch) for line, ch, _ in found] == [(8, "⚡")], found
        assert "is an emoji" in found[0][2] and "DejaVu" not in found[0][2], found
    fails(issue, tmp_path / "out", line=8, needle="⚡ (U+26A1) is an emoji", extra=("--theme", str(theme)))


def test_check_and_build_point_at_the_front_matter_for_a_theme_that_does_not_exist(tmp_path: Path) -> None:
    issue = write(tmp_path, "## 标题\n\n本报讯 正文。\n", head=HEAD.replace("---\n\n", "theme: nosuch\n---\n\n"))
    result = run("check", issue)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.startswith(f"{issue}:4: error: ") and "the front matter's `theme`" in result.stdout
    fails(issue, tmp_path / "out", line=4, needle="the front matter's `theme`")
