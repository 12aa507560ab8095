"""One simulated class: students arrive over ``ramp_s``, load the page, then each changes a random widget every
U(think_s) seconds until the class ends; a dropped websocket is reconnected and the view checked."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable, Sequence

from websockets.exceptions import ConnectionClosed

from bench.loadsim.protocol import Student, Widget, interactive
from bench.loadsim.results import ClassResult, Event, Reconnect, ServerProbe

RECONNECT_ATTEMPTS = 20


class _Class:
    """The state the students of one class share: the result they record into, the clock and the settings."""

    def __init__(self, res: ClassResult, query: str, think_s: tuple[float, float], seed: int,
                 widget_filter: Callable[[Widget], bool] | None, rerun_timeout_s: float, reconnect: bool,
                 min_moves: int):
        self.res, self.query, self.think_s, self.seed = res, query, think_s, seed
        self.usable = widget_filter or (lambda w: True)
        self.rerun_timeout_s, self.reconnect, self.min_moves = rerun_timeout_s, reconnect, min_moves
        self.t0 = time.monotonic()
        self.end = self.t0 + res.ramp_s + res.duration_s

    def record(self, k: int, kind: str, lat: float, nbytes: int) -> None:
        res = self.res
        t = time.monotonic() - self.t0
        res.events.append(Event(k, t, kind, lat, nbytes))
        res.timelines.setdefault(k, []).append((t, lat))
        res.bytes_per_rerun.append(nbytes)
        (res.first_load if kind == "first" else res.interaction if kind == "interaction" else []).append(lat)

    def error(self, k: int, what: str) -> None:
        self.res.errors.append(f"student {k}: {what}"[:300])

    async def student(self, k: int) -> None:
        """Student ``k``: arrive, load the page, then move widgets until the class ends."""
        res = self.res
        rng = random.Random(self.seed * 100_003 + k)
        await asyncio.sleep(res.ramp_s * k / res.students if res.students > 1 else 0.0)
        s = Student(k, res.base_url, res.page, self.query, self.rerun_timeout_s)
        try:
            t = time.monotonic()
            try:
                await s.connect()
                nb = await s.rerun()
            except Exception as e:
                self.error(k, f"first load: {type(e).__name__}: {e}")
                return
            self.record(k, "first", time.monotonic() - t, nb)
            moves = 0
            while True:
                await asyncio.sleep(rng.uniform(*self.think_s))
                if time.monotonic() >= self.end and moves >= self.min_moves:
                    return
                choices = [w for w in s.widgets.values() if interactive(w) and self.usable(w)]
                if not choices:
                    await asyncio.sleep(max(0.0, self.end - time.monotonic()))
                    return
                moved = await self.move(s, rng.choice(choices), rng)
                if moved is None:
                    return
                moves += moved
        finally:
            res.errors.extend(f"student {k}: {p}" for p in s.problems)
            res.exceptions += len(s.exceptions)
            res.exception_messages.extend(s.exceptions)
            await s.close()

    async def move(self, s: Student, w: Widget, rng: random.Random) -> int | None:
        """Change ``w`` and time the rerun: 1 for a timed move, 0 after a reconnect, None when the student stops."""
        prev_view, prev_query = s.view(), s.query
        s.change(w, rng)
        t = time.monotonic()
        try:
            nb = await s.rerun(list(s.changed.values()), s.fragment(w))
        except ConnectionClosed as e:
            self.error(s.k, f"websocket dropped: {e}")
            if not self.reconnect or time.monotonic() >= self.end:
                return None
            return 0 if await self.come_back(s, prev_view, prev_query) else None
        except Exception as e:
            self.error(s.k, f"interaction: {type(e).__name__}: {e}")
            return None
        self.record(s.k, "interaction", time.monotonic() - t, nb)
        return 1

    async def come_back(self, s: Student, prev_view: dict, prev_query: str) -> bool:
        """Reconnect as the browser does (a fresh session with the address bar's query string) and check the view.
        False if every attempt failed."""
        t = time.monotonic()
        await s.close()
        s.cache.clear()
        s.changed, s.values = {}, {}
        sent_query = s.query
        for attempt in range(RECONNECT_ATTEMPTS):
            try:
                await s.connect()
                nb = await s.rerun()
                break
            except Exception as e:
                await s.close()
                if attempt == RECONNECT_ATTEMPTS - 1:
                    self.error(s.k, f"reconnect failed: {e}")
                    return False
                await asyncio.sleep(0.5)
        lat = time.monotonic() - t
        self.record(s.k, "reconnect", lat, nb)
        self.res.reconnects.append(Reconnect(s.k, time.monotonic() - self.t0, lat, *same_view(s, sent_query,
                                                                                              prev_view, prev_query)))
        return True


def same_view(s: Student, sent_query: str, prev_view: dict, prev_query: str) -> tuple[bool, str]:
    """After a reconnect: (same view?, what differed). The view lives in the URL: the new replica must render exactly
    the address bar's view (it rewrites the URL otherwise), and if the lost interaction never reached the address
    bar, the widgets must be exactly as before it."""
    after = s.view()
    same = s.query == sent_query and (sent_query != prev_query or after == prev_view)
    if same:
        return True, ""
    if s.query != sent_query:
        return False, f"url {sent_query!r} -> {s.query!r}"[:300]
    diff = [f"{lbl}: {prev_view.get(lbl)} -> {after.get(lbl)}" for lbl in sorted(set(prev_view) | set(after))
            if prev_view.get(lbl) != after.get(lbl)]
    return False, ("widgets " + ", ".join(diff))[:300]


async def run_class(
    base_url: str,
    page: str = "",
    students: int = 30,
    ramp_s: float = 10.0,
    duration_s: float = 30.0,
    think_s: tuple[float, float] = (0.0, 6.0),
    query: str = "",
    seed: int = 0,
    *,
    pids: Sequence[int] = (),
    widget_filter: Callable[[Widget], bool] | None = None,
    rerun_timeout_s: float = 60.0,
    reconnect: bool = True,
    min_moves: int = 0,
) -> ClassResult:
    """Simulate a class; see the bench.loadsim docstring."""
    res = ClassResult(base_url, page, students, ramp_s, duration_s)
    probe = ServerProbe(pids) if pids else None
    sampler = asyncio.create_task(probe.sample()) if probe else None
    cls = _Class(res, query, think_s, seed, widget_filter, rerun_timeout_s, reconnect, min_moves)
    await asyncio.gather(*(cls.student(k) for k in range(students)))
    res.wall_s = time.monotonic() - cls.t0
    if probe:
        sampler.cancel()
        res.server = probe.stats(len(res.events))
    return res
