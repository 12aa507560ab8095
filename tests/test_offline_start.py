"""`streamlit run app.py` as the README gives it must not reach for the internet at start-up.

Headless Streamlit asks checkip.amazonaws.com for an "External URL" unless browser.serverAddress is set;
offline that is a failed request and a delay. .streamlit/config.toml sets it.
"""

import subprocess
import sys
import time
from pathlib import Path

from deploy.server import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]


def test_start_up_makes_no_external_ip_lookup():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", 60, proc)
        time.sleep(1.0)  # the URL banner is printed right after the server starts listening
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0]
    assert "You can now view your Streamlit app" in out, out
    assert "External URL" not in out and "Did not auto detect external IP" not in out, out
    assert f"http://localhost:{port}" in out
