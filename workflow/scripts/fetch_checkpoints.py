#!/usr/bin/env python3
"""Make every checkpoint the grading scripts need available (what hw2_download.sh runs).

For each of checkpoints/ddpm.pt, dann_svhn.pt, dann_usps.pt (2023) and acgan.pt (2021 problem 2), or
those --only names (any of KNOWN, e.g. the 2021 domain-adaptation models or face_gan.pt, the face GAN of
2021/2022 problem 1): keep a local copy; else download it
from the URL in checkpoints/manifest.tsv (columns path, url, sha256), verify its sha256 and only
then move it into place (a mismatch or an interrupted download leaves nothing at the path); else
name the workflow target that trains it and, unless --no-train, run that target.
"""
import csv
import hashlib
import http.client
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

from dlcv_hw2.cli import UserError, cli_main, script_parser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the repository
NEEDED = ("checkpoints/ddpm.pt", "checkpoints/dann_svhn.pt", "checkpoints/dann_usps.pt", "checkpoints/acgan.pt")
# the 2021 problem 3 (DANN) and bonus (DSN) models of its three scenarios
DA_2021 = tuple(f"checkpoints/{method}_{name}.pt" for method in ("dann", "dsn")
                for name in ("usps", "svhn_to_mnistm", "usps_to_svhn"))
FACE_GAN = "checkpoints/face_gan.pt"  # 2021/2022 problem 1
KNOWN = NEEDED + tuple(p for p in DA_2021 if p not in NEEDED) + (FACE_GAN,)


SHA256 = re.compile(r"[0-9a-fA-F]{64}")


def read_manifest(path, required=False):
    """{path: (url, sha256)} from a manifest; every line is checked before anything is downloaded."""
    if not os.path.isfile(path):
        if required:
            raise UserError(f"manifest {path} does not exist")
        return {}
    entries = {}
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = [(n, r) for n, r in enumerate(csv.reader(f, delimiter="\t"), start=1)
                    if r and not r[0].startswith("#")]
    except UnicodeDecodeError:
        raise UserError(f"manifest {path} is not UTF-8 text") from None
    if rows and rows[0][1] == ["path", "url", "sha256"]:
        rows = rows[1:]
    for lineno, row in rows:
        if len(row) != 3 or not SHA256.fullmatch(row[2]):
            raise UserError(f"{path}: line {lineno} must be 'path<TAB>url<TAB>sha256' (64 hex digits)")
        if row[0] not in KNOWN:
            raise UserError(f"{path}: line {lineno}: {row[0]!r} is not a checkpoint the grading scripts use "
                            f"({', '.join(KNOWN)})")
        if urllib.parse.urlsplit(row[1]).scheme not in ("http", "https", "file"):
            raise UserError(f"{path}: line {lineno}: {row[1]!r} is not an http(s) or file URL")
        entries[row[0]] = (row[1], row[2].lower())
    return entries


def download(url, sha256, dest, timeout=60):
    """Download to a temporary file beside ``dest``; install it only when the sha256 matches."""
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".download-", dir=os.path.dirname(dest))
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as resp:
            expected = resp.headers.get("Content-Length")
            got = 0
            while chunk := resp.read(1 << 20):
                out.write(chunk)
                h.update(chunk)
                got += len(chunk)
        if expected is not None and got != int(expected):
            raise UserError(f"download of {url} was cut short ({got} of {expected} bytes); nothing installed")
        if h.hexdigest() != sha256:
            raise UserError(f"{url}: sha256 {h.hexdigest()} does not match the manifest's {sha256}; nothing installed")
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except urllib.error.HTTPError as exc:
        raise UserError(f"download of {url} failed (HTTP {exc.code} {exc.reason}); nothing installed") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        raise UserError(f"download of {url} failed ({getattr(exc, 'reason', exc)}); nothing installed") from None
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--root", default=ROOT, help="folder holding checkpoints/ (default: the repository)")
    ap.add_argument("--manifest", help="default: ROOT/checkpoints/manifest.tsv")
    ap.add_argument("--no-train", action="store_true", help="only report what is missing")
    ap.add_argument("--only", nargs="+", choices=KNOWN, help="handle only these checkpoints")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.root):
        raise UserError(f"--root {args.root} is not a folder")
    manifest = read_manifest(args.manifest or os.path.join(args.root, "checkpoints", "manifest.tsv"),
                             required=bool(args.manifest))
    missing = []
    for rel in args.only or NEEDED:
        dest = os.path.join(args.root, rel)
        if os.path.isdir(dest):
            raise UserError(f"{dest} is a folder; the checkpoint goes there as a file")
        if os.path.isfile(dest):
            print(f"{rel}: present")
        elif rel in manifest:
            print(f"{rel}: downloading")
            download(*manifest[rel], dest)
            print(f"{rel}: installed (sha256 verified)")
        else:
            missing.append(rel)
    if not missing:
        return
    print(f"not hosted anywhere: {' '.join(missing)}; the workflow trains them with:\n"
          f"  snakemake {' '.join(missing)} --cores 2 --resources gpu=1")
    if args.no_train:
        raise UserError(f"{len(missing)} checkpoint(s) missing: {', '.join(missing)}")
    snakemake = os.path.join(os.path.dirname(sys.executable), "snakemake")
    if not os.path.isfile(snakemake):
        raise UserError("snakemake is not installed next to this Python; run 'bash envs/setup.sh' first")
    proc = subprocess.run([snakemake, *missing, "--cores", "2", "--resources", "gpu=1"], cwd=args.root)
    if proc.returncode != 0:
        raise UserError(f"training the missing checkpoints failed (snakemake exit {proc.returncode})")


if __name__ == "__main__":
    main()
