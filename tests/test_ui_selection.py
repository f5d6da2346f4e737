"""The weights explorer: sliders move the weights, the ranking follows (no kernel needed)."""

from mopskit.selection import scenario
from mopskit.ui.selection import weights_explorer


def test_moving_one_weight_past_its_flip_point_changes_the_leader():
    explorer = weights_explorer(scenario("event_platform").evaluate())
    assert set(explorer.sliders) == {"E4", "E5", "E6", "E7", "E8", "E9"}
    assert explorer.evaluation.winner == "Lanternhall (Standard)"
    explorer.sliders["E6"].value = 5.5  # past the tie at 5
    assert explorer.evaluation.winner == "Ferncourt Live (Pro)"
    assert "Leader with these weights: Ferncourt Live (Pro)" in explorer.html.value
    assert "Quaywise (Team)" in explorer.html.value and "misses the must-have E1" in explorer.html.value
    explorer.reset()
    assert explorer.weights()["E6"] == 2.0 and explorer.evaluation.winner == "Lanternhall (Standard)"


def test_a_tie_shows_equal_scores():
    explorer = weights_explorer(scenario("event_platform").evaluate())
    explorer.sliders["E6"].value = 5.0
    scores = explorer.evaluation.ranking.set_index("offer")["score"]
    # both earn 80 points of (2 + 4 + 5 + 4 + 3 + 3) × 5 = 105
    assert scores["Lanternhall (Standard)"] == scores["Ferncourt Live (Pro)"] == 76.19
