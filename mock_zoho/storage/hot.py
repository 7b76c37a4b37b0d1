"""The hot part of the LMDB store: counters, sliding windows and the request journal, kept in one
shared-memory file and updated in place.

Why not in LMDB itself: every Books call moves the limiter and appends to the journal, and an LMDB
write transaction copies every page it touches (copy-on-write, plus its free-list and meta pages)
and releases the GIL on every call. With two workers on two cores those copies and hand-offs cost
more than serving the call. Here the same updates are a few bytes written in place, under
``HotLock``: a named POSIX semaphore, taken without a system call or a GIL release when free
(``_multiprocessing.SemLock``, the primitive behind ``multiprocessing.Lock``). Every LMDB write
transaction of the store takes it too (after LMDB's own lock, never before), so a step that needs
both is atomic, and the replay of a cached answer, which needs only the hot file, takes only it.
Changes made here are not rolled back when an LMDB transaction aborts.

The header also carries a copy of the store's clock, config and data versions (``stamp``),
refreshed after each LMDB commit that moves them, so that checking them costs no LMDB call.

Layout of ``<store dir>/hot.shm`` (little-endian, fixed at creation, sparse: a page takes memory
only once written):

* a header: magic, table sizes, a reset generation, and the journal's head, tail, count, last id
  and dropped count;
* counters: ``COUNTER_SLOTS`` slots of ``[crc u32][gen u32][value i64][key len u16][key]``, open
  addressing on the key's CRC-32. A slot is taken when its ``gen`` is the header's, so ``reset``
  frees every slot at once by moving the generation; a counter at 0 keeps its slot;
* windows: ``WINDOW_SLOTS`` slots, each a key and a ring of ``RING`` buckets ``[time f64][calls i64]``.
  Calls at the same virtual time share a bucket, so a window is exact to the call while it holds at
  most ``RING`` distinct times (a 100-a-minute limit never holds more than 100). Past that (limits
  raised for a load test) a new time joins the newest bucket, which then expires with its newest
  call: a call may be counted a little longer than its window, never less, so no limit is exceeded;
* the journal: a byte ring of ``[len u32][id u64][entry]``; the oldest entries drop (and are
  counted as dropped) when it is full or holds more than the journal's ``max_entries``. A new entry
  goes back to the ring's start once the oldest have left as much room there as the ring holds, so
  the pages in use (memory, once written) span about twice ``max_entries`` entries, not all of
  ``JOURNAL_BYTES``.

A key longer than ``KEY_MAX`` bytes, or one that finds its table full, is the caller's to keep in
LMDB (the methods return ``None`` for it).
"""
from __future__ import annotations

import atexit
import mmap
import os
import struct
import sys
import zlib
from array import array
from threading import get_ident
from typing import Callable, Iterator

from _multiprocessing import SemLock, sem_unlink

from ..limits.engine import ADMITTED, DAY_S, MINUTE_S, Outcome, Policy, judge
from .base import pid_alive

MAGIC = b"MZHOT002"
COUNTER_SLOTS = 8192
WINDOW_SLOTS = 4096
RING = 1024
KEY_MAX = 100
JOURNAL_BYTES = 64 << 20  # bytes of journal entries (about 100,000 typical ones)

_HEADER = struct.Struct("<8sIIIIQqqqqqq")  # magic, counter slots, window slots, ring, key max, journal
#                                            bytes, gen, head, tail, count, last id, dropped
HEADER_BYTES = 4096
C_SLOT_BYTES = 128  # [crc u32][gen u32][value i64][key len u16][key]
C_KEY_AT = 18
W_KEY_AT = 32  # [crc u32][gen u32][unused u32][ring start u32][ring len u32][calls i64][unused][key len u16][key]
W_HEAD_BYTES = W_KEY_AT + KEY_MAX + 12  # 144: the ring starts 16-aligned
_SLOT = struct.Struct("<II")
_RING = struct.Struct("<IIq")  # start, len, calls (at +12 of a window slot)
_BUCKET = struct.Struct("<dq")
_ENTRY = struct.Struct("<IQ")
_WRAP = 0xFFFFFFFF
_I64 = struct.Struct("<q")

# header field offsets (see _HEADER), then the stamp copy, the lock's holder and the lock's name
_GEN, _HEAD, _TAIL, _COUNT, _LAST_ID, _DROPPED = 32, 40, 48, 56, 64, 72
_STAMP, _HOLDER, _RECOVER, _LOCK_NAME = 80, 104, 112, 128  # 3 x i64, i64 pid, i64 flag, 32 bytes
_STAMP3 = struct.Struct("<qqq")
SEMAPHORE = 1  # _multiprocessing's kind for a plain semaphore
LOCK_PATIENCE_S = 2.0  # waits this long before asking whether the holder is still alive


class HotLock:
    """A lock shared by every process on the hot file: a named semaphore, named in the header.

    If the process holding it dies (a killed worker), the next one to wait ``LOCK_PATIENCE_S``
    finds its pid gone and takes the lock over. The process that creates the semaphore removes its
    name when it exits: a process joining after that makes a new one (so the first process of a
    store, the ``serve`` master, should be the last to go)."""

    def __init__(self, m: mmap.mmap, fresh: bool) -> None:
        self.m = m
        raw = bytes(m[_LOCK_NAME:_LOCK_NAME + 32]).rstrip(b"\0")
        sem = None
        if raw and not fresh:
            try:
                sem = SemLock._rebuild(0, SEMAPHORE, 1, raw.decode())
            except FileNotFoundError:
                sem = None
        if sem is None:
            name = f"/mzhot-{os.getpid()}-{os.urandom(6).hex()}"
            sem = SemLock(SEMAPHORE, 1, 1, name, False)
            m[_LOCK_NAME:_LOCK_NAME + 32] = name.encode().ljust(32, b"\0")
            atexit.register(_unlink, name)
        self.sem = sem
        self.pid = os.getpid()
        # run holding the lock by the first process to get it after a holder died (before anything else)
        self.on_takeover: Callable[[], None] | None = None
        self._owner = 0  # the thread of this process holding it, re-entrantly
        self._depth = 0

    def __enter__(self) -> "HotLock":
        me = get_ident()
        if self._owner == me:
            self._depth += 1
            return self
        sem = self.sem
        while not sem.acquire(True, LOCK_PATIENCE_S):
            holder = _I64.unpack_from(self.m, _HOLDER)[0]
            if holder and holder != self.pid and not pid_alive(holder):
                print(f"mock_zoho: process {holder} died holding the shared-state lock; taking it over", file=sys.stderr)
                _I64.pack_into(self.m, _HOLDER, 0)
                _I64.pack_into(self.m, _RECOVER, 1)  # whoever gets the lock next repairs first
                try:
                    sem.release()
                except ValueError:  # another waiter took it over first
                    pass
        _I64.pack_into(self.m, _HOLDER, self.pid)
        self._owner, self._depth = me, 1
        if self.on_takeover is not None and _I64.unpack_from(self.m, _RECOVER)[0]:
            try:
                self.on_takeover()
            except BaseException:
                self.__exit__()
                raise
            _I64.pack_into(self.m, _RECOVER, 0)
        return self

    def __exit__(self, *exc: object) -> None:
        self._depth -= 1
        if self._depth:
            return
        self._owner = 0
        _I64.pack_into(self.m, _HOLDER, 0)
        self.sem.release()


def _unlink(name: str) -> None:
    try:
        sem_unlink(name)
    except OSError:
        pass


class HotState:
    """One process's map of a store's hot file. Every method that changes anything must be called
    holding ``self.lock``; ``counter_get`` and ``stamp`` may be called without it."""

    def __init__(self, path: str, counter_slots: int = COUNTER_SLOTS, window_slots: int = WINDOW_SLOTS,
                 ring: int = RING, journal_bytes: int = JOURNAL_BYTES) -> None:
        """Open (creating if missing or empty) the hot file at ``path``; the caller holds LMDB's write
        lock so that one process creates it. The sizes apply only when the file is created."""
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fresh = os.fstat(fd).st_size < HEADER_BYTES
            if fresh:
                c_bytes = counter_slots * C_SLOT_BYTES
                w_bytes = window_slots * (W_HEAD_BYTES + ring * _BUCKET.size)
                os.ftruncate(fd, HEADER_BYTES + c_bytes + w_bytes + journal_bytes)
                os.pwrite(fd, _HEADER.pack(MAGIC, counter_slots, window_slots, ring, KEY_MAX, journal_bytes,
                                           1, 0, 0, 0, 0, 0), 0)
            size = os.fstat(fd).st_size
            self.m = mmap.mmap(fd, size)
        finally:
            os.close(fd)
        magic, self.c_slots, self.w_slots, self.ring, key_max, self.j_bytes, *_ = _HEADER.unpack_from(self.m, 0)
        if magic != MAGIC or key_max != KEY_MAX:
            raise ValueError(f"{path} is not a hot-state file of this version")
        self.c_base = HEADER_BYTES
        self.w_base = self.c_base + self.c_slots * C_SLOT_BYTES
        self.w_size = W_HEAD_BYTES + self.ring * _BUCKET.size
        self.j_base = self.w_base + self.w_slots * self.w_size
        # per table (by its base offset): key -> slot offset, valid while the generation holds
        self._slots: dict[int, dict[str, int]] = {self.c_base: {}, self.w_base: {}}
        self._plans: dict[tuple, tuple[int, tuple[int, int, int, int]]] = {}  # policy keys -> (gen, slots)
        self._gen = -1
        self.fresh = fresh
        self.lock = HotLock(self.m, fresh)
        self.holder = f"@{os.getpid()}"  # this process's share of a counter of calls in flight

    # -- the store's versions --------------------------------------------------------------------------
    def stamp(self) -> tuple[int, int, int]:
        """The clock, config and data versions as last committed (see ``LmdbStore``)."""
        return _STAMP3.unpack_from(self.m, _STAMP)

    def set_stamp(self, clock_v: int, config_v: int, gen: int) -> None:
        _STAMP3.pack_into(self.m, _STAMP, clock_v, config_v, gen)

    # -- slots ------------------------------------------------------------------------------------
    def _slot(self, key: str, base: int, n: int, size: int, key_at: int, create: bool) -> int | None:
        """The offset of ``key``'s slot in a table, claimed (zeroed) if ``create``; None when absent
        or full, or when the key is too long to keep here."""
        m = self.m
        gen = _I64.unpack_from(m, _GEN)[0]
        if gen != self._gen:
            for cache in self._slots.values():
                cache.clear()
            self._plans.clear()
            self._gen = gen
        cache = self._slots[base]
        off = cache.get(key)
        if off is not None:
            return off
        raw = key.encode()
        if len(raw) > KEY_MAX:
            return None
        crc = zlib.crc32(raw)
        stamp = gen & 0xFFFFFFFF
        i = crc % n
        for _ in range(n):
            off = base + i * size
            s_crc, s_gen = _SLOT.unpack_from(m, off)
            if s_gen != stamp:
                if not create:
                    return None
                m[off + 8:off + key_at - 2] = bytes(key_at - 10)  # the value (or ring state) starts at 0
                struct.pack_into("<H", m, off + key_at - 2, len(raw))
                m[off + key_at:off + key_at + len(raw)] = raw
                _SLOT.pack_into(m, off, crc, stamp)
                cache[key] = off
                return off
            if s_crc == crc:
                klen = struct.unpack_from("<H", m, off + key_at - 2)[0]
                if m[off + key_at:off + key_at + klen] == raw:
                    cache[key] = off
                    return off
            i = (i + 1) % n
        return None

    def _has_room(self, key: str, base: int, n: int, size: int) -> bool:
        """Whether ``key`` (absent) would get a slot now: then it was never kept anywhere else."""
        raw = key.encode()
        if len(raw) > KEY_MAX:
            return False
        stamp = _I64.unpack_from(self.m, _GEN)[0] & 0xFFFFFFFF
        i = zlib.crc32(raw) % n
        for _ in range(n):
            if _SLOT.unpack_from(self.m, base + i * size)[1] != stamp:
                return True
            i = (i + 1) % n
        return False

    def _c_slot(self, key: str, create: bool) -> int | None:
        return self._slot(key, self.c_base, self.c_slots, C_SLOT_BYTES, C_KEY_AT, create)

    def _w_slot(self, key: str, create: bool) -> int | None:
        return self._slot(key, self.w_base, self.w_slots, self.w_size, W_KEY_AT, create)

    def reset(self) -> None:
        """Forget every counter, window and journal entry (the journal's last id stays: ids only grow)."""
        gen = _I64.unpack_from(self.m, _GEN)[0]
        _I64.pack_into(self.m, _GEN, gen + 1)  # every slot is free again
        self.journal_clear()

    # -- counters -----------------------------------------------------------------------------------
    def counter_get(self, key: str) -> int | None:
        """The counter's value; 0 if it has a slot-to-be, None if it lives elsewhere (table full)."""
        off = self._c_slot(key, False)
        if off is None:
            return 0 if self._has_room(key, self.c_base, self.c_slots, C_SLOT_BYTES) else None
        return _I64.unpack_from(self.m, off + 8)[0]

    def counter_add(self, key: str, amount: int) -> int | None:
        off = self._c_slot(key, True)
        if off is None:
            return None
        value = _I64.unpack_from(self.m, off + 8)[0] + amount
        _I64.pack_into(self.m, off + 8, value)
        return value

    def counter_set(self, key: str, value: int) -> bool:
        off = self._c_slot(key, True)
        if off is None:
            return False
        _I64.pack_into(self.m, off + 8, int(value))
        return True

    # -- windows -----------------------------------------------------------------------------------
    def window_trim(self, key: str, now: float, window_s: float) -> tuple[int, float | None] | None:
        """Drop buckets at or before ``now - window_s``: (calls left, oldest time left); None if the
        window lives elsewhere."""
        off = self._w_slot(key, False)
        if off is None:
            return (0, None) if self._has_room(key, self.w_base, self.w_slots, self.w_size) else None
        return self._trim_at(off, now, window_s)

    def window_add(self, key: str, now: float, cost: int = 1) -> int | None:
        """Count ``cost`` calls at ``now`` (after ``window_trim``): the calls in the window, or None."""
        off = self._w_slot(key, True)
        return None if off is None else self._add_at(off, now, cost)

    def _trim_at(self, off: int, now: float, window_s: float) -> tuple[int, float | None]:
        m = self.m
        start, length, calls = _RING.unpack_from(m, off + 12)
        ring = off + W_HEAD_BYTES
        cut = now - window_s
        n = self.ring
        oldest = None
        dropped = 0
        while length:
            t, c = _BUCKET.unpack_from(m, ring + start * 16)
            if t > cut:
                oldest = t
                break
            calls -= c
            start = (start + 1) % n
            length -= 1
            dropped += 1
        if dropped:
            _RING.pack_into(m, off + 12, start, length, calls)
        return calls, oldest

    def _add_at(self, off: int, now: float, cost: int) -> int:
        m = self.m
        start, length, calls = _RING.unpack_from(m, off + 12)
        ring = off + W_HEAD_BYTES
        n = self.ring
        calls += cost
        if length:
            last = ring + ((start + length - 1) % n) * 16
            t, c = _BUCKET.unpack_from(m, last)
            if t >= now or length == n:  # the same instant, or a full ring: join the newest bucket
                _BUCKET.pack_into(m, last, max(t, now), c + cost)
                _I64.pack_into(m, off + 20, calls)
                return calls
        _BUCKET.pack_into(m, ring + ((start + length) % n) * 16, now, cost)
        _RING.pack_into(m, off + 12, start, length + 1, calls)
        return calls

    # -- the limiter's step (mock_zoho.limits.models), on slots found once per policy -----------------
    def plan(self, p: Policy) -> tuple[int, int, int, int, int] | None:
        """The slots of ``p``'s minute, day, in-flight and blocked counters and of this process's
        share of the in-flight calls, claimed if new; None if one of them has no room here (the
        caller then takes the generic step)."""
        key = (p.minute_key, p.minute_rolling, p.day_key, p.day_rolling)
        found = self._plans.get(key)
        if found is not None and found[0] == self._gen == _I64.unpack_from(self.m, _GEN)[0]:
            return found[1]
        offs = (self._w_slot(p.minute_key, True) if p.minute_rolling else self._c_slot(p.minute_key, True),
                self._w_slot(p.day_key, True) if p.day_rolling else self._c_slot(p.day_key, True),
                self._c_slot(p.inflight_key, True), self._c_slot(p.blocked_key, True),
                self._c_slot(p.inflight_key + self.holder, True))
        if None in offs:
            return None
        if len(self._plans) > 4096:
            self._plans.clear()
        self._plans[key] = (self._gen, offs)  # type: ignore[assignment]
        return offs  # type: ignore[return-value]

    def limits_step(self, offs: tuple[int, int, int, int, int], p: Policy, now: float, hold: bool) -> Outcome:
        """``LimitsBackend._generic_admit`` on the slots ``plan(p)`` found: the same rules (``judge``)."""
        m = self.m
        minute_at, day_at, inflight_at, blocked_at, mine_at = offs
        minute_used, minute_oldest = self._used_at(minute_at, p.minute_rolling, now, MINUTE_S)
        daily_used, day_oldest = self._used_at(day_at, p.day_rolling, now, DAY_S)
        in_flight = _I64.unpack_from(m, inflight_at + 8)[0]
        blocked_until = _I64.unpack_from(m, blocked_at + 8)[0] / 1000.0
        code, block_to = judge(p, now, minute_used, daily_used, in_flight, blocked_until)
        if block_to != blocked_until:
            blocked_until = block_to
            _I64.pack_into(m, blocked_at + 8, int(blocked_until * 1000))
        if code == ADMITTED:
            minute_used, minute_oldest = self._count_at(minute_at, p.minute_rolling, now, minute_used, minute_oldest)
            if hold:
                in_flight += 1
                _I64.pack_into(m, inflight_at + 8, in_flight)
                _I64.pack_into(m, mine_at + 8, _I64.unpack_from(m, mine_at + 8)[0] + 1)
        if code == ADMITTED or p.count_rejected:
            daily_used, day_oldest = self._count_at(day_at, p.day_rolling, now, daily_used, day_oldest)
        return Outcome(code, minute_used, minute_oldest, daily_used, day_oldest, in_flight, blocked_until,
                       p.per_minute, p.daily, p.concurrency)

    # -- calls in flight, per process: a worker that dies holding some gives them back --------------
    def release(self, inflight_key: str) -> bool:
        """Free one slot this process holds; False if the counter lives elsewhere."""
        if self.counter_add(inflight_key, -1) is None:
            return False
        mine = self._c_slot(inflight_key + self.holder, False)
        if mine is not None and _I64.unpack_from(self.m, mine + 8)[0] > 0:
            _I64.pack_into(self.m, mine + 8, _I64.unpack_from(self.m, mine + 8)[0] - 1)
        return True

    def reap(self) -> int:
        """Give back the slots held by processes that are gone (a worker killed mid-call, which the
        server then replaces: every process calls this when it maps the file). The slots freed."""
        m, stamp, freed = self.m, _I64.unpack_from(self.m, _GEN)[0] & 0xFFFFFFFF, 0
        for i in range(self.c_slots):
            off = self.c_base + i * C_SLOT_BYTES
            if _SLOT.unpack_from(m, off)[1] != stamp:
                continue
            klen = struct.unpack_from("<H", m, off + C_KEY_AT - 2)[0]
            key = bytes(m[off + C_KEY_AT:off + C_KEY_AT + klen]).decode()
            total, at, pid = key.rpartition("@")
            held = _I64.unpack_from(m, off + 8)[0]
            if not at or not pid.isdigit() or held <= 0 or pid_alive(int(pid)):
                continue
            _I64.pack_into(m, off + 8, 0)
            self.counter_add(total, -held)
            freed += held
        return freed

    def _used_at(self, off: int, rolling: bool, now: float, window_s: float) -> tuple[int, float | None]:
        """(calls, oldest) of the rolling window or fixed-window counter at ``off``."""
        if rolling:
            return self._trim_at(off, now, window_s)
        return _I64.unpack_from(self.m, off + 8)[0], None

    def _count_at(self, off: int, rolling: bool, now: float, used: int, oldest: float | None) -> tuple[int, float | None]:
        """Count one call at ``now`` in what ``_used_at`` read: (calls, oldest) after it."""
        if rolling:
            return self._add_at(off, now, 1), (now if oldest is None else oldest)
        _I64.pack_into(self.m, off + 8, used + 1)
        return used + 1, None

    def window_clear(self, key: str) -> bool:
        """Empty the window; False if it lives elsewhere."""
        off = self._w_slot(key, False)
        if off is None:
            return self._has_room(key, self.w_base, self.w_slots, self.w_size)
        _RING.pack_into(self.m, off + 12, 0, 0, 0)
        return True

    # -- the journal ---------------------------------------------------------------------------------
    def journal_append(self, data: bytes, max_entries: int) -> int:
        """Append an entry, dropping the oldest past ``max_entries`` or for room; its id."""
        m = self.m
        head, tail, count, last_id, dropped = struct.unpack_from("<qqqqq", m, _HEAD)
        last_id += 1
        need = _ENTRY.size + len(data)
        if need > self.j_bytes or max_entries <= 0:
            struct.pack_into("<qq", m, _LAST_ID, last_id, dropped + 1)
            return last_id
        size, base = self.j_bytes, self.j_base
        while count >= max_entries:  # the oldest past the bound go first, so the next check sees their room
            head, count = self._drop_head(head, count)
            dropped += 1
        while True:
            if count == 0:
                head = tail = 0
            else:
                head = self._entry_at(head)
            if tail > head or count == 0:  # free space: [tail, size) then [0, head)
                if head >= max(need, tail - head):  # the start has room for all the ring keeps: go there,
                    if size - tail >= 4:  # so the pages in use (memory, once written) stay about twice that
                        struct.pack_into("<I", m, base + tail, _WRAP)
                    tail = 0
                    break
                if size - tail >= need:
                    break
                if size - tail >= 4:
                    struct.pack_into("<I", m, base + tail, _WRAP)
                tail = 0
                if count == 0:
                    head = 0
                    break
            if head - tail >= need:  # tail has wrapped: free space is [tail, head)
                break
            head, count = self._drop_head(head, count)
            dropped += 1
        _ENTRY.pack_into(m, base + tail, len(data), last_id)
        m[base + tail + _ENTRY.size:base + tail + need] = data
        tail += need
        count += 1
        struct.pack_into("<qqqqq", m, _HEAD, head, tail, count, last_id, dropped)
        return last_id

    def _drop_head(self, head: int, count: int) -> tuple[int, int]:
        head = self._entry_at(head)
        length = struct.unpack_from("<I", self.m, self.j_base + head)[0]
        head += _ENTRY.size + length
        count -= 1
        return (0 if count == 0 else head), count

    def _entry_at(self, pos: int) -> int:
        """``pos``, or 0 where the ring wraps there (a marker, or no room for an entry's header)."""
        if pos + _ENTRY.size > self.j_bytes or struct.unpack_from("<I", self.m, self.j_base + pos)[0] == _WRAP:
            return 0
        return pos

    def journal_entries(self, keep: int) -> Iterator[tuple[int, bytes]]:
        """(id, entry) oldest first, the newest ``keep`` at most; a copy (taken under the lock)."""
        m = self.m
        head, tail, count = struct.unpack_from("<qqq", m, _HEAD)
        out = []
        pos = head
        for _ in range(count):
            pos = self._entry_at(pos)
            length, entry_id = _ENTRY.unpack_from(m, self.j_base + pos)
            start = self.j_base + pos + _ENTRY.size
            out.append((entry_id, m[start:start + length]))
            pos += _ENTRY.size + length
        return iter(out[-keep:] if keep < len(out) else out)

    def journal_newest(self, keep: int) -> Iterator[tuple[int, bytes]]:
        """(id, entry bytes) newest first, the newest ``keep`` at most, read lazily: only the ring's
        offsets are walked, an entry's bytes are copied when it is reached. Use under the lock."""
        m = self.m
        head, tail, count = struct.unpack_from("<qqq", m, _HEAD)
        starts = array("q")  # the offsets only (8 bytes an entry), never the entries
        pos = head
        for _ in range(count):
            pos = self._entry_at(pos)
            starts.append(pos)
            pos += _ENTRY.size + _ENTRY.unpack_from(m, self.j_base + pos)[0]
        for i in range(len(starts) - 1, max(len(starts) - keep, 0) - 1, -1):
            length, entry_id = _ENTRY.unpack_from(m, self.j_base + starts[i])
            start = self.j_base + starts[i] + _ENTRY.size
            yield entry_id, m[start:start + length]

    def journal_last_id(self) -> int:
        """The id of the newest entry ever appended (ids only grow, across clears)."""
        return _I64.unpack_from(self.m, _LAST_ID)[0]

    def journal_stats(self) -> tuple[int, int]:
        """(entries kept, entries dropped)."""
        count, _, dropped = struct.unpack_from("<qqq", self.m, _COUNT)
        return count, dropped

    def journal_clear(self) -> None:
        struct.pack_into("<qqq", self.m, _HEAD, 0, 0, 0)
        struct.pack_into("<q", self.m, _DROPPED, 0)

    def close(self) -> None:
        self.m.close()
