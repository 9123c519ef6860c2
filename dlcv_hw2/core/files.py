"""File helpers: atomic writes, byte-identical checkpoints, safe checkpoint loading."""

import contextlib
import hashlib
import io
import json
import os
import pickle
import shutil
import tempfile
import zipfile

from .cli import UserError


def check_outputs(*paths) -> None:
    """Fail before any work when an output file cannot be written: it is a folder, or its parent
    cannot be created or written. ``None`` entries (optional outputs not asked for) are skipped."""
    for path in paths:
        if path is None:
            continue
        if os.path.isdir(path):
            raise UserError(f"output {path} is a folder, not a file path")
        ensure_parent_writable(path)


def ensure_parent_writable(path: str) -> None:
    """Create the parent folder of ``path`` if needed; fail clearly when that is impossible."""
    parent = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(parent, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create folder {parent}: {exc.strerror}") from None
    if not os.access(parent, os.W_OK):
        raise UserError(f"folder {parent} is not writable")


def ensure_dir_writable(path: str) -> None:
    if os.path.exists(path) and not os.path.isdir(path):
        raise UserError(f"{path} exists and is not a folder")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create folder {path}: {exc.strerror}") from None
    if not os.access(path, os.W_OK):
        raise UserError(f"folder {path} is not writable")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str, suffix: str = ""):
    """Yield a temporary path beside ``path``; rename it into place only if the block succeeds."""
    check_outputs(path)
    parent = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=suffix or os.path.splitext(path)[1], dir=parent)
    os.close(fd)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file ordinary permissions
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


@contextlib.contextmanager
def atomic_dir(path: str):
    """Yield a temporary folder beside ``path``; it replaces ``path`` only if the block succeeds."""
    ensure_parent_writable(path)
    parent = os.path.dirname(os.path.abspath(path))
    tmp = tempfile.mkdtemp(prefix=".tmp-", dir=parent)
    try:
        yield tmp
        if os.path.isdir(path):
            shutil.rmtree(path)
        os.replace(tmp, path)
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp)


@contextlib.contextmanager
def files_into(out_dir: str):
    """Yield a hidden temporary folder inside ``out_dir``; when the block succeeds, move every file
    written there into ``out_dir`` (other files of ``out_dir`` stay). Nothing appears on failure."""
    ensure_dir_writable(out_dir)
    tmp = tempfile.mkdtemp(prefix=".tmp-", dir=out_dir)
    try:
        yield tmp
        for name in sorted(os.listdir(tmp)):
            os.replace(os.path.join(tmp, name), os.path.join(out_dir, name))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def atomic_write_text(path: str, text: str) -> None:
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)


def write_csv_rows(rows, path: str, fieldnames) -> None:
    """Dict rows as a CSV (header ``fieldnames``, "\\n" line ends), atomically."""
    import csv

    with atomic_path(path) as tmp:
        with open(tmp, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fieldnames, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)


def sha256_of(path: str) -> str:
    """The sha256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def save_torch(obj, path: str) -> None:
    """``torch.save`` to ``path`` atomically, byte-identical for equal objects: torch names the records
    inside the zip after the file it writes, so it serialises to memory first (records "archive/...")
    rather than to the temporary file, whose name is random."""
    import torch

    buf = io.BytesIO()
    torch.save(obj, buf)
    with atomic_path(path, suffix=".pt") as tmp:
        with open(tmp, "wb") as f:
            f.write(buf.getbuffer())


def load_torch(path: str, what: str = "checkpoint", map_location="cpu"):
    """``torch.load`` with ``weights_only=True``: a file whose unpickling would run code is refused."""
    import torch

    if not os.path.isfile(path):
        raise UserError(f"{what} {path} does not exist")
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as exc:
        with open(path, "rb") as f:
            head = f.read(2)
        if not zipfile.is_zipfile(path) and not head.startswith(b"\x80"):  # neither torch.save format
            raise UserError(f"{what} {path} is unreadable or truncated (not a file written by torch.save)") from None
        lines = [l.strip() for l in str(exc).splitlines() if l.strip()]
        reason = next(
            (line for line in lines if "GLOBAL" in line or "Unsupported" in line),
            lines[0] if lines else "unsafe content",
        )
        raise UserError(f"{what} {path} was refused: it holds objects other than tensors ({reason})") from None
    except (RuntimeError, EOFError, zipfile.BadZipFile, OSError, ValueError, IndexError, KeyError, TypeError) as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise UserError(f"{what} {path} is unreadable or truncated ({msg})") from None


def state_mismatch(expected: dict, state: dict):
    """Why ``state`` cannot be loaded into a model whose state dict is ``expected``, in one phrase
    (key counts with examples, or the first tensor of the wrong shape); None when it fits."""
    import torch

    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        return "it is not a state dict of tensors"
    missing = sorted(set(expected) - set(state))
    unexpected = sorted(set(state) - set(expected))
    parts = []
    if missing:
        parts.append(f"{len(missing)} missing key(s) (e.g. {', '.join(missing[:3])})")
    if unexpected:
        parts.append(f"{len(unexpected)} unexpected key(s) (e.g. {', '.join(unexpected[:3])})")
    if parts:
        return "; ".join(parts)
    wrong = [k for k in expected if tuple(state[k].shape) != tuple(expected[k].shape)]
    if wrong:
        k = wrong[0]
        return (
            f"{len(wrong)} tensor(s) of the wrong shape, e.g. {k} is {tuple(state[k].shape)}, "
            f"expected {tuple(expected[k].shape)}"
        )
    return None


# ------------------------------------------------------------- the workflow's own result files
def read_json(path, keys):
    """A JSON object of the workflow's holding ``keys``; anything else is one clear error."""
    try:
        with open(path, encoding="utf-8") as f:
            obj = json.load(f)
    except FileNotFoundError:
        raise UserError(f"{path} is missing (run the workflow's rule that writes it first)") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UserError(f"cannot read {path} ({exc})") from None
    missing = sorted(set(keys) - set(obj)) if isinstance(obj, dict) else ["(not a JSON object)"]
    if missing:
        raise UserError(f"{path} lacks {', '.join(missing)}")
    return obj


def read_table(path, columns, **kw):
    """A CSV of the workflow's with ``columns`` and at least one row."""
    if not os.path.isfile(path):
        raise UserError(f"{path} is missing (run the workflow's rule that writes it first)")
    import pandas as pd

    try:
        table = pd.read_csv(path, **kw)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise UserError(f"cannot read {path} ({str(exc).strip().splitlines()[0]})") from None
    missing = [c for c in columns if c not in table.columns]
    if missing or table.empty:
        raise UserError(f"{path} is not the table expected (no rows, or no column {', '.join(missing)})")
    return table
