"""A Redis-backed ``Store``: several emulator processes (``serve --workers N``) act as one Zoho.

Layout (every key under one prefix, ``mz:`` by default):

* documents: one hash per namespace (``mz:doc:<ns>``, field = key, value = orjson), plus a set of
  namespaces (``mz:nss``);
* counters: plain integers (``mz:ctr:<key>``);
* sliding windows: sorted sets scored by virtual time (``mz:win:<key>``), trimmed and hit in one
  Lua script;
* locks: ``redis-py`` locks (``mz:lock:<name>``);
* the limiter's whole check-then-commit step: one Lua script (``limits_admit``);
* the journal: a capped list (``RedisJournal``);
* the clock's anchors and the config: a hash (``mz:state``) every process re-reads when its version
  moves, checked once per request (``mock_zoho.storage.shared.SharedState``). ``clear()`` keeps it: a reset
  forgets data, not the time or the settings. It also holds ``gen``, the data generation (moved by
  every document write) that replayed answers are stamped with.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from typing import Any, Iterator, Mapping

import orjson
import redis

from ..journal import Journal, filter_entries, newest_matching
from ..limits.engine import ORGS_NS, OVERRIDES_NS, Outcome, Policy
from ..serving.ports import free_port
from .base import Doc, Store, pid_alive
from .shared import SharedState

_WINDOW_HIT = """
local key, seq = KEYS[1], KEYS[2]
local now, window, limit, cost, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', key, '-inf', tonumber(now) - window)
local n = redis.call('ZCARD', key)
if n + cost > limit then
  local o = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return {0, n, o[2] or ''}
end
local last = redis.call('INCRBY', seq, cost)
local args = {}
for i = 1, cost do
  args[#args + 1] = now
  args[#args + 1] = tostring(last - cost + i)
  if #args >= 2000 then redis.call('ZADD', key, unpack(args)); args = {} end
end
if #args > 0 then redis.call('ZADD', key, unpack(args)) end
if ttl > 0 then redis.call('EXPIRE', key, ttl) end
local o = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return {1, n + cost, o[2] or ''}
"""

_WINDOW_COUNT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
local o = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {redis.call('ZCARD', KEYS[1]), o[2] or ''}
"""

_TAKE = """
local v = redis.call('HGET', KEYS[1], ARGV[1])
if v then
  redis.call('HDEL', KEYS[1], ARGV[1])
  redis.call('INCR', KEYS[2])
  redis.call('HINCRBY', KEYS[3], 'gen', 1)
end
return v
"""

# KEYS: minute, day, inflight, blocked, overrides hash, orgs hash, member seq, inflight holders hash
# ARGV: now, per_minute, daily, concurrency (before soft extra), minute_rolling, day_rolling, block_s,
#       count_rejected, org_id, org json, ttl_minute, ttl_day, soft_extra, holder ('' = holds no slot)
_LIMITS_ADMIT_FN = """
local function limits_admit(KEYS, ARGV)
local now_s = ARGV[1]
local now = tonumber(now_s)
local per_minute, daily, conc = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local ov = redis.call('HGET', KEYS[5], ARGV[9])
if ov then
  ov = cjson.decode(ov)
  if type(ov.per_minute) == 'number' then per_minute = ov.per_minute end
  if type(ov.daily) == 'number' then daily = ov.daily end
  if type(ov.concurrency) == 'number' then conc = ov.concurrency end
end
conc = conc + tonumber(ARGV[13])
redis.call('HSETNX', KEYS[6], ARGV[9], ARGV[10])
local ttl_minute, ttl_day = tonumber(ARGV[11]), tonumber(ARGV[12])
local minute_rolling, day_rolling = ARGV[5] == '1', ARGV[6] == '1'
-- a window is a sorted set of event times (rolling) or a plain counter (fixed period)
local function used(key, rolling, span)
  if not rolling then return tonumber(redis.call('GET', key) or '0'), '' end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - span)
  return redis.call('ZCARD', key), redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2] or ''
end
local function count(key, rolling, ttl, n, oldest)
  if rolling then
    redis.call('ZADD', key, now_s, tostring(redis.call('INCR', KEYS[7])))
    n = n + 1
    if oldest == '' then oldest = now_s end
  else
    n = redis.call('INCR', key)
  end
  redis.call('EXPIRE', key, ttl)
  return n, oldest
end
local minute_used, minute_oldest = used(KEYS[1], minute_rolling, 60)
local daily_used, day_oldest = used(KEYS[2], day_rolling, 86400)
local in_flight = tonumber(redis.call('GET', KEYS[3]) or '0')
local blocked = tonumber(redis.call('GET', KEYS[4]) or '0') / 1000.0
local code = 0
if daily_used >= daily then
  code = 45
elseif blocked > now or minute_used >= per_minute then
  code = 44
  local block_s = tonumber(ARGV[7])
  if block_s > 0 and blocked <= now then
    blocked = now + block_s
    redis.call('SET', KEYS[4], string.format('%.0f', blocked * 1000))
  end
elseif in_flight >= conc then
  code = 1070
end
if code == 0 then
  minute_used, minute_oldest = count(KEYS[1], minute_rolling, ttl_minute, minute_used, minute_oldest)
  in_flight = redis.call('INCR', KEYS[3])
  if ARGV[14] ~= '' then redis.call('HINCRBY', KEYS[8], ARGV[14], 1) end
end
if code == 0 or ARGV[8] == '1' then
  daily_used, day_oldest = count(KEYS[2], day_rolling, ttl_day, daily_used, day_oldest)
end
return {code, minute_used, minute_oldest, daily_used, day_oldest, in_flight, tostring(blocked), per_minute, daily, conc}
end
"""
_LIMITS_ADMIT = _LIMITS_ADMIT_FN + "return limits_admit(KEYS, ARGV)"

# KEYS: inflight, its holders hash; ARGV: a holder that is gone. Gives its slots back.
_REAP = """
local n = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
if n > 0 then redis.call('DECRBY', KEYS[1], n) end
redis.call('HDEL', KEYS[2], ARGV[1])
return n
"""

# KEYS: inflight, its holders hash; ARGV: this process. Frees one slot it holds.
_RELEASE = """
redis.call('DECR', KEYS[1])
redis.call('HINCRBY', KEYS[2], ARGV[1], -1)
"""

_JOURNAL_RECORD_FN = """
local function journal_record(KEYS, ARGV)
local id = redis.call('INCR', KEYS[2])
local max = tonumber(ARGV[2])
if redis.call('LLEN', KEYS[1]) >= max then redis.call('INCR', KEYS[3]) end
redis.call('RPUSH', KEYS[1], id .. '\\t' .. ARGV[1])
redis.call('LTRIM', KEYS[1], -max, -1)
return id
end
"""
_JOURNAL_RECORD = _JOURNAL_RECORD_FN + "return journal_record(KEYS, ARGV)"

# A replayed Books answer (mock_zoho.books.replay) in one round trip: the stamp it was cached under
# still holds (clock, config and data unchanged) -> the limiter's step -> on admission, free the
# slot at once (the answer is already made) and journal the call. {-1} when the stamp is stale.
# KEYS: state, the 7 limiter keys, the 3 journal keys; ARGV: clock_v, config_v, gen, the 13
# limiter args, entry json, journal max.
_REPLAY = _LIMITS_ADMIT_FN + _JOURNAL_RECORD_FN + """
local s = redis.call('HMGET', KEYS[1], 'clock_v', 'config_v', 'gen')
if (s[1] or '0') ~= ARGV[1] or (s[2] or '0') ~= ARGV[2] or (s[3] or '0') ~= ARGV[3] then return {-1} end
local a = {}
for i = 4, 17 do a[#a + 1] = ARGV[i] end
local res = limits_admit({KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]}, a)
if res[1] == 0 then
  redis.call('DECR', KEYS[4])
  res[#res + 1] = journal_record({KEYS[10], KEYS[11], KEYS[12]}, {ARGV[18], ARGV[19]})
end
return res
"""


def _f(value: Any) -> float | None:
    if value in (None, b"", ""):
        return None
    return float(value)


def _outcome(res: list[Any]) -> Outcome:
    """The limiter script's reply as an ``Outcome``."""
    code, minute_used, minute_oldest, daily_used, day_oldest, in_flight, blocked, per_minute, daily, conc = res[:10]
    return Outcome(int(code), int(minute_used), _f(minute_oldest), int(daily_used), _f(day_oldest), int(in_flight),
                   float(blocked), int(per_minute), int(daily), int(conc))


class RedisStore(Store):
    """The Store interface on Redis; atomic across processes, not only threads.

    Reads of whole namespaces (``values``, the list pages' source) are served from a per-process
    copy while the namespace's version counter (bumped by every write, in the same round trip) is
    unchanged: one ``GET`` instead of fetching and decoding every document. Like the memory
    store, the documents returned are shared and must be treated as read-only.
    """

    shared = True
    stable_docs = True  # values() returns the same objects until the namespace changes

    def __init__(self, url: str = "redis://127.0.0.1:6379/0", prefix: str = "mz:") -> None:
        self.url = url
        self.prefix = prefix
        self.r = redis.Redis.from_url(url, socket_timeout=30, health_check_interval=30)
        self._window_hit = self.r.register_script(_WINDOW_HIT)
        self._window_count = self.r.register_script(_WINDOW_COUNT)
        self._take = self.r.register_script(_TAKE)
        self._limits_admit = self.r.register_script(_LIMITS_ADMIT)
        self._journal_record = self.r.register_script(_JOURNAL_RECORD)
        self._replay = self.r.register_script(_REPLAY)
        self._reap = self.r.register_script(_REAP)
        self._release = self.r.register_script(_RELEASE)
        self._host = socket.gethostname()
        self._values_cache: dict[str, tuple[bytes, list[Doc]]] = {}

    def ping(self) -> bool:
        return bool(self.r.ping())

    # -- keys ---------------------------------------------------------------------------------
    def _doc(self, ns: str) -> str:
        return f"{self.prefix}doc:{ns}"

    def _ctr(self, key: str) -> str:
        return f"{self.prefix}ctr:{key}"

    def _win(self, key: str) -> str:
        return f"{self.prefix}win:{key}"

    def _ver(self, ns: str) -> str:
        return f"{self.prefix}ver:{ns}"

    @property
    def _nss(self) -> str:
        return f"{self.prefix}nss"

    @property
    def _seq(self) -> str:
        return f"{self.prefix}seq"

    @property
    def state_key(self) -> str:
        return f"{self.prefix}state"

    # -- documents ------------------------------------------------------------------------------
    def get(self, ns: str, key: str) -> Doc | None:
        raw = self.r.hget(self._doc(ns), key)
        return None if raw is None else orjson.loads(raw)

    def put(self, ns: str, key: str, doc: Doc) -> None:
        pipe = self.r.pipeline(transaction=True)
        pipe.hset(self._doc(ns), key, orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS))
        pipe.incr(self._ver(ns))
        pipe.sadd(self._nss, ns)
        pipe.hincrby(self.state_key, "gen", 1)
        pipe.execute()

    def put_many(self, ns: str, docs: Mapping[str, Doc]) -> None:
        if not docs:
            return
        mapping = {k: orjson.dumps(v, option=orjson.OPT_NON_STR_KEYS) for k, v in docs.items()}
        pipe = self.r.pipeline(transaction=True)
        pipe.hset(self._doc(ns), mapping=mapping)
        pipe.incr(self._ver(ns))
        pipe.sadd(self._nss, ns)
        pipe.hincrby(self.state_key, "gen", 1)
        pipe.execute()

    def note(self, ns: str, key: str, doc: Doc) -> None:
        pipe = self.r.pipeline(transaction=True)
        pipe.hsetnx(self._doc(ns), key, orjson.dumps(doc, option=orjson.OPT_NON_STR_KEYS))
        pipe.incr(self._ver(ns))
        pipe.sadd(self._nss, ns)
        pipe.execute()

    def write_batch(self, changes: Mapping[str, Mapping[str, Doc | None]], journal: Journal | None = None,
                    entry: dict[str, Any] | None = None) -> None:
        """Every put and delete of one request in one MULTI/EXEC, with its journal entry (the
        journal's script runs inside the transaction)."""
        pipe = self.r.pipeline(transaction=True)
        for ns, docs in changes.items():
            puts = {k: orjson.dumps(d, option=orjson.OPT_NON_STR_KEYS) for k, d in docs.items() if d is not None}
            gone = [k for k, d in docs.items() if d is None]
            if puts:
                pipe.hset(self._doc(ns), mapping=puts)
                pipe.sadd(self._nss, ns)
            if gone:
                pipe.hdel(self._doc(ns), *gone)
            pipe.incr(self._ver(ns))
        pipe.hincrby(self.state_key, "gen", 1)
        record = journal is not None and entry is not None
        if record:
            entry.pop("id", None)  # type: ignore[union-attr]
            self._journal_record(keys=journal.keys, args=[journal.encode(entry), journal.max_entries],  # type: ignore[union-attr]
                                 client=pipe)
        done = pipe.execute()
        if record:
            entry["id"] = int(done[-1])  # type: ignore[index]

    def delete(self, ns: str, key: str) -> bool:
        pipe = self.r.pipeline(transaction=True)
        pipe.hdel(self._doc(ns), key)
        pipe.incr(self._ver(ns))
        pipe.hincrby(self.state_key, "gen", 1)
        return bool(pipe.execute()[0])

    def take(self, ns: str, key: str) -> Doc | None:
        raw = self._take(keys=[self._doc(ns), self._ver(ns), self.state_key], args=[key])
        return None if raw is None else orjson.loads(raw)

    def values(self, ns: str) -> list[Doc]:
        version = self.r.get(self._ver(ns)) or b"0"
        cached = self._values_cache.get(ns)
        if cached is not None and cached[0] == version:
            return list(cached[1])
        pipe = self.r.pipeline(transaction=True)  # version and contents of one instant
        pipe.get(self._ver(ns))
        pipe.hvals(self._doc(ns))
        version, raws = pipe.execute()
        docs = [orjson.loads(v) for v in raws]
        self._values_cache[ns] = (version or b"0", docs)
        return list(docs)

    def keys(self, ns: str) -> list[str]:
        return [k.decode() for k in self.r.hkeys(self._doc(ns))]

    def count(self, ns: str) -> int:
        return int(self.r.hlen(self._doc(ns)))

    def drop(self, ns: str) -> None:
        pipe = self.r.pipeline(transaction=True)
        pipe.delete(self._doc(ns))
        pipe.incr(self._ver(ns))
        pipe.srem(self._nss, ns)
        pipe.hincrby(self.state_key, "gen", 1)
        pipe.execute()

    def namespaces(self, prefix: str = "") -> list[str]:
        names = sorted(n.decode() for n in self.r.smembers(self._nss) if n.decode().startswith(prefix))
        if not names:
            return []
        pipe = self.r.pipeline(transaction=False)
        for n in names:
            pipe.exists(self._doc(n))
        return [n for n, alive in zip(names, pipe.execute()) if alive]

    def clear(self) -> None:
        """Delete every key under the prefix except the shared clock and config (``mz:state``)."""
        keep = self.state_key.encode()
        self.r.hincrby(self.state_key, "gen", 1)
        versions = f"{self.prefix}ver:".encode()
        batch: list[bytes] = []
        for key in self.r.scan_iter(match=f"{self.prefix}*", count=1000):
            if key == keep or key.startswith(f"{self.prefix}lock:".encode()):
                continue
            if key.startswith(versions):  # versions only grow, so no process keeps a stale copy
                self.r.incr(key)
                continue
            batch.append(key)
            if len(batch) >= 1000:
                self.r.unlink(*batch)
                batch = []
        if batch:
            self.r.unlink(*batch)

    # -- counters -------------------------------------------------------------------------------
    def incr(self, key: str, amount: int = 1) -> int:
        return int(self.r.incrby(self._ctr(key), amount))

    def get_counter(self, key: str) -> int:
        raw = self.r.get(self._ctr(key))
        return int(raw) if raw is not None else 0

    def set_counter(self, key: str, value: int) -> None:
        self.r.set(self._ctr(key), int(value))

    # -- windows --------------------------------------------------------------------------------
    def window_hit(self, key: str, now: float, window_s: float, limit: int, cost: int = 1) -> tuple[bool, int, float | None]:
        ok, n, oldest = self._window_hit(keys=[self._win(key), self._seq], args=[repr(float(now)), window_s, limit, cost, 0])
        return bool(ok), int(n), _f(oldest)

    def window_count(self, key: str, now: float, window_s: float) -> tuple[int, float | None]:
        n, oldest = self._window_count(keys=[self._win(key)], args=[repr(float(now)), window_s])
        return int(n), _f(oldest)

    def window_clear(self, key: str) -> None:
        self.r.delete(self._win(key))

    # -- locks ----------------------------------------------------------------------------------
    @contextmanager
    def lock(self, name: str) -> Iterator[None]:
        lk = self.r.lock(f"{self.prefix}lock:{name}", timeout=60, sleep=0.002, blocking_timeout=60)
        if not lk.acquire():
            raise TimeoutError(f"could not take the store lock {name!r} within 60 s")
        try:
            yield
        finally:
            try:
                lk.release()
            except redis.exceptions.LockError:
                pass  # expired meanwhile: nothing left to release

    # -- the limiter's atomic step (ScriptedLimits) ------------------------------------------------
    def _limits_io(self, p: Policy, now: float, org_json: bytes, overrides_ns: str, orgs_ns: str,
                   scale: float, holder: str = "") -> tuple[list[str], list[Any]]:
        """The keys and arguments of the limiter's Lua step for policy ``p`` at ``now``."""
        slow = min(1.0, float(scale))  # a virtual period lasts period/scale real seconds
        ttl_minute = int(120 / slow) + 5
        ttl_day = int(2 * 86400 / slow) + 5
        minute_key = self._win(p.minute_key) if p.minute_rolling else self._ctr(p.minute_key)
        day_key = self._win(p.day_key) if p.day_rolling else self._ctr(p.day_key)
        soft = p.soft_extra
        keys = [minute_key, day_key, self._ctr(p.inflight_key), self._ctr(p.blocked_key),
                self._doc(overrides_ns), self._doc(orgs_ns), self._seq, self._holders(p.inflight_key)]
        args = [repr(float(now)), p.per_minute, p.daily, p.concurrency - soft, int(p.minute_rolling), int(p.day_rolling),
                p.block_s, int(p.count_rejected), p.org_id, org_json, ttl_minute, ttl_day, soft, holder]
        return keys, args

    def limits_admit(self, p: Policy, now: float, org_doc: Mapping[str, Any], overrides_ns: str, orgs_ns: str,
                     scale: float) -> Outcome:
        keys, args = self._limits_io(p, now, orjson.dumps(dict(org_doc)), overrides_ns, orgs_ns, scale, self.holder)
        return _outcome(self._limits_admit(keys=keys, args=args))

    # -- calls in flight, per process: a process that dies holding some gives them back --------------
    @property
    def holder(self) -> str:
        """This process in a holders hash (a property: gunicorn forks the store into its workers)."""
        return f"{self._host}:{os.getpid()}"

    def _holders(self, inflight_key: str) -> str:
        return f"{self.prefix}holders:{inflight_key}"

    def release_slot(self, inflight_key: str) -> None:
        """Free an admitted call's concurrency slot (``Admission.release``), and this process's share."""
        self._release(keys=[self._ctr(inflight_key), self._holders(inflight_key)], args=[self.holder])

    def reap_dead_holders(self) -> int:
        """Give back the slots held by processes of this machine that are gone (a worker killed
        mid-call; the server replaces it, and the new one calls this). Other machines' processes
        cannot be checked from here. The slots freed."""
        host = f"{self._host}:"
        mark = f"{self.prefix}holders:"
        freed = 0
        for key in self.r.scan_iter(match=f"{mark}*", count=500):
            for field, held in self.r.hgetall(key).items():
                who = field.decode()
                if who.startswith(host) and int(held or 0) > 0 and not pid_alive(int(who[len(host):])):
                    inflight_key = key.decode()[len(mark):]
                    freed += int(self._reap(keys=[self._ctr(inflight_key), key], args=[who]))
        return freed

    # -- replayed answers (AtomicReplay) --------------------------------------------------------
    def generation(self) -> int:
        return int(self.r.hget(self.state_key, "gen") or 0)

    def stamp(self) -> tuple[str, str, str]:
        """What a cached answer is stamped with: the clock, config and data versions, shared by all
        processes on this store."""
        raw = self.r.hmget(self.state_key, "clock_v", "config_v", "gen")
        return tuple((v or b"0").decode() for v in raw)  # type: ignore[return-value]

    def state_versions(self) -> tuple[int, int]:
        """The clock and config versions (``SharedState.sync`` asks on every request)."""
        clock_v, config_v = self.r.hmget(self.state_key, "clock_v", "config_v")
        return int(clock_v or 0), int(config_v or 0)

    def replay(self, stamp: tuple[str, str, str], p: Policy, now: float, entry_json: bytes, journal: "RedisJournal",
               org_json: bytes = b"", scale: float = 1.0):
        """Validate ``stamp``, admit, free the slot and journal in one round trip; None when stale."""
        keys, args = self._limits_io(p, now, org_json, OVERRIDES_NS, ORGS_NS, scale)
        res = self._replay(keys=[self.state_key, *keys, *journal.keys], args=[*stamp, *args, entry_json, journal.max_entries])
        if int(res[0]) == -1:
            return None
        return _outcome(res[:10])

    # -- what the emulator shares through the store ---------------------------------------------
    def make_journal(self, max_entries: int) -> "RedisJournal":
        return RedisJournal(self, max_entries)

    def share(self, emulator) -> SharedState:
        """Share ``emulator``'s clock and config with every other process on this store."""
        return SharedState(self, emulator)

    # the shared-state primitives SharedState is built on (one hash, ``mz:state``)
    errors = (redis.exceptions.RedisError,)

    def state_init(self, values: Mapping[str, bytes | int]) -> None:
        pipe = self.r.pipeline(transaction=True)
        for name, value in values.items():
            pipe.hsetnx(self.state_key, name, value)
        pipe.execute()

    def state_get(self, *names: str) -> list[bytes | None]:
        return self.r.hmget(self.state_key, *names)

    def state_publish(self, name: str, value: bytes, version_field: str) -> int:
        pipe = self.r.pipeline(transaction=True)
        pipe.hset(self.state_key, name, value)
        pipe.hincrby(self.state_key, version_field, 1)
        return int(pipe.execute()[1])


class RedisJournal(Journal):
    """The request journal as a capped Redis list: every worker writes to and reads the same one."""

    def __init__(self, store: RedisStore, max_entries: int = 10000) -> None:  # noqa: D107
        self.store = store
        self.max_entries = int(max_entries)
        p = store.prefix
        self._list, self._seq_key, self._dropped_key = f"{p}journal", f"{p}journal:seq", f"{p}journal:dropped"
        self.keys = [self._list, self._seq_key, self._dropped_key]

    def resize(self, max_entries: int) -> None:
        self.max_entries = int(max_entries)
        self.store.r.ltrim(self._list, -self.max_entries, -1)

    @property
    def dropped(self) -> int:  # type: ignore[override]
        raw = self.store.r.get(self._dropped_key)
        return int(raw) if raw else 0

    @staticmethod
    def encode(entry: dict[str, Any]) -> bytes:
        return orjson.dumps(entry, option=orjson.OPT_NON_STR_KEYS, default=str)

    def record(self, entry: dict[str, Any]) -> int:
        entry.pop("id", None)
        seq = int(self.store._journal_record(keys=self.keys, args=[self.encode(entry), self.max_entries]))
        entry["id"] = seq
        return seq

    def clear(self) -> None:
        self.store.r.delete(self._list, self._dropped_key)

    def __len__(self) -> int:
        return int(self.store.r.llen(self._list))

    def _all(self) -> list[dict[str, Any]]:
        out = []
        for raw in self.store.r.lrange(self._list, 0, -1):
            seq, _, data = raw.partition(b"\t")
            entry = orjson.loads(data)
            entry["id"] = int(seq)
            out.append(entry)
        return out

    def query(self, filters: dict[str, str] | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Newest first, a page of the list at a time, until ``limit`` entries match."""
        return newest_matching(self._newest(), orjson.loads, filters, limit)

    def _newest(self, page: int = 256) -> Iterator[tuple[int, bytes]]:
        end, last = -1, None  # entries appended meanwhile shift the pages: ids only go down
        while True:
            chunk = self.store.r.lrange(self._list, end - page + 1, end)
            for raw in reversed(chunk):
                seq, _, data = raw.partition(b"\t")
                if last is None or int(seq) < last:
                    last = int(seq)
                    yield last, data
            if len(chunk) < page:
                return
            end -= page


@contextmanager
def local_redis_server() -> Iterator[str | None]:
    """A throwaway redis-server on a free loopback port, in a temp dir, without persistence.

    Yields its URL, or ``None`` when no ``redis-server`` binary is installed. For tests, benches
    and trying ``serve --store`` on a laptop.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                 "--dir", tmp], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            client = redis.Redis(port=port)
            for _ in range(250):
                try:
                    client.ping()
                    break
                except redis.exceptions.ConnectionError:
                    time.sleep(0.02)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            proc.wait(timeout=10)
