"""A/B tests: figures checked against the z-test worked out by hand, and every edge case answered in words."""

import math

import pytest

from mopskit.errors import ParameterError
from mopskit.metrics import ab_test, sample_size
from mopskit.metrics.abtest import newcombe_interval, wilson_interval


def test_a_clear_winner():
    result = ab_test(200, 5000, 260, 5000, interval="wald")
    # p = 0.04 and 0.052, pooled 0.046: z = 0.012 / sqrt(0.046 * 0.954 * 2 / 5000) = 2.8641
    assert (result.rate_a, result.rate_b, result.difference) == pytest.approx((4.0, 5.2, 1.2))
    assert result.z == pytest.approx(2.8641, abs=1e-4)
    assert result.p_value == pytest.approx(0.004181, abs=1e-6)
    assert (result.ci_low, result.ci_high) == pytest.approx((0.3792, 2.0208), abs=1e-4)
    assert result.relative_lift == pytest.approx(30.0)
    assert result.winner == "B" and result.significant
    assert result.verdict.startswith("B wins: 5.20% against 4.00%")
    assert "<table>" in result._repr_html_() and "(Wald)" in result._repr_html_()


def test_no_significant_difference():
    result = ab_test(40, 1000, 48, 1000)
    assert result.winner is None and not result.significant
    assert result.ci_low < 0 < result.ci_high
    assert result.verdict.startswith("No significant difference")


def test_a_stricter_confidence_can_change_the_verdict():
    assert ab_test(100, 2000, 130, 2000).winner == "B"
    assert ab_test(100, 2000, 130, 2000, confidence=99).winner is None


def test_small_samples_are_flagged():
    result = ab_test(3, 50, 9, 50)
    assert "fewer than 10 conversions" in result.notes[0] and "A" in result.notes[0]


@pytest.mark.parametrize(
    ("args", "verdict"),
    [
        ((0, 0, 5, 100), "No test possible: variant A has no recipients."),
        ((0, 0, 0, 0), "No test possible: variant A and B has no recipients."),
        ((0, 100, 0, 100), "No test possible: both variants converted at the same rate of 0.0%"),
    ],
)
def test_no_test_possible_is_a_verdict_not_an_error(args, verdict):
    result = ab_test(*args)
    assert result.verdict.startswith(verdict)
    assert math.isnan(result.p_value) and result.winner is None


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((10, 5, 1, 10), {}, "'conversions_a' must be at most 'visitors_a'"),
        ((-1, 5, 1, 10), {}, "'conversions_a' must be a whole number"),
        ((1, 5, 1, 10), {"confidence": 0.95}, "'confidence' must be a percent from 50 to 99.9"),
    ],
)
def test_impossible_inputs_are_refused(args, kwargs, message):
    with pytest.raises(ParameterError, match=message):
        ab_test(*args, **kwargs)


def test_sample_size():
    assert sample_size(4, 1) == 6745  # worked out by hand: (1.96 * 0.29317 + 0.84162 * 0.29309)^2 / 0.01^2
    assert sample_size(4, -1) > 0
    assert sample_size(20, 5, power=90) > sample_size(20, 5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 1), "'baseline_rate' must be a percent"),
        ((4, 0), "'minimum_effect' must be a non-zero"),
        ((99, 2), "between 0 and 100"),
    ],
)
def test_sample_size_refuses_impossible_inputs(args, message):
    with pytest.raises(ParameterError, match=message):
        sample_size(*args)


# --- bad input (each case failed before the validation layer) -----------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            (True, 100, 5, 100),
            r"^ab_test: 'conversions_a' must be a whole number \(got True\); True/False stand for yes/no",
        ),
        ((float("nan"), 100, 5, 100), r"'conversions_a' .*\(got nan\); the value is missing \(NaN\)"),
        (("5", 100, 5, 100), r"'conversions_a' .*\(got '5'\); pass a number, not text"),
        ((5, 100, 5, None), r"'visitors_b' must be a whole number"),
        ((5, 100.5, 5, 100), r"'visitors_a' must be a whole number"),
    ],
)
def test_ab_test_refuses_counts_that_are_not_counts(args, message):
    with pytest.raises(ParameterError, match=message):
        ab_test(*args)


def test_ab_test_refuses_a_confidence_written_as_a_fraction():
    with pytest.raises(ParameterError, match=r"0.95 looks like a fraction: write 95 for 95%"):
        ab_test(5, 100, 9, 100, confidence=0.95)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0.04, 0.01), r"^sample_size: 'baseline_rate' .*\(got 0.04\); 0.04 looks like a fraction: write 4 for 4%"),
        ((float("nan"), 1), r"'baseline_rate' must be a percent"),
        (("4", 1), r"'baseline_rate' .*not text"),
        ((4, "1"), r"'minimum_effect' must be a number"),
        ((4, float("nan")), r"'minimum_effect' must be a number"),
        ((4, 1, True), r"'confidence'"),
    ],
)
def test_sample_size_refuses_fractions_and_non_numbers(args, message):
    kwargs = {"confidence": args[2]} if len(args) > 2 else {}
    with pytest.raises(ParameterError, match=message):
        sample_size(*args[:2], **kwargs)


def test_a_rate_under_1_percent_is_given_with_its_sign():
    with pytest.raises(ParameterError, match=r"or '0.5%' if the rate really is under 1%"):
        sample_size(0.5, 0.25)
    assert sample_size("0.5%", 0.25) > sample_size(4, 1)


# --- the statistical conventions, against published and hand-worked values ----------------------------------


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        (81, 263, 25.53, 36.62),  # Newcombe (1998a), Statistics in Medicine 17:857, example 1
        (15, 148, 6.24, 16.05),  # ibid., example 2
        (0, 20, 0.0, 16.11),  # z^2 / (n + z^2) = 3.8415 / 23.8415
        (20, 20, 83.89, 100.0),
    ],
)
def test_wilson_interval_matches_published_values(x, n, low, high):
    assert wilson_interval(x, n) == pytest.approx((low, high), abs=0.006)


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ((48, 80), (56, 70), 5.24, 33.39),  # Newcombe (1998b), Statistics in Medicine 17:873, example (a)
        ((3, 10), (9, 10), 17.05, 80.90),  # example (b)
        ((0, 20), (0, 10), -16.11, 27.75),  # both 0%: the Wilson upper limits of 0/10 and 0/20
        ((0, 20), (10, 10), 67.91, 100.0),  # 0% against 100%
    ],
)
def test_newcombe_interval_matches_published_values(a, b, low, high):
    assert newcombe_interval(*a, *b) == pytest.approx((low, high), abs=0.006)
    result = ab_test(*a, *b)
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), abs=0.006)
    assert result.interval == "newcomb"


def test_near_0_percent_the_wald_interval_collapses_and_newcombe_does_not():
    wald = ab_test(0, 500, 0, 400, interval="wald")
    assert wald.ci_low == wald.ci_high == 0.0
    assert any("no width" in n for n in wald.notes)
    newcomb = ab_test(0, 500, 0, 400)
    assert newcomb.ci_low < 0 < newcomb.ci_high
    edge = ab_test(0, 30, 1, 30)
    assert -100 <= edge.ci_low < 0 < edge.ci_high <= 100


def test_relative_lift_interval_is_the_katz_log_interval():
    # ratio 5.2 / 4 = 1.3; se(log ratio) = sqrt(1/260 - 1/5000 + 1/200 - 1/5000) = 0.091903
    # 1.3 * exp(±1.959964 * 0.091903) = 1.08571 .. 1.55658, so the lift is 8.571% .. 55.658%
    result = ab_test(200, 5000, 260, 5000)
    assert (result.lift_low, result.lift_high) == pytest.approx((8.571, 55.658), abs=0.002)
    assert result.lift_low < result.relative_lift < result.lift_high
    none = ab_test(0, 100, 5, 100)
    assert math.isnan(none.lift_low) and any("relative lift" in n for n in none.notes)


def test_wilson_intervals_of_each_rate_are_reported():
    result = ab_test(81, 263, 15, 148)
    assert (result.rate_a_low, result.rate_a_high) == pytest.approx((25.53, 36.62), abs=0.006)
    assert (result.rate_b_low, result.rate_b_high) == pytest.approx((6.24, 16.05), abs=0.006)


def test_sample_size_formulas_worked_by_hand():
    # pooled (Fleiss, no continuity correction), 4% -> 5%, 95% two-sided, 80% power:
    # [1.959964 * sqrt(2 * 0.045 * 0.955) + 0.841621 * sqrt(0.04 * 0.96 + 0.05 * 0.95)]^2 / 0.01^2 = 6744.2
    assert sample_size(4, 1) == 6745
    # Cohen's h = 2 asin(sqrt .05) - 2 asin(sqrt .04) = 0.0483110; n = 2 * (2.801585 / 0.0483110)^2 = 6725.8
    assert sample_size(4, 1, method="cohens_h") == 6726
    assert sample_size(50, -10, power=90) == sample_size(40, 10, power=90)  # symmetric in direction


def test_confidence_and_power_change_the_size_the_right_way():
    assert sample_size(4, 1, confidence=99) > sample_size(4, 1) > sample_size(4, 1, power=60)
    with pytest.raises(ParameterError, match="'method' must be one of pooled, cohens_h"):
        sample_size(4, 1, method="exact")


def test_the_catalog_names_the_statistical_conventions():
    from mopskit.metrics import catalog, metric

    lift = metric("conversion_lift").method
    assert all(word in lift for word in ("Two-sided", "pooled", "Newcombe", "Wald", "Wilson", "Katz"))
    size = metric("required_sample_size").method
    assert all(word in size for word in ("two-sided", "pooled", "Fleiss", "Cohen"))
    assert catalog(family="tests").set_index("name").loc["conversion_lift", "method"] == lift


def test_the_table_names_its_measures_and_headers_in_the_trainees_language():
    from mopskit.i18n import language
    from mopskit.present import shown

    result = ab_test(200, 5000, 260, 5000)
    table = result.table()
    assert table["value"].tolist() == [
        round(v, 4) for v in (4.0, 5.2, 1.2, result.ci_low, result.ci_high, result.p_value)
    ]
    with language("th"):
        thai = shown(result.table())
    assert thai.columns.tolist() == ["ตัววัด", "ค่า"]
    assert "ขอบล่างของช่วง 95%" in thai.iloc[:, 0].tolist()
