"""deploy/: the container image, compose and Kubernetes files agree with the launcher and are right for Streamlit's
websocket (health path, sticky sessions, upgrade headers, long timeouts, one port). No container engine runs here:
these checks read the files (stdlib only), run Debian's nginx -t on the compose proxy config when nginx is
installed, and validate against the real schemas with the validators requirements-dev.txt installs (kubernetes-validate,
check-jsonschema, dockerfile-parse; DEPLOY_VALIDATORS=/path/to/venv points elsewhere), skipping cleanly without them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.server import streamlit_command

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"
PORT = "8501"
HEALTH = "/_stcore/health"
VALIDATORS = Path(os.environ["DEPLOY_VALIDATORS"]) / "bin" if os.environ.get("DEPLOY_VALIDATORS") else Path(sys.executable).parent


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def k8s_docs() -> list[str]:
    return [d for d in (DEPLOY / "k8s.yaml").read_text().split("\n---\n") if "kind:" in d]


def k8s_doc(kind: str) -> str:
    (doc,) = [d for d in k8s_docs() if re.search(rf"^kind: {kind}$", d, re.M)]
    return doc


# ---- the image -----------------------------------------------------------------------------------------------


def test_image_runs_the_launchers_command_on_all_interfaces():
    """The container's CMD is the command deploy/serve.py runs for a replica, bound to 0.0.0.0 instead of loopback."""
    cmd = [args for word, args in instructions(DEPLOY / "Dockerfile") if word == "CMD"]
    assert len(cmd) == 1
    image = json.loads(cmd[0])  # exec form: signals reach Streamlit, no shell in between
    replica = ["python", *streamlit_command("app.py", int(PORT))[1:]]
    replica[replica.index("--server.address") + 1] = "0.0.0.0"
    assert image == replica


def test_image_exposes_and_checks_the_one_port():
    ins = instructions(DEPLOY / "Dockerfile")
    assert ("EXPOSE", PORT) in ins
    (health,) = [a for w, a in ins if w == "HEALTHCHECK"]
    assert f"http://127.0.0.1:{PORT}{HEALTH}" in health


def test_image_copies_what_the_app_imports_and_the_context_sends_it():
    copied = {a.split()[0] for w, a in instructions(DEPLOY / "Dockerfile") if w == "COPY"}
    needed = {"requirements.txt", "app.py", "core", "figures", "pages", ".streamlit"}
    assert needed <= copied
    ignore = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert "*" in ignore and {f"!{n}" for n in needed} <= set(ignore)


# ---- compose + its nginx ---------------------------------------------------------------------------------------


def test_compose_ports_and_health_are_consistent():
    compose = (DEPLOY / "docker-compose.yml").read_text()
    assert f'expose: ["{PORT}"]' in compose
    assert "condition: service_healthy" in compose  # nginx starts once the image's HEALTHCHECK passes
    assert re.search(r'ports: \["\d+:80"\]', compose)
    assert "./nginx-compose.conf:/etc/nginx/conf.d/default.conf" in compose
    conf = (DEPLOY / "nginx-compose.conf").read_text()
    assert re.search(r"^\s*listen 80;", conf, re.M)
    assert re.search(rf"^\s*server app:{PORT}\b", conf, re.M)


def websocket_block(conf: str) -> str:
    m = re.search(r"location /_stcore/stream \{(.*?)\n\s*\}", conf, re.S)
    assert m, "no websocket location"
    return m.group(1)


@pytest.mark.parametrize("name", ["nginx-compose.conf", "nginx.conf.template"])
def test_nginx_proxies_the_websocket(name):
    conf = (DEPLOY / name).read_text()
    ws = websocket_block(conf)
    for line in ("proxy_http_version 1.1;", "proxy_set_header Upgrade $http_upgrade;",
                 "proxy_set_header Connection $connection_upgrade;", "proxy_set_header Host $http_host;",
                 "proxy_buffering off;"):
        assert line in ws, (name, line)
    for d in ("proxy_read_timeout", "proxy_send_timeout"):
        (secs,) = re.findall(rf"{d} (\d+)s;", ws)
        assert int(secs) >= 3 * 3600, (name, d)  # longer than a lecture
    assert re.search(r"map \$http_upgrade \$connection_upgrade \{\s*default upgrade;\s*''\s*close;", conf)
    assert f"location = {HEALTH}" in conf


def test_compose_nginx_pins_a_browser_to_one_replica():
    """Several containers: hash on Streamlit's XSRF cookie (sent with the websocket upgrade), not ip_hash (a hall
    behind one NAT address) and not least_conn (a reconnect could land on a replica without the session)."""
    upstream = re.search(r"upstream streamlit \{(.*?)\}", (DEPLOY / "nginx-compose.conf").read_text(), re.S).group(1)
    active = [ln.split("#")[0].strip() for ln in upstream.splitlines() if ln.split("#")[0].strip()]
    assert "hash $cookie__streamlit_xsrf consistent;" in active
    assert not any(a.startswith(("least_conn", "ip_hash", "random")) for a in active)


@pytest.mark.parametrize("balance", ["sticky", "least_conn", None])
def test_serve_sh_nginx_balances_as_asked_and_pins_by_default(tmp_path, balance):
    """deploy/serve.py (what serve.sh runs) renders the same pinning as the containers by default; least_conn only
    when asked (--balance least_conn)."""
    from deploy.serve import render_config

    conf = render_config(tmp_path, "0.0.0.0:8080", [8081, 8082], **({} if balance is None else {"balance": balance}))
    assert "{{" not in conf.split("are replaced by render_config")[1]  # the header names the placeholders
    upstream = re.search(r"upstream streamlit \{(.*?)\}", conf, re.S).group(1)
    active = [ln.split("#")[0].strip() for ln in upstream.splitlines() if ln.split("#")[0].strip()]
    want = "least_conn;" if balance == "least_conn" else "hash $cookie__streamlit_xsrf consistent;"
    assert want in active and sum(a.startswith(("least_conn", "hash", "ip_hash", "random")) for a in active) == 1


@pytest.mark.skipif(not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="nginx not installed")
def test_compose_nginx_config_passes_nginx_t(tmp_path):
    """The real nginx parses it (as conf.d/default.conf inside the image's http block; "app" is Docker's DNS name,
    replaced by loopback here since nginx resolves upstream names at load)."""
    conf = (DEPLOY / "nginx-compose.conf").read_text().replace(f"server app:{PORT}", f"server 127.0.0.1:{PORT}")
    conf = conf.replace("listen 80;", "listen 127.0.0.1:18099;")
    (tmp_path / "default.conf").write_text(conf)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp_path}/cb;\n  proxy_temp_path {tmp_path}/px;\n"
        f"  fastcgi_temp_path {tmp_path}/fc;\n  uwsgi_temp_path {tmp_path}/uw;\n  scgi_temp_path {tmp_path}/sc;\n"
        f"  include {tmp_path}/default.conf;\n}}\n")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    r = subprocess.run([nginx, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr


def test_container_proxies_keep_their_images_worker_owned_temp_folders():
    """A large response to a slow client is spooled to nginx's proxy temp folder, which the workers must be able to
    write (serve.sh as root had it wrong: tests/test_serve_root.py). The compose and Kubernetes proxies keep their
    images' own folders, which nginx hands to its worker user at start (nginx:1.22: `user nginx`, /var/cache/nginx;
    ingress-nginx runs nginx entirely as www-data): nothing here may move them, change the user or turn spooling off."""
    for name in ("nginx-compose.conf", "k8s.yaml"):
        text = (DEPLOY / name).read_text()
        assert not re.search(r"_temp_path|^\s*user\s|max[-_]temp[-_]file[-_]size|server-snippet|configuration-snippet",
                             text, re.M), name


# ---- Kubernetes -------------------------------------------------------------------------------------------------


def test_k8s_probes_use_the_health_endpoint_on_the_container_port():
    dep = k8s_doc("Deployment")
    assert re.search(rf"containerPort: {PORT}\b", dep)
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert re.search(rf"{probe}:[^\n]*\n\s*httpGet: \{{path: {HEALTH}, port: {PORT}\}}", dep), probe
    svc = k8s_doc("Service")
    assert re.search(rf"targetPort: {PORT}\b", svc)
    ing = k8s_doc("Ingress")
    m = re.search(r"port: \{number: (\d+)\}", ing)
    assert m and re.search(rf"\bport: {m.group(1)}, targetPort", svc)  # the Ingress targets the Service's port


def test_k8s_pins_a_browser_to_one_pod_for_the_websocket():
    ing = k8s_doc("Ingress")
    ann = dict(re.findall(r"nginx\.ingress\.kubernetes\.io/([\w-]+): \"?([^\"\s#]+)\"?", ing))
    assert ann["affinity"] == "cookie" and ann["affinity-mode"] == "persistent"
    assert int(ann["session-cookie-max-age"]) >= 3 * 3600
    assert int(ann["proxy-read-timeout"]) >= 3 * 3600 and int(ann["proxy-send-timeout"]) >= 3 * 3600
    svc = k8s_doc("Service")
    assert "sessionAffinity: ClientIP" in svc
    assert int(re.search(r"timeoutSeconds: (\d+)", svc).group(1)) >= 3 * 3600


def test_every_replica_shares_the_cookie_secret():
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in (DEPLOY / "docker-compose.yml").read_text()
    assert re.search(r"name: STREAMLIT_SERVER_COOKIE_SECRET.*\n\s*valueFrom: \{secretKeyRef", k8s_doc("Deployment"))


# ---- the schemas (validator venv, not the project's requirements) ---------------------------------------------------


def validator(name: str) -> str:
    exe = VALIDATORS / name
    if not exe.exists():
        pytest.skip(f"{exe} absent (pip install -r requirements-dev.txt installs the validators)")
    return str(exe)


@pytest.mark.parametrize("version", ["1.30.0", "1.37.0"])
def test_k8s_manifests_match_the_kubernetes_schema(version):
    r = subprocess.run([validator("kubernetes-validate"), "--strict", "-k", version, str(DEPLOY / "k8s.yaml")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.count("passed for resource") == len(k8s_docs()) == 3


def test_compose_file_matches_the_compose_spec():
    r = subprocess.run([validator("check-jsonschema"), "--builtin-schema", "vendor.compose-spec",
                        str(DEPLOY / "docker-compose.yml")], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_dockerfile_parser_reads_the_same_command():
    code = ("import json,sys; from dockerfile_parse import DockerfileParser as D; d = D(path=sys.argv[1]); "
            "print(json.dumps([d.baseimage, json.loads(d.cmd)]))")
    r = subprocess.run([validator("python"), "-c", code, str(DEPLOY / "Dockerfile")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    base, cmd = json.loads(r.stdout)
    assert base.startswith("python:3.11")
    assert cmd == json.loads(next(a for w, a in instructions(DEPLOY / "Dockerfile") if w == "CMD"))


def test_readme_gives_serve_sh_arguments_and_default_port():
    """The README's hosting section states serve.sh's usage and the port serve.sh really defaults to."""
    section = (DEPLOY.parent / "README.md").read_text().split("## Host it for a class")[1].split("\n## ")[0]
    (port,) = re.findall(r'PORT="\$\{2:-(\d+)\}"', (DEPLOY / "serve.sh").read_text())
    assert "deploy/serve.sh [K] [PORT]" in section and f"PORT = {port}" in section and f":{port}`" in section
    for command in ("hostname -I", "ipconfig getifaddr en0", "`ipconfig`"):
        assert command in section


def test_both_nginx_configs_tell_a_direct_link_where_the_server_is(tmp_path):
    """serve.sh's and compose's nginx put the same base-URL script into a page reached by a direct link
    (tests/browser/test_direct_link_404.py shows it removes the two 404s), for one-segment paths only."""
    from deploy.serve import BASE_URL_SCRIPT, render_config

    rendered = render_config(tmp_path, "8080", [8081])
    for conf in (rendered, (DEPLOY / "nginx-compose.conf").read_text()):
        assert f"sub_filter '<head>' '<head><script>{BASE_URL_SCRIPT}</script>';" in conf
        assert 'location ~ "^/[^/]+/?$" {' in conf
    assert "$" not in BASE_URL_SCRIPT and "'" not in BASE_URL_SCRIPT  # nginx would read a variable / end the string
