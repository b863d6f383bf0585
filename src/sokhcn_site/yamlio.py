"""Load a YAML mapping and remember the line of each top-level key, and of each entry of a
top-level mapping or list."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

YAML_HINT = (
    "mỗi dòng viết dạng `khóa: giá trị`; giá trị có dấu ':' hay '#', hoặc bắt đầu bằng "
    "'[', '{', '\"', thì đặt trong ngoặc kép, ví dụ `title: \"Hội nghị: tổng kết\"`"
)

# Characters no XML (the feeds) may hold, unseen on a page: pasted from Word or a PDF, or
# written as YAML escapes ("\0"). Front matter and site.yaml are checked for them.
_C0 = bytes(byte for byte in range(32) if byte not in b"\t\n\r")
_NONCHARACTERS = "\ufffe\uffff"
CONTROL_CHARACTERS = re.compile(f"[{re.escape(_C0.decode() + _NONCHARACTERS)}]")


def has_control_bytes(data: bytes) -> bool:
    """Whether UTF-8 `data` has CONTROL_CHARACTERS: five times faster than searching its text."""
    return len(data.translate(None, _C0)) != len(data) or any(
        char.encode() in data for char in _NONCHARACTERS
    )


_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc,valid-type]
    """Safe loader that leaves timestamps as strings, so dates are ours to parse and check."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}


def _int_or_text(loader: Any, node: yaml.ScalarNode) -> int | str:
    """A long run of digits as the text it is: Python converts no integer of over 4,300
    digits to or from text (a ValueError, not a YAML error), and no field wants one."""
    if len(node.value) > 100:
        return str(loader.construct_scalar(node))
    return int(loader.construct_yaml_int(node))


_Loader.add_constructor("tag:yaml.org,2002:int", _int_or_text)


@dataclass(frozen=True, slots=True)
class YamlMapping:
    data: dict[str, Any]
    lines: dict[str, int]  # 1-based file line of each top-level key
    duplicates: tuple[tuple[str, int], ...]  # keys given twice, with the later line
    # Keys whose unquoted value a '#' cut short: YAML reads the rest as a comment, which a
    # title such as `Hội nghị lần thứ #3` does not mean. With the comment's line.
    comments: tuple[tuple[str, int], ...] = ()
    # Each top-level plain scalar as written: `title: 3.10` is the float 3.1 to YAML.
    written: dict[str, str] = field(default_factory=dict)
    # The 1-based file line of each entry of a top-level mapping (by its key as written) or
    # list (by its index): `categories:` and `menu:` of site.yaml are checked entry by entry.
    entries: dict[str, dict[str | int, int]] = field(default_factory=dict)


class YamlProblem(Exception):
    """A YAML text that is not a mapping; `line` is 1-based in the file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def load_mapping(text: str, first_line: int = 1) -> YamlMapping:
    """Parse `text`, which starts at file line `first_line`, as a mapping with string keys."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        raise YamlProblem(line, _describe(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(first_line, f"lỗi cú pháp YAML ({exc}); {YAML_HINT}") from None
    finally:
        loader.dispose()
    if data is None:
        return YamlMapping({}, {}, ())
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        raise YamlProblem(first_line, "phần YAML phải là các dòng dạng `khóa: giá trị`")
    lines: dict[str, int] = {}
    duplicates: list[tuple[str, int]] = []
    for key_node, _ in node.value:
        key = str(key_node.value)
        line = first_line + key_node.start_mark.line
        if key in lines:
            duplicates.append((key, line))
        lines[key] = line
    comments = tuple(_comments(node, text.split("\n"), first_line))
    data = {str(k): v for k, v in data.items()}
    written = {
        str(key.value): value.value
        for key, value in node.value
        if isinstance(value, yaml.ScalarNode) and not value.style
    }
    entries = _entry_lines(node, first_line)
    return YamlMapping(data, lines, tuple(duplicates), comments, written, entries)


def _entry_lines(node: yaml.MappingNode, first_line: int) -> dict[str, dict[str | int, int]]:
    entries: dict[str, dict[str | int, int]] = {}
    for key_node, value in node.value:
        items: list[tuple[str | int, yaml.Node]]
        if isinstance(value, yaml.MappingNode):
            items = [(str(key.value), key) for key, _ in value.value]
        elif isinstance(value, yaml.SequenceNode):
            items = list(enumerate(value.value))
        else:
            continue
        entries[str(key_node.value)] = {
            entry: first_line + item.start_mark.line for entry, item in items
        }
    return entries


def _comments(
    node: yaml.MappingNode, lines: list[str], first_line: int
) -> Iterator[tuple[str, int]]:
    """The keys whose plain (unquoted) value is followed, on its last line, by a comment."""
    for key_node, value in node.value:
        if not isinstance(value, yaml.ScalarNode) or value.style:  # quoted, or a block
            continue
        if value.start_mark.line < key_node.start_mark.line:
            continue  # an alias (`*x`) of a value written further up, comments and all
        end = value.end_mark
        if value.value == "" and end.line != key_node.start_mark.line:
            continue  # `key:` alone, a comment line below it
        if lines[end.line][end.column :].lstrip().startswith("#"):
            yield str(key_node.value), first_line + end.line


def holds_control_characters(value: object) -> bool:
    """Whether `value`, or any text inside it, has CONTROL_CHARACTERS; iterative and once per
    object, as YAML nests lists thousands deep and its aliases share them a billion times."""
    seen: set[int] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if CONTROL_CHARACTERS.search(item):
                return True
        elif isinstance(item, list | dict) and id(item) not in seen:
            seen.add(id(item))
            stack.extend([*item.keys(), *item.values()] if isinstance(item, dict) else item)
    return False


def _describe(exc: yaml.MarkedYAMLError) -> str:
    parts = [p for p in (exc.context, exc.problem) if p]
    detail = f" ({', '.join(parts)})" if parts else ""
    return f"lỗi cú pháp YAML{detail}; {YAML_HINT}"
