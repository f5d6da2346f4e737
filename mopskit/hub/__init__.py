"""A cohort on one server: JupyterHub with a private workspace per user, and their work collected for grading.

``mopskit hub-config`` writes the hub's ``jupyterhub_config.py`` (:func:`write_hub_config`): each user logs in
with their own account, their server runs under that account in a workspace prepared at spawn
(:func:`start_user_server`, the command ``python -m mopskit.hub``), with JupyterLab at ``/user/<name>/lab`` and
the lessons as apps at ``/user/<name>/voila/render/mopskit_home.ipynb``. The instructor's folder is root's only
(:func:`secure_instructor_dir`). ``mopskit collect`` gathers the users' lessons and saved answers (:func:`collect`)
into the layout ``mopskit grade`` reads.
"""

from __future__ import annotations

from ._collect import LESSON_FILES, Collection, UserWork, collect, collect_workspaces, hub_workspaces
from ._config import (
    AUTHENTICATORS,
    DEFAULT_INSTRUCTOR_DIR,
    DEFAULT_WORKSPACE,
    LANDING_PAGES,
    WrittenConfig,
    hub_config_text,
    user_names,
    write_hub_config,
)
from ._spawn import (
    SERVER_CONFIG_DIR,
    kit_warnings,
    pre_spawn_hook,
    prepare_user_workspace,
    secure_instructor_dir,
    start_user_server,
)

__all__ = [
    "AUTHENTICATORS",
    "DEFAULT_INSTRUCTOR_DIR",
    "DEFAULT_WORKSPACE",
    "LANDING_PAGES",
    "LESSON_FILES",
    "SERVER_CONFIG_DIR",
    "Collection",
    "UserWork",
    "WrittenConfig",
    "collect",
    "collect_workspaces",
    "hub_config_text",
    "hub_workspaces",
    "kit_warnings",
    "pre_spawn_hook",
    "prepare_user_workspace",
    "secure_instructor_dir",
    "start_user_server",
    "user_names",
    "write_hub_config",
]
