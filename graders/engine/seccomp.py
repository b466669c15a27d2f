"""A seccomp filter that stops sandboxed code from creating user namespaces.

Inside a user namespace of its own, a process is "root" again for that namespace, which opens
a large part of the kernel (mounting file systems, netfilter, BPF...) to exploits. Student code
never needs one, so every sandboxed worker runs under this filter:

- ``unshare`` and ``clone`` with ``CLONE_NEWUSER`` in their flags fail with EPERM;
- ``clone3`` fails with ENOSYS (its flags sit in memory a filter cannot read); glibc and Python
  then fall back to ``clone``, so threads and subprocesses work as before (Docker's default
  profile does the same);
- system calls of another ABI (32-bit ``int 0x80``, x32) fail with EPERM, so the filter cannot
  be side-stepped with other syscall numbers.

The program is classic BPF, assembled here (no libseccomp needed). Cold workers get it from
bubblewrap (``--seccomp FD``); workers forked from a warm template install it themselves with
``prctl`` (graders/engine/zygote.py) after dropping to the slot's user id.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct

# (audit arch, unshare, clone, clone3) per machine; seccomp_data: nr @0, arch @4, args[0] low word @16
_ARCHES = {"x86_64": (0xC000003E, 272, 56, 435), "aarch64": (0xC00000B7, 97, 220, 435)}
CLONE_NEWUSER = 0x10000000
X32_SYSCALL_BIT = 0x40000000
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
BPF_LD_W_ABS, BPF_JEQ_K, BPF_JGE_K, BPF_JSET_K, BPF_RET_K = 0x20, 0x15, 0x35, 0x45, 0x06
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2


def supported() -> bool:
    return platform.machine() in _ARCHES


def program() -> bytes:
    """The filter as an array of ``struct sock_filter`` (what ``bwrap --seccomp`` reads)."""
    arch, unshare, clone, clone3 = _ARCHES[platform.machine()]
    eperm, enosys = SECCOMP_RET_ERRNO | errno.EPERM, SECCOMP_RET_ERRNO | errno.ENOSYS
    code = [
        (BPF_LD_W_ABS, 0, 0, 4),            # 0: A = arch
        (BPF_JEQ_K, 1, 0, arch),            # 1: native ABI -> 3
        (BPF_RET_K, 0, 0, eperm),           # 2: any other ABI: refused
        (BPF_LD_W_ABS, 0, 0, 0),            # 3: A = syscall number
        (BPF_JGE_K, 5, 0, X32_SYSCALL_BIT),  # 4: x32 numbers -> 10 (refused)
        (BPF_JEQ_K, 5, 0, unshare),         # 5: -> 11
        (BPF_JEQ_K, 4, 0, clone),           # 6: -> 11
        (BPF_JEQ_K, 1, 0, clone3),          # 7: -> 9
        (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),  # 8
        (BPF_RET_K, 0, 0, enosys),          # 9: clone3 -> fall back to clone
        (BPF_RET_K, 0, 0, eperm),           # 10
        (BPF_LD_W_ABS, 0, 0, 16),           # 11: A = low word of the flags
        (BPF_JSET_K, 0, 1, CLONE_NEWUSER),  # 12: CLONE_NEWUSER set -> 13, else 14
        (BPF_RET_K, 0, 0, eperm),           # 13
        (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),  # 14
    ]
    return b"".join(struct.pack("=HBBI", *instruction) for instruction in code)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def install() -> None:
    """Apply the filter to this process and its future children (needs ``no_new_privs`` or root)."""
    code = program()
    buffer = ctypes.create_string_buffer(code, len(code))
    fprog = _SockFprog(len(code) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "seccomp filter could not be installed")
