"""The deck's chart slides (issue 24): the Gantt charts split over slides at a readable size, bar labels readable
on their bar colour, and every slide title (takeaway) true of the frame its chart draws."""

from __future__ import annotations

import re

import matplotlib
import pytest
from chart_check import problems
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from planner.report.common import contrast, style
from planner.report.common.deck import scale
from planner.report.plan import charts, coverage, gantt, slides, story
from planner.report.plan.html import site_names
from planner.report.plan.specs import chart_specs


@pytest.fixture(scope="module")
def fr(demo_plan):
    return demo_plan.frames()


def _texts(fig) -> list[Text]:
    fig.draw_without_rendering()  # constrained layout and tick labels
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def smallest_pt_on_slide(fig) -> float:
    """Smallest font size of a figure's text, in points once the figure is fitted on the slide."""
    w, h = fig.get_size_inches()
    return min(t.get_fontsize() for t in _texts(fig)) * scale(w, h)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_gantt_slides_are_readable_and_cover_the_roadmap_once(fr, lang):
    gantts = [(title, make) for stem, title, make in slides.chart_slides(fr, lang) if stem.startswith("gantt")]
    assert len(gantts) > 2
    for title, make in gantts:
        with matplotlib.rc_context(style.rc()):  # the deck's fonts
            fig = make()
            assert smallest_pt_on_slide(fig) >= gantt.SLIDE_PT, title
            assert problems(fig) == [], title  # the shared chart check: no text outside or over other text
            boxes = [t.get_window_extent() for t in fig.axes[0].texts if t.get_text().strip()]
        assert len(fig.axes[0].get_yticklabels()) <= gantt.ROWS, title
        overlaps = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
        assert overlaps == [], title  # a build's label does not run into the next build's
    rm = fr["roadmap"]
    for by in ("site", "family"):
        parts = gantt.parts(fr, by)
        keys = [k for p in parts for k in p]
        assert sorted(keys) == sorted(rm[by].unique()) and len(keys) == len(set(keys))


def test_the_full_gantt_would_be_unreadable_on_a_slide_and_in_the_report(fr):
    """The checks are not vacuous: the one-figure Gantt (the report's before issue 24), fitted on a slide, has
    text under 12 pt, and at its own size text under the report's 9 pt."""
    with matplotlib.rc_context(style.rc()):
        fig = charts.gantt(fr, "en", "site")
        assert smallest_pt_on_slide(fig) < gantt.SLIDE_PT
        assert min(t.get_fontsize() for t in _texts(fig)) < gantt.REPORT_PT


def test_the_reports_gantt_is_split_into_parts_like_the_deck(fr):
    """The report draws each Gantt view in parts, like the deck: one site a chart, families packed up to 9 rows,
    in the deck's order, covering the roadmap once. Their readable size (text at least 9 pt at 11 in wide) and the
    chart check are tested where every plan chart is drawn (tests/test_plan_charts.py)."""
    stems = [s for s, _ in chart_specs(fr) if s.startswith("gantt")]
    assert stems == [gantt.stem(by, i) for by in gantt.BY for i in range(len(gantt.parts(fr, by)))]
    assert [s for s, _, _ in slides.chart_slides(fr, "en", titles=False) if s.startswith("gantt")] == stems
    for by in gantt.BY:
        parts = [gantt.parts(fr, by)[gantt.part_of(s)[1]] for s in stems if gantt.part_of(s)[0] == by]
        assert sorted(k for p in parts for k in p) == sorted(fr["roadmap"][by].unique())
        if by == "family":
            assert all(gantt._rows(fr, by, p) <= gantt.ROWS for p in parts)


def _background(ax, t: Text):
    """The colour behind a text: its own box, else the bar under its anchor, else white."""
    box = t.get_bbox_patch()
    if box is not None:
        return box.get_facecolor()
    x, y = t.get_position()
    for p in ax.patches:
        if isinstance(p, Rectangle) and p.get_x() <= x <= p.get_x() + p.get_width() \
                and p.get_y() <= y <= p.get_y() + p.get_height():
            return p.get_facecolor()
    return "white"


@pytest.mark.parametrize("by", ["site", "family"])
def test_gantt_bar_labels_contrast_with_their_background(fr, by):
    ax = charts.gantt(fr, "en", by).axes[0]
    labels = [t for t in ax.texts if t.get_text().strip()]
    assert len(labels) > 20
    for t in labels:
        bg = _background(ax, t)
        assert contrast.ratio(t.get_color(), bg[:3] if not isinstance(bg, str) else bg) >= contrast.MIN_RATIO, \
            t.get_text()


def test_text_on_picks_the_readable_colour():
    assert contrast.text_on("#F9A825") == contrast.DARK  # renewables yellow: black text, not white
    assert contrast.text_on("#455A64") == contrast.LIGHT
    assert contrast.ratio(contrast.LIGHT, "#F9A825") < 2.5  # white on yellow, as before: unreadable


def _number(title: str, pattern: str) -> float:
    m = re.search(pattern, title)
    assert m, (pattern, title)
    return float(m.group(1).replace(",", ""))


def test_site_gantt_titles_are_true_of_their_site(demo_plan, fr):
    sites = site_names(demo_plan.scenario)
    rm = fr["roadmap"]
    for (site,) in gantt.parts(fr, "site"):
        title = story.gantt_site(fr, "en", site, sites)
        b = rm[(rm.site == site) & (rm.action == "build")]
        assert title.startswith("Company-wide" if site == "company" else sites[site])
        if len(b) > 1:
            assert _number(title, r"(\d+) investments") == len(b)
            assert _number(title, r"investments from \d+ to \d+, ([\d,.]+) MCNY") == \
                pytest.approx(b.capex_cny.sum() / 1e6, abs=0.051)
            assert _number(title, r"the largest: .*, ([\d,.]+) MCNY") == pytest.approx(b.capex_cny.max() / 1e6,
                                                                                     abs=0.051)


def test_family_gantt_titles_are_true_of_their_families(fr):
    b = fr["roadmap"][fr["roadmap"].action == "build"]
    shares = []
    for fams in gantt.parts(fr, "family"):
        title = story.gantt_families(fr, "en", fams)
        mine = b[b.family.isin(fams)].capex_cny.sum()
        if mine > 0:
            assert _number(title, r"\(([\d,.]+) of") == pytest.approx(mine / 1e6, abs=0.051)
            shares.append(mine)
    assert sum(shares) == pytest.approx(b.capex_cny.sum())  # the slides' parts add up to the plan's capex


def test_trajectory_titles_lead_with_the_horizon_total(demo_plan, fr):
    """Each trajectory title names the measure with the largest abatement summed over the horizon in its
    coverage (what the wedges show), with its share; not the last year's."""
    sites = site_names(demo_plan.scenario)
    for i, g in enumerate(coverage.coverage_groups(fr)):
        title = story.takeaway(f"trajectory_{i + 1}", fr, "en", sites)
        by = coverage.covered(fr["abatement"], g).groupby("measure").tco2e.sum()
        top = by.idxmax()
        name = fr["roadmap"].loc[fr["roadmap"].measure == top, "name"].iloc[0]
        assert name in title
        assert _number(title, r"delivers (\d+)%") == round(100 * by[top] / by.clip(lower=0).sum())
        assert "Green logistics programme, from 2050" not in title  # the misleading title


def test_money_claims_name_their_basis(demo_plan, fr):
    """'Pay for themselves' (headline) counts the plan MACC, 'save money' (stand-alone MACC slide) the
    stand-alone MACC: each says so and each count is of its own frame."""
    sites = site_names(demo_plan.scenario)
    head = [h for h in story.headline(fr, "en", sites) if "pay for themselves" in h][0]
    m = fr["macc"]
    assert head.startswith(f"In the plan, {(m.plan_cost_cny_per_tco2e < 0).sum()} of {len(m)} adopted measures")
    sa = fr["macc_standalone"]
    title = story.takeaway("macc_standalone", fr, "en", sites)
    assert title.startswith(f"Stand-alone at full potential, {(sa.standalone_cost_cny_per_tco2e < 0).sum()} of "
                            f"{len(sa)} measures save money")


def test_the_dispatch_slide_has_a_takeaway():
    """The hourly demo's deck raised KeyError('dispatch') at its dispatch slide. Known answer: a battery of 40 MWh
    built at east in 2030, so the chart (and the takeaway) show 2030; east has the most on-site supply that year;
    day 1 the larger battery discharge (3 MW against 1)."""
    import pandas as pd

    rm = pd.DataFrame([dict(site="east", measure="bat", year=2030, unit="MWh", action="build", size=40.0)])
    rows = [dict(site=s, year=y, day=d, hour=h, onsite_mw=on, battery_discharge_mw=dis, day_weight_days=w)
            for s, on in (("east", 5.0), ("west", 1.0)) for y in (2025, 2030) for d, dis, w in ((0, 1.0, 200),
                                                                                                 (1, 3.0, 165))
            for h in (0, 1)]
    fr = {"roadmap": rm, "dispatch": pd.DataFrame(rows)}
    assert story.takeaway("dispatch", fr, "en", {"east": "East plant"}) == \
        "Representative day 1 of 2030 at East plant: storage built bat 40.0 MWh (2030)"
    assert story.takeaway("dispatch", fr, "zh") == "2030年典型日1（east）：新建储能 bat 40.0 MWh (2030)"
    fr["roadmap"] = rm.iloc[:0]  # no battery built: the first year (day 1: still the larger discharge)
    assert story.takeaway("dispatch", fr, "en") == "Representative day 1 of 2025 at east: no battery built"
