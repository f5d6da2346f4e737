"""The kernel manager report runs use on POSIX systems: Unix sockets instead of TCP ports.

Kernels started over TCP pick free ports and bind them a moment later, so kernels started at the same time
(a batch in parallel) can race for one port; over Unix sockets nothing is shared. It also spares the
terminal ipykernel's warning about unencrypted TCP, which would break a batch's progress bar line.
Papermill imports this module by name (``kernel_manager_class``), only when a report runs.
"""

from __future__ import annotations

import os
import uuid

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir
from traitlets import default

__all__ = ["SocketKernelManager"]


class SocketKernelManager(AsyncKernelManager):
    """An asynchronous kernel manager that talks to its kernel over Unix sockets (IPC transport)."""

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        # the socket files' prefix: unique per kernel (jupyter_client's default, "kernel-ipc" in the working
        # folder, makes kernels started at once share sockets), and short (Unix socket paths are limited)
        os.makedirs(jupyter_runtime_dir(), exist_ok=True)
        return os.path.join(jupyter_runtime_dir(), f"mk-{uuid.uuid4().hex[:12]}")
