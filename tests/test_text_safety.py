"""Text input safety and the hosting configuration.

1. Source scan (AST) of everything that runs on the server for a student (app.py, pages/, figures/, core/):
   - every ``unsafe_allow_html=True`` / ``st.html`` / ``components.html`` call takes only static strings or
     strings built from our own numbers and palette: no URL parameter, session state or typed text flows
     into it (checked through local variables, one assignment deep);
   - nothing evaluates, compiles, unpickles or shells out (eval, exec, compile, pickle, marshal, shelve,
     yaml.load, allow_pickle, os.system, subprocess, __import__).
2. AppTest: an HTML / script payload in every URL parameter (known or unknown key) and in the vector text
   field never appears verbatim in anything the app renders (markdown, alerts, HTML, LaTeX, chart JSON,
   labels); it is rejected with a sanitised message instead.
3. The user text that can reach the screen (decode problems, parse_vector errors) is sanitised for any input.
4. Hosting configuration: XSRF protection on, no usage statistics, no error details for students, the viewer
   toolbar, and nothing in deploy/ turns any of that off.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core import state
from pages._ui import PAGES

ROOT = Path(__file__).resolve().parents[1]
SERVER_FILES = sorted([ROOT / "app.py", *(ROOT / "pages").rglob("*.py"), *(ROOT / "figures").glob("*.py"),
                       *(ROOT / "core").glob("*.py")])  # pages/ recursively: the frame is the package pages/_ui/
# The one exec the server may run: the router's own page file, as StreamlitPage.run does (pages/_compat.py), never text.
ALLOWED_EXEC = {("pages/_compat.py", "exec_page")}
HTML_SINKS = {"html"}  # st.html, components.html, st.components.v1.html
CARD_SINKS = {"cards"}  # the frame's ui.cards: markdown inside HTML cards, so its items are checked like an HTML body
# Names and attributes that carry what a student typed or linked: never allowed inside an HTML sink.
TAINTED = {"params", "query_params", "session_state", "ss", "query", "text", "raw", "problems", "ztext", "w_ztext",
           "text_input", "text_area", "chat_input", "to_dict", "get_all", "_text_error", "message", "label_text"}
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "input"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "joblib", "subprocess", "pty", "ctypes"}
FORBIDDEN_ATTRS = {("os", "system"), ("os", "popen"), ("yaml", "load"), ("yaml", "unsafe_load"), ("pd", "read_pickle"),
                   ("np", "load"), ("os", "exec"), ("os", "spawn")}


SANITIZERS = {"escape", "sanitize", "int", "float", "len", "bool", "round", "abs", "color", "subscript"}  # safe results


def _names(node: ast.AST) -> set[str]:
    """Names whose VALUE ends up in the expression's result (not conditions, not sanitised calls)."""
    out: set[str] = set()

    def visit(n: ast.AST) -> None:
        if isinstance(n, ast.IfExp):  # the condition picks a branch; only the branches are rendered
            visit(n.body)
            visit(n.orelse)
            return
        if isinstance(n, ast.comprehension):
            visit(n.target)
            visit(n.iter)
            return  # n.ifs only filter
        if isinstance(n, ast.Call):
            fn = n.func.attr if isinstance(n.func, ast.Attribute) else n.func.id if isinstance(n.func, ast.Name) else ""
            if fn in SANITIZERS:
                return
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
        elif isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in ("w_ztext", "_text_error"):
            out.add(n.value)
        for child in ast.iter_child_nodes(n):
            visit(child)

    visit(node)
    return out


def _assignments(tree: ast.AST) -> dict[str, list[ast.AST]]:
    """name -> every expression assigned to it anywhere in the module (any scope)."""
    out: dict[str, list[ast.AST]] = {}
    for n in ast.walk(tree):
        if isinstance(n, ast.Assign):
            for t in n.targets:
                for name in (x.id for x in ast.walk(t) if isinstance(x, ast.Name)):
                    out.setdefault(name, []).append(n.value)
        elif isinstance(n, (ast.AnnAssign, ast.AugAssign)) and isinstance(n.target, ast.Name) and n.value is not None:
            out.setdefault(n.target.id, []).append(n.value)
        elif isinstance(n, (ast.For, ast.comprehension)):
            for name in (x.id for x in ast.walk(n.target) if isinstance(x, ast.Name)):
                out.setdefault(name, []).append(n.iter)
    return out


def _tainted(expr: ast.AST, assigned: dict[str, list[ast.AST]], depth: int = 2) -> set[str]:
    """Tainted names used by ``expr``, following local variables ``depth`` assignments back."""
    names = _names(expr)
    bad = names & TAINTED
    if depth > 0:
        for name in names - bad:
            for value in assigned.get(name, []):
                bad |= _tainted(value, assigned, depth - 1)
    return bad


def html_sinks(tree: ast.AST):
    """Calls that render HTML: (call, the HTML argument)."""
    for n in ast.walk(tree):
        if not isinstance(n, ast.Call):
            continue
        fn = n.func.attr if isinstance(n.func, ast.Attribute) else n.func.id if isinstance(n.func, ast.Name) else ""
        unsafe = any(k.arg == "unsafe_allow_html" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                     for k in n.keywords)
        if unsafe or fn in HTML_SINKS:
            body = n.args[0] if n.args else next((k.value for k in n.keywords if k.arg in ("body", "html")), None)
            yield n, body
        elif fn in CARD_SINKS:  # ui.cards(ctx, items, heading=...) puts its items and heading into HTML
            yield n, ast.Tuple(elts=[*n.args[1:], *(k.value for k in n.keywords if k.arg == "heading")], ctx=ast.Load())


@pytest.mark.parametrize("path", SERVER_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_html_sinks_take_no_user_text(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    assigned = _assignments(tree)
    for call, body in html_sinks(tree):
        where = f"{path.relative_to(ROOT)}:{call.lineno}"
        assert body is not None, f"{where}: an HTML sink without a body argument"
        bad = _tainted(body, assigned)
        assert not bad, f"{where}: HTML built from user-derived text ({', '.join(sorted(bad))}); escape it, or use numbers"


def test_the_scan_catches_tainted_html():
    """The scanner itself: it flags user text, also through a variable, and passes static markup."""
    bad = ast.parse("import streamlit as st\nv = st.query_params['z']\nst.markdown(f'<b>{v}</b>', unsafe_allow_html=True)\n"
                    "st.html('<p>' + ctx.params['loss'] + '</p>')\n")
    assigned = _assignments(bad)
    assert [bool(_tainted(b, assigned)) for _, b in html_sinks(bad)] == [True, True]
    good = ast.parse("CSS = '<style>p{}</style>'\nst.html(CSS)\nst.markdown(' '.join(f'<span style=\"color:{color(k)}\">"
                     "{label(k)}</span>' for k in range(3)), unsafe_allow_html=True)\n"
                     "st.html(f'<p>{escape(st.query_params[\"z\"])}</p>' if ss['present'] else '')\n")
    assigned = _assignments(good)
    assert [bool(_tainted(b, assigned)) for _, b in html_sinks(good)] == [False, False, False]


@pytest.mark.parametrize("path", SERVER_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_nothing_evaluates_unpickles_or_shells_out(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    where = lambda n: f"{path.relative_to(ROOT)}:{n.lineno}"
    allowed = {id(n) for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)
               and (str(path.relative_to(ROOT)), f.name) in ALLOWED_EXEC for n in ast.walk(f)}
    for n in ast.walk(tree):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and not (n.func.id == "exec" and id(n) in allowed):
            assert n.func.id not in FORBIDDEN_CALLS, f"{where(n)}: {n.func.id}() on a server that students reach"
        if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name):
            assert (n.value.id, n.attr) not in FORBIDDEN_ATTRS, f"{where(n)}: {n.value.id}.{n.attr}"
        if isinstance(n, (ast.Import, ast.ImportFrom)):
            mods = [a.name for a in n.names] if isinstance(n, ast.Import) else [n.module or ""]
            for m in mods:
                assert m.split(".")[0] not in FORBIDDEN_MODULES, f"{where(n)}: imports {m}"
        if isinstance(n, ast.keyword) and n.arg == "allow_pickle":
            assert isinstance(n.value, ast.Constant) and n.value.value is False, f"{path}: allow_pickle"


# ---- 2. payloads through AppTest -------------------------------------------------------------------

PAYLOADS = ['<img src=x onerror=alert("xss")>', "<script>alert('xss')</script>", '"><svg/onload=alert(1)>']
MARKERS = [b"<img", b"<script", b"<svg", b"onerror=", b"onload=", b"alert("]  # none may reach a rendered element
TEXT_WIDGETS = {"text_input", "text_area"}  # their value is what the student typed; a field shows it as plain text


def _frame_scripts() -> set[str]:
    """The frame's own static script (pages/_ui/client.js), in each of its settings: the one script the app sends.
    It holds no user text (built from constants once per theme), so it is the only <script> allowed."""
    from pages._ui.frame import _client_html

    return {_client_html(present) for present in (False, True)}


def rendered(at: AppTest):
    """Every element of the last run, with its serialized proto (text fields and the frame's own script excepted)."""
    own = _frame_scripts()
    stack = [at._tree]
    while stack:
        node = stack.pop()
        children = getattr(node, "children", None)
        if children:
            stack.extend(children.values())
        proto = getattr(node, "proto", None)
        if proto is not None and getattr(proto, "body", None) in own:
            continue
        if proto is not None and getattr(node, "type", "") not in TEXT_WIDGETS:
            yield node, proto.SerializeToString()


def assert_no_payload(at: AppTest, where: str) -> None:
    assert not at.exception, f"{where}: {at.exception[0].value}"
    for node, blob in rendered(at):
        for m in MARKERS:
            assert m not in blob.lower(), f"{where}: {getattr(node, 'type', node)} renders {m!r}"


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_html_payload_in_every_text_parameter_is_rejected(path):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    if path != PAGES[0].path:
        at.switch_page(path).run()
    for payload in PAYLOADS:
        at.query_params = {**dict.fromkeys(state.TABLE, payload), payload: payload, "x": payload}
        at.run()
        assert_no_payload(at, f"{path} with every parameter = {payload!r}")
        assert any("ignored" in w.value for w in at.warning), f"{path}: the payload link was not reported"
        for key in state.TABLE if payload == PAYLOADS[0] else ():  # one at a time: no bad value hides behind another
            at.query_params = {key: payload}
            at.run()
            assert_no_payload(at, f"{path}?{key}={payload!r}")
        fields = [t for t in at.text_input if str(t.key).startswith("w_ztext") and not t.disabled]
        if fields:
            for text in (payload, f"1, {payload}", f"{payload}, 2, 3"):
                fields[0].input(text).run()
                assert_no_payload(at, f"{path}: vector field {text!r}")
                assert at.error, f"{path}: the vector field accepted {text!r}"
                fields = [t for t in at.text_input if str(t.key).startswith("w_ztext")]


# ---- 3. what can reach the screen is sanitised -----------------------------------------------------

UNSAFE_CHARS = set("<>&\"'`$\\[]{}*#|!~")


@given(st.dictionaries(st.text(max_size=30), st.text(max_size=80), max_size=6))
def test_decode_problems_are_sanitised(query):
    _, problems = state.decode(query)
    for msg in problems:
        assert not (set(msg) & UNSAFE_CHARS), msg


@given(st.text(max_size=120))
def test_vector_errors_are_sanitised(text):
    values, err = state.parse_vector(text)
    assert (values is None) == (err is not None)
    if err:
        assert not (set(err) & UNSAFE_CHARS), err


# ---- 4. hosting configuration ------------------------------------------------------------------------


def config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_config_keeps_xsrf_on_no_stats_and_no_error_details():
    c = config()
    assert c.get("server", {}).get("enableXsrfProtection", True) is True, "XSRF protection must stay on"
    assert c.get("server", {}).get("enableCORS", True) is True, "CORS off would also weaken XSRF"
    assert c.get("browser", {}).get("gatherUsageStats") is False, "set browser.gatherUsageStats = false"
    assert c.get("client", {}).get("showErrorDetails") in ("none", False), "students must not see tracebacks"
    assert c.get("client", {}).get("toolbarMode", "auto") in ("viewer", "minimal"), "no developer menu for students"
    assert c.get("global", {}).get("developmentMode", False) is False
    assert c.get("server", {}).get("runOnSave", False) is False


DEPLOY_FILES = [*sorted(p for p in (ROOT / "deploy").glob("*") if p.is_file()), ROOT / "app.py"]
WEAKENING = [
    r"enableXsrfProtection[\"'\s=,]*(false|False|0)", r"ENABLE_XSRF_PROTECTION\s*[:=]\s*[\"']?(false|0)",
    r"gatherUsageStats[\"'\s=,]*(true|True|1)", r"GATHER_USAGE_STATS\s*[:=]\s*[\"']?(true|1)",
    r"showErrorDetails[\"'\s=,]*(full|stacktrace|true|True|type)", r"SHOW_ERROR_DETAILS\s*[:=]\s*[\"']?(full|stacktrace|true)",
    r"enableCORS[\"'\s=,]*(false|False)", r"toolbarMode[\"'\s=,]*developer", r"developmentMode[\"'\s=,]*(true|True)",
]


@pytest.mark.parametrize("path", DEPLOY_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_deploy_does_not_override_the_safe_settings(path):
    text = path.read_text(errors="replace")
    for pattern in WEAKENING:
        m = re.search(pattern, text)
        assert m is None, f"{path.relative_to(ROOT)} weakens the hosting config: {m.group(0)!r}"


def test_replicas_behind_nginx_listen_on_loopback_only():
    """deploy/serve.py starts its replicas through deploy/server.py's launch(), whose command binds 127.0.0.1."""
    from deploy.server import streamlit_command

    cmd = streamlit_command("app.py", 8081)
    assert cmd.count("--server.address") == 1 and cmd[cmd.index("--server.address") + 1] == "127.0.0.1", cmd
    text = (ROOT / "deploy" / "serve.py").read_text()
    assert "from deploy.server import" in text and "launch(" in text and "streamlit run" not in text.split('"""', 2)[2]
    assert '"streamlit", "run"' not in text, "replicas must be started by deploy.server, bound to loopback"
