"""hw2_download.sh against a real HTTP server on 127.0.0.1."""
import hashlib
import http.server
import os
import subprocess
import threading

import pytest

from conftest import REPO, assert_one_line_error

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
    return subprocess.run(["bash", os.path.join(REPO, "hw2_download.sh"), "--root", str(root), "--only",
                           "checkpoints/ddpm.pt", "--no-train", *extra], capture_output=True, text=True, timeout=120)


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
    (tmp_path / "checkpoints" / "manifest.tsv").write_text("path\turl\tsha256\n")
    proc = subprocess.run(["bash", os.path.join(REPO, "hw2_download.sh"), "--root", str(tmp_path), "--no-train"],
                          capture_output=True, text=True, timeout=60)
    assert_one_line_error(proc, "3 checkpoint(s) missing")
    assert "snakemake checkpoints/ddpm.pt checkpoints/dann_svhn.pt checkpoints/dann_usps.pt" in proc.stdout


def _manifest(root, text):
    (root / "checkpoints").mkdir(exist_ok=True)
    (root / "checkpoints" / "manifest.tsv").write_text(text)


def _run(root, *args):
    return subprocess.run(["bash", os.path.join(REPO, "hw2_download.sh"), "--root", str(root), *args],
                          capture_output=True, text=True, timeout=120)


GOOD_SHA = hashlib.sha256(PAYLOAD).hexdigest()
ONLY = ("--only", "checkpoints/ddpm.pt", "--no-train")


def bad_not_found(root, server):
    _manifest(root, f"checkpoints/ddpm.pt\t{server}/gone.pt\t{GOOD_SHA}\n")
    return ONLY, "HTTP 404 Not Found"


def bad_two_columns(root, server):
    _manifest(root, f"path\turl\tsha256\ncheckpoints/ddpm.pt\t{server}/ddpm.pt\n")
    return ONLY, "line 2 must be 'path<TAB>url<TAB>sha256'"


def bad_sha_not_hex(root, server):
    _manifest(root, f"checkpoints/ddpm.pt\t{server}/ddpm.pt\t{'z' * 64}\n")
    return ONLY, "line 1 must be"


def bad_unknown_path(root, server):
    _manifest(root, f"checkpoints/../../evil.pt\t{server}/ddpm.pt\t{GOOD_SHA}\n")
    return ONLY, "is not a checkpoint the grading scripts use"


def bad_url_scheme(root, server):
    _manifest(root, f"checkpoints/ddpm.pt\tftp://127.0.0.1/ddpm.pt\t{GOOD_SHA}\n")
    return ONLY, "is not an http(s) or file URL"


def bad_url_without_host(root, server):
    _manifest(root, f"checkpoints/ddpm.pt\thttp:///ddpm.pt\t{GOOD_SHA}\n")
    return ONLY, "nothing installed"


def bad_manifest_missing(root, server):
    return ("--manifest", str(root / "nope.tsv"), *ONLY), "does not exist"


def bad_manifest_binary(root, server):
    (root / "checkpoints").mkdir(exist_ok=True)
    (root / "checkpoints" / "manifest.tsv").write_bytes(b"\xff\xfe\x00binary")
    return ONLY, "is not UTF-8 text"


def bad_root_missing(root, server):
    return ("--root", str(root / "nowhere"), *ONLY), "is not a folder"


def bad_target_is_a_folder(root, server):
    _manifest(root, f"checkpoints/ddpm.pt\t{server}/ddpm.pt\t{GOOD_SHA}\n")
    (root / "checkpoints" / "ddpm.pt").mkdir()
    return ONLY, "is a folder"


def bad_unknown_option(root, server):
    return ("--bogus",), "unrecognized arguments: --bogus"


def bad_unknown_checkpoint(root, server):
    return ("--only", "checkpoints/other.pt"), "invalid choice: 'checkpoints/other.pt'"


BAD = [bad_not_found, bad_two_columns, bad_sha_not_hex, bad_unknown_path, bad_url_scheme, bad_url_without_host,
       bad_manifest_missing, bad_manifest_binary, bad_root_missing, bad_target_is_a_folder, bad_unknown_option,
       bad_unknown_checkpoint]


@pytest.mark.parametrize("case", BAD, ids=[c.__name__[4:] for c in BAD])
def test_hw2_download_bad_input(case, server, tmp_path):
    """One error line, non-zero exit, and no checkpoint (or temporary download) left behind."""
    args, fragment = case(tmp_path, server)
    proc = _run(tmp_path, *args)
    assert_one_line_error(proc, fragment)
    if (tmp_path / "checkpoints").is_dir():
        left = [n for n in leftovers(tmp_path) if n != "ddpm.pt" or not (tmp_path / "checkpoints" / n).is_dir()]
        assert left == [], left
