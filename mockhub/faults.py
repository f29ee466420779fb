"""Fault rules: what to break, when and how. Pure Python (no Flask): callable directly.

A rule matches requests (method, path glob, token owner) and, when its triggers allow (`after`,
`times`, `probability`), applies its effects (status/body/headers, delay, connection fault).
Rules are tried in the order they were added; the first that fires decides the request, and the
rules after it do not count that request. Probability and latency jitter come from one RNG per
app, seeded from settings, so the same seed fails the same requests every run.
"""

from __future__ import annotations

import json
import random
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import translate
from pathlib import Path
from typing import Any

from mockhub import jsonbody
from mockhub.errors import MockhubError, NotFound

API_PREFIX = "/api/v2"
CONNECTION_FAULTS = ("connection_reset", "empty_response")
BODY_FAULTS = ("malformed_json", "truncated_body")
FAULT_KINDS = CONNECTION_FAULTS + BODY_FAULTS
MAX_DELAY_MS = 600_000
MAX_COUNT = 1_000_000_000  # after/times: beyond any test, and exact in every client's numbers
RULE_FIELDS = ("method", "path", "user", "status", "body", "headers", "delay_ms", "fault",
               "probability", "after", "times")
EFFECT_FIELDS = ("status", "body", "headers", "delay_ms", "fault")
HEADER_FIELDS = ("status", "delay_ms", "fault", "probability", "headers")  # X-Mockhub-Fault
READ_ONLY = ("id", "matched", "fired", "remaining")  # what GET adds; ignored when sent back
RESERVED_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})
# used with fullmatch: "^…$" would let a name or method end in "\n"
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")
METHOD = re.compile(r"[A-Za-z]+")
# ASCII digits only ('²'.isdigit() is true, yet int() refuses it), and few enough for a float
STATUS_TEXT = re.compile(r"[0-9]{3}")
INTEGER_TEXT = re.compile(r"-?[0-9]{1,18}")
DECIMAL_TEXT = re.compile(r"-?(?:[0-9]{1,18}\.?[0-9]{0,18}|\.[0-9]{1,18})(?:[eE][+-]?[0-9]{1,3})?")


class RuleError(MockhubError):
    """An invalid rule, header or setting; `errors` names each field as the caller sent it."""

    status = 422

    def __init__(self, errors: dict[str, list[str]], prefix: str = "Invalid fault rule") -> None:
        detail = "; ".join(f"{name}: {' '.join(problems)}" for name, problems in errors.items())
        super().__init__(f"{prefix}: {detail}", errors)

    def within(self, where: str = "", prefix: str = "Invalid fault rule") -> RuleError:
        """The same problems with each field name prefixed by `where` (`[2].`, `f.yaml[0].`),
        under another message prefix."""
        return RuleError({f"{where}{name}": list(problems)
                          for name, problems in (self.errors or {}).items()}, prefix)


class ConnectionFault(ConnectionError):
    """Raised out of the WSGI app to ask the server to kill the connection (see server.py).

    A ConnectionError, so werkzeug's handler treats it as a dropped connection and logs nothing;
    Flask's test client, which has no socket, lets it propagate to the caller instead.
    """

    def __init__(self, kind: str) -> None:
        super().__init__(f"mockhub injected fault: {kind}")
        self.kind = kind


@dataclass(frozen=True)
class Effect:
    """What to do to one request; made by a rule, a request header, or the rate limiter."""

    source: str  # "rule", "X-Mockhub-Fault", "Prefer", "rate_limit" or "reset"
    rule_id: int | None = None
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_ms: float = 0
    fault: str | None = None
    message: str | None = None

    @property
    def has_body(self) -> bool:
        return self.body is not None  # a rule's null body means none (validate_rule drops it)

    @property
    def connection(self) -> bool:
        return self.fault in CONNECTION_FAULTS

    @property
    def responds(self) -> bool:
        """True when mockhub answers instead of the API (the view never runs)."""
        return self.status is not None or self.has_body or self.fault is not None

    def describe(self) -> dict[str, Any]:
        """The journal's account of what was injected."""
        shown: dict[str, Any] = {"source": self.source}
        for name in ("status", "delay_ms", "fault"):
            value = getattr(self, name)
            if value:
                shown[name] = value
        return shown


@dataclass
class FaultRule:
    id: int
    method: str = "*"
    path: str = "*"
    user: str | None = None
    status: int | None = None
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_ms: float = 0
    fault: str | None = None
    probability: float = 1.0
    after: int = 0
    times: int | None = None
    matched: int = 0  # requests that matched method, path and user
    fired: int = 0  # of those, the ones the rule applied to
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._pattern = compile_path(self.path)

    def matches(self, method: str, path: str, user: str | None) -> bool:
        return ((self.method == "*" or self.method == method)
                and self._pattern.match(path) is not None
                and (self.user is None or (user or "").lower() == self.user.lower()))

    def effect(self) -> Effect:
        return Effect(source="rule", rule_id=self.id, status=self.status, body=self.body,
                      headers=dict(self.headers), delay_ms=self.delay_ms, fault=self.fault)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id}
        data.update({name: getattr(self, name) for name in RULE_FIELDS})
        data["headers"] = dict(self.headers)
        data["matched"] = self.matched
        data["fired"] = self.fired
        data["remaining"] = None if self.times is None else self.times - self.fired
        return data


def compile_path(pattern: str) -> re.Pattern[str]:
    """fnmatch-style glob (`*` also crosses `/`); a pattern that does not start with `/api/`
    or a wildcard is relative to /api/v2, so `/repos*` and `/api/v2/repos*` are the same."""
    if not pattern.startswith(("/api/", "*", "?", "[")):
        pattern = API_PREFIX + pattern
    return re.compile(translate(pattern))


# validation: one function per field, each returning the cleaned value or raising _Bad
# (never called with None: validate_rule skips a null field as not given)
class _Bad(Exception):
    def __init__(self, message: str, part: str | None = None) -> None:
        super().__init__(message)
        self.part = part  # names the entry within the field: headers.X-A


def _number(value: Any, low: float, high: float, integer: bool = False) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Bad("Must be a number." if not integer else "Must be an integer.")
    if not low <= value <= high:  # first: a huge int compares fine but overflows float()
        raise _Bad(f"Must be from {low:g} to {high:g}.")  # NaN and infinities fail here too
    if integer and not float(value).is_integer():
        raise _Bad("Must be an integer.")
    return int(value) if integer else value


def _count(value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
            minimum <= value <= MAX_COUNT) or not float(value).is_integer():
        raise _Bad(f"Must be a whole number from {minimum} to {MAX_COUNT}.")
    return int(value)


def _clean_method(value: Any) -> str:
    if not isinstance(value, str) or not (value == "*" or METHOD.fullmatch(value)):
        raise _Bad("Must be an HTTP method such as GET, or * for any.")
    return value.upper()


def _clean_path(value: Any) -> str:
    if not isinstance(value, str) or not value or not value.startswith(("/", "*", "?", "[")):
        raise _Bad("Must be a path glob starting with / (or *), e.g. /api/v2/repos*.")
    return value


def _clean_user(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Bad("Must be a login.")
    return value.strip()


def _clean_headers(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise _Bad("Must be an object of header names to values.")
    cleaned: dict[str, str] = {}
    for name, raw in value.items():
        if not isinstance(name, str) or not HEADER_NAME.fullmatch(name):
            raise _Bad("Not a header name.", str(name))
        if name.lower() in RESERVED_HEADERS:
            raise _Bad("Set by mockhub; it cannot be injected.", name)
        if isinstance(raw, bool) or not isinstance(raw, str | int | float):
            raise _Bad("Must be a string or a number.", name)
        text = str(raw)
        if not HEADER_VALUE.fullmatch(text):  # HTTP/1.1 sends headers as bytes: ASCII is safe
            raise _Bad("Must be one line of printable ASCII.", name)
        cleaned[name] = text
    return cleaned


def _clean_body(value: Any) -> Any:
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        raise _Bad("Must be JSON (an object, a list, a string or a number).") from None
    return value


def _clean_fault(value: Any) -> str:
    if value not in FAULT_KINDS:
        raise _Bad(f"Must be one of {', '.join(FAULT_KINDS)}.")
    return str(value)


CLEANERS: dict[str, Callable[[Any], Any]] = {
    "method": _clean_method,
    "path": _clean_path,
    "user": _clean_user,
    "status": lambda v: _number(v, 200, 599, integer=True),
    "body": _clean_body,
    "headers": _clean_headers,
    "delay_ms": lambda v: _number(v, 0, MAX_DELAY_MS),
    "fault": _clean_fault,
    "probability": lambda v: _number(v, 0, 1),
    "after": lambda v: _count(v, 0),
    "times": lambda v: _count(v, 1),
}


def validate_rule(data: Any, allowed: Iterable[str] = RULE_FIELDS,
                  ignored: Iterable[str] = READ_ONLY) -> dict[str, Any]:
    """The cleaned fields of a rule; RuleError names every bad field. The `ignored` fields
    (by default the read-only ones) are skipped, so a rule as GET lists it can be sent back."""
    if not isinstance(data, Mapping):
        raise RuleError({"rule": ["A rule must be an object."]})
    allowed, ignored = tuple(allowed), tuple(ignored)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name, value in data.items():
        if name in ignored:
            continue
        if name not in allowed:
            hint = ("Read-only." if name in READ_ONLY
                    else "Not allowed in the X-Mockhub-Fault header; use a rule."
                    if name in RULE_FIELDS else "Unknown field.")
            errors[str(name)] = [hint]
            continue
        if value is None:
            continue  # null means "not given" (so a rule as GET returns it can be sent back)
        try:
            cleaned[name] = CLEANERS[name](value)
        except _Bad as problem:
            errors[f"{name}.{problem.part}" if problem.part else name] = [str(problem)]
            continue
        # rules from Python or a file skip the request parser: nothing GET could not render
        found = jsonbody.problem(cleaned[name], name)
        if found is not None:
            errors[found[0]] = [found[1]]
    if errors:
        raise RuleError(errors)
    if not any(cleaned.get(name) not in (None, {}, 0) for name in EFFECT_FIELDS):
        raise RuleError({"rule": ["Needs at least one effect: status, body, headers, delay_ms "
                                  "or fault."]})
    if cleaned.get("fault") in CONNECTION_FAULTS:
        # "headers": {} is how GET lists a rule without headers: it must go back in
        extra = [name for name in ("status", "body", "headers")
                 if cleaned.get(name) not in (None, {})]
        if extra:
            raise RuleError({"fault": [f"{cleaned['fault']} sends no HTTP response, so "
                                       f"{', '.join(extra)} cannot apply."]})
    return cleaned


def parse_fault_header(value: str) -> dict[str, Any]:
    """`status=503;delay_ms=200;headers=Retry-After:2,X-Foo:bar` → rule fields (unvalidated)."""
    data: dict[str, Any] = {}
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        name, sep, raw = part.partition("=")
        name, raw = name.strip(), raw.strip()
        if not sep:
            raise RuleError({name: ["Expected name=value."]}, "Invalid X-Mockhub-Fault header")
        if name == "headers":
            headers = {}
            for pair in raw.split(","):
                key, colon, text = pair.partition(":")
                if not colon:
                    raise RuleError({"headers": ["Expected Name:value pairs separated by ','."]},
                                    "Invalid X-Mockhub-Fault header")
                headers[key.strip()] = text.strip()
            data[name] = headers
        elif name in ("status", "delay_ms", "probability"):
            data[name] = _parse_number(raw)
        else:
            data[name] = raw
    return data


def _parse_number(raw: str) -> float | int | str:
    """A number if it reads as one; otherwise the text, for validate_rule to name the field."""
    if INTEGER_TEXT.fullmatch(raw):
        return int(raw)
    return float(raw) if DECIMAL_TEXT.fullmatch(raw) else raw


def parse_prefer(value: str) -> int | None:
    """The status asked for with Prism's `Prefer: code=503`; None when no code is asked for."""
    for part in re.split(r"[,;]", value):
        name, _, raw = part.partition("=")
        if name.strip().lower() == "code":
            raw = raw.strip().strip('"')
            if not STATUS_TEXT.fullmatch(raw) or not 200 <= int(raw) <= 599:
                raise RuleError({"Prefer": ["code must be an HTTP status from 200 to 599."]},
                                "Invalid Prefer header")
            return int(raw)
    return None


def parse_latency(text: str | None) -> tuple[float, float] | None:
    """`50` → (50, 50); `20-200` → (20, 200) milliseconds; None or "" or "0" → None."""
    if text is None or str(text).strip() in ("", "0"):
        return None
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:-\s*(\d+(?:\.\d+)?)\s*)?(?:ms)?\s*", str(text))
    if not match:
        raise RuleError({"latency": ["Use milliseconds: 50, or a range such as 20-200."]},
                        "Invalid latency")
    low = float(match.group(1))
    high = float(match.group(2) or low)
    if high < low or high > MAX_DELAY_MS:
        raise RuleError({"latency": [f"The range must be increasing and at most {MAX_DELAY_MS}."]},
                        "Invalid latency")
    return low, high


def load_rules(path: str | Path) -> list[dict[str, Any]]:
    """Rules from a YAML or JSON file: a list, one rule, or a mapping with a `faults:` list;
    validated, and returned cleaned (as validate_rule returns them)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as problem:
        raise RuleError({"faults": [f"cannot read {path}: {problem.strerror}"]},
                        "Invalid faults file") from None
    except UnicodeDecodeError:
        raise RuleError({"faults": [f"{path} is not UTF-8 text"]}, "Invalid faults file") from None
    import yaml  # startup only

    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as problem:
        raise RuleError({str(path): [" ".join(str(problem).split())]},
                        "Invalid faults file") from None
    if isinstance(data, Mapping) and "faults" in data:
        data = data["faults"]
    if data is None:
        return []
    cleaned = []
    for index, rule in enumerate(data if isinstance(data, list) else [data]):
        try:
            cleaned.append(validate_rule(rule))
        except RuleError as problem:
            raise problem.within(f"{path}[{index}].", "Invalid faults file") from None
    return cleaned


class FaultEngine:
    """The rules of one app, their counters, the latency setting and the fault RNG."""

    def __init__(self, seed: int | str = 0, latency: tuple[float, float] | None = None,
                 startup_rules: Iterable[Mapping[str, Any]] = ()) -> None:
        """`startup_rules` are validated already (load_rules returns them so)."""
        self._seed = f"mockhub-faults:{seed}"  # its own stream: faults never shift store data
        self.rng = random.Random(self._seed)
        self.latency = latency
        self._lock = threading.Lock()
        self._startup = [dict(rule) for rule in startup_rules]
        self._rules: list[FaultRule] = []
        self._next_id = 1
        self.reset()

    # the Python API (the control plane and the pytest plugin call these)
    def add(self, rule: Mapping[str, Any] | FaultRule | None = None, /,
            **fields: Any) -> FaultRule:
        """Validate and add one rule (a mapping, or keyword fields); returns it with its id."""
        data = dict(_as_mapping(rule), **fields)
        cleaned = validate_rule(data)
        with self._lock:
            return self._append(cleaned)

    def add_many(self, rules: Iterable[Mapping[str, Any] | FaultRule]) -> list[FaultRule]:
        """All or nothing: one invalid rule adds none (errors are prefixed with its index)."""
        cleaned = []
        for index, rule in enumerate(rules):
            try:
                cleaned.append(validate_rule(_as_mapping(rule)))
            except RuleError as problem:
                raise problem.within(f"[{index}].") from None
        with self._lock:
            return [self._append(data) for data in cleaned]

    def remove(self, rule_id: int) -> FaultRule:
        with self._lock:
            rule = self._find(rule_id)
            self._rules.remove(rule)
            return rule

    def get(self, rule_id: int) -> FaultRule:
        with self._lock:
            return self._find(rule_id)

    def rules(self) -> list[FaultRule]:
        with self._lock:
            return list(self._rules)

    def clear(self) -> int:
        """Remove every rule (those from --faults files too); returns how many."""
        with self._lock:
            count = len(self._rules)
            self._rules.clear()
            return count

    def reset(self) -> None:
        """Back to the start: the --faults rules with fresh counters and new ids, RNG re-seeded.
        Ids are never reused, so an id held from before (a FaultHandle) never names a new rule."""
        with self._lock:
            self._rules = []
            for data in self._startup:
                self._append(data)
            self.rng.seed(self._seed)

    def __len__(self) -> int:
        return len(self._rules)

    # per request
    def draw_latency(self) -> float:
        """The --latency delay for one request, in milliseconds (uniform, seeded)."""
        if self.latency is None:
            return 0.0
        low, high = self.latency
        if low == high:
            return low
        with self._lock:
            return self.rng.uniform(low, high)

    def decide(self, method: str, path: str, user: str | None,
               fault_header: str | None = None, prefer: str | None = None) -> Effect | None:
        """The effect for one request, or None; a per-request header wins over the rules.

        `user` is the login the request's token belongs to (None: anonymous or invalid).
        Raises RuleError for an invalid X-Mockhub-Fault or Prefer header.
        """
        if fault_header is not None:
            return self._from_header(fault_header)
        if prefer is not None:
            code = parse_prefer(prefer)
            if code is not None and code >= 300:  # a 2xx is what the API answers anyway
                return Effect(source="Prefer", status=code)
        if not self._rules:
            return None
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path, user):
                    continue
                rule.matched += 1
                if rule.matched <= rule.after:
                    continue
                if rule.probability < 1 and self.rng.random() >= rule.probability:
                    continue
                rule.fired += 1
                if rule.times is not None and rule.fired >= rule.times:
                    self._rules.remove(rule)  # retired; we return at once, so this is safe
                return rule.effect()
        return None

    def _from_header(self, value: str) -> Effect | None:
        data = parse_fault_header(value)
        try:
            cleaned = validate_rule(data, HEADER_FIELDS, ignored=())
        except RuleError as problem:
            raise problem.within(prefix="Invalid X-Mockhub-Fault header") from None
        if cleaned.get("probability", 1) < 1:
            with self._lock:
                if self.rng.random() >= cleaned["probability"]:
                    return None
        return Effect(source="X-Mockhub-Fault", status=cleaned.get("status"),
                      headers=cleaned.get("headers", {}), delay_ms=cleaned.get("delay_ms", 0),
                      fault=cleaned.get("fault"))

    def _find(self, rule_id: int) -> FaultRule:
        for rule in self._rules:
            if rule.id == rule_id:
                return rule
        raise NotFound(f"No fault rule {rule_id}.")

    def _append(self, cleaned: Mapping[str, Any]) -> FaultRule:
        rule = FaultRule(id=self._next_id, **cleaned)
        self._next_id += 1
        self._rules.append(rule)
        return rule


def _as_mapping(rule: Mapping[str, Any] | FaultRule | None) -> Mapping[str, Any]:
    if rule is None:
        return {}
    if isinstance(rule, FaultRule):
        data = {name: getattr(rule, name) for name in RULE_FIELDS}
        return {k: v for k, v in data.items() if v is not None}
    return rule


__all__ = ["CONNECTION_FAULTS", "FAULT_KINDS", "ConnectionFault", "Effect", "FaultEngine",
           "FaultRule", "RuleError", "compile_path", "load_rules", "parse_fault_header",
           "parse_latency", "parse_prefer", "validate_rule"]
