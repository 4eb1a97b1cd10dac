"""The limits a query process puts on itself before it reads any query: no network, and a memory ceiling.

No network is enforced by the kernel, not by reading the query: a seccomp filter makes every `socket()` call
other than AF_UNIX fail with EAFNOSUPPORT (and io_uring, which could open sockets behind the filter's back, fail
with ENOSYS). Whatever a query says, however its keywords are spelled or glued, the engine's own attempt at a
SERVICE call finds no way out. The filter is inherited by every thread the process starts afterwards.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import resource
import struct

NETWORK_DENIED_ERRNO = errno.EAFNOSUPPORT
NETWORK_DENIED_TEXT = "Address family not supported by protocol"  # strerror(EAFNOSUPPORT), as the engine reports it

# Per machine: the audit architecture, and the numbers of socket() and io_uring_setup().
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
_X32_SYSCALL_BIT = 0x40000000  # x86_64's x32 ABI: another door to the same calls, closed as well
_AF_UNIX = 1
# Classic BPF opcodes and seccomp constants (linux/filter.h, linux/seccomp.h, linux/prctl.h).
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_OFFSET_NR, _OFFSET_ARCH, _OFFSET_ARG0 = 0, 4, 16


class SandboxUnavailable(RuntimeError):
    """The kernel or the machine offers no seccomp filter: the process must not run client queries."""


def _instruction(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _program(arch: int, socket_nr: int, io_uring_nr: int) -> bytes:
    deny_family = _RET_ERRNO | NETWORK_DENIED_ERRNO
    deny_call = _RET_ERRNO | errno.ENOSYS
    rows = [
        _instruction(_LD_W_ABS, 0, 0, _OFFSET_ARCH),
        _instruction(_JEQ_K, 1, 0, arch),  # a foreign ABI (32-bit calls on a 64-bit kernel): refuse everything
        _instruction(_RET_K, 0, 0, deny_call),
        _instruction(_LD_W_ABS, 0, 0, _OFFSET_NR),
        _instruction(_JGE_K, 0, 1, _X32_SYSCALL_BIT),
        _instruction(_RET_K, 0, 0, deny_call),
        _instruction(_JEQ_K, 0, 1, io_uring_nr),
        _instruction(_RET_K, 0, 0, deny_call),
        _instruction(_JEQ_K, 1, 0, socket_nr),
        _instruction(_RET_K, 0, 0, _RET_ALLOW),
        _instruction(_LD_W_ABS, 0, 0, _OFFSET_ARG0),  # socket(domain, …): Unix sockets only
        _instruction(_JEQ_K, 0, 1, _AF_UNIX),
        _instruction(_RET_K, 0, 0, _RET_ALLOW),
        _instruction(_RET_K, 0, 0, deny_family),
    ]
    return b"".join(rows)


def deny_network() -> None:
    """Install the filter on this process (and every thread it starts from now on).

    :raises SandboxUnavailable: not Linux on x86_64/aarch64, or the kernel refused the filter.
    """
    machine = platform.machine()
    if platform.system() != "Linux" or machine not in _ARCHES:
        raise SandboxUnavailable(f"no seccomp network filter for {platform.system()} on {machine}")
    program = _program(*_ARCHES[machine])
    length = len(program) // 8
    buffer = ctypes.create_string_buffer(program, len(program))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(length, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        raise SandboxUnavailable(f"prctl(NO_NEW_PRIVS) failed: errno {ctypes.get_errno()}")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0) != 0:
        raise SandboxUnavailable(f"prctl(SECCOMP) failed: errno {ctypes.get_errno()}")


def limit_memory(extra_bytes: int) -> int:
    """Cap this process's address space at what it maps now plus `extra_bytes`; returns the cap.

    Measured from the current size, so the budget is what one query may add, whatever the interpreter and the
    loaded store take. Past it, the engine's allocations fail and the process ends: only this query is lost.
    """
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    cap = pages * resource.getpagesize() + extra_bytes
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return cap
