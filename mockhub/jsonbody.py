"""JSON bodies as mockhub accepts them: text that parses, nests at most MAX_DEPTH levels and
holds only real characters. Whatever passes can be stored and rendered again (the app answers
UTF-8 with `ensure_ascii` off, so an unpaired surrogate such as `"\\ud800"` could never be sent).
Pure Python (no Flask): the request hook, fault rules and the journal all use it.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from mockhub.errors import MockhubError

MAX_DEPTH = 100  # far beyond any NoackHub body; keeps rendering clear of the recursion limit
NOT_JSON = "The request body is not valid JSON."
SURROGATE = re.compile("[\ud800-\udfff]")  # after parsing, any one left is unpaired
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # how one gets into bytes


class BadJson(MockhubError):
    """A body that is not JSON mockhub can keep; `errors` names the field when there is one."""

    status = 400


def loads(data: bytes | str) -> Any:
    """Parse a body strictly, or raise BadJson (400) saying why."""
    try:
        # strict decoding: raw UTF-8-encoded surrogates are not text either
        text = data if isinstance(data, str) else data.decode(json.detect_encoding(data))
        value = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError:  # nested deeper than the parser's stack: not JSON for us
        raise BadJson(f"{NOT_JSON} It nests more than {MAX_DEPTH} levels deep.") from None
    except ValueError:  # JSONDecodeError, UnicodeDecodeError, too many digits
        raise BadJson(NOT_JSON) from None
    # walk only when the text could hold a surrogate or nest too deep (cheap scans in C)
    suspect = ("\\u" in text and SURROGATE_ESCAPE.search(text) is not None) or (
        isinstance(data, str) and SURROGATE.search(text) is not None)
    if suspect or text.count("[") + text.count("{") > MAX_DEPTH:
        found = problem(value, strings=suspect)
        if found is not None:
            where, what = found
            raise BadJson(f"{NOT_JSON} {where or 'The body'}: {what}", {where or "_schema": [what]})
    return value


def problem(value: Any, root: str = "", strings: bool = True) -> tuple[str, str] | None:
    """(path, problem) for the first string (key or value) holding an unpaired surrogate, or
    nesting deeper than MAX_DEPTH; None when the value is clean. `strings=False` checks only
    the depth (faster: a big saved state has a million strings).
    Paths read `title`, `a.b`, `labels[0]` below `root` (the value as a whole)."""
    stack: list[tuple[Any, str, int]] = [(value, root, 0)]
    while stack:  # iterative: the value may be as deep as the parser allowed
        item, path, depth = stack.pop()
        if isinstance(item, str):
            match = SURROGATE.search(item)
            if match:
                return path, f"Holds an unpaired UTF-16 surrogate ({_escaped(match.group())}), " \
                             "which is not a character."
        elif isinstance(item, dict | list):
            if depth >= MAX_DEPTH:  # named as a whole: a path 100 levels long helps no one
                return root, f"Nests more than {MAX_DEPTH} levels deep."
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            children = []
            for key, child in pairs:
                if not strings:
                    if isinstance(child, dict | list):
                        children.append((child, path, depth + 1))  # path: only depth is named
                    continue
                if isinstance(key, str) and SURROGATE.search(key):
                    return _join(path, key), "The name holds an unpaired UTF-16 surrogate, " \
                                             "which is not a character."
                children.append((child, _join(path, key), depth + 1))
            stack.extend(reversed(children))  # depth first, in document order
    return None


def _join(path: str, key: object) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    name = _escaped(str(key))
    return f"{path}.{name}" if path else name


def _escaped(text: str) -> str:
    """Surrogates as `\\ud800`, so the name itself can be rendered in an error."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python's json accepts NaN and Infinity; JSON does not


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e999: no float holds it, and it would render as Infinity
        raise ValueError("number out of range")
    return number


__all__ = ["MAX_DEPTH", "NOT_JSON", "BadJson", "loads", "problem"]
