"""The release page in a real headless browser (Debian's chromium, driven by Selenium): it loads with
no console errors, search filters the list, a clicked figure highlights exactly its quote in the
source text, and a chart draws per indicator and measure, one series per place, with labelled
axes and every value written out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from commdata.release.site import page_data

from conftest import HOHHOT, MEASURE_WORDS, run

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"  # Debian's; .ci/run installs them


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("site")
    package = folder / "package"
    assert run("build", HOHHOT, "--out", package).exit_code == 0
    assert run("site", package, "--out", folder / "site").exit_code == 0
    return folder / "site" / "index.html", page_data(package)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def loaded(browser, page):
    path, data = page
    browser.get(path.as_uri())
    return browser, data


def test_page_is_self_contained(page) -> None:
    text = page[0].read_text(encoding="utf-8")
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text.split(
        '<script type="application/json"')[0]
    assert "<link" not in text and "src=" not in text


def test_page_loads_without_console_errors(loaded) -> None:
    browser, data = loaded
    errors = [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    assert data["package"]["version"] in browser.find_element(By.ID, "title").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#records tbody tr")) == len(data["records"])


def test_search_filters_the_list(loaded) -> None:
    browser, data = loaded
    box = browser.find_element(By.ID, "search")
    box.send_keys("城镇就业")
    visible = browser.execute_script(  # one call for the whole list, not one per row
        "return [...document.querySelectorAll('#records tbody tr')].filter(row => !row.hidden)"
        ".map(row => row.dataset.id);")
    expected = [record["id"] for record in data["records"]
                if "城镇就业" in record["indicator"] + record["quote"] + (record["figure"] or "")]
    assert visible == expected and 0 < len(visible) < len(data["records"])
    assert browser.find_element(By.ID, "count").text == f"{len(expected)} of {len(data['records'])} records"


def test_clicking_a_figure_highlights_exactly_its_quote(loaded) -> None:
    browser, data = loaded
    for record in [r for r in data["records"] if r["figure"]][:8]:
        browser.find_element(By.CSS_SELECTOR, f'button.figure[data-id="{record["id"]}"]').click()
        mark = browser.find_element(By.ID, "highlight")
        assert mark.text == record["quote"]
        assert mark.find_element(By.TAG_NAME, "strong").text == record["figure"]
        source = data["sources"][record["source_id"]]["text"]
        assert browser.find_element(By.ID, "source").text == source


CHARTS = """return [...document.querySelectorAll('svg[data-indicator]')].map(chart => ({
  indicator: chart.dataset.indicator, measure: chart.dataset.measure,
  axes: [...chart.querySelectorAll('.axis-label')].map(label => label.textContent),
  series: [...chart.querySelectorAll('g.series')].map(series => ({
    place: series.dataset.place, points: series.querySelectorAll('.point').length,
    values: [...series.querySelectorAll('text.value')].map(label => label.textContent)}))}));"""


def _expected_charts(data: dict) -> dict[tuple[str, str], dict[str, list[str]]]:
    """(indicator, measure) → place → the figures its chart must show, from the page's own data."""
    charts: dict[tuple[str, str], dict[str, list[str]]] = {}
    for record in data["records"]:
        if record["indicator_code"] and record["value"] is not None:
            key = (record["indicator_code"], "cumulative" if record["cumulative"] else "yearly")
            charts.setdefault(key, {}).setdefault(record["place"], []).append(record["figure"])
    return charts


def _check_charts(drawn: list[dict], data: dict) -> None:
    expected = _expected_charts(data)
    assert {(chart["indicator"], chart["measure"]) for chart in drawn} == set(expected)
    for chart in drawn:
        places = expected[(chart["indicator"], chart["measure"])]
        assert {series["place"] for series in chart["series"]} == set(places)  # one series per place
        assert chart["axes"][0] == "year" and chart["axes"][1].startswith("value")  # labelled axes
        for series in chart["series"]:
            assert series["points"] == len(places[series["place"]])
            assert sorted(series["values"]) == sorted(places[series["place"]])  # every value written out


def test_a_chart_draws_per_indicator_and_measure(loaded) -> None:
    browser, data = loaded
    _check_charts(browser.execute_script(CHARTS), data)  # every chart in one call, not one call per chart


def test_two_cities_are_two_series_and_cumulative_totals_have_charts_of_their_own(browser, two_cities_page) -> None:
    path, data = two_cities_page
    browser.get(path.as_uri())
    drawn = browser.execute_script(CHARTS)
    _check_charts(drawn, data)
    assert any(len(chart["series"]) == 2 for chart in drawn), "the fixtures share an indicator: two places, two series"
    assert any(chart["measure"] == "cumulative" for chart in drawn) and any(chart["measure"] == "yearly" for chart in drawn)
    assert [entry for entry in browser.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")] == []


@pytest.fixture(scope="module")
def two_cities_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The page of the frozen Hohhot records with a made-up city's meetings beside them (the
    measure-words fixture, which uses the shared codebook: the two cities share indicators)."""
    import shutil
    folder = tmp_path_factory.mktemp("two-cities")
    project = folder / "project"
    shutil.copytree(HOHHOT / "data", project / "data")
    for part in ("meetings", "sources"):
        for path in (MEASURE_WORDS / "data" / part).iterdir():
            shutil.copy(path, project / "data" / part / path.name)
    result = run("build", project, "--out", folder / "package")
    assert result.exit_code == 0, result.output
    assert run("site", folder / "package", "--out", folder / "site").exit_code == 0
    return folder / "site" / "index.html", page_data(folder / "package")


def test_page_data_is_embedded_exactly(page) -> None:
    text = page[0].read_text(encoding="utf-8")
    embedded = text.split('<script type="application/json" id="data">', 1)[1].split("</script>", 1)[0]
    assert json.loads(embedded.replace("<\\/", "</")) == json.loads(json.dumps(page[1], ensure_ascii=False))


def test_assessments_are_listed(browser, two_years_page) -> None:
    path, data = two_years_page
    browser.get(path.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#assessments tbody tr")
    assert len(rows) == len(data["assessments"]) > 0
    verdicts = {row.get_attribute("data-target"): row.find_elements(By.TAG_NAME, "td")[-1].text for row in rows}
    assert verdicts["150100-cpc-c13-p07-t065"] == "exceeded"
    assert verdicts["150100-cpc-c13-p07-t051"] == "met (set by hand)"
    assert not browser.find_element(By.ID, "no-assessments").is_displayed()


@pytest.fixture(scope="module")
def two_years_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The page of the frozen Hohhot package plus the invented following-year meeting."""
    import shutil
    folder = tmp_path_factory.mktemp("two-years")
    project = folder / "project"
    shutil.copytree(HOHHOT / "data", project / "data")
    following = Path(__file__).resolve().parent / "fixtures" / "following-year" / "data"
    for part in ("meetings", "sources"):
        for path in (following / part).iterdir():
            shutil.copy(path, project / "data" / part / path.name)
    assert run("build", project, "--out", folder / "package").exit_code == 0
    assert run("site", folder / "package", "--out", folder / "site").exit_code == 0
    return folder / "site" / "index.html", page_data(folder / "package")
