"""hw2_download.sh against a real HTTP server on 127.0.0.1."""

import hashlib
import http.server
import os
import subprocess
import sys
import threading
import types

import pytest
from conftest import REPO, assert_one_line_error, load_script

PAYLOAD = b"checkpoint bytes " * 1000


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/cut.pt":  # promise more than is sent, then hang up
            self.send_response(200)
            self.send_header("Content-Length", str(len(PAYLOAD) * 2))
            self.end_headers()
            self.wfile.write(PAYLOAD)
            self.wfile.flush()
            self.close_connection = True
            return
        if self.path == "/moved.pt":  # a redirect to the file, as hosting services answer
            self.send_response(302)
            self.send_header("Location", "/ddpm.pt")
            self.end_headers()
            return
        if self.path in ("/page.pt", "/untyped.pt"):  # a sign-in page where the file should be
            body = b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>...</body></html>\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8" if self.path == "/page.pt" else "application/x")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if self.path != "/ddpm.pt":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(PAYLOAD)))
        self.end_headers()
        self.wfile.write(PAYLOAD)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def download(root, url, sha, *extra):
    (root / "checkpoints").mkdir(exist_ok=True)
    (root / "checkpoints" / "manifest.tsv").write_text(f"path\turl\tsha256\ncheckpoints/ddpm.pt\t{url}\t{sha}\n")
    return subprocess.run(
        ["bash", os.path.join(REPO, "hw2_download.sh"), "--root", str(root), "--only", "checkpoints/ddpm.pt", *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


def leftovers(root):
    return [n for n in os.listdir(root / "checkpoints") if n != "manifest.tsv"]


def test_download_verified_and_installed(server, tmp_path):
    proc = download(tmp_path, f"{server}/ddpm.pt", hashlib.sha256(PAYLOAD).hexdigest())
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "checkpoints" / "ddpm.pt").read_bytes() == PAYLOAD
    assert "sha256 verified" in proc.stdout
    # a second run keeps the local file and downloads nothing
    proc = download(tmp_path, f"{server}/missing.pt", "0" * 64)
    assert proc.returncode == 0 and "present" in proc.stdout


def test_a_redirect_is_followed_to_the_file(server, tmp_path):
    proc = download(tmp_path, f"{server}/moved.pt", hashlib.sha256(PAYLOAD).hexdigest())
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "checkpoints" / "ddpm.pt").read_bytes() == PAYLOAD


@pytest.mark.parametrize("page", ["page.pt", "untyped.pt"])  # said by its Content-Type, or by its first bytes
def test_a_web_page_in_place_of_the_file_is_one_line_naming_the_fix(page, server, tmp_path):
    proc = download(tmp_path, f"{server}/{page}", hashlib.sha256(PAYLOAD).hexdigest())
    assert_one_line_error(proc, "answers with a web page, not the checkpoint", "Anyone with the link", "dl=1")
    assert leftovers(tmp_path) == []


def test_a_missing_file_is_one_line_with_its_http_status(server, tmp_path):
    proc = download(tmp_path, f"{server}/gone.pt", hashlib.sha256(PAYLOAD).hexdigest())
    assert_one_line_error(proc, "HTTP 404", "nothing installed")
    assert leftovers(tmp_path) == []


def test_sha_mismatch_installs_nothing(server, tmp_path):
    proc = download(tmp_path, f"{server}/ddpm.pt", "0" * 64)
    assert_one_line_error(proc, "does not match the manifest", "nothing installed")
    assert leftovers(tmp_path) == []


def test_interrupted_download_installs_nothing(server, tmp_path):
    proc = download(tmp_path, f"{server}/cut.pt", hashlib.sha256(PAYLOAD).hexdigest())
    assert proc.returncode != 0 and "nothing installed" in proc.stderr
    assert leftovers(tmp_path) == []


def test_unreachable_and_not_hosted(tmp_path):
    proc = download(tmp_path, "http://127.0.0.1:9/ddpm.pt", "0" * 64)
    assert_one_line_error(proc, "failed", "nothing installed")


def test_nothing_hosted_is_one_line_naming_the_checkpoints_and_the_manifest_and_nothing_trains(tmp_path):
    (tmp_path / "checkpoints").mkdir()
    (tmp_path / "checkpoints" / "manifest.tsv").write_text("path\turl\tsha256\n")
    proc = subprocess.run(
        ["bash", os.path.join(REPO, "hw2_download.sh"), "--root", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    manifest = tmp_path / "checkpoints" / "manifest.tsv"
    assert_one_line_error(
        proc,
        "checkpoints/ddpm.pt, checkpoints/dann_svhn.pt, checkpoints/dann_usps.pt: not here",
        f"not listed in {manifest}",
        "--train",
    )
    assert "snakemake" not in proc.stdout  # the grader's machine never trains
    assert sorted(os.listdir(tmp_path)) == ["checkpoints"]


def test_a_present_checkpoint_is_kept_and_a_stale_manifest_line_is_named(server, tmp_path):
    (tmp_path / "checkpoints").mkdir()
    (tmp_path / "checkpoints" / "ddpm.pt").write_bytes(b"my own training")
    proc = download(tmp_path, f"{server}/ddpm.pt", GOOD_SHA)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "checkpoints/ddpm.pt: present (kept; its sha256 differs from the manifest's: update the manifest)"
    ]
    assert (tmp_path / "checkpoints" / "ddpm.pt").read_bytes() == b"my own training"


@pytest.mark.parametrize("year", ["2021", "2022"])
def test_a_past_years_download_handles_its_own_checkpoints_only(year, tmp_path):
    """past_years/2021/hw2_download.sh asks for the face GAN, the ACGAN and the DANN and DSN models of the
    three 2021 scenarios; past_years/2022/hw2_download.sh for the face GAN and the DDPM and DANN models
    2022 shares with 2023; neither for another year's (run from another folder)."""
    (tmp_path / "checkpoints").mkdir()
    script = os.path.join(REPO, "past_years", year, "hw2_download.sh")
    names = {
        "2021": [
            "face_gan",
            "acgan",
            "dann_usps",
            "dann_svhn_to_mnistm",
            "dann_usps_to_svhn",
            "dsn_usps",
            "dsn_svhn_to_mnistm",
            "dsn_usps_to_svhn",
        ],
        "2022": ["face_gan", "ddpm", "dann_svhn", "dann_usps"],
    }[year]
    proc = subprocess.run(
        ["bash", script, "--root", str(tmp_path)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    last = assert_one_line_error(proc, ": not here and not listed in ")
    assert last.removeprefix("error: ").split(": not here")[0].split(", ") == [f"checkpoints/{n}.pt" for n in names]
    for n in names:
        (tmp_path / "checkpoints" / f"{n}.pt").write_bytes(b"x")
    proc = subprocess.run(
        ["bash", script, "--root", str(tmp_path)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [f"checkpoints/{n}.pt: present" for n in names]


def _manifest(root, text):
    (root / "checkpoints").mkdir(exist_ok=True)
    (root / "checkpoints" / "manifest.tsv").write_text(text)


def _run(root, *args):
    return subprocess.run(
        ["bash", os.path.join(REPO, "hw2_download.sh"), "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


GOOD_SHA = hashlib.sha256(PAYLOAD).hexdigest()
ONLY = ("--only", "checkpoints/ddpm.pt")


# (id, manifest text or None, hw2_download.sh arguments, expected fragment of the error line)
LINE = "checkpoints/ddpm.pt\t{url}\t{sha}\n"
BAD = [
    ("not_found", LINE.format(url="{server}/gone.pt", sha=GOOD_SHA), ONLY, "HTTP 404 Not Found"),
    (
        "two_columns",
        "path\turl\tsha256\ncheckpoints/ddpm.pt\t{server}/ddpm.pt\n",
        ONLY,
        "line 2 must be 'path<TAB>url<TAB>sha256'",
    ),
    ("sha_not_hex", LINE.format(url="{server}/ddpm.pt", sha="z" * 64), ONLY, "line 1 must be"),
    (
        "unknown_path",
        "checkpoints/../../evil.pt\t{server}/ddpm.pt\t" + GOOD_SHA + "\n",
        ONLY,
        "is not a checkpoint the grading scripts use",
    ),
    ("url_scheme", LINE.format(url="ftp://127.0.0.1/ddpm.pt", sha=GOOD_SHA), ONLY, "is not an http(s) or file URL"),
    ("url_without_host", LINE.format(url="http:///ddpm.pt", sha=GOOD_SHA), ONLY, "nothing installed"),
    ("manifest_missing", None, ("--manifest", "{root}/nope.tsv", *ONLY), "does not exist"),
    ("manifest_binary", b"\xff\xfe\x00binary", ONLY, "is not UTF-8 text"),
    ("root_missing", None, ("--root", "{root}/nowhere", *ONLY), "is not a folder"),
    ("target_is_a_folder", LINE.format(url="{server}/ddpm.pt", sha=GOOD_SHA), ONLY, "is a folder"),
    ("unknown_option", None, ("--bogus",), "unrecognized arguments: --bogus"),
    ("unknown_checkpoint", None, ("--only", "checkpoints/other.pt"), "invalid choice: 'checkpoints/other.pt'"),
]


@pytest.mark.parametrize("name, manifest, args, fragment", BAD, ids=[b[0] for b in BAD])
def test_hw2_download_bad_input(name, manifest, args, fragment, server, tmp_path):
    """One error line, non-zero exit, and no checkpoint (or temporary download) left behind."""
    (tmp_path / "checkpoints").mkdir()
    if isinstance(manifest, bytes):
        (tmp_path / "checkpoints" / "manifest.tsv").write_bytes(manifest)
    elif manifest is not None:
        _manifest(tmp_path, manifest.replace("{server}", server))
    if name == "target_is_a_folder":
        (tmp_path / "checkpoints" / "ddpm.pt").mkdir()
    proc = _run(tmp_path, *(a.replace("{root}", str(tmp_path)) for a in args))
    assert_one_line_error(proc, fragment)
    left = [n for n in leftovers(tmp_path) if not (n == "ddpm.pt" and name == "target_is_a_folder")]
    assert left == [], left


# Google Drive links go through gdown, Dropbox share links through urllib with dl=1. No machine here
# reaches either service, so these tests check the dispatch only: the URL each link becomes, and (with a
# stand-in gdown module) that a Drive file is verified and installed like any other download.
@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://drive.google.com/file/d/1AbC-dEf_gHiJkLmN/view?usp=sharing", ("drive", "1AbC-dEf_gHiJkLmN")),
        ("https://drive.google.com/uc?id=1AbC-dEf_gHiJkLmN&export=download", ("drive", "1AbC-dEf_gHiJkLmN")),
        ("https://drive.google.com/open?id=1AbC-dEf_gHiJkLmN", ("drive", "1AbC-dEf_gHiJkLmN")),
        ("https://www.dropbox.com/s/abc123/ddpm.pt?dl=0", ("url", "https://www.dropbox.com/s/abc123/ddpm.pt?dl=1")),
        (
            "https://www.dropbox.com/scl/fi/x1/ddpm.pt?rlkey=k2&dl=0",
            ("url", "https://www.dropbox.com/scl/fi/x1/ddpm.pt?rlkey=k2&dl=1"),
        ),
        ("https://dropbox.com/s/abc123/ddpm.pt", ("url", "https://dropbox.com/s/abc123/ddpm.pt?dl=1")),
        ("https://example.org/ddpm.pt", ("url", "https://example.org/ddpm.pt")),
        ("file:///tmp/ddpm.pt", ("url", "file:///tmp/ddpm.pt")),
    ],
)
def test_each_kind_of_link_is_fetched_its_own_way(url, expected):
    assert load_script("fetch_checkpoints").source_of(url) == expected


def test_a_drive_link_without_an_id_is_refused(tmp_path):
    _manifest(tmp_path, f"checkpoints/ddpm.pt\thttps://drive.google.com/drive/folders\t{GOOD_SHA}\n")
    assert_one_line_error(_run(tmp_path, *ONLY), "a Google Drive link without a file id")


@pytest.mark.parametrize(
    "body, fragment",
    [
        (PAYLOAD, None),
        (PAYLOAD[:100], "does not match the manifest"),
        (None, "gdown could not fetch it"),
        (b"  <html><body>Google Drive - Virus scan warning</body></html>", "answers with a web page"),
    ],
)
def test_a_drive_checkpoint_goes_through_gdown_and_is_verified(body, fragment, tmp_path, monkeypatch, capsys):
    calls = []

    def fake_download(url=None, output=None, quiet=False):
        calls.append(url)
        if body is None:
            return None  # what older gdown does on failure
        with open(output, "wb") as f:
            f.write(body)
        return output

    monkeypatch.setitem(sys.modules, "gdown", types.SimpleNamespace(download=fake_download))
    _manifest(tmp_path, f"checkpoints/ddpm.pt\thttps://drive.google.com/file/d/1AbCdEfGhIjK/view\t{GOOD_SHA}\n")
    fetch = load_script("fetch_checkpoints")
    if fragment is None:
        fetch.main(["--root", str(tmp_path), *ONLY])
        assert (tmp_path / "checkpoints" / "ddpm.pt").read_bytes() == PAYLOAD
    else:
        with pytest.raises(SystemExit) as exit_info:
            fetch.main(["--root", str(tmp_path), *ONLY])
        assert exit_info.value.code == 2 and fragment in capsys.readouterr().err
        assert leftovers(tmp_path) == []
    assert calls == ["https://drive.google.com/uc?id=1AbCdEfGhIjK"]
