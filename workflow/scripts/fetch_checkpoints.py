#!/usr/bin/env python3
"""Make every checkpoint the grading scripts need available: what hw2_download.sh runs on the TAs' machine.

For each checkpoint the grading scripts of --year load (2023: ddpm.pt, dann_svhn.pt, dann_usps.pt; every
year's list is in dlcv_hw2/handin/grading.py), or those --only names: keep a local copy; else download it from
the URL that checkpoints/manifest.tsv gives (columns path, url, sha256), verify its sha256 and only then
move it into place (a mismatch or an interrupted download leaves nothing at the path, and a file
already there is kept).

URLs: Google Drive links (drive.google.com/file/d/ID/..., ...?id=ID) go through gdown, as the course
fetches them; Dropbox share links are fetched with dl=1; other http(s) and file URLs through the
standard library (redirects followed). A link that answers with a web page instead of the file (a
private Drive file's sign-in page, a Dropbox preview) is one error line that says how to share it. Only
the course's packages and the standard library are used.

It never trains: a checkpoint that is neither here nor in the manifest is one error line naming both.
On your own machine, --train runs the workflow target that trains what is missing.
"""

import http.client
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

from dlcv_hw2 import course
from dlcv_hw2.core.cli import UserError, cli_main, script_parser
from dlcv_hw2.core.files import sha256_of
from dlcv_hw2.handin import grading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the repository
DRIVE_HOSTS = ("drive.google.com", "docs.google.com", "drive.usercontent.google.com")
DROPBOX_HOSTS = ("dropbox.com", "www.dropbox.com")


def source_of(url):
    """How a manifest URL is fetched: ("drive", file id) through gdown, or ("url", the URL to open with
    urllib); a Dropbox share link becomes its direct download (dl=1)."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qs(parts.query)
    if parts.hostname in DRIVE_HOSTS:
        found = re.search(r"/(?:file/)?d/([\w-]{10,})", parts.path)
        file_id = found.group(1) if found else query.get("id", [None])[0]
        if not file_id:
            raise UserError(f"{url}: a Google Drive link without a file id (expected .../file/d/ID/... or ...?id=ID)")
        return "drive", file_id
    if parts.hostname in DROPBOX_HOSTS:
        query["dl"] = ["1"]
        return "url", urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, doseq=True)))
    return "url", url


def is_web_page(head: bytes, content_type: str = "") -> bool:
    """Whether a download is an HTML page (by its Content-Type, or by how its first bytes begin)."""
    start = head[:512].lstrip().lower()
    return content_type == "text/html" or start.startswith((b"<!doctype html", b"<html"))


def web_page_error(url):
    return UserError(
        f"{url} answers with a web page, not the checkpoint: the link must download the file itself (share a "
        "Google Drive file as 'Anyone with the link'; a Dropbox link with dl=1); nothing installed"
    )


def fetch_url(url, out, timeout=60):
    """The body of ``url`` into the open file ``out``; refuses a web page and a body shorter than its
    Content-Length."""
    with urllib.request.urlopen(url, timeout=timeout) as resp:
        expected = resp.headers.get("Content-Length")
        got = 0
        while chunk := resp.read(1 << 20):
            if got == 0 and is_web_page(chunk, resp.headers.get_content_type()):
                raise web_page_error(url)
            out.write(chunk)
            got += len(chunk)
    if expected is not None and got != int(expected):
        raise UserError(f"download of {url} was cut short ({got} of {expected} bytes); nothing installed")


def fetch_drive(file_id, path):
    """A Google Drive file into ``path`` with gdown (in the course's package list; imported only here)."""
    try:
        import gdown
    except ImportError:
        raise UserError("gdown is not installed; it fetches the Google Drive links of the manifest") from None
    url = f"https://drive.google.com/uc?id={file_id}"
    try:
        done = gdown.download(url=url, output=path, quiet=False)
    except Exception as exc:  # gdown's own errors differ between its versions; each is one line here
        raise UserError(f"download of {url} failed ({type(exc).__name__}: {exc}); nothing installed") from None
    if not done:  # older gdown returns None instead of raising
        raise UserError(f"download of {url} failed (gdown could not fetch it); nothing installed")


def download(url, sha256, dest, timeout=60):
    """Download to a temporary file beside ``dest``; install it only when the sha256 matches."""
    kind, where = source_of(url)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".download-", dir=os.path.dirname(dest))
    try:
        with os.fdopen(fd, "wb") as out:
            if kind == "url":
                fetch_url(where, out, timeout)
        if kind == "drive":
            fetch_drive(where, tmp)
            with open(tmp, "rb") as f:
                if is_web_page(f.read(512)):
                    raise web_page_error(url)
        got = sha256_of(tmp)
        if got != sha256:
            raise UserError(f"{url}: sha256 {got} does not match the manifest's {sha256}; nothing installed")
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except urllib.error.HTTPError as exc:
        raise UserError(f"download of {url} failed (HTTP {exc.code} {exc.reason}); nothing installed") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        raise UserError(f"download of {url} failed ({getattr(exc, 'reason', exc)}); nothing installed") from None
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def train(missing, root):
    """On the student's own machine (--train): the workflow target that trains the missing checkpoints."""
    snakemake = os.path.join(os.path.dirname(sys.executable), "snakemake")
    if not os.path.isfile(snakemake):
        raise UserError("snakemake is not installed next to this Python; run 'bash envs/setup.sh' first")
    proc = subprocess.run([snakemake, *missing, "--cores", "2", "--resources", "gpu=1"], cwd=root)
    if proc.returncode != 0:
        raise UserError(f"training the missing checkpoints failed (snakemake exit {proc.returncode})")


@cli_main
def main(argv=None):
    ap = script_parser(__doc__)
    ap.add_argument("--root", default=ROOT, help="folder holding checkpoints/ (default: the repository)")
    ap.add_argument("--manifest", help="default: ROOT/checkpoints/manifest.tsv")
    ap.add_argument(
        "--train",
        action="store_true",
        help="your own machine only: train what is neither here nor in the manifest with the workflow",
    )
    ap.add_argument(
        "--year",
        choices=tuple(course.YEARS),
        default=course.DEFAULT,
        help=f"whose grading scripts (default: {course.DEFAULT})",
    )
    ap.add_argument("--only", nargs="+", choices=course.ALL_CHECKPOINTS, help="handle only these checkpoints")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.root):
        raise UserError(f"--root {args.root} is not a folder")
    manifest_path = args.manifest or os.path.join(args.root, "checkpoints", "manifest.tsv")
    manifest = grading.read_manifest(manifest_path, required=bool(args.manifest))
    missing = []
    for rel in args.only or course.year(args.year).checkpoints():
        dest = os.path.join(args.root, rel)
        if os.path.isdir(dest):
            raise UserError(f"{dest} is a folder; the checkpoint goes there as a file")
        if os.path.isfile(dest):
            differs = rel in manifest and sha256_of(dest) != manifest[rel][1]
            print(
                f"{rel}: present"
                + (" (kept; its sha256 differs from the manifest's: update the manifest)" if differs else "")
            )
        elif rel in manifest:
            print(f"{rel}: downloading")
            download(*manifest[rel], dest)
            print(f"{rel}: installed (sha256 verified)")
        else:
            missing.append(rel)
    if not missing:
        return
    if not args.train:
        raise UserError(
            f"{', '.join(missing)}: not here and not listed in {manifest_path} (add a line "
            "'path<TAB>url<TAB>sha256' for each; on your own machine --train trains them)"
        )
    print(f"training on this machine: snakemake {' '.join(missing)} --cores 2 --resources gpu=1")
    train(missing, args.root)


if __name__ == "__main__":
    main()
