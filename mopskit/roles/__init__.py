"""MOps roles, Brinker's archetypes, team models, the task survey, and the logic built on them.

- the catalog: :func:`roles`, :func:`role`, :func:`archetypes`, :func:`team_models` (typed records read from
  ``mopskit/content``);
- matching a task to the roles and archetype most likely to own it, with the reason: :func:`match_task`,
  :func:`match_archetype`;
- recommending a team shape for a company, grounded in the profession's figures: :func:`recommend_team`;
- building a RACI matrix and checking it for gaps: :func:`raci_matrix`, :func:`raci_gaps`;
- the 2020 task survey: :func:`common_tasks`, :func:`most_common_task`, :func:`plot_task_survey`.

Pure: no widgets here; :mod:`mopskit.ui.roles` is the widget shell.
"""

from __future__ import annotations

from ._catalog import (
    Archetype,
    Role,
    TeamModel,
    archetype,
    archetypes,
    role,
    role_table,
    roles,
    team_model,
    team_model_table,
    team_models,
)
from ._match import (
    ArchetypeMatch,
    MatchingDrill,
    RoleMatch,
    assign_owners,
    best_role,
    explain_matches,
    match_archetype,
    match_task,
    matching_drill,
    matching_score,
    normalize,
    rows_to_revisit,
)
from ._raci import (
    RACI_LETTERS,
    RACI_OPTIONS,
    RaciFinding,
    RaciScenario,
    parse_raci_cell,
    raci_gaps,
    raci_matrix,
    raci_responsible_fit,
    raci_row_checks,
    raci_scenario,
    suggest_raci,
)
from ._survey import common_tasks, most_common_task, plot_task_survey
from ._team import (
    CompanySketch,
    Reason,
    TeamRecommendation,
    company_facts,
    company_sketches,
    compare_picks,
    recommend_team,
    sketches_table,
)

__all__ = [
    "RACI_LETTERS",
    "RACI_OPTIONS",
    "Archetype",
    "ArchetypeMatch",
    "CompanySketch",
    "MatchingDrill",
    "RaciFinding",
    "RaciScenario",
    "Reason",
    "Role",
    "RoleMatch",
    "TeamModel",
    "TeamRecommendation",
    "archetype",
    "archetypes",
    "assign_owners",
    "best_role",
    "common_tasks",
    "company_facts",
    "company_sketches",
    "compare_picks",
    "explain_matches",
    "match_archetype",
    "match_task",
    "matching_drill",
    "matching_score",
    "most_common_task",
    "normalize",
    "parse_raci_cell",
    "plot_task_survey",
    "raci_gaps",
    "raci_matrix",
    "raci_responsible_fit",
    "raci_row_checks",
    "raci_scenario",
    "recommend_team",
    "role",
    "role_table",
    "roles",
    "rows_to_revisit",
    "sketches_table",
    "suggest_raci",
    "team_model",
    "team_model_table",
    "team_models",
]
