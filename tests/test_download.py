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
