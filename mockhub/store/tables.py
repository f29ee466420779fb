"""In-memory tables with secondary indexes and an undo log.

Every write goes through `Table.put` / `Table.delete`, which record the row's previous value the
first time it changes after a checkpoint. Reset replays those records backwards, so it costs in
proportion to what changed, not to the size of the seed. A transaction keeps its own list too, so
a failing Store operation rolls back whatever it had already written.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import fields
from typing import Any, Generic, TypeVar

Row = TypeVar("Row")
MISSING: Any = object()


class UndoLog:
    def __init__(self) -> None:
        # (table, id) -> row as it was at the checkpoint (MISSING if it did not exist)
        self.since_checkpoint: dict[tuple[str, int], Any] = {}
        self.transaction: list[tuple[Table[Any], int, Any]] | None = None

    def record(self, table: Table[Any], row_id: int, old: Any) -> None:
        self.since_checkpoint.setdefault((table.name, row_id), old)
        if self.transaction is not None:
            self.transaction.append((table, row_id, old))

    def __len__(self) -> int:
        return len(self.since_checkpoint)


class Table(Generic[Row]):
    """Rows by integer id, plus unique and grouping indexes kept in step with every write."""

    def __init__(self, name: str, row_type: type[Row], log: UndoLog,
                 unique: dict[str, Callable[[Row], Hashable]] | None = None,
                 groups: dict[str, Callable[[Row], Hashable]] | None = None) -> None:
        self.name = name
        self.row_type = row_type
        self.field_names = tuple(f.name for f in fields(row_type))  # type: ignore[arg-type]
        self._log = log
        self._rows: dict[int, Row] = {}
        self._unique_keys = unique or {}
        self._group_keys = groups or {}
        self._unique: dict[str, dict[Hashable, int]] = {name: {} for name in self._unique_keys}
        self._groups: dict[str, dict[Hashable, dict[int, None]]] = {
            name: {} for name in self._group_keys}

    # reading
    def get(self, row_id: int) -> Row | None:
        return self._rows.get(row_id)

    def find(self, index: str, value: Hashable) -> Row | None:
        row_id = self._unique[index].get(value)
        return None if row_id is None else self._rows[row_id]

    def group(self, index: str, value: Hashable) -> list[Row]:
        """Rows sharing an index value, in id order."""
        ids = self._groups[index].get(value)
        if not ids:
            return []
        return [self._rows[i] for i in sorted(ids)]

    def count(self, index: str, value: Hashable) -> int:
        return len(self._groups[index].get(value, ()))

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows.values())

    def __len__(self) -> int:
        return len(self._rows)

    def ids(self) -> list[int]:
        return list(self._rows)

    # writing
    def put(self, row: Row) -> Row:
        row_id: int = row.id  # type: ignore[attr-defined]
        old = self._rows.get(row_id, MISSING)
        self._log.record(self, row_id, old)
        self._set(row_id, old, row)
        return row

    def delete(self, row_id: int) -> None:
        old = self._rows.get(row_id, MISSING)
        if old is MISSING:
            return
        self._log.record(self, row_id, old)
        self._set(row_id, old, MISSING)

    def restore_row(self, row_id: int, row: Any) -> None:
        """Put back a logged value without logging it again (used by undo)."""
        self._set(row_id, self._rows.get(row_id, MISSING), row)

    def _set(self, row_id: int, old: Any, new: Any) -> None:
        if old is not MISSING:
            for name, key in self._unique_keys.items():
                index = self._unique[name]
                value = key(old)
                if index.get(value) == row_id:
                    del index[value]
            for name, key in self._group_keys.items():
                members = self._groups[name].get(key(old))
                if members is not None:
                    members.pop(row_id, None)
                    if not members:
                        del self._groups[name][key(old)]
        if new is MISSING:
            self._rows.pop(row_id, None)
            return
        self._rows[row_id] = new
        for name, key in self._unique_keys.items():
            self._unique[name][key(new)] = row_id
        for name, key in self._group_keys.items():
            self._groups[name].setdefault(key(new), {})[row_id] = None

    def taken(self, index: str, value: Hashable, except_id: int | None = None) -> bool:
        row_id = self._unique[index].get(value)
        return row_id is not None and row_id != except_id

    def dump(self) -> list[dict[str, Any]]:
        names = self.field_names
        return [{n: getattr(row, n) for n in names} for _, row in sorted(self._rows.items())]
